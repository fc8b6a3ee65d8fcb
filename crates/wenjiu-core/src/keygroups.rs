//! Key-group tags (重点群体), always derived from registry facts by rule, never typed in, so that
//! every count of a key group can be traced back to the facts that put each person in it.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::code_table::code_table;
use crate::idcard::{age_on, months_of_age};
use crate::{Education, EmploymentKind, Hukou, Sex};

code_table! {
    /// A key group named by the seed document. A person may be in several.
    pub enum KeyGroup: "重点群体" {
        GraduateOfYear = "graduate", "毕业年度高校毕业生";
        Unemployed6m = "unemployed_6m", "登记失业半年以上";
        Unemployed12m = "unemployed_12m", "登记失业一年以上";
        Difficulty = "difficulty", "就业困难人员";
        ZeroEmploymentHousehold = "zero_household", "零就业家庭成员";
        MigrantWorker = "migrant", "农民工";
        Veteran = "veteran", "退役军人";
    }
}

/// What the registry knows about a person on a given day, as input to the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFacts {
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub hukou: Hukou,
    pub education: Option<Education>,
    pub graduation_year: Option<i32>,
    pub veteran: bool,
    /// Declared conditions by code, see [`crate::PERSON_ATTRIBUTES`] ("disabled", "dibao", ...).
    pub attributes: Vec<String>,
    /// Start of the open unemployment registration, if any.
    pub unemployed_since: Option<NaiveDate>,
    /// Form of the open employment registration, if any.
    pub employed: Option<EmploymentKind>,
    /// An open employment is off the farm: any but work for an employer of GB/T 4754
    /// section A (农、林、牧、渔业).
    pub off_farm: bool,
    /// Member of a household found to be a zero-employment household.
    pub zero_household: bool,
}

/// How a difficulty category is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CategoryRule {
    /// The person declared this attribute code.
    Attribute(String),
    /// Age on the day of evaluation at least this many years (by sex).
    Age { female_min: u32, male_min: u32 },
    /// Open unemployment registration of at least this many whole calendar months.
    UnemployedMonths(u32),
    /// Member of a zero-employment household.
    ZeroEmploymentHousehold,
}

/// One category of 就业困难人员. Provinces define their own list, so it is data (kept by the store
/// as JSON and edited by administrators), not code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DifficultyCategory {
    pub code: String,
    pub name: String,
    pub rule: CategoryRule,
    pub enabled: bool,
}

/// The typical categories of DOMAIN §3.
///
/// ASSUMED: Liaoning's own list has not been confirmed from a primary source; this is the common
/// list of several provinces, shipped as the editable default.
pub fn default_difficulty_categories() -> Vec<DifficultyCategory> {
    let cat = |code: &str, name: &str, rule: CategoryRule| DifficultyCategory {
        code: code.to_string(),
        name: name.to_string(),
        rule,
        enabled: true,
    };
    vec![
        cat(
            "older",
            "大龄失业人员（女40周岁以上、男50周岁以上）",
            CategoryRule::Age {
                female_min: 40,
                male_min: 50,
            },
        ),
        cat(
            "disabled",
            "残疾人",
            CategoryRule::Attribute("disabled".into()),
        ),
        cat(
            "dibao",
            "城乡低保家庭成员",
            CategoryRule::Attribute("dibao".into()),
        ),
        cat(
            "zero_household",
            "零就业家庭成员",
            CategoryRule::ZeroEmploymentHousehold,
        ),
        cat(
            "long_term_unemployed",
            "连续失业一年以上人员",
            CategoryRule::UnemployedMonths(12),
        ),
        cat(
            "land_lost",
            "失地农民",
            CategoryRule::Attribute("land_lost".into()),
        ),
        cat(
            "single_parent",
            "单亲抚养未成年子女人员",
            CategoryRule::Attribute("single_parent".into()),
        ),
    ]
}

/// Result of [`derive_key_groups`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derived {
    /// Groups in [`KeyGroup::all`] order.
    pub groups: Vec<KeyGroup>,
    /// Codes of the matched difficulty categories, in category order; empty unless the person
    /// is in [`KeyGroup::Difficulty`].
    pub difficulty: Vec<String>,
}

/// Whether at least `months` whole calendar months have passed from `since` to `today`.
/// A registration on 2020-01-15 reaches 6 months on 2020-07-15; month ends clamp (2020-08-31
/// reaches 6 months on 2021-02-28).
pub fn whole_months_reached(since: NaiveDate, today: NaiveDate, months: u32) -> bool {
    since
        .checked_add_months(Months::new(months))
        .is_some_and(|due| today >= due)
}

