//! Layoff-plan filings (裁员方案备案): what each plan requires by law and by the province's
//! thresholds, the steps done with their evidence, the refusal to mark a plan implemented
//! before they are, the workers affected and where they are now, and the request for a
//! special job fair. A plan at the early-intervention threshold raises a warning, routed
//! like every other (200 people reach the province).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use wenjiu_core::indicators::Ratio;
use wenjiu_core::monitoring::Level;
use wenjiu_core::monitoring::layoff::{Grounds, LayoffPlan, Requirements, Step, Thresholds};
use wenjiu_core::monitoring::warning::Finding;
use wenjiu_core::{IdCardNo, Month, RegionCode};

use super::sample::region_filter;
use super::warnings::FILING_RULE;
use super::{corrupt, push_scope};
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::registry::region_name;
use crate::sql::Sql;
use crate::{Page, PageReq, Scope, Store, now};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct FilingInput {
    /// The enterprise; an enterprise user files for its own.
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub planned: i64,
    /// The enterprise's workforce, which Art. 41's 10% test runs on; when left out, the
    /// latest monitoring report's headcount (or the enrolment baseline).
    #[serde(default)]
    pub staff: Option<i64>,
    /// restructuring | serious_difficulty | change_of_production | objective_change
    pub grounds: String,
    #[schema(value_type = String, example = "2020-06-30")]
    pub planned_on: NaiveDate,
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct FilingStepInput {
    /// notify_staff | hear_opinions | report_labour | early_intervention | province_report
    pub step: String,
    #[schema(value_type = String)]
    pub done_on: NaiveDate,
    /// The document, meeting minutes or report number proving the step.
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    pub step: String,
    pub label: String,
    pub required: bool,
    /// Done by the HRSS department, not the enterprise.
    pub by_official: bool,
    pub done_on: Option<String>,
    pub evidence: Option<String>,
    pub username: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FilingRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub region: String,
    pub region_name: String,
    pub planned: i64,
    pub staff: i64,
    pub share_pct: String,
    pub grounds: String,
    pub grounds_label: String,
    pub planned_on: String,
    pub explanation: String,
    /// filed | implemented | withdrawn
    pub status: String,
    pub status_label: String,
    pub implemented_on: Option<String>,
    pub job_fair_requested_at: Option<String>,
    pub job_fair_note: Option<String>,
    pub filed_by: String,
    pub filed_at: String,
    #[schema(value_type = Object)]
    pub requirements: Requirements,
    pub steps: Vec<StepView>,
    /// Why it may not be marked implemented today (empty when it may).
    pub blockers: Vec<String>,
    pub workers: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkerRow {
    pub person_id: i64,
    pub name: String,
    pub id_masked: String,
    /// reemployed | unemployed | not_employed
    pub status: String,
    pub status_label: String,
    /// The new employer and start date, or the unemployment registration date.
    pub detail: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct FilingFilter {
    pub status: Option<String>,
    pub region: Option<String>,
}

const SELECT: &str = "SELECT f.id, f.enterprise_id, e.name AS enterprise_name, f.region, f.planned, f.staff, \
     f.grounds, f.planned_on, f.explanation, f.status, f.implemented_on, f.job_fair_requested_at, \
     f.job_fair_note, f.filed_by, f.filed_at, \
     (SELECT COUNT(*) FROM layoff_worker w WHERE w.filing_id = f.id) AS workers \
     FROM layoff_filing f JOIN enterprise e ON e.id = f.enterprise_id";

const LISTING: Listing = Listing {
    select: SELECT,
    from: " FROM layoff_filing f",
    id: "f.id",
    newest_first: true,
};

fn status_label(s: &str) -> &'static str {
    match s {
        "filed" => "已备案",
        "implemented" => "已实施",
        "withdrawn" => "已撤回",
        _ => "未知",
    }
}

fn plan_of(r: &AnyRow) -> Result<LayoffPlan> {
    let on: String = r.try_get("planned_on")?;
    Ok(LayoffPlan {
        planned: r.try_get("planned")?,
        staff: r.try_get("staff")?,
        planned_on: on.parse().map_err(|e| corrupt("裁员日期", e))?,
    })
}

fn field(column: &'static str, header: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::invalid(column, header, "field.invalid", message)
}

impl Store {
    pub fn layoff_thresholds(&self) -> Thresholds {
        Thresholds::default()
    }

    /// Files a plan; returns its id. A plan at the early-intervention threshold raises a
    /// warning at once, routed by its size.
    pub async fn file_layoff(
        &self,
        scope: &Scope,
        actor: &str,
        input: &FilingInput,
    ) -> Result<i64> {
        let enterprise_id = match (scope, input.enterprise_id) {
            (Scope::Enterprise(own), _) => *own,
            (_, Some(id)) => id,
            (_, None) => return Err(field("enterprise_id", "企业", "请选择备案的企业")),
        };
        let e = self.enterprise(scope, enterprise_id).await?;
        let grounds = Grounds::parse(&input.grounds).ok_or_else(|| {
            field(
                "grounds",
                "裁员理由",
                format!(
                    "裁员理由“{}”不是劳动合同法第四十一条所列情形",
                    input.grounds
                ),
            )
        })?;
        let staff = match input.staff {
            Some(n) => n,
            None => self.reported_staff(enterprise_id).await?.ok_or_else(|| {
                field(
                    "staff",
                    "职工总数",
                    "该企业没有监测月报或建档人数，请填写职工总数",
                )
            })?,
        };
        let plan = LayoffPlan {
            planned: input.planned,
            staff,
            planned_on: input.planned_on,
        };
        plan.check()
            .map_err(|m| field("planned", "拟裁减人数", m))?;
        plan.check_filed_on(self.today())
            .map_err(|m| field("planned_on", "裁员日期", m))?;
        // The same plan filed twice (a repeated submission) would count its layoffs twice.
        let mut same =
            Sql::new("SELECT id FROM layoff_filing WHERE status = 'filed' AND enterprise_id = ");
        same.bind(enterprise_id)
            .push(" AND planned = ")
            .bind(plan.planned)
            .push(" AND planned_on = ")
            .bind(plan.planned_on.to_string())
            .push(" AND grounds = ")
            .bind(grounds.code());
        if let Some(row) = same.query(self.backend).fetch_optional(&self.pool).await? {
            let id: i64 = row.try_get("id")?;
            return Err(StoreError::Conflict(format!(
                "该企业已备案相同的裁员方案（编号 {id}），请勿重复备案；如需变更请先撤回原备案"
            )));
        }
        let at = now();
        let mut sql = Sql::new(
            "INSERT INTO layoff_filing (enterprise_id, region, planned, staff, grounds, planned_on, \
             explanation, status, filed_by, filed_at, updated_at) VALUES ",
        );
        sql.bind_list([
            enterprise_id.into(),
            e.region.clone().into(),
            plan.planned.into(),
            plan.staff.into(),
            grounds.code().into(),
            plan.planned_on.to_string().into(),
            input.explanation.trim().into(),
            "filed".into(),
            actor.into(),
            at.clone().into(),
            at.into(),
        ])
        .push(" RETURNING id");
        let id: i64 = sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("id")?;
        self.raise_filing_warning(id, enterprise_id, &e.region, &e.name, &plan)
            .await?;
        Ok(id)
    }

    /// The enterprise's latest reported headcount, or its enrolment baseline.
    async fn reported_staff(&self, enterprise_id: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT COALESCE((SELECT r.headcount FROM monitoring_report r WHERE r.enterprise_id = m.enterprise_id \
             AND r.status <> 'returned' ORDER BY r.month DESC LIMIT 1), m.baseline) AS staff \
             FROM monitored_enterprise m WHERE m.enterprise_id = $1",
        )
        .bind(enterprise_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get("staff"))
            .transpose()
            .map_err(Into::into)
    }

    async fn raise_filing_warning(
        &self,
        filing_id: i64,
        enterprise_id: i64,
        region: &str,
        name: &str,
        plan: &LayoffPlan,
    ) -> Result<()> {
        let t = self.layoff_thresholds();
        let r = plan.requirements(&t);
        if !r.early_intervention {
            return Ok(());
        }
        let finding = Finding {
            rule: FILING_RULE.into(),
            level: if r.province_report {
                Level::Red
            } else {
                Level::Orange
            },
            region: RegionCode::parse(region).map_err(|e| corrupt("地区", e))?,
            enterprise_id: Some(enterprise_id),
            people: plan.planned,
            rate: Ratio::of_counts(plan.planned, plan.staff),
            detail: format!(
                "{name}备案拟于 {} 裁减 {} 人（职工 {} 人），备案号 {filing_id}",
                plan.planned_on, plan.planned, plan.staff
            ),
        };
        let routing = self.warning_routing().await?;
        self.insert_warnings(
            Month::of(self.today()),
            &[(&finding, "裁员方案备案（达到提前介入人数）")],
            filing_id,
            &routing,
            "企业备案裁员方案",
        )
        .await?;
        Ok(())
    }

    pub async fn filings(
        &self,
        scope: &Scope,
        f: &FilingFilter,
        page: PageReq,
    ) -> Result<Page<FilingRow>> {
        let mut filter = Sql::new(" WHERE 1 = 1");
        push_scope(scope, "f.region", "f.enterprise_id", &mut filter);
        region_filter(f.region.as_deref(), "f.region", &mut filter)?;
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            filter.push(" AND f.status = ").bind(s.to_string());
        }
        let rows: Page<FilingData> = self.page(&LISTING, &filter, page, FilingData::of).await?;
        let ids: Vec<i64> = rows.rows.iter().map(|r| r.id).collect();
        let mut done = self.steps_done(&ids).await?;
        let out = rows
            .rows
            .into_iter()
            .map(|r| {
                let steps = done.remove(&r.id).unwrap_or_default();
                self.filing_view(r, &steps)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            total: rows.total,
            page: rows.page,
            page_size: rows.page_size,
            rows: out,
        })
    }

    pub async fn filing(&self, scope: &Scope, id: i64) -> Result<FilingRow> {
        let mut sql = Sql::new(SELECT);
        sql.push(" WHERE f.id = ").bind(id);
        push_scope(scope, "f.region", "f.enterprise_id", &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let steps = self
            .steps_done(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        self.filing_view(FilingData::of(&row)?, &steps)
    }

    /// The steps done of each filing in `ids`, in one query.
    async fn steps_done(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<StepDone>>> {
        let mut out: HashMap<i64, Vec<StepDone>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut sql = Sql::new(
            "SELECT filing_id, step, done_on, evidence, username FROM layoff_step WHERE filing_id IN ",
        );
        sql.bind_list(ids.iter().map(|id| (*id).into()));
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let code: String = r.try_get("step")?;
            let on: String = r.try_get("done_on")?;
            out.entry(r.try_get("filing_id")?)
                .or_default()
                .push(StepDone {
                    step: Step::parse(&code).ok_or_else(|| corrupt("备案步骤", &code))?,
                    done_on: on.parse().map_err(|e| corrupt("步骤日期", e))?,
                    evidence: r.try_get("evidence")?,
                    username: r.try_get("username")?,
                });
        }
        Ok(out)
    }

    fn filing_view(&self, d: FilingData, done: &[StepDone]) -> Result<FilingRow> {
        let t = self.layoff_thresholds();
        let required = d.plan.required_steps(&t);
        let steps = Step::ALL
            .iter()
            .filter(|s| required.contains(s) || done.iter().any(|r| r.step == **s))
            .map(|s| {
                let rec = done.iter().find(|r| r.step == *s);
                StepView {
                    step: s.code().into(),
                    label: s.label().into(),
                    required: required.contains(s),
                    by_official: s.by_official(),
                    done_on: rec.map(|r| r.done_on.to_string()),
                    evidence: rec.map(|r| r.evidence.clone()),
                    username: rec.map(|r| r.username.clone()),
                }
            })
            .collect();
        let blockers = if d.status == "filed" {
            let dates: Vec<(Step, NaiveDate)> = done.iter().map(|r| (r.step, r.done_on)).collect();
            d.plan.blockers(&t, &dates, self.today())
        } else {
            vec![]
        };
        let grounds = Grounds::parse(&d.grounds).ok_or_else(|| corrupt("裁员理由", &d.grounds))?;
        Ok(FilingRow {
            id: d.id,
            enterprise_id: d.enterprise_id,
            enterprise_name: d.enterprise_name,
            region_name: region_name(&d.region),
            region: d.region,
            planned: d.plan.planned,
            staff: d.plan.staff,
            share_pct: Ratio::of_counts(d.plan.planned, d.plan.staff)
                .map(|r| r.round_percent(1).to_string())
                .unwrap_or_default(),
            grounds: d.grounds,
            grounds_label: grounds.label().into(),
            planned_on: d.plan.planned_on.to_string(),
            explanation: d.explanation,
            status_label: status_label(&d.status).into(),
            status: d.status,
            implemented_on: d.implemented_on,
            job_fair_requested_at: d.job_fair_requested_at,
            job_fair_note: d.job_fair_note,
            filed_by: d.filed_by,
            filed_at: d.filed_at,
            requirements: d.plan.requirements(&t),
            steps,
            blockers,
            workers: d.workers,
        })
    }

    /// Records a step with its date and evidence. Steps of the HRSS department are not the
    /// enterprise's to record.
    pub async fn record_filing_step(
        &self,
        scope: &Scope,
        actor: &str,
        id: i64,
        input: &FilingStepInput,
    ) -> Result<FilingRow> {
        let f = self.filing(scope, id).await?;
        let step = Step::parse(&input.step)
            .ok_or_else(|| field("step", "步骤", format!("步骤“{}”不存在", input.step)))?;
        if f.status != "filed" {
            return Err(StoreError::Conflict(format!(
                "该备案{}，不能再登记步骤",
                f.status_label
            )));
        }
        if step.by_official() && matches!(scope, Scope::Enterprise(_)) {
            return Err(StoreError::OutOfScope(format!(
                "“{}”由人社部门登记",
                step.label()
            )));
        }
        if input.done_on > self.today() {
            return Err(field(
                "done_on",
                "完成日期",
                format!("完成日期 {} 晚于今天，步骤须完成后登记", input.done_on),
            ));
        }
        if input.evidence.trim().is_empty() {
            return Err(field(
                "evidence",
                "佐证材料",
                "请填写佐证材料（文件名称、文号或会议记录）",
            ));
        }
        let mut sql = Sql::new(
            "INSERT INTO layoff_step (filing_id, step, done_on, evidence, username, at) VALUES ",
        );
        sql.bind_list([
            id.into(),
            step.code().into(),
            input.done_on.to_string().into(),
            input.evidence.trim().into(),
            actor.into(),
            now().into(),
        ])
        .push(
            " ON CONFLICT (filing_id, step) DO UPDATE SET done_on = excluded.done_on, \
             evidence = excluded.evidence, username = excluded.username, at = excluded.at",
        );
        sql.query(self.backend).execute(&self.pool).await?;
        self.filing(scope, id).await
    }

    /// Marks the plan implemented, refused with every missing step while any is.
    pub async fn implement_filing(&self, scope: &Scope, id: i64) -> Result<FilingRow> {
        let f = self.filing(scope, id).await?;
        if f.status != "filed" {
            return Err(StoreError::Conflict(format!("该备案{}", f.status_label)));
        }
        if !f.blockers.is_empty() {
            return Err(StoreError::Conflict(format!(
                "尚不能标记为已实施：{}",
                f.blockers.join("；")
            )));
        }
        let mut conn = self.pool.acquire().await?;
        self.set_filing_status(&mut conn, id, "implemented", Some(self.today().to_string()))
            .await?;
        self.filing(scope, id).await
    }

    pub async fn withdraw_filing(&self, scope: &Scope, id: i64) -> Result<FilingRow> {
        let f = self.filing(scope, id).await?;
        if f.status != "filed" {
            return Err(StoreError::Conflict(format!(
                "该备案{}，不能撤回",
                f.status_label
            )));
        }
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        self.set_filing_status(&mut tx, id, "withdrawn", None)
            .await?;
        self.end_filing_warnings(&mut tx, id).await?;
        tx.commit().await?;
        self.filing(scope, id).await
    }

    async fn set_filing_status(
        &self,
        conn: &mut AnyConnection,
        id: i64,
        status: &str,
        on: Option<String>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE layoff_filing SET status = $1, implemented_on = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(status.to_string())
        .bind(on)
        .bind(now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    pub async fn request_job_fair(&self, scope: &Scope, id: i64, note: &str) -> Result<FilingRow> {
        let f = self.filing(scope, id).await?;
        if f.status == "withdrawn" {
            return Err(StoreError::Conflict("该备案已撤回".into()));
        }
        if note.trim().is_empty() {
            return Err(field(
                "note",
                "招聘会需求",
                "请说明专场招聘会的需求（岗位、时间、地点）",
            ));
        }
        sqlx::query(
            "UPDATE layoff_filing SET job_fair_requested_at = $1, job_fair_note = $2, updated_at = $1 WHERE id = $3",
        )
        .bind(now())
        .bind(note.trim().to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        self.filing(scope, id).await
    }

    /// Adds the workers named by ID number; each must be registered as employed by the
    /// enterprise. Unknown numbers are reported by number (masked) and nothing is added; a
    /// withdrawn plan takes none, and no plan more than it lays off.
    pub async fn add_filing_workers(
        &self,
        scope: &Scope,
        id: i64,
        id_numbers: &[String],
    ) -> Result<usize> {
        let f = self.filing(scope, id).await?;
        if f.status == "withdrawn" {
            return Err(StoreError::Conflict(
                "该备案已撤回，不能登记被裁减职工".into(),
            ));
        }

        let mut person_ids = Vec::new();
        let mut problems = Vec::new();
        for (i, text) in id_numbers.iter().enumerate() {
            let n = i + 1;
            let id_no = match IdCardNo::parse(text) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("第 {n} 个身份证号：{e}"));
                    continue;
                }
            };
            let row = sqlx::query(
                "SELECT p.id FROM person p WHERE p.id_index = $1 AND EXISTS (SELECT 1 FROM employment x \
                 WHERE x.person_id = p.id AND x.enterprise_id = $2)",
            )
            .bind(self.id_index(&id_no))
            .bind(f.enterprise_id)
            .fetch_optional(&self.pool)
            .await?;
            match row {
                Some(r) => person_ids.push(r.try_get::<i64, _>("id")?),
                None => problems.push(format!(
                    "第 {n} 个身份证号 {} 不是该企业登记在册的职工",
                    id_no.masked()
                )),
            }
        }
        if !problems.is_empty() {
            return Err(field("id_numbers", "身份证号", problems.join("；")));
        }
        let listed: Vec<i64> =
            sqlx::query("SELECT person_id FROM layoff_worker WHERE filing_id = $1")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get("person_id"))
                .collect::<std::result::Result<_, _>>()?;
        person_ids.sort_unstable();
        person_ids.dedup();
        person_ids.retain(|p| !listed.contains(p));
        let new = person_ids.len() as i64;
        if f.workers + new > f.planned {
            return Err(field(
                "id_numbers",
                "身份证号",
                format!(
                    "已登记 {} 人，再登记 {new} 人将超过拟裁减人数 {}",
                    f.workers, f.planned
                ),
            ));
        }
        self.add_workers_by_id(id, &person_ids).await
    }

    /// Adds workers by person id (the demo; the API goes through ID numbers).
    pub async fn add_workers_by_id(&self, filing_id: i64, person_ids: &[i64]) -> Result<usize> {
        for chunk in person_ids.chunks(500) {
            let mut sql = Sql::new("INSERT INTO layoff_worker (filing_id, person_id) VALUES ");
            for p in chunk.iter() {
                sql.bind_row([filing_id.into(), (*p).into()]);
            }
            sql.push(" ON CONFLICT (filing_id, person_id) DO NOTHING");
            sql.query(self.backend).execute(&self.pool).await?;
        }
        Ok(person_ids.len())
    }

    /// People registered as employed by the enterprise, up to `limit`, by id.
    pub async fn employees_of(&self, enterprise_id: i64, limit: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT person_id FROM employment WHERE enterprise_id = $1 ORDER BY person_id LIMIT $2",
        )
        .bind(enterprise_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("person_id")?)).collect()
    }

    /// The workers of a filing and where each stands since the layoff: re-employed (a later
    /// employment registration elsewhere), registered unemployed, or neither.
    pub async fn filing_workers(&self, scope: &Scope, id: i64) -> Result<Vec<WorkerRow>> {
        let f = self.filing(scope, id).await?;
        let since = f.implemented_on.clone().unwrap_or(f.planned_on.clone());
        let rows = sqlx::query(
            "SELECT p.id, p.name, p.id_masked, \
             (SELECT MIN(x.start_date) FROM employment x WHERE x.person_id = p.id AND x.start_date > $1 \
              AND (x.enterprise_id IS NULL OR x.enterprise_id <> $2)) AS reemployed_on, \
             (SELECT MIN(u.registered_on) FROM unemployment u WHERE u.person_id = p.id \
              AND u.registered_on >= $1) AS unemployed_on \
             FROM layoff_worker w JOIN person p ON p.id = w.person_id WHERE w.filing_id = $3 ORDER BY p.id",
        )
        .bind(since)
        .bind(f.enterprise_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let re: Option<String> = r.try_get("reemployed_on")?;
                let un: Option<String> = r.try_get("unemployed_on")?;
                let (status, label, detail) = match (re, un) {
                    (Some(d), _) => ("reemployed", "已再就业", format!("{d} 起就业")),
                    (None, Some(d)) => ("unemployed", "已失业登记", format!("{d} 失业登记")),
                    (None, None) => ("not_employed", "未就业", String::new()),
                };
                Ok(WorkerRow {
                    person_id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    id_masked: r.try_get("id_masked")?,
                    status: status.into(),
                    status_label: label.into(),
                    detail,
                })
            })
            .collect()
    }
}

