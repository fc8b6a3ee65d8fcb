//! Imports of CSV and XLSX files: every rejected row is reported with its row number,
//! column and reason, every good row is written, and importing a file again adds nothing.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;

const PERSON_HEADERS: [&str; 7] = [
    "姓名",
    "身份证号",
    "手机号",
    "学历",
    "户口性质",
    "居住地区划代码",
    "户编号",
];

/// A valid ID number with a wrong check character.
fn bad_checksum(id: &str) -> String {
    let last = if id.ends_with('1') { '2' } else { '1' };
    format!("{}{last}", &id[..17])
}

/// Rows written as comma-separated lines (no cell holds a comma).
fn table(lines: &[String]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn csv(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = headers.join(",");
    for r in rows {
        text.push('\n');
        text.push_str(&r.join(","));
    }
    text.push('\n');
    text.into_bytes()
}

fn xlsx(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    wenjiu_io::write_xlsx("导入", headers, rows.iter().cloned()).expect("xlsx written")
}

/// A file in the format its name asks for.
fn file(name: &str, headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    if name.ends_with(".xlsx") {
        xlsx(headers, rows)
    } else {
        csv(headers, rows)
    }
}

/// Imports and waits for the report.
async fn import(c: &Client, kind: &str, name: &str, bytes: &[u8]) -> Value {
    c.upload(&format!("/imports/{kind}?wait=true"), name, bytes)
        .await
        .expect(StatusCode::OK)
}

/// Imports `rows` as a CSV file `KIND.csv` and waits for the report.
async fn import_csv(c: &Client, kind: &str, headers: &[&str], rows: &[Vec<String>]) -> Value {
    import(c, kind, &format!("{kind}.csv"), &csv(headers, rows)).await
}

/// (row, column) of each rejected row, in row order.
fn rejected(report: &Value) -> Vec<(i64, String)> {
    let list = report["rejected"]
        .as_array()
        .unwrap_or_else(|| panic!("no rejected rows in {report}"));
    list.iter()
        .map(|r| {
            let errors = r["errors"].as_array().unwrap();
            assert!(!errors.is_empty(), "{r}");
            for e in errors {
                assert!(
                    !e["message"].as_str().unwrap().is_empty(),
                    "a reason for {r}"
                );
            }
            (
                r["row"].as_i64().unwrap(),
                errors[0]["column"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn counts(report: &Value) -> [i64; 5] {
    ["rows", "accepted", "inserted", "updated", "rejected_count"]
        .map(|k| report[k].as_i64().unwrap())
}

/// Seven rows (2–8 in the file): two good, one bad in each way an import can reject a person.
fn people_rows() -> (Vec<Vec<String>>, Vec<String>) {
    let (good1, good2) = (id_no("210102", 1), id_no("210103", 7));
    let bad_check = bad_checksum(&id_no("210103", 2));
    let (id3, id4, dalian) = (id_no("210102", 3), id_no("210102", 4), id_no("210202", 6));
    let rows = table(&[
        format!("张一,{good1},13800000001,本科,城镇,210102,HH-1"),
        format!("李二,{bad_check},13800000002,本科,城镇,210103,"), // 3: check character
        format!("王三,{id3},13800000003,高中,城镇,210199,"),       // 4: no such region
        format!(",{id4},13800000004,,农村,210102,"),               // 5: no name
        format!("张一,{good1},13800000001,本科,城镇,210102,HH-1"), // 6: repeats row 2
        format!("赵六,{dalian},13800000006,,城镇,210202,"),        // 7: 大连, not 沈阳
        format!("钱七,{good2},13800000007,大专,农村,210103,"),
    ]);
    (rows, vec![good1, good2])
}

const PEOPLE_REJECTED: [(i64, &str); 5] = [
    (3, "身份证号"),
    (4, "居住地区划代码"),
    (5, "姓名"),
    (6, "身份证号"),
    (7, "居住地区划代码"),
];

async fn people_import_reports_and_writes(ctx: Ctx, name: &'static str) {
    let admin = ctx.admin().await;
    let o = ctx.officers().await;
    let (rows, good) = people_rows();
    let bytes = file(name, &PERSON_HEADERS, &rows);

    let report = import(&o.shenyang, "person", name, &bytes).await;
    assert_eq!(counts(&report), [7, 2, 2, 0, 5], "{report}");
    let expected: Vec<(i64, String)> = PEOPLE_REJECTED
        .iter()
        .map(|(r, c)| (*r, c.to_string()))
        .collect();
    assert_eq!(rejected(&report), expected, "{report}");
    let duplicate = &report["rejected"][3]["errors"][0]["message"];
    assert!(
        duplicate.as_str().unwrap().contains('2'),
        "the duplicate names the first row: {duplicate}"
    );

    // Every good row is there, and nothing else (not even the out-of-scope one).
    let (total, listed) = admin.list("/persons").await;
    assert_eq!(total, 2, "{listed:?}");
    for id in &good {
        let (n, found) = o.shenyang.list(&format!("/persons?id_no={id}")).await;
        assert_eq!(n, 1, "{id} imported");
        assert_eq!(found[0]["id_no_masked"], masked_id(id));
    }
    let zhang = &o
        .shenyang
        .list(&format!("/persons?id_no={}", good[0]))
        .await
        .1[0];
    assert_eq!(
        (zhang["name"].as_str(), zhang["household_no"].as_str()),
        (Some("张一"), Some("HH-1"))
    );
    assert_eq!(zhang["phone_masked"], "138****0001");

    // The same file again adds nothing.
    let again = import(&o.shenyang, "person", name, &bytes).await;
    assert_eq!(counts(&again), [7, 2, 0, 2, 5], "{again}");
    assert_eq!(rejected(&again), expected);
    assert_eq!(admin.list("/persons").await.0, 2);
    assert_eq!(admin.list("/households").await.0, 1);

    // The import is audited.
    let records = admin.audit("action=person.import").await;
    assert_eq!(records.len(), 2);
    assert!(
        records
            .iter()
            .all(|r| r["username"] == "shenyang" && r["outcome"] == "ok")
    );

    // A changed person and a new one in one batch: the one updated, the other inserted.
    let newcomer = id_no("210104", 8);
    let mixed = table(&[
        format!("张一一,{},13800000011,本科,城镇,210102,HH-1", good[0]),
        format!("孙八,{newcomer},13800000008,,城镇,210104,HH-2"),
    ]);
    let bytes = file(name, &PERSON_HEADERS, &mixed);
    let report = import(&o.shenyang, "person", name, &bytes).await;
    assert_eq!(counts(&report), [2, 2, 1, 1, 0], "{report}");
    assert_eq!(admin.list("/persons").await.0, 3);
    for (id, name, household) in [(&good[0], "张一一", "HH-1"), (&newcomer, "孙八", "HH-2")] {
        let found = &o.shenyang.list(&format!("/persons?id_no={id}")).await.1[0];
        assert_eq!(found["name"], name, "{found}");
        assert_eq!(found["household_no"], household, "{found}");
    }
}

#[tokio::test]
async fn csv_people_import() {
    for_each_backend(|ctx| people_import_reports_and_writes(ctx, "people.csv")).await;
}

#[tokio::test]
async fn xlsx_people_import() {
    for_each_backend(|ctx| people_import_reports_and_writes(ctx, "people.xlsx")).await;
}

#[tokio::test]
async fn rejected_rows_download_with_the_error_column() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let (rows, _) = people_rows();
        let people = csv(&PERSON_HEADERS, &rows);
        import(&o.shenyang, "person", "people.csv", &people).await;
        let job = admin.last_import_job("person").await;

        let j = o
            .shenyang
            .get(&format!("/jobs/{job}"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(
            (j["status"].as_str(), j["kind"].as_str()),
            (Some("done"), Some("import.person")),
            "{j}"
        );
        assert_eq!(j["done_rows"], 7);
        assert_eq!(j["result"]["rejected_count"], 5);

        let r = o.shenyang.get(&format!("/jobs/{job}/rejected")).await;
        r.expect(StatusCode::OK);
        let (headers, cells) = read_table("rejected.xlsx", &r.body);
        assert_eq!(headers[..2], ["错误行号", "错误原因"]);
        assert_eq!(headers[2..], PERSON_HEADERS);
        let numbers = column(&headers, &cells, "错误行号");
        assert_eq!(numbers, ["3", "4", "5", "6", "7"]);
        let reasons = column(&headers, &cells, "错误原因");
        for ((_, col), reason) in PEOPLE_REJECTED.iter().zip(&reasons) {
            assert!(
                reason.contains(col),
                "the reason names the column {col}: {reason}"
            );
        }
        // The original cells come back, so the rows can be corrected and imported again.
        assert_eq!(
            column(&headers, &cells, "姓名"),
            ["李二", "王三", "", "张一", "赵六"]
        );

        // Jobs are their owner's.
        o.dalian
            .get(&format!("/jobs/{job}"))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        o.dalian
            .get(&format!("/jobs/{job}/rejected"))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
    })
    .await;
}

#[tokio::test]
async fn background_import_finishes_as_a_job() {
    for_each_backend(|ctx| async move {
        let o = ctx.officers().await;
        let (rows, _) = people_rows();
        let r = o
            .shenyang
            .upload(
                "/imports/person",
                "people.csv",
                &csv(&PERSON_HEADERS, &rows),
            )
            .await;
        let job = r.expect(StatusCode::ACCEPTED)["job_id"]
            .as_i64()
            .expect("a job id");
        o.dalian
            .get(&format!("/jobs/{job}"))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        // Follow the job as the console does; each request lets the import run on.
        let finished = loop {
            let j = o
                .shenyang
                .get(&format!("/jobs/{job}"))
                .await
                .expect(StatusCode::OK);
            if j["status"] != "running" {
                break j;
            }
            tokio::task::yield_now().await;
        };
        assert_eq!(finished["status"], "done", "{finished}");
        assert_eq!(finished["result"]["accepted"], 2, "{finished}");
        assert_eq!(o.shenyang.list("/persons").await.0, 2);
    })
    .await;
}

#[tokio::test]
async fn files_that_cannot_be_imported_are_refused_whole() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        // A required column is missing.
        let bytes = csv(
            &["姓名", "身份证号"],
            &table(&[format!("张一,{}", id_no("210102", 1))]),
        );
        let r = admin
            .upload("/imports/person?wait=true", "people.csv", &bytes)
            .await;
        let body = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "import.failed");
        assert!(
            body["message"].as_str().unwrap().contains("户口性质"),
            "{body}"
        );
        // Not a table at all.
        let r = admin
            .upload(
                "/imports/person?wait=true",
                "people.xlsx",
                b"not a workbook",
            )
            .await;
        r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "file.invalid");
        // An unknown kind of record.
        let r = admin
            .upload("/imports/nothing?wait=true", "people.csv", b"a,b\n")
            .await;
        r.expect_error(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(admin.list("/persons").await.0, 0);
    })
    .await;
}

/// The registry for the registration imports: three people and two enterprises, imported
/// by the province administrator.
async fn people_and_enterprises(admin: &Client) -> ([String; 3], [String; 2]) {
    let people = [id_no("210102", 1), id_no("210103", 2), id_no("210202", 3)];
    let [a, b, c] = &people;
    let rows = table(&[
        format!("甲,{a},,,城镇,210102,"),
        format!("乙,{b},,,城镇,210103,"),
        format!("丙,{c},,,城镇,210202,"),
    ]);
    let report = import_csv(admin, "person", &PERSON_HEADERS, &rows).await;
    assert_eq!(report["accepted"], 3, "{report}");

    let codes = [
        credit_code("210102", "MA0Q1234"),
        credit_code("210202", "MA0Q5678"),
    ];
    let rows = table(&[
        format!("{},和平机械厂,C,私营,小型,210102,30", codes[0]),
        format!("{},大连船舶公司,制造业,国有,大型,210202,3000", codes[1]),
    ]);
    let file = xlsx(&ENTERPRISE_HEADERS, &rows);
    let report = import(admin, "enterprise", "enterprises.xlsx", &file).await;
    assert_eq!(counts(&report), [2, 2, 2, 0, 0], "{report}");
    // Again: both updated, none added.
    let report = import(admin, "enterprise", "enterprises.xlsx", &file).await;
    assert_eq!(counts(&report), [2, 2, 0, 2, 0], "{report}");
    (people, codes)
}

const ENTERPRISE_HEADERS: [&str; 7] = [
    "统一社会信用代码",
    "单位名称",
    "行业门类",
    "经济类型",
    "企业规模",
    "所在地区划代码",
    "参保人数",
];
const UNEMPLOYMENT_HEADERS: [&str; 4] = ["身份证号", "登记日期", "登记地区划代码", "失业原因"];
const EMPLOYMENT_HEADERS: [&str; 6] = [
    "身份证号",
    "就业形式",
    "用人单位信用代码",
    "就业日期",
    "城乡",
    "就业地区划代码",
];

async fn person_by_id_no(c: &Client, id: &str) -> Value {
    let (n, rows) = c.list(&format!("/persons?id_no={id}")).await;
    assert_eq!(n, 1, "{id}");
    c.get(&format!("/persons/{}", rows[0]["id"]))
        .await
        .expect(StatusCode::OK)
}

#[tokio::test]
async fn registration_imports_end_unemployment_on_employment() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let ([a, b, c], [factory, shipyard]) = people_and_enterprises(&admin).await;

        // Unemployment, imported by the 沈阳 officer.
        let stranger = id_no("210102", 99);
        let rows = table(&[
            format!("{a},2020-01-10,210102,辞职"),
            format!("{b},2020-02-01,210103,被解除劳动合同"),
            format!("{stranger},2020-01-10,210102,辞职"), // 4: not registered
            format!("{c},2020-01-10,210202,辞职"),        // 5: 大连, not 沈阳
            format!("{a},2020-13-01,210102,辞职"),        // 6: no such date
        ]);
        let unemployment = csv(&UNEMPLOYMENT_HEADERS, &rows);
        let report = import(
            &o.shenyang,
            "unemployment",
            "unemployment.csv",
            &unemployment,
        )
        .await;
        assert_eq!(counts(&report), [5, 2, 2, 0, 3], "{report}");
        let expected = [(4, "身份证号"), (5, "登记地区划代码"), (6, "登记日期")];
        assert_eq!(rejected(&report), expected.map(|(r, c)| (r, c.to_string())));
        for id in [&a, &b] {
            assert_eq!(
                person_by_id_no(&o.shenyang, id).await["status"],
                "unemployed"
            );
        }

        // Employment: registering it ends the open unemployment registration.
        let unknown = credit_code("210102", "MA0Q0000");
        let rows = table(&[
            format!("{a},单位就业,{factory},2020-03-01,城镇,210102"),
            format!("{b},单位就业,,2020-03-01,城镇,210103"), // 3: employer missing
            format!("{b},灵活就业,,2020-04-01,城镇,210103"),
            format!("{a},单位就业,{unknown},2020-05-01,城镇,210102"), // 5: unknown employer
            format!("{c},单位就业,{shipyard},2020-03-01,城镇,210202"), // 6: 大连, not 沈阳
        ]);
        let employment = csv(&EMPLOYMENT_HEADERS, &rows);
        let report = import(&o.shenyang, "employment", "employment.csv", &employment).await;
        assert_eq!(counts(&report), [5, 2, 2, 0, 3], "{report}");
        let expected = [
            (3, "用人单位信用代码"),
            (5, "用人单位信用代码"),
            (6, "就业地区划代码"),
        ];
        assert_eq!(rejected(&report), expected.map(|(r, c)| (r, c.to_string())));

        for (id, start) in [(&a, "2020-03-01"), (&b, "2020-04-01")] {
            let p = person_by_id_no(&o.shenyang, id).await;
            assert_eq!(p["status"], "employed", "{p}");
            assert_eq!(p["employments"].as_array().unwrap().len(), 1, "{p}");
            let u = &p["unemployments"][0];
            assert_eq!(
                (u["ended_on"].as_str(), u["end_reason"].as_str()),
                (Some(start), Some("employed")),
                "{p}"
            );
        }
        let a_row = person_by_id_no(&o.shenyang, &a).await;
        assert_eq!(a_row["employments"][0]["enterprise_name"], "和平机械厂");
        assert_eq!(o.shenyang.list("/unemployments?open=true").await.0, 0);

        // Importing both files again adds nothing and changes nothing: in particular the
        // unemployment file (whose rows carry no end) does not reopen what employment ended.
        let report = import(&o.shenyang, "employment", "employment.csv", &employment).await;
        assert_eq!(counts(&report), [5, 2, 0, 2, 3], "{report}");
        let report = import(
            &o.shenyang,
            "unemployment",
            "unemployment.csv",
            &unemployment,
        )
        .await;
        assert_eq!(counts(&report), [5, 2, 0, 2, 3], "{report}");
        assert_eq!(admin.list("/employments").await.0, 2);
        assert_eq!(admin.list("/unemployments").await.0, 2);
        assert_eq!(
            o.shenyang.list("/unemployments?open=true").await.0,
            0,
            "no registration reopened"
        );
        for id in [&a, &b] {
            assert_eq!(person_by_id_no(&o.shenyang, id).await["status"], "employed");
        }
    })
    .await;
}

