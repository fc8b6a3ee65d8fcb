//! Validation of a new person record (real-name registry).

use serde::{Deserialize, Serialize};

use crate::fields::{Column, FieldError, Reader, bounded_text, non_negative_int, parse_yes_no};
use crate::{Education, Error, Hukou, IdCardNo, RegionCode, Result};

/// Columns of a person record, in file order.
pub const PERSON_COLUMNS: &[Column] = &[
    Column {
        key: "name",
        header: "姓名",
        required: true,
    },
    Column {
        key: "id_no",
        header: "身份证号",
        required: true,
    },
    Column {
        key: "phone",
        header: "手机号",
        required: false,
    },
    Column {
        key: "education",
        header: "学历",
        required: false,
    },
    Column {
        key: "hukou",
        header: "户口性质",
        required: true,
    },
    Column {
        key: "region",
        header: "居住地区划代码",
        required: true,
    },
    Column {
        key: "household_no",
        header: "户编号",
        required: false,
    },
    Column {
        key: "graduation_year",
        header: "毕业年份",
        required: false,
    },
    Column {
        key: "veteran",
        header: "退役军人",
        required: false,
    },
    Column {
        key: "attributes",
        header: "人员属性",
        required: false,
    },
];

/// Declarable person attributes (code, Chinese label); difficulty categories refer to the codes.
pub const PERSON_ATTRIBUTES: &[(&str, &str)] = &[
    ("disabled", "残疾人"),
    ("dibao", "低保对象"),
    ("land_lost", "失地农民"),
    ("single_parent", "单亲抚养未成年子女"),
];

const NAME_MAX: usize = 50;
const HOUSEHOLD_NO_MAX: usize = 32;
const GRADUATION_YEARS: std::ops::RangeInclusive<i32> = 1950..=2100;

/// A validated person record. Sex and birth date come from `id_no`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub name: String,
    pub id_no: IdCardNo,
    pub phone: Option<String>,
    pub education: Option<Education>,
    pub hukou: Hukou,
    /// County-level division of residence.
    pub region: RegionCode,
    /// Groups people into a household (free text from the source system).
    pub household_no: Option<String>,
    pub graduation_year: Option<i32>,
    pub veteran: bool,
    /// Attribute codes of [`PERSON_ATTRIBUTES`], without duplicates, in input order.
    pub attributes: Vec<String>,
}

/// A person's name: 1–50 characters, no digits (ASCII or full-width), no control characters.
pub fn parse_person_name(text: &str) -> Result<String> {
    let name = bounded_text("姓名", text.trim(), NAME_MAX)?;
    if name.is_empty() {
        return Err(Error::required("姓名"));
    }
    if name
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        // The name is not echoed: messages end up in logs.
        return Err(Error::invalid("姓名", "不能包含数字"));
    }
    Ok(name)
}

/// A mainland mobile number: 11 digits starting with 1.
pub fn parse_mobile(text: &str) -> Result<String> {
    let t = text.trim();
    if t.len() == 11 && t.starts_with('1') && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_string())
    } else {
        // The number is not echoed: messages end up in logs.
        Err(Error::invalid("手机号", "应为以1开头的11位数字"))
    }
}

/// A list of attributes separated by `;`, `、` or `,` (half- or full-width); each item is a code
/// or Chinese label of [`PERSON_ATTRIBUTES`]. Returns codes, duplicates removed.
pub fn parse_person_attributes(text: &str) -> Result<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    for item in text
        .split([';', '；', '、', ',', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match PERSON_ATTRIBUTES
            .iter()
            .find(|(code, label)| item.eq_ignore_ascii_case(code) || item == *label)
        {
            Some((code, _)) => {
                if !codes.iter().any(|c| c == code) {
                    codes.push(code.to_string());
                }
            }
            None => unknown.push(item),
        }
    }
    if unknown.is_empty() {
        Ok(codes)
    } else {
        let options: Vec<&str> = PERSON_ATTRIBUTES.iter().map(|(_, l)| *l).collect();
        Err(Error::CodeUnknown {
            table: "人员属性",
            text: unknown.join("、"),
            options: options.join("、"),
        })
    }
}

fn parse_graduation_year(text: &str) -> Result<i32> {
    let year: i32 = non_negative_int("毕业年份", text)?;
    if GRADUATION_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(Error::invalid(
            "毕业年份",
            format!(
                "{year}超出范围，应在{}至{}之间",
                GRADUATION_YEARS.start(),
                GRADUATION_YEARS.end()
            ),
        ))
    }
}

