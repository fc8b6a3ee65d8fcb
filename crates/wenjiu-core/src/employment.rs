//! Validation of a new employment registration (就业登记).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fields::{Column, FieldError, Reader};
use crate::{
    AreaKind, CreditCode, EmploymentKind, Error, IdCardNo, MIN_WORKING_AGE, RegionCode, parse_date,
};

/// Columns of an employment registration, in file order.
pub const EMPLOYMENT_COLUMNS: &[Column] = &[
    Column {
        key: "id_no",
        header: "身份证号",
        required: true,
    },
    Column {
        key: "kind",
        header: "就业形式",
        required: true,
    },
    Column {
        key: "employer_credit_code",
        header: "用人单位信用代码",
        // Required only for 单位就业 and 公益性岗位.
        required: false,
    },
    Column {
        key: "start_date",
        header: "就业日期",
        required: true,
    },
    Column {
        key: "end_date",
        header: "终止日期",
        required: false,
    },
    Column {
        key: "area",
        header: "城乡",
        required: true,
    },
    Column {
        key: "region",
        header: "就业地区划代码",
        required: true,
    },
];

/// A validated employment registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEmployment {
    pub id_no: IdCardNo,
    pub kind: EmploymentKind,
    /// Present exactly when `kind` has an employer (单位就业, 公益性岗位).
    pub employer_credit_code: Option<CreditCode>,
    pub start_date: NaiveDate,
    /// End of the employment; `None` while it lasts. Not before `start_date`.
    pub end_date: Option<NaiveDate>,
    pub area: AreaKind,
    /// County-level division of the place of work.
    pub region: RegionCode,
}

impl NewEmployment {
    /// Validates a record; `get` returns a column's cell text by key (`None` or empty = missing).
    /// Returns every field error at once, including the cross-field rules.
    pub fn from_fields<'r>(
        get: &dyn Fn(&str) -> Option<&'r str>,
    ) -> std::result::Result<NewEmployment, Vec<FieldError>> {
        let mut r = Reader::new(get, EMPLOYMENT_COLUMNS);
        let id_no = r.required("id_no", IdCardNo::parse);
        let kind = r.required("kind", EmploymentKind::parse);
        let employer_present = r.text("employer_credit_code").is_some();
        let employer_credit_code = r.optional("employer_credit_code", CreditCode::parse);
        let start_date = r.required("start_date", parse_date);
        let end_date = r.optional("end_date", parse_date);
        let area = r.required("area", AreaKind::parse);
        let region = r.required("region", |t| {
            RegionCode::parse(t).and_then(RegionCode::ensure_county_level)
        });

        if let Some(kind) = kind {
            let header = r.header("employer_credit_code");
            if kind.has_employer() && !employer_present {
                r.fail(
                    "employer_credit_code",
                    Error::required(format!("就业形式为{kind}时，{header}")),
                );
            } else if !kind.has_employer() && employer_present {
                r.fail(
                    "employer_credit_code",
                    Error::invalid(header, format!("就业形式为{kind}时不应填写")),
                );
            }
        }
        // Labour Law Art. 15: nobody under 16 may be employed.
        if let (Some(id), Some(start)) = (&id_no, start_date)
            && id.age_on(start) < MIN_WORKING_AGE
        {
            r.fail(
                "start_date",
                Error::invalid(
                    r.header("start_date"),
                    format!("{start}该人员未满{MIN_WORKING_AGE}周岁，不能办理就业登记"),
                ),
            );
        }
        if let (Some(start), Some(end)) = (start_date, end_date)
            && end < start
        {
            r.fail(
                "end_date",
                Error::invalid(r.header("end_date"), format!("{end}早于就业日期{start}")),
            );
        }

        r.finish(|| {
            Some(NewEmployment {
                id_no: id_no?,
                kind: kind?,
                employer_credit_code,
                start_date: start_date?,
                end_date,
                area: area?,
                region: region?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> std::result::Result<NewEmployment, Vec<FieldError>> {
        let m: HashMap<&str, &str> = pairs.iter().copied().collect();
        NewEmployment::from_fields(&|k| m.get(k).copied())
    }

    fn with(kind: &'static str, credit: Option<&'static str>) -> Vec<(&'static str, &'static str)> {
        let mut v = vec![
            ("id_no", "11010519491231002X"),
            ("kind", kind),
            ("start_date", "2020/03/01"),
            ("area", "城镇"),
            ("region", "210102"),
        ];
        if let Some(c) = credit {
            v.push(("employer_credit_code", c));
        }
        v
    }

    const CODE: &str = "914403001922038216";

    #[test]
    fn employer_registration() {
        let e = parse(&with("单位就业", Some(CODE))).unwrap();
        assert_eq!(e.kind, EmploymentKind::Employer);
        assert_eq!(e.employer_credit_code.unwrap().as_str(), CODE);
        assert_eq!(e.start_date, NaiveDate::from_ymd_opt(2020, 3, 1).unwrap());
        assert_eq!(e.end_date, None);
        assert_eq!(e.area, AreaKind::Urban);
        assert!(parse(&with("public_welfare", Some(CODE))).is_ok());
    }

    #[test]
    fn credit_code_required_or_forbidden_by_kind() {
        for kind in ["单位就业", "公益性岗位"] {
            let errors = parse(&with(kind, None)).unwrap_err();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].column, "employer_credit_code");
            assert_eq!(errors[0].code, "field.required");
            assert_eq!(
                errors[0].to_string(),
                format!("就业形式为{kind}时，用人单位信用代码为必填项")
            );
        }
        for kind in ["个体经营", "灵活就业"] {
            assert!(parse(&with(kind, None)).is_ok());
            let errors = parse(&with(kind, Some(CODE))).unwrap_err();
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, "field.invalid");
            assert_eq!(
                errors[0].to_string(),
                format!("用人单位信用代码：就业形式为{kind}时不应填写")
            );
        }
    }

    #[test]
    fn nobody_under_16_is_employed() {
        let mut f = with("灵活就业", None);
        f[0].1 = "110105200801010022";
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "就业日期：2020-03-01该人员未满16周岁，不能办理就业登记"
        );
    }

    #[test]
    fn invalid_credit_code_reported_once() {
        let errors = parse(&with("单位就业", Some("914403001922038217"))).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "credit_code.checksum");
    }

    #[test]
    fn end_date_not_before_start() {
        let mut f = with("灵活就业", None);
        f.push(("end_date", "2020-03-01"));
        assert_eq!(
            parse(&f).unwrap().end_date,
            NaiveDate::from_ymd_opt(2020, 3, 1)
        );
        f.pop();
        f.push(("end_date", "20200229"));
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors[0].column, "end_date");
        assert_eq!(
            errors[0].to_string(),
            "终止日期：2020-02-29早于就业日期2020-03-01"
        );
    }

    #[test]
    fn every_required_column_is_enforced() {
        let errors = parse(&[]).unwrap_err();
        let missing: Vec<_> = errors.iter().map(|e| e.column).collect();
        let required: Vec<_> = EMPLOYMENT_COLUMNS
            .iter()
            .filter(|c| c.required)
            .map(|c| c.key)
            .collect();
        assert_eq!(missing, required);
    }

    #[test]
    fn bad_values() {
        let errors = parse(&[
            ("id_no", "110105491231002"),
            ("kind", "兼职"),
            ("start_date", "2020-02-30"),
            ("area", "郊区"),
            ("region", "999999"),
        ])
        .unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "id_card.legacy",
                "code.unknown",
                "date.invalid",
                "code.unknown",
                "region.unknown"
            ]
        );
    }
}
