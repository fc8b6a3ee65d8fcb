//! The monthly report of one monitored enterprise: what it must say to be accepted, and the
//! review chain it then goes through (enterprise → county or city → province → closed).

use serde::{Deserialize, Serialize};

use super::codes::CodeEntry;

/// Reasons a report may give, the first being the main one.
pub const MAX_REASONS: usize = 3;

/// New hires in one month at most this many times the larger of last month's headcount and
/// the baseline (assumed: a sample enterprise does not quadruple in a month; a typing error
/// such as 1,000,000 hires at a firm of 295 is refused rather than summed into the province).
pub const MAX_HIRES_FACTOR: i64 = 3;
/// … and at least this many, so a small firm's seasonal hiring is not refused.
pub const MIN_HIRES_LIMIT: i64 = 100;

/// One decrease reason with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: String,
    #[serde(default)]
    pub note: String,
}

/// What the enterprise (or an official on its behalf) enters for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    /// 调查期就业人数: headcount at the end of the month.
    pub headcount: i64,
    /// People hired during the month.
    pub new_hires: i64,
    /// People who left during the month.
    pub decrease: i64,
    /// 减员类型, mandatory when the headcount fell.
    #[serde(default)]
    pub decrease_type: Option<String>,
    /// Up to three 减员原因, the first mandatory when the headcount fell.
    #[serde(default)]
    pub reasons: Vec<Reason>,
}

/// What a report is checked against.
pub struct Context<'a> {
    /// 建档期就业人数.
    pub baseline: i64,
    /// Last month's reported headcount, or the baseline for the first report.
    pub previous: i64,
    pub decrease_types: &'a [CodeEntry],
    pub decrease_reasons: &'a [CodeEntry],
}

/// A problem with one field of a report: the field's key and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

fn active<'a>(table: &'a [CodeEntry], code: &str) -> Option<&'a CodeEntry> {
    table.iter().find(|e| e.active && e.code == code)
}

impl ReportInput {
    /// Whether the headcount is below last month's or the baseline: then the decrease type and
    /// the main reason must be given.
    pub fn fell(&self, ctx: &Context) -> bool {
        self.headcount < ctx.previous || self.headcount < ctx.baseline
    }

    /// Every problem of the report (empty when it may be submitted).
    pub fn check(&self, ctx: &Context) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (field, label, value) in [
            ("headcount", "调查期就业人数", self.headcount),
            ("new_hires", "本月新增人数", self.new_hires),
            ("decrease", "本月减少人数", self.decrease),
        ] {
            if value < 0 {
                problems.push(problem(field, format!("{label}不能为负数")));
            }
        }
        let hires_limit = ctx
            .previous
            .max(ctx.baseline)
            .saturating_mul(MAX_HIRES_FACTOR)
            .max(MIN_HIRES_LIMIT);
        if problems.is_empty() && self.new_hires > hires_limit {
            problems.push(problem(
                "new_hires",
                format!(
                    "本月新增人数 {} 超过上月就业人数（或建档期人数）的 {MAX_HIRES_FACTOR} 倍 {hires_limit}，请核实",
                    self.new_hires
                ),
            ));
        }
        // No one leaves who was not there: at most last month's staff and this month's hires.
        let available = ctx.previous.saturating_add(self.new_hires);
        if problems.is_empty() && self.decrease > available {
            problems.push(problem(
                "decrease",
                format!(
                    "本月减少人数 {} 超过上月就业人数 {} 与本月新增 {} 之和 {available}",
                    self.decrease, ctx.previous, self.new_hires
                ),
            ));
        }
        if problems.is_empty() {
            let expected = available - self.decrease;
            if expected != self.headcount {
                problems.push(problem(
                    "headcount",
                    format!(
                        "调查期就业人数应等于上月就业人数 {} + 本月新增 {} − 本月减少 {} = {}，填报为 {}",
                        ctx.previous, self.new_hires, self.decrease, expected, self.headcount
                    ),
                ));
            }
        }
        let fell = self.fell(ctx);
        match self.decrease_type.as_deref().map(str::trim) {
            None | Some("") if fell => problems.push(problem(
                "decrease_type",
                format!(
                    "就业人数减少（上月 {}，建档期 {}，本月 {}）时必须填写减员类型",
                    ctx.previous, ctx.baseline, self.headcount
                ),
            )),
            Some(code) if !code.is_empty() && active(ctx.decrease_types, code).is_none() => {
                problems.push(problem(
                    "decrease_type",
                    format!("减员类型“{code}”不在代码表中"),
                ))
            }
            _ => {}
        }
        if self.reasons.len() > MAX_REASONS {
            problems.push(problem(
                "reasons",
                format!(
                    "减员原因最多填写 {MAX_REASONS} 项，填写了 {} 项",
                    self.reasons.len()
                ),
            ));
        }
        if fell
            && self
                .reasons
                .first()
                .is_none_or(|r| r.code.trim().is_empty())
        {
            problems.push(problem(
                "reasons",
                "就业人数减少时必须填写主要减员原因（减员原因一）",
            ));
        }
        for (i, reason) in self.reasons.iter().enumerate() {
            let code = reason.code.trim();
            if code.is_empty() {
                continue;
            }
            let nth = i + 1;
            match active(ctx.decrease_reasons, code) {
                None => problems.push(problem(
                    "reasons",
                    format!("减员原因{nth}“{code}”不在代码表中"),
                )),
                Some(entry) if entry.label == "其他" && reason.note.trim().is_empty() => problems
                    .push(problem(
                        "reasons",
                        format!("减员原因{nth}为“其他”时必须说明具体原因"),
                    )),
                Some(_) => {}
            }
            if self.reasons[..i].iter().any(|r| r.code.trim() == code) {
                problems.push(problem("reasons", format!("减员原因{nth}“{code}”重复")));
            }
        }
        problems
    }
}

