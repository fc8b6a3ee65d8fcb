//! 政策模拟: a screening run twice over the same frames — on the parameters in force and with
//! some values assumed (大连 paying 6 months instead of 3) — and the difference in
//! beneficiaries and cost per policy and city, after what a screening run drops: the subjects
//! a standing grant already covers, and the limits. Nothing is stored: an assumption is not a
//! value in force.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wenjiu_core::RegionPrefix;
use wenjiu_rules::{ParamChange, ParamValue, Parameters, PolicyResults, PolicySet, SubjectKind};

use super::frames::Subjects;
use super::read::city_name;
use super::{ScreeningRequest, Within, evaluated, granted, kind_set, rules, screened_region};
use crate::error::Result;
use crate::policy::Catalogue;
use crate::policy::overrides::{invalid, parse_literal, toml_literal};
use crate::{Scope, Store};

/// A parameter value assumed from a date in a region.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AssumedValue {
    pub name: String,
    /// Region code or prefix: 21, 2102, 210202.
    pub region: String,
    pub from: NaiveDate,
    /// As a parameter value is entered: 6, money in fen (150000), "2/3", true.
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
}

/// One policy in one city, on the values in force and on the assumed ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WhatIfRow {
    pub policy_id: String,
    /// The first 4 digits of the region code.
    pub city: String,
    pub city_name: String,
    pub beneficiaries_before: i64,
    pub amount_fen_before: i64,
    pub beneficiaries_after: i64,
    pub amount_fen_after: i64,
}

/// The policies and cities whose figures the assumptions change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WhatIf {
    pub subjects: i64,
    /// Policy × subject pairs left out on the values in force because a standing grant
    /// already covers them, as a screening run counts them.
    pub already_granted: i64,
    pub rows: Vec<WhatIfRow>,
}

/// `v` as a change of the parameters declared in `files`, each problem named.
fn change(files: &Parameters, v: &AssumedValue) -> Result<ParamChange> {
    let param = files
        .get(&v.name)
        .ok_or_else(|| invalid("name", "参数", format!("参数“{}”不在政策清单中", v.name)))?;
    let region = RegionPrefix::parse(v.region.trim())
        .map_err(|e| invalid("region", "地区", e.to_string()))?;
    let wrong = || {
        invalid(
            "value",
            "取值",
            format!("参数“{}”的取值应为{}", v.name, param.ty),
        )
    };
    let literal = toml_literal(param.ty, &v.value).ok_or_else(wrong)?;
    let value = parse_literal(param.ty, &literal).map_err(|_| wrong())?;
    Ok(ParamChange {
        name: v.name.clone(),
        value: ParamValue {
            from: v.from,
            region: region.as_str().to_string(),
            value,
            source: "政策模拟假设".to_string(),
        },
    })
}

/// (policy, city) → (beneficiaries, amount) of the grants.
type ByCity = BTreeMap<(String, String), (i64, i64)>;

/// Adds the grants of `results` (of `set`'s policies over `frame`) after the limits.
fn add_by_city(out: &mut ByCity, set: &PolicySet, results: &[PolicyResults], frame: &Subjects) {
    for g in granted(set, results, frame) {
        let region = frame.regions[g.row].as_str();
        let city = region.get(..4).unwrap_or(region).to_string();
        let policy = set.policies()[g.policy].id.clone();
        let t = out.entry((policy, city)).or_default();
        t.0 += 1;
        t.1 += g.amount_fen;
    }
}

impl Store {
    /// Screens `req` within `scope` on the parameters in force and with `assumed` laid over
    /// them; returns per policy and city the figures that differ.
    pub async fn what_if(
        &self,
        scope: &Scope,
        cat: &Catalogue,
        req: &ScreeningRequest,
        assumed: &[AssumedValue],
    ) -> Result<WhatIf> {
        if assumed.is_empty() {
            return Err(invalid("changes", "参数假设", "请至少填写一项参数假设"));
        }
        let region = screened_region(scope, req.region.as_deref())?;
        let only = req
            .policy
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let before = self.policy_params(&cat.params).await?;
        let changes = assumed
            .iter()
            .map(|v| change(&before, v))
            .collect::<Result<Vec<_>>>()?;
        let after = before.overlaid(&changes).map_err(rules)?;
        let (mut was, mut will) = (ByCity::new(), ByCity::new());
        let (mut subjects, mut already_granted) = (0, 0);
        for kind in [
            SubjectKind::Person,
            SubjectKind::Enterprise,
            SubjectKind::Hire,
        ] {
            let (Some(set), Some(changed)) = (
                kind_set(cat, &before, kind, only)?,
                kind_set(cat, &after, kind, only)?,
            ) else {
                continue;
            };
            let frame = self
                .screening_frame(kind, Within::Region(&region), req.date, &|_| {})
                .await?;
            subjects += frame.ids.len() as i64;
            let barred = self.barred(&cat.set, kind.name(), req.date).await?;
            let (frame, set, mut results) = evaluated(set, frame, req.date, &before).await?;
            already_granted += barred.drop_barred(&mut results, &frame.ids);
            add_by_city(&mut was, &set, &results, &frame);
            let (frame, changed, mut results) = evaluated(changed, frame, req.date, &after).await?;
            barred.drop_barred(&mut results, &frame.ids);
            add_by_city(&mut will, &changed, &results, &frame);
        }
        let mut keys: Vec<&(String, String)> = was.keys().chain(will.keys()).collect();
        keys.sort();
        keys.dedup();
        let rows = keys
            .into_iter()
            .map(|key| {
                let b = was.get(key).copied().unwrap_or_default();
                let a = will.get(key).copied().unwrap_or_default();
                WhatIfRow {
                    policy_id: key.0.clone(),
                    city: key.1.clone(),
                    city_name: city_name(&key.1),
                    beneficiaries_before: b.0,
                    amount_fen_before: b.1,
                    beneficiaries_after: a.0,
                    amount_fen_after: a.1,
                }
            })
            .filter(|r| {
                (r.beneficiaries_before, r.amount_fen_before)
                    != (r.beneficiaries_after, r.amount_fen_after)
            })
            .collect();
        Ok(WhatIf {
            subjects,
            already_granted,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assumed_value_is_checked_as_an_entered_one() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/liaoning-2020");
        let cat = crate::policy::load_catalogue(&dir).unwrap();
        let name = "leader_si_max_months";
        let v = |name: &str, region: &str, value: serde_json::Value| AssumedValue {
            name: name.into(),
            region: region.into(),
            from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            value,
        };
        let e = change(&cat.params, &v("no_such", "2102", 6.into())).unwrap_err();
        assert!(e.to_string().contains("no_such"), "{e}");
        assert!(change(&cat.params, &v(name, "99", 6.into())).is_err());
        let e = change(&cat.params, &v(name, "2102", "很多".into())).unwrap_err();
        assert!(e.to_string().contains("取值应为"), "{e}");
        let ok = change(&cat.params, &v(name, "2102", 6.into())).unwrap();
        assert_eq!(ok.value.region, "2102");
        assert_eq!(ok.value.value, wenjiu_rules::Value::Int(6));
    }
}
