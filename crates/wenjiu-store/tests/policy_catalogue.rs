//! The Liaoning 2020 policy catalogue: it loads, every test case passes, every condition of
//! every policy is shown failing by some case, and batch evaluation agrees with the single
//! evaluation on every case.

use std::path::{Path, PathBuf};

use wenjiu_store::policy::cases::{Expected, load_cases, run_all};
use wenjiu_store::policy::rules::{Column, Frame, PolicySet, Value, evaluate_batch};
use wenjiu_store::policy::{Catalogue, load_catalogue};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/liaoning-2020")
}

fn catalogue() -> Catalogue {
    load_catalogue(&dir()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_case_passes() {
    let cat = catalogue();
    let results = run_all(&cat).unwrap_or_else(|e| panic!("{e}"));
    assert!(results.len() >= 100, "{} cases", results.len());
    let failures: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| r.explain())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_policy_has_an_eligible_case_and_every_condition_a_failing_one() {
    let cat = catalogue();
    let cases = load_cases(&cat).unwrap();
    for p in cat.set.policies() {
        let of: Vec<_> = cases.iter().filter(|c| c.policy == p.id).collect();
        assert!(
            of.iter()
                .any(|c| matches!(c.expect, Expected::Eligible { .. })),
            "{}: no eligible case",
            p.id
        );
        for cond in &p.conditions {
            let shown = of.iter().any(|c| {
                matches!(&c.expect, Expected::NotEligible { failed } if failed.contains(&cond.name))
            });
            assert!(shown, "{}: no case where {} fails", p.id, cond.name);
        }
    }
}

#[test]
fn batch_agrees_with_single_evaluation_on_every_case() {
    let cat = catalogue();
    for r in run_all(&cat).unwrap() {
        let case = &r.case;
        let policy = cat.set.get(&case.policy).unwrap();
        let set = PolicySet::new(vec![policy.clone()], &cat.params).unwrap();
        let mut frame = Frame::new(policy.subject, &[case.region.as_str()]);
        for (name, value) in &case.inputs {
            let column = match value {
                Value::Int(n) => Column::Int(vec![*n]),
                Value::Money(n) => Column::Money(vec![*n]),
                Value::Bool(b) => Column::Bool(vec![*b]),
                Value::Date(d) => Column::Date(vec![*d]),
                Value::String(s) => Column::strings(&[s.as_str()]),
                other => panic!("no column for {other:?}"),
            };
            frame = frame.with_column(name, column).unwrap();
        }
        let batch = &evaluate_batch(&set, &frame, case.date, &cat.params).unwrap()[0];
        let single = r.got.as_ref().unwrap();
        let amount = match single.outcome {
            wenjiu_store::policy::rules::Outcome::Eligible { amount_fen } => Some(amount_fen),
            _ => None,
        };
        assert_eq!(
            batch.amount_of(0),
            amount,
            "{}:{} {}",
            case.file,
            case.line,
            case.name
        );
    }
}

#[test]
fn a_parameter_without_a_province_default_is_reported_at_its_use() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("parameters")).unwrap();
    std::fs::write(
        d.join("parameters/p.toml"),
        "[[param]]\nname = \"months\"\ntype = \"int\"\nunit = \"月\"\ndescription = \"\"\n\
         [[param.values]]\nfrom = 2020-01-01\nregion = \"2102\"\nvalue = 6\nsource = \"大连\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("p.toml"),
        "id = \"p\"\nname = \"p\"\nsubject = \"hire\"\nfund = \"f\"\n\
         legal_basis = { document = \"d\", clause = \"c\" }\nvalidity = { from = 2020-01-01 }\n\
         [amount]\nformula = 'param(\"months\") * hire.monthly_employer_si_fen'\n\
         round = \"down_to_fen\"\n",
    )
    .unwrap();
    let e = load_catalogue(d).unwrap_err();
    assert_eq!(e.file, d.join("p.toml").display().to_string());
    assert_eq!(e.line, 8);
    assert_eq!(
        e.message,
        "参数“months”在政策生效日 2020-01-01 没有省级默认值"
    );
}
