//! Importing registry files (CSV or XLSX): every row is validated through the core
//! types; valid rows are written in batches (upserts on natural keys, so a re-import
//! adds nothing), and every rejected row is reported with its row number, column and
//! reason. Reading, validating and encrypting run on a blocking thread while the
//! previous batch is written, so both cores work; the batches are written on one
//! connection, in transactions of a few seconds: on PostgreSQL a pooled one
//! ([`Store::write_pooled`]), on SQLite one of the import's own ([`sqlite_writer`]).

mod sqlite_writer;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde::Serialize;
use tokio::sync::mpsc::Receiver;
use wenjiu_core::{Column, FieldError, NewEmployment, NewEnterprise, NewPerson, NewUnemployment};
use wenjiu_io::{Row, TableReader};

use super::Kind;
use super::date_text;
use super::person::{Existing, PersonRecord};
use super::registration::Resolved;
use crate::conn::Conn;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::sql::Val;
use crate::{Scope, Store, now};

/// Rows per batch. Bounded by SQLite's expression depth (1,000): the existing-registration
/// lookups are one OR term per row.
const BATCH: usize = 500;

/// How long an import's transaction stays open: long enough that commits are few, short
/// enough that other writers (a login's audit record, a job's progress) wait little for
/// the write lock — well inside SQLite's busy timeout of 10 s.
const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

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
            format!("文件缺少必填列：{}（第 1 行应为表头）", missing.join("、")),
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

