//! Image snapshots of the main screens at the counter size (1280×768), rendered by wgpu (in
//! software where there is no GPU: Mesa's llvmpipe through Vulkan, `mesa-vulkan-drivers`) and
//! compared with the pictures in `tests/snapshots/`. The demo's performances are dated from
//! today and the status screen names a temporary directory, so a few hundred pixels of text
//! differ from day to day: the tolerance allows that much and no layout change.
//!
//! After a deliberate change of a screen: `UPDATE_SNAPSHOTS=1 cargo test --test gui_snapshots`,
//! then look at every changed picture before committing it.

#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
mod gui_support;

use std::time::Duration;

use boxoffice::ui::BoxOfficeApp;
use common::Counter;
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};

/// Pixels that may differ (of 983 040): the dates of the day, a temporary path, a port.
const MAX_FAILED_PIXELS: usize = 6_000;
/// The receipt shows three random ticket codes with their QR codes.
const RECEIPT_MAX_FAILED_PIXELS: usize = 25_000;

/// Waits until `done` holds of the screen (see `gui_support::wait_for`), then lets it settle.
fn wait_until(
    harness: &mut Harness<'_, BoxOfficeApp>,
    what: &str,
    done: impl Fn(&Harness<'_, BoxOfficeApp>) -> bool,
) {
    gui_support::wait_for(harness, what, done);
    // Let spinners stop and the last answers arrive.
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn key(harness: &mut Harness<'_, BoxOfficeApp>, key: Key) {
    harness.key_press(key);
    harness.run_steps(3);
}

fn ctrl(harness: &mut Harness<'_, BoxOfficeApp>, key: Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    harness.run_steps(3);
}

/// Two seats in the cart: the map's "Valitut paikat: 2 / 2 …" line.
fn wait_for_best_seats(harness: &mut Harness<'_, BoxOfficeApp>) {
    gui_support::wait_for(harness, "the best seats", |h| {
        gui_support::text_starting(h, "Valitut paikat: 2 / 2").is_some()
    });
}

fn shot(harness: &mut Harness<'_, BoxOfficeApp>, name: &str) {
    harness.run_steps(3);
    let options = SnapshotOptions::new()
        .threshold(0.6)
        .max_failed_pixels(if name == "receipt" {
            RECEIPT_MAX_FAILED_PIXELS
        } else {
            MAX_FAILED_PIXELS
        });
    harness.snapshot_options(name, &options);
}

fn menu(harness: &mut Harness<'_, BoxOfficeApp>, item: &str) {
    harness.get_by_label("Lisää ▾").click();
    harness.run_steps(2);
    harness.get_by_label(item).click();
    harness.run_steps(3);
}

#[test]
fn the_main_screens_look_as_they_did() {
    let counter = Counter::demo();
    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 768.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_until(&mut harness, "the login screen", |h| {
        gui_support::on_login(h) && gui_support::shows(h, "cashier / 1111")
    });
    shot(&mut harness, "login");

    harness
        .get_by_role_and_label(Role::TextInput, "Käyttäjä")
        .type_text("manager");
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::PasswordInput, "PIN-koodi")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::PasswordInput, "PIN-koodi")
        .type_text("9999");
    key(&mut harness, Key::Enter);
    gui_support::wait_for(&mut harness, "the sell screen", |h| {
        gui_support::selling(h) && !h.state().waiting()
    });

    // Three tickets of the concert, the cash dialog with exact cash, the receipt.
    for k in [Key::F1, Key::F1, Key::F2] {
        key(&mut harness, k);
    }
    shot(&mut harness, "sell");
    key(&mut harness, Key::F10);
    key(&mut harness, Key::F1);
    shot(&mut harness, "cash");
    key(&mut harness, Key::Enter);
    wait_until(&mut harness, "the receipt", |h| {
        gui_support::on_receipt(h) && !h.state().waiting()
    });
    shot(&mut harness, "receipt");
    key(&mut harness, Key::Enter);

    // The play with its 300-seat map and two best seats.
    key(&mut harness, Key::ArrowDown);
    gui_support::wait_for(&mut harness, "the seat map", gui_support::seat_map_shown);
    key(&mut harness, Key::F1);
    key(&mut harness, Key::F1);
    ctrl(&mut harness, Key::A);
    wait_for_best_seats(&mut harness);
    shot(&mut harness, "sell_seatmap");
    key(&mut harness, Key::Escape);
    key(&mut harness, Key::Enter);
    key(&mut harness, Key::ArrowUp);

    // The refund panel with the sale found.
    let order: i64 = counter
        .sql()
        .query_row("SELECT max(id) FROM orders", [], |r| r.get(0))
        .unwrap();
    key(&mut harness, Key::F11);
    harness
        .get_by_role_and_label(Role::TextInput, "Hae")
        .type_text(&order.to_string());
    key(&mut harness, Key::Enter);
    wait_until(&mut harness, "the order", |h| {
        gui_support::refund_order(h).is_some()
    });
    shot(&mut harness, "refund");
    key(&mut harness, Key::F11);

    key(&mut harness, Key::F12);
    wait_until(&mut harness, "the X report", gui_support::x_report_shown);
    shot(&mut harness, "shift");
    // Counted, scrolled down to the two closes (the shift alone, the shift and the day).
    harness
        .get_by_role_and_label(Role::TextInput, "100,00 €")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "100,00 €")
        .type_text("2");
    harness.run_steps(2);
    harness
        .get_by_label("Sulje vuoro ja päivä (Z) (Ctrl+Shift+Enter)")
        .scroll_to_me();
    harness.run_steps(5);
    shot(&mut harness, "shift_close");
    key(&mut harness, Key::Escape);

    menu(&mut harness, "Raportit");
    wait_until(&mut harness, "the reports", |h| {
        h.query_all_by_role_and_label(Role::TextInput, "Alkaen")
            .next()
            .is_some()
    });
    // No snapshot of the reports: the sales-per-hour plot follows the wall clock.

    ctrl(&mut harness, Key::I);
    wait_until(&mut harness, "the statuses", |h| {
        gui_support::status_line(h, "Kirjanpidon levytila").is_some()
    });
    shot(&mut harness, "status");

    menu(&mut harness, "Laitteet");
    wait_until(&mut harness, "the devices", |h| {
        gui_support::shows_part(h, "Täsmäytä ")
    });
    shot(&mut harness, "devices");

    menu(&mut harness, "Paikkakartat");
    harness.run_steps(5);
    shot(&mut harness, "seat_plans");

    // The shift and the trading day closed: the shift's Z with the day's Z below it.
    key(&mut harness, Key::Escape);
    key(&mut harness, Key::F12);
    wait_until(&mut harness, "the X report", gui_support::x_report_shown);
    harness
        .get_by_role_and_label(Role::TextInput, "100,00 €")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "100,00 €")
        .type_text("2");
    harness.run_steps(2);
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        Key::Enter,
    );
    harness.run_steps(6);
    key(&mut harness, Key::Enter);
    wait_until(&mut harness, "the day's Z", |h| {
        gui_support::text_starting(h, "Päivän Z ").is_some()
    });
    harness.get_by_label("Tulosta – Päivän Z").scroll_to_me();
    harness.run_steps(5);
    shot(&mut harness, "shift_day_z");

    // The reports' Z tab: the shift's Z and the day's Z (the sales tab's plot follows the
    // wall clock; this one has no plot).
    key(&mut harness, Key::Escape);
    menu(&mut harness, "Raportit");
    harness
        .get_all_by_label("Z-raportit")
        .last()
        .unwrap()
        .click();
    wait_until(&mut harness, "the Z tables", |h| {
        gui_support::report_rows(h, "day_z_reports").is_some_and(|rows| rows > 0)
    });
    shot(&mut harness, "reports_z");
}
