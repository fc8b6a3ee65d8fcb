//! Unemployment dynamic monitoring through the real router on SQLite and PostgreSQL: report
//! checks, the scoped review chain, warnings at their boundaries with their routing, and
//! layoff filings that cannot be implemented before their steps.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

const APRIL: &str = "2020-04";
const MAY: &str = "2020-05";

/// Enrols an enterprise with its baseline from January 2019.
async fn enrol(admin: &Client, enterprise_id: i64, baseline: i64) {
    admin
        .put(
            "/monitoring/sample",
            json!({ "enterprise_id": enterprise_id, "enrolled_on": "2019-01-01", "baseline": baseline }),
        )
        .await;
}

fn report(enterprise_id: i64, month: &str, headcount: i64, new_hires: i64, decrease: i64) -> Value {
    json!({ "enterprise_id": enterprise_id, "month": month, "headcount": headcount,
            "new_hires": new_hires, "decrease": decrease })
}

fn with_reason(mut r: Value) -> Value {
    r["decrease_type"] = json!("03");
    r["reasons"] = json!([{ "code": "04", "note": "订单减少" }]);
    r
}

async fn submit(c: &Client, body: Value) -> i64 {
    c.post("/monitoring/reports", body)
        .await
        .expect(StatusCode::OK)["id"]
        .as_i64()
        .unwrap()
}

/// The message of a submission refused with 422.
async fn refused(c: &Client, body: Value) -> String {
    let err = c
        .post("/monitoring/reports", body)
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    err["message"].as_str().unwrap().to_string()
}

async fn review(c: &Client, id: i64, action: &str, comment: &str) -> crate::common::Resp {
    c.post(
        &format!("/monitoring/reports/{id}/review"),
        json!({ "action": action, "comment": comment }),
    )
    .await
}

/// The registry seeded at the end of May 2020, the province administrator and the officers.
async fn seeded(ctx: Ctx) -> (Ctx, Client, Registry, Officers) {
    let ctx = ctx.with_as_of(date(2020, 5, 31));
    let admin = ctx.admin().await;
    let reg = seed_registry(&ctx, &admin).await;
    let off = ctx.officers().await;
    (ctx, admin, reg, off)
}

