//! Re-deriving the key-group tags and registration status of people, and the
//! zero-employment flag of households, from their stored facts.
//!
//! Every write refreshes what it touched; `refresh_all` re-derives everything, because
//! time alone moves people into groups (six months of unemployment pass without a write).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::Row;
use wenjiu_core::{
    Education, EmploymentKind, Hukou, IndustryCode, MemberFacts, PersonFacts, PersonStatus, Sex,
    derive_key_groups, is_zero_employment_household,
};

use super::person::PersonRecord;
use super::{date_text, parse_date, tags_of, tags_text};
use crate::bulk::Cells;
use crate::conn::Conn;
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

/// [`EmploymentKind::PRIORITY`] as an SQL rank of the kind column `kind`.
fn kind_rank_sql(kind: &str) -> String {
    let whens: Vec<String> = EmploymentKind::PRIORITY
        .iter()
        .map(|k| format!("WHEN '{}' THEN {}", k.code(), k.priority()))
        .collect();
    format!(
        "CASE {kind} {} ELSE {} END",
        whens.join(" "),
        EmploymentKind::PRIORITY.len()
    )
}

/// The open registrations of each person `p` as correlated subqueries: the earliest open
/// unemployment's start, the kind of the open employments first in
/// [`EmploymentKind::PRIORITY`], and how many of them are off the farm ([`off_farm_sql`]).
pub(crate) fn open_registrations(started: &str, not_ended: &str) -> String {
    format!(
        "(SELECT MIN(u.registered_on) FROM unemployment u WHERE u.person_id = p.id AND {}) \
         AS unemployed_since, \
         (SELECT e.kind FROM employment e WHERE e.person_id = p.id AND {} ORDER BY {} LIMIT 1) \
         AS employed_kind, \
         (SELECT COUNT(*) FROM employment e LEFT JOIN enterprise x ON x.id = e.enterprise_id \
         WHERE e.person_id = p.id AND {} AND {}) AS off_farm",
        unemployment_open("u", started, not_ended),
        employment_open("e", started, not_ended),
        kind_rank_sql("e.kind"),
        employment_open("e", started, not_ended),
        off_farm_sql("x")
    )
}

