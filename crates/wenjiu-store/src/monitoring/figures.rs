//! The month's sums kept beside the reports (`monitoring_figures` per county, industry and
//! ownership type; `monitoring_reason_figures` per county, decrease type and main reason), so
//! that the figures and the regional warning rules add up a few thousand rows instead of every
//! report of the province. They are recomputed from the reports — for one county after each
//! write, for whole months after a bulk load or on demand — never adjusted by increments, so
//! they cannot drift from the reports they sum.

use sqlx::AnyConnection;
use wenjiu_core::Month;

use crate::Store;
use crate::error::Result;
use crate::sql::Sql;

/// Reports that count: returned ones wait for their correction.
const COUNTED: &str = "r.status <> 'returned'";

impl Store {
    /// Recomputes the sums of `month`, for one county or (None) all of them.
    pub(crate) async fn refresh_figures(&self, month: Month, county: Option<&str>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.refresh_figures_on(&mut tx, month, county).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The same within the caller's transaction (a report's write and its sums go together).
    pub(crate) async fn refresh_figures_on(
        &self,
        tx: &mut AnyConnection,
        month: Month,
        county: Option<&str>,
    ) -> Result<()> {
        let only = |sql: &mut Sql, column: &str| {
            if let Some(c) = county {
                sql.push(&format!(" AND {column} = ")).bind(c.to_string());
            }
        };
        for table in ["monitoring_figures", "monitoring_reason_figures"] {
            let mut delete = Sql::new(&format!("DELETE FROM {table} WHERE month = "));
            delete.bind(month.to_string());
            only(&mut delete, "region");
            delete.query(self.backend).execute(&mut *tx).await?;
        }
        let mut sums = Sql::new(&format!(
            "INSERT INTO monitoring_figures (month, region, industry, ownership, enterprises, \
             baseline, previous, headcount, new_hires, decrease) \
             SELECT r.month, r.region, e.industry, e.ownership, COUNT(*), SUM(r.baseline), \
             SUM(r.previous), SUM(r.headcount), SUM(r.new_hires), SUM(r.decrease) \
             FROM monitoring_report r JOIN enterprise e ON e.id = r.enterprise_id \
             WHERE {COUNTED} AND r.month = "
        ));
        sums.bind(month.to_string());
        only(&mut sums, "r.region");
        sums.push(" GROUP BY r.month, r.region, e.industry, e.ownership");
        sums.query(self.backend).execute(&mut *tx).await?;
        let mut reasons = Sql::new(&format!(
            "INSERT INTO monitoring_reason_figures (month, region, decrease_type, main_reason, \
             enterprises, people) \
             SELECT r.month, r.region, COALESCE(r.decrease_type, ''), COALESCE(r.main_reason, ''), \
             COUNT(*), SUM(r.previous - r.headcount) FROM monitoring_report r \
             WHERE {COUNTED} AND r.headcount < r.previous AND r.month = "
        ));
        reasons.bind(month.to_string());
        only(&mut reasons, "r.region");
        reasons.push(" GROUP BY r.month, r.region, COALESCE(r.decrease_type, ''), COALESCE(r.main_reason, '')");
        reasons.query(self.backend).execute(&mut *tx).await?;
        Ok(())
    }

    /// Recomputes a whole month's sums (after a bulk load, a change of the enterprises'
    /// industry or ownership, or a repair).
    pub async fn rebuild_monitoring_figures(&self, month: Month) -> Result<()> {
        self.refresh_figures(month, None).await
    }
}
