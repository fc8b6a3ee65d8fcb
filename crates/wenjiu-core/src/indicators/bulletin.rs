//! The monthly bulletin (月通报) of a region: the opening paragraph, a table per indicator
//! with every subregion (value, target, completion, gap to 序时进度, year on year, rank), and
//! the series its charts draw. Built from [`Values`]; rendered to DOCX, XLSX and HTML by
//! `wenjiu-report`, whose renderers print the cells as [`Section::columns`] and [`Row::cells`]
//! give them, so every format shows the same figures.

use serde::{Deserialize, Serialize};

use super::catalogue::{Indicator, Measure, Origin, codes};
use super::format::{format_control_target, stated_difference};
use super::paragraph::{
    BulletinFigures, NewEmploymentFigures, RegisteredRateFigures, SurveyedRateFigures,
};
use super::values::{Target, Values};
use super::{
    Change, ControlComparison, Direction, Ratio, against_control, gap_to_time_progress, paragraph,
    rank, time_progress,
};
use crate::{Month, RegionCode};

/// Decimals of percentages in tables; the registered rate keeps the seed's two.
const TABLE_DECIMALS: u32 = 1;
const RATE_DECIMALS: u32 = 2;

/// One region's line in an indicator's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub region: RegionCode,
    pub name: String,
    /// Cumulative from January for flows; the month's value otherwise.
    pub value: Option<Ratio>,
    /// The same period of last year.
    pub last_year: Option<Ratio>,
    pub target: Option<Target>,
    /// value / target, for counts with a target.
    pub completion: Option<Ratio>,
    /// completion − 序时进度.
    pub gap: Option<Ratio>,
    /// Against a rate's control target.
    pub against_control: Option<ControlComparison>,
    pub yoy: Option<Change>,
    /// Among the table's subregions (none in the total line).
    pub rank: Option<u32>,
}

/// One indicator's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub measure: Measure,
    pub direction: Direction,
    /// The month the values stand at, where it is not the bulletin's (a quarterly statistic).
    pub as_of: Month,
    /// The region itself.
    pub total: Row,
    pub rows: Vec<Row>,
}

/// A point of the progress chart: cumulative completion against 序时进度, month by month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub month: Month,
    pub cumulative: Option<Ratio>,
    pub completion: Option<Ratio>,
    pub time_progress: Ratio,
    pub last_year_cumulative: Option<Ratio>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bulletin {
    pub region: RegionCode,
    pub region_name: String,
    pub month: Month,
    pub title: String,
    pub paragraph: String,
    pub figures: BulletinFigures,
    /// 城镇新增就业 by month, January to the bulletin's month.
    pub trend: Vec<TrendPoint>,
    pub sections: Vec<Section>,
}

impl Bulletin {
    /// The bulletin of `region` for `month` from the ledger's values.
    pub fn build(values: &Values, region: RegionCode, month: Month) -> Bulletin {
        let sections = values
            .catalogue()
            .iter()
            .filter(|i| i.enabled && i.measure != Measure::Rank)
            .filter(|i| !hidden_component(i))
            .map(|i| section(values, i, region, month))
            .collect();
        let figures = figures(values, region, month);
        Bulletin {
            region,
            region_name: region.full_name(),
            month,
            title: format!(
                "{}就业工作月通报（{}年{}月）",
                region.name(),
                month.year(),
                month.month()
            ),
            paragraph: paragraph(&figures),
            figures,
            trend: trend(values, region, month),
            sections,
        }
    }
}

/// Components that exist only to be combined (自然减员, 从业人员数) get no table of their own
/// unless they carry a target.
fn hidden_component(i: &Indicator) -> bool {
    !i.has_target
        && matches!(
            i.code.as_str(),
            codes::NATURAL_ATTRITION | codes::URBAN_EMPLOYED
        )
}

fn year_ago(month: Month) -> Option<Month> {
    month.year_ago()
}

