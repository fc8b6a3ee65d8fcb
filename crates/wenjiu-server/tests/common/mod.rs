//! Test harness of the HTTP API: every test runs once on a fresh SQLite file and, when
//! `WENJIU_TEST_PG` names a PostgreSQL server, once more on a fresh PostgreSQL database.
//! The router is driven in-process with `tower::ServiceExt::oneshot`.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod screening;

use std::future::Future;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use chrono::NaiveDate;
use serde_json::{Value, json};
use sqlx::Connection;
use tower::ServiceExt;
use wenjiu_core::{CreditCode, IdCardNo};
use wenjiu_server::{AppState, ServerConfig};
use wenjiu_store::Store;
use wenjiu_store::accounts::NewUser;

/// Meets the password rule (upper, lower, digit, special; 10 characters).
pub const PASSWORD: &str = "Passw0rd!x";

// ---------------------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------------------

/// One test's database and the application on top of it.
pub struct Ctx {
    /// "sqlite" or "postgres", for messages.
    pub backend: &'static str,
    pub url: String,
    pub store: Store,
    pub app: Router,
}

impl Ctx {
    async fn open(backend: &'static str, url: String) -> Ctx {
        let keys = wenjiu_crypto::Keyring::new(wenjiu_crypto::Keys::generate("k1"));
        let store = Store::open(&url, keys)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
        store.migrate().await.expect("migrate");
        let app = app_of(&store);
        Ctx {
            backend,
            url,
            store,
            app,
        }
    }

    /// The same database with the business date fixed (key groups are derived as of it).
    pub fn with_as_of(mut self, date: NaiveDate) -> Ctx {
        self.store = self.store.clone().with_as_of(Some(date));
        self.app = app_of(&self.store);
        self
    }

    /// A connection of its own, bypassing the store.
    async fn raw_connection(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url)
            .await
            .expect("raw connection")
    }

    /// Runs one statement through a separate connection, bypassing the store (tampering).
    pub async fn raw_sql(&self, sql: &str) -> u64 {
        let mut conn = self.raw_connection().await;
        let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
        done.rows_affected()
    }

    /// The rows of one query through a separate connection (counting what the store keeps).
    pub async fn raw_rows(&self, sql: &str) -> Vec<sqlx::any::AnyRow> {
        let mut conn = self.raw_connection().await;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
        rows
    }

    /// A client without a session.
    pub fn anonymous(&self) -> Client {
        Client {
            app: self.app.clone(),
            cookie: None,
        }
    }

    /// Signs in through the API; panics unless that succeeds.
    pub async fn login(&self, username: &str) -> Client {
        let mut c = self.anonymous();
        let r = c.login(username, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "login of {username}: {}",
            r.text()
        );
        c
    }

    /// Creates a user directly in the store.
    pub async fn user(
        &self,
        username: &str,
        role: &str,
        region: Option<&str>,
        enterprise: Option<&str>,
    ) -> i64 {
        self.store
            .create_user(
                &wenjiu_store::Scope::All,
                NewUser {
                    username: username.into(),
                    display_name: username.into(),
                    password: PASSWORD.into(),
                    role_code: role.into(),
                    scope_region: region.map(str::to_string),
                    scope_enterprise: enterprise.map(str::to_string),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("creating user {username}: {e}"))
    }

    /// The province administrator `admin` (scope 21), signed in.
    pub async fn admin(&self) -> Client {
        self.user("admin", "province_admin", Some("21"), None).await;
        self.login("admin").await
    }

    /// The regional officers: `shenyang` (2101), `dalian` (2102), `heping` (county 210102).
    pub async fn officers(&self) -> Officers {
        self.user("shenyang", "city_officer", Some("2101"), None)
            .await;
        self.user("dalian", "city_officer", Some("2102"), None)
            .await;
        self.user("heping", "county_officer", Some("210102"), None)
            .await;
        Officers {
            shenyang: self.login("shenyang").await,
            dalian: self.login("dalian").await,
            heping: self.login("heping").await,
        }
    }
}

