//! What the service thread said, folded into the screens' state (one function per area).

use super::*;

impl BoxOfficeApp {
    pub(super) fn handle_event(&mut self, event: Event) {
        self.busy = false;
        match event {
            Event::Card(event) => self.on_card(event),
            Event::Session(event) => self.on_session(event),
            Event::Admin(event) => self.on_admin(event),
            Event::Seats(event) => self.on_seats(event),
            Event::Sale(event) => self.on_sale(event),
            Event::Mail(event) => self.on_mail(event),
            Event::Refund(event) => self.on_refund(event),
            Event::Shift(event) => self.on_shift(event),
            Event::Bank(event) => self.on_bank(event),
            Event::Print(event) => self.on_print(event),
            Event::Failed(message) => {
                self.mail.settings.testing = false;
                self.message = Some(message);
            }
            Event::FailedInAll(messages) => {
                self.mail.settings.testing = false;
                let [fi, sv, en] = *messages;
                self.message = Some(match self.lang {
                    Lang::Fi => fi,
                    Lang::Sv => sv,
                    Lang::En => en,
                });
            }
            Event::Done(place) => self.notice = Some(place),
        }
        self.take_queued_pay();
    }

    fn on_card(&mut self, event: CardEvent) {
        match event {
            CardEvent::CardDisplay(text) => {
                if let Some(dialog) = self.sell.card_dialog.as_mut() {
                    self.busy = true;
                    dialog.texts.push(text);
                }
            }
            CardEvent::PendingCard(attempts) => {
                self.pending_card.attempts = attempts;
                self.pending_card.open = true;
            }
        }
    }

