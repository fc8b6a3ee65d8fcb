//! Where an expression sits in its file, so that every error names the file and line.

use cel::IdedExpr;
use cel::common::ast::SourceInfo;
use cel::parser::Parser;
use toml::Spanned;

use crate::error::{Error, line_of};

/// An expression's text with the file and line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub file: String,
    pub text: String,
    /// The file line of the expression's first character.
    pub line: usize,
}

impl Source {
    /// The expression held in a TOML string value of `file_text`.
    pub(crate) fn of(file: &str, file_text: &str, value: &Spanned<String>) -> Source {
        let start = value.span().start;
        let raw = file_text.get(value.span()).unwrap_or_default();
        let multi_line = raw.starts_with("\"\"\"") || raw.starts_with("'''");
        // A multi-line string drops the newline right after its opening quotes.
        let skipped = multi_line && raw[3..].starts_with(['\n', '\r']);
        Source {
            file: file.to_string(),
            text: value.get_ref().clone(),
            line: line_of(file_text, start) + usize::from(skipped),
        }
    }

    /// The file line of a byte offset inside the expression.
    fn line_at(&self, offset: usize) -> usize {
        self.line + line_of(&self.text, offset) - 1
    }

    pub(crate) fn check_error(&self, offset: usize, message: String) -> Error {
        Error::Check {
            file: self.file.clone(),
            line: self.line_at(offset),
            expr: self.text.clone(),
            message,
        }
    }

    /// Parses the text as CEL. The parser's error holds non-`Send` parts, so only its line
    /// and message are kept.
    pub(crate) fn parse(&self) -> Result<(IdedExpr, SourceInfo), Error> {
        Parser::new()
            .parse_with_source_info(&self.text)
            .map_err(|errors| {
                let first = errors.errors.first();
                let line = first.map_or(1, |e| usize::try_from(e.pos.0).unwrap_or(1).max(1));
                Error::Syntax {
                    file: self.file.clone(),
                    line: self.line + line - 1,
                    expr: self.text.clone(),
                    message: first.map_or_else(|| errors.to_string(), |e| e.msg.clone()),
                }
            })
    }
}
