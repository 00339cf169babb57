//! Application services: the business operations behind the GUI and the CLI.
//! A service call checks its inputs, runs one ledger transaction and does the
//! device I/O after the commit. The GUI reaches these through [`worker`].

pub mod bank;
mod bench;
pub mod card;
mod demo;
mod mail;
mod printing;
mod receipt;
pub mod receipts;
mod refunds;
mod saft;
pub mod sale;
pub mod seats;
mod services;
mod shifts;
pub mod support;
mod users;
pub mod worker;

pub use bench::{SeedOutcome, Timing};
pub use card::{CardProgress, CardRefundStep, ManualResolution, Split, TerminalStatus};
pub use demo::DEMO_USERS;
pub use mail::{
    DomainRecords, FlushReport, MailServerRequest, SmsGatewayRequest, SmsOutcome, TestMailOutcome,
};
pub use printing::{
    DEMO_PRINTER_NAME, PRINTER_TIMEOUT, PrintMode, PrintOutcome, PrintResult, PrinterConfig,
    RenderFormat, ReprintOrder, ReprintTicket,
};
pub use receipt::{Receipt, ReceiptCard, ReceiptLine};
pub use refunds::{REFUND_REASONS, RefundOutcome, RefundRequest};
pub use sale::{BankWait, Payment, QueuedMail, Recorded, SaleEnd, SaleOutcome, SaleRequest};
pub use services::{
    CatalogCategory, CatalogPerformance, InitOutcome, Services, Session, TicketStatus,
};
pub use shifts::{CashMovement, ShiftReport};
pub use users::UserSummary;

use crate::domain::Money;
use crate::i18n::{Lang, error_text};
use crate::ledger::LedgerError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    UnknownUser,
    WrongPin {
        attempts_left: i64,
    },
    UserLocked {
        seconds: i64,
    },
    InsufficientTender {
        missing: Money,
    },
    NotEnoughLeft {
        requested: i64,
        remaining: i64,
    },
    UnknownPerformance(i64),
    UnknownCategory {
        code: String,
        available: Vec<String>,
    },
    EmptyCart,
    UnknownOrder(i64),
    /// The user's role does not allow this (checked in the service, whatever the UI shows).
    Forbidden {
        action: &'static str,
    },
    UserExists(String),
    InvalidUserName(String),
    InvalidPin,
    UnknownRole(String),
    CannotDisableSelf,
    NoOpenShift,
    ShiftAlreadyOpen,
    NegativeAmount,
    ReasonMissing,
    NotEnoughInDrawer {
        in_drawer: Money,
    },
    ReceiptGap {
        expected: i64,
        found: i64,
    },
    UnknownZReport(i64),
    BadCount(String),
    Internal(String),
    TenderNeedsLink(Vec<String>),
    InvalidEmail(String),
    BadDate(String),
    UnknownReport(String),
    TicketTwice(String),
    TicketNotRefundable(String),
    AlreadyRefunded,
    MoreThanPaid {
        refundable: Money,
    },
    UnknownPrinter(String),
    BadPrinterSetting(String),
    UnknownTicket(String),
    /// The code was replaced by a reissue: it is revoked.
    TicketReplaced {
        code: String,
        reissue_number: i64,
    },
    TicketNotValid {
        code: String,
        state: String,
    },
    /// A ticket that reached a printer gets a copy or a reissue, not a second original.
    AlreadyPrinted(String),
    /// The card terminal could not be reached or broke the protocol (nothing was charged).
    CardTerminal(String),
    UnknownCardAttempt(String),
    CardAttemptResolved(String),
    TerminalExists(String),
    UnknownTerminal(String),
    /// No terminal named and not exactly one configured: the names there are.
    NoTerminal(Vec<String>),
    TerminalUnsupported(String),
    /// Earlier attempts' outcomes are unknown: no new payment until they are resolved.
    TerminalBlocked {
        terminal: String,
        attempts: Vec<String>,
    },
    CardNotApproved {
        condition: String,
        text: String,
    },
    /// No answer and the status queries could not tell: the terminal stays blocked.
    CardOutcomeUnknown {
        terminal: String,
        attempt: String,
    },
    CardAmount {
        card: Money,
        total: Money,
    },
    /// The sale failed after the card approval; the payment was reversed.
    CardSaleReversed(Box<AppError>),
    /// The sale failed after the card approval and the reversal failed too.
    CardSaleNotReversed {
        sale: Box<AppError>,
        reversal: String,
        attempt: String,
    },
    ManualTooEarly {
        tries: i64,
    },
    UnknownMailServer(String),
    MailServerExists(String),
    NoEmailAddress(i64),
    UnknownMail(i64),
    MailNotFailed(i64),
    NoDkimKey(String),
    InvalidPhone(String),
    /// Mail settings that cannot work; the detail is technical (a path, a TLS error).
    MailSetup(String),
    /// The encrypted secret store (bank keys, the Nets password) cannot be read or written.
    SecretStore(String),
    NetsAccountMissing,
    /// The terminal refused or could not be asked to reverse a payment.
    CardReversalFailed(String),
    /// A Nets Connect@Cloud terminal accepts payments only after its first reconciliation.
    TerminalNotReconciled(String),
    BankNotConfigured,
    BadBankSetting(String),
    /// A reply from the bank that was refused (forged, tampered, about something else).
    BankReply(String),
    /// The bank link failed (listener, endpoint); the sentence says how.
    Bank(String),
    UnknownReservation(String),
    /// A bank payment is refunded at most once (the bank's rule).
    BankRefundOnce,
    ReservationEnded {
        reference: String,
        state: String,
    },
    /// Reserved seating: a seat taken, unknown, not held; a bad plan; a split offered.
    Seating(seats::SeatProblem),
    /// The customer's receipt and the seller settings (issue 13).
    Receipt(receipts::ReceiptProblem),
    Ledger(#[from] LedgerError),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&error_text(Lang::En, self))
    }
}
