//! Calendar dates as typed in forms and spreadsheets.

use chrono::NaiveDate;

use crate::{Error, Result};

/// Parses `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYYMMDD` (the forms found in registry spreadsheets).
/// Month and day may drop a leading zero when separators are used (`2020/5/1`), as Excel writes.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let format_err = || Error::DateFormat {
        text: t.to_string(),
    };
    let (y, m, d) = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..6], &t[6..])
    } else {
        let sep = if t.contains('-') { '-' } else { '/' };
        let parts: Vec<&str> = t.split(sep).collect();
        match parts[..] {
            [y, m, d]
                if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
            {
                (y, m, d)
            }
            _ => return Err(format_err()),
        }
    };
    if ![y, m, d]
        .iter()
        .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format_err());
    }
    let (y, m, d) = (
        y.parse().map_err(|_| format_err())?,
        m.parse().map_err(|_| format_err())?,
        d.parse().map_err(|_| format_err())?,
    );
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Error::DateInvalid {
        text: t.to_string(),
    })
}

/// Exactly eight ASCII digits `YYYYMMDD` naming a real date.
pub(crate) fn from_yyyymmdd(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(
        s[..4].parse().ok()?,
        s[4..6].parse().ok()?,
        s[6..].parse().ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(parse_date("2020-05-31").unwrap(), date(2020, 5, 31));
        assert_eq!(parse_date("2020/05/31").unwrap(), date(2020, 5, 31));
        assert_eq!(parse_date("20200531").unwrap(), date(2020, 5, 31));
        assert_eq!(parse_date(" 2020/5/1 ").unwrap(), date(2020, 5, 1));
        assert_eq!(parse_date("2020-02-29").unwrap(), date(2020, 2, 29));
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "2020",
            "2020-05",
            "2020.05.31",
            "31/05/2020",
            "2020-05/31",
            "2020-0a-01",
            "202005311",
            "2020--05",
            "2020-+5-01",
            "２０２０-05-01",
        ] {
            assert_eq!(parse_date(bad).unwrap_err().code(), "date.format", "{bad}");
        }
        let e = parse_date("2019-02-29").unwrap_err();
        assert_eq!(e.code(), "date.invalid");
        assert_eq!(e.to_string(), "日期“2019-02-29”不存在");
        assert_eq!(parse_date("20201301").unwrap_err().code(), "date.invalid");
        assert_eq!(
            parse_date("2020.05.31").unwrap_err().to_string(),
            "日期“2020.05.31”格式错误：应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD"
        );
    }

    #[test]
    fn eight_digits() {
        assert_eq!(from_yyyymmdd("19491231"), Some(date(1949, 12, 31)));
        assert_eq!(from_yyyymmdd("19490231"), None);
        assert_eq!(from_yyyymmdd("1949123"), None);
    }
}
