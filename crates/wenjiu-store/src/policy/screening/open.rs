//! Everyone's open registrations on a date, for the person frame: the open unemployment and
//! the open employment registrations read in one scan of each table, sorted by person in
//! memory, and taken up person by person as the people are read in id order. The correlated
//! subqueries of [`open_registrations`] cost an index search per person and table, which
//! was most of the SQL time of a screening; they stay for the few people of a registry write.
//! Likewise the zero-employment households among theirs, rather than a join of every person
//! with their household.
//!
//! The registrations are those of the whole registry, also when a region is screened: their
//! own region is where the work or the registration is, not where the person lives.
//!
//! [`open_registrations`]: crate::registry::keygroups::open_registrations

use std::collections::HashSet;

use chrono::NaiveDate;
use wenjiu_core::{EmploymentKind, IndustryCode, PersonFacts};
use wenjiu_rules::SubjectKind;

use crate::Store;
use crate::bulk::Cells;
use crate::error::Result;
use crate::policy::screening::within::Within;
use crate::registry::keygroups::{employment_open, unemployment_open};
use crate::registry::{date_text, parse_date};
use crate::sql::Sql;

fn unemployment_row(r: &dyn Cells) -> Result<(i64, NaiveDate)> {
    Ok((r.required_int(0)?, r.decode(1, parse_date)?))
}

/// person, kind, employer
fn employment_row(r: &dyn Cells) -> Result<(i64, EmploymentKind, Option<i64>)> {
    Ok((
        r.required_int(0)?,
        r.decode(1, EmploymentKind::parse)?,
        r.int(2)?,
    ))
}

/// The open registrations, by person; a cursor for people taken in increasing id order.
pub(super) struct OpenOn {
    /// person, registered on
    unemployment: Vec<(i64, NaiveDate)>,
    /// person, kind, employer
    employment: Vec<(i64, EmploymentKind, Option<i64>)>,
    /// The employers in agriculture: work for them is not off the farm ([`off_farm_sql`]).
    ///
    /// [`off_farm_sql`]: crate::registry::keygroups::off_farm_sql
    farms: HashSet<i64>,
    u: usize,
    e: usize,
    /// The zero-employment households of the people held.
    zero_households: HashSet<i64>,
}

/// The entries of `person` from `*at` on (after skipping those of smaller ids: people not
/// screened), moving `*at` past them.
fn of_person<'a, T>(rows: &'a [T], at: &mut usize, person: i64, id: fn(&T) -> i64) -> &'a [T] {
    while rows.get(*at).is_some_and(|r| id(r) < person) {
        *at += 1;
    }
    let start = *at;
    while rows.get(*at).is_some_and(|r| id(r) == person) {
        *at += 1;
    }
    &rows[start..*at]
}

impl OpenOn {
    /// Sorts the rows by person. In a plain function on purpose: instantiated inside the async
    /// read, the sort was compiled as the calling crate is — unoptimized in debug builds —
    /// and took 20 times as long.
    fn new(
        mut unemployment: Vec<(i64, NaiveDate)>,
        mut employment: Vec<(i64, EmploymentKind, Option<i64>)>,
        farms: HashSet<i64>,
        zero_households: HashSet<i64>,
    ) -> OpenOn {
        unemployment.sort_unstable_by_key(|r| r.0);
        employment.sort_unstable_by_key(|r| r.0);
        OpenOn {
            unemployment,
            employment,
            farms,
            u: 0,
            e: 0,
            zero_households,
        }
    }

    /// Sets the open registrations of `person` in `facts` as [`open_registrations`] does —
    /// the earliest open unemployment's start, the open employment kind first in
    /// [`EmploymentKind::PRIORITY`], whether one is off the farm — and whether `household`
    /// is a zero-employment household.
    ///
    /// [`open_registrations`]: crate::registry::keygroups::open_registrations
    pub fn take(&mut self, person: i64, household: Option<i64>, facts: &mut PersonFacts) {
        facts.zero_household = household.is_some_and(|h| self.zero_households.contains(&h));
        let unemployment = of_person(&self.unemployment, &mut self.u, person, |r| r.0);
        facts.unemployed_since = unemployment.iter().map(|r| r.1).min();
        let employment = of_person(&self.employment, &mut self.e, person, |r| r.0);
        facts.employed = employment
            .iter()
            .map(|r| r.1)
            .min_by_key(EmploymentKind::priority);
        facts.off_farm = employment
            .iter()
            .any(|r| r.2.is_none_or(|e| !self.farms.contains(&e)));
    }
}

