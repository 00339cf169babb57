//! PostgreSQL restarted during a run (issue 15): counters selling at two registers while the
//! server restarts (`pg_ctl restart -m fast`). The sales caught inside their transactions
//! reconnect by themselves, ask by their operation ids and sell once; every sale a counter
//! reported is in the ledger once, none it reported failed is; receipts stay gapless per
//! register and `verify` passes. Its own test binary: the restart ends every connection to the
//! binary's server.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::pg as server;
use common::venue::{Venue, hold_journal, json};
use common::{stderr, stdout};

#[test]
fn counters_selling_while_postgresql_restarts_reconnect_and_lose_or_double_nothing() {
    // Three registers, each one process at a time (as at a counter).
    let venue = Arc::new(Venue::new(2));
    venue.ok(1, &["shift", "open", "--float", "100"]);
    venue.ok(2, &["shift", "open", "--float", "100"]);
    // Two sales, one per register, held inside their transactions (the first at its register's
    // journal append, the second behind it at the performance's capacity row, or at its own
    // append if it came first).
    let mut holder = venue.db.connect();
    hold_journal(&mut holder, &venue.register_id(0));
    hold_journal(&mut holder, &venue.register_id(1));
    let held: Vec<_> = (0..2)
        .map(|counter| {
            let venue = venue.clone();
            std::thread::spawn(move || venue.sell(counter, 1, "adult=1"))
        })
        .collect();
    let mut waiting = 0_i64;
    for _ in 0..400 {
        waiting = holder
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'boxoffice'
                 AND wait_event_type = 'Lock'",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        waiting, 2,
        "the sales did not wait inside their transactions"
    );
    // Meanwhile the third register keeps selling, one process after another.
    let stop = Arc::new(AtomicBool::new(false));
    let outcomes: Arc<Mutex<Vec<std::process::Output>>> = Arc::default();
    let seller = {
        let (venue, stop, outcomes) = (venue.clone(), stop.clone(), outcomes.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let out = venue.sell(2, 2, "adult=1");
                outcomes.lock().unwrap().push(out);
            }
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    server::server().restart();
    drop(holder);
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::SeqCst);
    seller.join().unwrap();

    // The two held sales were cut by the restart, reconnected, found nothing under their
    // operation ids and sold once.
    let mut reported = Vec::new();
    for (counter, sale) in held.into_iter().enumerate() {
        let out = sale.join().unwrap();
        assert!(
            out.status.success(),
            "counter {}: {}",
            counter + 1,
            stderr(&out)
        );
        reported.push(json(&stdout(&out))["order_number"].as_i64().unwrap());
    }
    // The other counter's sales: each one it reported is there; one it refused is not.
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    for out in &outcomes {
        if out.status.success() {
            reported.push(json(&stdout(out))["order_number"].as_i64().unwrap());
        } else {
            let said = stderr(out);
            assert!(
                said.contains("cannot be reached") || said.contains("nothing was written"),
                "{said}"
            );
        }
    }
    let mut client = venue.db.connect();
    let recorded: Vec<i64> = client
        .query("SELECT id FROM orders ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    reported.sort_unstable();
    assert_eq!(recorded, reported, "a sale lost or doubled");
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM operations WHERE kind = 'sale')",
            &[],
        )
        .unwrap();
    let (orders, operations): (i64, i64) = (row.get(0), row.get(1));
    assert_eq!(orders, operations);
    assert_eq!(orders, reported.len() as i64);
    // Receipts gapless per register.
    for row in client
        .query(
            "SELECT register_id, array_agg(number ORDER BY number) FROM receipts
             WHERE training = 0 AND kind = 'sale' GROUP BY register_id",
            &[],
        )
        .unwrap()
    {
        let numbers: Vec<i64> = row.get(1);
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
    }
    eprintln!(
        "restart: {} sales by the other counter during the run, {} reported sold, {} refused",
        outcomes.len(),
        reported.len() - 2,
        outcomes.len() + 2 - reported.len()
    );
    let out = venue.run(0, &["verify"]);
    assert!(
        out.status.success(),
        "verify: {}{}",
        stdout(&out),
        stderr(&out)
    );
}
