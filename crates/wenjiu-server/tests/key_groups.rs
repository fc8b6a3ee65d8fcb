//! Key groups derived from registrations as of the store's business date: long-term
//! unemployment, zero-employment households and migrant workers.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

/// The business date of these tests: mid-June 2020.
fn today() -> chrono::NaiveDate {
    date(2020, 6, 15)
}

fn groups(p: &Value) -> Vec<String> {
    p["key_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .collect()
}

async fn get_person(c: &Client, id: i64) -> Value {
    c.get(&format!("/persons/{id}"))
        .await
        .expect(StatusCode::OK)
}

fn person_in(name: &str, id_no: &str, household: Option<&str>) -> Value {
    let mut p = person(name, id_no, "210102", "13800000001");
    if let Some(h) = household {
        p["household_no"] = json!(h);
    }
    p
}

async fn register_unemployed(c: &Client, id_no: &str, on: &str) -> i64 {
    c.create(
        "/unemployments",
        json!({ "id_no": id_no, "registered_on": on, "region": "210102", "reason": "辞职" }),
    )
    .await
}

async fn register_employed(c: &Client, id_no: &str, start: &str) -> i64 {
    c.create(
        "/employments",
        json!({ "id_no": id_no, "kind": "灵活就业", "start_date": start, "area": "城镇", "region": "210102" }),
    )
    .await
}

#[tokio::test]
async fn unemployed_six_months_before_the_business_date() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;
        assert_eq!(
            admin.get("/auth/me").await.json()["business_date"],
            "2020-06-15"
        );

        let seven = id_no("210102", 1);
        let five = id_no("210102", 2);
        let long = admin
            .create("/persons", person_in("七个月", &seven, None))
            .await;
        let short = admin
            .create("/persons", person_in("五个月", &five, None))
            .await;
        register_unemployed(&admin, &seven, "2019-11-10").await;
        register_unemployed(&admin, &five, "2020-01-20").await;

        let p = get_person(&admin, long).await;
        assert_eq!(p["status"], "unemployed");
        assert!(groups(&p).contains(&"unemployed_6m".to_string()), "{p}");
        assert!(!groups(&p).contains(&"unemployed_12m".to_string()), "{p}");
        let p = get_person(&admin, short).await;
        assert_eq!(p["status"], "unemployed");
        assert!(!groups(&p).contains(&"unemployed_6m".to_string()), "{p}");

        let (n, rows) = admin.list("/persons?key_group=unemployed_6m").await;
        assert_eq!((n, rows[0]["id"].as_i64()), (1, Some(long)));

        // Time passes without a write: the refresh for the new date moves the second person
        // in, once (the server runs it at start-up and hourly).
        let later = ctx.with_as_of(date(2020, 8, 1));
        assert!(later.store.refresh_if_stale().await.unwrap());
        assert!(!later.store.refresh_if_stale().await.unwrap());
        let admin = later.login("admin").await;
        let (n, _) = admin.list("/persons?key_group=unemployed_6m").await;
        assert_eq!(n, 2);
    })
    .await;
}

#[tokio::test]
async fn zero_employment_household_flag_follows_registrations() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;

        // A household whose only working-age member is registered unemployed.
        let id = id_no("210102", 1);
        let member = admin
            .create("/persons", person_in("零就业", &id, Some("HH-ZERO")))
            .await;
        let (n, _) = admin.list("/households?zero_employment=true").await;
        assert_eq!(n, 0, "not flagged before the registration");

        register_unemployed(&admin, &id, "2020-03-01").await;
        let (n, rows) = admin.list("/households?zero_employment=true").await;
        assert_eq!(n, 1);
        assert_eq!(rows[0]["household_no"], "HH-ZERO");
        let household = rows[0]["id"].as_i64().unwrap();
        let p = get_person(&admin, member).await;
        assert!(groups(&p).contains(&"zero_household".to_string()), "{p}");

        // Registering employment clears the flag and the tag, and ends the unemployment.
        register_employed(&admin, &id, "2020-06-01").await;
        let h = admin
            .get(&format!("/households/{household}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(h["zero_employment"], false, "{h}");
        assert_eq!(admin.list("/households?zero_employment=true").await.0, 0);
        let p = get_person(&admin, member).await;
        assert_eq!(p["status"], "employed");
        assert!(!groups(&p).contains(&"zero_household".to_string()), "{p}");
        assert_eq!(p["unemployments"][0]["ended_on"], "2020-06-01", "{p}");
    })
    .await;
}

