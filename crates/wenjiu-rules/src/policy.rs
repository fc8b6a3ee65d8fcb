//! Policy files: one TOML file per policy, citing its document, with CEL conditions and an
//! amount formula, checked against the schema when loaded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::amount::Rounding;
use crate::error::{Error, Result, line_of, toml_error};
use crate::expr::ir::{Expr, Ty};
use crate::expr::{Source, Tables, compile};
use crate::params::Parameters;
use crate::schema::Schema;
use crate::value::{SubjectKind, TomlDate, Type};

/// The document a policy rests on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// e.g. 辽政发〔2020〕9号
    pub document: String,
    pub clause: String,
}

/// A compiled expression with its text as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    pub text: String,
    pub(crate) ir: Expr,
}

/// A named condition, citing the clause it implements.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub name: String,
    pub clause: String,
    pub expr: Formula,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// In fen.
    pub formula: Formula,
    /// In fen: an integer or an expression.
    pub cap: Option<Formula>,
    pub round: Rounding,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: String,
    pub name: String,
    /// The file it was loaded from, for messages.
    pub file: String,
    pub legal_basis: LegalBasis,
    pub subject: SubjectKind,
    pub valid_from: NaiveDate,
    /// Inclusive; `None` while open-ended.
    pub valid_to: Option<NaiveDate>,
    pub conditions: Vec<Condition>,
    pub amount: Amount,
    /// Policies of one group cannot be combined for one subject.
    pub exclusion_group: Option<String>,
    /// A subject can receive it only once.
    pub once_per_subject: bool,
    /// The period of one grant of a policy paid again and again (an annual refund, a monthly
    /// subsidy): a subject receives it once per period. `None` for a policy granted once per
    /// subject, or whose period the document leaves open.
    pub granted_per: Option<GrantPeriod>,
    /// The fund that pays it.
    pub fund: String,
    pub(crate) tables: Tables,
}

/// The period of one grant of a policy paid per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantPeriod {
    Year,
    Month,
}

