//! Calendar months: the reporting period of indicators and monitoring reports.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// The years the business deals in: the bounds any year or month taken from a request or
/// an import must lie within (the registry starts in the 1990s).
pub const BUSINESS_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A calendar month, year 1–9999. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    // Field order matters: the derived Ord compares year first.
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Result<Month> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(Error::MonthRange { year, month });
        }
        Ok(Month { year, month })
    }

    /// Accepts "2020-05" and "202005".
    pub fn parse(text: &str) -> Result<Month> {
        let t = text.trim();
        let format_err = || Error::MonthFormat {
            text: t.to_string(),
        };
        if !t.is_ascii() {
            return Err(format_err());
        }
        let (y, m) = match (t.len(), t.as_bytes().get(4)) {
            (7, Some(b'-')) => (&t[..4], &t[5..]),
            (6, _) => (&t[..4], &t[4..]),
            _ => return Err(format_err()),
        };
        if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(format_err());
        }
        let year = y.parse().map_err(|_| format_err())?;
        let month = m.parse().map_err(|_| format_err())?;
        Month::new(year, month)
    }

    /// The month containing `date`.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// Month number 1–12.
    pub fn month(&self) -> u32 {
        self.month
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }

    /// Never panics, not even for 9999-12 (whose next month does not exist).
    pub fn last_day(&self) -> NaiveDate {
        match self.checked_add_months(1) {
            Some(next) => next.first_day().pred_opt().expect("after year 1"),
            None => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("9999-12-31"),
        }
    }

    /// Whether the month lies within [`BUSINESS_YEARS`].
    pub fn in_business_years(&self) -> bool {
        BUSINESS_YEARS.contains(&self.year)
    }

    /// The next month.
    ///
    /// # Panics
    /// After 9999-12.
    pub fn succ(&self) -> Month {
        self.add_months(1)
    }

    /// The previous month.
    ///
    /// # Panics
    /// Before 0001-01.
    pub fn pred(&self) -> Month {
        self.add_months(-1)
    }

    /// The month `n` months later (earlier if negative).
    ///
    /// # Panics
    /// If the result leaves years 1–9999; use [`Month::checked_add_months`] to handle it.
    pub fn add_months(&self, n: i32) -> Month {
        self.checked_add_months(n)
            .expect("month outside years 1-9999")
    }

    /// [`Month::add_months`] stopping at 0001-01 and 9999-12 instead of panicking.
    pub fn saturating_add_months(&self, n: i32) -> Month {
        self.checked_add_months(n).unwrap_or(if n < 0 {
            Month { year: 1, month: 1 }
        } else {
            Month {
                year: 9999,
                month: 12,
            }
        })
    }

    pub fn checked_add_months(&self, n: i32) -> Option<Month> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(n);
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = (index.rem_euclid(12) + 1) as u32;
        Month::new(year, month).ok()
    }

    /// Months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(&self, later: Month) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }

    /// The same month one year earlier, for year-on-year comparisons.
    pub fn year_ago(&self) -> Option<Month> {
        Month::new(self.year - 1, self.month).ok()
    }

    /// Months of the year elapsed at the end of this month (5 for May): the numerator of
    /// 序时进度 (time progress = months elapsed / 12).
    pub fn months_elapsed_in_year(&self) -> u32 {
        self.month
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = Error;
    fn from_str(s: &str) -> Result<Month> {
        Month::parse(s)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap()
    }

    #[test]
    fn parse_both_forms() {
        assert_eq!(Month::parse("2020-05").unwrap(), m(2020, 5));
        assert_eq!(Month::parse("202005").unwrap(), m(2020, 5));
        assert_eq!(Month::parse(" 2020-12 ").unwrap(), m(2020, 12));
        assert_eq!(m(2020, 5).year(), 2020);
        assert_eq!(m(2020, 5).month(), 5);
    }

    #[test]
    fn parse_errors() {
        for bad in [
            "2020-5", "2020/05", "20205", "2020-005", "", "2020-0a", "abcdef", "2020+05", "20中05",
        ] {
            assert_eq!(
                Month::parse(bad).unwrap_err().code(),
                "month.format",
                "{bad}"
            );
        }
        for bad in ["2020-13", "2020-00", "202000", "0000-01"] {
            assert_eq!(
                Month::parse(bad).unwrap_err().code(),
                "month.range",
                "{bad}"
            );
        }
        assert_eq!(
            Month::parse("2020/05").unwrap_err().to_string(),
            "月份“2020/05”格式错误：应为 YYYY-MM 或 YYYYMM，如 2020-05"
        );
        assert_eq!(Month::new(2020, 13).unwrap_err().code(), "month.range");
    }

    #[test]
    fn first_and_last_days() {
        assert_eq!(m(2020, 2).first_day(), date(2020, 2, 1));
        assert_eq!(m(2020, 2).last_day(), date(2020, 2, 29));
        assert_eq!(m(2019, 2).last_day(), date(2019, 2, 28));
        assert_eq!(m(2020, 12).last_day(), date(2020, 12, 31));
        assert_eq!(m(2020, 4).last_day(), date(2020, 4, 30));
        assert_eq!(Month::of(date(2020, 5, 31)), m(2020, 5));
    }

    #[test]
    fn stepping_across_years() {
        assert_eq!(m(2020, 12).succ(), m(2021, 1));
        assert_eq!(m(2021, 1).pred(), m(2020, 12));
        assert_eq!(m(2020, 5).succ(), m(2020, 6));
        assert_eq!(m(2020, 5).add_months(-17), m(2018, 12));
        assert_eq!(m(2020, 5).add_months(24), m(2022, 5));
        assert_eq!(m(9999, 12).checked_add_months(1), None);
        assert_eq!(m(1, 1).checked_add_months(-1), None);
        assert_eq!(m(2019, 11).months_until(m(2020, 2)), 3);
        assert_eq!(m(2020, 2).months_until(m(2019, 11)), -3);
        assert_eq!(m(2020, 5).year_ago(), Some(m(2019, 5)));
    }

    #[test]
    fn time_progress_numerator() {
        assert_eq!(m(2020, 5).months_elapsed_in_year(), 5);
        assert_eq!(m(2020, 12).months_elapsed_in_year(), 12);
    }

    #[test]
    fn order_display_serde() {
        assert!(m(2019, 12) < m(2020, 1));
        assert!(m(2020, 2) < m(2020, 10));
        assert_eq!(m(2020, 5).to_string(), "2020-05");
        assert_eq!(m(987, 1).to_string(), "0987-01");
        assert_eq!(serde_json::to_string(&m(2020, 5)).unwrap(), "\"2020-05\"");
        assert_eq!(
            serde_json::from_str::<Month>("\"202005\"").unwrap(),
            m(2020, 5)
        );
        assert!(serde_json::from_str::<Month>("\"2020-13\"").is_err());
    }
}