    fn on_session(&mut self, event: SessionEvent) {
        match event {
            SessionEvent::Ready { demo_logins } => {
                self.demo_logins = demo_logins;
                self.screen = Screen::Login;
            }
            SessionEvent::StartFailed(message) => self.start_error = Some(message),
            SessionEvent::LoggedIn(session) if self.unlocking => {
                self.unlocking = false;
                self.unlock_pin.clear();
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.user_id == session.user_id)
                {
                    self.locked = false;
                    self.message = None;
                }
            }
            SessionEvent::LoginFailed(message) if self.unlocking => {
                self.unlocking = false;
                self.unlock_pin.clear();
                self.message = Some(message);
            }
            SessionEvent::LoggedIn(session) => {
                if self.lang_chosen && session.lang != self.lang {
                    self.busy = true;
                    self.worker
                        .send(Command::Session(SessionCommand::SetLanguage {
                            session: session.clone(),
                            lang: self.lang,
                        }));
                }
                self.lang_chosen = false;
                self.lang = session.lang;
                self.session = Some(session);
                self.login_pin.clear();
                self.message = None;
                if self.screen == Screen::Login {
                    self.screen = Screen::Sell;
                }
                self.worker
                    .send(Command::Session(SessionCommand::LoadCatalog {
                        lang: self.lang,
                    }));
                self.poll_mail_status();
                self.back_office.reset();
                self.device_request(crate::app::devices::DeviceRequest::Load);
                // Say now, not after the amount is typed, when no shift is open.
                if let Some(session) = self.session.clone() {
                    self.shift_prompt = true;
                    self.worker
                        .send(Command::Shift(ShiftCommand::XReport { session }));
                }
            }
            SessionEvent::LoginFailed(message) => {
                self.login_pin.clear();
                self.message = Some(message);
            }
            SessionEvent::Catalog(catalog) => self.set_catalog(catalog),
        }
    }

    fn on_admin(&mut self, event: AdminEvent) {
        match event {
            AdminEvent::Devices(event) => {
                if let crate::app::devices::DeviceEvent::ReceiptMailed(outcome) = &event {
                    if outcome.ok {
                        self.notice = Some(outcome.text.clone());
                    } else {
                        self.message = Some(outcome.text.clone());
                    }
                }
                for request in self.back_office.handle(event) {
                    self.device_request(request);
                }
            }
            AdminEvent::Report(tables) => self.reports.tables = tables,
            AdminEvent::Users(users) => self.users.users = Some(users),
            AdminEvent::Statuses(statuses) => self.operations.set_statuses(statuses),
            AdminEvent::SharedLedger(line) => self.operations.set_shared_ledger(*line),
            AdminEvent::SupportReport(report) => {
                self.operations.report = Some(report);
                self.operations.copied = false;
                self.notice = Some(tr(self.lang, Text::SupportReportCopied).to_string());
            }
        }
    }

    fn on_seats(&mut self, event: SeatsEvent) {
        match event {
            SeatsEvent::Seating {
                performance_id,
                view,
                message,
            } => {
                if Some(performance_id) == self.sell.selected_performance {
                    self.sell.seat_map.view = view.map(|v| *v);
                    self.sell.seat_map.message = message;
                    self.sell.seat_map.split_offer = None;
                }
            }
            SeatsEvent::SeatSplitOffered(seats) => self.sell.seat_map.split_offer = Some(seats),
        }
    }

    fn on_sale(&mut self, event: SaleEvent) {
        match event {
            SaleEvent::SaleCompleted(view) => {
                let crate::app::worker::SaleView {
                    outcome,
                    previews,
                    catalog,
                } = *view;
                self.sell.bank_payment = None;
                self.reset_sale_fields();
                self.sell.card_dialog = None;
                self.message = outcome
                    .printed
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", tr(self.lang, Text::PrintFailed)));
                self.ticket_previews.clear();
                self.pending_previews = Some(previews);
                // Queued in the sale's own transaction.
                if let Some(mail) = &outcome.mail {
                    self.notice = Some(format!(
                        "{} ({} {}, {})",
                        tr(self.lang, Text::MailQueued),
                        tr(self.lang, Text::OrderNumber),
                        outcome.receipt.order_number,
                        mail.to
                    ));
                }
                // The setting "ask": Enter prints the customer's receipt, Esc skips it.
                if self.back_office.ask_receipt {
                    self.confirm = Some(Confirm::PrintReceipt(outcome.receipt.order_number));
                }
                self.last_sale = Some(Box::new(outcome));
                self.screen = Screen::Receipt;
                self.sell.seat_map.split_offer = None;
                if let Some(catalog) = catalog {
                    self.set_catalog(catalog);
                }
            }
            SaleEvent::SaleFailed(message) => {
                self.sell.card_dialog = None;
                self.sell.bank_payment = None;
                self.message = Some(message);
            }
        }
    }

    fn on_mail(&mut self, event: MailEvent) {
        match event {
            MailEvent::MailStatus {
                unseen,
                waiting,
                trouble,
            } => {
                self.mail.unseen = unseen;
                self.mail.waiting = waiting;
                self.mail.trouble = trouble;
            }
            MailEvent::MailFailures(rows) => {
                self.mail.unseen = 0;
                self.mail.failures = rows;
                self.mail.open = true;
            }
            MailEvent::MailChanged => self.poll_mail_status(),
            MailEvent::MailServers {
                servers,
                default_id,
            } => {
                self.mail.settings.servers = servers;
                self.mail.settings.default_id = default_id;
                self.mail.settings.form.password.clear();
            }
            MailEvent::TestMail(outcome) => {
                self.mail.settings.testing = false;
                self.mail.settings.test_result = Some(outcome);
            }
            MailEvent::SmsSent(outcome) => {
                self.mail.sms_result = Some(format!(
                    "{}: {}",
                    tr(self.lang, Text::SendSms),
                    outcome.reply
                ));
            }
            MailEvent::MailQueued { order_number, to } => {
                self.notice = Some(format!(
                    "{} ({} {order_number}, {to})",
                    tr(self.lang, Text::MailQueued),
                    tr(self.lang, Text::OrderNumber)
                ));
            }
            MailEvent::RemailProgress { done, total } => {
                if let Some(remail) = self.mail.remail.as_mut() {
                    remail.0 = done;
                    remail.1 = total;
                }
                self.busy = true;
            }
            MailEvent::RemailFinished { queued } => {
                self.mail.remail = None;
                self.notice = Some(format!("{}: {queued}", tr(self.lang, Text::MailQueued)));
            }
        }
    }

    fn on_refund(&mut self, event: RefundEvent) {
        match event {
            RefundEvent::SearchResults { query, hits } => {
                if query == self.refund_panel.query {
                    self.refund_panel.hits = hits;
                    self.refund_panel.hits_for = query;
                }
            }
            RefundEvent::OrderLoaded { receipt, refunds } => {
                self.refund_panel.show_order(receipt, refunds)
            }
            RefundEvent::Refunded(outcome) => {
                let instruction = if outcome.tender == crate::domain::Tender::Bank {
                    format!(
                        "\n{}",
                        crate::i18n::bank_refund_instruction(
                            self.lang,
                            outcome.amount_cents,
                            outcome.bank_reference.as_deref().unwrap_or("-")
                        )
                    )
                } else {
                    String::new()
                };
                self.refund_panel.result = Some(format!(
                    "{} {}: {}{instruction}",
                    tr(self.lang, Text::RefundReceipt),
                    outcome.receipt_number,
                    crate::i18n::give_back(
                        self.lang,
                        &self.back_office.currency.format(outcome.amount_cents),
                        outcome.tender
                    ),
                ));
                self.worker.send(Command::Refund(RefundCommand::LoadOrder {
                    order_number: outcome.order_number,
                    lang: self.lang,
                }));
                self.worker
                    .send(Command::Session(SessionCommand::LoadCatalog {
                        lang: self.lang,
                    }));
            }
        }
    }

    fn on_shift(&mut self, event: ShiftEvent) {
        match event {
            ShiftEvent::Report(report) => {
                let prompt = std::mem::take(&mut self.shift_prompt);
                if report.is_some() {
                    // A shift is open now: "no shift" messages are history.
                    if self.message.as_deref() == Some(tr(self.lang, Text::ShiftNotOpenPrompt)) {
                        self.message = None;
                    }
                } else if prompt {
                    self.shift_window = ShiftWindow {
                        open: true,
                        ..ShiftWindow::default()
                    };
                    self.message = Some(tr(self.lang, Text::ShiftNotOpenPrompt).to_string());
                }
                if prompt && report.is_some() && !self.shift_window.open {
                    return;
                }
                self.shift_window.report = Some(report);
            }
        }
    }

    fn on_bank(&mut self, event: BankEvent) {
        match event {
            BankEvent::BankPage { url, reference } => {
                let state = self.sell.bank_payment.get_or_insert_with(Default::default);
                state.url = Some(url);
                state.reference = Some(reference);
            }
            BankEvent::BankRejected(why) => {
                if let Some(state) = &mut self.sell.bank_payment {
                    state.rejected = Some(why);
                }
            }
            BankEvent::BankEnded(why) => {
                self.sell.bank_payment = None;
                self.message = Some(why);
                self.worker
                    .send(Command::Session(SessionCommand::LoadCatalog {
                        lang: self.lang,
                    }));
            }
            BankEvent::Reservations(list) => {
                if std::mem::take(&mut self.reservations.announce_newest) {
                    // A reservation was just made from the sell screen.
                    if let Some(newest) = list.iter().max_by_key(|r| r.id) {
                        self.notice = Some(format!(
                            "{} {} ({}, {} {})",
                            tr(self.lang, Text::Reserved),
                            crate::payments::reference::ReferenceNumber::parse(&newest.reference)
                                .map(|r| r.grouped())
                                .unwrap_or_else(|_| newest.reference.clone()),
                            newest.total_cents,
                            tr(self.lang, Text::DueDate),
                            newest.due_date
                        ));
                    }
                }
                self.reservations.list = Some(list);
                self.worker
                    .send(Command::Session(SessionCommand::LoadCatalog {
                        lang: self.lang,
                    }));
            }
            BankEvent::ReservationChecks(checks) => {
                self.reservations.checks = checks;
                self.worker
                    .send(Command::Bank(BankCommand::LoadReservations));
            }
            BankEvent::BankSettings {
                settings,
                key_dates,
            } => self
                .operations
                .show_settings(settings.map(|s| *s), key_dates),
        }
    }

    fn on_print(&mut self, event: PrintEvent) {
        match event {
            PrintEvent::TicketPreviews(pictures) => self.pending_previews = Some(pictures),
            PrintEvent::Printed(outcome) => self.printed(*outcome),
            PrintEvent::ReprintOrders { query, orders } => {
                if query == self.reprint.query {
                    self.reprint.orders = orders;
                }
            }
            PrintEvent::Printers {
                printers,
                system_queues,
            } => {
                self.printers.printers = Some(printers);
                self.printers.system_queues = system_queues;
            }
        }
    }
}
