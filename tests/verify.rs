//! `verify` passes on every state the program itself produces, and a damaged file fails it as
//! damaged: the real binary on a real ledger file.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Bounded as _, Counter, stderr, stdout, with_user};

/// Runs `args` (which must succeed), then `verify` (which must pass).
fn then_verify(counter: &Counter, what: &str, args: &[&str]) -> String {
    let out = counter.run(args);
    assert!(out.status.success(), "{what}: {}", stderr(&out));
    let check = counter.run(&["verify"]);
    assert!(
        check.status.success(),
        "verify after {what}: {}",
        stderr(&check)
    );
    assert!(stdout(&check).starts_with("ok:"), "{}", stdout(&check));
    stdout(&out)
}

#[test]
fn verify_passes_after_every_kind_of_operation() {
    let counter = Counter::demo();
    let check = counter.run(&["verify"]);
    assert!(check.status.success(), "fresh demo: {}", stderr(&check));

    let cashier = |args: &[&str]| -> Vec<String> {
        with_user(args, "cashier", "1111")
            .into_iter()
            .map(String::from)
            .collect()
    };
    let manager = |args: &[&str]| -> Vec<String> {
        with_user(args, "manager", "9999")
            .into_iter()
            .map(String::from)
            .collect()
    };
    let run = |what: &str, args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        then_verify(&counter, what, &args)
    };

    let sale = run(
        "a cash sale",
        cashier(&[
            "sell",
            "--performance",
            "1",
            "--tickets",
            "adult=2,child=1",
            "--pay",
            "cash",
            "--tendered",
            "100",
            "--name",
            "Åsa \"Quote\" Öberg",
            "--email",
            "asa@example.fi",
            "--json",
        ]),
    );
    let sale: serde_json::Value = serde_json::from_str(&sale).unwrap();
    let first_code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let order = sale["order_number"].to_string();
    run(
        "a seated sale",
        cashier(&[
            "sell",
            "--performance",
            "2",
            "--tickets",
            "adult=2",
            "--pay",
            "cash",
            "--tendered",
            "50",
            "--seats",
            "stalls:4:4,stalls:4:5",
        ]),
    );
    run(
        "an open reservation (its tickets are held, not sold)",
        cashier(&[
            "reserve",
            "--performance",
            "1",
            "--tickets",
            "adult=2",
            "--name",
            "Eino Virtanen",
            "--json",
        ]),
    );
    let reservation = run(
        "a second open reservation",
        cashier(&[
            "reserve",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--json",
        ]),
    );
    let reservation: serde_json::Value = serde_json::from_str(&reservation).unwrap();
    run(
        "a released reservation",
        cashier(&[
            "reservation",
            "release",
            reservation["reference"].as_str().unwrap(),
            "--reason",
            "the customer called",
        ]),
    );
    run(
        "a seat exchange",
        cashier(&[
            "seat",
            "exchange",
            "--ticket",
            &{
                let seated = counter.run(&["order", "show", "2", "--json"]);
                let seated: serde_json::Value = serde_json::from_slice(&seated.stdout).unwrap();
                seated["tickets"][1]["code"].as_str().unwrap().to_string()
            },
            "--to",
            "stalls:6:6",
        ]),
    );
    run(
        "a manager's seat hold",
        manager(&[
            "seat",
            "hold",
            "--performance",
            "2",
            "--seats",
            "stalls:1:1",
            "--reason",
            "press",
            "--release-before",
            "60",
        ]),
    );
    run(
        "a refund of one ticket",
        manager(&[
            "refund",
            "--order",
            &order,
            "--tickets",
            &first_code,
            "--reason",
            "customer_request",
        ]),
    );
    run(
        "a refund of an amount",
        manager(&[
            "refund",
            "--order",
            &order,
            "--amount",
            "1,00",
            "--reason",
            "wrong_price",
        ]),
    );
    run(
        "a cash-in",
        manager(&["shift", "cash-in", "--amount", "20", "--reason", "change"]),
    );
    run(
        "training on",
        with_user(&["register", "training", "on"], "admin", "0000")
            .into_iter()
            .map(String::from)
            .collect(),
    );
    run(
        "a training sale",
        cashier(&[
            "sell",
            "--performance",
            "1",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "50",
        ]),
    );
    run(
        "training off",
        with_user(&["register", "training", "off"], "admin", "0000")
            .into_iter()
            .map(String::from)
            .collect(),
    );
    run("an X report", manager(&["shift", "x"]));
    run(
        "a Z report",
        manager(&["shift", "close", "--count", "50=3,20=2"]),
    );
    run("a new shift", cashier(&["shift", "open", "--float", "100"]));
    run(
        "a sale in the new shift",
        cashier(&[
            "sell",
            "--performance",
            "1",
            "--tickets",
            "senior=1",
            "--pay",
            "cash",
            "--tendered",
            "50",
        ]),
    );
}

