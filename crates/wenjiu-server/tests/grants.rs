//! Grants (补贴发放确认) through the real router on SQLite and PostgreSQL: confirming a run's
//! results, the bar a standing grant puts on later runs and on a second confirmation (once
//! per subject, exclusion groups, the same date for a policy paid per period), revoking with
//! a reason, the ledger within each scope and its export, permissions and audit.

mod common;

use axum::http::StatusCode;
use common::screening::*;
use common::*;
use serde_json::{Value, json};

async fn confirm(c: &Client, run: i64, body: Value) -> Value {
    c.post(&format!("/policy/screenings/{run}/grants"), body)
        .await
        .expect(StatusCode::OK)
}

/// The result ids of a run, by (policy, person name).
async fn result_id(c: &Client, run: i64, policy: &str, name: &str) -> i64 {
    let (_, rows) = c.list(&format!("/policy/screenings/{run}/results")).await;
    rows.iter()
        .find(|r| r["policy_id"] == policy && r["person_name"] == name)
        .unwrap_or_else(|| panic!("{policy} {name} not in run {run}: {rows:?}"))["id"]
        .as_i64()
        .unwrap()
}

fn run_id(run: &Value) -> i64 {
    run["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_standing_grant_bars_its_subject_until_revoked() {
    for_each_backend(|mut ctx| async move {
        ctx = ctx.with_as_of(date(2020, 6, 30));
        let _catalogue = use_test_catalogue(&mut ctx);
        let admin = ctx.admin().await;
        register_test_subjects(&admin).await;
        let o = ctx.officers().await;

        // Runs at the same date, before anything is confirmed: two list h-once twice, one
        // lists g-dibao alone (so 两者 too, whom the whole catalogue gives g-graduate).
        let first = run_id(&screen(&admin, json!({ "date": DATE })).await);
        let second = run_id(&screen(&admin, json!({ "date": DATE })).await);
        let dibao_only = screen(&admin, json!({ "date": DATE, "policy": "g-dibao" })).await;

        // The county officer confirms every h-once result of the first run.
        let done = confirm(&o.heping, first, json!({ "policy": "h-once" })).await;
        assert_eq!(
            (&done["granted"], &done["amount_fen"], &done["refused"]),
            (&json!(2), &json!(200000), &json!(0)),
            "{done}"
        );
        let (n, rows) = o
            .heping
            .list(&format!(
                "/policy/screenings/{first}/results?status=granted"
            ))
            .await;
        assert_eq!(n, 2);
        assert!(rows.iter().all(|r| r["grant_id"].is_i64()), "{rows:?}");
        let (pending, _) = o
            .heping
            .list(&format!(
                "/policy/screenings/{first}/results?status=pending"
            ))
            .await;
        let (all, _) = o
            .heping
            .list(&format!("/policy/screenings/{first}/results"))
            .await;
        assert_eq!(pending + 2, all);
        // Confirming the same results again refuses them.
        let again = confirm(
            &o.heping,
            first,
            json!({ "result_ids": [result_id(&admin, first, "h-once", "低保").await] }),
        )
        .await;
        assert_eq!(
            (&again["granted"], &again["refused"]),
            (&json!(0), &json!(1))
        );
        assert_eq!(again["refusals"][0]["reason"], "已确认发放");

        // The second run was screened before: its h-once results are refused, once per
        // subject, whichever run lists them.
        let twice = confirm(&admin, second, json!({ "policy": "h-once" })).await;
        assert_eq!(
            (&twice["granted"], &twice["refused"]),
            (&json!(0), &json!(2))
        );
        assert!(
            twice["refusals"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("限享受一次"),
            "{twice}"
        );

        // A later run leaves the granted subjects out and says how many.
        let third = screen(&admin, json!({ "date": DATE })).await;
        assert_eq!(third["totals"]["already_granted"], 2, "{third}");
        let listed = found(&admin, run_id(&third)).await;
        assert!(
            !listed.iter().any(|(policy, _)| policy == "h-once"),
            "{listed:?}"
        );
        assert!(listed.contains(&("h-each".to_string(), "低保".to_string())));

        // An exclusion group: 两者 granted g-graduate (paid per period) is not listed for
        // g-dibao at the same date, but is at another date.
        let graduate_of_both = result_id(&admin, first, "g-graduate", "两者").await;
        let done = confirm(&admin, first, json!({ "result_ids": [graduate_of_both] })).await;
        assert_eq!(done["granted"], 1, "{done}");
        let same_day = screen(&admin, json!({ "date": DATE, "policy": "g-dibao" })).await;
        assert_eq!(
            found(&admin, run_id(&same_day)).await,
            set(&[("g-dibao", "低保")])
        );
        assert_eq!(same_day["totals"]["already_granted"], 1);
        let other_day = screen(&admin, json!({ "date": "2020-06-15", "policy": "g-dibao" })).await;
        assert_eq!(
            found(&admin, run_id(&other_day)).await,
            set(&[("g-dibao", "两者"), ("g-dibao", "低保")])
        );
        // …and a result of the group's other policy from a run before the grant is refused.
        let dibao_only = run_id(&dibao_only);
        let dibao_of_both = result_id(&admin, dibao_only, "g-dibao", "两者").await;
        let refused = confirm(&admin, dibao_only, json!({ "result_ids": [dibao_of_both] })).await;
        assert!(
            refused["refusals"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("不能同时享受"),
            "{refused}"
        );

        // The ledger: each officer sees its region's grants only.
        let (n, grants) = o.heping.list("/policy/grants").await;
        assert_eq!(n, 3);
        assert_eq!(grants[0]["policy_id"], "g-graduate", "newest first");
        assert_eq!(grants[0]["granted_by"], "admin");
        assert!(grants[0]["id_no_masked"].as_str().unwrap().contains('*'));
        assert_eq!(o.dalian.list("/policy/grants").await.0, 0);
        assert_eq!(o.shenyang.list("/policy/grants?policy=h-once").await.0, 2);

        // By fund (资金监管): the same grants summed per policy, within the caller's scope.
        let funds = o
            .heping
            .get("/policy/grants/by-fund")
            .await
            .expect(StatusCode::OK);
        let funds = funds.as_array().unwrap();
        assert_eq!(funds.len(), 1, "{funds:?}");
        assert_eq!(funds[0]["fund"], "测试");
        let sum = |policy: Option<&str>| {
            (grants.iter())
                .filter(|g| policy.is_none_or(|p| g["policy_id"] == p))
                .map(|g| g["amount_fen"].as_i64().unwrap())
                .sum::<i64>()
        };
        assert_eq!(
            (funds[0]["grants"].as_i64(), funds[0]["amount_fen"].as_i64()),
            (Some(3), Some(sum(None)))
        );
        for p in funds[0]["policies"].as_array().unwrap() {
            let id = p["policy_id"].as_str().unwrap();
            assert_eq!(p["amount_fen"].as_i64(), Some(sum(Some(id))), "{p}");
            assert_eq!(p["name"], format!("测试{id}"));
        }
        let dalian = o
            .dalian
            .get("/policy/grants/by-fund")
            .await
            .expect(StatusCode::OK);
        assert_eq!(dalian, json!([]));

        // Revoking: a reason is required; another city's officer cannot; twice is a conflict.
        let h_once = grants
            .iter()
            .find(|g| g["policy_id"] == "h-once" && g["person_name"] == "低保");
        let grant = h_once.unwrap()["id"].as_i64().unwrap();
        let revoke = |reason: &str| json!({ "reason": reason });
        let path = format!("/policy/grants/{grant}/revoke");
        o.heping
            .post(&path, revoke("  "))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        o.dalian
            .post(&path, revoke("误操作"))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        let revoked = o
            .heping
            .post(&path, revoke("重复发放，已追回"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(revoked["revoked_by"], "heping");
        assert_eq!(revoked["revoke_reason"], "重复发放，已追回");
        o.heping
            .post(&path, revoke("再次撤销"))
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");
        assert_eq!(o.heping.list("/policy/grants?status=revoked").await.0, 1);
        assert_eq!(o.heping.list("/policy/grants?status=standing").await.0, 2);
        let standing = o
            .heping
            .get("/policy/grants/by-fund?status=standing")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            standing[0]["grants"], 2,
            "a revoked grant no longer counts: {standing}"
        );

        // Revoked, the subject may be confirmed again, from the run that listed it.
        let relisted = result_id(&admin, second, "h-once", "低保").await;
        let done = confirm(&admin, second, json!({ "result_ids": [relisted, 999999] })).await;
        assert_eq!(
            (&done["granted"], &done["refused"]),
            (&json!(1), &json!(1)),
            "{done}"
        );
        assert_eq!(done["refusals"][0]["result_id"], 999999);

        // The export: masked, with each grant's status.
        let resp = o.shenyang.get("/policy/grants/export").await;
        assert_eq!(resp.status, StatusCode::OK);
        let (headers, rows) = read_table("grants.xlsx", &resp.body);
        assert_eq!(rows.len(), 4);
        let status = column(&headers, &rows, "状态");
        assert_eq!(status.iter().filter(|s| *s == "已撤销").count(), 1);
        assert!(
            column(&headers, &rows, "身份证号")
                .iter()
                .all(|id| id.contains('*'))
        );

        // Without the permission, nothing is confirmed; every act is audited.
        ctx.user("reader", "auditor", Some("21"), None).await;
        ctx.login("reader")
            .await
            .post(&format!("/policy/screenings/{first}/grants"), json!({}))
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        let records = admin.audit("action=policy.grant").await;
        assert!(
            records.iter().any(|r| r["outcome"] == "denied"),
            "{records:?}"
        );
        assert!(
            records
                .iter()
                .any(|r| r["detail"].as_str().unwrap().contains("确认 2 人次")),
            "{records:?}"
        );
        assert_eq!(admin.audit("action=policy.grant.revoke").await.len(), 1);
        assert_eq!(admin.audit("action=policy.grant.export").await.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn only_a_finished_run_is_confirmed() {
    for_each_backend(|mut ctx| async move {
        ctx = ctx.with_as_of(date(2020, 6, 30));
        let _catalogue = use_test_catalogue(&mut ctx);
        let admin = ctx.admin().await;
        register_test_subjects(&admin).await;
        let run = run_id(&screen(&admin, json!({ "date": DATE })).await);
        ctx.raw_sql(&format!(
            "UPDATE screening_run SET status = 'running' WHERE id = {run}"
        ))
        .await;
        admin
            .post(&format!("/policy/screenings/{run}/grants"), json!({}))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        admin
            .post("/policy/screenings/424242/grants", json!({}))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
    })
    .await;
}
