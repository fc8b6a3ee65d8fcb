//! The rules' subject frames read straight from the registry, within a region prefix: people,
//! enterprises, and hires (an employer-kind employment registration: enterprise × person).
//!
//! Fields the registry holds or derives (登记 / 派生 in [`FIELDS`]) are read and derived on the
//! evaluation date (a hire's person fields on the day before the hire starts, their months
//! registered unemployed and placed up to its start). Fields the
//! registry does not hold (申报: social insurance, market regulator, payment records) come from
//! the supplied facts ([`crate::policy::facts`]) holding on the same day; without one they take
//! the value that establishes nothing — `false`, `0`, `"none"` — so a policy that needs such a
//! fact finds no beneficiary until the fact is held. See docs/decisions/0009-screening.md and
//! 0010-supplied-facts.md.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use wenjiu_core::{
    DifficultyCategory, IndustryCode, KeyGroup, PersonFacts, SizeClass, age_on, derive_key_groups,
    whole_months_reached,
};
use wenjiu_rules::{Column, Frame, SubjectKind, Type};

use crate::Store;
use crate::bulk::Cells;
use crate::error::{Result, StoreError};
use crate::policy::facts::{FactValue, FactsOn};
use crate::policy::schema::{FIELDS, FieldDef};
use crate::policy::screening::limits::LimitKeys;
use crate::policy::screening::open::OpenOn;
use crate::policy::screening::placements::Placements;
use crate::policy::screening::within::Within;
use crate::registry::keygroups::{
    PERSON_COLUMNS, PERSON_COLUMNS_CELLS, PERSON_FACTS, PERSON_FACTS_CELLS, open_registrations,
    person_facts, person_own_facts, with_open,
};
use crate::registry::{date_text, parse_date};
use crate::sql::Sql;

/// Who each row of a frame is: what a result stores, and what the limits count per subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowId {
    /// The person, enterprise or employment registration (hire).
    pub subject: i64,
    pub person: Option<i64>,
    pub enterprise: Option<i64>,
}

impl RowId {
    /// The subjects the limits count: a person, an enterprise; for a hire, once per subject
    /// counts the person (a person is the subject of a given hiring subsidy once, whoever
    /// hires them: DOMAIN.md §6), an exclusion group the pair enterprise × person (the
    /// group's policies are not combined for one hire; an enterprise hiring the same person
    /// twice is one).
    pub fn limit_keys(&self) -> LimitKeys {
        match (self.enterprise, self.person) {
            (Some(e), Some(p)) => LimitKeys {
                once: (p, 0),
                group: (e, p),
            },
            _ => LimitKeys::both((self.subject, 0)),
        }
    }
}

/// A frame with the identity and region of each row.
pub struct Subjects {
    pub frame: Frame,
    pub ids: Vec<RowId>,
    pub regions: Vec<String>,
}

/// One column being filled, row by row.
enum Buf {
    Int(Vec<i64>),
    Bool(Vec<bool>),
    Str(Vec<&'static str>),
    Date(Vec<NaiveDate>),
}

/// The columns of a frame being read, by full field name, and each row's identity.
#[derive(Default)]
struct Builder {
    columns: Vec<(&'static str, Buf)>,
    /// Where the next value most likely goes: every row fills its columns in the same order,
    /// so a value finds its column without a search — per cell, a search was a fifth of
    /// reading a frame.
    next: usize,
    ids: Vec<RowId>,
    regions: Vec<String>,
}

/// The same name: the same static text (the same call site), or equal text.
fn same(a: &'static str, b: &'static str) -> bool {
    std::ptr::eq(a, b) || a == b
}

impl Builder {
    /// The column of `name`, started with `empty` if it is the first value.
    fn slot(&mut self, name: &'static str, empty: fn() -> Buf) -> &mut Buf {
        let guess = if self.next < self.columns.len() {
            self.next
        } else {
            0
        };
        let at = match self.columns.get(guess) {
            Some((n, _)) if same(n, name) => guess,
            _ => match self.columns.iter().position(|(n, _)| same(n, name)) {
                Some(i) => i,
                None => {
                    self.columns.push((name, empty()));
                    self.columns.len() - 1
                }
            },
        };
        self.next = at + 1;
        &mut self.columns[at].1
    }

    fn int(&mut self, name: &'static str, v: i64) {
        if let Buf::Int(c) = self.slot(name, || Buf::Int(Vec::new())) {
            c.push(v);
        }
    }

