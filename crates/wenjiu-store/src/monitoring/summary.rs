//! The monitoring figures of a region and month: totals, each subregion, industry and
//! ownership type, the leading decrease types and reasons, the trend over the past year, and
//! the warnings. Returned reports are left out until they are corrected.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::indicators::Ratio;
use wenjiu_core::monitoring::{Figures, Level};
use wenjiu_core::{Month, RegionCode, RegionLevel};

use super::push_scope;
use super::reports::Dictionaries;
use super::sample::{industry_label, ownership_label};
use crate::error::Result;
use crate::registry::region_name;
use crate::sql::Sql;
use crate::{Scope, Store};

/// One group's figures with its rates, exact ("3/250") and as a percentage to two decimals.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupFigures {
    pub code: String,
    pub name: String,
    pub enterprises: i64,
    pub baseline: i64,
    pub previous: i64,
    pub headcount: i64,
    pub new_hires: i64,
    pub decrease: i64,
    pub net_change: i64,
    /// 岗位流失率 against 建档期.
    #[schema(value_type = Option<String>)]
    pub loss_rate: Option<Ratio>,
    pub loss_rate_pct: Option<String>,
    /// 岗位流失率 against last month.
    #[schema(value_type = Option<String>)]
    pub monthly_loss_rate: Option<Ratio>,
    pub monthly_loss_rate_pct: Option<String>,
}

impl GroupFigures {
    pub fn new(code: String, name: String, f: Figures) -> GroupFigures {
        let pct = |r: Option<Ratio>| r.map(|r| r.round_percent(2).to_string());
        GroupFigures {
            code,
            name,
            enterprises: f.enterprises,
            baseline: f.baseline,
            previous: f.previous,
            headcount: f.headcount,
            new_hires: f.new_hires,
            decrease: f.decrease,
            net_change: f.net_change(),
            loss_rate: f.loss_rate(),
            loss_rate_pct: pct(f.loss_rate()),
            monthly_loss_rate: f.monthly_loss_rate(),
            monthly_loss_rate_pct: pct(f.monthly_loss_rate()),
        }
    }
}

/// People who left for one decrease type or reason (the report's main one).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReasonCount {
    pub code: String,
    pub label: String,
    pub enterprises: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LevelCount {
    /// red | orange | yellow
    pub level: String,
    pub label: String,
    /// Not yet closed.
    pub open: i64,
    pub total: i64,
}

/// A subregion's warnings not yet closed, and the most severe of them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionWarnings {
    /// The subregion's code (as in `subregions`).
    pub code: String,
    pub open: i64,
    /// red | orange | yellow
    pub worst_level: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonitoringSummary {
    pub region: String,
    pub region_name: String,
    pub month: String,
    /// Active enterprises of the sample enrolled by the month.
    pub sample: i64,
    /// Their 建档期就业人数.
    pub sample_baseline: i64,
    /// Of which reported (returned reports included).
    pub reported: i64,
    pub total: GroupFigures,
    pub subregions: Vec<GroupFigures>,
    /// Open warnings per subregion with at least one.
    pub subregion_warnings: Vec<RegionWarnings>,
    pub industries: Vec<GroupFigures>,
    pub ownerships: Vec<GroupFigures>,
    pub decrease_types: Vec<ReasonCount>,
    pub reasons: Vec<ReasonCount>,
    /// The twelve months before and the month itself, oldest first; `code` is the month.
    pub trend: Vec<GroupFigures>,
    pub warnings: Vec<LevelCount>,
}

/// PostgreSQL sums BIGINT into NUMERIC: cast back so both backends answer integers.
const SUMS: &str = "CAST(SUM(f.enterprises) AS BIGINT) AS n, CAST(SUM(f.baseline) AS BIGINT) AS baseline, \
     CAST(SUM(f.previous) AS BIGINT) AS previous, CAST(SUM(f.headcount) AS BIGINT) AS headcount, \
     CAST(SUM(f.new_hires) AS BIGINT) AS new_hires, CAST(SUM(f.decrease) AS BIGINT) AS decrease";

fn figures(r: &AnyRow) -> Result<Figures> {
    let sum = |c: &str| -> Result<i64> { Ok(r.try_get::<Option<i64>, _>(c)?.unwrap_or(0)) };
    Ok(Figures {
        enterprises: sum("n")?,
        baseline: sum("baseline")?,
        previous: sum("previous")?,
        headcount: sum("headcount")?,
        new_hires: sum("new_hires")?,
        decrease: sum("decrease")?,
    })
}

