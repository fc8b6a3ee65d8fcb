//! Indicator arithmetic (指标调度): progress against annual targets and 序时进度, year on year,
//! control targets, rankings, and the bulletin's opening paragraph.
//!
//! Values are exact [`Ratio`]s of integer counts; rounding happens only when printing, half
//! away from zero, through [`Ratio::round`] / [`Ratio::round_percent`] and the `format_*`
//! functions. A difference printed next to both of its operands is the difference of the
//! printed figures ([`stated_difference`]), so a sentence always adds up.
//!
//! ```
//! use wenjiu_core::Month;
//! use wenjiu_core::indicators::{CountProgress, format_percent, format_wan};
//!
//! let may = Month::new(2020, 5).unwrap();
//! let p = CountProgress::new(may, 151_600, Some(420_000), Some(192_386));
//! assert_eq!(format_wan(p.cumulative), "15.2万");
//! assert_eq!(format_percent(p.completion.unwrap(), 1), "36.1%");
//! assert_eq!(format_percent(p.time_progress, 1), "41.7%");
//! assert_eq!(format_percent(p.yoy.unwrap(), 1), "-21.2%");
//! ```

mod bulletin;
pub mod catalogue;
mod format;
mod paragraph;
mod progress;
mod ratio;
mod values;

pub use bulletin::{Bulletin, Row, Section, TrendPoint, figures, period_name};
pub use format::{
    WAN, format_control_target, format_headcount, format_headcount_compact, format_percent,
    format_percent_compact, format_points, format_wan, format_wan_compact, stated_difference, wan,
    worded,
};
pub use paragraph::{
    BulletinFigures, NewEmploymentFigures, RegisteredRateFigures, SurveyedRateFigures,
    collective_term, paragraph, rank_scope,
};
pub use progress::{
    Change, ControlComparison, ControlStatus, ControlTarget, CountProgress, Direction,
    IndicatorKind, RateParts, RateProgress, against_control, completion_rate, cumulative_to_date,
    gap_to_time_progress, rank, time_progress, yoy_count, yoy_points,
};
pub use ratio::{Ratio, Rounded};
pub use values::{Target, Values};
