//! The bulletin as one self-contained, print-ready web page: inline CSS sized for A4, inline
//! SVG charts, no script and no external file, so it can be mailed, archived or printed as is.

use wenjiu_core::indicators::{Bulletin, Section};

use crate::content::{
    TREND_CHART_TITLE, TREND_TITLE, chart, headed_sections, subtitle, trend_rows,
};
use crate::escape::escape;
use crate::svg::{Series, bar_chart, line_chart};

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
th { background: #d9d9d9; print-color-adjust: exact; -webkit-print-color-adjust: exact }
tr { break-inside: avoid }
tr.total td { font-weight: bold }
figure { margin: .8em 0 0; break-inside: avoid }
figcaption { font-size: 10pt; text-align: center }
svg { display: block; width: 100%; height: auto }
"#;

const COMPLETION_COLOUR: &str = "#c00000";
const TIME_PROGRESS_COLOUR: &str = "#7f7f7f";

/// The bulletin as an HTML page: title, paragraph, per indicator a numbered heading, its table
/// and a bar chart by region, and at the end the year's progress against 序时进度.
pub fn bulletin_html(b: &Bulletin) -> String {
    let mut body = format!(
        r#"<h1>{}</h1><p class="subtitle">{}</p>"#,
        escape(&b.title),
        escape(&subtitle(b))
    );
    for line in b.paragraph.lines() {
        body.push_str(&format!(r#"<p class="lead">{}</p>"#, escape(line)));
    }
    for (heading, s) in headed_sections(b) {
        body.push_str(&format!(
            "<section><h2>{}</h2>{}",
            escape(&heading),
            table(s)
        ));
        if let Some(c) = chart(s) {
            body.push_str(&figure(&c.title, &bar_chart(&c.title, &c.bars)));
        }
        body.push_str("</section>");
    }
    body.push_str(&trend(b));
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(&b.title)
    )
}

fn table(s: &Section) -> String {
    let cells = |tag: &str, texts: &[String]| -> String {
        texts
            .iter()
            .map(|t| format!("<{tag}>{}</{tag}>", escape(t)))
            .collect()
    };
    let rows: String = s
        .rows
        .iter()
        .map(|r| format!("<tr>{}</tr>", cells("td", &s.cells(r))))
        .collect();
    format!(
        r#"<table><thead><tr>{}</tr></thead><tbody>{rows}<tr class="total">{}</tr></tbody></table>"#,
        cells("th", &s.columns()),
        cells("td", &s.cells(&s.total))
    )
}

/// `svg` is markup already; only the caption is text.
fn figure(caption: &str, svg: &str) -> String {
    format!(
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        escape(caption)
    )
}

/// Cumulative completion against 序时进度, month by month.
fn trend(b: &Bulletin) -> String {
    let rows = trend_rows(b);
    let months: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    let series = |name, colour, dashed, column: usize| Series {
        name,
        colour,
        dashed,
        points: rows
            .iter()
            .map(|r| {
                let figure = &r[column];
                figure.parse().ok().map(|v| (v, format!("{figure}%")))
            })
            .collect(),
    };
    let lines = [
        series("完成率", COMPLETION_COLOUR, false, 2),
        series("序时进度", TIME_PROGRESS_COLOUR, true, 3),
    ];
    format!(
        "<section><h2>{}</h2>{}</section>",
        escape(TREND_TITLE),
        figure(
            TREND_CHART_TITLE,
            &line_chart(TREND_CHART_TITLE, &months, &lines)
        )
    )
}
