//! `order search|show`, `refund`, `ticket check|render`.

use boxoffice::domain::ids::OrderNumber;
use std::path::PathBuf;

use boxoffice::app::Services;
use boxoffice::domain::Money;
use boxoffice::i18n::Lang;
use clap::Subcommand;

use super::auth::Auth;
use super::error::CliResult;
use super::output::{json_line, json_pretty, say, say_raw};

#[derive(Subcommand)]
pub enum OrderCommand {
    /// Find orders: ticket code, order or receipt number, last four card digits, name or e-mail.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one order with its receipt and tickets.
    Show {
        number: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum TicketCommand {
    /// Is this ticket valid? Exit 0 if it is; 1 with the reason if not.
    Check {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Write exactly what the printer path produces for a ticket: png, fingerprint or zpl.
    Render {
        code: String,
        #[arg(long)]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

/// Refund an order (managers): all of it, chosen tickets, or an amount.
#[derive(clap::Args)]
pub struct RefundArgs {
    #[arg(long)]
    pub order: i64,
    /// CODE[,CODE…]: refund these tickets (they are revoked).
    #[arg(long, conflicts_with = "amount")]
    pub tickets: Option<String>,
    /// Refund this much money; the tickets stay valid.
    #[arg(long)]
    pub amount: Option<String>,
    /// cancelled, customer_request, duplicate, wrong_price, or any other text.
    #[arg(long)]
    pub reason: String,
    /// A manager approving a cashier's refund in place.
    #[arg(long, requires = "manager_pin")]
    pub manager: Option<String>,
    #[arg(long, requires = "manager")]
    pub manager_pin: Option<String>,
    #[command(flatten)]
    pub auth: Auth,
    #[arg(long)]
    pub json: bool,
}

pub fn order(services: &mut Services, command: OrderCommand) -> CliResult {
    match command {
        OrderCommand::Show { number, json } => show(services, OrderNumber(number), json),
        OrderCommand::Search { query, limit, json } => search(services, &query, limit, json),
    }
}

pub fn show(services: &mut Services, number: OrderNumber, json: bool) -> CliResult {
    let receipt = services.receipt(number, Lang::Fi)?;
    let refunds = services.refunds_of(number)?;
    let why = |code: &str| {
        refunds
            .iter()
            .find(|r| r.tickets.iter().any(|t| t == code))
            .map(|r| {
                format!(
                    "refunded (receipt {}, {})",
                    r.receipt_number.unwrap_or_default(),
                    reason_of(r)
                )
            })
    };
    if json {
        let value = serde_json::json!({
            "order_number": receipt.order_number,
            "receipt_number": receipt.receipt_number,
            "register_id": receipt.register_id,
            "created_at": receipt.created_at,
            "cashier": receipt.cashier,
            "event": receipt.event_name,
            "total_cents": receipt.total.cents(),
            "tendered_cents": receipt.tendered.map(Money::cents),
            "change_cents": receipt.change.map(Money::cents),
            "lines": receipt.lines.iter().map(|l| serde_json::json!({
                "category": l.name,
                "quantity": l.quantity,
                "unit_price_cents": l.unit_price.cents(),
                "gross_cents": l.gross.cents(),
                "vat_basis_points": l.vat_rate.0,
            })).collect::<Vec<_>>(),
            "vat": receipt.vat.iter().map(|v| serde_json::json!({
                "vat_basis_points": v.rate.0,
                "net_cents": v.net.cents(),
                "vat_cents": v.vat.cents(),
                "gross_cents": v.gross.cents(),
            })).collect::<Vec<_>>(),
            "tickets": receipt.tickets.iter().map(|t| serde_json::json!({
                "code": t.code,
                "category": t.category_name,
                "price_cents": t.price.cents(),
                "state": t.state,
                "revoked_because": why(&t.code),
            })).collect::<Vec<_>>(),
            "refunds": refunds,
            "refunded_cents": refunds.iter().map(|r| r.amount_cents).sum::<i64>(),
        });
        say!("{value}");
    } else {
        say_raw!("{}", receipt.to_text(Lang::Fi));
        for refund in &refunds {
            say!(
                "refund receipt {}: {} in {} on {} by {} ({})",
                refund.receipt_number.unwrap_or_default(),
                Money::from_cents(-refund.amount_cents),
                refund.tender,
                refund.created_at,
                refund.authorised_by,
                reason_of(refund)
            );
        }
        for ticket in &receipt.tickets {
            if let Some(why) = why(&ticket.code) {
                say!("ticket {} no longer valid: {why}", ticket.code);
            }
        }
    }
    Ok(())
}

pub fn search(services: &mut Services, query: &str, limit: usize, json: bool) -> CliResult {
    let hits = services.search_orders(query, limit)?;
    if json {
        json_pretty(&hits)?;
    } else if hits.is_empty() {
        say!("no orders found for '{query}'");
    } else {
        for hit in hits {
            say!(
                "{:>6}  receipt {:>6}  {}  {:<24} {:<28} {:>10}  {}/{} valid",
                hit.order_number,
                hit.receipt_number
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                &hit.created_at[..16.min(hit.created_at.len())],
                hit.customer_name.unwrap_or_default(),
                hit.event,
                Money::from_cents(hit.total_cents - hit.refunded_cents).to_string(),
                hit.valid_tickets,
                hit.tickets
            );
        }
    }
    Ok(())
}

pub fn ticket(services: &mut Services, command: TicketCommand) -> CliResult {
    match command {
        TicketCommand::Check { code, json } => check(services, &code, json),
        TicketCommand::Render { code, format, out } => {
            super::print::render_command(services, &code, &format, &out)
        }
    }
}

pub fn check(services: &mut Services, code: &str, json: bool) -> CliResult {
    let status = services.check_ticket(code)?;
    if json {
        json_line(&status)?;
    } else {
        say!("{} {}: {}", status.code, status.state, status.reason);
    }
    if status.state != "valid" {
        return Err(format!("ticket {} is not valid: {}", status.code, status.reason).into());
    }
    Ok(())
}

pub fn refund(services: &mut Services, args: RefundArgs) -> CliResult {
    let RefundArgs {
        order,
        tickets,
        amount,
        reason,
        manager,
        manager_pin,
        auth,
        json,
    } = args;
    use boxoffice::app::RefundRequest;
    let request = match (tickets, amount) {
        (Some(codes), _) => RefundRequest::Tickets(
            codes
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        (None, Some(amount)) => RefundRequest::Amount(Money::parse(&amount)?),
        (None, None) => RefundRequest::WholeOrder,
    };
    let session = auth.session(services)?;
    let authoriser = match (manager, manager_pin) {
        (Some(name), Some(pin)) => Some(services.login(&name, &pin)?),
        _ => None,
    };
    let mut display = |text: &str| eprintln!("terminal: {text}");
    let mut progress = boxoffice::app::CardProgress {
        display: &mut display,
        abort: Default::default(),
    };
    let outcome = services.refund_by_tender(
        &session,
        authoriser.as_ref(),
        OrderNumber(order),
        &request,
        &reason,
        &mut progress,
    )?;
    if json {
        json_line(&outcome)?;
    } else {
        say!(
            "refund receipt {} for order {} (original receipt {}): {} back in {}; {} ticket(s) revoked",
            outcome.receipt_number,
            outcome.order_number,
            outcome
                .original_receipt_number
                .map(|n| n.to_string())
                .unwrap_or_default(),
            Money::ZERO - outcome.amount_cents,
            outcome.tender,
            outcome.revoked_tickets.len()
        );
    }
    if outcome.tender == boxoffice::domain::Tender::Bank {
        eprintln!(
            "boxoffice: {}",
            boxoffice::i18n::bank_refund_instruction(
                Lang::En,
                outcome.amount_cents,
                outcome.bank_reference.as_deref().unwrap_or("-")
            )
        );
    }
    Ok(())
}

pub fn reason_of(refund: &boxoffice::ledger::RefundRow) -> String {
    if refund.reason_text.is_empty() {
        refund.reason_code.clone()
    } else {
        format!("{}: {}", refund.reason_code, refund.reason_text)
    }
}
