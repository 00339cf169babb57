//! Refund rules: what each original line gives back. Never more than was paid, never a ticket
//! twice; a partial amount reduces what the remaining tickets of a line are worth.

use super::{Money, VatBasisPoints, vat_included};

/// An original order line as refunds have left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineState {
    pub line_id: i64,
    pub gross: Money,
    pub refunded: Money,
    pub quantity: i64,
    pub refunded_quantity: i64,
    pub vat_rate: VatBasisPoints,
}

impl LineState {
    pub fn remaining(&self) -> Money {
        self.gross - self.refunded
    }

    pub fn valid_tickets(&self) -> i64 {
        self.quantity - self.refunded_quantity
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundScope {
    /// Everything that is left of the order.
    WholeOrder,
    /// These tickets, as the line id of each.
    Tickets(Vec<i64>),
    /// Money only; the tickets stay valid.
    Amount(Money),
}

/// What one line gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRefund {
    pub line_id: i64,
    pub quantity: i64,
    pub amount: Money,
    pub vat: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    #[error("nothing is left to refund on this order")]
    NothingLeft,
    #[error("at most {refundable} can be refunded")]
    MoreThanPaid { refundable: Money },
    #[error("the amount must be more than zero")]
    NotPositive,
}

/// Splits a refund over the lines.
/// - Tickets: `k` of a line's `v` valid tickets give back `remaining × k / v` (rounded down; the
///   line's last ticket gives back all that remains, so the cents add up exactly).
/// - Whole order: every line gives back its remaining amount and all its valid tickets.
/// - Amount: taken from the lines in order, each at most its remaining amount; no tickets.
pub fn allocate(lines: &[LineState], scope: &RefundScope) -> Result<Vec<LineRefund>, RefundError> {
    let refundable: Money = lines.iter().map(LineState::remaining).sum();
    let mut refunds = Vec::new();
    match scope {
        RefundScope::WholeOrder => {
            for line in lines
                .iter()
                .filter(|l| l.remaining() > Money::ZERO || l.valid_tickets() > 0)
            {
                refunds.push(line_refund(line, line.valid_tickets(), line.remaining()));
            }
        }
        RefundScope::Tickets(line_ids) => {
            for line in lines {
                let k = line_ids.iter().filter(|id| **id == line.line_id).count() as i64;
                if k == 0 {
                    continue;
                }
                let v = line.valid_tickets();
                let amount = if k >= v {
                    line.remaining()
                } else {
                    Money::from_cents(line.remaining().cents() * k / v)
                };
                refunds.push(line_refund(line, k.min(v), amount));
            }
        }
        RefundScope::Amount(amount) => {
            if *amount <= Money::ZERO {
                return Err(RefundError::NotPositive);
            }
            if *amount > refundable {
                return Err(RefundError::MoreThanPaid { refundable });
            }
            let mut left = *amount;
            for line in lines {
                if left == Money::ZERO {
                    break;
                }
                let take = left.min(line.remaining());
                if take > Money::ZERO {
                    refunds.push(line_refund(line, 0, take));
                    left = left - take;
                }
            }
        }
    }
    if refunds
        .iter()
        .all(|r| r.amount == Money::ZERO && r.quantity == 0)
    {
        return Err(RefundError::NothingLeft);
    }
    Ok(refunds)
}

fn line_refund(line: &LineState, quantity: i64, amount: Money) -> LineRefund {
    LineRefund {
        line_id: line.line_id,
        quantity,
        amount,
        vat: vat_included(amount, line.vat_rate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i64, unit: i64, quantity: i64) -> LineState {
        LineState {
            line_id: id,
            gross: Money::from_cents(unit * quantity),
            refunded: Money::ZERO,
            quantity,
            refunded_quantity: 0,
            vat_rate: VatBasisPoints(1350),
        }
    }

    fn apply(lines: &mut [LineState], refunds: &[LineRefund]) {
        for refund in refunds {
            let line = lines
                .iter_mut()
                .find(|l| l.line_id == refund.line_id)
                .unwrap();
            line.refunded += refund.amount;
            line.refunded_quantity += refund.quantity;
        }
    }

    #[test]
    fn tickets_then_whole_order_add_up_to_what_was_paid() {
        let mut lines = vec![line(1, 1850, 2), line(2, 900, 1)];
        let first = allocate(&lines, &RefundScope::Tickets(vec![1])).unwrap();
        assert_eq!(
            first,
            vec![LineRefund {
                line_id: 1,
                quantity: 1,
                amount: Money::from_cents(1850),
                vat: Money::from_cents(220)
            }]
        );
        apply(&mut lines, &first);
        let rest = allocate(&lines, &RefundScope::WholeOrder).unwrap();
        let total: Money = first.iter().chain(&rest).map(|r| r.amount).sum();
        assert_eq!(total, Money::from_cents(4600));
        apply(&mut lines, &rest);
        assert_eq!(
            allocate(&lines, &RefundScope::WholeOrder),
            Err(RefundError::NothingLeft)
        );
        assert_eq!(
            allocate(&lines, &RefundScope::Amount(Money::from_cents(1))),
            Err(RefundError::MoreThanPaid {
                refundable: Money::ZERO
            })
        );
    }

    #[test]
    fn a_second_partial_refund_does_not_refund_every_line_again() {
        let mut lines = vec![line(1, 1000, 3), line(2, 500, 2)];
        let first = allocate(&lines, &RefundScope::Amount(Money::from_cents(1200))).unwrap();
        assert_eq!(
            first.iter().map(|r| r.amount.cents()).collect::<Vec<_>>(),
            vec![1200]
        );
        apply(&mut lines, &first);
        let second = allocate(&lines, &RefundScope::Amount(Money::from_cents(2000))).unwrap();
        assert_eq!(
            second
                .iter()
                .map(|r| (r.line_id, r.amount.cents()))
                .collect::<Vec<_>>(),
            vec![(1, 1800), (2, 200)]
        );
        apply(&mut lines, &second);
        assert_eq!(
            lines.iter().map(|l| l.remaining().cents()).sum::<i64>(),
            4000 - 3200
        );
        assert!(
            second.iter().all(|r| r.quantity == 0),
            "money-only refunds keep the tickets"
        );
        // Tickets of a partly refunded line are worth what remains of it, split fairly.
        let tickets = allocate(&lines, &RefundScope::Tickets(vec![2])).unwrap();
        assert_eq!(tickets[0].amount.cents(), 800 / 2);
        assert_eq!(
            allocate(&lines, &RefundScope::Amount(Money::ZERO)),
            Err(RefundError::NotPositive)
        );
    }

    #[test]
    fn uneven_cents_go_to_the_last_ticket() {
        let mut lines = vec![LineState {
            gross: Money::from_cents(1000),
            ..line(1, 0, 3)
        }];
        let mut total = Money::ZERO;
        for _ in 0..3 {
            let refund = allocate(&lines, &RefundScope::Tickets(vec![1])).unwrap();
            total += refund[0].amount;
            apply(&mut lines, &refund);
        }
        assert_eq!(total, Money::from_cents(1000));
        assert_eq!(lines[0].valid_tickets(), 0);
    }
}
