//! The demo's supplied facts (申报信息): what the social-insurance system, the market regulator,
//! training providers and the employment service would hand over about the synthetic
//! province — flexible workers' contributions, recognitions, businesses founded, training
//! certificates, hires' contracts and premiums, enterprises' insured counts and premiums —
//! imported through the ordinary fact import, so that screening the demo finds the
//! beneficiaries of every policy of the catalogue. Drawn from their own seeded stream so
//! that the registry and its calibrated figures stay as they are.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use wenjiu_core::{Money, RegionCode};
use wenjiu_io::TableReader;
use wenjiu_store::policy::facts::FACT_COLUMNS;
use wenjiu_store::{Scope, Store};

use crate::synth::Rng;

/// Mixed into the demo seed for this stream.
const STREAM: u64 = 0x5EED_FAC7;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// An amount of `units` × a random figure between `low` and `high` yuan, as yuan text.
fn yuan(rng: &mut Rng, units: u64, low: u64, high: u64) -> String {
    let per = low * 100 + rng.below((high - low) * 100 + 1);
    Money::from_fen((units * per) as i64).to_string()
}

/// Fact rows in [`FACT_COLUMNS`] order; one per subject, field and date.
#[derive(Default)]
struct Facts {
    rows: Vec<Vec<String>>,
    seen: HashSet<(String, String, NaiveDate)>,
}

impl Facts {
    /// A fact about the subject keyed by `id_no`, `credit` and `start` (as its field needs).
    fn add(&mut self, field: &str, value: String, from: NaiveDate, key: [&str; 3]) {
        let subject = key.join("|");
        if self.seen.insert((subject, field.into(), from)) {
            self.rows.push(vec![
                field.into(),
                value,
                from.to_string(),
                key[0].into(),
                key[1].into(),
                key[2].into(),
                String::new(),
            ]);
        }
    }
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.into()
}

