//! 补贴发放确认: screening results an officer confirms for payment (grants), revoked with a
//! reason, and the bar a standing grant puts on its subject (decision 0019). A policy granted
//! once per subject is not granted to that subject again, and a subject holding one policy of
//! an exclusion group gets no other of it. A policy paid per period (`granted_per`: a year, a
//! month) is barred within the period of the grant's screening date; one whose period the
//! catalogue leaves open only at the same date, so that the same run or a repeat of it cannot
//! be confirmed twice.

use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_rules::{GrantPeriod, Policy, PolicyResults, PolicySet};

use super::ResultFilter;
use super::frames::RowId;
use super::limits::SubjectKey;
use super::read::results_of;
use crate::error::{Result, StoreError};
use crate::policy::Catalogue;
use crate::policy::overrides::invalid;
use crate::registry::{date_text, decode, parse_date};
use crate::sql::{Sql, Val};
use crate::{Backend, Scope, Store, now};

/// Which results of a run to confirm.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct GrantRequest {
    /// These results of the run; when left out, every pending result of the run that
    /// matches the filters below, within the caller's scope.
    pub result_ids: Option<Vec<i64>>,
    pub policy: Option<String>,
    pub region: Option<String>,
    /// person | enterprise | hire
    pub kind: Option<String>,
}

/// A result not confirmed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GrantRefusal {
    pub result_id: i64,
    pub policy_id: String,
    pub reason: String,
}

/// What a confirmation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GrantOutcome {
    pub granted: i64,
    pub amount_fen: i64,
    /// Every result refused; `refusals` lists the first `MAX_REFUSALS` of them.
    pub refused: i64,
    pub refusals: Vec<GrantRefusal>,
}

/// Result ids one request may name.
const MAX_IDS: usize = 1000;
const MAX_REFUSALS: usize = 100;
/// Grants written per statement (12 values each).
const INSERT_CHUNK: usize = 1000;

/// The subjects the policies of a catalogue may no longer be granted to, each with the policy
/// whose standing grant bars it.
pub(crate) struct Barred<'c> {
    set: &'c PolicySet,
    /// The date of the results being barred.
    date: NaiveDate,
    /// (policy, subject counted once) → the policy granted.
    once: HashMap<(&'c str, SubjectKey), &'c str>,
    /// (policy, subject of the exclusion group) → the policy granted.
    group: HashMap<(&'c str, SubjectKey), &'c str>,
}

impl<'c> Barred<'c> {
    pub(crate) fn new(set: &'c PolicySet, date: NaiveDate) -> Self {
        Barred {
            set,
            date,
            once: HashMap::new(),
            group: HashMap::new(),
        }
    }

    /// Records a standing grant of `policy` to `who` made at `as_of`. A policy no longer in
    /// the catalogue bars nothing: nothing could be granted under it.
    pub(crate) fn add(&mut self, policy: &str, who: RowId, as_of: NaiveDate) {
        let Some(granted) = self.set.get(policy) else {
            return;
        };
        let keys = who.limit_keys();
        let same_period = |q: &Policy| {
            q.granted_per
                .map_or(as_of == self.date, |per| per.same(as_of, self.date))
        };
        for p in self.set.policies() {
            let for_ever = p.once_per_subject || granted.once_per_subject;
            let barred = for_ever || same_period(granted) || same_period(p);
            if p.subject != granted.subject || !barred {
                continue;
            }
            if p.id == granted.id {
                self.once.insert((&p.id, keys.once), &granted.id);
            } else if p.exclusion_group.is_some() && p.exclusion_group == granted.exclusion_group {
                self.group.insert((&p.id, keys.group), &granted.id);
            }
        }
    }

    /// The policy whose standing grant bars `policy` for `who`, if any.
    pub(crate) fn bar(&self, policy: &str, who: RowId) -> Option<&'c str> {
        let keys = who.limit_keys();
        let once = self.once.get(&(policy, keys.once));
        once.or_else(|| self.group.get(&(policy, keys.group)))
            .copied()
    }

    /// Why `policy` cannot be granted to `who` again, if it cannot.
    fn reason(&self, policy: &str, who: RowId) -> Option<String> {
        let by = self.bar(policy, who)?;
        let p = self.set.get(by)?;
        Some(if by != policy {
            format!("已确认发放同类政策“{}”，不能同时享受", p.name)
        } else if p.once_per_subject {
            "已确认发放过该政策，每个对象限享受一次".to_string()
        } else {
            let within = match p.granted_per {
                Some(GrantPeriod::Year) => "本年度",
                Some(GrantPeriod::Month) => "本月",
                None => "同一筛查日期",
            };
            format!("{within}已确认发放过该政策")
        })
    }

    /// Drops from `results` (each a policy's, rows of a frame whose subjects are `ids`) the
    /// rows a standing grant bars; returns how many policy × subject pairs it left out (a
    /// person hired twice is one subject of a policy granted once per person).
    pub(crate) fn drop_barred(&self, results: &mut [PolicyResults], ids: &[RowId]) -> i64 {
        let mut left_out: HashSet<(usize, SubjectKey)> = HashSet::new();
        for (p, r) in results.iter_mut().enumerate() {
            let (rows, amounts): (Vec<u32>, Vec<i64>) = r
                .grants()
                .filter(|&(row, _)| {
                    let barred = self.bar(&r.policy_id, ids[row]).is_some();
                    if barred {
                        left_out.insert((p, ids[row].limit_keys().once));
                    }
                    !barred
                })
                .map(|(row, fen)| (row as u32, fen))
                .unzip();
            r.rows = rows;
            r.amounts_fen = amounts;
        }
        left_out.len() as i64
    }
}

