//! Monthly reports: submission (by the enterprise or an official on its behalf), the review
//! chain, the list, and which enterprises have not reported or reported late.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use wenjiu_core::monitoring::codes::{CodeEntry, CodeKind};
use wenjiu_core::monitoring::report::{Context, Problem};
use wenjiu_core::monitoring::{Reason, ReportInput, ReportStatus, ReviewAction};
use wenjiu_core::{FieldError, Month};

use super::sample::region_filter;
use super::{check_month_open, corrupt, push_scope, review_tier};
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::registry::region_name;
use crate::sql::Sql;
use crate::{Page, PageReq, Scope, Store, now};

/// A report as submitted through the API.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ReportSubmit {
    /// The enterprise; an enterprise user may leave it out (their own).
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[schema(example = "2020-05")]
    pub month: String,
    pub headcount: i64,
    pub new_hires: i64,
    pub decrease: i64,
    #[serde(default)]
    pub decrease_type: Option<String>,
    #[serde(default)]
    pub reasons: Vec<ReasonInput>,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReasonInput {
    pub code: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReasonView {
    pub code: String,
    pub label: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    pub region: String,
    pub region_name: String,
    pub month: String,
    pub baseline: i64,
    pub previous: i64,
    pub headcount: i64,
    pub new_hires: i64,
    pub decrease: i64,
    /// headcount − previous.
    pub net_change: i64,
    pub decrease_type: Option<String>,
    pub decrease_type_label: Option<String>,
    pub reasons: Vec<ReasonView>,
    /// submitted | returned | local_approved | closed
    pub status: String,
    pub status_label: String,
    /// Entered by an official for the enterprise.
    pub on_behalf: bool,
    pub submitted_by: String,
    pub submitted_on: String,
    pub submitted_at: String,
    /// Submitted after the month's deadline.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewRow {
    /// submit | resubmit | approve | return
    pub action: String,
    /// enterprise | official (on its behalf) | local | province
    pub tier: String,
    pub status: String,
    pub comment: String,
    pub username: String,
    pub at: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ReportFilter {
    /// YYYY-MM
    pub month: Option<String>,
    /// submitted | returned | local_approved | closed; "pending" = waiting for the caller's tier.
    pub status: Option<String>,
    pub region: Option<String>,
    pub name: Option<String>,
}

/// An enterprise of the sample and where its report for a month stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusRow {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub region: String,
    pub region_name: String,
    pub report_id: Option<i64>,
    pub status: Option<String>,
    pub submitted_on: Option<String>,
    /// Missing after the deadline, or submitted after it.
    pub late: bool,
    /// The last reminder sent.
    pub chased_at: Option<String>,
}

/// The reporting window of a month.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Deadline {
    pub month: String,
    #[schema(value_type = String)]
    pub opens_on: NaiveDate,
    #[schema(value_type = String)]
    pub due_on: NaiveDate,
}

/// The default window: the 20th to the 24th of the month (provincial manuals; DOMAIN §4).
fn default_deadline(month: Month) -> Deadline {
    let day = |d: u64| month.first_day() + chrono::Days::new(d - 1);
    Deadline {
        month: month.to_string(),
        opens_on: day(20),
        due_on: day(24),
    }
}

const SELECT: &str = "SELECT r.id, r.enterprise_id, e.name AS enterprise_name, e.credit_code, r.region, \
     r.month, r.baseline, r.previous, r.headcount, r.new_hires, r.decrease, r.decrease_type, \
     t.label AS decrease_type_label, r.reasons, r.status, r.on_behalf, r.submitted_by, \
     r.submitted_on, r.submitted_at, COALESCE(d.due_on, '') AS due_on \
     FROM monitoring_report r JOIN enterprise e ON e.id = r.enterprise_id \
     LEFT JOIN monitoring_code t ON t.kind = 'decrease_type' AND t.code = r.decrease_type \
     LEFT JOIN monitoring_deadline d ON d.month = r.month";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM monitoring_report r JOIN enterprise e ON e.id = r.enterprise_id",
    id: "r.id",
    newest_first: true,
};

