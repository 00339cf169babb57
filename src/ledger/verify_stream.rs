//! Streams the rows of every sale in order-number order and writes each sale's journal content
//! as canonical JSON text directly (keys sorted, as `journal::canonical` writes them), so
//! `verify` compares bytes instead of parsing and building values for every order. When the
//! text differs, `verify` decides with the exact per-order path (`Tx::sale_content`), so a
//! mistake here can only cost time, never raise a false alarm or hide a change.

use std::fmt::Write;

use rusqlite::{Row, Rows};

use super::Result;

pub(super) struct Stream<'s, T> {
    rows: Rows<'s>,
    map: fn(&Row<'_>) -> rusqlite::Result<(i64, T)>,
    peeked: Option<(i64, T)>,
    done: bool,
}

impl<'s, T> Stream<'s, T> {
    pub(super) fn new(rows: Rows<'s>, map: fn(&Row<'_>) -> rusqlite::Result<(i64, T)>) -> Self {
        Stream {
            rows,
            map,
            peeked: None,
            done: false,
        }
    }

    /// The items of `order_id`, skipping rows of lower order numbers.
    pub(super) fn take_for(&mut self, order_id: i64) -> Result<Vec<T>> {
        let mut items = Vec::new();
        loop {
            if self.peeked.is_none() && !self.done {
                match self.rows.next()? {
                    Some(row) => self.peeked = Some((self.map)(row)?),
                    None => self.done = true,
                }
            }
            match &self.peeked {
                Some((id, _)) if *id < order_id => self.peeked = None,
                Some((id, _)) if *id == order_id => {
                    if let Some((_, item)) = self.peeked.take() {
                        items.push(item);
                    }
                }
                _ => return Ok(items),
            }
        }
    }
}

pub(super) const ORDERS: &str =
    "SELECT id, register_id, user_id, created_at, total_cents, lang, shift_id, customer_name,
    customer_email, training FROM orders ORDER BY id";
pub(super) const LINES: &str = "SELECT order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
    vat_basis_points, gross_cents, vat_cents, net_cents FROM order_lines ORDER BY order_id, line_no";
pub(super) const TICKETS: &str =
    "SELECT t.order_id, t.code, l.line_no, t.performance_id, t.price_cents, NULL
    FROM tickets t JOIN order_lines l ON l.id = t.line_id ORDER BY t.order_id, t.id";
/// The same with each ticket's first seat, for a ledger that has seated tickets (a look-up per
/// ticket, so only then).
pub(super) const SEATED_TICKETS: &str =
    "SELECT t.order_id, t.code, l.line_no, t.performance_id, t.price_cents,
    (SELECT seat_id FROM ticket_seats s WHERE s.ticket_id = t.id ORDER BY s.id LIMIT 1)
    FROM tickets t JOIN order_lines l ON l.id = t.line_id ORDER BY t.order_id, t.id";
pub(super) const PAYMENTS: &str =
    "SELECT order_id, attempt_id, tender, amount_cents, tendered_cents, change_cents, state,
    card_last4, created_at FROM payments WHERE order_id IS NOT NULL ORDER BY order_id, id";
pub(super) const RECEIPTS: &str =
    "SELECT order_id, number, kind, training, created_at FROM receipts WHERE kind = 'sale'
    ORDER BY order_id, id";

/// A JSON string literal exactly as serde_json writes it.
fn text(out: &mut String, value: &str) {
    out.push_str(&serde_json::to_string(value).unwrap_or_default());
}

fn optional_text(out: &mut String, value: Option<String>) {
    match value {
        Some(value) => text(out, &value),
        None => out.push_str("null"),
    }
}

fn optional_int(out: &mut String, value: Option<i64>) {
    match value {
        Some(value) => {
            let _ = write!(out, "{value}");
        }
        None => out.push_str("null"),
    }
}

/// The order object; keys in sorted order.
pub(super) fn order(row: &Row<'_>) -> rusqlite::Result<(i64, (String, i64))> {
    let id: i64 = row.get(0)?;
    let total: i64 = row.get(4)?;
    let mut out = String::with_capacity(256);
    out.push_str("{\"created_at\":");
    text(&mut out, &row.get::<_, String>(3)?);
    out.push_str(",\"customer_email\":");
    optional_text(&mut out, row.get(8)?);
    out.push_str(",\"customer_name\":");
    optional_text(&mut out, row.get(7)?);
    out.push_str(",\"lang\":");
    text(&mut out, &row.get::<_, String>(5)?);
    let _ = write!(out, ",\"number\":{id},\"register_id\":");
    text(&mut out, &row.get::<_, String>(1)?);
    let _ = write!(
        out,
        ",\"shift_id\":{},\"total_cents\":{total},\"training\":{},\"user_id\":{}}}",
        row.get::<_, i64>(6)?,
        row.get::<_, bool>(9)?,
        row.get::<_, i64>(2)?
    );
    Ok((id, (out, total)))
}