#[tokio::test]
async fn a_household_with_an_earner_is_flagged_when_the_earner_stops() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;
        let jobless = id_no("210102", 1);
        let earner = id_no("210102", 3);
        let jobless_id = admin
            .create("/persons", person_in("失业者", &jobless, Some("HH-TWO")))
            .await;
        admin
            .create("/persons", person_in("就业者", &earner, Some("HH-TWO")))
            .await;
        register_unemployed(&admin, &jobless, "2020-03-01").await;
        let job = register_employed(&admin, &earner, "2019-01-01").await;
        assert_eq!(
            admin.list("/households?zero_employment=true").await.0,
            0,
            "one member works"
        );

        // The earner's employment ends: now nobody in the household works.
        admin
            .put(
                &format!("/employments/{job}"),
                json!({ "id_no": earner, "kind": "灵活就业", "start_date": "2019-01-01",
                        "end_date": "2020-05-31", "area": "城镇", "region": "210102" }),
            )
            .await
            .expect(StatusCode::NO_CONTENT);
        let (n, rows) = admin.list("/households?zero_employment=true").await;
        assert_eq!(n, 1);
        assert_eq!(rows[0]["member_count"], 2);
        let p = get_person(&admin, jobless_id).await;
        assert!(groups(&p).contains(&"zero_household".to_string()), "{p}");
    })
    .await;
}

/// A rural member registered unemployed, alone in the household `no`.
async fn rural_unemployed(admin: &Client, no: &str, seq: u16) {
    let id = id_no("210102", seq);
    let mut p = person_in("农村户口", &id, Some(no));
    p["hukou"] = json!("农村");
    admin.create("/persons", p).await;
    register_unemployed(admin, &id, "2020-03-01").await;
}

#[tokio::test]
async fn a_new_member_counts_for_the_household_flag() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;
        // Rural households are not zero-employment households (the policy is urban).
        rural_unemployed(&admin, "HH-API", 1).await;
        rural_unemployed(&admin, "HH-FILE", 3).await;
        assert_eq!(admin.list("/households?zero_employment=true").await.0, 0);

        // An urban member joins one household through the API, the other through an import.
        let joined = admin.create("/persons", person_in("城镇户口", &id_no("210102", 5), Some("HH-API"))).await;
        let imported = id_no("210102", 7);
        let csv = format!("姓名,身份证号,户口性质,居住地区划代码,户编号\n导入成员,{imported},城镇,210102,HH-FILE\n");
        let report = admin.upload("/imports/person?wait=true", "p.csv", csv.as_bytes()).await;
        assert_eq!(report.expect(StatusCode::OK)["inserted"], 1);

        let (n, rows) = admin.list("/households?zero_employment=true").await;
        let mut flagged: Vec<&str> = rows.iter().map(|h| h["household_no"].as_str().unwrap()).collect();
        flagged.sort();
        assert_eq!((n, flagged), (2, vec!["HH-API", "HH-FILE"]));
        let imported = admin.list(&format!("/persons?id_no={imported}")).await.1[0]["id"].as_i64().unwrap();
        for member in [joined, imported] {
            let p = get_person(&admin, member).await;
            assert!(groups(&p).contains(&"zero_household".to_string()), "{p}");
        }
        assert_eq!(admin.list("/persons?key_group=zero_household").await.0, 4);
    })
    .await;
}

#[tokio::test]
async fn a_member_updated_by_an_import_counts_for_the_household_flag() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;
        rural_unemployed(&admin, "HH-UPD", 2).await;
        assert_eq!(admin.list("/households?zero_employment=true").await.0, 0);

        // The same person again, now with urban hukou: updated, and the household re-derived.
        let id = id_no("210102", 2);
        let csv = format!(
            "姓名,身份证号,户口性质,居住地区划代码,户编号\n农村户口,{id},城镇,210102,HH-UPD\n"
        );
        let report = admin
            .upload("/imports/person?wait=true", "p.csv", csv.as_bytes())
            .await;
        assert_eq!(report.expect(StatusCode::OK)["updated"], 1);

        let (n, rows) = admin.list("/households?zero_employment=true").await;
        assert_eq!((n, rows[0]["household_no"].as_str()), (1, Some("HH-UPD")));
        let member = admin.list(&format!("/persons?id_no={id}")).await.1[0]["id"]
            .as_i64()
            .unwrap();
        assert!(groups(&get_person(&admin, member).await).contains(&"zero_household".to_string()));
    })
    .await;
}

