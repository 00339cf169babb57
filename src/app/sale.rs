//! The one sale path (issue 12): every sale — cash, card, cash and card split, a bank payment at
//! the counter, a paid reservation — is recorded, printed and mailed here. The GUI's worker, the
//! CLI and the reservation check call [`Services::sell_with`] or [`Services::complete`]; neither
//! front end prices, decides about mail or asks again for what the sale already knows.
//!
//! Mail is decided once: a sale that mails its tickets queues them **in its own transaction**
//! ([`mail_in_sale`]), so a crash after the payment can never lose the mail.

use crate::app::{SaleError, ShiftError};
use crate::domain::Tender;
use crate::domain::ids::{OrderNumber, PerformanceId, UserId};
use crate::ledger::operations::OperationId;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::{Local, Utc};

use super::bank::{CounterOutcome, CounterProgress};
use super::seats;
use super::services::{find_category, random_bytes, require, valid_email};
use super::{AppError, CardProgress, Receipt, Services, Session, Split};
use crate::domain::{Cart, Money, Permission, PricedCategory, TicketCode, VatBasisPoints};
use crate::ledger::{SaleRecord, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaleRequest {
    pub performance_id: PerformanceId,
    /// (category code, quantity)
    pub items: Vec<(String, u32)>,
    pub tendered: Money,
    /// Who bought, for finding the order later (optional at the counter).
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// Seats at a seated performance (best available unless told); ignored at free seating
    /// only when left at `Auto`.
    pub seats: seats::SeatChoice,
    /// The cart whose held seats this sale takes (the GUI's cart token).
    pub cart_token: Option<String>,
    /// Queue the tickets for mail to `customer_email` in the sale's own transaction (a crash
    /// after the sale can then never lose the mail). A bank payment carries it to the moment
    /// the bank says paid.
    pub mail_tickets: bool,
}

/// A ticket mail queued in the sale's own transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    /// The outbox row.
    pub id: i64,
    pub to: String,
}

/// What a sale's operation row keeps for a retry after a lost commit answer: the order, its
/// shift and the ticket mail it queued.
fn sale_operation(
    record: &SaleRecord,
    shift_id: crate::domain::ids::ShiftId,
    mail: Option<&QueuedMail>,
) -> crate::ledger::operations::Recorded {
    crate::ledger::operations::Recorded {
        order: Some(record.order_number),
        shift_id: Some(shift_id),
        detail: mail.map(QueuedMail::detail),
        ..Default::default()
    }
}

impl QueuedMail {
    /// How an operation's row names the mail it queued (`operations.detail`).
    pub(super) fn detail(&self) -> String {
        crate::ledger::canonical(&serde_json::json!({ "mail_id": self.id }))
    }
}

/// What a sale's transaction wrote: the order, and its ticket mail when one was queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub order_number: OrderNumber,
    pub mail: Option<QueuedMail>,
}

impl Recorded {
    pub fn new(record: &SaleRecord, mail: Option<QueuedMail>) -> Recorded {
        Recorded {
            order_number: record.order_number,
            mail,
        }
    }
}

/// What the counter shows after a sale: the receipt, where the tickets went, the mail.
#[derive(Debug, Clone)]
pub struct SaleOutcome {
    pub receipt: Receipt,
    /// Where the tickets were printed, or why printing failed (the sale stands either way).
    pub printed: Result<String, String>,
    pub labels: Vec<pc43d::Label>,
    /// The customer's receipt printed by itself after the sale (the register's setting
    /// `always` with a receipt printer): where it went, or why it did not; `None` otherwise.
    pub receipt_printed: Option<Result<String, String>>,
    /// The ticket mail queued with the sale, if any.
    pub mail: Option<QueuedMail>,
}

/// How the customer pays.
pub enum Payment<'a> {
    /// Cash: `SaleRequest::tendered` handed over.
    Cash,
    /// By card, all of it or what `split` leaves (cash `SaleRequest::tendered` pays the rest).
    Card {
        split: Split,
        terminal: Option<&'a str>,
        progress: CardProgress<'a>,
    },
    /// Verkkomaksu in the customer's browser at the counter.
    Bank(BankWait<'a>),
}

