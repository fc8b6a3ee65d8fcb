//! System endpoints: code tables (dictionaries), regions for the cascader, difficulty
//! categories, users and roles, and the audit log.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_core::{
    AreaKind, Education, EmploymentKind, Hukou, IndustryCode, KeyGroup, Ownership,
    PERSON_ATTRIBUTES, PersonStatus, RegionCode, RegionLevel, Sex, SizeClass, UnemploymentEnd,
    UnemploymentReason,
};
use wenjiu_store::accounts::{AccountChange, NewUser, PERMISSIONS, Role, User};
use wenjiu_store::audit::{Filter, Record, Verification};
use wenjiu_store::registry::{CategoryRow, Overview};
use wenjiu_store::{Page, PageReq, Scope};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::registry::Created;

#[derive(Serialize, ToSchema)]
pub struct DictItem {
    pub code: String,
    pub label: String,
}

fn items<T: 'static>(
    all: &[T],
    code: impl Fn(&T) -> String,
    label: impl Fn(&T) -> &'static str,
) -> Vec<DictItem> {
    all.iter()
        .map(|t| DictItem {
            code: code(t),
            label: label(t).to_string(),
        })
        .collect()
}

/// Every code table the console shows as tags and offers in selects.
#[derive(Serialize, ToSchema)]
pub struct Dicts {
    pub sex: Vec<DictItem>,
    pub education: Vec<DictItem>,
    pub hukou: Vec<DictItem>,
    pub ownership: Vec<DictItem>,
    pub size_class: Vec<DictItem>,
    pub industry: Vec<DictItem>,
    pub employment_kind: Vec<DictItem>,
    pub area_kind: Vec<DictItem>,
    pub unemployment_reason: Vec<DictItem>,
    pub unemployment_end: Vec<DictItem>,
    pub key_group: Vec<DictItem>,
    pub person_attribute: Vec<DictItem>,
    pub person_status: Vec<DictItem>,
}

/// The code tables (no login needed: they hold no personal data).
#[utoipa::path(get, path = "/dicts", tag = "system", responses((status = 200, body = Dicts)))]
pub async fn dicts() -> Json<Dicts> {
    let code = |c: &'static str| c.to_string();
    Json(Dicts {
        sex: items(Sex::all(), |t| code(t.code()), Sex::label),
        education: items(Education::all(), |t| code(t.code()), Education::label),
        hukou: items(Hukou::all(), |t| code(t.code()), Hukou::label),
        ownership: items(Ownership::all(), |t| code(t.code()), Ownership::label),
        size_class: items(SizeClass::all(), |t| code(t.code()), SizeClass::label),
        industry: items(
            IndustryCode::all(),
            |t| t.as_str().to_string(),
            IndustryCode::name,
        ),
        employment_kind: items(
            EmploymentKind::all(),
            |t| code(t.code()),
            EmploymentKind::label,
        ),
        area_kind: items(AreaKind::all(), |t| code(t.code()), AreaKind::label),
        unemployment_reason: items(
            UnemploymentReason::all(),
            |t| code(t.code()),
            UnemploymentReason::label,
        ),
        unemployment_end: items(
            UnemploymentEnd::all(),
            |t| code(t.code()),
            UnemploymentEnd::label,
        ),
        key_group: items(KeyGroup::all(), |t| code(t.code()), KeyGroup::label),
        person_attribute: PERSON_ATTRIBUTES
            .iter()
            .map(|(c, l)| DictItem {
                code: code(c),
                label: code(l),
            })
            .collect(),
        person_status: items(PersonStatus::all(), |t| code(t.code()), PersonStatus::label),
    })
}

#[derive(Serialize, ToSchema)]
pub struct RegionNode {
    pub code: String,
    /// The prefix that selects this region's records (21, 2101, 210102).
    pub prefix: String,
    pub name: String,
    pub full_name: String,
    /// province | city | county
    pub level: String,
    pub leaf: bool,
}

