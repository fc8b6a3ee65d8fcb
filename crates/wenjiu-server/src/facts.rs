//! 申报信息: supplied facts that policies read and the registry does not keep — entered one by
//! one or imported from a sheet, listed within the caller's scope, ID numbers masked.

use axum::Json;
use axum::extract::{Multipart, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_store::policy::facts::{
    FactFilter, FactRow, NewFact, SubjectField, subject_fields, supplied_fields,
};
use wenjiu_store::registry::ImportReport;
use wenjiu_store::{Page, PageReq};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::files::upload;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FactsQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// A field name: person.si_paid_fen.
    pub field: Option<String>,
    /// person | enterprise | hire
    pub kind: Option<String>,
    /// A region prefix: 2101, 210102.
    pub region: Option<String>,
    /// An ID number or a credit code.
    pub q: Option<String>,
    /// A person's id (facts about the person and their hires).
    pub person: Option<i64>,
    /// An enterprise's id (facts about the enterprise and its hires).
    pub enterprise: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct FactRecorded {
    pub id: i64,
}

/// The fields that are supplied rather than kept by the registry, with their codes.
#[utoipa::path(get, path = "/policy/facts/fields", tag = "policy",
    responses((status = 200, body = Vec<SubjectField>), (status = 403, body = ErrorBody)))]
pub async fn fact_fields(cu: CurrentUser) -> ApiResult<Json<Vec<SubjectField>>> {
    cu.require("policy:facts")?;
    Ok(Json(supplied_fields()))
}

/// Every field a policy may read — kept by the registry, derived or supplied — with its
/// Chinese name, type and codes: what a packaged check (政策试算) asks for.
#[utoipa::path(get, path = "/policy/fields", tag = "policy",
    responses((status = 200, body = Vec<SubjectField>), (status = 403, body = ErrorBody)))]
pub async fn policy_fields(cu: CurrentUser) -> ApiResult<Json<Vec<SubjectField>>> {
    cu.require("policy:evaluate")?;
    Ok(Json(subject_fields()))
}

/// Supplied facts within the caller's scope, newest first.
#[utoipa::path(get, path = "/policy/facts", tag = "policy", params(FactsQuery),
    responses((status = 200, body = Page<FactRow>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_facts(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<FactsQuery>,
) -> ApiResult<Json<Page<FactRow>>> {
    cu.require("policy:facts")?;
    let filter = FactFilter {
        field: q.field,
        kind: q.kind,
        region: q.region,
        q: q.q,
        person: q.person,
        enterprise: q.enterprise,
    };
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.facts(&cu.user.scope, &filter, page).await?))
}

/// Records one fact about a person, an enterprise or a hire in the caller's scope; a fact of
/// the same field, subject and date is corrected.
#[utoipa::path(post, path = "/policy/facts", tag = "policy", request_body = NewFact,
    responses((status = 200, body = FactRecorded), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_fact(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<NewFact>,
) -> ApiResult<Json<FactRecorded>> {
    cu.require("policy:facts")?;
    let id = s
        .store
        .record_fact(&cu.user.scope, &cu.user.username, &body)
        .await?;
    let detail = format!("{} = {}（{} 起）", body.field, body.value, body.valid_from);
    s.audit(&cu, "policy.fact", &format!("subject_fact:{id}"), detail)
        .await?;
    Ok(Json(FactRecorded { id }))
}

/// Imports facts from an XLSX or CSV sheet (columns: 信息项, 取值, 生效日期, 身份证号,
/// 统一社会信用代码, 招用日期, 来源). Bad rows come back with row, column and reason; the good
/// ones are kept; importing the same file again corrects, never adds.
#[utoipa::path(post, path = "/policy/facts/import", tag = "policy",
    request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn import_facts(
    State(s): State<AppState>,
    cu: CurrentUser,
    mut multipart: Multipart,
) -> ApiResult<Json<ImportReport>> {
    cu.require("policy:facts")?;
    let (name, reader) = upload(&mut multipart).await?;
    let report = s
        .store
        .import_facts(&cu.user.scope, &cu.user.username, reader)
        .await?;
    let detail = format!(
        "{name}：{} 行，新增 {}，更正 {}，拒绝 {}",
        report.rows, report.inserted, report.updated, report.rejected_count
    );
    s.audit(&cu, "policy.fact.import", "", detail).await?;
    Ok(Json(report))
}
