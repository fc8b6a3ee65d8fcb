//! Small fixed code tables of the registry (sex, education, hukou, ...).
//!
//! These are stable by law or by the registry's own definitions, so they are enums rather than
//! administrator-editable tables. Extra aliases are abbreviations commonly found in the
//! spreadsheets that counties send in.

use crate::code_table::code_table;

code_table! {
    /// Sex as recorded on the ID card (GB/T 2261.1).
    pub enum Sex: "性别" {
        Male = "male", "男", "男性";
        Female = "female", "女", "女性";
    }
}

code_table! {
    /// A person's status, derived from the open registrations on the business date.
    pub enum PersonStatus: "就业状态" {
        Employed = "employed", "就业";
        Unemployed = "unemployed", "登记失业";
        None = "none", "未登记";
    }
}

code_table! {
    /// Highest completed education.
    pub enum Education: "学历" {
        Doctorate = "doctorate", "博士研究生", "博士";
        Master = "master", "硕士研究生", "硕士", "研究生";
        Bachelor = "bachelor", "大学本科", "本科";
        College = "college", "大学专科", "专科", "大专", "高职";
        TechnicianCollege = "technician_college", "技师学院高级工班、预备技师班", "技师学院高级工班",
            "预备技师班", "技师学院";
        SpecialVocational = "special_vocational", "特殊教育院校职业教育类", "特殊教育院校职业教育";
        SecondaryVocational = "secondary_vocational", "中等职业教育", "中专", "中职", "职高", "技校";
        HighSchool = "high_school", "普通高中", "高中";
        JuniorHigh = "junior_high", "初中";
        Primary = "primary", "小学及以下", "小学";
    }
}

impl Education {
    /// The education that makes a graduate count as 高校毕业生: college (大专) or above, and the
    /// programmes the employment policies treat alike, 技师学院高级工班、预备技师班 and
    /// 特殊教育院校职业教育类 (辽政发〔2020〕9号 and the national texts it follows).
    pub fn counts_as_graduate(&self) -> bool {
        matches!(
            self,
            Education::Doctorate
                | Education::Master
                | Education::Bachelor
                | Education::College
                | Education::TechnicianCollege
                | Education::SpecialVocational
        )
    }
}

code_table! {
    /// Household registration type (户口性质).
    pub enum Hukou: "户口性质" {
        Urban = "urban", "城镇", "非农业", "城镇户口";
        Rural = "rural", "农村", "农业", "农业户口", "农村户口";
    }
}

code_table! {
    /// Economic type of an employer (经济类型).
    pub enum Ownership: "经济类型" {
        State = "state", "国有";
        Collective = "collective", "集体";
        Private = "private", "私营";
        Foreign = "foreign", "外商投资";
        Hmt = "hmt", "港澳台投资";
        Shareholding = "shareholding", "股份制";
        Individual = "individual", "个体";
        Other = "other", "其他";
    }
}

code_table! {
    /// Enterprise size class (大中小微企业划型).
    pub enum SizeClass: "企业规模" {
        Large = "large", "大型";
        Medium = "medium", "中型";
        Small = "small", "小型";
        Micro = "micro", "微型";
    }
}

code_table! {
    /// Form of employment of an employment registration (就业形式).
    pub enum EmploymentKind: "就业形式" {
        Employer = "employer", "单位就业";
        SelfEmployed = "self_employed", "个体经营";
        Flexible = "flexible", "灵活就业";
        PublicWelfare = "public_welfare", "公益性岗位";
    }
}

impl EmploymentKind {
    /// Which of a person's overlapping jobs (decision 0018) is their form of employment,
    /// the first listed first: a job with an employer, then a public-welfare placement, a
    /// business of their own, flexible work. A person employed by someone is not a flexible
    /// worker for 灵活就业社保补贴 because of a side job, nor does a side business end a
    /// public-welfare placement.
    pub const PRIORITY: [EmploymentKind; 4] = [
        EmploymentKind::Employer,
        EmploymentKind::PublicWelfare,
        EmploymentKind::SelfEmployed,
        EmploymentKind::Flexible,
    ];

    /// Place in [`EmploymentKind::PRIORITY`], 0 first.
    pub fn priority(&self) -> usize {
        Self::PRIORITY
            .iter()
            .position(|k| k == self)
            .unwrap_or(Self::PRIORITY.len())
    }

    /// Whether the registration names an employing unit (and so needs its credit code).
    pub fn has_employer(&self) -> bool {
        matches!(
            self,
            EmploymentKind::Employer | EmploymentKind::PublicWelfare
        )
    }
}

code_table! {
    /// Urban or rural place of employment (城乡).
    pub enum AreaKind: "城乡" {
        Urban = "urban", "城镇";
        Rural = "rural", "乡村", "农村";
    }
}

