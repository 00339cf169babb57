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

/// The environment variable that puts the tests' counters on a shared ledger: with
/// `BOXOFFICE_TEST_ENGINE=postgres` every [`Counter`] that runs `init` is copied at once into a
/// new database on the test binary's PostgreSQL server (`db copy`, so it is that ledger's first
/// register) and runs every later command with that address: the same test bodies run on both
/// engines (`.ci/run` runs the money suites both ways).
pub const ENGINE_ENV: &str = "BOXOFFICE_TEST_ENGINE";

/// The look-ups `bench queries` times on either engine (verify's lines are each engine's own).
pub const BENCH_LOOK_UPS: [&str; 8] = [
    "ticket by code (search, one order)",
    "order search, a first name (20 newest)",
    "order search, a last name (20 newest)",
    "order search, e-mail prefix (20 newest)",
    "order search, a name nobody has",
    "a day's Z report figures (busiest shift)",
    "a day's Z report figures, summed from the rows (busiest shift)",
    "a day's Z report figures, order by order (busiest shift)",
];

/// Whether this test run puts its counters on PostgreSQL ([`ENGINE_ENV`]).
pub fn on_postgres() -> bool {
    std::env::var(ENGINE_ENV).is_ok_and(|engine| engine == "postgres")
}

/// The one way a test body says it is about the SQLite file itself (its bytes, its pragmas, its
/// locks, its permissions) or about what exists only with a counter's own SQLite ledger (the
/// demo's simulated card terminal and bank, `bench seed`) and has nothing to run on the shared
/// ledger: on PostgreSQL
/// ([`on_postgres`]) it says so on standard error, naming `why` (and where the shared ledger's
/// side is tested, if anywhere), and the test returns at once. `scripts/test-both-engines.sh`
/// lists every test that calls it.
pub fn sqlite_only(why: &str) -> bool {
    if on_postgres() {
        eprintln!("about the SQLite file only ({why}): not run on PostgreSQL");
    }
    on_postgres()
}

pub struct Counter {
    pub dir: tempfile::TempDir,
    /// The counter's own key file's directory (see [`isolate_key_file`]).
    pub keys: tempfile::TempDir,
    /// On PostgreSQL ([`on_postgres`]), the shared ledger this counter was copied into by `init`.
    shared: std::sync::OnceLock<pg::TestDb>,
    /// SQLite copies of the shared ledger made for [`Counter::sql`], removed with the counter.
    copies: std::sync::Mutex<Vec<tempfile::TempDir>>,
}

impl Counter {
    /// A fresh data directory with `init --demo` done (on PostgreSQL: and copied into a shared
    /// ledger, see [`ENGINE_ENV`]).
    pub fn demo() -> Counter {
        let counter = Counter::empty();
        let out = counter.run(&["init", "--demo"]);
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        counter
    }

    /// `init --demo` on the counter's own SQLite file, whatever [`ENGINE_ENV`] says.
    pub fn local_demo() -> Counter {
        let counter = Counter::empty();
        let out = counter
            .command(&["init", "--demo"])
            .output_bounded()
            .unwrap();
        assert!(out.status.success(), "init failed: {}", stderr(&out));
        counter
    }

