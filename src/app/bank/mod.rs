//! Bank payments (Danske Verkkomaksu): settings and keys, reservations paid by reference, the
//! counter flow through the customer's browser, and the payment query that settles what the
//! browser did not.

use crate::app::{AdminError, BankError, SaleError, ShiftError};
use crate::domain::Tender;
use crate::domain::ids::{OrderNumber, UserId};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};

use crate::domain::{Money, Permission, PricedCategory, VatBasisPoints};
use crate::i18n::{Lang, Text, tr};
use crate::ledger::{BankSettingsRow, NewReservation, ReservationRow, Tx};
use crate::payments::demo_bank::{DemoBank, TEST_KEY, TEST_MERCHANT};
use crate::payments::http::{Endpoint, post_form};
use crate::payments::keys::{KeyRing, due_date_text, helsinki_date};
use crate::payments::listener::{BankReturn, CounterListener, PageTexts, auto_submit_page};
use crate::payments::query::{QueryOutcome, interpret_reply, query_form};
use crate::payments::reference::ReferenceNumber;
use crate::payments::verkkomaksu::{PaymentRequest, Reply, payment_form};

use super::services::{Session, find_category, require};
use super::{AppError, SaleRequest, Services};

mod counter;
pub mod fact;
mod pay;
mod settings;

pub use settings::BankConfig;
pub(super) use settings::bank_key_secret_name;

/// The production endpoints (DESIGN.md section 4).
pub const BANK_PAYMENT_URL: &str = "https://verkkopankki.danskebank.fi/SP/vemaha/VemahaApp";
pub const BANK_QUERY_URL: &str = "https://netbank.danskebank.dk/HB";
/// How long the bank may take to answer a query.
const QUERY_TIMEOUT: Duration = Duration::from_secs(20);

/// Status names on the operations screen.
pub const STATUS_BANK_QUERY: &str = "bank.query";
pub const STATUS_BANK_PAYMENT: &str = "bank.payment";

/// A phone or mail order: tickets held until the due date against a reference number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReservationRequest {
    pub sale: SaleRequest,
    pub customer_phone: Option<String>,
    /// Last day to pay (Helsinki date); `None` = today.
    pub due_date: Option<NaiveDate>,
}

/// What checking a reservation's payment found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReservationCheck {
    pub reference: String,
    /// paid, open, released, refused or unreachable
    pub outcome: String,
    pub detail: String,
    pub order_number: Option<OrderNumber>,
    /// The query went to the alternative URL because the primary failed.
    pub via_alternative: bool,
    /// The detail as a fact the screen says in the user's language (when it is one of ours).
    #[serde(skip)]
    pub fact: Option<fact::BankFact>,
}

/// How a bank payment at the counter ended.
#[derive(Debug, Clone)]
pub enum CounterOutcome {
    /// Paid and sold: the order (and its mail, queued in the payment's transaction).
    Paid(super::Recorded),
    /// Cancelled at the bank or by the cashier and confirmed unpaid: nothing sold, seats given back.
    NotPaid(String),
    /// Not settled: the reservation stays open (due today) and the periodic check settles it.
    Unsettled(String),
}

/// What the counter flow reports while it waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterProgress {
    /// The page to open in the customer's browser, for the reservation `reference`.
    Open {
        url: String,
        reference: String,
        amount: Money,
    },
    /// The default browser could not be opened (the page is to be opened by hand).
    NoBrowser(String),
    /// A reply came back that is not valid: refused, still waiting for a real one.
    Rejected(String),
}

/// An open bank payment at the counter: its reservation and the local listener.
pub struct CounterPayment {
    pub reservation: ReservationRow,
    pub listener: CounterListener,
    /// Queue the tickets for mail to the customer in the payment's transaction.
    pub mail_tickets: bool,
}

/// The payment query's answer: what it says, who answered, whether the alternative URL did.
struct BankAnswer {
    outcome: Result<QueryOutcome, String>,
    where_from: String,
    via_alternative: bool,
}

/// What to do with the tickets when the bank says a reservation is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WhenPaid {
    /// A reservation (phone or mail order): mailed when it has an address (queued in the
    /// payment's transaction), else printed.
    Deliver,
    /// The counter's payment: mailed when asked (in the payment's transaction); the counter
    /// completes the sale (prints) itself.
    Counter { mail_tickets: bool },
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// Today in Helsinki, where the bank's due dates are.
pub fn bank_today() -> NaiveDate {
    helsinki_date(Utc::now())
}

