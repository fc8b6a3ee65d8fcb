//! CEL expressions: parsed with the `cel` crate (for its syntax and source offsets), then
//! checked and compiled into our own typed tree, which the evaluators run.

mod check;
pub(crate) mod ir;
mod parse;

pub(crate) use check::{Tables, compile};
pub(crate) use parse::Source;
