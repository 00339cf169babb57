//! The shifts' running sums (`shift_sums`, kept by a trigger on every real receipt, migration
//! 0022) held to the rows they sum: a Z report reads them, so a sum the rows do not give is a
//! broken ledger. On a counter's own ledger the sales' part is summed by the rows' stream as it
//! passes (no second pass over 1,000,000 tickets); on the shared ledger by the database.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Checked, VerifyFailure};
use crate::domain::Money;
use crate::ledger::Result;
use crate::ledger::engine::{Db, values};
use crate::ledger::verify_stream::{LineText, PaymentText};

/// What the real receipts of one shift add up to: their count and numbers, and their sales'
/// lines and approved payments (as one order's, until its receipt names the shift).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Sums {
    receipts: i64,
    /// The lowest and highest receipt number, `None` without a receipt.
    numbers: Option<(i64, i64)>,
    /// Sale receipts.
    orders: i64,
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

/// The smallest range holding both.
fn widen(mine: Option<(i64, i64)>, theirs: Option<(i64, i64)>) -> Option<(i64, i64)> {
    match (mine, theirs) {
        (Some((low, high)), Some((l, h))) => Some((low.min(l), high.max(h))),
        (mine, theirs) => mine.or(theirs),
    }
}

impl Sums {
    fn add_line(&mut self, quantity: i64, rate: i64, gross: i64, vat: i64, net: i64) {
        self.tickets += quantity;
        self.gross_cents += gross;
        self.vat_cents += vat;
        self.net_cents += net;
        self.add_rates(Some((rate, rate)));
    }

    fn add_rates(&mut self, rates: Option<(i64, i64)>) {
        self.rates = widen(self.rates, rates);
    }

    /// `count` receipts numbered `numbers`, `sales` of them sales.
    fn add_receipts(&mut self, count: i64, numbers: Option<(i64, i64)>, sales: i64) {
        self.receipts += count;
        self.numbers = widen(self.numbers, numbers);
        self.orders += sales;
    }

    fn add_payment(&mut self, tender: &[u8], amount_cents: i64) {
        if let Some(i) = TENDERS.iter().position(|t| *t == tender) {
            *self.tenders[i].get_or_insert(0) += amount_cents;
        }
    }

