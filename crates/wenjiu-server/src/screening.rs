//! 政策筛查（免申即享）: screening runs of the catalogue over the registry as background jobs
//! with progress, their per-city summary, their results (scoped, masked) and the export.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_store::policy::screening::{
    AssumedValue, ResultFilter, RunRow, RunTotals, ScreeningRequest, ScreeningResult, Summary,
    WhatIf,
};
use wenjiu_store::{Page, PageReq};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::{ImportParams, xlsx_response};

#[derive(Serialize, ToSchema)]
pub struct ScreeningStarted {
    /// Follow the progress (subjects read) at `/jobs/{id}`.
    pub job_id: i64,
    pub run_id: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// The query of a list of beneficiaries: a run's results, or the ledger of grants.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// One policy id.
    pub policy: Option<String>,
    /// A region prefix: 2101, 210102.
    pub region: Option<String>,
    /// person | enterprise | hire
    pub kind: Option<String>,
    /// Results: pending (not confirmed) | granted (confirmed for payment). Grants: standing |
    /// revoked.
    pub status: Option<String>,
}

impl ResultsQuery {
    pub(crate) fn filter(&self) -> ResultFilter {
        ResultFilter {
            policy: self.policy.clone(),
            region: self.region.clone(),
            kind: self.kind.clone(),
            status: self.status.clone(),
        }
    }
}

fn totals_text(t: &RunTotals) -> String {
    format!(
        "{} 个对象，{} 人次，{}",
        t.subjects,
        t.beneficiaries,
        wenjiu_core::Money::from_fen(t.amount_fen)
    )
}

/// Starts a screening of the catalogue (or one policy) over the registry of a region within
/// the caller's scope at a date. Runs as a background job (`/jobs/{id}` shows the subjects
/// read); `wait=true` answers with the finished run instead.
#[utoipa::path(post, path = "/policy/screenings", tag = "policy", request_body = ScreeningRequest,
    params(ImportParams),
    responses((status = 202, body = ScreeningStarted), (status = 200, body = RunRow),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ImportParams>,
    Json(req): Json<ScreeningRequest>,
) -> ApiResult<Response> {
    let what = format!(
        "{} {} {}",
        req.date,
        req.region.as_deref().unwrap_or("本辖区"),
        req.policy.as_deref().unwrap_or("全部政策")
    );
    s.require_audited(&cu, "policy:screen", "policy.screen", "", &what)
        .await?;
    let cat = s.policy.get()?;
    let job = s.store.create_job("policy.screen", cu.user.id).await?;
    let run = match s
        .store
        .start_screening(&cu.user.scope, &cu.user.username, &cat, &req, Some(job))
        .await
    {
        Ok(run) => run,
        Err(e) => {
            let e = ApiError::from(e);
            s.store
                .finish_job_with(job, Err(e.body.message.clone()), 0)
                .await?;
            let word = if e.status == StatusCode::FORBIDDEN {
                "denied"
            } else {
                "failed"
            };
            let detail = format!("{what}：{}", e.body.message);
            s.audit_outcome(&cu, "policy.screen", "", &detail, word)
                .await?;
            return Err(e);
        }
    };
    let task = {
        let s = s.clone();
        async move {
            let progress_store = s.store.clone();
            let progress = move |rows: u64| {
                let st = progress_store.clone();
                tokio::spawn(async move { st.job_progress(job, rows).await });
            };
            let outcome = s
                .store
                .run_screening(run, &cat, &progress)
                .await
                .map_err(|e| ApiError::from(e).body.message);
            let (json, rows) = match &outcome {
                Ok(t) => (
                    serde_json::to_value(t).map_err(|e| e.to_string()),
                    t.subjects,
                ),
                Err(e) => (Err(e.clone()), 0),
            };
            s.store.finish_job_with(job, json, rows).await?;
            let (detail, word) = match &outcome {
                Ok(t) => (format!("{what}：{}", totals_text(t)), "ok"),
                Err(e) => (format!("{what}：{e}"), "failed"),
            };
            s.audit_outcome(
                &cu,
                "policy.screen",
                &format!("screening:{run}"),
                &detail,
                word,
            )
            .await?;
            Ok::<_, ApiError>((outcome, cu))
        }
    };
    if p.wait == Some(true) {
        let (outcome, cu) = task.await?;
        outcome.map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "screen.failed", e))?;
        let row = s.store.screening_run(&cu.user.scope, run).await?;
        return Ok(Json(row).into_response());
    }
    tokio::spawn(async move {
        if let Err(e) = task.await {
            tracing::error!(run, error = ?e.body.message, "screening job failed");
        }
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(ScreeningStarted {
            job_id: job,
            run_id: run,
        }),
    )
        .into_response())
}

