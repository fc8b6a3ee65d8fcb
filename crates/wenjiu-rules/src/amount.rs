//! From the formula's exact value to the fen paid: cap first, then the rounding the policy
//! states. Both evaluators settle amounts here, so they cannot disagree on a fen.

use serde::{Deserialize, Serialize};
use wenjiu_core::indicators::Ratio;

use crate::expr::ir::OVERFLOW;
use crate::value::Scalar;

/// How the exact amount becomes whole fen, as the policy document states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Drop fractions of a fen.
    DownToFen,
    /// 四舍五入 to the fen.
    HalfUpToFen,
    /// Drop the jiao and fen (pay whole yuan).
    DownToYuan,
    /// 四舍五入 to the yuan.
    HalfUpToYuan,
}

impl Rounding {
    /// The unit rounded to, in fen, and whether halves go up.
    fn unit(self) -> (i128, bool) {
        match self {
            Rounding::DownToFen => (1, false),
            Rounding::HalfUpToFen => (1, true),
            Rounding::DownToYuan => (100, false),
            Rounding::HalfUpToYuan => (100, true),
        }
    }

    /// [`Rounding::apply`] to whole fen, without fractions (a whole fen rounded to the fen is
    /// itself).
    fn apply_whole(self, fen: i64) -> Option<i64> {
        match self {
            Rounding::DownToFen | Rounding::HalfUpToFen => Some(fen),
            Rounding::DownToYuan | Rounding::HalfUpToYuan => self.apply(Ratio::from_integer(fen)),
        }
    }

    /// `fen` rounded; halves go away from zero. `None` if it does not fit in `i64`.
    pub fn apply(self, fen: Ratio) -> Option<i64> {
        self.apply_terms(fen.numer(), fen.denom())
    }

    /// `n / d` fen (`d > 0`, reduced or not) rounded, as [`Rounding::apply`].
    fn apply_terms(self, n: i128, d: i128) -> Option<i64> {
        let (unit, half) = self.unit();
        let d = d.checked_mul(unit)?;
        let units = if half {
            // ⌊(2|n| + d) / 2d⌋, with the sign of n.
            let twice = n.checked_abs()?.checked_mul(2)?.checked_add(d)?;
            let q = floor_div(twice, d.checked_mul(2)?);
            if n < 0 { -q } else { q }
        } else {
            floor_div(n, d)
        };
        i64::try_from(units.checked_mul(unit)?).ok()
    }
}

/// `⌊n / d⌋` for `d > 0`, on machine words when both fit (amounts do): a 128-bit division is a
/// library call.
fn floor_div(n: i128, d: i128) -> i128 {
    match (i64::try_from(n), i64::try_from(d)) {
        (Ok(n), Ok(d)) => i128::from(n.div_euclid(d)),
        _ => n.div_euclid(d),
    }
}

/// The steps from formula to payment, for the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmountSteps {
    /// The formula's exact value in fen (a fraction when a rate was applied).
    pub exact_fen: Ratio,
    pub cap_fen: Option<Ratio>,
    /// The smaller of the exact value and the cap.
    pub capped_fen: Ratio,
    pub rounding: Rounding,
    pub amount_fen: i64,
}

/// The fen paid, from a rounding that fits (`None` is an overflow). A negative amount is an
/// error, not a payment: it would charge the beneficiary (a parameter or input out of bounds).
fn paid(fen: Option<i64>) -> Result<i64, &'static str> {
    match fen {
        None => Err(OVERFLOW),
        Some(n) if n < 0 => Err("金额为负数"),
        Some(n) => Ok(n),
    }
}

fn exact(s: Scalar<'_>) -> Ratio {
    match s {
        Scalar::I(n) => Ratio::from_integer(n),
        Scalar::D(r) => r,
        _ => unreachable!("the checker makes amounts numbers"),
    }
}

pub(crate) fn settle(
    amount: Scalar<'_>,
    cap: Option<Scalar<'_>>,
    rounding: Rounding,
) -> Result<AmountSteps, &'static str> {
    let exact_fen = exact(amount);
    let cap_fen = cap.map(exact);
    let capped_fen = cap_fen.map_or(exact_fen, |c| c.min(exact_fen));
    Ok(AmountSteps {
        exact_fen,
        cap_fen,
        capped_fen,
        rounding,
        amount_fen: paid(rounding.apply(capped_fen))?,
    })
}

