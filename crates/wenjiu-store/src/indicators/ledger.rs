//! The ledger (台账): one current value per indicator, region and month, with its source, who
//! put it there and when. Until the month is published a value is simply replaced; after, a
//! change is a correction: a new version with a reason, the old one kept as history.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use wenjiu_core::indicators::catalogue::{Indicator, Measure, Origin};
use wenjiu_core::indicators::{Ratio, Values};
use wenjiu_core::{Month, RegionCode};

use super::check_region;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::Sql;
use crate::{Page, PageReq, Scope, Store, now};

/// How a ledger value came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Computed,
    Imported,
    Entered,
    Corrected,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Computed => "computed",
            Source::Imported => "imported",
            Source::Entered => "entered",
            Source::Corrected => "corrected",
        }
    }

    fn parse(s: &str) -> Result<Source> {
        Ok(match s {
            "computed" => Source::Computed,
            "imported" => Source::Imported,
            "entered" => Source::Entered,
            "corrected" => Source::Corrected,
            _ => return Err(StoreError::Corrupt(format!("台账来源 {s}"))),
        })
    }
}

/// A value to put in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
pub struct ValueInput {
    pub indicator: String,
    #[schema(value_type = String, example = "210100")]
    pub region: RegionCode,
    #[schema(value_type = String, example = "2020-05")]
    pub month: Month,
    /// As published: a count "151600", a rate in percent "6.5" or "6.5%".
    pub value: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerRow {
    pub id: i64,
    pub indicator: String,
    #[schema(value_type = String)]
    pub region: RegionCode,
    pub region_name: String,
    #[schema(value_type = String)]
    pub month: Month,
    pub version: i64,
    pub current: bool,
    /// Exact value as a ratio ("13/200" is 6.5%).
    #[schema(value_type = String)]
    pub value: Ratio,
    pub source: Source,
    pub reason: String,
    pub entered_by: String,
    pub entered_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub indicator: Option<String>,
    /// A region code prefix (2101 = 沈阳 and its counties).
    pub region: Option<String>,
    pub month_from: Option<Month>,
    pub month_to: Option<Month>,
}

/// A published month of a region's subtree.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Lock {
    #[schema(value_type = String)]
    pub region: RegionCode,
    #[schema(value_type = String)]
    pub month: Month,
    pub locked_by: String,
    pub locked_at: String,
}

const SELECT_LEDGER: &str = "SELECT id, indicator, region, month, version, current, value, \
                             source, reason, entered_by, entered_at FROM ledger";

fn parse_stored<T: std::str::FromStr>(text: &str, what: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what} {text}")))
}

fn ledger_row(r: &AnyRow) -> Result<LedgerRow> {
    let region: RegionCode = parse_stored(&r.try_get::<String, _>("region")?, "地区代码")?;
    Ok(LedgerRow {
        id: r.try_get("id")?,
        indicator: r.try_get("indicator")?,
        region,
        region_name: region.full_name(),
        month: parse_stored(&r.try_get::<String, _>("month")?, "月份")?,
        version: r.try_get("version")?,
        current: r.try_get::<i64, _>("current")? != 0,
        value: parse_stored(&r.try_get::<String, _>("value")?, "数值")?,
        source: Source::parse(&r.try_get::<String, _>("source")?)?,
        reason: r.try_get("reason")?,
        entered_by: r.try_get("entered_by")?,
        entered_at: r.try_get("entered_at")?,
    })
}

fn invalid(column: &'static str, header: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::invalid(column, header, "field.invalid", message)
}

/// Parses a value as its indicator publishes it: whole counts, percentages for rates.
pub(crate) fn parse_value(ind: &Indicator, text: &str) -> Result<Ratio> {
    let t = text.trim();
    if ind.measure == Measure::Rate {
        let r = Ratio::parse_percent(t).map_err(|e| invalid("value", "数值", e.to_string()))?;
        if r.is_negative() || r > Ratio::ONE {
            return Err(invalid(
                "value",
                "数值",
                format!("比率“{t}”应在 0 到 100 之间"),
            ));
        }
        return Ok(r);
    }
    match t.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(Ratio::from_integer(n)),
        _ => Err(invalid(
            "value",
            "数值",
            format!("“{t}”格式错误：{}应为非负整数", ind.name),
        )),
    }
}

/// Whether a lock covers `region` in `month`.
pub(crate) fn is_locked(locks: &[Lock], region: &RegionCode, month: Month) -> bool {
    locks
        .iter()
        .any(|l| l.month == month && l.region.contains(region))
}

