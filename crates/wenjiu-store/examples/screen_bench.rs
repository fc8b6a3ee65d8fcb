//! Batch policy screening benchmark (policy issue #5): wenjiu's `evaluate_batch` against a
//! hand-written Rust loop implementing the same four policies of `policies/liaoning-2020`
//! (`hiring-si`, `hiring-epidemic-supplies`, `flexible-si`, `stable-return`) over the same
//! columns, and the whole catalogue screened over the hires, persons and enterprises.
//!
//! ```sh
//! cargo run -p wenjiu-store --example screen_bench -- \
//!     --data bench/policy/data/1000000 --catalogue policies/liaoning-2020 --date 2020-06-30 --runs 5
//! ```
//!
//! Reads the columns the four policies read from `DATA/hire.csv`, `DATA/person.csv` and
//! `DATA/enterprise.csv` (bench/policy/gen.py: column names are the schema's full field names
//! plus `region`) into three `Frame`s ("load"), loads the catalogue, evaluates the four
//! policies in batch ("compute", best of RUNS), runs the hand-written loop ("loop", best of
//! RUNS), asserts per policy that the eligible rows and amounts are equal, row by row. Then
//! reads the three files again with every column the catalogue reads, and screens them
//! against the whole catalogue as wenjiu's screening does — one policy set per subject kind,
//! batch evaluation, the limits (exclusion groups, once per subject) — ("catalogue", best of
//! RUNS); asserts that every policy is in force and that the four policies' results equal
//! the first run's, cross-checks a sample of rows of each frame with the single (traced)
//! evaluator for every policy, and prints JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use serde_json::json;
use wenjiu_store::policy::rules::{
    self, Column, Frame, Outcome, PolicyResults, PolicySet, SubjectKind, Type,
};
use wenjiu_store::policy::screening::kind_set;
use wenjiu_store::policy::screening::limits::{Grant, LimitKeys, grants_of};
use wenjiu_store::policy::{field, load_catalogue};

const HIRE_POLICIES: [&str; 2] = ["hiring-si", "hiring-epidemic-supplies"];
const PERSON_POLICIES: [&str; 1] = ["flexible-si"];
const ENTERPRISE_POLICIES: [&str; 1] = ["stable-return"];

struct Args {
    data: PathBuf,
    catalogue: PathBuf,
    date: NaiveDate,
    runs: usize,
    sample: usize,
}

fn args() -> Args {
    let mut a = Args {
        data: PathBuf::from("bench/policy/data/1000000"),
        catalogue: PathBuf::from("policies/liaoning-2020"),
        date: NaiveDate::from_ymd_opt(2020, 6, 30).unwrap(),
        runs: 5,
        sample: 20_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--data" => a.data = v.into(),
            "--catalogue" => a.catalogue = v.into(),
            "--date" => a.date = v.parse().expect("--date YYYY-MM-DD"),
            "--runs" => a.runs = v.parse().expect("--runs N"),
            "--sample" => a.sample = v.parse().expect("--sample N"),
            _ => panic!("unknown argument {k}"),
        }
    }
    a
}

fn date(s: &str) -> NaiveDate {
    let b = s.as_bytes();
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    assert!(
        b.len() == 10 && b[4] == b'-' && b[7] == b'-',
        "bad date {s}"
    );
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
        .unwrap_or_else(|| panic!("bad date {s}"))
}

fn int(s: &str) -> i64 {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    assert!(!digits.is_empty() && digits.len() <= 18, "bad integer {s}");
    let mut n: i64 = 0;
    for c in digits {
        let d = c.wrapping_sub(b'0');
        assert!(d < 10, "bad integer {s}");
        n = n * 10 + i64::from(d);
    }
    if neg { -n } else { n }
}

fn boolean(s: &str) -> bool {
    match s {
        "true" => true,
        "false" => false,
        _ => panic!("bad boolean {s}"),
    }
}

/// A CSV of one subject kind, parsed by the schema's field types: the regions and the columns.
struct Table {
    regions: Vec<String>,
    columns: BTreeMap<String, Column>,
}

