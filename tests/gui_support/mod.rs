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

/// The app on a counter's data directory; with `shared` (the counter's shared ledger when the
/// tests run on PostgreSQL, `Counter::shared_url`) on that register of the shared ledger, as
/// `boxoffice --database URL` starts it.
pub fn app_on(
    ctx: &egui::Context,
    data_dir: std::path::PathBuf,
    shared: Option<String>,
) -> BoxOfficeApp {
    match shared {
        Some(url) => BoxOfficeApp::on_shared(ctx, data_dir, url),
        None => BoxOfficeApp::new(ctx, data_dir),
    }
}

/// Steps frames until `done` holds of what is on screen; the service thread works in real
/// time (devices and servers answer within two minutes). What is on screen is said when it
/// times out.
pub fn wait_for(harness: &mut App<'_>, what: &str, done: impl Fn(&App<'_>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !done(harness) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what} (message: {:?}, asking: {}); on screen: {:?}",
            message(harness),
            asks(harness),
            texts(harness)
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

/// Every text on screen, in tree order (a label once, not again for its text run).
pub fn texts(harness: &App<'_>) -> Vec<String> {
    harness
        .query_all_by(|n| n.role() != Role::TextRun)
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

/// The text that follows `label` on screen (a figure's value in a two-column grid).
pub fn after(harness: &App<'_>, label: &str) -> Option<String> {
    let texts = texts(harness);
    let at = texts.iter().position(|t| t == label)?;
    texts.get(at + 1).cloned()
}

/// The shift window's report heading: "X · kassa 1", "Z 1 · kassa 1" or the day's Z.
pub fn shift_report(harness: &App<'_>) -> Option<String> {
    texts(harness).into_iter().find(|t| {
        (t.starts_with("X · ") || t.starts_with("Z ") && t.contains(" · "))
            || Lang::ALL.iter().any(|&lang| {
                t.starts_with(&format!("{} ", tr(lang, Text::DayZ))) && t.contains(" · ")
            })
    })
}

/// An open shift's X report is in the shift window.
pub fn x_report_shown(harness: &App<'_>) -> bool {
    shift_report(harness).is_some_and(|t| t.starts_with("X · "))
}

/// A shift's Z report (the shift is closed) is in the shift window: its number.
pub fn z_report_number(harness: &App<'_>) -> Option<u32> {
    let title = shift_report(harness)?;
    title.strip_prefix("Z ")?.split(' ').next()?.parse().ok()
}

/// The rows of the report table called `name` (its title node carries them).
pub fn report_rows(harness: &App<'_>, name: &str) -> Option<usize> {
    let id = format!("report-{name}");
    harness
        .query_all_by(|n| n.author_id() == Some(id.as_str()))
        .next()
        .and_then(|n| n.accesskit_node().data().row_count())
}

/// The lock screen is up.
pub fn locked(harness: &App<'_>) -> bool {
    shows_any(harness, Text::Locked)
}

/// The refund panel is open (its search field).
pub fn refund_panel_open(harness: &App<'_>) -> bool {
    Lang::ALL.iter().any(|&lang| {
        harness
            .query_all_by_role_and_label(Role::TextInput, tr(lang, Text::Search))
            .next()
            .is_some()
    })
}

/// The order opened in the refund panel ("Tilausnumero 1 – Nummisuutarit").
pub fn refund_order(harness: &App<'_>) -> Option<String> {
    Lang::ALL.iter().find_map(|&lang| {
        let prefix = format!("{} ", tr(lang, Text::OrderNumber));
        texts(harness)
            .into_iter()
            .find(|t| t.starts_with(&prefix) && t.contains(" – "))
    })
}

/// The refund panel's search hits ("#1 · name · event · amount").
pub fn refund_hits(harness: &App<'_>) -> usize {
    texts(harness)
        .iter()
        .filter(|t| t.starts_with('#') && t.contains(" · "))
        .count()
}

/// Whether the ticket with `code` is ticked in the refund panel.
pub fn ticked(harness: &App<'_>, code: &str) -> bool {
    let shown = boxoffice::i18n::code_text(code);
    harness
        .query_all_by(|n| {
            n.role() == Role::CheckBox && n.label().is_some_and(|l| l.starts_with(&shown))
        })
        .any(|n| n.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True))
}

