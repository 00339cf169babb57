//! Shifts, cash movements and Z reports.

use super::engine::{Db as _, Engine, values};
use crate::domain::ids::{ShiftId, UserId};

use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    pub id: ShiftId,
    pub opened_by: String,
    pub opened_at: String,
    pub float_cents: i64,
}

/// Sums of one shift: its running sums (`shift_sums`) or, on the slow paths, its rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShiftTotals {
    pub orders: i64,
    pub tickets: i64,
    pub gross_cents: i64,
    /// (tender, amount) of approved payments, by tender.
    pub per_tender: Vec<(String, i64)>,
    /// (basis points, net, VAT, gross) per rate.
    pub per_rate: Vec<(i64, i64, i64, i64)>,
    pub first_receipt: Option<i64>,
    pub last_receipt: Option<i64>,
    pub receipts: i64,
    pub cash_in_cents: i64,
    pub cash_out_cents: i64,
    pub drawer_opens: i64,
    /// (tender, amount) refunded during this shift, by tender.
    pub refunds_per_tender: Vec<(String, i64)>,
    pub refunds: i64,
}

pub struct NewZReport<'a> {
    pub shift_id: ShiftId,
    pub closed_by: UserId,
    pub closed_at: &'a str,
    pub first_receipt: Option<i64>,
    pub last_receipt: Option<i64>,
    pub content: &'a serde_json::Value,
}

