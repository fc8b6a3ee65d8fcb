//! Import and export files of the wenjiu registry.
//!
//! Reading: [`TableReader`] yields the rows of a CSV or Excel file as trimmed text,
//! numbered the way the user sees them in Excel, so error reports can say "第 N 行".
//! CSV is streamed (constant memory for any size) and may be UTF-8 or GB18030/GBK,
//! which is what Chinese Excel writes for "CSV (逗号分隔)".
//!
//! Writing: [`write_xlsx`] and [`write_csv`] produce files that open cleanly in Excel
//! and WPS, with every cell as text so ID numbers keep their leading zeros and "X".

mod csv_read;
mod sheet_read;
mod write;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub use write::{write_csv, write_xlsx};

/// Errors of this crate. Display texts are shown to users and are in Chinese; errors
/// about one row name it, so an import can report the row and go on.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The file name has an extension this crate does not read.
    #[error("不支持的文件类型“{0}”，请使用 .xlsx、.xls 或 .csv 文件")]
    UnsupportedType(String),

    #[error("无法打开文件 {path}：{reason}")]
    Open {
        path: PathBuf,
        reason: String,
        #[source]
        source: io::Error,
    },

    /// Reading failed part-way; no further rows follow.
    #[error("读取文件失败：{reason}")]
    Read {
        reason: String,
        #[source]
        source: io::Error,
    },

    #[error("文件中没有内容，缺少表头行")]
    Empty,

    #[error("无法读取 Excel 文件：文件已损坏、已加密，或不是有效的 Excel 格式")]
    BadWorkbook(#[source] Box<dyn std::error::Error + Send + Sync>),

    #[error("Excel 文件中没有可读取的工作表")]
    NoWorksheet,

    #[error("不支持 UTF-16 编码的文本文件，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")]
    Utf16,

    /// A CSV file whose content is a spreadsheet the reader cannot take as text.
    #[error("文件扩展名是 .csv，但内容不是文本表格，请检查是否选错了文件")]
    NotText,

    /// The row has non-empty cells to the right of the last header column.
    #[error("第 {row} 行有 {found} 列数据，超出表头的 {expected} 列")]
    ExtraCells {
        row: usize,
        expected: usize,
        found: usize,
    },

    #[error("第 {row} 行含有无法识别的文字编码，请将文件另存为 UTF-8 或 GBK 编码")]
    BadEncoding { row: usize },

    /// Usually an unmatched quote that swallowed the rest of the file; reading stops.
    #[error("第 {row} 行超过 {limit} 字节，可能有未配对的英文双引号，已停止读取")]
    RowTooLong { row: usize, limit: usize },

    /// A formula error such as #N/A or #DIV/0! in the sheet.
    #[error("第 {row} 行 {column} 列是错误值 {value}，请修正后重新导入")]
    CellError {
        row: usize,
        column: String,
        value: String,
    },

    #[error("列数过多：共 {0} 列，Excel 最多 16384 列")]
    TooManyColumns(usize),

    /// The cells span more than the reader takes in memory, e.g. one stray cell far from
    /// the data: the whole span would have to be laid out.
    #[error(
        "工作表范围过大：数据跨 {rows} 行 × {columns} 列，超出导入上限（最多 {max_columns} 列、\
         {max_cells} 个单元格，且不得有大片空白），请删除表格以外的单元格或拆分文件"
    )]
    SheetTooLarge {
        rows: u64,
        columns: u64,
        max_columns: u64,
        max_cells: u64,
    },

    #[error("第 {row} 行 {column} 列内容超过 Excel 单元格上限 32767 个字符")]
    CellTooLong { row: usize, column: String },

    #[error("生成 Excel 文件失败")]
    XlsxWrite(#[source] rust_xlsxwriter::XlsxError),

    #[error("写出 CSV 文件失败：{reason}")]
    CsvWrite {
        reason: String,
        #[source]
        source: io::Error,
    },
}

