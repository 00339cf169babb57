//! The shared ledger's own rules under contention (issue 15), on a real PostgreSQL server: four
//! counters (four connections, READ COMMITTED, PostgreSQL's default) sell the last tickets and the
//! same seats of one performance at once. The database alone decides: exactly the capacity is
//! sold, every seat once, `sold` equals the valid tickets, receipts gapless per register.
//! (SQL-level: the program's sale does not run on PostgreSQL yet.)
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::sync::{Arc, Barrier};

use boxoffice::ledger::pg;
use common::pg as server;

const COUNTERS: usize = 4;
const CAPACITY: i64 = 24;

fn setup(client: &mut postgres::Client) {
    let mut sql = String::from(
        "INSERT INTO users (id, name, role, pin_hash) VALUES (1, 'admin', 'admin', 'x');
         INSERT INTO events (id, name_fi, name_sv, name_en, venue, organiser) VALUES (1, 'E', 'E', 'E', 'V', 'O');
         INSERT INTO price_categories (id, event_id, code, name_fi, name_sv, name_en, price_cents, vat_class)
             VALUES (1, 1, 'A', 'A', 'A', 'A', 1000, 'culture');
         INSERT INTO seat_plans (id, venue, version, imported_at) VALUES (1, 'V', 1, 'now');
         INSERT INTO seat_sections (id, plan_id, code, name_fi, name_sv, name_en, sort_order) VALUES (1, 1, 'P', 'P', 'P', 'P', 1);",
    );
    sql.push_str(&format!(
        "INSERT INTO performances (id, event_id, starts_at, capacity) VALUES (1, 1, '2026-02-01T19:00:00Z', {CAPACITY});
         INSERT INTO performance_plans (performance_id, plan_id) VALUES (1, 1);"
    ));
    for seat in 1..=CAPACITY {
        sql.push_str(&format!(
            "INSERT INTO seats (id, plan_id, section_id, row_label, seat_label, x, y, rank, sort_order)
             VALUES ({seat}, 1, 1, '1', '{seat}', {seat}, 0, 1, {seat});"
        ));
    }
    for counter in 1..=COUNTERS {
        sql.push_str(&format!(
            "INSERT INTO register (id, name, created_at) VALUES ('R{counter}', 'Kassa {counter}', 'now');
             INSERT INTO shifts (register_id, opened_by, opened_at, float_cents) VALUES ('R{counter}', 1, 'now', 0);"
        ));
    }
    client.batch_execute(&sql).unwrap();
}

/// One sale of `seats` at `register`: order, line, receipt (max + 1), tickets and their seats.
fn sell(
    tx: &mut postgres::Transaction<'_>,
    register: &str,
    seats: &[i64],
) -> Result<(), postgres::Error> {
    let quantity = seats.len() as i64;
    let shift: i64 = tx
        .query_one("SELECT id FROM shifts WHERE register_id = $1", &[&register])?
        .get(0);
    let order: i64 = tx
        .query_one(
            "INSERT INTO orders (register_id, shift_id, user_id, created_at, total_cents)
             VALUES ($1, $2, 1, 'now', $3) RETURNING id",
            &[&register, &shift, &(quantity * 1000)],
        )?
        .get(0);
    let line: i64 = tx
        .query_one(
            "INSERT INTO order_lines (order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
                                      vat_basis_points, gross_cents, vat_cents, net_cents)
             VALUES ($1, 1, 1, 1, $2, 1000, 1000, $3, 0, $3) RETURNING id",
            &[&order, &quantity, &(quantity * 1000)],
        )?
        .get(0);
    tx.execute(
        "INSERT INTO receipts (register_id, number, order_id, shift_id, kind, created_at)
         SELECT $1, coalesce(max(number), 0) + 1, $2, $3, 'sale', 'now' FROM receipts WHERE register_id = $1 AND training = 0",
        &[&register, &order, &shift],
    )?;
    for seat in seats {
        let ticket: i64 = tx
            .query_one(
                "INSERT INTO tickets (code, order_id, line_id, performance_id, price_cents)
                 VALUES ($1, $2, $3, 1, 1000) RETURNING id",
                &[&format!("{register}-{order}-{seat}"), &order, &line],
            )?
            .get(0);
        tx.execute(
            "INSERT INTO ticket_seats (ticket_id, seat_id, created_at) VALUES ($1, $2, 'now')",
            &[&ticket, seat],
        )?;
        tx.execute(
            "INSERT INTO seat_occupancy (performance_id, seat_id, kind, ticket_id, created_at)
             VALUES (1, $1, 'sold', $2, 'now')",
            &[seat, &ticket],
        )?;
    }
    Ok(())
}

#[test]
fn four_counters_sell_the_last_seats_exactly_once() {
    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).unwrap();
    setup(&mut client);
    let barrier = Arc::new(Barrier::new(COUNTERS));
    let threads: Vec<_> = (1..=COUNTERS)
        .map(|counter| {
            let barrier = barrier.clone();
            let mut client = db.connect();
            std::thread::spawn(move || {
                let register = format!("R{counter}");
                barrier.wait();
                let (mut sold, mut refused) = (0, 0);
                // Every counter tries every pair of seats, each starting elsewhere.
                for attempt in 0..CAPACITY {
                    let first = (attempt + counter as i64 * 5) % CAPACITY + 1;
                    let seats = [first, first % CAPACITY + 1];
                    let mut tx = client.transaction().unwrap();
                    match sell(&mut tx, &register, &seats) {
                        Ok(()) => {
                            tx.commit().unwrap();
                            sold += seats.len();
                        }
                        Err(error) => {
                            let code = error.code().cloned();
                            assert!(
                                matches!(
                                    code,
                                    Some(ref c) if *c == postgres::error::SqlState::UNIQUE_VIOLATION
                                        || *c == postgres::error::SqlState::CHECK_VIOLATION
                                        || *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
                                ),
                                "unexpected refusal: {error:?}"
                            );
                            refused += 1;
                        }
                    }
                }
                (sold, refused)
            })
        })
        .collect();
    let results: Vec<(usize, usize)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let sold_by_counters: usize = results.iter().map(|r| r.0).sum();
    assert!(
        results.iter().all(|r| r.1 > 0),
        "every counter met a refusal: {results:?}"
    );

    let row = client
        .query_one(
            "SELECT (SELECT sold FROM performances WHERE id = 1),
                    (SELECT count(*) FROM tickets WHERE state = 'valid'),
                    (SELECT count(DISTINCT seat_id) FROM seat_occupancy WHERE kind = 'sold'),
                    (SELECT count(*) FROM seat_occupancy)",
            &[],
        )
        .unwrap();
    let (sold, valid, distinct_seats, occupied): (i64, i64, i64, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    assert!(sold <= CAPACITY, "oversold: {sold}");
    assert_eq!(sold, valid, "sold must equal the valid tickets");
    assert_eq!(valid, distinct_seats, "a seat sold twice");
    assert_eq!(occupied, distinct_seats);
    assert_eq!(
        valid as usize, sold_by_counters,
        "what the counters committed"
    );
    // Pairs over a ring of seats: at most one seat per counter can stay free of a pair.
    assert!(sold >= CAPACITY - COUNTERS as i64, "only {sold} sold");
    // Receipts gapless per register.
    for row in client
        .query(
            "SELECT register_id, count(*), min(number), max(number) FROM receipts GROUP BY register_id",
            &[],
        )
        .unwrap()
    {
        let (register, count, min, max): (String, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        assert_eq!((min, max), (1, count), "{register}: receipts not gapless");
    }
}
