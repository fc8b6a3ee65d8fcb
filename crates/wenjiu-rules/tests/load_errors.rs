//! A malformed policy or parameter file is rejected with its file, line and a clear message.

mod common;

use common::{FLEXIBLE, HIRING, params, schema};
use wenjiu_rules::{Error, Parameters, Policy, PolicySet};

fn load(text: &str) -> Error {
    let params = params();
    Policy::parse("bad.toml", text, &schema(&params)).unwrap_err()
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn check_error(e: Error) -> (String, usize, String, String) {
    match e {
        Error::Check {
            file,
            line,
            expr,
            message,
        } => (file, line, expr, message),
        other => panic!("expected a check error, got {other:?}"),
    }
}

#[test]
fn unknown_field_names_file_line_and_expression() {
    let text = HIRING.replace("hire.contract_months >=", "hire.contract_length >=");
    let e = load(&text);
    let shown = e.to_string();
    let (file, line, expr, message) = check_error(e);
    assert_eq!(file, "bad.toml");
    assert_eq!(line, line_of(&text, "hire.contract_length"));
    assert!(expr.contains("hire.contract_length"));
    assert_eq!(message, "未知字段“hire.contract_length”");
    assert!(
        shown.starts_with(&format!("bad.toml:{line}: 表达式 `")),
        "{shown}"
    );
}

#[test]
fn error_inside_a_multi_line_expression_points_at_its_line() {
    // The misspelt field is on the second line of a triple-quoted expression.
    let text = HIRING.replace("|| person.graduate_year", "|| person.graduation_year");
    let (_, line, _, message) = check_error(load(&text));
    assert_eq!(line, line_of(&text, "person.graduation_year"));
    assert!(message.contains("person.graduation_year"), "{message}");
}

#[test]
fn field_of_another_subject_kind_is_rejected() {
    let text = FLEXIBLE.replace("person.age >= 16", "enterprise.insured_start >= 16");
    let (_, line, _, message) = check_error(load(&text));
    assert_eq!(line, line_of(&text, "enterprise.insured_start"));
    assert_eq!(
        message,
        "主体为 person 的政策不能读取“enterprise.insured_start”"
    );
}

#[test]
fn type_mismatches_are_rejected() {
    let cases = [
        // money + count: a unit error
        (
            "person.flex_si_paid_fen * param(\"flex_share\")",
            "person.flex_si_paid_fen + person.age",
            "类型不一致：金额（分） 与 整数",
        ),
        // money × money
        (
            "person.flex_si_paid_fen * param(\"flex_share\")",
            "person.flex_si_paid_fen * person.flex_si_paid_fen",
            "不能将 金额（分） 与 金额（分） 相乘",
        ),
        // a condition that is not a boolean
        (
            "person.age >= 16 && ",
            "person.age && ",
            "逻辑运算的操作数应为布尔值，实为整数",
        ),
        // string compared with a number
        (
            "person.group in param(\"flex_groups\")",
            "person.group == 3",
            "类型不一致：字符串 与 整数",
        ),
    ];
    for (from, to, expected) in cases {
        let text = FLEXIBLE.replace(from, to);
        assert_ne!(text, FLEXIBLE, "{from}");
        let (_, line, _, message) = check_error(load(&text));
        assert_eq!(message, expected);
        assert_eq!(
            line,
            line_of(&text, to.trim_end_matches([' ', '&'])),
            "{to}"
        );
    }
    // The amount must be money.
    let text = FLEXIBLE.replace(
        "person.flex_si_paid_fen * param(\"flex_share\")",
        "person.age > 3",
    );
    let (_, _, _, message) = check_error(load(&text));
    assert_eq!(message, "金额应为金额（分），实为布尔值");
}

#[test]
fn unknown_function_and_undeclared_parameter_are_rejected() {
    let text = FLEXIBLE.replace("person.age >= 16", "abs(person.age) >= 16");
    assert_eq!(check_error(load(&text)).3, "未知函数或运算符“abs”");
    let text = FLEXIBLE.replace("param(\"flex_max_age\")", "param(\"max_age\")");
    let (_, line, _, message) = check_error(load(&text));
    assert_eq!(message, "参数“max_age”未声明");
    assert_eq!(line, line_of(&text, "max_age"));
}

#[test]
fn syntax_error_names_the_line() {
    // On the second line of a multi-line expression.
    let text = HIRING.replace(
        "|| person.graduate_year == 2020",
        "|| person.graduate_year == == 2020",
    );
    assert!(matches!(load(&text), Error::Syntax { line, .. } if line == line_of(&text, "== ==")));
    let text = FLEXIBLE.replace("person.age >= 16 &&", "person.age >= 16 &&&");
    match load(&text) {
        Error::Syntax { file, line, .. } => {
            assert_eq!(file, "bad.toml");
            assert_eq!(line, line_of(&text, "&&&"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_period_is_refused_on_a_policy_granted_once() {
    let text = HIRING.replace(
        "once_per_subject = true",
        "once_per_subject = true\ngranted_per = \"year\"",
    );
    match load(&text) {
        Error::Invalid { line, message, .. } => {
            assert_eq!(line, line_of(&text, "granted_per"));
            assert!(message.contains("只能取其一"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let text = HIRING.replace("once_per_subject = true", "granted_per = \"week\"");
    assert!(matches!(load(&text), Error::Toml { line, .. } if line == line_of(&text, "week")));
}

#[test]
fn unknown_toml_key_is_rejected_with_its_line() {
    let text = HIRING.replace("once_per_subject = true", "once_per_person = true");
    match load(&text) {
        Error::Toml {
            file,
            line,
            message,
        } => {
            assert_eq!(file, "bad.toml");
            assert_eq!(line, line_of(&text, "once_per_person"));
            assert!(message.contains("once_per_person"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Inside a nested table too.
    let text = HIRING.replace("round = \"down_to_yuan\"", "rounding = \"down_to_yuan\"");
    assert!(matches!(load(&text), Error::Toml { line, .. } if line == line_of(&text, "rounding")));
    // And an unknown rounding rule.
    let text = HIRING.replace("round = \"down_to_yuan\"", "round = \"nearest\"");
    assert!(matches!(load(&text), Error::Toml { line, .. } if line == line_of(&text, "nearest")));
}

#[test]
fn invalid_validity_and_duplicate_condition_are_rejected() {
    let text = HIRING.replace("to = 2020-12-31", "to = 2019-12-31");
    assert_eq!(
        load(&text).to_string(),
        format!(
            "bad.toml:{}: 有效期的截止日早于起始日",
            line_of(&text, "to = 2019")
        )
    );
    let text = HIRING.replace("name = \"sme\"", "name = \"contract\"");
    assert!(load(&text).to_string().contains("条件名“contract”重复"));
}

#[test]
fn missing_province_default_at_policy_start_is_rejected() {
    // hiring_cap's province value starts only in March: none on 2020-01-01.
    let text = common::PARAMS.replacen(
        "from = 2020-01-01\nregion = \"21\"\nvalue = 300000",
        "from = 2020-03-01\nregion = \"21\"\nvalue = 300000",
        1,
    );
    assert_ne!(text, common::PARAMS);
    let params = Parameters::parse("params.toml", &text).unwrap();
    let policy = Policy::parse("hiring.toml", HIRING, &schema(&params)).unwrap();
    let e = PolicySet::new(vec![policy], &params).unwrap_err();
    assert_eq!(
        e.to_string(),
        "hiring.toml: 参数“hiring_cap”在政策生效日 2020-01-01 没有省级默认值"
    );
}

#[test]
fn parameter_file_errors_name_the_line() {
    let text = "[[param]]\nname = \"x\"\ntype = \"money\"\nunit = \"分\"\ndescription = \"d\"\n\
                [[param.values]]\nfrom = 2020-01-01\nregion = \"21\"\nvalue = \"100\"\nsource = \"s\"\n";
    let e = Parameters::parse("p.toml", text).unwrap_err();
    assert_eq!(e.to_string(), "p.toml:6: 参数“x”的取值应为金额（分）");
    let e = Parameters::parse("p.toml", &text.replace("unit", "units")).unwrap_err();
    assert!(matches!(e, Error::Toml { line: 4, .. }), "{e:?}");
    // The same region and start date twice.
    let valid = text.replace("\"100\"", "100");
    let twice = valid.clone() + &valid[valid.find("[[param.values]]").unwrap()..];
    let e = Parameters::parse("p.toml", &twice).unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.toml:11: 参数“x”在地区 21 自 2020-01-01 起已有取值，历史不可覆盖"
    );
}