/// One column of the CSV, allocated whole once the lines are counted, so that each value is
/// written once, in place, by the core parsing its line.
enum Builder<'t> {
    Int(Vec<i64>),
    Money(Vec<i64>),
    Bool(Vec<bool>),
    Date(Vec<NaiveDate>),
    Str(Vec<&'t str>),
    Region(Vec<&'t str>),
    /// A column no policy run here reads: scanned past, not parsed.
    Skip,
}

/// The rows of one column that one part of the file fills.
enum Slot<'c, 't> {
    Int(&'c mut [i64]),
    Bool(&'c mut [bool]),
    Date(&'c mut [NaiveDate]),
    Str(&'c mut [&'t str]),
    Skip,
}

/// `v` cut into consecutive slices of `lengths`.
fn cut<'c, T>(mut v: &'c mut [T], lengths: &[usize]) -> Vec<&'c mut [T]> {
    lengths
        .iter()
        .map(|n| {
            let (part, rest) = std::mem::take(&mut v).split_at_mut(*n);
            v = rest;
            part
        })
        .collect()
}

impl<'t> Builder<'t> {
    /// The builder of column `name`, or `Skip` when `wanted` does not hold it.
    fn new(name: &str, rows: usize, wanted: &BTreeSet<&str>) -> Builder<'t> {
        if name == "region" {
            return Builder::Region(vec![""; rows]);
        }
        if !wanted.contains(name) {
            return Builder::Skip;
        }
        let ty = field(name)
            .unwrap_or_else(|| panic!("{name} is not a schema field"))
            .ty;
        match ty {
            Type::Int => Builder::Int(vec![0; rows]),
            Type::Money => Builder::Money(vec![0; rows]),
            Type::Bool => Builder::Bool(vec![false; rows]),
            Type::Date => Builder::Date(vec![NaiveDate::MIN; rows]),
            Type::String => Builder::Str(vec![""; rows]),
            other => panic!("{name}: no CSV reading for {other}"),
        }
    }

    /// The column's rows cut into the parts' slots.
    fn slots<'c>(&'c mut self, lengths: &[usize]) -> Vec<Slot<'c, 't>> {
        match self {
            Builder::Int(v) | Builder::Money(v) => {
                cut(v, lengths).into_iter().map(Slot::Int).collect()
            }
            Builder::Bool(v) => cut(v, lengths).into_iter().map(Slot::Bool).collect(),
            Builder::Date(v) => cut(v, lengths).into_iter().map(Slot::Date).collect(),
            Builder::Str(v) | Builder::Region(v) => {
                cut(v, lengths).into_iter().map(Slot::Str).collect()
            }
            Builder::Skip => lengths.iter().map(|_| Slot::Skip).collect(),
        }
    }
}

impl<'t> Slot<'_, 't> {
    fn set(&mut self, row: usize, v: &'t str) {
        match self {
            Slot::Int(c) => c[row] = int(v),
            Slot::Bool(c) => c[row] = boolean(v),
            Slot::Date(c) => c[row] = date(v),
            Slot::Str(c) => c[row] = v,
            Slot::Skip => {}
        }
    }
}

/// Parses the data lines of `body` into `slots` (no quoting: gen.py writes none).
fn parse_part<'t>(body: &'t str, mut slots: Vec<Slot<'_, 't>>) {
    // Byte scan: each field ends at the first ',' or '\n', which must be the one its place in
    // the line calls for (all ASCII, so the slices are on character boundaries).
    let bytes = body.as_bytes();
    let last = slots.len() - 1;
    let (mut at, mut row) = (0, 0);
    while at < bytes.len() {
        for (i, slot) in slots.iter_mut().enumerate() {
            let mut end = at;
            while end < bytes.len() && bytes[end] != b',' && bytes[end] != b'\n' {
                end += 1;
            }
            let want = if i == last { b'\n' } else { b',' };
            assert!(
                bytes.get(end).is_none_or(|c| *c == want),
                "malformed line near byte {at}"
            );
            // Only a line's last field can end in the '\r' of a CRLF.
            let crlf = i == last && end > at && bytes[end - 1] == b'\r';
            slot.set(row, &body[at..end - usize::from(crlf)]);
            at = end + 1;
        }
        row += 1;
    }
}

/// Lines in `part`, the last one with or without its '\n'.
fn lines(part: &str) -> usize {
    let ends = part.bytes().filter(|b| *b == b'\n').count();
    ends + usize::from(!part.is_empty() && !part.ends_with('\n'))
}

