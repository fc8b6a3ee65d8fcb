//! The sample of monitored enterprises and the configuration: dictionaries, warning rules and
//! their routing. Changing any of them is for the province (`monitoring:admin`) and audited.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_core::Month;
use wenjiu_core::monitoring::codes::{CodeEntry, CodeKind};
use wenjiu_core::monitoring::{Level, Routing, Rule, Tier};
use wenjiu_store::monitoring::sample::SampleFilter;
use wenjiu_store::monitoring::{Coverage, EnrolInput, MonitoredRow};
use wenjiu_store::{Page, PageReq};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};

fn kind_param(text: &str) -> ApiResult<CodeKind> {
    CodeKind::parse(text).ok_or_else(|| {
        ApiError::bad_request(
            "field.invalid",
            format!("代码表“{text}”不存在：应为 decrease_type 或 decrease_reason"),
        )
    })
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CodeView {
    pub code: String,
    pub label: String,
    pub active: bool,
}

/// A report dictionary: decrease_type (减员类型) or decrease_reason (减员原因).
#[utoipa::path(get, path = "/monitoring/codes/{kind}", tag = "monitoring", params(("kind" = String, Path)),
    responses((status = 200, body = Vec<CodeView>), (status = 400, body = ErrorBody)))]
pub async fn monitoring_codes(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(kind): Path<String>,
) -> ApiResult<Json<Vec<CodeView>>> {
    cu.require("monitoring:read")?;
    let list = s.store.monitoring_codes(kind_param(&kind)?).await?;
    Ok(Json(
        list.into_iter()
            .map(|e| CodeView {
                code: e.code,
                label: e.label,
                active: e.active,
            })
            .collect(),
    ))
}

#[utoipa::path(put, path = "/monitoring/codes/{kind}", tag = "monitoring", params(("kind" = String, Path)),
    request_body = CodeView, responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn put_monitoring_code(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(kind): Path<String>,
    Json(v): Json<CodeView>,
) -> ApiResult<StatusCode> {
    cu.require("monitoring:admin")?;
    let kind = kind_param(&kind)?;
    let entry = CodeEntry {
        code: v.code.trim().to_string(),
        label: v.label.trim().to_string(),
        active: v.active,
    };
    s.store.put_monitoring_code(kind, &entry).await?;
    s.audit(
        &cu,
        "monitoring.code",
        &format!("{}:{}", kind.code(), entry.code),
        entry.label,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SampleQuery {
    pub name: Option<String>,
    pub region: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/monitoring/sample", tag = "monitoring", params(SampleQuery),
    responses((status = 200, body = Page<MonitoredRow>)))]
pub async fn list_sample(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<SampleQuery>,
) -> ApiResult<Json<Page<MonitoredRow>>> {
    cu.require("monitoring:read")?;
    let f = SampleFilter {
        name: q.name,
        region: q.region,
    };
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.monitored(&cu.user.scope, &f, page).await?))
}

/// Enrols an enterprise in the sample with its baseline headcount, or changes its enrolment.
#[utoipa::path(put, path = "/monitoring/sample", tag = "monitoring", request_body = EnrolInput,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enrol_enterprise(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(input): Json<EnrolInput>,
) -> ApiResult<StatusCode> {
    cu.require("monitoring:admin")?;
    s.store
        .enrol(&cu.user.scope, &cu.user.username, &input)
        .await?;
    s.audit(
        &cu,
        "monitoring.enrol",
        &format!("enterprise:{}", input.enterprise_id),
        format!("建档 {} 人，{}", input.baseline, input.enrolled_on),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    pub region: Option<String>,
}

/// The sample's make-up by industry and ownership against all enterprises of the region.
#[utoipa::path(get, path = "/monitoring/sample/coverage", tag = "monitoring", params(CoverageQuery),
    responses((status = 200, body = Coverage)))]
pub async fn sample_coverage(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<CoverageQuery>,
) -> ApiResult<Json<Coverage>> {
    cu.require("monitoring:read")?;
    Ok(Json(
        s.store
            .coverage(&cu.user.scope, q.region.as_deref())
            .await?,
    ))
}

/// The warning rules and their routing, with the labels a form needs.
#[derive(Serialize, ToSchema)]
pub struct WarningConfig {
    /// Each rule: code, name, level, active, kind and the kind's thresholds (see
    /// `wenjiu_core::monitoring::RuleKind`).
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<Rule>,
    /// `{ routes: [{ min_level, min_people, notify: [county|city|province] }] }`
    #[schema(value_type = Object)]
    pub routing: Routing,
    pub levels: Vec<Label>,
    pub tiers: Vec<Label>,
}

#[derive(Serialize, ToSchema)]
pub struct Label {
    pub code: String,
    pub label: String,
}

#[utoipa::path(get, path = "/monitoring/config", tag = "monitoring",
    responses((status = 200, body = WarningConfig)))]
pub async fn warning_config(
    State(s): State<AppState>,
    cu: CurrentUser,
) -> ApiResult<Json<WarningConfig>> {
    cu.require("monitoring:warning")?;
    Ok(Json(WarningConfig {
        rules: s.store.warning_rules().await?,
        routing: s.store.warning_routing().await?,
        levels: Level::ALL
            .iter()
            .map(|l| Label {
                code: l.code().into(),
                label: l.label().into(),
            })
            .collect(),
        tiers: Tier::ALL
            .iter()
            .map(|t| Label {
                code: t.code().into(),
                label: t.label().into(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ConfigBody {
    #[schema(value_type = Option<Vec<Object>>)]
    pub rules: Option<Vec<Rule>>,
    #[schema(value_type = Option<Object>)]
    pub routing: Option<Routing>,
}

/// Replaces the warning rules and/or the routing; each rule is checked, codes must be unique,
/// every route must notify someone. The current month is re-run at once, so its warnings
/// follow the new configuration (earlier months when next run).
#[utoipa::path(put, path = "/monitoring/config", tag = "monitoring", request_body = ConfigBody,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn put_warning_config(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<ConfigBody>,
) -> ApiResult<StatusCode> {
    cu.require("monitoring:admin")?;
    if let Some(rules) = &body.rules {
        s.store.set_warning_rules(rules, &cu.user.username).await?;
        s.audit(
            &cu,
            "monitoring.rules",
            "monitoring:rules",
            format!("{} 条规则", rules.len()),
        )
        .await?;
    }
    if let Some(routing) = &body.routing {
        s.store
            .set_warning_routing(routing, &cu.user.username)
            .await?;
        s.audit(
            &cu,
            "monitoring.routing",
            "monitoring:routing",
            format!("{} 条推送规则", routing.routes.len()),
        )
        .await?;
    }
    s.store.run_monitoring(Month::of(s.store.today())).await?;
    Ok(StatusCode::NO_CONTENT)
}
