//! The analysis report of a hand-built month: its paragraph word for word, and each format
//! read back.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use wenjiu_core::monitoring::Figures;
use wenjiu_store::monitoring::summary::{GroupFigures, LevelCount, ReasonCount};

use super::*;
use crate::tests::{part, unzip, word_texts};
use crate::{docx, html, xlsx};

fn figures(
    enterprises: i64,
    baseline: i64,
    previous: i64,
    new_hires: i64,
    decrease: i64,
) -> Figures {
    Figures {
        enterprises,
        baseline,
        previous,
        headcount: previous + new_hires - decrease,
        new_hires,
        decrease,
    }
}

fn group(code: &str, name: &str, f: Figures) -> GroupFigures {
    GroupFigures::new(code.into(), name.into(), f)
}

fn reason(label: &str, enterprises: i64, people: i64) -> ReasonCount {
    ReasonCount {
        code: label.into(),
        label: label.into(),
        enterprises,
        people,
    }
}

fn level(level: &str, label: &str, total: i64, open: i64) -> LevelCount {
    LevelCount {
        level: level.into(),
        label: label.into(),
        open,
        total,
    }
}

/// Liaoning in May 2020: 5,464 enterprises in the sample with 2,000,000 people at baseline,
/// 5,400 reported with 1,969,000; 沈阳 and 大连 make up the province.
fn liaoning() -> MonitoringSummary {
    let shenyang = figures(3000, 1_100_000, 1_076_666, 700, 2_410);
    let dalian = figures(2400, 869_000, 850_000, 500, 2_000);
    let total = figures(5400, 1_969_000, 1_926_666, 1_200, 4_410);
    let trend = (0..13)
        .map(|i| {
            let month = wenjiu_core::Month::new(2019, 5)
                .unwrap()
                .add_months(i)
                .to_string();
            let previous = 1_969_000 - 3_000 * i64::from(i);
            group(
                &month,
                &month,
                figures(5400, 1_969_000, previous, 1_000, 4_000),
            )
        })
        .collect();
    MonitoringSummary {
        region: "210000".into(),
        region_name: "辽宁省".into(),
        month: "2020-05".into(),
        sample: 5464,
        sample_baseline: 2_000_000,
        reported: 5400,
        total: group("210000", "辽宁省", total),
        subregions: vec![
            group("210100", "沈阳市", shenyang),
            group("210200", "大连市", dalian),
        ],
        subregion_warnings: vec![],
        industries: vec![group("C", "制造业", total)],
        ownerships: vec![group("private", "私营企业", total)],
        decrease_types: vec![
            reason("经济性裁员", 30, 2_500),
            reason("合同到期", 40, 1_910),
        ],
        reasons: vec![
            reason("生产经营困难", 20, 2_000),
            reason("订单减少", 15, 1_500),
            reason("合同到期", 30, 500),
            reason("其他", 5, 410),
        ],
        trend,
        warnings: vec![
            level("red", "Ⅰ级（红色）", 1, 1),
            level("orange", "Ⅱ级（橙色）", 3, 2),
            level("yellow", "Ⅲ级（黄色）", 8, 2),
        ],
    }
}

