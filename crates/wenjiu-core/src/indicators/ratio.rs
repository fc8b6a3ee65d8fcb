//! Exact rational numbers for indicator arithmetic, and the rounded decimals that formatting
//! makes of them. No floating point: the same inputs always give the same text.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

const OVERFLOW: &str = "比值运算溢出";

/// An exact rational number `num / den`, always reduced with a positive denominator, so the
/// derived equality and hash are equality of values.
///
/// Indicator values are ratios of people counts (152,000 / 420,000; 265,000 / 6,250,000).
/// Rates and shares are plain fractions (4.24% is 53/1250); percentages and percentage points
/// appear only when rounding for display ([`Ratio::round_percent`]).
///
/// Serialized as the text `"num/den"` (`"38/105"`, or `"5"` when whole): exact, and safe for
/// JavaScript clients that would lose digits of large integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    // Invariants: den > 0, gcd(|num|, den) = 1, and num != i128::MIN (so negation is safe).
    num: i128,
    den: i128,
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`, reduced. A zero denominator is an error.
    pub fn new(num: i128, den: i128) -> Result<Ratio> {
        if den == 0 {
            return Err(Error::invalid("比值", "分母不能为零"));
        }
        reduce(num, den).ok_or_else(|| Error::invalid("比值", OVERFLOW))
    }

    pub fn from_integer(n: i64) -> Ratio {
        Ratio {
            num: i128::from(n),
            den: 1,
        }
    }

    /// `part / whole` of two counts; `None` when `whole` is zero (no base to divide by).
    pub fn of_counts(part: i64, whole: i64) -> Option<Ratio> {
        reduce(i128::from(part), i128::from(whole))
    }

    /// A percentage given as decimal digits: `from_percent(424, 2)` is 4.24%, i.e. 0.0424.
    ///
    /// # Panics
    /// If `decimals` exceeds 30 (beyond any statistic's precision).
    pub fn from_percent(units: i64, decimals: u32) -> Ratio {
        assert!(decimals <= 30, "百分数小数位过多");
        reduce(i128::from(units), 100 * 10i128.pow(decimals)).expect("nonzero denominator")
    }

    /// Parses a percentage as published: "4.24", "4.24%", "6.5", "-0.2". Exact: "4.24" is
    /// 424/10000, not the nearest binary fraction.
    pub fn parse_percent(text: &str) -> Result<Ratio> {
        let t = text.trim();
        let format_err = || {
            Error::invalid(
                "百分比",
                format!("“{t}”格式错误：应为数字，如 4.5、4.24 或 4.24%"),
            )
        };
        let body = t.strip_suffix('%').unwrap_or(t);
        let (negative, body) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.is_empty()
            || !digits_ok(int_part)
            || !digits_ok(frac_part)
            || (body.contains('.') && frac_part.is_empty())
            || int_part.len() + frac_part.len() > 30
        {
            return Err(format_err());
        }
        let digits: i128 = format!("{int_part}{frac_part}")
            .parse()
            .map_err(|_| format_err())?;
        let num = if negative { -digits } else { digits };
        let den = 100 * 10i128.pow(frac_part.len() as u32);
        Ratio::new(num, den)
    }

    pub fn numer(&self) -> i128 {
        self.num
    }

    /// Always positive.
    pub fn denom(&self) -> i128 {
        self.den
    }

    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    pub fn is_negative(&self) -> bool {
        self.num < 0
    }

    pub fn is_positive(&self) -> bool {
        self.num > 0
    }

    pub fn abs(self) -> Ratio {
        Ratio {
            num: self.num.abs(),
            den: self.den,
        }
    }

    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        // Over the least common denominator, to keep intermediates small.
        let g = gcd(self.den.unsigned_abs(), other.den.unsigned_abs());
        let num = self
            .num
            .checked_mul(div_by(other.den, g))?
            .checked_add(other.num.checked_mul(div_by(self.den, g))?)?;
        reduce(num, self.den.checked_mul(div_by(other.den, g))?)
    }

    pub fn checked_sub(self, other: Ratio) -> Option<Ratio> {
        self.checked_add(-other)
    }

    pub fn checked_mul(self, other: Ratio) -> Option<Ratio> {
        // Cross-cancel first so that products of reduced fractions stay small.
        let g1 = gcd(self.num.unsigned_abs(), other.den.unsigned_abs());
        let g2 = gcd(other.num.unsigned_abs(), self.den.unsigned_abs());
        let num = div_by(self.num, g1).checked_mul(div_by(other.num, g2))?;
        let den = div_by(self.den, g2).checked_mul(div_by(other.den, g1))?;
        // Reduced already: what the cross-cancelling left of two reduced fractions is coprime.
        (num != i128::MIN).then_some(Ratio { num, den })
    }

    /// `None` when dividing by zero or on overflow.
    pub fn checked_div(self, other: Ratio) -> Option<Ratio> {
        if other.num == 0 {
            return None;
        }
        let reciprocal = Ratio {
            num: other.den * other.num.signum(),
            den: other.num.abs(),
        };
        self.checked_mul(reciprocal)
    }

    /// Rounded to `decimals` places, half away from zero (0.05 → 0.1, −0.05 → −0.1): the
    /// rule of statistical publications (GB/T 8170 四舍五入), not banker's rounding.
    ///
    /// # Panics
    /// On overflow (more than about 30 decimals of a large value).
    pub fn round(self, decimals: u32) -> Rounded {
        Rounded::new(round_half_away(self.num, self.den, decimals), decimals)
    }

    /// The value times 100, rounded like [`Ratio::round`]: a share or rate as a percentage
    /// (152000/420000 → 36.2 at one decimal), or a difference of rates in percentage points.
    pub fn round_percent(self, decimals: u32) -> Rounded {
        Rounded::new(round_half_away(self.num, self.den, decimals + 2), decimals)
    }

    /// How `num / den` (`den` not zero) compares with `other`, the quotient left unreduced: a
    /// rate such as laid-off staff over insured staff tested against its limit, at the cost
    /// of two multiplications rather than a gcd.
    pub fn cmp_quotient(num: i64, den: i64, other: Ratio) -> Ordering {
        let (n, d) = (i128::from(num), i128::from(den));
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        cmp_terms(n, d, other.num, other.den)
    }

    /// Nearest `f64`, for charts only; never feed it back into arithmetic.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

/// Reduced form of `num / den`; `None` for a zero denominator or a value not representable
/// (numerator or denominator beyond i128 after reduction).
fn reduce(num: i128, den: i128) -> Option<Ratio> {
    if den == 0 {
        return None;
    }
    let g = gcd(num.unsigned_abs(), den.unsigned_abs());
    let n = i128::try_from(quotient(num.unsigned_abs(), g)).ok()?;
    let d = i128::try_from(quotient(den.unsigned_abs(), g)).ok()?;
    let negative = (num < 0) != (den < 0);
    Some(Ratio {
        num: if negative { -n } else { n },
        den: d,
    })
}

/// Greatest common divisor, on machine words where both operands fit (amounts and rates are
/// far smaller than `i128`): a 128-bit division is a library call that cost more than the rest
/// of a rule's arithmetic. Binary (shifts and subtractions) beyond one first division.
fn gcd(a: u128, b: u128) -> u128 {
    match (u64::try_from(a), u64::try_from(b)) {
        // Whole numbers are over 1: the common case, settled at once.
        _ if a == 1 || b == 1 => 1,
        (Ok(a), Ok(b)) => u128::from(gcd64(a, b)),
        _ => gcd128(a, b),
    }
}

macro_rules! binary_gcd {
    ($name:ident, $t:ty) => {
        fn $name(mut a: $t, mut b: $t) -> $t {
            if a == 0 || b == 0 {
                return a | b;
            }
            let shift = (a | b).trailing_zeros();
            a >>= a.trailing_zeros();
            loop {
                b >>= b.trailing_zeros();
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                b -= a;
                if b == 0 {
                    return a << shift;
                }
            }
        }
    };
}
binary_gcd!(binary_gcd64, u64);
binary_gcd!(gcd128, u128);

fn gcd64(a: u64, b: u64) -> u64 {
    // One division first brings the larger operand (an amount) down to the size of the
    // smaller (a rate's denominator), which leaves the shifts little to do.
    let (a, b) = if a < b { (b, a) } else { (a, b) };
    if b == 0 {
        return a;
    }
    binary_gcd64(b, a % b)
}

/// `n / d`, in 64 bits when both fit.
fn quotient(n: u128, d: u128) -> u128 {
    match (u64::try_from(n), u64::try_from(d)) {
        _ if d == 1 => n,
        (Ok(n), Ok(d)) => u128::from(n / d),
        _ => n / d,
    }
}

/// `n / g` for a divisor `g` of `n` (a gcd, so it fits in `i128`).
fn div_by(n: i128, g: u128) -> i128 {
    let q = quotient(n.unsigned_abs(), g) as i128;
    if n < 0 { -q } else { q }
}

/// `num × 10^decimals / den` rounded half away from zero; `den > 0`.
fn round_half_away(num: i128, den: i128, decimals: u32) -> i128 {
    let scaled = 10i128
        .checked_pow(decimals)
        .and_then(|s| num.checked_mul(s))
        .expect(OVERFLOW);
    let (q, r) = match (i64::try_from(scaled), i64::try_from(den)) {
        (Ok(s), Ok(d)) => (i128::from(s / d), i128::from(s % d)),
        _ => (scaled / den, scaled % den),
    };
    // Truncation went toward zero; step away from zero when the remainder is at least half.
    if r.unsigned_abs() * 2 >= den.unsigned_abs() {
        q + scaled.signum()
    } else {
        q
    }
}

/// Compares `a/b` with `c/d` (`b, d > 0`, reduced or not): cross-multiplied when the terms
/// allow it, else by continued fractions.
fn cmp_terms(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    // Magnitudes up to 2^63 cross-multiply without overflow in 128 bits.
    let small = |x: i128| x.unsigned_abs() <= 1 << 63;
    if small(a) && small(b) && small(c) && small(d) {
        return (a * d).cmp(&(c * b));
    }
    cmp_fractions(a, b, c, d)
}

/// Compares `a/b` with `c/d` (`b, d > 0`) by continued fractions: exact, and unlike
/// cross-multiplication it cannot overflow.
fn cmp_fractions(mut a: i128, mut b: i128, mut c: i128, mut d: i128) -> Ordering {
    let mut flipped = false;
    loop {
        let (q1, r1) = (a.div_euclid(b), a.rem_euclid(b));
        let (q2, r2) = (c.div_euclid(d), c.rem_euclid(d));
        let order = match (q1.cmp(&q2), r1 == 0, r2 == 0) {
            (Ordering::Equal, true, true) => Ordering::Equal,
            (Ordering::Equal, true, false) => Ordering::Less,
            (Ordering::Equal, false, true) => Ordering::Greater,
            (Ordering::Equal, false, false) => {
                // r1/b < r2/d exactly when b/r1 > d/r2.
                (a, b, c, d) = (b, r1, d, r2);
                flipped = !flipped;
                continue;
            }
            (order, _, _) => order,
        };
        return if flipped { order.reverse() } else { order };
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        cmp_terms(self.num, self.den, other.num, other.den)
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Neg for Ratio {
    type Output = Ratio;
    fn neg(self) -> Ratio {
        Ratio {
            num: -self.num,
            den: self.den,
        }
    }
}

/// # Panics
/// On overflow; use [`Ratio::checked_add`] to handle it.
impl Add for Ratio {
    type Output = Ratio;
    fn add(self, other: Ratio) -> Ratio {
        self.checked_add(other).expect(OVERFLOW)
    }
}

/// # Panics
/// On overflow; use [`Ratio::checked_sub`] to handle it.
impl Sub for Ratio {
    type Output = Ratio;
    fn sub(self, other: Ratio) -> Ratio {
        self.checked_sub(other).expect(OVERFLOW)
    }
}

/// # Panics
/// On overflow; use [`Ratio::checked_mul`] to handle it.
impl Mul for Ratio {
    type Output = Ratio;
    fn mul(self, other: Ratio) -> Ratio {
        self.checked_mul(other).expect(OVERFLOW)
    }
}

/// # Panics
/// On division by zero or overflow; use [`Ratio::checked_div`] to handle them.
impl Div for Ratio {
    type Output = Ratio;
    fn div(self, other: Ratio) -> Ratio {
        self.checked_div(other).expect("比值除以零或运算溢出")
    }
}

impl From<i64> for Ratio {
    fn from(n: i64) -> Ratio {
        Ratio::from_integer(n)
    }
}

impl fmt::Display for Ratio {
    /// `"num/den"`, or just `"num"` for a whole number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl std::str::FromStr for Ratio {
    type Err = Error;
    /// Accepts `"num/den"` or a whole number, as [`Display`](fmt::Display) writes them.
    fn from_str(s: &str) -> Result<Ratio> {
        let t = s.trim();
        let format_err =
            || Error::invalid("比值", format!("“{t}”格式错误：应为“分子/分母”，如 38/105"));
        let (num, den) = t.split_once('/').unwrap_or((t, "1"));
        let int = |x: &str| {
            let x = x.trim();
            let digits = x.strip_prefix('-').unwrap_or(x);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format_err());
            }
            x.parse::<i128>().map_err(|_| format_err())
        };
        Ratio::new(int(num)?, int(den)?)
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Ratio, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A decimal rounded for display, `units / 10^decimals` (36.1 is 361 units at one decimal).
/// Only [`Ratio::round`] and [`Ratio::round_percent`] make one from a value: this is where
/// rounding happens, and nowhere else. Equality is by value (4.5 equals 4.50).
#[derive(Debug, Clone, Copy)]
pub struct Rounded {
    units: i128,
    decimals: u32,
}

impl Rounded {
    pub fn new(units: i128, decimals: u32) -> Rounded {
        Rounded { units, decimals }
    }

    pub fn units(&self) -> i128 {
        self.units
    }

    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    pub fn is_zero(&self) -> bool {
        self.units == 0
    }

    pub fn is_negative(&self) -> bool {
        self.units < 0
    }

    pub fn is_positive(&self) -> bool {
        self.units > 0
    }

    pub fn abs(self) -> Rounded {
        Rounded::new(self.units.abs(), self.decimals)
    }

    /// The same value with more decimal places (4.5 → 4.50); `None` on overflow or fewer.
    pub fn rescale(self, decimals: u32) -> Option<Rounded> {
        let factor = 10i128.checked_pow(decimals.checked_sub(self.decimals)?)?;
        Some(Rounded::new(self.units.checked_mul(factor)?, decimals))
    }

    /// Difference at the finer of the two precisions, with no further rounding: the
    /// difference of two printed figures, which is what a reader checks a sentence against.
    pub fn checked_sub(self, other: Rounded) -> Option<Rounded> {
        let decimals = self.decimals.max(other.decimals);
        let (a, b) = (self.rescale(decimals)?, other.rescale(decimals)?);
        Some(Rounded::new(a.units.checked_sub(b.units)?, decimals))
    }

    /// Trailing zero decimals dropped (42.0 → 42, 4.50 → 4.5), for targets that are set as
    /// round figures and printed as such ("42万人", "4.5%").
    pub fn trimmed(self) -> Rounded {
        let mut r = self;
        while r.decimals > 0 && r.units % 10 == 0 {
            r = Rounded::new(r.units / 10, r.decimals - 1);
        }
        r
    }
}

impl PartialEq for Rounded {
    fn eq(&self, other: &Rounded) -> bool {
        self.checked_sub(*other).is_some_and(|d| d.is_zero())
    }
}

impl Eq for Rounded {}

impl fmt::Display for Rounded {
    /// Plain decimal with exactly `decimals` places and a leading "-" when negative:
    /// "15.2", "0.26", "-5.6", "42".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let abs = self.units.unsigned_abs();
        if self.decimals == 0 {
            return write!(f, "{sign}{abs}");
        }
        let scale = 10u128.pow(self.decimals);
        let width = self.decimals as usize;
        write!(f, "{sign}{}.{:0width$}", abs / scale, abs % scale)
    }
}

impl Serialize for Rounded {
    /// As the displayed decimal text, e.g. `"36.1"`.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: i128, den: i128) -> Ratio {
        Ratio::new(num, den).unwrap()
    }

    #[test]
    fn construction_reduces_and_normalises_sign() {
        assert_eq!(r(152_000, 420_000), r(38, 105));
        assert_eq!(r(38, 105).numer(), 38);
        assert_eq!(r(38, 105).denom(), 105);
        assert_eq!(r(3, -6), r(-1, 2));
        assert_eq!(r(-3, -6), r(1, 2));
        assert_eq!(r(0, -7), Ratio::ZERO);
        assert_eq!(Ratio::from_integer(5), r(10, 2));
        let e = Ratio::new(1, 0).unwrap_err();
        assert_eq!(e.code(), "field.invalid");
        assert_eq!(e.to_string(), "比值：分母不能为零");
        assert_eq!(Ratio::of_counts(1, 0), None);
        assert_eq!(Ratio::of_counts(265_000, 6_250_000), Some(r(53, 1250)));
    }

    #[test]
    fn arithmetic_is_exact() {
        let fifth = r(1, 5);
        let third = r(1, 3);
        assert_eq!(fifth + third, r(8, 15));
        assert_eq!(fifth - third, r(-2, 15));
        assert_eq!(fifth * third, r(1, 15));
        assert_eq!(fifth / third, r(3, 5));
        assert_eq!(-fifth, r(-1, 5));
        assert_eq!(r(-2, 3).abs(), r(2, 3));
        // 0.1 + 0.2 is exactly 0.3, unlike binary floating point.
        assert_eq!(r(1, 10) + r(2, 10), r(3, 10));
        assert_eq!(fifth.checked_div(Ratio::ZERO), None);
        assert_eq!(r(-3, 4).checked_div(r(-1, 2)), Some(r(3, 2)));
        let big = r(i128::MAX, 1);
        assert_eq!(big.checked_add(Ratio::ONE), None);
        assert_eq!(big.checked_mul(r(2, 1)), None);
        assert_eq!(big.checked_mul(r(1, 2)), Some(r(i128::MAX, 2)));
    }

    #[test]
    fn ordering_is_exact_even_for_huge_terms() {
        assert!(r(38, 105) < r(5, 12));
        assert!(r(-1, 2) < r(-1, 3));
        assert!(r(-1, 3) < Ratio::ZERO);
        assert_eq!(r(2, 4).cmp(&r(1, 2)), Ordering::Equal);
        assert!(r(7, 1) > r(13, 2));
        // Cross-multiplying these would overflow i128.
        let a = r(i128::MAX - 1, i128::MAX);
        let b = r(i128::MAX - 2, i128::MAX - 1);
        assert!(b < a);
        assert!(a < Ratio::ONE);
        assert!(r(-(i128::MAX - 1), i128::MAX) < -b);
        let mut v = vec![r(1, 2), r(-3, 2), r(1, 3), Ratio::ZERO, r(2, 3)];
        v.sort();
        assert_eq!(v, vec![r(-3, 2), Ratio::ZERO, r(1, 3), r(1, 2), r(2, 3)]);
    }

    /// Terms of every size around the 64-bit boundary, from a fixed xorshift stream.
    fn terms(count: usize) -> Vec<i128> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut edges = vec![0, 1, 2, 3, 100, i128::from(i64::MAX), i128::from(u64::MAX)];
        edges.extend([1 << 64, (1 << 64) + 1, 1 << 100, i128::MAX]);
        let mut out: Vec<i128> = edges.iter().flat_map(|e| [*e, -*e]).collect();
        out.push(i128::from(i64::MIN));
        while out.len() < count {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let shift = u32::try_from(x % 40).unwrap();
            let t = i128::from(x >> (x % 64)) << shift;
            out.push(if x & 1 == 0 { t } else { -t });
        }
        out
    }

    #[test]
    fn word_sized_fast_paths_agree_with_the_general_ones() {
        let euclid = |mut a: u128, mut b: u128| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        let values = terms(1_500);
        let ratios: Vec<Ratio> = values
            .chunks(2)
            .filter_map(|p| Ratio::new(p[0], p[1]).ok())
            .collect();
        for a in &values {
            for b in values.iter().step_by(7) {
                let (x, y) = (a.unsigned_abs(), b.unsigned_abs());
                assert_eq!(gcd(x, y), euclid(x, y), "gcd({x}, {y})");
            }
        }
        let words: Vec<i64> = values
            .iter()
            .filter_map(|v| i64::try_from(*v).ok())
            .collect();
        for (n, d) in words
            .iter()
            .zip(words.iter().rev())
            .filter(|(_, d)| **d != 0)
        {
            let q = Ratio::of_counts(*n, *d).unwrap();
            for r in ratios.iter().step_by(5) {
                assert_eq!(
                    Ratio::cmp_quotient(*n, *d, *r),
                    q.cmp(r),
                    "{n}/{d} against {r}"
                );
            }
        }
        for a in &ratios {
            for b in &ratios {
                let general = cmp_fractions(a.num, a.den, b.num, b.den);
                assert_eq!(a.cmp(b), general, "{a} against {b}");
                // The product without a final reduction is reduced, and equal to the reduced
                // product wherever that is computable.
                if let Some(p) = a.checked_mul(*b) {
                    assert_eq!(
                        gcd(p.num.unsigned_abs(), p.den.unsigned_abs()),
                        1,
                        "{a} × {b}"
                    );
                    assert!(p.den > 0);
                    let plain = a.num.checked_mul(b.num).zip(a.den.checked_mul(b.den));
                    if let Some((n, d)) = plain {
                        assert_eq!(Some(p), reduce(n, d), "{a} × {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(r(5, 100).round(1).to_string(), "0.1");
        assert_eq!(r(-5, 100).round(1).to_string(), "-0.1");
        assert_eq!(r(15, 10).round(0).to_string(), "2");
        assert_eq!(r(25, 10).round(0).to_string(), "3"); // banker's rounding would give 2
        assert_eq!(r(-25, 10).round(0).to_string(), "-3");
        assert_eq!(r(1, 3).round(3).to_string(), "0.333");
        assert_eq!(r(2, 3).round(3).to_string(), "0.667");
        assert_eq!(r(-1, 30).round(1).to_string(), "0.0"); // the sign goes with the zero
        assert_eq!(r(38, 105).round_percent(1).to_string(), "36.2");
        assert_eq!(r(5, 12).round_percent(1).to_string(), "41.7");
        assert_eq!(r(1, 12).round_percent(1).to_string(), "8.3");
        assert_eq!(Ratio::ONE.round_percent(1).to_string(), "100.0");
        // 4.245% at two decimals: exactly half, so away from zero.
        assert_eq!(
            Ratio::from_percent(4245, 3).round_percent(2).to_string(),
            "4.25"
        );
        assert_eq!(r(849, 20_000).round_percent(2).to_string(), "4.25");
        assert_eq!(
            Ratio::from_percent(-4245, 3).round_percent(2).to_string(),
            "-4.25"
        );
        assert_eq!(
            Ratio::from_percent(42449, 4).round_percent(2).to_string(),
            "4.24"
        );
    }

    #[test]
    fn percent_parsing_is_exact() {
        assert_eq!(Ratio::parse_percent("4.24").unwrap(), r(424, 10_000));
        assert_eq!(Ratio::parse_percent(" 4.24% ").unwrap(), r(424, 10_000));
        assert_eq!(
            Ratio::parse_percent("6.5").unwrap(),
            Ratio::from_percent(65, 1)
        );
        assert_eq!(Ratio::parse_percent("5").unwrap(), r(1, 20));
        assert_eq!(Ratio::parse_percent("-0.2").unwrap(), r(-2, 1000));
        assert_eq!(Ratio::parse_percent("007.50").unwrap(), r(3, 40));
        for bad in [
            "", "%", "4.", ".5", "4..2", "4,5", "abc", "--1", "+1", "1e3", "４.５",
        ] {
            let e = Ratio::parse_percent(bad).unwrap_err();
            assert_eq!(e.code(), "field.invalid", "{bad:?}");
        }
        assert_eq!(
            Ratio::parse_percent("abc").unwrap_err().to_string(),
            "百分比：“abc”格式错误：应为数字，如 4.5、4.24 或 4.24%"
        );
    }

    #[test]
    fn rounded_arithmetic_and_display() {
        let done = Rounded::new(361, 1);
        let time = Rounded::new(417, 1);
        assert_eq!(done.checked_sub(time).unwrap().to_string(), "-5.6");
        assert_eq!(
            Rounded::new(45, 1)
                .checked_sub(Rounded::new(424, 2))
                .unwrap()
                .to_string(),
            "0.26"
        );
        assert_eq!(Rounded::new(45, 1), Rounded::new(450, 2));
        assert_ne!(Rounded::new(45, 1), Rounded::new(451, 2));
        assert_eq!(Rounded::new(420, 1).trimmed().to_string(), "42");
        assert_eq!(Rounded::new(450, 2).trimmed().to_string(), "4.5");
        assert_eq!(Rounded::new(0, 2).trimmed().to_string(), "0");
        assert_eq!(Rounded::new(-2, 2).to_string(), "-0.02");
        assert_eq!(Rounded::new(-56, 1).abs().to_string(), "5.6");
        assert_eq!(Rounded::new(5, 1).rescale(0), None);
        assert_eq!(serde_json::to_string(&done).unwrap(), "\"36.1\"");
    }

    #[test]
    fn display_parse_and_serde() {
        assert_eq!(r(38, 105).to_string(), "38/105");
        assert_eq!(r(-4, 2).to_string(), "-2");
        assert_eq!("38/105".parse::<Ratio>().unwrap(), r(38, 105));
        assert_eq!("-76/210".parse::<Ratio>().unwrap(), r(-38, 105));
        assert_eq!("7".parse::<Ratio>().unwrap(), Ratio::from_integer(7));
        for bad in ["", "1/", "/2", "1/0", "a/b", "1.5/2", "1/2/3", "+1/2"] {
            assert!(bad.parse::<Ratio>().is_err(), "{bad:?}");
        }
        assert_eq!(serde_json::to_string(&r(53, 1250)).unwrap(), "\"53/1250\"");
        assert_eq!(
            serde_json::from_str::<Ratio>("\"106/2500\"").unwrap(),
            r(53, 1250)
        );
        assert!(serde_json::from_str::<Ratio>("\"1/0\"").is_err());
        assert!(serde_json::from_str::<Ratio>("0.5").is_err());
        assert!((r(5, 12).to_f64() - 0.4166).abs() < 0.001);
    }
}