fn matches_category(f: &PersonFacts, today: NaiveDate, rule: &CategoryRule) -> bool {
    match rule {
        CategoryRule::Attribute(code) => f.attributes.iter().any(|a| a == code),
        CategoryRule::Age {
            female_min,
            male_min,
        } => {
            let min = match f.sex {
                Sex::Female => *female_min,
                Sex::Male => *male_min,
            };
            age_on(f.birth_date, today) >= min
        }
        CategoryRule::UnemployedMonths(n) => f
            .unemployed_since
            .is_some_and(|since| whole_months_reached(since, today, *n)),
        CategoryRule::ZeroEmploymentHousehold => f.zero_household,
    }
}

/// Applies the key-group rules to one person on `today`:
/// - graduate: graduated this calendar year as 高校毕业生 ([`Education::counts_as_graduate`]);
/// - unemployed 6m / 12m: the open unemployment registration reached 6 / 12 whole months
///   (someone at 12 months is in both groups);
/// - difficulty: currently registered unemployed and matching at least one enabled category;
/// - zero-employment household member, veteran: as recorded;
/// - migrant worker (农民工, as the National Bureau of Statistics counts them: rural hukou and
///   working off the farm): rural hukou and an open employment other than for an employer in
///   agriculture. The Bureau's six months of such work in the year are not asked: the registry
///   serves people from their first month.
pub fn derive_key_groups(
    f: &PersonFacts,
    today: NaiveDate,
    categories: &[DifficultyCategory],
) -> Derived {
    let unemployed = f.unemployed_since.is_some();
    let months_reached = |n| {
        f.unemployed_since
            .is_some_and(|since| whole_months_reached(since, today, n))
    };
    let difficulty: Vec<String> = if unemployed {
        categories
            .iter()
            .filter(|c| c.enabled && matches_category(f, today, &c.rule))
            .map(|c| c.code.clone())
            .collect()
    } else {
        Vec::new()
    };

    let groups = KeyGroup::all()
        .iter()
        .copied()
        .filter(|g| match g {
            KeyGroup::GraduateOfYear => {
                f.graduation_year == Some(today.year())
                    && f.education.is_some_and(|e| e.counts_as_graduate())
            }
            KeyGroup::Unemployed6m => months_reached(6),
            KeyGroup::Unemployed12m => months_reached(12),
            KeyGroup::Difficulty => !difficulty.is_empty(),
            KeyGroup::ZeroEmploymentHousehold => f.zero_household,
            KeyGroup::MigrantWorker => f.hukou == Hukou::Rural && f.off_farm,
            KeyGroup::Veteran => f.veteran,
        })
        .collect();
    Derived { groups, difficulty }
}

/// Youngest working age (Labour Law Art. 15 bars employing anyone under 16).
pub const MIN_WORKING_AGE: u32 = 16;

/// A statutory retirement age: the age before 2025 (国发〔1978〕104号) and its gradual
/// increase by the NPC Standing Committee's decision of 2024-09-13 (in force 2025-01-01):
/// those born from `from` on retire one month later for every `step` months of birth, up to
/// `most` months.
struct RetirementAge {
    years: u32,
    from: (i32, u32),
    step: u32,
    most: u32,
}

/// Men: 60, up to 63 (born from 1965-01, a month per 4).
const MEN: RetirementAge = RetirementAge {
    years: 60,
    from: (1965, 1),
    step: 4,
    most: 36,
};

/// Women: 55, up to 58 (born from 1970-01, a month per 4). Women workers retired at 50 (up
/// to 55), cadres at 55; the registry cannot tell them apart, so a woman counts as of
/// working age, and may register as unemployed, until the later of the two.
const WOMEN: RetirementAge = RetirementAge {
    years: 55,
    from: (1970, 1),
    step: 4,
    most: 36,
};

/// The statutory retirement age, in months, of a person of `sex` born on `birth`.
pub fn retirement_age_months(birth: NaiveDate, sex: Sex) -> u32 {
    let age = match sex {
        Sex::Male => &MEN,
        Sex::Female => &WOMEN,
    };
    let born = birth.year() * 12 + birth.month0() as i32;
    let since = born - (age.from.0 * 12 + age.from.1 as i32 - 1);
    let later = u32::try_from(since).map_or(0, |m| (m / age.step + 1).min(age.most));
    age.years * 12 + later
}

/// What the household rule needs to know about each member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFacts {
    pub hukou: Hukou,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// Open unemployment registration (able and willing to work, without work).
    pub unemployed: bool,
    /// Open employment registration of any form.
    pub employed: bool,
}

