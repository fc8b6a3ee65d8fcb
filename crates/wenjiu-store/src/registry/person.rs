//! People of the registry. ID and phone numbers are stored encrypted with a blind index
//! for exact lookup and a masked copy for lists.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::{IdCardNo, KeyGroup, NewPerson, PersonStatus, RegionPrefix};

use super::{EmploymentRow, UnemploymentRow, date_text, region_name, tags_of, tags_text};
use crate::bulk::Cells;
use crate::conn::Conn;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::listing::{Listing, OneTable};
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

pub(crate) const AAD_ID: &str = "person.id_no";
pub(crate) const AAD_PHONE: &str = "person.phone";

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Part of the name.
    pub name: Option<String>,
    /// The complete ID number (exact match through the blind index).
    pub id_no: Option<String>,
    /// A region prefix inside the caller's scope.
    pub region: Option<String>,
    pub key_group: Option<String>,
    /// employed | unemployed | none
    pub status: Option<String>,
    pub household_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub id_no_masked: String,
    pub sex: String,
    pub birth_date: String,
    pub phone_masked: Option<String>,
    pub education: Option<String>,
    pub hukou: String,
    pub region: String,
    pub region_name: String,
    pub graduation_year: Option<i64>,
    /// What the public employment service knows of the person beyond an employer's
    /// records; absent for an enterprise (decision 0023).
    #[serde(flatten)]
    pub service: Option<ServiceFacts>,
    pub updated_at: String,
}

/// A person's household, circumstances and standing with the public employment service:
/// status, key groups and employment difficulties, derived from registrations an employer
/// does not see. An enterprise sees the people it employs or employed, not these.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceFacts {
    pub household_id: Option<i64>,
    pub household_no: Option<String>,
    pub veteran: bool,
    pub attributes: Vec<String>,
    pub status: String,
    pub key_groups: Vec<String>,
    pub difficulty: Vec<String>,
}

impl PersonRow {
    /// The row as `scope` may see it.
    fn seen_by(mut self, scope: &Scope) -> Self {
        if let Scope::Enterprise(_) = scope {
            self.service = None;
        }
        self
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonRow,
    pub employments: Vec<EmploymentRow>,
    pub unemployments: Vec<UnemploymentRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevealField {
    IdNo,
    Phone,
}

const SELECT: &str = "SELECT p.id, p.name, p.id_masked, p.sex, p.birth_date, p.phone_masked, p.education, \
    p.hukou, p.region, p.household_id, h.household_no, p.graduation_year, p.veteran, p.attributes, \
    p.status, p.key_groups, p.difficulty, p.updated_at, p.id_cipher, p.phone_cipher FROM person p \
    LEFT JOIN household h ON h.id = p.household_id";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM person p",
    id: "p.id",
    newest_first: false,
};

const TABLE: OneTable = OneTable {
    table: "person",
    indexed: LISTING,
    walk: Listing {
        from: " FROM person p NOT INDEXED",
        ..LISTING
    },
};

fn row_to_person(r: &AnyRow) -> Result<PersonRow> {
    let region: String = r.try_get("region")?;
    Ok(PersonRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        id_no_masked: r.try_get("id_masked")?,
        sex: r.try_get("sex")?,
        birth_date: r.try_get("birth_date")?,
        phone_masked: r.try_get("phone_masked")?,
        education: r.try_get("education")?,
        hukou: r.try_get("hukou")?,
        region_name: region_name(&region),
        region,
        graduation_year: r.try_get("graduation_year")?,
        service: Some(ServiceFacts {
            household_id: r.try_get("household_id")?,
            household_no: r.try_get("household_no")?,
            veteran: r.try_get::<i64, _>("veteran")? != 0,
            attributes: tags_of(&r.try_get::<String, _>("attributes")?),
            status: r.try_get("status")?,
            key_groups: tags_of(&r.try_get::<String, _>("key_groups")?),
            difficulty: tags_of(&r.try_get::<String, _>("difficulty")?),
        }),
        updated_at: r.try_get("updated_at")?,
    })
}

/// A stored person found by blind index.
pub(crate) struct Existing {
    pub id: i64,
    /// The stamp of the last write: an import recognises the records it wrote itself.
    pub updated_at: String,
    pub region: String,
}

