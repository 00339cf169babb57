//! Issue 13's rows: the register's currency and seller data, cash roundings, printed receipts.

use crate::domain::ids::{OrderNumber, ShiftId, UserId};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::{Result, Tx};
use crate::domain::Currency;

/// The seller as the receipt names it, and how receipts are offered.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct SellerSettings {
    pub seller_name: String,
    pub business_id: String,
    pub seller_address: String,
    pub vat_number: String,
    /// `always`, `ask` or `never`
    pub receipt_print: String,
    /// `EUR` or `SEK`
    pub currency: String,
    /// The ESC/POS receipt printer's link (`tcp:…`, `serial:…`, `queue:…`, `file:…`), or empty.
    pub receipt_printer: String,
}

/// A printed customer receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptPrintRow {
    pub kind: String,
    pub transport: String,
    pub created_at: String,
}

impl Tx<'_> {
    /// The register's currency (EUR before `init`).
    pub fn currency(&self) -> Result<Currency> {
        let code: Option<String> = self
            .tx
            .prepare_cached("SELECT currency FROM register LIMIT 1")?
            .query_row([], |row| row.get(0))
            .optional()?;
        Ok(code
            .as_deref()
            .and_then(Currency::parse)
            .unwrap_or_default())
    }

    pub fn seller_settings(&self) -> Result<SellerSettings> {
        Ok(self
            .tx
            .query_row(
                "SELECT seller_name, business_id, seller_address, vat_number, receipt_print, currency,
                        receipt_printer
                 FROM register LIMIT 1",
                [],
                |row| {
                    Ok(SellerSettings {
                        seller_name: row.get(0)?,
                        business_id: row.get(1)?,
                        seller_address: row.get(2)?,
                        vat_number: row.get(3)?,
                        receipt_print: row.get(4)?,
                        currency: row.get(5)?,
                        receipt_printer: row.get(6)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Writes the seller settings and journals them (`register.seller`). The database refuses
    /// a currency change once the register has shifts or sales.
    pub fn set_seller_settings(
        &mut self,
        settings: &SellerSettings,
        user_id: UserId,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE register SET seller_name = ?1, business_id = ?2, seller_address = ?3, vat_number = ?4,
                                 receipt_print = ?5, currency = ?6, receipt_printer = ?7",
            params![
                settings.seller_name,
                settings.business_id,
                settings.seller_address,
                settings.vat_number,
                settings.receipt_print,
                settings.currency,
                settings.receipt_printer
            ],
        )?;
        self.append_journal(
            "register.seller",
            Some(user_id),
            None,
            &serde_json::to_value(settings).unwrap_or_default(),
        )?;
        Ok(())
    }

    /// Records the cash rounding of a sale (`refund_id` None) or a cash refund, and journals it
    /// (`cash.rounding`) in the same transaction.
    pub fn insert_cash_rounding(
        &mut self,
        order_id: OrderNumber,
        refund_id: Option<i64>,
        shift_id: ShiftId,
        amount_cents: i64,
        user_id: UserId,
        now: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO cash_roundings (order_id, refund_id, shift_id, amount_cents, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![order_id, refund_id, shift_id, amount_cents, now])?;
        let id = self.tx.last_insert_rowid();
        let content = self.cash_rounding_content(id)?;
        self.append_journal("cash.rounding", Some(user_id), Some(order_id), &content)?;
        Ok(())
    }

    /// What the journal records of a cash rounding, rebuilt from its row (`verify` compares).
    pub(super) fn cash_rounding_content(&self, id: i64) -> Result<serde_json::Value> {
        Ok(self.tx.query_row(
            "SELECT id, order_id, refund_id, shift_id, amount_cents, created_at FROM cash_roundings WHERE id = ?1",
            [id],
            |row| {
                Ok(json!({
                    "rounding_id": row.get::<_, i64>(0)?,
                    "order_id": row.get::<_, i64>(1)?,
                    "refund_id": row.get::<_, Option<i64>>(2)?,
                    "shift_id": row.get::<_, i64>(3)?,
                    "amount_cents": row.get::<_, i64>(4)?,
                    "created_at": row.get::<_, String>(5)?,
                }))
            },
        )?)
    }

    /// The cash rounding of a sale, 0 when it was not rounded.
    pub fn sale_rounding_cents(&self, order_id: OrderNumber) -> Result<i64> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT coalesce(sum(amount_cents), 0) FROM cash_roundings WHERE order_id = ?1 AND refund_id IS NULL",
            )?
            .query_row([order_id], |row| row.get(0))?)
    }

    /// Cash rounding of a shift's real (not training) sales and refunds: (sales, refunds).
    pub fn shift_rounding_cents(&self, shift_id: ShiftId) -> Result<(i64, i64)> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT coalesce(sum(CASE WHEN c.refund_id IS NULL THEN c.amount_cents END), 0),
                    coalesce(sum(CASE WHEN c.refund_id IS NOT NULL THEN c.amount_cents END), 0)
             FROM cash_roundings c JOIN orders o ON o.id = c.order_id
             WHERE c.shift_id = ?1 AND o.training = 0",
            )?
            .query_row([shift_id], |row| Ok((row.get(0)?, row.get(1)?)))?)
    }

    /// The receipt row id of a sale's (or a refund's) receipt.
    pub fn receipt_id(&self, order_id: OrderNumber, refund_id: Option<i64>) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id FROM receipts WHERE order_id = ?1 AND refund_id IS ?2 ORDER BY id LIMIT 1",
                params![order_id, refund_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Prints of one receipt, oldest first.
    pub fn receipt_prints(&self, receipt_id: i64) -> Result<Vec<ReceiptPrintRow>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT kind, transport, created_at FROM receipt_prints WHERE receipt_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([receipt_id], |row| {
            Ok(ReceiptPrintRow {
                kind: row.get(0)?,
                transport: row.get(1)?,
                created_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a printed receipt and journals it (`receipt.print`). A second copy of the same
    /// receipt is refused by the database's unique index.
    pub fn insert_receipt_print(
        &mut self,
        receipt_id: i64,
        order_id: OrderNumber,
        kind: &str,
        user_id: UserId,
        transport: &str,
        now: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO receipt_prints (receipt_id, kind, user_id, transport, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![receipt_id, kind, user_id, transport, now],
        )?;
        self.append_journal(
            "receipt.print",
            Some(user_id),
            Some(order_id),
            &json!({"receipt_id": receipt_id, "kind": kind, "transport": transport, "created_at": now}),
        )?;
        Ok(())
    }

    /// Copies of receipts printed from `from` to `to` (or now): the X and Z reports count them.
    pub fn receipt_copies_between(&self, from: &str, to: Option<&str>) -> Result<i64> {
        Ok(self.tx.query_row(
            "SELECT count(*) FROM receipt_prints WHERE kind = 'copy' AND created_at >= ?1 AND (?2 IS NULL OR created_at <= ?2)",
            params![from, to],
            |row| row.get(0),
        )?)
    }
}

impl Tx<'_> {
    /// What a refund took back per VAT rate: (basis points, gross, VAT).
    pub fn refund_vat(&self, refund_id: i64) -> Result<Vec<(i64, i64, i64)>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT l.vat_basis_points, sum(rl.amount_cents), sum(rl.vat_cents)
             FROM refund_lines rl JOIN order_lines l ON l.id = rl.line_id
             WHERE rl.refund_id = ?1 GROUP BY l.vat_basis_points ORDER BY l.vat_basis_points",
        )?;
        let rows = statement.query_map([refund_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// Whether the register has opened a shift or sold anything (its currency is then fixed).
    pub fn has_shifts_or_sales(&self) -> Result<bool> {
        Ok(self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM shifts)",
            [],
            |row| row.get(0),
        )?)
    }

    /// The cash rounding of a refund, 0 when none.
    pub fn refund_rounding_cents(&self, refund_id: i64) -> Result<i64> {
        Ok(self.tx.query_row(
            "SELECT coalesce(sum(amount_cents), 0) FROM cash_roundings WHERE refund_id = ?1",
            [refund_id],
            |row| row.get(0),
        )?)
    }
}

impl Tx<'_> {
    /// Sets the register's currency (the database refuses once it has shifts or sales).
    pub fn set_currency(&mut self, currency: Currency) -> Result<()> {
        self.tx
            .execute("UPDATE register SET currency = ?1", [currency.code()])?;
        Ok(())
    }
}

/// What Norway's cash-register regulation (§ 2-8-2) asks of an X or Z report beyond the
/// shift's totals: sales per main group (event) and per operator, payments by count, copies,
/// training sales apart, corrections, and the grand totals since the register began.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct AuditFigures {
    /// (event id, event name, tickets, gross) of real sales.
    pub per_group: Vec<(i64, String, i64, i64)>,
    /// (user id, user name, orders, gross).
    pub per_operator: Vec<(i64, String, i64, i64)>,
    /// (user id, tender, payments, amount).
    pub per_operator_tender: Vec<(i64, String, i64, i64)>,
    /// (tender, payments, amount) of approved payments.
    pub payments: Vec<(String, i64, i64)>,
    pub copies: i64,
    pub copies_cents: i64,
    pub training_orders: i64,
    pub training_cents: i64,
    pub refunds: i64,
    pub refunds_cents: i64,
    /// Price or line corrections after a line was entered: the register has none (a cart is
    /// priced from the catalogue and a sale, once committed, is only refunded).
    pub corrections: i64,
    pub grand_total_sales_cents: i64,
    pub grand_total_refunds_cents: i64,
}

