//! The shared ledger on PostgreSQL (issue 15): connecting (TLS by rustls, SCRAM passwords from
//! the environment, never from the command line), the PostgreSQL twins of the migrations and the
//! schema-version rules, and what PostgreSQL's error codes mean for a counter.
//!
//! The migrations under `migrations/postgres/` are twins of the SQLite ones (same numbers, same
//! tables, columns, constraints, indexes and triggers by name); `tests/pg_schema.rs` compares the
//! schemas both produce. The version lives in the one-row table `boxoffice_schema`.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use super::{LedgerError, Result};

/// `(version, SQL)` of `migrations/postgres/<name>.sql`.
macro_rules! twin {
    ($version:literal, $name:literal) => {
        (
            $version,
            include_str!(concat!("../../migrations/postgres/", $name, ".sql")),
        )
    };
}

/// (version, SQL) in ascending order, the same numbers as `migrations::MIGRATIONS`.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    twin!(1, "0001_initial"),
    twin!(2, "0002_bank"),
    twin!(3, "0003_printing"),
    twin!(4, "0004_card"),
    twin!(5, "0005_mail"),
    twin!(6, "0006_seats"),
    twin!(7, "0007_lean_sale"),
    twin!(8, "0008_trust"),
    twin!(11, "0011_receipts"),
    twin!(12, "0012_search_words"),
    twin!(13, "0013_secrets"),
    twin!(14, "0014_operations"),
    twin!(17, "0017_day_z"),
    twin!(18, "0018_cash_operations"),
    twin!(19, "0019_register_chains"),
    twin!(20, "0020_register_printer"),
    twin!(21, "0021_search_collation"),
    twin!(22, "0022_shift_sums"),
];

/// The environment variable that carries the database password (never the command line).
pub const PASSWORD_ENV: &str = "BOXOFFICE_DATABASE_PASSWORD";
/// A PEM file of the certificate authority that signed the server's certificate (a venue's own
/// CA); without it the public web roots are trusted.
pub const CA_ENV: &str = "BOXOFFICE_DATABASE_CA";
/// The application id of a Box office ledger, as in SQLite's `PRAGMA application_id` ("BOXO").
const APPLICATION: &str = "BOXO";
/// Every migrating process takes this transaction-level advisory lock first ("BOXO" as a number).
const MIGRATION_LOCK: i64 = 0x424F_584F;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}

/// Is this `--database` value a PostgreSQL URL (rather than a SQLite data directory)?
pub fn is_url(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

/// The URL as it may appear in a log or a sentence: no password, no query parameters.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = match rest.split_once('/') {
        Some((authority, path)) => (authority, format!("/{path}")),
        None => (rest, String::new()),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or_default();
            format!("{user}@{host}")
        }
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}{path}")
}

/// Connects to the shared ledger at `url` (a `postgres://` URL without a password). The
/// password comes from `BOXOFFICE_DATABASE_PASSWORD`; TLS follows the URL's `sslmode`
/// (`disable`, `prefer` (the default), `require`) with rustls.
pub fn connect(url: &str) -> Result<postgres::Client> {
    let shown = redact(url);
    let mut config = postgres::Config::from_str(url).map_err(|e| LedgerError::Unreachable {
        url: shown.clone(),
        detail: format!("the address is not a valid postgres:// URL ({e})"),
    })?;
    if config.get_password().is_some() {
        return Err(LedgerError::PasswordInUrl { url: shown });
    }
    if let Ok(password) = std::env::var(PASSWORD_ENV) {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("boxoffice");
    }
    let tls = tls_connector().map_err(|detail| LedgerError::Unreachable {
        url: shown.clone(),
        detail,
    })?;
    config.connect(tls).map_err(|e| LedgerError::Unreachable {
        url: shown,
        detail: error_text(&e),
    })
}

