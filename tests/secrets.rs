//! Secrets and PINs (issue 14 §5): no bank key or Nets password in the ledger file, a
//! ledger from before version 13 has its values moved out and its free pages scrubbed, and a
//! copied ledger alone does not give up a PIN.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use boxoffice::mail::secrets::{EncryptedFileStore, SecretStore};
use common::{Counter, stderr};

const BANK_KEY: &str = "SECRETBANKKEY-0123456789abcdefghijklmnopqrstuvwxyz-0123456789AB";
const NETS_PASSWORD: &str = "NetsPassw0rd-plaintext-marker";

/// A data directory with its key file in another directory (as on a real counter).
struct Site {
    counter: Counter,
    keys: tempfile::TempDir,
}

impl Site {
    fn empty() -> Site {
        Site {
            counter: Counter::empty(),
            keys: tempfile::tempdir().unwrap(),
        }
    }

    fn demo() -> Site {
        let site = Site::empty();
        let out = site.run(&["init", "--demo"]);
        assert!(out.status.success(), "{}", stderr(&out));
        site
    }

    fn key_file(&self) -> PathBuf {
        self.keys.path().join("secret-store.key")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = self.counter.command(args);
        command.env("BOXOFFICE_KEY_FILE", self.key_file());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output_bounded().unwrap()
    }

    fn store(&self) -> EncryptedFileStore {
        EncryptedFileStore::new(self.counter.path().join("secrets.json"), self.key_file())
    }

