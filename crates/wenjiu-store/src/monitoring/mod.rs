//! Unemployment dynamic monitoring: the enterprise sample, monthly reports with their review
//! chain, the month's figures, early warnings and layoff-plan filings. The rules themselves
//! live in `wenjiu_core::monitoring`; this module loads what they need and keeps what they
//! decide. Every query applies the caller's scope: a region prefix on the enterprise's county,
//! or the user's own enterprise.

mod codes;
mod figures;
pub mod filings;
pub mod import;
pub mod load;
pub mod reports;
pub mod sample;
mod settings;
pub mod summary;
pub mod warnings;

use wenjiu_core::Month;
use wenjiu_core::monitoring::{ReviewTier, Tier};

use crate::Scope;
use crate::error::{Result, StoreError};
use crate::sql::Sql;

pub use filings::{FilingInput, FilingRow, FilingStepInput};
pub use reports::{ReportFilter, ReportRow, ReviewRow, StatusRow};
pub use sample::{Coverage, EnrolInput, MonitoredRow};
pub use summary::{GroupFigures, MonitoringSummary};
pub use warnings::{RunOutcome, WarningAction, WarningFilter, WarningRow};

/// Appends the scope condition for a monitoring table with a county `region` column and an
/// `enterprise_id` column.
pub(crate) fn push_scope(scope: &Scope, region: &str, enterprise: &str, sql: &mut Sql) {
    match scope {
        Scope::Region(p) => Scope::push_region(p.as_str(), region, sql),
        Scope::Enterprise(id) => {
            sql.push(&format!(" AND {enterprise} = ")).bind(*id);
        }
        Scope::All => {}
    }
}

/// The review tier of a scope: the province (or the operator) or a county or city; an
/// enterprise does not review.
pub fn review_tier(scope: &Scope) -> Option<ReviewTier> {
    match scope {
        Scope::All => Some(ReviewTier::Province),
        Scope::Region(p) if Tier::of(p.level()) == Tier::Province => Some(ReviewTier::Province),
        Scope::Region(_) => Some(ReviewTier::Local),
        Scope::Enterprise(_) => None,
    }
}

pub(crate) fn parse_month(text: &str) -> Result<Month> {
    Month::parse(text).map_err(|_| StoreError::Corrupt(format!("月份 {text}")))
}

/// A month not yet come cannot be reported, chased or evaluated (`action` says which).
pub(crate) fn check_month_open(month: Month, today: chrono::NaiveDate, action: &str) -> Result<()> {
    if month > Month::of(today) {
        return Err(StoreError::invalid(
            "month",
            "月份",
            "field.invalid",
            format!("{month} 尚未到来，不能{action}"),
        ));
    }
    Ok(())
}

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}：{e}"))
}
