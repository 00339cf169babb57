//! One frame: events in, the screen drawn, the frame's actions applied.

use super::*;

impl eframe::App for BoxOfficeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_events();
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
        self.drain_events();
        let ctx = ui.ctx().clone();
        self.upload_previews(&ctx);
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
        self.status_lines_ui(ui);
        self.timers(&ctx);
        if self.locked {
            self.lock_screen_ui(ui, &mut actions);
        } else {
            self.screen_ui(ui, &mut actions);
            self.windows_ui(&ctx, &mut actions);
        }
        for action in actions {
            self.apply(action);
        }
        // A message belongs to the screen it was said on.
        if self.screen != screen_before {
            self.message = None;
            self.notice = None;
        }
        self.probe_first_frame(&ctx);
    }
}

impl BoxOfficeApp {
    fn drain_events(&mut self) {
        while let Some(event) = self.worker.try_recv() {
            self.handle_event(event);
        }
    }

    /// Pictures drawn by the service thread become textures (on the UI thread).
    fn upload_previews(&mut self, ctx: &egui::Context) {
        if let Some(pictures) = self.pending_previews.take() {
            self.ticket_previews = pictures
                .iter()
                .enumerate()
                .map(|(i, picture)| printing::preview_texture(ctx, &format!("ticket-{i}"), picture))
                .collect();
        }
    }

    /// The red message or the green notice at the bottom.
    fn status_lines_ui(&self, ui: &mut egui::Ui) {
        if let Some(message) = self
            .message
            .as_ref()
            .filter(|_| self.screen != Screen::Login)
        {
            egui::Panel::bottom("message").show(ui, |ui| {
                let line =
                    ui.add(egui::Label::new(RichText::new(message).color(theme::BAD)).wrap());
                test_name(ui, &line, "message");
            });
        }
        if let Some(notice) = self.notice.as_ref().filter(|_| self.message.is_none()) {
            egui::Panel::bottom("notice").show(ui, |ui| {
                let line =
                    ui.add(egui::Label::new(RichText::new(notice).color(theme::GOOD)).wrap());
                test_name(ui, &line, "notice");
            });
        }
    }

