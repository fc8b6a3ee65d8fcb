//! The bulletin as an Excel workbook: the paragraph on the first sheet, a sheet per indicator
//! with its table and a native bar chart, and the progress sheet with a line chart.
//!
//! Cells hold the figures as the other formats print them. A plain number ("151600", "-5.6")
//! is stored as a number shown with the same decimals, so officials can sum and sort; anything
//! else ("36.1%", "—") stays the printed text.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartMarker, Color, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};
use wenjiu_core::indicators::{Bulletin, Section};

use crate::ReportError;
use crate::content::{
    self, TREND_CHART_TITLE, TREND_COLUMNS, TREND_TITLE, display_width, headed_sections, subtitle,
    trend_rows,
};

const COVER_SHEET: &str = "通报";
const TREND_SHEET: &str = "进度";
/// Excel's longest sheet name, in UTF-16 units.
const SHEET_NAME_UNITS: usize = 31;
/// In Excel's unit, one digit of the default font; a Chinese character takes two.
const COLUMN_WIDTH: f64 = 14.0;
/// The cover's title and paragraph span this many columns.
const COVER_COLUMNS: u16 = 8;
/// Points per line of wrapped text in the default font, Chinese glyphs included.
const LINE_HEIGHT: f64 = 16.0;
const MAX_ROW_HEIGHT: f64 = 409.0;
/// A table sheet: its heading in row 0, column headings in row 1, figures from row 2.
const HEADER_ROW: u32 = 1;
const FIRST_ROW: u32 = 2;

struct Formats {
    title: Format,
    subtitle: Format,
    paragraph: Format,
    heading: Format,
    header: Format,
    cell: Format,
    total: Format,
}

impl Formats {
    fn new() -> Formats {
        let centred = Format::new()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        let bordered = centred.clone().set_border(FormatBorder::Thin);
        Formats {
            title: centred.clone().set_bold().set_font_size(18),
            subtitle: centred,
            paragraph: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            heading: Format::new().set_bold().set_font_size(14),
            header: bordered
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0x00D9_D9D9)),
            cell: bordered.clone(),
            total: bordered.set_bold(),
        }
    }
}

/// An Excel workbook of the bulletin: sheet "通报" with the title and paragraph, a sheet per
/// indicator (named after it) with its table, total line in bold and a bar chart by region,
/// and sheet "进度" with the year's completion against 序时进度 and a line chart.
pub fn bulletin_xlsx(b: &Bulletin) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    cover(book.add_worksheet().set_name(COVER_SHEET)?, b, &f)?;
    let mut taken = vec![COVER_SHEET.to_string(), TREND_SHEET.to_string()];
    for (heading, s) in headed_sections(b) {
        let name = sheet_name(&s.name, &mut taken);
        section_sheet(
            book.add_worksheet().set_name(&name)?,
            &name,
            &heading,
            s,
            &f,
        )?;
    }
    trend_sheet(book.add_worksheet().set_name(TREND_SHEET)?, b, &f)?;
    Ok(book.save_to_buffer()?)
}

/// `wanted` as a sheet name Excel accepts (at most 31 UTF-16 units, none of `[]:*?/\`, no
/// quote at either end), made unique among `taken` (case-insensitively, as Excel compares) by
/// a suffix "(2)", "(3)"…; the result is added to `taken`.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'');
    let base = if cleaned.is_empty() {
        "指标"
    } else {
        cleaned
    };
    let name = (1..)
        .map(|n| {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("({n})")
            };
            let mut name = String::new();
            let mut units = suffix.len();
            for c in base.chars() {
                units += c.len_utf16();
                if units > SHEET_NAME_UNITS {
                    break;
                }
                name.push(c);
            }
            name.trim_end_matches('\'').to_string() + &suffix
        })
        .find(|name| {
            !taken
                .iter()
                .any(|t| t.to_lowercase() == name.to_lowercase())
        })
        .expect("some suffix is free");
    taken.push(name.clone());
    name
}

