//! The opening paragraph of the monthly bulletin (月通报), in the words of the seed's section 一:
//! new urban employment against its target and 序时进度, the surveyed and the registered
//! unemployment rates against their control targets. Pure: figures in, text out.
//!
//! Punctuation is the seed's own, copied from the published text: ASCII `,` `;` `(` `)` with the
//! ideographic full stop `。`.

use serde::{Deserialize, Serialize};

use super::format::{
    format_control_target, format_headcount, format_headcount_compact, stated_difference, worded,
};
use super::{ControlTarget, CountProgress, RateProgress, Ratio};
use crate::{Month, RegionCode, RegionLevel};

/// Decimals of the percentages the seed prints (36.1%, 41.7%, 5.6个百分点, 21.2%, 6.5%).
const PERCENT_DECIMALS: u32 = 1;
/// The registered rate and its margin to the control target are printed with two (4.24%,
/// 0.26个百分点); its year-on-year change with one (0.2个百分点), as in the seed.
const REGISTERED_DECIMALS: u32 = 2;

/// Everything the paragraph states for one region and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinFigures {
    pub region: RegionCode,
    /// The month reported on ("截至5月末").
    pub month: Month,
    pub new_employment: NewEmploymentFigures,
    /// Not published for every region (cities and counties often have none).
    pub surveyed_unemployment: Option<SurveyedRateFigures>,
    pub registered_unemployment: Option<RegisteredRateFigures>,
}

/// 城镇新增就业, January to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEmploymentFigures {
    pub cumulative: i64,
    pub annual_target: Option<i64>,
    /// January to the same month of last year.
    pub last_year_cumulative: Option<i64>,
    /// The figures are 城镇新就业, before natural attrition, which is supplied only for a
    /// region above (by city): stated as such, without a target to measure them against.
    #[serde(default)]
    pub before_attrition: bool,
}

/// 城镇调查失业率, imported from the statistics bureau for its own period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyedRateFigures {
    pub rate: Ratio,
    /// The period the rate refers to when it is not the month itself, e.g. "一季度".
    pub period: Option<String>,
    pub control_target: Option<ControlTarget>,
    /// Rank among the regions of the next level up (provinces in the country: 全国第8位).
    pub rank: Option<u32>,
}

/// 城镇登记失业率 in the month (computed from counts, see
/// [`RateParts`](super::RateParts)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredRateFigures {
    pub rate: Ratio,
    /// The same month of last year.
    pub last_year_rate: Option<Ratio>,
    pub control_target: Option<ControlTarget>,
}

/// "全省" for a province, "全市" for a city, "全县"/"全区"/"全旗"/"全州"/"全盟"/"全地区" by the
/// division's name: how an official text names the whole of its own region.
pub fn collective_term(region: RegionCode) -> String {
    let name = region.name();
    if name.ends_with("地区") {
        return "全地区".to_string();
    }
    match name.chars().last() {
        Some(c @ ('省' | '市' | '县' | '区' | '旗' | '州' | '盟')) => format!("全{c}"),
        _ => "全区".to_string(),
    }
}

/// The field a region's rank is taken in: "全国" for a province, otherwise the enclosing
/// division named as in [`collective_term`] ("全省" for a city). Grouping levels of the table
/// (市辖区 of a municipality) are skipped.
pub fn rank_scope(region: RegionCode) -> String {
    if region.level() == RegionLevel::Province {
        return "全国".to_string();
    }
    let mut parent = region.parent();
    while let Some(p) = parent.filter(|p| p.is_placeholder()) {
        parent = p.parent();
    }
    parent.map_or_else(|| "全国".to_string(), collective_term)
}

/// The paragraph for `f`, e.g. for Liaoning at the end of May 2020:
/// "截至5月末,全省城镇新增就业15.2万人,完成全年目标(42万人)的36.1%,低于序时进度(41.7%)
/// 5.6个百分点,同比减少21.2%;城镇调查失业率为6.5%(一季度),高于5.5%左右的年度控制目标,
/// 列全国第8位。城镇登记失业率4.24%,低于年度控制目标(4.5%)0.26个百分点,同比增加了0.2个百分点。"
///
/// Every word of comparison follows the figures: 高于/低于 序时进度 and the control target,
/// 增加/减少 year on year, 持平 when the printed difference is zero. Figures that are missing
/// leave their clause out: no target, no completion or 序时进度; no positive base last year, no
/// year-on-year change (a percentage of nothing is not a number); no rank, no rank.
pub fn paragraph(f: &BulletinFigures) -> String {
    let mut text = format!("截至{}月末,", f.month.month());
    text.push_str(&new_employment_clauses(f).join(","));
    if let Some(s) = &f.surveyed_unemployment {
        text.push(';');
        text.push_str(&surveyed_clauses(s, f.region).join(","));
    }
    text.push('。');
    if let Some(r) = &f.registered_unemployment {
        text.push_str(&registered_clauses(r).join(","));
        text.push('。');
    }
    text
}

