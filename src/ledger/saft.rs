//! What the SAF-T Cash Register export reads: sales, refunds, Z reports, users, articles and
//! the journal of a date range (dates are the local dates of the rows' times). Written once for
//! both engines; the rows are this register's (on the shared ledger each register is its own
//! cash register: its sales, the refunds from its drawer, its Z reports and journal entries),
//! the master data (users, events, articles) the venue's.

use super::engine::{Db as _, values};
use super::{LedgerError, Result, Tx};
use crate::domain::ids::{OrderNumber, ShiftId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaftLine {
    pub line_no: i64,
    pub category_id: i64,
    pub event_id: i64,
    pub quantity: i64,
    pub unit_cents: i64,
    pub gross_cents: i64,
    pub vat_cents: i64,
    pub vat_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaftSale {
    pub order_id: OrderNumber,
    pub created_at: String,
    pub user_id: UserId,
    pub total_cents: i64,
    pub training: bool,
    pub receipt_number: Option<i64>,
    pub lines: Vec<SaftLine>,
    /// (tender, amount, card last four digits)
    pub payments: Vec<(String, i64, Option<String>)>,
    pub rounding_cents: i64,
    pub originals: i64,
    pub copies: i64,
    pub journal_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaftRefund {
    pub refund_id: i64,
    pub order_id: OrderNumber,
    pub created_at: String,
    pub user_id: UserId,
    pub tender: crate::domain::Tender,
    pub amount_cents: i64,
    pub receipt_number: Option<i64>,
    /// (rate, gross, VAT)
    pub vat: Vec<(i64, i64, i64)>,
    pub rounding_cents: i64,
    pub journal_hash: String,
}

/// A journal entry as the CSV export writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalCsvRow {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub user_id: Option<UserId>,
    pub order_id: Option<OrderNumber>,
    pub content: String,
    pub hash: String,
}

/// A Z report as the export reads it: (number, shift id, closed by, closed at, content).
pub type ZReportRow = (i64, ShiftId, UserId, String, String);

const IN_RANGE: &str = "substr(created_at, 1, 10) BETWEEN ?1 AND ?2";

impl Tx<'_> {
    /// Sales (training too, flagged) made from `from` to `to` (YYYY-MM-DD, inclusive).
    pub fn saft_sales(&self, from: &str, to: &str) -> Result<Vec<SaftSale>> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        let heads = db.query(
            &format!(
                // One pass over the journal for the sales' hashes (there is no index by order).
                "WITH sale_hashes AS MATERIALIZED (SELECT order_id, hash FROM journal WHERE kind = 'sale')
                 SELECT o.id, o.created_at, o.user_id, o.total_cents, o.training,
                        (SELECT number FROM receipts r WHERE r.order_id = o.id AND r.kind = 'sale'),
                        CAST(coalesce((SELECT sum(amount_cents) FROM cash_roundings c WHERE c.order_id = o.id AND c.refund_id IS NULL), 0) AS bigint),
                        (SELECT count(*) FROM receipt_prints rp JOIN receipts r ON r.id = rp.receipt_id
                         WHERE r.order_id = o.id AND r.kind = 'sale' AND rp.kind = 'original'),
                        (SELECT count(*) FROM receipt_prints rp JOIN receipts r ON r.id = rp.receipt_id
                         WHERE r.order_id = o.id AND r.kind = 'sale' AND rp.kind = 'copy'),
                        coalesce(h.hash, '')
                 FROM orders o LEFT JOIN sale_hashes h ON h.order_id = o.id
                 WHERE {} AND o.register_id = ?3 ORDER BY o.id",
                IN_RANGE.replace("created_at", "o.created_at")
            ),
            &values![from, to, register_id],
        )?;
        let mut sales = Vec::with_capacity(heads.len());
        for row in heads {
            let order_id = OrderNumber(row.int(0)?);
            let lines = db
                .query(
                    "SELECT l.line_no, l.category_id, p.event_id, l.quantity, l.unit_price_cents, l.gross_cents,
                            l.vat_cents, l.vat_basis_points
                     FROM order_lines l JOIN performances p ON p.id = l.performance_id
                     WHERE l.order_id = ?1 ORDER BY l.line_no",
                    &values![order_id],
                )?
                .iter()
                .map(|line| {
                    Ok(SaftLine {
                        line_no: line.int(0)?,
                        category_id: line.int(1)?,
                        event_id: line.int(2)?,
                        quantity: line.int(3)?,
                        unit_cents: line.int(4)?,
                        gross_cents: line.int(5)?,
                        vat_cents: line.int(6)?,
                        vat_basis_points: line.int(7)?,
                    })
                })
                .collect::<Result<_>>()?;
            let payments = db
                .query(
                    "SELECT tender, amount_cents, card_last4 FROM payments
                     WHERE order_id = ?1 AND state = 'approved' ORDER BY id",
                    &values![order_id],
                )?
                .iter()
                .map(|payment| Ok((payment.text(0)?, payment.int(1)?, payment.opt_text(2)?)))
                .collect::<Result<_>>()?;
            sales.push(SaftSale {
                order_id,
                created_at: row.text(1)?,
                user_id: UserId(row.int(2)?),
                total_cents: row.int(3)?,
                training: row.int(4)? != 0,
                receipt_number: row.opt_int(5)?,
                lines,
                payments,
                rounding_cents: row.int(6)?,
                originals: row.int(7)?,
                copies: row.int(8)?,
                journal_hash: row.text(9)?,
            });
        }
        Ok(sales)
    }

    /// Refunds made from `from` to `to`.
    pub fn saft_refunds(&self, from: &str, to: &str) -> Result<Vec<SaftRefund>> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        let rows = db.query(
            &format!(
                "SELECT f.id, f.order_id, f.created_at, f.user_id, f.tender, f.amount_cents,
                        (SELECT number FROM receipts r WHERE r.refund_id = f.id),
                        CAST(coalesce((SELECT sum(amount_cents) FROM cash_roundings c WHERE c.refund_id = f.id), 0) AS bigint)
                 FROM refunds f JOIN shifts s ON s.id = f.shift_id
                 WHERE {} AND s.register_id = ?3 ORDER BY f.id",
                IN_RANGE.replace("created_at", "f.created_at")
            ),
            &values![from, to, register_id],
        )?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let hashes = self.refund_hashes()?;
        rows.iter()
            .map(|row| {
                let refund_id = row.int(0)?;
                Ok(SaftRefund {
                    refund_id,
                    order_id: OrderNumber(row.int(1)?),
                    created_at: row.text(2)?,
                    user_id: UserId(row.int(3)?),
                    tender: row.code(4)?,
                    amount_cents: row.int(5)?,
                    receipt_number: row.opt_int(6)?,
                    vat: self.refund_vat(refund_id)?,
                    rounding_cents: row.int(7)?,
                    journal_hash: hashes.get(&refund_id).cloned().unwrap_or_default(),
                })
            })
            .collect()
    }

    /// The hash of each refund's journal entry, by refund id (read from the entry's content,
    /// `refund.refund_id`, in Rust: the same on both engines, without SQL's JSON functions).
    fn refund_hashes(&self) -> Result<std::collections::HashMap<i64, String>> {
        let mut hashes = std::collections::HashMap::new();
        self.db().query_each(
            "SELECT content, hash FROM journal WHERE kind = 'refund' ORDER BY seq",
            &[],
            &mut |row| {
                let content: serde_json::Value =
                    serde_json::from_str(&row.text(0)?).map_err(|e| LedgerError::Corrupt {
                        path: Default::default(),
                        detail: format!("a refund's journal entry is not JSON ({e})"),
                    })?;
                if let Some(id) = content["refund"]["refund_id"].as_i64() {
                    // The first entry naming the refund, as the join found before.
                    hashes.entry(id).or_insert(row.text(1)?);
                }
                Ok(())
            },
        )?;
        Ok(hashes)
    }

    /// Z reports closed from `from` to `to`: (number, shift id, closed by, closed at, content).
    pub fn saft_z_reports(&self, from: &str, to: &str) -> Result<Vec<ZReportRow>> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query(
                "SELECT number, shift_id, closed_by, closed_at, content FROM z_reports
                 WHERE substr(closed_at, 1, 10) BETWEEN ?1 AND ?2 AND register_id = ?3 ORDER BY number",
                &values![from, to, register_id],
            )?
            .iter()
            .map(|row| {
                Ok((
                    row.int(0)?,
                    ShiftId(row.int(1)?),
                    UserId(row.int(2)?),
                    row.text(3)?,
                    row.text(4)?,
                ))
            })
            .collect()
    }

    /// Every price category: (id, event id, code, name, created-at proxy).
    pub fn saft_articles(&self) -> Result<Vec<(i64, i64, String, String)>> {
        self.db()
            .query(
                "SELECT id, event_id, code, name_fi FROM price_categories ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| Ok((row.int(0)?, row.int(1)?, row.text(2)?, row.text(3)?)))
            .collect()
    }

    /// Every event (the report's main groups): (id, name).
    pub fn saft_events(&self) -> Result<Vec<(i64, String)>> {
        self.id_and_text("SELECT id, name_fi FROM events ORDER BY id")
    }

    /// Every user: (id, name).
    pub fn saft_users(&self) -> Result<Vec<(i64, String)>> {
        self.id_and_text("SELECT id, name FROM users ORDER BY id")
    }

    fn id_and_text(&self, sql: &str) -> Result<Vec<(i64, String)>> {
        self.db()
            .query(sql, &[])?
            .iter()
            .map(|row| Ok((row.int(0)?, row.text(1)?)))
            .collect()
    }

    /// This register's creation time (the date of entry of its master data).
    pub fn register_created_at(&self) -> Result<String> {
        let id = self.register_id()?.to_string();
        self.db()
            .query_one(
                "SELECT created_at FROM register WHERE id = ?1",
                &values![id],
            )?
            .text(0)
    }

    /// Journal entries written from `from` to `to` (by their `at`, UTC).
    pub fn journal_between(&self, from: &str, to: &str) -> Result<Vec<JournalCsvRow>> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query(
                "SELECT seq, at, kind, user_id, order_id, content, hash FROM journal
                 WHERE substr(at, 1, 10) BETWEEN ?1 AND ?2 AND register_id = ?3 ORDER BY seq",
                &values![from, to, register_id],
            )?
            .iter()
            .map(|row| {
                Ok(JournalCsvRow {
                    seq: row.int(0)?,
                    at: row.text(1)?,
                    kind: row.text(2)?,
                    user_id: row.opt_int(3)?.map(UserId),
                    order_id: row.opt_int(4)?.map(OrderNumber),
                    content: row.text(5)?,
                    hash: row.text(6)?,
                })
            })
            .collect()
    }
}
