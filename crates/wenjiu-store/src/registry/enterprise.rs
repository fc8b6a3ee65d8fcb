//! Enterprises (用人单位), keyed by their unified social credit code.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::{IndustryCode, NewEnterprise, RegionPrefix, SizeClass};

use super::region_name;
use crate::bulk::Cells;
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::listing::{Listing, OneTable};
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

#[derive(Debug, Clone, Default)]
pub struct EnterpriseFilter {
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub size_class: Option<String>,
}

impl EnterpriseFilter {
    /// The industry and size class asked for, by code or name; unknown ones are refused
    /// rather than matching nothing.
    pub(crate) fn codes(&self) -> Result<(Option<IndustryCode>, Option<SizeClass>)> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let industry = given(&self.industry)
            .map(IndustryCode::parse)
            .transpose()
            .map_err(|e| StoreError::invalid("industry", "行业门类", e.code(), e.to_string()))?;
        let size_class = given(&self.size_class)
            .map(SizeClass::parse)
            .transpose()
            .map_err(|e| StoreError::invalid("size_class", "企业规模", e.code(), e.to_string()))?;
        Ok((industry, size_class))
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseRow {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub industry: String,
    pub ownership: String,
    pub size_class: String,
    pub region: String,
    pub region_name: String,
    pub insured_count: i64,
    pub updated_at: String,
}

const SELECT: &str = "SELECT e.id, e.credit_code, e.name, e.industry, e.ownership, e.size_class, e.region, \
    e.insured_count, e.updated_at FROM enterprise e";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM enterprise e",
    id: "e.id",
    newest_first: false,
};

const TABLE: OneTable = OneTable {
    table: "enterprise",
    indexed: LISTING,
    walk: Listing {
        from: " FROM enterprise e NOT INDEXED",
        ..LISTING
    },
};

