//! Card payments end to end: the real binary on a real ledger, the agent simulator on a real
//! loopback port (in this test process), faults injected per payment.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::time::{Duration, Instant};

use common::{Counter, stderr, stdout, with_user};
use emv_agent::Totals;
use emv_agent::sim::{Fault, SimConfig, Simulator};

fn sim() -> Simulator {
    Simulator::start("127.0.0.1:0", SimConfig::default()).unwrap()
}

/// A demo counter with the simulator as terminal T1.
fn counter_with(sim: &Simulator) -> Counter {
    let counter = Counter::demo();
    let out = counter.run(&["terminal", "add", "--name", "T1", "--agent", sim.address()]);
    assert!(out.status.success(), "{}", stderr(&out));
    counter
}

fn sell_card(counter: &Counter, tickets: &str, pay: &str) -> std::process::Output {
    counter.run(&[
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
        pay,
        "--json",
    ])
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn scalar(counter: &Counter, sql: &str) -> i64 {
    counter.sql().query_row(sql, [], |row| row.get(0)).unwrap()
}

fn verify_ok(counter: &Counter) {
    let out = counter.run(&["verify"]);
    assert!(
        out.status.success(),
        "verify: {}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn card_sale_is_recorded_with_the_approval_and_never_more() {
    let sim = sim();
    let counter = counter_with(&sim);
    let sale = json(&sell_card(&counter, "adult=2", "card"));
    assert_eq!(sale["total_cents"], 7000);
    assert_eq!(sale["card"][0]["amount_cents"], 7000);
    assert_eq!(sale["card"][0]["masked_pan"], "411111******1111");
    let order = sale["order_number"].as_i64().unwrap();
    // The pending attempt row (written before the request) and the order's card payment.
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM payments WHERE order_id IS NULL AND state = 'pending' AND tender = 'card'"
        ),
        1
    );
    assert_eq!(
        scalar(
            &counter,
            &format!(
                "SELECT sum(amount_cents) FROM payments WHERE order_id = {order} AND state = 'approved' AND tender = 'card' AND card_last4 = '1111'"
            )
        ),
        7000
    );
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM card_outcomes WHERE state = 'approved'"
        ),
        1
    );
    assert_eq!(
        scalar(
            &counter,
            &format!(
                "SELECT count(*) FROM card_outcomes WHERE state = 'settled' AND order_id = {order}"
            )
        ),
        1
    );
    assert_eq!(
        sim.batch_totals().0,
        Totals {
            count: 1,
            cents: 7000
        }
    );
    // The order is found by the card's last four digits, and its receipt shows the card slip.
    let show = counter.run(&["order", "show", &order.to_string()]);
    assert!(
        stdout(&show).contains("411111******1111"),
        "{}",
        stdout(&show)
    );
    assert!(
        stdout(&show).contains("CARDHOLDER COPY"),
        "{}",
        stdout(&show)
    );
    verify_ok(&counter);
}

#[test]
fn split_tender_cash_and_card_in_either_order() {
    let sim = sim();
    let counter = counter_with(&sim);
    // 35,00 €: 5,00 € cash, the rest by card.
    let first = json(&sell_card(&counter, "adult=1", "cash:5,card"));
    // 35,00 €: 20,00 € by card, the rest in cash.
    let second = json(&sell_card(&counter, "adult=1", "card:20,cash"));
    let (a, b) = (
        first["order_number"].as_i64().unwrap(),
        second["order_number"].as_i64().unwrap(),
    );
    let paid = |order: i64, tender: &str| {
        scalar(
            &counter,
            &format!(
                "SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE order_id = {order} AND tender = '{tender}' AND state = 'approved'"
            ),
        )
    };
    assert_eq!((paid(a, "cash"), paid(a, "card")), (500, 3000));
    assert_eq!((paid(b, "cash"), paid(b, "card")), (1500, 2000));
    assert_eq!(
        sim.batch_totals().0,
        Totals {
            count: 2,
            cents: 5000
        }
    );
    // Two amounts, or none with two tenders, are refused before anything happens.
    assert!(
        !sell_card(&counter, "adult=1", "cash:5,card:30")
            .status
            .success()
    );
    assert!(!sell_card(&counter, "adult=1", "cash,card").status.success());
    assert_eq!(sim.batch_totals().0.count, 2);
    verify_ok(&counter);
}

