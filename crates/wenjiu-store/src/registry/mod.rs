//! The real-name registry: people, households, enterprises, employment and
//! unemployment registrations, with key-group tags derived by rule.

mod categories;
mod employment;
mod enterprise;
pub mod export;
mod household;
pub mod import;
pub(crate) mod keygroups;
mod overview;
mod person;
mod registration;
mod stored;
mod tally;
mod unemployment;

pub use categories::CategoryRow;
pub use employment::EmploymentRow;
pub use enterprise::{EnterpriseFilter, EnterpriseRow};
pub use export::ExportQuery;
pub use household::{HouseholdDetail, HouseholdFilter, HouseholdRow};
pub use import::{ImportReport, Rejected, rejected_xlsx};
pub use overview::{GroupCount, MonthCount, Overview};
pub use person::{PersonDetail, PersonFilter, PersonRow, RevealField, ServiceFacts};
pub use registration::RegistrationFilter;
pub use unemployment::UnemploymentRow;

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{Result, StoreError};

/// The record kinds of the registry, as named in URLs, permissions and files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Person,
    Enterprise,
    Employment,
    Unemployment,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "person" | "persons" | "people" => Some(Kind::Person),
            "enterprise" | "enterprises" => Some(Kind::Enterprise),
            "employment" | "employments" => Some(Kind::Employment),
            "unemployment" | "unemployments" => Some(Kind::Unemployment),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Enterprise => "enterprise",
            Kind::Employment => "employment",
            Kind::Unemployment => "unemployment",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "人员",
            Kind::Enterprise => "单位",
            Kind::Employment => "就业登记",
            Kind::Unemployment => "失业登记",
        }
    }

    pub fn columns(self) -> &'static [wenjiu_core::Column] {
        match self {
            Kind::Person => wenjiu_core::PERSON_COLUMNS,
            Kind::Enterprise => wenjiu_core::ENTERPRISE_COLUMNS,
            Kind::Employment => wenjiu_core::EMPLOYMENT_COLUMNS,
            Kind::Unemployment => wenjiu_core::UNEMPLOYMENT_COLUMNS,
        }
    }
}

/// Reads a stored code back into its core type; a failure means corrupted data.
pub(crate) fn decode<T>(
    row: &AnyRow,
    col: &str,
    parse: impl Fn(&str) -> wenjiu_core::Result<T>,
) -> Result<T> {
    let s: String = row.try_get(col)?;
    parse(&s).map_err(|e| StoreError::Corrupt(format!("{col} = {s}:{e}")))
}

pub(crate) fn date_text(d: chrono::NaiveDate) -> String {
    use chrono::Datelike as _;
    // Not `format("%Y-%m-%d")`, which parses its pattern on every call: imports and the
    // key-group refresh call this for every row.
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A stored date. Those written by [`date_text`] are read directly: chrono's format parser
/// was a tenth of the time of reading a screening frame of millions.
pub(crate) fn parse_date(s: &str) -> wenjiu_core::Result<chrono::NaiveDate> {
    let b = s.as_bytes();
    let number = |at: std::ops::Range<usize>| {
        b[at].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (number(0..4), number(5..7), number(8..10))
        && let Some(date) = chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
    {
        return Ok(date);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| wenjiu_core::Error::invalid("date", format!("日期格式错误：{s}")))
}

/// The region name shown beside a code in lists.
pub(crate) fn region_name(code: &str) -> String {
    wenjiu_core::RegionCode::parse(code)
        .map(|r| r.full_name())
        .unwrap_or_default()
}

/// Space-delimited tag lists are stored padded (" a b ") so that a tag query is
/// `LIKE '% a %'` with no false match on a longer tag.
pub(crate) fn tags_text<'a>(tags: impl IntoIterator<Item = &'a str>) -> String {
    let mut s = String::from(" ");
    for t in tags {
        s.push_str(t);
        s.push(' ');
    }
    s
}

pub(crate) fn tags_of(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_chrono_reads_them() {
        for s in [
            "2020-02-29",
            "2021-02-29",
            "2020-12-31",
            "0999-01-01",
            "2020-13-01",
            "2020-1-5",
            "2020/01/05",
            "20a0-01-05",
            "",
        ] {
            let chrono = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            assert_eq!(super::parse_date(s).ok(), chrono, "{s}");
        }
    }

    #[test]
    fn dates_write_as_chrono_writes_them() {
        for s in ["2020-02-29", "2020-12-31", "0999-01-01", "1900-10-05"] {
            let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
            assert_eq!(super::date_text(d), d.format("%Y-%m-%d").to_string());
            assert_eq!(super::date_text(d), s);
        }
    }
}
