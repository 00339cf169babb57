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
                actions.push(Action::Session(SessionAction::Unlock));
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
            actions.push(Action::Session(SessionAction::Lock));
            return;
        }
        if ctrl(Key::I) {
            actions.push(Action::Go(GoAction::ToggleOperations));
        }
        if self.bank_payment.is_some() {
            if pressed(Key::Escape) {
                actions.push(Action::Pay(PayAction::CancelBank));
            }
            return;
        }
        if self.session.is_some() && ctrl(Key::R) {
            actions.push(Action::Go(GoAction::ToggleReservations));
        }
        if self.session.is_some() && ctrl(Key::P) {
            actions.push(Action::Go(GoAction::ToggleReprint));
        }
        if self.session.is_some() && pressed(Key::F11) {
            actions.push(Action::Go(GoAction::ToggleRefunds));
        }
        if self.session.is_some() && pressed(Key::F12) {
            actions.push(Action::Go(GoAction::OpenShiftWindow));
        }
        match self.screen {
            Screen::Login if pressed(Key::Enter) => {
                actions.push(Action::Session(SessionAction::Login))
            }
            Screen::Sell if self.card_dialog.is_some() && pressed(Key::Escape) => {
                actions.push(Action::Pay(PayAction::CancelCard));
            }
            Screen::Sell if self.card_dialog.is_some() => {}
            Screen::Sell if self.cash_tendered.is_some() => {
                if pressed(Key::Enter) {
                    actions.push(Action::Pay(PayAction::CompleteCash));
                }
                if pressed(Key::Escape) {
                    actions.push(Action::Pay(PayAction::CloseCash));
                }
                if pressed(Key::F1) {
                    actions.push(Action::Pay(PayAction::SetTendered(self.cash_due())));
                }
                for (key, euros) in [Key::F2, Key::F3, Key::F4, Key::F5]
                    .into_iter()
                    .zip(QUICK_TENDER_EUROS)
                {
                    if pressed(key) {
                        actions.push(Action::Pay(PayAction::SetTendered(Money::from_euros(
                            euros,
                        ))));
                    }
                }
            }
            Screen::Sell => {
                for (index, key) in CATEGORY_KEYS.iter().enumerate() {
                    if pressed(*key) {
                        actions.push(Action::Cart(CartAction::AddTicket(index)));
                    }
                }
                if pressed(Key::F10) {
                    actions.push(Action::Pay(PayAction::OpenCash));
                }
                if ctrl(Key::B) {
                    actions.push(Action::Pay(PayAction::PayBank));
                }
                if ctrl(Key::A) && self.seat_map.view.is_some() {
                    actions.push(Action::Cart(CartAction::SeatMap(SeatMapAction::Best {
                        wheelchair: self.seat_map.wheelchair,
                    })));
                }
                if ctrl(Key::K) {
                    actions.push(Action::Pay(PayAction::PayCard));
                }
                if ctrl(Key::E) {
                    actions.push(Action::Pay(PayAction::Reserve));
                }
                let filter_focused = ctx.memory(|m| m.has_focus(performance_filter_id()));
                if !typing || filter_focused {
                    if pressed(Key::ArrowDown) {
                        actions.push(Action::Cart(CartAction::StepPerformance(1)));
                    }
                    if pressed(Key::ArrowUp) {
                        actions.push(Action::Cart(CartAction::StepPerformance(-1)));
                    }
                }
                if !typing && pressed(Key::Delete) {
                    actions.push(Action::Cart(CartAction::VoidLastLine));
                }
                if pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
            Screen::Receipt if pressed(Key::Enter) || pressed(Key::Escape) => {
                actions.push(Action::Cart(CartAction::NewSale))
            }
            _ => {
                if pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
        }
    }
}
