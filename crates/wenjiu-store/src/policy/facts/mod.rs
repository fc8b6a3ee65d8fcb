//! 申报信息：登记之外、政策需要读取的事实（社保缴费、劳动合同期限、他部门认定、补贴发放记录）。
//! Supplied facts: what the registry does not keep but policies read (the 申报 fields of
//! [`FIELDS`](super::FIELDS)), about a person, an enterprise or a hire, each from the date it
//! holds. Officials enter them one by one or import them from the systems that hold them; a
//! screening reads the value holding on its date (a hire's person facts on the day before the
//! hire starts, as for the registry's). See docs/decisions/0010-supplied-facts.md.

mod import;
mod value;

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use wenjiu_core::{CreditCode, IdCardNo, RegionCode};
use wenjiu_rules::SubjectKind;

pub use import::FACT_COLUMNS;
pub use value::FactValue;

use super::schema::{FIELDS, FieldDef, field};
use super::screening::Within;
use crate::bulk::Cells;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::registry::{date_text, decode, parse_date};
use crate::sql::{Sql, Val};
use crate::{Page, PageReq, Scope, Store, now};

/// A subject field (kept by the registry, derived, or supplied) as the console offers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectField {
    /// `person.si_paid_fen`
    pub name: String,
    pub label: String,
    /// person | enterprise | hire: who the fact is about.
    pub kind: String,
    /// bool | int | money | string | date
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub ty: wenjiu_rules::Type,
    /// Where the value comes from (登记 / 派生 / 申报, and the source).
    pub origin: String,
    /// The codes a string field takes, with labels.
    pub codes: Vec<CodeOption>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CodeOption {
    pub code: String,
    pub label: String,
}

/// The fields that are supplied rather than kept by the registry.
pub fn supplied_fields() -> Vec<SubjectField> {
    fields_where(FieldDef::is_supplied)
}

/// Every field a policy may read, whatever its origin.
pub fn subject_fields() -> Vec<SubjectField> {
    fields_where(|_| true)
}

fn fields_where(keep: impl Fn(&FieldDef) -> bool) -> Vec<SubjectField> {
    FIELDS
        .iter()
        .filter(|d| keep(d))
        .map(|d| SubjectField {
            name: d.full_name(),
            label: d.label.into(),
            kind: d.kind.name().into(),
            ty: d.ty,
            origin: d.origin.into(),
            codes: d
                .codes()
                .iter()
                .map(|(code, label)| CodeOption {
                    code: (*code).into(),
                    label: (*label).into(),
                })
                .collect(),
        })
        .collect()
}

/// A fact to record: the field, who it is about, the value as text and the date it holds from.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewFact {
    /// The field by name (`person.si_paid_fen`) or label (本人实缴社会保险费).
    pub field: String,
    /// The person's ID number (person and hire facts).
    pub id_no: Option<String>,
    /// The enterprise's credit code (enterprise and hire facts).
    pub credit_code: Option<String>,
    /// The hire's start date (hire facts).
    pub hire_start: Option<NaiveDate>,
    /// 是/否, an integer, an amount in yuan (1234.56), or a code or its label.
    pub value: String,
    pub valid_from: NaiveDate,
    /// Where the value comes from; the field's origin when left out.
    pub source: Option<String>,
}

/// A stored fact as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FactRow {
    pub id: i64,
    pub field: String,
    pub field_label: String,
    pub subject_kind: String,
    pub subject_id: i64,
    /// Who it is about, masked: 张三 2101**********1234, 某某公司 9121…, or both for a hire.
    pub subject: String,
    pub region: String,
    pub hire_start: Option<String>,
    /// The stored value: true | false, integer, fen, code.
    pub value: String,
    /// The value as read: 是, 12, 1,234.56 元, 个体工商户.
    pub value_label: String,
    pub valid_from: String,
    pub source: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Filters of the fact list.
