//! 政策测试用例（OpenFisca 式）：输入、日期、地区与预期结果。
//! Policy test cases, OpenFisca-style: one TOML file of cases per policy in `DIR/tests/`.
//!
//! ```toml
//! # Defaults for every case of the file (each may be overridden by a case).
//! policy = "hiring-si"
//! date = 2020-07-01
//! region = "210102"                   # the subject's county (a hire: the enterprise's)
//!
//! [inputs]                            # field = value, merged under each case's inputs
//! person.registered_unemployed = true
//! hire.monthly_employer_si_fen = 80000  # money in fen
//!
//! [[case]]
//! name = "失业满6个月：刚好符合"
//! inputs = { person.unemployed_months = 6 }
//! expect = "eligible"                 # eligible | not_eligible | not_applicable
//! amount_fen = 240000                 # required with eligible
//!
//! [[case]]
//! name = "失业5个月：不符合"
//! inputs = { person.unemployed_months = 5 }
//! expect = "not_eligible"
//! failed = ["target_group"]           # required with not_eligible: the failing conditions
//! ```
//!
//! Unknown keys, unknown fields, values of the wrong type and unknown policies are load errors
//! naming the file and line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;
use wenjiu_rules::{Evaluation, Outcome, Rounding, Subject, Type, Value, evaluate};

use super::{Catalogue, LoadError, read, toml_files};

/// What a case expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Eligible { amount_fen: i64 },
    NotEligible { failed: Vec<String> },
    NotApplicable,
}

impl Expected {
    fn matches(&self, got: &Outcome) -> bool {
        match (self, got) {
            (Expected::Eligible { amount_fen: a }, Outcome::Eligible { amount_fen: b }) => a == b,
            (Expected::NotEligible { failed: a }, Outcome::NotEligible { failed: b }) => a == b,
            (Expected::NotApplicable, Outcome::NotApplicable) => true,
            _ => false,
        }
    }
}

/// Outcomes as the case files write them.
pub fn describe_outcome(o: &Outcome) -> String {
    match o {
        Outcome::Eligible { amount_fen } => format!("eligible，{}", yuan(*amount_fen)),
        Outcome::NotEligible { failed } => format!("not_eligible，不满足 {}", failed.join("、")),
        Outcome::NotApplicable => "not_applicable".into(),
    }
}

fn describe_expected(e: &Expected) -> String {
    match e {
        Expected::Eligible { amount_fen } => describe_outcome(&Outcome::Eligible {
            amount_fen: *amount_fen,
        }),
        Expected::NotEligible { failed } => describe_outcome(&Outcome::NotEligible {
            failed: failed.clone(),
        }),
        Expected::NotApplicable => describe_outcome(&Outcome::NotApplicable),
    }
}

/// `12345` fen as `123.45 元（12345 分）`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02} 元（{fen} 分）", a / 100, a % 100)
}

/// One test case, with the file and line it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub file: String,
    pub line: usize,
    pub name: String,
    pub policy: String,
    pub date: NaiveDate,
    pub region: String,
    /// By full field name.
    pub inputs: BTreeMap<String, Value>,
    pub expect: Expected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    policy: Option<String>,
    date: Option<toml::value::Datetime>,
    region: Option<String>,
    #[serde(default)]
    inputs: toml::Table,
    #[serde(default)]
    case: Vec<Spanned<CaseEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseEntry {
    name: String,
    policy: Option<String>,
    date: Option<toml::value::Datetime>,
    region: Option<String>,
    #[serde(default)]
    inputs: toml::Table,
    expect: String,
    amount_fen: Option<i64>,
    failed: Option<Vec<String>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn to_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    match (d.date, d.time, d.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}

/// Flattens `{ person = { age = 30 } }` into `person.age = 30`.
fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            other => out.push((key, other.clone())),
        }
    }
}

/// A TOML value as a field value of type `ty`.
pub fn convert(v: &toml::Value, ty: Type) -> Option<Value> {
    Some(match (ty, v) {
        (Type::Int, toml::Value::Integer(n)) => Value::Int(*n),
        (Type::Money, toml::Value::Integer(n)) => Value::Money(*n),
        (Type::Bool, toml::Value::Boolean(b)) => Value::Bool(*b),
        (Type::String, toml::Value::String(s)) => Value::String(s.clone()),
        (Type::Date, toml::Value::Datetime(d)) => Value::Date(to_date(d)?),
        _ => return None,
    })
}

