//! 可享政策: which subsidies a person, an enterprise or a hire in the registry can get on a
//! date, and how much — the packaged check of the seed's 政策打包 / 免申即享, read from the
//! registry and the supplied facts exactly as screening reads them, each policy with its
//! trace. For an enterprise, also the hire policies over each person it hired.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wenjiu_core::RegionPrefix;
use wenjiu_store::Scope;
use wenjiu_store::policy::eligibility::HireGrants;
use wenjiu_store::policy::field;
use wenjiu_store::policy::rules::{SubjectKind, Value};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::policy::{PolicyResult, evaluate_policies, outcomes_text, policies_of, subject_kind};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EligibilityQuery {
    /// The date the policies are evaluated at.
    pub date: NaiveDate,
    /// One policy id; every policy about the subject when left out.
    pub policy: Option<String>,
}

/// A field as the policies read it.
#[derive(Serialize, ToSchema)]
pub struct FieldRead {
    /// Full name: `person.age`.
    pub name: String,
    pub label: String,
    /// Where the value comes from: 登记… (the registry, or derived from it) or 申报… (a
    /// supplied fact), with the table or office.
    pub origin: String,
    /// `{"type": "int", "value": 30}`; money in fen.
    #[schema(value_type = Object)]
    pub value: Value,
}

#[derive(Serialize, ToSchema)]
pub struct Eligibility {
    pub date: NaiveDate,
    /// person | enterprise | hire
    pub kind: String,
    pub id: i64,
    /// The person's name, the enterprise's, or "enterprise 招用 person".
    pub label: String,
    pub region: String,
    pub region_name: String,
    /// Every field of the subject on the date; for an employer's own hire, none of the
    /// person's.
    pub fields: Vec<FieldRead>,
    pub results: Vec<PolicyResult>,
    /// Sum of the eligible amounts, in fen (policies of one exclusion group not combined).
    pub eligible_total_fen: i64,
    /// An enterprise's hires that qualify for hire policies, after the same limits as
    /// screening.
    pub hires: Option<HireGrants>,
}

/// The subject's name, from the registry within the caller's scope (404 outside).
async fn registered(
    s: &AppState,
    cu: &CurrentUser,
    kind: SubjectKind,
    id: i64,
) -> ApiResult<String> {
    let scope = &cu.user.scope;
    Ok(match kind {
        SubjectKind::Person => s.store.person(scope, id).await?.person.name,
        SubjectKind::Enterprise => s.store.enterprise(scope, id).await?.name,
        SubjectKind::Hire => {
            let r = s.store.employment(scope, id).await?;
            let employer = r.enterprise_name.unwrap_or_default();
            format!("{employer} 招用 {}", r.person_name)
        }
    })
}

/// What one person, enterprise or hire of the registry can get on a date: every policy about
/// it with the trace, the fields read (registry and supplied facts), and for an enterprise
/// its hires that qualify for hire policies.
#[utoipa::path(get, path = "/policy/eligibility/{kind}/{id}", tag = "policy",
    params(("kind" = String, Path, description = "person | enterprise | hire"),
        ("id" = i64, Path, description = "The person, enterprise or employment registration"),
        EligibilityQuery),
    responses((status = 200, body = Eligibility), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn eligibility(
    State(s): State<AppState>,
    cu: CurrentUser,
    Path((kind, id)): Path<(String, i64)>,
    Query(q): Query<EligibilityQuery>,
) -> ApiResult<Json<Eligibility>> {
    cu.require("policy:evaluate")?;
    let kind = subject_kind(&kind).map_err(|_| ApiError::not_found())?;
    // A person's check reads their hardship, disability and recognitions: not for an
    // employer, which evaluates itself and its hires.
    if kind == SubjectKind::Person && matches!(cu.user.scope, Scope::Enterprise(_)) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "scope.denied",
            "单位用户只能测算本单位及其招用人员的可享政策",
        ));
    }
    let cat = s.policy.get()?;
    let label = registered(&s, &cu, kind, id).await?;
    let subject = s
        .store
        .registered_subject(kind, id, q.date)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                format!(
                    "该就业登记不是单位招用，或在 {} 尚未开始：没有可试算的招用对象",
                    q.date
                ),
            )
        })?;
    let policies = policies_of(&cat, kind, q.policy.as_deref())?;
    let params = s.store.policy_params(&cat.params).await?;
    let (mut results, eligible_total_fen) = evaluate_policies(&policies, &subject, q.date, &params);
    // An employer needs the outcome of its hire's check — amount, conditions failed — not
    // the person's hardship, disability or recognitions (DOMAIN §8: minimum necessary): no
    // person fields, and no traces, which read them.
    let employer_hire = kind == SubjectKind::Hire && matches!(cu.user.scope, Scope::Enterprise(_));
    if employer_hire {
        results.iter_mut().for_each(|r| r.trace = None);
    }
    let hires = match kind {
        SubjectKind::Enterprise => Some(
            s.store
                .hire_grants(&cat, &params, q.policy.as_deref(), id, q.date)
                .await?,
        ),
        _ => None,
    };
    let fields = subject
        .fields
        .iter()
        .filter(|(name, _)| !(employer_hire && name.starts_with("person.")))
        .map(|(name, value)| {
            let def = field(name);
            FieldRead {
                name: name.clone(),
                label: def.map_or_else(|| name.clone(), |d| d.label.to_string()),
                origin: def.map_or("", |d| d.origin).to_string(),
                value: value.clone(),
            }
        })
        .collect();
    let detail = format!("{} {}；{}", label, q.date, outcomes_text(&results));
    let target = format!("{}:{id}", kind.name());
    s.audit(&cu, "policy.eligibility", &target, detail).await?;
    Ok(Json(Eligibility {
        date: q.date,
        kind: kind.name().into(),
        id,
        label,
        region_name: RegionPrefix::parse(&subject.region)
            .map(|r| r.region().full_name())
            .unwrap_or_default(),
        region: subject.region.clone(),
        fields,
        results,
        eligible_total_fen,
        hires,
    }))
}
