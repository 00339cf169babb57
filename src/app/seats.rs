//! Reserved seating: plans, the seat map of a performance, cart holds, manager holds, seats
//! for a sale, exchanges. Every change is one transaction with its journal entry; the primary
//! key of `seat_occupancy` is what makes a seat impossible to sell twice.

use crate::app::{AdminError, SaleError};
use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, PerformanceId, UserId};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::json;

use super::services::require;
use super::{AppError, Services, Session};
use crate::domain::Permission;
use crate::domain::seating::{
    BestRequest, SeatPlan, SeatRef, best_available, parse_plan_csv, plan_csv,
};
use crate::ledger::operations::{OperationId, Recorded};
use crate::ledger::{NewOccupancy, OccupancyRow, Tx};

mod holds;

/// How long seats stay in a cashier's cart without a sale.
pub const CART_HOLD_MINUTES: i64 = 5;
/// A manager's hold is released this long before the performance unless told otherwise.
pub const DEFAULT_HOLD_RELEASE_MINUTES: i64 = 60;
/// Reason codes of a manager's hold.
pub const HOLD_REASONS: [&str; 3] = ["press", "artist", "technical"];

pub use super::error::SeatProblem;

/// The state of one seat as the map shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatState {
    Free,
    Sold,
    /// A manager's hold, with its reason code.
    Held(String),
    /// In a cashier's cart, with the cart's token.
    Cart(String),
}

/// A seated performance's plan and who has which seat, for the map and best available.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatingView {
    pub performance_id: PerformanceId,
    pub plan: SeatPlan,
    /// One per seat of `plan.seats`.
    pub states: Vec<SeatState>,
    /// (category id, rank, price in cents): the categories that cost otherwise in a zone.
    pub zone_prices: Vec<(i64, u32, i64)>,
}

impl SeatingView {
    /// The price of a category on a seat, when its zone has a price of its own.
    pub fn zone_price(&self, category_id: i64, seat: usize) -> Option<i64> {
        let rank = self.plan.seats.get(seat)?.rank;
        self.zone_prices
            .iter()
            .find(|(c, r, _)| *c == category_id && *r == rank)
            .map(|(_, _, cents)| *cents)
    }

    /// Free for this cart: nobody has it, or this cart does.
    pub fn free_for(&self, token: Option<&str>) -> Vec<bool> {
        self.states
            .iter()
            .map(|state| match state {
                SeatState::Free => true,
                SeatState::Cart(holder) => Some(holder.as_str()) == token,
                _ => false,
            })
            .collect()
    }

    pub fn free_seats(&self) -> Vec<SeatRef> {
        (0..self.plan.seats.len())
            .filter(|&i| self.states[i] == SeatState::Free)
            .map(|i| self.plan.seat_ref(i))
            .collect()
    }

    /// The seats in the cart of `token`, in plan order.
    pub fn cart_seats(&self, token: &str) -> Vec<usize> {
        (0..self.plan.seats.len())
            .filter(|&i| matches!(&self.states[i], SeatState::Cart(t) if t == token))
            .collect()
    }
}

/// The one zone pricing (the sale and the counter's cart both use it): `tickets` (a category
/// and how many, in the cart's order) get `seats` in that order, each ticket priced by its
/// seat's zone when its category costs otherwise there. Returns the cart (a line per category
/// and price) and the seats in the cart's ticket order, the order the sale writes tickets in.
/// Without a seat map, or until every ticket has a seat, the categories' own prices.
pub fn zone_priced(
    view: Option<&SeatingView>,
    tickets: &[(crate::domain::PricedCategory, u32)],
    seats: &[usize],
) -> (crate::domain::Cart, Vec<usize>) {
    let n_tickets: usize = tickets.iter().map(|(_, quantity)| *quantity as usize).sum();
    let seats = if seats.len() == n_tickets { seats } else { &[] };
    let mut seats = seats.iter().copied();
    // Seats per cart line (category and price), in the cart's line order.
    let mut line_seats: Vec<(i64, crate::domain::Money, Vec<usize>)> = Vec::new();
    let mut cart = crate::domain::Cart::new();
    for (category, quantity) in tickets {
        for _ in 0..*quantity {
            let seat = seats.next();
            let mut priced = category.clone();
            if let Some(cents) = view
                .zip(seat)
                .and_then(|(view, seat)| view.zone_price(category.category_id, seat))
            {
                priced.unit_price = crate::domain::Money::from_cents(cents);
            }
            cart.add(&priced, 1);
            let line = (priced.category_id, priced.unit_price);
            match line_seats
                .iter_mut()
                .find(|(id, price, _)| (*id, *price) == line)
            {
                Some((_, _, seats)) => seats.extend(seat),
                None => line_seats.push((line.0, line.1, seat.into_iter().collect())),
            }
        }
    }
    let in_ticket_order = line_seats.into_iter().flat_map(|(_, _, s)| s).collect();
    (cart, in_ticket_order)
}

