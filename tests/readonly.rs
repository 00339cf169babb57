//! Read-only commands on a read-only data directory, and files that are not a ledger yet
//! (issue 14 §3): `catalog`, `verify`, `order show`, `order search`, `ticket check`, `report`
//! and `doctor` open the ledger read-only; an empty file is refused with a sentence, untouched.

// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::path::Path;
use std::process::{Command, Output};

use common::{Counter, stderr};

/// Runs `boxoffice args` with `dir` mounted read-only (a private mount namespace: `unshare`,
/// as root or through a user namespace). The probe proves that the directory really refuses a
/// write before anything is concluded from the command.
fn run_on_read_only_dir(counter: &Counter, dir: &Path, args: &[&str]) -> Output {
    let binary = std::env::var_os("BOXOFFICE_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_boxoffice").into());
    let dir = dir.to_str().unwrap();
    let script = format!(
        "mount --bind {dir} {dir} && mount -o remount,bind,ro {dir} || exit 97; \
         if touch {dir}/.probe 2>/dev/null; then exit 98; fi; exec \"$0\" \"$@\""
    );
    let mut attempts = Vec::new();
    for flags in ["-m", "-rm"] {
        let mut command = Command::new("unshare");
        command
            .arg(flags)
            .arg("sh")
            .arg("-c")
            .arg(&script)
            .arg(&binary)
            .args(args);
        // The same environment as every other test run of the binary.
        let template = counter.command(&[]);
        for (key, value) in template.get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        let out = command.output_bounded().expect("unshare");
        match out.status.code() {
            Some(97) => attempts.push(stderr(&out)),
            Some(98) => panic!("the read-only mount still takes a write"),
            _ => return out,
        }
    }
    panic!("cannot mount the data directory read-only: {attempts:?}");
}

#[test]
fn read_commands_work_on_a_read_only_data_directory() {
    let counter = Counter::demo();
    let sale = counter.sell_json(2, "adult=1", "20");
    let order = sale["order_number"].to_string();
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let before = std::fs::read(counter.ledger_file()).unwrap();
    let commands: Vec<Vec<String>> = vec![
        vec!["catalog".into()],
        vec!["catalog".into(), "--json".into()],
        vec!["verify".into()],
        vec!["order".into(), "show".into(), order.clone()],
        vec!["order".into(), "search".into(), order.clone()],
        vec!["report".into(), "sales".into()],
        vec!["doctor".into()],
        vec!["ticket".into(), "check".into(), code],
    ];
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_on_read_only_dir(&counter, counter.path(), &args);
        let said = stderr(&out);
        assert!(
            out.status.success(),
            "{args:?} on a read-only directory: {said}"
        );
        assert!(!said.contains("panicked"), "{args:?}: {said}");
    }
    assert_eq!(std::fs::read(counter.ledger_file()).unwrap(), before);
}

#[test]
fn a_write_on_a_read_only_data_directory_is_a_sentence() {
    let counter = Counter::demo();
    let out = run_on_read_only_dir(
        &counter,
        counter.path(),
        &[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "20",
        ],
    );
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(
        said.contains("cannot be written") || said.contains("read-only"),
        "{said}"
    );
    assert!(!said.contains("ledger error"), "a raw SQLite error: {said}");
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn an_empty_ledger_file_is_refused_by_read_commands_and_left_untouched() {
    let counter = Counter::empty();
    std::fs::write(counter.ledger_file(), b"").unwrap();
    for args in [
        &["catalog"][..],
        &["verify"][..],
        &["order", "show", "1"][..],
        &["report", "sales"][..],
    ] {
        let out = counter.run(args);
        assert!(!out.status.success(), "{args:?}");
        let said = stderr(&out);
        assert!(said.contains("is empty (0 bytes)"), "{args:?}: {said}");
        assert_eq!(
            std::fs::metadata(counter.ledger_file()).unwrap().len(),
            0,
            "{args:?} converted the empty file"
        );
    }
    // `init` takes it as new: an empty file holds nothing to lose.
    let out = counter.run(&["init", "--demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn read_commands_on_a_directory_without_a_ledger_create_nothing() {
    let counter = Counter::empty();
    let out = counter.run(&["catalog"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not been set up"), "{}", stderr(&out));
    assert!(!counter.ledger_file().exists());
}

#[test]
fn wrong_pins_given_to_a_read_command_still_lock_the_user() {
    let counter = Counter::demo();
    for _ in 0..5 {
        let out = counter
            .command(&["report", "sales"])
            .env("BOXOFFICE_USER", "cashier")
            .env("BOXOFFICE_PIN", "9998")
            .output_bounded()
            .unwrap();
        assert!(!out.status.success());
    }
    // Now even the right PIN is refused for a while, by any command.
    let out = counter.sell(2, "adult=1", "20");
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.to_lowercase().contains("locked"), "{said}");
}
