//! What the user asked for in a frame, done once at the end of the frame.

use super::*;

impl BoxOfficeApp {
    /// A print job came back: say where it went (or why not) and show what was printed.
    /// A request of the device and settings screens, as the logged-in user.
    pub(super) fn device_request(&mut self, request: crate::app::devices::DeviceRequest) {
        if let Some(session) = &self.session {
            self.worker.send(Command::Admin(AdminCommand::Devices {
                session: session.clone(),
                request,
            }));
        }
    }

    pub(super) fn printed(&mut self, outcome: crate::app::PrintOutcome) {
        use crate::app::PrintResult;
        let lang = self.lang;
        match &outcome.result {
            PrintResult::Failed(error) => {
                self.message = Some(format!("{}: {error}", tr(lang, Text::PrintFailed)));
            }
            result => {
                let what = if *result == PrintResult::Spooled {
                    tr(lang, Text::SentToQueue)
                } else {
                    tr(lang, Text::SentToPrinter)
                };
                self.message = None;
                self.notice = Some(format!(
                    "{what}: {} ({})",
                    outcome.codes.join(", "),
                    outcome.printer
                ));
                if let Some(sale) = self.last_sale.as_mut()
                    && self.screen == Screen::Receipt
                {
                    sale.printed = Ok(outcome.transport.clone());
                }
            }
        }
        self.ticket_previews.clear();
        self.worker
            .send(Command::Print(PrintCommand::RenderPreviews {
                labels: outcome.labels,
            }));
        if self.screen == Screen::Reprint {
            self.worker
                .send(Command::Print(PrintCommand::ReprintSearch {
                    query: self.reprint.query.clone(),
                    lang,
                }));
        }
    }

    /// Asks for the seat map of the selected performance when it is seated.
    pub(super) fn load_seating(&mut self) {
        let seated = self.sell.performance().filter(|p| p.seated).map(|p| p.id);
        match seated {
            Some(performance_id) => self.worker.send(Command::Seats(SeatsCommand::LoadSeating {
                performance_id,
                lang: self.lang,
            })),
            None => self.sell.seat_map.view = None,
        }
    }

    /// Gives back the seats in this cart (changing performance, logging out).
    pub(super) fn release_cart_seats(&mut self) {
        if let (Some(session), Some(view)) = (self.session.clone(), &self.sell.seat_map.view)
            && !self.sell.seat_map.picked(&self.sell.cart_token).is_empty()
        {
            self.worker.send(Command::Seats(SeatsCommand::CartSeats {
                session,
                performance_id: view.performance_id,
                token: self.sell.cart_token.clone(),
                seats: Vec::new(),
                release: true,
            }));
        }
        self.sell.seat_map = SeatMapState::default();
    }

    pub(super) fn apply_seat_map(&mut self, action: SeatMapAction) {
        let (Some(session), Some(performance_id)) =
            (self.session.clone(), self.sell.selected_performance)
        else {
            return;
        };
        let token = self.sell.cart_token.clone();
        self.sell.seat_map.message = None;
        let command = match action {
            SeatMapAction::Hold(seats) | SeatMapAction::AcceptSplit(seats) => {
                Command::Seats(SeatsCommand::CartSeats {
                    session,
                    performance_id,
                    token,
                    seats,
                    release: false,
                })
            }
            SeatMapAction::Release(seats) => Command::Seats(SeatsCommand::CartSeats {
                session,
                performance_id,
                token,
                seats,
                release: true,
            }),
            SeatMapAction::Best { wheelchair } => {
                let count = self.sell.cart.totals().n_tickets as usize;
                if count == 0 {
                    return;
                }
                Command::Seats(SeatsCommand::BestSeats {
                    session,
                    performance_id,
                    token,
                    count,
                    wheelchair: usize::from(wheelchair),
                })
            }
        };
        self.busy = true;
        self.worker.send(command);
    }

