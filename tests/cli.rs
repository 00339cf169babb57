//! The CLI end to end on a real ledger file: sales, every bad input, two processes at once, tampering.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use common::{Counter, stderr, stdout};

const PLAY: i64 = 2; // Nummisuutarit, first performance: 300 numbered seats, adult 18,50 €, child 9,00 € in zone 1

#[test]
fn cash_sale_is_recorded_printed_and_verifiable() {
    let counter = Counter::demo();
    let catalog = counter.catalog();
    assert!(catalog.len() >= 4, "three events, the play twice");
    let play = catalog.iter().find(|p| p["id"] == PLAY).unwrap();
    assert_eq!(play["event"], "Nummisuutarit");
    assert_eq!(play["remaining"], 300);
    let adult = play["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "adult")
        .unwrap();
    assert_eq!(adult["price_cents"], 1850);
    assert_eq!(adult["vat_basis_points"], 1350);

    for tendered in ["50", "50,00", "50.00"] {
        let sale = counter.sell_json(PLAY, "adult=2,child=1", tendered);
        assert_eq!(sale["total_cents"], 4600);
        assert_eq!(sale["change_cents"], 400);
        assert_eq!(sale["tickets"].as_array().unwrap().len(), 3);
    }
    let sale = counter.sell_json(PLAY, "senior=1", "15");
    assert_eq!(sale["order_number"], 4);
    assert_eq!(sale["receipt_number"], 4);
    assert_eq!(sale["change_cents"], 0);
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 16);
    assert_eq!(counter.remaining(PLAY), 300 - 10);

    // The ticket went through the PC43d path to the print file.
    let printed = std::fs::read_to_string(counter.path().join("print/pc43d.prn")).unwrap();
    assert_eq!(printed.matches("PRINTFEED\r\n").count(), 10);
    assert!(printed.contains(&format!("PRBAR \"{code}\"")));
    assert!(printed.contains("NASC \"UTF-8\""));

    let out = counter.run(&["order", "show", "1", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let order: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(order["total_cents"], 4600);
    assert_eq!(order["tendered_cents"], 5000);
    assert_eq!(order["vat"][0]["vat_cents"], 547);
    assert_eq!(order["vat"][0]["net_cents"], 4053);
    let text = stdout(&counter.run(&["order", "show", "1"]));
    assert!(
        text.contains("46,00 €") && text.contains("13,5 %") && text.contains("4,00 €"),
        "{text}"
    );

    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("ok: 6 journal entries, 4 orders, 10 tickets"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn tendered_less_than_total_says_what_is_missing_and_writes_nothing() {
    let counter = Counter::demo();
    let out = counter.sell(PLAY, "adult=2,child=1", "40");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("6,00 € is missing"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("orders"), 0);
    assert_eq!(counter.count("tickets"), 0);
    assert_eq!(counter.count("journal"), 2, "only init and the demo data");
}

#[test]
fn more_tickets_than_remain_is_refused_naming_what_is_left() {
    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=298", "10000");
    let out = counter.sell(PLAY, "adult=2,child=1", "100");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Only 2 tickets are left"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("tickets"), 298);
    assert_eq!(counter.count("orders"), 1);
}

#[test]
fn wrong_pins_are_counted_and_five_lock_the_user() {
    let counter = Counter::demo();
    let sell_with = |pin: &str| counter.sell_as("cashier", pin, 2, "adult=1", "20");
    for attempt in 1..=4 {
        let out = sell_with("0000");
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains(&format!("Wrong PIN. {} attempts left", 5 - attempt)),
            "{}",
            stderr(&out)
        );
    }
    let out = sell_with("0000");
    assert!(stderr(&out).contains("locked for 60 s"), "{}", stderr(&out));
    // Even the right PIN is refused while the lock lasts.
    let out = sell_with("1111");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
    assert_eq!(counter.count("orders"), 0);
    // Another user is not affected.
    let out = counter.sell_as("manager", "9999", 2, "adult=1", "20");
    assert!(out.status.success(), "{}", stderr(&out));
    // After the minute the lock is gone: move the lock into the past as the clock would.
    counter.execute(
        "UPDATE users SET locked_until = '2000-01-01T00:00:00+00:00' WHERE name = 'cashier'",
        &[],
    );
    assert!(sell_with("1111").status.success());
}

#[test]
fn unknown_user_performance_and_category_are_clear_errors() {
    let counter = Counter::demo();
    let out = counter.sell_as("nobody", "1111", 2, "adult=1", "20");
    assert!(stderr(&out).contains("Unknown user"), "{}", stderr(&out));
    let out = counter.sell(999, "adult=1", "20");
    assert!(
        stderr(&out).contains("There is no performance 999"),
        "{}",
        stderr(&out)
    );
    let out = counter.sell(PLAY, "student=1", "20");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no price category student")
            && stderr(&out).contains("adult, child, senior"),
        "{}",
        stderr(&out)
    );
    for (tickets, expected) in [
        ("adult", "CATEGORY=NUMBER"),
        ("adult=x", "not a number"),
        ("adult=0", "at least 1"),
    ] {
        let out = counter.sell(PLAY, tickets, "20");
        assert!(
            stderr(&out).contains(expected),
            "{tickets}: {}",
            stderr(&out)
        );
    }
    let out = counter.sell(PLAY, "adult=1", "12,345");
    assert!(
        stderr(&out).contains("more than two decimals"),
        "{}",
        stderr(&out)
    );
    let out = counter.run(&["order", "show", "42"]);
    assert!(
        stderr(&out).contains("There is no order 42"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("orders"), 0);
}

#[test]
fn selling_before_init_says_how_to_set_up() {
    if common::sqlite_only("no ledger at all: nothing to put on a server") {
        return;
    }
    let counter = Counter::empty();
    let out = counter.sell(PLAY, "adult=1", "20");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("boxoffice init"), "{}", stderr(&out));
}

#[test]
fn unwritable_data_directory_is_a_clear_error() {
    if common::sqlite_only("a data directory that cannot be written, before any ledger exists") {
        return;
    }
    let counter = Counter::empty();
    let blocker = counter.path().join("not-a-dir");
    std::fs::write(&blocker, b"a file").unwrap();
    let out = counter
        .command(&["init", "--demo"])
        .env("BOXOFFICE_DATA_DIR", blocker.join("data"))
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot be written to"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn corrupt_ledger_is_refused_and_left_alone() {
    if common::sqlite_only("a damaged ledger file's bytes") {
        return;
    }
    let counter = Counter::empty();
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(counter.ledger_file(), &garbage).unwrap();
    let out = counter.run(&["catalog"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("damaged or is not a Box office ledger"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(counter.ledger_file()).unwrap(), garbage);
}

#[test]
fn another_programs_database_without_an_application_id_is_refused_untouched() {
    if common::sqlite_only(
        "another program's SQLite file; the shared ledger's own check is tests/pg_schema.rs",
    ) {
        return;
    }
    let counter = Counter::empty();
    {
        let other = rusqlite::Connection::open(counter.ledger_file()).unwrap();
        other
            .execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(counter.ledger_file()).unwrap();
    for args in [&["catalog"][..], &["verify"], &["init", "--demo"]] {
        let out = counter.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("another program's database"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(counter.ledger_file()).unwrap(),
            before,
            "{args:?} changed it"
        );
    }
}

#[test]
fn newer_schema_is_refused_and_left_alone() {
    if common::sqlite_only(
        "the file's user_version; a newer shared ledger is refused in tests/pg_cli.rs and tests/pg_schema.rs",
    ) {
        return;
    }
    let counter = Counter::demo();
    counter
        .sql()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(counter.ledger_file()).unwrap();
    let out = counter.sell(PLAY, "adult=1", "20");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("newer version of Box office"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(counter.ledger_file()).unwrap(), before);
}

#[test]
fn locked_ledger_is_a_clear_error_and_nothing_is_written() {
    if common::sqlite_only(
        "SQLite's file lock; the shared ledger's row locks are tests/pg_contention.rs",
    ) {
        return;
    }
    let counter = Counter::demo();
    let holder = counter.sql();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = counter
        .command(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "20",
        ])
        .env("BOXOFFICE_BUSY_TIMEOUT_MS", "200")
        .output_bounded()
        .unwrap();
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("in use by another program"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("orders"), 0);
}

#[test]
fn two_processes_selling_the_last_seats_sell_exactly_the_capacity() {
    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=296", "10000");
    // Four counters each try to sell two of the last four seats at the same moment.
    let children: Vec<_> = (0..4)
        .map(|_| {
            counter
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
                    "cash",
                    "--tendered",
                    "50",
                    "--json",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let winners = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(winners, 2, "exactly two sales of two fit in four seats");
    for loser in outputs.iter().filter(|o| !o.status.success()) {
        // (On the shared ledger a loser may count the places before a winner's commit and
        // read the seats after it: then it is the seats that are not left.)
        assert!(
            stderr(loser).contains("tickets are left")
                || (common::on_postgres() && stderr(loser).contains("free seats")),
            "{}",
            stderr(loser)
        );
    }
    assert_eq!(counter.remaining(PLAY), 0);
    assert_eq!(counter.count("tickets"), 300);
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn money_rows_and_the_journal_refuse_update_and_delete() {
    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=1", "20");
    for statement in [
        "UPDATE payments SET amount_cents = 1",
        "DELETE FROM payments",
        "UPDATE journal SET content = '{}'",
        "DELETE FROM journal",
        "UPDATE orders SET total_cents = 1",
        "DELETE FROM receipts",
        "UPDATE order_lines SET quantity = 2",
        "DELETE FROM tickets",
        "UPDATE tickets SET price_cents = 1",
    ] {
        let error = counter.try_execute(statement, &[]).expect_err(statement);
        assert!(
            error.contains("append-only")
                || error.contains("never")
                || error.contains("only the state"),
            "{statement}: {error}"
        );
    }
}

#[test]
fn verify_names_the_entry_of_a_tampered_journal_row() {
    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=1", "20");
    counter.sell_json(PLAY, "child=1", "20");
    counter.tamper(
        &[("journal", "journal_no_update")],
        "UPDATE journal SET content = replace(content, '\"total_cents\":900', '\"total_cents\":800') WHERE seq = 4;",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("journal entry 4: its hash does not match"),
        "{}",
        stderr(&out)
    );
}

/// A ticket moved to another line: verify streams each ticket's line id and finds its number
/// among its own order's lines (issue 16), so a line of another order, or another line of its
/// own, is named as the exact path names it.
#[test]
fn verify_names_a_ticket_moved_to_another_line() {
    for (moved, named) in [
        // Order 2's ticket onto order 1's second line (line 2 where the journal says 1).
        (
            "UPDATE tickets SET line_id = (SELECT id FROM order_lines WHERE order_id = 1 AND line_no = 2)
             WHERE order_id = 2",
            "journal entry 4: the tickets rows of order 2 no longer match",
        ),
        // Order 1's adult ticket onto its own child line.
        (
            "UPDATE tickets SET line_id = (SELECT id FROM order_lines WHERE order_id = 1 AND line_no = 2)
             WHERE order_id = 1 AND line_id = (SELECT id FROM order_lines WHERE order_id = 1 AND line_no = 1)",
            "journal entry 3: the tickets rows of order 1 no longer match",
        ),
    ] {
        let counter = Counter::demo();
        counter.sell_json(PLAY, "adult=1,child=1", "40");
        counter.sell_json(PLAY, "senior=1", "20");
        assert!(counter.run(&["verify"]).status.success());
        counter.tamper(&[("tickets", "tickets_only_state")], moved);
        let out = counter.run(&["verify"]);
        assert!(!out.status.success(), "{moved}: verify passed");
        assert!(stderr(&out).contains(named), "{moved}: {}", stderr(&out));
    }
}

#[test]
fn verify_names_the_entry_of_a_tampered_payment_row() {
    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=1", "20");
    counter.sell_json(PLAY, "child=1", "20");
    counter.sell_json(PLAY, "senior=1", "20");
    counter.tamper(
        &[("payments", "payments_no_update")],
        "UPDATE payments SET amount_cents = 100 WHERE order_id = 2;",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("journal entry 4: the payments rows of order 2 no longer match"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verify_finds_deleted_entries_receipts_and_unjournaled_orders() {
    let counter = Counter::demo();
    for _ in 0..3 {
        counter.sell_json(PLAY, "adult=1", "20");
    }
    counter.tamper(
        &[("journal", "journal_no_delete")],
        "DELETE FROM journal WHERE seq = 4;",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("journal entry 5: entry 4 is missing"),
        "{}",
        stderr(&out)
    );
    // The newest entries deleted: the chain itself still links, but the anchor written after
    // the last sale names an entry the journal no longer has.
    counter
        .try_batch("DELETE FROM journal WHERE seq >= 4;")
        .unwrap();
    let out = counter.run(&["verify"]);
    assert!(
        stderr(&out).contains("journal entry 5: is missing: the journal ends at entry 3"),
        "{}",
        stderr(&out)
    );

    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=1", "20");
    counter.sell_json(PLAY, "adult=1", "20");
    counter.tamper(
        &[("receipts", "receipts_no_delete")],
        "DELETE FROM receipts WHERE number = 1;",
    );
    let out = counter.run(&["verify"]);
    assert!(
        stderr(&out).contains("journal entry 3: the receipts rows of order 1 no longer match"),
        "{}",
        stderr(&out)
    );

    let counter = Counter::demo();
    counter.sell_json(PLAY, "adult=1", "20");
    counter
        .try_batch(
            "INSERT INTO orders (register_id, shift_id, user_id, created_at, total_cents) SELECT id, 1, 1, 'now', 0 FROM register;",
        )
        .unwrap();
    let out = counter.run(&["verify"]);
    assert!(
        stderr(&out).contains("order 2 has no journal entry"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn the_data_directory_and_the_ledger_are_private_to_the_counters_account() {
    if common::sqlite_only("the ledger file's mode bits") {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let counter = Counter::demo();
    let mode = |name: &str| {
        std::fs::metadata(counter.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(""), 0o700, "the data directory");
    assert_eq!(mode("ledger.sqlite3"), 0o600);
    // A ledger made before this rule (world-readable) is made private by the next start.
    for name in ["", "ledger.sqlite3"] {
        std::fs::set_permissions(
            counter.path().join(name),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let out = counter.sell(PLAY, "adult=1", "20");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(""), 0o700, "the data directory");
    for name in ["ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm"] {
        if counter.path().join(name).exists() {
            assert_eq!(mode(name), 0o600, "{name}");
        }
    }
}