/// The natural key of a row, hashed, for reporting repeats within one batch (the
/// database finds those across batches).
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
    ///
    /// Memory stays flat however long the file: rows are read, validated and written in
    /// batches. A row repeating an earlier row's natural key is rejected: within a batch by
    /// the reader (naming the earlier row), across batches by the database (a record this
    /// import has already written).
    pub async fn import(
        &self,
        scope: &Scope,
        kind: Kind,
        reader: TableReader,
        progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> Result<ImportReport> {
        let (keys, ignored) = map_headers(kind.columns(), reader.headers())?;
        let report = ImportReport {
            ignored_columns: ignored,
            headers: reader.headers().to_vec(),
            ..Default::default()
        };
        // One instant for the whole import: it stamps the records this import writes.
        let at = now();
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Batch>>(2);
        let store = self.clone();
        let reader_at = at.clone();
        let reading = tokio::task::spawn_blocking(move || {
            store.read_batches(kind, &keys, reader, &reader_at, tx)
        });
        let mut report = match self.backend {
            Backend::Sqlite => {
                self.write_sqlite(scope, kind, rx, &at, report, progress)
                    .await?
            }
            Backend::Postgres => {
                self.write_pooled(scope, kind, rx, &at, report, &progress)
                    .await?
            }
        };
        reading
            .await
            .map_err(|e| StoreError::Corrupt(format!("导入线程异常：{e}")))?;
        // One delta per person written: folded now, not left for every reader to add.
        self.fold_tallies().await?;
        report.rejected.sort_by_key(|r| r.row);
        report.rejected_count = report.rejected.len();
        Ok(report)
    }

    /// The writing side of an import on PostgreSQL, on one pooled connection (its page
    /// cache stays warm). Progress is told at commits, when the job's own update can be
    /// written.
    async fn write_pooled(
        &self,
        scope: &Scope,
        kind: Kind,
        mut batches: Receiver<Result<Batch>>,
        at: &str,
        mut report: ImportReport,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<ImportReport> {
        let mut conn = self.pool.acquire().await?;
        // After the first commit, then each time the rows written have doubled.
        let mut analyze_at = 0;
        while let Some(first) = batches.recv().await {
            // Begun once a batch is ready, so that no lock is held while the file is opened.
            let mut writing = self.begin_write(&mut conn).await?;
            let tally = self
                .write_transaction(
                    &mut self.on(&mut writing),
                    (scope, kind, at),
                    first,
                    &mut batches,
                )
                .await?;
            writing.commit().await?;
            report.add(tally);
            if report.accepted >= analyze_at {
                // PostgreSQL plans the import's own reads from statistics that tables it is
                // filling lack until autovacuum comes by: without them, a read of 500 people's
                // facts was given a hash join over the whole household table, and the demo's
                // first employment import, into a table analyzed while empty, took 50 s
                // instead of 3 (decision 0020). Analyzed after the first commit and each time
                // the rows written have doubled, a few times over any file.
                sqlx::query("ANALYZE person, household, enterprise, employment, unemployment")
                    .execute(&mut *conn)
                    .await?;
                analyze_at = (report.accepted * 2).max(1);
            }
            progress(report.rows as u64);
        }
        Ok(report)
    }

    /// One transaction's batches, from `first` on until it has been open for about
    /// COMMIT_EVERY: a commit writes every page its transaction touched, and keys such as the
    /// blind index land on random pages, so a transaction per batch rewrote much of each
    /// index again and again. The people whose registrations or household the batches
    /// changed are re-derived once, at the end, however many batches touched them.
    async fn write_transaction(
        &self,
        conn: &mut Conn<'_>,
        (scope, kind, at): (&Scope, Kind, &str),
        first: Result<Batch>,
        batches: &mut Receiver<Result<Batch>>,
    ) -> Result<Tally> {
        let begun = std::time::Instant::now();
        let mut tally = Tally::default();
        let mut next = Some(first);
        while let Some(batch) = next {
            let rows = tally.take(batch?);
            self.write_batch(conn, scope, kind, rows, at, &mut tally)
                .await?;
            next = if begun.elapsed() < COMMIT_EVERY {
                batches.recv().await
            } else {
                None
            };
        }
        let mut households = self.households_of(conn, &tally.touched).await?;
        households.extend(&tally.left);
        self.refresh_around(conn, &households, &tally.touched)
            .await?;
        Ok(tally)
    }

    /// The reading side of an import (a blocking thread): parse, validate, encrypt, batch.
    fn read_batches(
        &self,
        kind: Kind,
        keys: &[Option<&'static str>],
        reader: TableReader,
        at: &str,
        tx: tokio::sync::mpsc::Sender<Result<Batch>>,
    ) {
        let empty = || Batch {
            rows: Vec::with_capacity(BATCH),
            rejected: Vec::new(),
            read: 0,
        };
        let key_header = header_of(kind.columns(), natural_key_column(kind));
        let mut batch = empty();
        let mut seen: HashMap<u64, usize> = HashMap::new();
        for row in reader {
            batch.read += 1;
            let row = match row {
                Ok(r) => r,
                // Faults of one row: report it and read on.
                Err(
                    e @ (wenjiu_io::IoError::ExtraCells { row, .. }
                    | wenjiu_io::IoError::BadEncoding { row }
                    | wenjiu_io::IoError::CellError { row, .. }),
                ) => {
                    let errors = vec![CellError {
                        column: String::new(),
                        message: e.to_string(),
                    }];
                    batch.rejected.push(Rejected {
                        row,
                        errors,
                        cells: Vec::new(),
                    });
                    continue;
                }
                Err(e) => {
                    let _ = tx.blocking_send(Err(e.into()));
                    return;
                }
            };
            match self.validate(kind, keys, &row, at) {
                Ok(v) => match seen.get(&key_hash(&v)) {
                    Some(first) => {
                        let message = format!("与第 {first} 行重复");
                        let errors = vec![CellError {
                            column: key_header.clone(),
                            message,
                        }];
                        batch.rejected.push(Rejected {
                            row: row.number,
                            errors,
                            cells: row.cells,
                        });
                    }
                    None => {
                        seen.insert(key_hash(&v), row.number);
                        batch.rows.push((row, v));
                    }
                },
                Err(errors) => batch.rejected.push(Rejected {
                    row: row.number,
                    errors,
                    cells: row.cells,
                }),
            }
            if batch.rows.len() >= BATCH {
                seen.clear();
                if tx
                    .blocking_send(Ok(std::mem::replace(&mut batch, empty())))
                    .is_err()
                {
                    return;
                }
            }
        }
        let _ = tx.blocking_send(Ok(batch));
    }

    /// Writes one batch, adding to `tally` what it wrote, what the database-side checks
    /// rejected (scope, references, repeats of earlier batches) and the people whose status
    /// and key groups need re-deriving.
    async fn write_batch(
        &self,
        conn: &mut Conn<'_>,
        scope: &Scope,
        kind: Kind,
        rows: Vec<(Row, Valid)>,
        at: &str,
        tally: &mut Tally,
    ) -> Result<()> {
        let mut reject = rejecter(kind.columns(), &mut tally.rejected);
        let touched = &mut tally.touched;
        let (written, existed) = match kind {
            Kind::Person => {
                let indexes = rows.iter().map(|(_, v)| match v {
                    Valid::Person(p) => p.id_index.clone(),
                    _ => unreachable!("rows of one kind"),
                });
                let existing = self.people_by_index(conn, indexes).await?;
                let recs = admit_people(rows, &existing, scope, at, &mut reject);
                // The households people leave need their flag re-derived too.
                let stored = recs.iter().filter_map(|r| existing.get(&r.id_index));
                let stored: Vec<i64> = stored.map(|e| e.id).collect();
                tally.left.extend(self.households_of(conn, &stored).await?);
                let (updated, old_households) =
                    self.upsert_people(conn, &recs, &existing, at).await?;
                touched.extend(self.joiners(conn, &recs, &old_households, at).await?);
                let count = updated.len();
                touched.extend(updated);
                (recs.len(), count)
            }
            Kind::Enterprise => {
                let keys: Vec<Vec<Val>> = rows
                    .iter()
                    .map(|(_, v)| match v {
                        Valid::Enterprise(e) => vec![Val::from(e.credit_code.as_str())],
                        _ => unreachable!("rows of one kind"),
                    })
                    .collect();
                let stored = self
                    .stored_keys(conn, "enterprise", &["credit_code"], &keys)
                    .await?;
                let (mut batch, mut existed) = (Vec::with_capacity(rows.len()), 0);
                for (row, v) in rows {
                    let Valid::Enterprise(e) = v else {
                        unreachable!("rows of one kind")
                    };
                    let was = stored.get(&vec![e.credit_code.as_str().to_string()]);
                    match was {
                        Some(was) if was.stamp == at => {
                            reject(&row, "credit_code", REPEAT.to_string())
                        }
                        Some(was) if !was.admitted_by(scope) => {
                            reject(&row, "credit_code", ELSEWHERE.to_string())
                        }
                        _ if !scope.admits_region(&e.region) => {
                            reject(&row, "region", out_of_scope(&e.region.full_name()))
                        }
                        _ => {
                            existed += usize::from(was.is_some());
                            batch.push(*e);
                        }
                    }
                }
                let moved = self.import_enterprises(conn, &batch, existed > 0, at);
                touched.extend(moved.await?);
                (batch.len(), existed)
            }
            Kind::Employment => {
                let (rows, inputs) = split(rows, |v| match v {
                    Valid::Employment(e) => *e,
                    _ => unreachable!("rows of one kind"),
                });
                let resolved = self.resolve_employments(conn, scope, &inputs).await?;
                let checked = (&rows[..], resolved);
                let (ok, existed) = self
                    .unrepeated(conn, checked, (scope, at), &mut reject, touched)
                    .await?;
                self.write_employments(conn, &ok, at).await?;
                (ok.len(), existed)
            }
            Kind::Unemployment => {
                let (rows, inputs) = split(rows, |v| match v {
                    Valid::Unemployment(e) => *e,
                    _ => unreachable!("rows of one kind"),
                });
                let resolved = self
                    .resolve_unemployments(conn, scope, &inputs, None)
                    .await?;
                let checked = (&rows[..], resolved);
                let (ok, existed) = self
                    .unrepeated(conn, checked, (scope, at), &mut reject, touched)
                    .await?;
                self.write_unemployments(conn, &ok, at).await?;
                (ok.len(), existed)
            }
        };
        tally.accepted += written;
        tally.existed += existed;
        Ok(())
    }
}

impl Store {
    /// The resolved registrations of a batch that are neither unresolved (person or
    /// employer unknown, out of scope), nor repeats of one this import already wrote, nor
    /// stored already by another region or enterprise than `scope`'s; and how many of them
    /// are stored already (to be updated). The others are rejected; the people of those
    /// kept are added to `touched`. The batch is the file's rows and what resolving each gave.
    async fn unrepeated<R: Resolved>(
        &self,
        conn: &mut Conn<'_>,
        (rows, resolved): (&[Row], Vec<Resolution<R>>),
        (scope, at): (&Scope, &str),
        reject: &mut impl FnMut(&Row, &str, String),
        touched: &mut Vec<i64>,
    ) -> Result<(Vec<R>, usize)> {
        let (table, date_column) = (R::TABLE.table, R::TABLE.date);
        let text = |r: &R| vec![r.person_id().to_string(), date_text(r.date())];
        let keys: Vec<Vec<Val>> = resolved
            .iter()
            .flatten()
            .map(|r| vec![Val::from(r.person_id()), Val::from(date_text(r.date()))])
            .collect();
        let stored = self
            .stored_keys(conn, table, &["person_id", date_column], &keys)
            .await?;
        let (mut ok, mut existed) = (Vec::new(), 0);
        for (row, res) in rows.iter().zip(resolved) {
            match res {
                Ok(r) => match stored.get(&text(&r)) {
                    Some(was) if was.stamp == at => reject(row, "id_no", REPEAT.to_string()),
                    Some(was) if !was.admitted_by(scope) => {
                        reject(row, date_column, ELSEWHERE.to_string())
                    }
                    was => {
                        existed += usize::from(was.is_some());
                        ok.push(r);
                    }
                },
                Err((col, msg)) => reject(row, col, msg),
            }
        }
        touched.extend(ok.iter().map(R::person_id));
        Ok((ok, existed))
    }
}

/// The rows of a batch of one kind and their validated values, picked out by `pick`.
fn split<T>(rows: Vec<(Row, Valid)>, pick: impl Fn(Valid) -> T) -> (Vec<Row>, Vec<T>) {
    rows.into_iter().map(|(r, v)| (r, pick(v))).unzip()
}

/// A registration resolved, or the column and reason it cannot be.
type Resolution<R> = std::result::Result<R, (&'static str, String)>;

/// The reason given for a row repeating an earlier row's record.
const REPEAT: &str = "与本文件中前面的行重复";

/// The reason given for a row naming a record stored outside the importer's scope, which
/// the import must neither change nor move into that scope.
const ELSEWHERE: &str = "该记录已在本人数据权限范围外登记，不能由本次导入更改";

fn out_of_scope(region_name: &str) -> String {
    format!("区划 {region_name} 不在本人数据权限范围内")
}

/// Rejects a row of a kind with `columns` for a reason in one column, into `out`.
fn rejecter<'o>(
    columns: &'static [Column],
    out: &'o mut Vec<Rejected>,
) -> impl FnMut(&Row, &str, String) + 'o {
    move |row, column, message| {
        out.push(Rejected {
            row: row.number,
            errors: vec![CellError {
                column: header_of(columns, column),
                message,
            }],
            cells: row.cells.clone(),
        })
    }
}

/// The people of a batch that may be written; the others are rejected: repeats of a person
/// this import wrote already (stored with its stamp `at`), people stored outside `scope`
/// and residents outside it.
/// `existing` is what is stored under the batch's blind indexes.
fn admit_people(
    rows: Vec<(Row, Valid)>,
    existing: &HashMap<String, Existing>,
    scope: &Scope,
    at: &str,
    reject: &mut impl FnMut(&Row, &str, String),
) -> Vec<PersonRecord> {
    let mut recs = Vec::with_capacity(rows.len());
    for (row, v) in rows {
        let Valid::Person(rec) = v else {
            unreachable!("rows of one kind")
        };
        let was = existing.get(&rec.id_index);
        let admits = |region: &str| {
            wenjiu_core::RegionCode::parse(region).is_ok_and(|r| scope.admits_region(&r))
        };
        match was {
            Some(was) if was.updated_at == at => reject(&row, "id_no", REPEAT.to_string()),
            Some(was) if !admits(&was.region) => reject(&row, "id_no", ELSEWHERE.to_string()),
            _ if admits(&rec.region) => recs.push(*rec),
            _ => reject(
                &row,
                "region",
                out_of_scope(&super::region_name(&rec.region)),
            ),
        }
    }
    recs
}

/// What one of an import's transactions did.
#[derive(Default)]
struct Tally {
    read: usize,
    accepted: usize,
    /// Of those accepted, the records that were stored already (updated, not inserted).
    existed: usize,
    rejected: Vec<Rejected>,
    /// The people whose status and key groups need re-deriving.
    touched: Vec<i64>,
    /// The households people were in before this import moved them (or kept them).
    left: Vec<i64>,
}

impl Tally {
    /// Counts a batch read in; returns its valid rows, to be written.
    fn take(&mut self, batch: Batch) -> Vec<(Row, Valid)> {
        self.read += batch.read;
        self.rejected.extend(batch.rejected);
        batch.rows
    }
}

impl ImportReport {
    fn add(&mut self, t: Tally) {
        self.rows += t.read;
        self.accepted += t.accepted;
        self.updated += t.existed;
        self.inserted += t.accepted - t.existed;
        self.rejected.extend(t.rejected);
    }
}

/// The column whose value identifies a row's record (with the date, for registrations).
fn natural_key_column(kind: Kind) -> &'static str {
    match kind {
        Kind::Enterprise => "credit_code",
        _ => "id_no",
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
