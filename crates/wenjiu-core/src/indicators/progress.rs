//! Progress of indicators: cumulative to date, completion of the annual target, 序时进度 (time
//! progress), the gap between them, year on year, standing against a control target, and
//! ranking of regions. All exact; see [`crate::indicators`] for how results are printed.

use serde::{Deserialize, Serialize};

use super::Ratio;
use crate::Month;

/// How an indicator is measured, which decides how its year-on-year change is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A number of people (城镇新增就业人数), with an annual target count; YoY in %.
    Count,
    /// A rate (城镇登记失业率), with an annual control ceiling; YoY in percentage points.
    Rate,
}

impl IndicatorKind {
    pub fn label(&self) -> &'static str {
        match self {
            IndicatorKind::Count => "数量",
            IndicatorKind::Rate => "比率",
        }
    }

    /// Year-on-year change in this kind's unit: [`yoy_count`] semantics for counts (so
    /// `None` on a zero or missing base), [`yoy_points`] for rates.
    pub fn year_on_year(self, this: Ratio, last: Option<Ratio>) -> Option<Change> {
        match self {
            IndicatorKind::Count => {
                let last = last.filter(|l| l.is_positive())?;
                Some(Change::Percent((this - last) / last))
            }
            IndicatorKind::Rate => yoy_points(this, last).map(Change::Points),
        }
    }
}

/// Which way is good, for ranking and for judging a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 城镇新增就业, 再就业人数, completion rates.
    HigherIsBetter,
    /// Unemployment rates and counts.
    LowerIsBetter,
}

impl Direction {
    pub fn label(&self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "越高越好",
            Direction::LowerIsBetter => "越低越好",
        }
    }

    /// Whether `a` is strictly better than `b`.
    pub fn is_better<T: Ord>(&self, a: &T, b: &T) -> bool {
        match self {
            Direction::HigherIsBetter => a > b,
            Direction::LowerIsBetter => a < b,
        }
    }
}

/// A year-on-year change, exact, as a fraction: ×100 gives % (counts) or percentage points
/// (rates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Relative change of a count: (this − last) / last.
    Percent(Ratio),
    /// Difference of two rates.
    Points(Ratio),
}

/// 序时进度: the share of the year elapsed at the end of `month` (5/12 at the end of May,
/// 12/12 in December). Whole months, because targets are tracked monthly.
pub fn time_progress(month: Month) -> Ratio {
    Ratio::of_counts(i64::from(month.months_elapsed_in_year()), 12).expect("nonzero")
}

/// Cumulative value from January to `month` of `month`'s year, from monthly values (other
/// years and later months are ignored).
///
/// The monthly values must be additive: for 城镇新增就业 a person counts once a year, so each
/// month must count only people whose first employment of the year falls in it.
pub fn cumulative_to_date(monthly: impl IntoIterator<Item = (Month, i64)>, month: Month) -> i64 {
    monthly
        .into_iter()
        .filter(|(m, _)| m.year() == month.year() && *m <= month)
        .map(|(_, v)| v)
        .sum()
}

/// Completion rate = cumulative / annual target. `None` when the region has no target (or a
/// target of zero or less, which is no target either): there is nothing to complete, and the
/// bulletin leaves the figure out rather than dividing by zero.
pub fn completion_rate(cumulative: i64, annual_target: Option<i64>) -> Option<Ratio> {
    let target = annual_target.filter(|t| *t > 0)?;
    Ratio::of_counts(cumulative, target)
}

/// Gap = completion − 序时进度, exact (a fraction; ×100 gives percentage points). Negative
/// means behind schedule.
pub fn gap_to_time_progress(completion: Ratio, month: Month) -> Ratio {
    completion - time_progress(month)
}

