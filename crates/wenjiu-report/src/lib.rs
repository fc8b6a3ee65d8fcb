//! The monthly bulletin (月通报) in the three forms officials pass around: a Word document to
//! edit and issue ([`bulletin_docx`]), an Excel workbook to recalculate and chart
//! ([`bulletin_xlsx`]) and a print-ready web page ([`bulletin_html`]).
//!
//! Every table cell is printed exactly as [`Section::cells`] gives it, and every heading, chart
//! label and progress figure is worded once in this crate, so the three formats show the same
//! figures. Rendering is pure: a [`Bulletin`] in, the file's bytes out.
//!
//! [`Section::cells`]: wenjiu_core::indicators::Section::cells
//! [`Bulletin`]: wenjiu_core::indicators::Bulletin

mod content;
mod docx;
mod escape;
mod html;
mod svg;
mod xlsx;

pub use docx::bulletin_docx;
pub use html::bulletin_html;
pub use xlsx::bulletin_xlsx;

/// Errors of rendering. Only the workbook writer can fail; the DOCX and HTML are assembled in
/// memory from text.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("生成 Excel 通报失败")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

#[cfg(test)]
mod tests;
