//! The demo sample and its monthly reports, generated without I/O: baselines adding up to the
//! seed's 1,969,000 employees (for 5,464 enterprises), ordinary turnover through 2019, the
//! epidemic's fall in February and March 2020 and the recovery after, individual shocks, and
//! planted May 2020 cases so that every warning level appears that month.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use wenjiu_core::monitoring::{Reason, ReportInput, ReportStatus};
use wenjiu_core::{Month, RegionCode};
use wenjiu_store::monitoring::load::BulkReport;

use crate::synth::Rng;

/// The seed's monitored sample (S10): 5,464 enterprises with 1,969,000 employees.
pub const SAMPLE: usize = 5_464;
pub const SAMPLE_EMPLOYEES: i64 = 1_969_000;

pub fn first_month() -> Month {
    Month::new(2019, 1).expect("valid month")
}

pub fn last_month() -> Month {
    Month::new(2020, 5).expect("valid month")
}

/// A monitored enterprise of the demo.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub id: i64,
    pub county: RegionCode,
    pub baseline: i64,
}

/// Baselines for `members` (id, county, insured headcount) adding up to the seed's total
/// scaled to their number, in proportion to each one's insured headcount (give or take a
/// tenth: the monitored headcount is not the insured one) and at least [`MIN_BASELINE`];
/// `keep_large` gets at least 300 so that the demo enterprise user can report a real fall.
pub fn sample(
    rng: &mut Rng,
    members: &[(i64, RegionCode, i64)],
    keep_large: Option<i64>,
) -> Vec<Member> {
    let target = SAMPLE_EMPLOYEES * members.len() as i64 / SAMPLE as i64;
    let mut raw: Vec<i64> = members
        .iter()
        .map(|&(_, _, insured)| insured.max(1) * (900 + rng.below(200) as i64))
        .collect();
    // Those whose share would fall below the floor get the floor; the rest share what is left.
    let mut floored = vec![false; raw.len()];
    let (free, raw_free) = loop {
        let free = target - MIN_BASELINE * floored.iter().filter(|f| **f).count() as i64;
        let raw_free: i64 = (raw.iter().zip(&floored))
            .filter_map(|(r, f)| (!f).then_some(*r))
            .sum();
        let mut changed = false;
        for (r, f) in raw.iter().zip(floored.iter_mut()) {
            if !*f && r * free / raw_free.max(1) < MIN_BASELINE {
                *f = true;
                changed = true;
            }
        }
        if !changed {
            break (free, raw_free.max(1));
        }
    };
    for (r, f) in raw.iter_mut().zip(&floored) {
        *r = if *f {
            MIN_BASELINE
        } else {
            *r * free / raw_free
        };
    }
    let mut out: Vec<Member> = (members.iter().zip(raw))
        .map(|(&(id, county, _), baseline)| Member {
            id,
            county,
            baseline,
        })
        .collect();
    if let Some(m) = out.iter_mut().find(|m| Some(m.id) == keep_large) {
        m.baseline = m.baseline.max(300);
    }
    // The rounding remainder goes to the largest enterprise, so the total is exact.
    let diff = target - out.iter().map(|m| m.baseline).sum::<i64>();
    if let Some(m) = out.iter_mut().max_by_key(|m| m.baseline) {
        m.baseline += diff;
    }
    out
}

/// The smallest monitored headcount of the demo.
const MIN_BASELINE: i64 = 10;

/// The province-wide change of a month in per mille of the headcount, before individual
/// shocks (which take about 3‰ a month on average, so that 2019 stays level).
fn pace(m: Month) -> i64 {
    3 + match (m.year(), m.month()) {
        (2020, 1) => -5,
        (2020, 2) => -45,
        (2020, 3) => -25,
        (2020, 4) => 8,
        (2020, 5) => 10,
        _ => 0,
    }
}

fn reason(code: &str, note: &str) -> Reason {
    Reason {
        code: code.into(),
        note: note.into(),
    }
}

