//! Sessions, permissions, lockout, and the shape of every error response.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use tower::ServiceExt;

#[tokio::test]
async fn protected_routes_need_a_session() {
    for_each_backend(|ctx| async move {
        ctx.admin().await;
        let anon = ctx.anonymous();
        for path in [
            "/persons",
            "/auth/me",
            "/audit",
            "/users",
            "/enterprises/1",
            "/jobs/1",
        ] {
            anon.get(path)
                .await
                .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
        }
        let r = anon
            .post(
                "/persons",
                person("张三", &id_no("210102", 1), "210102", "13800000001"),
            )
            .await;
        r.expect_error(StatusCode::UNAUTHORIZED, "auth.required");

        // A forged cookie is no session.
        let forged = anon.with_cookie("wenjiu_session=0123456789abcdef");
        forged
            .get("/persons")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");

        // Public routes answer without one.
        anon.get("/health").await.expect(StatusCode::OK);
        anon.get("/dicts").await.expect(StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let me = admin.get("/auth/me").await.expect(StatusCode::OK);
        assert_eq!(me["username"], "admin");
        assert_eq!(me["scope_code"], "21");
        admin
            .send(Method::POST, "/auth/logout", None, Vec::new())
            .await
            .expect(StatusCode::NO_CONTENT);
        admin
            .get("/auth/me")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
    })
    .await;
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        admin.get("/auth/me").await.expect(StatusCode::OK);
        // Idle for 31 minutes (the default limit is 30).
        let ago = |minutes: i64| {
            (chrono::Utc::now() - chrono::Duration::minutes(minutes))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        };
        ctx.raw_sql(&format!("UPDATE session SET last_seen_at = '{}'", ago(31)))
            .await;
        admin
            .get("/auth/me")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
        // Active a moment ago, but signed in 13 hours ago.
        let admin = ctx.login("admin").await;
        ctx.raw_sql(&format!(
            "UPDATE session SET created_at = '{}', last_seen_at = '{}'",
            ago(13 * 60),
            ago(1)
        ))
        .await;
        admin
            .get("/auth/me")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
    })
    .await;
}

