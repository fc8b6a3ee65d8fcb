//! Printing indicator values the way bulletins do. This is the only place values are rounded,
//! always half away from zero (see [`Ratio::round`]).
//!
//! - Counts in 万 with one decimal: 151,600 → "15.2万"; 9,950 → "1.0万" (0.995 rounds up, and
//!   the one decimal is kept so a column of figures lines up).
//! - Targets are round figures and print without trailing zeros: 420,000 → "42万", 4.5%.
//! - Rates with one decimal, or two where the seed uses two (城镇登记失业率 4.24%).
//! - Differences of rates in 个百分点. Text that names a direction (低于/高于, 增加/减少) prints
//!   the magnitude after the word, never a minus sign: see [`worded`].

use super::{ControlTarget, Ratio, Rounded};

/// Counts below this print in persons ("3456人") in running text: "0.3万人" would throw away
/// most of a small county's figure.
pub const WAN: i64 = 10_000;

/// The count in 万 at one decimal: 151,600 → 15.2.
pub fn wan(count: i64) -> Rounded {
    Ratio::of_counts(count, WAN).expect("nonzero").round(1)
}

/// "15.2万" (one decimal, always).
pub fn format_wan(count: i64) -> String {
    format!("{}万", wan(count))
}

/// "42万", "42.5万": for targets, which are set in round figures.
pub fn format_wan_compact(count: i64) -> String {
    format!("{}万", wan(count).trimmed())
}

/// A number of people in running text: "15.2万人" from 10,000 up, "9950人" below.
pub fn format_headcount(count: i64) -> String {
    if count.abs() < WAN {
        format!("{count}人")
    } else {
        format!("{}人", format_wan(count))
    }
}

/// A target number of people: "42万人", "5000人".
pub fn format_headcount_compact(count: i64) -> String {
    if count.abs() < WAN {
        format!("{count}人")
    } else {
        format!("{}人", format_wan_compact(count))
    }
}

/// A fraction as a percentage at fixed decimals: 151600/420000 → "36.1%".
pub fn format_percent(value: Ratio, decimals: u32) -> String {
    format!("{}%", value.round_percent(decimals))
}

/// A percentage with at most `max_decimals`, trailing zeros dropped: 9/200 → "4.5%", 1/20 →
/// "5%". For targets.
pub fn format_percent_compact(value: Ratio, max_decimals: u32) -> String {
    format!("{}%", value.round_percent(max_decimals).trimmed())
}

/// Percentage points with a sign where negative, for tables: "-5.6个百分点".
pub fn format_points(points: Rounded) -> String {
    format!("{points}个百分点")
}

/// A control target as the seed prints it: "4.5%", or "5.5%左右" when set as "about" (up to two
/// decimals, trailing zeros dropped).
pub fn format_control_target(target: &ControlTarget) -> String {
    let about = if target.approximate { "左右" } else { "" };
    format!("{}{about}", format_percent_compact(target.rate, 2))
}

/// The difference of `a` and `b` as they are printed, in percentage points at `decimals`:
/// round each to a percentage first, then subtract. A sentence that prints both figures must
/// state this difference so that the reader's subtraction agrees with it (41.7% − 36.1% =
/// 5.6), even where the exact difference would round the other way.
pub fn stated_difference(a: Ratio, b: Ratio, decimals: u32) -> Rounded {
    a.round_percent(decimals)
        .checked_sub(b.round_percent(decimals))
        .expect("比值运算溢出")
}

