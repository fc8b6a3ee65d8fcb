//! Evaluates one policy for one subject on a date, with a full trace.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::amount::settle;
use crate::error::{Error, Result};
use crate::expr::ir::{Expr, Node};
use crate::params::Parameters;
use crate::policy::{Formula, Policy};
use crate::trace::{
    AmountTrace, ConditionTrace, Evaluation, FieldRead, Outcome, ParamRead, Reads, Trace,
};
use crate::value::{Scalar, SubjectKind, Value};

/// One subject: its kind, its region code (county, 6 digits; for a hire, the one whose
/// parameters apply, usually the enterprise's) and its field values by full name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: SubjectKind,
    pub region: String,
    pub fields: BTreeMap<String, Value>,
}

impl Subject {
    pub fn new(kind: SubjectKind, region: &str) -> Subject {
        Subject {
            kind,
            region: region.to_string(),
            fields: BTreeMap::new(),
        }
    }

    /// Sets a field by its full name, e.g. `person.age`.
    pub fn with(mut self, field: &str, value: Value) -> Subject {
        self.fields.insert(field.to_string(), value);
        self
    }
}

/// The error of an arithmetic failure inside one of a policy's formulas.
pub(crate) fn fault(policy: &Policy, formula: &Formula, message: &str) -> Error {
    Error::Eval {
        policy: policy.id.clone(),
        expr: formula.text.clone(),
        message: message.to_string(),
    }
}

/// Evaluates `policy` for `subject` on `date`. Every condition is computed, so the trace and
/// the list of failed conditions are complete.
pub fn evaluate(
    policy: &Policy,
    subject: &Subject,
    date: NaiveDate,
    params: &Parameters,
) -> Result<Evaluation> {
    let mut trace = Trace {
        policy_id: policy.id.clone(),
        policy_name: policy.name.clone(),
        legal_basis: policy.legal_basis.clone(),
        date,
        region: subject.region.clone(),
        conditions: Vec::new(),
        params: Vec::new(),
        amount: None,
    };
    if subject.kind != policy.subject || !policy.in_force(date) {
        return Ok(Evaluation {
            outcome: Outcome::NotApplicable,
            trace,
        });
    }
    let fields = policy
        .fields()
        .map(|(name, ty)| match subject.fields.get(name) {
            None => Err(Error::MissingField(name.to_string())),
            Some(v) if v.ty() != ty => Err(Error::FieldValue {
                field: name.to_string(),
                message: format!("应为{ty}"),
            }),
            Some(v) => Ok(v),
        })
        .collect::<Result<Vec<_>>>()?;
    let mut scope = Scope {
        policy,
        fields,
        params,
        region: &subject.region,
        date,
        reads: Reads::default(),
    };
    let mut failed = Vec::new();
    for c in &policy.conditions {
        let result = match scope.eval(&c.expr.ir) {
            Ok(v) => Some(v.truth()),
            // The batch path never computes it for such a subject; agree with it.
            Err(_) if !failed.is_empty() => None,
            Err(e) => return Err(fault_in(policy, &c.expr, e)),
        };
        if result == Some(false) {
            failed.push(c.name.clone());
        }
        trace.conditions.push(ConditionTrace {
            name: c.name.clone(),
            clause: c.clause.clone(),
            expr: c.expr.text.clone(),
            reads: scope.take_reads(&mut trace.params),
            result,
        });
    }
    if !failed.is_empty() {
        return Ok(Evaluation {
            outcome: Outcome::NotEligible { failed },
            trace,
        });
    }
    let amount = &policy.amount;
    let value = scope
        .eval(&amount.formula.ir)
        .map_err(|e| fault_in(policy, &amount.formula, e))?;
    let cap = match &amount.cap {
        Some(cap) => Some(scope.eval(&cap.ir).map_err(|e| fault_in(policy, cap, e))?),
        None => None,
    };
    let steps = settle(value, cap, amount.round).map_err(|m| fault(policy, &amount.formula, m))?;
    let amount_fen = steps.amount_fen;
    trace.amount = Some(AmountTrace {
        formula: amount.formula.text.clone(),
        cap: amount.cap.as_ref().map(|c| c.text.clone()),
        reads: scope.take_reads(&mut trace.params),
        steps,
    });
    Ok(Evaluation {
        outcome: Outcome::Eligible { amount_fen },
        trace,
    })
}

/// An arithmetic failure deep in an expression, before [`fault_in`] names the formula.
pub(crate) fn unplaced(policy: &Policy, message: &str) -> Error {
    Error::Eval {
        policy: policy.id.clone(),
        expr: String::new(),
        message: message.to_string(),
    }
}

/// Names the formula in an arithmetic error raised below it.
pub(crate) fn fault_in(policy: &Policy, formula: &Formula, e: Error) -> Error {
    match e {
        Error::Eval { message, .. } => fault(policy, formula, &message),
        other => other,
    }
}

struct Scope<'a> {
    policy: &'a Policy,
    fields: Vec<&'a Value>,
    params: &'a Parameters,
    region: &'a str,
    date: NaiveDate,
    reads: Reads,
}

impl<'a> Scope<'a> {
    /// The reads since the last call, also adding new parameters to the trace's list.
    fn take_reads(&mut self, all_params: &mut Vec<ParamRead>) -> Reads {
        let reads = std::mem::take(&mut self.reads);
        for p in &reads.params {
            if !all_params.iter().any(|q| q.name == p.name) {
                all_params.push(p.clone());
            }
        }
        reads
    }

    fn arith<T>(&self, r: std::result::Result<T, &'static str>) -> Result<T> {
        r.map_err(|m| unplaced(self.policy, m))
    }

    fn eval(&mut self, e: &'a Expr) -> Result<Scalar<'a>> {
        Ok(match &e.node {
            Node::Const(v) => v.scalar(),
            Node::Field(i) => {
                let value = self.fields[*i];
                let field = self.policy.tables.fields[*i].0.clone();
                self.reads.field(FieldRead {
                    field,
                    value: value.clone(),
                });
                value.scalar()
            }
            Node::Param(i) => {
                let name = &self.policy.tables.params[*i].0;
                let pv = self.params.lookup(name, self.region, self.date)?;
                self.reads.param(ParamRead {
                    name: name.clone(),
                    value: pv.value.clone(),
                    region: pv.region.clone(),
                    from: pv.from,
                    source: pv.source.clone(),
                });
                pv.value.scalar()
            }
            Node::ToDec(a) => self.eval(a)?.widen(),
            Node::Neg(a) => {
                let v = self.eval(a)?;
                self.arith(v.negate())?
            }
            Node::Arith(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                self.arith(x.arith(*op, y))?
            }
            Node::Cmp(op, a, b) => self.eval(a)?.compare(*op, self.eval(b)?),
            Node::And(a, b) => match self.eval(a)?.truth() {
                true => self.eval(b)?,
                false => Scalar::B(false),
            },
            Node::Or(a, b) => match self.eval(a)?.truth() {
                true => Scalar::B(true),
                false => self.eval(b)?,
            },
            Node::Not(a) => Scalar::B(!self.eval(a)?.truth()),
            Node::If(c, a, b) => match self.eval(c)?.truth() {
                true => self.eval(a)?,
                false => self.eval(b)?,
            },
            Node::In(a, b) => self.eval(a)?.member_of(self.eval(b)?),
            Node::Pick(pick, a, b) => self.eval(a)?.pick(*pick, self.eval(b)?),
            Node::Size(a) => self.eval(a)?.size(),
        })
    }
}
