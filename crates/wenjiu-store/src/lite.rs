//! [`Sql`] statements run on a rusqlite connection of their own: the transport of the big
//! SQLite reads ([`crate::bulk`]) and of imports ([`crate::conn::Conn`]). sqlx's SQLite driver
//! hands every statement and every row between the async task and the connection's worker
//! thread and converts each value through the Any driver; here a statement is prepared once
//! per connection and run on the calling (blocking) thread. See
//! docs/decisions/0011-bulk-frame-reads.md and 0017-sqlite-import-writer.md.

use std::path::Path;
use std::time::Duration;

use rusqlite::{CachedStatement, Connection, OpenFlags};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

use crate::Store;
use crate::bulk::Cells;
use crate::db::SQLITE_SETTINGS;
use crate::error::Result;
use crate::sql::{Sql, Val};

impl Store {
    /// The file of a SQLite store, for connections of its own.
    pub(crate) fn sqlite_file(&self) -> Result<std::path::PathBuf> {
        let url = &self.pool.connect_options().database_url;
        Ok(SqliteConnectOptions::from_url(url)?
            .get_filename()
            .to_owned())
    }
}

/// A read-only connection: one snapshot per statement, the pool's writers undisturbed.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

/// A connection that writes, set up as the pool's connections are.
pub(crate) fn open_writer(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch(SQLITE_SETTINGS)?;
    Ok(conn)
}

/// A statement of `sql`, prepared once per connection, with its values bound: by position
/// where [`Sql::sqlite_text`] made its placeholders anonymous, as SQLite finds a named one by
/// a linear scan (quadratic in a batch's 500-value `IN` list); else by name (a fragment may
/// reuse a value's placeholder).
pub(crate) fn statement<'c>(conn: &'c Connection, sql: &Sql) -> Result<CachedStatement<'c>> {
    let (text, positional) = sql.sqlite_text();
    let mut stmt = conn.prepare_cached(&text)?;
    for (n, a) in sql.args().iter().enumerate() {
        let i = if positional {
            n + 1
        } else {
            match stmt.parameter_index(&format!("${}", n + 1))? {
                Some(i) => i,
                None => continue,
            }
        };
        bind(&mut stmt, i, a)?;
    }
    Ok(stmt)
}

fn bind(stmt: &mut CachedStatement<'_>, i: usize, v: &Val) -> Result<()> {
    match v {
        Val::Int(v) => stmt.raw_bind_parameter(i, v)?,
        Val::Text(v) => stmt.raw_bind_parameter(i, v)?,
    }
    Ok(())
}

/// Runs a statement that returns no rows.
pub(crate) fn execute(conn: &Connection, sql: &Sql) -> Result<()> {
    statement(conn, sql)?.raw_execute()?;
    Ok(())
}

/// Runs `first` (a statement with anonymous placeholders), then the same statement with each
/// of `rows` bound in turn: a row's text is neither rewritten nor looked up again.
pub(crate) fn execute_each(
    conn: &Connection,
    first: &Sql,
    rows: impl IntoIterator<Item = Vec<Val>>,
) -> Result<()> {
    let mut stmt = statement(conn, first)?;
    stmt.raw_execute()?;
    for row in rows {
        for (n, v) in row.iter().enumerate() {
            bind(&mut stmt, n + 1, v)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

/// Every row of a statement, mapped.
pub(crate) fn rows<T>(
    conn: &Connection,
    sql: &Sql,
    mut map: impl FnMut(&dyn Cells) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = statement(conn, sql)?;
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(map(r)?);
    }
    Ok(out)
}
