//! Layoff-plan filings: file, list, read (requirements, steps, what still blocks it), record a
//! step, mark implemented, withdraw, request a job fair, and the affected workers.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_store::monitoring::filings::{FilingFilter, WorkerRow};
use wenjiu_store::monitoring::{FilingInput, FilingRow, FilingStepInput};
use wenjiu_store::{Page, PageReq};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};

/// Files a layoff plan. What it requires follows from its size: the 劳动合同法 Art. 41
/// procedure at 20 people or 10% of the staff, early intervention at 50 (a warning to the
/// county and city), a report to the province at 200.
#[utoipa::path(post, path = "/monitoring/filings", tag = "monitoring", request_body = FilingInput,
    responses((status = 201, body = FilingRow), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_filing(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(input): Json<FilingInput>,
) -> ApiResult<(StatusCode, Json<FilingRow>)> {
    cu.require("monitoring:filing")?;
    let id = s
        .store
        .file_layoff(&cu.user.scope, &cu.user.username, &input)
        .await?;
    let f = s.store.filing(&cu.user.scope, id).await?;
    s.audit(
        &cu,
        "monitoring.filing.create",
        &format!("layoff_filing:{id}"),
        format!("拟裁减 {} 人，职工 {} 人", f.planned, f.staff),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(f)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilingQuery {
    /// filed | implemented | withdrawn
    pub status: Option<String>,
    pub region: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/monitoring/filings", tag = "monitoring", params(FilingQuery),
    responses((status = 200, body = Page<FilingRow>)))]
pub async fn list_filings(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<FilingQuery>,
) -> ApiResult<Json<Page<FilingRow>>> {
    cu.require("monitoring:filing")?;
    let f = FilingFilter {
        status: q.status,
        region: q.region,
    };
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.filings(&cu.user.scope, &f, page).await?))
}

#[utoipa::path(get, path = "/monitoring/filings/{id}", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = FilingRow), (status = 404, body = ErrorBody)))]
pub async fn get_filing(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<FilingRow>> {
    cu.require("monitoring:filing")?;
    Ok(Json(s.store.filing(&cu.user.scope, id).await?))
}

#[utoipa::path(post, path = "/monitoring/filings/{id}/steps", tag = "monitoring",
    params(("id" = i64, Path)), request_body = FilingStepInput,
    responses((status = 200, body = FilingRow), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_filing_step(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<FilingStepInput>,
) -> ApiResult<Json<FilingRow>> {
    cu.require("monitoring:filing")?;
    let f = s
        .store
        .record_filing_step(&cu.user.scope, &cu.user.username, id, &input)
        .await?;
    s.audit(
        &cu,
        "monitoring.filing.step",
        &format!("layoff_filing:{id}"),
        format!("{} {} {}", input.step, input.done_on, input.evidence),
    )
    .await?;
    Ok(Json(f))
}

/// Marks the plan implemented; refused (409) with every missing step while any is.
#[utoipa::path(post, path = "/monitoring/filings/{id}/implement", tag = "monitoring",
    params(("id" = i64, Path)),
    responses((status = 200, body = FilingRow), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn implement_filing(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<FilingRow>> {
    cu.require("monitoring:filing")?;
    let f = s.store.implement_filing(&cu.user.scope, id).await?;
    s.audit(
        &cu,
        "monitoring.filing.implement",
        &format!("layoff_filing:{id}"),
        "",
    )
    .await?;
    Ok(Json(f))
}

#[utoipa::path(post, path = "/monitoring/filings/{id}/withdraw", tag = "monitoring",
    params(("id" = i64, Path)),
    responses((status = 200, body = FilingRow), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw_filing(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<FilingRow>> {
    cu.require("monitoring:filing")?;
    let f = s.store.withdraw_filing(&cu.user.scope, id).await?;
    s.audit(
        &cu,
        "monitoring.filing.withdraw",
        &format!("layoff_filing:{id}"),
        "",
    )
    .await?;
    Ok(Json(f))
}

#[derive(Deserialize, ToSchema)]
pub struct JobFairBody {
    /// Positions wanted, dates, place.
    pub note: String,
}

/// Asks for a special job fair (专场招聘会) for the workers of this layoff.
#[utoipa::path(post, path = "/monitoring/filings/{id}/job-fair", tag = "monitoring",
    params(("id" = i64, Path)), request_body = JobFairBody,
    responses((status = 200, body = FilingRow), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn request_job_fair(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<JobFairBody>,
) -> ApiResult<Json<FilingRow>> {
    cu.require("monitoring:filing")?;
    let f = s
        .store
        .request_job_fair(&cu.user.scope, id, &body.note)
        .await?;
    s.audit(
        &cu,
        "monitoring.filing.job_fair",
        &format!("layoff_filing:{id}"),
        body.note,
    )
    .await?;
    Ok(Json(f))
}

#[utoipa::path(get, path = "/monitoring/filings/{id}/workers", tag = "monitoring",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<WorkerRow>), (status = 404, body = ErrorBody)))]
pub async fn filing_workers(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<WorkerRow>>> {
    cu.require("monitoring:filing")?;
    Ok(Json(s.store.filing_workers(&cu.user.scope, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct WorkersBody {
    /// ID numbers of employees of the enterprise to be laid off.
    pub id_numbers: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkersAdded {
    pub added: usize,
}

#[utoipa::path(post, path = "/monitoring/filings/{id}/workers", tag = "monitoring",
    params(("id" = i64, Path)), request_body = WorkersBody,
    responses((status = 200, body = WorkersAdded), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_filing_workers(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<WorkersBody>,
) -> ApiResult<Json<WorkersAdded>> {
    cu.require("monitoring:filing")?;
    let added = s
        .store
        .add_filing_workers(&cu.user.scope, id, &body.id_numbers)
        .await?;
    s.audit(
        &cu,
        "monitoring.filing.workers",
        &format!("layoff_filing:{id}"),
        format!("{added} 人"),
    )
    .await?;
    Ok(Json(WorkersAdded { added }))
}
