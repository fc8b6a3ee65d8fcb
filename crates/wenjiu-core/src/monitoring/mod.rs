//! Unemployment dynamic monitoring (失业动态监测): the monthly reports of sampled enterprises,
//! their figures (岗位流失率 and the rest), the early-warning rules with their routing, and the
//! layoff-plan filings (裁员方案备案) with what the law requires of each.
//!
//! Everything here is arithmetic and rules over plain values; the store loads the month's
//! reports and persists what these functions decide.

pub mod codes;
pub mod figures;
pub mod layoff;
pub mod report;
pub mod routing;
pub mod warning;

pub use codes::{CodeEntry, CodeKind};
pub use figures::Figures;
pub use layoff::{Grounds, LayoffPlan, Requirements, Step, Thresholds};
pub use report::{Reason, ReportInput, ReportStatus, ReviewAction, ReviewTier};
pub use routing::{Routing, Tier};
pub use warning::{
    Basis, EnterpriseMonth, Finding, Level, LossTest, Measure, MonthData, Percent, Rule, RuleKind,
    default_rules, evaluate,
};
