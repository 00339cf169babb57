//! Finding orders: by ticket code, order or receipt number, customer name or e-mail prefix,
//! or the last four digits of a card. Every look-up uses an index.

use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderHit {
    pub order_number: i64,
    pub receipt_number: Option<i64>,
    pub created_at: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub event: String,
    pub starts_at: String,
    pub total_cents: i64,
    pub refunded_cents: i64,
    pub tickets: i64,
    pub valid_tickets: i64,
    pub training: bool,
}

/// What a search term is taken as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderKey<'a> {
    TicketCode(&'a str),
    OrderNumber(i64),
    ReceiptNumber(i64),
    CardLast4(&'a str),
    /// Customer name or e-mail starting with this (any case).
    NameOrEmailPrefix(&'a str),
}

impl Tx<'_> {
    /// Order numbers matching one key, newest first, at most `limit`.
    pub fn find_orders(&self, key: &OrderKey<'_>, limit: i64) -> Result<Vec<i64>> {
        let ids: Vec<i64> = match key {
            OrderKey::TicketCode(code) => self
                .tx
                .prepare_cached(
                    "SELECT order_id FROM tickets WHERE code = ?1
                     UNION ALL SELECT t.order_id FROM ticket_reissues r JOIN tickets t ON t.id = r.ticket_id WHERE r.new_code = ?1",
                )?
                .query_row([code], |row| row.get(0))
                .optional()?
                .into_iter()
                .collect(),
            OrderKey::OrderNumber(number) => self
                .tx
                .prepare_cached("SELECT id FROM orders WHERE id = ?1")?
                .query_row([number], |row| row.get(0))
                .optional()?
                .into_iter()
                .collect(),
            OrderKey::ReceiptNumber(number) => {
                let register_id = self.register_id()?.to_string();
                self.tx
                    .prepare_cached("SELECT order_id FROM receipts WHERE register_id = ?1 AND training = 0 AND number = ?2")?
                    .query_row(params![register_id, number], |row| row.get(0))
                    .optional()?
                    .into_iter()
                    .collect()
            }
            OrderKey::CardLast4(digits) => self
                .tx
                .prepare_cached(
                    "SELECT DISTINCT order_id FROM payments WHERE card_last4 = ?1 AND order_id IS NOT NULL
                     ORDER BY order_id DESC LIMIT ?2",
                )?
                .query_map(params![digits, limit], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            OrderKey::NameOrEmailPrefix(prefix) => {
                let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                let pattern = format!("{escaped}%");
                let mut ids: Vec<i64> = self
                    .tx
                    .prepare_cached(
                        "SELECT id FROM orders WHERE customer_name IS NOT NULL AND customer_name LIKE ?1 ESCAPE '\\'
                         UNION SELECT id FROM orders WHERE customer_email IS NOT NULL AND customer_email LIKE ?1 ESCAPE '\\'
                         ORDER BY 1 DESC LIMIT ?2",
                    )?
                    .query_map(params![pattern, limit], |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                ids.truncate(limit as usize);
                ids
            }
        };
        Ok(ids)
    }

    /// A line of a search result for each order.
    pub fn order_hit(&self, order_id: i64) -> Result<Option<OrderHit>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT o.id, (SELECT number FROM receipts r WHERE r.order_id = o.id AND r.kind = 'sale'), o.created_at,
                        o.customer_name, o.customer_email, e.name_fi, p.starts_at, o.total_cents,
                        (SELECT coalesce(sum(amount_cents), 0) FROM refunds f WHERE f.order_id = o.id),
                        (SELECT count(*) FROM tickets t WHERE t.order_id = o.id),
                        (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.state = 'valid'),
                        o.training
                 FROM orders o
                 JOIN order_lines l ON l.order_id = o.id AND l.line_no = 1
                 JOIN performances p ON p.id = l.performance_id
                 JOIN events e ON e.id = p.event_id
                 WHERE o.id = ?1",
            )?
            .query_row([order_id], |row| {
                Ok(OrderHit {
                    order_number: row.get(0)?,
                    receipt_number: row.get(1)?,
                    created_at: row.get(2)?,
                    customer_name: row.get(3)?,
                    customer_email: row.get(4)?,
                    event: row.get(5)?,
                    starts_at: row.get(6)?,
                    total_cents: row.get(7)?,
                    refunded_cents: row.get(8)?,
                    tickets: row.get(9)?,
                    valid_tickets: row.get(10)?,
                    training: row.get(11)?,
                })
            })
            .optional()?)
    }
}

impl Tx<'_> {
    /// Up to `n` ticket codes spread over the ledger (for benchmarks).
    pub fn sample_ticket_codes(&self, n: i64) -> Result<Vec<String>> {
        let max: i64 =
            self.tx
                .query_row("SELECT coalesce(max(id), 0) FROM tickets", [], |row| {
                    row.get(0)
                })?;
        let step = (max / n.max(1)).max(1);
        let mut statement = self
            .tx
            .prepare("SELECT code FROM tickets WHERE id % ?1 = 0 LIMIT ?2")?;
        let codes = statement.query_map(params![step, n], |row| row.get(0))?;
        Ok(codes.collect::<rusqlite::Result<_>>()?)
    }

    /// The shift with the most orders (for benchmarks).
    pub fn busiest_shift(&self) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_row(
                "SELECT shift_id FROM receipts WHERE kind = 'sale' GROUP BY shift_id ORDER BY count(*) DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?)
    }
}
