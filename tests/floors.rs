//! The rules between floors (issue 12, ARCHITECTURE.md "Floors"): a lower floor never names a
//! higher one. Read from the source: every `crate::…` path outside comments in each file of
//! `src/`, so a `use` line and an inline path count alike.
// Tests: a failed unwrap is a failed run.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules a file may not name, by the module the file belongs to.
fn forbidden(module: &str) -> &'static [&'static str] {
    const ABOVE_THE_LEDGER: &[&str] = &["app", "ui", "cli"];
    match module {
        // Pure rules: nothing but itself.
        "domain" => &[
            "app", "ui", "cli", "ledger", "mail", "payments", "printing", "receipt", "i18n",
            "logging",
        ],
        "ledger" | "i18n" | "printing" | "payments" | "logging" | "receipt" | "mail" => {
            ABOVE_THE_LEDGER
        }
        "app" => &["ui", "cli"],
        // The front ends talk to `app` and read its view models, never the ledger's rows.
        "ui" => &["ledger", "cli"],
        _ => &[],
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names as `crate::NAME`, comments left out.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
            rest = after;
        }
    }
    names
}

/// The top-level module of `src/a/b.rs` (`a`) or of `src/a.rs` (`a`).
fn module_of(path: &Path, src: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

#[test]
fn no_floor_names_a_floor_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut breaches = Vec::new();
    for path in &files {
        let module = module_of(path, &src);
        let text = std::fs::read_to_string(path).unwrap();
        let names = named_modules(&text);
        let shown = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        for name in forbidden(&module) {
            if names.contains(*name) {
                breaches.push(format!("{shown} ({module}) names crate::{name}"));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "lower floors naming higher ones:\n{}",
        breaches.join("\n")
    );
}

#[test]
fn the_rule_reader_sees_use_lines_and_inline_paths_but_not_comments() {
    let text = "use crate::app::Receipt;\n// crate::ui in a comment\nlet x = crate::ledger::now_text(); // crate::cli\n";
    let names: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(names, ["app", "ledger"]);
}

/// `domain` is pure: no file of it names a crate or module that does I/O (SQL, files, sockets,
/// HTTP, mail). Its id types get their SQL conversions in `ledger::ids`, not here.
#[test]
fn the_domain_names_no_io() {
    const IO: &[&str] = &[
        "rusqlite::",
        "postgres::",
        "std::fs",
        "std::net",
        "std::process",
        "reqwest::",
        "lettre::",
        "tracing::",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/domain"), &mut files);
    files.sort();
    assert!(!files.is_empty());
    let mut breaches = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for io in IO {
                if code.contains(io) {
                    breaches.push(format!("{}: {}", path.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "domain doing I/O:\n{}",
        breaches.join("\n")
    );
}
