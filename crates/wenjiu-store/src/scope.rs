//! Data scopes: which records a user may see. Applied inside every query.

use wenjiu_core::{RegionCode, RegionPrefix};

use crate::sql::{Sql, prefix_upper};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Records whose region code starts with the prefix (province, city or county).
    Region(RegionPrefix),
    /// Only the user's own enterprise and what belongs to it.
    Enterprise(i64),
    /// Everything: the command line run by the system's operator, who holds the database.
    /// No account of the HTTP API has it.
    All,
}

impl Scope {
    /// Whether a record in `region` may be written by this scope.
    pub fn admits_region(&self, region: &RegionCode) -> bool {
        self.admits(region, None)
    }

    /// Whether this scope is a whole province (or everything): the level that does
    /// province-wide work such as recounting every region's indicators.
    pub fn is_provincial(&self) -> bool {
        match self {
            Scope::Region(p) => p.level() == wenjiu_core::RegionLevel::Province,
            Scope::Enterprise(_) => false,
            Scope::All => true,
        }
    }

    /// Whether this scope may set what is handed down to `region` (a target): only for
    /// regions strictly below its own, the province sets its cities' and a city its
    /// counties'. A provincial scope also sets its own, as no one above it does here.
    pub fn governs_region(&self, region: &RegionCode) -> bool {
        match self {
            Scope::Region(p) => {
                p.matches(region) && (self.is_provincial() || region.prefix() != *p)
            }
            Scope::Enterprise(_) => false,
            Scope::All => true,
        }
    }

    /// Whether a record in `region`, belonging to `enterprise` if to any (an enterprise
    /// itself, a job with an employer), is within this scope.
    pub fn admits(&self, region: &RegionCode, enterprise: Option<i64>) -> bool {
        match self {
            Scope::Region(p) => p.matches(region),
            Scope::Enterprise(own) => enterprise == Some(*own),
            Scope::All => true,
        }
    }

    /// Appends `AND <column> within the prefix` (a range, so the index serves it).
    pub(crate) fn push_region(prefix: &str, column: &str, sql: &mut Sql) {
        sql.push(&format!(" AND {column} >= "))
            .bind(prefix)
            .push(&format!(" AND {column} < "))
            .bind(prefix_upper(prefix));
    }
}
