//! The `wenjiu` command as an operator uses it: the built binary, real files, a real
//! SQLite database (and PostgreSQL for `migrate` when WENJIU_TEST_PG is set).

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
fn gen_import_users_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--db", "sqlite://w.db"];

    let text = ok(
        d,
        &[
            "gen",
            "person",
            "--people",
            "400",
            "--bad-per-mille",
            "50",
            "--out",
            "people.csv",
        ],
    );
    assert!(text.contains("400 行"), "{text}");
    assert_eq!(
        std::fs::read_to_string(d.join("people.csv"))
            .unwrap()
            .lines()
            .count(),
        401
    );

    let import = |extra: &[&str]| {
        let mut args = vec!["import", db[0], db[1], "person", "people.csv"];
        args.extend_from_slice(extra);
        ok(d, &args)
    };
    let first = import(&["--rejected", "rejected.xlsx"]);
    assert!(first.contains("400 行"), "{first}");
    assert!(
        first.contains("拒绝") && !first.contains("拒绝 0"),
        "some rows are spoiled: {first}"
    );
    assert!(d.join("rejected.xlsx").is_file());
    assert!(
        d.join("wenjiu.key").is_file(),
        "the key is created beside the database"
    );
    // The same file again: nothing new.
    let again = import(&[]);
    assert!(again.contains("新增 0"), "{again}");

    ok(
        d,
        &[
            "user",
            "add",
            db[0],
            db[1],
            "bob",
            "--name",
            "测试员",
            "--role",
            "city_officer",
            "--region",
            "2101",
        ],
    );
    ok(d, &["user", "lock", db[0], db[1], "bob"]);
    let refused = wenjiu(
        d,
        &[
            "user", "add", db[0], db[1], "eve", "--name", "x", "--role", "nope", "--region", "21",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("角色 nope 不存在"));

    let verified = ok(d, &["audit", "verify", db[0], db[1]]);
    assert!(verified.contains("审计日志完整"), "{verified}");

    // Tamper with the second record: verification fails and names it.
    tamper(&d.join("w.db"));
    let out = wenjiu(d, &["audit", "verify", db[0], db[1]]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("第 2 条"),
        "{out:?}"
    );
}

/// The files `wenjiu gen` writes for one province belong together: the registrations name
/// the people and employers of the other files, so all four import without a rejection.
#[test]
fn gen_files_of_one_province_import_together() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Unemployment before employment, as the demo loads them: a job ends the registration
    // it follows.
    for kind in ["enterprise", "person", "unemployment", "employment"] {
        let file = format!("{kind}.csv");
        ok(d, &["gen", kind, "--people", "300", "--out", &file]);
        let rows = std::fs::read_to_string(d.join(&file))
            .unwrap()
            .lines()
            .count()
            - 1;
        assert!(rows > 0, "{kind}: no rows");
        let text = ok(d, &["import", "--db", "sqlite://w.db", kind, &file]);
        assert!(
            text.contains(&format!("{rows} 行：接收 {rows}（新增 {rows}"))
                && text.contains("拒绝 0"),
            "{kind}: {text}"
        );
    }
}

/// Changes one audit record behind wenjiu's back, through a connection of its own.
fn tamper(db: &Path) {
    use sqlx::Connection;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let url = format!("sqlite://{}", db.display());
            let mut conn = sqlx::SqliteConnection::connect(&url)
                .await
                .expect("open the database");
            let done = sqlx::query("UPDATE audit SET detail = 'x' WHERE id = 2")
                .execute(&mut conn)
                .await
                .expect("tamper");
            assert_eq!(done.rows_affected(), 1);
        });
}

#[test]
fn demo_loads_once_and_openapi_prints_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let first = ok(
        d,
        &[
            "demo",
            "--db",
            "sqlite://demo.db",
            "--people",
            "600",
            "--no-calibrate",
            "--no-serve",
        ],
    );
    assert!(first.contains("演示省份已加载：600 人"), "{first}");
    let second = ok(
        d,
        &[
            "demo",
            "--db",
            "sqlite://demo.db",
            "--people",
            "600",
            "--no-calibrate",
            "--no-serve",
        ],
    );
    assert!(
        !second.contains("演示省份已加载"),
        "the demo is loaded only into an empty database: {second}"
    );

    let doc: serde_json::Value = serde_json::from_str(&ok(d, &["openapi"])).expect("JSON");
    assert!(doc["paths"]["/persons"].is_object());
}

