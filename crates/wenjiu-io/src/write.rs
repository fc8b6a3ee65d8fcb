//! Export files: XLSX for people, CSV for other systems.

use std::io::{self, Write};

use rust_xlsxwriter::{Color, Format, IgnoreError, Workbook};

use crate::{IoError, Result, column_name, io_reason};

/// Excel's row limit, header included.
const MAX_SHEET_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_CELL_CHARS: usize = 32_767;
/// Column widths in Excel character units.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// Writes an XLSX workbook with one table and returns the file's bytes.
///
/// Every cell is text (format "@", "number stored as text" warnings suppressed) so
/// ID numbers keep leading zeros, the "X" and all 18 digits. The header row is bold
/// and frozen, with an autofilter, and columns are sized to their content (Chinese
/// characters count double). Rows stream to a temp file, so memory stays small even
/// for 1,000,000 rows; beyond Excel's row limit the table continues on further sheets
/// named "<name>(2)", "<name>(3)"…, each with the header.
pub fn write_xlsx(
    sheet_name: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>> {
    write_xlsx_split(sheet_name, headers, rows, MAX_SHEET_ROWS - 1)
}

/// [`write_xlsx`] with a chosen number of data rows per sheet (tests use a small one).
pub(crate) fn write_xlsx_split(
    sheet_name: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    rows_per_sheet: u32,
) -> Result<Vec<u8>> {
    if headers.len() > MAX_COLUMNS {
        return Err(IoError::TooManyColumns(headers.len()));
    }
    let header_format = Format::new()
        .set_bold()
        .set_num_format("@")
        .set_background_color(Color::RGB(0x00DD_EBF7));
    let text_format = Format::new().set_num_format("@");
    let base_name = sanitize_sheet_name(sheet_name);

    let mut book = Workbook::new();
    let mut rows = rows.peekable();
    let mut part = 1;
    loop {
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(IoError::XlsxWrite)?;
        sheet
            .set_name(part_name(&base_name, part))
            .map_err(IoError::XlsxWrite)?;

        let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
        for (col, header) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *header, &header_format)
                .map_err(IoError::XlsxWrite)?;
        }
        let mut last_row = 0;
        while last_row < rows_per_sheet {
            let Some(row) = rows.next() else { break };
            last_row += 1;
            if row.len() > MAX_COLUMNS {
                return Err(IoError::TooManyColumns(row.len()));
            }
            if row.len() > widths.len() {
                widths.resize(row.len(), 0);
            }
            for (col, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let chars = cell.chars().count();
                if chars > MAX_CELL_CHARS {
                    return Err(IoError::CellTooLong {
                        row: last_row as usize + 1,
                        column: column_name(col),
                    });
                }
                // Only the width matters, and long cells are capped anyway.
                if widths[col] < MAX_WIDTH {
                    widths[col] = widths[col].max(display_width(cell));
                }
                sheet
                    .write_string_with_format(last_row, col as u16, cell, &text_format)
                    .map_err(IoError::XlsxWrite)?;
            }
        }

        let last_col = widths.len().saturating_sub(1) as u16;
        for (col, width) in widths.iter().enumerate() {
            let width = (width + 2).clamp(MIN_WIDTH, MAX_WIDTH);
            sheet
                .set_column_width(col as u16, width as f64)
                .and_then(|s| s.set_column_format(col as u16, &text_format))
                .map_err(IoError::XlsxWrite)?;
        }
        sheet
            .set_freeze_panes(1, 0)
            .and_then(|s| s.autofilter(0, 0, last_row, last_col))
            .and_then(|s| {
                s.ignore_error_range(0, 0, last_row, last_col, IgnoreError::NumberStoredAsText)
            })
            .map_err(IoError::XlsxWrite)?;

        if rows.peek().is_none() {
            break;
        }
        part += 1;
    }
    book.save_to_buffer().map_err(IoError::XlsxWrite)
}

/// Writes CSV in UTF-8 with a byte order mark (without it Excel reads Chinese as
/// garbage) and CRLF line ends. Cells are written as given.
///
/// Note that Excel converts long digit strings when it opens a CSV (an ID number
/// becomes 1.10101E+17): for people, prefer [`write_xlsx`].
pub fn write_csv(
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    mut out: impl Write,
) -> Result<()> {
    out.write_all(b"\xEF\xBB\xBF").map_err(csv_io)?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    writer.write_record(headers).map_err(csv_error)?;
    for row in rows {
        writer.write_record(&row).map_err(csv_error)?;
    }
    writer.flush().map_err(csv_io)
}

fn csv_io(source: io::Error) -> IoError {
    IoError::CsvWrite {
        reason: io_reason(&source),
        source,
    }
}

fn csv_error(e: csv::Error) -> IoError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => csv_io(source),
        // With a flexible writer and string records only I/O can fail.
        other => csv_io(io::Error::other(format!("{other:?}"))),
    }
}

/// Width in Excel character units: CJK and full-width characters take two.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Excel refuses some sheet names; a bad name must not fail an export.
pub(crate) fn sanitize_sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '*' | '?' | ':' | '[' | ']' | '\\' | '/' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    if cleaned.is_empty() {
        "Sheet1".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The name of the `part`-th sheet, within Excel's 31 UTF-16 units.
pub(crate) fn part_name(base: &str, part: u32) -> String {
    let suffix = if part == 1 {
        String::new()
    } else {
        format!("({part})")
    };
    let mut name = String::new();
    let mut units = suffix.len();
    for c in base.chars() {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        name.push(c);
    }
    let name = name.trim_end_matches('\'').to_owned();
    name + &suffix
}