fn row(values: &Values, ind: &Indicator, region: RegionCode, at: Month, month: Month) -> Row {
    let value = values.reported(&ind.code, region, at);
    let last_year = year_ago(at).and_then(|m| values.reported(&ind.code, region, m));
    let target = ind
        .has_target
        .then(|| values.target(&ind.code, region, month.year()))
        .flatten();
    // Targets of flows are counts to reach; of rates, ceilings not to exceed.
    let completion = match (ind.measure, value, target) {
        (Measure::Flow, Some(v), Some(t)) if t.value.is_positive() => v.checked_div(t.value),
        _ => None,
    };
    let gap = completion.map(|c| gap_to_time_progress(c, month));
    let against = match (ind.measure, value, target) {
        (Measure::Rate, Some(v), Some(t)) => Some(against_control(v, t.value)),
        _ => None,
    };
    let yoy = value.and_then(|v| ind.measure.kind().year_on_year(v, last_year));
    Row {
        region,
        name: region.name().to_string(),
        value,
        last_year,
        target,
        completion,
        gap,
        against_control: against,
        yoy,
        rank: None,
    }
}

fn section(values: &Values, ind: &Indicator, region: RegionCode, month: Month) -> Section {
    // A statistic published less often than monthly stands at its latest period.
    let as_of = if ind.origin == Origin::Supplied && ind.measure == Measure::Rate {
        values
            .latest(&ind.code, region, month)
            .map_or(month, |(m, _)| m)
    } else {
        month
    };
    let mut rows: Vec<Row> = Values::subregions(region)
        .into_iter()
        .map(|r| row(values, ind, r, as_of, month))
        .collect();
    // Counts with targets rank by completion, rates and flows by their value, each as printed,
    // so that figures printed alike share a rank (并列). A stock without a target — people or
    // households at the month's end — says nothing of performance by its size: not ranked.
    let decimals = rate_decimals(&ind.code);
    let keys: Vec<Option<i128>> = rows
        .iter()
        .map(|r| match ind.measure {
            Measure::Rate => r.value.map(|v| v.round_percent(decimals).units()),
            _ if r.target.is_some() => r
                .completion
                .map(|c| c.round_percent(TABLE_DECIMALS).units()),
            Measure::Stock => None,
            Measure::Flow | Measure::Rank => r.value.map(|v| i128::from(whole(v))),
        })
        .collect();
    let direction = if rows.iter().any(|r| r.completion.is_some()) {
        Direction::HigherIsBetter
    } else {
        ind.direction
    };
    for (r, k) in rows.iter_mut().zip(rank(&keys, direction)) {
        r.rank = k;
    }
    Section {
        code: ind.code.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        measure: ind.measure,
        direction: ind.direction,
        as_of,
        total: row(values, ind, region, as_of, month),
        rows,
    }
}

fn trend(values: &Values, region: RegionCode, month: Month) -> Vec<TrendPoint> {
    let code = codes::NEW_URBAN_EMPLOYMENT;
    let target = values.target(code, region, month.year());
    (1..=month.month())
        .map(|m| {
            let m = Month::new(month.year(), m).expect("valid month");
            let cumulative = values.reported(code, region, m);
            TrendPoint {
                month: m,
                cumulative,
                completion: cumulative
                    .zip(target)
                    .and_then(|(c, t)| c.checked_div(t.value)),
                time_progress: time_progress(m),
                last_year_cumulative: year_ago(m).and_then(|y| values.reported(code, region, y)),
            }
        })
        .collect()
}

/// Decimals a rate is printed with: the registered unemployment rate with two, as the seed
/// writes it, others with one.
fn rate_decimals(code: &str) -> u32 {
    if code == codes::REGISTERED_RATE {
        RATE_DECIMALS
    } else {
        TABLE_DECIMALS
    }
}

/// A count as a whole number of people (ledger counts are whole).
fn whole(r: Ratio) -> i64 {
    i64::try_from(r.numer() / r.denom()).unwrap_or(i64::MAX)
}

