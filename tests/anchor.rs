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

/// Threads of one process anchoring at once (the counter's service thread, its anchor thread,
/// the mail sender and a card sale's background thread each have a connection): every write
/// succeeds and the anchor ends at the head. With one temporary file per process, one thread
/// renamed away (or truncated) the file another was writing, and its anchor failed.
#[test]
fn threads_anchoring_at_once_never_spoil_each_others_anchor() {
    use boxoffice::app::{SaleRequest, Services};
    let counter = Counter::demo();
    let request = SaleRequest {
        performance_id: boxoffice::domain::ids::PerformanceId(2),
        items: vec![("adult".into(), 1)],
        tendered: boxoffice::domain::Money::from_cents(5000),
        ..SaleRequest::default()
    };
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let mut services = Services::open(counter.path()).unwrap();
                let session = services.login("cashier", "1111").unwrap();
                for _ in 0..8 {
                    services.sell(&session, &request).unwrap();
                    if let Err(error) = services.ledger_mut().write_anchor() {
                        panic!("an anchor write failed: {error}");
                    }
                }
            });
        }
    });
    let anchor: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(counter.path().join("journal-anchor.json")).unwrap(),
    )
    .unwrap();
    let head: i64 = counter
        .sql()
        .query_row("SELECT max(seq) FROM journal", [], |row| row.get(0))
        .unwrap();
    assert_eq!(anchor["seq"], head, "the last write anchors the head");
    let out = counter.command(&["verify"]).output_bounded().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The counter's worker anchors each command's batch on its anchor thread, after the outcome
/// went to the window: the anchor reaches the sale without another command, and a kill is no
/// worse than before (`anchor_catch_up`).
#[test]
fn the_counters_sale_is_anchored_after_its_outcome() {
    use boxoffice::app::SaleRequest;
    use boxoffice::app::worker::{
        Command, Event, Pay, SaleCommand, SaleEvent, SessionCommand, SessionEvent, Worker,
    };
    use std::time::{Duration, Instant};
    let counter = Counter::demo();
    let worker = Worker::spawn(counter.path().to_path_buf(), || {});
    let next = |want: &dyn Fn(&Event) -> bool| loop {
        let event = worker
            .recv_timeout(Duration::from_secs(60))
            .expect("the service thread answers");
        if want(&event) {
            return event;
        }
    };
    next(&|e| matches!(e, Event::Session(SessionEvent::Ready { .. })));
    worker.send(Command::Session(SessionCommand::Login {
        name: "cashier".into(),
        pin: "1111".into(),
        lang: boxoffice::i18n::Lang::En,
    }));
    let Event::Session(SessionEvent::LoggedIn(session)) =
        next(&|e| matches!(e, Event::Session(SessionEvent::LoggedIn(_))))
    else {
        unreachable!()
    };
    for _ in 0..3 {
        worker.send(Command::Sale(SaleCommand::Sell {
            session: session.clone(),
            request: SaleRequest {
                performance_id: boxoffice::domain::ids::PerformanceId(2),
                items: vec![("adult".into(), 1)],
                tendered: boxoffice::domain::Money::from_cents(5000),
                ..SaleRequest::default()
            },
            pay: Pay::Cash,
        }));
    }
    for _ in 0..3 {
        let event = next(&|e| matches!(e, Event::Sale(_)));
        assert!(
            matches!(event, Event::Sale(SaleEvent::SaleCompleted(_))),
            "{event:?}"
        );
    }
    let head: i64 = counter
        .sql()
        .query_row("SELECT max(seq) FROM journal", [], |row| row.get(0))
        .unwrap();
    let anchored = || {
        std::fs::read_to_string(counter.path().join("journal-anchor.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|anchor| anchor["seq"].as_i64())
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while anchored() != Some(head) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        anchored(),
        Some(head),
        "the anchor thread anchors the sales"
    );
    drop(worker);
    let out = counter.command(&["verify"]).output_bounded().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}