/// A person ready to be written: validated, encrypted, indexed.
pub(crate) struct PersonRecord {
    pub id_index: String,
    values: Vec<Val>,
    pub household_no: Option<String>,
    pub region: String,
}

/// Columns written by an insert, in the order of [`PersonRecord::values`] (the household
/// id is appended at write time).
const WRITE_COLUMNS: &str = "name, id_index, id_cipher, id_masked, sex, birth_date, phone_cipher, phone_masked, \
    education, hukou, region, graduation_year, veteran, attributes, key_groups, created_at, updated_at, household_id";

impl PersonRecord {
    /// This person's row, in household `households[no]`.
    fn row(&self, households: &HashMap<String, i64>) -> Vec<Val> {
        let household = self.household_no.as_ref().map(|no| households[no]);
        self.values
            .iter()
            .cloned()
            .chain([household.into()])
            .collect()
    }
}

impl Store {
    pub(crate) fn id_index(&self, id: &IdCardNo) -> String {
        self.keys.blind_index("id_no", id.as_str())
    }

    /// Validated input → the stored form. Tags that depend on registrations are filled in
    /// by the refresh that follows every write.
    pub(crate) fn person_record(&self, p: &NewPerson, at: &str) -> Result<PersonRecord> {
        // A valid number may still name a birth yet to come: not a person to register.
        let (born, today) = (p.id_no.birth_date(), self.today());
        if born > today {
            return Err(StoreError::invalid(
                "id_no",
                "身份证号",
                "person.born_later",
                format!("出生日期 {born} 晚于业务日期 {today}"),
            ));
        }
        let id_index = self.id_index(&p.id_no);
        let facts_groups: Vec<&str> = [
            p.veteran.then_some(KeyGroup::Veteran.code()),
            (p.graduation_year == Some(chrono::Datelike::year(&self.today()))
                && p.education.is_some_and(|e| e.counts_as_graduate()))
            .then_some(KeyGroup::GraduateOfYear.code()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let values = vec![
            p.name.clone().into(),
            id_index.clone().into(),
            self.keys.encrypt(AAD_ID, p.id_no.as_str()).into(),
            p.id_no.masked().into(),
            p.id_no.sex().code().into(),
            date_text(p.id_no.birth_date()).into(),
            p.phone
                .as_ref()
                .map(|ph| self.keys.encrypt(AAD_PHONE, ph))
                .into(),
            p.phone.as_deref().map(wenjiu_core::mask).into(),
            p.education.map(|e| e.code().to_string()).into(),
            p.hukou.code().into(),
            p.region.to_string().into(),
            p.graduation_year.map(i64::from).into(),
            p.veteran.into(),
            tags_text(p.attributes.iter().map(String::as_str))
                .trim_start()
                .to_string()
                .into(),
            tags_text(facts_groups).into(),
            at.into(),
            at.into(),
        ];
        Ok(PersonRecord {
            id_index,
            values,
            household_no: p.household_no.clone(),
            region: p.region.to_string(),
        })
    }

    /// Inserts or updates people by ID number (the natural key), creating their households
    /// first. `existing` is what [`Store::people_by_index`] found for these records, on
    /// the connection that writes them; returns the ids of those that existed (updated, not
    /// inserted) and the numbers of the households that existed before.
    ///
    /// PostgreSQL takes the batch as one upsert. SQLite takes each new person as one run of
    /// a prepared single-row INSERT: a statement that may write several rows and may fail a
    /// constraint (the household's foreign key, NOT NULL) makes SQLite copy every page it
    /// changes into a statement journal first, so that it can undo it alone, and the random
    /// blind index puts each row on a page of its own — about a sixth of an import's time in
    /// a profile. The few that existed go through the upsert.
    pub(crate) async fn upsert_people(
        &self,
        conn: &mut Conn<'_>,
        recs: &[PersonRecord],
        existing: &HashMap<String, Existing>,
        at: &str,
    ) -> Result<(Vec<i64>, HashSet<String>)> {
        if recs.is_empty() {
            return Ok(Default::default());
        }
        let (households, old_households) = self.ensure_households(conn, recs, at).await?;
        let (new, old): (Vec<&PersonRecord>, Vec<&PersonRecord>) = match conn.backend() {
            Backend::Sqlite => recs
                .iter()
                .partition(|r| !existing.contains_key(&r.id_index)),
            Backend::Postgres => (Vec::new(), recs.iter().collect()),
        };
        let insert = format!("INSERT INTO person ({WRITE_COLUMNS}) VALUES ");
        let rows = new.iter().map(|r| r.row(&households)).collect();
        conn.execute_each(&insert, rows).await?;
        if !old.is_empty() {
            let mut sql = Sql::new(&insert);
            for r in old {
                sql.bind_row(r.row(&households));
            }
            sql.push(
                " ON CONFLICT (id_index) DO UPDATE SET name = excluded.name, id_cipher = excluded.id_cipher, \
                 id_masked = excluded.id_masked, phone_cipher = excluded.phone_cipher, \
                 phone_masked = excluded.phone_masked, education = excluded.education, hukou = excluded.hukou, \
                 region = excluded.region, graduation_year = excluded.graduation_year, veteran = excluded.veteran, \
                 attributes = excluded.attributes, household_id = excluded.household_id, \
                 updated_at = excluded.updated_at",
            );
            conn.execute(&sql).await?;
        }
        let updated = recs
            .iter()
            .filter_map(|r| existing.get(&r.id_index).map(|e| e.id));
        Ok((updated.collect(), old_households))
    }

    /// The people that exist among these blind indexes: id and last-write stamp.
    pub(crate) async fn people_by_index(
        &self,
        conn: &mut Conn<'_>,
        indexes: impl IntoIterator<Item = String>,
    ) -> Result<HashMap<String, Existing>> {
        let list: Vec<Val> = indexes.into_iter().map(Val::from).collect();
        if list.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql =
            Sql::new("SELECT id, id_index, updated_at, region FROM person WHERE id_index IN ");
        sql.bind_list(list);
        let read = |r: &dyn Cells| {
            let e = Existing {
                id: r.required_int(0)?,
                updated_at: r.required(2)?.to_string(),
                region: r.required(3)?.to_string(),
            };
            Ok((r.required(1)?.to_string(), e))
        };
        Ok(conn.rows(&sql, read).await?.into_iter().collect())
    }

    pub(super) fn person_scope(scope: &Scope, sql: &mut Sql) {
        match scope {
            Scope::Region(p) => Scope::push_region(p.as_str(), "p.region", sql),
            Scope::All => {}
            Scope::Enterprise(e) => {
                sql.push(" AND p.id IN (SELECT person_id FROM employment WHERE enterprise_id = ")
                    .bind(*e)
                    .push(")");
            }
        }
    }

    pub(crate) fn person_filter(&self, scope: &Scope, f: &PersonFilter) -> Result<Sql> {
        let mut sql = Sql::new(" WHERE 1 = 1");
        Self::person_scope(scope, &mut sql);
        if let Scope::Enterprise(_) = scope {
            Self::refuse_service_filters(f)?;
        }
        if let Some(name) = f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            sql.push_contains("p.name", name);
        }
        if let Some(id) = f.id_no.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let id = IdCardNo::parse(id)
                .map_err(|e| StoreError::invalid("id_no", "身份证号", e.code(), e.to_string()))?;
            sql.push(" AND p.id_index = ").bind(self.id_index(&id));
        }
        if let Some(region) = f.region.as_deref().filter(|s| !s.is_empty()) {
            let prefix = RegionPrefix::parse(region)
                .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
            Scope::push_region(prefix.as_str(), "p.region", &mut sql);
        }
        if let Some(g) = f.key_group.as_deref().filter(|s| !s.is_empty()) {
            let g = KeyGroup::parse(g).map_err(|e| {
                StoreError::invalid("key_group", "重点群体", e.code(), e.to_string())
            })?;
            // Literals, not bound values: a partial index (migration 0011) serves only a
            // query naming its condition. Both are checked codes of our own.
            sql.push(&format!(" AND p.key_groups LIKE '% {} %'", g.code()));
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            let status = PersonStatus::parse(s)
                .map_err(|e| StoreError::invalid("status", "就业状态", e.code(), e.to_string()))?;
            sql.push(&format!(" AND p.status = '{}'", status.code()));
        }
        if let Some(h) = f.household_id {
            sql.push(" AND p.household_id = ").bind(h);
        }
        Ok(sql)
    }

