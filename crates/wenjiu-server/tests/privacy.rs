//! Personal numbers: masked in every list and export; the full number only through an
//! explicit, permission-checked and audited reveal (or a revealing export).

mod common;

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use common::*;
use serde_json::{Value, json};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Asserts that no full ID or phone number of `people` occurs anywhere in `text`.
fn assert_no_full_numbers(what: &str, text: &str, people: &[&Seeded]) {
    for p in people {
        assert!(
            !text.contains(&p.id_no),
            "{what} contains the full ID number {}",
            p.id_no
        );
        assert!(
            !text.contains(&p.phone),
            "{what} contains the full phone number {}",
            p.phone
        );
    }
}

fn masked_phone(phone: &str) -> String {
    format!("{}****{}", &phone[..3], &phone[7..])
}

/// Downloads an export and reads it back.
async fn export(c: &Client, path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let r = c.get(path).await;
    r.expect(StatusCode::OK);
    let ct = r.headers.get(CONTENT_TYPE).unwrap().to_str().unwrap();
    assert_eq!(ct, XLSX, "{path}");
    read_table("export.xlsx", &r.body)
}

/// Every cell of a table as one text, for "appears nowhere" checks.
fn all_cells(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut s = headers.join("\t");
    for r in rows {
        s.push('\n');
        s.push_str(&r.join("\t"));
    }
    s
}

#[tokio::test]
async fn lists_and_details_mask_id_and_phone_numbers() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;
        let everyone = reg.everyone();

        let page = o.shenyang.get("/persons").await;
        page.expect(StatusCode::OK);
        assert_no_full_numbers("the person list", &page.text(), &everyone);
        let rows = page.json()["rows"].as_array().unwrap().clone();
        assert_eq!(rows.len(), 3);
        for row in &rows {
            let p = everyone.iter().find(|p| p.id == row["id"]).unwrap();
            assert_eq!(row["id_no_masked"], masked_id(&p.id_no), "{row}");
            assert!(
                row["id_no_masked"]
                    .as_str()
                    .unwrap()
                    .starts_with("2101**********")
            );
            assert_eq!(row["phone_masked"], masked_phone(&p.phone), "{row}");
        }

        // Details, registrations, households and the audit log hold no full number either.
        for path in [
            format!("/persons/{}", reg.heping1.id),
            format!("/persons/{}", reg.heping2.id),
            "/employments".to_string(),
            "/unemployments".to_string(),
            format!("/employments/{}", reg.emp_heping),
            format!("/unemployments/{}", reg.unemp_heping),
            "/households".to_string(),
        ] {
            let r = o.shenyang.get(&path).await;
            r.expect(StatusCode::OK);
            assert_no_full_numbers(&path, &r.text(), &everyone);
        }
        let emp = o
            .shenyang
            .get(&format!("/employments/{}", reg.emp_heping))
            .await
            .json();
        assert_eq!(emp["id_no_masked"], masked_id(&reg.heping1.id_no));
        let audit = admin.get("/audit?page_size=500").await;
        audit.expect(StatusCode::OK);
        assert_no_full_numbers("the audit log", &audit.text(), &everyone);
    })
    .await;
}

#[tokio::test]
async fn exports_are_masked_and_scoped() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;
        let everyone = reg.everyone();

        let (headers, rows) = export(&o.shenyang, "/persons/export").await;
        assert_eq!(rows.len(), 3, "the export holds the officer's people only");
        assert_no_full_numbers("the person export", &all_cells(&headers, &rows), &everyone);
        let mut shown = column(&headers, &rows, "身份证号");
        shown.sort();
        let mut expected: Vec<String> = [&reg.heping1, &reg.heping2, &reg.shenhe]
            .iter()
            .map(|p| masked_id(&p.id_no))
            .collect();
        expected.sort();
        assert_eq!(shown, expected);
        for region in column(&headers, &rows, "居住地区划代码") {
            assert!(region.starts_with("2101"), "{region}");
        }
        for phone in column(&headers, &rows, "手机号") {
            assert!(phone.contains("****"), "{phone}");
        }

        // The other exports, including the administrator's, are masked as well.
        for path in [
            "/employments/export",
            "/unemployments/export",
            "/persons/export",
        ] {
            let (headers, rows) = export(&admin, path).await;
            assert!(!rows.is_empty(), "{path}");
            assert_no_full_numbers(path, &all_cells(&headers, &rows), &everyone);
            for id in column(&headers, &rows, "身份证号") {
                assert_eq!(&id[4..14], "**********", "{path}: {id}");
            }
        }

        // Every export is audited, with whether it was masked.
        let records = admin.audit("action=person.export").await;
        assert_eq!(records.len(), 2, "{records:?}");
        assert!(
            records
                .iter()
                .all(|r| r["outcome"] == "ok" && r["detail"].as_str().unwrap().contains("脱敏"))
        );
        assert!(records.iter().any(|r| r["username"] == "shenyang"));
    })
    .await;
}

#[tokio::test]
async fn revealing_export_holds_full_numbers_and_is_audited() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;

        let (headers, rows) = export(&admin, "/persons/export?reveal=true").await;
        let mut ids = column(&headers, &rows, "身份证号");
        ids.sort();
        let mut expected: Vec<String> = reg.liaoning().iter().map(|p| p.id_no.clone()).collect();
        expected.sort();
        assert_eq!(
            ids, expected,
            "full ID numbers of the administrator's scope"
        );
        let phones = column(&headers, &rows, "手机号");
        assert!(phones.contains(&reg.dalian.phone), "{phones:?}");
        assert!(
            !all_cells(&headers, &rows).contains(&reg.beijing.id_no),
            "outside the scope"
        );

        let records = admin.audit("action=person.export").await;
        assert_eq!(records.len(), 1, "{records:?}");
        let r = &records[0];
        assert_eq!(
            (r["username"].as_str(), r["outcome"].as_str()),
            (Some("admin"), Some("ok"))
        );
        assert!(
            r["detail"].as_str().unwrap().contains("完整"),
            "the record says numbers were revealed: {r}"
        );

        // Without the reveal permission: refused, nothing exported.
        o.heping
            .get("/persons/export?reveal=true")
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        assert_eq!(
            admin
                .audit("action=person.export&username=heping")
                .await
                .iter()
                .filter(|r| r["outcome"] == "ok")
                .count(),
            0
        );
    })
    .await;
}

