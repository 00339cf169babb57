//! Issue 13's rows: the register's currency and seller data, cash roundings, printed receipts.

use super::engine::{Db as _, values};
use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, ShiftId, UserId};
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
        let id = self.register_id.as_deref().unwrap_or_default();
        let code = self
            .db()
            .query_opt("SELECT currency FROM register WHERE id = ?1", &values![id])?
            .map(|row| row.text(0))
            .transpose()?;
        Ok(code
            .as_deref()
            .and_then(Currency::parse)
            .unwrap_or_default())
    }

    pub fn seller_settings(&self) -> Result<SellerSettings> {
        let id = self.register_id.as_deref().unwrap_or_default();
        let row = self.db().query_opt(
            "SELECT seller_name, business_id, seller_address, vat_number, receipt_print, currency,
                    receipt_printer
             FROM register WHERE id = ?1",
            &values![id],
        )?;
        let Some(row) = row else {
            return Ok(SellerSettings::default());
        };
        Ok(SellerSettings {
            seller_name: row.text(0)?,
            business_id: row.text(1)?,
            seller_address: row.text(2)?,
            vat_number: row.text(3)?,
            receipt_print: row.text(4)?,
            currency: row.text(5)?,
            receipt_printer: row.text(6)?,
        })
    }

    /// Writes the seller settings and journals them (`register.seller`). The database refuses
    /// a currency change once the register has shifts or sales.
    pub fn set_seller_settings(
        &mut self,
        settings: &SellerSettings,
        user_id: UserId,
    ) -> Result<()> {
        // This register's row only: on the shared ledger every register has its own.
        let id = self.register_id()?.to_string();
        self.db().execute(
            "UPDATE register SET seller_name = ?1, business_id = ?2, seller_address = ?3, vat_number = ?4,
                                 receipt_print = ?5, currency = ?6, receipt_printer = ?7
             WHERE id = ?8",
            &values![
                settings.seller_name.as_str(),
                settings.business_id.as_str(),
                settings.seller_address.as_str(),
                settings.vat_number.as_str(),
                settings.receipt_print.as_str(),
                settings.currency.as_str(),
                settings.receipt_printer.as_str(),
                id
            ],
        )?;
        self.append_journal(
            JournalKind::RegisterSeller,
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
        let id = self
            .db()
            .query_one(
                "INSERT INTO cash_roundings (order_id, refund_id, shift_id, amount_cents, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                &values![order_id, refund_id, shift_id, amount_cents, now],
            )?
            .int(0)?;
        let content = self.cash_rounding_content(id)?;
        self.append_journal(
            JournalKind::CashRounding,
            Some(user_id),
            Some(order_id),
            &content,
        )?;
        Ok(())
    }

    /// What the journal records of a cash rounding, rebuilt from its row (`verify` compares).
    pub(super) fn cash_rounding_content(&self, id: i64) -> Result<serde_json::Value> {
        let row = self.db().query_one(
            "SELECT id, order_id, refund_id, shift_id, amount_cents, created_at FROM cash_roundings WHERE id = ?1",
            &values![id],
        )?;
        Ok(json!({
            "rounding_id": row.int(0)?,
            "order_id": row.int(1)?,
            "refund_id": row.opt_int(2)?,
            "shift_id": row.int(3)?,
            "amount_cents": row.int(4)?,
            "created_at": row.text(5)?,
        }))
    }

    /// The cash rounding of a sale, 0 when it was not rounded.
    pub fn sale_rounding_cents(&self, order_id: OrderNumber) -> Result<i64> {
        self.db()
            .query_one(
                "SELECT CAST(coalesce(sum(amount_cents), 0) AS bigint) FROM cash_roundings
                 WHERE order_id = ?1 AND refund_id IS NULL",
                &values![order_id],
            )?
            .int(0)
    }

    /// Cash rounding of a shift's real (not training) sales and refunds: (sales, refunds).
    pub fn shift_rounding_cents(&self, shift_id: ShiftId) -> Result<(i64, i64)> {
        let row = self.db().query_one(
            "SELECT CAST(coalesce(sum(CASE WHEN c.refund_id IS NULL THEN c.amount_cents END), 0) AS bigint),
                    CAST(coalesce(sum(CASE WHEN c.refund_id IS NOT NULL THEN c.amount_cents END), 0) AS bigint)
             FROM cash_roundings c JOIN orders o ON o.id = c.order_id
             WHERE c.shift_id = ?1 AND o.training = 0",
            &values![shift_id],
        )?;
        Ok((row.int(0)?, row.int(1)?))
    }

    /// The receipt row id of a sale's (or a refund's) receipt.
    pub fn receipt_id(&self, order_id: OrderNumber, refund_id: Option<i64>) -> Result<Option<i64>> {
        self.db()
            .query_opt(
                "SELECT id FROM receipts WHERE order_id = ?1
                    AND (refund_id = ?2 OR (refund_id IS NULL AND CAST(?2 AS bigint) IS NULL)) ORDER BY id LIMIT 1",
                &values![order_id, refund_id],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    /// Prints of one receipt, oldest first.
    pub fn receipt_prints(&self, receipt_id: i64) -> Result<Vec<ReceiptPrintRow>> {
        self.db()
            .query(
                "SELECT kind, transport, created_at FROM receipt_prints WHERE receipt_id = ?1 ORDER BY id",
                &values![receipt_id],
            )?
            .iter()
            .map(|row| {
                Ok(ReceiptPrintRow {
                    kind: row.text(0)?,
                    transport: row.text(1)?,
                    created_at: row.text(2)?,
                })
            })
            .collect()
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
        self.db().execute(
            "INSERT INTO receipt_prints (receipt_id, kind, user_id, transport, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &values![receipt_id, kind, user_id, transport, now],
        )?;
        self.append_journal(
            JournalKind::ReceiptPrint,
            Some(user_id),
            Some(order_id),
            &json!({"receipt_id": receipt_id, "kind": kind, "transport": transport, "created_at": now}),
        )?;
        Ok(())
    }

    /// Copies of receipts printed from `from` to `to` (or now): the X and Z reports count them.
    pub fn receipt_copies_between(&self, from: &str, to: Option<&str>) -> Result<i64> {
        self.db()
            .query_one(
                "SELECT count(*) FROM receipt_prints WHERE kind = 'copy' AND created_at >= ?1
                    AND (CAST(?2 AS text) IS NULL OR created_at <= ?2)",
                &values![from, to],
            )?
            .int(0)
    }
}

impl Tx<'_> {
    /// What a refund took back per VAT rate: (basis points, gross, VAT).
    pub fn refund_vat(&self, refund_id: i64) -> Result<Vec<(i64, i64, i64)>> {
        self.db()
            .query(
                "SELECT l.vat_basis_points, CAST(sum(rl.amount_cents) AS bigint), CAST(sum(rl.vat_cents) AS bigint)
                 FROM refund_lines rl JOIN order_lines l ON l.id = rl.line_id
                 WHERE rl.refund_id = ?1 GROUP BY l.vat_basis_points ORDER BY l.vat_basis_points",
                &values![refund_id],
            )?
            .iter()
            .map(|row| Ok((row.int(0)?, row.int(1)?, row.int(2)?)))
            .collect()
    }
}

impl Tx<'_> {
    /// Whether the register has opened a shift or sold anything (its currency is then fixed).
    pub fn has_shifts_or_sales(&self) -> Result<bool> {
        // This register's (the shared ledger's other registers keep their own currencies).
        let id = self.register_id()?.to_string();
        let mut db = self.db();
        Ok(db
            .query_opt(
                "SELECT 1 FROM shifts WHERE register_id = ?1 LIMIT 1",
                &values![id.as_str()],
            )?
            .is_some()
            || db
                .query_opt(
                    "SELECT 1 FROM orders WHERE register_id = ?1 LIMIT 1",
                    &values![id.as_str()],
                )?
                .is_some())
    }

    /// The cash rounding of a refund, 0 when none.
    pub fn refund_rounding_cents(&self, refund_id: i64) -> Result<i64> {
        self.db()
            .query_one(
                "SELECT CAST(coalesce(sum(amount_cents), 0) AS bigint) FROM cash_roundings WHERE refund_id = ?1",
                &values![refund_id],
            )?
            .int(0)
    }
}