pub struct Officers {
    pub shenyang: Client,
    pub dalian: Client,
    pub heping: Client,
}

fn app_of(store: &Store) -> Router {
    wenjiu_server::app(
        AppState::new(
            store.clone(),
            ServerConfig {
                policy_dir: Some(catalogue_dir()),
                ..Default::default()
            },
        )
        .expect("policy catalogue"),
    )
}

/// The policy catalogue of the repository, `policies/liaoning-2020`.
pub fn catalogue_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/liaoning-2020")
}

/// The PostgreSQL server to test against, if any. In CI it is required.
fn pg_admin_url() -> Option<String> {
    match std::env::var("WENJIU_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ if std::env::var_os("CI").is_some() => panic!(
            "CI is set but WENJIU_TEST_PG is not: in CI every test must also run on PostgreSQL. \
             Set WENJIU_TEST_PG to a server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        ),
        _ => None,
    }
}

/// `url` with its database name replaced by `db` (query parameters kept).
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[host_start..].find('/') {
        Some(i) => &base[..host_start + i],
        None => base,
    };
    format!("{base}/{db}{query}")
}

async fn pg_admin(admin_url: &str, sql: String) -> Result<(), sqlx::Error> {
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    let res = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await;
    conn.close().await.ok();
    res.map(|_| ())
}

/// Runs the test on a fresh context; a panic is caught so the caller can clean up first.
async fn run<F, Fut>(backend: &'static str, url: String, test: &F) -> std::thread::Result<()>
where
    F: Fn(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let ctx = Ctx::open(backend, url).await;
    tokio::spawn(test(ctx)).await.map_err(|e| {
        eprintln!("--- the test failed on {backend} ---");
        match e.try_into_panic() {
            Ok(panic) => panic,
            Err(e) => Box::new(format!("test task did not finish: {e}")),
        }
    })
}

/// Runs `test` on SQLite, then on PostgreSQL when `WENJIU_TEST_PG` is set, each time on a
/// database of its own that is removed afterwards (also when the test fails).
pub async fn for_each_backend<F, Fut>(test: F)
where
    F: Fn(Ctx) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let pg = pg_admin_url();

    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("wenjiu.db").display());
    let outcome = run("sqlite", url, &test).await;
    drop(dir);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }

    if let Some(admin_url) = pg {
        let name = format!("wenjiu_t_{}", &wenjiu_crypto::random_token()[..16]);
        pg_admin(&admin_url, format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|e| panic!("creating test database on {admin_url}: {e}"));
        let outcome = run("postgres", with_database(&admin_url, &name), &test).await;
        // Best effort: FORCE ends connections a failed test left open.
        if let Err(e) = pg_admin(
            &admin_url,
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await
        {
            eprintln!("could not drop test database {name}: {e}");
        }
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}

// ---------------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------------

/// A response: status, headers and body.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} with a body that is not JSON ({e}): {}",
                self.status,
                self.text()
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn is_json(&self) -> bool {
        let ct = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        ct.starts_with("application/json")
    }

    /// Asserts the status and returns the JSON body (`Null` for another kind of body).
    pub fn expect(&self, status: StatusCode) -> Value {
        let shown = if self.is_json() {
            self.text()
        } else {
            format!("{} bytes", self.body.len())
        };
        assert_eq!(self.status, status, "unexpected status; body: {shown}");
        if self.is_json() {
            self.json()
        } else {
            Value::Null
        }
    }

    /// Asserts an error response: the status, a JSON content type and `{code, message}`.
    pub fn expect_error(&self, status: StatusCode, code: &str) -> Value {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body: {}",
            self.text()
        );
        assert!(
            self.is_json(),
            "error without a JSON content type ({:?}): {}",
            self.headers.get(CONTENT_TYPE),
            self.text()
        );
        let body = self.json();
        assert_eq!(body["code"], code, "error code; body: {body}");
        let message = body["message"]
            .as_str()
            .unwrap_or_else(|| panic!("error without a message: {body}"));
        assert!(!message.trim().is_empty(), "empty error message: {body}");
        body
    }
}

