//! The register's currency and cash rounding. Pure rules, no I/O.
//!
//! Cash rounding: a cash payment is rounded to the smallest coin in use — Finland to the
//! nearest 5 cents (1–2 cents down, 3–4 up, 6–7 down, 8–9 up), Sweden to the whole krona
//! (öresavrundning: 50 öre and more up). Card and bank payments are never rounded.
//! The rounding is the difference `rounded − due`, a line of its own on the receipt and in
//! the ledger; VAT stays computed from the lines.

use super::Money;
use super::tender::Tender;

/// The currency of one register (and of its whole ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Currency {
    #[default]
    Eur,
    Sek,
}

/// Swedish VAT rates (basis points) with the date they took effect, as data: the general rate,
/// the reduced rate and the culture rate (theatre, concerts, cinema).
pub const SWEDISH_VAT_RATES: &[(&str, &str, i64)] = &[
    ("general", "1990-07-01", 2500),
    ("reduced", "1996-01-01", 1200),
    ("culture", "1997-01-01", 600),
];

impl Currency {
    /// `EUR` or `SEK`, as in the ledger and ISO 4217.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Sek => "SEK",
        }
    }

    /// Reads `EUR`/`SEK` (any case).
    pub fn parse(text: &str) -> Option<Currency> {
        match text.trim().to_ascii_uppercase().as_str() {
            "EUR" => Some(Currency::Eur),
            "SEK" => Some(Currency::Sek),
            _ => None,
        }
    }

    /// The step a cash payment is rounded to, in cents (öre).
    pub fn cash_step_cents(self) -> i64 {
        match self {
            Currency::Eur => 5,
            Currency::Sek => 100,
        }
    }

    /// Notes and coins in use, largest first, in cents: the drawer count offers only these.
    pub fn denominations_cents(self) -> &'static [i64] {
        match self {
            // Finland does not use the 1 and 2 cent coins at the counter.
            Currency::Eur => &[
                50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5,
            ],
            Currency::Sek => &[100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100],
        }
    }

    /// An amount as the currency and the Nordic languages write it: `12,50 €`, `125,00 kr`.
    pub fn format(self, amount: Money) -> String {
        match self {
            Currency::Eur => format!("{} €", amount.amount_text()),
            Currency::Sek => format!("{} kr", amount.amount_text()),
        }
    }

    /// The rounding of a payment of `due` by `tender`: what is added
    /// to (or, when negative, taken off) `due` so the customer pays in coins that exist.
    /// Only cash is rounded.
    pub fn cash_rounding(self, tender: Tender, due: Money) -> Money {
        if tender != Tender::Cash {
            return Money::ZERO;
        }
        round_to_step(due, self.cash_step_cents()) - due
    }
}

/// `amount` to the nearest multiple of `step` cents; exactly half a step rounds away from zero.
pub fn round_to_step(amount: Money, step: i64) -> Money {
    let cents = amount.cents();
    let rest = cents.rem_euclid(step);
    let down = cents - rest;
    let rounded = if rest * 2 > step || (rest * 2 == step && cents > 0) {
        down + step
    } else {
        down
    };
    Money::from_cents(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_cash_rounds_to_five_cents_for_every_last_cent() {
        // 12,50 + n cents for n in 0..=9
        let expected = [0, -1, -2, 2, 1, 0, -1, -2, 2, 1];
        for (n, want) in expected.iter().enumerate() {
            let due = Money::from_cents(1250 + n as i64);
            let rounding = Currency::Eur.cash_rounding(Tender::Cash, due);
            assert_eq!(rounding, Money::from_cents(*want), "12,5{n} €");
            assert_eq!((due + rounding).cents() % 5, 0);
        }
    }

    #[test]
    fn card_and_bank_are_never_rounded() {
        for tender in [Tender::Card, Tender::Bank] {
            for currency in [Currency::Eur, Currency::Sek] {
                assert_eq!(
                    currency.cash_rounding(tender, Money::from_cents(1253)),
                    Money::ZERO
                );
            }
        }
    }

    #[test]
    fn swedish_cash_rounds_to_the_whole_krona() {
        assert_eq!(
            Currency::Sek.cash_rounding(Tender::Cash, Money::from_cents(12549)),
            Money::from_cents(-49)
        );
        assert_eq!(
            Currency::Sek.cash_rounding(Tender::Cash, Money::from_cents(12550)),
            Money::from_cents(50)
        );
        assert_eq!(
            Currency::Sek.cash_rounding(Tender::Cash, Money::from_cents(12501)),
            Money::from_cents(-1)
        );
        assert_eq!(
            Currency::Sek.cash_rounding(Tender::Cash, Money::from_cents(12500)),
            Money::ZERO
        );
        // a refund (negative) rounds symmetrically
        assert_eq!(
            round_to_step(Money::from_cents(-1253), 5),
            Money::from_cents(-1255)
        );
        assert_eq!(
            round_to_step(Money::from_cents(-12550), 100),
            Money::from_cents(-12600)
        );
    }

    #[test]
    fn writes_amounts_as_the_currency_expects() {
        assert_eq!(Currency::Sek.format(Money::from_cents(12500)), "125,00 kr");
        assert_eq!(Currency::Eur.format(Money::from_cents(1250)), "12,50 €");
        assert_eq!(
            Currency::Sek.format(Money::from_cents(123456)),
            "1 234,56 kr"
        );
        assert_eq!(Currency::parse("sek"), Some(Currency::Sek));
        assert_eq!(Currency::parse("USD"), None);
    }
}
