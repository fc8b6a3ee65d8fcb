//! The limits a screening applies to the batch results of one subject kind: a policy marked
//! once per subject is granted once to each subject (its highest amount, ties to the first
//! row), and of the policies of one exclusion group a subject gets only one — the one with
//! the higher amount, ties to the smaller policy id.

use foldhash::{HashMap, HashMapExt};
use wenjiu_rules::{PolicyResults, PolicySet};

/// A subject a limit counts (see `RowId::limit_keys`).
pub(crate) type SubjectKey = (i64, i64);

/// Whom each limit counts a row's result for.
#[derive(Debug, Clone, Copy)]
pub struct LimitKeys {
    /// The subject a policy granted once per subject is granted once to.
    pub once: SubjectKey,
    /// The subject that gets only one policy of an exclusion group.
    pub group: SubjectKey,
}

impl LimitKeys {
    /// Both limits counting the same subject.
    pub fn both(subject: SubjectKey) -> LimitKeys {
        LimitKeys {
            once: subject,
            group: subject,
        }
    }
}

/// What the limits need to know of a policy.
#[derive(Debug, Clone, Copy)]
pub struct Limit<'a> {
    pub policy_id: &'a str,
    pub exclusion_group: Option<&'a str>,
    pub once_per_subject: bool,
}

/// One granted result: the policy (index into the policies given), the frame row and the
/// amount in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub policy: usize,
    pub row: usize,
    pub amount_fen: i64,
}

/// The grants left of `results` (one per policy of `set`, same order) once the limits of its
/// policies are applied; `subject(row)` names the subjects the limits count.
pub fn grants_of(
    set: &PolicySet,
    results: &[PolicyResults],
    subject: impl Fn(usize) -> LimitKeys,
) -> Vec<Grant> {
    let limits: Vec<Limit> = set
        .policies()
        .iter()
        .map(|p| Limit {
            policy_id: &p.id,
            exclusion_group: p.exclusion_group.as_deref(),
            once_per_subject: p.once_per_subject,
        })
        .collect();
    apply_limits(&limits, results, subject)
}

