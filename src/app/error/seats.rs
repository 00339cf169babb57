//! Reserved seating: seats, plans, holds, exchanges. Its sentences in Finnish, Swedish and English
//! are here, with the type.

use crate::domain::ids::PerformanceId;
use crate::i18n::*;

/// What is wrong with a seating request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatProblem {
    /// Seats were asked for at a performance with free seating.
    NotSeated(PerformanceId),
    UnknownSeat(String),
    /// Sold or held by someone else.
    Taken(Vec<String>),
    CountMismatch {
        tickets: usize,
        seats: usize,
    },
    /// Not enough free seats (or wheelchair places) for the request.
    NoneLeft {
        requested: usize,
    },
    /// No block of adjacent seats is left; the best split is offered.
    SplitOffered(Vec<String>),
    NoPlan(String),
    BadPlan(String),
    BadReason(String),
    NotHeld(String),
    /// The hold would already be released (the performance is too close).
    TooLate,
    /// An exchange to a seat of another price, or of a ticket that is not valid.
    Exchange(String),
}

impl SeatProblem {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use SeatProblem::*;
        match (self, lang) {
            (NotSeated(id), Lang::Fi) => {
                format!("Esityksessä {id} ei ole numeroituja paikkoja; myy ilman paikkoja.")
            }
            (NotSeated(id), Lang::Sv) => {
                format!("Föreställning {id} har inga numrerade platser; sälj utan platser.")
            }
            (NotSeated(id), Lang::En) => {
                format!("Performance {id} has free seating; sell without seats.")
            }
            (UnknownSeat(seat), Lang::Fi) => {
                format!("Paikkaa {seat} ei ole tämän esityksen salissa (muoto OSASTO:RIVI:PAIKKA).")
            }
            (UnknownSeat(seat), Lang::Sv) => format!(
                "Platsen {seat} finns inte i salongen för den här föreställningen (form SEKTION:RAD:PLATS)."
            ),
            (UnknownSeat(seat), Lang::En) => {
                format!("Seat {seat} is not in this performance's plan (write SECTION:ROW:SEAT).")
            }
            (Taken(seats), Lang::Fi) => format!(
                "Paikka on jo myyty tai varattu: {}. Mitään ei myyty.",
                seats.join(", ")
            ),
            (Taken(seats), Lang::Sv) => format!(
                "Platsen är redan såld eller spärrad: {}. Inget såldes.",
                seats.join(", ")
            ),
            (Taken(seats), Lang::En) => format!(
                "Seat already sold or held: {}. Nothing was sold.",
                seats.join(", ")
            ),
            (CountMismatch { tickets, seats }, Lang::Fi) => {
                format!("Lippuja on {tickets} mutta paikkoja {seats}: määrien pitää täsmätä.")
            }
            (CountMismatch { tickets, seats }, Lang::Sv) => {
                format!("{tickets} biljetter men {seats} platser: antalen ska stämma.")
            }
            (CountMismatch { tickets, seats }, Lang::En) => {
                format!("{tickets} tickets but {seats} seats: the numbers must match.")
            }
            (NoneLeft { requested }, Lang::Fi) => {
                format!("Vapaita paikkoja ei ole {requested} kappaletta (tai pyörätuolipaikkaa).")
            }
            (NoneLeft { requested }, Lang::Sv) => {
                format!("Det finns inte {requested} lediga platser (eller rullstolsplatser).")
            }
            (NoneLeft { requested }, Lang::En) => {
                format!("There are not {requested} free seats (or wheelchair places) left.")
            }
            (SplitOffered(seats), Lang::Fi) => format!(
                "Vierekkäisiä paikkoja ei ole; parhaat erilliset paikat: {}. Hyväksy ne valitsemalla nämä paikat.",
                seats.join(", ")
            ),
            (SplitOffered(seats), Lang::Sv) => format!(
                "Inga platser bredvid varandra; bästa åtskilda platser: {}. Godkänn dem genom att välja just de platserna.",
                seats.join(", ")
            ),
            (SplitOffered(seats), Lang::En) => format!(
                "No adjacent seats left; the best split is {}. Accept it by choosing these seats.",
                seats.join(", ")
            ),
            (NoPlan(venue), Lang::Fi) => format!("Paikalla {venue} ei ole salikarttaa."),
            (NoPlan(venue), Lang::Sv) => format!("{venue} har ingen salongskarta."),
            (NoPlan(venue), Lang::En) => format!("{venue} has no seat plan."),
            (BadPlan(why), Lang::Fi) => format!("Salikarttaa ei tuotu: {why}"),
            (BadPlan(why), Lang::Sv) => format!("Salongskartan importerades inte: {why}"),
            (BadPlan(why), Lang::En) => format!("The seat plan was not imported: {why}"),
            (BadReason(reason), Lang::Fi) => {
                format!("Tuntematon syy '{reason}': press, artist tai technical.")
            }
            (BadReason(reason), Lang::Sv) => {
                format!("Okänd orsak '{reason}': press, artist eller technical.")
            }
            (BadReason(reason), Lang::En) => {
                format!("Unknown reason '{reason}': press, artist or technical.")
            }
            (NotHeld(seat), Lang::Fi) => format!("Paikka {seat} ei ole varattuna."),
            (NotHeld(seat), Lang::Sv) => format!("Platsen {seat} är inte spärrad."),
            (NotHeld(seat), Lang::En) => format!("Seat {seat} is not held."),
            (TooLate, Lang::Fi) => "Esitys alkaa niin pian, että varaus vapautuisi heti.".into(),
            (TooLate, Lang::Sv) => {
                "Föreställningen börjar så snart att spärren genast skulle släppas.".into()
            }
            (TooLate, Lang::En) => {
                "The performance starts so soon that the hold would be released at once.".into()
            }
            (Exchange(why), Lang::Fi) => format!("Paikkaa ei voi vaihtaa: {why}"),
            (Exchange(why), Lang::Sv) => format!("Platsen kan inte bytas: {why}"),
            (Exchange(why), Lang::En) => format!("The seat cannot be exchanged: {why}"),
        }
    }
}
