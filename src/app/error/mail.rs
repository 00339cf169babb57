//! Mail servers, ticket mail and SMS. Its sentences in Finnish, Swedish and English are here, with
//! the type.

use crate::domain::ids::OrderNumber;
use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum MailError {
    UnknownMailServer(String),
    MailServerExists(String),
    NoEmailAddress(OrderNumber),
    UnknownMail(i64),
    MailNotFailed(i64),
    NoDkimKey(String),
    InvalidPhone(String),
    /// Mail settings that cannot work; the detail is technical (a path, a TLS error).
    MailSetup(String),
}

impl MailError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use MailError::*;
        match (self, lang) {
            (UnknownMailServer(name), Lang::Fi) => format!("Sähköpostipalvelinta '{name}' ei ole."),
            (UnknownMailServer(name), Lang::Sv) => format!("E-postservern '{name}' finns inte."),
            (UnknownMailServer(name), Lang::En) => format!("There is no mail server '{name}'."),
            (MailServerExists(name), Lang::Fi) => {
                format!("Sähköpostipalvelin '{name}' on jo olemassa: valitse toinen nimi.")
            }
            (MailServerExists(name), Lang::Sv) => {
                format!("E-postservern '{name}' finns redan: välj ett annat namn.")
            }
            (MailServerExists(name), Lang::En) => {
                format!("A mail server named '{name}' already exists: choose another name.")
            }
            (NoEmailAddress(order), Lang::Fi) => {
                format!("Tilauksella {order} ei ole sähköpostiosoitetta: anna osoite.")
            }
            (NoEmailAddress(order), Lang::Sv) => {
                format!("Order {order} har ingen e-postadress: ange en adress.")
            }
            (NoEmailAddress(order), Lang::En) => {
                format!("Order {order} has no e-mail address: give one.")
            }
            (UnknownMail(id), Lang::Fi) => format!("Viestiä {id} ei ole lähtevissä."),
            (UnknownMail(id), Lang::Sv) => format!("Meddelande {id} finns inte i utkorgen."),
            (UnknownMail(id), Lang::En) => format!("There is no message {id} in the outbox."),
            (MailNotFailed(id), Lang::Fi) => {
                format!("Viesti {id} on jo lähetetty tai korvattu: osoitetta ei voi enää korjata.")
            }
            (MailNotFailed(id), Lang::Sv) => {
                format!("Meddelande {id} är redan skickat eller ersatt: adressen kan inte rättas.")
            }
            (MailNotFailed(id), Lang::En) => {
                format!(
                    "Message {id} was already sent or replaced: its address cannot be corrected."
                )
            }
            (NoDkimKey(domain), Lang::Fi) => {
                format!("Verkkotunnuksella {domain} ei ole DKIM-avainta: luo se ensin.")
            }
            (NoDkimKey(domain), Lang::Sv) => {
                format!("Domänen {domain} har ingen DKIM-nyckel: skapa den först.")
            }
            (NoDkimKey(domain), Lang::En) => {
                format!("The domain {domain} has no DKIM key: generate one first.")
            }
            (InvalidPhone(phone), Lang::Fi) => {
                format!("Puhelinnumero '{phone}' ei kelpaa (esim. +358 40 123 4567).")
            }
            (InvalidPhone(phone), Lang::Sv) => {
                format!("Telefonnumret '{phone}' är inte giltigt (t.ex. +358 40 123 4567).")
            }
            (InvalidPhone(phone), Lang::En) => {
                format!("The phone number '{phone}' is not valid (e.g. +358 40 123 4567).")
            }
            (MailSetup(detail), Lang::Fi) => format!("Sähköpostin asetukset eivät toimi: {detail}"),
            (MailSetup(detail), Lang::Sv) => {
                format!("E-postinställningarna fungerar inte: {detail}")
            }
            (MailSetup(detail), Lang::En) => format!("The mail settings do not work: {detail}"),
        }
    }
}
