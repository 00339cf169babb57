//! `sell`: cash, card, split and bank payments at the counter.

use boxoffice::app::{SaleRequest, Services};
use boxoffice::domain::Money;
use boxoffice::i18n::Lang;

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
    use boxoffice::app::seats::SeatChoice;
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
    if pay.trim() == "bank" && seats != SeatChoice::Auto {
        return Err(
            "seats for a bank payment are chosen when it is paid: leave out --seats and --best"
                .into(),
        );
    }
    if pay.trim() == "bank" {
        let session = auth.session(services)?;
        let request = SaleRequest {
            performance_id: performance,
            items,
            tendered: Money::ZERO,
            customer_name: name,
            customer_email: email,
            ..SaleRequest::default()
        };
        return sell_by_bank(services, &session, &request, no_browser, wait, json);
    }
    let split = super::card::parse_split(&pay)?;
    if split.is_none() && pay.trim() != "cash" {
        return Err(format!(
                "payment method '{pay}' is not available here: use --pay cash, card, cash:AMOUNT,card or bank"
            ).into());
    }
    let tendered_given = tendered.is_some();
    let tendered = match tendered {
        Some(tendered) => Money::parse(&tendered)?,
        None if split.is_some() => Money::ZERO,
        None => {
            return Err("paying cash needs --tendered AMOUNT (the cash handed over)".into());
        }
    };
    if tendered.is_negative() {
        return Err("the amount tendered cannot be negative".into());
    }
    let session = auth.session(services)?;
    let lang = session.lang;
    let email_for_mail = email.clone();
    let mut request = SaleRequest {
        performance_id: performance,
        items,
        tendered,
        customer_name: name,
        mail_tickets: email.as_deref().is_some_and(|e| !e.trim().is_empty()),
        customer_email: email,
        seats,
        cart_token: None,
    };
    let outcome = match split {
        Some(split) => super::card::sell(
            services,
            &session,
            &mut request,
            split,
            tendered_given,
            terminal.as_deref(),
        )?,
        None => services.sell(&session, &request)?,
    };
    print_sale(&outcome, lang, json)?;
    // The tickets were queued for mail in the sale's own transaction.
    if outcome.receipt.order_number > 0
        && !json
        && let Some(email) = email_for_mail.as_deref().filter(|e| !e.trim().is_empty())
    {
        say!("tickets queued for mail to {email}");
    }
    Ok(())
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

/// A bank payment at the counter: hold the tickets, open the bank's page in the customer's
/// browser, and sell when a verified reply comes back (or the payment query says paid).
pub fn sell_by_bank(
    services: &mut Services,
    session: &boxoffice::app::Session,
    request: &SaleRequest,
    no_browser: bool,
    wait: u64,
    json: bool,
) -> CliResult {
    use boxoffice::app::bank::{CounterOutcome, CounterProgress, open_browser};
    use boxoffice::payments::reference::ReferenceNumber;
    let payment = services.start_counter_payment(session, request)?;
    let url = payment.listener.pay_url();
    let reference = ReferenceNumber::parse(&payment.reservation.reference)
        .map(|r| r.grouped())
        .unwrap_or_else(|_| payment.reservation.reference.clone());
    eprintln!(
        "boxoffice: bank page for the customer: {url} (reference {reference}, {})",
        Money::from_cents(payment.reservation.total_cents)
    );
    if !no_browser && let Err(error) = open_browser(&url) {
        eprintln!("boxoffice: could not open a browser ({error}); open {url} by hand");
    }
    let never = std::sync::atomic::AtomicBool::new(false);
    let outcome = services.finish_counter_payment(
        session,
        &payment,
        std::time::Duration::from_secs(wait),
        &never,
        |progress| {
            if let CounterProgress::Rejected(why) = progress {
                eprintln!("boxoffice: {why}");
            }
        },
    )?;
    match outcome {
        CounterOutcome::Paid(order_number) => {
            let outcome = services
                .deliver(session, order_number)?;
            print_sale(&outcome, session.lang, json)?;
            if let Some(email) = request
                .customer_email
                .as_deref()
                .filter(|e| !e.trim().is_empty())
            {
                match services.queue_ticket_mail(session, order_number, Some(email), false) {
                    Ok(mail_id) if !json => {
                        say!("tickets queued for mail to {email} (outbox {mail_id})")
                    }
                    Ok(_) => {}
                    Err(error) => eprintln!(
                        "boxoffice: the sale is recorded, but the tickets were not queued for mail: {error}"
                    ),
                }
            }
            Ok(())
        }
        CounterOutcome::NotPaid(why) => Err(format!("not paid ({why}); nothing was sold").into()),
        CounterOutcome::Unsettled(why) => Err(format!(
            "the bank could not say whether reference {reference} is paid ({why}); the tickets stay held until `boxoffice reservation check {}` settles it",
            payment.reservation.reference
        ).into()),
    }
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
