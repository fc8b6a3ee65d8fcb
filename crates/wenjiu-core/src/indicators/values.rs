//! The ledger's current values read as a whole: a region's value in a month by its
//! indicator's [`Aggregation`], cumulative values of flows, the latest value of a quarterly
//! statistic, and annual targets. Pure: the store loads the rows, this answers the questions.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::catalogue::{Aggregation, Derivation, Indicator, Measure};
use super::{ControlTarget, Ratio};
use crate::{Month, RegionCode};

/// An annual target of one indicator for one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// A count to reach, or a rate (as a fraction) not to exceed.
    pub value: Ratio,
    /// Set as "about" (左右).
    pub approximate: bool,
}

impl Target {
    pub fn control(&self) -> ControlTarget {
        ControlTarget {
            rate: self.value,
            approximate: self.approximate,
        }
    }
}

/// Stored values and targets, with the catalogue that says how to combine them.
#[derive(Debug, Clone, Default)]
pub struct Values {
    catalogue: Vec<Indicator>,
    stored: HashMap<(String, Month), Vec<(RegionCode, Ratio)>>,
    targets: HashMap<(String, RegionCode, i32), Target>,
}

impl Values {
    pub fn new(catalogue: Vec<Indicator>) -> Values {
        Values {
            catalogue,
            ..Values::default()
        }
    }

    pub fn catalogue(&self) -> &[Indicator] {
        &self.catalogue
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.catalogue.iter().find(|i| i.code == code)
    }

    /// Adds one stored value (a current ledger row).
    pub fn insert(&mut self, code: &str, region: RegionCode, month: Month, value: Ratio) {
        self.stored
            .entry((code.to_string(), month))
            .or_default()
            .push((region, value));
    }

    pub fn set_target(&mut self, code: &str, region: RegionCode, year: i32, target: Target) {
        self.targets
            .insert((code.to_string(), region, year), target);
    }

    pub fn target(&self, code: &str, region: RegionCode, year: i32) -> Option<Target> {
        self.targets.get(&(code.to_string(), region, year)).copied()
    }

    /// Whether a difference has its minuend for `region` in `month` but not its subtrahend,
    /// which is supplied for a region above only.
    fn underived(&self, indicator: &Indicator, region: RegionCode, month: Month) -> bool {
        matches!(
            &indicator.derivation,
            Some(Derivation::Difference { minuend, .. })
                if self.value(minuend, region, month).is_some()
        )
    }

    /// Whether a region containing `region` has a value of its own for `code` in `month`.
    fn own_above(&self, code: &str, region: RegionCode, month: Month) -> bool {
        std::iter::successors(region.parent(), RegionCode::parent)
            .any(|r| self.own(code, r, month).is_some())
    }

    fn own(&self, code: &str, region: RegionCode, month: Month) -> Option<Ratio> {
        let rows = self.stored.get(&(code.to_string(), month))?;
        rows.iter().find(|(r, _)| *r == region).map(|(_, v)| *v)
    }

    /// The value of `code` for `region` in `month` (a flow's amount in that month alone).
    pub fn value(&self, code: &str, region: RegionCode, month: Month) -> Option<Ratio> {
        let indicator = self.indicator(code)?;
        match indicator.aggregation() {
            Aggregation::SumAll => {
                let rows = self.stored.get(&(code.to_string(), month))?;
                let mut inside = rows.iter().filter(|(r, _)| region.contains(r)).peekable();
                inside.peek()?;
                Some(inside.map(|(_, v)| *v).fold(Ratio::ZERO, |a, b| a + b))
            }
            Aggregation::OwnOrSum => self.own(code, region, month).or_else(|| {
                let parts: Vec<Ratio> = region
                    .children()
                    .iter()
                    .filter_map(|c| self.value(code, *c, month))
                    .collect();
                (!parts.is_empty()).then(|| parts.into_iter().fold(Ratio::ZERO, |a, b| a + b))
            }),
            Aggregation::None => self.own(code, region, month),
            Aggregation::Formula => match indicator.derivation.as_ref()? {
                Derivation::Difference {
                    minuend,
                    subtrahend,
                } => {
                    let a = self.value(minuend, region, month)?;
                    match self.value(subtrahend, region, month) {
                        Some(b) => Some(a - b),
                        // Supplied for a region above, not broken down to this one (自然减员
                        // by city): this region's difference is not known, and the minuend
                        // alone would pass for it.
                        None if self.own_above(subtrahend, region, month) => None,
                        None => Some(a),
                    }
                }
                Derivation::ShareOfSum { part, rest } => {
                    let p = self.value(part, region, month)?;
                    let r = self.value(rest, region, month)?;
                    p.checked_div(p + r)
                }
            },
        }
    }

