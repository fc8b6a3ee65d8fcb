//! The monitored sample (监测企业): enrolment with the baseline headcount, the list, and the
//! sample's coverage by industry and ownership against the region's whole register.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::{IndustryCode, Month, Ownership, RegionPrefix};

use super::push_scope;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::registry::region_name;
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct EnrolInput {
    pub enterprise_id: i64,
    /// YYYY-MM-DD.
    #[schema(value_type = String, example = "2019-01-01")]
    pub enrolled_on: NaiveDate,
    /// 建档期就业人数.
    pub baseline: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonitoredRow {
    pub enterprise_id: i64,
    pub name: String,
    pub credit_code: String,
    pub industry: String,
    pub ownership: String,
    pub region: String,
    pub region_name: String,
    pub enrolled_on: String,
    pub baseline: i64,
    pub active: bool,
    /// The latest month reported and its headcount.
    pub last_month: Option<String>,
    pub last_headcount: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct SampleFilter {
    pub name: Option<String>,
    /// Region prefix within the caller's scope.
    pub region: Option<String>,
}

/// One industry or ownership type: the sample against the register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoverageRow {
    pub code: String,
    pub label: String,
    pub sample_enterprises: i64,
    pub sample_baseline: i64,
    pub all_enterprises: i64,
    pub all_insured: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    pub by_industry: Vec<CoverageRow>,
    pub by_ownership: Vec<CoverageRow>,
}

const SELECT: &str = "SELECT m.enterprise_id AS id, e.name, e.credit_code, e.industry, e.ownership, \
     m.region, m.enrolled_on, m.baseline, m.active, \
     (SELECT MAX(r.month) FROM monitoring_report r WHERE r.enterprise_id = m.enterprise_id) AS last_month, \
     (SELECT r.headcount FROM monitoring_report r WHERE r.enterprise_id = m.enterprise_id \
      ORDER BY r.month DESC LIMIT 1) AS last_headcount \
     FROM monitored_enterprise m JOIN enterprise e ON e.id = m.enterprise_id";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM monitored_enterprise m JOIN enterprise e ON e.id = m.enterprise_id",
    id: "m.enterprise_id",
    newest_first: false,
};

fn row_to_monitored(r: &AnyRow) -> Result<MonitoredRow> {
    let region: String = r.try_get("region")?;
    Ok(MonitoredRow {
        enterprise_id: r.try_get("id")?,
        name: r.try_get("name")?,
        credit_code: r.try_get("credit_code")?,
        industry: r.try_get("industry")?,
        ownership: r.try_get("ownership")?,
        region_name: region_name(&region),
        region,
        enrolled_on: r.try_get("enrolled_on")?,
        baseline: r.try_get("baseline")?,
        active: r.try_get::<i64, _>("active")? != 0,
        last_month: r.try_get("last_month")?,
        last_headcount: r.try_get("last_headcount")?,
    })
}

pub(crate) fn region_filter(region: Option<&str>, column: &str, sql: &mut Sql) -> Result<()> {
    if let Some(region) = region.map(str::trim).filter(|s| !s.is_empty()) {
        let prefix = RegionPrefix::parse(region)
            .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
        Scope::push_region(prefix.as_str(), column, sql);
    }
    Ok(())
}

impl Store {
    /// Enrols an enterprise of the caller's scope, or changes its enrolment.
    pub async fn enrol(&self, scope: &Scope, actor: &str, input: &EnrolInput) -> Result<()> {
        let e = self.enterprise(scope, input.enterprise_id).await?;
        // Enrolment precedes reporting: not in the future, not after a month already reported.
        let first: Option<String> =
            sqlx::query("SELECT MIN(month) AS m FROM monitoring_report WHERE enterprise_id = $1")
                .bind(e.id)
                .fetch_one(&self.pool)
                .await?
                .try_get("m")?;
        let enrolled = Month::of(input.enrolled_on);
        let problem = if input.enrolled_on > self.today() {
            Some(format!("建档日期 {} 晚于今天", input.enrolled_on))
        } else {
            first
                .filter(|m| enrolled.to_string() > *m)
                .map(|m| format!("该企业已有 {m} 的月报，建档日期不能晚于该月"))
        };
        if let Some(message) = problem {
            return Err(StoreError::invalid(
                "enrolled_on",
                "建档日期",
                "field.invalid",
                message,
            ));
        }
        if input.baseline < 0 {
            return Err(StoreError::invalid(
                "baseline",
                "建档期就业人数",
                "field.invalid",
                "建档期就业人数不能为负数",
            ));
        }
        self.enrol_many(
            &[(
                e.id,
                e.region,
                input.enrolled_on,
                input.baseline,
                input.active,
            )],
            actor,
        )
        .await
    }

