//! The demo province: a deterministic synthetic Liaoning loaded through the ordinary
//! import path, and the demo accounts listed in the README.

use chrono::NaiveDate;
use wenjiu_io::TableReader;
use wenjiu_store::accounts::NewUser;
use wenjiu_store::registry::{EnterpriseRow, Kind};
use wenjiu_store::{Scope, Store};

use crate::progress::bar;
use crate::synth::Province;
use crate::synthfiles::enterprises;

/// The demo's "today": the end of May 2020, the date of the seed document's figures.
pub const AS_OF: (i32, u32, u32) = (2020, 5, 31);

pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2).expect("valid date")
}

/// Demo accounts: (user, display name, password, role, region scope).
pub const ACCOUNTS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    (
        "admin",
        "省级管理员",
        "Admin@2020",
        "province_admin",
        Some("21"),
    ),
    (
        "shenyang",
        "沈阳市经办员",
        "Shenyang@2020",
        "city_officer",
        Some("2101"),
    ),
    (
        "dalian",
        "大连市经办员",
        "Dalian@2020",
        "city_officer",
        Some("2102"),
    ),
    (
        "heping",
        "和平区经办员",
        "Heping@2020",
        "county_officer",
        Some("210102"),
    ),
    ("qiye", "企业用户", "Qiye@2020", "enterprise", None),
    ("auditor", "审计管理员", "Audit@2020", "auditor", Some("21")),
];

/// Runs one step of the demo load and logs how long it took: the load takes minutes, and
/// the log says where they go.
pub(crate) async fn step<T>(
    what: &str,
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    let begun = std::time::Instant::now();
    let out = work.await?;
    let secs = format!("{:.1}", begun.elapsed().as_secs_f64());
    tracing::info!(step = what, secs, "demo load");
    Ok(out)
}

pub(crate) async fn import_rows(
    store: &Store,
    kind: Kind,
    rows: Vec<Vec<String>>,
) -> anyhow::Result<()> {
    let what = format!("import {} ({} rows)", kind.name(), rows.len());
    step(&what, import_file(store, kind, rows)).await
}

async fn import_file(store: &Store, kind: Kind, rows: Vec<Vec<String>>) -> anyhow::Result<()> {
    let headers: Vec<&str> = kind.columns().iter().map(|c| c.header).collect();
    let mut csv = Vec::new();
    wenjiu_io::write_csv(&headers, rows.into_iter(), &mut csv)?;
    let reader = TableReader::from_bytes("demo.csv", csv)?;
    let scope = Scope::All;
    let report = store.import(&scope, kind, reader, |_| {}).await?;
    if report.rejected_count > 0 {
        anyhow::bail!(
            "演示数据有 {} 行未通过校验：{:?}",
            report.rejected_count,
            report.rejected.first()
        );
    }
    Ok(())
}

/// Loads the demo province into an empty database and returns the people it now holds;
/// none if people already exist.
/// `calibrate` tops the registry up to the seed's figures (about 230,000 more people);
/// without it only the supplied statistics and targets are calibrated.
pub async fn load(
    store: &Store,
    people: u64,
    seed: u64,
    calibrate: bool,
) -> anyhow::Result<Option<i64>> {
    if registry_people(store).await? > 0 {
        return Ok(None);
    }
    let mut province = Province::new(seed);
    let (enterprises, employers) = enterprises(&mut province, people);
    let (mut person_rows, mut unemployment, mut employment) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..people {
        let (row, spec) = province.person();
        person_rows.push(row);
        let (u, e) = province.registrations(&spec, &employers, as_of());
        unemployment.extend(u);
        employment.extend(e);
    }
    let facts = crate::facts_demo::rows(seed, &enterprises, &unemployment, &employment, as_of());
    let steps = [
        (
            Kind::Enterprise,
            enterprises.into_iter().map(|e| e.0).collect::<Vec<_>>(),
        ),
        (Kind::Person, person_rows),
        (Kind::Unemployment, unemployment),
        (Kind::Employment, employment),
    ];
    let progress = bar(steps.len() as u64, "加载演示数据");
    for (kind, rows) in steps {
        progress.set_message(format!(
            "加载演示数据：{}（{} 行）",
            kind.label(),
            rows.len()
        ));
        import_rows(store, kind, rows).await?;
        progress.inc(1);
    }
    progress.set_message(format!("加载演示数据：申报信息（{} 行）", facts.len()));
    step("supplied facts", crate::facts_demo::load(store, facts)).await?;
    progress.set_message("校准演示省份的指标");
    let calibrating = crate::calibrate::calibrate(store, &mut province, &employers, calibrate);
    step("calibration", calibrating).await?;
    progress.set_message("加载失业动态监测");
    let own = demo_enterprise(store).await?;
    let monitoring = crate::monitoring_demo::load(store, &mut province, calibrate, own.id);
    step("monitoring", monitoring).await?;
    progress.finish_and_clear();
    create_accounts(store, &own.credit_code).await?;
    // Every write derived its people as of the business date: nothing to refresh at start-up.
    store.mark_derived().await?;
    Ok(Some(registry_people(store).await?))
}

/// The people in the registry: the base population and those the calibration added.
async fn registry_people(store: &Store) -> anyhow::Result<i64> {
    let first = wenjiu_store::PageReq::new(Some(1), Some(1));
    let page = store
        .persons(&Scope::All, &Default::default(), first)
        .await?;
    Ok(page.total)
}

/// The demo enterprise user's enterprise: the first of 沈阳和平区, else of 沈阳, else any
/// (a small demo province may have none in 和平区).
async fn demo_enterprise(store: &Store) -> anyhow::Result<EnterpriseRow> {
    for prefix in ["210102", "2101", "21"] {
        let f = wenjiu_store::registry::EnterpriseFilter {
            region: Some(prefix.to_string()),
            ..Default::default()
        };
        let first = store
            .enterprises(
                &Scope::All,
                &f,
                wenjiu_store::PageReq::new(Some(1), Some(1)),
            )
            .await?;
        if let Some(e) = first.rows.into_iter().next() {
            return Ok(e);
        }
    }
    anyhow::bail!("演示省份没有单位，无法创建企业用户")
}

async fn create_accounts(store: &Store, own_code: &str) -> anyhow::Result<()> {
    let own = Some(own_code.to_string());
    for (username, name, password, role, region) in ACCOUNTS {
        if store.user_by_name(username).await?.is_some() {
            continue;
        }
        store
            .create_user(
                &Scope::All,
                NewUser {
                    username: username.to_string(),
                    display_name: name.to_string(),
                    password: password.to_string(),
                    role_code: role.to_string(),
                    scope_region: region.map(str::to_string),
                    scope_enterprise: if region.is_none() { own.clone() } else { None },
                },
            )
            .await?;
    }
    Ok(())
}
