//! The monthly monitoring analysis report (失业动态监测月度分析报告) of a region as a document:
//! the month's summary and warnings within the caller's scope, in Chinese text, tables and
//! charts.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use wenjiu_report::Format;
use wenjiu_store::PageReq;
use wenjiu_store::monitoring::WarningFilter;

use super::{month_param, region_or_home};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::download;

/// The most warnings the store lists at once.
const PAGE_SIZE: i64 = 500;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisQuery {
    /// YYYY-MM.
    pub month: String,
    /// Region code; the caller's own by default.
    pub region: Option<String>,
    /// docx (default) | xlsx | html.
    pub format: Option<String>,
}

/// The month's analysis report of a region as a document: `format=docx` (default), `xlsx` or
/// `html`. A region outside the caller's scope is not found.
#[utoipa::path(get, path = "/monitoring/analysis/export", tag = "monitoring", params(AnalysisQuery),
    operation_id = "export_monitoring_analysis",
    responses((status = 200, content_type = "application/octet-stream"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export_analysis(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<AnalysisQuery>,
) -> ApiResult<Response> {
    cu.require("monitoring:read")?;
    let region = region_or_home(&cu, q.region.as_deref())?;
    let month = month_param(&q.month)?;
    let name = q.format.as_deref().unwrap_or("docx");
    let format = Format::parse(name).ok_or_else(|| {
        ApiError::bad_request(
            "field.invalid",
            format!("格式“{name}”无效，可选 docx、xlsx、html"),
        )
    })?;
    let scope = &cu.user.scope;
    let summary = s.store.monitoring_summary(scope, region, month).await?;
    let filter = WarningFilter {
        month: Some(month.to_string()),
        region: Some(region.to_string()),
        ..WarningFilter::default()
    };
    let mut warnings = Vec::new();
    for page in 1.. {
        let listed = s
            .store
            .warnings(scope, &filter, PageReq::new(Some(page), Some(PAGE_SIZE)))
            .await?;
        let last = listed.rows.is_empty();
        warnings.extend(listed.rows);
        if last || warnings.len() as i64 >= listed.total {
            break;
        }
    }
    let document = wenjiu_report::monitoring::document(&summary, &warnings);
    let bytes = format
        .render(&document)
        .map_err(|e| ApiError::bad_request("report.failed", e.to_string()))?;
    let file = format!(
        "{}失业动态监测月度分析报告-{month}.{}",
        region.name(),
        format.extension()
    );
    s.audit(
        &cu,
        "monitoring.analysis.export",
        &format!("{region}:{month}"),
        file.clone(),
    )
    .await?;
    Ok(download(&file, format.content_type(), bytes))
}
