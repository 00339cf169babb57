//! The device and settings screens' side of the services (card terminals, the Nets
//! Connect@Cloud account, reconciliation, the SMS gateway, the bank's probe, the receipt
//! settings, seat plans and manager seat holds, mailing a receipt): one request type, one
//! answer type, both plain view models, so the GUI needs no ledger type. Every request is
//! checked by the service it calls (roles are the application layer's).

use crate::domain::ids::{OrderNumber, PerformanceId};
use std::path::PathBuf;

use super::error::error_text;
use super::{AppError, Services, Session, SmsGatewayRequest};
use crate::domain::Currency;
use crate::domain::seating::SeatRef;
use crate::i18n::Lang;

/// What a settings screen asks for.
#[derive(Debug, Clone)]
pub enum DeviceRequest {
    /// Everything the screens show (`DeviceEvent::Loaded`).
    Load,
    /// A terminal: `nets_cloud` false = an agent on `address` (HOST:PORT), true = a Nets
    /// Connect@Cloud terminal id.
    AddTerminal {
        name: String,
        nets_cloud: bool,
        address: String,
    },
    SetNetsAccount {
        url: String,
        url_alt: Option<String>,
        username: String,
        password: String,
    },
    /// Whether the terminal answers (`DeviceEvent::TerminalTested`).
    TestTerminal(String),
    /// Day end on a terminal (`DeviceEvent::Reconciled`).
    Reconcile(String),
    SetSmsGateway(SmsGatewayRequest),
    /// A test message through the gateway to `phone`.
    TestSms(String),
    /// The bank's live probe (`DeviceEvent::BankTested`).
    TestBank,
    SetReceipt(ReceiptSettingsView),
    /// Import a seat plan CSV file as `venue`'s newest plan.
    ImportSeatPlan {
        venue: String,
        path: PathBuf,
    },
    AssignSeatPlan {
        performance_id: PerformanceId,
        venue: String,
    },
    /// A performance's seats for the holds map (`DeviceEvent::Seating`).
    LoadSeating(PerformanceId),
    HoldSeats {
        performance_id: PerformanceId,
        seats: Vec<SeatRef>,
        reason: String,
        release_before_minutes: i64,
    },
    ReleaseSeats {
        performance_id: PerformanceId,
        seats: Vec<SeatRef>,
    },
    /// A sale's receipt alone, to `to`.
    MailReceipt {
        order_number: OrderNumber,
        to: String,
    },
}

/// A terminal as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalView {
    pub name: String,
    pub nets_cloud: bool,
    /// HOST:PORT of the agent, or the Nets terminal id.
    pub address: String,
}

/// The receipt settings (`receipt_print` is `always`, `ask` or `never`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiptSettingsView {
    pub seller_name: String,
    pub business_id: String,
    pub seller_address: String,
    pub vat_number: String,
    pub receipt_print: String,
    /// Where receipts print (empty: no receipt printer); read-only here, set with the CLI.
    pub receipt_printer: String,
}

/// The SMS gateway as saved (the password stays in the secret store).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmsGatewayView {
    pub url_template: String,
    pub post: bool,
    pub body_template: String,
    pub username: String,
    pub link_template: String,
}

/// What the screens show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DevicesView {
    pub terminals: Vec<TerminalView>,
    /// (URL, alternative URL, user name) of the Nets account, when one is set.
    pub nets_account: Option<(String, Option<String>, String)>,
    pub sms_gateway: Option<SmsGatewayView>,
    pub receipt: ReceiptSettingsView,
    pub currency: Currency,
    /// Venues with a plan.
    pub venues: Vec<String>,
}

/// The result of a test or an action, in the user's language, for the "last result" line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    pub text: String,
}

/// What the service thread answers.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceEvent {
    Loaded(Box<DevicesView>),
    TerminalTested {
        name: String,
        outcome: Outcome,
    },
    Reconciled {
        name: String,
        outcome: Outcome,
    },
    SmsTested(Outcome),
    BankTested(Outcome),
    /// A setting was saved or an action done (the screen reloads).
    Saved(Outcome),
    /// Seats were held or released: the performance's map changed.
    SeatsChanged {
        performance_id: PerformanceId,
        outcome: Outcome,
    },
    ReceiptMailed(Outcome),
    /// A performance's seats (`None`: free seating).
    Seating(Option<Box<super::seats::SeatingView>>),
    Failed(String),
}

fn say(lang: Lang, texts: [&str; 3]) -> String {
    texts[lang as usize].to_string()
}

fn money(cents: i64) -> String {
    crate::domain::Money::from_cents(cents).to_string()
}

