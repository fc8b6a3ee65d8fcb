//! `wenjiu policy check|test|eval` on the Liaoning 2020 catalogue, and malformed catalogues
//! rejected with the file, the line and a clear message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/liaoning-2020")
}

fn wenjiu(args: &[&str]) -> (bool, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_wenjiu"))
        .args(args)
        .output()
        .expect("wenjiu runs");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// A copy of the catalogue in a temporary folder, to spoil.
fn copy() -> tempfile::TempDir {
    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let target = to.join(p.file_name().unwrap());
            if p.is_dir() {
                copy_dir(&p, &target);
            } else {
                std::fs::copy(&p, &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&catalogue(), dir.path());
    dir
}

/// Replaces `from` by `to` in `file` of the catalogue copy; returns the new text.
fn spoil(dir: &Path, file: &str, from: &str, to: &str) -> String {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    let text = text.replacen(from, to, 1);
    std::fs::write(&path, &text).unwrap();
    text
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// `wenjiu policy check` fails and says `FILE:LINE: …message…`.
fn rejected(dir: &Path, file: &str, line: usize, message: &str) {
    let (ok, text) = wenjiu(&["policy", "check", dir.to_str().unwrap()]);
    assert!(!ok, "a spoilt catalogue passed:\n{text}");
    let place = format!("{}:{line}: ", dir.join(file).display());
    assert!(text.contains(&place), "expected {place:?} in:\n{text}");
    assert!(text.contains(message), "expected {message:?} in:\n{text}");
}

#[test]
fn the_catalogue_checks_and_every_case_passes() {
    let dir = catalogue();
    let (ok, text) = wenjiu(&["policy", "check", dir.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("13 项政策"), "{text}");
    assert!(text.contains("hiring-si 一次性吸纳就业补贴"), "{text}");
    let (ok, text) = wenjiu(&["policy", "test", dir.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("失败 0"), "{text}");
    // The parent folder holds the catalogue too.
    let parent = dir.parent().unwrap().to_str().unwrap().to_string();
    let (ok, text) = wenjiu(&["policy", "test", &parent]);
    assert!(ok && text.contains("全部"), "{text}");
}

#[test]
fn a_failing_case_shows_expected_got_and_the_trace() {
    let dir = copy();
    let text = spoil(
        dir.path(),
        "tests/hiring-si.toml",
        "inputs = { person.unemployed_months = 5 }",
        "inputs = { person.unemployed_months = 7 }",
    );
    let (ok, out) = wenjiu(&["policy", "test", dir.path().to_str().unwrap()]);
    assert!(!ok, "{out}");
    let line = line_of(&text, "name = \"登记失业 5 个月\"") - 1; // the [[case]] header
    let place = format!("tests/hiring-si.toml:{line}: 用例“登记失业 5 个月”");
    assert!(out.contains(&place), "{place} in:\n{out}");
    assert!(
        out.contains("预期：not_eligible，不满足 target_group"),
        "{out}"
    );
    assert!(out.contains("实际：eligible"), "{out}");
    assert!(out.contains("条件 target_group"), "{out}");
    assert!(out.contains("person.unemployed_months = 7"), "{out}");
    assert!(
        out.contains("param(\"hiring_min_unemployed_months\") = 6"),
        "{out}"
    );
    assert!(out.contains("1 个用例失败"), "{out}");
}

#[test]
fn unknown_field_is_rejected_with_file_and_line() {
    let dir = copy();
    let text = spoil(
        dir.path(),
        "hiring-si.toml",
        "hire.contract_months >=",
        "hire.contract_length >=",
    );
    let line = line_of(&text, "hire.contract_length");
    rejected(
        dir.path(),
        "hiring-si.toml",
        line,
        "未知字段“hire.contract_length”",
    );
}

#[test]
fn wrong_types_are_rejected_with_file_and_line() {
    let dir = copy();
    // A count compared with money.
    let text = spoil(
        dir.path(),
        "hiring-epidemic-supplies.toml",
        "hire.contract_months >= param(\"hiring_min_contract_months\")",
        "hire.contract_months >= param(\"hiring_epidemic_amount_fen\")",
    );
    let line = line_of(&text, "hiring_epidemic_amount_fen\")'");
    rejected(
        dir.path(),
        "hiring-epidemic-supplies.toml",
        line,
        "类型不一致：整数 与 金额（分）",
    );

    // A condition that is money, not a yes/no.
    let dir = copy();
    let text = spoil(
        dir.path(),
        "stable-return.toml",
        "expr = \"enterprise.ui_paid_in_full\"",
        "expr = \"enterprise.ui_paid_last_year_fen\"",
    );
    let line = line_of(&text, "enterprise.ui_paid_last_year_fen\"");
    rejected(
        dir.path(),
        "stable-return.toml",
        line,
        "条件应为布尔值，实为金额（分）",
    );

    // A parameter value of the wrong type.
    let dir = copy();
    let text = spoil(
        dir.path(),
        "parameters/hiring.toml",
        "value = 12\n",
        "value = \"12\"\n",
    );
    let line = line_of(&text, "value = \"12\"") - 3; // the [[param.values]] header
    rejected(
        dir.path(),
        "parameters/hiring.toml",
        line,
        "参数“hiring_min_contract_months”的取值应为整数",
    );
}

#[test]
fn missing_parameter_values_are_rejected_with_file_and_line() {
    // Only the cities set the months: every other city would have no value.
    let dir = copy();
    spoil(
        dir.path(),
        "parameters/hiring.toml",
        "from = 2020-01-01\nregion = \"21\"\nvalue = 3\n",
        "from = 2020-01-01\nregion = \"2103\"\nvalue = 3\n",
    );
    let text = std::fs::read_to_string(dir.path().join("hiring-si.toml")).unwrap();
    let line = line_of(&text, "param(\"hiring_si_months\")");
    rejected(
        dir.path(),
        "hiring-si.toml",
        line,
        "参数“hiring_si_months”在政策生效日 2020-01-01 没有省级默认值",
    );

    // The province default starts after the policy does.
    let dir = copy();
    spoil(
        dir.path(),
        "parameters/hiring.toml",
        "from = 2020-01-01\nregion = \"21\"\nvalue = 3\n",
        "from = 2020-03-01\nregion = \"21\"\nvalue = 3\n",
    );
    rejected(
        dir.path(),
        "hiring-si.toml",
        line,
        "参数“hiring_si_months”在政策生效日 2020-01-01 没有省级默认值",
    );
}

#[test]
fn malformed_test_cases_are_rejected_with_file_and_line() {
    let dir = copy();
    let text = spoil(
        dir.path(),
        "tests/hiring-si.toml",
        "inputs = { hire.contract_months = 11 }",
        "inputs = { hire.contract_length = 11 }",
    );
    let line = line_of(&text, "hire.contract_length");
    rejected(
        dir.path(),
        "tests/hiring-si.toml",
        line,
        "未知字段“hire.contract_length”",
    );
    let dir = copy();
    let text = spoil(
        dir.path(),
        "tests/hiring-si.toml",
        "inputs = { hire.contract_months = 11 }",
        "inputs = { hire.contract_months = \"11\" }",
    );
    let line = line_of(&text, "hire.contract_months = \"11\"");
    rejected(
        dir.path(),
        "tests/hiring-si.toml",
        line,
        "字段“hire.contract_months”的值应为整数",
    );
}

#[test]
fn eval_prints_the_outcome_and_trace_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let subject = dir.path().join("hire.json");
    std::fs::write(
        &subject,
        r#"{"person": {"registered_unemployed": true, "unemployed_months": 8,
                        "graduate_of_year": false},
            "hire.contract_months": 24, "hire.si_paid": true, "hire.start_date": "2020-05-01",
            "hire.monthly_employer_si_fen": 100000}"#,
    )
    .unwrap();
    let (ok, out) = wenjiu(&[
        "policy",
        "eval",
        "--policy",
        "hiring-si",
        "--subject",
        subject.to_str().unwrap(),
        "--date",
        "2020-07-01",
        "--region",
        "210202",
        "--dir",
        catalogue().to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 大连: 6 months of the employer's contributions.
    assert_eq!(json["outcome"]["outcome"], "eligible");
    assert_eq!(json["outcome"]["amount_fen"], 600_000);
    let params = json["trace"]["params"].as_array().unwrap();
    let months = params
        .iter()
        .find(|p| p["name"] == "hiring_si_months")
        .unwrap();
    assert_eq!(months["region"], "2102");
    assert_eq!(months["value"]["value"], 6);
    assert_eq!(
        json["trace"]["legal_basis"]["document"],
        "辽政发〔2020〕9号"
    );
}
