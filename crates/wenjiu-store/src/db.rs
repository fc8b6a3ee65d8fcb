//! Connection to SQLite or PostgreSQL through sqlx's Any driver, chosen by URL.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

use crate::error::{Result, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Migration(format!(
                "不支持的数据库地址 {url}：应以 sqlite:// 或 postgres:// 开头"
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// How every SQLite connection that writes is set up. A page cache of up to 256 MiB per
/// connection and checkpoints every ~40 MiB of WAL: imports insert into random places of
/// the blind-index B-tree, which the 2 MiB default turns into a read per page. (Memory
/// mapping was measured slower here, and made the resident size grow.)
pub(crate) const SQLITE_SETTINGS: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; \
    PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA cache_size=-262144; \
    PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;";

pub async fn connect(url: &str) -> Result<(AnyPool, Backend)> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)?;
    let url = match backend {
        // Create the file on first use, like the embedded default should.
        Backend::Sqlite if !url.contains("mode=") => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        }
        _ => url.to_string(),
    };
    let options = AnyConnectOptions::from_str(&url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(SQLITE_SETTINGS).await?;
                } else {
                    // Without statistics (a table filled by an import since autovacuum last
                    // looked) the planner's costs run high enough to JIT-compile statements
                    // that take milliseconds: each then took hundreds of them. The registry's
                    // statements are short; compiling never pays.
                    conn.execute("SET jit = off").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| match (&e, backend) {
            // A cluster that wants a password should say so, not hang or mumble.
            (sqlx::Error::Database(db), Backend::Postgres)
                if db.code().as_deref() == Some("28P01")
                    || db.code().as_deref() == Some("28000") =>
            {
                StoreError::Migration(format!(
                    "PostgreSQL 拒绝登录（{db}）：请在数据库地址中提供用户名和密码"
                ))
            }
            _ => StoreError::Database(e),
        })?;
    Ok((pool, backend))
}