fn node(r: RegionCode) -> RegionNode {
    RegionNode {
        code: r.to_string(),
        prefix: r.prefix().as_str().to_string(),
        name: r.name().to_string(),
        full_name: r.full_name(),
        level: match r.level() {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
        }
        .into(),
        leaf: r.children().is_empty(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// Omitted: the root of the caller's scope. Given: its children (must be in scope).
    pub parent: Option<String>,
}

/// Regions for the cascader, limited to the caller's data scope.
#[utoipa::path(get, path = "/regions", tag = "system", params(RegionQuery),
    responses((status = 200, body = Vec<RegionNode>), (status = 404, body = ErrorBody)))]
pub async fn regions(
    cu: CurrentUser,
    Query(q): Query<RegionQuery>,
) -> ApiResult<Json<Vec<RegionNode>>> {
    let Scope::Region(prefix) = &cu.user.scope else {
        return Ok(Json(Vec::new()));
    };
    let Some(parent) = q.parent.filter(|p| !p.is_empty()) else {
        return Ok(Json(vec![node(prefix.region())]));
    };
    let parent = RegionCode::parse(&parent).map_err(|_| ApiError::not_found())?;
    if !prefix.matches(&parent) {
        return Err(ApiError::not_found());
    }
    Ok(Json(parent.children().iter().copied().map(node).collect()))
}

