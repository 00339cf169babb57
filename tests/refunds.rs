//! Refunds through the CLI: tickets, partial amounts, the whole order; never more than paid.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout};

fn refund(counter: &Counter, extra: &[&str], user: &str, pin: &str) -> std::process::Output {
    let mut args = vec!["refund"];
    args.extend_from_slice(extra);
    args.extend(["--user", user, "--pin", pin, "--json"]);
    counter.run(&args)
}

fn ok_json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn tickets_partial_amounts_and_the_rest_add_up_to_what_was_paid() {
    let counter = Counter::demo();
    let sale = counter.sell_json(2, "adult=2,child=1", "50"); // 18,50 + 18,50 + 9,00
    let codes: Vec<String> = sale["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(counter.remaining(2), 297);

    let first = ok_json(&refund(
        &counter,
        &[
            "--order",
            "1",
            "--tickets",
            &codes[0],
            "--reason",
            "customer_request",
        ],
        "manager",
        "9999",
    ));
    assert_eq!(first["amount_cents"], 1850);
    assert_eq!(
        first["receipt_number"], 2,
        "a refund gets the next receipt number"
    );
    assert_eq!(first["revoked_tickets"][0], codes[0].as_str());
    assert_eq!(
        counter.remaining(2),
        298,
        "the refunded seat is on sale again"
    );

    // The same ticket twice: refused, nothing written.
    let journal = counter.count("journal");
    let out = refund(
        &counter,
        &[
            "--order",
            "1",
            "--tickets",
            &codes[0],
            "--reason",
            "duplicate",
        ],
        "manager",
        "9999",
    );
    assert!(
        stderr(&out).contains("already refunded"),
        "{}",
        stderr(&out)
    );
    // More than is left: refused.
    let out = refund(
        &counter,
        &[
            "--order",
            "1",
            "--amount",
            "27,51",
            "--reason",
            "wrong_price",
        ],
        "manager",
        "9999",
    );
    assert!(stderr(&out).contains("At most 27,50 €"), "{}", stderr(&out));
    assert_eq!(counter.count("journal"), journal);

    // Two partial amounts: the second one does not refund every line again.
    let a = ok_json(&refund(
        &counter,
        &["--order", "1", "--amount", "10", "--reason", "wrong_price"],
        "manager",
        "9999",
    ));
    let b = ok_json(&refund(
        &counter,
        &[
            "--order",
            "1",
            "--amount",
            "10,00",
            "--reason",
            "wrong_price",
        ],
        "manager",
        "9999",
    ));
    assert_eq!(
        (a["amount_cents"].as_i64(), b["amount_cents"].as_i64()),
        (Some(1000), Some(1000))
    );
    assert_eq!(b["refundable_left_cents"], 750);
    assert!(
        a["revoked_tickets"].as_array().unwrap().is_empty(),
        "money-only refunds keep the tickets"
    );

    let rest = ok_json(&refund(
        &counter,
        &["--order", "1", "--reason", "cancelled"],
        "manager",
        "9999",
    ));
    assert_eq!(rest["amount_cents"], 750);
    assert_eq!(rest["revoked_tickets"].as_array().unwrap().len(), 2);
    let out = refund(
        &counter,
        &["--order", "1", "--reason", "cancelled"],
        "manager",
        "9999",
    );
    assert!(
        stderr(&out).contains("Nothing is left to refund"),
        "{}",
        stderr(&out)
    );

    // The ledger adds up: refunds = paid, per line never more than the line.
    let sql = counter.sql();
    let refunded: i64 = sql
        .query_row("SELECT sum(amount_cents) FROM refunds", [], |r| r.get(0))
        .unwrap();
    assert_eq!(refunded, 4600);
    let over: i64 = sql
        .query_row(
            "SELECT count(*) FROM order_lines l WHERE (SELECT sum(amount_cents) FROM refund_lines r WHERE r.line_id = l.id) > l.gross_cents
                 OR (SELECT sum(quantity) FROM refund_lines r WHERE r.line_id = l.id) > l.quantity",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(over, 0);

    // order show says why each ticket no longer validates.
    let out = counter.run(&["order", "show", "1", "--json"]);
    let order: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(order["refunded_cents"], 4600);
    assert_eq!(order["refunds"].as_array().unwrap().len(), 4);
    for ticket in order["tickets"].as_array().unwrap() {
        assert_eq!(ticket["state"], "revoked");
        assert!(
            ticket["revoked_because"]
                .as_str()
                .unwrap()
                .starts_with("refunded (receipt"),
            "{ticket}"
        );
    }
    let text = stdout(&counter.run(&["order", "show", "1"]));
    assert!(
        text.contains(&format!(
            "ticket {} no longer valid: refunded (receipt 2, customer_request)",
            codes[0]
        )),
        "{text}"
    );

    // The drawer paid it out: the X report expects the float only.
    let x: serde_json::Value = serde_json::from_slice(
        &counter
            .run(&["shift", "x", "--json", "--user", "manager", "--pin", "9999"])
            .stdout,
    )
    .unwrap();
    assert_eq!(x["tenders"][0]["refunds_cents"], 4600);
    assert_eq!(x["tenders"][0]["expected_cents"], 15000);
    assert_eq!(
        (x["first_receipt"].as_i64(), x["last_receipt"].as_i64()),
        (Some(1), Some(5))
    );
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn refunds_need_the_right_and_the_right_pin() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    for (user, pin, expected) in [
        ("cashier", "1111", "not allowed"),
        ("staff", "2222", "not allowed"),
        ("manager", "0000", "Wrong PIN"),
    ] {
        let out = refund(
            &counter,
            &["--order", "1", "--reason", "cancelled"],
            user,
            pin,
        );
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{user}: {}", stderr(&out));
    }
    let out = refund(
        &counter,
        &["--order", "7", "--reason", "cancelled"],
        "manager",
        "9999",
    );
    assert!(
        stderr(&out).contains("There is no order 7"),
        "{}",
        stderr(&out)
    );
    let out = refund(
        &counter,
        &[
            "--order",
            "1",
            "--tickets",
            "NOTATICKET",
            "--reason",
            "cancelled",
        ],
        "manager",
        "9999",
    );
    assert!(
        stderr(&out).contains("not part of this order"),
        "{}",
        stderr(&out)
    );
    let out = refund(
        &counter,
        &["--order", "1", "--reason", " "],
        "manager",
        "9999",
    );
    assert!(stderr(&out).contains("Give a reason"), "{}", stderr(&out));
    assert_eq!(counter.count("refunds"), 0);
    assert_eq!(counter.count("receipts"), 1);
}

#[test]
fn a_refund_cannot_pay_out_more_cash_than_the_drawer_holds() {
    let counter = Counter::demo();
    counter.sell_json(3, "adult=10", "185"); // 185,00 €; drawer 150 + 185
    let out = counter.run(&[
        "shift",
        "cash-out",
        "--amount",
        "300",
        "--reason",
        "to the safe",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = refund(
        &counter,
        &["--order", "1", "--reason", "cancelled"],
        "manager",
        "9999",
    );
    assert!(
        stderr(&out).contains("The drawer holds only 35,00 €"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("refunds"), 0);
}

#[test]
fn verify_names_a_tampered_refund() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=2", "50");
    ok_json(&refund(
        &counter,
        &["--order", "1", "--amount", "5", "--reason", "wrong_price"],
        "manager",
        "9999",
    ));
    counter.tamper(
        &[("refunds", "refunds_no_update")],
        "UPDATE refunds SET amount_cents = 50",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("journal entry 4: the rows of refund 1 no longer match"),
        "{}",
        stderr(&out)
    );
}

/// `verify` reads refunds ahead of their entries, several at a time: each is still compared with
/// its own entry, and a changed one after unchanged ones is the one named.
#[test]
fn verify_names_a_tampered_refund_among_several() {
    let counter = Counter::demo();
    for _ in 0..3 {
        counter.sell_json(2, "adult=2", "50");
    }
    for order in ["1", "2", "3"] {
        ok_json(&refund(
            &counter,
            &["--order", order, "--amount", "5", "--reason", "wrong_price"],
            "manager",
            "9999",
        ));
    }
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    counter.tamper(
        &[("refunds", "refunds_no_update")],
        "UPDATE refunds SET reason_text = 'kept the money' WHERE id = 3",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the rows of refund 3 no longer match"),
        "{}",
        stderr(&out)
    );

    // A refund whose rows are gone, between two that are there, is named as missing (its entry
    // comes before the changed one's).
    counter.tamper(
        &[
            ("refunds", "refunds_no_delete"),
            ("refund_lines", "refund_lines_no_delete"),
            ("refund_tickets", "refund_tickets_no_delete"),
            ("receipts", "receipts_no_update"),
            ("operations", "operations_no_delete"),
            ("cash_roundings", "cash_roundings_no_delete"),
        ],
        "DELETE FROM operations WHERE refund_id = 2;
         DELETE FROM cash_roundings WHERE refund_id = 2;
         DELETE FROM refund_lines WHERE refund_id = 2;
         DELETE FROM refund_tickets WHERE refund_id = 2;
         UPDATE receipts SET refund_id = NULL WHERE refund_id = 2;
         DELETE FROM refunds WHERE id = 2;",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("refund 2 is missing from the ledger"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_cashier_refunds_with_a_manager_pin_given_in_place_and_both_are_journaled() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let base = [
        "refund",
        "--order",
        "1",
        "--reason",
        "customer_request",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        counter.run(&args)
    };
    let out = with(&["--manager", "staff", "--manager-pin", "2222"]);
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    let out = with(&["--manager", "manager", "--manager-pin", "1234"]);
    assert!(stderr(&out).contains("Wrong PIN"), "{}", stderr(&out));
    assert_eq!(counter.count("refunds"), 0);
    let out = with(&["--manager", "manager", "--manager-pin", "9999"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (user, authorised_by): (String, String) = counter
        .sql()
        .query_row(
            "SELECT u.name, a.name FROM refunds r JOIN users u ON u.id = r.user_id JOIN users a ON a.id = r.authorised_by",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (user.as_str(), authorised_by.as_str()),
        ("cashier", "manager")
    );
    let content: String = counter
        .sql()
        .query_row(
            "SELECT content FROM journal WHERE kind = 'refund'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        content.contains("\"authorised_by\":3") && content.contains("\"user_id\":1"),
        "{content}"
    );
}

#[test]
fn a_refunded_ticket_no_longer_validates_and_says_why() {
    let counter = Counter::demo();
    let sale = counter.sell_json(2, "adult=2", "50");
    let code = sale["tickets"][0]["code"].as_str().unwrap();
    let other = sale["tickets"][1]["code"].as_str().unwrap();
    let out = counter.run(&["ticket", "check", code]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("valid: The Heath Cobblers"),
        "{}",
        stdout(&out)
    );

    let out = counter.run(&[
        "refund",
        "--order",
        "1",
        "--tickets",
        code,
        "--reason",
        "customer_request",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(
        stdout(&out).contains("refund receipt 2 for order 1 (original receipt 1): -18,50 €"),
        "{}",
        stdout(&out)
    );
    let out = counter.run(&["ticket", "check", &code.to_lowercase(), "--json"]);
    assert!(!out.status.success());
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["state"], "revoked");
    assert_eq!(
        status["reason"],
        "refunded (refund receipt 2, customer_request)"
    );
    assert!(
        counter.run(&["ticket", "check", other]).status.success(),
        "the other ticket stays valid"
    );
    let out = counter.run(&["ticket", "check", "ZZZZZZZZZZZZZZZZ"]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("unknown: no such ticket"),
        "{}",
        stdout(&out)
    );
}
