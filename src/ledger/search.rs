//! Finding orders: by ticket code, order or receipt number, customer name or e-mail prefix,
//! or the last four digits of a card. Every look-up uses an index.

use crate::domain::ids::{OrderNumber, ShiftId};

use super::engine::{Db as _, by_code_point, values};
use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderHit {
    pub order_number: OrderNumber,
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
    OrderNumber(OrderNumber),
    ReceiptNumber(i64),
    CardLast4(&'a str),
    /// Customer name or e-mail starting with this (any case).
    NameOrEmailPrefix(&'a str),
}

impl Tx<'_> {
    /// Order numbers matching one key, newest first, at most `limit`.
    pub fn find_orders(&self, key: &OrderKey<'_>, limit: i64) -> Result<Vec<OrderNumber>> {
        let mut db = self.db();
        let rows = match key {
            OrderKey::TicketCode(code) => db.query(
                "SELECT order_id FROM tickets WHERE code = ?1
                 UNION ALL SELECT t.order_id FROM ticket_reissues r JOIN tickets t ON t.id = r.ticket_id WHERE r.new_code = ?1
                 LIMIT 1",
                &values![*code],
            )?,
            OrderKey::OrderNumber(number) => {
                db.query("SELECT id FROM orders WHERE id = ?1", &values![*number])?
            }
            OrderKey::ReceiptNumber(number) => {
                let register_id = self.register_id()?.to_string();
                db.query(
                    "SELECT order_id FROM receipts WHERE register_id = ?1 AND training = 0 AND number = ?2",
                    &values![register_id, *number],
                )?
            }
            OrderKey::CardLast4(digits) => db.query(
                "SELECT DISTINCT order_id FROM payments WHERE card_last4 = ?1 AND order_id IS NOT NULL
                 ORDER BY order_id DESC LIMIT ?2",
                &values![*digits, limit],
            )?,
            OrderKey::NameOrEmailPrefix(prefix) => {
                return Ok(self
                    .orders_by_word_prefix(prefix, limit)?
                    .into_iter()
                    .map(OrderNumber)
                    .collect());
            }
        };
        rows.iter().map(|row| row.int(0).map(OrderNumber)).collect()
    }

    /// A line of a search result for each order.
    pub fn order_hit(&self, order_id: OrderNumber) -> Result<Option<OrderHit>> {
        let row = self.db().query_opt(
            "SELECT o.id, (SELECT number FROM receipts r WHERE r.order_id = o.id AND r.kind = 'sale'), o.created_at,
                    o.customer_name, o.customer_email, e.name_fi, p.starts_at, o.total_cents,
                    (SELECT CAST(coalesce(sum(amount_cents), 0) AS bigint) FROM refunds f WHERE f.order_id = o.id),
                    (SELECT count(*) FROM tickets t WHERE t.order_id = o.id),
                    (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.state = 'valid'),
                    o.training
             FROM orders o
             JOIN order_lines l ON l.order_id = o.id AND l.line_no = 1
             JOIN performances p ON p.id = l.performance_id
             JOIN events e ON e.id = p.event_id
             WHERE o.id = ?1",
            &values![order_id],
        )?;
        row.map(|row| {
            Ok(OrderHit {
                order_number: OrderNumber(row.int(0)?),
                receipt_number: row.opt_int(1)?,
                created_at: row.text(2)?,
                customer_name: row.opt_text(3)?,
                customer_email: row.opt_text(4)?,
                event: row.text(5)?,
                starts_at: row.text(6)?,
                total_cents: row.int(7)?,
                refunded_cents: row.int(8)?,
                tickets: row.int(9)?,
                valid_tickets: row.int(10)?,
                training: row.int(11)? != 0,
            })
        })
        .transpose()
    }
}

/// Kind 0 of `order_words`: a word of the name, the first word of the e-mail.
const WORD: i64 = 0;
/// Kind 1: the whole name, the whole e-mail.
const WHOLE: i64 = 1;
/// Past this many distinct words in a prefix's range, the range is read as one.
const MAX_WORDS: usize = 64;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\''
}

/// The search words of an order, as `(kind, word)`: each word of the name and the first word of
/// the e-mail (kind 0), the whole name when it has more than one word and the whole e-mail
/// (kind 1); lower-cased, without duplicates.
pub(super) fn order_words(name: Option<&str>, email: Option<&str>) -> Vec<(i64, String)> {
    let mut words: Vec<(i64, String)> = Vec::new();
    let mut push = |kind: i64, word: String| {
        if !word.is_empty() && !words.iter().any(|(k, w)| *k == kind && *w == word) {
            words.push((kind, word));
        }
    };
    if let Some(name) = name {
        let name = name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let mut parts = 0;
        for word in name
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
        {
            push(WORD, word.to_string());
            parts += 1;
        }
        if parts > 1 || name.chars().any(|c| !is_word_char(c)) {
            push(WHOLE, name);
        }
    }
    if let Some(email) = email {
        let email = email.trim().to_lowercase();
        if let Some(first) = email.split(|c: char| !c.is_alphanumeric()).next() {
            push(WORD, first.to_string());
        }
        push(WHOLE, email);
    }
    words
}