    /// What runs by the clock: the reservation check, the clipboard, the idle lock.
    fn timers(&mut self, ctx: &egui::Context) {
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
                self.sell.cash_tendered = None;
            } else {
                ctx.request_repaint_after(self.lock_after - idle);
            }
        }
    }

    fn lock_screen_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
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
    }

    /// The screen shown: the counter's own (login, sell, receipt) or one behind [`View`].
    fn screen_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let cx = ViewContext {
            lang: self.lang,
            session: self.session.as_ref(),
            catalog: &self.sell.catalog,
            currency: self.back_office.currency,
        };
        match self.screen {
            Screen::Users => show(ui, &mut self.users, &cx, actions, Action::User),
            Screen::Reports => show(ui, &mut self.reports, &cx, actions, Action::Report),
            Screen::Reprint => {
                let previews = &self.ticket_previews;
                show_scrolling(ui, &mut self.reprint, &cx, actions, Action::Print, previews);
            }
            Screen::Printers => {
                let previews = &self.ticket_previews;
                show_scrolling(
                    ui,
                    &mut self.printers,
                    &cx,
                    actions,
                    Action::Print,
                    previews,
                );
            }
            Screen::Reservations => show(
                ui,
                &mut self.reservations,
                &cx,
                actions,
                Action::Reservation,
            ),
            Screen::Operations => show(ui, &mut self.operations, &cx, actions, Action::Operations),
            Screen::BackOffice(screen) => {
                self.back_office.shown = screen;
                show(ui, &mut self.back_office, &cx, actions, Action::BackOffice)
            }
            Screen::Starting => {
                egui::CentralPanel::default().show(ui, |ui| match &self.start_error {
                    Some(error) => {
                        ui.colored_label(theme::BAD, error);
                    }
                    None => {
                        ui.spinner();
                    }
                });
            }
            Screen::Login => {
                egui::CentralPanel::default().show(ui, |ui| self.login_ui(ui, actions));
            }
            Screen::Sell => self.sell_screen_ui(ui, actions),
            Screen::Receipt => {
                egui::CentralPanel::default().show(ui, |ui| {
                    self.receipt_ui(ui, actions);
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
    }

    /// The sell screen: performances left, the sale in the middle, the refund panel or the seat
    /// map right, and the payment dialogs over it.
    fn sell_screen_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if self.refund_panel.open {
            let needs_manager = !self.may(crate::domain::Permission::RefundCash);
            let mut manager_actions = Vec::new();
            let lang = self.lang;
            egui::Panel::right("refunds")
                .resizable(false)
                .exact_size(theme::REFUND_PANEL_WIDTH)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("refund")
                        .show(ui, |ui| {
                            self.refund_panel.currency = self.back_office.currency;
                            self.refund_panel
                                .ui(ui, lang, needs_manager, &mut manager_actions)
                        })
                });
            actions.extend(manager_actions.into_iter().map(Action::Manager));
        }
        let cx = sell::SellContext {
            lang: self.lang,
            currency: self.back_office.currency,
            session: self.session.as_ref(),
            busy: self.busy,
            covered: self.confirm.is_some() || self.shift_window.open,
            refund_panel_open: self.refund_panel.open,
            mail: &self.mail,
        };
        self.sell.ui(ui, &cx, actions);
    }

    /// Windows over any screen: card payments to resolve, the shift, mail, the question asked.
    fn windows_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.pending_card.open
            && let Some((attempt, decision)) =
                self.pending_card
                    .ui(ctx, self.lang, self.back_office.currency)
        {
            actions.push(Action::ResolveCard(attempt, decision));
        }
        if self.shift_window.open {
            let mut manager_actions = Vec::new();
            let needs_manager = !self.may(crate::domain::Permission::CloseShift);
            self.shift_window.currency = self.back_office.currency;
            self.shift_window
                .ui(ctx, self.lang, needs_manager, &mut manager_actions);
            actions.extend(manager_actions.into_iter().map(Action::Manager));
        }
        if self.mail.open || self.mail.settings.open {
            let mut mail_actions = Vec::new();
            self.mail
                .failures_window_ui(ctx, self.lang, &mut mail_actions);
            self.mail
                .settings_window_ui(ctx, self.lang, &mut mail_actions);
            actions.extend(mail_actions.into_iter().map(Action::Mail));
        }
        if let Some(answer) = self.confirm_ui(ctx) {
            actions.push(Action::Confirm(answer));
        }
    }

    /// Whether the logged-in user may do `permission` (the services check again).
    pub(super) fn may(&self, permission: crate::domain::Permission) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.role.may(permission))
    }

    fn probe_first_frame(&mut self, ctx: &egui::Context) {
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

/// A [`View`] in the central panel; its actions join the frame's.
fn show<V: View>(
    ui: &mut egui::Ui,
    view: &mut V,
    cx: &ViewContext,
    actions: &mut Vec<Action>,
    wrap: impl Fn(V::Action) -> Action,
) {
    let mut own = Vec::new();
    egui::CentralPanel::default().show(ui, |ui| view.ui(ui, cx, &mut own));
    actions.extend(own.into_iter().map(wrap));
}

/// A [`View`] that scrolls as one with the ticket pictures under it (reprint, printers).
fn show_scrolling<V: View>(
    ui: &mut egui::Ui,
    view: &mut V,
    cx: &ViewContext,
    actions: &mut Vec<Action>,
    wrap: impl Fn(V::Action) -> Action,
    previews: &[egui::TextureHandle],
) {
    let mut own = Vec::new();
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(std::any::type_name::<V>())
            .show(ui, |ui| {
                view.ui(ui, cx, &mut own);
                printing::previews_ui(ui, cx.lang, previews, 0.45);
            })
    });
    actions.extend(own.into_iter().map(wrap));
}