#[tokio::test]
async fn imports_leave_records_stored_outside_the_scope_alone() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let ([_, _, c], [_, shipyard]) = people_and_enterprises(&admin).await;
        let dalian = format!("{c},2020-01-10,210202,辞职");
        let report = import_csv(
            &admin,
            "unemployment",
            &UNEMPLOYMENT_HEADERS,
            &table(&[dalian]),
        )
        .await;
        assert_eq!(counts(&report), [1, 1, 1, 0, 0], "{report}");
        let dalian = format!("{c},单位就业,{shipyard},2020-03-01,城镇,210202");
        let report = import_csv(&admin, "employment", &EMPLOYMENT_HEADERS, &table(&[dalian])).await;
        assert_eq!(counts(&report), [1, 1, 1, 0, 0], "{report}");

        let before = person_by_id_no(&admin, &c).await;
        let firm_query = format!("/enterprises?credit_code={shipyard}");
        let firm_before = admin.list(&firm_query).await.1;
        assert_eq!(firm_before.len(), 1);

        // The 沈阳 officer names 大连's records in files of their own city: each row is
        // refused, and nothing of 大连's changes or moves into 沈阳.
        let person = table(&[format!("冒名,{c},13700000001,,城镇,210102,")]);
        let report = import_csv(&o.shenyang, "person", &PERSON_HEADERS, &person).await;
        assert_eq!(counts(&report), [1, 0, 0, 0, 1], "{report}");
        assert_eq!(rejected(&report), [(2, "身份证号".to_string())]);
        let message = report["rejected"][0]["errors"][0]["message"]
            .as_str()
            .unwrap();
        assert!(message.contains("数据权限范围外"), "{message}");

        let firm = table(&[format!("{shipyard},冒名公司,C,私营,小型,210102,3")]);
        let report = import(
            &o.shenyang,
            "enterprise",
            "enterprises.csv",
            &csv(&ENTERPRISE_HEADERS, &firm),
        )
        .await;
        assert_eq!(
            rejected(&report),
            [(2, "统一社会信用代码".to_string())],
            "{report}"
        );

        let unemployment = table(&[format!("{c},2020-01-10,210102,被解除劳动合同")]);
        let report = import_csv(
            &o.shenyang,
            "unemployment",
            &UNEMPLOYMENT_HEADERS,
            &unemployment,
        )
        .await;
        assert_eq!(rejected(&report), [(2, "登记日期".to_string())], "{report}");
        let employment = table(&[format!("{c},灵活就业,,2020-03-01,城镇,210102")]);
        let report = import_csv(&o.shenyang, "employment", &EMPLOYMENT_HEADERS, &employment).await;
        assert_eq!(rejected(&report), [(2, "就业日期".to_string())], "{report}");

        assert_eq!(person_by_id_no(&admin, &c).await, before);
        assert_eq!(admin.list(&firm_query).await.1, firm_before);
        assert_eq!(o.shenyang.list(&format!("/persons?id_no={c}")).await.0, 0);
    })
    .await;
}

