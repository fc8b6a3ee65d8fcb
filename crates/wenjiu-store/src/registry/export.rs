//! Exporting registry lists as XLSX, within the caller's scope and filters. Personal
//! numbers are masked unless the caller may reveal them. The import columns come first
//! under the import headers, so an unmasked export can be re-imported as it is.

use wenjiu_core::{
    AreaKind, Education, EmploymentKind, Hukou, IndustryCode, KeyGroup, Ownership, PersonStatus,
    Sex, SizeClass, UnemploymentEnd, UnemploymentReason,
};

use super::{EnterpriseFilter, PersonFilter, RegistrationFilter, ServiceFacts};
use crate::error::{Result, StoreError};
use crate::{Scope, Store};

/// Excel's sheet holds 1,048,576 rows; beyond that the caller must narrow the query.
pub const MAX_EXPORT_ROWS: usize = 1_000_000;

/// What to export: one of the registry lists with its filter.
pub enum ExportQuery {
    Person(PersonFilter),
    Enterprise(EnterpriseFilter),
    Employment(RegistrationFilter),
    Unemployment(RegistrationFilter),
}

fn label<T>(
    code: &str,
    parse: impl Fn(&str) -> wenjiu_core::Result<T>,
    label: impl Fn(&T) -> &'static str,
) -> String {
    parse(code)
        .map(|t| label(&t).to_string())
        .unwrap_or_else(|_| code.to_string())
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

fn status_label(s: &str) -> &'static str {
    PersonStatus::parse(s).unwrap_or(PersonStatus::None).label()
}

/// Rows of an export, up to what one workbook holds.
#[derive(Default)]
pub(crate) struct Sheet {
    pub(crate) rows: Vec<Vec<String>>,
}

impl Sheet {
    pub(crate) fn push(&mut self, row: Vec<String>) -> Result<()> {
        if self.rows.len() >= MAX_EXPORT_ROWS {
            return Err(StoreError::invalid(
                "export",
                "导出",
                "export.too_many",
                format!("导出结果超过 {MAX_EXPORT_ROWS} 行，请缩小查询范围后分批导出"),
            ));
        }
        self.rows.push(row);
        Ok(())
    }
}

impl Store {
    /// Writes the list as an XLSX workbook; returns the bytes and the number of rows.
    pub async fn export(
        &self,
        scope: &Scope,
        q: &ExportQuery,
        reveal: bool,
    ) -> Result<(Vec<u8>, usize)> {
        let mut sheet = Sheet { rows: Vec::new() };
        let (name, headers): (&str, &[&str]) = match q {
            ExportQuery::Person(f) => {
                self.each_person(
                    scope,
                    f,
                    |p, plain| {
                        let (id, phone) = match plain {
                            Some((id, phone)) => (id, phone.unwrap_or_default()),
                            None => (
                                p.id_no_masked.clone(),
                                p.phone_masked.clone().unwrap_or_default(),
                            ),
                        };
                        // An enterprise's export leaves what it may not see blank.
                        let service = p.service.as_ref();
                        let of = |cell: fn(&ServiceFacts) -> String| {
                            service.map(cell).unwrap_or_default()
                        };
                        sheet.push(vec![
                            p.name,
                            id,
                            phone,
                            p.education
                                .as_deref()
                                .map(|e| label(e, Education::parse, Education::label))
                                .unwrap_or_default(),
                            label(&p.hukou, Hukou::parse, Hukou::label),
                            p.region,
                            of(|s| s.household_no.clone().unwrap_or_default()),
                            p.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
                            of(|s| yes_no(s.veteran)),
                            of(|s| s.attributes.join(";")),
                            label(&p.sex, Sex::parse, Sex::label),
                            p.birth_date,
                            p.region_name,
                            of(|s| status_label(&s.status).to_string()),
                            of(|s| {
                                (s.key_groups.iter())
                                    .map(|g| label(g, KeyGroup::parse, KeyGroup::label))
                                    .collect::<Vec<_>>()
                                    .join("、")
                            }),
                            of(|s| s.difficulty.join("、")),
                        ])
                    },
                    reveal,
                )
                .await?;
                (
                    "人员",
                    &[
                        "姓名",
                        "身份证号",
                        "手机号",
                        "学历",
                        "户口性质",
                        "居住地区划代码",
                        "户编号",
                        "毕业年份",
                        "退役军人",
                        "人员属性",
                        "性别",
                        "出生日期",
                        "居住地",
                        "登记状态",
                        "重点群体",
                        "就业困难类别",
                    ],
                )
            }
            ExportQuery::Enterprise(f) => {
                self.each_enterprise(scope, f, |e| {
                    sheet.push(vec![
                        e.credit_code,
                        e.name,
                        label(&e.industry, IndustryCode::parse, IndustryCode::name),
                        label(&e.ownership, Ownership::parse, Ownership::label),
                        label(&e.size_class, SizeClass::parse, SizeClass::label),
                        e.region,
                        e.insured_count.to_string(),
                        e.region_name,
                    ])
                })
                .await?;
                (
                    "单位",
                    &[
                        "统一社会信用代码",
                        "单位名称",
                        "行业门类",
                        "经济类型",
                        "企业规模",
                        "所在地区划代码",
                        "参保人数",
                        "所在地",
                    ],
                )
            }
            ExportQuery::Employment(f) => {
                self.each_employment(scope, f, |e| {
                    sheet.push(vec![
                        e.id_no_masked,
                        label(&e.kind, EmploymentKind::parse, EmploymentKind::label),
                        e.employer_credit_code.unwrap_or_default(),
                        e.start_date,
                        e.end_date.unwrap_or_default(),
                        label(&e.area, AreaKind::parse, AreaKind::label),
                        e.region,
                        e.person_name,
                        e.enterprise_name.unwrap_or_default(),
                        e.region_name,
                    ])
                })
                .await?;
                (
                    "就业登记",
                    &[
                        "身份证号",
                        "就业形式",
                        "用人单位信用代码",
                        "就业日期",
                        "终止日期",
                        "城乡",
                        "就业地区划代码",
                        "姓名",
                        "用人单位",
                        "就业地",
                    ],
                )
            }
            ExportQuery::Unemployment(f) => {
                self.each_unemployment(scope, f, |u| {
                    sheet.push(vec![
                        u.id_no_masked,
                        u.registered_on,
                        u.region,
                        label(
                            &u.reason,
                            UnemploymentReason::parse,
                            UnemploymentReason::label,
                        ),
                        u.ended_on.unwrap_or_default(),
                        u.end_reason
                            .as_deref()
                            .map(|r| label(r, UnemploymentEnd::parse, UnemploymentEnd::label))
                            .unwrap_or_default(),
                        u.person_name,
                        u.region_name,
                    ])
                })
                .await?;
                (
                    "失业登记",
                    &[
                        "身份证号",
                        "登记日期",
                        "登记地区划代码",
                        "失业原因",
                        "注销日期",
                        "注销原因",
                        "姓名",
                        "登记地",
                    ],
                )
            }
        };
        let n = sheet.rows.len();
        Ok((
            wenjiu_io::write_xlsx(name, headers, sheet.rows.into_iter())?,
            n,
        ))
    }
}