#[tokio::test]
async fn missing_permission_is_forbidden() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        for path in ["/users", "/roles", "/audit", "/audit/verify"] {
            o.heping
                .get(path)
                .await
                .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
            admin.get(path).await.expect(StatusCode::OK);
        }
        let r = o
            .heping
            .post(
                "/users",
                json!({ "username": "x", "display_name": "x", "password": PASSWORD,
                        "role_code": "province_admin", "scope_region": "21" }),
            )
            .await;
        r.expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        assert!(ctx.store.user_by_name("x").await.unwrap().is_none());

        // An administrator below the province cannot create a user above their own scope.
        ctx.user("shenyang_admin", "province_admin", Some("2101"), None)
            .await;
        let city_admin = ctx.login("shenyang_admin").await;
        let r = city_admin
            .post(
                "/users",
                json!({ "username": "y", "display_name": "y", "password": PASSWORD,
                        "role_code": "city_officer", "scope_region": "2102" }),
            )
            .await;
        r.expect_error(StatusCode::FORBIDDEN, "scope.denied");
    })
    .await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_until_an_admin_unlocks_it() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let victim = ctx
            .user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let mut c = ctx.anonymous();

        // The fifth failure locks the account but answers like the others: a guesser
        // cannot tell a locked account from a wrong password or an unknown name.
        for attempt in 1..=6 {
            let r = c.login("shenyang", "Wrong-passw0rd").await;
            r.expect_error(StatusCode::UNAUTHORIZED, "auth.bad_credentials");
            assert!(
                !r.headers.contains_key("set-cookie"),
                "attempt {attempt} set a cookie"
            );
        }
        // Only the right password learns of the lock, and is refused.
        let r = c.login("shenyang", PASSWORD).await;
        r.expect_error(StatusCode::LOCKED, "auth.locked");
        assert!(!r.headers.contains_key("set-cookie"));

        // Each attempt is in the audit log, with its true reason.
        let records = admin.audit("action=auth.login&username=shenyang").await;
        let outcomes: Vec<(&str, &str)> = records
            .iter()
            .rev()
            .map(|r| {
                (
                    r["outcome"].as_str().unwrap(),
                    r["detail"].as_str().unwrap(),
                )
            })
            .collect();
        let failed = ("failed", "密码错误");
        assert_eq!(
            outcomes,
            [
                failed,
                failed,
                failed,
                failed,
                ("failed", "密码错误，连续失败次数已达上限，账户已锁定"),
                ("denied", "账户已锁定（密码错误）"),
                ("denied", "账户已锁定"),
            ]
        );
        assert!(
            records.iter().all(|r| r["user_id"] == victim),
            "{records:?}"
        );

        // The administrator unlocks; the right password works again.
        admin
            .put(&format!("/users/{victim}"), json!({ "locked": false }))
            .await
            .expect(StatusCode::NO_CONTENT);
        let r = c.login("shenyang", PASSWORD).await;
        r.expect(StatusCode::OK);
        c.get("/persons").await.expect(StatusCode::OK);
        let unlock = admin.audit("action=user.unlock").await;
        assert_eq!(unlock.len(), 1);
        assert_eq!(unlock[0]["target"], format!("user:{victim}"));
    })
    .await;
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    for_each_backend(|ctx| async move {
        ctx.user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let mut c = ctx.anonymous();
        for _ in 0..4 {
            c.login("shenyang", "Wrong-passw0rd")
                .await
                .expect(StatusCode::UNAUTHORIZED);
        }
        c.login("shenyang", PASSWORD).await.expect(StatusCode::OK);
        for _ in 0..4 {
            c.login("shenyang", "Wrong-passw0rd")
                .await
                .expect(StatusCode::UNAUTHORIZED);
        }
        c.login("shenyang", PASSWORD).await.expect(StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn unknown_users_fail_like_wrong_passwords() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let mut c = ctx.anonymous();
        let unknown = c
            .login("nobody", PASSWORD)
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.bad_credentials");
        ctx.user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let wrong = c
            .login("shenyang", "Wrong-passw0rd")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.bad_credentials");
        assert_eq!(unknown, wrong);
        let records = admin.audit("action=auth.login&username=nobody").await;
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["outcome"], "failed");
    })
    .await;
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let id = ctx
            .user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let officer = ctx.login("shenyang").await;
        admin
            .put(&format!("/users/{id}"), json!({ "locked": true }))
            .await
            .expect(StatusCode::NO_CONTENT);
        officer
            .get("/persons")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
        let mut c = ctx.anonymous();
        // A wrong password does not learn that the account is disabled; the right one does.
        let disabled = c
            .login("shenyang", "Wrong-passw0rd")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.bad_credentials");
        let unknown = c
            .login("nobody", "Wrong-passw0rd")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.bad_credentials");
        assert_eq!(disabled, unknown);
        c.login("shenyang", PASSWORD)
            .await
            .expect_error(StatusCode::LOCKED, "auth.locked");
        let details: Vec<Value> = admin
            .audit("action=auth.login&username=shenyang")
            .await
            .iter()
            .map(|r| r["detail"].clone())
            .collect();
        assert_eq!(
            details[..2],
            [json!("账户已停用"), json!("账户已停用（密码错误）")]
        );
        admin
            .put(&format!("/users/{id}"), json!({ "locked": false }))
            .await
            .expect(StatusCode::NO_CONTENT);
        c.login("shenyang", PASSWORD).await.expect(StatusCode::OK);
    })
    .await;
}

