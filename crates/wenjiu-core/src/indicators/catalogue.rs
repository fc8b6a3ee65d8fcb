//! The indicator catalogue (指标目录): what each indicator measures, in which unit, where its
//! values come from, how a region's value follows from its subregions', and which way is good.
//! The built-in entries are the indicators of the seed's first paragraph and DOMAIN.md §2–3;
//! their wording is editable, and supplied (imported or entered) indicators can be added.

use serde::{Deserialize, Serialize};

use super::{Direction, IndicatorKind};
use crate::{Error, Result};

/// Codes of the built-in indicators the bulletin and the registry computation know by name.
pub mod codes {
    pub const URBAN_NEWLY_EMPLOYED: &str = "urban_newly_employed";
    pub const NATURAL_ATTRITION: &str = "natural_attrition";
    pub const NEW_URBAN_EMPLOYMENT: &str = "new_urban_employment";
    pub const REEMPLOYED: &str = "reemployed";
    pub const DIFFICULTY_EMPLOYED: &str = "difficulty_employed";
    pub const REGISTERED_UNEMPLOYED: &str = "registered_unemployed";
    pub const URBAN_EMPLOYED: &str = "urban_employed";
    pub const REGISTERED_RATE: &str = "registered_unemployment_rate";
    pub const SURVEYED_RATE: &str = "surveyed_unemployment_rate";
    pub const SURVEYED_RANK: &str = "surveyed_unemployment_rank";
    pub const ZERO_EMPLOYMENT_HOUSEHOLDS: &str = "zero_employment_households";
    pub const ZERO_EMPLOYMENT_PLACED: &str = "zero_employment_placed";
    pub const TRAINING_COMPLETIONS: &str = "training_completions";
    pub const ENTREPRENEURSHIP_LEADERS: &str = "entrepreneurship_leaders";
    pub const ENTREPRENEURSHIP_JOBS: &str = "entrepreneurship_jobs";
}

/// Where an indicator's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Counted from the real-name registry by wenjiu.
    Computed,
    /// Calculated from other indicators ([`Derivation`]); never stored.
    Derived,
    /// Supplied from elsewhere (the statistics bureau, another system): imported or entered.
    Supplied,
}

impl Origin {
    pub fn label(&self) -> &'static str {
        match self {
            Origin::Computed => "实名制系统统计",
            Origin::Derived => "由其他指标计算",
            Origin::Supplied => "导入或填报",
        }
    }
}

/// What one value of the indicator is, which decides how months and regions combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// People or events in one month; reported cumulative from January (城镇新增就业).
    Flow,
    /// A level at the end of the month (城镇登记失业人数).
    Stock,
    /// A percentage, as a fraction (城镇登记失业率).
    Rate,
    /// A position among peers (全国第8位).
    Rank,
}

impl Measure {
    /// The serialized name: flow, stock, rate, rank.
    pub fn code(&self) -> &'static str {
        match self {
            Measure::Flow => "flow",
            Measure::Stock => "stock",
            Measure::Rate => "rate",
            Measure::Rank => "rank",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Measure::Flow => "期间累计",
            Measure::Stock => "期末时点",
            Measure::Rate => "比率",
            Measure::Rank => "排位",
        }
    }

    /// Counts are compared year on year in %, rates in percentage points.
    pub fn kind(&self) -> IndicatorKind {
        match self {
            Measure::Rate => IndicatorKind::Rate,
            _ => IndicatorKind::Count,
        }
    }
}

/// How often values are published: a quarterly value stands at the quarter's last month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
}

/// A derived indicator's formula over other indicators of the same region and month.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Derivation {
    /// `minuend − subtrahend` (城镇新增就业 = 新就业 − 自然减员); a missing subtrahend is zero.
    Difference { minuend: String, subtrahend: String },
    /// `part / (part + rest)` (登记失业率 = 登记失业人数 / (从业人员 + 登记失业人数)).
    ShareOfSum { part: String, rest: String },
}

/// How a region's value follows from its subregions'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Computed counts: the sum of every value stored anywhere in the region.
    SumAll,
    /// Supplied counts: the region's own value where supplied, else the sum of its subregions'.
    OwnOrSum,
    /// By its formula, from the region's (aggregated) components.
    Formula,
    /// Only where supplied for the region itself (a surveyed rate, a rank).
    None,
}

