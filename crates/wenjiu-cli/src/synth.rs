//! A deterministic synthetic Liaoning: people with valid ID numbers in households,
//! enterprises with valid credit codes, and employment and unemployment registrations
//! over 2019–2020. The same seed always gives the same province, on every machine (the
//! generator is a fixed SplitMix64, not a library RNG whose streams may change).
//!
//! Rows come out as text in the import columns' order, so the demo loads through the
//! same validated import path as a user's file, and `wenjiu gen` writes the same rows.

use std::collections::HashSet;

use chrono::{Datelike, Duration, Months, NaiveDate};
use wenjiu_core::{CreditCode, IdCardNo, MIN_WORKING_AGE, RegionCode, is_working_age};

/// SplitMix64: tiny, fast, and stable forever.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given relative weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < u64::from(*w) {
                return i;
            }
            x -= u64::from(*w);
        }
        weights.len() - 1
    }

    pub fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(1) as u64;
        from + Duration::days(self.below(days) as i64)
    }
}

/// Resident population of Liaoning's cities at the end of 2021, 万人 (DOMAIN.md §7):
/// the demo's people are spread in these proportions.
pub const CITY_POPULATION: &[(&str, u32)] = &[
    ("210100", 9118),
    ("210200", 7488),
    ("210300", 3282),
    ("210400", 1819),
    ("210500", 1296),
    ("210600", 2153),
    ("210700", 2668),
    ("210800", 2312),
    ("210900", 1619),
    ("211000", 1577),
    ("211100", 1390),
    ("211200", 2329),
    ("211300", 2840),
    ("211400", 2403),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁",
    "邓", "许", "沈", "曾", "彭", "吕", "关", "佟", "金", "白", "崔", "姜", "丁", "鲁", "付", "孟",
    "齐", "尹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "志", "红", "建", "国", "宇", "鑫",
    "博", "晨", "欣", "怡", "佳", "雪", "琳", "浩", "然", "子", "轩", "涵", "梓", "晓", "丹", "波",
    "辉", "鹏", "东", "春", "海", "亮", "岩", "松",
];
const FIRMS: &[&str] = &[
    "华盛", "东方", "辽河", "北方", "鑫达", "恒通", "宏远", "金桥", "天宇", "中兴", "瑞丰", "盛京",
    "海通", "新材", "振兴", "长城", "汇丰", "广源", "博远", "凯达",
];

/// (GB/T 4754 section, weight, name word): manufacturing weighs most, as in Liaoning.
const INDUSTRIES: &[(&str, u32, &str)] = &[
    ("A", 3, "农业发展"),
    ("B", 2, "矿业"),
    ("C", 30, "机械制造"),
    ("D", 2, "热电"),
    ("E", 8, "建筑工程"),
    ("F", 16, "商贸"),
    ("G", 6, "物流"),
    ("H", 8, "餐饮管理"),
    ("I", 5, "信息技术"),
    ("K", 3, "置业"),
    ("L", 5, "商务服务"),
    ("M", 3, "科技"),
    ("O", 4, "家政服务"),
    ("P", 2, "教育咨询"),
    ("Q", 2, "医疗管理"),
    ("R", 1, "文化传媒"),
];

/// (code, weight) of the code tables, in rough real proportions.
const EDUCATION: &[(&str, u32)] = &[
    ("doctorate", 2),
    ("master", 15),
    ("bachelor", 120),
    ("college", 150),
    ("secondary_vocational", 120),
    ("high_school", 160),
    ("junior_high", 330),
    ("primary", 103),
];
const OWNERSHIP: &[(&str, u32)] = &[
    ("state", 8),
    ("collective", 3),
    ("private", 70),
    ("foreign", 4),
    ("hmt", 2),
    ("shareholding", 10),
    ("other", 3),
];
const REASONS: &[(&str, u32)] = &[
    ("contract_ended", 30),
    ("dismissed", 15),
    ("resigned", 20),
    ("graduate_unplaced", 15),
    ("business_closed", 8),
    ("land_lost", 4),
    ("other", 8),
];

