//! `wenjiu bulletin` and `wenjiu indicators …`: the monthly bulletin, recounting computed
//! indicators, importing values and targets, publishing a month.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use wenjiu_core::{Month, RegionCode};
use wenjiu_io::TableReader;
use wenjiu_store::indicators::Sheet;
use wenjiu_store::{Scope, Store};

use crate::cli_event;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Docx,
    Xlsx,
    Html,
}

/// A report of a region and month, printed or written as a document.
#[derive(clap::Args)]
pub struct DocumentArgs {
    /// Region code: 210000 (province), 210100 (city), 210102 (county).
    #[arg(long)]
    pub region: RegionCode,
    /// The month reported on, YYYY-MM.
    #[arg(long)]
    pub month: Month,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Where to write a document (required for docx, xlsx and html).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Where a report goes.
pub enum Output {
    Text,
    File(wenjiu_report::Format, PathBuf),
}

impl DocumentArgs {
    pub fn output(&self) -> anyhow::Result<Output> {
        let format = match self.format {
            Format::Text => return Ok(Output::Text),
            Format::Docx => wenjiu_report::Format::Docx,
            Format::Xlsx => wenjiu_report::Format::Xlsx,
            Format::Html => wenjiu_report::Format::Html,
        };
        let out = self
            .out
            .clone()
            .ok_or_else(|| anyhow::anyhow!("请用 --out 指定输出文件"))?;
        Ok(Output::File(format, out))
    }
}

#[derive(clap::Args)]
pub struct BulletinArgs {
    #[command(flatten)]
    document: DocumentArgs,
    /// Use the ledger as it stands, without recounting unpublished months first.
    #[arg(long)]
    no_refresh: bool,
}

#[derive(Subcommand)]
pub enum IndicatorsAction {
    /// Recount the registry-based indicators of a year into its unpublished months.
    Refresh {
        #[arg(long)]
        year: i32,
    },
    /// Import indicator values (values) or annual targets (targets) from XLSX or CSV.
    Import {
        #[arg(value_enum)]
        sheet: SheetArg,
        file: PathBuf,
    },
    /// Publish a month for a region: its values are locked, later changes are corrections.
    Publish {
        #[arg(long)]
        region: RegionCode,
        #[arg(long)]
        month: Month,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SheetArg {
    Values,
    Targets,
}

/// Recounts the years a bulletin of `month` reads (its own and the last, for year on year).
pub async fn refresh_for(store: &Store, month: Month) -> anyhow::Result<usize> {
    let mut changed = 0;
    for year in [month.year() - 1, month.year()] {
        changed += store.refresh_indicators(year).await?;
    }
    Ok(changed)
}

pub async fn bulletin(store: &Store, args: BulletinArgs) -> anyhow::Result<()> {
    let d = &args.document;
    if !args.no_refresh {
        refresh_for(store, d.month).await?;
    }
    let b = store.bulletin(&Scope::All, d.region, d.month).await?;
    match d.output()? {
        Output::Text => println!("{}", b.paragraph),
        Output::File(format, out) => {
            std::fs::write(&out, format.render(&wenjiu_report::bulletin::document(&b))?)?;
            println!("{}已写入 {}", b.title, out.display());
        }
    }
    Ok(())
}

pub async fn run(store: &Store, action: IndicatorsAction) -> anyhow::Result<()> {
    match action {
        IndicatorsAction::Refresh { year } => {
            let started = std::time::Instant::now();
            let changed = store.refresh_indicators(year).await?;
            println!(
                "{year} 年统计指标已重新统计：{changed} 个台账数值有变化，用时 {:.1} 秒",
                started.elapsed().as_secs_f64()
            );
        }
        IndicatorsAction::Import { sheet, file } => {
            let sheet = match sheet {
                SheetArg::Values => Sheet::Values,
                SheetArg::Targets => Sheet::Targets,
            };
            let reader = TableReader::open(&file)?;
            let actor = cli_event("", "", String::new()).username;
            let report = store
                .import_indicator_sheet(&Scope::All, &actor, sheet, reader)
                .await?;
            store
                .audit(cli_event(
                    "indicators.import",
                    "",
                    format!(
                        "{}：接收 {}，拒绝 {}",
                        file.display(),
                        report.accepted,
                        report.rejected_count
                    ),
                ))
                .await?;
            println!(
                "{} 行：接收 {}，拒绝 {}",
                report.rows, report.accepted, report.rejected_count
            );
            for r in &report.rejected {
                let why: Vec<String> = r
                    .errors
                    .iter()
                    .map(|e| format!("{} {}", e.column, e.message))
                    .collect();
                println!("  第 {} 行：{}", r.row, why.join("；"));
            }
        }
        IndicatorsAction::Publish { region, month } => {
            refresh_for(store, month).await?;
            let actor = cli_event("", "", String::new()).username;
            store.publish(&Scope::All, &actor, region, month).await?;
            store
                .audit(cli_event(
                    "indicators.publish",
                    &format!("{region}:{month}"),
                    String::new(),
                ))
                .await?;
            println!("{}{}已发布，数据已锁定", region.name(), month);
        }
    }
    Ok(())
}
