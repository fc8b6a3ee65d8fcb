//! Unemployment registrations (失业登记). A person cannot be registered unemployed while
//! an employment registration of theirs is open on that date.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::NewUnemployment;

use super::registration::{RegistrationColumns, RegistrationFilter, Resolved};
use super::{date_text, region_name};
use crate::bulk::Cells;
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

const COLUMNS: RegistrationColumns = RegistrationColumns {
    date: "registered_on",
    end: "ended_on",
    code: "reason",
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnemploymentRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub id_no_masked: String,
    pub registered_on: String,
    pub region: String,
    pub region_name: String,
    pub reason: String,
    pub ended_on: Option<String>,
    pub end_reason: Option<String>,
    pub updated_at: String,
}

const SELECT: &str = "SELECT r.id, r.person_id, p.name AS person_name, p.id_masked, r.registered_on, r.region, \
    r.reason, r.ended_on, r.end_reason, r.updated_at FROM unemployment r JOIN person p ON p.id = r.person_id";

const LISTING: Listing = Listing {
    select: SELECT,
    count: "SELECT COUNT(*) AS n FROM unemployment r JOIN person p ON p.id = r.person_id",
    id: "r.id",
    newest_first: false,
};

fn row_to_unemployment(r: &AnyRow) -> Result<UnemploymentRow> {
    let region: String = r.try_get("region")?;
    Ok(UnemploymentRow {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("person_name")?,
        id_no_masked: r.try_get("id_masked")?,
        registered_on: r.try_get("registered_on")?,
        region_name: region_name(&region),
        region,
        reason: r.try_get("reason")?,
        ended_on: r.try_get("ended_on")?,
        end_reason: r.try_get("end_reason")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn unemployment_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::Region(p) => Scope::push_region(p.as_str(), "r.region", sql),
        Scope::All => {}
        // Unemployment registrations belong to no enterprise.
        Scope::Enterprise(_) => {
            sql.push(" AND 1 = 0");
        }
    }
}

pub(crate) struct ResolvedUnemployment<'a> {
    pub input: &'a NewUnemployment,
    pub person_id: i64,
}

impl Resolved for ResolvedUnemployment<'_> {
    const KEY: (&'static str, &'static str) = ("unemployment", "registered_on");
    fn person_id(&self) -> i64 {
        self.person_id
    }
    fn date(&self) -> chrono::NaiveDate {
        self.input.registered_on
    }
}