#[test]
fn declined_card_sells_nothing_and_cash_still_works() {
    let sim = sim();
    let counter = counter_with(&sim);
    sim.inject(Fault::Decline);
    let out = sell_card(&counter, "adult=1", "card");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not approved (Refusal)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("orders"), 0);
    assert_eq!(counter.remaining(1), 40);
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM card_outcomes WHERE state = 'declined' AND detail = 'Refusal'"
        ),
        1
    );
    // A busy terminal likewise, and the next card sale goes through.
    sim.inject(Fault::Busy);
    assert!(stderr(&sell_card(&counter, "adult=1", "card")).contains("Busy"));
    json(&sell_card(&counter, "adult=1", "card"));
    assert!(counter.sell(1, "adult=1", "35").status.success());
    assert_eq!(counter.count("orders"), 2);
}

#[test]
fn agent_not_running_is_reported_at_once_and_cash_still_works() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let counter = Counter::demo();
    let address = format!("127.0.0.1:{port}");
    assert!(
        counter
            .run(&["terminal", "add", "--name", "T1", "--agent", &address])
            .status
            .success()
    );
    let started = Instant::now();
    let out = sell_card(&counter, "adult=1", "card");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!(
            "card terminal agent is not answering on {address}"
        )),
        "{}",
        stderr(&out)
    );
    // Nothing was sent, so nothing blocks the terminal; cash sales go on.
    assert!(stdout(&counter.run(&["payments", "pending"])).contains("no pending payments"));
    assert!(counter.sell(1, "adult=1", "35").status.success());
    let status = counter.run(&["terminal", "status", "T1"]);
    assert!(
        stdout(&status).contains("not answering"),
        "{}",
        stdout(&status)
    );
}

#[test]
fn dropped_connection_after_approval_is_recovered_by_status_query() {
    let sim = sim();
    let counter = counter_with(&sim);
    sim.inject(Fault::DropAfterApprove);
    let sale = json(&sell_card(&counter, "adult=1", "card"));
    assert_eq!(sale["card"][0]["amount_cents"], 3500);
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM card_outcomes WHERE state = 'unknown'"
        ),
        1
    );
    assert_eq!(sim.approved().len(), 1);
    verify_ok(&counter);
}

#[test]
fn garbage_and_wrong_service_id_do_not_lose_the_payment() {
    let sim = sim();
    let counter = counter_with(&sim);
    sim.inject(Fault::Garbage);
    json(&sell_card(&counter, "adult=1", "card"));
    sim.inject(Fault::WrongServiceId);
    let out = counter
        .command(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "1",
            "--tickets",
            "child=1",
            "--pay",
            "card",
            "--json",
        ])
        .env("BOXOFFICE_CARD_TIMEOUT_MS", "700")
        .output_bounded()
        .unwrap();
    assert_eq!(json(&out)["card"][0]["amount_cents"], 1500);
    assert_eq!(counter.count("orders"), 2);
    assert_eq!(
        sim.batch_totals().0,
        Totals {
            count: 2,
            cents: 5000
        }
    );
}

#[test]
fn late_answer_blocks_the_terminal_until_resolved_then_the_orphan_is_reversed() {
    let sim = sim();
    let counter = counter_with(&sim);
    sim.inject(Fault::Late(Duration::from_millis(4000)));
    let out = counter
        .command(&[
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
            "card",
        ])
        .env("BOXOFFICE_CARD_TIMEOUT_MS", "300")
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is unknown"), "{}", stderr(&out));
    assert_eq!(counter.count("orders"), 0);
    let pending = json(&counter.run(&["payments", "pending", "--json"]));
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let attempt = pending[0]["service_id"].as_str().unwrap().to_string();
    // Blocked: a new card sale is refused while the terminal still says InProgress.
    let blocked = sell_card(&counter, "adult=1", "card");
    assert!(stderr(&blocked).contains("blocked"), "{}", stderr(&blocked));
    assert_eq!(
        sim.approved().len(),
        1,
        "no second payment reached the terminal"
    );
    // A cashier cannot resolve by hand.
    let refused = counter.run(&with_user(
        &["payments", "resolve", &attempt, "--not-approved"],
        "cashier",
        "1111",
    ));
    assert!(!refused.status.success());
    // Once the terminal finishes, the approval (in no order) is found and reversed.
    std::thread::sleep(Duration::from_millis(3500));
    let pending = json(&counter.run(&["payments", "pending", "--json", "--resolve"]));
    assert_eq!(pending.as_array().unwrap().len(), 0, "{pending}");
    let approved = sim.approved();
    assert_eq!(approved.len(), 1);
    assert!(approved[0].reversed);
    assert_eq!(sim.batch_totals().0, Totals::default());
    assert_eq!(
        scalar(
            &counter,
            &format!(
                "SELECT count(*) FROM card_outcomes WHERE service_id = '{attempt}' AND state = 'reversed'"
            )
        ),
        1
    );
    json(&sell_card(&counter, "adult=1", "card"));
    verify_ok(&counter);
}