/// Year on year for a count: (this − last) / last, a fraction (×100 gives %).
///
/// `None` when last year's figure is missing, zero or negative: growth from nothing is not a
/// finite percentage, and a negative base (net attrition) would flip the sign's meaning.
pub fn yoy_count(this: i64, last: Option<i64>) -> Option<Ratio> {
    let last = last.filter(|l| *l > 0)?;
    Ratio::of_counts(this - last, last)
}

/// Year on year for a rate: this − last, a fraction (×100 gives percentage points). `None`
/// when last year's rate is missing. A zero rate is a real value, unlike a zero count base.
pub fn yoy_points(this: Ratio, last: Option<Ratio>) -> Option<Ratio> {
    last.map(|l| this - l)
}

/// The two counts behind a rate, so that regions aggregate by summing counts: a province's
/// rate is never the average of its cities' rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RateParts {
    pub numerator: i64,
    pub denominator: i64,
}

impl RateParts {
    /// 城镇登记失业率 = registered unemployed / (urban employed + registered unemployed).
    pub fn registered_unemployment(registered: i64, employed: i64) -> RateParts {
        RateParts {
            numerator: registered,
            denominator: employed + registered,
        }
    }

    /// `None` when the denominator is zero (no population to rate).
    pub fn rate(&self) -> Option<Ratio> {
        Ratio::of_counts(self.numerator, self.denominator)
    }
}

impl std::ops::Add for RateParts {
    type Output = RateParts;
    fn add(self, other: RateParts) -> RateParts {
        RateParts {
            numerator: self.numerator + other.numerator,
            denominator: self.denominator + other.denominator,
        }
    }
}

impl std::iter::Sum for RateParts {
    fn sum<I: Iterator<Item = RateParts>>(iter: I) -> RateParts {
        iter.fold(RateParts::default(), |a, b| a + b)
    }
}

/// An annual control target of a rate (城镇登记失业率 4.5%; 城镇调查失业率 "5.5%左右").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ControlTarget {
    /// The target rate as a fraction (4.5% is 9/200).
    pub rate: Ratio,
    /// Set as "about" (左右); printed so, but compared as the exact figure.
    #[serde(default)]
    pub approximate: bool,
}

impl ControlTarget {
    pub fn exact(rate: Ratio) -> ControlTarget {
        ControlTarget {
            rate,
            approximate: false,
        }
    }

    pub fn approximate(rate: Ratio) -> ControlTarget {
        ControlTarget {
            rate,
            approximate: true,
        }
    }
}

/// Where a value stands against a control target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    /// 低于: within a ceiling.
    Below,
    /// Exactly at the target.
    At,
    /// 高于: a ceiling exceeded.
    Above,
}

impl ControlStatus {
    /// The word of the seed's sentences; `At` reads "持平".
    pub fn label(&self) -> &'static str {
        match self {
            ControlStatus::Below => "低于",
            ControlStatus::At => "持平",
            ControlStatus::Above => "高于",
        }
    }
}

/// A value compared with its control target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlComparison {
    pub status: ControlStatus,
    /// |value − target|, a fraction (×100 gives percentage points); zero when `At`.
    pub margin: Ratio,
}

/// Compares `value` with `target` exactly (4.24% is below 4.5% by 0.26 percentage points).
pub fn against_control(value: Ratio, target: Ratio) -> ControlComparison {
    let status = match value.cmp(&target) {
        std::cmp::Ordering::Less => ControlStatus::Below,
        std::cmp::Ordering::Equal => ControlStatus::At,
        std::cmp::Ordering::Greater => ControlStatus::Above,
    };
    ControlComparison {
        status,
        margin: (value - target).abs(),
    }
}

