//! The OpenAPI document lists every route the router serves, and the router serves every
//! route the document lists.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

/// Every route of the API (under /api/v1), besides /openapi.json itself. Adding a route
/// means adding it here, and it must then appear in the document: an undocumented route
/// fails this test.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/health"),
    ("post", "/auth/login"),
    ("post", "/auth/logout"),
    ("get", "/auth/me"),
    ("get", "/persons"),
    ("post", "/persons"),
    ("get", "/persons/{id}"),
    ("put", "/persons/{id}"),
    ("post", "/persons/{id}/reveal"),
    ("get", "/persons/export"),
    ("get", "/households"),
    ("get", "/households/{id}"),
    ("get", "/enterprises"),
    ("post", "/enterprises"),
    ("get", "/enterprises/{id}"),
    ("put", "/enterprises/{id}"),
    ("get", "/enterprises/export"),
    ("get", "/employments"),
    ("post", "/employments"),
    ("get", "/employments/{id}"),
    ("put", "/employments/{id}"),
    ("get", "/employments/export"),
    ("get", "/unemployments"),
    ("post", "/unemployments"),
    ("get", "/unemployments/{id}"),
    ("put", "/unemployments/{id}"),
    ("get", "/unemployments/export"),
    ("post", "/imports/{kind}"),
    ("get", "/jobs/{id}"),
    ("get", "/jobs/{id}/rejected"),
    ("get", "/jobs/{id}/report"),
    ("get", "/stats/overview"),
    ("get", "/dicts"),
    ("get", "/regions"),
    ("get", "/difficulty-categories"),
    ("put", "/difficulty-categories/{code}"),
    ("get", "/users"),
    ("post", "/users"),
    ("put", "/users/{id}"),
    ("get", "/roles"),
    ("get", "/audit"),
    ("get", "/audit/verify"),
    ("get", "/indicators"),
    ("put", "/indicators/{code}"),
    ("get", "/indicators/targets"),
    ("put", "/indicators/targets"),
    ("get", "/indicators/targets/sum"),
    ("get", "/indicators/ledger"),
    ("put", "/indicators/ledger"),
    ("get", "/indicators/ledger/history"),
    ("post", "/indicators/ledger/corrections"),
    ("get", "/indicators/locks"),
    ("post", "/indicators/publish"),
    ("post", "/indicators/refresh"),
    ("post", "/indicators/imports/{sheet}"),
    ("get", "/indicators/bulletin"),
    ("get", "/indicators/bulletin/export"),
    ("get", "/monitoring/reports"),
    ("post", "/monitoring/reports"),
    ("get", "/monitoring/reports/{id}"),
    ("post", "/monitoring/reports/import"),
    ("get", "/monitoring/reports/{id}/history"),
    ("post", "/monitoring/reports/{id}/review"),
    ("get", "/monitoring/status"),
    ("post", "/monitoring/chase"),
    ("get", "/monitoring/reminders"),
    ("get", "/monitoring/deadlines/{month}"),
    ("put", "/monitoring/deadlines"),
    ("get", "/monitoring/summary"),
    ("get", "/monitoring/analysis/export"),
    ("post", "/monitoring/run"),
    ("get", "/monitoring/warnings"),
    ("get", "/monitoring/warnings/{id}"),
    ("get", "/monitoring/warnings/{id}/events"),
    ("post", "/monitoring/warnings/{id}/actions"),
    ("get", "/monitoring/filings"),
    ("post", "/monitoring/filings"),
    ("get", "/monitoring/filings/{id}"),
    ("post", "/monitoring/filings/{id}/steps"),
    ("post", "/monitoring/filings/{id}/implement"),
    ("post", "/monitoring/filings/{id}/withdraw"),
    ("post", "/monitoring/filings/{id}/job-fair"),
    ("get", "/monitoring/filings/{id}/workers"),
    ("post", "/monitoring/filings/{id}/workers"),
    ("get", "/monitoring/codes/{kind}"),
    ("put", "/monitoring/codes/{kind}"),
    ("get", "/monitoring/sample"),
    ("put", "/monitoring/sample"),
    ("get", "/monitoring/sample/coverage"),
    ("get", "/monitoring/config"),
    ("put", "/monitoring/config"),
    ("get", "/policy/policies"),
    ("get", "/policy/policies/{policy}"),
    ("get", "/policy/parameters"),
    ("post", "/policy/parameters"),
    ("post", "/policy/evaluate"),
    ("get", "/policy/eligibility/{kind}/{id}"),
    ("post", "/policy/screenings/what-if"),
    ("post", "/policy/reload"),
    ("post", "/policy/screenings"),
    ("get", "/policy/screenings"),
    ("get", "/policy/screenings/{id}"),
    ("get", "/policy/screenings/{id}/results"),
    ("get", "/policy/screenings/{id}/export"),
    ("post", "/policy/screenings/{id}/grants"),
    ("post", "/policy/grants/{id}/revoke"),
    ("get", "/policy/grants"),
    ("get", "/policy/grants/by-fund"),
    ("get", "/policy/grants/export"),
    ("get", "/policy/facts/fields"),
    ("get", "/policy/fields"),
    ("get", "/policy/facts"),
    ("post", "/policy/facts"),
    ("post", "/policy/facts/import"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// (method, path) of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    let mut ops = BTreeSet::new();
    for (path, item) in paths {
        for m in METHODS {
            if item.get(m).is_some() {
                ops.insert((m.to_string(), path.clone()));
            }
        }
    }
    ops
}

