//! 就业困难人员就业人数: of the people counted in 城镇新就业 (a new urban job, a person once a
//! year), those who were 就业困难人员 the day before the job began — registered unemployed that
//! day and of an enabled difficulty category on that day, by the registry's own rule
//! ([`wenjiu_core::derive_key_groups`]). Their category today cannot tell: it lapses with the
//! unemployment the job ended, so counting today's category found almost no one.

use std::collections::HashMap;

use chrono::NaiveDate;
use wenjiu_core::{Month, PersonFacts, RegionCode, derive_key_groups};

use super::compute::{Counts, day_before, in_year, new_jobs};
use super::households::Members;
use crate::Store;
use crate::bulk::Cells;
use crate::error::{Result, StoreError};
use crate::registry::keygroups::{
    PERSON_COLUMNS, PERSON_COLUMNS_CELLS, person_own_facts, unemployment_open,
};
use crate::registry::parse_date;
use crate::sql::Sql;

/// A person's first new job of the year: where and when it began, whose, and the person's
/// facts the day before (registered unemployed since, if so).
struct FirstJob {
    region: RegionCode,
    start: NaiveDate,
    person: i64,
    facts: PersonFacts,
}

/// Region, start, person, then the [`PERSON_COLUMNS`] and the start of the unemployment
/// registration open the day before (cells 0, 1, 2, 3.., last).
fn first_job_row(r: &dyn Cells) -> Result<FirstJob> {
    let region = r.required(0)?;
    let region =
        RegionCode::parse(region).map_err(|_| StoreError::Corrupt(format!("登记地区 {region}")))?;
    let mut facts = person_own_facts(r, 3)?;
    facts.unemployed_since = r.decode_opt(3 + PERSON_COLUMNS_CELLS, parse_date)?;
    Ok(FirstJob {
        region,
        start: r.decode(1, parse_date)?,
        person: r.required_int(2)?,
        facts,
    })
}

impl Store {
    /// The people of 城镇新就业 in `year` who were 就业困难人员 the day before their job,
    /// per the job's region and month. `households` answers whether a person's household was
    /// a zero-employment household that day (a category of its own).
    pub(super) async fn difficulty_employed(
        &self,
        year: i32,
        households: &Members,
    ) -> Result<Counts> {
        let day = day_before(self.backend, "t.start_date");
        let open = unemployment_open("u", &format!("<= {day}"), &format!("> {day}"));
        let mut sql = Sql::new(&format!(
            "SELECT t.region, t.start_date, t.person_id, {PERSON_COLUMNS}, \
             (SELECT MIN(u.registered_on) FROM unemployment u \
              WHERE u.person_id = t.person_id AND {open}) AS unemployed_since \
             FROM ({}) t JOIN person p ON p.id = t.person_id WHERE t.nth = 1",
            new_jobs(self.backend)
        ));
        in_year(&mut sql, year);
        let categories = self.difficulty_rules().await?;
        let mut counts: HashMap<(RegionCode, Month), i64> = HashMap::new();
        self.bulk(&sql, first_job_row, |rows| {
            for mut job in rows {
                let Some(day) = job.start.pred_opt() else {
                    continue;
                };
                if job.facts.unemployed_since.is_none() {
                    continue; // not registered unemployed: not 就业困难人员 that day
                }
                job.facts.zero_household = households.zero_on(job.person, day);
                if !derive_key_groups(&job.facts, day, &categories)
                    .difficulty
                    .is_empty()
                {
                    *counts
                        .entry((job.region, Month::of(job.start)))
                        .or_default() += 1;
                }
            }
            Ok(())
        })
        .await?;
        Ok(counts.into_iter().map(|((r, m), n)| (r, m, n)).collect())
    }
}
