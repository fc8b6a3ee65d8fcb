//! What employment and unemployment registrations share: their list filter, their
//! natural key (one registration per person and date) and their periods, which must not
//! overlap another registration of the same kind.

use std::collections::HashMap;

use wenjiu_core::RegionPrefix;

use crate::bulk::Cells;
use crate::conn::Conn;
use crate::error::{Result, StoreError};
use crate::listing::Listing;
use crate::sql::{Sql, Val};
use crate::{Scope, Store};

#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    /// Part of the person's name.
    pub name: Option<String>,
    pub region: Option<String>,
    /// The employment kind, or the unemployment reason.
    pub code: Option<String>,
    /// Registered (employment: started) in [from, to), YYYY-MM-DD.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `true`: still open (no end date).
    pub open: Option<bool>,
    pub person_id: Option<i64>,
}

/// The table a registration kind is kept in, and the columns (of the table aliased `r` in
/// lists) of its facts.
pub(crate) struct RegistrationTable {
    pub table: &'static str,
    /// The tables of a list that reads no other (see [`Listing::from`]).
    pub from: &'static str,
    pub date: &'static str,
    pub end: &'static str,
    pub code: &'static str,
}

pub(crate) const EMPLOYMENT: RegistrationTable = RegistrationTable {
    table: "employment",
    from: " FROM employment r",
    date: "start_date",
    end: "end_date",
    code: "kind",
};

pub(crate) const UNEMPLOYMENT: RegistrationTable = RegistrationTable {
    table: "unemployment",
    from: " FROM unemployment r",
    date: "registered_on",
    end: "ended_on",
    code: "reason",
};

impl RegistrationFilter {
    /// Whether the filter reads the registration's person (joined as `p`): only the name does.
    pub(crate) fn reads_person(&self) -> bool {
        self.name.as_deref().is_some_and(|n| !n.trim().is_empty())
    }

    /// `l` with its total and page ids read from the registrations alone when the filter
    /// does not read the person: a join per registration was most of a list's time (1.1 s of
    /// 1.2 s over the demo's 363,000 jobs).
    pub(crate) fn listing(&self, l: &Listing, t: &RegistrationTable) -> Listing {
        let from = if self.reads_person() { l.from } else { t.from };
        Listing { from, ..*l }
    }

    /// Appends the filter's conditions (the person is joined as `p`).
    pub(crate) fn push(&self, cols: &RegistrationTable, sql: &mut Sql) -> Result<()> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(name) = given(&self.name) {
            sql.push_contains("p.name", &name);
        }
        if let Some(region) = given(&self.region) {
            let prefix = RegionPrefix::parse(&region)
                .map_err(|e| StoreError::invalid("region", "区划", e.code(), e.to_string()))?;
            Scope::push_region(prefix.as_str(), "r.region", sql);
        }
        if let Some(code) = given(&self.code) {
            sql.push(&format!(" AND r.{} = ", cols.code)).bind(code);
        }
        // Dates as the imports take them (2020-5-1, 2020/05/01, 20200501), compared as stored.
        let date = |field: &'static str, header: &'static str, text: String| {
            wenjiu_core::parse_date(&text)
                .map(super::date_text)
                .map_err(|e| StoreError::invalid(field, header, e.code(), e.to_string()))
        };
        if let Some(from) = given(&self.from) {
            let from = date("from", "起始日期", from)?;
            sql.push(&format!(" AND r.{} >= ", cols.date)).bind(from);
        }
        if let Some(to) = given(&self.to) {
            let to = date("to", "截止日期", to)?;
            sql.push(&format!(" AND r.{} < ", cols.date)).bind(to);
        }
        if let Some(open) = self.open {
            let test = if open { "IS NULL" } else { "IS NOT NULL" };
            sql.push(&format!(" AND r.{} {test}", cols.end));
        }
        if let Some(p) = self.person_id {
            sql.push(" AND r.person_id = ").bind(p);
        }
        Ok(())
    }
}