/// Parses `text` into typed columns (those `wanted`, and the regions), the lines split among
/// the cores: each counts its lines, then parses them into its rows of the columns. Strings
/// (and the regions) stay borrowed from `text` until the frame dictionary-codes them.
fn parse<'t>(text: &'t str, wanted: &BTreeSet<&str>) -> (Vec<&'t str>, Vec<Builder<'t>>) {
    let (head, body) = text.split_once('\n').expect("empty CSV");
    let header: Vec<&str> = head.split(',').collect();
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    // Split the body at line ends into `threads` parts.
    let mut parts = Vec::new();
    let mut rest = body;
    for t in (1..=threads).rev() {
        let want = rest.len() / t;
        let cut = if t == 1 {
            rest.len()
        } else {
            rest[want..].find('\n').map_or(rest.len(), |i| want + i + 1)
        };
        let (part, r) = rest.split_at(cut);
        parts.push(part);
        rest = r;
    }
    let counts: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = parts.iter().map(|p| s.spawn(|| lines(p))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let rows = counts.iter().sum();
    let mut builders: Vec<Builder> = header
        .iter()
        .map(|h| Builder::new(h, rows, wanted))
        .collect();
    // Transpose the columns' slots into each part's.
    let mut part_slots: Vec<Vec<Slot>> = parts.iter().map(|_| Vec::new()).collect();
    for b in &mut builders {
        for (part, slot) in part_slots.iter_mut().zip(b.slots(&counts)) {
            part.push(slot);
        }
    }
    std::thread::scope(|s| {
        for (p, slots) in parts.iter().zip(part_slots) {
            s.spawn(move || parse_part(p, slots));
        }
    });
    (header, builders)
}

/// Seconds: reading the file and parsing it into typed columns (on all cores); dictionary-coding
/// the string columns and the regions and building the frame (`Column::strings`, `Frame::new`).
struct Load {
    read_and_parse: f64,
    dictionaries_and_frame: f64,
}

impl Load {
    fn total(&self) -> f64 {
        self.read_and_parse + self.dictionaries_and_frame
    }
}

/// Reads and parses one CSV and builds its frame of the columns the policies of `set` read
/// ("load"); returns a copy of the columns for the hand-written loop too (copied outside the
/// time measured).
fn load(kind: SubjectKind, path: &std::path::Path, set: &PolicySet) -> (Frame, Table, Load) {
    let t0 = Instant::now();
    let wanted: BTreeSet<&str> = set
        .policies()
        .iter()
        .flat_map(|p| p.fields().map(|(name, _)| name))
        .collect();
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run bench/policy/gen.py)", path.display()));
    let (header, builders) = parse(&text, &wanted);
    let t_split = t0.elapsed();
    let mut regions: Vec<&str> = Vec::new();
    let mut columns: Vec<(String, Column)> = Vec::new();
    for (h, b) in header.iter().zip(builders) {
        let c = match b {
            Builder::Region(v) => {
                regions = v;
                continue;
            }
            Builder::Int(v) => Column::Int(v),
            Builder::Money(v) => Column::Money(v),
            Builder::Bool(v) => Column::Bool(v),
            Builder::Date(v) => Column::Date(v),
            Builder::Str(v) => Column::strings(&v),
            Builder::Skip => continue,
        };
        columns.push((h.to_string(), c));
    }
    let t_parse = t0.elapsed();
    // Not timed: the loop's copy.
    let table = Table {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        columns: columns.iter().cloned().collect(),
    };
    let t1 = Instant::now();
    let frame = columns
        .into_iter()
        .fold(Frame::new(kind, &regions), |f, (name, c)| {
            f.with_column(&name, c).expect("column")
        });
    drop(regions);
    drop(text);
    let t_frame = t1.elapsed();
    let seconds = Load {
        read_and_parse: t_split.as_secs_f64(),
        dictionaries_and_frame: (t_parse - t_split + t_frame).as_secs_f64(),
    };
    (frame, table, seconds)
}

// ---------------------------------------------------------------------------------------------
// The hand-written loop: the four policies in plain Rust, constants as in the catalogue's
// parameter files at 2020-06-30 (hiring.toml, general.toml, flexible.toml, stable-return.toml).

