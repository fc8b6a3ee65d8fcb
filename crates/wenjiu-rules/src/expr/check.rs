//! Type-checks a CEL syntax tree and compiles it into the typed tree of [`super::ir`].
//!
//! Numbers follow the units of the rules: money ± money, count × money, money × rate are
//! allowed; money × money or money + count are not. Division is always exact. An integer
//! literal may stand for fen next to money.

use cel::IdedExpr;
use cel::common::ast::operators as op;
use cel::common::ast::{Expr as Cel, LiteralValue, SourceInfo};
use chrono::NaiveDate;

use super::ir::{ArithOp, CmpOp, Expr, Node, Pick, Ty};
use super::parse::Source;
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::value::{SubjectKind, Type, Value, parse_rate};

/// The fields and parameters a policy reads, in first-use order; nodes refer to them by index.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tables {
    pub fields: Vec<(String, Type)>,
    pub params: Vec<(String, Type)>,
}

fn intern(table: &mut Vec<(String, Type)>, name: &str, ty: Type) -> usize {
    table
        .iter()
        .position(|(n, _)| n == name)
        .unwrap_or_else(|| {
            table.push((name.to_string(), ty));
            table.len() - 1
        })
}

/// Parses and compiles one expression of a policy about `kind`.
pub(crate) fn compile(
    src: &Source,
    schema: &Schema,
    kind: SubjectKind,
    tables: &mut Tables,
) -> Result<Expr> {
    let (ast, info) = src.parse()?;
    Checker {
        src,
        info: &info,
        schema,
        kind,
        tables,
    }
    .expr(&ast)
}

struct Checker<'a> {
    src: &'a Source,
    info: &'a SourceInfo,
    schema: &'a Schema,
    kind: SubjectKind,
    tables: &'a mut Tables,
}

fn boxed(node: fn(Box<Expr>) -> Node, e: Expr, ty: Ty) -> Expr {
    Expr {
        node: node(Box::new(e)),
        ty,
    }
}

fn binary(node: impl FnOnce(Box<Expr>, Box<Expr>) -> Node, a: Expr, b: Expr, ty: Ty) -> Expr {
    Expr {
        node: node(Box::new(a), Box::new(b)),
        ty,
    }
}

/// Widens whole numbers and whole fen to exact fractions.
fn to_dec(e: Expr) -> Expr {
    match e.ty {
        Ty::Int => boxed(Node::ToDec, e, Ty::Rate),
        Ty::Money => boxed(Node::ToDec, e, Ty::MoneyDec),
        _ => e,
    }
}

/// `e` as type `to`, if the rules allow it without a change of unit.
fn coerce(e: Expr, to: Ty) -> Option<Expr> {
    match (e.ty, to, &e.node) {
        (from, to, _) if from == to => Some(e),
        (Ty::Int, Ty::Rate, _) | (Ty::Money, Ty::MoneyDec, _) => Some(to_dec(e)),
        (Ty::Int, Ty::Money | Ty::MoneyDec, Node::Const(Value::Int(n))) => {
            let fen = Expr {
                node: Node::Const(Value::Money(*n)),
                ty: Ty::Money,
            };
            coerce(fen, to)
        }
        _ => None,
    }
}

/// Brings two operands to one type (widening or reading a literal as fen), or says why not.
fn unify(a: Expr, b: Expr) -> std::result::Result<(Expr, Expr, Ty), String> {
    let (ta, tb) = (a.ty, b.ty);
    if let Some(a2) = coerce(a.clone(), tb) {
        return Ok((a2, b, tb));
    }
    if let Some(b2) = coerce(b, ta) {
        return Ok((a, b2, ta));
    }
    Err(format!("类型不一致：{} 与 {}", ta.public(), tb.public()))
}

