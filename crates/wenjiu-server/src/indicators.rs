//! Indicators: the catalogue, targets, the ledger with its corrections and published months,
//! recounting, imports, and the monthly bulletin as JSON (for the dashboard) or as a DOCX,
//! XLSX or HTML document.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_core::RegionCode;
use wenjiu_core::indicators::catalogue::{Indicator, Measure};
use wenjiu_core::indicators::{Bulletin, Ratio, Row, Section};
use wenjiu_store::indicators::{
    LedgerFilter, LedgerRow, Lock, Sheet, Source, TargetInput, TargetRow, TargetSum, ValueInput,
};
use wenjiu_store::registry::ImportReport;
use wenjiu_store::{Page, PageReq, Scope};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::files::{document_download, upload};
use crate::params::{month_param, year_param};

fn region_param(text: &str) -> ApiResult<RegionCode> {
    RegionCode::parse(text).map_err(|e| ApiError::bad_request("field.invalid", e.to_string()))
}

/// The region a user looks at by default: their scope's own region.
fn home_region(scope: &Scope) -> Option<RegionCode> {
    match scope {
        Scope::Region(p) => Some(p.region()),
        _ => None,
    }
}

/// The catalogue entry as the API shows it: the definition with its Chinese labels. The
/// definition's other fields (origin, measure, direction, …) come flattened alongside; code,
/// name and unit are named here so that the console's typed client knows them.
#[derive(Serialize, ToSchema)]
pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub origin_label: String,
    pub measure_label: String,
    pub aggregation_label: String,
    /// The rest of the definition, each key once.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

impl From<Indicator> for IndicatorView {
    fn from(i: Indicator) -> Self {
        let mut rest = match serde_json::to_value(&i) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        for named in ["code", "name", "unit"] {
            rest.remove(named);
        }
        IndicatorView {
            origin_label: i.origin.label().into(),
            measure_label: i.measure.label().into(),
            aggregation_label: i.aggregation().label().into(),
            code: i.code,
            name: i.name,
            unit: i.unit,
            rest,
        }
    }
}

#[utoipa::path(get, path = "/indicators", tag = "indicators", responses((status = 200, body = Vec<IndicatorView>)))]
pub async fn catalogue(
    State(s): State<AppState>,
    cu: CurrentUser,
) -> ApiResult<Json<Vec<IndicatorView>>> {
    cu.require("indicators:read")?;
    let all = s.store.indicators().await?;
    Ok(Json(all.into_iter().map(IndicatorView::from).collect()))
}

/// Adds a supplied indicator or edits one (built-in ones: wording, order, target, enabled).
#[utoipa::path(put, path = "/indicators/{code}", tag = "indicators", params(("code" = String, Path)),
    request_body(content = Object, description = "wenjiu_core 的 Indicator 定义"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_indicator(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(code): Path<String>,
    Json(mut ind): Json<Indicator>,
) -> ApiResult<StatusCode> {
    cu.require("indicators:catalogue")?;
    ind.code = code.clone();
    s.store.save_indicator(&ind).await?;
    s.audit(
        &cu,
        "indicator.save",
        &format!("indicator:{code}"),
        ind.name,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i32,
}

#[utoipa::path(get, path = "/indicators/targets", tag = "indicators", params(YearQuery),
    responses((status = 200, body = Vec<TargetRow>)))]
pub async fn targets(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<Vec<TargetRow>>> {
    cu.require("indicators:read")?;
    let year = year_param(q.year)?;
    Ok(Json(s.store.targets(&cu.user.scope, year).await?))
}

#[utoipa::path(put, path = "/indicators/targets", tag = "indicators", request_body = TargetInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_target(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(t): Json<TargetInput>,
) -> ApiResult<StatusCode> {
    cu.require("indicators:target")?;
    year_param(t.year)?;
    s.store
        .set_target(&cu.user.scope, &cu.user.username, &t)
        .await?;
    let target = format!("target:{}:{}:{}", t.indicator, t.region, t.year);
    s.audit(&cu, "indicator.target", &target, t.value).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetSumQuery {
    pub indicator: String,
    pub region: String,
    pub year: i32,
}

/// Whether the subregions' targets add up to the region's, and the difference.
#[utoipa::path(get, path = "/indicators/targets/sum", tag = "indicators", params(TargetSumQuery),
    responses((status = 200, body = TargetSum), (status = 404, body = ErrorBody)))]
