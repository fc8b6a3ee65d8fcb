//! The stored catalogue: seeded with the built-in indicators, then edited by administrators.

use sqlx::Row;
use wenjiu_core::indicators::catalogue::{self, Indicator, Origin};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

fn invalid(message: impl Into<String>) -> StoreError {
    StoreError::invalid("code", "指标", "indicator.invalid", message)
}

impl Store {
    pub(crate) async fn seed_indicators(&self) -> Result<()> {
        for ind in catalogue::builtin() {
            self.put_indicator(&ind, false).await?;
        }
        Ok(())
    }

    async fn put_indicator(&self, ind: &Indicator, replace: bool) -> Result<()> {
        let json = serde_json::to_string(ind).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut sql = Sql::new("INSERT INTO indicator (code, definition, sort) VALUES ");
        sql.bind_list([ind.code.clone().into(), json.into(), ind.sort.into()]);
        sql.push(if replace {
            " ON CONFLICT (code) DO UPDATE SET definition = excluded.definition, sort = excluded.sort"
        } else {
            " ON CONFLICT (code) DO NOTHING"
        });
        sql.query(self.backend).execute(&self.pool).await?;
        Ok(())
    }

    /// The catalogue in display order.
    pub async fn indicators(&self) -> Result<Vec<Indicator>> {
        let rows = sqlx::query("SELECT code, definition FROM indicator ORDER BY sort, code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let json: String = r.try_get("definition")?;
                serde_json::from_str(&json).map_err(|e| {
                    let code: String = r.try_get("code").unwrap_or_default();
                    StoreError::Corrupt(format!("指标 {code}：{e}"))
                })
            })
            .collect()
    }

    pub async fn indicator(&self, code: &str) -> Result<Indicator> {
        self.indicators()
            .await?
            .into_iter()
            .find(|i| i.code == code)
            .ok_or(StoreError::NotFound)
    }

    /// Adds an indicator or changes one. Of a built-in or computed indicator only the wording,
    /// order, target flag and enabled state may change: its computation is code.
    pub async fn save_indicator(&self, ind: &Indicator) -> Result<()> {
        let mut all = self.indicators().await?;
        match all.iter_mut().find(|i| i.code == ind.code) {
            Some(old) => {
                let fixed_changed = old.origin != ind.origin
                    || old.measure != ind.measure
                    || old.derivation != ind.derivation;
                let builtin = catalogue::builtin().iter().any(|b| b.code == ind.code);
                if fixed_changed && (builtin || old.origin != Origin::Supplied) {
                    return Err(invalid(format!(
                        "“{}”的来源、计量方式和计算公式不能修改",
                        old.name
                    )));
                }
                *old = ind.clone();
            }
            None => {
                if ind.origin != Origin::Supplied {
                    return Err(invalid("新增指标只能是导入或填报的指标"));
                }
                all.push(ind.clone());
            }
        }
        catalogue::check(&all).map_err(|e| invalid(e.to_string()))?;
        self.put_indicator(ind, true).await
    }
}
