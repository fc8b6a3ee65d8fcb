//! Single evaluation: outcomes, traces citing the law and the parameters' origins, rounding.

mod common;

use common::{FLEXIBLE, HIRING, STABLE, date, hire, params, policy};
use wenjiu_core::indicators::Ratio;
use wenjiu_rules::{
    Column, Error, Frame, Outcome, ParamRead, PolicySet, Rounding, Subject, SubjectKind, Value,
    evaluate, evaluate_batch,
};

fn money(fen: i64) -> Value {
    Value::Money(fen)
}

#[test]
fn eligible_hire_has_a_full_trace() {
    let hiring = policy("hiring.toml", HIRING);
    let subject = hire("210102").with("person.monthly_employer_si_fen", money(98_765));
    let e = evaluate(&hiring, &subject, date("2020-06-30"), &params()).unwrap();
    assert_eq!(
        e.outcome,
        Outcome::Eligible {
            amount_fen: 296_200
        }
    );
    let t = &e.trace;
    assert_eq!(t.legal_basis.document, "辽政发〔2020〕9号");
    let names: Vec<_> = t.conditions.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["target_group", "contract", "sme", "hired_in_2020"]);
    assert!(t.conditions.iter().all(|c| c.result == Some(true)));
    let target = &t.conditions[0];
    assert_eq!(target.clause, "登记失业半年以上人员或当年高校毕业生");
    // `||` stopped after its true left side: the graduation year was not read.
    let read: Vec<_> = target
        .reads
        .fields
        .iter()
        .map(|f| (f.field.as_str(), &f.value))
        .collect();
    assert_eq!(
        read,
        [
            ("person.registered_unemployed", &Value::Bool(true)),
            ("person.unemployed_months", &Value::Int(7)),
        ]
    );
    assert_eq!(
        t.conditions[1].reads.params,
        [ParamRead {
            name: "hiring_min_contract_months".into(),
            value: Value::Int(12),
            region: "21".into(),
            from: date("2020-01-01"),
            source: "辽政发〔2020〕9号 第三条".into(),
        }]
    );
    let amount = t.amount.as_ref().unwrap();
    assert_eq!(
        amount.formula,
        "min(param(\"hiring_months\"), 6) * person.monthly_employer_si_fen"
    );
    assert_eq!(amount.steps.exact_fen, Ratio::from_integer(296_295));
    assert_eq!(amount.steps.cap_fen, Some(Ratio::from_integer(300_000)));
    assert_eq!(amount.steps.capped_fen, Ratio::from_integer(296_295));
    assert_eq!(amount.steps.rounding, Rounding::DownToYuan);
    assert_eq!(amount.steps.amount_fen, 296_200);
    let params: Vec<_> = t.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        params,
        ["hiring_min_contract_months", "hiring_months", "hiring_cap"]
    );
    // The trace is the API's JSON as it stands.
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["outcome"]["outcome"], "eligible");
    assert_eq!(json["trace"]["conditions"][2]["clause"], "中小微企业");
    assert_eq!(json["trace"]["amount"]["steps"]["exact_fen"], "296295");
}

#[test]
fn city_and_county_values_show_in_the_trace() {
    let hiring = policy("hiring.toml", HIRING);
    let subject = hire("210202").with("person.monthly_employer_si_fen", money(70_000));
    let e = evaluate(&hiring, &subject, date("2020-08-01"), &params()).unwrap();
    // 大连 pays 4 months from July; 中山区 caps at 2,500 yuan.
    assert_eq!(
        e.outcome,
        Outcome::Eligible {
            amount_fen: 250_000
        }
    );
    let find = |name: &str| {
        e.trace
            .params
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .clone()
    };
    let months = find("hiring_months");
    assert_eq!(
        (months.region.as_str(), months.from),
        ("2102", date("2020-07-01"))
    );
    assert_eq!(months.source, "大连市 示例文件 第一条");
    assert_eq!(find("hiring_cap").region, "210202");
    let steps = &e.trace.amount.as_ref().unwrap().steps;
    assert_eq!(steps.exact_fen, Ratio::from_integer(280_000));
    assert_eq!(steps.capped_fen, Ratio::from_integer(250_000));
    // Before July the province's 3 months apply: 210,000 fen, under the cap.
    let e = evaluate(&hiring, &subject, date("2020-06-30"), &params()).unwrap();
    assert_eq!(
        e.outcome,
        Outcome::Eligible {
            amount_fen: 210_000
        }
    );
}

