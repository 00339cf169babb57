//! Logging never stops the program, and what a kill leaves behind is cleaned up (issue 14 §7).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::time::{Duration, SystemTime};

use common::{Counter, stderr, stdout};

#[test]
fn a_log_directory_that_cannot_be_written_is_no_panic() {
    let counter = Counter::demo();
    let logs = counter.path().join("logs");
    std::fs::remove_dir_all(&logs).ok();
    // Whatever day the rolling appender picks, its file's name is taken by a directory: opening
    // the log file fails (even for root, whom permissions would not stop).
    let today = chrono::Utc::now().date_naive();
    for day in [today.pred_opt().unwrap(), today, today.succ_opt().unwrap()] {
        std::fs::create_dir_all(logs.join(format!("boxoffice.log.{}", day.format("%Y-%m-%d"))))
            .unwrap();
    }
    for args in [&["verify"][..], &["catalog"]] {
        let out = counter.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("logging to standard error"),
            "{args:?} does not say where the logs went: {}",
            stderr(&out)
        );
    }
    assert!(stdout(&counter.run(&["verify"])).contains("ok"));
}

#[test]
fn a_write_probe_left_by_a_killed_process_is_removed() {
    let counter = Counter::demo();
    let old = counter.path().join(".write-test-4242424");
    let live = counter.path().join(".write-test-4242425");
    for probe in [&old, &live] {
        std::fs::write(probe, b"ok").unwrap();
    }
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(600))
        .unwrap();
    // A command that opens the ledger to write (read commands write nothing, not even this).
    let out = counter.run(&["user", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!old.exists(), "the killed process's probe is still there");
    assert!(
        live.exists(),
        "a probe of a process that may still run was removed"
    );
}
