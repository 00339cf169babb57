//! Sale commit: a cash sale of 2 tickets (order, lines, tickets, payment, receipt, journal;
//! one IMMEDIATE transaction, WAL, synchronous=FULL) against a bare one-row INSERT + COMMIT
//! on a file with the same pragmas, in the same run. BENCHMARKS.md reports the ratio.
//! The floor, in the same run: the same rows (order, line, tickets, payment, receipt, journal
//! entry, operation id; the sold counter by the tickets' trigger) written by bare prepared
//! INSERTs into a copy of the same ledger, and the WAL frames per commit of all three; and the
//! sale followed by the journal anchor, as the counter's worker runs it after every command.
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

/// The rows one sale wrote, read back from the ledger: what the floor writes again.
struct SaleRows {
    order: (String, i64, i64, String, i64, String, i64),
    lines: Vec<[i64; 9]>,
    tickets: Vec<(i64, i64, String)>,
    payment: (String, i64, Option<i64>, Option<i64>, String),
    receipt: (String, i64, String),
    journal: (String, String, i64, String, String, String),
    operation: (String, String),
}

fn last_sale_rows(db: &rusqlite::Connection) -> SaleRows {
    let order_id: i64 = db
        .query_row("SELECT max(id) FROM orders", [], |r| r.get(0))
        .unwrap();
    let order = db
        .query_row(
            "SELECT register_id, shift_id, user_id, created_at, total_cents, lang, training FROM orders WHERE id = ?1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    let mut statement = db
        .prepare(
            "SELECT line_no, performance_id, category_id, quantity, unit_price_cents, vat_basis_points,
                    gross_cents, vat_cents, net_cents FROM order_lines WHERE order_id = ?1 ORDER BY id",
        )
        .unwrap();
    let lines = statement
        .query_map([order_id], |r| {
            let mut line = [0; 9];
            for (i, v) in line.iter_mut().enumerate() {
                *v = r.get(i)?;
            }
            Ok(line)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut statement = db
        .prepare(
            "SELECT t.performance_id, t.price_cents, t.state FROM tickets t WHERE order_id = ?1 ORDER BY id",
        )
        .unwrap();
    let tickets = statement
        .query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let payment = db
        .query_row(
            "SELECT tender, amount_cents, tendered_cents, change_cents, created_at FROM payments WHERE order_id = ?1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let receipt = db
        .query_row(
            "SELECT kind, training, created_at FROM receipts WHERE order_id = ?1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let journal = db
        .query_row(
            "SELECT at, kind, user_id, content, prev_hash, hash FROM journal WHERE order_id = ?1 ORDER BY seq DESC LIMIT 1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    let operation = db
        .query_row(
            "SELECT kind, created_at FROM operations WHERE order_id = ?1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    SaleRows {
        order,
        lines,
        tickets,
        payment,
        receipt,
        journal,
        operation,
    }
}

/// The floor: the rows of one sale written again by bare prepared INSERTs in one IMMEDIATE
/// transaction, on a copy of the same ledger (same schema, indexes, triggers and pragmas): no
/// reads, no checks, no JSON, no hashing. `n` makes the unique columns unique.
fn floor_sale(db: &rusqlite::Connection, rows: &SaleRows, n: i64) {
    let o = &rows.order;
    db.execute_batch("BEGIN IMMEDIATE").unwrap();
    db.prepare_cached(
        "INSERT INTO orders (register_id, shift_id, user_id, created_at, total_cents, lang, training)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .unwrap()
    .execute(rusqlite::params![o.0, o.1, o.2, o.3, o.4, o.5, o.6])
    .unwrap();
    let order_id = db.last_insert_rowid();
    let mut line_ids = Vec::with_capacity(rows.lines.len());
    for l in &rows.lines {
        db.prepare_cached(
            "INSERT INTO order_lines (order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
                                      vat_basis_points, gross_cents, vat_cents, net_cents)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .unwrap()
        .execute(rusqlite::params![order_id, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8]])
        .unwrap();
        line_ids.push(db.last_insert_rowid());
    }
    for (i, t) in rows.tickets.iter().enumerate() {
        db.prepare_cached(
            "INSERT INTO tickets (code, order_id, line_id, performance_id, price_cents, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .unwrap()
        .execute(rusqlite::params![
            format!("FLOOR{n:011}{i:02}"),
            order_id,
            line_ids[0],
            t.0,
            t.1,
            t.2
        ])
        .unwrap();
    }
    let p = &rows.payment;
    db.prepare_cached(
        "INSERT INTO payments (attempt_id, order_id, tender, amount_cents, tendered_cents, change_cents, state, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'approved', ?7)",
    )
    .unwrap()
    .execute(rusqlite::params![format!("floor-{order_id}-{n}"), order_id, p.0, p.1, p.2, p.3, p.4])
    .unwrap();
    let r = &rows.receipt;
    db.prepare_cached(
        "INSERT INTO receipts (register_id, number, order_id, shift_id, kind, training, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .unwrap()
    .execute(rusqlite::params![
        o.0,
        1_000_000_000 + n,
        order_id,
        o.1,
        r.0,
        r.1,
        r.2
    ])
    .unwrap();
    let j = &rows.journal;
    db.prepare_cached(
        "INSERT INTO journal (register_id, at, kind, user_id, order_id, content, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .unwrap()
    .execute(rusqlite::params![
        o.0, j.0, j.1, j.2, order_id, j.3, j.4, j.5
    ])
    .unwrap();
    let op = &rows.operation;
    db.prepare_cached(
        "INSERT INTO operations (id, register_id, kind, order_id, shift_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .unwrap()
    .execute(rusqlite::params![
        format!("{n:036}"),
        o.0,
        op.0,
        order_id,
        o.1,
        op.1
    ])
    .unwrap();
    db.execute_batch("COMMIT").unwrap();
}

/// Opens a file with the ledger's pragmas (as `Ledger::open` sets them).
fn open_like_ledger(path: &std::path::Path) -> rusqlite::Connection {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA recursive_triggers = ON;",
    )
    .unwrap();
    db
}

/// Rows per table, for the tables a sale changes.
fn table_counts(db: &rusqlite::Connection) -> Vec<(String, i64)> {
    let names: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|name| {
            let n = db
                .query_row(&format!("SELECT count(*) FROM \"{name}\""), [], |r| {
                    r.get(0)
                })
                .unwrap();
            (name, n)
        })
        .collect()
}

/// WAL frames written per commit: a PASSIVE checkpoint (the WAL is then written again from its
/// start, not truncated, so the file is not grown), `n` commits (fewer than the 1000-page
/// automatic checkpoint), and the frames the next PASSIVE checkpoint finds in the WAL.
fn wal_frames_per_commit(db_path: &std::path::Path, n: u32, mut commit: impl FnMut()) -> f64 {
    let probe = rusqlite::Connection::open(db_path).unwrap();
    let checkpoint = || {
        probe
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1))
            .unwrap()
    };
    checkpoint();
    for _ in 0..n {
        commit();
    }
    checkpoint() as f64 / f64::from(n)
}

/// Medians of the three, one of each in turn (`rounds` times), so that a change in the
/// machine's load or disk during the run falls on all three alike.
fn interleaved_medians(rounds: usize, commits: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    let mut samples = vec![Vec::with_capacity(rounds); commits.len()];
    for _ in 0..rounds {
        for (commit, list) in commits.iter_mut().zip(&mut samples) {
            let started = std::time::Instant::now();
            commit();
            list.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    samples
        .into_iter()
        .map(|mut list| {
            list.sort_by(f64::total_cmp);
            list[list.len() / 2]
        })
        .collect()
}

fn sale_commit(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let ledger_dir = dir.path().join("ledger");
    // The bench's own key file (the anchor's MAC key and its second copy live beside it), never
    // the user's.
    std::fs::create_dir_all(dir.path().join("keys")).unwrap();
    boxoffice::mail::secrets::use_key_file_for(&ledger_dir, &dir.path().join("keys").join("key"));
    let (services, performance_id) = ledger_with_big_performance(&ledger_dir);
    let services = std::cell::RefCell::new(services);
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
    let bare = || {
        baseline
            .execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO t (amount_cents, note) VALUES (3700, 'x'); COMMIT;",
            )
            .unwrap()
    };

    // One sale first: which tables it changes (the floor must write the same rows), and its rows.
    let ledger_path = ledger_dir.join(boxoffice::ledger::LEDGER_FILE);
    let probe = rusqlite::Connection::open(&ledger_path).unwrap();
    let before = table_counts(&probe);
    services
        .borrow_mut()
        .record_cash_sale(&session, &request)
        .unwrap();
    let after = table_counts(&probe);
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, a)| format!("{} +{}", b.0, a.1 - b.1))
        .collect();
    eprintln!("rows one sale adds: {}", changed.join(", "));
    let rows = last_sale_rows(&probe);
    drop(probe);

    // The floor writes into a copy of the ledger as it is now (same schema, same size).
    let floor_path = dir.path().join("floor.sqlite3");
    {
        let source = rusqlite::Connection::open(&ledger_path).unwrap();
        source
            .execute("VACUUM INTO ?1", [floor_path.to_str().unwrap()])
            .unwrap();
    }
    let floor = open_like_ledger(&floor_path);
    let mut n = 0_i64;
    let mut floor_commit = || {
        n += 1;
        floor_sale(&floor, &rows, n);
    };

    // WAL frames per commit of each, measured outside the timings.
    let frames_bare = wal_frames_per_commit(&baseline_path, 30, bare);
    let frames_floor = wal_frames_per_commit(&floor_path, 30, &mut floor_commit);
    let frames_sale = wal_frames_per_commit(&ledger_path, 30, || {
        services
            .borrow_mut()
            .record_cash_sale(&session, &request)
            .unwrap();
    });
    eprintln!(
        "WAL frames per commit: bare insert {frames_bare:.1}, floor (the sale's rows, bare INSERTs) {frames_floor:.1}, sale {frames_sale:.1}"
    );

    let mut sale = || {
        black_box(
            services
                .borrow_mut()
                .record_cash_sale(&session, &request)
                .unwrap(),
        );
    };
    // As the counter's worker does after every command: the sale, then the journal anchor (its
    // file and the copy beside the key file, each written and synced).
    let mut sale_and_anchor = || {
        let mut services = services.borrow_mut();
        black_box(services.record_cash_sale(&session, &request).unwrap());
        services.anchor_batch();
    };
    let rounds = std::env::var("SALE_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut bare_commit = bare;
    let medians = interleaved_medians(
        rounds,
        &mut [
            &mut bare_commit,
            &mut floor_commit,
            &mut sale,
            &mut sale_and_anchor,
        ],
    );
    let (bare_us, floor_us, sale_us, anchored_us) =
        (medians[0], medians[1], medians[2], medians[3]);
    eprintln!(
        "interleaved medians of {rounds}: bare insert {bare_us:.1} µs, floor {floor_us:.1} µs, sale {sale_us:.1} µs, \
         sale + journal anchor (as the worker) {anchored_us:.1} µs; sale / bare {:.2}x, sale / floor {:.2}x, \
         floor / bare {:.2}x, sale + anchor / bare {:.2}x; {}",
        sale_us / bare_us,
        sale_us / floor_us,
        floor_us / bare_us,
        anchored_us / bare_us,
        load_average()
    );

    eprintln!(
        "journal anchor written: {}, its copy beside the key file: {}",
        ledger_dir.join("journal-anchor.json").exists(),
        dir.path().join("keys").join("anchors").exists()
    );

    let mut group = c.benchmark_group("sale_commit");
    group.sample_size(200);
    group.bench_function("bare_insert_commit", |b| b.iter(&mut bare_commit));
    group.bench_function("floor_same_rows_bare_inserts", |b| {
        b.iter(&mut floor_commit)
    });
    group.bench_function("cash_sale_2_tickets", |b| b.iter(&mut sale));
    group.finish();
    eprintln!("{}", load_average());
}

/// The load average, for BENCHMARKS.md.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "load average: {}",
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

criterion_group!(benches, sale_commit);
criterion_main!(benches);
