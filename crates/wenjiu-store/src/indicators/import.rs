//! Importing indicator values (from the statistics bureau, another system) and annual targets
//! from XLSX or CSV. Each row is checked like an entry by hand; a bad row is reported with its
//! row number, column and reason, and every good row is kept.

use wenjiu_core::indicators::catalogue::Indicator;
use wenjiu_core::{Month, RegionCode};
use wenjiu_io::TableReader;

use super::ledger::{Source, ValueInput};
use super::targets::TargetInput;
use crate::error::{Result, StoreError};
use crate::registry::import::CellError;
use crate::registry::{ImportReport, Rejected};
use crate::{Scope, Store};

/// What a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sheet {
    /// 指标 | 地区代码 | 月份 | 数值
    Values,
    /// 指标 | 地区代码 | 年度 | 目标值 | 约数
    Targets,
}

impl Sheet {
    /// Headers in order; the last of targets (约数) may be left out.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Sheet::Values => &["指标", "地区代码", "月份", "数值"],
            Sheet::Targets => &["指标", "地区代码", "年度", "目标值", "约数"],
        }
    }
}

fn cell(column: &str, message: impl Into<String>) -> CellError {
    CellError {
        column: column.to_string(),
        message: message.into(),
    }
}

/// The indicator named in a cell, by code or by name.
fn find<'c>(catalogue: &'c [Indicator], text: &str) -> Option<&'c Indicator> {
    catalogue.iter().find(|i| i.code == text || i.name == text)
}

fn errors_of(e: StoreError) -> Vec<CellError> {
    match e {
        StoreError::Invalid(fields) => fields
            .into_iter()
            .map(|f| cell(f.header, f.message))
            .collect(),
        other => vec![cell("", other.to_string())],
    }
}

impl Store {
    pub async fn import_indicator_sheet(
        &self,
        scope: &Scope,
        actor: &str,
        sheet: Sheet,
        reader: TableReader,
    ) -> Result<ImportReport> {
        let headers = reader.headers().to_vec();
        let expected = sheet.headers();
        let position = |h: &str| headers.iter().position(|x| x == h);
        let required = &expected[..4];
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|h| position(h).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(StoreError::invalid(
                "file",
                "文件",
                "import.header",
                format!("文件缺少必填列：{}（第 1 行应为表头）", missing.join("、")),
            ));
        }
        let at: Vec<Option<usize>> = expected.iter().map(|h| position(h)).collect();
        // Sheets of targets and statistics are small; reading them first keeps the file
        // reader out of the awaits below.
        let rows = reader.rows().collect::<std::result::Result<Vec<_>, _>>()?;
        let catalogue = self.indicators().await?;
        let mut report = ImportReport {
            headers: headers.clone(),
            ignored_columns: headers
                .iter()
                .filter(|h| !expected.contains(&h.as_str()))
                .cloned()
                .collect(),
            ..Default::default()
        };
        for row in rows {
            report.rows += 1;
            let get = |i: usize| at[i].map(|p| row.cells[p].as_str()).unwrap_or("");
            match self.import_row(scope, actor, sheet, &catalogue, &get).await {
                Ok(()) => report.accepted += 1,
                Err(errors) => report.rejected.push(Rejected {
                    row: row.number,
                    errors,
                    cells: row.cells.clone(),
                }),
            }
        }
        report.inserted = report.accepted;
        report.rejected_count = report.rejected.len();
        Ok(report)
    }

    async fn import_row<'r>(
        &self,
        scope: &Scope,
        actor: &str,
        sheet: Sheet,
        catalogue: &[Indicator],
        get: &(dyn Fn(usize) -> &'r str + Sync),
    ) -> std::result::Result<(), Vec<CellError>> {
        let h = sheet.headers();
        let mut errors = Vec::new();
        let indicator = find(catalogue, get(0)).map(|i| i.code.clone());
        if indicator.is_none() {
            errors.push(cell(h[0], format!("指标“{}”不存在", get(0))));
        }
        let region = RegionCode::parse(get(1))
            .map_err(|e| errors.push(cell(h[1], e.to_string())))
            .ok();
        let result = match sheet {
            Sheet::Values => {
                let month = Month::parse(get(2))
                    .map_err(|e| errors.push(cell(h[2], e.to_string())))
                    .ok();
                let (Some(indicator), Some(region), Some(month)) = (indicator, region, month)
                else {
                    return Err(errors);
                };
                let v = ValueInput {
                    indicator,
                    region,
                    month,
                    value: get(3).to_string(),
                };
                self.put_value(scope, actor, Source::Imported, &v).await
            }
            Sheet::Targets => {
                let year = get(2)
                    .parse::<i32>()
                    .map_err(|_| errors.push(cell(h[2], format!("年度“{}”应为四位数字", get(2)))))
                    .ok();
                let approximate = match get(4) {
                    "" | "否" => Some(false),
                    "是" | "左右" => Some(true),
                    other => {
                        errors.push(cell(h[4], format!("“{other}”无效，可填“是”或“否”")));
                        None
                    }
                };
                let (Some(indicator), Some(region), Some(year), Some(approximate)) =
                    (indicator, region, year, approximate)
                else {
                    return Err(errors);
                };
                let t = TargetInput {
                    indicator,
                    region,
                    year,
                    value: get(3).to_string(),
                    approximate,
                };
                self.set_target(scope, actor, &t).await
            }
        };
        result.map_err(errors_of)
    }
}
