//! Unified social credit codes (统一社会信用代码, GB 32100-2015) with the embedded organisation
//! code (组织机构代码, GB 11714-1997).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{EntityKind, Error, Result};

/// The 31 symbols of GB 32100, in value order (I, O, S, V, Z are left out as easily misread).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^(i-1) mod 31 of the first 17 characters.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// GB 11714 weights of the 8-character organisation code body.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A valid 18-character unified social credit code; only [`CreditCode::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

/// GB 32100 value of a character, or None outside the 31-symbol set.
fn value(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// Check character of the first 17 characters (all in the charset).
fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| value(c).expect("charset checked") * w)
        .sum();
    CHARSET[((31 - sum % 31) % 31) as usize] as char
}

/// GB 11714 check character of an 8-character organisation code body (digits, and letters
/// valued A=10 … Z=35).
fn org_check_char(body8: &[u8]) -> char {
    let sum: u32 = body8
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(&c, w)| {
            let v = if c.is_ascii_digit() {
                u32::from(c - b'0')
            } else {
                u32::from(c - b'A') + 10
            };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).expect("0..=9"),
    }
}

/// Checks the characters of a (possibly partial) code: charset everywhere, digits at 3–8.
fn check_chars(code: &str) -> Result<()> {
    for (i, c) in code.chars().enumerate() {
        if !c.is_ascii() || value(c as u8).is_none() {
            return Err(Error::CreditCodeCharset {
                position: i + 1,
                found: c,
            });
        }
    }
    let region = code.get(2..8.min(code.len())).unwrap_or("");
    if !region.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::CreditCodeRegion {
            text: region.to_string(),
        });
    }
    Ok(())
}

impl CreditCode {
    /// Trims and upper-cases, then checks length, charset, the division digits, the embedded
    /// organisation code check and the overall check character.
    pub fn parse(text: &str) -> Result<CreditCode> {
        let t = text.trim().to_ascii_uppercase();
        let len = t.chars().count();
        if len != 18 {
            return Err(Error::CreditCodeLength { len });
        }
        check_chars(&t)?;
        let b = t.as_bytes();
        let org_expected = org_check_char(&b[8..16]);
        if org_expected != b[16] as char {
            return Err(Error::CreditCodeOrgChecksum {
                expected: org_expected,
                found: b[16] as char,
            });
        }
        let expected = check_char(&b[..17]);
        if expected != b[17] as char {
            return Err(Error::CreditCodeChecksum {
                expected,
                found: b[17] as char,
            });
        }
        Ok(CreditCode(t))
    }

