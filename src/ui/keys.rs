//! The keyboard: every key of the counter (docs/ui.md keeps the keymap).

use super::*;

impl BoxOfficeApp {
    pub(super) fn keyboard(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let pressed = |key: Key| ctx.input(|i| i.key_pressed(key));
        let ctrl = |key: Key| ctx.input(|i| i.modifiers.command && i.key_pressed(key));
        // Keys that would otherwise edit text act only when no text field has the keyboard.
        let typing = ctx.egui_wants_keyboard_input();
        if self.locked {
            if pressed(Key::Enter) {
                actions.push(Action::Unlock);
            }
            return;
        }
        if self.confirm.is_some() {
            if pressed(Key::Enter) {
                actions.push(Action::Confirm(true));
            } else if pressed(Key::Escape) {
                actions.push(Action::Confirm(false));
            }
            return;
        }
        if self.session.is_some() && ctrl(Key::L) {
            actions.push(Action::Lock);
            return;
        }
        if ctrl(Key::I) {
            actions.push(Action::ToggleOperations);
        }
        if self.bank_payment.is_some() {
            if pressed(Key::Escape) {
                actions.push(Action::CancelBank);
            }
            return;
        }
        if self.session.is_some() && ctrl(Key::R) {
            actions.push(Action::ToggleReservations);
        }
        if self.session.is_some() && ctrl(Key::P) {
            actions.push(Action::ToggleReprint);
        }
        if self.session.is_some() && pressed(Key::F11) {
            actions.push(Action::ToggleRefunds);
        }
        if self.session.is_some() && pressed(Key::F12) {
            actions.push(Action::OpenShiftWindow);
        }
        match self.screen {
            Screen::Login if pressed(Key::Enter) => actions.push(Action::Login),
            Screen::Sell if self.card_dialog.is_some() && pressed(Key::Escape) => {
                actions.push(Action::CancelCard);
            }
            Screen::Sell if self.card_dialog.is_some() => {}
            Screen::Sell if self.cash_tendered.is_some() => {
                if pressed(Key::Enter) {
                    actions.push(Action::CompleteCash);
                }
                if pressed(Key::Escape) {
                    actions.push(Action::CloseCash);
                }
                if pressed(Key::F1) {
                    actions.push(Action::SetTendered(self.cash_due()));
                }
                for (key, euros) in [Key::F2, Key::F3, Key::F4, Key::F5]
                    .into_iter()
                    .zip(QUICK_TENDER_EUROS)
                {
                    if pressed(key) {
                        actions.push(Action::SetTendered(Money::from_euros(euros)));
                    }
                }
            }
            Screen::Sell => {
                for (index, key) in CATEGORY_KEYS.iter().enumerate() {
                    if pressed(*key) {
                        actions.push(Action::AddTicket(index));
                    }
                }
                if pressed(Key::F10) {
                    actions.push(Action::OpenCash);
                }
                if ctrl(Key::B) {
                    actions.push(Action::PayBank);
                }
                if ctrl(Key::A) && self.seat_map.view.is_some() {
                    actions.push(Action::SeatMap(SeatMapAction::Best {
                        wheelchair: self.seat_map.wheelchair,
                    }));
                }
                if ctrl(Key::K) {
                    actions.push(Action::PayCard);
                }
                if ctrl(Key::E) {
                    actions.push(Action::Reserve);
                }
                let filter_focused = ctx.memory(|m| m.has_focus(performance_filter_id()));
                if !typing || filter_focused {
                    if pressed(Key::ArrowDown) {
                        actions.push(Action::StepPerformance(1));
                    }
                    if pressed(Key::ArrowUp) {
                        actions.push(Action::StepPerformance(-1));
                    }
                }
                if !typing && pressed(Key::Delete) {
                    actions.push(Action::VoidLastLine);
                }
                if pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
            Screen::Receipt if pressed(Key::Enter) || pressed(Key::Escape) => {
                actions.push(Action::NewSale)
            }
            _ => {
                if pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
        }
    }
}