#[test]
fn migrate_on_postgresql_when_available() {
    let Ok(url) = std::env::var("WENJIU_TEST_PG") else {
        assert!(std::env::var("CI").is_err(), "CI must set WENJIU_TEST_PG");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A database of its own, created through the server's default database.
    let name = format!("wenjiu_cli_{}", std::process::id());
    let base = url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&url)
        .to_string();
    let psql = |sql: &str| {
        Command::new("psql")
            .args([url.as_str(), "-q", "-c", sql])
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(
        psql(&format!("CREATE DATABASE {name}")),
        "cannot create a database through {url}"
    );
    let db = format!("{base}/{name}");
    let text = ok(dir.path(), &["migrate", "--db", &db, "--key-file", "k.key"]);
    assert!(text.contains("postgres"), "{text}");
    let _ = psql(&format!("DROP DATABASE {name} WITH (FORCE)"));
}

/// The seed's sentence, byte for byte (seed/000_e0e69d5198081a4e.txt, section 一).
const SEED: &str = "截至5月末,全省城镇新增就业15.2万人,完成全年目标(42万人)的36.1%,低于序时进度(41.7%)5.6个百分点,同比减少21.2%;城镇调查失业率为6.5%(一季度),高于5.5%左右的年度控制目标,列全国第8位。城镇登记失业率4.24%,低于年度控制目标(4.5%)0.26个百分点,同比增加了0.2个百分点。";

/// Golden: the calibrated demo province, computed from its registry, states the seed's
/// figures; and the bulletin's documents are written.
#[test]
fn bulletin_of_the_demo_province_is_the_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = ["--db", "sqlite://demo.db", "--as-of", "2020-05-31"];
    ok(d, &[&["demo", "--no-serve"][..], &db].concat());
    let text = ok(
        d,
        &[
            &["bulletin", "--region", "210000", "--month", "2020-05"][..],
            &db,
        ]
        .concat(),
    );
    assert!(text.lines().any(|l| l == SEED), "{text}");
    for format in ["docx", "xlsx", "html"] {
        let out = format!("通报.{format}");
        ok(
            d,
            &[
                &["bulletin", "--region", "210000", "--month", "2020-05"][..],
                &["--format", format, "--out", &out, "--no-refresh"],
                &db,
            ]
            .concat(),
        );
        let bytes = std::fs::read(d.join(&out)).unwrap();
        assert!(bytes.len() > 1000, "{out}: {} bytes", bytes.len());
    }
    let city = ok(
        d,
        &[
            &["bulletin", "--region", "210100", "--month", "2020-05"][..],
            &db,
        ]
        .concat(),
    );
    assert!(city.contains("截至5月末,全市城镇新增就业"), "{city}");

    // The seed's monitoring sample, reporting in May with warnings of every level.
    let monitoring = ok(
        d,
        &[
            &[
                "monitoring",
                "report",
                "--region",
                "210000",
                "--month",
                "2020-05",
            ][..],
            &db,
        ]
        .concat(),
    );
    assert!(
        monitoring.contains("辽宁省纳入失业动态监测的企业5,464户")
            && monitoring.contains("纳入失业动态监测的企业5,464户，建档期就业人数1,969,000人"),
        "{monitoring}"
    );
    for level in ["Ⅰ级（红色）", "Ⅱ级（橙色）", "Ⅲ级（黄色）"] {
        let count = monitoring
            .split(level)
            .nth(1)
            .and_then(|rest| rest.split('条').next())
            .and_then(|n| n.replace(',', "").parse::<i64>().ok());
        assert!(count.is_some_and(|n| n > 0), "{level}: {monitoring}");
    }
}

/// `wenjiu monitoring` on the demo province: the month's warning run, and the analysis report
/// printed and written in each format.
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
    // 194 reports, 6 of them returned and left out of the figures (188 in the table).
    assert!(
        paragraph.contains("本月上报194户（其中退回待更正6户，未计入以下数据）"),
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