/// Which seats a sale takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SeatChoice {
    /// Best available for the tickets at a seated performance; nothing at free seating.
    #[default]
    Auto,
    /// These seats, one per ticket in order.
    Seats(Vec<SeatRef>),
    /// Best available for `count` tickets; `accept_split` takes a split when no block is left.
    Best {
        count: usize,
        wheelchair: usize,
        accept_split: bool,
    },
}

/// UTC time as the occupancy table keeps it (text that sorts in time order).
pub(super) fn utc_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn seat_labels(plan: &SeatPlan, indices: &[usize]) -> Vec<String> {
    indices.iter().map(|&i| plan.seats[i].label()).collect()
}

/// The seating of a performance inside a transaction, expired holds counted as free.
pub(super) fn seating(
    tx: &Tx<'_>,
    performance_id: PerformanceId,
    now_utc: &str,
) -> Result<Option<SeatingView>, AppError> {
    let Some(plan_id) = tx.performance_plan(performance_id)? else {
        return Ok(None);
    };
    let plan = tx.seat_plan(plan_id)?;
    let index: std::collections::HashMap<i64, usize> = plan
        .seats
        .iter()
        .enumerate()
        .map(|(i, seat)| (seat.id, i))
        .collect();
    let mut states = vec![SeatState::Free; plan.seats.len()];
    for row in tx.occupancy(performance_id)? {
        let expired = row.expires_at.as_deref().is_some_and(|at| at <= now_utc);
        if let (Some(&i), false) = (index.get(&row.seat_id), expired) {
            states[i] = occupancy_state(&row);
        }
    }
    Ok(Some(SeatingView {
        performance_id,
        plan,
        states,
        zone_prices: tx.zone_prices_of(performance_id)?,
    }))
}

fn occupancy_state(row: &OccupancyRow) -> SeatState {
    match row.kind.as_str() {
        "sold" => SeatState::Sold,
        "hold" => SeatState::Held(row.holder.clone().unwrap_or_default()),
        _ => SeatState::Cart(row.holder.clone().unwrap_or_default()),
    }
}

/// Deletes expired holds of a performance and journals their release.
pub(super) fn purge_expired(
    tx: &mut Tx<'_>,
    performance_id: PerformanceId,
    now_utc: &str,
) -> Result<(), AppError> {
    let expired = tx.purge_expired_seats(performance_id, now_utc)?;
    if !expired.is_empty() {
        let seats: Vec<serde_json::Value> = expired
            .iter()
            .map(|row| json!({"seat_id": row.seat_id, "kind": row.kind, "holder": row.holder}))
            .collect();
        tx.append_journal(
            JournalKind::SeatRelease,
            None,
            None,
            &json!({"performance_id": performance_id, "reason": "expired", "seats": seats}),
        )?;
    }
    Ok(())
}

/// Resolves `SECTION:ROW:SEAT` references to seat indices of the plan.
fn resolve(plan: &SeatPlan, seats: &[SeatRef]) -> Result<Vec<usize>, AppError> {
    let mut indices = Vec::with_capacity(seats.len());
    for seat in seats {
        let index = plan
            .find(seat)
            .ok_or_else(|| AppError::Seating(SeatProblem::UnknownSeat(seat.to_string())))?;
        if indices.contains(&index) {
            return Err(AppError::Seating(SeatProblem::Taken(vec![
                seat.to_string(),
            ])));
        }
        indices.push(index);
    }
    Ok(indices)
}

