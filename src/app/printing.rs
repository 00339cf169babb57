//! Printing services: printers, printing an order's tickets (after the sale, or again when
//! that failed), copies and reissues, test tickets, status and rendering.
//!
//! A print is two steps around the device: the permission check (and for a reissue the
//! new code) is one ledger transaction before any byte leaves; the result of the attempt
//! (sent, spooled or failed, with the error) is one more, after. A printer fault never
//! touches the sale: the ticket just stays "not printed" until a print reaches a device.

use crate::app::{PrintError, SaleError};
use crate::domain::JournalKind;
use crate::domain::ids::OrderNumber;
use std::time::Duration;

use chrono::Local;
use pc43d::{Label, Language, PrinterStatus, TransportSpec};

use super::services::{random_bytes, require};
use super::{AppError, Services, Session};
use crate::domain::{Money, Permission, TicketCode, VatBasisPoints};
use crate::i18n::Lang;
use crate::ledger::{NewPrintLog, PrinterRow, TicketByCode};
use crate::printing::{self, Mark, TicketView};

/// How long a printer may take to connect, take a job or answer a status request.
pub const PRINTER_TIMEOUT: Duration = pc43d::DEFAULT_TIMEOUT;

/// The printer used when none is configured: the demo file printer in the data directory.
pub const DEMO_PRINTER_NAME: &str = "demo";

/// Which paper: the first print (or a retry of it), a copy with the same code, or a
/// reissue with a new code that revokes the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintMode {
    Original,
    Copy,
    Reissue,
}

impl PrintMode {
    fn kind(self) -> &'static str {
        match self {
            PrintMode::Original => "original",
            PrintMode::Copy => "copy",
            PrintMode::Reissue => "reissue",
        }
    }
}

/// What became of a print job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "result", content = "error")]
pub enum PrintResult {
    /// The printer took the bytes (TCP, serial, file).
    Sent,
    /// The system queue took the job; whether paper came out is the spooler's business.
    Spooled,
    Failed(String),
}

impl PrintResult {
    fn code(&self) -> &'static str {
        match self {
            PrintResult::Sent => "sent",
            PrintResult::Spooled => "spooled",
            PrintResult::Failed(_) => "failed",
        }
    }

    pub fn succeeded(&self) -> bool {
        !matches!(self, PrintResult::Failed(_))
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PrintOutcome {
    pub printer: String,
    pub transport: String,
    pub language: String,
    /// The codes on the paper, in order.
    pub codes: Vec<String>,
    #[serde(flatten)]
    pub result: PrintResult,
    /// For a reissue: the reissue number of each ticket.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reissue_numbers: Vec<i64>,
    #[serde(skip)]
    pub labels: Vec<Label>,
}

/// The output formats of `ticket render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderFormat {
    Png,
    Language(Language),
}

impl RenderFormat {
    pub fn from_code(code: &str) -> Option<RenderFormat> {
        match code {
            "png" => Some(RenderFormat::Png),
            other => Language::from_code(other).map(RenderFormat::Language),
        }
    }
}

/// A printer as the services use it: its link and language parsed.
#[derive(Debug, Clone)]
pub struct PrinterConfig {
    pub name: String,
    pub transport: TransportSpec,
    pub language: Language,
}

impl PrinterConfig {
    fn from_row(row: &PrinterRow) -> Result<PrinterConfig, AppError> {
        Ok(PrinterConfig {
            name: row.name.clone(),
            transport: TransportSpec::parse(&row.transport)
                .map_err(|e| AppError::Print(PrintError::BadPrinterSetting(e)))?,
            language: Language::from_code(&row.language).ok_or_else(|| {
                AppError::Print(PrintError::BadPrinterSetting(row.language.clone()))
            })?,
        })
    }
}

/// One ticket ready for paper.
struct Printable {
    ticket_id: Option<i64>,
    label: Label,
    code: String,
}