/// Drives the router like a browser: keeps the session cookie set at login.
#[derive(Clone)]
pub struct Client {
    app: Router,
    cookie: Option<String>,
}

impl Client {
    pub async fn login(&mut self, username: &str, password: &str) -> Resp {
        let r = self
            .post(
                "/auth/login",
                json!({ "username": username, "password": password }),
            )
            .await;
        if r.status == StatusCode::OK {
            let set = r
                .headers
                .get(SET_COOKIE)
                .expect("login sets a cookie")
                .to_str()
                .unwrap();
            let pair = set.split(';').next().unwrap().trim().to_string();
            assert!(pair.starts_with("wenjiu_session="), "session cookie: {set}");
            self.cookie = Some(pair);
        }
        r
    }

    /// Replaces the session cookie (e.g. with a forged one).
    pub fn with_cookie(&self, cookie: &str) -> Client {
        Client {
            app: self.app.clone(),
            cookie: Some(cookie.to_string()),
        }
    }

    /// Sends a request to `/api/v1{path}`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"));
        if let Some(ct) = content_type {
            req = req.header(CONTENT_TYPE, ct);
        }
        if let Some(c) = &self.cookie {
            req = req.header(COOKIE, c);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None, Vec::new()).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(
            Method::POST,
            path,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(
            Method::PUT,
            path,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }

    /// Uploads `bytes` as the multipart field `file`.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: &[u8]) -> Resp {
        const BOUNDARY: &str = "wenjiu-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={BOUNDARY}");
        self.send(Method::POST, path, Some(&ct), body).await
    }

    /// Creates a record through the API (201 expected) and returns its id.
    pub async fn create(&self, path: &str, body: Value) -> i64 {
        let r = self.post(path, body.clone()).await;
        let created = r.expect(StatusCode::CREATED);
        created["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("POST {path} {body}: no id in {created}"))
    }

    /// The rows of a list (all on one page) and its total.
    pub async fn list(&self, path: &str) -> (i64, Vec<Value>) {
        let sep = if path.contains('?') { '&' } else { '?' };
        let page = self
            .get(&format!("{path}{sep}page_size=500"))
            .await
            .expect(StatusCode::OK);
        let rows = page["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("GET {path}: no rows in {page}"))
            .clone();
        (page["total"].as_i64().expect("total"), rows)
    }

    /// The audit records matching `query` (e.g. `action=person.reveal`), newest first.
    pub async fn audit(&self, query: &str) -> Vec<Value> {
        self.list(&format!("/audit?{query}")).await.1
    }

    /// The job of the latest import of `kind` (`person`, …): the import's audit record
    /// names it as its target, `job:{id}`. Needs the audit permission.
    pub async fn last_import_job(&self, kind: &str) -> i64 {
        let records = self.audit(&format!("action={kind}.import")).await;
        let target = records.first().expect("an import in the audit log")["target"].clone();
        let id = target.as_str().and_then(|t| t.strip_prefix("job:"));
        id.and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("import audit target {target}"))
    }
}

// ---------------------------------------------------------------------------------------
// Test data
// ---------------------------------------------------------------------------------------

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A valid ID number registered in `area6`, born 1990-01-01 (working age), with sequence `seq`.
pub fn id_no(area6: &str, seq: u16) -> String {
    IdCardNo::build(area6, date(1990, 1, 1), seq)
        .unwrap()
        .as_str()
        .to_string()
}

/// A valid credit code of an enterprise registered in `region6`.
pub fn credit_code(region6: &str, body8: &str) -> String {
    CreditCode::build('9', '1', region6, body8)
        .unwrap()
        .as_str()
        .to_string()
}

/// What the lists must show instead of an ID number: first 4 and last 4 kept.
pub fn masked_id(id: &str) -> String {
    format!("{}{}{}", &id[..4], "*".repeat(10), &id[14..])
}

pub fn person(name: &str, id_no: &str, region: &str, phone: &str) -> Value {
    json!({ "name": name, "id_no": id_no, "phone": phone, "hukou": "城镇", "region": region, "education": "本科" })
}

