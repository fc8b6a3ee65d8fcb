//! Which natural keys of a batch are stored already.

use std::collections::HashMap;

use wenjiu_core::RegionCode;

use super::registration::{EMPLOYMENT, RegistrationTable};
use crate::bulk::Cells;
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::sql::{Sql, Val};
use crate::{Scope, Store};

/// A stored record found by its natural key.
pub(crate) struct StoredRecord {
    /// The stamp of its last write.
    pub stamp: String,
    region: String,
    /// The enterprise it belongs to: an enterprise itself, a job's employer.
    enterprise: Option<i64>,
}

impl StoredRecord {
    /// Whether `scope` may change the record as it is stored: a write must not reach (and
    /// so move into its own region) a record of another region or enterprise.
    pub(crate) fn admitted_by(&self, scope: &Scope) -> bool {
        RegionCode::parse(&self.region).is_ok_and(|r| scope.admits(&r, self.enterprise))
    }
}

impl Store {
    /// The stored records among these natural keys (values of `columns` of `table`), each
    /// key as text: an import tells by the last-write stamp the records it has written
    /// itself (a later row repeating an earlier one) from those it updates, which must be
    /// within its scope; the others it inserts.
    pub(crate) async fn stored_keys(
        &self,
        conn: &mut Conn<'_>,
        table: &str,
        columns: &[&str],
        keys: &[Vec<Val>],
    ) -> Result<HashMap<Vec<String>, StoredRecord>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let selected: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("CAST({c} AS TEXT) AS k{i}"))
            .collect();
        let enterprise = match table {
            "enterprise" => "id",
            "employment" => "enterprise_id",
            _ => "CAST(NULL AS BIGINT)",
        };
        let mut sql = Sql::new(&format!(
            "SELECT {}, updated_at, region, {enterprise} FROM {table} WHERE ",
            selected.join(", ")
        ));
        for (i, key) in keys.iter().enumerate() {
            sql.push(if i > 0 { " OR (" } else { "(" });
            for (j, (c, v)) in columns.iter().zip(key).enumerate() {
                sql.push(if j > 0 { " AND " } else { "" })
                    .push(c)
                    .push(" = ")
                    .bind(v.clone());
            }
            sql.push(")");
        }
        let read = |r: &dyn Cells| {
            let key = (0..columns.len())
                .map(|i| Ok(r.required(i)?.to_string()))
                .collect::<Result<_>>()?;
            let n = columns.len();
            let stored = StoredRecord {
                stamp: r.required(n)?.to_string(),
                region: r.required(n + 1)?.to_string(),
                enterprise: r.int(n + 2)?,
            };
            Ok((key, stored))
        };
        Ok(conn.rows(&sql, read).await?.into_iter().collect())
    }

    /// Refuses a second registration of `person` on `date` in `t`: there is one per person
    /// and date, and an upsert would take over the stored one, whoever's it is.
    pub(crate) async fn one_per_date(
        &self,
        conn: &mut Conn<'_>,
        t: &RegistrationTable,
        person: i64,
        date: chrono::NaiveDate,
    ) -> Result<()> {
        let key = [vec![person.into(), super::date_text(date).into()]];
        let stored = self
            .stored_keys(conn, t.table, &["person_id", t.date], &key)
            .await?;
        if stored.is_empty() {
            return Ok(());
        }
        let kind = if t.table == EMPLOYMENT.table {
            "就业"
        } else {
            "失业"
        };
        Err(StoreError::Conflict(format!(
            "该人员同一日期的{kind}登记已存在"
        )))
    }
}
