//! Person tallies (decision 0020): how many people each county has per status and key-group
//! set, kept by triggers (migration 0010), so that the home page's figures and the person
//! list's total are read from a few thousand rows instead of counted over the registry.

use sqlx::Row;
use wenjiu_core::RegionPrefix;

use super::PersonFilter;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{Scope, Store};

/// The people of a scope with one status and one set of key groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    pub status: String,
    /// Space-delimited as stored in `person.key_groups`: `' graduate veteran '`.
    pub key_groups: String,
    pub n: i64,
}

impl Tally {
    pub fn has_group(&self, code: &str) -> bool {
        self.key_groups.contains(&format!(" {code} "))
    }
}

/// The people above the mark: on SQLite those written since the last fold, on PostgreSQL
/// none (its mark is the largest id there can be). Materialized so that a region condition
/// on the whole is not pushed into it: SQLite would then read them through the region index
/// (a whole province) instead of by id (a few).
const LIVE: &str = "WITH live AS MATERIALIZED (SELECT region, status, key_groups FROM person \
    WHERE id > (SELECT id_upto FROM person_tally_mark)) ";

/// The changes not folded into `person_tally` yet, as (region, status, key_groups, n), in a
/// statement that begins with [`LIVE`].
const UNFOLDED: &str = "SELECT region, status, key_groups, d FROM person_tally_delta UNION ALL \
    SELECT region, status, key_groups, 1 FROM live";

impl Store {
    /// The tallies of the people within `scope` and, if given, the region `within`. For a
    /// scope of regions each is the folded count plus what is not folded yet, so it is
    /// exact at any moment; an enterprise's people (its employees, not a region's) are
    /// counted from the registry, which is as quick for so few.
    pub(crate) async fn person_tallies(
        &self,
        scope: &Scope,
        within: Option<&RegionPrefix>,
    ) -> Result<Vec<Tally>> {
        let (mut sql, column) = match scope {
            Scope::Enterprise(_) => {
                let mut sql = Sql::new(
                    "SELECT status, key_groups, CAST(COUNT(*) AS BIGINT) AS n FROM person p WHERE 1 = 1",
                );
                Self::person_scope(scope, &mut sql);
                (sql, "p.region")
            }
            Scope::Region(_) | Scope::All => {
                let mut sql = Sql::new(&format!(
                    "{LIVE}SELECT status, key_groups, CAST(SUM(n) AS BIGINT) AS n FROM (\
                     SELECT region, status, key_groups, n FROM person_tally UNION ALL {UNFOLDED}\
                     ) t WHERE 1 = 1"
                ));
                if let Scope::Region(p) = scope {
                    Scope::push_region(p.as_str(), "t.region", &mut sql);
                }
                (sql, "t.region")
            }
        };
        if let Some(p) = within {
            Scope::push_region(p.as_str(), column, &mut sql);
        }
        sql.push(" GROUP BY status, key_groups");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let tallies = rows
            .iter()
            .map(|r| {
                Ok(Tally {
                    status: r.try_get("status")?,
                    key_groups: r.try_get("key_groups")?,
                    n: r.try_get("n")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(tallies.into_iter().filter(|t| t.n != 0).collect())
    }

    /// How many people `f` selects within `scope`, where the tallies can say: a filter of
    /// region, status and key group only. `f` was checked by `person_filter` first.
    pub(crate) async fn tallied_persons(
        &self,
        scope: &Scope,
        f: &PersonFilter,
    ) -> Result<Option<i64>> {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if !blank(&f.name) || !blank(&f.id_no) || f.household_id.is_some() {
            return Ok(None);
        }
        let within = match f.region.as_deref().filter(|s| !s.is_empty()) {
            Some(r) => {
                Some(RegionPrefix::parse(r).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            }
            None => None,
        };
        let tallies = self.person_tallies(scope, within.as_ref()).await?;
        let status = f.status.as_deref().filter(|s| !s.is_empty());
        let group = f.key_group.as_deref().filter(|s| !s.is_empty());
        Ok(Some(
            tallies
                .iter()
                .filter(|t| status.is_none_or(|s| t.status == s))
                .filter(|t| group.is_none_or(|g| t.has_group(g)))
                .map(|t| t.n)
                .sum(),
        ))
    }

    /// Moves what is not folded yet into the tallies, which readers see summed the same
    /// before and after. Called after bulk writes and hourly by the server.
    pub async fn fold_person_tally(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        match self.backend {
            // SQLite has one writer at a time: nothing can be written between the statements.
            Backend::Sqlite => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "{LIVE}INSERT INTO person_tally (region, status, key_groups, n) \
                     SELECT region, status, key_groups, SUM(d) FROM ({UNFOLDED}) c WHERE true \
                     GROUP BY region, status, key_groups \
                     ON CONFLICT (region, status, key_groups) DO UPDATE SET n = person_tally.n + excluded.n"
                )))
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM person_tally_delta")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE person_tally_mark SET id_upto = (SELECT COALESCE(MAX(id), 0) FROM person)")
                    .execute(&mut *tx)
                    .await?;
            }
            // One statement, so the deltas summed are exactly those deleted, whatever other
            // transactions commit meanwhile; the lock keeps two folds from crossing.
            Backend::Postgres => {
                sqlx::query("LOCK TABLE person_tally IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "WITH gone AS (DELETE FROM person_tally_delta RETURNING region, status, key_groups, d) \
                     INSERT INTO person_tally (region, status, key_groups, n) \
                     SELECT region, status, key_groups, SUM(d) FROM gone \
                     GROUP BY region, status, key_groups \
                     ON CONFLICT (region, status, key_groups) DO UPDATE SET n = person_tally.n + excluded.n",
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("DELETE FROM person_tally WHERE n = 0")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
