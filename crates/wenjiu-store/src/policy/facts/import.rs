//! Facts from a sheet (e.g. an extract of the social-insurance system): each row checked like
//! a fact entered by hand, resolved to its subject in batches; bad rows reported with row,
//! column and reason, good rows kept; importing the same file again corrects, never adds.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::NaiveDate;
use wenjiu_core::{CreditCode, IdCardNo, parse_date};
use wenjiu_io::TableReader;
use wenjiu_rules::SubjectKind;

use super::{FactRecord, FactValue, NewFact, SubjectKey, admitted, source_of, supplied_field};
use crate::error::Result;
use crate::policy::schema::FieldDef;
use crate::registry::ImportReport;
use crate::registry::import::CellError;
use crate::sheet::{Sheet, SheetRow, cell};
use crate::{Scope, Store};

/// The sheet's columns; the first three are required, the subject's keys as its field needs.
pub const FACT_COLUMNS: [&str; 7] = [
    "信息项",
    "取值",
    "生效日期",
    "身份证号",
    "统一社会信用代码",
    "招用日期",
    "来源",
];

/// Rows resolved and written per batch.
const BATCH: usize = 1000;

/// A problem with one input: (column, header, message).
pub(crate) type Problem = (&'static str, &'static str, String);

fn problem(i: usize, message: impl Into<String>) -> Problem {
    const KEYS: [&str; 7] = [
        "field",
        "value",
        "valid_from",
        "id_no",
        "credit_code",
        "hire_start",
        "source",
    ];
    (KEYS[i], FACT_COLUMNS[i], message.into())
}

/// A fact's field, subject keys and value, checked; every problem named under its column.
pub(crate) fn parse_fact(
    input: &NewFact,
) -> std::result::Result<(&'static FieldDef, SubjectKey, FactValue), Vec<Problem>> {
    let def = supplied_field(&input.field).map_err(|m| vec![problem(0, m)])?;
    let mut problems = Vec::new();
    let value = FactValue::input(def, &input.value)
        .map_err(|m| problems.push(problem(1, m)))
        .ok();
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let mut id_no = || {
        let t = text(&input.id_no);
        if t.is_empty() {
            problems.push(problem(
                3,
                format!("“{}”是关于个人的信息项，须填身份证号", def.label),
            ));
            return None;
        }
        IdCardNo::parse(&t)
            .map_err(|e| problems.push(problem(3, e.to_string())))
            .ok()
    };
    let person = matches!(def.kind, SubjectKind::Person | SubjectKind::Hire)
        .then(&mut id_no)
        .flatten();
    let mut credit = || {
        let t = text(&input.credit_code).to_uppercase();
        if t.is_empty() {
            problems.push(problem(4, format!("“{}”须填统一社会信用代码", def.label)));
            return None;
        }
        CreditCode::parse(&t)
            .map_err(|e| problems.push(problem(4, e.to_string())))
            .ok()
    };
    let enterprise = matches!(def.kind, SubjectKind::Enterprise | SubjectKind::Hire)
        .then(&mut credit)
        .flatten();
    let start = match (def.kind, input.hire_start) {
        (SubjectKind::Hire, None) => {
            problems.push(problem(
                5,
                format!("“{}”是关于招用的信息项，须填招用日期", def.label),
            ));
            None
        }
        (_, start) => start,
    };
    let key = match (def.kind, person, enterprise, start) {
        (SubjectKind::Person, Some(p), _, _) => Some(SubjectKey::Person(p)),
        (SubjectKind::Enterprise, _, Some(e), _) => Some(SubjectKey::Enterprise(e)),
        (SubjectKind::Hire, Some(p), Some(e), Some(s)) => Some(SubjectKey::Hire(p, e, s)),
        _ => None,
    };
    match (key, value) {
        (Some(key), Some(value)) if problems.is_empty() => Ok((def, key, value)),
        _ => Err(problems),
    }
}

