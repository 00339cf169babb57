//! A refund: which tickets and how much. Its sentences in Finnish, Swedish and English are here,
//! with the type.

use crate::domain::Money;
use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum RefundError {
    TicketTwice(String),
    TicketNotRefundable(String),
    AlreadyRefunded,
    MoreThanPaid { refundable: Money },
}

impl RefundError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use RefundError::*;
        match (self, lang) {
            (TicketTwice(code), _) => format!("Ticket {code} is listed twice."),
            (TicketNotRefundable(code), Lang::Fi) => {
                format!("Lippu {code} ei kuulu tähän tilaukseen tai se on jo hyvitetty.")
            }
            (TicketNotRefundable(code), Lang::Sv) => {
                format!("Biljett {code} hör inte till ordern eller är redan återbetald.")
            }
            (TicketNotRefundable(code), Lang::En) => {
                format!("Ticket {code} is not part of this order or was already refunded.")
            }
            (AlreadyRefunded, Lang::Fi) => "Tilaus on jo hyvitetty kokonaan.".into(),
            (AlreadyRefunded, Lang::Sv) => "Ordern är redan helt återbetald.".into(),
            (AlreadyRefunded, Lang::En) => "Nothing is left to refund on this order.".into(),
            (MoreThanPaid { refundable }, Lang::Fi) => {
                format!("Enintään {refundable} voidaan vielä hyvittää.")
            }
            (MoreThanPaid { refundable }, Lang::Sv) => {
                format!("Högst {refundable} kan återbetalas.")
            }
            (MoreThanPaid { refundable }, Lang::En) => {
                format!("At most {refundable} can still be refunded.")
            }
        }
    }
}
