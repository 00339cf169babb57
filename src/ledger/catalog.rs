//! Events, performances, price categories and date-effective VAT rates.

use super::engine::{Db, Row, values};
use super::{Result, Tx};
use crate::domain::ids::{PerformanceId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: i64,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    pub venue: String,
    pub organiser: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerformanceRow {
    pub id: PerformanceId,
    pub event: EventRow,
    pub starts_at: String,
    pub capacity: i64,
    pub remaining: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRow {
    pub id: i64,
    pub event_id: i64,
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    pub price_cents: i64,
    pub vat_class: String,
    /// The rate of `vat_class` on the date asked for.
    pub vat_basis_points: i64,
}

pub struct NewEvent<'a> {
    pub names: [&'a str; 3],
    pub venue: &'a str,
    pub organiser: &'a str,
    pub created_by: Option<UserId>,
}

pub struct NewCategory<'a> {
    pub code: &'a str,
    pub names: [&'a str; 3],
    pub price_cents: i64,
    pub vat_class: &'a str,
}

const SELECT_PERFORMANCE: &str = "
    SELECT p.id, p.starts_at, p.capacity, p.capacity - p.sold,
           e.id, e.name_fi, e.name_sv, e.name_en, e.venue, e.organiser
    FROM performances p JOIN events e ON e.id = p.event_id";

fn performance_from_row(row: &Row) -> Result<PerformanceRow> {
    Ok(PerformanceRow {
        id: PerformanceId(row.int(0)?),
        starts_at: row.text(1)?,
        capacity: row.int(2)?,
        remaining: row.int(3)?,
        event: EventRow {
            id: row.int(4)?,
            name_fi: row.text(5)?,
            name_sv: row.text(6)?,
            name_en: row.text(7)?,
            venue: row.text(8)?,
            organiser: row.text(9)?,
        },
    })
}

// The catalog written once for both engines (issue 15): each function takes a `Db`.

pub fn insert_vat_rate(
    db: &mut dyn Db,
    class: &str,
    valid_from: &str,
    basis_points: i64,
) -> Result<()> {
    db.execute(
        "INSERT INTO vat_rates (class, valid_from, basis_points) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        &values![class, valid_from, basis_points],
    )?;
    Ok(())
}

pub fn insert_event(db: &mut dyn Db, event: &NewEvent<'_>) -> Result<i64> {
    db.query_one(
        "INSERT INTO events (name_fi, name_sv, name_en, venue, organiser, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        &values![
            event.names[0],
            event.names[1],
            event.names[2],
            event.venue,
            event.organiser,
            event.created_by
        ],
    )?
    .int(0)
}

pub fn insert_performance(
    db: &mut dyn Db,
    event_id: i64,
    starts_at: &str,
    capacity: i64,
) -> Result<PerformanceId> {
    db.query_one(
        "INSERT INTO performances (event_id, starts_at, capacity) VALUES (?1, ?2, ?3) RETURNING id",
        &values![event_id, starts_at, capacity],
    )?
    .int(0)
    .map(PerformanceId)
}

pub fn insert_category(
    db: &mut dyn Db,
    event_id: i64,
    sort_order: i64,
    category: &NewCategory<'_>,
) -> Result<i64> {
    db.query_one(
        "INSERT INTO price_categories (event_id, code, name_fi, name_sv, name_en, price_cents, vat_class, sort_order)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        &values![
            event_id,
            category.code,
            category.names[0],
            category.names[1],
            category.names[2],
            category.price_cents,
            category.vat_class,
            sort_order
        ],
    )?
    .int(0)
}

pub fn count_events(db: &mut dyn Db) -> Result<i64> {
    db.query_one("SELECT count(*) FROM events", &[])?.int(0)
}

/// Performances starting at or after `from` (RFC 3339 text), earliest first, with what is left.
pub fn performances_from(db: &mut dyn Db, from: &str) -> Result<Vec<PerformanceRow>> {
    db.query(
        &format!("{SELECT_PERFORMANCE} WHERE p.starts_at >= ?1 ORDER BY p.starts_at, p.id"),
        &values![from],
    )?
    .iter()
    .map(performance_from_row)
    .collect()
}

pub fn performance(
    db: &mut dyn Db,
    performance_id: PerformanceId,
) -> Result<Option<PerformanceRow>> {
    db.query_opt(
        &format!("{SELECT_PERFORMANCE} WHERE p.id = ?1"),
        &values![performance_id],
    )?
    .as_ref()
    .map(performance_from_row)
    .transpose()
}

/// The price categories of an event with the VAT rate in force on `date` (YYYY-MM-DD).
/// A category whose VAT class has no rate yet on that date is left out. (The rate is filtered
/// outside: PostgreSQL has no select-list alias in `WHERE`.)
pub fn categories(db: &mut dyn Db, event_id: i64, date: &str) -> Result<Vec<CategoryRow>> {
    db.query(
        "SELECT * FROM (
             SELECT c.id, c.event_id, c.code, c.name_fi, c.name_sv, c.name_en, c.price_cents, c.vat_class,
                    (SELECT v.basis_points FROM vat_rates v
                      WHERE v.class = c.vat_class AND v.valid_from <= ?2
                      ORDER BY v.valid_from DESC LIMIT 1) AS rate,
                    c.sort_order
             FROM price_categories c WHERE c.event_id = ?1) AS rated
         WHERE rate IS NOT NULL
         ORDER BY sort_order, id",
        &values![event_id, date],
    )?
    .iter()
    .map(|row| {
        Ok(CategoryRow {
            id: row.int(0)?,
            event_id: row.int(1)?,
            code: row.text(2)?,
            name_fi: row.text(3)?,
            name_sv: row.text(4)?,
            name_en: row.text(5)?,
            price_cents: row.int(6)?,
            vat_class: row.text(7)?,
            vat_basis_points: row.int(8)?,
        })
    })
    .collect()
}

impl Tx<'_> {
    pub fn insert_vat_rate(
        &mut self,
        class: &str,
        valid_from: &str,
        basis_points: i64,
    ) -> Result<()> {
        insert_vat_rate(&mut self.db(), class, valid_from, basis_points)
    }

    pub fn insert_event(&mut self, event: &NewEvent<'_>) -> Result<i64> {
        insert_event(&mut self.db(), event)
    }

    pub fn insert_performance(
        &mut self,
        event_id: i64,
        starts_at: &str,
        capacity: i64,
    ) -> Result<PerformanceId> {
        insert_performance(&mut self.db(), event_id, starts_at, capacity)
    }

    pub fn insert_category(
        &mut self,
        event_id: i64,
        sort_order: i64,
        category: &NewCategory<'_>,
    ) -> Result<i64> {
        insert_category(&mut self.db(), event_id, sort_order, category)
    }

    pub fn count_events(&self) -> Result<i64> {
        count_events(&mut self.db())
    }

    /// Performances starting at or after `from` (RFC 3339 text), earliest first, with what is left.
    pub fn performances_from(&self, from: &str) -> Result<Vec<PerformanceRow>> {
        performances_from(&mut self.db(), from)
    }

    pub fn performance(&self, performance_id: PerformanceId) -> Result<Option<PerformanceRow>> {
        performance(&mut self.db(), performance_id)
    }

    /// The price categories of an event with the VAT rate in force on `date` (YYYY-MM-DD).
    pub fn categories(&self, event_id: i64, date: &str) -> Result<Vec<CategoryRow>> {
        categories(&mut self.db(), event_id, date)
    }
}