    /// Builds a valid code from its parts, computing both check characters (tests, demo data).
    /// `org_body8` is the 8-character body of the organisation code.
    pub fn build(
        registration: char,
        entity_type: char,
        region6: &str,
        org_body8: &str,
    ) -> Result<CreditCode> {
        let mut s = format!("{registration}{entity_type}{region6}{org_body8}").to_ascii_uppercase();
        let len = s.chars().count();
        if len != 16 || region6.chars().count() != 6 {
            return Err(Error::CreditCodeLength { len: len + 2 });
        }
        check_chars(&s)?;
        let org = org_check_char(&s.as_bytes()[8..16]);
        s.push(org);
        let check = check_char(s.as_bytes());
        s.push(check);
        CreditCode::parse(&s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Division code of the registering authority (characters 3–8). Not a `RegionCode`: codes
    /// of abolished counties and of central authorities ("100000") are legitimate here.
    pub fn region_code_str(&self) -> &str {
        &self.0[2..8]
    }

    /// The embedded organisation code (characters 9–17, with its own check character).
    pub fn org_code(&self) -> &str {
        &self.0[8..17]
    }

    /// Kind of entity from the registering authority and type characters.
    pub fn entity_kind(&self) -> EntityKind {
        match &self.0[..2] {
            "91" => EntityKind::Enterprise,
            "92" => EntityKind::IndividualBusiness,
            "93" => EntityKind::FarmersCooperative,
            _ => EntityKind::Other,
        }
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CreditCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<CreditCode> {
        CreditCode::parse(s)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<CreditCode, D::Error> {
        let text = String::deserialize(d)?;
        CreditCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of GB 32100-2015 (its text shows the wrong final "Z" being rejected
    /// and computes the correct check character 3).
    const STANDARD_EXAMPLE: &str = "91350100M000100Y43";
    /// Widely published codes of well-known enterprises (business licences, annual reports):
    /// 华为技术有限公司, 腾讯科技（深圳）有限公司 (organisation check X, final check G),
    /// 中国工商银行股份有限公司 (central registration 100000), 中国银行股份有限公司.
    const PUBLISHED: [&str; 4] = [
        "914403001922038216",
        "9144030071526726XG",
        "91100000100003962T",
        "911000001000013428",
    ];

    #[test]
    fn standard_example_with_letters() {
        let c = CreditCode::parse(STANDARD_EXAMPLE).unwrap();
        assert_eq!(c.as_str(), STANDARD_EXAMPLE);
        assert_eq!(c.region_code_str(), "350100");
        assert_eq!(c.org_code(), "M000100Y4");
        assert_eq!(c.entity_kind(), EntityKind::Enterprise);
    }

    #[test]
    fn standard_example_with_wrong_check_is_rejected() {
        let e = CreditCode::parse("91350100M000100Y4Z").unwrap_err();
        assert_eq!(e.code(), "credit_code.charset");
        // Z is not even a symbol of the set; with a symbol of the set the check itself fails.
        let e = CreditCode::parse("91350100M000100Y4Y").unwrap_err();
        assert_eq!(
            e,
            Error::CreditCodeChecksum {
                expected: '3',
                found: 'Y'
            }
        );
        assert_eq!(
            e.to_string(),
            "统一社会信用代码校验位错误：应为 3，实际为 Y"
        );
    }

    #[test]
    fn published_codes_are_valid() {
        for code in PUBLISHED {
            let c = CreditCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(c.entity_kind(), EntityKind::Enterprise);
        }
        assert_eq!(
            CreditCode::parse(PUBLISHED[1]).unwrap().org_code(),
            "71526726X"
        );
        assert_eq!(
            CreditCode::parse(PUBLISHED[2]).unwrap().region_code_str(),
            "100000"
        );
    }

    #[test]
    fn lower_case_and_spaces_are_normalised() {
        let c = CreditCode::parse(" 9144030071526726xg ").unwrap();
        assert_eq!(c.as_str(), "9144030071526726XG");
    }

    #[test]
    fn single_character_changes_are_caught() {
        // Change one org-code digit: the GB 11714 check fails first.
        let e = CreditCode::parse("914403001922038316").unwrap_err();
        assert_eq!(e.code(), "credit_code.org_checksum");
        assert_eq!(
            e.to_string(),
            "统一社会信用代码中的组织机构代码校验位错误：应为 X，实际为 1"
        );
        // Change the division digits: only the overall check can notice.
        let e = CreditCode::parse("914404001922038216").unwrap_err();
        assert_eq!(e.code(), "credit_code.checksum");
    }

    #[test]
    fn length_and_charset() {
        assert_eq!(
            CreditCode::parse("91440300192203821").unwrap_err(),
            Error::CreditCodeLength { len: 17 }
        );
        for (code, pos, ch) in [
            ("91440300I92203821O", 9, 'I'),
            ("9144030019220382O6", 17, 'O'),
            ("S14403001922038216", 1, 'S'),
            ("91440300V922038216", 9, 'V'),
            ("914403001922038-16", 16, '-'),
            ("914403001922038２16", 16, '２'),
        ] {
            assert_eq!(
                CreditCode::parse(code).unwrap_err(),
                Error::CreditCodeCharset {
                    position: pos,
                    found: ch
                },
                "{code}"
            );
        }
        let e = CreditCode::parse("91A40300192203821G").unwrap_err();
        assert_eq!(e.code(), "credit_code.region");
    }

    #[test]
    fn entity_kinds() {
        let ind = CreditCode::build('9', '2', "210102", "MA0Y1234").unwrap();
        assert_eq!(ind.entity_kind(), EntityKind::IndividualBusiness);
        let coop = CreditCode::build('9', '3', "210102", "MA0Y1234").unwrap();
        assert_eq!(coop.entity_kind(), EntityKind::FarmersCooperative);
        let social = CreditCode::build('5', '2', "210102", "MA0Y1234").unwrap();
        assert_eq!(social.entity_kind(), EntityKind::Other);
    }

    #[test]
    fn build_reproduces_published_codes() {
        assert_eq!(
            CreditCode::build('9', '1', "350100", "M000100Y")
                .unwrap()
                .as_str(),
            STANDARD_EXAMPLE
        );
        assert_eq!(
            CreditCode::build('9', '1', "440300", "71526726")
                .unwrap()
                .as_str(),
            "9144030071526726XG"
        );
        assert_eq!(
            CreditCode::build('9', '1', "210102", "MA0YZ123")
                .unwrap_err()
                .code(),
            "credit_code.charset"
        );
        assert_eq!(
            CreditCode::build('9', '1', "21010", "MA0Y1234")
                .unwrap_err()
                .code(),
            "credit_code.length"
        );
    }

    #[test]
    fn org_check_maps_ten_and_eleven() {
        // Bodies chosen so that 11 - sum % 11 is 10 and 11.
        assert_eq!(org_check_char(b"71526726"), 'X');
        let zero = (0..100_000u32)
            .map(|n| format!("{n:08}"))
            .find(|b| org_check_char(b.as_bytes()) == '0')
            .unwrap();
        let sum: u32 = zero
            .bytes()
            .zip(ORG_WEIGHTS)
            .map(|(c, w)| u32::from(c - b'0') * w)
            .sum();
        assert_eq!(sum % 11, 0);
    }

    #[test]
    fn serde_round_trip_validates() {
        let c = CreditCode::parse(STANDARD_EXAMPLE).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), c);
        assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y4Y\"").is_err());
    }
}
