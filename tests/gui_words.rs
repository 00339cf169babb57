//! Issue 17: every user-facing text in Finnish, Swedish and English, and no internal name, raw
//! timestamp or English left on a Finnish or Swedish screen.
//!
//! Two sides: the source (every text is a `[fi, sv, en]` triple — `tr`'s table, the phrases, the
//! screens' own `t(lang, [..])` — and no widget gets a bare literal with words in it), and the
//! screens (every screen of the app, reached as an admin in Finnish and in Swedish, read
//! through the accessibility tree: nothing that is an English text of the program, nothing
//! that only a programmer should see).
// Tests: a failed unwrap is a failed run.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use boxoffice::i18n::{Lang, Text, tr};
use boxoffice::ui::{BoxOfficeApp, Screen};
use common::Counter;
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};

const SMALL: [f32; 2] = [1280.0, 768.0];

/// The demo's users: names on screen that are data.
const DEMO_USERS: &[&str] = &["cashier", "staff", "manager", "admin"];

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

/// Text on screen that only a programmer should see: snake_case names, raw ISO timestamps,
/// seat keys like `stalls:1:9`, chrono's minimum date, ledger states left untranslated.
fn internal_text(text: &str, lang: Lang) -> Option<&'static str> {
    let chars: Vec<char> = text.chars().collect();
    for window in chars.windows(3) {
        if window[0].is_ascii_lowercase() && window[1] == '_' && window[2].is_ascii_lowercase() {
            return Some("a snake_case name");
        }
    }
    for window in chars.windows(6) {
        if window[0].is_ascii_digit()
            && window[1].is_ascii_digit()
            && window[2] == 'T'
            && window[3].is_ascii_digit()
            && window[4].is_ascii_digit()
            && window[5] == ':'
        {
            return Some("a raw timestamp");
        }
    }
    if text.contains("-262143") || text.contains("+00:00") || text.ends_with('Z') && text.len() > 18
    {
        return Some("a raw timestamp");
    }
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() == 3
        && !parts[0].is_empty()
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Some("a seat key");
    }
    let ledger_words = [
        "valid",
        "revoked",
        "refunded",
        "reissued",
        "training",
        "open",
        "paid",
        "released",
        "cancelled",
        "cash",
        "card",
        "bank",
        "queued",
        "sent",
        "retry",
        "failed",
        "pending",
        "unknown",
        "purchase",
        "refund",
    ];
    if lang != Lang::En && ledger_words.contains(&text.trim()) {
        return Some("an untranslated ledger word");
    }
    None
}

/// The English pieces of the program's texts that are not also pieces of `lang`'s texts.
fn english_only(lang: Lang) -> BTreeSet<String> {
    let index = match lang {
        Lang::Fi => 0,
        Lang::Sv => 1,
        Lang::En => 2,
    };
    let catalogue = catalogue();
    let own: BTreeSet<String> = catalogue.iter().flat_map(|t| pieces(&t[index])).collect();
    catalogue
        .iter()
        .flat_map(|t| pieces(&t[2]))
        .filter(|p| !own.contains(p))
        .collect()
}

/// Everything on screen (labels and values; not what is typed into fields) in `lang`: no
/// internal name, no raw timestamp, no English text of the program.
fn assert_words(
    harness: &Harness<'_, BoxOfficeApp>,
    lang: Lang,
    english: &BTreeSet<String>,
    what: &str,
) {
    let mut seen = 0;
    for node in harness.query_all(by().predicate(|n| {
        !matches!(
            n.role(),
            Role::TextInput | Role::PasswordInput | Role::MultilineTextInput
        )
    })) {
        for text in [node.accesskit_node().label(), node.value()]
            .into_iter()
            .flatten()
        {
            seen += 1;
            if let Some(why) = internal_text(&text, lang) {
                panic!("{what} in {lang:?}: {why} on screen: {text:?}");
            }
            for piece in pieces(&text) {
                // The demo's user names are data, not the program's words.
                if DEMO_USERS.contains(&piece.as_str()) {
                    continue;
                }
                assert!(
                    !english.contains(&piece),
                    "{what} in {lang:?}: English on screen: {piece:?} (in {text:?})"
                );
            }
        }
    }
    assert!(seen > 3, "{what}: nothing on screen");
}

