//! Seat plans, the plan of a performance, zone prices, ticket seats and seat occupancy.

use crate::domain::ids::{OrderNumber, PerformanceId, UserId};
use rusqlite::{ErrorCode, OptionalExtension, params};

use super::{Result, Tx};
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
        let version: i64 = self.tx.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM seat_plans WHERE venue = ?1",
            [venue],
            |row| row.get(0),
        )?;
        self.tx.execute(
            "INSERT INTO seat_plans (venue, version, imported_by, imported_at) VALUES (?1, ?2, ?3, ?4)",
            params![venue, version, user_id, now],
        )?;
        let plan_id = self.tx.last_insert_rowid();
        let mut section_ids = std::collections::HashMap::new();
        for (order, section) in sections.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO seat_sections (plan_id, code, name_fi, name_sv, name_en, sort_order)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    plan_id,
                    section.code,
                    section.names[0],
                    section.names[1],
                    section.names[2],
                    order as i64
                ],
            )?;
            section_ids.insert(section.code.as_str(), self.tx.last_insert_rowid());
        }
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO seats (plan_id, section_id, row_label, seat_label, x, y, rank, wheelchair, companion,
                                restricted, sort_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for (order, seat) in seats.iter().enumerate() {
            let section_id = section_ids
                .get(seat.section.as_str())
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            insert.execute(params![
                plan_id,
                section_id,
                seat.row,
                seat.number,
                f64::from(seat.x),
                f64::from(seat.y),
                seat.rank,
                seat.wheelchair,
                seat.companion,
                seat.restricted,
                order as i64
            ])?;
        }
        Ok((plan_id, version))
    }

    /// The venues that have a plan, by name.
    pub fn venues_with_plans(&self) -> Result<Vec<String>> {
        let mut statement = self
            .tx
            .prepare_cached("SELECT DISTINCT venue FROM seat_plans ORDER BY venue")?;
        let venues = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(venues)
    }

    /// The newest plan of a venue (names compared without case).
    pub fn latest_seat_plan(&self, venue: &str) -> Result<Option<(i64, i64)>> {
        Ok(self
            .tx
            .query_row(
                "SELECT id, version FROM seat_plans WHERE venue = ?1 COLLATE NOCASE
                 ORDER BY version DESC LIMIT 1",
                [venue],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    pub fn seat_plan(&self, plan_id: i64) -> Result<SeatPlan> {
        let mut statement = self.tx.prepare_cached(
            "SELECT code, name_fi, name_sv, name_en FROM seat_sections WHERE plan_id = ?1 ORDER BY sort_order",
        )?;
        let sections = statement
            .query_map([plan_id], |row| {
                Ok(Section {
                    code: row.get(0)?,
                    names: [row.get(1)?, row.get(2)?, row.get(3)?],
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut statement = self.tx.prepare_cached(
            "SELECT s.id, c.code, s.row_label, s.seat_label, s.x, s.y, s.rank, s.wheelchair, s.companion, s.restricted
             FROM seats s JOIN seat_sections c ON c.id = s.section_id
             WHERE s.plan_id = ?1 ORDER BY s.sort_order",
        )?;
        let seats = statement
            .query_map([plan_id], |row| {
                Ok(Seat {
                    id: row.get(0)?,
                    section: row.get(1)?,
                    row: row.get(2)?,
                    number: row.get(3)?,
                    x: row.get::<_, f64>(4)? as f32,
                    y: row.get::<_, f64>(5)? as f32,
                    rank: row.get(6)?,
                    wheelchair: row.get(7)?,
                    companion: row.get(8)?,
                    restricted: row.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(SeatPlan::new(sections, seats))
    }

    /// The plan a performance uses, or `None` for free seating.
    pub fn performance_plan(&self, performance_id: PerformanceId) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached("SELECT plan_id FROM performance_plans WHERE performance_id = ?1")?
            .query_row([performance_id], |row| row.get(0))
            .optional()?)
    }

    pub fn set_performance_plan(
        &mut self,
        performance_id: PerformanceId,
        plan_id: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO performance_plans (performance_id, plan_id) VALUES (?1, ?2)",
            params![performance_id, plan_id],
        )?;
        Ok(())
    }

    /// The capacity of a performance (a seated performance has one place per seat).
    pub fn set_capacity(&mut self, performance_id: PerformanceId, capacity: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE performances SET capacity = ?2 WHERE id = ?1",
            params![performance_id, capacity],
        )?;
        Ok(())
    }

    pub fn insert_zone_price(
        &mut self,
        category_id: i64,
        rank: u32,
        price_cents: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO zone_prices (category_id, rank, price_cents) VALUES (?1, ?2, ?3)",
            params![category_id, rank, price_cents],
        )?;
        Ok(())
    }

    /// Every zone price of the categories of a performance's event: (category, rank, cents).
    pub fn zone_prices_of(&self, performance_id: PerformanceId) -> Result<Vec<(i64, u32, i64)>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT z.category_id, z.rank, z.price_cents FROM zone_prices z
             JOIN price_categories c ON c.id = z.category_id
             JOIN performances p ON p.event_id = c.event_id WHERE p.id = ?1",
        )?;
        let rows = statement.query_map([performance_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The price of a category in a zone, when it has one of its own.
    pub fn zone_price(&self, category_id: i64, rank: u32) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT price_cents FROM zone_prices WHERE category_id = ?1 AND rank = ?2",
            )?
            .query_row(params![category_id, rank], |row| row.get(0))
            .optional()?)
    }

    /// Every occupied seat of a performance (expired holds included: see [`Tx::purge_expired_seats`]).
    pub fn occupancy(&self, performance_id: PerformanceId) -> Result<Vec<OccupancyRow>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT seat_id, kind, holder, user_id, expires_at FROM seat_occupancy WHERE performance_id = ?1",
        )?;
        let rows = statement.query_map([performance_id], |row| {
            Ok(OccupancyRow {
                seat_id: row.get(0)?,
                kind: row.get(1)?,
                holder: row.get(2)?,
                user_id: row.get(3)?,
                expires_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
            self.tx
                .prepare_cached(
                    "DELETE FROM seat_occupancy WHERE performance_id = ?1 AND kind <> 'sold' AND expires_at <= ?2",
                )?
                .execute(params![performance_id, now_utc])?;
        }
        Ok(expired)
    }

    /// Takes a seat. `Ok(false)` when the seat is already taken: the primary key on
    /// (performance, seat) decides, so two programs can never both get it.
    pub fn occupy_seat(&mut self, new: &NewOccupancy<'_>) -> Result<bool> {
        let result = self
            .tx
            .prepare_cached(
                "INSERT INTO seat_occupancy (performance_id, seat_id, kind, ticket_id, holder, user_id, expires_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                new.performance_id,
                new.seat_id,
                new.kind,
                new.ticket_id,
                new.holder,
                new.user_id,
                new.expires_at,
                new.now
            ]);
        match result {
            Ok(_) => Ok(true),
            Err(error)
                if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
                    && matches!(
                        error,
                        rusqlite::Error::SqliteFailure(e, _)
                            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                    ) =>
            {
                Ok(false)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Frees a seat held as `kind` (by `holder` when given); false when it was not held so.
    pub fn release_seat(
        &mut self,
        performance_id: PerformanceId,
        seat_id: i64,
        kind: &str,
        holder: Option<&str>,
    ) -> Result<bool> {
        let changed = self
            .tx
            .prepare_cached(
                "DELETE FROM seat_occupancy WHERE performance_id = ?1 AND seat_id = ?2 AND kind = ?3
                   AND (?4 IS NULL OR holder = ?4)",
            )?
            .execute(params![performance_id, seat_id, kind, holder])?;
        Ok(changed > 0)
    }

    /// Ticket ids of an order in ticket order, with their state.
    pub fn ticket_ids(&self, order_id: OrderNumber) -> Result<Vec<(i64, String)>> {
        let mut statement = self
            .tx
            .prepare_cached("SELECT id, state FROM tickets WHERE order_id = ?1 ORDER BY id")?;
        let rows = statement.query_map([order_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn insert_ticket_seat(&mut self, ticket_id: i64, seat_id: i64, now: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO ticket_seats (ticket_id, seat_id, created_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![ticket_id, seat_id, now])?;
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
        let mut statement = self.tx.prepare_cached(&format!(
            "SELECT t.id, t.code, s.id, c.code, s.row_label, s.seat_label, c.name_fi, c.name_sv, c.name_en
             FROM tickets t
             JOIN ticket_seats ts ON ts.id = (SELECT max(id) FROM ticket_seats WHERE ticket_id = t.id)
             JOIN seats s ON s.id = ts.seat_id JOIN seat_sections c ON c.id = s.section_id
             WHERE {condition} ORDER BY t.id"
        ))?;
        let rows = statement.query_map([key], |row| {
            Ok(TicketSeatRow {
                ticket_id: row.get(0)?,
                code: row.get(1)?,
                seat_id: row.get(2)?,
                seat: SeatRef {
                    section: row.get(3)?,
                    row: row.get(4)?,
                    seat: row.get(5)?,
                },
                section_names: [row.get(6)?, row.get(7)?, row.get(8)?],
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn category_price(&self, category_id: i64) -> Result<i64> {
        Ok(self.tx.query_row(
            "SELECT price_cents FROM price_categories WHERE id = ?1",
            [category_id],
            |row| row.get(0),
        )?)
    }

    /// What an exchange needs of a ticket: its performance, price and category.
    pub fn ticket_key(&self, ticket_id: i64) -> Result<TicketKey> {
        Ok(self.tx.query_row(
            "SELECT t.performance_id, t.price_cents, l.category_id
             FROM tickets t JOIN order_lines l ON l.id = t.line_id WHERE t.id = ?1",
            [ticket_id],
            |row| {
                Ok(TicketKey {
                    performance_id: row.get(0)?,
                    price_cents: row.get(1)?,
                    category_id: row.get(2)?,
                })
            },
        )?)
    }
}
