//! Money as integer fen (分): exact arithmetic, no floating point anywhere, so subsidy ledgers
//! always balance to the fen.

use std::fmt;
use std::iter::Sum;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An amount in fen (1 yuan = 100 fen). Serialized as the integer number of fen.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn fen(&self) -> i64 {
        self.0
    }

    /// Whole yuan, e.g. a subsidy standard of 1,000 yuan (`None` on overflow).
    pub const fn checked_from_yuan(yuan: i64) -> Option<Money> {
        match yuan.checked_mul(100) {
            Some(f) => Some(Money(f)),
            None => None,
        }
    }

    /// Parses exact decimal yuan text: "1234", "1234.5", "1,234.56", "-3.00".
    /// Thousands separators must group by three; more than two decimals is an error rather
    /// than a silent rounding.
    pub fn parse_yuan(text: &str) -> Result<Money> {
        let t = text.trim();
        let format_err = || Error::MoneyFormat {
            text: t.to_string(),
        };
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if !valid_integer_part(int_part) {
            return Err(format_err());
        }
        let frac = match frac_part {
            None => "",
            Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => f,
            Some(_) => return Err(format_err()),
        };
        if frac.len() > 2 {
            return Err(Error::MoneyPrecision {
                text: t.to_string(),
            });
        }
        let overflow = || Error::MoneyOverflow {
            text: t.to_string(),
        };
        let mut fen: i64 = 0;
        let digits = int_part.bytes().filter(|b| *b != b',');
        let frac_padded = frac.bytes().chain(std::iter::repeat(b'0')).take(2);
        for d in digits.chain(frac_padded) {
            fen = fen
                .checked_mul(10)
                .and_then(|f| f.checked_add(i64::from(d - b'0')))
                .ok_or_else(overflow)?;
        }
        Ok(Money(if negative { -fen } else { fen }))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Amount times a count (e.g. a per-person standard times headcount).
    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        self.0.checked_mul(factor).map(Money)
    }

    /// Sum that reports overflow instead of panicking.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    pub fn is_negative(&self) -> bool {
        self.0 < 0
    }
}

/// Digits, optionally grouped by commas in threes ("1,234,567"); at least one digit.
fn valid_integer_part(s: &str) -> bool {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !s.contains(',') {
        return true;
    }
    let groups: Vec<&str> = s.split(',').collect();
    (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3)
}

impl fmt::Display for Money {
    /// Yuan with exactly two decimals, e.g. "1234.56", "-3.00".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl std::str::FromStr for Money {
    type Err = Error;
    fn from_str(s: &str) -> Result<Money> {
        Money::parse_yuan(s)
    }
}

impl Sum for Money {
    /// # Panics
    /// On i64 overflow (beyond 92 trillion yuan); use [`Money::checked_sum`] to handle it.
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money::checked_sum(iter).expect("金额合计溢出")
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(s: &str) -> i64 {
        Money::parse_yuan(s).unwrap().fen()
    }

    #[test]
    fn parse_accepted_forms() {
        assert_eq!(yuan("1234"), 123_400);
        assert_eq!(yuan("1234.5"), 123_450);
        assert_eq!(yuan("1234.56"), 123_456);
        assert_eq!(yuan("1,234.56"), 123_456);
        assert_eq!(yuan("1,234,567"), 123_456_700);
        assert_eq!(yuan("-3.00"), -300);
        assert_eq!(yuan("-0.01"), -1);
        assert_eq!(yuan("+5"), 500);
        assert_eq!(yuan(" 0 "), 0);
        assert_eq!(yuan("0.1"), 10);
        assert_eq!(yuan("007.05"), 705);
    }

    #[test]
    fn parse_rejects_malformed_text() {
        for bad in [
            "", "-", ".5", "1.", "1..2", "1,23", "12,34.5", ",123", "1,234,", "1 234", "1e3",
            "abc", "¥12", "1.2.3", "--1", "+-1", "1,2345", "１２",
        ] {
            assert_eq!(
                Money::parse_yuan(bad).unwrap_err().code(),
                "money.format",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn more_than_two_decimals_is_an_error() {
        let e = Money::parse_yuan("1.005").unwrap_err();
        assert_eq!(e.code(), "money.precision");
        assert_eq!(
            e.to_string(),
            "金额“1.005”小数位过多：最多精确到分（两位小数）"
        );
        assert_eq!(
            Money::parse_yuan("1.000").unwrap_err().code(),
            "money.precision"
        );
    }

    #[test]
    fn overflow_is_detected() {
        assert_eq!(yuan("92233720368547758.07"), i64::MAX);
        let e = Money::parse_yuan("92233720368547758.08").unwrap_err();
        assert_eq!(e.code(), "money.overflow");
    }

    #[test]
    fn display_two_decimals() {
        assert_eq!(Money::from_fen(123_456).to_string(), "1234.56");
        assert_eq!(Money::from_fen(-300).to_string(), "-3.00");
        assert_eq!(Money::from_fen(-5).to_string(), "-0.05");
        assert_eq!(Money::from_fen(0).to_string(), "0.00");
        assert_eq!(
            Money::from_fen(i64::MIN).to_string(),
            "-92233720368547758.08"
        );
        for fen in [-123_456, -1, 0, 7, 10, 99_999] {
            let m = Money::from_fen(fen);
            assert_eq!(Money::parse_yuan(&m.to_string()).unwrap(), m);
        }
    }

    #[test]
    fn arithmetic() {
        let a = Money::from_fen(1_000);
        let b = Money::from_fen(250);
        assert_eq!(a.checked_add(b), Some(Money::from_fen(1_250)));
        assert_eq!(b.checked_sub(a), Some(Money::from_fen(-750)));
        assert_eq!(a.checked_mul(3), Some(Money::from_fen(3_000)));
        assert_eq!(Money::from_fen(i64::MAX).checked_add(b), None);
        assert_eq!(Money::from_fen(i64::MIN).checked_sub(b), None);
        assert_eq!(Money::from_fen(i64::MAX).checked_mul(2), None);
        assert_eq!(
            Money::checked_from_yuan(1_000),
            Some(Money::from_fen(100_000))
        );
        assert!(Money::from_fen(-1).is_negative());
    }

    #[test]
    fn sums() {
        let items = [Money::from_fen(1), Money::from_fen(2), Money::from_fen(-10)];
        assert_eq!(items.iter().sum::<Money>(), Money::from_fen(-7));
        assert_eq!(items.into_iter().sum::<Money>(), Money::from_fen(-7));
        assert_eq!(Vec::<Money>::new().into_iter().sum::<Money>(), Money::ZERO);
        assert_eq!(
            Money::checked_sum([Money::from_fen(i64::MAX), Money::from_fen(1)]),
            None
        );
    }

    #[test]
    fn serde_is_integer_fen() {
        let m = Money::from_fen(123_456);
        assert_eq!(serde_json::to_string(&m).unwrap(), "123456");
        assert_eq!(
            serde_json::from_str::<Money>("-300").unwrap(),
            Money::from_fen(-300)
        );
        assert!(serde_json::from_str::<Money>("12.5").is_err());
    }
}