/// Runs one request (on a background thread: tests and reconciliations talk to devices).
pub fn run(services: &mut Services, session: &Session, request: DeviceRequest) -> DeviceEvent {
    type Area =
        fn(&mut Services, &Session, DeviceRequest) -> Result<DeviceEvent, Box<DeviceRequest>>;
    let mut request = request;
    for area in [terminals as Area, seats, messages] {
        request = match area(services, session, request) {
            Ok(event) => return event,
            Err(request) => *request,
        };
    }
    // Every request belongs to an area; never its fields in a log (a password may be one).
    drop(request);
    failed(
        session.lang,
        AppError::Admin(crate::app::AdminError::Internal(
            "a device request no area handles".into(),
        )),
    )
}

fn failed(lang: Lang, error: AppError) -> DeviceEvent {
    DeviceEvent::Failed(error_text(lang, &error))
}

/// Seats held or released: what was done and to how many.
fn seats_changed(performance_id: PerformanceId, done: String, seats: usize) -> DeviceEvent {
    DeviceEvent::SeatsChanged {
        performance_id,
        outcome: Outcome {
            ok: true,
            text: format!("{done}: {seats}"),
        },
    }
}

fn saved(lang: Lang, texts: [&str; 3]) -> DeviceEvent {
    DeviceEvent::Saved(Outcome {
        ok: true,
        text: say(lang, texts),
    })
}

/// Card terminals, the Nets account and the bank. Any other request is given back.
fn terminals(
    services: &mut Services,
    session: &Session,
    request: DeviceRequest,
) -> Result<DeviceEvent, Box<DeviceRequest>> {
    let lang = session.lang;
    Ok(match request {
        DeviceRequest::Load => match load(services) {
            Ok(view) => DeviceEvent::Loaded(Box::new(view)),
            Err(error) => failed(lang, error),
        },
        DeviceRequest::AddTerminal {
            name,
            nets_cloud,
            address,
        } => {
            let kind = if nets_cloud { "nets_cloud" } else { "agent" };
            match services.add_terminal(session, &name, kind, &address) {
                Ok(_) => saved(
                    lang,
                    [
                        "Maksupääte lisätty.",
                        "Betalterminalen har lagts till.",
                        "Terminal added.",
                    ],
                ),
                Err(error) => failed(lang, error),
            }
        }
        DeviceRequest::SetNetsAccount {
            url,
            url_alt,
            username,
            password,
        } => {
            match services.set_nets_account(session, &url, url_alt.as_deref(), &username, &password)
            {
                Ok(()) => saved(
                    lang,
                    [
                        "Nets-tili tallennettu.",
                        "Nets-kontot har sparats.",
                        "Nets account saved.",
                    ],
                ),
                Err(error) => failed(lang, error),
            }
        }
        DeviceRequest::TestTerminal(name) => {
            let outcome = test_terminal(services, lang, &name);
            DeviceEvent::TerminalTested { name, outcome }
        }
        DeviceRequest::Reconcile(name) => {
            let outcome = reconcile(services, session, &name);
            DeviceEvent::Reconciled { name, outcome }
        }
        DeviceRequest::TestBank => DeviceEvent::BankTested(test_bank(services, lang)),
        other => return Err(Box::new(other)),
    })
}

/// Seat plans and manager holds. Any other request is given back.
fn seats(
    services: &mut Services,
    session: &Session,
    request: DeviceRequest,
) -> Result<DeviceEvent, Box<DeviceRequest>> {
    let lang = session.lang;
    Ok(match request {
        DeviceRequest::ImportSeatPlan { venue, path } => {
            import_seat_plan(services, session, &venue, &path)
        }
        DeviceRequest::AssignSeatPlan {
            performance_id,
            venue,
        } => match services.assign_seat_plan(session, performance_id, &venue) {
            Ok(seats) => DeviceEvent::Saved(Outcome {
                ok: true,
                text: format!(
                    "{}: {seats} {}",
                    say(
                        lang,
                        [
                            "Esitykselle annettu paikkakartta",
                            "Föreställningen fick platskartan",
                            "The performance has the plan"
                        ]
                    ),
                    say(lang, ["paikkaa", "platser", "seats"]),
                ),
            }),
            Err(error) => failed(lang, error),
        },
        DeviceRequest::LoadSeating(performance_id) => match services.seating(performance_id) {
            Ok(view) => DeviceEvent::Seating(view.map(Box::new)),
            Err(error) => failed(lang, error),
        },
        DeviceRequest::HoldSeats {
            performance_id,
            seats,
            reason,
            release_before_minutes,
        } => match services.hold_seats(
            session,
            performance_id,
            &seats,
            &reason,
            release_before_minutes,
        ) {
            Ok(_) => seats_changed(
                performance_id,
                say(lang, ["Varattu", "Reserverade", "Held"]),
                seats.len(),
            ),
            Err(error) => failed(lang, error),
        },
        DeviceRequest::ReleaseSeats {
            performance_id,
            seats,
        } => match services.release_seats(session, performance_id, &seats) {
            Ok(()) => seats_changed(
                performance_id,
                say(lang, ["Vapautettu", "Frigjorda", "Released"]),
                seats.len(),
            ),
            Err(error) => failed(lang, error),
        },
        other => return Err(Box::new(other)),
    })
}

