//! The typed expression tree that policies are compiled to. Every node's representation is
//! fixed at load time, so evaluation never inspects types and the single and batch evaluators
//! share the same operations.

use std::cmp::Ordering;

use wenjiu_core::indicators::Ratio;

use crate::value::{Scalar, Type, Value};

/// A checked type. Money has two representations: whole fen (`i64`) until a rate or a
/// division makes it fractional (`Ratio`), so that it stays exact until the amount is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Int,
    Money,
    MoneyDec,
    Rate,
    Bool,
    Str,
    Date,
    List,
}

impl Ty {
    pub(crate) fn of(ty: Type) -> Ty {
        match ty {
            Type::Int => Ty::Int,
            Type::Money => Ty::Money,
            Type::Rate => Ty::Rate,
            Type::Bool => Ty::Bool,
            Type::String => Ty::Str,
            Type::Date => Ty::Date,
            Type::StringList => Ty::List,
        }
    }

    pub(crate) fn public(self) -> Type {
        match self {
            Ty::Int => Type::Int,
            Ty::Money | Ty::MoneyDec => Type::Money,
            Ty::Rate => Type::Rate,
            Ty::Bool => Type::Bool,
            Ty::Str => Type::String,
            Ty::Date => Type::Date,
            Ty::List => Type::StringList,
        }
    }

    pub(crate) fn is_money(self) -> bool {
        matches!(self, Ty::Money | Ty::MoneyDec)
    }

    pub(crate) fn is_number(self) -> bool {
        matches!(self, Ty::Int | Ty::Money | Ty::MoneyDec | Ty::Rate)
    }

    /// Held as an exact fraction rather than an `i64`.
    pub(crate) fn is_dec(self) -> bool {
        matches!(self, Ty::MoneyDec | Ty::Rate)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    /// On whole numbers (never `Div`: division is always exact, on fractions).
    pub(crate) fn int(self, a: i64, b: i64) -> Result<i64, &'static str> {
        match self {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            ArithOp::Mul => a.checked_mul(b),
            ArithOp::Div => a.checked_div(b),
        }
        .ok_or(OVERFLOW)
    }

    pub(crate) fn dec(self, a: Ratio, b: Ratio) -> Result<Ratio, &'static str> {
        match self {
            ArithOp::Add => a.checked_add(b).ok_or(OVERFLOW),
            ArithOp::Sub => a.checked_sub(b).ok_or(OVERFLOW),
            ArithOp::Mul => a.checked_mul(b).ok_or(OVERFLOW),
            ArithOp::Div if b.is_zero() => Err(DIVISION_BY_ZERO),
            ArithOp::Div => a.checked_div(b).ok_or(OVERFLOW),
        }
    }
}

pub(crate) const OVERFLOW: &str = "数值溢出";
pub(crate) const DIVISION_BY_ZERO: &str = "除数为零";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub(crate) fn holds(self, o: Ordering) -> bool {
        match self {
            CmpOp::Eq => o.is_eq(),
            CmpOp::Ne => o.is_ne(),
            CmpOp::Lt => o.is_lt(),
            CmpOp::Le => o.is_le(),
            CmpOp::Gt => o.is_gt(),
            CmpOp::Ge => o.is_ge(),
        }
    }
}

/// Orders two values of one checked type.
pub(crate) fn order(a: Scalar<'_>, b: Scalar<'_>) -> Ordering {
    match (a, b) {
        (Scalar::I(x), Scalar::I(y)) => x.cmp(&y),
        (Scalar::D(x), Scalar::D(y)) => x.cmp(&y),
        (Scalar::B(x), Scalar::B(y)) => x.cmp(&y),
        (Scalar::S(x), Scalar::S(y)) => x.cmp(y),
        (Scalar::T(x), Scalar::T(y)) => x.cmp(&y),
        _ => unreachable!("the checker only compares values of one representation"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pick {
    Min,
    Max,
}

impl Pick {
    /// Whether to keep the left operand, given how it orders against the right one.
    pub(crate) fn keeps_left(self, o: Ordering) -> bool {
        match self {
            Pick::Min => o.is_le(),
            Pick::Max => o.is_ge(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expr {
    pub node: Node,
    pub ty: Ty,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Const(Value),
    /// Index into the policy's field table.
    Field(usize),
    /// Index into the policy's parameter table.
    Param(usize),
    /// A whole number or whole fen as an exact fraction.
    ToDec(Box<Expr>),
    Neg(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    Pick(Pick, Box<Expr>, Box<Expr>),
    Size(Box<Expr>),
}

/// The per-value operations, shared by the single and the batch evaluator.
impl<'a> Scalar<'a> {
    pub(crate) fn truth(self) -> bool {
        matches!(self, Scalar::B(true))
    }

    pub(crate) fn widen(self) -> Scalar<'a> {
        match self {
            Scalar::I(n) => Scalar::D(Ratio::from_integer(n)),
            other => other,
        }
    }

    pub(crate) fn negate(self) -> Result<Scalar<'a>, &'static str> {
        match self {
            Scalar::I(n) => n.checked_neg().map(Scalar::I).ok_or(OVERFLOW),
            Scalar::D(r) => Ok(Scalar::D(-r)),
            _ => unreachable!("the checker only negates numbers"),
        }
    }

    pub(crate) fn arith(self, op: ArithOp, b: Scalar<'a>) -> Result<Scalar<'a>, &'static str> {
        match (self, b) {
            (Scalar::I(x), Scalar::I(y)) => op.int(x, y).map(Scalar::I),
            (Scalar::D(x), Scalar::D(y)) => op.dec(x, y).map(Scalar::D),
            _ => unreachable!("the checker widens operands to one representation"),
        }
    }

    pub(crate) fn compare(self, op: CmpOp, b: Scalar<'a>) -> Scalar<'a> {
        Scalar::B(op.holds(order(self, b)))
    }

    pub(crate) fn pick(self, pick: Pick, b: Scalar<'a>) -> Scalar<'a> {
        if pick.keeps_left(order(self, b)) {
            self
        } else {
            b
        }
    }

    pub(crate) fn member_of(self, list: Scalar<'a>) -> Scalar<'a> {
        match (self, list) {
            (Scalar::S(x), Scalar::L(items)) => Scalar::B(items.iter().any(|i| i == x)),
            _ => unreachable!("the checker types `in` as string in list"),
        }
    }

    pub(crate) fn size(self) -> Scalar<'a> {
        match self {
            Scalar::L(items) => Scalar::I(items.len() as i64),
            _ => unreachable!("the checker types size() on lists"),
        }
    }
}