fn tls_connector() -> std::result::Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let mut roots = rustls::RootCertStore::empty();
    match std::env::var_os(CA_ENV) {
        Some(path) => {
            let pem = std::fs::read(&path).map_err(|e| {
                format!(
                    "the certificate authority file {} cannot be read ({e})",
                    PathBuf::from(&path).display()
                )
            })?;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let cert = cert.map_err(|e| format!("the certificate authority file: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("the certificate authority file: {e}"))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// A counter's connection to the shared ledger. Opening checks the schema's version without
/// changing anything (the application role cannot migrate; the owner runs `db migrate`).
pub struct SharedLedger {
    client: postgres::Client,
    url: String,
}

impl std::fmt::Debug for SharedLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedLedger")
            .field("url", &self.url)
            .finish()
    }
}

/// How many times a serialization failure or deadlock is retried before the cashier is told.
const CONFLICT_RETRIES: usize = 3;

impl SharedLedger {
    pub fn open(url: &str) -> Result<SharedLedger> {
        SharedLedger::with_client(connect(url)?, url)
    }

    /// The shared ledger over an existing connection (`url` names it in sentences).
    pub fn with_client(mut client: postgres::Client, url: &str) -> Result<SharedLedger> {
        let url = redact(url);
        let known = latest_version();
        let found = {
            let mut tx = client.transaction().map_err(from_pg)?;
            let found = read_version(&mut tx, &url)?;
            tx.commit().map_err(from_pg)?;
            found
        };
        if found > known {
            return Err(LedgerError::NewerSchema {
                path: PathBuf::from(&url),
                found,
                known,
            });
        }
        if found < known {
            return Err(LedgerError::SharedNotMigrated { url, found, known });
        }
        Ok(SharedLedger { client, url })
    }

    /// The connection, for a [`super::Ledger`] on the shared ledger.
    pub fn into_client(self) -> postgres::Client {
        self.client
    }

    /// Runs one business operation in one transaction. A serialization failure or a deadlock
    /// rolls it back and runs `op` again (at most three times), so `op` must carry its
    /// operation's identity with it rather than draw a new one per attempt.
    pub fn transact<T>(
        &mut self,
        mut op: impl FnMut(&mut dyn super::engine::Db) -> Result<T>,
    ) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = (|| {
                let mut tx = self.client.transaction().map_err(from_pg)?;
                let value = op(&mut super::engine::Postgres(&mut tx))?;
                tx.commit().map_err(from_pg)?;
                Ok(value)
            })();
            match outcome {
                Err(LedgerError::Conflict) if attempt <= CONFLICT_RETRIES => continue,
                Err(LedgerError::Unreachable { detail, .. }) => {
                    return Err(LedgerError::Unreachable {
                        url: self.url.clone(),
                        detail,
                    });
                }
                other => return other,
            }
        }
    }
}

/// Brings the shared ledger's schema up to date, or refuses it (another program's database, a
/// ledger written by a newer version) before anything is written. Several counters starting at
/// once take turns on an advisory lock; each migration is one transaction with its version.
pub fn migrate(client: &mut postgres::Client, url: &str) -> Result<i64> {
    let known = latest_version();
    let mut tx = client.transaction().map_err(from_pg)?;
    tx.query_one("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(from_pg)?;
    let found = read_version(&mut tx, url)?;
    if found > known {
        return Err(LedgerError::NewerSchema {
            path: PathBuf::from(redact(url)),
            found,
            known,
        });
    }
    if found == 0 {
        tx.batch_execute(
            "CREATE TABLE boxoffice_schema (
                 application text NOT NULL CHECK (application = 'BOXO'),
                 version     bigint NOT NULL,
                 one         bigint NOT NULL DEFAULT 1 UNIQUE CHECK (one = 1));
             INSERT INTO boxoffice_schema (application, version) VALUES ('BOXO', 0);",
        )
        .map_err(from_pg)?;
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.batch_execute(sql).map_err(from_pg)?;
        tx.execute("UPDATE boxoffice_schema SET version = $1", &[version])
            .map_err(from_pg)?;
    }
    tx.commit().map_err(from_pg)?;
    Ok(known.max(found))
}

