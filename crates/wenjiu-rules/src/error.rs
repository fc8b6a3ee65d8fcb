//! The one error type of the rules engine. Messages are Chinese because policy authors and
//! caseworkers read them; load errors carry the file and line so a policy can be fixed at once.

use chrono::NaiveDate;

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The TOML itself is malformed, or has an unknown or missing key.
    #[error("{file}:{line}: TOML 格式错误：{message}")]
    Toml {
        file: String,
        line: usize,
        message: String,
    },
    /// A value in the file is well-formed TOML but not acceptable (a bad date range, rounding…).
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    /// An expression does not parse as CEL.
    #[error("{file}:{line}: 表达式 `{expr}` 语法错误：{message}")]
    Syntax {
        file: String,
        line: usize,
        expr: String,
        message: String,
    },
    /// An expression parses but refers to unknown names or mixes types.
    #[error("{file}:{line}: 表达式 `{expr}` 有误：{message}")]
    Check {
        file: String,
        line: usize,
        expr: String,
        message: String,
    },
    /// A policy uses a parameter that has no province default at the policy's start.
    #[error("{file}: 参数“{param}”在政策生效日 {date} 没有省级默认值")]
    MissingParamValue {
        file: String,
        param: String,
        date: NaiveDate,
    },
    /// A policy set holds two policies with one id.
    #[error("{file}: 政策编号“{id}”重复")]
    DuplicatePolicy { file: String, id: String },
    /// A parameter change or lookup names a parameter that is not declared.
    #[error("参数“{0}”未声明")]
    UnknownParam(String),
    /// Two values of one parameter for the same region and start date: history is appended,
    /// never overwritten.
    #[error("参数“{param}”在地区 {region} 自 {from} 起已有取值，历史不可覆盖")]
    DuplicateParamValue {
        param: String,
        region: String,
        from: NaiveDate,
    },
    /// A value given for a parameter does not have the parameter's type.
    #[error("参数“{param}”的取值应为{expected}")]
    ParamType { param: String, expected: String },
    /// A value outside the parameter's legal bounds (a rate above the document's ceiling, a
    /// negative count or amount).
    #[error("参数“{param}”的取值{bound}")]
    ParamBound { param: String, bound: String },
    /// A city or county value of a parameter only the province sets.
    #[error("参数“{0}”由省级统一规定，市县不能另定取值")]
    ParamProvinceOnly(String),
    /// At evaluation, no value of a parameter applies to a subject's region and date.
    #[error("参数“{param}”在地区 {region}、日期 {date} 没有适用的取值")]
    NoParamValue {
        param: String,
        region: String,
        date: NaiveDate,
    },
    /// The subject or frame lacks a field that a policy reads.
    #[error("主体缺少字段“{0}”")]
    MissingField(String),
    /// A subject's field value or a frame column has the wrong type or length.
    #[error("字段“{field}”{message}")]
    FieldValue { field: String, message: String },
    /// Arithmetic failed while evaluating (division by zero, overflow).
    #[error("政策“{policy}”计算 `{expr}` 出错：{message}")]
    Eval {
        policy: String,
        expr: String,
        message: String,
    },
}

/// 1-based line of a byte offset in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Turns a TOML deserialisation error into [`Error::Toml`] with the line it points at.
pub(crate) fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Error {
    Error::Toml {
        file: file.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    }
}