/// Seats for `n_tickets` tickets of a sale, as indices into the view's plan.
pub(super) fn choose_seats(
    view: &SeatingView,
    choice: &SeatChoice,
    n_tickets: usize,
    token: Option<&str>,
) -> Result<Vec<usize>, AppError> {
    let free = view.free_for(token);
    let (count, wheelchair, accept_split) = match choice {
        SeatChoice::Seats(seats) => {
            if seats.len() != n_tickets {
                return Err(AppError::Seating(SeatProblem::CountMismatch {
                    tickets: n_tickets,
                    seats: seats.len(),
                }));
            }
            let indices = resolve(&view.plan, seats)?;
            let taken: Vec<String> = indices
                .iter()
                .filter(|&&i| !free[i])
                .map(|&i| view.plan.seats[i].label())
                .collect();
            if !taken.is_empty() {
                return Err(AppError::Seating(SeatProblem::Taken(taken)));
            }
            return Ok(indices);
        }
        // Nobody asked for particular seats: the best ones there are, split if need be.
        SeatChoice::Auto => (n_tickets, 0, true),
        SeatChoice::Best {
            count,
            wheelchair,
            accept_split,
        } => (*count, *wheelchair, *accept_split),
    };
    if count != n_tickets {
        return Err(AppError::Seating(SeatProblem::CountMismatch {
            tickets: n_tickets,
            seats: count,
        }));
    }
    let pick = best_available(&view.plan, &free, BestRequest { count, wheelchair }).ok_or(
        AppError::Seating(SeatProblem::NoneLeft { requested: count }),
    )?;
    if !pick.adjacent && !accept_split {
        return Err(AppError::Seating(SeatProblem::SplitOffered(seat_labels(
            &view.plan,
            &pick.seats,
        ))));
    }
    Ok(pick.seats)
}

/// After `insert_sale` (which recorded each ticket's seat in `ticket_seats` and in the sale's
/// journal entry): takes the seats for the order's tickets, in ticket order; a seat in this cart
/// moves from the cart to the ticket. Training tickets get a seat printed but take none.
pub(super) fn occupy_order_seats(
    tx: &mut Tx<'_>,
    view: &SeatingView,
    order_id: OrderNumber,
    seats: &[usize],
    token: Option<&str>,
    user_id: UserId,
    now: &str,
) -> Result<(), AppError> {
    let tickets = tx.ticket_ids(order_id)?;
    for ((ticket_id, state), &index) in tickets.iter().zip(seats) {
        let seat = &view.plan.seats[index];
        if let Some(token) = token {
            tx.release_seat(view.performance_id, seat.id, "cart", Some(token))?;
        }
        if state == "valid" {
            let taken = tx.occupy_seat(&NewOccupancy {
                performance_id: view.performance_id,
                seat_id: seat.id,
                kind: "sold",
                ticket_id: Some(*ticket_id),
                holder: None,
                user_id: Some(user_id),
                expires_at: None,
                now,
            })?;
            if !taken {
                return Err(AppError::Seating(SeatProblem::Taken(vec![seat.label()])));
            }
        }
    }
    Ok(())
}

/// The seat ids of chosen seats (for `NewSale::seats`).
pub(super) fn seat_ids(view: &SeatingView, seats: &[usize]) -> Vec<i64> {
    seats.iter().map(|&i| view.plan.seats[i].id).collect()
}

/// Seats for a paid reservation's tickets at a seated performance: best available, split if
/// need be (the money is already paid). `None` at free seating.
pub(super) fn reservation_seats(
    tx: &mut Tx<'_>,
    performance_id: PerformanceId,
    n_tickets: usize,
) -> Result<Option<(SeatingView, Vec<usize>)>, AppError> {
    let now_utc = utc_text(Utc::now());
    let Some(view) = seating(tx, performance_id, &now_utc)? else {
        return Ok(None);
    };
    purge_expired(tx, performance_id, &now_utc)?;
    let seats = choose_seats(&view, &SeatChoice::Auto, n_tickets, None)?;
    Ok(Some((view, seats)))
}

