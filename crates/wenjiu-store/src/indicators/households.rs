//! 零就业家庭 per month, counted in memory. As one aggregate query, each month's count checked
//! every open unemployment registration's household for an employed member by index searches
//! (person by household, then employment by person): twelve months of a registry of 260,000
//! people took 12 s per indicator, most of the demo province's indicator refresh. Here the
//! households' unemployment and employment registrations that can matter in the months are read
//! once for both indicators, in two scans, and every month-end is decided from them.

use std::collections::HashMap;

use chrono::NaiveDate;
use wenjiu_core::{Month, RegionCode};

use super::compute::Counts;
use crate::Store;
use crate::bulk::Cells;
use crate::error::{Result, StoreError};
use crate::registry::{date_text, parse_date};
use crate::sql::Sql;

/// Urban people's unemployment registrations, as `u` with the person `p`.
const URBAN_UNEMPLOYMENT: &str =
    "unemployment u JOIN person p ON p.id = u.person_id AND p.hukou = 'urban'";

/// Registrations that begin by the last day counted (`$1`) and do not end before the first
/// (`$2`).
const IN_DAYS: &str = "u.registered_on <= $1 AND (u.ended_on IS NULL OR u.ended_on > $2)";

/// Both counts per household region and month, from one read.
pub(super) struct ZeroEmployment {
    /// The zero-employment households at the month's end.
    pub households: Counts,
    /// Those at the previous month's end with a member starting a job in the month (安置).
    pub placed: Counts,
}

/// Registered on, ended on.
type Span = (NaiveDate, Option<NaiveDate>);

/// One household's registrations, as far as the months counted need them.
struct Household {
    region: RegionCode,
    /// Its urban members' unemployment registrations.
    unemployed: Vec<Span>,
    /// All its members' employment registrations: start, end.
    employed: Vec<Span>,
}

impl Household {
    /// A member registered unemployed on `day` and none employed: a zero-employment household.
    fn zero_on(&self, day: NaiveDate) -> bool {
        let unemployed = |(from, to): &Span| *from <= day && to.is_none_or(|t| t > day);
        let employed = |(from, to): &Span| *from <= day && to.is_none_or(|t| t >= day);
        self.unemployed.iter().any(unemployed) && !self.employed.iter().any(employed)
    }

    /// A member starting a job after `after`, up to `until`.
    fn hired_in(&self, after: NaiveDate, until: NaiveDate) -> bool {
        self.employed
            .iter()
            .any(|(from, _)| *from > after && *from <= until)
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

fn employed_row(r: &dyn Cells) -> Result<(i64, Span)> {
    let span = (r.decode(1, parse_date)?, r.decode_opt(2, parse_date)?);
    Ok((r.required_int(0)?, span))
}

impl Store {
    /// The zero-employment households and those placed, per household region and month.
    pub(super) async fn zero_employment(&self, months: &[Month]) -> Result<ZeroEmployment> {
        let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
            return Ok(ZeroEmployment {
                households: Vec::new(),
                placed: Vec::new(),
            });
        };
        let days = (
            date_text(last.last_day()),
            date_text(first.pred().last_day()),
        );
        let mut households: HashMap<i64, Household> = HashMap::new();

        let mut sql = Sql::new(&format!(
            "SELECT h.id, h.region, u.registered_on, u.ended_on FROM {URBAN_UNEMPLOYMENT} \
             JOIN household h ON h.id = p.household_id WHERE {IN_DAYS}"
        ));
        sql.arg(days.0.clone()).arg(days.1.clone());
        self.bulk(&sql, region_span_row, |rows| {
            for (id, region, span) in rows {
                let h = households.entry(id).or_insert_with(|| Household {
                    region,
                    unemployed: Vec::new(),
                    employed: Vec::new(),
                });
                h.unemployed.push(span);
            }
            Ok(())
        })
        .await?;

        let mut sql = Sql::new(&format!(
            "SELECT q.household_id, e.start_date, e.end_date \
             FROM employment e JOIN person q ON q.id = e.person_id \
             WHERE e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date >= $2) \
             AND q.household_id IN \
             (SELECT p.household_id FROM {URBAN_UNEMPLOYMENT} WHERE {IN_DAYS})"
        ));
        sql.arg(days.0).arg(days.1);
        self.bulk(&sql, employed_row, |rows| {
            for (id, span) in rows {
                if let Some(h) = households.get_mut(&id) {
                    h.employed.push(span);
                }
            }
            Ok(())
        })
        .await?;

        let mut zero: HashMap<(RegionCode, Month), i64> = HashMap::new();
        let mut placed: HashMap<(RegionCode, Month), i64> = HashMap::new();
        for h in households.values() {
            for m in months {
                let (prev, end) = (m.pred().last_day(), m.last_day());
                if h.zero_on(end) {
                    *zero.entry((h.region, *m)).or_default() += 1;
                }
                if h.zero_on(prev) && h.hired_in(prev, end) {
                    *placed.entry((h.region, *m)).or_default() += 1;
                }
            }
        }
        let counts = |c: HashMap<(RegionCode, Month), i64>| {
            c.into_iter().map(|((r, m), n)| (r, m, n)).collect()
        };
        Ok(ZeroEmployment {
            households: counts(zero),
            placed: counts(placed),
        })
    }
}
