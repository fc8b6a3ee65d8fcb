//! A document as one self-contained, print-ready web page: inline CSS sized for A4, inline
//! SVG charts, no script and no external file, so it can be mailed, archived or printed as is.

use crate::document::{Block, Document, Table, is_figure};
use crate::escape::escape;
use crate::svg::{bar_chart, line_chart};

/// Serif Chinese faces of the common systems, ending with WenQuanYi Zen Hei, which a bare
/// Linux server (and its headless browser) usually has when it has any Chinese font.
const STYLE: &str = r#"
@page { size: A4; margin: 2cm }
body { margin: 0 auto; max-width: 17cm; color: #000; font-size: 12pt; line-height: 1.6;
  font-family: "FangSong", "仿宋", "STFangsong", "SimSun", "宋体", "Songti SC",
    "Noto Serif CJK SC", "Source Han Serif SC", "WenQuanYi Zen Hei", serif }
h1 { margin: 0 0 .3em; font-size: 22pt; font-weight: bold; text-align: center;
  font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "SimSun", "宋体",
    "Songti SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", serif }
.subtitle { margin: 0 0 1em; text-align: center }
.lead { margin: 0; font-size: 16pt; line-height: 28pt; text-indent: 2em; text-align: justify }
h2 { margin: 1.2em 0 .5em; font-size: 14pt; break-after: avoid;
  font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif }
table { width: 100%; border-collapse: collapse; font-size: 9pt; line-height: 1.4 }
thead { display: table-header-group }
th, td { border: 1px solid #000; padding: 2px 4px; text-align: center }
td.n { text-align: right }
th { background: #d9d9d9; print-color-adjust: exact; -webkit-print-color-adjust: exact }
tr { break-inside: avoid }
tr.total td { font-weight: bold }
figure { margin: .8em 0 0; break-inside: avoid }
figcaption { font-size: 10pt; text-align: center }
svg { display: block; width: 100%; height: auto }
"#;

/// The document as an HTML page: title, subtitle, then each block — a numbered heading opens
/// a section, tables with total lines in bold, charts as inline SVG figures. A table that only
/// holds a chart's figures is left out: the chart shows them.
pub fn html(d: &Document) -> String {
    let mut body = format!(
        r#"<h1>{}</h1><p class="subtitle">{}</p>"#,
        escape(&d.title),
        escape(&d.subtitle)
    );
    let mut in_section = false;
    for block in &d.blocks {
        match block {
            Block::Heading { text, .. } => {
                if in_section {
                    body.push_str("</section>");
                }
                body.push_str(&format!("<section><h2>{}</h2>", escape(text)));
                in_section = true;
            }
            Block::Paragraph(text) => {
                for line in text.lines() {
                    body.push_str(&format!(r#"<p class="lead">{}</p>"#, escape(line)));
                }
            }
            Block::Table(t) if t.chart_data => {}
            Block::Table(t) => body.push_str(&table(t)),
            Block::BarChart(c) => body.push_str(&figure(&c.title, &bar_chart(c))),
            Block::LineChart(c) => body.push_str(&figure(&c.title, &line_chart(c))),
        }
    }
    if in_section {
        body.push_str("</section>");
    }
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(&d.title)
    )
}

fn table(t: &Table) -> String {
    let head: String = t
        .columns
        .iter()
        .map(|c| format!("<th>{}</th>", escape(c)))
        .collect();
    let rows: String = t
        .rows
        .iter()
        .map(|r| {
            let cells: String = r
                .cells
                .iter()
                .map(|c| {
                    let class = if is_figure(c) { r#" class="n""# } else { "" };
                    format!("<td{class}>{}</td>", escape(c))
                })
                .collect();
            let class = if r.bold { r#" class="total""# } else { "" };
            format!("<tr{class}>{cells}</tr>")
        })
        .collect();
    format!("<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
}

/// `svg` is markup already; only the caption is text.
fn figure(caption: &str, svg: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        escape(caption)
    )
}
