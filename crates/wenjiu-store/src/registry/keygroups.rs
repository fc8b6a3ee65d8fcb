//! Re-deriving the key-group tags and registration status of people, and the
//! zero-employment flag of households, from their stored facts.
//!
//! Every write refreshes what it touched; `refresh_all` re-derives everything, because
//! time alone moves people into groups (six months of unemployment pass without a write).

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use wenjiu_core::{
    DifficultyCategory, Education, EmploymentKind, Hukou, MemberFacts, PersonFacts, Sex,
    derive_key_groups, is_zero_employment_household,
};

use super::person::PersonRecord;
use super::{date_text, decode, decode_opt, parse_date, tags_of, tags_text};
use crate::bulk::Cells;
use crate::error::Result;
use crate::sql::{Sql, Val};
use crate::{Store, now};

const CHUNK: usize = 500;

/// An unemployment registration `u` open on a date: begun `started` (`<= $1`) and not ended
/// `not_ended` (`> $1`).
pub(crate) fn unemployment_open(u: &str, started: &str, not_ended: &str) -> String {
    format!("{u}.registered_on {started} AND ({u}.ended_on IS NULL OR {u}.ended_on {not_ended})")
}

/// An employment registration `e` open on a date, as [`unemployment_open`].
pub(crate) fn employment_open(e: &str, started: &str, not_ended: &str) -> String {
    format!("{e}.start_date {started} AND ({e}.end_date IS NULL OR {e}.end_date {not_ended})")
}

/// The open registrations of each person `p` as correlated subqueries: the earliest open
/// unemployment's start, and the greatest kind (as text) of the open employments.
pub(crate) fn open_registrations(started: &str, not_ended: &str) -> String {
    format!(
        "(SELECT MIN(u.registered_on) FROM unemployment u WHERE u.person_id = p.id AND {}) \
         AS unemployed_since, \
         (SELECT MAX(e.kind) FROM employment e WHERE e.person_id = p.id AND {}) AS employed_kind",
        unemployment_open("u", started, not_ended),
        employment_open("e", started, not_ended)
    )
}

/// The columns of person `p` that [`person_own_facts`] reads, in this order.
macro_rules! person_columns {
    () => {
        "p.birth_date, p.sex, p.hukou, p.education, p.graduation_year, p.veteran, p.attributes"
    };
}
pub(crate) const PERSON_COLUMNS: &str = person_columns!();
pub(crate) const PERSON_COLUMNS_CELLS: usize = 7;

/// What [`person_facts`] reads, of person `p` and household `h`, in this order.
pub(crate) const PERSON_FACTS: &str = concat!(
    person_columns!(),
    ", COALESCE(h.zero_employment, 0) AS zero_household"
);
pub(crate) const PERSON_FACTS_CELLS: usize = PERSON_COLUMNS_CELLS + 1;

/// A person's facts from the [`PERSON_COLUMNS`] cells of a row from cell `at` on, without
/// their household's flag or the open registrations (the caller's, read with the row or
/// beside it).
pub(crate) fn person_own_facts(r: &dyn Cells, at: usize) -> Result<PersonFacts> {
    Ok(PersonFacts {
        birth_date: r.decode(at, parse_date)?,
        sex: r.decode(at + 1, Sex::parse)?,
        hukou: r.decode(at + 2, Hukou::parse)?,
        education: r.decode_opt(at + 3, Education::parse)?,
        graduation_year: r.int(at + 4)?.map(|y| y as i32),
        veteran: r.required_int(at + 5)? != 0,
        attributes: tags_of(r.required(at + 6)?),
        unemployed_since: None,
        employed: None,
        zero_household: false,
    })
}

/// A person's facts from the [`PERSON_FACTS`] cells of a row from cell `at` on, without the
/// open registrations.
pub(crate) fn person_facts(r: &dyn Cells, at: usize) -> Result<PersonFacts> {
    Ok(PersonFacts {
        zero_household: r.required_int(at + PERSON_COLUMNS_CELLS)? != 0,
        ..person_own_facts(r, at)?
    })
}

