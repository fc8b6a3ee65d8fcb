//! Each format read back with an independent reader: the ZIP and XML of the DOCX, calamine for
//! the XLSX, the text of the HTML.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use wenjiu_core::indicators::catalogue::{builtin, codes};
use wenjiu_core::indicators::{Bulletin, Ratio, Target, Values};
use wenjiu_core::{Month, RegionCode};

use crate::bulletin;
use crate::escape::escape;
use crate::{docx, html, xlsx};

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn n(v: i64) -> Ratio {
    Ratio::from_integer(v)
}

/// Liaoning in May 2020 as in the core's bulletin test: 沈阳 and 大连 report, the province
/// stands at 151,600 of 420,000 (36.1%).
fn liaoning() -> Bulletin {
    let m = |mo| Month::new(2020, mo).unwrap();
    let mut v = Values::new(builtin());
    let newly = codes::URBAN_NEWLY_EMPLOYED;
    for (month, sy, dl) in [(1, 20_000, 18_000), (2, 5_000, 4_600), (5, 40_000, 64_000)] {
        v.insert(newly, rc("210102"), m(month), n(sy));
        v.insert(newly, rc("210202"), m(month), n(dl));
    }
    let may_2019 = Month::new(2019, 5).unwrap();
    v.insert(newly, rc("210102"), may_2019, n(100_000));
    v.insert(newly, rc("210202"), may_2019, n(92_386));
    let target = |t| Target {
        value: n(t),
        approximate: false,
    };
    let net = codes::NEW_URBAN_EMPLOYMENT;
    v.set_target(net, rc("210000"), 2020, target(420_000));
    v.set_target(net, rc("210100"), 2020, target(200_000));
    v.set_target(net, rc("210200"), 2020, target(220_000));
    Bulletin::build(&v, rc("210000"), m(5))
}

/// A bulletin whose texts carry markup characters.
fn with_markup() -> Bulletin {
    let mut b = liaoning();
    b.region_name = "辽宁省<&>".into();
    b.paragraph = format!("{}<b>R&D</b> \"引号\" 'x'", b.paragraph);
    b.sections[0].rows[0].name = "沈阳<&>市".into();
    b
}

pub(crate) fn unzip(bytes: &[u8]) -> zip::ZipArchive<Cursor<&[u8]>> {
    zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP package")
}

