//! Importing small sheets row by row through the same checks as entry by hand (indicator
//! values and targets, monitoring reports): the header check, and a report that keeps every
//! good row and every bad one with its row number, column and reason.

use wenjiu_io::TableReader;

use crate::error::{Result, StoreError};
use crate::registry::import::CellError;
use crate::registry::{ImportReport, Rejected};

pub(crate) fn cell(column: &str, message: impl Into<String>) -> CellError {
    CellError {
        column: column.to_string(),
        message: message.into(),
    }
}

/// A refused entry as the row's errors: each field problem under its column.
pub(crate) fn errors_of(e: StoreError) -> Vec<CellError> {
    match e {
        StoreError::Invalid(fields) => fields
            .into_iter()
            .map(|f| cell(f.header, f.message))
            .collect(),
        other => vec![cell("", other.to_string())],
    }
}

/// A sheet read for import: its rows' cells in the expected column order, and the report
/// that [`Sheet::record`] fills in row by row.
pub(crate) struct Sheet {
    pub rows: Vec<SheetRow>,
    report: ImportReport,
}

pub(crate) struct SheetRow {
    pub number: usize,
    /// In `expected` order; "" for an absent optional column.
    pub cells: Vec<String>,
    original: Vec<String>,
}

impl Sheet {
    /// Reads `reader`, whose first `required` of `expected` headers must be present.
    pub fn read(reader: TableReader, expected: &[&str], required: usize) -> Result<Sheet> {
        let headers = reader.headers().to_vec();
        let position = |h: &str| headers.iter().position(|x| x == h);
        let missing: Vec<&str> = expected[..required]
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
        // These sheets are small; reading them whole keeps the file reader out of the awaits.
        let rows = reader
            .rows()
            .map(|row| {
                let row = row?;
                Ok(SheetRow {
                    number: row.number,
                    cells: at
                        .iter()
                        .map(|p| p.map(|p| row.cells[p].clone()).unwrap_or_default())
                        .collect(),
                    original: row.cells,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let report = ImportReport {
            ignored_columns: headers
                .iter()
                .filter(|h| !expected.contains(&h.as_str()))
                .cloned()
                .collect(),
            headers,
            ..Default::default()
        };
        Ok(Sheet { rows, report })
    }

    /// Takes the rows out to be handled; each outcome goes back through [`Sheet::record`].
    pub fn take_rows(&mut self) -> Vec<SheetRow> {
        std::mem::take(&mut self.rows)
    }

    pub fn record(&mut self, row: SheetRow, outcome: std::result::Result<(), Vec<CellError>>) {
        self.report.rows += 1;
        match outcome {
            Ok(()) => self.report.accepted += 1,
            Err(errors) => self.report.rejected.push(Rejected {
                row: row.number,
                errors,
                cells: row.original,
            }),
        }
    }

    pub fn finish(self) -> ImportReport {
        self.finish_with_updated(0)
    }

    /// The report, `updated` of the accepted rows having corrected an existing record; the
    /// rejected rows in file order, however they were handled.
    pub fn finish_with_updated(mut self, updated: usize) -> ImportReport {
        self.report.rejected.sort_by_key(|r| r.row);
        self.report.updated = updated;
        self.report.inserted = self.report.accepted - updated;
        self.report.rejected_count = self.report.rejected.len();
        self.report
    }
}