/// The open registrations as read by [`open_registrations`].
fn open_state(r: &AnyRow) -> Result<(Option<NaiveDate>, Option<EmploymentKind>)> {
    Ok((
        decode_opt(r, "unemployed_since", parse_date)?,
        decode_opt(r, "employed_kind", EmploymentKind::parse)?,
    ))
}

impl Store {
    /// Re-derives status and key groups of the given people.
    pub(crate) async fn refresh_people(&self, conn: &mut AnyConnection, ids: &[i64]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let today = self.today();
        let categories: Vec<_> = self
            .difficulty_categories()
            .await?
            .into_iter()
            .map(DifficultyCategory::from)
            .collect();
        for chunk in ids.chunks(CHUNK) {
            let mut sql = Sql::new(&format!(
                "SELECT {PERSON_FACTS}, {}, p.id, p.status, p.key_groups, p.difficulty \
                 FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE p.id IN ",
                open_registrations("<= $1", "> $1")
            ));
            sql.arg(date_text(today)); // $1 of the open registrations
            sql.bind_list(chunk.iter().map(|i| Val::from(*i)));
            let rows = sql.query(self.backend).fetch_all(&mut *conn).await?;
            let mut changed = Vec::new();
            for r in &rows {
                let (unemployed_since, employed) = open_state(r)?;
                let facts = PersonFacts {
                    unemployed_since,
                    employed,
                    ..person_facts(r, 0)?
                };
                let derived = derive_key_groups(&facts, today, &categories);
                let status = match (employed, unemployed_since) {
                    (Some(_), _) => "employed",
                    (None, Some(_)) => "unemployed",
                    _ => "none",
                };
                let groups = tags_text(derived.groups.iter().map(|g| g.code()));
                let difficulty = tags_text(derived.difficulty.iter().map(String::as_str));
                let unchanged = r.try_get::<String, _>("status")? == status
                    && r.try_get::<String, _>("key_groups")? == groups
                    && r.try_get::<String, _>("difficulty")?.trim() == difficulty.trim();
                if !unchanged {
                    changed.push(vec![
                        r.try_get::<i64, _>("id")?.into(),
                        status.into(),
                        groups.into(),
                        difficulty.trim().into(),
                    ]);
                }
            }
            if changed.is_empty() {
                continue;
            }
            // One statement for the chunk: per-row statements cost a round trip each.
            let mut update =
                Sql::with_values("d", &["id", "status", "groups", "difficulty"], changed);
            update.push(
                "UPDATE person SET status = d.status, key_groups = d.groups, \
                 difficulty = d.difficulty FROM d WHERE person.id = d.id",
            );
            update.query(self.backend).execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Re-derives the zero-employment flag of households. Returns the people of households
    /// whose flag changed, whose key groups then need refreshing: [`Store::refresh_around`]
    /// refreshes them with the people its caller touched, each once.
    pub(crate) async fn refresh_households(
        &self,
        conn: &mut AnyConnection,
        ids: &[i64],
    ) -> Result<Vec<i64>> {
        let today = self.today();
        let mut changed_people = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let mut sql = Sql::new(&format!(
                "SELECT p.id, p.household_id, p.hukou, p.birth_date, p.sex, h.zero_employment, {} \
                 FROM person p JOIN household h ON h.id = p.household_id WHERE p.household_id IN ",
                open_registrations("<= $1", "> $1")
            ));
            sql.arg(date_text(today));
            sql.bind_list(chunk.iter().map(|i| Val::from(*i)));
            let rows = sql.query(self.backend).fetch_all(&mut *conn).await?;
            let mut members: HashMap<i64, (bool, Vec<MemberFacts>, Vec<i64>)> = HashMap::new();
            for r in &rows {
                let (unemployed_since, employed) = open_state(r)?;
                let entry = members
                    .entry(r.try_get("household_id")?)
                    .or_insert_with(|| {
                        (
                            r.try_get::<i64, _>("zero_employment").unwrap_or(0) != 0,
                            Vec::new(),
                            Vec::new(),
                        )
                    });
                entry.1.push(MemberFacts {
                    hukou: decode(r, "hukou", Hukou::parse)?,
                    birth_date: decode(r, "birth_date", parse_date)?,
                    sex: decode(r, "sex", Sex::parse)?,
                    unemployed: unemployed_since.is_some(),
                    employed: employed.is_some(),
                });
                entry.2.push(r.try_get("id")?);
            }
            let mut flips = Vec::new();
            for (hh, (was_zero, facts, people)) in members {
                let zero = is_zero_employment_household(&facts, today);
                if zero != was_zero {
                    flips.push(vec![hh.into(), zero.into()]);
                    changed_people.extend(people);
                }
            }
            if !flips.is_empty() {
                let mut update = Sql::with_values("f", &["id", "zero"], flips);
                update
                    .push("UPDATE household SET zero_employment = f.zero, updated_at = ")
                    .bind(now())
                    .push(" FROM f WHERE household.id = f.id");
                update.query(self.backend).execute(&mut *conn).await?;
            }
        }
        Ok(changed_people)
    }

    /// Re-derives the flags of `households`, then the key groups of `people` and of the
    /// members of households whose flag changed, each person once.
    pub(crate) async fn refresh_around(
        &self,
        conn: &mut AnyConnection,
        households: &[i64],
        people: &[i64],
    ) -> Result<()> {
        let mut all = self.refresh_households(conn, households).await?;
        all.extend_from_slice(people);
        all.sort_unstable();
        all.dedup();
        self.refresh_people(conn, &all).await
    }

    /// Households of the given people.
    pub(crate) async fn households_of(
        &self,
        conn: &mut AnyConnection,
        people: &[i64],
    ) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for chunk in people.chunks(CHUNK) {
            let mut sql = Sql::new(
                "SELECT DISTINCT household_id FROM person WHERE household_id IS NOT NULL AND id IN ",
            );
            sql.bind_list(chunk.iter().map(|i| Val::from(*i)));
            for r in sql.query(self.backend).fetch_all(&mut *conn).await? {
                out.push(r.try_get("household_id")?);
            }
        }
        Ok(out)
    }