async fn reveal(c: &Client, id: i64, field: &str) -> common::Resp {
    c.post(&format!("/persons/{id}/reveal"), json!({ "field": field }))
        .await
}

fn reveal_records(records: &[Value], username: &str) -> Vec<Value> {
    records
        .iter()
        .filter(|r| r["username"] == username)
        .cloned()
        .collect()
}

#[tokio::test]
async fn reveal_needs_the_permission_and_is_audited() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;
        let target = format!("person:{}", reg.heping1.id);

        // A city officer may reveal.
        let body = reveal(&o.shenyang, reg.heping1.id, "id_no")
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["value"], reg.heping1.id_no);
        let body = reveal(&o.shenyang, reg.heping1.id, "phone")
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["value"], reg.heping1.phone);

        let records = reveal_records(&admin.audit("action=person.reveal").await, "shenyang");
        assert_eq!(records.len(), 2, "{records:?}");
        for r in &records {
            assert_eq!(r["target"], target, "{r}");
            assert_eq!(r["outcome"], "ok", "{r}");
        }
        let mut details: Vec<&str> = records
            .iter()
            .map(|r| r["detail"].as_str().unwrap())
            .collect();
        details.sort();
        assert_eq!(details, ["id_no", "phone"]);

        // The county officer may not: 403, no number, and a "denied" record.
        let r = reveal(&o.heping, reg.heping1.id, "id_no").await;
        let body = r.expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        assert!(!r.text().contains(&reg.heping1.id_no), "{body}");
        let records = reveal_records(&admin.audit("action=person.reveal").await, "heping");
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!(records[0]["outcome"], "denied");
        assert_eq!(records[0]["target"], target);

        // A person outside the scope is not found, permission or not.
        let r = reveal(&o.shenyang, reg.dalian.id, "id_no").await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
        assert!(!r.text().contains(&reg.dalian.id_no));
    })
    .await;
}

/// An enterprise sees the people it employs or employed, but not what the public employment
/// service knows of them: status, key groups, difficulties, household (decision 0023).
#[tokio::test]
async fn an_enterprise_does_not_see_its_peoples_standing_with_the_service() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        ctx.user("heping_factory", "enterprise", None, Some(&reg.ent_heping.1)).await;
        let ent = ctx.login("heping_factory").await;
        // A former employee, registered unemployed since.
        admin
            .create(
                "/employments",
                json!({ "id_no": reg.heping2.id_no, "kind": "单位就业", "employer_credit_code": reg.ent_heping.1,
                        "start_date": "2019-01-02", "end_date": "2019-06-30", "area": "城镇", "region": "210102" }),
            )
            .await;
        let service = ["status", "key_groups", "difficulty", "household_id", "household_no", "veteran", "attributes"];

        let path = format!("/persons/{}", reg.heping2.id);
        let full = admin.get(&path).await.expect(StatusCode::OK);
        assert_eq!(full["status"], "unemployed", "{full}");
        let seen = ent.get(&path).await.expect(StatusCode::OK);
        assert_eq!(seen["name"], full["name"], "{seen}");
        for field in service {
            assert!(full.get(field).is_some(), "officials see {field}: {full}");
            assert!(seen.get(field).is_none(), "the enterprise sees {field}: {seen}");
        }
        let (total, rows) = ent.list("/persons").await;
        assert_eq!(total, 2);
        for row in &rows {
            for field in service {
                assert!(row.get(field).is_none(), "the list shows {field}: {row}");
            }
        }

        // Nor may it pick its people by what it does not see.
        for (query, column) in [("key_group=unemployed_6m", "key_group"), ("status=unemployed", "status")] {
            let body = ent.get(&format!("/persons?{query}")).await.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
            assert_eq!(body["fields"][0]["column"], column, "{body}");
        }

        // An export with the enterprise's scope (a role that may export: roles and scopes are
        // set apart) leaves those columns blank; an official's does not.
        ctx.user("heping_hr", "city_officer", None, Some(&reg.ent_heping.1)).await;
        let hr = ctx.login("heping_hr").await;
        let (headers, rows) = export(&hr, "/persons/export").await;
        assert_eq!(rows.len(), 2);
        for header in ["户编号", "登记状态", "重点群体", "就业困难类别", "退役军人"] {
            assert!(column(&headers, &rows, header).iter().all(String::is_empty), "{header}");
        }
        let (headers, rows) = export(&admin, "/persons/export").await;
        assert!(column(&headers, &rows, "登记状态").iter().all(|s| !s.is_empty()));

        // Its home page counts its staff, now and ever, and nothing of the service's.
        let home = ent.get("/stats/overview").await.expect(StatusCode::OK);
        assert_eq!((home["people"].as_i64(), home["employed"].as_i64()), (Some(2), Some(1)), "{home}");
        assert_eq!((&home["unemployed"], &home["zero_households"]), (&Value::Null, &Value::Null), "{home}");
        assert_eq!(home["key_groups"], json!([]), "{home}");
        let official = admin.get("/stats/overview").await.expect(StatusCode::OK);
        assert!(official["unemployed"].as_i64().unwrap() > 0, "{official}");
    })
    .await;
}