impl Aggregation {
    pub fn label(&self) -> &'static str {
        match self {
            Aggregation::SumAll => "县→市→省逐级加总",
            Aggregation::OwnOrSum => "本级填报优先，否则下级加总",
            Aggregation::Formula => "由汇总后的组成指标计算",
            Aggregation::None => "不汇总，按本级填报",
        }
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    /// 人, 户, 人次, %, 位.
    pub unit: String,
    pub origin: Origin,
    pub measure: Measure,
    pub direction: Direction,
    pub frequency: Frequency,
    pub derivation: Option<Derivation>,
    /// Annual targets are counts to reach (Flow) or ceilings to stay under (Rate).
    pub has_target: bool,
    pub description: String,
    pub sort: i64,
    pub enabled: bool,
}

impl Indicator {
    pub fn aggregation(&self) -> Aggregation {
        match (self.origin, self.measure) {
            (Origin::Derived, _) => Aggregation::Formula,
            (Origin::Computed, _) => Aggregation::SumAll,
            (Origin::Supplied, Measure::Flow | Measure::Stock) => Aggregation::OwnOrSum,
            (Origin::Supplied, Measure::Rate | Measure::Rank) => Aggregation::None,
        }
    }

    /// Whether values are stored in the ledger (derived ones are calculated when read).
    pub fn is_stored(&self) -> bool {
        self.origin != Origin::Derived
    }

    /// A new supplied indicator, as a user adds one. Computed and derived ones need code.
    pub fn supplied(code: &str, name: &str, unit: &str, measure: Measure) -> Result<Indicator> {
        let valid = !code.is_empty()
            && code.len() <= 64
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(Error::invalid(
                "指标代码",
                format!("“{code}”格式错误：应为小写字母、数字和下划线"),
            ));
        }
        if name.trim().is_empty() {
            return Err(Error::required("指标名称"));
        }
        Ok(Indicator {
            code: code.to_string(),
            name: name.trim().to_string(),
            unit: unit.trim().to_string(),
            origin: Origin::Supplied,
            measure,
            direction: Direction::HigherIsBetter,
            frequency: Frequency::Monthly,
            derivation: None,
            has_target: false,
            description: String::new(),
            sort: 1000,
            enabled: true,
        })
    }
}

/// The built-in catalogue, in bulletin order.
pub fn builtin() -> Vec<Indicator> {
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
    use Measure::*;
    use Origin::*;
    use codes::*;
    let entry = |code: &str,
                 name: &str,
                 unit: &str,
                 origin,
                 measure,
                 direction,
                 has_target,
                 description: &str| Indicator {
        code: code.to_string(),
        name: name.to_string(),
        unit: unit.to_string(),
        origin,
        measure,
        direction,
        frequency: Frequency::Monthly,
        derivation: None,
        has_target,
        description: description.to_string(),
        sort: 0,
        enabled: true,
    };
    let mut all = vec![
        Indicator {
            derivation: Some(Derivation::Difference {
                minuend: URBAN_NEWLY_EMPLOYED.into(),
                subtrahend: NATURAL_ATTRITION.into(),
            }),
            ..entry(
                NEW_URBAN_EMPLOYMENT,
                "城镇新增就业人数",
                "人",
                Derived,
                Flow,
                Up,
                true,
                "城镇新就业人数减自然减员人数；自然减员只由上级地区填报的，本地区不计算。",
            )
        },
        entry(
            URBAN_NEWLY_EMPLOYED,
            "城镇新就业人数",
            "人",
            Computed,
            Flow,
            Up,
            false,
            "报告期内在城镇新就业的人数：同一人一年内多次就业只计一次，续签劳动合同或未离岗的就业登记不计。",
        ),
        entry(
            NATURAL_ATTRITION,
            "自然减员人数",
            "人",
            Supplied,
            Flow,
            Down,
            false,
            "报告期内因退休、死亡等减少的就业人数。",
        ),
        entry(
            REEMPLOYED,
            "失业人员再就业人数",
            "人",
            Computed,
            Flow,
            Up,
            true,
            "报告期内因就业而终止失业登记的人数，同一人一年内只计一次。",
        ),
        entry(
            DIFFICULTY_EMPLOYED,
            "就业困难人员就业人数",
            "人",
            Computed,
            Flow,
            Up,
            true,
            "城镇新就业人员中，就业前一日处于登记失业状态、且符合就业困难人员认定类别的人数。",
        ),
        entry(
            REGISTERED_UNEMPLOYED,
            "城镇登记失业人数",
            "人",
            Computed,
            Stock,
            Down,
            false,
            "月末处于失业登记状态的人数。",
        ),
        entry(
            URBAN_EMPLOYED,
            "城镇从业人员数",
            "人",
            Supplied,
            Stock,
            Up,
            false,
            "计算城镇登记失业率所用的城镇从业人员数，由统计部门提供。",
        ),
        Indicator {
            derivation: Some(Derivation::ShareOfSum {
                part: REGISTERED_UNEMPLOYED.into(),
                rest: URBAN_EMPLOYED.into(),
            }),
            ..entry(
                REGISTERED_RATE,
                "城镇登记失业率",
                "%",
                Derived,
                Rate,
                Down,
                true,
                "城镇登记失业人数 ÷（城镇从业人员数 + 城镇登记失业人数）× 100%。",
            )
        },
        Indicator {
            frequency: Frequency::Quarterly,
            ..entry(
                SURVEYED_RATE,
                "城镇调查失业率",
                "%",
                Supplied,
                Rate,
                Down,
                true,
                "统计部门劳动力调查结果，导入，不由登记数据计算。",
            )
        },
        Indicator {
            frequency: Frequency::Quarterly,
            ..entry(
                SURVEYED_RANK,
                "城镇调查失业率全国排位",
                "位",
                Supplied,
                Rank,
                Down,
                false,
                "由低到高的位次，与调查失业率同期。",
            )
        },
        entry(
            ZERO_EMPLOYMENT_HOUSEHOLDS,
            "零就业家庭户数",
            "户",
            Computed,
            Stock,
            Down,
            false,
            "月末有劳动年龄成员登记失业、且无成员就业的城镇家庭户数。",
        ),
        entry(
            ZERO_EMPLOYMENT_PLACED,
            "零就业家庭安置户数",
            "户",
            Computed,
            Flow,
            Up,
            false,
            "本月有成员就业、且就业前一日为零就业家庭的户数（当月认定、当月安置的也计入）。",
        ),
        entry(
            TRAINING_COMPLETIONS,
            "职业技能培训人次",
            "人次",
            Supplied,
            Flow,
            Up,
            true,
            "完成职业技能培训的人次（含线上培训）。",
        ),
        entry(
            ENTREPRENEURSHIP_LEADERS,
            "扶持创业带头人数",
            "人",
            Supplied,
            Flow,
            Up,
            false,
            "报告期内扶持的创业带头人数。",
        ),
        entry(
            ENTREPRENEURSHIP_JOBS,
            "创业带动就业人数",
            "人",
            Supplied,
            Flow,
            Up,
            false,
            "扶持的创业带头人带动就业的人数。",
        ),
    ];
    for (i, ind) in all.iter_mut().enumerate() {
        ind.sort = (i as i64 + 1) * 10;
    }
    all
}