    /// Everything `other` sums, added to these.
    fn add(&mut self, other: &Sums) {
        self.tickets += other.tickets;
        self.gross_cents += other.gross_cents;
        self.vat_cents += other.vat_cents;
        self.net_cents += other.net_cents;
        self.add_rates(other.rates);
        self.add_receipts(other.receipts, other.numbers, other.orders);
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
    order: Sums,
    /// The shift of the latest receipts, summed apart: a shift's sales are one run of orders
    /// (on a counter's own ledger), so the map is touched once per run, not once per order.
    run: Option<(i64, Sums)>,
    shifts: HashMap<i64, Sums>,
}

impl Streamed {
    /// The next order's rows follow.
    pub(super) fn next_order(&mut self) {
        self.order = Sums::default();
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
    pub(super) fn receipt(&mut self, shift_id: i64, number: i64, training: i64) {
        if training != 0 {
            return;
        }
        if self.run.as_ref().is_none_or(|(id, _)| *id != shift_id) {
            self.end_run();
            self.run = Some((shift_id, Sums::default()));
        }
        if let Some((_, shift)) = &mut self.run {
            shift.add(&self.order);
            shift.add_receipts(1, Some((number, number)), 1);
        }
    }

    fn end_run(&mut self) {
        if let Some((shift_id, run)) = self.run.take() {
            self.shifts.entry(shift_id).or_default().add(&run);
        }
    }

    /// Every shift's sums, once every row has passed.
    fn by_shift(&self) -> BTreeMap<i64, Sums> {
        let mut shifts: BTreeMap<i64, Sums> = self
            .shifts
            .iter()
            .map(|(id, sums)| (*id, sums.clone()))
            .collect();
        if let Some((shift_id, run)) = &self.run {
            shifts.entry(*shift_id).or_default().add(run);
        }
        shifts
    }
}

/// `shift_sums` against the rows: summed by the rows' stream as it passed (its refund receipts
/// counted here, a few index probes per shift), or all by the database.
pub(super) fn shift_sums_match(db: &mut impl Db, streamed: Option<&Streamed>) -> Checked {
    let rows = match streamed {
        Some(streamed) => {
            let mut rows = streamed.by_shift();
            add_refund_receipts(db, &mut rows)?;
            rows
        }
        None => summed_by_database(db)?,
    };
    let mut stored: BTreeMap<i64, Sums> = BTreeMap::new();
    db.query_each(
        "SELECT shift_id, receipts, first_receipt, last_receipt, orders, tickets, gross_cents,
                net_cents, vat_cents, min_vat_basis_points, max_vat_basis_points, bank_cents,
                card_cents, cash_cents
         FROM shift_sums",
        &[],
        &mut |row| {
            let rates = match (row.opt_int(9)?, row.opt_int(10)?) {
                (Some(low), Some(high)) => Some((low, high)),
                _ => None,
            };
            let sums = Sums {
                receipts: row.int(1)?,
                numbers: Some((row.int(2)?, row.int(3)?)),
                orders: row.int(4)?,
                tickets: row.int(5)?,
                gross_cents: row.int(6)?,
                net_cents: row.int(7)?,
                vat_cents: row.int(8)?,
                rates,
                tenders: [row.opt_int(11)?, row.opt_int(12)?, row.opt_int(13)?],
            };
            stored.insert(row.int(0)?, sums);
            Ok(())
        },
    )?;
    if let Some(problem) = z_reports_differ(db, &rows)? {
        return Ok(Err(VerifyFailure {
            seq: None,
            reason: problem,
        }));
    }
    let shifts: BTreeSet<i64> = rows.keys().chain(stored.keys()).copied().collect();
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

/// The real refund receipts of every shift that has a receipt, into `rows`: the shifts found
/// one index probe at a time in `receipts_by_shift` (shift, training, kind, order, number), then
/// a range of it per shift (a pass over all 294,261 receipts of the 1M-ticket ledger was 0.1 s).
fn add_refund_receipts(db: &mut impl Db, rows: &mut BTreeMap<i64, Sums>) -> Result<()> {
    let mut after = i64::MIN;
    while let Some(row) = db.query_opt(
        "SELECT shift_id FROM receipts WHERE shift_id > ?1 ORDER BY shift_id LIMIT 1",
        &values![after],
    )? {
        after = row.int(0)?;
        let refunds = db.query_one(
            "SELECT count(*), min(number), max(number) FROM receipts
             WHERE shift_id = ?1 AND training = 0 AND kind = 'refund'",
            &values![after],
        )?;
        let count = refunds.int(0)?;
        if count > 0 {
            let numbers = Some((refunds.int(1)?, refunds.int(2)?));
            rows.entry(after)
                .or_default()
                .add_receipts(count, numbers, 0);
        }
    }
    Ok(())
}

/// The first closed shift whose Z report says other than its rows: a report is made from the
/// shift's running sums at its close, and a closed shift's rows never change after it, so the
/// sums changed and put back around a close still show here. The cash tender's sales in a report
/// include its cash rounding (`cash_rounding_cents`); a field an older report lacks is not compared.
fn z_reports_differ(db: &mut impl Db, rows: &BTreeMap<i64, Sums>) -> Result<Option<String>> {
    let mut problem = None;
    db.query_each(
        "SELECT shift_id, number, content FROM z_reports ORDER BY number",
        &[],
        &mut |row| {
            if problem.is_none() {
                let (shift_id, number) = (row.int(0)?, row.int(1)?);
                let none = Sums::default();
                let sums = rows.get(&shift_id).unwrap_or(&none);
                let content: serde_json::Value =
                    serde_json::from_str(&row.text(2)?).unwrap_or_default();
                if let Some(field) = z_report_differs(&content, sums) {
                    problem = Some(format!(
                        "Z report {number} (shift {shift_id}): its {field} is not what the shift's rows \
                         add up to ({})",
                        describe(Some(sums))
                    ));
                }
            }
            Ok(())
        },
    )?;
    Ok(problem)
}

/// The first of a Z report's figures that differs from `sums`.
fn z_report_differs(content: &serde_json::Value, sums: &Sums) -> Option<&'static str> {
    let int = |value: &serde_json::Value| value.as_i64();
    let (first, last) = sums.numbers.unzip();
    let figures = [
        ("orders", Some(sums.orders)),
        ("tickets", Some(sums.tickets)),
        ("gross_cents", Some(sums.gross_cents)),
        ("receipts", Some(sums.receipts)),
        ("first_receipt", first),
        ("last_receipt", last),
    ];
    for (field, expected) in figures {
        if let Some(value) = content.get(field)
            && int(value) != expected
        {
            return Some(field);
        }
    }
    if let Some(vat) = content.get("vat").and_then(|v| v.as_array()) {
        let total = |field: &str| vat.iter().filter_map(|line| int(&line[field])).sum::<i64>();
        let rates = vat.iter().filter_map(|line| int(&line["vat_basis_points"]));
        let range = rates.fold(None, |range, rate| widen(range, Some((rate, rate))));
        if (
            total("net_cents"),
            total("vat_cents"),
            total("gross_cents"),
            range,
        ) != (sums.net_cents, sums.vat_cents, sums.gross_cents, sums.rates)
        {
            return Some("VAT");
        }
    }
    if let Some(tenders) = content.get("tenders").and_then(|t| t.as_array()) {
        let rounding = content
            .get("cash_rounding_cents")
            .and_then(int)
            .unwrap_or(0);
        for (tender, expected) in TENDERS.iter().zip(sums.tenders) {
            let line = tenders
                .iter()
                .find(|line| line["tender"].as_str().map(str::as_bytes) == Some(*tender));
            let mut sales = line.and_then(|line| int(&line["sales_cents"])).unwrap_or(0);
            if *tender == b"cash" {
                sales -= rounding;
            }
            if sales != expected.unwrap_or(0) {
                return Some("sales by tender");
            }
        }
    }
    None
}

fn describe(sums: Option<&Sums>) -> String {
    let Some(sale) = sums else {
        return "no row".into();
    };
    let (receipts, orders) = (sale.receipts, sale.orders);
    let (first, last) = sale.numbers.unwrap_or_default();
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

/// Every shift's sums, by the database (the shared ledger's verify).
fn summed_by_database(db: &mut impl Db) -> Result<BTreeMap<i64, Sums>> {
    let mut sums: BTreeMap<i64, Sums> = BTreeMap::new();
    db.query_each(
        "SELECT shift_id, count(*), min(number), max(number),
                count(CASE kind WHEN 'sale' THEN 1 END)
         FROM receipts WHERE training = 0 GROUP BY shift_id",
        &[],
        &mut |row| {
            let numbers = Some((row.int(2)?, row.int(3)?));
            sums.entry(row.int(0)?)
                .or_default()
                .add_receipts(row.int(1)?, numbers, row.int(4)?);
            Ok(())
        },
    )?;
    db.query_each(
        "SELECT r.shift_id, CAST(sum(l.quantity) AS bigint), CAST(sum(l.gross_cents) AS bigint),
                CAST(sum(l.net_cents) AS bigint), CAST(sum(l.vat_cents) AS bigint),
                min(l.vat_basis_points), max(l.vat_basis_points)
         FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
         WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id",
        &[],
        &mut |row| {
            let sale = sums.entry(row.int(0)?).or_default();
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
            sums.entry(row.int(0)?)
                .or_default()
                .add_payment(tender.as_bytes(), row.int(2)?);
            Ok(())
        },
    )?;
    Ok(sums)
}
