//! Calibrating the demo province to the seed (DOMAIN.md §2): after the base population is
//! loaded, the registry is topped up with people and registrations so that the figures wenjiu
//! computes for Liaoning at the end of May 2020 are exactly the seed's, and the statistics the
//! registry cannot give (城镇从业人员, 调查失业率, training, 创业带头人) and the targets are
//! supplied as an official would enter them.
//!
//! The top-ups are worked out from the real computation (the ledger after a recount), never
//! from a second copy of its rules, and the result is checked the same way.

use chrono::{Duration, NaiveDate};
use wenjiu_core::indicators::catalogue::codes;
use wenjiu_core::indicators::{Ratio, Values};
use wenjiu_core::{Month, RegionCode};
use wenjiu_store::indicators::{Source, TargetInput, ValueInput};
use wenjiu_store::registry::Kind;
use wenjiu_store::{Scope, Store};

use crate::demo::{import_rows, step};
use crate::synth::{PersonSpec, Province, Rng, counties};

/// Who supplied the statistics in the ledger.
const ACTOR: &str = "demo";

/// 2020 annual targets of 城镇新增就业 by city; they add up to the province's 420,000.
const CITY_TARGETS: [(&str, i64); 14] = [
    ("210100", 105_000),
    ("210200", 95_000),
    ("210300", 30_000),
    ("210400", 17_000),
    ("210500", 12_000),
    ("210600", 18_000),
    ("210700", 22_000),
    ("210800", 20_000),
    ("210900", 13_000),
    ("211000", 14_000),
    ("211100", 15_000),
    ("211200", 17_000),
    ("211300", 21_000),
    ("211400", 21_000),
];
const PROVINCE_TARGET: i64 = 420_000;
/// Jan–May 2020 and Jan–May 2019, net (DOMAIN.md §2; 151,600 prints 15.2万 and 36.1%).
const NEW_EMPLOYMENT: i64 = 151_600;
const LAST_YEAR: i64 = 192_386;
/// Cities' relative progress (‰ of target) this year and last, so that they differ.
const PACE_2020: [u64; 14] = [
    380, 395, 350, 330, 310, 340, 365, 372, 300, 335, 390, 320, 345, 352,
];
const PACE_2019: [u64; 14] = [
    460, 470, 455, 430, 420, 440, 445, 465, 415, 435, 480, 425, 450, 446,
];
/// Share of January–May by month: 2020 with the epidemic's February, 2019 a normal year.
const PROFILE_2020: [u64; 5] = [24, 8, 17, 24, 27];
const PROFILE_2019: [u64; 5] = [18, 14, 22, 22, 24];
/// 城镇登记失业率 at the end of May, in ‱: 4.24% and, a year earlier, 4.04%.
const REGISTERED_RATE: [(i32, i64); 2] = [(2019, 404), (2020, 424)];
/// Cities' registered rates relative to the province (‰).
const CITY_RATE: [u64; 14] = [
    960, 930, 1050, 1120, 1100, 1020, 1040, 990, 1150, 1080, 970, 1110, 1060, 1090,
];
/// 城镇调查失业率 by quarter (‰ of a percent point: 65 = 6.5%), and Q1 2020's national rank.
const SURVEYED: [(i32, u32, i64); 5] = [
    (2019, 3, 56),
    (2019, 6, 55),
    (2019, 9, 54),
    (2019, 12, 55),
    (2020, 3, 65),
];
const SURVEYED_RANK: i64 = 8;
/// January–May 2020 totals of supplied indicators, with annual targets where the seed has one.
const SUPPLIED: [(&str, i64, Option<i64>); 3] = [
    (codes::TRAINING_COMPLETIONS, 213_100, Some(400_000)),
    (codes::ENTREPRENEURSHIP_LEADERS, 3_847, None),
    (codes::ENTREPRENEURSHIP_JOBS, 23_000, None),
];

/// `total` split in proportion to `weights`, exactly (largest remainder).
fn allocate(total: i64, weights: &[u64]) -> Vec<i64> {
    let sum: u64 = weights.iter().sum();
    let total_u = total as u128;
    let mut parts: Vec<(usize, i64, u128)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let exact = total_u * u128::from(*w);
            (i, (exact / u128::from(sum)) as i64, exact % u128::from(sum))
        })
        .collect();
    let short = total - parts.iter().map(|p| p.1).sum::<i64>();
    parts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for p in parts.iter_mut().take(short as usize) {
        p.1 += 1;
    }
    parts.sort_by_key(|p| p.0);
    parts.into_iter().map(|p| p.1).collect()
}