impl NewPerson {
    /// Validates a record; `get` returns a column's cell text by key (`None` or empty = missing).
    /// Returns every field error at once.
    pub fn from_fields<'r>(
        get: &dyn Fn(&str) -> Option<&'r str>,
    ) -> std::result::Result<NewPerson, Vec<FieldError>> {
        let mut r = Reader::new(get, PERSON_COLUMNS);
        let name = r.required("name", parse_person_name);
        let id_no = r.required("id_no", IdCardNo::parse);
        let phone = r.optional("phone", parse_mobile);
        let education = r.optional("education", Education::parse);
        let hukou = r.required("hukou", Hukou::parse);
        let region = r.required("region", |t| {
            RegionCode::parse(t).and_then(RegionCode::ensure_county_level)
        });
        let household_no = r.optional("household_no", |t| {
            bounded_text("户编号", t, HOUSEHOLD_NO_MAX)
        });
        let graduation_year = r.optional("graduation_year", parse_graduation_year);
        let veteran = r.optional("veteran", |t| parse_yes_no("退役军人", t));
        let attributes = r.optional("attributes", parse_person_attributes);
        r.finish(|| {
            Some(NewPerson {
                name: name?,
                id_no: id_no?,
                phone,
                education,
                hukou: hukou?,
                region: region?,
                household_no,
                graduation_year,
                veteran: veteran.unwrap_or(false),
                attributes: attributes.unwrap_or_default(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const ID: &str = "11010519491231002X";

    fn row(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parse(pairs: &[(&str, &str)]) -> std::result::Result<NewPerson, Vec<FieldError>> {
        let m = row(pairs);
        NewPerson::from_fields(&|k| m.get(k).map(String::as_str))
    }

    fn minimal() -> Vec<(&'static str, &'static str)> {
        vec![
            ("name", "张三"),
            ("id_no", ID),
            ("hukou", "城镇"),
            ("region", "210102"),
        ]
    }

    #[test]
    fn minimal_record() {
        let p = parse(&minimal()).unwrap();
        assert_eq!(p.name, "张三");
        assert_eq!(p.id_no.as_str(), ID);
        assert_eq!(p.hukou, Hukou::Urban);
        assert_eq!(p.region.name(), "和平区");
        assert_eq!(p.phone, None);
        assert!(!p.veteran);
        assert!(p.attributes.is_empty());
    }

    #[test]
    fn full_record() {
        let mut f = minimal();
        f.extend([
            ("phone", "13812345678"),
            ("education", "本科"),
            ("household_no", "HH-0001"),
            ("graduation_year", "2020"),
            ("veteran", "是"),
            ("attributes", "残疾人；dibao、残疾人"),
        ]);
        let p = parse(&f).unwrap();
        assert_eq!(p.phone.as_deref(), Some("13812345678"));
        assert_eq!(p.education, Some(Education::Bachelor));
        assert_eq!(p.household_no.as_deref(), Some("HH-0001"));
        assert_eq!(p.graduation_year, Some(2020));
        assert!(p.veteran);
        assert_eq!(p.attributes, vec!["disabled", "dibao"]);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<NewPerson>(&json).unwrap(), p);
    }

    #[test]
    fn all_errors_at_once() {
        let errors = parse(&[
            ("name", "张3"),
            ("id_no", "110105194912310025"),
            ("phone", "23812345678"),
            ("education", "幼儿园"),
            ("region", "210100"),
            ("graduation_year", "1949"),
            ("veteran", "maybe"),
            ("attributes", "残疾人,外星人"),
        ])
        .unwrap_err();
        let cols: Vec<_> = errors.iter().map(|e| (e.column, e.code)).collect();
        assert_eq!(
            cols,
            vec![
                ("name", "field.invalid"),
                ("id_no", "id_card.checksum"),
                ("phone", "field.invalid"),
                ("education", "code.unknown"),
                ("hukou", "field.required"),
                ("region", "region.level"),
                ("graduation_year", "field.invalid"),
                ("veteran", "field.invalid"),
                ("attributes", "code.unknown"),
            ]
        );
        let msg: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(msg[0], "姓名：不能包含数字");
        assert_eq!(msg[2], "手机号：应为以1开头的11位数字");
        assert_eq!(msg[1], "身份证号校验位错误：应为 X，实际为 5");
        assert_eq!(msg[4], "户口性质为必填项");
        assert_eq!(
            msg[5],
            "居住地区划代码：行政区划代码 210100（沈阳市）不是区县级代码"
        );
        assert_eq!(
            msg[8],
            "人员属性“外星人”无效，可选值：残疾人、低保对象、失地农民、单亲抚养未成年子女"
        );
    }

    #[test]
    fn every_required_column_is_enforced() {
        let errors = parse(&[]).unwrap_err();
        let missing: Vec<_> = errors.iter().map(|e| e.column).collect();
        let required: Vec<_> = PERSON_COLUMNS
            .iter()
            .filter(|c| c.required)
            .map(|c| c.key)
            .collect();
        assert_eq!(missing, required);
        assert!(errors.iter().all(|e| e.code == "field.required"));
    }

    #[test]
    fn name_rules() {
        assert_eq!(
            parse_person_name("阿依古丽·买买提").unwrap(),
            "阿依古丽·买买提"
        );
        assert!(parse_person_name("王５").is_err());
        assert!(parse_person_name(&"名".repeat(50)).is_ok());
        assert_eq!(
            parse_person_name(&"名".repeat(51)).unwrap_err().to_string(),
            "姓名：最多50个字符，实际为51个"
        );
    }

    #[test]
    fn phone_rules() {
        assert!(parse_mobile("19912345678").is_ok());
        for bad in [
            "1381234567",
            "138123456789",
            "23812345678",
            "138-1234-567",
            "+8613812345",
        ] {
            assert_eq!(
                parse_mobile(bad).unwrap_err().code(),
                "field.invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn graduation_year_bounds() {
        assert_eq!(parse_graduation_year("1950").unwrap(), 1950);
        assert_eq!(parse_graduation_year("2100").unwrap(), 2100);
        assert!(parse_graduation_year("1949").is_err());
        assert!(parse_graduation_year("2101").is_err());
        assert!(parse_graduation_year("20x0").is_err());
    }

    #[test]
    fn household_number_length() {
        let mut f = minimal();
        let long = "1".repeat(33);
        f.push(("household_no", &long));
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors[0].column, "household_no");
        assert_eq!(errors[0].message, "户编号：最多32个字符，实际为33个");
    }

    #[test]
    fn attribute_lists() {
        assert_eq!(
            parse_person_attributes("land_lost, 单亲抚养未成年子女;;").unwrap(),
            vec!["land_lost", "single_parent"]
        );
        assert!(parse_person_attributes("").unwrap().is_empty());
    }
}
