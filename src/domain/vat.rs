//! VAT arithmetic. Prices are gross (VAT included); rates are basis points (1 % = 100).
//!
//! Rounding rule: the VAT of a line is extracted from that line's gross amount
//! (unit price × quantity) as `gross × rate / (10000 + rate)`, rounded half away
//! from zero to the cent. Net = gross − VAT, so net + VAT = gross exactly on every
//! line. Per-rate totals are the sums of the line values; they are never
//! recomputed from the summed gross.

use super::Money;

/// A VAT rate in basis points: 2550 = 25,5 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VatBasisPoints(pub i64);

impl VatBasisPoints {
    /// `25,5 %`, `14 %`.
    pub fn percent_text(self) -> String {
        let whole = self.0 / 100;
        let rest = self.0 % 100;
        if rest == 0 {
            format!("{whole} %")
        } else if rest % 10 == 0 {
            format!("{whole},{} %", rest / 10)
        } else {
            format!("{whole},{rest:02} %")
        }
    }
}

/// The VAT contained in a gross amount, rounded half away from zero to the cent.
pub fn vat_included(gross: Money, rate: VatBasisPoints) -> Money {
    let numerator = i128::from(gross.cents()) * i128::from(rate.0);
    let denominator = 10_000 + i128::from(rate.0);
    let rounded = if numerator >= 0 {
        (numerator * 2 + denominator) / (2 * denominator)
    } else {
        -((-numerator * 2 + denominator) / (2 * denominator))
    };
    Money::from_cents(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_vat_from_gross() {
        // 18,50 € at 13,5 %: 1850 × 1350 / 11350 = 220,04… → 2,20 €
        assert_eq!(
            vat_included(Money::from_cents(1850), VatBasisPoints(1350)),
            Money::from_cents(220)
        );
        // 10,00 € at 25,5 %: 1000 × 2550 / 12550 = 203,19… → 2,03 €
        assert_eq!(
            vat_included(Money::from_cents(1000), VatBasisPoints(2550)),
            Money::from_cents(203)
        );
        // exactly half a cent rounds away from zero: 105 × 10000 / 20000 = 52,5
        assert_eq!(
            vat_included(Money::from_cents(105), VatBasisPoints(10_000)),
            Money::from_cents(53)
        );
        assert_eq!(
            vat_included(Money::from_cents(-105), VatBasisPoints(10_000)),
            Money::from_cents(-53)
        );
        assert_eq!(vat_included(Money::ZERO, VatBasisPoints(2550)), Money::ZERO);
    }

    #[test]
    fn rate_text() {
        assert_eq!(VatBasisPoints(2550).percent_text(), "25,5 %");
        assert_eq!(VatBasisPoints(1400).percent_text(), "14 %");
        assert_eq!(VatBasisPoints(1350).percent_text(), "13,5 %");
        assert_eq!(VatBasisPoints(1).percent_text(), "0,01 %");
    }
}
