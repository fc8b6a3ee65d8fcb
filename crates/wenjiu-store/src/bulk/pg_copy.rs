//! PostgreSQL's side of [`Store::bulk`]: the statement run as `COPY (…) TO STDOUT` (text
//! format), its rows parsed and mapped on a blocking thread while the connection reads on and
//! the caller takes up the batches before — three stages at once, as SQLite's reader thread
//! overlaps with the caller. Row by row through the extended protocol, decoding and mapping
//! ran one after the other with the reading on one task.
//!
//! [`Store::bulk`]: crate::Store::bulk

use std::borrow::Cow;

use futures_util::TryStreamExt;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::sync::mpsc;

use super::{BATCH, Batches, Cells};
use crate::error::{Result, StoreError};
use crate::sql::{Sql, Val};

/// Bytes of COPY data handed to the parser at a time (whole rows).
const CHUNK: usize = 1 << 18;

/// `sql` with its arguments written in as literals, in one pass over the text: COPY takes no
/// parameters.
fn inline(sql: &Sql) -> Result<String> {
    let text = sql.text();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - at - 1);
        let n: usize = rest[at + 1..at + 1 + digits]
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("语句中的“$”不是参数：{text}")))?;
        let literal = match sql.args().get(n.wrapping_sub(1)) {
            Some(Val::Int(Some(v))) => v.to_string(),
            Some(Val::Text(Some(v))) => format!("'{}'", v.replace('\'', "''")),
            Some(Val::Int(None) | Val::Text(None)) => "NULL".to_string(),
            None => return Err(StoreError::Corrupt(format!("语句没有参数 ${n}"))),
        };
        out.push_str(&literal);
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One row of COPY's text format: cells separated by tabs, `\N` for NULL, backslash escapes.
struct CopyRow<'a> {
    cells: Vec<Option<Cow<'a, str>>>,
}

fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

impl<'a> CopyRow<'a> {
    fn parse(line: &'a str) -> CopyRow<'a> {
        let cells = line
            .split('\t')
            .map(|c| (c != "\\N").then(|| unescape(c)))
            .collect();
        CopyRow { cells }
    }

    fn cell(&self, i: usize) -> Result<Option<&str>> {
        match self.cells.get(i) {
            Some(c) => Ok(c.as_deref()),
            None => Err(StoreError::Corrupt(format!("第{}列不存在", i + 1))),
        }
    }
}

impl Cells for CopyRow<'_> {
    fn text(&self, i: usize) -> Result<Option<&str>> {
        self.cell(i)
    }

    fn int(&self, i: usize) -> Result<Option<i64>> {
        self.cell(i)?
            .map(|s| {
                s.parse()
                    .map_err(|_| StoreError::Corrupt(format!("第{}列“{s}”不是整数", i + 1)))
            })
            .transpose()
    }
}

/// Parses and maps the rows of each chunk, sending them on in batches, until the chunks end
/// or the receiver is gone.
fn parse_rows<T>(
    mut chunks: mpsc::Receiver<Vec<u8>>,
    map: &impl Fn(&dyn Cells) -> Result<T>,
    batches: &mpsc::Sender<Result<Vec<T>>>,
) -> Result<()> {
    let mut rows = Batches::new();
    while let Some(chunk) = chunks.blocking_recv() {
        let text = std::str::from_utf8(&chunk)
            .map_err(|e| StoreError::Corrupt(format!("COPY 数据不是 UTF-8：{e}")))?;
        for line in text.split_terminator('\n') {
            if let Some(full) = rows.push(map(&CopyRow::parse(line))?)
                && batches.blocking_send(Ok(full)).is_err()
            {
                return Ok(());
            }
        }
    }
    let _ = batches.blocking_send(Ok(rows.0));
    Ok(())
}

/// Every row of `sql` on the database at `url`, mapped by `map`, handed to `each` in batches.
pub(super) async fn read<T: Send + 'static>(
    options: &PgConnectOptions,
    sql: &Sql,
    map: impl Fn(&dyn Cells) -> Result<T> + Send + 'static,
    mut each: impl FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let copy = format!("COPY ({}) TO STDOUT", inline(sql)?);
    let mut conn = PgConnection::connect_with(options).await?;
    let (chunk_tx, chunk_rx) = mpsc::channel::<Vec<u8>>(4);
    let (batch_tx, mut batch_rx) = mpsc::channel(4);
    let parser = tokio::task::spawn_blocking(move || {
        if let Err(e) = parse_rows(chunk_rx, &map, &batch_tx) {
            let _ = batch_tx.blocking_send(Err(e));
        }
    });
    let read = async {
        let mut data = conn.copy_out_raw(&copy).await?;
        let mut chunk = Vec::with_capacity(CHUNK + BATCH);
        // Each message holds whole rows: a chunk ends at a row's end.
        while let Some(message) = data.try_next().await? {
            chunk.extend_from_slice(&message);
            if chunk.len() >= CHUNK
                && chunk_tx
                    .send(std::mem::replace(
                        &mut chunk,
                        Vec::with_capacity(CHUNK + BATCH),
                    ))
                    .await
                    .is_err()
            {
                // The parser stopped: its error comes with the batches.
                return Ok(());
            }
        }
        let _ = chunk_tx.send(chunk).await;
        drop(chunk_tx);
        Ok::<(), StoreError>(())
    };
    let take = async {
        while let Some(batch) = batch_rx.recv().await {
            each(batch?)?;
        }
        Ok::<(), StoreError>(())
    };
    let (read, take) = tokio::join!(read, take);
    read.and(take)?;
    parser
        .await
        .map_err(|e| StoreError::Corrupt(format!("读取中断：{e}")))?;
    conn.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_written_in_as_literals() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind(7_i64).push(" AND b IN (");
        for n in 2..=11 {
            sql.bind(format!("${}", 13 - n)).push(",");
        }
        sql.push("0) AND c = ").bind("O'Brien");
        assert_eq!(
            inline(&sql).unwrap(),
            "SELECT 1 WHERE a = 7 AND b IN ('$11','$10','$9','$8','$7','$6','$5','$4','$3',\
             '$2',0) AND c = 'O''Brien'"
        );
        let mut missing = Sql::new("SELECT $2");
        missing.arg(1_i64);
        assert!(inline(&missing).is_err());
    }

    #[test]
    fn copy_text_cells_are_unescaped_and_null_is_none() {
        let row = CopyRow::parse("12\t\\N\ta\\tb\\\\c\t");
        let cells: &dyn Cells = &row;
        assert_eq!(cells.int(0).unwrap(), Some(12));
        assert_eq!(cells.text(1).unwrap(), None);
        assert_eq!(cells.text(2).unwrap(), Some("a\tb\\c"));
        assert_eq!(cells.text(3).unwrap(), Some(""));
        assert!(cells.text(4).is_err());
        assert!(cells.int(2).is_err());
    }
}
