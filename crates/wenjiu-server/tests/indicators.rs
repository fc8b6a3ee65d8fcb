//! Indicators through the real router on SQLite and PostgreSQL: counts computed from the
//! registry move exactly with one registration; published months are locked and corrected by
//! versions; targets import with row-level errors and sum-checks; the bulletin is scoped.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wenjiu_core::IdCardNo;

const MAY: &str = "2020-05";

/// The printed "1月至本月累计" cell of an indicator's table for each region, total first.
async fn cumulative(c: &Client, region: &str, code: &str) -> Vec<(String, String)> {
    let b = c
        .get(&format!("/indicators/bulletin?region={region}&month={MAY}"))
        .await
        .expect(StatusCode::OK);
    let s = b["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("no section {code}: {b}"))
        .clone();
    let cell = |r: &Value| {
        (
            r["region"].as_str().unwrap().to_string(),
            r["cells"][1].as_str().unwrap().to_string(),
        )
    };
    let mut all = vec![cell(&s["total"])];
    all.extend(s["rows"].as_array().unwrap().iter().map(cell));
    all
}

/// The ledger's (region, month, value) rows of an indicator, sorted.
async fn ledger(c: &Client, code: &str) -> Vec<(String, String, String)> {
    let (_, rows) = c
        .list(&format!("/indicators/ledger?indicator={code}"))
        .await;
    let mut v: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("region"), s("month"), s("value"))
        })
        .collect();
    v.sort();
    v
}

fn row(region: &str, month: &str, value: &str) -> (String, String, String) {
    (region.to_string(), month.to_string(), value.to_string())
}

/// A workbook of one sheet holding `rows` as text cells.
fn text_sheet<const N: usize>(rows: &[[&str; N]]) -> rust_xlsxwriter::Workbook {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book
}

async fn refresh(c: &Client) {
    c.post("/indicators/refresh", json!({ "year": 2020 }))
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn one_registration_moves_its_city_and_province_by_one() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        let reg = seed_registry(&ctx, &admin).await;
        refresh(&admin).await;
        let code = "urban_newly_employed";
        let before = cumulative(&admin, "210000", code).await;
        // 和平 (heping1, March), 沈阳沈河 (May) and 大连 (April) started new jobs this year.
        assert_eq!(before[0], ("210000".into(), "3".into()), "{before:?}");

        // A new person in 沈阳 starts work in May.
        let id_no = id_no("210102", 901);
        admin
            .create(
                "/persons",
                person("新就业", &id_no, "210102", "13900000901"),
            )
            .await;
        admin
            .create(
                "/employments",
                json!({ "id_no": id_no, "kind": "灵活就业", "start_date": "2020-05-12",
                        "area": "城镇", "region": "210102" }),
            )
            .await;
        // heping1 leaves in April and starts again in May: still one person this year.
        admin
            .put(
                &format!("/employments/{}", reg.emp_heping),
                json!({ "id_no": reg.heping1.id_no, "kind": "单位就业",
                        "employer_credit_code": reg.ent_heping.1, "start_date": "2020-03-01",
                        "end_date": "2020-04-10", "area": "城镇", "region": "210102" }),
            )
            .await
            .expect(StatusCode::NO_CONTENT);
        admin
            .create(
                "/employments",
                json!({ "id_no": reg.heping1.id_no, "kind": "灵活就业", "start_date": "2020-05-20",
                        "area": "城镇", "region": "210102" }),
            )
            .await;
        // A renewal without a gap is not new employment either.
        admin
            .create(
                "/employments",
                json!({ "id_no": reg.dalian.id_no, "kind": "灵活就业", "start_date": "2020-05-25",
                        "area": "城镇", "region": "210202" }),
            )
            .await;
        refresh(&admin).await;
        let after = cumulative(&admin, "210000", code).await;
        for (b, a) in before.iter().zip(&after) {
            let moved = a.1 != b.1;
            let expected = a.0 == "210000" || a.0 == "210100";
            assert_eq!(moved, expected, "{} {} → {}", b.0, b.1, a.1);
        }
        assert_eq!(after[0].1, "4");
        let shenyang = after.iter().find(|r| r.0 == "210100").unwrap();
        assert_eq!(shenyang.1, "3");
    })
    .await;
}

