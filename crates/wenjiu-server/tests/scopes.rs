//! Data scopes: each user sees exactly the records of their region (or enterprise); a
//! record outside the scope is "not found", never "forbidden".

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

fn ids(rows: &[Value]) -> Vec<i64> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort();
    v
}

/// Asserts a list's total, its rows' ids, and that every row's region starts with `prefix`.
async fn assert_list(c: &Client, path: &str, prefix: &str, expected: Vec<i64>) {
    let (total, rows) = c.list(path).await;
    assert_eq!(total, expected.len() as i64, "total of {path}");
    assert_eq!(ids(&rows), sorted(expected), "rows of {path}");
    for r in &rows {
        let region = r["region"].as_str().unwrap();
        assert!(
            region.starts_with(prefix),
            "{path}: row in {region} outside {prefix}: {r}"
        );
    }
}

#[tokio::test]
async fn city_officer_sees_only_own_city() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;

        // People.
        assert_list(
            &admin,
            "/persons",
            "21",
            reg.liaoning().iter().map(|p| p.id).collect(),
        )
        .await;
        assert_list(
            &o.shenyang,
            "/persons",
            "2101",
            vec![reg.heping1.id, reg.heping2.id, reg.shenhe.id],
        )
        .await;
        assert_list(&o.dalian, "/persons", "2102", vec![reg.dalian.id]).await;
        // A region filter cannot widen the scope.
        assert_list(&o.shenyang, "/persons?region=2102", "2101", vec![]).await;
        assert_list(
            &o.shenyang,
            "/persons?region=21",
            "2101",
            vec![reg.heping1.id, reg.heping2.id, reg.shenhe.id],
        )
        .await;
        // Nor can an exact ID number.
        assert_list(
            &o.shenyang,
            &format!("/persons?id_no={}", reg.dalian.id_no),
            "2101",
            vec![],
        )
        .await;

        for p in [&reg.heping1, &reg.shenhe] {
            let body = o
                .shenyang
                .get(&format!("/persons/{}", p.id))
                .await
                .expect(StatusCode::OK);
            assert_eq!(body["id"], p.id);
        }
        for p in [&reg.dalian, &reg.anshan, &reg.beijing] {
            o.shenyang
                .get(&format!("/persons/{}", p.id))
                .await
                .expect_error(StatusCode::NOT_FOUND, "not_found");
        }
        // Out of scope and nonexistent answer alike.
        let missing = o
            .shenyang
            .get("/persons/999999")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        let hidden = o
            .shenyang
            .get(&format!("/persons/{}", reg.dalian.id))
            .await
            .json();
        assert_eq!(missing, hidden);

        // Enterprises.
        assert_list(&o.shenyang, "/enterprises", "2101", vec![reg.ent_heping.0]).await;
        assert_list(&o.dalian, "/enterprises", "2102", vec![reg.ent_dalian.0]).await;
        o.shenyang
            .get(&format!("/enterprises/{}", reg.ent_heping.0))
            .await
            .expect(StatusCode::OK);
        for e in [&reg.ent_dalian, &reg.ent_anshan] {
            o.shenyang
                .get(&format!("/enterprises/{}", e.0))
                .await
                .expect_error(StatusCode::NOT_FOUND, "not_found");
        }

        // Employment registrations.
        assert_list(
            &o.shenyang,
            "/employments",
            "2101",
            vec![reg.emp_heping, reg.emp_shenhe],
        )
        .await;
        assert_list(&o.dalian, "/employments", "2102", vec![reg.emp_dalian]).await;
        o.shenyang
            .get(&format!("/employments/{}", reg.emp_heping))
            .await
            .expect(StatusCode::OK);
        o.shenyang
            .get(&format!("/employments/{}", reg.emp_dalian))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");

        // Households.
        let (_, households) = admin.list("/households").await;
        let household_of = |p: &Seeded| {
            let row = households
                .iter()
                .find(|h| h["household_no"] == p.household_no.as_str());
            row.unwrap_or_else(|| panic!("household of {p:?}"))["id"]
                .as_i64()
                .unwrap()
        };
        let own = vec![
            household_of(&reg.heping1),
            household_of(&reg.heping2),
            household_of(&reg.shenhe),
        ];
        assert_list(&o.shenyang, "/households", "2101", own).await;
        assert_list(
            &o.heping,
            "/households",
            "210102",
            vec![household_of(&reg.heping1), household_of(&reg.heping2)],
        )
        .await;
        o.shenyang
            .get(&format!("/households/{}", household_of(&reg.dalian)))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");

        // The region picker offers the own city and below only.
        let roots = o.shenyang.get("/regions").await.expect(StatusCode::OK);
        assert_eq!(roots.as_array().map(|r| r.len()), Some(1), "{roots}");
        assert_eq!(roots[0]["code"], "210100");
        o.shenyang
            .get("/regions?parent=210100")
            .await
            .expect(StatusCode::OK);
        o.shenyang
            .get("/regions?parent=210200")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");

        // Unemployment registrations.
        assert_list(
            &o.shenyang,
            "/unemployments",
            "2101",
            vec![reg.unemp_heping],
        )
        .await;
        assert_list(&o.dalian, "/unemployments", "2102", vec![]).await;
        o.shenyang
            .get(&format!("/unemployments/{}", reg.unemp_heping))
            .await
            .expect(StatusCode::OK);
        o.shenyang
            .get(&format!("/unemployments/{}", reg.unemp_anshan))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
    })
    .await;
}

