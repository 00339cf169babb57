//! A venue on a shared ledger (issue 15) for the tests: the first counter's demo ledger copied
//! into a new database on the test server (`db copy`), more PCs joined as registers
//! "Kassa 2", "Kassa 3"… (`register join`), and `boxoffice` runs at any of them with
//! `--database postgres://…`.
#![allow(dead_code)]

use std::process::{Command, Output};

use super::pg as server;
use super::{Bounded, Counter, stderr, stdout};

pub const PASSWORD_ENV: &str = "BOXOFFICE_DATABASE_PASSWORD";

/// The class of the journal's advisory locks: an append at a register takes
/// `pg_advisory_xact_lock(JOURNAL_LOCK, hashtext(register id))` inside its transaction.
pub const JOURNAL_LOCK: i32 = 0x424F_584A;

pub struct Venue {
    pub db: server::TestDb,
    pub counters: Vec<Counter>,
}

impl Venue {
    /// The first counter's demo ledger copied into a new shared ledger, and `more` PCs joined.
    pub fn new(more: usize) -> Venue {
        let db = server::database();
        let first = Counter::local_demo();
        let out = first
            .command(&["db", "copy", "--to", &db.url()])
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            .output_bounded()
            .unwrap();
        assert!(out.status.success(), "db copy: {}", stderr(&out));
        let mut venue = Venue {
            db,
            counters: vec![first],
        };
        for n in 0..more {
            let counter = Counter::empty();
            let name = format!("Kassa {}", n + 2);
            let out = venue.run_on(&counter, &["register", "join", "--name", &name]);
            assert!(out.status.success(), "register join: {}", stderr(&out));
            venue.counters.push(counter);
        }
        venue
    }

    /// `boxoffice --database URL args…` at `counter`, not started yet.
    pub fn command_on(&self, counter: &Counter, args: &[&str]) -> Command {
        let url = self.db.url();
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        let mut command = counter.command(&all);
        // The venue's registers share one key file (the PIN pepper and the secret store's
        // key), handed out with the register like the database password.
        if let Some(first) = self.counters.first() {
            command.env("BOXOFFICE_KEY_FILE", first.key_file());
        }
        command.env(PASSWORD_ENV, server::ADMIN_PASSWORD);
        command
    }

    pub fn run_on(&self, counter: &Counter, args: &[&str]) -> Output {
        self.command_on(counter, args).output_bounded().unwrap()
    }

    pub fn run(&self, counter: usize, args: &[&str]) -> Output {
        self.run_on(&self.counters[counter], args)
    }

    pub fn ok(&self, counter: usize, args: &[&str]) -> String {
        let out = self.run(counter, args);
        assert!(
            out.status.success(),
            "counter {} {args:?}: {}",
            counter + 1,
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn sell(&self, counter: usize, performance: i64, tickets: &str) -> Output {
        self.run(
            counter,
            &[
                "sell",
                "--performance",
                &performance.to_string(),
                "--tickets",
                tickets,
                "--pay",
                "cash",
                "--tendered",
                "2000",
                "--json",
            ],
        )
    }

    /// The register id `counter` keeps in its data directory.
    pub fn register_id(&self, counter: usize) -> String {
        let text = std::fs::read_to_string(
            self.counters[counter]
                .path()
                .join(boxoffice::ledger::shared::IDENTITY_FILE),
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["register_id"].as_str().unwrap().to_string()
    }
}

/// Holds register `register`'s journal lock on `client` (a session lock): that register's next
/// journal append waits inside its transaction until [`release_journal`].
pub fn hold_journal(client: &mut postgres::Client, register: &str) {
    client
        .execute(
            "SELECT pg_advisory_lock($1, hashtext($2))",
            &[&JOURNAL_LOCK, &register],
        )
        .unwrap();
}

/// Lets register `register`'s journal appends go on (see [`hold_journal`]).
pub fn release_journal(client: &mut postgres::Client, register: &str) {
    client
        .execute(
            "SELECT pg_advisory_unlock($1, hashtext($2))",
            &[&JOURNAL_LOCK, &register],
        )
        .unwrap();
}

/// Every register's journal chain read from the server and checked: each entry links to its own
/// register's entry before it (the first to the genesis hash) and carries its own hash. The
/// entries per register, and how many entries link across registers (0 once chained per
/// register, as every chain since version 19 is; an entry that links to another register's
/// entry fails here).
pub fn register_chains(
    client: &mut postgres::Client,
) -> std::collections::BTreeMap<String, Vec<boxoffice::ledger::JournalEntry>> {
    use boxoffice::ledger::{GENESIS_HASH, JournalEntry};
    let rows = client
        .query(
            "SELECT seq, register_id, at, kind, user_id, order_id, content, prev_hash, hash
             FROM journal ORDER BY seq",
            &[],
        )
        .unwrap();
    let mut chains: std::collections::BTreeMap<String, Vec<JournalEntry>> = Default::default();
    for row in rows {
        let entry = JournalEntry {
            seq: row.get(0),
            register_id: row.get(1),
            at: row.get(2),
            kind: row.get(3),
            user_id: row.get(4),
            order_id: row.get(5),
            content: row.get(6),
            prev_hash: row.get(7),
            hash: row.get(8),
        };
        let chain = chains.entry(entry.register_id.clone()).or_default();
        let before = chain.last().map_or(GENESIS_HASH, |e| e.hash.as_str());
        assert_eq!(
            entry.prev_hash, before,
            "entry {} of register {} does not link to its register's entry before it",
            entry.seq, entry.register_id
        );
        assert_eq!(entry.hash, entry.expected_hash(), "entry {}", entry.seq);
        chain.push(entry);
    }
    chains
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}
