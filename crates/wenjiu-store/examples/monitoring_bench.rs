//! Monitoring benchmark (issue #6): one month's monitoring run — the warning rules over every
//! report of the month and its year-ago month, and the month's figures (total, cities,
//! industries, ownership types, decrease types and reasons, 13-month trend) — for a sample of
//! N enterprises with 36 months of history, against DuckDB computing the same from the same
//! rows (bench/monitoring/duckdb_monitoring.py).
//!
//! ```sh
//! cargo run --release -p wenjiu-store --example monitoring_bench -- gen --db sqlite://D/wenjiu.db --out D --enterprises 100000
//! cargo run --release -p wenjiu-store --example monitoring_bench -- run --db sqlite://D/wenjiu.db --month 2020-05 --runs 5
//! ```
//!
//! `gen` creates the enterprises (through the registry import), enrols them, loads the reports
//! (through `load_reports`, so every row passes the report checks and the kept sums are built)
//! and writes `reports.csv` with the same rows for DuckDB. `run` times `run_monitoring` (first
//! run: warnings inserted; later runs: nothing to change) and `monitoring_summary`, then once
//! the rebuild of the month's kept sums, and prints JSON with the findings per rule and the
//! month's totals, which run.sh compares with DuckDB's.

use std::io::Write;
use std::time::Instant;

use serde_json::json;
use wenjiu_core::monitoring::{Reason, ReportInput, ReportStatus};
use wenjiu_core::{CreditCode, Month, RegionCode};
use wenjiu_store::monitoring::WarningFilter;
use wenjiu_store::monitoring::load::BulkReport;
use wenjiu_store::registry::{EnterpriseFilter, Kind};
use wenjiu_store::{PageReq, Scope, Store};

/// xorshift64*: deterministic, so both sides see the same data for a seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

const INDUSTRIES: &[&str] = &["C", "C", "C", "F", "G", "H", "I", "K", "L", "M", "E", "D"];
const OWNERSHIPS: &[&str] = &[
    "private",
    "private",
    "private",
    "state",
    "shareholding",
    "foreign",
    "collective",
];

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

async fn open(url: &str, dir: &str) -> Store {
    let key_file = std::path::Path::new(dir).join("wenjiu.key");
    let (keys, _) = wenjiu_crypto::Keys::load_or_create(&key_file).expect("key file");
    let store = Store::open(url, wenjiu_crypto::Keyring::new(keys))
        .await
        .expect("open database");
    store.migrate().await.expect("migrate");
    store
}

fn counties() -> Vec<RegionCode> {
    RegionCode::parse("210000")
        .unwrap()
        .children()
        .iter()
        .flat_map(|c| c.children().iter().copied())
        .filter(|c| !c.is_placeholder())
        .collect()
}