#[test]
fn manual_resolution_after_the_limit_when_the_agent_is_gone() {
    let sim = sim();
    let counter = counter_with(&sim);
    // The agent stops right after it approved: the status queries cannot reach it.
    sim.inject(Fault::VanishAfterApprove);
    let out = sell_card(&counter, "adult=1", "card");
    assert!(!out.status.success());
    assert_eq!(sim.approved().len(), 1);
    drop(sim);
    let pending = json(&counter.run(&["payments", "pending", "--json"]));
    let attempt = pending[0]["service_id"].as_str().unwrap().to_string();
    assert!(
        pending[0]["unknown_count"].as_i64().unwrap() >= 3,
        "{pending}"
    );
    let out = counter.run(&with_user(
        &["payments", "resolve", &attempt, "--not-approved"],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&counter.run(&["payments", "pending"])).contains("no pending payments"));
    // Twice is refused.
    let again = counter.run(&with_user(
        &["payments", "resolve", &attempt, "--not-approved"],
        "manager",
        "9999",
    ));
    assert!(!again.status.success());
    verify_ok(&counter);
}

#[test]
fn sale_that_fails_after_approval_is_reversed() {
    let sim = sim();
    let counter = counter_with(&sim);
    // Performance 2 has 300 seats; while the customer types the PIN, cash sales take them all.
    sim.inject(Fault::SlowPin(Duration::from_millis(4000)));
    let card = counter
        .command(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "2",
            "--tickets",
            "adult=2",
            "--pay",
            "card",
        ])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let cash = counter.run(&[
        "sell",
        "--user",
        "staff",
        "--pin",
        "2222",
        "--performance",
        "2",
        "--tickets",
        "adult=300",
        "--pay",
        "cash",
        "--tendered",
        "10000",
    ]);
    assert!(cash.status.success(), "{}", stderr(&cash));
    let out = card.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("reversed"), "{}", stderr(&out));
    let approved = sim.approved();
    assert_eq!(approved.len(), 1);
    assert!(approved[0].reversed);
    assert_eq!(counter.count("orders"), 1);
    assert!(stdout(&counter.run(&["payments", "pending"])).contains("no pending payments"));
    verify_ok(&counter);
}

#[test]
fn reconciliation_compares_the_terminal_with_the_ledger_and_goes_into_the_z_report() {
    let sim = sim();
    let counter = counter_with(&sim);
    json(&sell_card(&counter, "adult=1", "card"));
    json(&sell_card(&counter, "child=2", "cash:10,card"));
    let row = json(&counter.run(&["terminal", "reconcile", "T1", "--json"]));
    assert_eq!(row["terminal_debit_count"], 2);
    assert_eq!(row["terminal_debit_cents"], 5500);
    assert_eq!(row["ledger_debit_cents"], 5500);
    assert_eq!(row["difference_cents"], 0);
    // A new batch: the next reconciliation counts only what came after.
    json(&sell_card(&counter, "adult=1", "card"));
    let row = json(&counter.run(&["terminal", "reconcile", "T1", "--json"]));
    assert_eq!(
        (
            row["terminal_debit_count"].as_i64(),
            row["ledger_debit_cents"].as_i64()
        ),
        (Some(1), Some(3500))
    );
    let x = counter.run(&with_user(&["shift", "x"], "manager", "9999"));
    assert!(stdout(&x).contains("reconciliation"), "{}", stdout(&x));
    assert!(stdout(&x).contains("difference 0,00 €"), "{}", stdout(&x));
}

