//! Helpers for end-to-end tests: the real binary on a real ledger file in a temporary directory.
#![allow(dead_code)]

pub mod bank;
pub mod cutter;
pub mod pg;
pub mod smtp;
pub mod venue;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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
        self.command(args).output_bounded().expect("run boxoffice")
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

/// `Command::output` with a bound: a process still running after `BOXOFFICE_TEST_TIMEOUT`
/// seconds (default 300) fails its test with the stack of every thread (from gdb, when it is
/// installed) and is killed, so a hang names itself instead of stalling the whole run.
pub trait Bounded {
    fn output_bounded(&mut self) -> std::io::Result<Output>;
}

impl Bounded for Command {
    fn output_bounded(&mut self) -> std::io::Result<Output> {
        let mut child = self
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let status = wait_bounded(&mut child, &format!("{self:?}"))?;
        Ok(Output {
            status,
            stdout: stdout.join().unwrap_or_default(),
            stderr: stderr.join().unwrap_or_default(),
        })
    }
}

/// The test's time limit for one process.
pub fn process_limit() -> Duration {
    let seconds = std::env::var("BOXOFFICE_TEST_TIMEOUT")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(300);
    Duration::from_secs(seconds)
}

/// Waits for `child` within [`process_limit`]; past it, panics with the threads' stacks.
pub fn wait_bounded(child: &mut Child, what: &str) -> std::io::Result<std::process::ExitStatus> {
    let deadline = Instant::now() + process_limit();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let stacks = stacks_of(child.id());
            let _ = child.kill(); // it may have ended just now; the panic below says what hung
            let _ = child.wait();
            panic!(
                "{what} still running after {:?}; its threads:\n{stacks}",
                process_limit()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every thread's backtrace of a running process, by gdb (empty note when gdb is missing).
fn stacks_of(pid: u32) -> String {
    Command::new("gdb")
        .args([
            "-p",
            &pid.to_string(),
            "-batch",
            "-ex",
            "thread apply all bt",
        ])
        .stdin(Stdio::null())
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_else(|error| format!("(no gdb: {error})"))
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes); // a read error leaves what was read
        }
        bytes
    })
}
