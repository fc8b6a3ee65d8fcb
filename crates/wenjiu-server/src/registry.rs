//! Registry endpoints: people, households, enterprises and both kinds of registration.
//! Scope filtering happens in the store; these handlers check permissions and audit.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_core::{FieldError, NewEmployment, NewEnterprise, NewPerson, NewUnemployment};
use wenjiu_store::registry::Kind;
use wenjiu_store::registry::{
    EmploymentRow, EnterpriseFilter, EnterpriseRow, HouseholdDetail, HouseholdFilter, HouseholdRow,
    PersonDetail, PersonFilter, PersonRow, RegistrationFilter, RevealField, UnemploymentRow,
};
use wenjiu_store::{Page, PageReq, StoreError};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};

/// A record's fields as text, keyed like the import columns (`name`, `id_no`, …).
pub type Fields = HashMap<String, serde_json::Value>;

/// The body's values as trimmed text; empty values count as absent.
pub struct TextFields(HashMap<String, String>);

impl TextFields {
    pub fn of(body: &Fields) -> Self {
        TextFields(
            body.iter()
                .filter_map(|(k, v)| {
                    let s = match v {
                        serde_json::Value::Null => return None,
                        serde_json::Value::String(s) => s.trim().to_string(),
                        other => other.to_string(),
                    };
                    (!s.is_empty()).then(|| (k.clone(), s))
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// For an edit: fields the body leaves out entirely (as the console does for masked
    /// numbers) keep their stored value; a field sent empty is cleared.
    async fn keep_numbers(
        mut self,
        body: &Fields,
        s: &AppState,
        cu: &CurrentUser,
        kind: Kind,
        id: i64,
    ) -> ApiResult<Self> {
        let keep_phone = kind == Kind::Person && !body.contains_key("phone");
        if body.contains_key("id_no") && !keep_phone {
            return Ok(self);
        }
        let (id_no, phone) = s.store.kept_numbers(&cu.user.scope, kind, id).await?;
        if !body.contains_key("id_no") {
            self.0.insert("id_no".into(), id_no);
        }
        if let (true, Some(phone)) = (keep_phone, phone) {
            self.0.insert("phone".into(), phone);
        }
        Ok(self)
    }
}

/// Field errors, reported exactly as an import would report them.
fn invalid(errors: Vec<FieldError>) -> ApiError {
    StoreError::Invalid(errors).into()
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Part of the name.
    pub name: Option<String>,
    /// A complete ID number (exact match).
    pub id_no: Option<String>,
    /// Region prefix: 21, 2101 or 210102.
    pub region: Option<String>,
    /// A key-group code (graduate, unemployed_6m, …).
    pub key_group: Option<String>,
    /// employed | unemployed | none
    pub status: Option<String>,
    pub household_id: Option<i64>,
}

impl PersonQuery {
    pub fn filter(&self) -> PersonFilter {
        PersonFilter {
            name: self.name.clone(),
            id_no: self.id_no.clone(),
            region: self.region.clone(),
            key_group: self.key_group.clone(),
            status: self.status.clone(),
            household_id: self.household_id,
        }
    }
}

/// People in the caller's scope; ID and phone numbers masked.
#[utoipa::path(get, path = "/persons", tag = "registry", params(PersonQuery),
    responses((status = 200, body = Page<PersonRow>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_persons(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<PersonQuery>,
) -> ApiResult<Json<Page<PersonRow>>> {
    cu.require("registry:person:list")?;
    Ok(Json(
        s.store
            .persons(
                &cu.user.scope,
                &q.filter(),
                PageReq::new(q.page, q.page_size),
            )
            .await?,
    ))
}

/// One person with their registrations; 404 outside the caller's scope.
#[utoipa::path(get, path = "/persons/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = PersonDetail), (status = 404, body = ErrorBody)))]
pub async fn get_person(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<PersonDetail>> {
    cu.require("registry:person:list")?;
    Ok(Json(s.store.person(&cu.user.scope, id).await?))
}

/// Registers a person. Body: the person columns (`name`, `id_no`, `phone`, `education`,
/// `hukou`, `region`, `household_no`, `graduation_year`, `veteran`, `attributes`).
#[utoipa::path(post, path = "/persons", tag = "registry", request_body = Object,
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_person(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<Fields>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    cu.require("registry:person:write")?;
    let p = {
        let f = TextFields::of(&body);
        NewPerson::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    let id = s.store.create_person(&cu.user.scope, &p).await?;
    s.audit(
        &cu,
        "person.create",
        &format!("person:{id}"),
        p.id_no.masked(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Changes a person in scope.
#[utoipa::path(put, path = "/persons/{id}", tag = "registry", params(("id" = i64, Path)), request_body = Object,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_person(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Fields>,
) -> ApiResult<StatusCode> {
    cu.require("registry:person:write")?;
    let p = {
        let f = TextFields::of(&body)
            .keep_numbers(&body, &s, &cu, Kind::Person, id)
            .await?;
        NewPerson::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    s.store.update_person(&cu.user.scope, id, &p).await?;
    s.audit(
        &cu,
        "person.update",
        &format!("person:{id}"),
        p.id_no.masked(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct RevealRequest {
    /// `id_no` or `phone`
    pub field: RevealField,
}

#[derive(Serialize, ToSchema)]
pub struct Revealed {
    pub value: Option<String>,
}

/// The full ID or phone number of a person: a separate permission, and an audit event.
#[utoipa::path(post, path = "/persons/{id}/reveal", tag = "registry", params(("id" = i64, Path)), request_body = RevealRequest,
    responses((status = 200, body = Revealed), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reveal_person(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(req): Json<RevealRequest>,
) -> ApiResult<Json<Revealed>> {
    let field = match req.field {
        RevealField::IdNo => "id_no",
        RevealField::Phone => "phone",
    };
    let target = format!("person:{id}");
    s.require_audited(
        &cu,
        "registry:person:reveal",
        "person.reveal",
        &target,
        field,
    )
    .await?;
    // A reveal that finds nothing (another region's person) is recorded too: probing
    // for records is what an audit must show.
    let value = match s.store.reveal(&cu.user.scope, id, req.field).await {
        Ok(v) => v,
        Err(e) => {
            s.audit_outcome(&cu, "person.reveal", &target, field, "failed")
                .await?;
            return Err(e.into());
        }
    };
    s.audit(&cu, "person.reveal", &target, field.to_string())
        .await?;
    Ok(Json(Revealed { value }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    pub household_no: Option<String>,
    pub region: Option<String>,
    pub zero_employment: Option<bool>,
}

/// Households in scope, with their zero-employment flag.
#[utoipa::path(get, path = "/households", tag = "registry", params(HouseholdQuery),
    responses((status = 200, body = Page<HouseholdRow>)))]
pub async fn list_households(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<HouseholdQuery>,
) -> ApiResult<Json<Page<HouseholdRow>>> {
    cu.require("registry:household:list")?;
    let f = HouseholdFilter {
        household_no: q.household_no,
        region: q.region,
        zero_employment: q.zero_employment,
    };
    Ok(Json(
        s.store
            .households(&cu.user.scope, &f, PageReq::new(q.page, q.page_size))
            .await?,
    ))
}

/// A household and its members.
#[utoipa::path(get, path = "/households/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = HouseholdDetail), (status = 404, body = ErrorBody)))]
pub async fn get_household(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<HouseholdDetail>> {
    cu.require("registry:household:list")?;
    Ok(Json(s.store.household(&cu.user.scope, id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnterpriseQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub region: Option<String>,
    /// GB/T 4754 section: its letter or its name.
    pub industry: Option<String>,
    /// 企业规模: its code (`large`, `medium`, `small`, `micro`) or its name.
    pub size_class: Option<String>,
}

impl EnterpriseQuery {
    pub fn filter(&self) -> EnterpriseFilter {
        EnterpriseFilter {
            name: self.name.clone(),
            credit_code: self.credit_code.clone(),
            region: self.region.clone(),
            industry: self.industry.clone(),
            size_class: self.size_class.clone(),
        }
    }
}

/// Enterprises in scope.
#[utoipa::path(get, path = "/enterprises", tag = "registry", params(EnterpriseQuery),
    responses((status = 200, body = Page<EnterpriseRow>)))]
pub async fn list_enterprises(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<EnterpriseQuery>,
) -> ApiResult<Json<Page<EnterpriseRow>>> {
    cu.require("registry:enterprise:list")?;
    Ok(Json(
        s.store
            .enterprises(
                &cu.user.scope,
                &q.filter(),
                PageReq::new(q.page, q.page_size),
            )
            .await?,
    ))
}

/// One enterprise; 404 outside scope.
#[utoipa::path(get, path = "/enterprises/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = EnterpriseRow), (status = 404, body = ErrorBody)))]
pub async fn get_enterprise(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<EnterpriseRow>> {
    cu.require("registry:enterprise:list")?;
    Ok(Json(s.store.enterprise(&cu.user.scope, id).await?))
}

/// Registers an enterprise. Body: `credit_code`, `name`, `industry`, `ownership`,
/// `size_class`, `region`, `insured_count`.
#[utoipa::path(post, path = "/enterprises", tag = "registry", request_body = Object,
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_enterprise(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<Fields>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    cu.require("registry:enterprise:write")?;
    let e = {
        let f = TextFields::of(&body);
        NewEnterprise::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    let id = s.store.create_enterprise(&cu.user.scope, &e).await?;
    s.audit(
        &cu,
        "enterprise.create",
        &format!("enterprise:{id}"),
        e.credit_code.as_str().to_string(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Changes an enterprise in scope.
#[utoipa::path(put, path = "/enterprises/{id}", tag = "registry", params(("id" = i64, Path)), request_body = Object,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_enterprise(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Fields>,
) -> ApiResult<StatusCode> {
    cu.require("registry:enterprise:write")?;
    let e = {
        let f = TextFields::of(&body);
        NewEnterprise::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    s.store.update_enterprise(&cu.user.scope, id, &e).await?;
    s.audit(
        &cu,
        "enterprise.update",
        &format!("enterprise:{id}"),
        e.credit_code.as_str().to_string(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Part of the person's name.
    pub name: Option<String>,
    pub region: Option<String>,
    /// Employment kind or unemployment reason code.
    pub kind: Option<String>,
    /// Registration date from (inclusive), YYYY-MM-DD.
    pub from: Option<String>,
    /// Registration date to (exclusive), YYYY-MM-DD.
    pub to: Option<String>,
    /// `true`: still open.
    pub open: Option<bool>,
    pub person_id: Option<i64>,
}

impl RegistrationQuery {
    pub fn filter(&self) -> RegistrationFilter {
        RegistrationFilter {
            name: self.name.clone(),
            region: self.region.clone(),
            code: self.kind.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            open: self.open,
            person_id: self.person_id,
        }
    }
}

/// Employment registrations in scope.
#[utoipa::path(get, path = "/employments", tag = "registry", params(RegistrationQuery),
    responses((status = 200, body = Page<EmploymentRow>)))]
pub async fn list_employments(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<RegistrationQuery>,
) -> ApiResult<Json<Page<EmploymentRow>>> {
    cu.require("registry:employment:list")?;
    Ok(Json(
        s.store
            .employments(
                &cu.user.scope,
                &q.filter(),
                PageReq::new(q.page, q.page_size),
            )
            .await?,
    ))
}

/// One employment registration.
#[utoipa::path(get, path = "/employments/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = EmploymentRow), (status = 404, body = ErrorBody)))]
pub async fn get_employment(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<EmploymentRow>> {
    cu.require("registry:employment:list")?;
    Ok(Json(s.store.employment(&cu.user.scope, id).await?))
}

/// Registers employment (ends an open unemployment registration of the person).
/// Body: `id_no`, `kind`, `employer_credit_code`, `start_date`, `end_date`, `area`, `region`.
#[utoipa::path(post, path = "/employments", tag = "registry", request_body = Object,
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_employment(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<Fields>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    cu.require("registry:employment:write")?;
    let e = {
        let f = TextFields::of(&body);
        NewEmployment::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    let (id, ended) = s.store.create_employment(&cu.user.scope, &e).await?;
    s.audit(
        &cu,
        "employment.create",
        &format!("employment:{id}"),
        with_ended(e.id_no.masked(), &ended),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Changes an employment registration (e.g. records its end).
#[utoipa::path(put, path = "/employments/{id}", tag = "registry", params(("id" = i64, Path)), request_body = Object,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_employment(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Fields>,
) -> ApiResult<StatusCode> {
    cu.require("registry:employment:write")?;
    let e = {
        let f = TextFields::of(&body)
            .keep_numbers(&body, &s, &cu, Kind::Employment, id)
            .await?;
        NewEmployment::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    let ended = s.store.update_employment(&cu.user.scope, id, &e).await?;
    s.audit(
        &cu,
        "employment.update",
        &format!("employment:{id}"),
        with_ended(e.id_no.masked(), &ended),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An employment write's audit detail: the person, and the unemployment registrations the job
/// ended (they are written too, and may be another region's).
fn with_ended(person: String, ended: &[i64]) -> String {
    if ended.is_empty() {
        return person;
    }
    let ids: Vec<String> = ended
        .iter()
        .map(|id| format!("unemployment:{id}"))
        .collect();
    format!("{person}；因就业终止失业登记 {}", ids.join("、"))
}

/// Unemployment registrations in scope (`kind` filters by reason).
#[utoipa::path(get, path = "/unemployments", tag = "registry", params(RegistrationQuery),
    responses((status = 200, body = Page<UnemploymentRow>)))]
pub async fn list_unemployments(
    State(s): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<RegistrationQuery>,
) -> ApiResult<Json<Page<UnemploymentRow>>> {
    cu.require("registry:unemployment:list")?;
    Ok(Json(
        s.store
            .unemployments(
                &cu.user.scope,
                &q.filter(),
                PageReq::new(q.page, q.page_size),
            )
            .await?,
    ))
}

/// One unemployment registration.
#[utoipa::path(get, path = "/unemployments/{id}", tag = "registry", params(("id" = i64, Path)),
    responses((status = 200, body = UnemploymentRow), (status = 404, body = ErrorBody)))]
pub async fn get_unemployment(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<UnemploymentRow>> {
    cu.require("registry:unemployment:list")?;
    Ok(Json(s.store.unemployment(&cu.user.scope, id).await?))
}

/// Registers unemployment. Body: `id_no`, `registered_on`, `region`, `reason`,
/// `ended_on`, `end_reason`.
#[utoipa::path(post, path = "/unemployments", tag = "registry", request_body = Object,
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_unemployment(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(body): Json<Fields>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    cu.require("registry:unemployment:write")?;
    let u = {
        let f = TextFields::of(&body);
        NewUnemployment::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    let id = s.store.create_unemployment(&cu.user.scope, &u).await?;
    s.audit(
        &cu,
        "unemployment.create",
        &format!("unemployment:{id}"),
        u.id_no.masked(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Changes an unemployment registration (e.g. ends it with a reason).
#[utoipa::path(put, path = "/unemployments/{id}", tag = "registry", params(("id" = i64, Path)), request_body = Object,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_unemployment(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Fields>,
) -> ApiResult<StatusCode> {
    cu.require("registry:unemployment:write")?;
    let u = {
        let f = TextFields::of(&body)
            .keep_numbers(&body, &s, &cu, Kind::Unemployment, id)
            .await?;
        NewUnemployment::from_fields(&|k| f.get(k)).map_err(invalid)?
    };
    s.store.update_unemployment(&cu.user.scope, id, &u).await?;
    s.audit(
        &cu,
        "unemployment.update",
        &format!("unemployment:{id}"),
        u.id_no.masked(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