#[tokio::test]
async fn published_month_is_locked_and_corrected_by_versions() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        seed_registry(&ctx, &admin).await;
        let o = ctx.officers().await;
        let employed = json!({ "indicator": "urban_employed", "region": "210100",
                               "month": MAY, "value": "1000" });
        admin
            .put("/indicators/ledger", employed.clone())
            .await
            .expect(StatusCode::NO_CONTENT);
        // A computed indicator is not entered by hand.
        admin
            .put(
                "/indicators/ledger",
                json!({ "indicator": "urban_newly_employed", "region": "210100",
                        "month": MAY, "value": "9" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        // Nor a month that has not come, and it has no bulletin.
        let mut june = employed.clone();
        june["month"] = json!("2020-06");
        admin
            .put("/indicators/ledger", june)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        admin
            .get("/indicators/bulletin?region=210000&month=2020-06")
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        // Only the province publishes.
        o.shenyang
            .post("/indicators/publish", json!({ "region": "210000", "month": MAY }))
            .await
            .expect(StatusCode::FORBIDDEN);
        admin
            .post("/indicators/publish", json!({ "region": "210000", "month": MAY }))
            .await
            .expect(StatusCode::NO_CONTENT);
        // Locked: no more entries, and a recount leaves the month alone.
        admin
            .put("/indicators/ledger", employed)
            .await
            .expect(StatusCode::CONFLICT);
        let before = cumulative(&admin, "210000", "urban_newly_employed").await;
        assert_eq!(before[0].1, "3");
        let correction = json!({ "indicator": "urban_newly_employed", "region": "210102",
                                 "month": MAY, "value": "5" });
        let mut without_reason = correction.clone();
        without_reason["reason"] = json!(" ");
        admin
            .post("/indicators/ledger/corrections", without_reason)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        let mut with_reason = correction;
        with_reason["reason"] = json!("补录和平区5月漏报的就业登记");
        let v = admin
            .post("/indicators/ledger/corrections", with_reason)
            .await
            .expect(StatusCode::OK);
        // 和平 had no new job in May: the correction is the cell's first version.
        assert_eq!(v["version"], 1);
        let after = cumulative(&admin, "210000", "urban_newly_employed").await;
        assert_eq!(after[0].1, "8", "the bulletin shows the corrected figure");
        let mut again = json!({ "indicator": "urban_newly_employed", "region": "210102",
                                "month": MAY, "value": "4", "reason": "复核后更正" });
        admin
            .post("/indicators/ledger/corrections", again.take())
            .await
            .expect(StatusCode::OK);
        let history = admin
            .get("/indicators/ledger/history?indicator=urban_newly_employed&region=210102&month=2020-05")
            .await
            .expect(StatusCode::OK);
        let versions: Vec<(i64, bool, &str)> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["version"].as_i64().unwrap(), r["current"].as_bool().unwrap(), r["value"].as_str().unwrap()))
            .collect();
        assert_eq!(versions, vec![(1, false, "5"), (2, true, "4")]);
        assert_eq!(
            cumulative(&admin, "210000", "urban_newly_employed").await[0].1,
            "7"
        );
        // Both corrections are in the audit log with their reasons.
        let audit = admin.audit("action=ledger.correct").await;
        assert_eq!(audit.len(), 2, "{audit:?}");
    })
    .await;
}

#[tokio::test]
async fn targets_import_reports_bad_rows_and_sums_are_checked() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let rows = [
            ["指标", "地区代码", "年度", "目标值", "约数"],
            ["城镇新增就业人数", "210000", "2020", "420000", ""],
            ["new_urban_employment", "210100", "2020", "105000", ""],
            ["new_urban_employment", "210200", "2020", "95000", "否"],
            ["不存在的指标", "210300", "2020", "30000", ""],
            ["new_urban_employment", "219999", "二〇二〇", "30000", ""],
            ["城镇调查失业率", "210000", "2020", "5.5", "是"],
            ["new_urban_employment", "210300", "2020", "很多", ""],
        ];
        let bytes = text_sheet(&rows).save_to_buffer().unwrap();
        let report = admin
            .upload("/indicators/imports/targets", "目标.xlsx", &bytes)
            .await
            .expect(StatusCode::OK);
        assert_eq!(report["accepted"], 4, "{report}");
        let rejected = report["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 3);
        assert_eq!(rejected[0]["row"], 5);
        assert_eq!(rejected[0]["errors"][0]["column"], "指标");
        assert_eq!(rejected[1]["row"], 6);
        let columns: Vec<&str> = rejected[1]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["column"].as_str().unwrap())
            .collect();
        assert_eq!(columns, vec!["地区代码", "年度"]);
        // Under the sheet's own column name, not the form's (数值).
        assert_eq!(rejected[2]["errors"][0]["column"], "目标值");

        let sum = admin
            .get("/indicators/targets/sum?indicator=new_urban_employment&region=210000&year=2020")
            .await
            .expect(StatusCode::OK);
        assert_eq!(sum["target"], "420000");
        assert_eq!(sum["subregions_sum"], "200000");
        assert_eq!(sum["difference"], "-220000");
        assert_eq!(sum["missing"].as_array().unwrap().len(), 12);
        let targets = admin
            .get("/indicators/targets?year=2020")
            .await
            .expect(StatusCode::OK);
        let surveyed = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["indicator"] == "surveyed_unemployment_rate")
            .unwrap();
        assert_eq!(
            (
                surveyed["value"].as_str(),
                surveyed["approximate"].as_bool()
            ),
            (Some("11/200"), Some(true))
        );
    })
    .await;
}

