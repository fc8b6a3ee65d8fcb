//! wenjiu's documents in the three forms officials pass around: a Word document to edit and
//! issue ([`docx`]), an Excel workbook to recalculate and chart ([`xlsx`]) and a print-ready
//! web page ([`html`]).
//!
//! A report is first a [`Document`] — headings, paragraphs, tables of printed cells, bar and
//! line charts — worded once, then rendered by each format, so the three show the same
//! figures. The monthly bulletin (月通报, [`bulletin`]) and the monthly monitoring analysis
//! report (失业动态监测月度分析报告, [`monitoring`]) are such documents. Rendering is pure: data
//! in, the file's bytes out.

pub mod bulletin;
mod document;
mod docx;
mod escape;
mod html;
pub mod monitoring;
mod svg;
mod xlsx;

pub use document::{
    Bar, BarChart, Block, DASH, Document, LineChart, Row, Scale, Series, Table, chinese_number,
    display_width, thousands,
};
pub use docx::docx;
pub use html::html;
pub use xlsx::xlsx;

/// The file formats of a [`Document`], as an export asks for them by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Xlsx,
    Html,
}

impl Format {
    /// "docx", "xlsx" or "html".
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    /// The document as a file of this format.
    pub fn render(self, d: &Document) -> Result<Vec<u8>, ReportError> {
        Ok(match self {
            Format::Docx => docx(d),
            Format::Xlsx => xlsx(d)?,
            Format::Html => html(d).into_bytes(),
        })
    }
}

/// Errors of rendering. Only the workbook writer can fail; the DOCX and HTML are assembled in
/// memory from text.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("生成 Excel 文件失败")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

#[cfg(test)]
mod tests;