/// An employment is off the farm unless its employer `x` (joined, if any) is in agriculture.
pub(crate) fn off_farm_sql(x: &str) -> String {
    format!(
        "({x}.industry IS NULL OR {x}.industry <> '{}')",
        IndustryCode::Agriculture.as_str()
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
        off_farm: false,
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

/// The cells [`open_registrations`] adds.
pub(crate) const OPEN_CELLS: usize = 3;

/// `facts` with the open registrations as read by [`open_registrations`] from cell `at` on.
pub(crate) fn with_open(facts: PersonFacts, r: &dyn Cells, at: usize) -> Result<PersonFacts> {
    Ok(PersonFacts {
        unemployed_since: r.decode_opt(at, parse_date)?,
        employed: r.decode_opt(at + 1, EmploymentKind::parse)?,
        off_farm: r.required_int(at + 2)? > 0,
        ..facts
    })
}

/// A person as the refresh reads them: their facts with the open registrations, their
/// household, and the derived values stored now.
struct Stored {
    id: i64,
    household: Option<i64>,
    facts: PersonFacts,
    status: String,
    groups: String,
    difficulty: String,
}

impl Stored {
    fn member(&self) -> MemberFacts {
        MemberFacts {
            hukou: self.facts.hukou,
            birth_date: self.facts.birth_date,
            sex: self.facts.sex,
            unemployed: self.facts.unemployed_since.is_some(),
            employed: self.facts.employed.is_some(),
        }
    }
}

impl Store {
    /// The people whose `column` (`id` or `household_id`) is one of `ids`, as they stand on
    /// `today`.
    async fn read_stored(
        &self,
        conn: &mut Conn<'_>,
        column: &str,
        ids: &[i64],
        today: NaiveDate,
    ) -> Result<Vec<Stored>> {
        let mut sql = Sql::new(&format!(
            "SELECT {PERSON_FACTS}, {}, p.id, p.household_id, p.status, p.key_groups, p.difficulty \
             FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE p.{column} IN ",
            open_registrations("<= $1", "> $1")
        ));
        sql.arg(date_text(today)); // $1 of the open registrations
        sql.bind_list(ids.iter().map(|i| Val::from(*i)));
        conn.rows(&sql, |r| {
            let at = PERSON_FACTS_CELLS + OPEN_CELLS;
            Ok(Stored {
                id: r.required_int(at)?,
                household: r.int(at + 1)?,
                facts: with_open(person_facts(r, 0)?, r, PERSON_FACTS_CELLS)?,
                status: r.required(at + 2)?.to_string(),
                groups: r.required(at + 3)?.to_string(),
                difficulty: r.required(at + 4)?.to_string(),
            })
        })
        .await
    }

    /// Re-derives the zero-employment flag of the households of `members` (every member of
    /// each) and writes the flags that changed. Returns the changed households and their
    /// new flag.
    async fn flag_households(
        &self,
        conn: &mut Conn<'_>,
        members: &[Stored],
        today: NaiveDate,
    ) -> Result<HashMap<i64, bool>> {
        let mut households: HashMap<i64, (bool, Vec<MemberFacts>)> = HashMap::new();
        for m in members {
            let Some(hh) = m.household else { continue };
            let entry = households
                .entry(hh)
                .or_insert_with(|| (m.facts.zero_household, Vec::new()));
            entry.1.push(m.member());
        }
        let flips: HashMap<i64, bool> = households
            .into_iter()
            .filter_map(|(hh, (was_zero, facts))| {
                let zero = is_zero_employment_household(&facts, today);
                (zero != was_zero).then_some((hh, zero))
            })
            .collect();
        if !flips.is_empty() {
            // In id order: neighbouring rows share pages.
            let mut rows: Vec<(i64, bool)> = flips.iter().map(|(hh, zero)| (*hh, *zero)).collect();
            rows.sort_unstable();
            let rows = rows
                .into_iter()
                .map(|(hh, zero)| vec![hh.into(), zero.into()]);
            let mut update = Sql::with_values("f", &["id", "zero"], rows);
            update
                .push("UPDATE household SET zero_employment = f.zero, updated_at = ")
                .bind(now())
                .push(" FROM f WHERE household.id = f.id");
            conn.execute(&update).await?;
        }
        Ok(flips)
    }

    /// Clears the flag of those of `households` left without members (all moved out), which
    /// the members' facts cannot reach.
    async fn unflag_empty(conn: &mut Conn<'_>, households: &[i64]) -> Result<()> {
        let mut sql = Sql::new("UPDATE household SET zero_employment = 0, updated_at = ");
        sql.bind(now())
            .push(" WHERE zero_employment <> 0 AND id IN ")
            .bind_list(households.iter().map(|h| Val::from(*h)))
            .push(" AND NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = household.id)");
        conn.execute(&sql).await
    }

    /// Derives status and key groups of `people` and writes those that changed.
    async fn write_derived(
        &self,
        conn: &mut Conn<'_>,
        people: &[Stored],
        today: NaiveDate,
    ) -> Result<()> {
        if people.is_empty() {
            return Ok(()); // without reading the code table
        }
        let categories = self.difficulty_rules().await?;
        let mut people: Vec<&Stored> = people.iter().collect();
        // In id order: neighbouring rows share pages.
        people.sort_unstable_by_key(|p| p.id);
        let changed: Vec<Vec<Val>> = people
            .into_iter()
            .filter_map(|p| {
                let derived = derive_key_groups(&p.facts, today, &categories);
                let status = match (p.facts.employed, p.facts.unemployed_since) {
                    (Some(_), _) => PersonStatus::Employed,
                    (None, Some(_)) => PersonStatus::Unemployed,
                    _ => PersonStatus::None,
                }
                .code();
                let groups = tags_text(derived.groups.iter().map(|g| g.code()));
                let difficulty = tags_text(derived.difficulty.iter().map(String::as_str));
                let difficulty = difficulty.trim();
                let unchanged =
                    p.status == status && p.groups == groups && p.difficulty.trim() == difficulty;
                (!unchanged)
                    .then(|| vec![p.id.into(), status.into(), groups.into(), difficulty.into()])
            })
            .collect();
        for chunk in changed.chunks(CHUNK) {
            // One statement for the chunk: per-row statements cost a round trip each.
            let mut update = Sql::with_values(
                "d",
                &["id", "status", "groups", "difficulty"],
                chunk.to_vec(),
            );
            update.push(
                "UPDATE person SET status = d.status, key_groups = d.groups, \
                 difficulty = d.difficulty FROM d WHERE person.id = d.id",
            );
            conn.execute(&update).await?;
        }
        Ok(())
    }

    /// Re-derives the flags of `households`, then the status and key groups of `people` and
    /// of the members of households whose flag changed, each person once and read once.
    pub(crate) async fn refresh_around(
        &self,
        conn: &mut Conn<'_>,
        households: &[i64],
        people: &[i64],
    ) -> Result<()> {
        let today = self.today();
        let mut wanted: HashSet<i64> = people.iter().copied().collect();
        let mut derive = Vec::new();
        let mut households = households.to_vec();
        households.sort_unstable();
        households.dedup();
        for chunk in households.chunks(CHUNK) {
            let members = self.read_stored(conn, "household_id", chunk, today).await?;
            let flips = self.flag_households(conn, &members, today).await?;
            Self::unflag_empty(conn, chunk).await?;
            for mut m in members {
                if let Some(zero) = m.household.and_then(|hh| flips.get(&hh)) {
                    m.facts.zero_household = *zero;
                    wanted.insert(m.id);
                }
                // Read here, so not read again below.
                if wanted.remove(&m.id) {
                    derive.push(m);
                }
            }
        }
        let mut rest: Vec<i64> = wanted.into_iter().collect();
        rest.sort_unstable();
        for chunk in rest.chunks(CHUNK) {
            derive.extend(self.read_stored(conn, "id", chunk, today).await?);
        }
        self.write_derived(conn, &derive, today).await
    }

    /// Households of the given people.
    pub(crate) async fn households_of(
        &self,
        conn: &mut Conn<'_>,
        people: &[i64],
    ) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        for chunk in people.chunks(CHUNK) {
            let mut sql = Sql::new(
                "SELECT DISTINCT household_id FROM person WHERE household_id IS NOT NULL AND id IN ",
            );
            sql.bind_list(chunk.iter().map(|i| Val::from(*i)));
            out.extend(conn.rows(&sql, |r| r.required_int(0)).await?);
        }
        Ok(out)
    }

    /// After people were written by a batch stamped `at`, those of them who joined a
    /// household that existed before (one of `old_households`): they may change its
    /// zero-employment flag (their hukou counts) or take on its flag. Households new in this
    /// batch hold only new people without registrations, so their flag is already right and
    /// they are skipped.
    pub(crate) async fn joiners(
        &self,
        conn: &mut Conn<'_>,
        recs: &[PersonRecord],
        old_households: &HashSet<String>,
        at: &str,
    ) -> Result<Vec<i64>> {
        let joined: Vec<&PersonRecord> = recs
            .iter()
            .filter(|r| (r.household_no.as_ref()).is_some_and(|h| old_households.contains(h)))
            .collect();
        let mut people = Vec::new();
        for chunk in joined.chunks(CHUNK) {
            let mut sql = Sql::new(
                "SELECT p.id FROM person p JOIN household h ON h.id = p.household_id \
                 WHERE h.updated_at <> ",
            );
            sql.bind(at).push(" AND p.id_index IN ");
            sql.bind_list(chunk.iter().map(|r| Val::from(r.id_index.as_str())));
            people.extend(conn.rows(&sql, |r| r.required_int(0)).await?);
        }
        Ok(people)
    }

    /// After registrations (or the household) of these people changed: their households,
    /// then themselves. A caller writing many batches in one transaction gathers the people
    /// and refreshes once before committing: each person is then re-derived once.
    pub(crate) async fn refresh_after_registrations(
        &self,
        conn: &mut Conn<'_>,
        people: &[i64],
    ) -> Result<()> {
        let mut people = people.to_vec();
        people.sort_unstable();
        people.dedup();
        let households = self.households_of(conn, &people).await?;
        self.refresh_around(conn, &households, &people).await
    }

    /// Re-derives everyone ([`Store::refresh_all`]) unless that was done on the business
    /// date already; returns whether it did. The date is kept in the database, so that a
    /// restarted server knows it.
    pub async fn refresh_if_stale(&self) -> Result<bool> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT derived_on FROM derivation WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        if stored == Some(super::date_text(self.today())) {
            return Ok(false);
        }
        self.refresh_all(|_| {}).await?;
        self.mark_derived().await?;
        Ok(true)
    }

    /// Records that everyone's status and key groups stand as of the business date: after a
    /// full refresh, or a load whose writes derived each person they touched on that date.
    pub async fn mark_derived(&self) -> Result<()> {
        sqlx::query(
            "INSERT INTO derivation (id, derived_on) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET derived_on = excluded.derived_on",
        )
        .bind(super::date_text(self.today()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Re-derives every household and person, in id order, reporting progress as the
    /// number of people done.
    pub async fn refresh_all(&self, mut progress: impl FnMut(u64)) -> Result<()> {
        let mut pooled = self.pool.acquire().await?;
        let conn = &mut self.on(&mut pooled);
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
            // Every person is refreshed next; the members of flipped households are now.
            self.refresh_around(conn, &ids, &[]).await?;
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
            self.refresh_around(conn, &[], &ids).await?;
            done += ids.len() as u64;
            progress(done);
        }
        self.fold_tallies().await
    }
}