impl Tx<'_> {
    /// The register's open shift (the one without a Z report), if any.
    pub fn open_shift(&self) -> Result<Option<ShiftRow>> {
        let register_id = self.register_id()?.to_string();
        let row = self.db().query_opt(
            "SELECT s.id, u.name, s.opened_at, s.float_cents FROM shifts s JOIN users u ON u.id = s.opened_by
             WHERE s.register_id = ?1 AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.shift_id = s.id)
             ORDER BY s.id DESC LIMIT 1",
            &values![register_id],
        )?;
        row.map(|row| {
            Ok(ShiftRow {
                id: ShiftId(row.int(0)?),
                opened_by: row.text(1)?,
                opened_at: row.text(2)?,
                float_cents: row.int(3)?,
            })
        })
        .transpose()
    }

    pub fn insert_shift(
        &mut self,
        user_id: UserId,
        float_cents: i64,
        now: &str,
    ) -> Result<ShiftId> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query_one(
                "INSERT INTO shifts (register_id, opened_by, opened_at, float_cents) VALUES (?1, ?2, ?3, ?4)
                 RETURNING id",
                &values![register_id, user_id, now, float_cents],
            )?
            .int(0)
            .map(ShiftId)
    }

    pub fn insert_cash_movement(
        &mut self,
        shift_id: ShiftId,
        kind: &str,
        amount_cents: i64,
        reason: &str,
        user_id: UserId,
        now: &str,
    ) -> Result<i64> {
        self.db()
            .query_one(
                "INSERT INTO cash_movements (shift_id, kind, amount_cents, reason, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 RETURNING id",
                &values![shift_id, kind, amount_cents, reason, user_id, now],
            )?
            .int(0)
    }

    /// The Z figures of a shift: its running sums (`shift_sums`, kept by the database on every
    /// real receipt, migration 0022: a row of its receipts and payments at rate -1, a row per
    /// VAT rate of its lines), its refunds and its cash movements.
    pub fn shift_totals(&self, shift_id: ShiftId) -> Result<ShiftTotals> {
        let mut totals = ShiftTotals::default();
        let rows = self.db().query(
            "SELECT vat_basis_points, receipts, first_receipt, last_receipt, orders, bank_cents,
                    card_cents, cash_cents, tickets, net_cents, vat_cents, gross_cents
             FROM shift_sums WHERE shift_id = ?1 ORDER BY vat_basis_points",
            &values![shift_id],
        )?;
        for row in &rows {
            match row.int(0)? {
                -1 => {
                    totals.receipts = row.int(1)?;
                    (totals.first_receipt, totals.last_receipt) =
                        (row.opt_int(2)?, row.opt_int(3)?);
                    totals.orders = row.int(4)?;
                    // The tenders in the order `GROUP BY tender` gives them; a sum is NULL
                    // exactly when no approved payment of its tender was added.
                    for (i, tender) in ["bank", "card", "cash"].into_iter().enumerate() {
                        if let Some(sum) = row.opt_int(5 + i)? {
                            totals.per_tender.push((tender.to_string(), sum));
                        }
                    }
                }
                rate => {
                    let (net, vat, gross) = (row.int(9)?, row.int(10)?, row.int(11)?);
                    totals.tickets += row.int(8)?;
                    totals.gross_cents += gross;
                    totals.per_rate.push((rate, net, vat, gross));
                }
            }
        }
        self.add_refunds_and_cash(shift_id, &mut totals)?;
        Ok(totals)
    }

    /// The same figures summed from the shift's rows, the receipts' runs of orders read as
    /// ranges (the path before migration 0022; `bench queries` times it beside the sums).
    pub fn shift_totals_summed_from_rows(&self, shift_id: ShiftId) -> Result<ShiftTotals> {
        self.shift_totals_from_rows(shift_id, true)
    }

    /// The same figures, every row checked against the list of the shift's orders even when
    /// they are one unbroken run (the general path; `bench queries` times it beside the usual).
    pub fn shift_totals_order_by_order(&self, shift_id: ShiftId) -> Result<ShiftTotals> {
        self.shift_totals_from_rows(shift_id, false)
    }

    fn shift_totals_from_rows(&self, shift_id: ShiftId, sum_runs: bool) -> Result<ShiftTotals> {
        // The shift's orders are those of its sale receipts (`receipts_by_shift` covers them).
        // Usually they are one unbroken run of order numbers (one register, one shift at a
        // time): then every payment and line of an order in that run is the shift's and the
        // database sums them as they are read. Otherwise the orders are listed and each row is
        // checked (on a shared ledger the registers' orders interleave).
        let mut db = self.db();
        // The shift's real receipts, all in `receipts_by_shift` (shift, training, kind, order,
        // number): its sales' first and last order are two probes and their count a pass that
        // reads no column; the receipt numbers (last in the key) one pass more. (One pass with
        // a CASE per column for all six took 1.6x as long: issue 16.)
        let real = "FROM receipts WHERE shift_id = ?1 AND training = 0";
        let sales = format!("{real} AND kind = 'sale'");
        let row = db.query_one(
            &format!(
                "SELECT (SELECT min(order_id) {sales}), (SELECT max(order_id) {sales}),
                        (SELECT count(*) {sales}), min(number), max(number), count(*) {real}"
            ),
            &values![shift_id],
        )?;
        let (first, last, count) = (row.opt_int(0)?, row.opt_int(1)?, row.int(2)?);
        let mut totals = ShiftTotals::default();
        (totals.first_receipt, totals.last_receipt, totals.receipts) =
            (row.opt_int(3)?, row.opt_int(4)?, row.int(5)?);
        if let (Some(first), Some(last)) = (first, last) {
            totals.orders = count;
            if sum_runs && count == last - first + 1 {
                self.sum_order_run(first, last, &mut totals)?;
            } else {
                self.sum_listed_orders(shift_id, first, last, &mut totals)?;
            }
        }
        self.add_refunds_and_cash(shift_id, &mut totals)?;
        Ok(totals)
    }

    /// A shift's refunds by tender and its cash movements, into `totals`.
    fn add_refunds_and_cash(&self, shift_id: ShiftId, totals: &mut ShiftTotals) -> Result<()> {
        let mut db = self.db();
        let refunds = db.query(
            "SELECT r.tender, CAST(sum(r.amount_cents) AS bigint), count(*) FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE r.shift_id = ?1 AND o.training = 0 GROUP BY r.tender ORDER BY r.tender",
            &values![shift_id],
        )?;
        for row in &refunds {
            totals.refunds += row.int(2)?;
            totals.refunds_per_tender.push((row.text(0)?, row.int(1)?));
        }
        let row = db.query_one(
            "SELECT CAST(coalesce(sum(CASE kind WHEN 'cash_in' THEN amount_cents END), 0) AS bigint),
                    CAST(coalesce(sum(CASE kind WHEN 'cash_out' THEN amount_cents END), 0) AS bigint),
                    count(CASE kind WHEN 'drawer_open' THEN 1 END)
             FROM cash_movements WHERE shift_id = ?1",
            &values![shift_id],
        )?;
        (
            totals.cash_in_cents,
            totals.cash_out_cents,
            totals.drawer_opens,
        ) = (row.int(0)?, row.int(1)?, row.int(2)?);
        Ok(())
    }

    /// The payments and lines of the orders `first..=last`, all of them the shift's.
    fn sum_order_run(&self, first: i64, last: i64, totals: &mut ShiftTotals) -> Result<()> {
        let mut db = self.db();
        // Each table is read as one range of its rows, each row once, summed without sorting.
        // On SQLite (one writer; a sale writes its lines and payments after every earlier sale's)
        // the range runs from the first order's lowest row id to the last order's highest, found
        // in the order index at once. On PostgreSQL (sequences, concurrent registers) the order
        // index's range is read: its planner answers `max(id) … WHERE order_id BETWEEN` by walking
        // the primary key back from the newest row (89 ms for the busiest shift of the 1M ledger,
        // an early one, against 9 ms for the order range itself).
        let bounds = |table: &str| match db.engine() {
            Engine::Sqlite => format!(
                "id BETWEEN (SELECT min(id) FROM {table} WHERE order_id = ?1)
                        AND (SELECT max(id) FROM {table} WHERE order_id = ?2) AND"
            ),
            Engine::Postgres => String::new(),
        };
        let (payments_range, lines_range) = (bounds("payments"), bounds("order_lines"));
        // The tenders are three (the table's CHECK): one sum each, as `GROUP BY tender` gives them
        // (a sum is NULL exactly when no payment of its tender was read).
        let row = db.query_one(
            &format!(
                "SELECT CAST(sum(CASE tender WHEN 'bank' THEN amount_cents END) AS bigint),
                        CAST(sum(CASE tender WHEN 'card' THEN amount_cents END) AS bigint),
                        CAST(sum(CASE tender WHEN 'cash' THEN amount_cents END) AS bigint)
                 FROM payments WHERE {payments_range} order_id BETWEEN ?1 AND ?2 AND state = 'approved'"
            ),
            &values![first, last],
        )?;
        for (i, tender) in ["bank", "card", "cash"].into_iter().enumerate() {
            if let Some(sum) = row.opt_int(i)? {
                totals.per_tender.push((tender.to_string(), sum));
            }
        }
        // A line's quantity is its number of tickets and an order's total the sum of its lines'
        // gross (the sale writes them so, and verify holds the rows to the journal and the
        // tickets to the total), so the lines give both: no pass over orders or tickets. A
        // shift's lines usually have one VAT rate: summed in one pass; with more, by rate.
        let lines = format!("FROM order_lines WHERE {lines_range} order_id BETWEEN ?1 AND ?2");
        let sums = "CAST(sum(net_cents) AS bigint), CAST(sum(vat_cents) AS bigint),
                    CAST(sum(gross_cents) AS bigint), CAST(sum(quantity) AS bigint)";
        let row = db.query_one(
            &format!("SELECT min(vat_basis_points), max(vat_basis_points), {sums} {lines}"),
            &values![first, last],
        )?;
        let rows = match (row.opt_int(0)?, row.opt_int(1)?) {
            (Some(low), Some(high)) if low == high => vec![row],
            (None, None) => Vec::new(),
            _ => db.query(
                &format!(
                    "SELECT vat_basis_points, vat_basis_points, {sums} {lines}
                     GROUP BY vat_basis_points ORDER BY vat_basis_points"
                ),
                &values![first, last],
            )?,
        };
        for row in &rows {
            let (rate, net, vat, gross) = (row.int(0)?, row.int(2)?, row.int(3)?, row.int(4)?);
            totals.tickets += row.int(5)?;
            totals.gross_cents += gross;
            totals.per_rate.push((rate, net, vat, gross));
        }
        Ok(())
    }

    /// The payments and lines of the shift's orders, listed, where other orders lie between
    /// them (another register's, training sales).
    fn sum_listed_orders(
        &self,
        shift_id: ShiftId,
        first: i64,
        last: i64,
        totals: &mut ShiftTotals,
    ) -> Result<()> {
        let mut db = self.db();
        let ids: Vec<i64> = db
            .query(
                "SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale'
                 ORDER BY order_id",
                &values![shift_id],
            )?
            .iter()
            .map(|row| row.int(0))
            .collect::<Result<_>>()?;
        let mine = |order_id: i64| ids.binary_search(&order_id).is_ok();
        let engine = db.engine();
        let listed_range = |table: &str| rows_between_orders(engine, table);
        // Rows of other orders in the ranges read are skipped.
        let mut per_tender: Vec<(String, i64)> = Vec::new();
        db.query_each(
            &format!(
                "SELECT order_id, tender, amount_cents FROM payments
                 WHERE {} AND state = 'approved'",
                listed_range("payments")
            ),
            &values![first, last],
            &mut |row| {
                let Some(order_id) = row.opt_int(0)? else {
                    return Ok(());
                };
                if mine(order_id) {
                    let tender = row.text(1)?;
                    let amount = row.int(2)?;
                    match per_tender.iter_mut().find(|(t, _)| *t == tender) {
                        Some((_, sum)) => *sum += amount,
                        None => per_tender.push((tender, amount)),
                    }
                }
                Ok(())
            },
        )?;
        per_tender.sort();
        totals.per_tender = per_tender;
        let mut per_rate: Vec<(i64, i64, i64, i64)> = Vec::new();
        let (mut tickets, mut gross_cents) = (0, 0);
        db.query_each(
            &format!(
                "SELECT order_id, vat_basis_points, net_cents, vat_cents, gross_cents, quantity
                 FROM order_lines WHERE {}",
                listed_range("order_lines")
            ),
            &values![first, last],
            &mut |row| {
                if mine(row.int(0)?) {
                    let rate = row.int(1)?;
                    let (net, vat, gross) = (row.int(2)?, row.int(3)?, row.int(4)?);
                    tickets += row.int(5)?;
                    gross_cents += gross;
                    match per_rate.iter_mut().find(|r| r.0 == rate) {
                        Some(sums) => {
                            sums.1 += net;
                            sums.2 += vat;
                            sums.3 += gross;
                        }
                        None => per_rate.push((rate, net, vat, gross)),
                    }
                }
                Ok(())
            },
        )?;
        totals.tickets += tickets;
        totals.gross_cents += gross_cents;
        per_rate.sort_unstable_by_key(|r| r.0);
        totals.per_rate = per_rate;
        Ok(())
    }

    /// The last receipt number covered by any Z report of this register.
    pub fn last_z_receipt(&self) -> Result<Option<i64>> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query_one(
                "SELECT max(last_receipt) FROM z_reports WHERE register_id = ?1",
                &values![register_id],
            )?
            .opt_int(0)
    }

    /// Writes the Z report with the next gapless number; returns the number.
    pub fn insert_z_report(&mut self, report: &NewZReport<'_>) -> Result<i64> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        let number = db
            .query_one(
                "SELECT coalesce(max(number), 0) + 1 FROM z_reports WHERE register_id = ?1",
                &values![register_id.as_str()],
            )?
            .int(0)?;
        let mut content = report.content.clone();
        content["number"] = number.into();
        db.execute(
            "INSERT INTO z_reports (register_id, number, shift_id, closed_by, closed_at, first_receipt, last_receipt, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &values![
                register_id,
                number,
                report.shift_id,
                report.closed_by,
                report.closed_at,
                report.first_receipt,
                report.last_receipt,
                super::journal::canonical(&content)
            ],
        )?;
        Ok(number)
    }

    /// The stored report of a shift's close, if it is closed.
    pub fn z_report_of_shift(&self, shift_id: ShiftId) -> Result<Option<serde_json::Value>> {
        let text = self
            .db()
            .query_opt(
                "SELECT content FROM z_reports WHERE shift_id = ?1",
                &values![shift_id],
            )?
            .map(|row| row.text(0))
            .transpose()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// A Z report's content by number.
    pub fn z_report(&self, number: i64) -> Result<Option<serde_json::Value>> {
        let register_id = self.register_id()?.to_string();
        self.z_report_of(&register_id, number)
    }

    /// Z report `number` of register `register_id` (a ledger copied from the shared ledger has
    /// every register's).
    pub fn z_report_of(&self, register_id: &str, number: i64) -> Result<Option<serde_json::Value>> {
        let text = self
            .db()
            .query_opt(
                "SELECT content FROM z_reports WHERE register_id = ?1 AND number = ?2",
                &values![register_id, number],
            )?
            .map(|row| row.text(0))
            .transpose()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }
}

/// The rows of `table` from the first order's (`?1`) to the last order's (`?2`), other orders'
/// between them included: on SQLite the row-id range between them, on PostgreSQL the order
/// index's range (see `sum_order_run`).
fn rows_between_orders(engine: Engine, table: &str) -> String {
    match engine {
        Engine::Sqlite => format!(
            "id BETWEEN (SELECT min(id) FROM {table} WHERE order_id BETWEEN ?1 AND ?2)
                    AND (SELECT max(id) FROM {table} WHERE order_id BETWEEN ?1 AND ?2)"
        ),
        Engine::Postgres => "order_id BETWEEN ?1 AND ?2".to_string(),
    }
}
