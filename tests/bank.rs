//! `boxoffice bank …`: the Verkkomaksu computations against vectors computed independently by
//! Python's hashlib (run here) and the vector in DESIGN.md.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use common::{Counter, stderr, stdout};

const KEY: &str = "jumCLB4T2ceZWGJ9ztjuhn5FaeZnTm5HpfDXWU2APRqfDcsrBs8mqkFARzm7uXKd";

/// Runs a Python expression with `hashlib` imported and returns what it prints.
fn python(expression: &str) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", &format!("import hashlib; print({expression})")])
        .output_bounded()
        .expect("python3 is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn bank(args: &[&str]) -> std::process::Output {
    let mut all = vec!["bank"];
    all.extend_from_slice(args);
    Counter::empty().run(&all)
}

#[test]
fn request_mac_matches_design_and_python() {
    let ok_url = "https://payment.checkout.fi/07mhA0Uybd/fi/confirm?ORDER=11831869&ORDERMAC=A33F99E42E465A8D598BD8FD46F71CAE";
    let cancel_url = "https://payment.checkout.fi/07mhA0Uybd/fi/back";
    let out = bank(&[
        "sign-request",
        "--secret",
        KEY,
        "--merchant",
        "000000000000",
        "--amount",
        "2.00",
        "--reference",
        "123696650",
        "--version",
        "3",
        "--currency",
        "EUR",
        "--ok-url",
        ok_url,
        "--cancel-url",
        cancel_url,
        "--due",
        "09.01.2014",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "4031b379fb6f26df277fc64d77baa42d9d96844040275544c15364b6ec46c36b\n"
    );

    let out = bank(&[
        "sign-request",
        "--secret",
        KEY,
        "--merchant",
        "000000000000",
        "--amount",
        "100,00",
        "--reference",
        "1232",
        "--version",
        "4",
        "--currency",
        "EUR",
        "--ok-url",
        "http://127.0.0.1:8080/ok",
        "--cancel-url",
        "http://127.0.0.1:8080/cancel",
        "--due",
        "25.11.2026",
    ]);
    let expected = python(&format!(
        "hashlib.sha256('{KEY}&100,00&1232&000000000000&4&EUR&http://127.0.0.1:8080/ok&http://127.0.0.1:8080/cancel&25.11.2026&'.encode()).hexdigest()"
    ));
    assert_eq!(stdout(&out).trim(), expected);
}

#[test]
fn replies_are_verified_and_tampered_ones_refused() {
    let signed = |viite: &str, summa: &str, status: &str| {
        python(&format!(
            "hashlib.sha256('{KEY}&{viite}&{summa}&{status}&000000000000&4&EUR&25.11.2026&'.encode()).hexdigest().upper()"
        ))
    };
    let mac = signed("1232", "100,00", "0");
    let reply = |summa: &str, status: &str, mac: &str| {
        format!(
            "KNRO=000000000000&VALUUTTA=EUR&VIITE=1232&SUMMA={summa}&VERSIO=4&STATUS={status}&TARKISTE={mac}&MTAPA=1&ERAPAIVA=25.11.2026"
        )
    };
    let out = bank(&[
        "verify-response",
        "--secret",
        KEY,
        &reply("100,00", "0", &mac),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok 1232 100,00\n");

    let out = bank(&[
        "verify-response",
        "--secret",
        KEY,
        &reply("1,00", "0", &mac),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not signed with our key"),
        "{}",
        stderr(&out)
    );
    let failed = signed("1232", "100,00", "1");
    let out = bank(&[
        "verify-response",
        "--secret",
        KEY,
        &reply("100,00", "1", &failed),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("status 1"), "{}", stderr(&out));
    let out = bank(&[
        "verify-response",
        "--secret",
        KEY,
        "KNRO=000000000000&VIITE=1232",
    ]);
    assert!(stderr(&out).contains("has no VALUUTTA"), "{}", stderr(&out));
    let out = bank(&[
        "verify-response",
        "--secret",
        "another-key",
        &reply("100,00", "0", &mac),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn query_code_and_reference_numbers() {
    let out = bank(&[
        "query-code",
        "--secret",
        KEY,
        "--merchant",
        "000000000000",
        "--reference",
        "123696650",
    ]);
    let expected = python(&format!(
        "hashlib.sha256('{KEY}&000000000000&123696650&'.encode()).hexdigest()"
    ));
    assert_eq!(stdout(&out).trim(), expected);

    assert_eq!(
        stdout(&bank(&["reference", "new", "12369665"])),
        "123696650\n"
    );
    assert!(bank(&["reference", "check", "123696650"]).status.success());
    for (bad, reason) in [
        ("123", "at least 4"),
        ("123456789012345678901", "at most 20"),
        ("12a4", "only digits"),
        ("123696651", "should be 0"),
    ] {
        let out = bank(&["reference", "check", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(stderr(&out).contains(reason), "{bad}: {}", stderr(&out));
    }
    // ISO 11649 computed independently: int(ref + "2715" + "00") mod 97.
    let check = python("98 - int('123696650' + '271500') % 97");
    assert_eq!(
        stdout(&bank(&["reference", "rf", "123696650"])).trim(),
        format!("RF{check:0>2}123696650")
    );
    // Finance Finland: a national reference's leading zeros are removed before it goes into the
    // RF form; the guide's shortest example is 0013 → RF41 13.
    assert_eq!(stdout(&bank(&["reference", "rf", "0013"])).trim(), "RF4113");
    assert_eq!(
        stdout(&bank(&["reference", "rf", "00000 00123 69665 0"])).trim(),
        format!("RF{check:0>2}123696650")
    );
}

mod fuzz {
    use boxoffice::domain::Money;
    use boxoffice::payments::query::{QueryOutcome, interpret_reply};
    use boxoffice::payments::reference::ReferenceNumber;
    use boxoffice::payments::verkkomaksu::{Reply, query_pairs};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever arrives at OKURL, parsing and verifying answer with a value, never a panic.
        #[test]
        fn reply_parsers_never_panic(query in "\\PC{0,200}") {
            let _ = query_pairs(&query);
            if let Ok(reply) = Reply::parse(&query) {
                let _ = reply.verify(&["key"]);
            }
        }

        /// Replies built from the real field names with arbitrary values.
        #[test]
        fn structured_replies_never_panic(
            values in proptest::collection::vec("[%0-9A-Za-z,.&=+ ]{0,24}", 9)
        ) {
            let names = ["KNRO", "VALUUTTA", "VIITE", "SUMMA", "VERSIO", "STATUS", "TARKISTE", "MTAPA", "ERAPAIVA"];
            let query: Vec<String> = names.iter().zip(&values).map(|(n, v)| format!("{n}={v}")).collect();
            if let Ok(reply) = Reply::parse(&query.join("&")) {
                prop_assert!(reply.verify(&["key"]).is_err() || reply.status == "0");
            }
        }

        /// Whatever the query endpoint answers, it is read as an outcome or an error, never a panic;
        /// "paid" only when the reply names our reference, amount and currency.
        #[test]
        fn query_replies_never_panic(
            values in proptest::collection::vec("[%0-9A-Za-z,.&=+ ]{0,12}", 6),
            body in "\\PC{0,120}",
        ) {
            let _ = interpret_reply(&body, "1232", "000000000000", Money::from_cents(1000));
            let names = ["ReturnCode", "Refno", "Amount", "Currency", "PayStatus", "MerchantID"];
            let reply: Vec<String> = names.iter().zip(&values).map(|(n, v)| format!("{n}={v}")).collect();
            if let Ok(QueryOutcome::Paid { amount, .. }) =
                interpret_reply(&reply.join("&"), "1232", "000000000000", Money::from_cents(1000))
            {
                prop_assert_eq!(amount, Money::from_cents(1000));
            }
        }

        #[test]
        fn reference_parsing_never_panics(text in "\\PC{0,30}") {
            if let Ok(reference) = ReferenceNumber::parse(&text) {
                prop_assert!(ReferenceNumber::parse(reference.as_str()).is_ok());
                prop_assert!(reference.rf().starts_with("RF"));
            }
        }
    }
}
