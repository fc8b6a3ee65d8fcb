//! Where the database and the data key are, from flags or `WENJIU_*` variables.

use std::path::{Path, PathBuf};

use clap::Args;
use wenjiu_crypto::{Keyring, Keys};
use wenjiu_store::{Backend, Store};

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Database URL: sqlite://FILE (embedded, default) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "WENJIU_DB",
        default_value = "sqlite://data/wenjiu.db"
    )]
    pub db: String,
    /// File holding the key that protects ID and phone numbers; created on first start.
    /// Default: wenjiu.key beside the SQLite file, or data/wenjiu.key for PostgreSQL.
    #[arg(long, global = true, env = "WENJIU_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// The key itself as KEY_ID:ENC_HEX:INDEX_HEX (instead of a key file).
    #[arg(long, global = true, env = "WENJIU_DATA_KEY", hide_env_values = true)]
    pub data_key: Option<String>,
    /// The business date key groups are derived at (YYYY-MM-DD); default today.
    #[arg(long, global = true, env = "WENJIU_AS_OF")]
    pub as_of: Option<chrono::NaiveDate>,
}

impl DbArgs {
    fn sqlite_path(&self) -> Option<PathBuf> {
        self.db
            .strip_prefix("sqlite://")
            .or_else(|| self.db.strip_prefix("sqlite:"))
            .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)))
    }

    fn key_path(&self) -> PathBuf {
        if let Some(p) = &self.key_file {
            return p.clone();
        }
        match self.sqlite_path() {
            Some(db) => db.parent().unwrap_or(Path::new(".")).join("wenjiu.key"),
            None => PathBuf::from("data/wenjiu.key"),
        }
    }

    fn keys(&self) -> anyhow::Result<Keys> {
        if let Some(spec) = &self.data_key {
            let parts: Vec<&str> = spec.split(':').collect();
            let [id, enc, index] = parts.as_slice() else {
                anyhow::bail!("WENJIU_DATA_KEY 的格式应为 KEY_ID：ENC_HEX：INDEX_HEX");
            };
            return Ok(Keys::from_parts(id, enc, index)?);
        }
        let path = self.key_path();
        let (keys, created) = Keys::load_or_create(&path)?;
        if created {
            eprintln!(
                "已生成数据密钥 {}（仅所有者可读）。请妥善备份：丢失后已加密的身份证号和手机号将无法解密。",
                path.display()
            );
        } else if wenjiu_crypto::permissions_too_open(&path) {
            tracing::warn!(path = %path.display(), "key file is readable by group or others; chmod 600 it");
        }
        Ok(keys)
    }

    /// Opens the store (creating the SQLite file's folder) and migrates it.
    pub async fn open(&self) -> anyhow::Result<Store> {
        if let Some(path) = self.sqlite_path()
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)?;
        }
        Backend::of_url(&self.db)?;
        let keys = self.keys()?;
        let store = Store::open(&self.db, Keyring::new(keys))
            .await?
            .with_as_of(self.as_of);
        let applied = store.migrate().await?;
        if !applied.is_empty() {
            tracing::info!(?applied, "database migrated");
        }
        Ok(store)
    }
}