pub(super) fn line(row: &Row<'_>) -> rusqlite::Result<(i64, String)> {
    let int = |i: usize| row.get::<_, i64>(i);
    Ok((
        int(0)?,
        format!(
            "{{\"category_id\":{},\"gross_cents\":{},\"line_no\":{},\"net_cents\":{},\"performance_id\":{},\"quantity\":{},\"unit_price_cents\":{},\"vat_basis_points\":{},\"vat_cents\":{}}}",
            int(3)?,
            int(7)?,
            int(1)?,
            int(9)?,
            int(2)?,
            int(4)?,
            int(5)?,
            int(6)?,
            int(8)?
        ),
    ))
}

/// A ticket object and its price.
pub(super) fn ticket(row: &Row<'_>) -> rusqlite::Result<(i64, (String, i64))> {
    let price: i64 = row.get(4)?;
    let mut out = String::with_capacity(96);
    out.push_str("{\"code\":");
    text(&mut out, &row.get::<_, String>(1)?);
    let _ = write!(
        out,
        ",\"line_no\":{},\"performance_id\":{},\"price_cents\":{price}",
        row.get::<_, i64>(2)?,
        row.get::<_, i64>(3)?
    );
    if let Some(seat_id) = row.get::<_, Option<i64>>(5)? {
        let _ = write!(out, ",\"seat_id\":{seat_id}");
    }
    out.push('}');
    Ok((row.get(0)?, (out, price)))
}

/// A payment object and, when approved, its amount.
pub(super) fn payment(row: &Row<'_>) -> rusqlite::Result<(i64, (String, i64))> {
    let amount: i64 = row.get(3)?;
    let state: String = row.get(6)?;
    let mut out = String::with_capacity(200);
    let _ = write!(out, "{{\"amount_cents\":{amount},\"attempt_id\":");
    text(&mut out, &row.get::<_, String>(1)?);
    out.push_str(",\"card_last4\":");
    optional_text(&mut out, row.get(7)?);
    out.push_str(",\"change_cents\":");
    optional_int(&mut out, row.get(5)?);
    out.push_str(",\"created_at\":");
    text(&mut out, &row.get::<_, String>(8)?);
    out.push_str(",\"state\":");
    text(&mut out, &state);
    out.push_str(",\"tender\":");
    text(&mut out, &row.get::<_, String>(2)?);
    out.push_str(",\"tendered_cents\":");
    optional_int(&mut out, row.get(4)?);
    out.push('}');
    Ok((
        row.get(0)?,
        (out, if state == "approved" { amount } else { 0 }),
    ))
}

pub(super) fn receipt(row: &Row<'_>) -> rusqlite::Result<(i64, String)> {
    let mut out = String::with_capacity(96);
    out.push_str("{\"created_at\":");
    text(&mut out, &row.get::<_, String>(4)?);
    out.push_str(",\"kind\":");
    text(&mut out, &row.get::<_, String>(2)?);
    let _ = write!(
        out,
        ",\"number\":{},\"training\":{}}}",
        row.get::<_, i64>(1)?,
        row.get::<_, i64>(3)?
    );
    Ok((row.get(0)?, out))
}

/// One sale's content as canonical JSON text, with the sums `verify` checks.
pub(super) struct StreamedSale {
    pub content: String,
    pub total_cents: i64,
    pub tickets_cents: i64,
    pub approved_cents: i64,
}

pub(super) fn sale(
    order: Option<(String, i64)>,
    lines: Vec<String>,
    tickets: Vec<(String, i64)>,
    payments: Vec<(String, i64)>,
    receipts: Vec<String>,
) -> StreamedSale {
    let (order, total_cents) = order.unwrap_or_else(|| ("null".to_string(), 0));
    let join = |items: &[String]| items.join(",");
    let tickets_cents = tickets.iter().map(|(_, price)| price).sum();
    let approved_cents = payments.iter().map(|(_, amount)| amount).sum();
    let tickets: Vec<String> = tickets.into_iter().map(|(text, _)| text).collect();
    let payments: Vec<String> = payments.into_iter().map(|(text, _)| text).collect();
    StreamedSale {
        content: format!(
            "{{\"lines\":[{}],\"order\":{order},\"payments\":[{}],\"receipts\":[{}],\"tickets\":[{}]}}",
            join(&lines),
            join(&payments),
            join(&receipts),
            join(&tickets)
        ),
        total_cents,
        tickets_cents,
        approved_cents,
    }
}
