//! 零就业家庭 per month, counted in memory by the registry's own rule
//! ([`wenjiu_core::is_zero_employment_household`]), so that the monthly figure and the
//! households flagged in the registry agree; the same read tells whether a person's household
//! was one on a given day, for 就业困难人员就业 ([`super::difficulty`]). As one aggregate
//! query, each month's count checked every open unemployment registration's household for an
//! employed member by index searches (person by household, then employment by person): twelve
//! months of a registry of 260,000 people took 12 s per indicator, most of the demo province's
//! indicator refresh. Here the households with a member registered unemployed in the months
//! are read once for the three indicators — their members, and the members' registrations
//! that can matter, in three scans — and every day counted is decided from them.

use std::collections::HashMap;

use chrono::NaiveDate;
use wenjiu_core::{Hukou, MemberFacts, Month, RegionCode, Sex, is_zero_employment_household};

use super::compute::Counts;
use crate::Store;
use crate::bulk::Cells;
use crate::error::{Result, StoreError};
use crate::registry::{date_text, parse_date};
use crate::sql::Sql;

/// Registrations `u` of people `p` in a household that begin by the last day counted (`$1`)
/// and do not end before the first (`$2`).
const UNEMPLOYED_IN_DAYS: &str = "unemployment u JOIN person p ON p.id = u.person_id \
    WHERE p.household_id IS NOT NULL AND u.registered_on <= $1 \
    AND (u.ended_on IS NULL OR u.ended_on > $2)";

/// Both counts per household region and month, from one read.
pub(super) struct ZeroEmployment {
    /// The zero-employment households at the month's end.
    pub households: Counts,
    /// Those with a member starting a job in the month who was of a zero-employment
    /// household the day before (安置), once per household and month: also a household found
    /// and placed within the month, which is never one at a month's end.
    pub placed: Counts,
}

/// Registered on (started on), ended on: the registration covers the days from its start up
/// to, not including, its end, as the registry's status reads it.
type Span = (NaiveDate, Option<NaiveDate>);

fn covers((from, to): &Span, day: NaiveDate) -> bool {
    *from <= day && to.is_none_or(|t| t > day)
}

/// A member of a household, with the registrations that can matter in the months counted.
struct Member {
    hukou: Hukou,
    birth_date: NaiveDate,
    sex: Sex,
    unemployed: Vec<Span>,
    employed: Vec<Span>,
}

/// One household whose member was registered unemployed some day of the months.
struct Household {
    region: RegionCode,
    members: Vec<Member>,
}

impl Household {
    /// A zero-employment household on `day`, by the registry's rule.
    fn zero_on(&self, day: NaiveDate) -> bool {
        let facts: Vec<MemberFacts> = self
            .members
            .iter()
            .map(|m| MemberFacts {
                hukou: m.hukou,
                birth_date: m.birth_date,
                sex: m.sex,
                unemployed: m.unemployed.iter().any(|s| covers(s, day)),
                employed: m.employed.iter().any(|s| covers(s, day)),
            })
            .collect();
        is_zero_employment_household(&facts, day)
    }

    /// A member starting a job after `after`, up to `until`, while the household was a
    /// zero-employment household (on the day before the start).
    fn placed_in(&self, after: NaiveDate, until: NaiveDate) -> bool {
        self.members
            .iter()
            .flat_map(|m| &m.employed)
            .filter(|(from, _)| *from > after && *from <= until)
            .any(|(from, _)| from.pred_opt().is_some_and(|d| self.zero_on(d)))
    }
}

/// An id, a region and a registration's span, in cells 0 to 3.
pub(super) fn region_span_row(r: &dyn Cells) -> Result<(i64, RegionCode, Span)> {
    let region = r.required(1)?;
    let region =
        RegionCode::parse(region).map_err(|_| StoreError::Corrupt(format!("地区 {region}")))?;
    let span = (r.decode(2, parse_date)?, r.decode_opt(3, parse_date)?);
    Ok((r.required_int(0)?, region, span))
}

/// The households with a member registered unemployed some day of the months read, and
/// where each member is in them.
#[derive(Default)]
pub(super) struct Members {
    households: HashMap<i64, Household>,
    /// Person → household and place among its members.
    at: HashMap<i64, (i64, usize)>,
}

impl Members {
    fn add(&mut self, person: i64, household: i64, region: RegionCode, member: Member) {
        let h = self
            .households
            .entry(household)
            .or_insert_with(|| Household {
                region,
                members: Vec::new(),
            });
        self.at.insert(person, (household, h.members.len()));
        h.members.push(member);
    }