impl Store {
    /// Finds each registration's person and checks scope and the employment overlap.
    pub(crate) async fn resolve_unemployments<'a>(
        &self,
        conn: &mut Conn<'_>,
        scope: &Scope,
        batch: &'a [NewUnemployment],
    ) -> Result<Vec<std::result::Result<ResolvedUnemployment<'a>, (&'static str, String)>>> {
        let indexes = batch.iter().map(|u| self.id_index(&u.id_no));
        let people = self.people_by_index(conn, indexes).await?;
        let mut employed = std::collections::HashMap::<i64, Vec<(String, Option<String>)>>::new();
        let ids: Vec<Val> = people.values().map(|p| Val::from(p.id)).collect();
        if !ids.is_empty() {
            let mut sql = Sql::new(
                "SELECT person_id, start_date, end_date FROM employment WHERE person_id IN ",
            );
            sql.bind_list(ids);
            let read = |r: &dyn Cells| {
                let start = r.required(1)?.to_string();
                Ok((r.required_int(0)?, (start, r.text(2)?.map(str::to_string))))
            };
            for (person, span) in conn.rows(&sql, read).await? {
                employed.entry(person).or_default().push(span);
            }
        }
        Ok(batch
            .iter()
            .map(|u| {
                let person_id = people.get(&self.id_index(&u.id_no)).map(|p| p.id).ok_or((
                    "id_no",
                    format!("身份证号 {} 的人员不存在，请先登记人员", u.id_no.masked()),
                ))?;
                if !scope.admits_region(&u.region) {
                    return Err((
                        "region",
                        format!("登记地 {} 不在本人数据权限范围内", u.region.full_name()),
                    ));
                }
                let on = date_text(u.registered_on);
                let overlapping = employed
                    .get(&person_id)
                    .into_iter()
                    .flatten()
                    .find(|(start, end)| *start <= on && end.as_ref().is_none_or(|end| *end > on));
                if let Some((start, _)) = overlapping {
                    return Err((
                        "registered_on",
                        format!("该人员自 {start} 起的就业登记尚未终止，不能办理失业登记"),
                    ));
                }
                Ok(ResolvedUnemployment {
                    input: u,
                    person_id,
                })
            })
            .collect())
    }

    /// Writes resolved registrations (upsert on person and date). The caller refreshes the
    /// people ([`Store::refresh_after_registrations`]) before committing.
    pub(crate) async fn write_unemployments(
        &self,
        conn: &mut Conn<'_>,
        batch: &[ResolvedUnemployment<'_>],
        at: &str,
    ) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut sql = Sql::new(
            "INSERT INTO unemployment (person_id, registered_on, region, reason, ended_on, end_reason, \
             created_at, updated_at) VALUES ",
        );
        for r in batch {
            let u = r.input;
            sql.bind_row([
                r.person_id.into(),
                date_text(u.registered_on).into(),
                u.region.to_string().into(),
                u.reason.code().into(),
                u.ended_on.map(date_text).into(),
                u.end_reason.map(|e| e.code().to_string()).into(),
                at.into(),
                at.into(),
            ]);
        }
        sql.push(
            " ON CONFLICT (person_id, registered_on) DO UPDATE SET region = excluded.region, \
             reason = excluded.reason, ended_on = excluded.ended_on, end_reason = excluded.end_reason, \
             updated_at = excluded.updated_at",
        );
        conn.execute(&sql).await?;
        // An employment registration ends the unemployment registered on or before its
        // start, whichever is written first: a row without an end (a re-imported file)
        // must not leave such a registration open, nor reopen one employment ended.
        let mut superseded = Sql::new(
            "UPDATE unemployment SET end_reason = 'employed', ended_on = (SELECT MIN(e.start_date) \
             FROM employment e WHERE e.person_id = unemployment.person_id \
             AND e.start_date >= unemployment.registered_on), updated_at = ",
        );
        superseded
            .bind(at)
            .push(" WHERE ended_on IS NULL AND person_id IN ")
            .bind_list(batch.iter().map(|r| Val::from(r.person_id)))
            .push(
                " AND EXISTS (SELECT 1 FROM employment e WHERE e.person_id = unemployment.person_id \
                 AND e.start_date >= unemployment.registered_on)",
            );
        conn.execute(&superseded).await?;
        Ok(())
    }

    pub async fn create_unemployment(&self, scope: &Scope, u: &NewUnemployment) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let writing = &mut self.on(&mut tx);
        let resolved = self
            .resolve_unemployments(writing, scope, std::slice::from_ref(u))
            .await?
            .remove(0);
        let r =
            resolved.map_err(|(col, msg)| StoreError::invalid(col, "", "field.invalid", msg))?;
        let person_id = r.person_id;
        self.one_per_date(
            writing,
            ResolvedUnemployment::KEY,
            person_id,
            u.registered_on,
        )
        .await?;
        self.write_unemployments(writing, &[r], &now()).await?;
        self.refresh_after_registrations(writing, &[person_id])
            .await?;
        let id: i64 =
            sqlx::query("SELECT id FROM unemployment WHERE person_id = $1 AND registered_on = $2")
                .bind(person_id)
                .bind(date_text(u.registered_on))
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a registration in scope (typically ending it, with the reason).
    pub async fn update_unemployment(
        &self,
        scope: &Scope,
        id: i64,
        u: &NewUnemployment,
    ) -> Result<()> {
        let old = self.unemployment(scope, id).await?;
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let resolved = self
            .resolve_unemployments(&mut self.on(&mut tx), scope, std::slice::from_ref(u))
            .await?
            .remove(0);
        let r =
            resolved.map_err(|(col, msg)| StoreError::invalid(col, "", "field.invalid", msg))?;
        if r.person_id != old.person_id {
            return Err(StoreError::invalid(
                "id_no",
                "身份证号",
                "field.invalid",
                "登记的人员不能更改",
            ));
        }
        let moved = old.registered_on != date_text(u.registered_on);
        if moved {
            let conn = &mut self.on(&mut tx);
            self.one_per_date(
                conn,
                ResolvedUnemployment::KEY,
                old.person_id,
                u.registered_on,
            )
            .await?;
        }
        self.write_unemployments(&mut self.on(&mut tx), &[r], &now())
            .await?;
        if moved {
            sqlx::query("DELETE FROM unemployment WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        self.refresh_after_registrations(&mut self.on(&mut tx), &[old.person_id])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) fn unemployment_filter(scope: &Scope, f: &RegistrationFilter) -> Result<Sql> {
        let mut sql = Sql::new(" WHERE 1 = 1");
        unemployment_scope(scope, &mut sql);
        f.push(&COLUMNS, &mut sql)?;
        Ok(sql)
    }

    pub async fn unemployments(
        &self,
        scope: &Scope,
        f: &RegistrationFilter,
        page: PageReq,
    ) -> Result<Page<UnemploymentRow>> {
        let filter = Self::unemployment_filter(scope, f)?;
        self.page(&LISTING, &filter, page, row_to_unemployment)
            .await
    }

    pub(crate) async fn each_unemployment(
        &self,
        scope: &Scope,
        f: &RegistrationFilter,
        each: impl FnMut(UnemploymentRow) -> Result<()>,
    ) -> Result<()> {
        let filter = Self::unemployment_filter(scope, f)?;
        self.each(&LISTING, &filter, row_to_unemployment, each)
            .await
    }

    pub async fn unemployment(&self, scope: &Scope, id: i64) -> Result<UnemploymentRow> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE r.id = ").bind(id);
        unemployment_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_unemployment(&row)
    }

    pub(crate) async fn unemployments_of(&self, person_id: i64) -> Result<Vec<UnemploymentRow>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE r.person_id = ")
            .bind(person_id)
            .push(" ORDER BY r.registered_on");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(row_to_unemployment).collect()
    }
}