/// Ranks of `values` (same order as given), 1 = best in `direction`. Ties share a rank and
/// the next rank skips ("1, 2, 2, 4", as bulletins write 并列第2位). A `None` value (e.g. a
/// region without a target has no completion rate) gets no rank and does not take one.
///
/// Ranks compare exact values, so two cities printed alike (36.14% and 36.12%, both "36.1%")
/// rank apart; rank [`Ratio::round`]ed values instead to rank by what is printed.
pub fn rank<T: Ord>(values: &[Option<T>], direction: Direction) -> Vec<Option<u32>> {
    values
        .iter()
        .map(|v| {
            let v = v.as_ref()?;
            let better = values
                .iter()
                .flatten()
                .filter(|o| direction.is_better(*o, v))
                .count();
            Some(better as u32 + 1)
        })
        .collect()
}

/// Progress of a count indicator with an annual target, at the end of a month: one row of
/// the bulletin's table. Built by [`CountProgress::new`]; the derived fields are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CountProgress {
    pub month: Month,
    /// January to `month`.
    pub cumulative: i64,
    pub annual_target: Option<i64>,
    /// The same period (January to the same month) of last year.
    pub last_year: Option<i64>,
    /// `None` without a target.
    pub completion: Option<Ratio>,
    pub time_progress: Ratio,
    /// completion − time progress; `None` without a target.
    pub gap: Option<Ratio>,
    /// `None` without a positive base last year.
    pub yoy: Option<Ratio>,
}

impl CountProgress {
    pub fn new(
        month: Month,
        cumulative: i64,
        annual_target: Option<i64>,
        last_year: Option<i64>,
    ) -> CountProgress {
        let completion = completion_rate(cumulative, annual_target);
        CountProgress {
            month,
            cumulative,
            annual_target,
            last_year,
            completion,
            time_progress: time_progress(month),
            gap: completion.map(|c| gap_to_time_progress(c, month)),
            yoy: yoy_count(cumulative, last_year),
        }
    }
}

/// A rate indicator in a month against its control target and last year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RateProgress {
    pub rate: Ratio,
    /// The same month of last year.
    pub last_year: Option<Ratio>,
    pub control_target: Option<ControlTarget>,
    pub against_control: Option<ControlComparison>,
    /// Difference from last year; ×100 gives percentage points.
    pub yoy_points: Option<Ratio>,
}