    /// What a bulletin reports for `month`: a flow summed from January, anything else its
    /// value at the month. `None` when no month of the period has a value.
    pub fn reported(&self, code: &str, region: RegionCode, month: Month) -> Option<Ratio> {
        let indicator = self.indicator(code)?;
        if indicator.measure != Measure::Flow {
            return self.value(code, region, month);
        }
        let months = (1..=month.month()).map(|m| Month::new(month.year(), m).expect("valid"));
        let mut parts = Vec::new();
        for m in months {
            match self.value(code, region, m) {
                Some(v) => parts.push(v),
                // A month with figures but no difference makes the sum unknown, not smaller.
                None if self.underived(indicator, region, m) => return None,
                None => {}
            }
        }
        (!parts.is_empty()).then(|| parts.into_iter().fold(Ratio::ZERO, |a, b| a + b))
    }

    /// The latest value of the year up to `month`, with its month: a quarterly statistic
    /// stands at its quarter's last month until the next one is published.
    pub fn latest(&self, code: &str, region: RegionCode, month: Month) -> Option<(Month, Ratio)> {
        (1..=month.month()).rev().find_map(|m| {
            let m = Month::new(month.year(), m).expect("valid");
            self.value(code, region, m).map(|v| (m, v))
        })
    }

    /// The regions a bulletin tabulates under `region`: its children, skipping grouping levels
    /// without a code of their own (a municipality's 市辖区).
    pub fn subregions(region: RegionCode) -> Vec<RegionCode> {
        region
            .children()
            .iter()
            .flat_map(|c| {
                if c.is_placeholder() {
                    c.children().to_vec()
                } else {
                    vec![*c]
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::{builtin, codes};
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

    #[test]
    fn computed_counts_sum_every_level() {
        let mut v = Values::new(builtin());
        v.insert(codes::URBAN_NEWLY_EMPLOYED, rc("210102"), m(2020, 5), n(10));
        v.insert(codes::URBAN_NEWLY_EMPLOYED, rc("210103"), m(2020, 5), n(5));
        // A registration filed at city level adds to the city, not hidden by its counties.
        v.insert(codes::URBAN_NEWLY_EMPLOYED, rc("210100"), m(2020, 5), n(1));
        v.insert(codes::URBAN_NEWLY_EMPLOYED, rc("210202"), m(2020, 5), n(7));
        v.insert(codes::URBAN_NEWLY_EMPLOYED, rc("210102"), m(2020, 4), n(3));
        let code = codes::URBAN_NEWLY_EMPLOYED;
        assert_eq!(v.value(code, rc("210100"), m(2020, 5)), Some(n(16)));
        assert_eq!(v.value(code, rc("210000"), m(2020, 5)), Some(n(23)));
        assert_eq!(v.value(code, rc("210300"), m(2020, 5)), None);
        assert_eq!(v.reported(code, rc("210102"), m(2020, 5)), Some(n(13)));
        // The derived net figure subtracts attrition only where supplied.
        v.insert(codes::NATURAL_ATTRITION, rc("210100"), m(2020, 5), n(2));
        let net = codes::NEW_URBAN_EMPLOYMENT;
        assert_eq!(v.reported(net, rc("210000"), m(2020, 5)), Some(n(24)));
        assert_eq!(v.reported(net, rc("210100"), m(2020, 5)), Some(n(17)));
    }

    #[test]
    fn supplied_values_prefer_the_regions_own() {
        let mut v = Values::new(builtin());
        let code = codes::URBAN_EMPLOYED;
        v.insert(code, rc("210100"), m(2020, 5), n(100));
        v.insert(code, rc("210200"), m(2020, 5), n(50));
        assert_eq!(v.value(code, rc("210000"), m(2020, 5)), Some(n(150)));
        v.insert(code, rc("210000"), m(2020, 5), n(1000));
        assert_eq!(v.value(code, rc("210000"), m(2020, 5)), Some(n(1000)));
    }

    #[test]
    fn registered_rate_from_aggregated_parts() {
        let mut v = Values::new(builtin());
        v.insert(
            codes::REGISTERED_UNEMPLOYED,
            rc("210102"),
            m(2020, 5),
            n(424),
        );
        v.insert(codes::URBAN_EMPLOYED, rc("210100"), m(2020, 5), n(9576));
        let rate = v.value(codes::REGISTERED_RATE, rc("210000"), m(2020, 5));
        assert_eq!(rate, Some(Ratio::from_percent(424, 2)));
        // No employed population, no rate.
        assert_eq!(
            v.value(codes::REGISTERED_RATE, rc("210102"), m(2020, 5)),
            None
        );
    }

    #[test]
    fn quarterly_values_stand_until_the_next() {
        let mut v = Values::new(builtin());
        let code = codes::SURVEYED_RATE;
        v.insert(code, rc("210000"), m(2020, 3), Ratio::from_percent(65, 1));
        assert_eq!(
            v.latest(code, rc("210000"), m(2020, 5)),
            Some((m(2020, 3), Ratio::from_percent(65, 1)))
        );
        assert_eq!(v.latest(code, rc("210000"), m(2020, 2)), None);
        // A surveyed rate is not summed from cities.
        assert_eq!(v.value(code, rc("210000"), m(2020, 4)), None);
    }

    #[test]
    fn subregions_skip_grouping_levels() {
        let cities = Values::subregions(rc("210000"));
        assert_eq!(cities.len(), 14);
        let beijing = Values::subregions(rc("110000"));
        assert!(beijing.iter().all(|r| !r.is_placeholder()));
    }
}
