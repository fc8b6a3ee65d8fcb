//! Early-warning rules (失业预警) over one month of reports. Each rule has a level (Ⅲ yellow,
//! Ⅱ orange, Ⅰ red) and thresholds that are configuration, not code (Liaoning's exact levels
//! are not published: DOMAIN §4). Every threshold is inclusive ("at least"), compared exactly.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::figures::Figures;
use super::routing::Tier;
use crate::indicators::Ratio;
use crate::{Month, RegionCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Ⅰ级（红色）, the most severe.
    Red,
    /// Ⅱ级（橙色）
    Orange,
    /// Ⅲ级（黄色）
    Yellow,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Red, Level::Orange, Level::Yellow];

    pub fn code(&self) -> &'static str {
        match self {
            Level::Red => "red",
            Level::Orange => "orange",
            Level::Yellow => "yellow",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Level::Red => "Ⅰ级（红色）",
            Level::Orange => "Ⅱ级（橙色）",
            Level::Yellow => "Ⅲ级（黄色）",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == text)
    }

    fn severity(&self) -> u8 {
        match self {
            Level::Red => 3,
            Level::Orange => 2,
            Level::Yellow => 1,
        }
    }

    /// Whether this level is `other` or more severe.
    pub fn at_least(&self, other: Level) -> bool {
        self.severity() >= other.severity()
    }
}

/// A percentage threshold as an official types it ("30", "2.5"), kept exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Percent {
    text: String,
    ratio: Ratio,
}

impl Percent {
    pub fn parse(text: &str) -> crate::Result<Percent> {
        let ratio = Ratio::parse_percent(text)?;
        Ok(Percent {
            text: text.trim().trim_end_matches('%').to_string(),
            ratio,
        })
    }

    pub fn ratio(&self) -> Ratio {
        self.ratio
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.text)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Percent, D::Error> {
        let text = String::deserialize(d)?;
        Percent::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What a region's rate is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 岗位流失率 against 建档期.
    Baseline,
    /// Against last month.
    Previous,
}

/// What an enterprise's job loss in a month counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The people who left (本月减少), whatever was hired: the rules are about people cut
    /// (seed 二(五) "一次性裁员或关闭破产涉及200人以上"; Shandong "cuts ≥ 200 at once").
    #[default]
    Decrease,
    /// The net fall on last month (上月 − 本月), hires netted off.
    Net,
}

/// An enterprise's job loss in a month that counts as "abnormal": at least `min_people`, or
/// (when a share is set) at least `min_share` of last month's headcount provided at least
/// `share_floor` people left, so that 1 of 3 is no alarm (the floor is assumed, not from the
/// sources).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LossTest {
    #[serde(default)]
    pub measure: Measure,
    pub min_people: i64,
    #[serde(default)]
    pub min_share: Option<Percent>,
    #[serde(default)]
    pub share_floor: i64,
}

impl LossTest {
    /// Whether the enterprise's month meets the test, with the loss it measured.
    pub fn met(&self, r: &EnterpriseMonth) -> Option<i64> {
        let loss = r.loss(self.measure);
        let by_share = |share: &Percent| {
            loss >= self.share_floor
                && Ratio::of_counts(loss, r.previous).is_some_and(|s| s >= share.ratio)
        };
        (loss > 0 && (loss >= self.min_people || self.min_share.as_ref().is_some_and(by_share)))
            .then_some(loss)
    }

    /// The smallest loss that can meet the test.
    fn least(&self) -> i64 {
        match self.min_share {
            Some(_) => self.share_floor.min(self.min_people),
            None => self.min_people,
        }
        .max(1)
    }

