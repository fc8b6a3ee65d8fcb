//! Annual targets (年度目标): a count to reach or a rate not to exceed, per indicator, region
//! and year; and the check that subregions' targets add up to their region's.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use wenjiu_core::RegionCode;
use wenjiu_core::indicators::catalogue::Measure;
use wenjiu_core::indicators::{Ratio, Target, Values};

use super::check_region;
use super::ledger::parse_value;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{Scope, Store, now};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
pub struct TargetInput {
    pub indicator: String,
    #[schema(value_type = String, example = "210000")]
    pub region: RegionCode,
    pub year: i32,
    /// A count "420000", or a rate in percent "4.5".
    pub value: String,
    /// Set as "about" (左右), as 城镇调查失业率 "5.5%左右".
    #[serde(default)]
    pub approximate: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TargetRow {
    pub indicator: String,
    #[schema(value_type = String)]
    pub region: RegionCode,
    pub region_name: String,
    pub year: i32,
    /// Exact: a count, or a rate as a ratio ("9/200" is 4.5%).
    #[schema(value_type = String)]
    pub value: Ratio,
    pub approximate: bool,
    pub updated_by: String,
    pub updated_at: String,
}

/// A region's target against the sum of its subregions' targets.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TargetSum {
    pub indicator: String,
    #[schema(value_type = String)]
    pub region: RegionCode,
    pub year: i32,
    #[schema(value_type = Option<String>)]
    pub target: Option<Ratio>,
    #[schema(value_type = String)]
    pub subregions_sum: Ratio,
    /// Subregions' sum − the region's target; zero when they add up.
    #[schema(value_type = Option<String>)]
    pub difference: Option<Ratio>,
    /// Subregions without a target.
    pub missing: Vec<String>,
}

fn target_row(r: &sqlx::any::AnyRow) -> Result<TargetRow> {
    let region_text: String = r.try_get("region")?;
    let region = RegionCode::parse(&region_text)
        .map_err(|_| StoreError::Corrupt(format!("目标地区 {region_text}")))?;
    let value: String = r.try_get("value")?;
    Ok(TargetRow {
        indicator: r.try_get("indicator")?,
        region,
        region_name: region.full_name(),
        year: r.try_get::<i64, _>("year")? as i32,
        value: value
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("目标值 {value}")))?,
        approximate: r.try_get::<i64, _>("approximate")? != 0,
        updated_by: r.try_get("updated_by")?,
        updated_at: r.try_get("updated_at")?,
    })
}

impl Store {
    pub async fn set_target(&self, scope: &Scope, actor: &str, t: &TargetInput) -> Result<()> {
        let ind = self.indicator(&t.indicator).await.map_err(|_| {
            StoreError::invalid(
                "indicator",
                "指标代码",
                "field.invalid",
                format!("指标“{}”不存在", t.indicator),
            )
        })?;
        if !ind.has_target {
            return Err(StoreError::invalid(
                "indicator",
                "指标代码",
                "field.invalid",
                format!("“{}”不设年度目标", ind.name),
            ));
        }
        if !scope.governs_region(&t.region) {
            return Err(StoreError::OutOfScope(format!(
                "无权设置{}的目标",
                t.region.full_name()
            )));
        }
        super::check_year(t.year)?;
        let value = parse_value(&ind, &t.value)?;
        Sql::new(
            "INSERT INTO indicator_target (indicator, region, year, value, approximate, \
             updated_by, updated_at) VALUES ",
        )
        .bind_list([
            t.indicator.clone().into(),
            t.region.to_string().into(),
            i64::from(t.year).into(),
            value.to_string().into(),
            t.approximate.into(),
            actor.into(),
            now().into(),
        ])
        .push(
            " ON CONFLICT (indicator, region, year) DO UPDATE SET value = excluded.value, \
             approximate = excluded.approximate, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .query(self.backend)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Targets of `year` within the caller's scope.
    pub async fn targets(&self, scope: &Scope, year: i32) -> Result<Vec<TargetRow>> {
        let rows = sqlx::query(
            "SELECT indicator, region, year, value, approximate, updated_by, updated_at \
             FROM indicator_target WHERE year = $1 ORDER BY indicator, region",
        )
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let all = rows.iter().map(target_row).collect::<Result<Vec<_>>>()?;
        Ok(all
            .into_iter()
            .filter(|t| scope.admits_region(&t.region))
            .collect())
    }

    pub(crate) async fn load_targets(&self, values: &mut Values, year: i32) -> Result<()> {
        for t in self.targets(&Scope::All, year).await? {
            let target = Target {
                value: t.value,
                approximate: t.approximate,
            };
            values.set_target(&t.indicator, t.region, year, target);
        }
        Ok(())
    }

    /// Whether the subregions' targets of a count indicator add up to the region's.
    pub async fn target_sum(
        &self,
        scope: &Scope,
        indicator: &str,
        region: RegionCode,
        year: i32,
    ) -> Result<TargetSum> {
        check_region(scope, &region)?;
        let ind = self.indicator(indicator).await?;
        if ind.measure == Measure::Rate {
            return Err(StoreError::invalid(
                "indicator",
                "指标代码",
                "field.invalid",
                format!("“{}”是比率控制目标，不按下级加总", ind.name),
            ));
        }
        let targets = self.targets(&Scope::All, year).await?;
        let of = |r: RegionCode| {
            targets
                .iter()
                .find(|t| t.indicator == indicator && t.region == r)
                .map(|t| t.value)
        };
        let target = of(region);
        let mut sum = Ratio::ZERO;
        let mut missing = Vec::new();
        for sub in Values::subregions(region) {
            match of(sub) {
                Some(v) => sum = sum + v,
                None => missing.push(sub.name().to_string()),
            }
        }
        Ok(TargetSum {
            indicator: indicator.to_string(),
            region,
            year,
            target,
            subregions_sum: sum,
            difference: target.map(|t| sum - t),
            missing,
        })
    }
}
