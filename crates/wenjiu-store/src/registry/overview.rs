//! The headline numbers of a scope for the console's home page.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;
use wenjiu_core::{KeyGroup, Month};

use super::{EnterpriseFilter, HouseholdFilter, PersonFilter, RegistrationFilter};
use crate::error::Result;
use crate::sql::Sql;
use crate::{PageReq, Scope, Store};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupCount {
    pub code: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthCount {
    /// YYYY-MM
    pub month: String,
    /// Employment registrations starting in the month.
    pub employment: i64,
    /// Unemployment registrations made in the month.
    pub unemployment: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub business_date: String,
    pub people: i64,
    pub employed: i64,
    pub unemployed: i64,
    pub enterprises: i64,
    pub zero_households: i64,
    pub key_groups: Vec<GroupCount>,
    /// The months from January of last year to the business date's month.
    pub by_month: Vec<MonthCount>,
}

impl Store {
    pub async fn overview(&self, scope: &Scope) -> Result<Overview> {
        let today = self.today();
        let mut sums = String::from(
            "SELECT COUNT(*) AS n, \
             CAST(COALESCE(SUM(CASE WHEN p.status = 'employed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS employed, \
             CAST(COALESCE(SUM(CASE WHEN p.status = 'unemployed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS unemployed",
        );
        for g in KeyGroup::all() {
            // Codes are our own constants, not input: safe to inline.
            sums.push_str(&format!(
                ", CAST(COALESCE(SUM(CASE WHEN p.key_groups LIKE '% {0} %' THEN 1 ELSE 0 END), 0) AS BIGINT) AS g_{0}",
                g.code()
            ));
        }
        sums.push_str(" FROM person p");
        let mut sql = Sql::new(&sums);
        sql.append(&self.person_filter(scope, &PersonFilter::default())?);
        let row = sql.query(self.backend).fetch_one(&self.pool).await?;
        let key_groups = KeyGroup::all()
            .iter()
            .map(|g| {
                Ok(GroupCount {
                    code: g.code().into(),
                    label: g.label().into(),
                    count: row.try_get(format!("g_{}", g.code()).as_str())?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let one = PageReq::new(Some(1), Some(1));
        let enterprises = self
            .enterprises(scope, &EnterpriseFilter::default(), one)
            .await?
            .total;
        let zero = HouseholdFilter {
            zero_employment: Some(true),
            ..Default::default()
        };
        let zero_households = self.households(scope, &zero, one).await?.total;
        Ok(Overview {
            business_date: today.to_string(),
            people: row.try_get("n")?,
            employed: row.try_get("employed")?,
            unemployed: row.try_get("unemployed")?,
            enterprises,
            zero_households,
            key_groups,
            by_month: self.by_month(scope, today).await?,
        })
    }

    async fn by_month(&self, scope: &Scope, today: NaiveDate) -> Result<Vec<MonthCount>> {
        let first = Month::new(today.year() - 1, 1)
            .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        let last = Month::of(today);
        let (from, to) = (
            first.first_day().to_string(),
            last.succ().first_day().to_string(),
        );
        let count = |column: &str, table_filter: Sql| {
            let mut sql = Sql::new(&format!(
                "SELECT SUBSTR({column}, 1, 7) AS m, COUNT(*) AS n FROM "
            ));
            sql.append(&table_filter);
            sql.push(" GROUP BY SUBSTR(").push(column).push(", 1, 7)");
            sql
        };
        let window = RegistrationFilter {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        };
        // The window reads no person: no join (one per registration, most of the page's time).
        let mut e = Sql::new("employment r");
        e.append(&Self::employment_filter(scope, &window)?);
        let mut u = Sql::new("unemployment r");
        u.append(&Self::unemployment_filter(scope, &window)?);
        let mut months: Vec<MonthCount> =
            std::iter::successors(Some(first), |m| (*m < last).then(|| m.succ()))
                .map(|m| MonthCount {
                    month: m.to_string(),
                    employment: 0,
                    unemployment: 0,
                })
                .collect();
        for (sql, is_employment) in [
            (count("r.start_date", e), true),
            (count("r.registered_on", u), false),
        ] {
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                let m: String = r.try_get("m")?;
                let n: i64 = r.try_get("n")?;
                if let Some(slot) = months.iter_mut().find(|s| s.month == m) {
                    if is_employment {
                        slot.employment = n;
                    } else {
                        slot.unemployment = n;
                    }
                }
            }
        }
        Ok(months)
    }
}
