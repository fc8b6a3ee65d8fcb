//! The monitoring configuration kept as JSON: the warning rules and the routing of warnings
//! to the county, city and province. Absent keys mean the core's defaults.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use wenjiu_core::monitoring::warning::default_rules;
use wenjiu_core::monitoring::{Routing, Rule};

use super::corrupt;
use super::warnings::FILING_RULE;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{Store, now};

const RULES: &str = "warning_rules";
const ROUTING: &str = "warning_routing";

fn invalid(message: String) -> StoreError {
    StoreError::invalid("rules", "预警配置", "field.invalid", message)
}

impl Store {
    async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let row = sqlx::query("SELECT value FROM monitoring_setting WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let text: String = r.try_get("value")?;
                serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| corrupt(key, e))
            }
        }
    }

    async fn put_setting<T: Serialize>(&self, key: &str, value: &T, actor: &str) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|e| corrupt(key, e))?;
        let mut sql =
            Sql::new("INSERT INTO monitoring_setting (key, value, updated_by, updated_at) VALUES ");
        sql.bind_list([key.into(), text.into(), actor.into(), now().into()])
            .push(
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            );
        sql.query(self.backend).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn warning_rules(&self) -> Result<Vec<Rule>> {
        Ok(self.setting(RULES).await?.unwrap_or_else(default_rules))
    }

    /// Replaces the rules after checking each, and that codes are unique.
    pub async fn set_warning_rules(&self, rules: &[Rule], actor: &str) -> Result<()> {
        for (i, r) in rules.iter().enumerate() {
            r.check().map_err(invalid)?;
            // A run leaves warnings of this code to their filings (see run_monitoring).
            if r.code == FILING_RULE {
                return Err(invalid(format!(
                    "预警规则代码“{FILING_RULE}”留作裁员方案备案预警，请换用其他代码"
                )));
            }
            if rules[..i].iter().any(|o| o.code == r.code) {
                return Err(invalid(format!("预警规则代码“{}”重复", r.code)));
            }
        }
        self.put_setting(RULES, &rules, actor).await
    }

    pub async fn warning_routing(&self) -> Result<Routing> {
        Ok(self.setting(ROUTING).await?.unwrap_or_default())
    }

    pub async fn set_warning_routing(&self, routing: &Routing, actor: &str) -> Result<()> {
        routing.check().map_err(invalid)?;
        self.put_setting(ROUTING, routing, actor).await
    }
}
