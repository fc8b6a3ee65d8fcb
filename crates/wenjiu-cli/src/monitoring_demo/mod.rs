//! The demo province's unemployment dynamic monitoring: the seed's sample of 5,464
//! enterprises (topped up with generated enterprises where the registry has fewer), reports
//! from January 2019 to May 2020, each month's warnings run and — for the closed months —
//! handled, and four layoff filings in every state.

mod handling;
mod series;

use wenjiu_core::RegionCode;
use wenjiu_store::registry::{EnterpriseFilter, Kind};
use wenjiu_store::{PageReq, Scope, Store};

use crate::synth::{Province, Rng};

use series::SAMPLE;

const ACTOR: &str = "demo";

/// Every enterprise of the registry: (id, county, insured headcount), by id.
async fn enterprises(store: &Store) -> anyhow::Result<Vec<(i64, RegionCode, i64)>> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = store
            .enterprises(
                &Scope::All,
                &EnterpriseFilter::default(),
                PageReq::new(Some(page), Some(500)),
            )
            .await?;
        for e in &p.rows {
            out.push((e.id, RegionCode::parse(&e.region)?, e.insured_count));
        }
        if out.len() as i64 >= p.total || p.rows.is_empty() {
            break;
        }
    }
    Ok(out)
}

/// Loads the monitoring demo. `full` builds the seed's whole sample (creating enterprises as
/// needed); otherwise every enterprise of the (small) registry is monitored. `own` is the demo
/// enterprise user's enterprise: monitored, its May 2020 report left for the user to submit.
pub async fn load(
    store: &Store,
    province: &mut Province,
    full: bool,
    own: i64,
) -> anyhow::Result<()> {
    let mut all = enterprises(store).await?;
    if full && all.len() < SAMPLE {
        // Generated enterprises numbered far above the registry's own, so codes never clash.
        let rows = (all.len()..SAMPLE)
            .map(|n| province.enterprise(1_000_000 + n as u64).0)
            .collect();
        crate::demo::import_rows(store, Kind::Enterprise, rows).await?;
        all = enterprises(store).await?;
    }
    if full {
        all.truncate(SAMPLE);
    }
    let mut rng = Rng::new(province.rng().next_u64());
    let members = series::sample(&mut rng, &all, Some(own));
    let enrolled_on = series::first_month().first_day();
    let rows: Vec<_> = members
        .iter()
        .map(|m| (m.id, m.county.to_string(), enrolled_on, m.baseline, true))
        .collect();
    store.enrol_many(&rows, ACTOR).await?;
    let reports = series::reports(&mut rng, &members, &[own]);
    store.load_reports(ACTOR, &reports).await?;
    let mut month = series::first_month();
    while month <= series::last_month() {
        store.run_monitoring(month).await?;
        handling::handle_warnings(store, month, &mut rng).await?;
        month = month.succ();
    }
    handling::filings(store, &members, own).await?;
    Ok(())
}