/// Decrease type and reasons of a fall: a layoff, the epidemic, or ordinary leaving.
fn explain(m: Month, layoff: bool) -> (Option<String>, Vec<Reason>) {
    if layoff {
        return (
            Some("03".into()),
            vec![
                reason("04", "受疫情影响订单大幅减少"),
                reason("08", "回款困难，资金周转紧张"),
            ],
        );
    }
    if m.year() == 2020 && (2..=3).contains(&m.month()) {
        return (
            Some("09".into()),
            vec![reason("04", "疫情期间停工停产，订单减少")],
        );
    }
    (Some("06".into()), vec![reason("12", "")])
}

/// May 2020's planted cases: enterprise id → people lost (a layoff).
pub fn planted(members: &[Member], skip: Option<i64>) -> BTreeMap<i64, i64> {
    let mut out = BTreeMap::new();
    let eligible = |m: &&Member| Some(m.id) != skip;
    // Two large layoffs of 200 or more in different cities: red.
    let mut by_size: Vec<&Member> = members.iter().filter(eligible).collect();
    by_size.sort_by_key(|m| std::cmp::Reverse(m.baseline));
    let mut cities = Vec::new();
    for m in by_size.iter().filter(|m| m.baseline >= 600) {
        let city = m.county.parent();
        if !cities.contains(&city) {
            cities.push(city);
            out.insert(m.id, 210 + 50 * out.len() as i64);
        }
        if out.len() == 2 {
            break;
        }
    }
    // Five enterprises of one county each losing 50 or 30%: orange.
    let mut counties: BTreeMap<RegionCode, Vec<&Member>> = BTreeMap::new();
    for m in members.iter().filter(eligible).filter(|m| m.baseline >= 60) {
        if !out.contains_key(&m.id) {
            counties.entry(m.county).or_default().push(m);
        }
    }
    if let Some((_, list)) = counties.into_iter().max_by_key(|(_, l)| l.len())
        && list.len() >= 5
    {
        for m in list.into_iter().take(5) {
            out.insert(
                m.id,
                (m.baseline * 35 / 100).clamp(50, 150).min(m.baseline - 5),
            );
        }
    }
    out
}

/// Every report from January 2019 to May 2020, in enterprise and month order. `missing`
/// enterprises have no May report (the demo enterprise user's own is among them).
pub fn reports(rng: &mut Rng, members: &[Member], missing: &[i64]) -> Vec<BulkReport> {
    let last = last_month();
    let layoffs = planted(members, missing.first().copied());
    let mut out = Vec::with_capacity(members.len() * 17);
    for m in members {
        let mut previous = m.baseline;
        let mut month = first_month();
        while month <= last {
            let is_last = month == last;
            if is_last && (missing.contains(&m.id) || rng.chance(20)) {
                break;
            }
            let shock = if rng.chance(80) {
                -(20 + rng.below(40) as i64)
            } else {
                0
            };
            let per_mille = pace(month) + rng.below(17) as i64 - 8 + shock;
            let layoff = if is_last {
                layoffs.get(&m.id).copied()
            } else {
                None
            };
            let delta = match layoff {
                Some(lost) => -lost.min(previous - 1),
                None => (previous * per_mille / 1000).max(1 - previous),
            };
            let turnover = previous * (5 + rng.below(20) as i64) / 1000;
            let new_hires = turnover + delta.max(0);
            let decrease = new_hires - delta;
            let headcount = previous + delta;
            let fell = headcount < previous || headcount < m.baseline;
            let (decrease_type, reasons) = if fell {
                explain(month, layoff.is_some())
            } else {
                (None, vec![])
            };
            out.push(BulkReport {
                enterprise_id: m.id,
                month,
                input: ReportInput {
                    headcount,
                    new_hires,
                    decrease,
                    decrease_type,
                    reasons,
                },
                status: status(rng, month),
                submitted_on: submitted_on(rng, month),
            });
            previous = headcount;
            month = month.succ();
        }
    }
    out
}