/// The screening runs over the caller's region, a wider one, or inside it; newest first.
#[utoipa::path(get, path = "/policy/screenings", tag = "policy", params(RunsQuery),
    responses((status = 200, body = Page<RunRow>), (status = 403, body = ErrorBody)))]
pub async fn runs(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<RunsQuery>,
) -> ApiResult<Json<Page<RunRow>>> {
    cu.require("policy:screen")?;
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.screening_runs(&cu.user.scope, page).await?))
}

/// One run with its beneficiaries and amounts per city (地市) and policy within the caller's
/// scope, the totals per policy and the grand total (the sums of the cells).
#[utoipa::path(get, path = "/policy/screenings/{id}", tag = "policy", params(("id" = i64, Path)),
    responses((status = 200, body = Summary), (status = 404, body = ErrorBody)))]
pub async fn summary(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Summary>> {
    cu.require("policy:screen")?;
    Ok(Json(s.store.screening_summary(&cu.user.scope, id).await?))
}

/// A run's potential beneficiaries within the caller's scope, ID numbers masked.
#[utoipa::path(get, path = "/policy/screenings/{id}/results", tag = "policy",
    params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, body = Page<ScreeningResult>), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn results(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Json<Page<ScreeningResult>>> {
    cu.require("policy:screen")?;
    let page = PageReq::new(q.page, q.page_size);
    let rows = s
        .store
        .screening_results(&cu.user.scope, id, &q.filter(), page)
        .await?;
    Ok(Json(rows))
}

/// A run's results within the caller's scope as XLSX, masked, with the list's filters.
#[utoipa::path(get, path = "/policy/screenings/{id}/export", tag = "policy",
    params(("id" = i64, Path), ResultsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Response> {
    let target = format!("screening:{id}");
    s.require_audited(
        &cu,
        "policy:screen:export",
        "policy.screen.export",
        &target,
        "",
    )
    .await?;
    let cat = s.policy.get()?;
    let (bytes, rows) = s
        .store
        .screening_export(&cu.user.scope, id, &q.filter(), &cat)
        .await?;
    s.audit(
        &cu,
        "policy.screen.export",
        &target,
        format!("{rows} 行，脱敏"),
    )
    .await?;
    Ok(xlsx_response(&format!("政策筛查结果-{id}.xlsx"), bytes))
}

#[derive(Deserialize, ToSchema)]
pub struct WhatIfRequest {
    /// The date the policies are evaluated at.
    pub date: NaiveDate,
    /// A region prefix within the caller's scope; the caller's whole scope when left out.
    pub region: Option<String>,
    /// One policy id; the whole catalogue when left out.
    pub policy: Option<String>,
    /// The parameter values assumed, each from a date in a region.
    pub changes: Vec<AssumedValue>,
}

/// 政策模拟: screens a region within the caller's scope twice — on the parameter values in
/// force and with the assumed ones laid over them — and answers, per policy and city, the
/// beneficiaries and amounts that change (after the same limits as screening). Nothing is
/// stored; the request is audited.
#[utoipa::path(post, path = "/policy/screenings/what-if", tag = "policy",
    request_body = WhatIfRequest,
    responses((status = 200, body = WhatIf), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn what_if(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(req): Json<WhatIfRequest>,
) -> ApiResult<Json<WhatIf>> {
    let assumed: Vec<String> = req
        .changes
        .iter()
        .map(|c| format!("{}@{}自{}={}", c.name, c.region, c.from, c.value))
        .collect();
    let what = format!(
        "{} {} {}；假设 {}",
        req.date,
        req.region.as_deref().unwrap_or("本辖区"),
        req.policy.as_deref().unwrap_or("全部政策"),
        assumed.join("，")
    );
    s.require_audited(&cu, "policy:screen", "policy.whatif", "", &what)
        .await?;
    let cat = s.policy.get()?;
    let screening = ScreeningRequest {
        date: req.date,
        region: req.region,
        policy: req.policy,
    };
    let result = s
        .store
        .what_if(&cu.user.scope, &cat, &screening, &req.changes)
        .await?;
    let detail = format!(
        "{what}：{} 个对象，{} 项变化",
        result.subjects,
        result.rows.len()
    );
    s.audit(&cu, "policy.whatif", "", detail).await?;
    Ok(Json(result))
}