fn warning(
    level: &str,
    level_label: &str,
    enterprise: Option<&str>,
    people: i64,
    detail: &str,
) -> WarningRow {
    WarningRow {
        id: 1,
        rule: "enterprise_loss".into(),
        rule_name: "单个企业减员".into(),
        level: level.into(),
        level_label: level_label.into(),
        month: "2020-05".into(),
        region: "210102".into(),
        region_name: "辽宁省沈阳市和平区".into(),
        enterprise_id: enterprise.map(|_| 7),
        enterprise_name: enterprise.map(String::from),
        people,
        rate_pct: None,
        detail: detail.into(),
        recipients: vec!["county".into(), "city".into(), "province".into()],
        status: "open".into(),
        status_label: "待签收".into(),
        resettled: 0,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

fn warnings() -> Vec<WarningRow> {
    vec![
        warning("yellow", "Ⅲ级（黄色）", None, 0, "岗位流失率超过阈值"),
        warning(
            "red",
            "Ⅰ级（红色）",
            Some("沈阳重型机械<有限>公司"),
            230,
            "一次性减员230人",
        ),
    ]
}

#[test]
fn paragraph_states_the_month() {
    assert_eq!(
        paragraph(&liaoning()),
        "2020年5月，辽宁省纳入失业动态监测的企业5,464户，建档期就业人数2,000,000人；本月上报5,400户。\
         上报企业建档期就业人数1,969,000人，调查期就业人数1,923,456人，\
         比上月减少3,210人（新增就业1,200人，减少就业4,410人）。\
         岗位流失率与建档期相比为2.31%，与上月相比为0.17%。\
         减员原因主要是生产经营困难（2,000人，占45.4%）、订单减少（1,500人，占34.0%）、\
         合同到期（500人，占11.3%）。\
         本月发出预警12条，其中Ⅰ级（红色）1条、Ⅱ级（橙色）3条、Ⅲ级（黄色）8条，尚未办结5条。"
    );
}

#[test]
fn paragraph_of_a_quiet_month() {
    let mut s = liaoning();
    s.total = group("210000", "辽宁省", Figures::default());
    s.reasons.clear();
    s.warnings
        .iter_mut()
        .for_each(|w| (w.total, w.open) = (0, 0));
    let text = paragraph(&s);
    // All 5,400 reports returned: none counted.
    assert!(text.contains("本月上报5,400户（其中退回待更正5,400户，未计入以下数据）。"));
    assert!(text.contains("调查期就业人数0人，与上月持平（新增就业0人，减少就业0人）。本月无减员"));
    assert!(!text.contains("岗位流失率"));
    assert!(text.ends_with("本月未发出预警。"));
}

#[test]
fn docx_holds_the_sections_and_tables() {
    let s = liaoning();
    let bytes = docx(&document(&s, &warnings()));
    let mut archive = unzip(&bytes);
    // Every part there and well formed.
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/fontTable.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        word_texts(&part(&mut archive, name));
    }
    let document = part(&mut archive, "word/document.xml");
    let texts = word_texts(&document);
    assert!(texts.contains(&paragraph(&s)));
    assert!(texts.iter().any(|t| t == "沈阳重型机械<有限>公司"));
    for expected in [
        TITLE,
        "辽宁省　2020年5月",
        "一、总体情况",
        "二、分行业",
        "三、分经济类型",
        "四、减员原因",
        "五、趋势",
        "六、预警与处置",
        "1,923,456",
        "沈阳重型机械&lt;有限&gt;公司",
    ] {
        assert!(document.contains(expected), "{expected}");
    }
    // 总体情况, 分行业, 分经济类型, two reason tables, 趋势, levels, warnings.
    assert_eq!(document.matches("<w:tbl>").count(), 8);
    // Figures right-aligned.
    assert!(document.contains(r#"<w:jc w:val="right"/>"#));
}

#[test]
fn xlsx_holds_numbers_and_charts() {
    let s = liaoning();
    let bytes = xlsx(&document(&s, &warnings())).unwrap();
    let mut book = Xlsx::new(Cursor::new(&bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "报告",
            "总体情况",
            "分行业",
            "分经济类型",
            "减员原因",
            "趋势",
            "预警与处置"
        ]
    );
    let cover = book.worksheet_range("报告").unwrap();
    assert_eq!(cover.get_value((0, 0)), Some(&Data::String(TITLE.into())));
    assert_eq!(cover.get_value((2, 0)), Some(&Data::String(paragraph(&s))));

    let overall = book.worksheet_range("总体情况").unwrap();
    // Heading, column headings, 沈阳, 大连, then the total.
    assert_eq!(
        overall.get_value((1, 0)),
        Some(&Data::String("地区".into()))
    );
    assert_eq!(
        overall.get_value((2, 0)),
        Some(&Data::String("沈阳市".into()))
    );
    let total = |c| overall.get_value((4, c)).cloned();
    assert_eq!(total(0), Some(Data::String("合计".into())));
    assert_eq!(total(4), Some(Data::Float(1_923_456.0)));
    assert_eq!(total(7), Some(Data::Float(-3_210.0)));
    assert_eq!(total(8), Some(Data::Float(2.31)));

    let reasons = book.worksheet_range("减员原因").unwrap();
    assert_eq!(
        reasons.get_value((2, 0)),
        Some(&Data::String("经济性裁员".into()))
    );

    // The loss-rate bars and the two trend lines.
    let charts = unzip(&bytes)
        .file_names_raw()
        .filter(|f| f.starts_with(b"xl/charts/chart"))
        .count();
    assert_eq!(charts, 3);
}

#[test]
fn html_holds_tables_and_charts() {
    let s = liaoning();
    let page = html(&document(&s, &warnings()));
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains(&format!("<h1>{TITLE}</h1>")));
    assert!(page.contains(&crate::escape::escape(&paragraph(&s))));
    assert_eq!(page.matches("<table>").count(), 8);
    assert_eq!(page.matches("<svg").count(), 3);
    assert!(page.contains(r#"<td class="n">1,923,456</td>"#));
    assert!(page.contains("<h2>六、预警与处置</h2>"));
    assert!(page.contains("沈阳重型机械&lt;有限&gt;公司"));
    // Level Ⅰ listed first though given last.
    let red = page
        .find("<td>Ⅰ级（红色）</td><td>辽宁省沈阳市和平区</td>")
        .unwrap();
    let yellow = page
        .find("<td>Ⅲ级（黄色）</td><td>辽宁省沈阳市和平区</td>")
        .unwrap();
    assert!(red < yellow);
    // The bars are labelled with the table's percentages, and so is the loss-rate line (the
    // same enterprises' baseline each month, not summed headcounts of whoever reported).
    let shenyang = s.subregions[0].loss_rate_pct.as_deref().unwrap();
    assert_eq!(shenyang, "2.28");
    assert!(page.contains(">2.28%</text>"));
    let may = s.trend.last().unwrap().loss_rate_pct.clone().unwrap();
    assert!(page.contains(&format!(">{may}%</text>")), "{may}");
    assert!(page.contains("<figcaption>2019年5月—2020年5月岗位流失率（较建档期，%）</figcaption>"));
    assert!(page.contains(">5月</text>"));
}

#[test]
fn a_month_without_warnings_or_trend_still_renders() {
    let mut s = liaoning();
    s.trend.clear();
    s.subregions.clear();
    let page = html(&document(&s, &[]));
    assert!(page.contains("本月无预警。"));
    assert_eq!(page.matches("<svg").count(), 0);
    xlsx(&document(&s, &[])).unwrap();
    unzip(&docx(&document(&s, &[])));
}
