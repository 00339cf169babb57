//! `sell`: cash, card, split and bank payments at the counter.

use boxoffice::domain::ids::PerformanceId;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use boxoffice::app::bank::CounterProgress;
use boxoffice::app::seats::SeatChoice;
use boxoffice::app::{BankWait, CardProgress, Payment, SaleEnd, SaleRequest, Services, Split};
use boxoffice::domain::Money;
use boxoffice::i18n::Lang;
use boxoffice::payments::reference::ReferenceNumber;

use super::error::{CliError, CliResult};
use super::output::{say, say_raw};
use super::seats::parse_seats;

/// Sell tickets.
#[derive(clap::Args)]
pub struct SellArgs {
    #[command(flatten)]
    pub auth: super::auth::Auth,
    #[arg(long)]
    pub performance: i64,
    /// CODE=N[,CODE=N…], e.g. adult=2,child=1
    #[arg(long)]
    pub tickets: String,
    /// How the customer pays: cash, card, cash:AMOUNT,card or card:AMOUNT,cash, or bank
    /// (Verkkomaksu in the customer's browser at the counter).
    #[arg(long)]
    pub pay: String,
    /// With --pay card: the card terminal (when more than one is set up).
    #[arg(long)]
    pub terminal: Option<String>,
    /// With --pay bank: do not open a browser (print the page's address only).
    #[arg(long)]
    pub no_browser: bool,
    /// With --pay bank: seconds to wait for the customer's browser before asking the bank.
    #[arg(long, default_value_t = 600)]
    pub wait: u64,
    /// Cash handed over: 50, 50,00 or 50.00
    #[arg(long)]
    pub tendered: Option<String>,
    /// The customer's name (to find the order later).
    #[arg(long)]
    pub name: Option<String>,
    /// The customer's e-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Seated performance: these seats, SECTION:ROW:SEAT[,…], one per ticket in order.
    #[arg(long, conflicts_with = "best")]
    pub seats: Option<String>,
    /// Seated performance: best available for N tickets (the default when no seats are given).
    #[arg(long)]
    pub best: Option<usize>,
    /// With --best: how many of the seats must be wheelchair places.
    #[arg(long, default_value_t = 0, requires = "best")]
    pub wheelchair: usize,
    /// With --best: take the best split when no block of adjacent seats is left.
    #[arg(long, requires = "best")]
    pub accept_split: bool,
    #[arg(long)]
    pub json: bool,
}

/// How `--pay` says the customer pays.
enum PayKind {
    Cash,
    Card(Split),
    Bank,
}

pub fn sell(services: &mut Services, args: SellArgs) -> CliResult {
    let SellArgs {
        auth,
        performance,
        tickets,
        pay,
        terminal,
        tendered,
        name,
        email,
        json,
        no_browser,
        wait,
        seats,
        best,
        wheelchair,
        accept_split,
    } = args;
    let items = parse_tickets(&tickets)?;
    let seats = match (seats, best) {
        (Some(list), _) => SeatChoice::Seats(parse_seats(&list)?),
        (None, Some(count)) => SeatChoice::Best {
            count,
            wheelchair,
            accept_split,
        },
        (None, None) => SeatChoice::Auto,
    };
    let kind = pay_kind(&pay, &seats)?;
    let tendered_given = tendered.is_some();
    let tendered = tendered_amount(&kind, tendered)?;
    let session = auth.session(services)?;
    let mut request = SaleRequest {
        performance_id: PerformanceId(performance),
        items,
        tendered,
        customer_name: name,
        mail_tickets: email.as_deref().is_some_and(|e| !e.trim().is_empty()),
        customer_email: email,
        seats,
        cart_token: None,
    };
    let never = AtomicBool::new(false);
    let mut display = |text: &str| eprintln!("terminal: {text}");
    let mut bank_progress = bank_progress();
    let payment = match kind {
        PayKind::Cash => Payment::Cash,
        PayKind::Card(split) => {
            if !tendered_given {
                request.tendered = super::card::exact_cash(services, &request, split)?;
            }
            Payment::Card {
                split,
                terminal: terminal.as_deref(),
                progress: CardProgress {
                    display: &mut display,
                    abort: Arc::new(AtomicBool::new(false)),
                },
            }
        }
        PayKind::Bank => Payment::Bank(BankWait {
            open_browser: !no_browser,
            wait: Duration::from_secs(wait),
            cancel: &never,
            progress: &mut bank_progress,
        }),
    };
    let end = services.sell_with(&session, &request, payment)?;
    sale_end(&end, session.lang, json)
}

/// `--tendered` as an amount: none for a bank payment, the exact amount (zero here) for a card
/// payment without it; cash needs it.
fn tendered_amount(kind: &PayKind, tendered: Option<String>) -> Result<Money, CliError> {
    let tendered = match (kind, tendered) {
        (PayKind::Bank, _) => Money::ZERO,
        (_, Some(tendered)) => Money::parse(&tendered)?,
        (PayKind::Card(_), None) => Money::ZERO,
        (PayKind::Cash, None) => {
            return Err("paying cash needs --tendered AMOUNT (the cash handed over)".into());
        }
    };
    if tendered.is_negative() {
        return Err("the amount tendered cannot be negative".into());
    }
    Ok(tendered)
}

