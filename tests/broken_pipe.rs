//! `boxoffice … | head -1`: a reader that goes away ends the command quietly, never a panic.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::process::Stdio;

use common::Counter;

#[test]
fn a_closed_standard_output_is_not_a_panic() {
    let counter = Counter::demo();
    for args in [&["catalog", "--json"][..], &["catalog"], &["verify"]] {
        let mut child = counter
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
