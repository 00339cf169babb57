//! Finding orders, and training mode kept apart from the real money.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Bounded, Counter, stderr};

fn search(counter: &Counter, query: &str) -> Vec<serde_json::Value> {
    let out = counter.run(&["order", "search", query, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn numbers(hits: &[serde_json::Value]) -> Vec<i64> {
    hits.iter()
        .map(|h| h["order_number"].as_i64().unwrap())
        .collect()
}

fn sell_named(counter: &Counter, name: &str, email: &str) -> serde_json::Value {
    let out = counter.run(&[
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
        "--name",
        name,
        "--email",
        email,
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn orders_are_found_by_code_number_receipt_name_and_email() {
    let counter = Counter::demo();
    let first = sell_named(&counter, "Aino Virtanen", "aino@example.fi");
    sell_named(&counter, "Björn Ek", "bjorn.ek@example.se");
    sell_named(&counter, "Aili 100% Äijälä", "aili_a@example.fi");
    let code = first["tickets"][0]["code"].as_str().unwrap();

    assert_eq!(numbers(&search(&counter, code)), vec![1]);
    // A scanner or a person may type the code grouped and in lower case.
    let grouped: String = code
        .to_lowercase()
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-");
    assert_eq!(numbers(&search(&counter, &grouped)), vec![1]);
    assert_eq!(
        numbers(&search(&counter, "2")),
        vec![2],
        "order 2 and receipt 2 are the same order"
    );
    assert_eq!(
        numbers(&search(&counter, "ai")),
        vec![3, 1],
        "name prefix, any case, newest first"
    );
    assert_eq!(
        numbers(&search(&counter, "AINO@")),
        vec![1],
        "e-mail prefix"
    );
    assert_eq!(numbers(&search(&counter, "bjorn.")), vec![2]);
    assert_eq!(
        numbers(&search(&counter, "Aili 100%")),
        vec![3],
        "% is a character, not a wildcard"
    );
    assert_eq!(
        numbers(&search(&counter, "a_")),
        Vec::<i64>::new(),
        "_ is a character, not a wildcard"
    );
    assert!(search(&counter, "Nobody").is_empty());
    let hit = &search(&counter, "Björn")[0];
    assert_eq!(hit["customer_email"], "bjorn.ek@example.se");
    assert_eq!(hit["event"], "Nummisuutarit");
    assert_eq!(hit["valid_tickets"], 1);

    let out = counter.run(&[
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
        "--email",
        "not an address",
    ]);
    assert!(stderr(&out).contains("is not valid"), "{}", stderr(&out));
    assert_eq!(counter.count("orders"), 3);
}

#[test]
fn orders_are_found_by_any_word_of_the_name_and_by_e_mail_prefix() {
    let counter = Counter::demo();
    sell_named(
        &counter,
        "Aino Maria Virtanen",
        "aino.virtanen12@example.fi",
    );
    sell_named(&counter, "Väinö Öberg", "vaino@example.se");
    sell_named(&counter, "Maria Korhonen", "mk@example.fi");
    // A last name, a middle name, a first name: each word of the name is searched.
    assert_eq!(numbers(&search(&counter, "Virtanen")), vec![1]);
    assert_eq!(numbers(&search(&counter, "virt")), vec![1]);
    assert_eq!(numbers(&search(&counter, "Maria")), vec![3, 1]);
    assert_eq!(numbers(&search(&counter, "korh")), vec![3]);
    // Case is folded for every letter, not only ASCII.
    assert_eq!(numbers(&search(&counter, "ÖBERG")), vec![2]);
    assert_eq!(numbers(&search(&counter, "väinö öb")), vec![2]);
    // E-mail prefixes, with and without the separators.
    assert_eq!(numbers(&search(&counter, "aino.virtanen1")), vec![1]);
    assert_eq!(numbers(&search(&counter, "vaino")), vec![2]);
    assert_eq!(numbers(&search(&counter, "MK@EXAMPLE")), vec![3]);
    assert!(
        search(&counter, "virtanen12").is_empty(),
        "an e-mail matches from its start"
    );
    assert!(
        search(&counter, "aino virtanen").is_empty(),
        "the name matches from its start"
    );

    // A new order is searchable at once; words shared with older orders keep newest first.
    sell_named(&counter, "Eino Virtanen", "eino@example.fi");
    assert_eq!(numbers(&search(&counter, "virtanen")), vec![4, 1]);
    let words: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM order_words WHERE order_id = 4",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(words, 4, "eino, virtanen, the whole name, the whole e-mail");
}

#[test]
fn training_sales_are_numbered_apart_and_never_in_the_z() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let out = counter.run(&[
        "register", "training", "on", "--user", "cashier", "--pin", "1111",
    ]);
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    let out = counter.run(&[
        "register", "training", "on", "--user", "admin", "--pin", "0000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let training = counter.sell_json(2, "adult=2", "50");
    assert_eq!(
        training["receipt_number"], 1,
        "training receipts have their own numbers"
    );
    assert_eq!(counter.remaining(2), 299, "training tickets take no seats");
    let out = counter.run(&[
        "register", "training", "off", "--user", "admin", "--pin", "0000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let real = counter.sell_json(2, "child=1", "10");
    assert_eq!(real["receipt_number"], 2, "the real numbers stay gapless");

    let z: serde_json::Value = serde_json::from_slice(
        &counter
            .run(&[
                "shift",
                "close",
                "--count",
                "100=1,50=1,20=1,5=1,2=1,0.50=1",
                "--json",
                "--user",
                "manager",
                "--pin",
                "9999",
            ])
            .stdout,
    )
    .unwrap();
    assert_eq!(
        z["gross_cents"],
        1850 + 900,
        "the training sale is not in the Z"
    );
    assert_eq!(z["tenders"][0]["expected_cents"], 15000 + 2750);
    assert_eq!(
        (z["first_receipt"].as_i64(), z["last_receipt"].as_i64()),
        (Some(1), Some(2))
    );
    let states: Vec<String> = counter
        .sql()
        .prepare("SELECT state FROM tickets WHERE order_id = 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(states, ["training", "training"]);
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn verify_reads_every_kind_of_sale_on_its_fast_path() {
    let counter = Counter::demo();
    sell_named(&counter, "Åke \"Bosse\" O'Neil \\ / €", "a.b+c@example.fi");
    counter.sell_json(1, "adult=1,child=2,senior=1", "200");
    let out = counter.run(&[
        "register", "training", "on", "--user", "admin", "--pin", "0000",
    ]);
    assert!(out.status.success());
    counter.sell_json(4, "parking=1", "10");
    let out = counter.run(&[
        "refund", "--order", "2", "--amount", "1", "--reason", "other", "--user", "manager",
        "--pin", "9999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut services = counter.services();
    let report = services.ledger_mut().verify().unwrap().unwrap();
    assert_eq!(report.orders, 3);
    assert_eq!(
        report.slow_path_sales, 0,
        "the streamed text must equal the journal's canonical JSON"
    );
}

/// `bench queries` on a counter's own file (issue 16): every figure the benchmarks report, with
/// verify's floors beside it (the file checked, the sales' rows stepped and written as text, the
/// chain hashed) and the file's hash as the baseline, each verify line timed three times.
#[test]
fn bench_queries_time_the_look_ups_and_verify_with_its_floors() {
    if common::sqlite_only("bench seed writes a counter's own file (pg_lookup: the server)") {
        return;
    }
    let counter = Counter::empty();
    counter.bench_seed("1500");
    let out = counter
        .command(&["bench", "queries", "--runs", "5"])
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "bench queries: {}", stderr(&out));
    let timed = common::stdout(&out);
    let verify_lines = [
        "verify, whole chain and invariants",
        "verify floor: PRAGMA quick_check alone",
        "verify floor: the sales' rows stepped alone",
        "verify floor: the sales' rows written as text alone",
        "verify floor: the chain's hashes alone",
        "baseline: openssl sha256 of the file",
        "baseline: sha256sum of the file",
    ];
    for name in common::BENCH_LOOK_UPS.into_iter().chain(verify_lines) {
        let line = timed.lines().find(|line| line.starts_with(name));
        let line = line.unwrap_or_else(|| panic!("{name} not timed:\n{timed}"));
        assert!(
            line.contains(" µs  max ") && line.contains(" load "),
            "{line}"
        );
        if name.starts_with("verify") {
            assert!(line.contains("(3 runs)"), "{line}");
        }
    }
    // The target's ratio and the floor's, each round against its own openssl run (3 rounds).
    for name in [
        "verify ÷ openssl sha256 of the file (target ≤ 2×)",
        "verify's floor ÷ openssl: (quick_check + rows stepped + hashes) alone / 2 cores",
    ] {
        let line = timed.lines().find(|line| line.starts_with(name));
        let line = line.unwrap_or_else(|| panic!("{name} not reported:\n{timed}"));
        let median: f64 = line[name.len()..]
            .split_whitespace()
            .nth(1)
            .and_then(|figure| figure.parse().ok())
            .unwrap_or_else(|| panic!("no median in {line}"));
        assert!(median > 0.0 && median.is_finite(), "{line}");
        assert!(
            line.contains(" ×  max ") && line.contains("(3 runs)"),
            "{line}"
        );
    }
}
