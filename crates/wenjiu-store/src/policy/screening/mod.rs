//! 政策筛查（免申即享）: the catalogue, or one policy, evaluated in batch over the registry of a
//! region at a date; every potential beneficiary stored with policy and amount, after the
//! exclusion groups and once-per-subject limits, and without the subjects a standing grant
//! already covers ([`grants`]); summarised per city and policy. Results confirmed for
//! payment become grants, listed in the ledger ([`ledger`]).
//!
//! A run is recorded first (`running`), then [`Store::run_screening`] reads the frames
//! ([`frames`]), evaluates them, applies the [`limits`] and writes the results of the run in
//! one transaction with its totals (`done`), or records the error (`failed`). A run's results
//! are its own: running again makes a new run.

pub mod frames;
mod grants;
mod ledger;
pub mod limits;
mod open;
mod placements;
mod read;
mod what_if;
mod within;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use wenjiu_core::RegionPrefix;
use wenjiu_rules::{Parameters, PolicyResults, PolicySet, SubjectKind, evaluate_batch};

pub use grants::{GrantOutcome, GrantRefusal, GrantRequest};
pub use ledger::{FundTotal, GrantRow, PolicyTotal};
pub use read::{
    Beneficiary, ResultFilter, RunRow, ScreeningResult, Summary, SummaryCell, SummaryTotal,
};
pub use what_if::{AssumedValue, WhatIf, WhatIfRow};
pub use within::Within;

use self::frames::Subjects;
use self::limits::{Grant, grants_of};
use super::Catalogue;
use super::overrides::invalid;
use crate::error::{Result, StoreError};
use crate::registry::date_text;
use crate::sql::{Sql, Val};
use crate::{Scope, Store, now};

/// What to screen.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ScreeningRequest {
    /// The date the policies are evaluated at.
    pub date: NaiveDate,
    /// A region prefix within the caller's scope (21, 2101, 210102); the caller's whole
    /// scope when left out.
    pub region: Option<String>,
    /// One policy id; the whole catalogue when left out.
    pub policy: Option<String>,
}

/// A finished run's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RunTotals {
    pub subjects: i64,
    pub beneficiaries: i64,
    pub amount_fen: i64,
    /// Policy × subject pairs left out because a standing grant already covered the subject
    /// (a person hired twice is one subject of a policy granted once per person).
    pub already_granted: i64,
}

/// Results written per statement (9 values each).
const INSERT_CHUNK: usize = 1000;

/// The region a request screens: the one asked for, which must lie in `scope`, or the scope
/// (for the operator's command line, the whole registry: "").
fn screened_region(scope: &Scope, asked: Option<&str>) -> Result<String> {
    let asked = asked.map(str::trim).filter(|r| !r.is_empty());
    let region = asked
        .map(|r| RegionPrefix::parse(r).map_err(|e| invalid("region", "地区", e.to_string())))
        .transpose()?;
    match (scope, region) {
        (Scope::Region(p), None) => Ok(p.as_str().to_string()),
        (Scope::Region(p), Some(r)) if p.covers(&r) => Ok(r.as_str().to_string()),
        (Scope::All, Some(r)) => Ok(r.as_str().to_string()),
        (Scope::All, None) => Ok(String::new()),
        (_, Some(r)) => Err(StoreError::OutOfScope(format!(
            "{}不在您的数据范围内，无权筛查",
            r.region().full_name()
        ))),
        (Scope::Enterprise(_), None) => Err(StoreError::OutOfScope(
            "企业用户无权进行政策筛查".to_string(),
        )),
    }
}

impl Store {
    /// Records a screening run of `req` by `actor` within `scope` (status `running`) after
    /// checking the region and the policy; returns its id. `job` is the background job that
    /// shows its progress, if any.
    pub async fn start_screening(
        &self,
        scope: &Scope,
        actor: &str,
        cat: &Catalogue,
        req: &ScreeningRequest,
        job: Option<i64>,
    ) -> Result<i64> {
        let region = screened_region(scope, req.region.as_deref())?;
        let policy = req
            .policy
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(id) = policy
            && cat.set.get(id).is_none()
        {
            return Err(invalid(
                "policy",
                "政策",
                format!("政策清单中没有编号为“{id}”的政策"),
            ));
        }
        let mut sql = Sql::new(
            "INSERT INTO screening_run (job_id, started_by, started_at, as_of, region, policy_id, status) VALUES ",
        );
        sql.bind_list([
            Val::from(job),
            actor.into(),
            now().into(),
            date_text(req.date).into(),
            region.into(),
            policy.map(str::to_string).into(),
            "running".into(),
        ])
        .push(" RETURNING id");
        let row = sql.query(self.backend).fetch_one(&self.pool).await?;
        Ok(row.try_get("id")?)
    }

