//! Tallies (decisions 0020, 0021): how many people each county has per status and key-group
//! set (migration 0010), how many registrations per month (0012), enterprises per industry and
//! size class and households per zero-employment flag (0013), kept by triggers, so that the
//! home page's figures and the lists' totals are read from a few thousand rows instead of
//! counted over the registry.

use sqlx::Row;
use wenjiu_core::{Month, PersonStatus, RegionPrefix};

use super::{EnterpriseFilter, HouseholdFilter, PersonFilter, RegistrationFilter};
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
        let tallied = PERSON.select(
            "status, key_groups, CAST(SUM(n) AS BIGINT) AS n",
            scope,
            within,
        );
        let mut sql = tallied.unwrap_or_else(|| {
            let mut sql = Sql::new(
                "SELECT status, key_groups, CAST(COUNT(*) AS BIGINT) AS n FROM person p WHERE 1 = 1",
            );
            Self::person_scope(scope, &mut sql);
            if let Some(p) = within {
                Scope::push_region(p.as_str(), "p.region", &mut sql);
            }
            sql
        });
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
        if !blank(&f.name) || !blank(&f.id_no) || f.household_id.is_some() {
            return Ok(None);
        }
        let tallies = self
            .person_tallies(scope, checked_region(&f.region)?.as_ref())
            .await?;
        let status = f.status.as_deref().filter(|s| !s.is_empty());
        let status = status
            .map(PersonStatus::parse)
            .transpose()
            .map_err(corrupt)?;
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

    /// How many enterprises `f` selects within a scope of regions, where the tallies can
    /// say: a filter of region, industry and size class only. An enterprise's own scope is
    /// one row, counted. `f` was checked by `enterprise_filter` first.
    pub(crate) async fn tallied_enterprises(
        &self,
        scope: &Scope,
        f: &EnterpriseFilter,
    ) -> Result<Option<i64>> {
        if !blank(&f.name) || !blank(&f.credit_code) {
            return Ok(None);
        }
        let within = checked_region(&f.region)?;
        let Some(mut sql) = ENTERPRISES.select(TOTAL, scope, within.as_ref()) else {
            return Ok(None);
        };
        let (industry, size_class) = f.codes()?;
        if let Some(i) = industry {
            sql.push(" AND t.industry = ").bind(i.as_str());
        }
        if let Some(s) = size_class {
            sql.push(" AND t.size_class = ").bind(s.code());
        }
        self.total(&sql).await.map(Some)
    }

    /// How many households `f` selects within a scope of regions, where the tallies can say:
    /// a filter of region and zero employment only. An enterprise's scope (which sees none) is
    /// counted.
    pub(crate) async fn tallied_households(
        &self,
        scope: &Scope,
        f: &HouseholdFilter,
    ) -> Result<Option<i64>> {
        if !blank(&f.household_no) {
            return Ok(None);
        }
        let within = checked_region(&f.region)?;
        let Some(mut sql) = HOUSEHOLDS.select(TOTAL, scope, within.as_ref()) else {
            return Ok(None);
        };
        if let Some(z) = f.zero_employment {
            sql.push(" AND t.zero_employment = ").bind(i64::from(z));
        }
        self.total(&sql).await.map(Some)
    }

    async fn total(&self, sql: &Sql) -> Result<i64> {
        let row = sql.query(self.backend).fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
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
        let tallied = REGISTRATIONS.select("kind, month, CAST(SUM(n) AS BIGINT) AS n", scope, None);
        let sql = match tallied {
            Some(mut sql) => {
                sql.push(" AND t.month >= ")
                    .bind(from.to_string())
                    .push(" AND t.month <= ")
                    .bind(to.to_string())
                    .push(" GROUP BY kind, month");
                sql
            }
            // An enterprise's: its employment registrations (unemployment ones belong to no
            // enterprise).
            None => {
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
        };
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("month")?, r.try_get("n")?)))
            .collect()
    }

    /// Moves what is not folded yet into every tally, which readers see summed the same
    /// before and after. Called after bulk writes and hourly by the server.
    pub async fn fold_tallies(&self) -> Result<()> {
        self.each_tally(|t| match self.backend {
            Backend::Sqlite => t.fold_sqlite(),
            Backend::Postgres => t.fold_postgres(),
        })
        .await
    }

    /// Counts every tally afresh from its tables: for the operator after what the triggers
    /// cannot see (a `TRUNCATE`; on SQLite a row inserted by hand with an id at or below
    /// its table's mark). Writers wait meanwhile.
    pub async fn rebuild_tallies(&self) -> Result<()> {
        self.each_tally(|t| t.rebuild(self.backend)).await
    }

    /// Runs each tally's statements in one write transaction.
    async fn each_tally(&self, statements: impl Fn(&Tallied) -> Vec<String>) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = self.begin_write(&mut conn).await?;
        for t in [&PERSON, &REGISTRATIONS, &ENTERPRISES, &HOUSEHOLDS] {
            for sql in statements(t) {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A tally's total where its rows are selected, as `n` (0 for none).
const TOTAL: &str = "COALESCE(CAST(SUM(n) AS BIGINT), 0) AS n";

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// A list filter's region, which its WHERE fragment has already refused if invalid.
fn checked_region(region: &Option<String>) -> Result<Option<RegionPrefix>> {
    let region = region.as_deref().filter(|s| !s.is_empty());
    region.map(RegionPrefix::parse).transpose().map_err(corrupt)
}

fn corrupt(e: wenjiu_core::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// A tally table: `{table}` counting by `keys`, its changes not folded yet in
/// `{table}_delta`, and on SQLite its marks in `{table}_mark`.
struct Tallied {
    table: &'static str,
    keys: &'static str,
    sources: &'static [Source],
}

/// A table a tally counts.
struct Source {
    table: &'static str,
    /// Its rows' tally keys, named as the keys: `'employment' AS kind, region, …`.
    keys: &'static str,
    /// Which row of the tally's mark table is this table's: `""` where it has one row.
    mark: &'static str,
}

const PERSON: Tallied = Tallied {
    table: "person_tally",
    keys: "region, status, key_groups",
    sources: &[Source {
        table: "person",
        keys: "region, status, key_groups",
        mark: "",
    }],
};

const REGISTRATIONS: Tallied = Tallied {
    table: "registration_tally",
    keys: "kind, region, month",
    sources: &[
        Source {
            table: "employment",
            keys: "'employment' AS kind, region, SUBSTR(start_date, 1, 7) AS month",
            mark: " WHERE kind = 'employment'",
        },
        Source {
            table: "unemployment",
            keys: "'unemployment' AS kind, region, SUBSTR(registered_on, 1, 7) AS month",
            mark: " WHERE kind = 'unemployment'",
        },
    ],
};

const ENTERPRISES: Tallied = Tallied {
    table: "enterprise_tally",
    keys: "region, industry, size_class",
    sources: &[Source {
        table: "enterprise",
        keys: "region, industry, size_class",
        mark: "",
    }],
};

const HOUSEHOLDS: Tallied = Tallied {
    table: "household_tally",
    keys: "region, zero_employment",
    sources: &[Source {
        table: "household",
        keys: "region, zero_employment",
        mark: "",
    }],
};

impl Tallied {
    /// `WITH live_0 AS MATERIALIZED (…), …`: each source's rows above its mark, on SQLite
    /// those written since the last fold, on PostgreSQL none (its marks are the largest id
    /// there can be). Materialized so that a region condition on the whole is not pushed
    /// into them: SQLite would then read them through the region index (a whole province)
    /// instead of by id (a few).
    fn live(&self) -> String {
        let ctes: Vec<String> = (self.sources.iter().enumerate())
            .map(|(i, s)| {
                format!(
                    "live_{i} AS MATERIALIZED (SELECT {} FROM {} WHERE id > \
                     (SELECT id_upto FROM {}_mark{}))",
                    s.keys, s.table, self.table, s.mark
                )
            })
            .collect();
        format!("WITH {} ", ctes.join(", "))
    }

    /// The changes not folded yet, as (keys…, d), in a statement that begins with `live`.
    fn unfolded(&self) -> String {
        let (table, keys) = (self.table, self.keys);
        let mut sql = format!("SELECT {keys}, d FROM {table}_delta");
        for i in 0..self.sources.len() {
            sql.push_str(&format!(" UNION ALL SELECT {keys}, 1 FROM live_{i}"));
        }
        sql
    }

    /// `SELECT what` over the tally and what is not folded yet, as `t`, within `scope` and
    /// `within`, ready for further `AND` conditions. None for an enterprise's scope: its
    /// records are not a region's, and are counted from their tables.
    fn select(&self, what: &str, scope: &Scope, within: Option<&RegionPrefix>) -> Option<Sql> {
        let scoped = match scope {
            Scope::Region(p) => Some(p),
            Scope::All => None,
            Scope::Enterprise(_) => return None,
        };
        let (table, keys) = (self.table, self.keys);
        let mut sql = Sql::new(&format!(
            "{}SELECT {what} FROM (SELECT {keys}, n FROM {table} UNION ALL {}) t WHERE 1 = 1",
            self.live(),
            self.unfolded()
        ));
        for p in scoped.into_iter().chain(within) {
            Scope::push_region(p.as_str(), "t.region", &mut sql);
        }
        Some(sql)
    }

    fn add_in(&self, rows: &str) -> String {
        let (table, keys) = (self.table, self.keys);
        format!(
            "INSERT INTO {table} ({keys}, n) SELECT {keys}, SUM(d) FROM {rows} WHERE true \
             GROUP BY {keys} ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"
        )
    }

    /// SQLite has one writer at a time: nothing can be written between the statements.
    fn fold_sqlite(&self) -> Vec<String> {
        let table = self.table;
        let mut sql = vec![
            format!(
                "{}{}",
                self.live(),
                self.add_in(&format!("({}) c", self.unfolded()))
            ),
            format!("DELETE FROM {table}_delta"),
        ];
        sql.extend(self.raise_marks());
        sql.push(format!("DELETE FROM {table} WHERE n = 0"));
        sql
    }

    /// SQLite: each source's mark to its newest row, all of which the tally now holds.
    fn raise_marks(&self) -> Vec<String> {
        (self.sources.iter())
            .map(|s| {
                format!(
                    "UPDATE {}_mark SET id_upto = (SELECT COALESCE(MAX(id), 0) FROM {}){}",
                    self.table, s.table, s.mark
                )
            })
            .collect()
    }

    /// The tally counted from its sources, with nothing unfolded. On PostgreSQL the
    /// sources are locked against writers first (SQLite's write transaction does that).
    fn rebuild(&self, backend: Backend) -> Vec<String> {
        let (table, keys) = (self.table, self.keys);
        let mut sql = Vec::new();
        if backend == Backend::Postgres {
            let sources: Vec<&str> = self.sources.iter().map(|s| s.table).collect();
            sql.push(format!(
                "LOCK TABLE {}, {table} IN SHARE ROW EXCLUSIVE MODE",
                sources.join(", ")
            ));
        }
        let rows: Vec<String> = (self.sources.iter())
            .map(|s| format!("SELECT {} FROM {}", s.keys, s.table))
            .collect();
        sql.extend([
            format!("DELETE FROM {table}_delta"),
            format!("DELETE FROM {table}"),
            format!(
                "INSERT INTO {table} ({keys}, n) SELECT {keys}, COUNT(*) FROM ({}) s GROUP BY {keys}",
                rows.join(" UNION ALL ")
            ),
        ]);
        if backend == Backend::Sqlite {
            sql.extend(self.raise_marks());
        }
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
