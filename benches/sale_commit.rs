//! Sale commit: a cash sale of 2 tickets (order, lines, tickets, payment, receipt, journal;
//! one IMMEDIATE transaction, WAL, synchronous=FULL) against a bare one-row INSERT + COMMIT
//! on a file with the same pragmas, in the same run. BENCHMARKS.md reports the ratio.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::hint::black_box;

use boxoffice::app::{SaleRequest, Services, Session};
use boxoffice::domain::Money;
use boxoffice::i18n::Lang;
use boxoffice::ledger::{LedgerError, NewCategory, NewEvent};
use criterion::{Criterion, criterion_group, criterion_main};

fn ledger_with_big_performance(
    dir: &std::path::Path,
) -> (Services, boxoffice::domain::ids::PerformanceId) {
    let mut services = Services::open(dir).expect("open ledger");
    services.init(false).expect("init");
    let performance_id = services
        .ledger_mut()
        .transact(|tx| {
            let user_id = tx.insert_user("bench", "cashier", "not-a-real-hash", "fi")?;
            tx.insert_shift(user_id, 0, "2026-01-01T08:00:00+02:00")?;
            let event_id = tx.insert_event(&NewEvent {
                names: ["Penkki", "Bänk", "Bench"],
                venue: "Halli",
                organiser: "Bench",
                created_by: None,
            })?;
            tx.insert_category(
                event_id,
                0,
                &NewCategory {
                    code: "adult",
                    names: ["Aikuinen", "Vuxen", "Adult"],
                    price_cents: 1850,
                    vat_class: "culture",
                },
            )?;
            tx.insert_performance(event_id, "2099-01-01T19:00:00+02:00", 100_000_000)
        })
        .map_err(|e: LedgerError| e.to_string())
        .expect("seed");
    (services, performance_id)
}

fn sale_commit(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (mut services, performance_id) = ledger_with_big_performance(&dir.path().join("ledger"));
    let session = Session {
        user_id: boxoffice::domain::ids::UserId(1),
        name: "bench".into(),
        role: boxoffice::domain::Role::Cashier,
        lang: Lang::Fi,
    };
    let request = SaleRequest {
        performance_id,
        items: vec![("adult".into(), 2)],
        tendered: Money::from_euros(50),
        ..SaleRequest::default()
    };

    let baseline_path = dir.path().join("baseline.sqlite3");
    let baseline = rusqlite::Connection::open(&baseline_path).unwrap();
    baseline
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             CREATE TABLE t (id INTEGER PRIMARY KEY, amount_cents INTEGER NOT NULL, note TEXT NOT NULL);",
        )
        .unwrap();

    let mut group = c.benchmark_group("sale_commit");
    group.sample_size(200);
    group.bench_function("bare_insert_commit", |b| {
        b.iter(|| {
            baseline
                .execute_batch("BEGIN IMMEDIATE; INSERT INTO t (amount_cents, note) VALUES (3700, 'x'); COMMIT;")
                .unwrap()
        })
    });
    group.bench_function("cash_sale_2_tickets", |b| {
        b.iter(|| black_box(services.record_cash_sale(&session, &request).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, sale_commit);
criterion_main!(benches);
