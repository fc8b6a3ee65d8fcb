//! `wenjiu monitoring …`: the month's warning run, and the monthly monitoring analysis report
//! (失业动态监测月度分析报告) printed or written as DOCX, XLSX or HTML.

use clap::Subcommand;
use wenjiu_core::Month;
use wenjiu_report::monitoring::{TITLE, document, paragraph, subtitle};
use wenjiu_report::{DASH, display_width, thousands};
use wenjiu_store::monitoring::{GroupFigures, MonitoringSummary};
use wenjiu_store::{Scope, Store};

use crate::cli_event;
use crate::indicators::{DocumentArgs, Output};

#[derive(Subcommand)]
pub enum MonitoringAction {
    /// Recount the month's sums from its reports, then evaluate the warning rules over them
    /// (the whole province): warnings raised, updated and cleared; their handling is kept.
    Run {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: Month,
    },
    /// The monthly analysis report of a region: printed, or written as DOCX, XLSX or HTML.
    Report(DocumentArgs),
}

pub async fn run(store: &Store, action: MonitoringAction) -> anyhow::Result<()> {
    match action {
        MonitoringAction::Run { month } => {
            // The operator's run also repairs: the sums are rebuilt from the reports first.
            store.rebuild_monitoring_figures(month).await?;
            let o = store.run_monitoring(month).await?;
            let outcome = format!(
                "发现 {} 条，新增 {}，更新 {}，消除 {}",
                o.findings, o.raised, o.updated, o.cleared
            );
            store
                .audit(cli_event(
                    "monitoring.run",
                    &format!("monitoring_month:{month}"),
                    outcome.clone(),
                ))
                .await?;
            println!(
                "{month} 预警规则运行完毕（{} 份报表）：{outcome}",
                o.reports
            );
            Ok(())
        }
        MonitoringAction::Report(args) => report(store, args).await,
    }
}

async fn report(store: &Store, args: DocumentArgs) -> anyhow::Result<()> {
    let summary = store
        .monitoring_summary(&Scope::All, args.region, args.month)
        .await?;
    let (format, out) = match args.output()? {
        Output::Text => {
            println!(
                "{TITLE}\n{}\n\n{}\n",
                subtitle(&summary),
                paragraph(&summary)
            );
            print!("{}", compact_table(&summary));
            return Ok(());
        }
        Output::File(format, out) => (format, out),
    };
    let warnings = store
        .month_warnings(&Scope::All, args.region, args.month)
        .await?;
    std::fs::write(&out, format.render(&document(&summary, &warnings))?)?;
    store
        .audit(cli_event(
            "monitoring.analysis.export",
            &format!("{}:{}", args.region, args.month),
            out.display().to_string(),
        ))
        .await?;
    println!("{TITLE}已写入 {}", out.display());
    Ok(())
}

/// The subregions and the total: enterprises, 调查期就业人数, net change and 岗位流失率
/// against the baseline, in columns aligned for a terminal (a Chinese character is two wide).
fn compact_table(s: &MonitoringSummary) -> String {
    let header = ["地区", "监测企业", "调查期就业人数", "净变化", "岗位流失率"].map(String::from);
    let line = |name: &str, g: &GroupFigures| {
        [
            name.to_string(),
            thousands(g.enterprises),
            thousands(g.headcount),
            thousands(g.net_change),
            g.loss_rate_pct
                .as_ref()
                .map_or_else(|| DASH.to_string(), |p| format!("{p}%")),
        ]
    };
    let mut rows = vec![header];
    rows.extend(s.subregions.iter().map(|g| line(&g.name, g)));
    rows.push(line("合计", &s.total));
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| display_width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - display_width(cell));
            // The name left, the figures right.
            let cell = if c == 0 {
                format!("{cell}{pad}")
            } else {
                format!("  {pad}{cell}")
            };
            out.push_str(&cell);
        }
        out.push('\n');
    }
    out
}
