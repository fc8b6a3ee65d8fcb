//! A node's values over the selected rows of a chunk, left where they are when they can be — a
//! column of the frame (read by row), a constant, a parameter's table (read by the row's
//! region) — and made into a [`Vector`] of one value per selected row only by computing. The
//! binary operations read both operands in place, so `hire.contract_months >= 12` gathers
//! nothing and a string column is compared with a constant once per dictionary entry, then by
//! code. They apply the same per-value operations as the single evaluator.

use std::marker::PhantomData;

use chrono::NaiveDate;
use wenjiu_core::indicators::Ratio;

use crate::amount::{Rounding, settle_product};
use crate::batch::compact;
use crate::expr::ir::{ArithOp, CmpOp, DIVISION_BY_ZERO, Pick, Ty};
use crate::frame::Column;
use crate::value::Scalar;
use crate::vector::{Fallible, Vector};

pub(crate) enum Values<'a> {
    /// The same for every row.
    Const(Scalar<'a>),
    /// A field: the value of row `r` is the column's `r`-th.
    Column(&'a Column),
    /// By region code: the value of row `r` is at the code of its region.
    ByRegion(&'a Vector<'a>, &'a [u32]),
    /// One value per selected row, in order.
    Rows(Vector<'a>),
}

/// One operand's value for the `i`-th selected row, which is row `row` of the frame.
#[derive(Clone, Copy)]
enum Access<'v, T> {
    Rows(&'v [T]),
    Column(&'v [T]),
    One(T),
    ByRegion(&'v [T], &'v [u32]),
}

impl<T: Copy> Access<'_, T> {
    #[inline]
    fn get(&self, i: usize, row: u32) -> T {
        match *self {
            Access::Rows(v) => v[i],
            Access::Column(v) => v[row as usize],
            Access::One(x) => x,
            Access::ByRegion(v, codes) => v[codes[row as usize] as usize],
        }
    }
}

/// A representation that operations read in place.
trait Elem<'a>: Copy {
    fn of(s: Scalar<'a>) -> Self;
    fn slice<'v>(v: &'v Vector<'a>) -> &'v [Self];
    /// The column's values, for the representations columns have (not strings: dictionary
    /// codes, read through [`Values::decoded`]).
    fn column(c: &Column) -> Option<&[Self]>;
    fn vector(v: Vec<Self>) -> Vector<'a>;
}

macro_rules! elem {
    ($t:ty, $var:ident) => {
        elem!(@impl $t, $var, fn column(_: &Column) -> Option<&[Self]> { None });
    };
    ($t:ty, $var:ident, $col:pat => $v:expr) => {
        elem!(@impl $t, $var, fn column(c: &Column) -> Option<&[Self]> {
            match c {
                $col => Some($v),
                _ => None,
            }
        });
    };
    (@impl $t:ty, $var:ident, $column:item) => {
        impl<'a> Elem<'a> for $t {
            fn of(s: Scalar<'a>) -> Self {
                match s {
                    Scalar::$var(x) => x,
                    _ => unreachable!("a value of the checked type"),
                }
            }
            fn slice<'v>(v: &'v Vector<'a>) -> &'v [Self] {
                match v {
                    Vector::$var(x) => x,
                    _ => unreachable!("a vector of the checked type"),
                }
            }
            $column
            fn vector(v: Vec<Self>) -> Vector<'a> {
                Vector::$var(v)
            }
        }
    };
}

elem!(i64, I, Column::Int(v) | Column::Money(v) => v);
elem!(bool, B, Column::Bool(v) => v);
elem!(NaiveDate, T, Column::Date(v) => v);
elem!(Ratio, D);
elem!(&'a str, S);
elem!(&'a [String], L);

impl<'a> Values<'a> {
    fn access<T: Elem<'a>>(&self) -> Access<'_, T> {
        match self {
            Values::Const(s) => Access::One(T::of(*s)),
            Values::Column(c) => Access::Column(T::column(c).expect("strings are decoded first")),
            Values::ByRegion(v, codes) => Access::ByRegion(T::slice(v), codes),
            Values::Rows(v) => Access::Rows(T::slice(v)),
        }
    }

    /// Strings read through the dictionary, for the operations that need the text.
    fn decoded(self, rows: &[u32]) -> Values<'a> {
        match self {
            Values::Column(c @ Column::String { .. }) => Values::Rows(c.gather(rows)),
            other => other,
        }
    }

    /// One value per selected row.
    pub(crate) fn into_vector(self, rows: &[u32]) -> Vector<'a> {
        match self {
            Values::Const(s) => Vector::repeat(s, rows.len()),
            Values::Column(c) => c.gather(rows),
            Values::ByRegion(v, codes) => v.select(rows.iter().map(|r| codes[*r as usize])),
            Values::Rows(v) => v,
        }
    }

    /// Truth per selected row.
    pub(crate) fn into_mask(self, rows: &[u32]) -> Vec<bool> {
        match self {
            Values::Rows(v) => v.into_mask(),
            other => {
                let a = other.access::<bool>();
                rows.iter().enumerate().map(|(i, r)| a.get(i, *r)).collect()
            }
        }
    }

    /// A unary operation: once on a constant, else on every selected row's value.
    pub(crate) fn map(
        self,
        rows: &[u32],
        one: impl FnOnce(Scalar<'a>) -> Fallible<Scalar<'a>>,
        each: impl FnOnce(Vector<'a>) -> Fallible<Vector<'a>>,
    ) -> Fallible<Values<'a>> {
        Ok(match self {
            Values::Const(s) => Values::Const(one(s)?),
            other => Values::Rows(each(other.into_vector(rows))?),
        })
    }
}

/// What a per-row function over the selected rows gives: its results in order
/// ([`Collect`]), or for a test the rows where it holds ([`Kept`]), without a mask between.
pub(crate) trait RowWise<R> {
    type Out;
    /// `f(i, row)` for each selected row (`i` its place in `rows`).
    fn each(rows: &[u32], f: impl Fn(usize, u32) -> R) -> Self::Out;
}

/// The results of each selected row, collected in order into `C`.
pub(crate) struct Collect<C>(PhantomData<C>);

impl<R, C: FromIterator<R>> RowWise<R> for Collect<C> {
    type Out = C;
    fn each(rows: &[u32], f: impl Fn(usize, u32) -> R) -> C {
        rows.iter().enumerate().map(|(i, r)| f(i, *r)).collect()
    }
}

/// A test's truth per selected row.
pub(crate) type Mask = Collect<Vec<bool>>;

/// The results of a fallible operation on each selected row, or its first failure. Written out
/// rather than collected through `Result`'s `FromIterator`, which cannot size the vector ahead
/// and grows it by copying.
pub(crate) struct Tried;

impl<T> RowWise<Fallible<T>> for Tried {
    type Out = Fallible<Vec<T>>;
    fn each(rows: &[u32], f: impl Fn(usize, u32) -> Fallible<T>) -> Fallible<Vec<T>> {
        let mut out = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            out.push(f(i, *r)?);
        }
        Ok(out)
    }
}

/// The selected rows for which a test holds.
pub(crate) struct Kept;

impl RowWise<bool> for Kept {
    type Out = Vec<u32>;
    fn each(rows: &[u32], f: impl Fn(usize, u32) -> bool) -> Vec<u32> {
        compact(rows, f)
    }
}

/// `f` of both operands' values, for each selected row.
fn zip_with<'a, T: Elem<'a>, R, O: RowWise<R>>(
    a: &Values<'a>,
    b: &Values<'a>,
    rows: &[u32],
    f: impl Fn(T, T) -> R,
) -> O::Out {
    let (x, y) = (a.access::<T>(), b.access::<T>());
    match (x, y) {
        // The usual shape, a field against a constant, without the per-row dispatch.
        (Access::Column(v), Access::One(c)) => O::each(rows, |_, r| f(v[r as usize], c)),
        _ => O::each(rows, |i, r| f(x.get(i, r), y.get(i, r))),
    }
}

/// `test` of each selected row's string in a string column, computed once per dictionary entry
/// and read by code; `None` when the dictionary is longer than the selection.
fn by_code<O: RowWise<bool>>(
    column: &Column,
    rows: &[u32],
    test: impl Fn(&str) -> bool,
) -> Option<O::Out> {
    match column {
        Column::String { dict, codes } if dict.len() <= rows.len() => {
            let table: Vec<bool> = dict.iter().map(|d| test(d)).collect();
            Some(O::each(rows, |_, r| table[codes[r as usize] as usize]))
        }
        _ => None,
    }
}

/// The comparison chosen once, not per row.
fn compare_as<'a, T: Elem<'a> + Ord, O: RowWise<bool>>(
    op: CmpOp,
    a: &Values<'a>,
    b: &Values<'a>,
    rows: &[u32],
) -> O::Out {
    match op {
        CmpOp::Eq => zip_with::<_, _, O>(a, b, rows, |x: T, y: T| x == y),
        CmpOp::Ne => zip_with::<_, _, O>(a, b, rows, |x: T, y: T| x != y),
        CmpOp::Lt => zip_with::<_, _, O>(a, b, rows, |x: T, y: T| x < y),
        CmpOp::Le => zip_with::<_, _, O>(a, b, rows, |x: T, y: T| x <= y),
        CmpOp::Gt => zip_with::<_, _, O>(a, b, rows, |x: T, y: T| x > y),
        CmpOp::Ge => zip_with::<_, _, O>(a, b, rows, |x: T, y: T| x >= y),
    }
}

/// `a op b` for operands of type `ty`: its truth per row ([`Mask`]) or the rows where it
/// holds ([`Kept`]).
pub(crate) fn compare<'a, O: RowWise<bool>>(
    op: CmpOp,
    ty: Ty,
    a: Values<'a>,
    b: Values<'a>,
    rows: &[u32],
) -> O::Out {
    match ty {
        Ty::Int | Ty::Money => compare_as::<i64, O>(op, &a, &b, rows),
        Ty::MoneyDec | Ty::Rate => compare_as::<Ratio, O>(op, &a, &b, rows),
        Ty::Bool => compare_as::<bool, O>(op, &a, &b, rows),
        Ty::Date => compare_as::<NaiveDate, O>(op, &a, &b, rows),
        Ty::Str => {
            let coded = match (&a, &b) {
                (Values::Column(c), Values::Const(Scalar::S(s))) => {
                    by_code::<O>(c, rows, |d| op.holds(d.cmp(s)))
                }
                (Values::Const(Scalar::S(s)), Values::Column(c)) => {
                    by_code::<O>(c, rows, |d| op.holds((*s).cmp(d)))
                }
                _ => None,
            };
            coded.unwrap_or_else(|| {
                compare_as::<&str, O>(op, &a.decoded(rows), &b.decoded(rows), rows)
            })
        }
        Ty::List => unreachable!("the checker does not compare lists"),
    }
}

/// `a op b` for operands of type `ty`; the first failure, if any.
pub(crate) fn arith<'a>(
    op: ArithOp,
    ty: Ty,
    a: Values<'a>,
    b: Values<'a>,
    rows: &[u32],
) -> Fallible<Vector<'a>> {
    Ok(if ty.is_dec() {
        Vector::D(zip_with::<_, _, Tried>(&a, &b, rows, |x, y| op.dec(x, y))?)
    } else {
        Vector::I(zip_with::<_, _, Tried>(&a, &b, rows, |x, y| op.int(x, y))?)
    })
}

