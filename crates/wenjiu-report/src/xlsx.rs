//! A document as an Excel workbook: the title, subtitle and opening paragraphs on the first
//! sheet, then a sheet per section with its tables and native charts.
//!
//! Cells hold the figures as the other formats print them. A plain number ("151600", "-5.6",
//! "1,969,000") is stored as a number shown the same way, so officials can sum and sort;
//! anything else ("36.1%", "—") stays the printed text. A chart draws cells, and a table's
//! cells are text where they print a "%", so each chart's values go to hidden columns just
//! right of the sheet's tables.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartMarker, Color, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use crate::ReportError;
use crate::document::{
    BarChart, Block, Document, LineChart, Table, display_width, is_figure, plain_number,
    sheet_number,
};

/// Excel's longest sheet name, in UTF-16 units.
const SHEET_NAME_UNITS: usize = 31;
/// In Excel's unit, one digit of the default font; a Chinese character takes two.
const COLUMN_WIDTH: f64 = 14.0;
/// Titles and paragraphs span this many columns.
const COVER_COLUMNS: u16 = 8;
/// Points per line of wrapped text in the default font, Chinese glyphs included.
const LINE_HEIGHT: f64 = 16.0;
const MAX_ROW_HEIGHT: f64 = 409.0;
/// A chart's hidden figures: a heading in this row, values from the next.
const HEADER_ROW: u32 = 1;
const FIRST_ROW: u32 = 2;
/// Pixels of a default row, for placing what follows a chart.
const ROW_PIXELS: u32 = 20;
const CHART_WIDTH: u32 = 720;

struct Formats {
    title: Format,
    subtitle: Format,
    paragraph: Format,
    heading: Format,
    header: Format,
    cell: Format,
    figure: Format,
    total: Format,
    total_figure: Format,
}

impl Formats {
    fn new() -> Formats {
        let centred = Format::new()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        let bordered = centred.clone().set_border(FormatBorder::Thin);
        let figure = Format::new()
            .set_align(FormatAlign::Right)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin);
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
            total_figure: figure.clone().set_bold(),
            figure,
        }
    }
}

/// An Excel workbook of the document: the cover sheet (named [`Document::cover_sheet`]) with
/// the title, subtitle and the paragraphs before the first heading, then a sheet per heading
/// (named after its `sheet`) with the heading, its paragraphs, tables (total lines in bold)
/// and charts, top to bottom.
pub fn xlsx(d: &Document) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let mut taken = Vec::new();
    let first = d
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { .. }))
        .unwrap_or(d.blocks.len());
    let name = sheet_name(&d.cover_sheet, &mut taken);
    let mut cover = SheetWriter::new(
        book.add_worksheet().set_name(&name)?,
        name,
        &d.blocks[..first],
        &f,
    )?;
    cover.title(d)?;
    cover.blocks(&d.blocks[..first])?;
    let mut rest = &d.blocks[first..];
    while let [Block::Heading { text, sheet }, after @ ..] = rest {
        let end = after
            .iter()
            .position(|b| matches!(b, Block::Heading { .. }))
            .unwrap_or(after.len());
        let (blocks, next) = after.split_at(end);
        let name = sheet_name(sheet, &mut taken);
        let mut w = SheetWriter::new(book.add_worksheet().set_name(&name)?, name, blocks, &f)?;
        w.heading(text)?;
        w.blocks(blocks)?;
        rest = next;
    }
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

/// Writes a sheet's blocks from the top, one below the other.
struct SheetWriter<'a> {
    sheet: &'a mut Worksheet,
    name: String,
    f: &'a Formats,
    /// The next free row.
    row: u32,
    /// Columns the heading and paragraphs span.
    width: u16,
    /// The next free hidden column for a chart's figures.
    helper: u16,
    frozen: bool,
}

