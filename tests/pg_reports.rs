//! Reports on the shared ledger (issue 15): the venue's sales, per performance, tender, user,
//! hour and register, with every register's sales and refunds in them; the Z table per register;
//! and the same sales tables from the shared ledger and from its copy in a SQLite file (one
//! query source, two engines, one answer). Real `boxoffice` processes on a real PostgreSQL.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::venue::{PASSWORD_ENV, Venue, json};
use common::{Bounded, Counter, stderr, stdout};

fn table(tables: &serde_json::Value, name: &str) -> serde_json::Value {
    tables
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {tables}"))
        .clone()
}

fn column_sum(table: &serde_json::Value, column: usize) -> i64 {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[column].as_i64().unwrap())
        .sum()
}

#[test]
fn the_venues_reports_count_every_register_and_agree_with_a_sqlite_copy() {
    let venue = Venue::new(1);
    venue.ok(1, &["shift", "open", "--float", "100"]);
    let at_2 = json(&stdout(&venue.sell(1, 1, "adult=2")));
    let at_1 = json(&stdout(&venue.sell(0, 1, "adult=1,child=1")));
    let order = at_2["order_number"].as_i64().unwrap().to_string();
    venue.ok(
        0,
        &[
            "refund", "--order", &order, "--amount", "5", "--reason", "other",
        ],
    );
    venue.ok(1, &["shift", "close", "--count", "100=1,50=1,20=1"]);
    let total = at_2["total_cents"].as_i64().unwrap() + at_1["total_cents"].as_i64().unwrap();

    let today = chrono::Local::now().date_naive().to_string();
    let sales = json(&venue.ok(
        1,
        &[
            "report", "sales", "--from", &today, "--to", &today, "--json",
        ],
    ));
    assert_eq!(column_sum(&table(&sales, "per_performance"), 5), total);
    assert_eq!(column_sum(&table(&sales, "per_performance"), 6), 500);
    assert_eq!(
        table(&sales, "per_tender")["rows"][0],
        serde_json::json!(["cash", 2, total])
    );
    assert_eq!(column_sum(&table(&sales, "per_hour"), 3), total);
    assert_eq!(column_sum(&table(&sales, "per_hour"), 2), 4);
    // Per register: each register's own sales.
    let per_register = table(&sales, "per_register");
    let mut rows: Vec<(String, i64)> = per_register["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[3].as_i64().unwrap()))
        .collect();
    rows.sort();
    let mut expected = vec![
        (venue.register_id(0), at_1["total_cents"].as_i64().unwrap()),
        (venue.register_id(1), at_2["total_cents"].as_i64().unwrap()),
    ];
    expected.sort();
    assert_eq!(rows, expected, "{per_register}");
    // The refund made at the first register of Kassa 2's sale.
    let refunds = json(&venue.ok(0, &["report", "refunds", "--json"]));
    let refund = &table(&refunds, "refunds")["rows"][0];
    assert_eq!(refund[1], at_2["order_number"], "{refund}");
    assert_eq!(refund[3], 500, "{refund}");
    // Z reports are per register: Kassa 2 has its first, the first register none closed today.
    let z2 = json(&venue.ok(1, &["report", "z", "--json"]));
    let z2 = table(&z2, "z_reports");
    assert_eq!(z2["rows"].as_array().unwrap().len(), 1, "{z2}");
    assert_eq!(z2["rows"][0][0], 1, "{z2}");
    assert_eq!(z2["rows"][0][5], at_2["total_cents"], "{z2}");
    let z1 = json(&venue.ok(0, &["report", "z", "--json"]));
    assert_eq!(table(&z1, "z_reports")["rows"], serde_json::json!([]));

    // The same ledger copied into a SQLite file gives the same sales tables.
    let copy = Counter::empty();
    let out = copy
        .command(&["--database", &venue.db.url(), "db", "copy", "--to"])
        .arg(copy.path())
        .env(PASSWORD_ENV, common::pg::ADMIN_PASSWORD)
        .env("BOXOFFICE_KEY_FILE", venue.counters[0].key_file())
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "db copy back: {}", stderr(&out));
    let out = copy
        .command(&[
            "report", "sales", "--from", &today, "--to", &today, "--json",
        ])
        .env("BOXOFFICE_KEY_FILE", venue.counters[0].key_file())
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&stdout(&out)), sales, "the engines disagree");
}
