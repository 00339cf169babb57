//! The commands the service thread answers itself, by area (the long ones run in the
//! background from the worker loop).

use super::*;
use crate::app::views::views;
use crate::domain::ids::PerformanceId;

/// What the service thread does with a command that is not run in the background: the first
/// area that knows the command answers it.
pub(super) fn handle(services: &mut Services, command: Command) -> Event {
    type Area = fn(&mut Services, Command) -> Result<Event, Box<Command>>;
    let mut command = command;
    for area in [
        orders as Area,
        shift,
        admin,
        counter,
        seats,
        mail,
        mail_servers,
        bank,
        printing,
    ] {
        command = match area(services, command) {
            Ok(event) => return event,
            Err(command) => *command,
        };
    }
    // Every command belongs to an area (the background ones are run by the worker loop).
    tracing::error!(?command, "a command no area handles");
    Event::Failed(format!("internal error: {command:?} is not handled here"))
}

/// Orders and refunds: search, one order, a refund. Any other command is given back.
fn orders(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Refund(RefundCommand::SearchOrders { query, lang }) => {
            match services.search_orders(&query, 30) {
                Ok(hits) => Event::Refund(RefundEvent::SearchResults {
                    query,
                    hits: views(hits),
                }),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        Command::Refund(RefundCommand::LoadOrder { order_number, lang }) => {
            match services
                .receipt(order_number, lang)
                .and_then(|r| Ok((r, services.refunds_of(order_number)?)))
            {
                Ok((receipt, refunds)) => Event::Refund(RefundEvent::OrderLoaded {
                    receipt: Box::new(receipt),
                    refunds: views(refunds),
                }),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        Command::Refund(RefundCommand::Refund {
            session,
            manager,
            order_number,
            request,
            reason,
        }) => {
            let lang = session.lang;
            let approver = match approver(services, manager, lang) {
                Ok(approver) => approver,
                Err(event) => return Ok(event),
            };
            let mut display = |_: &str| {};
            let mut progress = crate::app::CardProgress {
                display: &mut display,
                abort: Default::default(),
            };
            match services.refund_by_tender(
                &session,
                approver.as_ref(),
                order_number,
                &request,
                &reason,
                &mut progress,
            ) {
                Ok(outcome) => Event::Refund(RefundEvent::Refunded(Box::new(outcome))),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        other => return Err(Box::new(other)),
    })
}

/// The shift, cash movements and its reports. Any other command is given back.
fn shift(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Shift(ShiftCommand::OpenShift { session, float }) => {
            match services.open_shift(&session, float) {
                Ok(_) => shift_event(services, &session),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Shift(ShiftCommand::XReport { session }) => shift_event(services, &session),
        Command::Shift(ShiftCommand::MoveCash {
            session,
            manager,
            movement,
            amount,
            reason,
        }) => {
            let approver = match approver(services, manager, session.lang) {
                Ok(approver) => approver,
                Err(event) => return Ok(event),
            };
            let moved = match movement {
                Some(movement) => services
                    .move_cash(&session, approver.as_ref(), movement, amount, &reason)
                    .map(|_| ()),
                None => services.open_drawer(&session, approver.as_ref(), &reason),
            };
            match moved {
                Ok(()) => shift_event(services, &session),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Shift(ShiftCommand::PrintReport { report, lang }) => {
            let label = crate::printing::report_label(&report.to_text_with_audit(lang));
            match crate::printing::print_labels(&services.print_file(), &[label]) {
                Ok(place) => Event::Done(place),
                Err(error) => Event::Failed(format!(
                    "{}: {error}",
                    crate::i18n::tr(lang, crate::i18n::Text::PrintFailed)
                )),
            }
        }
        Command::Shift(ShiftCommand::CloseShift {
            session,
            manager,
            count,
            comment,
            end_of_day,
        }) => {
            let approver = match approver(services, manager, session.lang) {
                Ok(approver) => approver,
                Err(event) => return Ok(event),
            };
            match services.close_shift_ending_day(
                &session,
                approver.as_ref(),
                &count,
                &comment,
                end_of_day,
            ) {
                Ok(report) => Event::Shift(ShiftEvent::Report(Some(Box::new(report)))),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        other => return Err(Box::new(other)),
    })
}

/// Users and the back-office reports. Any other command is given back.
fn admin(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Admin(AdminCommand::ListUsers { session }) => users_event(services, &session),
        Command::Admin(AdminCommand::AddUser {
            session,
            name,
            role,
            pin,
        }) => match services.add_user(&session, &name, &role, &pin) {
            Ok(()) => users_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Admin(AdminCommand::SetPin { session, name, pin }) => {
            match services.set_pin(&session, &name, &pin) {
                Ok(()) => users_event(services, &session),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Admin(AdminCommand::DisableUser { session, name }) => {
            match services.disable_user(&session, &name) {
                Ok(()) => users_event(services, &session),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Admin(AdminCommand::Report {
            session,
            kind,
            from,
            to,
        }) => match services.report(&session, &kind, &from, &to) {
            Ok(tables) => Event::Admin(AdminEvent::Report(views(tables))),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Admin(AdminCommand::ExportCsv { name, tables }) => {
            let csv: String = tables
                .into_iter()
                .map(|t| Table::from(t).to_csv())
                .collect();
            let dir = services.data_dir().join("exports");
            let path = dir.join(format!("{name}.csv"));
            match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, csv)) {
                Ok(()) => Event::Done(path.display().to_string()),
                Err(error) => Event::Failed(format!("{}: {error}", path.display())),
            }
        }
        other => return Err(Box::new(other)),
    })
}

/// The counter: login, the catalog, the sale, card attempts, the language. Any other command is given back.
fn counter(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Session(SessionCommand::Login { name, pin, lang }) => {
            match services.login(&name, &pin) {
                Ok(session) => Event::Session(SessionEvent::LoggedIn(session)),
                Err(error) => Event::Session(SessionEvent::LoginFailed(error_text(lang, &error))),
            }
        }
        Command::Session(SessionCommand::LoadCatalog { lang }) => match services.catalog(lang) {
            Ok(catalog) => Event::Session(SessionEvent::Catalog(catalog)),
            Err(error) => Event::Failed(error_text(lang, &error)),
        },
        Command::Sale(SaleCommand::Sell {
            session,
            request,
            pay,
        }) => {
            let never = AtomicBool::new(false);
            let counter = Counter {
                demo_terminal: None,
                bank_cancel: &never,
            };
            // Cash: no terminal texts or bank page come before the end.
            sell(services, &session, &request, pay, &counter, &|_| {})
        }
        Command::Card(CardCommand::LoadPendingCard { lang }) => {
            match services.pending_card_payments() {
                Ok(pending) => Event::Card(CardEvent::PendingCard(views(pending))),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        Command::Card(CardCommand::ResolveCard {
            session,
            attempt,
            decision,
        }) => match services
            .resolve_card_manually(&session, &attempt, &decision)
            .and_then(|_| services.pending_card_payments())
        {
            Ok(pending) => Event::Card(CardEvent::PendingCard(views(pending))),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Session(SessionCommand::SetLanguage { session, lang }) => {
            match services.set_language(&session, lang) {
                Ok(()) => Event::Session(SessionEvent::LoggedIn(Session { lang, ..session })),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        other => return Err(Box::new(other)),
    })
}

/// The seat map: loading it, seats in the cart, best seats. Any other command is given back.
fn seats(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Seats(SeatsCommand::LoadSeating {
            performance_id,
            lang,
        }) => seating_event(services, performance_id, None, lang),
        Command::Seats(SeatsCommand::CartSeats {
            session,
            performance_id,
            token,
            seats,
            release,
        }) => {
            let result = if release {
                services.release_from_cart(&session, performance_id, &token, &seats)
            } else {
                services.hold_for_cart(&session, performance_id, &token, &seats)
            };
            let message = result.err().map(|e| error_text(session.lang, &e));
            seating_event(services, performance_id, message, session.lang)
        }
        Command::Seats(SeatsCommand::BestSeats {
            session,
            performance_id,
            token,
            count,
            wheelchair,
        }) => {
            let request = crate::domain::seating::BestRequest { count, wheelchair };
            match services.best_available(performance_id, request, Some(&token)) {
                Ok((seats, true)) => {
                    let message = services
                        .release_from_cart(&session, performance_id, &token, &[])
                        .and_then(|()| {
                            services.hold_for_cart(&session, performance_id, &token, &seats)
                        })
                        .err()
                        .map(|e| error_text(session.lang, &e));
                    seating_event(services, performance_id, message, session.lang)
                }
                Ok((seats, false)) => Event::Seats(SeatsEvent::SeatSplitOffered(seats)),
                Err(error) => seating_event(
                    services,
                    performance_id,
                    Some(error_text(session.lang, &error)),
                    session.lang,
                ),
            }
        }
        other => return Err(Box::new(other)),
    })
}

/// Mail: failures, queueing, test mails and SMS. Any other command is given back.
fn mail(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Mail(MailCommand::MailStatus { session }) => match services
            .unseen_mail_failures(&session)
            .and_then(|unseen| Ok((unseen, services.mail_waiting()?)))
        {
            Ok((unseen, (waiting, trouble))) => Event::Mail(MailEvent::MailStatus {
                unseen,
                waiting,
                trouble,
            }),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Mail(MailCommand::OpenMailFailures { session }) => {
            mail_failures_event(services, &session)
        }
        Command::Mail(MailCommand::ReaddressMail {
            session,
            mail_id,
            address,
        }) => match services.readdress_mail(&session, mail_id, &address) {
            Ok(_) => mail_failures_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Mail(MailCommand::QueueMail {
            session,
            order_number,
            to,
            remail,
        }) => match services.queue_ticket_mail(&session, order_number, to.as_deref(), remail) {
            Ok(mail_id) => Event::Mail(MailEvent::MailQueued {
                order_number,
                to: services
                    .mail_entry(mail_id)
                    .ok()
                    .flatten()
                    .map(|r| r.to_address)
                    .unwrap_or_default(),
            }),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Mail(MailCommand::TestMail { session, .. })
        | Command::Mail(MailCommand::SendSms { session, .. }) => {
            // Run on background threads; never reach here.
            Event::Failed(error_text(
                session.lang,
                &AppError::Admin(AdminError::Internal("mail command".into())),
            ))
        }
        Command::Mail(MailCommand::RemailPerformance { session, .. }) => {
            // Runs on a background thread (it reports progress); never reaches here.
            Event::Failed(error_text(
                session.lang,
                &AppError::Admin(AdminError::Internal("bulk re-mail".into())),
            ))
        }
        other => return Err(Box::new(other)),
    })
}

/// Mail servers: the list, adding, copying, the default. Any other command is given back.
fn mail_servers(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Mail(MailCommand::LoadMailServers) => {
            mail_servers_event(services, Lang::default())
        }
        Command::Mail(MailCommand::AddMailServer { session, request }) => {
            match services.add_mail_server(&session, &request) {
                Ok(_) => mail_servers_event(services, session.lang),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Mail(MailCommand::CopyMailServer {
            session,
            from,
            name,
        }) => match services.copy_mail_server(&session, &from, &name) {
            Ok(_) => mail_servers_event(services, session.lang),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Mail(MailCommand::MakeMailServerDefault { session, name }) => {
            match services.choose_mail_server(&session, &name, None) {
                Ok(()) => mail_servers_event(services, session.lang),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        other => return Err(Box::new(other)),
    })
}

/// Bank payments and reservations. Any other command is given back.
fn bank(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Bank(BankCommand::Reserve { session, request }) => {
            match services.reserve(&session, &request, "reservation") {
                Ok(_) => reservations_event(services, session.lang),
                Err(error) => Event::Sale(SaleEvent::SaleFailed(error_text(session.lang, &error))),
            }
        }
        Command::Bank(BankCommand::LoadReservations) => reservations_event(services, Lang::En),
        Command::Bank(BankCommand::CheckReservation { session, reference }) => {
            match services.check_reservation(&session, &reference) {
                Ok(check) => Event::Bank(BankEvent::ReservationChecks(vec![check])),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Bank(BankCommand::ReleaseReservation { session, reference }) => {
            match services.release_reservation(&session, &reference, "released at the counter") {
                Ok(_) => reservations_event(services, session.lang),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Bank(BankCommand::LoadBankSettings) => bank_settings_event(services),
        Command::Bank(BankCommand::SaveBankSettings { session, settings }) => {
            match services.set_bank_settings(&session, &settings.into()) {
                Ok(()) => bank_settings_event(services),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Bank(BankCommand::AddBankKey {
            session,
            valid_from,
            secret,
        }) => match services.add_bank_key(&session, valid_from, &secret) {
            Ok(()) => bank_settings_event(services),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Bank(BankCommand::CancelBankPayment)
        | Command::Bank(BankCommand::CheckAllReservations { .. })
        | Command::Admin(AdminCommand::LoadStatus)
        | Command::Admin(AdminCommand::SupportReport)
        | Command::Admin(AdminCommand::Devices { .. }) => {
            unreachable!("handled by the worker loop")
        }
        other => return Err(Box::new(other)),
    })
}

/// Printing: previews, retries, reprints, printers. Any other command is given back.
fn printing(services: &mut Services, command: Command) -> Result<Event, Box<Command>> {
    Ok(match command {
        Command::Print(PrintCommand::RenderPreviews { labels }) => Event::Print(
            PrintEvent::TicketPreviews(labels.iter().map(crate::printing::render).collect()),
        ),
        Command::Print(PrintCommand::RetryPrint {
            session,
            order_number,
        }) => match services.print_unprinted(&session, order_number, None) {
            Ok(Some(outcome)) => Event::Print(PrintEvent::Printed(Box::new(outcome))),
            Ok(None) => Event::Done(String::new()),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Print(PrintCommand::ReprintSearch { query, lang }) => {
            match services.reprint_candidates(&query, lang) {
                Ok(orders) => Event::Print(PrintEvent::ReprintOrders { query, orders }),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        Command::Print(PrintCommand::PrintTicket {
            session,
            code,
            mode,
        }) => match services.print_ticket(&session, &code, None, mode) {
            Ok(outcome) => Event::Print(PrintEvent::Printed(Box::new(outcome))),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Print(PrintCommand::PrintReceipt {
            session,
            order_number,
        }) => match services.print_receipt(&session, order_number, false, false, None) {
            Ok(_) => Event::Done(
                crate::i18n::tr(session.lang, crate::i18n::Text::ReceiptPrinted).to_string(),
            ),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Print(PrintCommand::LoadPrinters { lang }) => printers_event(services, lang),
        Command::Print(PrintCommand::SavePrinter {
            session,
            name,
            transport,
            language,
            make_default,
        }) => match services.add_printer(&session, &name, &transport, &language, make_default) {
            Ok(_) => printers_event(services, session.lang),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Print(PrintCommand::PrintTest { session, printer }) => {
            match services.print_test(&session, Some(&printer)) {
                Ok(outcome) => Event::Print(PrintEvent::Printed(Box::new(outcome))),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Print(PrintCommand::PrinterStatus { printer, lang }) => {
            use crate::i18n::{Text, tr};
            match services.printer_status(Some(&printer)) {
                Ok(None) => Event::Done(format!("{printer}: {}", tr(lang, Text::OneWayLink))),
                Ok(Some(Ok(status))) if status.ready() => {
                    Event::Done(format!("{printer}: {}", tr(lang, Text::PrinterReady)))
                }
                Ok(Some(Ok(status))) => {
                    let words: Vec<&str> = status
                        .conditions
                        .iter()
                        .map(|condition| crate::i18n::condition_text(lang, *condition))
                        .collect();
                    Event::Failed(format!("{printer}: {}", words.join(", ")))
                }
                Ok(Some(Err(error))) => Event::Failed(format!(
                    "{printer}: {} ({error})",
                    tr(lang, Text::PrinterNoAnswer)
                )),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        other => return Err(Box::new(other)),
    })
}

fn printers_event(services: &mut Services, lang: Lang) -> Event {
    match services.printers() {
        // Listing the system's queues asks the spooler: here, off the UI thread.
        Ok(printers) => Event::Print(PrintEvent::Printers {
            printers: views(printers),
            system_queues: pc43d::system_queues(),
        }),
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}

fn seating_event(
    services: &mut Services,
    performance_id: PerformanceId,
    message: Option<String>,
    lang: Lang,
) -> Event {
    match services.seating(performance_id) {
        Ok(view) => Event::Seats(SeatsEvent::Seating {
            performance_id,
            view: view.map(Box::new),
            message,
        }),
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}
