//! `init`, `catalog`, `doctor`, `verify`, `bench seed|queries`.

use std::path::Path;

use boxoffice::app::{InitOutcome, Services};
use clap::Subcommand;

use super::error::CliResult;
use super::output::{json_pretty, say, say_raw};
use super::parse_lang;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Fill the ledger with realistic sales.
    Seed {
        #[arg(long)]
        tickets: i64,
    },
    /// Time ticket look-up, order search, a day's Z figures and verify.
    Queries {
        #[arg(long, default_value_t = 101)]
        runs: usize,
    },
    /// Time the cashier's wait for a cash sale through the counter's service thread (from the
    /// command to its outcome) against the sale alone.
    Counter {
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        /// The pause before each sale "after a pause", in milliseconds.
        #[arg(long, default_value_t = 300)]
        pause_ms: u64,
    },
}

pub fn init(services: &mut Services, demo: bool, currency: &str, data_dir: &Path) -> CliResult {
    let currency = boxoffice::domain::Currency::parse(currency)
        .ok_or_else(|| format!("'{currency}': the currency is EUR or SEK"))?;
    match services.init_with_currency(demo, currency)? {
        InitOutcome::Created { register_id, demo } => {
            say!("register {register_id} set up in {}", data_dir.display());
            if demo {
                let users: Vec<String> = boxoffice::app::DEMO_USERS
                    .iter()
                    .map(|(name, _, pin)| format!("{name} (PIN {pin})"))
                    .collect();
                say!("demo data added: users {}; three events", users.join(", "));
            }
        }
        InitOutcome::AlreadyInitialised { register_id } => {
            say!(
                "register {register_id} was already set up in {}; nothing changed",
                data_dir.display()
            );
        }
    }
    Ok(())
}

pub fn catalog(services: &mut Services, json: bool, lang: &str) -> CliResult {
    let lang = parse_lang(lang)?;
    let catalog = services.catalog(lang)?;
    if json {
        json_pretty(&catalog)?;
    } else {
        for performance in &catalog {
            say!(
                "{:>4}  {}  {}  {} ({} left of {})",
                performance.id,
                boxoffice::i18n::date_time_text(&performance.starts_at, lang),
                performance.event,
                performance.venue,
                performance.remaining,
                performance.capacity
            );
            for category in &performance.categories {
                say!(
                    "        {:<8} {:>10}  VAT {}",
                    category.code,
                    category.price_cents.to_string(),
                    boxoffice::domain::VatBasisPoints(category.vat_basis_points).percent_text()
                );
            }
        }
    }
    Ok(())
}

pub fn doctor(services: &mut Services, log_lines: usize) -> CliResult {
    let report = services.support_report(log_lines);
    // The seller settings go with the configuration (issue 13).
    let seller = services
        .seller_settings()
        .map(|s| super::receipt::seller_text(&s))
        .unwrap_or_default();
    match report.split_once("## Configuration (secrets removed)\n") {
        Some((head, rest)) => {
            say_raw!("{head}## Configuration (secrets removed)\n{seller}{rest}")
        }
        None => say_raw!("{report}{seller}"),
    }
    Ok(())
}

pub fn verify(services: &mut Services) -> CliResult {
    match services.ledger_mut().verify()? {
        Ok(report) => {
            say!(
                "ok: {} journal entries, {} orders, {} tickets, receipts 1–{} gapless, chain head {}",
                report.entries,
                report.orders,
                report.tickets,
                report.receipts,
                &report.head_hash[..16]
            );
            if report.slow_path_sales > 0 {
                eprintln!(
                    "note: {} sales were checked the slow way",
                    report.slow_path_sales
                );
            }
        }
        Err(failure) => return Err(format!("verify failed: {failure}").into()),
    }
    Ok(())
}

pub fn bench(services: &mut Services, command: BenchCommand, data_dir: &Path) -> CliResult {
    match command {
        BenchCommand::Seed { tickets } => {
            let mut last_shown = 0;
            let outcome = services.bench_seed(tickets, &mut |done| {
                if done - last_shown >= tickets / 20 {
                    last_shown = done;
                    eprintln!("seeded {done} / {tickets} tickets");
                }
            })?;
            let bytes = std::fs::metadata(data_dir.join(boxoffice::ledger::LEDGER_FILE))
                .map(|m| m.len())
                .unwrap_or(0);
            say!(
                "{} orders, {} tickets, {} refunds, {} performances in {:.1} s; ledger {:.1} MB, {:.0} bytes per ticket",
                outcome.orders,
                outcome.tickets,
                outcome.refunds,
                outcome.performances,
                outcome.seconds,
                bytes as f64 / 1e6,
                bytes as f64 / outcome.tickets.max(1) as f64
            );
        }
        BenchCommand::Counter { rounds, pause_ms } => {
            let pause = std::time::Duration::from_millis(pause_ms);
            for timing in services.bench_counter(rounds, pause)? {
                say!(
                    "{:<50} median {:>10.1} µs  max {:>10.1} µs  ({} runs)  load {}",
                    timing.name,
                    timing.median,
                    timing.max,
                    timing.runs,
                    timing.load
                );
            }
        }
        BenchCommand::Queries { runs } => {
            for timing in services.bench_queries(runs)? {
                let (median, max, unit) = (timing.median, timing.max, timing.unit);
                let precision = if unit == "µs" { 1 } else { 2 };
                say!(
                    "{:<44} median {median:>10.precision$} {unit}  max {max:>10.precision$} {unit}  ({} runs)  load {}",
                    timing.name,
                    timing.runs,
                    timing.load
                );
            }
        }
    }
    Ok(())
}