/// The SMS gateway, the receipt settings and mailed receipts. Any other request is given back.
fn messages(
    services: &mut Services,
    session: &Session,
    request: DeviceRequest,
) -> Result<DeviceEvent, Box<DeviceRequest>> {
    let lang = session.lang;
    Ok(match request {
        DeviceRequest::SetSmsGateway(request) => {
            match services.set_sms_gateway(session, &request) {
                Ok(()) => saved(
                    lang,
                    [
                        "Tekstiviestipalvelu tallennettu.",
                        "SMS-tjänsten har sparats.",
                        "SMS gateway saved.",
                    ],
                ),
                Err(error) => failed(lang, error),
            }
        }
        DeviceRequest::TestSms(phone) => {
            DeviceEvent::SmsTested(test_sms(services, session, &phone))
        }
        DeviceRequest::SetReceipt(view) => {
            let update = super::receipts::SellerUpdate {
                seller_name: Some(view.seller_name),
                business_id: Some(view.business_id),
                seller_address: Some(view.seller_address),
                vat_number: Some(view.vat_number),
                receipt_print: Some(view.receipt_print),
                ..Default::default()
            };
            match services.set_seller(session, &update) {
                Ok(_) => saved(
                    lang,
                    [
                        "Kuittiasetukset tallennettu.",
                        "Kvittoinställningarna har sparats.",
                        "Receipt settings saved.",
                    ],
                ),
                Err(error) => failed(lang, error),
            }
        }
        DeviceRequest::MailReceipt { order_number, to } => {
            mail_receipt(services, session, order_number, &to)
        }
        other => return Err(Box::new(other)),
    })
}

fn load(services: &mut Services) -> Result<DevicesView, AppError> {
    let terminals = services
        .terminals()?
        .into_iter()
        .map(|t| TerminalView {
            nets_cloud: t.kind == "nets_cloud",
            name: t.name,
            address: t.address,
        })
        .collect();
    let (nets, sms, seller, venues) = services.ledger_mut().read(|tx| {
        Ok::<_, AppError>((
            tx.nets_account()?,
            tx.sms_gateway()?,
            tx.seller_settings()?,
            tx.venues_with_plans()?,
        ))
    })?;
    Ok(DevicesView {
        terminals,
        nets_account: nets.map(|n| (n.base_url, n.base_url_alt, n.username)),
        sms_gateway: sms.map(|s| SmsGatewayView {
            url_template: s.url_template,
            post: s.method.eq_ignore_ascii_case("post"),
            body_template: s.body_template.unwrap_or_default(),
            username: s.username.unwrap_or_default(),
            link_template: s.link_template,
        }),
        currency: Currency::parse(&seller.currency).unwrap_or_default(),
        receipt: ReceiptSettingsView {
            seller_name: seller.seller_name,
            business_id: seller.business_id,
            seller_address: seller.seller_address,
            vat_number: seller.vat_number,
            receipt_print: seller.receipt_print,
            receipt_printer: seller.receipt_printer,
        },
        venues,
    })
}

/// Asks a terminal whether it answers (and whether unresolved payments block it).
fn test_terminal(services: &mut Services, lang: Lang, name: &str) -> Outcome {
    match services.terminal_status(name) {
        Ok(status) if status.link == "ok" && status.unresolved.is_empty() => Outcome {
            ok: true,
            text: say(lang, ["Vastaa.", "Svarar.", "Answers."]),
        },
        Ok(status) if status.link == "ok" => Outcome {
            ok: false,
            text: format!(
                "{} {}",
                say(
                    lang,
                    [
                        "Vastaa, mutta selvittämättömät maksut estävät sen:",
                        "Svarar, men oklara betalningar blockerar den:",
                        "Answers, but unresolved payments block it:",
                    ]
                ),
                status.unresolved.len()
            ),
        },
        Ok(status) => Outcome {
            ok: false,
            text: format!(
                "{} {}",
                say(lang, ["Ei vastaa:", "Svarar inte:", "Does not answer:"]),
                status.link
            ),
        },
        Err(error) => Outcome {
            ok: false,
            text: error_text(lang, &error),
        },
    }
}