/// Whatever goes wrong, the client gets `{code, message}` as JSON.
#[tokio::test]
async fn every_error_is_json_with_code_and_message() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let anon = ctx.anonymous();

        // Validation, with the failing fields.
        let body = admin
            .post("/persons", json!({ "name": "张三" }))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let columns: Vec<&str> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["column"].as_str().unwrap())
            .collect();
        assert!(
            columns.contains(&"id_no") && columns.contains(&"region"),
            "{body}"
        );

        // Conflict.
        let p = person("张三", &id_no("210102", 1), "210102", "13800000001");
        admin.create("/persons", p.clone()).await;
        admin
            .post("/persons", p)
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");

        // Requests the handlers never see: malformed JSON, wrong content type, a path
        // parameter of the wrong type, an unknown route, a method the route lacks.
        let r = anon
            .send(
                Method::POST,
                "/auth/login",
                Some("application/json"),
                b"{not json".to_vec(),
            )
            .await;
        assert_json_error(&r, StatusCode::BAD_REQUEST);
        let r = anon
            .send(
                Method::POST,
                "/auth/login",
                Some("application/json"),
                br#"{"username":"admin"}"#.to_vec(),
            )
            .await;
        assert_json_error(&r, StatusCode::UNPROCESSABLE_ENTITY);
        let r = anon
            .send(
                Method::POST,
                "/auth/login",
                Some("text/plain"),
                b"admin".to_vec(),
            )
            .await;
        assert_json_error(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_json_error(&admin.get("/persons/abc").await, StatusCode::BAD_REQUEST);
        assert_json_error(
            &admin.get("/persons?page=abc").await,
            StatusCode::BAD_REQUEST,
        );
        admin
            .get("/no/such/route")
            .await
            .expect_error(StatusCode::NOT_FOUND, "route.not_found");
        let other = ctx
            .app
            .clone()
            .oneshot(
                axum::http::Request::get("/api/v2/persons")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let body = axum::body::to_bytes(other.into_body(), usize::MAX)
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], "route.not_found", "{body}");
        assert_eq!(body["message"], "接口不存在");
        assert_json_error(
            &admin
                .send(Method::DELETE, "/persons", None, Vec::new())
                .await,
            StatusCode::METHOD_NOT_ALLOWED,
        );
    })
    .await;
}

fn assert_json_error(r: &Resp, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.text());
    let ct = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        ct.starts_with("application/json"),
        "{status} answered as {ct:?}: {}",
        r.text()
    );
    let body = r.json();
    assert!(
        body["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn administrators_manage_only_users_within_their_scope() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let admin_id = ctx.store.user_by_name("admin").await.unwrap().unwrap().id;
        let shenyang = ctx
            .user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let dalian = ctx.user("dalian", "city_officer", Some("2102"), None).await;
        ctx.user("shenyang_admin", "province_admin", Some("2101"), None)
            .await;
        let city_admin = ctx.login("shenyang_admin").await;

        // The list holds only users within the administrator's scope.
        let (_, listed) = city_admin.list("/users").await;
        let mut names: Vec<&str> = listed
            .iter()
            .filter_map(|u| u["username"].as_str())
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["shenyang", "shenyang_admin"]);

        // Users above or beside the administrator's scope are not found...
        let r = city_admin
            .put(
                &format!("/users/{admin_id}"),
                json!({ "password": "Hijack3d!pw" }),
            )
            .await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
        let r = city_admin
            .put(&format!("/users/{dalian}"), json!({ "locked": true }))
            .await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
        ctx.login("admin").await;
        ctx.login("dalian").await;
        // ...those within it are managed.
        let r = city_admin
            .put(&format!("/users/{shenyang}"), json!({ "locked": true }))
            .await;
        r.expect(StatusCode::NO_CONTENT);
        ctx.anonymous()
            .login("shenyang", PASSWORD)
            .await
            .expect_error(StatusCode::LOCKED, "auth.locked");

        // Enterprise users only for enterprises within the scope.
        let sy_code = credit_code("210102", "MA0Q1234");
        let dl_code = credit_code("210202", "MA0Q5678");
        admin
            .create("/enterprises", enterprise("和平机械厂", &sy_code, "210102"))
            .await;
        admin
            .create(
                "/enterprises",
                enterprise("大连船舶公司", &dl_code, "210202"),
            )
            .await;
        let new_user = |name: &str, code: &str| {
            json!({ "username": name, "display_name": name, "password": PASSWORD,
                    "role_code": "enterprise", "scope_region": null, "scope_enterprise": code })
        };
        let r = city_admin
            .post("/users", new_user("dl_ent", &dl_code))
            .await;
        r.expect_error(StatusCode::FORBIDDEN, "scope.denied");
        city_admin
            .create("/users", new_user("sy_ent", &sy_code))
            .await;
        let sy_ent = ctx.store.user_by_name("sy_ent").await.unwrap().unwrap().id;
        let r = city_admin
            .put(&format!("/users/{sy_ent}"), json!({ "locked": true }))
            .await;
        r.expect(StatusCode::NO_CONTENT);

        // The province administrator manages everyone.
        admin
            .put(&format!("/users/{dalian}"), json!({ "locked": true }))
            .await
            .expect(StatusCode::NO_CONTENT);
        admin.create("/users", new_user("dl_ent", &dl_code)).await;
    })
    .await;
}