/// Fails as dividing would when a selected row's divisor is zero.
pub(crate) fn nonzero(divisors: &Values<'_>, rows: &[u32]) -> Fallible<()> {
    let d = divisors.access::<i64>();
    if rows.iter().enumerate().any(|(i, r)| d.get(i, *r) == 0) {
        Err(DIVISION_BY_ZERO)
    } else {
        Ok(())
    }
}

/// `x / y op z` for whole numbers `x` and nonzero `y` against fractions `z` (`z op x / y`
/// when `reversed`), without computing the reduced quotient; its truth per row ([`Mask`]) or
/// the rows where it holds ([`Kept`]).
pub(crate) fn compare_quotient<'a, O: RowWise<bool>>(
    op: CmpOp,
    reversed: bool,
    [x, y, z]: [&Values<'a>; 3],
    rows: &[u32],
) -> O::Out {
    let (x, y, z) = (x.access::<i64>(), y.access::<i64>(), z.access::<Ratio>());
    O::each(rows, |i, r| {
        let order = Ratio::cmp_quotient(x.get(i, r), y.get(i, r), z.get(i, r));
        op.holds(if reversed { order.reverse() } else { order })
    })
}

/// The fen paid on each selected row for whole fen `x` times fractions `r`, uncapped (see
/// [`settle_product`]); the first failure, if any.
pub(crate) fn settle_products(
    x: &Values<'_>,
    r: &Values<'_>,
    rows: &[u32],
    rounding: Rounding,
) -> Fallible<Vec<i64>> {
    let (x, r) = (x.access::<i64>(), r.access::<Ratio>());
    Tried::each(rows, |i, row| {
        settle_product(x.get(i, row), r.get(i, row), rounding)
    })
}

