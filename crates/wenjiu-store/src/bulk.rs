//! Big reads — every row of one statement, e.g. a screening frame over ten million people —
//! without sqlx's per-row costs: SQLite's driver hands each row from its worker thread to the
//! async task through a channel, and the Any driver decodes every value into an owned value.
//! Here SQLite is read through a read-only rusqlite connection on a blocking thread, rows
//! mapped there and handed over in batches, and PostgreSQL through `COPY … TO STDOUT` on a
//! plain `PgConnection`, parsed and mapped on a blocking thread ([`pg_copy`]). Only the
//! transport differs: the statement and what a row means are the caller's. See
//! docs/decisions/0011-bulk-frame-reads.md.

mod pg_copy;

use sqlx::ConnectOptions;
use sqlx::Row;
use sqlx::any::AnyRow;
use sqlx::postgres::PgConnectOptions;
use tokio::sync::mpsc;

use crate::Store;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

/// A row's cells by position, whichever transport read it.
pub(crate) trait Cells {
    fn text(&self, i: usize) -> Result<Option<&str>>;
    fn int(&self, i: usize) -> Result<Option<i64>>;
}

impl dyn Cells + '_ {
    /// A cell that must not be NULL.
    pub(crate) fn required(&self, i: usize) -> Result<&str> {
        self.text(i)?.ok_or_else(|| null(i))
    }

    pub(crate) fn required_int(&self, i: usize) -> Result<i64> {
        self.int(i)?.ok_or_else(|| null(i))
    }

    pub(crate) fn decode<T>(
        &self,
        i: usize,
        parse: impl Fn(&str) -> wenjiu_core::Result<T>,
    ) -> Result<T> {
        self.decode_opt(i, parse)?.ok_or_else(|| null(i))
    }

    pub(crate) fn decode_opt<T>(
        &self,
        i: usize,
        parse: impl Fn(&str) -> wenjiu_core::Result<T>,
    ) -> Result<Option<T>> {
        let s = self.text(i)?;
        s.map(|s| parse(s).map_err(|e| StoreError::Corrupt(format!("{s}：{e}"))))
            .transpose()
    }
}

fn null(i: usize) -> StoreError {
    StoreError::Corrupt(format!("第{}列为空", i + 1))
}

impl Cells for AnyRow {
    fn text(&self, i: usize) -> Result<Option<&str>> {
        Ok(self.try_get(i)?)
    }

    fn int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.try_get(i)?)
    }
}

impl Cells for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<Option<&str>> {
        Ok(self
            .get_ref(i)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?)
    }

    fn int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self
            .get_ref(i)?
            .as_i64_or_null()
            .map_err(rusqlite::Error::from)?)
    }
}

/// Rows handed over at a time.
const BATCH: usize = 4096;

/// Rows gathered into batches of [`BATCH`].
struct Batches<T>(Vec<T>);

impl<T> Batches<T> {
    fn new() -> Self {
        Batches(Vec::with_capacity(BATCH))
    }

    /// Adds a row; returns the batch it fills up.
    fn push(&mut self, row: T) -> Option<Vec<T>> {
        self.0.push(row);
        (self.0.len() == BATCH).then(|| std::mem::replace(&mut self.0, Vec::with_capacity(BATCH)))
    }
}

impl Store {
    /// Every row of `sql` in its order, turned into a `T` by `map` (on SQLite's reader
    /// thread, beside `each`), handed to `each` in batches. Async code and the generic code
    /// it instantiates are compiled in the binary's crate, unoptimized in debug builds: the
    /// work per row belongs in `map` and in what `each` calls, as plain functions.
    pub(crate) async fn bulk<T: Send + 'static>(
        &self,
        sql: &Sql,
        map: impl Fn(&dyn Cells) -> Result<T> + Send + 'static,
        mut each: impl FnMut(Vec<T>) -> Result<()>,
    ) -> Result<()> {
        let url = &self.pool.connect_options().database_url;
        match self.backend {
            Backend::Sqlite => {
                let path = self.sqlite_file()?;
                let sql = sql.clone();
                let (tx, mut rx) = mpsc::channel(4);
                let reader = tokio::task::spawn_blocking(move || {
                    if let Err(e) = read_sqlite(&path, &sql, &map, &tx) {
                        // Unless the caller stopped listening, because of an error of its own.
                        let _ = tx.blocking_send(Err(e));
                    }
                });
                while let Some(batch) = rx.recv().await {
                    each(batch?)?;
                }
                reader
                    .await
                    .map_err(|e| StoreError::Corrupt(format!("读取中断：{e}")))
            }
            Backend::Postgres => {
                pg_copy::read(&PgConnectOptions::from_url(url)?, sql, map, each).await
            }
        }
    }
}

/// Runs `sql` on a read-only connection of its own (one snapshot for the statement) and
/// sends its rows mapped, a batch at a time, until done or the receiver is gone.
fn read_sqlite<T>(
    path: &std::path::Path,
    sql: &Sql,
    map: &impl Fn(&dyn Cells) -> Result<T>,
    tx: &mpsc::Sender<Result<Vec<T>>>,
) -> Result<()> {
    let conn = crate::lite::open_reader(path)?;
    let mut stmt = crate::lite::statement(&conn, sql)?;
    let mut rows = stmt.raw_query();
    let mut batches = Batches::new();
    while let Some(r) = rows.next()? {
        if let Some(full) = batches.push(map(r)?)
            && tx.blocking_send(Ok(full)).is_err()
        {
            return Ok(());
        }
    }
    let _ = tx.blocking_send(Ok(batches.0));
    Ok(())
}
