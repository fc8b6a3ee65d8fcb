//! Policies through the real router on SQLite and PostgreSQL: the public list without a
//! session, evaluation with each city's parameters, parameters entered by a city within its
//! own scope with their history, and a reload that keeps the old catalogue when the new one
//! is broken.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use wenjiu_server::{AppState, ServerConfig};

/// A hire for `hiring-si`: registered unemployed for 6 months, a 12-month contract, SI paid,
/// 1234.56 yuan of employer SI a month (as in policies/liaoning-2020/tests/hiring-si.toml).
fn hire(region: &str, unemployed_months: i64) -> Value {
    json!({
        "kind": "hire",
        "region": region,
        "fields": {
            "person.registered_unemployed": true,
            "person.unemployed_months": unemployed_months,
            "person.graduate_of_year": false,
            "hire.contract_months": 12,
            "hire.si_paid": true,
            "hire.start_date": "2020-06-01",
            "hire.monthly_employer_si_fen": 123456,
        }
    })
}

async fn evaluate(c: &Client, subject: Value) -> Value {
    let body = json!({ "subject": subject, "date": "2020-09-30", "policy": "hiring-si" });
    let r = c
        .post("/policy/evaluate", body)
        .await
        .expect(StatusCode::OK);
    r["results"][0].clone()
}

#[tokio::test]
async fn the_policy_list_is_public() {
    for_each_backend(|ctx| async move {
        // A county's own value that starts later is not in force: the list shows its city's.
        ctx.admin()
            .await
            .post(
                "/policy/parameters",
                json!({ "name": "hiring_si_months", "region": "210202", "from": "2099-01-01",
                        "value": 5, "source": "中山区文件（测试）" }),
            )
            .await
            .expect(StatusCode::OK);
        let anon = ctx.anonymous();
        let all = anon.get("/policy/policies").await.expect(StatusCode::OK);
        let all = all.as_array().unwrap();
        assert!(all.len() >= 13, "{}", all.len());
        let p = anon
            .get("/policy/policies/hiring-si")
            .await
            .expect(StatusCode::OK);
        assert_eq!(p["subject"], "hire");
        assert_eq!(p["legal_basis"]["document"], "辽政发〔2020〕9号");
        assert_eq!(p["valid_to"], "2020-12-31");
        assert_eq!(p["fund"], "就业补助资金");
        let conditions: Vec<&str> = p["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            conditions,
            ["target_group", "contract", "si_paid", "hired_in_period"]
        );
        assert!(
            p["conditions"][1]["clause"]
                .as_str()
                .unwrap()
                .contains("1年以上")
        );
        assert!(
            p["amount"]["formula"]
                .as_str()
                .unwrap()
                .contains("hiring_si_months")
        );
        assert_eq!(p["amount"]["round"], "down_to_fen");
        let months = p["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == "hiring_si_months")
            .unwrap();
        assert_eq!(
            months["province_value"],
            json!({ "type": "int", "value": 3 })
        );
        // The cities' own standards beside it (沈阳 4, 大连 6 months: the catalogue's demo values).
        let local: Vec<(&str, &Value)> = months["local"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["region"].as_str().unwrap(), &l["value"]["value"]))
            .collect();
        assert_eq!(local, [("2101", &json!(4)), ("2102", &json!(6))]);
        assert_eq!(months["local"][1]["region_name"], "辽宁省大连市");
        anon.get("/policy/policies/nope")
            .await
            .expect_error(StatusCode::NOT_FOUND, "not_found");
        // The rest of the module needs a session.
        anon.get("/policy/parameters")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
        anon.post("/policy/evaluate", json!({}))
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "auth.required");
    })
    .await;
}

