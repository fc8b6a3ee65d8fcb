//! Warnings: the monitoring run, the list (everything in the caller's region, or only what
//! is routed to the caller's tier), one warning with its history, and its handling.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa::IntoParams;
use wenjiu_store::monitoring::warnings::WarningEvent;
use wenjiu_store::monitoring::{RunOutcome, WarningAction, WarningFilter, WarningRow};
use wenjiu_store::{Page, PageReq};

use super::month_param;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    pub month: String,
}

/// Evaluates the warning rules over the month's reports (the whole province) and updates the
/// warnings; their handling is kept.
#[utoipa::path(post, path = "/monitoring/run", tag = "monitoring", params(RunQuery),
    responses((status = 200, body = RunOutcome), (status = 403, body = ErrorBody)))]
pub async fn run_monitoring(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<RunQuery>,
) -> ApiResult<Json<RunOutcome>> {
    cu.require("monitoring:warning")?;
    let outcome = s.store.run_monitoring(month_param(&q.month)?).await?;
    s.audit(
        &cu,
        "monitoring.run",
        &format!("monitoring_month:{}", q.month),
        format!(
            "发现 {} 条，新增 {}，更新 {}，消除 {}",
            outcome.findings, outcome.raised, outcome.updated, outcome.cleared
        ),
    )
    .await?;
    Ok(Json(outcome))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarningQuery {
    pub month: Option<String>,
    /// A rule code (single_200, enterprise_50, …, layoff_filing).
    pub rule: Option<String>,
    /// red | orange | yellow
    pub level: Option<String>,
    /// open | acknowledged | handling | closed | cleared | active (not closed)
    pub status: Option<String>,
    pub region: Option<String>,
    /// Only warnings routed to the caller's tier.
    pub inbox: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/monitoring/warnings", tag = "monitoring", params(WarningQuery),
    responses((status = 200, body = Page<WarningRow>)))]
pub async fn list_warnings(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<WarningQuery>,
) -> ApiResult<Json<Page<WarningRow>>> {
    cu.require("monitoring:warning")?;
    let f = WarningFilter {
        month: q.month,
        rule: q.rule,
        level: q.level,
        status: q.status,
        region: q.region,
        inbox: q.inbox,
    };
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.warnings(&cu.user.scope, &f, page).await?))
}

#[utoipa::path(get, path = "/monitoring/warnings/{id}", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = WarningRow), (status = 404, body = ErrorBody)))]
pub async fn get_warning(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<WarningRow>> {
    cu.require("monitoring:warning")?;
    Ok(Json(s.store.warning(&cu.user.scope, id).await?))
}

#[utoipa::path(get, path = "/monitoring/warnings/{id}/events", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<WarningEvent>), (status = 404, body = ErrorBody)))]
pub async fn warning_events(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<WarningEvent>>> {
    cu.require("monitoring:warning")?;
    Ok(Json(s.store.warning_events(&cu.user.scope, id).await?))
}

/// Acknowledges (签收), records measures and people resettled (处置), closes (办结) or
/// reopens a warning.
#[utoipa::path(post, path = "/monitoring/warnings/{id}/actions", tag = "monitoring",
    params(("id" = i64, Path)), request_body = WarningAction,
    responses((status = 200, body = WarningRow), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act_on_warning(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(a): Json<WarningAction>,
) -> ApiResult<Json<WarningRow>> {
    cu.require("monitoring:warning")?;
    let w = s
        .store
        .act_on_warning(&cu.user.scope, &cu.user.username, id, &a)
        .await?;
    s.audit(
        &cu,
        "monitoring.warning",
        &format!("warning:{id}"),
        format!("{} {}", a.action, a.note),
    )
    .await?;
    Ok(Json(w))
}