impl IoError {
    /// The row (as numbered in the file) this error is about, if it is about one row.
    /// Report it and keep iterating: the reader goes on with the next row (after
    /// [`IoError::RowTooLong`] it simply ends).
    pub fn row(&self) -> Option<usize> {
        match self {
            IoError::ExtraCells { row, .. }
            | IoError::BadEncoding { row }
            | IoError::RowTooLong { row, .. }
            | IoError::CellError { row, .. }
            | IoError::CellTooLong { row, .. } => Some(*row),
            _ => None,
        }
    }
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, IoError>;

/// One data row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based row number as the user sees it in Excel; the header is row 1 (unless
    /// the file starts with empty rows). Skipped empty rows still count.
    pub number: usize,
    /// Trimmed cell texts, exactly one per header column.
    pub cells: Vec<String>,
}

/// The kind of file a [`TableReader`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Xlsx,
    Xls,
}

/// Reads the rows of a CSV or Excel table. The first non-empty row is the header.
///
/// It is an iterator of rows; an `Err` about one row (see [`IoError::row`]) can be
/// reported and iteration continued. After an error that ends the file (read failure,
/// runaway row) the iterator returns `None`.
///
/// Cells right of the last header column must be empty (Excel often leaves trailing
/// commas); otherwise the row is an [`IoError::ExtraCells`] error. Missing trailing
/// cells read as empty strings.
pub struct TableReader {
    headers: Vec<String>,
    header_row: usize,
    format: TableFormat,
    source: Source,
}

enum Source {
    Csv(csv_read::CsvSource),
    Sheet(sheet_read::SheetSource),
}

/// A row as read, before empty-row skipping and alignment to the header.
type RawRow = Result<(usize, Vec<String>)>;

impl Source {
    fn next_raw(&mut self) -> Option<RawRow> {
        match self {
            Source::Csv(s) => s.next_raw(),
            Source::Sheet(s) => s.next_raw(),
        }
    }
}

/// Magic numbers of the two Excel container formats.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Users rename or mislabel files; an Excel file named .csv is read as Excel.
fn is_spreadsheet(head: &[u8]) -> bool {
    head.starts_with(ZIP_MAGIC) || head.starts_with(OLE_MAGIC)
}

impl TableReader {
    /// Opens a `.csv`, `.xlsx` or `.xls` file (chosen by extension, case-insensitive;
    /// a file whose content is an Excel workbook is read as one whatever its name).
    /// CSV is read as a stream; Excel files are loaded whole (the format requires it).
    pub fn open(path: &Path) -> Result<TableReader> {
        let format = format_for(&path.to_string_lossy())?;
        let open_err = |source: io::Error| IoError::Open {
            path: path.to_owned(),
            reason: io_reason(&source),
            source,
        };
        let mut file = BufReader::with_capacity(64 * 1024, File::open(path).map_err(open_err)?);
        if format == TableFormat::Csv && !is_spreadsheet(file.fill_buf().map_err(open_err)?) {
            return Self::from_stream(Box::new(file));
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(open_err)?;
        Self::from_spreadsheet(bytes)
    }

    /// Reads an uploaded file held in memory; `file_name` only selects the format.
    pub fn from_bytes(file_name: &str, bytes: Vec<u8>) -> Result<TableReader> {
        if format_for(file_name)? == TableFormat::Csv && !is_spreadsheet(&bytes) {
            Self::from_stream(Box::new(io::Cursor::new(bytes)))
        } else {
            Self::from_spreadsheet(bytes)
        }
    }

    fn from_stream(input: Box<dyn Read + Send>) -> Result<TableReader> {
        let source = csv_read::CsvSource::new(input)?;
        Self::with_source(Source::Csv(source), TableFormat::Csv)
    }

    /// Excel files renamed between .xls and .xlsx are common, so the content decides.
    fn from_spreadsheet(bytes: Vec<u8>) -> Result<TableReader> {
        let (source, format) = if bytes.starts_with(OLE_MAGIC) {
            (sheet_read::SheetSource::xls(bytes)?, TableFormat::Xls)
        } else {
            (sheet_read::SheetSource::xlsx(bytes)?, TableFormat::Xlsx)
        };
        Self::with_source(Source::Sheet(source), format)
    }

    fn with_source(mut source: Source, format: TableFormat) -> Result<TableReader> {
        let (header_row, mut headers) = loop {
            match source.next_raw() {
                None => return Err(IoError::Empty),
                Some(Err(e)) => return Err(e),
                Some(Ok((n, cells))) if cells.iter().any(|c| !c.is_empty()) => break (n, cells),
                Some(Ok(_)) => {}
            }
        };
        // Excel pads CSV rows to the widest row with trailing commas.
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        if let Some(first) = headers.first_mut() {
            *first = first.trim_start_matches('\u{feff}').trim().to_owned();
        }
        Ok(TableReader {
            headers,
            header_row,
            format,
            source,
        })
    }

    /// Header texts, trimmed, byte order mark removed, trailing empty columns dropped.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Row number of the header (1 unless the file starts with empty rows).
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    pub fn format(&self) -> TableFormat {
        self.format
    }

    /// Text encoding detected so far for a CSV file ("UTF-8" or "GB18030"); `None`
    /// for Excel files. A pure-ASCII start reads as "UTF-8" until Chinese text decides.
    pub fn encoding(&self) -> Option<&'static str> {
        match &self.source {
            Source::Csv(s) => Some(s.encoding_name()),
            Source::Sheet(_) => None,
        }
    }

