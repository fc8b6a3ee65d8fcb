//! What-if: the same batch run with hypothetical parameter values, compared per city with the
//! run on the parameters in force.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::batch::{PolicyResults, evaluate_batch};
use crate::error::Result;
use crate::frame::Frame;
use crate::params::{ParamChange, Parameters};
use crate::policy::PolicySet;

/// Beneficiaries and total amount of one policy in one city.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub beneficiaries: usize,
    pub amount_fen: i64,
}

/// A city's figures for one policy before and after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CityDelta {
    pub policy_id: String,
    /// The first 4 digits of the region code.
    pub city: String,
    pub before: Totals,
    pub after: Totals,
}

impl CityDelta {
    pub fn beneficiaries_delta(&self) -> i64 {
        self.after.beneficiaries as i64 - self.before.beneficiaries as i64
    }

    pub fn amount_delta_fen(&self) -> i64 {
        self.after.amount_fen - self.before.amount_fen
    }
}

/// Totals per (policy id, city) of a batch run; cities with no beneficiary are left out.
pub fn totals_by_city(
    frame: &Frame,
    results: &[PolicyResults],
) -> BTreeMap<(String, String), Totals> {
    let mut out: BTreeMap<(String, String), Totals> = BTreeMap::new();
    for r in results {
        for (row, fen) in r.grants() {
            let region = frame.region(row);
            let city = region.get(..4).unwrap_or(region).to_string();
            let t = out.entry((r.policy_id.clone(), city)).or_default();
            t.beneficiaries += 1;
            t.amount_fen += fen;
        }
    }
    out
}

/// Runs `set` over `frame` on `date` with `params` and with `changes` laid over them, and
/// returns per policy and city the figures that differ.
pub fn what_if(
    set: &PolicySet,
    frame: &Frame,
    date: NaiveDate,
    params: &Parameters,
    changes: &[ParamChange],
) -> Result<Vec<CityDelta>> {
    let before = totals_by_city(frame, &evaluate_batch(set, frame, date, params)?);
    let changed = params.overlaid(changes)?;
    let after = totals_by_city(frame, &evaluate_batch(set, frame, date, &changed)?);
    let mut keys: Vec<_> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    Ok(keys
        .into_iter()
        .map(|key| CityDelta {
            policy_id: key.0.clone(),
            city: key.1.clone(),
            before: before.get(key).copied().unwrap_or_default(),
            after: after.get(key).copied().unwrap_or_default(),
        })
        .filter(|d| d.before != d.after)
        .collect())
}
