//! A sale: the cart, the tender, the order and its tickets. Its sentences in Finnish, Swedish and
//! English are here, with the type.

use crate::domain::Money;
use crate::domain::ids::{OrderNumber, PerformanceId};
use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum SaleError {
    /// The shared ledger is out of reach (since `since`, the last error): no sale until it is back.
    LedgerUnreachable {
        since: String,
        error: String,
    },
    InsufficientTender {
        missing: Money,
    },
    NotEnoughLeft {
        requested: i64,
        remaining: i64,
    },
    UnknownPerformance(PerformanceId),
    UnknownCategory {
        code: String,
        available: Vec<String>,
    },
    EmptyCart,
    UnknownOrder(OrderNumber),
    TenderNeedsLink(Vec<String>),
    InvalidEmail(String),
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
    /// The register's fiscal device (control unit, signing step) gave no stamp: nothing sold.
    FiscalDevice(String),
}

impl SaleError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use SaleError::*;
        match (self, lang) {
            (LedgerUnreachable { since, error }, Lang::Fi) => format!(
                "Yhteinen kirjanpito on ollut tavoittamattomissa {since} alkaen ({error}): myyntiä ei kirjata ennen kuin yhteys palaa. Kassa yhdistää uudelleen itse."
            ),
            (LedgerUnreachable { since, error }, Lang::Sv) => format!(
                "Den gemensamma bokföringen har varit onåbar sedan {since} ({error}): ingen försäljning bokförs förrän förbindelsen är tillbaka. Kassan ansluter igen av sig själv."
            ),
            (LedgerUnreachable { since, error }, Lang::En) => format!(
                "The shared ledger has been out of reach since {since} ({error}): no sale is recorded until it is back. The counter reconnects by itself."
            ),
            (InsufficientTender { missing }, Lang::Fi) => {
                format!("Annettu summa ei riitä: puuttuu {missing}.")
            }
            (InsufficientTender { missing }, Lang::Sv) => {
                format!("Beloppet räcker inte: {missing} saknas.")
            }
            (InsufficientTender { missing }, Lang::En) => {
                format!("The amount tendered is not enough: {missing} is missing.")
            }
            (
                NotEnoughLeft {
                    requested,
                    remaining,
                },
                Lang::Fi,
            ) => {
                format!(
                    "Lippuja on jäljellä vain {remaining} (pyydetty {requested}). Mitään ei myyty."
                )
            }
            (
                NotEnoughLeft {
                    requested,
                    remaining,
                },
                Lang::Sv,
            ) => format!("Bara {remaining} biljetter kvar ({requested} begärda). Inget såldes."),
            (
                NotEnoughLeft {
                    requested,
                    remaining,
                },
                Lang::En,
            ) => {
                format!(
                    "Only {remaining} tickets are left ({requested} asked for). Nothing was sold."
                )
            }
            (UnknownPerformance(id), Lang::Fi) => format!("Esitystä {id} ei ole."),
            (UnknownPerformance(id), Lang::Sv) => format!("Föreställning {id} finns inte."),
            (UnknownPerformance(id), Lang::En) => format!("There is no performance {id}."),
            (UnknownCategory { code, available }, Lang::Fi) => format!(
                "Hintaluokkaa {code} ei ole tässä esityksessä (on: {}).",
                available.join(", ")
            ),
            (UnknownCategory { code, available }, Lang::Sv) => format!(
                "Priskategorin {code} finns inte för föreställningen (finns: {}).",
                available.join(", ")
            ),
            (UnknownCategory { code, available }, Lang::En) => format!(
                "There is no price category {code} for this performance (there are: {}).",
                available.join(", ")
            ),
            (EmptyCart, Lang::Fi) => "Ostoskori on tyhjä.".into(),
            (EmptyCart, Lang::Sv) => "Varukorgen är tom.".into(),
            (EmptyCart, Lang::En) => "The cart is empty.".into(),
            (UnknownOrder(number), Lang::Fi) => format!("Tilausta {number} ei ole."),
            (UnknownOrder(number), Lang::Sv) => format!("Order {number} finns inte."),
            (UnknownOrder(number), Lang::En) => format!("There is no order {number}."),
            (TenderNeedsLink(tenders), Lang::Fi) => format!(
                "Tilaus on maksettu tavalla {}: palautus vaatii sen maksuyhteyden (kortti: maksupääte), joka ei ole vielä käytössä. Mitään ei palautettu.",
                tenders.join(" + ")
            ),
            (TenderNeedsLink(tenders), Lang::Sv) => format!(
                "Ordern betalades med {}: återbetalningen kräver den betalningslänken (kort: terminalen), som inte finns än. Inget återbetalades.",
                tenders.join(" + ")
            ),
            (TenderNeedsLink(tenders), Lang::En) => format!(
                "The order was paid by {}: refunding it needs that payment link (card: the terminal), which is not available yet. Nothing was refunded.",
                tenders.join(" + ")
            ),
            (InvalidEmail(email), Lang::Fi) => format!("Sähköpostiosoite '{email}' ei kelpaa."),
            (InvalidEmail(email), Lang::Sv) => format!("E-postadressen '{email}' är inte giltig."),
            (InvalidEmail(email), Lang::En) => {
                format!("The e-mail address '{email}' is not valid.")
            }
            (UnknownTicket(code), Lang::Fi) => format!("Lippua {code} ei ole."),
            (UnknownTicket(code), Lang::Sv) => format!("Biljetten {code} finns inte."),
            (UnknownTicket(code), Lang::En) => format!("There is no ticket {code}."),
            (
                TicketReplaced {
                    code,
                    reissue_number,
                },
                Lang::Fi,
            ) => format!(
                "Lippu {code} on mitätöity: sen tilalle on annettu uusi lippu nro {reissue_number}."
            ),
            (
                TicketReplaced {
                    code,
                    reissue_number,
                },
                Lang::Sv,
            ) => format!(
                "Biljetten {code} är spärrad: den har ersatts av ny biljett nr {reissue_number}."
            ),
            (
                TicketReplaced {
                    code,
                    reissue_number,
                },
                Lang::En,
            ) => format!(
                "Ticket {code} is revoked: it was replaced by reissue no. {reissue_number}."
            ),
            (TicketNotValid { code, state }, Lang::Fi) => {
                format!("Lippu {code} ei ole voimassa ({state}): sitä ei tulosteta.")
            }
            (TicketNotValid { code, state }, Lang::Sv) => {
                format!("Biljetten {code} är inte giltig ({state}): den skrivs inte ut.")
            }
            (TicketNotValid { code, state }, Lang::En) => {
                format!("Ticket {code} is not valid ({state}): it is not printed.")
            }
            (FiscalDevice(why), Lang::Fi) => {
                format!("Kassan valvontayksikkö ei vahvistanut kuittia ({why}). Mitään ei myyty.")
            }
            (FiscalDevice(why), Lang::Sv) => {
                format!("Kontrollenheten registrerade inte kvittot ({why}). Inget såldes.")
            }
            (FiscalDevice(why), Lang::En) => {
                format!(
                    "The register's control unit did not stamp the receipt ({why}). Nothing was sold."
                )
            }
        }
    }
}