pub(crate) fn part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> String {
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("part {name}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Parses `xml` completely, panicking unless it is well formed, and returns the text of each
/// `w:t` element (entities resolved).
pub(crate) fn word_texts(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0;
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    loop {
        let event = reader.read_event().expect("well-formed XML");
        if let Event::Start(e) | Event::Empty(e) = &event {
            for attribute in e.attributes() {
                attribute.expect("well-formed attribute");
            }
        }
        match event {
            Event::Start(e) => {
                depth += 1;
                if e.name().0 == "w:t" {
                    current = Some(String::new());
                }
            }
            Event::End(e) => {
                depth -= 1;
                if e.name().0 == "w:t" {
                    texts.extend(current.take());
                }
            }
            Event::Text(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().expect("valid reference") {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r.xml10_content())
                        .expect("a predefined entity")
                        .to_string(),
                };
                if let Some(c) = &mut current {
                    c.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element closed");
    texts
}

#[test]
fn docx_is_a_word_package_with_the_bulletin() {
    let b = liaoning();
    let bytes = docx(&bulletin::document(&b));
    let mut archive = unzip(&bytes);
    let parts = [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/fontTable.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ];
    for name in parts {
        word_texts(&part(&mut archive, name));
    }
    let document = part(&mut archive, "word/document.xml");
    let texts = word_texts(&document);
    for expected in [
        b.title.as_str(),
        "辽宁省　2020年5月",
        b.paragraph.as_str(),
        "一、城镇新增就业人数",
        "1月至本月累计（人）",
        "151600",
        "36.1%",
        "-5.6",
    ] {
        assert!(texts.iter().any(|t| t == expected), "{expected}");
    }
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(document.contains(r#"w:eastAsia="方正小标宋简体""#));
    // One table per section, each ending in the total line.
    assert_eq!(document.matches("<w:tbl>").count(), b.sections.len());
}

#[test]
fn xlsx_holds_paragraph_tables_and_charts() {
    let b = liaoning();
    let bytes = xlsx(&bulletin::document(&b)).unwrap();
    let mut book = Xlsx::new(Cursor::new(&bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("通报"));
    assert_eq!(names.last().map(String::as_str), Some("进度"));
    assert_eq!(names.len(), b.sections.len() + 2);

    let cover = book.worksheet_range("通报").unwrap();
    assert_eq!(
        cover.get_value((0, 0)),
        Some(&Data::String(b.title.clone()))
    );
    assert_eq!(
        cover.get_value((2, 0)),
        Some(&Data::String(b.paragraph.clone()))
    );

    let table = book.worksheet_range("城镇新增就业人数").unwrap();
    // Heading, column headings, 14 cities, then the province's total.
    let total = 2 + 14;
    let cell = |c| table.get_value((total, c)).cloned();
    assert_eq!(cell(0), Some(Data::String("辽宁省".into())));
    assert_eq!(cell(1), Some(Data::Float(151_600.0)));
    // A percentage is a number shown as one (it sorts and sums), not text.
    assert!(matches!(cell(3), Some(Data::Float(v)) if (v - 0.361).abs() < 1e-12));
    assert_eq!(cell(4), Some(Data::Float(-5.6)));
    // 沈阳: its chart value (completion in %) in the hidden column after the table.
    let helper = table.get_value((2, 8));
    assert!(matches!(helper, Some(Data::Float(v)) if (v - 32.5).abs() < 1e-9));

    let progress = book.worksheet_range("进度").unwrap();
    let may = |c| progress.get_value((2 + 4, c)).cloned();
    assert_eq!(may(0), Some(Data::String("5月".into())));
    assert_eq!(may(1), Some(Data::Float(151_600.0)));
    assert_eq!(may(2), Some(Data::Float(36.1)));
    assert_eq!(may(3), Some(Data::Float(41.7)));

    // A bar chart for each section with a figure to draw, and the progress line chart.
    let charts = unzip(&bytes)
        .file_names_raw()
        .filter(|f| f.starts_with(b"xl/charts/chart"))
        .count();
    let drawn = b
        .sections
        .iter()
        .filter(|s| s.rows.iter().any(|r| s.chart_value(r).is_some()))
        .count();
    assert_eq!(charts, drawn + 1);
}

#[test]
fn html_is_one_printable_page() {
    let b = liaoning();
    let html = html(&bulletin::document(&b));
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    assert!(html.contains("@page { size: A4; margin: 2cm }"));
    assert!(html.contains(&b.title));
    assert!(html.contains(&escape(&b.paragraph)));
    for s in &b.sections {
        assert!(html.contains(&s.name), "{}", s.name);
    }
    assert!(html.contains("一、城镇新增就业人数"));
    assert!(html.contains("<svg"));
    // The bars' labels are the table's figures; the progress chart's, the progress table's.
    assert!(html.contains(">36.1%</td>"));
    assert!(html.contains(">39.4%</text>"));
    assert!(html.contains(">41.7%</text>"));
    for external in ["<script", "<link", "src=", "url("] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn markup_in_texts_is_escaped() {
    let b = with_markup();
    let raw = "<&>";
    let escaped = "&lt;&amp;&gt;";

    let bytes = docx(&bulletin::document(&b));
    let document = part(&mut unzip(&bytes), "word/document.xml");
    assert!(!document.contains(raw));
    assert!(document.contains(escaped));
    // Read back, the texts are the originals.
    let texts = word_texts(&document);
    for expected in [b.paragraph.as_str(), "沈阳<&>市", "辽宁省<&>　2020年5月"] {
        assert!(texts.iter().any(|t| t == expected), "{expected}");
    }

    let html = html(&bulletin::document(&b));
    assert!(!html.contains(raw));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;b&gt;R&amp;D&lt;/b&gt; &quot;引号&quot; &#39;x&#39;"));
    assert!(html.contains("沈阳&lt;&amp;&gt;市"));
    assert!(html.contains("辽宁省&lt;&amp;&gt;"));

    // The workbook takes the texts as they are.
    let bytes = xlsx(&bulletin::document(&b)).unwrap();
    let mut book = Xlsx::new(Cursor::new(&bytes)).unwrap();
    let cover = book.worksheet_range("通报").unwrap();
    assert_eq!(cover.get_value((2, 0)), Some(&Data::String(b.paragraph)));
}

#[test]
fn escape_drops_characters_xml_forbids() {
    assert_eq!(escape("a\u{1}b\tc\nd"), "ab\tc\nd");
}