#[derive(Debug, Clone, Default)]
pub struct FactFilter {
    /// A field name.
    pub field: Option<String>,
    /// person | enterprise | hire
    pub kind: Option<String>,
    /// A region prefix within the caller's scope.
    pub region: Option<String>,
    /// An ID number or a credit code: the facts about that person or enterprise (and its hires).
    pub q: Option<String>,
    /// A person's id: the facts about the person and their hires.
    pub person: Option<i64>,
    /// An enterprise's id: the facts about the enterprise and its hires.
    pub enterprise: Option<i64>,
}

/// A fact checked and resolved to its subject, ready to be written.
pub(crate) struct FactRecord {
    pub def: &'static FieldDef,
    pub subject_id: i64,
    pub value: FactValue,
    pub valid_from: NaiveDate,
    pub source: String,
}

impl FactRecord {
    fn key(&self) -> (&'static str, i64, &'static str, NaiveDate) {
        (
            self.def.kind.name(),
            self.subject_id,
            self.def.name,
            self.valid_from,
        )
    }
}

/// A field by name or label, supplied ones only.
pub(crate) fn supplied_field(text: &str) -> std::result::Result<&'static FieldDef, String> {
    let text = text.trim();
    field(text)
        .or_else(|| FIELDS.iter().find(|d| d.label == text))
        .filter(|d| d.is_supplied())
        .ok_or_else(|| format!("“{text}”不是可申报的信息项（见信息项列表）"))
}

/// Who a fact is about, parsed: the keys its field's kind needs.
pub(crate) enum SubjectKey {
    Person(IdCardNo),
    Enterprise(CreditCode),
    Hire(IdCardNo, CreditCode, NaiveDate),
}

/// A subject found in the registry: its id and region (a hire's: the employer's).
type Found = (i64, RegionCode);

const FACT_SELECT: &str = "SELECT f.id, f.subject_kind, f.subject_id, f.field, f.value, \
    f.valid_from, f.source, f.recorded_by, f.recorded_at, \
    COALESCE(p.name, hp.name) AS person_name, COALESCE(p.id_masked, hp.id_masked) AS id_masked, \
    COALESCE(n.name, hn.name) AS enterprise_name, \
    COALESCE(n.credit_code, hn.credit_code) AS credit_code, hr.start_date AS hire_start, \
    COALESCE(p.region, n.region, hn.region) AS region";
const FACT_FROM: &str = " FROM subject_fact f \
    LEFT JOIN person p ON f.subject_kind = 'person' AND p.id = f.subject_id \
    LEFT JOIN enterprise n ON f.subject_kind = 'enterprise' AND n.id = f.subject_id \
    LEFT JOIN employment hr ON f.subject_kind = 'hire' AND hr.id = f.subject_id \
    LEFT JOIN person hp ON hp.id = hr.person_id \
    LEFT JOIN enterprise hn ON hn.id = hr.enterprise_id WHERE 1 = 1";
const REGION: &str = "COALESCE(p.region, n.region, hn.region)";
static FACT_LIST: LazyLock<String> = LazyLock::new(|| format!("{FACT_SELECT}{FACT_FROM}"));

