//! The error type of the core crate.
//!
//! Every variant has a Chinese `Display` text (shown to users as is) and a stable machine code
//! (`Error::code`) that the HTTP layer and import reports use; codes never change once released.

use chrono::NaiveDate;

use crate::region::RegionLevel;

/// Result with the core [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// One variant per kind of failure, so callers can tell them apart without parsing text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The old 15-digit form (no century, no check character). The number itself is not kept
    /// in the error: messages end up in logs.
    #[error("身份证号为15位旧号码，请提供18位身份证号")]
    IdCardLegacy,
    #[error("身份证号应为18位，实际为{len}位")]
    IdCardLength { len: usize },
    #[error("身份证号第{position}位字符“{found}”无效：前17位应为数字，第18位应为数字或X")]
    IdCardCharset { position: usize, found: char },
    #[error("身份证号前两位“{code}”不是有效的省级行政区划代码")]
    IdCardProvince { code: String },
    #[error("身份证号中的出生日期“{text}”不是有效日期")]
    IdCardBirthDate { text: String },
    #[error("身份证号中的出生日期 {date} 超出有效范围：应在 1900-01-01 至今天之间")]
    IdCardBirthRange { date: NaiveDate },
    #[error("身份证号校验位错误：应为 {expected}，实际为 {found}")]
    IdCardChecksum { expected: char, found: char },
    #[error("身份证地址码“{text}”无效：应为6位数字")]
    IdCardArea { text: String },
    #[error("身份证顺序码 {seq} 无效：应在 0 至 999 之间")]
    IdCardSequence { seq: u16 },

    #[error("统一社会信用代码应为18位，实际为{len}位")]
    CreditCodeLength { len: usize },
    #[error(
        "统一社会信用代码第{position}位字符“{found}”无效：只允许数字和除 I、O、S、V、Z 以外的大写字母"
    )]
    CreditCodeCharset { position: usize, found: char },
    #[error("统一社会信用代码第3至8位“{text}”无效：应为6位数字的行政区划代码")]
    CreditCodeRegion { text: String },
    #[error("统一社会信用代码中的组织机构代码校验位错误：应为 {expected}，实际为 {found}")]
    CreditCodeOrgChecksum { expected: char, found: char },
    #[error("统一社会信用代码校验位错误：应为 {expected}，实际为 {found}")]
    CreditCodeChecksum { expected: char, found: char },

    #[error("行政区划代码“{text}”格式错误：应为2、4或6位数字")]
    RegionFormat { text: String },
    #[error("行政区划代码 {code} 不在 GB/T 2260 代码表中")]
    RegionUnknown { code: String },
    #[error("行政区划代码 {code}（{name}）不是{}代码", expected.label())]
    RegionLevel {
        code: String,
        name: &'static str,
        expected: RegionLevel,
    },

    #[error("行业门类“{text}”无效：应为 A 至 T 的门类字母或 GB/T 4754-2017 门类名称")]
    IndustryUnknown { text: String },

    #[error("金额“{text}”格式错误：应为以元为单位的数字，如 1234、1234.5、1,234.56、-3.00")]
    MoneyFormat { text: String },
    #[error("金额“{text}”小数位过多：最多精确到分（两位小数）")]
    MoneyPrecision { text: String },
    #[error("金额“{text}”超出可处理的范围")]
    MoneyOverflow { text: String },

    #[error("月份“{text}”格式错误：应为 YYYY-MM 或 YYYYMM，如 2020-05")]
    MonthFormat { text: String },
    #[error("月份 {year} 年 {month} 月无效：年份应在 1 至 9999 之间，月份应在 1 至 12 之间")]
    MonthRange { year: i32, month: u32 },

    #[error("日期“{text}”格式错误：应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD")]
    DateFormat { text: String },
    #[error("日期“{text}”不存在")]
    DateInvalid { text: String },

    #[error("{table}“{text}”无效，可选值：{options}")]
    CodeUnknown {
        table: &'static str,
        text: String,
        options: String,
    },

    #[error("{field}为必填项")]
    FieldRequired { field: String },
    #[error("{field}：{message}")]
    FieldInvalid { field: String, message: String },
}

impl Error {
    /// Stable machine code, e.g. `"id_card.checksum"`; used in API bodies and import reports.
    pub fn code(&self) -> &'static str {
        match self {
            Error::IdCardLegacy => "id_card.legacy",
            Error::IdCardLength { .. } => "id_card.length",
            Error::IdCardCharset { .. } => "id_card.charset",
            Error::IdCardProvince { .. } => "id_card.province",
            Error::IdCardBirthDate { .. } => "id_card.birth_date",
            Error::IdCardBirthRange { .. } => "id_card.birth_range",
            Error::IdCardChecksum { .. } => "id_card.checksum",
            Error::IdCardArea { .. } => "id_card.area",
            Error::IdCardSequence { .. } => "id_card.sequence",
            Error::CreditCodeLength { .. } => "credit_code.length",
            Error::CreditCodeCharset { .. } => "credit_code.charset",
            Error::CreditCodeRegion { .. } => "credit_code.region",
            Error::CreditCodeOrgChecksum { .. } => "credit_code.org_checksum",
            Error::CreditCodeChecksum { .. } => "credit_code.checksum",
            Error::RegionFormat { .. } => "region.format",
            Error::RegionUnknown { .. } => "region.unknown",
            Error::RegionLevel { .. } => "region.level",
            Error::IndustryUnknown { .. } => "industry.unknown",
            Error::MoneyFormat { .. } => "money.format",
            Error::MoneyPrecision { .. } => "money.precision",
            Error::MoneyOverflow { .. } => "money.overflow",
            Error::MonthFormat { .. } => "month.format",
            Error::MonthRange { .. } => "month.range",
            Error::DateFormat { .. } => "date.format",
            Error::DateInvalid { .. } => "date.invalid",
            Error::CodeUnknown { .. } => "code.unknown",
            Error::FieldRequired { .. } => "field.required",
            Error::FieldInvalid { .. } => "field.invalid",
        }
    }

    /// Shorthand for [`Error::FieldInvalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::FieldInvalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::FieldRequired`].
    pub fn required(field: impl Into<String>) -> Error {
        Error::FieldRequired {
            field: field.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_message_is_chinese_and_precise() {
        let e = Error::IdCardChecksum {
            expected: 'X',
            found: '5',
        };
        assert_eq!(e.to_string(), "身份证号校验位错误：应为 X，实际为 5");
        assert_eq!(e.code(), "id_card.checksum");
    }

    #[test]
    fn field_helpers() {
        assert_eq!(Error::required("姓名").to_string(), "姓名为必填项");
        assert_eq!(Error::required("姓名").code(), "field.required");
        let e = Error::invalid("手机号", "应为以1开头的11位数字");
        assert_eq!(e.to_string(), "手机号：应为以1开头的11位数字");
        assert_eq!(e.code(), "field.invalid");
    }

    #[test]
    fn region_level_message() {
        let e = Error::RegionLevel {
            code: "210100".into(),
            name: "沈阳市",
            expected: RegionLevel::County,
        };
        assert_eq!(e.to_string(), "行政区划代码 210100（沈阳市）不是区县级代码");
    }
}
