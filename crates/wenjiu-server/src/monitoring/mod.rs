//! Unemployment dynamic monitoring over HTTP: the sample, monthly reports and their review,
//! the month's figures, warnings and their handling, layoff-plan filings, and the
//! configuration (dictionaries, deadlines, warning rules and routing).

pub mod analysis;
pub mod config;
pub mod filings;
pub mod reports;
pub mod warnings;

use wenjiu_core::RegionCode;
use wenjiu_store::Scope;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};

pub(crate) use crate::params::month_param;

/// The region asked for, else the caller's own (the province for an operator).
pub(crate) fn region_or_home(cu: &CurrentUser, region: Option<&str>) -> ApiResult<RegionCode> {
    let text = match (region.filter(|s| !s.is_empty()), &cu.user.scope) {
        (Some(r), _) => r.to_string(),
        (None, Scope::Region(p)) => p.as_str().to_string(),
        (None, _) => {
            return Err(ApiError::bad_request(
                "field.required",
                "请指定地区（region）",
            ));
        }
    };
    let region = RegionCode::parse(&text)
        .map_err(|e| ApiError::bad_request("field.invalid", e.to_string()))?;
    match &cu.user.scope {
        Scope::Region(p) if !p.covers(&region.prefix()) => Err(ApiError::not_found()),
        _ => Ok(region),
    }
}
