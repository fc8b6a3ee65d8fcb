//! Validation of a new unemployment registration (失业登记).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fields::{Column, FieldError, Reader};
use crate::{
    Error, IdCardNo, RegionCode, UnemploymentEnd, UnemploymentReason, is_working_age, parse_date,
};

/// Columns of an unemployment registration, in file order.
pub const UNEMPLOYMENT_COLUMNS: &[Column] = &[
    Column {
        key: "id_no",
        header: "身份证号",
        required: true,
    },
    Column {
        key: "registered_on",
        header: "登记日期",
        required: true,
    },
    Column {
        key: "region",
        header: "登记地区划代码",
        required: true,
    },
    Column {
        key: "reason",
        header: "失业原因",
        required: true,
    },
    Column {
        key: "ended_on",
        header: "注销日期",
        // Given together with end_reason, or not at all.
        required: false,
    },
    Column {
        key: "end_reason",
        header: "注销原因",
        required: false,
    },
];

/// A validated unemployment registration. `ended_on` and `end_reason` are both set (closed
/// registration) or both absent (open registration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUnemployment {
    pub id_no: IdCardNo,
    pub registered_on: NaiveDate,
    /// County-level division where the person registered.
    pub region: RegionCode,
    pub reason: UnemploymentReason,
    /// Not before `registered_on`.
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<UnemploymentEnd>,
}

impl NewUnemployment {
    /// Validates a record; `get` returns a column's cell text by key (`None` or empty = missing).
    /// Returns every field error at once, including the cross-field rules.
    pub fn from_fields<'r>(
        get: &dyn Fn(&str) -> Option<&'r str>,
    ) -> std::result::Result<NewUnemployment, Vec<FieldError>> {
        let mut r = Reader::new(get, UNEMPLOYMENT_COLUMNS);
        let id_no = r.required("id_no", IdCardNo::parse);
        let registered_on = r.required("registered_on", parse_date);
        let region = r.required("region", |t| {
            RegionCode::parse(t).and_then(RegionCode::ensure_county_level)
        });
        let reason = r.required("reason", UnemploymentReason::parse);
        let ended_present = r.text("ended_on").is_some();
        let end_reason_present = r.text("end_reason").is_some();
        let ended_on = r.optional("ended_on", parse_date);
        let end_reason = r.optional("end_reason", UnemploymentEnd::parse);

        let (ended_header, end_reason_header) = (r.header("ended_on"), r.header("end_reason"));
        if ended_present && !end_reason_present {
            r.fail(
                "end_reason",
                Error::required(format!("填写了{ended_header}时，{end_reason_header}")),
            );
        }
        if end_reason_present && !ended_present {
            r.fail(
                "ended_on",
                Error::required(format!("填写了{end_reason_header}时，{ended_header}")),
            );
        }
        // Only working-age people may register as unemployed (就业服务与就业管理规定 Art. 61).
        if let (Some(id), Some(on)) = (&id_no, registered_on)
            && !is_working_age(id.birth_date(), id.sex(), on)
        {
            r.fail(
                "registered_on",
                Error::invalid(
                    r.header("registered_on"),
                    format!(
                        "{on}该人员{}周岁，不在法定劳动年龄内，不能办理失业登记",
                        id.age_on(on)
                    ),
                ),
            );
        }
        if let (Some(start), Some(end)) = (registered_on, ended_on)
            && end < start
        {
            r.fail(
                "ended_on",
                Error::invalid(ended_header, format!("{end}早于登记日期{start}")),
            );
        }

        r.finish(|| {
            Some(NewUnemployment {
                id_no: id_no?,
                registered_on: registered_on?,
                region: region?,
                reason: reason?,
                ended_on,
                end_reason,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> std::result::Result<NewUnemployment, Vec<FieldError>> {
        let m: HashMap<&str, &str> = pairs.iter().copied().collect();
        NewUnemployment::from_fields(&|k| m.get(k).copied())
    }

    fn open() -> Vec<(&'static str, &'static str)> {
        vec![
            ("id_no", "110105198512310029"),
            ("registered_on", "2020-01-15"),
            ("region", "210102"),
            ("reason", "劳动合同终止"),
        ]
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn open_registration() {
        let u = parse(&open()).unwrap();
        assert_eq!(u.registered_on, date(2020, 1, 15));
        assert_eq!(u.reason, UnemploymentReason::ContractEnded);
        assert_eq!(u.ended_on, None);
        assert_eq!(u.end_reason, None);
    }

    #[test]
    fn closed_registration() {
        let mut f = open();
        f.extend([("ended_on", "2020-01-15"), ("end_reason", "实现就业")]);
        let u = parse(&f).unwrap();
        assert_eq!(u.ended_on, Some(date(2020, 1, 15)));
        assert_eq!(u.end_reason, Some(UnemploymentEnd::Employed));
        let json = serde_json::to_string(&u).unwrap();
        assert_eq!(serde_json::from_str::<NewUnemployment>(&json).unwrap(), u);
    }

    #[test]
    fn end_fields_require_each_other() {
        let mut f = open();
        f.push(("ended_on", "2020-03-01"));
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].column, "end_reason");
        assert_eq!(errors[0].code, "field.required");
        assert_eq!(errors[0].to_string(), "填写了注销日期时，注销原因为必填项");

        let mut f = open();
        f.push(("end_reason", "死亡"));
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].column, "ended_on");
        assert_eq!(errors[0].to_string(), "填写了注销原因时，注销日期为必填项");
    }

    #[test]
    fn ended_not_before_registered() {
        let mut f = open();
        f.extend([("ended_on", "2020-01-14"), ("end_reason", "其他")]);
        let errors = parse(&f).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "注销日期：2020-01-14早于登记日期2020-01-15"
        );
    }

    #[test]
    fn only_working_age_people_register() {
        for (id_no, age) in [("110105195801010029", 62), ("110105200801010022", 12)] {
            let mut f = open();
            f[0].1 = id_no;
            let errors = parse(&f).unwrap_err();
            assert_eq!(errors.len(), 1);
            assert_eq!(
                errors[0].to_string(),
                format!(
                    "登记日期：2020-01-15该人员{age}周岁，不在法定劳动年龄内，不能办理失业登记"
                )
            );
        }
    }

    #[test]
    fn invalid_present_values_do_not_also_count_as_missing() {
        let mut f = open();
        f.extend([("ended_on", "2020-13-01"), ("end_reason", "出国")]);
        let errors = parse(&f).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| (e.column, e.code)).collect();
        assert_eq!(
            codes,
            vec![("ended_on", "date.invalid"), ("end_reason", "code.unknown")]
        );
    }

    #[test]
    fn every_required_column_is_enforced() {
        let errors = parse(&[]).unwrap_err();
        let missing: Vec<_> = errors.iter().map(|e| e.column).collect();
        let required: Vec<_> = UNEMPLOYMENT_COLUMNS
            .iter()
            .filter(|c| c.required)
            .map(|c| c.key)
            .collect();
        assert_eq!(missing, required);
    }
}