#[tokio::test]
async fn a_job_ends_the_unemployment_at_the_first_start_on_or_after_it() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let ([a, b, _], [factory, _]) = people_and_enterprises(&admin).await;
        let rows = table(&[
            format!("{a},2020-03-10,210102,辞职"),
            format!("{b},2020-03-10,210102,辞职"),
        ]);
        let report = import_csv(&admin, "unemployment", &UNEMPLOYMENT_HEADERS, &rows).await;
        assert_eq!(counts(&report), [2, 2, 2, 0, 0], "{report}");
        // One file: for a, a job ended before the registration (it ends nothing), and two
        // after it out of order; for b, one ended before it, and one begun before and lasting
        // past it — refused: b registered as without work while in it.
        let headers = EMPLOYMENT_HEADERS
            .iter()
            .copied()
            .chain(["终止日期"])
            .collect::<Vec<_>>();
        let rows = table(&[
            format!("{a},单位就业,{factory},2020-01-02,城镇,210102,2020-02-28"),
            format!("{a},灵活就业,,2020-05-01,城镇,210102,"),
            format!("{a},单位就业,{factory},2020-03-20,城镇,210102,"),
            format!("{b},单位就业,{factory},2020-02-01,城镇,210102,2020-03-01"),
            format!("{b},灵活就业,,2020-03-01,城镇,210102,"),
        ]);
        let report = import_csv(&admin, "employment", &headers, &rows).await;
        assert_eq!(counts(&report), [5, 4, 4, 0, 1], "{report}");
        let refused = &report["rejected"][0];
        assert_eq!(refused["row"], 6, "{report}");
        assert_eq!(refused["errors"][0]["column"], "就业日期", "{report}");
        let ended = |p: &Value| {
            let u = &p["unemployments"][0];
            (
                u["ended_on"].as_str().map(str::to_string),
                u["end_reason"].as_str().map(str::to_string),
            )
        };
        let pa = person_by_id_no(&admin, &a).await;
        assert_eq!(
            ended(&pa),
            (Some("2020-03-20".into()), Some("employed".into())),
            "{pa}"
        );
        let pb = person_by_id_no(&admin, &b).await;
        assert_eq!(ended(&pb), (None, None), "{pb}");
    })
    .await;
}