#[tokio::test]
async fn county_officer_sees_only_own_county() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;

        assert_list(
            &o.heping,
            "/persons",
            "210102",
            vec![reg.heping1.id, reg.heping2.id],
        )
        .await;
        assert_list(&o.heping, "/enterprises", "210102", vec![reg.ent_heping.0]).await;
        assert_list(&o.heping, "/employments", "210102", vec![reg.emp_heping]).await;
        assert_list(
            &o.heping,
            "/unemployments",
            "210102",
            vec![reg.unemp_heping],
        )
        .await;

        // Same city, other county: not found.
        o.heping
            .get(&format!("/persons/{}", reg.shenhe.id))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        o.heping
            .get(&format!("/employments/{}", reg.emp_shenhe))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        o.heping
            .get(&format!("/persons/{}", reg.heping1.id))
            .await
            .expect(StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn enterprise_user_sees_only_its_enterprise_and_employees() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        ctx.user("heping_factory", "enterprise", None, Some(&reg.ent_heping.1)).await;
        let ent = ctx.login("heping_factory").await;

        let (total, rows) = ent.list("/enterprises").await;
        assert_eq!((total, ids(&rows)), (1, vec![reg.ent_heping.0]));
        ent.get(&format!("/enterprises/{}", reg.ent_heping.0)).await.expect(StatusCode::OK);
        ent.get(&format!("/enterprises/{}", reg.ent_dalian.0)).await.expect_error(StatusCode::NOT_FOUND, "not_found");

        // Only the people employed there: heping1, not heping2 (same county, unemployed).
        let (total, rows) = ent.list("/persons").await;
        assert_eq!((total, ids(&rows)), (1, vec![reg.heping1.id]));
        ent.get(&format!("/persons/{}", reg.heping1.id)).await.expect(StatusCode::OK);
        for p in [&reg.heping2, &reg.dalian] {
            ent.get(&format!("/persons/{}", p.id)).await.expect_error(StatusCode::NOT_FOUND, "not_found");
        }

        let (total, rows) = ent.list("/employments").await;
        assert_eq!((total, ids(&rows)), (1, vec![reg.emp_heping]));
        ent.get(&format!("/employments/{}", reg.emp_dalian)).await.expect_error(StatusCode::NOT_FOUND, "not_found");

        // Its employee's file shows its own job of theirs only: not their other employers,
        // not their unemployment registrations.
        admin
            .create(
                "/employments",
                json!({ "id_no": reg.heping1.id_no, "kind": "单位就业", "employer_credit_code": reg.ent_dalian.1,
                        "start_date": "2019-01-02", "end_date": "2019-12-31", "area": "城镇", "region": "210202" }),
            )
            .await;
        admin
            .create(
                "/unemployments",
                json!({ "id_no": reg.heping1.id_no, "registered_on": "2020-01-10", "region": "210102", "reason": "辞职" }),
            )
            .await;
        let path = format!("/persons/{}", reg.heping1.id);
        let full = admin.get(&path).await.expect(StatusCode::OK);
        assert_eq!((full["employments"].as_array().unwrap().len(), full["unemployments"].as_array().unwrap().len()), (2, 1));
        let own = ent.get(&path).await.expect(StatusCode::OK);
        let jobs: Vec<i64> = own["employments"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
        assert_eq!(jobs, [reg.emp_heping], "{own}");
        assert_eq!(own["unemployments"], json!([]), "{own}");

        // No household or unemployment permission at all.
        ent.get("/unemployments").await.expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        ent.get("/households").await.expect_error(StatusCode::FORBIDDEN, "auth.forbidden");

        // An employee the enterprise registers itself becomes visible to it; another
        // enterprise's registration it may not make.
        let newcomer = id_no("210102", 500);
        admin.create("/persons", person("新员工", &newcomer, "210102", "13700000500")).await;
        assert_eq!(ent.list(&format!("/persons?id_no={newcomer}")).await.0, 0);
        ent.create(
            "/employments",
            json!({ "id_no": newcomer, "kind": "单位就业", "employer_credit_code": reg.ent_heping.1,
                    "start_date": "2021-01-04", "area": "城镇", "region": "210102" }),
        )
        .await;
        assert_eq!(ent.list(&format!("/persons?id_no={newcomer}")).await.0, 1);
        let r = ent
            .post(
                "/employments",
                json!({ "id_no": reg.heping2.id_no, "kind": "单位就业", "employer_credit_code": reg.ent_dalian.1,
                        "start_date": "2021-01-04", "area": "城镇", "region": "210202" }),
            )
            .await;
        let body = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "region", "{body}");
        assert_eq!(ent.list("/employments").await.0, 2);
    })
    .await;
}

