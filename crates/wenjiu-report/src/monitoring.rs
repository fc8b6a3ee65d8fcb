//! The monthly monitoring analysis report (失业动态监测月度分析报告) of a region as a
//! [`Document`]: an opening paragraph on the sample, the month's change, 岗位流失率, the
//! leading decrease reasons and the warnings; then the figures by subregion, industry and
//! ownership type, the decrease types and reasons, the past year's trend, and the month's
//! warnings with their handling.

use wenjiu_core::Month;
use wenjiu_core::indicators::Ratio;
use wenjiu_core::monitoring::Level;
use wenjiu_store::monitoring::summary::{GroupFigures, MonitoringSummary, ReasonCount};
use wenjiu_store::monitoring::warnings::WarningRow;

use crate::document::{
    Bar, BarChart, Block, DASH, Document, LineChart, Row, Scale, Series, Table, chinese_number,
    thousands,
};

pub const TITLE: &str = "失业动态监测月度分析报告";
const COVER_SHEET: &str = "报告";
/// Reasons named in the opening paragraph.
const LEADING_REASONS: usize = 3;
const RATE_COLOUR: &str = "#2f5597";
const NET_CHANGE_COLOUR: &str = "#c00000";

/// "2020年5月" from "2020-05"; the text itself when it is no month.
pub fn month_name(month: &str) -> String {
    match Month::parse(month) {
        Ok(m) => format!("{}年{}月", m.year(), m.month()),
        Err(_) => month.to_string(),
    }
}

/// "辽宁省　2020年5月": the line under the title.
pub fn subtitle(s: &MonitoringSummary) -> String {
    format!("{}　{}", s.region_name, month_name(&s.month))
}

/// The report of `s`, with `warnings` the month's warnings of the region (as
/// [`Store::warnings`](wenjiu_store::Store::warnings) lists them), listed by level (Ⅰ first),
/// then region and people.
pub fn document(s: &MonitoringSummary, warnings: &[WarningRow]) -> Document {
    let mut blocks = vec![Block::Paragraph(paragraph(s))];
    let mut sections = Sections(&mut blocks, 0);

    sections.open("总体情况");
    sections.push(Block::Table(figures_table("地区", &s.subregions, &s.total)));
    if let Some(chart) = loss_chart(&s.subregions) {
        sections.push(Block::BarChart(chart));
    }
    sections.open("分行业");
    sections.push(Block::Table(figures_table("行业", &s.industries, &s.total)));
    sections.open("分经济类型");
    sections.push(Block::Table(figures_table(
        "经济类型",
        &s.ownerships,
        &s.total,
    )));
    sections.open("减员原因");
    sections.push(Block::Table(reasons_table("减员类型", &s.decrease_types)));
    sections.push(Block::Table(reasons_table("主要减员原因", &s.reasons)));
    sections.open("趋势");
    sections.push(Block::Table(trend_table(&s.trend)));
    if !s.trend.is_empty() {
        let (rate, net_change) = trend_charts(&s.trend);
        sections.push(Block::LineChart(rate));
        sections.push(Block::LineChart(net_change));
    }
    sections.open("预警与处置");
    sections.push(Block::Table(levels_table(s)));
    if warnings.is_empty() {
        sections.push(Block::Paragraph("本月无预警。".into()));
    } else {
        sections.push(Block::Table(warnings_table(warnings)));
    }

    Document {
        title: TITLE.into(),
        subtitle: subtitle(s),
        cover_sheet: COVER_SHEET.into(),
        blocks,
    }
}

/// The blocks with numbered section headings, "一、总体情况"; each section its own sheet.
struct Sections<'a>(&'a mut Vec<Block>, usize);

impl Sections<'_> {
    fn open(&mut self, name: &str) {
        self.1 += 1;
        self.0.push(Block::Heading {
            text: format!("{}、{name}", chinese_number(self.1)),
            sheet: name.into(),
        });
    }

    fn push(&mut self, block: Block) {
        self.0.push(block);
    }
}