impl Checker<'_> {
    fn error(&self, e: &IdedExpr, message: String) -> Error {
        let offset = self
            .info
            .offset_for(e.id)
            .map_or(0, |(start, _)| start as usize);
        self.src.check_error(offset, message)
    }

    fn expect(&self, e: &IdedExpr, got: Expr, want: Ty, what: &str) -> Result<Expr> {
        if got.ty == want {
            Ok(got)
        } else {
            Err(self.error(
                e,
                format!("{what}应为{}，实为{}", want.public(), got.ty.public()),
            ))
        }
    }

    fn expr(&mut self, e: &IdedExpr) -> Result<Expr> {
        match &e.expr {
            Cel::Literal(lit) => self.literal(e, lit),
            Cel::Select(sel) if sel.test => Err(self.error(e, "不支持 has()：字段总有值".into())),
            Cel::Select(sel) => {
                let Cel::Ident(root) = &sel.operand.expr else {
                    return Err(self.error(e, "只能读取 主体.字段，如 person.age".into()));
                };
                self.field(e, root, &sel.field)
            }
            Cel::Ident(name) => Err(self.error(
                e,
                format!("未知名称“{name}”：字段应写作 主体.字段，如 person.age"),
            )),
            Cel::List(list) => {
                let items = list.elements.iter().map(|item| match &item.expr {
                    Cel::Literal(LiteralValue::String(s)) => Ok(s.inner().to_string()),
                    _ => Err(self.error(item, "列表只能由字符串常量组成".into())),
                });
                Ok(Expr {
                    node: Node::Const(Value::StringList(items.collect::<Result<_>>()?)),
                    ty: Ty::List,
                })
            }
            Cel::Call(call) if call.target.is_none() => self.call(e, &call.func_name, &call.args),
            Cel::Call(call) => Err(self.error(e, format!("不支持方法调用 .{}()", call.func_name))),
            _ => Err(self.error(e, "不支持的表达式形式".into())),
        }
    }

    fn literal(&self, e: &IdedExpr, lit: &LiteralValue) -> Result<Expr> {
        let (value, ty) = match lit {
            LiteralValue::Int(n) => (Value::Int(*n.inner()), Ty::Int),
            LiteralValue::UInt(n) => {
                let n = i64::try_from(*n.inner()).map_err(|_| self.error(e, "整数过大".into()))?;
                (Value::Int(n), Ty::Int)
            }
            LiteralValue::Boolean(b) => (Value::Bool(*b.inner()), Ty::Bool),
            LiteralValue::String(s) => (Value::String(s.inner().to_string()), Ty::Str),
            // Rust prints the shortest decimal that reads back as the same double, which is
            // the literal as written: 0.1 stays exactly 1/10.
            LiteralValue::Double(d) => {
                let rate = parse_rate(&d.inner().to_string())
                    .ok_or_else(|| self.error(e, "小数无法精确表示".into()))?;
                (Value::Rate(rate), Ty::Rate)
            }
            _ => return Err(self.error(e, "不支持的常量（null 或字节串）".into())),
        };
        Ok(Expr {
            node: Node::Const(value),
            ty,
        })
    }

    fn field(&mut self, e: &IdedExpr, root: &str, name: &str) -> Result<Expr> {
        let full = format!("{root}.{name}");
        let root_kind = SubjectKind::from_name(root);
        if root_kind.is_some_and(|k| !self.kind.roots().contains(&k)) {
            return Err(self.error(
                e,
                format!("主体为 {} 的政策不能读取“{full}”", self.kind.name()),
            ));
        }
        let ty = self
            .schema
            .field(&full)
            .ok_or_else(|| self.error(e, format!("未知字段“{full}”")))?;
        Ok(Expr {
            node: Node::Field(intern(&mut self.tables.fields, &full, ty)),
            ty: Ty::of(ty),
        })
    }

    fn string_arg(&self, e: &IdedExpr, args: &[IdedExpr], func: &str) -> Result<String> {
        match args {
            [
                IdedExpr {
                    expr: Cel::Literal(LiteralValue::String(s)),
                    ..
                },
            ] => Ok(s.inner().to_string()),
            _ => Err(self.error(e, format!("{func}() 需要一个字符串常量参数"))),
        }
    }

    fn call(&mut self, e: &IdedExpr, func: &str, args: &[IdedExpr]) -> Result<Expr> {
        match func {
            "param" => {
                let name = self.string_arg(e, args, func)?;
                let ty = self
                    .schema
                    .param(&name)
                    .ok_or_else(|| self.error(e, format!("参数“{name}”未声明")))?;
                Ok(Expr {
                    node: Node::Param(intern(&mut self.tables.params, &name, ty)),
                    ty: Ty::of(ty),
                })
            }
            "date" => {
                let text = self.string_arg(e, args, func)?;
                let d = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map_err(|_| self.error(e, format!("日期“{text}”应为 YYYY-MM-DD")))?;
                Ok(Expr {
                    node: Node::Const(Value::Date(d)),
                    ty: Ty::Date,
                })
            }
            _ => {
                let operands = args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<Vec<_>>>()?;
                self.operator(e, func, operands)
            }
        }
    }

    fn operator(&self, e: &IdedExpr, func: &str, operands: Vec<Expr>) -> Result<Expr> {
        let count = operands.len();
        let arity = |n: usize| {
            if count == n {
                Ok(())
            } else {
                Err(self.error(e, format!("{func}() 需要 {n} 个参数")))
            }
        };
        let mut it = operands.into_iter();
        let mut next = || it.next().expect("arity checked");
        match func {
            op::ADD | op::SUBSTRACT => {
                arity(2)?;
                let aop = if func == op::ADD {
                    ArithOp::Add
                } else {
                    ArithOp::Sub
                };
                let (a, b, ty) = unify(next(), next()).map_err(|m| self.error(e, m))?;
                if !ty.is_number() {
                    return Err(self.error(e, format!("{} 不能相加减", ty.public())));
                }
                Ok(binary(|x, y| Node::Arith(aop, x, y), a, b, ty))
            }
            op::MULTIPLY => {
                arity(2)?;
                self.multiply(e, next(), next())
            }
            op::DIVIDE => {
                arity(2)?;
                let (a, b) = (next(), next());
                if !a.ty.is_number() || !b.ty.is_number() || (b.ty.is_money() && !a.ty.is_money()) {
                    return Err(self.error(
                        e,
                        format!("不能用 {} 除以 {}", a.ty.public(), b.ty.public()),
                    ));
                }
                let ty = if a.ty.is_money() && !b.ty.is_money() {
                    Ty::MoneyDec
                } else {
                    Ty::Rate
                };
                Ok(binary(
                    |x, y| Node::Arith(ArithOp::Div, x, y),
                    to_dec(a),
                    to_dec(b),
                    ty,
                ))
            }
            op::NEGATE => {
                arity(1)?;
                let a = next();
                if !a.ty.is_number() {
                    return Err(self.error(e, format!("{} 不能取负", a.ty.public())));
                }
                let ty = a.ty;
                Ok(boxed(Node::Neg, a, ty))
            }
            op::EQUALS
            | op::NOT_EQUALS
            | op::LESS
            | op::LESS_EQUALS
            | op::GREATER
            | op::GREATER_EQUALS => {
                arity(2)?;
                let cmp = match func {
                    op::EQUALS => CmpOp::Eq,
                    op::NOT_EQUALS => CmpOp::Ne,
                    op::LESS => CmpOp::Lt,
                    op::LESS_EQUALS => CmpOp::Le,
                    op::GREATER => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let (a, b, ty) = unify(next(), next()).map_err(|m| self.error(e, m))?;
                let ordered = ty.is_number() || matches!(ty, Ty::Str | Ty::Date);
                if ty == Ty::List || (!ordered && !matches!(cmp, CmpOp::Eq | CmpOp::Ne)) {
                    return Err(self.error(e, format!("{} 不能比较大小", ty.public())));
                }
                Ok(binary(|x, y| Node::Cmp(cmp, x, y), a, b, Ty::Bool))
            }
            op::LOGICAL_AND | op::LOGICAL_OR => {
                arity(2)?;
                let a = self.expect(e, next(), Ty::Bool, "逻辑运算的操作数")?;
                let b = self.expect(e, next(), Ty::Bool, "逻辑运算的操作数")?;
                let node = if func == op::LOGICAL_AND {
                    Node::And
                } else {
                    Node::Or
                };
                Ok(binary(node, a, b, Ty::Bool))
            }
            op::LOGICAL_NOT => {
                arity(1)?;
                let a = self.expect(e, next(), Ty::Bool, "! 的操作数")?;
                Ok(boxed(Node::Not, a, Ty::Bool))
            }
            op::CONDITIONAL => {
                arity(3)?;
                let c = self.expect(e, next(), Ty::Bool, "条件")?;
                let (a, b, ty) = unify(next(), next()).map_err(|m| self.error(e, m))?;
                Ok(Expr {
                    node: Node::If(Box::new(c), Box::new(a), Box::new(b)),
                    ty,
                })
            }
            op::IN => {
                arity(2)?;
                let a = self.expect(e, next(), Ty::Str, "in 左侧")?;
                let b = self.expect(e, next(), Ty::List, "in 右侧")?;
                Ok(binary(Node::In, a, b, Ty::Bool))
            }
            "min" | "max" => {
                arity(2)?;
                let pick = if func == "min" { Pick::Min } else { Pick::Max };
                let (a, b, ty) = unify(next(), next()).map_err(|m| self.error(e, m))?;
                if !ty.is_number() && ty != Ty::Date {
                    return Err(self.error(e, format!("{func}() 不适用于{}", ty.public())));
                }
                Ok(binary(|x, y| Node::Pick(pick, x, y), a, b, ty))
            }
            "size" => {
                arity(1)?;
                let a = self.expect(e, next(), Ty::List, "size() 的参数")?;
                Ok(boxed(Node::Size, a, Ty::Int))
            }
            _ => Err(self.error(e, format!("未知函数或运算符“{func}”"))),
        }
    }

    fn multiply(&self, e: &IdedExpr, a: Expr, b: Expr) -> Result<Expr> {
        if !a.ty.is_number() || !b.ty.is_number() || (a.ty.is_money() && b.ty.is_money()) {
            return Err(self.error(
                e,
                format!("不能将 {} 与 {} 相乘", a.ty.public(), b.ty.public()),
            ));
        }
        let money = a.ty.is_money() || b.ty.is_money();
        let (a, b, ty) = if a.ty.is_dec() || b.ty.is_dec() {
            let ty = if money { Ty::MoneyDec } else { Ty::Rate };
            (to_dec(a), to_dec(b), ty)
        } else {
            (a, b, if money { Ty::Money } else { Ty::Int })
        };
        Ok(binary(|x, y| Node::Arith(ArithOp::Mul, x, y), a, b, ty))
    }
}