    pub async fn persons(
        &self,
        scope: &Scope,
        f: &PersonFilter,
        page: PageReq,
    ) -> Result<Page<PersonRow>> {
        let filter = self.person_filter(scope, f)?;
        let total = match self.tallied_persons(scope, f).await? {
            Some(total) => total,
            None => self.count(&LISTING, &filter).await?,
        };
        let seen = |r: &AnyRow| row_to_person(r).map(|p| p.seen_by(scope));
        self.page_of_table(&TABLE, &filter, page, total, seen).await
    }

    /// An enterprise may not select people by what it may not see of them (a list of its
    /// staff "by key group" would disclose the groups).
    fn refuse_service_filters(f: &PersonFilter) -> Result<()> {
        let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        let refused = [
            ("key_group", "重点群体", given(&f.key_group)),
            ("status", "就业状态", given(&f.status)),
            ("household_id", "家庭", f.household_id.is_some()),
        ];
        match refused.into_iter().find(|(.., asked)| *asked) {
            Some((column, header, _)) => Err(StoreError::invalid(
                column,
                header,
                "scope.denied",
                format!("单位用户不能按{header}查询人员"),
            )),
            None => Ok(()),
        }
    }

    /// Every person of a filtered set in id order, with the full numbers if `reveal`.
    pub(crate) async fn each_person(
        &self,
        scope: &Scope,
        f: &PersonFilter,
        mut each: impl FnMut(PersonRow, Option<(String, Option<String>)>) -> Result<()>,
        reveal: bool,
    ) -> Result<()> {
        let filter = self.person_filter(scope, f)?;
        let read = |r: &AnyRow| {
            let plain = if reveal {
                let id = self
                    .keys
                    .decrypt(AAD_ID, &r.try_get::<String, _>("id_cipher")?)?;
                let phone = r
                    .try_get::<Option<String>, _>("phone_cipher")?
                    .map(|c| self.keys.decrypt(AAD_PHONE, &c))
                    .transpose()?;
                Some((id, phone))
            } else {
                None
            };
            Ok((row_to_person(r)?.seen_by(scope), plain))
        };
        self.each(&LISTING, &filter, read, |(p, plain)| each(p, plain))
            .await
    }

