//! `wenjiu monitoring` on the demo province: the month's warning run, and the analysis report
//! printed and written in each format.

use std::path::Path;
use std::process::{Command, Output};

fn wenjiu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wenjiu"))
        .args(args)
        .current_dir(dir)
        .env("WENJIU_PASSWORD", "Passw0rd!x")
        .env_remove("WENJIU_DB")
        .output()
        .expect("wenjiu runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = wenjiu(dir, args);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wenjiu {args:?} failed:\n{text}");
    text
}

#[test]
fn monitoring_run_and_analysis_report_of_the_demo_province() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--db", "sqlite://demo.db", "--as-of", "2020-05-31"];
    let may = ["--month", "2020-05"];
    ok(
        d,
        &[
            &["demo", "--no-serve", "--people", "3000", "--no-calibrate"][..],
            &db,
        ]
        .concat(),
    );

    // The demo's warnings are in place already: running the month again finds them and
    // raises nothing new.
    let run = ok(d, &[&["monitoring", "run"][..], &may, &db].concat());
    assert!(run.contains("2020-05 预警规则运行完毕"), "{run}");
    assert!(run.contains("新增 0，更新 0，消除 0"), "{run}");

    let report = [
        &["monitoring", "report", "--region", "210000"][..],
        &may,
        &db,
    ]
    .concat();
    let text = ok(d, &report);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..2],
        ["失业动态监测月度分析报告", "辽宁省　2020年5月"],
        "{text}"
    );
    // The demo's sample scales with --people: 200 enterprises at 3,000 people.
    let paragraph = lines[3];
    assert!(
        paragraph.starts_with("2020年5月，辽宁省纳入失业动态监测的企业200户"),
        "{paragraph}"
    );
    assert!(paragraph.contains("建档期就业人数72,071人"), "{paragraph}");
    assert!(
        paragraph.contains("岗位流失率与建档期相比为"),
        "{paragraph}"
    );
    assert!(paragraph.contains("减员原因主要是"), "{paragraph}");
    assert!(paragraph.contains("Ⅰ级（红色）"), "{paragraph}");
    // The compact table: its header, 14 cities, the total.
    let table: Vec<&str> = lines[5..].to_vec();
    assert!(table[0].starts_with("地区"), "{text}");
    assert_eq!(table.len(), 1 + 14 + 1, "{text}");
    assert!(table[1].starts_with("辽宁省沈阳市"), "{text}");
    assert!(table[15].starts_with("合计"), "{text}");

    for format in ["docx", "xlsx", "html"] {
        let out = format!("分析报告.{format}");
        let written = ok(
            d,
            &[&report[..], &["--format", format, "--out", &out]].concat(),
        );
        assert!(written.contains(&out), "{written}");
        let bytes = std::fs::read(d.join(&out)).unwrap();
        if format == "html" {
            let page = String::from_utf8(bytes).unwrap();
            assert!(page.contains("六、预警与处置") && page.contains("<svg"));
        } else {
            assert!(bytes.starts_with(b"PK"), "{out}: a ZIP package");
        }
    }
    // A document needs a file to go to.
    let out = wenjiu(d, &[&report[..], &["--format", "docx"]].concat());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}
