//! Streams the rows of every sale in order-number order, so `verify` rebuilds each sale's
//! journal content from sequential scans instead of five look-ups per order. The values built
//! here must equal `Tx::sale_content` exactly; `verify` falls back to that function whenever
//! they differ, so a mistake here can only cost time, never raise a false alarm.

use rusqlite::{Row, Rows};
use serde_json::{Value, json};

use super::Result;

type Mapper = fn(&Row<'_>) -> rusqlite::Result<(i64, Value)>;

pub(super) struct Stream<'s> {
    rows: Rows<'s>,
    map: Mapper,
    peeked: Option<(i64, Value)>,
    done: bool,
}

impl<'s> Stream<'s> {
    pub(super) fn new(rows: Rows<'s>, map: Mapper) -> Self {
        Stream {
            rows,
            map,
            peeked: None,
            done: false,
        }
    }

    /// The values of `order_id`, skipping rows of lower order numbers.
    pub(super) fn take_for(&mut self, order_id: i64) -> Result<Vec<Value>> {
        let mut values = Vec::new();
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
                    if let Some((_, value)) = self.peeked.take() {
                        values.push(value);
                    }
                }
                _ => return Ok(values),
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
    "SELECT t.order_id, t.code, l.line_no, t.performance_id, t.price_cents
    FROM tickets t JOIN order_lines l ON l.id = t.line_id ORDER BY t.order_id, t.id";
pub(super) const PAYMENTS: &str =
    "SELECT order_id, attempt_id, tender, amount_cents, tendered_cents, change_cents, state,
    card_last4, created_at FROM payments WHERE order_id IS NOT NULL ORDER BY order_id, id";
pub(super) const RECEIPTS: &str =
    "SELECT order_id, number, kind, training, created_at FROM receipts WHERE kind = 'sale'
    ORDER BY order_id, id";

pub(super) fn order(row: &Row<'_>) -> rusqlite::Result<(i64, Value)> {
    let id: i64 = row.get(0)?;
    Ok((
        id,
        json!({
            "number": id,
            "register_id": row.get::<_, String>(1)?,
            "user_id": row.get::<_, i64>(2)?,
            "created_at": row.get::<_, String>(3)?,
            "total_cents": row.get::<_, i64>(4)?,
            "lang": row.get::<_, String>(5)?,
            "shift_id": row.get::<_, i64>(6)?,
            "customer_name": row.get::<_, Option<String>>(7)?,
            "customer_email": row.get::<_, Option<String>>(8)?,
            "training": row.get::<_, bool>(9)?,
        }),
    ))
}

pub(super) fn line(row: &Row<'_>) -> rusqlite::Result<(i64, Value)> {
    Ok((
        row.get(0)?,
        json!({
            "line_no": row.get::<_, i64>(1)?,
            "performance_id": row.get::<_, i64>(2)?,
            "category_id": row.get::<_, i64>(3)?,
            "quantity": row.get::<_, i64>(4)?,
            "unit_price_cents": row.get::<_, i64>(5)?,
            "vat_basis_points": row.get::<_, i64>(6)?,
            "gross_cents": row.get::<_, i64>(7)?,
            "vat_cents": row.get::<_, i64>(8)?,
            "net_cents": row.get::<_, i64>(9)?,
        }),
    ))
}

pub(super) fn ticket(row: &Row<'_>) -> rusqlite::Result<(i64, Value)> {
    Ok((
        row.get(0)?,
        json!({
            "code": row.get::<_, String>(1)?,
            "line_no": row.get::<_, i64>(2)?,
            "performance_id": row.get::<_, i64>(3)?,
            "price_cents": row.get::<_, i64>(4)?,
        }),
    ))
}

pub(super) fn payment(row: &Row<'_>) -> rusqlite::Result<(i64, Value)> {
    Ok((
        row.get(0)?,
        json!({
            "attempt_id": row.get::<_, String>(1)?,
            "tender": row.get::<_, String>(2)?,
            "amount_cents": row.get::<_, i64>(3)?,
            "tendered_cents": row.get::<_, Option<i64>>(4)?,
            "change_cents": row.get::<_, Option<i64>>(5)?,
            "state": row.get::<_, String>(6)?,
            "card_last4": row.get::<_, Option<String>>(7)?,
            "created_at": row.get::<_, String>(8)?,
        }),
    ))
}

pub(super) fn receipt(row: &Row<'_>) -> rusqlite::Result<(i64, Value)> {
    Ok((
        row.get(0)?,
        json!({
            "number": row.get::<_, i64>(1)?,
            "kind": row.get::<_, String>(2)?,
            "training": row.get::<_, i64>(3)?,
            "created_at": row.get::<_, String>(4)?,
        }),
    ))
}