    fn bool(&mut self, name: &'static str, v: bool) {
        if let Buf::Bool(c) = self.slot(name, || Buf::Bool(Vec::new())) {
            c.push(v);
        }
    }

    fn str(&mut self, name: &'static str, v: &'static str) {
        if let Buf::Str(c) = self.slot(name, || Buf::Str(Vec::new())) {
            c.push(v);
        }
    }

    fn date(&mut self, name: &'static str, v: NaiveDate) {
        if let Buf::Date(c) = self.slot(name, || Buf::Date(Vec::new())) {
            c.push(v);
        }
    }

    /// The column of `name` as read, taken out of the builder.
    fn take(&mut self, name: &str) -> Option<Buf> {
        let at = self.columns.iter().position(|(n, _)| *n == name)?;
        Some(self.columns.swap_remove(at).1)
    }

    /// The frame: the columns read, and for every other field of `kind` the value that
    /// establishes nothing. A registry field left unread is a bug, reported as such.
    fn finish(mut self, kind: SubjectKind) -> Result<Subjects> {
        let n = self.ids.len();
        let mut frame = Frame::new(kind, &self.regions);
        let defs = FIELDS.iter().filter(|d| kind.roots().contains(&d.kind));
        for d in defs {
            let name = d.full_name();
            let column = match self.take(&name) {
                Some(buf) => column(d, buf),
                // No rows read: no column was started.
                None if n == 0 => empty(d)?,
                None => {
                    return Err(StoreError::Corrupt(format!("筛查未读取登记字段 {name}")));
                }
            };
            frame = frame
                .with_column(&name, column)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
        Ok(Subjects {
            frame,
            ids: self.ids,
            regions: self.regions,
        })
    }
}

fn column(d: &FieldDef, buf: Buf) -> Column {
    match buf {
        Buf::Int(v) if d.ty == Type::Money => Column::Money(v),
        Buf::Int(v) => Column::Int(v),
        Buf::Bool(v) => Column::Bool(v),
        Buf::Str(v) => Column::strings(&v),
        Buf::Date(v) => Column::Date(v),
    }
}

/// A column of no rows of the field's type.
fn empty(d: &FieldDef) -> Result<Column> {
    Ok(match d.ty {
        Type::Bool => Column::Bool(Vec::new()),
        Type::Int => Column::Int(Vec::new()),
        Type::Money => Column::Money(Vec::new()),
        Type::String => Column::strings::<&str>(&[]),
        Type::Date => Column::Date(Vec::new()),
        other => {
            return Err(StoreError::Corrupt(format!(
                "字段 {} 的类型{other}不能作为对象字段",
                d.full_name()
            )));
        }
    })
}

/// The supplied fields with their full names, kept for the life of the program: the
/// builder's columns are keyed by static names.
static SUPPLIED: LazyLock<Vec<(&'static FieldDef, &'static str)>> = LazyLock::new(|| {
    FIELDS
        .iter()
        .filter(|d| d.is_supplied())
        .map(|d| (d, &*Box::leak(d.full_name().into_boxed_str())))
        .collect()
});

/// A row's supplied fields: each fact holding on the day its subject's fields describe (a
/// hire's person: the day before the hire starts), else the value that establishes nothing.
fn push_supplied(b: &mut Builder, facts: &[(SubjectKind, FactsOn)], read: &Read, date: NaiveDate) {
    for (kind, on) in facts {
        let (subject, at) = match kind {
            SubjectKind::Person => (read.id.person, read.person.as_ref().map_or(date, |p| p.on)),
            SubjectKind::Enterprise => (read.id.enterprise, date),
            SubjectKind::Hire => (Some(read.id.subject), date),
        };
        let held = on.of(subject);
        for (d, name) in SUPPLIED.iter().filter(|(d, _)| d.kind == *kind) {
            match held.get(d, at) {
                FactValue::Bool(v) => b.bool(name, v),
                FactValue::Int(v) => b.int(name, v),
                FactValue::Code(v) => b.str(name, v),
            }
        }
    }
}

/// Whole calendar months from `since` to `at` (0 when `since` is later).
pub(super) fn whole_months(since: NaiveDate, at: NaiveDate) -> i64 {
    let approx = (at.year() - since.year()) * 12 + at.month() as i32 - since.month() as i32;
    let mut m = approx.max(0) as u32;
    while m > 0 && !whole_months_reached(since, at, m) {
        m -= 1;
    }
    m as i64
}

/// GB/T 4754 section letters, as static codes for the string columns.
const SECTIONS: &str = "ABCDEFGHIJKLMNOPQRST";

fn section(c: char) -> &'static str {
    SECTIONS.find(c).map_or("", |i| &SECTIONS[i..i + 1])
}

/// The person's fields of `p`, with `placed` whole months in public-welfare jobs.
fn push_person(b: &mut Builder, p: &PersonRead, placed: i64, categories: &[DifficultyCategory]) {
    let (f, at) = (&p.facts, p.on);
    let groups = derive_key_groups(f, at, categories).groups;
    let has = |a: &str| f.attributes.iter().any(|x| x == a);
    let graduated_recently = f
        .graduation_year
        .is_some_and(|y| y == at.year() || y == at.year() - 1)
        && f.education.is_some_and(|e| e.counts_as_graduate());
    b.int("person.age", age_on(f.birth_date, at) as i64);
    b.str("person.sex", f.sex.code());
    b.str("person.hukou", f.hukou.code());
    b.bool("person.registered_unemployed", f.unemployed_since.is_some());
    let months = f.unemployed_since.map_or(0, |s| whole_months(s, p.until));
    b.int("person.unemployed_months", months);
    b.bool(
        "person.graduate_of_year",
        groups.contains(&KeyGroup::GraduateOfYear),
    );
    b.bool("person.graduate_within_2y", graduated_recently);
    b.bool("person.difficulty", groups.contains(&KeyGroup::Difficulty));
    b.bool("person.disabled", has("disabled"));
    b.bool("person.dibao", has("dibao"));
    b.bool("person.zero_employment_household", f.zero_household);
    b.str(
        "person.employment_kind",
        f.employed.map_or("none", |k| k.code()),
    );
    b.int("person.public_welfare_months", placed);
}

/// An enterprise's registry fields: size class, industry section, insured count.
struct EnterpriseFields(&'static str, &'static str, i64);

/// The cells of every frame's SELECT: the subject's id and region first, then an
/// enterprise's fields, then a hire's own and its person's.
const ID: usize = 0;
const REGION: usize = 1;
/// `size_class, industry, insured_count`
const ENTERPRISE: usize = 2;
/// `person_id, enterprise_id, start_date`, then [`PERSON_FACTS`] and the open registrations.
const HIRE: usize = 5;
/// [`PERSON_COLUMNS`] of a person's row, then the household.
const PERSON: usize = 2;

fn enterprise_fields(r: &dyn Cells) -> Result<EnterpriseFields> {
    let size = r.decode(ENTERPRISE, SizeClass::parse)?;
    let industry = r.decode(ENTERPRISE + 1, IndustryCode::parse)?;
    Ok(EnterpriseFields(
        size.code(),
        section(industry.code()),
        r.required_int(ENTERPRISE + 2)?,
    ))
}

fn push_enterprise(b: &mut Builder, e: &EnterpriseFields) {
    b.str("enterprise.size_class", e.0);
    b.str("enterprise.industry", e.1);
    b.int("enterprise.insured_count", e.2);
}

/// A person's facts as read, and the days their fields describe.
struct PersonRead {
    facts: PersonFacts,
    /// The day of the status: the date, or a hire's start's day before (still registered
    /// unemployed then).
    on: NaiveDate,
    /// The day the months registered unemployed and placed are counted to: the date, or a
    /// hire's start — 吸纳登记失业半年以上人员 counts from the registration to the hire, so a
    /// hire on the sixth monthly anniversary of the registration has six months.
    until: NaiveDate,
}

/// One row as read: who, where, and the facts to derive its fields from.
struct Read {
    id: RowId,
    region: String,
    person: Option<PersonRead>,
    /// A person row's household, whose zero-employment flag is taken up beside the rows.
    household: Option<i64>,
    enterprise: Option<EnterpriseFields>,
    hire_start: Option<NaiveDate>,
}

fn read_row(kind: SubjectKind, date: NaiveDate, r: &dyn Cells) -> Result<Read> {
    let id = r.required_int(ID)?;
    let mut read = Read {
        id: RowId {
            subject: id,
            person: None,
            enterprise: None,
        },
        region: r.required(REGION)?.to_string(),
        person: None,
        household: None,
        enterprise: None,
        hire_start: None,
    };
    match kind {
        SubjectKind::Person => {
            // Without the open registrations and the household's flag: those are taken up
            // beside the rows (`OpenOn`).
            read.id.person = Some(id);
            read.person = Some(PersonRead {
                facts: person_own_facts(r, PERSON)?,
                on: date,
                until: date,
            });
            read.household = r.int(PERSON + PERSON_COLUMNS_CELLS)?;
        }
        SubjectKind::Enterprise => {
            read.id.enterprise = Some(id);
            read.enterprise = Some(enterprise_fields(r)?);
        }
        SubjectKind::Hire => {
            read.id.person = Some(r.required_int(HIRE)?);
            read.id.enterprise = Some(r.required_int(HIRE + 1)?);
            let start = r.decode(HIRE + 2, parse_date)?;
            let facts = HIRE + 3;
            read.person = Some(PersonRead {
                facts: with_open(person_facts(r, facts)?, r, facts + PERSON_FACTS_CELLS)?,
                on: start.pred_opt().unwrap_or(start),
                until: start,
            });
            read.enterprise = Some(enterprise_fields(r)?);
            read.hire_start = Some(start);
        }
    }
    Ok(read)
}

/// What the rows' person fields are taken up from beside the rows.
struct Beside<'a> {
    /// A person's open registrations, where the row does not hold them.
    open: Option<OpenOn>,
    placements: Placements,
    categories: &'a [DifficultyCategory],
}

/// The rows read, with their people's registrations taken up from `beside`. A plain
/// function: see [`Store::bulk`].
fn push_rows(
    b: &mut Builder,
    beside: &mut Beside,
    facts: &[(SubjectKind, FactsOn)],
    date: NaiveDate,
    rows: Vec<Read>,
) {
    for mut read in rows {
        if let (Some(p), Some(person)) = (&mut read.person, read.id.person) {
            if let Some(open) = beside.open.as_mut() {
                open.take(person, read.household, &mut p.facts);
            }
            let placed = beside.placements.months(person, p.until);
            push_person(b, p, placed, beside.categories);
        }
        if let Some(e) = &read.enterprise {
            push_enterprise(b, e);
        }
        if let Some(start) = read.hire_start {
            b.date("hire.start_date", start);
        }
        push_supplied(b, facts, &read, date);
        b.ids.push(read.id);
        b.regions.push(read.region);
    }
}

/// People alone, in the order of their primary key: joined with their households, the rows
/// came out of a hash join that PostgreSQL then sorted by id, 10,000,000 of them on disk,
/// before the first row came.
static PERSON_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT p.id, p.region, {PERSON_COLUMNS}, p.household_id FROM person p WHERE 1 = 1")
});