impl Tx<'_> {
    /// The § 2-8-2 figures of a shift, from its rows; `from`/`to` bound the copies printed.
    pub fn audit_figures(
        &self,
        shift_id: ShiftId,
        from: &str,
        to: Option<&str>,
    ) -> Result<AuditFigures> {
        let rows4 = |sql: &str| -> Result<Vec<(i64, String, i64, i64)>> {
            let mut statement = self.tx.prepare(sql)?;
            let rows = statement.query_map([shift_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let per_group = rows4(
            "SELECT e.id, e.name_fi, sum(l.quantity), sum(l.gross_cents)
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             JOIN performances p ON p.id = l.performance_id JOIN events e ON e.id = p.event_id
             WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') GROUP BY e.id ORDER BY e.id",
        )?;
        let per_operator = rows4(
            "SELECT u.id, u.name, count(*), sum(o.total_cents) FROM orders o JOIN users u ON u.id = o.user_id
             WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') GROUP BY u.id ORDER BY u.id",
        )?;
        let per_operator_tender: Vec<(i64, String, i64, i64)> = rows4(
            "SELECT o.user_id, p.tender, count(*), sum(p.amount_cents)
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') AND p.state = 'approved'
             GROUP BY o.user_id, p.tender ORDER BY o.user_id, p.tender",
        )?;
        let payments = {
            let mut statement = self.tx.prepare(
                "SELECT p.tender, count(*), sum(p.amount_cents) FROM payments p JOIN orders o ON o.id = p.order_id
                 WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') AND p.state = 'approved'
                 GROUP BY p.tender ORDER BY p.tender",
            )?;
            let rows = statement.query_map([shift_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let (copies, copies_cents): (i64, i64) = self.tx.query_row(
            "SELECT count(*), coalesce(sum(CASE WHEN r.kind = 'refund' THEN -f.amount_cents ELSE o.total_cents END), 0)
             FROM receipt_prints rp JOIN receipts r ON r.id = rp.receipt_id JOIN orders o ON o.id = r.order_id
             LEFT JOIN refunds f ON f.id = r.refund_id
             WHERE rp.kind = 'copy' AND rp.created_at >= ?1 AND (?2 IS NULL OR rp.created_at <= ?2)",
            rusqlite::params![from, to],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let (training_orders, training_cents): (i64, i64) = self.tx.query_row(
            "SELECT count(*), coalesce(sum(total_cents), 0) FROM orders WHERE shift_id = ?1 AND training = 1",
            [shift_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let (refunds, refunds_cents): (i64, i64) = self.tx.query_row(
            "SELECT count(*), coalesce(sum(r.amount_cents), 0) FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE r.shift_id = ?1 AND o.training = 0",
            [shift_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let (grand_total_sales_cents, grand_total_refunds_cents): (i64, i64) = self.tx.query_row(
            "SELECT (SELECT coalesce(sum(total_cents), 0) FROM orders WHERE training = 0 AND shift_id <= ?1),
                    (SELECT coalesce(sum(r.amount_cents), 0) FROM refunds r JOIN orders o ON o.id = r.order_id
                     WHERE o.training = 0 AND r.shift_id <= ?1)",
            [shift_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(AuditFigures {
            per_group,
            per_operator,
            per_operator_tender,
            payments,
            copies,
            copies_cents,
            training_orders,
            training_cents,
            refunds,
            refunds_cents,
            corrections: 0,
            grand_total_sales_cents,
            grand_total_refunds_cents,
        })
    }
}
