//! Batch evaluation over columns: each expression node is computed for a chunk of rows at
//! once, later conditions only for rows still eligible, chunks spread over all cores. No trace;
//! the results equal [`crate::evaluate`]'s row by row (the differential tests check it).

use chrono::NaiveDate;

use crate::amount::settle;
use crate::error::{Error, Result};
use crate::eval::{fault, fault_in, unplaced};
use crate::expr::ir::{Expr, Node, Ty};
use crate::frame::{Column, Frame};
use crate::params::Parameters;
use crate::policy::{Formula, Policy, PolicySet};
use crate::value::Scalar;
use crate::vector::Vector;

/// Rows per chunk: large enough to amortise the per-node work, small enough for the cache.
const CHUNK: usize = 4096;

/// One policy's results over a frame: eligibility and amount (0 when not eligible) per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyResults {
    pub policy_id: String,
    /// False when the policy is about another kind of subject or not in force on the date;
    /// then no row is eligible.
    pub applicable: bool,
    pub eligible: Vec<bool>,
    pub amount_fen: Vec<i64>,
}

impl PolicyResults {
    pub fn beneficiaries(&self) -> usize {
        self.eligible.iter().filter(|e| **e).count()
    }

    pub fn total_fen(&self) -> i64 {
        self.amount_fen.iter().sum()
    }
}

/// Evaluates every policy of `set` over every row of `frame` on `date`.
pub fn evaluate_batch(
    set: &PolicySet,
    frame: &Frame,
    date: NaiveDate,
    params: &Parameters,
) -> Result<Vec<PolicyResults>> {
    set.policies()
        .iter()
        .map(|p| evaluate_policy(p, frame, date, params))
        .collect()
}

