//! Indicators (指标调度): the editable catalogue, annual targets, the ledger (台账) of every
//! indicator's value per region and month with its versions, published months, the
//! computation of registry-based indicators, and the monthly bulletin.
//!
//! The ledger keeps values exact (ratio text); regions' totals and derived figures are worked
//! out when read by [`wenjiu_core::indicators::Values`], so a correction anywhere shows up in
//! every total above it.

mod catalogue;
mod compute;
mod difficulty;
mod households;
mod import;
mod ledger;
mod registered;
mod targets;

use wenjiu_core::indicators::{Bulletin, Values};
use wenjiu_core::{Month, RegionCode};

pub use import::Sheet;
pub use ledger::{LedgerFilter, LedgerRow, Lock, Source, ValueInput};
pub use targets::{TargetInput, TargetRow, TargetSum};

use crate::error::{Result, StoreError};
use crate::{Scope, Store};

/// The region a scope may read indicators of, or 404 for a region outside it. Enterprise
/// users see no regional figures.
pub(crate) fn check_region(scope: &Scope, region: &RegionCode) -> Result<()> {
    if scope.admits_region(region) {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// `year` when it lies within [`wenjiu_core::BUSINESS_YEARS`], else a validation error.
pub(crate) fn check_year(year: i32) -> Result<i32> {
    if wenjiu_core::BUSINESS_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(StoreError::invalid(
            "year",
            "年度",
            "field.invalid",
            format!("年度“{year}”无效"),
        ))
    }
}

impl Store {
    /// `month` when it has begun by the business date, else a validation error: a later
    /// month has no figures yet, and a bulletin of one would compare a part of the year with
    /// the whole of last year's.
    pub(crate) fn check_month(&self, month: Month) -> Result<Month> {
        check_year(month.year())?;
        let current = Month::of(self.today());
        if month <= current {
            Ok(month)
        } else {
            Err(StoreError::invalid(
                "month",
                "月份",
                "field.invalid",
                format!("{month}尚未到来（业务日期所在月份为{current}）"),
            ))
        }
    }

    /// Everything needed to read figures of `years`: the catalogue, current ledger values and
    /// targets.
    pub async fn indicator_values(&self, years: &[i32]) -> Result<Values> {
        let mut values = Values::new(self.indicators().await?);
        for &year in years {
            self.load_ledger_year(&mut values, year).await?;
            self.load_targets(&mut values, year).await?;
        }
        Ok(values)
    }

    /// The bulletin of `region` for `month` from the ledger as it stands (refresh the computed
    /// values first with [`Store::refresh_indicators`] to include the latest registrations).
    pub async fn bulletin(
        &self,
        scope: &Scope,
        region: RegionCode,
        month: Month,
    ) -> Result<Bulletin> {
        check_region(scope, &region)?;
        self.check_month(month)?;
        let values = self
            .indicator_values(&[month.year() - 1, month.year()])
            .await?;
        Ok(Bulletin::build(&values, region, month))
    }
}