/// Older months are closed; May 2020 is still moving through the chain.
fn status(rng: &mut Rng, m: Month) -> ReportStatus {
    use ReportStatus::*;
    match (m == last_month(), m == last_month().pred()) {
        (true, _) => match rng.below(100) {
            0..=44 => Submitted,
            45..=74 => LocalApproved,
            75..=96 => Closed,
            _ => Returned,
        },
        (_, true) if rng.chance(150) => LocalApproved,
        _ => Closed,
    }
}

/// Mostly within the window (20th–24th), some a few days late.
fn submitted_on(rng: &mut Rng, m: Month) -> NaiveDate {
    let day = if rng.chance(40) {
        25 + rng.below(4)
    } else {
        20 + rng.below(5)
    };
    m.first_day() + chrono::Days::new(day - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Members with the demo registry's mix of sizes: micro, small, medium and large.
    fn members(n: usize) -> Vec<(i64, RegionCode, i64)> {
        let counties = ["210102", "210103", "210202", "210302", "210102", "210102"];
        let insured = [5, 55, 5, 540, 55, 3000, 5, 55];
        (0..n)
            .map(|i| {
                (
                    i as i64 + 1,
                    RegionCode::parse(counties[i % counties.len()]).unwrap(),
                    insured[i % insured.len()],
                )
            })
            .collect()
    }

    #[test]
    fn the_full_sample_has_the_seeds_employees() {
        let s = sample(&mut Rng::new(1), &members(SAMPLE), Some(7));
        assert_eq!(s.len(), SAMPLE);
        assert_eq!(s.iter().map(|m| m.baseline).sum::<i64>(), SAMPLE_EMPLOYEES);
        assert!(s.iter().find(|m| m.id == 7).unwrap().baseline >= 300);
        // Larger enterprises are monitored with larger headcounts, none below the floor.
        let of = |insured: i64| {
            let sizes = members(SAMPLE);
            let picked: Vec<i64> = (s.iter().zip(&sizes))
                .filter(|(m, (_, _, i))| *i == insured && m.id != 7)
                .map(|(m, _)| m.baseline)
                .collect();
            (*picked.iter().min().unwrap(), *picked.iter().max().unwrap())
        };
        let (small, medium, large) = (of(55), of(540), of(3000));
        assert!(s.iter().all(|m| m.baseline >= MIN_BASELINE));
        assert!(
            small.1 < medium.0 && medium.1 < large.0,
            "{small:?} {medium:?} {large:?}"
        );
    }

    #[test]
    fn every_series_follows_the_report_rules_and_may_has_its_cases() {
        let mut rng = Rng::new(3);
        let s = sample(&mut rng, &members(600), None);
        let planted = planted(&s, Some(1));
        assert!(
            planted.values().filter(|p| **p >= 200).count() == 2,
            "{planted:?}"
        );
        assert!(planted.len() >= 7, "{planted:?}");
        let rows = reports(&mut rng, &s, &[1]);
        assert!(
            !rows
                .iter()
                .any(|r| r.enterprise_id == 1 && r.month == last_month())
        );
        let types = wenjiu_core::monitoring::codes::defaults(
            wenjiu_core::monitoring::CodeKind::DecreaseType,
        );
        let reasons = wenjiu_core::monitoring::codes::defaults(
            wenjiu_core::monitoring::CodeKind::DecreaseReason,
        );
        let mut previous = std::collections::HashMap::new();
        for r in &rows {
            let m = s.iter().find(|m| m.id == r.enterprise_id).unwrap();
            let prev = *previous.get(&m.id).unwrap_or(&m.baseline);
            let ctx = wenjiu_core::monitoring::report::Context {
                baseline: m.baseline,
                previous: prev,
                decrease_types: &types,
                decrease_reasons: &reasons,
            };
            assert_eq!(r.input.check(&ctx), vec![], "{r:?}");
            previous.insert(m.id, r.input.headcount);
        }
    }
}