/// A step recorded as done.
struct StepDone {
    step: Step,
    done_on: NaiveDate,
    evidence: String,
    username: String,
}

/// A filing row as read, before its steps are joined in.
struct FilingData {
    id: i64,
    enterprise_id: i64,
    enterprise_name: String,
    region: String,
    plan: LayoffPlan,
    grounds: String,
    explanation: String,
    status: String,
    implemented_on: Option<String>,
    job_fair_requested_at: Option<String>,
    job_fair_note: Option<String>,
    filed_by: String,
    filed_at: String,
    workers: i64,
}

impl FilingData {
    fn of(r: &AnyRow) -> Result<FilingData> {
        Ok(FilingData {
            id: r.try_get("id")?,
            enterprise_id: r.try_get("enterprise_id")?,
            enterprise_name: r.try_get("enterprise_name")?,
            region: r.try_get("region")?,
            plan: plan_of(r)?,
            grounds: r.try_get("grounds")?,
            explanation: r.try_get("explanation")?,
            status: r.try_get("status")?,
            implemented_on: r.try_get("implemented_on")?,
            job_fair_requested_at: r.try_get("job_fair_requested_at")?,
            job_fair_note: r.try_get("job_fair_note")?,
            filed_by: r.try_get("filed_by")?,
            filed_at: r.try_get("filed_at")?,
            workers: r.try_get("workers")?,
        })
    }
}