fn new_employment_clauses(f: &BulletinFigures) -> Vec<String> {
    let n = &f.new_employment;
    let p = CountProgress::new(
        f.month,
        n.cumulative,
        n.annual_target,
        n.last_year_cumulative,
    );
    let mut clauses = vec![if n.before_attrition {
        format!(
            "{}城镇新就业{}(未扣除自然减员)",
            collective_term(f.region),
            format_headcount(p.cumulative)
        )
    } else {
        format!(
            "{}城镇新增就业{}",
            collective_term(f.region),
            format_headcount(p.cumulative)
        )
    }];
    if let (Some(target), Some(completion)) = (p.annual_target, p.completion) {
        let done = completion.round_percent(PERCENT_DECIMALS);
        let time = p.time_progress.round_percent(PERCENT_DECIMALS);
        clauses.push(format!(
            "完成全年目标({})的{done}%",
            format_headcount_compact(target)
        ));
        // Both percentages are printed, so the gap is their printed difference.
        let gap = stated_difference(completion, p.time_progress, PERCENT_DECIMALS);
        clauses.push(match worded(gap, "高于", "低于") {
            Some((word, size)) => format!("{word}序时进度({time}%){size}个百分点"),
            None => format!("与序时进度({time}%)持平"),
        });
    }
    if let Some(yoy) = p.yoy {
        clauses.push(yoy_clause(
            yoy.round_percent(PERCENT_DECIMALS),
            "增加",
            "减少",
            "%",
        ));
    }
    clauses
}

fn surveyed_clauses(s: &SurveyedRateFigures, region: RegionCode) -> Vec<String> {
    let rate = s.rate.round_percent(PERCENT_DECIMALS);
    let period = s
        .period
        .as_ref()
        .map(|p| format!("({p})"))
        .unwrap_or_default();
    let mut clauses = vec![format!("城镇调查失业率为{rate}%{period}")];
    if let Some(target) = &s.control_target {
        let named = format_control_target(target);
        // Compared as printed, so the word agrees with the two figures the reader sees.
        let diff = rate
            .checked_sub(target.rate.round_percent(REGISTERED_DECIMALS))
            .expect("比值运算溢出");
        clauses.push(match worded(diff, "高于", "低于") {
            Some((word, _)) => format!("{word}{named}的年度控制目标"),
            None => format!("与{named}的年度控制目标持平"),
        });
    }
    if let Some(rank) = s.rank {
        clauses.push(format!("列{}第{rank}位", rank_scope(region)));
    }
    clauses
}

fn registered_clauses(r: &RegisteredRateFigures) -> Vec<String> {
    let p = RateProgress::new(r.rate, r.last_year_rate, r.control_target);
    let rate = p.rate.round_percent(REGISTERED_DECIMALS);
    let mut clauses = vec![format!("城镇登记失业率{rate}%")];
    if let Some(target) = &p.control_target {
        let named = format_control_target(target);
        let margin = stated_difference(p.rate, target.rate, REGISTERED_DECIMALS);
        clauses.push(match worded(margin, "高于", "低于") {
            Some((word, size)) => format!("{word}年度控制目标({named}){size}个百分点"),
            None => format!("与年度控制目标({named})持平"),
        });
    }
    if let Some(points) = p.yoy_points {
        // Last year's rate is not printed, so the exact difference is rounded.
        let points = points.round_percent(PERCENT_DECIMALS);
        clauses.push(yoy_clause(points, "增加了", "减少了", "个百分点"));
    }
    clauses
}

