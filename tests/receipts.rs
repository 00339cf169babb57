//! Issue 13 end to end: cash rounding in the ledger, the shift, the Z and `verify`; the
//! customer's receipt; seller settings; copies.

mod common;

use common::{Counter, stderr, stdout, with_user};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Adds price categories costing 12,51 € … 12,59 € (codes `c1`…`c9`) to the demo's first event.
fn odd_prices(counter: &Counter) {
    let sql = counter.sql();
    for n in 1..=9 {
        sql.execute(
            "INSERT INTO price_categories (event_id, code, name_fi, name_sv, name_en, price_cents, vat_class, sort_order)
             VALUES (1, ?1, 'Testi', 'Test', 'Test', ?2, 'culture', 10)",
            rusqlite::params![format!("c{n}"), 1250 + n],
        )
        .unwrap();
    }
}

#[test]
fn cash_totals_ending_in_every_cent_round_to_five_cents_and_the_z_and_verify_agree() {
    let counter = Counter::demo();
    odd_prices(&counter);
    // 12,5n € in cash: 1–2 cents down, 3–4 up, 6–7 down, 8–9 up.
    let roundings = [-1, -2, 2, 1, 0, -1, -2, 2, 1];
    let mut drawer = 0;
    let mut rounding_total = 0;
    for n in 1..=9 {
        let sale = counter.sell_json(1, &format!("c{n}=1"), "20");
        let want = roundings[n - 1];
        assert_eq!(sale["total_cents"], 1250 + n as i64, "c{n}");
        assert_eq!(sale["rounding_cents"], want, "c{n}: {sale}");
        assert_eq!(
            sale["change_cents"],
            2000 - (1250 + n as i64 + want),
            "c{n}: {sale}"
        );
        drawer += 1250 + n as i64 + want;
        rounding_total += want;
    }
    // Two more ending in 3 cents, so the shift's rounding is not zero by chance.
    for _ in 0..2 {
        counter.sell_json(1, "c3=1", "12,55");
        drawer += 1255;
        rounding_total += 2;
    }
    assert_eq!(counter.count("cash_roundings"), 10);
    // Each rounding is journaled in the sale's transaction.
    let journaled: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'cash.rounding'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(journaled, 10);

    let x = json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")));
    assert_eq!(x["cash_rounding_cents"], rounding_total);
    assert_eq!(x["tenders"][0]["sales_cents"], drawer);
    assert_eq!(x["tenders"][0]["expected_cents"], 15000 + drawer);
    let out = counter.run(&with_user(&["shift", "x"], "cashier", "1111"));
    assert!(
        stdout(&out).contains("cash rounding: sales 0,04 €"),
        "{}",
        stdout(&out)
    );

    let expected = 15000 + drawer;
    let count = format!("0.05={}", expected / 5);
    let z = json(&counter.run(&with_user(
        &["shift", "close", "--count", &count, "--json"],
        "manager",
        "9999",
    )));
    assert_eq!(z["cash_rounding_cents"], rounding_total);
    assert_eq!(z["tenders"][0]["expected_cents"], expected);
    assert_eq!(z["tenders"][0]["variance_cents"], 0);
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));

    // A rounding changed behind the program's back is named by verify.
    let sql = counter.sql();
    sql.execute_batch(
        "DROP TRIGGER cash_roundings_no_update;
         UPDATE cash_roundings SET amount_cents = 3 WHERE id = 3;",
    )
    .unwrap();
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cash rounding of order 3"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn a_short_cash_tender_is_refused_and_the_database_bounds_roundings() {
    let counter = Counter::demo();
    odd_prices(&counter);
    // 12,53 € needs 12,55 € in cash: 12,54 € is refused and nothing is written.
    let orders = counter.count("orders");
    let out = counter.sell(1, "c3=1", "12,54");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("0,01 €"), "{}", stderr(&out));
    assert_eq!(counter.count("orders"), orders);
    assert_eq!(counter.count("cash_roundings"), 0);
    // The database refuses a rounding of more than half a krona, and a second one per sale.
    let sale = counter.sell_json(1, "c3=1", "12,55");
    assert_eq!(sale["rounding_cents"], 2);
    let unrounded = counter.sell_json(1, "c5=1", "20");
    assert_eq!(unrounded["rounding_cents"], 0);
    let sql = counter.sql();
    let order = sale["order_number"].as_i64().unwrap();
    for amount in [0, 51, -51] {
        assert!(
            sql.execute(
                "INSERT INTO cash_roundings (order_id, shift_id, amount_cents, created_at) VALUES (?1, 1, ?2, 'x')",
                rusqlite::params![unrounded["order_number"].as_i64().unwrap(), amount],
            )
            .is_err(),
            "{amount}"
        );
    }
    assert!(
        sql.execute(
            "INSERT INTO cash_roundings (order_id, shift_id, amount_cents, created_at) VALUES (?1, 1, 1, 'x')",
            [order],
        )
        .is_err(),
        "one rounding per sale"
    );
}