fn bank_language(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "1",
        Lang::Sv => "2",
        Lang::En => "3",
    }
}

fn page_texts(lang: Lang) -> PageTexts {
    PageTexts {
        redirecting: tr(lang, Text::BankRedirecting).to_string(),
        continue_button: tr(lang, Text::BankContinue).to_string(),
        returned_ok: tr(lang, Text::BankReturnedOk).to_string(),
        returned_cancel: tr(lang, Text::BankReturnedCancel).to_string(),
    }
}

/// The simulated bank of the demo box office, used while no bank is configured.
static DEMO_BANK: OnceLock<BankConfig> = OnceLock::new();

/// Starts the simulated bank (once per process) and uses it while the ledger has no bank
/// settings: the demo box office takes bank payments on a fresh machine.
pub fn start_demo_bank() -> std::io::Result<()> {
    if DEMO_BANK.get().is_some() {
        return Ok(());
    }
    let bank = DemoBank::start()?;
    // A second start in one process keeps the first demo bank.
    DEMO_BANK
        .set(BankConfig {
            settings: BankSettingsRow {
                merchant: TEST_MERCHANT.into(),
                contract: "000000".into(),
                payment_url: bank.payment_url(),
                payment_url_alt: None,
                query_url: bank.query_url(),
                query_url_alt: None,
            },
            keys: KeyRing::new(vec![(NaiveDate::MIN, TEST_KEY.into())]),
        })
        .ok();
    Ok(())
}

impl Services {
    /// Holds tickets against a new reference number until the due date.
    pub fn reserve(
        &mut self,
        session: &Session,
        request: &ReservationRequest,
        kind: &str,
    ) -> Result<ReservationRow, AppError> {
        let today = bank_today();
        let due = request.due_date.unwrap_or(today);
        if due < today {
            return Err(AppError::Admin(AdminError::BadDate(due.to_string())));
        }
        let sale = &request.sale;
        let customer = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let (name, email, phone) = (
            customer(&sale.customer_name),
            customer(&sale.customer_email),
            customer(&request.customer_phone),
        );
        if let Some(email) = &email
            && !super::services::valid_email(email)
        {
            return Err(AppError::Sale(SaleError::InvalidEmail(email.clone())));
        }
        let local_today = chrono::Local::now().date_naive().to_string();
        let now = now_text();
        // Its operation id, made once: a reservation whose commit answer was lost is found by
        // it, never made twice.
        let operation = crate::ledger::operations::OperationId::new()?;
        let customer = (name.as_deref(), email.as_deref(), phone.as_deref());
        self.with_operation(
            &operation,
            |services| {
                services.reserve_once(
                    session,
                    request,
                    kind,
                    due,
                    customer,
                    &local_today,
                    &now,
                    &operation,
                )
            },
            |services, done| {
                services
                    .ledger_mut()
                    .read(|tx| tx.reservation(done.reservation_id.unwrap_or_default()))?
                    .ok_or_else(|| {
                        let id = done.reservation_id.unwrap_or_default();
                        AppError::Bank(BankError::UnknownReservation(id.to_string()))
                    })
            },
        )
    }

