//! Subjects as columns: one typed column per field, strings dictionary-coded, and each row's
//! region, as screening reads them from the registry.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use foldhash::HashMap;

use crate::error::{Error, Result};
use crate::eval::Subject;
use crate::parallel::cores;
use crate::value::{SubjectKind, Type, Value};
use crate::vector::Vector;

/// One field's values for every row. Strings are dictionary-coded.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Int(Vec<i64>),
    Money(Vec<i64>),
    Bool(Vec<bool>),
    Date(Vec<NaiveDate>),
    String { dict: Vec<String>, codes: Vec<u32> },
}

/// Below this many rows a column is coded on one core.
const PARALLEL_FROM: usize = 1 << 16;

/// Dictionary-codes strings, in order of first appearance. Each core codes a part of the rows
/// against a dictionary of its own; the parts' dictionaries are then merged in row order and
/// their codes renumbered.
fn encode<S: AsRef<str> + Sync>(values: &[S]) -> (Vec<String>, Vec<u32>) {
    let mut codes = vec![0; values.len()];
    if values.len() < PARALLEL_FROM {
        let dict = encode_part(values, &mut codes);
        return (dict.into_iter().map(str::to_string).collect(), codes);
    }
    let per = values.len().div_ceil(cores());
    let dicts: Vec<Vec<&str>> = std::thread::scope(|s| {
        let coders: Vec<_> = values
            .chunks(per)
            .zip(codes.chunks_mut(per))
            .map(|(v, c)| s.spawn(move || encode_part(v, c)))
            .collect();
        coders
            .into_iter()
            .map(|c| c.join().expect("coding thread panicked"))
            .collect()
    });
    let mut index: HashMap<&str, u32> = HashMap::default();
    let mut dict = Vec::new();
    let renumbering: Vec<Vec<u32>> = dicts
        .iter()
        .map(|part| {
            part.iter()
                .map(|v| {
                    *index
                        .entry(v)
                        .or_insert_with(|| push(&mut dict, v.to_string()))
                })
                .collect()
        })
        .collect();
    std::thread::scope(|s| {
        for (c, new) in codes.chunks_mut(per).zip(&renumbering) {
            if new.iter().enumerate().any(|(old, new)| old as u32 != *new) {
                s.spawn(move || c.iter_mut().for_each(|code| *code = new[*code as usize]));
            }
        }
    });
    (dict, codes)
}

/// Codes `values` into `codes`; returns the part's dictionary.
fn encode_part<'v, S: AsRef<str>>(values: &'v [S], codes: &mut [u32]) -> Vec<&'v str> {
    let mut index: HashMap<&str, u32> = HashMap::default();
    let mut dict = Vec::new();
    for (v, code) in values.iter().zip(codes) {
        let v = v.as_ref();
        *code = *index.entry(v).or_insert_with(|| push(&mut dict, v));
    }
    dict
}

/// Appends a new dictionary entry; its code.
fn push<T>(dict: &mut Vec<T>, entry: T) -> u32 {
    dict.push(entry);
    (dict.len() - 1) as u32
}

impl Column {
    pub fn strings<S: AsRef<str> + Sync>(values: &[S]) -> Column {
        let (dict, codes) = encode(values);
        Column::String { dict, codes }
    }

    pub fn len(&self) -> usize {
        match self {
            Column::Int(v) | Column::Money(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Date(v) => v.len(),
            Column::String { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn ty(&self) -> Type {
        match self {
            Column::Int(_) => Type::Int,
            Column::Money(_) => Type::Money,
            Column::Bool(_) => Type::Bool,
            Column::Date(_) => Type::Date,
            Column::String { .. } => Type::String,
        }
    }

    /// The values of `rows`.
    pub(crate) fn gather(&self, rows: &[u32]) -> Vector<'_> {
        fn pick<T: Copy>(v: &[T], rows: &[u32]) -> Vec<T> {
            rows.iter().map(|r| v[*r as usize]).collect()
        }
        match self {
            Column::Int(v) | Column::Money(v) => Vector::I(pick(v, rows)),
            Column::Bool(v) => Vector::B(pick(v, rows)),
            Column::Date(v) => Vector::T(pick(v, rows)),
            Column::String { dict, codes } => Vector::S(
                rows.iter()
                    .map(|r| dict[codes[*r as usize] as usize].as_str())
                    .collect(),
            ),
        }
    }

    fn value(&self, row: usize) -> Value {
        match self {
            Column::Int(v) => Value::Int(v[row]),
            Column::Money(v) => Value::Money(v[row]),
            Column::Bool(v) => Value::Bool(v[row]),
            Column::Date(v) => Value::Date(v[row]),
            Column::String { dict, codes } => Value::String(dict[codes[row] as usize].clone()),
        }
    }
}

/// Subjects of one kind as columns, with each row's region code.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub(crate) kind: SubjectKind,
    pub(crate) regions: Vec<String>,
    pub(crate) region_codes: Vec<u32>,
    pub(crate) columns: BTreeMap<String, Column>,
}

impl Frame {
    /// A frame of `regions.len()` subjects of `kind`; `regions` holds each row's region code.
    pub fn new<S: AsRef<str> + Sync>(kind: SubjectKind, regions: &[S]) -> Frame {
        let (regions, region_codes) = encode(regions);
        Frame {
            kind,
            regions,
            region_codes,
            columns: BTreeMap::new(),
        }
    }

    /// Adds a field's column, by full name (`person.age`); it must have one value per row.
    pub fn with_column(mut self, field: &str, column: Column) -> Result<Frame> {
        if column.len() != self.len() {
            return Err(Error::FieldValue {
                field: field.to_string(),
                message: format!("的列长 {} 与行数 {} 不符", column.len(), self.len()),
            });
        }
        self.columns.insert(field.to_string(), column);
        Ok(self)
    }

    pub fn kind(&self) -> SubjectKind {
        self.kind
    }

    pub fn len(&self) -> usize {
        self.region_codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn region(&self, row: usize) -> &str {
        &self.regions[self.region_codes[row] as usize]
    }

    /// The column of a field, by full name.
    pub fn column(&self, field: &str) -> Option<&Column> {
        self.columns.get(field)
    }

    /// One row as a [`Subject`], to explain a batch result with a traced evaluation.
    pub fn subject(&self, row: usize) -> Subject {
        let mut s = Subject::new(self.kind, self.region(row));
        for (name, column) in &self.columns {
            s.fields.insert(name.clone(), column.value(row));
        }
        s
    }
}
