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

pub use bulletin::{bulletin_docx, bulletin_html, bulletin_xlsx};
pub use document::{
    Bar, BarChart, Block, DASH, Document, LineChart, Row, Scale, Series, Table, chinese_number,
    thousands,
};
pub use docx::docx;
pub use html::html;
pub use xlsx::xlsx;

/// Errors of rendering. Only the workbook writer can fail; the DOCX and HTML are assembled in
/// memory from text.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("生成 Excel 文件失败")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

#[cfg(test)]
mod tests;
