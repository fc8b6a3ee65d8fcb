//! Employment registrations (就业登记). Registering employment ends an open
//! unemployment registration of the same person, as the registration rules require.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::NewEmployment;

use super::registration::{
    EMPLOYMENT, Period, RegistrationFilter, RegistrationTable, Resolved, UNEMPLOYMENT,
};
use super::{date_text, region_name};
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmploymentRow {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub id_no_masked: String,
    pub kind: String,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub employer_credit_code: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub area: String,
    pub region: String,
    pub region_name: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT r.id, r.person_id, p.name AS person_name, p.id_masked, r.kind, r.enterprise_id, \
    e.name AS enterprise_name, e.credit_code, r.start_date, r.end_date, r.area, r.region, r.updated_at \
    FROM employment r JOIN person p ON p.id = r.person_id LEFT JOIN enterprise e ON e.id = r.enterprise_id";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM employment r JOIN person p ON p.id = r.person_id",
    id: "r.id",
    newest_first: false,
};

fn row_to_employment(r: &AnyRow) -> Result<EmploymentRow> {
    let region: String = r.try_get("region")?;
    Ok(EmploymentRow {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("person_name")?,
        id_no_masked: r.try_get("id_masked")?,
        kind: r.try_get("kind")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        employer_credit_code: r.try_get("credit_code")?,
        start_date: r.try_get("start_date")?,
        end_date: r.try_get("end_date")?,
        area: r.try_get("area")?,
        region_name: region_name(&region),
        region,
        updated_at: r.try_get("updated_at")?,
    })
}

fn employment_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::Region(p) => Scope::push_region(p.as_str(), "r.region", sql),
        Scope::All => {}
        Scope::Enterprise(e) => {
            sql.push(" AND r.enterprise_id = ").bind(*e);
        }
    }
}

/// A registration whose person and employer were found.
pub(crate) struct ResolvedEmployment<'a> {
    pub input: &'a NewEmployment,
    pub person_id: i64,
    pub enterprise_id: Option<i64>,
}

impl Resolved for ResolvedEmployment<'_> {
    const TABLE: &'static RegistrationTable = &EMPLOYMENT;
    fn person_id(&self) -> i64 {
        self.person_id
    }
    fn date(&self) -> chrono::NaiveDate {
        self.input.start_date
    }
}