#[test]
fn not_eligible_lists_every_failed_condition() {
    let hiring = policy("hiring.toml", HIRING);
    let subject = hire("210102")
        .with("hire.contract_months", Value::Int(11))
        .with("enterprise.size", Value::String("large".into()));
    let e = evaluate(&hiring, &subject, date("2020-06-30"), &params()).unwrap();
    assert_eq!(
        e.outcome,
        Outcome::NotEligible {
            failed: vec!["contract".into(), "sme".into()]
        }
    );
    let results: Vec<_> = e.trace.conditions.iter().map(|c| c.result).collect();
    assert_eq!(results, [Some(true), Some(false), Some(false), Some(true)]);
    assert_eq!(e.trace.amount, None);
}

#[test]
fn not_applicable_outside_validity_or_for_another_kind() {
    let hiring = policy("hiring.toml", HIRING);
    let p = params();
    for on in ["2019-12-31", "2021-01-01"] {
        let e = evaluate(&hiring, &hire("210102"), date(on), &p).unwrap();
        assert_eq!(e.outcome, Outcome::NotApplicable, "{on}");
        assert!(e.trace.conditions.is_empty());
    }
    let person = Subject::new(SubjectKind::Person, "210102");
    let e = evaluate(&hiring, &person, date("2020-06-30"), &p).unwrap();
    assert_eq!(e.outcome, Outcome::NotApplicable);
}

fn enterprise(insured_start: i64, insured_end: i64, paid: i64) -> Subject {
    Subject::new(SubjectKind::Enterprise, "210302")
        .with("enterprise.size", Value::String("small".into()))
        .with("enterprise.insured_start", Value::Int(insured_start))
        .with("enterprise.insured_end", Value::Int(insured_end))
        .with("enterprise.ui_paid_last_year_fen", money(paid))
}

#[test]
fn eligible_for_zero_is_not_not_eligible() {
    let stable = policy("stable.toml", STABLE);
    let p = params();
    let on = date("2020-06-30");
    let zero = evaluate(&stable, &enterprise(10, 10, 0), on, &p).unwrap();
    assert_eq!(zero.outcome, Outcome::Eligible { amount_fen: 0 });
    // No insured staff: the first condition fails, and the layoff rate (a division by zero)
    // is reported as not computable rather than failing the evaluation.
    let none = evaluate(&stable, &enterprise(0, 0, 0), on, &p).unwrap();
    assert_eq!(
        none.outcome,
        Outcome::NotEligible {
            failed: vec!["insured".into()]
        }
    );
    assert_eq!(none.trace.conditions[1].result, None);
    // 3 of 30 laid off is 10%, within the 20% allowed to enterprises of at most 30.
    let small = evaluate(&stable, &enterprise(30, 27, 123_456), on, &p).unwrap();
    assert_eq!(
        small.outcome,
        Outcome::Eligible {
            amount_fen: 123_500
        }
    );
    // 3 of 31 is above 5.5%.
    let larger = evaluate(&stable, &enterprise(31, 28, 123_456), on, &p).unwrap();
    assert_eq!(
        larger.outcome,
        Outcome::NotEligible {
            failed: vec!["layoff_rate".into()]
        }
    );
    // And the batch path says the same of the four.
    let frame = Frame::new(SubjectKind::Enterprise, &["210302"; 4])
        .with_column("enterprise.size", Column::strings(&["small"; 4]))
        .and_then(|f| f.with_column("enterprise.insured_start", Column::Int(vec![10, 0, 30, 31])))
        .and_then(|f| f.with_column("enterprise.insured_end", Column::Int(vec![10, 0, 27, 28])))
        .and_then(|f| {
            f.with_column(
                "enterprise.ui_paid_last_year_fen",
                Column::Money(vec![0, 0, 123_456, 123_456]),
            )
        })
        .unwrap();
    let set = PolicySet::new(vec![stable], &p).unwrap();
    let r = &evaluate_batch(&set, &frame, on, &p).unwrap()[0];
    assert_eq!(r.rows, [0, 2]);
    assert_eq!(r.amounts_fen, [0, 123_500]);
    assert_eq!(r.grants().collect::<Vec<_>>(), [(0, 0), (2, 123_500)]);
    assert_eq!(r.amount_of(0), Some(0));
    assert_eq!(r.amount_of(1), None);
    assert_eq!(r.amount_of(2), Some(123_500));
    assert_eq!((r.beneficiaries(), r.total_fen()), (2, 123_500));
}