impl GrantPeriod {
    /// Whether two dates fall in the same period.
    pub fn same(self, a: NaiveDate, b: NaiveDate) -> bool {
        use chrono::Datelike;
        match self {
            GrantPeriod::Year => a.year() == b.year(),
            GrantPeriod::Month => (a.year(), a.month()) == (b.year(), b.month()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    id: String,
    name: String,
    subject: SubjectKind,
    fund: String,
    exclusion_group: Option<String>,
    #[serde(default)]
    once_per_subject: bool,
    granted_per: Option<Spanned<GrantPeriod>>,
    legal_basis: LegalBasis,
    validity: Validity,
    #[serde(default)]
    conditions: Vec<Spanned<ConditionEntry>>,
    amount: AmountEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Validity {
    from: TomlDate,
    to: Option<Spanned<TomlDate>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionEntry {
    name: String,
    clause: String,
    expr: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmountEntry {
    formula: Spanned<String>,
    cap: Option<Spanned<toml::Value>>,
    round: Rounding,
}

impl Policy {
    /// Parses and type-checks a policy; every error names `file_name` and a line.
    pub fn parse(file_name: &str, text: &str, schema: &Schema) -> Result<Policy> {
        let f: PolicyFile = toml::from_str(text).map_err(|e| toml_error(file_name, text, &e))?;
        let invalid = |offset: usize, message: String| Error::Invalid {
            file: file_name.to_string(),
            line: line_of(text, offset),
            message,
        };
        let valid_from = f.validity.from.0;
        let valid_to = f.validity.to.as_ref().map(|d| d.get_ref().0);
        if let Some(to) = f
            .validity
            .to
            .as_ref()
            .filter(|to| to.get_ref().0 < valid_from)
        {
            return Err(invalid(to.span().start, "有效期的截止日早于起始日".into()));
        }
        if let Some(per) = f.granted_per.as_ref().filter(|_| f.once_per_subject) {
            return Err(invalid(
                per.span().start,
                "每个对象限享受一次的政策没有发放周期：granted_per 与 once_per_subject 只能取其一"
                    .into(),
            ));
        }
        let mut tables = Tables::default();
        let mut compile_as = |value: &Spanned<String>, want: &[Ty], what: &str| {
            let src = Source::of(file_name, text, value);
            let ir = compile(&src, schema, f.subject, &mut tables)?;
            if !want.contains(&ir.ty) {
                let msg = format!("{what}应为{}，实为{}", want[0].public(), ir.ty.public());
                return Err(src.check_error(0, msg));
            }
            Ok(Formula { text: src.text, ir })
        };
        let mut conditions: Vec<Condition> = Vec::new();
        for c in &f.conditions {
            let entry = c.get_ref();
            if conditions.iter().any(|k| k.name == entry.name) {
                return Err(invalid(
                    c.span().start,
                    format!("条件名“{}”重复", entry.name),
                ));
            }
            conditions.push(Condition {
                name: entry.name.clone(),
                clause: entry.clause.clone(),
                expr: compile_as(&entry.expr, &[Ty::Bool], "条件")?,
            });
        }
        // An integer amount or cap is fen.
        let fen = [Ty::Money, Ty::MoneyDec, Ty::Int];
        let formula = compile_as(&f.amount.formula, &fen, "金额")?;
        let cap = match f.amount.cap {
            None => None,
            Some(cap) => {
                let text_value = match cap.get_ref() {
                    toml::Value::Integer(n) => n.to_string(),
                    toml::Value::String(s) => s.clone(),
                    _ => {
                        return Err(invalid(
                            cap.span().start,
                            "上限应为整数（分）或表达式".into(),
                        ));
                    }
                };
                Some(compile_as(
                    &Spanned::new(cap.span(), text_value),
                    &fen,
                    "上限",
                )?)
            }
        };
        Ok(Policy {
            id: f.id,
            name: f.name,
            file: file_name.to_string(),
            legal_basis: f.legal_basis,
            subject: f.subject,
            valid_from,
            valid_to,
            conditions,
            amount: Amount {
                formula,
                cap,
                round: f.amount.round,
            },
            exclusion_group: f.exclusion_group,
            once_per_subject: f.once_per_subject,
            granted_per: f.granted_per.map(Spanned::into_inner),
            fund: f.fund,
            tables,
        })
    }

    /// Whether the policy is in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }

    /// The fields the policy reads, by full name, with their types.
    pub fn fields(&self) -> impl Iterator<Item = (&str, Type)> {
        self.tables.fields.iter().map(|(n, t)| (n.as_str(), *t))
    }

    /// The parameters the policy reads.
    pub fn params(&self) -> impl Iterator<Item = (&str, Type)> {
        self.tables.params.iter().map(|(n, t)| (n.as_str(), *t))
    }
}

/// Policies loaded together, each checked to have a province default for every parameter it
/// uses on the day it takes effect.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySet {
    policies: Vec<Policy>,
}

impl PolicySet {
    pub fn new(policies: Vec<Policy>, params: &Parameters) -> Result<PolicySet> {
        for (i, p) in policies.iter().enumerate() {
            if policies[..i].iter().any(|q| q.id == p.id) {
                return Err(Error::DuplicatePolicy {
                    file: p.file.clone(),
                    id: p.id.clone(),
                });
            }
            for (name, ty) in p.params() {
                let param = params
                    .get(name)
                    .ok_or_else(|| Error::UnknownParam(name.to_string()))?;
                if param.ty != ty {
                    return Err(Error::ParamType {
                        param: name.to_string(),
                        expected: ty.to_string(),
                    });
                }
                let has_default = param
                    .values()
                    .iter()
                    .any(|v| v.region.len() == 2 && v.from <= p.valid_from);
                if !has_default {
                    return Err(Error::MissingParamValue {
                        file: p.file.clone(),
                        param: name.to_string(),
                        date: p.valid_from,
                    });
                }
            }
        }
        Ok(PolicySet { policies })
    }

    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id == id)
    }
}
