//! A sale's journal content as canonical JSON text (keys sorted, as `journal::canonical` writes
//! them), written straight into reused buffers: by the sale itself from what it wrote, and by
//! `verify` from the rows it streams in order-number order. `verify` then compares bytes instead
//! of parsing and building values for every order. When the text differs, `verify` decides with
//! the exact per-order path (`Tx::sale_content`), so a mistake here can only cost time, never
//! raise a false alarm or hide a change.

use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::types::ValueRef;
use rusqlite::{Row, Rows};

use super::{LedgerError, Result};

/// Rows expected in the order of their order id (column 0), consumed one order at a time; a row of
/// a lower order id than the row before stops the stream. Each row's order id is read once.
pub(super) struct Stream<'s> {
    rows: Rows<'s>,
    /// The order id of the row the stream is at; `None` at the end (and before the start).
    head: Option<i64>,
    started: bool,
}

impl<'s> Stream<'s> {
    pub(super) fn new(rows: Rows<'s>) -> Self {
        Stream {
            rows,
            head: None,
            started: false,
        }
    }

    /// To the next row, reading its order id: a row of a lower order id than the row before
    /// stops the stream ([`RowOrder::Written`] found not to hold).
    fn advance(&mut self) -> Result<()> {
        self.rows.advance()?;
        self.started = true;
        let before = self.head;
        self.head = match self.rows.get() {
            Some(row) => Some(row.get(0)?),
            None => None,
        };
        match (before, self.head) {
            (Some(before), Some(now)) if now < before => Err(LedgerError::UnorderedSaleRows),
            _ => Ok(()),
        }
    }

    /// The order id of the next row, `None` at the end.
    pub(super) fn head(&mut self) -> Result<Option<i64>> {
        if !self.started {
            self.advance()?;
        }
        Ok(self.head)
    }

    /// Calls `f(row, true)` with each row of `order_id` and `f(row, false)` with each row of a
    /// lower order id, leaving the stream at the first row of a higher one (`i64::MAX`: every
    /// remaining row).
    pub(super) fn take_for(
        &mut self,
        order_id: i64,
        mut f: impl FnMut(&Row<'_>, bool) -> rusqlite::Result<()>,
    ) -> Result<()> {
        while let Some(id) = self.head()?
            && id <= order_id
        {
            if let Some(row) = self.rows.get() {
                f(row, id == order_id)?;
            }
            self.advance()?;
        }
        Ok(())
    }
}

/// The order the sales' streams read their tables in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RowOrder {
    /// Each table in its own row-id order, without an index look-up per row (issue 16: 1.9
    /// million searches of the tables at 1M tickets). A sale writes its rows after the rows of
    /// every earlier order, so on a ledger this program wrote this is order-number order; each
    /// stream checks that it is as it goes.
    Written,
    /// By order number through the indexes: for a ledger where it is not (a copy of a ledger
    /// several registers wrote, whose rows are interleaved).
    ByOrder,
}

impl RowOrder {
    /// The statement of a table's stream: `select`, then its order.
    pub(super) fn statement(self, select: &str, by_order: &str) -> String {
        match self {
            RowOrder::Written => format!("{select} ORDER BY id"),
            RowOrder::ByOrder => format!("{select} ORDER BY {by_order}"),
        }
    }
}

/// The statements of the streams, each with the order-number order it must read in.
pub(super) const ORDERS: (&str, &str) = (
    "SELECT id, register_id, user_id, created_at, total_cents, lang, shift_id, customer_name,
    customer_email, training FROM orders",
    "id",
);
/// With each line's id last, for its tickets.
pub(super) const LINES: (&str, &str) = (
    "SELECT order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
    vat_basis_points, gross_cents, vat_cents, net_cents, id FROM order_lines",
    "order_id, line_no",
);
/// Each ticket's line id, not its line number: the walk finds the number among its order's lines
/// (issue 16: a look-up of the line per ticket was a million searches of `order_lines`).
pub(super) const TICKETS: (&str, &str) = (
    "SELECT t.order_id, t.code, t.line_id, t.performance_id, t.price_cents, t.state
    FROM tickets t",
    "order_id, id",
);
/// The same with each ticket's first seat last, for a ledger that has seated tickets (a look-up
/// per ticket, so only then).
pub(super) const SEATED_TICKETS: (&str, &str) = (
    "SELECT t.order_id, t.code, t.line_id, t.performance_id, t.price_cents, t.state,
    (SELECT seat_id FROM ticket_seats s WHERE s.ticket_id = t.id ORDER BY s.id LIMIT 1)
    FROM tickets t",
    "t.order_id, t.id",
);
pub(super) const PAYMENTS: (&str, &str) = (
    "SELECT order_id, attempt_id, tender, amount_cents, tendered_cents, change_cents, state,
    card_last4, created_at FROM payments WHERE order_id IS NOT NULL",
    "order_id, id",
);
pub(super) const RECEIPTS: (&str, &str) = (
    "SELECT order_id, number, kind, training, created_at, shift_id FROM receipts WHERE kind = 'sale'",
    "order_id, id",
);
/// Always by order number (one row per sale at most, through its own index).
pub(super) const SALE_ROUNDINGS: &str =
    "SELECT order_id, amount_cents FROM cash_roundings WHERE refund_id IS NULL ORDER BY order_id";

