//! The headline numbers of a scope for the console's home page.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;
use wenjiu_core::{KeyGroup, Month, PersonStatus};

use super::date_text;
use super::keygroups::employment_open;
use super::tally::Tally;
use super::{EnterpriseFilter, HouseholdFilter};
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
    /// For an enterprise: the people it employs or employed.
    pub people: i64,
    /// For an enterprise: the people it employs on the business date.
    pub employed: i64,
    /// Absent for an enterprise, as are the zero-employment households and the key groups
    /// (empty): it does not see them (decision 0023).
    pub unemployed: Option<i64>,
    pub enterprises: i64,
    pub zero_households: Option<i64>,
    pub key_groups: Vec<GroupCount>,
    /// The months from January of last year to the business date's month.
    pub by_month: Vec<MonthCount>,
}

impl Store {
    pub async fn overview(&self, scope: &Scope) -> Result<Overview> {
        let today = self.today();
        if let Scope::Enterprise(own) = scope {
            let (people, employed) = self.staff(*own, today).await?;
            return Ok(Overview {
                business_date: today.to_string(),
                people,
                employed,
                unemployed: None,
                enterprises: 1,
                zero_households: None,
                key_groups: Vec::new(),
                by_month: self.by_month(scope, today).await?,
            });
        }
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
            employed: count(&|t| t.status == PersonStatus::Employed.code()),
            unemployed: Some(count(&|t| t.status == PersonStatus::Unemployed.code())),
            enterprises,
            zero_households: Some(zero_households),
            key_groups,
            by_month: self.by_month(scope, today).await?,
        })
    }

    /// How many people enterprise `own` has employed, and how many it employs `today`.
    async fn staff(&self, own: i64, today: NaiveDate) -> Result<(i64, i64)> {
        let mut sql = Sql::new(&format!(
            "SELECT CAST(COUNT(DISTINCT e.person_id) AS BIGINT) AS ever, \
             CAST(COUNT(DISTINCT CASE WHEN {} THEN e.person_id END) AS BIGINT) AS now \
             FROM employment e WHERE e.enterprise_id = ",
            employment_open("e", "<= $1", "> $1")
        ));
        sql.arg(date_text(today)).bind(own);
        let row = sql.query(self.backend).fetch_one(&self.pool).await?;
        Ok((row.try_get("ever")?, row.try_get("now")?))
    }

    async fn by_month(&self, scope: &Scope, today: NaiveDate) -> Result<Vec<MonthCount>> {
        let first = Month::new(today.year() - 1, 1)
            .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        let last = Month::of(today);
        let mut months: Vec<MonthCount> =
            std::iter::successors(Some(first), |m| (*m < last).then(|| m.succ()))
                .map(|m| MonthCount {
                    month: m.to_string(),
                    employment: 0,
                    unemployment: 0,
                })
                .collect();
        for (kind, month, n) in self.registration_months(scope, first, last).await? {
            if let Some(slot) = months.iter_mut().find(|s| s.month == month) {
                if kind == "employment" {
                    slot.employment = n;
                } else {
                    slot.unemployment = n;
                }
            }
        }
        Ok(months)
    }
}
