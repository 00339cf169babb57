//! Reading the GUI as a person does: through the accessibility tree (labels, roles, values),
//! never through the app's fields. The few nodes whose text alone does not say what they are
//! carry an AccessKit author id (the status line's `message` and `notice`, the cart's
//! `cart-quantity-*`).
#![allow(dead_code)]

use std::time::{Duration, Instant};

use boxoffice::domain::Money;
use boxoffice::i18n::{Lang, Text, tr};
use boxoffice::ui::BoxOfficeApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

pub type App<'a> = Harness<'a, BoxOfficeApp>;

/// Steps frames until `done` holds of what is on screen; the service thread works in real
/// time. The status line is said when it times out.
pub fn wait_for(harness: &mut App<'_>, what: &str, done: impl Fn(&App<'_>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what} (message: {:?}, asking: {})",
            message(harness),
            asks(harness)
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(2);
}

/// The text of a node: its label, else its value.
pub fn text_of<'t>(node: &impl NodeT<'t>) -> Option<String> {
    let node = node.accesskit_node();
    node.label().or(node.value())
}

/// Every text on screen, in tree order.
pub fn texts(harness: &App<'_>) -> Vec<String> {
    harness
        .query_all_by(|_| true)
        .filter_map(|n| text_of(&n))
        .collect()
}

fn named(harness: &App<'_>, name: &str) -> Option<String> {
    harness
        .query_by(|n| n.author_id() == Some(name))
        .and_then(|n| text_of(&n))
}

/// The red line at the bottom (what went wrong), if shown.
pub fn message(harness: &App<'_>) -> Option<String> {
    named(harness, "message")
}

/// The green line at the bottom (what was done), if shown.
pub fn notice(harness: &App<'_>) -> Option<String> {
    named(harness, "notice")
}

/// Whether a node with exactly this text is on screen.
pub fn shows(harness: &App<'_>, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}

/// Whether a node whose text contains `part` is on screen.
pub fn shows_part(harness: &App<'_>, part: &str) -> bool {
    texts(harness).iter().any(|t| t.contains(part))
}

/// Whether `text` is on screen in any of the three languages.
pub fn shows_any(harness: &App<'_>, text: Text) -> bool {
    Lang::ALL.iter().any(|&lang| shows(harness, tr(lang, text)))
}

/// The first text on screen that starts with `prefix`.
pub fn text_starting(harness: &App<'_>, prefix: &str) -> Option<String> {
    texts(harness).into_iter().find(|t| t.starts_with(prefix))
}

/// A question (Yes / No) is on screen.
pub fn asks(harness: &App<'_>) -> bool {
    Lang::ALL.iter().any(|&lang| {
        harness
            .query_all_by_role_and_label(Role::Button, tr(lang, Text::Yes))
            .next()
            .is_some()
            && harness
                .query_all_by_role_and_label(Role::Button, tr(lang, Text::No))
                .next()
                .is_some()
    })
}

/// The login screen is shown (its Log in button).
pub fn on_login(harness: &App<'_>) -> bool {
    Lang::ALL.iter().any(|&lang| {
        harness
            .query_all_by_role_and_label(Role::Button, tr(lang, Text::LogIn))
            .next()
            .is_some()
    })
}

/// The sell screen is shown (its performance list's heading).
pub fn on_sell(harness: &App<'_>) -> bool {
    shows_any(harness, Text::Performances)
}

/// The sell screen with a performance chosen from the catalogue (its F1 category button).
pub fn selling(harness: &App<'_>) -> bool {
    on_sell(harness)
        && harness
            .query_all_by(|n| {
                n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("F1  "))
            })
            .next()
            .is_some()
}

/// The receipt screen is shown (its New sale button).
pub fn on_receipt(harness: &App<'_>) -> bool {
    Lang::ALL.iter().any(|&lang| {
        harness
            .query_all_by_role_and_label(Role::Button, tr(lang, Text::NewSale))
            .next()
            .is_some()
    })
}

/// The cash dialog is open (its tendered field).
pub fn cash_dialog_open(harness: &App<'_>) -> bool {
    Lang::ALL.iter().any(|&lang| {
        harness
            .query_all_by_role_and_label(Role::TextInput, tr(lang, Text::Tendered))
            .next()
            .is_some()
    })
}

/// Tickets in the cart: the quantities of its lines as shown.
pub fn tickets_in_cart(harness: &App<'_>) -> u32 {
    harness
        .query_all_by(|n| {
            n.author_id()
                .is_some_and(|id| id.starts_with("cart-quantity-"))
        })
        .filter_map(|n| text_of(&n)?.parse::<u32>().ok())
        .sum()
}

/// The total as shown ("Yhteensä: 46,00 €").
pub fn total(harness: &App<'_>) -> Option<Money> {
    Lang::ALL.iter().find_map(|&lang| {
        let text = text_starting(harness, &format!("{}: ", tr(lang, Text::Total)))?;
        let amount = text.split_once(": ")?.1;
        let amount = amount.trim_end_matches(" €").trim_end_matches(" kr");
        Money::parse(amount).ok()
    })
}

/// The value of a text field.
pub fn field(harness: &App<'_>, role: Role, label: &str) -> String {
    harness
        .get_by_role_and_label(role, label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

/// The performance list's entries ("event\ndate\n12 left"), in list order.
pub fn performances(harness: &App<'_>) -> Vec<String> {
    harness
        .query_all_by(|n| {
            n.toggled().is_some() && n.label().is_some_and(|l| l.matches('\n').count() == 2)
        })
        .filter_map(|n| text_of(&n))
        .collect()
}

/// The chosen performance: its place in the list and its entry.
pub fn chosen_performance(harness: &App<'_>) -> Option<(usize, String)> {
    harness
        .query_all_by(|n| {
            n.toggled().is_some() && n.label().is_some_and(|l| l.matches('\n').count() == 2)
        })
        .enumerate()
        .find(|(_, n)| n.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True))
        .and_then(|(at, n)| Some((at, text_of(&n)?)))
}

/// The seat map is shown (its "Seats chosen" line).
pub fn seat_map_shown(harness: &App<'_>) -> bool {
    Lang::ALL.iter().any(|&lang| {
        text_starting(harness, &format!("{}: ", tr(lang, Text::SeatsChosen))).is_some()
    })
}

/// Empties a text field as a person does: select all, delete.
pub fn clear_field(harness: &mut App<'_>, role: Role, label: &str) {
    harness.get_by_role_and_label(role, label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    harness.run_steps(1);
}
