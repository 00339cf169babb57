//! The shared ledger over TLS (issue 15: "TLS (rustls) and SCRAM passwords for a server on
//! another machine"): a real PostgreSQL server with a certificate from a test CA, which accepts
//! TCP connections only over TLS (`hostssl` in pg_hba.conf). A counter given the CA
//! (`BOXOFFICE_DATABASE_CA`) and `sslmode=require` migrates and works there; one that trusts
//! another CA is refused with a sentence and writes nothing; one without TLS is refused by the
//! server. Real `boxoffice` processes.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::pg as server;
use common::smtp::pki;
use common::{Bounded, Counter, stderr};

const PASSWORD_ENV: &str = "BOXOFFICE_DATABASE_PASSWORD";
const CA_ENV: &str = "BOXOFFICE_DATABASE_CA";

/// The binary's server made to take TCP connections only over TLS, with a leaf certificate for
/// 127.0.0.1 signed by a test CA; the CA's PEM file.
fn tls_only() -> std::path::PathBuf {
    let server = server::server();
    let dir = server.socket_dir().join("tls");
    std::fs::create_dir_all(&dir).unwrap();
    let pki = pki(&dir);
    server.give_to_server(&pki.cert);
    server.give_to_server(&pki.key);
    let hba = server.data_dir().join("pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).unwrap();
    let rules: String = rules
        .lines()
        .map(|line| match line.strip_prefix("host ") {
            Some(rest) => format!("hostssl {rest}\n"),
            None => format!("{line}\n"),
        })
        .collect();
    assert!(rules.contains("hostssl"), "{rules}");
    std::fs::write(&hba, rules).unwrap();
    let mut admin = server.connect("postgres");
    // One statement at a time: ALTER SYSTEM runs outside a transaction block.
    for setting in [
        format!("ssl_cert_file = '{}'", pki.cert.display()),
        format!("ssl_key_file = '{}'", pki.key.display()),
        "ssl = on".to_string(),
    ] {
        admin
            .batch_execute(&format!("ALTER SYSTEM SET {setting}"))
            .unwrap();
    }
    admin.batch_execute("SELECT pg_reload_conf()").unwrap();
    pki.ca
}

/// The test's own connection, over the server's socket (trusted; TCP takes TLS only now).
fn local(db: &str) -> postgres::Client {
    let server = server::server();
    postgres::Config::new()
        .host_path(server.socket_dir())
        .port(server.port)
        .user(server::ADMIN)
        .dbname(db)
        .connect(postgres::NoTls)
        .unwrap()
}

#[test]
fn a_counter_reaches_the_shared_ledger_over_tls_only_with_the_right_ca() {
    let db = server::database();
    let ca = tls_only();
    let counter = Counter::demo();
    let url = |mode: &str| {
        format!(
            "postgres://{}@127.0.0.1:{}/{}?sslmode={mode}",
            server::ADMIN,
            db.port,
            db.name
        )
    };
    let run = |mode: &str, ca: &std::path::Path, args: &[&str]| {
        let url = url(mode);
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        counter
            .command(&all)
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            .env(CA_ENV, ca)
            .output_bounded()
            .unwrap()
    };
    // Another CA: the server's certificate is not trusted; nothing reaches the ledger.
    let elsewhere = tempfile::tempdir().unwrap();
    let other_ca = pki(elsewhere.path()).ca;
    let out = run("require", &other_ca, &["db", "migrate"]);
    assert!(
        !out.status.success(),
        "a certificate from an unknown CA was trusted"
    );
    let said = stderr(&out);
    assert!(said.contains("cannot be reached"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    let tables = || -> i64 {
        local(&db.name)
            .query_one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    // Without TLS the server itself refuses (hostssl only).
    let out = run("disable", &ca, &["db", "migrate"]);
    assert!(
        !out.status.success(),
        "the server took a connection without TLS"
    );
    assert_eq!(tables(), 0, "a refused connection wrote the schema");
    // The right CA: the schema is made over TLS.
    let out = run("require", &ca, &["db", "migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let made = tables();
    assert!(made > 10, "the schema was not made: {made} tables");
}
