//! Importing registry files (CSV or XLSX): every row is validated through the core
//! types; valid rows are written in batches (upserts on natural keys, so a re-import
//! adds nothing), and every rejected row is reported with its row number, column and
//! reason. Reading, validating and encrypting run on a blocking thread while the
//! previous batch is written, so both cores work.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde::Serialize;
use wenjiu_core::{Column, FieldError, NewEmployment, NewEnterprise, NewPerson, NewUnemployment};
use wenjiu_io::{Row, TableReader};

use super::Kind;
use super::person::PersonRecord;
use crate::error::{Result, StoreError};
use crate::{Scope, Store, now};

const BATCH: usize = 500;

#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CellError {
    /// The column's header as in the file (or the expected header when missing).
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Rejected {
    /// The row number as the user sees it in Excel (the header is row 1).
    pub row: usize,
    pub errors: Vec<CellError>,
    /// The row's original cells, for the downloadable error report.
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub accepted: usize,
    pub inserted: usize,
    pub updated: usize,
    pub rejected_count: usize,
    pub ignored_columns: Vec<String>,
    pub headers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub rejected: Vec<Rejected>,
}

/// One validated row, ready for its kind's writer.
enum Valid {
    Person(Box<PersonRecord>),
    Enterprise(Box<NewEnterprise>),
    Employment(Box<NewEmployment>),
    Unemployment(Box<NewUnemployment>),
}

struct Batch {
    rows: Vec<(Row, Valid)>,
    rejected: Vec<Rejected>,
    read: usize,
}

/// Maps the file's headers to column keys: a header may be the Chinese header or the key.
fn map_headers(
    columns: &'static [Column],
    headers: &[String],
) -> Result<(Vec<Option<&'static str>>, Vec<String>)> {
    let mut ignored = Vec::new();
    let mapped: Vec<Option<&'static str>> = headers
        .iter()
        .map(|h| {
            let found = columns
                .iter()
                .find(|c| c.header == h || c.key == h)
                .map(|c| c.key);
            if found.is_none() && !h.is_empty() {
                ignored.push(h.clone());
            }
            found
        })
        .collect();
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| c.required && !mapped.contains(&Some(c.key)))
        .map(|c| c.header)
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::invalid(
            "file",
            "文件",
            "import.missing_columns",
            format!("文件缺少必填列:{}(第 1 行应为表头)", missing.join("、")),
        ));
    }
    Ok((mapped, ignored))
}

fn header_of(columns: &'static [Column], key: &str) -> String {
    columns
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.header)
        .unwrap_or(key)
        .to_string()
}

fn field_errors(columns: &'static [Column], errs: Vec<FieldError>) -> Vec<CellError> {
    errs.into_iter()
        .map(|e| CellError {
            column: header_of(columns, e.column),
            message: e.message,
        })
        .collect()
}

/// The natural key of a row, hashed, for reporting duplicates inside one file.
fn key_hash(v: &Valid) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match v {
        Valid::Person(p) => p.id_index.hash(&mut h),
        Valid::Enterprise(e) => e.credit_code.as_str().hash(&mut h),
        Valid::Employment(e) => (e.id_no.as_str(), e.start_date).hash(&mut h),
        Valid::Unemployment(u) => (u.id_no.as_str(), u.registered_on).hash(&mut h),
    }
    h.finish()
}