fn yoy_clause(change: super::Rounded, up: &str, down: &str, unit: &str) -> String {
    match worded(change, up, down) {
        Some((word, size)) => format!("同比{word}{size}{unit}"),
        None => "与上年同期持平".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::RateParts;

    /// The seed's sentence, copied byte for byte from seed/000_e0e69d5198081a4e.txt, section 一.
    const SEED: &str = "截至5月末,全省城镇新增就业15.2万人,完成全年目标(42万人)的36.1%,低于序时进度(41.7%)5.6个百分点,同比减少21.2%;城镇调查失业率为6.5%(一季度),高于5.5%左右的年度控制目标,列全国第8位。城镇登记失业率4.24%,低于年度控制目标(4.5%)0.26个百分点,同比增加了0.2个百分点。";

    fn region(code: &str) -> RegionCode {
        RegionCode::parse(code).unwrap()
    }

    fn pct(units: i64, decimals: u32) -> Ratio {
        Ratio::from_percent(units, decimals)
    }

    /// Liaoning, end of May 2020, with inputs that reproduce the seed.
    ///
    /// - 城镇新增就业 151,600, not 152,000: the seed's "15.2万" is itself rounded, and
    ///   152,000 / 420,000 = 36.19% would print 36.2%, not the seed's 36.1%. Printing both
    ///   15.2万 and 36.1% needs 151,500 ≤ n < 151,830; 151,600 gives 36.10%, and its exact gap
    ///   to 5/12 (−5.57 pp) rounds to the seed's 5.6 as well.
    /// - Last year 192,386: −21.2% needs (n − L)/L in (−21.25%, −21.15%], i.e. L in
    ///   192,264..=192,507 for n = 151,600; 192,386 is nearest to n / 0.788, giving −21.2003%.
    /// - Registered: 265,000 / (5,985,000 + 265,000) = 4.24% exactly; last year 252,500 /
    ///   (5,997,500 + 252,500) = 4.04% exactly.
    fn liaoning_may_2020() -> BulletinFigures {
        let this = RateParts::registered_unemployment(265_000, 5_985_000);
        let last = RateParts::registered_unemployment(252_500, 5_997_500);
        BulletinFigures {
            region: region("210000"),
            month: Month::new(2020, 5).unwrap(),
            new_employment: NewEmploymentFigures {
                cumulative: 151_600,
                annual_target: Some(420_000),
                last_year_cumulative: Some(192_386),
                before_attrition: false,
            },
            surveyed_unemployment: Some(SurveyedRateFigures {
                rate: pct(65, 1),
                period: Some("一季度".into()),
                control_target: Some(ControlTarget::approximate(pct(55, 1))),
                rank: Some(8),
            }),
            registered_unemployment: Some(RegisteredRateFigures {
                rate: this.rate().unwrap(),
                last_year_rate: last.rate(),
                control_target: Some(ControlTarget::exact(pct(45, 1))),
            }),
        }
    }

    #[test]
    fn golden_liaoning_may_2020() {
        let f = liaoning_may_2020();
        assert_eq!(f.registered_unemployment.unwrap().rate, pct(424, 2));
        assert_eq!(
            f.registered_unemployment.unwrap().last_year_rate,
            Some(pct(404, 2))
        );
        assert_eq!(paragraph(&f), SEED);
    }

    #[test]
    fn the_last_year_base_range_is_as_stated() {
        let yoy = |last| {
            super::super::yoy_count(151_600, Some(last))
                .unwrap()
                .round_percent(1)
                .to_string()
        };
        assert_eq!(yoy(192_263), "-21.1");
        assert_eq!(yoy(192_264), "-21.2");
        assert_eq!(yoy(192_386), "-21.2");
        assert_eq!(yoy(192_507), "-21.2");
        assert_eq!(yoy(192_508), "-21.3");
    }

    #[test]
    fn a_city_is_全市_and_ranks_in_its_province() {
        let mut f = liaoning_may_2020();
        f.region = region("210100");
        let text = paragraph(&f);
        assert!(
            text.starts_with("截至5月末,全市城镇新增就业15.2万人,"),
            "{text}"
        );
        assert!(text.contains(",列全省第8位。"), "{text}");
        assert_eq!(collective_term(region("210102")), "全区");
        assert_eq!(rank_scope(region("210102")), "全市");
        assert_eq!(collective_term(region("110000")), "全市");
        assert_eq!(rank_scope(region("110101")), "全市"); // 东城区, past the 市辖区 level
        assert_eq!(collective_term(region("150000")), "全区"); // 内蒙古自治区
        assert_eq!(collective_term(region("152200")), "全盟"); // 兴安盟
        assert_eq!(collective_term(region("652900")), "全地区"); // 阿克苏地区
        assert_eq!(collective_term(region("222400")), "全州"); // 延边朝鲜族自治州
        assert_eq!(collective_term(region("210224")), "全县"); // 长海县
        assert_eq!(collective_term(region("150121")), "全旗"); // 土默特左旗
    }

    #[test]
    fn ahead_of_schedule_and_control_target_exceeded() {
        let mut f = liaoning_may_2020();
        f.new_employment.cumulative = 200_000; // 47.6% against 41.7%
        f.new_employment.last_year_cumulative = Some(180_000);
        let s = f.surveyed_unemployment.as_mut().unwrap();
        s.rate = pct(52, 1);
        s.period = None;
        s.rank = None;
        f.registered_unemployment = Some(RegisteredRateFigures {
            rate: pct(46, 1),
            last_year_rate: Some(pct(47, 1)),
            control_target: Some(ControlTarget::exact(pct(45, 1))),
        });
        assert_eq!(
            paragraph(&f),
            "截至5月末,全省城镇新增就业20.0万人,完成全年目标(42万人)的47.6%,高于序时进度(41.7%)5.9个百分点,同比增加11.1%;城镇调查失业率为5.2%,低于5.5%左右的年度控制目标。城镇登记失业率4.60%,高于年度控制目标(4.5%)0.10个百分点,同比减少了0.1个百分点。"
        );
    }

    #[test]
    fn month_twelve_target_exactly_met_and_flat_figures() {
        let f = BulletinFigures {
            region: region("210000"),
            month: Month::new(2020, 12).unwrap(),
            new_employment: NewEmploymentFigures {
                cumulative: 420_000,
                annual_target: Some(420_000),
                last_year_cumulative: Some(420_000),
                before_attrition: false,
            },
            surveyed_unemployment: Some(SurveyedRateFigures {
                rate: pct(55, 1),
                period: Some("12月".into()),
                control_target: Some(ControlTarget::approximate(pct(55, 1))),
                rank: Some(1),
            }),
            registered_unemployment: Some(RegisteredRateFigures {
                rate: pct(45, 1),
                last_year_rate: Some(pct(45, 1)),
                control_target: Some(ControlTarget::exact(pct(45, 1))),
            }),
        };
        assert_eq!(
            paragraph(&f),
            "截至12月末,全省城镇新增就业42.0万人,完成全年目标(42万人)的100.0%,与序时进度(100.0%)持平,与上年同期持平;城镇调查失业率为5.5%(12月),与5.5%左右的年度控制目标持平,列全国第1位。城镇登记失业率4.50%,与年度控制目标(4.5%)持平,与上年同期持平。"
        );
    }

    #[test]
    fn month_one() {
        let mut f = liaoning_may_2020();
        f.month = Month::new(2020, 1).unwrap();
        f.new_employment.cumulative = 30_000;
        f.new_employment.last_year_cumulative = Some(32_000);
        let text = paragraph(&f);
        assert!(
            text.starts_with("截至1月末,全省城镇新增就业3.0万人,完成全年目标(42万人)的7.1%,低于序时进度(8.3%)1.2个百分点,同比减少6.3%;"),
            "{text}"
        );
    }

    #[test]
    fn zero_base_last_year_and_no_target_leave_their_clauses_out() {
        let mut f = liaoning_may_2020();
        f.new_employment = NewEmploymentFigures {
            cumulative: 8_765,
            annual_target: None,
            last_year_cumulative: Some(0),
            before_attrition: false,
        };
        f.surveyed_unemployment = None;
        f.registered_unemployment = Some(RegisteredRateFigures {
            rate: pct(424, 2),
            last_year_rate: None,
            control_target: None,
        });
        assert_eq!(
            paragraph(&f),
            "截至5月末,全省城镇新增就业8765人。城镇登记失业率4.24%。"
        );
        f.registered_unemployment = None;
        f.new_employment.annual_target = Some(0); // a zero target is no target
        f.new_employment.last_year_cumulative = None;
        assert_eq!(paragraph(&f), "截至5月末,全省城镇新增就业8765人。");
    }

    #[test]
    fn small_targets_print_in_persons() {
        let mut f = liaoning_may_2020();
        f.region = region("210224");
        f.new_employment = NewEmploymentFigures {
            cumulative: 1_900,
            annual_target: Some(5_000),
            last_year_cumulative: Some(2_000),
            before_attrition: false,
        };
        f.surveyed_unemployment = None;
        f.registered_unemployment = None;
        assert_eq!(
            paragraph(&f),
            "截至5月末,全县城镇新增就业1900人,完成全年目标(5000人)的38.0%,低于序时进度(41.7%)3.7个百分点,同比减少5.0%。"
        );
        // Natural attrition supplied by city only: the county's new jobs, said to be before it.
        f.new_employment.before_attrition = true;
        f.new_employment.annual_target = None;
        assert_eq!(
            paragraph(&f),
            "截至5月末,全县城镇新就业1900人(未扣除自然减员),同比减少5.0%。"
        );
    }

    #[test]
    fn figures_serde_round_trip() {
        let f = liaoning_may_2020();
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["region"], "210000");
        assert_eq!(json["month"], "2020-05");
        assert_eq!(json["registered_unemployment"]["rate"], "53/1250");
        let back: BulletinFigures = serde_json::from_value(json).unwrap();
        assert_eq!(back, f);
    }
}
