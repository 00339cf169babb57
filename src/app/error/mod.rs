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
        AppError::Ledger(inner) => ledger_text(lang, inner),
    }
}

/// The ledger's refusals a counter meets in a day, in the user's language; the rarer ones (a
/// damaged file, an upgrade, set-up) keep the ledger's English sentence, which names the file.
fn ledger_text(lang: Lang, error: &crate::ledger::LedgerError) -> String {
    use crate::ledger::LedgerError as E;
    let [fi, sv, en] = match error {
        E::Unreachable { detail, .. } => [
            format!("Yhteistä kirjanpitoa ei tavoiteta ({detail}); mitään ei kirjattu. Tarkista verkko ja palvelin ja yritä uudelleen."),
            format!("Den gemensamma bokföringen kan inte nås ({detail}); inget skrevs. Kontrollera nätverket och servern och försök igen."),
            format!("The shared ledger cannot be reached ({detail}); nothing was written. Check the network and the server, then try again."),
        ],
        E::Locked => [
            "Toinen ohjelma käyttää kirjanpitoa; mitään ei kirjattu. Yritä hetken päästä uudelleen.".into(),
            "Ett annat program använder bokföringen; inget skrevs. Försök igen om en stund.".into(),
            "The ledger is in use by another program; nothing was written. Try again in a moment.".into(),
        ],
        E::DiskFull => [
            "Levy on täynnä; mitään ei kirjattu. Vapauta tilaa ja yritä uudelleen.".into(),
            "Disken är full; inget skrevs. Frigör utrymme och försök igen.".into(),
            "The disk is full; nothing was written. Free some space and try again.".into(),
        ],
        E::ReadOnly => [
            "Kirjanpito on vain luku -tilassa; mitään ei kirjattu.".into(),
            "Bokföringen är skrivskyddad; inget skrevs.".into(),
            "The ledger is read-only; nothing was written.".into(),
        ],
        E::Conflict => [
            "Toinen kassa muutti samoja tietoja samalla hetkellä; mitään ei kirjattu. Yritä uudelleen.".into(),
            "En annan kassa ändrade samma uppgifter samtidigt; inget skrevs. Försök igen.".into(),
            "Another counter changed the same rows at the same moment; nothing was written. Try again.".into(),
        ],
        E::NotOnShared => [
            "Tämä ei vielä toimi yhteisessä kirjanpidossa; mitään ei kirjattu. Tee se kassan omassa kirjanpidossa.".into(),
            "Detta fungerar inte ännu i den gemensamma bokföringen; inget skrevs. Gör det i kassans egen bokföring.".into(),
            "This is not available on the shared ledger yet; nothing was written. Do it on a counter's own ledger.".into(),
        ],
        other => return other.to_string(),
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::LedgerError;

    #[test]
    fn the_ledger_refusals_of_a_counter_day_are_said_in_the_users_language() {
        let unreachable = AppError::Ledger(LedgerError::Unreachable {
            url: "postgres://ledger".into(),
            detail: "connection refused".into(),
        });
        let said = Lang::ALL.map(|lang| error_text(lang, &unreachable));
        assert!(said[0].starts_with("Yhteistä kirjanpitoa ei tavoiteta (connection refused)"));
        assert!(said[1].starts_with("Den gemensamma bokföringen kan inte nås"));
        assert!(said[2].starts_with("The shared ledger cannot be reached"));
        for error in [
            LedgerError::Locked,
            LedgerError::DiskFull,
            LedgerError::ReadOnly,
            LedgerError::Conflict,
            LedgerError::NotOnShared,
        ] {
            let error = AppError::Ledger(error);
            let [fi, sv, en] = Lang::ALL.map(|lang| error_text(lang, &error));
            assert!(fi != en && sv != en && fi != sv, "{en}");
        }
        // A rare one keeps the ledger's own sentence, which names the file.
        let rare = AppError::Ledger(LedgerError::NotInitialised);
        assert_eq!(error_text(Lang::Fi, &rare), error_text(Lang::En, &rare));
    }
}