fn row_to_enterprise(r: &AnyRow) -> Result<EnterpriseRow> {
    let region: String = r.try_get("region")?;
    Ok(EnterpriseRow {
        id: r.try_get("id")?,
        credit_code: r.try_get("credit_code")?,
        name: r.try_get("name")?,
        industry: r.try_get("industry")?,
        ownership: r.try_get("ownership")?,
        size_class: r.try_get("size_class")?,
        region_name: region_name(&region),
        region,
        insured_count: r.try_get("insured_count")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn enterprise_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::Region(p) => Scope::push_region(p.as_str(), "e.region", sql),
        Scope::All => {}
        Scope::Enterprise(id) => {
            sql.push(" AND e.id = ").bind(*id);
        }
    }
}

fn values(e: &NewEnterprise, at: &str) -> Vec<Val> {
    vec![
        e.credit_code.as_str().into(),
        e.name.clone().into(),
        e.industry.as_str().into(),
        e.ownership.code().into(),
        e.size_class.code().into(),
        e.region.to_string().into(),
        i64::from(e.insured_count).into(),
        at.into(),
        at.into(),
    ]
}

impl Store {
    pub(crate) async fn enterprise_id_by_code(&self, code: &str) -> Result<Option<i64>> {
        self.enterprise_id_on(&mut self.on(&mut *self.pool.acquire().await?), code)
            .await
    }

    /// The enterprise of a credit code, read on `conn`.
    async fn enterprise_id_on(&self, conn: &mut Conn<'_>, code: &str) -> Result<Option<i64>> {
        Ok(self
            .enterprise_ids(conn, [code.to_string()])
            .await?
            .get(code)
            .copied())
    }

    pub(crate) async fn enterprise_ids(
        &self,
        conn: &mut Conn<'_>,
        codes: impl IntoIterator<Item = String>,
    ) -> Result<HashMap<String, i64>> {
        let list: Vec<Val> = codes.into_iter().map(Val::from).collect();
        if list.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = Sql::new("SELECT id, credit_code FROM enterprise WHERE credit_code IN ");
        sql.bind_list(list);
        let read = |r: &dyn Cells| Ok((r.required(1)?.to_string(), r.required_int(0)?));
        Ok(conn.rows(&sql, read).await?.into_iter().collect())
    }

    /// Writes an import's batch, of which some were `stored`; returns the workers of those
    /// whose industry it changed, whose key groups are to be derived again.
    pub(crate) async fn import_enterprises(
        &self,
        conn: &mut Conn<'_>,
        batch: &[NewEnterprise],
        stored: bool,
        at: &str,
    ) -> Result<Vec<i64>> {
        let moved = if stored {
            self.industry_changes(conn, batch).await?
        } else {
            Vec::new()
        };
        self.upsert_enterprises(conn, batch, at).await?;
        self.workers_of(conn, &moved).await
    }

    /// The stored enterprises among `batch` whose industry it changes: whether their
    /// workers work off the farm (农民工) follows it.
    async fn industry_changes(
        &self,
        conn: &mut Conn<'_>,
        batch: &[NewEnterprise],
    ) -> Result<Vec<i64>> {
        let mut sql =
            Sql::new("SELECT id, credit_code, industry FROM enterprise WHERE credit_code IN ");
        sql.bind_list(batch.iter().map(|e| Val::from(e.credit_code.as_str())));
        let read = |r: &dyn Cells| {
            let code = r.required(1)?.to_string();
            Ok((code, (r.required_int(0)?, r.required(2)?.to_string())))
        };
        let stored: HashMap<String, (i64, String)> =
            conn.rows(&sql, read).await?.into_iter().collect();
        Ok((batch.iter())
            .filter_map(|e| match stored.get(e.credit_code.as_str()) {
                Some((id, industry)) if industry != e.industry.as_str() => Some(*id),
                _ => None,
            })
            .collect())
    }

    /// Inserts or updates enterprises by credit code.
    pub(crate) async fn upsert_enterprises(
        &self,
        conn: &mut Conn<'_>,
        batch: &[NewEnterprise],
        at: &str,
    ) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut sql = Sql::new(
            "INSERT INTO enterprise (credit_code, name, industry, ownership, size_class, region, insured_count, \
             created_at, updated_at) VALUES ",
        );
        for e in batch.iter() {
            sql.bind_row(values(e, at));
        }
        sql.push(
            " ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, industry = excluded.industry, \
             ownership = excluded.ownership, size_class = excluded.size_class, region = excluded.region, \
             insured_count = excluded.insured_count, updated_at = excluded.updated_at",
        );
        conn.execute(&sql).await
    }

    /// Everyone registered as employed by one of `enterprises`, now or before: whether they
    /// work off the farm (农民工) follows the employer's industry.
    async fn workers_of(&self, conn: &mut Conn<'_>, enterprises: &[i64]) -> Result<Vec<i64>> {
        if enterprises.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new("SELECT DISTINCT person_id FROM employment WHERE enterprise_id IN ");
        sql.bind_list(enterprises.iter().map(|id| Val::from(*id)));
        conn.rows(&sql, |r| r.required_int(0)).await
    }

    pub async fn enterprises(
        &self,
        scope: &Scope,
        f: &EnterpriseFilter,
        page: PageReq,
    ) -> Result<Page<EnterpriseRow>> {
        let filter = Self::enterprise_filter(scope, f)?;
        let total = self.count_enterprises(scope, f).await?;
        self.page_of_table(&TABLE, &filter, page, total, row_to_enterprise)
            .await
    }

    /// From the tallies where they can say, else counted.
    pub(crate) async fn count_enterprises(
        &self,
        scope: &Scope,
        f: &EnterpriseFilter,
    ) -> Result<i64> {
        let filter = Self::enterprise_filter(scope, f)?;
        match self.tallied_enterprises(scope, f).await? {
            Some(total) => Ok(total),
            None => self.count(&LISTING, &filter).await,
        }
    }

    pub(crate) fn enterprise_filter(scope: &Scope, f: &EnterpriseFilter) -> Result<Sql> {
        let mut sql = Sql::new(" WHERE 1 = 1");
        enterprise_scope(scope, &mut sql);
        if let Some(name) = f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sql.push_contains("e.name", name);
        }
        if let Some(code) = f
            .credit_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            sql.push(" AND e.credit_code = ").bind(code.to_uppercase());
        }
        if let Some(region) = f.region.as_deref().filter(|s| !s.is_empty()) {
            let prefix = RegionPrefix::parse(region)
                .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
            Scope::push_region(prefix.as_str(), "e.region", &mut sql);
        }
        let (industry, size_class) = f.codes()?;
        if let Some(i) = industry {
            sql.push(" AND e.industry = ").bind(i.as_str());
        }
        if let Some(s) = size_class {
            sql.push(" AND e.size_class = ").bind(s.code());
        }
        Ok(sql)
    }

    pub(crate) async fn each_enterprise(
        &self,
        scope: &Scope,
        f: &EnterpriseFilter,
        each: impl FnMut(EnterpriseRow) -> Result<()>,
    ) -> Result<()> {
        let filter = Self::enterprise_filter(scope, f)?;
        self.each(&LISTING, &filter, row_to_enterprise, each).await
    }

    pub async fn enterprise(&self, scope: &Scope, id: i64) -> Result<EnterpriseRow> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE e.id = ").bind(id);
        enterprise_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_enterprise(&row)
    }

    fn check_enterprise_region(scope: &Scope, e: &NewEnterprise) -> Result<()> {
        if scope.admits_region(&e.region) {
            Ok(())
        } else {
            Err(StoreError::OutOfScope(format!(
                "区划 {} 不在本人数据权限范围内",
                e.region.full_name()
            )))
        }
    }

    pub async fn create_enterprise(&self, scope: &Scope, e: &NewEnterprise) -> Result<i64> {
        Self::check_enterprise_region(scope, e)?;
        let code = e.credit_code.as_str();
        let mut pooled = self.pool.acquire().await?;
        let conn = &mut self.on(&mut pooled);
        if self.enterprise_id_on(conn, code).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "统一社会信用代码 {code} 的单位已存在"
            )));
        }
        self.upsert_enterprises(conn, std::slice::from_ref(e), &now())
            .await?;
        self.enterprise_id_on(conn, code)
            .await?
            .ok_or_else(|| StoreError::Corrupt("新建单位未能读回".into()))
    }

    pub async fn update_enterprise(&self, scope: &Scope, id: i64, e: &NewEnterprise) -> Result<()> {
        let old = self.enterprise(scope, id).await?;
        if let Scope::Region(_) = scope {
            Self::check_enterprise_region(scope, e)?;
        }
        if self
            .enterprise_id_by_code(e.credit_code.as_str())
            .await?
            .is_some_and(|other| other != id)
        {
            return Err(StoreError::Conflict(format!(
                "统一社会信用代码 {} 已属于另一单位",
                e.credit_code.as_str()
            )));
        }
        let mut sql = Sql::new("UPDATE enterprise SET credit_code = ");
        let v = values(e, &now());
        sql.bind(v[0].clone())
            .push(", name = ")
            .bind(v[1].clone())
            .push(", industry = ")
            .bind(v[2].clone())
            .push(", ownership = ")
            .bind(v[3].clone())
            .push(", size_class = ")
            .bind(v[4].clone())
            .push(", region = ")
            .bind(v[5].clone())
            .push(", insured_count = ")
            .bind(v[6].clone())
            .push(", updated_at = ")
            .bind(v[8].clone())
            .push(" WHERE id = ")
            .bind(id);
        let mut pooled = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut pooled).await?;
        let conn = &mut self.on(&mut tx);
        conn.execute(&sql).await?;
        if old.industry != e.industry.as_str() {
            let workers = self.workers_of(conn, &[id]).await?;
            self.refresh_after_registrations(conn, &workers).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
