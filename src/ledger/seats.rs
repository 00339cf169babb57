//! Seat plans, the plan of a performance, zone prices, ticket seats and seat occupancy.

use crate::domain::ids::{OrderNumber, PerformanceId, UserId};

use super::engine::{Db as _, Row, values};
use super::{LedgerError, Result, Tx};
use crate::domain::seating::{Seat, SeatPlan, SeatRef, Section};

/// Who has a seat of a performance now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupancyRow {
    pub seat_id: i64,
    /// sold, cart or hold
    pub kind: String,
    /// cart: the cart's token; hold: the reason code.
    pub holder: Option<String>,
    pub user_id: Option<UserId>,
    pub expires_at: Option<String>,
}

/// A ticket's current seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSeatRow {
    pub ticket_id: i64,
    pub code: String,
    pub seat_id: i64,
    pub seat: SeatRef,
    pub section_names: [String; 3],
}

/// What an exchange needs of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketKey {
    pub performance_id: PerformanceId,
    pub price_cents: i64,
    pub category_id: i64,
}

/// A new occupancy row.
pub struct NewOccupancy<'a> {
    pub performance_id: PerformanceId,
    pub seat_id: i64,
    pub kind: &'a str,
    pub ticket_id: Option<i64>,
    pub holder: Option<&'a str>,
    pub user_id: Option<UserId>,
    pub expires_at: Option<&'a str>,
    pub now: &'a str,
}

fn u32_of(row: &Row, index: usize) -> Result<u32> {
    u32::try_from(row.int(index)?)
        .map_err(|e| LedgerError::Postgres(format!("column {index} is not a small number ({e})")))
}

fn real_of(row: &Row, index: usize) -> Result<f64> {
    match row.0.get(index) {
        Some(super::engine::Value::Real(v)) => Ok(*v),
        Some(super::engine::Value::Int(v)) => Ok(*v as f64),
        other => Err(LedgerError::Postgres(format!(
            "column {index} is not a number ({other:?})"
        ))),
    }
}