#[tokio::test]
async fn writes_outside_the_scope_are_refused() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;

        // Creating a record in another city.
        let r = o.shenyang.post("/persons", person("大连人", &id_no("210202", 600), "210202", "13700000600")).await;
        r.expect_error(StatusCode::FORBIDDEN, "scope.denied");
        let r = o.shenyang.post("/enterprises", enterprise("大连公司", &credit_code("210202", "MA0Q6000"), "210202")).await;
        r.expect_error(StatusCode::FORBIDDEN, "scope.denied");
        assert_eq!(admin.list("/persons").await.0, 5);
        assert_eq!(admin.list("/enterprises").await.0, 3);
        // Nor, even in scope, a second enterprise with a credit code already registered.
        let taken = enterprise("重号公司", &reg.ent_heping.1, "210102");
        let r = admin.post("/enterprises", taken).await.expect(StatusCode::CONFLICT);
        assert!(r["message"].as_str().unwrap().contains("已存在"), "{r}");
        assert_eq!(admin.list("/enterprises").await.0, 3);

        // Changing a record of another city: it does not exist for this user.
        let r = o
            .shenyang
            .put(&format!("/persons/{}", reg.dalian.id), person("改名", &reg.dalian.id_no, "210202", &reg.dalian.phone))
            .await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
        // Moving an own record into another city.
        let r = o
            .shenyang
            .put(&format!("/persons/{}", reg.shenhe.id), person("沈河丙", &reg.shenhe.id_no, "210202", &reg.shenhe.phone))
            .await;
        r.expect_error(StatusCode::FORBIDDEN, "scope.denied");
        let moved = admin.get(&format!("/persons/{}", reg.shenhe.id)).await.expect(StatusCode::OK);
        assert_eq!(moved["region"], "210103");

        // A registration of someone in scope, but in another city's office.
        let r = o
            .shenyang
            .post(
                "/unemployments",
                json!({ "id_no": reg.heping2.id_no, "registered_on": "2021-01-04", "region": "210202", "reason": "辞职" }),
            )
            .await;
        let body = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "region", "{body}");
        assert_eq!(admin.list("/unemployments").await.0, 2);

        // Moving an own registration's date onto another registration of the same person,
        // one of another city: refused, and that one stays as it was.
        let dalian_job = admin
            .create(
                "/employments",
                json!({ "id_no": reg.shenhe.id_no, "kind": "单位就业", "employer_credit_code": reg.ent_dalian.1,
                        "start_date": "2019-06-03", "end_date": "2019-12-31", "area": "城镇", "region": "210202" }),
            )
            .await;
        let before = admin.get(&format!("/employments/{dalian_job}")).await.expect(StatusCode::OK);
        let r = o
            .shenyang
            .put(
                &format!("/employments/{}", reg.emp_shenhe),
                json!({ "id_no": reg.shenhe.id_no, "kind": "灵活就业", "start_date": "2019-06-03",
                        "area": "城镇", "region": "210103" }),
            )
            .await;
        r.expect(StatusCode::CONFLICT);
        assert_eq!(admin.get(&format!("/employments/{dalian_job}")).await.expect(StatusCode::OK), before);
        o.shenyang.get(&format!("/employments/{}", reg.emp_shenhe)).await.expect(StatusCode::OK);
    })
    .await;
}