    /// When the counter knows that no shift is open, says so now instead of after the amount,
    /// and asks the service again (a shift may have been opened elsewhere since): true when
    /// the payment must wait for a shift.
    fn no_shift_open(&mut self) -> bool {
        if !matches!(self.shift_window.report, Some(None)) {
            return false;
        }
        self.message = Some(tr(self.lang, Text::ShiftNotOpenPrompt).to_string());
        if let Some(session) = self.session.clone() {
            self.worker
                .send(Command::Shift(ShiftCommand::XReport { session }));
        }
        true
    }

    /// Sends a card sale of the cart: all by card, or `cash` in cash and the rest by card.
    pub(super) fn pay_card(&mut self, cash: Option<Money>) {
        if self.sell.card_dialog.is_some() || self.no_shift_open() {
            return;
        }
        if self.busy {
            self.queue_pay(QueuedPay::Card(cash));
            return;
        }
        let Some((session, request)) = self.sale_request(cash.unwrap_or(Money::ZERO)) else {
            return;
        };
        self.busy = true;
        self.message = None;
        self.sell.cash_tendered = None;
        let (dialog, abort) = CardDialog::new();
        self.sell.card_dialog = Some(dialog);
        self.worker.send(Command::Sale(SaleCommand::Sell {
            session,
            request,
            pay: Pay::Card {
                split: crate::app::Split { cash, card: None },
                abort,
            },
        }));
    }

    /// Selects another performance (the cart was empty or the cashier said yes).
    pub(super) fn change_performance(&mut self, id: PerformanceId) {
        self.release_cart_seats();
        self.sell.selected_performance = Some(id);
        self.sell.cart.clear();
        self.clear_message();
        self.load_seating();
    }

    /// The red line goes with a new step of the sale, except "no shift open", which stays
    /// until a shift is (the cart may be filled meanwhile).
    fn clear_message(&mut self) {
        if !matches!(self.shift_window.report, Some(None)) {
            self.message = None;
        }
    }

