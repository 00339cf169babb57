//! Events, performances, price categories and date-effective VAT rates.

use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};

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
    pub id: i64,
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
    pub created_by: Option<i64>,
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

fn performance_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PerformanceRow> {
    Ok(PerformanceRow {
        id: row.get(0)?,
        starts_at: row.get(1)?,
        capacity: row.get(2)?,
        remaining: row.get(3)?,
        event: EventRow {
            id: row.get(4)?,
            name_fi: row.get(5)?,
            name_sv: row.get(6)?,
            name_en: row.get(7)?,
            venue: row.get(8)?,
            organiser: row.get(9)?,
        },
    })
}

impl Tx<'_> {
    pub fn insert_vat_rate(
        &mut self,
        class: &str,
        valid_from: &str,
        basis_points: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO vat_rates (class, valid_from, basis_points) VALUES (?1, ?2, ?3)",
            params![class, valid_from, basis_points],
        )?;
        Ok(())
    }

    pub fn insert_event(&mut self, event: &NewEvent<'_>) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO events (name_fi, name_sv, name_en, venue, organiser, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                event.names[0],
                event.names[1],
                event.names[2],
                event.venue,
                event.organiser,
                event.created_by
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_performance(
        &mut self,
        event_id: i64,
        starts_at: &str,
        capacity: i64,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO performances (event_id, starts_at, capacity) VALUES (?1, ?2, ?3)",
            params![event_id, starts_at, capacity],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_category(
        &mut self,
        event_id: i64,
        sort_order: i64,
        category: &NewCategory<'_>,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO price_categories (event_id, code, name_fi, name_sv, name_en, price_cents, vat_class, sort_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                event_id,
                category.code,
                category.names[0],
                category.names[1],
                category.names[2],
                category.price_cents,
                category.vat_class,
                sort_order
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn count_events(&self) -> Result<i64> {
        Ok(self
            .tx
            .query_row("SELECT count(*) FROM events", [], |row| row.get(0))?)
    }

    /// Performances starting at or after `from` (RFC 3339 text), earliest first, with what is left.
    pub fn performances_from(&self, from: &str) -> Result<Vec<PerformanceRow>> {
        let mut statement = self.tx.prepare_cached(&format!(
            "{SELECT_PERFORMANCE} WHERE p.starts_at >= ?1 ORDER BY p.starts_at, p.id"
        ))?;
        let rows = statement.query_map([from], performance_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn performance(&self, performance_id: i64) -> Result<Option<PerformanceRow>> {
        Ok(self
            .tx
            .prepare_cached(&format!("{SELECT_PERFORMANCE} WHERE p.id = ?1"))?
            .query_row([performance_id], performance_from_row)
            .optional()?)
    }

    /// The price categories of an event with the VAT rate in force on `date` (YYYY-MM-DD).
    /// A category whose VAT class has no rate yet on that date is left out.
    pub fn categories(&self, event_id: i64, date: &str) -> Result<Vec<CategoryRow>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT c.id, c.event_id, c.code, c.name_fi, c.name_sv, c.name_en, c.price_cents, c.vat_class,
                    (SELECT v.basis_points FROM vat_rates v
                      WHERE v.class = c.vat_class AND v.valid_from <= ?2
                      ORDER BY v.valid_from DESC LIMIT 1) AS rate
             FROM price_categories c WHERE c.event_id = ?1 AND rate IS NOT NULL
             ORDER BY c.sort_order, c.id",
        )?;
        let rows = statement.query_map(params![event_id, date], |row| {
            Ok(CategoryRow {
                id: row.get(0)?,
                event_id: row.get(1)?,
                code: row.get(2)?,
                name_fi: row.get(3)?,
                name_sv: row.get(4)?,
                name_en: row.get(5)?,
                price_cents: row.get(6)?,
                vat_class: row.get(7)?,
                vat_basis_points: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