/// Writes the search words of every order (after migration 12).
pub(super) fn fill_order_words(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let mut select = tx.prepare(
        "SELECT id, customer_name, customer_email FROM orders
         WHERE customer_name IS NOT NULL OR customer_email IS NOT NULL",
    )?;
    let mut insert =
        tx.prepare("INSERT OR IGNORE INTO order_words (kind, word, order_id) VALUES (?1, ?2, ?3)")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let name: Option<String> = row.get(1)?;
        let email: Option<String> = row.get(2)?;
        for (kind, word) in order_words(name.as_deref(), email.as_deref()) {
            insert.execute(rusqlite::params![kind, word, id])?;
        }
    }
    Ok(())
}

impl Tx<'_> {
    /// Writes the search words of a new order (in the sale's transaction).
    pub(super) fn insert_order_words(
        &self,
        order_id: OrderNumber,
        name: Option<&str>,
        email: Option<&str>,
    ) -> Result<()> {
        let words = order_words(name, email);
        if words.is_empty() {
            return Ok(());
        }
        use super::engine::Db as _;
        let mut db = self.db();
        for (kind, word) in words {
            db.execute(
                "INSERT INTO order_words (kind, word, order_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                &super::engine::values![kind, word, order_id],
            )?;
        }
        Ok(())
    }

    /// The `limit` newest orders with a name word, the name or the e-mail starting with `prefix`
    /// (any case). A prefix of letters and digits is looked up among the words, anything else
    /// (a space, a dot, an @) among the whole names and e-mails. Each distinct word in the
    /// prefix's range gives its newest orders from one index seek, so the cost follows the
    /// words, not the orders; past [`MAX_WORDS`] words the range is read as one.
    fn orders_by_word_prefix(&self, prefix: &str, limit: i64) -> Result<Vec<i64>> {
        let prefix = prefix
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if prefix.is_empty() || limit <= 0 {
            return Ok(Vec::new());
        }
        let kind = if prefix.chars().all(is_word_char) {
            WORD
        } else {
            WHOLE
        };
        let end = format!("{prefix}{}", char::MAX);
        let mut db = self.db();
        let text = by_code_point(db.engine());
        // The first word at or after the prefix, then each next word strictly after the last.
        let first = format!(
            "SELECT word FROM order_words WHERE kind = ?1 AND word{text} >= ?2 AND word{text} < ?3 ORDER BY word{text} LIMIT 1"
        );
        let next = format!(
            "SELECT word FROM order_words WHERE kind = ?1 AND word{text} > ?2 AND word{text} < ?3 ORDER BY word{text} LIMIT 1"
        );
        let newest = "SELECT order_id FROM order_words WHERE kind = ?1 AND word = ?2 ORDER BY order_id DESC LIMIT ?3";
        let mut ids: Vec<i64> = Vec::new();
        let mut words = 0;
        let mut found = db.query_opt(&first, &values![kind, prefix.as_str(), end.as_str()])?;
        while let Some(row) = found {
            let word = row.text(0)?;
            words += 1;
            if words > MAX_WORDS {
                return db
                    .query(
                        &format!(
                            "SELECT DISTINCT order_id FROM order_words WHERE kind = ?1 AND word{text} >= ?2 AND word{text} < ?3
                             ORDER BY order_id DESC LIMIT ?4"
                        ),
                        &values![kind, prefix.as_str(), end.as_str(), limit],
                    )?
                    .iter()
                    .map(|row| row.int(0))
                    .collect();
            }
            for row in db.query(newest, &values![kind, word.as_str(), limit])? {
                ids.push(row.int(0)?);
            }
            found = db.query_opt(&next, &values![kind, word.as_str(), end.as_str()])?;
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        ids.truncate(limit as usize);
        Ok(ids)
    }
}

impl Tx<'_> {
    /// Up to `n` ticket codes spread over the ledger (for benchmarks).
    pub fn sample_ticket_codes(&self, n: i64) -> Result<Vec<String>> {
        let mut db = self.db();
        let max = db
            .query_one("SELECT coalesce(max(id), 0) FROM tickets", &[])?
            .int(0)?;
        let step = (max / n.max(1)).max(1);
        db.query(
            "SELECT code FROM tickets WHERE id % ?1 = 0 LIMIT ?2",
            &values![step, n],
        )?
        .iter()
        .map(|row| row.text(0))
        .collect()
    }

    /// The shift with the most orders (for benchmarks).
    pub fn busiest_shift(&self) -> Result<Option<ShiftId>> {
        self.db()
            .query_opt(
                "SELECT shift_id FROM receipts WHERE kind = 'sale' GROUP BY shift_id ORDER BY count(*) DESC LIMIT 1",
                &[],
            )?
            .map(|row| row.int(0).map(ShiftId))
            .transpose()
    }
}