/// The subject of a row of `policy_grant` or `screening_result`.
fn row_id(r: &AnyRow) -> Result<RowId> {
    Ok(RowId {
        subject: r.try_get("subject_id")?,
        person: r.try_get("person_id")?,
        enterprise: r.try_get("enterprise_id")?,
    })
}

/// The bar of the standing grants `rows` (selected by `STANDING`) on results at `date`.
fn barred_by<'c>(set: &'c PolicySet, date: NaiveDate, rows: &[AnyRow]) -> Result<Barred<'c>> {
    let mut barred = Barred::new(set, date);
    for r in rows {
        let policy: String = r.try_get("policy_id")?;
        barred.add(&policy, row_id(r)?, decode(r, "as_of", parse_date)?);
    }
    Ok(barred)
}

const STANDING: &str = "SELECT policy_id, subject_id, person_id, enterprise_id, as_of \
    FROM policy_grant WHERE revoked_at IS NULL";

/// The results a confirmation considers, with their standing grant if any.
const CANDIDATES: &str = "SELECT r.id, r.policy_id, r.subject_kind, r.subject_id, r.person_id, \
    r.enterprise_id, r.region, r.amount_fen, g.id AS grant_id FROM screening_result r \
    LEFT JOIN policy_grant g ON g.result_id = r.id AND g.revoked_at IS NULL WHERE 1 = 1";

