//! Everyone's public-welfare placements, for `person.public_welfare_months`: the 3-year limit
//! of 公益性岗位补贴 is the person's (财社〔2017〕164号: 其余人员最长不超过3年), so every placement
//! up to the day counts, ended or open — not only the one open now, which a new placement
//! would restart.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::Store;
use crate::bulk::Cells;
use crate::error::Result;
use crate::policy::screening::frames::whole_months;
use crate::policy::screening::within::Within;
use crate::registry::parse_date;

/// Each person's placements: start, and end (the first day no longer placed) if ended.
#[derive(Default)]
pub(super) struct Placements(HashMap<i64, Vec<(NaiveDate, Option<NaiveDate>)>>);

fn placement_row(r: &dyn Cells) -> Result<(i64, NaiveDate, Option<NaiveDate>)> {
    Ok((
        r.required_int(0)?,
        r.decode(1, parse_date)?,
        r.decode_opt(2, parse_date)?,
    ))
}

impl Placements {
    /// The whole months `person` was placed up to `at`: each stretch of placements begun by
    /// then, from its start to its end or `at`, overlapping placements counted once.
    pub fn months(&self, person: i64, at: NaiveDate) -> i64 {
        let Some(rows) = self.0.get(&person) else {
            return 0;
        };
        let mut periods: Vec<(NaiveDate, NaiveDate)> = rows
            .iter()
            .filter(|(start, _)| *start <= at)
            .map(|(start, end)| (*start, end.map_or(at, |e| e.min(at))))
            .collect();
        periods.sort_unstable();
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(periods.len());
        for (start, end) in periods {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged.iter().map(|(s, e)| whole_months(*s, *e)).sum()
    }
}

impl Store {
    /// The public-welfare placements begun by `date` of the people `within` holds.
    pub(super) async fn placements(
        &self,
        within: Within<'_>,
        date: NaiveDate,
    ) -> Result<Placements> {
        let rows = self
            .person_rows(
                "employment w",
                "w.person_id, w.start_date, w.end_date",
                "w.kind = 'public_welfare' AND w.start_date <= $1".into(),
                (within, "w.person_id"),
                date,
                placement_row,
            )
            .await?;
        let mut by_person: HashMap<_, Vec<_>> = HashMap::new();
        for (person, start, end) in rows {
            by_person.entry(person).or_default().push((start, end));
        }
        Ok(Placements(by_person))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_placement_up_to_the_day_counts_once() {
        let p = Placements(HashMap::from([(
            1,
            vec![
                (d(2019, 10, 2), None),
                (d(2016, 1, 10), Some(d(2019, 7, 14))),
                // Overlaps the first: its months are not counted twice.
                (d(2017, 1, 1), Some(d(2017, 6, 1))),
                // Begins after the day.
                (d(2021, 1, 1), None),
            ],
        )]));
        // 42 months ended, 7 open.
        assert_eq!(p.months(1, d(2020, 5, 31)), 42 + 7);
        // Before the second placement: the first up to the day.
        assert_eq!(p.months(1, d(2017, 1, 10)), 12);
        assert_eq!(p.months(2, d(2020, 5, 31)), 0);
    }
}
