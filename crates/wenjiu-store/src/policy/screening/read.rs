//! Reading screening runs and their results within the caller's scope: a run is visible to
//! those whose scope it covers or lies in; its results only in the caller's scope; personal
//! numbers masked as in the registry lists.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::{Money, RegionPrefix};

use super::RunTotals;
use crate::error::Result;
use crate::listing::Listing;
use crate::policy::Catalogue;
use crate::policy::overrides::invalid;
use crate::registry::export::Sheet;
use crate::registry::region_name;
use crate::sql::{Sql, Val, prefix_upper};
use crate::{Page, PageReq, Scope, Store};

/// One screening run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunRow {
    pub id: i64,
    /// The background job showing its progress (none for a run from the command line).
    pub job_id: Option<i64>,
    pub started_by: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// The date the policies were evaluated at.
    pub date: String,
    /// The region prefix screened ("" for the whole registry).
    pub region: String,
    pub region_name: String,
    /// One policy, or none for the whole catalogue.
    pub policy_id: Option<String>,
    /// running | done | failed
    pub status: String,
    pub error: Option<String>,
    /// The whole run's totals; absent when the run covers more than the caller's scope
    /// (the summary then holds the caller's part).
    pub totals: Option<RunTotals>,
}

/// Beneficiaries and amount of one policy in one city.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummaryCell {
    /// The city's 4-digit prefix.
    pub city: String,
    pub city_name: String,
    pub policy_id: String,
    pub beneficiaries: i64,
    pub amount_fen: i64,
}

/// The sum of the cells of one policy, or of all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SummaryTotal {
    /// None in the grand total.
    pub policy_id: Option<String>,
    pub beneficiaries: i64,
    pub amount_fen: i64,
}

/// A run's results per city and policy within the caller's scope, with the totals per
/// policy and overall, which are the sums of the cells.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub run: RunRow,
    pub cells: Vec<SummaryCell>,
    pub by_policy: Vec<SummaryTotal>,
    pub total: SummaryTotal,
}

/// A policy's beneficiary: who, where and how much — a run's result, or a grant.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Beneficiary {
    pub policy_id: String,
    /// person | enterprise | hire
    pub subject_kind: String,
    /// The person, enterprise or employment registration (hire).
    pub subject_id: i64,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// Masked as in the registry lists.
    pub id_no_masked: Option<String>,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub credit_code: Option<String>,
    pub region: String,
    pub region_name: String,
    pub amount_fen: i64,
}

/// The columns of a beneficiary in an export.
pub(super) const BENEFICIARY_HEADERS: [&str; 10] = [
    "政策编号",
    "政策名称",
    "对象类别",
    "姓名",
    "身份证号",
    "单位名称",
    "统一社会信用代码",
    "地区代码",
    "地区",
    "金额（元）",
];

impl Beneficiary {
    /// The fields of a row selected with the person's and enterprise's names (see
    /// `RESULT_LISTING`).
    pub(super) fn of_row(r: &AnyRow) -> Result<Beneficiary> {
        let region: String = r.try_get("region")?;
        Ok(Beneficiary {
            policy_id: r.try_get("policy_id")?,
            subject_kind: r.try_get("subject_kind")?,
            subject_id: r.try_get("subject_id")?,
            person_id: r.try_get("person_id")?,
            person_name: r.try_get("person_name")?,
            id_no_masked: r.try_get("id_masked")?,
            enterprise_id: r.try_get("enterprise_id")?,
            enterprise_name: r.try_get("enterprise_name")?,
            credit_code: r.try_get("credit_code")?,
            region_name: region_name(&region),
            region,
            amount_fen: r.try_get("amount_fen")?,
        })
    }

