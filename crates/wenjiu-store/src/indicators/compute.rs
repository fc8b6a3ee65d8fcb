//! Indicators counted from the real-name registry, per registration region and month, and
//! written to the ledger's unpublished months; published months keep the values they were
//! published with. The flows are aggregate queries the database runs over its indexes; the
//! month-end stocks are counted in memory from one scan each, which beats a search per month.
//!
//! Definitions (DOMAIN.md §3):
//! - 城镇新就业: urban employment registrations of the year that are not a continuation of a
//!   job held the day before (a renewal or a transfer without a gap), each person counted once
//!   a year, at the first such registration.
//! - 就业困难人员就业: the same people, those among them who were 就业困难人员 the day before
//!   the job began: registered unemployed and of an enabled category that day
//!   ([`super::difficulty`]); their category today is gone with the unemployment.
//! - 失业人员再就业: unemployment registrations ended by employment, a person once a year.
//! - 城镇登记失业人数: people with an unemployment registration open at the month's end,
//!   counted in memory ([`super::registered`]).
//! - 零就业家庭: households that are zero-employment households at the month's end by the
//!   registry's rule (an urban household, a working-age member registered unemployed, none
//!   employed); 安置: households with a member starting a job in the month who was of such a
//!   household the day before. These two are counted in memory ([`super::households`]).

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};
use wenjiu_core::indicators::Ratio;
use wenjiu_core::indicators::catalogue::{Origin, codes};
use wenjiu_core::{Month, RegionCode};

use super::households::Members;
use super::ledger::{Source, is_locked};
use crate::Store;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

/// The actor recorded on computed ledger values.
const SYSTEM: &str = "system";

/// `date(expr) − 1 day` as ISO text, in the backend's dialect.
pub(super) fn day_before(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("date({expr}, '-1 day')"),
        Backend::Postgres => format!("to_char(CAST({expr} AS date) - 1, 'YYYY-MM-DD')"),
    }
}

/// Urban employment registrations that start a new job (not continuing one held the day
/// before), numbered per person within the year.
pub(super) fn new_jobs(backend: Backend) -> String {
    format!(
        "SELECT e.region, SUBSTR(e.start_date, 1, 7) AS month, e.person_id, e.start_date, \
                ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.start_date) AS nth \
         FROM employment e \
         WHERE e.area = 'urban' AND e.start_date >= $1 AND e.start_date <= $2 \
           AND NOT EXISTS (SELECT 1 FROM employment p WHERE p.person_id = e.person_id \
                AND p.start_date < e.start_date \
                AND (p.end_date IS NULL OR p.end_date >= {}))",
        day_before(backend, "e.start_date")
    )
}

pub(super) type Counts = Vec<(RegionCode, Month, i64)>;

/// Binds `$1` and `$2` to the first and last day of `year`.
pub(super) fn in_year(sql: &mut Sql, year: i32) {
    sql.arg(format!("{year:04}-01-01"))
        .arg(format!("{year:04}-12-31"));
}

