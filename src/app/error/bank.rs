//! Bank payments (Verkkomaksu) and reservations. Its sentences in Finnish, Swedish and English are
//! here, with the type.

use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum BankError {
    BankNotConfigured,
    BadBankSetting(String),
    /// A reply from the bank that was refused (forged, tampered, about something else).
    BankReply(String),
    /// The bank link failed (listener, endpoint); the sentence says how.
    Link(String),
    UnknownReservation(String),
    /// A bank payment is refunded at most once (the bank's rule).
    BankRefundOnce,
    ReservationEnded {
        reference: String,
        state: String,
    },
}

impl BankError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use BankError::*;
        match (self, lang) {
            (BankNotConfigured, Lang::Fi) => "Verkkomaksua ei ole määritetty: anna kauppiasnumero, sopimusnumero ja salainen avain pankkiasetuksissa (`boxoffice bank settings`, `boxoffice bank key add`).".into(),
            (BankNotConfigured, Lang::Sv) => "Nätbetalning är inte inställd: ange handlarnummer, avtalsnummer och hemlig nyckel i bankinställningarna (`boxoffice bank settings`, `boxoffice bank key add`).".into(),
            (BankNotConfigured, Lang::En) => "Bank payment is not set up: enter the merchant number, contract number and secret key in the bank settings (`boxoffice bank settings`, `boxoffice bank key add`).".into(),
            (BadBankSetting(what), Lang::Fi) => format!("Pankkiasetus ei kelpaa: {what}."),
            (BadBankSetting(what), Lang::Sv) => format!("Bankinställningen är ogiltig: {what}."),
            (BadBankSetting(what), Lang::En) => format!("Invalid bank setting: {what}."),
            (BankReply(why), Lang::Fi) => format!("Pankin vastaus hylättiin, mitään ei myyty: {why}"),
            (BankReply(why), Lang::Sv) => format!("Bankens svar avvisades, inget såldes: {why}"),
            (BankReply(why), Lang::En) => format!("The bank's reply was refused and nothing was sold: {why}"),
            (Link(why), Lang::Fi) => format!("Pankkiyhteys epäonnistui: {why}"),
            (Link(why), Lang::Sv) => format!("Bankförbindelsen misslyckades: {why}"),
            (Link(why), Lang::En) => format!("The bank link failed: {why}"),
            (UnknownReservation(reference), Lang::Fi) => format!("Varausta viitteellä {reference} ei ole."),
            (UnknownReservation(reference), Lang::Sv) => format!("Ingen reservation med referensen {reference}."),
            (UnknownReservation(reference), Lang::En) => format!("There is no reservation with reference {reference}."),
            (ReservationEnded { reference, state }, Lang::Fi) => format!("Varaus {reference} on jo päättynyt ({state})."),
            (ReservationEnded { reference, state }, Lang::Sv) => format!("Reservationen {reference} är redan avslutad ({state})."),
            (ReservationEnded { reference, state }, Lang::En) => format!("Reservation {reference} has already ended ({state})."),
            (BankRefundOnce, Lang::Fi) => "Verkkomaksun voi hyvittää vain kerran, ja tämä maksu on jo hyvitetty.".into(),
            (BankRefundOnce, Lang::Sv) => "En nätbetalning kan återbetalas bara en gång, och den här är redan återbetald.".into(),
            (BankRefundOnce, Lang::En) => "A bank payment can be refunded only once, and this one already was.".into(),
        }
    }
}
