//! Imports (background jobs with progress and a rejected-rows report) and exports.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_io::TableReader;
use wenjiu_store::jobs::Job;
use wenjiu_store::registry::{ExportQuery, ImportReport, Kind, rejected_xlsx};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::registry::{EnterpriseQuery, PersonQuery, RegistrationQuery};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn kind_of(kind: &str) -> ApiResult<Kind> {
    Kind::parse(kind).ok_or_else(ApiError::not_found)
}

pub(crate) fn xlsx_response(file_name: &str, bytes: Vec<u8>) -> Response {
    download(file_name, XLSX, bytes)
}

/// A rendered document as a download named `{stem}.{extension}`; `format` is the query's
/// docx (default), xlsx or html.
pub(crate) fn document_download(
    format: Option<&str>,
    stem: &str,
    document: &wenjiu_report::Document,
) -> ApiResult<(String, Response)> {
    let name = format.unwrap_or("docx");
    let format = wenjiu_report::Format::parse(name).ok_or_else(|| {
        ApiError::bad_request(
            "field.invalid",
            format!("格式“{name}”无效，可选 docx、xlsx、html"),
        )
    })?;
    let bytes = format
        .render(document)
        .map_err(|e| ApiError::bad_request("report.failed", e.to_string()))?;
    let file = format!("{stem}.{}", format.extension());
    let response = download(&file, format.content_type(), bytes);
    Ok((file, response))
}

/// A file download with its name in RFC 5987 form.
pub(crate) fn download(file_name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    // RFC 5987 form, so that Chinese file names survive every browser.
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"download.{}\"; filename*=UTF-8''{encoded}",
                    file_name.rsplit('.').next().unwrap_or("bin")
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `true`: answer with the finished report instead of a job id (small files, scripts).
    pub wait: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct JobStarted {
    pub job_id: i64,
}

/// The report of an import run with `wait=true`, with its job (whose rejected rows
/// download from `/jobs/{id}/rejected`).
#[derive(Serialize, ToSchema)]
pub struct ImportDone {
    pub job_id: i64,
    #[serde(flatten)]
    pub report: ImportReport,
}

/// The uploaded table of multipart field `file`, with its file name.
pub(crate) async fn upload(multipart: &mut Multipart) -> ApiResult<(String, TableReader)> {
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request("file.upload", format!("上传失败：{e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.csv").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::bad_request("file.upload", format!("上传失败：{e}")))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        ApiError::bad_request("file.missing", "请选择要导入的文件（字段名 file）")
    })?;
    // Opening a workbook unzips and reads the whole sheet: CPU work that must not hold up
    // an async worker thread.
    let file_name = name.clone();
    let reader = tokio::task::spawn_blocking(move || TableReader::from_bytes(&file_name, bytes))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading an upload failed");
            ApiError::internal()
        })?
        .map_err(wenjiu_store::StoreError::from)?;
    Ok((name, reader))
}

/// Imports a CSV or XLSX file (multipart field `file`) of people, enterprises, employment
/// or unemployment registrations. Runs as a background job; follow it at `/jobs/{id}`.
#[utoipa::path(post, path = "/imports/{kind}", tag = "files",
    params(("kind" = String, Path, description = "person | enterprise | employment | unemployment"), ImportParams),
    request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 202, body = JobStarted), (status = 200, body = ImportDone), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(kind): Path<String>,
    Query(p): Query<ImportParams>,
    mut multipart: Multipart,
) -> ApiResult<Response> {
    let kind = kind_of(&kind)?;
    cu.require(&format!("registry:{}:import", kind.name()))?;
    let (name, reader) = upload(&mut multipart).await?;
    let job = s
        .store
        .create_job(&format!("import.{}", kind.name()), cu.user.id)
        .await?;
    let task = {
        let s = s.clone();
        let progress_store = s.store.clone();
        async move {
            let progress = move |rows: u64| {
                let st = progress_store.clone();
                tokio::spawn(async move { st.job_progress(job, rows).await });
            };
            let outcome = s
                .store
                .import(&cu.user.scope, kind, reader, progress)
                .await
                // The user's message, as an error response would give it: a database
                // failure is logged, not shown.
                .map_err(|e| ApiError::from(e).body.message);
            s.store.finish_job(job, &outcome).await?;
            let detail = match &outcome {
                Ok(r) => format!(
                    "{name}：{} 行，接收 {}，新增 {}，更新 {}，拒绝 {}",
                    r.rows, r.accepted, r.inserted, r.updated, r.rejected_count
                ),
                Err(e) => format!("{name}：{e}"),
            };
            let outcome_word = if outcome.is_ok() { "ok" } else { "failed" };
            s.audit_outcome(
                &cu,
                &format!("{}.import", kind.name()),
                &format!("job:{job}"),
                &detail,
                outcome_word,
            )
            .await?;
            Ok::<_, ApiError>(outcome)
        }
    };
    if p.wait == Some(true) {
        let outcome = task.await?;
        let report = outcome
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "import.failed", e))?;
        return Ok(Json(ImportDone {
            job_id: job,
            report,
        })
        .into_response());
    }
    tokio::spawn(async move {
        if let Err(e) = task.await {
            tracing::error!(job, error = ?e.body.message, "import job failed");
        }
    });
    Ok((StatusCode::ACCEPTED, Json(JobStarted { job_id: job })).into_response())
}

