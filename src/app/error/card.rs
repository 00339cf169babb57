//! Card terminals and card payments. Its sentences in Finnish, Swedish and English are here, with
//! the type.

use crate::domain::Money;
use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum CardError {
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
    CardSaleReversed(Box<super::AppError>),
    /// The sale failed after the card approval and the reversal failed too.
    CardSaleNotReversed {
        sale: Box<super::AppError>,
        reversal: String,
        attempt: String,
    },
    /// The shared ledger went out of reach after the card approval: whether the sale was
    /// committed is not known here, so the payment is neither reversed nor charged again.
    CardSaleUnresolved {
        sale: Box<super::AppError>,
        attempt: String,
    },
    ManualTooEarly {
        tries: i64,
    },
    NetsAccountMissing,
    /// The terminal refused or could not be asked to reverse a payment.
    CardReversalFailed(String),
    /// A Nets Connect@Cloud terminal accepts payments only after its first reconciliation.
    TerminalNotReconciled(String),
}

impl CardError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use CardError::*;
        match (self, lang) {
            (CardTerminal(reason), Lang::Fi) => {
                format!("Maksupääte: {reason}. Korttia ei veloitettu; käteinen toimii.")
            }
            (CardTerminal(reason), Lang::Sv) => {
                format!("Kortterminalen: {reason}. Kortet debiterades inte; kontant fungerar.")
            }
            (CardTerminal(reason), Lang::En) => {
                format!("Card terminal: {reason}. The card was not charged; cash still works.")
            }
            (UnknownCardAttempt(id), Lang::Fi) => format!("Korttimaksuyritystä {id} ei ole."),
            (UnknownCardAttempt(id), Lang::Sv) => {
                format!("Kortbetalningsförsöket {id} finns inte.")
            }
            (UnknownCardAttempt(id), Lang::En) => format!("There is no card attempt {id}."),
            (CardAttemptResolved(state), Lang::Fi) => format!("Yritys on jo ratkaistu ({state})."),
            (CardAttemptResolved(state), Lang::Sv) => {
                format!("Försöket är redan avgjort ({state}).")
            }
            (CardAttemptResolved(state), Lang::En) => {
                format!("The attempt is already resolved ({state}).")
            }
            (TerminalExists(name), Lang::Fi) => format!("Maksupääte '{name}' on jo olemassa."),
            (TerminalExists(name), Lang::Sv) => format!("Terminalen '{name}' finns redan."),
            (TerminalExists(name), Lang::En) => {
                format!("A terminal named '{name}' already exists.")
            }
            (UnknownTerminal(name), Lang::Fi) => format!("Maksupäätettä '{name}' ei ole."),
            (UnknownTerminal(name), Lang::Sv) => format!("Terminalen '{name}' finns inte."),
            (UnknownTerminal(name), Lang::En) => format!("There is no terminal named '{name}'."),
            (NoTerminal(names), Lang::Fi) if names.is_empty() => {
                "Maksupäätettä ei ole asetettu: boxoffice terminal add.".into()
            }
            (NoTerminal(names), Lang::Sv) if names.is_empty() => {
                "Ingen terminal är inställd: boxoffice terminal add.".into()
            }
            (NoTerminal(names), Lang::En) if names.is_empty() => {
                "No card terminal is set up: boxoffice terminal add.".into()
            }
            (NoTerminal(names), Lang::Fi) => {
                format!("Valitse maksupääte (--terminal): {}.", names.join(", "))
            }
            (NoTerminal(names), Lang::Sv) => {
                format!("Välj terminal (--terminal): {}.", names.join(", "))
            }
            (NoTerminal(names), Lang::En) => {
                format!("Choose the terminal (--terminal): {}.", names.join(", "))
            }
            (TerminalUnsupported(name), Lang::Fi) => {
                format!("Maksupäätteen '{name}' tyyppiä ei tueta.")
            }
            (TerminalUnsupported(name), Lang::Sv) => {
                format!("Terminalen '{name}' är av en typ som inte stöds.")
            }
            (TerminalUnsupported(name), Lang::En) => {
                format!("Terminal '{name}' is of a kind this version does not support.")
            }
            (TerminalBlocked { terminal, attempts }, Lang::Fi) => format!(
                "Maksupääte '{terminal}' on estetty: maksujen {} tulos ei ole tiedossa. Ratkaise ne ensin (boxoffice payments pending).",
                attempts.join(", ")
            ),
            (TerminalBlocked { terminal, attempts }, Lang::Sv) => format!(
                "Terminalen '{terminal}' är spärrad: utfallet av {} är okänt. Avgör dem först (boxoffice payments pending).",
                attempts.join(", ")
            ),
            (TerminalBlocked { terminal, attempts }, Lang::En) => format!(
                "Terminal '{terminal}' is blocked: the outcome of {} is unknown. Resolve them first (boxoffice payments pending).",
                attempts.join(", ")
            ),
            (CardNotApproved { condition, text }, Lang::Fi) => format!(
                "Korttimaksu ei mennyt läpi ({}) {text}. Mitään ei myyty.",
                condition_text(lang, condition)
            ),
            (CardNotApproved { condition, text }, Lang::Sv) => format!(
                "Kortbetalningen godkändes inte ({}) {text}. Inget såldes.",
                condition_text(lang, condition)
            ),
            (CardNotApproved { condition, text }, Lang::En) => format!(
                "The card payment was not approved ({}) {text}. Nothing was sold.",
                condition_text(lang, condition)
            ),
            (CardOutcomeUnknown { terminal, attempt }, Lang::Fi) => format!(
                "Korttimaksun {attempt} tulos on tuntematon: päätettä '{terminal}' ei käytetä ennen kuin se selviää. Mitään ei myyty."
            ),
            (CardOutcomeUnknown { terminal, attempt }, Lang::Sv) => format!(
                "Utfallet av kortbetalningen {attempt} är okänt: terminalen '{terminal}' används inte förrän det är klart. Inget såldes."
            ),
            (CardOutcomeUnknown { terminal, attempt }, Lang::En) => format!(
                "The outcome of card payment {attempt} is unknown: terminal '{terminal}' is blocked until it is known. Nothing was sold."
            ),
            (CardAmount { card, total }, Lang::Fi) => {
                format!("Korttiosuus {card} ei sovi summaan {total}.")
            }
            (CardAmount { card, total }, Lang::Sv) => {
                format!("Kortdelen {card} passar inte totalen {total}.")
            }
            (CardAmount { card, total }, Lang::En) => {
                format!("The card part {card} does not fit the total {total}.")
            }
            (CardSaleReversed(why), lang) => match lang {
                Lang::Fi => format!(
                    "Myynti epäonnistui korttimaksun jälkeen ({}); maksu peruttiin päätteellä.",
                    super::error_text(lang, why)
                ),
                Lang::Sv => format!(
                    "Försäljningen misslyckades efter kortbetalningen ({}); betalningen återfördes på terminalen.",
                    super::error_text(lang, why)
                ),
                Lang::En => format!(
                    "The sale failed after the card payment ({}); the payment was reversed on the terminal.",
                    super::error_text(lang, why)
                ),
            },
            (
                CardSaleNotReversed {
                    sale,
                    reversal,
                    attempt,
                },
                lang,
            ) => match lang {
                Lang::Fi => format!(
                    "Myynti epäonnistui korttimaksun jälkeen ({}), eikä perumista saatu tehtyä ({reversal}): palauta maksu {attempt} asiakkaalle.",
                    super::error_text(lang, sale)
                ),
                Lang::Sv => format!(
                    "Försäljningen misslyckades efter kortbetalningen ({}) och återföringen misslyckades ({reversal}): återbetala {attempt} till kunden.",
                    super::error_text(lang, sale)
                ),
                Lang::En => format!(
                    "The sale failed after the card payment ({}) and the reversal failed ({reversal}): refund payment {attempt} to the customer.",
                    super::error_text(lang, sale)
                ),
            },
            (CardSaleUnresolved { sale, attempt }, lang) => match lang {
                Lang::Fi => format!(
                    "Yhteinen kirjanpito ei vastannut korttimaksun jälkeen ({}), joten ei tiedetä, kirjautuiko myynti. Älä veloita korttia uudelleen: kun yhteys palaa, maksu {attempt} joko löytyy myynnistään tai perutaan päätteellä (Avoimet korttimaksut).",
                    super::error_text(lang, sale)
                ),
                Lang::Sv => format!(
                    "Den gemensamma bokföringen svarade inte efter kortbetalningen ({}), så det är inte känt om försäljningen bokfördes. Debitera inte kortet igen: när förbindelsen är tillbaka hittas betalning {attempt} i sin försäljning eller återförs på terminalen (Öppna kortbetalningar).",
                    super::error_text(lang, sale)
                ),
                Lang::En => format!(
                    "The shared ledger did not answer after the card payment ({}), so whether the sale was recorded is not known. Do not charge the card again: when the ledger is back, payment {attempt} is found in its sale or reversed on the terminal (Pending card payments).",
                    super::error_text(lang, sale)
                ),
            },
            (CardReversalFailed(why), Lang::Fi) => format!("Maksupääte ei perunut maksua: {why}"),
            (CardReversalFailed(why), Lang::Sv) => {
                format!("Terminalen återförde inte betalningen: {why}")
            }
            (CardReversalFailed(why), Lang::En) => {
                format!("The terminal did not reverse the payment: {why}")
            }
            (NetsAccountMissing, Lang::Fi) => {
                "Nets Connect@Cloud -tiliä ei ole asetettu: boxoffice terminal nets-account.".into()
            }
            (NetsAccountMissing, Lang::Sv) => {
                "Inget Nets Connect@Cloud-konto är inställt: boxoffice terminal nets-account."
                    .into()
            }
            (NetsAccountMissing, Lang::En) => {
                "No Nets Connect@Cloud account is set up: boxoffice terminal nets-account.".into()
            }
            (TerminalNotReconciled(name), Lang::Fi) => format!(
                "Maksupääte '{name}' ei ota maksuja ennen ensimmäistä täsmäytystä: boxoffice terminal reconcile {name}."
            ),
            (TerminalNotReconciled(name), Lang::Sv) => format!(
                "Terminalen '{name}' tar inte emot betalningar före sin första avstämning: boxoffice terminal reconcile {name}."
            ),
            (TerminalNotReconciled(name), Lang::En) => format!(
                "Terminal '{name}' accepts payments only after its first reconciliation: boxoffice terminal reconcile {name}."
            ),
            (ManualTooEarly { tries }, Lang::Fi) => {
                format!("Käsin ratkaisu vasta {tries} epäonnistuneen tilakyselyn jälkeen.")
            }
            (ManualTooEarly { tries }, Lang::Sv) => {
                format!("Manuellt avgörande först efter {tries} misslyckade statusfrågor.")
            }
            (ManualTooEarly { tries }, Lang::En) => {
                format!("Resolving by hand is possible after {tries} failed status queries.")
            }
        }
    }
}

/// A terminal's `ErrorCondition` (the EMV agent link's English words, kept in English) for
/// the cashier; a condition the link does not name is shown as the terminal wrote it.
fn condition_text(lang: Lang, condition: &str) -> String {
    let [fi, sv] = match condition {
        "Aborted" => ["keskeytetty", "avbruten"],
        "Refusal" => ["hylätty", "nekad"],
        "Busy" => ["pääte on varattu", "terminalen är upptagen"],
        "NotAllowed" => ["ei sallittu", "inte tillåten"],
        "UnreachableHost" => ["maksupalvelu ei vastaa", "betaltjänsten svarar inte"],
        "MessageFormat" => [
            "pääte ei ymmärtänyt pyyntöä",
            "terminalen förstod inte begäran",
        ],
        _ => return condition.to_string(),
    };
    match lang {
        Lang::Fi => fi.to_string(),
        Lang::Sv => sv.to_string(),
        Lang::En => condition.to_string(),
    }
}
