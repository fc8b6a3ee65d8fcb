//! A policy's parameters for a batch run, looked up once per region of the frame (the date is
//! fixed) instead of once per row; one the same in every region becomes a constant.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::expr::ir::Ty;
use crate::frame::Frame;
use crate::params::Parameters;
use crate::policy::Policy;
use crate::value::Scalar;
use crate::values::Values;
use crate::vector::Vector;

/// One parameter's value in each region of a frame.
pub(crate) struct RegionParam<'a> {
    /// By the frame's region code; where the lookup failed, another region's value.
    values: Vector<'a>,
    /// Why the lookup failed, by region code; empty when it failed nowhere.
    failures: Vec<Option<Error>>,
    /// The value when it is the same in every region.
    uniform: Option<Scalar<'a>>,
}

/// The parameters of `policy`, in the order of its parameter table.
pub(crate) fn resolve<'a>(
    policy: &'a Policy,
    frame: &Frame,
    date: NaiveDate,
    params: &'a Parameters,
) -> Vec<RegionParam<'a>> {
    policy
        .tables
        .params
        .iter()
        .map(|(name, ty)| {
            let found: Vec<Result<Scalar<'a>>> = frame
                .regions
                .iter()
                .map(|region| Ok(params.lookup(name, region, date)?.value.scalar()))
                .collect();
            RegionParam::new(Ty::of(*ty), found)
        })
        .collect()
}

impl<'a> RegionParam<'a> {
    fn new(ty: Ty, found: Vec<Result<Scalar<'a>>>) -> RegionParam<'a> {
        let fill = found.iter().find_map(|f| f.as_ref().ok().copied());
        let uniform = fill.filter(|v| found.iter().all(|f| f.as_ref() == Ok(v)));
        let values = Vector::collect(
            ty,
            found
                .iter()
                .filter_map(|f| f.as_ref().ok().copied().or(fill)),
        );
        let failures = if found.iter().all(Result::is_ok) {
            Vec::new()
        } else {
            found.into_iter().map(Result::err).collect()
        };
        RegionParam {
            values,
            failures,
            uniform,
        }
    }

    /// The values for the selected `rows`, or the lookup error of the first of them whose
    /// region has none (as the single evaluator would raise it for that row).
    pub(crate) fn values(&self, rows: &[u32], region_codes: &'a [u32]) -> Result<Values<'_>> {
        if let Some(v) = self.uniform {
            return Ok(Values::Const(v));
        }
        if !self.failures.is_empty() {
            let failed = rows
                .iter()
                .find_map(|r| self.failures[region_codes[*r as usize] as usize].as_ref());
            if let Some(e) = failed {
                return Err(e.clone());
            }
        }
        Ok(Values::ByRegion(&self.values, region_codes))
    }
}