    /// Its cells under `BENEFICIARY_HEADERS`.
    pub(super) fn cells(self, cat: &Catalogue) -> Vec<String> {
        let name = cat.set.get(&self.policy_id).map(|p| p.name.clone());
        vec![
            self.policy_id,
            name.unwrap_or_default(),
            kind_label(&self.subject_kind).to_string(),
            self.person_name.unwrap_or_default(),
            self.id_no_masked.unwrap_or_default(),
            self.enterprise_name.unwrap_or_default(),
            self.credit_code.unwrap_or_default(),
            self.region,
            self.region_name,
            Money::from_fen(self.amount_fen).to_string(),
        ]
    }
}

/// One potential beneficiary of a run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScreeningResult {
    pub id: i64,
    #[serde(flatten)]
    pub beneficiary: Beneficiary,
    /// Its standing grant, once confirmed for payment.
    pub grant_id: Option<i64>,
}

/// Filters of a list of beneficiaries: a run's results, or the ledger of grants.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResultFilter {
    pub policy: Option<String>,
    /// A region prefix (within the caller's scope, which applies anyway).
    pub region: Option<String>,
    /// person | enterprise | hire
    pub kind: Option<String>,
    /// Results: pending (not confirmed) | granted (confirmed, not revoked). Grants: standing
    /// | revoked.
    pub status: Option<String>,
}

const RUN_LISTING: Listing = Listing {
    select: "SELECT s.* FROM screening_run s WHERE 1 = 1",
    from: " FROM screening_run s WHERE 1 = 1",
    id: "s.id",
    newest_first: true,
};

const RESULT_LISTING: Listing = Listing {
    select: "SELECT r.id, r.policy_id, r.subject_kind, r.subject_id, r.person_id, r.enterprise_id, \
        r.region, r.amount_fen, p.name AS person_name, p.id_masked, n.name AS enterprise_name, \
        n.credit_code, g.id AS grant_id FROM screening_result r \
        LEFT JOIN person p ON p.id = r.person_id LEFT JOIN enterprise n ON n.id = r.enterprise_id \
        LEFT JOIN policy_grant g ON g.result_id = r.id AND g.revoked_at IS NULL WHERE 1 = 1",
    from: " FROM screening_result r \
        LEFT JOIN policy_grant g ON g.result_id = r.id AND g.revoked_at IS NULL WHERE 1 = 1",
    id: "r.id",
    newest_first: false,
};

/// Runs the caller may see: over its region or a wider one, or inside it.
fn push_run_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::All => {}
        Scope::Enterprise(_) => {
            sql.push(" AND 1 = 0");
        }
        Scope::Region(p) => {
            let p = p.as_str();
            let mut wider: Vec<Val> = vec!["".into()];
            wider.extend((2..=p.len()).step_by(2).map(|n| Val::from(&p[..n])));
            sql.push(" AND (s.region IN ")
                .bind_list(wider)
                .push(" OR (s.region >= ")
                .bind(p)
                .push(" AND s.region < ")
                .bind(prefix_upper(p))
                .push("))");
        }
    }
}

fn push_result_scope(scope: &Scope, sql: &mut Sql) {
    match scope {
        Scope::All => {}
        Scope::Enterprise(_) => {
            sql.push(" AND 1 = 0");
        }
        Scope::Region(p) => Scope::push_region(p.as_str(), "r.region", sql),
    }
}

fn row_to_run(scope: &Scope, r: &AnyRow) -> Result<RunRow> {
    let region: String = r.try_get("region")?;
    let whole = match scope {
        Scope::All => true,
        Scope::Region(p) => region.starts_with(p.as_str()),
        Scope::Enterprise(_) => false,
    };
    let status: String = r.try_get("status")?;
    let totals = (whole && status == "done")
        .then(|| -> Result<RunTotals> {
            Ok(RunTotals {
                subjects: r.try_get("subjects")?,
                beneficiaries: r.try_get("beneficiaries")?,
                amount_fen: r.try_get("amount_fen")?,
                already_granted: r.try_get("already_granted")?,
            })
        })
        .transpose()?;
    Ok(RunRow {
        id: r.try_get("id")?,
        job_id: r.try_get("job_id")?,
        started_by: r.try_get("started_by")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        date: r.try_get("as_of")?,
        region_name: if region.is_empty() {
            "全部地区".to_string()
        } else {
            region_name(&region)
        },
        region,
        policy_id: r.try_get("policy_id")?,
        status,
        error: r.try_get("error")?,
        totals,
    })
}

