//! Batch evaluation over columns: each expression node is computed for the selected rows of a
//! chunk at once (fields and parameters read in place, see [`crate::values`]), each condition
//! narrowing the selection for the next, chunks spread over all cores. Parameters are looked up
//! once per region beforehand. Two shapes that policies use often skip reducing exact
//! fractions, the costliest part of their arithmetic: a quotient of whole numbers compared with
//! a limit (a layoff rate) and an uncapped amount of whole fen times a share. No trace; the
//! results equal [`crate::evaluate`]'s row by row (the differential tests check it).

use std::ops::Range;

use chrono::NaiveDate;

use crate::amount::settle_fen;
use crate::error::{Error, Result};
use crate::eval::{fault, fault_in, unplaced};
use crate::expr::ir::{ArithOp, CmpOp, Expr, Node};
use crate::frame::{Column, Frame};
use crate::parallel::cores;
use crate::params::Parameters;
use crate::policy::{Formula, Policy, PolicySet};
use crate::region_params::{self, RegionParam};
use crate::value::Scalar;
use crate::values::{self, Kept, Mask, RowWise, Values};
use crate::vector::{Fallible, Vector};

/// Rows per chunk: large enough to amortise the per-node work, small enough for the cache.
const CHUNK: usize = 4096;

/// One policy's results over a frame: the eligible rows, ascending, and the amount of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyResults {
    pub policy_id: String,
    /// False when the policy is about another kind of subject or not in force on the date;
    /// then no row is eligible.
    pub applicable: bool,
    /// The eligible rows of the frame, ascending.
    pub rows: Vec<u32>,
    /// The amount in fen of each of `rows`, in the same order.
    pub amounts_fen: Vec<i64>,
}

impl PolicyResults {
    pub fn beneficiaries(&self) -> usize {
        self.rows.len()
    }

    pub fn total_fen(&self) -> i64 {
        self.amounts_fen.iter().sum()
    }

    /// The eligible rows with their amounts in fen, rows ascending.
    pub fn grants(&self) -> impl Iterator<Item = (usize, i64)> + '_ {
        let rows = self.rows.iter().map(|r| *r as usize);
        rows.zip(self.amounts_fen.iter().copied())
    }

    /// The amount of `row` when it is eligible (a binary search).
    pub fn amount_of(&self, row: usize) -> Option<i64> {
        let row = u32::try_from(row).ok()?;
        let at = self.rows.binary_search(&row).ok()?;
        Some(self.amounts_fen[at])
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
        rows: Vec::new(),
        amounts_fen: Vec::new(),
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
    let params = region_params::resolve(policy, frame, date, params);
    let worker = &Worker {
        policy,
        frame,
        columns: &columns,
        params: &params,
    };
    let threads = cores();
    // Whole chunks per thread, so every thread works on full chunks but the last.
    let per_thread = n.div_ceil(threads).div_ceil(CHUNK) * CHUNK;
    // Each thread's eligible rows and amounts, threads in row order.
    let parts = std::thread::scope(|s| {
        let workers: Vec<_> = (0..n)
            .step_by(per_thread)
            .map(|from| {
                let to = n.min(from + per_thread);
                s.spawn(move || {
                    let mut part = (Vec::new(), Vec::new());
                    for start in (from..to).step_by(CHUNK) {
                        worker.chunk(start..to.min(start + CHUNK), &mut part.0, &mut part.1)?;
                    }
                    Ok(part)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("batch worker panicked"))
            .collect::<Result<Vec<(Vec<u32>, Vec<i64>)>>>()
    })?;
    let eligible = parts.iter().map(|p| p.0.len()).sum();
    out.rows.reserve_exact(eligible);
    out.amounts_fen.reserve_exact(eligible);
    for (rows, amounts) in parts {
        out.rows.extend_from_slice(&rows);
        out.amounts_fen.extend_from_slice(&amounts);
    }
    Ok(out)
}

/// What a thread reads: the policy, the frame's columns it uses and its parameters.
struct Worker<'a> {
    policy: &'a Policy,
    frame: &'a Frame,
    columns: &'a [&'a Column],
    params: &'a [RegionParam<'a>],
}