/// The rows figures are summed from, as `f`: the kept sums (see `figures.rs`) for a region
/// scope, or an enterprise's own counted reports shaped like them.
fn source(scope: &Scope, reasons: bool) -> Sql {
    match (scope, reasons) {
        (Scope::Enterprise(id), false) => {
            let mut sql = Sql::new(
                "(SELECT r.month, r.region, e.industry, e.ownership, 1 AS enterprises, r.baseline, \
                 r.previous, r.headcount, r.new_hires, r.decrease FROM monitoring_report r \
                 JOIN enterprise e ON e.id = r.enterprise_id \
                 WHERE r.status <> 'returned' AND r.enterprise_id = ",
            );
            sql.bind(*id).push(") f");
            sql
        }
        (Scope::Enterprise(id), true) => {
            let mut sql = Sql::new(
                "(SELECT r.month, r.region, COALESCE(r.decrease_type, '') AS decrease_type, \
                 COALESCE(r.main_reason, '') AS main_reason, 1 AS enterprises, \
                 r.previous - r.headcount AS people FROM monitoring_report r \
                 WHERE r.status <> 'returned' AND r.headcount < r.previous AND r.enterprise_id = ",
            );
            sql.bind(*id).push(") f");
            sql
        }
        (_, false) => Sql::new("monitoring_figures f"),
        (_, true) => Sql::new("monitoring_reason_figures f"),
    }
}

/// `WHERE` months `from..=to` within `region` and the scope.
fn within(scope: &Scope, region: Option<RegionCode>, from: Month, to: Month) -> Sql {
    let mut sql = Sql::new(" WHERE f.month >= ");
    sql.bind(from.to_string())
        .push(" AND f.month <= ")
        .bind(to.to_string());
    if let Some(region) = region {
        Scope::push_region(region.prefix().as_str(), "f.region", &mut sql);
    }
    if let Scope::Region(p) = scope {
        Scope::push_region(p.as_str(), "f.region", &mut sql);
    }
    sql
}

