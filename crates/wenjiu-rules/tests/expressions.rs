//! The expression language on small cases, each run through both evaluators.

mod common;

use common::{date, params, person_policy};
use wenjiu_rules::{
    Column, Error, Frame, Outcome, Policy, PolicySet, SubjectKind, evaluate, evaluate_batch,
};

/// A person policy with one condition and an amount, loaded from text.
fn policy(condition: &str, formula: &str, round: &str) -> Result<Policy, Error> {
    person_policy(&format!(
        r#"conditions = [{{ name = "c", clause = "c", expr = '{condition}' }}]
amount = {{ formula = '{formula}', round = "{round}" }}
"#
    ))
}

/// Rows of (age, paid fen, group); checks single == batch and returns the outcomes.
fn run(condition: &str, formula: &str, round: &str, rows: &[(i64, i64, &str)]) -> Vec<Outcome> {
    let params = params();
    let policy = policy(condition, formula, round).unwrap();
    let frame = Frame::new(SubjectKind::Person, &vec!["210102"; rows.len()])
        .with_column(
            "person.age",
            Column::Int(rows.iter().map(|r| r.0).collect()),
        )
        .and_then(|f| {
            f.with_column(
                "person.flex_si_paid_fen",
                Column::Money(rows.iter().map(|r| r.1).collect()),
            )
        })
        .and_then(|f| {
            let groups: Vec<_> = rows.iter().map(|r| r.2).collect();
            f.with_column("person.group", Column::strings(&groups))
        })
        .unwrap();
    let on = date("2020-06-30");
    let set = PolicySet::new(vec![policy.clone()], &params).unwrap();
    let batch = evaluate_batch(&set, &frame, on, &params).unwrap().remove(0);
    (0..rows.len())
        .map(|row| {
            let single = evaluate(&policy, &frame.subject(row), on, &params)
                .unwrap()
                .outcome;
            match &single {
                Outcome::Eligible { amount_fen } => {
                    assert_eq!(batch.amount_of(row), Some(*amount_fen));
                }
                _ => assert_eq!(batch.amount_of(row), None),
            }
            single
        })
        .collect()
}

fn amounts(outcomes: &[Outcome]) -> Vec<Option<i64>> {
    outcomes
        .iter()
        .map(|o| match o {
            Outcome::Eligible { amount_fen } => Some(*amount_fen),
            _ => None,
        })
        .collect()
}

const ROWS: [(i64, i64, &str); 4] = [
    (20, 1_000, "graduate"),
    (45, 2_999, "difficulty"),
    (59, 0, "none"),
    (61, 100_000, "graduate"),
];

#[test]
fn ternary_min_max_and_literal_fen() {
    let got = run(
        "true",
        "person.age >= 45 ? max(person.flex_si_paid_fen, 2000) : min(person.flex_si_paid_fen, 500)",
        "down_to_fen",
        &ROWS,
    );
    assert_eq!(
        amounts(&got),
        [Some(500), Some(2_999), Some(2_000), Some(100_000)]
    );
}

#[test]
fn decimal_literals_and_division_are_exact() {
    // 0.1 is exactly a tenth; / is exact division, rounded only at the end.
    let got = run(
        "true",
        "person.flex_si_paid_fen * 0.1 + person.flex_si_paid_fen / 3",
        "half_up_to_fen",
        &ROWS,
    );
    // 1000: 100 + 333.33 = 433.33; 2999: 299.9 + 999.67 = 1299.57; 100000: 10000 + 33333.33
    assert_eq!(
        amounts(&got),
        [Some(433), Some(1_300), Some(0), Some(43_333)]
    );
    let got = run(
        "true",
        "person.flex_si_paid_fen * (1 - 0.3)",
        "down_to_yuan",
        &ROWS,
    );
    assert_eq!(
        amounts(&got),
        [Some(700), Some(2_000), Some(0), Some(70_000)]
    );
}

#[test]
fn logic_lists_and_negation() {
    let got = run(
        r#"!(person.group in ["none"]) && (person.age < 60 || size(["a", "b"]) == 3) && -person.age < 0"#,
        "1000",
        "down_to_fen",
        &ROWS,
    );
    assert_eq!(amounts(&got), [Some(1_000), Some(1_000), None, None]);
    let got = run(
        r#"person.group != "graduate""#,
        "person.age * 100",
        "down_to_fen",
        &ROWS,
    );
    assert_eq!(amounts(&got), [None, Some(4_500), Some(5_900), None]);
}

#[test]
fn dates_compare_and_pick() {
    let got = run(
        r#"max(date("2020-01-01"), date("2019-05-01")) == date("2020-01-01") && person.age > 40"#,
        "person.flex_si_paid_fen",
        "down_to_fen",
        &ROWS,
    );
    assert_eq!(amounts(&got), [None, Some(2_999), Some(0), Some(100_000)]);
}

fn message(condition: &str, formula: &str) -> String {
    match policy(condition, formula, "down_to_fen").unwrap_err() {
        Error::Check { message, .. } => message,
        other => panic!("{other:?}"),
    }
}

#[test]
fn unsupported_forms_are_rejected_at_load() {
    assert_eq!(
        message(r#"person.group.size() > 0"#, "1"),
        "不支持方法调用 .size()"
    );
    assert_eq!(
        message(r#"date("2020-13-01") > date("2020-01-01")"#, "1"),
        "日期“2020-13-01”应为 YYYY-MM-DD"
    );
    assert_eq!(
        message("person.age in [1, 2]", "1"),
        "列表只能由字符串常量组成"
    );
    assert_eq!(
        message("age > 1", "1"),
        "未知名称“age”：字段应写作 主体.字段，如 person.age"
    );
    assert_eq!(
        message("true", "person.age / person.flex_si_paid_fen"),
        "不能用 整数 除以 金额（分）"
    );
    assert_eq!(
        message("true", "person.flex_si_paid_fen / person.flex_si_paid_fen"),
        "金额应为金额（分），实为比率"
    );
    assert_eq!(
        message("person.age > 1 ? 1 : \"a\"", "1"),
        "类型不一致：整数 与 字符串"
    );
    assert_eq!(message("has(person.age)", "1"), "不支持 has()：字段总有值");
    assert_eq!(message("foo.age > 1", "1"), "未知字段“foo.age”");
    assert_eq!(
        message("param(person.group) == 1", "1"),
        "param() 需要一个字符串常量参数"
    );
}