/// The rows of `rows` for which `keep(i, row)` holds (`i` its place in `rows`). Written
/// without a branch per row: conditions on real data are unpredictable.
pub(crate) fn compact(rows: &[u32], keep: impl Fn(usize, u32) -> bool) -> Vec<u32> {
    let mut out = vec![0; rows.len()];
    let mut n = 0;
    for (i, r) in rows.iter().enumerate() {
        out[n] = *r;
        n += usize::from(keep(i, *r));
    }
    out.truncate(n);
    out
}

/// The rows of `rows` where `mask` is `keep`.
fn select(rows: &[u32], mask: &[bool], keep: bool) -> Vec<u32> {
    compact(rows, |i, _| mask[i] == keep)
}

/// The rows of `rows` not in `some`, a subset of them (both ascending), marked in a map of
/// the rows' span (at most a chunk).
fn difference(rows: &[u32], some: &[u32]) -> Vec<u32> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Vec::new();
    };
    let mut taken = vec![false; (last - first) as usize + 1];
    for r in some {
        taken[(r - first) as usize] = true;
    }
    compact(rows, |_, r| !taken[(r - first) as usize])
}

/// The operands of `x / y` when both are whole numbers (or whole fen) widened to fractions.
fn whole_quotient(e: &Expr) -> Option<(&Expr, &Expr)> {
    match &e.node {
        Node::Arith(ArithOp::Div, a, b) => match (&a.node, &b.node) {
            (Node::ToDec(x), Node::ToDec(y)) => Some((x, y)),
            _ => None,
        },
        _ => None,
    }
}

/// All of `rows` or none, by a condition's value the same for every row.
fn all_or_none(rows: &[u32], holds: Scalar<'_>) -> Vec<u32> {
    match holds {
        Scalar::B(true) => rows.to_vec(),
        Scalar::B(false) => Vec::new(),
        _ => unreachable!("the checker makes conditions booleans"),
    }
}