/// The fen paid for whole fen `x` times a fraction `r`, uncapped: as [`settle_fen`] of their
/// exact product, which it rounds unreduced (no gcd), reducing only where the plain product
/// would overflow.
pub(crate) fn settle_product(x: i64, r: Ratio, rounding: Rounding) -> Result<i64, &'static str> {
    let plain = i128::from(x).checked_mul(r.numer());
    paid(
        plain
            .and_then(|n| rounding.apply_terms(n, r.denom()))
            .or_else(|| rounding.apply(Ratio::from_integer(x).checked_mul(r)?)),
    )
}

/// The fen paid, as [`settle`] gives it but without the steps: whole fen capped by whole fen
/// stay integers, and a fraction without a cap is rounded at once.
pub(crate) fn settle_fen(
    amount: Scalar<'_>,
    cap: Option<Scalar<'_>>,
    rounding: Rounding,
) -> Result<i64, &'static str> {
    match (amount, cap) {
        (Scalar::I(n), None) => paid(rounding.apply_whole(n)),
        (Scalar::I(n), Some(Scalar::I(c))) => paid(rounding.apply_whole(n.min(c))),
        (Scalar::D(r), None) => paid(rounding.apply(r)),
        _ => Ok(settle(amount, cap, rounding)?.amount_fen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn rounding_rules() {
        use Rounding::*;
        let cases = [
            (DownToFen, r(2, 3), 0),
            (DownToFen, r(199, 2), 99),
            (HalfUpToFen, r(1, 2), 1),
            (HalfUpToFen, r(149, 100), 1),
            (HalfUpToFen, r(-1, 2), -1),
            (HalfUpToFen, r(200, 3), 67),
            (DownToYuan, r(12_399, 1), 12_300),
            (DownToYuan, r(99, 1), 0),
            (HalfUpToYuan, r(12_350, 1), 12_400),
            (HalfUpToYuan, r(12_349, 1), 12_300),
            (HalfUpToYuan, r(24_699, 2), 12_300),
            (HalfUpToYuan, r(24_700, 2), 12_400),
        ];
        for (rule, fen, expected) in cases {
            assert_eq!(rule.apply(fen), Some(expected), "{rule:?} {fen}");
        }
        assert_eq!(DownToFen.apply(r(i128::from(i64::MAX) + 1, 1)), None);
    }

    #[test]
    fn settling_without_the_steps_agrees_with_the_steps() {
        use Rounding::*;
        let whole = [0, 1, 49, 50, 99, 150, -150, -51, 12_345, i64::MAX, i64::MIN];
        let fractions = [
            r(1, 2),
            r(-1, 2),
            r(24_699, 2),
            r(24_700, 2),
            r(200, 3),
            r(-200, 3),
        ];
        let amounts = whole
            .map(Scalar::I)
            .into_iter()
            .chain(fractions.map(Scalar::D));
        let caps = [None, Some(0), Some(100), Some(-100), Some(12_350)];
        for rounding in [DownToFen, HalfUpToFen, DownToYuan, HalfUpToYuan] {
            for a in amounts.clone() {
                for cap in caps {
                    let c = cap.map(Scalar::I);
                    let steps = settle(a, c, rounding).map(|s| s.amount_fen);
                    assert_eq!(
                        settle_fen(a, c, rounding),
                        steps,
                        "{rounding:?} {a:?} {cap:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_negative_amount_is_an_error() {
        use Rounding::*;
        for a in [Scalar::I(-1), Scalar::D(r(-3, 2))] {
            assert_eq!(settle_fen(a, None, DownToFen), Err("金额为负数"));
            assert_eq!(settle(a, None, DownToFen), Err("金额为负数"));
        }
        assert_eq!(
            settle_product(150_000, r(-1, 2), DownToFen),
            Err("金额为负数")
        );
        // Half a fen below zero rounds to nothing owed, not to a charge.
        assert_eq!(settle_fen(Scalar::D(r(-1, 3)), None, HalfUpToFen), Ok(0));
    }

    #[test]
    fn cap_applies_before_rounding() {
        let steps = settle(
            Scalar::D(r(100_001, 2)),
            Some(Scalar::I(50_000)),
            Rounding::DownToYuan,
        );
        let steps = steps.unwrap();
        assert_eq!(steps.capped_fen, r(50_000, 1));
        assert_eq!(steps.amount_fen, 50_000);
        let steps = settle(
            Scalar::D(r(99_999, 2)),
            Some(Scalar::I(50_000)),
            Rounding::DownToYuan,
        );
        let steps = steps.unwrap();
        assert_eq!(steps.capped_fen, r(99_999, 2));
        assert_eq!(steps.amount_fen, 49_900);
    }
}