/// A values sheet: a month typed into a spreadsheet cell (a date cell on the 1st) is that
/// month; a second row for the same cell is refused naming the first, not silently applied;
/// a value replaced by a later import counts as updated.
#[tokio::test]
async fn values_import_reads_month_cells_and_refuses_repeated_cells() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        let sheet = |rows: &[[&str; 4]], month_cell: Option<u32>| {
            let mut book = text_sheet(rows);
            if let Some(r) = month_cell {
                let sheet = book.worksheet_from_index(0).unwrap();
                let may = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 5, 1).unwrap();
                let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm");
                sheet
                    .write_datetime_with_format(r, 2, &may, &format)
                    .unwrap();
            }
            book.save_to_buffer().unwrap()
        };
        let header = ["指标", "地区代码", "月份", "数值"];
        let rows = [
            header,
            ["natural_attrition", "210100", "2020-05", "106"],
            ["natural_attrition", "2101", "202005", "5"],
            ["urban_employed", "210100", "", "1000"],
            ["urban_employed", "210200", "2020-05-15", "900"],
        ];
        let report = admin
            .upload(
                "/indicators/imports/values",
                "数值.xlsx",
                &sheet(&rows, Some(3)),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (&report["accepted"], &report["inserted"]),
            (&json!(2), &json!(2)),
            "{report}"
        );
        let rejected = report["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 2, "{report}");
        assert_eq!(rejected[0]["row"], 3);
        assert_eq!(rejected[0]["errors"][0]["column"], "月份");
        assert!(
            rejected[0]["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("与第2行重复"),
            "{report}"
        );
        assert_eq!(rejected[1]["row"], 5);
        assert_eq!(
            ledger(&admin, "natural_attrition").await,
            [row("210100", "2020-05", "106")]
        );
        assert_eq!(
            ledger(&admin, "urban_employed").await,
            [row("210100", "2020-05", "1000")]
        );

        let again = [header, ["natural_attrition", "210100", "2020-05", "107"]];
        let report = admin
            .upload(
                "/indicators/imports/values",
                "数值.xlsx",
                &sheet(&again, None),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (&report["inserted"], &report["updated"]),
            (&json!(0), &json!(1)),
            "{report}"
        );
    })
    .await;
}