/// An agent that puts a full card number where only a masked one belongs: answers one payment.
fn careless_agent() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let request: serde_json::Value = serde_json::from_str(&line).unwrap();
        let mut header = request["SaleToPOIRequest"]["MessageHeader"].clone();
        header["MessageType"] = "Response".into();
        let amount = request["SaleToPOIRequest"]["PaymentRequest"]["PaymentTransaction"]["AmountsReq"]["RequestedAmount"].clone();
        let response = serde_json::json!({"SaleToPOIResponse": {"MessageHeader": header, "PaymentResponse": {
            "Response": {"Result": "Success"},
            "POIData": {"POITransactionID": {"TransactionID": "POI-4111111111111111", "TimeStamp": "2026-11-25T14:03:40+02:00"}},
            "PaymentResult": {
                "PaymentInstrumentData": {"CardData": {"PaymentBrand": "VISA", "MaskedPan": "4111111111111111"}},
                "AmountsResp": {"Currency": "EUR", "AuthorizedAmount": amount},
                "PaymentAcquirerData": {"ApprovalCode": "123456"}},
            "PaymentReceipt": [{"DocumentQualifier": "CustomerReceipt", "OutputContent": {"OutputFormat": "Text",
                "OutputText": [{"Text": "CARD 4111 1111 1111 1111"}, {"Text": "PAN 4111.1111.1111.1111"},
                    {"Text": "PAN\t4111\t1111\t1111\t1111"}]}}]}}});
        writer
            .write_all(format!("{response}\n").as_bytes())
            .unwrap();
        std::thread::sleep(Duration::from_secs(2));
    });
    address
}

/// Runs of 13 or more decimal digits, outside the (64-character) hex hashes of the journal.
fn digit_runs(bytes: &[u8]) -> Vec<String> {
    // A hex identifier (a hash, an operation or attempt id, a nonce: 20 or more hex characters
    // with a letter among them) is no card number, though a random one holds a run of 13
    // digits often enough to fail one run in a few dozen.
    let hex_id = |token: &[u8]| token.len() >= 20 && token.iter().any(u8::is_ascii_alphabetic);
    bytes
        .split(|b| !b.is_ascii_hexdigit())
        .filter(|token| !hex_id(token))
        .flat_map(|token| token.split(|b| !b.is_ascii_digit()))
        .filter(|run| run.len() >= 13)
        .map(|run| String::from_utf8_lossy(run).into_owned())
        .collect()
}

#[test]
fn no_card_number_in_the_ledger_file_or_the_logs() {
    assert_eq!(digit_runs(b"x 4111111111111111 y"), ["4111111111111111"]);
    assert_eq!(digit_runs(b"pan=4111111111111111;"), ["4111111111111111"]);
    assert_eq!(digit_runs(b"a4111111111111111"), ["4111111111111111"]);
    // The run of 15 digits in a hex id made one CI run fail (626809543224800).
    assert!(digit_runs(b"id 9f626809543224800a1b2c3d4e5f6a7b ").is_empty());
    let sim = sim();
    let counter = counter_with(&sim);
    let careless = careless_agent();
    assert!(
        counter
            .run(&["terminal", "add", "--name", "T2", "--agent", &careless])
            .status
            .success()
    );
    let mut logs = String::new();
    let mut sell = |pay: &str, terminal: &str| {
        let out = counter
            .command(&[
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
                pay,
                "--terminal",
                terminal,
            ])
            .env("RUST_LOG", "trace")
            .output_bounded()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        logs.push_str(&stderr(&out));
        logs.push_str(&stdout(&out));
    };
    sell("card", "T2");
    for (i, pay) in ["card", "cash:5,card", "card:10,cash"]
        .iter()
        .cycle()
        .take(10)
        .enumerate()
    {
        if i == 5 {
            sim.inject(Fault::DropAfterApprove);
        }
        sell(pay, "T1");
    }
    assert!(
        logs.contains("card sale committed"),
        "the logs were not captured"
    );
    assert!(
        logs.contains("************1111"),
        "the careless agent's sale is not in the output"
    );
    let mut bytes = std::fs::read(counter.ledger_file()).unwrap();
    bytes.extend(std::fs::read(counter.path().join("ledger.sqlite3-wal")).unwrap_or_default());
    bytes.extend(logs.as_bytes());
    // The rolling log files in the data directory, whatever they are called.
    let mut log_files = 0;
    for entry in std::fs::read_dir(counter.path().join("logs"))
        .into_iter()
        .flatten()
        .flatten()
    {
        bytes.extend(std::fs::read(entry.path()).unwrap_or_default());
        log_files += 1;
    }
    assert!(log_files > 0, "no log file was written to scan");
    assert_eq!(digit_runs(&bytes), Vec::<String>::new());
    // Nor written with dots or tabs between its groups.
    let text = String::from_utf8_lossy(&bytes);
    for written in [
        "4111.1111.1111.1111",
        "4111\t1111\t1111\t1111",
        "1111.1111",
        "1111\t1111",
    ] {
        assert!(
            !text.contains(written),
            "{written:?} is in the ledger or the logs"
        );
    }
    assert_eq!(counter.count("orders"), 11);
}