/// Whether the person is of working age on `today`: from 16 until the statutory retirement
/// age of their sex ([`retirement_age_months`]).
pub fn is_working_age(birth_date: NaiveDate, sex: Sex, today: NaiveDate) -> bool {
    let months = months_of_age(birth_date, today);
    months >= MIN_WORKING_AGE * 12 && months < retirement_age_months(birth_date, sex)
}

/// A zero-employment household (零就业家庭): an urban household (at least one urban-hukou
/// member) in which no member is employed and at least one working-age member is registered
/// unemployed.
pub fn is_zero_employment_household(members: &[MemberFacts], today: NaiveDate) -> bool {
    members.iter().any(|m| m.hukou == Hukou::Urban)
        && !members.iter().any(|m| m.employed)
        && members
            .iter()
            .any(|m| m.unemployed && is_working_age(m.birth_date, m.sex, today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2020, 6, 16);

    fn today() -> NaiveDate {
        date(TODAY.0, TODAY.1, TODAY.2)
    }

    /// A 30-year-old urban man with no registrations and no conditions.
    fn base() -> PersonFacts {
        PersonFacts {
            birth_date: date(1990, 1, 1),
            sex: Sex::Male,
            hukou: Hukou::Urban,
            education: None,
            graduation_year: None,
            veteran: false,
            attributes: vec![],
            unemployed_since: None,
            employed: None,
            off_farm: false,
            zero_household: false,
        }
    }

    fn groups(f: &PersonFacts, on: NaiveDate) -> Vec<KeyGroup> {
        derive_key_groups(f, on, &default_difficulty_categories()).groups
    }

    #[test]
    fn nobody_special() {
        assert_eq!(
            derive_key_groups(&base(), today(), &default_difficulty_categories()),
            Derived::default()
        );
    }

    #[test]
    fn graduate_of_the_year() {
        let mut f = base();
        f.graduation_year = Some(2020);
        f.education = Some(Education::College);
        assert_eq!(groups(&f, today()), vec![KeyGroup::GraduateOfYear]);
        f.education = Some(Education::Doctorate);
        assert_eq!(groups(&f, today()), vec![KeyGroup::GraduateOfYear]);
        // 技师学院高级工班、预备技师班 and 特殊教育院校职业教育类 graduates count as 高校毕业生.
        for alike in [Education::TechnicianCollege, Education::SpecialVocational] {
            f.education = Some(alike);
            assert_eq!(groups(&f, today()), vec![KeyGroup::GraduateOfYear]);
        }
        // Secondary vocational graduates are not 高校毕业生.
        f.education = Some(Education::SecondaryVocational);
        assert!(groups(&f, today()).is_empty());
        f.education = None;
        assert!(groups(&f, today()).is_empty());
        // Last year's graduates have left the group on 1 January.
        f.education = Some(Education::Bachelor);
        f.graduation_year = Some(2019);
        assert!(groups(&f, today()).is_empty());
        assert_eq!(
            groups(&f, date(2019, 12, 31)),
            vec![KeyGroup::GraduateOfYear]
        );
        f.graduation_year = Some(2021);
        assert!(groups(&f, today()).is_empty());
    }

    #[test]
    fn unemployment_duration_boundaries() {
        let mut f = base();
        f.unemployed_since = Some(date(2020, 1, 15));
        assert!(groups(&f, date(2020, 7, 14)).is_empty());
        assert_eq!(groups(&f, date(2020, 7, 15)), vec![KeyGroup::Unemployed6m]);
        assert_eq!(groups(&f, date(2021, 1, 14)), vec![KeyGroup::Unemployed6m]);
        // At 12 months the person is also "一年以上", and long-term unemployed is a difficulty.
        let d = derive_key_groups(&f, date(2021, 1, 15), &default_difficulty_categories());
        assert_eq!(
            d.groups,
            vec![
                KeyGroup::Unemployed6m,
                KeyGroup::Unemployed12m,
                KeyGroup::Difficulty
            ]
        );
        assert_eq!(d.difficulty, vec!["long_term_unemployed"]);
        // A registration in the future has no duration yet.
        f.unemployed_since = Some(date(2020, 12, 1));
        assert!(groups(&f, today()).is_empty());
    }

    #[test]
    fn month_end_clamping() {
        let since = date(2020, 8, 31);
        assert!(!whole_months_reached(since, date(2021, 2, 27), 6));
        assert!(whole_months_reached(since, date(2021, 2, 28), 6));
        assert!(whole_months_reached(since, since, 0));
        let leap = date(2020, 2, 29);
        assert!(!whole_months_reached(leap, date(2021, 2, 27), 12));
        assert!(whole_months_reached(leap, date(2021, 2, 28), 12));
    }

    #[test]
    fn older_worker_age_boundaries() {
        let mut f = base();
        f.unemployed_since = Some(date(2020, 6, 1));
        // Man: 50 on 2020-06-16.
        f.birth_date = date(1970, 6, 17);
        assert!(groups(&f, today()).is_empty());
        f.birth_date = date(1970, 6, 16);
        let d = derive_key_groups(&f, today(), &default_difficulty_categories());
        assert_eq!(d.groups, vec![KeyGroup::Difficulty]);
        assert_eq!(d.difficulty, vec!["older"]);
        // Woman: 40 on 2020-06-16.
        f.sex = Sex::Female;
        f.birth_date = date(1980, 6, 17);
        assert!(groups(&f, today()).is_empty());
        f.birth_date = date(1980, 6, 16);
        assert_eq!(groups(&f, today()), vec![KeyGroup::Difficulty]);
    }

    #[test]
    fn difficulty_needs_open_unemployment_registration() {
        let mut f = base();
        f.attributes = vec!["disabled".into(), "dibao".into()];
        assert!(groups(&f, today()).is_empty());
        f.unemployed_since = Some(date(2020, 6, 1));
        let d = derive_key_groups(&f, today(), &default_difficulty_categories());
        assert_eq!(d.groups, vec![KeyGroup::Difficulty]);
        assert_eq!(d.difficulty, vec!["disabled", "dibao"]);
    }

    #[test]
    fn every_default_attribute_category_matches() {
        for attr in ["disabled", "dibao", "land_lost", "single_parent"] {
            let mut f = base();
            f.unemployed_since = Some(date(2020, 6, 1));
            f.attributes = vec![attr.into()];
            let d = derive_key_groups(&f, today(), &default_difficulty_categories());
            assert_eq!(d.difficulty, vec![attr]);
            assert!(crate::PERSON_ATTRIBUTES.iter().any(|(c, _)| *c == attr));
        }
    }

    #[test]
    fn disabled_categories_are_ignored() {
        let mut cats = default_difficulty_categories();
        for c in &mut cats {
            c.enabled = c.code != "disabled";
        }
        let mut f = base();
        f.unemployed_since = Some(date(2020, 6, 1));
        f.attributes = vec!["disabled".into()];
        assert_eq!(derive_key_groups(&f, today(), &cats), Derived::default());
        assert_eq!(derive_key_groups(&f, today(), &[]), Derived::default());
    }

    #[test]
    fn zero_household_member() {
        let mut f = base();
        f.zero_household = true;
        assert_eq!(groups(&f, today()), vec![KeyGroup::ZeroEmploymentHousehold]);
        f.unemployed_since = Some(date(2020, 6, 1));
        let d = derive_key_groups(&f, today(), &default_difficulty_categories());
        assert_eq!(
            d.groups,
            vec![KeyGroup::Difficulty, KeyGroup::ZeroEmploymentHousehold]
        );
        assert_eq!(d.difficulty, vec!["zero_household"]);
    }

    #[test]
    fn migrant_worker_and_veteran() {
        let mut f = base();
        f.hukou = Hukou::Rural;
        assert!(groups(&f, today()).is_empty());
        for kind in EmploymentKind::all() {
            f.employed = Some(*kind);
            f.off_farm = true;
            assert_eq!(groups(&f, today()), vec![KeyGroup::MigrantWorker]);
            // Working for a farm: not a migrant worker.
            f.off_farm = false;
            assert!(groups(&f, today()).is_empty());
        }
        f.off_farm = true;
        f.hukou = Hukou::Urban;
        assert!(groups(&f, today()).is_empty());
        f.veteran = true;
        assert_eq!(groups(&f, today()), vec![KeyGroup::Veteran]);
    }

    #[test]
    fn key_group_codes() {
        let codes: Vec<_> = KeyGroup::all().iter().map(|g| g.code()).collect();
        assert_eq!(
            codes,
            [
                "graduate",
                "unemployed_6m",
                "unemployed_12m",
                "difficulty",
                "zero_household",
                "migrant",
                "veteran"
            ]
        );
        assert_eq!(KeyGroup::parse("农民工").unwrap(), KeyGroup::MigrantWorker);
        assert_eq!(KeyGroup::Unemployed6m.label(), "登记失业半年以上");
    }

    #[test]
    fn category_rules_serialize_as_tagged_json() {
        let cats = default_difficulty_categories();
        let json = serde_json::to_value(&cats).unwrap();
        assert_eq!(
            json[0]["rule"],
            serde_json::json!({"kind": "age", "value": {"female_min": 40, "male_min": 50}})
        );
        assert_eq!(
            json[1]["rule"],
            serde_json::json!({"kind": "attribute", "value": "disabled"})
        );
        assert_eq!(
            json[3]["rule"],
            serde_json::json!({"kind": "zero_employment_household"})
        );
        assert_eq!(
            json[4]["rule"],
            serde_json::json!({"kind": "unemployed_months", "value": 12})
        );
        let back: Vec<DifficultyCategory> = serde_json::from_value(json).unwrap();
        assert_eq!(back, cats);
    }

    fn member(
        hukou: Hukou,
        birth: NaiveDate,
        sex: Sex,
        unemployed: bool,
        employed: bool,
    ) -> MemberFacts {
        MemberFacts {
            hukou,
            birth_date: birth,
            sex,
            unemployed,
            employed,
        }
    }

    #[test]
    fn zero_employment_household_rule() {
        let t = today();
        let jobless_man = member(Hukou::Urban, date(1975, 1, 1), Sex::Male, true, false);
        let retired_woman = member(Hukou::Urban, date(1960, 1, 1), Sex::Female, false, false);
        let child = member(Hukou::Urban, date(2010, 1, 1), Sex::Female, false, false);
        assert!(is_zero_employment_household(
            &[jobless_man.clone(), retired_woman.clone(), child.clone()],
            t
        ));
        // Anyone employed ends it.
        let mut working = retired_woman.clone();
        working.employed = true;
        assert!(!is_zero_employment_household(
            &[jobless_man.clone(), working],
            t
        ));
        // Nobody registered unemployed: not identified as such.
        assert!(!is_zero_employment_household(
            &[retired_woman.clone(), child.clone()],
            t
        ));
        // Rural households are out of scope (the policy is urban).
        let mut rural = jobless_man.clone();
        rural.hukou = Hukou::Rural;
        assert!(!is_zero_employment_household(&[rural.clone()], t));
        // One urban member makes the household urban.
        assert!(is_zero_employment_household(&[rural, child], t));
        assert!(!is_zero_employment_household(&[], t));
    }

    #[test]
    fn working_age_boundaries() {
        let t = today();
        // 16th birthday.
        assert!(!is_working_age(date(2004, 6, 17), Sex::Male, t));
        assert!(is_working_age(date(2004, 6, 16), Sex::Male, t));
        // Men until 60, women until 55 (before the increase).
        assert!(is_working_age(date(1960, 6, 17), Sex::Male, t));
        assert!(!is_working_age(date(1960, 6, 16), Sex::Male, t));
        assert!(is_working_age(date(1965, 6, 17), Sex::Female, t));
        assert!(!is_working_age(date(1965, 6, 16), Sex::Female, t));
        // A registered unemployed woman of 55 does not make the household zero-employment.
        let woman55 = member(Hukou::Urban, date(1965, 6, 16), Sex::Female, true, false);
        assert!(!is_zero_employment_household(&[woman55], t));
        let woman54 = member(Hukou::Urban, date(1965, 6, 17), Sex::Female, true, false);
        assert!(is_zero_employment_household(&[woman54], t));
    }

    #[test]
    fn retirement_ages_rise_from_2025() {
        // The decision's table: men born 1965-01..04 retire at 60 and 1 month, 1965-05 at 60
        // and 2, from 1976-09 at 63; women (55) born 1970-01 at 55 and 1, from 1981-09 at 58.
        let cases = [
            (date(1964, 12, 31), Sex::Male, 720),
            (date(1965, 1, 15), Sex::Male, 721),
            (date(1965, 4, 30), Sex::Male, 721),
            (date(1965, 5, 1), Sex::Male, 722),
            (date(1976, 8, 10), Sex::Male, 755),
            (date(1976, 9, 10), Sex::Male, 756),
            (date(1990, 1, 1), Sex::Male, 756),
            (date(1969, 12, 1), Sex::Female, 660),
            (date(1970, 1, 1), Sex::Female, 661),
            (date(1981, 9, 1), Sex::Female, 696),
        ];
        for (birth, sex, months) in cases {
            assert_eq!(retirement_age_months(birth, sex), months, "{birth} {sex:?}");
        }
        // A man born in 1966-09 is still of working age at 60 and a half.
        let born = date(1966, 9, 1);
        assert!(is_working_age(born, Sex::Male, date(2027, 2, 28)));
        assert!(!is_working_age(born, Sex::Male, date(2027, 3, 1)));
    }
}
