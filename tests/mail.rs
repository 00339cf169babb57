//! Ticket mail end to end: the real binary, a real ledger file and a real SMTP server
//! (Python's aiosmtpd as a child process on a free loopback port, with STARTTLS, implicit TLS,
//! AUTH, rejections and temporary failures). What arrives is read with independent tools:
//! Python's email parser, dkimpy for the DKIM signature, pdfinfo/pdftoppm and zbarimg for the
//! PDF and its QR codes (`tests/mail/inspect_mail.py`).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use boxoffice::app::AdminError;
use boxoffice::domain::ids::PerformanceId;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::smtp::{Pki, SmtpServer, free_port, inspect, pki};
use common::{Counter, stderr, stdout};

const PASSWORD: &str = "s3cret-Pässword";

/// A demo counter trusting the test CA. Its secret-store key is the default one outside the
/// data directory (the same file keys the PIN pepper, so `init` and every later command, in
/// this process or the binary, must use the same one).
struct MailCounter {
    counter: Counter,
    side: tempfile::TempDir,
    pki: Pki,
}

impl MailCounter {
    fn new() -> MailCounter {
        let side = tempfile::tempdir().unwrap();
        let pki = pki(side.path());
        MailCounter {
            counter: Counter::demo(),
            side,
            pki,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = self.counter.command(args);
        command.env("BOXOFFICE_SMTP_CA_FILE", &self.pki.ca);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output_bounded().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn add_server(&self, name: &str, port: u16, security: &str, password: Option<&str>) {
        let port = port.to_string();
        let mut args = vec![
            "mail",
            "server",
            "add",
            "--name",
            name,
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            security,
            "--from",
            "liput@example.fi",
            "--from-name",
            "Lippukassa",
        ];
        if password.is_some() {
            args.extend(["--user", "tickets", "--password-stdin"]);
        }
        let out = self.run_with_stdin(&args, &format!("{}\n", password.unwrap_or("")));
        assert!(out.status.success(), "server add: {}", stderr(&out));
        self.ok(&["mail", "server", "default", name]);
    }

    /// Sells `tickets` with `--email`; returns the sale's JSON.
    fn sell_mail(&self, tickets: &str, email: &str) -> serde_json::Value {
        let out = self.run(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "1",
            "--tickets",
            tickets,
            "--pay",
            "cash",
            "--tendered",
            "500",
            "--name",
            "Matti Meikäläinen",
            "--email",
            email,
            "--json",
        ]);
        assert!(out.status.success(), "sell: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// A counter whose default server is a plain aiosmtpd on loopback (started with `options`),
    /// with `mails` one-ticket sales queued for mail to asiakas0@example.com and on.
    fn with_local_server(options: &[&str], mails: usize) -> (MailCounter, SmtpServer) {
        let mail = MailCounter::new();
        let port = free_port();
        let server = SmtpServer::start(port, &mail.side.path().join("inbox"), options);
        mail.add_server("local", port, "none", None);
        for n in 0..mails {
            mail.sell_mail("adult=1", &format!("asiakas{n}@example.com"));
        }
        (mail, server)
    }

    fn outbox(&self, failed: bool) -> Vec<serde_json::Value> {
        let mut args = vec!["mail", "outbox", "--json"];
        if failed {
            args.push("--failed");
        }
        serde_json::from_str(&self.ok(&args)).unwrap()
    }
}

fn codes_of(sale: &serde_json::Value) -> Vec<String> {
    let mut codes: Vec<String> = sale["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn ticket_mail_over_starttls_with_auth_arrives_signed_with_the_pdf_and_its_qr_codes() {
    let mail = MailCounter::new();
    let port = free_port();
    let pki = &mail.pki;
    let server = SmtpServer::start(
        port,
        &mail.side.path().join("inbox"),
        &[
            "--tls",
            "starttls",
            "--cert",
            pki.cert.to_str().unwrap(),
            "--key",
            pki.key.to_str().unwrap(),
            "--auth",
            &format!("tickets:{PASSWORD}"),
        ],
    );
    mail.add_server("relay", port, "starttls", Some(PASSWORD));
    let records = mail.ok(&[
        "mail",
        "dkim",
        "generate",
        "--domain",
        "example.fi",
        "--selector",
        "bo1",
    ]);
    assert!(
        records.starts_with("bo1._domainkey.example.fi TXT \"v=DKIM1; k=rsa; p="),
        "{records}"
    );
    let shown = mail.ok(&["mail", "dkim", "show", "--domain", "example.fi"]);
    assert_eq!(shown.lines().next(), records.lines().next());
    assert!(
        shown.contains("_dmarc.example.fi TXT \"v=DMARC1;"),
        "{shown}"
    );
    assert!(shown.contains("v=spf1 mx ip4:127.0.0.1 ~all"), "{shown}");
    let txt_value = shown.lines().next().unwrap().split_once(" TXT ").unwrap().1;
    let txt_file = mail.side.path().join("dkim.txt");
    std::fs::write(&txt_file, txt_value.trim_matches('"')).unwrap();

    // Neither the password nor the private key is anywhere near the ledger in plain text.
    for file in ["ledger.sqlite3", "secrets.json"] {
        let bytes = std::fs::read(mail.counter.path().join(file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(PASSWORD), "password in {file}");
        assert!(!text.contains("PRIVATE KEY"), "private key in {file}");
    }

    let sale = mail.sell_mail("adult=2,child=1", "asiakas@example.com");
    let queued = mail.outbox(false);
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["state"], "queued");
    assert!(
        server.messages().is_empty(),
        "nothing is sent by the sale itself"
    );

    let flush = mail
        .command(&["mail", "flush"])
        .env("RUST_LOG", "trace")
        .output_bounded()
        .unwrap();
    assert!(flush.status.success(), "flush: {}", stderr(&flush));
    assert!(stdout(&flush).contains("1 sent, 0 to retry, 0 failed"));
    assert!(
        !stderr(&flush).contains(PASSWORD),
        "the password was logged"
    );

    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let envelope = server.envelope(&messages[0]);
    assert_eq!(envelope["tls"], true);
    assert_eq!(envelope["auth"], true);
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["asiakas@example.com"])
    );
    let found = inspect(&messages[0], Some(&txt_file));
    assert_eq!(found["dkim_signed"], true);
    assert_eq!(found["dkim_valid"], true, "dkimpy verifies the signature");
    assert_eq!(found["to"], "asiakas@example.com");
    assert!(found["from"].as_str().unwrap().contains("liput@example.fi"));
    assert_eq!(found["content_type"], "multipart/mixed");
    let types: Vec<&str> = found["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["text/plain", "text/html", "application/pdf"]);
    let order = sale["order_number"].as_i64().unwrap();
    assert!(
        found["html"]
            .as_str()
            .unwrap()
            .contains("Matti Meikäläinen")
    );
    assert!(
        found["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{order}"))
    );
    assert_eq!(found["pdf_pages"], 4, "one page per ticket and the receipt");
    // The customer's receipt is in the HTML, the text and the PDF (issue 13).
    for part in ["html", "text", "pdf_text"] {
        let content = found[part].as_str().unwrap_or_default();
        assert!(
            content.contains("ALV %") && content.contains(&format!("Tilaus {order}")),
            "{part}: {content}"
        );
    }
    let mut qr: Vec<String> = found["qr_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    qr.sort();
    assert_eq!(
        qr,
        codes_of(&sale),
        "every page's QR code decodes to its ticket code"
    );
    assert_eq!(
        found["message_id"],
        format!(
            "<{}>",
            mail.outbox(false)[0]["message_id"].as_str().unwrap()
        )
    );

    let doctor = mail.ok(&["doctor"]);
    assert!(doctor.contains("mail.smtp"));
    assert!(
        !doctor.contains(PASSWORD),
        "the support report carries no password"
    );
    // Sent means sent: another flush sends nothing, the journal still verifies.
    assert!(mail.ok(&["mail", "flush"]).contains("0 sent"));
    assert_eq!(server.messages().len(), 1);
    assert_eq!(mail.outbox(false)[0]["state"], "sent");
    mail.ok(&["verify"]);
}

#[test]
fn a_550_rejection_fails_with_the_servers_words_and_a_corrected_address_is_sent() {
    let mail = MailCounter::new();
    let port = free_port();
    let pki = &mail.pki;
    let server = SmtpServer::start(
        port,
        &mail.side.path().join("inbox"),
        &[
            "--tls",
            "tls",
            "--cert",
            pki.cert.to_str().unwrap(),
            "--key",
            pki.key.to_str().unwrap(),
            "--reject",
            "asiakas@exmaple.com=550 5.1.1 <asiakas@exmaple.com>: Recipient address rejected: User unknown",
        ],
    );
    mail.add_server("wrapped", port, "tls", None);
    mail.sell_mail("adult=1", "asiakas@exmaple.com");
    let flush = mail.run(&["mail", "flush"]);
    assert!(!flush.status.success(), "a failure is not success");
    assert!(stdout(&flush).contains("0 sent, 0 to retry, 1 failed"));
    let failed = mail.outbox(true);
    assert_eq!(failed.len(), 1);
    let reply = failed[0]["last_reply"].as_str().unwrap();
    assert!(
        reply.starts_with("550 ") && reply.contains("Recipient address rejected: User unknown"),
        "{reply}"
    );
    // Permanent: not retried.
    assert!(
        mail.ok(&["mail", "flush"])
            .contains("0 sent, 0 to retry, 0 failed")
    );
    assert!(server.messages().is_empty());

    let id = failed[0]["id"].to_string();
    let resent = mail.ok(&["mail", "readdress", &id, "--to", "asiakas@example.com"]);
    assert!(resent.contains("re-sent"), "{resent}");
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        server.envelope(&messages[0])["rcpt_tos"],
        serde_json::json!(["asiakas@example.com"])
    );
    assert_eq!(server.envelope(&messages[0])["tls"], true);
    assert!(mail.outbox(true).is_empty(), "the failure was replaced");
    let journaled: String = mail
        .counter
        .sql()
        .query_row(
            "SELECT content FROM journal WHERE kind = 'mail.readdress'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let journaled: serde_json::Value = serde_json::from_str(&journaled).unwrap();
    assert_eq!(journaled["old_address"], "asiakas@exmaple.com");
    assert_eq!(journaled["new_address"], "asiakas@example.com");
    mail.ok(&["verify"]);
}

#[test]
fn mail_queued_while_the_server_is_down_is_retried_and_delivered_exactly_once() {
    let mail = MailCounter::new();
    let port = free_port();
    mail.add_server("local", port, "none", None);
    let sale = mail.sell_mail("adult=1", "asiakas@example.com");

    // Down: a network error is temporary; the message waits with a retry time.
    let down = mail.run(&["mail", "flush"]);
    assert!(!down.status.success());
    assert!(
        stdout(&down).contains("0 sent, 1 to retry, 0 failed"),
        "{}",
        stdout(&down)
    );
    let waiting = mail.outbox(false);
    assert_eq!(waiting[0]["state"], "retry");
    assert!(waiting[0]["next_attempt_at"].is_string());

    // Up, but busy once (451): still temporary. A new process sends what the ledger holds.
    let server = SmtpServer::start(port, &mail.side.path().join("inbox"), &["--temp-fail", "1"]);
    let busy = mail.run(&["mail", "flush"]);
    assert!(
        stdout(&busy).contains("0 sent, 1 to retry"),
        "{}",
        stdout(&busy)
    );
    assert!(
        mail.outbox(false)[0]["last_reply"]
            .as_str()
            .unwrap()
            .starts_with("451 4.3.0 Mail server temporarily busy")
    );
    assert!(
        mail.ok(&["mail", "flush"])
            .contains("1 sent, 0 to retry, 0 failed")
    );
    assert!(
        mail.ok(&["mail", "flush"])
            .contains("0 sent, 0 to retry, 0 failed")
    );
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "delivered exactly once");
    let found = inspect(&messages[0], None);
    assert_eq!(found["qr_codes"], serde_json::json!(codes_of(&sale)));
    assert_eq!(mail.outbox(false)[0]["attempts"], 3);
}

#[test]
fn a_wrong_password_shows_the_servers_reply_in_the_test_mail() {
    let mail = MailCounter::new();
    let port = free_port();
    let pki = &mail.pki;
    let server = SmtpServer::start(
        port,
        &mail.side.path().join("inbox"),
        &[
            "--tls",
            "starttls",
            "--cert",
            pki.cert.to_str().unwrap(),
            "--key",
            pki.key.to_str().unwrap(),
            "--auth",
            &format!("tickets:{PASSWORD}"),
        ],
    );
    mail.add_server("wrong", port, "starttls", Some("not-the-password"));
    let out = mail.run(&["mail", "test", "--server", "wrong", "--to", "it@example.fi"]);
    assert!(!out.status.success());
    let error = stderr(&out);
    assert!(error.contains("The server replied: 535 "), "{error}");
    assert!(
        error.contains("The user name or password is wrong."),
        "{error}"
    );
    assert!(!error.contains("not-the-password"));

    // A copy carries the password: with the right one the test mail goes through.
    mail.add_server("right", port, "starttls", Some(PASSWORD));
    mail.ok(&["mail", "server", "copy", "right", "--name", "right-copy"]);
    let sent = mail.ok(&[
        "mail",
        "test",
        "--server",
        "right-copy",
        "--to",
        "it@example.fi",
    ]);
    assert!(
        sent.contains("test mail accepted by right-copy: 250 "),
        "{sent}"
    );
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn the_builtin_server_can_be_copied_but_never_edited_or_deleted() {
    let mail = MailCounter::new();
    let list = mail.ok(&["mail", "server", "list"]);
    assert!(list.starts_with("* builtin"), "{list}");
    assert!(list.contains("(built-in, read-only)"));
    mail.ok(&["mail", "server", "copy", "builtin", "--name", "ours"]);
    let again = mail.run(&["mail", "server", "copy", "builtin", "--name", "ours"]);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    let missing = mail.run(&["mail", "server", "default", "nonesuch"]);
    assert!(stderr(&missing).contains("There is no mail server 'nonesuch'"));
    mail.ok(&["mail", "server", "default", "ours"]);
    let list = mail.ok(&["mail", "server", "list"]);
    assert!(list.contains("* ours"), "{list}");
    let sql = mail.counter.sql();
    let update = sql.execute(
        "UPDATE mail_servers SET host = 'evil' WHERE builtin = 1",
        [],
    );
    assert!(update.unwrap_err().to_string().contains("cannot be edited"));
    let delete = sql.execute("DELETE FROM mail_servers WHERE builtin = 1", []);
    assert!(
        delete
            .unwrap_err()
            .to_string()
            .contains("cannot be deleted")
    );
    let bad = mail.run(&[
        "mail",
        "server",
        "add",
        "--name",
        "x",
        "--host",
        "h",
        "--port",
        "25",
        "--security",
        "ssl",
        "--from",
        "a@b.fi",
    ]);
    assert!(stderr(&bad).contains("--security must be starttls, tls or none"));
    let no_address = mail.run(&["mail", "send", "--order", "999"]);
    assert!(!no_address.status.success());
}

#[test]
fn tickets_go_to_a_phone_through_the_http_sms_gateway() {
    use base64::Engine;
    let mail = MailCounter::new();
    let port = free_port();
    let gateway = common::smtp::HttpGateway::start(port, &mail.side.path().join("sms"), 200);
    let url = format!("http://127.0.0.1:{port}/v1/sms");
    let out = mail.run_with_stdin(
        &[
            "sms",
            "gateway",
            "--url",
            &url,
            "--method",
            "post",
            "--body",
            r#"{"to":"{to}","message":"{text}"}"#,
            "--user",
            "boxoffice",
            "--password-stdin",
            "--link",
            "https://liput.example.fi/t/{code}",
        ],
        "gw-Secret\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = mail.sell_mail("adult=1,child=1", "asiakas@example.com");
    let order = sale["order_number"].to_string();
    let sent = mail.ok(&["sms", "send", "--order", &order, "--to", "+358 40 123 4567"]);
    assert!(
        sent.contains("tickets sent by SMS (gateway: 200 "),
        "{sent}"
    );

    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request["method"], "POST");
    assert_eq!(request["path"], "/v1/sms");
    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("boxoffice:gw-Secret")
    );
    assert_eq!(request["headers"]["authorization"], expected_auth);
    let body: serde_json::Value =
        serde_json::from_str(request["body"].as_str().unwrap()).expect("the body is JSON");
    assert_eq!(body["to"], "+358401234567");
    let message = body["message"].as_str().unwrap();
    for code in codes_of(&sale) {
        assert!(
            message.contains(&format!("https://liput.example.fi/t/{code}")),
            "{message}"
        );
    }
    let secrets = std::fs::read_to_string(mail.counter.path().join("secrets.json")).unwrap();
    assert!(!secrets.contains("gw-Secret"));

    // A gateway that refuses: the CLI says so with its words; both attempts are in the ledger.
    drop(gateway);
    let _refusing = common::smtp::HttpGateway::start(port, &mail.side.path().join("sms2"), 403);
    let refused = mail.run(&["sms", "send", "--order", &order, "--to", "+358401234567"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("refused the message: 403 {\"error\": \"invalid sender id\"}"),
        "{}",
        stderr(&refused)
    );
    let bad = mail.run(&["sms", "send", "--order", &order, "--to", "12ab"]);
    assert!(stderr(&bad).contains("The phone number '12ab' is not valid"));
    let outcomes: Vec<String> = {
        let sql = mail.counter.sql();
        let mut statement = sql
            .prepare("SELECT outcome FROM sms_attempts ORDER BY id")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(outcomes, ["sent", "failed"]);
    mail.ok(&["verify"]);
}

#[test]
fn an_events_mail_goes_through_the_server_of_the_user_who_created_it() {
    let mail = MailCounter::new();
    mail.ok(&[
        "mail",
        "server",
        "copy",
        "builtin",
        "--name",
        "register-default",
    ]);
    mail.ok(&["mail", "server", "copy", "builtin", "--name", "brand"]);
    mail.ok(&["mail", "server", "default", "register-default"]);
    let creator: String = mail
        .counter
        .sql()
        .query_row(
            "SELECT u.name FROM performances p JOIN events e ON e.id = p.event_id
               JOIN users u ON u.id = e.created_by WHERE p.id = 1",
            [],
            |row| row.get(0),
        )
        .expect("the demo event has a creator");
    let server_id = |name: &str| -> i64 {
        mail.counter
            .sql()
            .query_row(
                "SELECT id FROM mail_servers WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .unwrap()
    };
    mail.sell_mail("adult=1", "a@example.com");
    assert_eq!(
        mail.outbox(false)[0]["server_id"],
        server_id("register-default")
    );
    let out = mail.ok(&["mail", "server", "default", "brand", "--for-user", &creator]);
    assert!(out.contains(&format!("now sends for the events of {creator}")));
    mail.sell_mail("adult=1", "b@example.com");
    assert_eq!(mail.outbox(false)[1]["server_id"], server_id("brand"));
}

#[test]
fn two_senders_at_once_never_send_a_message_twice() {
    let (mail, server) = MailCounter::with_local_server(&[], 4);
    let flushes: Vec<_> = (0..2)
        .map(|_| {
            mail.command(&["mail", "flush"])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let reports: Vec<String> = flushes
        .into_iter()
        .map(|child| stdout(&child.wait_with_output().unwrap()))
        .collect();
    assert_eq!(server.messages().len(), 4, "{reports:?}");
    let sent: usize = reports
        .iter()
        .map(|r| {
            r.split(" sent")
                .next()
                .unwrap()
                .trim()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(sent, 4, "{reports:?}");
}

#[test]
fn bulk_remail_of_a_performance_reports_progress_stops_on_cancel_and_is_for_staff_only() {
    use std::cell::RefCell;
    let mail = MailCounter::new();
    for n in 0..3 {
        mail.sell_mail("adult=1", &format!("asiakas{n}@example.com"));
    }
    let mut services = mail.counter.services();
    let cashier = services.login("cashier", "1111").unwrap();
    let refused = services.bulk_remail_performance(&cashier, PerformanceId(1), |_, _| {}, || false);
    assert!(
        matches!(
            refused,
            Err(boxoffice::app::AppError::Admin(
                AdminError::Forbidden { .. }
            ))
        ),
        "{refused:?}"
    );
    let staff = services.login("staff", "2222").unwrap();
    let progress = RefCell::new(Vec::new());
    let cancelled_after_two = services
        .bulk_remail_performance(
            &staff,
            PerformanceId(1),
            |done, total| progress.borrow_mut().push((done, total)),
            || progress.borrow().len() >= 2,
        )
        .unwrap();
    assert_eq!(cancelled_after_two.len(), 2);
    assert_eq!(*progress.borrow(), vec![(1, 3), (2, 3)]);
    let all = services
        .bulk_remail_performance(&staff, PerformanceId(1), |_, _| {}, || false)
        .unwrap();
    assert_eq!(all.len(), 3, "one re-mail per order with an address");
    assert_eq!(mail.outbox(false).len(), 3 + 2 + 3);
}

#[test]
fn a_receipt_alone_is_mailed_with_its_pdf_and_journaled() {
    let mail = MailCounter::new();
    let port = free_port();
    let pki = &mail.pki;
    let server = SmtpServer::start(
        port,
        &mail.side.path().join("inbox"),
        &[
            "--tls",
            "tls",
            "--cert",
            pki.cert.to_str().unwrap(),
            "--key",
            pki.key.to_str().unwrap(),
        ],
    );
    mail.add_server("wrapped", port, "tls", None);
    let sale = mail.counter.sell_json(1, "adult=2", "100");
    let order = sale["order_number"].to_string();
    let out = mail.run(&[
        "receipt",
        "mail",
        &order,
        "--to",
        "asiakas@example.com",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let found = inspect(&messages[0], None);
    assert_eq!(found["to"], "asiakas@example.com");
    assert_eq!(found["pdf_pages"], 1, "the receipt's page");
    for part in ["html", "text", "pdf_text"] {
        let content = found[part].as_str().unwrap_or_default();
        assert!(
            content.contains("ALV %") && content.contains(&format!("Tilaus {order}")),
            "{part}: {content}"
        );
    }
    let journaled: i64 = mail
        .counter
        .sql()
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'receipt.mail'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(journaled, 1);
    let out = mail.run(&[
        "receipt",
        "mail",
        &order,
        "--to",
        "not an address",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ]);
    assert!(!out.status.success());
}

/// The envelopes of what `server` received: (recipient, the client's port, NOOPs answered before).
fn received(server: &SmtpServer) -> Vec<(String, u64, u64)> {
    server
        .messages()
        .iter()
        .map(|message| {
            let envelope = server.envelope(message);
            (
                envelope["rcpt_tos"][0].as_str().unwrap().to_string(),
                envelope["peer_port"].as_u64().unwrap(),
                envelope["noops_before"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Issue 16: a flush sends on a few connections kept open from message to message, and asks the
/// server nothing between messages (lettre's pool sent a NOOP before every reuse).
#[test]
fn a_flush_sends_on_a_few_open_connections_without_a_noop_between_messages() {
    let (mail, server) = MailCounter::with_local_server(&[], 12);
    let report = mail.ok(&["mail", "flush"]);
    assert!(report.contains("12 sent, 0 to retry, 0 failed"), "{report}");
    let received = received(&server);
    assert_eq!(received.len(), 12);
    let noops = received.iter().map(|(_, _, noops)| *noops).max();
    assert_eq!(
        noops,
        Some(0),
        "NOOPs answered before a message: {received:?}"
    );
    let connections: std::collections::BTreeSet<u64> =
        received.iter().map(|(_, port, _)| *port).collect();
    assert!(
        connections.len() <= 4,
        "one connection per sending thread: {received:?}"
    );
}

/// A relay that closes a connection after two messages, silently or with 421 at the next MAIL:
/// the next message goes on a new connection in the same flush, and every message arrives once.
#[test]
fn a_relay_that_closes_connections_between_messages_still_gets_each_message_once() {
    for option in ["--close-after", "--limit"] {
        let (mail, server) = MailCounter::with_local_server(&[option, "2"], 9);
        let report = mail.ok(&["mail", "flush"]);
        assert!(
            report.contains("9 sent, 0 to retry, 0 failed"),
            "{option}: {report}"
        );
        let received = received(&server);
        let mut recipients: Vec<&str> = received.iter().map(|(to, _, _)| to.as_str()).collect();
        recipients.sort();
        recipients.dedup();
        assert_eq!(recipients.len(), 9, "{option}: each once: {received:?}");
        assert_eq!(received.len(), 9, "{option}: {received:?}");
        let connections: std::collections::BTreeSet<u64> =
            received.iter().map(|(_, port, _)| *port).collect();
        assert!(
            connections.len() >= 5,
            "{option}: no connection carried more than two: {received:?}"
        );
    }
}
