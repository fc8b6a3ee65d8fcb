//! A supplied fact's value: typed by its field, read from what people type (是/否, yuan, labels)
//! and kept as canonical text (true/false, integers, fen, codes).

use wenjiu_core::Money;
use wenjiu_rules::Type;

use crate::error::{Result, StoreError};
use crate::policy::schema::FieldDef;

/// A fact's value. Money is integer fen; a code is one of the field's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactValue {
    Bool(bool),
    Int(i64),
    Code(&'static str),
}

impl FactValue {
    /// The value of `def` as typed in a form or a sheet, or why it is not one.
    pub fn input(def: &FieldDef, text: &str) -> std::result::Result<FactValue, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("取值不能为空".into());
        }
        match def.ty {
            Type::Bool => match t.to_lowercase().as_str() {
                "是" | "true" | "1" | "y" | "yes" => Ok(FactValue::Bool(true)),
                "否" | "false" | "0" | "n" | "no" => Ok(FactValue::Bool(false)),
                _ => Err(format!("“{t}”应为“是”或“否”")),
            },
            Type::Int => match t.replace(',', "").parse::<i64>() {
                Ok(n) if n >= 0 => Ok(FactValue::Int(n)),
                _ => Err(format!("“{t}”应为不小于 0 的整数")),
            },
            Type::Money => match Money::parse_yuan(t) {
                Ok(m) if !m.is_negative() => Ok(FactValue::Int(m.fen())),
                Ok(_) => Err(format!("金额“{t}”不能为负")),
                Err(e) => Err(format!("{e}（金额以元为单位，最多两位小数）")),
            },
            Type::String => def
                .codes()
                .iter()
                .find(|(code, label)| *code == t || *label == t)
                .map(|(code, _)| FactValue::Code(code))
                .ok_or_else(|| {
                    let allowed: Vec<&str> = def.codes().iter().map(|(_, l)| *l).collect();
                    format!("“{t}”应为以下之一：{}", allowed.join("、"))
                }),
            other => Err(format!("类型为{other}的信息项不能申报")),
        }
    }

    /// The stored text read back; anything else is a corrupt database.
    pub fn from_stored(def: &FieldDef, text: &str) -> Result<FactValue> {
        let corrupt = || StoreError::Corrupt(format!("信息项 {} 的取值“{text}”有误", def.name));
        match def.ty {
            Type::Bool => match text {
                "true" => Ok(FactValue::Bool(true)),
                "false" => Ok(FactValue::Bool(false)),
                _ => Err(corrupt()),
            },
            Type::Int | Type::Money => text.parse().map(FactValue::Int).map_err(|_| corrupt()),
            Type::String => def
                .codes()
                .iter()
                .find(|(code, _)| *code == text)
                .map(|(code, _)| FactValue::Code(code))
                .ok_or_else(corrupt),
            _ => Err(corrupt()),
        }
    }

    /// The canonical text stored.
    pub fn to_stored(self) -> String {
        match self {
            FactValue::Bool(b) => b.to_string(),
            FactValue::Int(n) => n.to_string(),
            FactValue::Code(c) => c.to_string(),
        }
    }

    /// The value as people read it: 是/否, yuan, a code's label.
    pub fn label(self, def: &FieldDef) -> String {
        match self {
            FactValue::Bool(b) => if b { "是" } else { "否" }.into(),
            FactValue::Int(fen) if def.ty == Type::Money => format!("{} 元", Money::from_fen(fen)),
            FactValue::Int(n) => n.to_string(),
            FactValue::Code(c) => def
                .codes()
                .iter()
                .find(|(code, _)| *code == c)
                .map_or(c, |(_, label)| label)
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::schema::field;

    fn def(name: &str) -> &'static FieldDef {
        field(name).unwrap()
    }

    #[test]
    fn values_are_read_as_people_type_them_and_kept_canonical() {
        let money = def("person.si_paid_fen");
        let v = FactValue::input(money, "1,234.5").unwrap();
        assert_eq!(v, FactValue::Int(123450));
        assert_eq!(v.to_stored(), "123450");
        assert_eq!(v.label(money), "1234.50 元");
        assert_eq!(FactValue::from_stored(money, "123450").unwrap(), v);
        assert!(
            FactValue::input(money, "1.234")
                .unwrap_err()
                .contains("两位小数")
        );
        assert!(
            FactValue::input(money, "-5")
                .unwrap_err()
                .contains("不能为负")
        );

        let flag = def("hire.si_paid");
        assert_eq!(FactValue::input(flag, "是").unwrap(), FactValue::Bool(true));
        assert_eq!(
            FactValue::input(flag, "FALSE").unwrap(),
            FactValue::Bool(false)
        );
        assert!(
            FactValue::input(flag, "也许")
                .unwrap_err()
                .contains("“是”或“否”")
        );

        let months = def("hire.contract_months");
        assert_eq!(FactValue::input(months, "12").unwrap(), FactValue::Int(12));
        assert!(FactValue::input(months, "-1").is_err());
        assert!(FactValue::input(months, "一年").is_err());
        assert_eq!(FactValue::input(months, " ").unwrap_err(), "取值不能为空");

        let kind = def("person.business_kind");
        let v = FactValue::input(kind, "个体工商户").unwrap();
        assert_eq!(v, FactValue::input(kind, "individual_business").unwrap());
        assert_eq!(v.to_stored(), "individual_business");
        assert_eq!(v.label(kind), "个体工商户");
        assert!(
            FactValue::input(kind, "合作社")
                .unwrap_err()
                .contains("小微企业")
        );
        assert!(FactValue::from_stored(kind, "cooperative").is_err());
    }
}
