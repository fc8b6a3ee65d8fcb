//! Policies (政策清单): the catalogue loaded at start-up and reloadable, the public list,
//! dated regional parameters with the values staff enter, and the evaluation of one subject
//! against one or all policies with the trace.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wenjiu_core::{RegionCode, RegionPrefix};
use wenjiu_store::policy::cases::convert_json;
use wenjiu_store::policy::overrides::{NewParamValue, ParamOverride};
use wenjiu_store::policy::rules::{
    Evaluation, GrantPeriod, Outcome, Parameters, Policy, Rounding, Subject, SubjectKind, Trace,
    Value, evaluate,
};
use wenjiu_store::policy::{Catalogue, LoadError, field, load_catalogue};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldProblem};

/// The loaded catalogue, shared by every request and replaced as a whole on reload.
#[derive(Clone, Default)]
pub struct PolicyState {
    dir: Option<PathBuf>,
    catalogue: Arc<RwLock<Option<Arc<Catalogue>>>>,
}

impl PolicyState {
    /// Loads the catalogue in `dir` (none without a directory).
    pub fn load(dir: Option<PathBuf>) -> Result<PolicyState, LoadError> {
        let catalogue = dir.as_deref().map(load_catalogue).transpose()?;
        Ok(PolicyState {
            dir,
            catalogue: Arc::new(RwLock::new(catalogue.map(Arc::new))),
        })
    }

    /// The catalogue in force, if one is loaded.
    pub fn current(&self) -> Option<Arc<Catalogue>> {
        self.catalogue
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn get(&self) -> ApiResult<Arc<Catalogue>> {
        self.current().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "policy.unavailable",
                "未加载政策清单：请以 --policies 指定政策清单目录后重新启动",
            )
        })
    }

    /// Loads the directory again; on an error the catalogue in force stays.
    fn reload(&self) -> ApiResult<Arc<Catalogue>> {
        let dir = self.dir.as_deref().ok_or_else(|| {
            ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "未配置政策清单目录，无法重新加载",
            )
        })?;
        let cat = Arc::new(load_catalogue(dir).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "policy.invalid",
                format!("政策清单有误，仍使用原清单：{e}"),
            )
        })?);
        *self.catalogue.write().unwrap_or_else(|e| e.into_inner()) = Some(cat.clone());
        Ok(cat)
    }
}

fn region_name(region: &str) -> String {
    RegionCode::parse(region)
        .map(|r| r.full_name())
        .unwrap_or_default()
}

/// A parameter a policy reads, with the province's value in force today.
#[derive(Serialize, ToSchema)]
pub struct PolicyParamView {
    pub name: String,
    /// int | money | rate | bool | string | date | string_list
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub ty: wenjiu_store::policy::rules::Type,
    pub unit: String,
    pub description: String,
    /// `{type, value}`; absent when the province has no value today.
    #[schema(value_type = Object)]
    pub province_value: Option<Value>,
    pub province_from: Option<NaiveDate>,
    pub province_source: Option<String>,
    /// The cities and counties whose own value in force today differs from the province's,
    /// in region order.
    pub local: Vec<LocalValue>,
}