impl<'a> SheetWriter<'a> {
    fn new(
        sheet: &'a mut Worksheet,
        name: String,
        blocks: &[Block],
        f: &'a Formats,
    ) -> Result<SheetWriter<'a>, XlsxError> {
        let widest = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t.columns.len() as u16),
                _ => None,
            })
            .max();
        let paragraphs = blocks.iter().any(|b| matches!(b, Block::Paragraph(_)));
        let width = match widest {
            Some(w) if !paragraphs => w.max(1),
            Some(w) => w.max(COVER_COLUMNS),
            None => COVER_COLUMNS,
        };
        sheet.set_column_range_width(0, width - 1, COLUMN_WIDTH)?;
        Ok(SheetWriter {
            sheet,
            name,
            f,
            row: 0,
            width,
            helper: width,
            frozen: false,
        })
    }

    /// `text` across the sheet's width in one row.
    fn span(&mut self, text: &str, format: &Format) -> Result<(), XlsxError> {
        if self.width > 1 {
            self.sheet
                .merge_range(self.row, 0, self.row, self.width - 1, text, format)?;
        } else {
            self.sheet
                .write_string_with_format(self.row, 0, text, format)?;
        }
        self.row += 1;
        Ok(())
    }

    fn title(&mut self, d: &Document) -> Result<(), XlsxError> {
        self.sheet.set_row_height(self.row, 2.0 * LINE_HEIGHT)?;
        self.span(&d.title, &self.f.title)?;
        self.span(&d.subtitle, &self.f.subtitle)
    }

    fn heading(&mut self, text: &str) -> Result<(), XlsxError> {
        self.span(text, &self.f.heading)
    }

    fn blocks(&mut self, blocks: &[Block]) -> Result<(), XlsxError> {
        for block in blocks {
            match block {
                Block::Heading { text, .. } => self.heading(text)?,
                Block::Paragraph(text) => {
                    self.sheet
                        .set_row_height(self.row, paragraph_height(text, self.width))?;
                    self.span(text, &self.f.paragraph)?;
                }
                Block::Table(t) => self.table(t)?,
                Block::BarChart(c) => self.bar_chart(c)?,
                Block::LineChart(c) => self.line_chart(c)?,
            }
        }
        Ok(())
    }

    /// Column headings, then the rows; the first table's headings and first column stay in
    /// view when scrolling. A blank row follows.
    fn table(&mut self, t: &Table) -> Result<(), XlsxError> {
        let f = self.f;
        self.sheet.set_row_height(self.row, 2.0 * LINE_HEIGHT)?;
        for (col, text) in (0..).zip(&t.columns) {
            self.sheet
                .write_string_with_format(self.row, col, text, &f.header)?;
        }
        self.row += 1;
        if !self.frozen {
            self.sheet.set_freeze_panes(self.row, 1)?;
            self.frozen = true;
        }
        for r in &t.rows {
            let (text, figure) = if r.bold {
                (&f.total, &f.total_figure)
            } else {
                (&f.cell, &f.figure)
            };
            for (col, cell) in (0..).zip(&r.cells) {
                match sheet_number(cell) {
                    Some((value, shown)) => self.sheet.write_number_with_format(
                        self.row,
                        col,
                        value,
                        &figure.clone().set_num_format(shown),
                    )?,
                    None if is_figure(cell) => self
                        .sheet
                        .write_string_with_format(self.row, col, cell, figure)?,
                    None => self
                        .sheet
                        .write_string_with_format(self.row, col, cell, text)?,
                };
            }
            self.row += 1;
        }
        self.row += 1;
        Ok(())
    }

    /// Hidden columns holding `heading` over `values` (a gap where `None`), from
    /// [`HEADER_ROW`]; the column's index.
    fn helper_column<'t>(
        &mut self,
        heading: &str,
        values: impl Iterator<Item = Cell<'t>>,
    ) -> Result<u16, XlsxError> {
        let col = self.helper;
        self.helper += 1;
        self.sheet.write_string(HEADER_ROW, col, heading)?;
        for (row, value) in (FIRST_ROW..).zip(values) {
            match value {
                Cell::Number(Some(v)) => {
                    self.sheet.write_number(row, col, v)?;
                }
                Cell::Number(None) => {}
                Cell::Text(t) => {
                    self.sheet.write_string(row, col, t)?;
                }
            }
        }
        self.sheet.set_column_hidden(col)?;
        Ok(col)
    }

    fn insert(&mut self, chart: &mut Chart, height: u32) -> Result<(), XlsxError> {
        chart.show_hidden_data();
        chart.set_width(CHART_WIDTH).set_height(height);
        self.sheet.insert_chart(self.row, 0, chart)?;
        self.row += height.div_ceil(ROW_PIXELS) + 1;
        Ok(())
    }

    fn bar_chart(&mut self, c: &BarChart) -> Result<(), XlsxError> {
        let values = self.helper_column("图表值", c.bars.iter().map(|b| Cell::Number(b.value)))?;
        let names = self.helper_column("类别", c.bars.iter().map(|b| Cell::Text(&b.name)))?;
        let last = FIRST_ROW + c.bars.len().max(1) as u32 - 1;
        let mut label = ChartDataLabel::new();
        label.show_value();
        if let Some(format) = c.bars.iter().find_map(|b| label_format(&b.label)) {
            label.set_num_format(format);
        }
        let name = self.name.as_str();
        let mut chart = Chart::new_bar();
        chart
            .add_series()
            .set_categories((name, FIRST_ROW, names, last, names))
            .set_values((name, FIRST_ROW, values, last, values))
            .set_data_label(&label);
        chart.title().set_name(&c.title);
        chart.legend().set_hidden();
        // Excel lists a bar chart's categories bottom up; reversed, they read in table order.
        chart.y_axis().set_reverse();
        self.insert(&mut chart, 80 + 24 * c.bars.len() as u32)
    }

    fn line_chart(&mut self, c: &LineChart) -> Result<(), XlsxError> {
        let categories = self.helper_column("类别", c.categories.iter().map(|t| Cell::Text(t)))?;
        let last = FIRST_ROW + c.categories.len().max(1) as u32 - 1;
        let mut chart = Chart::new_line();
        for s in &c.series {
            let points = s
                .points
                .iter()
                .map(|p| Cell::Number(p.as_ref().map(|p| p.0)));
            let col = self.helper_column(&s.name, points)?;
            let name = self.name.as_str();
            chart
                .add_series()
                .set_name((name, HEADER_ROW, col))
                .set_categories((name, FIRST_ROW, categories, last, categories))
                .set_values((name, FIRST_ROW, col, last, col))
                .set_marker(ChartMarker::new().set_automatic());
        }
        chart.title().set_name(&c.title);
        chart.y_axis().set_name(&c.unit);
        self.insert(&mut chart, 360)
    }
}

