//! The GUI on a register of the shared ledger (issue 15): the real app struct through
//! egui_kittest on a real PostgreSQL. It logs in and shows the catalogue; when the server stops,
//! the worker's idle tick finds it out of reach without any sale or click (the top bar of every
//! screen and the status screen say since when); when the server is back, the counter
//! reconnects by itself and the line goes away.
//! Its own test binary: stopping the server ends every connection to the binary's server.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
mod gui_support;
use common::Bounded;

use std::time::Instant;

use boxoffice::ui::BoxOfficeApp;
use common::pg as server;
use common::venue::PASSWORD_ENV;
use common::{Counter, stderr};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gui_support::wait_for;

fn type_into(harness: &mut Harness<'_, BoxOfficeApp>, role: Role, label: &str, text: &str) {
    harness.get_by_role_and_label(role, label).focus();
    harness.run_steps(1);
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run_steps(1);
}

/// Every screen's top bar says when the shared ledger is out of reach.
fn shared_down(harness: &Harness<'_, BoxOfficeApp>) -> bool {
    harness
        .query_all_by_label_contains("Yhteinen kirjanpito: ei tavoitettavissa")
        .next()
        .is_some()
}

#[test]
fn the_gui_on_a_shared_ledger_sees_it_go_out_of_reach_without_a_sale_and_come_back() {
    let server = server::server();
    let db = server::database();
    // Over the server's socket (trust): this process needs no password to reconnect.
    let url = format!(
        "postgres://{}@localhost/{}?host={}&port={}&sslmode=disable",
        server::ADMIN,
        db.name,
        server.socket_dir().display(),
        server.port
    );
    let counter = Counter::demo();
    let out = counter
        .command(&["db", "copy", "--to", &url])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "db copy: {}", stderr(&out));
    boxoffice::mail::secrets::use_key_file_for(counter.path(), &counter.key_file());

    let data_dir = counter.path().to_path_buf();
    let app_url = url.clone();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| BoxOfficeApp::on_shared(&cc.egui_ctx, data_dir, app_url));
    wait_for(&mut harness, "the login screen", gui_support::on_login);
    type_into(&mut harness, Role::TextInput, "Käyttäjä", "cashier");
    type_into(&mut harness, Role::PasswordInput, "PIN-koodi", "1111");
    harness.key_press(Key::Enter);
    gui_support::wait_for(
        &mut harness,
        "the sell screen with its catalogue",
        gui_support::selling,
    );
    assert!(
        gui_support::performances(&harness)
            .iter()
            .any(|p| p.starts_with("Nummisuutarit\n")),
        "the shared ledger's catalogue"
    );
    assert!(!shared_down(&harness));
    assert!(
        harness
            .query_all_by_label_contains("ei tavoitettavissa")
            .next()
            .is_none()
    );

    server.stop();
    let stopped = Instant::now();
    // No sale, no click: the worker's idle tick finds out.
    wait_for(&mut harness, "the shared ledger out of reach", shared_down);
    let noticed = stopped.elapsed();
    // Every screen's top bar says so, in the user's language.
    harness.get_by_label_contains("Yhteinen kirjanpito: ei tavoitettavissa alkaen");
    // And the status screen lists it (Ctrl+I): not fine, since when, and the last error.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::I);
    wait_for(&mut harness, "the status screen", |h| {
        gui_support::status_line(h, "Yhteinen kirjanpito").is_some()
    });
    let (ok, fact) = gui_support::status_line(&harness, "Yhteinen kirjanpito").unwrap();
    assert!(!ok, "{fact}");
    assert!(fact.contains("ei tavoitettavissa"), "{fact}");
    let last = gui_support::status_last_error(&harness, "Yhteinen kirjanpito");
    assert!(last.is_some(), "no last error under the line");

    server.start_again();
    let started = Instant::now();
    wait_for(&mut harness, "the shared ledger back", |h| {
        gui_support::status_line(h, "Yhteinen kirjanpito").is_some_and(|(ok, _)| ok)
    });
    eprintln!(
        "gui on the shared ledger: out of reach noticed {noticed:?} after the stop, \
         back {:?} after the start",
        started.elapsed()
    );
    assert!(
        harness
            .query_all_by_label_contains("ei tavoitettavissa")
            .next()
            .is_none(),
        "the top bar's line goes away"
    );
    assert!(!shared_down(&harness));
}
