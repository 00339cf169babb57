//! Secrets and PINs (issue 14 §5): no bank key or Nets password in the ledger file, a
//! ledger from before version 13 has its values moved out and its free pages scrubbed, and a
//! copied ledger alone does not give up a PIN.

mod common;

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
        self.command(args).output().unwrap()
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
        .output()
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