/// A bank payment at the counter: how long to wait for the customer's browser, what stops it,
/// and where its progress goes (the page's address, refused replies).
pub struct BankWait<'a> {
    /// Open the bank's page in the default browser (the customer-facing one).
    pub open_browser: bool,
    pub wait: Duration,
    pub cancel: &'a AtomicBool,
    pub progress: &'a mut dyn FnMut(CounterProgress),
}

/// How a sale ended.
#[derive(Debug)]
pub enum SaleEnd {
    Sold(Box<SaleOutcome>),
    /// A bank payment confirmed unpaid (cancelled): nothing sold, the tickets given back.
    NotPaid(String),
    /// A bank payment the bank could not settle: the tickets stay held (a reservation due
    /// today) until `reservation check` or the periodic check settles it.
    Unsettled {
        reference: String,
        why: String,
    },
}

impl Services {
    /// The one entry for a sale at the counter, whatever pays it.
    pub fn sell_with(
        &mut self,
        session: &Session,
        request: &SaleRequest,
        payment: Payment<'_>,
    ) -> Result<SaleEnd, AppError> {
        let sold = |outcome| Ok(SaleEnd::Sold(Box::new(outcome)));
        match payment {
            Payment::Cash => sold(self.sell(session, request)?),
            Payment::Card {
                split,
                terminal,
                mut progress,
            } => sold(self.sell_with_card(session, request, terminal, split, &mut progress)?),
            Payment::Bank(wait) => self.sell_by_bank(session, request, wait),
        }
    }

    /// Sells tickets for cash: one transaction (order, tickets, payment, receipt, journal, the
    /// ticket mail when asked), then the tickets go to the printer. A printer fault never
    /// undoes the sale.
    pub fn sell(
        &mut self,
        session: &Session,
        request: &SaleRequest,
    ) -> Result<SaleOutcome, AppError> {
        let (record, mail) = self.record_sale(session, request, &[])?;
        tracing::info!(
            order = record.order_number.get(),
            receipt = record.receipt_number,
            "cash sale committed"
        );
        self.complete(session, Recorded::new(&record, mail))
    }

    /// After a sale commits: the receipt, and the tickets to the default printer (the print log
    /// records the attempt). A printer fault is reported in the outcome and never undoes the sale.
    pub fn complete(
        &mut self,
        session: &Session,
        recorded: Recorded,
    ) -> Result<SaleOutcome, AppError> {
        let order_number = recorded.order_number;
        let receipt = self.receipt(order_number, session.lang)?;
        let (printed, labels) = match self.print_unprinted(session, order_number, None) {
            Ok(Some(outcome)) => {
                let printed = match &outcome.result {
                    super::PrintResult::Failed(error) => Err(error.clone()),
                    _ => Ok(outcome.transport.clone()),
                };
                (printed, outcome.labels)
            }
            // Nothing left to print (every ticket already reached a printer).
            Ok(None) => (Ok(String::new()), Vec::new()),
            Err(error) => {
                tracing::error!(order = order_number.get(), %error, "printing failed");
                (Err(error.to_string()), Vec::new())
            }
        };
        let receipt_printed = self.print_receipt_after_sale(session, order_number);
        Ok(SaleOutcome {
            receipt,
            printed,
            labels,
            receipt_printed,
            mail: recorded.mail,
        })
    }

    /// A bank payment at the counter: the tickets are held, the bank's page opens in the
    /// customer's browser, and a verified reply (or the payment query) sells them, with their
    /// mail in the payment's transaction when asked.
    fn sell_by_bank(
        &mut self,
        session: &Session,
        request: &SaleRequest,
        wait: BankWait<'_>,
    ) -> Result<SaleEnd, AppError> {
        let payment = self.start_counter_payment(session, request)?;
        let url = payment.listener.pay_url();
        let reference = payment.reservation.reference.clone();
        (wait.progress)(CounterProgress::Open {
            url: url.clone(),
            reference: reference.clone(),
            amount: Money::from_cents(payment.reservation.total_cents),
        });
        if wait.open_browser
            && let Err(error) = super::bank::open_browser(&url)
        {
            (wait.progress)(CounterProgress::NoBrowser(error.to_string()));
        }
        let outcome = self.finish_counter_payment(
            session,
            &payment,
            wait.wait,
            wait.cancel,
            &mut *wait.progress,
        )?;
        Ok(match outcome {
            CounterOutcome::Paid(recorded) => {
                SaleEnd::Sold(Box::new(self.complete(session, recorded)?))
            }
            CounterOutcome::NotPaid(why) => SaleEnd::NotPaid(why),
            CounterOutcome::Unsettled(why) => SaleEnd::Unsettled { reference, why },
        })
    }

