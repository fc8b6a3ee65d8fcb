//! Edits that leave masked numbers out, audited probing, the on-screen import report with
//! its rows encrypted at rest, and how the console's files are served.

mod common;

use axum::body::Body;
use axum::http::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING};
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::json;
use sqlx::{Connection, Row};
use tower::ServiceExt;

#[tokio::test]
async fn an_edit_without_the_numbers_keeps_them_and_an_empty_phone_clears_it() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let id_no = id_no("210102", 41);
        let id = admin
            .create("/persons", person("周改", &id_no, "210102", "13912345678"))
            .await;
        // The console sends the other fields only; the numbers stay.
        let edit = json!({ "name": "周改名", "hukou": "城镇", "region": "210103" });
        admin
            .put(&format!("/persons/{id}"), edit)
            .await
            .expect(StatusCode::NO_CONTENT);
        let reveal = |field: &'static str| {
            let admin = &admin;
            async move {
                admin
                    .post(&format!("/persons/{id}/reveal"), json!({ "field": field }))
                    .await
                    .expect(StatusCode::OK)["value"]
                    .clone()
            }
        };
        assert_eq!(reveal("id_no").await, id_no);
        assert_eq!(reveal("phone").await, "13912345678");
        let p = admin
            .get(&format!("/persons/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (p["name"].as_str(), p["region"].as_str()),
            (Some("周改名"), Some("210103"))
        );
        // A phone sent empty is cleared.
        let edit = json!({ "name": "周改名", "hukou": "城镇", "region": "210103", "phone": "" });
        admin
            .put(&format!("/persons/{id}"), edit)
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(reveal("phone").await, serde_json::Value::Null);

        // A registration edited without the ID number stays the same person's.
        let reg = admin
            .create(
                "/unemployments",
                json!({ "id_no": id_no, "registered_on": "2020-01-06", "region": "210103",
                        "reason": "辞职" }),
            )
            .await;
        let end = json!({ "registered_on": "2020-01-06", "region": "210103", "reason": "辞职",
                          "ended_on": "2020-03-01", "end_reason": "迁出本地" });
        admin
            .put(&format!("/unemployments/{reg}"), end)
            .await
            .expect(StatusCode::NO_CONTENT);
        let u = admin
            .get(&format!("/unemployments/{reg}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (u["person_id"].as_i64(), u["ended_on"].as_str()),
            (Some(id), Some("2020-03-01"))
        );

        // A second registration of the same person on the same date is a conflict and
        // changes nothing, for both kinds.
        let again = json!({ "id_no": id_no, "registered_on": "2020-01-06", "region": "210103",
                            "reason": "被解除劳动合同" });
        admin
            .post("/unemployments", again)
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");
        let u = admin
            .get(&format!("/unemployments/{reg}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (u["reason"].as_str(), u["ended_on"].as_str()),
            (Some("resigned"), Some("2020-03-01"))
        );
        let job = json!({ "id_no": id_no, "kind": "灵活就业", "start_date": "2020-04-01",
                          "area": "城镇", "region": "210103" });
        admin.create("/employments", job.clone()).await;
        admin
            .post("/employments", job)
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");
        assert_eq!(admin.list("/employments").await.0, 1);
    })
    .await;
}

#[tokio::test]
async fn probing_another_regions_person_is_audited() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let dl = admin
            .create(
                "/persons",
                person("远方", &id_no("210202", 7), "210202", ""),
            )
            .await;
        let o = ctx.officers().await;
        o.shenyang
            .post(
                &format!("/persons/{dl}/reveal"),
                json!({ "field": "id_no" }),
            )
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        let records = admin.audit("action=person.reveal&username=shenyang").await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["outcome"], "failed");
        assert_eq!(records[0]["target"], format!("person:{dl}"));
        // A refused full-number export is recorded as denied.
        o.heping
            .get("/persons/export?reveal=true")
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        let records = admin.audit("action=person.export&username=heping").await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["outcome"], "denied");
    })
    .await;
}

