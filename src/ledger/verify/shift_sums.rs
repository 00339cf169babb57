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
/// approved payments and lines per VAT rate (as one order's, until its receipt names the shift).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Sums {
    receipts: i64,
    /// The lowest and highest receipt number, `None` without a receipt.
    numbers: Option<(i64, i64)>,
    /// Sale receipts.
    orders: i64,
    /// Approved payments by tender (bank, card, cash), `None` without one of that tender.
    tenders: [Option<i64>; 3],
    /// Per VAT rate, rising: [tickets, net, VAT, gross] of the lines.
    rates: Vec<(i64, [i64; 4])>,
    /// A stored figure in the other kind of row (never so when summed from the rows).
    misplaced: bool,
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
    /// Lines at `rate`: [tickets, net, VAT, gross].
    fn add_line(&mut self, rate: i64, amounts: [i64; 4]) {
        let at = match self.rates.binary_search_by_key(&rate, |(r, _)| *r) {
            Ok(at) => at,
            Err(at) => {
                self.rates.insert(at, (rate, [0; 4]));
                at
            }
        };
        for (sum, amount) in self.rates[at].1.iter_mut().zip(amounts) {
            *sum += amount;
        }
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
        self.add_receipts(other.receipts, other.numbers, other.orders);
        for (mine, theirs) in self.tenders.iter_mut().zip(other.tenders) {
            if let Some(amount) = theirs {
                *mine.get_or_insert(0) += amount;
            }
        }
        for (rate, amounts) in &other.rates {
            self.add_line(*rate, *amounts);
        }
    }

    fn tickets(&self) -> i64 {
        self.rates.iter().map(|(_, [tickets, ..])| tickets).sum()
    }

    fn gross_cents(&self) -> i64 {
        self.rates.iter().map(|(_, [.., gross])| gross).sum()
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
        self.order.tenders = [None; 3];
        self.order.rates.clear();
    }

    pub(super) fn line(&mut self, line: &LineText) {
        self.order.add_line(
            line.vat_basis_points,
            [
                line.quantity,
                line.net_cents,
                line.vat_cents,
                line.gross_cents,
            ],
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
        "SELECT shift_id, vat_basis_points, receipts, first_receipt, last_receipt, orders,
                bank_cents, card_cents, cash_cents, tickets, net_cents, vat_cents, gross_cents
         FROM shift_sums",
        &[],
        &mut |row| {
            let sums = stored.entry(row.int(0)?).or_default();
            let counts = (row.int(2)?, row.opt_int(3)?, row.opt_int(4)?, row.int(5)?);
            let tenders = [row.opt_int(6)?, row.opt_int(7)?, row.opt_int(8)?];
            let amounts = [row.int(9)?, row.int(10)?, row.int(11)?, row.int(12)?];
            match row.int(1)? {
                -1 => {
                    let numbers = match (counts.1, counts.2) {
                        (Some(first), Some(last)) => Some((first, last)),
                        (None, None) => None,
                        _ => {
                            sums.misplaced = true;
                            None
                        }
                    };
                    sums.add_receipts(counts.0, numbers, counts.3);
                    for (tender, amount) in TENDERS.iter().zip(tenders) {
                        if let Some(amount) = amount {
                            sums.add_payment(tender, amount);
                        }
                    }
                    sums.misplaced |= amounts != [0; 4];
                }
                rate => {
                    sums.misplaced |= counts != (0, None, None, 0) || tenders != [None; 3];
                    sums.add_line(rate, amounts);
                }
            }
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
        ("tickets", Some(sums.tickets())),
        ("gross_cents", Some(sums.gross_cents())),
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
        let lines: Vec<Option<[i64; 4]>> = vat
            .iter()
            .map(|line| {
                let field = |name: &str| int(&line[name]);
                Some([
                    field("vat_basis_points")?,
                    field("net_cents")?,
                    field("vat_cents")?,
                    field("gross_cents")?,
                ])
            })
            .collect();
        let rates: Vec<Option<[i64; 4]>> = sums
            .rates
            .iter()
            .map(|(rate, [_, net, vat, gross])| Some([*rate, *net, *vat, *gross]))
            .collect();
        if lines != rates {
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
    let Some(sums) = sums else {
        return "no row".into();
    };
    let euros = |cents: i64| Money::from_cents(cents).to_string();
    let (first, last) = sums.numbers.unwrap_or_default();
    let rates: Vec<String> = sums
        .rates
        .iter()
        .map(|(rate, [tickets, net, vat, gross])| {
            format!(
                "{rate} bp: {tickets} tickets, gross {} (net {}, VAT {})",
                euros(*gross),
                euros(*net),
                euros(*vat)
            )
        })
        .collect();
    let tenders: Vec<String> = TENDERS
        .iter()
        .zip(sums.tenders)
        .filter_map(|(tender, amount)| {
            Some(format!(
                "{} {}",
                String::from_utf8_lossy(tender),
                euros(amount?)
            ))
        })
        .collect();
    format!(
        "{} receipts ({first}–{last}), {} sales, lines [{}], paid [{}]{}",
        sums.receipts,
        sums.orders,
        rates.join("; "),
        tenders.join(", "),
        if sums.misplaced {
            ", and figures in the wrong kind of row"
        } else {
            ""
        }
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
        "SELECT r.shift_id, l.vat_basis_points, CAST(sum(l.quantity) AS bigint),
                CAST(sum(l.net_cents) AS bigint), CAST(sum(l.vat_cents) AS bigint),
                CAST(sum(l.gross_cents) AS bigint)
         FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
         WHERE r.training = 0 AND r.kind = 'sale'
         GROUP BY r.shift_id, l.vat_basis_points ORDER BY r.shift_id, l.vat_basis_points",
        &[],
        &mut |row| {
            let amounts = [row.int(2)?, row.int(3)?, row.int(4)?, row.int(5)?];
            sums.entry(row.int(0)?)
                .or_default()
                .add_line(row.int(1)?, amounts);
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
