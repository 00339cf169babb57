//! The application's errors by area (sale, refund, shift, card, bank, mail, print, seats,
//! admin, receipt, ledger). Each area's type carries its sentences in Finnish, Swedish and
//! English in its own module, so `i18n` knows nothing of `app`.

mod admin;
mod bank;
mod card;
mod mail;
mod print;
mod receipt;
mod refund;
mod sale;
mod seats;
mod shift;

pub use admin::AdminError;
pub use bank::BankError;
pub use card::CardError;
pub use mail::MailError;
pub use print::PrintError;
pub use receipt::ReceiptProblem;
pub use refund::RefundError;
pub use sale::SaleError;
pub use seats::SeatProblem;
pub use shift::ShiftError;

use crate::i18n::Lang;
use crate::ledger::LedgerError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Users, logins, permissions, settings, reports and the secret store.
    Admin(#[from] AdminError),
    /// A sale: the cart, the tender, the order and its tickets.
    Sale(#[from] SaleError),
    /// A refund: which tickets and how much.
    Refund(#[from] RefundError),
    /// The shift and its drawer: open, cash in and out, X and Z.
    Shift(#[from] ShiftError),
    /// Ticket printers and printing.
    Print(#[from] PrintError),
    /// Card terminals and card payments.
    Card(#[from] CardError),
    /// Mail servers, ticket mail and SMS.
    Mail(#[from] MailError),
    /// Bank payments (Verkkomaksu) and reservations.
    Bank(#[from] BankError),
    /// Reserved seating: a seat taken, unknown, not held; a bad plan; a split offered.
    Seating(SeatProblem),
    /// The customer's receipt and the seller settings (issue 13).
    Receipt(ReceiptProblem),
    Ledger(#[from] LedgerError),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&error_text(Lang::En, self))
    }
}

/// The sentence a cashier reads for `error`, in `lang`.
pub fn error_text(lang: Lang, error: &AppError) -> String {
    match error {
        AppError::Admin(error) => error.text(lang),
        AppError::Sale(error) => error.text(lang),
        AppError::Refund(error) => error.text(lang),
        AppError::Shift(error) => error.text(lang),
        AppError::Print(error) => error.text(lang),
        AppError::Card(error) => error.text(lang),
        AppError::Mail(error) => error.text(lang),
        AppError::Bank(error) => error.text(lang),
        AppError::Seating(problem) => problem.text(lang),
        AppError::Receipt(problem) => problem.text(lang),
        AppError::Ledger(inner) => inner.to_string(),
    }
}