/// A city's or county's own value of a parameter, in force today.
#[derive(Serialize, ToSchema)]
pub struct LocalValue {
    pub region: String,
    pub region_name: String,
    /// `{type, value}`
    #[schema(value_type = Object)]
    pub value: Value,
    pub from: NaiveDate,
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConditionView {
    pub name: String,
    /// The clause of the document it implements.
    pub clause: String,
    pub expr: String,
}

#[derive(Serialize, ToSchema)]
pub struct AmountView {
    /// In fen.
    pub formula: String,
    pub cap: Option<String>,
    #[schema(value_type = String)]
    pub round: Rounding,
}

#[derive(Serialize, ToSchema)]
pub struct LegalBasisView {
    pub document: String,
    pub clause: String,
}

/// One policy of the public list (政策清单).
#[derive(Serialize, ToSchema)]
pub struct PolicyView {
    pub id: String,
    pub name: String,
    pub legal_basis: LegalBasisView,
    /// person | enterprise | hire
    #[schema(value_type = String)]
    pub subject: SubjectKind,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub fund: String,
    pub exclusion_group: Option<String>,
    pub once_per_subject: bool,
    /// year | month: granted once per period; none when once per subject or left open.
    #[schema(value_type = Option<String>)]
    pub granted_per: Option<GrantPeriod>,
    pub conditions: Vec<ConditionView>,
    pub amount: AmountView,
    pub parameters: Vec<PolicyParamView>,
}

fn policy_view(p: &Policy, params: &Parameters, today: NaiveDate) -> PolicyView {
    let parameters = p
        .params()
        .filter_map(|(name, _)| params.get(name))
        .map(|param| {
            let province = param.lookup("21", today);
            let regions: std::collections::BTreeSet<&str> =
                param.values().iter().map(|v| v.region.as_str()).collect();
            let local = regions
                .into_iter()
                .filter_map(|region| param.lookup(region, today).filter(|v| v.region == region))
                .filter(|v| v.region != "21" && Some(&v.value) != province.map(|p| &p.value))
                .map(|v| LocalValue {
                    region: v.region.clone(),
                    region_name: region_name(&v.region),
                    value: v.value.clone(),
                    from: v.from,
                    source: v.source.clone(),
                })
                .collect();
            PolicyParamView {
                name: param.name.clone(),
                ty: param.ty,
                unit: param.unit.clone(),
                description: param.description.clone(),
                province_value: province.map(|v| v.value.clone()),
                province_from: province.map(|v| v.from),
                province_source: province.map(|v| v.source.clone()),
                local,
            }
        })
        .collect();
    PolicyView {
        id: p.id.clone(),
        name: p.name.clone(),
        legal_basis: LegalBasisView {
            document: p.legal_basis.document.clone(),
            clause: p.legal_basis.clause.clone(),
        },
        subject: p.subject,
        valid_from: p.valid_from,
        valid_to: p.valid_to,
        fund: p.fund.clone(),
        exclusion_group: p.exclusion_group.clone(),
        once_per_subject: p.once_per_subject,
        granted_per: p.granted_per,
        conditions: p
            .conditions
            .iter()
            .map(|c| ConditionView {
                name: c.name.clone(),
                clause: c.clause.clone(),
                expr: c.expr.text.clone(),
            })
            .collect(),
        amount: AmountView {
            formula: p.amount.formula.text.clone(),
            cap: p.amount.cap.as_ref().map(|c| c.text.clone()),
            round: p.amount.round,
        },
        parameters,
    }
}

/// The public policy list: every policy with its legal basis, conditions, amount and the
/// province's current parameter values. No login needed.
#[utoipa::path(get, path = "/policy/policies", tag = "policy",
    responses((status = 200, body = Vec<PolicyView>), (status = 503, body = ErrorBody)))]
pub async fn list_policies(State(s): State<AppState>) -> ApiResult<Json<Vec<PolicyView>>> {
    let cat = s.policy.get()?;
    let params = s.store.policy_params(&cat.params).await?;
    let today = s.store.today();
    Ok(Json(
        cat.set
            .policies()
            .iter()
            .map(|p| policy_view(p, &params, today))
            .collect(),
    ))
}

/// One policy of the public list. No login needed.
#[utoipa::path(get, path = "/policy/policies/{policy}", tag = "policy",
    params(("policy" = String, Path, description = "政策编号，如 hiring-si")),
    responses((status = 200, body = PolicyView), (status = 404, body = ErrorBody)))]
pub async fn get_policy(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PolicyView>> {
    let cat = s.policy.get()?;
    let p = cat.set.get(&id).ok_or_else(ApiError::not_found)?;
    let params = s.store.policy_params(&cat.params).await?;
    Ok(Json(policy_view(p, &params, s.store.today())))
}

/// One dated value of a parameter.
#[derive(Serialize, ToSchema)]
pub struct ParamHistoryEntry {
    pub from: NaiveDate,
    /// `{type, value}`
    #[schema(value_type = Object)]
    pub value: Value,
    pub source: String,
    /// file (the catalogue's parameter files) | database (entered by staff)
    pub origin: String,
    pub entered_by: Option<String>,
    pub entered_at: Option<String>,
}

/// A parameter's history in one region.
#[derive(Serialize, ToSchema)]
pub struct RegionHistory {
    pub region: String,
    pub region_name: String,
    pub values: Vec<ParamHistoryEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct ParameterView {
    pub name: String,
    /// int | money | rate | bool | string | date | string_list
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub ty: wenjiu_store::policy::rules::Type,
    pub unit: String,
    pub description: String,
    /// The policies reading it.
    pub policies: Vec<String>,
    /// Province first, then cities and counties; each region's values oldest first.
    pub regions: Vec<RegionHistory>,
}

/// Every parameter with its whole dated history per region: the files' values and those
/// entered by staff (who and when).
#[utoipa::path(get, path = "/policy/parameters", tag = "policy",
    responses((status = 200, body = Vec<ParameterView>), (status = 401, body = ErrorBody)))]
