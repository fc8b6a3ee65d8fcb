//! Each default rule fires at its boundary and not one below it.

use super::*;

const MONTH: &str = "2020-03";

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn ent(id: i64, county: &str, previous: i64, headcount: i64) -> EnterpriseMonth {
    EnterpriseMonth {
        enterprise_id: id,
        region: code(county),
        baseline: previous,
        previous,
        headcount,
        new_hires: (headcount - previous).max(0),
        decrease: (previous - headcount).max(0),
    }
}

/// What the store reads for a run, from every report of the month and its year-ago month.
fn data(reports: Vec<EnterpriseMonth>, year_ago: Vec<EnterpriseMonth>) -> MonthData {
    let by_county = |reports: &[EnterpriseMonth]| {
        let mut map: BTreeMap<RegionCode, Figures> = BTreeMap::new();
        for r in reports {
            let f = map.entry(r.region).or_default();
            f.add(r.baseline, r.previous, r.headcount, r.new_hires, r.decrease);
        }
        map
    };
    MonthData {
        month: Month::parse(MONTH).unwrap(),
        losses: reports
            .iter()
            .filter(|r| r.decrease > 0 || r.headcount < r.previous)
            .copied()
            .collect(),
        counties: by_county(&reports),
        counties_year_ago: by_county(&year_ago),
    }
}

fn rule(code: &str) -> Rule {
    default_rules()
        .into_iter()
        .find(|r| r.code == code)
        .unwrap()
}

fn fired(code: &str, d: &MonthData) -> Vec<Finding> {
    evaluate(&[rule(code)], d)
}

#[test]
fn defaults_are_valid_and_cover_every_level() {
    let rules = default_rules();
    for r in &rules {
        r.check().unwrap();
    }
    for level in Level::ALL {
        assert!(rules.iter().any(|r| r.level == level), "{level:?}");
    }
}

#[test]
fn one_enterprise_losing_200_is_red_at_200_not_199() {
    let d = data(
        vec![ent(1, "210102", 1000, 800), ent(2, "210102", 1000, 801)],
        vec![],
    );
    let f = fired("single_200", &d);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].enterprise_id, f[0].people, f[0].level),
        (Some(1), 200, Level::Red)
    );
    assert_eq!(
        f[0].detail,
        "3月减员 200 人（上月 1000 人，新增 0 人，本月 800 人），占上月 20.0%"
    );
}

/// 大连宏远 in May: 6,429 last month, 128 hired, 278 cut in an economic layoff — a net fall of
/// 150 only, but 278 people cut at once: red, and only red.
#[test]
fn people_cut_count_not_the_net_fall_and_one_warning_per_enterprise() {
    let mut r = ent(1, "210202", 6429, 6279);
    r.new_hires = 128;
    r.decrease = 278;
    let d = data(vec![r], vec![]);
    let f = evaluate(&default_rules(), &d);
    let found: Vec<_> = f
        .iter()
        .filter(|f| f.enterprise_id.is_some())
        .map(|f| (f.rule.as_str(), f.people, f.level))
        .collect();
    assert_eq!(found, [("single_200", 278, Level::Red)]);
    // Measured net, as a configuration may choose, the same month is 150 people: no red.
    let mut net = rule("single_200");
    if let RuleKind::EnterpriseLoss { test } = &mut net.kind {
        test.measure = Measure::Net;
    }
    assert!(evaluate(&[net], &d).is_empty());
    // The store reads every enterprise that cut 10 or more (the share floor) or fell.
    assert_eq!(least_decrease(&default_rules()), 10);
}

#[test]
fn enterprise_loss_by_people_or_share_with_a_floor() {
    let d = data(
        vec![
            ent(1, "210102", 1000, 950), // 50 people: yes
            ent(2, "210102", 1000, 951), // 49 people, 4.9%: no
            ent(3, "210102", 100, 70),   // 30 people, 30%: yes
            ent(4, "210102", 100, 71),   // 29%: no
            ent(5, "210102", 20, 11),    // 9 people, 45%: below the floor of 10
            ent(6, "210102", 30, 20),    // 10 people, 33%: yes
        ],
        vec![],
    );
    let ids: Vec<_> = fired("enterprise_50", &d)
        .iter()
        .map(|f| f.enterprise_id.unwrap())
        .collect();
    assert_eq!(ids, [1, 3, 6]);
}

