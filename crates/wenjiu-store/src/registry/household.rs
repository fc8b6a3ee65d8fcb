//! Households: the unit of the zero-employment-household policy. A household is created
//! by the first person who names its number, and its zero-employment flag is derived.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::RegionPrefix;

use super::person::PersonRecord;
use super::{PersonFilter, PersonRow, region_name};
use crate::error::{Result, StoreError};
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    pub household_no: Option<String>,
    pub region: Option<String>,
    pub zero_employment: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HouseholdRow {
    pub id: i64,
    pub household_no: String,
    pub region: String,
    pub region_name: String,
    pub zero_employment: bool,
    pub members: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HouseholdDetail {
    #[serde(flatten)]
    pub household: HouseholdRow,
    pub members: Vec<PersonRow>,
}

const SELECT: &str = "SELECT h.id, h.household_no, h.region, h.zero_employment, h.updated_at, \
    (SELECT COUNT(*) FROM person m WHERE m.household_id = h.id) AS members FROM household h";

fn row_to_household(r: &AnyRow) -> Result<HouseholdRow> {
    let region: String = r.try_get("region")?;
    Ok(HouseholdRow {
        id: r.try_get("id")?,
        household_no: r.try_get("household_no")?,
        region_name: region_name(&region),
        region,
        zero_employment: r.try_get::<i64, _>("zero_employment")? != 0,
        members: r.try_get("members")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn household_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::Region(p) => Scope::push_region(p.as_str(), "h.region", sql),
        Scope::Enterprise(_) => {
            sql.push(" AND 1 = 0");
        }
    }
}

impl Store {
    /// Creates the households named by a batch (region of the first member) and returns
    /// the ids of all of them by number.
    pub(crate) async fn ensure_households(
        &self,
        recs: &[PersonRecord],
    ) -> Result<HashMap<String, i64>> {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for r in recs {
            if let Some(no) = &r.household_no {
                first.entry(no.as_str()).or_insert(r.region.as_str());
            }
        }
        if first.is_empty() {
            return Ok(HashMap::new());
        }
        let at = now();
        let mut sql = Sql::new("INSERT INTO household (household_no, region, updated_at) VALUES ");
        for (i, (no, region)) in first.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_list([Val::from(*no), Val::from(*region), Val::from(at.as_str())]);
        }
        sql.push(" ON CONFLICT (household_no) DO NOTHING");
        sql.query().execute(&self.pool).await?;
        let mut sel = Sql::new("SELECT id, household_no FROM household WHERE household_no IN ");
        sel.bind_list(first.keys().map(|k| Val::from(*k)));
        let rows = sel.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("household_no")?, r.try_get("id")?)))
            .collect()
    }

    pub async fn households(
        &self,
        scope: &Scope,
        f: &HouseholdFilter,
        page: PageReq,
    ) -> Result<Page<HouseholdRow>> {
        let mut filter = Sql::new(" WHERE 1 = 1");
        household_scope(scope, &mut filter);
        if let Some(no) = f.household_no.as_deref().filter(|s| !s.is_empty()) {
            filter.push(" AND h.household_no = ").bind(no);
        }
        if let Some(region) = f.region.as_deref().filter(|s| !s.is_empty()) {
            let prefix = RegionPrefix::parse(region)
                .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
            Scope::push_region(prefix.as_str(), "h.region", &mut filter);
        }
        if let Some(z) = f.zero_employment {
            filter.push(" AND h.zero_employment = ").bind(z);
        }
        let (total, rows) = self
            .paged(
                "SELECT COUNT(*) AS n FROM household h",
                SELECT,
                &filter,
                " ORDER BY h.id",
                page,
            )
            .await?;
        let rows = rows
            .iter()
            .map(row_to_household)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            total,
            page: page.page,
            page_size: page.page_size,
            rows,
        })
    }

    pub async fn household(&self, scope: &Scope, id: i64) -> Result<HouseholdDetail> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE h.id = ").bind(id);
        household_scope(scope, &mut sql);
        let row = sql
            .query()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let household = row_to_household(&row)?;
        // Members are listed whatever their own residence: the household is the unit.
        let province = RegionPrefix::parse(&household.region[..2])
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let f = PersonFilter {
            household_id: Some(id),
            ..Default::default()
        };
        let members = self
            .persons(
                &Scope::Region(province),
                &f,
                PageReq::new(Some(1), Some(100)),
            )
            .await?
            .rows;
        Ok(HouseholdDetail { household, members })
    }
}
