//! Helpers for end-to-end tests: the real binary on a real ledger file in a temporary directory.
#![allow(dead_code)]

pub mod bank;
pub mod pg;
pub mod smtp;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Counter {
    pub dir: tempfile::TempDir,
    /// The counter's own key file's directory (see [`isolate_key_file`]).
    pub keys: tempfile::TempDir,
}

impl Counter {
    /// A fresh data directory with `init --demo` done.
    pub fn demo() -> Counter {
        let counter = Counter::empty();
        let out = counter.run(&["init", "--demo"]);
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        counter
    }

    pub fn empty() -> Counter {
        let dir = tempfile::tempdir().expect("temporary directory");
        let keys = isolate_key_file(dir.path());
        Counter { dir, keys }
    }

    /// The counter's own key file (never the user's).
    pub fn key_file(&self) -> PathBuf {
        self.keys.path().join("secret-store.key")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn ledger_file(&self) -> PathBuf {
        self.path().join("ledger.sqlite3")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        // BOXOFFICE_TEST_BIN: a copy of this checkout's binary, when several checkouts share one
        // target directory (their builds overwrite target/debug/boxoffice).
        let binary = std::env::var_os("BOXOFFICE_TEST_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_boxoffice").into());
        let mut command = Command::new(binary);
        command
            .env("BOXOFFICE_DATA_DIR", self.path())
            .env("BOXOFFICE_KEY_FILE", self.key_file())
            .env_remove("RUST_LOG")
            // Like a setup script: logged in as the demo admin unless a test names a user.
            .env("BOXOFFICE_USER", "admin")
            .env("BOXOFFICE_PIN", "0000")
            .args(args);
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run boxoffice")
    }

    /// `sell … --pay cash` as any user; returns the process output.
    pub fn sell_as(
        &self,
        user: &str,
        pin: &str,
        performance: i64,
        tickets: &str,
        tendered: &str,
    ) -> Output {
        self.run(&[
            "sell",
            "--user",
            user,
            "--pin",
            pin,
            "--performance",
            &performance.to_string(),
            "--tickets",
            tickets,
            "--pay",
            "cash",
            "--tendered",
            tendered,
        ])
    }

    /// `sell` as the demo cashier; returns the process output.
    pub fn sell(&self, performance: i64, tickets: &str, tendered: &str) -> Output {
        self.run(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            &performance.to_string(),
            "--tickets",
            tickets,
            "--pay",
            "cash",
            "--tendered",
            tendered,
            "--json",
        ])
    }

    pub fn sell_json(&self, performance: i64, tickets: &str, tendered: &str) -> serde_json::Value {
        let out = self.sell(performance, tickets, tendered);
        assert!(out.status.success(), "sell failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("sell --json prints JSON")
    }

    pub fn catalog(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["catalog", "--json"]);
        assert!(out.status.success(), "catalog failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("catalog --json prints JSON")
    }

    pub fn remaining(&self, performance: i64) -> i64 {
        self.catalog()
            .iter()
            .find(|p| p["id"] == performance)
            .and_then(|p| p["remaining"].as_i64())
            .expect("performance in the catalogue")
    }

    /// A raw SQL connection to the ledger file, as an auditor (or an attacker) would have.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.ledger_file()).expect("open ledger file")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.sql()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("count rows")
    }
}

/// The tests never touch the user's own key file (`BOXOFFICE_KEY_FILE`'s default is
/// `~/.config/boxoffice/secret-store.key`): each counter gets a key file in a temporary directory
/// of its own (outside its data directory, as in real use), given to the binaries it runs
/// (`BOXOFFICE_KEY_FILE`) and to services opened in the test's own process for that data
/// directory (`use_key_file_for`). Tests that need to place the key file themselves (`anchor`,
/// `secrets`) set the variable on the command, which wins.
pub fn isolate_key_file(data_dir: &Path) -> tempfile::TempDir {
    let keys = tempfile::tempdir().expect("a directory for the test's key file");
    boxoffice::mail::secrets::use_key_file_for(data_dir, &keys.path().join("secret-store.key"));
    keys
}

/// `args` followed by `--user USER --pin PIN`.
pub fn with_user<'a>(args: &[&'a str], user: &'a str, pin: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--user", user, "--pin", pin]);
    all
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