    pub async fn person(&self, scope: &Scope, id: i64) -> Result<PersonDetail> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE p.id = ").bind(id);
        Self::person_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let person = row_to_person(&row)?.seen_by(scope);
        // The registrations of a person the caller may see are part of that person's file;
        // an enterprise sees only its own jobs of theirs, not their other employers or their
        // unemployment registrations.
        let mut employments = self.employments_of(person.id).await?;
        let unemployments = match scope {
            Scope::Enterprise(own) => {
                employments.retain(|e| e.enterprise_id == Some(*own));
                Vec::new()
            }
            _ => self.unemployments_of(person.id).await?,
        };
        Ok(PersonDetail {
            person,
            employments,
            unemployments,
        })
    }

    /// The full ID or phone number of a person in scope. The caller audits the reveal.
    pub async fn reveal(
        &self,
        scope: &Scope,
        id: i64,
        field: RevealField,
    ) -> Result<Option<String>> {
        let mut sql = Sql::new("SELECT p.id_cipher, p.phone_cipher FROM person p WHERE p.id = ");
        sql.bind(id);
        Self::person_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(match field {
            RevealField::IdNo => Some(
                self.keys
                    .decrypt(AAD_ID, &row.try_get::<String, _>("id_cipher")?)?,
            ),
            RevealField::Phone => row
                .try_get::<Option<String>, _>("phone_cipher")?
                .map(|c| self.keys.decrypt(AAD_PHONE, &c))
                .transpose()?,
        })
    }

    /// The stored ID and phone numbers of the person a record (in scope) belongs to, for
    /// an edit that leaves them out: they are kept, not erased, and never sent back.
    pub async fn kept_numbers(
        &self,
        scope: &Scope,
        kind: super::Kind,
        id: i64,
    ) -> Result<(String, Option<String>)> {
        let person_id = match kind {
            super::Kind::Person => self.person(scope, id).await?.person.id,
            super::Kind::Employment => self.employment(scope, id).await?.person_id,
            super::Kind::Unemployment => self.unemployment(scope, id).await?.person_id,
            super::Kind::Enterprise => return Err(StoreError::NotFound),
        };
        let row = sqlx::query("SELECT id_cipher, phone_cipher FROM person WHERE id = $1")
            .bind(person_id)
            .fetch_one(&self.pool)
            .await?;
        let id_no = self
            .keys
            .decrypt(AAD_ID, &row.try_get::<String, _>("id_cipher")?)?;
        let phone = row
            .try_get::<Option<String>, _>("phone_cipher")?
            .map(|c| self.keys.decrypt(AAD_PHONE, &c))
            .transpose()?;
        Ok((id_no, phone))
    }

    fn check_region(scope: &Scope, region: &wenjiu_core::RegionCode) -> Result<()> {
        if scope.admits_region(region) {
            Ok(())
        } else {
            Err(StoreError::OutOfScope(format!(
                "区划 {} 不在本人数据权限范围内",
                region.full_name()
            )))
        }
    }

    pub async fn create_person(&self, scope: &Scope, p: &NewPerson) -> Result<i64> {
        Self::check_region(scope, &p.region)?;
        let rec = self.person_record(p, &now())?;
        let index = [rec.id_index.clone()];
        let mut pooled = self.pool.acquire().await?;
        let conn = &mut self.on(&mut pooled);
        let exists = || StoreError::Conflict(format!("身份证号 {} 的人员已存在", p.id_no.masked()));
        if !self.people_by_index(conn, index.clone()).await?.is_empty() {
            return Err(exists());
        }
        let one = std::slice::from_ref(&rec);
        match self.upsert_people(conn, one, &HashMap::new(), &now()).await {
            // Created by someone else since the check: SQLite inserts a new person plainly.
            Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                return Err(exists());
            }
            written => written?,
        };
        let id = self.people_by_index(conn, index).await?[&rec.id_index].id;
        // A new member can change the household's zero-employment flag, and so the tags
        // of everyone in it.
        self.refresh_after_registrations(conn, &[id]).await?;
        Ok(id)
    }

    pub async fn update_person(&self, scope: &Scope, id: i64, p: &NewPerson) -> Result<()> {
        self.person(scope, id).await?; // 404 outside scope
        Self::check_region(scope, &p.region)?;
        let rec = self.person_record(p, &now())?;
        let mut pooled = self.pool.acquire().await?;
        let conn = &mut self.on(&mut pooled);
        let holder = self.people_by_index(conn, [rec.id_index.clone()]).await?;
        if holder
            .get(&rec.id_index)
            .is_some_and(|other| other.id != id)
        {
            return Err(StoreError::Conflict(format!(
                "身份证号 {} 已属于另一人员",
                p.id_no.masked()
            )));
        }
        let (households, _) = self
            .ensure_households(conn, std::slice::from_ref(&rec), &now())
            .await?;
        let hh = rec.household_no.as_ref().map(|no| households[no]);
        let old_household: Option<i64> =
            sqlx::query("SELECT household_id FROM person WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?
                .try_get("household_id")?;
        let mut sql = Sql::new("UPDATE person SET ");
        for (i, (col, val)) in WRITE_COLUMNS
            .split(", ")
            .zip(rec.values.iter().cloned().chain([Val::Int(hh)]))
            .enumerate()
        {
            if col == "created_at" || col == "key_groups" {
                continue;
            }
            if i > 0 {
                sql.push(", ");
            }
            sql.push(col).push(" = ").bind(val);
        }
        sql.push(" WHERE id = ").bind(id);
        sql.query(self.backend).execute(&self.pool).await?;
        let touched: Vec<i64> = [old_household, hh].into_iter().flatten().collect();
        self.refresh_around(conn, &touched, &[id]).await
    }
}