impl Tx<'_> {
    /// Writes a new version of a venue's plan; returns (plan id, version).
    pub fn insert_seat_plan(
        &mut self,
        venue: &str,
        sections: &[Section],
        seats: &[Seat],
        user_id: Option<UserId>,
        now: &str,
    ) -> Result<(i64, i64)> {
        let mut db = self.db();
        let version = db
            .query_one(
                "SELECT coalesce(max(version), 0) + 1 FROM seat_plans WHERE venue = ?1",
                &values![venue],
            )?
            .int(0)?;
        let plan_id = db
            .query_one(
                "INSERT INTO seat_plans (venue, version, imported_by, imported_at) VALUES (?1, ?2, ?3, ?4)
                 RETURNING id",
                &values![venue, version, user_id, now],
            )?
            .int(0)?;
        let mut section_ids = std::collections::HashMap::new();
        for (order, section) in sections.iter().enumerate() {
            let id = db
                .query_one(
                    "INSERT INTO seat_sections (plan_id, code, name_fi, name_sv, name_en, sort_order)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                    &values![
                        plan_id,
                        section.code.as_str(),
                        section.names[0].as_str(),
                        section.names[1].as_str(),
                        section.names[2].as_str(),
                        order as i64
                    ],
                )?
                .int(0)?;
            section_ids.insert(section.code.as_str(), id);
        }
        for (order, seat) in seats.iter().enumerate() {
            let section_id = *section_ids.get(seat.section.as_str()).ok_or_else(|| {
                LedgerError::Postgres(format!("seat in an unknown section {}", seat.section))
            })?;
            db.execute(
                "INSERT INTO seats (plan_id, section_id, row_label, seat_label, x, y, rank, wheelchair, companion,
                                    restricted, sort_order)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                &values![
                    plan_id,
                    section_id,
                    seat.row.as_str(),
                    seat.number.as_str(),
                    f64::from(seat.x),
                    f64::from(seat.y),
                    i64::from(seat.rank),
                    seat.wheelchair,
                    seat.companion,
                    seat.restricted,
                    order as i64
                ],
            )?;
        }
        Ok((plan_id, version))
    }

    /// The venues that have a plan, by name.
    pub fn venues_with_plans(&self) -> Result<Vec<String>> {
        self.db()
            .query("SELECT DISTINCT venue FROM seat_plans ORDER BY venue", &[])?
            .iter()
            .map(|row| row.text(0))
            .collect()
    }

    /// The newest plan of a venue (names compared without case).
    pub fn latest_seat_plan(&self, venue: &str) -> Result<Option<(i64, i64)>> {
        self.db()
            .query_opt(
                "SELECT id, version FROM seat_plans WHERE lower(venue) = lower(?1)
                 ORDER BY version DESC LIMIT 1",
                &values![venue],
            )?
            .map(|row| Ok((row.int(0)?, row.int(1)?)))
            .transpose()
    }

    pub fn seat_plan(&self, plan_id: i64) -> Result<SeatPlan> {
        let mut db = self.db();
        let sections = db
            .query(
                "SELECT code, name_fi, name_sv, name_en FROM seat_sections WHERE plan_id = ?1 ORDER BY sort_order",
                &values![plan_id],
            )?
            .iter()
            .map(|row| {
                Ok(Section {
                    code: row.text(0)?,
                    names: [row.text(1)?, row.text(2)?, row.text(3)?],
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut seats = Vec::new();
        db.query_each(
            "SELECT s.id, c.code, s.row_label, s.seat_label, s.x, s.y, s.rank, s.wheelchair, s.companion, s.restricted
             FROM seats s JOIN seat_sections c ON c.id = s.section_id
             WHERE s.plan_id = ?1 ORDER BY s.sort_order",
            &values![plan_id],
            &mut |row| {
                seats.push(Seat {
                    id: row.int(0)?,
                    section: row.text(1)?,
                    row: row.text(2)?,
                    number: row.text(3)?,
                    x: real_of(row, 4)? as f32,
                    y: real_of(row, 5)? as f32,
                    rank: u32_of(row, 6)?,
                    wheelchair: row.int(7)? != 0,
                    companion: row.int(8)? != 0,
                    restricted: row.int(9)? != 0,
                });
                Ok(())
            },
        )?;
        Ok(SeatPlan::new(sections, seats))
    }

    /// The plan a performance uses, or `None` for free seating.
    pub fn performance_plan(&self, performance_id: PerformanceId) -> Result<Option<i64>> {
        self.db()
            .query_opt(
                "SELECT plan_id FROM performance_plans WHERE performance_id = ?1",
                &values![performance_id],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    pub fn set_performance_plan(
        &mut self,
        performance_id: PerformanceId,
        plan_id: i64,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO performance_plans (performance_id, plan_id) VALUES (?1, ?2)",
            &values![performance_id, plan_id],
        )?;
        Ok(())
    }

    /// The capacity of a performance (a seated performance has one place per seat).
    pub fn set_capacity(&mut self, performance_id: PerformanceId, capacity: i64) -> Result<()> {
        self.db().execute(
            "UPDATE performances SET capacity = ?2 WHERE id = ?1",
            &values![performance_id, capacity],
        )?;
        Ok(())
    }

    pub fn insert_zone_price(
        &mut self,
        category_id: i64,
        rank: u32,
        price_cents: i64,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO zone_prices (category_id, rank, price_cents) VALUES (?1, ?2, ?3)",
            &values![category_id, i64::from(rank), price_cents],
        )?;
        Ok(())
    }

    /// Every zone price of the categories of a performance's event: (category, rank, cents).
    pub fn zone_prices_of(&self, performance_id: PerformanceId) -> Result<Vec<(i64, u32, i64)>> {
        self.db()
            .query(
                "SELECT z.category_id, z.rank, z.price_cents FROM zone_prices z
                 JOIN price_categories c ON c.id = z.category_id
                 JOIN performances p ON p.event_id = c.event_id WHERE p.id = ?1",
                &values![performance_id],
            )?
            .iter()
            .map(|row| Ok((row.int(0)?, u32_of(row, 1)?, row.int(2)?)))
            .collect()
    }

    /// The price of a category in a zone, when it has one of its own.
    pub fn zone_price(&self, category_id: i64, rank: u32) -> Result<Option<i64>> {
        self.db()
            .query_opt(
                "SELECT price_cents FROM zone_prices WHERE category_id = ?1 AND rank = ?2",
                &values![category_id, i64::from(rank)],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    /// Every occupied seat of a performance (expired holds included: see [`Tx::purge_expired_seats`]).
    pub fn occupancy(&self, performance_id: PerformanceId) -> Result<Vec<OccupancyRow>> {
        self.db()
            .query(
                "SELECT seat_id, kind, holder, user_id, expires_at FROM seat_occupancy WHERE performance_id = ?1",
                &values![performance_id],
            )?
            .iter()
            .map(|row| {
                Ok(OccupancyRow {
                    seat_id: row.int(0)?,
                    kind: row.text(1)?,
                    holder: row.opt_text(2)?,
                    user_id: row.opt_int(3)?.map(UserId),
                    expires_at: row.opt_text(4)?,
                })
            })
            .collect()
    }

    /// Deletes the cart and manager holds that expired at or before `now_utc`; returns them.
    pub fn purge_expired_seats(
        &mut self,
        performance_id: PerformanceId,
        now_utc: &str,
    ) -> Result<Vec<OccupancyRow>> {
        let expired: Vec<OccupancyRow> = self
            .occupancy(performance_id)?
            .into_iter()
            .filter(|row| row.expires_at.as_deref().is_some_and(|at| at <= now_utc))
            .collect();
        if !expired.is_empty() {
            self.db().execute(
                "DELETE FROM seat_occupancy WHERE performance_id = ?1 AND kind <> 'sold' AND expires_at <= ?2",
                &values![performance_id, now_utc],
            )?;
        }
        Ok(expired)
    }

    /// Takes a seat. `Ok(false)` when the seat is already taken: the primary key on
    /// (performance, seat) decides, so two programs can never both get it (on the shared ledger
    /// the second waits for the first's commit and then finds it taken).
    pub fn occupy_seat(&mut self, new: &NewOccupancy<'_>) -> Result<bool> {
        let changed = self.db().execute(
            "INSERT INTO seat_occupancy (performance_id, seat_id, kind, ticket_id, holder, user_id, expires_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (performance_id, seat_id) DO NOTHING",
            &values![
                new.performance_id,
                new.seat_id,
                new.kind,
                new.ticket_id,
                new.holder,
                new.user_id,
                new.expires_at,
                new.now
            ],
        )?;
        Ok(changed > 0)
    }

    /// Frees a seat held as `kind` (by `holder` when given); false when it was not held so.
    pub fn release_seat(
        &mut self,
        performance_id: PerformanceId,
        seat_id: i64,
        kind: &str,
        holder: Option<&str>,
    ) -> Result<bool> {
        let changed = self.db().execute(
            "DELETE FROM seat_occupancy WHERE performance_id = ?1 AND seat_id = ?2 AND kind = ?3
               AND (CAST(?4 AS text) IS NULL OR holder = ?4)",
            &values![performance_id, seat_id, kind, holder],
        )?;
        Ok(changed > 0)
    }

    /// Ticket ids of an order in ticket order, with their state.
    pub fn ticket_ids(&self, order_id: OrderNumber) -> Result<Vec<(i64, String)>> {
        self.db()
            .query(
                "SELECT id, state FROM tickets WHERE order_id = ?1 ORDER BY id",
                &values![order_id],
            )?
            .iter()
            .map(|row| Ok((row.int(0)?, row.text(1)?)))
            .collect()
    }

    pub fn insert_ticket_seat(&mut self, ticket_id: i64, seat_id: i64, now: &str) -> Result<()> {
        self.db().execute(
            "INSERT INTO ticket_seats (ticket_id, seat_id, created_at) VALUES (?1, ?2, ?3)",
            &values![ticket_id, seat_id, now],
        )?;
        Ok(())
    }

    /// The current seat of each seated ticket of an order, in ticket order.
    pub fn ticket_seats_of(&self, order_id: OrderNumber) -> Result<Vec<TicketSeatRow>> {
        self.ticket_seats_where("t.order_id = ?1", order_id.get())
    }

    /// The current seat of one ticket.
    pub fn ticket_seat(&self, ticket_id: i64) -> Result<Option<TicketSeatRow>> {
        Ok(self.ticket_seats_where("t.id = ?1", ticket_id)?.pop())
    }

    fn ticket_seats_where(&self, condition: &str, key: i64) -> Result<Vec<TicketSeatRow>> {
        self.db()
            .query(
                &format!(
                    "SELECT t.id, t.code, s.id, c.code, s.row_label, s.seat_label, c.name_fi, c.name_sv, c.name_en
                     FROM tickets t
                     JOIN ticket_seats ts ON ts.id = (SELECT max(id) FROM ticket_seats WHERE ticket_id = t.id)
                     JOIN seats s ON s.id = ts.seat_id JOIN seat_sections c ON c.id = s.section_id
                     WHERE {condition} ORDER BY t.id"
                ),
                &values![key],
            )?
            .iter()
            .map(|row| {
                Ok(TicketSeatRow {
                    ticket_id: row.int(0)?,
                    code: row.text(1)?,
                    seat_id: row.int(2)?,
                    seat: SeatRef {
                        section: row.text(3)?,
                        row: row.text(4)?,
                        seat: row.text(5)?,
                    },
                    section_names: [row.text(6)?, row.text(7)?, row.text(8)?],
                })
            })
            .collect()
    }

    pub fn category_price(&self, category_id: i64) -> Result<i64> {
        self.db()
            .query_one(
                "SELECT price_cents FROM price_categories WHERE id = ?1",
                &values![category_id],
            )?
            .int(0)
    }

    /// What an exchange needs of a ticket: its performance, price and category.
    pub fn ticket_key(&self, ticket_id: i64) -> Result<TicketKey> {
        let row = self.db().query_one(
            "SELECT t.performance_id, t.price_cents, l.category_id
             FROM tickets t JOIN order_lines l ON l.id = t.line_id WHERE t.id = ?1",
            &values![ticket_id],
        )?;
        Ok(TicketKey {
            performance_id: PerformanceId(row.int(0)?),
            price_cents: row.int(1)?,
            category_id: row.int(2)?,
        })
    }
}