impl RateProgress {
    pub fn new(
        rate: Ratio,
        last_year: Option<Ratio>,
        control_target: Option<ControlTarget>,
    ) -> RateProgress {
        RateProgress {
            rate,
            last_year,
            control_target,
            against_control: control_target.map(|t| against_control(rate, t.rate)),
            yoy_points: yoy_points(rate, last_year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    fn r(num: i128, den: i128) -> Ratio {
        Ratio::new(num, den).unwrap()
    }

    #[test]
    fn time_progress_by_month() {
        assert_eq!(time_progress(m(2020, 1)), r(1, 12));
        assert_eq!(time_progress(m(2020, 5)), r(5, 12));
        assert_eq!(time_progress(m(2020, 6)), r(1, 2)); // 时间过半
        assert_eq!(time_progress(m(2020, 12)), Ratio::ONE);
    }

    #[test]
    fn cumulative_sums_this_year_to_date_only() {
        let monthly = [
            (m(2019, 12), 9_000),
            (m(2020, 1), 10_000),
            (m(2020, 2), 5_000),
            (m(2020, 5), 40_000),
            (m(2020, 6), 99_999),
        ];
        assert_eq!(cumulative_to_date(monthly, m(2020, 5)), 55_000);
        assert_eq!(cumulative_to_date(monthly, m(2020, 1)), 10_000);
        assert_eq!(cumulative_to_date(monthly, m(2019, 12)), 9_000);
        assert_eq!(cumulative_to_date(monthly, m(2021, 3)), 0);
    }

    #[test]
    fn completion_and_gap_for_liaoning_may_2020() {
        let p = CountProgress::new(m(2020, 5), 151_600, Some(420_000), Some(192_386));
        assert_eq!(p.completion, Some(r(151_600, 420_000)));
        assert_eq!(p.time_progress, r(5, 12));
        assert_eq!(p.gap, Some(r(151_600, 420_000) - r(5, 12)));
        assert!(p.gap.unwrap().is_negative());
        assert_eq!(p.yoy, Some(r(151_600 - 192_386, 192_386)));
        assert_eq!(p.completion.unwrap().round_percent(1).to_string(), "36.1");
        assert_eq!(p.gap.unwrap().round_percent(1).to_string(), "-5.6");
        assert_eq!(p.yoy.unwrap().round_percent(1).to_string(), "-21.2");
    }

    #[test]
    fn month_twelve_and_a_target_exactly_met() {
        let p = CountProgress::new(m(2020, 12), 420_000, Some(420_000), Some(420_000));
        assert_eq!(p.completion, Some(Ratio::ONE));
        assert_eq!(p.time_progress, Ratio::ONE);
        assert_eq!(p.gap, Some(Ratio::ZERO));
        assert_eq!(p.yoy, Some(Ratio::ZERO));
        // Over-fulfilment is a completion above 100% and a positive gap.
        let over = CountProgress::new(m(2020, 12), 441_000, Some(420_000), None);
        assert_eq!(over.completion, Some(r(21, 20)));
        assert_eq!(over.gap, Some(r(1, 20)));
    }

    #[test]
    fn month_one() {
        let p = CountProgress::new(m(2020, 1), 35_000, Some(420_000), Some(30_000));
        assert_eq!(p.completion, Some(r(1, 12)));
        assert_eq!(p.gap, Some(Ratio::ZERO));
        assert_eq!(p.yoy, Some(r(1, 6)));
    }

    #[test]
    fn no_target_means_no_completion_not_a_division_by_zero() {
        for target in [None, Some(0), Some(-5)] {
            let p = CountProgress::new(m(2020, 5), 12_345, target, Some(10_000));
            assert_eq!(p.completion, None, "{target:?}");
            assert_eq!(p.gap, None);
            assert_eq!(p.time_progress, r(5, 12));
            assert!(p.yoy.is_some());
        }
    }

    #[test]
    fn yoy_of_counts_needs_a_positive_base() {
        assert_eq!(yoy_count(110, Some(100)), Some(r(1, 10)));
        assert_eq!(yoy_count(0, Some(100)), Some(-Ratio::ONE));
        assert_eq!(yoy_count(100, Some(0)), None);
        assert_eq!(yoy_count(0, Some(0)), None);
        assert_eq!(yoy_count(100, None), None);
        assert_eq!(yoy_count(100, Some(-50)), None);
    }

    #[test]
    fn yoy_of_rates_is_a_difference() {
        let this = Ratio::from_percent(424, 2);
        let last = Ratio::from_percent(404, 2);
        assert_eq!(yoy_points(this, Some(last)), Some(r(2, 1000)));
        assert_eq!(yoy_points(this, Some(Ratio::ZERO)), Some(this));
        assert_eq!(yoy_points(this, None), None);
        assert_eq!(
            yoy_points(last, Some(this))
                .unwrap()
                .round_percent(1)
                .to_string(),
            "-0.2"
        );
    }

    #[test]
    fn kind_decides_the_unit_of_yoy() {
        let (a, b) = (Ratio::from_integer(110), Ratio::from_integer(100));
        assert_eq!(
            IndicatorKind::Count.year_on_year(a, Some(b)),
            Some(Change::Percent(r(1, 10)))
        );
        assert_eq!(
            IndicatorKind::Count.year_on_year(a, Some(Ratio::ZERO)),
            None
        );
        assert_eq!(
            IndicatorKind::Rate.year_on_year(a, Some(b)),
            Some(Change::Points(r(10, 1)))
        );
        assert_eq!(IndicatorKind::Rate.year_on_year(a, None), None);
        assert_eq!(
            serde_json::to_string(&Change::Points(r(1, 500))).unwrap(),
            r#"{"points":"1/500"}"#
        );
        assert_eq!(
            serde_json::to_string(&IndicatorKind::Count).unwrap(),
            "\"count\""
        );
    }

    #[test]
    fn registered_rate_from_counts_and_aggregation() {
        let liaoning = RateParts::registered_unemployment(265_000, 5_985_000);
        assert_eq!(liaoning.denominator, 6_250_000);
        assert_eq!(liaoning.rate(), Some(Ratio::from_percent(424, 2)));
        assert_eq!(RateParts::default().rate(), None);
        // Aggregation sums counts: 1/10 and 3/10 of unequal populations give 4/110, not 20%.
        let a = RateParts::registered_unemployment(1, 9);
        let b = RateParts::registered_unemployment(3, 97);
        assert_eq!((a + b).rate(), Some(r(4, 110)));
        assert_eq!([a, b].into_iter().sum::<RateParts>(), a + b);
    }

    #[test]
    fn control_target_statuses() {
        let ceiling = Ratio::from_percent(45, 1);
        let below = against_control(Ratio::from_percent(424, 2), ceiling);
        assert_eq!(below.status, ControlStatus::Below);
        assert_eq!(below.margin, Ratio::from_percent(26, 2));
        let above = against_control(Ratio::from_percent(65, 1), Ratio::from_percent(55, 1));
        assert_eq!(above.status, ControlStatus::Above);
        assert_eq!(above.margin, Ratio::from_percent(1, 0));
        assert_eq!(above.status.label(), "高于");
        let at = against_control(ceiling, r(9, 200));
        assert_eq!(at.status, ControlStatus::At);
        assert_eq!(at.margin, Ratio::ZERO);
        let p = RateProgress::new(
            Ratio::from_percent(424, 2),
            Some(Ratio::from_percent(404, 2)),
            Some(ControlTarget::exact(ceiling)),
        );
        assert_eq!(p.against_control, Some(below));
        assert_eq!(p.yoy_points, Some(Ratio::from_percent(2, 1)));
        let none = RateProgress::new(Ratio::from_percent(424, 2), None, None);
        assert_eq!(none.against_control, None);
        assert_eq!(none.yoy_points, None);
    }

    #[test]
    fn ranking_with_ties_in_both_directions() {
        let values = [Some(30), Some(50), Some(40), Some(50), Some(10)];
        assert_eq!(
            rank(&values, Direction::HigherIsBetter),
            vec![Some(4), Some(1), Some(3), Some(1), Some(5)]
        );
        assert_eq!(
            rank(&values, Direction::LowerIsBetter),
            vec![Some(2), Some(4), Some(3), Some(4), Some(1)]
        );
        // Unranked values neither get a rank nor push others down.
        let rates = [Some(r(1, 10)), None, Some(r(1, 20)), Some(r(2, 20))];
        assert_eq!(
            rank(&rates, Direction::LowerIsBetter),
            vec![Some(2), None, Some(1), Some(2)]
        );
        assert_eq!(rank::<i64>(&[], Direction::HigherIsBetter), vec![]);
        assert_eq!(
            rank(&[Some(7), Some(7), Some(7)], Direction::LowerIsBetter),
            vec![Some(1); 3]
        );
    }

    #[test]
    fn serde_forms() {
        let t = ControlTarget::approximate(Ratio::from_percent(55, 1));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"rate":"11/200","approximate":true}"#);
        assert_eq!(serde_json::from_str::<ControlTarget>(&json).unwrap(), t);
        let exact: ControlTarget = serde_json::from_str(r#"{"rate":"9/200"}"#).unwrap();
        assert_eq!(exact, ControlTarget::exact(Ratio::from_percent(45, 1)));
        let p = CountProgress::new(m(2020, 5), 1, None, None);
        let v = serde_json::to_value(p).unwrap();
        assert_eq!(v["month"], "2020-05");
        assert_eq!(v["time_progress"], "5/12");
        assert!(v["completion"].is_null());
    }
}
