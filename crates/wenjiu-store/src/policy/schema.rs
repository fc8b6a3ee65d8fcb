//! 政策可读取的主体字段（按主体类别），及其类型和来源。
//! The subject fields policies may read, per subject kind, with their types and where the
//! registry gets each one.
//!
//! Every field is either held by the registry (or derived from it by rule on the evaluation
//! date, as key groups are), or marked **申报** (supplied): a fact the registry does not hold
//! yet, given by the application or by another system (social insurance, the market regulator).
//! The set is the one the 2020 Liaoning catalogue (`policies/liaoning-2020/`) reads, and no more.
//!
//! A hire's `person.*` fields describe the person on the day before the hire starts (e.g. still
//! registered unemployed; months registered or placed are counted to the start), its
//! `enterprise.*` fields the employer; its region is the employer's.
//!
//! Code values are the stored codes of `wenjiu-core` (`Sex`, `Hukou`, `EmploymentKind`,
//! `SizeClass`, `IndustryCode`). Money is integer fen. The engine has no rate-typed or list-typed
//! fields, so a rate such as an enterprise's layoff rate is computed in the policy from two
//! counts, and the categories of a person are separate boolean flags.

use std::sync::LazyLock;

use wenjiu_core::{EmploymentKind, Hukou, IndustryCode, Sex, SizeClass};
use wenjiu_rules::{Parameters, Schema, SubjectKind, Type};

use SubjectKind::{Enterprise, Hire, Person};

/// One field: subject kind, name, type, Chinese label and where its value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub kind: SubjectKind,
    pub name: &'static str,
    pub ty: Type,
    /// 中文名称
    pub label: &'static str,
    /// How the value is obtained (登记 / 派生 / 申报).
    pub origin: &'static str,
}

impl FieldDef {
    /// `person.age` etc.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.kind.name(), self.name)
    }
}

const fn f(
    kind: SubjectKind,
    name: &'static str,
    ty: Type,
    label: &'static str,
    origin: &'static str,
) -> FieldDef {
    FieldDef {
        kind,
        name,
        ty,
        label,
        origin,
    }
}

