//! Bad input gets a sentence, never a panic (issue 14, 7 and 9): every subcommand the program
//! lists in its `--help` is run with hostile values in every argument and option, as a logged-in
//! admin on a demo ledger. None may panic (exit 101), hang, or show a raw
//! database or Rust error instead of a sentence. (tests/bad_input.rs checks the sentences of
//! particular arguments.)
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr};

/// Values a cashier, a script or an attacker may type where a number, a date, a list, an address
/// or a name is expected.
const HOSTILE: [&str; 9] = [
    "",
    "-1",
    "0",
    "99999999999999999999",
    "92233720368547758,07",
    "adult=1,,",
    "ä€\u{202e}",
    "2026-13-45",
    "'; DROP TABLE orders;--",
];

/// Leaves that send to the outside world or fill the ledger for minutes (tested on their own).
const SKIPPED: [&[&str]; 3] = [&["bench", "seed"], &["mail", "send"], &["sms", "send"]];

fn help(counter: &Counter, path: &[String]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    common::stdout(&counter.run(&args))
}

/// The subcommands listed under "Commands:" (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    let Some(start) = help.find("Commands:\n") else {
        return Vec::new();
    };
    help[start + "Commands:\n".len()..]
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Positional arguments (`<NAME>` lines) and options (`--name [<VALUE>]`) of a leaf's help.
fn arguments(help: &str) -> (usize, Vec<(String, bool)>) {
    let mut positionals = 0;
    let mut options = Vec::new();
    for line in help.lines() {
        let line = line.trim_start();
        if line.starts_with('<') || line.starts_with("[<") {
            positionals += 1;
            continue;
        }
        let line = line.strip_prefix("-").map_or(line, |rest| {
            // "-u, --user <USER>": keep the long form
            rest.split_once(", ").map_or(line, |(_, long)| long)
        });
        if let Some(rest) = line.strip_prefix("--") {
            let mut words = rest.split_whitespace();
            let name = words.next().unwrap_or_default().to_string();
            let takes_value = words.next().is_some_and(|word| word.starts_with('<'));
            if !["help", "version", "data-dir", "database"].contains(&name.as_str()) {
                options.push((format!("--{name}"), takes_value));
            }
        }
    }
    (positionals, options)
}

fn leaves(counter: &Counter, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    let children = subcommands(&help(counter, &path));
    if children.is_empty() {
        out.push(path);
        return;
    }
    for child in children {
        let mut next = path.clone();
        next.push(child);
        leaves(counter, next, out);
    }
}

/// What must never reach a user: a panic, or an internal error's debug form.
fn raw_failure(text: &str) -> bool {
    [
        "panicked",
        "RUST_BACKTRACE",
        "SqliteFailure",
        "rusqlite",
        "Error {",
        "code: ",
    ]
    .iter()
    .any(|mark| text.contains(mark))
}

#[test]
fn every_subcommand_answers_hostile_arguments_with_a_sentence() {
    let counter = Counter::demo(); // with demo users, events and an open shift

    let mut all = Vec::new();
    leaves(&counter, Vec::new(), &mut all);
    assert!(
        all.len() > 40,
        "the help walk found only {} leaves",
        all.len()
    );

    let leaves: Vec<&Vec<String>> = all
        .iter()
        .filter(|leaf| {
            !SKIPPED
                .iter()
                .any(|skip| leaf.iter().map(String::as_str).eq(skip.iter().copied()))
        })
        .collect();
    // Three processes at a time on the one ledger, as a GUI and scripts would.
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = leaves
            .chunks(leaves.len().div_ceil(3))
            .map(|chunk| scope.spawn(|| try_leaves(&counter, chunk)))
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .collect()
    });
    let runs: usize = results.iter().map(|(runs, _)| runs).sum();
    let failures: Vec<String> = results
        .into_iter()
        .flat_map(|(_, failures)| failures)
        .collect();
    assert!(runs > 500, "only {runs} runs");
    // The figure RELIABILITY.md reports (`cargo test --test hostile_arguments -- --nocapture`).
    eprintln!(
        "{} subcommands, {runs} runs with hostile values, {} failed raw",
        leaves.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {runs} runs failed raw:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // After all that, the ledger is still whole.
    let out = counter.run(&["verify"]);
    assert!(
        out.status.success(),
        "verify after the campaign: {}",
        stderr(&out)
    );
}

/// Runs each leaf bare and with every option, once per hostile value; returns the number of runs
/// and the ones that failed raw.
fn try_leaves(counter: &Counter, leaves: &[&Vec<String>]) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut runs = 0;
    for leaf in leaves {
        let (positionals, options) = arguments(&help(counter, leaf));
        for value in HOSTILE {
            let mut args: Vec<&str> = leaf.iter().map(String::as_str).collect();
            args.extend(std::iter::repeat_n(value, positionals));
            let bare = args.clone();
            for (name, takes_value) in &options {
                args.push(name);
                if *takes_value {
                    args.push(value);
                }
            }
            for attempt in [bare, args] {
                runs += 1;
                let out = counter.run(&attempt);
                let text = stderr(&out);
                if out.status.code() == Some(101) || raw_failure(&text) {
                    failures.push(format!(
                        "{attempt:?}: {}",
                        text.lines()
                            .find(|line| !line.trim().is_empty())
                            .unwrap_or("")
                    ));
                }
            }
        }
    }
    (runs, failures)
}