/// A JSON string literal exactly as serde_json writes it (`"` and `\` escaped, control
/// characters as `\n`-style or `\u00XX` escapes, everything else as is), from the text's bytes
/// as stored (not checked as UTF-8 here: text that is not differs from any journaled text).
pub(super) fn text(out: &mut Vec<u8>, value: &[u8]) {
    out.push(b'"');
    // Almost every text needs no escape: one pass without a branch per byte finds out.
    let plain = !value.iter().fold(false, |any, &byte| {
        any | (byte < 0x20) | (byte == b'"') | (byte == b'\\')
    });
    if plain {
        out.extend_from_slice(value);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &byte) in value.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&value[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&value[start..]);
    out.push(b'"');
}

fn optional_text(out: &mut Vec<u8>, value: Option<&[u8]>) {
    match value {
        Some(value) => text(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// An integer as `Display` writes it, without the formatting machinery (issue 16: `verify`
/// writes about ten million of them).
pub(super) fn int(out: &mut Vec<u8>, value: i64) {
    let mut digits = [0_u8; 20];
    out.extend_from_slice(decimal(value, &mut digits));
}

/// `value` in decimal as `Display` writes it, in `digits` (the end of it).
pub(super) fn decimal(value: i64, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    let mut rest = value.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    &digits[at..]
}

/// `"key":` followed by the text.
fn text_field(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    out.extend_from_slice(key.as_bytes());
    text(out, value);
}

fn optional_text_field(out: &mut Vec<u8>, key: &str, value: Option<&[u8]>) {
    out.extend_from_slice(key.as_bytes());
    optional_text(out, value);
}

fn optional_int_field(out: &mut Vec<u8>, key: &str, value: Option<i64>) {
    out.extend_from_slice(key.as_bytes());
    optional_int(out, value);
}

/// `"key":` followed by the integer.
fn field(out: &mut Vec<u8>, key: &str, value: i64) {
    out.extend_from_slice(key.as_bytes());
    int(out, value);
}

fn optional_int(out: &mut Vec<u8>, value: Option<i64>) {
    match value {
        Some(value) => int(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// A text column without a copy.
pub(super) fn str_at<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A text column's bytes as stored, without a copy or a UTF-8 check (any other type is an error,
/// as it is for `str_at`).
pub(super) fn bytes_at<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<&'r [u8]> {
    optional_bytes_at(row, index)?.ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(index, String::new(), rusqlite::types::Type::Null)
    })
}

pub(super) fn optional_bytes_at<'r>(
    row: &'r Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<&'r [u8]>> {
    match row.get_ref(index)? {
        ValueRef::Text(bytes) => Ok(Some(bytes)),
        ValueRef::Null => Ok(None),
        other => Err(rusqlite::Error::InvalidColumnType(
            index,
            String::new(),
            other.data_type(),
        )),
    }
}

/// Starts the next item of a JSON array being written (into a buffer of its own, or straight
/// after the array's `[`).
fn comma(out: &mut Vec<u8>) {
    if !matches!(out.last(), None | Some(b'[')) {
        out.push(b',');
    }
}

/// The sale's `order` object.
pub(super) struct OrderText<'a> {
    pub number: i64,
    pub register_id: &'a [u8],
    pub user_id: i64,
    pub created_at: &'a [u8],
    pub total_cents: i64,
    pub lang: &'a [u8],
    pub shift_id: i64,
    pub customer_name: Option<&'a [u8]>,
    pub customer_email: Option<&'a [u8]>,
    pub training: bool,
}

/// One `lines` item.
pub(super) struct LineText {
    pub line_no: i64,
    pub performance_id: i64,
    pub category_id: i64,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub vat_basis_points: i64,
    pub gross_cents: i64,
    pub vat_cents: i64,
    pub net_cents: i64,
}

/// One `tickets` item.
pub(super) struct TicketText<'a> {
    pub code: &'a [u8],
    pub line_no: Option<i64>,
    pub performance_id: i64,
    pub price_cents: i64,
    pub seat_id: Option<i64>,
}

/// One `payments` item.
pub(super) struct PaymentText<'a> {
    pub attempt_id: &'a [u8],
    pub tender: &'a [u8],
    pub amount_cents: i64,
    pub tendered_cents: Option<i64>,
    pub change_cents: Option<i64>,
    pub state: &'a [u8],
    pub card_last4: Option<&'a [u8]>,
    pub created_at: &'a [u8],
}

