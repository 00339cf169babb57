//! Finding at one register what another sold, on the shared ledger (issue 15): `order search`
//! by name and e-mail prefix, ticket code and order number; `ticket check` of another register's
//! ticket (valid, then refunded); the catalog counting every register's sales; `bench queries`
//! timing those look-ups and `verify` on the shared ledger. Real `boxoffice` processes on a real
//! PostgreSQL.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::pg as server;
use common::venue::{PASSWORD_ENV, Venue, json};
use common::{Bounded, Counter, stderr, stdout};

fn sell_to(
    venue: &Venue,
    counter: usize,
    tickets: &str,
    name: &str,
    email: &str,
) -> serde_json::Value {
    json(&venue.ok(
        counter,
        &[
            "sell",
            "--performance",
            "1",
            "--tickets",
            tickets,
            "--pay",
            "cash",
            "--tendered",
            "500",
            "--name",
            name,
            "--email",
            email,
            "--json",
        ],
    ))
}

fn found(venue: &Venue, counter: usize, query: &str) -> Vec<i64> {
    let hits = json(&venue.ok(counter, &["order", "search", query, "--json"]));
    hits.as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["order_number"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_register_finds_checks_and_counts_what_another_sold() {
    let venue = Venue::new(1);
    venue.ok(1, &["shift", "open", "--float", "100"]);
    let remaining = |counter: usize| -> i64 {
        let catalog = json(&venue.ok(counter, &["catalog", "--json"]));
        catalog
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == 1)
            .unwrap()["remaining"]
            .as_i64()
            .unwrap()
    };
    let before = remaining(0);
    let matti = sell_to(
        &venue,
        1,
        "adult=2",
        "Matti Meikäläinen",
        "matti.m@example.com",
    );
    let maija = sell_to(&venue, 0, "child=1", "Maija Virtanen", "maija@example.fi");
    let (matti_order, maija_order) = (
        matti["order_number"].as_i64().unwrap(),
        maija["order_number"].as_i64().unwrap(),
    );
    // Both registers see both sales in the catalog.
    assert_eq!(remaining(0), before - 3);
    assert_eq!(remaining(1), before - 3);

    // By a word's prefix (any case), the whole name, the e-mail, a ticket code, the order number.
    assert_eq!(found(&venue, 0, "MATT"), vec![matti_order]);
    assert_eq!(found(&venue, 0, "meikä"), vec![matti_order]);
    assert_eq!(found(&venue, 1, "ma"), vec![maija_order, matti_order]);
    assert_eq!(found(&venue, 1, "maija vir"), vec![maija_order]);
    assert_eq!(found(&venue, 0, "matti.m@"), vec![matti_order]);
    assert!(found(&venue, 0, "maijat").is_empty());
    let code = matti["tickets"][0]["code"].as_str().unwrap();
    assert_eq!(found(&venue, 0, code), vec![matti_order]);
    // A number is an order number and this register's receipt number: Kassa 2's order and the
    // first register's own receipt 1 (Maija's sale).
    assert_eq!(
        found(&venue, 0, &matti_order.to_string()),
        vec![matti_order, maija_order]
    );

    // The first register checks Kassa 2's ticket: valid; refunded, it is refused with the reason.
    let checked = json(&venue.ok(0, &["ticket", "check", code, "--json"]));
    assert_eq!(checked["state"], "valid", "{checked}");
    venue.ok(
        0,
        &[
            "refund",
            "--order",
            &matti_order.to_string(),
            "--tickets",
            code,
            "--reason",
            "cancelled",
        ],
    );
    let out = venue.run(1, &["ticket", "check", code, "--json"]);
    assert!(!out.status.success(), "a refunded ticket passed");
    let checked = json(&stdout(&out));
    assert_eq!(checked["state"], "revoked", "{checked} {}", stderr(&out));
    assert!(
        checked["reason"]
            .as_str()
            .unwrap()
            .starts_with("refunded (refund receipt 2, cancelled)"),
        "{checked}"
    );
    assert_eq!(remaining(1), before - 2);
}

/// `bench queries` on the shared ledger (issue 15's benchmarks): a ledger seeded on a counter's
/// own file, copied into the shared ledger, then timed there: the look-ups, the Z figures,
/// `verify`, the chain alone and `pg_dump` of the database as verify's baseline (SQLite's
/// `quick_check` and file hashes are not the server's); `bench seed` there stays refused.
#[test]
fn bench_queries_time_the_shared_ledgers_look_ups_and_verify() {
    let db = server::database();
    let counter = Counter::empty();
    counter.bench_seed("1500");
    let out = counter
        .command(&["db", "copy", "--to", &db.url()])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "db copy: {}", stderr(&out));
    // The server's own pg_dump first on the path.
    let path = std::env::join_paths(std::iter::once(server::bin_dir()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let url = db.url();
    let on_shared = |args: &[&str]| {
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        counter
            .command(&all)
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            .env("PATH", &path)
            .output_bounded()
            .unwrap()
    };
    let out = on_shared(&["bench", "queries", "--runs", "5"]);
    assert!(out.status.success(), "bench queries: {}", stderr(&out));
    let timed = stdout(&out);
    let verify_lines = [
        "verify, whole chain and invariants",
        "verify floor: the chain's hashes alone",
        "baseline: pg_dump of the database to /dev/null",
        // The ratio, round by round against the pg_dump beside it.
        "verify ÷ pg_dump of the database",
    ];
    for name in common::BENCH_LOOK_UPS.into_iter().chain(verify_lines) {
        assert!(
            timed.lines().any(|line| line.starts_with(name)),
            "{name} not timed:\n{timed}"
        );
    }
    // Timed on the server, not on the counter's own file.
    for local in ["quick_check", "rows stepped", "openssl", "sha256sum"] {
        assert!(!timed.contains(local), "{local} timed:\n{timed}");
    }
    // Each verify line says how many of its runs were timed: 3 of each.
    let verify = timed
        .lines()
        .find(|line| line.starts_with("verify, whole chain"))
        .unwrap();
    assert!(verify.contains("(3 runs)"), "{verify}");

    let out = on_shared(&["bench", "seed", "--tickets", "10"]);
    assert!(!out.status.success(), "bench seed ran on the shared ledger");
    assert!(
        stderr(&out).contains("does not run on the shared ledger"),
        "{}",
        stderr(&out)
    );
}

/// A search on the shared ledger is a range of `order_words`' key, as on SQLite (issue 16's
/// "a bounded index range"): the prefix comparison by code point (`COLLATE "C"`, what
/// `ledger::search` asks) can use the key since migration 0021 gave the column that collation.
/// Before, the plan filtered every word of the kind (the key's default collation could not
/// serve the comparison).
#[test]
fn a_name_search_on_the_shared_ledger_is_a_range_of_the_words_key() {
    // A venue's server sorts text by a language's rules, not by code point as the test
    // server's "C" locale does: the database is made so (glibc's C.UTF-8 is not "C" to the
    // planner), then migrated.
    let name = format!("collated_{}", std::process::id());
    server::server()
        .connect("postgres")
        .batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        ))
        .unwrap();
    let db = server::TestDb {
        name,
        port: server::server().port,
    };
    let mut client = db.connect();
    boxoffice::ledger::pg::migrate(&mut client, &db.url()).unwrap();
    client.batch_execute("SET enable_seqscan = off").unwrap();
    let plan: Vec<String> = client
        .query(
            "EXPLAIN SELECT word FROM order_words WHERE kind = 0 AND word COLLATE \"C\" >= 'anna'
             AND word COLLATE \"C\" < 'annb' ORDER BY word COLLATE \"C\" LIMIT 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    // The word's range is in the key's condition, not a filter over every word of the kind.
    assert!(
        plan.iter()
            .any(|line| line.contains("Index Cond") && line.contains("word >=")),
        "the search reads every word: {plan:#?}"
    );
}
