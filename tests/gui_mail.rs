//! Mail in the GUI, on the real app struct (egui_kittest) with its real service thread and
//! background mail sender, a real ledger file and a real SMTP server (aiosmtpd): a sale with
//! "mail tickets" ticked goes out by itself; a rejected address shows up as the red count at the
//! top right; the failures list shows the server's words; a corrected address is sent.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
mod gui_support;

use std::time::{Duration, Instant};

use boxoffice::i18n::{Lang, Text, tr};
use boxoffice::ui::BoxOfficeApp;
use common::Counter;
use common::smtp::{SmtpServer, free_port};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{mail_failures, mail_servers, on_login, on_receipt, on_sell, shows, wait_for};

fn type_into(harness: &mut Harness<'_, BoxOfficeApp>, role: Role, label: &str, text: &str) {
    harness.get_by_role_and_label(role, label).focus();
    harness.run_steps(1);
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run_steps(1);
}

#[test]
fn a_rejected_ticket_mail_turns_up_in_red_and_is_resent_to_the_corrected_address() {
    let counter = Counter::demo();
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = SmtpServer::start(
        port,
        inbox.path(),
        &[
            "--reject",
            "asiakas@exmaple.com=550 5.1.1 <asiakas@exmaple.com>: Recipient address rejected: User unknown",
        ],
    );
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

    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_for(&mut harness, "the login screen", on_login);
    type_into(&mut harness, Role::TextInput, "Käyttäjä", "staff");
    type_into(&mut harness, Role::PasswordInput, "PIN-koodi", "2222");
    harness.key_press(Key::Enter);
    gui_support::wait_for(&mut harness, "the sell screen", gui_support::selling);
    let lang = Lang::Fi;

    // Sell one ticket, mail ticked, to a mistyped address.
    harness.key_press(Key::F1);
    harness.run_steps(1);
    type_into(
        &mut harness,
        Role::TextInput,
        tr(lang, Text::CustomerEmail),
        "asiakas@exmaple.com",
    );
    harness
        .get_by_role_and_label(Role::CheckBox, tr(lang, Text::MailTickets))
        .click();
    harness.run_steps(1);
    assert_eq!(
        harness
            .get_by_role_and_label(Role::CheckBox, tr(lang, Text::MailTickets))
            .accesskit_node()
            .toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    harness.key_press(Key::F10);
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "50 € (F4)")
        .click();
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    wait_for(&mut harness, "the receipt", on_receipt);
    let order = gui_support::text_starting(&harness, "Tilausnumero: ").unwrap();
    let order = order.trim_start_matches("Tilausnumero: ").to_string();

    // The background sender tries, the server refuses: the red count appears by itself.
    let count_label = format!("✉ {}: 1", tr(lang, Text::MailFailures));
    wait_for(&mut harness, "the red failure count", |h| {
        shows(h, &count_label)
    });
    harness
        .get_by_role_and_label(Role::Button, &count_label)
        .click();
    wait_for(&mut harness, "the failures list", |h| {
        mail_failures(h).len() == 1
    });
    assert!(!shows(&harness, &count_label), "looking resets the count");
    assert_eq!(
        mail_failures(&harness),
        [format!("Tilausnumero {order} – asiakas@exmaple.com")]
    );
    let reply = gui_support::text_starting(&harness, "550 ").unwrap();
    assert!(reply.starts_with("550 5.1.1"), "{reply}");
    // The server's whole reply is on screen, wrapped inside the window, not cut at its edge.
    let shown = harness
        .get_by_label_contains("Recipient address rejected: User unknown")
        .rect();
    let window = harness
        .get_by_role_and_label(Role::Window, tr(lang, Text::MailFailures))
        .rect();
    assert!(
        window.expand(1.0).contains_rect(shown),
        "the reply {shown:?} runs out of the window {window:?}"
    );
    assert!(server.messages().is_empty());

    // Correct the address (the field starts with the old one) and resend.
    let field = tr(lang, Text::NewAddress);
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, field)
        .type_text("asiakas@example.com");
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::Button, tr(lang, Text::Resend))
        .click();
    wait_for(&mut harness, "the failure to be replaced", |h| {
        mail_failures(h).is_empty()
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.messages().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the corrected mail never arrived"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        server.envelope(&messages[0])["rcpt_tos"],
        serde_json::json!(["asiakas@example.com"])
    );
}