fn evaluate_policy(
    policy: &Policy,
    frame: &Frame,
    date: NaiveDate,
    params: &Parameters,
) -> Result<PolicyResults> {
    let n = frame.len();
    let mut out = PolicyResults {
        policy_id: policy.id.clone(),
        applicable: frame.kind == policy.subject && policy.in_force(date),
        eligible: vec![false; n],
        amount_fen: vec![0; n],
    };
    if !out.applicable || n == 0 {
        return Ok(out);
    }
    let columns = policy
        .fields()
        .map(|(name, ty)| match frame.columns.get(name) {
            None => Err(Error::MissingField(name.to_string())),
            Some(c) if c.ty() != ty => Err(Error::FieldValue {
                field: name.to_string(),
                message: format!("的列应为{ty}"),
            }),
            Some(c) => Ok(c),
        })
        .collect::<Result<Vec<_>>>()?;
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    // Whole chunks per thread, so every thread works on full chunks but the last.
    let per_thread = n.div_ceil(threads).div_ceil(CHUNK) * CHUNK;
    std::thread::scope(|s| {
        let workers: Vec<_> = out
            .eligible
            .chunks_mut(per_thread)
            .zip(out.amount_fen.chunks_mut(per_thread))
            .enumerate()
            .map(|(t, (eligible, amounts))| {
                let mut worker = Worker {
                    policy,
                    frame,
                    columns: &columns,
                    params,
                    date,
                    cache: vec![vec![None; frame.regions.len()]; policy.tables.params.len()],
                };
                let start = t * per_thread;
                s.spawn(move || {
                    let chunks = eligible.chunks_mut(CHUNK).zip(amounts.chunks_mut(CHUNK));
                    for (c, (e, a)) in chunks.enumerate() {
                        worker.chunk(start + c * CHUNK, e, a)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("batch worker panicked"))
    })?;
    Ok(out)
}

/// One thread's state: the parameter values already resolved, per parameter and region.
struct Worker<'a> {
    policy: &'a Policy,
    frame: &'a Frame,
    columns: &'a [&'a Column],
    params: &'a Parameters,
    date: NaiveDate,
    cache: Vec<Vec<Option<Scalar<'a>>>>,
}

/// The rows of `rows` where `mask` is `keep`.
fn select(rows: &[u32], mask: &[bool], keep: bool) -> Vec<u32> {
    rows.iter()
        .zip(mask)
        .filter(|(_, m)| **m == keep)
        .map(|(r, _)| *r)
        .collect()
}

impl<'a> Worker<'a> {
    fn chunk(&mut self, start: usize, eligible: &mut [bool], amounts: &mut [i64]) -> Result<()> {
        let mut rows: Vec<u32> = (start..start + eligible.len()).map(|r| r as u32).collect();
        for c in &self.policy.conditions {
            let mask = self.formula(&c.expr, &rows)?.into_mask();
            rows = select(&rows, &mask, true);
        }
        let amount = &self.policy.amount;
        let values = self.formula(&amount.formula, &rows)?;
        let caps = match &amount.cap {
            Some(cap) => Some(self.formula(cap, &rows)?),
            None => None,
        };
        for (i, row) in rows.iter().enumerate() {
            let cap = caps.as_ref().map(|c| c.get(i));
            let steps = settle(values.get(i), cap, amount.round)
                .map_err(|m| fault(self.policy, &amount.formula, m))?;
            let at = *row as usize - start;
            eligible[at] = true;
            amounts[at] = steps.amount_fen;
        }
        Ok(())
    }

    fn formula(&mut self, f: &'a Formula, rows: &[u32]) -> Result<Vector<'a>> {
        self.eval(&f.ir, rows)
            .map_err(|e| fault_in(self.policy, f, e))
    }

    /// Parameter `i` for each of `rows`, looked up once per region.
    fn param(&mut self, i: usize, ty: Ty, rows: &[u32]) -> Result<Vector<'a>> {
        let codes = &self.frame.region_codes;
        for r in rows {
            let region = codes[*r as usize] as usize;
            if self.cache[i][region].is_none() {
                let name = &self.policy.tables.params[i].0;
                let pv = self
                    .params
                    .lookup(name, &self.frame.regions[region], self.date)?;
                self.cache[i][region] = Some(pv.value.scalar());
            }
        }
        let cache = &self.cache[i];
        let values = rows.iter().map(|r| cache[codes[*r as usize] as usize]);
        Ok(Vector::collect(
            ty,
            values.map(|v| v.expect("resolved above")),
        ))
    }

    /// `a && b` (`and`) or `a || b`: `b` only on the rows that `a` leaves undecided, as the
    /// single evaluator does.
    fn logic(&mut self, a: &'a Expr, b: &'a Expr, rows: &[u32], and: bool) -> Result<Vector<'a>> {
        let xs = self.eval(a, rows)?.into_mask();
        let rest = select(rows, &xs, and);
        let ys = self.eval(b, &rest)?;
        let decided = Vector::B(vec![!and; rows.len() - rest.len()]);
        Ok(if and {
            Vector::merge(&xs, ys, decided)
        } else {
            Vector::merge(&xs, decided, ys)
        })
    }

    fn eval(&mut self, e: &'a Expr, rows: &[u32]) -> Result<Vector<'a>> {
        Ok(match &e.node {
            Node::Const(v) => Vector::repeat(v.scalar(), rows.len()),
            Node::Field(i) => self.columns[*i].gather(rows),
            Node::Param(i) => self.param(*i, e.ty, rows)?,
            Node::ToDec(a) => self.eval(a, rows)?.widen(),
            Node::Neg(a) => self
                .eval(a, rows)?
                .negate()
                .map_err(|m| unplaced(self.policy, m))?,
            Node::Not(a) => self.eval(a, rows)?.not(),
            Node::Size(a) => self.eval(a, rows)?.size(),
            Node::Arith(op, a, b) => {
                let (x, y) = (self.eval(a, rows)?, self.eval(b, rows)?);
                x.arith(*op, y).map_err(|m| unplaced(self.policy, m))?
            }
            Node::Cmp(op, a, b) => self.eval(a, rows)?.compare(*op, self.eval(b, rows)?),
            Node::In(a, b) => self.eval(a, rows)?.member_of(self.eval(b, rows)?),
            Node::Pick(pick, a, b) => self.eval(a, rows)?.pick(*pick, self.eval(b, rows)?),
            Node::And(a, b) => self.logic(a, b, rows, true)?,
            Node::Or(a, b) => self.logic(a, b, rows, false)?,
            Node::If(c, a, b) => {
                let mask = self.eval(c, rows)?.into_mask();
                let yes = self.eval(a, &select(rows, &mask, true))?;
                let no = self.eval(b, &select(rows, &mask, false))?;
                Vector::merge(&mask, yes, no)
            }
        })
    }
}
