//! The shifts' running sums (`shift_sums`, kept by a trigger on every real receipt, migration
//! 0022) held to the rows they sum: a Z report reads them, so a sum the rows do not give is a
//! broken ledger. On a counter's own ledger the sales' part is summed by the rows' stream as it
//! passes (no second pass over 1,000,000 tickets); on the shared ledger by the database.

use std::collections::{BTreeMap, HashMap};

use super::{Checked, VerifyFailure};
use crate::domain::Money;
use crate::ledger::Result;
use crate::ledger::engine::Db;
use crate::ledger::verify_stream::{LineText, PaymentText};

/// What the sale receipts of one shift add up to: their orders' lines and approved payments.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct SaleSums {
    tickets: i64,
    gross_cents: i64,
    net_cents: i64,
    vat_cents: i64,
    /// The lowest and highest VAT rate of the lines, `None` without a line.
    rates: Option<(i64, i64)>,
    /// Approved payments by tender (bank, card, cash), `None` without one of that tender.
    tenders: [Option<i64>; 3],
}

const TENDERS: [&[u8]; 3] = [b"bank", b"card", b"cash"];

impl SaleSums {
    fn add_line(&mut self, quantity: i64, rate: i64, gross: i64, vat: i64, net: i64) {
        self.tickets += quantity;
        self.gross_cents += gross;
        self.vat_cents += vat;
        self.net_cents += net;
        self.add_rates(Some((rate, rate)));
    }

    fn add_rates(&mut self, rates: Option<(i64, i64)>) {
        self.rates = match (self.rates, rates) {
            (Some((low, high)), Some((l, h))) => Some((low.min(l), high.max(h))),
            (mine, theirs) => mine.or(theirs),
        };
    }

    fn add_payment(&mut self, tender: &[u8], amount_cents: i64) {
        if let Some(i) = TENDERS.iter().position(|t| *t == tender) {
            *self.tenders[i].get_or_insert(0) += amount_cents;
        }
    }

    fn add(&mut self, other: &SaleSums) {
        self.tickets += other.tickets;
        self.gross_cents += other.gross_cents;
        self.vat_cents += other.vat_cents;
        self.net_cents += other.net_cents;
        self.add_rates(other.rates);
        for (mine, theirs) in self.tenders.iter_mut().zip(other.tenders) {
            if let Some(amount) = theirs {
                *mine.get_or_insert(0) += amount;
            }
        }
    }
}

/// The sales' part of every shift's sums, summed by the rows' stream: an order's lines and
/// payments as they pass, added to its receipt's shift when the receipt passes.
#[derive(Default)]
pub(super) struct Streamed {
    order: SaleSums,
    shifts: HashMap<i64, SaleSums>,
}

impl Streamed {
    /// The next order's rows follow.
    pub(super) fn next_order(&mut self) {
        self.order = SaleSums::default();
    }

    pub(super) fn line(&mut self, line: &LineText) {
        self.order.add_line(
            line.quantity,
            line.vat_basis_points,
            line.gross_cents,
            line.vat_cents,
            line.net_cents,
        );
    }

    pub(super) fn payment(&mut self, payment: &PaymentText<'_>) {
        if payment.state == b"approved" {
            self.order.add_payment(payment.tender, payment.amount_cents);
        }
    }

    /// A sale receipt of the order (`training` 0 or 1).
    pub(super) fn receipt(&mut self, shift_id: i64, training: i64) {
        if training == 0 {
            self.shifts.entry(shift_id).or_default().add(&self.order);
        }
    }
}

/// One shift's sums as `shift_sums` holds them: (receipts, first, last, orders) and the sales'.
type Sums = ((i64, i64, i64, i64), SaleSums);

