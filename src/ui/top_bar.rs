//! The top bar: title, user, the keys a cashier presses hourly, and the "More" menu.

use super::*;

impl BoxOfficeApp {
    /// The top bar: the title and who is logged in on the left; on the right what a cashier
    /// presses every hour, and everything else in the "More" menu so the bar never overflows.
    pub(super) fn top_bar_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(tr(lang, Text::AppTitle))
                    .size(theme::TITLE_SIZE)
                    .strong(),
            );
            if let Some(session) = &self.session {
                ui.add(
                    egui::Label::new(format!(
                        "{} ({})",
                        session.name,
                        crate::i18n::role_name(lang, session.role)
                    ))
                    .truncate(),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(session) = &self.session {
                    ui.menu_button(tr(lang, Text::More), |ui| {
                        self.more_menu_ui(ui, session, actions)
                    });
                    if ui.button(tr(lang, Text::LogOut)).clicked() {
                        actions.push(Action::Session(SessionAction::Logout));
                    }
                    if ui.button(tr(lang, Text::Lock)).clicked() {
                        actions.push(Action::Session(SessionAction::Lock));
                    }
                    if ui
                        .selectable_label(self.shift_window.open, tr(lang, Text::Shift))
                        .clicked()
                    {
                        actions.push(Action::Go(GoAction::OpenShiftWindow));
                    }
                    if ui
                        .selectable_label(self.refund_panel.open, tr(lang, Text::Refunds))
                        .clicked()
                    {
                        actions.push(Action::Go(GoAction::ToggleRefunds));
                    }
                }
                let failing = self
                    .operations
                    .statuses
                    .as_ref()
                    .is_some_and(|all| all.iter().any(|s| !s.ok))
                    || self.operations.shared_ledger_down(lang).is_some();
                let status = RichText::new(format!("● {}", tr(lang, Text::Operations)))
                    .color(if failing { theme::BAD } else { theme::GOOD });
                if ui
                    .selectable_label(self.screen == Screen::Operations, status)
                    .on_hover_text("Ctrl+I")
                    .clicked()
                {
                    actions.push(Action::Go(GoAction::ToggleOperations));
                }
                if self.session.is_some() {
                    let mut mail_actions = Vec::new();
                    self.mail.failure_count_ui(ui, lang, &mut mail_actions);
                    actions.extend(mail_actions.into_iter().map(Action::Mail));
                }
                if self.busy {
                    ui.spinner();
                }
            });
        });
        if let Some(down) = self.operations.shared_ledger_down(lang) {
            ui.colored_label(theme::BAD, down);
        }
    }

    /// Everything a cashier does not press every hour, by role.
    fn more_menu_ui(&self, ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
        self.counter_items_ui(ui, session, actions);
        self.settings_items_ui(ui, session, actions);
    }

    /// The counter's lists: reservations, reprint, reports, card payments to resolve.
    fn counter_items_ui(&self, ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let may = |p| session.role.may(p);
        use crate::domain::Permission;
        if item(
            ui,
            self.screen == Screen::Reservations,
            format!("{} (Ctrl+R)", tr(lang, Text::Reservations)),
        ) {
            actions.push(Action::Go(GoAction::ToggleReservations));
        }
        if may(Permission::Reprint)
            && item(
                ui,
                self.screen == Screen::Reprint,
                format!("{} (Ctrl+P)", tr(lang, Text::Reprint)),
            )
        {
            actions.push(Action::Go(GoAction::ToggleReprint));
        }
        if may(Permission::CloseShift)
            && item(
                ui,
                self.screen == Screen::Reports,
                tr(lang, Text::Reports).to_string(),
            )
        {
            actions.push(Action::Go(GoAction::ToggleReports));
        }
        if may(Permission::CloseShift) && item(ui, false, tr(lang, Text::CardResolve).to_string()) {
            actions.push(Action::Go(GoAction::OpenPendingCard));
        }
    }

    /// Users, printers, mail settings, devices, seat plans, receipt settings.
    fn settings_items_ui(&self, ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let may = |p| session.role.may(p);
        use crate::domain::Permission;
        if may(Permission::ManageUsers)
            && item(
                ui,
                self.screen == Screen::Users,
                tr(lang, Text::Users).to_string(),
            )
        {
            actions.push(Action::Go(GoAction::ToggleUsers));
        }
        if may(Permission::Settings)
            && item(
                ui,
                self.screen == Screen::Printers,
                tr(lang, Text::Printers).to_string(),
            )
        {
            actions.push(Action::Go(GoAction::TogglePrinters));
        }
        if may(Permission::Settings) && item(ui, false, tr(lang, Text::MailSettings).to_string()) {
            actions.push(Action::Mail(MailAction::OpenSettings));
        }
        for (permission, screen, text) in [
            (
                Permission::CloseShift,
                BackOfficeScreen::Devices,
                ["Laitteet", "Enheter", "Devices"],
            ),
            (
                Permission::HoldSeats,
                BackOfficeScreen::SeatPlans,
                ["Paikkakartat", "Platskartor", "Seat plans"],
            ),
            (
                Permission::Settings,
                BackOfficeScreen::ReceiptSettings,
                ["Kuittiasetukset", "Kvittoinställningar", "Receipt settings"],
            ),
        ] {
            if may(permission)
                && item(
                    ui,
                    self.screen == Screen::BackOffice(screen),
                    devices::t(lang, text).to_string(),
                )
            {
                actions.push(Action::Go(GoAction::ShowBackOffice(screen)));
            }
        }
    }
}

/// A menu entry; the menu closes when it is clicked.
fn item(ui: &mut egui::Ui, selected: bool, text: String) -> bool {
    let clicked = ui.selectable_label(selected, text).clicked();
    if clicked {
        ui.close();
    }
    clicked
}
