//! kill -9 in the middle of sales and refunds: the chain holds, nothing is half-written,
//! receipt numbers stay gapless, every committed sale is still there.
//! `BOXOFFICE_CRASH_KILLS=N` runs a longer version (BENCHMARKS.md).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use boxoffice::app::Services;
use boxoffice::ledger::{LedgerError, NewCategory, NewEvent};
use common::{Counter, stderr};

/// A performance big enough never to sell out during the test.
fn big_performance(counter: &Counter) -> boxoffice::domain::ids::PerformanceId {
    let mut services = Services::open(counter.path()).unwrap();
    services
        .ledger_mut()
        .transact(|tx| {
            let event_id = tx.insert_event(&NewEvent {
                names: ["Kestävyyskoe", "Uthållighetsprov", "Endurance test"],
                venue: "Areena",
                organiser: "Testi",
                created_by: None,
            })?;
            tx.insert_category(
                event_id,
                0,
                &NewCategory {
                    code: "adult",
                    names: ["Aikuinen", "Vuxen", "Adult"],
                    price_cents: 1250,
                    vat_class: "culture",
                },
            )?;
            tx.insert_performance(event_id, "2099-06-01T18:00:00+03:00", 1_000_000)
        })
        .map_err(|e: LedgerError| e.to_string())
        .unwrap()
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn kill_9_at_random_moments_loses_nothing() {
    let kills_wanted: usize = std::env::var("BOXOFFICE_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let counter = Counter::demo();
    let performance = big_performance(&counter).to_string();
    let mut committed: Vec<i64> = Vec::new();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let (mut kills, mut completed) = (0, 0);
    while kills < kills_wanted {
        let roll = next(&mut seed);
        let args: Vec<String> = if roll.is_multiple_of(4) && !committed.is_empty() {
            let order = committed[(roll / 4) as usize % committed.len()].to_string();
            [
                "refund",
                "--order",
                &order,
                "--amount",
                "0,50",
                "--reason",
                "wrong_price",
                "--user",
                "manager",
                "--pin",
                "9999",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        } else {
            let tickets = format!("adult={}", 1 + roll % 4);
            [
                "sell",
                "--user",
                "cashier",
                "--pin",
                "1111",
                "--performance",
                &performance,
                "--tickets",
                &tickets,
                "--pay",
                "cash",
                "--tendered",
                "100",
                "--json",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = counter
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(next(&mut seed) % 45_000));
        match child.try_wait().unwrap() {
            Some(_) => {
                let out = child.wait_with_output().unwrap();
                completed += 1;
                if out.status.success() && args[0] == "sell" {
                    let sale: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                    committed.push(sale["order_number"].as_i64().unwrap());
                }
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
            }
        }
    }
    eprintln!(
        "{kills} kills, {completed} completed, {} sales confirmed",
        committed.len()
    );
    let out = counter.run(&["verify"]);
    assert!(
        out.status.success(),
        "after {kills} kills: {}",
        stderr(&out)
    );
    for order in &committed {
        let out = counter.run(&["order", "show", &order.to_string(), "--json"]);
        assert!(
            out.status.success(),
            "confirmed order {order} is gone: {}",
            stderr(&out)
        );
    }
    // Nothing is left half-written: every order has its tickets, payment and receipt.
    let half: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = o.id)
                OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)
                OR NOT EXISTS (SELECT 1 FROM receipts r WHERE r.order_id = o.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(half, 0);
}
