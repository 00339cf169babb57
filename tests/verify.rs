//! `verify` passes on every state the program itself produces, and a damaged file fails it as
//! damaged: the real binary on a real ledger file.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout, with_user};

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