fn header(field: &str) -> &'static str {
    match field {
        "headcount" => "调查期就业人数",
        "new_hires" => "本月新增人数",
        "decrease" => "本月减少人数",
        "decrease_type" => "减员类型",
        "reasons" => "减员原因",
        "month" => "月份",
        _ => "月报",
    }
}

fn invalid(problems: Vec<Problem>) -> StoreError {
    StoreError::Invalid(
        problems
            .into_iter()
            .map(|p| FieldError {
                column: p.field,
                header: header(p.field),
                message: p.message,
                code: "field.invalid",
            })
            .collect(),
    )
}

impl ReportSubmit {
    fn input(&self) -> ReportInput {
        ReportInput {
            headcount: self.headcount,
            new_hires: self.new_hires,
            decrease: self.decrease,
            decrease_type: self.decrease_type.clone().filter(|s| !s.trim().is_empty()),
            reasons: self
                .reasons
                .iter()
                .filter(|r| !r.code.trim().is_empty())
                .map(|r| Reason {
                    code: r.code.trim().to_string(),
                    note: r.note.trim().to_string(),
                })
                .collect(),
        }
    }
}

/// The dictionaries a report is checked against and labelled with.
pub(crate) struct Dictionaries {
    pub types: Vec<CodeEntry>,
    pub reasons: Vec<CodeEntry>,
}

impl Dictionaries {
    /// The label of `code` in `table`, or the code itself when the table does not know it.
    pub(crate) fn label(table: &[CodeEntry], code: &str) -> String {
        table
            .iter()
            .find(|e| e.code == code)
            .map_or_else(|| code.to_string(), |e| e.label.clone())
    }
}

fn row_to_report(r: &AnyRow, dict: &Dictionaries) -> Result<ReportRow> {
    let region: String = r.try_get("region")?;
    let status: String = r.try_get("status")?;
    let status_label = ReportStatus::parse(&status)
        .ok_or_else(|| corrupt("月报状态", &status))?
        .label()
        .to_string();
    let reasons_json: String = r.try_get("reasons")?;
    let reasons: Vec<ReasonInput> =
        serde_json::from_str(&reasons_json).map_err(|e| corrupt("减员原因", e))?;
    let month: String = r.try_get("month")?;
    let submitted_on: String = r.try_get("submitted_on")?;
    let due: String = r.try_get("due_on")?;
    let due = if due.is_empty() {
        default_deadline(super::parse_month(&month)?)
            .due_on
            .to_string()
    } else {
        due
    };
    let (previous, headcount): (i64, i64) = (r.try_get("previous")?, r.try_get("headcount")?);
    Ok(ReportRow {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        credit_code: r.try_get("credit_code")?,
        region_name: region_name(&region),
        region,
        late: submitted_on > due,
        month,
        baseline: r.try_get("baseline")?,
        previous,
        headcount,
        new_hires: r.try_get("new_hires")?,
        decrease: r.try_get("decrease")?,
        net_change: headcount - previous,
        decrease_type: r.try_get("decrease_type")?,
        decrease_type_label: r.try_get("decrease_type_label")?,
        reasons: reasons
            .into_iter()
            .map(|x| ReasonView {
                label: Dictionaries::label(&dict.reasons, &x.code),
                code: x.code,
                note: x.note,
            })
            .collect(),
        status,
        status_label,
        on_behalf: r.try_get::<i64, _>("on_behalf")? != 0,
        submitted_by: r.try_get("submitted_by")?,
        submitted_on,
        submitted_at: r.try_get("submitted_at")?,
    })
}

/// Where an enterprise stands before its report for a month is written.
struct Enrolment {
    region: String,
    baseline: i64,
    enrolled: Month,
    active: bool,
}