/// What `seatplan import` reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanImported {
    pub plan_id: i64,
    pub venue: String,
    pub version: i64,
    pub sections: usize,
    pub seats: usize,
}

impl Services {
    /// Imports a plan from CSV as the venue's newest version (admins).
    pub fn import_seat_plan(
        &mut self,
        session: &Session,
        venue: &str,
        csv: &str,
    ) -> Result<PlanImported, AppError> {
        let venue = venue.trim();
        if venue.is_empty() {
            return Err(AppError::Seating(SeatProblem::BadPlan(
                "the venue name is empty".into(),
            )));
        }
        let parsed = parse_plan_csv(csv).map_err(|e| AppError::Seating(SeatProblem::BadPlan(e)))?;
        let now = utc_text(Utc::now());
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Settings, "import a seat plan")?;
            let imported = import_plan(tx, venue, &parsed, Some(user.id), &now)?;
            tx.append_journal(
                JournalKind::SeatplanImport,
                Some(user.id),
                None,
                &serde_json::to_value(&imported)
                    .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))?,
            )?;
            Ok(imported)
        })
    }

    /// Gives a performance the venue's newest plan (admins): its capacity becomes the plan's
    /// seats. Only before any ticket is sold or reserved for it, and only once.
    pub fn assign_seat_plan(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        venue: &str,
    ) -> Result<usize, AppError> {
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Settings, "assign a seat plan")?;
            let performance = tx.performance(performance_id)?.ok_or(AppError::Sale(
                SaleError::UnknownPerformance(performance_id),
            ))?;
            let (plan_id, version) = tx
                .latest_seat_plan(venue.trim())?
                .ok_or_else(|| AppError::Seating(SeatProblem::NoPlan(venue.to_string())))?;
            if tx.performance_plan(performance_id)?.is_some()
                || performance.remaining != performance.capacity
            {
                return Err(AppError::Seating(SeatProblem::BadPlan(format!(
                    "performance {performance_id} already has a plan or sold tickets"
                ))));
            }
            let seats = tx.seat_plan(plan_id)?.seats.len();
            tx.set_performance_plan(performance_id, plan_id)?;
            tx.set_capacity(performance_id, seats as i64)?;
            tx.append_journal(
                JournalKind::SeatplanAssign,
                Some(user.id),
                None,
                &json!({"performance_id": performance_id, "venue": venue.trim(), "plan_id": plan_id,
                        "version": version, "capacity": seats}),
            )?;
            Ok(seats)
        })
    }

    /// The newest plan of a venue.
    pub fn seat_plan(&mut self, venue: &str) -> Result<SeatPlan, AppError> {
        self.ledger_mut().read(|tx| {
            let (plan_id, _) = tx
                .latest_seat_plan(venue.trim())?
                .ok_or_else(|| AppError::Seating(SeatProblem::NoPlan(venue.to_string())))?;
            Ok(tx.seat_plan(plan_id)?)
        })
    }

    /// The plan as CSV (the form `seatplan import` reads).
    pub fn export_seat_plan(&mut self, venue: &str) -> Result<String, AppError> {
        Ok(plan_csv(&self.seat_plan(venue)?))
    }

    /// The seat map of a performance, or `None` for free seating.
    pub fn seating(
        &mut self,
        performance_id: PerformanceId,
    ) -> Result<Option<SeatingView>, AppError> {
        let now = utc_text(Utc::now());
        self.ledger_mut().read(|tx| {
            tx.performance(performance_id)?.ok_or(AppError::Sale(
                SaleError::UnknownPerformance(performance_id),
            ))?;
            seating(tx, performance_id, &now)
        })
    }

    /// Seats best available would give now (nothing is taken), and whether they are adjacent
    /// (false: the best split, for the cashier to accept or refuse).
    pub fn best_available(
        &mut self,
        performance_id: PerformanceId,
        request: BestRequest,
        token: Option<&str>,
    ) -> Result<(Vec<SeatRef>, bool), AppError> {
        let view = self
            .seating(performance_id)?
            .ok_or(AppError::Seating(SeatProblem::NotSeated(performance_id)))?;
        let pick = best_available(&view.plan, &view.free_for(token), request).ok_or(
            AppError::Seating(SeatProblem::NoneLeft {
                requested: request.count,
            }),
        )?;
        Ok((
            pick.seats.iter().map(|&i| view.plan.seat_ref(i)).collect(),
            pick.adjacent,
        ))
    }

    /// Moves a valid ticket to another free seat of the same performance and price, in one
    /// transaction: the old seat is freed, the new one taken, the ticket's new seat recorded.
    pub fn exchange_seat(
        &mut self,
        session: &Session,
        ticket_code: &str,
        to: &SeatRef,
    ) -> Result<(), AppError> {
        let now_text = utc_text(Utc::now());
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Sell, "exchange a seat")?;
            let code = ticket_code.trim();
            let ticket = tx
                .ticket_by_code(code)?
                .ok_or_else(|| AppError::Seating(SeatProblem::Exchange(code.to_string())))?;
            if ticket.replaced_by_reissue.is_some() {
                return Err(AppError::Seating(SeatProblem::Exchange(format!(
                    "{code} (replaced by a reissued ticket)"
                ))));
            }
            let (ticket_id, order_id, state) =
                (ticket.ticket_id, ticket.order_number, ticket.state);
            let crate::ledger::TicketKey {
                performance_id,
                price_cents,
                category_id,
            } = tx.ticket_key(ticket_id)?;
            if state != crate::domain::TicketState::Valid {
                return Err(AppError::Seating(SeatProblem::Exchange(format!(
                    "{code} ({state})"
                ))));
            }
            purge_expired(tx, performance_id, &now_text)?;
            let view = seating(tx, performance_id, &now_text)?
                .ok_or(AppError::Seating(SeatProblem::NotSeated(performance_id)))?;
            let old = tx
                .ticket_seat(ticket_id)?
                .ok_or_else(|| AppError::Seating(SeatProblem::Exchange(code.to_string())))?;
            let index = resolve(&view.plan, std::slice::from_ref(to))?[0];
            let seat = &view.plan.seats[index];
            let new_price = tx
                .zone_price(category_id, seat.rank)?
                .unwrap_or(tx.category_price(category_id)?);
            if new_price != price_cents {
                return Err(AppError::Seating(SeatProblem::Exchange(format!(
                    "{} ≠ {}",
                    crate::domain::Money::from_cents(new_price),
                    crate::domain::Money::from_cents(price_cents)
                ))));
            }
            if seat.id == old.seat_id {
                return Err(AppError::Seating(SeatProblem::Exchange(seat.label())));
            }
            // The new seat is the ticket's first: the database frees a sold seat only for a
            // revoked ticket or one that has another seat now.
            tx.insert_ticket_seat(ticket_id, seat.id, &now_text)?;
            tx.release_seat(performance_id, old.seat_id, "sold", None)?;
            let ok = tx.occupy_seat(&NewOccupancy {
                performance_id,
                seat_id: seat.id,
                kind: "sold",
                ticket_id: Some(ticket_id),
                holder: None,
                user_id: Some(user.id),
                expires_at: None,
                now: &now_text,
            })?;
            if !ok {
                return Err(AppError::Seating(SeatProblem::Taken(vec![seat.label()])));
            }
            tx.append_journal(
                JournalKind::SeatExchange,
                Some(user.id),
                Some(order_id),
                &json!({"ticket": code, "from": old.seat.to_string(), "to": seat.label(),
                        "performance_id": performance_id}),
            )?;
            Ok(())
        })
    }
}

/// Writes a parsed plan as the venue's newest version (the caller journals it).
pub(super) fn import_plan(
    tx: &mut Tx<'_>,
    venue: &str,
    parsed: &crate::domain::seating::CsvPlan,
    user_id: Option<UserId>,
    now: &str,
) -> Result<PlanImported, AppError> {
    let (plan_id, version) =
        tx.insert_seat_plan(venue, &parsed.sections, &parsed.seats, user_id, now)?;
    Ok(PlanImported {
        plan_id,
        venue: venue.to_string(),
        version,
        sections: parsed.sections.len(),
        seats: parsed.seats.len(),
    })
}