pub async fn target_sum(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<TargetSumQuery>,
) -> ApiResult<Json<TargetSum>> {
    cu.require("indicators:read")?;
    let (region, year) = (region_param(&q.region)?, year_param(q.year)?);
    Ok(Json(
        s.store
            .target_sum(&cu.user.scope, &q.indicator, region, year)
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    pub indicator: Option<String>,
    /// Region code prefix.
    pub region: Option<String>,
    pub month_from: Option<String>,
    pub month_to: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/indicators/ledger", tag = "indicators", params(LedgerQuery),
    responses((status = 200, body = Page<LedgerRow>)))]
pub async fn ledger(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<Json<Page<LedgerRow>>> {
    cu.require("indicators:read")?;
    let month = |m: &Option<String>| m.as_deref().map(month_param).transpose();
    let f = LedgerFilter {
        indicator: q.indicator.filter(|s| !s.is_empty()),
        region: q.region.filter(|s| !s.is_empty()),
        month_from: month(&q.month_from)?,
        month_to: month(&q.month_to)?,
    };
    let page = PageReq::new(q.page, q.page_size);
    Ok(Json(s.store.ledger(&cu.user.scope, &f, page).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CellQuery {
    pub indicator: String,
    pub region: String,
    pub month: String,
}

/// Every version of one value, oldest first.
#[utoipa::path(get, path = "/indicators/ledger/history", tag = "indicators", params(CellQuery),
    responses((status = 200, body = Vec<LedgerRow>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<CellQuery>,
) -> ApiResult<Json<Vec<LedgerRow>>> {
    cu.require("indicators:read")?;
    let (region, month) = (region_param(&q.region)?, month_param(&q.month)?);
    Ok(Json(
        s.store
            .ledger_history(&cu.user.scope, &q.indicator, region, month)
            .await?,
    ))
}

/// Enters a value of a supplied indicator for an unpublished month.
#[utoipa::path(put, path = "/indicators/ledger", tag = "indicators", request_body = ValueInput,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enter_value(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(v): Json<ValueInput>,
) -> ApiResult<StatusCode> {
    cu.require("indicators:enter")?;
    s.store
        .put_value(&cu.user.scope, &cu.user.username, Source::Entered, &v)
        .await?;
    let target = format!("ledger:{}:{}:{}", v.indicator, v.region, v.month);
    s.audit(&cu, "ledger.enter", &target, v.value).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Correction {
    #[serde(flatten)]
    pub value: ValueInput,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Corrected {
    pub version: i64,
}

/// Corrects a value of a published month: a new version with the reason.
#[utoipa::path(post, path = "/indicators/ledger/corrections", tag = "indicators", request_body = Correction,
    responses((status = 200, body = Corrected), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(c): Json<Correction>,
) -> ApiResult<Json<Corrected>> {
    let v = &c.value;
    let target = format!("ledger:{}:{}:{}", v.indicator, v.region, v.month);
    s.require_audited(
        &cu,
        "indicators:publish",
        "ledger.correct",
        &target,
        &c.reason,
    )
    .await?;
    let version = s
        .store
        .correct_value(&cu.user.scope, &cu.user.username, v, &c.reason)
        .await?;
    let detail = format!("{} → {}（{}）", v.month, v.value, c.reason);
    s.audit(&cu, "ledger.correct", &target, detail).await?;
    Ok(Json(Corrected { version }))
}

#[utoipa::path(get, path = "/indicators/locks", tag = "indicators", responses((status = 200, body = Vec<Lock>)))]
pub async fn locks(State(s): State<AppState>, cu: CurrentUser) -> ApiResult<Json<Vec<Lock>>> {
    cu.require("indicators:read")?;
    let all = s.store.locks().await?;
    let scope = &cu.user.scope;
    Ok(Json(
        all.into_iter()
            .filter(|l| {
                scope.admits_region(&l.region)
                    || home_region(scope).is_some_and(|h| l.region.contains(&h))
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct PublishInput {
    pub region: String,
    pub month: String,
}

/// Recounts, then publishes the month for the region: its values are locked.
#[utoipa::path(post, path = "/indicators/publish", tag = "indicators", request_body = PublishInput,
    responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(p): Json<PublishInput>,
) -> ApiResult<StatusCode> {
    let (region, month) = (region_param(&p.region)?, month_param(&p.month)?);
    let target = format!("{region}:{month}");
    s.require_audited(&cu, "indicators:publish", "indicators.publish", &target, "")
        .await?;
    s.store.refresh_indicators(month.year()).await?;
    s.store
        .publish(&cu.user.scope, &cu.user.username, region, month)
        .await?;
    s.audit(&cu, "indicators.publish", &target, "").await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshInput {
    pub year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct Refreshed {
    /// Ledger values that changed.
    pub changed: usize,
}

/// Recounts the registry-based indicators of a year into its unpublished months. The count
/// covers every region of the province at once, so only a provincial user may start it.
#[utoipa::path(post, path = "/indicators/refresh", tag = "indicators", request_body = RefreshInput,
    responses((status = 200, body = Refreshed), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refresh(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(r): Json<RefreshInput>,
) -> ApiResult<Json<Refreshed>> {
    cu.require("indicators:enter")?;
    if !cu.user.scope.is_provincial() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "scope.denied",
            "重新统计涉及全省各地区，仅省级用户可以操作",
        ));
    }
    let changed = s.store.refresh_indicators(year_param(r.year)?).await?;
    s.audit(
        &cu,
        "indicators.refresh",
        &r.year.to_string(),
        changed.to_string(),
    )
    .await?;
    Ok(Json(Refreshed { changed }))
}

/// Imports indicator values (`values`: 指标, 地区代码, 月份, 数值) or annual targets
/// (`targets`: 指标, 地区代码, 年度, 目标值, 约数) from XLSX or CSV (multipart field `file`).
#[utoipa::path(post, path = "/indicators/imports/{sheet}", tag = "indicators",
    params(("sheet" = String, Path, description = "values | targets")),
    request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody)))]
pub async fn import_sheet(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(sheet): Path<String>,
    mut multipart: Multipart,
) -> ApiResult<Json<ImportReport>> {
    let sheet = match sheet.as_str() {
        "values" => Sheet::Values,
        "targets" => Sheet::Targets,
        _ => return Err(ApiError::not_found()),
    };
    cu.require(match sheet {
        Sheet::Values => "indicators:enter",
        Sheet::Targets => "indicators:target",
    })?;
    let (name, reader) = upload(&mut multipart).await?;
    let report = s
        .store
        .import_indicator_sheet(&cu.user.scope, &cu.user.username, sheet, reader)
        .await?;
    let detail = format!(
        "{name}：{} 行，接收 {}，拒绝 {}",
        report.rows, report.accepted, report.rejected_count
    );
    s.audit(&cu, "indicators.import", "", detail).await?;
    Ok(Json(report))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulletinQuery {
    /// Region code; the user's own region when left out.
    pub region: Option<String>,
    /// YYYY-MM.
    pub month: String,
    /// docx | xlsx | html (export only).
    pub format: Option<String>,
}

/// A table row as the console draws it: printed cells, and the number its chart uses.
#[derive(Serialize, ToSchema)]
pub struct RowView {
    pub region: String,
    pub name: String,
    pub cells: Vec<String>,
    pub chart_value: Option<f64>,
    pub rank: Option<u32>,
    /// Whether the region has subregions to drill down to.
    pub has_children: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SectionView {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// flow | stock | rate
    pub measure: String,
    pub as_of: String,
    pub columns: Vec<String>,
    pub total: RowView,
    pub rows: Vec<RowView>,
    /// A rate's control target in %, for the chart's control line.
    pub control_line: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct TrendView {
    pub month: String,
    pub cumulative: Option<f64>,
    /// Completion of the annual target, %.
    pub completion: Option<f64>,
    /// 序时进度, %.
    pub time_progress: f64,
    pub last_year_cumulative: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct BulletinView {
    pub region: String,
    pub region_name: String,
    pub parent: Option<String>,
    pub month: String,
    pub title: String,
    pub paragraph: String,
    pub trend: Vec<TrendView>,
    pub sections: Vec<SectionView>,
}

fn percent(r: Ratio) -> f64 {
    r.to_f64() * 100.0
}

fn row_view(s: &Section, r: &Row) -> RowView {
    RowView {
        region: r.region.to_string(),
        name: r.name.clone(),
        cells: s.cells(r),
        chart_value: s.chart_value(r),
        rank: r.rank,
        has_children: !r.region.children().is_empty(),
    }
}

fn bulletin_view(b: &Bulletin, scope: &Scope) -> BulletinView {
    BulletinView {
        region: b.region.to_string(),
        region_name: b.region_name.clone(),
        parent: b
            .region
            .parent()
            .filter(|p| scope.admits_region(p))
            .map(|p| p.to_string()),
        month: b.month.to_string(),
        title: b.title.clone(),
        paragraph: b.paragraph.clone(),
        trend: b
            .trend
            .iter()
            .map(|t| TrendView {
                month: t.month.to_string(),
                cumulative: t.cumulative.map(Ratio::to_f64),
                completion: t.completion.map(percent),
                time_progress: percent(t.time_progress),
                last_year_cumulative: t.last_year_cumulative.map(Ratio::to_f64),
            })
            .collect(),
        sections: b
            .sections
            .iter()
            .map(|s| SectionView {
                code: s.code.clone(),
                name: s.name.clone(),
                unit: s.unit.clone(),
                measure: s.measure.code().to_string(),
                as_of: s.as_of.to_string(),
                columns: s.columns(),
                total: row_view(s, &s.total),
                rows: s.rows.iter().map(|r| row_view(s, r)).collect(),
                control_line: s
                    .total
                    .target
                    .filter(|_| s.measure == Measure::Rate)
                    .map(|t| percent(t.value)),
            })
            .collect(),
    }
}

async fn load_bulletin(s: &AppState, cu: &CurrentUser, q: &BulletinQuery) -> ApiResult<Bulletin> {
    cu.require("indicators:read")?;
    let region = match q.region.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => region_param(r)?,
        None => home_region(&cu.user.scope).ok_or_else(ApiError::not_found)?,
    };
    let month = month_param(&q.month)?;
    Ok(s.store.bulletin(&cu.user.scope, region, month).await?)
}

/// The monthly bulletin of a region within the user's scope: paragraph, tables, trend.
#[utoipa::path(get, path = "/indicators/bulletin", tag = "indicators", params(BulletinQuery),
    responses((status = 200, body = BulletinView), (status = 404, body = ErrorBody)))]
pub async fn bulletin(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<BulletinQuery>,
) -> ApiResult<Json<BulletinView>> {
    let b = load_bulletin(&s, &cu, &q).await?;
    Ok(Json(bulletin_view(&b, &cu.user.scope)))
}

/// The bulletin as a document: `format=docx` (default), `xlsx` or `html`.
#[utoipa::path(get, path = "/indicators/bulletin/export", tag = "indicators", params(BulletinQuery),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn export_bulletin(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<BulletinQuery>,
) -> ApiResult<Response> {
    let b = load_bulletin(&s, &cu, &q).await?;
    let stem = format!("{}-{}", b.region.name(), b.month);
    let document = wenjiu_report::bulletin::document(&b);
    let (file, response) = document_download(q.format.as_deref(), &stem, &document)?;
    s.audit(
        &cu,
        "bulletin.export",
        &format!("{}:{}", b.region, b.month),
        file,
    )
    .await?;
    Ok(response)
}