impl Store {
    async fn counts(&self, sql: &Sql) -> Result<Counts> {
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let region: String = r.try_get("region")?;
                let month: String = r.try_get("month")?;
                Ok((
                    RegionCode::parse(&region)
                        .map_err(|_| StoreError::Corrupt(format!("登记地区 {region}")))?,
                    Month::parse(&month)
                        .map_err(|_| StoreError::Corrupt(format!("月份 {month}")))?,
                    r.try_get("n")?,
                ))
            })
            .collect()
    }

    /// Flow counted per (region, month) of events dated within the year.
    async fn flow(&self, year: i32, inner: String) -> Result<Counts> {
        let mut sql = Sql::new(&format!(
            "SELECT region, month, COUNT(*) AS n FROM ({inner}) t WHERE nth = 1 GROUP BY region, month"
        ));
        in_year(&mut sql, year);
        self.counts(&sql).await
    }

    /// The counts of one computed indicator in `year`; `None` for a code that is not computed.
    /// `households` keeps the households read for one of the indicators needing them, for the
    /// others.
    async fn compute(
        &self,
        code: &str,
        year: i32,
        households: &mut Option<Members>,
    ) -> Result<Option<Counts>> {
        let b = self.backend;
        // Stocks only for months that have begun by the business date.
        let today = Month::of(self.today());
        let months: Vec<Month> = (1..=12)
            .filter_map(|m| Month::new(year, m).ok())
            .filter(|m| *m <= today)
            .collect();
        let read = [
            codes::DIFFICULTY_EMPLOYED,
            codes::ZERO_EMPLOYMENT_HOUSEHOLDS,
            codes::ZERO_EMPLOYMENT_PLACED,
        ];
        if households.is_none() && read.contains(&code) {
            *households = Some(self.households_in(&months).await?);
        }
        let counts = match (code, households.as_ref()) {
            (codes::URBAN_NEWLY_EMPLOYED, _) => self.flow(year, new_jobs(b)).await?,
            (codes::DIFFICULTY_EMPLOYED, Some(h)) => self.difficulty_employed(year, h).await?,
            (codes::REEMPLOYED, _) => {
                self.flow(
                    year,
                    "SELECT u.region, SUBSTR(u.ended_on, 1, 7) AS month, \
                     ROW_NUMBER() OVER (PARTITION BY u.person_id ORDER BY u.ended_on) AS nth \
                     FROM unemployment u WHERE u.end_reason = 'employed' \
                     AND u.ended_on >= $1 AND u.ended_on <= $2"
                        .to_string(),
                )
                .await?
            }
            (codes::REGISTERED_UNEMPLOYED, _) => self.registered_unemployed(&months).await?,
            (codes::ZERO_EMPLOYMENT_HOUSEHOLDS, Some(h)) => h.zero_employment(&months).households,
            (codes::ZERO_EMPLOYMENT_PLACED, Some(h)) => h.zero_employment(&months).placed,
            _ => return Ok(None),
        };
        Ok(Some(counts))
    }

    /// Recounts the computed indicators of `year` from the registry into the ledger's
    /// unpublished months. Returns how many ledger values changed.
    pub async fn refresh_indicators(&self, year: i32) -> Result<usize> {
        let mut changed = 0;
        let mut households = None;
        for ind in self.indicators().await? {
            if ind.origin == Origin::Computed {
                changed += self.recount(&ind.code, year, &mut households).await?;
            }
        }
        Ok(changed)
    }

    /// Recounts one computed indicator of `year`; see [`Store::refresh_indicators`].
    pub async fn refresh_indicator(&self, code: &str, year: i32) -> Result<usize> {
        self.recount(code, year, &mut None).await
    }

    async fn recount(
        &self,
        code: &str,
        year: i32,
        households: &mut Option<Members>,
    ) -> Result<usize> {
        super::check_year(year)?;
        let Some(counts) = self.compute(code, year, households).await? else {
            return Err(StoreError::invalid(
                "indicator",
                "指标代码",
                "field.invalid",
                format!("“{code}”不是由实名制数据统计的指标"),
            ));
        };
        let locks = self.locks().await?;
        let fresh: HashMap<(RegionCode, Month), i64> =
            counts.into_iter().map(|(r, m, n)| ((r, m), n)).collect();
        let stored = self.current_values(code, year).await?;
        // One transaction for the indicator's values: a commit per value was most of the
        // writing, and a bulletin never sees an indicator half recounted.
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let mut changed = 0;
        for ((region, month), n) in &fresh {
            if is_locked(&locks, region, *month) {
                continue;
            }
            let value = Ratio::from_integer(*n);
            if stored.get(&(*region, *month)) != Some(&value) {
                let source = Source::Computed;
                self.replace_current(&mut tx, code, *region, *month, value, source, SYSTEM)
                    .await?;
                changed += 1;
            }
        }
        for (region, month) in stored.keys() {
            if !fresh.contains_key(&(*region, *month)) && !is_locked(&locks, region, *month) {
                self.delete_current(&mut tx, code, *region, *month).await?;
                changed += 1;
            }
        }
        tx.commit().await?;
        Ok(changed)
    }

    async fn current_values(
        &self,
        code: &str,
        year: i32,
    ) -> Result<HashMap<(RegionCode, Month), Ratio>> {
        let rows = sqlx::query(
            "SELECT region, month, value FROM ledger WHERE indicator = $1 AND current = 1 \
             AND month >= $2 AND month <= $3",
        )
        .bind(code.to_string())
        .bind(format!("{year:04}-01"))
        .bind(format!("{year:04}-12"))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let region: String = r.try_get("region")?;
                let month: String = r.try_get("month")?;
                let value: String = r.try_get("value")?;
                let corrupt = || StoreError::Corrupt(format!("台账 {code} {region} {month}"));
                Ok((
                    (
                        RegionCode::parse(&region).map_err(|_| corrupt())?,
                        Month::parse(&month).map_err(|_| corrupt())?,
                    ),
                    value.parse().map_err(|_| corrupt())?,
                ))
            })
            .collect()
    }

    async fn delete_current(
        &self,
        conn: &mut AnyConnection,
        code: &str,
        region: RegionCode,
        month: Month,
    ) -> Result<()> {
        sqlx::query("DELETE FROM ledger WHERE indicator = $1 AND region = $2 AND month = $3")
            .bind(code.to_string())
            .bind(region.to_string())
            .bind(month.to_string())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