/// Garbage over a page in the middle of the file that `verify`'s walk never reads (an index
/// page): the file is reported as damaged, and nothing is changed.
#[test]
fn a_garbage_page_in_the_middle_of_the_file_fails_verify_as_damage() {
    if common::sqlite_only("garbage over a page of the ledger file; a server keeps its own pages") {
        return;
    }
    let counter = Counter::demo();
    for _ in 0..3 {
        counter.sell_json(1, "adult=1,child=1", "100");
    }
    let root: i64 = {
        let sql = counter.sql();
        sql.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        sql.query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_tickets_1'",
            [],
            |row| row.get(0),
        )
        .unwrap()
    };
    let path = counter.ledger_file();
    let mut bytes = std::fs::read(&path).unwrap();
    let page_size = 4096;
    let pages = bytes.len() / page_size;
    assert!(
        (root as usize) > 1 && (root as usize) < pages,
        "the index page {root} is inside the file of {pages} pages"
    );
    let start = (root as usize - 1) * page_size;
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for byte in &mut bytes[start..start + page_size] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *byte = state as u8;
    }
    std::fs::write(&path, &bytes).unwrap();

    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed a damaged file");
    let message = stderr(&out);
    assert!(message.contains("damaged"), "{message}");
    assert!(message.contains("quick_check"), "{message}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "verify changed the damaged file"
    );
}

/// The rows of a ledger whose row ids are not in order-number order (a copy of a ledger several
/// registers wrote interleaves them): `verify` streams the sales' tables in row-id order, finds
/// that it does not hold and reads them again by order number, so every sale is still compared
/// the fast way and the ledger passes; a row changed there still fails it.
#[test]
fn rows_not_in_order_number_order_verify_by_order_number_and_changes_still_fail() {
    if common::sqlite_only("row ids renumbered in the ledger file") {
        return;
    }
    let counter = Counter::demo();
    let first = counter.sell_json(1, "adult=1,child=1", "100")["order_number"]
        .as_i64()
        .unwrap();
    for _ in 0..3 {
        counter.sell_json(1, "adult=1,child=1", "100");
    }
    // The last row of the first sale in each of the streamed tables moves after every other
    // row: its content, and the order of the sale's rows among themselves, stay as they were.
    // A line's tickets follow it to its new id.
    let line_follows = format!(
        "UPDATE tickets SET line_id = (SELECT max(id) + 1000 FROM order_lines)
         WHERE line_id = (SELECT max(id) FROM order_lines WHERE order_id = {first});"
    );
    counter.tamper(
        &[
            ("tickets", "tickets_only_state"),
            ("order_lines", "order_lines_no_update"),
            ("payments", "payments_no_update"),
            ("receipts", "receipts_no_update"),
        ],
        &[
            "PRAGMA foreign_keys = OFF;".to_string(),
            move_last_row(first, "tickets"),
            line_follows,
            move_last_row(first, "order_lines"),
            move_last_row(first, "payments"),
            move_last_row(first, "receipts"),
        ]
        .concat(),
    );

    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "verify: {}", stderr(&out));
    assert!(stdout(&out).starts_with("ok:"), "{}", stdout(&out));
    assert!(
        !stderr(&out).contains("slow way"),
        "a sale was compared the slow way: {}",
        stderr(&out)
    );
    // The same with the rows streamed on the walk's own connection: a writer holding the lock
    // past the busy timeout keeps verify from a snapshot connection of their own.
    let sql = counter.sql();
    sql.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = counter
        .command(&["verify"])
        .env("BOXOFFICE_BUSY_TIMEOUT_MS", "200")
        .output_bounded()
        .unwrap();
    sql.execute_batch("ROLLBACK").unwrap();
    assert!(out.status.success(), "verify: {}", stderr(&out));
    assert!(!stderr(&out).contains("slow way"), "{}", stderr(&out));

    // Read by order number, the moved rows are compared as exactly as any other (the moved
    // ticket is the last one).
    counter.tamper(
        &[],
        "UPDATE tickets SET price_cents = price_cents + 100 WHERE id = (SELECT max(id) FROM tickets)",
    );
    let out = counter.run(&["verify"]);
    assert!(
        !out.status.success(),
        "verify passed a changed ticket price"
    );
    assert!(
        stderr(&out).contains(&format!("order {first}")),
        "{}",
        stderr(&out)
    );
}