#[tokio::test]
async fn a_job_ending_unemployment_names_it_in_the_audit_record() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let id = id_no("210202", 8);
        admin.create("/persons", person("求职者", &id, "210202", "")).await;
        // Registered unemployed in 大连; then a job in 沈阳, registered by 沈阳.
        let unemployed = admin
            .create(
                "/unemployments",
                json!({ "id_no": id, "registered_on": "2020-02-03", "region": "210202", "reason": "辞职" }),
            )
            .await;
        let job = o
            .shenyang
            .create(
                "/employments",
                json!({ "id_no": id, "kind": "灵活就业", "start_date": "2020-04-01",
                        "area": "城镇", "region": "210102" }),
            )
            .await;
        let ended = admin.get(&format!("/unemployments/{unemployed}")).await.expect(StatusCode::OK);
        assert_eq!(ended["ended_on"], "2020-04-01", "{ended}");
        let records = admin.audit("action=employment.create&username=shenyang").await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["target"], format!("employment:{job}"));
        let detail = records[0]["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("unemployment:{unemployed}")), "{detail}");
    })
    .await;
}

#[tokio::test]
async fn the_import_report_lists_rejected_rows_and_keeps_them_encrypted() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let good = id_no("210102", 51);
        let mut bad = id_no("210102", 52);
        let last = bad.pop().unwrap();
        bad.push(if last == '1' { '2' } else { '1' });
        let csv = format!(
            "姓名,身份证号,户口性质,居住地区划代码\n甲,{good},城镇,210102\n乙,{bad},城镇,210102\n"
        );
        admin
            .upload("/imports/person?wait=true", "p.csv", csv.as_bytes())
            .await
            .expect(StatusCode::OK);
        let job = admin.last_import_job("person").await;
        let report = admin
            .get(&format!("/jobs/{job}/report"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (
                report["accepted"].as_i64(),
                report["rejected_count"].as_i64()
            ),
            (Some(1), Some(1))
        );
        let row = &report["rejected"][0];
        assert_eq!(row["row"], 3);
        assert_eq!(row["errors"][0]["column"], "身份证号");
        assert!(
            row["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("校验位"),
            "{row}"
        );
        let limited = admin
            .get(&format!("/jobs/{job}/report?limit=0"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(limited["rejected"].as_array().map(Vec::len).unwrap_or(0), 0);

        // The rejected cells (a full ID number among them) are not readable in the table.
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&ctx.url).await.unwrap();
        let stored: String = sqlx::query("SELECT rejected FROM job WHERE id = $1")
            .bind(job)
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get("rejected");
        conn.close().await.ok();
        assert!(
            !stored.contains(&bad),
            "rejected rows stored in clear: {stored}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_console_is_served_compressed_with_cache_rules() {
    for_each_backend(|ctx| async move {
        let dir = tempfile::tempdir().unwrap();
        let page = format!(
            "<!doctype html><meta charset=\"utf-8\"><title>稳就业</title>{}",
            " ".repeat(2000)
        );
        std::fs::write(dir.path().join("index.html"), &page).unwrap();
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(
            dir.path().join("assets/app-1a2b.js"),
            "console.log(1);".repeat(200),
        )
        .unwrap();
        let config = wenjiu_server::ServerConfig {
            web_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        };
        let app = wenjiu_server::app(
            wenjiu_server::AppState::new(ctx.store.clone(), config).expect("no catalogue"),
        );
        let get = |path: &'static str| {
            let app = app.clone();
            async move {
                let req = Request::get(path)
                    .header(ACCEPT_ENCODING, "gzip")
                    .body(Body::empty())
                    .unwrap();
                app.oneshot(req).await.unwrap()
            }
        };
        let asset = get("/assets/app-1a2b.js").await;
        assert_eq!(asset.status(), StatusCode::OK);
        assert_eq!(asset.headers()[CONTENT_ENCODING], "gzip");
        assert!(
            asset.headers()[CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        // A console route is the page itself, revalidated on every visit.
        let route = get("/registry/persons/12").await;
        assert_eq!(route.status(), StatusCode::OK);
        assert_eq!(route.headers()[CACHE_CONTROL], "no-cache");
        // The API is never the page.
        let api = get("/api/v1/no-such-route").await;
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
    })
    .await;
}