/// The refund's result line ("Palautuskuitti 1: …").
pub fn refund_result(harness: &App<'_>) -> Option<String> {
    Lang::ALL
        .iter()
        .find_map(|&lang| text_starting(harness, &format!("{} ", tr(lang, Text::RefundReceipt))))
}

/// Ticket pictures on screen ("Lippu 1", "Lippu 2", …).
pub fn ticket_pictures(harness: &App<'_>) -> usize {
    harness.query_all_by(|n| n.role() == Role::Image).count()
}

/// Ticket codes on screen as printed (with their hyphens), as raw codes, in tree order.
pub fn codes_on_screen(harness: &App<'_>) -> Vec<String> {
    texts(harness)
        .iter()
        .filter(|t| t.contains('-'))
        .filter_map(|t| boxoffice::domain::TicketCode::parse(t))
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Users listed on the users screen (each has its "set PIN" button).
pub fn users_listed(harness: &App<'_>) -> usize {
    Lang::ALL
        .iter()
        .map(|&lang| {
            harness
                .query_all_by_role_and_label(Role::Button, tr(lang, Text::SetPin))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// A line of the status screen: whether it is fine ("● OK" before its name) and its fact (after
/// the time it was last seen).
pub fn status_line(harness: &App<'_>, name: &str) -> Option<(bool, String)> {
    let texts = texts(harness);
    let at = texts.iter().position(|t| t == name)?;
    let ok = texts.get(at.checked_sub(1)?)? == "● OK";
    Some((ok, texts.get(at + 2).cloned().unwrap_or_default()))
}

/// The status screen's last-error line under the line of `name`, if it has one.
pub fn status_last_error(harness: &App<'_>, name: &str) -> Option<String> {
    let texts = texts(harness);
    let at = texts.iter().position(|t| t == name)?;
    // Name, time, fact; then the next row: empty cells and the last error, or the next line.
    texts
        .iter()
        .skip(at + 3)
        .find(|t| !t.is_empty())
        .filter(|t| {
            Lang::ALL
                .iter()
                .any(|&l| t.starts_with(tr(l, Text::LastError)))
        })
        .cloned()
}

/// The receipt's card payments ("Kortti VISA ****1234: 12,50 €"): their amounts.
pub fn card_lines(harness: &App<'_>) -> Vec<Money> {
    texts(harness)
        .iter()
        .filter(|t| {
            // One line; the card's own receipt below it is several.
            !t.contains('\n')
                && Lang::ALL
                    .iter()
                    .any(|&lang| t.starts_with(&format!("{} ", tr(lang, Text::Card))))
        })
        .filter_map(|t| {
            let amount = t.rsplit_once(": ")?.1;
            Money::parse(amount.trim_end_matches(" €").trim_end_matches(" kr")).ok()
        })
        .collect()
}

/// The mail settings window's servers ("relay (oletus)", …; radio buttons) and which is chosen.
pub fn mail_servers(harness: &App<'_>) -> Vec<(String, bool)> {
    let Some(window) = Lang::ALL.iter().find_map(|&lang| {
        harness
            .query_all_by_role_and_label(Role::Window, tr(lang, Text::MailSettings))
            .next()
    }) else {
        return Vec::new();
    };
    window
        .query_all_by(|n| n.role() == Role::RadioButton && n.toggled().is_some())
        .filter_map(|n| {
            let chosen = n.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True);
            Some((text_of(&n)?, chosen))
        })
        .collect()
}

/// Rows of the mail failures window ("Tilausnumero 1 – asiakas@example.com").
pub fn mail_failures(harness: &App<'_>) -> Vec<String> {
    Lang::ALL
        .iter()
        .flat_map(|&lang| {
            let prefix = format!("{} ", tr(lang, Text::OrderNumber));
            texts(harness)
                .into_iter()
                .filter(move |t| t.starts_with(&prefix) && t.contains(" – ") && t.contains('@'))
        })
        .collect()
}