/// Checks a catalogue as a whole: codes unique, every formula's operands present and stored.
pub fn check(catalogue: &[Indicator]) -> Result<()> {
    let find = |code: &str| catalogue.iter().find(|i| i.code == code);
    for (i, ind) in catalogue.iter().enumerate() {
        if catalogue[..i].iter().any(|o| o.code == ind.code) {
            return Err(Error::invalid("指标代码", format!("“{}”重复", ind.code)));
        }
        let operands = match &ind.derivation {
            Some(Derivation::Difference {
                minuend,
                subtrahend,
            }) => vec![minuend, subtrahend],
            Some(Derivation::ShareOfSum { part, rest }) => vec![part, rest],
            None => vec![],
        };
        for op in operands {
            if !find(op).is_some_and(Indicator::is_stored) {
                return Err(Error::invalid(
                    "指标公式",
                    format!("“{}”引用的“{op}”不存在或不是存储指标", ind.name),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_is_consistent() {
        let all = builtin();
        check(&all).unwrap();
        let rate = all
            .iter()
            .find(|i| i.code == codes::REGISTERED_RATE)
            .unwrap();
        assert_eq!(rate.aggregation(), Aggregation::Formula);
        let surveyed = all.iter().find(|i| i.code == codes::SURVEYED_RATE).unwrap();
        assert_eq!(surveyed.aggregation(), Aggregation::None);
        let newly = all
            .iter()
            .find(|i| i.code == codes::URBAN_NEWLY_EMPLOYED)
            .unwrap();
        assert_eq!(newly.aggregation(), Aggregation::SumAll);
    }

    #[test]
    fn supplied_codes_are_checked() {
        assert!(Indicator::supplied("bad code", "x", "人", Measure::Flow).is_err());
        assert!(Indicator::supplied("ok_1", " ", "人", Measure::Flow).is_err());
        let mut all = builtin();
        all.push(Indicator::supplied("fairs", "招聘会场次", "场", Measure::Flow).unwrap());
        check(&all).unwrap();
        all.push(all[0].clone());
        assert!(check(&all).is_err());
    }
}
