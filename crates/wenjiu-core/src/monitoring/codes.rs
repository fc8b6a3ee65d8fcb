//! The two dictionaries of the monthly report: decrease types (减员类型, 10) and decrease
//! reasons (减员原因, 14), as 人社部发〔2009〕152号 and the provincial manuals list them. The
//! numeric codes are assumed (the sources give only the names), so both are editable tables
//! seeded from these defaults.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// 减员类型
    DecreaseType,
    /// 减员原因
    DecreaseReason,
}

impl CodeKind {
    pub fn code(&self) -> &'static str {
        match self {
            CodeKind::DecreaseType => "decrease_type",
            CodeKind::DecreaseReason => "decrease_reason",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            CodeKind::DecreaseType => "减员类型",
            CodeKind::DecreaseReason => "减员原因",
        }
    }

    pub fn parse(text: &str) -> Option<CodeKind> {
        [CodeKind::DecreaseType, CodeKind::DecreaseReason]
            .into_iter()
            .find(|k| k.code() == text)
    }
}

/// One entry of a dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeEntry {
    pub code: String,
    pub label: String,
    /// Retired entries stay for old reports but are not offered for new ones.
    pub active: bool,
}

const DECREASE_TYPES: [&str; 10] = [
    "关闭破产",
    "停业整顿",
    "经济性裁员",
    "业务转移",
    "自然减员",
    "正常解除或终止劳动合同",
    "国际因素变化影响",
    "自然灾害",
    "重大事件影响",
    "其他",
];

const DECREASE_REASONS: [&str; 14] = [
    "产业结构调整",
    "重大技术改革",
    "节能减排、淘汰落后产能",
    "订单不足",
    "原材料涨价",
    "工资、社保等用工成本上升",
    "自然减员",
    "经营资金困难",
    "税收政策变化",
    "季节性用工",
    "其他",
    "自行离职",
    "工作调动、企业内部调剂",
    "劳动关系转移、劳务派遣",
];

/// The default entries of `kind`, coded 01, 02, … in the order of the sources.
pub fn defaults(kind: CodeKind) -> Vec<CodeEntry> {
    let labels: &[&str] = match kind {
        CodeKind::DecreaseType => &DECREASE_TYPES,
        CodeKind::DecreaseReason => &DECREASE_REASONS,
    };
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| CodeEntry {
            code: format!("{:02}", i + 1),
            label: (*label).to_string(),
            active: true,
        })
        .collect()
}

/// The code of the decrease type 经济性裁员, which layoff filings report under.
pub const ECONOMIC_LAYOFF: &str = "03";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_the_sources_counts_and_distinct_codes() {
        let types = defaults(CodeKind::DecreaseType);
        let reasons = defaults(CodeKind::DecreaseReason);
        assert_eq!((types.len(), reasons.len()), (10, 14));
        assert_eq!(types[2].label, "经济性裁员");
        assert_eq!(types[2].code, ECONOMIC_LAYOFF);
        assert_eq!(reasons[13].code, "14");
    }
}