/// All fields, person first, then enterprise, then hire.
pub const FIELDS: &[FieldDef] = &[
    // ---- person 个人 ----
    // 年龄，按评估日计算的周岁。Age in whole years on the evaluation date (from birth_date).
    f(Person, "age", Type::Int, "年龄（周岁）", "派生：出生日期"),
    // 性别代码 male | female。Sex code, from the ID number.
    f(Person, "sex", Type::String, "性别", "登记：person.sex"),
    // 户籍代码 urban | rural。Hukou code.
    f(
        Person,
        "hukou",
        Type::String,
        "户籍性质",
        "登记：person.hukou",
    ),
    // 有未结束的失业登记。Has an open unemployment registration.
    f(
        Person,
        "registered_unemployed",
        Type::Bool,
        "登记失业",
        "登记：unemployment（未终止）",
    ),
    // 失业登记已满的整月数（无登记为 0）。Whole calendar months of the open registration; a
    // hire's up to its start (registered 01-15, hired 07-15: 6).
    f(
        Person,
        "unemployed_months",
        Type::Int,
        "登记失业月数",
        "派生：unemployment.registered_on",
    ),
    // 毕业年度高校毕业生（含技师学院高级工班、预备技师班和特殊教育院校职业教育类毕业生）。
    // Graduate of the graduation year (key group `graduate`).
    f(
        Person,
        "graduate_of_year",
        Type::Bool,
        "毕业年度高校毕业生",
        "派生：重点群体 graduate",
    ),
    // 离校2年内的高校毕业生（毕业年度及上一年度毕业）。Left college within 2 years.
    f(
        Person,
        "graduate_within_2y",
        Type::Bool,
        "离校2年内高校毕业生",
        "派生：graduation_year、education",
    ),
    // 就业困难人员（按认定类别派生）。Person with employment difficulties (key group).
    f(
        Person,
        "difficulty",
        Type::Bool,
        "就业困难人员",
        "派生：重点群体 difficulty",
    ),
    // 经人社部门认定的就业困难人员（认定后安置就业期间仍有效，如公益性岗位）。Recognised by the
    // employment service as a person with employment difficulties; the recognition outlasts the
    // unemployment registration (a public-welfare placement ends it, the status stays).
    f(
        Person,
        "difficulty_recognised",
        Type::Bool,
        "经认定的就业困难人员",
        "申报：就业困难人员认定",
    ),
    // 残疾人。Disabled (declared attribute `disabled`).
    f(
        Person,
        "disabled",
        Type::Bool,
        "残疾人",
        "登记：attributes disabled",
    ),
    // 城乡低保家庭成员。Member of a minimum-living-allowance family (attribute `dibao`).
    f(
        Person,
        "dibao",
        Type::Bool,
        "低保家庭成员",
        "登记：attributes dibao",
    ),
    // 零就业家庭成员。Member of a zero-employment household.
    f(
        Person,
        "zero_employment_household",
        Type::Bool,
        "零就业家庭成员",
        "派生：household.zero_employment",
    ),
    // 建档立卡贫困家庭成员。Member of a registered poor family (扶贫系统).
    f(
        Person,
        "poverty_household",
        Type::Bool,
        "建档立卡贫困家庭成员",
        "申报：扶贫信息平台",
    ),
    // 城乡未继续升学的应届初高中毕业生。A school leaver of the year (junior or senior middle
    // school) not going on to further study.
    f(
        Person,
        "school_leaver",
        Type::Bool,
        "城乡未继续升学的应届初高中毕业生",
        "申报：教育部门",
    ),
    // 贫困残疾人家庭成员。Member of a poor family with a disabled member (残联).
    f(
        Person,
        "poor_disabled_family",
        Type::Bool,
        "贫困残疾人家庭成员",
        "申报：残联",
    ),
    // 特困人员。Person under extreme-poverty support.
    f(
        Person,
        "extreme_poverty",
        Type::Bool,
        "特困人员",
        "申报：民政",
    ),
    // 获得国家助学贷款。Holder of a national student loan.
    f(
        Person,
        "student_loan",
        Type::Bool,
        "获得国家助学贷款",
        "申报：高校",
    ),
    // 当前就业形式 none | employer | self_employed | flexible | public_welfare。
    // Form of the open employment registration, `none` without one; of overlapping ones the
    // first of employer, public_welfare, self_employed, flexible.
    f(
        Person,
        "employment_kind",
        Type::String,
        "就业形式",
        "登记：employment.kind（未终止）",
    ),
    // 申领期内本人实际缴纳的社会保险费（分）。SI contributions the person actually paid in the
    // period claimed.
    f(
        Person,
        "si_paid_fen",
        Type::Money,
        "本人实缴社会保险费",
        "申报：社会保险经办系统",
    ),
    // 已享受灵活就业社会保险补贴的月数。Months of flexible-employment SI subsidy received.
    f(
        Person,
        "flexible_si_months_subsidised",
        Type::Int,
        "已享受灵活就业社保补贴月数",
        "申报：补贴发放记录",
    ),
    // 已在公益性岗位安置的月数（历次安置合计）。Months placed in public-welfare jobs, every
    // placement up to the day (a hire's: its start), ended or open.
    f(
        Person,
        "public_welfare_months",
        Type::Int,
        "公益性岗位已安置月数",
        "派生：employment.start_date（public_welfare）",
    ),
    // 经认定的创业带头人。Recognised as an entrepreneurship leader (创业带头人).
    f(
        Person,
        "entrepreneur_leader",
        Type::Bool,
        "认定的创业带头人",
        "申报：人社部门认定",
    ),
    // 已享受创业带头人社会保险补贴的月数。Months of the leader SI subsidy received.
    f(
        Person,
        "leader_si_months_subsidised",
        Type::Int,
        "已享受创业带头人社保补贴月数",
        "申报：补贴发放记录",
    ),
    // 所创办主体 none | small_micro_enterprise | other_enterprise | individual_business。
    // The business the person founded and runs.
    f(
        Person,
        "business_kind",
        Type::String,
        "创办主体类型",
        "申报：市场监管登记（统一社会信用代码 91/92）",
    ),
    // 所创办主体自登记注册起正常经营的整月数。Whole months the business has operated.
    f(
        Person,
        "business_operating_months",
        Type::Int,
        "正常经营月数",
        "申报：市场监管登记",
    ),
    // 首次创业。First business founded.
    f(Person, "first_business", Type::Bool, "首次创业", "申报"),
    // 职业培训取得的证书 none | special | level5 | level4 | level3
    // （专项能力证书、初级工、中级工、高级工）。Certificate obtained by the training.
    f(
        Person,
        "training_certificate",
        Type::String,
        "培训合格证书",
        "申报：培训机构、鉴定机构",
    ),
    // 当年已享受过职业培训补贴。Already received a training subsidy this year.
    f(
        Person,
        "training_subsidised_this_year",
        Type::Bool,
        "当年已享受职业培训补贴",
        "申报：补贴发放记录",
    ),
    // ---- enterprise 企业 ----
    // 企业规模 large | medium | small | micro（工信部联企业〔2011〕300号）。Size class.
    f(
        Enterprise,
        "size_class",
        Type::String,
        "企业规模",
        "登记：enterprise.size_class",
    ),
    // 行业门类 A–T（GB/T 4754-2017）。Industry section letter.
    f(
        Enterprise,
        "industry",
        Type::String,
        "行业门类",
        "登记：enterprise.industry",
    ),
    // 当前（上年末）参保职工人数。Insured employees now (end of the previous year).
    f(
        Enterprise,
        "insured_count",
        Type::Int,
        "参保职工人数",
        "登记：enterprise.insured_count",
    ),
    // 上年初参保职工人数，与 insured_count 一起计算裁员率。Insured employees at the start of the
    // previous year; the layoff rate is (insured_start_of_year − insured_count) /
    // insured_start_of_year, computed in the policy (the engine has no rate fields).
    f(
        Enterprise,
        "insured_start_of_year",
        Type::Int,
        "上年初参保职工人数",
        "申报：社会保险经办系统",
    ),
    // 依法参加失业保险并足额缴费（无欠费）。Insured against unemployment and paid in full.
    f(
        Enterprise,
        "ui_paid_in_full",
        Type::Bool,
        "足额缴纳失业保险费",
        "申报：社会保险经办系统",
    ),
    // 企业及其职工上年度实际缴纳的失业保险费（分）。UI contributions paid last year.
    f(
        Enterprise,
        "ui_paid_last_year_fen",
        Type::Money,
        "上年度实缴失业保险费",
        "申报：社会保险经办系统",
    ),
    // 企业及其职工每月应缴纳的社会保险费（分）。Monthly SI contributions due.
    f(
        Enterprise,
        "monthly_si_fen",
        Type::Money,
        "月应缴社会保险费",
        "申报：社会保险经办系统",
    ),
    // 经认定的暂时生产经营困难且恢复有望的企业。In temporary difficulty, recovery expected.
    f(
        Enterprise,
        "in_difficulty",
        Type::Bool,
        "暂时生产经营困难企业",
        "申报：经认定",
    ),
    // 受疫情影响停工停业。Halted by the epidemic.
    f(
        Enterprise,
        "epidemic_halted",
        Type::Bool,
        "受疫情影响停工停业",
        "申报",
    ),
    // 生产、配送疫情防控急需物资的企业。Produces or delivers epidemic-control supplies.
    f(
        Enterprise,
        "epidemic_supplies",
        Type::Bool,
        "疫情防控物资企业",
        "申报：工信、发改部门名单",
    ),
    // 经认定的创业孵化基地（平台）。A recognised incubation base or platform.
    f(
        Enterprise,
        "incubation_platform",
        Type::Bool,
        "认定的创业孵化平台",
        "申报：人社部门认定",
    ),
    // 省级优秀孵化基地评估名次（未参评或未入围为 0）。Rank in the provincial evaluation, 0 if none.
    f(
        Enterprise,
        "incubation_rank",
        Type::Int,
        "省级评估名次",
        "申报：省级评估结果",
    ),
    // 孵化平台实际支出的基本运营和公共服务等费用（分）。Actual operating and service costs.
    f(
        Enterprise,
        "operating_cost_fen",
        Type::Money,
        "实际支出的基本运营和公共服务费用",
        "申报：经审核的支出",
    ),
    // ---- hire 招用（企业 × 个人） ----
    // 入职日期。Start date of the hire.
    f(
        Hire,
        "start_date",
        Type::Date,
        "招用日期",
        "登记：employment.start_date",
    ),
    // 劳动合同期限（月；无固定期限计 999）。Contract length in months (open-ended: 999).
    f(
        Hire,
        "contract_months",
        Type::Int,
        "劳动合同期限（月）",
        "申报：劳动合同备案",
    ),
    // 已按规定为其缴纳社会保险。Social insurance paid for the hire as required.
    f(
        Hire,
        "si_paid",
        Type::Bool,
        "已按规定缴纳社会保险",
        "申报：社会保险经办系统",
    ),
    // 单位为其每月缴纳的社会保险费（单位部分，分）。Employer's monthly SI for this person.
    f(
        Hire,
        "monthly_employer_si_fen",
        Type::Money,
        "单位月缴社会保险费",
        "申报：社会保险经办系统",
    ),
    // 以工代训的月数（申领期内）。Months of on-the-job training (以工代训) claimed.
    f(
        Hire,
        "training_months",
        Type::Int,
        "以工代训月数",
        "申报：以工代训花名册",
    ),
];

