//! Every command that changes the ledger or the settings logs in, and its role is checked in the
//! service: each mutating subcommand is run as each demo role (cashier 1111, staff 2222,
//! manager 9999, admin 0000) and the refusals must be exactly the permission table's.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::process::{Output, Stdio};

use common::{Counter, stderr};

const ROLES: [(&str, &str); 4] = [
    ("cashier", "1111"),
    ("staff", "2222"),
    ("manager", "9999"),
    ("admin", "0000"),
];

/// The lowest role that may run each command (the roles are nested).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Least {
    Cashier = 0,
    Staff = 1,
    Manager = 2,
    Admin = 3,
}

fn run_as(counter: &Counter, args: &[&str], user: Option<(&str, &str)>) -> Output {
    let mut command = counter.command(args);
    command.stdin(Stdio::null());
    match user {
        Some((name, pin)) => command
            .env("BOXOFFICE_USER", name)
            .env("BOXOFFICE_PIN", pin),
        None => command
            .env_remove("BOXOFFICE_USER")
            .env_remove("BOXOFFICE_PIN"),
    };
    command.output_bounded().expect("run boxoffice")
}

fn ok(counter: &Counter, args: &[&str]) {
    let out = run_as(counter, args, Some(("admin", "0000")));
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

#[test]
fn every_mutating_subcommand_logs_in_and_is_checked_against_the_role() {
    let counter = Counter::demo();
    let dir = counter.path().to_path_buf();
    let printer = format!("file:{}", dir.join("printer.out").display());
    let printer2 = format!("file:{}", dir.join("printer2.out").display());
    ok(
        &counter,
        &[
            "printer",
            "add",
            "--name",
            "P1",
            "--transport",
            &printer,
            "--language",
            "zpl",
        ],
    );
    ok(
        &counter,
        &["terminal", "add", "--name", "T1", "--agent", "127.0.0.1:9"],
    );
    let smtp = [
        "mail",
        "server",
        "add",
        "--name",
        "m0",
        "--host",
        "127.0.0.1",
        "--port",
        "9",
        "--security",
        "none",
        "--from",
        "liput@example.fi",
    ];
    ok(&counter, &smtp);
    ok(&counter, &["mail", "server", "default", "m0"]);
    let gateway = "http://127.0.0.1:9/send?to={to}&text={text}";
    ok(
        &counter,
        &[
            "sms",
            "gateway",
            "--url",
            gateway,
            "--method",
            "get",
            "--link",
            "https://x.example/{code}",
        ],
    );
    let sale = counter.sell_json(1, "adult=1", "100");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let csv = dir.join("plan.csv");
    std::fs::write(&csv, "section,row,seat,x,y,rank,flags\nstalls,1,1,0,0,1,\n").unwrap();
    let csv = csv.display().to_string();

    use Least::*;
    let table: Vec<(Vec<&str>, Least)> = vec![
        (
            vec!["terminal", "add", "--name", "TX", "--agent", "127.0.0.1:9"],
            Admin,
        ),
        (
            vec![
                "terminal",
                "nets-account",
                "--url",
                "https://nets.invalid",
                "--username",
                "u",
                "--password",
                "p",
            ],
            Admin,
        ),
        (vec!["terminal", "reconcile", "T1"], Manager),
        (
            vec![
                "mail",
                "server",
                "add",
                "--name",
                "m2",
                "--host",
                "127.0.0.1",
                "--port",
                "9",
                "--security",
                "none",
                "--from",
                "a@example.fi",
            ],
            Admin,
        ),
        (
            vec!["mail", "server", "copy", "builtin", "--name", "m3"],
            Admin,
        ),
        (vec!["mail", "server", "default", "m0"], Admin),
        (
            vec![
                "mail",
                "dkim",
                "generate",
                "--domain",
                "example.fi",
                "--selector",
                "s1",
            ],
            Admin,
        ),
        (
            vec!["mail", "test", "--server", "m0", "--to", "a@example.fi"],
            Admin,
        ),
        (
            vec!["mail", "send", "--order", "1", "--to", "a@example.fi"],
            Staff,
        ),
        (
            vec!["mail", "readdress", "1", "--to", "b@example.fi"],
            Staff,
        ),
        (vec!["mail", "flush"], Cashier),
        (
            vec![
                "sms",
                "gateway",
                "--url",
                gateway,
                "--method",
                "get",
                "--link",
                "https://x.example/{code}",
            ],
            Admin,
        ),
        (
            vec!["sms", "send", "--order", "1", "--to", "+358401234567"],
            Cashier,
        ),
        (
            vec![
                "printer",
                "add",
                "--name",
                "P2",
                "--transport",
                &printer2,
                "--language",
                "zpl",
            ],
            Admin,
        ),
        (vec!["print", "test"], Admin),
        (vec!["print", "ticket", &code, "--copy"], Staff),
        (vec!["print", "ticket", &code, "--reissue"], Staff),
        (
            vec![
                "user",
                "add",
                "--name",
                "newbie",
                "--role",
                "cashier",
                "--new-pin",
                "4321",
            ],
            Admin,
        ),
        (vec!["user", "list"], Admin),
        (
            vec!["user", "set-pin", "--name", "newbie", "--new-pin", "5555"],
            Admin,
        ),
        (vec!["user", "disable", "--name", "newbie"], Admin),
        (vec!["register", "training", "off"], Admin),
        (vec!["register", "seller", "--name", "Teatteri"], Admin),
        (vec!["seatplan", "import", &csv, "--venue", "Studio"], Admin),
        (
            vec![
                "seatplan",
                "assign",
                "--performance",
                "3",
                "--venue",
                "Studio",
            ],
            Admin,
        ),
        (
            vec![
                "seat",
                "hold",
                "--performance",
                "1",
                "--seats",
                "stalls:1:1",
                "--reason",
                "press",
            ],
            Manager,
        ),
        (
            vec![
                "seat",
                "release",
                "--performance",
                "1",
                "--seats",
                "stalls:1:1",
            ],
            Manager,
        ),
        (
            vec!["shift", "cash-in", "--amount", "1", "--reason", "change"],
            Manager,
        ),
        (
            vec!["shift", "cash-out", "--amount", "1", "--reason", "change"],
            Manager,
        ),
        (vec!["shift", "drawer", "--reason", "change"], Manager),
        (
            vec![
                "refund",
                "--order",
                "1",
                "--amount",
                "0,01",
                "--reason",
                "wrong_price",
            ],
            Manager,
        ),
        (vec!["report", "sales"], Manager),
        (
            vec!["reserve", "--performance", "1", "--tickets", "adult=1"],
            Cashier,
        ),
        (
            vec![
                "bank",
                "settings",
                "--merchant",
                "123456789012",
                "--contract",
                "123456",
            ],
            Admin,
        ),
        (
            vec!["payments", "resolve", "no-such-attempt", "--not-approved"],
            Manager,
        ),
        (vec!["payments", "pending", "--resolve"], Cashier),
        (
            vec![
                "sell",
                "--performance",
                "1",
                "--tickets",
                "adult=1",
                "--pay",
                "cash",
                "--tendered",
                "100",
            ],
            Cashier,
        ),
        (vec!["shift", "close", "--count", "50=1"], Manager),
    ];
    let mut wrong = Vec::new();
    for (args, least) in &table {
        // Nobody logged in: never done.
        let out = run_as(&counter, args, None);
        if out.status.success() {
            wrong.push(format!("{args:?} succeeded without a login"));
        }
        for (rank, (user, pin)) in ROLES.iter().enumerate() {
            let out = run_as(&counter, args, Some((user, pin)));
            let text = stderr(&out);
            assert!(!text.contains("Wrong PIN"), "{args:?} as {user}: {text}");
            let refused = text.contains("not allowed");
            let should_refuse = rank < *least as usize;
            if refused != should_refuse {
                wrong.push(format!(
                    "{args:?} as {user}: {} ({})",
                    if refused { "refused" } else { "not refused" },
                    text.trim()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "permission table broken:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_pin_comes_from_the_environment_standard_input_or_a_warned_flag() {
    let counter = Counter::demo();
    let args = ["shift", "x", "--user", "cashier"];
    // BOXOFFICE_PIN: no warning.
    let out = run_as(&counter, &args, Some(("nobody", "1111")));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    // --pin-stdin: the first line of standard input.
    let mut child = counter
        .command(&["shift", "x", "--user", "cashier", "--pin-stdin"])
        .env_remove("BOXOFFICE_PIN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"1111\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // --pin still works for scripts, with a warning on standard error.
    let out = counter.run(&["shift", "x", "--user", "cashier", "--pin", "1111"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: --pin"), "{}", stderr(&out));
    // No PIN anywhere and no terminal: a sentence that says where to put it.
    let out = counter
        .command(&["shift", "x", "--user", "cashier"])
        .env_remove("BOXOFFICE_PIN")
        .stdin(Stdio::null())
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("BOXOFFICE_PIN"), "{}", stderr(&out));
}
