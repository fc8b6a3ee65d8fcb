//! Computed values, one per selected row of a chunk (or per region), in one typed vector per
//! representation, and the unary operations on them, the same per value as the single
//! evaluator's.

use chrono::NaiveDate;
use wenjiu_core::indicators::Ratio;

use crate::expr::ir::{OVERFLOW, Ty};
use crate::value::Scalar;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Vector<'a> {
    I(Vec<i64>),
    D(Vec<Ratio>),
    B(Vec<bool>),
    S(Vec<&'a str>),
    T(Vec<NaiveDate>),
    L(Vec<&'a [String]>),
}

/// A per-value operation's failure: the message, placed by the evaluator.
pub(crate) type Fallible<T> = Result<T, &'static str>;

const MIXED: &str = "the checker gives both operands one representation";

fn wrong<T>() -> T {
    unreachable!("a value of the checked type")
}

fn merge<T: Copy>(mask: &[bool], yes: &[T], no: &[T]) -> Vec<T> {
    let (mut yes, mut no) = (yes.iter(), no.iter());
    mask.iter()
        .map(|m| if *m { yes.next() } else { no.next() })
        .map(|v| *v.expect("one value per selected row"))
        .collect()
}

impl<'a> Vector<'a> {
    /// The same value for `n` rows.
    pub(crate) fn repeat(s: Scalar<'a>, n: usize) -> Vector<'a> {
        match s {
            Scalar::I(x) => Vector::I(vec![x; n]),
            Scalar::D(x) => Vector::D(vec![x; n]),
            Scalar::B(x) => Vector::B(vec![x; n]),
            Scalar::S(x) => Vector::S(vec![x; n]),
            Scalar::T(x) => Vector::T(vec![x; n]),
            Scalar::L(x) => Vector::L(vec![x; n]),
        }
    }

    /// Values of type `ty`, one per row.
    pub(crate) fn collect(ty: Ty, values: impl Iterator<Item = Scalar<'a>>) -> Vector<'a> {
        match ty {
            Ty::Int | Ty::Money => Vector::I(
                values
                    .map(|v| if let Scalar::I(x) = v { x } else { wrong() })
                    .collect(),
            ),
            Ty::MoneyDec | Ty::Rate => Vector::D(
                values
                    .map(|v| if let Scalar::D(x) = v { x } else { wrong() })
                    .collect(),
            ),
            Ty::Bool => Vector::B(
                values
                    .map(|v| if let Scalar::B(x) = v { x } else { wrong() })
                    .collect(),
            ),
            Ty::Str => Vector::S(
                values
                    .map(|v| if let Scalar::S(x) = v { x } else { wrong() })
                    .collect(),
            ),
            Ty::Date => Vector::T(
                values
                    .map(|v| if let Scalar::T(x) = v { x } else { wrong() })
                    .collect(),
            ),
            Ty::List => Vector::L(
                values
                    .map(|v| if let Scalar::L(x) = v { x } else { wrong() })
                    .collect(),
            ),
        }
    }

    /// The values at `indices`.
    pub(crate) fn select(&self, indices: impl Iterator<Item = u32>) -> Vector<'a> {
        fn pick<T: Copy>(v: &[T], indices: impl Iterator<Item = u32>) -> Vec<T> {
            indices.map(|i| v[i as usize]).collect()
        }
        match self {
            Vector::I(v) => Vector::I(pick(v, indices)),
            Vector::D(v) => Vector::D(pick(v, indices)),
            Vector::B(v) => Vector::B(pick(v, indices)),
            Vector::S(v) => Vector::S(pick(v, indices)),
            Vector::T(v) => Vector::T(pick(v, indices)),
            Vector::L(v) => Vector::L(pick(v, indices)),
        }
    }

    pub(crate) fn get(&self, i: usize) -> Scalar<'a> {
        match self {
            Vector::I(v) => Scalar::I(v[i]),
            Vector::D(v) => Scalar::D(v[i]),
            Vector::B(v) => Scalar::B(v[i]),
            Vector::S(v) => Scalar::S(v[i]),
            Vector::T(v) => Scalar::T(v[i]),
            Vector::L(v) => Scalar::L(v[i]),
        }
    }

    pub(crate) fn into_mask(self) -> Vec<bool> {
        match self {
            Vector::B(v) => v,
            _ => unreachable!("the checker makes conditions booleans"),
        }
    }

    pub(crate) fn widen(self) -> Vector<'a> {
        match self {
            Vector::I(v) => Vector::D(v.into_iter().map(Ratio::from_integer).collect()),
            other => other,
        }
    }

    pub(crate) fn negate(self) -> Fallible<Vector<'a>> {
        Ok(match self {
            Vector::I(v) => Vector::I(
                v.into_iter()
                    .map(|x| x.checked_neg().ok_or(OVERFLOW))
                    .collect::<Fallible<_>>()?,
            ),
            Vector::D(v) => Vector::D(v.into_iter().map(|x| -x).collect()),
            _ => unreachable!("the checker only negates numbers"),
        })
    }

    pub(crate) fn not(self) -> Vector<'a> {
        Vector::B(self.into_mask().into_iter().map(|b| !b).collect())
    }

    pub(crate) fn size(self) -> Vector<'a> {
        match self {
            Vector::L(v) => Vector::I(v.into_iter().map(|l| l.len() as i64).collect()),
            _ => unreachable!("the checker types size() on lists"),
        }
    }

    /// Puts back together the values computed for the rows where `mask` holds and the rest.
    pub(crate) fn merge(mask: &[bool], yes: Vector<'a>, no: Vector<'a>) -> Vector<'a> {
        match (&yes, &no) {
            (Vector::I(a), Vector::I(b)) => Vector::I(merge(mask, a, b)),
            (Vector::D(a), Vector::D(b)) => Vector::D(merge(mask, a, b)),
            (Vector::B(a), Vector::B(b)) => Vector::B(merge(mask, a, b)),
            (Vector::S(a), Vector::S(b)) => Vector::S(merge(mask, a, b)),
            (Vector::T(a), Vector::T(b)) => Vector::T(merge(mask, a, b)),
            (Vector::L(a), Vector::L(b)) => Vector::L(merge(mask, a, b)),
            _ => unreachable!("{MIXED}"),
        }
    }
}
