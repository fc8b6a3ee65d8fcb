//! 政策模拟 through the real router on SQLite and PostgreSQL: the registry screened on the
//! parameters in force and with an assumed value, the difference per policy and city, without
//! the subjects already granted; the assumption checked as an entered value is, never stored,
//! and the request audited.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn an_assumed_parameter_value_changes_the_screening_per_city() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 6, 30));
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        subsidised_hire(&admin).await;
        let months = |region: &str, value: i64| {
            json!({ "date": "2020-06-30", "changes": [
                { "name": "hiring_si_months", "region": region, "from": "2020-01-01", "value": value }
            ] })
        };

        // 沈阳 pays 4 months in force; assuming 6 there, the hire's subsidy goes from 4,000
        // to 6,000 元.
        let r = o
            .shenyang
            .post("/policy/screenings/what-if", months("2101", 6))
            .await
            .expect(StatusCode::OK);
        let rows = r["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{r}");
        let row = &rows[0];
        assert_eq!(row["policy_id"], "hiring-si");
        assert_eq!(row["city"], "2101");
        assert_eq!(row["city_name"], "沈阳市");
        assert_eq!(
            (row["beneficiaries_before"].as_i64(), row["amount_fen_before"].as_i64()),
            (Some(1), Some(400000))
        );
        assert_eq!(
            (row["beneficiaries_after"].as_i64(), row["amount_fen_after"].as_i64()),
            (Some(1), Some(600000))
        );
        assert!(r["subjects"].as_i64().unwrap() >= 3, "{r}");

        // An assumption for 大连 changes nothing in 沈阳; 大连 sees none of 沈阳's registry.
        let none = o
            .shenyang
            .post("/policy/screenings/what-if", months("2102", 5))
            .await
            .expect(StatusCode::OK);
        assert!(none["rows"].as_array().unwrap().is_empty(), "{none}");
        let dalian = o
            .dalian
            .post("/policy/screenings/what-if", months("2101", 6))
            .await
            .expect(StatusCode::OK);
        assert!(dalian["rows"].as_array().unwrap().is_empty(), "{dalian}");

        // Nothing was stored: a screening still pays the 4 months in force.
        let run = admin
            .post("/policy/screenings?wait=true", json!({ "date": "2020-06-30" }))
            .await
            .expect(StatusCode::OK);
        let (_, results) = admin
            .list(&format!("/policy/screenings/{}/results?policy=hiring-si", run["id"]))
            .await;
        assert_eq!(results[0]["amount_fen"], 400000);
        assert_eq!(r["already_granted"], 0, "{r}");

        // Once the hire's subsidy is confirmed as granted, a screening would leave the hire
        // out (once per subject), and so does the simulation: nothing left to change.
        let done = admin
            .post(
                &format!("/policy/screenings/{}/grants", run["id"]),
                json!({ "policy": "hiring-si" }),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(done["granted"], 1, "{done}");
        let granted = o
            .shenyang
            .post("/policy/screenings/what-if", months("2101", 6))
            .await
            .expect(StatusCode::OK);
        assert!(granted["rows"].as_array().unwrap().is_empty(), "{granted}");
        assert_eq!(granted["already_granted"], 1, "{granted}");

        // Bad assumptions are named; none at all is refused.
        let bad = json!({ "date": "2020-06-30", "changes": [
            { "name": "hiring_si_months", "region": "2101", "from": "2020-01-01", "value": "六" }
        ] });
        let e = o
            .shenyang
            .post("/policy/screenings/what-if", bad)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(e.to_string().contains("取值应为"), "{e}");
        let unknown = json!({ "date": "2020-06-30", "changes": [
            { "name": "no_such", "region": "2101", "from": "2020-01-01", "value": 1 }
        ] });
        o.shenyang
            .post("/policy/screenings/what-if", unknown)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        o.shenyang
            .post(
                "/policy/screenings/what-if",
                json!({ "date": "2020-06-30", "changes": [] }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let mut elsewhere = months("2102", 12);
        elsewhere["region"] = json!("2102");
        o.shenyang
            .post("/policy/screenings/what-if", elsewhere)
            .await
            .expect_error(StatusCode::FORBIDDEN, "scope.denied");

        // Audited; refused without the permission.
        let records = admin.audit("action=policy.whatif").await;
        assert!(
            records
                .iter()
                .any(|r| r["detail"].as_str().unwrap().contains("hiring_si_months@2101")),
            "{records:?}"
        );
        ctx.user("reader", "auditor", Some("21"), None).await;
        ctx.login("reader")
            .await
            .post("/policy/screenings/what-if", months("2101", 6))
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
    })
    .await;
}
