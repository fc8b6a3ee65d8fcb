//! Importing indicator values (from the statistics bureau, another system) and annual targets
//! from XLSX or CSV. Each row is checked like an entry by hand; a bad row is reported with its
//! row number, column and reason, and every good row is kept. A sheet giving one cell
//! (indicator, region, month or year) twice is a mistake the user must see: the later row is
//! refused, naming the earlier, rather than silently replacing it.

use std::collections::HashMap;

use chrono::Datelike;
use wenjiu_core::indicators::catalogue::Indicator;
use wenjiu_core::{Month, RegionCode};
use wenjiu_io::TableReader;

use super::ledger::{Source, ValueInput};
use super::targets::TargetInput;
use crate::error::{Result, StoreError};
use crate::registry::ImportReport;
use crate::registry::import::CellError;
use crate::sheet::{cell, errors_of};
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

/// A cell of the ledger or of the targets: indicator, region, month or year.
type Key = (String, RegionCode, String);

/// The cells imported so far, with the row of each.
#[derive(Default)]
struct Seen(HashMap<Key, usize>);

impl Seen {
    /// Refuses a cell an earlier row imported, naming the row.
    fn check(&self, key: &Key, headers: &[&str]) -> std::result::Result<(), Vec<CellError>> {
        match self.0.get(key) {
            Some(earlier) => Err(vec![cell(
                headers[2],
                format!(
                    "与第{earlier}行重复：同一指标、地区的{}只能有一个数值",
                    headers[2]
                ),
            )]),
            None => Ok(()),
        }
    }
}

/// A month as typed (2020-05, 202005), or as a spreadsheet keeps a month typed into a cell:
/// the date of its first day (2020-05-01, 2020/5/1).
fn month_cell(text: &str) -> wenjiu_core::Result<Month> {
    Month::parse(text).or_else(|e| match wenjiu_core::parse_date(text) {
        Ok(day) if day.day() == 1 => Ok(Month::of(day)),
        _ => Err(e),
    })
}

/// A store error as the sheet's cells: each under the column of the sheet it concerns (the
/// store names its fields as a form does: 数值 is the targets' 目标值), a region outside the
/// user's scope under 地区代码, a locked month under 月份.
fn in_sheet(e: StoreError, headers: &[&'static str]) -> Vec<CellError> {
    let header = |column: &str| match column {
        "indicator" => headers[0],
        "region" => headers[1],
        "month" | "year" => headers[2],
        _ => headers[3],
    };
    match e {
        StoreError::Invalid(fields) => fields
            .into_iter()
            .map(|f| cell(header(f.column), f.message))
            .collect(),
        StoreError::OutOfScope(m) => vec![cell(headers[1], m)],
        StoreError::Conflict(m) => vec![cell(headers[2], m)],
        other => errors_of(other),
    }
}

/// The indicator named in a cell, by code or by name.
fn find<'c>(catalogue: &'c [Indicator], text: &str) -> Option<&'c Indicator> {
    catalogue.iter().find(|i| i.code == text || i.name == text)
}

impl Store {
    pub async fn import_indicator_sheet(
        &self,
        scope: &Scope,
        actor: &str,
        sheet: Sheet,
        reader: TableReader,
    ) -> Result<ImportReport> {
        let catalogue = self.indicators().await?;
        // Four columns required in both; targets' fifth (约数) may be left out.
        let mut file = crate::sheet::Sheet::read(reader, sheet.headers(), 4)?;
        let mut seen = Seen::default();
        let mut replaced = 0;
        for row in file.take_rows() {
            let get = |i: usize| row.cells[i].as_str();
            let outcome = self
                .import_row(
                    scope,
                    actor,
                    sheet,
                    &catalogue,
                    &get,
                    (&mut seen, row.number),
                )
                .await;
            if matches!(outcome, Ok(true)) {
                replaced += 1;
            }
            file.record(row, outcome.map(drop));
        }
        Ok(file.finish_with_updated(replaced))
    }

    /// Imports one row; says whether it replaced a stored value (targets: never said).
    async fn import_row<'r>(
        &self,
        scope: &Scope,
        actor: &str,
        sheet: Sheet,
        catalogue: &[Indicator],
        get: &(dyn Fn(usize) -> &'r str + Sync),
        (seen, number): (&mut Seen, usize),
    ) -> std::result::Result<bool, Vec<CellError>> {
        let h = sheet.headers();
        let mut errors = Vec::new();
        let indicator = find(catalogue, get(0)).map(|i| i.code.clone());
        if indicator.is_none() {
            errors.push(cell(h[0], format!("指标“{}”不存在", get(0))));
        }
        let region = RegionCode::parse(get(1))
            .map_err(|e| errors.push(cell(h[1], e.to_string())))
            .ok();
        let key: Key;
        let result = match sheet {
            Sheet::Values => {
                let month = month_cell(get(2))
                    .map_err(|e| errors.push(cell(h[2], e.to_string())))
                    .ok();
                let (Some(indicator), Some(region), Some(month)) = (indicator, region, month)
                else {
                    return Err(errors);
                };
                key = (indicator.clone(), region, month.to_string());
                seen.check(&key, h)?;
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
                key = (indicator.clone(), region, year.to_string());
                seen.check(&key, h)?;
                let t = TargetInput {
                    indicator,
                    region,
                    year,
                    value: get(3).to_string(),
                    approximate,
                };
                self.set_target(scope, actor, &t).await.map(|()| false)
            }
        };
        let replaced = result.map_err(|e| in_sheet(e, h))?;
        seen.0.insert(key, number);
        Ok(replaced)
    }
}
