//! Money as integer cents. Parsing accepts what a cashier types; display is `12,50 €`.

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Sub};

/// An amount of euros in integer cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("'{0}' is not an amount of money (write it like 50, 50,00 or 50.00)")]
    NotAnAmount(String),
    #[error("'{0}' has more than two decimals")]
    TooManyDecimals(String),
    #[error("'{0}' is too large: the most any one amount can be is 1 000 000,00 €")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount that enters the system in one piece (a tender, a float, a cash
    /// movement, a price, a refund): 1 000 000,00 €. The ledger's columns refuse more than
    /// [`Money::LEDGER_MAX`], so no sum over the ledger's rows can overflow `i64`.
    pub const MAX: Money = Money(100_000_000);
    /// The most any single amount column of the ledger holds (a sale's total of many tickets):
    /// 100 000 000,00 €. 9.2 × 10⁸ rows at this bound would be needed to overflow a sum.
    pub const LEDGER_MAX: Money = Money(10_000_000_000);

    /// `self + other`, or `None` past `i64`.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self - other`, or `None` past `i64`.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// `self × n`, or `None` past `i64`.
    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn from_euros(euros: i64) -> Self {
        Money(euros * 100)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses `50`, `50,00`, `50.00`, `50,5`, `1 250,00`, optionally followed by `€` or `EUR`.
    /// More than two decimals is an error, never a rounding.
    pub fn parse(input: &str) -> Result<Money, MoneyParseError> {
        let not_an_amount = || MoneyParseError::NotAnAmount(input.to_string());
        let mut text: String = input
            .trim()
            .trim_end_matches('€')
            .trim_end_matches("EUR")
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let negative = text.starts_with('-');
        if negative {
            text.remove(0);
        }
        let (whole, fraction) = match text.find([',', '.']) {
            Some(at) => (&text[..at], &text[at + 1..]),
            None => (text.as_str(), ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction)
        {
            return Err(not_an_amount());
        }
        if fraction.len() > 2 {
            return Err(MoneyParseError::TooManyDecimals(input.to_string()));
        }
        let whole_cents = if whole.is_empty() {
            0
        } else {
            whole
                .parse::<i64>()
                .ok()
                .and_then(|w| w.checked_mul(100))
                .ok_or_else(|| MoneyParseError::TooLarge(input.to_string()))?
        };
        let fraction_cents = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| not_an_amount())? * 10,
            _ => fraction.parse::<i64>().map_err(|_| not_an_amount())?,
        };
        let cents = whole_cents
            .checked_add(fraction_cents)
            .filter(|cents| *cents <= Money::MAX.0)
            .ok_or_else(|| MoneyParseError::TooLarge(input.to_string()))?;
        Ok(Money(if negative { -cents } else { cents }))
    }

    /// The amount without the currency sign: `1 250,00`.
    pub fn amount_text(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push(' ');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped},{:02}", abs % 100)
    }
}

/// In JSON an amount is its whole number of cents (`1250`), under a field named `…_cents`: the
/// type carries the rule in the program, the wire keeps the integer it always had.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // What the program wrote (a stored report's totals may be sums beyond `MAX`); amounts
        // typed in by people come through `parse`, which holds them to `MAX`.
        i64::deserialize(deserializer).map(Money)
    }
}

/// `12,50 €`, the Finnish and Swedish way.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} €", self.amount_text())
    }
}

// The operators are checked in every build: amounts entering are bounded by `Money::MAX` and
// the ledger's columns by `Money::LEDGER_MAX`, so these can only fail on a broken invariant,
// and then loudly, never by wrapping to a wrong amount.
const OVERFLOW: &str = "money arithmetic overflowed past the ledger's bounds";

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        self.checked_add(rhs).expect(OVERFLOW)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        self.checked_sub(rhs).expect(OVERFLOW)
    }
}

impl Mul<i64> for Money {
    type Output = Money;
    fn mul(self, rhs: i64) -> Money {
        self.checked_mul(rhs).expect(OVERFLOW)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_in_json_is_its_whole_number_of_cents_both_ways() {
        let amounts = [
            Money::from_cents(1250),
            Money::ZERO,
            Money::from_cents(-399),
        ];
        let json = serde_json::to_string(&amounts).ok();
        assert_eq!(json.as_deref(), Some("[1250,0,-399]"));
        let back: Option<Vec<Money>> = json.and_then(|j| serde_json::from_str(&j).ok());
        assert_eq!(back.as_deref(), Some(&amounts[..]));
        assert!(
            serde_json::from_str::<Money>("12.5").is_err(),
            "cents are whole"
        );
    }

    #[test]
    fn parses_what_cashiers_type() {
        assert_eq!(Money::parse("50"), Ok(Money::from_cents(5000)));
        assert_eq!(Money::parse("50,00"), Ok(Money::from_cents(5000)));
        assert_eq!(Money::parse("50.00"), Ok(Money::from_cents(5000)));
        assert_eq!(Money::parse("12,5"), Ok(Money::from_cents(1250)));
        assert_eq!(Money::parse(" 1 250,75 € "), Ok(Money::from_cents(125075)));
        assert_eq!(Money::parse(",50"), Ok(Money::from_cents(50)));
        assert_eq!(Money::parse("-3,20"), Ok(Money::from_cents(-320)));
    }

    #[test]
    fn refuses_what_is_not_money() {
        assert!(matches!(
            Money::parse("12,505"),
            Err(MoneyParseError::TooManyDecimals(_))
        ));
        for bad in ["", "abc", "1,2,3", "12e3", ",", "1.-"] {
            assert!(Money::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(matches!(
            Money::parse("999999999999999999999"),
            Err(MoneyParseError::TooLarge(_))
        ));
    }

    #[test]
    fn amounts_are_bounded_and_arithmetic_is_checked() {
        assert_eq!(Money::parse("1 000 000,00"), Ok(Money::MAX));
        for bad in [
            "1 000 000,01",
            "92233720368547758,07",
            "92233720368547758",
            "-92233720368547758,08",
        ] {
            assert!(
                matches!(Money::parse(bad), Err(MoneyParseError::TooLarge(_))),
                "{bad}"
            );
        }
        assert_eq!(
            Money::from_cents(i64::MAX).checked_add(Money::from_cents(1)),
            None
        );
        assert_eq!(
            Money::from_cents(i64::MIN).checked_sub(Money::from_cents(1)),
            None
        );
        assert_eq!(Money::MAX.checked_mul(i64::MAX), None);
        let wrapped =
            std::panic::catch_unwind(|| Money::from_cents(i64::MAX) + Money::from_cents(1));
        assert!(wrapped.is_err(), "an overflow never wraps");
    }

    #[test]
    fn displays_the_euro_the_nordic_way() {
        assert_eq!(Money::from_cents(1250).to_string(), "12,50 €");
        assert_eq!(Money::from_cents(5).to_string(), "0,05 €");
        assert_eq!(Money::from_cents(123456789).to_string(), "1 234 567,89 €");
        assert_eq!(Money::from_cents(-400).to_string(), "-4,00 €");
    }
}
