//! Refunds: rows written once; tickets revoked; a refund receipt naming the original order.

use crate::domain::ids::{OrderNumber, ShiftId, UserId};
use crate::domain::{JournalKind, Tender};
use serde_json::json;

use super::engine::{Db as _, values};

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
    pub tender: Tender,
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
    pub tender: Tender,
    pub amount_cents: i64,
    pub user: String,
    pub authorised_by: String,
    pub tickets: Vec<String>,
}

impl Tx<'_> {
    pub fn refundable_lines(&self, order_id: OrderNumber) -> Result<Vec<RefundableLine>> {
        let mut db = self.db();
        let mut lines = db
            .query(
                "SELECT l.id, l.line_no, l.quantity, l.gross_cents, l.vat_basis_points,
                        CAST(coalesce((SELECT sum(quantity) FROM refund_lines r WHERE r.line_id = l.id), 0) AS bigint),
                        CAST(coalesce((SELECT sum(amount_cents) FROM refund_lines r WHERE r.line_id = l.id), 0) AS bigint)
                 FROM order_lines l WHERE l.order_id = ?1 ORDER BY l.line_no",
                &values![order_id],
            )?
            .iter()
            .map(|row| {
                Ok(RefundableLine {
                    line_id: row.int(0)?,
                    line_no: row.int(1)?,
                    quantity: row.int(2)?,
                    gross_cents: row.int(3)?,
                    vat_basis_points: row.int(4)?,
                    refunded_quantity: row.int(5)?,
                    refunded_cents: row.int(6)?,
                    valid_tickets: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let tickets = db.query(
            "SELECT id, code, line_id FROM tickets WHERE order_id = ?1 AND state = 'valid' ORDER BY id",
            &values![order_id],
        )?;
        for row in &tickets {
            let line_id = row.int(2)?;
            if let Some(line) = lines.iter_mut().find(|l| l.line_id == line_id) {
                line.valid_tickets.push((row.int(0)?, row.text(1)?));
            }
        }
        Ok(lines)
    }

    /// Approved payments of an order as (tender, amount).
    pub fn order_payments(&self, order_id: OrderNumber) -> Result<Vec<(String, i64)>> {
        self.db()
            .query(
                "SELECT tender, CAST(sum(amount_cents) AS bigint) FROM payments
                 WHERE order_id = ?1 AND state = 'approved' GROUP BY tender",
                &values![order_id],
            )?
            .iter()
            .map(|row| Ok((row.text(0)?, row.int(1)?)))
            .collect()
    }

    /// Writes a refund: its lines, the revoked tickets, a refund receipt and the journal entry.
    pub fn insert_refund(&mut self, refund: &NewRefund<'_>) -> Result<RefundRecord> {
        let mut db = self.db();
        let refund_id = db
            .query_one(
                "INSERT INTO refunds (order_id, shift_id, user_id, authorised_by, reason_code, reason_text, tender,
                                      amount_cents, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                &values![
                    refund.order_id,
                    refund.shift_id,
                    refund.user_id,
                    refund.authorised_by,
                    refund.reason_code,
                    refund.reason_text,
                    refund.tender.as_str(),
                    refund.amount_cents,
                    refund.now
                ],
            )?
            .int(0)?;
        for (line_id, quantity, amount_cents, vat_cents) in refund.lines {
            db.execute(
                "INSERT INTO refund_lines (refund_id, line_id, quantity, amount_cents, vat_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
                &values![refund_id, *line_id, *quantity, *amount_cents, *vat_cents],
            )?;
        }
        for ticket_id in refund.ticket_ids {
            db.execute(
                "INSERT INTO refund_tickets (refund_id, ticket_id) VALUES (?1, ?2)",
                &values![refund_id, *ticket_id],
            )?;
            db.execute(
                "UPDATE tickets SET state = 'revoked' WHERE id = ?1 AND state = 'valid'",
                &values![*ticket_id],
            )?;
        }
        let training = db
            .query_one(
                "SELECT training FROM orders WHERE id = ?1",
                &values![refund.order_id],
            )?
            .int(0)?
            != 0;
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
            JournalKind::Refund,
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
        self.refund_contents(refund_id, refund_id)?
            .remove(&refund_id)
            .ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
    }

    /// [`Tx::refund_content`] of every refund numbered `first..=last`, in four queries (the
    /// shared ledger's `verify` reads a page of the journal's refunds at a time).
    pub(super) fn refund_contents(
        &self,
        first: i64,
        last: i64,
    ) -> Result<std::collections::BTreeMap<i64, serde_json::Value>> {
        let mut db = self.db();
        let mut refunds = std::collections::BTreeMap::new();
        for head in db.query(
            "SELECT id, order_id, shift_id, user_id, authorised_by, reason_code, reason_text, tender,
                    amount_cents, created_at
             FROM refunds WHERE id BETWEEN ?1 AND ?2",
            &values![first, last],
        )? {
            let refund = json!({
                "refund_id": head.int(0)?,
                "order_id": head.int(1)?,
                "shift_id": head.int(2)?,
                "user_id": head.int(3)?,
                "authorised_by": head.int(4)?,
                "reason_code": head.text(5)?,
                "reason_text": head.text(6)?,
                "tender": head.text(7)?,
                "amount_cents": head.int(8)?,
                "created_at": head.text(9)?,
            });
            let content = json!({"refund": refund, "lines": [], "tickets": [], "receipts": []});
            refunds.insert(head.int(0)?, content);
        }
        let mut add = |part: &str, refund_id: i64, item: serde_json::Value| {
            if let Some(items) = refunds
                .get_mut(&refund_id)
                .and_then(|refund| refund[part].as_array_mut())
            {
                items.push(item);
            }
        };
        for row in db.query(
            "SELECT refund_id, line_id, quantity, amount_cents, vat_cents FROM refund_lines
             WHERE refund_id BETWEEN ?1 AND ?2 ORDER BY refund_id, line_id",
            &values![first, last],
        )? {
            let line = json!({"line_id": row.int(1)?, "quantity": row.int(2)?,
                              "amount_cents": row.int(3)?, "vat_cents": row.int(4)?});
            add("lines", row.int(0)?, line);
        }
        for row in db.query(
            "SELECT r.refund_id, t.code, t.state FROM refund_tickets r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.refund_id BETWEEN ?1 AND ?2 ORDER BY r.refund_id, t.id",
            &values![first, last],
        )? {
            let ticket = json!({"code": row.text(1)?, "state": row.text(2)?});
            add("tickets", row.int(0)?, ticket);
        }
        for row in db.query(
            "SELECT refund_id, number, kind, created_at FROM receipts
             WHERE refund_id BETWEEN ?1 AND ?2 ORDER BY refund_id, id",
            &values![first, last],
        )? {
            let receipt =
                json!({"number": row.int(1)?, "kind": row.text(2)?, "created_at": row.text(3)?});
            add("receipts", row.int(0)?, receipt);
        }
        Ok(refunds)
    }

    pub fn refunds_of(&self, order_id: OrderNumber) -> Result<Vec<RefundRow>> {
        let mut db = self.db();
        let mut refunds = db
            .query(
                "SELECT r.id, (SELECT number FROM receipts c WHERE c.refund_id = r.id), r.created_at, r.reason_code,
                        r.reason_text, r.tender, r.amount_cents, u.name, a.name
                 FROM refunds r JOIN users u ON u.id = r.user_id JOIN users a ON a.id = r.authorised_by
                 WHERE r.order_id = ?1 ORDER BY r.id",
                &values![order_id],
            )?
            .iter()
            .map(|row| {
                Ok(RefundRow {
                    refund_id: row.int(0)?,
                    receipt_number: row.opt_int(1)?,
                    created_at: row.text(2)?,
                    reason_code: row.text(3)?,
                    reason_text: row.text(4)?,
                    tender: row.code(5)?,
                    amount_cents: row.int(6)?,
                    user: row.text(7)?,
                    authorised_by: row.text(8)?,
                    tickets: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        for refund in &mut refunds {
            refund.tickets = db
                .query(
                    "SELECT t.code FROM refund_tickets r JOIN tickets t ON t.id = r.ticket_id
                     WHERE r.refund_id = ?1 ORDER BY t.id",
                    &values![refund.refund_id],
                )?
                .iter()
                .map(|row| row.text(0))
                .collect::<Result<_>>()?;
        }
        Ok(refunds)
    }
}
