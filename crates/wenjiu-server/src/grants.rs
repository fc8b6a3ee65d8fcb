//! 补贴发放确认与台账: screening results confirmed for payment, revoked with a reason, and the
//! ledger of grants (scoped, masked) with its export. Every confirmation, revocation and export
//! is audited.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;
use wenjiu_store::policy::screening::{FundTotal, GrantOutcome, GrantRequest, GrantRow};
use wenjiu_store::{Page, PageReq};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::files::xlsx_response;
use crate::screening::ResultsQuery;

#[derive(Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// Why the grant is revoked (required).
    pub reason: String,
}

/// Confirms results of a finished screening run for payment (确认发放): the ones named, or every
/// pending one matching the filters, within the caller's scope. A result whose subject a
/// standing grant already covers (a policy once per subject, or one of the same exclusion
/// group) is refused with the reason.
#[utoipa::path(post, path = "/policy/screenings/{id}/grants", tag = "policy",
    params(("id" = i64, Path)), request_body = GrantRequest,
    responses((status = 200, body = GrantOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm_grants(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(req): Json<GrantRequest>,
) -> ApiResult<Json<GrantOutcome>> {
    let target = format!("screening:{id}");
    let what = match &req.result_ids {
        Some(ids) if !ids.is_empty() => format!("{} 条结果", ids.len()),
        _ => format!(
            "按筛选 {} {} {}",
            req.policy.as_deref().unwrap_or("全部政策"),
            req.region.as_deref().unwrap_or("本辖区"),
            req.kind.as_deref().unwrap_or("全部对象")
        ),
    };
    s.require_audited(&cu, "policy:grant", "policy.grant", &target, &what)
        .await?;
    let cat = s.policy.get()?;
    let outcome = s
        .store
        .confirm_grants(&cu.user.scope, &cu.user.username, &cat, id, &req)
        .await?;
    let detail = format!(
        "{what}：确认 {} 人次，{}；未确认 {} 条",
        outcome.granted,
        wenjiu_core::Money::from_fen(outcome.amount_fen),
        outcome.refused
    );
    s.audit(&cu, "policy.grant", &target, detail).await?;
    Ok(Json(outcome))
}

/// Revokes a standing grant within the caller's scope (撤销发放), keeping the record with who,
/// when and why; its subject may then be confirmed again.
#[utoipa::path(post, path = "/policy/grants/{id}/revoke", tag = "policy",
    params(("id" = i64, Path)), request_body = RevokeRequest,
    responses((status = 200, body = GrantRow), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn revoke_grant(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(req): Json<RevokeRequest>,
) -> ApiResult<Json<GrantRow>> {
    let target = format!("grant:{id}");
    s.require_audited(
        &cu,
        "policy:grant",
        "policy.grant.revoke",
        &target,
        &req.reason,
    )
    .await?;
    let row = s
        .store
        .revoke_grant(&cu.user.scope, &cu.user.username, id, &req.reason)
        .await?;
    let detail = format!(
        "{} {}：{}",
        row.beneficiary.policy_id,
        wenjiu_core::Money::from_fen(row.beneficiary.amount_fen),
        req.reason.trim()
    );
    s.audit(&cu, "policy.grant.revoke", &target, detail).await?;
    Ok(Json(row))
}

/// The ledger of grants (发放台账) within the caller's scope, newest first, ID numbers masked.
#[utoipa::path(get, path = "/policy/grants", tag = "policy", params(ResultsQuery),
    responses((status = 200, body = Page<GrantRow>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn grant_ledger(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Json<Page<GrantRow>>> {
    cu.require("policy:screen")?;
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(
        s.store.grants(&cu.user.scope, &q.filter(), page).await?,
    ))
}

/// The ledger's filtered set within the caller's scope summed by fund and policy: what each
/// fund is committed to (资金监管). Paging parameters are ignored.
#[utoipa::path(get, path = "/policy/grants/by-fund", tag = "policy", params(ResultsQuery),
    responses((status = 200, body = Vec<FundTotal>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn grants_by_fund(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Json<Vec<FundTotal>>> {
    cu.require("policy:screen")?;
    let cat = s.policy.get()?;
    Ok(Json(
        s.store
            .grants_by_fund(&cu.user.scope, &q.filter(), &cat)
            .await?,
    ))
}

/// The ledger within the caller's scope as XLSX, masked, with the list's filters.
#[utoipa::path(get, path = "/policy/grants/export", tag = "policy", params(ResultsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_grants(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Response> {
    s.require_audited(&cu, "policy:screen:export", "policy.grant.export", "", "")
        .await?;
    let cat = s.policy.get()?;
    let (bytes, rows) = s
        .store
        .grants_export(&cu.user.scope, &q.filter(), &cat)
        .await?;
    s.audit(&cu, "policy.grant.export", "", format!("{rows} 行，脱敏"))
        .await?;
    Ok(xlsx_response("补贴发放台账.xlsx", bytes))
}
