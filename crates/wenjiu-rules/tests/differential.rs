//! Batch and single evaluation must agree on every subject; what-if deltas must be the
//! difference of two batch runs.

mod common;

use std::collections::BTreeMap;

use common::{Rng, date, params, person_policy, policy_set, random_frame, subject_policy};
use wenjiu_rules::{
    Column, Frame, Outcome, ParamChange, ParamValue, Parameters, PolicyResults, PolicySet,
    SubjectKind, Value, evaluate, evaluate_batch, what_if,
};

fn assert_batch_equals_single(set: &PolicySet, frame: &Frame, on: &str, params: &Parameters) {
    let day = date(on);
    let results = evaluate_batch(set, frame, day, params).unwrap();
    for (policy, result) in set.policies().iter().zip(&results) {
        for row in 0..frame.len() {
            let single = evaluate(policy, &frame.subject(row), day, params).unwrap();
            let batch = match (result.applicable, result.amount_of(row)) {
                (false, _) => Outcome::NotApplicable,
                (true, Some(amount_fen)) => Outcome::Eligible { amount_fen },
                (true, None) => match &single.outcome {
                    Outcome::NotEligible { .. } => single.outcome.clone(),
                    _ => Outcome::NotEligible { failed: vec![] },
                },
            };
            assert_eq!(
                single.outcome, batch,
                "policy {} row {row} on {on}: {:?}",
                policy.id, single.trace
            );
        }
    }
}

#[test]
fn batch_equals_single_on_110000_random_subjects() {
    let params = params();
    let set = policy_set(&params);
    let mut rng = Rng::new(2020);
    let mut outcomes = BTreeMap::new();
    for (kind, n) in [
        (SubjectKind::Hire, 40_000),
        (SubjectKind::Person, 40_000),
        (SubjectKind::Enterprise, 30_000),
    ] {
        let frame = random_frame(kind, n, &mut rng);
        for on in ["2020-06-30", "2020-08-15", "2019-06-30"] {
            assert_batch_equals_single(&set, &frame, on, &params);
            let results = evaluate_batch(&set, &frame, date(on), &params).unwrap();
            for r in results.iter().filter(|r| r.applicable) {
                outcomes.insert((r.policy_id.clone(), on), r.beneficiaries());
            }
        }
    }
    // The population exercises every policy both ways.
    for ((policy, on), eligible) in &outcomes {
        assert!(*eligible > 0, "{policy} on {on}: nobody eligible");
    }
    assert!(outcomes.len() >= 5, "{outcomes:?}");
}

/// Per (policy, city) counts and totals, computed here independently of the library.
fn by_city(frame: &Frame, results: &[PolicyResults]) -> BTreeMap<(String, String), (i64, i64)> {
    let mut out = BTreeMap::new();
    for r in results {
        for (row, amount) in r.rows.iter().zip(&r.amounts_fen) {
            let city = frame.region(*row as usize)[..4].to_string();
            let e = out.entry((r.policy_id.clone(), city)).or_insert((0, 0));
            e.0 += 1;
            e.1 += amount;
        }
    }
    out
}