/// The word for the direction of a printed difference and its magnitude: `up` when positive,
/// `down` when negative; `None` when it prints as zero, for the caller to say 持平.
///
/// ```
/// use wenjiu_core::indicators::{Rounded, worded};
/// let (word, size) = worded(Rounded::new(-56, 1), "高于", "低于").unwrap();
/// assert_eq!(format!("{word}序时进度{size}个百分点"), "低于序时进度5.6个百分点");
/// assert!(worded(Rounded::new(0, 1), "高于", "低于").is_none());
/// ```
pub fn worded<'w>(value: Rounded, up: &'w str, down: &'w str) -> Option<(&'w str, Rounded)> {
    if value.is_positive() {
        Some((up, value))
    } else if value.is_negative() {
        Some((down, value.abs()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(units: i64, decimals: u32) -> Ratio {
        Ratio::from_percent(units, decimals)
    }

    #[test]
    fn counts_in_wan() {
        assert_eq!(format_wan(152_000), "15.2万");
        assert_eq!(format_wan(151_600), "15.2万");
        assert_eq!(format_wan(151_499), "15.1万");
        assert_eq!(format_wan(150_500), "15.1万"); // exactly half: away from zero
        assert_eq!(format_wan(-150_500), "-15.1万");
        assert_eq!(format_wan(9_950), "1.0万"); // 0.995 → 1.0, decimal kept
        assert_eq!(format_wan(9_949), "1.0万");
        assert_eq!(format_wan(9_499), "0.9万");
        assert_eq!(format_wan(420_000), "42.0万");
        assert_eq!(format_wan(0), "0.0万");
        assert_eq!(format_wan(i64::MAX), "922337203685477.6万");
        assert_eq!(format_wan_compact(420_000), "42万");
        assert_eq!(format_wan_compact(425_000), "42.5万");
        assert_eq!(format_wan_compact(419_960), "42万");
    }

    #[test]
    fn headcounts_switch_to_persons_below_ten_thousand() {
        assert_eq!(format_headcount(151_600), "15.2万人");
        assert_eq!(format_headcount(10_000), "1.0万人");
        assert_eq!(format_headcount(9_950), "9950人");
        assert_eq!(format_headcount(0), "0人");
        assert_eq!(format_headcount_compact(420_000), "42万人");
        assert_eq!(format_headcount_compact(5_000), "5000人");
    }

    #[test]
    fn percentages() {
        assert_eq!(
            format_percent(Ratio::new(151_600, 420_000).unwrap(), 1),
            "36.1%"
        );
        assert_eq!(format_percent(Ratio::new(5, 12).unwrap(), 1), "41.7%");
        assert_eq!(format_percent(Ratio::ONE, 1), "100.0%");
        assert_eq!(format_percent(pct(424, 2), 2), "4.24%");
        assert_eq!(format_percent(pct(4245, 3), 2), "4.25%");
        assert_eq!(format_percent(pct(4245, 3), 1), "4.2%");
        assert_eq!(format_percent(pct(65, 1), 1), "6.5%");
        assert_eq!(format_percent_compact(pct(45, 1), 2), "4.5%");
        assert_eq!(format_percent_compact(pct(5, 0), 2), "5%");
        assert_eq!(format_percent_compact(pct(4125, 3), 2), "4.13%");
    }

    #[test]
    fn points_and_control_targets() {
        assert_eq!(format_points(Rounded::new(-56, 1)), "-5.6个百分点");
        assert_eq!(format_points(Rounded::new(26, 2)), "0.26个百分点");
        assert_eq!(
            format_control_target(&ControlTarget::exact(pct(45, 1))),
            "4.5%"
        );
        assert_eq!(
            format_control_target(&ControlTarget::approximate(pct(55, 1))),
            "5.5%左右"
        );
    }

    #[test]
    fn stated_difference_is_that_of_the_printed_figures() {
        // Exact: 36.190% − 41.667% = −5.476 pp, which rounds to −5.5; printed: 36.2 − 41.7.
        let done = Ratio::new(152_000, 420_000).unwrap();
        let time = Ratio::new(5, 12).unwrap();
        assert_eq!((done - time).round_percent(1).to_string(), "-5.5");
        assert_eq!(stated_difference(done, time, 1).to_string(), "-5.5");
        // Where they part: 36.14% prints 36.1, and 41.7 − 36.1 = 5.6, while the exact gap of
        // 5.527 would round to 5.5 and the sentence would not add up.
        let done = Ratio::new(151_788, 420_000).unwrap();
        assert_eq!(done.round_percent(1).to_string(), "36.1");
        assert_eq!((done - time).round_percent(1).to_string(), "-5.5");
        assert_eq!(stated_difference(done, time, 1).to_string(), "-5.6");
        assert_eq!(
            stated_difference(pct(424, 2), pct(45, 1), 2).to_string(),
            "-0.26"
        );
    }

    #[test]
    fn words_replace_signs() {
        assert_eq!(
            worded(Rounded::new(2, 1), "增加", "减少").map(|(w, m)| (w, m.to_string())),
            Some(("增加", "0.2".into()))
        );
        assert_eq!(
            worded(Rounded::new(-212, 1), "增加", "减少").map(|(w, m)| (w, m.to_string())),
            Some(("减少", "21.2".into()))
        );
        assert_eq!(worded(Rounded::new(0, 2), "增加", "减少"), None);
    }
}