/// The figures of the opening paragraph.
pub fn figures(values: &Values, region: RegionCode, month: Month) -> BulletinFigures {
    let net = codes::NEW_URBAN_EMPLOYMENT;
    let year = month.year();
    // Without natural attrition for the region (supplied by city), its new jobs before it.
    let before_attrition = values.reported(net, region, month).is_none()
        && values
            .reported(codes::URBAN_NEWLY_EMPLOYED, region, month)
            .is_some();
    let stated = if before_attrition {
        codes::URBAN_NEWLY_EMPLOYED
    } else {
        net
    };
    let new_employment = NewEmploymentFigures {
        cumulative: values.reported(stated, region, month).map_or(0, whole),
        annual_target: (!before_attrition)
            .then(|| values.target(net, region, year).map(|t| whole(t.value)))
            .flatten(),
        last_year_cumulative: year_ago(month)
            .and_then(|m| values.reported(stated, region, m))
            .map(whole),
        before_attrition,
    };
    let surveyed_unemployment =
        values
            .latest(codes::SURVEYED_RATE, region, month)
            .map(|(at, rate)| SurveyedRateFigures {
                rate,
                period: (at != month).then(|| period_name(at)),
                control_target: values
                    .target(codes::SURVEYED_RATE, region, year)
                    .map(|t| t.control()),
                rank: values
                    .value(codes::SURVEYED_RANK, region, at)
                    .map(|r| whole(r) as u32),
            });
    let registered = codes::REGISTERED_RATE;
    let registered_unemployment =
        values
            .value(registered, region, month)
            .map(|rate| RegisteredRateFigures {
                rate,
                last_year_rate: year_ago(month).and_then(|m| values.value(registered, region, m)),
                control_target: values.target(registered, region, year).map(|t| t.control()),
            });
    BulletinFigures {
        region,
        month,
        new_employment,
        surveyed_unemployment,
        registered_unemployment,
    }
}

/// "一季度" for a quarter's last month, otherwise "3月".
pub fn period_name(m: Month) -> String {
    match m.month() {
        3 => "一季度".into(),
        6 => "二季度".into(),
        9 => "三季度".into(),
        12 => "四季度".into(),
        n => format!("{n}月"),
    }
}

impl Section {
    /// Column headings of the table.
    pub fn columns(&self) -> Vec<String> {
        let unit = |s: &str| format!("{s}（{}）", self.unit);
        match self.measure {
            Measure::Flow => vec![
                "地区".into(),
                unit("1月至本月累计"),
                unit("年度目标"),
                "完成率".into(),
                "与序时进度差（百分点）".into(),
                unit("去年同期"),
                "同比".into(),
                "排名".into(),
            ],
            Measure::Stock => vec![
                "地区".into(),
                unit("月末数"),
                unit("去年同期"),
                "同比".into(),
            ],
            Measure::Rate | Measure::Rank => vec![
                "地区".into(),
                "比率".into(),
                "年度控制目标".into(),
                "与控制目标差（百分点）".into(),
                "去年同期".into(),
                "同比（百分点）".into(),
                "排名".into(),
            ],
        }
    }

