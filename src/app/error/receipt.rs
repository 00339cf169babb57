//! The customer receipt and the seller settings. Its sentences in Finnish, Swedish and English are
//! here, with the type.

use crate::domain::ids::OrderNumber;
use crate::i18n::*;

/// What went wrong with a receipt or the seller settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptProblem {
    /// Receipt number: its one copy was printed already.
    CopyAlreadyPrinted(i64),
    /// Receipt number: the original was printed; only a copy can follow.
    OriginalAlreadyPrinted(i64),
    NoReceiptPrinter,
    /// The order has no refund (with a receipt).
    NoRefund(OrderNumber),
    /// (what, the value given)
    BadBusinessId(String),
    BadSetting(String),
    CurrencyFixed,
    /// The receipt printer did not take the job.
    Printer(String),
}

impl ReceiptProblem {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use ReceiptProblem::*;
        match (self, lang) {
            (CopyAlreadyPrinted(n), Lang::Fi) => {
                format!("Kuitista {n} on jo tulostettu kopio; toista kopiota ei voi tulostaa.")
            }
            (CopyAlreadyPrinted(n), Lang::Sv) => {
                format!("En kopia av kvitto {n} är redan utskriven; en andra kopia får inte skrivas ut.")
            }
            (CopyAlreadyPrinted(n), Lang::En) => {
                format!("A copy of receipt {n} was already printed; a second copy cannot be printed.")
            }
            (OriginalAlreadyPrinted(n), Lang::Fi) => {
                format!("Kuitti {n} on jo tulostettu; tulosta kopio (--copy).")
            }
            (OriginalAlreadyPrinted(n), Lang::Sv) => {
                format!("Kvitto {n} är redan utskrivet; skriv ut en kopia (--copy).")
            }
            (OriginalAlreadyPrinted(n), Lang::En) => {
                format!("Receipt {n} was already printed; print a copy (--copy).")
            }
            (NoReceiptPrinter, Lang::Fi) => {
                "Kuittitulostinta ei ole asetettu: anna --to tai aseta register seller --receipt-printer.".into()
            }
            (NoReceiptPrinter, Lang::Sv) => {
                "Ingen kvittoskrivare är inställd: ange --to eller register seller --receipt-printer.".into()
            }
            (NoReceiptPrinter, Lang::En) => {
                "No receipt printer is set: give --to or set register seller --receipt-printer.".into()
            }
            (NoRefund(order), Lang::Fi) => format!("Tilauksella {order} ei ole palautusta."),
            (NoRefund(order), Lang::Sv) => format!("Order {order} har ingen retur."),
            (NoRefund(order), Lang::En) => format!("Order {order} has no refund."),
            (BadBusinessId(id), Lang::Fi) => format!(
                "'{id}' ei ole kelvollinen Y-tunnus (1234567-8) tai organisationsnummer (556012-5790); tarkistusnumero ei täsmää."
            ),
            (BadBusinessId(id), Lang::Sv) => format!(
                "'{id}' är inte ett giltigt FO-nummer (1234567-8) eller organisationsnummer (556012-5790); kontrollsiffran stämmer inte."
            ),
            (BadBusinessId(id), Lang::En) => format!(
                "'{id}' is not a valid business ID (Y-tunnus 1234567-8 for EUR, organisationsnummer 556012-5790 for SEK); its check digit does not match."
            ),
            (BadSetting(what), Lang::Fi) => format!("Virheellinen asetus: {what}."),
            (BadSetting(what), Lang::Sv) => format!("Felaktig inställning: {what}."),
            (BadSetting(what), Lang::En) => format!("Not a valid setting: {what}."),
            (CurrencyFixed, Lang::Fi) => {
                "Kassan valuuttaa ei voi vaihtaa, kun sillä on vuoroja tai myyntejä.".into()
            }
            (CurrencyFixed, Lang::Sv) => {
                "Kassans valuta kan inte ändras när den har skift eller försäljning.".into()
            }
            (CurrencyFixed, Lang::En) => {
                "The register's currency cannot change once it has shifts or sales.".into()
            }
            (Printer(why), Lang::Fi) => format!("Kuittitulostin ei ottanut kuittia vastaan: {why}"),
            (Printer(why), Lang::Sv) => format!("Kvittoskrivaren tog inte emot kvittot: {why}"),
            (Printer(why), Lang::En) => format!("The receipt printer did not take the receipt: {why}"),
        }
    }
}
