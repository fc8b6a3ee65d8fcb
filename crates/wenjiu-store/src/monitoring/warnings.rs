//! Early warnings: a monitoring run evaluates the configured rules over a month's reports and
//! keeps one warning per rule, month, region and enterprise — new ones raised, changed ones
//! updated, vanished ones (a corrected report) cleared — without touching their handling.
//! Each warning is routed to tiers (county, city, province); officials acknowledge it, record
//! the measures taken and people resettled, and close it.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use wenjiu_core::indicators::Ratio;
use wenjiu_core::monitoring::warning::{
    EnterpriseMonth, Finding, MonthData, evaluate, least_decrease,
};
use wenjiu_core::monitoring::{Figures, Level, Routing, Tier};
use wenjiu_core::{Month, RegionCode};

use super::sample::region_filter;
use super::{check_month_open, corrupt, push_scope};
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::registry::region_name;
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

/// The rule code of warnings raised by a layoff filing rather than by a monitoring run.
pub const FILING_RULE: &str = "layoff_filing";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunOutcome {
    pub month: String,
    pub reports: usize,
    pub findings: usize,
    pub raised: usize,
    pub updated: usize,
    pub cleared: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WarningRow {
    pub id: i64,
    pub rule: String,
    pub rule_name: String,
    /// red | orange | yellow
    pub level: String,
    pub level_label: String,
    pub month: String,
    pub region: String,
    pub region_name: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub people: i64,
    pub rate_pct: Option<String>,
    pub detail: String,
    /// county | city | province
    pub recipients: Vec<String>,
    /// open | acknowledged | handling | closed | cleared
    pub status: String,
    pub status_label: String,
    pub resettled: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WarningEvent {
    /// raised | acknowledge | handle | close | reopen | cleared
    pub action: String,
    pub note: String,
    pub resettled: i64,
    pub username: String,
    pub at: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct WarningFilter {
    pub month: Option<String>,
    /// A rule code.
    pub rule: Option<String>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub region: Option<String>,
    /// Only warnings routed to the caller's tier (the province's inbox holds level Ⅰ and
    /// 200-person warnings, not every county's yellow ones).
    pub inbox: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct WarningAction {
    /// acknowledge | handle | close | reopen
    pub action: String,
    #[serde(default)]
    pub note: String,
    /// People resettled by the measures recorded with `handle`.
    #[serde(default)]
    pub resettled: i64,
}

/// What an official may do with a warning.
const ACTIONS: [&str; 4] = ["acknowledge", "handle", "close", "reopen"];

/// A step the monitoring run itself takes on a warning.
fn system_step(action: &str, note: &str) -> WarningAction {
    WarningAction {
        action: action.into(),
        note: note.into(),
        resettled: 0,
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "待签收",
        "acknowledged" => "已签收",
        "handling" => "处置中",
        "closed" => "已办结",
        "cleared" => "已消除",
        _ => "未知",
    }
}

const SELECT: &str = "SELECT w.id, w.rule, w.rule_name, w.level, w.month, w.region, w.enterprise_id, \
     e.name AS enterprise_name, w.people, w.rate, w.detail, w.recipients, w.status, w.resettled, \
     w.created_at, w.updated_at FROM warning w LEFT JOIN enterprise e ON e.id = w.enterprise_id";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM warning w",
    id: "w.id",
    newest_first: true,
};

fn row_to_warning(r: &AnyRow) -> Result<WarningRow> {
    let level: String = r.try_get("level")?;
    let level_label = Level::parse(&level)
        .ok_or_else(|| corrupt("预警级别", &level))?
        .label()
        .to_string();
    let region: String = r.try_get("region")?;
    let status: String = r.try_get("status")?;
    let rate: Option<String> = r.try_get("rate")?;
    let rate_pct = rate
        .map(|t| t.parse::<Ratio>().map_err(|e| corrupt("预警比率", e)))
        .transpose()?
        .map(|r| r.round_percent(1).to_string());
    let enterprise_id: i64 = r.try_get("enterprise_id")?;
    let recipients: String = r.try_get("recipients")?;
    Ok(WarningRow {
        id: r.try_get("id")?,
        rule: r.try_get("rule")?,
        rule_name: r.try_get("rule_name")?,
        level,
        level_label,
        month: r.try_get("month")?,
        region_name: region_name(&region),
        region,
        enterprise_id: (enterprise_id != 0).then_some(enterprise_id),
        enterprise_name: r.try_get("enterprise_name")?,
        people: r.try_get("people")?,
        rate_pct,
        detail: r.try_get("detail")?,
        recipients: recipients.split_whitespace().map(str::to_string).collect(),
        status_label: status_label(&status).into(),
        status,
        resettled: r.try_get("resettled")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn county(r: &AnyRow) -> Result<RegionCode> {
    let region: String = r.try_get("region")?;
    RegionCode::parse(&region).map_err(|e| corrupt("地区", e))
}

fn tiers_text(tiers: &[Tier]) -> String {
    tiers.iter().map(Tier::code).collect::<Vec<_>>().join(" ")
}

/// The warning's identity: rule, region, enterprise (0 for a region).
type Key = (String, String, i64);

fn key_of(f: &Finding) -> Key {
    (
        f.rule.clone(),
        f.region.to_string(),
        f.enterprise_id.unwrap_or(0),
    )
}

impl Store {
    /// The month's enterprises whose headcount fell on last month or who cut at least
    /// `least` people (hires may hide a layoff in the net change).
    async fn month_losses(&self, month: Month, least: i64) -> Result<Vec<EnterpriseMonth>> {
        let rows = sqlx::query(
            "SELECT enterprise_id, region, baseline, previous, headcount, new_hires, decrease \
             FROM monitoring_report WHERE month = $1 AND status <> 'returned' \
             AND (headcount < previous OR decrease >= $2)",
        )
        .bind(month.to_string())
        .bind(least)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EnterpriseMonth {
                    enterprise_id: r.try_get("enterprise_id")?,
                    region: county(r)?,
                    baseline: r.try_get("baseline")?,
                    previous: r.try_get("previous")?,
                    headcount: r.try_get("headcount")?,
                    new_hires: r.try_get("new_hires")?,
                    decrease: r.try_get("decrease")?,
                })
            })
            .collect()
    }

    /// Each county's sums of the month, from the kept sums.
    async fn county_figures(&self, month: Month) -> Result<BTreeMap<RegionCode, Figures>> {
        self.grouped(&Scope::All, None, (month, month), "f.region")
            .await?
            .into_iter()
            .map(|(code, f)| Ok((RegionCode::parse(&code).map_err(|e| corrupt("地区", e))?, f)))
            .collect()
    }

    /// Evaluates the warning rules over the whole province's month and brings the stored
    /// warnings in line with what was found.
    pub async fn run_monitoring(&self, month: Month) -> Result<RunOutcome> {
        check_month_open(month, self.today(), "研判")?;
        let counties_year_ago = match month.year_ago() {
            Some(m) => self.county_figures(m).await?,
            None => BTreeMap::new(),
        };
        let rules = self.warning_rules().await?;
        let data = MonthData {
            month,
            losses: self.month_losses(month, least_decrease(&rules)).await?,
            counties: self.county_figures(month).await?,
            counties_year_ago,
        };
        let routing = self.warning_routing().await?;
        let findings = evaluate(&rules, &data);
        let names: HashMap<&str, &str> = rules
            .iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect();
        let existing = sqlx::query(
            "SELECT id, rule, region, enterprise_id, level, people, detail, recipients, status FROM warning \
             WHERE month = $1 AND rule <> $2",
        )
        .bind(month.to_string())
        .bind(FILING_RULE)
        .fetch_all(&self.pool)
        .await?;
        let mut known: HashMap<Key, (i64, String, i64, String, String, String)> = HashMap::new();
        for r in &existing {
            known.insert(
                (
                    r.try_get("rule")?,
                    r.try_get("region")?,
                    r.try_get("enterprise_id")?,
                ),
                (
                    r.try_get("id")?,
                    r.try_get("level")?,
                    r.try_get("people")?,
                    r.try_get("detail")?,
                    r.try_get("recipients")?,
                    r.try_get("status")?,
                ),
            );
        }
        let mut fresh = Vec::new();
        let mut outcome = RunOutcome {
            month: month.to_string(),
            reports: data.counties.values().map(|f| f.enterprises as usize).sum(),
            findings: findings.len(),
            raised: 0,
            updated: 0,
            cleared: 0,
        };
        for f in &findings {
            let name = names.get(f.rule.as_str()).copied().unwrap_or(&f.rule);
            match known.remove(&key_of(f)) {
                None => fresh.push((f, name)),
                Some((id, level, people, detail, recipients, status)) => {
                    // A changed routing reaches the warnings it now routes differently.
                    let same = level == f.level.code()
                        && people == f.people
                        && detail == f.detail
                        && recipients == tiers_text(&routing.recipients(f));
                    if !same || status == "cleared" {
                        self.update_warning(id, f, name, &routing, status == "cleared")
                            .await?;
                        outcome.updated += 1;
                    }
                }
            }
        }
        outcome.raised = self
            .insert_warnings(month, &fresh, 0, &routing, "监测研判发现")
            .await?;
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        for (id, .., status) in known.into_values() {
            if status == "open" {
                let step = system_step("cleared", "复核后不再满足预警条件");
                self.set_warning_status(&mut tx, id, "cleared", &step, "system")
                    .await?;
                outcome.cleared += 1;
            }
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Inserts new warnings with their "raised" event, in batches; returns how many.
    pub(crate) async fn insert_warnings(
        &self,
        month: Month,
        findings: &[(&Finding, &str)],
        filing_id: i64,
        routing: &Routing,
        note: &str,
    ) -> Result<usize> {
        let at = now();
        for chunk in findings.chunks(400) {
            let mut sql = Sql::new(
                "INSERT INTO warning (rule, rule_name, level, month, region, enterprise_id, filing_id, people, \
                 rate, detail, recipients, status, resettled, created_at, updated_at) VALUES ",
            );
            for (f, name) in chunk.iter() {
                sql.bind_row([
                    Val::from(f.rule.clone()),
                    (*name).into(),
                    f.level.code().into(),
                    month.to_string().into(),
                    f.region.to_string().into(),
                    f.enterprise_id.unwrap_or(0).into(),
                    filing_id.into(),
                    f.people.into(),
                    f.rate.map(|r| r.to_string()).into(),
                    f.detail.clone().into(),
                    tiers_text(&routing.recipients(f)).into(),
                    "open".into(),
                    0i64.into(),
                    at.clone().into(),
                    at.clone().into(),
                ]);
            }
            sql.push(" RETURNING id");
            let ids = sql.query(self.backend).fetch_all(&self.pool).await?;
            let mut events = Sql::new(
                "INSERT INTO warning_event (warning_id, action, note, resettled, username, at) VALUES ",
            );
            for r in ids.iter() {
                events.bind_row([
                    Val::from(r.try_get::<i64, _>("id")?),
                    "raised".into(),
                    note.into(),
                    0i64.into(),
                    "system".into(),
                    at.clone().into(),
                ]);
            }
            events.query(self.backend).execute(&self.pool).await?;
        }
        Ok(findings.len())
    }

    async fn update_warning(
        &self,
        id: i64,
        f: &Finding,
        name: &str,
        routing: &Routing,
        reopen: bool,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        sqlx::query(
            "UPDATE warning SET rule_name = $1, level = $2, people = $3, rate = $4, detail = $5, \
             recipients = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(name.to_string())
        .bind(f.level.code())
        .bind(f.people)
        .bind(f.rate.map(|r| r.to_string()))
        .bind(f.detail.clone())
        .bind(tiers_text(&routing.recipients(f)))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if reopen {
            let step = system_step("raised", "复核后再次满足预警条件");
            self.set_warning_status(&mut tx, id, "open", &step, "system")
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Ends the warnings of a withdrawn filing: one nobody has acted on is cleared, one in
    /// hand is closed, each with a system note (the plan no longer calls for intervention).
    pub(crate) async fn end_filing_warnings(
        &self,
        conn: &mut AnyConnection,
        filing_id: i64,
    ) -> Result<()> {
        let rows = sqlx::query(
            "SELECT id, status FROM warning WHERE filing_id = $1 AND status NOT IN ('closed', 'cleared')",
        )
        .bind(filing_id)
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            let status: String = r.try_get("status")?;
            let (next, action) = if status == "open" {
                ("cleared", "cleared")
            } else {
                ("closed", "close")
            };
            let step = system_step(action, "企业已撤回裁员方案");
            self.set_warning_status(conn, r.try_get("id")?, next, &step, "system")
                .await?;
        }
        Ok(())
    }

    async fn set_warning_status(
        &self,
        conn: &mut AnyConnection,
        id: i64,
        status: &str,
        step: &WarningAction,
        actor: &str,
    ) -> Result<()> {
        let WarningAction {
            action,
            note,
            resettled,
        } = step;
        let at = now();
        sqlx::query(
            "UPDATE warning SET status = $1, resettled = resettled + $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status.to_string())
        .bind(*resettled)
        .bind(at.clone())
        .bind(id)
        .execute(&mut *conn)
        .await?;
        let mut sql = Sql::new(
            "INSERT INTO warning_event (warning_id, action, note, resettled, username, at) VALUES ",
        );
        sql.bind_list([
            id.into(),
            action.as_str().into(),
            note.as_str().into(),
            (*resettled).into(),
            actor.into(),
            at.into(),
        ]);
        sql.query(self.backend).execute(&mut *conn).await?;
        Ok(())
    }

    pub async fn warnings(
        &self,
        scope: &Scope,
        f: &WarningFilter,
        page: PageReq,
    ) -> Result<Page<WarningRow>> {
        let mut filter = Sql::new(" WHERE 1 = 1");
        push_scope(scope, "w.region", "w.enterprise_id", &mut filter);
        region_filter(f.region.as_deref(), "w.region", &mut filter)?;
        if let Some(m) = f.month.as_deref().filter(|s| !s.is_empty()) {
            let m = Month::parse(m)
                .map_err(|e| StoreError::invalid("month", "月份", e.code(), e.to_string()))?;
            filter.push(" AND w.month = ").bind(m.to_string());
        }
        if let Some(rule) = f.rule.as_deref().filter(|s| !s.is_empty()) {
            filter.push(" AND w.rule = ").bind(rule.to_string());
        }
        if let Some(l) = f.level.as_deref().filter(|s| !s.is_empty()) {
            let l = Level::parse(l).ok_or_else(|| {
                StoreError::invalid(
                    "level",
                    "预警级别",
                    "field.invalid",
                    format!("预警级别“{l}”无效"),
                )
            })?;
            filter.push(" AND w.level = ").bind(l.code());
        }
        match f.status.as_deref().filter(|s| !s.is_empty()) {
            None => {
                filter.push(" AND w.status <> 'cleared'");
            }
            Some("active") => {
                filter.push(" AND w.status NOT IN ('closed', 'cleared')");
            }
            Some(s) => {
                filter.push(" AND w.status = ").bind(s.to_string());
            }
        }
        if f.inbox == Some(true)
            && let Scope::Region(p) = scope
        {
            filter
                .push(" AND w.recipients LIKE ")
                .bind(format!("%{}%", Tier::of(p.level()).code()));
        }
        self.page(&LISTING, &filter, page, row_to_warning).await
    }

    /// Every warning of a month within `region` and the scope (for the analysis report).
    pub async fn month_warnings(
        &self,
        scope: &Scope,
        region: RegionCode,
        month: Month,
    ) -> Result<Vec<WarningRow>> {
        let mut filter = Sql::new(" WHERE w.status <> 'cleared' AND w.month = ");
        filter.bind(month.to_string());
        Scope::push_region(region.prefix().as_str(), "w.region", &mut filter);
        push_scope(scope, "w.region", "w.enterprise_id", &mut filter);
        let mut rows = Vec::new();
        self.each(&LISTING, &filter, row_to_warning, |w| {
            rows.push(w);
            Ok(())
        })
        .await?;
        Ok(rows)
    }

    pub async fn warning(&self, scope: &Scope, id: i64) -> Result<WarningRow> {
        let mut conn = self.pool.acquire().await?;
        self.warning_on(&mut conn, scope, id).await
    }

    async fn warning_on(
        &self,
        conn: &mut AnyConnection,
        scope: &Scope,
        id: i64,
    ) -> Result<WarningRow> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE w.id = ").bind(id);
        push_scope(scope, "w.region", "w.enterprise_id", &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_warning(&row)
    }

    pub async fn warning_events(&self, scope: &Scope, id: i64) -> Result<Vec<WarningEvent>> {
        self.warning(scope, id).await?;
        let rows = sqlx::query(
            "SELECT action, note, resettled, username, at FROM warning_event WHERE warning_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WarningEvent {
                    action: r.try_get("action")?,
                    note: r.try_get("note")?,
                    resettled: r.try_get("resettled")?,
                    username: r.try_get("username")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// Acknowledges, records handling, closes or reopens a warning of the caller's scope.
    pub async fn act_on_warning(
        &self,
        scope: &Scope,
        actor: &str,
        id: i64,
        a: &WarningAction,
    ) -> Result<WarningRow> {
        // Checked and changed in one transaction: two officials acting at once see each
        // other's step, and the status never changes without its event.
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let w = self.warning_on(&mut tx, scope, id).await?;
        let note = a.note.trim();
        let next = match (a.action.as_str(), w.status.as_str()) {
            ("acknowledge", "open") => "acknowledged",
            ("handle", "open" | "acknowledged" | "handling") => {
                if note.is_empty() {
                    return Err(StoreError::invalid(
                        "note",
                        "处置措施",
                        "field.required",
                        "请填写采取的处置措施",
                    ));
                }
                // Cumulative, and no more than the people the warning is about.
                let total = w.resettled.checked_add(a.resettled);
                if a.resettled < 0 || total.is_none_or(|t| t > w.people) {
                    return Err(StoreError::invalid(
                        "resettled",
                        "安置人数",
                        "field.invalid",
                        format!(
                            "安置人数须为非负数，累计（已安置 {} 人）不能超过预警涉及的 {} 人",
                            w.resettled, w.people
                        ),
                    ));
                }
                "handling"
            }
            ("close", "acknowledged" | "handling") => {
                if note.is_empty() {
                    return Err(StoreError::invalid(
                        "note",
                        "办结说明",
                        "field.required",
                        "请填写办结说明",
                    ));
                }
                "closed"
            }
            ("reopen", "closed") => "handling",
            (action, _) if !ACTIONS.contains(&action) => {
                return Err(StoreError::invalid(
                    "action",
                    "操作",
                    "field.invalid",
                    format!("操作“{action}”无效，应为 {}", ACTIONS.join("、")),
                ));
            }
            (action, status) => {
                return Err(StoreError::Conflict(format!(
                    "预警状态为“{}”，不能执行“{action}”",
                    status_label(status)
                )));
            }
        };
        let resettled = if a.action == "handle" { a.resettled } else { 0 };
        let step = WarningAction {
            action: a.action.clone(),
            note: note.to_string(),
            resettled,
        };
        self.set_warning_status(&mut tx, id, next, &step, actor)
            .await?;
        let updated = self.warning_on(&mut tx, scope, id).await?;
        tx.commit().await?;
        Ok(updated)
    }
}