#[tokio::test]
async fn bulletin_is_scoped_to_the_users_region() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        seed_registry(&ctx, &admin).await;
        refresh(&admin).await;
        let o = ctx.officers().await;
        // Without a region, a user's bulletin is their own region's.
        let own = o
            .shenyang
            .get(&format!("/indicators/bulletin?month={MAY}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(own["region"], "210100");
        assert!(
            own["parent"].is_null(),
            "the province is outside 沈阳's scope"
        );
        assert!(
            own["paragraph"]
                .as_str()
                .unwrap()
                .starts_with("截至5月末,全市城镇新增就业")
        );
        for s in own["sections"].as_array().unwrap() {
            for r in s["rows"].as_array().unwrap() {
                assert!(r["region"].as_str().unwrap().starts_with("2101"), "{r}");
            }
        }
        for outside in ["210000", "210200", "210202"] {
            o.shenyang
                .get(&format!(
                    "/indicators/bulletin?region={outside}&month={MAY}"
                ))
                .await
                .expect_error(StatusCode::NOT_FOUND, "not_found");
        }
        // The catalogue names each field once: code, name and unit beside the rest.
        let catalogue = admin.get("/indicators").await;
        let entries = catalogue.expect(StatusCode::OK);
        let entries = entries.as_array().unwrap();
        assert_eq!(catalogue.text().matches("\"code\":").count(), entries.len());
        assert!(
            entries
                .iter()
                .all(|e| e["measure"].is_string() && e["aggregation_label"].is_string())
        );
        let province = admin
            .get(&format!("/indicators/bulletin?month={MAY}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(province["region"], "210000");
        assert_eq!(
            province["sections"][0]["rows"].as_array().unwrap().len(),
            14
        );
        // The county officer reads but does not enter.
        o.heping
            .get(&format!("/indicators/bulletin?month={MAY}"))
            .await
            .expect(StatusCode::OK);
        o.heping
            .post("/indicators/refresh", json!({ "year": 2020 }))
            .await
            .expect(StatusCode::FORBIDDEN);
        // The document is a real Word file.
        let docx = admin
            .get(&format!(
                "/indicators/bulletin/export?region=210100&month={MAY}&format=docx"
            ))
            .await;
        assert_eq!(docx.status, StatusCode::OK);
        assert!(docx.body.starts_with(b"PK"), "a ZIP package");
    })
    .await;
}

/// 零就业家庭 at each month's end, by the registry's rule: an urban household with a
/// working-age member registered unemployed and none employed (a job ends on its end date, as
/// the registry's status reads it); 安置: such a household at the previous month's end with a
/// member starting a job in the month. A rural household's unemployment does not make one.
#[tokio::test]
async fn zero_employment_households_are_counted_at_each_month_end() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 6, 30));
        let admin = ctx.admin().await;
        let people = [
            ("甲一", "210102", "HH-甲", "城镇"),
            ("甲二", "210102", "HH-甲", "城镇"),
            ("乙", "210102", "HH-乙", "农村"),
            ("丙", "210202", "HH-丙", "城镇"),
        ];
        let mut ids = std::collections::HashMap::new();
        for (i, (name, region, household, hukou)) in people.iter().enumerate() {
            let id = id_no(region, 700 + i as u16);
            let mut body = person(name, &id, region, "13800000001");
            body["household_no"] = json!(household);
            body["hukou"] = json!(hukou);
            admin.create("/persons", body).await;
            ids.insert(*name, id);
        }
        let unemployed = |name: &str, on: &str, region: &str| {
            json!({ "id_no": ids[name], "registered_on": on, "region": region, "reason": "辞职" })
        };
        let employed = |name: &str, start: &str, end: Option<&str>| {
            json!({ "id_no": ids[name], "kind": "灵活就业", "start_date": start, "end_date": end,
                    "area": "城镇", "region": "210102" })
        };
        for (path, body) in [
            ("/unemployments", unemployed("甲一", "2020-01-15", "210102")),
            ("/employments", employed("甲二", "2019-01-01", Some("2020-02-29"))),
            ("/employments", employed("甲一", "2020-05-10", None)),
            ("/unemployments", unemployed("乙", "2020-02-01", "210102")),
            ("/unemployments", unemployed("丙", "2020-03-01", "210202")),
        ] {
            admin.create(path, body).await;
        }
        refresh(&admin).await;
        let row = |r: &str, m: &str| row(r, m, "1");
        assert_eq!(
            ledger(&admin, "zero_employment_households").await,
            [
                row("210102", "2020-02"),
                row("210102", "2020-03"),
                row("210102", "2020-04"),
                row("210202", "2020-03"),
                row("210202", "2020-04"),
                row("210202", "2020-05"),
                row("210202", "2020-06"),
            ]
        );
        assert_eq!(
            ledger(&admin, "zero_employment_placed").await,
            [row("210102", "2020-05")]
        );
        // The registry flags the same households on its business date, the end of June.
        let (n, rows) = admin.list("/households?zero_employment=true").await;
        assert_eq!((n, rows[0]["household_no"].as_str()), (1, Some("HH-丙")));
    })
    .await;
}

