//! Excel reading: the first visible worksheet, cells as the text the user sees.

use std::io::Cursor;

use calamine::{
    Cell, Data, DataRef, ExcelDateTime, Range, Reader, Sheet, SheetType, SheetVisible, Xls, Xlsx,
};

use crate::{IoError, RawRow, Result, column_name};

pub(crate) struct SheetSource {
    range: Range<Data>,
    /// Absolute 0-based position of the range's top-left cell.
    first_row: usize,
    first_col: usize,
    next: usize,
}

/// Most columns a sheet may span (the legacy .xls format's own limit).
const MAX_SHEET_COLUMNS: u64 = 256;
/// Most cells the span of a sheet may hold: laid out densely, 32 bytes each. The largest
/// import, 1,000,000 people with up to 24 columns, fits.
const MAX_SHEET_CELLS: u64 = 24 * (1 << 20);
/// Spans up to this many cells are taken however empty; larger ones must be at least one
/// sixteenth filled, so that a few stray cells cannot make a small file cost gigabytes.
const SPARSE_SPAN_FLOOR: u64 = 1 << 20;
const MAX_EMPTY_PER_FILLED: u64 = 16;

impl SheetSource {
    pub(crate) fn xlsx(bytes: Vec<u8>) -> Result<SheetSource> {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad_workbook)?;
        let name = first_sheet(book.sheets_metadata())?;
        // Not `worksheet_range`: it lays the span out before anyone can look at its size.
        let mut reader = book.worksheet_cells_reader(&name).map_err(bad_workbook)?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(bad_workbook)? {
            if !matches!(cell.get_value(), DataRef::Empty) {
                cells.push(Cell::new(
                    cell.get_position(),
                    cell.get_value().clone().into(),
                ));
            }
        }
        check_span(span(cells.iter().map(Cell::get_position)), cells.len())?;
        Ok(Self::of(Range::from_sparse(cells)))
    }

    /// The legacy format caps a sheet at 65,536 × 256 cells, and calamine lays every sheet
    /// out while opening the file: the check can only refuse, not spare, that memory.
    pub(crate) fn xls(bytes: Vec<u8>) -> Result<SheetSource> {
        let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(bad_workbook)?;
        let name = first_sheet(book.sheets_metadata())?;
        let range = book.worksheet_range(&name).map_err(bad_workbook)?;
        let filled = range
            .used_cells()
            .filter(|(_, _, v)| **v != Data::Empty)
            .count();
        check_span(range.start().zip(range.end()), filled)?;
        Ok(Self::of(range))
    }

    fn of(range: Range<Data>) -> SheetSource {
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        SheetSource {
            range,
            first_row: first_row as usize,
            first_col: first_col as usize,
            next: 0,
        }
    }

    pub(crate) fn next_raw(&mut self) -> Option<RawRow> {
        if self.next >= self.range.height() {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let number = self.first_row + index + 1;
        let cells = self.range[index]
            .iter()
            .enumerate()
            .map(|(col, cell)| {
                cell_text(cell).map_err(|value| IoError::CellError {
                    row: number,
                    column: column_name(self.first_col + col),
                    value,
                })
            })
            .collect::<Result<Vec<String>>>();
        Some(cells.map(|cells| (number, cells)))
    }
}

/// The first visible worksheet: hidden sheets often hold lookup lists, and the user means the
/// first one they see.
fn first_sheet(sheets: &[Sheet]) -> Result<String> {
    sheets
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(|s| s.typ == SheetType::WorkSheet))
        .map(|s| s.name.clone())
        .ok_or(IoError::NoWorksheet)
}

/// The top-left and bottom-right positions of `cells`, if any.
fn span(cells: impl Iterator<Item = (u32, u32)>) -> Option<((u32, u32), (u32, u32))> {
    cells.fold(None, |acc, (r, c)| {
        let ((r0, c0), (r1, c1)) = acc.unwrap_or(((r, c), (r, c)));
        Some(((r0.min(r), c0.min(c)), (r1.max(r), c1.max(c))))
    })
}

/// Refuses a span that would be too large to lay out, or mostly empty (see the limits above).
fn check_span(span: Option<((u32, u32), (u32, u32))>, filled: usize) -> Result<()> {
    let Some(((r0, c0), (r1, c1))) = span else {
        return Ok(());
    };
    let (rows, columns) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    let cells = rows * columns;
    let sparse = cells > SPARSE_SPAN_FLOOR && cells / MAX_EMPTY_PER_FILLED > filled as u64;
    if columns > MAX_SHEET_COLUMNS || cells > MAX_SHEET_CELLS || sparse {
        return Err(IoError::SheetTooLarge {
            rows,
            columns,
            max_columns: MAX_SHEET_COLUMNS,
            max_cells: MAX_SHEET_CELLS,
        });
    }
    Ok(())
}

fn bad_workbook(e: impl std::error::Error + Send + Sync + 'static) -> IoError {
    IoError::BadWorkbook(Box::new(e))
}

/// The cell as the user sees it, or the error value (such as "#N/A") as `Err`.
pub(crate) fn cell_text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(true) => "TRUE".to_owned(),
        Data::Bool(false) => "FALSE".to_owned(),
        Data::DateTime(dt) => datetime_text(dt),
        Data::DateTimeIso(s) => iso_datetime_text(s),
        Data::DurationIso(s) => s.trim().to_owned(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// Numbers as Excel's General format shows them: integers without ".0", at most
/// 15 significant digits (what Excel stores), no binary noise like 0.30000000000000004.
///
/// An ID number typed as a number comes back with its last digits as zeros (Excel
/// already lost them); it is returned anyway and the caller's validation rejects it.
pub(crate) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == f.trunc() && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let sci = format!("{f:.14e}");
    let (mantissa, exp) = sci.split_once('e').expect("exponent format");
    let exp: i64 = exp.parse().expect("exponent digits");
    let negative = mantissa.starts_with('-');
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    let int_len = exp + 1;
    let len = digits.len() as i64;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if int_len >= len {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (int_len - len) as usize));
    } else if int_len > 0 {
        out.push_str(&digits[..int_len as usize]);
        out.push('.');
        out.push_str(&digits[int_len as usize..]);
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-int_len) as usize));
        out.push_str(&digits);
    }
    out
}

/// Dates as YYYY-MM-DD, with " HH:MM:SS" only when there is a time of day;
/// a pure time (serial below 1) as HH:MM:SS; durations as H:MM:SS.
fn datetime_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() {
        let total = (serial * 86_400.0).round() as i64;
        let sign = if total < 0 { "-" } else { "" };
        let total = total.abs();
        return format!(
            "{sign}{}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        );
    }
    let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
    if (0.0..1.0).contains(&serial) {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// ISO 8601 text (from some writers) in the same shape as [`datetime_text`].
fn iso_datetime_text(s: &str) -> String {
    let s = s.trim();
    let Some((date, time)) = s.split_once('T') else {
        return s.to_owned();
    };
    let time = time.split(['.', 'Z', '+']).next().unwrap_or_default();
    if date.is_empty() {
        time.to_owned()
    } else if time.is_empty() || time.trim_start_matches(['0', ':']).is_empty() {
        date.to_owned()
    } else {
        format!("{date} {time}")
    }
}