fn weighted_code(rng: &mut Rng, table: &[(&'static str, u32)]) -> &'static str {
    let weights: Vec<u32> = table.iter().map(|(_, w)| *w).collect();
    table[rng.weighted(&weights)].0
}

/// A county of a city (or the city itself where it has none).
pub fn counties(city: &str) -> Vec<RegionCode> {
    let city = RegionCode::parse(city).expect("Liaoning city codes are in the table");
    let c = city.children();
    if c.is_empty() { vec![city] } else { c.to_vec() }
}

/// Births of working age, men and women, from May 2018 (16) to the end of 2020 (under 55).
const WORKERS_BORN: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(1966, 1, 1).unwrap(),
    NaiveDate::from_ymd_opt(2002, 5, 1).unwrap(),
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid constant date")
}

/// The facts of one synthetic person that the registrations need.
#[derive(Clone)]
pub struct PersonSpec {
    pub id_no: String,
    pub region: RegionCode,
    pub birth: NaiveDate,
    pub rural: bool,
}

/// The synthetic province: a seeded generator of its files' rows.
pub struct Province {
    rng: Rng,
    cities: Vec<(Vec<RegionCode>, u32)>,
    issued: HashSet<String>,
    household: u64,
    household_left: u32,
    household_region: Option<(RegionCode, bool)>,
}

impl Province {
    pub fn new(seed: u64) -> Self {
        Province {
            rng: Rng::new(seed),
            cities: CITY_POPULATION
                .iter()
                .map(|(c, w)| (counties(c), *w))
                .collect(),
            issued: HashSet::new(),
            household: 0,
            household_left: 0,
            household_region: None,
        }
    }

    /// The generator's random stream, for callers that build rows of their own.
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    fn county(&mut self) -> RegionCode {
        let weights: Vec<u32> = self.cities.iter().map(|c| c.1).collect();
        let city = self.rng.weighted(&weights);
        *self.rng.pick(&self.cities[city].0)
    }

    fn name(&mut self) -> String {
        let mut n = (*self.rng.pick(SURNAMES)).to_string();
        for _ in 0..1 + self.rng.below(2) {
            n.push_str(self.rng.pick::<&str>(GIVEN));
        }
        n
    }

    /// A person row (PERSON_COLUMNS order) and the facts registrations need. People come
    /// in households of one to four who share a number, a county and a hukou kind.
    pub fn person(&mut self) -> (Vec<String>, PersonSpec) {
        if self.household_left == 0 {
            self.household += 1;
            self.household_left = [1, 2, 3, 3, 4][self.rng.below(5) as usize];
            let rural = self.rng.chance(270); // ≈ 73% of Liaoning residents are urban
            self.household_region = Some((self.county(), rural));
        }
        self.household_left -= 1;
        let (region, rural) = self.household_region.expect("set above");
        self.person_at(
            region,
            rural,
            self.household,
            (d(1958, 1, 1), d(2002, 12, 31)),
        )
    }

    /// A new urban resident of `region` in a household of their own, of working age from
    /// May 2018 to 2020 (whatever their sex), when the calibration registers them.
    pub fn resident(&mut self, region: RegionCode) -> (Vec<String>, PersonSpec) {
        self.household += 1;
        self.household_left = 0;
        self.person_at(region, false, self.household, WORKERS_BORN)
    }

    /// A second member of the household of `first`, the last [`Province::resident`].
    pub fn housemate(&mut self, first: &PersonSpec) -> (Vec<String>, PersonSpec) {
        self.person_at(first.region, false, self.household, WORKERS_BORN)
    }

    fn person_at(
        &mut self,
        region: RegionCode,
        rural: bool,
        household: u64,
        (born_from, born_to): (NaiveDate, NaiveDate),
    ) -> (Vec<String>, PersonSpec) {
        let birth = self.rng.date_between(born_from, born_to);
        let id = loop {
            let seq = self.rng.below(1000) as u16;
            let id = IdCardNo::build(region.as_str(), birth, seq).expect("valid parts");
            if self.issued.insert(id.as_str().to_string()) {
                break id;
            }
        };
        let education = weighted_code(&mut self.rng, EDUCATION);
        let higher = matches!(education, "doctorate" | "master" | "bachelor" | "college");
        let graduation = if higher {
            birth.year() + 22 + self.rng.below(2) as i32
        } else {
            0
        };
        let mut attributes = Vec::new();
        if self.rng.chance(20) {
            attributes.push("disabled");
        }
        if self.rng.chance(30) {
            attributes.push("dibao");
        }
        if rural && self.rng.chance(40) {
            attributes.push("land_lost");
        }
        if self.rng.chance(10) {
            attributes.push("single_parent");
        }
        let phone = if self.rng.chance(900) {
            format!(
                "1{}{:09}",
                [3, 5, 8, 8, 9][self.rng.below(5) as usize],
                self.rng.below(1_000_000_000)
            )
        } else {
            String::new()
        };
        let row = vec![
            self.name(),
            id.as_str().to_string(),
            phone,
            education.to_string(),
            if rural { "rural" } else { "urban" }.to_string(),
            region.to_string(),
            format!("{}{:07}", &region.as_str()[..4], household),
            if graduation > 0 && graduation <= 2020 {
                graduation.to_string()
            } else {
                String::new()
            },
            if self.rng.chance(25) { "是" } else { "否" }.to_string(),
            attributes.join(";"),
        ];
        (
            row,
            PersonSpec {
                id_no: id.as_str().to_string(),
                region,
                birth,
                rural,
            },
        )
    }

    /// An enterprise row (ENTERPRISE_COLUMNS order); `n` makes its code unique.
    pub fn enterprise(&mut self, n: u64) -> (Vec<String>, String, RegionCode) {
        let region = self.county();
        // New-style organisation codes start with MA; the rest encodes n in base 31.
        const DIGITS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut body = String::from("MA");
        let mut v = n;
        for _ in 0..6 {
            body.insert(2, DIGITS[(v % 31) as usize] as char);
            v /= 31;
        }
        let code = CreditCode::build('9', '1', region.as_str(), &body).expect("valid parts");
        let weights: Vec<u32> = INDUSTRIES.iter().map(|i| i.1).collect();
        let (industry, _, word) = INDUSTRIES[self.rng.weighted(&weights)];
        let size = [
            "micro", "micro", "small", "small", "small", "medium", "large",
        ][self.rng.below(7) as usize];
        let insured = match size {
            "micro" => 1 + self.rng.below(9),
            "small" => 10 + self.rng.below(90),
            "medium" => 100 + self.rng.below(900),
            _ => 1000 + self.rng.below(4000),
        };
        let city_name = region
            .parent()
            .map(|c| c.name().trim_end_matches('市').to_string())
            .unwrap_or_default();
        let name = format!("{}{}{}有限公司", city_name, self.rng.pick(FIRMS), word);
        let row = vec![
            code.as_str().to_string(),
            name,
            industry.to_string(),
            weighted_code(&mut self.rng, OWNERSHIP).to_string(),
            size.to_string(),
            region.to_string(),
            insured.to_string(),
        ];
        (row, code.as_str().to_string(), region)
    }

    /// The registrations of one person over 2019-01-01..=`until` (UNEMPLOYMENT_COLUMNS
    /// and EMPLOYMENT_COLUMNS order): most working-age people are employed; some are
    /// registered unemployed, and some of those find work again.
    pub fn registrations(
        &mut self,
        p: &PersonSpec,
        employers: &[(String, RegionCode)],
        until: NaiveDate,
    ) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let (mut unemployment, mut employment) = (Vec::new(), Vec::new());
        let start = d(2019, 1, 1);
        let sex = IdCardNo::parse(&p.id_no).expect("issued valid").sex();
        let working = |on| is_working_age(p.birth, sex, on);
        if !working(start) || !working(until) {
            return (unemployment, employment);
        }
        // Jobs begun before 2019 begin at 16 at the earliest.
        let sixteen = p.birth + Months::new(12 * MIN_WORKING_AGE);
        let roll = self.rng.below(1000);
        let employ =
            |rng: &mut Rng, from: NaiveDate, end: Option<NaiveDate>, out: &mut Vec<Vec<String>>| {
                let kind = [
                    "employer",
                    "employer",
                    "employer",
                    "employer",
                    "employer",
                    "employer",
                    "employer",
                    "flexible",
                    "flexible",
                    "self_employed",
                    "public_welfare",
                ][rng.below(11) as usize];
                let (credit, region) = if kind == "employer" || kind == "public_welfare" {
                    let (c, r) = rng.pick(employers);
                    (c.clone(), *r)
                } else {
                    (String::new(), p.region)
                };
                out.push(vec![
                    p.id_no.clone(),
                    kind.to_string(),
                    credit,
                    from.to_string(),
                    end.map(|e| e.to_string()).unwrap_or_default(),
                    if p.rural && kind != "employer" {
                        "rural"
                    } else {
                        "urban"
                    }
                    .to_string(),
                    region.to_string(),
                ]);
            };
        if roll < 520 {
            // Employed throughout, registered at some point since 2015.
            let from = self.rng.date_between(d(2015, 1, 1), until).max(sixteen);
            employ(&mut self.rng, from, None, &mut employment);
        } else if roll < 640 {
            // Lost a job, registered unemployed, maybe found work again.
            let lost = self.rng.date_between(start, until - Duration::days(30));
            let worked_from = self.rng.date_between(d(2015, 1, 1), lost).max(sixteen);
            employ(&mut self.rng, worked_from, Some(lost), &mut employment);
            let registered = lost + Duration::days(1 + self.rng.below(20) as i64);
            unemployment.push(vec![
                p.id_no.clone(),
                registered.to_string(),
                p.region.to_string(),
                weighted_code(&mut self.rng, REASONS).to_string(),
                String::new(),
                String::new(),
            ]);
            if self.rng.chance(450) && registered + Duration::days(30) < until {
                let again = self
                    .rng
                    .date_between(registered + Duration::days(15), until);
                employ(&mut self.rng, again, None, &mut employment);
            }
        } else if roll < 680 {
            // Never employed here: new entrants (graduates among them) registering.
            let registered = self.rng.date_between(start, until);
            unemployment.push(vec![
                p.id_no.clone(),
                registered.to_string(),
                p.region.to_string(),
                if until.year() - p.birth.year() < 26 {
                    "graduate_unplaced"
                } else {
                    weighted_code(&mut self.rng, REASONS)
                }
                .to_string(),
                String::new(),
                String::new(),
            ]);
        }
        (unemployment, employment)
    }
}

/// A row made invalid on purpose, for tests and benchmarks of the error report.
pub fn spoil(rng: &mut Rng, row: &mut [String]) {
    match rng.below(3) {
        0 => {
            // Wrong check character.
            if let Some(id) = row.get_mut(1) {
                let last = id.pop().unwrap_or('0');
                id.push(if last == '1' { '2' } else { '1' });
            }
        }
        1 => {
            if let Some(name) = row.get_mut(0) {
                name.clear();
            }
        }
        _ => {
            if let Some(region) = row.get_mut(5) {
                *region = "219999".into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_province() {
        let (mut a, mut b) = (Province::new(7), Province::new(7));
        for _ in 0..100 {
            assert_eq!(a.person().0, b.person().0);
        }
        assert_eq!(a.enterprise(3).0, b.enterprise(3).0);
    }

    #[test]
    fn people_are_valid_and_unique() {
        let mut p = Province::new(1);
        let mut ids = HashSet::new();
        for _ in 0..5000 {
            let (row, spec) = p.person();
            let get = |k: &str| {
                wenjiu_core::PERSON_COLUMNS
                    .iter()
                    .position(|c| c.key == k)
                    .map(|i| row[i].as_str())
                    .filter(|s| !s.is_empty())
            };
            let parsed = wenjiu_core::NewPerson::from_fields(&get).expect("valid person");
            assert!(parsed.region.as_str().starts_with("21"));
            assert!(ids.insert(spec.id_no));
        }
    }

    #[test]
    fn enterprises_have_valid_distinct_codes() {
        let mut p = Province::new(1);
        let codes: HashSet<String> = (0..2000).map(|n| p.enterprise(n).1).collect();
        assert_eq!(codes.len(), 2000);
        for c in &codes {
            CreditCode::parse(c).expect("valid credit code");
        }
    }
}