enum Cell<'t> {
    Number(Option<f64>),
    Text(&'t str),
}

/// Excel does not grow a row to fit wrapped text in merged cells, so the height is estimated
/// from the text's width against the merged columns'.
fn paragraph_height(text: &str, columns: u16) -> f64 {
    let per_line = COLUMN_WIDTH * f64::from(columns);
    let lines: f64 = text
        .lines()
        .map(|l| (display_width(l) as f64 / per_line).ceil().max(1.0))
        .sum();
    (lines.max(1.0) * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// The format of a chart's data labels, from a bar's printed figure ("36.1%" → `0.0"%"`):
/// the chart holds the unrounded values, and the labels should read as the table does.
fn label_format(label: &str) -> Option<String> {
    let (figure, percent) = match label.strip_suffix('%') {
        Some(figure) => (figure, "\"%\""),
        None => (label, ""),
    };
    plain_number(figure).map(|(_, f)| f + percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec!["通报".to_string()];
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("A/B:C", &mut taken), "A_B_C(2)");
        let long = "指".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name(&long, &mut taken), "指".repeat(28) + "(2)");
        assert_eq!(sheet_name("通报", &mut taken), "通报(2)");
    }

    #[test]
    fn labels_read_as_the_table() {
        assert_eq!(label_format("36.1%").as_deref(), Some("0.0\"%\""));
        assert_eq!(label_format("1,200").as_deref(), Some("#,##0"));
        assert_eq!(label_format("—"), None);
    }
}