fn ints<'a>(t: &'a Table, name: &str) -> &'a [i64] {
    match &t.columns[name] {
        Column::Int(v) | Column::Money(v) => v,
        _ => panic!("{name}"),
    }
}
fn bools<'a>(t: &'a Table, name: &str) -> &'a [bool] {
    match &t.columns[name] {
        Column::Bool(v) => v,
        _ => panic!("{name}"),
    }
}
fn dates<'a>(t: &'a Table, name: &str) -> &'a [NaiveDate] {
    match &t.columns[name] {
        Column::Date(v) => v,
        _ => panic!("{name}"),
    }
}
/// A string column as codes, with the code of `value` (u32::MAX when absent).
fn codes<'a>(t: &'a Table, name: &str, value: &str) -> (&'a [u32], u32) {
    match &t.columns[name] {
        Column::String { dict, codes } => (
            codes,
            dict.iter()
                .position(|d| d == value)
                .map_or(u32::MAX, |p| p as u32),
        ),
        _ => panic!("{name}"),
    }
}

/// The eligible rows, ascending, and the amount of each (the form of `PolicyResults`).
type Eligible = (Vec<u32>, Vec<i64>);

/// Runs `f(rows, eligible)` over the rows split evenly among the cores, each part pushing its
/// eligible rows and amounts; the parts are then put together in row order.
fn parallel(n: usize, f: impl Fn(Range<usize>, &mut Eligible) + Sync) -> Eligible {
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let per = n.div_ceil(threads).max(1);
    let parts: Vec<Eligible> = std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = (0..n)
            .step_by(per)
            .map(|from| {
                s.spawn(move || {
                    let mut part = (Vec::new(), Vec::new());
                    f(from..n.min(from + per), &mut part);
                    part
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut out: Eligible = (Vec::new(), Vec::new());
    for (rows, amounts) in parts {
        out.0.extend_from_slice(&rows);
        out.1.extend_from_slice(&amounts);
    }
    out
}

/// Region dictionary and per-row region codes, as the frame holds them.
fn region_codes(regions: &[String]) -> (Vec<&str>, Vec<u32>) {
    let mut index: BTreeMap<&str, u32> = BTreeMap::new();
    let mut dict = Vec::new();
    let codes = regions
        .iter()
        .map(|r| {
            *index.entry(r.as_str()).or_insert_with(|| {
                dict.push(r.as_str());
                (dict.len() - 1) as u32
            })
        })
        .collect();
    (dict, codes)
}

struct LoopHire<'a> {
    region: &'a [u32],
    months_by_region: Vec<i64>,
    registered: &'a [bool],
    unemployed_months: &'a [i64],
    graduate: &'a [bool],
    contract: &'a [i64],
    si_paid: &'a [bool],
    start: &'a [NaiveDate],
    monthly: &'a [i64],
    supplies: &'a [bool],
}

impl<'a> LoopHire<'a> {
    /// `regions`: the region dictionary and per-row codes, made when loading (as the frame's).
    fn new(t: &'a Table, regions: &'a (Vec<&str>, Vec<u32>)) -> LoopHire<'a> {
        let (dict, region) = (&regions.0, &regions.1);
        // hiring_si_months: 沈阳 (2101) 4, 大连 (2102) 6, the province 3; clamped to 3..=6.
        let months_by_region = dict
            .iter()
            .map(|r| {
                let m = if r.starts_with("2101") {
                    4
                } else if r.starts_with("2102") {
                    6
                } else {
                    3
                };
                m.clamp(3, 6)
            })
            .collect();
        LoopHire {
            region,
            months_by_region,
            registered: bools(t, "person.registered_unemployed"),
            unemployed_months: ints(t, "person.unemployed_months"),
            graduate: bools(t, "person.graduate_of_year"),
            contract: ints(t, "hire.contract_months"),
            si_paid: bools(t, "hire.si_paid"),
            start: dates(t, "hire.start_date"),
            monthly: ints(t, "hire.monthly_employer_si_fen"),
            supplies: bools(t, "enterprise.epidemic_supplies"),
        }
    }

    fn hiring_si(&self) -> Eligible {
        let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2020, 12, 31).unwrap();
        parallel(self.start.len(), |rows, (e, a)| {
            for i in rows {
                let target =
                    (self.registered[i] && self.unemployed_months[i] >= 6) || self.graduate[i];
                if target
                    && self.contract[i] >= 12
                    && self.si_paid[i]
                    && self.start[i] >= from
                    && self.start[i] <= to
                {
                    e.push(i as u32);
                    a.push(self.months_by_region[self.region[i] as usize] * self.monthly[i]);
                }
            }
        })
    }

    fn epidemic(&self) -> Eligible {
        let from = NaiveDate::from_ymd_opt(2020, 1, 25).unwrap();
        let to = NaiveDate::from_ymd_opt(2020, 12, 31).unwrap();
        parallel(self.start.len(), |rows, (e, a)| {
            for i in rows {
                if self.supplies[i]
                    && self.start[i] >= from
                    && self.start[i] <= to
                    && self.contract[i] >= 12
                {
                    e.push(i as u32);
                    // hiring_epidemic_amount_fen (100,000), capped at 100,000.
                    a.push(100_000);
                }
            }
        })
    }
}

fn loop_flexible(t: &Table) -> Eligible {
    let (kind, flexible) = codes(t, "person.employment_kind", "flexible");
    let (sex, male) = codes(t, "person.sex", "male");
    let registered = bools(t, "person.difficulty");
    let recognised = bools(t, "person.difficulty_recognised");
    let graduate = bools(t, "person.graduate_within_2y");
    let age = ints(t, "person.age");
    let si = ints(t, "person.si_paid_fen");
    let months = ints(t, "person.flexible_si_months_subsidised");
    parallel(age.len(), |rows, (e, a)| {
        for i in rows {
            let retire = if sex[i] == male { 60 } else { 55 };
            let difficulty = registered[i] || recognised[i];
            let within = if difficulty {
                // Near retirement at the first approval: retire − (age − months / 12) ≤ 5.
                12 * (retire - age[i]) + months[i] <= 12 * 5 || months[i] < 36 + 12
            } else {
                months[i] < 24
            };
            if kind[i] == flexible
                && (difficulty || graduate[i])
                && age[i] < retire
                && si[i] > 0
                && within
            {
                e.push(i as u32);
                // × 2/3, rounded down to the fen (si > 0).
                a.push(si[i] * 2 / 3);
            }
        }
    })
}

/// stable-return, constants of parameters/stable-return.toml at 2020-06-30: layoff rate at
/// most 20% for up to 30 insured, else 5.5%; 50% of the UI paid for large enterprises (half up
/// to the fen), 100% for the others.
fn loop_stable(t: &Table) -> Eligible {
    let (size, large) = codes(t, "enterprise.size_class", "large");
    let count = ints(t, "enterprise.insured_count");
    let start = ints(t, "enterprise.insured_start_of_year");
    let in_full = bools(t, "enterprise.ui_paid_in_full");
    let paid = ints(t, "enterprise.ui_paid_last_year_fen");
    parallel(count.len(), |rows, (e, a)| {
        for i in rows {
            let (num, den) = if start[i] <= 30 { (1, 5) } else { (55, 1000) };
            if start[i] > 0 && in_full[i] && (start[i] - count[i]) * den <= num * start[i] {
                e.push(i as u32);
                a.push(if size[i] == large {
                    (paid[i] + 1) / 2
                } else {
                    paid[i]
                });
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------

fn subset(set: &PolicySet, ids: &[&str], params: &rules::Parameters) -> PolicySet {
    let policies = ids
        .iter()
        .map(|id| {
            set.get(id)
                .unwrap_or_else(|| panic!("no policy {id}"))
                .clone()
        })
        .collect();
    PolicySet::new(policies, params).expect("policy subset")
}

/// `frame` screened against `set` as wenjiu's screening does: batch evaluation, then the limits
/// (each row is its own subject in these files).
fn screen(
    set: &PolicySet,
    frame: &Frame,
    date: NaiveDate,
    params: &rules::Parameters,
) -> (Vec<PolicyResults>, Vec<Grant>) {
    let results = rules::evaluate_batch(set, frame, date, params).expect("batch");
    let grants = grants_of(set, &results, |row| LimitKeys::both((row as i64, 0)));
    (results, grants)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, f64, Vec<f64>) {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        let r = f();
        times.push(t0.elapsed().as_secs_f64());
        out = Some(r);
    }
    let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
    (out.unwrap(), best, times)
}

fn main() {
    let a = args();
    let t0 = Instant::now();
    let cat = load_catalogue(&a.catalogue).unwrap_or_else(|e| panic!("{e}"));
    let t_catalogue = t0.elapsed().as_secs_f64();
    let hire_set = subset(&cat.set, &HIRE_POLICIES, &cat.params);
    let person_set = subset(&cat.set, &PERSON_POLICIES, &cat.params);
    let enterprise_set = subset(&cat.set, &ENTERPRISE_POLICIES, &cat.params);

    let (hire_frame, hire_table, t_load_hire) =
        load(SubjectKind::Hire, &a.data.join("hire.csv"), &hire_set);
    let (person_frame, person_table, t_load_person) =
        load(SubjectKind::Person, &a.data.join("person.csv"), &person_set);
    let (enterprise_frame, enterprise_table, t_load_enterprise) = load(
        SubjectKind::Enterprise,
        &a.data.join("enterprise.csv"),
        &enterprise_set,
    );

    // The compared policies of each kind with their frame: evaluated together ("compute") and
    // each kind alone.
    let kinds = [
        (&hire_set, &hire_frame),
        (&person_set, &person_frame),
        (&enterprise_set, &enterprise_frame),
    ];
    let evaluate = |(set, frame): (&PolicySet, &Frame)| {
        rules::evaluate_batch(set, frame, a.date, &cat.params).expect("batch")
    };
    let compute = || kinds.iter().flat_map(|k| evaluate(*k)).collect::<Vec<_>>();
    let (results, t_compute, compute_runs) = best_of(a.runs, compute);
    let [t_compute_hire, t_compute_person, t_compute_enterprise] =
        kinds.map(|k| best_of(a.runs, || evaluate(k)).1);

    // Region codes for the loop, made once as the frame's are when loading (not timed).
    let hire_regions = region_codes(&hire_table.regions);
    let hand = || {
        let h = LoopHire::new(&hire_table, &hire_regions);
        vec![
            h.hiring_si(),
            h.epidemic(),
            loop_flexible(&person_table),
            loop_stable(&enterprise_table),
        ]
    };
    let (looped, t_loop, loop_runs) = best_of(a.runs, hand);

    // Equal row by row: the same eligible rows with the same amounts.
    let frame_rows = [
        hire_frame.len(),
        hire_frame.len(),
        person_frame.len(),
        enterprise_frame.len(),
    ];
    let mut policies = Vec::new();
    for ((r, (e, amt)), frame_rows) in results.iter().zip(&looped).zip(frame_rows) {
        assert!(r.applicable, "{} not applicable", r.policy_id);
        assert_eq!(
            (&r.rows, &r.amounts_fen),
            (e, amt),
            "{}: the eligible rows or their amounts differ from the loop",
            r.policy_id
        );
        let loop_count = e.len();
        let loop_total: i64 = amt.iter().sum();
        assert_eq!(r.beneficiaries(), loop_count);
        assert_eq!(r.total_fen(), loop_total);
        policies.push(json!({
            "policy": r.policy_id,
            "rows": frame_rows,
            "eligible": r.beneficiaries(),
            "total_fen": r.total_fen(),
            "loop_eligible": loop_count,
            "loop_total_fen": loop_total,
        }));
    }

    // The whole catalogue: each file loaded again with every column its kind's policies read.
    let files = [
        (SubjectKind::Hire, "hire.csv"),
        (SubjectKind::Person, "person.csv"),
        (SubjectKind::Enterprise, "enterprise.csv"),
    ];
    let sets: Vec<PolicySet> = files
        .iter()
        .map(|(kind, _)| {
            kind_set(&cat, &cat.params, *kind, None)
                .expect("policy set")
                .unwrap_or_else(|| panic!("no {kind:?} policy"))
        })
        .collect();
    let mut t_load_catalogue = Vec::new();
    let frames: Vec<Frame> = files
        .iter()
        .zip(&sets)
        .map(|((kind, file), set)| {
            let (frame, _, t) = load(*kind, &a.data.join(file), set);
            t_load_catalogue.push(t.total());
            frame
        })
        .collect();
    let t_load_catalogue_total: f64 = t_load_catalogue.iter().sum();
    let (screened, t_screen, screen_runs) = best_of(a.runs, || {
        frames
            .iter()
            .zip(&sets)
            .map(|(f, set)| screen(set, f, a.date, &cat.params))
            .collect::<Vec<_>>()
    });
    // The evaluation alone, without the limits.
    let (_, t_evaluate, _) = best_of(a.runs, || {
        for (f, set) in frames.iter().zip(&sets) {
            rules::evaluate_batch(set, f, a.date, &cat.params).expect("batch");
        }
    });
    let mut catalogue = Vec::new();
    for ((frame, set), (kind_results, grants)) in frames.iter().zip(&sets).zip(&screened) {
        for (p, (policy, r)) in set.policies().iter().zip(kind_results).enumerate() {
            assert!(r.applicable, "{} not in force on {}", r.policy_id, a.date);
            if let Some(first) = results.iter().find(|x| x.policy_id == r.policy_id) {
                assert_eq!(
                    (&r.rows, &r.amounts_fen),
                    (&first.rows, &first.amounts_fen),
                    "{}: the catalogue run differs from the compared run",
                    r.policy_id
                );
            }
            let granted: Vec<&Grant> = grants.iter().filter(|g| g.policy == p).collect();
            catalogue.push(json!({
                "policy": r.policy_id,
                "name": policy.name,
                "subject": format!("{:?}", frame.kind()).to_lowercase(),
                "rows": frame.len(),
                "eligible": r.beneficiaries(),
                "total_fen": r.total_fen(),
                "granted": granted.len(),
                "granted_fen": granted.iter().map(|g| g.amount_fen).sum::<i64>(),
            }));
        }
    }

    // The single (traced) evaluator on a sample of each frame's rows, every policy.
    let mut checked = 0;
    let t_single = Instant::now();
    for ((frame, set), (kind_results, _)) in frames.iter().zip(&sets).zip(&screened) {
        let step = (frame.len() / a.sample.max(1)).max(1);
        for row in (0..frame.len()).step_by(step) {
            let subject = frame.subject(row);
            for (p, r) in set.policies().iter().zip(kind_results) {
                let ev = rules::evaluate(p, &subject, a.date, &cat.params).expect("single");
                let amount = match ev.outcome {
                    Outcome::Eligible { amount_fen } => Some(amount_fen),
                    Outcome::NotEligible { .. } => None,
                    Outcome::NotApplicable => panic!("{} not applicable", p.id),
                };
                assert_eq!(
                    amount,
                    r.amount_of(row),
                    "{} row {row}: single and batch differ",
                    p.id
                );
                checked += 1;
            }
        }
    }
    let t_single = t_single.elapsed().as_secs_f64();

    let loads = [&t_load_hire, &t_load_person, &t_load_enterprise];
    let t_load: f64 = loads.iter().map(|l| l.total()).sum();
    let out = json!({
        "date": a.date.to_string(),
        "rows": {
            "hire": hire_frame.len(),
            "person": person_frame.len(),
            "enterprise": enterprise_frame.len(),
        },
        "threads": std::thread::available_parallelism().map_or(1, |t| t.get()),
        "seconds": {
            "catalogue": t_catalogue,
            "load": t_load,
            "load_hire": t_load_hire.total(),
            "load_person": t_load_person.total(),
            "load_enterprise": t_load_enterprise.total(),
            "load_read_and_parse": loads.iter().map(|l| l.read_and_parse).sum::<f64>(),
            "load_dictionaries_and_frame":
                loads.iter().map(|l| l.dictionaries_and_frame).sum::<f64>(),
            "compute": t_compute,
            "compute_runs": compute_runs,
            "compute_hire": t_compute_hire,
            "compute_person": t_compute_person,
            "compute_enterprise": t_compute_enterprise,
            "loop": t_loop,
            "loop_runs": loop_runs,
            "end_to_end": t_catalogue + t_load + t_compute,
        },
        "policies": policies,
        "matches_loop": true,
        "catalogue": {
            "rows": {
                "hire": frames[0].len(),
                "person": frames[1].len(),
                "enterprise": frames[2].len(),
            },
            "seconds": {
                "load": t_load_catalogue_total,
                "load_hire": t_load_catalogue[0],
                "load_person": t_load_catalogue[1],
                "load_enterprise": t_load_catalogue[2],
                "compute": t_screen,
                "compute_runs": screen_runs,
                "compute_evaluate": t_evaluate,
                "end_to_end": t_catalogue + t_load_catalogue_total + t_screen,
            },
            "policies": catalogue,
        },
        "single_cross_check": { "evaluations": checked, "seconds": t_single, "all_equal": true },
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}
