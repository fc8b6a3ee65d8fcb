//! Dated, regional parameters. A value applies from its start date in its region (province
//! `21`, city `2102`, county `210202`); the most specific region wins, and within it the latest
//! start not after the date. Values are only ever added, so every past result can be redone.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result, line_of, toml_error};
use crate::value::{TomlDate, Type, Value, parse_rate, rate_text, toml_date};

/// One dated value of a parameter for one region, with the document it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParamValue {
    pub from: NaiveDate,
    pub region: String,
    pub value: Value,
    pub source: String,
}

/// A declared parameter and its whole history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub ty: Type,
    pub unit: String,
    pub description: String,
    /// The legal bounds of a number (inclusive): a changeable value still stays within what
    /// the documents allow, e.g. a share of contributions of at most 2/3.
    pub min: Option<Value>,
    pub max: Option<Value>,
    /// Set by the province alone (a provincial list, a State ceiling): no city or county value.
    pub province_only: bool,
    values: Vec<ParamValue>,
}

/// `a` ≤ `b` for two numbers of one type (other values are not ordered).
fn at_most(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Int(a), Value::Int(b)) | (Value::Money(a), Value::Money(b)) => Some(a <= b),
        (Value::Rate(a), Value::Rate(b)) => Some(a <= b),
        _ => None,
    }
}

/// A bound as written in the files and messages: a rate as a percentage.
fn bound_text(v: &Value) -> String {
    match v {
        Value::Int(n) | Value::Money(n) => n.to_string(),
        Value::Rate(r) => rate_text(*r),
        other => format!("{other:?}"),
    }
}

impl Parameter {
    /// Every value ever given, ordered by region then start date.
    pub fn values(&self) -> &[ParamValue] {
        &self.values
    }

    /// The value for a subject in `region` on `date`: the longest region prefix having a value
    /// that starts on or before the date, and of those the latest.
    pub fn lookup(&self, region: &str, date: NaiveDate) -> Option<&ParamValue> {
        self.values
            .iter()
            .filter(|v| region.starts_with(&v.region) && v.from <= date)
            .max_by_key(|v| (v.region.len(), v.from))
    }

    /// Whether `value` may be a value of this parameter: its type, a region code, a city or
    /// county only where the province allows one, and within the bounds (money is never
    /// negative: it would turn a subsidy or a threshold into a charge).
    pub fn check(&self, value: &ParamValue) -> Result<()> {
        if value.value.ty() != self.ty {
            return Err(Error::ParamType {
                param: self.name.clone(),
                expected: self.ty.to_string(),
            });
        }
        if !valid_region(&value.region) {
            return Err(Error::FieldValue {
                field: format!("参数“{}”的地区", self.name),
                message: format!("“{}”应为 2、4 或 6 位行政区划代码", value.region),
            });
        }
        if self.province_only && value.region.len() != 2 {
            return Err(Error::ParamProvinceOnly(self.name.clone()));
        }
        let bound = |bound: String| Error::ParamBound {
            param: self.name.clone(),
            bound,
        };
        let zero = Value::Money(0);
        let min = self
            .min
            .as_ref()
            .or((self.ty == Type::Money).then_some(&zero));
        if let Some(min) = min.filter(|m| at_most(m, &value.value) == Some(false)) {
            let zero = matches!(min, Value::Int(0) | Value::Money(0))
                || matches!(min, Value::Rate(r) if r.is_zero());
            return Err(bound(if zero {
                "不能为负数".into()
            } else {
                format!("应不小于 {}", bound_text(min))
            }));
        }
        if let Some(max) = self
            .max
            .as_ref()
            .filter(|m| at_most(&value.value, m) == Some(false))
        {
            return Err(bound(format!("应不大于 {}", bound_text(max))));
        }
        Ok(())
    }

    /// Adds a value; with `replace`, one for the same region and start is replaced (what-if
    /// overlays), otherwise that is an error (history is never overwritten).
    fn insert(&mut self, value: ParamValue, replace: bool) -> Result<()> {
        self.check(&value)?;
        let key = |v: &ParamValue| (v.region.clone(), v.from);
        match self.values.binary_search_by_key(&key(&value), key) {
            Ok(i) if replace => self.values[i] = value,
            Ok(_) => {
                return Err(Error::DuplicateParamValue {
                    param: self.name.clone(),
                    region: value.region,
                    from: value.from,
                });
            }
            Err(i) => self.values.insert(i, value),
        }
        Ok(())
    }
}

