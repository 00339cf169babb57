//! Orders, their lines, tickets, payments and receipts: written once, never changed.

use crate::domain::ids::{OrderNumber, PerformanceId, ShiftId, UserId};
use crate::domain::{JournalKind, Tender, TicketState};
use serde_json::json;

use super::engine::{Db as _, Row, values};

use super::{PerformanceRow, Result, Tx};
use crate::domain::CartLine;

/// A completed sale as it is to be written.
pub struct NewSale<'a> {
    pub shift_id: ShiftId,
    pub user_id: UserId,
    pub performance_id: PerformanceId,
    pub lang: &'a str,
    pub lines: &'a [CartLine],
    /// One code per ticket, in line order.
    pub ticket_codes: &'a [String],
    /// At a seated performance one seat id per ticket, in line order; empty for free seating.
    pub seats: &'a [i64],
    pub total_cents: i64,
    /// `cash` (with tendered and change) or `card` (with the last four digits, never more).
    pub tender: Tender,
    pub tendered_cents: Option<i64>,
    pub change_cents: Option<i64>,
    pub card_last4: Option<&'a str>,
    pub customer_name: Option<&'a str>,
    pub customer_email: Option<&'a str>,
    /// Training mode: tickets never validate, receipts are numbered apart, sums kept out of the Z.
    pub training: bool,
    pub now: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TicketRow {
    pub code: String,
    pub line_no: i64,
    pub category_code: String,
    pub price_cents: i64,
    pub state: TicketState,
    /// The ticket's seat at a seated performance (its newest in `ticket_seats`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seat: Option<crate::domain::seating::SeatRef>,
    /// The seat's section in fi/sv/en.
    #[serde(skip)]
    pub section_names: Option<[String; 3]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleRecord {
    pub order_number: OrderNumber,
    pub receipt_number: i64,
    pub journal_seq: i64,
    pub created_at: String,
    pub tickets: Vec<TicketRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderLineRow {
    pub line_no: i64,
    pub category_code: String,
    pub category_names: [String; 3],
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub vat_basis_points: i64,
    pub gross_cents: i64,
    pub vat_cents: i64,
    pub net_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PaymentRow {
    pub attempt_id: String,
    pub tender: Tender,
    pub amount_cents: i64,
    pub tendered_cents: Option<i64>,
    pub change_cents: Option<i64>,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetails {
    pub order_number: OrderNumber,
    pub register_id: String,
    pub user_name: String,
    pub created_at: String,
    pub total_cents: i64,
    pub lang: String,
    pub receipt_number: Option<i64>,
    pub performance: PerformanceRow,
    pub lines: Vec<OrderLineRow>,
    pub tickets: Vec<TicketRow>,
    pub payments: Vec<PaymentRow>,
}

impl Tx<'_> {
    /// Writes a cash sale: order, lines, tickets, the approved cash payment, the next
    /// receipt number and the journal entry, all in the caller's transaction.
    pub fn insert_sale(&mut self, sale: &NewSale<'_>) -> Result<SaleRecord> {
        self.insert_sale_with_cards(sale, &[])
    }

    /// [`Tx::insert_sale`] where approved card attempts pay part (or all) of the total: the
    /// sale's own tender pays what the cards leave, each card is a payment row of its own and
    /// its attempt is marked settled with this order.
    pub fn insert_sale_with_cards(
        &mut self,
        sale: &NewSale<'_>,
        cards: &[super::CardTender<'_>],
    ) -> Result<SaleRecord> {
        let register_id = self.register_id()?.to_string();
        // The journal entry is written from what the sale writes, not read back (verify compares
        // the two, so a difference cannot go unnoticed).
        let mut text = super::verify_stream::SaleText::default();
        let order = self.insert_order_row(&register_id, sale, &mut text)?;
        let mut tickets = self.insert_sale_lines(order, sale, &mut text)?;
        self.insert_sale_payments(&register_id, order, sale, cards, &mut text)?;
        let receipt_number =
            self.insert_receipt(order, sale.shift_id, None, "sale", sale.training, sale.now)?;
        text.receipt(receipt_number, "sale", i64::from(sale.training), sale.now);
        let content = text.finish();
        // Every debug build (so every test) checks the written text against the rows read back
        // the exact way, the way the journal was written before (and old ledgers still are).
        #[cfg(debug_assertions)]
        {
            assert_eq!(
                content,
                super::journal::canonical(&self.sale_content(order.0)?),
                "a sale's journal text differs from its rows"
            );
        }
        let entry = self.append_journal_text(
            JournalKind::Sale,
            Some(sale.user_id.get()),
            Some(order.0),
            content,
        )?;
        if !sale.seats.is_empty() {
            // A seated ticket's row names its seat's section and labels: read them back.
            tickets = self.tickets_of(order)?;
        }
        Ok(SaleRecord {
            order_number: order,
            receipt_number,
            journal_seq: entry.seq,
            created_at: sale.now.to_string(),
            tickets,
        })
    }

    /// The sale's order row and its search words.
    fn insert_order_row(
        &mut self,
        register_id: &str,
        sale: &NewSale<'_>,
        text: &mut super::verify_stream::SaleText,
    ) -> Result<OrderNumber> {
        let order_id = self
            .db()
            .query_one(
                "INSERT INTO orders (register_id, shift_id, user_id, created_at, total_cents, lang,
                                     customer_name, customer_email, training)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                &values![
                    register_id,
                    sale.shift_id,
                    sale.user_id,
                    sale.now,
                    sale.total_cents,
                    sale.lang,
                    sale.customer_name,
                    sale.customer_email,
                    sale.training
                ],
            )?
            .int(0)?;
        let order = OrderNumber(order_id);
        self.insert_order_words(order, sale.customer_name, sale.customer_email)?;
        text.order(&super::verify_stream::OrderText {
            number: order_id,
            register_id: register_id.as_bytes(),
            user_id: sale.user_id.get(),
            created_at: sale.now.as_bytes(),
            total_cents: sale.total_cents,
            lang: sale.lang.as_bytes(),
            shift_id: sale.shift_id.get(),
            customer_name: sale.customer_name.map(str::as_bytes),
            customer_email: sale.customer_email.map(str::as_bytes),
            training: sale.training,
        });
        Ok(order)
    }

    /// The sale's lines and one ticket per place (with its seat at a seated performance).
    fn insert_sale_lines(
        &mut self,
        order: OrderNumber,
        sale: &NewSale<'_>,
        text: &mut super::verify_stream::SaleText,
    ) -> Result<Vec<TicketRow>> {
        let ticket_state = if sale.training {
            TicketState::Training
        } else {
            TicketState::Valid
        };
        let mut tickets = Vec::with_capacity(sale.ticket_codes.len());
        let mut codes = sale.ticket_codes.iter();
        let mut seats = sale.seats.iter();
        for (index, line) in sale.lines.iter().enumerate() {
            let line_no = index as i64 + 1;
            let unit_price_cents = line.category.unit_price.cents();
            let written = super::verify_stream::LineText {
                line_no,
                performance_id: sale.performance_id.get(),
                category_id: line.category.category_id,
                quantity: i64::from(line.quantity),
                unit_price_cents,
                vat_basis_points: line.category.vat_rate.0,
                gross_cents: line.gross().cents(),
                vat_cents: line.vat().cents(),
                net_cents: line.net().cents(),
            };
            let line_id = self.insert_order_line(order, &written)?;
            text.line(&written);
            for _ in 0..line.quantity {
                let code = codes.next().expect("one ticket code per ticket");
                let ticket_id = self
                    .db()
                    .query_one(
                        "INSERT INTO tickets (code, order_id, line_id, performance_id, price_cents, state)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                        &values![
                            code.as_str(),
                            order.0,
                            line_id,
                            sale.performance_id,
                            unit_price_cents,
                            ticket_state.as_str()
                        ],
                    )?
                    .int(0)?;
                let seat_id = seats.next().copied();
                if let Some(seat_id) = seat_id {
                    self.insert_ticket_seat(ticket_id, seat_id, sale.now)?;
                }
                text.ticket(
                    code,
                    line_no,
                    sale.performance_id.get(),
                    unit_price_cents,
                    seat_id,
                );
                tickets.push(TicketRow {
                    code: code.clone(),
                    line_no,
                    category_code: line.category.code.clone(),
                    price_cents: unit_price_cents,
                    state: ticket_state,
                    seat: None,
                    section_names: None,
                });
            }
        }
        Ok(tickets)
    }

    fn insert_order_line(
        &mut self,
        order: OrderNumber,
        written: &super::verify_stream::LineText,
    ) -> Result<i64> {
        self.db()
            .query_one(
                "INSERT INTO order_lines (order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
                                          vat_basis_points, gross_cents, vat_cents, net_cents)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                &values![
                    order.0,
                    written.line_no,
                    written.performance_id,
                    written.category_id,
                    written.quantity,
                    written.unit_price_cents,
                    written.vat_basis_points,
                    written.gross_cents,
                    written.vat_cents,
                    written.net_cents
                ],
            )?
            .int(0)
    }

    /// The sale's own tender for what the cards leave, then each approved card settled.
    fn insert_sale_payments(
        &mut self,
        register_id: &str,
        order: OrderNumber,
        sale: &NewSale<'_>,
        cards: &[super::CardTender<'_>],
        text: &mut super::verify_stream::SaleText,
    ) -> Result<()> {
        use super::verify_stream::PaymentText;
        let own_cents = sale.total_cents - cards.iter().map(|c| c.amount_cents).sum::<i64>();
        if own_cents != 0 || cards.is_empty() {
            let attempt_id = format!("{register_id}-{}-{}-1", order.0, sale.tender);
            self.db().execute(
                "INSERT INTO payments (attempt_id, order_id, tender, amount_cents, tendered_cents, change_cents, state,
                                       created_at, card_last4)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'approved', ?7, ?8)",
                &values![
                    attempt_id.as_str(),
                    order.0,
                    sale.tender.as_str(),
                    own_cents,
                    sale.tendered_cents,
                    sale.change_cents,
                    sale.now,
                    sale.card_last4
                ],
            )?;
            text.payment(&PaymentText {
                attempt_id: attempt_id.as_bytes(),
                tender: sale.tender.as_str().as_bytes(),
                amount_cents: own_cents,
                tendered_cents: sale.tendered_cents,
                change_cents: sale.change_cents,
                state: b"approved",
                card_last4: sale.card_last4.map(str::as_bytes),
                created_at: sale.now.as_bytes(),
            });
        }
        for card in cards {
            let attempt_id = self.settle_card(card, order, sale.user_id, sale.now)?;
            text.payment(&PaymentText {
                attempt_id: attempt_id.as_bytes(),
                tender: b"card",
                amount_cents: card.amount_cents,
                tendered_cents: None,
                change_cents: None,
                state: b"approved",
                card_last4: card.card_last4.map(str::as_bytes),
                created_at: sale.now.as_bytes(),
            });
        }
        Ok(())
    }

    /// Writes the next receipt number of this register (gapless: max + 1 inside the transaction).
    pub(super) fn insert_receipt(
        &mut self,
        order_id: OrderNumber,
        shift_id: ShiftId,
        refund_id: Option<i64>,
        kind: &str,
        training: bool,
        now: &str,
    ) -> Result<i64> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        let number = db
            .query_one(
                "SELECT coalesce(max(number), 0) + 1 FROM receipts WHERE register_id = ?1 AND training = ?2",
                &values![register_id.as_str(), training],
            )?
            .int(0)?;
        db.execute(
            "INSERT INTO receipts (register_id, number, order_id, shift_id, refund_id, kind, training, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &values![register_id, number, order_id, shift_id, refund_id, kind, training, now],
        )?;
        Ok(number)
    }

    /// What the journal records of a sale, rebuilt from its rows. `verify` compares
    /// this with the journal, so any change to the rows shows up there. Written once for both
    /// engines: each row becomes a JSON object in Rust (as SQLite's `json_object` made it: an
    /// integer a number, text a string, NULL null), so the canonical text is the same on both.
    /// A missing order is `QueryReturnedNoRows`, as before.
    pub(super) fn sale_content(&self, order_id: i64) -> Result<serde_json::Value> {
        self.sale_contents(order_id, order_id)?
            .remove(&order_id)
            .ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
    }

    /// [`Tx::sale_content`] of every order numbered `first..=last`, in five queries: the shared
    /// ledger's `verify` reads its sales a page of the journal at a time (issue 15: a query per
    /// part of every sale was 206 s at 1M tickets).
    pub(super) fn sale_contents(
        &self,
        first: i64,
        last: i64,
    ) -> Result<std::collections::BTreeMap<i64, serde_json::Value>> {
        let mut sales = std::collections::BTreeMap::new();
        for head in self.db().query(
            "SELECT id, register_id, user_id, created_at, total_cents, lang, shift_id, customer_name,
                    customer_email, training
             FROM orders WHERE id BETWEEN ?1 AND ?2",
            &values![first, last],
        )? {
            let order = json!({
                "number": head.int(0)?,
                "register_id": head.text(1)?,
                "user_id": head.int(2)?,
                "created_at": head.text(3)?,
                "total_cents": head.int(4)?,
                "lang": head.text(5)?,
                "shift_id": head.int(6)?,
                "customer_name": head.opt_text(7)?,
                "customer_email": head.opt_text(8)?,
                "training": head.int(9)? != 0,
            });
            let sale = json!({
                "order": order, "lines": [], "tickets": [], "payments": [], "receipts": [],
            });
            sales.insert(head.int(0)?, sale);
        }
        for (part, sql, names) in SALE_PARTS {
            for (order_id, mut row) in self.json_rows(sql, names, first, last)? {
                // A ticket without a seat has no `seat_id` key.
                if let Some(fields) = row.as_object_mut()
                    && fields
                        .get("seat_id")
                        .is_some_and(serde_json::Value::is_null)
                {
                    fields.remove("seat_id");
                }
                if let Some(items) = sales
                    .get_mut(&order_id)
                    .and_then(|sale| sale[part].as_array_mut())
                {
                    items.push(row);
                }
            }
        }
        Ok(sales)
    }

    /// Each row of `sql` (for the orders `first..=last`, the order id first) as the order id
    /// and a JSON object with `names` as the keys of the columns after it.
    fn json_rows(
        &self,
        sql: &str,
        names: &[&str],
        first: i64,
        last: i64,
    ) -> Result<Vec<(i64, serde_json::Value)>> {
        use super::engine::Value;
        self.db()
            .query(sql, &values![first, last])?
            .into_iter()
            .map(|row| {
                let order_id = row.int(0)?;
                let fields = names
                    .iter()
                    .zip(row.0.into_iter().skip(1))
                    .map(|(name, value)| {
                        let value = match value {
                            Value::Null => serde_json::Value::Null,
                            Value::Int(v) => v.into(),
                            Value::Real(v) => v.into(),
                            Value::Text(v) => v.into(),
                        };
                        (name.to_string(), value)
                    });
                Ok((order_id, serde_json::Value::Object(fields.collect())))
            })
            .collect()
    }

    pub fn tickets_of(&self, order_id: OrderNumber) -> Result<Vec<TicketRow>> {
        let rows = self.db().query(
            "SELECT t.code, l.line_no, c.code, t.price_cents, t.state,
                    sc.code, s.row_label, s.seat_label, sc.name_fi, sc.name_sv, sc.name_en
             FROM tickets t JOIN order_lines l ON l.id = t.line_id JOIN price_categories c ON c.id = l.category_id
             LEFT JOIN ticket_seats ts ON ts.id = (SELECT max(id) FROM ticket_seats WHERE ticket_id = t.id)
             LEFT JOIN seats s ON s.id = ts.seat_id LEFT JOIN seat_sections sc ON sc.id = s.section_id
             WHERE t.order_id = ?1 ORDER BY t.id",
            &values![order_id],
        )?;
        rows.iter().map(ticket_from_row).collect()
    }

    /// Everything about one order, or `None` if there is no such order.
    pub fn order_details(&self, order_number: OrderNumber) -> Result<Option<OrderDetails>> {
        let mut db = self.db();
        let Some(head) = db.query_opt(
            "SELECT o.register_id, u.name, o.created_at, o.total_cents, o.lang,
                    (SELECT number FROM receipts r WHERE r.order_id = o.id AND r.kind = 'sale'),
                    (SELECT performance_id FROM order_lines l WHERE l.order_id = o.id ORDER BY line_no LIMIT 1)
             FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = ?1",
            &values![order_number],
        )?
        else {
            return Ok(None);
        };
        let performance_id = PerformanceId(head.int(6)?);
        let performance = self.performance(performance_id)?.ok_or_else(|| {
            super::LedgerError::Postgres(format!(
                "order {order_number} names performance {performance_id}, which is not in the ledger"
            ))
        })?;
        let lines = db
            .query(
                "SELECT l.line_no, c.code, c.name_fi, c.name_sv, c.name_en, l.quantity, l.unit_price_cents,
                        l.vat_basis_points, l.gross_cents, l.vat_cents, l.net_cents
                 FROM order_lines l JOIN price_categories c ON c.id = l.category_id
                 WHERE l.order_id = ?1 ORDER BY l.line_no",
                &values![order_number],
            )?
            .iter()
            .map(|row| {
                Ok(OrderLineRow {
                    line_no: row.int(0)?,
                    category_code: row.text(1)?,
                    category_names: [row.text(2)?, row.text(3)?, row.text(4)?],
                    quantity: row.int(5)?,
                    unit_price_cents: row.int(6)?,
                    vat_basis_points: row.int(7)?,
                    gross_cents: row.int(8)?,
                    vat_cents: row.int(9)?,
                    net_cents: row.int(10)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let payments = db
            .query(
                "SELECT attempt_id, tender, amount_cents, tendered_cents, change_cents, state
                 FROM payments WHERE order_id = ?1 ORDER BY id",
                &values![order_number],
            )?
            .iter()
            .map(|row| {
                Ok(PaymentRow {
                    attempt_id: row.text(0)?,
                    tender: row.code(1)?,
                    amount_cents: row.int(2)?,
                    tendered_cents: row.opt_int(3)?,
                    change_cents: row.opt_int(4)?,
                    state: row.text(5)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(OrderDetails {
            order_number,
            register_id: head.text(0)?,
            user_name: head.text(1)?,
            created_at: head.text(2)?,
            total_cents: head.int(3)?,
            lang: head.text(4)?,
            receipt_number: head.opt_int(5)?,
            performance,
            lines,
            tickets: self.tickets_of(order_number)?,
            payments,
        }))
    }
}

/// A [`TicketRow`] from a row of [`Tx::tickets_of`]'s query.
fn ticket_from_row(row: &Row) -> Result<TicketRow> {
    let (seat, section_names) = match row.opt_text(5)? {
        Some(section) => (
            Some(crate::domain::seating::SeatRef {
                section,
                row: row.text(6)?,
                seat: row.text(7)?,
            }),
            Some([row.text(8)?, row.text(9)?, row.text(10)?]),
        ),
        None => (None, None),
    };
    Ok(TicketRow {
        code: row.text(0)?,
        line_no: row.int(1)?,
        category_code: row.text(2)?,
        price_cents: row.int(3)?,
        state: row.code(4)?,
        seat,
        section_names,
    })
}

/// The parts of a sale's journal content after its order: (key, rows of the orders
/// `?1..=?2` with the order id first, in the content's order; the names of the other columns).
/// A seated ticket also records the seat it was sold with (its first `ticket_seats` row).
const SALE_PARTS: [(&str, &str, &[&str]); 4] = [
    (
        "lines",
        "SELECT order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
                vat_basis_points, gross_cents, vat_cents, net_cents
         FROM order_lines WHERE order_id BETWEEN ?1 AND ?2 ORDER BY order_id, line_no",
        &[
            "line_no",
            "performance_id",
            "category_id",
            "quantity",
            "unit_price_cents",
            "vat_basis_points",
            "gross_cents",
            "vat_cents",
            "net_cents",
        ],
    ),
    (
        "tickets",
        "SELECT t.order_id, t.code, l.line_no, t.performance_id, t.price_cents,
                (SELECT s.seat_id FROM ticket_seats s WHERE s.ticket_id = t.id ORDER BY s.id LIMIT 1)
         FROM tickets t JOIN order_lines l ON l.id = t.line_id
         WHERE t.order_id BETWEEN ?1 AND ?2 ORDER BY t.order_id, t.id",
        &["code", "line_no", "performance_id", "price_cents", "seat_id"],
    ),
    (
        "payments",
        "SELECT order_id, attempt_id, tender, amount_cents, tendered_cents, change_cents, state,
                card_last4, created_at
         FROM payments WHERE order_id BETWEEN ?1 AND ?2 ORDER BY order_id, id",
        &[
            "attempt_id",
            "tender",
            "amount_cents",
            "tendered_cents",
            "change_cents",
            "state",
            "card_last4",
            "created_at",
        ],
    ),
    (
        "receipts",
        "SELECT order_id, number, kind, training, created_at
         FROM receipts WHERE order_id BETWEEN ?1 AND ?2 AND kind = 'sale' ORDER BY order_id, id",
        &["number", "kind", "training", "created_at"],
    ),
];
