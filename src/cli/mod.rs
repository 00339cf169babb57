//! The command line: clap types, dispatch, one output helper, one module per command family.
//! `main` parses and hands over to [`run`]; every failure comes back as a [`CliError`] and is
//! printed in one place ([`CliError::report`]).

mod admin;
mod auth;
mod bank;
mod card;
mod db;
mod error;
mod mail;
mod orders;
mod output;
mod print;
mod receipt;
mod reservation;
mod sale;
mod seats;
mod shift;
mod users;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use boxoffice::app::Services;
use boxoffice::i18n::Lang;
use clap::{Parser, Subcommand};

pub use error::{CliError, CliResult};

#[derive(Parser)]
#[command(
    name = "boxoffice",
    version,
    about = "Box office: ticket sales at the counter"
)]
pub struct Cli {
    /// Where the ledger and the print files live (default: the OS data directory).
    #[arg(long, global = true, env = "BOXOFFICE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// The shared ledger of several counters: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=require]
    /// (the password goes in BOXOFFICE_DATABASE_PASSWORD, never here).
    #[arg(
        long,
        global = true,
        env = "BOXOFFICE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// The shared ledger on PostgreSQL: `db migrate` creates or updates its schema.
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// Set up the register (once); --demo adds demo users and events.
    Init {
        #[arg(long)]
        demo: bool,
        /// The register's currency: EUR (Finland) or SEK (Sweden).
        #[arg(long, default_value = "EUR")]
        currency: String,
    },
    /// Exports for the tax auditor: SAF-T Cash Register XML, or CSV.
    Export {
        #[command(subcommand)]
        command: receipt::ExportCommand,
    },
    /// The customer's receipt: show it, print it or its one copy on the receipt printer.
    Receipt {
        #[command(subcommand)]
        command: receipt::ReceiptCommand,
    },
    /// Performances on sale with their price categories.
    Catalog {
        #[arg(long)]
        json: bool,
        /// Language of the names: fi, sv or en.
        #[arg(long, default_value = "fi")]
        lang: String,
    },
    /// Sell tickets.
    Sell(sale::SellArgs),
    /// Seat plans: import from CSV, show, export; the free seats of a performance.
    Seatplan {
        #[command(subcommand)]
        command: seats::SeatplanCommand,
    },
    /// Seats of a performance: manager holds and releases, exchanges to another seat.
    Seat {
        #[command(subcommand)]
        command: seats::SeatCommand,
    },
    /// Refund an order (managers): all of it, chosen tickets, or an amount.
    Refund(orders::RefundArgs),
    /// Hold tickets for a phone or mail order until a due date, against a reference number.
    Reserve(reservation::ReserveArgs),
    /// Reservations: list, check payment, release.
    Reservation {
        #[command(subcommand)]
        command: reservation::ReservationCommand,
    },
    /// The support report: version, configuration without secrets, integrations, recent log lines.
    Doctor {
        /// How many log lines to include.
        #[arg(long, default_value_t = 300)]
        log_lines: usize,
    },
    /// Orders.
    Order {
        #[command(subcommand)]
        command: orders::OrderCommand,
    },
    /// Walk the journal chain and check the ledger's invariants.
    Verify,
    /// Reports over dates: sales, refunds or z (managers).
    Report(shift::ReportArgs),
    /// Benchmarks on a ledger: `seed` fills it, `queries` times the look-ups (BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: admin::BenchCommand,
    },
    /// Tickets: `check CODE` says whether a ticket is valid (exit 0) or why not (exit 1).
    Ticket {
        #[command(subcommand)]
        command: orders::TicketCommand,
    },
    /// Danske Bank Verkkomaksu: reproduce the bank's computations (support staff).
    Bank {
        #[command(subcommand)]
        command: bank::BankCommand,
    },
    /// The register's settings.
    Register {
        #[command(subcommand)]
        command: users::RegisterCommand,
    },
    /// Shifts: open with a float, cash in and out, X report, close with a Z report.
    Shift {
        #[command(subcommand)]
        command: shift::ShiftCommand,
    },
    /// Users: add, list, set a PIN, disable (admins; anyone may set their own PIN).
    User {
        #[command(subcommand)]
        command: users::UserCommand,
    },
    /// Ticket printers: add (or change), list, status.
    Printer {
        #[command(subcommand)]
        command: print::PrinterCommand,
    },
    /// Print a test ticket, or a ticket again (retry, copy or reissue).
    Print {
        #[command(subcommand)]
        command: print::PrintCommand,
    },
    /// Card terminals: add, list, status, reconcile (day end).
    Terminal {
        #[command(subcommand)]
        command: card::TerminalCommand,
    },
    /// Payments: card attempts still to be resolved.
    Payments {
        #[command(subcommand)]
        command: card::PaymentsCommand,
    },
    /// Ticket mail: SMTP servers, DKIM, test mail, sending and the outbox.
    Mail {
        #[command(subcommand)]
        command: mail::MailCommand,
    },
    /// Tickets to a phone as an SMS with links, through an HTTP SMS gateway.
    Sms {
        #[command(subcommand)]
        command: mail::SmsCommand,
    },
}

