//! The writing side of an import on SQLite: a rusqlite connection of the import's own, on a
//! blocking thread, running the writers' statements ([`Conn::Lite`]) in transactions of
//! about [`super::COMMIT_EVERY`], the key-group refresh inside each. Through sqlx, every
//! statement and every row it returns crossed between the async task and the connection's
//! worker thread, and each value was converted through the Any driver: a people import
//! spent more time there than in SQLite. See docs/decisions/0017-sqlite-import-writer.md.

use tokio::sync::mpsc::Receiver;

use super::{Batch, ImportReport};
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::lite;
use crate::registry::Kind;
use crate::{Scope, Store};

impl Store {
    /// Writes the batches on a blocking thread of its own and returns the report with what
    /// was written. The writers are async (they run on pooled connections too): the thread
    /// drives them itself, and their statements on the import's connection run as they are
    /// polled, there.
    pub(super) async fn write_sqlite(
        &self,
        scope: &Scope,
        kind: Kind,
        batches: Receiver<Result<Batch>>,
        at: &str,
        report: ImportReport,
        progress: impl Fn(u64) + Send + Sync + 'static,
    ) -> Result<ImportReport> {
        let path = self.sqlite_file()?;
        let (store, scope, at) = (self.clone(), scope.clone(), at.to_string());
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let mut conn = lite::open_writer(&path)?;
            let writing =
                store.write_lite(&mut conn, (&scope, kind, &at), batches, report, progress);
            runtime.block_on(writing)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("导入线程异常：{e}")))?
    }

    /// The transactions on the import's connection. Dropping the connection on an error
    /// rolls back the transaction it was in.
    async fn write_lite(
        &self,
        conn: &mut rusqlite::Connection,
        (scope, kind, at): (&Scope, Kind, &str),
        mut batches: Receiver<Result<Batch>>,
        mut report: ImportReport,
        progress: impl Fn(u64),
    ) -> Result<ImportReport> {
        while let Some(first) = batches.recv().await {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let tally = self
                .write_transaction(
                    &mut Conn::Lite(conn),
                    (scope, kind, at),
                    first,
                    &mut batches,
                )
                .await?;
            conn.execute_batch("COMMIT")?;
            report.add(tally);
            progress(report.rows as u64);
        }
        Ok(report)
    }
}
