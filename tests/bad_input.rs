//! Bad arguments are refused at the edge with a sentence that names the argument, and change
//! nothing (issue 14 §9).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr};

#[test]
fn agent_addresses_that_are_not_host_and_port_are_refused() {
    let counter = Counter::demo();
    for (i, bad) in [
        "notanaddress",
        "127.0.0.1:99999",
        ":1337",
        "127.0.0.1:",
        "127.0.0.1:0",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("T{i}");
        let out = counter.run(&["terminal", "add", "--name", &name, "--agent", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}: {}", stderr(&out));
        assert!(stderr(&out).contains("--agent"), "{bad}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    assert_eq!(counter.count("card_terminals"), 0);
    let out = counter.run(&[
        "terminal",
        "add",
        "--name",
        "T1",
        "--agent",
        "127.0.0.1:1337",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(counter.count("card_terminals"), 1);
}

#[test]
fn malformed_ticket_lists_are_refused() {
    let counter = Counter::demo();
    for bad in [
        "adult=1,,",
        ",adult=1",
        "adult=1, ,child=1",
        "=2",
        "adult",
        "adult=0",
        "adult=x",
        "",
    ] {
        let out = counter.sell_as("cashier", "1111", 1, bad, "100");
        assert_eq!(out.status.code(), Some(1), "{bad:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("--tickets"),
            "{bad:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(counter.count("orders"), 0);
}
