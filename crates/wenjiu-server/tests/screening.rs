//! Screening (免申即享) through the real router on SQLite and PostgreSQL: the beneficiaries
//! found in a small registry for named policies with each city's parameters, the per-city
//! summary adding up to the total, each officer seeing only its region's results, masked
//! ID numbers, the export, and the exclusion groups and once-per-subject limits.

mod common;

use axum::http::StatusCode;
use common::screening::*;
use common::*;
use serde_json::{Value, json};
use wenjiu_store::policy::screening::Within;

async fn summary(c: &Client, run: i64) -> Value {
    c.get(&format!("/policy/screenings/{run}"))
        .await
        .expect(StatusCode::OK)
}

/// The cells, per-policy totals and grand total of a summary must agree.
fn assert_adds_up(s: &Value) {
    let cells = s["cells"].as_array().unwrap();
    let sum = |f: &dyn Fn(&Value) -> bool, key: &str| -> i64 {
        cells
            .iter()
            .filter(|c| f(c))
            .map(|c| c[key].as_i64().unwrap())
            .sum()
    };
    for key in ["beneficiaries", "amount_fen"] {
        assert_eq!(
            sum(&|_| true, key),
            s["total"][key].as_i64().unwrap(),
            "{s}"
        );
        for t in s["by_policy"].as_array().unwrap() {
            let id = t["policy_id"].clone();
            assert_eq!(
                sum(&|c| c["policy_id"] == id, key),
                t[key].as_i64().unwrap()
            );
        }
    }
}