/// The employment-difficulty categories (an editable code table).
#[utoipa::path(get, path = "/difficulty-categories", tag = "system", responses((status = 200, body = Vec<CategoryRow>)))]
pub async fn categories(
    State(s): State<AppState>,
    _cu: CurrentUser,
) -> ApiResult<Json<Vec<CategoryRow>>> {
    Ok(Json(s.store.difficulty_categories().await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CategoryInput {
    pub name: String,
    /// `{"kind": "attribute", …}` — see wenjiu_core::CategoryRule.
    #[schema(value_type = Object)]
    pub rule: wenjiu_core::CategoryRule,
    pub enabled: bool,
    pub sort: i64,
}

/// Adds or changes a difficulty category; everyone's tags are then re-derived.
#[utoipa::path(put, path = "/difficulty-categories/{code}", tag = "system", params(("code" = String, Path)),
    request_body = CategoryInput, responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn put_category(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(code): Path<String>,
    Json(c): Json<CategoryInput>,
) -> ApiResult<StatusCode> {
    cu.require("system:code:write")?;
    let category = wenjiu_core::DifficultyCategory {
        code: code.clone(),
        name: c.name,
        rule: c.rule,
        enabled: c.enabled,
    };
    s.store.save_difficulty_category(&category, c.sort).await?;
    s.audit(
        &cu,
        "code.difficulty_category",
        &format!("difficulty_category:{code}"),
        String::new(),
    )
    .await?;
    let store = s.store.clone();
    tokio::spawn(async move {
        if let Err(e) = store.refresh_all(|_| {}).await {
            tracing::error!(error = %e, "refresh after category change failed");
        }
    });
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// Users (administrators).
#[utoipa::path(get, path = "/users", tag = "system", params(PageQuery), responses((status = 200, body = Page<User>)))]
pub async fn users(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<User>>> {
    cu.require("system:user:list")?;
    Ok(Json(
        s.store
            .users(&cu.user.scope, PageReq::new(q.page, q.page_size))
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role_code: String,
    /// Region prefix of the data scope, or null for an enterprise user.
    pub scope_region: Option<String>,
    /// Credit code of an enterprise user's enterprise.
    pub scope_enterprise: Option<String>,
}

/// Creates a user. The new user's scope must lie within the creator's own, and the role may
/// carry only permissions the creator holds.
#[utoipa::path(post, path = "/users", tag = "system", request_body = UserInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(u): Json<UserInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    cu.require("system:user:write")?;
    grantable(&s, &cu, &u.role_code).await?;
    let username = u.username.clone();
    let id = s
        .store
        .create_user(
            &cu.user.scope,
            NewUser {
                username: u.username,
                display_name: u.display_name,
                password: u.password,
                role_code: u.role_code,
                scope_region: u.scope_region,
                scope_enterprise: u.scope_enterprise,
            },
        )
        .await?;
    s.audit(&cu, "user.create", &format!("user:{id}"), username)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Refuses a role carrying a permission the creator does not hold: an administrator cannot
/// hand out more than they have. An unknown role is left to the store to name.
async fn grantable(s: &AppState, cu: &CurrentUser, role_code: &str) -> ApiResult<()> {
    let roles = s.store.roles().await?;
    let missing = roles
        .iter()
        .find(|r| r.code == role_code)
        .and_then(|r| r.permissions.iter().find(|p| !cu.user.can(p)));
    match missing {
        Some(p) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role.denied",
            format!("不能授予本人未拥有的权限（{p}）"),
        )),
        None => Ok(()),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UserChange {
    /// Lock (true) or unlock (false) the account.
    pub locked: Option<bool>,
    /// A new password.
    pub password: Option<String>,
}

/// Locks, unlocks or resets the password of a user: all of the change or, when any of it is
/// invalid, none. An administrator cannot lock their own account.
#[utoipa::path(put, path = "/users/{id}", tag = "system", params(("id" = i64, Path)), request_body = UserChange,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(c): Json<UserChange>,
) -> ApiResult<StatusCode> {
    cu.require("system:user:write")?;
    // Only users within the administrator's own scope; others are not found. (Otherwise a
    // city administrator could reset the province administrator's password.)
    s.store.user_in_scope(&cu.user.scope, id).await?;
    // Locking oneself out would leave a scope with no administrator able to undo it.
    if id == cu.user.id && c.locked == Some(true) {
        return Err(ApiError::invalid_field("locked", "不能锁定或停用本人账户"));
    }
    let change = AccountChange {
        locked: c.locked,
        password: c.password,
    };
    s.store.change_user(id, &change).await?;
    let target = format!("user:{id}");
    if let Some(locked) = change.locked {
        let action = if locked { "user.lock" } else { "user.unlock" };
        s.audit(&cu, action, &target, String::new()).await?;
    }
    if change.password.is_some() {
        s.audit(&cu, "user.password", &target, String::new())
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Roles {
    pub roles: Vec<Role>,
    /// Every permission string with its Chinese label.
    pub permissions: Vec<DictItem>,
}

/// Roles and the permission catalogue.
#[utoipa::path(get, path = "/roles", tag = "system", responses((status = 200, body = Roles)))]
pub async fn roles(State(s): State<AppState>, cu: CurrentUser) -> ApiResult<Json<Roles>> {
    cu.require("system:role:list")?;
    Ok(Json(Roles {
        roles: s.store.roles().await?,
        permissions: PERMISSIONS
            .iter()
            .map(|(c, l)| DictItem {
                code: c.to_string(),
                label: l.to_string(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    pub username: Option<String>,
    /// Action or its prefix (`person.`, `auth.login`).
    pub action: Option<String>,
    /// From (inclusive), RFC 3339 or YYYY-MM-DD.
    pub from: Option<String>,
    /// To (exclusive), RFC 3339 or YYYY-MM-DD.
    pub to: Option<String>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/audit", tag = "system", params(AuditQuery), responses((status = 200, body = Page<Record>)))]
pub async fn audit_list(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Page<Record>>> {
    cu.require("system:audit:list")?;
    let f = Filter {
        username: q.username,
        action: q.action,
        from: q.from,
        to: q.to,
    };
    Ok(Json(
        s.store
            .audit_list(&f, PageReq::new(q.page, q.page_size))
            .await?,
    ))
}

/// Verifies the audit hash chain and names the first broken record.
#[utoipa::path(get, path = "/audit/verify", tag = "system", responses((status = 200, body = Verification)))]
pub async fn audit_verify(
    State(s): State<AppState>,
    cu: CurrentUser,
) -> ApiResult<Json<Verification>> {
    cu.require("system:audit:list")?;
    Ok(Json(s.store.audit_verify().await?))
}

/// Headline numbers of the caller's scope and registrations by month (home page).
#[utoipa::path(get, path = "/stats/overview", tag = "registry",
    responses((status = 200, body = Overview), (status = 403, body = ErrorBody)))]
pub async fn overview(State(s): State<AppState>, cu: CurrentUser) -> ApiResult<Json<Overview>> {
    cu.require("registry:person:list")?;
    Ok(Json(s.store.overview(&cu.user.scope).await?))
}
