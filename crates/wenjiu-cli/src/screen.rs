//! `wenjiu screen`: a screening (免申即享) of the catalogue over the registry in the database,
//! printing the beneficiaries and amounts per city and policy.

use std::path::PathBuf;

use chrono::NaiveDate;
use wenjiu_core::Money;
use wenjiu_store::policy::load_catalogue;
use wenjiu_store::policy::screening::{ScreeningRequest, Summary};
use wenjiu_store::{Scope, Store};

use crate::progress::bar;

#[derive(clap::Args)]
pub struct ScreenArgs {
    /// The date the policies are evaluated at, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    date: NaiveDate,
    /// A region prefix (21, 2101, 210102); the whole registry when left out.
    #[arg(long)]
    region: Option<String>,
    /// One policy id (e.g. job-search); the whole catalogue when left out.
    #[arg(long)]
    policy: Option<String>,
    /// The policy catalogue.
    #[arg(
        long,
        env = "WENJIU_POLICIES",
        default_value = "policies/liaoning-2020"
    )]
    policies: PathBuf,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("日期“{s}”有误：应为 YYYY-MM-DD，如 2020-05-31"))
}

/// Runs the screening and prints its summary; returns the run id.
pub async fn run(store: &Store, args: ScreenArgs) -> anyhow::Result<i64> {
    let cat = load_catalogue(&args.policies)?;
    let req = ScreeningRequest {
        date: args.date,
        region: args.region,
        policy: args.policy,
    };
    let run = store
        .start_screening(&Scope::All, &crate::cli_user(), &cat, &req, None)
        .await?;
    let started = std::time::Instant::now();
    let progress = bar(0, "读取登记数据");
    let p = progress.clone();
    let totals = store
        .run_screening(run, &cat, &move |n| {
            p.set_length(n);
            p.set_position(n)
        })
        .await?;
    progress.finish_and_clear();
    let summary = store.screening_summary(&Scope::All, run).await?;
    let detail = format!(
        "{} {} {}：{} 个对象，{} 人次，{}",
        args.date,
        summary.run.region_name,
        summary.run.policy_id.as_deref().unwrap_or("全部政策"),
        totals.subjects,
        totals.beneficiaries,
        Money::from_fen(totals.amount_fen)
    );
    store
        .audit(crate::cli_event(
            "policy.screen",
            &format!("screening:{run}"),
            detail,
        ))
        .await?;
    println!(
        "政策筛查 #{run}：{}，{}，{}；{} 个对象，已确认发放而排除 {} 项，用时 {:.1} 秒",
        args.date,
        summary.run.region_name,
        summary.run.policy_id.as_deref().unwrap_or("全部政策"),
        totals.subjects,
        totals.already_granted,
        started.elapsed().as_secs_f64()
    );
    print!(
        "{}",
        table(&summary, |id| {
            cat.set.get(id).map_or(id.to_string(), |p| p.name.clone())
        })
    );
    Ok(run)
}

/// The summary as a text table: one line per city and policy, then each policy's total and
/// the grand total.
fn table(s: &Summary, name: impl Fn(&str) -> String) -> String {
    let mut out = format!(
        "{:<10}\t{:<24}\t{:>10}\t{:>16}\n",
        "地市", "政策", "人次", "金额（元）"
    );
    let mut line = |place: &str, policy: &str, n: i64, fen: i64| {
        out.push_str(&format!(
            "{place:<10}\t{policy:<24}\t{n:>10}\t{:>16}\n",
            Money::from_fen(fen).to_string()
        ));
    };
    for c in &s.cells {
        line(
            &c.city_name,
            &name(&c.policy_id),
            c.beneficiaries,
            c.amount_fen,
        );
    }
    for t in &s.by_policy {
        let policy = t.policy_id.as_deref().map(&name).unwrap_or_default();
        line("合计", &policy, t.beneficiaries, t.amount_fen);
    }
    line("总计", "", s.total.beneficiaries, s.total.amount_fen);
    out
}
