//! Loading many months of reports at once (the demo province, benchmarks): every row checked
//! by the same rules as a submission, each enterprise's months in order so that each report's
//! base is the one before it, written in batches with the review steps its status implies.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::Row;
use wenjiu_core::Month;
use wenjiu_core::monitoring::report::Context;
use wenjiu_core::monitoring::{ReportInput, ReportStatus};

use super::corrupt;
use crate::error::{Result, StoreError};
use crate::sql::{Sql, Val};
use crate::{Store, now};

/// One report to load.
#[derive(Debug, Clone)]
pub struct BulkReport {
    pub enterprise_id: i64,
    pub month: Month,
    pub input: ReportInput,
    pub status: ReportStatus,
    pub submitted_on: NaiveDate,
}

/// Rows per INSERT: 17 values each, under PostgreSQL's 65,535 parameters.
const BATCH: usize = 1000;

impl Store {
    /// Loads `rows`, ordered by enterprise and month, for enrolled enterprises. Fails on the
    /// first row that breaks a rule, naming the enterprise and month; nothing after it is
    /// written. Returns the number of reports written.
    pub async fn load_reports(&self, actor: &str, rows: &[BulkReport]) -> Result<usize> {
        let mut enrolled: HashMap<i64, (String, i64)> = HashMap::new();
        for r in sqlx::query("SELECT enterprise_id, region, baseline FROM monitored_enterprise")
            .fetch_all(&self.pool)
            .await?
        {
            enrolled.insert(
                r.try_get("enterprise_id")?,
                (r.try_get("region")?, r.try_get("baseline")?),
            );
        }
        let reported: HashSet<i64> =
            sqlx::query("SELECT DISTINCT enterprise_id FROM monitoring_report")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("enterprise_id"))
                .collect::<std::result::Result<_, _>>()?;
        let dict = self.report_dictionaries().await?;
        let mut last: Option<(i64, Month, i64)> = None;
        let mut checked = Vec::with_capacity(rows.len());
        for row in rows {
            let (region, baseline) = enrolled.get(&row.enterprise_id).ok_or_else(|| {
                StoreError::Conflict(format!("企业 {} 不在监测样本中", row.enterprise_id))
            })?;
            let previous = match last {
                Some((id, month, headcount)) if id == row.enterprise_id => {
                    if row.month <= month {
                        return Err(StoreError::Conflict(format!(
                            "企业 {} 的月报未按月份排列（{} 在 {month} 之后）",
                            row.enterprise_id, row.month
                        )));
                    }
                    headcount
                }
                _ if reported.contains(&row.enterprise_id) => {
                    self.previous_headcount(row.enterprise_id, row.month, *baseline)
                        .await?
                }
                _ => *baseline,
            };
            let problems = row.input.check(&Context {
                baseline: *baseline,
                previous,
                decrease_types: &dict.types,
                decrease_reasons: &dict.reasons,
            });
            if let Some(p) = problems.first() {
                return Err(StoreError::Conflict(format!(
                    "企业 {} {} 月报：{}",
                    row.enterprise_id, row.month, p.message
                )));
            }
            last = Some((row.enterprise_id, row.month, row.input.headcount));
            checked.push((row, region.as_str(), *baseline, previous));
        }
        let at = now();
        for chunk in checked.chunks(BATCH) {
            let mut sql = Sql::new(
                "INSERT INTO monitoring_report (enterprise_id, month, region, baseline, previous, \
                 headcount, new_hires, decrease, decrease_type, reasons, main_reason, status, \
                 on_behalf, submitted_by, submitted_on, submitted_at, updated_at) VALUES ",
            );
            for (row, region, baseline, previous) in chunk.iter() {
                let reasons = serde_json::to_string(&row.input.reasons)
                    .map_err(|e| corrupt("减员原因", e))?;
                sql.bind_row([
                    Val::from(row.enterprise_id),
                    row.month.to_string().into(),
                    (*region).into(),
                    (*baseline).into(),
                    (*previous).into(),
                    row.input.headcount.into(),
                    row.input.new_hires.into(),
                    row.input.decrease.into(),
                    row.input.decrease_type.clone().into(),
                    reasons.into(),
                    row.input.reasons.first().map(|r| r.code.clone()).into(),
                    row.status.code().into(),
                    false.into(),
                    actor.into(),
                    row.submitted_on.to_string().into(),
                    at.clone().into(),
                    at.clone().into(),
                ]);
            }
            sql.push(" RETURNING id");
            let ids = sql.query(self.backend).fetch_all(&self.pool).await?;
            let mut reviews = Sql::new(
                "INSERT INTO monitoring_review (report_id, action, tier, status, comment, username, at) VALUES ",
            );
            let mut first = true;
            for (id, (row, ..)) in ids.iter().zip(chunk) {
                let id: i64 = id.try_get("id")?;
                for (action, tier, status, comment) in review_steps(row.status) {
                    if !first {
                        reviews.push(", ");
                    }
                    first = false;
                    reviews.bind_list([
                        Val::from(id),
                        action.into(),
                        tier.into(),
                        status.code().into(),
                        comment.into(),
                        actor.into(),
                        at.clone().into(),
                    ]);
                }
            }
            reviews.query(self.backend).execute(&self.pool).await?;
        }
        let months: std::collections::BTreeSet<Month> = rows.iter().map(|r| r.month).collect();
        for month in months {
            self.rebuild_monitoring_figures(month).await?;
        }
        Ok(checked.len())
    }
}

/// The review steps that lead to `status`.
fn review_steps(
    status: ReportStatus,
) -> Vec<(&'static str, &'static str, ReportStatus, &'static str)> {
    use ReportStatus::*;
    let submit = ("submit", "enterprise", Submitted, "");
    let local = ("approve", "local", LocalApproved, "");
    match status {
        Submitted => vec![submit],
        Returned => vec![
            submit,
            ("return", "local", Returned, "减员原因说明不充分，请补充"),
        ],
        LocalApproved => vec![submit, local],
        Closed => vec![submit, local, ("approve", "province", Closed, "")],
    }
}