#[test]
fn what_if_deltas_are_the_difference_of_two_batch_runs() {
    let params = params();
    let set = policy_set(&params);
    let mut rng = Rng::new(7);
    let frame = random_frame(SubjectKind::Hire, 30_000, &mut rng);
    let on = date("2020-08-15");
    // 大连 pays 6 months instead of 4 from August, and lowers the contract minimum.
    let changes = [
        ParamChange {
            name: "hiring_months".into(),
            value: ParamValue {
                from: date("2020-08-01"),
                region: "2102".into(),
                value: Value::Int(6),
                source: "假设".into(),
            },
        },
        ParamChange {
            name: "hiring_min_contract_months".into(),
            value: ParamValue {
                from: date("2020-08-01"),
                region: "2102".into(),
                value: Value::Int(9),
                source: "假设".into(),
            },
        },
    ];
    let deltas = what_if(&set, &frame, on, &params, &changes).unwrap();
    let before = by_city(&frame, &evaluate_batch(&set, &frame, on, &params).unwrap());
    let changed = params.overlaid(&changes).unwrap();
    let after = by_city(&frame, &evaluate_batch(&set, &frame, on, &changed).unwrap());
    let mut expected = BTreeMap::new();
    for key in before.keys().chain(after.keys()) {
        let (b, a) = (before.get(key), after.get(key));
        let (b, a) = (
            b.copied().unwrap_or_default(),
            a.copied().unwrap_or_default(),
        );
        if a != b {
            expected.insert(key.clone(), (a.0 - b.0, a.1 - b.1));
        }
    }
    let got: BTreeMap<_, _> = deltas
        .iter()
        .map(|d| {
            let key = (d.policy_id.clone(), d.city.clone());
            (key, (d.beneficiaries_delta(), d.amount_delta_fen()))
        })
        .collect();
    assert_eq!(got, expected);
    // Only 大连 changed, and there both more people and more money.
    assert_eq!(got.len(), 1, "{got:?}");
    let (count, amount) = got[&("hiring-subsidy".to_string(), "2102".to_string())];
    assert!(count > 0 && amount > 0, "{count} {amount}");
    // The base parameters are untouched.
    assert_eq!(
        params.lookup("hiring_months", "210202", on).unwrap().value,
        Value::Int(4)
    );
}

/// Conditions of every logical shape (a ternary, `!`, `||` nested in `&&`), strings ordered
/// against constants on either side, and an amount by region: batch equals single.
#[test]
fn batch_equals_single_on_every_shape_of_condition() {
    let params = params();
    let body = r#"
[[conditions]]
name = "split"
clause = "c"
expr = '''
person.group < "graduate"
  ? person.age >= 30
  : !(person.registered_unemployed || "none" >= person.group)'''
[[conditions]]
name = "not_both"
clause = "c"
expr = '!(person.unemployed_months > 6 && person.group in param("flex_groups"))'
[amount]
formula = '''
person.group == "none" || person.age > 50
  ? person.monthly_employer_si_fen
  : person.monthly_employer_si_fen * param("hiring_months")'''
round = "down_to_yuan"
"#;
    let set = PolicySet::new(vec![person_policy(body).unwrap()], &params).unwrap();
    let frame = random_frame(SubjectKind::Person, 20_000, &mut Rng::new(11));
    assert_batch_equals_single(&set, &frame, "2020-08-15", &params);
    let results = evaluate_batch(&set, &frame, date("2020-08-15"), &params).unwrap();
    let eligible = results[0].beneficiaries();
    assert!(eligible > 1_000 && eligible < 19_000, "{eligible}");
}

