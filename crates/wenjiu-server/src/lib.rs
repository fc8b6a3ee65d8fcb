//! wenjiu's HTTP API (axum) under `/api/v1`, with its OpenAPI document generated from
//! the handlers themselves (utoipa-axum), so that no route goes undocumented.

pub mod auth;
mod eligibility;
pub mod error;
mod facts;
mod files;
mod grants;
mod indicators;
mod monitoring;
mod params;
pub mod policy;
mod registry;
mod screening;
mod system;

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use wenjiu_store::Store;

use crate::auth::CurrentUser;
use crate::error::ApiResult;

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// A session unused for this long ends (MLPS: session timeout).
    pub idle_timeout: chrono::Duration,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Largest accepted upload, in bytes.
    pub max_upload: usize,
    /// The built web console (`web/dist`), served at `/` when present.
    pub web_dir: Option<std::path::PathBuf>,
    /// The policy catalogue (`policies/liaoning-2020`), loaded at start and on
    /// `POST /policy/reload`; without one the policy routes answer 503.
    pub policy_dir: Option<std::path::PathBuf>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            idle_timeout: chrono::Duration::minutes(30),
            secure_cookies: false,
            max_upload: 512 << 20,
            web_dir: None,
            policy_dir: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: ServerConfig,
    /// The policy catalogue in force.
    pub policy: policy::PolicyState,
}

impl AppState {
    /// The state of a server on `store`, with the policy catalogue of `config.policy_dir`
    /// loaded (an error names the file and line).
    pub fn new(
        store: Store,
        config: ServerConfig,
    ) -> Result<AppState, wenjiu_store::policy::LoadError> {
        let policy = policy::PolicyState::load(config.policy_dir.clone())?;
        Ok(AppState {
            store,
            config,
            policy,
        })
    }

    /// Records a successful action of the current user.
    pub async fn audit(
        &self,
        cu: &CurrentUser,
        action: &str,
        target: &str,
        detail: impl Into<String>,
    ) -> ApiResult<()> {
        self.audit_outcome(cu, action, target, &detail.into(), "ok")
            .await
    }

    /// Checks a permission for a sensitive action; a refusal is itself an audit event.
    pub async fn require_audited(
        &self,
        cu: &CurrentUser,
        permission: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> ApiResult<()> {
        if let Err(e) = cu.require(permission) {
            self.audit_outcome(cu, action, target, detail, "denied")
                .await?;
            return Err(e);
        }
        Ok(())
    }

    pub async fn audit_outcome(
        &self,
        cu: &CurrentUser,
        action: &str,
        target: &str,
        detail: &str,
        outcome: &str,
    ) -> ApiResult<()> {
        self.store
            .audit(wenjiu_store::audit::Event {
                user_id: Some(cu.user.id),
                username: cu.user.username.clone(),
                action: action.into(),
                target: target.into(),
                outcome: outcome.into(),
                detail: detail.into(),
                ip: cu.ip.clone(),
            })
            .await?;
        Ok(())
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "wenjiu 稳就业 API", description = "就业失业实名制登记、数据权限与审计。所有接口位于 /api/v1 之下；错误以 {code, message} 返回。"),
    servers((url = "/api/v1")),
    tags(
        (name = "auth", description = "登录与会话"),
        (name = "registry", description = "实名制登记"),
        (name = "files", description = "导入与导出"),
        (name = "indicators", description = "指标调度、台账与月通报"),
        (name = "policy", description = "政策清单、参数与测算"),
        (name = "monitoring", description = "失业动态监测、预警与裁员备案"),
        (name = "system", description = "系统管理与代码表"),
    )
)]
struct ApiDoc;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
    pub database: &'static str,
}

/// Liveness: answers without touching the database.
#[utoipa::path(get, path = "/health", tag = "system", responses((status = 200, body = Health)))]
async fn health(axum::extract::State(s): axum::extract::State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: s.store.backend().name(),
    })
}

/// Largest JSON request body. Only the file uploads take more (`ServerConfig::max_upload`):
/// a JSON body is parsed whole in memory, and no form needs more than this.
pub const MAX_JSON_BODY: usize = 1 << 20;

/// The routes that take a file (multipart), with the upload limit.
fn uploads(max_upload: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(files::import))
        .routes(routes!(monitoring::reports::import_reports))
        .routes(routes!(indicators::import_sheet))
        .routes(routes!(facts::import_facts))
        // Inside the JSON limit below, so it replaces that one for these routes.
        .layer(DefaultBodyLimit::max(max_upload))
}

