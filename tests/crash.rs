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

/// The arguments of one operation: a cash sale, or (one time in four, once there are sales) a
/// 0,50 € refund of a confirmed sale.
fn operation(roll: u64, performance: &str, committed: &[i64]) -> Vec<String> {
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
            "--performance",
            performance,
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
    args
}

/// What the campaign saw: operations killed, and those that answered "done".
#[derive(Default)]
struct Campaign {
    kills: usize,
    completed: usize,
    /// Sales that printed their order: each must be in the ledger afterwards.
    sales: Vec<i64>,
    /// Refunds that answered success, by order: each must be in the ledger afterwards.
    refunds: std::collections::BTreeMap<i64, i64>,
}

impl Campaign {
    /// Runs one operation to its end; returns how long it took.
    fn complete(&mut self, counter: &Counter, args: &[&str], pin: &str) -> Duration {
        let started = std::time::Instant::now();
        let out = counter
            .command(args)
            .env("BOXOFFICE_PIN", pin)
            .output()
            .unwrap();
        let took = started.elapsed();
        self.record(args, &out);
        took
    }

    fn record(&mut self, args: &[&str], out: &std::process::Output) {
        self.completed += 1;
        if !out.status.success() {
            return;
        }
        if args[0] == "sell" {
            let sale: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            self.sales.push(sale["order_number"].as_i64().unwrap());
        } else {
            *self.refunds.entry(args[2].parse().unwrap()).or_default() += 1;
        }
    }
}

#[test]
fn kill_9_at_random_moments_loses_nothing() {
    let kills_wanted: usize = std::env::var("BOXOFFICE_CRASH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let counter = Counter::demo();
    let performance = big_performance(&counter).to_string();
    let mut campaign = Campaign::default();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    // The kill moments must spread over the whole operation (start, login, prices, the commit
    // and the answer), not only its start: time whole sales first, then kill anywhere in a
    // window that starts at 1.3 times that and follows the machine's speed (a little shorter
    // after an operation that finished, a little longer after a kill: about one operation in
    // four then finishes on its own, whatever the load).
    let mut took: Vec<Duration> = (0..3)
        .map(|n| {
            let args = operation(n + 1, &performance, &[]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            campaign.complete(&counter, &args, "1111")
        })
        .collect();
    took.sort();
    let mut window_us = (took[1].as_micros() as u64 * 13 / 10).max(1_000);
    while campaign.kills < kills_wanted {
        let roll = next(&mut seed);
        let args = operation(roll, &performance, &campaign.sales);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let pin = if args[0] == "sell" { "1111" } else { "9999" };
        let mut child = counter
            .command(&args)
            .env("BOXOFFICE_PIN", pin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(next(&mut seed) % window_us));
        match child.try_wait().unwrap() {
            Some(_) => {
                let out = child.wait_with_output().unwrap();
                campaign.record(&args, &out);
                window_us = (window_us * 97 / 100).max(1_000);
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                campaign.kills += 1;
                window_us = window_us * 101 / 100;
            }
        }
    }
    let refunds_confirmed: i64 = campaign.refunds.values().sum();
    // The figure RELIABILITY.md reports (`cargo test --test crash -- --nocapture`).
    eprintln!(
        "{} kills (window at the end {} ms), {} completed, {} sales and {refunds_confirmed} refunds confirmed",
        campaign.kills,
        window_us / 1000,
        campaign.completed,
        campaign.sales.len()
    );
    assert!(
        campaign.sales.len() >= 5,
        "the campaign confirmed only {} sales: the kills never reach the commit",
        campaign.sales.len()
    );
    let out = counter.run(&["verify"]);
    assert!(
        out.status.success(),
        "after {} kills: {}",
        campaign.kills,
        stderr(&out)
    );
    for order in &campaign.sales {
        let out = counter.run(&["order", "show", &order.to_string(), "--json"]);
        assert!(
            out.status.success(),
            "confirmed order {order} is gone: {}",
            stderr(&out)
        );
    }
    // Every confirmed refund is there (a killed one may or may not have committed).
    for (order, confirmed) in &campaign.refunds {
        let recorded: i64 = counter
            .sql()
            .query_row(
                "SELECT count(*) FROM refunds WHERE order_id = ?1",
                [order],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            recorded >= *confirmed,
            "order {order}: {confirmed} refunds confirmed, {recorded} in the ledger"
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