    /// One attempt at [`Services::reserve`]'s transaction.
    #[allow(clippy::too_many_arguments)]
    fn reserve_once(
        &mut self,
        session: &Session,
        request: &ReservationRequest,
        kind: &str,
        due: NaiveDate,
        (name, email, phone): (Option<&str>, Option<&str>, Option<&str>),
        local_today: &str,
        now: &str,
        operation: &crate::ledger::operations::OperationId,
    ) -> Result<ReservationRow, AppError> {
        let sale = &request.sale;
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Sell, "reserve")?;
            let performance = tx.performance(sale.performance_id)?.ok_or(AppError::Sale(
                SaleError::UnknownPerformance(sale.performance_id),
            ))?;
            let categories = tx.categories(performance.event.id, local_today)?;
            let mut lines = Vec::new();
            for (code, quantity) in sale.items.iter().filter(|(_, q)| *q > 0) {
                let category = find_category(&categories, code)?;
                lines.push((
                    category.id,
                    *quantity,
                    category.price_cents,
                    category.vat_basis_points,
                ));
            }
            let wanted: i64 = lines.iter().map(|(_, q, _, _)| i64::from(*q)).sum();
            if wanted == 0 {
                return Err(AppError::Sale(SaleError::EmptyCart));
            }
            if wanted > performance.remaining {
                return Err(AppError::Sale(SaleError::NotEnoughLeft {
                    requested: wanted,
                    remaining: performance.remaining,
                }));
            }
            let id = tx.next_reservation_id()?;
            let reference = reservation_reference(id)?;
            let made = tx.insert_reservation(
                id,
                reference.as_str(),
                &NewReservation {
                    kind,
                    user_id: session.user_id,
                    performance_id: performance.id,
                    due_date: &due.to_string(),
                    lang: session.lang.code(),
                    lines: &lines,
                    customer_name: name,
                    customer_email: email,
                    customer_phone: phone,
                    now,
                },
            )?;
            let recorded = crate::ledger::operations::Recorded {
                reservation_id: Some(id),
                ..Default::default()
            };
            tx.record_operation(operation, "reservation.create", recorded, now)?;
            Ok(made)
        })
    }

    pub fn reservations(&mut self, open_only: bool) -> Result<Vec<ReservationRow>, AppError> {
        Ok(self.ledger_mut().read(|tx| tx.reservations(open_only))?)
    }

    pub fn reservation(&mut self, reference: &str) -> Result<ReservationRow, AppError> {
        let digits: String = reference.chars().filter(|c| !c.is_whitespace()).collect();
        self.ledger_mut()
            .read(|tx| tx.reservation_by_reference(&digits))?
            .ok_or_else(|| AppError::Bank(BankError::UnknownReservation(reference.to_string())))
    }

    /// Releases an open reservation by hand (sell permission), journaled.
    pub fn release_reservation(
        &mut self,
        session: &Session,
        reference: &str,
        reason: &str,
    ) -> Result<ReservationRow, AppError> {
        let reservation = self.reservation(reference)?;
        let now = now_text();
        // Its operation id, made once: a release whose commit answer was lost is found by it
        // instead of being refused as "already released".
        let operation = crate::ledger::operations::OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.ledger_mut().transact(|tx| {
                    require(tx, session, Permission::Sell, "release a reservation")?;
                    end_open(
                        tx,
                        &reservation,
                        "released",
                        Some(session.user_id),
                        reason,
                        &now,
                    )?;
                    let recorded = crate::ledger::operations::Recorded {
                        reservation_id: Some(reservation.id),
                        ..Default::default()
                    };
                    tx.record_operation(&operation, "reservation.release", recorded, &now)?;
                    Ok::<_, AppError>(())
                })
            },
            |_, _done| Ok(()),
        )?;
        self.reservation(&reservation.reference)
    }

    /// Verifies a reply that came to OKURL and, when it holds, sells the reservation it pays.
    /// A forged, tampered or mismatched reply is refused and changes nothing.
    pub fn settle_reply(
        &mut self,
        session: &Session,
        query: &str,
        mail_tickets: bool,
    ) -> Result<super::Recorded, AppError> {
        let config = self.bank_config()?;
        let reply =
            Reply::parse(query).map_err(|e| AppError::Bank(BankError::BankReply(e.to_string())))?;
        let reservation = self.reservation(&reply.reference)?;
        reply
            .verify(&config.keys.accepted(bank_today()))
            .map_err(|e| AppError::Bank(BankError::BankReply(e.to_string())))?;
        reply
            .check_matches(
                &config.settings.merchant,
                &reservation.reference,
                Money::from_cents(reservation.total_cents),
            )
            .map_err(|e| AppError::Bank(BankError::BankReply(e.to_string())))?;
        if reservation.state != "open" {
            return Err(AppError::Bank(BankError::ReservationEnded {
                reference: reservation.reference.clone(),
                state: reservation.state.clone(),
            }));
        }
        let record = self.pay_reservation(
            session,
            &reservation,
            ("reply", reply.method.as_deref()),
            mail_tickets,
        )?;
        tracing::info!(
            reference = %reservation.reference,
            order = record.order_number.get(),
            "bank payment verified and sold"
        );
        Ok(record)
    }

    /// Asks the bank whether a reservation is paid; paid → sold and the tickets printed, past due
    /// and unpaid → released.
    pub fn check_reservation(
        &mut self,
        session: &Session,
        reference: &str,
    ) -> Result<ReservationCheck, AppError> {
        self.check_with_bank(session, reference, WhenPaid::Deliver)
            .map(|(check, _)| check)
    }

    /// Asks the bank about a reservation; what was paid is sold (see [`WhenPaid`]).
    fn check_with_bank(
        &mut self,
        session: &Session,
        reference: &str,
        when_paid: WhenPaid,
    ) -> Result<(ReservationCheck, Option<super::Recorded>), AppError> {
        let reservation = self.reservation(reference)?;
        let check =
            |outcome: &str, detail: String, order_number, via_alternative| ReservationCheck {
                reference: reservation.reference.clone(),
                outcome: outcome.to_string(),
                fact: fact::BankFact::of_recorded(&detail),
                detail,
                order_number,
                via_alternative,
            };
        if reservation.state != "open" {
            let detail = format!("already {}", reservation.state);
            return Ok((
                check(&reservation.state, detail, reservation.order_id, false),
                None,
            ));
        }
        let BankAnswer {
            outcome,
            where_from,
            via_alternative,
        } = match self.ask_bank(session, &reservation)? {
            Ok(answer) => answer,
            Err(unreachable) => return Ok((check("unreachable", unreachable, None, false), None)),
        };
        let check = |outcome: &str, detail: String, order_number| {
            check(outcome, detail, order_number, via_alternative)
        };
        match outcome {
            Err(error) => {
                self.note_status(STATUS_BANK_QUERY, false, &format!("{where_from}: {error}"));
                Ok((check("refused", error.to_string(), None), None))
            }
            Ok(QueryOutcome::Refused { code, meaning }) => {
                let detail = format!("return code {code}: {meaning}");
                self.note_status(STATUS_BANK_QUERY, false, &format!("{where_from}: {detail}"));
                Ok((check("refused", detail, None), None))
            }
            Ok(QueryOutcome::Paid { pay_type, .. }) => {
                self.note_status(STATUS_BANK_QUERY, true, &where_from);
                let paid = ("query", pay_type.as_deref());
                let (recorded, delivered) =
                    self.sell_paid_reservation(session, &reservation, paid, when_paid)?;
                let detail = match delivered {
                    Some(delivered) => format!("{where_from}; {delivered}"),
                    None => where_from,
                };
                let order_number = Some(recorded.order_number);
                Ok((check("paid", detail, order_number), Some(recorded)))
            }
            Ok(QueryOutcome::NotPaid | QueryOutcome::NotSettled(_)) => {
                self.note_status(STATUS_BANK_QUERY, true, &where_from);
                let (outcome, detail) =
                    self.release_if_past_due(session, &reservation, &where_from)?;
                Ok((check(outcome, detail, None), None))
            }
        }
    }

    /// A reservation the bank says is not paid: open until its due date, released after it.
    fn release_if_past_due(
        &mut self,
        session: &Session,
        reservation: &ReservationRow,
        where_from: &str,
    ) -> Result<(&'static str, String), AppError> {
        let today = bank_today();
        let due = parse_date(&reservation.due_date).unwrap_or(today);
        if due >= today {
            return Ok(("open", format!("not paid yet; {where_from}")));
        }
        self.end_unpaid(session, reservation, ("released", "past due and not paid"))?;
        Ok(("released", "past due and not paid".into()))
    }

    /// The payment query for a reservation: the bank's answer, who answered (and whether the
    /// alternative URL did), or why nobody could be asked.
    fn ask_bank(
        &mut self,
        session: &Session,
        reservation: &ReservationRow,
    ) -> Result<Result<BankAnswer, String>, AppError> {
        let config = self.bank_config()?;
        let secret = config.signing_key(bank_today())?;
        let form = query_form(
            &secret,
            &config.settings.merchant,
            &config.settings.contract,
            &reservation.reference,
            if session.lang == Lang::Fi { "FI" } else { "EN" },
        );
        let endpoint = Endpoint {
            primary: config.settings.query_url.clone(),
            alternative: config.settings.query_url_alt.clone(),
        };
        let answer = match post_form(&endpoint, &form, QUERY_TIMEOUT) {
            Ok(answer) => answer,
            Err(unreachable) => {
                let attempts = unreachable.attempts;
                let detail = fact::BankFact::Unreachable { attempts }.recorded();
                self.note_status(STATUS_BANK_QUERY, false, &detail);
                return Ok(Err(detail));
            }
        };
        let where_from = fact::BankFact::Answered(fact::Answerer {
            url: answer.url.clone(),
            primary_failed: answer.primary_failure.clone(),
        })
        .recorded();
        let outcome = interpret_reply(
            &answer.body,
            &reservation.reference,
            &config.settings.merchant,
            Money::from_cents(reservation.total_cents),
        )
        .map_err(|error| error.to_string());
        Ok(Ok(BankAnswer {
            outcome,
            where_from,
            via_alternative: answer.primary_failure.is_some(),
        }))
    }

    /// Sells a reservation the bank says is paid. A reservation's tickets go out now: queued
    /// for mail in the payment's transaction when the customer gave an address, else to the
    /// printer (a printer fault never undoes the sale); the sentence says which. The counter
    /// mails when asked and prints itself (no sentence).
    fn sell_paid_reservation(
        &mut self,
        session: &Session,
        reservation: &ReservationRow,
        paid: (&str, Option<&str>),
        when_paid: WhenPaid,
    ) -> Result<(super::Recorded, Option<String>), AppError> {
        let mail_tickets = match when_paid {
            WhenPaid::Deliver => true,
            WhenPaid::Counter { mail_tickets } => mail_tickets,
        };
        let recorded = self.pay_reservation(session, reservation, paid, mail_tickets)?;
        if when_paid != WhenPaid::Deliver {
            return Ok((recorded, None));
        }
        let delivered = match &recorded.mail {
            Some(mail) => format!(
                "tickets queued for mail to {} (outbox {})",
                mail.to, mail.id
            ),
            None => match self.complete(session, recorded.clone()) {
                Ok(outcome) => match outcome.printed {
                    Ok(place) => format!("tickets printed to {place}"),
                    Err(error) => format!("tickets NOT printed: {error}"),
                },
                Err(error) => format!("tickets NOT printed: {error}"),
            },
        };
        Ok((recorded, Some(delivered)))
    }

    /// The periodic check: every open reservation asked about once.
    pub fn check_open_reservations(
        &mut self,
        session: &Session,
    ) -> Result<Vec<ReservationCheck>, AppError> {
        let open = self.reservations(true)?;
        let mut checks = Vec::with_capacity(open.len());
        for reservation in open {
            checks.push(self.check_reservation(session, &reservation.reference)?);
        }
        Ok(checks)
    }

    /// Records what an integration just did for the operations screen (never fails the caller).
    pub fn note_status(&mut self, name: &str, ok: bool, detail: &str) {
        let now = now_text();
        let result = self
            .ledger_mut()
            .transact(|tx| tx.set_integration_status(name, ok, detail, &now));
        if let Err(error) = result {
            tracing::warn!(%error, name, "could not record an integration status");
        }
    }
}

