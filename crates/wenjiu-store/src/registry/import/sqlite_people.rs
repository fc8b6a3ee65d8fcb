//! The writing side of a people import on SQLite: a rusqlite connection of the import's own,
//! on a blocking thread, running the same statements as the pooled writer (the person
//! inserts prepared once and reused for every row), in transactions of about
//! [`COMMIT_EVERY`]. Through sqlx, every statement and every row it returns crossed between
//! the async task and the connection's worker thread, and each of a person's 18 values was
//! converted through the Any driver: the import spent more time there than in SQLite. See
//! docs/decisions/0017-direct-people-writer.md.
//!
//! The key groups of the people a transaction touched (updated people, new members of
//! existing households) are re-derived through the pool, in a transaction of their own
//! straight after its commit; the writer waits for it before beginning the next.

use std::collections::HashMap;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};
use wenjiu_io::Row;

use super::{
    Batch, COMMIT_EVERY, ImportReport, Tally, Valid, admit_people, joiners, person_indexes,
    rejecter,
};
use crate::error::{Result, StoreError};
use crate::lite;
use crate::registry::Kind;
use crate::registry::household::HouseholdStatements;
use crate::registry::keygroups::joiners_sql;
use crate::registry::person::{existing_of, people_by_index_sql, upsert_sql};
use crate::{Scope, Store};

/// A transaction committed, and how to let the writer go on once its people are refreshed.
type Committed = (Tally, oneshot::Sender<()>);

impl Store {
    pub(super) async fn write_people_directly(
        &self,
        scope: &Scope,
        batches: mpsc::Receiver<Result<Batch>>,
        at: &str,
        report: &mut ImportReport,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<()> {
        let path = self.sqlite_file()?;
        let (done, mut committed) = mpsc::channel::<Result<Committed>>(1);
        let (store, scope, at) = (self.clone(), scope.clone(), at.to_string());
        let writer = tokio::task::spawn_blocking(move || {
            let conn = lite::open_writer(&path);
            if let Err(e) = conn.and_then(|c| store.write_people(&c, &scope, batches, &at, &done)) {
                // Unless the caller stopped listening, because of an error of its own.
                let _ = done.blocking_send(Err(e));
            }
        });
        while let Some(next) = committed.recv().await {
            let (tally, resume) = next?;
            if !tally.touched.is_empty() {
                let mut conn = self.pool.acquire().await?;
                let mut refreshing = self.begin_write(&mut conn).await?;
                self.refresh_after_registrations(&mut refreshing, &tally.touched)
                    .await?;
                refreshing.commit().await?;
            }
            report.add(tally);
            progress(report.rows as u64);
            let _ = resume.send(());
        }
        writer
            .await
            .map_err(|e| StoreError::Corrupt(format!("导入线程异常：{e}")))
    }

    /// The writer's loop (a blocking thread): transactions of batches until the reader is
    /// done. Dropping `conn` on an error rolls back the transaction it was in.
    fn write_people(
        &self,
        conn: &Connection,
        scope: &Scope,
        mut batches: mpsc::Receiver<Result<Batch>>,
        at: &str,
        done: &mpsc::Sender<Result<Committed>>,
    ) -> Result<()> {
        while let Some(first) = batches.blocking_recv() {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let begun = std::time::Instant::now();
            let mut tally = Tally::default();
            let mut next = Some(first);
            while let Some(batch) = next {
                let rows = tally.take(batch?);
                write_batch(conn, scope, rows, at, &mut tally)?;
                next = if begun.elapsed() < COMMIT_EVERY {
                    batches.blocking_recv()
                } else {
                    None
                };
            }
            conn.execute_batch("COMMIT")?;
            let (resume, resumed) = oneshot::channel();
            if done.blocking_send(Ok((tally, resume))).is_err() || resumed.blocking_recv().is_err()
            {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// One batch of people, as [`Store::upsert_people`] and [`Store::joiners`] write it on the
/// pool, except that each new person is one run of the prepared insert.
fn write_batch(
    conn: &Connection,
    scope: &Scope,
    rows: Vec<(Row, Valid)>,
    at: &str,
    tally: &mut Tally,
) -> Result<()> {
    let existing: HashMap<_, _> = match people_by_index_sql(person_indexes(&rows)) {
        Some(sql) => lite::rows(conn, &sql, existing_of)?.into_iter().collect(),
        None => HashMap::new(),
    };
    let mut reject = rejecter(Kind::Person.columns(), &mut tally.rejected);
    let recs = admit_people(rows, &existing, scope, at, &mut reject);
    let (households, old_households) = match HouseholdStatements::of(&recs, at) {
        Some(st) => {
            let created = lite::rows(conn, &st.insert, HouseholdStatements::created)?;
            let ids = lite::rows(conn, &st.ids, HouseholdStatements::id)?;
            (ids.into_iter().collect(), st.existed(created))
        }
        None => Default::default(),
    };
    let mut old = Vec::new();
    for r in &recs {
        match existing.get(&r.id_index) {
            Some(e) => {
                old.push(r);
                tally.touched.push(e.id);
            }
            None => {
                lite::execute(conn, &r.insert(&households))?;
            }
        }
    }
    if !old.is_empty() {
        lite::execute(conn, &upsert_sql(&old, &households))?;
    }
    for sql in joiners_sql(&joiners(&recs, &old_households), at) {
        let ids = lite::rows(conn, &sql, |r| r.required_int(0))?;
        tally.touched.extend(ids);
    }
    tally.accepted += recs.len();
    tally.existed += old.len();
    Ok(())
}
