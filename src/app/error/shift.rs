//! The shift and its drawer: open, cash in and out, X and Z. Its sentences in Finnish, Swedish and
//! English are here, with the type.

use crate::domain::Money;
use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum ShiftError {
    NoOpenShift,
    ShiftAlreadyOpen,
    NegativeAmount,
    ReasonMissing,
    NotEnoughInDrawer { in_drawer: Money },
    ReceiptGap { expected: i64, found: i64 },
    UnknownZReport(i64),
    BadCount(String),
}

impl ShiftError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use ShiftError::*;
        match (self, lang) {
            (NoOpenShift, Lang::Fi) => {
                "Vuoroa ei ole avattu: avaa vuoro ensin (vaihtokassa).".into()
            }
            (NoOpenShift, Lang::Sv) => {
                "Inget skift är öppet: öppna ett skift först (växelkassa).".into()
            }
            (NoOpenShift, Lang::En) => {
                "No shift is open: open a shift first (with the float in the drawer).".into()
            }
            (ShiftAlreadyOpen, Lang::Fi) => "Tällä kassalla on jo avoin vuoro.".into(),
            (ShiftAlreadyOpen, Lang::Sv) => "Ett skift är redan öppet på den här kassan.".into(),
            (ShiftAlreadyOpen, Lang::En) => "A shift is already open on this register.".into(),
            (NegativeAmount, Lang::Fi) => "Summan on oltava positiivinen.".into(),
            (NegativeAmount, Lang::Sv) => "Beloppet måste vara positivt.".into(),
            (NegativeAmount, Lang::En) => "The amount must be more than zero.".into(),
            (ReasonMissing, Lang::Fi) => "Kirjoita syy.".into(),
            (ReasonMissing, Lang::Sv) => "Ange en orsak.".into(),
            (ReasonMissing, Lang::En) => "Give a reason.".into(),
            (NotEnoughInDrawer { in_drawer }, Lang::Fi) => {
                format!("Kassalaatikossa on vain {in_drawer}.")
            }
            (NotEnoughInDrawer { in_drawer }, Lang::Sv) => {
                format!("Kassalådan innehåller bara {in_drawer}.")
            }
            (NotEnoughInDrawer { in_drawer }, Lang::En) => {
                format!("The drawer holds only {in_drawer}.")
            }
            (ReceiptGap { expected, found }, _) => format!(
                "Receipt numbers are not continuous: expected {expected}, found {found}. Run boxoffice verify and call support."
            ),
            (UnknownZReport(number), Lang::Fi) => format!("Z-raporttia {number} ei ole."),
            (UnknownZReport(number), Lang::Sv) => format!("Z-rapport {number} finns inte."),
            (UnknownZReport(number), Lang::En) => format!("There is no Z report {number}."),
            (BadCount(reason), _) => format!("The count is not valid: {reason}"),
        }
    }
}