    /// The printed cells of `row`, in [`Section::columns`] order; "—" where there is no figure.
    pub fn cells(&self, row: &Row) -> Vec<String> {
        let dash = || "—".to_string();
        let count = |v: Option<Ratio>| v.map_or_else(dash, |v| whole(v).to_string());
        let pct =
            |v: Option<Ratio>, d: u32| v.map_or_else(dash, |v| format!("{}%", v.round_percent(d)));
        let d = rate_decimals(&self.code);
        // In points with the rates' own decimals: printed beside both rates, it must be
        // their printed difference (4.06% against 3.89% is 0.17, not 0.2).
        let yoy = match row.yoy {
            Some(Change::Percent(p)) => format!("{}%", p.round_percent(TABLE_DECIMALS)),
            Some(Change::Points(p)) => p.round_percent(d).to_string(),
            None => dash(),
        };
        let rank = row.rank.map_or_else(dash, |r| r.to_string());
        match self.measure {
            Measure::Flow => vec![
                row.name.clone(),
                count(row.value),
                count(row.target.map(|t| t.value)),
                pct(row.completion, TABLE_DECIMALS),
                row.completion.map_or_else(dash, |c| {
                    stated_difference(c, time_progress(self.as_of), TABLE_DECIMALS).to_string()
                }),
                count(row.last_year),
                yoy,
                rank,
            ],
            Measure::Stock => vec![
                row.name.clone(),
                count(row.value),
                count(row.last_year),
                yoy,
            ],
            Measure::Rate | Measure::Rank => {
                vec![
                    row.name.clone(),
                    pct(row.value, d),
                    row.target
                        .map_or_else(dash, |t| format_control_target(&t.control())),
                    match (row.value, row.target) {
                        (Some(v), Some(t)) => stated_difference(v, t.value, d).to_string(),
                        _ => dash(),
                    },
                    pct(row.last_year, d),
                    yoy,
                    rank,
                ]
            }
        }
    }

    /// Whether the section's chart draws completion (a flow whose subregions have targets)
    /// rather than the value: decided once for the section, so one chart never mixes the two.
    pub fn charts_completion(&self) -> bool {
        self.measure == Measure::Flow && self.rows.iter().any(|r| r.target.is_some())
    }

    /// The number a chart draws for `row`: completion in % where
    /// [`Section::charts_completion`], otherwise the value (rates in %). For charts only.
    pub fn chart_value(&self, row: &Row) -> Option<f64> {
        if self.charts_completion() {
            return row.completion.map(|c| c.to_f64() * 100.0);
        }
        match self.measure {
            Measure::Rate => row.value.map(|v| v.to_f64() * 100.0),
            _ => row.value.map(Ratio::to_f64),
        }
    }

