//! Issue 14 §2, the window between a commit and its anchor: a process killed there leaves its
//! operations unanchored. The next start of any command that opens the ledger for writing
//! anchors them, but only when they chain from the anchored entry and carry their own hashes;
//! a tail changed while it was unanchored keeps the old anchor (the evidence), and a cut of an
//! anchored tail still fails `verify`. The kill is the debug build's fault hook
//! (`BOXOFFICE_FAULT=kill-before-anchor`: the process aborts right after the batch committed).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, with_user};

fn sell_args() -> Vec<&'static str> {
    with_user(
        &[
            "sell",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "20",
        ],
        "cashier",
        "1111",
    )
}

/// A sale killed between its commit and its anchor.
fn sale_killed_before_its_anchor(counter: &Counter) {
    let out = counter
        .command(&sell_args())
        .env("BOXOFFICE_FAULT", "kill-before-anchor")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the fault hook ends the process");
    assert!(
        out.status.code().is_none(),
        "ended by a signal: {:?}",
        out.status
    );
}

fn head(counter: &Counter) -> i64 {
    counter
        .sql()
        .query_row("SELECT max(seq) FROM journal", [], |r| r.get(0))
        .unwrap()
}

/// The sequence numbers both anchor copies name (beside the ledger, beside the key file).
fn anchored(counter: &Counter) -> Vec<i64> {
    let mut files = vec![counter.path().join("journal-anchor.json")];
    for entry in std::fs::read_dir(counter.keys.path().join("anchors")).unwrap() {
        files.push(entry.unwrap().path());
    }
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            serde_json::from_str::<serde_json::Value>(&text).unwrap()["seq"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

#[test]
fn the_next_start_anchors_what_a_killed_process_committed() {
    let counter = Counter::demo();
    let before = head(&counter);
    assert_eq!(anchored(&counter), vec![before, before]);
    sale_killed_before_its_anchor(&counter);
    assert_eq!(counter.count("orders"), 1, "the sale was committed");
    assert!(head(&counter) > before);
    assert_eq!(
        anchored(&counter),
        vec![before, before],
        "killed before the anchor"
    );

    // A read command writes nothing, the anchor included; the next writable start anchors.
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(anchored(&counter), vec![before, before]);
    let out = counter.run(&with_user(&["shift", "x"], "cashier", "1111"));
    assert!(out.status.success(), "{}", stderr(&out));
    let now = head(&counter);
    assert_eq!(anchored(&counter), vec![now, now]);

    // The newly anchored entries are now as protected as the rest: cutting them fails verify.
    counter
        .sql()
        .execute_batch(&format!(
            "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = {now};"
        ))
        .unwrap();
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("journal entry {now}: is missing")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_tail_changed_while_unanchored_is_not_anchored_at_the_next_start() {
    let counter = Counter::demo();
    let before = head(&counter);
    sale_killed_before_its_anchor(&counter);
    let sale = head(&counter);
    // The unanchored sale's entry rewritten (its price halved) before the next start.
    counter
        .sql()
        .execute_batch(&format!(
            "DROP TRIGGER journal_no_update;
             UPDATE journal SET content = replace(content, 'total_cents\":', 'total_cents\":1') WHERE seq = {sale};"
        ))
        .unwrap();
    let out = counter.run(&with_user(&["shift", "x"], "cashier", "1111"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        anchored(&counter),
        vec![before, before],
        "a broken tail keeps the old anchor"
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("journal entry {sale}")),
        "{}",
        stderr(&out)
    );
}