/// A code a string field may take, with its Chinese label.
pub type Code = (&'static str, &'static str);

/// The codes of the supplied (申报) string fields, as the policies compare them.
const SUPPLIED_CODES: &[(&str, &[Code])] = &[
    (
        "person.business_kind",
        &[
            ("none", "无"),
            ("small_micro_enterprise", "小微企业"),
            ("other_enterprise", "其他企业"),
            ("individual_business", "个体工商户"),
        ],
    ),
    (
        "person.training_certificate",
        &[
            ("none", "无"),
            ("special", "专项职业能力证书"),
            ("level5", "初级工（五级）"),
            ("level4", "中级工（四级）"),
            ("level3", "高级工（三级）"),
        ],
    ),
];

/// The codes of the registry's string fields, from `wenjiu-core`'s code tables.
static REGISTRY_CODES: LazyLock<Vec<(&str, Vec<Code>)>> = LazyLock::new(|| {
    let none: Code = ("none", "无");
    vec![
        (
            "person.sex",
            Sex::all().iter().map(|c| (c.code(), c.label())).collect(),
        ),
        (
            "person.hukou",
            Hukou::all().iter().map(|c| (c.code(), c.label())).collect(),
        ),
        (
            "person.employment_kind",
            std::iter::once(none)
                .chain(EmploymentKind::all().iter().map(|c| (c.code(), c.label())))
                .collect(),
        ),
        (
            "enterprise.size_class",
            SizeClass::all()
                .iter()
                .map(|c| (c.code(), c.label()))
                .collect(),
        ),
        (
            "enterprise.industry",
            IndustryCode::all()
                .iter()
                .map(|c| (c.as_str(), c.name()))
                .collect(),
        ),
    ]
});

