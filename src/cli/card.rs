//! The card commands of the CLI: `terminal add|list|status|reconcile`, `payments pending|resolve`,
//! and the card part of `sell --pay`.

use boxoffice::app::{ManualResolution, SaleRequest, Services, Split};
use boxoffice::domain::Money;

use super::auth::{Auth, PinSource};
use super::error::{CliError, CliResult};
use super::output::{json_line, say};

#[derive(clap::Subcommand)]
pub enum TerminalCommand {
    /// Add a terminal: an agent on HOST:PORT (port 1337 usually) or a Nets Connect@Cloud terminal.
    Add {
        #[arg(long)]
        name: String,
        /// The card-terminal agent's address, e.g. 127.0.0.1:1337.
        #[arg(
            long,
            conflicts_with = "nets_cloud",
            required_unless_present = "nets_cloud"
        )]
        agent: Option<String>,
        /// A Nets Connect@Cloud terminal id.
        #[arg(long)]
        nets_cloud: Option<String>,
        #[command(flatten)]
        auth: Auth,
    },
    /// The organisation's Nets Connect@Cloud account (once, for every location).
    NetsAccount {
        /// https://connectcloud.aws.nets.eu (test: https://connectcloud-test.aws.nets.eu)
        #[arg(long)]
        url: String,
        /// Used when the primary URL cannot be reached.
        #[arg(long)]
        url_alt: Option<String>,
        #[arg(long)]
        username: String,
        /// Better given in the environment than on the command line.
        #[arg(long, env = "BOXOFFICE_NETS_PASSWORD", hide_env_values = true)]
        password: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// The terminals.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Whether the terminal answers, and which attempts block it.
    Status {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Day end: the terminal's batch totals against the ledger's (both recorded, and in the Z report).
    Reconcile {
        name: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(clap::Subcommand)]
pub enum PaymentsCommand {
    /// Card attempts whose outcome is unknown, and approvals that ended in no order.
    Pending {
        #[arg(long)]
        json: bool,
        /// Ask the terminals first (status queries, reversals): needs a login.
        #[arg(long)]
        resolve: bool,
        /// With --resolve: your user name (or BOXOFFICE_USER).
        #[arg(long, env = "BOXOFFICE_USER")]
        user: Option<String>,
        #[command(flatten)]
        pin: PinSource,
    },
    /// A manager settles an attempt the terminal cannot tell about.
    Resolve {
        attempt: String,
        /// The terminal shows it approved, under this reference.
        #[arg(
            long,
            conflicts_with = "not_approved",
            required_unless_present = "not_approved"
        )]
        approved: Option<String>,
        #[arg(long)]
        not_approved: bool,
        #[command(flatten)]
        auth: Auth,
    },
}

pub fn terminal(services: &mut Services, command: TerminalCommand) -> CliResult {
    match command {
        TerminalCommand::Add {
            name,
            agent,
            nets_cloud,
            auth,
        } => add_terminal(services, &name, agent, nets_cloud, &auth)?,
        TerminalCommand::NetsAccount {
            url,
            url_alt,
            username,
            password,
            auth,
        } => {
            let session = auth.session(services)?;
            services.set_nets_account(&session, &url, url_alt.as_deref(), &username, &password)?;
            say!("Nets Connect@Cloud account set ({username} at {url})");
        }
        TerminalCommand::List { json } => {
            let terminals = services.terminals()?;
            if json {
                return json_line(&terminals);
            }
            for t in terminals {
                say!("{:<16} {:<10} {}", t.name, t.kind, t.address);
            }
        }
        TerminalCommand::Status { name, json } => {
            let status = services.terminal_status(&name)?;
            if json {
                return json_line(&status);
            }
            say!(
                "{} ({} {}): {}",
                status.name,
                status.kind,
                status.address,
                status.link
            );
            if status.unresolved.is_empty() {
                say!("no unresolved payments");
            } else {
                say!(
                    "blocked by unresolved payments: {}",
                    status.unresolved.join(", ")
                );
            }
        }
        TerminalCommand::Reconcile { name, json, auth } => reconcile(services, &name, json, &auth)?,
    }
    Ok(())
}

/// `terminal add`: an agent at HOST:PORT or a Nets Connect@Cloud terminal.
fn add_terminal(
    services: &mut Services,
    name: &str,
    agent: Option<String>,
    nets_cloud: Option<String>,
    auth: &Auth,
) -> CliResult {
    let (kind, address) = match (agent, nets_cloud) {
        (Some(agent), _) => {
            emv_agent::check_agent_address(&agent).map_err(|e| format!("--agent: {e}"))?;
            ("agent", agent)
        }
        (None, Some(id)) => ("nets_cloud", id),
        (None, None) => {
            return Err("give --agent HOST:PORT or --nets-cloud TERMINAL_ID".into());
        }
    };
    let session = auth.session(services)?;
    let terminal = services.add_terminal(&session, name, kind, &address)?;
    say!(
        "terminal {} added ({} {})",
        terminal.name,
        terminal.kind,
        terminal.address
    );
    if kind == "nets_cloud" {
        say!("reconcile it once on the terminal (Admin menu) before it accepts payments");
    }
    Ok(())
}

