//! `boxoffice --database postgres://…` (issue 15) with the real binary and a real server: the
//! schema is created by `db migrate` with the password from the environment (SCRAM over TCP),
//! a password in the address is refused and never echoed, and the counter never falls back to
//! its own SQLite file when the shared ledger was asked for (`init` and `bench` are refused).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use common::pg as server;
use common::{Counter, stderr, stdout};

const PASSWORD_ENV: &str = "BOXOFFICE_DATABASE_PASSWORD";

#[test]
fn db_migrate_creates_the_shared_schema_with_the_password_from_the_environment() {
    let db = server::database();
    let counter = Counter::empty();
    let out = counter
        .command(&["--database", &db.url(), "db", "migrate"])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!(
            "is at version {}",
            boxoffice::ledger::pg::latest_version()
        )),
        "{said}"
    );
    // The address is shown without its parameters.
    assert!(!said.contains("sslmode"), "{said}");
    let version: i64 = db
        .connect()
        .query_one("SELECT version FROM boxoffice_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, boxoffice::ledger::pg::latest_version());
    // Nothing was written to the counter's own data directory.
    assert!(!counter.ledger_file().exists());

    // A wrong password: a sentence, not a panic, and the password is not in it.
    let out = counter
        .command(&["--database", &db.url(), "db", "migrate"])
        .env(PASSWORD_ENV, "wrong-password-123")
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    let error = stderr(&out);
    assert!(error.contains("cannot be reached"), "{error}");
    assert!(error.contains("password authentication failed"), "{error}");
    assert!(!error.contains("wrong-password-123"), "{error}");
    assert!(!error.contains("panicked"), "{error}");
}

#[test]
fn a_password_in_the_address_is_refused_and_never_repeated() {
    let db = server::database();
    let counter = Counter::empty();
    let url = format!(
        "postgres://{}:{}@127.0.0.1:{}/{}",
        server::ADMIN,
        server::ADMIN_PASSWORD,
        db.port,
        db.name
    );
    let out = counter.run(&["--database", &url, "db", "migrate"]);
    assert!(!out.status.success());
    let error = stderr(&out);
    assert!(error.contains(PASSWORD_ENV), "{error}");
    assert!(!error.contains(server::ADMIN_PASSWORD), "{error}");
    // Nothing reached the server.
    let tables: i64 = db
        .connect()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

#[test]
fn init_and_bench_on_the_shared_ledger_are_refused_rather_than_run_on_the_local_file() {
    let db = server::database();
    let counter = Counter::empty();
    for args in [
        &["init", "--demo"][..],
        &["bench", "seed", "--tickets", "10"][..],
    ] {
        let out = counter
            .command(args)
            .env("BOXOFFICE_DATABASE_URL", db.url())
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            .output_bounded()
            .unwrap();
        assert!(!out.status.success(), "{args:?} ran");
        let error = stderr(&out);
        assert!(
            error.contains("does not run on the shared ledger"),
            "{args:?}: {error}"
        );
        assert!(!error.contains("panicked"), "{args:?}: {error}");
        assert!(
            !counter.ledger_file().exists(),
            "{args:?} wrote the local ledger"
        );
    }
}

#[test]
fn a_newer_shared_ledger_is_refused_by_the_command_line() {
    let db = server::database();
    let mut client = db.connect();
    boxoffice::ledger::pg::migrate(&mut client, &db.url()).unwrap();
    client
        .execute("UPDATE boxoffice_schema SET version = version + 1", &[])
        .unwrap();
    let counter = Counter::empty();
    let out = counter
        .command(&["--database", &db.url(), "db", "migrate"])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    let error = stderr(&out);
    assert!(error.contains("newer version of Box office"), "{error}");
}