/// A registration resolved to its person, as a write checks it against those stored.
pub(crate) trait Resolved {
    /// Its table, with one registration per person and date.
    const TABLE: &'static RegistrationTable;
    fn person_id(&self) -> i64;
    fn date(&self) -> chrono::NaiveDate;
}

/// A registration's period: from its date up to, not including, its end (`None`: open).
/// Dates are `YYYY-MM-DD` text, which orders as the dates do.
#[derive(Debug, Clone)]
pub(crate) struct Period {
    /// `None` for a row of the batch being written.
    pub id: Option<i64>,
    pub from: String,
    pub until: Option<String>,
}

impl Period {
    /// Whether it shares a day with [from, until).
    pub fn overlaps(&self, from: &str, until: Option<&str>) -> bool {
        until.is_none_or(|u| self.from.as_str() < u)
            && self.until.as_deref().is_none_or(|u| from < u)
    }

    /// Whether it covers the day `on`.
    pub fn covers(&self, on: &str) -> bool {
        self.from.as_str() <= on && self.until.as_deref().is_none_or(|u| on < u)
    }

    /// "自 2020-01-02 起" or "2020-01-02 至 2020-03-01", for messages.
    pub fn describe(&self) -> String {
        match &self.until {
            Some(until) => format!("{} 至 {until}", self.from),
            None => format!("自 {} 起", self.from),
        }
    }
}

/// The registrations of one kind of the people of a batch, per person: those stored, and
/// those of the batch accepted so far, which a later row of the batch must not overlap.
#[derive(Debug, Default)]
pub(crate) struct Periods(HashMap<i64, Vec<Period>>);

impl Periods {
    pub fn of(&self, person: i64) -> &[Period] {
        self.0.get(&person).map_or(&[], Vec::as_slice)
    }

    /// A registration of `person` overlapping [from, until) other than the one this write
    /// updates: the one on `from` (the natural key) or, when its date moves, `except`.
    pub fn overlapping(
        &self,
        person: i64,
        (from, until): (&str, Option<&str>),
        except: Option<i64>,
    ) -> Option<&Period> {
        self.of(person).iter().find(|p| {
            p.from != from && (except.is_none() || p.id != except) && p.overlaps(from, until)
        })
    }

    pub fn add(&mut self, person: i64, from: String, until: Option<String>) {
        let period = Period {
            id: None,
            from,
            until,
        };
        self.0.entry(person).or_default().push(period);
    }
}

impl Store {
    /// The stored registrations in `t` of `people`.
    pub(crate) async fn periods(
        &self,
        conn: &mut Conn<'_>,
        t: &RegistrationTable,
        people: impl IntoIterator<Item = i64>,
    ) -> Result<Periods> {
        let mut ids: Vec<i64> = people.into_iter().collect();
        let mut periods = Periods::default();
        if ids.is_empty() {
            return Ok(periods);
        }
        ids.sort_unstable();
        ids.dedup();
        let mut sql = Sql::new(&format!(
            "SELECT id, person_id, {}, {} FROM {} WHERE person_id IN ",
            t.date, t.end, t.table
        ));
        sql.bind_list(ids.into_iter().map(Val::from));
        let read = |r: &dyn Cells| {
            let period = Period {
                id: Some(r.required_int(0)?),
                from: r.required(2)?.to_string(),
                until: r.text(3)?.map(str::to_string),
            };
            Ok((r.required_int(1)?, period))
        };
        for (person, period) in conn.rows(&sql, read).await? {
            periods.0.entry(person).or_default().push(period);
        }
        Ok(periods)
    }

    /// Moves registration `id` in `t` to `date`, keeping its id; the upsert that follows
    /// then updates it in place. The caller has checked the date is free
    /// ([`Store::one_per_date`]).
    pub(crate) async fn move_registration(
        &self,
        conn: &mut Conn<'_>,
        t: &RegistrationTable,
        id: i64,
        date: chrono::NaiveDate,
    ) -> Result<()> {
        let mut sql = Sql::new(&format!("UPDATE {} SET {} = ", t.table, t.date));
        sql.bind(super::date_text(date))
            .push(" WHERE id = ")
            .bind(id);
        conn.execute(&sql).await
    }
}