    /// Enrols many enterprises at once (the demo, imports): (id, county, date, baseline, active).
    pub async fn enrol_many(
        &self,
        rows: &[(i64, String, NaiveDate, i64, bool)],
        actor: &str,
    ) -> Result<()> {
        let at = now();
        for chunk in rows.chunks(500) {
            let mut sql = Sql::new(
                "INSERT INTO monitored_enterprise (enterprise_id, region, enrolled_on, baseline, \
                 active, updated_by, updated_at) VALUES ",
            );
            for (id, region, on, baseline, active) in chunk.iter() {
                sql.bind_row([
                    Val::from(*id),
                    region.clone().into(),
                    on.to_string().into(),
                    (*baseline).into(),
                    (*active).into(),
                    actor.into(),
                    at.clone().into(),
                ]);
            }
            sql.push(
                " ON CONFLICT (enterprise_id) DO UPDATE SET enrolled_on = excluded.enrolled_on, \
                 baseline = excluded.baseline, active = excluded.active, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            );
            sql.query(self.backend).execute(&self.pool).await?;
        }
        Ok(())
    }

    pub async fn monitored(
        &self,
        scope: &Scope,
        f: &SampleFilter,
        page: PageReq,
    ) -> Result<Page<MonitoredRow>> {
        let mut filter = Sql::new(" WHERE 1 = 1");
        push_scope(scope, "m.region", "m.enterprise_id", &mut filter);
        region_filter(f.region.as_deref(), "m.region", &mut filter)?;
        if let Some(name) = f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            filter.push_contains("e.name", name);
        }
        self.page(&LISTING, &filter, page, row_to_monitored).await
    }

    /// The sample's make-up by industry and ownership against every enterprise of the region.
    pub async fn coverage(&self, scope: &Scope, region: Option<&str>) -> Result<Coverage> {
        let mut out = Coverage {
            by_industry: vec![],
            by_ownership: vec![],
        };
        for (column, label) in [
            ("industry", industry_label as fn(&str) -> String),
            ("ownership", ownership_label),
        ] {
            let mut rows: BTreeMap<String, CoverageRow> = BTreeMap::new();
            let mut sample = Sql::new(&format!(
                "SELECT e.{column} AS k, COUNT(*) AS n, CAST(SUM(m.baseline) AS BIGINT) AS b FROM monitored_enterprise m \
                 JOIN enterprise e ON e.id = m.enterprise_id WHERE m.active = 1"
            ));
            push_scope(scope, "m.region", "m.enterprise_id", &mut sample);
            region_filter(region, "m.region", &mut sample)?;
            sample.push(&format!(" GROUP BY e.{column}"));
            let mut all = Sql::new(&format!(
                "SELECT e.{column} AS k, COUNT(*) AS n, CAST(SUM(e.insured_count) AS BIGINT) AS b FROM enterprise e WHERE 1 = 1"
            ));
            push_scope(scope, "e.region", "e.id", &mut all);
            region_filter(region, "e.region", &mut all)?;
            all.push(&format!(" GROUP BY e.{column}"));
            for (is_sample, sql) in [(true, sample), (false, all)] {
                for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                    let code: String = r.try_get("k")?;
                    let n: i64 = r.try_get("n")?;
                    let b: i64 = r.try_get::<Option<i64>, _>("b")?.unwrap_or(0);
                    let row = rows.entry(code.clone()).or_insert_with(|| CoverageRow {
                        label: label(&code),
                        code,
                        sample_enterprises: 0,
                        sample_baseline: 0,
                        all_enterprises: 0,
                        all_insured: 0,
                    });
                    if is_sample {
                        (row.sample_enterprises, row.sample_baseline) = (n, b);
                    } else {
                        (row.all_enterprises, row.all_insured) = (n, b);
                    }
                }
            }
            let list: Vec<CoverageRow> = rows.into_values().collect();
            if column == "industry" {
                out.by_industry = list;
            } else {
                out.by_ownership = list;
            }
        }
        Ok(out)
    }
}

pub(crate) fn industry_label(code: &str) -> String {
    IndustryCode::parse(code)
        .map(|i| i.name().to_string())
        .unwrap_or_else(|_| code.to_string())
}

pub(crate) fn ownership_label(code: &str) -> String {
    Ownership::parse(code)
        .map(|o| o.label().to_string())
        .unwrap_or_else(|_| code.to_string())
}
