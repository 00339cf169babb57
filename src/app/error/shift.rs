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
    NotEnoughInDrawer {
        in_drawer: Money,
    },
    ReceiptGap {
        expected: i64,
        found: i64,
    },
    UnknownZReport(i64),
    BadCount(String),
    /// The trading day already has its Z report (one per day).
    DayClosed {
        day: String,
        number: i64,
    },
    /// A shift of the trading day is still open.
    DayShiftOpen(String),
    /// No shift was opened on that trading day.
    NoShiftsOnDay(String),
    /// Every trading day with shifts has its Z report.
    NoDayToEnd,
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
            (DayClosed { day, number }, Lang::Fi) => format!(
                "Päivällä {day} on jo Z-raportti ({number}): päivälle ei avata enää vuoroja eikä toista Z-raporttia tehdä."
            ),
            (DayClosed { day, number }, Lang::Sv) => format!(
                "Dagen {day} har redan sin Z-rapport ({number}): inga fler skift öppnas den dagen och ingen andra Z-rapport görs."
            ),
            (DayClosed { day, number }, Lang::En) => format!(
                "The trading day {day} already has its Z report ({number}): no more shifts open on it and no second Z is made."
            ),
            (DayShiftOpen(day), Lang::Fi) => {
                format!("Päivän {day} vuoro on vielä auki: sulje se ensin.")
            }
            (DayShiftOpen(day), Lang::Sv) => {
                format!("Ett skift från {day} är fortfarande öppet: stäng det först.")
            }
            (DayShiftOpen(day), Lang::En) => {
                format!("A shift of {day} is still open: close it first.")
            }
            (NoShiftsOnDay(day), Lang::Fi) => format!("Päivänä {day} ei avattu yhtään vuoroa."),
            (NoShiftsOnDay(day), Lang::Sv) => format!("Inget skift öppnades {day}."),
            (NoShiftsOnDay(day), Lang::En) => format!("No shift was opened on {day}."),
            (NoDayToEnd, Lang::Fi) => "Jokaisella vuoropäivällä on jo Z-raportti.".into(),
            (NoDayToEnd, Lang::Sv) => "Varje dag med skift har redan sin Z-rapport.".into(),
            (NoDayToEnd, Lang::En) => {
                "Every trading day with shifts has its Z report already.".into()
            }
        }
    }
}
