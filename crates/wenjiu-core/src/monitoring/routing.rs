//! Who is told of a warning: the province–city–county linkage ("1+4") as configuration. Each
//! route names conditions (a level at least as severe, a number of people at least, about one
//! enterprise) and the tiers it notifies; a warning goes to the union of the tiers of every
//! route it meets.

use serde::{Deserialize, Serialize};

use super::warning::{Finding, Level};
use crate::RegionLevel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    County,
    City,
    Province,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::County, Tier::City, Tier::Province];

    pub fn code(&self) -> &'static str {
        match self {
            Tier::County => "county",
            Tier::City => "city",
            Tier::Province => "province",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Tier::County => "县区",
            Tier::City => "市级",
            Tier::Province => "省级",
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        Self::ALL.into_iter().find(|t| t.code() == text)
    }

    /// The tier of a data scope or a region.
    pub fn of(level: RegionLevel) -> Tier {
        match level {
            RegionLevel::Province => Tier::Province,
            RegionLevel::City => Tier::City,
            RegionLevel::County => Tier::County,
        }
    }
}

/// One rule of the routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// Applies to warnings of this level or a more severe one.
    #[serde(default)]
    pub min_level: Option<Level>,
    /// Applies when the warning concerns at least this many people.
    #[serde(default)]
    pub min_people: Option<i64>,
    /// Applies only to warnings about one enterprise (its layoff or filing), not a region's
    /// cumulative loss.
    #[serde(default)]
    pub enterprise_only: bool,
    pub notify: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub routes: Vec<Route>,
}

impl Default for Routing {
    /// Every warning to its county and city; level Ⅰ and one enterprise's layoff of 200 or more
    /// people also to the province at once (seed 二(五): "对企业一次性裁员或关闭破产涉及200人以上的，
    /// 要求各地第一时间报告" — about an enterprise, not a county's loss since enrolment).
    fn default() -> Self {
        Routing {
            routes: vec![
                Route {
                    min_level: None,
                    min_people: None,
                    enterprise_only: false,
                    notify: vec![Tier::County, Tier::City],
                },
                Route {
                    min_level: Some(Level::Red),
                    min_people: None,
                    enterprise_only: false,
                    notify: vec![Tier::Province],
                },
                Route {
                    min_level: None,
                    min_people: Some(200),
                    enterprise_only: true,
                    notify: vec![Tier::Province],
                },
            ],
        }
    }
}

impl Routing {
    /// The tiers told of `finding`, lowest first; a tier below the warning's own region (a
    /// county for a city-wide warning) is left out. Every warning reaches at least the tier of
    /// its region, whatever the configuration says, so none is lost.
    pub fn recipients(&self, finding: &Finding) -> Vec<Tier> {
        let own = Tier::of(finding.region.level());
        let mut tiers: Vec<Tier> = self
            .routes
            .iter()
            .filter(|r| r.min_level.is_none_or(|l| finding.level.at_least(l)))
            .filter(|r| r.min_people.is_none_or(|p| finding.people >= p))
            .filter(|r| !r.enterprise_only || finding.enterprise_id.is_some())
            .flat_map(|r| r.notify.iter().copied())
            .filter(|t| *t >= own)
            .chain([own])
            .collect();
        tiers.sort();
        tiers.dedup();
        tiers
    }

    /// Checks that every route notifies someone.
    pub fn check(&self) -> Result<(), String> {
        match self.routes.iter().position(|r| r.notify.is_empty()) {
            Some(i) => Err(format!("第 {} 条推送规则没有指定推送层级", i + 1)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RegionCode;

    fn finding(level: Level, people: i64, region: &str) -> Finding {
        Finding {
            rule: "r".into(),
            level,
            region: RegionCode::parse(region).unwrap(),
            enterprise_id: Some(1),
            people,
            rate: None,
            detail: String::new(),
        }
    }

    #[test]
    fn the_default_routing_escalates_red_and_200_people() {
        let r = Routing::default();
        use Tier::*;
        assert_eq!(
            r.recipients(&finding(Level::Yellow, 60, "210102")),
            [County, City]
        );
        assert_eq!(
            r.recipients(&finding(Level::Orange, 199, "210102")),
            [County, City]
        );
        assert_eq!(
            r.recipients(&finding(Level::Yellow, 200, "210102")),
            [County, City, Province]
        );
        assert_eq!(
            r.recipients(&finding(Level::Red, 0, "210102")),
            [County, City, Province]
        );
        // A county's loss since enrolment is not one enterprise's layoff of 200.
        let county = Finding {
            enterprise_id: None,
            ..finding(Level::Yellow, 2281, "210102")
        };
        assert_eq!(r.recipients(&county), [County, City]);
        // A city-wide warning has no county to go to.
        assert_eq!(r.recipients(&finding(Level::Orange, 10, "2101")), [City]);
    }

    #[test]
    fn a_route_without_tiers_is_refused() {
        let r = Routing {
            routes: vec![Route {
                min_level: None,
                min_people: None,
                enterprise_only: false,
                notify: vec![],
            }],
        };
        assert_eq!(r.check(), Err("第 1 条推送规则没有指定推送层级".into()));
    }
}
