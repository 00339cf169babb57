//! Refunds: rows written once; tickets revoked; a refund receipt naming the original order.

use crate::domain::ids::{OrderNumber, ShiftId, UserId};
use rusqlite::params;
use serde_json::json;

use super::{Result, Tx};

/// An original line with what earlier refunds took from it, and its still valid tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundableLine {
    pub line_id: i64,
    pub line_no: i64,
    pub quantity: i64,
    pub gross_cents: i64,
    pub vat_basis_points: i64,
    pub refunded_quantity: i64,
    pub refunded_cents: i64,
    /// (ticket id, code) of the line's valid tickets.
    pub valid_tickets: Vec<(i64, String)>,
}

pub struct NewRefund<'a> {
    pub order_id: OrderNumber,
    pub shift_id: ShiftId,
    pub user_id: UserId,
    pub authorised_by: UserId,
    pub reason_code: &'a str,
    pub reason_text: &'a str,
    pub tender: &'a str,
    pub amount_cents: i64,
    /// (line id, quantity, amount, VAT)
    pub lines: &'a [(i64, i64, i64, i64)],
    pub ticket_ids: &'a [i64],
    pub now: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRecord {
    pub refund_id: i64,
    pub receipt_number: i64,
    pub journal_seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RefundRow {
    pub refund_id: i64,
    pub receipt_number: Option<i64>,
    pub created_at: String,
    pub reason_code: String,
    pub reason_text: String,
    pub tender: String,
    pub amount_cents: i64,
    pub user: String,
    pub authorised_by: String,
    pub tickets: Vec<String>,
}

impl Tx<'_> {
    pub fn refundable_lines(&self, order_id: OrderNumber) -> Result<Vec<RefundableLine>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT l.id, l.line_no, l.quantity, l.gross_cents, l.vat_basis_points,
                    coalesce((SELECT sum(quantity) FROM refund_lines r WHERE r.line_id = l.id), 0),
                    coalesce((SELECT sum(amount_cents) FROM refund_lines r WHERE r.line_id = l.id), 0)
             FROM order_lines l WHERE l.order_id = ?1 ORDER BY l.line_no",
        )?;
        let mut lines = statement
            .query_map([order_id], |row| {
                Ok(RefundableLine {
                    line_id: row.get(0)?,
                    line_no: row.get(1)?,
                    quantity: row.get(2)?,
                    gross_cents: row.get(3)?,
                    vat_basis_points: row.get(4)?,
                    refunded_quantity: row.get(5)?,
                    refunded_cents: row.get(6)?,
                    valid_tickets: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut statement = self
            .tx
            .prepare_cached("SELECT id, code, line_id FROM tickets WHERE order_id = ?1 AND state = 'valid' ORDER BY id")?;
        let tickets = statement
            .query_map([order_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, code, line_id) in tickets {
            if let Some(line) = lines.iter_mut().find(|l| l.line_id == line_id) {
                line.valid_tickets.push((id, code));
            }
        }
        Ok(lines)
    }

    /// Approved payments of an order as (tender, amount).
    pub fn order_payments(&self, order_id: OrderNumber) -> Result<Vec<(String, i64)>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT tender, sum(amount_cents) FROM payments WHERE order_id = ?1 AND state = 'approved' GROUP BY tender",
        )?;
        let rows = statement.query_map([order_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a refund: its lines, the revoked tickets, a refund receipt and the journal entry.
    pub fn insert_refund(&mut self, refund: &NewRefund<'_>) -> Result<RefundRecord> {
        self.tx
            .prepare_cached(
                "INSERT INTO refunds (order_id, shift_id, user_id, authorised_by, reason_code, reason_text, tender,
                                      amount_cents, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                refund.order_id,
                refund.shift_id,
                refund.user_id,
                refund.authorised_by,
                refund.reason_code,
                refund.reason_text,
                refund.tender,
                refund.amount_cents,
                refund.now
            ])?;
        let refund_id = self.tx.last_insert_rowid();
        for (line_id, quantity, amount_cents, vat_cents) in refund.lines {
            self.tx
                .prepare_cached(
                    "INSERT INTO refund_lines (refund_id, line_id, quantity, amount_cents, vat_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![refund_id, line_id, quantity, amount_cents, vat_cents])?;
        }
        for ticket_id in refund.ticket_ids {
            self.tx
                .prepare_cached(
                    "INSERT INTO refund_tickets (refund_id, ticket_id) VALUES (?1, ?2)",
                )?
                .execute(params![refund_id, ticket_id])?;
            self.tx
                .prepare_cached(
                    "UPDATE tickets SET state = 'revoked' WHERE id = ?1 AND state = 'valid'",
                )?
                .execute([ticket_id])?;
        }
        let training: bool = self
            .tx
            .prepare_cached("SELECT training FROM orders WHERE id = ?1")?
            .query_row([refund.order_id], |row| row.get(0))?;
        let receipt_number = self.insert_receipt(
            refund.order_id,
            refund.shift_id,
            Some(refund_id),
            "refund",
            training,
            refund.now,
        )?;
        let content = self.refund_content(refund_id)?;
        let entry = self.append_journal(
            "refund",
            Some(refund.user_id),
            Some(refund.order_id),
            &content,
        )?;
        Ok(RefundRecord {
            refund_id,
            receipt_number,
            journal_seq: entry.seq,
        })
    }

    /// What the journal records of a refund, rebuilt from its rows (compared again by `verify`).
    pub(super) fn refund_content(&self, refund_id: i64) -> Result<serde_json::Value> {
        let head = self.tx.prepare_cached(
            "SELECT json_object('refund_id', id, 'order_id', order_id, 'shift_id', shift_id, 'user_id', user_id,
                    'authorised_by', authorised_by, 'reason_code', reason_code, 'reason_text', reason_text,
                    'tender', tender, 'amount_cents', amount_cents, 'created_at', created_at)
             FROM refunds WHERE id = ?1",
        )?.query_row([refund_id], |row| row.get::<_, String>(0))?;
        let lines = self.json_rows(
            "SELECT json_object('line_id', line_id, 'quantity', quantity, 'amount_cents', amount_cents, 'vat_cents', vat_cents)
             FROM refund_lines WHERE refund_id = ?1 ORDER BY line_id",
            refund_id,
        )?;
        let tickets = self.json_rows(
            "SELECT json_object('code', t.code, 'state', t.state) FROM refund_tickets r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.refund_id = ?1 ORDER BY t.id",
            refund_id,
        )?;
        let receipts = self.json_rows(
            "SELECT json_object('number', number, 'kind', kind, 'created_at', created_at) FROM receipts WHERE refund_id = ?1",
            refund_id,
        )?;
        let head: serde_json::Value = serde_json::from_str(&head).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?;
        Ok(json!({"refund": head, "lines": lines, "tickets": tickets, "receipts": receipts}))
    }

    pub fn refunds_of(&self, order_id: OrderNumber) -> Result<Vec<RefundRow>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT r.id, (SELECT number FROM receipts c WHERE c.refund_id = r.id), r.created_at, r.reason_code,
                    r.reason_text, r.tender, r.amount_cents, u.name, a.name
             FROM refunds r JOIN users u ON u.id = r.user_id JOIN users a ON a.id = r.authorised_by
             WHERE r.order_id = ?1 ORDER BY r.id",
        )?;
        let mut refunds = statement
            .query_map([order_id], |row| {
                Ok(RefundRow {
                    refund_id: row.get(0)?,
                    receipt_number: row.get(1)?,
                    created_at: row.get(2)?,
                    reason_code: row.get(3)?,
                    reason_text: row.get(4)?,
                    tender: row.get(5)?,
                    amount_cents: row.get(6)?,
                    user: row.get(7)?,
                    authorised_by: row.get(8)?,
                    tickets: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for refund in &mut refunds {
            let mut statement = self.tx.prepare_cached(
                "SELECT t.code FROM refund_tickets r JOIN tickets t ON t.id = r.ticket_id WHERE r.refund_id = ?1 ORDER BY t.id",
            )?;
            refund.tickets = statement
                .query_map([refund.refund_id], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(refunds)
    }
}
