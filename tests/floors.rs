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

// ---------------------------------------------------------------------------------------------
// Sizes (issue 12, "Done when"): no function in `src` over 80 lines and no file over 800, tests
// aside. Read from the source like the rules above: a small scanner that skips comments, strings
// (raw ones too) and character literals, follows braces, and leaves out what `#[test]` or
// `#[cfg(test)]` marks.

/// Most lines a function may take, its signature line to its closing brace.
const MOST_FN_LINES: usize = 80;
/// Most lines a file may take, its test modules left out.
const MOST_FILE_LINES: usize = 800;

/// Why a long function or file is allowed, one of these.
///
/// A table of sentences: one arm per text, each in fi, sv and en. Splitting it would scatter one
/// table over several functions without making any of it easier to read.
const TABLE: &str = "a table of sentences in fi, sv and en";

/// The functions allowed to be longer: (file, function, why). An entry that is no longer long
/// fails the test too, so the list only shrinks.
const LONG_FN_ALLOWED: &[(&str, &str, &str)] = &[
    ("src/app/error/admin.rs", "text", TABLE),
    ("src/app/error/card.rs", "text", TABLE),
    ("src/app/error/sale.rs", "text", TABLE),
    ("src/app/error/seats.rs", "text", TABLE),
    ("src/i18n/mod.rs", "tr", TABLE),
    ("src/i18n/phrases.rs", "back_office_label", TABLE),
];
/// The files allowed to be longer, test modules left out: (file, why).
const LONG_FILE_ALLOWED: &[(&str, &str)] = &[];

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Punct(char),
}

