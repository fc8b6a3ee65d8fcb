//! `wenjiu policy check|test|eval`: load and type-check a policy catalogue, run its test
//! cases, evaluate one policy for one subject with the trace as JSON.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use wenjiu_store::policy::cases::{self, convert_json};
use wenjiu_store::policy::rules::{Subject, evaluate};
use wenjiu_store::policy::{catalogue_dirs, load_catalogue};

#[derive(Subcommand)]
pub enum PolicyAction {
    /// Load and type-check a catalogue (DIR/parameters/*.toml, DIR/*.toml, DIR/tests/*.toml),
    /// or every catalogue in the subfolders of DIR; print a summary per policy.
    Check { dir: PathBuf },
    /// Run every test case of the catalogue(s); print each failure with expected, got and the
    /// trace of the conditions that differ.
    Test { dir: PathBuf },
    /// Evaluate one policy for one subject on a date; print the outcome and trace as JSON.
    Eval {
        /// Policy id, e.g. hiring-si.
        #[arg(long)]
        policy: String,
        /// JSON object of field values: {"person.age": 30, …} or {"person": {"age": 30}};
        /// money in integer fen, dates as YYYY-MM-DD; may hold "region".
        #[arg(long)]
        subject: PathBuf,
        /// Evaluation date, YYYY-MM-DD.
        #[arg(long)]
        date: NaiveDate,
        /// The subject's region code (county, 6 digits); overrides "region" in the file.
        #[arg(long)]
        region: Option<String>,
        /// The catalogue.
        #[arg(long, default_value = "policies/liaoning-2020")]
        dir: PathBuf,
    },
}

pub fn run(action: PolicyAction) -> anyhow::Result<()> {
    match action {
        PolicyAction::Check { dir } => check(&dir),
        PolicyAction::Test { dir } => test(&dir),
        PolicyAction::Eval {
            policy,
            subject,
            date,
            region,
            dir,
        } => eval(&dir, &policy, &subject, date, region),
    }
}

fn check(dir: &Path) -> anyhow::Result<()> {
    for dir in catalogue_dirs(dir)? {
        let cat = load_catalogue(&dir)?;
        let cases = cases::load_cases(&cat)?;
        println!(
            "{}：{} 项政策，{} 个参数，{} 个测试用例",
            dir.display(),
            cat.set.policies().len(),
            cat.params.iter().count(),
            cases.len()
        );
        for p in cat.set.policies() {
            let validity = match p.valid_to {
                Some(to) => format!("{} 至 {to}", p.valid_from),
                None => format!("{} 起", p.valid_from),
            };
            let params: Vec<&str> = p.params().map(|(n, _)| n).collect();
            let n_cases = cases.iter().filter(|c| c.policy == p.id).count();
            println!(
                "  {} {}（{}；{}；{}）：{} 个条件，参数 {}；{} 个用例；依据 {}",
                p.id,
                p.name,
                p.subject.name(),
                p.fund,
                validity,
                p.conditions.len(),
                if params.is_empty() {
                    "无".to_string()
                } else {
                    params.join("、")
                },
                n_cases,
                p.legal_basis.document
            );
        }
        let unused: Vec<&str> = cat
            .params
            .iter()
            .map(|p| p.name.as_str())
            .filter(|n| {
                !cat.set
                    .policies()
                    .iter()
                    .any(|p| p.params().any(|(u, _)| u == *n))
            })
            .collect();
        if !unused.is_empty() {
            println!("  未被任何政策引用的参数：{}", unused.join("、"));
        }
    }
    println!("检查通过");
    Ok(())
}

fn test(dir: &Path) -> anyhow::Result<()> {
    let (mut total, mut failed) = (0, 0);
    for dir in catalogue_dirs(dir)? {
        let cat = load_catalogue(&dir)?;
        let results = cases::run_all(&cat)?;
        let bad: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
        for r in &bad {
            println!("失败 {}", r.explain());
        }
        println!(
            "{}：{} 个用例，通过 {}，失败 {}",
            dir.display(),
            results.len(),
            results.len() - bad.len(),
            bad.len()
        );
        total += results.len();
        failed += bad.len();
    }
    if failed > 0 {
        bail!("{failed} 个用例失败（共 {total} 个）");
    }
    println!("全部 {total} 个用例通过");
    Ok(())
}

/// `{"person": {"age": 30}}` and `{"person.age": 30}` alike, as full names.
fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, serde_json::Value>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn eval(
    dir: &Path,
    id: &str,
    subject: &Path,
    date: NaiveDate,
    region: Option<String>,
) -> anyhow::Result<()> {
    let cat = load_catalogue(dir)?;
    let policy = cat
        .set
        .get(id)
        .with_context(|| format!("政策“{id}”不在 {} 中", dir.display()))?;
    let text = std::fs::read_to_string(subject)
        .with_context(|| format!("无法读取 {}", subject.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} 不是合法的 JSON", subject.display()))?;
    let mut values = BTreeMap::new();
    flatten("", &json, &mut values);
    let file_region = values
        .remove("region")
        .and_then(|v| v.as_str().map(String::from));
    let Some(region) = region.or(file_region) else {
        bail!("须以 --region 或主体文件中的 \"region\" 给出地区代码");
    };
    let mut s = Subject::new(policy.subject, &region);
    for (name, v) in &values {
        let Some(ty) = cat.schema.field(name) else {
            bail!("{}：未知字段“{name}”", subject.display());
        };
        let value = convert_json(v, ty)
            .with_context(|| format!("{}：字段“{name}”的值应为{ty}", subject.display()))?;
        s.fields.insert(name.clone(), value);
    }
    let evaluation = evaluate(policy, &s, date, &cat.params)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&evaluation)?)?;
    Ok(())
}
