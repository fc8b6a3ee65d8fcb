//! Sessions and permissions: the session cookie, the current-user extractor, and the
//! login, logout and me endpoints.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wenjiu_store::accounts::{LoginOutcome, MAX_FAILED_LOGINS, Refusal, User};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};

pub const COOKIE_NAME: &str = "wenjiu_session";

/// The signed-in user of a request; extracting it answers 401 without a live session.
pub struct CurrentUser {
    pub user: User,
    pub ip: String,
}

impl CurrentUser {
    /// Answers 403 unless the user holds `permission`.
    pub fn require(&self, permission: &str) -> ApiResult<()> {
        if self.user.can(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden(permission))
        }
    }
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .map(|(_, v)| v.to_string())
}

pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let user = state
            .store
            .session_user(&token, state.config.idle_timeout)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(CurrentUser {
            user,
            ip: client_ip(parts),
        })
    }
}

/// The client's address, for the audit log.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in user as the console shows it.
#[derive(Serialize, ToSchema)]
pub struct Me {
    #[serde(flatten)]
    pub user: User,
    /// The business date the registry's rules are evaluated at.
    pub business_date: String,
}

fn cookie(state: &AppState, value: &str, max_age: Option<i64>) -> String {
    let mut c = format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.config.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

/// Longest user name an account can have (creation refuses longer ones): a longer one is
/// refused before any lookup, and a failed login's name is kept in the audit log only up to
/// this length.
pub const MAX_USERNAME_CHARS: usize = 64;

/// Signs in; sets the session cookie. An unknown user, a wrong password, and a locked or
/// disabled account with a wrong password all answer the same 401; only the right password
/// learns that the account is locked or disabled (423).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 423, description = "locked", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    let username = req.username.trim();
    let outcome = if username.chars().count() > MAX_USERNAME_CHARS {
        LoginOutcome::Refused {
            user_id: None,
            reason: Refusal::UnknownUser,
        }
    } else {
        state.store.login(username, &req.password).await?
    };
    let event = |user_id, outcome: &str, detail: &str| wenjiu_store::audit::Event {
        user_id,
        username: audit_name(username),
        action: "auth.login".into(),
        target: String::new(),
        outcome: outcome.into(),
        detail: detail.into(),
        ip: ip.clone(),
    };
    match outcome {
        LoginOutcome::Success(user) => {
            let token = state.store.create_session(user.id).await?;
            state.store.audit(event(Some(user.id), "ok", "")).await?;
            let me = Me {
                user: *user,
                business_date: state.store.today().to_string(),
            };
            Ok((
                AppendHeaders([(SET_COOKIE, cookie(&state, &token, None))]),
                Json(me),
            ))
        }
        LoginOutcome::Refused { user_id, reason } => {
            state
                .store
                .audit(event(user_id, reason.outcome(), reason.describe()))
                .await?;
            // No "n attempts left" hint: it would tell known user names from unknown ones.
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "auth.bad_credentials",
                format!("用户名或密码错误，连续 {MAX_FAILED_LOGINS} 次错误将锁定账户"),
            ))
        }
        LoginOutcome::Locked { user_id, until } => {
            let (detail, message) = match until {
                Some(t) => (
                    "账户已锁定",
                    format!(
                        "连续登录失败次数过多，账户已锁定，请于 {} 后重试或联系管理员解锁",
                        local_time(&t)
                    ),
                ),
                None => ("账户已停用", "账户已被管理员停用，请联系管理员".to_string()),
            };
            state
                .store
                .audit(event(Some(user_id), "denied", detail))
                .await?;
            Err(ApiError::new(StatusCode::LOCKED, "auth.locked", message))
        }
    }
}

/// The user name as the audit log keeps it: at most [`MAX_USERNAME_CHARS`] characters, so
/// that an anonymous caller cannot fill the log with megabyte-long names.
fn audit_name(username: &str) -> String {
    let mut chars = username.chars();
    let mut kept: String = chars.by_ref().take(MAX_USERNAME_CHARS).collect();
    if chars.next().is_some() {
        kept.push('…');
    }
    kept
}

/// An RFC 3339 UTC instant as Beijing time, for messages.
fn local_time(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| {
            (d + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

/// Signs out; ends the session.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
) -> ApiResult<impl IntoResponse> {
    if let Some(token) = session_token(&headers) {
        if let Some(user) = state
            .store
            .session_user(&token, state.config.idle_timeout)
            .await?
        {
            state
                .store
                .audit(wenjiu_store::audit::Event {
                    user_id: Some(user.id),
                    username: user.username,
                    action: "auth.logout".into(),
                    target: String::new(),
                    outcome: "ok".into(),
                    detail: String::new(),
                    ip,
                })
                .await?;
        }
        state.store.end_session(&token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, cookie(&state, "", Some(0)))]),
    ))
}

/// The signed-in user, permissions and data scope.
#[utoipa::path(get, path = "/auth/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, cu: CurrentUser) -> Json<Me> {
    Json(Me {
        user: cu.user,
        business_date: state.store.today().to_string(),
    })
}
