//! `wenjiu screen` on a small demo province: every policy finds beneficiaries, the per-city
//! summary adds up to its totals, a region keeps to its cities, and bad input is named in
//! Chinese.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn catalogue() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/liaoning-2020")
}

fn wenjiu(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wenjiu"))
        .args(args)
        .current_dir(dir)
        .env_remove("WENJIU_DB")
        .env("WENJIU_POLICIES", catalogue())
        .output()
        .expect("wenjiu runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The table's lines as (place, policy, count, yuan in fen).
fn table(out: &str) -> Vec<(String, String, i64, i64)> {
    out.lines()
        .skip_while(|l| !l.starts_with("地市"))
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
            let (yuan, fen) = cells[3].split_once('.').expect("amount in yuan");
            (
                cells[0].to_string(),
                cells[1].to_string(),
                cells[2].parse().unwrap(),
                yuan.parse::<i64>().unwrap() * 100 + fen.parse::<i64>().unwrap(),
            )
        })
        .collect()
}

#[test]
fn screen_prints_a_per_city_summary_that_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--db", "sqlite://demo.db"];
    let (ok, _, err) = wenjiu(
        d,
        &[
            &["demo", "--people", "12000", "--no-calibrate", "--no-serve"][..],
            &db,
        ]
        .concat(),
    );
    assert!(ok, "{err}");

    let (ok, out, err) = wenjiu(d, &[&["screen", "--date", "2020-05-31"][..], &db].concat());
    assert!(ok, "{err}");
    assert!(out.contains("全部地区，全部政策"), "{out}");
    let rows = table(&out);
    let cities: Vec<_> = rows
        .iter()
        .filter(|r| r.0 != "合计" && r.0 != "总计")
        .collect();
    // The demo's registry and supplied facts give every policy of the catalogue beneficiaries.
    let policies = std::fs::read_dir(catalogue())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("toml".as_ref()))
        .count();
    let found: std::collections::BTreeSet<&str> = cities.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        found.len(),
        policies,
        "policies with beneficiaries: {found:?}\n{out}"
    );
    let mut per_policy: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for r in &cities {
        let t = per_policy.entry(&r.1).or_default();
        t.0 += r.2;
        t.1 += r.3;
    }
    for r in rows.iter().filter(|r| r.0 == "合计") {
        assert_eq!(per_policy[r.1.as_str()], (r.2, r.3), "{out}");
    }
    let total = rows.iter().find(|r| r.0 == "总计").expect("a total line");
    let sum = per_policy
        .values()
        .fold((0, 0), |a, t| (a.0 + t.0, a.1 + t.1));
    assert_eq!((total.2, total.3), sum, "{out}");

    // One city: only its lines; the same figures as in the province's run.
    let (ok, out, err) = wenjiu(
        d,
        &[
            &["screen", "--date", "2020-05-31", "--region", "2102"][..],
            &["--policy", "job-search"],
            &db,
        ]
        .concat(),
    );
    assert!(ok, "{err}");
    let dalian: Vec<_> = table(&out)
        .into_iter()
        .filter(|r| r.0 != "合计" && r.0 != "总计")
        .collect();
    assert!(dalian.iter().all(|r| r.0 == "大连市"), "{out}");
    let before: Vec<_> = cities
        .iter()
        .filter(|r| r.0 == "大连市" && r.1 == "求职创业补贴")
        .map(|r| (*r).clone())
        .collect();
    assert_eq!(dalian, before, "{out}");

    for (args, message) in [
        (&["--date", "2020-13-01"][..], "日期“2020-13-01”有误"),
        (&["--date", "2020-05-31", "--region", "99"][..], "990000"),
        (
            &["--date", "2020-05-31", "--policy", "nope"][..],
            "没有编号为“nope”的政策",
        ),
    ] {
        let (ok, _, err) = wenjiu(d, &[&["screen"][..], args, &db].concat());
        assert!(!ok);
        assert!(err.contains(message), "{message} not in {err}");
    }
}