    /// After people were written by a batch stamped `at`: those who joined a household that
    /// existed before may change its zero-employment flag (their hukou counts) or take on
    /// its flag. Households new in this batch hold only new people without registrations,
    /// so their flag is already right and they are skipped.
    pub(crate) async fn refresh_joiners(
        &self,
        conn: &mut AnyConnection,
        recs: &[&PersonRecord],
        at: &str,
    ) -> Result<()> {
        let mut people = Vec::new();
        let mut households = Vec::new();
        for chunk in recs.chunks(CHUNK) {
            let mut sql = Sql::new(
                "SELECT p.id, p.household_id FROM person p JOIN household h ON h.id = p.household_id \
                 WHERE h.updated_at <> ",
            );
            sql.bind(at).push(" AND p.id_index IN ");
            sql.bind_list(chunk.iter().map(|r| Val::from(r.id_index.as_str())));
            for r in sql.query(self.backend).fetch_all(&mut *conn).await? {
                people.push(r.try_get("id")?);
                households.push(r.try_get("household_id")?);
            }
        }
        households.sort_unstable();
        households.dedup();
        self.refresh_around(conn, &households, &people).await
    }

    /// After registrations changed for these people: their households, then themselves.
    pub(crate) async fn refresh_after_registrations(
        &self,
        conn: &mut AnyConnection,
        people: &[i64],
    ) -> Result<()> {
        let households = self.households_of(conn, people).await?;
        self.refresh_around(conn, &households, people).await
    }

    /// Re-derives every household and person, in id order, reporting progress as the
    /// number of people done.
    pub async fn refresh_all(&self, mut progress: impl FnMut(u64)) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let mut after = 0i64;
        loop {
            let rows = sqlx::query("SELECT id FROM household WHERE id > $1 ORDER BY id LIMIT 5000")
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let ids = rows
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<std::result::Result<Vec<i64>, _>>()?;
            // Every person is refreshed next, those of flipped households among them.
            self.refresh_households(&mut conn, &ids).await?;
        }
        let mut after = 0i64;
        let mut done = 0u64;
        loop {
            let rows = sqlx::query("SELECT id FROM person WHERE id > $1 ORDER BY id LIMIT 5000")
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let ids = rows
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<std::result::Result<Vec<i64>, _>>()?;
            self.refresh_people(&mut conn, &ids).await?;
            done += ids.len() as u64;
            progress(done);
        }
        Ok(())
    }
}
