//! Issue 17: every user-facing text in Finnish, Swedish and English. Read from the source:
//! every text is a `[fi, sv, en]` triple (`tr`'s table, the phrases, the screens' own
//! `t(lang, [..])`), none is left the same in all three, and no widget gets a bare literal with
//! words in it. (The screens themselves are read in Finnish and Swedish by
//! `gui_counter.rs::the_back_office_speaks_finnish_and_swedish_without_internal_names_or_raw_timestamps`.)
// Tests: a failed unwrap is a failed run.
#![allow(clippy::unwrap_used)]

use std::path::Path;

/// Words a widget may show as they are in every language: key names, brands, currency and
/// printer-address syntax.
const SAME_IN_EVERY_LANGUAGE: &[&str] = &[
    "Ctrl", "Enter", "Esc", "Nets", "Connect", "Cloud", "kr", "tcp", "serial", "queue", "file",
    "COM", "NAME", "PATH", "OK", "PDF", "CSV", "SMTP", "SMS", "PIN", "Z", "X",
];

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn ui_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&dir).unwrap().display().to_string();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A Rust string literal starting at `chars[at]` (`"`): its text and the index after it.
fn literal(chars: &[char], at: usize) -> Option<(String, usize)> {
    if chars.get(at) != Some(&'"') {
        return None;
    }
    let mut text = String::new();
    let mut i = at + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                text.push(chars[i]);
                text.push(*chars.get(i + 1)?);
                i += 2;
            }
            '"' => return Some((text, i + 1)),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    None
}

fn skip_space(chars: &[char], mut at: usize) -> usize {
    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
        at += 1;
    }
    at
}

/// Every `["fi", "sv", "en"]` of a source file.
fn triples(text: &str) -> Vec<[String; 3]> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for start in 0..chars.len() {
        if chars[start] != '[' {
            continue;
        }
        let mut at = start + 1;
        let mut three = Vec::new();
        for n in 0..3 {
            at = skip_space(&chars, at);
            let Some((text, after)) = literal(&chars, at) else {
                break;
            };
            three.push(text);
            at = skip_space(&chars, after);
            if chars.get(at) == Some(&',') {
                at += 1;
            } else if n < 2 {
                break;
            }
        }
        at = skip_space(&chars, at);
        if three.len() == 3 && chars.get(at) == Some(&']') {
            found.push([three[0].clone(), three[1].clone(), three[2].clone()]);
        }
    }
    found
}

/// The program's texts as (fi, sv, en).
fn catalogue() -> Vec<[String; 3]> {
    let mut all = triples(&source("src/i18n/mod.rs"));
    all.extend(triples(&source("src/i18n/phrases.rs")));
    for (_, text) in ui_sources() {
        all.extend(triples(&text));
    }
    all
}

/// Words (runs of two or more letters) of a text, `{…}` placeholders left out.
fn words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// The pieces of a text that stand alone on screen: split at placeholders, colons, brackets,
/// dashes and line ends; only pieces with a word of four letters or more count.
fn pieces(text: &str) -> Vec<String> {
    text.split("{}")
        .flat_map(|part| part.split([':', '(', ')', '\n', '–', '·', '/', '|']))
        .map(|p| {
            p.trim()
                .trim_end_matches(['.', ',', '?', '!'])
                .trim()
                .to_string()
        })
        .filter(|p| {
            p.split(|c: char| !c.is_alphabetic())
                .any(|w| w.chars().count() >= 4)
        })
        .collect()
}

/// Calls that put their first (or, for `colored_label`, second) argument on screen.
const WIDGET_CALLS: &[&str] = &[
    ".label(",
    ".button(",
    ".heading(",
    ".small_button(",
    ".selectable_label(",
    ".checkbox(",
    ".hint_text(",
    ".on_hover_text(",
    ".colored_label(",
    ".menu_button(",
    "RichText::new(",
    "Window::new(",
    "Button::new(",
    "Label::new(",
];

/// Bare literals with words in them given to a widget: (file:line, text).
fn bare_literals() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (file, text) in ui_sources() {
        let chars: Vec<char> = text.chars().collect();
        let source: String = chars.iter().collect();
        for call in WIDGET_CALLS {
            let mut from = 0;
            while let Some(at) = source[from..].find(call) {
                let start = from + at + call.len();
                from = start;
                let index = source[..start].chars().count();
                let mut candidates = vec![skip_space(&chars, index)];
                if *call == ".colored_label(" {
                    // The colour first, then the text.
                    let mut i = index;
                    while i < chars.len() && chars[i] != ',' && chars[i] != ')' {
                        i += 1;
                    }
                    candidates.push(skip_space(&chars, i + 1));
                }
                for at in candidates {
                    let at = if chars.get(at) == Some(&'&') {
                        at + 1
                    } else {
                        at
                    };
                    if let Some((literal, _)) = literal(&chars, at) {
                        let foreign: Vec<String> = words(&literal)
                            .into_iter()
                            .filter(|w| !SAME_IN_EVERY_LANGUAGE.contains(&w.as_str()))
                            .collect();
                        if !foreign.is_empty() {
                            let line = source[..start].lines().count();
                            found.push((format!("src/ui/{file}:{line}"), literal));
                        }
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_text_has_three_translations_and_no_widget_gets_a_bare_literal() {
    // The readers themselves.
    assert_eq!(
        triples(r#"Lock => ["Lukitse", "Lås", "Lock"], t(lang, ["a", "b"])"#),
        [["Lukitse".to_string(), "Lås".into(), "Lock".into()]]
    );
    assert_eq!(words("{amount} (F{key}) Exact cash"), ["Exact", "cash"]);
    assert_eq!(pieces("{}: {} ({} {})"), Vec::<String>::new());
    assert_eq!(pieces("Paid by: {}"), ["Paid by"]);

    let catalogue = catalogue();
    assert!(
        catalogue.len() > 300,
        "only {} texts found",
        catalogue.len()
    );
    let mut missing = Vec::new();
    for [fi, sv, en] in &catalogue {
        if [fi, sv, en].iter().any(|t| t.trim().is_empty()) {
            missing.push(format!("an empty translation in {:?}", [fi, sv, en]));
        }
        // The same words in all three: a text nobody translated.
        let english: Vec<String> = words(en)
            .into_iter()
            .filter(|w| w.chars().count() >= 4 && !SAME_IN_EVERY_LANGUAGE.contains(&w.as_str()))
            .collect();
        if fi == en && sv == en && !english.is_empty() {
            missing.push(format!("not translated: {en:?}"));
        }
    }
    for (at, text) in bare_literals() {
        missing.push(format!(
            "{at}: a bare literal on screen: {text:?} (use tr or t)"
        ));
    }
    assert!(
        missing.is_empty(),
        "texts without their three translations:\n{}",
        missing.join("\n")
    );
}