fn wait_until(
    harness: &mut Harness<'_, BoxOfficeApp>,
    what: &str,
    done: impl Fn(&Harness<'_, BoxOfficeApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(3);
}

fn key(harness: &mut Harness<'_, BoxOfficeApp>, key: Key) {
    harness.key_press(key);
    harness.run_steps(2);
}

fn ctrl(harness: &mut Harness<'_, BoxOfficeApp>, key: Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    harness.run_steps(2);
}

fn open_menu(harness: &mut Harness<'_, BoxOfficeApp>, lang: Lang, item: &str) {
    harness.get_by_label(tr(lang, Text::More)).click();
    harness.run_steps(2);
    harness
        .get_all_by_label_contains(item)
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
}

/// Lets the service thread answer what the screen asked for (device loads have no busy flag).
fn settle(harness: &mut Harness<'_, BoxOfficeApp>) {
    for _ in 0..40 {
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(2);
}

#[test]
fn every_screen_speaks_finnish_and_swedish_without_english_or_internal_names() {
    let counter = Counter::demo();
    // A sale and a reservation from the command line, so the lists have rows.
    let sale = counter.sell_json(2, "adult=1", "20");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    for lang in [Lang::Fi, Lang::Sv] {
        let english = english_only(lang);
        let check = |harness: &mut Harness<'_, BoxOfficeApp>, what: &str| {
            harness.run_steps(3);
            assert_words(harness, lang, &english, what);
        };
        let data_dir = counter.path().to_path_buf();
        let mut harness = Harness::builder()
            .with_size(SMALL)
            .build_eframe(move |cc| BoxOfficeApp::new(&cc.egui_ctx, data_dir));
        wait_until(&mut harness, "the login screen", |h| {
            h.state().screen == Screen::Login
        });
        harness.get_by_label(lang.native_name()).click();
        harness.run_steps(2);
        check(&mut harness, "login");
        harness
            .get_by_role_and_label(Role::TextInput, tr(lang, Text::User))
            .type_text("admin");
        harness.run_steps(1);
        harness
            .get_by_role_and_label(Role::PasswordInput, tr(lang, Text::Pin))
            .focus();
        harness.run_steps(1);
        harness
            .get_by_role_and_label(Role::PasswordInput, tr(lang, Text::Pin))
            .type_text("0000");
        key(&mut harness, Key::Enter);
        wait_until(&mut harness, "the sell screen", |h| {
            h.state().screen == Screen::Sell && !h.state().busy
        });
        settle(&mut harness);
        // No shift yet: the shift window asks for one.
        if harness.state().shift_window.open {
            check(&mut harness, "shift prompt");
            key(&mut harness, Key::Escape);
        }
        check(&mut harness, "sell");

        // A sale: the cash dialog, the receipt.
        key(&mut harness, Key::F1);
        key(&mut harness, Key::F1);
        check(&mut harness, "sell with a cart");
        key(&mut harness, Key::F10);
        key(&mut harness, Key::F1);
        check(&mut harness, "cash dialog");
        key(&mut harness, Key::Enter);
        wait_until(&mut harness, "the receipt or the refusal", |h| {
            h.state().screen == Screen::Receipt || h.state().message.is_some()
        });
        check(&mut harness, "receipt (or the refusal)");
        key(&mut harness, Key::Escape);
        key(&mut harness, Key::Escape);
        key(&mut harness, Key::Escape);

        key(&mut harness, Key::F11);
        harness
            .get_by_role_and_label(Role::TextInput, tr(lang, Text::Search))
            .type_text(&code);
        key(&mut harness, Key::Enter);
        wait_until(&mut harness, "the order", |h| {
            h.state().refund_panel.order.is_some()
        });
        check(&mut harness, "refund panel with an order");
        key(&mut harness, Key::F11);

        key(&mut harness, Key::F12);
        wait_until(&mut harness, "the X report", |h| {
            matches!(h.state().shift_window.report, Some(Some(_)))
        });
        check(&mut harness, "shift window");
        key(&mut harness, Key::Escape);

        ctrl(&mut harness, Key::P);
        harness
            .get_by_role_and_label(Role::TextInput, tr(lang, Text::FindOrder))
            .type_text(&code);
        wait_until(&mut harness, "the order to reprint", |h| {
            !h.state().reprint.orders.is_empty()
        });
        check(&mut harness, "reprint");
        key(&mut harness, Key::Escape);

        ctrl(&mut harness, Key::R);
        wait_until(&mut harness, "the reservations", |h| {
            h.state().reservations.list.is_some()
        });
        check(&mut harness, "reservations");
        key(&mut harness, Key::Escape);

        ctrl(&mut harness, Key::I);
        wait_until(&mut harness, "the statuses", |h| {
            h.state()
                .operations
                .statuses
                .as_ref()
                .is_some_and(|s| !s.is_empty())
        });
        check(&mut harness, "status");
        key(&mut harness, Key::Escape);

        open_menu(&mut harness, lang, tr(lang, Text::Reports));
        wait_until(&mut harness, "the sales report", |h| {
            !h.state().reports.tables.is_empty()
        });
        check(&mut harness, "sales report");
        key(&mut harness, Key::Escape);

        open_menu(&mut harness, lang, tr(lang, Text::Users));
        wait_until(&mut harness, "the users", |h| {
            h.state().users.users.is_some()
        });
        check(&mut harness, "users");
        key(&mut harness, Key::Escape);

        open_menu(&mut harness, lang, tr(lang, Text::Printers));
        wait_until(&mut harness, "the printers", |h| {
            h.state().printers.printers.is_some()
        });
        check(&mut harness, "printers");
        key(&mut harness, Key::Escape);

        open_menu(&mut harness, lang, tr(lang, Text::MailSettings));
        wait_until(&mut harness, "the mail servers", |h| {
            !h.state().mail.settings.servers.is_empty()
        });
        check(&mut harness, "mail settings");
        key(&mut harness, Key::Escape);

        open_menu(&mut harness, lang, tr(lang, Text::CardResolve));
        wait_until(&mut harness, "the card payments to resolve", |h| {
            h.state().pending_card.open
        });
        check(&mut harness, "card payments to resolve");
        key(&mut harness, Key::Escape);

        for (what, item) in [
            ("devices", ["Laitteet", "Enheter"]),
            ("seat plans", ["Paikkakartat", "Platskartor"]),
            (
                "receipt settings",
                ["Kuittiasetukset", "Kvittoinställningar"],
            ),
        ] {
            open_menu(&mut harness, lang, item[usize::from(lang == Lang::Sv)]);
            settle(&mut harness);
            check(&mut harness, what);
            key(&mut harness, Key::Escape);
        }

        // The play's 300-seat map with seats in the cart.
        key(&mut harness, Key::ArrowDown);
        wait_until(&mut harness, "the seat map", |h| {
            h.state().seat_map.view.is_some()
        });
        key(&mut harness, Key::F1);
        ctrl(&mut harness, Key::A);
        wait_until(&mut harness, "the best seats", |h| !h.state().busy);
        check(&mut harness, "seat map");
    }
}