/// A sale's content being written, part by part, into buffers that are reused from sale to sale;
/// with the sums `verify` checks.
#[derive(Default)]
pub(super) struct SaleText {
    order: Vec<u8>,
    lines: Vec<u8>,
    tickets: Vec<u8>,
    payments: Vec<u8>,
    receipts: Vec<u8>,
    pub total_cents: i64,
    pub tickets_cents: i64,
    pub approved_cents: i64,
    /// (amount, tendered − change) of each approved cash payment with tendered and change.
    pub cash_kept: Vec<(i64, i64)>,
}

impl SaleText {
    pub(super) fn order(&mut self, o: &OrderText<'_>) {
        self.order.clear();
        write_order(&mut self.order, o);
        self.total_cents = o.total_cents;
    }

    pub(super) fn line(&mut self, l: &LineText) {
        write_line(&mut self.lines, l);
    }

    pub(super) fn ticket(
        &mut self,
        code: &str,
        line_no: i64,
        performance_id: i64,
        price_cents: i64,
        seat_id: Option<i64>,
    ) {
        let ticket = TicketText {
            code: code.as_bytes(),
            line_no: Some(line_no),
            performance_id,
            price_cents,
            seat_id,
        };
        write_ticket(&mut self.tickets, &ticket);
        self.tickets_cents += price_cents;
    }

    pub(super) fn payment(&mut self, p: &PaymentText<'_>) {
        write_payment(&mut self.payments, p);
        count_payment(p, &mut self.approved_cents, &mut self.cash_kept);
    }

    pub(super) fn receipt(&mut self, number: i64, kind: &str, training: i64, created_at: &str) {
        let (kind, created_at) = (kind.as_bytes(), created_at.as_bytes());
        write_receipt(&mut self.receipts, number, kind, training, created_at);
    }