/// A JSON value as a field value of type `ty` (money in integer fen, dates as `YYYY-MM-DD`).
pub fn convert_json(v: &serde_json::Value, ty: Type) -> Option<Value> {
    Some(match (ty, v) {
        (Type::Int, serde_json::Value::Number(n)) => Value::Int(n.as_i64()?),
        (Type::Money, serde_json::Value::Number(n)) => Value::Money(n.as_i64()?),
        (Type::Bool, serde_json::Value::Bool(b)) => Value::Bool(*b),
        (Type::String, serde_json::Value::String(s)) => Value::String(s.clone()),
        (Type::Date, serde_json::Value::String(s)) => {
            Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?)
        }
        _ => return None,
    })
}

fn valid_region(r: &str) -> bool {
    matches!(r.len(), 2 | 4 | 6) && r.bytes().all(|b| b.is_ascii_digit())
}

/// Parses one file of cases against the catalogue (policies, fields and their types).
pub fn parse_cases(file: &str, text: &str, cat: &Catalogue) -> Result<Vec<Case>, LoadError> {
    let parsed: CaseFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        LoadError::new(file, line, format!("TOML 格式错误：{}", e.message().trim()))
    })?;
    let mut defaults = Vec::new();
    flatten("", &parsed.inputs, &mut defaults);
    let mut cases = Vec::new();
    for entry in parsed.case {
        let start = entry.span().start;
        let line = line_of(text, start);
        let c = entry.into_inner();
        let err = |m: String| LoadError::new(file, line, format!("用例“{}”：{m}", c.name));
        let policy = c
            .policy
            .or_else(|| parsed.policy.clone())
            .ok_or_else(|| err("未指明政策 policy".into()))?;
        if cat.set.get(&policy).is_none() {
            return Err(err(format!("未知政策“{policy}”")));
        }
        let date = c
            .date
            .as_ref()
            .or(parsed.date.as_ref())
            .ok_or_else(|| err("未指明日期 date".into()))?;
        let date = to_date(date).ok_or_else(|| err("日期应写作 2020-07-01".into()))?;
        let region = c
            .region
            .or_else(|| parsed.region.clone())
            .ok_or_else(|| err("未指明地区 region".into()))?;
        if !valid_region(&region) {
            return Err(err(format!("地区“{region}”应为 2、4 或 6 位行政区划代码")));
        }
        let mut own = Vec::new();
        flatten("", &c.inputs, &mut own);
        let mut inputs = BTreeMap::new();
        let tagged = defaults.iter().map(|d| (d, false));
        for ((name, v), in_case) in tagged.chain(own.iter().map(|o| (o, true))) {
            let at = |needle: &str| {
                // The line of the input in this case, or in the file's defaults.
                let in_this_case = text[start..]
                    .lines()
                    .position(|l| l.contains(needle))
                    .map(|i| line + i);
                match in_this_case {
                    Some(l) if in_case => l,
                    _ => super::line_containing(text, needle).max(1),
                }
            };
            let leaf = name.rsplit('.').next().unwrap_or(name);
            let ty = cat.schema.field(name).ok_or_else(|| {
                LoadError::new(
                    file,
                    at(leaf),
                    format!("用例“{}”：未知字段“{name}”", c.name),
                )
            })?;
            let value = convert(v, ty).ok_or_else(|| {
                LoadError::new(
                    file,
                    at(leaf),
                    format!("用例“{}”：字段“{name}”的值应为{ty}", c.name),
                )
            })?;
            inputs.insert(name.clone(), value);
        }
        let expect = match c.expect.as_str() {
            "eligible" => Expected::Eligible {
                amount_fen: c
                    .amount_fen
                    .ok_or_else(|| err("预期 eligible 时须给出 amount_fen".into()))?,
            },
            "not_eligible" => Expected::NotEligible {
                failed: c
                    .failed
                    .clone()
                    .ok_or_else(|| err("预期 not_eligible 时须给出 failed".into()))?,
            },
            "not_applicable" => Expected::NotApplicable,
            other => {
                return Err(err(format!(
                    "expect 应为 eligible、not_eligible 或 not_applicable，而非“{other}”"
                )));
            }
        };
        if let Expected::NotEligible { failed } = &expect {
            let p = cat.set.get(&policy).expect("checked above");
            if let Some(unknown) = failed
                .iter()
                .find(|f| !p.conditions.iter().any(|c| &c.name == *f))
            {
                return Err(err(format!("政策“{policy}”没有条件“{unknown}”")));
            }
        }
        cases.push(Case {
            file: file.to_string(),
            line,
            name: c.name,
            policy,
            date,
            region,
            inputs,
            expect,
        });
    }
    Ok(cases)
}

/// Every case of `cat.dir/tests/*.toml` (none when there is no `tests/` folder).
pub fn load_cases(cat: &Catalogue) -> Result<Vec<Case>, LoadError> {
    let dir = cat.dir.join("tests");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut cases = Vec::new();
    for path in toml_files(&dir)? {
        let text = read(&path)?;
        cases.extend(parse_cases(&path.display().to_string(), &text, cat)?);
    }
    Ok(cases)
}