pub fn enterprise(name: &str, code: &str, region: &str) -> Value {
    json!({
        "credit_code": code, "name": name, "industry": "C", "ownership": "私营",
        "size_class": "小型", "region": region, "insured_count": 20
    })
}

/// A person of the seeded registry.
#[derive(Clone, Debug)]
pub struct Seeded {
    pub id: i64,
    pub id_no: String,
    pub phone: String,
    pub region: &'static str,
    /// Each seeded person has a household of their own (the Beijing person has none).
    pub household_no: String,
}

/// A small registry across Liaoning (created by the province administrator) plus one person
/// in Beijing, outside the province (created through the store).
pub struct Registry {
    /// 沈阳和平 ×2, 沈阳沈河, 大连中山, 鞍山铁东.
    pub heping1: Seeded,
    pub heping2: Seeded,
    pub shenhe: Seeded,
    pub dalian: Seeded,
    pub anshan: Seeded,
    pub beijing: Seeded,
    pub ent_heping: (i64, String),
    pub ent_dalian: (i64, String),
    pub ent_anshan: (i64, String),
    /// heping1 at ent_heping; dalian at ent_dalian; shenhe flexible (no employer).
    pub emp_heping: i64,
    pub emp_dalian: i64,
    pub emp_shenhe: i64,
    /// heping2 in 210102; anshan in 210302.
    pub unemp_heping: i64,
    pub unemp_anshan: i64,
}

impl Registry {
    /// Every Liaoning person (what the province administrator sees).
    pub fn liaoning(&self) -> Vec<&Seeded> {
        vec![
            &self.heping1,
            &self.heping2,
            &self.shenhe,
            &self.dalian,
            &self.anshan,
        ]
    }

    pub fn everyone(&self) -> Vec<&Seeded> {
        let mut all = self.liaoning();
        all.push(&self.beijing);
        all
    }
}

pub async fn seed_registry(ctx: &Ctx, admin: &Client) -> Registry {
    let mut n = 0u16;
    let mut add = async |name: &str, area: &'static str| {
        n += 1;
        let id_no = id_no(area, n);
        let phone = format!("1380000{:04}", n);
        let household_no = format!("HH-{area}-{n}");
        let mut p = person(name, &id_no, area, &phone);
        p["household_no"] = json!(household_no);
        let id = admin.create("/persons", p).await;
        Seeded {
            id,
            id_no,
            phone,
            region: area,
            household_no,
        }
    };
    let heping1 = add("和平甲", "210102").await;
    let heping2 = add("和平乙", "210102").await;
    let shenhe = add("沈河丙", "210103").await;
    let dalian = add("中山丁", "210202").await;
    let anshan = add("铁东戊", "210302").await;

    // Outside the province administrator's scope: written through the store with a Beijing scope.
    let beijing_id_no = id_no("110105", 99);
    let beijing_phone = "13900009999".to_string();
    let fields = [
        ("name", "朝阳己"),
        ("id_no", beijing_id_no.as_str()),
        ("phone", beijing_phone.as_str()),
        ("hukou", "城镇"),
        ("region", "110105"),
    ];
    let p = wenjiu_core::NewPerson::from_fields(&|k| {
        fields.iter().find(|(f, _)| *f == k).map(|(_, v)| *v)
    })
    .expect("valid Beijing person");
    let beijing_scope =
        wenjiu_store::Scope::Region(wenjiu_core::RegionPrefix::parse("11").unwrap());
    let id = ctx
        .store
        .create_person(&beijing_scope, &p)
        .await
        .expect("Beijing person");
    let beijing = Seeded {
        id,
        id_no: beijing_id_no,
        phone: beijing_phone,
        region: "110105",
        household_no: String::new(),
    };

    let ent = async |name: &str, region: &str, body: &str| {
        let code = credit_code(region, body);
        (
            admin
                .create("/enterprises", enterprise(name, &code, region))
                .await,
            code,
        )
    };
    let ent_heping = ent("和平机械厂", "210102", "MA0Q1234").await;
    let ent_dalian = ent("大连船舶公司", "210202", "MA0Q5678").await;
    let ent_anshan = ent("鞍山钢铁公司", "210302", "MA0Q9012").await;

    let emp_heping = admin
        .create(
            "/employments",
            json!({ "id_no": heping1.id_no, "kind": "单位就业", "employer_credit_code": ent_heping.1,
                    "start_date": "2020-03-01", "area": "城镇", "region": "210102" }),
        )
        .await;
    let emp_dalian = admin
        .create(
            "/employments",
            json!({ "id_no": dalian.id_no, "kind": "单位就业", "employer_credit_code": ent_dalian.1,
                    "start_date": "2020-04-01", "area": "城镇", "region": "210202" }),
        )
        .await;
    let emp_shenhe = admin
        .create(
            "/employments",
            json!({ "id_no": shenhe.id_no, "kind": "灵活就业", "start_date": "2020-05-01",
                    "area": "城镇", "region": "210103" }),
        )
        .await;
    let unemp_heping = admin
        .create(
            "/unemployments",
            json!({ "id_no": heping2.id_no, "registered_on": "2020-02-01", "region": "210102", "reason": "辞职" }),
        )
        .await;
    let unemp_anshan = admin
        .create(
            "/unemployments",
            json!({ "id_no": anshan.id_no, "registered_on": "2020-02-15", "region": "210302", "reason": "被解除劳动合同" }),
        )
        .await;

    Registry {
        heping1,
        heping2,
        shenhe,
        dalian,
        anshan,
        beijing,
        ent_heping,
        ent_dalian,
        ent_anshan,
        emp_heping,
        emp_dalian,
        emp_shenhe,
        unemp_heping,
        unemp_anshan,
    }
}