/// The ledger's version: 0 for an empty database; another program's database is refused.
fn read_version(tx: &mut postgres::Transaction<'_>, url: &str) -> Result<i64> {
    let has_meta: bool = tx
        .query_one("SELECT to_regclass('boxoffice_schema') IS NOT NULL", &[])
        .map_err(from_pg)?
        .get(0);
    if !has_meta {
        let tables: i64 = tx
            .query_one(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .map_err(from_pg)?
            .get(0);
        if tables > 0 {
            return Err(LedgerError::Corrupt {
                path: PathBuf::from(redact(url)),
                detail: "it is another program's database (it has tables but no Box office schema)"
                    .into(),
            });
        }
        return Ok(0);
    }
    let row = tx
        .query_one("SELECT application, version FROM boxoffice_schema", &[])
        .map_err(from_pg)?;
    let application: String = row.get(0);
    if application != APPLICATION {
        return Err(LedgerError::Corrupt {
            path: PathBuf::from(redact(url)),
            detail: format!("it belongs to another program ({application})"),
        });
    }
    Ok(row.get(1))
}

/// What a PostgreSQL error means for a counter. Serialization failures and deadlocks are
/// [`LedgerError::Conflict`] (the operation is retried with the same operation id); a lost
/// connection is [`LedgerError::Unreachable`]; the rest keeps PostgreSQL's words.
pub fn from_pg(error: postgres::Error) -> LedgerError {
    use postgres::error::SqlState;
    match error.code() {
        Some(code)
            if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            LedgerError::Conflict
        }
        Some(code) if *code == SqlState::DISK_FULL => LedgerError::DiskFull,
        // Two processes of one register drew the same next receipt number (`max + 1`): the
        // later one is tried again with the same operation id, like a serialization failure.
        Some(code)
            if *code == SqlState::UNIQUE_VIOLATION
                && error.as_db_error().and_then(|e| e.constraint())
                    == Some("receipts_register_id_training_number_key") =>
        {
            LedgerError::Conflict
        }
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => {
            LedgerError::Duplicate(error_text(&error))
        }
        // Another counter's sale took the last places after this one counted them (its `sold`
        // update waited for the other's commit, then the CHECK saw the newest row): tried again
        // with the same operation id, it counts again and says how many are left.
        Some(code)
            if *code == SqlState::CHECK_VIOLATION
                && error.as_db_error().and_then(|e| e.constraint())
                    == Some("performances_check") =>
        {
            LedgerError::Conflict
        }
        // The server ended the connection (shut down, restarted, or an administrator cut it) or
        // a connection error: what was not committed is gone, as when the network drops.
        Some(code)
            if *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
                || code.code().starts_with("08") =>
        {
            LedgerError::Unreachable {
                url: String::new(),
                detail: error_text(&error),
            }
        }
        Some(_) => LedgerError::Postgres(error_text(&error)),
        None if error.is_closed() => LedgerError::Unreachable {
            url: String::new(),
            detail: error_text(&error),
        },
        None => LedgerError::Postgres(error_text(&error)),
    }
}

/// [`from_pg`] naming the shared ledger's (redacted) address when the connection is gone.
pub fn named(error: postgres::Error, url: &str) -> LedgerError {
    at(from_pg(error), url)
}

/// `error` with the shared ledger's address filled in when it says the ledger is unreachable.
pub fn at(error: LedgerError, url: &str) -> LedgerError {
    match error {
        LedgerError::Unreachable { detail, .. } => LedgerError::Unreachable {
            url: url.to_string(),
            detail,
        },
        other => other,
    }
}

/// The server's own sentence when there is one (tokio-postgres's Display says only "db error").
fn error_text(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                text = format!("{text}: {inner}");
                source = inner.source();
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_password_or_parameters() {
        assert_eq!(
            redact("postgres://kassa:salainen@db.example.fi:5432/boxoffice?sslmode=require"),
            "postgres://kassa@db.example.fi:5432/boxoffice"
        );
        assert_eq!(
            redact("postgresql://db.example.fi/ledger"),
            "postgresql://db.example.fi/ledger"
        );
        assert!(is_url("postgres://x/y") && !is_url("/home/kassa/data"));
    }

    #[test]
    fn a_password_in_the_url_is_refused_before_connecting() {
        let Err(error) = connect("postgres://kassa:salainen@127.0.0.1:1/boxoffice") else {
            panic!("a URL with a password was taken");
        };
        let text = error.to_string();
        assert!(matches!(error, LedgerError::PasswordInUrl { .. }), "{text}");
        assert!(!text.contains("salainen"), "{text}");
        assert!(text.contains(PASSWORD_ENV), "{text}");
    }

    #[test]
    fn twins_have_the_sqlite_migrations_numbers() {
        let sqlite: Vec<i64> = super::super::migrations::numbers().collect();
        let postgres: Vec<i64> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(sqlite, postgres);
    }
}