    /// The data rows; the same as iterating the reader itself.
    pub fn rows(self) -> impl Iterator<Item = Result<Row>> {
        self
    }

    fn align(&self, number: usize, mut cells: Vec<String>) -> Result<Row> {
        let width = self.headers.len();
        if cells.len() > width {
            if let Some(last) = cells.iter().rposition(|c| !c.is_empty())
                && last >= width
            {
                return Err(IoError::ExtraCells {
                    row: number,
                    expected: width,
                    found: last + 1,
                });
            }
            cells.truncate(width);
        } else {
            cells.resize(width, String::new());
        }
        Ok(Row { number, cells })
    }
}

impl Iterator for TableReader {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        loop {
            match self.source.next_raw()? {
                Err(e) => return Some(Err(e)),
                Ok((_, cells)) if cells.iter().all(String::is_empty) => continue,
                Ok((number, cells)) => return Some(self.align(number, cells)),
            }
        }
    }
}

impl std::fmt::Debug for TableReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("format", &self.format)
            .field("headers", &self.headers)
            .field("header_row", &self.header_row)
            .finish_non_exhaustive()
    }
}

fn format_for(file_name: &str) -> Result<TableFormat> {
    let ext = Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    match ext.as_deref() {
        Some("csv") => Ok(TableFormat::Csv),
        Some("xlsx") => Ok(TableFormat::Xlsx),
        Some("xls") => Ok(TableFormat::Xls),
        Some(other) => Err(IoError::UnsupportedType(format!(".{other}"))),
        None => Err(IoError::UnsupportedType("无扩展名".to_owned())),
    }
}

/// A short Chinese reason for an I/O failure; the original error stays as `source`.
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件或目录不存在".to_owned(),
        io::ErrorKind::PermissionDenied => "没有访问权限".to_owned(),
        io::ErrorKind::IsADirectory => "这是一个目录，不是文件".to_owned(),
        io::ErrorKind::StorageFull => "磁盘空间不足".to_owned(),
        io::ErrorKind::UnexpectedEof => "文件内容不完整".to_owned(),
        io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset => "连接已断开".to_owned(),
        _ => match e.raw_os_error() {
            Some(code) => format!("系统错误（错误码 {code}）"),
            None => "系统输入输出错误".to_owned(),
        },
    }
}

/// Excel column letters for a 0-based column index: 0 → "A", 26 → "AA".
pub(crate) fn column_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

#[cfg(test)]
mod tests;