    fn describe(&self) -> String {
        match &self.min_share {
            Some(share) => format!("{} 人或 {}", self.min_people, share),
            None => format!("{} 人", self.min_people),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// One enterprise's loss meets the test.
    EnterpriseLoss {
        #[serde(flatten)]
        test: LossTest,
    },
    /// At least `min_enterprises` enterprises of one county each meet the test.
    CountyCluster {
        min_enterprises: i64,
        #[serde(flatten)]
        test: LossTest,
    },
    /// A region's rate (of its reporting enterprises) at least `min_rate`, the region taken at
    /// `tier` (county or city).
    RegionLossRate {
        tier: Tier,
        basis: Basis,
        min_rate: Percent,
    },
    /// A region's net job loss this month at least `min_people` and at least `min_rise` above
    /// the same month last year (any loss counts as a rise on a month that lost none; a
    /// region without reports a year ago is not compared).
    YearOnYear {
        tier: Tier,
        min_rise: Percent,
        min_people: i64,
    },
}

impl RuleKind {
    fn loss_test(&self) -> Option<&LossTest> {
        match self {
            RuleKind::EnterpriseLoss { test } | RuleKind::CountyCluster { test, .. } => Some(test),
            _ => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            RuleKind::EnterpriseLoss { .. } => "单个企业减员",
            RuleKind::CountyCluster { .. } => "县区多企业减员",
            RuleKind::RegionLossRate { .. } => "地区岗位流失率",
            RuleKind::YearOnYear { .. } => "同比大幅上升",
        }
    }
}

/// A warning rule as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub level: Level,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(flatten)]
    pub kind: RuleKind,
}

fn yes() -> bool {
    true
}

impl Rule {
    /// Checks the thresholds make sense; the message names the rule.
    pub fn check(&self) -> Result<(), String> {
        let bad = |what: &str| Err(format!("预警规则“{}”：{what}", self.name));
        if self.code.trim().is_empty() || self.name.trim().is_empty() {
            return Err("预警规则须有代码和名称".into());
        }
        let test_ok = |t: &LossTest| {
            t.min_people > 0
                && t.share_floor >= 0
                && t.min_share.as_ref().is_none_or(|s| s.ratio.is_positive())
        };
        match &self.kind {
            RuleKind::EnterpriseLoss { test } if !test_ok(test) => {
                bad("减员人数和比例阈值须为正数")
            }
            RuleKind::CountyCluster {
                min_enterprises,
                test,
            } if *min_enterprises < 1 || !test_ok(test) => bad("企业数和减员阈值须为正数"),
            RuleKind::RegionLossRate { tier, min_rate, .. }
                if *tier == Tier::Province || !min_rate.ratio.is_positive() =>
            {
                bad("地区层级须为县区或市级，流失率阈值须为正数")
            }
            RuleKind::YearOnYear {
                tier,
                min_rise,
                min_people,
            } if *tier == Tier::Province || min_rise.ratio.is_negative() || *min_people < 1 => {
                bad("地区层级须为县区或市级，人数阈值须为正数")
            }
            _ => Ok(()),
        }
    }
}

/// The default rules (assumed; editable): Shandong's 2016 scheme and the seed's thresholds.
pub fn default_rules() -> Vec<Rule> {
    let pct = |t: &str| Percent::parse(t).expect("valid default");
    let test = |people: i64| LossTest {
        measure: Measure::Decrease,
        min_people: people,
        min_share: Some(pct("30")),
        share_floor: 10,
    };
    let rule = |code: &str, name: &str, level: Level, kind: RuleKind| Rule {
        code: code.into(),
        name: name.into(),
        level,
        active: true,
        kind,
    };
    vec![
        rule(
            "single_200",
            "单个企业一次性减员200人以上",
            Level::Red,
            RuleKind::EnterpriseLoss {
                test: LossTest {
                    measure: Measure::Decrease,
                    min_people: 200,
                    min_share: None,
                    share_floor: 0,
                },
            },
        ),
        // Shandong: each "> 50 people" (DOMAIN §4), so 51 inclusive.
        rule(
            "county_cluster",
            "同一县区5家以上企业各减员超过50人或达30%以上",
            Level::Orange,
            RuleKind::CountyCluster {
                min_enterprises: 5,
                test: test(51),
            },
        ),
        rule(
            "enterprise_50",
            "单个企业减员50人或30%以上",
            Level::Yellow,
            RuleKind::EnterpriseLoss { test: test(50) },
        ),
        rule(
            "city_rate_10",
            "市岗位流失率（较建档期）达10%",
            Level::Orange,
            RuleKind::RegionLossRate {
                tier: Tier::City,
                basis: Basis::Baseline,
                min_rate: pct("10"),
            },
        ),
        rule(
            "county_rate_5",
            "县区岗位流失率（较建档期）达5%",
            Level::Yellow,
            RuleKind::RegionLossRate {
                tier: Tier::County,
                basis: Basis::Baseline,
                min_rate: pct("5"),
            },
        ),
        rule(
            "city_yoy",
            "市月度减员同比上升50%以上且达500人",
            Level::Orange,
            RuleKind::YearOnYear {
                tier: Tier::City,
                min_rise: pct("50"),
                min_people: 500,
            },
        ),
    ]
}

/// One monitored enterprise's month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnterpriseMonth {
    pub enterprise_id: i64,
    /// The enterprise's county.
    pub region: RegionCode,
    pub baseline: i64,
    pub previous: i64,
    pub headcount: i64,
    pub new_hires: i64,
    pub decrease: i64,
}

