//! Months and years taken from requests: parsed and bounded to the business years at the
//! edge, so that no calendar arithmetic behind it meets year 0 or 9999.

use wenjiu_core::{BUSINESS_YEARS, Month};

use crate::error::{ApiError, ApiResult};

/// A `YYYY-MM` month within [`BUSINESS_YEARS`], else a 422 naming the `month` field.
pub(crate) fn month_param(text: &str) -> ApiResult<Month> {
    let month = Month::parse(text).map_err(|e| ApiError::invalid_field("month", e.to_string()))?;
    year_param(month.year()).map_err(|_| {
        ApiError::invalid_field("month", format!("月份“{month}”超出受理范围（{}）", years()))
    })?;
    Ok(month)
}

/// A year within [`BUSINESS_YEARS`], else a 422 naming the `year` field.
pub(crate) fn year_param(year: i32) -> ApiResult<i32> {
    if BUSINESS_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(ApiError::invalid_field(
            "year",
            format!("年度“{year}”超出受理范围（{}）", years()),
        ))
    }
}

fn years() -> String {
    format!("{}–{} 年", BUSINESS_YEARS.start(), BUSINESS_YEARS.end())
}
