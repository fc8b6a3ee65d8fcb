//! 发放台账: the grants within the caller's scope, newest first, filtered and exported, personal
//! numbers masked as in the registry lists.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::ResultFilter;
use super::read::{BENEFICIARY_HEADERS, Beneficiary, Status};
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::policy::Catalogue;
use crate::registry::export::Sheet;
use crate::sql::Sql;
use crate::{Page, PageReq, Scope, Store};

/// One grant.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GrantRow {
    pub id: i64,
    #[serde(flatten)]
    pub beneficiary: Beneficiary,
    /// The date of the screening that found it.
    pub date: String,
    pub run_id: i64,
    pub result_id: i64,
    pub granted_by: String,
    pub granted_at: String,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
}

const GRANT_LISTING: Listing = Listing {
    select: "SELECT g.*, p.name AS person_name, p.id_masked, n.name AS enterprise_name, \
        n.credit_code FROM policy_grant g LEFT JOIN person p ON p.id = g.person_id \
        LEFT JOIN enterprise n ON n.id = g.enterprise_id WHERE 1 = 1",
    from: " FROM policy_grant g WHERE 1 = 1",
    id: "g.id",
    newest_first: true,
};

/// The statuses of a grant.
const GRANT_STATUSES: &[Status] = &[
    ("standing", "有效", " AND g.revoked_at IS NULL"),
    ("revoked", "已撤销", " AND g.revoked_at IS NOT NULL"),
];

/// What one fund pays for the grants of a filtered ledger (资金监管): its policies' totals.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundTotal {
    /// The fund the catalogue names for these policies (资金渠道).
    pub fund: String,
    pub grants: i64,
    pub amount_fen: i64,
    /// Largest amount first.
    pub policies: Vec<PolicyTotal>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PolicyTotal {
    pub policy_id: String,
    pub name: String,
    pub grants: i64,
    pub amount_fen: i64,
}

fn row_to_grant(r: &AnyRow) -> Result<GrantRow> {
    Ok(GrantRow {
        id: r.try_get("id")?,
        beneficiary: Beneficiary::of_row(r)?,
        date: r.try_get("as_of")?,
        run_id: r.try_get("run_id")?,
        result_id: r.try_get("result_id")?,
        granted_by: r.try_get("granted_by")?,
        granted_at: r.try_get("granted_at")?,
        revoked_by: r.try_get("revoked_by")?,
        revoked_at: r.try_get("revoked_at")?,
        revoke_reason: r.try_get("revoke_reason")?,
    })
}

/// The WHERE fragment of the ledger: the caller's scope and the filters.
fn grant_filter(scope: &Scope, f: &ResultFilter) -> Result<Sql> {
    let mut sql = Sql::new("");
    match scope {
        Scope::All => {}
        Scope::Enterprise(_) => {
            sql.push(" AND 1 = 0");
        }
        Scope::Region(p) => Scope::push_region(p.as_str(), "g.region", &mut sql),
    }
    f.push("g", GRANT_STATUSES, &mut sql)?;
    Ok(sql)
}

impl Store {
    /// One page of the ledger within the caller's scope, newest first.
    pub async fn grants(
        &self,
        scope: &Scope,
        f: &ResultFilter,
        page: PageReq,
    ) -> Result<Page<GrantRow>> {
        let filter = grant_filter(scope, f)?;
        self.page(&GRANT_LISTING, &filter, page, row_to_grant).await
    }

    /// The ledger's filtered set summed by fund and policy, largest fund first. A policy no
    /// longer in the catalogue is summed under its id, in a fund of its own.
    pub async fn grants_by_fund(
        &self,
        scope: &Scope,
        f: &ResultFilter,
        cat: &Catalogue,
    ) -> Result<Vec<FundTotal>> {
        let mut sql = Sql::new(
            "SELECT g.policy_id, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(SUM(g.amount_fen) AS BIGINT) AS amount FROM policy_grant g WHERE 1 = 1",
        );
        sql.append(&grant_filter(scope, f)?);
        sql.push(" GROUP BY g.policy_id");
        let mut funds: BTreeMap<String, FundTotal> = BTreeMap::new();
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let id: String = r.try_get("policy_id")?;
            let (fund, name) = match cat.set.get(&id) {
                Some(p) => (p.fund.clone(), p.name.clone()),
                None => ("（不在现行政策清单中）".to_string(), id.clone()),
            };
            let total = PolicyTotal {
                policy_id: id,
                name,
                grants: r.try_get("n")?,
                amount_fen: r.try_get("amount")?,
            };
            let t = funds.entry(fund.clone()).or_insert_with(|| FundTotal {
                fund,
                grants: 0,
                amount_fen: 0,
                policies: Vec::new(),
            });
            t.grants += total.grants;
            t.amount_fen += total.amount_fen;
            t.policies.push(total);
        }
        let mut funds: Vec<FundTotal> = funds.into_values().collect();
        for t in &mut funds {
            t.policies.sort_by_key(|p| std::cmp::Reverse(p.amount_fen));
        }
        funds.sort_by_key(|t| std::cmp::Reverse(t.amount_fen));
        Ok(funds)
    }

    /// One grant, if it lies in the caller's scope.
    pub async fn grant(&self, scope: &Scope, id: i64) -> Result<GrantRow> {
        let mut sql = Sql::new(GRANT_LISTING.select);
        sql.append(&grant_filter(scope, &ResultFilter::default())?);
        sql.push(" AND g.id = ").bind(id);
        let row = sql
            .query(self.backend)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row_to_grant(&row)
    }

    /// The ledger within the caller's scope as XLSX (masked); the bytes and row count.
    pub async fn grants_export(
        &self,
        scope: &Scope,
        f: &ResultFilter,
        cat: &Catalogue,
    ) -> Result<(Vec<u8>, usize)> {
        let filter = grant_filter(scope, f)?;
        let mut sheet = Sheet::default();
        self.each(&GRANT_LISTING, &filter, row_to_grant, |g| {
            let status = if g.revoked_at.is_some() {
                "已撤销"
            } else {
                "有效"
            };
            let mut cells = vec![g.id.to_string()];
            cells.extend(g.beneficiary.cells(cat));
            cells.extend([
                g.date,
                g.run_id.to_string(),
                g.granted_by,
                g.granted_at,
                status.to_string(),
                g.revoked_by.unwrap_or_default(),
                g.revoked_at.unwrap_or_default(),
                g.revoke_reason.unwrap_or_default(),
            ]);
            sheet.push(cells)
        })
        .await?;
        let headers: Vec<&str> = ["发放编号"]
            .into_iter()
            .chain(BENEFICIARY_HEADERS)
            .chain([
                "筛查日期",
                "筛查批次",
                "确认人",
                "确认时间",
                "状态",
                "撤销人",
                "撤销时间",
                "撤销原因",
            ])
            .collect();
        let n = sheet.rows.len();
        let bytes = wenjiu_io::write_xlsx("发放台账", &headers, sheet.rows.into_iter())?;
        Ok((bytes, n))
    }
}
