//! The ticket mail of a sale is queued in the sale's own transaction (issue 14 §8): a process
//! killed with SIGKILL the moment it has printed the sale has already queued the mail.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::io::BufRead;
use std::process::Stdio;

use common::{Counter, stderr};

#[test]
fn a_kill_right_after_the_sale_is_printed_never_loses_its_mail() {
    let counter = Counter::demo();
    let runs = 8;
    for run in 0..runs {
        let email = format!("buyer{run}@example.fi");
        let mut child = counter
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
                "cash",
                "--tendered",
                "50",
                "--email",
                &email,
                "--json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        child.kill().unwrap(); // SIGKILL, the moment the sale is printed
        let out = child.wait_with_output().unwrap();
        let sale: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line} {}", stderr(&out)));
        let order = sale["order_number"].as_i64().unwrap();
        let queued: i64 = counter
            .sql()
            .query_row(
                "SELECT count(*) FROM mail_outbox WHERE order_id = ?1 AND to_address = ?2",
                rusqlite::params![order, email],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(
            queued, 1,
            "run {run}: the sale of order {order} lost its mail"
        );
    }
    // And a sale whose mail cannot be queued is not made either: one transaction.
    assert_eq!(counter.count("orders"), runs);
    let verify = counter.run(&["verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}