code_table! {
    /// Why a person became unemployed (失业原因).
    pub enum UnemploymentReason: "失业原因" {
        ContractEnded = "contract_ended", "劳动合同终止";
        Dismissed = "dismissed", "被解除劳动合同";
        Resigned = "resigned", "辞职";
        GraduateUnplaced = "graduate_unplaced", "毕业未就业";
        BusinessClosed = "business_closed", "个体经营停止";
        LandLost = "land_lost", "失地";
        Other = "other", "其他";
    }
}

code_table! {
    /// Why an unemployment registration was closed (注销原因).
    pub enum UnemploymentEnd: "注销原因" {
        Employed = "employed", "实现就业";
        Enlisted = "enlisted", "应征入伍";
        Studying = "studying", "入学深造";
        Retired = "retired", "达到退休年龄";
        Moved = "moved", "迁出本地";
        Deceased = "deceased", "死亡";
        NoContact = "no_contact", "连续6个月未联系";
        Other = "other", "其他";
    }
}

code_table! {
    /// Kind of entity, from the first two characters of its unified social credit code.
    pub enum EntityKind: "主体类型" {
        Enterprise = "enterprise", "企业";
        IndividualBusiness = "individual_business", "个体工商户";
        FarmersCooperative = "farmers_cooperative", "农民专业合作社";
        Other = "other", "其他";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_code_label_and_alias() {
        assert_eq!(Sex::parse("male").unwrap(), Sex::Male);
        assert_eq!(Sex::parse("FEMALE").unwrap(), Sex::Female);
        assert_eq!(Sex::parse(" 女 ").unwrap(), Sex::Female);
        assert_eq!(Education::parse("大学本科").unwrap(), Education::Bachelor);
        assert_eq!(Education::parse("本科").unwrap(), Education::Bachelor);
        assert_eq!(Education::parse("大专").unwrap(), Education::College);
        assert_eq!(
            Education::parse("secondary_vocational").unwrap(),
            Education::SecondaryVocational
        );
        assert_eq!(Hukou::parse("农业").unwrap(), Hukou::Rural);
        assert_eq!(Ownership::parse("港澳台投资").unwrap(), Ownership::Hmt);
        assert_eq!(
            UnemploymentEnd::parse("连续6个月未联系").unwrap(),
            UnemploymentEnd::NoContact
        );
    }

    #[test]
    fn unknown_value_lists_options() {
        let e = Sex::parse("未知").unwrap_err();
        assert_eq!(e.code(), "code.unknown");
        assert_eq!(e.to_string(), "性别“未知”无效，可选值：男、女");
    }

    #[test]
    fn codes_and_labels_round_trip_and_are_unique() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(&T) -> &'static str,
            label: fn(&T) -> &'static str,
            parse: fn(&str) -> crate::Result<T>,
        ) {
            for v in all {
                assert_eq!(parse(code(v)).unwrap(), *v);
                assert_eq!(parse(label(v)).unwrap(), *v);
            }
            let mut codes: Vec<_> = all.iter().map(code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), all.len());
        }
        check(Sex::all(), Sex::code, Sex::label, Sex::parse);
        check(
            Education::all(),
            Education::code,
            Education::label,
            Education::parse,
        );
        check(Hukou::all(), Hukou::code, Hukou::label, Hukou::parse);
        check(
            Ownership::all(),
            Ownership::code,
            Ownership::label,
            Ownership::parse,
        );
        check(
            SizeClass::all(),
            SizeClass::code,
            SizeClass::label,
            SizeClass::parse,
        );
        check(
            EmploymentKind::all(),
            EmploymentKind::code,
            EmploymentKind::label,
            EmploymentKind::parse,
        );
        check(
            AreaKind::all(),
            AreaKind::code,
            AreaKind::label,
            AreaKind::parse,
        );
        check(
            UnemploymentReason::all(),
            UnemploymentReason::code,
            UnemploymentReason::label,
            UnemploymentReason::parse,
        );
        check(
            UnemploymentEnd::all(),
            UnemploymentEnd::code,
            UnemploymentEnd::label,
            UnemploymentEnd::parse,
        );
        check(
            EntityKind::all(),
            EntityKind::code,
            EntityKind::label,
            EntityKind::parse,
        );
        assert_eq!(Education::all().len(), 10);
        assert_eq!(UnemploymentReason::all().len(), 7);
        assert_eq!(UnemploymentEnd::all().len(), 8);
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(
            serde_json::to_string(&Education::HighSchool).unwrap(),
            "\"high_school\""
        );
        let kind: EmploymentKind = serde_json::from_str("\"public_welfare\"").unwrap();
        assert_eq!(kind, EmploymentKind::PublicWelfare);
        assert!(serde_json::from_str::<Sex>("\"x\"").is_err());
    }

    #[test]
    fn higher_education_and_employer() {
        assert!(Education::College.counts_as_graduate());
        assert!(!Education::SecondaryVocational.counts_as_graduate());
        assert!(Education::TechnicianCollege.counts_as_graduate());
        assert_eq!(
            Education::parse("技师学院").unwrap(),
            Education::TechnicianCollege
        );
        assert!(EmploymentKind::PublicWelfare.has_employer());
        assert!(!EmploymentKind::Flexible.has_employer());
    }
}