/// `shift_sums` against the rows: the receipts counted by the database, the sales' part from
/// the stream when there was one, else summed by the database.
pub(super) fn shift_sums_match(db: &mut impl Db, streamed: Option<&Streamed>) -> Checked {
    let mut rows: BTreeMap<i64, Sums> = BTreeMap::new();
    db.query_each(
        "SELECT shift_id, count(*), min(number), max(number),
                count(CASE kind WHEN 'sale' THEN 1 END)
         FROM receipts WHERE training = 0 GROUP BY shift_id",
        &[],
        &mut |row| {
            let counts = (row.int(1)?, row.int(2)?, row.int(3)?, row.int(4)?);
            rows.insert(row.int(0)?, (counts, SaleSums::default()));
            Ok(())
        },
    )?;
    let summed;
    let sales = match streamed {
        Some(streamed) => &streamed.shifts,
        None => {
            summed = sales_summed_by_database(db)?;
            &summed
        }
    };
    for (shift_id, sums) in sales {
        if let Some((_, sale)) = rows.get_mut(shift_id) {
            *sale = sums.clone();
        }
    }
    let mut stored: BTreeMap<i64, Sums> = BTreeMap::new();
    db.query_each(
        "SELECT shift_id, receipts, first_receipt, last_receipt, orders, tickets, gross_cents,
                net_cents, vat_cents, min_vat_basis_points, max_vat_basis_points, bank_cents,
                card_cents, cash_cents
         FROM shift_sums",
        &[],
        &mut |row| {
            let counts = (row.int(1)?, row.int(2)?, row.int(3)?, row.int(4)?);
            let rates = match (row.opt_int(9)?, row.opt_int(10)?) {
                (Some(low), Some(high)) => Some((low, high)),
                _ => None,
            };
            let sale = SaleSums {
                tickets: row.int(5)?,
                gross_cents: row.int(6)?,
                net_cents: row.int(7)?,
                vat_cents: row.int(8)?,
                rates,
                tenders: [row.opt_int(11)?, row.opt_int(12)?, row.opt_int(13)?],
            };
            stored.insert(row.int(0)?, (counts, sale));
            Ok(())
        },
    )?;
    let shifts: std::collections::BTreeSet<i64> =
        rows.keys().chain(stored.keys()).copied().collect();
    for shift_id in shifts {
        let (from_rows, kept) = (rows.get(&shift_id), stored.get(&shift_id));
        if from_rows != kept {
            return Ok(Err(VerifyFailure {
                seq: None,
                reason: format!(
                    "shift {shift_id}'s running sums (shift_sums) are not what its receipts add up to: \
                     kept {}, the rows give {}",
                    describe(kept),
                    describe(from_rows)
                ),
            }));
        }
    }
    Ok(Ok(()))
}

fn describe(sums: Option<&Sums>) -> String {
    let Some(((receipts, first, last, orders), sale)) = sums else {
        return "no row".into();
    };
    let euros = |cents: i64| Money::from_cents(cents).to_string();
    let rates = match sale.rates {
        Some((low, high)) => format!(", VAT rates {low}–{high} bp"),
        None => String::new(),
    };
    let tenders: Vec<String> = TENDERS
        .iter()
        .zip(sale.tenders)
        .filter_map(|(tender, amount)| {
            Some(format!(
                "{} {}",
                String::from_utf8_lossy(tender),
                euros(amount?)
            ))
        })
        .collect();
    format!(
        "{receipts} receipts ({first}–{last}), {orders} sales, {} tickets, gross {} (net {}, VAT {}){rates}, \
         paid [{}]",
        sale.tickets,
        euros(sale.gross_cents),
        euros(sale.net_cents),
        euros(sale.vat_cents),
        tenders.join(", ")
    )
}

/// The sales' part of every shift's sums, by the database (the shared ledger's verify).
fn sales_summed_by_database(db: &mut impl Db) -> Result<HashMap<i64, SaleSums>> {
    let mut sales: HashMap<i64, SaleSums> = HashMap::new();
    db.query_each(
        "SELECT r.shift_id, CAST(sum(l.quantity) AS bigint), CAST(sum(l.gross_cents) AS bigint),
                CAST(sum(l.net_cents) AS bigint), CAST(sum(l.vat_cents) AS bigint),
                min(l.vat_basis_points), max(l.vat_basis_points)
         FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
         WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id",
        &[],
        &mut |row| {
            let sale = sales.entry(row.int(0)?).or_default();
            (
                sale.tickets,
                sale.gross_cents,
                sale.net_cents,
                sale.vat_cents,
            ) = (row.int(1)?, row.int(2)?, row.int(3)?, row.int(4)?);
            sale.rates = Some((row.int(5)?, row.int(6)?));
            Ok(())
        },
    )?;
    db.query_each(
        "SELECT r.shift_id, p.tender, CAST(sum(p.amount_cents) AS bigint)
         FROM receipts r JOIN payments p ON p.order_id = r.order_id AND p.state = 'approved'
         WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id, p.tender",
        &[],
        &mut |row| {
            let tender = row.text(1)?;
            sales
                .entry(row.int(0)?)
                .or_default()
                .add_payment(tender.as_bytes(), row.int(2)?);
            Ok(())
        },
    )?;
    Ok(sales)
}
