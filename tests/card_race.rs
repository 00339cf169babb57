//! Two box-office processes (the real binary) on one data directory share one card terminal: the
//! agent simulator on a real loopback port, which follows the link contract (a status query
//! answers `InProgress` while a payment runs). Runs of two card sales started close together,
//! one process in three killed with SIGKILL mid-payment. Afterwards, once the dead processes'
//! leases have run out and the leftovers are resolved: no settled payment was reversed, no
//! approval is left without an order or a reversal, nobody was charged twice.
//!
//! `CARD_RACE_RUNS=300 cargo test --test card_race` is the longer form (RELIABILITY.md).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::collections::{HashMap, HashSet};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{Counter, stderr, stdout};
use emv_agent::sim::{SimConfig, Simulator};

/// How long a process's claim on its card attempt lasts without a heartbeat.
const LEASE_MS: u64 = 1200;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn spawn_sale(counter: &Counter) -> Child {
    counter
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
            "card",
            "--json",
        ])
        .env("BOXOFFICE_CARD_LEASE_MS", LEASE_MS.to_string())
        .env("BOXOFFICE_CARD_TIMEOUT_MS", "3000")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start boxoffice")
}

fn scalar(counter: &Counter, sql: &str) -> i64 {
    counter.sql().query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn two_processes_on_one_terminal_never_reverse_a_settled_payment_nor_charge_twice() {
    let runs: u64 = std::env::var("CARD_RACE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let mut rng = Rng(std::env::var("CARD_RACE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_CAFE));
    // Each payment takes about 3 × 80 ms at the terminal: wide enough for the other process
    // to start, look at the terminal and ask about the running payment.
    let sim = Simulator::start(
        "127.0.0.1:0",
        SimConfig {
            step_delay: Duration::from_millis(80),
            ..SimConfig::default()
        },
    )
    .unwrap();
    let counter = Counter::demo();
    let out = counter.run(&["terminal", "add", "--name", "T1", "--agent", sim.address()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let (mut killed, mut confirmed, mut refused) = (0, 0, 0);
    let mut confirmed_orders = HashSet::new();
    for run in 0..runs {
        let mut a = spawn_sale(&counter);
        std::thread::sleep(Duration::from_millis(rng.below(320)));
        let mut b = spawn_sale(&counter);
        if run % 3 == 0 {
            std::thread::sleep(Duration::from_millis(rng.below(300)));
            let first = rng.below(2) == 0;
            let (x, y) = if first {
                (&mut a, &mut b)
            } else {
                (&mut b, &mut a)
            };
            for victim in [x, y] {
                if victim.try_wait().unwrap().is_none() {
                    victim.kill().unwrap(); // SIGKILL
                    killed += 1;
                    break;
                }
            }
        }
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                let sale: serde_json::Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("run {run}: {e}: {}", stdout(&out)));
                confirmed += 1;
                assert!(confirmed_orders.insert(sale["order_number"].as_i64().unwrap()));
            } else if out.status.code().is_some() {
                refused += 1;
                let text = stderr(&out);
                // The loser is told the terminal is busy; it never sees an internal error
                // about an attempt the other process settled or reversed.
                assert!(!text.contains("Internal error"), "run {run}: {text}");
            }
        }
    }
    println!(
        "{runs} runs: {confirmed} sales confirmed, {refused} refused (terminal busy or declined), {killed} processes killed"
    );

    // The dead processes' leases run out; what they left is resolved (the terminal may still
    // be finishing a payment: ask again until nothing is pending).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        std::thread::sleep(Duration::from_millis(LEASE_MS + 200));
        let out = counter
            .command(&["payments", "pending", "--json", "--resolve"])
            .env("BOXOFFICE_CARD_LEASE_MS", LEASE_MS.to_string())
            .output_bounded()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let pending: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if pending.as_array().unwrap().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still pending: {pending}");
    }

    // 0 settled payments reversed (in the ledger and at the terminal).
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(DISTINCT s.service_id) FROM card_outcomes s JOIN card_outcomes r
              ON r.service_id = s.service_id AND r.state = 'reversed' WHERE s.state = 'settled'"
        ),
        0,
        "settled payments reversed in the ledger"
    );
    let settled: HashMap<String, i64> = {
        let db = counter.sql();
        let mut statement = db
            .prepare("SELECT service_id, order_id FROM card_outcomes WHERE state = 'settled'")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        settled.len() as i64,
        scalar(
            &counter,
            "SELECT count(*) FROM card_outcomes WHERE state = 'settled'"
        ),
        "an attempt settled twice"
    );
    // Outcomes move forward only: nothing after a settled or reversed outcome.
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM card_outcomes o WHERE EXISTS (SELECT 1 FROM card_outcomes f
              WHERE f.service_id = o.service_id AND f.id < o.id AND f.state IN ('settled', 'reversed'))"
        ),
        0,
        "an outcome after a final one"
    );
    let approved = sim.approved();
    let mut charged_orders = HashSet::new();
    for transaction in approved.iter().filter(|t| !t.refund) {
        match settled.get(&transaction.service_id) {
            Some(order) => {
                assert!(
                    !transaction.reversed,
                    "settled payment {} reversed at the terminal",
                    transaction.service_id
                );
                // 0 double charges: one approval per order.
                assert!(charged_orders.insert(*order), "order {order} charged twice");
            }
            None => assert!(
                transaction.reversed,
                "approval {} in no order and not reversed",
                transaction.service_id
            ),
        }
    }
    // Every order is paid by exactly one approval the terminal still holds, for its total.
    assert_eq!(
        charged_orders.len() as i64,
        counter.count("orders"),
        "orders without an approval"
    );
    assert_eq!(
        scalar(
            &counter,
            "SELECT count(*) FROM orders o WHERE o.total_cents <>
              (SELECT coalesce(sum(amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.tender = 'card')"
        ),
        0
    );
    assert_eq!(
        sim.batch_totals().0.cents,
        scalar(
            &counter,
            "SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE order_id IS NOT NULL AND tender = 'card'"
        )
    );
    // Every sale a process confirmed is in the ledger.
    for order in &confirmed_orders {
        assert_eq!(
            scalar(
                &counter,
                &format!("SELECT count(*) FROM orders WHERE id = {order}")
            ),
            1,
            "confirmed order {order} lost"
        );
    }
    let verify = counter.run(&["verify"]);
    assert!(
        verify.status.success(),
        "{}{}",
        stdout(&verify),
        stderr(&verify)
    );
}

#[test]
fn no_outcome_is_written_after_a_final_one_whatever_program_writes_it() {
    let sim = Simulator::start("127.0.0.1:0", SimConfig::default()).unwrap();
    let counter = Counter::demo();
    let out = counter.run(&["terminal", "add", "--name", "T1", "--agent", sim.address()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = spawn_sale(&counter).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let db = counter.sql();
    let service_id: String = db
        .query_row(
            "SELECT service_id FROM card_outcomes WHERE state = 'settled'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    for state in ["approved", "reversed", "unknown", "declined", "settled"] {
        let error = db
            .execute(
                "INSERT INTO card_outcomes (service_id, state, at) VALUES (?1, ?2, '2026-01-01')",
                [&service_id, state],
            )
            .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("after a final one") || text.contains("only after its approval"),
            "{state}: {text}"
        );
    }
    // A reversal or settlement needs an approval first.
    let pending: String = db
        .query_row(
            "INSERT INTO card_attempts (service_id, terminal_id, kind, amount_cents, user_id, created_at)
             VALUES ('x1', 1, 'purchase', 100, 1, '2026-01-01') RETURNING service_id",
            [],
            |row| row.get(0),
        )
        .unwrap();
    for state in ["reversed", "settled"] {
        let error = db
            .execute(
                "INSERT INTO card_outcomes (service_id, state, at) VALUES (?1, ?2, '2026-01-01')",
                [&pending, state],
            )
            .unwrap_err();
        assert!(
            error.to_string().contains("only after its approval"),
            "{error}"
        );
    }
}