/// Quotients of whole numbers compared on either side (as a condition, inside `||`, and as an
/// operand of `!=`), and amounts of whole fen times a share on either side, negative ones too,
/// in every rounding: the batch computes these without reducing the quotient or the product,
/// and must still give what single evaluation gives. A zero divisor that a row reaches fails
/// both alike.
#[test]
fn quotients_and_shares_agree_with_single_evaluation() {
    let params = params();
    let frame = random_frame(SubjectKind::Enterprise, 20_000, &mut Rng::new(7));
    let rate = "(enterprise.insured_start - enterprise.insured_end) / enterprise.insured_start";
    let growth = "(enterprise.insured_end - enterprise.insured_start) / enterprise.insured_start";
    let paid = "enterprise.ui_paid_last_year_fen";
    let amounts = [
        ("half_up_to_fen", format!(r#"{paid} * param("flex_share")"#)),
        // Differences that go below zero for some rows, which are paid nothing.
        (
            "down_to_fen",
            format!(r#"max(0, param("flex_share") * ({paid} - 1000000))"#),
        ),
        (
            "half_up_to_yuan",
            format!(r#"max(0, ({paid} - 999950) * param("return_rate_large"))"#),
        ),
        ("down_to_yuan", format!(r#"param("layoff_rate") * {paid}"#)),
    ];
    let policy = |guard: &str, round: &str, amount: &str| {
        let body = format!(
            r#"
[[conditions]]
name = "insured"
clause = "c"
expr = "{guard}"
[[conditions]]
name = "layoff"
clause = "c"
expr = '{rate} <= param("small_layoff_rate") || enterprise.size == "large" && param("layoff_rate") < {growth}'
[[conditions]]
name = "mixed"
clause = "c"
expr = '(param("layoff_rate") < {rate}) != (enterprise.size == "large")'
[amount]
formula = '{amount}'
round = "{round}"
"#
        );
        let p = subject_policy("enterprise", &body).unwrap();
        PolicySet::new(vec![p], &params).unwrap()
    };
    let on = "2020-06-30";
    for (round, amount) in &amounts {
        let set = policy("enterprise.insured_start > 0", round, amount);
        assert_batch_equals_single(&set, &frame, on, &params);
        let r = &evaluate_batch(&set, &frame, date(on), &params).unwrap()[0];
        assert!(r.beneficiaries() > 1_000, "{round}: {}", r.beneficiaries());
        assert!(r.amounts_fen.iter().all(|a| *a >= 0), "{round}");
    }
    // An amount below zero is an error in both evaluators, not a charge.
    let set = policy(
        "enterprise.insured_start > 0",
        "down_to_fen",
        &format!("{paid} - 1000000"),
    );
    let batch = evaluate_batch(&set, &frame, date(on), &params).unwrap_err();
    assert!(batch.to_string().contains("金额为负数"), "{batch}");
    let single = (0..frame.len())
        .find_map(|row| evaluate(&set.policies()[0], &frame.subject(row), date(on), &params).err());
    assert_eq!(single, Some(batch));
    // Without the guard, rows with no insured staff reach the division.
    let set = policy("true", "down_to_fen", &amounts[0].1);
    let batch = evaluate_batch(&set, &frame, date(on), &params).unwrap_err();
    let no_staff = (0..frame.len())
        .map(|row| frame.subject(row))
        .find(|s| s.fields["enterprise.insured_start"] == Value::Int(0))
        .expect("an enterprise without insured staff");
    let single = evaluate(&set.policies()[0], &no_staff, date(on), &params);
    assert_eq!(batch, single.unwrap_err());
    assert!(batch.to_string().contains("除数为零"), "{batch}");
}

/// A parameter with no value in one region is an error only for that region's rows that
/// reach it, in batch as in single evaluation.
#[test]
fn a_parameter_missing_in_a_region_fails_only_rows_that_read_it() {
    let params = params();
    let body = r#"
[[conditions]]
name = "adult"
clause = "c"
expr = "person.age >= 18"
[[conditions]]
name = "working_age"
clause = "c"
expr = 'person.age < param("flex_max_age")'
[amount]
formula = "person.flex_si_paid_fen"
round = "down_to_fen"
"#;
    let set = PolicySet::new(vec![person_policy(body).unwrap()], &params).unwrap();
    // Jilin's 220102 has no value of flex_max_age.
    let frame = |ages: &[i64]| {
        Frame::new(SubjectKind::Person, &["210102", "220102", "210202"])
            .with_column("person.age", Column::Int(ages.to_vec()))
            .and_then(|f| f.with_column("person.flex_si_paid_fen", Column::Money(vec![300; 3])))
            .unwrap()
    };
    let on = "2020-06-30";
    // Its 15-year-old fails the first condition: the second is never computed for them.
    let excluded = frame(&[20, 15, 30]);
    assert_batch_equals_single(&set, &excluded, on, &params);
    let r = &evaluate_batch(&set, &excluded, date(on), &params).unwrap()[0];
    assert_eq!(r.rows, [0, 2]);
    let reached = frame(&[20, 40, 30]);
    let batch = evaluate_batch(&set, &reached, date(on), &params).unwrap_err();
    let single = evaluate(&set.policies()[0], &reached.subject(1), date(on), &params);
    assert_eq!(batch, single.unwrap_err());
}
