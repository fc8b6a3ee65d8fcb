//! The document every report is written as before it becomes a file: a title, the line under
//! it, and blocks in reading order — numbered headings, paragraphs, tables of printed cells,
//! bar and line charts. [`docx`](crate::docx), [`xlsx`](crate::xlsx) and [`html`](crate::html)
//! render any such document, so a report states its words and figures once.

/// What [`Table`] cells print where there is no figure.
pub const DASH: &str = "—";

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// Region and month, "辽宁省　2020年5月".
    pub subtitle: String,
    /// The workbook's first sheet, holding the title, subtitle and the paragraphs before the
    /// first heading.
    pub cover_sheet: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading, "一、城镇新增就业人数". In a workbook each section is a sheet of its
    /// own, named `sheet` (made valid and unique).
    Heading {
        text: String,
        sheet: String,
    },
    /// Running text; each line is a paragraph of its own in a page or Word document, and the
    /// whole text one cell in a workbook.
    Paragraph(String),
    Table(Table),
    BarChart(BarChart),
    LineChart(LineChart),
}

/// Printed cells under column headings. A cell that is a figure ("151600", "1,969,000",
/// "-5.6", "36.1%") is right-aligned; a plain number, with or without thousands separators,
/// is a number in a workbook, shown as printed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// The figures a following chart is drawn from, for the workbook alone: a page shows the
    /// chart instead and a Word document leaves both out.
    pub chart_data: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    /// A total line.
    pub bold: bool,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, bold: false }
    }

    pub fn total(cells: Vec<String>) -> Row {
        Row { cells, bold: true }
    }
}

/// Horizontal bars, one per category in table order, each labelled with its printed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub name: String,
    pub value: Option<f64>,
    /// The figure as the table prints it ("36.1%", "65000"), or [`DASH`].
    pub label: String,
}

/// Lines over categories (months) with labelled points.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    /// The value axis' name in a workbook, "%" or "人".
    pub unit: String,
    pub scale: Scale,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// 0–100%, widened in steps of 20 to fit any value outside it; ticks read "40%".
    Percent,
    /// Fitted to the values in round steps; ticks read "1,960,000".
    Fit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub colour: &'static str,
    pub dashed: bool,
    /// One per category: the value and its printed figure, or a gap.
    pub points: Vec<Option<(f64, String)>>,
}

/// 1 → "一", 10 → "十", 21 → "二十一": the numbering of official headings (arabic past 99).
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let ones = |d: usize| if d == 0 { "" } else { DIGITS[d] };
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", ones(n % 10)),
        20..=99 => format!("{}十{}", DIGITS[n / 10], ones(n % 10)),
        _ => n.to_string(),
    }
}

/// 1969000 → "1,969,000"; -1234 → "-1,234".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A plain number as printed — digits with an optional sign, thousands separators and
/// decimals — with the Excel number format that shows it the same way: "0" for "151600",
/// "0.0" for "-5.6", "#,##0" for "1,969,000". `None` for anything else, and for figures a
/// number would not keep (leading zeros, more digits than a double holds).
pub(crate) fn plain_number(text: &str) -> Option<(f64, String)> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() => (whole, fraction),
        Some(_) => return None,
        None => (unsigned, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() > 1;
    let groups_ok = groups
        .iter()
        .enumerate()
        .all(|(i, g)| digits(g) && (!grouped || if i == 0 { g.len() <= 3 } else { g.len() == 3 }));
    let bare: String = groups.concat();
    let kept = groups_ok
        && (fraction.is_empty() || digits(fraction))
        && bare.len() + fraction.len() <= 15
        && !(bare.len() > 1 && bare.starts_with('0'));
    if !kept {
        return None;
    }
    let value: f64 = format!(
        "{}{bare}.{fraction}0",
        if text.starts_with('-') { "-" } else { "" }
    )
    .parse()
    .ok()?;
    let mut format = if grouped { "#,##0" } else { "0" }.to_string();
    if !fraction.is_empty() {
        format.push('.');
        format.push_str(&"0".repeat(fraction.len()));
    }
    Some((value, format))
}

/// A plain number or a percentage as printed, as a spreadsheet keeps it — a number with the
/// format that shows it the same way ("36.1%" is 0.361 shown "0.0%") — so that a column of
/// them sorts and sums. `None` for anything else.
pub(crate) fn sheet_number(text: &str) -> Option<(f64, String)> {
    match text.strip_suffix('%') {
        Some(percent) => plain_number(percent).map(|(v, f)| (v / 100.0, f + "%")),
        None => plain_number(text),
    }
}

/// Whether a cell prints a figure and is right-aligned: a plain number, a percentage, or the
/// dash of a missing figure.
pub(crate) fn is_figure(text: &str) -> bool {
    text == DASH || sheet_number(text).is_some()
}

/// Width of `text` in half-em units: a Chinese character is two, an ASCII one. For sizing
/// spreadsheet rows and chart label columns, where only an estimate is possible.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_969_000), "1,969,000");
        assert_eq!(thousands(-12_345), "-12,345");
    }

    #[test]
    fn only_plain_figures_become_numbers() {
        let format = |t| plain_number(t).map(|(_, f)| f);
        assert_eq!(format("151600").as_deref(), Some("0"));
        assert_eq!(format("-5.6").as_deref(), Some("0.0"));
        assert_eq!(format("0.26").as_deref(), Some("0.00"));
        assert_eq!(format("1,969,000").as_deref(), Some("#,##0"));
        assert_eq!(format("-1,234.50").as_deref(), Some("#,##0.00"));
        assert_eq!(plain_number("-1,234.5").map(|(v, _)| v), Some(-1234.5));
        assert_eq!(sheet_number("-21.2%"), Some((-0.212, "0.0%".to_string())));
        assert_eq!(
            sheet_number("4.06%").map(|(_, f)| f).as_deref(),
            Some("0.00%")
        );
        for text in [
            "36.1%",
            "—",
            "沈阳市",
            "007",
            "1.",
            "-",
            "",
            "4.5%左右",
            "1,23",
            "12,3456",
            ",123",
        ] {
            assert_eq!(format(text), None, "{text}");
        }
        assert!(is_figure("36.1%") && is_figure(DASH) && !is_figure("沈阳市"));
    }
}
