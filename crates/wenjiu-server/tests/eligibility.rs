//! 可享政策 through the real router on SQLite and PostgreSQL: a person, an enterprise and a
//! hire of the registry checked against the catalogue on a date — the fields read from the
//! registry and the supplied facts, each policy's outcome with its trace, an enterprise's
//! qualifying hires — agreeing with what screening finds; within each caller's scope.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

/// (policy id, amount) of each eligible result.
fn eligible(e: &Value) -> BTreeSet<(String, i64)> {
    e["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "eligible")
        .map(|r| {
            let id = r["policy_id"].as_str().unwrap().to_string();
            (id, r["amount_fen"].as_i64().unwrap())
        })
        .collect()
}

fn field<'a>(e: &'a Value, name: &str) -> &'a Value {
    e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {e}"))
}

#[tokio::test]
async fn a_registered_subject_is_checked_as_screening_reads_it() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 6, 30));
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let flexible = id_no("210102", 1);
        let mut p = person("灵活就业者", &flexible, "210102", "13800000001");
        p["graduation_year"] = json!(2019);
        let flexible_id = admin.create("/persons", p).await;
        let SubsidisedHire {
            person: hired_id,
            credit_code: code,
            enterprise: firm,
            hire,
            ..
        } = subsidised_hire(&admin).await;
        let other = admin
            .create(
                "/enterprises",
                enterprise("大连厂", &credit_code("210202", "87654321"), "210202"),
            )
            .await;
        let flexible_job = admin
            .create(
                "/employments",
                json!({ "id_no": flexible, "kind": "灵活就业", "start_date": "2020-01-01",
                        "area": "城镇", "region": "210102" }),
            )
            .await;
        let check = |c: &Client, kind: &str, id: i64, date: &str| {
            let path = format!("/policy/eligibility/{kind}/{id}?date={date}");
            let c = c.clone();
            async move { c.get(&path).await }
        };

        // Without the facts: the person's fields are read, nothing supplied is established.
        let before = check(&admin, "person", flexible_id, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        assert_eq!(before["label"], "灵活就业者");
        assert_eq!(before["region_name"], "辽宁省沈阳市和平区");
        assert!(eligible(&before).is_empty(), "{before}");
        let kind = field(&before, "person.employment_kind");
        assert_eq!(kind["value"]["value"], "flexible", "{kind}");
        assert!(
            kind["origin"].as_str().unwrap().starts_with("登记"),
            "{kind}"
        );
        assert_eq!(field(&before, "person.si_paid_fen")["value"]["value"], 0);
        let flex = before["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["policy_id"] == "flexible-si")
            .unwrap();
        assert_eq!(flex["outcome"], "not_eligible", "{flex}");
        assert!(!flex["trace"]["conditions"].as_array().unwrap().is_empty());

        admin
            .post(
                "/policy/facts",
                json!({ "field": "person.si_paid_fen", "id_no": flexible, "value": "2400",
                        "valid_from": "2020-01-01" }),
            )
            .await
            .expect(StatusCode::OK);

        // With them: 2/3 of the contributions paid, and 沈阳's 4 months of the employer's.
        let person = check(&o.heping, "person", flexible_id, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            eligible(&person),
            BTreeSet::from([("flexible-si".to_string(), 160000)])
        );
        assert_eq!(person["eligible_total_fen"], 160000);
        let paid = field(&person, "person.si_paid_fen");
        assert!(
            paid["origin"].as_str().unwrap().starts_with("申报"),
            "{paid}"
        );
        assert_eq!(paid["value"]["value"], 240000);
        assert!(person["hires"].is_null());

        let firm_check = check(&o.shenyang, "enterprise", firm, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        assert_eq!(firm_check["label"], "和平厂");
        let hires = &firm_check["hires"];
        assert_eq!(hires["hires"], 1, "{hires}");
        let grants = hires["grants"].as_array().unwrap();
        let grant = grants
            .iter()
            .find(|g| g["policy_id"] == "hiring-si")
            .unwrap();
        assert_eq!(grant["person_name"], "应届生");
        assert_eq!(grant["hire_id"], hire);
        assert_eq!(grant["start_date"], "2020-03-02");
        assert_eq!(grant["amount_fen"], 400000);
        assert!(
            firm_check["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["trace"].is_object() && r["error"].is_null())
        );

        let one = check(&admin, "hire", hire, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        assert_eq!(one["label"], "和平厂 招用 应届生");
        assert!(
            eligible(&one).contains(&("hiring-si".to_string(), 400000)),
            "{one}"
        );
        assert_eq!(
            field(&one, "hire.start_date")["value"]["value"],
            "2020-03-02"
        );
        // One policy only.
        let only = admin
            .get(&format!(
                "/policy/eligibility/hire/{hire}?date=2020-06-30&policy=hiring-si"
            ))
            .await
            .expect(StatusCode::OK);
        assert_eq!(only["results"].as_array().unwrap().len(), 1);

        // The same as screening finds for these subjects.
        let run = admin
            .post(
                "/policy/screenings?wait=true",
                json!({ "date": "2020-06-30", "region": "210102" }),
            )
            .await
            .expect(StatusCode::OK);
        let (_, rows) = admin
            .list(&format!("/policy/screenings/{}/results", run["id"]))
            .await;
        let screened: BTreeSet<(String, i64)> = rows
            .iter()
            .map(|r| {
                (
                    r["policy_id"].as_str().unwrap().to_string(),
                    r["amount_fen"].as_i64().unwrap(),
                )
            })
            .collect();
        let graduate = check(&admin, "person", hired_id, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        let mut checked: BTreeSet<(String, i64)> = eligible(&person);
        checked.extend(eligible(&graduate));
        checked.extend(eligible(&firm_check));
        checked.extend(grants.iter().map(|g| {
            (
                g["policy_id"].as_str().unwrap().to_string(),
                g["amount_fen"].as_i64().unwrap(),
            )
        }));
        assert_eq!(checked, screened);

        // Before the hire started there is no hire to check; a flexible job is no hire.
        for (id, date) in [(hire, "2020-03-01"), (flexible_job, "2020-06-30")] {
            check(&admin, "hire", id, date)
                .await
                .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        }
        // Outside the caller's scope, or no such kind: not found.
        check(&o.dalian, "person", flexible_id, "2020-06-30")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        check(&o.heping, "enterprise", other, "2020-06-30")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        check(&admin, "household", 1, "2020-06-30")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");

        // An enterprise user sees its own enterprise, and no other.
        ctx.user("firm", "enterprise", None, Some(&code)).await;
        let own = ctx.login("firm").await;
        let mine = check(&own, "enterprise", firm, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        assert_eq!(mine["hires"]["grants"], firm_check["hires"]["grants"]);
        check(&own, "enterprise", other, "2020-06-30")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        // Its hire, yes, with the outcome and amount but none of the person's fields (their
        // hardship, disability, recognitions: DOMAIN §8) nor a trace that reads them; the
        // person hired, no.
        let own_hire = check(&own, "hire", hire, "2020-06-30")
            .await
            .expect(StatusCode::OK);
        let names: Vec<&str> = own_hire["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"hire.start_date"), "{names:?}");
        assert!(names.iter().all(|n| !n.starts_with("person.")), "{names:?}");
        assert_eq!(eligible(&own_hire), eligible(&one));
        for r in own_hire["results"].as_array().unwrap() {
            assert!(r["trace"].is_null(), "{r}");
            assert!(r["outcome"].is_string(), "{r}");
        }
        let refused = own_hire["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["outcome"] == "not_eligible")
            .unwrap();
        assert!(
            !refused["failed"].as_array().unwrap().is_empty(),
            "{refused}"
        );
        own.get(&format!("/persons/{hired_id}"))
            .await
            .expect(StatusCode::OK);
        check(&own, "person", hired_id, "2020-06-30")
            .await
            .expect_error(StatusCode::FORBIDDEN, "scope.denied");

        // Each check is audited; a user without the permission is refused.
        let records = admin.audit("action=policy.eligibility").await;
        assert!(records.len() >= 5, "{records:?}");
        assert!(
            records
                .iter()
                .any(|r| r["target"] == format!("enterprise:{firm}")),
            "{records:?}"
        );
        ctx.user("reader", "auditor", Some("21"), None).await;
        check(
            &ctx.login("reader").await,
            "person",
            flexible_id,
            "2020-06-30",
        )
        .await
        .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
    })
    .await;
}

/// The 3-year limit of 公益性岗位补贴 is the person's: every placement up to the date counts,
/// ended or open (财社〔2017〕164号). A hire's months registered unemployed run to its start:
/// registered 2020-01-15 and hired 2020-07-15 is 登记失业半年以上 (辽政发〔2020〕9号). Review of
/// the policy catalogue, findings 2 and 4.
#[tokio::test]
async fn placements_add_up_and_a_hire_counts_unemployment_to_its_start() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 7, 31));
        let admin = ctx.admin().await;
        let code = credit_code("210102", "12345678");
        admin
            .create("/enterprises", enterprise("和平厂", &code, "210102"))
            .await;
        let (placed, hired) = (id_no("210102", 1), id_no("210102", 2));
        let placed_id = admin
            .create(
                "/persons",
                person("公益岗", &placed, "210102", "13800000001"),
            )
            .await;
        admin
            .create("/persons", person("受雇", &hired, "210102", "13800000002"))
            .await;
        let job = |id_no: &str, kind: &str, start: &str, end: Option<&str>| {
            json!({ "id_no": id_no, "kind": kind, "employer_credit_code": code,
                    "start_date": start, "end_date": end, "area": "城镇", "region": "210102" })
        };
        for body in [
            job(&placed, "公益性岗位", "2016-01-10", Some("2019-07-14")),
            job(&placed, "公益性岗位", "2019-10-02", None),
        ] {
            admin.create("/employments", body).await;
        }
        admin
            .create(
                "/unemployments",
                json!({ "id_no": hired, "registered_on": "2020-01-15", "region": "210102",
                        "reason": "辞职" }),
            )
            .await;
        let hire = admin
            .create("/employments", job(&hired, "单位就业", "2020-07-15", None))
            .await;

        let check = |path: String| {
            let admin = admin.clone();
            async move { admin.get(&path).await.expect(StatusCode::OK) }
        };
        // 42 months ended 2019-07-14, then 7 since 2019-10-02: the 36 months are used up.
        let welfare = check(format!(
            "/policy/eligibility/person/{placed_id}?date=2020-05-31&policy=public-welfare"
        ))
        .await;
        assert_eq!(
            field(&welfare, "person.public_welfare_months")["value"]["value"],
            42 + 7
        );
        let failed = &welfare["results"][0]["failed"];
        assert!(
            failed.as_array().unwrap().contains(&json!("within_period")),
            "{welfare}"
        );

        let hiring = check(format!(
            "/policy/eligibility/hire/{hire}?date=2020-07-31&policy=hiring-si"
        ))
        .await;
        assert_eq!(
            field(&hiring, "person.unemployed_months")["value"]["value"],
            6
        );
        assert_eq!(
            field(&hiring, "person.registered_unemployed")["value"]["value"],
            true
        );
        let failed = &hiring["results"][0]["failed"];
        assert!(
            !failed.as_array().unwrap().contains(&json!("target_group")),
            "{hiring}"
        );
    })
    .await;
}