impl Command {
    /// Commands that never write the ledger: they open it read-only, so they work on a
    /// read-only data directory or a full disk and never convert a file that is not a ledger.
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            Command::Catalog { .. }
                | Command::Verify
                | Command::Doctor { .. }
                | Command::Report(_)
                | Command::Order { .. }
                | Command::Ticket {
                    command: orders::TicketCommand::Check { .. }
                }
        )
    }

    /// Commands that only compute (the bank's algorithms) open no ledger and write no log.
    pub fn needs_ledger(&self) -> bool {
        match self {
            Command::Bank { command } => command.needs_ledger(),
            Command::Db { .. } => false,
            _ => true,
        }
    }
}

pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("boxoffice")
}

/// Runs one command; the exit code says whether it succeeded.
pub fn main(command: Command, data_dir: &Path, database: Option<&str>) -> ExitCode {
    let outcome = match command {
        Command::Db { command } => db::db_command(command, database, data_dir),
        // Never sell on the local file when the shared ledger was asked for.
        command if database.is_some() => shared(command, data_dir, database.unwrap_or_default()),
        Command::Bank { command } if !command.needs_ledger() => bank::bank_command(command),
        command => {
            let opened = if command.only_reads() {
                Services::open_read_only(data_dir)
            } else {
                Services::open(data_dir)
            };
            opened
                .map_err(CliError::from)
                .and_then(|mut services| run(&mut services, command, data_dir))
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}

/// A command on the shared ledger (PostgreSQL): every command of a counter runs on it, at this
/// PC's register. `init` (a shared ledger is made by `db copy` and joined by `register join`),
/// `bench seed` and `bench counter` (they write and time a counter's own file) are refused with
/// a sentence rather than done on the counter's own file; `bench queries` times the shared
/// ledger's look-ups and `verify` (a large ledger gets there by `db copy`).
fn shared(command: Command, data_dir: &Path, url: &str) -> CliResult {
    if !boxoffice::ledger::pg::is_url(url) {
        return Err(CliError::Message(db::not_an_address(url)));
    }
    let local_only = match &command {
        Command::Init { .. } => true,
        Command::Bench { command } => !matches!(command, admin::BenchCommand::Queries { .. }),
        _ => false,
    };
    if local_only {
        return Err(CliError::Message(db::not_yet(url)));
    }
    let mut services = Services::open_shared(data_dir, url)?;
    match command {
        Command::Register {
            command: users::RegisterCommand::Join { name, auth },
        } => users::join(&mut services, url, &name, &auth),
        command => run(&mut services, command, data_dir),
    }
}

fn run(services: &mut Services, command: Command, data_dir: &Path) -> CliResult {
    match command {
        Command::Db { command } => db::db_command(command, None, data_dir),
        Command::Init { demo, currency } => admin::init(services, demo, &currency, data_dir),
        Command::Receipt { command } => receipt::receipt_command(services, command),
        Command::Export { command } => receipt::export_command(services, command),
        Command::Catalog { json, lang } => admin::catalog(services, json, &lang),
        Command::Sell(args) => sale::sell(services, args),
        Command::Seatplan { command } => seats::seatplan_command(services, command),
        Command::Seat { command } => seats::seat_command(services, command),
        Command::Refund(args) => orders::refund(services, args),
        Command::Reserve(args) => reservation::reserve(services, args),
        Command::Reservation { command } => reservation::reservation_command(services, command),
        Command::Doctor { log_lines } => admin::doctor(services, log_lines),
        Command::Order { command } => orders::order(services, command),
        Command::Verify => admin::verify(services),
        Command::Report(args) => shift::report(services, args),
        Command::Bench { command } => admin::bench(services, command, data_dir),
        Command::Ticket { command } => orders::ticket(services, command),
        Command::Bank { command } if command.needs_ledger() => {
            bank::bank_settings_command(services, command)
        }
        Command::Bank { command } => bank::bank_command(command),
        Command::Register { command } => users::register(services, command),
        Command::Shift { command } => shift::shift_command(services, command),
        Command::User { command } => users::user_command(services, command),
        Command::Printer { command } => print::printer_command(services, command),
        Command::Print { command } => print::print_command(services, command),
        Command::Terminal { command } => card::terminal(services, command),
        Command::Payments { command } => card::payments(services, command),
        Command::Mail { command } => mail::mail_command(services, command),
        Command::Sms { command } => mail::sms_command(services, command),
    }
}

pub fn parse_lang(code: &str) -> Result<Lang, CliError> {
    Lang::from_code(code)
        .ok_or_else(|| format!("unknown language '{code}': use fi, sv or en").into())
}

pub use db::not_an_address as db_not_an_address;
