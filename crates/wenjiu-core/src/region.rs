//! Administrative divisions (GB/T 2260) and region-prefix data scopes.
//!
//! A [`RegionCode`] can only hold a code present in the compiled-in table, so every value names a
//! real division. A [`RegionPrefix`] ("21", "2101", "210102") is the data scope of a user: it
//! matches every code that starts with it.

mod gb2260;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

use gb2260::{Entry, INDEX};

/// Level of a division in the three-level table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
}

impl RegionLevel {
    /// Chinese label used in messages.
    pub fn label(&self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "市级",
            RegionLevel::County => "区县级",
        }
    }

    /// Number of significant digits of a code at this level (2, 4, 6).
    pub fn digits(&self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
        }
    }
}

/// A division of the GB/T 2260 table, always in 6-digit form (210000, 210100, 210102).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(u32);

impl RegionCode {
    /// Only for codes read from the table itself.
    fn from_trusted(code: u32) -> RegionCode {
        RegionCode(code)
    }

    /// Accepts the 6-digit form, or a 2/4-digit province/city code that is padded with zeros.
    pub fn parse(text: &str) -> Result<RegionCode> {
        let t = text.trim();
        if !matches!(t.len(), 2 | 4 | 6) || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::RegionFormat {
                text: t.to_string(),
            });
        }
        let n: u32 = t.parse().map_err(|_| Error::RegionFormat {
            text: t.to_string(),
        })?;
        RegionCode::from_u32(n * 10u32.pow(6 - t.len() as u32))
    }

    /// The division with this 6-digit numeric code (e.g. `210102`), if it is in the table.
    pub fn from_u32(code: u32) -> Result<RegionCode> {
        match INDEX.get(code) {
            Some(_) => Ok(RegionCode(code)),
            None => Err(Error::RegionUnknown {
                code: format!("{code:06}"),
            }),
        }
    }

    fn entry(&self) -> &'static Entry {
        // Invariant: a RegionCode is only built from a code found in the table.
        INDEX.get(self.0).expect("RegionCode not in table")
    }

    /// The 6-digit numeric value.
    pub fn as_u32(&self) -> u32 {
        self.0
    }

    /// The 6-digit code as text, e.g. `"210102"`.
    pub fn as_str(&self) -> &'static str {
        &self.entry().code_str
    }

    /// The division's own name, e.g. `和平区`.
    pub fn name(&self) -> &'static str {
        self.entry().name
    }

    /// Name with all ancestors, e.g. `辽宁省沈阳市和平区`. Placeholder levels (市辖区 of
    /// municipalities, 县 of Chongqing, 省直辖县级行政区划) are skipped as ancestors because
    /// they are not part of any postal or official name.
    pub fn full_name(&self) -> String {
        let mut chain = vec![*self];
        while let Some(p) = chain.last().and_then(|c| c.parent()) {
            chain.push(p);
        }
        chain
            .iter()
            .rev()
            .filter(|c| *c == self || !c.is_placeholder())
            .map(|c| c.name())
            .collect()
    }

    /// Whether this is a grouping level of the table rather than a real city: 市辖区 of the
    /// municipalities, 县 of Chongqing, (自治区)省直辖县级行政区划.
    pub fn is_placeholder(&self) -> bool {
        self.level() == RegionLevel::City && {
            let n = self.name();
            n == "市辖区" || n == "县" || n.ends_with("直辖县级行政区划")
        }
    }

    /// Level from the code's shape: xx0000 province, xxxx00 city, otherwise county.
    pub fn level(&self) -> RegionLevel {
        if self.0.is_multiple_of(10_000) {
            RegionLevel::Province
        } else if self.0.is_multiple_of(100) {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The enclosing division (none for a province).
    pub fn parent(&self) -> Option<RegionCode> {
        self.entry().parent
    }

    /// Directly subordinate divisions, in code order.
    pub fn children(&self) -> &'static [RegionCode] {
        &self.entry().children
    }

    /// The province this division belongs to (itself for a province).
    pub fn province(&self) -> RegionCode {
        RegionCode(self.0 / 10_000 * 10_000)
    }

    /// The lowest level of the table, where people and enterprises are registered: a county, or
    /// a prefecture-level city without counties (东莞, 中山, 儋州).
    pub fn is_county_level(&self) -> bool {
        match self.level() {
            RegionLevel::County => true,
            RegionLevel::City => self.children().is_empty(),
            RegionLevel::Province => false,
        }
    }

    /// `Ok(self)` if [`is_county_level`](Self::is_county_level), else a `region.level` error.
    pub fn ensure_county_level(self) -> Result<RegionCode> {
        if self.is_county_level() {
            Ok(self)
        } else {
            Err(Error::RegionLevel {
                code: self.as_str().to_string(),
                name: self.name(),
                expected: RegionLevel::County,
            })
        }
    }

    /// The data-scope prefix naming this division: "21", "2101" or "210102".
    pub fn prefix(&self) -> RegionPrefix {
        RegionPrefix(self.as_str()[..self.level().digits()].to_string())
    }

    /// Whether `other` is this division or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        let digits = self.level().digits() as u32;
        let scale = 10u32.pow(6 - digits);
        self.0 / scale == other.0 / scale
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RegionCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<RegionCode> {
        RegionCode::parse(s)
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RegionCode {
    /// Accepts the code as a string (canonical) or as an integer.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<RegionCode, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RegionCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a GB/T 2260 region code")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<RegionCode, E> {
                RegionCode::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<RegionCode, E> {
                let code = u32::try_from(v).map_err(E::custom)?;
                RegionCode::from_u32(code).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<RegionCode, E> {
                let code = u32::try_from(v).map_err(E::custom)?;
                RegionCode::from_u32(code).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// All provinces (provincial-level divisions) in code order.
pub fn provinces() -> Vec<RegionCode> {
    INDEX.provinces().to_vec()
}

/// Whether `two_digits` is the code of a province in the table (used by ID-number checks).
pub(crate) fn is_province_code(two_digits: &str) -> bool {
    two_digits.len() == 2
        && two_digits.bytes().all(|b| b.is_ascii_digit())
        && two_digits
            .parse::<u32>()
            .is_ok_and(|n| INDEX.get(n * 10_000).is_some())
}

/// A data scope: the significant digits of a division ("21", "2101", "210102").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionPrefix(String);

impl RegionPrefix {
    /// Accepts 2, 4 or 6 digits naming a table entry. The result is normalised to the
    /// division's own prefix, so "210100" and "2101" both give the city scope "2101".
    pub fn parse(text: &str) -> Result<RegionPrefix> {
        Ok(RegionCode::parse(text)?.prefix())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The division this prefix names.
    pub fn region(&self) -> RegionCode {
        RegionCode::parse(&self.0).expect("RegionPrefix always names a table entry")
    }

    pub fn level(&self) -> RegionLevel {
        self.region().level()
    }

    /// Whether a record in `code` is inside this scope.
    pub fn matches(&self, code: &RegionCode) -> bool {
        code.as_str().starts_with(&self.0)
    }

    /// Whether this scope includes the whole of `other` (e.g. "21" covers "2101").
    pub fn covers(&self, other: &RegionPrefix) -> bool {
        other.0.starts_with(&self.0)
    }
}

impl fmt::Display for RegionPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RegionPrefix {
    type Err = Error;
    fn from_str(s: &str) -> Result<RegionPrefix> {
        RegionPrefix::parse(s)
    }
}

impl Serialize for RegionPrefix {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RegionPrefix {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<RegionPrefix, D::Error> {
        let text = String::deserialize(d)?;
        RegionPrefix::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn whole_table_loads() {
        // 31 provinces + 342 cities + 2978 areas, minus the 3 areas that duplicate their city.
        assert_eq!(INDEX.len(), 31 + 342 + 2978 - 3);
        assert_eq!(provinces().len(), 31);
        assert_eq!(provinces()[0], rc("110000"));
    }

    #[test]
    fn heping_district_of_shenyang() {
        let heping = rc("210102");
        assert_eq!(heping.name(), "和平区");
        assert_eq!(heping.as_str(), "210102");
        assert_eq!(heping.to_string(), "210102");
        assert_eq!(heping.level(), RegionLevel::County);
        assert_eq!(heping.full_name(), "辽宁省沈阳市和平区");
        let shenyang = heping.parent().unwrap();
        assert_eq!(shenyang, rc("210100"));
        assert_eq!(shenyang.name(), "沈阳市");
        assert_eq!(shenyang.level(), RegionLevel::City);
        let liaoning = shenyang.parent().unwrap();
        assert_eq!(liaoning, rc("210000"));
        assert_eq!(liaoning.name(), "辽宁省");
        assert_eq!(liaoning.level(), RegionLevel::Province);
        assert_eq!(liaoning.parent(), None);
        assert_eq!(heping.province(), liaoning);
        assert!(heping.children().is_empty());
    }

    #[test]
    fn liaoning_has_its_14_cities() {
        let cities = rc("21").children();
        assert_eq!(cities.len(), 14);
        assert_eq!(cities[0].name(), "沈阳市");
        assert_eq!(cities[13], rc("211400"));
        assert_eq!(cities[13].name(), "葫芦岛市");
        assert!(rc("2101").children().contains(&rc("210102")));
    }

    #[test]
    fn short_forms_are_padded() {
        assert_eq!(rc("21"), rc("210000"));
        assert_eq!(rc("2101"), rc("210100"));
        assert_eq!(rc(" 210102 "), rc("210102"));
        assert_eq!(rc("210102").as_u32(), 210102);
    }

    #[test]
    fn municipalities_skip_placeholder_level() {
        let dongcheng = rc("110101");
        assert_eq!(dongcheng.name(), "东城区");
        assert_eq!(dongcheng.full_name(), "北京市东城区");
        assert!(rc("110100").is_placeholder());
        assert_eq!(rc("110100").full_name(), "北京市市辖区");
        assert_eq!(rc("120101").full_name(), "天津市和平区");
        assert_eq!(rc("500229").full_name(), "重庆市城口县");
        assert_eq!(rc("429004").full_name(), "湖北省仙桃市");
        assert!(!rc("210100").is_placeholder());
    }

    #[test]
    fn cities_without_counties_are_county_level() {
        let dongguan = rc("441900");
        assert_eq!(dongguan.name(), "东莞市");
        assert_eq!(dongguan.level(), RegionLevel::City);
        assert!(dongguan.children().is_empty());
        assert!(dongguan.is_county_level());
        assert_eq!(dongguan.full_name(), "广东省东莞市");
        assert!(rc("210102").is_county_level());
        assert!(!rc("210100").is_county_level());
        assert!(!rc("210000").is_county_level());
        let e = rc("210100").ensure_county_level().unwrap_err();
        assert_eq!(e.code(), "region.level");
        assert_eq!(e.to_string(), "行政区划代码 210100（沈阳市）不是区县级代码");
    }

    #[test]
    fn unknown_and_malformed_codes() {
        let e = RegionCode::parse("219999").unwrap_err();
        assert_eq!(e.code(), "region.unknown");
        assert_eq!(e.to_string(), "行政区划代码 219999 不在 GB/T 2260 代码表中");
        assert_eq!(
            RegionCode::parse("10").unwrap_err().code(),
            "region.unknown"
        );
        assert_eq!(
            RegionCode::parse("2101a2").unwrap_err().code(),
            "region.format"
        );
        assert_eq!(
            RegionCode::parse("21010").unwrap_err().code(),
            "region.format"
        );
        assert_eq!(RegionCode::parse("").unwrap_err().code(), "region.format");
        assert_eq!(
            RegionCode::parse("+21010").unwrap_err().code(),
            "region.format"
        );
    }

    #[test]
    fn containment() {
        let liaoning = rc("210000");
        let shenyang = rc("210100");
        let heping = rc("210102");
        let dalian = rc("210200");
        assert!(liaoning.contains(&heping));
        assert!(shenyang.contains(&heping));
        assert!(heping.contains(&heping));
        assert!(!dalian.contains(&heping));
        assert!(!heping.contains(&shenyang));
        assert!(!rc("220000").contains(&heping));
    }

    #[test]
    fn prefixes() {
        assert_eq!(rc("210000").prefix().as_str(), "21");
        assert_eq!(rc("210100").prefix().as_str(), "2101");
        assert_eq!(rc("210102").prefix().as_str(), "210102");
        let p = RegionPrefix::parse("2101").unwrap();
        assert_eq!(p.region(), rc("210100"));
        assert_eq!(p.level(), RegionLevel::City);
        assert!(p.matches(&rc("210102")));
        assert!(p.matches(&rc("210100")));
        assert!(!p.matches(&rc("210202")));
        assert_eq!(RegionPrefix::parse("210100").unwrap().as_str(), "2101");
        assert!(RegionPrefix::parse("21").unwrap().covers(&p));
        assert!(!p.covers(&RegionPrefix::parse("21").unwrap()));
        assert_eq!(
            RegionPrefix::parse("2199").unwrap_err().code(),
            "region.unknown"
        );
        assert_eq!(
            RegionPrefix::parse("211").unwrap_err().code(),
            "region.format"
        );
    }

    #[test]
    fn province_codes_for_id_numbers() {
        assert!(is_province_code("21"));
        assert!(is_province_code("65"));
        assert!(!is_province_code("10"));
        assert!(!is_province_code("99"));
        assert!(!is_province_code("2"));
    }

    #[test]
    fn serde_forms() {
        let code = rc("210102");
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"210102\"");
        assert_eq!(
            serde_json::from_str::<RegionCode>("\"210102\"").unwrap(),
            code
        );
        assert_eq!(serde_json::from_str::<RegionCode>("210102").unwrap(), code);
        assert!(serde_json::from_str::<RegionCode>("\"219999\"").is_err());
        let p = RegionPrefix::parse("21").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"21\"");
        assert_eq!(serde_json::from_str::<RegionPrefix>("\"21\"").unwrap(), p);
    }
}