fn month(year: i32, m: u32) -> Month {
    Month::new(year, m).expect("valid month")
}

fn city(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("Liaoning city code")
}

/// Net new urban employment per city (outer) and month Jan–May (inner).
type Plan = [Vec<i64>];

/// Net new urban employment planned per city and month.
fn plan(total: i64, pace: &[u64; 14], profile: &[u64; 5]) -> Vec<Vec<i64>> {
    let weights: Vec<u64> = CITY_TARGETS
        .iter()
        .zip(pace)
        .map(|((_, t), p)| *t as u64 * p)
        .collect();
    allocate(total, &weights)
        .into_iter()
        .map(|n| allocate(n, profile))
        .collect()
}

/// Natural attrition supplied for a month's net figure: about one in a hundred.
fn attrition(net: i64) -> i64 {
    net / 100
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid constant date")
}

fn day_in(rng: &mut Rng, m: Month) -> NaiveDate {
    rng.date_between(m.first_day(), m.last_day() + Duration::days(1))
}

/// A person of the top-up: their registrations, decided before rows are written.
struct Planned {
    row: Vec<String>,
    spec: PersonSpec,
    jobs: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// Dates of unemployment registrations; each is ended by the first job starting since.
    unemployed: Vec<NaiveDate>,
}

struct Rows {
    people: Vec<Vec<String>>,
    employment: Vec<Vec<String>>,
    unemployment: Vec<Vec<String>>,
}

impl Rows {
    fn add(&mut self, p: Planned, rng: &mut Rng, employers: &[&(String, RegionCode)]) {
        self.people.push(p.row);
        for &(start, end) in &p.jobs {
            // One in five works flexibly; the rest at an employer of the city, if it has any.
            let (kind, credit, region) = if employers.is_empty() || rng.chance(200) {
                ("flexible", String::new(), p.spec.region)
            } else {
                let (c, r) = *rng.pick(employers);
                ("employer", c.clone(), *r)
            };
            self.employment.push(vec![
                p.spec.id_no.clone(),
                kind.into(),
                credit,
                start.to_string(),
                end.map(|e| e.to_string()).unwrap_or_default(),
                "urban".into(),
                region.to_string(),
            ]);
        }
        for on in p.unemployed {
            // Ended by the first job since, as importing that job would: a person's
            // unemployment registrations must not overlap, and a later one follows.
            let job = p
                .jobs
                .iter()
                .map(|(start, _)| *start)
                .filter(|s| *s >= on)
                .min();
            let (ended, reason) = match job {
                Some(start) => (start.to_string(), "employed".to_string()),
                None => (String::new(), String::new()),
            };
            self.unemployment.push(vec![
                p.spec.id_no.clone(),
                on.to_string(),
                p.spec.region.to_string(),
                "contract_ended".into(),
                ended,
                reason,
            ]);
        }
    }
}

