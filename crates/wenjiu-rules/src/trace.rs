//! What a single evaluation reports: each condition with the values it read and the clause it
//! implements, each parameter with the region, date and document its value comes from, and
//! the amount's steps. Serializable, for the API and for readers who check the law.

use chrono::NaiveDate;
use serde::Serialize;

use crate::amount::AmountSteps;
use crate::policy::LegalBasis;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The policy is not about this kind of subject, or not in force on the date.
    NotApplicable,
    /// These conditions are false.
    NotEligible { failed: Vec<String> },
    /// Eligible, possibly for 0 fen (which is not the same as not eligible).
    Eligible { amount_fen: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRead {
    pub field: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamRead {
    pub name: String,
    pub value: Value,
    pub region: String,
    pub from: NaiveDate,
    pub source: String,
}

/// Values read while computing one expression, each once, in the order read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reads {
    pub fields: Vec<FieldRead>,
    pub params: Vec<ParamRead>,
}

impl Reads {
    pub(crate) fn field(&mut self, read: FieldRead) {
        if !self.fields.iter().any(|f| f.field == read.field) {
            self.fields.push(read);
        }
    }

    pub(crate) fn param(&mut self, read: ParamRead) {
        if !self.params.iter().any(|p| p.name == read.name) {
            self.params.push(read);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionTrace {
    pub name: String,
    pub clause: String,
    pub expr: String,
    pub reads: Reads,
    /// `None` when it could not be computed (e.g. a division by zero) after an earlier
    /// condition had already failed, which decides the outcome anyway.
    pub result: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmountTrace {
    pub formula: String,
    pub cap: Option<String>,
    pub reads: Reads,
    pub steps: AmountSteps,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub policy_id: String,
    pub policy_name: String,
    pub legal_basis: LegalBasis,
    pub date: NaiveDate,
    pub region: String,
    pub conditions: Vec<ConditionTrace>,
    /// Every parameter read anywhere, once.
    pub params: Vec<ParamRead>,
    pub amount: Option<AmountTrace>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub outcome: Outcome,
    pub trace: Trace,
}
