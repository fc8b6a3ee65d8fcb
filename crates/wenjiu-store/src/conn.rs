//! The connection the registry's writers run their statements on, whichever transport: a
//! pooled sqlx connection, or on SQLite an import's own rusqlite connection (see
//! [`crate::lite`] and docs/decisions/0017-sqlite-import-writer.md). The statements and what
//! a row means are written once; rows are read by position through [`Cells`].

use sqlx::AnyConnection;

use crate::bulk::Cells;
use crate::db::Backend;
use crate::error::Result;
use crate::lite;
use crate::sql::{Sql, Val};

impl crate::Store {
    /// A pooled connection (or a transaction on one) as the writers take it.
    pub(crate) fn on<'c>(&self, conn: &'c mut AnyConnection) -> Conn<'c> {
        Conn::Pool(conn, self.backend)
    }
}

pub(crate) enum Conn<'c> {
    /// A pooled connection, or a transaction on one.
    Pool(&'c mut AnyConnection, Backend),
    /// An import's own SQLite connection. Its statements run when polled, on the thread that
    /// polls: only an import's blocking thread drives futures holding one.
    Lite(&'c mut rusqlite::Connection),
}

impl Conn<'_> {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Conn::Pool(_, backend) => *backend,
            Conn::Lite(_) => Backend::Sqlite,
        }
    }

    /// Runs a statement that returns no rows.
    pub(crate) async fn execute(&mut self, sql: &Sql) -> Result<()> {
        match self {
            Conn::Pool(conn, backend) => {
                sql.query(*backend).execute(&mut **conn).await?;
            }
            Conn::Lite(conn) => lite::execute(conn, sql)?,
        }
        Ok(())
    }

    /// Runs the single-row statement `head` + `(values)` once for each of `rows`: on an
    /// import's connection one prepared statement rebound per row, on a pooled one a statement
    /// each.
    pub(crate) async fn execute_each(&mut self, head: &str, rows: Vec<Vec<Val>>) -> Result<()> {
        let mut rows = rows.into_iter();
        let Some(first) = rows.next() else {
            return Ok(());
        };
        let mut sql = Sql::new(head);
        sql.bind_row(first);
        match self {
            Conn::Lite(conn) => lite::execute_each(conn, &sql, rows),
            Conn::Pool(..) => {
                self.execute(&sql).await?;
                for row in rows {
                    let mut sql = Sql::new(head);
                    sql.bind_row(row);
                    self.execute(&sql).await?;
                }
                Ok(())
            }
        }
    }

    /// Every row of a statement, mapped.
    pub(crate) async fn rows<T>(
        &mut self,
        sql: &Sql,
        mut map: impl FnMut(&dyn Cells) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self {
            Conn::Pool(conn, backend) => {
                let rows = sql.query(*backend).fetch_all(&mut **conn).await?;
                rows.iter().map(|r| map(r)).collect()
            }
            Conn::Lite(conn) => lite::rows(conn, sql, map),
        }
    }
}