/// A background job of the caller: status, rows done, and the report when done.
#[utoipa::path(get, path = "/jobs/{id}", tag = "files", params(("id" = i64, Path)),
    responses((status = 200, body = Job), (status = 404, body = ErrorBody)))]
pub async fn job(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Job>> {
    Ok(Json(s.store.job(id, cu.user.id).await?))
}

/// The rejected rows of a finished import as XLSX: original columns plus row number and reason.
#[utoipa::path(get, path = "/jobs/{id}/rejected", tag = "files", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = ErrorBody)))]
pub async fn job_rejected(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let report = s.store.job_report(id, cu.user.id).await?;
    let bytes = rejected_xlsx(&report)?;
    Ok(xlsx_response(&format!("导入错误行-{id}.xlsx"), bytes))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// At most this many rejected rows (default 200, at most 10,000); the XLSX has all.
    pub limit: Option<usize>,
}

/// The report of a finished import with its first rejected rows (row, column, reason),
/// for showing on screen.
#[utoipa::path(get, path = "/jobs/{id}/report", tag = "files", params(("id" = i64, Path), ReportParams),
    responses((status = 200, body = ImportReport), (status = 404, body = ErrorBody)))]
pub async fn job_report(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Query(p): Query<ReportParams>,
) -> ApiResult<Json<ImportReport>> {
    let mut report = s.store.job_report(id, cu.user.id).await?;
    report.rejected.truncate(p.limit.unwrap_or(200).min(10_000));
    Ok(Json(report))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevealParam {
    /// `true`: full ID and phone numbers (needs `registry:person:reveal`; audited).
    pub reveal: Option<bool>,
}

async fn export(
    s: &AppState,
    cu: &CurrentUser,
    kind: Kind,
    q: ExportQuery,
    reveal: bool,
) -> ApiResult<Response> {
    let action = format!("{}.export", kind.name());
    cu.require(&format!("registry:{}:export", kind.name()))?;
    if reveal {
        s.require_audited(cu, "registry:person:reveal", &action, "", "含完整证件号码")
            .await?;
    }
    let (bytes, rows) = s.store.export(&cu.user.scope, &q, reveal).await?;
    let detail = format!(
        "{rows} 行{}",
        if reveal {
            "，含完整证件号码"
        } else {
            "，脱敏"
        }
    );
    s.audit(cu, &action, "", detail).await?;
    let date = s.store.today().format("%Y%m%d");
    Ok(xlsx_response(
        &format!("{}-{date}.xlsx", kind.label()),
        bytes,
    ))
}

/// People as XLSX, with the list's filters; masked unless `reveal=true` is allowed.
#[utoipa::path(get, path = "/persons/export", tag = "files", params(PersonQuery, RevealParam),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_persons(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<PersonQuery>,
    Query(r): Query<RevealParam>,
) -> ApiResult<Response> {
    export(
        &s,
        &cu,
        Kind::Person,
        ExportQuery::Person(q.filter()),
        r.reveal == Some(true),
    )
    .await
}

/// Enterprises as XLSX, with the list's filters.
#[utoipa::path(get, path = "/enterprises/export", tag = "files", params(EnterpriseQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_enterprises(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<EnterpriseQuery>,
) -> ApiResult<Response> {
    export(
        &s,
        &cu,
        Kind::Enterprise,
        ExportQuery::Enterprise(q.filter()),
        false,
    )
    .await
}

/// Employment registrations as XLSX.
#[utoipa::path(get, path = "/employments/export", tag = "files", params(RegistrationQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_employments(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<RegistrationQuery>,
) -> ApiResult<Response> {
    export(
        &s,
        &cu,
        Kind::Employment,
        ExportQuery::Employment(q.filter()),
        false,
    )
    .await
}

/// Unemployment registrations as XLSX.
#[utoipa::path(get, path = "/unemployments/export", tag = "files", params(RegistrationQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export_unemployments(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<RegistrationQuery>,
) -> ApiResult<Response> {
    export(
        &s,
        &cu,
        Kind::Unemployment,
        ExportQuery::Unemployment(q.filter()),
        false,
    )
    .await
}
