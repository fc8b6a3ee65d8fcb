//! What employment and unemployment registrations share: their list filter, and their
//! natural key (one registration per person and date).

use wenjiu_core::RegionPrefix;

use crate::Scope;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    /// Part of the person's name.
    pub name: Option<String>,
    pub region: Option<String>,
    /// The employment kind, or the unemployment reason.
    pub code: Option<String>,
    /// Registered (employment: started) in [from, to), YYYY-MM-DD.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `true`: still open (no end date).
    pub open: Option<bool>,
    pub person_id: Option<i64>,
}

/// The columns (of the table aliased `r`) a registration kind keeps its facts in.
pub(crate) struct RegistrationColumns {
    pub date: &'static str,
    pub end: &'static str,
    pub code: &'static str,
}

impl RegistrationFilter {
    /// Appends the filter's conditions (the person is joined as `p`).
    pub(crate) fn push(&self, cols: &RegistrationColumns, sql: &mut Sql) -> Result<()> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(name) = given(&self.name) {
            sql.push(" AND p.name LIKE ").bind(format!("%{name}%"));
        }
        if let Some(region) = given(&self.region) {
            let prefix = RegionPrefix::parse(&region)
                .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
            Scope::push_region(prefix.as_str(), "r.region", sql);
        }
        if let Some(code) = given(&self.code) {
            sql.push(&format!(" AND r.{} = ", cols.code)).bind(code);
        }
        if let Some(from) = given(&self.from) {
            sql.push(&format!(" AND r.{} >= ", cols.date)).bind(from);
        }
        if let Some(to) = given(&self.to) {
            sql.push(&format!(" AND r.{} < ", cols.date)).bind(to);
        }
        if let Some(open) = self.open {
            let test = if open { "IS NULL" } else { "IS NOT NULL" };
            sql.push(&format!(" AND r.{} {test}", cols.end));
        }
        if let Some(p) = self.person_id {
            sql.push(" AND r.person_id = ").bind(p);
        }
        Ok(())
    }
}

/// A registration resolved to its person, as a write checks it against those stored.
pub(crate) trait Resolved {
    /// The registration table and its date column: one registration per person and date.
    const KEY: (&'static str, &'static str);
    fn person_id(&self) -> i64;
    fn date(&self) -> chrono::NaiveDate;
}
