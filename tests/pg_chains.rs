//! A journal hash chain per register on the shared ledger (issue 15, migration 0019): registers
//! selling at once in separate processes each keep an intact chain of their own, no register's
//! append waits for another's, `verify` checks every chain and names the register whose entry was
//! changed or removed, and each register's anchor covers its own chain.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::time::{Duration, Instant};

use common::venue::{Venue, hold_journal, json, register_chains, release_journal};
use common::{stderr, stdout};

/// The anchor a register keeps in its data directory: (seq, hash).
fn anchor_of(venue: &Venue, counter: usize) -> (i64, String) {
    let path = venue.counters[counter]
        .path()
        .join(boxoffice::ledger::SHARED_ANCHOR_FILE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value = json(&text);
    (
        value["seq"].as_i64().unwrap(),
        value["hash"].as_str().unwrap().to_string(),
    )
}

fn verify_fails(venue: &Venue, counter: usize) -> String {
    let out = venue.run(counter, &["verify"]);
    assert!(!out.status.success(), "verify passed: {}", stdout(&out));
    stderr(&out)
}

#[test]
fn registers_selling_at_once_keep_their_own_chains_and_verify_names_a_broken_one() {
    let venue = Venue::new(3);
    for counter in 1..4 {
        venue.ok(counter, &["shift", "open", "--float", "100"]);
    }
    let outcomes: Vec<Vec<std::process::Output>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|counter| {
                let venue = &venue;
                scope.spawn(move || {
                    (0..3)
                        .map(|_| venue.sell(counter, 1, "adult=1"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for outputs in &outcomes {
        for out in outputs {
            assert!(out.status.success(), "{}", stderr(out));
        }
    }
    // Each register's entries link to its own entries only (checked in `register_chains`).
    let mut client = venue.db.connect();
    let chains = register_chains(&mut client);
    assert_eq!(chains.len(), 4, "{:?}", chains.keys());
    for counter in 0..4 {
        let register = venue.register_id(counter);
        let chain = &chains[&register];
        let sales = chain.iter().filter(|e| e.kind == "sale").count();
        assert_eq!(sales, 3, "register {register}");
        // Its anchor names its own chain's head.
        let head = chain.last().unwrap();
        assert_eq!(anchor_of(&venue, counter), (head.seq, head.hash.clone()));
        let verified = venue.ok(counter, &["verify"]);
        assert!(verified.starts_with("ok: "), "{verified}");
        assert!(verified.contains(&head.hash[..16]), "{verified}");
    }

    // A sale entry of Kassa 3 changed behind the program's back: every register's verify names
    // the entry and its register.
    let kassa3 = venue.register_id(2);
    let changed = chains[&kassa3]
        .iter()
        .find(|e| e.kind == "sale")
        .unwrap()
        .clone();
    let owner = |client: &mut postgres::Client, sql: &str| {
        client
            .batch_execute(&format!(
                "ALTER TABLE journal DISABLE TRIGGER USER; {sql}; ALTER TABLE journal ENABLE TRIGGER USER;"
            ))
            .unwrap();
    };
    owner(
        &mut client,
        &format!(
            "UPDATE journal SET content = replace(content, '3500', '350') WHERE seq = {}",
            changed.seq
        ),
    );
    for counter in [0, 2] {
        let found = verify_fails(&venue, counter);
        assert!(
            found.contains(&format!(
                "journal entry {}: its hash does not match its content (sale) (register {kassa3})",
                changed.seq
            )),
            "{found}"
        );
    }
    owner(
        &mut client,
        &format!(
            "UPDATE journal SET content = '{}' WHERE seq = {}",
            changed.content, changed.seq
        ),
    );
    venue.ok(0, &["verify"]);

    // An entry taken out of the middle of Kassa 2's chain: the register's next entry links to
    // nothing there is.
    let kassa2 = venue.register_id(1);
    let chain = &chains[&kassa2];
    let (removed, next) = (&chain[1], &chain[2]);
    owner(
        &mut client,
        &format!("DELETE FROM journal WHERE seq = {}", removed.seq),
    );
    let found = verify_fails(&venue, 3);
    assert!(
        found.contains(&format!("journal entry {}: ", next.seq))
            && found.contains(&format!("(register {kassa2})")),
        "{found}"
    );
    owner(
        &mut client,
        &format!(
            "INSERT INTO journal (seq, register_id, at, kind, user_id, order_id, content, prev_hash, hash)
             VALUES ({}, '{}', '{}', '{}', {}, {}, '{}', '{}', '{}')",
            removed.seq,
            removed.register_id,
            removed.at,
            removed.kind,
            removed.user_id.map_or("NULL".into(), |v| v.to_string()),
            removed.order_id.map_or("NULL".into(), |v| v.to_string()),
            removed.content,
            removed.prev_hash,
            removed.hash
        ),
    );
    venue.ok(3, &["verify"]);

    // Kassa 2's newest entry (a sale) cut: its chain still links, but Kassa 2's anchor names the
    // cut entry.
    let last = chain.last().unwrap();
    owner(
        &mut client,
        &format!("DELETE FROM journal WHERE seq = {}", last.seq),
    );
    let found = verify_fails(&venue, 1);
    assert!(
        found.contains(&format!("journal entry {}: is missing", last.seq)),
        "{found}"
    );
    // The anchor is evidence: another command at Kassa 2 does not move it back.
    venue.ok(1, &["catalog"]);
    assert_eq!(anchor_of(&venue, 1), (last.seq, last.hash.clone()));
    // Counter 1's anchor covers its own chain only; the shared rules still miss the cut sale.
    assert_eq!(last.kind, "sale");
    let found = verify_fails(&venue, 0);
    assert!(
        found.contains(&format!(
            "order {} has no journal entry",
            last.order_id.unwrap()
        )),
        "{found}"
    );
}

#[test]
fn a_register_sells_while_another_registers_journal_append_waits() {
    let venue = Venue::new(1);
    venue.ok(1, &["shift", "open", "--float", "100"]);
    // Counter 1's journal is held: its sale writes its rows and waits at its journal append,
    // inside its transaction.
    let mut holder = venue.db.connect();
    let first = venue.register_id(0);
    hold_journal(&mut holder, &first);
    std::thread::scope(|scope| {
        let waiting_sale = scope.spawn(|| venue.sell(0, 2, "adult=1"));
        let mut waiting = 0_i64;
        for _ in 0..200 {
            waiting = holder
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'boxoffice'
                     AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
                    &[],
                )
                .unwrap()
                .get(0);
            if waiting > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            waiting, 1,
            "counter 1's sale did not wait at its journal append"
        );
        // Kassa 2 sells meanwhile (a chain of its own: no lock of counter 1's to wait for).
        let started = Instant::now();
        let sold = venue.sell(1, 1, "adult=2");
        assert!(sold.status.success(), "{}", stderr(&sold));
        let took = started.elapsed();
        eprintln!("Kassa 2's sale while counter 1's append waited: {took:?}");
        assert!(!waiting_sale.is_finished(), "counter 1's sale did not wait");
        release_journal(&mut holder, &first);
        let out = waiting_sale.join().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    });
    let chains = register_chains(&mut holder);
    assert_eq!(chains.len(), 2);
    venue.ok(0, &["verify"]);
    venue.ok(1, &["verify"]);
}

#[test]
fn a_shared_ledger_copied_back_to_sqlite_verifies_with_every_registers_chain() {
    let venue = Venue::new(2);
    for counter in 1..3 {
        venue.ok(counter, &["shift", "open", "--float", "100"]);
    }
    for counter in [1, 0, 2, 1] {
        let out = venue.sell(counter, 1, "adult=1");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let backup = common::Counter::empty();
    venue.ok(2, &["db", "copy", "--to", backup.path().to_str().unwrap()]);
    let mut client = venue.db.connect();
    let entries: usize = register_chains(&mut client).values().map(Vec::len).sum();
    let out = backup.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("ok: {entries} journal entries, 4 orders")),
        "{}",
        stdout(&out)
    );
}