impl Store {
    /// Finds each registration's person and employer and checks the caller's scope;
    /// returns per input either the resolved registration or the reason it cannot be. A
    /// person may hold several jobs at once (a part-time one beside another), but not a job
    /// begun before a day they registered as unemployed and lasting past it: they were
    /// registered as without work while in it (the mirror of an unemployment registration
    /// refused on a day a job is open, whichever is entered first).
    pub(crate) async fn resolve_employments<'a>(
        &self,
        conn: &mut Conn<'_>,
        scope: &Scope,
        batch: &'a [NewEmployment],
    ) -> Result<Vec<std::result::Result<ResolvedEmployment<'a>, (&'static str, String)>>> {
        let indexes = batch.iter().map(|e| self.id_index(&e.id_no));
        let people = self.people_by_index(conn, indexes).await?;
        let codes = batch.iter().filter_map(|e| {
            e.employer_credit_code
                .as_ref()
                .map(|c| c.as_str().to_string())
        });
        let employers = self.enterprise_ids(conn, codes).await?;
        let registered = self
            .periods(conn, &UNEMPLOYMENT, people.values().map(|p| p.id))
            .await?;
        Ok(batch
            .iter()
            .map(|e| {
                let person_id = people.get(&self.id_index(&e.id_no)).map(|p| p.id).ok_or((
                    "id_no",
                    format!("身份证号 {} 的人员不存在，请先登记人员", e.id_no.masked()),
                ))?;
                let enterprise_id = match &e.employer_credit_code {
                    Some(c) => Some(*employers.get(c.as_str()).ok_or((
                        "employer_credit_code",
                        format!(
                            "统一社会信用代码 {} 的用人单位不存在，请先登记单位",
                            c.as_str()
                        ),
                    ))?),
                    None => None,
                };
                if !scope.admits(&e.region, enterprise_id) {
                    return Err((
                        "region",
                        format!("就业地 {} 不在本人数据权限范围内", e.region.full_name()),
                    ));
                }
                let job = Period {
                    id: None,
                    from: date_text(e.start_date),
                    until: e.end_date.map(date_text),
                };
                let spanned = registered
                    .of(person_id)
                    .iter()
                    .find(|u| job.from < u.from && job.covers(&u.from));
                if let Some(u) = spanned {
                    return Err((
                        "start_date",
                        format!(
                            "该人员 {} 已办理失业登记，本次就业（{}）跨过该日：\
                             失业登记须在无业时办理，请核对就业日期或终止日期",
                            u.from,
                            job.describe()
                        ),
                    ));
                }
                Ok(ResolvedEmployment {
                    input: e,
                    person_id,
                    enterprise_id,
                })
            })
            .collect())
    }

    /// Writes resolved registrations (upsert on person and start date) and ends the open
    /// unemployment registrations they supersede, wherever registered (a job ends
    /// unemployment); returns the ids of those it ended. The caller refreshes the people
    /// ([`Store::refresh_after_registrations`]) before committing.
    pub(crate) async fn write_employments(
        &self,
        conn: &mut Conn<'_>,
        batch: &[ResolvedEmployment<'_>],
        at: &str,
    ) -> Result<Vec<i64>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "INSERT INTO employment (person_id, kind, enterprise_id, start_date, end_date, area, region, \
             created_at, updated_at) VALUES ",
        );
        for r in batch {
            let e = r.input;
            sql.bind_row([
                r.person_id.into(),
                e.kind.code().into(),
                Val::Int(r.enterprise_id),
                date_text(e.start_date).into(),
                e.end_date.map(date_text).into(),
                e.area.code().into(),
                e.region.to_string().into(),
                at.into(),
                at.into(),
            ]);
        }
        sql.push(
            " ON CONFLICT (person_id, start_date) DO UPDATE SET kind = excluded.kind, \
             enterprise_id = excluded.enterprise_id, end_date = excluded.end_date, area = excluded.area, \
             region = excluded.region, updated_at = excluded.updated_at",
        );
        conn.execute(&sql).await?;
        // A job ends the unemployment registrations it falls in, open or ending later, at
        // the earliest start in each. Matched here rather than by a correlated subquery over
        // the batch, which SQLite scans once per registration.
        let mut starts: HashMap<i64, Vec<String>> = HashMap::new();
        for r in batch {
            starts
                .entry(r.person_id)
                .or_default()
                .push(date_text(r.input.start_date));
        }
        let registered = self
            .periods(conn, &UNEMPLOYMENT, starts.keys().copied())
            .await?;
        let mut ends = Vec::new();
        for (person, starts) in &starts {
            for u in registered.of(*person) {
                let first = starts.iter().filter(|s| u.covers(s)).min();
                if let (Some(id), Some(start)) = (u.id, first) {
                    ends.push((id, start.clone()));
                }
            }
        }
        ends.sort_unstable();
        let ended_ids = ends.iter().map(|(id, _)| *id).collect();
        if !ends.is_empty() {
            let rows = ends
                .into_iter()
                .map(|(id, start)| vec![Val::from(id), start.into()]);
            let mut ended = Sql::with_values("f", &["id", "ended"], rows);
            ended
                .push("UPDATE unemployment SET ended_on = f.ended, end_reason = 'employed', updated_at = ")
                .bind(at)
                .push(" FROM f WHERE unemployment.id = f.id");
            conn.execute(&ended).await?;
        }
        Ok(ended_ids)
    }

    /// Registers a job; returns its id and the unemployment registrations it ended (for the
    /// audit record: they may be another region's).
    pub async fn create_employment(
        &self,
        scope: &Scope,
        e: &NewEmployment,
    ) -> Result<(i64, Vec<i64>)> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let writing = &mut self.on(&mut tx);
        let batch = std::slice::from_ref(e);
        let resolved = self
            .resolve_employments(writing, scope, batch)
            .await?
            .remove(0);
        let r =
            resolved.map_err(|(col, msg)| StoreError::invalid(col, "", "field.invalid", msg))?;
        let person_id = r.person_id;
        self.one_per_date(writing, &EMPLOYMENT, person_id, e.start_date)
            .await?;
        let ended = self.write_employments(writing, &[r], &now()).await?;
        self.refresh_after_registrations(writing, &[person_id])
            .await?;
        let id: i64 =
            sqlx::query("SELECT id FROM employment WHERE person_id = $1 AND start_date = $2")
                .bind(person_id)
                .bind(date_text(e.start_date))
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
        tx.commit().await?;
        Ok((id, ended))
    }

    /// Changes a registration in scope (its end date, typically); returns the unemployment
    /// registrations a new start date ended.
    pub async fn update_employment(
        &self,
        scope: &Scope,
        id: i64,
        e: &NewEmployment,
    ) -> Result<Vec<i64>> {
        let old = self.employment(scope, id).await?;
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        let resolved = self
            .resolve_employments(&mut self.on(&mut tx), scope, std::slice::from_ref(e))
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
        if old.start_date != date_text(e.start_date) {
            self.one_per_date(conn, &EMPLOYMENT, old.person_id, e.start_date)
                .await?;
            self.move_registration(conn, &EMPLOYMENT, id, e.start_date)
                .await?;
            // The unemployment this job ended at its old start is judged again at the new.
            let mut reopen = Sql::new(
                "UPDATE unemployment SET ended_on = NULL, end_reason = NULL WHERE end_reason = 'employed' \
                 AND person_id = ",
            );
            reopen
                .bind(old.person_id)
                .push(" AND ended_on = ")
                .bind(old.start_date.clone());
            conn.execute(&reopen).await?;
        }
        let ended = self.write_employments(conn, &[r], &now()).await?;
        self.refresh_after_registrations(conn, &[old.person_id])
            .await?;
        tx.commit().await?;
        Ok(ended)
    }

    pub(crate) fn employment_filter(scope: &Scope, f: &RegistrationFilter) -> Result<Sql> {
        let mut sql = Sql::new(" WHERE 1 = 1");
        employment_scope(scope, &mut sql);
        f.push(&EMPLOYMENT, &mut sql)?;
        Ok(sql)
    }

    pub async fn employments(
        &self,
        scope: &Scope,
        f: &RegistrationFilter,
        page: PageReq,
    ) -> Result<Page<EmploymentRow>> {
        let filter = Self::employment_filter(scope, f)?;
        self.page(
            &f.listing(&LISTING, &EMPLOYMENT),
            &filter,
            page,
            row_to_employment,
        )
        .await
    }

    pub(crate) async fn each_employment(
        &self,
        scope: &Scope,
        f: &RegistrationFilter,
        each: impl FnMut(EmploymentRow) -> Result<()>,
    ) -> Result<()> {
        let filter = Self::employment_filter(scope, f)?;
        self.each(&LISTING, &filter, row_to_employment, each).await
    }

    pub async fn employment(&self, scope: &Scope, id: i64) -> Result<EmploymentRow> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE r.id = ").bind(id);
        employment_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_employment(&row)
    }

    /// All registrations of one person (the caller has checked the person is in scope).
    pub(crate) async fn employments_of(&self, person_id: i64) -> Result<Vec<EmploymentRow>> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE r.person_id = ")
            .bind(person_id)
            .push(" ORDER BY r.start_date");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(row_to_employment).collect()
    }
}