fn valid_region(region: &str) -> bool {
    matches!(region.len(), 2 | 4 | 6) && region.bytes().all(|b| b.is_ascii_digit())
}

/// A hypothetical value for a what-if run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamChange {
    pub name: String,
    pub value: ParamValue,
}

/// All declared parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parameters {
    params: BTreeMap<String, Parameter>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    #[serde(default)]
    param: Vec<Spanned<ParamEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamEntry {
    name: String,
    #[serde(rename = "type")]
    ty: Type,
    unit: String,
    description: String,
    /// Bounds of a number, written as its values are.
    min: Option<toml::Value>,
    max: Option<toml::Value>,
    #[serde(default)]
    province_only: bool,
    #[serde(default)]
    values: Vec<Spanned<ValueEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueEntry {
    from: TomlDate,
    region: String,
    value: toml::Value,
    source: String,
}

impl Parameters {
    /// Parses a parameter file (`[[param]]` tables with `[[param.values]]`), adding its
    /// parameters to these; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Parameters> {
        let mut params = Parameters::default();
        params.add_file(file, text)?;
        Ok(params)
    }

    /// Adds the parameters of one more file; a name declared twice is an error.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<()> {
        let parsed: ParamFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        for entry in parsed.param {
            let invalid = |offset: usize, message: String| Error::Invalid {
                file: file.to_string(),
                line: line_of(text, offset),
                message,
            };
            let start = entry.span().start;
            let entry = entry.into_inner();
            if self.params.contains_key(&entry.name) {
                return Err(invalid(start, format!("参数“{}”重复声明", entry.name)));
            }
            let numeric = matches!(entry.ty, Type::Int | Type::Money | Type::Rate);
            let bound = |b: &Option<toml::Value>| {
                b.as_ref()
                    .map(|b| convert(b, entry.ty).filter(|_| numeric))
                    .map(|b| {
                        b.ok_or_else(|| {
                            invalid(start, format!("参数“{}”的上下限应为数值", entry.name))
                        })
                    })
                    .transpose()
            };
            let mut param = Parameter {
                name: entry.name.clone(),
                ty: entry.ty,
                unit: entry.unit,
                description: entry.description,
                min: bound(&entry.min)?,
                max: bound(&entry.max)?,
                province_only: entry.province_only,
                values: Vec::new(),
            };
            for v in entry.values {
                let start = v.span().start;
                let v = v.into_inner();
                let value = convert(&v.value, entry.ty).ok_or_else(|| {
                    invalid(start, format!("参数“{}”的取值应为{}", entry.name, entry.ty))
                })?;
                let value = ParamValue {
                    from: v.from.0,
                    region: v.region,
                    value,
                    source: v.source,
                };
                param
                    .insert(value, false)
                    .map_err(|e| invalid(start, e.to_string()))?;
            }
            self.params.insert(entry.name, param);
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Parameter> {
        self.params.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.params.values()
    }

    /// Adds a value to a parameter's history (e.g. a city's new override from a date).
    pub fn add_value(&mut self, name: &str, value: ParamValue) -> Result<()> {
        self.param_mut(name)?.insert(value, false)
    }

    /// The value in force for `region` on `date`.
    pub fn lookup(&self, name: &str, region: &str, date: NaiveDate) -> Result<&ParamValue> {
        let param = self
            .get(name)
            .ok_or_else(|| Error::UnknownParam(name.to_string()))?;
        param
            .lookup(region, date)
            .ok_or_else(|| Error::NoParamValue {
                param: name.to_string(),
                region: region.to_string(),
                date,
            })
    }

    /// These parameters with hypothetical values laid over them (replacing any value for the
    /// same region and start), for a what-if run; `self` is untouched.
    pub fn overlaid(&self, changes: &[ParamChange]) -> Result<Parameters> {
        let mut out = self.clone();
        for c in changes {
            out.param_mut(&c.name)?.insert(c.value.clone(), true)?;
        }
        Ok(out)
    }

    fn param_mut(&mut self, name: &str) -> Result<&mut Parameter> {
        self.params
            .get_mut(name)
            .ok_or_else(|| Error::UnknownParam(name.to_string()))
    }
}

/// A TOML value as a value of type `ty`: money in integer fen, rates as "0.5", "2/3" or "50%".
pub fn convert(v: &toml::Value, ty: Type) -> Option<Value> {
    Some(match (ty, v) {
        (Type::Int, toml::Value::Integer(n)) => Value::Int(*n),
        (Type::Money, toml::Value::Integer(n)) => Value::Money(*n),
        (Type::Rate, toml::Value::String(s)) => Value::Rate(parse_rate(s)?),
        (Type::Rate, toml::Value::Integer(n)) => Value::Rate((*n).into()),
        (Type::Bool, toml::Value::Boolean(b)) => Value::Bool(*b),
        (Type::String, toml::Value::String(s)) => Value::String(s.clone()),
        (Type::Date, toml::Value::Datetime(d)) => Value::Date(toml_date(d)?),
        (Type::StringList, toml::Value::Array(items)) => Value::StringList(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenjiu_core::indicators::Ratio;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn value(region: &str, from: &str, months: i64) -> ParamValue {
        ParamValue {
            from: d(from),
            region: region.into(),
            value: Value::Int(months),
            source: format!("{region} {from}"),
        }
    }

    fn months() -> Parameters {
        let text = "[[param]]\nname = \"m\"\ntype = \"int\"\nunit = \"月\"\ndescription = \"\"\n";
        let mut p = Parameters::parse("p.toml", text).unwrap();
        for (region, from, n) in [
            ("21", "2019-01-01", 3),
            ("21", "2020-01-01", 4),
            ("2102", "2020-03-01", 5),
            ("210202", "2020-06-01", 6),
        ] {
            p.add_value("m", value(region, from, n)).unwrap();
        }
        p
    }

    fn at(p: &Parameters, region: &str, date: &str) -> (i64, String, NaiveDate) {
        let v = p.lookup("m", region, d(date)).unwrap();
        let Value::Int(n) = v.value else { panic!() };
        (n, v.region.clone(), v.from)
    }

    #[test]
    fn county_beats_city_beats_province() {
        let p = months();
        assert_eq!(
            at(&p, "210202", "2020-07-01"),
            (6, "210202".into(), d("2020-06-01"))
        );
        assert_eq!(
            at(&p, "210203", "2020-07-01"),
            (5, "2102".into(), d("2020-03-01"))
        );
        assert_eq!(
            at(&p, "210102", "2020-07-01"),
            (4, "21".into(), d("2020-01-01"))
        );
        assert_eq!(
            at(&p, "2102", "2020-07-01"),
            (5, "2102".into(), d("2020-03-01"))
        );
        // Another province has no value at all.
        assert_eq!(
            p.lookup("m", "220102", d("2020-07-01"))
                .unwrap_err()
                .to_string(),
            "参数“m”在地区 220102、日期 2020-07-01 没有适用的取值"
        );
    }

    #[test]
    fn later_start_wins_and_earlier_dates_see_earlier_values() {
        let p = months();
        assert_eq!(at(&p, "210202", "2020-05-31").0, 5); // the county's value starts in June
        assert_eq!(at(&p, "210202", "2020-02-29").0, 4); // the city's starts in March
        assert_eq!(at(&p, "210202", "2019-12-31").0, 3);
        assert!(p.lookup("m", "210202", d("2018-12-31")).is_err());
    }

    #[test]
    fn history_is_never_overwritten() {
        let mut p = months();
        p.add_value("m", value("21", "2021-01-01", 7)).unwrap();
        assert_eq!(at(&p, "210102", "2021-01-01").0, 7);
        assert_eq!(at(&p, "210102", "2020-12-31").0, 4);
        assert_eq!(p.get("m").unwrap().values().len(), 5);
        let e = p.add_value("m", value("21", "2020-01-01", 9)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "参数“m”在地区 21 自 2020-01-01 起已有取值，历史不可覆盖"
        );
        let e = p.add_value("m", value("2", "2020-01-01", 9)).unwrap_err();
        assert!(e.to_string().contains("2、4 或 6 位"), "{e}");
        let mut wrong = value("21", "2022-01-01", 1);
        wrong.value = Value::Bool(true);
        assert_eq!(
            p.add_value("m", wrong).unwrap_err().to_string(),
            "参数“m”的取值应为整数"
        );
    }

    #[test]
    fn overlay_replaces_only_in_the_copy() {
        let p = months();
        let change = ParamChange {
            name: "m".into(),
            value: value("2102", "2020-03-01", 8),
        };
        let q = p.overlaid(std::slice::from_ref(&change)).unwrap();
        assert_eq!(at(&q, "210203", "2020-07-01").0, 8);
        assert_eq!(at(&p, "210203", "2020-07-01").0, 5);
        let unknown = ParamChange {
            name: "x".into(),
            ..change
        };
        assert_eq!(
            p.overlaid(&[unknown]).unwrap_err(),
            Error::UnknownParam("x".into())
        );
    }

    #[test]
    fn values_stay_within_the_bounds_and_the_province() {
        let text = r#"
[[param]]
name = "share"
type = "rate"
unit = ""
description = ""
min = 0
max = "2/3"
values = [{ from = 2020-01-01, region = "21", value = "2/3", source = "a" }]
[[param]]
name = "top"
type = "int"
unit = ""
description = ""
min = 0
province_only = true
[[param]]
name = "fen"
type = "money"
unit = ""
description = ""
"#;
        let mut p = Parameters::parse("p.toml", text).unwrap();
        let v = |region: &str, value| ParamValue {
            from: d("2020-06-01"),
            region: region.into(),
            value,
            source: String::new(),
        };
        let rate = |n, den| Value::Rate(Ratio::new(n, den).unwrap());
        let err =
            |p: &mut Parameters, name, value| p.add_value(name, value).unwrap_err().to_string();
        assert_eq!(
            err(&mut p, "share", v("2101", rate(3, 2))),
            "参数“share”的取值应不大于 2/3"
        );
        assert_eq!(
            err(&mut p, "share", v("2101", rate(-1, 2))),
            "参数“share”的取值不能为负数"
        );
        p.add_value("share", v("2101", rate(1, 2))).unwrap();
        assert_eq!(
            err(&mut p, "top", v("2101", Value::Int(50))),
            "参数“top”由省级统一规定，市县不能另定取值"
        );
        assert_eq!(
            err(&mut p, "top", v("21", Value::Int(-1))),
            "参数“top”的取值不能为负数"
        );
        p.add_value("top", v("21", Value::Int(10))).unwrap();
        // Money is never negative, bounds or not.
        assert_eq!(
            err(&mut p, "fen", v("21", Value::Money(-1))),
            "参数“fen”的取值不能为负数"
        );
        // What-if overlays are held to the same bounds.
        let change = ParamChange {
            name: "share".into(),
            value: v("2101", rate(1, 1)),
        };
        assert!(p.overlaid(&[change]).is_err());
        // A file's own value outside its bounds, or a bound that is no number, is refused.
        let over = text.replace("value = \"2/3\"", "value = \"70%\"");
        assert!(Parameters::parse("p.toml", &over).is_err());
        let wrong = text.replace("max = \"2/3\"", "max = true");
        assert!(
            Parameters::parse("p.toml", &wrong)
                .unwrap_err()
                .to_string()
                .contains("上下限应为数值")
        );
    }

    #[test]
    fn values_of_every_type_parse() {
        let text = r#"
[[param]]
name = "share"
type = "rate"
unit = ""
description = ""
values = [
  { from = 2020-01-01, region = "21", value = "2/3", source = "a" },
  { from = 2020-02-01, region = "21", value = "0.055", source = "b" },
  { from = 2020-03-01, region = "21", value = "5.5%", source = "c" },
]
[[param]]
name = "codes"
type = "string_list"
unit = ""
description = ""
values = [{ from = 2020-01-01, region = "21", value = ["a", "b"], source = "a" }]
[[param]]
name = "deadline"
type = "date"
unit = ""
description = ""
values = [{ from = 2020-01-01, region = "21", value = 2020-12-31, source = "a" }]
"#;
        let p = Parameters::parse("p.toml", text).unwrap();
        let share = |date| p.lookup("share", "210102", d(date)).unwrap().value.clone();
        assert_eq!(share("2020-01-15"), Value::Rate(Ratio::new(2, 3).unwrap()));
        assert_eq!(
            share("2020-02-15"),
            Value::Rate(Ratio::new(55, 1000).unwrap())
        );
        assert_eq!(share("2020-03-15"), share("2020-02-15"));
        assert_eq!(
            p.lookup("codes", "21", d("2020-01-01")).unwrap().value,
            Value::StringList(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            p.lookup("deadline", "21", d("2020-01-01")).unwrap().value,
            Value::Date(d("2020-12-31"))
        );
    }
}