    /// The ledger half of a cash sale: prices from the ledger (never from the caller),
    /// capacity and tender checked, everything written in one transaction or nothing.
    pub fn record_cash_sale(
        &mut self,
        session: &Session,
        request: &SaleRequest,
    ) -> Result<SaleRecord, AppError> {
        Ok(self.record_sale(session, request, &[])?.0)
    }

    /// [`Services::record_cash_sale`] where approved card attempts pay part or all of the
    /// total; cash (`request.tendered`) pays the rest.
    pub(super) fn record_sale(
        &mut self,
        session: &Session,
        request: &SaleRequest,
        cards: &[crate::ledger::CardTender<'_>],
    ) -> Result<(SaleRecord, Option<QueuedMail>), AppError> {
        self.require_shared_ledger()?;
        self.ledger_mut().register_id()?;
        let customer_name = non_empty(request.customer_name.as_deref());
        let customer_email = non_empty(request.customer_email.as_deref());
        if let Some(email) = customer_email
            && !valid_email(email)
        {
            return Err(AppError::Sale(SaleError::InvalidEmail(email.to_string())));
        }
        let mail_to = customer_email.filter(|_| request.mail_tickets);
        // The sale's operation id, made once: a retry after a conflict or a dropped connection
        // carries the same one, and after a dropped commit the ledger is asked by it first.
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.record_sale_once(
                    session,
                    request,
                    cards,
                    (customer_name, customer_email, mail_to),
                    &operation,
                )
            },
            |services, done| {
                let mail = services.queued_mail_of(&done)?;
                Ok((services.recorded_sale(done.order)?, mail))
            },
        )
    }

    /// One attempt at [`Services::record_sale`]'s transaction.
    fn record_sale_once(
        &mut self,
        session: &Session,
        request: &SaleRequest,
        cards: &[crate::ledger::CardTender<'_>],
        (customer_name, customer_email, mail_to): (Option<&str>, Option<&str>, Option<&str>),
        operation: &OperationId,
    ) -> Result<(SaleRecord, Option<QueuedMail>), AppError> {
        let today = Local::now().date_naive().to_string();
        let now = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        let now_utc = seats::utc_text(Utc::now());
        let fiscal = self.fiscal.clone();
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Sell, "sell")?;
            let training = tx.is_training()?;
            let shift = tx
                .open_shift()?
                .ok_or(AppError::Shift(ShiftError::NoOpenShift))?;
            let (cart, seating) = priced_cart(tx, request, &today, &now_utc)?;
            let totals = cart.totals();
            let card_cents = super::card::check_card_tenders(tx, cards, totals.gross)?;
            let (rounding, change) = cash_rounding_and_change(
                tx,
                totals.gross - Money::from_cents(card_cents),
                request.tendered,
            )?;
            let seat_ids = seating
                .as_ref()
                .map(|(view, chosen)| seats::seat_ids(view, chosen))
                .unwrap_or_default();
            let record = tx.insert_sale_with_cards(
                &crate::ledger::NewSale {
                    shift_id: shift.id,
                    user_id: session.user_id,
                    performance_id: request.performance_id,
                    lang: session.lang.code(),
                    lines: cart.lines(),
                    ticket_codes: &ticket_codes(totals.n_tickets),
                    seats: &seat_ids,
                    total_cents: totals.gross.cents(),
                    tender: Tender::Cash,
                    tendered_cents: Some(request.tendered.cents()),
                    change_cents: Some(change.cents()),
                    card_last4: None,
                    customer_name,
                    customer_email,
                    training,
                    now: &now,
                },
                cards,
            )?;
            if rounding != Money::ZERO {
                tx.insert_cash_rounding(
                    record.order_number,
                    None,
                    shift.id,
                    rounding.cents(),
                    session.user_id,
                    &now,
                )?;
            }
            if let Some((view, _)) = &seating {
                seats::purge_expired(tx, view.performance_id, &now_utc)?;
            }
            let seating = seating
                .as_ref()
                .map(|(view, chosen)| (view, chosen.as_slice()));
            let token = request.cart_token.as_deref();
            let mail = in_sale(tx, &record, seating, token, mail_to, session.user_id, &now)
                .map_err(|error| seat_race(error, &request.seats))?;
            super::fiscal::stamp_sale(tx, &fiscal, &record)?;
            let recorded = sale_operation(&record, shift.id, mail.as_ref());
            tx.record_operation(operation, "sale", recorded, &now)?;
            Ok((record, mail))
        })
    }

    /// The ticket mail an operation queued (its `detail`, [`QueuedMail::detail`]), as the
    /// outbox has it: what a retry after a lost commit answer reports, so that tickets the
    /// customer gets by mail are not printed as well.
    pub(super) fn queued_mail_of(
        &mut self,
        done: &crate::ledger::operations::OperationRow,
    ) -> Result<Option<QueuedMail>, AppError> {
        let mail_id = done
            .detail
            .as_deref()
            .and_then(|detail| serde_json::from_str::<serde_json::Value>(detail).ok())
            .and_then(|detail| detail["mail_id"].as_i64());
        let Some(id) = mail_id else {
            return Ok(None);
        };
        Ok(self
            .ledger_mut()
            .read(|tx| tx.outbox_entry(id))?
            .map(|row| QueuedMail {
                id: row.id,
                to: row.to_address,
            }))
    }

    /// A sale the ledger already has (its commit went through although the connection dropped
    /// before the answer): its record as the sale would have returned it.
    fn recorded_sale(&mut self, order: Option<OrderNumber>) -> Result<SaleRecord, AppError> {
        let order = order.ok_or_else(|| {
            AppError::Admin(crate::app::AdminError::Internal(
                "the recorded sale names no order".into(),
            ))
        })?;
        self.ledger_mut().read(|tx| {
            let details = tx
                .order_details(order)?
                .ok_or(AppError::Sale(SaleError::UnknownOrder(order)))?;
            let journal_seq = tx.journal_seq_of_order(order)?.unwrap_or_default();
            Ok(SaleRecord {
                order_number: order,
                receipt_number: details.receipt_number.unwrap_or_default(),
                journal_seq,
                created_at: details.created_at,
                tickets: details.tickets,
            })
        })
    }

    /// What the cart of `request` costs now (prices and capacity from the ledger).
    pub fn quote(&mut self, request: &SaleRequest) -> Result<Money, AppError> {
        let today = Local::now().date_naive().to_string();
        let now_utc = seats::utc_text(Utc::now());
        self.ledger_mut()
            .read(|tx| Ok(priced_cart(tx, request, &today, &now_utc)?.0.totals().gross))
    }
}