#[test]
fn five_enterprises_in_one_county_are_orange_four_are_not() {
    // Each more than 50 (Shandong: "> 50"): 51 of 500; exactly 50 (10%) is not.
    let fifty: Vec<_> = (1..=5).map(|i| ent(i, "210102", 500, 450)).collect();
    assert!(fired("county_cluster", &data(fifty, vec![])).is_empty());
    let five: Vec<_> = (1..=5).map(|i| ent(i, "210102", 500, 449)).collect();
    let mut spread = five.clone();
    spread[4].region = code("210103");
    let f = fired("county_cluster", &data(five, vec![]));
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].region, f[0].people, f[0].enterprise_id),
        (code("210102"), 255, None)
    );
    assert_eq!(
        f[0].detail,
        "5 家企业各减员 51 人或 30% 以上，合计减员 255 人"
    );
    assert!(fired("county_cluster", &data(spread, vec![])).is_empty());
}

#[test]
fn a_regions_loss_rate_against_the_baseline() {
    // 沈阳: 2 enterprises, baseline 2000, now 1800 = 10%: orange; 大连 1801 = 9.95%: none.
    let mut a = ent(1, "210102", 1000, 900);
    a.baseline = 1000;
    let b = ent(2, "210103", 1000, 900);
    let c = ent(3, "210202", 1000, 900);
    let d2 = ent(4, "210203", 1000, 901);
    let f = fired("city_rate_10", &data(vec![a, b, c, d2], vec![]));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].region, code("2101"));
    assert_eq!(f[0].rate, Ratio::of_counts(1, 10));
    assert_eq!(f[0].people, 200);
    // Counties at 5%: 50 of 1000 yes, 49 no.
    let f = fired(
        "county_rate_5",
        &data(
            vec![ent(1, "210102", 1000, 950), ent(2, "210103", 1000, 951)],
            vec![],
        ),
    );
    assert_eq!(
        f.iter().map(|f| f.region).collect::<Vec<_>>(),
        [code("210102")]
    );
}

#[test]
fn year_on_year_needs_the_rise_and_the_people() {
    let last = vec![ent(1, "210102", 10_000, 9_600)]; // lost 400 a year ago
    // 600 = 400 × 1.5: fires; 599 does not; a month a year ago with no loss: any 500+
    // fires; no reports a year ago: no comparison.
    let f = fired(
        "city_yoy",
        &data(vec![ent(1, "210102", 10_000, 9_400)], last.clone()),
    );
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].region, f[0].people), (code("2101"), 600));
    assert_eq!(
        f[0].detail,
        "本月净减员 600 人，上年同月 400 人，上升 50.0%"
    );
    let yoy = |now: i64, year_ago: Vec<EnterpriseMonth>| {
        fired(
            "city_yoy",
            &data(vec![ent(1, "210102", 10_000, now)], year_ago),
        )
        .len()
    };
    assert_eq!(yoy(9_401, last), 0);
    let flat = vec![ent(1, "210102", 10_000, 10_000)];
    assert_eq!(yoy(9_500, flat.clone()), 1);
    assert_eq!(yoy(9_501, flat), 0);
    assert_eq!(yoy(9_000, vec![]), 0);
}

#[test]
fn inactive_rules_and_growth_fire_nothing() {
    let mut r = rule("enterprise_50");
    r.active = false;
    let d = data(vec![ent(1, "210102", 1000, 500)], vec![]);
    assert!(evaluate(&[r], &d).is_empty());
    let grew = data(vec![ent(1, "210102", 1000, 1500)], vec![]);
    assert!(evaluate(&default_rules(), &grew).is_empty());
}

#[test]
fn rules_round_trip_through_json_and_bad_thresholds_are_named() {
    let rules = default_rules();
    let json = serde_json::to_string(&rules).unwrap();
    assert!(
        json.contains(
            r#""kind":"enterprise_loss","measure":"decrease","min_people":50,"min_share":"30""#
        ),
        "{json}"
    );
    let back: Vec<Rule> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rules);
    let mut bad = rule("county_cluster");
    if let RuleKind::CountyCluster {
        min_enterprises, ..
    } = &mut bad.kind
    {
        *min_enterprises = 0;
    }
    assert_eq!(
        bad.check(),
        Err(
            "预警规则“同一县区5家以上企业各减员超过50人或达30%以上”：企业数和减员阈值须为正数"
                .into()
        )
    );
    assert!(serde_json::from_str::<Percent>(r#""三成""#).is_err());
}
