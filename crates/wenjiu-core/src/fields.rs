//! Shared machinery of the record validators: column tables, per-field errors, and a reader that
//! collects every error of a record instead of stopping at the first.
//!
//! The HTTP API and the spreadsheet import both feed records through the same `from_fields`
//! parsers, so a value accepted in one place is accepted in the other.

use std::fmt;

use serde::Serialize;

use crate::{Error, Result};

/// One input column of a record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Stable key (API field name, `get` argument).
    pub key: &'static str,
    /// Chinese header used in import and export files.
    pub header: &'static str,
    /// Must be non-empty. Conditionally required columns are `false` here.
    pub required: bool,
}

/// The column of `columns` whose key or Chinese header is `text` (trimmed), to map file headers.
pub fn find_column(columns: &'static [Column], text: &str) -> Option<&'static Column> {
    let t = text.trim();
    columns.iter().find(|c| c.key == t || c.header == t)
}

/// A problem with one field of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Column key.
    pub column: &'static str,
    /// Column header (Chinese).
    pub header: &'static str,
    /// Chinese message.
    pub message: String,
    /// Machine code, the same as [`Error::code`] of the underlying error.
    pub code: &'static str,
}

impl FieldError {
    pub fn new(column: &Column, error: &Error) -> FieldError {
        FieldError {
            column: column.key,
            header: column.header,
            message: error.to_string(),
            code: error.code(),
        }
    }
}

impl fmt::Display for FieldError {
    /// The message, prefixed with the header unless the message already names the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.contains(self.header) {
            f.write_str(&self.message)
        } else {
            write!(f, "{}：{}", self.header, self.message)
        }
    }
}

impl std::error::Error for FieldError {}

/// Parses a yes/no cell: 是/否, true/false, 1/0, Y/N, yes/no (any case).
pub fn parse_yes_no(field: &str, text: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "是" | "true" | "1" | "y" | "yes" => Ok(true),
        "否" | "false" | "0" | "n" | "no" => Ok(false),
        other => Err(Error::invalid(
            field,
            format!("“{other}”无效，应为“是”或“否”"),
        )),
    }
}

/// Reads the fields of one record, collecting errors.
pub(crate) struct Reader<'g, 'r> {
    get: &'g dyn Fn(&str) -> Option<&'r str>,
    columns: &'static [Column],
    errors: Vec<FieldError>,
}

impl<'g, 'r> Reader<'g, 'r> {
    pub fn new(
        get: &'g dyn Fn(&str) -> Option<&'r str>,
        columns: &'static [Column],
    ) -> Reader<'g, 'r> {
        Reader {
            get,
            columns,
            errors: Vec::new(),
        }
    }

    pub fn column(&self, key: &str) -> &'static Column {
        self.columns
            .iter()
            .find(|c| c.key == key)
            .unwrap_or_else(|| panic!("no column {key:?} in this table"))
    }

    /// The trimmed text, `None` if absent or empty.
    pub fn text(&self, key: &str) -> Option<&'r str> {
        (self.get)(key).map(str::trim).filter(|s| !s.is_empty())
    }

    /// Records an error on a column.
    pub fn fail(&mut self, key: &str, error: Error) {
        let column = self.column(key);
        self.errors.push(FieldError::new(column, &error));
    }

    /// A required field: an error if missing or invalid.
    pub fn required<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&'r str) -> Result<T>,
    ) -> Option<T> {
        match self.text(key) {
            Some(t) => self.optional(key, |_| parse(t)),
            None => {
                let header = self.column(key).header;
                self.fail(key, Error::required(header));
                None
            }
        }
    }

    /// An optional field: `None` if missing; an error (and `None`) if present but invalid.
    pub fn optional<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&'r str) -> Result<T>,
    ) -> Option<T> {
        let t = self.text(key)?;
        match parse(t) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(key, e);
                None
            }
        }
    }

    /// The header of a column, for messages built by the parsers.
    pub fn header(&self, key: &str) -> &'static str {
        self.column(key).header
    }

    /// `Ok` with the built record if no field failed, else all errors.
    pub fn finish<T>(
        self,
        build: impl FnOnce() -> Option<T>,
    ) -> std::result::Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(build().expect("every required field parsed when there are no errors"))
        } else {
            Err(self.errors)
        }
    }
}

