//! The cash drawer: euro denominations and counting it.

use super::{Currency, Money};

fn not_in_currency(given: &str, currency: Currency) -> CountError {
    let list: Vec<String> = currency
        .denominations_cents()
        .iter()
        .map(|c| Money::from_cents(*c).amount_text())
        .collect();
    let name = match currency {
        Currency::Eur => "euro",
        Currency::Sek => "Swedish krona",
    };
    CountError::NotInCurrency(given.to_string(), name, list.join(", "))
}

/// Euro notes and coins, largest first, in cents.
pub const EURO_DENOMINATIONS_CENTS: [i64; 15] = [
    50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("'{0}' should be DENOMINATION=NUMBER, e.g. 20=3 or 0.50=4")]
    Malformed(String),
    #[error(
        "'{0}' is not a euro note or coin (500, 200, 100, 50, 20, 10, 5, 2, 1, 0.50, 0.20, 0.10, 0.05, 0.02, 0.01)"
    )]
    NotADenomination(String),
    #[error("'{0}': the number of notes or coins must be a whole number, 0 or more")]
    BadNumber(String),
    #[error("{0} is counted twice")]
    Twice(String),
    #[error("the count comes to more than 1 000 000,00 €, the most a drawer can hold")]
    TooLarge,
    /// (what was given, the currency, the notes and coins it uses)
    #[error("'{0}' is not a {1} note or coin this register uses ({2})")]
    NotInCurrency(String, &'static str, String),
}

/// A counted drawer: (denomination, pieces), largest denomination first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DrawerCount {
    pub pieces: Vec<(Money, i64)>,
}

impl DrawerCount {
    /// Parses `50=2,20=3,0.50=4` (denominations in euros; `0,50` also works inside one item).
    /// Items are separated by commas or spaces; since `0,50=4` contains a comma, an item
    /// without `=` is joined to the next one.
    pub fn parse(text: &str) -> Result<DrawerCount, CountError> {
        Self::parse_with(text, &EURO_DENOMINATIONS_CENTS, None)
    }

    /// [`DrawerCount::parse`] for a register in `currency`: only the notes and coins it uses
    /// (Finland: no 1 and 2 cent coins; Sweden: kronor).
    pub fn parse_in(text: &str, currency: Currency) -> Result<DrawerCount, CountError> {
        Self::parse_with(text, currency.denominations_cents(), Some(currency))
    }

    /// The first counted denomination `currency` does not use, as the error `parse_in` gives.
    pub fn check_currency(&self, currency: Currency) -> Result<(), CountError> {
        match self
            .pieces
            .iter()
            .find(|(value, _)| !currency.denominations_cents().contains(&value.cents()))
        {
            Some((value, _)) => Err(not_in_currency(&value.amount_text(), currency)),
            None => Ok(()),
        }
    }

    fn parse_with(
        text: &str,
        allowed: &[i64],
        currency: Option<Currency>,
    ) -> Result<DrawerCount, CountError> {
        let mut items: Vec<String> = Vec::new();
        let mut pending = String::new();
        for part in text.split([',', ' ', ';']).filter(|p| !p.is_empty()) {
            if !pending.is_empty() {
                pending.push(',');
            }
            pending.push_str(part);
            if pending.contains('=') {
                items.push(std::mem::take(&mut pending));
            }
        }
        if !pending.is_empty() {
            return Err(CountError::Malformed(pending));
        }
        let mut count = DrawerCount::default();
        for item in items {
            let (denomination, number) = item
                .split_once('=')
                .ok_or_else(|| CountError::Malformed(item.clone()))?;
            let refuse = || match currency {
                Some(currency) => not_in_currency(denomination, currency),
                None => CountError::NotADenomination(denomination.to_string()),
            };
            let value =
                Money::parse(denomination.trim_end_matches("kr").trim()).map_err(|_| refuse())?;
            if !allowed.contains(&value.cents()) {
                return Err(refuse());
            }
            let number = number.trim();
            let pieces: i64 = number
                .parse()
                .ok()
                .filter(|n| *n >= 0 && number.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| CountError::BadNumber(item.clone()))?;
            if count.pieces.iter().any(|(v, _)| *v == value) {
                return Err(CountError::Twice(value.to_string()));
            }
            count.pieces.push((value, pieces));
            // Bounded like every amount entering (Money::MAX), so the total cannot overflow.
            let total = count
                .pieces
                .iter()
                .try_fold(Money::ZERO, |sum, (v, n)| {
                    sum.checked_add(v.checked_mul(*n)?)
                })
                .filter(|total| *total <= Money::MAX);
            if total.is_none() {
                return Err(CountError::TooLarge);
            }
        }
        count
            .pieces
            .sort_by_key(|(value, _)| std::cmp::Reverse(*value));
        Ok(count)
    }

    pub fn total(&self) -> Money {
        self.pieces.iter().map(|(value, n)| *value * *n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_notes_and_coins() {
        let count = DrawerCount::parse("20=3, 50=1,0.50=4,0,20=5").unwrap();
        assert_eq!(count.total(), Money::from_cents(6000 + 5000 + 200 + 100));
        assert_eq!(count.pieces[0], (Money::from_euros(50), 1));
        assert_eq!(DrawerCount::parse("").unwrap().total(), Money::ZERO);
    }

    #[test]
    fn counts_only_the_currencys_notes_and_coins() {
        let kronor = DrawerCount::parse_in("1000=1,20=2,1=3", Currency::Sek).unwrap();
        assert_eq!(kronor.total(), Money::from_euros(1043));
        for (text, currency) in [
            ("0.50=1", Currency::Sek),
            ("0.02=1", Currency::Eur),
            ("1000=1", Currency::Eur),
        ] {
            assert!(
                matches!(
                    DrawerCount::parse_in(text, currency),
                    Err(CountError::NotInCurrency(..))
                ),
                "{text}"
            );
        }
        let euros = DrawerCount::parse("0.02=1").unwrap();
        assert!(euros.check_currency(Currency::Eur).is_err());
        assert!(
            DrawerCount::parse("20=1")
                .unwrap()
                .check_currency(Currency::Eur)
                .is_ok()
        );
    }

    #[test]
    fn refuses_bad_counts() {
        assert!(matches!(
            DrawerCount::parse("20=-1"),
            Err(CountError::BadNumber(_))
        ));
        assert!(matches!(
            DrawerCount::parse("20=x"),
            Err(CountError::BadNumber(_))
        ));
        assert!(matches!(
            DrawerCount::parse("20=1.5"),
            Err(CountError::BadNumber(_))
        ));
        assert!(matches!(
            DrawerCount::parse("30=1"),
            Err(CountError::NotADenomination(_))
        ));
        assert!(matches!(
            DrawerCount::parse("abc=1"),
            Err(CountError::NotADenomination(_))
        ));
        assert!(matches!(
            DrawerCount::parse("20"),
            Err(CountError::Malformed(_))
        ));
        assert!(matches!(
            DrawerCount::parse("500=184467440737095516"),
            Err(CountError::TooLarge)
        ));
        assert!(matches!(
            DrawerCount::parse("500=2001"),
            Err(CountError::TooLarge)
        ));
        assert!(matches!(
            DrawerCount::parse("20=1,20=2"),
            Err(CountError::Twice(_))
        ));
    }
}