pub async fn parameters(
    State(s): State<AppState>,
    cu: CurrentUser,
) -> ApiResult<Json<Vec<ParameterView>>> {
    // Who entered a value is for the staff who set parameters, not for every signed-in user.
    let staff = cu.user.can("policy:param");
    let cat = s.policy.get()?;
    let stored = s.store.policy_param_values().await?;
    let params = wenjiu_store::policy::overrides::effective(&cat.params, &stored);
    let out = params
        .iter()
        .map(|p| {
            let mut regions: BTreeMap<(usize, String), Vec<ParamHistoryEntry>> = BTreeMap::new();
            for v in p.values() {
                let row = stored
                    .iter()
                    .find(|o| o.name == p.name && o.region == v.region && o.from == v.from);
                regions
                    .entry((v.region.len(), v.region.clone()))
                    .or_default()
                    .push(ParamHistoryEntry {
                        from: v.from,
                        value: v.value.clone(),
                        source: v.source.clone(),
                        origin: if row.is_some() { "database" } else { "file" }.into(),
                        entered_by: row.filter(|_| staff).map(|o| o.entered_by.clone()),
                        entered_at: row.map(|o| o.entered_at.clone()),
                    });
            }
            ParameterView {
                name: p.name.clone(),
                ty: p.ty,
                unit: p.unit.clone(),
                description: p.description.clone(),
                policies: cat
                    .set
                    .policies()
                    .iter()
                    .filter(|pol| pol.params().any(|(n, _)| n == p.name))
                    .map(|pol| pol.id.clone())
                    .collect(),
                regions: regions
                    .into_iter()
                    .map(|((_, region), values)| RegionHistory {
                        region_name: region_name(&region),
                        region,
                        values,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(out))
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "无".into(), wenjiu_store::policy::cases::show)
}

/// Adds a dated value of a parameter for a region within the user's scope (a city its own
/// overrides, the province anywhere). History is never overwritten: a value for the same
/// region and start date is a conflict.
#[utoipa::path(post, path = "/policy/parameters", tag = "policy", request_body = NewParamValue,
    responses((status = 200, body = ParamOverride), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_parameter(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(v): Json<NewParamValue>,
) -> ApiResult<Json<ParamOverride>> {
    let target = format!("param:{}:{}:{}", v.name, v.region, v.from);
    s.require_audited(
        &cu,
        "policy:param",
        "policy.param",
        &target,
        &v.value.to_string(),
    )
    .await?;
    let cat = s.policy.get()?;
    let before = s.store.policy_params(&cat.params).await?;
    let stored = s
        .store
        .add_policy_param_value(&cu.user.scope, &cu.user.username, &cat.params, &v)
        .await?;
    let after = s.store.policy_params(&cat.params).await?;
    let at = |p: &Parameters| {
        p.lookup(&stored.name, &stored.region, stored.from)
            .ok()
            .map(|x| x.value.clone())
    };
    let detail = format!(
        "{} 自 {} 起：{} → {}（{}）",
        region_name(&stored.region),
        stored.from,
        show(at(&before).as_ref()),
        show(at(&after).as_ref()),
        stored.source
    );
    let target = format!("param:{}:{}:{}", stored.name, stored.region, stored.from);
    s.audit(&cu, "policy.param", &target, detail).await?;
    Ok(Json(stored))
}

#[derive(Deserialize, ToSchema)]
pub struct SubjectInput {
    /// person | enterprise | hire
    pub kind: String,
    /// The subject's region code (county, 6 digits; a hire: the employer's).
    pub region: String,
    /// Field values by full name: {"person.age": 30, "hire.start_date": "2020-06-01"}; money
    /// in integer fen.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize, ToSchema)]
pub struct EvaluateInput {
    pub subject: SubjectInput,
    pub date: NaiveDate,
    /// One policy; all policies of the subject's kind when left out.
    pub policy: Option<String>,
}

/// The result of one policy: the outcome (`not_applicable`, `not_eligible` with `failed`,
/// `eligible` with `amount_fen`) and the trace; or `error` when the policy needs a field
/// that was not given.
#[derive(Serialize, ToSchema)]
pub struct PolicyResult {
    pub policy_id: String,
    pub policy_name: String,
    pub fund: String,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub outcome: Option<Outcome>,
    #[schema(value_type = Object)]
    pub trace: Option<Trace>,
    pub error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluateResult {
    pub date: NaiveDate,
    pub region: String,
    pub kind: String,
    pub results: Vec<PolicyResult>,
    /// Sum of the eligible amounts, in fen (policies of one exclusion group not combined).
    pub eligible_total_fen: i64,
}

fn field_error(field: &str, message: String) -> ApiError {
    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", &message);
    e.body.fields.push(FieldProblem {
        column: field.to_string(),
        message,
    });
    e
}

pub(crate) fn subject_kind(name: &str) -> Result<SubjectKind, String> {
    SubjectKind::from_name(name)
        .ok_or_else(|| format!("主体类别“{name}”应为 person、enterprise 或 hire"))
}

/// The policy with id `one`, or every policy about subjects of `kind`.
pub(crate) fn policies_of<'c>(
    cat: &'c Catalogue,
    kind: SubjectKind,
    one: Option<&str>,
) -> ApiResult<Vec<&'c Policy>> {
    Ok(match one {
        Some(id) => vec![cat.set.get(id).ok_or_else(ApiError::not_found)?],
        None => cat
            .set
            .policies()
            .iter()
            .filter(|p| p.subject == kind)
            .collect(),
    })
}

/// Each of `policies` on `subject` at `date` with its trace (or the error of a policy that
/// needs a field not given), and the eligible total: the best amount of each exclusion group,
/// as policies of one group cannot be combined.
pub(crate) fn evaluate_policies(
    policies: &[&Policy],
    subject: &Subject,
    date: NaiveDate,
    params: &Parameters,
) -> (Vec<PolicyResult>, i64) {
    let results: Vec<PolicyResult> = policies
        .iter()
        .map(|p| {
            let (outcome, trace, error) = match evaluate(p, subject, date, params) {
                Ok(Evaluation { outcome, trace }) => (Some(outcome), Some(trace), None),
                Err(e) => (None, None, Some(e.to_string())),
            };
            PolicyResult {
                policy_id: p.id.clone(),
                policy_name: p.name.clone(),
                fund: p.fund.clone(),
                outcome,
                trace,
                error,
            }
        })
        .collect();
    let mut best: BTreeMap<String, i64> = BTreeMap::new();
    for (p, r) in policies.iter().zip(&results) {
        if let Some(Outcome::Eligible { amount_fen }) = r.outcome {
            let group = p.exclusion_group.clone().unwrap_or_else(|| p.id.clone());
            let e = best.entry(group).or_insert(amount_fen);
            *e = (*e).max(amount_fen);
        }
    }
    let total = best.values().sum();
    (results, total)
}

/// The outcomes in one line for the audit record: `policy：eligible 1000；…`.
pub(crate) fn outcomes_text(results: &[PolicyResult]) -> String {
    let outcomes: Vec<String> = results
        .iter()
        .map(|r| {
            let o = match &r.outcome {
                Some(Outcome::Eligible { amount_fen }) => format!("eligible {amount_fen}"),
                Some(Outcome::NotEligible { failed }) => {
                    format!("not_eligible {}", failed.join(","))
                }
                Some(Outcome::NotApplicable) => "not_applicable".into(),
                None => "error".into(),
            };
            format!("{}：{o}", r.policy_id)
        })
        .collect();
    outcomes.join("；")
}

/// Whether a trial value can be a registry's or a supplied fact's, as those are checked when
/// recorded (decision 0010): a code of the field's list, no negative count or amount, and no
/// hire starting after the date evaluated.
fn check_value(name: &str, value: &Value, date: NaiveDate) -> Result<(), String> {
    let codes = field(name).map_or(&[][..], |d| d.codes());
    match value {
        Value::String(code) if !codes.iter().any(|(c, _)| c == code) => {
            let allowed: Vec<String> = codes.iter().map(|(c, l)| format!("{c}（{l}）")).collect();
            Err(format!("字段“{name}”的值应为 {} 之一", allowed.join("、")))
        }
        Value::Int(n) | Value::Money(n) if *n < 0 => Err(format!("字段“{name}”不能为负数")),
        Value::Date(start) if name == "hire.start_date" && *start > date => Err(format!(
            "招用日期 {start} 晚于试算日期 {date}：招用尚未开始"
        )),
        _ => Ok(()),
    }
}

/// Evaluates one subject on a date against one policy or every policy of its kind: the
/// packaged check "which subsidies can this subject get, and how much", with the trace of
/// each (conditions with the values read, parameters with region, date and source).
#[utoipa::path(post, path = "/policy/evaluate", tag = "policy", request_body = EvaluateInput,
    responses((status = 200, body = EvaluateResult), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn evaluate_subject(
    State(s): State<AppState>,
    cu: CurrentUser,
    Json(input): Json<EvaluateInput>,
) -> ApiResult<Json<EvaluateResult>> {
    cu.require("policy:evaluate")?;
    let cat = s.policy.get()?;
    let subj = &input.subject;
    let kind = subject_kind(&subj.kind).map_err(|m| field_error("subject.kind", m))?;
    let region = RegionPrefix::parse(subj.region.trim())
        .map_err(|e| field_error("subject.region", e.to_string()))?;
    let region = region.as_str().to_string();
    let mut subject = Subject::new(kind, &region);
    for (name, v) in &subj.fields {
        let ty = cat
            .schema
            .field(name)
            .ok_or_else(|| field_error(name, format!("未知字段“{name}”")))?;
        let root = name.split('.').next().unwrap_or_default();
        if !kind.roots().iter().any(|r| r.name() == root) {
            return Err(field_error(
                name,
                format!("字段“{name}”不属于主体类别 {}", kind.name()),
            ));
        }
        let value = convert_json(v, ty)
            .ok_or_else(|| field_error(name, format!("字段“{name}”的值应为{ty}")))?;
        check_value(name, &value, input.date).map_err(|m| field_error(name, m))?;
        subject.fields.insert(name.clone(), value);
    }
    let policies = policies_of(&cat, kind, input.policy.as_deref())?;
    let params = s.store.policy_params(&cat.params).await?;
    let (results, eligible_total_fen) = evaluate_policies(&policies, &subject, input.date, &params);
    // One policy asked for: its error is the answer.
    if let (Some(_), Some(error)) = (&input.policy, results.first().and_then(|r| r.error.clone())) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            error,
        ));
    }
    let target = input
        .policy
        .clone()
        .unwrap_or_else(|| format!("{}:*", kind.name()));
    let detail = format!(
        "{} {} {}；{}",
        kind.name(),
        region,
        input.date,
        outcomes_text(&results)
    );
    s.audit(&cu, "policy.evaluate", &target, detail).await?;
    Ok(Json(EvaluateResult {
        date: input.date,
        region,
        kind: kind.name().into(),
        results,
        eligible_total_fen,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Reloaded {
    pub policies: usize,
    pub parameters: usize,
}

/// Loads the catalogue again from its directory. A catalogue with an error is rejected (422,
/// naming the file and line) and the one in force stays.
#[utoipa::path(post, path = "/policy/reload", tag = "policy",
    responses((status = 200, body = Reloaded), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reload(State(s): State<AppState>, cu: CurrentUser) -> ApiResult<Json<Reloaded>> {
    let dir = s
        .policy
        .dir
        .as_ref()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    s.require_audited(&cu, "policy:admin", "policy.reload", &dir, "")
        .await?;
    match s.policy.reload() {
        Ok(cat) => {
            let r = Reloaded {
                policies: cat.set.policies().len(),
                parameters: cat.params.iter().count(),
            };
            let detail = format!("{} 项政策，{} 个参数", r.policies, r.parameters);
            s.audit(&cu, "policy.reload", &dir, detail).await?;
            Ok(Json(r))
        }
        Err(e) => {
            s.audit_outcome(&cu, "policy.reload", &dir, &e.body.message, "failed")
                .await?;
            Err(e)
        }
    }
}