    /// The parts joined: the sale's content; an order never written is `null`.
    pub(super) fn finish(&self) -> String {
        let order: &[u8] = if self.order.is_empty() {
            b"null"
        } else {
            &self.order
        };
        let parts: [&[u8]; 5] = [
            &self.lines,
            order,
            &self.payments,
            &self.receipts,
            &self.tickets,
        ];
        let mut out = Vec::new();
        for (start, part) in SALE_PARTS.into_iter().zip(parts) {
            out.extend_from_slice(start.as_bytes());
            out.extend_from_slice(part);
        }
        out.extend_from_slice(SALE_END.as_bytes());
        // Written from the sale's own text (`&str`s): always UTF-8.
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// What opens each part of a sale's text, in the text's order: lines, order, payments, receipts,
/// tickets (each array's `]` closes the part before it).
pub(super) const SALE_PARTS: [&str; 5] = [
    "{\"lines\":[",
    "],\"order\":",
    ",\"payments\":[",
    "],\"receipts\":[",
    "],\"tickets\":[",
];
/// What closes a sale's text.
pub(super) const SALE_END: &str = "]}";
/// The text of an order id without any row.
pub(super) const EMPTY_SALE: &str =
    "{\"lines\":[],\"order\":null,\"payments\":[],\"receipts\":[],\"tickets\":[]}";

/// An approved payment in the sums: its amount approved, and the cash it kept.
pub(super) fn count_payment(
    p: &PaymentText<'_>,
    approved_cents: &mut i64,
    cash_kept: &mut Vec<(i64, i64)>,
) {
    if p.state == b"approved" {
        *approved_cents += p.amount_cents;
        if let (b"cash", Some(tendered), Some(change)) =
            (p.tender, p.tendered_cents, p.change_cents)
        {
            cash_kept.push((p.amount_cents, tendered - change));
        }
    }
}

/// The `order` object.
pub(super) fn write_order(out: &mut Vec<u8>, o: &OrderText<'_>) {
    text_field(out, "{\"created_at\":", o.created_at);
    optional_text_field(out, ",\"customer_email\":", o.customer_email);
    optional_text_field(out, ",\"customer_name\":", o.customer_name);
    text_field(out, ",\"lang\":", o.lang);
    field(out, ",\"number\":", o.number);
    text_field(out, ",\"register_id\":", o.register_id);
    field(out, ",\"shift_id\":", o.shift_id);
    field(out, ",\"total_cents\":", o.total_cents);
    out.extend_from_slice(if o.training {
        b",\"training\":true"
    } else {
        b",\"training\":false"
    });
    field(out, ",\"user_id\":", o.user_id);
    out.push(b'}');
}

/// One `lines` item.
pub(super) fn write_line(out: &mut Vec<u8>, l: &LineText) {
    comma(out);
    field(out, "{\"category_id\":", l.category_id);
    field(out, ",\"gross_cents\":", l.gross_cents);
    field(out, ",\"line_no\":", l.line_no);
    field(out, ",\"net_cents\":", l.net_cents);
    field(out, ",\"performance_id\":", l.performance_id);
    field(out, ",\"quantity\":", l.quantity);
    field(out, ",\"unit_price_cents\":", l.unit_price_cents);
    field(out, ",\"vat_basis_points\":", l.vat_basis_points);
    field(out, ",\"vat_cents\":", l.vat_cents);
    out.push(b'}');
}

/// One `tickets` item. A line number not known is written `null`, which no journaled sale holds.
pub(super) fn write_ticket(out: &mut Vec<u8>, t: &TicketText<'_>) {
    comma(out);
    text_field(out, "{\"code\":", t.code);
    optional_int_field(out, ",\"line_no\":", t.line_no);
    field(out, ",\"performance_id\":", t.performance_id);
    field(out, ",\"price_cents\":", t.price_cents);
    if let Some(seat_id) = t.seat_id {
        field(out, ",\"seat_id\":", seat_id);
    }
    out.push(b'}');
}

/// One `payments` item.
pub(super) fn write_payment(out: &mut Vec<u8>, p: &PaymentText<'_>) {
    comma(out);
    field(out, "{\"amount_cents\":", p.amount_cents);
    text_field(out, ",\"attempt_id\":", p.attempt_id);
    optional_text_field(out, ",\"card_last4\":", p.card_last4);
    optional_int_field(out, ",\"change_cents\":", p.change_cents);
    text_field(out, ",\"created_at\":", p.created_at);
    text_field(out, ",\"state\":", p.state);
    text_field(out, ",\"tender\":", p.tender);
    optional_int_field(out, ",\"tendered_cents\":", p.tendered_cents);
    out.push(b'}');
}

/// One `receipts` item.
pub(super) fn write_receipt(
    out: &mut Vec<u8>,
    number: i64,
    kind: &[u8],
    training: i64,
    created_at: &[u8],
) {
    comma(out);
    text_field(out, "{\"created_at\":", created_at);
    text_field(out, ",\"kind\":", kind);
    field(out, ",\"number\":", number);
    field(out, ",\"training\":", training);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_sale_is_written_as_the_constant() {
        assert_eq!(SaleText::default().finish(), EMPTY_SALE);
    }

    #[test]
    fn int_writes_as_display_does() {
        for value in [0, 7, -7, 10, 99, 100, 1234567890, -1000, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            int(&mut out, value);
            assert_eq!(out, value.to_string().into_bytes());
        }
    }

    #[test]
    fn text_escapes_as_serde_json_does() {
        for value in [
            "",
            "plain",
            "Åke Öberg",
            "quote \" back \\ slash",
            "new\nline\ttab\r\u{8}\u{c}\u{1}\u{1f}",
            "€ and / and \u{7f}",
        ] {
            let mut out = Vec::new();
            text(&mut out, value.as_bytes());
            assert_eq!(out, serde_json::to_string(value).unwrap().into_bytes());
        }
    }
}