/// 1,100 distinct people: more than two batches of an import.
fn many_people() -> Vec<String> {
    let first = (0..1000).map(|seq| id_no("210102", seq));
    first
        .chain((0..100).map(|seq| id_no("210103", seq)))
        .collect()
}

#[tokio::test]
async fn imports_longer_than_a_batch_report_repeats_across_batches() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let ids = many_people();
        let n = ids.len() as i64;
        // Each file ends with a repeat of its first row: found in another batch, by the database.
        let with_repeat = |mut lines: Vec<String>| {
            lines.push(lines[0].clone());
            table(&lines)
        };

        let people = with_repeat(
            ids.iter()
                .map(|id| format!("某人,{id},,,城镇,210102,"))
                .collect(),
        );
        let report = import_csv(&admin, "person", &PERSON_HEADERS, &people).await;
        assert_eq!(
            counts(&report),
            [n + 1, n, n, 0, 1],
            "{}",
            report["rejected"]
        );
        let repeat = vec![(n + 2, "身份证号".to_string())];
        assert_eq!(rejected(&report), repeat);

        let lines = ids
            .iter()
            .map(|id| format!("{id},2020-01-10,210102,辞职"))
            .collect();
        let file = csv(&UNEMPLOYMENT_HEADERS, &with_repeat(lines));
        let report = import(&admin, "unemployment", "unemployment.csv", &file).await;
        assert_eq!(
            counts(&report),
            [n + 1, n, n, 0, 1],
            "{}",
            report["rejected"]
        );
        assert_eq!(rejected(&report), repeat);
        assert_eq!(admin.list("/persons?status=unemployed").await.0, n);

        let lines = ids
            .iter()
            .map(|id| format!("{id},灵活就业,,2020-03-01,城镇,210102"))
            .collect();
        let file = csv(&EMPLOYMENT_HEADERS, &with_repeat(lines));
        let report = import(&admin, "employment", "employment.csv", &file).await;
        assert_eq!(
            counts(&report),
            [n + 1, n, n, 0, 1],
            "{}",
            report["rejected"]
        );
        assert_eq!(admin.list("/persons?status=employed").await.0, n);
        // Again: nothing new, the same repeat reported.
        let report = import(&admin, "employment", "employment.csv", &file).await;
        assert_eq!(
            counts(&report),
            [n + 1, n, 0, n, 1],
            "{}",
            report["rejected"]
        );
        assert_eq!(admin.list("/employments").await.0, n);
    })
    .await;
}