impl Tx<'_> {
    /// Sets this register's currency (the database refuses once it has shifts or sales).
    pub fn set_currency(&mut self, currency: Currency) -> Result<()> {
        let id = self.register_id()?.to_string();
        self.db().execute(
            "UPDATE register SET currency = ?1 WHERE id = ?2",
            &values![currency.code(), id],
        )?;
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
        let mut figures = self.audit_lists(shift_id)?;
        self.audit_counts(shift_id, from, to, &mut figures)?;
        Ok(figures)
    }

    /// The lists of the figures: per group, per operator, per operator and tender, payments.
    fn audit_lists(&self, shift_id: ShiftId) -> Result<AuditFigures> {
        let db = || self.db();
        let rows4 = |sql: &str| -> Result<Vec<(i64, String, i64, i64)>> {
            db().query(sql, &values![shift_id])?
                .iter()
                .map(|row| Ok((row.int(0)?, row.text(1)?, row.int(2)?, row.int(3)?)))
                .collect()
        };
        let per_group = rows4(
            "SELECT e.id, e.name_fi, CAST(sum(l.quantity) AS bigint), CAST(sum(l.gross_cents) AS bigint)
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             JOIN performances p ON p.id = l.performance_id JOIN events e ON e.id = p.event_id
             WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') GROUP BY e.id ORDER BY e.id",
        )?;
        let per_operator = rows4(
            "SELECT u.id, u.name, count(*), CAST(sum(o.total_cents) AS bigint) FROM orders o JOIN users u ON u.id = o.user_id
             WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') GROUP BY u.id ORDER BY u.id",
        )?;
        let per_operator_tender: Vec<(i64, String, i64, i64)> = rows4(
            "SELECT o.user_id, p.tender, count(*), CAST(sum(p.amount_cents) AS bigint)
             FROM payments p JOIN orders o ON o.id = p.order_id
             WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') AND p.state = 'approved'
             GROUP BY o.user_id, p.tender ORDER BY o.user_id, p.tender",
        )?;
        let payments = db()
            .query(
                "SELECT p.tender, count(*), CAST(sum(p.amount_cents) AS bigint) FROM payments p JOIN orders o ON o.id = p.order_id
                 WHERE o.id IN (SELECT order_id FROM receipts WHERE shift_id = ?1 AND training = 0 AND kind = 'sale') AND p.state = 'approved'
                 GROUP BY p.tender ORDER BY p.tender",
                &values![shift_id],
            )?
            .iter()
            .map(|row| Ok((row.text(0)?, row.int(1)?, row.int(2)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(AuditFigures {
            per_group,
            per_operator,
            per_operator_tender,
            payments,
            ..AuditFigures::default()
        })
    }

    /// The counts and sums of the figures: copies, training, refunds, the grand totals.
    fn audit_counts(
        &self,
        shift_id: ShiftId,
        from: &str,
        to: Option<&str>,
        figures: &mut AuditFigures,
    ) -> Result<()> {
        let pair = |sql: &str, params: &[super::engine::Value]| -> Result<(i64, i64)> {
            let row = self.db().query_one(sql, params)?;
            Ok((row.int(0)?, row.int(1)?))
        };
        (figures.copies, figures.copies_cents) = pair(
            "SELECT count(*), CAST(coalesce(sum(CASE WHEN r.kind = 'refund' THEN -f.amount_cents ELSE o.total_cents END), 0) AS bigint)
             FROM receipt_prints rp JOIN receipts r ON r.id = rp.receipt_id JOIN orders o ON o.id = r.order_id
             LEFT JOIN refunds f ON f.id = r.refund_id
             WHERE rp.kind = 'copy' AND rp.created_at >= ?1 AND (CAST(?2 AS text) IS NULL OR rp.created_at <= ?2)",
            &values![from, to],
        )?;
        (figures.training_orders, figures.training_cents) = pair(
            "SELECT count(*), CAST(coalesce(sum(total_cents), 0) AS bigint) FROM orders WHERE shift_id = ?1 AND training = 1",
            &values![shift_id],
        )?;
        (figures.refunds, figures.refunds_cents) = pair(
            "SELECT count(*), CAST(coalesce(sum(r.amount_cents), 0) AS bigint) FROM refunds r JOIN orders o ON o.id = r.order_id
             WHERE r.shift_id = ?1 AND o.training = 0",
            &values![shift_id],
        )?;
        (
            figures.grand_total_sales_cents,
            figures.grand_total_refunds_cents,
        ) = pair(
            "SELECT (SELECT CAST(coalesce(sum(total_cents), 0) AS bigint) FROM orders WHERE training = 0 AND shift_id <= ?1
                       AND register_id = (SELECT register_id FROM shifts WHERE id = ?1)),
                    (SELECT CAST(coalesce(sum(r.amount_cents), 0) AS bigint) FROM refunds r JOIN orders o ON o.id = r.order_id
                     JOIN shifts s ON s.id = r.shift_id
                     WHERE o.training = 0 AND r.shift_id <= ?1
                       AND s.register_id = (SELECT register_id FROM shifts WHERE id = ?1))",
            &values![shift_id],
        )?;
        figures.corrections = 0;
        Ok(())
    }
}