/// The opening paragraph: the sample and its headcounts, the change on last month, 岗位流失率
/// against the baseline and last month, the leading decrease reasons, and the warnings.
pub fn paragraph(s: &MonitoringSummary) -> String {
    let t = &s.total;
    // Returned reports are counted as reported but left out of the figures until corrected.
    let returned = s.reported - t.enterprises;
    let returned = if returned > 0 {
        format!(
            "（其中退回待更正{}户，未计入以下数据）",
            thousands(returned)
        )
    } else {
        String::new()
    };
    // Baseline and headcount of the same enterprises (those counted), so that their
    // difference is the loss the rate states; the whole sample's baseline is said apart.
    let mut text = format!(
        "{}，{}纳入失业动态监测的企业{}户，建档期就业人数{}人；本月上报{}户{returned}。\
         上报企业建档期就业人数{}人，调查期就业人数{}人，",
        month_name(&s.month),
        s.region_name,
        thousands(s.sample),
        thousands(s.sample_baseline),
        thousands(s.reported),
        thousands(t.baseline),
        thousands(t.headcount),
    );
    let change = match t.net_change {
        0 => "与上月持平".to_string(),
        n if n > 0 => format!("比上月增加{}人", thousands(n)),
        n => format!("比上月减少{}人", thousands(-n)),
    };
    text.push_str(&format!(
        "{change}（新增就业{}人，减少就业{}人）。",
        thousands(t.new_hires),
        thousands(t.decrease)
    ));
    let rates: Vec<String> = [
        ("与建档期相比", &t.loss_rate_pct),
        ("与上月相比", &t.monthly_loss_rate_pct),
    ]
    .into_iter()
    .filter_map(|(against, pct)| pct.as_ref().map(|p| format!("{against}为{p}%")))
    .collect();
    if !rates.is_empty() {
        text.push_str(&format!("岗位流失率{}。", rates.join("，")));
    }
    let lost: i64 = s.reasons.iter().map(|r| r.people).sum();
    let leading: Vec<String> = s
        .reasons
        .iter()
        .filter(|r| r.people > 0)
        .take(LEADING_REASONS)
        .map(|r| {
            let share = share(r.people, lost).map_or_else(String::new, |p| format!("，占{p}%"));
            format!("{}（{}人{share}）", r.label, thousands(r.people))
        })
        .collect();
    if leading.is_empty() {
        text.push_str("本月无减员企业报告减员原因。");
    } else {
        text.push_str(&format!("减员原因主要是{}。", leading.join("、")));
    }
    let total: i64 = s.warnings.iter().map(|w| w.total).sum();
    if total == 0 {
        text.push_str("本月未发出预警。");
    } else {
        let levels: Vec<String> = s
            .warnings
            .iter()
            .map(|w| format!("{}{}条", w.label, w.total))
            .collect();
        let open: i64 = s.warnings.iter().map(|w| w.open).sum();
        text.push_str(&format!(
            "本月发出预警{total}条，其中{}，尚未办结{open}条。",
            levels.join("、")
        ));
    }
    text
}

/// `part` of `whole` in percent at one decimal, "38.5".
fn share(part: i64, whole: i64) -> Option<String> {
    Ratio::of_counts(part, whole).map(|r| r.round_percent(1).to_string())
}

const FIGURE_COLUMNS: [&str; 9] = [
    "监测企业（户）",
    "建档期就业人数",
    "上月就业人数",
    "调查期就业人数",
    "新增就业人数",
    "减少就业人数",
    "净变化",
    "岗位流失率（较建档期，%）",
    "岗位流失率（较上月，%）",
];

fn figure_cells(name: &str, g: &GroupFigures) -> Vec<String> {
    let pct = |p: &Option<String>| p.clone().unwrap_or_else(|| DASH.to_string());
    vec![
        name.to_string(),
        thousands(g.enterprises),
        thousands(g.baseline),
        thousands(g.previous),
        thousands(g.headcount),
        thousands(g.new_hires),
        thousands(g.decrease),
        thousands(g.net_change),
        pct(&g.loss_rate_pct),
        pct(&g.monthly_loss_rate_pct),
    ]
}

/// One row per group, then the region's total in bold.
fn figures_table(first: &str, groups: &[GroupFigures], total: &GroupFigures) -> Table {
    let mut rows: Vec<Row> = groups
        .iter()
        .map(|g| Row::new(figure_cells(&g.name, g)))
        .collect();
    rows.push(Row::total(figure_cells("合计", total)));
    Table {
        columns: columns(first, &FIGURE_COLUMNS),
        rows,
        chart_data: false,
    }
}

fn columns(first: &str, rest: &[&str]) -> Vec<String> {
    std::iter::once(first)
        .chain(rest.iter().copied())
        .map(String::from)
        .collect()
}

/// 岗位流失率 against the baseline by subregion; `None` without a subregion to draw.
fn loss_chart(groups: &[GroupFigures]) -> Option<BarChart> {
    let bars: Vec<Bar> = groups
        .iter()
        .map(|g| Bar {
            name: g.name.clone(),
            value: g.loss_rate.map(|r| r.to_f64() * 100.0),
            label: g
                .loss_rate_pct
                .as_ref()
                .map_or_else(|| DASH.to_string(), |p| format!("{p}%")),
        })
        .collect();
    bars.iter().any(|b| b.value.is_some()).then(|| BarChart {
        title: "各地区岗位流失率（较建档期，%）".into(),
        bars,
    })
}