/// What every sale writes after its order, in its own transaction: the seats its tickets take
/// and, when asked, its ticket mail.
pub(super) fn in_sale(
    tx: &mut Tx<'_>,
    record: &SaleRecord,
    seating: Option<(&seats::SeatingView, &[usize])>,
    cart_token: Option<&str>,
    mail_to: Option<&str>,
    user_id: UserId,
    now: &str,
) -> Result<Option<QueuedMail>, AppError> {
    if let Some((view, chosen)) = seating {
        seats::occupy_order_seats(
            tx,
            view,
            record.order_number,
            chosen,
            cart_token,
            user_id,
            now,
        )?;
    }
    mail_in_sale(tx, record.order_number, mail_to, user_id)
}

/// Seats the program chose (best available) that another counter's sale took meanwhile (on the
/// shared ledger the transactions overlap; the seat's insert waited for the other's commit and
/// found it taken): a conflict, so the sale is tried again with the same operation id and
/// chooses again from what is left. Seats the cashier named stay a sentence.
fn seat_race(error: AppError, choice: &seats::SeatChoice) -> AppError {
    match error {
        AppError::Seating(seats::SeatProblem::Taken(_))
            if !matches!(choice, seats::SeatChoice::Seats(_)) =>
        {
            AppError::Ledger(crate::ledger::LedgerError::Conflict)
        }
        error => error,
    }
}

