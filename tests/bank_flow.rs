//! Bank payments end to end: the real binary, a real ledger file, and `tests/bank_sim.py`, a
//! Verkkomaksu simulator written independently in Python (hashlib, http.server) on loopback.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use common::bank::{
    Bank, KEY, MERCHANT, browse, closed_port, configure_bank, counter_with_bank, pay_at_the_bank,
};
use common::{Counter, stderr, stdout, with_user};

fn reserve(counter: &Counter, tickets: &str) -> serde_json::Value {
    let out = counter.run(&with_user(
        &[
            "reserve",
            "--performance",
            "2",
            "--tickets",
            tickets,
            "--name",
            "Åsa Öberg",
            "--phone",
            "+358401234567",
            "--json",
        ],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check(counter: &Counter, reference: &str) -> (bool, serde_json::Value) {
    let out = counter.run(&with_user(
        &["reservation", "check", reference, "--json"],
        "cashier",
        "1111",
    ));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{} / {}", stdout(&out), stderr(&out)));
    (out.status.success(), value[0].clone())
}

#[test]
fn a_reservation_holds_seats_and_the_query_settles_it_by_return_code() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    let before = counter.remaining(2);
    let reservation = reserve(&counter, "adult=2,child=1");
    let reference = reservation["reference"].as_str().unwrap().to_string();
    assert_eq!(reservation["total_cents"], 2 * 1850 + 900);
    assert_eq!(reservation["state"], "open");
    assert!(
        reservation["reference_rf"]
            .as_str()
            .unwrap()
            .starts_with("RF")
    );
    // The held tickets are taken from what can be sold.
    assert_eq!(counter.remaining(2), before - 3);

    // 001: not paid yet; due today, so it stays open.
    let (ok, result) = check(&counter, &reference);
    assert!(ok);
    assert_eq!(result["outcome"], "open");
    // Refusals are named, and change nothing.
    for (code, meaning) in [
        ("004", "no such merchant"),
        ("006", "no query contract"),
        ("010", "not unique"),
    ] {
        bank.control(&format!("code={code}"));
        let (ok, result) = check(&counter, &reference);
        assert!(!ok, "{code} must fail the command");
        assert_eq!(result["outcome"], "refused");
        assert!(
            result["detail"].as_str().unwrap().contains(meaning),
            "{code}: {result}"
        );
    }
    // 000 with an amount that is not ours: refused, nothing sold.
    bank.control("code=000");
    let (ok, result) = check(&counter, &reference);
    assert!(!ok);
    assert!(
        result["detail"].as_str().unwrap().contains("amount"),
        "{result}"
    );
    assert_eq!(counter.count("orders"), 0);
    // The verify code the simulator checked was computed by the box office from the key.
    assert!(bank.log().contains(&format!("\"refno\": \"{reference}\"")));

    // Paid through the bank's page (the simulator records it), then the query finds it.
    bank.control("code=&mode=pay");
    pay_at_the_bank(&bank, &reference, "46,00");
    let (ok, result) = check(&counter, &reference);
    assert!(ok, "{result}");
    assert_eq!(result["outcome"], "paid");
    assert!(
        result["detail"]
            .as_str()
            .unwrap()
            .contains("tickets printed"),
        "{result}"
    );
    let printed = std::fs::read_to_string(counter.path().join("print/pc43d.prn")).unwrap();
    assert_eq!(
        printed.matches("PRINTFEED").count(),
        3,
        "one printed ticket per seat"
    );
    let order = result["order_number"].as_i64().unwrap();
    let payment: (String, i64, String) = counter
        .sql()
        .query_row(
            "SELECT tender, amount_cents, state FROM payments WHERE order_id = ?1",
            [order],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(payment, ("bank".to_string(), 4600, "approved".to_string()));
    assert_eq!(counter.count("tickets"), 3);
    // Hold given back and tickets sold: the same number taken.
    assert_eq!(counter.remaining(2), before - 3);
    // A second check does not sell twice.
    let (_, again) = check(&counter, &reference);
    assert_eq!(again["outcome"], "paid");
    assert_eq!(counter.count("orders"), 1);
    let verify = counter.run(&["verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

#[test]
fn the_query_fails_over_to_the_alternative_url_and_says_so() {
    let bank = Bank::start();
    let dead = format!("http://127.0.0.1:{}/HB", closed_port());
    let counter = counter_with_bank(&bank, &dead, Some(&bank.url("/HB")));
    let reference = reserve(&counter, "adult=1")["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let (ok, result) = check(&counter, &reference);
    assert!(ok, "{result}");
    assert_eq!(result["outcome"], "open");
    assert_eq!(result["via_alternative"], true);
    assert!(result["detail"].as_str().unwrap().contains("alternative"));
    // The support report names the primary's failure and never shows the key.
    let doctor = counter.run(&["doctor"]);
    assert!(doctor.status.success());
    let report = stdout(&doctor);
    assert!(report.contains("bank.query"), "{report}");
    assert!(report.contains("bank.query.primary"), "{report}");
    assert!(report.contains("FAIL"), "{report}");
    assert!(!report.contains(KEY), "the support report leaks the key");
    assert!(report.contains("valid from 2020-01-01"));

    // Both down: unreachable, nothing changes, the command fails with the reasons.
    let counter = counter_with_bank(&bank, &dead, Some(&dead));
    let reference = reserve(&counter, "adult=1")["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let (ok, result) = check(&counter, &reference);
    assert!(!ok);
    assert_eq!(result["outcome"], "unreachable");
    assert_eq!(counter.count("reservation_events"), 0);
}

/// `sell --pay bank` at the counter, with the test playing the customer's browser.
struct CounterSale {
    child: Child,
    pay_url: String,
    errors: std::thread::JoinHandle<String>,
}

fn start_counter_sale(counter: &Counter, wait_secs: &str) -> CounterSale {
    start_counter_sale_with(counter, wait_secs, &[])
}

/// [`start_counter_sale`] with more arguments (`--email …`).
fn start_counter_sale_with(counter: &Counter, wait_secs: &str, more: &[&str]) -> CounterSale {
    let mut args = vec![
        "sell",
        "--performance",
        "2",
        "--tickets",
        "adult=2",
        "--pay",
        "bank",
        "--no-browser",
        "--wait",
        wait_secs,
        "--json",
    ];
    args.extend_from_slice(more);
    let mut child = counter
        .command(&with_user(&args, "cashier", "1111"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    // The first line that names the page (a warning about --pin may come before it).
    while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("http://127.0.0.1:") {
        line.clear();
    }
    let pay_url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no page address in {line:?}"))
        .to_string();
    // Keep draining stderr so the child never blocks on it; kept for the assertions.
    let errors = std::thread::spawn(move || {
        let mut rest = line;
        while stderr.read_line(&mut rest).unwrap_or(0) > 0 {}
        rest
    });
    CounterSale {
        child,
        pay_url,
        errors,
    }
}

impl CounterSale {
    /// Waits for the sale to end: (succeeded, stdout, stderr).
    fn finish(self) -> (bool, String, String) {
        let out = self.child.wait_with_output().unwrap();
        let errors = self.errors.join().unwrap();
        (out.status.success(), stdout(&out), errors)
    }
}

#[test]
fn a_verified_reply_at_the_counter_sells_the_tickets() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    let before = counter.remaining(2);
    let sale = start_counter_sale(&counter, "30");
    let (fields, status) = browse(&sale.pay_url);
    assert_eq!(status, 200);
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).unwrap().1.clone();
    assert_eq!(get("SUMMA"), "37,00");
    assert_eq!(get("VERSIO"), "4");
    assert_eq!(get("KNRO"), MERCHANT);
    assert!(get("OKURL").starts_with("http://127.0.0.1:"));
    let (ok, out, errors) = sale.finish();
    assert!(ok, "{errors}");
    let receipt: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(receipt["total_cents"], 3700);
    assert_eq!(receipt["tickets"].as_array().unwrap().len(), 2);
    let tender: String = counter
        .sql()
        .query_row("SELECT tender FROM payments", [], |row| row.get(0))
        .unwrap();
    assert_eq!(tender, "bank");
    let source: String = counter
        .sql()
        .query_row("SELECT source FROM reservation_payments", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(source, "reply");
    assert_eq!(counter.remaining(2), before - 2);

    // Refunds of a bank payment: at most what was paid, once; the money goes back in the bank.
    let order = receipt["order_number"].as_i64().unwrap().to_string();
    let refund = |amount: &str| {
        counter.run(&with_user(
            &[
                "refund",
                "--order",
                &order,
                "--amount",
                amount,
                "--reason",
                "wrong_price",
                "--json",
            ],
            "manager",
            "9999",
        ))
    };
    let too_much = refund("37,01");
    assert!(!too_much.status.success());
    assert!(
        stderr(&too_much).contains("At most 37,00 €"),
        "{}",
        stderr(&too_much)
    );
    let cashier = counter.run(&with_user(
        &[
            "refund",
            "--order",
            &order,
            "--amount",
            "5",
            "--reason",
            "wrong_price",
        ],
        "cashier",
        "1111",
    ));
    assert!(
        !cashier.status.success(),
        "a cashier refunded a bank payment alone"
    );
    let first = refund("10,00");
    assert!(first.status.success(), "{}", stderr(&first));
    let outcome: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(outcome["tender"], "bank");
    assert_eq!(outcome["amount_cents"], 1000);
    let reference: String = counter
        .sql()
        .query_row("SELECT reference FROM reservations", [], |row| row.get(0))
        .unwrap();
    assert_eq!(outcome["bank_reference"], reference.as_str());
    assert!(
        stderr(&first).contains("Verkkomaksu refund function"),
        "{}",
        stderr(&first)
    );
    let second = refund("1,00");
    assert!(!second.status.success());
    assert!(stderr(&second).contains("only once"), "{}", stderr(&second));
    // The cash drawer never paid for it.
    let cash_refunds: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM refunds WHERE tender = 'cash'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(cash_refunds, 0);
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn the_customer_is_sent_to_the_alternative_payment_page_when_the_primary_is_down() {
    let bank = Bank::start();
    let counter = Counter::demo();
    let dead = format!("http://127.0.0.1:{}/vemaha", closed_port());
    let alternative = bank.url("/vemaha");
    configure_bank(&counter, &dead, Some(&alternative), &bank.url("/HB"), None);
    let sale = start_counter_sale(&counter, "30");
    let page = reqwest::blocking::get(&sale.pay_url)
        .unwrap()
        .text()
        .unwrap();
    assert!(
        page.contains(&alternative),
        "the form still posts to the dead primary"
    );
    let (_, status) = browse(&sale.pay_url);
    assert_eq!(status, 200);
    let (ok, _, errors) = sale.finish();
    assert!(ok, "{errors}");
    let doctor = stdout(&counter.run(&["doctor"]));
    assert!(
        doctor.contains("customers sent to the alternative"),
        "{doctor}"
    );
}

#[test]
fn a_forged_or_tampered_reply_sells_nothing_and_the_seats_come_back() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    let before = counter.remaining(2);
    for mode in ["forge", "tamper"] {
        bank.control(&format!("mode={mode}"));
        let sale = start_counter_sale(&counter, "3");
        let (_, status) = browse(&sale.pay_url);
        assert_eq!(status, 200);
        let (ok, _, errors) = sale.finish();
        assert!(!ok, "{mode}: a forged reply sold tickets");
        assert!(errors.contains("refused"), "{mode}: {errors}");
        assert!(errors.contains("not paid"), "{mode}: {errors}");
        assert_eq!(counter.count("orders"), 0, "{mode}");
        assert_eq!(
            counter.remaining(2),
            before,
            "{mode}: the held seats were not given back"
        );
    }
    let states: Vec<String> = counter
        .sql()
        .prepare("SELECT state FROM reservation_events ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(states, ["cancelled", "cancelled"]);
    // The customer cancels at the bank: back to the cart at once, nothing sold.
    bank.control("mode=cancel");
    let sale = start_counter_sale(&counter, "60");
    let started = std::time::Instant::now();
    let (_, status) = browse(&sale.pay_url);
    assert_eq!(status, 200);
    let (ok, _, errors) = sale.finish();
    assert!(!ok);
    assert!(errors.contains("cancelled at the bank"), "{errors}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "a cancel waited for the deadline"
    );
    assert_eq!(counter.count("orders"), 0);
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn past_due_reservations_are_released_by_the_check() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    let before = counter.remaining(2);
    // A phone order due yesterday (written as an older program version would have it).
    counter
        .try_batch(
        "INSERT INTO reservations (id, reference, kind, register_id, user_id, performance_id, created_at,
                                   due_date, total_cents, lang)
         SELECT 7, '100071', 'reservation', id, 1, 2, '2026-01-01T10:00:00+02:00', '2026-01-02', 1850, 'fi'
         FROM register;
         INSERT INTO reservation_lines (reservation_id, line_no, category_id, quantity, unit_price_cents, vat_basis_points)
         SELECT 7, 1, c.id, 1, 1850, 1350 FROM price_categories c
         JOIN performances p ON p.event_id = c.event_id WHERE p.id = 2 AND c.code = 'adult';",
    )
    .unwrap();
    assert_eq!(counter.remaining(2), before - 1);
    let out = counter.run(&with_user(
        &["reservation", "check", "--all", "--json"],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let checks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(checks[0]["outcome"], "released");
    assert_eq!(counter.remaining(2), before);
    let list = counter.run(&["reservation", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list[0]["state"], "released");
    // Released is final: a manual release now says so.
    let out = counter.run(&with_user(
        &["reservation", "release", "100071", "--reason", "test"],
        "cashier",
        "1111",
    ));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already ended"), "{}", stderr(&out));
}

/// A mail order for one adult ticket to asa@example.fi, paid at the bank: its reference.
fn paid_mail_order(bank: &Bank, counter: &Counter) -> String {
    let out = counter.run(&with_user(
        &[
            "reserve",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--email",
            "asa@example.fi",
            "--json",
        ],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let reservation: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reference = reservation["reference"].as_str().unwrap().to_string();
    pay_at_the_bank(bank, &reference, "18,50");
    reference
}

#[test]
fn a_paid_mail_order_sends_its_tickets_by_mail() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    let reference = paid_mail_order(&bank, &counter);
    let (ok, result) = check(&counter, &reference);
    assert!(ok, "{result}");
    assert!(
        result["detail"]
            .as_str()
            .unwrap()
            .contains("queued for mail to asa@example.fi"),
        "{result}"
    );
    let (to, order): (String, i64) = counter
        .sql()
        .query_row("SELECT to_address, order_id FROM mail_outbox", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(to, "asa@example.fi");
    assert_eq!(Some(order), result["order_number"].as_i64());
}

/// Makes the ledger refuse every new outbox row, as a full disk or a crash at that moment
/// would: what the payment's transaction holds then shows (issue 14 §8).
fn refuse_mail(counter: &Counter) {
    counter.refuse_inserts(
        "mail_outbox",
        "test_refuse_mail",
        "mail refused by the test",
    );
}

fn allow_mail(counter: &Counter) {
    counter.allow_inserts("mail_outbox", "test_refuse_mail");
}

fn outbox(counter: &Counter) -> Vec<(String, i64)> {
    let sql = counter.sql();
    let mut statement = sql
        .prepare("SELECT to_address, order_id FROM mail_outbox ORDER BY id")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_paid_reservation_queues_its_mail_in_the_payments_transaction() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    let reference = paid_mail_order(&bank, &counter);
    // The mail cannot be queued: then the payment is not recorded either (one transaction);
    // the reservation stays open and the money at the bank settles it at the next check.
    refuse_mail(&counter);
    let refused = counter.run(&with_user(
        &["reservation", "check", &reference, "--json"],
        "cashier",
        "1111",
    ));
    assert!(
        !refused.status.success(),
        "sold without its mail: {}",
        stdout(&refused)
    );
    assert_eq!(counter.count("orders"), 0, "a paid order without its mail");
    assert_eq!(counter.count("reservation_payments"), 0);
    allow_mail(&counter);
    let (ok, result) = check(&counter, &reference);
    assert!(ok, "{result}");
    assert_eq!(result["outcome"], "paid");
    let order = result["order_number"].as_i64().unwrap();
    assert_eq!(
        outbox(&counter),
        vec![("asa@example.fi".to_string(), order)]
    );
    assert!(
        result["detail"]
            .as_str()
            .unwrap()
            .contains("queued for mail to asa@example.fi"),
        "{result}"
    );
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn a_bank_sale_at_the_counter_queues_its_mail_in_the_payments_transaction() {
    let bank = Bank::start();
    let counter = counter_with_bank(&bank, &bank.url("/HB"), None);
    // Mailed: the outbox row belongs to the order the receipt names.
    let sale = start_counter_sale_with(&counter, "30", &["--email", "asa@example.fi"]);
    browse(&sale.pay_url);
    let (ok, out, errors) = sale.finish();
    assert!(ok, "{errors}");
    let receipt: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = receipt["order_number"].as_i64().unwrap();
    assert_eq!(
        outbox(&counter),
        vec![("asa@example.fi".to_string(), first)]
    );

    // The mail cannot be queued: the reply is not taken, the query at the deadline cannot
    // sell either, and nothing is sold without its mail.
    refuse_mail(&counter);
    let sale = start_counter_sale_with(&counter, "3", &["--email", "bo@example.fi"]);
    browse(&sale.pay_url);
    let (ok, out, errors) = sale.finish();
    assert!(!ok, "sold without its mail: {out}");
    assert!(errors.contains("mail refused by the test"), "{errors}");
    assert_eq!(counter.count("orders"), 1, "a paid order without its mail");
    // The customer paid: the check sells it, with its mail, once the ledger takes mail again.
    allow_mail(&counter);
    let reference: String = counter
        .sql()
        .query_row(
            "SELECT reference FROM reservations ORDER BY id DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let (ok, result) = check(&counter, &reference);
    assert!(ok, "{result}");
    let second = result["order_number"].as_i64().unwrap();
    assert_eq!(
        outbox(&counter),
        vec![
            ("asa@example.fi".to_string(), first),
            ("bo@example.fi".to_string(), second)
        ]
    );
    assert!(counter.run(&["verify"]).status.success());
}
