//! Types and values that policies compute with. Money is integer fen and rates are exact
//! fractions, so no amount is ever off by a fen through floating point.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use wenjiu_core::indicators::Ratio;

/// The kind of subject a policy is about; a `hire` sees both its enterprise and its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    Person,
    Enterprise,
    Hire,
}

impl SubjectKind {
    /// The field prefixes (`person.`, `enterprise.`, `hire.`) an expression may use.
    pub fn roots(self) -> &'static [SubjectKind] {
        match self {
            SubjectKind::Person => &[SubjectKind::Person],
            SubjectKind::Enterprise => &[SubjectKind::Enterprise],
            SubjectKind::Hire => &[
                SubjectKind::Hire,
                SubjectKind::Person,
                SubjectKind::Enterprise,
            ],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SubjectKind::Person => "person",
            SubjectKind::Enterprise => "enterprise",
            SubjectKind::Hire => "hire",
        }
    }

    pub fn from_name(name: &str) -> Option<SubjectKind> {
        [
            SubjectKind::Person,
            SubjectKind::Enterprise,
            SubjectKind::Hire,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }
}

/// The type of a field, parameter or expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    Int,
    /// Fen.
    Money,
    /// An exact fraction (a share, a rate, a number of months times a fraction).
    Rate,
    Bool,
    /// A string or a code.
    String,
    Date,
    /// A list of strings, for `x in param("codes")`.
    StringList,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Int => "整数",
            Type::Money => "金额（分）",
            Type::Rate => "比率",
            Type::Bool => "布尔值",
            Type::String => "字符串",
            Type::Date => "日期",
            Type::StringList => "字符串列表",
        })
    }
}

/// A typed value of a field or parameter, as shown in traces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Int(i64),
    Money(i64),
    Rate(Ratio),
    Bool(bool),
    String(String),
    Date(NaiveDate),
    StringList(Vec<String>),
}

impl Value {
    pub fn ty(&self) -> Type {
        match self {
            Value::Int(_) => Type::Int,
            Value::Money(_) => Type::Money,
            Value::Rate(_) => Type::Rate,
            Value::Bool(_) => Type::Bool,
            Value::String(_) => Type::String,
            Value::Date(_) => Type::Date,
            Value::StringList(_) => Type::StringList,
        }
    }

    pub(crate) fn scalar(&self) -> Scalar<'_> {
        match self {
            Value::Int(n) | Value::Money(n) => Scalar::I(*n),
            Value::Rate(r) => Scalar::D(*r),
            Value::Bool(b) => Scalar::B(*b),
            Value::String(s) => Scalar::S(s),
            Value::Date(d) => Scalar::T(*d),
            Value::StringList(l) => Scalar::L(l),
        }
    }
}

/// A value while evaluating, borrowed from the policy, the parameters or the subject. Money is
/// `I` when whole fen and `D` once a rate has made it fractional.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scalar<'a> {
    I(i64),
    D(Ratio),
    B(bool),
    S(&'a str),
    T(NaiveDate),
    L(&'a [String]),
}

/// Parses an exact decimal: "0.5", "2/3" or "50%".
pub(crate) fn parse_rate(text: &str) -> Option<Ratio> {
    let t = text.trim();
    if t.ends_with('%') {
        return Ratio::parse_percent(t).ok();
    }
    if t.contains('/') {
        return t.parse().ok();
    }
    Ratio::parse_percent(t)
        .ok()?
        .checked_mul(Ratio::from_integer(100))
}

/// A rate as people read it: a percentage where one is exact ("5.5%", "100%"), otherwise the
/// fraction ("2/3").
pub fn rate_text(r: Ratio) -> String {
    let percent = r.round_percent(4);
    match i64::try_from(percent.units()) {
        Ok(units) if Ratio::from_percent(units, 4) == r => format!("{}%", percent.trimmed()),
        _ => r.to_string(),
    }
}

/// A TOML local date (`from = 2020-01-01`) as a `NaiveDate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TomlDate(pub NaiveDate);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TomlDate, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        toml_date(&dt)
            .map(TomlDate)
            .ok_or_else(|| serde::de::Error::custom("应为日期，如 2020-01-01"))
    }
}

pub(crate) fn toml_date(dt: &toml::value::Datetime) -> Option<NaiveDate> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        }
        _ => None,
    }
}