impl Services {
    /// Adds a printer or changes the one with that name (admins).
    pub fn add_printer(
        &mut self,
        session: &Session,
        name: &str,
        transport: &str,
        language: &str,
        make_default: bool,
    ) -> Result<PrinterRow, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::Print(PrintError::BadPrinterSetting(
                "a printer needs a name".into(),
            )));
        }
        let transport = TransportSpec::parse(transport)
            .map_err(|e| AppError::Print(PrintError::BadPrinterSetting(e)))?;
        let language = Language::from_code(language).ok_or_else(|| {
            AppError::Print(PrintError::BadPrinterSetting(format!(
                "{language:?}: use fingerprint or zpl"
            )))
        })?;
        let now = Local::now().to_rfc3339();
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Settings, "change printers")?;
            let row = tx.upsert_printer(
                name,
                &transport.to_string(),
                language.code(),
                make_default,
                &now,
            )?;
            tx.append_journal(
                JournalKind::PrinterSet,
                Some(user.id),
                None,
                &serde_json::to_value(&row).unwrap_or_default(),
            )?;
            Ok(row)
        })
    }

    pub fn printers(&mut self) -> Result<Vec<PrinterRow>, AppError> {
        Ok(self.ledger_mut().read(|tx| tx.printers())?)
    }

    /// The printer called `name`, else the default one, else the demo file printer.
    pub fn printer(&mut self, name: Option<&str>) -> Result<PrinterConfig, AppError> {
        let row = match name {
            Some(name) => Some(
                self.ledger_mut()
                    .read(|tx| tx.printer_by_name(name.trim()))?
                    .ok_or_else(|| AppError::Print(PrintError::UnknownPrinter(name.to_string())))?,
            ),
            None => self.ledger_mut().read(|tx| tx.default_printer())?,
        };
        match row {
            Some(row) => PrinterConfig::from_row(&row),
            None => Ok(PrinterConfig {
                name: DEMO_PRINTER_NAME.into(),
                transport: TransportSpec::File(self.print_file()),
                language: Language::Fingerprint,
            }),
        }
    }

    /// Asks a printer on a two-way link for its status; `None` for one-way links (file, queue).
    /// Blocking for at most [`PRINTER_TIMEOUT`] per step: call it off the UI thread.
    pub fn printer_status(
        &mut self,
        name: Option<&str>,
    ) -> Result<Option<Result<PrinterStatus, String>>, AppError> {
        let printer = self.printer(name)?;
        let mut transport = printer.transport.open(PRINTER_TIMEOUT);
        Ok(pc43d::query_status(transport.as_mut(), printer.language)
            .map(|status| status.map_err(|error| error.to_string())))
    }

    /// Prints a test ticket with the awkward characters (admins, from the settings screen).
    pub fn print_test(
        &mut self,
        session: &Session,
        printer: Option<&str>,
    ) -> Result<PrintOutcome, AppError> {
        let currency = self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Settings, "print a test ticket")?;
            Ok::<_, AppError>(tx.currency()?)
        })?;
        let printer = self.printer(printer)?;
        let ticket = test_ticket(currency);
        let printable = vec![Printable {
            ticket_id: None,
            label: printing::ticket_label(&ticket, session.lang),
            code: ticket.code,
        }];
        Ok(self.print_and_log(session, &printer, "test", printable, Vec::new()))
    }

    /// Prints one ticket by any of its codes: the original (only while it has never
    /// reached a printer, else a copy or a reissue is needed), a copy or a reissue.
    pub fn print_ticket(
        &mut self,
        session: &Session,
        code: &str,
        printer: Option<&str>,
        mode: PrintMode,
    ) -> Result<PrintOutcome, AppError> {
        let code = normalise(code);
        let printer = self.printer(printer)?;
        let now = Local::now().to_rfc3339();
        let new_code = TicketCode::from_random(random_bytes()).as_str().to_string();
        let (ticket, mark) = self.ledger_mut().transact(|tx| {
            let user = match mode {
                PrintMode::Original => require(tx, session, Permission::Sell, "print tickets")?,
                PrintMode::Copy => require(tx, session, Permission::Reprint, "print a copy")?,
                PrintMode::Reissue => {
                    require(tx, session, Permission::Reprint, "reissue a ticket")?
                }
            };
            let ticket = printable_ticket(tx.ticket_by_code(&code)?, &code)?;
            match mode {
                PrintMode::Original => {
                    let unprinted = tx.unprinted_tickets(ticket.order_number)?;
                    if !unprinted.contains(&ticket.original_code) {
                        return Err(AppError::Print(PrintError::AlreadyPrinted(code.clone())));
                    }
                    Ok((ticket.clone(), reissue_mark(ticket.reissue_number)))
                }
                PrintMode::Copy => {
                    tx.append_journal(
                        JournalKind::TicketCopy,
                        Some(user.id),
                        Some(ticket.order_number),
                        &serde_json::json!({"code": ticket.current_code, "printer": printer.name}),
                    )?;
                    Ok((ticket, Mark::Copy))
                }
                PrintMode::Reissue => {
                    let number = ticket.reissue_number + 1;
                    tx.insert_reissue(
                        ticket.ticket_id,
                        number,
                        &ticket.current_code,
                        &new_code,
                        user.id,
                        &now,
                    )?;
                    tx.append_journal(
                        JournalKind::TicketReissue,
                        Some(user.id),
                        Some(ticket.order_number),
                        &serde_json::json!({
                            "old_code": ticket.current_code,
                            "new_code": new_code,
                            "number": number,
                            "printer": printer.name,
                        }),
                    )?;
                    let reissued = TicketByCode {
                        current_code: new_code.clone(),
                        reissue_number: number,
                        ..ticket
                    };
                    Ok((reissued, Mark::Reissue(number)))
                }
            }
        })?;
        let label = self.ticket_label_of(&ticket, mark)?;
        let printable = vec![Printable {
            ticket_id: Some(ticket.ticket_id),
            code: ticket.current_code.clone(),
            label,
        }];
        let reissue_numbers = match mark {
            Mark::Reissue(number) => vec![number],
            _ => Vec::new(),
        };
        Ok(self.print_and_log(session, &printer, mode.kind(), printable, reissue_numbers))
    }

    /// Prints the order's valid tickets that have not reached a printer yet: right after
    /// the sale, and again from the "not printed" banner. `None` when nothing is left to print.
    pub fn print_unprinted(
        &mut self,
        session: &Session,
        order_number: OrderNumber,
        printer: Option<&str>,
    ) -> Result<Option<PrintOutcome>, AppError> {
        let printer = self.printer(printer)?;
        let (tickets, details, currency) = self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Sell, "print tickets")?;
            let unprinted = tx.unprinted_tickets(order_number)?;
            let codes = tx.current_codes(order_number)?;
            let details = tx
                .order_details(order_number)?
                .ok_or(AppError::Sale(SaleError::UnknownOrder(order_number)))?;
            let tickets: Vec<(i64, String, String, i64)> = codes
                .into_iter()
                .filter(|(_, original, _, _)| unprinted.contains(original))
                .collect();
            Ok::<_, AppError>((tickets, details, tx.currency()?))
        })?;
        if tickets.is_empty() {
            return Ok(None);
        }
        let lang = Lang::from_code(&details.lang).unwrap_or_default();
        let receipt = super::Receipt::from_details(&details, lang, currency);
        let printable = tickets
            .into_iter()
            .filter_map(|(ticket_id, original, current, reissue_number)| {
                let view = receipt.tickets.iter().find(|t| t.code == original)?;
                let view = TicketView {
                    code: current.clone(),
                    ..view.clone()
                };
                Some(Printable {
                    ticket_id: Some(ticket_id),
                    label: printing::ticket_label_marked(&view, lang, reissue_mark(reissue_number)),
                    code: current,
                })
            })
            .collect();
        Ok(Some(self.print_and_log(
            session,
            &printer,
            "original",
            printable,
            Vec::new(),
        )))
    }

    /// Codes of the order's valid tickets that have not reached a printer (the banner's list).
    pub fn unprinted_tickets(
        &mut self,
        order_number: OrderNumber,
    ) -> Result<Vec<String>, AppError> {
        Ok(self
            .ledger_mut()
            .read(|tx| tx.unprinted_tickets(order_number))?)
    }

    /// Exactly what the printer path would produce for the code in force: the job bytes
    /// in a printer language, or the picture.
    pub fn render_ticket(&mut self, code: &str, format: RenderFormat) -> Result<Vec<u8>, AppError> {
        let code = normalise(code);
        let ticket = self.ledger_mut().read(|tx| tx.ticket_by_code(&code))?;
        let ticket = printable_ticket(ticket, &code)?;
        let label = self.ticket_label_of(&ticket, reissue_mark(ticket.reissue_number))?;
        Ok(match format {
            RenderFormat::Png => printing::render_png(&label),
            RenderFormat::Language(language) => language.encode(&label),
        })
    }

    /// The label of one ticket in its order's language, under its code in force.
    fn ticket_label_of(&mut self, ticket: &TicketByCode, mark: Mark) -> Result<Label, AppError> {
        let (details, currency) = self.ledger_mut().read(|tx| {
            Ok::<_, AppError>((tx.order_details(ticket.order_number)?, tx.currency()?))
        })?;
        let details =
            details.ok_or(AppError::Sale(SaleError::UnknownOrder(ticket.order_number)))?;
        let lang = Lang::from_code(&details.lang).unwrap_or_default();
        let receipt = super::Receipt::from_details(&details, lang, currency);
        let view = receipt
            .tickets
            .iter()
            .find(|t| t.code == ticket.original_code)
            .ok_or_else(|| {
                AppError::Sale(SaleError::UnknownTicket(ticket.original_code.clone()))
            })?;
        let view = TicketView {
            code: ticket.current_code.clone(),
            ..view.clone()
        };
        Ok(printing::ticket_label_marked(&view, lang, mark))
    }

    /// Sends the labels as one job and writes one print-log row per ticket, in one transaction.
    /// A print attempt is a device event, not a business operation: the append-only print log
    /// records it and the journal does not (copies, reissues and printer changes are journaled).
    /// A failure of the device is the outcome, not an error: nothing is undone.
    fn print_and_log(
        &mut self,
        session: &Session,
        printer: &PrinterConfig,
        kind: &str,
        printable: Vec<Printable>,
        reissue_numbers: Vec<i64>,
    ) -> PrintOutcome {
        let labels: Vec<Label> = printable.iter().map(|p| p.label.clone()).collect();
        let mut transport = printer.transport.open(PRINTER_TIMEOUT);
        let result = match printing::send_labels(transport.as_mut(), printer.language, &labels) {
            Ok(()) if matches!(printer.transport, TransportSpec::Queue(_)) => PrintResult::Spooled,
            Ok(()) => PrintResult::Sent,
            Err(error) => {
                tracing::error!(printer = %printer.name, %error, "printing failed");
                PrintResult::Failed(error.to_string())
            }
        };
        let transport_text = printer.transport.to_string();
        let now = Local::now().to_rfc3339();
        let logged = self.ledger_mut().transact(|tx| {
            for item in &printable {
                tx.insert_print_log(&NewPrintLog {
                    ticket_id: item.ticket_id,
                    code: Some(&item.code),
                    kind,
                    printer: &printer.name,
                    transport: &transport_text,
                    language: printer.language.code(),
                    user_id: Some(session.user_id),
                    result: result.code(),
                    error: match &result {
                        PrintResult::Failed(error) => Some(error),
                        _ => None,
                    },
                    now: &now,
                })?;
            }
            // The operations screen shows each printer with its last error.
            let detail = match &result {
                PrintResult::Failed(error) => format!("{transport_text}: {error}"),
                other => format!("{transport_text}: {}", other.code()),
            };
            tx.set_integration_status(
                &format!("printer.{}", printer.name),
                result.succeeded(),
                &detail,
                &now,
            )?;
            Ok::<_, AppError>(())
        });
        if let Err(error) = logged {
            // The paper is out (or not); only the log row is missing. Say so, do not hide it.
            tracing::error!(printer = %printer.name, %error, "the print log could not be written");
        }
        PrintOutcome {
            printer: printer.name.clone(),
            transport: transport_text,
            language: printer.language.code().into(),
            codes: printable.into_iter().map(|p| p.code).collect(),
            result,
            reissue_numbers,
            labels,
        }
    }
}

