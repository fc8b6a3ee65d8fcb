//! The report's dictionaries (减员类型, 减员原因), seeded from the core's defaults and
//! editable afterwards; a retired entry stays for old reports.

use sqlx::Row;
use wenjiu_core::monitoring::codes::{CodeEntry, CodeKind, defaults};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

impl Store {
    pub(crate) async fn seed_monitoring_codes(&self) -> Result<()> {
        for kind in [CodeKind::DecreaseType, CodeKind::DecreaseReason] {
            for entry in defaults(kind) {
                self.write_monitoring_code(kind, &entry, false).await?;
            }
        }
        Ok(())
    }

    async fn write_monitoring_code(
        &self,
        kind: CodeKind,
        e: &CodeEntry,
        replace: bool,
    ) -> Result<()> {
        let mut sql = Sql::new("INSERT INTO monitoring_code (kind, code, label, active) VALUES ");
        sql.bind_list([
            kind.code().into(),
            e.code.clone().into(),
            e.label.clone().into(),
            e.active.into(),
        ]);
        sql.push(if replace {
            " ON CONFLICT (kind, code) DO UPDATE SET label = excluded.label, active = excluded.active"
        } else {
            " ON CONFLICT (kind, code) DO NOTHING"
        });
        sql.query(self.backend).execute(&self.pool).await?;
        Ok(())
    }

    /// Every entry of a dictionary, retired ones included, in code order.
    pub async fn monitoring_codes(&self, kind: CodeKind) -> Result<Vec<CodeEntry>> {
        let rows = sqlx::query(
            "SELECT code, label, active FROM monitoring_code WHERE kind = $1 ORDER BY code",
        )
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CodeEntry {
                    code: r.try_get("code")?,
                    label: r.try_get("label")?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect()
    }

    /// Adds or changes an entry.
    pub async fn put_monitoring_code(&self, kind: CodeKind, e: &CodeEntry) -> Result<()> {
        let valid_code = !e.code.is_empty()
            && e.code.len() <= 8
            && e.code.bytes().all(|b| b.is_ascii_alphanumeric());
        if !valid_code {
            return Err(StoreError::invalid(
                "code",
                "代码",
                "field.invalid",
                format!("代码“{}”应为 1 至 8 位字母或数字", e.code),
            ));
        }
        if e.label.trim().is_empty() {
            return Err(StoreError::invalid(
                "label",
                "名称",
                "field.required",
                "名称为必填项",
            ));
        }
        self.write_monitoring_code(kind, e, true).await
    }
}