/// The same across the batches of the rows' thread (a seeded ledger of some 1,400 orders): the
/// walk meets orders whose rows are missing before the streams find the row out of order at the
/// end; it compares them the exact way, their cash rounding against the exact rows' cash, so the
/// failure it names is the first in the chain, as when read by order number.
#[test]
fn rows_out_of_order_across_batches_verify_and_fail_as_by_order_number() {
    if common::sqlite_only("row ids renumbered in the ledger file") {
        return;
    }
    let counter = Counter::empty();
    counter.bench_seed("5000");
    let sql = counter.sql();
    let one = |query: &str| -> i64 { sql.query_row(query, [], |row| row.get(0)).unwrap() };
    let first = one("SELECT min(order_id) FROM payments
         WHERE tender = 'cash' AND state = 'approved' AND tendered_cents IS NOT NULL");
    let later = first + 300;
    assert!(
        one("SELECT max(id) FROM orders") > later + 256,
        "the later order is not in the last batch"
    );
    counter.tamper(
        &[("payments", "payments_no_update")],
        &move_last_row(first, "payments"),
    );
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "verify: {}", stderr(&out));
    assert!(!stderr(&out).contains("slow way"), "{}", stderr(&out));

    // A rounding the first order's cash does not show, and a ticket price changed 300 orders on.
    counter.tamper(
        &[("tickets", "tickets_only_state")],
        &format!(
            "INSERT INTO cash_roundings (order_id, refund_id, shift_id, amount_cents, created_at)
             SELECT id, NULL, shift_id, 2, created_at FROM orders WHERE id = {first};
             UPDATE tickets SET price_cents = price_cents + 100
             WHERE id = (SELECT max(id) FROM tickets WHERE order_id = {later});"
        ),
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed a wrong rounding");
    assert!(
        stderr(&out).contains(&format!("the cash rounding of order {first} disagrees")),
        "{}",
        stderr(&out)
    );
}

/// SQL giving the last row of `order` in `table` the row id after every other row: its content,
/// and its place among the order's rows, stay as they were.
fn move_last_row(order: i64, table: &str) -> String {
    format!(
        "UPDATE {table} SET id = (SELECT max(id) + 1000 FROM {table})
         WHERE id = (SELECT max(id) FROM {table} WHERE order_id = {order});"
    )
}

/// A receipt number skipped (a refund receipt written without a refund, numbered one past the
/// next): `verify` names the missing number, for real and training receipts alike, and passes
/// again once the numbers are whole and the shift's running sums no longer count it.
#[test]
fn a_gap_in_the_receipt_numbers_fails_verify_and_names_it() {
    let counter = Counter::demo();
    counter.sell_json(1, "adult=1", "100");
    counter.sell_json(1, "adult=1", "100");
    let skip = |training: i64| {
        format!(
            "INSERT INTO receipts (register_id, number, order_id, shift_id, refund_id, kind, training, created_at)
             SELECT register_id, max(number) + 2, min(order_id), min(shift_id), NULL, 'refund', training, max(created_at)
             FROM receipts WHERE training = {training} GROUP BY register_id, training"
        )
    };
    counter.tamper(&[], &skip(0));
    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed a gap");
    // On the shared ledger its own rule of receipts per shift says it first.
    let gap = |sqlite: &str| match common::on_postgres() {
        true => "the receipt numbers of a register have a gap".to_string(),
        false => sqlite.to_string(),
    };
    assert!(
        stderr(&out).contains(&gap(
            "receipt numbers are not gapless: receipt 3 of register"
        )),
        "{}",
        stderr(&out)
    );
    counter.tamper(
        &[("receipts", "receipts_no_delete")],
        "DELETE FROM receipts WHERE number = 4 AND training = 0",
    );
    // The shift's running sums still count the receipt taken away (migration 0022).
    let out = counter.run(&["verify"]);
    assert!(
        stderr(&out).contains("shift 1's running sums (shift_sums) are not what its receipts add up to: kept 3 receipts (1–4)"),
        "{}",
        stderr(&out)
    );
    counter.tamper(
        &[],
        "UPDATE shift_sums SET receipts = receipts - 1, last_receipt = 2
         WHERE shift_id = 1 AND vat_basis_points = -1",
    );
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("receipts 1–2 gapless"),
        "{}",
        stdout(&out)
    );

    let on = counter.run(&[
        "register", "training", "on", "--user", "admin", "--pin", "0000",
    ]);
    assert!(on.status.success(), "{}", stderr(&on));
    counter.sell_json(1, "adult=1", "100");
    counter.tamper(&[], &skip(1));
    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed a gap in training");
    assert!(
        stderr(&out).contains(&gap("not gapless: training receipt 2 of register")),
        "{}",
        stderr(&out)
    );
}