fn refund(counter: &Counter, order: i64, what: &[&str]) -> std::process::Output {
    let mut args = vec!["refund", "--order"];
    let order = order.to_string();
    args.push(&order);
    args.extend(what);
    args.extend(["--reason", "cancelled", "--json"]);
    counter.run(&with_user(&args, "manager", "9999"))
}

#[test]
fn card_refunds_go_to_the_card_tender_through_the_terminal_never_more_than_it_paid() {
    let sim = sim();
    let counter = counter_with(&sim);
    let sale = json(&sell_card(&counter, "adult=2", "card"));
    let order = sale["order_number"].as_i64().unwrap();
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let first = json(&refund(&counter, order, &["--tickets", &code]));
    assert_eq!(first["tender"], "card");
    assert_eq!(first["amount_cents"], 3500);
    assert_eq!(
        sim.batch_totals().1,
        Totals {
            count: 1,
            cents: 3500
        }
    );
    // A declined refund records nothing.
    sim.inject(Fault::Decline);
    let declined = refund(&counter, order, &[]);
    assert!(!declined.status.success());
    assert_eq!(
        scalar(
            &counter,
            &format!("SELECT count(*) FROM refunds WHERE order_id = {order}")
        ),
        1
    );
    // The rest, then nothing more.
    assert_eq!(json(&refund(&counter, order, &[]))["amount_cents"], 3500);
    assert!(!refund(&counter, order, &["--amount", "1"]).status.success());
    assert_eq!(
        sim.batch_totals().1,
        Totals {
            count: 2,
            cents: 7000
        }
    );
    assert_eq!(
        scalar(
            &counter,
            &format!(
                "SELECT count(*) FROM card_outcomes WHERE state = 'settled' AND detail = 'refund' AND order_id = {order}"
            )
        ),
        2
    );
    // Cash is not paid back for a card order: the drawer is untouched.
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM refunds WHERE tender != 'card'"
        ),
        0
    );
    // A split order: at most the card part goes back to the card.
    let split = json(&sell_card(&counter, "adult=1", "cash:5,card"));
    let order = split["order_number"].as_i64().unwrap();
    let too_much = refund(&counter, order, &[]);
    assert!(!too_much.status.success());
    assert!(stderr(&too_much).contains("30,00"), "{}", stderr(&too_much));
    assert_eq!(
        json(&refund(&counter, order, &["--amount", "30"]))["amount_cents"],
        3000
    );
    let row = json(&counter.run(&["terminal", "reconcile", "T1", "--json"]));
    assert_eq!(
        (
            row["ledger_credit_count"].as_i64(),
            row["ledger_credit_cents"].as_i64()
        ),
        (Some(3), Some(10000))
    );
    assert_eq!(row["difference_cents"], 0);
    verify_ok(&counter);
}

#[test]
fn what_the_sale_would_refuse_is_refused_before_the_card_is_charged() {
    let sim = sim();
    let counter = counter_with(&sim);
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
        "card",
        "--email",
        "not-an-address",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not-an-address"), "{}", stderr(&out));
    let sold_out = sell_card(&counter, "adult=41", "card");
    assert!(!sold_out.status.success());
    assert!(sim.approved().is_empty(), "the terminal was asked");
    assert_eq!(counter.count("card_attempts"), 0);
}

#[test]
fn the_support_report_says_whether_each_terminal_answers() {
    let sim = sim();
    let counter = counter_with(&sim);
    let report = String::from_utf8_lossy(&counter.run(&["doctor"]).stdout).into_owned();
    let line = report
        .lines()
        .find(|l| l.starts_with("terminal."))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(line.contains(" ok "), "{line}");
    drop(sim);
    let report = String::from_utf8_lossy(&counter.run(&["doctor"]).stdout).into_owned();
    let line = report
        .lines()
        .find(|l| l.starts_with("terminal."))
        .unwrap_or_else(|| panic!("{report}"));
    // Refused or reset, depending on when the agent's listener closed: either way, not ok.
    assert!(line.contains("FAIL"), "{line}");
}