impl Store {
    /// The figures of `from..=to` within `region` grouped by `key` (a column of `f`).
    pub(crate) async fn grouped(
        &self,
        scope: &Scope,
        region: Option<RegionCode>,
        (from, to): (Month, Month),
        key: &str,
    ) -> Result<Vec<(String, Figures)>> {
        let mut sql = Sql::new(&format!("SELECT {key} AS k, {SUMS} FROM "));
        sql.append(&source(scope, false))
            .append(&within(scope, region, from, to))
            .push(&format!(" GROUP BY {key} ORDER BY {key}"));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>("k")?, figures(r)?)))
            .collect()
    }

    pub async fn monitoring_summary(
        &self,
        scope: &Scope,
        region: RegionCode,
        month: Month,
    ) -> Result<MonitoringSummary> {
        let at = (month, month);
        let inside = Some(region);
        let total = self
            .grouped(scope, inside, at, "f.month")
            .await?
            .pop()
            .map(|(_, f)| f)
            .unwrap_or_default();
        let (subregions, subregion_warnings) = match region.level() {
            RegionLevel::County => (vec![], vec![]),
            level => {
                let digits = if level == RegionLevel::Province { 4 } else { 6 };
                let key = format!("SUBSTR(f.region, 1, {digits})");
                let figures = self
                    .grouped(scope, inside, at, &key)
                    .await?
                    .into_iter()
                    .map(|(code, f)| {
                        let padded = format!("{code:0<6}");
                        GroupFigures::new(padded.clone(), region_name(&padded), f)
                    })
                    .collect();
                let warnings = self
                    .open_warnings_by_subregion(scope, region, month, digits)
                    .await?;
                (figures, warnings)
            }
        };
        let labelled = |rows: Vec<(String, Figures)>, label: fn(&str) -> String| {
            rows.into_iter()
                .map(|(code, f)| GroupFigures::new(code.clone(), label(&code), f))
                .collect::<Vec<_>>()
        };
        let industries = labelled(
            self.grouped(scope, inside, at, "f.industry").await?,
            industry_label,
        );
        let ownerships = labelled(
            self.grouped(scope, inside, at, "f.ownership").await?,
            ownership_label,
        );
        let trend = self
            .grouped(
                scope,
                inside,
                (month.saturating_add_months(-12), month),
                "f.month",
            )
            .await?
            .into_iter()
            .map(|(m, f)| GroupFigures::new(m.clone(), m, f))
            .collect();
        let (decrease_types, reasons) = self.reason_counts(scope, region, month).await?;
        let mut sample = Sql::new(
            "SELECT COUNT(*) AS n, CAST(SUM(m.baseline) AS BIGINT) AS b FROM monitored_enterprise m \
             WHERE m.active = 1 AND m.enrolled_on <= ",
        );
        sample.bind(month.last_day().to_string());
        Scope::push_region(region.prefix().as_str(), "m.region", &mut sample);
        push_scope(scope, "m.region", "m.enterprise_id", &mut sample);
        let sample = sample.query(self.backend).fetch_one(&self.pool).await?;
        let (sample, sample_baseline): (i64, i64) = (
            sample.try_get("n")?,
            sample.try_get::<Option<i64>, _>("b")?.unwrap_or(0),
        );
        let mut reported =
            Sql::new("SELECT COUNT(*) AS n FROM monitoring_report r WHERE r.month = ");
        reported.bind(month.to_string());
        Scope::push_region(region.prefix().as_str(), "r.region", &mut reported);
        push_scope(scope, "r.region", "r.enterprise_id", &mut reported);
        let reported: i64 = reported
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(MonitoringSummary {
            region: region.to_string(),
            region_name: region.full_name(),
            month: month.to_string(),
            sample,
            sample_baseline,
            reported,
            total: GroupFigures::new(region.to_string(), region.full_name(), total),
            subregions,
            subregion_warnings,
            industries,
            ownerships,
            decrease_types,
            reasons,
            trend,
            warnings: self.warning_counts(scope, region, month).await?,
        })
    }

    /// People who left by decrease type and by main reason, largest first.
    async fn reason_counts(
        &self,
        scope: &Scope,
        region: RegionCode,
        month: Month,
    ) -> Result<(Vec<ReasonCount>, Vec<ReasonCount>)> {
        let dict = self.report_dictionaries().await?;
        let mut out = Vec::new();
        for (column, table) in [
            ("decrease_type", &dict.types),
            ("main_reason", &dict.reasons),
        ] {
            let mut sql = Sql::new(&format!(
                "SELECT f.{column} AS k, CAST(SUM(f.enterprises) AS BIGINT) AS n, \
                 CAST(SUM(f.people) AS BIGINT) AS people FROM "
            ));
            sql.append(&source(scope, true))
                .append(&within(scope, Some(region), month, month))
                .push(&format!(" AND f.{column} <> '' GROUP BY f.{column}"));
            let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
            let mut list = rows
                .iter()
                .map(|r| {
                    let code: String = r.try_get("k")?;
                    Ok(ReasonCount {
                        label: Dictionaries::label(table, &code),
                        code,
                        enterprises: r.try_get::<Option<i64>, _>("n")?.unwrap_or(0),
                        people: r.try_get::<Option<i64>, _>("people")?.unwrap_or(0),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            list.sort_by(|a, b| b.people.cmp(&a.people).then(a.code.cmp(&b.code)));
            out.push(list);
        }
        let reasons = out.pop().unwrap_or_default();
        Ok((out.pop().unwrap_or_default(), reasons))
    }

    /// Each subregion's open warnings (the first `digits` of their region) and the worst level.
    async fn open_warnings_by_subregion(
        &self,
        scope: &Scope,
        region: RegionCode,
        month: Month,
        digits: usize,
    ) -> Result<Vec<RegionWarnings>> {
        let key = format!("SUBSTR(w.region, 1, {digits})");
        let mut sql = Sql::new(&format!(
            "SELECT {key} AS k, w.level, COUNT(*) AS n FROM warning w \
             WHERE w.status NOT IN ('closed', 'cleared') AND w.month = "
        ));
        sql.bind(month.to_string());
        Scope::push_region(region.prefix().as_str(), "w.region", &mut sql);
        push_scope(scope, "w.region", "w.enterprise_id", &mut sql);
        sql.push(&format!(" GROUP BY {key}, w.level ORDER BY {key}"));
        let mut out: Vec<RegionWarnings> = Vec::new();
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let code = format!("{:0<6}", r.try_get::<String, _>("k")?);
            let level = Level::parse(&r.try_get::<String, _>("level")?);
            let n: i64 = r.try_get("n")?;
            if out.last().is_none_or(|w| w.code != code) {
                out.push(RegionWarnings {
                    code,
                    open: 0,
                    worst_level: None,
                });
            }
            let w = out.last_mut().expect("just pushed");
            w.open += n;
            let worst = w.worst_level.as_deref().and_then(Level::parse);
            if let Some(l) = level.filter(|l| worst.is_none_or(|x| l.at_least(x))) {
                w.worst_level = Some(l.code().to_string());
            }
        }
        Ok(out)
    }

    async fn warning_counts(
        &self,
        scope: &Scope,
        region: RegionCode,
        month: Month,
    ) -> Result<Vec<LevelCount>> {
        let mut sql = Sql::new(
            "SELECT w.level, COUNT(*) AS n, CAST(SUM(CASE WHEN w.status <> 'closed' THEN 1 ELSE 0 END) AS BIGINT) AS open \
             FROM warning w WHERE w.status <> 'cleared' AND w.month = ",
        );
        sql.bind(month.to_string());
        Scope::push_region(region.prefix().as_str(), "w.region", &mut sql);
        push_scope(scope, "w.region", "w.enterprise_id", &mut sql);
        sql.push(" GROUP BY w.level");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        Level::ALL
            .iter()
            .map(|l| {
                let row = rows
                    .iter()
                    .find(|r| r.try_get::<String, _>("level").ok().as_deref() == Some(l.code()));
                let (total, open) = match row {
                    Some(r) => (
                        r.try_get::<i64, _>("n")?,
                        r.try_get::<Option<i64>, _>("open")?.unwrap_or(0),
                    ),
                    None => (0, 0),
                };
                Ok(LevelCount {
                    level: l.code().into(),
                    label: l.label().into(),
                    open,
                    total,
                })
            })
            .collect()
    }
}