impl Store {
    /// The standing grants of subjects of `kind`, barring results of `set` at `date`.
    pub(crate) async fn barred<'c>(
        &self,
        set: &'c PolicySet,
        kind: &str,
        date: NaiveDate,
    ) -> Result<Barred<'c>> {
        let mut sql = Sql::new(STANDING);
        sql.push(" AND subject_kind = ").bind(kind);
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        barred_by(set, date, &rows)
    }

    /// Confirms results of the finished run `run` as grants by `actor`: the ones named, or
    /// every pending one matching the filters, within the caller's scope. A result a standing
    /// grant bars is refused with the reason; the others are written in one transaction, which
    /// holds the write lock from reading the standing grants to writing, so that two
    /// confirmations cannot both grant the same subject.
    pub async fn confirm_grants(
        &self,
        scope: &Scope,
        actor: &str,
        cat: &Catalogue,
        run: i64,
        req: &GrantRequest,
    ) -> Result<GrantOutcome> {
        let screened = self.screening_run(scope, run).await?;
        if screened.status != "done" {
            return Err(invalid(
                "run",
                "筛查批次",
                "筛查尚未完成，不能确认发放".to_string(),
            ));
        }
        let date = parse_date(&screened.date).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let named = req.result_ids.as_deref().filter(|ids| !ids.is_empty());
        if named.is_some_and(|ids| ids.len() > MAX_IDS) {
            return Err(invalid(
                "result_ids",
                "筛查结果",
                format!("一次最多确认{MAX_IDS}条，请按筛选条件批量确认"),
            ));
        }
        let filter = ResultFilter {
            policy: req.policy.clone(),
            region: req.region.clone(),
            kind: req.kind.clone(),
            status: named.is_none().then(|| "pending".to_string()),
        };
        let mut sql = Sql::new(CANDIDATES);
        sql.append(&results_of(scope, run, &filter)?);
        if let Some(ids) = named {
            sql.push(" AND r.id IN ")
                .bind_list(ids.iter().map(|&id| Val::from(id)));
        }
        sql.push(" ORDER BY r.id");

        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        if self.backend == Backend::Postgres {
            // Readers go on; another confirmation waits for this one's commit.
            sqlx::query("LOCK TABLE policy_grant IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let candidates = sql.query(self.backend).fetch_all(&mut *tx).await?;
        let standing = Sql::new(STANDING)
            .query(self.backend)
            .fetch_all(&mut *tx)
            .await?;
        let mut barred = barred_by(&cat.set, date, &standing)?;

        let mut outcome = GrantOutcome::default();
        let mut refuse = |result_id: i64, policy_id: &str, reason: String| {
            outcome.refused += 1;
            if outcome.refusals.len() < MAX_REFUSALS {
                outcome.refusals.push(GrantRefusal {
                    result_id,
                    policy_id: policy_id.to_string(),
                    reason,
                });
            }
        };
        let mut accepted: Vec<&AnyRow> = Vec::new();
        for r in &candidates {
            let id: i64 = r.try_get("id")?;
            let policy: String = r.try_get("policy_id")?;
            let who = row_id(r)?;
            if r.try_get::<Option<i64>, _>("grant_id")?.is_some() {
                refuse(id, &policy, "已确认发放".to_string());
            } else if cat.set.get(&policy).is_none() {
                refuse(id, &policy, "政策清单中已没有该政策".to_string());
            } else if let Some(reason) = barred.reason(&policy, who) {
                refuse(id, &policy, reason);
            } else {
                barred.add(&policy, who, date);
                accepted.push(r);
            }
        }
        let found: HashSet<i64> = candidates
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
        for &id in named.unwrap_or_default() {
            if !found.contains(&id) {
                refuse(id, "", "不是本批次在您数据范围内的筛查结果".to_string());
            }
        }

        let (when, as_of) = (now(), date_text(date));
        for chunk in accepted.chunks(INSERT_CHUNK) {
            let mut insert = Sql::new(
                "INSERT INTO policy_grant (result_id, run_id, policy_id, subject_kind, subject_id, \
                 person_id, enterprise_id, region, amount_fen, as_of, granted_by, granted_at) \
                 VALUES ",
            );
            for r in chunk {
                let amount: i64 = r.try_get("amount_fen")?;
                outcome.granted += 1;
                outcome.amount_fen += amount;
                insert.bind_row([
                    Val::from(r.try_get::<i64, _>("id")?),
                    run.into(),
                    r.try_get::<String, _>("policy_id")?.into(),
                    r.try_get::<String, _>("subject_kind")?.into(),
                    r.try_get::<i64, _>("subject_id")?.into(),
                    r.try_get::<Option<i64>, _>("person_id")?.into(),
                    r.try_get::<Option<i64>, _>("enterprise_id")?.into(),
                    r.try_get::<String, _>("region")?.into(),
                    amount.into(),
                    as_of.as_str().into(),
                    actor.into(),
                    when.as_str().into(),
                ]);
            }
            insert.query(self.backend).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Revokes the standing grant `id` within the caller's scope, keeping who, when and why.
    pub async fn revoke_grant(
        &self,
        scope: &Scope,
        actor: &str,
        id: i64,
        reason: &str,
    ) -> Result<super::GrantRow> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "撤销原因", "请填写撤销原因".to_string()));
        }
        let grant = self.grant(scope, id).await?;
        if let Some(at) = &grant.revoked_at {
            return Err(StoreError::Conflict(format!("该发放记录已于{at}撤销")));
        }
        let done = sqlx::query(
            "UPDATE policy_grant SET revoked_by = $1, revoked_at = $2, revoke_reason = $3 \
             WHERE id = $4 AND revoked_at IS NULL",
        )
        .bind(actor)
        .bind(now())
        .bind(reason)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("该发放记录已被撤销".to_string()));
        }
        self.grant(scope, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 6, d).unwrap()
    }

    fn person(id: i64) -> RowId {
        RowId {
            subject: id,
            person: None,
            enterprise: None,
        }
    }

    fn hire(id: i64, enterprise: i64, person: i64) -> RowId {
        RowId {
            subject: id,
            person: Some(person),
            enterprise: Some(enterprise),
        }
    }

    #[test]
    fn a_grant_bars_by_the_policy_rules_of_the_catalogue() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/liaoning-2020");
        let cat = crate::policy::load_catalogue(&dir).unwrap();
        let mut barred = Barred::new(&cat.set, day(30));
        // Once per subject: job-search to person 1, whenever granted.
        barred.add("job-search", person(1), day(1));
        assert_eq!(barred.bar("job-search", person(1)), Some("job-search"));
        assert_eq!(barred.bar("job-search", person(2)), None);
        assert_eq!(barred.bar("public-welfare", person(1)), None);
        // A hiring subsidy: once per person, whoever hires them; its group per hire.
        barred.add("hiring-si", hire(10, 100, 5), day(1));
        assert_eq!(barred.bar("hiring-si", hire(11, 200, 5)), Some("hiring-si"));
        assert_eq!(
            barred.bar("hiring-epidemic-supplies", hire(12, 100, 5)),
            Some("hiring-si")
        );
        assert_eq!(
            barred.bar("hiring-epidemic-supplies", hire(13, 200, 5)),
            None
        );
        // Paid per period: public-welfare monthly, stable-return's group yearly.
        let may = NaiveDate::from_ymd_opt(2020, 5, 31).unwrap();
        barred.add("public-welfare", person(3), may);
        assert_eq!(barred.bar("public-welfare", person(3)), None);
        barred.add("public-welfare", person(3), day(1));
        assert_eq!(
            barred.bar("public-welfare", person(3)),
            Some("public-welfare")
        );
        assert_eq!(
            barred.reason("public-welfare", person(3)).unwrap(),
            "本月已确认发放过该政策"
        );
        barred.add(
            "stable-return",
            person(7),
            NaiveDate::from_ymd_opt(2019, 6, 30).unwrap(),
        );
        assert_eq!(barred.bar("stable-return-difficulty", person(7)), None);
        barred.add("stable-return", person(7), day(1));
        assert_eq!(
            barred.bar("stable-return-difficulty", person(7)),
            Some("stable-return")
        );
        // Of a policy whose period the catalogue leaves open, the same date only.
        barred.add("flexible-si", person(9), day(1));
        assert_eq!(barred.bar("flexible-si", person(9)), None);
        barred.add("flexible-si", person(9), day(30));
        assert_eq!(barred.bar("flexible-si", person(9)), Some("flexible-si"));
        assert!(
            barred
                .reason("stable-return-difficulty", person(7))
                .unwrap()
                .contains("不能同时享受")
        );
        // A policy no longer in the catalogue bars nothing.
        barred.add("no-such-policy", person(8), day(30));
        assert!(
            cat.set
                .policies()
                .iter()
                .all(|p| barred.bar(&p.id, person(8)).is_none())
        );
        // The bar drops results and counts each policy × subject once.
        let mut results = vec![PolicyResults {
            policy_id: "job-search".into(),
            applicable: true,
            rows: vec![0, 1, 2],
            amounts_fen: vec![100, 200, 300],
        }];
        let ids = [person(1), person(2), person(1)];
        assert_eq!(barred.drop_barred(&mut results, &ids), 1);
        assert_eq!(
            (
                results[0].rows.as_slice(),
                results[0].amounts_fen.as_slice()
            ),
            (&[1][..], &[200][..])
        );
    }
}