fn row_to_result(r: &AnyRow) -> Result<ScreeningResult> {
    Ok(ScreeningResult {
        id: r.try_get("id")?,
        beneficiary: Beneficiary::of_row(r)?,
        grant_id: r.try_get("grant_id")?,
    })
}

/// The city (地市) name of a 4-digit prefix.
pub(super) fn city_name(city: &str) -> String {
    RegionPrefix::parse(city)
        .map(|p| p.region().name().to_string())
        .unwrap_or_default()
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "person" => "个人",
        "enterprise" => "单位",
        "hire" => "单位吸纳个人",
        other => other,
    }
}

/// A status a list is filtered by: its value, its label and its condition.
pub(super) type Status = (&'static str, &'static str, &'static str);

/// The statuses of a run's results (`g`: the result's standing grant).
const RESULT_STATUSES: &[Status] = &[
    ("pending", "待确认", " AND g.id IS NULL"),
    ("granted", "已确认", " AND g.id IS NOT NULL"),
];

impl ResultFilter {
    /// The filters as conditions on the beneficiary table aliased `t`, the status one of
    /// `statuses`.
    pub(super) fn push(&self, t: &str, statuses: &[Status], sql: &mut Sql) -> Result<()> {
        let given = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        if let Some(region) = given(&self.region) {
            let p = RegionPrefix::parse(region.trim())
                .map_err(|e| invalid("region", "地区", e.to_string()))?;
            Scope::push_region(p.as_str(), &format!("{t}.region"), sql);
        }
        if let Some(policy) = given(&self.policy) {
            sql.push(&format!(" AND {t}.policy_id = ")).bind(policy);
        }
        if let Some(kind) = given(&self.kind) {
            if !["person", "enterprise", "hire"].contains(&kind.as_str()) {
                return Err(invalid(
                    "kind",
                    "对象类别",
                    format!("对象类别“{kind}”应为 person、enterprise 或 hire"),
                ));
            }
            sql.push(&format!(" AND {t}.subject_kind = ")).bind(kind);
        }
        if let Some(status) = given(&self.status) {
            let Some((_, _, condition)) = statuses.iter().find(|s| s.0 == status) else {
                let known: Vec<String> = statuses
                    .iter()
                    .map(|(v, label, _)| format!("{v}（{label}）"))
                    .collect();
                return Err(invalid(
                    "status",
                    "状态",
                    format!("状态“{status}”应为{}", known.join("或")),
                ));
            };
            sql.push(condition);
        }
        Ok(())
    }
}

/// The WHERE fragment of the results of run `id`, already known visible to the caller: the
/// caller's scope and the filters.
pub(super) fn results_of(scope: &Scope, id: i64, f: &ResultFilter) -> Result<Sql> {
    let mut sql = Sql::new(" AND r.run_id = ");
    sql.bind(id);
    push_result_scope(scope, &mut sql);
    f.push("r", RESULT_STATUSES, &mut sql)?;
    Ok(sql)
}

impl Store {
    /// The screening runs the caller may see, newest first.
    pub async fn screening_runs(&self, scope: &Scope, page: PageReq) -> Result<Page<RunRow>> {
        let mut filter = Sql::new("");
        push_run_scope(scope, &mut filter);
        self.page(&RUN_LISTING, &filter, page, |r| row_to_run(scope, r))
            .await
    }

    /// One run, if the caller may see it.
    pub async fn screening_run(&self, scope: &Scope, id: i64) -> Result<RunRow> {
        let mut sql = Sql::new(RUN_LISTING.select);
        sql.push(" AND s.id = ").bind(id);
        push_run_scope(scope, &mut sql);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        row_to_run(scope, &row)
    }

    /// A run's beneficiaries and amounts per city and policy, within the caller's scope.
    pub async fn screening_summary(&self, scope: &Scope, id: i64) -> Result<Summary> {
        let run = self.screening_run(scope, id).await?;
        let mut sql = Sql::new(
            "SELECT SUBSTR(r.region, 1, 4) AS city, r.policy_id, COUNT(*) AS n, \
             CAST(COALESCE(SUM(r.amount_fen), 0) AS BIGINT) AS amount \
             FROM screening_result r WHERE r.run_id = ",
        );
        sql.bind(id);
        push_result_scope(scope, &mut sql);
        sql.push(" GROUP BY SUBSTR(r.region, 1, 4), r.policy_id ORDER BY 1, 2");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let cells = rows
            .iter()
            .map(|r| {
                let city: String = r.try_get("city")?;
                Ok(SummaryCell {
                    city_name: city_name(&city),
                    city,
                    policy_id: r.try_get("policy_id")?,
                    beneficiaries: r.try_get("n")?,
                    amount_fen: r.try_get("amount")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut by_policy: Vec<SummaryTotal> = Vec::new();
        let mut total = SummaryTotal::default();
        for c in &cells {
            let i = match by_policy
                .iter()
                .position(|t| t.policy_id.as_deref() == Some(&c.policy_id))
            {
                Some(i) => i,
                None => {
                    by_policy.push(SummaryTotal {
                        policy_id: Some(c.policy_id.clone()),
                        ..SummaryTotal::default()
                    });
                    by_policy.len() - 1
                }
            };
            for t in [&mut by_policy[i], &mut total] {
                t.beneficiaries += c.beneficiaries;
                t.amount_fen += c.amount_fen;
            }
        }
        by_policy.sort_by(|a, b| a.policy_id.cmp(&b.policy_id));
        Ok(Summary {
            run,
            cells,
            by_policy,
            total,
        })
    }

    /// The WHERE fragment of a run's results: the run (visible to the caller), the caller's
    /// scope and the filters.
    async fn result_filter(&self, scope: &Scope, id: i64, f: &ResultFilter) -> Result<Sql> {
        self.screening_run(scope, id).await?;
        results_of(scope, id, f)
    }

    /// One page of a run's results within the caller's scope.
    pub async fn screening_results(
        &self,
        scope: &Scope,
        id: i64,
        f: &ResultFilter,
        page: PageReq,
    ) -> Result<Page<ScreeningResult>> {
        let filter = self.result_filter(scope, id, f).await?;
        self.page(&RESULT_LISTING, &filter, page, row_to_result)
            .await
    }

    /// A run's results within the caller's scope as XLSX (masked); the bytes and row count.
    pub async fn screening_export(
        &self,
        scope: &Scope,
        id: i64,
        f: &ResultFilter,
        cat: &Catalogue,
    ) -> Result<(Vec<u8>, usize)> {
        let filter = self.result_filter(scope, id, f).await?;
        let mut sheet = Sheet::default();
        self.each(&RESULT_LISTING, &filter, row_to_result, |r| {
            let status = if r.grant_id.is_some() {
                "已确认"
            } else {
                "待确认"
            };
            let mut cells = r.beneficiary.cells(cat);
            cells.push(status.to_string());
            sheet.push(cells)
        })
        .await?;
        let headers: Vec<&str> = BENEFICIARY_HEADERS
            .into_iter()
            .chain(["发放状态"])
            .collect();
        let n = sheet.rows.len();
        let bytes = wenjiu_io::write_xlsx("筛查结果", &headers, sheet.rows.into_iter())?;
        Ok((bytes, n))
    }
}