impl Store {
    pub(crate) async fn load_ledger_year(&self, values: &mut Values, year: i32) -> Result<()> {
        let rows = sqlx::query(
            "SELECT indicator, region, month, value FROM ledger \
             WHERE month >= $1 AND month <= $2 AND current = 1",
        )
        .bind(format!("{year:04}-01"))
        .bind(format!("{year:04}-12"))
        .fetch_all(&self.pool)
        .await?;
        for r in &rows {
            let region: RegionCode = parse_stored(&r.try_get::<String, _>("region")?, "地区代码")?;
            let month: Month = parse_stored(&r.try_get::<String, _>("month")?, "月份")?;
            let value: Ratio = parse_stored(&r.try_get::<String, _>("value")?, "数值")?;
            values.insert(&r.try_get::<String, _>("indicator")?, region, month, value);
        }
        Ok(())
    }

    pub async fn locks(&self) -> Result<Vec<Lock>> {
        let rows = sqlx::query(
            "SELECT region, month, locked_by, locked_at FROM ledger_lock ORDER BY month, region",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Lock {
                    region: parse_stored(&r.try_get::<String, _>("region")?, "地区代码")?,
                    month: parse_stored(&r.try_get::<String, _>("month")?, "月份")?,
                    locked_by: r.try_get("locked_by")?,
                    locked_at: r.try_get("locked_at")?,
                })
            })
            .collect()
    }

    /// Publishes `month` for `region`: its subtree's values of that month are locked. The
    /// caller refreshes computed values first, so that what is locked is current.
    pub async fn publish(
        &self,
        scope: &Scope,
        actor: &str,
        region: RegionCode,
        month: Month,
    ) -> Result<()> {
        check_region(scope, &region)?;
        if is_locked(&self.locks().await?, &region, month) {
            return Err(StoreError::Conflict(format!(
                "{}{}已发布",
                region.name(),
                month
            )));
        }
        Sql::new("INSERT INTO ledger_lock (region, month, locked_by, locked_at) VALUES ")
            .bind_list([
                region.to_string().into(),
                month.to_string().into(),
                actor.into(),
                now().into(),
            ])
            .query(self.backend)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Checks an input against the catalogue and the caller's scope; returns the indicator
    /// and the exact value.
    async fn checked_input(&self, scope: &Scope, v: &ValueInput) -> Result<(Indicator, Ratio)> {
        let ind = self.indicator(&v.indicator).await.map_err(|_| {
            invalid(
                "indicator",
                "指标代码",
                format!("指标“{}”不存在", v.indicator),
            )
        })?;
        if !ind.is_stored() {
            return Err(invalid(
                "indicator",
                "指标代码",
                format!("“{}”由其他指标计算得出，请填报或更正其组成指标", ind.name),
            ));
        }
        if !scope.admits_region(&v.region) {
            return Err(StoreError::OutOfScope(format!(
                "无权填报{}的数据",
                v.region.full_name()
            )));
        }
        self.check_month(v.month)?;
        let value = parse_value(&ind, &v.value)?;
        Ok((ind, value))
    }

    /// Puts supplied values (imported or entered) into unpublished months, replacing what is
    /// there; says whether there was a value. Computed indicators take their values from the
    /// registry only.
    pub async fn put_value(
        &self,
        scope: &Scope,
        actor: &str,
        source: Source,
        v: &ValueInput,
    ) -> Result<bool> {
        let (ind, value) = self.checked_input(scope, v).await?;
        if ind.origin != Origin::Supplied {
            return Err(invalid(
                "indicator",
                "指标代码",
                format!(
                    "“{}”由实名制数据统计，不能填报；已发布月份可以更正",
                    ind.name
                ),
            ));
        }
        if is_locked(&self.locks().await?, &v.region, v.month) {
            return Err(StoreError::Conflict(format!(
                "{}已发布，数据已锁定，只能更正",
                v.month
            )));
        }
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let replaced = self
            .replace_current(
                &mut tx,
                &v.indicator,
                v.region,
                v.month,
                value,
                source,
                actor,
            )
            .await?;
        tx.commit().await?;
        Ok(replaced)
    }

    /// Sets the current value of an unpublished month in place (version 1 on first write),
    /// on the caller's connection.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn replace_current(
        &self,
        conn: &mut AnyConnection,
        indicator: &str,
        region: RegionCode,
        month: Month,
        value: Ratio,
        source: Source,
        actor: &str,
    ) -> Result<bool> {
        let at = now();
        let updated = sqlx::query(
            "UPDATE ledger SET value = $1, source = $2, entered_by = $3, entered_at = $4 \
             WHERE indicator = $5 AND region = $6 AND month = $7 AND current = 1",
        )
        .bind(value.to_string())
        .bind(source.code())
        .bind(actor.to_string())
        .bind(at.clone())
        .bind(indicator.to_string())
        .bind(region.to_string())
        .bind(month.to_string())
        .execute(&mut *conn)
        .await?;
        let replaced = updated.rows_affected() > 0;
        if !replaced {
            self.insert_version(conn, indicator, region, month, 1, value, source, "", actor)
                .await?;
        }
        Ok(replaced)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_version(
        &self,
        conn: &mut AnyConnection,
        indicator: &str,
        region: RegionCode,
        month: Month,
        version: i64,
        value: Ratio,
        source: Source,
        reason: &str,
        actor: &str,
    ) -> Result<()> {
        Sql::new(
            "INSERT INTO ledger (indicator, region, month, version, current, value, source, \
             reason, entered_by, entered_at) VALUES ",
        )
        .bind_list([
            indicator.into(),
            region.to_string().into(),
            month.to_string().into(),
            version.into(),
            1i64.into(),
            value.to_string().into(),
            source.code().into(),
            reason.into(),
            actor.into(),
            now().into(),
        ])
        .query(self.backend)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Corrects a published value: a new current version with the reason; the old version
    /// stays as history. Any stored indicator may be corrected, computed ones included.
    pub async fn correct_value(
        &self,
        scope: &Scope,
        actor: &str,
        v: &ValueInput,
        reason: &str,
    ) -> Result<i64> {
        let (_, value) = self.checked_input(scope, v).await?;
        if reason.trim().is_empty() {
            return Err(invalid("reason", "更正原因", "更正必须说明原因"));
        }
        if !is_locked(&self.locks().await?, &v.region, v.month) {
            return Err(StoreError::Conflict(format!(
                "{}尚未发布，请直接填报或重新统计",
                v.month
            )));
        }
        // The old version stops being current and the new one is written together.
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let last: Option<i64> = sqlx::query(
            "SELECT MAX(version) AS v FROM ledger WHERE indicator = $1 AND region = $2 AND month = $3",
        )
        .bind(v.indicator.clone())
        .bind(v.region.to_string())
        .bind(v.month.to_string())
        .fetch_one(&mut *tx)
        .await?
        .try_get("v")?;
        sqlx::query(
            "UPDATE ledger SET current = 0 WHERE indicator = $1 AND region = $2 AND month = $3",
        )
        .bind(v.indicator.clone())
        .bind(v.region.to_string())
        .bind(v.month.to_string())
        .execute(&mut *tx)
        .await?;
        let version = last.unwrap_or(0) + 1;
        self.insert_version(
            &mut tx,
            &v.indicator,
            v.region,
            v.month,
            version,
            value,
            Source::Corrected,
            reason.trim(),
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Every version of one ledger cell, oldest first.
    pub async fn ledger_history(
        &self,
        scope: &Scope,
        indicator: &str,
        region: RegionCode,
        month: Month,
    ) -> Result<Vec<LedgerRow>> {
        check_region(scope, &region)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT_LEDGER} WHERE indicator = $1 AND region = $2 AND month = $3 ORDER BY version"
        )))
        .bind(indicator.to_string())
        .bind(region.to_string())
        .bind(month.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(ledger_row).collect()
    }

    /// Current ledger rows within the caller's scope.
    pub async fn ledger(
        &self,
        scope: &Scope,
        f: &LedgerFilter,
        page: PageReq,
    ) -> Result<Page<LedgerRow>> {
        let mut filter = Sql::new(" WHERE current = 1");
        match scope {
            Scope::Region(p) => Scope::push_region(p.as_str(), "region", &mut filter),
            Scope::Enterprise(_) => {
                filter.push(" AND 1 = 0");
            }
            Scope::All => {}
        }
        if let Some(prefix) = &f.region {
            Scope::push_region(prefix, "region", &mut filter);
        }
        if let Some(code) = &f.indicator {
            filter.push(" AND indicator = ").bind(code.clone());
        }
        if let Some(m) = f.month_from {
            filter.push(" AND month >= ").bind(m.to_string());
        }
        if let Some(m) = f.month_to {
            filter.push(" AND month <= ").bind(m.to_string());
        }
        const LISTING: Listing = Listing {
            select: SELECT_LEDGER,
            from: " FROM ledger",
            id: "id",
            newest_first: true,
        };
        self.page(&LISTING, &filter, page, ledger_row).await
    }
}
