//! The authenticated journal anchor (issue 14 §2): written after every batch, keyed with a key
//! outside the data directory, with a second copy beside the key file. A cut tail, a rewritten
//! anchor, a deleted anchor and an older anchor put back all fail `verify`, naming what is wrong.

// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::path::PathBuf;
use std::process::Output;

use common::{Counter, stderr};

struct Site {
    counter: Counter,
    keys: tempfile::TempDir,
}

impl Site {
    fn demo() -> Site {
        let site = Site {
            counter: Counter::empty(),
            keys: tempfile::tempdir().unwrap(),
        };
        let out = site.run(&["init", "--demo"]);
        assert!(out.status.success(), "{}", stderr(&out));
        site
    }

    fn run(&self, args: &[&str]) -> Output {
        self.counter
            .command(args)
            .env(
                "BOXOFFICE_KEY_FILE",
                self.keys.path().join("secret-store.key"),
            )
            .output_bounded()
            .unwrap()
    }

    fn sell(&self) {
        let out = self.run(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "20",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }

    fn anchor_file(&self) -> PathBuf {
        self.counter.path().join("journal-anchor.json")
    }

    fn anchor(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.anchor_file()).unwrap()).unwrap()
    }

    fn head(&self) -> (i64, String) {
        self.counter
            .sql()
            .query_row(
                "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap()
    }

    fn verify_fails_with(&self, words: &str) {
        let out = self.run(&["verify"]);
        assert!(!out.status.success(), "verify passed");
        assert!(stderr(&out).contains(words), "{}", stderr(&out));
    }

    /// Cuts the newest journal entry, as a program with the ledger file can.
    fn cut_tail(&self) {
        let (seq, _) = self.head();
        self.counter
            .sql()
            .execute_batch(&format!(
                "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq = {seq};"
            ))
            .unwrap();
    }
}

#[test]
fn the_anchor_follows_every_operation_and_a_cut_tail_is_named() {
    let site = Site::demo();
    site.sell();
    let (seq, hash) = site.head();
    let anchor = site.anchor();
    assert_eq!(
        anchor["seq"], seq,
        "the anchor is written after every operation, not only at Z"
    );
    assert_eq!(anchor["hash"], hash.as_str());
    assert_eq!(anchor["mac"].as_str().map(str::len), Some(64));
    let out = site.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));

    site.cut_tail();
    site.verify_fails_with(&format!(
        "journal entry {seq}: is missing: the journal ends at entry {}",
        seq - 1
    ));
    // Another operation does not paper over it: the anchor is evidence and is kept.
    let _ = site.run(&["catalog"]);
    site.verify_fails_with(&format!("journal entry {seq}: is missing"));
}

#[test]
fn a_rewritten_anchor_does_not_authenticate() {
    let site = Site::demo();
    site.sell();
    site.sell();
    site.cut_tail();
    // The attacker rewrites the anchor to the new head: without the key the MAC cannot follow.
    let (seq, hash) = site.head();
    let mut anchor = site.anchor();
    anchor["seq"] = seq.into();
    anchor["hash"] = hash.into();
    std::fs::write(site.anchor_file(), anchor.to_string()).unwrap();
    site.verify_fails_with("does not match its MAC");
    // Without a MAC at all, the copy beside the key file still names the cut entry.
    anchor.as_object_mut().unwrap().remove("mac");
    std::fs::write(site.anchor_file(), anchor.to_string()).unwrap();
    site.verify_fails_with(&format!("journal entry {}: is missing", seq + 1));
}

#[test]
fn a_deleted_or_older_anchor_is_caught_by_the_copy_beside_the_key_file() {
    let site = Site::demo();
    site.sell();
    let older = std::fs::read_to_string(site.anchor_file()).unwrap();
    site.sell();
    let (seq, _) = site.head();
    site.cut_tail();
    // An older, genuine anchor put back (replayed) matches the cut journal…
    std::fs::write(site.anchor_file(), &older).unwrap();
    // …but the copy beside the key file is newer.
    site.verify_fails_with(&format!("journal entry {seq}: is missing"));
    std::fs::remove_file(site.anchor_file()).unwrap();
    site.verify_fails_with(&format!("journal entry {seq}: is missing"));
}

#[test]
fn x_and_z_reports_print_the_journal_head() {
    let site = Site::demo();
    site.sell();
    let (seq, hash) = site.head();
    let x = site.run(&["shift", "x", "--user", "cashier", "--pin", "1111"]);
    assert!(x.status.success(), "{}", stderr(&x));
    let text = String::from_utf8_lossy(&x.stdout);
    assert!(
        text.contains(&format!("journal head: entry {seq}\n{hash}\n")),
        "{text}"
    );
    let z = site.run(&[
        "shift",
        "close",
        "--count",
        "100=1,50=1,10=1,5=1,2=1,0.50=1",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(z.status.success(), "{}", stderr(&z));
    let text = String::from_utf8_lossy(&z.stdout);
    // The Z report's own entry follows the head it prints.
    assert!(
        text.contains(&format!("journal head: entry {seq}\n{hash}\n")),
        "{text}"
    );
    assert_eq!(site.head().0, seq + 1);
    let out = site.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
