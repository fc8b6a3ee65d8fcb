//! The words and figures every format prints around the core's table cells: the subtitle,
//! numbered headings, chart titles and bar labels, and the progress table. Worded once here so
//! DOCX, XLSX and HTML agree.

use wenjiu_core::Month;
use wenjiu_core::indicators::catalogue::Measure;
use wenjiu_core::indicators::{Bulletin, Section, period_name};

/// What [`Section::cells`] prints where there is no figure.
const DASH: &str = "—";

pub(crate) const TREND_TITLE: &str = "城镇新增就业累计完成进度";
pub(crate) const TREND_CHART_TITLE: &str = "累计完成率与序时进度（%）";
pub(crate) const TREND_COLUMNS: [&str; 4] =
    ["月份", "累计新增就业（人）", "完成率（%）", "序时进度（%）"];
/// The progress table prints percentages as the indicator tables print completion (36.1%).
const PERCENT_DECIMALS: u32 = 1;

/// "辽宁省　2020年5月": the line under the title.
pub(crate) fn subtitle(b: &Bulletin) -> String {
    format!("{}　{}", b.region_name, month_name(b.month))
}

fn month_name(m: Month) -> String {
    format!("{}年{}月", m.year(), m.month())
}

/// Each section with its numbered heading, "一、城镇新增就业人数"; a statistic that stands at
/// an earlier month than the bulletin's (a quarterly rate) says which.
pub(crate) fn headed_sections(b: &Bulletin) -> impl Iterator<Item = (String, &Section)> {
    b.sections.iter().enumerate().map(move |(i, s)| {
        let mut heading = format!("{}、{}", chinese_number(i + 1), s.name);
        if s.as_of != b.month {
            heading.push_str(&format!("（{}）", period_name(s.as_of)));
        }
        (heading, s)
    })
}

/// 1 → "一", 10 → "十", 21 → "二十一": the numbering of official headings (arabic past 99).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let ones = |d: usize| if d == 0 { "" } else { DIGITS[d] };
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", ones(n % 10)),
        20..=99 => format!("{}十{}", DIGITS[n / 10], ones(n % 10)),
        _ => n.to_string(),
    }
}

/// A section's chart: one bar per subregion of [`Section::chart_value`].
pub(crate) struct Chart<'a> {
    pub title: String,
    pub bars: Vec<Bar<'a>>,
}

pub(crate) struct Bar<'a> {
    pub name: &'a str,
    pub value: Option<f64>,
    /// The figure as the table prints it ("36.1%", "65000"), or [`DASH`].
    pub label: String,
}

/// The chart of a section, or `None` when no subregion has a figure to draw.
pub(crate) fn chart(s: &Section) -> Option<Chart<'_>> {
    let bars: Vec<Bar> = s
        .rows
        .iter()
        .map(|r| Bar {
            name: &r.name,
            value: s.chart_value(r),
            label: s.chart_label(r),
        })
        .collect();
    if bars.iter().all(|b| b.value.is_none()) {
        return None;
    }
    let title = match s.measure {
        Measure::Rate => format!("各地区{}（%）", s.name),
        _ if s.charts_completion() => format!("各地区{}完成率（%）", s.name),
        _ => format!("各地区{}（{}）", s.name, s.unit),
    };
    Some(Chart { title, bars })
}

/// The rows of the progress table, in [`TREND_COLUMNS`] order: percentages as bare figures
/// ("36.1") so a spreadsheet can chart them.
pub(crate) fn trend_rows(b: &Bulletin) -> Vec<[String; 4]> {
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| DASH.to_string());
    b.trend
        .iter()
        .map(|p| {
            [
                format!("{}月", p.month.month()),
                or_dash(p.cumulative.map(|c| c.round(0).to_string())),
                or_dash(
                    p.completion
                        .map(|c| c.round_percent(PERCENT_DECIMALS).to_string()),
                ),
                p.time_progress.round_percent(PERCENT_DECIMALS).to_string(),
            ]
        })
        .collect()
}

/// Width of `text` in half-em units: a Chinese character is two, an ASCII one. For sizing
/// spreadsheet rows and chart label columns, where only an estimate is possible.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::chinese_number;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100]
            .into_iter()
            .map(chinese_number)
            .collect();
        assert_eq!(
            got,
            ["一", "九", "十", "十一", "二十", "二十一", "九十九", "100"]
        );
    }
}
