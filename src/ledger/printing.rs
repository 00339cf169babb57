//! Printers, reissued ticket codes and the print log (written once for both engines).

use crate::domain::ids::{OrderNumber, UserId};

use super::engine::{Db as _, Row, values};

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
    pub state: crate::domain::TicketState,
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

fn printer_row(row: &Row) -> Result<PrinterRow> {
    Ok(PrinterRow {
        name: row.text(0)?,
        transport: row.text(1)?,
        language: row.text(2)?,
        is_default: row.int(3)? != 0,
    })
}

const CURRENT_CODE: &str = "coalesce((SELECT r.new_code FROM ticket_reissues r WHERE r.ticket_id = t.id ORDER BY r.number DESC LIMIT 1), t.code)";

impl Tx<'_> {
    /// Adds a printer, or replaces the link and language of the one with that name.
    /// The first printer, or one added with `make_default`, becomes the default: this register's
    /// ticket printer (`register.ticket_printer`), and the venue's for registers without one.
    pub fn upsert_printer(
        &mut self,
        name: &str,
        transport: &str,
        language: &str,
        make_default: bool,
        now: &str,
    ) -> Result<PrinterRow> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        let n_printers = db.query_one("SELECT count(*) FROM printers", &[])?.int(0)?;
        let make_default = make_default || n_printers == 0;
        if make_default {
            db.execute(
                "UPDATE printers SET is_default = 0 WHERE is_default = 1",
                &[],
            )?;
        }
        db.execute(
            "INSERT INTO printers (name, transport, language, is_default, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (name) DO UPDATE SET transport = excluded.transport, language = excluded.language,
                 is_default = CASE WHEN excluded.is_default = 1 THEN 1 ELSE printers.is_default END,
                 updated_at = excluded.updated_at",
            &values![name, transport, language, make_default, now],
        )?;
        if make_default {
            db.execute(
                "UPDATE register SET ticket_printer = ?1 WHERE id = ?2",
                &values![name, register_id],
            )?;
        }
        self.printer_by_name(name)?.ok_or_else(|| {
            super::LedgerError::Postgres(format!("the printer {name} was not written"))
        })
    }

    /// Every printer of the venue; `is_default` marks this register's ticket printer.
    pub fn printers(&self) -> Result<Vec<PrinterRow>> {
        let default = self.default_printer()?.map(|printer| printer.name);
        let mut printers: Vec<PrinterRow> = self
            .db()
            .query(
                "SELECT name, transport, language, is_default FROM printers ORDER BY id",
                &[],
            )?
            .iter()
            .map(printer_row)
            .collect::<Result<_>>()?;
        for printer in &mut printers {
            printer.is_default = default.as_deref() == Some(printer.name.as_str());
        }
        Ok(printers)
    }

    pub fn printer_by_name(&self, name: &str) -> Result<Option<PrinterRow>> {
        self.db()
            .query_opt(
                "SELECT name, transport, language, is_default FROM printers WHERE name = ?1",
                &values![name],
            )?
            .as_ref()
            .map(printer_row)
            .transpose()
    }

    /// The printer this register's tickets print on: its own (`register.ticket_printer`), else
    /// the venue's default.
    pub fn default_printer(&self) -> Result<Option<PrinterRow>> {
        let register_id = self.register_id()?.to_string();
        let own = self.db().query_opt(
            "SELECT p.name, p.transport, p.language, p.is_default FROM printers p
             JOIN register r ON r.ticket_printer = p.name WHERE r.id = ?1",
            &values![register_id],
        )?;
        let row = match own {
            Some(row) => Some(row),
            None => self.db().query_opt(
                "SELECT name, transport, language, is_default FROM printers WHERE is_default = 1",
                &[],
            )?,
        };
        row.as_ref().map(printer_row).transpose().map(|printer| {
            printer.map(|p| PrinterRow {
                is_default: true,
                ..p
            })
        })
    }

    /// The ticket that has or had `code` (its sale code or any reissued code).
    pub fn ticket_by_code(&self, code: &str) -> Result<Option<TicketByCode>> {
        let mut db = self.db();
        let found = db.query_opt(
            "SELECT id FROM tickets WHERE code = ?1
             UNION ALL SELECT ticket_id FROM ticket_reissues WHERE new_code = ?1",
            &values![code],
        )?;
        let Some(found) = found else {
            return Ok(None);
        };
        let ticket_id = found.int(0)?;
        let sql = format!(
            "SELECT t.order_id, t.code, {CURRENT_CODE}, (SELECT count(*) FROM ticket_reissues r WHERE r.ticket_id = t.id),
                    t.state, (SELECT r.number FROM ticket_reissues r WHERE r.ticket_id = t.id AND r.old_code = ?2)
             FROM tickets t WHERE t.id = ?1"
        );
        let row = db.query_one(&sql, &values![ticket_id, code])?;
        Ok(Some(TicketByCode {
            ticket_id,
            order_number: OrderNumber(row.int(0)?),
            original_code: row.text(1)?,
            current_code: row.text(2)?,
            reissue_number: row.int(3)?,
            state: row.code(4)?,
            replaced_by_reissue: row.opt_int(5)?,
        }))
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
        self.db()
            .query(&sql, &values![order_number])?
            .iter()
            .map(|row| Ok((row.int(0)?, row.text(1)?, row.text(2)?, row.int(3)?)))
            .collect()
    }

    /// Valid (and training) tickets of an order whose code in force has never reached a printer or a queue.
    pub fn unprinted_tickets(&self, order_number: OrderNumber) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT t.code FROM tickets t WHERE t.order_id = ?1 AND t.state IN ('valid', 'training')
               AND NOT EXISTS (SELECT 1 FROM print_log p WHERE p.ticket_id = t.id
                               AND p.code = {CURRENT_CODE} AND p.result IN ('sent', 'spooled'))
             ORDER BY t.id"
        );
        self.db()
            .query(&sql, &values![order_number])?
            .iter()
            .map(|row| row.text(0))
            .collect()
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
        self.db().execute(
            "INSERT INTO ticket_reissues (ticket_id, number, old_code, new_code, user_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &values![ticket_id, number, old_code, new_code, user_id, now],
        )?;
        Ok(())
    }

    pub fn insert_print_log(&mut self, row: &NewPrintLog<'_>) -> Result<()> {
        self.db().execute(
            "INSERT INTO print_log (ticket_id, code, kind, printer, transport, language, user_id, created_at, result, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &values![
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
            ],
        )?;
        Ok(())
    }
}