/// An XLSX file with one cell far from the others is refused by its span before the span is
/// laid out in memory (a 2 KB file would otherwise cost hundreds of megabytes, or abort the
/// server at XFD1048576); an upload may still be larger than a JSON body.
#[tokio::test]
async fn sheets_spanning_too_many_cells_are_refused() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        for (row, col) in [(99_999, 99), (1_048_575, 16_383), (10, 300)] {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (c, h) in PERSON_HEADERS.iter().enumerate() {
                sheet.write_string(0, c as u16, *h).unwrap();
            }
            sheet.write_string(row, col, "x").unwrap();
            let bytes = book.save_to_buffer().unwrap();
            let r = admin
                .upload("/imports/person?wait=true", "people.xlsx", &bytes)
                .await;
            let body = r.expect_error(StatusCode::UNPROCESSABLE_ENTITY, "file.invalid");
            let message = body["message"].as_str().unwrap();
            assert!(message.contains("工作表范围过大"), "{message}");
            assert!(
                message.contains(&format!("{} 行 × {} 列", row + 1, col + 1)),
                "{message}"
            );
        }
        // Over the 1 MB JSON limit, still read (and refused for what it is, not its size).
        let big = vec![b'x'; 3 << 20];
        admin
            .upload("/imports/person?wait=true", "people.xlsx", &big)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "file.invalid");
        assert_eq!(admin.list("/persons").await.0, 0);
    })
    .await;
}

