//! The rules between a person's registrations: one unemployment registration at a time, a
//! job ends the unemployment it falls in, and a registration keeps its id when its date is
//! corrected. List filters take searches and dates as users type them.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

/// 求职者, the name searched for, as a query parameter.
const SEEKER: &str = "%E6%B1%82%E8%81%8C%E8%80%85";

fn unemployment(id_no: &str, on: &str) -> Value {
    json!({ "id_no": id_no, "registered_on": on, "region": "210102", "reason": "辞职" })
}

fn job(id_no: &str, start: &str) -> Value {
    json!({ "id_no": id_no, "kind": "灵活就业", "start_date": start, "area": "城镇", "region": "210102" })
}

async fn unemployment_of(admin: &Client, id: i64) -> (Value, Value) {
    let u = admin
        .get(&format!("/unemployments/{id}"))
        .await
        .expect(StatusCode::OK);
    (u["ended_on"].clone(), u["end_reason"].clone())
}

#[tokio::test]
async fn one_unemployment_registration_at_a_time() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let id = id_no("210102", 11);
        admin.create("/persons", person("求职者", &id, "210102", "")).await;
        let first = admin.create("/unemployments", unemployment(&id, "2020-01-02")).await;

        // A second one while the first is open: refused, naming the first.
        let refused = admin.post("/unemployments", unemployment(&id, "2020-03-02")).await;
        let body = refused.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(body["message"].as_str().unwrap().contains("自 2020-01-02 起"), "{body}");
        // Nor one before it that would run into it.
        let before = admin.post("/unemployments", unemployment(&id, "2019-12-01")).await;
        before.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");

        // The same in a file: the row is rejected in its column, the good row kept.
        let other = id_no("210102", 12);
        admin.create("/persons", person("另一人", &other, "210102", "")).await;
        let csv = format!(
            "身份证号,登记日期,登记地区划代码,失业原因\n{id},2020-04-01,210102,辞职\n{other},2020-04-01,210102,辞职\n"
        );
        let report = admin.upload("/imports/unemployment?wait=true", "u.csv", csv.as_bytes()).await;
        let report = report.expect(StatusCode::OK);
        assert_eq!((report["inserted"].as_i64(), report["rejected_count"].as_i64()), (Some(1), Some(1)), "{report}");
        assert_eq!(report["rejected"][0]["row"], 2, "{report}");
        assert_eq!(report["rejected"][0]["errors"][0]["column"], "登记日期", "{report}");

        // Once the first has ended, a new registration is accepted.
        let mut ended = unemployment(&id, "2020-01-02");
        ended["ended_on"] = json!("2020-02-01");
        ended["end_reason"] = json!("迁出本地");
        admin.put(&format!("/unemployments/{first}"), ended).await.expect(StatusCode::NO_CONTENT);
        admin.create("/unemployments", unemployment(&id, "2020-03-02")).await;
        assert_eq!(admin.list(&format!("/unemployments?open=true&name={SEEKER}")).await.0, 1);
    })
    .await;
}

#[tokio::test]
async fn a_job_ends_a_registration_that_would_end_later() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let id = id_no("210102", 13);
        admin
            .create("/persons", person("求职者", &id, "210102", ""))
            .await;
        let mut u = unemployment(&id, "2019-10-01");
        u["ended_on"] = json!("2020-12-31");
        u["end_reason"] = json!("迁出本地");
        let registered = admin.create("/unemployments", u).await;
        admin.create("/employments", job(&id, "2020-02-01")).await;
        assert_eq!(
            unemployment_of(&admin, registered).await,
            (json!("2020-02-01"), json!("employed"))
        );
    })
    .await;
}

#[tokio::test]
async fn correcting_a_jobs_start_keeps_its_id_and_ends_the_unemployment_anew() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let id = id_no("210102", 14);
        admin
            .create("/persons", person("求职者", &id, "210102", ""))
            .await;
        let registered = admin
            .create("/unemployments", unemployment(&id, "2019-10-01"))
            .await;
        let started = admin.create("/employments", job(&id, "2020-01-15")).await;
        assert_eq!(
            unemployment_of(&admin, registered).await.0,
            json!("2020-01-15")
        );

        admin
            .put(&format!("/employments/{started}"), job(&id, "2020-09-01"))
            .await
            .expect(StatusCode::NO_CONTENT);
        let moved = admin
            .get(&format!("/employments/{started}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(moved["start_date"], "2020-09-01", "{moved}");
        assert_eq!(
            admin.list(&format!("/employments?name={SEEKER}")).await.0,
            1
        );
        assert_eq!(
            unemployment_of(&admin, registered).await,
            (json!("2020-09-01"), json!("employed"))
        );
    })
    .await;
}

#[tokio::test]
async fn searches_take_wildcards_literally_and_dates_as_typed() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        for (seq, name) in [(15, "张_三"), (16, "李四"), (17, "王%五")] {
            admin
                .create(
                    "/persons",
                    person(name, &id_no("210102", seq), "210102", ""),
                )
                .await;
        }
        let names = |rows: Vec<Value>| -> Vec<String> {
            let mut n: Vec<String> = rows
                .iter()
                .map(|p| p["name"].as_str().unwrap().into())
                .collect();
            n.sort();
            n
        };
        assert_eq!(names(admin.list("/persons?name=_").await.1), ["张_三"]);
        assert_eq!(names(admin.list("/persons?name=%25").await.1), ["王%五"]);
        assert_eq!(admin.list("/persons?name=%E5%BC%A0%25").await.0, 0);

        admin
            .create(
                "/unemployments",
                unemployment(&id_no("210102", 16), "2020-05-10"),
            )
            .await;
        for (from, to) in [
            ("2020-05-01", "2020-06-01"),
            ("2020-5-1", "2020-6-1"),
            ("2020/05/01", "20200601"),
        ] {
            let (n, _) = admin
                .list(&format!("/unemployments?from={from}&to={to}"))
                .await;
            assert_eq!(n, 1, "{from}..{to}");
        }
        let bad = admin.get("/unemployments?from=2020-13-01").await;
        let body = bad.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "from", "{body}");
    })
    .await;
}