fn cover(sheet: &mut Worksheet, b: &Bulletin, f: &Formats) -> Result<(), XlsxError> {
    let last = COVER_COLUMNS - 1;
    sheet.set_column_range_width(0, last, COLUMN_WIDTH)?;
    sheet.set_row_height(0, 2.0 * LINE_HEIGHT)?;
    sheet.merge_range(0, 0, 0, last, &b.title, &f.title)?;
    sheet.merge_range(1, 0, 1, last, &subtitle(b), &f.subtitle)?;
    sheet.merge_range(2, 0, 2, last, &b.paragraph, &f.paragraph)?;
    sheet.set_row_height(2, paragraph_height(&b.paragraph))?;
    Ok(())
}

/// Excel does not grow a row to fit wrapped text in merged cells, so the height is estimated
/// from the text's width against the merged columns'.
fn paragraph_height(text: &str) -> f64 {
    let per_line = COLUMN_WIDTH * f64::from(COVER_COLUMNS);
    let lines: f64 = text
        .lines()
        .map(|l| (display_width(l) as f64 / per_line).ceil().max(1.0))
        .sum();
    (lines.max(1.0) * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

fn section_sheet(
    sheet: &mut Worksheet,
    name: &str,
    heading: &str,
    s: &Section,
    f: &Formats,
) -> Result<(), XlsxError> {
    let columns = s.columns();
    let width = columns.len() as u16;
    sheet.set_column_range_width(0, width - 1, COLUMN_WIDTH)?;
    sheet.merge_range(0, 0, 0, width - 1, heading, &f.heading)?;
    write_row(sheet, HEADER_ROW, &columns, &f.header)?;
    sheet.set_row_height(HEADER_ROW, 2.0 * LINE_HEIGHT)?;
    let mut row = FIRST_ROW;
    for r in &s.rows {
        write_row(sheet, row, &s.cells(r), &f.cell)?;
        row += 1;
    }
    write_row(sheet, row, &s.cells(&s.total), &f.total)?;
    sheet.set_freeze_panes(FIRST_ROW, 1)?;
    if let Some(chart) = content::chart(s) {
        bar_chart(sheet, name, &chart, width, row + 2)?;
    }
    Ok(())
}

/// The chart draws cells, and the table's cells are text where they print a "%", so the
/// bars' values go to a hidden column just right of the table.
fn bar_chart(
    sheet: &mut Worksheet,
    name: &str,
    c: &content::Chart,
    column: u16,
    at_row: u32,
) -> Result<(), XlsxError> {
    sheet.write_string(HEADER_ROW, column, "图表值")?;
    for (row, bar) in (FIRST_ROW..).zip(&c.bars) {
        if let Some(v) = bar.value {
            sheet.write_number(row, column, v)?;
        }
    }
    sheet.set_column_hidden(column)?;
    let last = FIRST_ROW + c.bars.len() as u32 - 1;
    let mut label = ChartDataLabel::new();
    label.show_value();
    if let Some(format) = c.bars.iter().find_map(|b| label_format(&b.label)) {
        label.set_num_format(format);
    }
    let mut chart = Chart::new_bar();
    chart
        .add_series()
        .set_categories((name, FIRST_ROW, 0, last, 0))
        .set_values((name, FIRST_ROW, column, last, column))
        .set_data_label(&label);
    chart.title().set_name(&c.title);
    chart.legend().set_hidden();
    chart.show_hidden_data();
    // Excel lists a bar chart's categories bottom up; reversed, they read in table order.
    chart.y_axis().set_reverse();
    chart
        .set_width(720)
        .set_height(80 + 24 * c.bars.len() as u32);
    sheet.insert_chart(at_row, 0, &chart)?;
    Ok(())
}

fn trend_sheet(sheet: &mut Worksheet, b: &Bulletin, f: &Formats) -> Result<(), XlsxError> {
    let width = TREND_COLUMNS.len() as u16;
    sheet.set_column_range_width(0, width - 1, COLUMN_WIDTH)?;
    sheet.merge_range(0, 0, 0, width - 1, TREND_TITLE, &f.heading)?;
    write_row(sheet, HEADER_ROW, &TREND_COLUMNS, &f.header)?;
    sheet.set_row_height(HEADER_ROW, 2.0 * LINE_HEIGHT)?;
    let rows = trend_rows(b);
    for (row, cells) in (FIRST_ROW..).zip(&rows) {
        write_row(sheet, row, cells, &f.cell)?;
    }
    if rows.is_empty() {
        return Ok(());
    }
    let last = FIRST_ROW + rows.len() as u32 - 1;
    let mut chart = Chart::new_line();
    // Completion and 序时进度, the two percentage columns.
    for column in [2, 3] {
        chart
            .add_series()
            .set_name((TREND_SHEET, HEADER_ROW, column))
            .set_categories((TREND_SHEET, FIRST_ROW, 0, last, 0))
            .set_values((TREND_SHEET, FIRST_ROW, column, last, column))
            .set_marker(ChartMarker::new().set_automatic());
    }
    chart.title().set_name(TREND_CHART_TITLE);
    chart.y_axis().set_name("%");
    chart.set_width(720).set_height(360);
    sheet.insert_chart(last + 2, 0, &chart)?;
    Ok(())
}

fn write_row<T: AsRef<str>>(
    sheet: &mut Worksheet,
    row: u32,
    texts: &[T],
    format: &Format,
) -> Result<(), XlsxError> {
    for (col, text) in (0..).zip(texts) {
        let text = text.as_ref();
        match number_format(text).zip(text.parse::<f64>().ok()) {
            Some((shown, value)) => sheet.write_number_with_format(
                row,
                col,
                value,
                &format.clone().set_num_format(shown),
            )?,
            None => sheet.write_string_with_format(row, col, text, format)?,
        };
    }
    Ok(())
}

/// The Excel number format that shows a plain decimal figure as written: "0" for "151600",
/// "0.0" for "-5.6". `None` for anything else, and for figures a number would not keep
/// (leading zeros, more digits than a double holds).
fn number_format(text: &str) -> Option<String> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() => (whole, fraction),
        Some(_) => return None,
        None => (unsigned, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let kept = !whole.is_empty()
        && whole.len() + fraction.len() <= 15
        && !(whole.len() > 1 && whole.starts_with('0'));
    if !(kept && digits(whole) && digits(fraction)) {
        return None;
    }
    Some(if fraction.is_empty() {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(fraction.len()))
    })
}

/// The format of a chart's data labels, from a bar's printed figure ("36.1%" → `0.0"%"`):
/// the chart holds the unrounded values, and the labels should read as the table does.
fn label_format(label: &str) -> Option<String> {
    match label.strip_suffix('%') {
        Some(figure) => number_format(figure).map(|f| format!("{f}\"%\"")),
        None => number_format(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec![COVER_SHEET.to_string()];
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("A/B:C", &mut taken), "A_B_C(2)");
        let long = "指".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name(&long, &mut taken), "指".repeat(28) + "(2)");
        assert_eq!(sheet_name("通报", &mut taken), "通报(2)");
    }

    #[test]
    fn only_plain_figures_become_numbers() {
        assert_eq!(number_format("151600").as_deref(), Some("0"));
        assert_eq!(number_format("-5.6").as_deref(), Some("0.0"));
        assert_eq!(number_format("0.26").as_deref(), Some("0.00"));
        for text in ["36.1%", "—", "沈阳市", "007", "1.", "-", "", "4.5%左右"] {
            assert_eq!(number_format(text), None, "{text}");
        }
        assert_eq!(label_format("36.1%").as_deref(), Some("0.0\"%\""));
    }
}
