//! The monthly bulletin (月通报) as a [`Document`]: the subtitle, numbered headings, each
//! indicator's table of the core's printed cells with a bar chart by region, and the year's
//! progress against 序时进度. Worded once here, so DOCX, XLSX and HTML agree.

use wenjiu_core::Month;
use wenjiu_core::indicators::catalogue::Measure;
use wenjiu_core::indicators::{Bulletin, Section, period_name};

use crate::document::{
    Bar, BarChart, Block, DASH, Document, LineChart, Row, Scale, Series, Table, chinese_number,
};

const COVER_SHEET: &str = "通报";
const TREND_SHEET: &str = "进度";
const TREND_TITLE: &str = "城镇新增就业累计完成进度";
const TREND_CHART_TITLE: &str = "累计完成率与序时进度（%）";
const TREND_COLUMNS: [&str; 4] = ["月份", "累计新增就业（人）", "完成率（%）", "序时进度（%）"];
/// The progress table prints percentages as the indicator tables print completion (36.1%).
const PERCENT_DECIMALS: u32 = 1;
const COMPLETION_COLOUR: &str = "#c00000";
const TIME_PROGRESS_COLOUR: &str = "#7f7f7f";

/// Title, region and month, the paragraph; per indicator a numbered heading, its table with
/// the region's own total in bold, and a bar chart by subregion; at the end the year's
/// progress against 序时进度. In XLSX: sheet "通报" with the title and paragraph, a sheet per
/// indicator with its table and bar chart, sheet "进度" with the line chart; DOCX has no charts.
pub fn document(b: &Bulletin) -> Document {
    let mut blocks = vec![Block::Paragraph(b.paragraph.clone())];
    for (heading, s) in headed_sections(b) {
        blocks.push(Block::Heading {
            text: heading,
            sheet: s.name.clone(),
        });
        let mut rows: Vec<Row> = s.rows.iter().map(|r| Row::new(s.cells(r))).collect();
        rows.push(Row::total(s.cells(&s.total)));
        blocks.push(Block::Table(Table {
            columns: s.columns(),
            rows,
            chart_data: false,
        }));
        blocks.extend(chart(s).map(Block::BarChart));
    }
    blocks.push(Block::Heading {
        text: TREND_TITLE.into(),
        sheet: TREND_SHEET.into(),
    });
    let rows = trend_rows(b);
    blocks.push(Block::Table(Table {
        columns: TREND_COLUMNS.map(String::from).to_vec(),
        rows: rows.iter().map(|r| Row::new(r.to_vec())).collect(),
        chart_data: true,
    }));
    if !rows.is_empty() {
        blocks.push(Block::LineChart(trend_chart(&rows)));
    }
    Document {
        title: b.title.clone(),
        subtitle: format!("{}　{}", b.region_name, month_name(b.month)),
        cover_sheet: COVER_SHEET.into(),
        blocks,
    }
}

fn month_name(m: Month) -> String {
    format!("{}年{}月", m.year(), m.month())
}

/// Each section with its numbered heading, "一、城镇新增就业人数"; a statistic that stands at
/// an earlier month than the bulletin's (a quarterly rate) says which.
fn headed_sections(b: &Bulletin) -> impl Iterator<Item = (String, &Section)> {
    b.sections.iter().enumerate().map(move |(i, s)| {
        let mut heading = format!("{}、{}", chinese_number(i + 1), s.name);
        if s.as_of != b.month {
            heading.push_str(&format!("（{}）", period_name(s.as_of)));
        }
        (heading, s)
    })
}

/// A section's chart: one bar per subregion of [`Section::chart_value`], or `None` when no
/// subregion has a figure to draw.
fn chart(s: &Section) -> Option<BarChart> {
    let bars: Vec<Bar> = s
        .rows
        .iter()
        .map(|r| Bar {
            name: r.name.clone(),
            value: s.chart_value(r),
            label: s.chart_label(r),
        })
        .collect();
    if bars.iter().all(|b| b.value.is_none()) {
        return None;
    }
    let title = match s.measure {
        Measure::Rate => format!("各地区{}（%）", s.name),
        _ if s.charts_completion() => format!("各地区{}完成率（%）", s.name),
        _ => format!("各地区{}（{}）", s.name, s.unit),
    };
    Some(BarChart { title, bars })
}

/// The rows of the progress table, in [`TREND_COLUMNS`] order: percentages as bare figures
/// ("36.1") so a spreadsheet can chart them.
fn trend_rows(b: &Bulletin) -> Vec<[String; 4]> {
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| DASH.to_string());
    b.trend
        .iter()
        .map(|p| {
            [
                format!("{}月", p.month.month()),
                or_dash(p.cumulative.map(|c| c.round(0).to_string())),
                or_dash(
                    p.completion
                        .map(|c| c.round_percent(PERCENT_DECIMALS).to_string()),
                ),
                p.time_progress.round_percent(PERCENT_DECIMALS).to_string(),
            ]
        })
        .collect()
}

/// Cumulative completion against 序时进度, month by month, labelled as the table prints them.
fn trend_chart(rows: &[[String; 4]]) -> LineChart {
    let series = |name: &str, colour, dashed, column: usize| Series {
        name: name.into(),
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
    LineChart {
        title: TREND_CHART_TITLE.into(),
        unit: "%".into(),
        scale: Scale::Percent,
        categories: rows.iter().map(|r| r[0].clone()).collect(),
        series: vec![
            series("完成率", COMPLETION_COLOUR, false, 2),
            series("序时进度", TIME_PROGRESS_COLOUR, true, 3),
        ],
    }
}