fn fact_row(r: &AnyRow) -> Result<FactRow> {
    let kind: String = r.try_get("subject_kind")?;
    let name = format!("{kind}.{}", r.try_get::<String, _>("field")?);
    let def = field(&name).ok_or_else(|| StoreError::Corrupt(format!("未知的信息项 {name}")))?;
    let value: String = r.try_get("value")?;
    let shown = FactValue::from_stored(def, &value)?;
    let person: Option<String> = r.try_get("person_name")?;
    let masked: Option<String> = r.try_get("id_masked")?;
    let enterprise: Option<String> = r.try_get("enterprise_name")?;
    let code: Option<String> = r.try_get("credit_code")?;
    let subject = [
        person.zip(masked).map(|(n, m)| format!("{n} {m}")),
        enterprise.zip(code).map(|(n, c)| format!("{n} {c}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    Ok(FactRow {
        id: r.try_get("id")?,
        field: name,
        field_label: def.label.into(),
        subject_kind: kind,
        subject_id: r.try_get("subject_id")?,
        subject,
        region: r
            .try_get::<Option<String>, _>("region")?
            .unwrap_or_default(),
        hire_start: r.try_get("hire_start")?,
        value_label: shown.label(def),
        value,
        valid_from: r.try_get("valid_from")?,
        source: r.try_get("source")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

/// The value that establishes nothing, for a field without a fact (see decision 0009).
fn unknown(def: &FieldDef) -> FactValue {
    match def.ty {
        wenjiu_rules::Type::Bool => FactValue::Bool(false),
        wenjiu_rules::Type::String => FactValue::Code("none"),
        _ => FactValue::Int(0),
    }
}

/// One fact as a screening holds it: field, the date it holds from, value.
type Held = (&'static str, NaiveDate, FactValue);

/// The supplied facts of one subject kind holding by a date, for a screening's frames.
#[derive(Default)]
pub(crate) struct FactsOn {
    by_subject: HashMap<i64, Vec<Held>>,
}

/// A stored fact row as a screening holds it: subject and fact.
fn held(kind: SubjectKind, r: &dyn Cells) -> Result<(i64, Held)> {
    let full = format!("{}.{}", kind.name(), r.required(1)?);
    let Some(def) = field(&full).filter(|d| d.is_supplied()) else {
        return Err(StoreError::Corrupt(format!("未知的申报信息项 {full}")));
    };
    let from = r.decode(2, parse_date)?;
    let value = FactValue::from_stored(def, r.required(3)?)?;
    Ok((r.required_int(0)?, (def.name, from, value)))
}

impl FactsOn {
    fn add(&mut self, rows: Vec<(i64, Held)>) {
        for (subject, fact) in rows {
            self.by_subject.entry(subject).or_default().push(fact);
        }
    }

    /// The facts about one subject (none for most subjects).
    pub fn of(&self, subject: Option<i64>) -> SubjectFacts<'_> {
        SubjectFacts(
            subject
                .and_then(|s| self.by_subject.get(&s))
                .map_or(&[], Vec::as_slice),
        )
    }
}

pub(crate) struct SubjectFacts<'a>(&'a [Held]);

impl SubjectFacts<'_> {
    /// The value of `def` on `at`; the value that establishes nothing without one.
    pub fn get(&self, def: &FieldDef, at: NaiveDate) -> FactValue {
        self.0
            .iter()
            .filter(|(f, from, _)| *f == def.name && *from <= at)
            .max_by_key(|(_, from, _)| *from)
            .map_or_else(|| unknown(def), |(_, _, v)| *v)
    }
}

impl Store {
    /// The facts about subjects of `kind` [`Within`] what a frame reads, holding from `date`
    /// or earlier (later dates of a hire's person facts are never needed: they describe the
    /// day before the hire), read through the bulk transport as the frames are.
    pub(crate) async fn facts_on(
        &self,
        kind: SubjectKind,
        within: Within<'_>,
        date: NaiveDate,
    ) -> Result<FactsOn> {
        let mut sql = Sql::new(
            "SELECT subject_id, field, valid_from, value FROM subject_fact WHERE subject_kind = ",
        );
        sql.bind(kind.name())
            .push(" AND valid_from <= ")
            .bind(date_text(date));
        within.restrict(&mut sql, kind, "subject_id", None);
        let mut on = FactsOn::default();
        self.bulk(
            &sql,
            move |r| held(kind, r),
            |rows| {
                on.add(rows);
                Ok(())
            },
        )
        .await?;
        Ok(on)
    }

    /// Records one fact (a fact of the same field, subject and date is corrected). Returns its id.
    pub async fn record_fact(&self, scope: &Scope, actor: &str, input: &NewFact) -> Result<i64> {
        let (def, key, value) = import::parse_fact(input).map_err(|errors| {
            StoreError::Invalid(
                errors
                    .into_iter()
                    .map(|(column, header, message)| wenjiu_core::FieldError {
                        column,
                        header,
                        code: "field.invalid",
                        message,
                    })
                    .collect(),
            )
        })?;
        let found = self.find_subjects(&[&key]).await?;
        let subject_id = admitted(scope, &key, found[0])
            .map_err(|m| StoreError::invalid("subject", "对象", "field.invalid", m))?;
        let record = FactRecord {
            def,
            subject_id,
            value,
            valid_from: input.valid_from,
            source: source_of(def, input.source.as_deref()),
        };
        self.write_facts(actor, &[record]).await?;
        let mut sql = Sql::new("SELECT id FROM subject_fact WHERE subject_kind = ");
        sql.bind(def.kind.name())
            .push(" AND subject_id = ")
            .bind(subject_id)
            .push(" AND field = ")
            .bind(def.name)
            .push(" AND valid_from = ")
            .bind(date_text(input.valid_from));
        Ok(sql
            .query(self.backend)
            .fetch_one(&self.pool)
            .await?
            .try_get("id")?)
    }

    /// Facts within the caller's scope, newest first.
    pub async fn facts(
        &self,
        scope: &Scope,
        f: &FactFilter,
        page: PageReq,
    ) -> Result<Page<FactRow>> {
        let mut filter = Sql::new("");
        match scope {
            Scope::Region(p) => Scope::push_region(p.as_str(), REGION, &mut filter),
            Scope::Enterprise(_) => {
                filter.push(" AND 1 = 0");
            }
            Scope::All => {}
        }
        if let Some(region) = f.region.as_deref().filter(|r| !r.is_empty()) {
            let prefix = wenjiu_core::RegionPrefix::parse(region)
                .map_err(|e| super::overrides::invalid("region", "地区", e.to_string()))?;
            Scope::push_region(prefix.as_str(), REGION, &mut filter);
        }
        if let Some(name) = f.field.as_deref().filter(|s| !s.is_empty()) {
            filter
                .push(" AND f.field = ")
                .bind(field(name).map(|d| d.name).unwrap_or(name).to_string());
            if let Some((kind, _)) = name.split_once('.') {
                filter.push(" AND f.subject_kind = ").bind(kind);
            }
        }
        if let Some(kind) = f.kind.as_deref().filter(|s| !s.is_empty()) {
            filter.push(" AND f.subject_kind = ").bind(kind);
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            self.push_subject_search(q, &mut filter)?;
        }
        if let Some(id) = f.person {
            filter.push(" AND COALESCE(p.id, hp.id) = ").bind(id);
        }
        if let Some(id) = f.enterprise {
            filter.push(" AND COALESCE(n.id, hn.id) = ").bind(id);
        }
        let listing = Listing {
            select: &FACT_LIST,
            from: FACT_FROM,
            id: "f.id",
            newest_first: true,
        };
        self.page(&listing, &filter, page, fact_row).await
    }

    /// `q` as an ID number (the person's facts and hires) or a credit code (the enterprise's
    /// facts and hires).
    fn push_subject_search(&self, q: &str, filter: &mut Sql) -> Result<()> {
        if let Ok(id) = IdCardNo::parse(q) {
            filter
                .push(" AND (p.id_index = ")
                .bind(self.id_index(&id))
                .push(" OR hp.id_index = ")
                .bind(self.id_index(&id))
                .push(")");
        } else if let Ok(code) = CreditCode::parse(&q.to_uppercase()) {
            let code = code.as_str().to_string();
            filter
                .push(" AND (n.credit_code = ")
                .bind(code.clone())
                .push(" OR hn.credit_code = ")
                .bind(code)
                .push(")");
        } else {
            return Err(super::overrides::invalid(
                "q",
                "身份证号或统一社会信用代码",
                format!("“{q}”既不是有效的身份证号，也不是有效的统一社会信用代码"),
            ));
        }
        Ok(())
    }

    /// Each key's subject in the registry, or `None`.
    pub(crate) async fn find_subjects(&self, keys: &[&SubjectKey]) -> Result<Vec<Option<Found>>> {
        // Each ID number's blind index (an HMAC), computed once per key.
        let indexes: Vec<Option<String>> = keys
            .iter()
            .map(|k| match k {
                SubjectKey::Person(id) | SubjectKey::Hire(id, _, _) => Some(self.id_index(id)),
                SubjectKey::Enterprise(_) => None,
            })
            .collect();
        let people: Vec<Val> = indexes.iter().flatten().cloned().map(Val::from).collect();
        let codes: Vec<Val> = keys
            .iter()
            .filter_map(|k| match k {
                SubjectKey::Enterprise(c) | SubjectKey::Hire(_, c, _) => {
                    Some(c.as_str().to_string().into())
                }
                SubjectKey::Person(_) => None,
            })
            .collect();
        let mut person: HashMap<String, Found> = HashMap::new();
        if !people.is_empty() {
            let mut sql = Sql::new("SELECT id, id_index, region FROM person WHERE id_index IN ");
            sql.bind_list(people);
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                person.insert(r.try_get("id_index")?, (r.try_get("id")?, region(&r)?));
            }
        }
        let mut enterprise: HashMap<String, Found> = HashMap::new();
        if !codes.is_empty() {
            let mut sql =
                Sql::new("SELECT id, credit_code, region FROM enterprise WHERE credit_code IN ");
            sql.bind_list(codes);
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                enterprise.insert(r.try_get("credit_code")?, (r.try_get("id")?, region(&r)?));
            }
        }
        let person_of = |i: usize| indexes[i].as_ref().and_then(|x| person.get(x));
        let hire_people: Vec<Val> = (0..keys.len())
            .filter(|i| matches!(keys[*i], SubjectKey::Hire(..)))
            .filter_map(|i| person_of(i).map(|p| p.0.into()))
            .collect();
        let mut hires: HashMap<(i64, i64, String), i64> = HashMap::new();
        if !hire_people.is_empty() {
            let mut sql = Sql::new(
                "SELECT id, person_id, enterprise_id, start_date FROM employment \
                 WHERE kind = 'employer' AND person_id IN ",
            );
            sql.bind_list(hire_people);
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                let key = (
                    r.try_get("person_id")?,
                    r.try_get("enterprise_id")?,
                    r.try_get("start_date")?,
                );
                hires.insert(key, r.try_get("id")?);
            }
        }
        Ok(keys
            .iter()
            .enumerate()
            .map(|(i, k)| match k {
                SubjectKey::Person(_) => person_of(i).cloned(),
                SubjectKey::Enterprise(c) => enterprise.get(c.as_str()).cloned(),
                SubjectKey::Hire(_, c, start) => {
                    let p = person_of(i)?;
                    let e = enterprise.get(c.as_str())?;
                    let hire = hires.get(&(p.0, e.0, date_text(*start)))?;
                    Some((*hire, e.1))
                }
            })
            .collect())
    }

    /// Writes facts: new ones inserted, one of the same field, subject and date corrected.
    /// Returns how many corrected an existing fact.
    pub(crate) async fn write_facts(&self, actor: &str, records: &[FactRecord]) -> Result<usize> {
        if records.is_empty() {
            return Ok(0);
        }
        let mut existing = Sql::new(
            "SELECT subject_kind, subject_id, field, valid_from FROM subject_fact \
             WHERE subject_kind IN ('person', 'enterprise', 'hire') AND subject_id IN ",
        );
        existing.bind_list(records.iter().map(|r| r.subject_id.into()));
        let mut known = std::collections::HashSet::new();
        for r in existing.query(self.backend).fetch_all(&self.pool).await? {
            known.insert((
                r.try_get::<String, _>("subject_kind")?,
                r.try_get::<i64, _>("subject_id")?,
                r.try_get::<String, _>("field")?,
                r.try_get::<String, _>("valid_from")?,
            ));
        }
        let updated = records
            .iter()
            .filter(|r| {
                let (kind, id, field, from) = r.key();
                known.contains(&(kind.into(), id, field.into(), date_text(from)))
            })
            .count();
        let at = now();
        let mut sql = Sql::new(
            "INSERT INTO subject_fact (subject_kind, subject_id, field, valid_from, value, source, \
             recorded_by, recorded_at) VALUES ",
        );
        for r in records.iter() {
            sql.bind_row([
                r.def.kind.name().into(),
                r.subject_id.into(),
                r.def.name.into(),
                date_text(r.valid_from).into(),
                r.value.to_stored().into(),
                r.source.clone().into(),
                actor.into(),
                at.clone().into(),
            ]);
        }
        sql.push(
            " ON CONFLICT (subject_kind, subject_id, field, valid_from) DO UPDATE SET \
             value = excluded.value, source = excluded.source, \
             recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        );
        sql.query(self.backend).execute(&self.pool).await?;
        Ok(updated)
    }
}

