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

/// One potential beneficiary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScreeningResult {
    pub id: i64,
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

/// Filters of a run's result list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResultFilter {
    pub policy: Option<String>,
    /// A region prefix (within the caller's scope, which applies anyway).
    pub region: Option<String>,
    /// person | enterprise | hire
    pub kind: Option<String>,
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
        n.credit_code FROM screening_result r LEFT JOIN person p ON p.id = r.person_id \
        LEFT JOIN enterprise n ON n.id = r.enterprise_id WHERE 1 = 1",
    from: " FROM screening_result r WHERE 1 = 1",
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
    let region: String = r.try_get("region")?;
    Ok(ScreeningResult {
        id: r.try_get("id")?,
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
        let mut sql = Sql::new(" AND r.run_id = ");
        sql.bind(id);
        push_result_scope(scope, &mut sql);
        if let Some(region) = f.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            let p = RegionPrefix::parse(region)
                .map_err(|e| invalid("region", "地区", e.to_string()))?;
            Scope::push_region(p.as_str(), "r.region", &mut sql);
        }
        if let Some(policy) = f.policy.as_deref().filter(|p| !p.is_empty()) {
            sql.push(" AND r.policy_id = ").bind(policy);
        }
        if let Some(kind) = f.kind.as_deref().filter(|k| !k.is_empty()) {
            if !["person", "enterprise", "hire"].contains(&kind) {
                return Err(invalid(
                    "kind",
                    "对象类别",
                    format!("对象类别“{kind}”应为 person、enterprise 或 hire"),
                ));
            }
            sql.push(" AND r.subject_kind = ").bind(kind);
        }
        Ok(sql)
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
            let name = cat.set.get(&r.policy_id).map(|p| p.name.clone());
            sheet.push(vec![
                r.policy_id.clone(),
                name.unwrap_or_default(),
                kind_label(&r.subject_kind).to_string(),
                r.person_name.unwrap_or_default(),
                r.id_no_masked.unwrap_or_default(),
                r.enterprise_name.unwrap_or_default(),
                r.credit_code.unwrap_or_default(),
                r.region,
                r.region_name,
                Money::from_fen(r.amount_fen).to_string(),
            ])
        })
        .await?;
        let headers = [
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
        let n = sheet.rows.len();
        let bytes = wenjiu_io::write_xlsx("筛查结果", &headers, sheet.rows.into_iter())?;
        Ok((bytes, n))
    }
}