    /// Does what the confirmation asked about.
    pub(super) fn confirmed(&mut self, question: Confirm) {
        match question {
            Confirm::ClearCart => {
                self.release_cart_seats();
                self.load_seating();
                self.reset_sale_fields();
                self.message = None;
            }
            Confirm::ChangePerformance(id) => self.change_performance(id),
            Confirm::CloseShift(close) => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::Shift(ShiftCommand::CloseShift {
                        session,
                        manager: close.manager,
                        count: close.count,
                        comment: close.comment,
                        end_of_day: close.end_of_day,
                    }));
                }
            }
            Confirm::PrintReceipt(order_number) => {
                if let Some(session) = self.session.clone() {
                    self.busy = true;
                    self.worker.send(Command::Print(PrintCommand::PrintReceipt {
                        session,
                        order_number,
                    }));
                }
            }
            Confirm::Reissue(code) => {
                if let Some(session) = self.session.clone() {
                    self.busy = true;
                    self.message = None;
                    self.notice = None;
                    self.worker.send(Command::Print(PrintCommand::PrintTicket {
                        session,
                        code,
                        mode: PrintMode::Reissue,
                    }));
                }
            }
        }
    }

    /// Esc: one level back — the topmost window, then the side panel, then the screen.
    pub(super) fn back(&mut self) {
        if self.mail.settings.open {
            self.mail.settings.open = false;
        } else if self.mail.open {
            self.mail.open = false;
        } else if self.pending_card.open {
            self.pending_card.open = false;
        } else if self.shift_window.open {
            self.shift_window.open = false;
        } else if self.refund_panel.open {
            self.refund_panel.toggle();
        } else if !matches!(
            self.screen,
            Screen::Sell | Screen::Login | Screen::Starting | Screen::Receipt
        ) {
            self.screen = if self.session.is_some() {
                Screen::Sell
            } else {
                Screen::Login
            };
        } else if self.screen == Screen::Sell {
            if !self.sell.performance_filter.is_empty() {
                self.sell.performance_filter.clear();
            } else {
                self.apply(Action::Cart(CartAction::AskClearCart));
            }
        }
    }

    pub(super) fn apply(&mut self, action: Action) {
        match action {
            Action::Cart(action) => self.apply_cart(action),
            Action::Session(action) => self.apply_session(action),
            Action::Pay(action) => self.apply_pay(action),
            Action::Go(action) => self.apply_go(action),
            Action::Report(action) => self.apply_report(action),
            Action::Confirm(yes) => {
                if let Some(question) = self.confirm.take()
                    && yes
                {
                    self.confirmed(question);
                }
            }
            Action::Back => self.back(),
            Action::ResolveCard(attempt, decision) => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::Card(CardCommand::ResolveCard {
                        session,
                        attempt,
                        decision,
                    }));
                }
            }
            Action::Manager(action) => self.apply_manager(action),
            Action::Mail(action) => self.apply_mail(action),
            Action::User(action) => self.apply_user(action),
            Action::BackOffice(action) => self.apply_back_office(action),
            Action::Print(action) => self.apply_print(action),
            Action::Reservation(action) => self.apply_reservation(action),
            Action::Operations(action) => self.apply_operations(action),
        }
    }

    fn apply_cart(&mut self, action: CartAction) {
        match action {
            CartAction::SeatMap(action) => self.apply_seat_map(action),
            CartAction::SelectPerformance(id) => {
                if self.sell.selected_performance != Some(id) {
                    if self.sell.cart.is_empty() {
                        self.change_performance(id);
                    } else {
                        self.confirm = Some(Confirm::ChangePerformance(id));
                    }
                }
            }
            CartAction::StepPerformance(step) => {
                let list: Vec<PerformanceId> = self
                    .sell
                    .filtered_performances()
                    .iter()
                    .map(|p| p.id)
                    .collect();
                if !list.is_empty() {
                    let at = list
                        .iter()
                        .position(|id| Some(*id) == self.sell.selected_performance);
                    let next = match at {
                        Some(at) => (at as i64 + i64::from(step)).clamp(0, list.len() as i64 - 1),
                        None => 0,
                    } as usize;
                    self.apply(Action::Cart(CartAction::SelectPerformance(list[next])));
                }
            }
            CartAction::VoidLastLine => {
                if let Some(line) = self.sell.cart.lines().last() {
                    let (id, quantity) = (line.category.category_id, line.quantity);
                    for _ in 0..quantity {
                        self.sell.cart.remove_one(id);
                    }
                    self.message = None;
                }
            }
            CartAction::AskClearCart => {
                if !self.sell.cart.is_empty() {
                    self.confirm = Some(Confirm::ClearCart);
                }
            }
            CartAction::AddTicket(index) => {
                let Some(performance) = self.sell.performance() else {
                    return;
                };
                let remaining = performance.remaining;
                let category = performance.categories.get(index).map(|c| c.priced());
                if let Some(category) = category {
                    // Refuse the ticket that is not there now, not after the money is counted.
                    if i64::from(self.sell.cart.totals().n_tickets) >= remaining {
                        self.message = Some(crate::i18n::only_left(self.lang, remaining));
                        return;
                    }
                    self.sell.cart.add(&category, 1);
                    self.clear_message();
                }
            }
            CartAction::RemoveTicket(category_id) => self.sell.cart.remove_one(category_id),
            CartAction::NewSale => {
                self.ticket_previews.clear();
                self.last_sale = None;
                self.message = None;
                self.screen = Screen::Sell;
            }
        }
    }

    fn apply_session(&mut self, action: SessionAction) {
        match action {
            SessionAction::SetLang(lang) => {
                self.lang = lang;
                self.lang_chosen = true;
            }
            SessionAction::FillLogin(name, pin) => {
                self.login_name = name;
                self.login_pin = pin;
            }
            SessionAction::Login => {
                if !self.busy && !self.login_name.trim().is_empty() {
                    self.busy = true;
                    self.message = None;
                    self.worker.send(Command::Session(SessionCommand::Login {
                        name: self.login_name.trim().to_string(),
                        pin: self.login_pin.clone(),
                        lang: self.lang,
                    }));
                }
            }
            SessionAction::Logout => {
                self.release_cart_seats();
                self.session = None;
                self.refund_panel = RefundPanel::default();
                self.shift_window = ShiftWindow::default();
                self.reprint = ReprintScreen::default();
                self.locked = false;
                self.reset_sale_fields();
                self.last_sale = None;
                self.message = None;
                self.notice = None;
                self.confirm = None;
                self.sell.performance_filter.clear();
                self.mail.open = false;
                self.mail.settings.open = false;
                self.pending_card.open = false;
                self.ticket_previews.clear();
                self.screen = Screen::Login;
            }
            SessionAction::Lock => {
                if self.session.is_some() {
                    self.locked = true;
                    self.sell.cash_tendered = None;
                }
            }
            SessionAction::Unlock => {
                if let Some(session) = &self.session
                    && !self.unlocking
                {
                    self.unlocking = true;
                    self.worker.send(Command::Session(SessionCommand::Login {
                        name: session.name.clone(),
                        pin: self.unlock_pin.clone(),
                        lang: self.lang,
                    }));
                }
            }
        }
    }

    fn apply_pay(&mut self, action: PayAction) {
        match action {
            PayAction::OpenCash => {
                if !self.sell.cart.is_empty() && !self.no_shift_open() {
                    self.sell.cash_tendered = Some(String::new());
                    self.sell.cash_not_number = false;
                }
            }
            PayAction::SetTendered(amount) => {
                self.sell.cash_tendered = Some(amount.amount_text());
                self.sell.cash_not_number = false;
            }
            PayAction::CloseCash => self.sell.cash_tendered = None,
            PayAction::CompleteCash => self.complete_cash(),
            PayAction::PayCard => self.pay_card(None),
            PayAction::PayCardRest(cash) => self.pay_card(Some(cash)),
            PayAction::CancelCard => {
                if let Some(dialog) = &self.sell.card_dialog {
                    dialog.cancel();
                }
            }
            PayAction::PayBank => self.pay_bank(),
            PayAction::CancelBank => {
                if let Some(state) = &mut self.sell.bank_payment {
                    state.cancelling = true;
                    self.worker
                        .send(Command::Bank(BankCommand::CancelBankPayment));
                }
            }
            PayAction::Reserve => self.reserve(),
        }
    }

    fn apply_go(&mut self, action: GoAction) {
        match action {
            GoAction::OpenPendingCard => {
                self.worker
                    .send(Command::Card(CardCommand::LoadPendingCard {
                        lang: self.lang,
                    }))
            }
            GoAction::ToggleRefunds => {
                self.refund_panel.toggle();
                if self.refund_panel.open && self.screen == Screen::Receipt {
                    self.screen = Screen::Sell;
                }
            }
            GoAction::OpenShiftWindow => {
                if let Some(session) = self.session.clone() {
                    self.shift_window = ShiftWindow {
                        open: true,
                        ..ShiftWindow::default()
                    };
                    self.worker
                        .send(Command::Shift(ShiftCommand::XReport { session }));
                }
            }
            GoAction::ToggleReports => {
                self.toggle_screen(Screen::Reports);
                self.reports.loaded_for = None;
            }
            GoAction::ToggleUsers => {
                self.toggle_screen(Screen::Users);
                self.users = UsersScreen::default();
            }
            GoAction::ToggleReprint => {
                if !self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.role.may(crate::domain::Permission::Reprint))
                {
                    return;
                }
                self.screen = if self.screen == Screen::Reprint {
                    Screen::Sell
                } else {
                    Screen::Reprint
                };
                self.reprint = ReprintScreen::default();
                self.ticket_previews.clear();
            }
            GoAction::ShowBackOffice(screen) => self.toggle_screen(Screen::BackOffice(screen)),
            GoAction::TogglePrinters => {
                self.screen = if self.screen == Screen::Printers {
                    Screen::Sell
                } else {
                    Screen::Printers
                };
                self.printers = PrintersScreen::default();
            }
            GoAction::ToggleReservations => {
                self.toggle_screen(Screen::Reservations);
                self.reservations.list = None;
            }
            GoAction::ToggleOperations => {
                self.screen = if self.screen == Screen::Operations {
                    if self.session.is_some() {
                        Screen::Sell
                    } else {
                        Screen::Login
                    }
                } else {
                    Screen::Operations
                };
                self.operations.statuses = None;
                self.operations.report = None;
                if !self.operations.settings_loaded {
                    self.worker
                        .send(Command::Bank(BankCommand::LoadBankSettings));
                }
            }
        }
    }

    fn apply_report(&mut self, action: ReportAction) {
        match action {
            ReportAction::Load { kind, from, to } => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::Admin(AdminCommand::Report {
                        session,
                        kind,
                        from,
                        to,
                    }));
                }
            }
            ReportAction::Export { name, tables } => self
                .worker
                .send(Command::Admin(AdminCommand::ExportCsv { name, tables })),
        }
    }

    fn complete_cash(&mut self) {
        let due = self.cash_due();
        self.sell.cash_not_number = self
            .sell
            .cash_tendered
            .as_deref()
            .is_some_and(|t| !t.trim().is_empty() && self.sell.tendered().is_none());
        let Some(tendered) = self.sell.tendered() else {
            return;
        };
        if cash_change(due, tendered).is_err() {
            return;
        }
        if self.busy {
            self.queue_pay(QueuedPay::Cash);
            return;
        }
        let Some((session, request)) = self.sale_request(tendered) else {
            return;
        };
        self.busy = true;
        self.message = None;
        self.worker.send(Command::Sale(SaleCommand::Sell {
            session,
            request,
            pay: Pay::Cash,
        }));
    }

    /// Keeps a payment for when the request in flight has answered (see `queued_pay`).
    fn queue_pay(&mut self, pay: QueuedPay) {
        if !self.sell.cart.is_empty() {
            self.message = None;
            self.queued_pay = Some(pay);
        }
    }

    /// The payment kept while the service thread was busy, once it has answered: made, unless
    /// the answer was a red line (the cashier reads it and asks again) or another request
    /// followed it.
    pub(super) fn take_queued_pay(&mut self) {
        if self.busy {
            return;
        }
        let Some(pay) = self.queued_pay.take() else {
            return;
        };
        if self.message.is_some() {
            return;
        }
        match pay {
            QueuedPay::Cash if self.sell.cash_tendered.is_some() => self.complete_cash(),
            QueuedPay::Card(cash) => self.pay_card(cash),
            QueuedPay::Cash => {}
        }
    }

    fn reserve(&mut self) {
        let today = crate::app::bank::bank_today();
        let due = if self.sell.reserve_due.trim().is_empty() {
            Some(today + chrono::Duration::days(3))
        } else {
            match crate::i18n::parse_local_date(&self.sell.reserve_due, today) {
                Some(date) => Some(date),
                None => {
                    self.message = Some(crate::app::error_text(
                        self.lang,
                        &crate::app::AppError::Admin(AdminError::BadDate(
                            self.sell.reserve_due.clone(),
                        )),
                    ));
                    return;
                }
            }
        };
        if let Some((session, sale)) = self.sale_request(Money::ZERO) {
            self.message = None;
            self.reservations.announce_newest = true;
            self.worker.send(Command::Bank(BankCommand::Reserve {
                session,
                request: crate::app::bank::ReservationRequest {
                    sale,
                    customer_phone: Some(self.sell.customer_phone.clone()),
                    due_date: due,
                },
            }));
            self.reset_sale_fields();
        }
    }

    fn pay_bank(&mut self) {
        if self.sell.bank_payment.is_none()
            && !self.busy
            && !self.no_shift_open()
            && let Some((session, request)) = self.sale_request(Money::ZERO)
        {
            self.message = None;
            self.sell.bank_payment = Some(BankPaymentState::default());
            self.worker.send(Command::Sale(SaleCommand::Sell {
                session,
                request,
                pay: Pay::Bank {
                    open_browser: self.open_bank_page,
                },
            }));
        }
    }
}