/// The rows of two disjoint ascending lists, ascending.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let from_a = a[i] < b[j];
        out.push(if from_a { a[i] } else { b[j] });
        i += usize::from(from_a);
        j += usize::from(!from_a);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl<'a> Worker<'a> {
    /// Evaluates the rows `span` (at most a chunk); appends the eligible ones to `eligible`
    /// and their amounts to `amounts`.
    fn chunk(
        &self,
        span: Range<usize>,
        eligible: &mut Vec<u32>,
        amounts: &mut Vec<i64>,
    ) -> Result<()> {
        let mut rows: Vec<u32> = (span.start as u32..span.end as u32).collect();
        for c in &self.policy.conditions {
            if rows.is_empty() {
                return Ok(());
            }
            rows = self
                .filter(&c.expr.ir, &rows)
                .map_err(|e| fault_in(self.policy, &c.expr, e))?;
        }
        let amount = &self.policy.amount;
        if amount.cap.is_none()
            && let Some(fen) = self.whole_times_fraction(&amount.formula, &rows)?
        {
            amounts.extend(fen);
            eligible.extend_from_slice(&rows);
            return Ok(());
        }
        let values = self.formula(&amount.formula, &rows)?;
        let caps = match &amount.cap {
            Some(cap) => Some(self.formula(cap, &rows)?),
            None => None,
        };
        amounts.reserve(rows.len());
        for i in 0..rows.len() {
            let cap = caps.as_ref().map(|c| c.get(i));
            let fen = settle_fen(values.get(i), cap, amount.round)
                .map_err(|m| fault(self.policy, &amount.formula, m))?;
            amounts.push(fen);
        }
        eligible.extend_from_slice(&rows);
        Ok(())
    }

    fn formula(&self, f: &'a Formula, rows: &[u32]) -> Result<Vector<'a>> {
        Ok(self
            .eval(&f.ir, rows)
            .map_err(|e| fault_in(self.policy, f, e))?
            .into_vector(rows))
    }

    /// The fen of an amount `x × r`, whole fen times a fraction (a share of what was paid),
    /// settled from the unreduced product: no gcd per row. Operands are computed in the
    /// single evaluator's order. `None` for other formulas.
    fn whole_times_fraction(&self, f: &'a Formula, rows: &[u32]) -> Result<Option<Vec<i64>>> {
        let Node::Arith(ArithOp::Mul, a, b) = &f.ir.node else {
            return Ok(None);
        };
        let eval = |e: &'a Expr| {
            self.eval(e, rows)
                .map_err(|err| fault_in(self.policy, f, err))
        };
        let (xs, rs) = match (&a.node, &b.node) {
            (Node::ToDec(x), _) => {
                let xs = eval(x)?;
                (xs, eval(b)?)
            }
            (_, Node::ToDec(x)) => {
                let rs = eval(a)?;
                (eval(x)?, rs)
            }
            _ => return Ok(None),
        };
        let fen = values::settle_products(&xs, &rs, rows, self.policy.amount.round);
        fen.map(Some).map_err(|m| fault(self.policy, f, m))
    }

    /// The rows of `rows` for which the condition `e` holds. Logic works on the row lists
    /// themselves: `&&` narrows the rows for its right side, `||` tries its right side on the
    /// rows its left side leaves out, `c ? a : b` splits them.
    fn filter(&self, e: &'a Expr, rows: &[u32]) -> Result<Vec<u32>> {
        match &e.node {
            Node::And(a, b) => self.filter(b, &self.filter(a, rows)?),
            Node::Or(a, b) => {
                let yes = self.filter(a, rows)?;
                let also = self.filter(b, &difference(rows, &yes))?;
                Ok(union(&yes, &also))
            }
            Node::Not(a) => Ok(difference(rows, &self.filter(a, rows)?)),
            Node::If(c, a, b) => {
                let yes = self.filter(c, rows)?;
                let no = difference(rows, &yes);
                Ok(union(&self.filter(a, &yes)?, &self.filter(b, &no)?))
            }
            Node::Cmp(op, a, b) => match self.quotient_test::<Kept>(*op, a, b, rows)? {
                Some(kept) => Ok(kept),
                None => self.binary(
                    a,
                    b,
                    rows,
                    |x, y| Ok(all_or_none(rows, x.compare(*op, y))),
                    |x, y| Ok(values::compare::<Kept>(*op, a.ty, x, y, rows)),
                ),
            },
            Node::In(a, b) => self.binary(
                a,
                b,
                rows,
                |x, y| Ok(all_or_none(rows, x.member_of(y))),
                |x, y| Ok(values::member_of::<Kept>(x, y, rows)),
            ),
            _ => Ok(match self.eval(e, rows)? {
                Values::Column(Column::Bool(v)) => compact(rows, |_, r| v[r as usize]),
                other => select(rows, &other.into_mask(rows), true),
            }),
        }
    }

    fn mask(&self, e: &'a Expr, rows: &[u32]) -> Result<Vec<bool>> {
        Ok(self.eval(e, rows)?.into_mask(rows))
    }

    /// `a && b` (`and`) or `a || b`: `b` only on the rows that `a` leaves undecided, as the
    /// single evaluator does.
    fn logic(&self, a: &'a Expr, b: &'a Expr, rows: &[u32], and: bool) -> Result<Vector<'a>> {
        let xs = self.mask(a, rows)?;
        let rest = select(rows, &xs, and);
        let ys = Vector::B(self.mask(b, &rest)?);
        let decided = Vector::B(vec![!and; rows.len() - rest.len()]);
        Ok(if and {
            Vector::merge(&xs, ys, decided)
        } else {
            Vector::merge(&xs, decided, ys)
        })
    }

    fn unplaced<T>(&self, r: Fallible<T>) -> Result<T> {
        r.map_err(|m| unplaced(self.policy, m))
    }

    /// A binary operation: once when both operands are constants (and some row needs it),
    /// else for every row.
    fn binary<R>(
        &self,
        a: &'a Expr,
        b: &'a Expr,
        rows: &[u32],
        once: impl FnOnce(Scalar<'a>, Scalar<'a>) -> Fallible<R>,
        each: impl FnOnce(Values<'a>, Values<'a>) -> Fallible<R>,
    ) -> Result<R> {
        let (x, y) = (self.eval(a, rows)?, self.eval(b, rows)?);
        self.unplaced(match (x, y) {
            (Values::Const(x), Values::Const(y)) if !rows.is_empty() => once(x, y),
            (x, y) => each(x, y),
        })
    }

    /// `a op b` where one side is the quotient of two whole numbers, such as a layoff rate
    /// against its limit: compared without reducing the quotient, which would take a gcd per
    /// row. Operands are computed, and a zero divisor fails, in the single evaluator's order.
    /// `None` for other comparisons.
    fn quotient_test<O: RowWise<bool>>(
        &self,
        op: CmpOp,
        a: &'a Expr,
        b: &'a Expr,
        rows: &[u32],
    ) -> Result<Option<O::Out>> {
        let quotient = |(x, y): (&'a Expr, &'a Expr)| -> Result<[Values<'a>; 2]> {
            let (xs, ys) = (self.eval(x, rows)?, self.eval(y, rows)?);
            self.unplaced(values::nonzero(&ys, rows))?;
            Ok([xs, ys])
        };
        let (reversed, [xs, ys], zs) = match (whole_quotient(a), whole_quotient(b)) {
            (Some(q), _) => {
                let q = quotient(q)?;
                (false, q, self.eval(b, rows)?)
            }
            (None, Some(q)) => {
                let z = self.eval(a, rows)?;
                (true, quotient(q)?, z)
            }
            (None, None) => return Ok(None),
        };
        let operands = [&xs, &ys, &zs];
        Ok(Some(values::compare_quotient::<O>(
            op, reversed, operands, rows,
        )))
    }

    fn eval(&self, e: &'a Expr, rows: &[u32]) -> Result<Values<'a>> {
        let ty = |x: &Expr| x.ty;
        Ok(match &e.node {
            Node::Const(v) => Values::Const(v.scalar()),
            Node::Field(i) => Values::Column(self.columns[*i]),
            Node::Param(i) => self.params[*i].values(rows, &self.frame.region_codes)?,
            Node::ToDec(a) => {
                let x = self.eval(a, rows)?;
                self.unplaced(x.map(rows, |s| Ok(s.widen()), |v| Ok(v.widen())))?
            }
            Node::Neg(a) => {
                let x = self.eval(a, rows)?;
                self.unplaced(x.map(rows, |s| s.negate(), |v| v.negate()))?
            }
            Node::Not(a) => Values::Rows(self.eval(a, rows)?.into_vector(rows).not()),
            Node::Size(a) => {
                let x = self.eval(a, rows)?;
                self.unplaced(x.map(rows, |s| Ok(s.size()), |v| Ok(v.size())))?
            }
            Node::Arith(op, a, b) => self.binary(
                a,
                b,
                rows,
                |x, y| x.arith(*op, y).map(Values::Const),
                |x, y| values::arith(*op, ty(a), x, y, rows).map(Values::Rows),
            )?,
            Node::Cmp(op, a, b) => match self.quotient_test::<Mask>(*op, a, b, rows)? {
                Some(mask) => Values::Rows(Vector::B(mask)),
                None => self.binary(
                    a,
                    b,
                    rows,
                    |x, y| Ok(Values::Const(x.compare(*op, y))),
                    |x, y| {
                        let mask = values::compare::<Mask>(*op, ty(a), x, y, rows);
                        Ok(Values::Rows(Vector::B(mask)))
                    },
                )?,
            },
            Node::In(a, b) => self.binary(
                a,
                b,
                rows,
                |x, y| Ok(Values::Const(x.member_of(y))),
                |x, y| {
                    Ok(Values::Rows(Vector::B(values::member_of::<Mask>(
                        x, y, rows,
                    ))))
                },
            )?,
            Node::Pick(pick, a, b) => self.binary(
                a,
                b,
                rows,
                |x, y| Ok(Values::Const(x.pick(*pick, y))),
                |x, y| Ok(Values::Rows(values::pick(*pick, ty(a), x, y, rows))),
            )?,
            Node::And(a, b) => Values::Rows(self.logic(a, b, rows, true)?),
            Node::Or(a, b) => Values::Rows(self.logic(a, b, rows, false)?),
            Node::If(c, a, b) => {
                let mask = self.mask(c, rows)?;
                let (yes, no) = (select(rows, &mask, true), select(rows, &mask, false));
                let yes_values = self.eval(a, &yes)?.into_vector(&yes);
                let no_values = self.eval(b, &no)?.into_vector(&no);
                Values::Rows(Vector::merge(&mask, yes_values, no_values))
            }
        })
    }
}