impl Store {
    fn validate(
        &self,
        kind: Kind,
        keys: &[Option<&'static str>],
        row: &Row,
        at: &str,
    ) -> std::result::Result<Valid, Vec<CellError>> {
        let get = |key: &str| -> Option<&str> {
            keys.iter()
                .position(|k| *k == Some(key))
                .and_then(|i| row.cells.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let columns = kind.columns();
        let errs = |e| field_errors(columns, e);
        Ok(match kind {
            Kind::Person => {
                let p = NewPerson::from_fields(&get).map_err(errs)?;
                let rec = self.person_record(&p, at).map_err(|e| {
                    vec![CellError {
                        column: "身份证号".into(),
                        message: e.to_string(),
                    }]
                })?;
                Valid::Person(Box::new(rec))
            }
            Kind::Enterprise => {
                Valid::Enterprise(Box::new(NewEnterprise::from_fields(&get).map_err(errs)?))
            }
            Kind::Employment => {
                Valid::Employment(Box::new(NewEmployment::from_fields(&get).map_err(errs)?))
            }
            Kind::Unemployment => {
                Valid::Unemployment(Box::new(NewUnemployment::from_fields(&get).map_err(errs)?))
            }
        })
    }

    /// Imports a file of `kind`. `progress` is told the number of rows read so far.
    pub async fn import(
        &self,
        scope: &Scope,
        kind: Kind,
        reader: TableReader,
        progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> Result<ImportReport> {
        let (keys, ignored) = map_headers(kind.columns(), reader.headers())?;
        let mut report = ImportReport {
            ignored_columns: ignored,
            headers: reader.headers().to_vec(),
            ..Default::default()
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Batch>>(2);
        let store = self.clone();
        let region_ok = scope.clone();
        let reading = tokio::task::spawn_blocking(move || {
            let at = now();
            let mut seen: HashMap<u64, usize> = HashMap::new();
            let mut batch = Batch {
                rows: Vec::with_capacity(BATCH),
                rejected: Vec::new(),
                read: 0,
            };
            for row in reader {
                let row = match row {
                    Ok(r) => r,
                    // Faults of one row: report it and read on.
                    Err(
                        e @ (wenjiu_io::IoError::ExtraCells { row, .. }
                        | wenjiu_io::IoError::BadEncoding { row }
                        | wenjiu_io::IoError::CellError { row, .. }),
                    ) => {
                        batch.read += 1;
                        batch.rejected.push(Rejected {
                            row,
                            errors: vec![CellError {
                                column: String::new(),
                                message: e.to_string(),
                            }],
                            cells: Vec::new(),
                        });
                        continue;
                    }
                    Err(e) => {
                        let _ = tx.blocking_send(Err(e.into()));
                        return;
                    }
                };
                batch.read += 1;
                match store.validate(kind, &keys, &row, &at) {
                    Ok(v) => {
                        if let Some(first) = seen.insert(key_hash(&v), row.number) {
                            seen.insert(key_hash(&v), first);
                            batch.rejected.push(Rejected {
                                row: row.number,
                                errors: vec![CellError {
                                    column: header_of(
                                        kind.columns(),
                                        if kind == Kind::Enterprise {
                                            "credit_code"
                                        } else {
                                            "id_no"
                                        },
                                    ),
                                    message: format!("与第 {first} 行重复"),
                                }],
                                cells: row.cells,
                            });
                        } else {
                            batch.rows.push((row, v));
                        }
                    }
                    Err(errors) => batch.rejected.push(Rejected {
                        row: row.number,
                        errors,
                        cells: row.cells,
                    }),
                }
                if batch.rows.len() >= BATCH {
                    let full = std::mem::replace(
                        &mut batch,
                        Batch {
                            rows: Vec::with_capacity(BATCH),
                            rejected: Vec::new(),
                            read: 0,
                        },
                    );
                    if tx.blocking_send(Ok(full)).is_err() {
                        return;
                    }
                }
            }
            let _ = tx.blocking_send(Ok(batch));
        });
        let mut read = 0u64;
        while let Some(batch) = rx.recv().await {
            let batch = batch?;
            read += batch.read as u64;
            report.rows += batch.read;
            report.rejected.extend(batch.rejected);
            let (written, existed, rejected) =
                self.write_batch(&region_ok, kind, batch.rows).await?;
            report.accepted += written;
            report.updated += existed;
            report.inserted += written - existed;
            report.rejected.extend(rejected);
            progress(read);
        }
        reading
            .await
            .map_err(|e| StoreError::Corrupt(format!("导入线程异常:{e}")))?;
        report.rejected.sort_by_key(|r| r.row);
        report.rejected_count = report.rejected.len();
        Ok(report)
    }

    /// Writes one batch; returns (written, of which existed before, rejected by the database checks).
    async fn write_batch(
        &self,
        scope: &Scope,
        kind: Kind,
        rows: Vec<(Row, Valid)>,
    ) -> Result<(usize, usize, Vec<Rejected>)> {
        let mut rejected = Vec::new();
        let columns = kind.columns();
        let mut reject = |row: &Row, col: &str, message: String| {
            rejected.push(Rejected {
                row: row.number,
                errors: vec![CellError {
                    column: header_of(columns, col),
                    message,
                }],
                cells: row.cells.clone(),
            })
        };
        let out_of_scope = |region: &str| format!("区划 {region} 不在本人数据权限范围内");
        let (written, existed) = match kind {
            Kind::Person => {
                let mut recs = Vec::with_capacity(rows.len());
                for (row, v) in rows {
                    let Valid::Person(rec) = v else {
                        unreachable!("rows of one kind")
                    };
                    match wenjiu_core::RegionCode::parse(&rec.region) {
                        Ok(r) if scope.admits_region(&r) => recs.push(*rec),
                        _ => reject(
                            &row,
                            "region",
                            out_of_scope(&super::region_name(&rec.region)),
                        ),
                    }
                }
                let (ids, updated) = self.upsert_people(&recs).await?;
                if !updated.is_empty() {
                    self.refresh_after_registrations(&updated).await?;
                }
                (ids.len(), updated.len())
            }
            Kind::Enterprise => {
                let mut batch = Vec::with_capacity(rows.len());
                for (row, v) in rows {
                    let Valid::Enterprise(e) = v else {
                        unreachable!("rows of one kind")
                    };
                    if scope.admits_region(&e.region) {
                        batch.push(*e);
                    } else {
                        reject(&row, "region", out_of_scope(&e.region.full_name()));
                    }
                }
                let existed = self.upsert_enterprises(&batch).await?;
                (batch.len(), existed)
            }
            Kind::Employment => {
                let (rows, inputs): (Vec<Row>, Vec<NewEmployment>) = rows
                    .into_iter()
                    .map(|(r, v)| match v {
                        Valid::Employment(e) => (r, *e),
                        _ => unreachable!("rows of one kind"),
                    })
                    .unzip();
                let mut ok = Vec::new();
                for (row, res) in rows
                    .iter()
                    .zip(self.resolve_employments(scope, &inputs).await?)
                {
                    match res {
                        Ok(r) => ok.push(r),
                        Err((col, msg)) => reject(row, col, msg),
                    }
                }
                let existed = self.write_employments(&ok).await?;
                (ok.len(), existed)
            }
            Kind::Unemployment => {
                let (rows, inputs): (Vec<Row>, Vec<NewUnemployment>) = rows
                    .into_iter()
                    .map(|(r, v)| match v {
                        Valid::Unemployment(u) => (r, *u),
                        _ => unreachable!("rows of one kind"),
                    })
                    .unzip();
                let mut ok = Vec::new();
                for (row, res) in rows
                    .iter()
                    .zip(self.resolve_unemployments(scope, &inputs).await?)
                {
                    match res {
                        Ok(r) => ok.push(r),
                        Err((col, msg)) => reject(row, col, msg),
                    }
                }
                let existed = self.write_unemployments(&ok).await?;
                (ok.len(), existed)
            }
        };
        Ok((written, existed, rejected))
    }
}

/// The rejected rows as an XLSX: the original columns plus 错误行号 and 错误原因.
pub fn rejected_xlsx(report: &ImportReport) -> Result<Vec<u8>> {
    let mut headers: Vec<&str> = vec!["错误行号", "错误原因"];
    headers.extend(report.headers.iter().map(String::as_str));
    let rows = report.rejected.iter().map(|r| {
        let reason = r
            .errors
            .iter()
            .map(|e| {
                if e.column.is_empty() {
                    e.message.clone()
                } else {
                    format!("{}:{}", e.column, e.message)
                }
            })
            .collect::<Vec<_>>()
            .join(";");
        let mut cells = vec![r.row.to_string(), reason];
        cells.extend(r.cells.iter().cloned());
        cells
    });
    Ok(wenjiu_io::write_xlsx("错误行", &headers, rows)?)
}