/// Text of at most `max` characters (names, free text).
pub(crate) fn bounded_text(header: &str, text: &str, max: usize) -> Result<String> {
    let n = text.chars().count();
    if n > max {
        return Err(Error::invalid(
            header,
            format!("最多{max}个字符，实际为{n}个"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid(header, "不能包含控制字符（如换行符）"));
    }
    Ok(text.to_string())
}

/// A non-negative integer written with ASCII digits only.
pub(crate) fn non_negative_int<T: std::str::FromStr>(header: &str, text: &str) -> Result<T> {
    let invalid = || Error::invalid(header, format!("“{text}”无效，应为不小于0的整数"));
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    text.parse().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column {
            key: "a",
            header: "甲",
            required: true,
        },
        Column {
            key: "b",
            header: "乙",
            required: false,
        },
    ];

    #[test]
    fn reader_collects_all_errors() {
        let get = |k: &str| match k {
            "b" => Some(" x "),
            _ => None,
        };
        let mut r = Reader::new(&get, COLS);
        assert_eq!(r.required("a", |t| Ok(t.to_string())), None);
        assert_eq!(r.optional("b", |t| non_negative_int::<u32>("乙", t)), None);
        let errors = r.finish(|| Some(())).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, "field.required");
        assert_eq!(errors[0].to_string(), "甲为必填项");
        assert_eq!(errors[1].column, "b");
        assert_eq!(errors[1].to_string(), "乙：“x”无效，应为不小于0的整数");
    }

    #[test]
    fn empty_text_is_missing() {
        let get = |_: &str| Some("   ");
        let mut r = Reader::new(&get, COLS);
        assert_eq!(r.optional("b", |t| Ok(t.to_string())), None);
        assert!(r.finish(|| Some(())).is_ok());
    }

    #[test]
    fn field_error_display_prefixes_header_once() {
        let col = &COLS[0];
        let e = FieldError::new(col, &Error::MoneyFormat { text: "x".into() });
        assert_eq!(
            e.to_string(),
            "甲：金额“x”格式错误：应为以元为单位的数字，如 1234、1234.5、1,234.56、-3.00"
        );
        let e = FieldError::new(col, &Error::required("甲"));
        assert_eq!(e.to_string(), "甲为必填项");
    }

    #[test]
    fn yes_no() {
        for t in ["是", "true", "TRUE", "1", "Y", "yes"] {
            assert!(parse_yes_no("退役军人", t).unwrap(), "{t}");
        }
        for t in ["否", "false", "0", "n", "No"] {
            assert!(!parse_yes_no("退役军人", t).unwrap(), "{t}");
        }
        let e = parse_yes_no("退役军人", "也许").unwrap_err();
        assert_eq!(e.to_string(), "退役军人：“也许”无效，应为“是”或“否”");
    }

    #[test]
    fn find_column_by_key_or_header() {
        assert_eq!(find_column(COLS, "乙").unwrap().key, "b");
        assert_eq!(find_column(COLS, " a ").unwrap().header, "甲");
        assert!(find_column(COLS, "丙").is_none());
    }

    #[test]
    fn helpers() {
        assert_eq!(non_negative_int::<u32>("n", "0").unwrap(), 0);
        assert!(non_negative_int::<u32>("n", "-1").is_err());
        assert!(non_negative_int::<u32>("n", "+1").is_err());
        assert!(non_negative_int::<u32>("n", "99999999999").is_err());
        assert_eq!(bounded_text("名", "张三", 2).unwrap(), "张三");
        assert_eq!(
            bounded_text("名", "张三丰", 2).unwrap_err().to_string(),
            "名：最多2个字符，实际为3个"
        );
        assert!(bounded_text("名", "a\nb", 5).is_err());
    }
}
