//! Monthly reports: submit, list, read with history, review, who has not reported, reminders,
//! and the month's figures. Every submission and review re-runs the month's warnings, so a
//! warning appears as soon as the report that causes it.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_core::monitoring::{ReportStatus, ReviewAction};
use wenjiu_store::monitoring::reports::{Deadline, ReportSubmit, StatusRow};
use wenjiu_store::monitoring::{
    MonitoringSummary, ReportFilter, ReportRow, ReviewRow, WarningFilter,
};
use wenjiu_store::registry::ImportReport;
use wenjiu_store::{Page, PageReq};

use super::{month_param, region_or_home};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::upload;

#[derive(Serialize, ToSchema)]
pub struct Submitted {
    pub id: i64,
    /// Warnings of the month after this report within the submitter's scope (an enterprise's
    /// own, a county's or city's), new ones included.
    pub warnings_raised: usize,
}

/// Submits a month's report (an enterprise for itself; an official on its behalf, recorded as
/// such). A fall without a decrease type and main reason, or totals that do not follow from
/// last month, is refused with each problem named.
#[utoipa::path(post, path = "/monitoring/reports", tag = "monitoring", request_body = ReportSubmit,
    responses((status = 200, body = Submitted), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit_report(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<ReportSubmit>,
) -> ApiResult<Json<Submitted>> {
    cu.require("monitoring:report")?;
    let id = s
        .store
        .submit_report(&cu.user.scope, &cu.user.username, &body)
        .await?;
    // Audited as soon as it is written, whatever the warning run then does.
    s.audit(
        &cu,
        "monitoring.report.submit",
        &format!("monitoring_report:{id}"),
        format!("{} 调查期就业人数 {}", body.month, body.headcount),
    )
    .await?;
    let month = month_param(&body.month)?;
    s.store.run_monitoring(month).await?;
    // Counted within the submitter's scope: an enterprise learns of its own warnings only.
    let mine = WarningFilter {
        month: Some(month.to_string()),
        ..WarningFilter::default()
    };
    let warnings = s
        .store
        .warnings(&cu.user.scope, &mine, PageReq::new(Some(1), Some(1)))
        .await?;
    Ok(Json(Submitted {
        id,
        warnings_raised: usize::try_from(warnings.total).unwrap_or(0),
    }))
}

/// Imports reports from an XLSX or CSV sheet on the enterprises' behalf (columns: 统一社会信用代码,
/// 月份, 调查期就业人数, 本月新增人数, 本月减少人数, 减员类型, 减员原因一…三 with 原因说明一…三). Each row
/// is submitted as if entered by hand; bad rows come back with row, column and reason.
#[utoipa::path(post, path = "/monitoring/reports/import", tag = "monitoring",
    request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody)))]
pub async fn import_reports(
    State(s): State<AppState>,
    cu: CurrentUser,
    mut multipart: Multipart,
) -> ApiResult<Json<ImportReport>> {
    cu.require("monitoring:report")?;
    let (name, reader) = upload(&mut multipart).await?;
    let report = s
        .store
        .import_reports(&cu.user.scope, &cu.user.username, reader)
        .await?;
    let detail = format!(
        "{name}：{} 行，接收 {}，拒绝 {}",
        report.rows, report.accepted, report.rejected_count
    );
    s.audit(&cu, "monitoring.report.import", "", detail).await?;
    Ok(Json(report))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub month: Option<String>,
    /// submitted | returned | local_approved | closed | pending (waiting for the caller)
    pub status: Option<String>,
    pub region: Option<String>,
    pub name: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/monitoring/reports", tag = "monitoring", params(ReportQuery),
    responses((status = 200, body = Page<ReportRow>)))]
pub async fn list_reports(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Json<Page<ReportRow>>> {
    cu.require("monitoring:read")?;
    let f = ReportFilter {
        month: q.month,
        status: q.status,
        region: q.region,
        name: q.name,
    };
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.reports(&cu.user.scope, &f, page).await?))
}

