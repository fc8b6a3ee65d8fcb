//! Supplied facts (申报信息) through the real router on SQLite and PostgreSQL: a sheet with good
//! and bad rows (each bad one named by row and column, the good ones kept), re-importing it
//! correcting rather than adding, one fact entered by hand, the list within each scope with
//! ID numbers masked, and a screening finding the beneficiaries those facts establish on the
//! date each fact holds.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wenjiu_store::policy::facts::FACT_COLUMNS;

/// (policy, person name, amount) of every result of a run.
async fn granted(c: &Client, date: &str) -> BTreeSet<(String, String, i64)> {
    let run = c
        .post("/policy/screenings?wait=true", json!({ "date": date }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(run["status"], "done", "{run}");
    let id = run["id"].as_i64().unwrap();
    let (_, rows) = c.list(&format!("/policy/screenings/{id}/results")).await;
    rows.iter()
        .map(|r| {
            (
                r["policy_id"].as_str().unwrap().to_string(),
                r["person_name"].as_str().unwrap_or_default().to_string(),
                r["amount_fen"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[tokio::test]
async fn facts_are_imported_listed_and_read_by_screening_on_their_dates() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 6, 30));
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let (flexible, hired, dalian) =
            (id_no("210102", 1), id_no("210102", 2), id_no("210202", 3));
        // A graduate of 2019 working flexibly; a graduate of 2020 hired in March.
        let mut p = person("灵活就业者", &flexible, "210102", "13800000001");
        p["graduation_year"] = json!(2019);
        admin.create("/persons", p).await;
        let mut p = person("应届生", &hired, "210102", "13800000002");
        p["graduation_year"] = json!(2020);
        admin.create("/persons", p).await;
        admin
            .create(
                "/persons",
                person("大连人", &dalian, "210202", "13800000003"),
            )
            .await;
        let code = credit_code("210102", "12345678");
        admin
            .create("/enterprises", enterprise("和平厂", &code, "210102"))
            .await;
        admin
            .create(
                "/employments",
                json!({ "id_no": flexible, "kind": "灵活就业", "start_date": "2020-01-01",
                        "area": "城镇", "region": "210102" }),
            )
            .await;
        admin
            .create(
                "/employments",
                json!({ "id_no": hired, "kind": "单位就业", "employer_credit_code": code,
                        "start_date": "2020-03-02", "area": "城镇", "region": "210102" }),
            )
            .await;
        // Without the facts, neither subsidy can be established.
        assert!(
            granted(&admin, "2020-06-30")
                .await
                .iter()
                .all(|g| g.0 != "flexible-si" && g.0 != "hiring-si")
        );

        let rows = vec![
            row(&[
                "本人实缴社会保险费",
                "2,400.00",
                "2020-01-01",
                &flexible,
                "",
                "",
                "社保局",
            ]),
            row(&[
                "hire.contract_months",
                "12",
                "2020-03-02",
                &hired,
                &code,
                "2020-03-02",
                "",
            ]),
            row(&[
                "hire.si_paid",
                "是",
                "2020-03-02",
                &hired,
                &code.to_lowercase(),
                "2020/3/2",
                "",
            ]),
            row(&[
                "单位月缴社会保险费",
                "1000",
                "2020-03-02",
                &hired,
                &code,
                "2020-03-02",
                "",
            ]),
            row(&["月薪", "5000", "2020-01-01", &flexible, "", "", ""]),
            row(&[
                "已享受灵活就业社保补贴月数",
                "很多",
                "2020-01-01",
                &flexible,
                "",
                "",
                "",
            ]),
            row(&["hire.si_paid", "是", "2020-03-02", &hired, &code, "", ""]),
            row(&[
                "本人实缴社会保险费",
                "100",
                "2020-01-01",
                &dalian,
                "",
                "",
                "",
            ]),
            row(&[
                "hire.contract_months",
                "24",
                "2020-03-02",
                &hired,
                &code,
                "2020-03-02",
                "",
            ]),
            row(&[
                "hire.si_paid",
                "是",
                "2020-13-01",
                &hired,
                &code,
                "2020-03-02",
                "",
            ]),
        ];
        let bytes = wenjiu_io::write_xlsx("申报信息", &FACT_COLUMNS, rows.into_iter()).unwrap();
        let import = || async {
            o.shenyang
                .upload("/policy/facts/import", "申报信息.xlsx", &bytes)
                .await
                .expect(StatusCode::OK)
        };
        let counts =
            |r: &Value| ["rows", "accepted", "inserted", "updated"].map(|k| r[k].as_i64().unwrap());
        let r = import().await;
        assert_eq!(counts(&r), [10, 4, 4, 0], "{r}");
        let rejected: Vec<(i64, String, String)> = r["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| {
                x["errors"].as_array().unwrap().iter().map(|e| {
                    (
                        x["row"].as_i64().unwrap(),
                        e["column"].as_str().unwrap().to_string(),
                        e["message"].as_str().unwrap().to_string(),
                    )
                })
            })
            .collect();
        let expect = [
            (6, "信息项", "不是可申报的信息项"),
            (7, "取值", "不小于 0 的整数"),
            (8, "招用日期", "须填招用日期"),
            (9, "身份证号", "本人数据权限范围内没有身份证号"),
            (10, "信息项", "与第 3 行"),
            (11, "生效日期", "2020-13-01"),
        ];
        assert_eq!(rejected.len(), expect.len(), "{rejected:?}");
        for ((row, column, message), (r, c, m)) in rejected.iter().zip(expect) {
            assert_eq!((*row, column.as_str()), (r, c), "{message}");
            assert!(message.contains(m), "row {row}: {message}");
        }
        // Nor where the person outside the scope is registered.
        assert!(!rejected[3].2.contains("大连"), "{}", rejected[3].2);

        // The same file again corrects the same four facts and adds none.
        assert_eq!(counts(&import().await), [10, 4, 0, 4]);
        let (total, listed) = admin.list("/policy/facts").await;
        assert_eq!(total, 4);
        assert!(
            listed
                .iter()
                .all(|f| !f["subject"].as_str().unwrap().contains(&hired))
        );
        let paid = listed
            .iter()
            .find(|f| f["field"] == "person.si_paid_fen")
            .unwrap();
        assert_eq!(paid["value"], "240000");
        assert_eq!(paid["value_label"], "2400.00 元");
        assert_eq!(paid["source"], "社保局");
        assert!(
            paid["subject"]
                .as_str()
                .unwrap()
                .contains(&masked_id(&flexible))
        );
        let contract = listed
            .iter()
            .find(|f| f["field"] == "hire.contract_months")
            .unwrap();
        assert_eq!(
            (contract["source"].as_str(), contract["hire_start"].as_str()),
            (Some("劳动合同备案"), Some("2020-03-02"))
        );
        // By subject: the hired person's three hire facts; 大连 sees none of 沈阳's.
        assert_eq!(admin.list(&format!("/policy/facts?q={hired}")).await.0, 3);
        assert_eq!(
            admin
                .list(&format!("/policy/facts?q={code}&field=hire.si_paid"))
                .await
                .0,
            1
        );
        assert_eq!(o.dalian.list("/policy/facts").await.0, 0);
        // By record, as the registry's detail pages show them.
        let person_id = listed
            .iter()
            .find(|f| f["subject_kind"] == "person")
            .unwrap()["subject_id"]
            .as_i64()
            .unwrap();
        let by_person = admin
            .list(&format!("/policy/facts?person={person_id}"))
            .await;
        assert_eq!(by_person.0, 1);
        let firm = admin.list("/enterprises").await.1[0]["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            admin
                .list(&format!("/policy/facts?enterprise={firm}"))
                .await
                .0,
            3
        );
        o.dalian
            .get("/policy/facts?q=12345")
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");

        // Screening now finds both: 2/3 of the contributions paid, and 沈阳's 4 months of the
        // employer's contributions.
        let found = granted(&admin, "2020-06-30").await;
        assert!(
            found.contains(&("flexible-si".into(), "灵活就业者".into(), 160000)),
            "{found:?}"
        );
        assert!(
            found.contains(&("hiring-si".into(), "应届生".into(), 400000)),
            "{found:?}"
        );

        // A later value holds from its date: from July nothing was paid in the period claimed.
        let id = o
            .heping
            .post(
                "/policy/facts",
                json!({ "field": "person.si_paid_fen", "id_no": flexible, "value": "0",
                        "valid_from": "2020-07-01" }),
            )
            .await
            .expect(StatusCode::OK)["id"]
            .as_i64()
            .unwrap();
        assert!(id > 0);
        assert!(
            granted(&admin, "2020-06-30")
                .await
                .iter()
                .any(|g| g.0 == "flexible-si")
        );
        assert!(
            granted(&admin, "2020-07-31")
                .await
                .iter()
                .all(|g| g.0 != "flexible-si")
        );
        // One fact entered by hand and two imports, each audited (the filter is a prefix).
        let records = admin.audit("action=policy.fact").await;
        assert_eq!(records.len(), 3);
        assert_eq!(admin.audit("action=policy.fact.import").await.len(), 2);

        // Entered by hand: the same checks, each problem named.
        let e = o
            .heping
            .post(
                "/policy/facts",
                json!({ "field": "hire.si_paid", "id_no": hired, "value": "也许",
                        "valid_from": "2020-03-02" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let text = e.to_string();
        for m in ["须填统一社会信用代码", "须填招用日期", "“是”或“否”"] {
            assert!(text.contains(m), "{m} not in {text}");
        }
        o.heping
            .post(
                "/policy/facts",
                json!({ "field": "person.si_paid_fen", "id_no": dalian, "value": "1",
                        "valid_from": "2020-03-02" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let fields = o
            .heping
            .get("/policy/facts/fields")
            .await
            .expect(StatusCode::OK);
        assert!(
            fields
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["name"] == "person.difficulty_recognised" && f["kind"] == "person")
        );
        // A packaged check asks for every field a policy reads, registry ones too, typed and
        // named.
        let all = o.heping.get("/policy/fields").await.expect(StatusCode::OK);
        let field = |name: &str| {
            let f = all.as_array().unwrap().iter().find(|f| f["name"] == name);
            f.map(|f| {
                (
                    f["type"].as_str().unwrap().to_string(),
                    f["label"].as_str().unwrap().to_string(),
                )
            })
        };
        assert_eq!(
            field("person.age"),
            Some(("int".into(), "年龄（周岁）".into()))
        );
        assert_eq!(
            field("enterprise.incubation_platform").map(|f| f.0),
            Some("bool".into())
        );
        ctx.anonymous()
            .get("/policy/facts")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
    })
    .await;
}

#[tokio::test]
async fn a_fact_needs_the_permission() {
    for_each_backend(|ctx| async move {
        ctx.user("reader", "auditor", Some("21"), None).await;
        let reader = ctx.login("reader").await;
        let body: Value = json!({ "field": "person.si_paid_fen", "id_no": id_no("210102", 1),
                                  "value": "1", "valid_from": "2020-03-02" });
        reader
            .post("/policy/facts", body)
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        reader
            .get("/policy/facts")
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
    })
    .await;
}
