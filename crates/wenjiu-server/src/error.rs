//! The one place where errors become HTTP responses: a status, a stable machine code and
//! a Chinese message. Internal details are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use wenjiu_store::StoreError;

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's key (`id_no`) as in the API and the import columns.
    pub column: String,
    pub message: String,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `auth.required`, `not_found`, `validation`.
    pub code: String,
    /// What went wrong, in Chinese, fit to show the user.
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                fields: Vec::new(),
            },
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth.required",
            "未登录或登录已超时，请重新登录",
        )
    }

    pub fn forbidden(permission: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "auth.forbidden",
            format!("没有操作权限（{permission}）"),
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "记录不存在或不在您的数据权限范围内",
        )
    }

    /// A path under `/api/v1` that no route serves.
    pub fn no_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, "route.not_found", "接口不存在")
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A 422 naming the one field that is wrong, like the store's validation errors.
    pub fn invalid_field(column: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            message.clone(),
        );
        e.body.fields.push(FieldProblem {
            column: column.into(),
            message,
        });
        e
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后重试或联系管理员",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::OutOfScope(m) => ApiError::new(StatusCode::FORBIDDEN, "scope.denied", m),
            StoreError::Invalid(fields) => {
                let message = fields
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join(";");
                let code = match fields.as_slice() {
                    [one] if one.column == "file" || one.column == "export" => one.code,
                    _ => "validation",
                };
                ApiError {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    body: ErrorBody {
                        code: code.into(),
                        message,
                        fields: fields
                            .into_iter()
                            .map(|f| FieldProblem {
                                column: f.column.into(),
                                message: f.message,
                            })
                            .collect(),
                    },
                }
            }
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            StoreError::File(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "file.invalid",
                e.to_string(),
            ),
            other => {
                tracing::error!(error = %other, "internal error");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Turns the error responses axum makes by itself — a malformed JSON body, a wrong content
/// type, a path or query parameter of the wrong type, a method the route lacks, an upload
/// over the limit — from plain text into the `{code, message}` body every error has.
pub async fn json_rejections(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 64 << 10)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("route.not_found", "接口不存在"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "接口不支持该请求方法"),
        StatusCode::PAYLOAD_TOO_LARGE => ("request.too_large", "请求内容超过大小上限"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("request.content_type", "请求内容类型不正确"),
        s if s.is_server_error() => ("internal", "服务器内部错误，请稍后重试或联系管理员"),
        _ => ("request.invalid", "请求格式错误"),
    };
    let message = if detail.is_empty() || status.is_server_error() {
        message.to_string()
    } else {
        format!("{message}:{detail}")
    };
    let mut out = ApiError::new(status, code, message).into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

/// The answer to a handler that panicked: logged with its message, answered as any
/// internal error.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    ApiError::internal().into_response()
}
