//! `verify` on the shared ledger (issue 15), on a real PostgreSQL server: besides every register's
//! chain it compares each sale, refund and cash movement with its rows and checks the rules that
//! span registers, so a row changed behind the program's back (the owner with the triggers off)
//! is named even though the journal itself is untouched.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::venue::{Venue, json};
use common::{stderr, stdout};

/// Runs `sql` as the owner with the user triggers of `table` off (as a tamperer with the
/// owner's password could).
fn behind_the_back(client: &mut postgres::Client, table: &str, sql: &str) {
    client
        .batch_execute(&format!(
            "ALTER TABLE {table} DISABLE TRIGGER USER; {sql}; ALTER TABLE {table} ENABLE TRIGGER USER;"
        ))
        .unwrap();
}

fn verify_fails_with(venue: &Venue, counter: usize, words: &str) {
    let out = venue.run(counter, &["verify"]);
    assert!(!out.status.success(), "verify passed: {}", stdout(&out));
    assert!(
        stderr(&out).contains(words),
        "wanted {words:?}: {}",
        stderr(&out)
    );
}

#[test]
fn verify_on_the_shared_ledger_names_rows_changed_behind_the_programs_back() {
    let venue = Venue::new(1);
    venue.ok(1, &["shift", "open", "--float", "100"]);
    let sold = json(&stdout(&venue.sell(1, 1, "adult=2")));
    let order = sold["order_number"].as_i64().unwrap();
    let own = venue.sell(0, 1, "adult=1");
    assert!(own.status.success(), "{}", stderr(&own));
    venue.ok(
        0,
        &[
            "refund",
            "--order",
            &order.to_string(),
            "--reason",
            "cancelled",
        ],
    );
    venue.ok(
        1,
        &[
            "shift", "cash-in", "--amount", "20,00", "--reason", "change",
        ],
    );
    for counter in 0..2 {
        let verified = venue.ok(counter, &["verify"]);
        assert!(verified.starts_with("ok: "), "{verified}");
        assert!(verified.contains(" orders, "), "{verified}");
    }

    let mut client = venue.db.connect();
    let sale_seq: i64 = client
        .query_one(
            "SELECT seq FROM journal WHERE kind = 'sale' AND order_id = $1",
            &[&order],
        )
        .unwrap()
        .get(0);
    // A payment's amount changed: the sale's entry no longer matches its rows.
    behind_the_back(
        &mut client,
        "payments",
        &format!("UPDATE payments SET amount_cents = 100 WHERE order_id = {order}"),
    );
    verify_fails_with(
        &venue,
        0,
        &format!(
            "journal entry {sale_seq}: the payments rows of order {order} no longer match what was journaled"
        ),
    );
    behind_the_back(
        &mut client,
        "payments",
        &format!("UPDATE payments SET amount_cents = 7000 WHERE order_id = {order}"),
    );
    venue.ok(0, &["verify"]);

    // The refund's reason rewritten: its entry names it.
    let (refund_id, refund_seq, reason): (i64, i64, String) = {
        let row = client
            .query_one(
                "SELECT r.id, j.seq, r.reason_text FROM refunds r JOIN journal j ON j.kind = 'refund'
                 AND j.content LIKE '%\"refund_id\":' || r.id || ',%'",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    behind_the_back(
        &mut client,
        "refunds",
        "UPDATE refunds SET reason_text = 'kept the money'",
    );
    verify_fails_with(
        &venue,
        1,
        &format!(
            "journal entry {refund_seq}: the rows of refund {refund_id} no longer match what was journaled"
        ),
    );
    behind_the_back(
        &mut client,
        "refunds",
        &format!("UPDATE refunds SET reason_text = '{reason}'"),
    );
    venue.ok(1, &["verify"]);

    // Cash taken out of Kassa 2's drawer with no entry for it.
    behind_the_back(
        &mut client,
        "cash_movements",
        "INSERT INTO cash_movements (shift_id, kind, amount_cents, reason, user_id, at)
         SELECT shift_id, 'cash_out', 5000, 'nobody saw', user_id, at FROM cash_movements
         WHERE kind = 'cash_in'",
    );
    verify_fails_with(&venue, 0, "(cash_out of 5000 cents) has no journal entry");
    behind_the_back(
        &mut client,
        "cash_movements",
        "DELETE FROM cash_movements WHERE reason = 'nobody saw'",
    );
    venue.ok(0, &["verify"]);

    // A performance's sold count lowered (room for more tickets than there are places).
    behind_the_back(
        &mut client,
        "performances",
        "UPDATE performances SET sold = sold - 1 WHERE id = 1",
    );
    verify_fails_with(
        &venue,
        1,
        "performance 1 has more valid tickets than its sold count",
    );
}
