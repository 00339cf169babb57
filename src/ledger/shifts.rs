//! Shifts, cash movements and Z reports.

use crate::domain::ids::{ShiftId, UserId};
use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRow {
    pub id: ShiftId,
    pub opened_by: String,
    pub opened_at: String,
    pub float_cents: i64,
}

/// Sums of one shift, straight from the rows.
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
        Ok(self
            .tx
            .prepare_cached(
                "SELECT s.id, u.name, s.opened_at, s.float_cents FROM shifts s JOIN users u ON u.id = s.opened_by
                 WHERE s.register_id = ?1 AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.shift_id = s.id)
                 ORDER BY s.id DESC LIMIT 1",
            )?
            .query_row([register_id], |row| {
                Ok(ShiftRow {
                    id: row.get(0)?,
                    opened_by: row.get(1)?,
                    opened_at: row.get(2)?,
                    float_cents: row.get(3)?,
                })
            })
            .optional()?)
    }

    pub fn insert_shift(
        &mut self,
        user_id: UserId,
        float_cents: i64,
        now: &str,
    ) -> Result<ShiftId> {
        let register_id = self.register_id()?.to_string();
        self.tx.execute(
            "INSERT INTO shifts (register_id, opened_by, opened_at, float_cents) VALUES (?1, ?2, ?3, ?4)",
            params![register_id, user_id, now, float_cents],
        )?;
        Ok(ShiftId(self.tx.last_insert_rowid()))
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
        self.tx.execute(
            "INSERT INTO cash_movements (shift_id, kind, amount_cents, reason, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![shift_id, kind, amount_cents, reason, user_id, now],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn shift_totals(&self, shift_id: ShiftId) -> Result<ShiftTotals> {
        self.shift_totals_by(shift_id, true)
    }

    /// The same figures, every row checked against the list of the shift's orders even when
    /// they are one unbroken run (the general path; `bench queries` times it beside the usual).
    pub fn shift_totals_order_by_order(&self, shift_id: ShiftId) -> Result<ShiftTotals> {
        self.shift_totals_by(shift_id, false)
    }

    fn shift_totals_by(&self, shift_id: ShiftId, sum_runs: bool) -> Result<ShiftTotals> {
        // The shift's orders are those of its sale receipts (`receipts_by_shift` covers them).
        // Usually they are one unbroken run of order numbers (one register, one shift at a
        // time): then every payment and line of an order in that run is the shift's and SQLite
        // sums them as they are read. Otherwise the orders are listed and each row is checked.
        let (first, last, count): (Option<i64>, Option<i64>, i64) = self
            .tx
            .prepare_cached(
                "SELECT min(order_id), max(order_id), count(*) FROM receipts
                 WHERE shift_id = ?1 AND training = 0 AND kind = 'sale'",
            )?
            .query_row([shift_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
        let mut totals = ShiftTotals::default();
        if let (Some(first), Some(last)) = (first, last) {
            totals.orders = count;
            if sum_runs && count == last - first + 1 {
                self.sum_order_run(first, last, &mut totals)?;
            } else {
                self.sum_listed_orders(shift_id, first, last, &mut totals)?;
            }
        }
        (totals.first_receipt, totals.last_receipt, totals.receipts) = self
            .tx
            .prepare_cached(
                "SELECT min(number), max(number), count(*) FROM receipts WHERE shift_id = ?1 AND training = 0",
            )?
            .query_row([shift_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        let mut statement = self.tx.prepare_cached(
            "SELECT r.tender, sum(r.amount_cents), count(*) FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE r.shift_id = ?1 AND o.training = 0 GROUP BY r.tender ORDER BY r.tender",
        )?;
        let refunds: Vec<(String, i64, i64)> = statement
            .query_map([shift_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        totals.refunds = refunds.iter().map(|(_, _, n)| n).sum();
        totals.refunds_per_tender = refunds
            .into_iter()
            .map(|(tender, cents, _)| (tender, cents))
            .collect();
        (
            totals.cash_in_cents,
            totals.cash_out_cents,
            totals.drawer_opens,
        ) = self.tx.query_row(
            "SELECT coalesce(sum(CASE kind WHEN 'cash_in' THEN amount_cents END), 0),
                    coalesce(sum(CASE kind WHEN 'cash_out' THEN amount_cents END), 0),
                    count(CASE kind WHEN 'drawer_open' THEN 1 END)
             FROM cash_movements WHERE shift_id = ?1",
            [shift_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        Ok(totals)
    }

    /// The payments and lines of the orders `first..=last`, all of them the shift's.
    fn sum_order_run(&self, first: i64, last: i64, totals: &mut ShiftTotals) -> Result<()> {
        // Each table is read as one range of its rows: between the lowest and highest row id
        // that its order index names for the first and last order.
        totals.per_tender = self
            .tx
            .prepare_cached(
                "SELECT tender, sum(amount_cents) FROM payments
                 WHERE id BETWEEN (SELECT min(id) FROM payments WHERE order_id BETWEEN ?1 AND ?2)
                              AND (SELECT max(id) FROM payments WHERE order_id BETWEEN ?1 AND ?2)
                   AND order_id BETWEEN ?1 AND ?2 AND state = 'approved'
                 GROUP BY tender ORDER BY tender",
            )?
            .query_map([first, last], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // A line's quantity is its number of tickets and an order's total the sum of its lines'
        // gross (the sale writes them so, and verify holds the rows to the journal and the
        // tickets to the total), so the lines give both: no pass over orders or tickets.
        let mut statement = self.tx.prepare_cached(
            "SELECT vat_basis_points, sum(net_cents), sum(vat_cents), sum(gross_cents), sum(quantity)
             FROM order_lines
             WHERE id BETWEEN (SELECT min(id) FROM order_lines WHERE order_id BETWEEN ?1 AND ?2)
                          AND (SELECT max(id) FROM order_lines WHERE order_id BETWEEN ?1 AND ?2)
               AND order_id BETWEEN ?1 AND ?2
             GROUP BY vat_basis_points ORDER BY vat_basis_points",
        )?;
        let mut rows = statement.query([first, last])?;
        while let Some(row) = rows.next()? {
            let (rate, net, vat, gross): (i64, i64, i64, i64) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            totals.tickets += row.get::<_, i64>(4)?;
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
        let ids: Vec<i64> = self
            .tx
            .prepare_cached(
                "SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale'
                 ORDER BY order_id",
            )?
            .query_map([shift_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mine = |order_id: i64| ids.binary_search(&order_id).is_ok();
        // Rows of other orders in the ranges read are skipped.
        let mut per_tender: Vec<(String, i64)> = Vec::new();
        let mut statement = self.tx.prepare_cached(
            "SELECT order_id, tender, amount_cents FROM payments
             WHERE id BETWEEN (SELECT min(id) FROM payments WHERE order_id BETWEEN ?1 AND ?2)
                          AND (SELECT max(id) FROM payments WHERE order_id BETWEEN ?1 AND ?2)
               AND state = 'approved'",
        )?;
        let mut rows = statement.query([first, last])?;
        while let Some(row) = rows.next()? {
            let Some(order_id) = row.get::<_, Option<i64>>(0)? else {
                continue;
            };
            if mine(order_id) {
                let tender: String = row.get(1)?;
                let amount: i64 = row.get(2)?;
                match per_tender.iter_mut().find(|(t, _)| *t == tender) {
                    Some((_, sum)) => *sum += amount,
                    None => per_tender.push((tender, amount)),
                }
            }
        }
        per_tender.sort();
        totals.per_tender = per_tender;
        let mut per_rate: Vec<(i64, i64, i64, i64)> = Vec::new();
        let mut statement = self.tx.prepare_cached(
            "SELECT order_id, vat_basis_points, net_cents, vat_cents, gross_cents, quantity FROM order_lines
             WHERE id BETWEEN (SELECT min(id) FROM order_lines WHERE order_id BETWEEN ?1 AND ?2)
                          AND (SELECT max(id) FROM order_lines WHERE order_id BETWEEN ?1 AND ?2)",
        )?;
        let mut rows = statement.query([first, last])?;
        while let Some(row) = rows.next()? {
            if mine(row.get(0)?) {
                let rate: i64 = row.get(1)?;
                let (net, vat, gross): (i64, i64, i64) = (row.get(2)?, row.get(3)?, row.get(4)?);
                totals.tickets += row.get::<_, i64>(5)?;
                totals.gross_cents += gross;
                match per_rate.iter_mut().find(|r| r.0 == rate) {
                    Some(sums) => {
                        sums.1 += net;
                        sums.2 += vat;
                        sums.3 += gross;
                    }
                    None => per_rate.push((rate, net, vat, gross)),
                }
            }
        }
        per_rate.sort_unstable_by_key(|r| r.0);
        totals.per_rate = per_rate;
        Ok(())
    }

    /// The last receipt number covered by any Z report of this register.
    pub fn last_z_receipt(&self) -> Result<Option<i64>> {
        let register_id = self.register_id()?.to_string();
        Ok(self.tx.query_row(
            "SELECT max(last_receipt) FROM z_reports WHERE register_id = ?1",
            [register_id],
            |row| row.get(0),
        )?)
    }

    /// Writes the Z report with the next gapless number; returns the number.
    pub fn insert_z_report(&mut self, report: &NewZReport<'_>) -> Result<i64> {
        let register_id = self.register_id()?.to_string();
        let number: i64 = self.tx.query_row(
            "SELECT coalesce(max(number), 0) + 1 FROM z_reports WHERE register_id = ?1",
            [&register_id],
            |row| row.get(0),
        )?;
        let mut content = report.content.clone();
        content["number"] = number.into();
        self.tx.execute(
            "INSERT INTO z_reports (register_id, number, shift_id, closed_by, closed_at, first_receipt, last_receipt, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
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

    /// A Z report's content by number.
    pub fn z_report(&self, number: i64) -> Result<Option<serde_json::Value>> {
        let register_id = self.register_id()?.to_string();
        let text: Option<String> = self
            .tx
            .query_row(
                "SELECT content FROM z_reports WHERE register_id = ?1 AND number = ?2",
                params![register_id, number],
                |row| row.get(0),
            )
            .optional()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }
}