/// The API router and its OpenAPI document.
fn api(max_upload: usize) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(registry::list_persons, registry::create_person))
        .routes(routes!(registry::get_person, registry::update_person))
        .routes(routes!(registry::reveal_person))
        .routes(routes!(registry::list_households))
        .routes(routes!(registry::get_household))
        .routes(routes!(
            registry::list_enterprises,
            registry::create_enterprise
        ))
        .routes(routes!(
            registry::get_enterprise,
            registry::update_enterprise
        ))
        .routes(routes!(
            registry::list_employments,
            registry::create_employment
        ))
        .routes(routes!(
            registry::get_employment,
            registry::update_employment
        ))
        .routes(routes!(
            registry::list_unemployments,
            registry::create_unemployment
        ))
        .routes(routes!(
            registry::get_unemployment,
            registry::update_unemployment
        ))
        .routes(routes!(files::job))
        .routes(routes!(files::job_rejected))
        .routes(routes!(files::job_report))
        .routes(routes!(files::export_persons))
        .routes(routes!(files::export_enterprises))
        .routes(routes!(files::export_employments))
        .routes(routes!(files::export_unemployments))
        .routes(routes!(system::overview))
        .routes(routes!(system::dicts))
        .routes(routes!(system::regions))
        .routes(routes!(system::categories))
        .routes(routes!(system::put_category))
        .routes(routes!(system::users, system::create_user))
        .routes(routes!(system::update_user))
        .routes(routes!(system::roles))
        .routes(routes!(system::audit_list))
        .routes(routes!(system::audit_verify))
        .routes(routes!(
            monitoring::reports::submit_report,
            monitoring::reports::list_reports
        ))
        .routes(routes!(monitoring::reports::get_report))
        .routes(routes!(monitoring::reports::report_history))
        .routes(routes!(monitoring::reports::review_report))
        .routes(routes!(monitoring::reports::reporting_status))
        .routes(routes!(monitoring::reports::chase_reports))
        .routes(routes!(monitoring::reports::report_reminders))
        .routes(routes!(monitoring::reports::report_deadline))
        .routes(routes!(monitoring::reports::set_report_deadline))
        .routes(routes!(monitoring::reports::monitoring_summary))
        .routes(routes!(monitoring::analysis::export_analysis))
        .routes(routes!(monitoring::warnings::run_monitoring))
        .routes(routes!(monitoring::warnings::list_warnings))
        .routes(routes!(monitoring::warnings::get_warning))
        .routes(routes!(monitoring::warnings::warning_events))
        .routes(routes!(monitoring::warnings::act_on_warning))
        .routes(routes!(
            monitoring::filings::create_filing,
            monitoring::filings::list_filings
        ))
        .routes(routes!(monitoring::filings::get_filing))
        .routes(routes!(monitoring::filings::record_filing_step))
        .routes(routes!(monitoring::filings::implement_filing))
        .routes(routes!(monitoring::filings::withdraw_filing))
        .routes(routes!(monitoring::filings::request_job_fair))
        .routes(routes!(
            monitoring::filings::filing_workers,
            monitoring::filings::add_filing_workers
        ))
        .routes(routes!(
            monitoring::config::monitoring_codes,
            monitoring::config::put_monitoring_code
        ))
        .routes(routes!(
            monitoring::config::list_sample,
            monitoring::config::enrol_enterprise
        ))
        .routes(routes!(monitoring::config::sample_coverage))
        .routes(routes!(
            monitoring::config::warning_config,
            monitoring::config::put_warning_config
        ))
        .routes(routes!(indicators::catalogue))
        .routes(routes!(indicators::save_indicator))
        .routes(routes!(indicators::targets, indicators::set_target))
        .routes(routes!(indicators::target_sum))
        .routes(routes!(indicators::ledger, indicators::enter_value))
        .routes(routes!(indicators::history))
        .routes(routes!(indicators::correct))
        .routes(routes!(indicators::locks))
        .routes(routes!(indicators::publish))
        .routes(routes!(indicators::refresh))
        .routes(routes!(indicators::bulletin))
        .routes(routes!(indicators::export_bulletin))
        .routes(routes!(policy::list_policies))
        .routes(routes!(policy::get_policy))
        .routes(routes!(policy::parameters, policy::add_parameter))
        .routes(routes!(policy::evaluate_subject))
        .routes(routes!(eligibility::eligibility))
        .routes(routes!(policy::reload))
        .routes(routes!(screening::start, screening::runs))
        .routes(routes!(screening::what_if))
        .routes(routes!(screening::summary))
        .routes(routes!(screening::results))
        .routes(routes!(screening::export))
        .routes(routes!(grants::confirm_grants))
        .routes(routes!(grants::revoke_grant))
        .routes(routes!(grants::grant_ledger))
        .routes(routes!(grants::grants_by_fund))
        .routes(routes!(grants::export_grants))
        .routes(routes!(facts::fact_fields))
        .routes(routes!(facts::policy_fields))
        .routes(routes!(facts::list_facts, facts::record_fact))
        .merge(uploads(max_upload))
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .split_for_parts()
}