#[tokio::test]
async fn reports_are_checked_and_reviewed_within_scope() {
    for_each_backend(|ctx| async move {
        let (ctx, admin, reg, off) = seeded(ctx).await;
        let (ent, code) = reg.ent_heping.clone();
        enrol(&admin, ent, 100).await;
        ctx.user("qiye", "enterprise", None, Some(&code)).await;
        let qiye = ctx.login("qiye").await;

        // A fall with no decrease type and no reason: refused, each problem named.
        let err = qiye
            .post("/monitoring/reports", report(ent, APRIL, 90, 0, 10))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let msg = err["message"].as_str().unwrap();
        assert!(msg.contains("必须填写减员类型"), "{msg}");
        assert!(msg.contains("必须填写主要减员原因"), "{msg}");
        // Totals that do not follow from the baseline.
        let msg = refused(&qiye, with_reason(report(ent, APRIL, 91, 0, 10))).await;
        assert!(msg.contains("100 + 本月新增 0 − 本月减少 10 = 90"), "{msg}");
        // A month not yet come.
        qiye.post("/monitoring/reports", report(ent, "2020-06", 100, 0, 0))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);

        let id = submit(&qiye, with_reason(report(ent, APRIL, 90, 0, 10))).await;
        let r = qiye
            .get(&format!("/monitoring/reports/{id}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (r["status"].as_str(), r["on_behalf"].as_bool()),
            (Some("submitted"), Some(false))
        );
        assert_eq!(r["reasons"][0]["label"], "订单不足");

        // 大连 neither sees nor reviews a 沈阳 report.
        off.dalian
            .get(&format!("/monitoring/reports/{id}"))
            .await
            .expect(StatusCode::NOT_FOUND);
        assert_eq!(
            off.dalian.list("/monitoring/reports?month=2020-04").await.0,
            0
        );
        review(&off.dalian, id, "approve", "")
            .await
            .expect(StatusCode::NOT_FOUND);
        // The province cannot skip the county or city.
        review(&admin, id, "approve", "")
            .await
            .expect(StatusCode::CONFLICT);
        // Returning needs a comment.
        review(&off.shenyang, id, "return", " ")
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            off.heping
                .list("/monitoring/reports?status=pending")
                .await
                .0,
            1
        );
        let back = review(&off.shenyang, id, "return", "减员原因说明过简")
            .await
            .expect(StatusCode::OK);
        assert_eq!(back["status"], "returned");
        assert_eq!(
            off.heping
                .list("/monitoring/reports?status=pending")
                .await
                .0,
            0
        );
        // A returned report is out of the figures until corrected.
        let april = async |c: &Client| {
            c.get("/monitoring/summary?month=2020-04&region=210102")
                .await
                .expect(StatusCode::OK)["total"]["enterprises"]
                .as_i64()
        };
        assert_eq!(april(&off.heping).await, Some(0));

        // The enterprise corrects and submits again; the county approves, then the province.
        let mut again = with_reason(report(ent, APRIL, 90, 2, 12));
        again["reasons"][0]["note"] = json!("两条生产线订单取消，合同到期不续");
        assert_eq!(submit(&qiye, again).await, id);
        assert_eq!(april(&off.heping).await, Some(1));
        assert_eq!(april(&qiye).await, Some(1));
        review(&off.heping, id, "approve", "")
            .await
            .expect(StatusCode::OK);
        review(&off.heping, id, "approve", "")
            .await
            .expect(StatusCode::CONFLICT);
        assert_eq!(admin.list("/monitoring/reports?status=pending").await.0, 1);
        let done = review(&admin, id, "approve", "")
            .await
            .expect(StatusCode::OK);
        assert_eq!(done["status"], "closed");
        // Closed: no more changes.
        qiye.post(
            "/monitoring/reports",
            with_reason(report(ent, APRIL, 90, 0, 10)),
        )
        .await
        .expect(StatusCode::CONFLICT);
        let history = qiye
            .get(&format!("/monitoring/reports/{id}/history"))
            .await
            .expect(StatusCode::OK);
        let steps: Vec<(&str, &str)> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["action"].as_str().unwrap(),
                    h["username"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            steps,
            [
                ("submit", "qiye"),
                ("return", "shenyang"),
                ("resubmit", "qiye"),
                ("approve", "heping"),
                ("approve", "admin")
            ]
        );
        assert_eq!(history[1]["comment"], "减员原因说明过简");

        // An official enters May on the enterprise's behalf; May's previous is April's 90.
        // Below the baseline of 100 though up on April: the reason is still required.
        off.heping
            .post("/monitoring/reports", report(ent, MAY, 95, 5, 0))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let may = submit(&off.heping, with_reason(report(ent, MAY, 95, 5, 0))).await;
        let r = admin
            .get(&format!("/monitoring/reports/{may}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (r["previous"].as_i64(), r["on_behalf"].as_bool()),
            (Some(90), Some(true))
        );
        // Implausible counts are refused whole: no row, history, sums or audit change.
        for (hires, down) in [(1_000_000, 999_995), (i64::MAX - 5, i64::MAX)] {
            let body = with_reason(report(ent, MAY, 95, hires, down));
            let msg = refused(&off.heping, body).await;
            assert!(msg.contains("本月新增人数"), "{msg}");
        }
        let msg = refused(&off.heping, with_reason(report(ent, MAY, 0, 5, 96))).await;
        assert!(
            msg.contains("超过上月就业人数 90 与本月新增 5 之和 95"),
            "{msg}"
        );
        let history = admin
            .get(&format!("/monitoring/reports/{may}/history"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(history.as_array().unwrap().len(), 1);
        let audit = admin.audit("action=monitoring.report.submit").await;
        assert_eq!(audit.len(), 3, "{audit:?}");
        // The officer who entered it does not approve it too; the city does.
        let err = review(&off.heping, may, "approve", "")
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");
        assert!(
            err["message"].as_str().unwrap().contains("代企业填报"),
            "{err}"
        );
        review(&off.shenyang, may, "approve", "")
            .await
            .expect(StatusCode::OK);
    })
    .await;
}

/// Creates an enterprise in `region`, enrols it with `baseline` and reports April at the
/// baseline; returns its id.
async fn monitored(admin: &Client, name: &str, region: &str, body: &str, baseline: i64) -> i64 {
    let id = admin
        .create(
            "/enterprises",
            enterprise(name, &credit_code(region, body), region),
        )
        .await;
    enrol(admin, id, baseline).await;
    submit(admin, report(id, APRIL, baseline, 0, 0)).await;
    id
}

/// A month resubmitted while it is open, or entered after a later one, carries its headcount
/// into the next reported month's previous headcount; a next month that no longer adds up goes
/// back to the enterprise, and an approved one is not rewritten (decision 0008).
#[tokio::test]
async fn a_resubmitted_month_moves_the_next_months_previous_headcount() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        let off = ctx.officers().await;
        let e = monitored(&admin, "己机械", "210102", "MA0W0011", 100).await;
        let may = submit(&admin, report(e, MAY, 100, 0, 0)).await;
        let state = |id: i64| {
            let admin = &admin;
            async move {
                let r = admin
                    .get(&format!("/monitoring/reports/{id}"))
                    .await
                    .expect(StatusCode::OK);
                (
                    r["previous"].as_i64().unwrap(),
                    r["status"].as_str().unwrap().to_string(),
                )
            }
        };
        assert_eq!(state(may).await, (100, "submitted".into()));
        // April is still open: four more people. May (100 + 0 − 0 ≠ 100 from 104) goes back.
        submit(&admin, report(e, APRIL, 104, 4, 0)).await;
        assert_eq!(state(may).await, (104, "returned".into()));
        let history = admin
            .get(&format!("/monitoring/reports/{may}/history"))
            .await
            .expect(StatusCode::OK);
        assert!(
            history[1]["comment"]
                .as_str()
                .unwrap()
                .contains("上月（2020-04）就业人数改为 104 人"),
            "{history}"
        );
        // Corrected, May adds up again.
        submit(&admin, report(e, MAY, 104, 0, 0)).await;
        // March, entered late, is what April counts from; April still adds up from 100.
        let april = submit(&admin, report(e, APRIL, 104, 4, 0)).await;
        submit(&admin, report(e, "2020-03", 100, 0, 0)).await;
        assert_eq!(state(april).await, (100, "submitted".into()));
        assert_eq!(state(may).await, (104, "submitted".into()));
        // Once April is approved, a March that would change its base is refused, naming it.
        review(&off.shenyang, april, "approve", "")
            .await
            .expect(StatusCode::OK);
        let err = admin
            .post("/monitoring/reports", report(e, "2020-03", 102, 2, 0))
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");
        assert!(
            err["message"].as_str().unwrap().contains("2020-04 的月报"),
            "{err}"
        );
        assert_eq!(state(april).await, (100, "local_approved".into()));
    })
    .await;
}