#[tokio::test]
async fn screening_finds_the_beneficiaries_per_city_within_each_scope() {
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 6, 30));
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let ids: Vec<String> = (1..=6).map(|i| id_no("210102", i)).collect();
        let people = [
            // 求职创业补贴: a graduate of the year with a hardship.
            graduate("低保毕业生", &ids[0], "210102", 2020, "dibao"),
            graduate("残疾毕业生", &ids[1], "210102", 2020, "disabled"),
            graduate("大连毕业生", &ids[2], "210202", 2020, "dibao"),
            // Not: graduated last year; no hardship; no college degree.
            graduate("往届生", &ids[3], "210102", 2019, "dibao"),
            graduate("无困难", &ids[4], "210102", 2020, ""),
            {
                let mut p = graduate("高中生", &ids[5], "210202", 2020, "dibao");
                p["education"] = json!("高中");
                p
            },
        ];
        for p in people {
            admin.create("/persons", p).await;
        }
        // 大连 pays 1500 yuan from 2020 (its own override); the province 1000.
        o.dalian
            .post(
                "/policy/parameters",
                json!({ "name": "job_search_amount_fen", "region": "2102", "from": "2020-01-01",
                        "value": 150000, "source": "大连市文件（测试）" }),
            )
            .await
            .expect(StatusCode::OK);

        let run = screen(&admin, json!({ "date": DATE, "policy": "job-search" })).await;
        let id = run["id"].as_i64().unwrap();
        assert_eq!(run["region"], "21");
        assert_eq!(run["totals"]["beneficiaries"], 3);
        assert_eq!(run["totals"]["amount_fen"], 350000);
        assert_eq!(run["totals"]["subjects"], 6);
        assert_eq!(
            found(&admin, id).await,
            set(&[
                ("job-search", "低保毕业生"),
                ("job-search", "残疾毕业生"),
                ("job-search", "大连毕业生"),
            ])
        );
        let s = summary(&admin, id).await;
        assert_adds_up(&s);
        let cells: Vec<(&str, &str, i64, i64)> = s["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["city"].as_str().unwrap(),
                    c["city_name"].as_str().unwrap(),
                    c["beneficiaries"].as_i64().unwrap(),
                    c["amount_fen"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            cells,
            [("2101", "沈阳市", 2, 200000), ("2102", "大连市", 1, 150000)]
        );
        assert_eq!(s["total"]["beneficiaries"], 3);

        // Masked as in the registry lists; the full number nowhere in the answer.
        let (_, rows) = admin
            .list(&format!("/policy/screenings/{id}/results"))
            .await;
        for r in &rows {
            let i = ids
                .iter()
                .find(|i| masked_id(i) == r["id_no_masked"].as_str().unwrap())
                .expect("a masked ID number");
            assert!(!serde_json::to_string(&rows).unwrap().contains(i.as_str()));
        }

        // Each officer sees the province's run, but only its region's part of it.
        for (c, names, city) in [
            (&o.shenyang, vec!["低保毕业生", "残疾毕业生"], "2101"),
            (&o.heping, vec!["低保毕业生", "残疾毕业生"], "2101"),
            (&o.dalian, vec!["大连毕业生"], "2102"),
        ] {
            let (_, runs) = c.list("/policy/screenings").await;
            let seen = runs.iter().find(|r| r["id"] == id).expect("the run");
            assert!(seen["totals"].is_null(), "{seen}");
            let mine: Vec<(&str, &str)> = names.iter().map(|n| ("job-search", *n)).collect();
            assert_eq!(found(c, id).await, set(&mine));
            let s = summary(c, id).await;
            assert_adds_up(&s);
            assert_eq!(s["cells"].as_array().unwrap().len(), 1);
            assert_eq!(s["cells"][0]["city"], city);
        }

        // A city screens its own region only; bad input is named.
        let e = o
            .shenyang
            .post(
                "/policy/screenings?wait=true",
                json!({ "date": DATE, "region": "2102" }),
            )
            .await
            .expect_error(StatusCode::FORBIDDEN, "scope.denied");
        assert!(e["message"].as_str().unwrap().contains("大连市"), "{e}");
        let denied = admin.audit("action=policy.screen").await;
        assert!(
            denied
                .iter()
                .any(|a| a["outcome"] == "denied" && a["username"] == "shenyang"),
            "{denied:?}"
        );
        let e = admin
            .post(
                "/policy/screenings",
                json!({ "date": DATE, "policy": "no-such" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert!(e["message"].as_str().unwrap().contains("no-such"), "{e}");
        admin
            .post(
                "/policy/screenings",
                json!({ "date": DATE, "region": "99" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let dalian_run = screen(&o.dalian, json!({ "date": DATE })).await;
        let dalian_run = dalian_run["id"].as_i64().unwrap();
        assert_eq!(
            found(&o.dalian, dalian_run).await,
            set(&[("job-search", "大连毕业生")])
        );
        // Another city's run is not found.
        o.shenyang
            .get(&format!("/policy/screenings/{dalian_run}"))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        o.shenyang
            .get(&format!("/policy/screenings/{dalian_run}/results"))
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");

        // The export: masked, audited, the caller's part.
        let r = o
            .shenyang
            .get(&format!("/policy/screenings/{id}/export"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let sheet = wenjiu_io::TableReader::from_bytes("r.xlsx", r.body.to_vec()).unwrap();
        let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.unwrap().cells).collect();
        assert_eq!(rows.len(), 2);
        for row in &rows {
            assert!(row.contains(&"求职创业补贴".to_string()), "{row:?}");
            assert!(row.contains(&"1000.00".to_string()), "{row:?}");
            assert!(ids.iter().all(|i| !row.contains(i)), "{row:?}");
            assert!(ids.iter().any(|i| row.contains(&masked_id(i))), "{row:?}");
        }
        let audit = admin.audit("action=policy.screen.export").await;
        assert_eq!(audit[0]["username"], "shenyang");
        assert_eq!(audit[0]["detail"], "2 行，脱敏");
        let audit = admin.audit("action=policy.screen").await;
        let target = format!("screening:{id}");
        let done = audit
            .iter()
            .find(|a| a["action"] == "policy.screen" && a["target"] == target.as_str())
            .unwrap();
        assert_eq!(done["outcome"], "ok");
        assert!(
            done["detail"].as_str().unwrap().contains("3 人次"),
            "{done}"
        );
    })
    .await;
}

#[tokio::test]
async fn exclusion_groups_and_once_per_subject_hold() {
    for_each_backend(|mut ctx| async move {
        ctx = ctx.with_as_of(date(2020, 6, 30));
        let _catalogue = use_test_catalogue(&mut ctx);
        let admin = ctx.admin().await;
        register_test_subjects(&admin).await;

        let run = screen(&admin, json!({ "date": DATE })).await;
        let id = run["id"].as_i64().unwrap();
        // People and hires; no enterprise policy, so no enterprise is read.
        assert_eq!(run["totals"]["subjects"], 3 + 4);
        assert_eq!(
            found(&admin, id).await,
            set(&[
                // Both in group g: the higher amount (5000 > 1000) only.
                ("g-graduate", "两者"),
                ("g-dibao", "低保"),
                ("g-graduate", "毕业生"),
                ("h-once", "低保"),
                ("h-once", "毕业生"),
                ("h-each", "低保"),
                ("h-each", "毕业生"),
            ])
        );
        let s = summary(&admin, id).await;
        assert_adds_up(&s);
        let count = |policy: &str| {
            s["by_policy"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["policy_id"] == policy)
                .map_or(0, |t| t["beneficiaries"].as_i64().unwrap())
        };
        // Hired twice, by one enterprise or by two: once for h-once, twice for h-each.
        assert_eq!((count("h-once"), count("h-each")), (2, 4));
        assert_eq!(count("g-graduate"), 2);
        assert_eq!(s["total"]["beneficiaries"], 2 + 1 + 2 + 4);
        assert_eq!(
            s["total"]["amount_fen"],
            2 * 500000 + 100000 + (2 + 4) * 100000
        );
        // One policy only: the group's other policy is not there to exclude it.
        let only = screen(&admin, json!({ "date": DATE, "policy": "g-dibao" })).await;
        assert_eq!(
            found(&admin, only["id"].as_i64().unwrap()).await,
            set(&[("g-dibao", "两者"), ("g-dibao", "低保")])
        );
    })
    .await;
}

#[tokio::test]
async fn a_run_cut_off_by_a_restart_is_marked_failed() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let cat = wenjiu_store::policy::load_catalogue(&catalogue_dir()).unwrap();
        let req = wenjiu_store::policy::screening::ScreeningRequest {
            date: date(2020, 6, 30),
            region: Some("2101".into()),
            policy: None,
        };
        let run = ctx
            .store
            .start_screening(&wenjiu_store::Scope::All, "admin", &cat, &req, None)
            .await
            .unwrap();
        let before = summary(&admin, run).await;
        assert_eq!(before["run"]["status"], "running");
        // What the server does when it starts again.
        ctx.store.fail_interrupted_jobs().await.unwrap();
        let after = summary(&admin, run).await;
        assert_eq!(after["run"]["status"], "failed");
        assert!(
            after["run"]["error"]
                .as_str()
                .unwrap()
                .contains("重新发起筛查")
        );
        assert!(after["run"]["totals"].is_null());
        assert_eq!(after["total"]["beneficiaries"], 0);
    })
    .await;
}

/// The frames hold the registrations open on the date — begun on or before it, not ended on
/// or before it — of each person, also where a region is screened (whose people's
/// registrations lie among those of people outside it), and a hire's person facts on the day
/// before the hire starts; and they agree with the status the registry derives on that date.
/// A person's household is a zero-employment household as the registry flags it.
#[tokio::test]
async fn frames_hold_the_registrations_open_on_the_date() {
    use wenjiu_store::policy::rules::{SubjectKind, Value};
    for_each_backend(|ctx| async move {
        let ctx = ctx.with_as_of(date(2020, 6, 30));
        let admin = ctx.admin().await;
        let code = credit_code("210102", "12345678");
        admin
            .create("/enterprises", enterprise("筛查厂", &code, "210102"))
            .await;
        let names = [
            "当日失业",
            "当日注销",
            "大连失业",
            "公益岗",
            "当日离职",
            "明日就业",
            "受雇",
        ];
        let mut ids = Vec::new();
        let mut names_of = std::collections::BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            let region = if *name == "大连失业" {
                "210202"
            } else {
                "210102"
            };
            let id = id_no(region, i as u16 + 1);
            let mut body = person(name, &id, region, "13800000001");
            // Alone in it and registered unemployed: a zero-employment household; with an
            // employed member: not one.
            match *name {
                "当日失业" => body["household_no"] = json!("HH-零就业"),
                "明日就业" | "受雇" => body["household_no"] = json!("HH-有就业"),
                _ => {}
            }
            let p = admin.create("/persons", body).await;
            names_of.insert(p, *name);
            ids.push(id);
        }
        let unemployed = |i: usize, on: &str, ended: Option<&str>| {
            json!({ "id_no": ids[i], "registered_on": on, "region": "210102", "reason": "辞职",
                    "ended_on": ended, "end_reason": ended.map(|_| "迁出本地") })
        };
        let employed = |i: usize, kind: &str, start: &str, end: Option<&str>| {
            let employer = (kind != "灵活就业").then_some(&code);
            json!({ "id_no": ids[i], "kind": kind, "employer_credit_code": employer,
                    "start_date": start, "end_date": end, "area": "城镇", "region": "210102" })
        };
        for (path, body) in [
            ("/unemployments", unemployed(0, DATE, None)),
            ("/unemployments", unemployed(1, "2020-01-15", Some(DATE))),
            ("/unemployments", unemployed(2, "2020-01-15", None)),
            (
                "/employments",
                employed(3, "公益性岗位", "2019-12-15", None),
            ),
            ("/employments", employed(3, "灵活就业", DATE, None)),
            (
                "/employments",
                employed(4, "灵活就业", "2019-05-01", Some(DATE)),
            ),
            ("/unemployments", unemployed(4, DATE, None)),
            ("/employments", employed(5, "灵活就业", "2020-07-01", None)),
            // The hire ends the unemployment registration at its start.
            ("/unemployments", unemployed(6, "2019-08-01", None)),
            ("/employments", employed(6, "单位就业", "2020-03-01", None)),
            // Hired while placed on a public-welfare job, before going flexible.
            ("/employments", employed(3, "单位就业", "2020-06-01", None)),
        ] {
            admin.create(path, body).await;
        }

        let fields = |s: &wenjiu_store::policy::rules::Subject| {
            let get = |f: &str| s.fields[f].clone();
            (
                get("person.registered_unemployed"),
                get("person.unemployed_months"),
                get("person.employment_kind"),
                get("person.public_welfare_months"),
            )
        };
        let row = |u: bool, months: i64, kind: &str, placed: i64| {
            (
                Value::Bool(u),
                Value::Int(months),
                Value::String(kind.into()),
                Value::Int(placed),
            )
        };
        let region = Within::Region;
        let frame = |kind, within: Within<'static>| {
            let store = ctx.store.clone();
            async move {
                store
                    .screening_frame(kind, within, date(2020, 6, 30), &|_| {})
                    .await
                    .unwrap()
            }
        };
        let read = |s: wenjiu_store::policy::screening::frames::Subjects| {
            (0..s.ids.len())
                .map(|i| {
                    let name = names_of[&s.ids[i].person.unwrap()];
                    (name, fields(&s.frame.subject(i)))
                })
                .collect::<Vec<_>>()
        };
        let shenyang = vec![
            ("当日失业", row(true, 0, "none", 0)),
            ("当日注销", row(false, 0, "none", 0)),
            // Employed by the enterprise, placed and flexible at once: the employer comes first.
            ("公益岗", row(false, 0, "employer", 6)),
            ("当日离职", row(true, 0, "none", 0)),
            ("明日就业", row(false, 0, "none", 0)),
            ("受雇", row(false, 0, "employer", 0)),
        ];
        assert_eq!(
            read(frame(SubjectKind::Person, region("2101")).await),
            shenyang
        );
        let mut all = shenyang.clone();
        all.insert(2, ("大连失业", row(true, 5, "none", 0)));
        let whole = read(frame(SubjectKind::Person, region("")).await);
        assert_eq!(whole, all);

        // The hires: their people on the day before, 2020-02-29 unemployed since 2019-08-01
        // (7 months up to the hire's start, 2020-03-01), and 2020-05-31 placed since
        // 2019-12-15 (neither the hire itself nor the flexible work begun later is open then).
        let hires = vec![
            ("受雇", row(true, 7, "none", 0)),
            ("公益岗", row(false, 0, "public_welfare", 5)),
        ];
        assert_eq!(read(frame(SubjectKind::Hire, region("")).await), hires);
        assert_eq!(read(frame(SubjectKind::Hire, region("2101")).await), hires);
        assert_eq!(read(frame(SubjectKind::Hire, region("2102")).await), []);
        let placed = *names_of.iter().find(|(_, n)| **n == "公益岗").unwrap().0;
        let one = frame(SubjectKind::Hire, Within::Person(placed)).await;
        assert_eq!(read(one), hires[1..]);

        // The registry's own status on the date, derived by its per-person queries.
        let (_, people) = admin.list("/persons").await;
        for (name, (unemployed, _, kind, _)) in &whole {
            let status = match (kind, unemployed) {
                (Value::String(k), _) if k != "none" => "employed",
                (_, Value::Bool(true)) => "unemployed",
                _ => "none",
            };
            let p = people.iter().find(|p| p["name"] == *name).unwrap();
            assert_eq!(p["status"], status, "{name}");
        }

        let zero = |s: &wenjiu_store::policy::screening::frames::Subjects| {
            (0..s.ids.len())
                .filter(|i| {
                    s.frame.subject(*i).fields["person.zero_employment_household"]
                        == Value::Bool(true)
                })
                .map(|i| names_of[&s.ids[i].person.unwrap()])
                .collect::<Vec<_>>()
        };
        assert_eq!(
            zero(&frame(SubjectKind::Person, region("")).await),
            ["当日失业"]
        );
        assert_eq!(
            zero(&frame(SubjectKind::Person, region("2102")).await),
            [""; 0]
        );
        let first = *names_of.iter().find(|(_, n)| **n == "当日失业").unwrap().0;
        let one = frame(SubjectKind::Person, Within::Person(first)).await;
        assert_eq!(zero(&one), ["当日失业"]);
    })
    .await;
}
