//! The GB/T 2260 division table, compiled in and indexed on first use.
//!
//! Source: `data/gb2260/*.csv` (modood/Administrative-divisions-of-China, state of 2022, WTFPL).
//! The files are simple: a header line, then `code,"name",parent codes...` with quoted names that
//! never contain commas or quotes, so a tiny line splitter is enough.

use std::sync::LazyLock;

use super::RegionCode;

const PROVINCES: &str = include_str!("../../data/gb2260/provinces.csv");
const CITIES: &str = include_str!("../../data/gb2260/cities.csv");
const AREAS: &str = include_str!("../../data/gb2260/areas.csv");

/// One division, keyed by its 6-digit code.
pub(super) struct Entry {
    pub code: u32,
    /// The 6-digit code as text, so `RegionCode::as_str` can hand out a `&'static str`.
    pub code_str: String,
    pub name: &'static str,
    pub parent: Option<RegionCode>,
    pub children: Vec<RegionCode>,
}

pub(super) struct Index {
    /// Sorted by code, codes unique.
    entries: Vec<Entry>,
    provinces: Vec<RegionCode>,
}

impl Index {
    pub fn get(&self, code: u32) -> Option<&Entry> {
        self.entries
            .binary_search_by_key(&code, |e| e.code)
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn provinces(&self) -> &[RegionCode] {
        &self.provinces
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

pub(super) static INDEX: LazyLock<Index> = LazyLock::new(build);

/// Splits one line into fields, removing the quotes around names.
fn fields(line: &'static str) -> Vec<&'static str> {
    line.trim_end_matches('\r')
        .split(',')
        .map(|f| {
            let f = f.trim();
            f.strip_prefix('"')
                .and_then(|f| f.strip_suffix('"'))
                .unwrap_or(f)
        })
        .collect()
}

/// Data lines of a file (the header skipped), each split into fields.
fn rows(file: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    file.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(fields)
}

/// Parses a 2/4/6-digit code of the files into its 6-digit value; the files are trusted input
/// compiled into the binary, so a malformed line is a build defect and panics (a unit test loads
/// the whole table).
fn code6(text: &str, digits: usize) -> u32 {
    assert!(
        text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()),
        "GB/T 2260 table: bad {digits}-digit code {text:?}"
    );
    let n: u32 = text.parse().expect("digits");
    n * 10u32.pow((6 - digits) as u32)
}

fn build() -> Index {
    let mut raw: Vec<(u32, &'static str, Option<u32>)> = Vec::with_capacity(3400);
    for f in rows(PROVINCES) {
        raw.push((code6(f[0], 2), f[1], None));
    }
    for f in rows(CITIES) {
        raw.push((code6(f[0], 4), f[1], Some(code6(f[2], 2))));
    }
    for f in rows(AREAS) {
        let code = code6(f[0], 6);
        let city = code6(f[2], 4);
        // 东莞, 中山 and 儋州 have no counties; the table lists each once more as an "area" whose
        // code equals the city's own 6-digit code. Keep only the city: it is then a leaf.
        if code == city {
            continue;
        }
        raw.push((code, f[1], Some(city)));
    }
    raw.sort_by_key(|r| r.0);
    for w in raw.windows(2) {
        assert!(
            w[0].0 != w[1].0,
            "GB/T 2260 table: duplicate code {}",
            w[0].0
        );
    }

    let mut entries: Vec<Entry> = raw
        .iter()
        .map(|&(code, name, parent)| Entry {
            code,
            code_str: format!("{code:06}"),
            name,
            parent: parent.map(RegionCode::from_trusted),
            children: Vec::new(),
        })
        .collect();
    let mut provinces = Vec::new();
    for &(code, _, parent) in &raw {
        match parent {
            None => provinces.push(RegionCode::from_trusted(code)),
            Some(p) => {
                let i = entries
                    .binary_search_by_key(&p, |e| e.code)
                    .unwrap_or_else(|_| panic!("GB/T 2260 table: {code} has unknown parent {p}"));
                entries[i].children.push(RegionCode::from_trusted(code));
            }
        }
    }
    Index { entries, provinces }
}
