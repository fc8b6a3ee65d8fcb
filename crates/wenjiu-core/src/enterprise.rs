//! Validation of a new enterprise (employer) record.

use serde::{Deserialize, Serialize};

use crate::fields::{Column, FieldError, Reader, bounded_text, non_negative_int};
use crate::{CreditCode, IndustryCode, Ownership, RegionCode, SizeClass};

/// Columns of an enterprise record, in file order.
pub const ENTERPRISE_COLUMNS: &[Column] = &[
    Column {
        key: "credit_code",
        header: "统一社会信用代码",
        required: true,
    },
    Column {
        key: "name",
        header: "单位名称",
        required: true,
    },
    Column {
        key: "industry",
        header: "行业门类",
        required: true,
    },
    Column {
        key: "ownership",
        header: "经济类型",
        required: true,
    },
    Column {
        key: "size_class",
        header: "企业规模",
        required: true,
    },
    Column {
        key: "region",
        header: "所在地区划代码",
        required: true,
    },
    Column {
        key: "insured_count",
        header: "参保人数",
        required: true,
    },
];

const NAME_MAX: usize = 100;

/// A validated enterprise record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEnterprise {
    pub credit_code: CreditCode,
    pub name: String,
    pub industry: IndustryCode,
    pub ownership: Ownership,
    pub size_class: SizeClass,
    /// County-level division where the enterprise is located.
    pub region: RegionCode,
    /// Employees covered by unemployment insurance.
    pub insured_count: u32,
}

impl NewEnterprise {
    /// Validates a record; `get` returns a column's cell text by key (`None` or empty = missing).
    /// Returns every field error at once.
    pub fn from_fields<'r>(
        get: &dyn Fn(&str) -> Option<&'r str>,
    ) -> std::result::Result<NewEnterprise, Vec<FieldError>> {
        let mut r = Reader::new(get, ENTERPRISE_COLUMNS);
        let credit_code = r.required("credit_code", CreditCode::parse);
        let name = r.required("name", |t| bounded_text("单位名称", t, NAME_MAX));
        let industry = r.required("industry", IndustryCode::parse);
        let ownership = r.required("ownership", Ownership::parse);
        let size_class = r.required("size_class", SizeClass::parse);
        let region = r.required("region", |t| {
            RegionCode::parse(t).and_then(RegionCode::ensure_county_level)
        });
        let insured_count = r.required("insured_count", |t| non_negative_int("参保人数", t));
        r.finish(|| {
            Some(NewEnterprise {
                credit_code: credit_code?,
                name: name?,
                industry: industry?,
                ownership: ownership?,
                size_class: size_class?,
                region: region?,
                insured_count: insured_count?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> std::result::Result<NewEnterprise, Vec<FieldError>> {
        let m: HashMap<&str, &str> = pairs.iter().copied().collect();
        NewEnterprise::from_fields(&|k| m.get(k).copied())
    }

    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            ("credit_code", "91350100M000100Y43"),
            ("name", "示例制造有限公司"),
            ("industry", "C"),
            ("ownership", "私营"),
            ("size_class", "小型"),
            ("region", "210102"),
            ("insured_count", "35"),
        ]
    }

    #[test]
    fn valid_record() {
        let e = parse(&valid()).unwrap();
        assert_eq!(e.industry, IndustryCode::Manufacturing);
        assert_eq!(e.ownership, Ownership::Private);
        assert_eq!(e.size_class, SizeClass::Small);
        assert_eq!(e.insured_count, 35);
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<NewEnterprise>(&json).unwrap(), e);
    }

    #[test]
    fn all_errors_at_once() {
        let errors = parse(&[
            ("credit_code", "91350100M000100Y4Y"),
            ("name", &"企".repeat(101)),
            ("industry", "Z"),
            ("ownership", "公有"),
            ("region", "21"),
            ("insured_count", "-3"),
        ])
        .unwrap_err();
        let cols: Vec<_> = errors.iter().map(|e| (e.column, e.code)).collect();
        assert_eq!(
            cols,
            vec![
                ("credit_code", "credit_code.checksum"),
                ("name", "field.invalid"),
                ("industry", "industry.unknown"),
                ("ownership", "code.unknown"),
                ("size_class", "field.required"),
                ("region", "region.level"),
                ("insured_count", "field.invalid"),
            ]
        );
        assert_eq!(
            errors[6].to_string(),
            "参保人数：“-3”无效，应为不小于0的整数"
        );
    }

    #[test]
    fn every_required_column_is_enforced() {
        let errors = parse(&[]).unwrap_err();
        let missing: Vec<_> = errors.iter().map(|e| e.column).collect();
        let required: Vec<_> = ENTERPRISE_COLUMNS
            .iter()
            .filter(|c| c.required)
            .map(|c| c.key)
            .collect();
        assert_eq!(missing, required);
    }

    #[test]
    fn zero_insured_and_name_limit() {
        let mut f = valid();
        f[6] = ("insured_count", "0");
        let long = "企".repeat(100);
        f[1] = ("name", &long);
        assert_eq!(parse(&f).unwrap().insured_count, 0);
    }
}
