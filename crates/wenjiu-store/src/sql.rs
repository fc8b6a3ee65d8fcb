//! A small builder for portable SQL with `$n` placeholders, which both SQLite and
//! PostgreSQL accept, so each query is written once.

use sqlx::Any;

use crate::db::Backend;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// A bound value. Nulls carry their type: PostgreSQL rejects a text-typed NULL for a
/// BIGINT column.
#[derive(Clone, Debug)]
pub enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Int(Some(v as i64))
    }
}

#[derive(Default, Clone, Debug)]
pub struct Sql {
    text: String,
    args: Vec<Val>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `v`.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        self.args.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends ` AND {column} LIKE …` for values containing `text`; `%`, `_` and `\` in it
    /// match themselves (a search for "_" is not a search for everything).
    pub fn push_contains(&mut self, column: &str, text: &str) -> &mut Self {
        self.push_like(column, format!("%{}%", like_literal(text)))
    }

    /// Appends ` AND {column} LIKE …` for values beginning with `text`, taken literally.
    pub fn push_starts_with(&mut self, column: &str, text: &str) -> &mut Self {
        self.push_like(column, format!("{}%", like_literal(text)))
    }

    fn push_like(&mut self, column: &str, pattern: String) -> &mut Self {
        self.push(&format!(" AND {column} LIKE "))
            .bind(pattern)
            .push(" ESCAPE '\\'")
    }

    /// Adds a value for a placeholder already written in the text (`$1` used twice).
    pub fn arg(&mut self, v: impl Into<Val>) -> &mut Self {
        self.args.push(v.into());
        self
    }

    /// Appends `(v1, v2, …)` placeholders for a VALUES row or an IN list.
    pub fn bind_list(&mut self, vals: impl IntoIterator<Item = Val>) -> &mut Self {
        self.text.push('(');
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self.text.push(')');
        self
    }

    /// Appends one row to an `INSERT … VALUES ` list: `(…)`, after a comma unless it is the
    /// list's first row.
    pub fn bind_row(&mut self, vals: impl IntoIterator<Item = Val>) -> &mut Self {
        if !self.text.trim_end().ends_with("VALUES") {
            self.text.push_str(", ");
        }
        self.bind_list(vals)
    }

    /// `WITH name(c1, c2, …) AS (VALUES (…), (…)) `: a batch of rows for one UPDATE … FROM
    /// or correlated subqueries, so that a batch is one statement rather than one per row.
    /// Integers are cast, or PostgreSQL would take the untyped parameters for text.
    pub fn with_values(
        name: &str,
        columns: &[&str],
        rows: impl IntoIterator<Item = Vec<Val>>,
    ) -> Sql {
        let mut sql = Sql::new(&format!("WITH {name}({}) AS (VALUES ", columns.join(", ")));
        for (i, row) in rows.into_iter().enumerate() {
            sql.push(if i > 0 { ", (" } else { "(" });
            for (j, v) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                match v {
                    Val::Int(_) => sql.push("CAST(").bind(v).push(" AS BIGINT)"),
                    Val::Text(_) => sql.bind(v),
                };
            }
            sql.push(")");
        }
        sql.push(") ");
        sql
    }

    /// Appends another fragment, renumbering its placeholders after ours.
    pub fn append(&mut self, other: &Sql) -> &mut Self {
        let base = self.args.len();
        let mut out = String::with_capacity(other.text.len());
        let mut chars = other.text.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '$' {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                let n: usize = n.parse().expect("placeholder number");
                out.push_str(&(n + base).to_string());
            }
        }
        self.text.push_str(&out);
        self.args.extend(other.args.iter().cloned());
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn args(&self) -> &[Val] {
        &self.args
    }

    /// The text as SQLite takes it (see [`Sql::query`]), and whether its placeholders are
    /// anonymous, so that the values bind by position.
    pub fn sqlite_text(&self) -> (String, bool) {
        let text = uncast_placeholders(&self.text);
        match anonymous_placeholders(&text) {
            Some((anonymous, n)) => (anonymous, n == self.args.len()),
            None => (text, false),
        }
    }

    /// The query with its values bound. SQLite looks a named placeholder up by a linear
    /// scan, which makes `$n` quadratic in a 9,000-value batch insert; so for SQLite,
    /// placeholders used once each in order become anonymous `?`. And SQLite (3.51) takes
    /// time quadratic in the rows to join a `VALUES` list holding expressions (500 rows:
    /// 13 ms against 1 ms), so the casts [`Sql::with_values`] writes for PostgreSQL are
    /// dropped: an integer bound is an integer there already.
    pub fn query(&self, backend: Backend) -> Query<'_, Any, AnyArguments> {
        let text = match backend {
            Backend::Sqlite => self.sqlite_text().0,
            Backend::Postgres => self.text.clone(),
        };
        // Safe: values are always bound; the text holds only placeholders and our own SQL.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(text));
        for a in &self.args {
            q = match a {
                Val::Int(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// The integer casts [`Sql::with_values`] writes, `CAST($n AS BIGINT)`, as plain `$n`.
fn uncast_placeholders(text: &str) -> String {
    const OPEN: &str = "CAST($";
    const CLOSE: &str = " AS BIGINT)";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !after[digits..].starts_with(CLOSE) {
            out.push_str(&rest[..at + OPEN.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        out.push('$');
        out.push_str(&after[..digits]);
        rest = &after[digits + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

/// `$1 … $n`, each once and in order, rewritten as `?`, and `n`; `None` when reused or
/// reordered.
fn anonymous_placeholders(text: &str) -> Option<(String, usize)> {
    let mut out = String::with_capacity(text.len());
    let mut expected = 1usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let mut n = 0usize;
        while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
            n = n * 10 + d as usize;
            chars.next();
        }
        if n != expected {
            return None;
        }
        expected += 1;
        out.push('?');
    }
    Some((out, expected - 1))
}

/// The exclusive upper bound of a digit-string prefix range: "2101" → "2102".
/// Range predicates use the region index on both backends, where LIKE may not.
pub fn prefix_upper(prefix: &str) -> String {
    let width = prefix.len();
    let n: u64 = prefix.parse().unwrap_or(0) + 1;
    format!("{n:0width$}")
}

/// `text` with LIKE's wildcards and its escape character escaped by `\`.
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_a_values_list_are_separated_by_commas() {
        let mut s = Sql::new("INSERT INTO t (a, b) VALUES ");
        for i in 0..3i64 {
            s.bind_row([Val::from(i), Val::from("x")]);
        }
        assert_eq!(
            s.text(),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"
        );
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut s = Sql::new("SELECT * FROM t WHERE a = ");
        s.bind(1i64)
            .push(" AND b IN ")
            .bind_list(vec![Val::from("x"), Val::from("y")]);
        assert_eq!(s.text(), "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
    }

    #[test]
    fn append_renumbers() {
        let mut w = Sql::new(" WHERE a = ");
        w.bind(1i64).push(" AND b = ").bind("x");
        let mut s = Sql::new("SELECT * FROM t WHERE c = ");
        s.bind(0i64).append(&w);
        assert_eq!(
            s.text(),
            "SELECT * FROM t WHERE c = $1 WHERE a = $2 AND b = $3"
        );
    }

    #[test]
    fn sqlite_gets_anonymous_placeholders_only_when_in_order() {
        assert_eq!(
            anonymous_placeholders("a = $1 AND b IN ($2, $3)"),
            Some(("a = ? AND b IN (?, ?)".to_string(), 3))
        );
        assert_eq!(anonymous_placeholders("a <= $1 AND b > $1"), None);
        assert_eq!(anonymous_placeholders("a = $2 AND b = $1"), None);
    }

    #[test]
    fn sqlite_gets_the_values_lists_integer_casts_dropped() {
        let s = Sql::with_values(
            "d",
            &["id", "name"],
            [vec![Val::from(7i64), Val::from("x")]],
        );
        assert_eq!(
            s.text(),
            "WITH d(id, name) AS (VALUES (CAST($1 AS BIGINT), $2)) "
        );
        assert_eq!(
            uncast_placeholders(s.text()),
            "WITH d(id, name) AS (VALUES ($1, $2)) "
        );
        // Other casts stay.
        let other = "SELECT CAST(a AS BIGINT), CAST($1 AS TEXT), CAST($ AS BIGINT) FROM t";
        assert_eq!(uncast_placeholders(other), other);
    }

    #[test]
    fn prefix_upper_bounds() {
        assert_eq!(prefix_upper("21"), "22");
        assert_eq!(prefix_upper("2101"), "2102");
        assert_eq!(prefix_upper("210199"), "210200");
        assert_eq!(prefix_upper("0109"), "0110");
    }
}
