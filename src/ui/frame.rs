//! One frame: events in, the screen drawn, the frame's actions applied.

use super::*;

impl eframe::App for BoxOfficeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Some(event) = self.worker.try_recv() {
            self.handle_event(event);
        }
        if self.session.is_some() {
            let poll = std::time::Duration::from_secs(mail::MAIL_STATUS_POLL_SECS);
            if self.mail.last_poll.is_none_or(|at| at.elapsed() >= poll) {
                self.poll_mail_status();
            }
            ctx.request_repaint_after(poll);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // Events are also drained here so a frame never shows stale state.
        while let Some(event) = self.worker.try_recv() {
            self.handle_event(event);
        }
        let ctx = ui.ctx().clone();
        if let Some(pictures) = self.pending_previews.take() {
            self.ticket_previews = pictures
                .iter()
                .enumerate()
                .map(|(i, picture)| {
                    printing::preview_texture(&ctx, &format!("ticket-{i}"), picture)
                })
                .collect();
        }
        let mut actions = Vec::new();
        let screen_before = self.screen;
        self.keyboard(&ctx, &mut actions);
        egui::Panel::top("top").show(ui, |ui| {
            // While locked the bar is drawn but does nothing.
            let mut bar_actions = Vec::new();
            ui.add_enabled_ui(!self.locked, |ui| self.top_bar_ui(ui, &mut bar_actions));
            if !self.locked {
                actions.extend(bar_actions);
            }
        });
        if let Some(message) = self
            .message
            .as_ref()
            .filter(|_| self.screen != Screen::Login)
        {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(message).color(theme::BAD)).wrap());
            });
        }
        if let Some(notice) = self.notice.as_ref().filter(|_| self.message.is_none()) {
            egui::Panel::bottom("notice").show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(notice).color(theme::GOOD)).wrap());
            });
        }
        if let Some(session) = &self.session {
            let due = self
                .last_reservation_check
                .is_none_or(|at| at.elapsed() >= RESERVATION_CHECK_EVERY);
            if due {
                self.last_reservation_check = Some(std::time::Instant::now());
                self.worker
                    .send(Command::Bank(BankCommand::CheckAllReservations {
                        session: session.clone(),
                    }));
            }
            ctx.request_repaint_after(RESERVATION_CHECK_EVERY);
        }
        if let Some(report) = self.operations.report.as_ref()
            && self.notice.as_deref() == Some(tr(self.lang, Text::SupportReportCopied))
            && !self.operations.copied
        {
            ctx.copy_text(report.clone());
            self.operations.copied = true;
        }
        // Any input keeps the screen unlocked; a quiet counter locks itself.
        let now = std::time::Instant::now();
        if ctx.input(|i| !i.events.is_empty()) {
            self.last_activity = now;
        }
        if self.session.is_some() && !self.locked {
            let idle = now.duration_since(self.last_activity);
            if idle >= self.lock_after {
                self.locked = true;
                self.cash_tendered = None;
            } else {
                ctx.request_repaint_after(self.lock_after - idle);
            }
        }
        if self.locked {
            let lang = self.lang;
            egui::CentralPanel::default().show(ui, |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.heading(tr(lang, Text::Locked));
                    if let Some(session) = &self.session {
                        ui.label(&session.name);
                    }
                    let label = ui.label(tr(lang, Text::Pin));
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.unlock_pin)
                                .password(true)
                                .desired_width(160.0),
                        )
                        .labelled_by(label.id);
                    if !field.has_focus() && self.unlock_pin.is_empty() {
                        field.request_focus();
                    }
                    if ui.button(tr(lang, Text::Unlock)).clicked() {
                        actions.push(Action::Session(SessionAction::Unlock));
                    }
                });
            });
            for action in actions {
                self.apply(action);
            }
            return;
        }
        match self.screen {
            Screen::Users => {
                let mut user_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default()
                    .show(ui, |ui| self.users.ui(ui, lang, &mut user_actions));
                actions.extend(user_actions.into_iter().map(Action::User));
            }
            Screen::Reports => {
                let mut report_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default()
                    .show(ui, |ui| self.reports.ui(ui, lang, &mut report_actions));
                actions.extend(report_actions.into_iter().map(Action::Report));
            }
            Screen::Reprint => {
                let mut print_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("reprint")
                        .show(ui, |ui| {
                            self.reprint.ui(ui, lang, &mut print_actions);
                            printing::previews_ui(ui, &self.ticket_previews, 0.45);
                        })
                });
                actions.extend(print_actions.into_iter().map(Action::Print));
            }
            Screen::Printers => {
                let mut print_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("printers")
                        .show(ui, |ui| {
                            self.printers.ui(ui, lang, &mut print_actions);
                            printing::previews_ui(ui, &self.ticket_previews, 0.45);
                        })
                });
                actions.extend(print_actions.into_iter().map(Action::Print));
            }
            Screen::Reservations => {
                let mut reservation_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    self.reservations.ui(ui, lang, &mut reservation_actions)
                });
                actions.extend(reservation_actions.into_iter().map(Action::Reservation));
            }
            Screen::Operations => {
                let mut operations_actions = Vec::new();
                let lang = self.lang;
                let may_change = self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.role.may(crate::domain::Permission::Settings));
                egui::CentralPanel::default().show(ui, |ui| {
                    self.operations
                        .ui(ui, lang, may_change, &mut operations_actions)
                });
                actions.extend(operations_actions.into_iter().map(Action::Operations));
            }
            Screen::BackOffice(screen) => {
                let mut office_actions = Vec::new();
                let lang = self.lang;
                if let Some(session) = self.session.clone() {
                    egui::CentralPanel::default().show(ui, |ui| {
                        self.back_office.ui(
                            screen,
                            ui,
                            lang,
                            &session,
                            &self.catalog,
                            &mut office_actions,
                        )
                    });
                }
                actions.extend(office_actions.into_iter().map(Action::BackOffice));
            }
            Screen::Starting => {
                egui::CentralPanel::default().show(ui, |ui| match &self.start_error {
                    Some(error) => {
                        ui.colored_label(Color32::from_rgb(200, 60, 40), error);
                    }
                    None => {
                        ui.spinner();
                    }
                });
            }
            Screen::Login => {
                egui::CentralPanel::default().show(ui, |ui| self.login_ui(ui, &mut actions));
            }
            Screen::Sell => {
                if self.refund_panel.open {
                    let needs_manager = self
                        .session
                        .as_ref()
                        .is_none_or(|s| !s.role.may(crate::domain::Permission::RefundCash));
                    let mut manager_actions = Vec::new();
                    let lang = self.lang;
                    egui::Panel::right("refunds")
                        .resizable(false)
                        .exact_size(theme::REFUND_PANEL_WIDTH)
                        .show(ui, |ui| {
                            egui::ScrollArea::vertical()
                                .id_salt("refund")
                                .show(ui, |ui| {
                                    self.refund_panel.ui(
                                        ui,
                                        lang,
                                        needs_manager,
                                        &mut manager_actions,
                                    )
                                })
                        });
                    actions.extend(manager_actions.into_iter().map(Action::Manager));
                }
                egui::Panel::left("performances")
                    .resizable(false)
                    .exact_size(theme::PERFORMANCES_WIDTH)
                    .show(ui, |ui| self.performances_ui(ui, &mut actions));
                // One right panel at a time: the refund panel takes the seat map's place.
                if self.seat_map.view.is_some() && !self.refund_panel.open {
                    let lang = self.lang;
                    let tickets = self.cart.totals().n_tickets as usize;
                    let mut map_actions = Vec::new();
                    egui::Panel::right("seatmap")
                        .resizable(true)
                        .default_size(theme::SEAT_MAP_WIDTH)
                        .max_size(ui.available_width() * 0.5)
                        .show(ui, |ui| {
                            self.seat_map
                                .ui(ui, lang, &self.cart_token, tickets, &mut map_actions)
                        });
                    actions.extend(
                        map_actions
                            .into_iter()
                            .map(|a| Action::Cart(CartAction::SeatMap(a))),
                    );
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("sell")
                        .show(ui, |ui| self.sell_ui(ui, &mut actions))
                });
                self.cash_dialog_ui(&ctx, &mut actions);
                self.bank_dialog_ui(&ctx, &mut actions);
                if let Some(dialog) = &self.card_dialog
                    && dialog.ui(&ctx, self.lang, self.cart.totals().gross)
                {
                    actions.push(Action::Pay(PayAction::CancelCard));
                }
            }
            Screen::Receipt => {
                egui::CentralPanel::default().show(ui, |ui| {
                    self.receipt_ui(ui, &mut actions);
                    if let Some(order_number) =
                        self.last_sale.as_ref().map(|s| s.receipt.order_number)
                    {
                        ui.separator();
                        let mut mail_actions = Vec::new();
                        self.mail
                            .sms_ui(ui, self.lang, order_number, &mut mail_actions);
                        actions.extend(mail_actions.into_iter().map(Action::Mail));
                    }
                });
            }
        }
        if self.pending_card.open
            && let Some((attempt, decision)) = self.pending_card.ui(&ctx, self.lang)
        {
            actions.push(Action::ResolveCard(attempt, decision));
        }
        if self.shift_window.open {
            let mut manager_actions = Vec::new();
            let needs_manager = self
                .session
                .as_ref()
                .is_none_or(|s| !s.role.may(crate::domain::Permission::CloseShift));
            self.shift_window.currency = self.back_office.currency;
            self.shift_window
                .ui(&ctx, self.lang, needs_manager, &mut manager_actions);
            actions.extend(manager_actions.into_iter().map(Action::Manager));
        }
        if self.mail.open || self.mail.settings.open {
            let mut mail_actions = Vec::new();
            self.mail
                .failures_window_ui(&ctx, self.lang, &mut mail_actions);
            self.mail
                .settings_window_ui(&ctx, self.lang, &mut mail_actions);
            actions.extend(mail_actions.into_iter().map(Action::Mail));
        }
        if let Some(answer) = self.confirm_ui(&ctx) {
            actions.push(Action::Confirm(answer));
        }
        for action in actions {
            self.apply(action);
        }
        // A message belongs to the screen it was said on.
        if self.screen != screen_before {
            self.message = None;
            self.notice = None;
        }
        if let Some(probe) = &self.probe
            && (!probe.until_login || self.screen == Screen::Login)
        {
            println!(
                "first frame after {:.1} ms",
                probe.started.elapsed().as_secs_f64() * 1000.0
            );
            self.probe = None;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
