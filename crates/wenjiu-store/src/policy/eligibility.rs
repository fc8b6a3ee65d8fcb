//! 可享政策: the packaged check of one registry subject — its fields read from the registry
//! and the supplied facts on a date exactly as screening reads them, for the single evaluator
//! to trace; and for an enterprise, the hire policies over each person it hired, after the
//! same limits as screening.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use wenjiu_rules::{Column, Parameters, Subject, SubjectKind};

use super::Catalogue;
use super::screening::{Within, evaluated, granted, kind_set};
use crate::Store;
use crate::error::Result;
use crate::sql::{Sql, Val};

/// A hire policy an enterprise's hire qualifies for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HireGrant {
    /// The employment registration.
    pub hire_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub start_date: NaiveDate,
    pub policy_id: String,
    pub policy_name: String,
    pub amount_fen: i64,
}

/// The hire policies over an enterprise's hires.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HireGrants {
    /// Hires evaluated: the enterprise's employer registrations started by the date.
    pub hires: usize,
    /// In hire order, then by policy.
    pub grants: Vec<HireGrant>,
}

/// Names looked up per statement.
const NAMES_CHUNK: usize = 500;

impl Store {
    /// The fields of the registry subject of `kind` with id `id` on `date` as the policies
    /// read them; `None` when there is no such subject on the date (a hire not yet started or
    /// not an employer's). The caller checks the subject lies in its scope.
    pub async fn registered_subject(
        &self,
        kind: SubjectKind,
        id: i64,
        date: NaiveDate,
    ) -> Result<Option<Subject>> {
        let within = match kind {
            SubjectKind::Person => Within::Person(id),
            SubjectKind::Enterprise => Within::Enterprise(id),
            SubjectKind::Hire => Within::Hire(id),
        };
        let s = self.screening_frame(kind, within, date, &|_| {}).await?;
        Ok((s.ids.len() == 1).then(|| s.frame.subject(0)))
    }

    /// The hire policies of `cat` (or the one with id `only`) with the parameters in force
    /// `params` over the hires of `enterprise` on `date`, after the exclusion groups and
    /// once-per-subject limits.
    pub async fn hire_grants(
        &self,
        cat: &Catalogue,
        params: &Parameters,
        only: Option<&str>,
        enterprise: i64,
        date: NaiveDate,
    ) -> Result<HireGrants> {
        let Some(set) = kind_set(cat, params, SubjectKind::Hire, only)? else {
            return Ok(HireGrants::default());
        };
        let within = Within::Enterprise(enterprise);
        let frame = self
            .screening_frame(SubjectKind::Hire, within, date, &|_| {})
            .await?;
        let (frame, set, results) = evaluated(set, frame, date, params).await?;
        let mut grants = granted(&set, &results, &frame);
        grants.sort_by_key(|g| (g.row, g.policy));
        let names = self
            .person_names(grants.iter().filter_map(|g| frame.ids[g.row].person))
            .await?;
        let starts = match frame.frame.column("hire.start_date") {
            Some(Column::Date(d)) => d.as_slice(),
            _ => &[],
        };
        let grants = grants
            .iter()
            .map(|g| {
                let id = frame.ids[g.row];
                let person_id = id.person.unwrap_or_default();
                HireGrant {
                    hire_id: id.subject,
                    person_id,
                    person_name: names.get(&person_id).cloned().unwrap_or_default(),
                    start_date: starts.get(g.row).copied().unwrap_or(date),
                    policy_id: set.policies()[g.policy].id.clone(),
                    policy_name: set.policies()[g.policy].name.clone(),
                    amount_fen: g.amount_fen,
                }
            })
            .collect();
        Ok(HireGrants {
            hires: frame.ids.len(),
            grants,
        })
    }

    async fn person_names(&self, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        let mut names = HashMap::new();
        for chunk in ids.chunks(NAMES_CHUNK) {
            let mut sql = Sql::new("SELECT id, name FROM person WHERE id IN ");
            sql.bind_list(chunk.iter().map(|id| Val::from(*id)));
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                names.insert(r.try_get("id")?, r.try_get("name")?);
            }
        }
        Ok(names)
    }
}