/// A valid ID number may name a birth after the business date: refused in a form and in a
/// file alike, the file's other rows kept.
#[tokio::test]
async fn a_person_born_after_the_business_date_is_refused() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 5, 31));
        let o = ctx.officers().await;
        let unborn = wenjiu_core::IdCardNo::build("210102", date(2021, 1, 1), 7)
            .unwrap()
            .as_str()
            .to_string();
        let body = o
            .shenyang
            .post("/persons", person("未生", &unborn, "210102", "13800000007"))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "id_no", "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("晚于业务日期"),
            "{body}"
        );

        let born = id_no("210102", 8);
        let rows = table(&[
            format!("已生,{born},13800000008,,城镇,210102,"),
            format!("未生,{unborn},13800000007,,城镇,210102,"),
        ]);
        let report = import_csv(&o.shenyang, "person", &PERSON_HEADERS, &rows).await;
        assert_eq!(counts(&report), [2, 1, 1, 0, 1], "{report}");
        assert_eq!(rejected(&report), [(3, "身份证号".to_string())], "{report}");
        let why = report["rejected"][0]["errors"][0]["message"]
            .as_str()
            .unwrap();
        assert!(
            why.contains("出生日期 2021-01-01 晚于业务日期 2020-05-31"),
            "{why}"
        );
    })
    .await;
}
