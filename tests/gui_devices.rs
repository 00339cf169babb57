//! Every device and endpoint has its screen (issue 17) and the receipt parts of the GUI (issue
//! 13): the real app on a real ledger file with its real service thread, driven through the
//! accessibility tree; what the screens did is checked in the ledger and with the real peers
//! (the demo card agent, a closed port, a real HTTP SMS gateway, a real SMTP server).

#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
mod gui_support;

use std::time::{Duration, Instant};

use boxoffice::i18n::Lang;
use boxoffice::ui::BoxOfficeApp;
use common::Counter;
use common::smtp::{HttpGateway, SmtpServer, free_port};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::wait_for;

fn start(counter: &Counter) -> Harness<'static, BoxOfficeApp> {
    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 768.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_for(&mut harness, "the login screen", gui_support::on_login);
    harness
}

/// Steps until a label containing `text` is on screen.
fn wait_for_text(harness: &mut Harness<'_, BoxOfficeApp>, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while harness.query_by_label_contains(text).is_none() {
        if Instant::now() > deadline {
            let labels: Vec<String> = harness
                .query_all(egui_kittest::kittest::by())
                .filter_map(|n| n.accesskit_node().label())
                .collect();
            panic!("timed out waiting for the text {text:?}; on screen: {labels:?}");
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(2);
}

fn type_into(harness: &mut Harness<'_, BoxOfficeApp>, label: &str, text: &str) {
    let role = |h: &Harness<'_, BoxOfficeApp>| {
        if h.query_by_role_and_label(Role::PasswordInput, label)
            .is_some()
        {
            Role::PasswordInput
        } else {
            Role::TextInput
        }
    };
    let role = role(harness);
    harness.get_by_role_and_label(role, label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run_steps(1);
}

/// Clicks a widget (scrolled into view first, as a user would).
fn click(harness: &mut Harness<'_, BoxOfficeApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run_steps(2);
    harness.get_by_label(label).click();
    harness.run_steps(2);
}

fn log_in(harness: &mut Harness<'_, BoxOfficeApp>, user: &str, pin: &str) {
    click(harness, Lang::En.native_name());
    type_into(harness, "User", user);
    type_into(harness, "PIN", pin);
    harness.key_press(Key::Enter);
    gui_support::wait_for(harness, "the sell screen with its catalogue", |h| {
        gui_support::selling(h) && !h.state().waiting()
    });
    // The shift prompt of a fresh login is not what these tests are about.
    harness.key_press(Key::Escape);
    harness.run_steps(3);
}

fn open_from_menu(harness: &mut Harness<'_, BoxOfficeApp>, item: &str) {
    click(harness, "More ▾");
    click(harness, item);
    harness.run_steps(3);
}

#[test]
fn an_admin_tests_reconciles_and_adds_terminals_and_sets_nets_and_sms_without_the_cli() {
    let counter = Counter::demo();
    let side = tempfile::tempdir().unwrap();
    let port = free_port();
    let gateway = HttpGateway::start(port, &side.path().join("sms"), 200);
    let mut harness = start(&counter);
    log_in(&mut harness, "admin", "0000");
    open_from_menu(&mut harness, "Devices");

    // The demo terminal (the in-process agent): test and reconcile, each with its result.
    wait_for_text(&mut harness, "Test demo");
    click(&mut harness, "Test demo");
    wait_for_text(&mut harness, "Answers.");
    click(&mut harness, "Reconcile demo");
    wait_for_text(&mut harness, "difference 0,00 €");
    let reconciliations: i64 = counter
        .sql()
        .query_row("SELECT count(*) FROM card_reconciliations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(reconciliations, 1, "the reconciliation is in the ledger");

    // A second counter's agent, which is switched off: added here, tested, said so.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    type_into(&mut harness, "Terminal name", "kassa2");
    type_into(
        &mut harness,
        "Agent address",
        &format!("127.0.0.1:{closed}"),
    );
    click(&mut harness, "Add the terminal");
    wait_for_text(&mut harness, "Terminal added.");
    wait_for_text(&mut harness, "Test kassa2");
    click(&mut harness, "Test kassa2");
    wait_for_text(&mut harness, "Does not answer:");
    let listed = common::stdout(&counter.run(&["terminal", "list", "--json"]));
    assert!(
        listed.contains("kassa2") && listed.contains(&format!("127.0.0.1:{closed}")),
        "{listed}"
    );

    // The organisation's Nets Connect@Cloud account.
    type_into(
        &mut harness,
        "Payment URL",
        "https://connectcloud-test.aws.nets.eu",
    );
    type_into(&mut harness, "Nets user", "kassa-nets");
    type_into(&mut harness, "Nets password", "nets-Secret");
    click(&mut harness, "Save the Nets account");
    wait_for_text(
        &mut harness,
        "kassa-nets @ https://connectcloud-test.aws.nets.eu",
    );

    // The SMS gateway, saved here and tested against a real HTTP gateway.
    type_into(
        &mut harness,
        "URL ({to}, {text})",
        &format!("http://127.0.0.1:{port}/v1/sms"),
    );
    type_into(
        &mut harness,
        "Body (POST)",
        r#"{"to":"{to}","message":"{text}"}"#,
    );
    type_into(
        &mut harness,
        "Ticket link ({code})",
        "https://liput.example.fi/t/{code}",
    );
    click(&mut harness, "Save the SMS gateway");
    wait_for_text(&mut harness, "SMS gateway saved.");
    type_into(&mut harness, "Phone", "+358 40 123 4567");
    click(&mut harness, "Send a test SMS");
    let deadline = Instant::now() + Duration::from_secs(120);
    while gateway.requests().is_empty() {
        assert!(Instant::now() < deadline, "the gateway got no request");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let request = &gateway.requests()[0];
    assert_eq!(request["path"], "/v1/sms");
    let body: serde_json::Value = serde_json::from_str(request["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["to"], "+358401234567");
    assert_eq!(body["message"], "Box office: test message");
    wait_for_text(&mut harness, "200");
}

#[test]
fn a_cashier_sees_no_devices_and_a_manager_sees_no_settings_forms() {
    let counter = Counter::demo();
    let mut harness = start(&counter);
    log_in(&mut harness, "cashier", "1111");
    click(&mut harness, "More ▾");
    assert!(harness.query_by_label("Devices").is_none());
    assert!(harness.query_by_label("Receipt settings").is_none());
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    click(&mut harness, "Log out");

    wait_for(&mut harness, "the login screen", gui_support::on_login);
    log_in(&mut harness, "manager", "9999");
    open_from_menu(&mut harness, "Devices");
    wait_for_text(&mut harness, "Reconcile demo");
    assert!(harness.query_by_label("Add the terminal").is_none());
    assert!(harness.query_by_label("Save the SMS gateway").is_none());
}

#[test]
fn a_manager_holds_seats_picked_on_the_map_and_releases_them() {
    let counter = Counter::demo();
    let mut harness = start(&counter);
    log_in(&mut harness, "manager", "9999");
    open_from_menu(&mut harness, "Seat plans");
    wait_for_text(&mut harness, "Hold seats");
    harness.get_by_label("Performance").click();
    harness.run_steps(2);
    harness
        .query_all_by_label_contains("The Heath Cobblers")
        .last()
        .unwrap()
        .click();
    let first = boxoffice::domain::seating::SeatRef::parse("stalls:1:1").unwrap();
    wait_for(&mut harness, "the holds map", |h| {
        h.state().seat_on_screen(&first).is_some()
    });
    harness.run_steps(3);
    for text in ["stalls:3:7", "stalls:3:8"] {
        let seat = boxoffice::domain::seating::SeatRef::parse(text).unwrap();
        let at = harness.state().seat_on_screen(&seat).unwrap();
        harness.hover_at(at);
        harness.run_steps(1);
        harness.drag_at(at);
        harness.run_steps(1);
        harness.drop_at(at);
        harness.run_steps(2);
    }
    click(&mut harness, "Hold the picked seats (2)");
    wait_for_text(&mut harness, "Held: 2");
    wait_for_text(&mut harness, "Press: 2 seats held");
    let held = |counter: &Counter| -> i64 {
        counter
            .sql()
            .query_row(
                "SELECT count(*) FROM seat_occupancy WHERE kind = 'hold' AND holder = 'press'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(held(&counter), 2);
    click(&mut harness, "Release (Press)");
    wait_for_text(&mut harness, "Released: 2");
    assert_eq!(held(&counter), 0);
}

#[test]
fn an_admin_imports_a_seat_plan_and_gives_it_to_a_free_seating_performance() {
    let counter = Counter::demo();
    let side = tempfile::tempdir().unwrap();
    let csv = side.path().join("kellari.csv");
    let mut plan = String::from("section,row,seat,x,y,rank,flags\n");
    for row in 1..=3 {
        for seat in 1..=5 {
            plan.push_str(&format!("main,{row},{seat},{seat},{row},1,\n"));
        }
    }
    std::fs::write(&csv, plan).unwrap();
    let mut harness = start(&counter);
    log_in(&mut harness, "admin", "0000");
    open_from_menu(&mut harness, "Seat plans");
    wait_for_text(&mut harness, "Import a seat plan");
    type_into(&mut harness, "Venue", "Kellari");
    type_into(&mut harness, "CSV file", csv.to_str().unwrap());
    click(&mut harness, "Import");
    wait_for_text(&mut harness, "15 seats");
    // A file that is not there is said in a sentence, not a panic.
    type_into(&mut harness, "CSV file", "/nonexistent/plan.csv");
    click(&mut harness, "Import");
    wait_for_text(&mut harness, "Cannot read the file /nonexistent/plan.csv");
}

#[test]
fn an_admin_sets_the_receipt_settings_and_the_ledger_has_them() {
    let counter = Counter::demo();
    let mut harness = start(&counter);
    log_in(&mut harness, "admin", "0000");
    open_from_menu(&mut harness, "Receipt settings");
    wait_for_text(&mut harness, "Seller name");
    type_into(&mut harness, "Seller name", "Teatteri Kivi Oy");
    type_into(&mut harness, "Business ID", "0112038-9");
    type_into(&mut harness, "Address", "Teatterikatu 1, 00100 Helsinki");
    type_into(&mut harness, "VAT number", "FI01120389");
    click(&mut harness, "Never");
    click(&mut harness, "Save");
    wait_for_text(&mut harness, "Receipt settings saved.");
    let (name, id, print): (String, String, String) = counter
        .sql()
        .query_row(
            "SELECT seller_name, business_id, receipt_print FROM register",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (name.as_str(), id.as_str(), print.as_str()),
        ("Teatteri Kivi Oy", "0112038-9", "never")
    );
    // A wrong business ID is refused with the service's sentence.
    type_into(&mut harness, "Business ID", "1234567-8");
    click(&mut harness, "Save");
    wait_for_text(&mut harness, "1234567-8");
}

#[test]
fn the_receipt_is_mailed_from_the_order_panel() {
    let counter = Counter::demo();
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(port, inbox.path(), &[]);
    for args in [
        vec![
            "mail",
            "server",
            "add",
            "--name",
            "relay",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--security",
            "none",
            "--from",
            "liput@example.fi",
        ],
        vec!["mail", "server", "default", "relay"],
    ] {
        let out = counter.run(&args);
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    let sale = counter.sell_json(1, "adult=1", "35");
    let order = sale["order_number"].as_i64().unwrap();
    let mut harness = start(&counter);
    log_in(&mut harness, "manager", "9999");
    harness.key_press(Key::F11);
    harness.run_steps(2);
    type_into(&mut harness, "Search", &order.to_string());
    harness.key_press(Key::Enter);
    wait_for_text(&mut harness, "Mail the receipt");
    type_into(&mut harness, "Receipt to", "asiakas@example.com");
    click(&mut harness, "Mail the receipt");
    wait_for_text(&mut harness, "Receipt sent: asiakas@example.com");
    let messages = _server.messages();
    assert_eq!(messages.len(), 1);
}

/// A Swedish demo register, a manager logged in, the play chosen and one adult in the cart.
fn swedish_register_with_an_adult_in_the_cart() -> (Counter, Harness<'static, BoxOfficeApp>) {
    let counter = Counter::empty();
    let out = counter.run(&["init", "--demo", "--currency", "SEK"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut harness = start(&counter);
    log_in(&mut harness, "manager", "9999");
    // Prices in kronor: the register's currency has come with its settings.
    wait_for(&mut harness, "the register's currency", |h| {
        gui_support::texts(h).iter().any(|t| t.ends_with(" kr"))
    });
    harness.key_press(Key::ArrowDown);
    harness.run_steps(3);
    harness.key_press(Key::F1);
    harness.run_steps(2);
    (counter, harness)
}

#[test]
fn the_cash_dialog_gives_change_from_the_rounded_total_and_the_drawer_offers_only_kronor() {
    // A Swedish register: cash is rounded to the whole krona.
    // The play: adult 18,50 → 19,00 kr in cash.
    let (_counter, mut harness) = swedish_register_with_an_adult_in_the_cart();
    harness.key_press(Key::F10);
    harness.run_steps(2);
    wait_for_text(&mut harness, "In cash: 19,00 kr (rounding 0,50 kr)");
    type_into(&mut harness, "Tendered", "20");
    wait_for_text(&mut harness, "Change due: 1,00 kr");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.key_press(Key::F12);
    harness.run_steps(3);
    wait_for_text(&mut harness, "Count the drawer");
    assert!(
        harness.query_by_label("1 000,00 kr").is_some()
            || harness.query_by_label("1000,00 kr").is_some()
    );
    assert!(harness.query_by_label("0,50 €").is_none());
    assert!(harness.query_by_label("0,05 €").is_none());
}

/// No euro sign anywhere on a screen.
fn no_euro(harness: &Harness<'_, BoxOfficeApp>, screen: &str) {
    let euros: Vec<String> = harness
        .query_all_by_label_contains("€")
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert!(
        euros.is_empty(),
        "{screen} writes euros on a Swedish register: {euros:?}"
    );
}

#[test]
fn a_swedish_register_writes_kronor_on_every_counter_screen() {
    // The play: adult 18,50 kr, on its key and in the cart.
    let (counter, mut harness) = swedish_register_with_an_adult_in_the_cart();
    // The F1 key, the cart line and the total.
    assert!(harness.query_all_by_label_contains("18,50 kr").count() >= 3);
    no_euro(&harness, "the sell screen");
    harness.key_press(Key::F10);
    harness.run_steps(2);
    type_into(&mut harness, "Tendered", "20");
    wait_for_text(&mut harness, "Change due: 1,00 kr");
    no_euro(&harness, "the cash dialog");
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(&mut harness, "the receipt", gui_support::on_receipt);
    harness.run_steps(2);
    assert!(harness.query_all_by_label_contains("20,00 kr").count() >= 1);
    no_euro(&harness, "the receipt");
    // The ticket pictures beside the receipt are the printed tickets: the printed ticket's
    // price field is in kronor too.
    let printed = std::fs::read_to_string(counter.path().join("print/pc43d.prn")).unwrap();
    let texts: Vec<&str> = printed
        .lines()
        .filter_map(|line| line.strip_prefix("PRTXT \""))
        .collect();
    assert!(
        texts.iter().any(|t| t.starts_with("18,50 kr (")),
        "the ticket's price in kronor: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains('€')),
        "a ticket writes euros on a Swedish register: {texts:?}"
    );
}

/// "Test the bank" on the devices screen probes the bank's endpoints and shows what came back,
/// next to the button, for a manager (no command line, no status screen needed).
#[test]
fn the_bank_test_button_shows_the_banks_answer() {
    let counter = Counter::demo();
    let mut harness = start(&counter);
    log_in(&mut harness, "manager", "9999");
    open_from_menu(&mut harness, "Devices");
    wait_for_text(&mut harness, "Test the bank");
    // The last result stands beside the button: none yet.
    assert_eq!(
        gui_support::after(&harness, "Test the bank").as_deref(),
        Some("–"),
        "no result before the test"
    );
    click(&mut harness, "Test the bank");
    wait_for(&mut harness, "the bank's answer", |h| {
        gui_support::after(h, "Test the bank").is_some_and(|t| t != "–")
    });
    let result = gui_support::after(&harness, "Test the bank").unwrap();
    assert!(!result.trim().is_empty());
}

#[test]
fn an_admin_adds_a_bank_key_with_its_date_typed_the_local_way() {
    let counter = Counter::demo();
    let mut harness = start(&counter);
    log_in(&mut harness, "admin", "0000");
    click(&mut harness, "● Status");
    wait_for(&mut harness, "the bank settings", |h| {
        h.query_all_by_role_and_label(Role::TextInput, "Valid from")
            .next()
            .is_some()
    });
    // 1.1.2027, as a Finnish or English user writes it (only ISO dates were taken before).
    type_into(&mut harness, "Valid from", "1.1.2027");
    type_into(
        &mut harness,
        "Secret key",
        "0123456789abcdef0123456789abcdef",
    );
    click(&mut harness, "Add key");
    // The key is in the ledger under its date (the secret itself in the secret store).
    let ledger = counter.path().join("ledger.sqlite3");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let keys: i64 = rusqlite::Connection::open(&ledger)
            .and_then(|db| {
                db.query_row(
                    "SELECT count(*) FROM bank_keys WHERE valid_from = '2027-01-01'",
                    [],
                    |row| row.get(0),
                )
            })
            .unwrap_or(0);
        if keys == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no key from 1.1.2027 in the ledger; message {:?}",
            gui_support::message(&harness)
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