    fn get_mut(&mut self, person: i64) -> Option<&mut Member> {
        let (household, i) = self.at.get(&person)?;
        self.households.get_mut(household)?.members.get_mut(*i)
    }

    /// Whether `person`'s household was a zero-employment household on `day`, a day of the
    /// months read (or the last day before them). A household not read had no member
    /// registered unemployed then, so it was not one.
    pub(super) fn zero_on(&self, person: i64, day: NaiveDate) -> bool {
        self.at
            .get(&person)
            .and_then(|(household, _)| self.households.get(household))
            .is_some_and(|h| h.zero_on(day))
    }

    /// The zero-employment households and those placed, per household region and month.
    pub(super) fn zero_employment(&self, months: &[Month]) -> ZeroEmployment {
        let mut zero: HashMap<(RegionCode, Month), i64> = HashMap::new();
        let mut placed: HashMap<(RegionCode, Month), i64> = HashMap::new();
        for h in self.households.values() {
            for m in months {
                let (prev, end) = (m.pred().last_day(), m.last_day());
                if h.zero_on(end) {
                    *zero.entry((h.region, *m)).or_default() += 1;
                }
                if h.placed_in(prev, end) {
                    *placed.entry((h.region, *m)).or_default() += 1;
                }
            }
        }
        let counts = |c: HashMap<(RegionCode, Month), i64>| {
            c.into_iter().map(|((r, m), n)| (r, m, n)).collect()
        };
        ZeroEmployment {
            households: counts(zero),
            placed: counts(placed),
        }
    }
}

/// A person id and a registration's span, in cells 0 to 2.
fn person_span_row(r: &dyn Cells) -> Result<(i64, Span)> {
    let span = (r.decode(1, parse_date)?, r.decode_opt(2, parse_date)?);
    Ok((r.required_int(0)?, span))
}

/// A member: person, household and its region, birth date, sex, hukou, in cells 0 to 5.
fn member_row(r: &dyn Cells) -> Result<(i64, i64, RegionCode, Member)> {
    let region = r.required(2)?;
    let region =
        RegionCode::parse(region).map_err(|_| StoreError::Corrupt(format!("地区 {region}")))?;
    let member = Member {
        birth_date: r.decode(3, parse_date)?,
        sex: r.decode(4, Sex::parse)?,
        hukou: r.decode(5, Hukou::parse)?,
        unemployed: Vec::new(),
        employed: Vec::new(),
    };
    Ok((r.required_int(0)?, r.required_int(1)?, region, member))
}

impl Store {
    /// The households with a member registered unemployed some day of `months` (or on the
    /// last day before them), with all their members and the registrations that can matter.
    pub(super) async fn households_in(&self, months: &[Month]) -> Result<Members> {
        let mut members = Members::default();
        let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
            return Ok(members);
        };
        let days = (
            date_text(last.last_day()),
            date_text(first.pred().last_day()),
        );
        let candidates = format!("SELECT p.household_id FROM {UNEMPLOYED_IN_DAYS}");

        let mut sql = Sql::new(&format!(
            "SELECT q.id, q.household_id, h.region, q.birth_date, q.sex, q.hukou \
             FROM person q JOIN household h ON h.id = q.household_id \
             WHERE q.household_id IN ({candidates})"
        ));
        sql.arg(days.0.clone()).arg(days.1.clone());
        self.bulk(&sql, member_row, |rows| {
            for (person, household, region, member) in rows {
                members.add(person, household, region, member);
            }
            Ok(())
        })
        .await?;

        let mut sql = Sql::new(&format!(
            "SELECT u.person_id, u.registered_on, u.ended_on FROM {UNEMPLOYED_IN_DAYS}"
        ));
        sql.arg(days.0.clone()).arg(days.1.clone());
        self.read_spans(&sql, &mut members, |m| &mut m.unemployed)
            .await?;

        let mut sql = Sql::new(&format!(
            "SELECT e.person_id, e.start_date, e.end_date \
             FROM employment e JOIN person q ON q.id = e.person_id \
             WHERE e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date > $2) \
             AND q.household_id IN ({candidates})"
        ));
        sql.arg(days.0).arg(days.1);
        self.read_spans(&sql, &mut members, |m| &mut m.employed)
            .await?;
        Ok(members)
    }

    /// Reads `sql`'s rows (person, start, end) into the spans of the members `which` picks.
    async fn read_spans(
        &self,
        sql: &Sql,
        members: &mut Members,
        which: fn(&mut Member) -> &mut Vec<Span>,
    ) -> Result<()> {
        self.bulk(sql, person_span_row, |rows| {
            for (person, span) in rows {
                if let Some(m) = members.get_mut(person) {
                    which(m).push(span);
                }
            }
            Ok(())
        })
        .await
    }
}