/// A ticket revoked without a refund (the state change its trigger allows, made outside the
/// program): the order's revoked tickets no longer agree with its refunds, and `verify` names
/// the order; a real refund of another order beside it is no failure. (The rows' thread checks
/// this rule ahead, beside the walk's end, on a counter's own ledger.)
#[test]
fn a_ticket_revoked_without_a_refund_fails_verify_naming_its_order() {
    let counter = Counter::demo();
    let refunded = counter.sell_json(1, "adult=2", "100")["order_number"]
        .as_i64()
        .unwrap();
    let revoked = counter.sell_json(1, "adult=1,child=1", "100")["order_number"]
        .as_i64()
        .unwrap();
    counter.sell_json(1, "adult=1", "100");
    let refunded = refunded.to_string();
    let refund = counter.run(&with_user(
        &[
            "refund",
            "--order",
            &refunded,
            "--amount",
            "5",
            "--reason",
            "wrong_price",
        ],
        "manager",
        "9999",
    ));
    assert!(refund.status.success(), "{}", stderr(&refund));
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));

    counter.tamper(
        &[],
        &format!(
            "UPDATE tickets SET state = 'revoked'
             WHERE id = (SELECT min(id) FROM tickets WHERE order_id = {revoked})"
        ),
    );
    let out = counter.run(&["verify"]);
    assert!(
        !out.status.success(),
        "verify passed a revoked ticket without a refund"
    );
    assert!(
        stderr(&out).contains(&format!(
            "order {revoked}: its refunds exceed what was paid or disagree with their lines or tickets"
        )),
        "{}",
        stderr(&out)
    );

    // A revoked ticket of an order that has no row (nor entry): named, not an error reading it.
    if common::sqlite_only("a ticket of a missing order (foreign keys off)") {
        return;
    }
    let counter = Counter::demo();
    counter.sell_json(1, "adult=1", "100");
    counter.tamper(
        &[],
        "PRAGMA foreign_keys = OFF;
         INSERT INTO tickets (code, order_id, line_id, performance_id, price_cents, state)
         SELECT 'LOST-1', max(order_id) + 1000, max(line_id), min(performance_id), 1000, 'revoked'
         FROM tickets;",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed a ticket of no order");
    assert!(
        stderr(&out).contains("has refunds or revoked tickets but no row of its own"),
        "{}",
        stderr(&out)
    );
}

/// Sales committed by another connection while `verify` reads (a counter selling beside an
/// admin's verify) never make it fail, and never push a sale off the fast path: the journal and
/// the sales' rows, read on two connections, are read in one snapshot.
#[test]
fn verify_reads_one_snapshot_while_sales_commit() {
    use boxoffice::app::{SaleRequest, Services};
    const SALES: usize = 30;
    let counter = Counter::local_demo();
    let path = counter.path().to_path_buf();
    let verify = || {
        Services::open(&path)
            .unwrap()
            .ledger_mut()
            .verify()
            .unwrap()
            .unwrap()
    };
    let before = verify().orders;
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let seller = scope.spawn(|| {
            let mut services = Services::open(&path).unwrap();
            let session = services.login("cashier", "1111").unwrap();
            for _ in 0..SALES {
                let request = SaleRequest {
                    performance_id: boxoffice::domain::ids::PerformanceId(1),
                    items: vec![("adult".into(), 1)],
                    tendered: boxoffice::domain::Money::from_euros(50),
                    ..SaleRequest::default()
                };
                services.record_cash_sale(&session, &request).unwrap();
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut services = Services::open(&path).unwrap();
        let mut orders_seen = Vec::new();
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let report = services.ledger_mut().verify().unwrap();
            let report = report.unwrap_or_else(|failure| panic!("verify failed: {failure}"));
            assert_eq!(
                report.slow_path_sales, 0,
                "a sale's rows and its entry were read in different snapshots"
            );
            orders_seen.push(report.orders);
        }
        seller.join().unwrap();
        assert!(
            orders_seen.len() >= 2 && orders_seen.first() < orders_seen.last(),
            "no sale committed while verify ran: {orders_seen:?}"
        );
    });
    assert_eq!(verify().orders, before + SALES as i64);
}
