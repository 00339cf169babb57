//! Ticket printers and printing. Its sentences in Finnish, Swedish and English are here, with the
//! type.

use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum PrintError {
    UnknownPrinter(String),
    BadPrinterSetting(String),
    /// A ticket that reached a printer gets a copy or a reissue, not a second original.
    AlreadyPrinted(String),
}

impl PrintError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use PrintError::*;
        match (self, lang) {
            (UnknownPrinter(name), Lang::Fi) => {
                format!("Tulostinta '{name}' ei ole (katso boxoffice printer list).")
            }
            (UnknownPrinter(name), Lang::Sv) => {
                format!("Skrivaren '{name}' finns inte (se boxoffice printer list).")
            }
            (UnknownPrinter(name), Lang::En) => {
                format!("There is no printer '{name}' (see boxoffice printer list).")
            }
            (BadPrinterSetting(reason), Lang::Fi) => {
                format!("Tulostimen asetus ei kelpaa: {reason}")
            }
            (BadPrinterSetting(reason), Lang::Sv) => {
                format!("Skrivarinställningen duger inte: {reason}")
            }
            (BadPrinterSetting(reason), Lang::En) => {
                format!("The printer setting is not valid: {reason}")
            }
            (AlreadyPrinted(code), Lang::Fi) => format!(
                "Lippu {code} on jo tulostettu: tulosta kopio (--copy) tai uusi lippu (--reissue)."
            ),
            (AlreadyPrinted(code), Lang::Sv) => format!(
                "Biljetten {code} är redan utskriven: skriv ut en kopia (--copy) eller en ny biljett (--reissue)."
            ),
            (AlreadyPrinted(code), Lang::En) => format!(
                "Ticket {code} was already printed: print a copy (--copy) or reissue it (--reissue)."
            ),
        }
    }
}
