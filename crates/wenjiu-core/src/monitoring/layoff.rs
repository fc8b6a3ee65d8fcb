//! Layoff-plan filings (裁员方案备案): what the law requires of a planned layoff, and whether
//! it may be marked implemented. 劳动合同法 Art. 41: ≥ 20 people, or fewer but ≥ 10% of the
//! workforce, needs 30 days' notice to the union or all staff, their opinions heard, then a
//! report to the labour administration. The seed adds HRSS early intervention at 50 and an
//! immediate report to the province at 200 (thresholds as parameters of [`Thresholds`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The grounds Art. 41 permits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grounds {
    /// 依照企业破产法规定进行重整
    Restructuring,
    /// 生产经营发生严重困难
    SeriousDifficulty,
    /// 企业转产、重大技术革新或者经营方式调整
    ChangeOfProduction,
    /// 其他因劳动合同订立时所依据的客观经济情况发生重大变化
    ObjectiveChange,
}

impl Grounds {
    pub const ALL: [Grounds; 4] = [
        Grounds::Restructuring,
        Grounds::SeriousDifficulty,
        Grounds::ChangeOfProduction,
        Grounds::ObjectiveChange,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Grounds::Restructuring => "restructuring",
            Grounds::SeriousDifficulty => "serious_difficulty",
            Grounds::ChangeOfProduction => "change_of_production",
            Grounds::ObjectiveChange => "objective_change",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Grounds::Restructuring => "依照企业破产法规定进行重整",
            Grounds::SeriousDifficulty => "生产经营发生严重困难",
            Grounds::ChangeOfProduction => "企业转产、重大技术革新或者经营方式调整",
            Grounds::ObjectiveChange => "客观经济情况发生重大变化",
        }
    }

    pub fn parse(text: &str) -> Option<Grounds> {
        Self::ALL
            .into_iter()
            .find(|g| g.code() == text || g.label() == text)
    }
}

/// The steps a filing may require, in the order the law puts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 提前三十日向工会或者全体职工说明情况
    NotifyStaff,
    /// 听取工会或者职工的意见
    HearOpinions,
    /// 向劳动行政部门报告裁减人员方案
    ReportLabour,
    /// 人社部门提前介入指导
    EarlyIntervention,
    /// 即时报告省级人社部门
    ProvinceReport,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::NotifyStaff,
        Step::HearOpinions,
        Step::ReportLabour,
        Step::EarlyIntervention,
        Step::ProvinceReport,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Step::NotifyStaff => "notify_staff",
            Step::HearOpinions => "hear_opinions",
            Step::ReportLabour => "report_labour",
            Step::EarlyIntervention => "early_intervention",
            Step::ProvinceReport => "province_report",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Step::NotifyStaff => "提前30日向工会或全体职工说明情况",
            Step::HearOpinions => "听取工会或职工意见",
            Step::ReportLabour => "向劳动行政部门报告裁减人员方案",
            Step::EarlyIntervention => "人社部门提前介入",
            Step::ProvinceReport => "报告省级人社部门",
        }
    }

    pub fn parse(text: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|s| s.code() == text)
    }

    /// Steps done by the HRSS department rather than the enterprise.
    pub fn by_official(&self) -> bool {
        matches!(self, Step::EarlyIntervention | Step::ProvinceReport)
    }
}

/// The thresholds that decide what a layoff requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Art. 41: 20 people …
    pub art41_people: i64,
    /// … or 10% of the workforce.
    pub art41_percent: i64,
    /// Days of notice before the layoff.
    pub notice_days: i64,
    /// The seed's early-intervention threshold.
    pub early_people: i64,
    /// The seed's immediate provincial report.
    pub province_people: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            art41_people: 20,
            art41_percent: 10,
            notice_days: 30,
            early_people: 50,
            province_people: 200,
        }
    }
}

/// A planned layoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoffPlan {
    /// People to be laid off.
    pub planned: i64,
    /// The enterprise's workforce.
    pub staff: i64,
    /// The day the layoff is to take effect.
    pub planned_on: NaiveDate,
}

/// What applies to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Requirements {
    /// The Art. 41 procedure (an 经济性裁员).
    pub art41: bool,
    pub early_intervention: bool,
    pub province_report: bool,
}

impl LayoffPlan {
    /// The plan's own consistency: numbers positive, no more laid off than employed.
    pub fn check(&self) -> Result<(), String> {
        if self.planned < 1 {
            return Err("拟裁减人数须大于 0".into());
        }
        if self.staff < self.planned {
            return Err(format!(
                "拟裁减人数 {} 超过企业职工总数 {}",
                self.planned, self.staff
            ));
        }
        Ok(())
    }

    pub fn requirements(&self, t: &Thresholds) -> Requirements {
        Requirements {
            art41: self.planned >= t.art41_people
                || self.planned * 100 >= t.art41_percent * self.staff,
            early_intervention: self.planned >= t.early_people,
            province_report: self.planned >= t.province_people,
        }
    }

    /// The steps this plan must complete before it is implemented, in order.
    pub fn required_steps(&self, t: &Thresholds) -> Vec<Step> {
        let r = self.requirements(t);
        let mut steps = Vec::new();
        if r.art41 {
            steps.extend([Step::NotifyStaff, Step::HearOpinions, Step::ReportLabour]);
        }
        if r.early_intervention {
            steps.push(Step::EarlyIntervention);
        }
        if r.province_report {
            steps.push(Step::ProvinceReport);
        }
        steps
    }

    /// Whether the plan may still be filed on `today`: it is filed before it is carried out
    /// (seed 二(五): "在听取工会或职工意见并向人力资源社会保障部门报告后方可实施").
    pub fn check_filed_on(&self, today: NaiveDate) -> Result<(), String> {
        if self.planned_on < today {
            return Err(format!(
                "裁员日期 {} 已过，裁员方案须在实施前备案",
                self.planned_on
            ));
        }
        Ok(())
    }