fn region(r: &AnyRow) -> Result<RegionCode> {
    decode(r, "region", RegionCode::parse)
}

/// The source given (at most 200 characters), or the field's origin without its 申报 prefix;
/// "申报" when nothing more is known.
fn source_of(def: &FieldDef, given: Option<&str>) -> String {
    let source = given
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            def.origin
                .trim_start_matches("申报")
                .trim_start_matches('：')
        });
    if source.is_empty() {
        "申报".into()
    } else {
        source.chars().take(200).collect()
    }
}

/// The subject's id when found and within the caller's scope, else why not. A subject outside
/// the scope is reported as one not found, as the API answers 404 for it: the reason must not
/// tell whether, or where, it is registered.
pub(crate) fn admitted(
    scope: &Scope,
    key: &SubjectKey,
    found: Option<Found>,
) -> std::result::Result<i64, String> {
    match found {
        Some((id, region)) if scope.admits_region(&region) => Ok(id),
        _ => Err(match key {
            SubjectKey::Person(id) => {
                format!("本人数据权限范围内没有身份证号 {} 的人员", id.masked())
            }
            SubjectKey::Enterprise(c) => {
                format!(
                    "本人数据权限范围内没有统一社会信用代码 {} 的单位",
                    c.as_str()
                )
            }
            SubjectKey::Hire(id, c, start) => format!(
                "本人数据权限范围内没有身份证号 {} 的人员 {start} 被 {} 招用的就业登记",
                id.masked(),
                c.as_str()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_fact_holding_on_a_date_is_the_latest_from_that_date_or_earlier() {
        let paid = field("person.si_paid_fen").unwrap();
        let leader = field("person.entrepreneur_leader").unwrap();
        let mut on = FactsOn::default();
        on.by_subject.insert(
            7,
            vec![
                (paid.name, d(2020, 7, 1), FactValue::Int(300)),
                (paid.name, d(2020, 1, 1), FactValue::Int(100)),
                (leader.name, d(2020, 3, 1), FactValue::Bool(true)),
            ],
        );
        let facts = on.of(Some(7));
        assert_eq!(facts.get(paid, d(2019, 12, 31)), FactValue::Int(0));
        assert_eq!(facts.get(paid, d(2020, 1, 1)), FactValue::Int(100));
        assert_eq!(facts.get(paid, d(2020, 6, 30)), FactValue::Int(100));
        assert_eq!(facts.get(paid, d(2020, 7, 1)), FactValue::Int(300));
        assert_eq!(facts.get(leader, d(2020, 2, 29)), FactValue::Bool(false));
        assert_eq!(facts.get(leader, d(2020, 3, 1)), FactValue::Bool(true));
        let kind = field("person.business_kind").unwrap();
        assert_eq!(
            on.of(Some(8)).get(kind, d(2020, 3, 1)),
            FactValue::Code("none")
        );
        assert_eq!(on.of(None).get(paid, d(2020, 3, 1)), FactValue::Int(0));
    }

    #[test]
    fn supplied_fields_are_offered_with_their_codes() {
        let fields = supplied_fields();
        assert!(fields.iter().all(|f| field(&f.name).unwrap().is_supplied()));
        let kind = fields
            .iter()
            .find(|f| f.name == "person.business_kind")
            .unwrap();
        assert_eq!(kind.kind, "person");
        assert!(kind.codes.iter().any(|c| c.label == "个体工商户"));
        assert_eq!(
            source_of(field("hire.si_paid").unwrap(), None),
            "社会保险经办系统"
        );
        assert_eq!(
            source_of(field("person.first_business").unwrap(), Some(" ")),
            "申报"
        );
        assert_eq!(
            source_of(field("hire.si_paid").unwrap(), Some("社保局 2020-06 导出")),
            "社保局 2020-06 导出"
        );
    }
}