    pub fn empty() -> Counter {
        let dir = tempfile::tempdir().expect("temporary directory");
        let keys = isolate_key_file(dir.path());
        Counter {
            dir,
            keys,
            shared: std::sync::OnceLock::new(),
            copies: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The shared ledger's address when this counter runs on PostgreSQL.
    pub fn shared_url(&self) -> Option<String> {
        self.shared.get().map(pg::TestDb::socket_url)
    }

    /// On PostgreSQL, after a successful `init`: the ledger copied into a new shared ledger,
    /// whose first register this data directory then is.
    fn move_to_postgres(&self, args: &[&str], out: &Output) {
        if !on_postgres() || args.first() != Some(&"init") || !out.status.success() {
            return;
        }
        if self.shared.get().is_some() {
            return;
        }
        let db = pg::database();
        let copied = self
            .command(&["db", "copy", "--to", &db.socket_url()])
            .output_bounded()
            .expect("run db copy");
        assert!(copied.status.success(), "db copy: {}", stderr(&copied));
        let _ = self.shared.set(db);
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
        if let Some(url) = self.shared_url() {
            command.env("BOXOFFICE_DATABASE_URL", url);
        }
        command
    }

    /// `bench seed --tickets N` on this counter's own file (a ledger for `bench queries`).
    pub fn bench_seed(&self, tickets: &str) {
        let out = self
            .command(&["bench", "seed", "--tickets", tickets])
            .output_bounded()
            .expect("run boxoffice");
        assert!(out.status.success(), "bench seed: {}", stderr(&out));
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.command(args).output_bounded().expect("run boxoffice");
        self.move_to_postgres(args, &out);
        out
    }

    /// This counter's services in the test's own process, on the engine it runs on.
    pub fn services(&self) -> boxoffice::app::Services {
        match self.shared_url() {
            Some(url) => boxoffice::app::Services::open_shared(self.path(), &url),
            None => boxoffice::app::Services::open(self.path()),
        }
        .expect("open the counter's services")
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
        self.run(&sell_args(&performance.to_string(), tickets, tendered))
    }

    /// [`Counter::sell`]'s command, for a test that adds to its environment.
    pub fn sell_command(&self, performance: i64, tickets: &str, tendered: &str) -> Command {
        self.command(&sell_args(&performance.to_string(), tickets, tendered))
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

    /// A raw SQL connection to the ledger file, as an auditor (or an attacker) would have. On
    /// PostgreSQL: to a SQLite copy of the shared ledger made now (the same rows and ids, for
    /// reading; what is written to it does not reach the shared ledger).
    pub fn sql(&self) -> rusqlite::Connection {
        let Some(url) = self.shared_url() else {
            return rusqlite::Connection::open(self.ledger_file()).expect("open ledger file");
        };
        let copy = tempfile::tempdir().expect("temporary directory");
        boxoffice::ledger::shared::copy_to_sqlite(&url, copy.path())
            .expect("copy the shared ledger into SQLite");
        let conn =
            rusqlite::Connection::open(copy.path().join("ledger.sqlite3")).expect("open the copy");
        self.copies.lock().expect("copies").push(copy);
        conn
    }

    /// Runs one statement on the counter's ledger as the database's owner would (set-up a
    /// test needs that no command makes), on the engine the counter runs on: `?N` placeholders.
    pub fn execute(&self, sql: &str, params: &[boxoffice::ledger::engine::Value]) -> u64 {
        self.try_execute(sql, params)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
    }

    /// [`Counter::execute`] that may be refused (by a constraint or a trigger): the refusal's text.
    pub fn try_execute(
        &self,
        sql: &str,
        params: &[boxoffice::ledger::engine::Value],
    ) -> Result<u64, String> {
        if let Some(db) = self.shared.get() {
            let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p as _).collect();
            let sql = boxoffice::ledger::engine::placeholders(sql);
            return db
                .connect()
                .execute(sql.as_str(), &params)
                .map_err(|e| pg_error_text(&e));
        }
        self.sql()
            .execute(sql, rusqlite::params_from_iter(params))
            .map(|n| n as u64)
            .map_err(|e| e.to_string())
    }

    /// Several statements in one go on the counter's engine; the refusal's text.
    pub fn try_batch(&self, sql: &str) -> Result<(), String> {
        if let Some(db) = self.shared.get() {
            return db
                .connect()
                .batch_execute(sql)
                .map_err(|e| pg_error_text(&e));
        }
        self.sql().execute_batch(sql).map_err(|e| e.to_string())
    }

    /// Drops triggers (`(table, trigger)`: the same names on both engines), as an attacker
    /// with the database could.
    pub fn drop_triggers(&self, triggers: &[(&str, &str)]) {
        let shared = self.shared.get().is_some();
        let sql: String = triggers
            .iter()
            .map(|(table, trigger)| match shared {
                true => format!("DROP TRIGGER {trigger} ON {table};\n"),
                false => format!("DROP TRIGGER {trigger};\n"),
            })
            .collect();
        self.try_batch(&sql)
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// Changes rows behind the program's back, as an attacker with the database would: the
    /// guarding triggers dropped first ([`Counter::drop_triggers`]).
    pub fn tamper(&self, triggers: &[(&str, &str)], statements: &str) {
        self.drop_triggers(triggers);
        self.try_batch(statements)
            .unwrap_or_else(|error| panic!("{statements}: {error}"));
    }

    /// A trigger `name` that refuses every insert into `table` with `message` (a database that
    /// will not take a row), on the counter's engine; [`Counter::allow_inserts`] drops it.
    pub fn refuse_inserts(&self, table: &str, name: &str, message: &str) {
        let sql = match self.shared.get() {
            Some(_) => format!(
                "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION '{message}'; END $$;
                 CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();"
            ),
            None => format!(
                "CREATE TRIGGER {name} BEFORE INSERT ON {table}
                 BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            ),
        };
        self.try_batch(&sql)
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
    }

    /// Drops the trigger of [`Counter::refuse_inserts`].
    pub fn allow_inserts(&self, table: &str, name: &str) {
        self.drop_triggers(&[(table, name)]);
    }

    pub fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT count(*) FROM {table}");
        if let Some(db) = self.shared.get() {
            return db
                .connect()
                .query_one(sql.as_str(), &[])
                .expect("count rows")
                .get(0);
        }
        self.sql()
            .query_row(&sql, [], |row| row.get(0))
            .expect("count rows")
    }
}

/// A PostgreSQL error with the server's sentence (its `Display` is only "db error").
fn pg_error_text(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => error.to_string(),
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

/// A cash sale as the demo cashier, printed as JSON.
fn sell_args<'a>(performance: &'a str, tickets: &'a str, tendered: &'a str) -> [&'a str; 14] {
    [
        "sell",
        "--user",
        "cashier",
        "--pin",
        "1111",
        "--performance",
        performance,
        "--tickets",
        tickets,
        "--pay",
        "cash",
        "--tendered",
        tendered,
        "--json",
    ]
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