    /// Every reason the plan may not yet be marked implemented on `on`, given the steps done
    /// and their dates; empty when it may.
    pub fn blockers(
        &self,
        t: &Thresholds,
        done: &[(Step, NaiveDate)],
        on: NaiveDate,
    ) -> Vec<String> {
        let date_of = |s: Step| done.iter().find(|(d, _)| *d == s).map(|(_, date)| *date);
        let mut out: Vec<String> = self
            .required_steps(t)
            .into_iter()
            .filter(|s| date_of(*s).is_none())
            .map(|s| format!("尚未完成：{}", s.label()))
            .collect();
        if let Some(notified) = date_of(Step::NotifyStaff)
            && (self.planned_on - notified).num_days() < t.notice_days
        {
            out.push(format!(
                "说明情况日期 {notified} 距裁员日期 {} 不足 {} 日",
                self.planned_on, t.notice_days
            ));
        }
        // Art. 41 and the seed: opinions heard and the labour department told *before* the
        // layoff, so a step dated after the layoff date does not count. (Notice after it fails
        // the notice period above; a step cannot be recorded with a date not yet come.)
        for (step, done_on) in done.iter().filter(|(s, _)| *s != Step::NotifyStaff) {
            if *done_on > self.planned_on {
                out.push(format!(
                    "“{}”日期 {done_on} 晚于裁员日期 {}",
                    step.label(),
                    self.planned_on
                ));
            }
        }
        let order = [Step::NotifyStaff, Step::HearOpinions, Step::ReportLabour];
        for pair in order.windows(2) {
            if let (Some(a), Some(b)) = (date_of(pair[0]), date_of(pair[1]))
                && b < a
            {
                out.push(format!(
                    "“{}”不能早于“{}”",
                    pair[1].label(),
                    pair[0].label()
                ));
            }
        }
        if on < self.planned_on {
            out.push(format!("裁员日期 {} 尚未到达", self.planned_on));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(planned: i64, staff: i64) -> LayoffPlan {
        LayoffPlan {
            planned,
            staff,
            planned_on: date("2020-04-30"),
        }
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn thresholds_of_article_41_and_the_seed() {
        let t = Thresholds::default();
        let r = |p, s| plan(p, s).requirements(&t);
        assert!(r(20, 1000).art41 && !r(19, 1000).art41);
        // Under 20 but 10% of the workforce: 10 of 100 yes, 10 of 101 no.
        assert!(r(10, 100).art41 && !r(10, 101).art41);
        assert!(r(50, 1000).early_intervention && !r(49, 1000).early_intervention);
        assert!(r(200, 1000).province_report && !r(199, 1000).province_report);
        assert_eq!(plan(200, 1000).required_steps(&t), Step::ALL.to_vec());
        assert!(plan(5, 1000).required_steps(&t).is_empty());
    }

    #[test]
    fn implemented_only_after_every_step_with_30_days_notice_in_order() {
        let t = Thresholds::default();
        let p = plan(60, 1000);
        let on = date("2020-05-01");
        let missing = p.blockers(&t, &[], on);
        assert_eq!(missing.len(), 4, "{missing:?}");
        let done = [
            (Step::NotifyStaff, date("2020-03-31")),
            (Step::HearOpinions, date("2020-04-05")),
            (Step::ReportLabour, date("2020-04-08")),
            (Step::EarlyIntervention, date("2020-04-02")),
        ];
        assert_eq!(p.blockers(&t, &done, on), Vec::<String>::new());
        let late = [
            (Step::NotifyStaff, date("2020-04-01")),
            done[1],
            done[2],
            done[3],
        ];
        assert_eq!(
            p.blockers(&t, &late, on),
            ["说明情况日期 2020-04-01 距裁员日期 2020-04-30 不足 30 日"]
        );
        let swapped = [
            done[0],
            (Step::HearOpinions, date("2020-04-09")),
            done[2],
            done[3],
        ];
        assert_eq!(
            p.blockers(&t, &swapped, on),
            ["“向劳动行政部门报告裁减人员方案”不能早于“听取工会或职工意见”"]
        );
        assert_eq!(
            p.blockers(&t, &done, date("2020-04-29")),
            ["裁员日期 2020-04-30 尚未到达"]
        );
        // Heard and reported after the layoff date: not done before it, whatever the order.
        let after = [
            done[0],
            (Step::HearOpinions, date("2020-05-01")),
            (Step::ReportLabour, date("2020-05-02")),
            done[3],
        ];
        assert_eq!(
            p.blockers(&t, &after, date("2020-05-03")),
            [
                "“听取工会或职工意见”日期 2020-05-01 晚于裁员日期 2020-04-30",
                "“向劳动行政部门报告裁减人员方案”日期 2020-05-02 晚于裁员日期 2020-04-30"
            ]
        );
    }

    #[test]
    fn a_plan_is_filed_before_its_layoff_date() {
        let p = plan(60, 1000);
        assert!(p.check_filed_on(date("2020-04-30")).is_ok());
        assert_eq!(
            p.check_filed_on(date("2020-05-01")),
            Err("裁员日期 2020-04-30 已过，裁员方案须在实施前备案".into())
        );
    }

    #[test]
    fn a_plan_must_be_consistent() {
        assert!(plan(0, 10).check().is_err());
        assert_eq!(
            plan(11, 10).check(),
            Err("拟裁减人数 11 超过企业职工总数 10".into())
        );
        assert!(plan(10, 10).check().is_ok());
        assert_eq!(
            Grounds::parse("生产经营发生严重困难"),
            Some(Grounds::SeriousDifficulty)
        );
    }
}