impl Store {
    /// The registrations open on `date` of the people `within` holds.
    pub(super) async fn open_on(&self, within: Within<'_>, date: NaiveDate) -> Result<OpenOn> {
        let unemployment = self
            .person_rows(
                "unemployment u",
                "u.person_id, u.registered_on",
                unemployment_open("u", "<= $1", "> $1"),
                (within, "u.person_id"),
                date,
                unemployment_row,
            )
            .await?;
        let employment = self
            .person_rows(
                "employment e",
                "e.person_id, e.kind, e.enterprise_id",
                employment_open("e", "<= $1", "> $1"),
                (within, "e.person_id"),
                date,
                employment_row,
            )
            .await?;
        // Few households have no one employed: each is checked for a member held.
        let mut sql = Sql::new(
            "SELECT h.id FROM household h WHERE h.zero_employment <> 0 \
             AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id",
        );
        within.restrict(&mut sql, SubjectKind::Person, "p.id", Some("p.region"));
        sql.push(")");
        let zero_households = self.ids(&sql).await?;
        // A few employers: read once rather than joined to every employment (a third more
        // time for a province's million open employments on SQLite).
        let mut sql = Sql::new("SELECT id FROM enterprise WHERE industry = ");
        sql.bind(IndustryCode::Agriculture.as_str());
        let farms = self.ids(&sql).await?;
        Ok(OpenOn::new(
            unemployment,
            employment,
            farms,
            zero_households,
        ))
    }

    /// The ids `sql` selects.
    async fn ids(&self, sql: &Sql) -> Result<HashSet<i64>> {
        let mut ids = HashSet::new();
        self.bulk(
            sql,
            |r| r.required_int(0),
            |batch| {
                ids.extend(batch);
                Ok(())
            },
        )
        .await?;
        Ok(ids)
    }

    /// `columns` of the rows of `table` that meet `condition` on `date` (its `$1`), such as
    /// being open then, of the people `within` holds (its person column).
    pub(super) async fn person_rows<T: Send + 'static>(
        &self,
        table: &str,
        columns: &str,
        condition: String,
        (within, person): (Within<'_>, &str),
        date: NaiveDate,
        map: fn(&dyn Cells) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut sql = Sql::new(&format!("SELECT {columns} FROM {table} WHERE {condition}"));
        sql.arg(date_text(date));
        within.restrict(&mut sql, SubjectKind::Person, person, None);
        let mut rows = Vec::new();
        self.bulk(&sql, map, |batch| {
            rows.extend(batch);
            Ok(())
        })
        .await?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenjiu_core::{Hukou, Sex};

    /// Off the farm as the correlated read says it: any open employment but one for an
    /// employer in agriculture.
    #[test]
    fn work_for_a_farm_alone_is_not_off_the_farm() {
        let (farm, factory) = (10, 11);
        let employment = vec![
            (4, EmploymentKind::Flexible, None),
            (1, EmploymentKind::Employer, Some(farm)),
            (2, EmploymentKind::Employer, Some(factory)),
            (3, EmploymentKind::Flexible, None),
            (4, EmploymentKind::Employer, Some(farm)),
        ];
        let mut open = OpenOn::new(
            Vec::new(),
            employment,
            HashSet::from([farm]),
            HashSet::new(),
        );
        let off_farm: Vec<(bool, Option<EmploymentKind>)> = (1..=5)
            .map(|person| {
                let mut facts = PersonFacts {
                    birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
                    sex: Sex::Male,
                    hukou: Hukou::Rural,
                    education: None,
                    graduation_year: None,
                    veteran: false,
                    attributes: Vec::new(),
                    unemployed_since: None,
                    employed: None,
                    off_farm: false,
                    zero_household: false,
                };
                open.take(person, None, &mut facts);
                (facts.off_farm, facts.employed)
            })
            .collect();
        use EmploymentKind::{Employer, Flexible};
        assert_eq!(
            off_farm,
            [
                (false, Some(Employer)),
                (true, Some(Employer)),
                (true, Some(Flexible)),
                // Farm hand and flexible worker at once: off the farm too.
                (true, Some(Employer)),
                (false, None),
            ]
        );
    }
}