fn normalise(code: &str) -> String {
    TicketCode::parse(code)
        .map(|c| c.as_str().to_string())
        .unwrap_or_else(|| code.trim().to_string())
}

fn reissue_mark(reissue_number: i64) -> Mark {
    if reissue_number > 0 {
        Mark::Reissue(reissue_number)
    } else {
        Mark::Original
    }
}

/// Only the code in force of a valid ticket goes on paper.
fn printable_ticket(ticket: Option<TicketByCode>, code: &str) -> Result<TicketByCode, AppError> {
    let ticket =
        ticket.ok_or_else(|| AppError::Sale(SaleError::UnknownTicket(code.to_string())))?;
    if let Some(number) = ticket.replaced_by_reissue {
        return Err(AppError::Sale(SaleError::TicketReplaced {
            code: code.to_string(),
            reissue_number: number,
        }));
    }
    if ticket.state != crate::domain::TicketState::Valid {
        return Err(AppError::Sale(SaleError::TicketNotValid {
            code: code.to_string(),
            state: ticket.state.to_string(),
        }));
    }
    Ok(ticket)
}

/// The test ticket: every awkward character the real ones can hold.
fn test_ticket(currency: crate::domain::Currency) -> TicketView {
    TicketView {
        code: "TESTTESTTESTTEST".into(),
        event_name: "Testilippu – \"Åbo Ärende Öl\" å ä ö é".into(),
        venue: "Kasnäs, Kemiönsaari".into(),
        organiser: "Skärgårdsfestivalen rf".into(),
        starts_at: Local::now().format("%-d.%-m.%Y %H.%M").to_string(),
        category_name: "Ääni & Öljy".into(),
        price: Money::from_cents(1850),
        currency,
        vat_rate: VatBasisPoints(1350),
        order_number: OrderNumber(0),
        state: "test".into(),
        seat: None,
    }
}

