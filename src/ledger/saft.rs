//! What the SAF-T Cash Register export reads: sales, refunds, Z reports, users, articles and
//! the journal of a date range (dates are the local dates of the rows' times).

use crate::domain::ids::{OrderNumber, ShiftId, UserId};
use rusqlite::params;

use super::{Result, Tx};

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
        let mut statement = self.sq()?.prepare(&format!(
            // One pass over the journal for the sales' hashes (there is no index by order).
            "WITH sale_hashes AS MATERIALIZED (SELECT order_id, hash FROM journal WHERE kind = 'sale')
             SELECT o.id, o.created_at, o.user_id, o.total_cents, o.training,
                    (SELECT number FROM receipts r WHERE r.order_id = o.id AND r.kind = 'sale'),
                    coalesce((SELECT sum(amount_cents) FROM cash_roundings c WHERE c.order_id = o.id AND c.refund_id IS NULL), 0),
                    (SELECT count(*) FROM receipt_prints rp JOIN receipts r ON r.id = rp.receipt_id
                     WHERE r.order_id = o.id AND r.kind = 'sale' AND rp.kind = 'original'),
                    (SELECT count(*) FROM receipt_prints rp JOIN receipts r ON r.id = rp.receipt_id
                     WHERE r.order_id = o.id AND r.kind = 'sale' AND rp.kind = 'copy'),
                    coalesce(h.hash, '')
             FROM orders o LEFT JOIN sale_hashes h ON h.order_id = o.id WHERE {} ORDER BY o.id",
            IN_RANGE.replace("created_at", "o.created_at")
        ))?;
        let heads = statement
            .query_map(params![from, to], |row| {
                Ok(SaftSale {
                    order_id: row.get(0)?,
                    created_at: row.get(1)?,
                    user_id: row.get(2)?,
                    total_cents: row.get(3)?,
                    training: row.get(4)?,
                    receipt_number: row.get(5)?,
                    lines: Vec::new(),
                    payments: Vec::new(),
                    rounding_cents: row.get(6)?,
                    originals: row.get(7)?,
                    copies: row.get(8)?,
                    journal_hash: row.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut sales = Vec::with_capacity(heads.len());
        for mut sale in heads {
            let mut statement = self.sq()?.prepare_cached(
                "SELECT l.line_no, l.category_id, p.event_id, l.quantity, l.unit_price_cents, l.gross_cents,
                        l.vat_cents, l.vat_basis_points
                 FROM order_lines l JOIN performances p ON p.id = l.performance_id
                 WHERE l.order_id = ?1 ORDER BY l.line_no",
            )?;
            sale.lines = statement
                .query_map([sale.order_id], |row| {
                    Ok(SaftLine {
                        line_no: row.get(0)?,
                        category_id: row.get(1)?,
                        event_id: row.get(2)?,
                        quantity: row.get(3)?,
                        unit_cents: row.get(4)?,
                        gross_cents: row.get(5)?,
                        vat_cents: row.get(6)?,
                        vat_basis_points: row.get(7)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut statement = self.sq()?.prepare_cached(
                "SELECT tender, amount_cents, card_last4 FROM payments
                 WHERE order_id = ?1 AND state = 'approved' ORDER BY id",
            )?;
            sale.payments = statement
                .query_map([sale.order_id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            sales.push(sale);
        }
        Ok(sales)
    }

    /// Refunds made from `from` to `to`.
    pub fn saft_refunds(&self, from: &str, to: &str) -> Result<Vec<SaftRefund>> {
        let mut statement = self.sq()?.prepare(&format!(
            "WITH refund_hashes AS MATERIALIZED
                 (SELECT json_extract(content, '$.refund.refund_id') AS refund_id, hash FROM journal WHERE kind = 'refund')
             SELECT f.id, f.order_id, f.created_at, f.user_id, f.tender, f.amount_cents,
                    (SELECT number FROM receipts r WHERE r.refund_id = f.id),
                    coalesce((SELECT sum(amount_cents) FROM cash_roundings c WHERE c.refund_id = f.id), 0),
                    coalesce(h.hash, '')
             FROM refunds f LEFT JOIN refund_hashes h ON h.refund_id = f.id WHERE {} ORDER BY f.id",
            IN_RANGE.replace("created_at", "f.created_at")
        ))?;
        let refunds = statement
            .query_map(params![from, to], |row| {
                Ok(SaftRefund {
                    refund_id: row.get(0)?,
                    order_id: row.get(1)?,
                    created_at: row.get(2)?,
                    user_id: row.get(3)?,
                    tender: row.get(4)?,
                    amount_cents: row.get(5)?,
                    receipt_number: row.get(6)?,
                    vat: Vec::new(),
                    rounding_cents: row.get(7)?,
                    journal_hash: row.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        refunds
            .into_iter()
            .map(|mut refund| {
                refund.vat = self.refund_vat(refund.refund_id)?;
                Ok(refund)
            })
            .collect()
    }

    /// Z reports closed from `from` to `to`: (number, shift id, closed by, closed at, content).
    pub fn saft_z_reports(&self, from: &str, to: &str) -> Result<Vec<ZReportRow>> {
        let mut statement = self.sq()?.prepare(
            "SELECT number, shift_id, closed_by, closed_at, content FROM z_reports
             WHERE substr(closed_at, 1, 10) BETWEEN ?1 AND ?2 ORDER BY number",
        )?;
        let rows = statement.query_map(params![from, to], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every price category: (id, event id, code, name, created-at proxy).
    pub fn saft_articles(&self) -> Result<Vec<(i64, i64, String, String)>> {
        let mut statement = self
            .sq()?
            .prepare("SELECT id, event_id, code, name_fi FROM price_categories ORDER BY id")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every event (the report's main groups): (id, name).
    pub fn saft_events(&self) -> Result<Vec<(i64, String)>> {
        let mut statement = self
            .sq()?
            .prepare("SELECT id, name_fi FROM events ORDER BY id")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every user: (id, name).
    pub fn saft_users(&self) -> Result<Vec<(i64, String)>> {
        let mut statement = self
            .sq()?
            .prepare("SELECT id, name FROM users ORDER BY id")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The register's creation time (the date of entry of its master data).
    pub fn register_created_at(&self) -> Result<String> {
        Ok(self
            .sq()?
            .query_row("SELECT created_at FROM register LIMIT 1", [], |row| {
                row.get(0)
            })?)
    }

    /// Journal entries written from `from` to `to` (by their `at`, UTC).
    pub fn journal_between(&self, from: &str, to: &str) -> Result<Vec<JournalCsvRow>> {
        let mut statement = self.sq()?.prepare(
            "SELECT seq, at, kind, user_id, order_id, content, hash FROM journal
             WHERE substr(at, 1, 10) BETWEEN ?1 AND ?2 ORDER BY seq",
        )?;
        let rows = statement.query_map(params![from, to], |row| {
            Ok(JournalCsvRow {
                seq: row.get(0)?,
                at: row.get(1)?,
                kind: row.get(2)?,
                user_id: row.get(3)?,
                order_id: row.get(4)?,
                content: row.get(5)?,
                hash: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