    /// Every byte of the ledger, its WAL and its shared memory, as a copy of the directory has them.
    fn ledger_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for name in ["ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm"] {
            if let Ok(more) = std::fs::read(self.counter.path().join(name)) {
                bytes.extend(more);
            }
        }
        bytes
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn bank_keys_and_the_nets_password_never_reach_the_ledger_file() {
    let site = Site::demo();
    let out = site.run(&[
        "bank",
        "settings",
        "--merchant",
        "123456789012",
        "--contract",
        "123456",
        "--payment-url",
        "https://bank.example/pay",
        "--query-url",
        "https://bank.example/query",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut add = site
        .command(&[
            "bank",
            "key",
            "add",
            "--valid-from",
            "2020-01-01",
            "--secret-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(add.stdin.take().unwrap(), "{BANK_KEY}").unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site
        .command(&[
            "terminal",
            "nets-account",
            "--url",
            "https://connectcloud-test.aws.nets.eu",
            "--username",
            "org",
        ])
        .env("BOXOFFICE_NETS_PASSWORD", NETS_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let bytes = site.ledger_bytes();
    assert!(
        !contains(&bytes, BANK_KEY),
        "the bank key is in the ledger file"
    );
    assert!(
        !contains(&bytes, NETS_PASSWORD),
        "the Nets password is in the ledger file"
    );
    // They are in the store, and the bank key is still the one in force.
    let store = site.store();
    assert_eq!(
        store.get("bank-key:2020-01-01").unwrap().unwrap().expose(),
        BANK_KEY
    );
    assert_eq!(
        store.get("nets:password").unwrap().unwrap().expose(),
        NETS_PASSWORD
    );
    let out = site.run(&["bank", "key", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2020-01-01"));

    // No program can put one back in plain text.
    let sql = site.counter.sql();
    assert!(
        sql.execute(
            "INSERT INTO bank_keys (valid_from, secret, added_at) VALUES ('2030-01-01', 'plain', 'x')",
            [],
        )
        .is_err()
    );
    assert!(
        sql.execute("UPDATE nets_account SET password = 'plain'", [])
            .is_err()
    );
}

/// A ledger as the program before version 13 left it: every migration below 13 applied, a
/// register, and the bank key and Nets password in plain text.
fn old_ledger(dir: &Path) {
    let mut files: Vec<(i64, PathBuf)> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
            .unwrap()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().to_string();
                let number: i64 = name.get(..4)?.parse().ok()?;
                (name.ends_with(".sql") && number < 13).then(|| (number, entry.path()))
            })
            .collect();
    files.sort();
    let conn = rusqlite::Connection::open(dir.join("ledger.sqlite3")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    for (number, path) in &files {
        conn.execute_batch(&std::fs::read_to_string(path).unwrap())
            .unwrap();
        conn.pragma_update(None, "user_version", number).unwrap();
    }
    conn.pragma_update(None, "application_id", 0x424F_584F)
        .unwrap();
    conn.execute(
        "INSERT INTO register (id, name, demo, created_at) VALUES ('BO-old', 'Box office', 0, '2026-01-01T00:00:00+02:00')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO bank_keys (valid_from, secret, added_at) VALUES ('2020-01-01', ?1, '2026-01-01')",
        [BANK_KEY],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO nets_account (id, base_url, username, password) VALUES (1, 'https://connectcloud-test.aws.nets.eu', 'org', ?1)",
        [NETS_PASSWORD],
    )
    .unwrap();
    drop(conn);
    let bytes = std::fs::read(dir.join("ledger.sqlite3")).unwrap();
    assert!(contains(&bytes, BANK_KEY) && contains(&bytes, NETS_PASSWORD));
}

#[test]
fn a_ledger_from_before_version_13_has_its_secrets_moved_out_and_no_byte_left_behind() {
    let site = Site::empty();
    old_ledger(site.counter.path());
    // Any command that opens the ledger to write moves them.
    let out = site.run(&["catalog"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let bytes = site.ledger_bytes();
    assert!(
        !contains(&bytes, BANK_KEY),
        "the bank key is still in the file"
    );
    assert!(
        !contains(&bytes, NETS_PASSWORD),
        "the Nets password is still in the file"
    );
    let store = site.store();
    assert_eq!(
        store.get("bank-key:2020-01-01").unwrap().unwrap().expose(),
        BANK_KEY
    );
    assert_eq!(
        store.get("nets:password").unwrap().unwrap().expose(),
        NETS_PASSWORD
    );
    let sql = site.counter.sql();
    let (secret, name): (String, String) = sql
        .query_row("SELECT secret, secret_name FROM bank_keys", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (secret.as_str(), name.as_str()),
        ("", "bank-key:2020-01-01")
    );
    // A second start finds nothing left to move and changes nothing.
    let out = site.run(&["catalog"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn admin_pin_hash(site: &Site) -> String {
    site.counter
        .sql()
        .query_row(
            "SELECT pin_hash FROM users WHERE name = 'admin'",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

/// Whether `pin` verifies against a stored hash with argon2id alone, as an attacker holding
/// only the ledger file would try (the hash with or without its scheme prefix).
fn verifies_without_pepper(stored: &str, pin: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let phc = stored
        .rsplit_once("$argon2")
        .map_or(stored.to_string(), |(_, rest)| format!("$argon2{rest}"));
    PasswordHash::new(&phc).is_ok_and(|hash| {
        argon2::Argon2::default()
            .verify_password(pin.as_bytes(), &hash)
            .is_ok()
    })
}

#[test]
fn a_copied_ledger_alone_does_not_verify_a_pin() {
    let site = Site::demo();
    let out = site.run(&["user", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = admin_pin_hash(&site);
    assert!(stored.contains("$argon2id$"), "{stored}");
    // The right PIN, tried against the hash with argon2id alone, does not verify.
    assert!(!verifies_without_pepper(&stored, "0000"));

    // The data directory copied to another machine without the key file.
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(site.counter.path()).unwrap().flatten() {
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let out = site
        .counter
        .command(&["user", "list"])
        .env("BOXOFFICE_DATA_DIR", copy.path())
        .env("BOXOFFICE_KEY_FILE", elsewhere.path().join("missing.key"))
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.contains("key file"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn a_pin_hash_from_before_the_pepper_still_logs_in_and_is_peppered_then() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let site = Site::demo();
    let old = argon2::Argon2::default()
        .hash_password(
            b"0000",
            &SaltString::encode_b64(b"sixteen byte slt").unwrap(),
        )
        .unwrap()
        .to_string();
    site.counter
        .sql()
        .execute(
            "UPDATE users SET pin_hash = ?1 WHERE name = 'admin'",
            [&old],
        )
        .unwrap();
    assert!(verifies_without_pepper(&admin_pin_hash(&site), "0000"));

    let out = site.run(&["user", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = admin_pin_hash(&site);
    assert_ne!(stored, old);
    assert!(!verifies_without_pepper(&stored, "0000"), "{stored}");
    // And the new hash logs in.
    let out = site.run(&["user", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The cost of one offline guess with both files: one argon2id evaluation with the parameters
/// the program uses (the HMAC before it is negligible). Printed for RELIABILITY.md.
#[test]
fn one_pin_guess_costs_one_argon2id_evaluation() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::default();
    let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
    let rounds = 5;
    let started = std::time::Instant::now();
    for pin in 0..rounds {
        argon2::Argon2::default()
            .hash_password(format!("{pin:04}").as_bytes(), &salt)
            .unwrap();
    }
    let per_guess = started.elapsed() / rounds;
    println!(
        "argon2id m={} KiB t={} p={}: one guess {:.1} ms; all 10 000 four-digit PINs {:.0} s on one core",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        per_guess.as_secs_f64() * 1000.0,
        per_guess.as_secs_f64() * 10_000.0
    );
    assert!(per_guess > std::time::Duration::from_millis(1));
}
