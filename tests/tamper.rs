//! Raw-SQL tampering with what the program itself never changes, and the extremes of every
//! amount argument (issue 14 §2 and §4). The real binary on a real ledger; the tampering is done
//! with another connection to it (SQLite, or the shared ledger's server with
//! `BOXOFFICE_TEST_ENGINE=postgres`), as any program could, without dropping a trigger.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout};

fn refused(counter: &Counter, sql: &str, why: &str) {
    let error = counter
        .try_batch(sql)
        .expect_err(&format!("the ledger accepted: {sql}"));
    assert!(error.contains(why), "{sql}: refused, but with {error}");
}

fn verify_ok(counter: &Counter) {
    let out = counter.run(&["verify"]);
    assert!(
        out.status.success(),
        "verify: {}{}",
        stdout(&out),
        stderr(&out)
    );
}

fn run_ok(counter: &Counter, args: &[&str]) -> String {
    let out = counter.run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn changes_the_program_never_makes_are_refused_by_the_ledger() {
    let counter = Counter::demo();
    // A sale on the seated play, a refund of part of it, a training sale, a cash movement, a Z.
    let sale = counter.sell_json(2, "adult=2", "100");
    let order = sale["order_number"].as_i64().unwrap();
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    run_ok(
        &counter,
        &[
            "refund",
            "--order",
            &order.to_string(),
            "--tickets",
            &code,
            "--reason",
            "customer_request",
            "--user",
            "manager",
            "--pin",
            "9999",
        ],
    );
    run_ok(
        &counter,
        &[
            "register", "training", "on", "--user", "admin", "--pin", "0000",
        ],
    );
    counter.sell_json(1, "adult=1", "50");
    run_ok(
        &counter,
        &[
            "register", "training", "off", "--user", "admin", "--pin", "0000",
        ],
    );
    run_ok(
        &counter,
        &[
            "shift", "cash-in", "--amount", "20", "--reason", "change", "--user", "manager",
            "--pin", "9999",
        ],
    );

    // Tickets: training never becomes valid, revoked never comes back, valid goes only to revoked.
    refused(
        &counter,
        "UPDATE tickets SET state = 'valid' WHERE state = 'training'",
        "only goes from valid to revoked",
    );
    refused(
        &counter,
        "UPDATE tickets SET state = 'valid' WHERE state = 'revoked'",
        "only goes from valid to revoked",
    );
    refused(
        &counter,
        "UPDATE tickets SET state = 'training' WHERE state = 'valid'",
        "only goes from valid to revoked",
    );
    // Seats: a sold seat is neither moved nor freed behind the program's back.
    assert_eq!(
        counter
            .sql()
            .query_row(
                "SELECT count(*) FROM seat_occupancy WHERE kind = 'sold'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        1
    );
    refused(
        &counter,
        "UPDATE seat_occupancy SET seat_id = seat_id + 1 WHERE kind = 'sold'",
        "never changed in place",
    );
    refused(
        &counter,
        "DELETE FROM seat_occupancy WHERE kind = 'sold'",
        "released only by revoking",
    );
    refused(
        &counter,
        "UPDATE ticket_seats SET seat_id = seat_id + 1",
        "append-only",
    );
    // Capacity and prices.
    refused(
        &counter,
        "UPDATE performances SET capacity = capacity + 100 WHERE id = 2",
        "only with its seat plan",
    );
    refused(
        &counter,
        "UPDATE performances SET capacity = capacity - 1 WHERE id = 1",
        "only with its seat plan",
    );
    refused(
        &counter,
        "UPDATE price_categories SET price_cents = 1",
        "fixed once written",
    );
    refused(
        &counter,
        "DELETE FROM price_categories WHERE id = (SELECT max(id) FROM price_categories)",
        "never deleted",
    );
    // A user's role.
    refused(
        &counter,
        "UPDATE users SET role = 'admin' WHERE name = 'cashier'",
        "role is fixed",
    );
    refused(
        &counter,
        "DELETE FROM users WHERE name = 'admin'",
        "never deleted",
    );
    // Cash movements, the float, the Z report.
    refused(
        &counter,
        "UPDATE cash_movements SET amount_cents = 1",
        "append-only",
    );
    refused(&counter, "DELETE FROM cash_movements", "append-only");
    refused(&counter, "UPDATE shifts SET float_cents = 0", "append-only");
    // Amounts past the ledger's bound, whatever program writes them.
    refused(
        &counter,
        "INSERT INTO cash_movements (shift_id, kind, amount_cents, reason, user_id, at)
         VALUES ((SELECT max(id) FROM shifts), 'cash_in', 9223372036854775807, 'x', 1, '2026-01-01')",
        "beyond the ledger's bound",
    );
    refused(
        &counter,
        "INSERT INTO payments (attempt_id, order_id, tender, amount_cents, state, created_at)
         VALUES ('x', NULL, 'card', 10000000001, 'pending', '2026-01-01')",
        "beyond the ledger's bound",
    );
    // What the program does still works, and nothing above changed anything.
    verify_ok(&counter);
    let z = run_ok(
        &counter,
        &[
            "shift",
            "close",
            "--count",
            "50=1",
            "--comment",
            "tamper test",
            "--user",
            "manager",
            "--pin",
            "9999",
        ],
    );
    assert!(!z.is_empty());
    verify_ok(&counter);
}

#[test]
fn extreme_amounts_are_refused_with_a_sentence_on_every_amount_argument() {
    let counter = Counter::demo();
    let huge = [
        "92233720368547758,07",
        "92233720368547758.08",
        "-92233720368547758,08",
        "1000000,01",
        "99999999999999999999999",
    ];
    let manager = ["--user", "manager", "--pin", "9999"];
    let cashier = ["--user", "cashier", "--pin", "1111"];
    let sale = counter.sell_json(2, "adult=1", "50");
    let order = sale["order_number"].as_i64().unwrap().to_string();
    let mut tried = 0;
    for amount in huge {
        let given = format!("--amount={amount}");
        let tendered = format!("--tendered={amount}");
        let dotted = amount.replace(',', ".");
        let cash_split = format!("--pay=cash:{dotted},card");
        let card_split = format!("--pay=card:{dotted},cash");
        let sell = ["sell", "--performance", "2", "--tickets", "adult=1"];
        let cases: Vec<Vec<&str>> = vec![
            [&["shift", "cash-in", &given, "--reason", "x"][..], &manager].concat(),
            [
                &["shift", "cash-out", &given, "--reason", "x"][..],
                &manager,
            ]
            .concat(),
            [&sell[..], &["--pay", "cash", &tendered], &cashier].concat(),
            [
                &["refund", "--order", &order, &given, "--reason", "x"][..],
                &manager,
            ]
            .concat(),
            [&sell[..], &[&cash_split, "--tendered", "10"], &cashier].concat(),
            [&sell[..], &[&card_split, "--tendered", "10"], &cashier].concat(),
        ];
        for args in cases {
            tried += 1;
            let out = counter.run(&args);
            let text = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {text}");
            assert!(
                text.contains("too large")
                    || text.contains("cannot be negative")
                    || text.contains("must be positive")
                    || text.contains("not an amount"),
                "{args:?}: {text}"
            );
            assert!(
                !text.contains("overflow") && !text.contains("panicked"),
                "{args:?}: {text}"
            );
        }
    }
    for count in [
        "500=184467440737095516",
        "500=2001",
        "0.05=9223372036854775807",
    ] {
        tried += 1;
        let out = counter.run(&[&["shift", "close", "--count", count][..], &manager].concat());
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("more than 1 000 000,00"),
            "{}",
            stderr(&out)
        );
    }
    // The float of a new shift, after the Z.
    run_ok(
        &counter,
        &[
            &["shift", "close", "--count", "500=1", "--comment", "x"][..],
            &manager,
        ]
        .concat(),
    );
    for amount in huge {
        tried += 1;
        let float = format!("--float={amount}");
        let out = counter.run(&[&["shift", "open", &float][..], &manager].concat());
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(!stderr(&out).contains("overflow"), "{}", stderr(&out));
    }
    println!("{tried} extreme amounts refused");
    // The largest amount allowed goes through and everything still adds up.
    run_ok(
        &counter,
        &[&["shift", "open", "--float", "1 000 000,00"][..], &manager].concat(),
    );
    run_ok(
        &counter,
        &[
            &[
                "shift", "cash-in", "--amount", "1000000", "--reason", "bank",
            ][..],
            &manager,
        ]
        .concat(),
    );
    run_ok(&counter, &[&["shift", "x"][..], &manager].concat());
    verify_ok(&counter);
}

fn verify_fails_with(counter: &Counter, words: &str) {
    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed");
    assert!(stderr(&out).contains(words), "{}", stderr(&out));
}

#[test]
fn an_inserted_cash_movement_or_ticket_seat_is_named_by_verify() {
    let counter = Counter::demo();
    let sale = counter.sell_json(2, "adult=1", "50");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    run_ok(
        &counter,
        &[
            "shift", "cash-in", "--amount", "20", "--reason", "change", "--user", "manager",
            "--pin", "9999",
        ],
    );
    // A journaled seat exchange is the program's own: verify passes with it.
    run_ok(
        &counter,
        &[
            "seat",
            "exchange",
            "--ticket",
            &code,
            "--to",
            "stalls:6:6",
            "--user",
            "cashier",
            "--pin",
            "1111",
        ],
    );
    verify_ok(&counter);

    // A cash movement inserted by another program (within every bound, no trigger dropped).
    counter
        .try_batch(
            "INSERT INTO cash_movements (shift_id, kind, amount_cents, reason, user_id, at)
             SELECT shift_id, 'cash_out', 500, 'change', user_id, at FROM cash_movements LIMIT 1",
        )
        .unwrap();
    verify_fails_with(
        &counter,
        "cash movement 2 (cash_out of 500 cents) has no journal entry",
    );

    // A ticket moved to another seat by a new seat row.
    let counter = Counter::demo();
    let sale = counter.sell_json(2, "adult=1", "50");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    verify_ok(&counter);
    counter
        .try_batch(
            "INSERT INTO ticket_seats (ticket_id, seat_id, created_at)
             SELECT ticket_id, seat_id + 1, created_at FROM ticket_seats LIMIT 1",
        )
        .unwrap();
    verify_fails_with(
        &counter,
        &format!("ticket {code} has 1 seat change(s) but the journal has 0"),
    );
}