/// The grants left of `results` (one per policy of `limits`, same order) once the limits are
/// applied; `subject(row)` names the subjects the limits count (asked only of granted
/// rows). Grants come policy by policy, rows in order.
pub fn apply_limits(
    limits: &[Limit],
    results: &[PolicyResults],
    subject: impl Fn(usize) -> LimitKeys,
) -> Vec<Grant> {
    // Once per subject: the best row of each subject.
    let mut grants: Vec<Grant> = Vec::new();
    for (p, (limit, r)) in limits.iter().zip(results).enumerate() {
        let grant = |(row, amount_fen)| Grant {
            policy: p,
            row,
            amount_fen,
        };
        if !limit.once_per_subject {
            grants.extend(r.grants().map(grant));
            continue;
        }
        // Subject → (row, amount) of its best row so far.
        let mut best: HashMap<SubjectKey, (usize, i64)> = HashMap::with_capacity(r.rows.len());
        for (row, fen) in r.grants() {
            let b = best.entry(subject(row).once).or_insert((row, fen));
            if fen > b.1 {
                *b = (row, fen);
            }
        }
        let mut kept: Vec<(usize, i64)> = best.into_values().collect();
        kept.sort_unstable();
        grants.extend(kept.into_iter().map(grant));
    }
    // Exclusion groups: per group and subject, the policy with the highest amount. A group
    // is known by the index of its first policy, so that the map's keys are plain numbers.
    let group: Vec<Option<usize>> = limits
        .iter()
        .map(|l| {
            let name = l.exclusion_group?;
            limits.iter().position(|m| m.exclusion_group == Some(name))
        })
        .collect();
    // (group, subject) → (amount, policy) of the best grant so far.
    let mut winner: HashMap<(usize, SubjectKey), (i64, usize)> = HashMap::new();
    for g in &grants {
        if let Some(group) = group[g.policy] {
            let id = |p: usize| limits[p].policy_id;
            winner
                .entry((group, subject(g.row).group))
                .and_modify(|w| {
                    let better =
                        g.amount_fen > w.0 || (g.amount_fen == w.0 && id(g.policy) < id(w.1));
                    if better {
                        *w = (g.amount_fen, g.policy);
                    }
                })
                .or_insert((g.amount_fen, g.policy));
        }
    }
    grants.retain(|g| {
        group[g.policy].is_none_or(|group| winner[&(group, subject(g.row).group)].1 == g.policy)
    });
    grants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(id: &str, rows: &[Option<i64>]) -> PolicyResults {
        let eligible = rows.iter().enumerate();
        let (rows, amounts_fen) = eligible
            .filter_map(|(row, a)| Some((row as u32, (*a)?)))
            .unzip();
        PolicyResults {
            policy_id: id.into(),
            applicable: true,
            rows,
            amounts_fen,
        }
    }

    fn limit(id: &'static str, group: Option<&'static str>, once: bool) -> Limit<'static> {
        Limit {
            policy_id: id,
            exclusion_group: group,
            once_per_subject: once,
        }
    }

    fn granted(grants: &[Grant]) -> Vec<(usize, usize, i64)> {
        grants
            .iter()
            .map(|g| (g.policy, g.row, g.amount_fen))
            .collect()
    }

    #[test]
    fn an_exclusion_group_grants_the_higher_amount_and_ties_go_to_the_smaller_id() {
        let limits = [
            limit("b-second", Some("g"), false),
            limit("a-first", Some("g"), false),
            limit("free", None, false),
        ];
        let rs = [
            results("b-second", &[Some(500), Some(100), Some(300), None]),
            results("a-first", &[Some(400), Some(200), Some(300), Some(50)]),
            results("free", &[Some(1), Some(1), None, None]),
        ];
        let subjects = [(1, 0), (2, 0), (3, 0), (4, 0)];
        let g = apply_limits(&limits, &rs, |r| LimitKeys::both(subjects[r]));
        assert_eq!(
            granted(&g),
            [
                (0, 0, 500), // b-second pays more to subject 1
                (1, 1, 200), // a-first pays more to subject 2
                (1, 2, 300), // a tie: the smaller id
                (1, 3, 50),  // alone in the group
                (2, 0, 1),   // not in a group: combined with anything
                (2, 1, 1),
            ]
        );
    }

    #[test]
    fn once_per_subject_keeps_each_subjects_best_row() {
        // Rows 0 and 2 are the same subject (a person hired twice), row 1 another.
        let subjects = [(1, 0), (2, 0), (1, 0)];
        let keys = |r: usize| LimitKeys::both(subjects[r]);
        let limits = [limit("once", None, true), limit("each", None, false)];
        let rs = [
            results("once", &[Some(100), Some(100), Some(300)]),
            results("each", &[Some(10), None, Some(10)]),
        ];
        let g = apply_limits(&limits, &rs, keys);
        assert_eq!(
            granted(&g),
            [(0, 1, 100), (0, 2, 300), (1, 0, 10), (1, 2, 10)]
        );
        // A tie keeps the first row.
        let rs = [
            results("once", &[Some(100), None, Some(100)]),
            results("each", &[None, None, None]),
        ];
        assert_eq!(granted(&apply_limits(&limits, &rs, keys)), [(0, 0, 100)]);
    }

    #[test]
    fn each_limit_counts_its_own_subject() {
        // A person hired by two enterprises: once per subject counts the person, an
        // exclusion group each hire.
        let keys = |r: usize| LimitKeys {
            once: (9, 0),
            group: (r as i64 + 1, 9),
        };
        let limits = [
            limit("once", None, true),
            limit("x", Some("g"), false),
            limit("y", Some("g"), false),
        ];
        let rs = [
            results("once", &[Some(100), Some(200)]),
            results("x", &[Some(300), Some(100)]),
            results("y", &[Some(200), Some(200)]),
        ];
        assert_eq!(
            granted(&apply_limits(&limits, &rs, keys)),
            [(0, 1, 200), (1, 0, 300), (2, 1, 200)]
        );
    }

    #[test]
    fn both_limits_together() {
        // A once-per-subject policy loses its group to a policy paying more.
        let subjects = [(1, 1), (1, 1)];
        let limits = [limit("x", Some("g"), true), limit("y", Some("g"), false)];
        let rs = [
            results("x", &[Some(100), Some(200)]),
            results("y", &[Some(250), None]),
        ];
        assert_eq!(
            granted(&apply_limits(&limits, &rs, |r| LimitKeys::both(
                subjects[r]
            ))),
            [(1, 0, 250)]
        );
    }
}
