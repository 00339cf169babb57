//! The real app struct driven through egui_kittest (no display, no GPU), on a real ledger file.

mod common;

use std::time::{Duration, Instant};

use boxoffice::i18n::Lang;
use boxoffice::ui::{BoxOfficeApp, Screen};
use common::Counter;
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn start(counter: &Counter) -> Harness<'static, BoxOfficeApp> {
    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_until(&mut harness, "the login screen", |app| {
        app.screen == Screen::Login
    });
    harness
}

/// Steps frames until `done` holds; the service thread works in real time.
fn wait_until(
    harness: &mut Harness<'_, BoxOfficeApp>,
    what: &str,
    done: impl Fn(&BoxOfficeApp) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(2);
}

fn log_in(
    harness: &mut Harness<'_, BoxOfficeApp>,
    user: &str,
    pin: &str,
    user_label: &str,
    pin_label: &str,
) {
    harness
        .get_by_role_and_label(Role::TextInput, user_label)
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, user_label)
        .type_text(user);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::PasswordInput, pin_label)
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::PasswordInput, pin_label)
        .type_text(pin);
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    wait_until(harness, "the sell screen with its catalogue", |app| {
        app.screen == Screen::Sell && !app.catalog.is_empty()
    });
}

#[test]
fn cashier_sells_two_adults_and_a_child_for_fifty_euros_cash() {
    let counter = Counter::empty();
    let mut harness = start(&counter);
    // Demo mode shows the demo users on the login screen.
    harness.get_by_label("cashier / 1111");
    log_in(&mut harness, "cashier", "1111", "Käyttäjä", "PIN-koodi");

    harness
        .get_all_by_label_contains("Nummisuutarit")
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    let play = harness.state().selected_performance.unwrap();
    assert_eq!(
        harness
            .state()
            .catalog
            .iter()
            .find(|p| p.id == play)
            .unwrap()
            .event,
        "Nummisuutarit"
    );

    for key in [Key::F1, Key::F1, Key::F2] {
        harness.key_press(key);
        harness.run_steps(1);
    }
    assert_eq!(harness.state().cart.totals().gross.cents(), 4600);
    harness.get_by_label("Yhteensä: 46,00 €");

    harness.key_press(Key::F10);
    harness.run_steps(2);
    assert!(
        harness.state().cash_tendered.is_some(),
        "F10 opens the cash dialog"
    );
    harness.get_by_role_and_label(Role::Button, "50 €").click();
    harness.run_steps(2);
    harness.get_by_label("Vaihtoraha: 4,00 €");
    harness.key_press(Key::Enter);
    wait_until(&mut harness, "the receipt", |app| {
        app.screen == Screen::Receipt
    });

    harness.get_by_label("Vaihtoraha: 4,00 €");
    harness.get_by_label("Tilausnumero: 1");
    let sale = harness.state().last_sale.as_ref().unwrap();
    assert_eq!(sale.labels.len(), 3, "one ticket preview per ticket");
    assert!(sale.printed.is_ok());

    // The ledger file has the sale.
    let sql = counter.sql();
    let (total, n_orders): (i64, i64) = sql
        .query_row("SELECT sum(total_cents), count(*) FROM orders", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((total, n_orders), (4600, 1));
    let (tendered, change, state): (i64, i64, String) = sql
        .query_row(
            "SELECT tendered_cents, change_cents, state FROM payments",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((tendered, change, state.as_str()), (5000, 400, "approved"));
    let prices: Vec<i64> = sql
        .prepare("SELECT price_cents FROM tickets ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(prices, vec![1850, 1850, 900]);
    assert_eq!(counter.count("journal"), 3);

    // Enter starts the next sale; the catalogue shows what is left.
    harness.key_press(Key::Enter);
    wait_until(&mut harness, "the next sale", |app| {
        app.screen == Screen::Sell
            && app
                .catalog
                .iter()
                .any(|p| p.id == play && p.remaining == 27)
    });
    assert!(harness.state().cart.is_empty());
}

#[test]
fn language_chosen_on_the_login_screen_is_remembered_for_the_user() {
    let counter = Counter::empty();
    let mut harness = start(&counter);
    harness.get_by_label("Svenska").click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Logga in");
    log_in(&mut harness, "cashier", "1111", "Användare", "PIN-kod");
    assert!(
        harness
            .get_all_by_label_contains("Sockenskomakarna")
            .next()
            .is_some()
    );
    harness
        .get_by_role_and_label(Role::Button, "Logga ut")
        .click();
    wait_until(&mut harness, "the saved language", |app| {
        app.screen == Screen::Login && !app.busy
    });
    let lang: String = counter
        .sql()
        .query_row("SELECT lang FROM users WHERE name = 'cashier'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(lang, "sv");
    drop(harness);

    // A new start shows Finnish until the cashier logs in, then Swedish again.
    let mut harness = start(&counter);
    assert_eq!(harness.state().lang, Lang::Fi);
    log_in(&mut harness, "cashier", "1111", "Käyttäjä", "PIN-koodi");
    assert_eq!(harness.state().lang, Lang::Sv);
    harness.get_by_role_and_label(Role::Button, "Logga ut");
}

#[test]
fn short_tender_keeps_the_dialog_open_and_sells_nothing() {
    let counter = Counter::empty();
    let mut harness = start(&counter);
    log_in(&mut harness, "cashier", "1111", "Käyttäjä", "PIN-koodi");
    harness.key_press(Key::F1);
    harness.run_steps(1);
    harness.key_press(Key::F10);
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "10 €").click();
    harness.run_steps(2);
    // The concert's adult ticket is 35,00 €: 25,00 € is missing.
    harness.get_by_label("Puuttuu: 25,00 €");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().screen, Screen::Sell);
    assert!(harness.state().cash_tendered.is_some());
    assert_eq!(counter.count("orders"), 0);
}
