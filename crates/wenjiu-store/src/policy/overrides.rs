//! 政策参数的数据库取值：经授权人员录入、按日期和地区生效、只增不改。
//! Parameter values entered by authorised staff (table `policy_param_value`), laid over the
//! catalogue's files. Append-only: history is never overwritten, a change is a new value from
//! a later date. Values are kept as TOML literals, exactly as a parameter file writes them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::RegionPrefix;
use wenjiu_rules::{Error as RulesError, ParamValue, Parameters, Type, Value, param_value};

use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{Scope, Store, now};

/// One stored value, with who entered it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ParamOverride {
    pub id: i64,
    pub name: String,
    /// Region prefix: 21, 2102 or 210202.
    pub region: String,
    pub from: NaiveDate,
    /// The TOML literal, as in the parameter files (`6`, `100000`, `"2/3"`, `true`).
    pub value: String,
    pub source: String,
    pub entered_by: String,
    pub entered_at: String,
}

/// A new value: JSON of the parameter's type (money in integer fen, rates as "2/3", "0.5" or
/// "50%", dates as "2020-12-31", string lists as arrays).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewParamValue {
    pub name: String,
    /// Region code or prefix: 21, 2102 (210200), 210202.
    pub region: String,
    pub from: NaiveDate,
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    /// The document the value comes from.
    pub source: String,
}

pub(crate) fn invalid(
    column: &'static str,
    header: &'static str,
    message: impl Into<String>,
) -> StoreError {
    StoreError::invalid(column, header, "field.invalid", message)
}

/// A JSON value as the TOML literal of a value of type `ty`, or `None` when it is not one.
pub fn toml_literal(ty: Type, v: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    // A JSON string literal is a TOML basic string: the same escapes.
    let string = |s: &str| serde_json::to_string(s).ok();
    let literal = match (ty, v) {
        (Type::Int | Type::Money, J::Number(n)) => n.as_i64()?.to_string(),
        (Type::Rate, J::Number(n)) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => string(&n.to_string())?,
        },
        (Type::Rate | Type::String, J::String(s)) => string(s)?,
        (Type::Bool, J::Bool(b)) => b.to_string(),
        (Type::Date, J::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?.to_string(),
        (Type::StringList, J::Array(items)) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| i.as_str().and_then(string))
                .collect::<Option<_>>()?;
            format!("[{}]", items.join(", "))
        }
        _ => return None,
    };
    parse_literal(ty, &literal).ok()?;
    Some(literal)
}

/// Reads a TOML literal as a value of type `ty`, with the engine's own conversion (the one the
/// parameter files go through), so that a value means the same wherever it was written.
pub fn parse_literal(ty: Type, literal: &str) -> std::result::Result<Value, String> {
    let wrong = || format!("取值应为{ty}");
    // Exactly one value, nothing else: it is then safe to put in a parameter file.
    let doc: toml::Table = toml::from_str(&format!("v = {literal}")).map_err(|_| wrong())?;
    match (doc.len(), doc.get("v")) {
        (1, Some(v)) => param_value(v, ty).ok_or_else(wrong),
        _ => Err(wrong()),
    }
}

/// The files' parameters with the stored values added. A stored value that no longer fits the
/// files (the parameter was removed or retyped, a file now has a value for the same region
/// and date, or the file's bounds now exclude it) is left out with a warning: the files are
/// the law as written.
pub fn effective(files: &Parameters, stored: &[ParamOverride]) -> Parameters {
    let mut params = files.clone();
    for o in stored {
        let added = params
            .get(&o.name)
            .ok_or_else(|| format!("参数“{}”已不在政策清单中", o.name))
            .and_then(|p| parse_literal(p.ty, &o.value))
            .and_then(|value| {
                let v = ParamValue {
                    from: o.from,
                    region: o.region.clone(),
                    value,
                    source: o.source.clone(),
                };
                params.add_value(&o.name, v).map_err(|e| e.to_string())
            });
        if let Err(e) = added {
            tracing::warn!(id = o.id, name = %o.name, error = %e, "stored parameter value skipped");
        }
    }
    params
}

fn from_row(r: &AnyRow) -> Result<ParamOverride> {
    let from: String = r.try_get("value_from")?;
    Ok(ParamOverride {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        region: r.try_get("region")?,
        from: NaiveDate::parse_from_str(&from, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("参数取值的起始日期“{from}”")))?,
        value: r.try_get("value")?,
        source: r.try_get("source")?,
        entered_by: r.try_get("entered_by")?,
        entered_at: r.try_get("entered_at")?,
    })
}

const SELECT: &str = "SELECT id, name, region, value_from, value, source, entered_by, entered_at \
                      FROM policy_param_value";

