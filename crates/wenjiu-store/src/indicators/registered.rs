//! 城镇登记失业人数 per month, counted in memory: the registrations open at some month-end
//! counted are read in one scan, and each month-end is decided from them. A person who holds a
//! job that day is not counted: registered unemployment is of people without work, and the
//! registry's status (the home page's 登记失业) reads the same way. As one query
//! joining a table of month-ends with the registrations open at each, the database searched
//! the registrations once per month (a year of the demo province: 1.8 s, of which this
//! saves about 0.7 s side by side; BENCHMARKS.md).

use std::collections::{HashMap, HashSet};

use wenjiu_core::{Month, RegionCode};

use super::compute::Counts;
use super::households::{covers, person_span_row, region_span_row};
use crate::Store;
use crate::error::Result;
use crate::registry::date_text;
use crate::sql::Sql;

impl Store {
    /// The people with an unemployment registration open at each month's end and no job
    /// then, per the registration's region; a person once per region and month.
    pub(super) async fn registered_unemployed(&self, months: &[Month]) -> Result<Counts> {
        let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
            return Ok(Vec::new());
        };
        const OPEN: &str = "u.registered_on <= $1 AND (u.ended_on IS NULL OR u.ended_on > $2)";
        let days = (date_text(last.last_day()), date_text(first.last_day()));
        let mut sql = Sql::new(&format!(
            "SELECT u.person_id, u.region, u.registered_on, u.ended_on FROM unemployment u \
             WHERE {OPEN}"
        ));
        sql.arg(days.0.clone()).arg(days.1.clone());
        let ends: Vec<_> = months.iter().map(|m| (*m, m.last_day())).collect();
        let mut open: HashSet<(Month, RegionCode, i64)> = HashSet::new();
        self.bulk(&sql, region_span_row, |rows| {
            for (person, region, span) in rows {
                for (month, day) in &ends {
                    if covers(&span, *day) {
                        open.insert((*month, region, person));
                    }
                }
            }
            Ok(())
        })
        .await?;
        let mut jobs = Sql::new(&format!(
            "SELECT e.person_id, e.start_date, e.end_date FROM employment e \
             WHERE e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date > $2) \
             AND e.person_id IN (SELECT u.person_id FROM unemployment u WHERE {OPEN})"
        ));
        jobs.arg(days.0).arg(days.1);
        let mut working: HashSet<(Month, i64)> = HashSet::new();
        self.bulk(&jobs, person_span_row, |rows| {
            for (person, span) in rows {
                for (month, day) in &ends {
                    if covers(&span, *day) {
                        working.insert((*month, person));
                    }
                }
            }
            Ok(())
        })
        .await?;
        let mut counts: HashMap<(RegionCode, Month), i64> = HashMap::new();
        for (month, region, person) in open {
            if !working.contains(&(month, person)) {
                *counts.entry((region, month)).or_default() += 1;
            }
        }
        Ok(counts.into_iter().map(|((r, m), n)| (r, m, n)).collect())
    }
}