/// Each type or reason with its enterprises, people and share of the people, largest first.
fn reasons_table(first: &str, counts: &[ReasonCount]) -> Table {
    let people: i64 = counts.iter().map(|c| c.people).sum();
    let mut rows: Vec<Row> = counts
        .iter()
        .map(|c| {
            Row::new(vec![
                c.label.clone(),
                thousands(c.enterprises),
                thousands(c.people),
                share(c.people, people).unwrap_or_else(|| DASH.to_string()),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        "合计".into(),
        thousands(counts.iter().map(|c| c.enterprises).sum()),
        thousands(people),
        share(people, people).unwrap_or_else(|| DASH.to_string()),
    ]));
    Table {
        columns: columns(first, &["减员企业（户）", "减少人数", "占比（%）"]),
        rows,
        chart_data: false,
    }
}

fn trend_table(trend: &[GroupFigures]) -> Table {
    let rows = trend
        .iter()
        .map(|g| {
            let mut cells = figure_cells(&month_name(&g.code), g);
            cells.remove(3); // 上月就业人数: the row above
            cells.remove(2); // 建档期就业人数
            Row::new(cells)
        })
        .collect();
    let mut columns = columns("月份", &FIGURE_COLUMNS);
    columns.drain(2..4);
    Table {
        columns,
        rows,
        chart_data: false,
    }
}

/// 岗位流失率 against the baseline and the net change on last month, month by month: two
/// charts, as their scales differ. Each month compares its reporting enterprises with their
/// own baseline and last month, so fewer enterprises reporting is no fall (summed headcounts
/// of different sets of enterprises would be). The months read "5月", the period is in the
/// title.
fn trend_charts(trend: &[GroupFigures]) -> (LineChart, LineChart) {
    let categories: Vec<String> = trend
        .iter()
        .map(|g| match Month::parse(&g.code) {
            Ok(m) => format!("{}月", m.month()),
            Err(_) => g.code.clone(),
        })
        .collect();
    let period = match (trend.first(), trend.last()) {
        (Some(first), Some(last)) if trend.len() > 1 => {
            format!("{}—{}", month_name(&first.code), month_name(&last.code))
        }
        _ => trend
            .first()
            .map_or_else(String::new, |g| month_name(&g.code)),
    };
    let chart = |title: &str, unit: &str, name: &str, colour, points| LineChart {
        title: format!("{period}{title}"),
        unit: unit.into(),
        scale: Scale::Fit,
        categories: categories.clone(),
        series: vec![Series {
            name: name.into(),
            colour,
            dashed: false,
            points,
        }],
    };
    let rates = trend
        .iter()
        .map(|g| {
            let pct = g.loss_rate_pct.as_deref()?;
            Some((pct.parse::<f64>().ok()?, format!("{pct}%")))
        })
        .collect();
    let net = trend
        .iter()
        .map(|g| Some((g.net_change as f64, compact(g.net_change))))
        .collect();
    (
        chart(
            "岗位流失率（较建档期，%）",
            "%",
            "岗位流失率",
            RATE_COLOUR,
            rates,
        ),
        chart(
            "就业人数月度净变化（人）",
            "人",
            "净变化",
            NET_CHANGE_COLOUR,
            net,
        ),
    )
}

/// A point's label: "196.9万" from 100,000 up (a full figure would run into its neighbours),
/// else the figure with separators.
fn compact(n: i64) -> String {
    if n.abs() >= 100_000 {
        let wan = Ratio::of_counts(n, 10_000).expect("nonzero").round(1);
        format!("{wan}万")
    } else {
        thousands(n)
    }
}

/// Warnings of the month by level: issued and not yet closed.
fn levels_table(s: &MonitoringSummary) -> Table {
    let mut rows: Vec<Row> = s
        .warnings
        .iter()
        .map(|w| Row::new(vec![w.label.clone(), thousands(w.total), thousands(w.open)]))
        .collect();
    rows.push(Row::total(vec![
        "合计".into(),
        thousands(s.warnings.iter().map(|w| w.total).sum()),
        thousands(s.warnings.iter().map(|w| w.open).sum()),
    ]));
    Table {
        columns: columns("预警级别", &["预警数（条）", "未办结（条）"]),
        rows,
        chart_data: false,
    }
}

fn warnings_table(warnings: &[WarningRow]) -> Table {
    let mut warnings: Vec<&WarningRow> = warnings.iter().collect();
    // Level::ALL runs from Ⅰ down; an unknown level goes last.
    let order = |w: &WarningRow| Level::ALL.iter().position(|l| l.code() == w.level);
    warnings.sort_by_key(|w| {
        (
            order(w).unwrap_or(Level::ALL.len()),
            w.region.clone(),
            std::cmp::Reverse(w.people),
            w.id,
        )
    });
    Table {
        columns: columns("级别", &["地区", "企业", "涉及人数", "情况", "处置状态"]),
        rows: warnings
            .iter()
            .map(|w| {
                Row::new(vec![
                    w.level_label.clone(),
                    w.region_name.clone(),
                    w.enterprise_name.clone().unwrap_or_else(|| DASH.into()),
                    thousands(w.people),
                    w.detail.clone(),
                    w.status_label.clone(),
                ])
            })
            .collect(),
        chart_data: false,
    }
}

#[cfg(test)]
#[path = "monitoring_tests.rs"]
mod tests;
