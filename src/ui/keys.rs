//! The keyboard: every key of the counter (docs/ui.md keeps the keymap).

use super::*;

/// Whether a key was pressed this frame (with Ctrl / Cmd for [`Keys::ctrl`]).
struct Keys<'a>(&'a egui::Context);

impl Keys<'_> {
    fn pressed(&self, key: Key) -> bool {
        self.0.input(|i| i.key_pressed(key))
    }

    fn ctrl(&self, key: Key) -> bool {
        self.0.input(|i| i.modifiers.command && i.key_pressed(key))
    }
}

impl BoxOfficeApp {
    pub(super) fn keyboard(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let keys = Keys(ctx);
        if self.locked {
            if keys.pressed(Key::Enter) {
                actions.push(Action::Session(SessionAction::Unlock));
            }
            return;
        }
        if self.confirm.is_some() {
            if keys.pressed(Key::Enter) {
                actions.push(Action::Confirm(true));
            } else if keys.pressed(Key::Escape) {
                actions.push(Action::Confirm(false));
            }
            return;
        }
        if !self.global_keys(&keys, actions) {
            return;
        }
        match self.screen {
            Screen::Login if keys.pressed(Key::Enter) => {
                actions.push(Action::Session(SessionAction::Login))
            }
            Screen::Sell if self.sell.card_dialog.is_some() && keys.pressed(Key::Escape) => {
                actions.push(Action::Pay(PayAction::CancelCard));
            }
            Screen::Sell if self.sell.card_dialog.is_some() => {}
            Screen::Sell if self.sell.cash_tendered.is_some() => self.cash_keys(&keys, actions),
            Screen::Sell => self.sell_keys(ctx, &keys, actions),
            Screen::Receipt if keys.pressed(Key::Enter) || keys.pressed(Key::Escape) => {
                actions.push(Action::Cart(CartAction::NewSale))
            }
            _ => {
                if keys.pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
        }
    }

    /// Keys that work on every screen; `false` when the frame's keys end here (lock, bank
    /// payment running).
    fn global_keys(&self, keys: &Keys, actions: &mut Vec<Action>) -> bool {
        let logged_in = self.session.is_some();
        if logged_in && keys.ctrl(Key::L) {
            actions.push(Action::Session(SessionAction::Lock));
            return false;
        }
        if keys.ctrl(Key::I) {
            actions.push(Action::Go(GoAction::ToggleOperations));
        }
        if self.sell.bank_payment.is_some() {
            if keys.pressed(Key::Escape) {
                actions.push(Action::Pay(PayAction::CancelBank));
            }
            return false;
        }
        if !logged_in {
            return true;
        }
        if keys.ctrl(Key::R) {
            actions.push(Action::Go(GoAction::ToggleReservations));
        }
        if keys.ctrl(Key::P) {
            actions.push(Action::Go(GoAction::ToggleReprint));
        }
        if keys.pressed(Key::F11) {
            actions.push(Action::Go(GoAction::ToggleRefunds));
        }
        if keys.pressed(Key::F12) {
            actions.push(Action::Go(GoAction::OpenShiftWindow));
        }
        true
    }

    /// The cash dialog: Enter completes, Esc closes, F1 exact cash, F2…F5 quick amounts.
    fn cash_keys(&self, keys: &Keys, actions: &mut Vec<Action>) {
        if keys.pressed(Key::Enter) {
            actions.push(Action::Pay(PayAction::CompleteCash));
        }
        if keys.pressed(Key::Escape) {
            actions.push(Action::Pay(PayAction::CloseCash));
        }
        if keys.pressed(Key::F1) {
            actions.push(Action::Pay(PayAction::SetTendered(self.cash_due())));
        }
        for (key, euros) in [Key::F2, Key::F3, Key::F4, Key::F5]
            .into_iter()
            .zip(QUICK_TENDER_EUROS)
        {
            if keys.pressed(key) {
                actions.push(Action::Pay(PayAction::SetTendered(Money::from_euros(
                    euros,
                ))));
            }
        }
    }

    /// The sell screen: categories, payments, the performance list, void and clear.
    fn sell_keys(&self, ctx: &egui::Context, keys: &Keys, actions: &mut Vec<Action>) {
        // Keys that would otherwise edit text act only when no text field has the keyboard.
        let typing = ctx.egui_wants_keyboard_input();
        for (index, key) in CATEGORY_KEYS.iter().enumerate() {
            if keys.pressed(*key) {
                actions.push(Action::Cart(CartAction::AddTicket(index)));
            }
        }
        let payments = [
            (Key::F10, false, PayAction::OpenCash),
            (Key::B, true, PayAction::PayBank),
            (Key::K, true, PayAction::PayCard),
            (Key::E, true, PayAction::Reserve),
        ];
        for (key, with_ctrl, action) in payments {
            if (with_ctrl && keys.ctrl(key)) || (!with_ctrl && keys.pressed(key)) {
                actions.push(Action::Pay(action));
            }
        }
        if keys.ctrl(Key::A) && self.sell.seat_map.view.is_some() {
            actions.push(Action::Cart(CartAction::SeatMap(SeatMapAction::Best {
                wheelchair: self.sell.seat_map.wheelchair,
            })));
        }
        let filter_focused = ctx.memory(|m| m.has_focus(performance_filter_id()));
        if !typing || filter_focused {
            if keys.pressed(Key::ArrowDown) {
                actions.push(Action::Cart(CartAction::StepPerformance(1)));
            }
            if keys.pressed(Key::ArrowUp) {
                actions.push(Action::Cart(CartAction::StepPerformance(-1)));
            }
        }
        if !typing && keys.pressed(Key::Delete) {
            actions.push(Action::Cart(CartAction::VoidLastLine));
        }
        if keys.pressed(Key::Escape) {
            actions.push(Action::Back);
        }
    }
}
