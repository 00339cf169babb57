//! The printing subcommands: `printer add|list`, `print test|ticket`, `ticket render`.

use std::path::PathBuf;

use boxoffice::app::{PrintMode, PrintOutcome, PrintResult, RenderFormat, Services};
use clap::Subcommand;

use super::auth::Auth;
use super::error::CliResult;
use super::output::{json_line, say};

#[derive(Subcommand)]
pub enum PrinterCommand {
    /// Add a ticket printer, or change the one with that name (admins).
    Add {
        #[arg(long)]
        name: String,
        /// queue:QUEUE | tcp:HOST:PORT | serial:PORT[:BAUD[:PARITY[:FLOW]]] | file:PATH
        #[arg(long)]
        transport: String,
        /// fingerprint or zpl
        #[arg(long)]
        language: String,
        /// Make it the printer sales print to (the first printer is the default anyway).
        #[arg(long)]
        default: bool,
        #[command(flatten)]
        auth: Auth,
    },
    /// The configured printers, and the system's print queues.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Ask a printer on a two-way link (tcp, serial) for its status: paper out, head open.
    Status {
        #[arg(long)]
        printer: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum PrintCommand {
    /// Print a test ticket (admins).
    Test {
        #[arg(long)]
        printer: Option<String>,
        #[command(flatten)]
        auth: Auth,
        #[arg(long)]
        json: bool,
    },
    /// Print a ticket: the original while it has never been printed, else --copy
    /// (same code, marked COPY) or --reissue (new code, the old one revoked).
    Ticket {
        code: String,
        #[arg(long)]
        printer: Option<String>,
        #[arg(long, conflicts_with = "reissue")]
        copy: bool,
        #[arg(long)]
        reissue: bool,
        #[command(flatten)]
        auth: Auth,
        #[arg(long)]
        json: bool,
    },
}

pub fn printer_command(services: &mut Services, command: PrinterCommand) -> CliResult {
    match command {
        PrinterCommand::Add {
            name,
            transport,
            language,
            default,
            auth,
        } => {
            let session = auth.session(services)?;
            let row = services.add_printer(&session, &name, &transport, &language, default)?;
            say!(
                "printer {} = {} ({}){}",
                row.name,
                row.transport,
                row.language,
                if row.is_default { ", default" } else { "" }
            );
        }
        PrinterCommand::List { json } => {
            let printers = services.printers()?;
            let queues = pc43d::system_queues();
            if json {
                let value = serde_json::json!({"printers": printers, "system_queues": queues});
                say!("{value}");
            } else {
                for printer in &printers {
                    say!(
                        "{}\t{}\t{}{}",
                        printer.name,
                        printer.transport,
                        printer.language,
                        if printer.is_default { "\tdefault" } else { "" }
                    );
                }
                if printers.is_empty() {
                    say!("no printers: tickets go to the demo file printer");
                }
                for queue in queues {
                    say!("system queue: {queue}");
                }
            }
        }
        PrinterCommand::Status { printer } => match services.printer_status(printer.as_deref())? {
            None => say!("this link is one-way: the printer cannot be asked"),
            Some(Ok(status)) if status.ready() => say!("ready"),
            Some(Ok(status)) => {
                let words: Vec<String> =
                    status.conditions.iter().map(ToString::to_string).collect();
                return Err(format!("the printer reports: {}", words.join(", ")).into());
            }
            Some(Err(error)) => return Err(format!("no status: {error}").into()),
        },
    }
    Ok(())
}

pub fn print_command(services: &mut Services, command: PrintCommand) -> CliResult {
    let (outcome, json) = match command {
        PrintCommand::Test {
            printer,
            auth,
            json,
        } => {
            let session = auth.session(services)?;
            let outcome = services.print_test(&session, printer.as_deref())?;
            (outcome, json)
        }
        PrintCommand::Ticket {
            code,
            printer,
            copy,
            reissue,
            auth,
            json,
        } => {
            let mode = match (copy, reissue) {
                (true, _) => PrintMode::Copy,
                (_, true) => PrintMode::Reissue,
                _ => PrintMode::Original,
            };
            let session = auth.session(services)?;
            let outcome = services.print_ticket(&session, &code, printer.as_deref(), mode)?;
            (outcome, json)
        }
    };
    report(&outcome, json)
}

pub fn report(outcome: &PrintOutcome, json: bool) -> CliResult {
    if json {
        json_line(outcome)?;
    }
    match &outcome.result {
        PrintResult::Failed(error) => Err(format!(
            "not printed on {} ({}): {error}; the ticket stays not printed, retry with boxoffice print ticket",
            outcome.printer, outcome.transport
        ).into()),
        result => {
            if !json {
                let what = if *result == PrintResult::Spooled {
                    "sent to the queue"
                } else {
                    "sent to the printer"
                };
                say!(
                    "{what} {} ({}, {}): {}",
                    outcome.printer,
                    outcome.transport,
                    outcome.language,
                    outcome.codes.join(", ")
                );
                for number in &outcome.reissue_numbers {
                    say!("reissue no. {number}; the old code is revoked");
                }
            }
            Ok(())
        }
    }
}

/// `ticket render CODE --format png|fingerprint|zpl --out FILE`.
pub fn render_command(
    services: &mut Services,
    code: &str,
    format: &str,
    out: &PathBuf,
) -> CliResult {
    let format = RenderFormat::from_code(format)
        .ok_or_else(|| format!("'{format}': the format is png, fingerprint or zpl"))?;
    let bytes = services.render_ticket(code, format)?;
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    say!("{} bytes written to {}", bytes.len(), out.display());
    Ok(())
}
