//! The cart of one sale: lines of (performance, price category, quantity), totals and VAT per rate.

use std::collections::BTreeMap;

use super::{Money, VatBasisPoints, vat_included};

/// A price category as the cart sees it: everything needed to price a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCategory {
    pub category_id: i64,
    pub code: String,
    pub unit_price: Money,
    pub vat_rate: VatBasisPoints,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub category: PricedCategory,
    pub quantity: u32,
}

impl CartLine {
    pub fn gross(&self) -> Money {
        self.category.unit_price * i64::from(self.quantity)
    }

    /// VAT of the whole line (see the rounding rule in [`super::vat`]).
    pub fn vat(&self) -> Money {
        vat_included(self.gross(), self.category.vat_rate)
    }

    pub fn net(&self) -> Money {
        self.gross() - self.vat()
    }
}

/// Sums for one VAT rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatSummary {
    pub rate: VatBasisPoints,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartTotals {
    pub gross: Money,
    pub net: Money,
    pub vat: Money,
    /// One entry per rate, lowest rate first.
    pub per_rate: Vec<VatSummary>,
    pub n_tickets: u32,
}

/// The cart for one performance. Lines keep the order in which categories were first added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    lines: Vec<CartLine>,
}

impl Cart {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Adds `quantity` tickets of a category (merging with an existing line of the same
    /// category and price; a category priced by seat zone may have a line per price).
    pub fn add(&mut self, category: &PricedCategory, quantity: u32) {
        if quantity == 0 {
            return;
        }
        match self.lines.iter_mut().find(|l| {
            l.category.category_id == category.category_id
                && l.category.unit_price == category.unit_price
        }) {
            Some(line) => line.quantity += quantity,
            None => self.lines.push(CartLine {
                category: category.clone(),
                quantity,
            }),
        }
    }

    /// Removes one ticket of a category; the line disappears at zero.
    pub fn remove_one(&mut self, category_id: i64) {
        if let Some(at) = self
            .lines
            .iter()
            .position(|l| l.category.category_id == category_id)
        {
            self.lines[at].quantity -= 1;
            if self.lines[at].quantity == 0 {
                self.lines.remove(at);
            }
        }
    }

    pub fn totals(&self) -> CartTotals {
        let mut per_rate: BTreeMap<VatBasisPoints, VatSummary> = BTreeMap::new();
        for line in &self.lines {
            let entry = per_rate
                .entry(line.category.vat_rate)
                .or_insert(VatSummary {
                    rate: line.category.vat_rate,
                    net: Money::ZERO,
                    vat: Money::ZERO,
                    gross: Money::ZERO,
                });
            entry.net += line.net();
            entry.vat += line.vat();
            entry.gross += line.gross();
        }
        CartTotals {
            gross: self.lines.iter().map(CartLine::gross).sum(),
            net: self.lines.iter().map(CartLine::net).sum(),
            vat: self.lines.iter().map(CartLine::vat).sum(),
            per_rate: per_rate.into_values().collect(),
            n_tickets: self.lines.iter().map(|l| l.quantity).sum(),
        }
    }
}

/// What a cash tender leaves: the change, or how much is still missing.
pub fn cash_change(total: Money, tendered: Money) -> Result<Money, Money> {
    if tendered >= total {
        Ok(tendered - total)
    } else {
        Err(total - tendered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: i64, cents: i64, rate: i64) -> PricedCategory {
        PricedCategory {
            category_id: id,
            code: format!("C{id}"),
            unit_price: Money::from_cents(cents),
            vat_rate: VatBasisPoints(rate),
        }
    }

    #[test]
    fn totals_sum_line_vat_per_rate() {
        let adult = category(1, 1850, 1350);
        let child = category(2, 900, 1350);
        let parking = category(3, 1000, 2550);
        let mut cart = Cart::new();
        cart.add(&adult, 1);
        cart.add(&adult, 1);
        cart.add(&child, 1);
        cart.add(&parking, 1);
        let totals = cart.totals();
        assert_eq!(totals.gross, Money::from_cents(5600));
        assert_eq!(totals.n_tickets, 4);
        assert_eq!(totals.per_rate.len(), 2);
        // 3700 × 1350/11350 = 440,09 → 440; 900 → 107,04 → 107
        assert_eq!(totals.per_rate[0].vat, Money::from_cents(440 + 107));
        assert_eq!(totals.per_rate[1].vat, Money::from_cents(203));
        assert_eq!(totals.net + totals.vat, totals.gross);
        cart.remove_one(3);
        assert_eq!(cart.totals().per_rate.len(), 1);
    }

    #[test]
    fn change_or_missing() {
        assert_eq!(
            cash_change(Money::from_cents(4600), Money::from_euros(50)),
            Ok(Money::from_cents(400))
        );
        assert_eq!(
            cash_change(Money::from_cents(4600), Money::from_euros(40)),
            Err(Money::from_cents(600))
        );
    }
}