#[tokio::test]
async fn the_document_lists_exactly_the_served_routes() {
    for_each_backend(|ctx| async move {
        let doc = ctx
            .anonymous()
            .get("/openapi.json")
            .await
            .expect(StatusCode::OK);
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "{}",
            doc["openapi"]
        );
        assert_eq!(doc["servers"][0]["url"], "/api/v1");

        let listed: BTreeSet<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        let documented = documented(&doc);
        let undocumented: Vec<_> = listed.difference(&documented).collect();
        let unlisted: Vec<_> = documented.difference(&listed).collect();
        assert!(
            undocumented.is_empty(),
            "served but not in the OpenAPI document: {undocumented:?}"
        );
        assert!(
            unlisted.is_empty(),
            "documented routes missing from ROUTES in this test (add them): {unlisted:?}"
        );
        // The console's typed client keys operations by operationId (the handler's name).
        let mut ids: Vec<&str> = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|op| op["operationId"].as_str())
            .collect();
        ids.sort();
        let shared: Vec<_> = ids
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        assert!(
            shared.is_empty(),
            "operationIds used by more than one route: {shared:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn every_documented_route_is_served() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        // A household and a job, so that every path parameter names a real record.
        let mut hh_person = person("户主", &id_no("210102", 300), "210102", "13800000300");
        hh_person["household_no"] = json!("HH-PROBE");
        admin.create("/persons", hh_person).await;
        let household = admin.list("/households").await.1[0]["id"].as_i64().unwrap();
        let csv = "姓名,身份证号,户口性质,居住地区划代码\n张三,bad,城镇,210102\n";
        let r = admin
            .upload("/imports/person?wait=true", "p.csv", csv.as_bytes())
            .await;
        r.expect(StatusCode::OK);
        let job = admin.last_import_job("person").await;
        let admin_id = ctx.store.user_by_name("admin").await.unwrap().unwrap().id;
        // A monitoring report with a 300-person loss (a warning) and a layoff filing.
        let ent = reg.ent_heping.0;
        admin
            .put(
                "/monitoring/sample",
                json!({ "enterprise_id": ent, "enrolled_on": "2020-01-01", "baseline": 1000 }),
            )
            .await
            .expect(StatusCode::NO_CONTENT);
        let report = admin
            .post(
                "/monitoring/reports",
                json!({ "enterprise_id": ent, "month": "2020-05", "headcount": 700, "new_hires": 0,
                        "decrease": 300, "decrease_type": "03", "reasons": [{ "code": "04" }] }),
            )
            .await
            .expect(StatusCode::OK)["id"]
            .as_i64()
            .unwrap();
        let run = admin
            .post(
                "/policy/screenings?wait=true",
                json!({ "date": "2020-06-30" }),
            )
            .await
            .expect(StatusCode::OK)["id"]
            .as_i64()
            .unwrap();
        let warning = admin.list("/monitoring/warnings").await.1[0]["id"]
            .as_i64()
            .unwrap();
        // A plan is filed before its date, and this test runs on the real clock.
        let filing = admin
            .create(
                "/monitoring/filings",
                json!({ "enterprise_id": ent, "planned": 60, "staff": 1000,
                        "grounds": "serious_difficulty", "planned_on": "2099-07-01" }),
            )
            .await;

        let doc = ctx
            .anonymous()
            .get("/openapi.json")
            .await
            .expect(StatusCode::OK);
        let mut ops: Vec<(String, String)> = documented(&doc).into_iter().collect();
        // Logging out would end the probing session: last.
        ops.sort_by_key(|(_, p)| p == "/auth/logout");
        for (method, path) in ops {
            let id = match path.split('/').nth(1).unwrap() {
                "persons" => reg.heping1.id,
                "households" => household,
                "enterprises" => reg.ent_heping.0,
                "employments" => reg.emp_heping,
                "unemployments" => reg.unemp_heping,
                "jobs" => job,
                "users" => admin_id,
                "monitoring" => match path.split('/').nth(2).unwrap() {
                    "reports" => report,
                    "warnings" => warning,
                    _ => filing,
                },
                "policy" => run,
                _ => 1,
            };
            let uri = path
                .replace("{id}", &id.to_string())
                .replace("{kind}", "person")
                .replace("{code}", "older")
                .replace("{month}", "2020-05")
                .replace("{policy}", "hiring-si");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // Bodies are deliberately empty objects: the point is that the route answers.
            let r = match m {
                Method::GET => admin.get(&uri).await,
                _ => {
                    admin
                        .send(m, &uri, Some("application/json"), b"{}".to_vec())
                        .await
                }
            };
            assert!(
                r.status != StatusCode::NOT_FOUND && r.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri} (documented as {path}) answered {}: {}",
                r.status,
                r.text()
            );
            assert!(
                !r.status.is_server_error(),
                "{method} {uri}: {} {}",
                r.status,
                r.text()
            );
        }
    })
    .await;
}