/// Top-up people of one city: `y2019` and `y2020` new jobs per month Jan–May.
fn city_rows(
    province: &mut Province,
    city_code: &str,
    y2019: &[i64],
    y2020: &[i64],
    employers: &[&(String, RegionCode)],
    rows: &mut Rows,
) {
    let places = counties(city_code);
    // Most people live with another: a household is zero-employment only while both are out
    // of work, as in life, not whenever one is.
    let mut single: Option<PersonSpec> = None;
    let mut newcomer = |province: &mut Province| match single.take() {
        Some(first) if province.rng().chance(700) => province.housemate(&first),
        _ => {
            let region = *province.rng().pick(&places);
            let (row, spec) = province.resident(region);
            single = Some(spec.clone());
            (row, spec)
        }
    };
    let mut cohort: Vec<Planned> = Vec::new();
    for (i, n) in y2019.iter().enumerate() {
        for _ in 0..*n {
            let (row, spec) = newcomer(province);
            let rng = province.rng();
            let start = day_in(rng, month(2019, i as u32 + 1));
            // A quarter were registered unemployed before: last year's re-employment.
            let before = rng
                .chance(350)
                .then(|| start - Duration::days(20 + rng.below(200) as i64));
            cohort.push(Planned {
                row,
                spec,
                jobs: vec![(start, None)],
                unemployed: before.into_iter().collect(),
            });
        }
    }
    let mut rehired = Vec::new();
    for (i, n) in y2020.iter().enumerate() {
        let m = month(2020, i as u32 + 1);
        for _ in 0..*n {
            let start = day_in(province.rng(), m);
            let rng = province.rng();
            if rng.chance(750) && !cohort.is_empty() {
                // Last year's hire, whose job ended in the autumn; some registered unemployed.
                let mut p = cohort.swap_remove(rng.below(cohort.len() as u64) as usize);
                let ended = rng.date_between(date(2019, 7, 1), date(2019, 12, 31));
                p.jobs[0].1 = Some(ended);
                if rng.chance(250) {
                    // Registered while out of work: not after the new job began.
                    let on = ended + Duration::days(3 + rng.below(15) as i64);
                    if on < start {
                        p.unemployed.push(on);
                    }
                }
                p.jobs.push((start, None));
                rehired.push(p);
            } else {
                // Registered unemployed since before June 2019, placed this year.
                let (row, spec) = newcomer(province);
                let on = province
                    .rng()
                    .date_between(date(2018, 7, 1), date(2019, 5, 20));
                rehired.push(Planned {
                    row,
                    spec,
                    jobs: vec![(start, None)],
                    unemployed: vec![on],
                });
            }
        }
    }
    // Last year's hires not hired again: about half still at work, the rest lost the job and
    // registered unemployed (the registered-unemployed stock of May 2020).
    for p in cohort.iter_mut() {
        let rng = province.rng();
        if rng.chance(550) {
            let ended = rng.date_between(date(2019, 8, 1), date(2020, 4, 30));
            p.jobs[0].1 = Some(ended);
            p.unemployed
                .push(ended + Duration::days(2 + rng.below(20) as i64));
        }
    }
    for p in cohort.into_iter().chain(rehired) {
        rows.add(p, province.rng(), employers);
    }
}

/// The Jan–May new jobs to add per city and month so that the recount gives `net` plus
/// attrition; fails if the base population alone already exceeds the plan.
fn top_up(base: &Values, year: i32, net: &[Vec<i64>]) -> anyhow::Result<Vec<Vec<i64>>> {
    CITY_TARGETS
        .iter()
        .zip(net)
        .map(|((code, _), months)| {
            months
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let m = month(year, i as u32 + 1);
                    let have = base
                        .value(codes::URBAN_NEWLY_EMPLOYED, city(code), m)
                        .map_or(0, whole);
                    let add = n + attrition(*n) - have;
                    anyhow::ensure!(
                        add >= 0,
                        "演示基础人口过多：{code} {m} 已有 {have} 人新就业"
                    );
                    Ok(add)
                })
                .collect()
        })
        .collect()
}

fn whole(r: Ratio) -> i64 {
    (r.numer() / r.denom()) as i64
}

fn count(n: i64) -> String {
    n.to_string()
}

async fn supply(
    store: &Store,
    code: &str,
    region: RegionCode,
    m: Month,
    value: String,
) -> anyhow::Result<()> {
    let v = ValueInput {
        indicator: code.to_string(),
        region,
        month: m,
        value,
    };
    store
        .put_value(&Scope::All, ACTOR, Source::Imported, &v)
        .await?;
    Ok(())
}

async fn target(
    store: &Store,
    code: &str,
    region: RegionCode,
    value: &str,
    approximate: bool,
) -> anyhow::Result<()> {
    let t = TargetInput {
        indicator: code.to_string(),
        region,
        year: 2020,
        value: value.to_string(),
        approximate,
    };
    store.set_target(&Scope::All, ACTOR, &t).await?;
    Ok(())
}

/// Calibrates a freshly loaded demo province; see the module comment.
pub async fn calibrate(
    store: &Store,
    province: &mut Province,
    employers: &[(String, RegionCode)],
    top_up_registry: bool,
) -> anyhow::Result<()> {
    let net_2020 = plan(NEW_EMPLOYMENT, &PACE_2020, &PROFILE_2020);
    let net_2019 = plan(LAST_YEAR, &PACE_2019, &PROFILE_2019);
    if top_up_registry {
        add_registrations(store, province, employers, &net_2019, &net_2020).await?;
    }
    for year in [2019, 2020] {
        let counting = async { Ok(store.refresh_indicators(year).await?) };
        step(&format!("indicators {year}"), counting).await?;
    }
    let net = top_up_registry.then_some((&net_2019[..], &net_2020[..]));
    step("supplied statistics", supply_statistics(store, net)).await?;
    set_targets(store).await?;
    let liaoning = city("210000");
    let published = (1..=12)
        .map(|m| month(2019, m))
        .chain((1..=4).map(|m| month(2020, m)));
    let publishing = async {
        for m in published {
            store.publish(&Scope::All, ACTOR, liaoning, m).await?;
        }
        Ok(())
    };
    step("bulletins published", publishing).await
}

