//! A document as a Word document, written directly as WordprocessingML in a ZIP package:
//! the parts Word needs and nothing more, so the output is small and predictable.

use std::io::{Cursor, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::document::{Block, Document, Row, Table, display_width, is_figure};
use crate::escape::escape;

/// Every part is XML; `package` puts this in front of each.
const XML_HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A4 in twentieths of a point, with Word's default margins for Chinese documents
/// (2.54 cm top and bottom, 3.17 cm left and right).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP_BOTTOM: u32 = 1440;
const MARGIN_LEFT_RIGHT: u32 = 1800;
const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN_LEFT_RIGHT;

/// The typefaces and sizes of official documents (GB/T 9704): title in 小标宋 二号, body in
/// 仿宋 三号, first-level headings in 黑体 三号; tables in 宋体 五号 to fit eight columns.
struct Font {
    east_asia: &'static str,
    /// Half-points, as Word counts font sizes.
    size: u32,
    bold: bool,
}

const TITLE: Font = Font {
    east_asia: "方正小标宋简体",
    size: 44,
    bold: true,
};
const BODY: Font = Font {
    east_asia: "仿宋",
    size: 32,
    bold: false,
};
const HEADING: Font = Font {
    east_asia: "黑体",
    size: 32,
    bold: false,
};
const CELL: Font = Font {
    east_asia: "宋体",
    size: 21,
    bold: false,
};
const CELL_BOLD: Font = Font { bold: true, ..CELL };
/// 小五, for tables of more than [`WIDE_TABLE`] columns.
const CELL_SMALL: Font = Font { size: 18, ..CELL };
const CELL_SMALL_BOLD: Font = Font {
    bold: true,
    ..CELL_SMALL
};
const WIDE_TABLE: usize = 8;
/// The left and right margins of a cell (Normal Table), in twips.
const CELL_MARGINS: u32 = 2 * 108;
/// A column's width in half-em: at least this…
const MIN_COLUMN: usize = 4;
/// …and at most this, so that one long text does not squeeze the figures.
const MAX_COLUMN: usize = 24;
/// A heading wraps rather than widening its column beyond this.
const HEADING_COLUMN: usize = 4;

// Paragraph properties.
const CENTRED: &str = r#"<w:jc w:val="center"/>"#;
/// Figures in table cells.
const RIGHT: &str = r#"<w:jc w:val="right"/>"#;
/// Fixed 28-point lines and a two-character first-line indent (`firstLine`, 640 twips, is for
/// readers that ignore `firstLineChars`).
const BODY_TEXT: &str = r#"<w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>"#;
/// Headings stay on the page of their table.
const HEADING_TEXT: &str = r#"<w:keepNext/><w:spacing w:before="240" w:after="120"/>"#;

/// A Word document: title, subtitle, paragraphs in the body face, numbered headings, and
/// tables with the header row repeated on every page and total lines in bold.
///
/// No charts: a Word chart is an embedded workbook plus DrawingML, which officials redo in
/// their own template anyway; the charts are in [`xlsx`](crate::xlsx) and
/// [`html`](crate::html). A heading whose section holds nothing but charts is left out too.
pub fn docx(d: &Document) -> Vec<u8> {
    let document = document(d);
    let core = core_properties(d);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", core.as_str()),
        ("docProps/app.xml", APP_PROPERTIES),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document.as_str()),
        ("word/styles.xml", STYLES),
        ("word/fontTable.xml", FONT_TABLE),
    ];
    package(&parts).expect("a ZIP written to memory cannot fail")
}