    /// Runs the screening recorded as `run` with the catalogue `cat` and the parameters in
    /// force (the files' values and those entered by staff); `progress` is told the subjects
    /// read so far. The outcome is recorded on the run either way.
    pub async fn run_screening(
        &self,
        run: i64,
        cat: &Catalogue,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<RunTotals> {
        let outcome = self.screen(run, cat, progress).await;
        if let Err(e) = &outcome {
            let message = match e {
                StoreError::Database(_) | StoreError::Sqlite(_) => {
                    "数据库错误，筛查未完成".to_string()
                }
                e => e.to_string(),
            };
            sqlx::query(
                "UPDATE screening_run SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3",
            )
            .bind(message)
            .bind(now())
            .bind(run)
            .execute(&self.pool)
            .await?;
        }
        outcome
    }

    async fn screen(
        &self,
        run: i64,
        cat: &Catalogue,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<RunTotals> {
        let row = sqlx::query("SELECT as_of, region, policy_id FROM screening_run WHERE id = $1")
            .bind(run)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let date = crate::registry::decode(&row, "as_of", crate::registry::parse_date)?;
        let region: String = row.try_get("region")?;
        let only: Option<String> = row.try_get("policy_id")?;
        let params = self.policy_params(&cat.params).await?;
        let mut results = Vec::new();
        let mut subjects = 0u64;
        let mut already_granted = 0;
        for kind in [
            SubjectKind::Person,
            SubjectKind::Enterprise,
            SubjectKind::Hire,
        ] {
            let Some(set) = kind_set(cat, &params, kind, only.as_deref())? else {
                continue;
            };
            let before = subjects;
            let read = |n: u64| progress(before + n);
            let frame = self
                .screening_frame(kind, Within::Region(&region), date, &read)
                .await?;
            subjects += frame.ids.len() as u64;
            let (frame, set, mut evaluated) = evaluated(set, frame, date, &params).await?;
            let barred = self.barred(&cat.set, kind.name(), date).await?;
            already_granted += barred.drop_barred(&mut evaluated, &frame.ids);
            results.push((kind, frame, set, evaluated));
        }
        let mut totals = RunTotals {
            subjects: subjects as i64,
            already_granted,
            ..RunTotals::default()
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM screening_result WHERE run_id = $1")
            .bind(run)
            .execute(&mut *tx)
            .await?;
        for (kind, frame, set, evaluated) in &results {
            let grants = granted(set, evaluated, frame);
            totals.beneficiaries += grants.len() as i64;
            totals.amount_fen += grants.iter().map(|g| g.amount_fen).sum::<i64>();
            for chunk in grants.chunks(INSERT_CHUNK) {
                let mut sql = Sql::new(
                    "INSERT INTO screening_result (run_id, policy_id, subject_kind, subject_id, \
                     person_id, enterprise_id, region, amount_fen) VALUES ",
                );
                for g in chunk.iter() {
                    let id = frame.ids[g.row];
                    sql.bind_row([
                        Val::from(run),
                        set.policies()[g.policy].id.as_str().into(),
                        kind.name().into(),
                        id.subject.into(),
                        id.person.into(),
                        id.enterprise.into(),
                        frame.regions[g.row].as_str().into(),
                        g.amount_fen.into(),
                    ]);
                }
                sql.query(self.backend).execute(&mut *tx).await?;
            }
        }
        sqlx::query(
            "UPDATE screening_run SET status = 'done', subjects = $1, beneficiaries = $2, \
             amount_fen = $3, already_granted = $4, finished_at = $5 WHERE id = $6",
        )
        .bind(totals.subjects)
        .bind(totals.beneficiaries)
        .bind(totals.amount_fen)
        .bind(totals.already_granted)
        .bind(now())
        .bind(run)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(totals)
    }
}

/// The policies of the catalogue about subjects of `kind` (only the one with id `only`, if
/// given), with the parameters in force; none when there are none.
pub fn kind_set(
    cat: &Catalogue,
    params: &Parameters,
    kind: SubjectKind,
    only: Option<&str>,
) -> Result<Option<PolicySet>> {
    let policies: Vec<_> = cat
        .set
        .policies()
        .iter()
        .filter(|p| p.subject == kind && only.is_none_or(|id| id == p.id))
        .cloned()
        .collect();
    if policies.is_empty() {
        return Ok(None);
    }
    PolicySet::new(policies, params).map(Some).map_err(rules)
}

fn rules(e: wenjiu_rules::Error) -> StoreError {
    invalid("policy", "政策", e.to_string())
}

/// `set` evaluated in batch over `frame`, off the async workers: it keeps every core busy.
pub(crate) async fn evaluated(
    set: PolicySet,
    frame: Subjects,
    date: NaiveDate,
    params: &Parameters,
) -> Result<(Subjects, PolicySet, Vec<PolicyResults>)> {
    let params = params.clone();
    let (frame, set, evaluated) = tokio::task::spawn_blocking(move || {
        let r = evaluate_batch(&set, &frame.frame, date, &params);
        (frame, set, r)
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("筛查计算中断：{e}")))?;
    Ok((frame, set, evaluated.map_err(rules)?))
}

/// The grants of a kind's batch results after the limits.
pub(crate) fn granted(
    set: &PolicySet,
    evaluated: &[PolicyResults],
    frame: &Subjects,
) -> Vec<Grant> {
    grants_of(set, evaluated, |row| frame.ids[row].limit_keys())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(p: &str) -> Scope {
        Scope::Region(RegionPrefix::parse(p).unwrap())
    }

    #[test]
    fn the_region_screened_lies_in_the_scope() {
        assert_eq!(screened_region(&prefix("2101"), None).unwrap(), "2101");
        assert_eq!(
            screened_region(&prefix("2101"), Some("210102")).unwrap(),
            "210102"
        );
        assert_eq!(
            screened_region(&prefix("21"), Some("2102")).unwrap(),
            "2102"
        );
        let e = screened_region(&prefix("2101"), Some("2102")).unwrap_err();
        assert!(matches!(e, StoreError::OutOfScope(_)), "{e}");
        assert!(e.to_string().contains("大连市"), "{e}");
        let e = screened_region(&prefix("21"), Some("99")).unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        assert_eq!(screened_region(&Scope::All, None).unwrap(), "");
        assert!(screened_region(&Scope::Enterprise(1), None).is_err());
    }
}