/// The OpenAPI document, e.g. for generating the console's typed client.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api(ServerConfig::default().max_upload).1
}

/// The whole application: `/api/v1/…`, `/api/v1/openapi.json`, and the web console at `/`
/// (any path that is not a file is a console route and gets `index.html`).
pub fn app(state: AppState) -> Router {
    let (api, doc) = api(state.config.max_upload);
    let web_dir = state.config.web_dir.clone();
    let api = api
        .route("/openapi.json", get(move || async move { Json(doc) }))
        .layer(axum::middleware::map_response(error::json_rejections))
        .with_state(state);
    let app = Router::new()
        .nest("/api/v1", api)
        // An unknown API path is a JSON 404, never the console's page.
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { error::ApiError::no_route() }),
        );
    catch_panics(match web_dir {
        Some(dir) => app.fallback_service(console(dir)),
        None => app,
    })
}

/// A bug that panics answers a JSON 500 rather than dropping the connection.
fn catch_panics(app: Router) -> Router {
    app.layer(tower_http::catch_panic::CatchPanicLayer::custom(
        error::panic_response,
    ))
}

/// The built console: gzip on the wire; hashed `/assets/*` cached for a year, everything
/// else (index.html) revalidated so that a new release is picked up at once.
fn console(dir: std::path::PathBuf) -> Router {
    let index = tower_http::services::ServeFile::new(dir.join("index.html"));
    Router::new()
        .fallback_service(tower_http::services::ServeDir::new(dir).fallback(index))
        .layer(axum::middleware::map_response(
            |uri: axum::http::Uri, mut res: axum::response::Response| async move {
                let policy = if uri.path().starts_with("/assets/") {
                    "public, max-age=31536000, immutable"
                } else {
                    "no-cache"
                };
                res.headers_mut().insert(
                    axum::http::header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static(policy),
                );
                res
            },
        ))
        .layer(tower_http::compression::CompressionLayer::new())
}

/// Serves until Ctrl-C. Re-derives time-dependent key groups once a day.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let interrupted = state
        .store
        .fail_interrupted_jobs()
        .await
        .map_err(std::io::Error::other)?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "jobs cut off by the last shutdown were marked failed"
        );
    }
    let store = state.store.clone();
    // Key groups move with the date: derive them again at start-up if the business date
    // moved on since they were, and within the hour after each midnight. The person
    // tallies' deltas from the hour's single edits are folded in too.
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match store.refresh_if_stale().await {
                Ok(true) => tracing::info!("key groups derived for the new business date"),
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "key-group refresh failed"),
            }
            if let Err(e) = store.fold_tallies().await {
                tracing::error!(error = %e, "folding the person tallies failed");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(addr).await?;
    on_ready(listener.local_addr()?);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

#[cfg(test)]
mod tests {
    use tower::ServiceExt;

    /// Whatever bug is left, the client gets `{code, message}`, not a dropped connection.
    #[tokio::test]
    async fn a_panicking_handler_answers_a_json_500() {
        let app = super::catch_panics(axum::Router::new().route(
            "/boom",
            axum::routing::get(|| async {
                panic!("a bug");
                #[allow(unreachable_code)]
                ""
            }),
        ));
        let request = axum::http::Request::get("/boom")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.oneshot(request).await.unwrap();
        assert_eq!(res.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], "internal", "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    /// The console's typed client is generated from web/openapi.json: a route changed here
    /// without refreshing that file must fail, not surprise a user.
    #[test]
    fn console_api_contract_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
        let text = std::fs::read_to_string(path).expect("web/openapi.json");
        let checked_in: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let current = serde_json::to_value(super::openapi()).expect("serializable");
        assert!(
            checked_in == current,
            "web/openapi.json is stale: run `cargo run -p wenjiu-cli -- openapi --out web/openapi.json` \
             and rebuild the console"
        );
    }
}