impl EnterpriseMonth {
    /// Jobs lost this month as `measure` counts them (0 when none).
    pub fn loss(&self, measure: Measure) -> i64 {
        match measure {
            Measure::Decrease => self.decrease,
            Measure::Net => (self.previous - self.headcount).max(0),
        }
        .max(0)
    }
}

/// The enterprises a run must read: those whose headcount fell on last month or whose
/// decrease reached `least_decrease(rules)` (no other can meet an enterprise rule).
pub fn least_decrease(rules: &[Rule]) -> i64 {
    rules
        .iter()
        .filter(|r| r.active)
        .filter_map(|r| r.kind.loss_test())
        .map(LossTest::least)
        .min()
        .unwrap_or(i64::MAX)
}

/// What a monitoring run looks at: the enterprises that lost jobs (see [`least_decrease`])
/// and every county's sums this month and a year earlier (what the regional rules add up),
/// so that a run need not read every report of the province.
pub struct MonthData {
    pub month: Month,
    pub losses: Vec<EnterpriseMonth>,
    pub counties: BTreeMap<RegionCode, Figures>,
    pub counties_year_ago: BTreeMap<RegionCode, Figures>,
}

/// One rule met by one enterprise or region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub level: Level,
    /// The enterprise's county, or the region the rule looked at.
    pub region: RegionCode,
    pub enterprise_id: Option<i64>,
    /// People concerned: jobs lost by the enterprise, the cluster or the region.
    pub people: i64,
    /// The rate or share that met the rule.
    pub rate: Option<Ratio>,
    /// What was found, in Chinese.
    pub detail: String,
}

fn at_tier(region: RegionCode, tier: Tier) -> RegionCode {
    let mut r = region;
    while Tier::of(r.level()) < tier {
        match r.parent() {
            Some(p) => r = p,
            None => break,
        }
    }
    r
}

/// County sums added up to `tier`.
fn by_region(
    counties: &BTreeMap<RegionCode, Figures>,
    tier: Tier,
) -> BTreeMap<RegionCode, Figures> {
    let mut map: BTreeMap<RegionCode, Figures> = BTreeMap::new();
    for (county, f) in counties {
        map.entry(at_tier(*county, tier)).or_default().merge(f);
    }
    map
}

fn percent_text(r: Ratio) -> String {
    format!("{}%", r.round_percent(1))
}

/// Every finding of the active `rules` over `data`, in rule order then region and enterprise;
/// an enterprise has one finding, of its most severe rule.
pub fn evaluate(rules: &[Rule], data: &MonthData) -> Vec<Finding> {
    most_severe_per_enterprise(findings(rules, data))
}