async fn generate(store: &Store, dir: &str, n: usize, months: i32, last: Month) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let counties = counties();
    let t = Instant::now();
    let mut csv =
        String::from("credit_code,name,industry,ownership,size_class,region,insured_count\n");
    let mut facts = Vec::with_capacity(n);
    for i in 0..n {
        let county = counties[rng.below(counties.len() as u64) as usize];
        let body = format!("MB{:06}", i);
        let code = CreditCode::build('9', '1', county.as_str(), &body).expect("valid code");
        let industry = INDUSTRIES[rng.below(INDUSTRIES.len() as u64) as usize];
        let ownership = OWNERSHIPS[rng.below(OWNERSHIPS.len() as u64) as usize];
        let baseline = match rng.below(100) {
            0..=4 => 1000 + rng.below(4000) as i64,
            5..=34 => 150 + rng.below(850) as i64,
            _ => 20 + rng.below(130) as i64,
        };
        csv.push_str(&format!(
            "{},监测企业{i},{industry},{ownership},中型,{county},{baseline}\n",
            code.as_str()
        ));
        facts.push((
            code.as_str().to_string(),
            county,
            industry,
            ownership,
            baseline,
        ));
    }
    let reader = wenjiu_io::TableReader::from_bytes("enterprises.csv", csv.into_bytes()).unwrap();
    let report = store
        .import(&Scope::All, Kind::Enterprise, reader, |_| {})
        .await
        .unwrap();
    assert_eq!(report.rejected_count, 0, "{:?}", report.rejected.first());
    let mut ids = std::collections::HashMap::new();
    for page in 1.. {
        let p = store
            .enterprises(
                &Scope::All,
                &EnterpriseFilter::default(),
                PageReq::new(Some(page), Some(500)),
            )
            .await
            .unwrap();
        for e in &p.rows {
            ids.insert(e.credit_code.clone(), e.id);
        }
        if p.rows.is_empty() {
            break;
        }
    }
    eprintln!("enterprises: {:.1} s", t.elapsed().as_secs_f64());
    let first = last.add_months(1 - months);
    let enrol: Vec<_> = facts
        .iter()
        .map(|(code, county, _, _, baseline)| {
            (
                ids[code],
                county.to_string(),
                first.first_day(),
                *baseline,
                true,
            )
        })
        .collect();
    store.enrol_many(&enrol, "bench").await.unwrap();
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(format!("{dir}/reports.csv")).unwrap());
    writeln!(out, "enterprise_id,region,industry,ownership,month,baseline,previous,headcount,new_hires,decrease,decrease_type,reason").unwrap();
    let t = Instant::now();
    let mut rows = Vec::new();
    for (code, county, industry, ownership, baseline) in &facts {
        let id = ids[code];
        let mut previous = *baseline;
        let mut month = first;
        while month <= last {
            let pace = match (month.year(), month.month()) {
                (2020, 2) => -45,
                (2020, 3) => -25,
                (2020, 4 | 5) => 10,
                _ => 3,
            };
            let shock = if rng.below(1000) < 80 {
                -(20 + rng.below(40) as i64)
            } else {
                0
            };
            let layoff = rng.below(10_000) < 5;
            let per_mille = pace + rng.below(17) as i64 - 8 + shock - if layoff { 300 } else { 0 };
            let delta = (previous * per_mille / 1000).max(1 - previous);
            let new_hires = previous * (5 + rng.below(20) as i64) / 1000 + delta.max(0);
            let decrease = new_hires - delta;
            let headcount = previous + delta;
            let fell = headcount < previous || headcount < *baseline;
            let (t, r) = if fell {
                (
                    Some("06".to_string()),
                    vec![Reason {
                        code: "12".into(),
                        note: String::new(),
                    }],
                )
            } else {
                (None, vec![])
            };
            writeln!(
                out,
                "{id},{county},{industry},{ownership},{month},{baseline},{previous},{headcount},{new_hires},{decrease},{},{}",
                t.clone().unwrap_or_default(),
                r.first().map(|r| r.code.clone()).unwrap_or_default()
            )
            .unwrap();
            rows.push(BulkReport {
                enterprise_id: id,
                month,
                input: ReportInput {
                    headcount,
                    new_hires,
                    decrease,
                    decrease_type: t,
                    reasons: r,
                },
                status: ReportStatus::Submitted,
                submitted_on: month.first_day() + chrono::Days::new(20),
            });
            previous = headcount;
            month = month.succ();
        }
    }
    // One load: it rebuilds the kept sums of each month it touched once, at the end.
    store.load_reports("bench", &rows).await.unwrap();
    eprintln!("reports: {:.1} s", t.elapsed().as_secs_f64());
}

async fn findings(store: &Store, month: Month) -> serde_json::Value {
    let rules = store.warning_rules().await.unwrap();
    let mut out = serde_json::Map::new();
    for r in rules {
        let f = WarningFilter {
            month: Some(month.to_string()),
            rule: Some(r.code.clone()),
            ..Default::default()
        };
        let page = store
            .warnings(&Scope::All, &f, PageReq::new(Some(1), Some(1)))
            .await
            .unwrap();
        out.insert(r.code, json!(page.total));
    }
    out.into()
}

#[tokio::main]
async fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let url = arg("--db", "sqlite://bench/monitoring/data/wenjiu.db");
    let dir = arg("--out", "bench/monitoring/data");
    let month = Month::parse(&arg("--month", "2020-05")).unwrap();
    let store = open(&url, &dir).await;
    match mode.as_str() {
        "gen" => {
            let n: usize = arg("--enterprises", "100000").parse().unwrap();
            let months: i32 = arg("--months", "36").parse().unwrap();
            generate(&store, &dir, n, months, month).await;
        }
        "run" => {
            let runs: usize = arg("--runs", "5").parse().unwrap();
            let province = RegionCode::parse("210000").unwrap();
            let mut run_s = Vec::new();
            let mut summary_s = Vec::new();
            let mut summary = None;
            for _ in 0..runs {
                let t = Instant::now();
                let outcome = store.run_monitoring(month).await.unwrap();
                run_s.push(t.elapsed().as_secs_f64());
                eprintln!("run: {outcome:?}");
                let t = Instant::now();
                summary = Some(
                    store
                        .monitoring_summary(&Scope::All, province, month)
                        .await
                        .unwrap(),
                );
                summary_s.push(t.elapsed().as_secs_f64());
            }
            // What keeping the sums costs for a whole month (a write refreshes one county).
            let t = Instant::now();
            store.rebuild_monitoring_figures(month).await.unwrap();
            let rebuild_s = t.elapsed().as_secs_f64();
            let s = summary.unwrap();
            let best = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
            println!(
                "{}",
                json!({
                    "first_run_s": run_s[0],
                    "run_s": best(&run_s[1..]),
                    "summary_s": best(&summary_s),
                    "rebuild_s": rebuild_s,
                    "findings": findings(&store, month).await,
                    "reported": s.reported,
                    "headcount": s.total.headcount,
                    "previous": s.total.previous,
                    "decrease": s.total.decrease,
                    "cities": s.subregions.len(),
                    "trend_months": s.trend.len(),
                })
            );
        }
        _ => panic!(
            "usage: monitoring_bench gen|run --db URL [--out DIR] [--month M] [--enterprises N] [--runs R]"
        ),
    }
}
