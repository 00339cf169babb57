//! A randomized run of card sessions with faults mixed in, in-process against the simulator on
//! a real loopback port and a real ledger file. Whatever happens: no order is paid without an
//! approval, no approval is left without an order or a reversal, no double charge.
//!
//! `CARD_RANDOM_SESSIONS=5000 CARD_RANDOM_SEED=7 cargo test --release --test card_random` is the
//! longer form (BENCHMARKS.md).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use boxoffice::app::CardError;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use boxoffice::app::{AppError, CardProgress, SaleRequest, Services, Split};
use boxoffice::domain::Money;
use boxoffice::ledger::NewCategory;
use emv_agent::sim::{Fault, SimConfig, Simulator};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn randomized_sessions_with_faults_keep_money_and_orders_consistent() {
    let sessions = env_or("CARD_RANDOM_SESSIONS", 500);
    let seed = env_or("CARD_RANDOM_SEED", 0xC0FFEE);
    println!("{sessions} sessions, seed {seed}");
    let dir = tempfile::tempdir().unwrap();
    let _keys = common::isolate_key_file(dir.path());
    let sim = Simulator::start("127.0.0.1:0", SimConfig::default()).unwrap();
    let mut services = Services::open(dir.path()).unwrap();
    services.init(true).unwrap();
    {
        let links = services.card_links();
        links.timeouts.payment = Duration::from_millis(100);
        links.status_pause = Duration::from_millis(30);
    }
    let admin = services.login("admin", "0000").unwrap();
    services
        .add_terminal(&admin, "T1", "agent", sim.address())
        .unwrap();
    let starts_at = (chrono::Local::now() + chrono::Duration::days(30)).to_rfc3339();
    let performance = services
        .ledger_mut()
        .transact(|tx| {
            let event = tx.insert_event(&boxoffice::ledger::NewEvent {
                names: ["Testi", "Test", "Test"],
                venue: "Halli",
                organiser: "Test",
                created_by: None,
            })?;
            tx.insert_category(
                event,
                0,
                &NewCategory {
                    code: "adult",
                    names: ["A", "A", "A"],
                    price_cents: 2350,
                    vat_class: "culture",
                },
            )?;
            tx.insert_category(
                event,
                1,
                &NewCategory {
                    code: "child",
                    names: ["C", "C", "C"],
                    price_cents: 1105,
                    vat_class: "culture",
                },
            )?;
            tx.insert_performance(event, &starts_at, 1_000_000)
        })
        .unwrap();
    let cashier = services.login("cashier", "1111").unwrap();
    let mut rng = Rng(seed | 1);
    let (mut sold, mut refused, mut unknown, mut blocked) = (0, 0, 0, 0);
    let started = Instant::now();
    for _ in 0..sessions {
        let fault = match rng.below(20) {
            0 => Some(Fault::Decline),
            1 => Some(Fault::DropAfterApprove),
            2 => Some(Fault::Late(Duration::from_millis(60 + rng.below(200)))),
            3 => Some(Fault::Garbage),
            4 => Some(Fault::WrongServiceId),
            5 => Some(Fault::Busy),
            _ => None,
        };
        if let Some(fault) = fault {
            sim.inject(fault);
        }
        let adults = rng.below(3) as u32;
        let request = SaleRequest {
            performance_id: performance,
            items: vec![
                ("adult".into(), adults),
                (
                    "child".into(),
                    if adults == 0 { 1 } else { rng.below(2) as u32 },
                ),
            ],
            ..SaleRequest::default()
        };
        let total = services.quote(&request).unwrap();
        let split = match rng.below(3) {
            0 => Split::default(),
            1 if total.cents() > 100 => Split {
                cash: Some(Money::from_cents(100)),
                card: None,
            },
            _ if total.cents() > 200 => Split {
                cash: None,
                card: Some(Money::from_cents(total.cents() - 200)),
            },
            _ => Split::default(),
        };
        let request = SaleRequest {
            tendered: total,
            ..request
        };
        let abort = Arc::new(AtomicBool::new(false));
        let abort_now = rng.below(25) == 0;
        let flag = abort.clone();
        let mut display = |text: &str| {
            if abort_now && text == "Enter PIN" {
                flag.store(true, Ordering::SeqCst);
            }
        };
        let mut progress = CardProgress {
            display: &mut display,
            abort,
        };
        match services.sell_with_card(&cashier, &request, Some("T1"), split, &mut progress) {
            Ok(_) => sold += 1,
            Err(AppError::Card(CardError::CardNotApproved { .. })) => refused += 1,
            Err(AppError::Card(CardError::CardOutcomeUnknown { .. })) => unknown += 1,
            Err(AppError::Card(CardError::TerminalBlocked { .. })) => blocked += 1,
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    // Let the late answers finish, then resolve what is left.
    std::thread::sleep(Duration::from_millis(400));
    let left = services.resolve_card_attempts(None).unwrap();
    assert!(left.is_empty(), "unresolved after the run: {left:?}");
    println!(
        "sold {sold}, not approved {refused}, unknown {unknown}, blocked {blocked} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(sold > sessions / 2, "too few sales: {sold}");
    assert!(refused > 0, "no payment was refused");

    // The terminal's view: approvals not reversed.
    let approved: Vec<_> = sim.approved().into_iter().filter(|a| !a.reversed).collect();
    // The ledger's view: card payments in orders, by attempt.
    let conn = rusqlite::Connection::open(dir.path().join("ledger.sqlite3")).unwrap();
    let mut statement = conn
        .prepare("SELECT attempt_id, amount_cents FROM payments WHERE tender = 'card' AND order_id IS NOT NULL")
        .unwrap();
    let paid: Vec<(String, i64)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        paid.len(),
        sold as usize,
        "every sale has exactly one card payment"
    );
    for (attempt_id, cents) in &paid {
        let service_id = attempt_id.split('/').next().unwrap();
        let matching: Vec<_> = approved
            .iter()
            .filter(|a| a.service_id == service_id)
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "order paid by {attempt_id} without a standing approval"
        );
        assert_eq!(
            matching[0].amount_cents, *cents,
            "paid for other than the approval"
        );
    }
    for approval in &approved {
        let in_orders = paid
            .iter()
            .filter(|(id, _)| id.split('/').next() == Some(approval.service_id.as_str()))
            .count();
        assert_eq!(
            in_orders, 1,
            "approval {} is in {in_orders} orders and not reversed",
            approval.service_id
        );
    }
    let terminal_total: i64 = approved.iter().map(|a| a.amount_cents).sum();
    let ledger_total: i64 = paid.iter().map(|(_, c)| c).sum();
    assert_eq!(terminal_total, ledger_total, "charged and recorded differ");
    assert_eq!(sim.batch_totals().0.cents, terminal_total);
    // Every order's payments cover exactly its total, and the chain holds.
    let uncovered: i64 = conn
        .query_row(
            "SELECT count(*) FROM orders o WHERE o.total_cents !=
               (SELECT coalesce(sum(amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.state = 'approved')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(uncovered, 0);
    let unknowns: i64 = conn
        .query_row(
            "SELECT count(DISTINCT service_id) FROM card_outcomes WHERE state = 'unknown'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(
        unknowns > 0,
        "no outcome was ever unknown: the faults did not show"
    );
    println!("{unknowns} attempts went through an unknown outcome");
    assert!(services.ledger_mut().verify().unwrap().is_ok());
    // The day end agrees.
    let manager = services.login("manager", "9999").unwrap();
    let reconciliation = services.reconcile_terminal(&manager, "T1").unwrap();
    assert_eq!(reconciliation.difference_cents, 0, "{reconciliation:?}");
    assert_eq!(reconciliation.ledger_debit_count, approved.len() as i64);
}