/// The warnings of a rule in May seen by `c`: (enterprise id or 0, people, level).
async fn warnings_of(c: &Client, rule: &str, inbox: bool) -> Vec<(i64, i64, String)> {
    let (_, rows) = c
        .list(&format!("/monitoring/warnings?month={MAY}&inbox={inbox}"))
        .await;
    let mut out: Vec<_> = rows
        .iter()
        .filter(|w| w["rule"] == rule)
        .map(|w| {
            (
                w["enterprise_id"].as_i64().unwrap_or(0),
                w["people"].as_i64().unwrap(),
                w["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn warnings_fire_at_their_boundaries_and_reach_the_right_tiers() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        let off = ctx.officers().await;
        let a = monitored(&admin, "甲重工", "210102", "MA0W0001", 1000).await;
        let b = monitored(&admin, "乙机床", "210102", "MA0W0002", 1000).await;
        let c = monitored(&admin, "丙服装", "210102", "MA0W0003", 100).await;
        let d = monitored(&admin, "丁电子", "210102", "MA0W0004", 1000).await;
        let e = monitored(&admin, "戊化工", "210202", "MA0W0005", 1000).await;
        let f = monitored(&admin, "己钢铁", "210102", "MA0W0006", 1000).await;
        // May: a loses 200 (red, and only red), b 199 (yellow), c 49 = 49% (yellow by share),
        // d 49 = 4.9% (nothing), e in 大连 grows, f cuts 210 while hiring 100 (a net fall of
        // 110, but 210 people laid off at once: red).
        for (id, head, up, down) in [(a, 800, 0, 200), (b, 801, 0, 199), (c, 51, 0, 49), (d, 951, 0, 49), (f, 890, 100, 210)] {
            submit(&admin, with_reason(report(id, MAY, head, up, down))).await;
        }
        // The enterprise's own count: none of 沈阳's warnings (L9).
        ctx.user("wu", "enterprise", None, Some(&credit_code("210202", "MA0W0005"))).await;
        let wu = ctx.login("wu").await;
        let raised = wu
            .post("/monitoring/reports", report(e, MAY, 1010, 10, 0))
            .await
            .expect(StatusCode::OK);
        assert_eq!(raised["warnings_raised"], 0);
        let (total, _) = admin.list(&format!("/monitoring/warnings?month={MAY}")).await;
        assert!(total > 0);

        let red = warnings_of(&admin, "single_200", false).await;
        assert_eq!(red, [(a, 200, "red".to_string()), (f, 210, "red".to_string())]);
        let yellow: Vec<i64> = warnings_of(&admin, "enterprise_50", false).await.iter().map(|w| w.0).collect();
        assert_eq!(yellow, [b, c]);
        // 和平区 lost 607 of 4,100 = 14.8%: the county rate rule (5%) fires, the city's
        // (10% of 沈阳's 4,100) too; 大连 grew.
        assert_eq!(warnings_of(&admin, "county_rate_5", false).await.len(), 1);

        // Routing: the province's inbox holds the red ones, not the yellow ones nor the
        // county's loss since enrolment (607 people, but no one enterprise's layoff); the
        // county and city see all of theirs; 大连 sees none of 沈阳's.
        assert_eq!(warnings_of(&admin, "single_200", true).await.len(), 2);
        assert!(warnings_of(&admin, "enterprise_50", true).await.is_empty());
        assert!(warnings_of(&admin, "county_rate_5", true).await.is_empty());
        assert_eq!(warnings_of(&off.heping, "enterprise_50", true).await.len(), 2);
        assert_eq!(warnings_of(&off.shenyang, "single_200", true).await.len(), 2);
        assert!(warnings_of(&off.dalian, "enterprise_50", false).await.is_empty());

        // Running the month again changes nothing; correcting b's loss to 49 clears its warning.
        let again = admin.post(&format!("/monitoring/run?month={MAY}"), json!({})).await.expect(StatusCode::OK);
        assert_eq!((again["raised"].as_i64(), again["cleared"].as_i64()), (Some(0), Some(0)));
        submit(&admin, with_reason(report(b, MAY, 951, 0, 49))).await;
        let yellow: Vec<i64> = warnings_of(&admin, "enterprise_50", false).await.iter().map(|w| w.0).collect();
        assert_eq!(yellow, [c]);
        // A returned report leaves the month's warnings until it is submitted again.
        let (_, rows) = admin.list(&format!("/monitoring/reports?month={MAY}&name=丙服装")).await;
        let c_report = rows[0]["id"].as_i64().unwrap();
        review(&off.heping, c_report, "return", "减员人数请核实").await.expect(StatusCode::OK);
        assert!(warnings_of(&admin, "enterprise_50", false).await.is_empty());
        submit(&admin, with_reason(report(c, MAY, 51, 0, 49))).await;
        let yellow: Vec<i64> = warnings_of(&admin, "enterprise_50", false).await.iter().map(|w| w.0).collect();
        assert_eq!(yellow, [c]);

        // Handling: acknowledge, measures with people resettled, close; each step recorded.
        let (_, rows) = off.heping.list(&format!("/monitoring/warnings?month={MAY}&level=red")).await;
        let w = rows[0]["id"].as_i64().unwrap();
        let act = |action: &str, note: &str, resettled: i64| {
            json!({ "action": action, "note": note, "resettled": resettled })
        };
        let path = format!("/monitoring/warnings/{w}/actions");
        off.heping.post(&path, act("close", "已处置", 0)).await.expect(StatusCode::CONFLICT);
        off.heping.post(&path, act("explode", "", 0)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        off.heping.post(&path, act("acknowledge", "", 0)).await.expect(StatusCode::OK);
        off.heping.post(&path, act("handle", "", 0)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        // No more resettled than the warning is about, nor a sum that overflows.
        for too_many in [211, i64::MAX] {
            off.heping.post(&path, act("handle", "安置", too_many)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        }
        let h = off.heping
            .post(&path, act("handle", "组织专场招聘会，120人签约", 120))
            .await
            .expect(StatusCode::OK);
        assert_eq!((h["status"].as_str(), h["resettled"].as_i64()), (Some("handling"), Some(120)));
        off.dalian.post(&path, act("close", "越权", 0)).await.expect(StatusCode::NOT_FOUND);
        off.shenyang.post(&path, act("close", "全部安置", 0)).await.expect(StatusCode::OK);
        let events = admin.get(&format!("/monitoring/warnings/{w}/events")).await.expect(StatusCode::OK);
        let actions: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["raised", "acknowledge", "handle", "close"]);

        // The month's summary: six enterprises, their headcounts, the warnings by level.
        let s = admin.get(&format!("/monitoring/summary?month={MAY}")).await.expect(StatusCode::OK);
        assert_eq!((s["sample"].as_i64(), s["reported"].as_i64()), (Some(6), Some(6)));
        assert_eq!(s["total"]["baseline"], 5100);
        assert_eq!(s["total"]["headcount"], 800 + 951 + 51 + 951 + 890 + 1010);
        assert_eq!(s["reasons"][0]["label"], "订单不足");
        let shenyang = s["subregions"].as_array().unwrap().iter().find(|r| r["code"] == "210100").unwrap();
        assert_eq!(shenyang["headcount"], 800 + 951 + 51 + 951 + 890);
        // 沈阳's worst open warning: one red is closed, the other is not.
        let tiles = s["subregion_warnings"].as_array().unwrap();
        assert_eq!(tiles.len(), 1, "{tiles:?}");
        assert_eq!((tiles[0]["code"].as_str(), tiles[0]["worst_level"].as_str()), (Some("210100"), Some("red")));
        off.dalian.get(&format!("/monitoring/summary?month={MAY}&region=2101")).await.expect(StatusCode::NOT_FOUND);
    })
    .await;
}

/// The regions a rule's May warnings are about, with the people concerned.
async fn regions_of(c: &Client, rule: &str) -> Vec<(String, i64)> {
    let (_, rows) = c
        .list(&format!("/monitoring/warnings?month={MAY}&rule={rule}"))
        .await;
    let mut out: Vec<_> = rows
        .iter()
        .map(|w| {
            (
                w["region"].as_str().unwrap().to_string(),
                w["people"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn regional_rules_fire_at_their_boundaries() {
    for_each_backend(|ctx| async move {
        let (_, admin, _, _) = seeded(ctx).await;
        let mut n = 0;
        let mut add = async |county: &str, baseline: i64| {
            n += 1;
            monitored(
                &admin,
                &format!("监测{n}"),
                county,
                &format!("MA0R{n:04}"),
                baseline,
            )
            .await
        };
        // 沈河: five enterprises each losing 51, more than 50 (a cluster, and 5.1% of the
        // county); 铁西: five losing exactly 50 (no cluster, still 5.0%); 苏家屯: 49 of 1,000 (4.9%).
        for (county, count, head) in [("210103", 5, 949), ("210106", 5, 950), ("210111", 1, 951)] {
            for _ in 0..count {
                let id = add(county, 1000).await;
                submit(&admin, with_reason(report(id, MAY, head, 0, 1000 - head))).await;
            }
        }
        assert_eq!(
            regions_of(&admin, "county_cluster").await,
            [("210103".into(), 255)]
        );
        let rates: Vec<String> = regions_of(&admin, "county_rate_5")
            .await
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(rates, ["210103", "210106"]);

        // Year on year: 大连 lost 400 in May 2019 and 600 now (+50%): orange; 鞍山 599.
        for (county, now) in [("210202", 9_400), ("210302", 9_401)] {
            let id = add(county, 10_000).await;
            submit(&admin, with_reason(report(id, "2019-05", 9_600, 0, 400))).await;
            submit(&admin, with_reason(report(id, MAY, now, 0, 10_000 - now))).await;
        }
        assert_eq!(
            regions_of(&admin, "city_yoy").await,
            [("210200".into(), 600)]
        );
    })
    .await;
}

#[tokio::test]
async fn layoff_filings_derive_their_steps_and_wait_for_them() {
    for_each_backend(|ctx| async move {
        let (ctx, admin, reg, off) = seeded(ctx).await;
        let (ent, code) = reg.ent_heping.clone();
        ctx.user("qiye", "enterprise", None, Some(&code)).await;
        let qiye = ctx.login("qiye").await;

        let filing = |planned: i64, on: &str| {
            json!({ "planned": planned, "staff": 1000, "grounds": "serious_difficulty",
                    "planned_on": on, "explanation": "订单大幅下降" })
        };
        const PLANNED: &str = "2020-06-29";
        qiye.post("/monitoring/filings", filing(1001, PLANNED))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let mut bad = filing(10, PLANNED);
        bad["grounds"] = json!("老板不高兴");
        qiye.post("/monitoring/filings", bad).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        // Without a staff number the workforce comes from the monitoring sample: none yet, so
        // it must be given; enrolled with 1,000 (and no report yet), that baseline.
        let mut unsized_plan = filing(10, PLANNED);
        unsized_plan.as_object_mut().unwrap().remove("staff");
        let err = qiye
            .post("/monitoring/filings", unsized_plan.clone())
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(err["message"].as_str().unwrap().contains("请填写职工总数"), "{err}");
        enrol(&admin, ent, 1000).await;
        let sized = qiye.post("/monitoring/filings", unsized_plan).await.expect(StatusCode::CREATED);
        assert_eq!(sized["staff"], 1000);
        qiye.post(&format!("/monitoring/filings/{}/withdraw", sized["id"]), json!({})).await.expect(StatusCode::OK);
        // A plan is filed before it is carried out, not after (seed 二(五)).
        let err = qiye
            .post("/monitoring/filings", filing(60, "2020-05-30"))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(err["message"].as_str().unwrap().contains("须在实施前备案"), "{err}");

        // 199 people: Art. 41 and early intervention, an orange warning to county and city.
        let f199 = qiye.post("/monitoring/filings", filing(199, PLANNED)).await.expect(StatusCode::CREATED);
        // The same plan again (a repeated submission) is refused, naming the first.
        let again = qiye.post("/monitoring/filings", filing(199, PLANNED)).await;
        let body = again.expect_error(StatusCode::CONFLICT, "conflict");
        assert!(body["message"].as_str().unwrap().contains(&format!("编号 {}", f199["id"])), "{body}");
        assert_eq!(f199["requirements"], json!({ "art41": true, "early_intervention": true, "province_report": false }));
        assert!(warnings_of(&admin, "layoff_filing", true).await.is_empty());
        assert_eq!(warnings_of(&off.heping, "layoff_filing", true).await, [(ent, 199, "orange".into())]);
        // Withdrawn, it no longer calls for intervention: its warning is cleared by the system.
        let f199_id = f199["id"].as_i64().unwrap();
        qiye.post(&format!("/monitoring/filings/{f199_id}/withdraw"), json!({})).await.expect(StatusCode::OK);
        assert!(warnings_of(&off.heping, "layoff_filing", true).await.is_empty());
        let (_, cleared) = off.heping.list(&format!("/monitoring/warnings?month={MAY}&status=cleared")).await;
        let w = cleared[0]["id"].as_i64().unwrap();
        let events = off.heping.get(&format!("/monitoring/warnings/{w}/events")).await.expect(StatusCode::OK);
        assert_eq!(events[1]["note"], "企业已撤回裁员方案", "{events}");
        // 200 people: the province is told at once.
        let f = qiye.post("/monitoring/filings", filing(200, PLANNED)).await.expect(StatusCode::CREATED);
        assert_eq!(warnings_of(&admin, "layoff_filing", true).await, [(ent, 200, "red".into())]);
        let id = f["id"].as_i64().unwrap();
        let steps: Vec<&str> = f["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(steps, ["notify_staff", "hear_opinions", "report_labour", "early_intervention", "province_report"]);

        let implement = format!("/monitoring/filings/{id}/implement");
        let err = qiye.post(&implement, json!({})).await.expect_error(StatusCode::CONFLICT, "conflict");
        assert!(err["message"].as_str().unwrap().contains("尚未完成：提前30日向工会或全体职工说明情况"));
        let step = |s: &str, on: &str| json!({ "step": s, "done_on": on, "evidence": format!("{s} 记录") });
        let steps_path = format!("/monitoring/filings/{id}/steps");
        // A step is recorded once done, not ahead of time.
        let err = qiye
            .post(&steps_path, step("hear_opinions", "2020-06-01"))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(err["message"].as_str().unwrap().contains("晚于今天"), "{err}");
        // Too little notice is named; the enterprise cannot record the department's steps.
        qiye.post(&steps_path, step("notify_staff", "2020-05-31")).await.expect(StatusCode::OK);
        for (s, on) in [("hear_opinions", "2020-05-31"), ("report_labour", "2020-05-31")] {
            qiye.post(&steps_path, step(s, on)).await.expect(StatusCode::OK);
        }
        qiye.post(&steps_path, step("province_report", "2020-05-31")).await.expect(StatusCode::FORBIDDEN);
        off.heping.post(&steps_path, step("early_intervention", "2020-05-31")).await.expect(StatusCode::OK);
        off.dalian.post(&steps_path, step("province_report", "2020-05-31")).await.expect(StatusCode::NOT_FOUND);
        admin.post(&steps_path, step("province_report", "2020-05-31")).await.expect(StatusCode::OK);
        let err = qiye.post(&implement, json!({})).await.expect_error(StatusCode::CONFLICT, "conflict");
        let msg = err["message"].as_str().unwrap();
        assert!(msg.contains("不足 30 日") && msg.contains("尚未到达"), "{err}");
        qiye.post(&steps_path, step("notify_staff", "2020-05-30")).await.expect(StatusCode::OK);
        qiye.post(&steps_path, step("hear_opinions", "2020-05-30")).await.expect(StatusCode::OK);

        // After the layoff date: opinions heard only afterwards do not count (Art. 41).
        let ctx = ctx.with_as_of(date(2020, 7, 1));
        let qiye = ctx.login("qiye").await;
        qiye.post(&steps_path, step("report_labour", "2020-06-30")).await.expect(StatusCode::OK);
        let err = qiye.post(&implement, json!({})).await.expect_error(StatusCode::CONFLICT, "conflict");
        assert!(
            err["message"].as_str().unwrap().contains("“向劳动行政部门报告裁减人员方案”日期 2020-06-30 晚于裁员日期 2020-06-29"),
            "{err}"
        );
        qiye.post(&steps_path, step("report_labour", "2020-05-31")).await.expect(StatusCode::OK);
        let done = qiye.post(&implement, json!({})).await.expect(StatusCode::OK);
        assert_eq!((done["status"].as_str(), done["implemented_on"].as_str()), (Some("implemented"), Some("2020-07-01")));
        // The list carries each filing's steps as the detail does.
        let (total, listed) = admin.list("/monitoring/filings").await;
        assert_eq!(total, 3);
        assert_eq!(listed.iter().filter(|x| x["status"] == "withdrawn").count(), 2);
        let listed = listed.iter().find(|x| x["id"] == id).unwrap();
        assert_eq!(listed["steps"], done["steps"]);
        assert!(listed["steps"].as_array().unwrap().iter().all(|s| s["done_on"].is_string()));

        // Workers come from the enterprise's registered employees.
        let workers = format!("/monitoring/filings/{id}/workers");
        let err = qiye
            .post(&workers, json!({ "id_numbers": [reg.heping1.id_no, reg.dalian.id_no] }))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(err["message"].as_str().unwrap().contains("不是该企业登记在册的职工"));
        qiye.post(&workers, json!({ "id_numbers": [reg.heping1.id_no] })).await.expect(StatusCode::OK);
        // Named again, the same worker is not counted twice; a withdrawn plan takes none.
        let again = qiye.post(&workers, json!({ "id_numbers": [reg.heping1.id_no] })).await.expect(StatusCode::OK);
        assert_eq!(again["added"], 0);
        let withdrawn = format!("/monitoring/filings/{}/workers", f199["id"]);
        qiye.post(&withdrawn, json!({ "id_numbers": [reg.heping1.id_no] })).await.expect(StatusCode::CONFLICT);
        let list = admin.get(&workers).await.expect(StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["id_masked"], masked_id(&reg.heping1.id_no));
        assert_eq!(list[0]["status"], "not_employed");
        let fair = qiye
            .post(&format!("/monitoring/filings/{id}/job-fair"), json!({ "note": "机械类岗位 200 个，6 月上旬" }))
            .await
            .expect(StatusCode::OK);
        assert!(fair["job_fair_requested_at"].is_string());
        off.dalian.get(&format!("/monitoring/filings/{id}")).await.expect(StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn officials_import_reports_with_row_errors_and_no_duplicates() {
    for_each_backend(|ctx| async move {
        let (_, admin, reg, off) = seeded(ctx).await;
        let (heping, heping_code) = reg.ent_heping.clone();
        let (dalian, dalian_code) = reg.ent_dalian.clone();
        enrol(&admin, heping, 100).await;
        enrol(&admin, dalian, 300).await;
        let headers = [
            "统一社会信用代码",
            "月份",
            "调查期就业人数",
            "本月新增人数",
            "本月减少人数",
            "减员类型",
            "减员原因一",
            "原因说明一",
        ];
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let rows = [
            // Good: a fall with type and reason given by label.
            row(&[
                &heping_code,
                "2020-04",
                "90",
                "0",
                "10",
                "经济性裁员",
                "订单不足",
                "订单取消",
            ]),
            // A fall without a reason.
            row(&[&heping_code, "2020-05", "80", "0", "10", "", "", ""]),
            // Not a number; a month not a month.
            row(&[&heping_code, "2020-13", "九十", "0", "0", "", "", ""]),
            // 大连's enterprise is outside 沈阳's scope.
            row(&[&dalian_code, "2020-04", "300", "0", "0", "", "", ""]),
        ];
        let bytes = wenjiu_io::write_xlsx("月报", &headers, rows.iter().cloned()).unwrap();
        let r = off
            .shenyang
            .upload("/monitoring/reports/import", "月报.xlsx", &bytes)
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (r["rows"].as_i64(), r["accepted"].as_i64()),
            (Some(4), Some(1)),
            "{r}"
        );
        let rejected = r["rejected"].as_array().unwrap();
        let at = |n: usize| -> Vec<(String, String)> {
            rejected.iter().find(|x| x["row"] == n).unwrap()["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["column"].as_str().unwrap().into(),
                        e["message"].as_str().unwrap().into(),
                    )
                })
                .collect()
        };
        assert!(
            at(3)
                .iter()
                .any(|(c, m)| c == "减员类型" && m.contains("必须填写减员类型")),
            "{:?}",
            at(3)
        );
        let bad = at(4);
        assert!(bad.iter().any(|(c, _)| c == "调查期就业人数"), "{bad:?}");
        assert!(bad.iter().any(|(c, _)| c == "月份"), "{bad:?}");
        assert!(
            at(5)[0].1.contains("不是您数据范围内的监测企业"),
            "{:?}",
            at(5)
        );
        // The accepted report is on the enterprise's behalf, coded from the labels.
        let (_, list) = admin.list("/monitoring/reports?month=2020-04").await;
        assert_eq!(list.len(), 1);
        assert_eq!(
            (
                list[0]["on_behalf"].as_bool(),
                list[0]["decrease_type"].as_str()
            ),
            (Some(true), Some("03"))
        );
        assert_eq!(list[0]["reasons"][0]["code"], "04");
        // The same file again: still one report.
        off.shenyang
            .upload("/monitoring/reports/import", "月报.xlsx", &bytes)
            .await
            .expect(StatusCode::OK);
        assert_eq!(admin.list("/monitoring/reports?month=2020-04").await.0, 1);
    })
    .await;
}

/// Months not yet come are not chased or evaluated, enrolment precedes the reports, the
/// filings' rule code is reserved, and a new configuration is applied to the current month.
#[tokio::test]
async fn months_enrolment_and_configuration_are_checked() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        let e = monitored(&admin, "庚机械", "210102", "MA0W0021", 1000).await;
        let chase = json!({ "month": "2031-05", "enterprise_ids": [e] });
        admin
            .post("/monitoring/chase", chase)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        admin
            .post("/monitoring/run?month=2030-05", json!({}))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        for on in ["2030-01-01", "2020-05-01"] {
            let body = json!({ "enterprise_id": e, "enrolled_on": on, "baseline": 1000 });
            let err = admin
                .put("/monitoring/sample", body)
                .await
                .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
            assert!(
                err["message"].as_str().unwrap().contains("建档日期"),
                "{err}"
            );
        }

        // 250 cut in May: red. The filings' code cannot be taken by a configured rule.
        submit(&admin, with_reason(report(e, MAY, 750, 0, 250))).await;
        let config = admin.get("/monitoring/config").await.expect(StatusCode::OK);
        let mut rules = config["rules"].clone();
        rules[0]["code"] = json!("layoff_filing");
        admin
            .put("/monitoring/config", json!({ "rules": rules }))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        // Raising the red threshold to 300 applies to May at once: 250 is now yellow only.
        let mut rules = config["rules"].clone();
        let red = rules
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r["code"] == "single_200")
            .unwrap();
        red["min_people"] = json!(300);
        admin
            .put("/monitoring/config", json!({ "rules": rules }))
            .await
            .expect(StatusCode::NO_CONTENT);
        assert!(warnings_of(&admin, "single_200", false).await.is_empty());
        assert_eq!(
            warnings_of(&admin, "enterprise_50", false).await,
            [(e, 250, "yellow".into())]
        );
    })
    .await;
}