#[tokio::test]
async fn evaluation_follows_each_citys_parameters_and_names_failed_conditions() {
    for_each_backend(|ctx| async move {
        let o = ctx.officers().await;
        // 大连 pays 6 months, 沈阳 4 (demo values of the catalogue).
        let dalian = evaluate(&o.dalian, hire("210202", 6)).await;
        assert_eq!(dalian["outcome"], "eligible", "{dalian}");
        assert_eq!(dalian["amount_fen"], 6 * 123456);
        let read = &dalian["trace"]["params"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "hiring_si_months")
            .unwrap()
            .clone();
        assert_eq!(read["region"], "2102");
        let shenyang = evaluate(&o.heping, hire("210102", 6)).await;
        assert_eq!(shenyang["amount_fen"], 4 * 123456, "{shenyang}");

        let short = evaluate(&o.dalian, hire("210202", 5)).await;
        assert_eq!(short["outcome"], "not_eligible");
        assert_eq!(short["failed"], json!(["target_group"]));
        assert!(short.get("amount_fen").is_none());

        // All hire policies at once.
        let all = o
            .dalian
            .post(
                "/policy/evaluate",
                json!({ "subject": hire("210202", 6), "date": "2020-09-30" }),
            )
            .await
            .expect(StatusCode::OK);
        let ids: Vec<&str> = all["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["policy_id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"hiring-si"), "{ids:?}");
        assert!(ids.iter().all(|id| *id != "flexible-si"), "{ids:?}");

        // Fields are checked against the schema.
        let mut unknown = hire("210202", 6);
        unknown["fields"]["person.shoe_size"] = json!(42);
        let e = o
            .dalian
            .post(
                "/policy/evaluate",
                json!({ "subject": unknown, "date": "2020-09-30" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(e["fields"][0]["column"], "person.shoe_size");
        let mut wrong = hire("210202", 6);
        wrong["fields"]["hire.si_paid"] = json!("yes");
        let e = o
            .dalian
            .post(
                "/policy/evaluate",
                json!({ "subject": wrong, "date": "2020-09-30" }),
            )
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(e["fields"][0]["column"], "hire.si_paid");

        let audit = ctx.admin().await.audit("action=policy.evaluate").await;
        assert!(audit.len() >= 4, "{audit:?}");
    })
    .await;
}

/// `hiring_si_months` as `c` reads it from the parameter list, and its values for 沈阳.
async fn hiring_months(c: &Client) -> (Value, Value) {
    let all = c.get("/policy/parameters").await.expect(StatusCode::OK);
    let find = |list: &Value, key: &str, value: &str| {
        let found = list.as_array().unwrap().iter().find(|x| x[key] == value);
        found
            .unwrap_or_else(|| panic!("no {key} {value} in {list}"))
            .clone()
    };
    let months = find(&all, "name", "hiring_si_months");
    let shenyang = find(&months["regions"], "region", "2101");
    (months, shenyang)
}

#[tokio::test]
async fn a_city_sets_its_own_parameters_and_the_history_keeps_both() {
    for_each_backend(|ctx| async move {
        let o = ctx.officers().await;
        let new_value = |region: &str| {
            json!({
                "name": "hiring_si_months",
                "region": region,
                "from": "2020-07-01",
                "value": 5,
                "source": "沈阳市政府文件（测试）",
            })
        };
        let stored = o
            .shenyang
            .post("/policy/parameters", new_value("2101"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(stored["value"], "5");
        assert_eq!(stored["entered_by"], "shenyang");
        // A later hire in 沈阳 gets 5 months; 大连 is untouched.
        let later = evaluate(&o.heping, hire("210102", 6)).await;
        assert_eq!(later["amount_fen"], 5 * 123456, "{later}");
        assert_eq!(
            evaluate(&o.dalian, hire("210202", 6)).await["amount_fen"],
            6 * 123456
        );

        // Another city's parameters are out of scope, as any write outside it.
        o.shenyang
            .post("/policy/parameters", new_value("2102"))
            .await
            .expect_error(StatusCode::FORBIDDEN, "scope.denied");
        // The same start again would overwrite history.
        o.shenyang
            .post("/policy/parameters", new_value("2101"))
            .await
            .expect_error(StatusCode::CONFLICT, "conflict");
        // Values are type-checked; a county officer may not set parameters.
        let mut bad = new_value("2101");
        bad["value"] = json!("five");
        bad["from"] = json!("2020-08-01");
        o.shenyang
            .post("/policy/parameters", bad)
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        o.heping
            .post("/policy/parameters", new_value("210102"))
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");

        let (months, shenyang) = hiring_months(&o.dalian).await;
        let values = shenyang["values"].as_array().unwrap();
        assert_eq!(values.len(), 2, "{shenyang}");
        assert_eq!(values[0]["value"]["value"], 4);
        assert_eq!(values[0]["origin"], "file");
        assert_eq!(values[1]["value"]["value"], 5);
        assert_eq!(values[1]["from"], "2020-07-01");
        assert_eq!(values[1]["origin"], "database");
        assert_eq!(values[1]["entered_by"], "shenyang");
        assert_eq!(months["regions"][0]["region"], "21");
        // Someone who may not set parameters sees the values, not who entered them.
        let (_, shenyang) = hiring_months(&o.heping).await;
        assert_eq!(shenyang["values"][1]["value"]["value"], 5);
        assert_eq!(
            shenyang["values"][1]["entered_by"],
            Value::Null,
            "{shenyang}"
        );

        let audit = ctx.admin().await.audit("action=policy.param").await;
        let ok: Vec<&Value> = audit.iter().filter(|a| a["outcome"] == "ok").collect();
        assert_eq!(ok.len(), 1, "{audit:?}");
        let detail = ok[0]["detail"].as_str().unwrap();
        assert!(detail.contains("4 → 5"), "{detail}");
    })
    .await;
}

/// Copies the repository's catalogue into a temporary folder, with its parameters and policies.
fn copy_catalogue(to: &std::path::Path) {
    let from = catalogue_dir();
    for sub in ["", "parameters"] {
        std::fs::create_dir_all(to.join(sub)).unwrap();
        for e in std::fs::read_dir(from.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn a_broken_catalogue_is_rejected_on_reload_and_the_old_one_stays() {
    for_each_backend(|mut ctx| async move {
        let dir = tempfile::tempdir().unwrap();
        copy_catalogue(dir.path());
        let config = ServerConfig {
            policy_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        };
        ctx.app = wenjiu_server::app(AppState::new(ctx.store.clone(), config).unwrap());
        let admin = ctx.admin().await;
        let o = ctx.officers().await;
        let before = admin.get("/policy/policies").await.expect(StatusCode::OK);

        let r = admin
            .post("/policy/reload", json!({}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(r["policies"], before.as_array().unwrap().len());

        std::fs::write(
            dir.path().join("broken.toml"),
            "id = \"broken\"\nname = \"坏政策\"\nsubject = \"person\"\nfund = \"x\"\n\
             legal_basis = { document = \"d\", clause = \"c\" }\n\
             validity = { from = 2020-01-01 }\n\n[[conditions]]\nname = \"c\"\nclause = \"c\"\n\
             expr = 'person.shoe_size > 3'\n\n[amount]\nformula = '0'\nround = \"down_to_fen\"\n",
        )
        .unwrap();
        let e = admin
            .post("/policy/reload", json!({}))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "policy.invalid");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains("broken.toml:11"), "{message}");
        let after = admin.get("/policy/policies").await.expect(StatusCode::OK);
        assert_eq!(after, before);
        assert_eq!(
            evaluate(&o.dalian, hire("210202", 6)).await["amount_fen"],
            6 * 123456
        );
        // Only a province administrator reloads.
        o.dalian
            .post("/policy/reload", json!({}))
            .await
            .expect_error(StatusCode::FORBIDDEN, "auth.forbidden");
        let audit = admin.audit("action=policy.reload").await;
        let outcomes: Vec<&str> = audit
            .iter()
            .map(|a| a["outcome"].as_str().unwrap())
            .collect();
        for o in ["ok", "failed", "denied"] {
            assert!(outcomes.contains(&o), "{outcomes:?}");
        }
    })
    .await;
}

/// An amount of money is never negative: it would turn a subsidy into a charge.
#[tokio::test]
async fn negative_money_parameters_are_refused() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let value = |fen: i64| {
            json!({ "name": "hiring_epidemic_amount_fen", "region": "21", "from": "2020-09-01",
                    "value": fen, "source": "测试文件" })
        };
        let body = admin
            .post("/policy/parameters", value(-100))
            .await
            .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(body["fields"][0]["column"], "value", "{body}");
        assert!(body["message"].as_str().unwrap().contains("负数"), "{body}");
        admin
            .post("/policy/parameters", value(0))
            .await
            .expect(StatusCode::OK);
    })
    .await;
}

/// A changeable parameter stays within what the documents allow, and a city cannot set a
/// parameter only the province sets (review of the policy catalogue, finding 3).
#[tokio::test]
async fn parameters_stay_within_their_legal_bounds() {
    for_each_backend(|ctx| async move {
        let o = ctx.officers().await;
        let refused =
            |name: &'static str, value: Value, column: &'static str, says: &'static str| {
                let shenyang = o.shenyang.clone();
                async move {
                    let body = json!({ "name": name, "region": "2101", "from": "2020-06-01",
                                   "value": value, "source": "测试文件" });
                    let e = shenyang
                        .post("/policy/parameters", body)
                        .await
                        .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
                    assert_eq!(e["fields"][0]["column"], column, "{e}");
                    let message = e["message"].as_str().unwrap();
                    assert!(message.contains(says), "{message}");
                }
            };
        // 国办发〔2020〕6号: at most 100% of the contributions paid.
        refused(
            "stable_return_rate_sme",
            json!("150%"),
            "value",
            "不大于 100%",
        )
        .await;
        // 财社〔2017〕164号: at most 2/3; never negative.
        refused("flexible_si_share", json!("70%"), "value", "不大于 2/3").await;
        refused("flexible_si_share", json!("-50%"), "value", "负数").await;
        // 辽政发〔2020〕9号: a contract of a year or more.
        refused(
            "hiring_min_contract_months",
            json!(-1),
            "value",
            "不小于 12",
        )
        .await;
        // The 10 provincial bases are the province's list.
        refused("incubation_top_n", json!(50), "region", "省级统一规定").await;
        o.shenyang
            .post(
                "/policy/parameters",
                json!({ "name": "stable_return_rate_sme", "region": "2101", "from": "2020-06-01",
                        "value": "80%", "source": "测试文件" }),
            )
            .await
            .expect(StatusCode::OK);
    })
    .await;
}

/// 政策试算 takes a value only if the registry or a supplied fact could hold it: a code of the
/// field's list, no negative count or amount, no hire starting after the date (review of the
/// policy catalogue, finding 9).
#[tokio::test]
async fn a_trial_refuses_values_no_record_could_hold() {
    for_each_backend(|ctx| async move {
        let admin = ctx.admin().await;
        let refused = |fields: Value, policy: &'static str, column: &'static str, says: &'static str| {
            let admin = admin.clone();
            async move {
                let kind = column.split('.').next().unwrap();
                let kind = if fields.get("hire.start_date").is_some() { "hire" } else { kind };
                let body = json!({ "date": "2020-11-30", "policy": policy,
                                   "subject": { "kind": kind, "region": "210102", "fields": fields } });
                let e = admin
                    .post("/policy/evaluate", body)
                    .await
                    .expect_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
                assert_eq!(e["fields"][0]["column"], column, "{e}");
                let message = e["message"].as_str().unwrap();
                assert!(message.contains(says), "{message}");
            }
        };
        refused(json!({ "person.sex": "男" }), "public-welfare", "person.sex", "male（男）").await;
        refused(
            json!({ "enterprise.size_class": "nonsense" }),
            "stable-return",
            "enterprise.size_class",
            "之一",
        )
        .await;
        refused(
            json!({ "enterprise.ui_paid_last_year_fen": -1234567 }),
            "stable-return",
            "enterprise.ui_paid_last_year_fen",
            "负数",
        )
        .await;
        refused(json!({ "person.age": -5 }), "public-welfare", "person.age", "负数").await;
        let mut late = hire("210102", 6);
        late["fields"]["hire.start_date"] = json!("2020-12-20");
        refused(late["fields"].clone(), "hiring-si", "hire.start_date", "尚未开始").await;
        // The codes are those the registry stores, and the hire of the day itself is taken.
        let mut today = hire("210102", 6);
        today["fields"]["hire.start_date"] = json!("2020-09-30");
        today["fields"]["person.sex"] = json!("female");
        assert_eq!(evaluate(&admin, today).await["outcome"], "eligible");
    })
    .await;
}