#[test]
fn the_settings_test_mail_shows_the_servers_reply_verbatim_and_what_it_means() {
    let counter = Counter::demo();
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = SmtpServer::start(
        port,
        inbox.path(),
        &[
            "--reject",
            "nobody@example.com=550 5.1.1 <nobody@example.com>: mailbox unavailable",
        ],
    );
    let out = counter.run(&[
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
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));

    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 900.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_for(&mut harness, "the login screen", on_login);
    type_into(&mut harness, Role::TextInput, "Käyttäjä", "admin");
    type_into(&mut harness, Role::PasswordInput, "PIN-koodi", "0000");
    harness.key_press(Key::Enter);
    wait_for(&mut harness, "the sell screen", on_sell);
    let lang = Lang::Fi;

    harness.get_by_label(tr(lang, Text::More)).click();
    harness.run_steps(2);
    harness.get_by_label(tr(lang, Text::MailSettings)).click();
    wait_for(&mut harness, "the server list", |h| {
        mail_servers(h).len() == 2
    });
    harness.get_by_label_contains(tr(lang, Text::BuiltIn));
    // The server names are a choice, not plain text (issue 17).
    harness
        .get_by_role_and_label(Role::RadioButton, "relay")
        .click();
    harness.run_steps(2);
    type_into(
        &mut harness,
        Role::TextInput,
        tr(lang, Text::Recipient),
        "nobody@example.com",
    );
    harness
        .get_by_role_and_label(Role::Button, tr(lang, Text::SendTestMail))
        .click();
    let reply = tr(lang, Text::ServerReply);
    wait_for(&mut harness, "the server's reply", |h| {
        gui_support::after(h, reply).is_some()
    });
    assert_eq!(
        gui_support::after(&harness, reply).as_deref(),
        Some("550 5.1.1 <nobody@example.com>: mailbox unavailable")
    );
    harness.get_by_label("550 5.1.1 <nobody@example.com>: mailbox unavailable");
    harness.get_by_label_contains("Vastaanottajaa tai lähettäjää ei hyväksytty");
    assert!(server.messages().is_empty());

    // Copy the server and make the copy the default, from the same window.
    type_into(
        &mut harness,
        Role::TextInput,
        tr(lang, Text::NewServerName),
        "relay-copy",
    );
    harness
        .get_by_role_and_label(Role::Button, tr(lang, Text::CopyServer))
        .click();
    wait_for(&mut harness, "the copy", |h| mail_servers(h).len() == 3);
}

#[test]
fn mail_queued_before_the_program_started_goes_out_at_start_without_anyone_logging_in() {
    let counter = Counter::demo();
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
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
        vec![
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "1",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "100",
            "--email",
            "asiakas@example.com",
        ],
    ] {
        let out = counter.run(&args);
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    // The server comes up only now; nothing was sent while the program was not running.
    let server = SmtpServer::start(port, inbox.path(), &[]);
    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.messages().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the queued mail was not sent at start"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.messages().len(), 1);
    assert!(on_login(&harness));
}

/// A server that cannot be reached: the ticket mail waits for a retry, and the count at the top
/// turns red now (not hours later when the message fails for good), with the server's trouble
/// on the pointer (issue 17).
#[test]
fn mail_waiting_for_a_retry_turns_the_counter_red() {
    let counter = Counter::demo();
    // A port nobody listens on.
    let port = free_port();
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
        let out = counter.run(&common::with_user(&args, "admin", "0000"));
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    let out = counter.run(&[
        "sell",
        "--user",
        "cashier",
        "--pin",
        "1111",
        "--performance",
        "1",
        "--tickets",
        "adult=1",
        "--pay",
        "cash",
        "--tendered",
        "40",
        "--email",
        "asiakas@example.com",
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));

    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 768.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_for(&mut harness, "the login screen", on_login);
    type_into(&mut harness, Role::TextInput, "Käyttäjä", "staff");
    type_into(&mut harness, Role::PasswordInput, "PIN-koodi", "2222");
    harness.key_press(Key::Enter);
    wait_for(&mut harness, "the red count", |h| {
        h.query_by_label_contains("Posti ei lähde: ").is_some()
    });
    // The count says "not going out", not "failed": nothing has failed for good.
    assert!(
        harness
            .query_by_label_contains(tr(Lang::Fi, Text::MailFailures))
            .is_none(),
        "nothing has failed for good"
    );
    harness.get_by_label_contains("Posti ei lähde: 1");
    // The server's trouble is on the pointer.
    let before = gui_support::texts(&harness);
    harness.get_by_label_contains("Posti ei lähde: 1").hover();
    harness.run_steps(5);
    let tooltip: Vec<String> = gui_support::texts(&harness)
        .into_iter()
        .filter(|t| !before.contains(t))
        .collect();
    assert!(
        tooltip.iter().any(|t| !t.trim().is_empty()),
        "the server's trouble is on the pointer"
    );
}

/// The mail settings open with the default server chosen: "Send test mail" is there without
/// clicking a server name first (issue 17).
#[test]
fn the_mail_settings_open_with_the_default_server_chosen() {
    let counter = Counter::demo();
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
            "2525",
            "--security",
            "none",
            "--from",
            "liput@example.fi",
        ],
        vec!["mail", "server", "default", "relay"],
    ] {
        let out = counter.run(&common::with_user(&args, "admin", "0000"));
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    let data_dir = counter.path().to_path_buf();
    let mut harness = Harness::builder()
        .with_size([1280.0, 768.0])
        .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
    wait_for(&mut harness, "the login screen", on_login);
    type_into(&mut harness, Role::TextInput, "Käyttäjä", "admin");
    type_into(&mut harness, Role::PasswordInput, "PIN-koodi", "0000");
    harness.key_press(Key::Enter);
    wait_for(&mut harness, "the sell screen", on_sell);
    let lang = Lang::Fi;
    harness.get_by_label(tr(lang, Text::More)).click();
    harness.run_steps(2);
    harness.get_by_label(tr(lang, Text::MailSettings)).click();
    wait_for(&mut harness, "the server list", |h| {
        mail_servers(h).len() == 2
    });
    let chosen: Vec<String> = mail_servers(&harness)
        .into_iter()
        .filter(|(_, chosen)| *chosen)
        .map(|(name, _)| name)
        .collect();
    assert_eq!(chosen.len(), 1, "{chosen:?}");
    assert!(chosen[0].starts_with("relay ("), "{chosen:?}");
    harness.get_by_role_and_label(Role::Button, tr(lang, Text::SendTestMail));
    harness.get_by_role_and_label(Role::TextInput, tr(lang, Text::Recipient));
}