/// Where a report stands in the review chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Submitted by the enterprise, waiting for the county or city.
    Submitted,
    /// Sent back with a comment; the enterprise corrects and submits again.
    Returned,
    /// Approved by the county or city, waiting for the province.
    LocalApproved,
    /// Approved by the province: final.
    Closed,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] = [
        ReportStatus::Submitted,
        ReportStatus::Returned,
        ReportStatus::LocalApproved,
        ReportStatus::Closed,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::LocalApproved => "local_approved",
            ReportStatus::Closed => "closed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            ReportStatus::Submitted => "待县市审核",
            ReportStatus::Returned => "已退回",
            ReportStatus::LocalApproved => "待省级审核",
            ReportStatus::Closed => "已办结",
        }
    }

    pub fn parse(text: &str) -> Option<ReportStatus> {
        Self::ALL.into_iter().find(|s| s.code() == text)
    }

    /// The report's figures may still be changed (and submitted again).
    pub fn editable(&self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Returned)
    }
}

/// The level a reviewer works at, from the size of their data scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewTier {
    /// A county or city officer.
    Local,
    Province,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    Approve,
    Return { comment: String },
}

impl ReportStatus {
    /// The status after `action` by a reviewer at `tier`, or why it is not allowed.
    pub fn review(self, tier: ReviewTier, action: &ReviewAction) -> Result<ReportStatus, String> {
        if let ReviewAction::Return { comment } = action
            && comment.trim().is_empty()
        {
            return Err("退回时必须填写退回意见".into());
        }
        match (self, tier, action) {
            (ReportStatus::Submitted, ReviewTier::Local, ReviewAction::Approve) => {
                Ok(ReportStatus::LocalApproved)
            }
            (ReportStatus::LocalApproved, ReviewTier::Province, ReviewAction::Approve) => {
                Ok(ReportStatus::Closed)
            }
            (ReportStatus::Submitted, ReviewTier::Local, ReviewAction::Return { .. })
            | (ReportStatus::LocalApproved, ReviewTier::Province, ReviewAction::Return { .. }) => {
                Ok(ReportStatus::Returned)
            }
            (ReportStatus::Submitted, ReviewTier::Province, _) => {
                Err("该月报尚待县区或市级审核，省级暂不能审核".into())
            }
            (ReportStatus::LocalApproved, ReviewTier::Local, _) => {
                Err("该月报已通过县市审核，正待省级审核".into())
            }
            (status, _, _) => Err(format!("该月报状态为“{}”，不能审核", status.label())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::codes::{CodeKind, defaults};

    fn input(headcount: i64, new_hires: i64, decrease: i64) -> ReportInput {
        ReportInput {
            headcount,
            new_hires,
            decrease,
            decrease_type: None,
            reasons: vec![],
        }
    }

    fn check(r: &ReportInput, baseline: i64, previous: i64) -> Vec<Problem> {
        let (types, reasons) = (
            defaults(CodeKind::DecreaseType),
            defaults(CodeKind::DecreaseReason),
        );
        r.check(&Context {
            baseline,
            previous,
            decrease_types: &types,
            decrease_reasons: &reasons,
        })
    }

    fn fields(p: &[Problem]) -> Vec<&str> {
        p.iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_steady_month_needs_no_reason() {
        assert!(check(&input(100, 3, 3), 100, 100).is_empty());
        assert!(check(&input(105, 5, 0), 100, 100).is_empty());
    }

    #[test]
    fn a_fall_needs_the_type_and_the_main_reason() {
        let p = check(&input(90, 0, 10), 100, 100);
        assert_eq!(fields(&p), ["decrease_type", "reasons"]);
        assert!(
            p[0].message.contains("必须填写减员类型"),
            "{}",
            p[0].message
        );
        // Below the baseline though up on last month: still a fall against 建档期.
        let p = check(&input(95, 5, 0), 100, 90);
        assert_eq!(fields(&p), ["decrease_type", "reasons"]);
        let mut ok = input(90, 0, 10);
        ok.decrease_type = Some("03".into());
        ok.reasons = vec![Reason {
            code: "04".into(),
            note: "订单减少".into(),
        }];
        assert!(check(&ok, 100, 100).is_empty());
    }

    #[test]
    fn totals_must_follow_from_last_month() {
        let p = check(&input(101, 3, 3), 100, 100);
        assert_eq!(fields(&p), ["headcount"]);
        assert!(p[0].message.contains("100 + 本月新增 3 − 本月减少 3 = 100"));
        assert_eq!(fields(&check(&input(-1, 0, 0), 0, 0))[0], "headcount");
    }

    #[test]
    fn implausible_counts_are_refused_without_overflow() {
        // 1,000,000 hires at a firm of 295 (and baselines of 295): a typing error.
        let p = check(&input(290, 1_000_000, 1_000_005), 295, 295);
        assert_eq!(fields(&p)[0], "new_hires");
        assert!(p[0].message.contains("3 倍 885"), "{p:?}");
        // Small firms may hire up to 100 in a month.
        assert!(check(&input(110, 100, 0), 10, 10).is_empty());
        // More leaving than were there.
        let p = check(&input(0, 2, 103), 100, 100);
        assert_eq!(fields(&p)[0], "decrease");
        assert_eq!(
            p[0].message,
            "本月减少人数 103 超过上月就业人数 100 与本月新增 2 之和 102"
        );
        // Values near i64::MAX are refused, not wrapped round to pass the identity.
        let p = check(&input(290, i64::MAX - 5, i64::MAX), 295, 295);
        assert_eq!(fields(&p)[0], "new_hires");
    }

    #[test]
    fn reasons_come_from_the_table_at_most_three_distinct_and_other_explained() {
        let mut r = input(90, 0, 10);
        r.decrease_type = Some("99".into());
        let reason = |code: &str, note: &str| Reason {
            code: code.into(),
            note: note.into(),
        };
        r.reasons = vec![
            reason("04", ""),
            reason("04", ""),
            reason("11", ""),
            reason("77", ""),
        ];
        let messages: Vec<String> = check(&r, 100, 100).into_iter().map(|p| p.message).collect();
        assert_eq!(
            messages,
            [
                "减员类型“99”不在代码表中",
                "减员原因最多填写 3 项，填写了 4 项",
                "减员原因2“04”重复",
                "减员原因3为“其他”时必须说明具体原因",
                "减员原因4“77”不在代码表中",
            ]
        );
    }

    #[test]
    fn the_review_chain() {
        use ReportStatus::*;
        use ReviewTier::*;
        let back = ReviewAction::Return {
            comment: "减员原因与说明不符".into(),
        };
        assert_eq!(
            Submitted.review(Local, &ReviewAction::Approve),
            Ok(LocalApproved)
        );
        assert_eq!(Submitted.review(Local, &back), Ok(Returned));
        assert_eq!(
            LocalApproved.review(Province, &ReviewAction::Approve),
            Ok(Closed)
        );
        assert_eq!(LocalApproved.review(Province, &back), Ok(Returned));
        assert!(Submitted.review(Province, &ReviewAction::Approve).is_err());
        assert!(Closed.review(Province, &ReviewAction::Approve).is_err());
        assert!(Returned.review(Local, &ReviewAction::Approve).is_err());
        let silent = ReviewAction::Return {
            comment: " ".into(),
        };
        assert_eq!(
            Submitted.review(Local, &silent),
            Err("退回时必须填写退回意见".into())
        );
        assert!(Returned.editable() && Submitted.editable() && !LocalApproved.editable());
    }
}
