use thiserror::Error;

/// Errors of the storage layer. The HTTP layer maps each to a status and a stable code.
#[derive(Debug, Error)]
pub enum StoreError {
    /// Absent, or outside the caller's data scope: the two are deliberately indistinguishable.
    #[error("记录不存在")]
    NotFound,
    /// A write that would put a record outside the caller's data scope.
    #[error("{0}")]
    OutOfScope(String),
    /// Input that failed validation, with one message per field.
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Invalid(Vec<wenjiu_core::FieldError>),
    /// A write that conflicts with existing data (duplicate natural key, overlapping registration).
    #[error("{0}")]
    Conflict(String),
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    /// From the SQLite connection of bulk reads (`bulk`).
    #[error("数据库错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("数据库迁移失败：{0}")]
    Migration(String),
    #[error("{0}")]
    Crypto(#[from] wenjiu_crypto::CryptoError),
    #[error("{0}")]
    File(#[from] wenjiu_io::IoError),
    /// Stored data that cannot be read back (a corrupted row, an unknown code).
    #[error("数据损坏：{0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    pub fn invalid(
        column: &'static str,
        header: &'static str,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        StoreError::Invalid(vec![wenjiu_core::FieldError {
            column,
            header,
            message: message.into(),
            code,
        }])
    }
}
