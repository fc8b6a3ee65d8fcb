//! Unemployment registrations (失业登记). A person cannot be registered unemployed while
//! an employment registration of theirs is open on that date.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::NewUnemployment;

use super::registration::{
    EMPLOYMENT, RegistrationFilter, RegistrationTable, Resolved, UNEMPLOYMENT,
};
use super::{date_text, region_name};
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

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
    from: " FROM unemployment r JOIN person p ON p.id = r.person_id",
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
    const TABLE: &'static RegistrationTable = &UNEMPLOYMENT;
    fn person_id(&self) -> i64 {
        self.person_id
    }
    fn date(&self) -> chrono::NaiveDate {
        self.input.registered_on
    }
}

impl Store {
    /// Finds each registration's person and checks the caller's scope and the person's
    /// other registrations: no job open on the day registered, and no other unemployment
    /// registration in the same period, which lasts until its end or the first job started
    /// since, whichever is first (a job ends it). `except` is a registration being updated,
    /// whose date may move.
    pub(crate) async fn resolve_unemployments<'a>(
        &self,
        conn: &mut Conn<'_>,
        scope: &Scope,
        batch: &'a [NewUnemployment],
        except: Option<i64>,
    ) -> Result<Vec<std::result::Result<ResolvedUnemployment<'a>, (&'static str, String)>>> {
        let indexes = batch.iter().map(|u| self.id_index(&u.id_no));
        let people = self.people_by_index(conn, indexes).await?;
        let ids = || people.values().map(|p| p.id);
        let jobs = self.periods(conn, &EMPLOYMENT, ids()).await?;
        let mut registered = self.periods(conn, &UNEMPLOYMENT, ids()).await?;
        let mut resolve = |u: &'a NewUnemployment| {
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
            let jobs = jobs.of(person_id);
            if let Some(job) = jobs.iter().find(|j| j.covers(&on)) {
                return Err((
                    "registered_on",
                    format!(
                        "该人员{}的就业登记尚未终止，不能办理失业登记",
                        job.describe()
                    ),
                ));
            }
            let next_job = jobs.iter().map(|j| &j.from).filter(|s| **s >= on).min();
            let until = match (u.ended_on.map(date_text), next_job) {
                (Some(end), Some(job)) => Some(end.min(job.clone())),
                (end, job) => end.or(job.cloned()),
            };
            let span = (on.as_str(), until.as_deref());
            if let Some(other) = registered.overlapping(person_id, span, except) {
                return Err((
                    "registered_on",
                    format!(
                        "该人员{}的失业登记与本次登记的期间重叠，同一时间只能有一条失业登记",
                        other.describe()
                    ),
                ));
            }
            registered.add(person_id, on, until);
            Ok(ResolvedUnemployment {
                input: u,
                person_id,
            })
        };
        Ok(batch.iter().map(&mut resolve).collect())
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
        // An employment registration ends the unemployment registration it falls in, open
        // or ending later, whichever is written first: a row without an end (a re-imported
        // file) must not leave such a registration open, nor reopen one a job ended.
        let mut superseded = Sql::new(
            "UPDATE unemployment SET end_reason = 'employed', ended_on = (SELECT MIN(e.start_date) \
             FROM employment e WHERE e.person_id = unemployment.person_id \
             AND e.start_date >= unemployment.registered_on), updated_at = ",
        );
        superseded
            .bind(at)
            .push(" WHERE person_id IN ")
            .bind_list(batch.iter().map(|r| Val::from(r.person_id)))
            .push(
                " AND EXISTS (SELECT 1 FROM employment e WHERE e.person_id = unemployment.person_id \
                 AND e.start_date >= unemployment.registered_on \
                 AND (unemployment.ended_on IS NULL OR e.start_date < unemployment.ended_on))",
            );
        conn.execute(&superseded).await?;
        Ok(())
    }

    pub async fn create_unemployment(&self, scope: &Scope, u: &NewUnemployment) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let writing = &mut self.on(&mut tx);
        let resolved = self
            .resolve_unemployments(writing, scope, std::slice::from_ref(u), None)
            .await?
            .remove(0);
        let r =
            resolved.map_err(|(col, msg)| StoreError::invalid(col, "", "field.invalid", msg))?;
        let person_id = r.person_id;
        self.one_per_date(writing, &UNEMPLOYMENT, person_id, u.registered_on)
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
            .resolve_unemployments(
                &mut self.on(&mut tx),
                scope,
                std::slice::from_ref(u),
                Some(id),
            )
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
        let conn = &mut self.on(&mut tx);
        if old.registered_on != date_text(u.registered_on) {
            self.one_per_date(conn, &UNEMPLOYMENT, old.person_id, u.registered_on)
                .await?;
            self.move_registration(conn, &UNEMPLOYMENT, id, u.registered_on)
                .await?;
        }
        self.write_unemployments(conn, &[r], &now()).await?;
        self.refresh_after_registrations(conn, &[old.person_id])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) fn unemployment_filter(scope: &Scope, f: &RegistrationFilter) -> Result<Sql> {
        let mut sql = Sql::new(" WHERE 1 = 1");
        unemployment_scope(scope, &mut sql);
        f.push(&UNEMPLOYMENT, &mut sql)?;
        Ok(sql)
    }

    pub async fn unemployments(
        &self,
        scope: &Scope,
        f: &RegistrationFilter,
        page: PageReq,
    ) -> Result<Page<UnemploymentRow>> {
        let filter = Self::unemployment_filter(scope, f)?;
        self.page(
            &f.listing(&LISTING, &UNEMPLOYMENT),
            &filter,
            page,
            row_to_unemployment,
        )
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
