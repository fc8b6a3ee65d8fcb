//! Tallies (decisions 0020, 0021): the counts behind the home page and the lists' totals
//! come from the person, registration, enterprise and household tallies with what is not
//! folded yet, which the triggers keep equal to the registry through every kind of write.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::Row;

/// Rows of four columns, the last a count: (region, status, key groups, n) and the like.
async fn counts(ctx: &Ctx, sql: &str) -> Vec<(String, String, String, i64)> {
    ctx.raw_rows(sql)
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

/// A tally as the tests see it: its table, its keys, and each table it counts with that
/// table's columns for the keys and which row of the marks is its.
struct Tallied {
    table: &'static str,
    keys: [&'static str; 3],
    sources: &'static [(&'static str, [&'static str; 3], &'static str)],
}

/// Every tally, with a blank third key where a tally has two.
const TALLIES: [Tallied; 4] = [
    Tallied {
        table: "person_tally",
        keys: ["region", "status", "key_groups"],
        sources: &[("person", ["region", "status", "key_groups"], "")],
    },
    Tallied {
        table: "registration_tally",
        keys: ["kind", "region", "month"],
        sources: &[
            (
                "employment",
                ["'employment'", "region", "SUBSTR(start_date, 1, 7)"],
                " WHERE kind = 'employment'",
            ),
            (
                "unemployment",
                ["'unemployment'", "region", "SUBSTR(registered_on, 1, 7)"],
                " WHERE kind = 'unemployment'",
            ),
        ],
    },
    Tallied {
        table: "enterprise_tally",
        keys: ["region", "industry", "size_class"],
        sources: &[("enterprise", ["region", "industry", "size_class"], "")],
    },
    Tallied {
        table: "household_tally",
        keys: ["region", "zero_employment", "''"],
        sources: &[("household", ["region", "zero_employment", "''"], "")],
    },
];

/// `columns` as text named k0, k1, k2.
fn as_keys(columns: &[&str; 3]) -> String {
    let named: Vec<String> = (columns.iter().enumerate())
        .map(|(i, c)| format!("CAST({c} AS TEXT) AS k{i}"))
        .collect();
    named.join(", ")
}

/// Every tally, folded or not, says exactly what counting its tables says.
async fn assert_tallied(ctx: &Ctx, when: &str) {
    for t in &TALLIES {
        let table = t.table;
        let truth: Vec<String> = (t.sources.iter())
            .map(|(source, columns, _)| format!("SELECT {} FROM {source}", as_keys(columns)))
            .collect();
        let truth = counts(
            ctx,
            &format!(
                "SELECT k0, k1, k2, CAST(COUNT(*) AS BIGINT) FROM ({}) s \
                 GROUP BY k0, k1, k2 ORDER BY 1, 2, 3",
                truth.join(" UNION ALL ")
            ),
        )
        .await;
        let mut parts = vec![
            format!("SELECT {}, n FROM {table}", as_keys(&t.keys)),
            format!("SELECT {}, d FROM {table}_delta", as_keys(&t.keys)),
        ];
        parts.extend(t.sources.iter().map(|(source, columns, mark)| {
            format!(
                "SELECT {}, 1 FROM {source} WHERE id > (SELECT id_upto FROM {table}_mark{mark})",
                as_keys(columns)
            )
        }));
        let tallied = counts(
            ctx,
            &format!(
                "SELECT k0, k1, k2, CAST(SUM(n) AS BIGINT) FROM ({}) t \
                 GROUP BY k0, k1, k2 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3",
                parts.join(" UNION ALL ")
            ),
        )
        .await;
        assert!(!truth.is_empty(), "{table}");
        assert_eq!(tallied, truth, "{table}: {} {when}", ctx.backend);
    }
}

/// How many rows `table` has under `prefix` meeting `condition` (counted).
async fn counted_rows(ctx: &Ctx, table: &str, prefix: &str, condition: &str) -> i64 {
    counts(
        ctx,
        &format!(
            "SELECT '', '', '', CAST(COUNT(*) AS BIGINT) FROM {table} \
             WHERE region LIKE '{prefix}%' {condition}"
        ),
    )
    .await[0]
        .3
}

/// How many people the registry has under `prefix` with `status` and `group` (counted).
async fn counted(ctx: &Ctx, prefix: &str, status: Option<&str>, group: Option<&str>) -> i64 {
    counts(
        ctx,
        &format!(
            "SELECT region, status, key_groups, CAST(COUNT(*) AS BIGINT) FROM person \
             WHERE region LIKE '{prefix}%' GROUP BY region, status, key_groups"
        ),
    )
    .await
    .iter()
    .filter(|(_, s, _, _)| status.is_none_or(|want| s == want))
    .filter(|(_, _, g, _)| group.is_none_or(|want| g.contains(&format!(" {want} "))))
    .map(|r| r.3)
    .sum()
}

/// Names may not hold digits.
const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn total(page: &Value) -> i64 {
    page["total"].as_i64().unwrap()
}

/// The home page and the list's totals for a 沈阳 officer equal what counting says.
async fn assert_shenyang_figures(ctx: &Ctx, shenyang: &Client) {
    let o = shenyang.get("/stats/overview").await.expect(StatusCode::OK);
    assert_eq!(o["people"], json!(counted(ctx, "2101", None, None).await));
    assert_eq!(
        o["employed"],
        json!(counted(ctx, "2101", Some("employed"), None).await)
    );
    assert_eq!(
        o["unemployed"],
        json!(counted(ctx, "2101", Some("unemployed"), None).await)
    );
    for m in o["by_month"].as_array().unwrap() {
        let month = m["month"].as_str().unwrap();
        for (kind, column) in [
            ("employment", "start_date"),
            ("unemployment", "registered_on"),
        ] {
            let counted = counts(
                ctx,
                &format!(
                    "SELECT '', '', '', CAST(COUNT(*) AS BIGINT) FROM {kind} \
                     WHERE region LIKE '2101%' AND SUBSTR({column}, 1, 7) = '{month}'"
                ),
            )
            .await[0]
                .3;
            assert_eq!(m[kind], json!(counted), "{kind} {month}");
        }
    }
    for g in o["key_groups"].as_array().unwrap() {
        let code = g["code"].as_str().unwrap();
        assert_eq!(
            g["count"],
            json!(counted(ctx, "2101", None, Some(code)).await),
            "{code}"
        );
    }
    assert_eq!(
        o["enterprises"],
        json!(counted_rows(ctx, "enterprise", "2101", "").await)
    );
    let zero = "AND zero_employment = 1";
    assert_eq!(
        o["zero_households"],
        json!(counted_rows(ctx, "household", "2101", zero).await)
    );
    for (list, table, prefix, condition) in [
        ("/enterprises", "enterprise", "2101", ""),
        (
            "/enterprises?industry=C",
            "enterprise",
            "2101",
            "AND industry = 'C'",
        ),
        // By name, as every code table takes it: 微型.
        (
            "/enterprises?size_class=%E5%BE%AE%E5%9E%8B",
            "enterprise",
            "2101",
            "AND size_class = 'micro'",
        ),
        (
            "/enterprises?region=210102&industry=F&size_class=small",
            "enterprise",
            "210102",
            "AND industry = 'F' AND size_class = 'small'",
        ),
        // A name is counted, not tallied.
        (
            "/enterprises?name=%E5%95%86%E8%B4%B8",
            "enterprise",
            "2101",
            "AND name LIKE '%商贸%'",
        ),
        ("/households", "household", "2101", ""),
        // A household number is counted, not tallied; spaces around it are not part of it.
        (
            "/households?household_no=%20HH-T-0%20",
            "household",
            "2101",
            "AND household_no = 'HH-T-0'",
        ),
        (
            "/households?zero_employment=true",
            "household",
            "2101",
            zero,
        ),
        (
            "/households?region=210103&zero_employment=false",
            "household",
            "210103",
            "AND zero_employment = 0",
        ),
    ] {
        let page = shenyang.get(list).await.expect(StatusCode::OK);
        let want = counted_rows(ctx, table, prefix, condition).await;
        assert_eq!(total(&page), want, "{list}");
    }
    let bad = shenyang
        .get("/enterprises?size_class=huge")
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(bad["message"].as_str().unwrap().contains("huge"), "{bad}");
    let bad = shenyang
        .get("/persons?status=retired")
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(
        bad["message"].as_str().unwrap().contains("retired"),
        "{bad}"
    );
    for (query, prefix, status, group) in [
        ("", "2101", None, None),
        ("?status=unemployed", "2101", Some("unemployed"), None),
        // The label, as every code table takes it: 登记失业.
        (
            "?status=%E7%99%BB%E8%AE%B0%E5%A4%B1%E4%B8%9A",
            "2101",
            Some("unemployed"),
            None,
        ),
        (
            "?region=210102&status=employed",
            "210102",
            Some("employed"),
            None,
        ),
        (
            "?key_group=unemployed_6m",
            "2101",
            None,
            Some("unemployed_6m"),
        ),
        ("?region=210103", "210103", None, None),
    ] {
        let page = shenyang
            .get(&format!("/persons{query}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            total(&page),
            counted(ctx, prefix, status, group).await,
            "{query}"
        );
    }
}

/// Every page of one of the 沈阳 officer's lists (`/persons`, `/enterprises`, `/households`)
/// in small pages, the first few read in id order, the later ones through the region index,
/// is the region's rows meeting `condition` in id order.
async fn assert_pages(ctx: &Ctx, shenyang: &Client, list: &str, condition: &str) {
    let (path, query) = list.split_once('?').unwrap_or((list, ""));
    let table = match path {
        "/persons" => "person",
        "/enterprises" => "enterprise",
        _ => "household",
    };
    let want: Vec<i64> = counts(
        ctx,
        &format!(
            "SELECT '', '', '', id FROM {table} WHERE region LIKE '2101%' {condition} ORDER BY id"
        ),
    )
    .await
    .iter()
    .map(|r| r.3)
    .collect();
    let mut got = Vec::new();
    for page in 1.. {
        let p = shenyang
            .get(&format!("{path}?page_size=5&page={page}&{query}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(total(&p), want.len() as i64, "{list}");
        let rows = p["rows"].as_array().unwrap();
        if rows.is_empty() {
            break;
        }
        got.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
    }
    assert_eq!(got, want, "{list}");
}

#[tokio::test]
async fn tallies_follow_every_write() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 12, 31));
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let reg = seed_registry(&ctx, &admin).await;
        // Single edits leave deltas unfolded: readers add them.
        assert_tallied(&ctx, "after single edits").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;

        // An import writes many at once, and folds them.
        let mut lines = String::from("姓名,身份证号,手机号,学历,户口性质,居住地区划代码,户编号\n");
        for seq in 0..40u16 {
            let area = ["210102", "210103", "210202", "210111"][seq as usize % 4];
            lines.push_str(&format!(
                "导入{}{},{},1390000{seq:04},本科,城镇,{area},HH-T-{}\n",
                DIGITS[seq as usize / 10],
                DIGITS[seq as usize % 10],
                id_no(area, 200 + seq),
                seq / 2
            ));
        }
        let report = admin
            .upload("/imports/person?wait=true", "person.csv", lines.as_bytes())
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["inserted"], json!(40), "{report}");
        assert_tallied(&ctx, "after an import").await;
        assert_pages(&ctx, &o.shenyang, "/persons", "").await;
        assert_pages(&ctx, &o.shenyang, "/persons?status=none", "AND status = 'none'").await;
        assert_pages(&ctx, &o.shenyang, "/households", "").await;
        let unfolded = "SELECT '', '', '', CAST(COUNT(*) AS BIGINT) FROM person_tally_delta";
        assert_eq!(counts(&ctx, unfolded).await[0].3, 0, "the import folded");
        // Imported again with a quarter of them moved: updates, not inserts.
        let moved = lines.replace(",210111,", ",210112,");
        let report = admin
            .upload("/imports/person?wait=true", "person.csv", moved.as_bytes())
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["updated"], json!(40), "{report}");
        assert_tallied(&ctx, "after an import that moves people").await;

        // Enterprises the same way: imported, then again with a quarter moved and resized.
        let mut lines = String::from("统一社会信用代码,单位名称,行业门类,经济类型,企业规模,所在地区划代码,参保人数\n");
        for seq in 0..40u16 {
            let area = ["210102", "210103", "210202", "210111"][seq as usize % 4];
            let kind = ["商贸公司", "机械厂", "建筑公司"][seq as usize % 3];
            lines.push_str(&format!(
                "{},沈阳{}{}{kind},{},私营,{},{area},{}\n",
                credit_code(area, &format!("MA0T{seq:04}")),
                DIGITS[seq as usize / 10],
                DIGITS[seq as usize % 10],
                ["F", "C", "E"][seq as usize % 3],
                ["小型", "微型"][seq as usize % 2],
                5 + seq
            ));
        }
        let report = admin
            .upload("/imports/enterprise?wait=true", "enterprise.csv", lines.as_bytes())
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["inserted"], json!(40), "{report}");
        assert_tallied(&ctx, "after an enterprise import").await;
        assert_pages(&ctx, &o.shenyang, "/enterprises", "").await;
        let micro = "AND size_class = 'micro'";
        assert_pages(&ctx, &o.shenyang, "/enterprises?size_class=micro", micro).await;
        let moved = lines.replace(",私营,微型,210111,", ",私营,中型,210112,");
        assert_eq!(moved.matches("中型").count(), 10);
        let report = admin
            .upload("/imports/enterprise?wait=true", "enterprise.csv", moved.as_bytes())
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["updated"], json!(40), "{report}");
        assert_tallied(&ctx, "after an import that moves enterprises").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;

        // Status and key groups change with registrations; a person moves county.
        let h = &reg.heping1;
        admin
            .put(
                &format!("/persons/{}", h.id),
                person("和平甲", &h.id_no, "210103", &h.phone),
            )
            .await
            .expect(StatusCode::NO_CONTENT);
        admin
            .create(
                "/unemployments",
                json!({ "id_no": id_no("210111", 203), "registered_on": "2020-03-01",
                        "region": "210111", "reason": "辞职" }),
            )
            .await;
        assert_tallied(&ctx, "after registrations and a move").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;
        assert_pages(
            &ctx,
            &o.shenyang,
            "/persons?status=unemployed",
            "AND status = 'unemployed'",
        )
        .await;

        // Folding changes nothing a reader sees; neither does a fold with nothing to fold.
        ctx.store.fold_tallies().await.unwrap();
        assert_tallied(&ctx, "after a fold").await;
        ctx.store.fold_tallies().await.unwrap();
        assert_shenyang_figures(&ctx, &o.shenyang).await;

        // Registrations changed, and removed, outside the application (the newest too).
        ctx.raw_sql(&format!(
            "UPDATE employment SET region = '210103', start_date = '2020-07-01' WHERE id = {}",
            reg.emp_heping
        ))
        .await;
        ctx.raw_sql(&format!("DELETE FROM unemployment WHERE id = {}", reg.unemp_anshan)).await;
        ctx.raw_sql("DELETE FROM employment WHERE id = (SELECT MAX(id) FROM employment)").await;
        assert_tallied(&ctx, "after registrations edited by hand").await;
        admin
            .create(
                "/employments",
                json!({ "id_no": id_no("210102", 204), "kind": "灵活就业", "start_date": "2020-08-01",
                        "area": "城镇", "region": "210102" }),
            )
            .await;
        assert_tallied(&ctx, "after an employment in the newest's place").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;

        // Enterprises and households changed and removed outside the application, the
        // newest too, and new ones in their place.
        let ent = reg.ent_heping.0;
        ctx.raw_sql(&format!("UPDATE enterprise SET size_class = 'large' WHERE id = {ent}"))
            .await;
        ctx.raw_sql("DELETE FROM enterprise WHERE id = (SELECT MAX(id) FROM enterprise)").await;
        let newest = "(SELECT MAX(id) FROM household)";
        ctx.raw_sql(&format!("UPDATE household SET region = '210103' WHERE id = {newest}")).await;
        ctx.raw_sql(&format!("UPDATE person SET household_id = NULL WHERE household_id = {newest}"))
            .await;
        ctx.raw_sql(&format!("DELETE FROM household WHERE id = {newest}")).await;
        assert_tallied(&ctx, "after enterprises and households edited by hand").await;
        admin
            .create(
                "/enterprises",
                enterprise("新建商贸公司", &credit_code("210102", "MA0T9999"), "210102"),
            )
            .await;
        let mut p = person("新户", &id_no("210102", 301), "210102", "13900000301");
        p["household_no"] = json!("HH-NEW-1");
        admin.create("/persons", p).await;
        assert_tallied(&ctx, "after an enterprise and a household in the newest's place").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;

        // Removed outside the application, and the business date's key groups derived again.
        ctx.raw_sql(&format!("DELETE FROM person WHERE id = {}", reg.beijing.id))
            .await;
        // The newest person too: the next is given the same id again (SQLite), which must
        // still be counted.
        ctx.raw_sql("DELETE FROM person WHERE id = (SELECT MAX(id) FROM person)")
            .await;
        assert_tallied(&ctx, "after deleting the newest").await;
        admin
            .create(
                "/persons",
                person("新人", &id_no("210102", 300), "210102", "13900000300"),
            )
            .await;
        assert_tallied(&ctx, "after a person in the newest's place").await;
        ctx.store.refresh_all(|_| {}).await.unwrap();
        assert_tallied(&ctx, "after a delete and a refresh").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;

        // Tallies spoiled by hand (as a TRUNCATE would leave them) are counted afresh.
        ctx.raw_sql("DELETE FROM person_tally").await;
        ctx.raw_sql("UPDATE enterprise_tally SET n = n + 5").await;
        ctx.raw_sql(
            "INSERT INTO household_tally_delta (region, zero_employment, d) VALUES ('210102', 0, 7)",
        )
        .await;
        ctx.raw_sql("DELETE FROM registration_tally WHERE kind = 'employment'").await;
        ctx.store.rebuild_tallies().await.unwrap();
        assert_tallied(&ctx, "after a rebuild").await;
        assert_shenyang_figures(&ctx, &o.shenyang).await;
    })
    .await;
}