#[utoipa::path(get, path = "/monitoring/reports/{id}", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = ReportRow), (status = 404, body = ErrorBody)))]
pub async fn get_report(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ReportRow>> {
    cu.require("monitoring:read")?;
    Ok(Json(s.store.report(&cu.user.scope, id).await?))
}

#[utoipa::path(get, path = "/monitoring/reports/{id}/history", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ReviewRow>), (status = 404, body = ErrorBody)))]
pub async fn report_history(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ReviewRow>>> {
    cu.require("monitoring:read")?;
    Ok(Json(s.store.report_history(&cu.user.scope, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewBody {
    /// approve | return
    pub action: String,
    /// Required when returning.
    #[serde(default)]
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct Reviewed {
    pub status: String,
    pub status_label: String,
}

/// Approves or returns a report at the reviewer's tier: a county or city officer first, then
/// the province.
#[utoipa::path(post, path = "/monitoring/reports/{id}/review", tag = "monitoring",
    params(("id" = i64, Path)), request_body = ReviewBody,
    responses((status = 200, body = Reviewed), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn review_report(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<ReviewBody>,
) -> ApiResult<Json<Reviewed>> {
    cu.require("monitoring:review")?;
    let action = match body.action.as_str() {
        "approve" => ReviewAction::Approve,
        "return" if body.comment.trim().is_empty() => {
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "field.required",
                "退回时必须填写退回意见",
            ));
        }
        "return" => ReviewAction::Return {
            comment: body.comment.clone(),
        },
        other => {
            return Err(ApiError::bad_request(
                "field.invalid",
                format!("审核动作“{other}”无效：应为 approve 或 return"),
            ));
        }
    };
    let (status, month) = s
        .store
        .review_report(&cu.user.scope, &cu.user.username, id, &action)
        .await?;
    // Only a returned report changes what the month's warnings are made of.
    if status == ReportStatus::Returned {
        s.store.run_monitoring(month).await?;
    }
    s.audit(
        &cu,
        "monitoring.report.review",
        &format!("monitoring_report:{id}"),
        format!("{} {}", body.action, body.comment),
    )
    .await?;
    Ok(Json(Reviewed {
        status: status.code().into(),
        status_label: status.label().into(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    pub month: String,
    pub region: Option<String>,
    /// Only enterprises missing or late.
    pub outstanding: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// Each enterprise of the sample and its report for the month: missing and late ones to chase.
#[utoipa::path(get, path = "/monitoring/status", tag = "monitoring", params(StatusQuery),
    responses((status = 200, body = Page<StatusRow>)))]
pub async fn reporting_status(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<StatusQuery>,
) -> ApiResult<Json<Page<StatusRow>>> {
    cu.require("monitoring:review")?;
    let month = month_param(&q.month)?;
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(
        s.store
            .reporting_status(
                &cu.user.scope,
                month,
                q.region.as_deref(),
                q.outstanding.unwrap_or(false),
                page,
            )
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ChaseBody {
    pub month: String,
    pub enterprise_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Chased {
    pub chased: usize,
}

/// Sends a reminder (催报) to enterprises; they see it when they next sign in.
#[utoipa::path(post, path = "/monitoring/chase", tag = "monitoring", request_body = ChaseBody,
    responses((status = 200, body = Chased), (status = 404, body = ErrorBody)))]
pub async fn chase_reports(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<ChaseBody>,
) -> ApiResult<Json<Chased>> {
    cu.require("monitoring:review")?;
    let month = month_param(&body.month)?;
    let chased = s
        .store
        .chase(
            &cu.user.scope,
            &cu.user.username,
            month,
            &body.enterprise_ids,
        )
        .await?;
    s.audit(
        &cu,
        "monitoring.chase",
        &format!("monitoring_month:{month}"),
        format!("{chased} 家企业"),
    )
    .await?;
    Ok(Json(Chased { chased }))
}

#[derive(Serialize, ToSchema)]
pub struct Reminders {
    /// Months the caller's enterprise was reminded of and has not reported.
    pub months: Vec<String>,
}

#[utoipa::path(get, path = "/monitoring/reminders", tag = "monitoring",
    responses((status = 200, body = Reminders)))]
pub async fn report_reminders(
    State(s): State<AppState>,
    cu: CurrentUser,
) -> ApiResult<Json<Reminders>> {
    cu.require("monitoring:report")?;
    let months = match cu.user.scope {
        wenjiu_store::Scope::Enterprise(id) => s.store.reminders(id).await?,
        _ => vec![],
    };
    Ok(Json(Reminders { months }))
}

#[utoipa::path(get, path = "/monitoring/deadlines/{month}", tag = "monitoring",
    params(("month" = String, Path)), responses((status = 200, body = Deadline)))]
pub async fn report_deadline(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(month): Path<String>,
) -> ApiResult<Json<Deadline>> {
    cu.require("monitoring:read")?;
    Ok(Json(s.store.deadline(month_param(&month)?).await?))
}

#[utoipa::path(put, path = "/monitoring/deadlines", tag = "monitoring", request_body = Deadline,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn set_report_deadline(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(d): Json<Deadline>,
) -> ApiResult<axum::http::StatusCode> {
    cu.require("monitoring:admin")?;
    s.store.set_deadline(&cu.user.username, &d).await?;
    s.audit(
        &cu,
        "monitoring.deadline",
        &format!("monitoring_month:{}", d.month),
        format!("{} 至 {}", d.opens_on, d.due_on),
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    pub month: String,
    /// Region code; the caller's own by default.
    pub region: Option<String>,
}

/// The month's figures for a region: totals, subregions, industries, ownership types, the
/// leading decrease types and reasons, the past year's trend, warnings by level.
#[utoipa::path(get, path = "/monitoring/summary", tag = "monitoring", params(SummaryQuery),
    responses((status = 200, body = MonitoringSummary), (status = 400, body = ErrorBody)))]
pub async fn monitoring_summary(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<SummaryQuery>,
) -> ApiResult<Json<MonitoringSummary>> {
    cu.require("monitoring:read")?;
    let region = region_or_home(&cu, q.region.as_deref())?;
    let month = month_param(&q.month)?;
    Ok(Json(
        s.store
            .monitoring_summary(&cu.user.scope, region, month)
            .await?,
    ))
}