/// Hires with their person's facts on the day before the hire starts. That a hire has an
/// employer is also said in the WHERE,
/// so that a scan drops other registrations before the joins (PostgreSQL otherwise sorted
/// them all by id first).
static HIRE_SELECT: LazyLock<String> = LazyLock::new(|| {
    let (started, not_ended) = ("< hr.start_date", ">= hr.start_date");
    format!(
        "SELECT hr.id, n.region, n.size_class, n.industry, n.insured_count, hr.person_id, \
         hr.enterprise_id, hr.start_date, {PERSON_FACTS}, {} \
         FROM employment hr JOIN enterprise n ON n.id = hr.enterprise_id \
         JOIN person p ON p.id = hr.person_id LEFT JOIN household h ON h.id = p.household_id \
         WHERE hr.kind = 'employer' AND hr.enterprise_id IS NOT NULL AND hr.start_date <= $1",
        open_registrations(started, not_ended)
    )
});

const ENTERPRISE_SELECT: &str = "SELECT n.id, n.region, n.size_class, n.industry, \
    n.insured_count FROM enterprise n WHERE 1 = 1";

impl Store {
    /// The subjects of `kind` [`Within`] a region or around one registry subject on `date`,
    /// in id order; `progress` is told the rows read so far. What [`Store::run_screening`]
    /// evaluates; public so that what a frame holds can be checked.
    pub async fn screening_frame(
        &self,
        kind: SubjectKind,
        within: Within<'_>,
        date: NaiveDate,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Subjects> {
        let categories = self.difficulty_rules().await?;
        let (select, id, column): (&'static str, _, _) = match kind {
            SubjectKind::Person => (PERSON_SELECT.as_str(), "p.id", "p.region"),
            SubjectKind::Enterprise => (ENTERPRISE_SELECT, "n.id", "n.region"),
            SubjectKind::Hire => (HIRE_SELECT.as_str(), "hr.id", "n.region"),
        };
        let mut sql = Sql::new(select);
        sql.arg(date_text(date)); // $1 of the select, where it has one
        within.restrict(&mut sql, kind, id, Some(column));
        sql.push(&format!(" ORDER BY {id}"));
        let mut beside = Beside {
            open: match kind {
                SubjectKind::Person => Some(self.open_on(within, date).await?),
                _ => None,
            },
            placements: match kind {
                SubjectKind::Enterprise => Placements::default(),
                _ => self.placements(within, date).await?,
            },
            categories: &categories,
        };
        let mut facts = Vec::new();
        for k in kind.roots() {
            facts.push((*k, self.facts_on(*k, within, date).await?));
        }
        let mut b = Builder::default();
        self.bulk(
            &sql,
            move |r| read_row(kind, date, r),
            |rows| {
                push_rows(&mut b, &mut beside, &facts, date, rows);
                progress(b.ids.len() as u64);
                Ok(())
            },
        )
        .await?;
        progress(b.ids.len() as u64);
        b.finish(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn whole_months_count_as_the_key_groups_do() {
        assert_eq!(whole_months(d(2020, 1, 15), d(2020, 7, 14)), 5);
        assert_eq!(whole_months(d(2020, 1, 15), d(2020, 7, 15)), 6);
        assert_eq!(whole_months(d(2020, 8, 31), d(2021, 2, 28)), 6);
        assert_eq!(whole_months(d(2020, 6, 1), d(2020, 5, 31)), 0);
    }

    #[test]
    fn every_registry_field_is_read_and_supplied_ones_default_to_nothing() {
        // A registry field the builder does not read is an error; a supplied one without a
        // fact gets the value that establishes nothing; a frame of no rows has every column,
        // empty.
        for kind in [
            SubjectKind::Person,
            SubjectKind::Enterprise,
            SubjectKind::Hire,
        ] {
            assert_eq!(Builder::default().finish(kind).unwrap().frame.len(), 0);
            let mut unread = Builder::default();
            unread.ids.push(RowId {
                subject: 1,
                person: None,
                enterprise: None,
            });
            unread.regions.push("210102".into());
            let err = unread.finish(kind).err().map(|e| e.to_string());
            let first_registry = FIELDS
                .iter()
                .find(|d| kind.roots().contains(&d.kind) && !d.is_supplied())
                .unwrap();
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains(&first_registry.full_name())),
                "{err:?}"
            );
        }
        let mut b = Builder::default();
        b.ids.push(RowId {
            subject: 1,
            person: Some(1),
            enterprise: None,
        });
        b.regions.push("210102".into());
        let f = PersonFacts {
            birth_date: d(1990, 1, 1),
            sex: wenjiu_core::Sex::Female,
            hukou: wenjiu_core::Hukou::Rural,
            education: Some(wenjiu_core::Education::Bachelor),
            graduation_year: Some(2019),
            veteran: false,
            attributes: vec!["dibao".into()],
            unemployed_since: Some(d(2020, 1, 15)),
            employed: None,
            off_farm: false,
            zero_household: false,
        };
        let p = PersonRead {
            facts: f,
            on: d(2020, 7, 15),
            until: d(2020, 7, 15),
        };
        push_person(&mut b, &p, 0, &wenjiu_core::default_difficulty_categories());
        let read = Read {
            id: b.ids[0],
            region: "210102".into(),
            person: Some(p),
            household: None,
            enterprise: None,
            hire_start: None,
        };
        let no_facts = [(SubjectKind::Person, FactsOn::default())];
        push_supplied(&mut b, &no_facts, &read, d(2020, 7, 15));
        let s = b.finish(SubjectKind::Person).unwrap();
        let subject = s.frame.subject(0);
        let get = |n: &str| subject.fields.get(n).cloned().unwrap();
        use wenjiu_rules::Value;
        assert_eq!(get("person.age"), Value::Int(30));
        assert_eq!(get("person.unemployed_months"), Value::Int(6));
        assert_eq!(get("person.graduate_within_2y"), Value::Bool(true));
        assert_eq!(get("person.graduate_of_year"), Value::Bool(false));
        assert_eq!(get("person.difficulty"), Value::Bool(true)); // dibao, unemployed
        assert_eq!(get("person.employment_kind"), Value::String("none".into()));
        // Supplied facts not held establish nothing.
        assert_eq!(get("person.si_paid_fen"), Value::Money(0));
        assert_eq!(get("person.entrepreneur_leader"), Value::Bool(false));
        assert_eq!(get("person.business_kind"), Value::String("none".into()));
        for fd in FIELDS.iter().filter(|d| d.kind == SubjectKind::Person) {
            assert!(subject.fields.contains_key(&fd.full_name()), "{}", fd.name);
        }
    }
}
