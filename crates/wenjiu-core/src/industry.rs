//! Industry sections (门类) of GB/T 4754-2017.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// The 20 sections A–T of GB/T 4754-2017.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndustryCode {
    /// A 农、林、牧、渔业
    Agriculture,
    /// B 采矿业
    Mining,
    /// C 制造业
    Manufacturing,
    /// D 电力、热力、燃气及水生产和供应业
    Utilities,
    /// E 建筑业
    Construction,
    /// F 批发和零售业
    WholesaleRetail,
    /// G 交通运输、仓储和邮政业
    TransportPostal,
    /// H 住宿和餐饮业
    AccommodationCatering,
    /// I 信息传输、软件和信息技术服务业
    InformationTechnology,
    /// J 金融业
    Finance,
    /// K 房地产业
    RealEstate,
    /// L 租赁和商务服务业
    LeasingBusinessServices,
    /// M 科学研究和技术服务业
    ResearchTechnical,
    /// N 水利、环境和公共设施管理业
    WaterEnvironmentFacilities,
    /// O 居民服务、修理和其他服务业
    ResidentServices,
    /// P 教育
    Education,
    /// Q 卫生和社会工作
    HealthSocialWork,
    /// R 文化、体育和娱乐业
    CultureSportsEntertainment,
    /// S 公共管理、社会保障和社会组织
    PublicAdministration,
    /// T 国际组织
    InternationalOrganizations,
}

use IndustryCode::*;

/// (variant, letter, official name) in section order.
const TABLE: [(IndustryCode, &str, &str); 20] = [
    (Agriculture, "A", "农、林、牧、渔业"),
    (Mining, "B", "采矿业"),
    (Manufacturing, "C", "制造业"),
    (Utilities, "D", "电力、热力、燃气及水生产和供应业"),
    (Construction, "E", "建筑业"),
    (WholesaleRetail, "F", "批发和零售业"),
    (TransportPostal, "G", "交通运输、仓储和邮政业"),
    (AccommodationCatering, "H", "住宿和餐饮业"),
    (InformationTechnology, "I", "信息传输、软件和信息技术服务业"),
    (Finance, "J", "金融业"),
    (RealEstate, "K", "房地产业"),
    (LeasingBusinessServices, "L", "租赁和商务服务业"),
    (ResearchTechnical, "M", "科学研究和技术服务业"),
    (
        WaterEnvironmentFacilities,
        "N",
        "水利、环境和公共设施管理业",
    ),
    (ResidentServices, "O", "居民服务、修理和其他服务业"),
    (Education, "P", "教育"),
    (HealthSocialWork, "Q", "卫生和社会工作"),
    (CultureSportsEntertainment, "R", "文化、体育和娱乐业"),
    (PublicAdministration, "S", "公共管理、社会保障和社会组织"),
    (InternationalOrganizations, "T", "国际组织"),
];

/// Name without the enumeration commas, the form most spreadsheets use (农林牧渔业).
fn compact(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '、' | ',' | '，') && !c.is_whitespace())
        .collect()
}

impl IndustryCode {
    fn row(&self) -> &'static (IndustryCode, &'static str, &'static str) {
        &TABLE[*self as usize]
    }

    /// Accepts the section letter (any case), the official name, the name without "、", or
    /// letter and name together ("C 制造业", as exports write it).
    pub fn parse(text: &str) -> Result<IndustryCode> {
        let t = text.trim();
        let wanted = compact(t);
        let found = TABLE.iter().find(|(_, letter, name)| {
            t.eq_ignore_ascii_case(letter)
                || wanted == compact(name)
                || wanted
                    .strip_prefix(letter)
                    .or_else(|| wanted.strip_prefix(&letter.to_ascii_lowercase()))
                    .is_some_and(|rest| rest == compact(name))
        });
        found.map(|r| r.0).ok_or_else(|| Error::IndustryUnknown {
            text: t.to_string(),
        })
    }

    /// Section letter, 'A'..='T'.
    pub fn code(&self) -> char {
        self.as_str().chars().next().expect("one letter")
    }

    /// Section letter as text, "A".."T" (the stored form).
    pub fn as_str(&self) -> &'static str {
        self.row().1
    }

    /// Official Chinese name of the section.
    pub fn name(&self) -> &'static str {
        self.row().2
    }

    /// All 20 sections in order A–T.
    pub fn all() -> &'static [IndustryCode] {
        const ALL: [IndustryCode; 20] = {
            let mut out = [Agriculture; 20];
            let mut i = 0;
            while i < 20 {
                out[i] = TABLE[i].0;
                i += 1;
            }
            out
        };
        &ALL
    }
}

impl fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for IndustryCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<IndustryCode> {
        IndustryCode::parse(s)
    }
}

impl Serialize for IndustryCode {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for IndustryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<IndustryCode, D::Error> {
        let text = String::deserialize(d)?;
        IndustryCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_letter_order() {
        assert_eq!(IndustryCode::all().len(), 20);
        for (i, ind) in IndustryCode::all().iter().enumerate() {
            assert_eq!(ind.code(), (b'A' + i as u8) as char);
            assert_eq!(*ind as usize, i);
        }
    }

    #[test]
    fn parse_forms() {
        assert_eq!(IndustryCode::parse("C").unwrap(), Manufacturing);
        assert_eq!(IndustryCode::parse("c").unwrap(), Manufacturing);
        assert_eq!(IndustryCode::parse("制造业").unwrap(), Manufacturing);
        assert_eq!(
            IndustryCode::parse("农、林、牧、渔业").unwrap(),
            Agriculture
        );
        assert_eq!(IndustryCode::parse("农林牧渔业").unwrap(), Agriculture);
        assert_eq!(
            IndustryCode::parse("信息传输软件和信息技术服务业").unwrap(),
            InformationTechnology
        );
        assert_eq!(IndustryCode::parse("P 教育").unwrap(), Education);
        assert_eq!(
            IndustryCode::parse("S公共管理、社会保障和社会组织").unwrap(),
            PublicAdministration
        );
        assert_eq!(IndustryCode::parse("T").unwrap().name(), "国际组织");
    }

    #[test]
    fn unknown_sections() {
        for bad in ["U", "", "CC", "制造", "C 教育", "13"] {
            let e = IndustryCode::parse(bad).unwrap_err();
            assert_eq!(e.code(), "industry.unknown", "{bad}");
        }
        assert_eq!(
            IndustryCode::parse("U").unwrap_err().to_string(),
            "行业门类“U”无效：应为 A 至 T 的门类字母或 GB/T 4754-2017 门类名称"
        );
    }

    #[test]
    fn serde_uses_the_letter() {
        assert_eq!(serde_json::to_string(&Finance).unwrap(), "\"J\"");
        assert_eq!(
            serde_json::from_str::<IndustryCode>("\"J\"").unwrap(),
            Finance
        );
    }
}