/// One warning per enterprise and month at the most severe level its loss reaches (DOMAIN §4:
/// Ⅲ/Ⅱ/Ⅰ are levels of one situation): 200 people cut is a red warning, not a red and a
/// yellow one to be signed for and closed twice. The first rule wins among equals.
fn most_severe_per_enterprise(findings: Vec<Finding>) -> Vec<Finding> {
    let mut kept: BTreeMap<i64, usize> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let Some(e) = f.enterprise_id
            && kept
                .get(&e)
                .is_none_or(|&k| !findings[k].level.at_least(f.level))
        {
            kept.insert(e, i);
        }
    }
    findings
        .into_iter()
        .enumerate()
        .filter(|(i, f)| f.enterprise_id.is_none_or(|e| kept[&e] == *i))
        .map(|(_, f)| f)
        .collect()
}

fn findings(rules: &[Rule], data: &MonthData) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| r.active) {
        let finding = |region, enterprise_id, people, rate, detail| Finding {
            rule: rule.code.clone(),
            level: rule.level,
            region,
            enterprise_id,
            people,
            rate,
            detail,
        };
        match &rule.kind {
            RuleKind::EnterpriseLoss { test } => {
                for r in &data.losses {
                    if let Some(loss) = test.met(r) {
                        let share = Ratio::of_counts(loss, r.previous);
                        let detail = format!(
                            "{}月减员 {} 人（上月 {} 人，新增 {} 人，本月 {} 人），占上月 {}",
                            data.month.month(),
                            loss,
                            r.previous,
                            r.new_hires,
                            r.headcount,
                            share.map(percent_text).unwrap_or_default()
                        );
                        out.push(finding(
                            r.region,
                            Some(r.enterprise_id),
                            loss,
                            share,
                            detail,
                        ));
                    }
                }
            }
            RuleKind::CountyCluster {
                min_enterprises,
                test,
            } => {
                let mut counties: BTreeMap<RegionCode, (i64, i64)> = BTreeMap::new();
                for (r, loss) in data.losses.iter().filter_map(|r| Some((r, test.met(r)?))) {
                    let c = counties.entry(at_tier(r.region, Tier::County)).or_default();
                    c.0 += 1;
                    c.1 += loss;
                }
                for (county, (n, people)) in counties {
                    if n >= *min_enterprises {
                        let detail = format!(
                            "{} 家企业各减员 {} 以上，合计减员 {} 人",
                            n,
                            test.describe(),
                            people
                        );
                        out.push(finding(county, None, people, None, detail));
                    }
                }
            }
            RuleKind::RegionLossRate {
                tier,
                basis,
                min_rate,
            } => {
                for (region, f) in by_region(&data.counties, *tier) {
                    let (rate, base_name, base) = match basis {
                        Basis::Baseline => (f.loss_rate(), "建档期", f.baseline),
                        Basis::Previous => (f.monthly_loss_rate(), "上月", f.previous),
                    };
                    if let Some(rate) = rate.filter(|r| *r >= min_rate.ratio()) {
                        let people = base - f.headcount;
                        let detail = format!(
                            "{} 家监测企业岗位流失率 {}（{} {} 人，本月 {} 人），达到 {}",
                            f.enterprises,
                            percent_text(rate),
                            base_name,
                            base,
                            f.headcount,
                            min_rate
                        );
                        out.push(finding(region, None, people, Some(rate), detail));
                    }
                }
            }
            RuleKind::YearOnYear {
                tier,
                min_rise,
                min_people,
            } => {
                let before = by_region(&data.counties_year_ago, *tier);
                for (region, f) in by_region(&data.counties, *tier) {
                    // Without last year's reports there is nothing to compare with.
                    let Some(b) = before.get(&region) else {
                        continue;
                    };
                    let loss = -f.net_change();
                    let last = -b.net_change();
                    let threshold = Ratio::ONE + min_rise.ratio();
                    let risen = last <= 0
                        || Ratio::from_integer(loss) >= Ratio::from_integer(last) * threshold;
                    if loss >= *min_people && risen {
                        let rise = Ratio::of_counts(loss - last, last).filter(|_| last > 0);
                        let detail = format!(
                            "本月净减员 {} 人，上年同月 {} 人{}",
                            loss,
                            last.max(0),
                            rise.map(|r| format!("，上升 {}", percent_text(r)))
                                .unwrap_or_default()
                        );
                        out.push(finding(region, None, loss, rise, detail));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "warning_tests.rs"]
mod tests;