#[tokio::test]
async fn a_member_moved_out_by_an_import_unflags_the_household_left() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;
        let id = id_no("210102", 9);
        admin
            .create("/persons", person_in("迁出成员", &id, Some("HH-OLD")))
            .await;
        register_unemployed(&admin, &id, "2020-03-01").await;
        let flagged = |rows: Vec<Value>| -> Vec<String> {
            rows.iter()
                .map(|h| h["household_no"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            flagged(admin.list("/households?zero_employment=true").await.1),
            ["HH-OLD"]
        );

        let csv = format!(
            "姓名,身份证号,户口性质,居住地区划代码,户编号\n迁出成员,{id},城镇,210102,HH-NEW\n"
        );
        let report = admin
            .upload("/imports/person?wait=true", "p.csv", csv.as_bytes())
            .await;
        assert_eq!(report.expect(StatusCode::OK)["updated"], 1);
        assert_eq!(
            flagged(admin.list("/households?zero_employment=true").await.1),
            ["HH-NEW"]
        );
    })
    .await;
}

/// 农民工: rural hukou and working off the farm. Employed by a farm (an enterprise of section
/// A, 农、林、牧、渔业) is not; by a factory, or in a form without an employer, is; the tag
/// follows the employer's industry when it is corrected, by hand or by an import.
#[tokio::test]
async fn migrant_workers_work_off_the_farm() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(today());
        let admin = ctx.admin().await;
        let farm = credit_code("210102", "MA0F0001");
        let factory = credit_code("210102", "MA0F0002");
        let mut body = enterprise("和平农场", &farm, "210102");
        body["industry"] = json!("A");
        let farm_id = admin.create("/enterprises", body.clone()).await;
        admin
            .create("/enterprises", enterprise("和平机械厂", &factory, "210102"))
            .await;
        let mut people = Vec::new();
        for (seq, (name, hukou, employer)) in [
            ("务农", "农村", Some(&farm)),
            ("进厂", "农村", Some(&factory)),
            ("灵活", "农村", None),
            ("城镇进厂", "城镇", Some(&factory)),
        ]
        .into_iter()
        .enumerate()
        {
            let no = id_no("210102", 40 + seq as u16);
            let mut p = person_in(name, &no, None);
            p["hukou"] = json!(hukou);
            let id = admin.create("/persons", p).await;
            let kind = if employer.is_some() {
                "单位就业"
            } else {
                "灵活就业"
            };
            admin
                .create(
                    "/employments",
                    json!({ "id_no": no, "kind": kind, "employer_credit_code": employer,
                            "start_date": "2020-03-01", "area": "城镇", "region": "210102" }),
                )
                .await;
            people.push(id);
        }
        let migrant = |p: &Value| groups(p).contains(&"migrant".to_string());
        let mut tagged = Vec::new();
        for id in &people {
            tagged.push(migrant(&get_person(&admin, *id).await));
        }
        assert_eq!(tagged, [false, true, true, false]);
        let (n, _) = admin.list("/persons?key_group=migrant").await;
        assert_eq!(n, 2);

        // The farm was recorded under the wrong industry: corrected to manufacturing, its
        // worker is tagged at once; imported again as a farm, untagged.
        body["industry"] = json!("C");
        admin
            .put(&format!("/enterprises/{farm_id}"), body)
            .await
            .expect(StatusCode::NO_CONTENT);
        assert!(migrant(&get_person(&admin, people[0]).await));
        let file = format!(
            "统一社会信用代码,单位名称,行业门类,经济类型,企业规模,所在地区划代码,参保人数\n\
             {farm},和平农场,农、林、牧、渔业,私营,小型,210102,20\n"
        );
        let report = admin
            .upload("/imports/enterprise?wait=true", "farm.csv", file.as_bytes())
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["updated"], json!(1), "{report}");
        assert!(!migrant(&get_person(&admin, people[0]).await));
        assert!(migrant(&get_person(&admin, people[1]).await));
    })
    .await;
}