/// Queues an order's ticket mail to `to` inside the sale's transaction (nothing without one).
fn mail_in_sale(
    tx: &mut Tx<'_>,
    order_number: OrderNumber,
    to: Option<&str>,
    user_id: UserId,
) -> Result<Option<QueuedMail>, AppError> {
    let Some(to) = to else {
        return Ok(None);
    };
    let now = crate::ledger::now_text();
    let id = super::mail::queue_in(tx, order_number, Some(to), None, Some(user_id), &now)?;
    Ok(Some(QueuedMail {
        id,
        to: to.to_string(),
    }))
}

/// New random ticket codes.
pub(super) fn ticket_codes(n: u32) -> Vec<String> {
    (0..n)
        .map(|_| TicketCode::from_random(random_bytes()).as_str().to_string())
        .collect()
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// The cash rounding of what cash pays of a sale (the register's currency decides: 5 cents in
/// Finland, the whole krona in Sweden) and the change from `tendered` for the rounded amount.
fn cash_rounding_and_change(
    tx: &Tx<'_>,
    cash_due: Money,
    tendered: Money,
) -> Result<(Money, Money), AppError> {
    let rounding = tx.currency()?.cash_rounding(Tender::Cash, cash_due);
    let change = crate::domain::cart::cash_change(cash_due + rounding, tendered)
        .map_err(|missing| AppError::Sale(SaleError::InsufficientTender { missing }))?;
    Ok((rounding, change))
}

/// A seated sale's seat map and the seats its tickets get, in ticket order.
type SaleSeats = (seats::SeatingView, Vec<usize>);

/// The cart of `request` priced from the ledger (the performance exists, every category is
/// one of its own, enough tickets are left); at a seated performance also the seats its tickets
/// get (in ticket order, as `NewSale::seats` wants them), priced by [`seats::zone_priced`].
/// Expired holds count as free.
fn priced_cart(
    tx: &Tx<'_>,
    request: &SaleRequest,
    today: &str,
    now_utc: &str,
) -> Result<(Cart, Option<SaleSeats>), AppError> {
    if request.items.iter().all(|(_, quantity)| *quantity == 0) {
        return Err(AppError::Sale(SaleError::EmptyCart));
    }
    let performance = tx
        .performance(request.performance_id)?
        .ok_or(AppError::Sale(SaleError::UnknownPerformance(
            request.performance_id,
        )))?;
    let categories = tx.categories(performance.event.id, today)?;
    let n_tickets: usize = request.items.iter().map(|(_, q)| *q as usize).sum();
    if n_tickets as i64 > performance.remaining {
        return Err(AppError::Sale(SaleError::NotEnoughLeft {
            requested: n_tickets as i64,
            remaining: performance.remaining,
        }));
    }
    let seating = seats::seating(tx, performance.id, now_utc)?;
    let chosen = match &seating {
        Some(view) => seats::choose_seats(
            view,
            &request.seats,
            n_tickets,
            request.cart_token.as_deref(),
        )?,
        None if request.seats == seats::SeatChoice::Auto => Vec::new(),
        None => {
            return Err(AppError::Seating(seats::SeatProblem::NotSeated(
                performance.id,
            )));
        }
    };
    let mut tickets = Vec::with_capacity(request.items.len());
    for (code, quantity) in &request.items {
        let category = find_category(&categories, code)?;
        let priced = PricedCategory {
            category_id: category.id,
            code: category.code.clone(),
            unit_price: Money::from_cents(category.price_cents),
            vat_rate: VatBasisPoints(category.vat_basis_points),
        };
        tickets.push((priced, *quantity));
    }
    let (cart, in_ticket_order) = seats::zone_priced(seating.as_ref(), &tickets, &chosen);
    Ok((cart, seating.map(|view| (view, in_ticket_order))))
}
