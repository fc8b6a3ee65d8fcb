//! Screening helpers shared by the screening and grant tests: people, runs, results, and a
//! catalogue of test policies reading only registry facts.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};

use wenjiu_server::{AppState, ServerConfig};

use super::{Client, Ctx, catalogue_dir, credit_code, enterprise, id_no, person};

/// The date the tests screen at (and their business date).
pub const DATE: &str = "2020-06-30";

/// A person with a college degree (本科) graduating in `year`, with `attributes`.
pub fn graduate(name: &str, id: &str, region: &str, year: i64, attributes: &str) -> Value {
    let mut p = person(name, id, region, "13800000001");
    p["graduation_year"] = json!(year);
    p["attributes"] = json!(attributes);
    p
}

pub async fn screen(c: &Client, body: Value) -> Value {
    let run = c
        .post("/policy/screenings?wait=true", body)
        .await
        .expect(StatusCode::OK);
    assert_eq!(run["status"], "done", "{run}");
    run
}

/// (policy, person name) of every result the client sees.
pub async fn found(c: &Client, run: i64) -> BTreeSet<(String, String)> {
    let (total, rows) = c.list(&format!("/policy/screenings/{run}/results")).await;
    assert_eq!(total as usize, rows.len());
    rows.iter()
        .map(|r| {
            (
                r["policy_id"].as_str().unwrap().to_string(),
                r["person_name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

pub fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Test policies reading only registry facts: two in one exclusion group, and two about
/// hires, one of them granted once per enterprise × person.
pub const TEST_POLICIES: &[(&str, &str)] = &[
    (
        "g-graduate",
        "subject = \"person\"\nexclusion_group = \"g\"\n\
         [[conditions]]\nname = \"graduate\"\nclause = \"毕业年度\"\nexpr = \"person.graduate_of_year\"\n\
         [amount]\nformula = 'param(\"startup_amount_fen\")'\nround = \"down_to_fen\"\n",
    ),
    (
        "g-dibao",
        "subject = \"person\"\nexclusion_group = \"g\"\n\
         [[conditions]]\nname = \"dibao\"\nclause = \"低保\"\nexpr = \"person.dibao\"\n\
         [amount]\nformula = 'param(\"job_search_amount_fen\")'\nround = \"down_to_fen\"\n",
    ),
    (
        "h-once",
        "subject = \"hire\"\nonce_per_subject = true\n\
         [[conditions]]\nname = \"hired\"\nclause = \"2020年招用\"\n\
         expr = 'hire.start_date >= date(\"2020-01-01\")'\n\
         [amount]\nformula = 'param(\"job_search_amount_fen\")'\nround = \"down_to_fen\"\n",
    ),
    (
        "h-each",
        "subject = \"hire\"\n\
         [[conditions]]\nname = \"hired\"\nclause = \"2020年招用\"\n\
         expr = 'hire.start_date >= date(\"2020-01-01\")'\n\
         [amount]\nformula = 'param(\"job_search_amount_fen\")'\nround = \"down_to_fen\"\n",
    ),
];

pub fn test_catalogue(to: &std::path::Path) {
    let from = catalogue_dir().join("parameters");
    std::fs::create_dir_all(to.join("parameters")).unwrap();
    for e in std::fs::read_dir(&from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join("parameters").join(p.file_name().unwrap())).unwrap();
    }
    for (id, body) in TEST_POLICIES {
        let text = format!(
            "id = \"{id}\"\nname = \"测试{id}\"\nfund = \"测试\"\n\
             legal_basis = {{ document = \"测试\", clause = \"测试\" }}\n\
             validity = {{ from = 2019-01-01 }}\n{body}"
        );
        std::fs::write(to.join(format!("{id}.toml")), text).unwrap();
    }
}

/// Serves `ctx` with the catalogue of `TEST_POLICIES`; keep the directory while testing.
pub fn use_test_catalogue(ctx: &mut Ctx) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    test_catalogue(dir.path());
    let config = ServerConfig {
        policy_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    ctx.app = wenjiu_server::app(AppState::new(ctx.store.clone(), config).unwrap());
    dir
}

/// The registry the test policies are screened over, in 和平区 (210102): 两者 (a graduate of
/// the year on 低保), 低保 (graduated 2018, on 低保) and 毕业生 (a graduate of the year); 低保 is
/// hired twice by 筛查厂, 毕业生 by 筛查厂 and then by 第二厂.
pub async fn register_test_subjects(admin: &Client) {
    let both = id_no("210102", 1);
    let dibao = id_no("210102", 2);
    let grad = id_no("210102", 3);
    admin
        .create("/persons", graduate("两者", &both, "210102", 2020, "dibao"))
        .await;
    admin
        .create(
            "/persons",
            graduate("低保", &dibao, "210102", 2018, "dibao"),
        )
        .await;
    admin
        .create("/persons", graduate("毕业生", &grad, "210102", 2020, ""))
        .await;
    let code = credit_code("210102", "12345678");
    admin
        .create("/enterprises", enterprise("筛查厂", &code, "210102"))
        .await;
    let other = credit_code("210102", "87654321");
    admin
        .create("/enterprises", enterprise("第二厂", &other, "210102"))
        .await;
    let hire_by = |code: &str, id: &str, start: &str, end: Option<&str>| {
        json!({ "id_no": id, "kind": "单位就业", "employer_credit_code": code,
                "start_date": start, "end_date": end, "area": "城镇", "region": "210102" })
    };
    let hire = |id: &str, start: &str, end: Option<&str>| hire_by(&code, id, start, end);
    admin
        .create(
            "/employments",
            hire(&dibao, "2020-02-01", Some("2020-03-31")),
        )
        .await;
    admin
        .create("/employments", hire(&dibao, "2020-04-01", None))
        .await;
    admin
        .create("/employments", hire(&grad, "2020-05-01", None))
        .await;
    admin
        .create("/employments", hire_by(&other, &grad, "2020-06-01", None))
        .await;
}
