//! The monthly monitoring analysis report (失业动态监测月度分析报告) of a region as a document:
//! the month's summary and warnings within the caller's scope, in Chinese text, tables and
//! charts.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{month_param, region_or_home};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::files::document_download;

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
    let scope = &cu.user.scope;
    let summary = s.store.monitoring_summary(scope, region, month).await?;
    let warnings = s.store.month_warnings(scope, region, month).await?;
    let document = wenjiu_report::monitoring::document(&summary, &warnings);
    let stem = format!("{}失业动态监测月度分析报告-{month}", region.name());
    let (file, response) = document_download(q.format.as_deref(), &stem, &document)?;
    s.audit(
        &cu,
        "monitoring.analysis.export",
        &format!("{region}:{month}"),
        file,
    )
    .await?;
    Ok(response)
}
