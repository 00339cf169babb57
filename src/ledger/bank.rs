//! Bank settings and keys, reservations held against a reference number, and the status rows of
//! the operations screen.

use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, PerformanceId, UserId};
use serde_json::json;

use super::engine::{Db as _, Engine, Row, values};
use super::{LedgerError, Result, Tx};

/// The transaction lock a new reservation's number is drawn under on the shared ledger ("BOXR"),
/// so two counters reserving at once do not draw the same one.
const RESERVATION_LOCK: i64 = 0x424F_5852;

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct BankSettingsRow {
    pub merchant: String,
    pub contract: String,
    pub payment_url: String,
    pub payment_url_alt: Option<String>,
    pub query_url: String,
    pub query_url_alt: Option<String>,
}

/// A secret key's name in the secret store and the date it takes effect (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankKeyRow {
    pub valid_from: String,
    pub secret_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReservation<'a> {
    pub kind: &'a str,
    pub user_id: UserId,
    pub performance_id: PerformanceId,
    pub due_date: &'a str,
    pub lang: &'a str,
    /// (category id, quantity, unit price cents, VAT basis points)
    pub lines: &'a [(i64, u32, i64, i64)],
    pub customer_name: Option<&'a str>,
    pub customer_email: Option<&'a str>,
    pub customer_phone: Option<&'a str>,
    pub now: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReservationLineRow {
    pub category_id: i64,
    pub category_code: String,
    pub quantity: u32,
    pub unit_price_cents: i64,
    pub vat_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReservationRow {
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub user_id: UserId,
    pub performance_id: PerformanceId,
    pub created_at: String,
    pub due_date: String,
    pub total_cents: i64,
    pub lang: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    /// open, paid, released or cancelled
    pub state: String,
    /// The order it became, once paid.
    pub order_id: Option<OrderNumber>,
    pub lines: Vec<ReservationLineRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IntegrationStatusRow {
    pub name: String,
    pub ok: bool,
    pub detail: String,
    pub at: String,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
}

const SELECT_RESERVATION: &str =
    "SELECT r.id, r.reference, r.kind, r.user_id, r.performance_id, r.created_at,
        r.due_date, r.total_cents, r.lang, r.customer_name, r.customer_email, r.customer_phone,
        coalesce(e.state, 'open'), p.order_id
     FROM reservations r
     LEFT JOIN reservation_events e ON e.reservation_id = r.id
     LEFT JOIN reservation_payments p ON p.reservation_id = r.id";

fn reservation_from_row(row: &Row) -> Result<ReservationRow> {
    Ok(ReservationRow {
        id: row.int(0)?,
        reference: row.text(1)?,
        kind: row.text(2)?,
        user_id: UserId(row.int(3)?),
        performance_id: PerformanceId(row.int(4)?),
        created_at: row.text(5)?,
        due_date: row.text(6)?,
        total_cents: row.int(7)?,
        lang: row.text(8)?,
        customer_name: row.opt_text(9)?,
        customer_email: row.opt_text(10)?,
        customer_phone: row.opt_text(11)?,
        state: row.text(12)?,
        order_id: row.opt_int(13)?.map(OrderNumber),
        lines: Vec::new(),
    })
}

impl Tx<'_> {
    pub fn bank_settings(&self) -> Result<Option<BankSettingsRow>> {
        self.db()
            .query_opt(
                "SELECT merchant, contract, payment_url, payment_url_alt, query_url, query_url_alt
                 FROM bank_settings WHERE id = 1",
                &[],
            )?
            .map(|row| {
                Ok(BankSettingsRow {
                    merchant: row.text(0)?,
                    contract: row.text(1)?,
                    payment_url: row.text(2)?,
                    payment_url_alt: row.opt_text(3)?,
                    query_url: row.text(4)?,
                    query_url_alt: row.opt_text(5)?,
                })
            })
            .transpose()
    }

    /// Replaces the bank settings and journals the change (never the keys).
    pub fn set_bank_settings(
        &mut self,
        settings: &BankSettingsRow,
        user_id: UserId,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO bank_settings
                 (id, merchant, contract, payment_url, payment_url_alt, query_url, query_url_alt, updated_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET merchant = excluded.merchant, contract = excluded.contract,
                 payment_url = excluded.payment_url, payment_url_alt = excluded.payment_url_alt,
                 query_url = excluded.query_url, query_url_alt = excluded.query_url_alt,
                 updated_at = excluded.updated_at",
            &values![
                settings.merchant.as_str(),
                settings.contract.as_str(),
                settings.payment_url.as_str(),
                settings.payment_url_alt.as_deref(),
                settings.query_url.as_str(),
                settings.query_url_alt.as_deref(),
                now
            ],
        )?;
        self.append_journal(
            JournalKind::BankSettings,
            Some(user_id),
            None,
            &serde_json::to_value(settings).unwrap_or_default(),
        )?;
        Ok(())
    }

    /// The keys whose value is in the secret store (see [`Tx::plaintext_secrets`] for the others).
    pub fn bank_keys(&self) -> Result<Vec<BankKeyRow>> {
        self.db()
            .query(
                "SELECT valid_from, secret_name FROM bank_keys WHERE secret_name IS NOT NULL ORDER BY valid_from",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok(BankKeyRow {
                    valid_from: row.text(0)?,
                    secret_name: row.text(1)?,
                })
            })
            .collect()
    }

    /// Adds a key taking effect on `valid_from`, by its name in the secret store (the value is
    /// never in the ledger); the journal records the date.
    pub fn add_bank_key(
        &mut self,
        valid_from: &str,
        secret_name: &str,
        user_id: UserId,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO bank_keys (valid_from, secret, secret_name, added_at) VALUES (?1, '', ?2, ?3)",
            &values![valid_from, secret_name, now],
        )?;
        self.append_journal(
            JournalKind::BankKey,
            Some(user_id),
            None,
            &json!({ "valid_from": valid_from }),
        )?;
        Ok(())
    }

    /// The id the next reservation will get (inside the write transaction, so it is the one;
    /// on the shared ledger the counters take turns drawing it).
    pub fn next_reservation_id(&self) -> Result<i64> {
        let mut db = self.db();
        if db.engine() == Engine::Postgres {
            db.execute(
                "SELECT pg_advisory_xact_lock(?1)",
                &values![RESERVATION_LOCK],
            )?;
        }
        db.query_one("SELECT coalesce(max(id), 0) + 1 FROM reservations", &[])?
            .int(0)
    }

    /// Writes a reservation with its lines (the trigger holds the capacity) and its journal entry.
    pub fn insert_reservation(
        &mut self,
        id: i64,
        reference: &str,
        reservation: &NewReservation<'_>,
    ) -> Result<ReservationRow> {
        let register_id = self.register_id()?.to_string();
        let total: i64 = reservation
            .lines
            .iter()
            .map(|(_, quantity, price, _)| i64::from(*quantity) * price)
            .sum();
        let mut db = self.db();
        db.execute(
            "INSERT INTO reservations (id, reference, kind, register_id, user_id, performance_id, created_at,
                                       due_date, total_cents, lang, customer_name, customer_email, customer_phone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &values![
                id,
                reference,
                reservation.kind,
                register_id,
                reservation.user_id,
                reservation.performance_id,
                reservation.now,
                reservation.due_date,
                total,
                reservation.lang,
                reservation.customer_name,
                reservation.customer_email,
                reservation.customer_phone
            ],
        )?;
        for (index, (category_id, quantity, price, vat)) in reservation.lines.iter().enumerate() {
            db.execute(
                "INSERT INTO reservation_lines (reservation_id, line_no, category_id, quantity, unit_price_cents, vat_basis_points)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &values![id, index as i64 + 1, *category_id, i64::from(*quantity), *price, *vat],
            )?;
        }
        let row = self.reservation(id)?.ok_or_else(|| {
            LedgerError::Postgres(format!("reservation {id} is not there after writing it"))
        })?;
        self.append_journal(
            JournalKind::Reservation,
            Some(reservation.user_id),
            None,
            &serde_json::to_value(&row).unwrap_or_default(),
        )?;
        Ok(row)
    }

    pub fn reservation(&self, id: i64) -> Result<Option<ReservationRow>> {
        let row = self
            .db()
            .query_opt(
                &format!("{SELECT_RESERVATION} WHERE r.id = ?1"),
                &values![id],
            )?
            .as_ref()
            .map(reservation_from_row)
            .transpose()?;
        row.map(|row| self.with_lines(row)).transpose()
    }

    pub fn reservation_by_reference(&self, reference: &str) -> Result<Option<ReservationRow>> {
        let row = self
            .db()
            .query_opt(
                &format!("{SELECT_RESERVATION} WHERE r.reference = ?1"),
                &values![reference],
            )?
            .as_ref()
            .map(reservation_from_row)
            .transpose()?;
        row.map(|row| self.with_lines(row)).transpose()
    }

    /// Reservations, open ones first by due date; `open_only` leaves out the ended ones.
    pub fn reservations(&self, open_only: bool) -> Result<Vec<ReservationRow>> {
        let filter = if open_only {
            "WHERE e.state IS NULL"
        } else {
            ""
        };
        let rows = self
            .db()
            .query(
                &format!(
                    "{SELECT_RESERVATION} {filter} ORDER BY e.state IS NOT NULL, r.due_date, r.id LIMIT 500"
                ),
                &[],
            )?
            .iter()
            .map(reservation_from_row)
            .collect::<Result<Vec<_>>>()?;
        rows.into_iter().map(|row| self.with_lines(row)).collect()
    }

    fn with_lines(&self, mut row: ReservationRow) -> Result<ReservationRow> {
        row.lines = self
            .db()
            .query(
                "SELECT l.category_id, c.code, l.quantity, l.unit_price_cents, l.vat_basis_points
                 FROM reservation_lines l JOIN price_categories c ON c.id = l.category_id
                 WHERE l.reservation_id = ?1 ORDER BY l.line_no",
                &values![row.id],
            )?
            .iter()
            .map(|r| {
                Ok(ReservationLineRow {
                    category_id: r.int(0)?,
                    category_code: r.text(1)?,
                    quantity: u32::try_from(r.int(2)?).map_err(|e| {
                        LedgerError::Postgres(format!("a reservation line's quantity: {e}"))
                    })?,
                    unit_price_cents: r.int(3)?,
                    vat_basis_points: r.int(4)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(row)
    }

    /// Ends a reservation (once: a second end fails on the UNIQUE constraint) and gives its
    /// capacity back; journaled.
    pub fn end_reservation(
        &mut self,
        id: i64,
        state: &str,
        user_id: Option<UserId>,
        detail: &str,
        now: &str,
    ) -> Result<()> {
        let kind = match state {
            "paid" => JournalKind::ReservationPaid,
            "released" => JournalKind::ReservationReleased,
            "cancelled" => JournalKind::ReservationCancelled,
            // The table's CHECK takes no other state either.
            other => {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "reservation state '{other}'"
                ))
                .into());
            }
        };
        self.db().execute(
            "INSERT INTO reservation_events (reservation_id, state, user_id, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &values![id, state, user_id, detail, now],
        )?;
        self.append_journal(
            kind,
            user_id,
            None,
            &json!({ "reservation_id": id, "state": state, "detail": detail }),
        )?;
        Ok(())
    }

    /// Links a paid reservation to the order its tickets were sold in.
    pub fn record_reservation_payment(
        &mut self,
        id: i64,
        order_id: OrderNumber,
        source: &str,
        pay_type: Option<&str>,
        amount_cents: i64,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO reservation_payments (reservation_id, order_id, source, pay_type, amount_cents, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &values![id, order_id, source, pay_type, amount_cents, now],
        )?;
        Ok(())
    }

    /// The reference a bank-paid order was paid with.
    pub fn bank_reference_of_order(&self, order_id: OrderNumber) -> Result<Option<String>> {
        self.db()
            .query_opt(
                "SELECT r.reference FROM reservation_payments p JOIN reservations r ON r.id = p.reservation_id
                 WHERE p.order_id = ?1",
                &values![order_id],
            )?
            .map(|row| row.text(0))
            .transpose()
    }

    /// Records what an integration just did; a failure is also kept as its last error.
    pub fn set_integration_status(
        &mut self,
        name: &str,
        ok: bool,
        detail: &str,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO integration_status (name, ok, detail, at, last_error, last_error_at)
             VALUES (?1, ?2, ?3, ?4, CASE WHEN CAST(?2 AS bigint) = 1 THEN NULL ELSE ?3 END,
                     CASE WHEN CAST(?2 AS bigint) = 1 THEN NULL ELSE ?4 END)
             ON CONFLICT (name) DO UPDATE SET ok = excluded.ok, detail = excluded.detail, at = excluded.at,
                 last_error = CASE WHEN excluded.ok = 1 THEN integration_status.last_error ELSE excluded.detail END,
                 last_error_at = CASE WHEN excluded.ok = 1 THEN integration_status.last_error_at ELSE excluded.at END",
            &values![name, ok, detail, now],
        )?;
        Ok(())
    }

    pub fn integration_statuses(&self) -> Result<Vec<IntegrationStatusRow>> {
        self.db()
            .query(
                "SELECT name, ok, detail, at, last_error, last_error_at FROM integration_status ORDER BY name",
                &[],
            )?
            .iter()
            .map(|row| {
                Ok(IntegrationStatusRow {
                    name: row.text(0)?,
                    ok: row.int(1)? != 0,
                    detail: row.text(2)?,
                    at: row.text(3)?,
                    last_error: row.opt_text(4)?,
                    last_error_at: row.opt_text(5)?,
                })
            })
            .collect()
    }
}
