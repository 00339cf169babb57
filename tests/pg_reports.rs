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

/// `export saft` (to a file) and `export csv` of yesterday..tomorrow by `run`, as the manager;
/// the SAF-T file without its creation time, which is the export's own.
fn exports(run: &dyn Fn(&[&str]) -> std::process::Output, dir: &std::path::Path) -> [String; 2] {
    let today = chrono::Local::now().date_naive();
    let from = (today - chrono::Days::new(1)).to_string();
    let to = (today + chrono::Days::new(1)).to_string();
    let file = dir.join("saft.xml");
    let _ = std::fs::remove_file(&file);
    let manager = ["--user", "manager", "--pin", "9999"];
    let mut args = vec!["export", "saft", "--from", &from, "--to", &to, "--out"];
    args.push(file.to_str().unwrap());
    args.extend(manager);
    let out = run(&args);
    assert!(out.status.success(), "export saft: {}", stderr(&out));
    let saft: String = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|line| !line.contains("<dateCreated>") && !line.contains("<timeCreated>"))
        .map(|line| format!("{line}\n"))
        .collect();
    let mut args = vec!["export", "csv", "--from", &from, "--to", &to];
    args.extend(manager);
    let out = run(&args);
    assert!(out.status.success(), "export csv: {}", stderr(&out));
    [saft, stdout(&out)]
}

#[test]
fn the_saft_and_csv_exports_of_the_shared_ledger_are_byte_for_byte_those_of_its_sqlite_copy() {
    let venue = Venue::new(0);
    venue.ok(
        0,
        &[
            "register",
            "seller",
            "--name",
            "Helsingin Kamarikuoro ry",
            "--business-id",
            "0112038-9",
        ],
    );
    let sold = json(&stdout(&venue.sell(0, 1, "adult=2,child=1")));
    let order = sold["order_number"].as_i64().unwrap().to_string();
    venue.sell(0, 2, "adult=1");
    venue.ok(
        0,
        &[
            "refund", "--order", &order, "--amount", "5", "--reason", "other",
        ],
    );
    let paper = venue.counters[0].path().join("r.escpos");
    let to = format!("file:{}", paper.display());
    for copy in [&[][..], &["--copy"][..]] {
        let mut args = vec!["receipt", "print", order.as_str(), "--to", to.as_str()];
        args.extend(copy);
        venue.ok(0, &args);
    }
    venue.ok(
        0,
        &[
            "shift",
            "close",
            "--count",
            "100=2",
            "--end-of-day",
            "--json",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let on_shared = exports(&|args| venue.run(0, args), dir.path());
    let [saft, csv] = &on_shared;
    for needle in [
        "<companyIdent>0112038-9</companyIdent>",
        &format!("<registerID>{}</registerID>", venue.register_id(0)),
        "<transType>CASHSAL</transType>",
        "<transType>RETURNSAL</transType>",
        "<eventType>ZREP</eventType>",
        "<eventType>XREP</eventType>",
    ] {
        assert!(saft.contains(needle), "no {needle} in\n{saft}");
    }
    assert!(
        csv.contains("\nz,1,") && csv.contains("\nday_z,1,"),
        "{csv}"
    );
    assert!(csv.contains(",refund,"), "{csv}");

    // The same ledger copied into a SQLite file exports the same bytes.
    let copy = Counter::empty();
    let keys = venue.counters[0].key_file();
    let out = copy
        .command(&["--database", &venue.db.url(), "db", "copy", "--to"])
        .arg(copy.path())
        .env(PASSWORD_ENV, common::pg::ADMIN_PASSWORD)
        .env("BOXOFFICE_KEY_FILE", &keys)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "db copy back: {}", stderr(&out));
    let run_copy = |args: &[&str]| {
        copy.command(args)
            .env("BOXOFFICE_KEY_FILE", &keys)
            .output_bounded()
            .unwrap()
    };
    let on_sqlite = exports(&run_copy, dir.path());
    assert_eq!(on_shared[0], on_sqlite[0], "the SAF-T files differ");
    assert_eq!(on_shared[1], on_sqlite[1], "the CSV exports differ");

    // A register that joins later and sells is its own cash register: the first register's
    // export does not change, and Kassa 2's has its sale and none of the first's.
    let second = Counter::empty();
    let out = venue.run_on(&second, &["register", "join", "--name", "Kassa 2"]);
    assert!(out.status.success(), "register join: {}", stderr(&out));
    let out = venue.run_on(&second, &["shift", "open", "--float", "100"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = venue.run_on(
        &second,
        &[
            "sell",
            "--performance",
            "1",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "2000",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let theirs = json(&stdout(&out))["order_number"].as_i64().unwrap();
    assert_eq!(
        exports(&|args| venue.run(0, args), dir.path()),
        on_shared,
        "another register's sale changed this register's export"
    );
    let [saft2, csv2] = exports(&|args| venue.run_on(&second, args), dir.path());
    assert!(
        saft2.contains(&format!("<transID>{theirs}</transID>")),
        "{saft2}"
    );
    assert!(
        !saft2.contains(&format!("<transID>{order}</transID>")),
        "{saft2}"
    );
    assert!(!csv2.contains("\nz,"), "{csv2}");
}