impl Store {
    /// Every stored parameter value, in the order entered.
    pub async fn policy_param_values(&self) -> Result<Vec<ParamOverride>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY id")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The files' parameters with every stored value added.
    pub async fn policy_params(&self, files: &Parameters) -> Result<Parameters> {
        Ok(effective(files, &self.policy_param_values().await?))
    }

    /// Adds a value of a parameter declared in `files` for a region within `scope`. A value
    /// for the same parameter, region and start date is a conflict: history is never
    /// overwritten. Returns what was stored.
    pub async fn add_policy_param_value(
        &self,
        scope: &Scope,
        actor: &str,
        files: &Parameters,
        v: &NewParamValue,
    ) -> Result<ParamOverride> {
        let param = files
            .get(&v.name)
            .ok_or_else(|| invalid("name", "参数", format!("参数“{}”不在政策清单中", v.name)))?;
        let region = RegionPrefix::parse(v.region.trim())
            .map_err(|e| invalid("region", "地区", e.to_string()))?;
        let admitted = match scope {
            Scope::Region(p) => p.covers(&region),
            Scope::Enterprise(_) => false,
            Scope::All => true,
        };
        if !admitted {
            return Err(StoreError::OutOfScope(format!(
                "无权设置{}的政策参数",
                region.region().full_name()
            )));
        }
        let literal = toml_literal(param.ty, &v.value).ok_or_else(|| {
            invalid(
                "value",
                "取值",
                format!("参数“{}”的取值应为{}", v.name, param.ty),
            )
        })?;
        let source = v.source.trim();
        // The parameter's legal bounds, and whether a city may set it at all.
        let value = ParamValue {
            from: v.from,
            region: region.as_str().to_string(),
            value: parse_literal(param.ty, &literal).map_err(|e| invalid("value", "取值", e))?,
            source: source.to_string(),
        };
        param.check(&value).map_err(|e| match e {
            RulesError::ParamProvinceOnly(_) => invalid("region", "地区", e.to_string()),
            e => invalid("value", "取值", e.to_string()),
        })?;
        if source.is_empty() {
            return Err(invalid("source", "依据", "请填写取值的文件依据"));
        }
        let current = self.policy_params(files).await?;
        let taken = current.get(&v.name).is_some_and(|p| {
            p.values()
                .iter()
                .any(|x| x.region == region.as_str() && x.from == v.from)
        });
        if taken {
            return Err(StoreError::Conflict(format!(
                "参数“{}”在地区 {} 自 {} 起已有取值，历史不可覆盖；请以新的起始日期录入",
                v.name, region, v.from
            )));
        }
        let entered_at = now();
        let id: Option<i64> = Sql::new(
            "INSERT INTO policy_param_value \
             (name, region, value_from, value, source, entered_by, entered_at) VALUES ",
        )
        .bind_list([
            v.name.clone().into(),
            region.as_str().into(),
            v.from.to_string().into(),
            literal.clone().into(),
            source.into(),
            actor.into(),
            entered_at.clone().into(),
        ])
        .push(" ON CONFLICT (name, region, value_from) DO NOTHING RETURNING id")
        .query(self.backend)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        let id = id.ok_or_else(|| {
            StoreError::Conflict(format!(
                "参数“{}”在地区 {} 自 {} 起已有取值，历史不可覆盖",
                v.name, region, v.from
            ))
        })?;
        Ok(ParamOverride {
            id,
            name: v.name.clone(),
            region: region.as_str().to_string(),
            from: v.from,
            value: literal,
            source: source.to_string(),
            entered_by: actor.to_string(),
            entered_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_values_become_the_literals_the_files_write() {
        assert_eq!(toml_literal(Type::Int, &json!(5)).as_deref(), Some("5"));
        assert_eq!(
            toml_literal(Type::Money, &json!(100000)).as_deref(),
            Some("100000")
        );
        assert_eq!(
            toml_literal(Type::Rate, &json!("2/3")).as_deref(),
            Some("\"2/3\"")
        );
        assert_eq!(
            toml_literal(Type::Bool, &json!(true)).as_deref(),
            Some("true")
        );
        assert_eq!(
            toml_literal(Type::Date, &json!("2020-12-31")).as_deref(),
            Some("2020-12-31")
        );
        assert_eq!(
            toml_literal(Type::StringList, &json!(["a", "b"])).as_deref(),
            Some("[\"a\", \"b\"]")
        );
        assert_eq!(toml_literal(Type::Int, &json!("5")), None);
        assert_eq!(toml_literal(Type::Int, &json!(5.5)), None);
        assert_eq!(toml_literal(Type::Rate, &json!("abc")), None);
        assert_eq!(toml_literal(Type::Date, &json!("2020-13-01")), None);
        assert_eq!(parse_literal(Type::Int, "6"), Ok(Value::Int(6)));
        assert!(parse_literal(Type::Int, "6\nw = 1").is_err());
        assert!(parse_literal(Type::Bool, "6").is_err());
    }
}
