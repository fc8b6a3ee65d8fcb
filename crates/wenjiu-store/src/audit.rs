//! The audit log: append-only and hash-chained with SM3. Each record's hash covers its
//! content and the previous record's hash, so a changed, inserted or deleted record
//! breaks the chain at that point; `verify` finds the first break.

use serde::Serialize;
use sqlx::Row;

use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::Sql;
use crate::{Page, PageReq, Store, now};

/// Who did what to which record, with what outcome.
#[derive(Debug, Clone)]
pub struct Event {
    pub user_id: Option<i64>,
    pub username: String,
    /// A stable action name: `auth.login`, `person.create`, `person.reveal`, …
    pub action: String,
    /// The record acted on, e.g. `person:42`, or an empty string.
    pub target: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Record {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub detail: String,
    pub ip: String,
    pub hash: String,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub username: Option<String>,
    pub action: Option<String>,
    /// Inclusive lower and exclusive upper bound, RFC 3339 or a date.
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub records: i64,
    /// The head hash: record it elsewhere to detect a truncated tail later.
    pub head: String,
    pub first_broken: Option<Broken>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Broken {
    pub id: i64,
    pub reason: String,
}

/// The text a record's hash covers. Fields are separated by U+001F, which no field
/// may contain unescaped, so distinct records cannot share a canonical form.
fn canonical(id: i64, at: &str, user_id: Option<i64>, e: [&str; 6]) -> String {
    let mut parts = vec![
        id.to_string(),
        at.to_string(),
        user_id.map(|u| u.to_string()).unwrap_or_default(),
    ];
    parts.extend(e.iter().map(|s| s.replace('\u{1f}', "\\u001f")));
    parts.join("\u{1f}")
}

impl Store {
    /// Appends one event. Retries when another process appended at the same moment.
    pub async fn audit(&self, e: Event) -> Result<()> {
        let _guard = self.audit_lock.lock().await;
        let mut attempts = 0;
        loop {
            match self.try_append(&e).await {
                Err(StoreError::Database(sqlx::Error::Database(db)))
                    if db.is_unique_violation() && attempts < 5 =>
                {
                    attempts += 1;
                }
                other => return other,
            }
        }
    }

    async fn try_append(&self, e: &Event) -> Result<()> {
        let last = sqlx::query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let (id, prev) = match last {
            Some(r) => (
                r.try_get::<i64, _>("id")? + 1,
                r.try_get::<String, _>("hash")?,
            ),
            None => (1, wenjiu_crypto::GENESIS.to_string()),
        };
        let at = now();
        let fields = [
            &*e.username,
            &*e.action,
            &*e.target,
            &*e.outcome,
            &*e.detail,
            &*e.ip,
        ];
        let hash = wenjiu_crypto::chain_hash(&prev, &canonical(id, &at, e.user_id, fields));
        Sql::new(
            "INSERT INTO audit (id, at, user_id, username, action, target, outcome, detail, ip, prev_hash, hash) VALUES ",
        )
        .bind_list([
            id.into(),
            at.into(),
            e.user_id.into(),
            e.username.clone().into(),
            e.action.clone().into(),
            e.target.clone().into(),
            e.outcome.clone().into(),
            e.detail.clone().into(),
            e.ip.clone().into(),
            prev.into(),
            hash.into(),
        ])
        .query(self.backend)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn audit_list(&self, f: &Filter, page: PageReq) -> Result<Page<Record>> {
        let mut filter = Sql::new(" WHERE 1 = 1");
        if let Some(u) = f.username.as_deref().filter(|s| !s.is_empty()) {
            filter.push(" AND username = ").bind(u);
        }
        if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
            filter.push_starts_with("action", a);
        }
        if let Some(from) = f.from.as_deref().filter(|s| !s.trim().is_empty()) {
            filter
                .push(" AND at >= ")
                .bind(instant_bound("from", from)?);
        }
        if let Some(to) = f.to.as_deref().filter(|s| !s.trim().is_empty()) {
            filter.push(" AND at < ").bind(instant_bound("to", to)?);
        }
        let listing = Listing {
            select: "SELECT * FROM audit",
            from: " FROM audit",
            id: "id",
            newest_first: true,
        };
        self.page(&listing, &filter, page, |r| {
            Ok(Record {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                user_id: r.try_get("user_id")?,
                username: r.try_get("username")?,
                action: r.try_get("action")?,
                target: r.try_get("target")?,
                outcome: r.try_get("outcome")?,
                detail: r.try_get("detail")?,
                ip: r.try_get("ip")?,
                hash: r.try_get("hash")?,
            })
        })
        .await
    }

    /// Walks the whole chain in id order and names the first record that does not fit.
    pub async fn audit_verify(&self) -> Result<Verification> {
        let mut prev = wenjiu_crypto::GENESIS.to_string();
        let mut expected_id = 1;
        let mut records = 0;
        let mut after = 0i64;
        loop {
            let batch = sqlx::query("SELECT * FROM audit WHERE id > $1 ORDER BY id LIMIT 5000")
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
            if batch.is_empty() {
                break;
            }
            for r in &batch {
                let id: i64 = r.try_get("id")?;
                after = id;
                records += 1;
                let broken = |reason: String| Verification {
                    records,
                    head: prev.clone(),
                    first_broken: Some(Broken { id, reason }),
                };
                if id != expected_id {
                    return Ok(broken(format!("缺少第 {expected_id} 条记录（记录被删除）")));
                }
                let stored_prev: String = r.try_get("prev_hash")?;
                if stored_prev != prev {
                    return Ok(broken(
                        "前序哈希与上一条记录不符（记录被删除或插入）".into(),
                    ));
                }
                let fields: Vec<String> =
                    ["username", "action", "target", "outcome", "detail", "ip"]
                        .iter()
                        .map(|c| r.try_get::<String, _>(*c))
                        .collect::<std::result::Result<_, _>>()?;
                let text = canonical(
                    id,
                    &r.try_get::<String, _>("at")?,
                    r.try_get("user_id")?,
                    std::array::from_fn(|i| fields[i].as_str()),
                );
                let hash: String = r.try_get("hash")?;
                if wenjiu_crypto::chain_hash(&prev, &text) != hash {
                    return Ok(broken("内容与哈希不符（记录被篡改）".into()));
                }
                prev = hash;
                expected_id += 1;
            }
        }
        Ok(Verification {
            records,
            head: prev,
            first_broken: None,
        })
    }
}

/// A bound of the audit list as the stored instants are written (UTC, RFC 3339 with
/// milliseconds, which sorts as text). A date means the start of that day in Beijing
/// (UTC+8), the business time zone; an instant with another offset is converted.
fn instant_bound(column: &'static str, text: &str) -> Result<String> {
    let text = text.trim();
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let instant = match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => day
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(beijing).single())
            .map(|t| t.to_utc()),
        Err(_) => chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.to_utc()),
    };
    let instant = instant.ok_or_else(|| {
        StoreError::invalid(
            column,
            "时间",
            "field.invalid",
            format!("时间“{text}”无效，应为 YYYY-MM-DD 或 RFC 3339"),
        )
    })?;
    Ok(instant.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}