/// The facts of the demo: enterprises (their register rows), and the people of the
/// unemployment and employment rows (import column order) as of `as_of`.
pub fn rows(
    seed: u64,
    enterprises: &[(Vec<String>, String, RegionCode)],
    unemployment: &[Vec<String>],
    employment: &[Vec<String>],
    as_of: NaiveDate,
) -> Vec<Vec<String>> {
    let mut rng = Rng::new(seed ^ STREAM);
    let mut f = Facts::default();
    let year = d(as_of.year(), 1, 1);
    let mut platforms = 0;
    for (i, (row, code, _)) in enterprises.iter().enumerate() {
        let key = ["", code.as_str(), ""];
        let insured: u64 = row[6].parse().unwrap_or(0);
        // Most kept their staff since January; some shed more than the layoff-rate tests allow.
        let shed = if rng.chance(120) {
            insured / 8 + 1
        } else {
            rng.below(insured / 40 + 1)
        };
        let start = insured + shed;
        f.add(
            "enterprise.insured_start_of_year",
            start.to_string(),
            year,
            key,
        );
        f.add(
            "enterprise.ui_paid_in_full",
            yes(rng.chance(950)),
            year,
            key,
        );
        let premiums = yuan(&mut rng, start, 250, 350);
        f.add("enterprise.ui_paid_last_year_fen", premiums, year, key);
        let monthly = yuan(&mut rng, start, 1_100, 1_300);
        f.add("enterprise.monthly_si_fen", monthly, year, key);
        if rng.chance(40) {
            f.add("enterprise.in_difficulty", yes(true), d(2020, 3, 1), key);
        }
        if rng.chance(100) {
            f.add("enterprise.epidemic_halted", yes(true), d(2020, 2, 1), key);
        }
        if row[2].starts_with('C') && rng.chance(80) {
            f.add(
                "enterprise.epidemic_supplies",
                yes(true),
                d(2020, 1, 24),
                key,
            );
        }
        // About one enterprise in a hundred runs an incubation platform; the province's
        // assessment ranks them in the order found.
        if i % 97 == 3 {
            platforms += 1;
            f.add("enterprise.incubation_platform", yes(true), year, key);
            f.add(
                "enterprise.incubation_rank",
                platforms.to_string(),
                d(2020, 4, 30),
                key,
            );
            let cost = yuan(&mut rng, 1, 200_000, 2_000_000);
            f.add("enterprise.operating_cost_fen", cost, year, key);
        }
    }
    // Training certificates of registered unemployed people.
    for u in unemployment {
        let registered: NaiveDate = u[1].parse().expect("generated date");
        let certified = registered + Duration::days(30 + rng.below(90) as i64);
        if certified <= as_of && rng.chance(120) {
            let level = *rng.pick(&["special", "level5", "level4", "level3"]);
            let key = [u[0].as_str(), "", ""];
            f.add("person.training_certificate", level.into(), certified, key);
            let subsidised = yes(rng.chance(100));
            f.add(
                "person.training_subsidised_this_year",
                subsidised,
                certified,
                key,
            );
        }
    }
    for e in employment.iter().filter(|e| e[4].is_empty()) {
        let (id, kind, credit) = (e[0].as_str(), e[1].as_str(), e[2].as_str());
        let start: NaiveDate = e[3].parse().expect("generated date");
        let person = [id, "", ""];
        match kind {
            "flexible" if rng.chance(800) => {
                let paid = yuan(&mut rng, 3, 700, 1_000);
                f.add("person.si_paid_fen", paid, year, person);
                let months = rng.below(30).to_string();
                f.add("person.flexible_si_months_subsidised", months, year, person);
            }
            "public_welfare" => {
                f.add("person.difficulty_recognised", yes(true), start, person);
            }
            "self_employed" => {
                let business = if rng.chance(750) {
                    "individual_business"
                } else {
                    "small_micro_enterprise"
                };
                f.add("person.business_kind", business.into(), start, person);
                let months = (as_of.year() - start.year()) * 12 + as_of.month() as i32
                    - start.month() as i32;
                f.add(
                    "person.business_operating_months",
                    months.max(0).to_string(),
                    as_of,
                    person,
                );
                f.add("person.first_business", yes(rng.chance(800)), start, person);
                if rng.chance(150) {
                    f.add("person.entrepreneur_leader", yes(true), start, person);
                    let paid = yuan(&mut rng, 3, 800, 1_100);
                    f.add("person.si_paid_fen", paid, year, person);
                    let months = rng.below(40).to_string();
                    f.add("person.leader_si_months_subsidised", months, year, person);
                }
            }
            "employer" if start >= year => {
                let hire = [id, credit, e[3].as_str()];
                let contract = *rng.pick(&[6, 12, 12, 24, 36, 999]);
                f.add("hire.contract_months", contract.to_string(), start, hire);
                f.add("hire.si_paid", yes(rng.chance(900)), start, hire);
                let premium = yuan(&mut rng, 1, 900, 1_400);
                f.add("hire.monthly_employer_si_fen", premium, start, hire);
                if rng.chance(200) {
                    let months = (1 + rng.below(6)).to_string();
                    f.add("hire.training_months", months, start, hire);
                }
            }
            _ => {}
        }
    }
    f.rows
}

/// Imports the facts through the ordinary import; any rejected row is a bug of the demo.
pub async fn load(store: &Store, rows: Vec<Vec<String>>) -> anyhow::Result<usize> {
    let mut csv = Vec::new();
    wenjiu_io::write_csv(&FACT_COLUMNS, rows.into_iter(), &mut csv)?;
    let reader = TableReader::from_bytes("demo-facts.csv", csv)?;
    let report = store.import_facts(&Scope::All, "demo", reader).await?;
    if report.rejected_count > 0 {
        anyhow::bail!(
            "演示申报信息有 {} 行未通过校验：{:?}",
            report.rejected_count,
            report.rejected.first()
        );
    }
    Ok(report.accepted)
}