/// What the sale's end prints (the receipt, the mail queued) or the sentence it fails with.
fn sale_end(end: &SaleEnd, lang: Lang, json: bool) -> CliResult {
    match end {
        SaleEnd::Sold(outcome) => {
            print_sale(outcome, lang, json)?;
            // Queued in the sale's own transaction.
            if let Some(mail) = &outcome.mail
                && !json
            {
                say!("tickets queued for mail to {} (outbox {})", mail.to, mail.id);
            }
            Ok(())
        }
        SaleEnd::NotPaid(why) => Err(format!("not paid ({why}); nothing was sold").into()),
        SaleEnd::Unsettled { reference, why } => Err(format!(
            "the bank could not say whether reference {} is paid ({why}); the tickets stay held until `boxoffice reservation check {reference}` settles it",
            grouped(reference)
        )
        .into()),
    }
}

/// `--pay`: cash, card (with a split) or bank; a bank payment takes no seats (they are chosen
/// when it is paid).
fn pay_kind(pay: &str, seats: &SeatChoice) -> Result<PayKind, CliError> {
    if pay.trim() == "bank" {
        if *seats != SeatChoice::Auto {
            return Err(
                "seats for a bank payment are chosen when it is paid: leave out --seats and --best"
                    .into(),
            );
        }
        return Ok(PayKind::Bank);
    }
    match super::card::parse_split(pay)? {
        Some(split) => Ok(PayKind::Card(split)),
        None if pay.trim() == "cash" => Ok(PayKind::Cash),
        None => Err(format!(
            "payment method '{pay}' is not available here: use --pay cash, card, cash:AMOUNT,card or bank"
        )
        .into()),
    }
}

/// A reference number in groups of five, as the customer reads it.
fn grouped(reference: &str) -> String {
    ReferenceNumber::parse(reference)
        .map(|r| r.grouped())
        .unwrap_or_else(|_| reference.to_string())
}

/// What a bank payment at the counter says while it waits: the page for the customer's
/// browser, a browser that would not open, refused replies.
fn bank_progress() -> impl FnMut(CounterProgress) {
    let mut page = String::new();
    move |progress| match progress {
        CounterProgress::Open {
            url,
            reference,
            amount,
        } => {
            eprintln!(
                "boxoffice: bank page for the customer: {url} (reference {}, {amount})",
                grouped(&reference)
            );
            page = url;
        }
        CounterProgress::NoBrowser(error) => {
            eprintln!("boxoffice: could not open a browser ({error}); open {page} by hand")
        }
        CounterProgress::Rejected(why) => eprintln!("boxoffice: {why}"),
    }
}

/// `--tickets CATEGORY=NUMBER[,CATEGORY=NUMBER…]`; an empty entry (`adult=1,,`), a missing
/// category or a number that is not a positive count is refused with a sentence naming it.
pub fn parse_tickets(text: &str) -> Result<Vec<(String, u32)>, CliError> {
    let mut items = Vec::new();
    if text.trim().is_empty() {
        return Err("--tickets: no tickets asked for: use CATEGORY=NUMBER, e.g. adult=2".into());
    }
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(format!(
                "--tickets: '{text}' has an empty entry: use CATEGORY=NUMBER[,CATEGORY=NUMBER], e.g. adult=2,child=1"
            )
            .into());
        }
        let (code, count) = part
            .split_once('=')
            .filter(|(code, _)| !code.trim().is_empty())
            .ok_or_else(|| {
                format!("--tickets: '{part}' should be CATEGORY=NUMBER, e.g. adult=2")
            })?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("--tickets: '{count}' in '{part}' is not a number of tickets"))?;
        if count == 0 {
            return Err(
                format!("--tickets: '{part}': the number of tickets must be at least 1").into(),
            );
        }
        items.push((code.trim().to_string(), count));
    }
    Ok(items)
}

pub fn print_sale(outcome: &boxoffice::app::SaleOutcome, lang: Lang, json: bool) -> CliResult {
    let receipt = &outcome.receipt;
    if json {
        let value = serde_json::json!({
            "order_number": receipt.order_number,
            "receipt_number": receipt.receipt_number,
            "total_cents": receipt.total.cents(),
            "tendered_cents": receipt.tendered.map(Money::cents),
            "change_cents": receipt.change.map(Money::cents).unwrap_or(0),
            "rounding_cents": receipt.rounding.cents(),
            "tickets": receipt.tickets.iter().map(|t| serde_json::json!({
                "code": t.code,
                "category": t.category_name,
                "price_cents": t.price.cents(),
                "seat": t.seat.as_ref().map(|s| serde_json::json!({
                    "section": s.section, "row": s.row, "seat": s.seat,
                })),
            })).collect::<Vec<_>>(),
            "card": receipt.card.iter().map(|c| serde_json::json!({
                "amount_cents": c.amount.cents(),
                "brand": c.brand,
                "masked_pan": c.masked_pan,
                "approval_code": c.approval_code,
            })).collect::<Vec<_>>(),
            "printed": outcome.printed.as_ref().ok(),
            "print_error": outcome.printed.as_ref().err(),
        });
        let mut value = value;
        // Only when the register prints receipts by itself (setting `always`).
        match &outcome.receipt_printed {
            Some(Ok(place)) => value["receipt_printed"] = place.clone().into(),
            Some(Err(error)) => value["receipt_print_error"] = error.clone().into(),
            None => {}
        }
        say!("{value}");
    } else {
        say_raw!("{}", receipt.to_text(lang));
    }
    if let Err(error) = &outcome.printed {
        eprintln!("boxoffice: the sale is recorded, but the tickets were not printed: {error}");
    }
    Ok(())
}