/// Reads an XLSX (or CSV) download back: the header and the rows.
pub fn read_table(file_name: &str, bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let reader =
        wenjiu_io::TableReader::from_bytes(file_name, bytes.to_vec()).expect("readable table");
    let headers = reader.headers().to_vec();
    let rows = reader.map(|r| r.expect("readable row").cells).collect();
    (headers, rows)
}

/// The cells of one column, by header.
pub fn column(headers: &[String], rows: &[Vec<String>], header: &str) -> Vec<String> {
    let i = headers
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {headers:?}"));
    rows.iter().map(|r| r[i].clone()).collect()
}

/// A hire that qualifies for 一次性吸纳就业补贴 (hiring-si) from its start.
pub struct SubsidisedHire {
    pub id_no: String,
    pub person: i64,
    pub credit_code: String,
    pub enterprise: i64,
    pub hire: i64,
}

/// 应届生, a graduate of 2020 in 和平区, hired on 2020-03-02 by 和平厂 with the facts the
/// subsidy needs: a 12-month contract, contributions paid, 1,000 元 a month (沈阳's 4 months
/// make 4,000 元).
pub async fn subsidised_hire(admin: &Client) -> SubsidisedHire {
    let id_no = id_no("210102", 2);
    let mut p = person("应届生", &id_no, "210102", "13800000002");
    p["graduation_year"] = json!(2020);
    let person = admin.create("/persons", p).await;
    let credit_code = credit_code("210102", "12345678");
    let enterprise = admin
        .create("/enterprises", enterprise("和平厂", &credit_code, "210102"))
        .await;
    let hire = admin
        .create(
            "/employments",
            json!({ "id_no": id_no, "kind": "单位就业", "employer_credit_code": credit_code,
                    "start_date": "2020-03-02", "area": "城镇", "region": "210102" }),
        )
        .await;
    for (field, value) in [
        ("hire.contract_months", "12"),
        ("hire.si_paid", "是"),
        ("单位月缴社会保险费", "1000"),
    ] {
        admin
            .post(
                "/policy/facts",
                json!({ "field": field, "id_no": id_no, "credit_code": credit_code,
                        "hire_start": "2020-03-02", "value": value, "valid_from": "2020-03-02" }),
            )
            .await
            .expect(StatusCode::OK);
    }
    SubsidisedHire {
        id_no,
        person,
        credit_code,
        enterprise,
        hire,
    }
}