/// The source's words and punctuation with their line numbers (1-based), comments, strings and
/// character literals left out.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Steps over `count` characters, counting the newlines among them.
    let skip = |i: &mut usize, line: &mut usize, count: usize| {
        for _ in 0..count {
            if *i < chars.len() && chars[*i] == '\n' {
                *line += 1;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    skip(&mut i, &mut line, 2);
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    skip(&mut i, &mut line, 2);
                    if depth == 0 {
                        break;
                    }
                } else {
                    skip(&mut i, &mut line, 1);
                }
            }
        } else if c == '"' {
            skip(&mut i, &mut line, 1);
            while i < chars.len() && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                skip(&mut i, &mut line, step);
            }
            skip(&mut i, &mut line, 1);
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{7f}', '{') or a lifetime ('a).
            if next == Some('\\') {
                skip(&mut i, &mut line, 2);
                while i < chars.len() && chars[i] != '\'' {
                    skip(&mut i, &mut line, 1);
                }
                skip(&mut i, &mut line, 1);
            } else if chars.get(i + 2) == Some(&'\'') {
                skip(&mut i, &mut line, 3);
            } else {
                skip(&mut i, &mut line, 1);
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // A raw string (r"…", r#"…"#, br#"…"#): its text is not code.
            let raw =
                (word == "r" || word == "br") && matches!(chars.get(i), Some('"') | Some('#'));
            if raw {
                let mut hashes = 0;
                while chars.get(i) == Some(&'#') {
                    hashes += 1;
                    i += 1;
                }
                if chars.get(i) == Some(&'"') {
                    skip(&mut i, &mut line, 1);
                    loop {
                        if i >= chars.len() {
                            break;
                        }
                        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                            skip(&mut i, &mut line, 1 + hashes);
                            break;
                        }
                        skip(&mut i, &mut line, 1);
                    }
                    continue;
                }
            }
            if word == "b" && chars.get(i) == Some(&'\'') {
                continue; // b'x': the quote is read as a character literal next.
            }
            out.push((Token::Word(word), line));
        } else if c.is_whitespace() {
            skip(&mut i, &mut line, 1);
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// What a source file holds, tests left out: its functions (name, first line, lines) and the
/// number of its lines that are not test code.
struct Shape {
    functions: Vec<(String, usize, usize)>,
    lines: usize,
    /// Every brace closed: the scanner read the file as Rust (a check on the scanner).
    balanced: bool,
}

fn shape(text: &str) -> Shape {
    enum Block {
        Function(String, usize),
        Test(usize),
        Other,
    }
    let total = text.lines().count();
    let tokens = tokens(text);
    let mut functions = Vec::new();
    let mut test_lines = 0;
    let mut stack: Vec<Block> = Vec::new();
    let mut pending_fn: Option<(String, usize)> = None;
    let mut pending_test: Option<usize> = None;
    let mut balanced = true;
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        match token {
            Token::Punct('#') => {
                // An attribute: `#[…]` or `#![…]`, its words read to see whether it marks a test.
                let inner = tokens.get(i + 1).map(|t| &t.0) == Some(&Token::Punct('!'));
                let open = if inner { i + 2 } else { i + 1 };
                if tokens.get(open).map(|t| &t.0) == Some(&Token::Punct('[')) {
                    let mut depth = 0;
                    let mut words = Vec::new();
                    let mut j = open;
                    while j < tokens.len() {
                        match &tokens[j].0 {
                            Token::Punct('[') => depth += 1,
                            Token::Punct(']') => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            Token::Word(w) => words.push(w.as_str()),
                            Token::Punct(_) => {}
                        }
                        j += 1;
                    }
                    let test = words == ["test"] || words == ["cfg", "test"];
                    if test && inner {
                        return Shape {
                            functions: Vec::new(),
                            lines: 0,
                            balanced: true,
                        };
                    }
                    if test {
                        pending_test.get_or_insert(*line);
                    }
                    i = j + 1;
                    continue;
                }
            }
            Token::Word(w) if w == "fn" => {
                if let Some((Token::Word(name), _)) = tokens.get(i + 1) {
                    pending_fn = Some((name.clone(), *line));
                }
            }
            Token::Punct(';') => {
                // A declaration without a body (`fn f();` in a trait, `#[cfg(test)] mod t;`).
                pending_fn = None;
                pending_test = None;
            }
            Token::Punct('{') => {
                let block = if let Some(start) = pending_test.take() {
                    Block::Test(start)
                } else if let Some((name, start)) = pending_fn.take() {
                    Block::Function(name, start)
                } else {
                    Block::Other
                };
                pending_fn = None;
                stack.push(block);
            }
            Token::Punct('}') => {
                if stack.is_empty() {
                    balanced = false;
                }
                let in_test = |stack: &[Block]| stack.iter().any(|b| matches!(b, Block::Test(_)));
                match stack.pop() {
                    Some(Block::Function(name, start)) if !in_test(&stack) => {
                        functions.push((name, start, line - start + 1));
                    }
                    Some(Block::Test(start)) if !in_test(&stack) => {
                        test_lines += line - start + 1;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    Shape {
        functions,
        lines: total - test_lines,
        balanced: balanced && stack.is_empty(),
    }
}

#[test]
fn the_size_reader_sees_functions_and_leaves_tests_strings_and_comments_out() {
    let text = r##"
/// fn not_this() {
fn short(x: &str) -> char {
    let _ = "fn in a string { {";
    let _ = r#"raw " { fn"#;
    let _c = '{';
    let _l: &'static str = "}";
    '}'
}

#[cfg(test)]
mod tests {
    fn helper() {
    }
    #[test]
    fn case() {}
}

trait T {
    fn declared(&self);
    fn given(&self) {
        /* { nested /* } */ { */
    }
}
"##;
    let shape = shape(text);
    let found: Vec<(&str, usize, usize)> = shape
        .functions
        .iter()
        .map(|(n, s, l)| (n.as_str(), *s, *l))
        .collect();
    assert_eq!(found, [("short", 3, 7), ("given", 21, 3)]);
    // The test module (its attribute to its closing brace) is left out of the count.
    assert_eq!(shape.lines, text.lines().count() - 7);
    assert!(shape.balanced);
    assert!(!self::shape("fn f() { }\n}").balanced);
}

#[test]
fn no_function_over_80_lines_and_no_file_over_800_in_src() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut breaches = Vec::new();
    let mut long_fns = BTreeSet::new();
    let mut long_files = BTreeSet::new();
    for path in &files {
        let shown = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let shape = shape(&text);
        assert!(
            shape.balanced,
            "{shown}: the size reader lost its way in the braces"
        );
        let file_allowed = LONG_FILE_ALLOWED.iter().any(|(file, _why)| *file == shown);
        if shape.lines > MOST_FILE_LINES {
            long_files.insert(shown.clone());
        }
        if shape.lines > MOST_FILE_LINES && !file_allowed {
            breaches.push(format!("{shown}: {} lines", shape.lines));
        }
        for (name, start, lines) in &shape.functions {
            let allowed = LONG_FN_ALLOWED
                .iter()
                .any(|(file, function, _why)| *file == shown && function == name);
            if *lines > MOST_FN_LINES {
                long_fns.insert((shown.clone(), name.clone()));
            }
            if *lines > MOST_FN_LINES && !allowed {
                breaches.push(format!("{shown}:{start} fn {name}: {lines} lines"));
            }
        }
    }
    // An entry of the lists that is no longer long (split, renamed, gone) comes off the list.
    for (file, function, _why) in LONG_FN_ALLOWED {
        if !long_fns.contains(&(file.to_string(), function.to_string())) {
            breaches.push(format!(
                "{file} fn {function} is allowed but no longer long: take it off the list"
            ));
        }
    }
    for (file, _why) in LONG_FILE_ALLOWED {
        if !long_files.contains(*file) {
            breaches.push(format!(
                "{file} is allowed but no longer long: take it off the list"
            ));
        }
    }
    assert!(
        breaches.is_empty(),
        "over {MOST_FN_LINES} lines a function or {MOST_FILE_LINES} a file:\n{}",
        breaches.join("\n")
    );
}