/// A terminal's totals against the ledger's.
fn reconcile(services: &mut Services, session: &Session, name: &str) -> Outcome {
    let lang = session.lang;
    match services.reconcile_terminal(session, name) {
        Ok(row) => Outcome {
            ok: row.difference_cents == 0,
            text: format!(
                "{} {} / {} {}, {} {} ({} {})",
                say(lang, ["Pääte", "Terminalen", "Terminal"]),
                money(row.terminal_debit_cents - row.terminal_credit_cents),
                say(lang, ["kirjanpito", "bokföringen", "ledger"]),
                money(row.ledger_debit_cents - row.ledger_credit_cents),
                say(lang, ["erotus", "differens", "difference"]),
                money(row.difference_cents),
                row.terminal_debit_count + row.terminal_credit_count,
                say(lang, ["maksua", "betalningar", "payments"]),
            ),
        },
        Err(error) => Outcome {
            ok: false,
            text: error_text(lang, &error),
        },
    }
}

/// The bank endpoints' statuses, asked now.
fn test_bank(services: &mut Services, lang: Lang) -> Outcome {
    match services.integration_statuses(true) {
        Ok(statuses) => {
            let bank: Vec<_> = statuses
                .iter()
                .filter(|s| s.name.starts_with("bank"))
                .collect();
            Outcome {
                ok: !bank.is_empty() && bank.iter().all(|s| s.ok),
                text: if bank.is_empty() {
                    say(
                        lang,
                        [
                            "Pankkia ei ole asetettu.",
                            "Banken är inte inställd.",
                            "No bank is set up.",
                        ],
                    )
                } else {
                    bank.iter()
                        .map(|s| s.detail.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            }
        }
        Err(error) => Outcome {
            ok: false,
            text: error_text(lang, &error),
        },
    }
}

/// Reads a seat-plan CSV file and imports it for `venue`.
fn import_seat_plan(
    services: &mut Services,
    session: &Session,
    venue: &str,
    path: &std::path::Path,
) -> DeviceEvent {
    let lang = session.lang;
    let csv = match std::fs::read_to_string(path) {
        Ok(csv) => csv,
        Err(error) => {
            return DeviceEvent::Failed(format!(
                "{} {}: {error}",
                say(
                    lang,
                    [
                        "Tiedostoa ei voi lukea",
                        "Filen kan inte läsas",
                        "Cannot read the file"
                    ]
                ),
                path.display()
            ));
        }
    };
    match services.import_seat_plan(session, venue, &csv) {
        Ok(imported) => DeviceEvent::Saved(Outcome {
            ok: true,
            text: format!(
                "{} {} ({}): {} {}",
                say(lang, ["Paikkakartta", "Platskartan", "Seat plan"]),
                imported.venue,
                imported.version,
                imported.seats,
                say(lang, ["paikkaa", "platser", "seats"]),
            ),
        }),
        Err(error) => failed(lang, error),
    }
}

/// Sends a test SMS through the gateway.
fn test_sms(services: &mut Services, session: &Session, phone: &str) -> Outcome {
    let lang = session.lang;
    match services.send_test_sms(
        session,
        phone,
        &say(
            lang,
            [
                "Box office: testiviesti",
                "Box office: testmeddelande",
                "Box office: test message",
            ],
        ),
    ) {
        Ok(reply) => Outcome {
            ok: true,
            text: reply,
        },
        Err(error) => Outcome {
            ok: false,
            text: error_text(lang, &error),
        },
    }
}

/// Mails an order's receipt to `to`.
fn mail_receipt(
    services: &mut Services,
    session: &Session,
    order_number: crate::domain::ids::OrderNumber,
    to: &str,
) -> DeviceEvent {
    let lang = session.lang;
    DeviceEvent::ReceiptMailed(match services.mail_receipt(session, order_number, to) {
        Ok(outcome) => Outcome {
            ok: outcome.delivered,
            text: if outcome.delivered {
                format!(
                    "{} {to}",
                    say(
                        lang,
                        ["Kuitti lähetetty:", "Kvittot skickat:", "Receipt sent:"]
                    )
                )
            } else {
                format!("{} ({})", outcome.meaning, outcome.reply)
            },
        },
        Err(error) => Outcome {
            ok: false,
            text: error_text(lang, &error),
        },
    })
}