/// The people and registrations that bring the recount to the plan.
async fn add_registrations(
    store: &Store,
    province: &mut Province,
    employers: &[(String, RegionCode)],
    net_2019: &[Vec<i64>],
    net_2020: &[Vec<i64>],
) -> anyhow::Result<()> {
    for year in [2019, 2020] {
        store
            .refresh_indicator(codes::URBAN_NEWLY_EMPLOYED, year)
            .await?;
    }
    let base = store.indicator_values(&[2019, 2020]).await?;
    let add_2020 = top_up(&base, 2020, net_2020)?;
    let add_2019 = top_up(&base, 2019, net_2019)?;
    let mut rows = Rows {
        people: Vec::new(),
        employment: Vec::new(),
        unemployment: Vec::new(),
    };
    for (i, (code, _)) in CITY_TARGETS.iter().enumerate() {
        let local: Vec<&(String, RegionCode)> = employers
            .iter()
            .filter(|(_, r)| r.as_str().starts_with(&code[..4]))
            .collect();
        city_rows(
            province,
            code,
            &add_2019[i],
            &add_2020[i],
            &local,
            &mut rows,
        );
    }
    // Unemployment first, so that each later job ends the registration it follows.
    import_rows(store, Kind::Person, rows.people).await?;
    import_rows(store, Kind::Unemployment, rows.unemployment).await?;
    import_rows(store, Kind::Employment, rows.employment).await
}

/// Attrition (with the planned net figures), the urban employed population behind the
/// registered rate, the surveyed rate, and the supplied flows, as an official would import them.
async fn supply_statistics(store: &Store, net: Option<(&Plan, &Plan)>) -> anyhow::Result<()> {
    let computed = store.indicator_values(&[2019, 2020]).await?;
    let planned = net
        .map(|(a, b)| [(2019, a), (2020, b)])
        .into_iter()
        .flatten();
    for (year, net) in planned {
        for ((code, _), months) in CITY_TARGETS.iter().zip(net) {
            for (i, n) in months.iter().enumerate() {
                let m = month(year, i as u32 + 1);
                let attrition = attrition(*n);
                supply(
                    store,
                    codes::NATURAL_ATTRITION,
                    city(code),
                    m,
                    count(attrition),
                )
                .await?;
                let new_jobs = |c| counted(&computed, codes::URBAN_NEWLY_EMPLOYED, c, m);
                let split = by_county(code, attrition, new_jobs);
                for (county, n) in split {
                    supply(store, codes::NATURAL_ATTRITION, county, m, count(n)).await?;
                }
            }
        }
    }
    for (year, rate) in REGISTERED_RATE {
        let may = month(year, 5);
        let unemployed: Vec<i64> = CITY_TARGETS
            .iter()
            .map(|(c, _)| {
                computed
                    .value(codes::REGISTERED_UNEMPLOYED, city(c), may)
                    .map_or(0, whole)
            })
            .collect();
        let total_u: i64 = unemployed.iter().sum();
        if total_u == 0 {
            continue; // a tiny uncalibrated province: no rate to fit
        }
        // E = U (1 − r) / r for the province, split so that cities' rates differ.
        let total_e =
            ((total_u as i128 * (10_000 - rate as i128) + rate as i128 / 2) / rate as i128) as i64;
        let weights: Vec<u64> = unemployed
            .iter()
            .zip(CITY_RATE)
            .map(|(u, f)| (*u as u64 * 1_000_000) / f)
            .collect();
        let employed = allocate(total_e, &weights);
        let last = if year == 2020 { 5 } else { 12 };
        for ((code, _), e) in CITY_TARGETS.iter().zip(&employed) {
            // Counties' rates differ around their city's, as the cities' do around the province's.
            let registered = |c: RegionCode| {
                let relative = 900 + c.as_str().parse::<i64>().unwrap_or(0) * 7_919 % 201;
                counted(&computed, codes::REGISTERED_UNEMPLOYED, c, may) * 1_000_000 / relative
            };
            let split = by_county(code, *e, registered);
            for m in 1..=last {
                supply(
                    store,
                    codes::URBAN_EMPLOYED,
                    city(code),
                    month(year, m),
                    count(*e),
                )
                .await?;
                for (county, n) in &split {
                    supply(
                        store,
                        codes::URBAN_EMPLOYED,
                        *county,
                        month(year, m),
                        count(*n),
                    )
                    .await?;
                }
            }
        }
        let province_rate = Ratio::of_counts(total_u, total_u + total_e).expect("people");
        anyhow::ensure!(
            net.is_none()
                || province_rate.round_percent(2) == Ratio::from_percent(rate, 2).round_percent(2),
            "登记失业率校准失败：{year} 年 5 月为 {}%",
            province_rate.round_percent(2)
        );
    }
    let liaoning = city("210000");
    for (year, m, rate) in SURVEYED {
        supply(
            store,
            codes::SURVEYED_RATE,
            liaoning,
            month(year, m),
            format!("{}.{}", rate / 10, rate % 10),
        )
        .await?;
    }
    supply(
        store,
        codes::SURVEYED_RANK,
        liaoning,
        month(2020, 3),
        count(SURVEYED_RANK),
    )
    .await?;
    let weights: Vec<u64> = CITY_TARGETS.iter().map(|(_, t)| *t as u64).collect();
    for (code, total, _) in SUPPLIED {
        for ((c, _), n) in CITY_TARGETS.iter().zip(allocate(total, &weights)) {
            for (i, v) in allocate(n, &PROFILE_2020).into_iter().enumerate() {
                supply(store, code, city(c), month(2020, i as u32 + 1), count(v)).await?;
            }
        }
    }
    Ok(())
}