/// The result of running one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub case: Case,
    /// The evaluation, or the engine's error (e.g. an input the policy needs is missing).
    pub got: Result<Evaluation, String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.got
            .as_ref()
            .is_ok_and(|e| self.case.expect.matches(&e.outcome))
    }

    /// For a failed case: where it is, expected and got, and the trace of the conditions that
    /// decided the difference (or of the amount).
    pub fn explain(&self) -> String {
        let c = &self.case;
        let mut s = format!(
            "{}:{}: 用例“{}”（政策 {}，{}，地区 {}）\n  预期：{}\n",
            c.file,
            c.line,
            c.name,
            c.policy,
            c.date,
            c.region,
            describe_expected(&c.expect)
        );
        let e = match &self.got {
            Err(m) => {
                let _ = writeln!(s, "  出错：{m}");
                return s;
            }
            Ok(e) => e,
        };
        let _ = writeln!(s, "  实际：{}", describe_outcome(&e.outcome));
        let expected_failed: &[String] = match &c.expect {
            Expected::NotEligible { failed } => failed,
            _ => &[],
        };
        for t in &e.trace.conditions {
            let failed = t.result == Some(false);
            let expected = expected_failed.contains(&t.name);
            if failed == expected {
                continue;
            }
            let result = match t.result {
                Some(true) => "成立",
                Some(false) => "不成立",
                None => "未计算",
            };
            let _ = writeln!(
                s,
                "  条件 {}（{}）{result}：{}",
                t.name,
                t.clause,
                one_line(&t.expr)
            );
            write_reads(&mut s, &t.reads);
        }
        if let (Some(a), Expected::Eligible { .. }) = (&e.trace.amount, &c.expect) {
            let _ = writeln!(
                s,
                "  金额 {}{}：精确值 {} 分，封顶后 {} 分，按 {} 取整为 {}",
                one_line(&a.formula),
                a.cap
                    .as_ref()
                    .map(|c| format!("，上限 {}", one_line(c)))
                    .unwrap_or_default(),
                a.steps.exact_fen,
                a.steps.capped_fen,
                rounding_name(a.steps.rounding),
                yuan(a.steps.amount_fen)
            );
            write_reads(&mut s, &a.reads);
        }
        s
    }
}

/// An expression written over several lines, on one.
/// The fields and parameters an expression read, one per line, parameters with where their
/// value comes from.
fn write_reads(s: &mut String, reads: &wenjiu_rules::Reads) {
    for r in &reads.fields {
        let _ = writeln!(s, "    {} = {}", r.field, show(&r.value));
    }
    for p in &reads.params {
        let _ = writeln!(
            s,
            "    param(\"{}\") = {}（地区 {}，自 {}，{}）",
            p.name,
            show(&p.value),
            p.region,
            p.from,
            p.source
        );
    }
}

fn one_line(expr: &str) -> String {
    expr.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rounding_name(r: Rounding) -> &'static str {
    match r {
        Rounding::DownToFen => "down_to_fen（舍去不足一分）",
        Rounding::HalfUpToFen => "half_up_to_fen（四舍五入到分）",
        Rounding::DownToYuan => "down_to_yuan（舍去角分）",
        Rounding::HalfUpToYuan => "half_up_to_yuan（四舍五入到元）",
    }
}

/// A value as a reader of the trace sees it.
pub fn show(v: &Value) -> String {
    match v {
        Value::Int(n) => n.to_string(),
        Value::Money(f) => yuan(*f),
        Value::Rate(r) => r.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Date(d) => d.to_string(),
        Value::StringList(l) => format!("{l:?}"),
    }
}

/// Runs one case.
pub fn run_case(cat: &Catalogue, case: &Case) -> CaseResult {
    let got = match cat.set.get(&case.policy) {
        None => Err(format!("未知政策“{}”", case.policy)),
        Some(policy) => {
            let mut subject = Subject::new(policy.subject, &case.region);
            subject.fields = case.inputs.clone();
            evaluate(policy, &subject, case.date, &cat.params).map_err(|e| e.to_string())
        }
    };
    CaseResult {
        case: case.clone(),
        got,
    }
}

/// Loads and runs every case of the catalogue.
pub fn run_all(cat: &Catalogue) -> Result<Vec<CaseResult>, LoadError> {
    Ok(load_cases(cat)?.iter().map(|c| run_case(cat, c)).collect())
}

/// Loads the catalogue in `dir` and runs its cases: a convenience for tests.
pub fn run_dir(dir: &Path) -> Result<Vec<CaseResult>, LoadError> {
    run_all(&super::load_catalogue(dir)?)
}
