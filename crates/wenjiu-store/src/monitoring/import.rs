//! Reports imported from a sheet by an official on enterprises' behalf: each row goes through
//! the same submission as one entered by hand (so the same checks and the same review chain);
//! bad rows are reported with row, column and reason, good rows are kept, and importing the
//! same file again updates the reports that may still change instead of adding any.

use std::collections::BTreeSet;

use wenjiu_core::Month;
use wenjiu_core::monitoring::CodeEntry;
use wenjiu_io::TableReader;

use super::reports::{Dictionaries, ReasonInput, ReportSubmit};
use crate::error::{Result, StoreError};
use crate::registry::ImportReport;
use crate::registry::import::CellError;
use crate::sheet::{Sheet, cell, errors_of};
use crate::{Scope, Store};

/// The sheet's columns; the first five are required.
pub const REPORT_COLUMNS: [&str; 12] = [
    "统一社会信用代码",
    "月份",
    "调查期就业人数",
    "本月新增人数",
    "本月减少人数",
    "减员类型",
    "减员原因一",
    "原因说明一",
    "减员原因二",
    "原因说明二",
    "减员原因三",
    "原因说明三",
];

/// A dictionary entry named by code or label; the text itself when unknown (the submission
/// then names it as not in the table).
fn code_of(table: &[CodeEntry], text: &str) -> String {
    table
        .iter()
        .find(|e| e.code == text || e.label == text)
        .map_or_else(|| text.to_string(), |e| e.code.clone())
}

impl Store {
    /// Imports reports on the enterprises' behalf, then re-runs the warnings of every month
    /// the sheet touched.
    pub async fn import_reports(
        &self,
        scope: &Scope,
        actor: &str,
        reader: TableReader,
    ) -> Result<ImportReport> {
        let dict = self.report_dictionaries().await?;
        let mut file = Sheet::read(reader, &REPORT_COLUMNS, 5)?;
        let mut months = BTreeSet::new();
        for row in file.take_rows() {
            let outcome = self
                .import_report_row(scope, actor, &dict, &row.cells)
                .await;
            if let Ok(month) = &outcome {
                months.insert(*month);
            }
            file.record(row, outcome.map(|_| ()));
        }
        for month in months {
            self.run_monitoring(month).await?;
        }
        Ok(file.finish())
    }

    async fn import_report_row(
        &self,
        scope: &Scope,
        actor: &str,
        dict: &Dictionaries,
        c: &[String],
    ) -> std::result::Result<Month, Vec<CellError>> {
        let mut errors: Vec<CellError> = Vec::new();
        let enterprise_id = match self.enterprise_id_by_code(&c[0].to_uppercase()).await {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                errors.push(cell(
                    REPORT_COLUMNS[0],
                    format!("统一社会信用代码“{}”不在单位名录中", c[0]),
                ));
                None
            }
            Err(e) => return Err(errors_of(e)),
        };
        let mut number = |i: usize| match c[i].replace(',', "").parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(cell(REPORT_COLUMNS[i], format!("“{}”应为整数", c[i])));
                None
            }
        };
        let (headcount, new_hires, decrease) = (number(2), number(3), number(4));
        let month = Month::parse(&c[1]);
        if let Err(e) = &month {
            errors.push(cell(REPORT_COLUMNS[1], e.to_string()));
        }
        let (Some(enterprise_id), Ok(month), Some(headcount), Some(new_hires), Some(decrease)) =
            (enterprise_id, month, headcount, new_hires, decrease)
        else {
            return Err(errors);
        };
        let submit = ReportSubmit {
            enterprise_id: Some(enterprise_id),
            month: month.to_string(),
            headcount,
            new_hires,
            decrease,
            decrease_type: Some(code_of(&dict.types, &c[5])).filter(|s| !s.is_empty()),
            reasons: [(6, 7), (8, 9), (10, 11)]
                .into_iter()
                .filter(|(code, _)| !c[*code].is_empty())
                .map(|(code, note)| ReasonInput {
                    code: code_of(&dict.reasons, &c[code]),
                    note: c[note].clone(),
                })
                .collect(),
        };
        match self.submit_report(scope, actor, &submit).await {
            Ok(_) => Ok(month),
            Err(StoreError::NotFound) => Err(vec![cell(
                REPORT_COLUMNS[0],
                format!("“{}”不是您数据范围内的监测企业", c[0]),
            )]),
            Err(other) => Err(errors_of(other)),
        }
    }
}