fn pick_as<'a, T: Elem<'a> + Ord>(
    p: Pick,
    a: &Values<'a>,
    b: &Values<'a>,
    rows: &[u32],
) -> Vector<'a> {
    T::vector(zip_with::<_, _, Collect<_>>(a, b, rows, |x: T, y: T| {
        if p.keeps_left(x.cmp(&y)) { x } else { y }
    }))
}

/// `min(a, b)` or `max(a, b)` for operands of type `ty`.
pub(crate) fn pick<'a>(p: Pick, ty: Ty, a: Values<'a>, b: Values<'a>, rows: &[u32]) -> Vector<'a> {
    match ty {
        Ty::Int | Ty::Money => pick_as::<i64>(p, &a, &b, rows),
        Ty::MoneyDec | Ty::Rate => pick_as::<Ratio>(p, &a, &b, rows),
        Ty::Date => pick_as::<NaiveDate>(p, &a, &b, rows),
        _ => unreachable!("the checker types min and max on numbers and dates"),
    }
}

/// `a in b`: a string in a list; its truth per row ([`Mask`]) or the rows where it holds
/// ([`Kept`]).
pub(crate) fn member_of<'a, O: RowWise<bool>>(
    a: Values<'a>,
    b: Values<'a>,
    rows: &[u32],
) -> O::Out {
    let member = |x: &str, list: &[String]| list.iter().any(|i| i == x);
    if let (Values::Column(c), Values::Const(Scalar::L(list))) = (&a, &b)
        && let Some(m) = by_code::<O>(c, rows, |d| member(d, list))
    {
        return m;
    }
    let (a, b) = (a.decoded(rows), b);
    let (x, y) = (a.access::<&str>(), b.access::<&[String]>());
    O::each(rows, |i, r| member(x.get(i, r), y.get(i, r)))
}
