//! What officials did with the demo's warnings and which layoffs were filed: warnings of
//! March 2020 and before handled and closed, April's in hand, May's partly acknowledged; four
//! filings — filed, implemented with its workers, withdrawn, and a small one under Art. 41.

use chrono::NaiveDate;
use wenjiu_core::Month;
use wenjiu_store::monitoring::{FilingInput, FilingStepInput, WarningAction, WarningFilter};
use wenjiu_store::{PageReq, Scope, Store};

use super::ACTOR;
use super::series::{Member, last_month};
use crate::synth::Rng;

fn act(action: &str, note: &str, resettled: i64) -> WarningAction {
    WarningAction {
        action: action.into(),
        note: note.into(),
        resettled,
    }
}

pub async fn handle_warnings(store: &Store, month: Month, rng: &mut Rng) -> anyhow::Result<()> {
    let age = month.months_until(last_month());
    let filter = WarningFilter {
        month: Some(month.to_string()),
        status: Some("open".into()),
        ..Default::default()
    };
    loop {
        // Handled warnings leave the "open" filter, so the first page is always the rest.
        let page = store
            .warnings(&Scope::All, &filter, PageReq::new(Some(1), Some(500)))
            .await?;
        for w in &page.rows {
            if age == 0 && !rng.chance(400) {
                continue;
            }
            store
                .act_on_warning(&Scope::All, ACTOR, w.id, &act("acknowledge", "", 0))
                .await?;
            if age >= 1 {
                let note = "走访企业，落实稳岗返还，组织专场招聘对接岗位";
                store
                    .act_on_warning(&Scope::All, ACTOR, w.id, &act("handle", note, w.people / 2))
                    .await?;
            }
            if age >= 2 {
                let note = "企业生产经营恢复，减员人员已基本安置";
                store
                    .act_on_warning(&Scope::All, ACTOR, w.id, &act("close", note, 0))
                    .await?;
            }
        }
        // This month's warnings are only partly acknowledged: one pass.
        if age == 0 || page.rows.is_empty() {
            return Ok(());
        }
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("valid demo date")
}

/// The largest member of a city not yet used, other than the demo user's own.
fn pick<'a>(
    members: &'a [Member],
    city: &str,
    min: i64,
    used: &mut Vec<i64>,
    own: i64,
) -> Option<&'a Member> {
    let m = members
        .iter()
        .filter(|m| m.county.as_str().starts_with(city) && m.id != own && !used.contains(&m.id))
        .filter(|m| m.baseline >= min)
        .min_by_key(|m| m.baseline)?;
    used.push(m.id);
    Some(m)
}

pub async fn filings(store: &Store, members: &[Member], own: i64) -> anyhow::Result<()> {
    let mut used = Vec::new();
    let file =
        async |store: &Store, m: &Member, planned: i64, grounds: &str, on: &str, why: &str| {
            store
                .file_layoff(
                    &Scope::All,
                    ACTOR,
                    &FilingInput {
                        enterprise_id: Some(m.id),
                        planned,
                        staff: Some(m.baseline),
                        grounds: grounds.into(),
                        planned_on: date(on),
                        explanation: why.into(),
                    },
                )
                .await
        };
    let step = async |store: &Store, id: i64, step: &str, on: &str, evidence: &str| {
        store
            .record_filing_step(
                &Scope::All,
                ACTOR,
                id,
                &FilingStepInput {
                    step: step.into(),
                    done_on: date(on),
                    evidence: evidence.into(),
                },
            )
            .await
    };
    // 沈阳: 260 people, filed, notice given late in May, the province told.
    if let Some(m) = pick(members, "2101", 800, &mut used, own) {
        let id = file(
            store,
            m,
            260,
            "serious_difficulty",
            "2020-06-30",
            "受疫情影响订单锐减，两条生产线停产",
        )
        .await?;
        step(
            store,
            id,
            "notify_staff",
            "2020-05-28",
            "职工代表大会通报会议纪要",
        )
        .await?;
        step(
            store,
            id,
            "early_intervention",
            "2020-05-29",
            "市人社局稳岗指导组进驻",
        )
        .await?;
        step(
            store,
            id,
            "province_report",
            "2020-05-29",
            "辽人社监测〔2020〕快报",
        )
        .await?;
    }
    // 大连: 120 people, every step done, implemented; its registered employees listed. Filed
    // and carried out in the spring, so the store's clock is set to the days it happened.
    if let Some(m) = pick(members, "2102", 400, &mut used, own) {
        let spring = store.clone().with_as_of(Some(date("2020-04-08")));
        let id = file(
            &spring,
            m,
            120,
            "change_of_production",
            "2020-04-30",
            "转产医疗防护用品，原装配岗位裁减",
        )
        .await?;
        for (s, on, ev) in [
            ("notify_staff", "2020-03-25", "工会通报记录（2020-03-25）"),
            ("early_intervention", "2020-03-27", "区人社局提前介入记录"),
            ("hear_opinions", "2020-04-02", "职工意见汇总"),
            ("report_labour", "2020-04-08", "裁减人员方案报告回执"),
        ] {
            step(&spring, id, s, on, ev).await?;
        }
        let laid_off = store.clone().with_as_of(Some(date("2020-04-30")));
        laid_off.implement_filing(&Scope::All, id).await?;
        let workers = store.employees_of(m.id, 120).await?;
        store.add_workers_by_id(id, &workers).await?;
        store
            .request_job_fair(&Scope::All, id, "装配、质检岗位，6月上旬线上专场")
            .await?;
    }
    // 鞍山: 35 people, Art. 41 applies, later withdrawn.
    if let Some(m) = pick(members, "2103", 300, &mut used, own) {
        let id = file(
            store,
            m,
            35,
            "objective_change",
            "2020-07-15",
            "原材料涨价，拟压缩产能",
        )
        .await?;
        store.withdraw_filing(&Scope::All, id).await?;
    }
    // 沈阳: 12 of fewer than 120: 10% or more of the staff, so Art. 41 still applies.
    if let Some(m) = members
        .iter()
        .filter(|m| m.county.as_str().starts_with("2101") && m.id != own && !used.contains(&m.id))
        .find(|m| (40..120).contains(&m.baseline))
    {
        let id = file(store, m, 12, "serious_difficulty", "2020-06-20", "门店关闭").await?;
        step(store, id, "notify_staff", "2020-05-15", "全体职工会议记录").await?;
    }
    Ok(())
}