/// An order found on the staff's reprint screen, with its tickets under their codes in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReprintOrder {
    pub hit: crate::app::views::OrderHitView,
    pub tickets: Vec<ReprintTicket>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReprintTicket {
    /// The code in force.
    pub code: String,
    /// valid, revoked or training
    pub state: crate::domain::TicketState,
    /// Whether the code in force has reached a printer or a queue.
    pub printed: bool,
    pub reissue_number: i64,
    /// The price category in the user's language.
    pub category: String,
    /// "Permanto, rivi 3, paikka 9" for a seated ticket.
    pub seat: Option<String>,
}

impl Services {
    /// Orders for the reprint screen (scan, number, name, e-mail), newest first.
    pub fn reprint_candidates(
        &mut self,
        query: &str,
        lang: crate::i18n::Lang,
    ) -> Result<Vec<ReprintOrder>, AppError> {
        let hits = self.search_orders(query, 10)?;
        let mut orders = Vec::new();
        for hit in hits {
            let order_number = hit.order_number;
            // The receipt's tickets name the category and the seat in the user's language.
            let described = self.receipt(order_number, lang)?.tickets;
            let tickets = self.ledger_mut().read(|tx| {
                let unprinted = tx.unprinted_tickets(order_number)?;
                let states: Vec<crate::domain::TicketState> = tx
                    .tickets_of(order_number)?
                    .into_iter()
                    .map(|t| t.state)
                    .collect();
                let codes = tx.current_codes(order_number)?;
                Ok::<_, AppError>(
                    codes
                        .into_iter()
                        .zip(states)
                        .map(|((_, original, current, reissue_number), state)| {
                            let about = described.iter().find(|t| t.code == original);
                            ReprintTicket {
                                printed: !unprinted.contains(&original),
                                code: current,
                                state,
                                reissue_number,
                                category: about
                                    .map(|t| t.category_name.clone())
                                    .unwrap_or_default(),
                                seat: about.and_then(|t| t.seat.as_ref()).map(|seat| {
                                    format!(
                                        "{}, {} {}, {} {}",
                                        seat.section_name,
                                        crate::i18n::tr(lang, crate::i18n::Text::SeatRow),
                                        seat.row,
                                        crate::i18n::tr(lang, crate::i18n::Text::SeatNumber),
                                        seat.seat
                                    )
                                }),
                            }
                        })
                        .collect(),
                )
            })?;
            orders.push(ReprintOrder {
                hit: hit.into(),
                tickets,
            });
        }
        Ok(orders)
    }
}
