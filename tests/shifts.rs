//! Shifts and the drawer end to end: float, cash in/out, X, Z with a counted drawer, gapless numbers.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout, with_user};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn a_whole_shift_from_float_to_z_report() {
    let counter = Counter::demo();
    // The demo shift is open with a 150,00 € float.
    let out = counter.run(&with_user(
        &["shift", "open", "--float", "100"],
        "cashier",
        "1111",
    ));
    assert!(stderr(&out).contains("already open"), "{}", stderr(&out));

    counter.sell_json(2, "adult=2,child=1", "50"); // 46,00 €
    counter.sell_json(1, "adult=1", "40"); // 35,00 €

    let out = counter.run(&with_user(
        &[
            "shift",
            "cash-in",
            "--amount",
            "20,00",
            "--reason",
            "change from the bank",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("251,00 €"), "{}", stdout(&out));
    let out = counter.run(&with_user(
        &["shift", "cash-out", "--amount", "10", "--reason", "x"],
        "cashier",
        "1111",
    ));
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    let out = counter.run(&with_user(
        &[
            "shift",
            "cash-out",
            "--amount",
            "300",
            "--reason",
            "to the safe",
        ],
        "manager",
        "9999",
    ));
    assert!(
        stderr(&out).contains("holds only 251,00 €"),
        "{}",
        stderr(&out)
    );
    let out = counter.run(&with_user(
        &[
            "shift",
            "cash-out",
            "--amount",
            "200",
            "--reason",
            "to the safe",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = counter.run(&with_user(
        &["shift", "drawer", "--reason", "coin roll"],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = counter.run(&with_user(
        &["shift", "cash-in", "--amount", "-5", "--reason", "x"],
        "manager",
        "9999",
    ));
    assert!(!out.status.success());
    let out = counter.run(&with_user(
        &["shift", "cash-in", "--amount", "5", "--reason", " "],
        "manager",
        "9999",
    ));
    assert!(stderr(&out).contains("Give a reason"), "{}", stderr(&out));

    let journal_before = counter.count("journal");
    let x = json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")));
    assert_eq!(
        counter.count("journal"),
        journal_before,
        "the X report writes nothing"
    );
    assert_eq!(x["kind"], "X");
    assert_eq!(x["gross_cents"], 8100);
    assert_eq!(
        x["tenders"][0]["expected_cents"],
        15000 + 8100 + 2000 - 20000
    );
    assert_eq!(x["drawer_opens"], 1);
    assert_eq!(
        (x["first_receipt"].as_i64(), x["last_receipt"].as_i64()),
        (Some(1), Some(2))
    );

    // Closing needs a manager and a valid count; bad counts write nothing.
    let out = counter.run(&with_user(
        &["shift", "close", "--count", "50=1"],
        "cashier",
        "1111",
    ));
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    for (count, expected) in [
        ("20=-1", "whole number"),
        ("20=x", "whole number"),
        ("30=1", "not a euro note"),
        ("20", "DENOMINATION=NUMBER"),
    ] {
        let out = counter.run(&with_user(
            &["shift", "close", "--count", count],
            "manager",
            "9999",
        ));
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{count}: {}", stderr(&out));
    }
    assert_eq!(counter.count("z_reports"), 0);

    // Expected 51,00 €; counted 50 + 0,50 × 1 = 50,50 €: 0,50 € short.
    let z = json(&counter.run(&with_user(
        &[
            "shift",
            "close",
            "--count",
            "50=1,0.50=1",
            "--comment",
            "one coin short",
            "--json",
        ],
        "manager",
        "9999",
    )));
    assert_eq!(z["kind"], "Z");
    assert_eq!(z["number"], 1);
    assert_eq!(z["tenders"][0]["expected_cents"], 5100);
    assert_eq!(z["tenders"][0]["counted_cents"], 5050);
    assert_eq!(z["tenders"][0]["variance_cents"], -50);
    assert_eq!(z["comment"], "one coin short");
    assert_eq!(z["vat"][0]["gross_cents"], 8100);

    // Closed twice: there is nothing open. Selling needs a shift.
    let out = counter.run(&with_user(
        &["shift", "close", "--count", "50=1"],
        "manager",
        "9999",
    ));
    assert!(
        stderr(&out).contains("No shift is open"),
        "{}",
        stderr(&out)
    );
    let out = counter.sell(2, "adult=1", "20");
    assert!(
        stderr(&out).contains("No shift is open"),
        "{}",
        stderr(&out)
    );

    // The next shift continues the receipt numbers; its Z is number 2.
    let out = counter.run(&with_user(
        &["shift", "open", "--float", "100,00"],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    counter.sell_json(2, "senior=1", "15");
    let csv = stdout(&counter.run(&with_user(
        &["shift", "close", "--count", "100=1,10=1,5=1", "--csv"],
        "manager",
        "9999",
    )));
    assert!(csv.starts_with("section,item,value\n"), "{csv}");
    assert!(
        csv.contains("report,number,2\n") && csv.contains("receipts,first,3\n"),
        "{csv}"
    );
    assert!(
        csv.contains("tender:cash,expected,115.00\n")
            && csv.contains("tender:cash,variance,0.00\n"),
        "{csv}"
    );

    // A Z report reads back unchanged; the ledger verifies with the anchor in place.
    let again = json(&counter.run(&with_user(
        &["shift", "z", "1", "--json"],
        "manager",
        "9999",
    )));
    assert_eq!(again, z);
    assert!(counter.path().join("journal-anchor.json").exists());
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn cutting_the_journal_after_a_z_report_is_caught_by_the_anchor() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let out = counter.run(&with_user(
        &[
            "shift",
            "close",
            "--count",
            "100=1,50=1,10=1,5=1,2=1,0.50=1",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    // Entries: init, demo, sale, Z = 4. Remove the Z entry, its report and the sale's receipt trail.
    counter.tamper(
        &[
            ("journal", "journal_no_delete"),
            ("z_reports", "z_reports_no_delete"),
        ],
        "DELETE FROM journal WHERE seq = 4; DELETE FROM z_reports",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("journal entry 4: is missing: the journal ends at entry 3"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_changed_z_report_is_named_by_verify() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let out = counter.run(&with_user(
        &[
            "shift",
            "close",
            "--count",
            "100=1,50=1,10=1,5=1,2=1,0.50=1",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    counter.tamper(
        &[("z_reports", "z_reports_no_update")],
        "UPDATE z_reports SET content = replace(content, '\"comment\":null', '\"comment\":\"all fine\"')",
    );
    let out = counter.run(&["verify"]);
    assert!(
        stderr(&out).contains("journal entry 4: Z report 1 no longer matches"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_manager_action_is_refused_to_a_cashier_alone_and_allowed_with_a_manager_pin() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let as_cashier = |args: &[&str], approval: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--user", "cashier", "--pin", "1111"]);
        all.extend_from_slice(approval);
        counter.run(&all)
    };
    let actions: [&[&str]; 5] = [
        &["shift", "cash-in", "--amount", "10", "--reason", "change"],
        &["shift", "cash-out", "--amount", "10", "--reason", "safe"],
        &["shift", "drawer", "--reason", "coins"],
        &[
            "refund",
            "--order",
            "1",
            "--amount",
            "1",
            "--reason",
            "wrong_price",
        ],
        &[
            "shift",
            "close",
            "--count",
            "100=1,50=1,10=1,5=1,2=1,1=1,0.50=1",
        ],
    ];
    let journal = counter.count("journal");
    for action in actions {
        let out = as_cashier(action, &[]);
        assert!(
            stderr(&out).contains("not allowed"),
            "{action:?}: {}",
            stderr(&out)
        );
        let out = as_cashier(action, &["--manager", "staff", "--manager-pin", "2222"]);
        assert!(
            stderr(&out).contains("not allowed"),
            "staff approving {action:?}: {}",
            stderr(&out)
        );
    }
    for forbidden in [
        &["report", "sales"][..],
        &["register", "training", "on"],
        &["user", "list"],
    ] {
        let out = as_cashier(forbidden, &[]);
        assert!(
            stderr(&out).contains("not allowed"),
            "{forbidden:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(
        counter.count("journal"),
        journal,
        "refused actions write nothing"
    );
    for action in actions {
        let out = as_cashier(action, &["--manager", "manager", "--manager-pin", "9999"]);
        assert!(out.status.success(), "{action:?}: {}", stderr(&out));
    }
    let close: String = counter
        .sql()
        .query_row(
            "SELECT content FROM journal WHERE kind = 'shift.close'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        close.contains("\"closed_by\":\"cashier (manager)\""),
        "{close}"
    );
    let drawer: String = counter
        .sql()
        .query_row(
            "SELECT content FROM journal WHERE kind = 'shift.drawer_open'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        drawer.contains("\"authorised_by\":3") && !drawer.contains("\"user_id\""),
        "{drawer}"
    );
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn x_and_z_reports_of_a_swedish_register_write_kronor() {
    let counter = Counter::empty();
    let out = counter.run(&["init", "--demo", "--currency", "SEK"]);
    assert!(out.status.success(), "{}", stderr(&out));
    counter.sell_json(2, "adult=1", "50");
    let x = counter.run(&with_user(&["shift", "x"], "cashier", "1111"));
    assert!(x.status.success(), "{}", stderr(&x));
    let text = String::from_utf8_lossy(&x.stdout).to_string();
    assert!(text.contains(" kr"), "{text}");
    assert!(!text.contains('€'), "{text}");
    let z = counter.run(&with_user(
        &["shift", "close", "--count", "500=1"],
        "manager",
        "9999",
    ));
    assert!(z.status.success(), "{}", stderr(&z));
    let text = String::from_utf8_lossy(&z.stdout).to_string();
    assert!(text.contains(" kr"), "{text}");
    assert!(!text.contains('€'), "{text}");
    assert!(counter.run(&["verify"]).status.success());
}

/// The Z figures sum an unbroken run of the shift's orders in SQL and check order by order when
/// other orders lie between them (issue 16): both give the same figures.
#[test]
fn a_training_sale_between_the_shifts_sales_stays_out_of_its_figures() {
    let counter = Counter::demo();
    let x = |counter: &Counter| {
        json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")))
    };
    let training = |on: &str| {
        let out = counter.run(&with_user(&["register", "training", on], "admin", "0000"));
        assert!(out.status.success(), "{}", stderr(&out));
    };
    counter.sell_json(2, "adult=2,child=1", "50"); // 46,00 €
    counter.sell_json(1, "adult=1", "40"); // 35,00 €
    let unbroken = x(&counter);
    assert_eq!(unbroken["gross_cents"], 8100);
    assert_eq!(unbroken["vat"][0]["gross_cents"], 8100);

    training("on");
    counter.sell_json(1, "adult=1", "40");
    training("off");
    counter.sell_json(1, "adult=1", "40"); // 35,00 €
    let broken = x(&counter);
    assert_eq!(broken["gross_cents"], 11600, "{broken}");
    assert_eq!(broken["vat"][0]["gross_cents"], 11600, "{broken}");
    assert_eq!(
        broken["tenders"][0]["expected_cents"],
        unbroken["tenders"][0]["expected_cents"].as_i64().unwrap() + 3500,
        "{broken}"
    );
}

/// The X report's figures come from the shift's running sums, which the database adds to on
/// every real receipt (migration 0022): they are what the shift's rows add up to through cash
/// sales, two VAT rates in one order, a refund and a training sale, and `verify` holds the sums
/// to the rows, naming a changed sum or a sum of a shift that has no receipt.
#[test]
fn the_x_report_is_what_the_shifts_rows_add_up_to_and_verify_holds_the_sums_to_them() {
    let counter = Counter::demo();
    let x = || json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")));
    let first = counter.sell_json(1, "adult=2", "100");
    counter.sell_json(4, "adult=1,parking=1,child=2", "200"); // 13,5 % and 25,5 %
    let refund = counter.run(&with_user(
        &[
            "refund",
            "--order",
            &first["order_number"].to_string(),
            "--reason",
            "cancelled",
        ],
        "manager",
        "9999",
    ));
    assert!(refund.status.success(), "{}", stderr(&refund));
    let training = |on: &str| {
        let out = counter.run(&with_user(&["register", "training", on], "admin", "0000"));
        assert!(out.status.success(), "{}", stderr(&out));
    };
    training("on");
    counter.sell_json(4, "parking=3", "40");
    training("off");
    counter.sell_json(2, "child=1", "20");
    let report = x();
    let shift_id = report["shift_id"].as_i64().unwrap();

    // The same figures summed from the rows here, the way an auditor would.
    let sql = counter.sql();
    let sales = "FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
                 WHERE r.kind = 'sale' AND r.training = 0 AND r.shift_id = ?1";
    let (orders, tickets, gross): (i64, i64, i64) = sql
        .query_row(
            &format!(
                "SELECT count(DISTINCT r.order_id), sum(l.quantity), sum(l.gross_cents) {sales}"
            ),
            [shift_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (orders, tickets),
        (3, 7),
        "three real sales of 2, 4 and 1 tickets"
    );
    assert_eq!(report["orders"], orders, "{report}");
    assert_eq!(report["tickets"], tickets, "{report}");
    assert_eq!(report["gross_cents"], gross, "{report}");
    let vat: Vec<serde_json::Value> = sql
        .prepare(&format!(
            "SELECT l.vat_basis_points, sum(l.net_cents), sum(l.vat_cents), sum(l.gross_cents) {sales}
             GROUP BY l.vat_basis_points ORDER BY l.vat_basis_points"
        ))
        .unwrap()
        .query_map([shift_id], |row| {
            Ok(serde_json::json!({"vat_basis_points": row.get::<_, i64>(0)?,
                "net_cents": row.get::<_, i64>(1)?, "vat_cents": row.get::<_, i64>(2)?,
                "gross_cents": row.get::<_, i64>(3)?}))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(vat.len(), 2, "two VAT rates");
    assert_eq!(report["vat"], serde_json::Value::Array(vat), "{report}");
    let (receipts, low, high): (i64, i64, i64) = sql
        .query_row(
            "SELECT count(*), min(number), max(number) FROM receipts WHERE training = 0 AND shift_id = ?1",
            [shift_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(receipts, 4, "three sales and the refund");
    assert_eq!(
        (
            &report["receipts"],
            &report["first_receipt"],
            &report["last_receipt"]
        ),
        (&receipts.into(), &low.into(), &high.into()),
        "{report}"
    );
    let cash: i64 = sql
        .query_row(
            "SELECT sum(p.amount_cents) FROM receipts r JOIN payments p ON p.order_id = r.order_id
             WHERE r.kind = 'sale' AND r.training = 0 AND r.shift_id = ?1 AND p.state = 'approved'",
            [shift_id],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(report["tenders"][0]["sales_cents"], cash, "{report}");
    assert_eq!(report["tenders"][0]["refunds_cents"], 7000, "{report}");
    let ok = counter.run(&["verify"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    // A sum changed behind the program's back, then a sum of a shift without receipts.
    counter
        .try_batch(&format!(
            "UPDATE shift_sums SET gross_cents = gross_cents + 100
             WHERE shift_id = {shift_id} AND vat_basis_points = 1350"
        ))
        .unwrap();
    let out = counter.run(&["verify"]);
    assert!(!out.status.success(), "verify passed a changed sum");
    assert!(
        stderr(&out).contains(&format!("shift {shift_id}'s running sums (shift_sums)")),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        x()["gross_cents"],
        gross + 100,
        "the X report reads the sums"
    );
    counter
        .try_batch(&format!(
            "UPDATE shift_sums SET gross_cents = gross_cents - 100
             WHERE shift_id = {shift_id} AND vat_basis_points = 1350"
        ))
        .unwrap();
    let ok = counter.run(&["verify"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let out = with_user(&["shift", "close", "--count", "100=1"], "manager", "9999");
    assert!(counter.run(&out).status.success());
    let out = counter.run(&with_user(
        &["shift", "open", "--float", "0"],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    counter
        .try_batch(&format!(
            "INSERT INTO shift_sums (shift_id, vat_basis_points, receipts, first_receipt,
                 last_receipt, orders)
             SELECT max(id), -1, 1, 99, 99, 1 FROM shifts WHERE id > {shift_id}"
        ))
        .unwrap();
    let out = counter.run(&["verify"]);
    assert!(
        stderr(&out).contains("running sums (shift_sums) are not what its receipts add up to")
            && stderr(&out).contains("the rows give no row"),
        "{}",
        stderr(&out)
    );
}

/// The running sums changed before a close and put back after it: the Z report made from them is
/// journaled as it was made, but `verify` holds every closed shift's report to its rows and names it.
#[test]
fn a_z_report_made_from_changed_running_sums_is_named_by_verify() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    counter
        .try_batch(
            "UPDATE shift_sums SET gross_cents = gross_cents - 1000 WHERE vat_basis_points >= 0",
        )
        .unwrap();
    let out = counter.run(&with_user(
        &["shift", "close", "--count", "100=1"],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    counter
        .try_batch(
            "UPDATE shift_sums SET gross_cents = gross_cents + 1000 WHERE vat_basis_points >= 0",
        )
        .unwrap();
    let out = counter.run(&["verify"]);
    assert!(
        !out.status.success(),
        "verify passed a Z report the rows do not give"
    );
    assert!(
        stderr(&out).contains(
            "Z report 1 (shift 1): its gross_cents is not what the shift's rows add up to"
        ),
        "{}",
        stderr(&out)
    );
}
