//! Households: the unit of the zero-employment-household policy. A household is created
//! by the first person who names its number, and its zero-employment flag is derived.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::RegionPrefix;

use super::person::PersonRecord;
use super::{PersonFilter, PersonRow, region_name};
use crate::bulk::Cells;
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::listing::{Listing, OneTable};
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store};

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
    pub member_count: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HouseholdDetail {
    #[serde(flatten)]
    pub household: HouseholdRow,
    pub members: Vec<PersonRow>,
}

const SELECT: &str = "SELECT h.id, h.household_no, h.region, h.zero_employment, h.updated_at, \
    (SELECT COUNT(*) FROM person m WHERE m.household_id = h.id) AS member_count FROM household h";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM household h",
    id: "h.id",
    newest_first: false,
};

const TABLE: OneTable = OneTable {
    table: "household",
    indexed: LISTING,
    walk: Listing {
        from: " FROM household h NOT INDEXED",
        ..LISTING
    },
};

fn row_to_household(r: &AnyRow) -> Result<HouseholdRow> {
    let region: String = r.try_get("region")?;
    Ok(HouseholdRow {
        id: r.try_get("id")?,
        household_no: r.try_get("household_no")?,
        region_name: region_name(&region),
        region,
        zero_employment: r.try_get::<i64, _>("zero_employment")? != 0,
        member_count: r.try_get("member_count")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn household_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::Region(p) => Scope::push_region(p.as_str(), "h.region", sql),
        Scope::All => {}
        Scope::Enterprise(_) => {
            sql.push(" AND 1 = 0");
        }
    }
}

/// The WHERE fragment of a household list.
fn household_filter(scope: &Scope, f: &HouseholdFilter) -> Result<Sql> {
    let mut filter = Sql::new(" WHERE 1 = 1");
    household_scope(scope, &mut filter);
    if let Some(no) = f
        .household_no
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        filter.push(" AND h.household_no = ").bind(no);
    }
    if let Some(region) = f.region.as_deref().filter(|s| !s.is_empty()) {
        let prefix = RegionPrefix::parse(region)
            .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
        Scope::push_region(prefix.as_str(), "h.region", &mut filter);
    }
    if let Some(z) = f.zero_employment {
        // A literal, not a bound value: the partial index of zero-employment
        // households (migration 0011) serves only a query naming its condition.
        filter.push(if z {
            " AND h.zero_employment = 1"
        } else {
            " AND h.zero_employment = 0"
        });
    }
    Ok(filter)
}

impl Store {
    /// Creates the households named by a batch that do not exist yet (in the region of
    /// their first member), stamped `at`; returns the id of each and the numbers of those
    /// that existed.
    pub(crate) async fn ensure_households(
        &self,
        conn: &mut Conn<'_>,
        recs: &[PersonRecord],
        at: &str,
    ) -> Result<(HashMap<String, i64>, HashSet<String>)> {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for r in recs {
            if let Some(no) = &r.household_no {
                first.entry(no.as_str()).or_insert(r.region.as_str());
            }
        }
        if first.is_empty() {
            return Ok(Default::default());
        }
        let mut sql = Sql::new("INSERT INTO household (household_no, region, updated_at) VALUES ");
        for (no, region) in first.iter() {
            sql.bind_row([Val::from(*no), Val::from(*region), Val::from(at)]);
        }
        // Only inserted rows are returned (on both backends): the rest existed.
        sql.push(" ON CONFLICT (household_no) DO NOTHING RETURNING household_no");
        let mut existed: HashSet<String> = first.keys().map(|k| k.to_string()).collect();
        for created in conn.rows(&sql, |r| Ok(r.required(0)?.to_string())).await? {
            existed.remove(&created);
        }
        // The ids in one statement: a subquery per person in the insert would open a
        // cursor each, and SQLite's cursor opening grows with the cursors already open.
        let mut sql = Sql::new("SELECT id, household_no FROM household WHERE household_no IN ");
        sql.bind_list(first.keys().map(|no| Val::from(*no)));
        let read = |r: &dyn Cells| Ok((r.required(1)?.to_string(), r.required_int(0)?));
        let ids = conn.rows(&sql, read).await?.into_iter().collect();
        Ok((ids, existed))
    }

    pub async fn households(
        &self,
        scope: &Scope,
        f: &HouseholdFilter,
        page: PageReq,
    ) -> Result<Page<HouseholdRow>> {
        let filter = household_filter(scope, f)?;
        let total = self.count_households(scope, f).await?;
        self.page_of_table(&TABLE, &filter, page, total, row_to_household)
            .await
    }

    /// From the tallies where they can say, else counted.
    pub(crate) async fn count_households(&self, scope: &Scope, f: &HouseholdFilter) -> Result<i64> {
        let filter = household_filter(scope, f)?;
        match self.tallied_households(scope, f).await? {
            Some(total) => Ok(total),
            None => self.count(&LISTING, &filter).await,
        }
    }

    pub async fn household(&self, scope: &Scope, id: i64) -> Result<HouseholdDetail> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE h.id = ").bind(id);
        household_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
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
