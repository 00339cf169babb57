//! Printers, reissued ticket codes and the print log.

use crate::domain::ids::{OrderNumber, UserId};
use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PrinterRow {
    pub name: String,
    /// queue:QUEUE | tcp:HOST:PORT | serial:PORT[:BAUD…] | file:PATH
    pub transport: String,
    /// fingerprint | zpl
    pub language: String,
    pub is_default: bool,
}

/// A ticket found by any code it ever had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketByCode {
    pub ticket_id: i64,
    pub order_number: OrderNumber,
    /// The code the ticket was sold with.
    pub original_code: String,
    /// The code in force: the newest reissue's, else the original.
    pub current_code: String,
    /// How many times the ticket was reissued (0: never).
    pub reissue_number: i64,
    /// valid, revoked or training
    pub state: String,
    /// When the code asked for was replaced: the reissue number that replaced it.
    pub replaced_by_reissue: Option<i64>,
}

/// One row of the print log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPrintLog<'a> {
    pub ticket_id: Option<i64>,
    pub code: Option<&'a str>,
    /// original, copy, reissue or test
    pub kind: &'a str,
    pub printer: &'a str,
    pub transport: &'a str,
    pub language: &'a str,
    pub user_id: Option<UserId>,
    /// sent, spooled or failed
    pub result: &'a str,
    pub error: Option<&'a str>,
    pub now: &'a str,
}

fn printer_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PrinterRow> {
    Ok(PrinterRow {
        name: row.get(0)?,
        transport: row.get(1)?,
        language: row.get(2)?,
        is_default: row.get(3)?,
    })
}

const CURRENT_CODE: &str = "coalesce((SELECT r.new_code FROM ticket_reissues r WHERE r.ticket_id = t.id ORDER BY r.number DESC LIMIT 1), t.code)";

impl Tx<'_> {
    /// Adds a printer, or replaces the link and language of the one with that name.
    /// The first printer, or one added with `make_default`, becomes the default.
    pub fn upsert_printer(
        &mut self,
        name: &str,
        transport: &str,
        language: &str,
        make_default: bool,
        now: &str,
    ) -> Result<PrinterRow> {
        let n_printers: i64 = self
            .tx
            .query_row("SELECT count(*) FROM printers", [], |row| row.get(0))?;
        let make_default = make_default || n_printers == 0;
        if make_default {
            self.tx.execute(
                "UPDATE printers SET is_default = 0 WHERE is_default = 1",
                [],
            )?;
        }
        self.tx.execute(
            "INSERT INTO printers (name, transport, language, is_default, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (name) DO UPDATE SET transport = excluded.transport, language = excluded.language,
                 is_default = max(is_default, excluded.is_default), updated_at = excluded.updated_at",
            params![name, transport, language, make_default, now],
        )?;
        Ok(self
            .printer_by_name(name)?
            .expect("the printer was just written"))
    }

    pub fn printers(&self) -> Result<Vec<PrinterRow>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT name, transport, language, is_default FROM printers ORDER BY id",
        )?;
        let rows = statement.query_map([], printer_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn printer_by_name(&self, name: &str) -> Result<Option<PrinterRow>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT name, transport, language, is_default FROM printers WHERE name = ?1",
            )?
            .query_row([name], printer_row)
            .optional()?)
    }

    pub fn default_printer(&self) -> Result<Option<PrinterRow>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT name, transport, language, is_default FROM printers WHERE is_default = 1",
            )?
            .query_row([], printer_row)
            .optional()?)
    }

    /// The ticket that has or had `code` (its sale code or any reissued code).
    pub fn ticket_by_code(&self, code: &str) -> Result<Option<TicketByCode>> {
        let found: Option<(i64, Option<i64>)> = self
            .tx
            .prepare_cached(
                "SELECT id, NULL FROM tickets WHERE code = ?1
                 UNION ALL SELECT ticket_id, number FROM ticket_reissues WHERE new_code = ?1",
            )?
            .query_row([code], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let Some((ticket_id, _)) = found else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT t.order_id, t.code, {CURRENT_CODE}, (SELECT count(*) FROM ticket_reissues r WHERE r.ticket_id = t.id),
                    t.state, (SELECT r.number FROM ticket_reissues r WHERE r.ticket_id = t.id AND r.old_code = ?2)
             FROM tickets t WHERE t.id = ?1"
        );
        Ok(Some(self.tx.prepare_cached(&sql)?.query_row(
            params![ticket_id, code],
            |row| {
                Ok(TicketByCode {
                    ticket_id,
                    order_number: row.get(0)?,
                    original_code: row.get(1)?,
                    current_code: row.get(2)?,
                    reissue_number: row.get(3)?,
                    state: row.get(4)?,
                    replaced_by_reissue: row.get(5)?,
                })
            },
        )?))
    }

    /// The tickets of an order by their sale code: (ticket id, code in force, reissue number).
    pub fn current_codes(
        &self,
        order_number: OrderNumber,
    ) -> Result<Vec<(i64, String, String, i64)>> {
        let sql = format!(
            "SELECT t.id, t.code, {CURRENT_CODE}, (SELECT count(*) FROM ticket_reissues r WHERE r.ticket_id = t.id)
             FROM tickets t WHERE t.order_id = ?1 ORDER BY t.id"
        );
        let mut statement = self.tx.prepare_cached(&sql)?;
        let rows = statement.query_map([order_number], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Valid (and training) tickets of an order whose code in force has never reached a printer or a queue.
    pub fn unprinted_tickets(&self, order_number: OrderNumber) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT t.code FROM tickets t WHERE t.order_id = ?1 AND t.state IN ('valid', 'training')
               AND NOT EXISTS (SELECT 1 FROM print_log p WHERE p.ticket_id = t.id
                               AND p.code = {CURRENT_CODE} AND p.result IN ('sent', 'spooled'))
             ORDER BY t.id"
        );
        let mut statement = self.tx.prepare_cached(&sql)?;
        let rows = statement.query_map([order_number], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn insert_reissue(
        &mut self,
        ticket_id: i64,
        number: i64,
        old_code: &str,
        new_code: &str,
        user_id: UserId,
        now: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO ticket_reissues (ticket_id, number, old_code, new_code, user_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![ticket_id, number, old_code, new_code, user_id, now],
        )?;
        Ok(())
    }

    pub fn insert_print_log(&mut self, row: &NewPrintLog<'_>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO print_log (ticket_id, code, kind, printer, transport, language, user_id, created_at, result, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                row.ticket_id,
                row.code,
                row.kind,
                row.printer,
                row.transport,
                row.language,
                row.user_id,
                row.now,
                row.result,
                row.error
            ])?;
        Ok(())
    }
}