/// Opens `url` in the default browser (the customer-facing one at the counter).
pub fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "windows") {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// The reference of reservation `id`: "1" + the id (at least 4 digits) + the 7-3-1 check digit,
/// unique per merchant because ids are.
fn reservation_reference(id: i64) -> Result<ReferenceNumber, AppError> {
    ReferenceNumber::from_base(&format!("1{id:04}"))
        .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))
}

/// Ends a reservation that must still be open (read again inside the transaction).
fn end_open(
    tx: &mut Tx<'_>,
    reservation: &ReservationRow,
    state: &str,
    user_id: Option<UserId>,
    detail: &str,
    now: &str,
) -> Result<(), AppError> {
    let current = tx.reservation(reservation.id)?.ok_or_else(|| {
        AppError::Bank(BankError::UnknownReservation(reservation.reference.clone()))
    })?;
    if current.state != "open" {
        return Err(AppError::Bank(BankError::ReservationEnded {
            reference: current.reference,
            state: current.state,
        }));
    }
    tx.end_reservation(reservation.id, state, user_id, detail, now)?;
    Ok(())
}

/// A reservation's lines as the cart lines of its sale, at the prices it was made with.
fn reservation_lines(reservation: &ReservationRow) -> Vec<crate::domain::cart::CartLine> {
    reservation
        .lines
        .iter()
        .map(|line| crate::domain::cart::CartLine {
            category: PricedCategory {
                category_id: line.category_id,
                code: line.category_code.clone(),
                unit_price: Money::from_cents(line.unit_price_cents),
                vat_rate: VatBasisPoints(line.vat_basis_points),
            },
            quantity: line.quantity,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservation_references_are_valid_and_distinct() {
        let a = reservation_reference(1).unwrap();
        let b = reservation_reference(12345).unwrap();
        assert_eq!(a.as_str(), "100010");
        assert!(ReferenceNumber::parse(a.as_str()).is_ok());
        assert!(ReferenceNumber::parse(b.as_str()).is_ok());
        assert_ne!(a, b);
    }
}