fn package(parts: &[(&str, &str)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(*name, SimpleFileOptions::default())?;
        zip.write_all(XML_HEADER.as_bytes())?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn document(d: &Document) -> String {
    let mut body = paragraph(CENTRED, &d.title, &TITLE);
    body.push_str(&paragraph(CENTRED, &d.subtitle, &BODY));
    // A heading waits until its section shows something.
    let mut heading: Option<&str> = None;
    for block in &d.blocks {
        let shown = match block {
            Block::Heading { text, .. } => {
                heading = Some(text);
                continue;
            }
            Block::Paragraph(text) => text
                .lines()
                .map(|line| paragraph(BODY_TEXT, line, &BODY))
                .collect(),
            // Word wants a paragraph between a table and what follows; it also spaces them.
            Block::Table(t) if !t.chart_data => table(t) + "<w:p/>",
            Block::Table(_) | Block::BarChart(_) | Block::LineChart(_) => continue,
        };
        if let Some(text) = heading.take() {
            body.push_str(&paragraph(HEADING_TEXT, text, &HEADING));
        }
        body.push_str(&shown);
    }
    format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/><w:pgMar w:top="{MARGIN_TOP_BOTTOM}" w:right="{MARGIN_LEFT_RIGHT}" w:bottom="{MARGIN_TOP_BOTTOM}" w:left="{MARGIN_LEFT_RIGHT}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

fn paragraph(properties: &str, text: &str, font: &Font) -> String {
    format!("<w:p><w:pPr>{properties}</w:pPr>{}</w:p>", run(text, font))
}

/// `hint="eastAsia"` sets the characters Chinese and Western text share (—, “”, ……) in the
/// Chinese face, as Chinese Word does.
fn run(text: &str, font: &Font) -> String {
    let Font {
        east_asia,
        size,
        bold,
    } = font;
    let bold = if *bold { "<w:b/><w:bCs/>" } else { "" };
    format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asia}" w:hint="eastAsia"/>{bold}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(text)
    )
}

/// A table with single-line borders, its header row repeated on every page, figures
/// right-aligned and total lines in bold. Columns share the text width by the width of what
/// they hold, so figures stay on one line; wide tables take a smaller face.
fn table(t: &Table) -> String {
    let small = t.columns.len() > WIDE_TABLE;
    let widths = column_widths(t, if small { &CELL_SMALL } else { &CELL });
    let grid: String = widths
        .iter()
        .map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#))
        .collect();
    let border =
        |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .into_iter()
        .map(border)
        .collect();
    let mut rows = table_row(&Row::total(t.columns.clone()), &widths, small, true);
    for row in &t.rows {
        rows.push_str(&table_row(row, &widths, small, false));
    }
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"#
    )
}

/// Each column's width in twips: what its widest cell needs on one line (a heading may wrap);
/// space left over is shared out, and where space is short the text columns wrap, not the
/// figures.
fn column_widths(t: &Table, font: &Font) -> Vec<u32> {
    // Half an em in twips: a size in half-points is a tenth of the em in twips.
    let half_em = font.size * 5;
    let column = |c: usize| t.rows.iter().filter_map(move |r| r.cells.get(c));
    let natural: Vec<u32> = t
        .columns
        .iter()
        .enumerate()
        .map(|(c, heading)| {
            let widest = column(c).map(|text| display_width(text)).max().unwrap_or(0);
            let heading = display_width(heading).min(HEADING_COLUMN);
            widest.max(heading).clamp(MIN_COLUMN, MAX_COLUMN) as u32 * half_em + CELL_MARGINS
        })
        .collect();
    let figures: Vec<bool> = (0..t.columns.len())
        .map(|c| column(c).all(|text| is_figure(text)))
        .collect();
    let total: u32 = natural.iter().sum::<u32>().max(1);
    let fixed: u32 = natural
        .iter()
        .zip(&figures)
        .filter(|(_, figure)| **figure)
        .map(|(w, _)| w)
        .sum();
    let text = total - fixed;
    if total <= TEXT_WIDTH || fixed >= TEXT_WIDTH || text == 0 {
        return natural.iter().map(|w| w * TEXT_WIDTH / total).collect();
    }
    // Figures keep their width; the text columns share what is left.
    natural
        .iter()
        .zip(&figures)
        .map(|(w, figure)| {
            if *figure {
                *w
            } else {
                w * (TEXT_WIDTH - fixed) / text
            }
        })
        .collect()
}

fn table_row(row: &Row, widths: &[u32], small: bool, header: bool) -> String {
    let (row_properties, shading) = if header {
        (
            "<w:cantSplit/><w:tblHeader/>",
            r#"<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>"#,
        )
    } else {
        ("<w:cantSplit/>", "")
    };
    let font = match (small, row.bold) {
        (false, false) => &CELL,
        (false, true) => &CELL_BOLD,
        (true, false) => &CELL_SMALL,
        (true, true) => &CELL_SMALL_BOLD,
    };
    let cells: String = row
        .cells
        .iter()
        .zip(widths)
        .map(|(text, width)| {
            let align = if !header && is_figure(text) { RIGHT } else { CENTRED };
            format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}<w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
                paragraph(align, text, font)
            )
        })
        .collect();
    format!("<w:tr><w:trPr>{row_properties}</w:trPr>{cells}</w:tr>")
}

fn core_properties(d: &Document) -> String {
    format!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>wenjiu</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>"#,
        escape(&d.title),
        escape(&d.subtitle)
    )
}
const CONTENT_TYPES: &str = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>"#;

const APP_PROPERTIES: &str = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>wenjiu</Application></Properties>"#;

/// Document defaults (Times New Roman with 宋体, 五号, single spacing, Chinese language so
/// Word applies Chinese line breaking) and the two styles Word expects to exist.
const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// The fonts the document names, each with the Windows font Word substitutes where it is
/// missing (方正小标宋简体 is not installed everywhere; 宋体 is).
const FONT_TABLE: &str = r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font><w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font><w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;
