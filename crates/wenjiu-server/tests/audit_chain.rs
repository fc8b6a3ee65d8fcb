//! The audit log is hash-chained: verification passes on an untouched log and names the
//! first record that was changed, or follows a deleted one.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;

/// Logins, registrations, a reveal and a denied reveal: a few kinds of records.
async fn some_activity(ctx: &Ctx) -> Client {
    let admin = ctx.admin().await;
    let reg = seed_registry(ctx, &admin).await;
    let o = ctx.officers().await;
    let path = format!("/persons/{}/reveal", reg.heping1.id);
    let field = serde_json::json!({ "field": "id_no" });
    o.shenyang
        .post(&path, field.clone())
        .await
        .expect(StatusCode::OK);
    o.heping
        .post(&path, field)
        .await
        .expect(StatusCode::FORBIDDEN);
    admin
}

/// The id of the first broken record, as the store sees it.
async fn first_broken(ctx: &Ctx) -> Option<i64> {
    let v = ctx.store.audit_verify().await.expect("verification runs");
    v.first_broken.map(|b| b.id)
}

/// The verification as the API reports it.
async fn api_verification(admin: &Client) -> Value {
    admin.get("/audit/verify").await.expect(StatusCode::OK)
}

#[tokio::test]
async fn untouched_chain_verifies() {
    for_each_backend(|ctx| async move {
        let admin = some_activity(&ctx).await;
        let total = admin.list("/audit").await.0;
        assert!(total >= 10, "activity was audited: {total} records");

        let v = ctx.store.audit_verify().await.unwrap();
        assert!(v.first_broken.is_none(), "{v:?}");
        assert_eq!(v.records, total);
        assert_eq!(v.head.len(), 64, "SM3 hex head: {}", v.head);

        let v = api_verification(&admin).await;
        assert_eq!(v["first_broken"], Value::Null, "{v}");
        assert_eq!(v["records"], total);

        // Appending after a verification keeps the chain whole.
        ctx.login("shenyang").await;
        let v = ctx.store.audit_verify().await.unwrap();
        assert!(v.first_broken.is_none(), "{v:?}");
        assert_eq!(v.records, total + 1);
    })
    .await;
}

#[tokio::test]
async fn a_changed_record_is_named() {
    for_each_backend(|ctx| async move {
        let admin = some_activity(&ctx).await;
        let changed = ctx
            .raw_sql("UPDATE audit SET detail = 'x' WHERE id = 2")
            .await;
        assert_eq!(changed, 1);

        let v = ctx.store.audit_verify().await.unwrap();
        let broken = v.first_broken.expect("tampering detected");
        assert_eq!(broken.id, 2, "{}", broken.reason);

        let v = api_verification(&admin).await;
        assert_eq!(v["first_broken"]["id"], 2, "{v}");
        assert!(!v["first_broken"]["reason"].as_str().unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn changed_user_or_time_is_detected() {
    for_each_backend(|ctx| async move {
        some_activity(&ctx).await;
        ctx.raw_sql("UPDATE audit SET username = 'nobody' WHERE id = 3")
            .await;
        assert_eq!(first_broken(&ctx).await, Some(3));
        ctx.raw_sql("UPDATE audit SET at = '2000-01-01T00:00:00.000Z' WHERE id = 1")
            .await;
        assert_eq!(first_broken(&ctx).await, Some(1));
    })
    .await;
}

#[tokio::test]
async fn a_deleted_record_is_detected() {
    for_each_backend(|ctx| async move {
        let admin = some_activity(&ctx).await;
        assert_eq!(ctx.raw_sql("DELETE FROM audit WHERE id = 3").await, 1);

        let v = ctx.store.audit_verify().await.unwrap();
        let broken = v.first_broken.expect("deletion detected");
        assert_eq!(
            broken.id, 4,
            "the record after the gap is named: {}",
            broken.reason
        );
        assert!(
            broken.reason.contains('3'),
            "the reason names the missing record: {}",
            broken.reason
        );

        let v = api_verification(&admin).await;
        assert_eq!(v["first_broken"]["id"], 4, "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_deleted_record_with_renumbered_successor_is_detected() {
    for_each_backend(|ctx| async move {
        some_activity(&ctx).await;
        // Hide the gap: delete 3 and move 4 into its place. The chain still breaks at 3.
        ctx.raw_sql("DELETE FROM audit WHERE id = 3").await;
        ctx.raw_sql("UPDATE audit SET id = 3 WHERE id = 4").await;
        assert_eq!(first_broken(&ctx).await, Some(3));
    })
    .await;
}

/// A date in the audit list's filter is a day in Beijing (UTC+8): a record at 04:00 on
/// 1 June Beijing time (20:00 on 31 May UTC) is on 1 June.
#[tokio::test]
async fn audit_dates_are_beijing_days() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        ctx.raw_sql(
            "UPDATE audit SET at = '2020-05-31T20:00:00.000Z' \
             WHERE id = (SELECT MIN(id) FROM audit)",
        )
        .await;
        let on = |from: &str, to: &str| {
            let admin = admin.clone();
            let query = format!("from={from}&to={to}");
            async move { admin.audit(&query).await.len() }
        };
        assert_eq!(on("2020-06-01", "2020-06-02").await, 1);
        assert_eq!(on("2020-05-31", "2020-06-01").await, 0);
        // An instant with an offset means that instant.
        assert_eq!(
            on("2020-06-01T03:59:59%2B08:00", "2020-06-01T04:00:01%2B08:00").await,
            1
        );
        admin
            .get("/audit?from=yesterday")
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    })
    .await;
}
