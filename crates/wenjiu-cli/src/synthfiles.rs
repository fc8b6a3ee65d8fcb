//! `wenjiu gen`: synthetic registry files of any size (CSV or XLSX by extension), for
//! tests, benchmarks and training. Written as they are generated: memory stays flat.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use chrono::NaiveDate;
use wenjiu_core::RegionCode;
use wenjiu_store::registry::Kind;

use crate::progress::bar;
use crate::synth::{Province, Rng, spoil};

/// The rows of `kind` for a province of `people` people, with about `bad_per_mille`
/// spoiled rows. Registrations need the people (and employers) behind them, so those are
/// generated too, from the same seed, but not written.
pub fn rows(
    kind: Kind,
    people: u64,
    seed: u64,
    bad_per_mille: u64,
) -> Box<dyn Iterator<Item = Vec<String>>> {
    let mut province = Province::new(seed);
    let mut spoiler = Rng::new(seed ^ 0xBAD);
    let until = NaiveDate::from_ymd_opt(2020, 5, 31).expect("valid date");
    let mut spoil_some = move |mut row: Vec<String>| {
        if spoiler.chance(bad_per_mille) {
            spoil(&mut spoiler, &mut row);
        }
        row
    };
    // The province as the demo load makes it: enterprises, then each person followed by
    // their registrations. Every kind's file takes its part of the same sequence, so the
    // registrations name the people and employers of the other files.
    let (enterprises, employers) = enterprises(&mut province, people);
    if kind == Kind::Enterprise {
        return Box::new(enterprises.into_iter().map(|e| e.0));
    }
    Box::new((0..people).flat_map(move |_| {
        let (row, spec) = province.person();
        let (unemployment, employment) = province.registrations(&spec, &employers, until);
        match kind {
            Kind::Person => vec![spoil_some(row)],
            Kind::Unemployment => unemployment,
            Kind::Employment => employment,
            Kind::Enterprise => unreachable!("enterprises are returned above"),
        }
    }))
}

/// A generated enterprise: its import row, credit code and region.
pub type Enterprise = (Vec<String>, String, RegionCode);

/// The enterprises of a province of `people` people, made before its people, and the
/// employers among them as (credit code, region).
pub fn enterprises(
    province: &mut Province,
    people: u64,
) -> (Vec<Enterprise>, Vec<(String, RegionCode)>) {
    // One enterprise per 15 residents' worth of registry, at least 50.
    let all: Vec<_> = (0..(people / 15).max(50))
        .map(|n| province.enterprise(n))
        .collect();
    let employers = all
        .iter()
        .map(|(_, code, region)| (code.clone(), *region))
        .collect();
    (all, employers)
}

pub fn write(
    kind: Kind,
    people: u64,
    seed: u64,
    bad_per_mille: u64,
    out: &Path,
) -> anyhow::Result<u64> {
    let headers: Vec<&str> = kind.columns().iter().map(|c| c.header).collect();
    let progress = bar(people, "生成");
    let mut n = 0u64;
    let rows = rows(kind, people, seed, bad_per_mille).inspect(|_| {
        n += 1;
        if n.is_multiple_of(10_000) {
            progress.set_position(n.min(people));
        }
    });
    match out.extension().and_then(|e| e.to_str()) {
        Some("xlsx") => std::fs::write(out, wenjiu_io::write_xlsx(kind.label(), &headers, rows)?)?,
        Some("csv") => wenjiu_io::write_csv(&headers, rows, BufWriter::new(File::create(out)?))?,
        _ => anyhow::bail!("输出文件须以 .csv 或 .xlsx 结尾：{}", out.display()),
    }
    progress.finish_and_clear();
    Ok(n)
}
