//! Resident ID numbers (居民身份证号, GB 11643-1999) and display masking.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result, Sex, date, region};

/// Weights of the first 17 digits (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by weighted sum mod 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Earliest accepted birth date: older numbers are data-entry errors in this registry.
fn earliest_birth() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date")
}

/// A valid 18-character ID number. Only [`IdCardNo::parse`] creates one, so holding an
/// `IdCardNo` proves the format, birth date, province and check character are right.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdCardNo(String);

fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize] as char
}

/// The area codes of the residence permits of Hong Kong, Macao and Taiwan residents, numbered
/// as identity cards are (港澳台居民居住证申领发放办法, 国办发〔2018〕81号).
const RESIDENCE_PERMITS: [&str; 3] = ["810000", "820000", "830000"];

impl IdCardNo {
    /// Validates with today's local date as the latest possible birth date.
    pub fn parse(text: &str) -> Result<IdCardNo> {
        IdCardNo::parse_as_of(text, chrono::Local::now().date_naive())
    }

    /// Validates against a given "today" (deterministic tests, imports of historical data).
    pub fn parse_as_of(text: &str, today: NaiveDate) -> Result<IdCardNo> {
        let t = text.trim().replace('x', "X");
        let len = t.chars().count();
        if len == 15 && t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::IdCardLegacy);
        }
        if len != 18 {
            return Err(Error::IdCardLength { len });
        }
        for (i, c) in t.chars().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(Error::IdCardCharset {
                    position: i + 1,
                    found: c,
                });
            }
        }
        // All ASCII from here on, so byte slicing is safe.
        if !region::is_province_code(&t[..2]) && !RESIDENCE_PERMITS.contains(&&t[..6]) {
            return Err(Error::IdCardProvince {
                code: t[..2].to_string(),
            });
        }
        let birth_text = &t[6..14];
        let birth = date::from_yyyymmdd(birth_text).ok_or_else(|| Error::IdCardBirthDate {
            text: birth_text.to_string(),
        })?;
        if birth < earliest_birth() || birth > today {
            return Err(Error::IdCardBirthRange { date: birth });
        }
        let expected = check_char(&t.as_bytes()[..17]);
        let found = t.as_bytes()[17] as char;
        if expected != found {
            return Err(Error::IdCardChecksum { expected, found });
        }
        Ok(IdCardNo(t))
    }

    /// Builds a valid number from its parts, computing the check character (tests and demo data).
    pub fn build(area6: &str, birth: NaiveDate, seq3: u16) -> Result<IdCardNo> {
        if area6.len() != 6 || !area6.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::IdCardArea {
                text: area6.to_string(),
            });
        }
        if seq3 > 999 {
            return Err(Error::IdCardSequence { seq: seq3 });
        }
        let mut s = format!("{area6}{}{seq3:03}", birth.format("%Y%m%d"));
        if s.len() != 17 {
            // Only a year outside 0..=9999 can make the date longer than 8 digits.
            return Err(Error::IdCardBirthRange { date: birth });
        }
        s.push(check_char(s.as_bytes()));
        IdCardNo::parse(&s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Birth date encoded in digits 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        date::from_yyyymmdd(&self.0[6..14]).expect("validated on parse")
    }

    /// Odd 17th digit = male, even = female.
    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Address code of the place of first registration (6 digits). It may name a division that
    /// has since been abolished, which is why it is not a `RegionCode`.
    pub fn area_code(&self) -> &str {
        &self.0[..6]
    }

    /// Display form for lists, e.g. `2101**********1234`.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    /// Age in whole years on `date` (0 if `date` is before the birth date).
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        age_on(self.birth_date(), date)
    }
}

/// Completed years between `birth` and `date`; 0 if `date` precedes `birth`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    months_of_age(birth, date) / 12
}

/// Completed months between `birth` and `day`: a month is complete on the day of the month
/// of the birth (someone born on 29 February is a year older on 1 March in other years); 0
/// before the birth.
pub fn months_of_age(birth: NaiveDate, day: NaiveDate) -> u32 {
    let months = (day.year() - birth.year()) * 12 + day.month() as i32
        - birth.month() as i32
        - i32::from(day.day() < birth.day());
    months.max(0) as u32
}

