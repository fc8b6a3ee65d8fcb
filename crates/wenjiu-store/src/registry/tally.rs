//! Tallies (decision 0020): how many people each county has per status and key-group set
//! (migration 0010), and how many registrations per month (0012), kept by triggers, so that
//! the home page's figures and the person list's total are read from a few thousand rows
//! instead of counted over the registry.

use sqlx::Row;
use wenjiu_core::{Month, PersonStatus, RegionPrefix};

use super::{PersonFilter, RegistrationFilter};
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{Scope, Store};

/// The people of a scope with one status and one set of key groups.
#[derive(Debug)]
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

/// The registrations above their kind's mark, as [`LIVE`] for people.
const LIVE_REGISTRATIONS: &str = "WITH live_e AS MATERIALIZED (SELECT region, SUBSTR(start_date, 1, 7) AS month \
    FROM employment WHERE id > (SELECT id_upto FROM registration_tally_mark WHERE kind = 'employment')), \
    live_u AS MATERIALIZED (SELECT region, SUBSTR(registered_on, 1, 7) AS month FROM unemployment \
    WHERE id > (SELECT id_upto FROM registration_tally_mark WHERE kind = 'unemployment')) ";

/// The registration changes not folded yet, as (kind, region, month, n), in a statement that
/// begins with [`LIVE_REGISTRATIONS`].
const UNFOLDED_REGISTRATIONS: &str = "SELECT kind, region, month, d FROM registration_tally_delta UNION ALL \
    SELECT 'employment', region, month, 1 FROM live_e UNION ALL \
    SELECT 'unemployment', region, month, 1 FROM live_u";

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
        let checked = |e: wenjiu_core::Error| StoreError::Corrupt(e.to_string());
        let within = f.region.as_deref().filter(|s| !s.is_empty());
        let within = within
            .map(RegionPrefix::parse)
            .transpose()
            .map_err(checked)?;
        let tallies = self.person_tallies(scope, within.as_ref()).await?;
        let status = f.status.as_deref().filter(|s| !s.is_empty());
        let status = status
            .map(PersonStatus::parse)
            .transpose()
            .map_err(checked)?;
        let status = status.map(|s| s.code());
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

    /// Registrations per month within `scope`, from `from` to `to` inclusive: (kind,
    /// YYYY-MM, count), kind `employment` (starting in the month) or `unemployment` (made
    /// in it). Read from the registration tallies like [`Store::person_tallies`]; an
    /// enterprise's registrations are counted from the table.
    pub(crate) async fn registration_months(
        &self,
        scope: &Scope,
        from: Month,
        to: Month,
    ) -> Result<Vec<(String, String, i64)>> {
        let sql = match scope {
            // Unemployment registrations belong to no enterprise.
            Scope::Enterprise(_) => {
                let window = RegistrationFilter {
                    from: Some(from.first_day().to_string()),
                    to: Some(to.succ().first_day().to_string()),
                    ..Default::default()
                };
                let mut sql = Sql::new(
                    "SELECT 'employment' AS kind, SUBSTR(r.start_date, 1, 7) AS month, \
                     CAST(COUNT(*) AS BIGINT) AS n FROM employment r",
                );
                sql.append(&Self::employment_filter(scope, &window)?);
                sql.push(" GROUP BY SUBSTR(r.start_date, 1, 7)");
                sql
            }
            Scope::Region(_) | Scope::All => {
                let mut sql = Sql::new(&format!(
                    "{LIVE_REGISTRATIONS}SELECT kind, month, CAST(SUM(n) AS BIGINT) AS n FROM (\
                     SELECT kind, region, month, n FROM registration_tally UNION ALL \
                     {UNFOLDED_REGISTRATIONS}) t WHERE 1 = 1"
                ));
                if let Scope::Region(p) = scope {
                    Scope::push_region(p.as_str(), "t.region", &mut sql);
                }
                sql.push(" AND t.month >= ")
                    .bind(from.to_string())
                    .push(" AND t.month <= ")
                    .bind(to.to_string())
                    .push(" GROUP BY kind, month");
                sql
            }
        };
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("month")?, r.try_get("n")?)))
            .collect()
    }

    /// Moves what is not folded yet into the person and registration tallies, which
    /// readers see summed the same before and after. Called after bulk writes and hourly by
    /// the server.
    pub async fn fold_tallies(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        for t in [&PERSON, &REGISTRATIONS] {
            let statements = match self.backend {
                Backend::Sqlite => t.fold_sqlite(),
                Backend::Postgres => t.fold_postgres(),
            };
            for sql in statements {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A tally table, its deltas and what its readers add to it.
struct Tallied {
    table: &'static str,
    /// The columns it counts by.
    keys: &'static str,
    /// `WITH …` naming the rows above the mark, for `unfolded`.
    live: &'static str,
    /// (keys…, d) not folded yet.
    unfolded: &'static str,
    /// SQLite: raising the marks to the newest ids.
    marks: &'static [&'static str],
}

const PERSON: Tallied = Tallied {
    table: "person_tally",
    keys: "region, status, key_groups",
    live: LIVE,
    unfolded: UNFOLDED,
    marks: &["UPDATE person_tally_mark SET id_upto = (SELECT COALESCE(MAX(id), 0) FROM person)"],
};

const REGISTRATIONS: Tallied = Tallied {
    table: "registration_tally",
    keys: "kind, region, month",
    live: LIVE_REGISTRATIONS,
    unfolded: UNFOLDED_REGISTRATIONS,
    marks: &[
        "UPDATE registration_tally_mark SET id_upto = (SELECT COALESCE(MAX(id), 0) FROM employment) \
         WHERE kind = 'employment'",
        "UPDATE registration_tally_mark SET id_upto = (SELECT COALESCE(MAX(id), 0) FROM unemployment) \
         WHERE kind = 'unemployment'",
    ],
};

impl Tallied {
    fn add_in(&self, rows: &str) -> String {
        let (table, keys) = (self.table, self.keys);
        format!(
            "INSERT INTO {table} ({keys}, n) SELECT {keys}, SUM(d) FROM {rows} WHERE true \
             GROUP BY {keys} ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"
        )
    }

    /// SQLite has one writer at a time: nothing can be written between the statements.
    fn fold_sqlite(&self) -> Vec<String> {
        let mut sql = vec![
            format!(
                "{}{}",
                self.live,
                self.add_in(&format!("({}) c", self.unfolded))
            ),
            format!("DELETE FROM {}_delta", self.table),
        ];
        sql.extend(self.marks.iter().map(|m| m.to_string()));
        sql.push(format!("DELETE FROM {} WHERE n = 0", self.table));
        sql
    }

    /// One statement, so the deltas summed are exactly those deleted, whatever other
    /// transactions commit meanwhile; the lock keeps two folds from crossing and lets
    /// readers be. No row is above PostgreSQL's marks.
    fn fold_postgres(&self) -> Vec<String> {
        let (table, keys) = (self.table, self.keys);
        vec![
            format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"),
            format!(
                "WITH gone AS (DELETE FROM {table}_delta RETURNING {keys}, d) {}",
                self.add_in("gone")
            ),
            format!("DELETE FROM {table} WHERE n = 0"),
        ]
    }
}