    /// The printed figure of what [`Section::chart_value`] draws, as the table prints it, so a
    /// bar's label never rounds differently from its table.
    pub fn chart_label(&self, row: &Row) -> String {
        let cells = self.cells(row);
        // Completion is a flow's fourth column; the value is everyone's second.
        let column = if self.charts_completion() { 3 } else { 1 };
        cells[column].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::builtin;
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn n(v: i64) -> Ratio {
        Ratio::from_integer(v)
    }

    fn liaoning() -> Values {
        let mut v = Values::new(builtin());
        let newly = codes::URBAN_NEWLY_EMPLOYED;
        // 沈阳 and 大连 only; the other twelve cities have no data and no target.
        for (month, sy, dl) in [(1, 20_000, 18_000), (2, 5_000, 4_600), (5, 40_000, 64_000)] {
            v.insert(newly, rc("210102"), m(2020, month), n(sy));
            v.insert(newly, rc("210202"), m(2020, month), n(dl));
        }
        v.insert(newly, rc("210102"), m(2019, 5), n(100_000));
        v.insert(newly, rc("210202"), m(2019, 5), n(92_386));
        let target = |t: i64| Target {
            value: n(t),
            approximate: false,
        };
        let net = codes::NEW_URBAN_EMPLOYMENT;
        v.set_target(net, rc("210000"), 2020, target(420_000));
        v.set_target(net, rc("210100"), 2020, target(200_000));
        v.set_target(net, rc("210200"), 2020, target(220_000));
        v
    }

    #[test]
    fn table_rows_rank_by_completion() {
        let b = Bulletin::build(&liaoning(), rc("210000"), m(2020, 5));
        let s = b
            .sections
            .iter()
            .find(|s| s.code == codes::NEW_URBAN_EMPLOYMENT)
            .unwrap();
        assert_eq!(s.rows.len(), 14);
        assert_eq!(s.total.value, Some(n(151_600)));
        let shenyang = &s.rows[0];
        assert_eq!(shenyang.value, Some(n(65_000)));
        assert_eq!(
            s.cells(&s.total),
            [
                "辽宁省",
                "151600",
                "420000",
                "36.1%",
                "-5.6",
                "192386",
                "-21.2%",
                "—"
            ]
        );
        let dalian = &s.rows[1];
        assert_eq!(dalian.value, Some(n(86_600)));
        // 沈阳 32.5% vs 大连 39.4%: 大连 first.
        assert_eq!((shenyang.rank, dalian.rank), (Some(2), Some(1)));
        // A city without data or target is listed, unranked.
        assert_eq!(
            s.cells(&s.rows[2])[1..],
            ["—", "—", "—", "—", "—", "—", "—"]
        );
        assert!(
            b.paragraph
                .starts_with("截至5月末,全省城镇新增就业15.2万人")
        );
        assert_eq!(b.trend.len(), 5);
        assert_eq!(b.trend[2].cumulative, Some(n(47_600)));
    }

    /// Natural attrition supplied by city: the city's 城镇新增就业 deducts it; a district's is
    /// not known, so its bulletin states its new jobs as before attrition, not as the net.
    #[test]
    fn attrition_by_city_leaves_districts_without_a_net_figure() {
        let mut v = liaoning();
        v.insert(codes::NATURAL_ATTRITION, rc("210100"), m(2020, 5), n(1_000));
        let net = codes::NEW_URBAN_EMPLOYMENT;
        assert_eq!(v.value(net, rc("210100"), m(2020, 5)), Some(n(39_000)));
        assert_eq!(v.value(net, rc("210102"), m(2020, 5)), None);
        // Months without attrition anywhere deduct nothing.
        assert_eq!(v.value(net, rc("210102"), m(2020, 1)), Some(n(20_000)));
        let district = Bulletin::build(&v, rc("210102"), m(2020, 5));
        assert!(
            district
                .paragraph
                .starts_with("截至5月末,全区城镇新就业6.5万人(未扣除自然减员),"),
            "{}",
            district.paragraph
        );
    }

    /// Ranks go by the printed figures, a rate's change by its own decimals, and a headcount at
    /// the month's end is not ranked.
    #[test]
    fn tables_rank_and_compare_what_they_print() {
        let mut v = Values::new(builtin());
        let newly = codes::URBAN_NEWLY_EMPLOYED;
        let target = Target {
            value: n(100_000),
            approximate: false,
        };
        // 36.14% and 36.12%, both printed 36.1%.
        for (county, city, count) in [("210102", "210100", 36_140), ("210202", "210200", 36_120)] {
            v.insert(newly, rc(county), m(2020, 5), n(count));
            v.set_target(codes::NEW_URBAN_EMPLOYMENT, rc(city), 2020, target);
        }
        // 沈阳's registered rate 4.06% this May, 3.89% last May.
        for (year, registered, employed) in [(2020, 406, 9_594), (2019, 389, 9_611)] {
            v.insert(
                codes::REGISTERED_UNEMPLOYED,
                rc("210102"),
                m(year, 5),
                n(registered),
            );
            v.insert(codes::URBAN_EMPLOYED, rc("210102"), m(year, 5), n(employed));
        }
        let b = Bulletin::build(&v, rc("210000"), m(2020, 5));
        let section = |code: &str| b.sections.iter().find(|s| s.code == code).unwrap();
        let net = section(codes::NEW_URBAN_EMPLOYMENT);
        assert_eq!((net.rows[0].rank, net.rows[1].rank), (Some(1), Some(1)));
        let rate = section(codes::REGISTERED_RATE);
        let cells = rate.cells(&rate.rows[0]);
        assert_eq!(
            (&cells[1][..], &cells[4][..], &cells[5][..]),
            ("4.06%", "3.89%", "0.17")
        );
        let stock = section(codes::REGISTERED_UNEMPLOYED);
        assert!(!stock.columns().iter().any(|c| c == "排名"));
        assert_eq!(
            stock.cells(&stock.rows[0]),
            ["沈阳市", "406", "389", "4.4%"]
        );
        assert!(stock.rows.iter().all(|r| r.rank.is_none()));
    }
}
