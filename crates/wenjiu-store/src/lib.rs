//! wenjiu's storage: one code base for SQLite (embedded default) and PostgreSQL.
//!
//! Every query is written once in portable SQL (see [`sql::Sql`]) and runs through
//! sqlx's Any driver. Data scopes are enforced here, inside each query, never in the
//! HTTP handlers: a record outside the caller's scope is simply not found.

pub mod accounts;
pub mod audit;
mod bulk;
mod conn;
mod db;
pub mod error;
pub mod indicators;
pub mod jobs;
mod listing;
mod lite;
mod migrate;
pub mod monitoring;
pub mod policy;
pub mod registry;
pub mod scope;
mod sheet;
mod sql;

use std::sync::Arc;

use sqlx::AnyPool;
use wenjiu_crypto::Keyring;

pub use db::Backend;
pub use error::{Result, StoreError};
pub use scope::Scope;

/// A handle on the database and the keys protecting personal data in it. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    keys: Arc<Keyring>,
    /// Serializes audit appends of this process; the UNIQUE(prev_hash) constraint
    /// guards against other processes.
    audit_lock: Arc<tokio::sync::Mutex<()>>,
    /// The business date rules are evaluated at; `None` = today in Asia/Shanghai.
    as_of: Option<chrono::NaiveDate>,
}

impl Store {
    /// Connects to `url` (`sqlite://FILE` or `postgres://…`) without migrating.
    pub async fn open(url: &str, keys: Keyring) -> Result<Store> {
        let (pool, backend) = db::connect(url).await?;
        Ok(Store {
            pool,
            backend,
            keys: Arc::new(keys),
            audit_lock: Arc::new(tokio::sync::Mutex::new(())),
            as_of: None,
        })
    }

    /// Applies pending schema migrations; returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let applied = migrate::run(&self.pool, self.backend).await?;
        self.seed_code_tables().await?;
        Ok(applied)
    }

    /// Fixes the business date, e.g. to the demo province's "end of May 2020".
    pub fn with_as_of(mut self, date: Option<chrono::NaiveDate>) -> Self {
        self.as_of = date;
        self
    }

    /// The business date: key groups ("unemployed ≥ 6 months") are derived as of it.
    pub fn today(&self) -> chrono::NaiveDate {
        self.as_of.unwrap_or_else(today)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (BEGIN
    /// IMMEDIATE): a deferred one that read first fails outright, without waiting, when
    /// another connection commits in between (a job's progress, a login's audit record).
    pub(crate) async fn begin_write<'c>(
        &self,
        conn: &'c mut sqlx::AnyConnection,
    ) -> Result<sqlx::Transaction<'c, sqlx::Any>> {
        use sqlx::Connection as _;
        Ok(match self.backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => conn.begin().await?,
        })
    }

    /// Fills the editable code tables with their defaults the first time.
    async fn seed_code_tables(&self) -> Result<()> {
        self.seed_difficulty_categories().await?;
        self.seed_indicators().await?;
        self.seed_monitoring_codes().await?;
        self.seed_roles().await
    }
}

/// The current instant as stored: RFC 3339 in UTC with milliseconds, which sorts as text.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Today's business date (Asia/Shanghai, UTC+8 without daylight saving).
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// A page of results and the total count of the filtered set.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub rows: Vec<T>,
}

/// 1-based page number and size, clamped to sane bounds.
#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: i64,
    pub page_size: i64,
}

/// The last page anyone can ask for: 500 million rows in at the largest page size, far past
/// any table, yet an offset no database or integer overflows on.
pub const MAX_PAGE: i64 = 1_000_000;

impl PageReq {
    pub fn new(page: Option<i64>, page_size: Option<i64>) -> Self {
        PageReq {
            page: page.unwrap_or(1).clamp(1, MAX_PAGE),
            page_size: page_size.unwrap_or(20).clamp(1, 500),
        }
    }

    /// Rows before the page; never negative, whatever the (public) fields hold.
    fn offset(&self) -> i64 {
        (self.page.max(1) - 1)
            .checked_mul(self.page_size.max(0))
            .unwrap_or(i64::MAX)
    }
}
