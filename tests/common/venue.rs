//! A venue on a shared ledger (issue 15) for the tests: the first counter's demo ledger copied
//! into a new database on the test server (`db copy`), more PCs joined as registers
//! "Kassa 2", "Kassa 3"… (`register join`), and `boxoffice` runs at any of them with
//! `--database postgres://…`.
#![allow(dead_code)]

use std::process::{Command, Output};

use super::pg as server;
use super::{Bounded, Counter, stderr, stdout};

pub const PASSWORD_ENV: &str = "BOXOFFICE_DATABASE_PASSWORD";

pub struct Venue {
    pub db: server::TestDb,
    pub counters: Vec<Counter>,
}

impl Venue {
    /// The first counter's demo ledger copied into a new shared ledger, and `more` PCs joined.
    pub fn new(more: usize) -> Venue {
        let db = server::database();
        let first = Counter::demo();
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

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}
