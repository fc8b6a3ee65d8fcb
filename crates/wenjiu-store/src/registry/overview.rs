//! The headline numbers of a scope for the console's home page.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;
use wenjiu_core::{KeyGroup, Month};

use super::tally::Tally;
use super::{EnterpriseFilter, HouseholdFilter, RegistrationFilter};
use crate::error::Result;
use crate::sql::Sql;
use crate::{Scope, Store};

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
        let tallies = self.person_tallies(scope, None).await?;
        let count =
            |keep: &dyn Fn(&Tally) -> bool| tallies.iter().filter(|t| keep(t)).map(|t| t.n).sum();
        let key_groups = KeyGroup::all()
            .iter()
            .map(|g| GroupCount {
                code: g.code().into(),
                label: g.label().into(),
                count: count(&|t| t.has_group(g.code())),
            })
            .collect();
        let enterprises = self
            .count_enterprises(scope, &EnterpriseFilter::default())
            .await?;
        let zero = HouseholdFilter {
            zero_employment: Some(true),
            ..Default::default()
        };
        let zero_households = self.count_households(scope, &zero).await?;
        Ok(Overview {
            business_date: today.to_string(),
            people: count(&|_| true),
            employed: count(&|t| t.status == "employed"),
            unemployed: count(&|t| t.status == "unemployed"),
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
