//! Which natural keys of a batch are stored already.

use std::collections::HashMap;

use crate::Store;
use crate::bulk::Cells;
use crate::conn::Conn;
use crate::error::Result;
use crate::sql::{Sql, Val};

impl Store {
    /// The stored records among these natural keys (values of `columns` of `table`), each
    /// key as text with its record's last-write stamp: an import tells by the stamp the
    /// records it has written itself (a later row repeating an earlier one) from those it
    /// updates; the others it inserts.
    pub(crate) async fn stored_keys(
        &self,
        conn: &mut Conn<'_>,
        table: &str,
        columns: &[&str],
        keys: &[Vec<Val>],
    ) -> Result<HashMap<Vec<String>, String>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let selected: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("CAST({c} AS TEXT) AS k{i}"))
            .collect();
        let mut sql = Sql::new(&format!(
            "SELECT {}, updated_at FROM {table} WHERE ",
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
            Ok((key, r.required(columns.len())?.to_string()))
        };
        Ok(conn.rows(&sql, read).await?.into_iter().collect())
    }
}