#[test]
fn rates_stay_exact_until_the_stated_rounding() {
    let flexible = policy("flexible.toml", FLEXIBLE);
    let p = params();
    let person = |paid| {
        Subject::new(SubjectKind::Person, "211302")
            .with("person.group", Value::String("graduate".into()))
            .with("person.age", Value::Int(23))
            .with("person.flex_months_subsidised", Value::Int(30))
            .with("person.flex_si_paid_fen", money(paid))
    };
    let on = date("2020-06-30");
    // 2/3 of 100 fen is 66.67: half up to the fen gives 67, not 66.
    for (paid, expected) in [
        (100, 67),
        (1, 1),
        (3, 2),
        (360_001, 240_000),
        (359_999, 239_999),
    ] {
        let e = evaluate(&flexible, &person(paid), on, &p).unwrap();
        assert_eq!(
            e.outcome,
            Outcome::Eligible {
                amount_fen: expected
            },
            "{paid}"
        );
    }
    let steps = evaluate(&flexible, &person(100), on, &p)
        .unwrap()
        .trace
        .amount
        .unwrap()
        .steps;
    assert_eq!(steps.exact_fen, Ratio::new(200, 3).unwrap());
    assert_eq!(steps.rounding, Rounding::HalfUpToFen);
    // The 2020 extension: 30 months subsidised is beyond a graduate's 24 before 2020.
    let before = evaluate(&flexible, &person(100), date("2019-06-30"), &p).unwrap();
    assert_eq!(
        before.outcome,
        Outcome::NotEligible {
            failed: vec!["within_period".into()]
        }
    );
    let ext = before.trace.conditions[2]
        .reads
        .params
        .iter()
        .find(|r| r.name == "flex_extension_months");
    assert_eq!(ext.unwrap().value, Value::Int(0));
}

#[test]
fn evaluation_errors_name_policy_and_expression() {
    let p = params();
    let without_guard =
        STABLE.replace("expr = \"enterprise.insured_start > 0\"", "expr = \"true\"");
    let stable = policy("stable.toml", &without_guard);
    let e = evaluate(&stable, &enterprise(0, 0, 0), date("2020-06-30"), &p).unwrap_err();
    match &e {
        Error::Eval {
            policy,
            expr,
            message,
        } => {
            assert_eq!(policy, "stable-jobs-return");
            assert!(expr.starts_with("(enterprise.insured_start - enterprise.insured_end)"));
            assert_eq!(message, "除数为零");
        }
        other => panic!("{other:?}"),
    }
    let set = PolicySet::new(vec![stable], &p).unwrap();
    let frame = Frame::new(SubjectKind::Enterprise, &["210302"])
        .with_column("enterprise.insured_start", Column::Int(vec![0]))
        .and_then(|f| f.with_column("enterprise.insured_end", Column::Int(vec![0])))
        .and_then(|f| f.with_column("enterprise.size", Column::strings(&["small"])))
        .and_then(|f| f.with_column("enterprise.ui_paid_last_year_fen", Column::Money(vec![0])))
        .unwrap();
    assert_eq!(
        evaluate_batch(&set, &frame, date("2020-06-30"), &p).unwrap_err(),
        e
    );
}

#[test]
fn missing_or_mistyped_fields_are_errors() {
    let stable = policy("stable.toml", STABLE);
    let p = params();
    let on = date("2020-06-30");
    let partial = Subject::new(SubjectKind::Enterprise, "210302");
    assert_eq!(
        evaluate(&stable, &partial, on, &p).unwrap_err(),
        Error::MissingField("enterprise.insured_start".into())
    );
    let wrong = enterprise(1, 1, 1).with("enterprise.insured_start", money(1));
    assert_eq!(
        evaluate(&stable, &wrong, on, &p).unwrap_err().to_string(),
        "字段“enterprise.insured_start”应为整数"
    );
    let frame = Frame::new(SubjectKind::Enterprise, &["210302"]);
    assert!(
        frame
            .with_column("enterprise.size", Column::Int(vec![1, 2]))
            .is_err()
    );
}
