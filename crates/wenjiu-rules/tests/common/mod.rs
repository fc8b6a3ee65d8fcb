//! Shared by the integration tests: the sample schema, policies and parameters, and a
//! deterministic random population.
#![allow(dead_code)] // each test binary uses a part

use chrono::NaiveDate;
use wenjiu_rules::{
    Column, Error, Frame, Parameters, Policy, PolicySet, Schema, Subject, SubjectKind, Type,
};

pub const PARAMS: &str = include_str!("../fixtures/params.toml");
pub const HIRING: &str = include_str!("../fixtures/hiring.toml");
pub const FLEXIBLE: &str = include_str!("../fixtures/flexible.toml");
pub const STABLE: &str = include_str!("../fixtures/stable.toml");

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn params() -> Parameters {
    Parameters::parse("params.toml", PARAMS).unwrap()
}

pub fn schema(params: &Parameters) -> Schema {
    use SubjectKind::{Enterprise, Hire, Person};
    [
        (Person, "age", Type::Int),
        (Person, "registered_unemployed", Type::Bool),
        (Person, "unemployed_months", Type::Int),
        (Person, "graduate_year", Type::Int),
        (Person, "monthly_employer_si_fen", Type::Money),
        (Person, "group", Type::String),
        (Person, "flex_months_subsidised", Type::Int),
        (Person, "flex_si_paid_fen", Type::Money),
        (Enterprise, "size", Type::String),
        (Enterprise, "insured_start", Type::Int),
        (Enterprise, "insured_end", Type::Int),
        (Enterprise, "ui_paid_last_year_fen", Type::Money),
        (Hire, "contract_months", Type::Int),
        (Hire, "start_date", Type::Date),
    ]
    .into_iter()
    .fold(Schema::new(params), |s, (root, name, ty)| {
        s.with_field(root, name, ty).unwrap()
    })
}

pub fn policy(file: &str, text: &str) -> Policy {
    let params = params();
    Policy::parse(file, text, &schema(&params)).unwrap()
}

/// A person policy in force from 2020 with the given conditions and amount (TOML).
pub fn person_policy(body: &str) -> Result<Policy, Error> {
    subject_policy("person", body)
}

/// A policy about `subject` in force from 2020 with the given conditions and amount (TOML).
pub fn subject_policy(subject: &str, body: &str) -> Result<Policy, Error> {
    let text = format!(
        r#"id = "t"
name = "t"
subject = "{subject}"
fund = "f"
legal_basis = {{ document = "d", clause = "c" }}
validity = {{ from = 2020-01-01 }}
{body}"#
    );
    let params = params();
    Policy::parse("t.toml", &text, &schema(&params))
}

pub fn policy_set(params: &Parameters) -> PolicySet {
    let schema = schema(params);
    let policies = [
        ("hiring.toml", HIRING),
        ("flexible.toml", FLEXIBLE),
        ("stable.toml", STABLE),
    ]
    .into_iter()
    .map(|(f, t)| Policy::parse(f, t, &schema).unwrap())
    .collect();
    PolicySet::new(policies, params).unwrap()
}

/// SplitMix64: a tiny deterministic generator, so every run tests the same population.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub const REGIONS: [&str; 7] = [
    "210102", "210103", "210202", "210203", "210302", "211302", "2102",
];

/// A random population of `n` subjects of `kind` with every field of the schema that the
/// kind can see, boundary values made frequent.
pub fn random_frame(kind: SubjectKind, n: usize, rng: &mut Rng) -> Frame {
    let regions: Vec<&str> = (0..n).map(|_| rng.pick(&REGIONS)).collect();
    let ints = |rng: &mut Rng, lo, hi| Column::Int((0..n).map(|_| rng.range(lo, hi)).collect());
    let money = |rng: &mut Rng, lo, hi| Column::Money((0..n).map(|_| rng.range(lo, hi)).collect());
    let mut columns: Vec<(&str, Column)> = Vec::new();
    let mut add = |name, c| columns.push((name, c));
    if kind != SubjectKind::Enterprise {
        add("person.age", ints(rng, 14, 62));
        add(
            "person.registered_unemployed",
            Column::Bool((0..n).map(|_| rng.chance(50)).collect()),
        );
        add("person.unemployed_months", ints(rng, 0, 12));
        add("person.graduate_year", ints(rng, 2018, 2021));
        add("person.monthly_employer_si_fen", money(rng, 0, 120_000));
        let groups: Vec<&str> = (0..n)
            .map(|_| rng.pick(&["difficulty", "graduate", "none", "disabled"]))
            .collect();
        add("person.group", Column::strings(&groups));
        add("person.flex_months_subsidised", ints(rng, 0, 50));
        add("person.flex_si_paid_fen", money(rng, 0, 400_000));
    }
    if kind != SubjectKind::Person {
        let sizes: Vec<&str> = (0..n)
            .map(|_| rng.pick(&["micro", "small", "medium", "large"]))
            .collect();
        add("enterprise.size", Column::strings(&sizes));
        let start: Vec<i64> = (0..n).map(|_| rng.range(0, 60)).collect();
        let end: Vec<i64> = start.iter().map(|s| s - rng.range(-2, 6).min(*s)).collect();
        add("enterprise.insured_start", Column::Int(start));
        add("enterprise.insured_end", Column::Int(end));
        add("enterprise.ui_paid_last_year_fen", money(rng, 0, 2_000_000));
    }
    if kind == SubjectKind::Hire {
        add("hire.contract_months", ints(rng, 6, 36));
        let start = date("2019-11-01");
        let dates = (0..n)
            .map(|_| start + chrono::Days::new(rng.range(0, 500) as u64))
            .collect();
        add("hire.start_date", Column::Date(dates));
    }
    columns
        .into_iter()
        .fold(Frame::new(kind, &regions), |f, (name, c)| {
            f.with_column(name, c).unwrap()
        })
}

/// A subject with every field the sample policies read, for single evaluations.
pub fn hire(region: &str) -> Subject {
    use wenjiu_rules::Value::{Bool, Date, Int, Money, String};
    Subject::new(SubjectKind::Hire, region)
        .with("person.age", Int(30))
        .with("person.registered_unemployed", Bool(true))
        .with("person.unemployed_months", Int(7))
        .with("person.graduate_year", Int(2015))
        .with("person.monthly_employer_si_fen", Money(123_456))
        .with("person.group", String("none".into()))
        .with("person.flex_months_subsidised", Int(0))
        .with("person.flex_si_paid_fen", Money(0))
        .with("enterprise.size", String("small".into()))
        .with("enterprise.insured_start", Int(20))
        .with("enterprise.insured_end", Int(20))
        .with("enterprise.ui_paid_last_year_fen", Money(0))
        .with("hire.contract_months", Int(12))
        .with("hire.start_date", Date(date("2020-03-01")))
}