/// A row's cells as a fact; dates that do not parse are problems of their columns.
fn row_fact(c: &[String]) -> std::result::Result<NewFact, Vec<Problem>> {
    let date = |i: usize| -> std::result::Result<Option<NaiveDate>, Problem> {
        let t = c[i].trim();
        if t.is_empty() {
            return Ok(None);
        }
        parse_date(t)
            .map(Some)
            .map_err(|e| problem(i, e.to_string()))
    };
    let valid_from = date(2).and_then(|d| d.ok_or_else(|| problem(2, "生效日期不能为空")));
    let hire_start = date(5);
    let (valid_from, hire_start) = match (valid_from, hire_start) {
        (Ok(from), Ok(start)) => (from, start),
        (a, b) => return Err([a.err(), b.err()].into_iter().flatten().collect()),
    };
    let opt = |i: usize| Some(c[i].clone()).filter(|s| !s.trim().is_empty());
    Ok(NewFact {
        field: c[0].clone(),
        value: c[1].clone(),
        valid_from,
        id_no: opt(3),
        credit_code: opt(4),
        hire_start,
        source: opt(6),
    })
}

fn cells(problems: Vec<Problem>) -> Vec<CellError> {
    problems.into_iter().map(|(_, h, m)| cell(h, m)).collect()
}

/// A parsed row waiting for its subject.
struct Pending {
    row: SheetRow,
    def: &'static FieldDef,
    key: SubjectKey,
    value: FactValue,
    fact: NewFact,
}

impl Store {
    /// Imports facts from a sheet of [`FACT_COLUMNS`] within the caller's scope.
    pub async fn import_facts(
        &self,
        scope: &Scope,
        actor: &str,
        reader: TableReader,
    ) -> Result<ImportReport> {
        let mut file = Sheet::read(reader, &FACT_COLUMNS, 3)?;
        let mut rows = file.take_rows().into_iter().peekable();
        // (kind, subject, field, date) → the row that gave it: a repeat is refused.
        let mut seen: HashMap<(&'static str, i64, &'static str, NaiveDate), usize> = HashMap::new();
        let mut updated = 0;
        while rows.peek().is_some() {
            let mut pending = Vec::new();
            for row in rows.by_ref().take(BATCH) {
                match row_fact(&row.cells).and_then(|fact| {
                    parse_fact(&fact).map(|(def, key, value)| (def, key, value, fact))
                }) {
                    Ok((def, key, value, fact)) => pending.push(Pending {
                        row,
                        def,
                        key,
                        value,
                        fact,
                    }),
                    Err(problems) => file.record(row, Err(cells(problems))),
                }
            }
            let keys: Vec<&SubjectKey> = pending.iter().map(|p| &p.key).collect();
            let found = self.find_subjects(&keys).await?;
            let mut records = Vec::new();
            let mut accepted = Vec::new();
            for (p, found) in pending.into_iter().zip(found) {
                let subject_id = match admitted(scope, &p.key, found) {
                    Ok(id) => id,
                    Err(m) => {
                        let column = match p.key {
                            SubjectKey::Enterprise(_) => FACT_COLUMNS[4],
                            _ => FACT_COLUMNS[3],
                        };
                        file.record(p.row, Err(vec![cell(column, m)]));
                        continue;
                    }
                };
                let record = FactRecord {
                    def: p.def,
                    subject_id,
                    value: p.value,
                    valid_from: p.fact.valid_from,
                    source: source_of(p.def, p.fact.source.as_deref()),
                };
                match seen.entry(record.key()) {
                    Entry::Occupied(first) => {
                        let m = format!(
                            "与第 {} 行是同一对象、同一信息项、同一生效日期",
                            first.get()
                        );
                        file.record(p.row, Err(vec![cell(FACT_COLUMNS[0], m)]));
                        continue;
                    }
                    Entry::Vacant(v) => {
                        v.insert(p.row.number);
                    }
                }
                records.push(record);
                accepted.push(p.row);
            }
            updated += self.write_facts(actor, &records).await?;
            for row in accepted {
                file.record(row, Ok(()));
            }
        }
        Ok(file.finish_with_updated(updated))
    }
}