impl FieldDef {
    /// Whether the registry does not hold the field (申报): it comes from supplied facts.
    pub fn is_supplied(&self) -> bool {
        self.origin.starts_with("申报")
    }

    /// The codes a string field takes (empty for other fields).
    pub fn codes(&self) -> &'static [Code] {
        let name = self.full_name();
        SUPPLIED_CODES
            .iter()
            .map(|(n, c)| (*n, *c))
            .chain(REGISTRY_CODES.iter().map(|(n, c)| (*n, c.as_slice())))
            .find(|(n, _)| *n == name)
            .map_or(&[], |(_, c)| c)
    }
}

/// The schema of the catalogue: every field of [`FIELDS`] and the parameters of `params`.
pub fn schema(params: &Parameters) -> Schema {
    FIELDS.iter().fold(Schema::new(params), |s, d| {
        s.with_field(d.kind, d.name, d.ty)
            .expect("FIELDS holds no rate or list fields")
    })
}

/// The definition of a field by its full name (`person.age`).
pub fn field(full_name: &str) -> Option<&'static FieldDef> {
    let (kind, name) = full_name.split_once('.')?;
    FIELDS
        .iter()
        .find(|d| d.kind.name() == kind && d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_the_schema_knows_each() {
        let params = Parameters::default();
        let s = schema(&params);
        for (i, d) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[..i].iter().all(|e| e.full_name() != d.full_name()),
                "{} twice",
                d.full_name()
            );
            assert_eq!(s.field(&d.full_name()), Some(d.ty));
            assert_eq!(field(&d.full_name()), Some(d));
        }
        assert_eq!(field("person.nope"), None);
        for d in FIELDS {
            // Every string field is a code of a list.
            assert_eq!(d.ty == Type::String, !d.codes().is_empty(), "{}", d.name);
        }
        for d in FIELDS.iter().filter(|d| d.is_supplied()) {
            // Facts are imported by label: each names one field.
            assert_eq!(FIELDS.iter().filter(|e| e.label == d.label).count(), 1);
        }
    }
}
