//! Tallies (decision 0020): the counts behind the home page and the person list's total
//! come from `person_tally` and `registration_tally` with what is not folded yet, which the
//! triggers keep equal to the registry through every kind of write.

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

/// The tallies, folded and not, say exactly what counting the registry says.
async fn assert_tallied(ctx: &Ctx, when: &str) {
    let truth = counts(
        ctx,
        "SELECT region, status, key_groups, CAST(COUNT(*) AS BIGINT) FROM person \
         GROUP BY region, status, key_groups ORDER BY 1, 2, 3",
    )
    .await;
    let tallied = counts(
        ctx,
        "SELECT region, status, key_groups, CAST(SUM(n) AS BIGINT) FROM (\
         SELECT region, status, key_groups, n FROM person_tally UNION ALL \
         SELECT region, status, key_groups, d FROM person_tally_delta UNION ALL \
         SELECT region, status, key_groups, 1 FROM person \
         WHERE id > (SELECT id_upto FROM person_tally_mark)) t \
         GROUP BY region, status, key_groups HAVING SUM(n) <> 0 ORDER BY 1, 2, 3",
    )
    .await;
    assert!(!truth.is_empty());
    assert_eq!(tallied, truth, "{} {when}", ctx.backend);

    let truth = counts(
        ctx,
        "SELECT 'employment', region, SUBSTR(start_date, 1, 7), CAST(COUNT(*) AS BIGINT) FROM employment \
         GROUP BY region, SUBSTR(start_date, 1, 7) UNION ALL \
         SELECT 'unemployment', region, SUBSTR(registered_on, 1, 7), CAST(COUNT(*) AS BIGINT) FROM unemployment \
         GROUP BY region, SUBSTR(registered_on, 1, 7) ORDER BY 1, 2, 3",
    )
    .await;
    let tallied = counts(
        ctx,
        "SELECT kind, region, month, CAST(SUM(n) AS BIGINT) FROM (\
         SELECT kind, region, month, n FROM registration_tally UNION ALL \
         SELECT kind, region, month, d FROM registration_tally_delta UNION ALL \
         SELECT 'employment', region, SUBSTR(start_date, 1, 7), 1 FROM employment \
         WHERE id > (SELECT id_upto FROM registration_tally_mark WHERE kind = 'employment') UNION ALL \
         SELECT 'unemployment', region, SUBSTR(registered_on, 1, 7), 1 FROM unemployment \
         WHERE id > (SELECT id_upto FROM registration_tally_mark WHERE kind = 'unemployment')) t \
         GROUP BY kind, region, month HAVING SUM(n) <> 0 ORDER BY 1, 2, 3",
    )
    .await;
    assert_eq!(tallied, truth, "registrations: {} {when}", ctx.backend);
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

/// Every page of the 沈阳 officer's list, small pages (the first few read the registry in id
/// order, the later ones through the region index), is the region's people in id order.
async fn assert_pages(ctx: &Ctx, shenyang: &Client, query: &str, condition: &str) {
    let want: Vec<i64> = counts(
        ctx,
        &format!(
            "SELECT '', '', '', id FROM person WHERE region LIKE '2101%' {condition} ORDER BY id"
        ),
    )
    .await
    .iter()
    .map(|r| r.3)
    .collect();
    let mut got = Vec::new();
    for page in 1.. {
        let p = shenyang
            .get(&format!("/persons?page_size=5&page={page}{query}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(total(&p), want.len() as i64, "{query}");
        let rows = p["rows"].as_array().unwrap();
        if rows.is_empty() {
            break;
        }
        got.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
    }
    assert_eq!(got, want, "{query}");
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
        assert_pages(&ctx, &o.shenyang, "", "").await;
        assert_pages(&ctx, &o.shenyang, "&status=none", "AND status = 'none'").await;
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
            "&status=unemployed",
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
    })
    .await;
}