/// Parallel wrong guesses are each counted: the count is kept by the database, not read,
/// incremented and written back by each request.
#[tokio::test]
async fn parallel_wrong_passwords_still_lock_the_account() {
    for_each_backend(|ctx| async move {
        ctx.user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..40 {
            let mut c = ctx.anonymous();
            guesses.spawn(async move { c.login("shenyang", &format!("Guess-{i}!x")).await.status });
        }
        let answers = guesses.join_all().await;
        assert!(
            answers.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
            "{answers:?}"
        );
        ctx.anonymous()
            .login("shenyang", PASSWORD)
            .await
            .expect_error(StatusCode::LOCKED, "auth.locked");
    })
    .await;
}

/// No account has a name over 64 characters: such a name is refused unlooked-up, and the
/// audit log keeps only its start. A JSON body over 1 MB is refused before it is read.
#[tokio::test]
async fn oversized_logins_are_refused_and_bounded_in_the_audit_log() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let mut c = ctx.anonymous();
        let long = "x".repeat(100_000);
        c.login(&long, PASSWORD)
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.bad_credentials");
        let records = admin.audit("action=auth.login").await;
        let kept = records
            .iter()
            .find_map(|r| r["username"].as_str().filter(|u| u.starts_with('x')))
            .expect("the attempt is audited");
        assert_eq!(kept, format!("{}…", "x".repeat(64)));

        let huge = "y".repeat(2 << 20);
        c.login(&huge, PASSWORD)
            .await
            .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "request.too_large");
    })
    .await;
}

/// A change to a user is applied whole or not at all; an administrator cannot lock
/// themselves out, nor hand out a role with permissions they lack.
#[tokio::test]
async fn user_changes_are_all_or_nothing_and_within_the_administrators_powers() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let admin_id = ctx.store.user_by_name("admin").await.unwrap().unwrap().id;
        let victim = ctx
            .user("shenyang", "city_officer", Some("2101"), None)
            .await;
        let r = admin
            .put(
                &format!("/users/{victim}"),
                json!({ "locked": true, "password": "weak" }),
            )
            .await;
        let body = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "password", "{body}");
        ctx.login("shenyang").await; // not locked
        assert!(admin.audit("action=user.lock").await.is_empty());

        let body = admin
            .put(&format!("/users/{admin_id}"), json!({ "locked": true }))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "locked", "{body}");
        ctx.login("admin").await;

        // A user administrator with no other power cannot create a city officer.
        ctx.raw_sql(
            "INSERT INTO role (code, name, permissions) \
             VALUES ('user_admin', '用户管理员', 'system:user:list system:user:write')",
        )
        .await;
        ctx.user("useradmin", "user_admin", Some("2101"), None)
            .await;
        let user_admin = ctx.login("useradmin").await;
        let new_user = |name: &str, role: &str| {
            json!({ "username": name, "display_name": name, "password": PASSWORD,
                    "role_code": role, "scope_region": "2101", "scope_enterprise": null })
        };
        let body = user_admin
            .post("/users", new_user("officer2", "city_officer"))
            .await
            .expect_error(StatusCode::FORBIDDEN, "role.denied");
        assert!(
            body["message"].as_str().unwrap().contains("registry:"),
            "{body}"
        );
        user_admin
            .create("/users", new_user("useradmin2", "user_admin"))
            .await;
    })
    .await;
}

/// A page number past any table answers an empty page, not an overflow.
#[tokio::test]
async fn huge_page_numbers_answer_an_empty_page() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        for path in [
            "/persons?page=9223372036854775807&page_size=500",
            "/audit?page=4611686018427387904",
            "/users?page=-9223372036854775808",
        ] {
            let page = admin.get(path).await.expect(StatusCode::OK);
            assert!(page["page"].as_i64().unwrap() >= 1, "{path}: {page}");
        }
        let page = admin
            .get("/persons?page=9223372036854775807")
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["rows"], json!([]));
    })
    .await;
}