/// `terminal reconcile`: the terminal's batch totals against the ledger's.
fn reconcile(services: &mut Services, name: &str, json: bool, auth: &Auth) -> CliResult {
    let session = auth.session(services)?;
    let row = services.reconcile_terminal(&session, name)?;
    if json {
        return json_line(&row);
    }
    let m = Money::from_cents;
    say!(
        "terminal {} reconciliation {}",
        row.terminal,
        row.poi_reconciliation_id
    );
    say!(
        "terminal: {} purchases {}, {} refunds {}",
        row.terminal_debit_count,
        m(row.terminal_debit_cents),
        row.terminal_credit_count,
        m(row.terminal_credit_cents)
    );
    say!(
        "ledger:   {} purchases {}, {} refunds {}",
        row.ledger_debit_count,
        m(row.ledger_debit_cents),
        row.ledger_credit_count,
        m(row.ledger_credit_cents)
    );
    say!("difference: {}", m(row.difference_cents));
    Ok(())
}

pub fn payments(services: &mut Services, command: PaymentsCommand) -> CliResult {
    match command {
        PaymentsCommand::Pending {
            json,
            resolve,
            user,
            pin,
        } => {
            if resolve {
                // Resolving appends outcomes and may reverse payments: someone logs in for it.
                let Some(user) = user else {
                    return Err(
                        "payments pending --resolve needs --user (or BOXOFFICE_USER)".into(),
                    );
                };
                services.login(&user, &pin.read(&user)?)?;
                services.resolve_card_attempts(None)?;
            }
            let pending = services.pending_card_payments()?;
            if json {
                return json_line(&pending);
            }
            if pending.is_empty() {
                say!("no pending payments");
            }
            for a in pending {
                let note = match a.state.as_str() {
                    "approved" => "approved but in no order: reverse it or refund it".to_string(),
                    _ => format!(
                        "outcome unknown after {} status queries {}",
                        a.unknown_count, a.detail
                    ),
                };
                say!(
                    "{}  {:<10} {:<8} {:>12}  {}  {}  {note}",
                    a.service_id,
                    a.terminal,
                    a.kind,
                    Money::from_cents(a.amount_cents).to_string(),
                    a.state,
                    a.created_at
                );
            }
        }
        PaymentsCommand::Resolve {
            attempt,
            approved,
            not_approved,
            auth,
        } => {
            let session = auth.session(services)?;
            let decision = match (approved, not_approved) {
                (Some(reference), _) => ManualResolution::Approved { reference },
                (None, true) => ManualResolution::NotApproved,
                (None, false) => return Err("give --approved REFERENCE or --not-approved".into()),
            };
            let row = services.resolve_card_manually(&session, &attempt, &decision)?;
            say!("card attempt {} is now {}", row.service_id, row.state);
        }
    }
    Ok(())
}

/// `--pay card`, `--pay cash:AMOUNT,card`, `--pay card:AMOUNT,cash` (either order): one card
/// tender and at most one cash tender; the one without an amount pays the rest.
pub fn parse_split(pay: &str) -> Result<Option<Split>, CliError> {
    let mut split = Split::default();
    let (mut cash, mut card) = (false, false);
    for part in pay.split(',').map(str::trim) {
        let (name, amount) = match part.split_once(':') {
            Some((name, amount)) => {
                let amount = Money::parse(amount.trim())?;
                if amount.cents() <= 0 {
                    return Err(format!("the amount in '{part}' must be positive").into());
                }
                (name.trim(), Some(amount))
            }
            None => (part, None),
        };
        match name {
            "cash" if !cash => {
                cash = true;
                split.cash = amount;
            }
            "card" if !card => {
                card = true;
                split.card = amount;
            }
            _ => {
                return Err(format!(
                    "--pay '{pay}' is not understood: use cash, card, or cash:AMOUNT,card"
                )
                .into());
            }
        }
    }
    if !card {
        return Ok(None);
    }
    if split.cash.is_some() && split.card.is_some() {
        return Err("give the amount of only one tender: the other pays the rest".into());
    }
    if cash && split.cash.is_none() && split.card.is_none() {
        return Err(
            "with two tenders, give one amount: cash:AMOUNT,card or card:AMOUNT,cash".into(),
        );
    }
    Ok(Some(split))
}

/// The cash handed over when `--tendered` is left out of a card sale: exactly the cash part,
/// or nothing for a card-only sale.
pub fn exact_cash(
    services: &mut Services,
    request: &SaleRequest,
    split: Split,
) -> Result<Money, CliError> {
    Ok(match (split.cash, split.card) {
        (Some(cash), _) => cash,
        (None, Some(card)) => services.quote(request)? - card,
        (None, None) => Money::ZERO,
    })
}