/// Masks personal identifiers for display: an 11-digit phone number keeps its first 3 and last
/// 4 digits (`138****5678`); anything else keeps its first and last quarter (an 18-character ID
/// number keeps 4 + 4). The length is preserved.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let (head, tail) = if n == 11 && chars.iter().all(|c| c.is_ascii_digit()) {
        (3, 4)
    } else {
        (n / 4, n / 4)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

impl fmt::Display for IdCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for IdCardNo {
    type Err = Error;
    fn from_str(s: &str) -> Result<IdCardNo> {
        IdCardNo::parse(s)
    }
}

impl Serialize for IdCardNo {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IdCardNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<IdCardNo, D::Error> {
        let text = String::deserialize(d)?;
        IdCardNo::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The example of GB 11643-1999 itself (Beijing Chaoyang, 1949-12-31, female, check X).
    const STANDARD_EXAMPLE: &str = "11010519491231002X";

    #[test]
    fn standard_example_with_check_x() {
        let id = IdCardNo::parse(STANDARD_EXAMPLE).unwrap();
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
        assert_eq!(id.birth_date(), date(1949, 12, 31));
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.area_code(), "110105");
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(id.to_string(), STANDARD_EXAMPLE);
    }

    #[test]
    fn lower_case_x_and_spaces_are_normalised() {
        let id = IdCardNo::parse("  11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
    }

    #[test]
    fn second_standard_example_is_rejected_only_for_its_1880_birth_date() {
        // GB 11643's other example, 440524188001010014, has a correct check digit but a birth
        // year this registry cannot hold.
        let e = IdCardNo::parse("440524188001010014").unwrap_err();
        assert_eq!(e.code(), "id_card.birth_range");
        assert_eq!(
            e.to_string(),
            "身份证号中的出生日期 1880-01-01 超出有效范围：应在 1900-01-01 至今天之间"
        );
    }

    #[test]
    fn wrong_check_character() {
        let e = IdCardNo::parse("110105194912310025").unwrap_err();
        assert_eq!(
            e,
            Error::IdCardChecksum {
                expected: 'X',
                found: '5'
            }
        );
        assert_eq!(e.to_string(), "身份证号校验位错误：应为 X，实际为 5");
    }

    #[test]
    fn fifteen_digit_numbers_get_their_own_error() {
        let e = IdCardNo::parse("110105491231002").unwrap_err();
        assert_eq!(e.code(), "id_card.legacy");
        assert_eq!(e.to_string(), "身份证号为15位旧号码，请提供18位身份证号");
    }

    #[test]
    fn length_and_charset() {
        assert_eq!(
            IdCardNo::parse("1101051949123100").unwrap_err(),
            Error::IdCardLength { len: 16 }
        );
        assert_eq!(
            IdCardNo::parse("").unwrap_err(),
            Error::IdCardLength { len: 0 }
        );
        assert_eq!(
            IdCardNo::parse("1101051949123100X2").unwrap_err(),
            Error::IdCardCharset {
                position: 17,
                found: 'X'
            }
        );
        assert_eq!(
            IdCardNo::parse("11010519491231002Y").unwrap_err(),
            Error::IdCardCharset {
                position: 18,
                found: 'Y'
            }
        );
        // Full-width digits are not ASCII digits.
        assert_eq!(
            IdCardNo::parse("１10105194912310021").unwrap_err().code(),
            "id_card.charset"
        );
    }

    #[test]
    fn residence_permits_of_hong_kong_macao_and_taiwan_residents() {
        for id in [
            "810000199001010019",
            "820000199001010029",
            "830000199001010039",
        ] {
            assert!(IdCardNo::parse(id).is_ok(), "{id}");
        }
        // Only the three permit codes, not other areas of those regions.
        let other = IdCardNo::parse("810100199001010014");
        assert_eq!(other.unwrap_err().code(), "id_card.province");
    }

    #[test]
    fn province_must_exist() {
        let valid = IdCardNo::build("990105", date(1980, 1, 1), 11);
        assert_eq!(valid.unwrap_err().code(), "id_card.province");
        // A county code absent from the table (e.g. an abolished county) is fine if the province
        // exists: people keep the number they were first given.
        let old_county = IdCardNo::build("219999", date(1980, 1, 1), 11).unwrap();
        assert_eq!(old_county.area_code(), "219999");
    }

    #[test]
    fn birth_date_checks() {
        let today = date(2020, 6, 16);
        let born_today = IdCardNo::build("210102", today, 1).unwrap();
        assert!(IdCardNo::parse_as_of(born_today.as_str(), today).is_ok());
        let e = IdCardNo::parse_as_of(born_today.as_str(), date(2020, 6, 15)).unwrap_err();
        assert_eq!(e.code(), "id_card.birth_range");
        let first = IdCardNo::build("210102", date(1900, 1, 1), 1).unwrap();
        assert_eq!(first.birth_date(), date(1900, 1, 1));
        let before = IdCardNo::build("210102", date(1899, 12, 31), 1).unwrap_err();
        assert_eq!(before.code(), "id_card.birth_range");
        // 1990-02-30 does not exist: compute a correct check char so only the date is wrong.
        let mut s = String::from("21010219900230001");
        s.push(check_char(s.as_bytes()));
        let e = IdCardNo::parse(&s).unwrap_err();
        assert_eq!(e.code(), "id_card.birth_date");
        assert_eq!(e.to_string(), "身份证号中的出生日期“19900230”不是有效日期");
    }

    #[test]
    fn build_and_accessors() {
        let id = IdCardNo::build("210102", date(1985, 3, 7), 123).unwrap();
        assert_eq!(&id.as_str()[..17], "21010219850307123");
        assert_eq!(id.sex(), Sex::Male);
        let id2 = IdCardNo::build("210102", date(1985, 3, 7), 124).unwrap();
        assert_eq!(id2.sex(), Sex::Female);
        assert_eq!(
            IdCardNo::build("2101", date(1985, 3, 7), 1)
                .unwrap_err()
                .code(),
            "id_card.area"
        );
        assert_eq!(
            IdCardNo::build("210102", date(1985, 3, 7), 1000)
                .unwrap_err()
                .code(),
            "id_card.sequence"
        );
    }

    #[test]
    fn ages() {
        let id = IdCardNo::build("210102", date(1980, 5, 20), 1).unwrap();
        assert_eq!(id.age_on(date(2020, 5, 19)), 39);
        assert_eq!(id.age_on(date(2020, 5, 20)), 40);
        assert_eq!(id.age_on(date(1980, 5, 20)), 0);
        assert_eq!(id.age_on(date(1970, 1, 1)), 0);
        // Born on 29 February: the birthday counts from 1 March in common years.
        let leap = date(2000, 2, 29);
        assert_eq!(age_on(leap, date(2018, 2, 28)), 17);
        assert_eq!(age_on(leap, date(2018, 3, 1)), 18);
        assert_eq!(age_on(leap, date(2020, 2, 29)), 20);
    }

    #[test]
    fn months_of_age() {
        assert_eq!(
            super::months_of_age(date(1964, 2, 29), date(2019, 2, 28)),
            659
        );
        assert_eq!(
            super::months_of_age(date(1964, 2, 29), date(2019, 3, 1)),
            660
        );
        assert_eq!(
            super::months_of_age(date(1960, 1, 31), date(1960, 2, 29)),
            0
        );
        assert_eq!(super::months_of_age(date(1960, 1, 31), date(1960, 3, 1)), 1);
        assert_eq!(super::months_of_age(date(2000, 5, 5), date(1999, 1, 1)), 0);
    }

    #[test]
    fn masking() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("210102198503071234"), "2101**********1234");
        assert_eq!(mask("12345678"), "12****78");
        assert_eq!(mask("abc"), "***");
        assert_eq!(mask(""), "");
        assert_eq!(mask("张三丰"), "***");
        assert_eq!(mask("024-12345678"), "024******678");
    }

    #[test]
    fn serde_round_trip_validates() {
        let id = IdCardNo::parse(STANDARD_EXAMPLE).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{STANDARD_EXAMPLE}\""));
        assert_eq!(serde_json::from_str::<IdCardNo>(&json).unwrap(), id);
        assert!(serde_json::from_str::<IdCardNo>("\"110105194912310025\"").is_err());
    }
}
