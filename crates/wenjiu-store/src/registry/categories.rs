//! The editable code table of employment-difficulty categories (就业困难人员认定类别).

use serde::Serialize;
use sqlx::Row;
use wenjiu_core::{CategoryRule, DifficultyCategory};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CategoryRow {
    pub code: String,
    pub name: String,
    /// The rule, e.g. `{"kind":"age","value":{"female_min":40,"male_min":50}}`.
    #[schema(value_type = Object)]
    pub rule: CategoryRule,
    pub enabled: bool,
    pub sort: i64,
}

impl From<CategoryRow> for DifficultyCategory {
    fn from(r: CategoryRow) -> Self {
        DifficultyCategory {
            code: r.code,
            name: r.name,
            rule: r.rule,
            enabled: r.enabled,
        }
    }
}

impl Store {
    pub(crate) async fn seed_difficulty_categories(&self) -> Result<()> {
        for (i, c) in wenjiu_core::default_difficulty_categories()
            .into_iter()
            .enumerate()
        {
            self.put_category(&c, i as i64, false).await?;
        }
        Ok(())
    }

    async fn put_category(&self, c: &DifficultyCategory, sort: i64, replace: bool) -> Result<()> {
        let rule =
            serde_json::to_string(&c.rule).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut sql =
            Sql::new("INSERT INTO difficulty_category (code, name, rule, enabled, sort) VALUES ");
        sql.bind_list([
            c.code.clone().into(),
            c.name.clone().into(),
            rule.into(),
            c.enabled.into(),
            sort.into(),
        ]);
        sql.push(if replace {
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, rule = excluded.rule, \
              enabled = excluded.enabled, sort = excluded.sort"
        } else {
            " ON CONFLICT (code) DO NOTHING"
        });
        sql.query(self.backend).execute(&self.pool).await?;
        Ok(())
    }

    /// The categories as the key-group rules take them.
    pub(crate) async fn difficulty_rules(&self) -> Result<Vec<DifficultyCategory>> {
        let rows = self.difficulty_categories().await?;
        Ok(rows.into_iter().map(DifficultyCategory::from).collect())
    }

    pub async fn difficulty_categories(&self) -> Result<Vec<CategoryRow>> {
        let rows = sqlx::query(
            "SELECT code, name, rule, enabled, sort FROM difficulty_category ORDER BY sort, code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let rule: String = r.try_get("rule")?;
                let rule: CategoryRule = serde_json::from_str(&rule)
                    .map_err(|e| StoreError::Corrupt(format!("困难类别规则 {rule}：{e}")))?;
                Ok(CategoryRow {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    rule,
                    enabled: r.try_get::<i64, _>("enabled")? != 0,
                    sort: r.try_get("sort")?,
                })
            })
            .collect()
    }

    /// Adds or changes a category. Tags of people are re-derived by the next refresh
    /// (`refresh_all`), which the caller schedules.
    pub async fn save_difficulty_category(&self, c: &DifficultyCategory, sort: i64) -> Result<()> {
        if c.code.trim().is_empty() || c.name.trim().is_empty() {
            return Err(StoreError::invalid(
                "code",
                "类别代码",
                "field.required",
                "类别代码和名称不能为空",
            ));
        }
        self.put_category(c, sort, true).await
    }
}