/// A city's figure split among its counties in proportion to `weight` (plus one, so that
/// none is left out), exactly: the counties' figures add up to the city's, which stays
/// supplied as its own. A county officer's bulletin then has the county's figures, as the
/// counties would report them to the city.
fn by_county(city: &str, total: i64, weight: impl Fn(RegionCode) -> i64) -> Vec<(RegionCode, i64)> {
    let counties = counties(city);
    let weights: Vec<u64> = counties
        .iter()
        .map(|c| weight(*c).max(0) as u64 + 1)
        .collect();
    counties
        .into_iter()
        .zip(allocate(total, &weights))
        .collect()
}

/// A computed count of `region` in `m`, zero if none.
fn counted(values: &Values, code: &str, region: RegionCode, m: Month) -> i64 {
    values.value(code, region, m).map_or(0, whole)
}

async fn set_targets(store: &Store) -> anyhow::Result<()> {
    let liaoning = city("210000");
    target(
        store,
        codes::NEW_URBAN_EMPLOYMENT,
        liaoning,
        &count(PROVINCE_TARGET),
        false,
    )
    .await?;
    target(store, codes::REGISTERED_RATE, liaoning, "4.5", false).await?;
    target(store, codes::SURVEYED_RATE, liaoning, "5.5", true).await?;
    let weights: Vec<u64> = CITY_TARGETS.iter().map(|(_, t)| *t as u64).collect();
    for (code, _, annual) in SUPPLIED {
        if let Some(total) = annual {
            target(store, code, liaoning, &count(total), false).await?;
            for ((c, _), n) in CITY_TARGETS.iter().zip(allocate(total, &weights)) {
                target(store, code, city(c), &count(n), false).await?;
            }
        }
    }
    // Counties' shares of their city's target follow last year's new jobs there.
    let computed = store.indicator_values(&[2019]).await?;
    let last_year = |c| {
        (1..=12)
            .map(|m| counted(&computed, codes::URBAN_NEWLY_EMPLOYED, c, month(2019, m)))
            .sum()
    };
    for (code, t) in CITY_TARGETS {
        let split = by_county(code, t, last_year);
        let local = std::iter::once((city(code), t)).chain(split);
        for (region, t) in local {
            target(store, codes::NEW_URBAN_EMPLOYMENT, region, &count(t), false).await?;
            target(store, codes::REGISTERED_RATE, region, "4.5", false).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::CITY_POPULATION;

    #[test]
    fn allocation_is_exact_and_proportional() {
        assert_eq!(allocate(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(allocate(151_600, &[1; 14]).iter().sum::<i64>(), 151_600);
        assert_eq!(allocate(0, &[3, 4]), vec![0, 0]);
    }

    #[test]
    fn city_targets_add_up_to_the_province() {
        assert_eq!(
            CITY_TARGETS.iter().map(|c| c.1).sum::<i64>(),
            PROVINCE_TARGET
        );
        assert_eq!(CITY_TARGETS.len(), CITY_POPULATION.len());
        let plan = plan(NEW_EMPLOYMENT, &PACE_2020, &PROFILE_2020);
        assert_eq!(plan.iter().flatten().sum::<i64>(), NEW_EMPLOYMENT);
    }
}