/// 就业困难人员就业 counts a new job of someone who was 就业困难人员 the day before it (registered
/// unemployed, of a category then), though the job ended what made them one; a household found
/// and placed within one month is a placement, though never a zero-employment household at a
/// month's end; a job spanning the day its holder registered as unemployed is refused, so
/// nobody counts as both working and registered unemployed.
#[tokio::test]
async fn indicators_judge_people_on_the_day_that_counts() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let admin = ctx.admin().await;
        // Sequence numbers: even for a woman, odd for a man.
        let older_woman = |seq| {
            IdCardNo::build("210102", date(1970, 3, 1), seq)
                .unwrap()
                .as_str()
                .to_string()
        };
        let people = [
            ("大龄失业", older_woman(2), None),
            ("青年失业", id_no("210102", 901), None),
            ("大龄未登记", older_woman(4), None),
            ("在职登记", id_no("210102", 903), None),
            ("戊", id_no("210102", 905), Some("HH-戊")),
        ];
        for (name, id, household) in &people {
            let mut body = person(name, id, "210102", "13800000001");
            if let Some(h) = household {
                body["household_no"] = json!(h);
            }
            admin.create("/persons", body).await;
        }
        let id = |i: usize| people[i].1.clone();
        let unemployed = |i: usize, on: &str| {
            json!({ "id_no": id(i), "registered_on": on, "region": "210102", "reason": "辞职" })
        };
        let employed = |i: usize, start: &str| {
            json!({ "id_no": id(i), "kind": "灵活就业", "start_date": start,
                    "area": "城镇", "region": "210102" })
        };
        for (path, body) in [
            ("/unemployments", unemployed(0, "2020-01-10")),
            ("/employments", employed(0, "2020-03-01")),
            ("/unemployments", unemployed(1, "2020-01-10")),
            ("/employments", employed(1, "2020-03-02")),
            ("/employments", employed(2, "2020-04-01")),
            ("/unemployments", unemployed(3, "2020-02-01")),
            ("/unemployments", unemployed(4, "2020-04-05")),
            ("/employments", employed(4, "2020-04-20")),
        ] {
            admin.create(path, body).await;
        }
        admin
            .post("/employments", employed(3, "2020-01-01"))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        refresh(&admin).await;
        // March: the woman over 40; April: 戊, whose household was a zero-employment household
        // the day before his job (a category of its own).
        assert_eq!(
            ledger(&admin, "difficulty_employed").await,
            [row("210102", "2020-03", "1"), row("210102", "2020-04", "1")]
        );
        assert_eq!(
            ledger(&admin, "registered_unemployed").await,
            [
                row("210102", "2020-01", "2"),
                row("210102", "2020-02", "3"),
                row("210102", "2020-03", "1"),
                row("210102", "2020-04", "1"),
                row("210102", "2020-05", "1"),
            ]
        );
        assert_eq!(
            ledger(&admin, "zero_employment_placed").await,
            [row("210102", "2020-04", "1")]
        );
        assert_eq!(ledger(&admin, "zero_employment_households").await, []);
    })
    .await;
}

/// Targets are handed down: a city sets its counties' targets, never its own (the province
/// sets that); recounting covers the whole province, so only a provincial user starts it;
/// years outside the business years are refused by name.
#[tokio::test]
async fn cities_set_their_counties_targets_and_only_the_province_recounts() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let target = |region: &str| {
            json!({ "indicator": "new_urban_employment", "region": region, "year": 2020,
                    "value": "1000", "approximate": false })
        };
        admin
            .put("/indicators/targets", target("210100"))
            .await
            .expect(StatusCode::NO_CONTENT);
        o.shenyang
            .put("/indicators/targets", target("210100"))
            .await
            .expect_error(StatusCode::FORBIDDEN, "scope.denied");
        o.shenyang
            .put("/indicators/targets", target("210102"))
            .await
            .expect(StatusCode::NO_CONTENT);
        admin
            .put("/indicators/targets", target("210000"))
            .await
            .expect(StatusCode::NO_CONTENT);

        o.shenyang
            .post("/indicators/refresh", json!({ "year": 2020 }))
            .await
            .expect_error(StatusCode::FORBIDDEN, "scope.denied");
        refresh(&admin).await;
        for year in [0, -5, 1989, 2101, 10000] {
            let body = admin
                .post("/indicators/refresh", json!({ "year": year }))
                .await
                .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
            assert_eq!(body["fields"][0]["column"], "year", "{body}");
            admin
                .get(&format!("/indicators/targets?year={year}"))
                .await
                .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        }
        for month in ["0001-03", "9999-12", "1989-12"] {
            let body = admin
                .get(&format!("/indicators/bulletin?month={month}"))
                .await
                .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
            assert_eq!(body["fields"][0]["column"], "month", "{body}");
        }
    })
    .await;
}