impl Store {
    pub(crate) async fn report_dictionaries(&self) -> Result<Dictionaries> {
        Ok(Dictionaries {
            types: self.monitoring_codes(CodeKind::DecreaseType).await?,
            reasons: self.monitoring_codes(CodeKind::DecreaseReason).await?,
        })
    }

    async fn enrolment(&self, scope: &Scope, enterprise_id: i64) -> Result<Enrolment> {
        let mut sql = Sql::new(
            "SELECT m.region, m.baseline, m.enrolled_on, m.active FROM monitored_enterprise m \
             WHERE m.enterprise_id = ",
        );
        sql.bind(enterprise_id);
        push_scope(scope, "m.region", "m.enterprise_id", &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let enrolled: String = row.try_get("enrolled_on")?;
        let enrolled = enrolled
            .parse::<NaiveDate>()
            .map_err(|e| corrupt("建档日期", e))?;
        Ok(Enrolment {
            region: row.try_get("region")?,
            baseline: row.try_get("baseline")?,
            enrolled: Month::of(enrolled),
            active: row.try_get::<i64, _>("active")? != 0,
        })
    }

    /// Last month's headcount as reported before `month`, or the baseline.
    pub(crate) async fn previous_headcount(
        &self,
        enterprise_id: i64,
        month: Month,
        baseline: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "SELECT headcount FROM monitoring_report WHERE enterprise_id = $1 AND month < $2 \
             ORDER BY month DESC LIMIT 1",
        )
        .bind(enterprise_id)
        .bind(month.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => r.try_get("headcount")?,
            None => baseline,
        })
    }

    /// Submits (or, while it may still change, resubmits) an enterprise's month. An official's
    /// submission is recorded as made on the enterprise's behalf. Returns the report's id.
    pub async fn submit_report(&self, scope: &Scope, actor: &str, s: &ReportSubmit) -> Result<i64> {
        let enterprise_id = match (scope, s.enterprise_id) {
            (Scope::Enterprise(own), _) => *own,
            (_, Some(id)) => id,
            (_, None) => {
                return Err(StoreError::invalid(
                    "enterprise_id",
                    "企业",
                    "field.required",
                    "请选择填报的企业",
                ));
            }
        };
        let month = Month::parse(&s.month)
            .map_err(|e| StoreError::invalid("month", "月份", e.code(), e.to_string()))?;
        let e = self.enrolment(scope, enterprise_id).await?;
        if !e.active {
            return Err(StoreError::Conflict(
                "该企业已退出监测样本，无需填报".into(),
            ));
        }
        if month < e.enrolled {
            return Err(StoreError::invalid(
                "month",
                "月份",
                "field.invalid",
                format!("{month} 早于建档月份 {}，无需填报", e.enrolled),
            ));
        }
        check_month_open(month, self.today(), "填报")?;
        let previous = self
            .previous_headcount(enterprise_id, month, e.baseline)
            .await?;
        let dict = self.report_dictionaries().await?;
        let input = s.input();
        let problems = input.check(&Context {
            baseline: e.baseline,
            previous,
            decrease_types: &dict.types,
            decrease_reasons: &dict.reasons,
        });
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        // The row, its history and the sums change together or not at all.
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let existing = sqlx::query(
            "SELECT id, status FROM monitoring_report WHERE enterprise_id = $1 AND month = $2",
        )
        .bind(enterprise_id)
        .bind(month.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let reasons = serde_json::to_string(&input.reasons).map_err(|e| corrupt("减员原因", e))?;
        let main_reason = input.reasons.first().map(|r| r.code.clone());
        let on_behalf = !matches!(scope, Scope::Enterprise(_));
        let (at, on) = (now(), self.today().to_string());
        let (id, action) = match existing {
            Some(row) => {
                let id: i64 = row.try_get("id")?;
                let status: String = row.try_get("status")?;
                let status =
                    ReportStatus::parse(&status).ok_or_else(|| corrupt("月报状态", &status))?;
                if !status.editable() {
                    return Err(StoreError::Conflict(format!(
                        "{month} 的月报{}，不能修改",
                        status.label()
                    )));
                }
                let done = sqlx::query(
                    "UPDATE monitoring_report SET previous = $1, headcount = $2, new_hires = $3, \
                     decrease = $4, decrease_type = $5, reasons = $6, main_reason = $7, \
                     status = 'submitted', on_behalf = $8, submitted_by = $9, submitted_on = $10, \
                     submitted_at = $11, updated_at = $11 WHERE id = $12 AND status = $13",
                )
                .bind(previous)
                .bind(input.headcount)
                .bind(input.new_hires)
                .bind(input.decrease)
                .bind(input.decrease_type.clone())
                .bind(reasons)
                .bind(main_reason.clone())
                .bind(on_behalf as i64)
                .bind(actor.to_string())
                .bind(on)
                .bind(at)
                .bind(id)
                .bind(status.code())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict(
                        "月报已被他人处理，请刷新后重试".into(),
                    ));
                }
                (id, "resubmit")
            }
            None => {
                let mut sql = Sql::new(
                    "INSERT INTO monitoring_report (enterprise_id, month, region, baseline, previous, \
                     headcount, new_hires, decrease, decrease_type, reasons, main_reason, status, \
                     on_behalf, submitted_by, submitted_on, submitted_at, updated_at) VALUES ",
                );
                sql.bind_list([
                    enterprise_id.into(),
                    month.to_string().into(),
                    e.region.clone().into(),
                    e.baseline.into(),
                    previous.into(),
                    input.headcount.into(),
                    input.new_hires.into(),
                    input.decrease.into(),
                    input.decrease_type.clone().into(),
                    reasons.into(),
                    main_reason.into(),
                    "submitted".into(),
                    on_behalf.into(),
                    actor.into(),
                    on.into(),
                    at.clone().into(),
                    at.into(),
                ])
                .push(" RETURNING id");
                let row = sql.query(self.backend).fetch_one(&mut *tx).await?;
                (row.try_get("id")?, "submit")
            }
        };
        let tier = if on_behalf { "official" } else { "enterprise" };
        self.record_review(
            &mut tx,
            id,
            action,
            tier,
            ReportStatus::Submitted,
            "",
            actor,
        )
        .await?;
        self.refresh_figures_on(&mut tx, month, Some(&e.region))
            .await?;
        let carried = self
            .carry_headcount(&mut tx, enterprise_id, month, input.headcount)
            .await?;
        if let Some(next) = carried {
            self.refresh_figures_on(&mut tx, next, Some(&e.region))
                .await?;
        }
        tx.commit().await?;
        if let Some(next) = carried {
            // The later month's warnings follow its changed base (or its return).
            self.run_monitoring(next).await?;
        }
        Ok(id)
    }

    /// The first month reported after `month` counts from `month`'s headcount: when a month
    /// is resubmitted, or entered late after a later one, that month's previous headcount
    /// follows. An approved later month is not rewritten (409 naming it: it is returned for
    /// correction first); an editable one whose totals no longer add up is returned to the
    /// enterprise with a system note. Returns that month when its previous headcount changed.
    async fn carry_headcount(
        &self,
        tx: &mut AnyConnection,
        enterprise_id: i64,
        month: Month,
        headcount: i64,
    ) -> Result<Option<Month>> {
        let row = sqlx::query(
            "SELECT id, month, previous, headcount, new_hires, decrease, status FROM monitoring_report \
             WHERE enterprise_id = $1 AND month > $2 ORDER BY month LIMIT 1",
        )
        .bind(enterprise_id)
        .bind(month.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let previous: i64 = row.try_get("previous")?;
        if previous == headcount {
            return Ok(None);
        }
        let next = super::parse_month(&row.try_get::<String, _>("month")?)?;
        let status: String = row.try_get("status")?;
        let status = ReportStatus::parse(&status).ok_or_else(|| corrupt("月报状态", &status))?;
        if !status.editable() {
            return Err(StoreError::Conflict(format!(
                "{next} 的月报{}，其上月就业人数为 {previous} 人；{month} 填报 {headcount} 人会改变它，\
                 请先由审核人员退回 {next} 的月报",
                status.label()
            )));
        }
        let id: i64 = row.try_get("id")?;
        let (own, hires, down): (i64, i64, i64) = (
            row.try_get("headcount")?,
            row.try_get("new_hires")?,
            row.try_get("decrease")?,
        );
        // The same identity the submission check enforces (上月 + 新增 − 减少 = 本月).
        let balanced = headcount
            .checked_add(hires)
            .and_then(|v| v.checked_sub(down))
            == Some(own);
        let after = if balanced {
            status
        } else {
            ReportStatus::Returned
        };
        sqlx::query(
            "UPDATE monitoring_report SET previous = $1, status = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(headcount)
        .bind(after.code())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if !balanced {
            let note = format!(
                "上月（{month}）就业人数改为 {headcount} 人，{headcount} + 新增 {hires} − 减少 {down} ≠ 本月 {own}，请核对后重新提交"
            );
            self.record_review(tx, id, "return", "system", after, &note, "system")
                .await?;
        }
        Ok(Some(next))
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_review(
        &self,
        tx: &mut AnyConnection,
        report_id: i64,
        action: &str,
        tier: &str,
        status: ReportStatus,
        comment: &str,
        actor: &str,
    ) -> Result<()> {
        let mut sql = Sql::new(
            "INSERT INTO monitoring_review (report_id, action, tier, status, comment, username, at) VALUES ",
        );
        sql.bind_list([
            report_id.into(),
            action.into(),
            tier.into(),
            status.code().into(),
            comment.into(),
            actor.into(),
            now().into(),
        ]);
        sql.query(self.backend).execute(&mut *tx).await?;
        Ok(())
    }

    pub async fn report(&self, scope: &Scope, id: i64) -> Result<ReportRow> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE r.id = ").bind(id);
        push_scope(scope, "r.region", "r.enterprise_id", &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_report(&row, &self.report_dictionaries().await?)
    }

    pub async fn report_history(&self, scope: &Scope, id: i64) -> Result<Vec<ReviewRow>> {
        self.report(scope, id).await?;
        let rows = sqlx::query(
            "SELECT action, tier, status, comment, username, at FROM monitoring_review \
             WHERE report_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewRow {
                    action: r.try_get("action")?,
                    tier: r.try_get::<Option<String>, _>("tier")?.unwrap_or_default(),
                    status: r.try_get("status")?,
                    comment: r.try_get("comment")?,
                    username: r.try_get("username")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    pub async fn reports(
        &self,
        scope: &Scope,
        f: &ReportFilter,
        page: PageReq,
    ) -> Result<Page<ReportRow>> {
        let mut filter = Sql::new(" WHERE 1 = 1");
        push_scope(scope, "r.region", "r.enterprise_id", &mut filter);
        region_filter(f.region.as_deref(), "r.region", &mut filter)?;
        if let Some(month) = f.month.as_deref().filter(|s| !s.is_empty()) {
            let m = Month::parse(month)
                .map_err(|e| StoreError::invalid("month", "月份", e.code(), e.to_string()))?;
            filter.push(" AND r.month = ").bind(m.to_string());
        }
        match f.status.as_deref().filter(|s| !s.is_empty()) {
            None => {}
            Some("pending") => {
                let waiting = match review_tier(scope) {
                    Some(wenjiu_core::monitoring::ReviewTier::Province) => "local_approved",
                    _ => "submitted",
                };
                filter.push(" AND r.status = ").bind(waiting);
            }
            Some(s) => {
                let status = ReportStatus::parse(s).ok_or_else(|| {
                    StoreError::invalid("status", "状态", "field.invalid", format!("状态“{s}”无效"))
                })?;
                filter.push(" AND r.status = ").bind(status.code());
            }
        }
        if let Some(name) = f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            filter.push_contains("e.name", name);
        }
        let dict = self.report_dictionaries().await?;
        self.page(&LISTING, &filter, page, |r| row_to_report(r, &dict))
            .await
    }

    /// Approves or returns a report at the caller's tier. Returns the new status and the
    /// report's month.
    pub async fn review_report(
        &self,
        scope: &Scope,
        actor: &str,
        id: i64,
        action: &ReviewAction,
    ) -> Result<(ReportStatus, Month)> {
        let tier = review_tier(scope)
            .ok_or_else(|| StoreError::OutOfScope("企业用户不能审核月报".into()))?;
        let report = self.report(scope, id).await?;
        let status = ReportStatus::parse(&report.status)
            .ok_or_else(|| corrupt("月报状态", &report.status))?;
        let next = status.review(tier, action).map_err(StoreError::Conflict)?;
        // Four eyes: an officer who entered the report on the enterprise's behalf does not
        // also approve it; a colleague or the next tier does.
        if matches!(action, ReviewAction::Approve)
            && report.on_behalf
            && report.submitted_by == actor
        {
            return Err(StoreError::Conflict(
                "该月报由您代企业填报，不能由您本人审核通过，请由其他审核人员或上级审核".into(),
            ));
        }
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let done = sqlx::query(
            "UPDATE monitoring_report SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(next.code())
        .bind(now())
        .bind(id)
        .bind(status.code())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "月报已被他人处理，请刷新后重试".into(),
            ));
        }
        let (name, comment) = match action {
            ReviewAction::Approve => ("approve", ""),
            ReviewAction::Return { comment } => ("return", comment.trim()),
        };
        let tier_code = match tier {
            wenjiu_core::monitoring::ReviewTier::Local => "local",
            wenjiu_core::monitoring::ReviewTier::Province => "province",
        };
        self.record_review(&mut tx, id, name, tier_code, next, comment, actor)
            .await?;
        let month = super::parse_month(&report.month)?;
        // Returning takes the report out of the figures; anything else leaves them as they are.
        if next == ReportStatus::Returned {
            self.refresh_figures_on(&mut tx, month, Some(&report.region))
                .await?;
        }
        tx.commit().await?;
        Ok((next, month))
    }

    pub async fn deadline(&self, month: Month) -> Result<Deadline> {
        let row = sqlx::query("SELECT opens_on, due_on FROM monitoring_deadline WHERE month = $1")
            .bind(month.to_string())
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else {
            return Ok(default_deadline(month));
        };
        let date = |col: &str| -> Result<NaiveDate> {
            let text: String = r.try_get(col)?;
            text.parse().map_err(|e| corrupt("填报期限", e))
        };
        Ok(Deadline {
            month: month.to_string(),
            opens_on: date("opens_on")?,
            due_on: date("due_on")?,
        })
    }

    pub async fn set_deadline(&self, actor: &str, d: &Deadline) -> Result<()> {
        let month = Month::parse(&d.month)
            .map_err(|e| StoreError::invalid("month", "月份", e.code(), e.to_string()))?;
        if d.due_on < d.opens_on {
            return Err(StoreError::invalid(
                "due_on",
                "截止日期",
                "field.invalid",
                "截止日期不能早于开始日期",
            ));
        }
        let mut sql = Sql::new(
            "INSERT INTO monitoring_deadline (month, opens_on, due_on, updated_by, updated_at) VALUES ",
        );
        sql.bind_list([
            month.to_string().into(),
            d.opens_on.to_string().into(),
            d.due_on.to_string().into(),
            actor.into(),
            now().into(),
        ])
        .push(
            " ON CONFLICT (month) DO UPDATE SET opens_on = excluded.opens_on, due_on = excluded.due_on, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        );
        sql.query(self.backend).execute(&self.pool).await?;
        Ok(())
    }

    /// Every active enterprise of the sample enrolled by `month` with its report's state;
    /// `outstanding` keeps only those missing or late.
    pub async fn reporting_status(
        &self,
        scope: &Scope,
        month: Month,
        region: Option<&str>,
        outstanding: bool,
        page: PageReq,
    ) -> Result<Page<StatusRow>> {
        let due = self.deadline(month).await?.due_on.to_string();
        let overdue = self.today().to_string() > due;
        let mut filter = Sql::new(" WHERE m.active = 1 AND m.enrolled_on <= ");
        filter.bind(month.last_day().to_string());
        push_scope(scope, "m.region", "m.enterprise_id", &mut filter);
        region_filter(region, "m.region", &mut filter)?;
        if outstanding {
            filter.push(" AND (r.submitted_on > ").bind(due.clone());
            if overdue {
                filter.push(" OR r.id IS NULL");
            }
            filter.push(")");
        }
        let from = "FROM monitored_enterprise m JOIN enterprise e ON e.id = m.enterprise_id \
             LEFT JOIN monitoring_report r ON r.enterprise_id = m.enterprise_id AND r.month = ";
        let mut count = Sql::new(&format!("SELECT COUNT(*) AS n {from}"));
        count.bind(month.to_string()).append(&filter);
        let total: i64 = count
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let mut sql = Sql::new(&format!(
            "SELECT m.enterprise_id, e.name, m.region, r.id AS report_id, r.status, r.submitted_on, \
             (SELECT MAX(c.at) FROM monitoring_chase c WHERE c.enterprise_id = m.enterprise_id \
              AND c.month = $1) AS chased_at {from}$1"
        ));
        sql.arg(month.to_string()).append(&filter);
        sql.push(" ORDER BY m.region, m.enterprise_id LIMIT ")
            .bind(page.page_size)
            .push(" OFFSET ")
            .bind(page.offset());
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let rows = rows
            .iter()
            .map(|r| {
                let region: String = r.try_get("region")?;
                let submitted_on: Option<String> = r.try_get("submitted_on")?;
                let late = match &submitted_on {
                    Some(on) => *on > due,
                    None => overdue,
                };
                Ok(StatusRow {
                    enterprise_id: r.try_get("enterprise_id")?,
                    enterprise_name: r.try_get("name")?,
                    region_name: region_name(&region),
                    region,
                    report_id: r.try_get("report_id")?,
                    status: r.try_get("status")?,
                    submitted_on,
                    late,
                    chased_at: r.try_get("chased_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            total,
            page: page.page,
            page_size: page.page_size,
            rows,
        })
    }

    /// Records a reminder (催报) to each enterprise of the caller's scope; returns how many.
    pub async fn chase(
        &self,
        scope: &Scope,
        actor: &str,
        month: Month,
        ids: &[i64],
    ) -> Result<usize> {
        check_month_open(month, self.today(), "催报")?;
        let mut n = 0;
        for id in ids {
            self.enrolment(scope, *id).await?;
            let mut sql = Sql::new(
                "INSERT INTO monitoring_chase (enterprise_id, month, username, at) VALUES ",
            );
            sql.bind_list([
                (*id).into(),
                month.to_string().into(),
                actor.into(),
                now().into(),
            ]);
            sql.query(self.backend).execute(&self.pool).await?;
            n += 1;
        }
        Ok(n)
    }

    /// The months an enterprise has been reminded of and has not yet reported.
    pub async fn reminders(&self, enterprise_id: i64) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT c.month FROM monitoring_chase c WHERE c.enterprise_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM monitoring_report r WHERE r.enterprise_id = c.enterprise_id AND r.month = c.month) \
             ORDER BY c.month",
        )
        .bind(enterprise_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("month")?)).collect()
    }
}
