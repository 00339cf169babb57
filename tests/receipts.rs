//! Issue 13 end to end: cash rounding in the ledger, the shift, the Z and `verify`; the
//! customer's receipt; seller settings; copies.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use common::{Counter, stderr, stdout, with_user};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Adds price categories costing 12,51 € … 12,59 € (codes `c1`…`c9`) to the demo's first event.
fn odd_prices(counter: &Counter) {
    for n in 1..=9 {
        counter.execute(
            "INSERT INTO price_categories (event_id, code, name_fi, name_sv, name_en, price_cents, vat_class, sort_order)
             VALUES (1, ?1, 'Testi', 'Test', 'Test', ?2, 'culture', 10)",
            &[format!("c{n}").into(), (1250 + n).into()],
        );
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
    counter.tamper(
        &[("cash_roundings", "cash_roundings_no_update")],
        "UPDATE cash_roundings SET amount_cents = 3 WHERE id = 3",
    );
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
    let order = sale["order_number"].as_i64().unwrap();
    for amount in [0, 51, -51] {
        assert!(
            counter
                .try_execute(
                    "INSERT INTO cash_roundings (order_id, shift_id, amount_cents, created_at) VALUES (?1, 1, ?2, 'x')",
                    &[unrounded["order_number"].as_i64().unwrap().into(), amount.into()],
                )
                .is_err(),
            "{amount}"
        );
    }
    assert!(
        counter
            .try_execute(
                "INSERT INTO cash_roundings (order_id, shift_id, amount_cents, created_at) VALUES (?1, 1, 1, 'x')",
                &[order.into()],
            )
            .is_err(),
        "one rounding per sale"
    );
}

fn admin<'a>(args: &[&'a str]) -> Vec<&'a str> {
    with_user(args, "admin", "0000")
}

fn set_seller(counter: &Counter) {
    let out = counter.run(&admin(&[
        "register",
        "seller",
        "--name",
        "Helsingin Kamarikuoro ry",
        "--business-id",
        "0112038-9",
        "--address",
        "Mannerheimintie 13 A\\n00100 Helsinki",
        "--vat-number",
        "FI01120389",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn seller_settings_are_for_admins_checked_journaled_and_in_doctor() {
    let counter = Counter::demo();
    let out = counter.run(&with_user(
        &["register", "seller", "--name", "X"],
        "manager",
        "9999",
    ));
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    let out = counter.run(&admin(&[
        "register",
        "seller",
        "--business-id",
        "0112038-8",
    ]));
    assert!(
        stderr(&out).contains("not a valid business ID"),
        "{}",
        stderr(&out)
    );
    // The demo register has an open shift: its currency is fixed.
    let out = counter.run(&admin(&["register", "seller", "--currency", "SEK"]));
    assert!(
        stderr(&out).contains("currency cannot change"),
        "{}",
        stderr(&out)
    );
    let out = counter.run(&admin(&["register", "seller", "--receipt", "sometimes"]));
    assert!(!out.status.success());
    set_seller(&counter);
    let journaled: String = counter
        .sql()
        .query_row(
            "SELECT content FROM journal WHERE kind = 'register.seller' ORDER BY seq DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(journaled.contains("0112038-9"), "{journaled}");
    // Behind the program's back, the database still refuses a second currency.
    assert!(
        counter
            .try_execute("UPDATE register SET currency = 'SEK'", &[])
            .is_err()
    );
    let doctor = stdout(&counter.run(&["doctor"]));
    assert!(doctor.contains("seller.business_id: 0112038-9"), "{doctor}");
    assert!(doctor.contains("register.currency: EUR"), "{doctor}");
}

#[test]
fn a_receipt_prints_once_then_one_copy_and_a_second_copy_is_refused() {
    let counter = Counter::demo();
    set_seller(&counter);
    odd_prices(&counter);
    let sale = counter.sell_json(1, "c3=1,adult=1", "50");
    let order = sale["order_number"].as_i64().unwrap().to_string();
    let paper = counter.path().join("receipt.escpos");
    let to = format!("file:{}", paper.display());
    let print = |copy: bool| {
        let mut args = vec!["receipt", "print", order.as_str(), "--to", to.as_str()];
        if copy {
            args.push("--copy");
        }
        counter.run(&with_user(&args, "manager", "9999"))
    };
    let out = print(false);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&paper).unwrap();
    assert!(bytes.starts_with(&[0x1b, b'@', 0x1b, b't', 19]));
    assert!(bytes.ends_with(&[0x1d, b'V', 66, 0]));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("Y-tunnus 0112038-9"), "{text}");
    assert!(
        text.contains("Pyöristys".replace('ö', "\u{fffd}").as_str()),
        "{text}"
    );
    assert!(!text.contains("KOPIO"));
    // A second original is refused: after the original only a copy.
    let out = print(false);
    assert!(stderr(&out).contains("print a copy"), "{}", stderr(&out));
    let out = print(true);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&std::fs::read(&paper).unwrap()).into_owned();
    assert!(text.contains("KOPIO"), "{text}");
    let out = print(true);
    assert!(
        stderr(&out).contains("a second copy cannot be printed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("receipt_prints"), 2);
    let journaled: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM journal WHERE kind = 'receipt.print'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(journaled, 2);
    // The database refuses a second copy whatever program writes it.
    assert!(
        counter
            .try_execute(
                "INSERT INTO receipt_prints (receipt_id, kind, transport, created_at) VALUES (1, 'copy', 'x', 'x')",
                &[],
            )
            .is_err()
    );
    // A cashier may print the original of a sale but not a copy.
    let other = counter.sell_json(1, "adult=1", "40");
    let other = other["order_number"].as_i64().unwrap().to_string();
    let out = counter.run(&with_user(
        &["receipt", "print", &other, "--to", &to, "--copy"],
        "cashier",
        "1111",
    ));
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn training_and_refund_receipts_say_what_they_are() {
    let counter = Counter::demo();
    set_seller(&counter);
    let sale = counter.sell_json(1, "adult=2", "70");
    let order = sale["order_number"].as_i64().unwrap();
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let out = counter.run(&with_user(
        &[
            "refund",
            "--order",
            &order.to_string(),
            "--tickets",
            &code,
            "--reason",
            "customer_request",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&counter.run(&[
        "receipt",
        "show",
        &order.to_string(),
        "--refund",
        "--lang",
        "sv",
    ]));
    assert!(text.contains("RETUR"), "{text}");
    assert!(text.contains("Ursprungligt kvitto 1"), "{text}");
    assert!(text.contains("Kvitto 2"), "{text}");
    assert!(text.contains("-35,00 €"), "{text}");
    assert!(text.contains(&code), "{text}");

    let out = counter.run(&admin(&["register", "training", "on"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = counter.sell_json(1, "adult=1", "40");
    let text = stdout(&counter.run(&[
        "receipt",
        "show",
        &sale["order_number"].to_string(),
        "--lang",
        "en",
    ]));
    assert!(text.contains("TRAINING"), "{text}");
    assert!(text.contains("Not a receipt"), "{text}");
}

#[test]
fn a_swedish_register_rounds_cash_to_the_krona_and_writes_kronor() {
    let counter = Counter::empty();
    let out = counter.run(&["init", "--demo", "--currency", "SEK"]);
    assert!(out.status.success(), "{}", stderr(&out));
    odd_prices(&counter);
    // 12,53 kr in cash: 13 kr.
    let sale = counter.sell_json(1, "c3=1", "20");
    assert_eq!(sale["rounding_cents"], 47);
    assert_eq!(sale["change_cents"], 700);
    let text = stdout(&counter.run(&[
        "receipt",
        "show",
        &sale["order_number"].to_string(),
        "--lang",
        "sv",
    ]));
    assert!(text.contains("Öresavrundning"), "{text}");
    assert!(text.contains("13,00 kr"), "{text}");
    assert!(text.contains("0,47 kr"), "{text}");
    // Sweden's culture rate, 6 %, from the register's VAT data.
    assert!(text.contains("6 %"), "{text}");
    assert!(!text.contains('€'), "{text}");
    let out = counter.run(&["init", "--currency", "USD"]);
    // (On the shared ledger `init` is refused whatever it is given.)
    let refusal = match common::on_postgres() {
        true => "does not run on the shared ledger",
        false => "EUR or SEK",
    };
    assert!(stderr(&out).contains(refusal), "{}", stderr(&out));
    assert!(counter.run(&["verify"]).status.success());
}

/// Yesterday and tomorrow, so a test running over midnight still covers its rows.
fn around_today() -> (String, String) {
    let today = chrono::Local::now().date_naive();
    (
        (today - chrono::Days::new(1)).to_string(),
        (today + chrono::Days::new(1)).to_string(),
    )
}

fn xmllint(xml: &std::path::Path) -> std::process::Output {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/saft/Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd");
    std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(xml)
        .output_bounded()
        .expect("xmllint (libxml2-utils, scripts/setup-debian.sh) runs")
}

#[test]
fn the_saft_export_validates_against_the_official_schema_and_carries_the_z() {
    let counter = Counter::demo();
    set_seller(&counter);
    odd_prices(&counter);
    let sale = counter.sell_json(1, "c3=2,adult=1", "100"); // 60,06 € → 60,05 €
    assert_eq!(sale["rounding_cents"], -1);
    let order = sale["order_number"].as_i64().unwrap().to_string();
    let code = sale["tickets"][2]["code"].as_str().unwrap().to_string();
    let out = counter.run(&with_user(
        &[
            "refund",
            "--order",
            &order,
            "--tickets",
            &code,
            "--reason",
            "cancelled",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let paper = counter.path().join("r.escpos");
    let to = format!("file:{}", paper.display());
    for copy in [false, true] {
        let mut args = vec!["receipt", "print", order.as_str(), "--to", to.as_str()];
        if copy {
            args.push("--copy");
        }
        assert!(
            counter
                .run(&with_user(&args, "manager", "9999"))
                .status
                .success()
        );
    }
    assert!(
        counter
            .run(&admin(&["register", "training", "on"]))
            .status
            .success()
    );
    counter.sell_json(1, "adult=1", "40");
    assert!(
        counter
            .run(&admin(&["register", "training", "off"]))
            .status
            .success()
    );
    let x = json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")));
    let z = json(&counter.run(&with_user(
        &[
            "shift",
            "close",
            "--count",
            "100=2",
            "--end-of-day",
            "--json",
        ],
        "manager",
        "9999",
    )));
    assert_eq!(
        z["day_z"]["number"], 1,
        "the day's Z, made at its last close"
    );
    // X never changes the Z: the figures agree and the X wrote nothing.
    assert_eq!(x["audit"], z["audit"], "X {x}\nZ {z}");
    let audit = &z["audit"];
    assert_eq!(audit["copies"], 1);
    assert_eq!(audit["training_orders"], 1);
    assert_eq!(audit["refunds"], 1);
    assert_eq!(audit["grand_total_sales_cents"], 6006);
    assert_eq!(audit["per_group"][0][2], 3);

    let (from, to) = around_today();
    let file = counter.path().join("saft.xml");
    let out = counter.run(&with_user(
        &[
            "export",
            "saft",
            "--from",
            &from,
            "--to",
            &to,
            "--out",
            file.to_str().unwrap(),
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let check = xmllint(&file);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    let xml = std::fs::read_to_string(&file).unwrap();
    for needle in [
        "<companyIdent>0112038-9</companyIdent>",
        "<reportType>Z report</reportType>",
        "<eventType>ZREP</eventType>",
        "<reportType>X report</reportType>",
        "<eventID>S1</eventID>",
        "<roundingAmnt>-0.01</roundingAmnt>",
        "<paidAmnt>60.05</paidAmnt>",
        "<transType>RETURNSAL</transType>",
        "<refID>Receipt 1</refID>",
        "<reportReceiptCopyNum>1</reportReceiptCopyNum>",
        "<reportTrainingNum>1</reportTrainingNum>",
        "<reportGrandTotalSales>60.06</reportGrandTotalSales>",
        "<trainingID>true</trainingID>",
        "<curCode>EUR</curCode>",
    ] {
        assert!(xml.contains(needle), "{needle} missing");
    }
    // The validator does refuse a file that breaks the schema (a transaction without its
    // signature), so the check above means something.
    let broken = counter.path().join("broken.xml");
    let cut = xml.replacen("<keyVersion>journal-sha256</keyVersion>", "", 1);
    std::fs::write(&broken, cut).unwrap();
    assert!(!xmllint(&broken).status.success());

    let csv = stdout(&counter.run(&with_user(
        &["export", "csv", "--from", &from, "--to", &to],
        "manager",
        "9999",
    )));
    assert!(
        csv.starts_with("record,number,at,kind,user,order,hash,content\n"),
        "{csv}"
    );
    assert!(csv.contains("\nz,1,"), "{csv}");
    assert!(csv.contains("\nday_z,1,"), "{csv}");
    assert!(csv.contains(",cash.rounding,"), "{csv}");
    // Cashiers do not export.
    let out = counter.run(&with_user(
        &["export", "saft", "--from", &from, "--to", &to],
        "cashier",
        "1111",
    ));
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    let out = counter.run(&with_user(
        &["export", "saft", "--from", "yesterday", "--to", &to],
        "manager",
        "9999",
    ));
    assert!(!out.status.success());
}

#[test]
fn with_the_setting_always_the_receipt_prints_after_the_sale_and_never_prints_nothing() {
    let counter = Counter::demo();
    set_seller(&counter);
    let paper = counter.path().join("receipts.escpos");
    let printer = format!("file:{}", paper.display());
    let out = counter.run(&admin(&[
        "register",
        "seller",
        "--receipt",
        "always",
        "--receipt-printer",
        &printer,
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = counter.sell_json(1, "adult=1", "40");
    assert_eq!(sale["receipt_printed"], printer.as_str(), "{sale}");
    let bytes = std::fs::read(&paper).unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("Y-tunnus 0112038-9"));
    assert_eq!(counter.count("receipt_prints"), 1);
    // The original was printed: the receipt key now gives only the copy.
    let order = sale["order_number"].to_string();
    let out = counter.run(&with_user(&["receipt", "print", &order], "cashier", "1111"));
    assert!(stderr(&out).contains("print a copy"), "{}", stderr(&out));

    let out = counter.run(&admin(&["register", "seller", "--receipt", "never"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = counter.sell_json(1, "adult=1", "40");
    assert!(sale.get("receipt_printed").is_none(), "{sale}");
    assert_eq!(counter.count("receipt_prints"), 1);
    // A printer that cannot be reached never undoes the sale.
    let out = counter.run(&admin(&[
        "register",
        "seller",
        "--receipt",
        "always",
        "--receipt-printer",
        "tcp:127.0.0.1:9",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let orders = counter.count("orders");
    let sale = counter.sell_json(1, "adult=1", "40");
    assert!(sale["receipt_print_error"].is_string(), "{sale}");
    assert_eq!(counter.count("orders"), orders + 1);
}

#[test]
fn a_cash_refund_pays_out_rounded_and_the_drawer_and_verify_agree() {
    let counter = Counter::demo();
    odd_prices(&counter);
    let sale = counter.sell_json(1, "c3=1", "20"); // 12,53 € → 12,55 € in cash
    assert_eq!(sale["rounding_cents"], 2);
    let order = sale["order_number"].to_string();
    let out = counter.run(&with_user(
        &[
            "refund",
            "--order",
            &order,
            "--reason",
            "cancelled",
            "--json",
        ],
        "manager",
        "9999",
    ));
    let refund = json(&out);
    assert_eq!(refund["amount_cents"], 1253, "{refund}");
    assert_eq!(refund["rounding_cents"], 2, "{refund}");
    let x = json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")));
    assert_eq!(x["refund_rounding_cents"], 2);
    assert_eq!(x["tenders"][0]["sales_cents"], 1255);
    assert_eq!(x["tenders"][0]["refunds_cents"], 1255);
    assert_eq!(x["tenders"][0]["expected_cents"], 15000);
    let text = stdout(&counter.run(&["receipt", "show", &order, "--refund"]));
    assert!(text.contains("Pyöristys"), "{text}");
    assert!(text.contains("-12,55 €"), "{text}");
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // A refund rounding that breaks the rule is named.
    counter.tamper(
        &[("cash_roundings", "cash_roundings_no_update")],
        "UPDATE cash_roundings SET amount_cents = -3 WHERE refund_id IS NOT NULL",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("rounding"), "{}", stderr(&out));
}

#[test]
fn the_drawer_count_takes_only_the_registers_notes_and_coins() {
    let counter = Counter::empty();
    assert!(
        counter
            .run(&["init", "--demo", "--currency", "SEK"])
            .status
            .success()
    );
    counter.sell_json(1, "adult=1", "40"); // 35,00 kr
    let out = counter.run(&with_user(
        &["shift", "close", "--count", "0.50=1"],
        "manager",
        "9999",
    ));
    assert!(
        stderr(&out).contains("not a Swedish krona note or coin"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("z_reports"), 0);
    let z = json(&counter.run(&with_user(
        &[
            "shift",
            "close",
            "--count",
            "100=1,50=1,20=1,10=1,5=1",
            "--json",
        ],
        "manager",
        "9999",
    )));
    assert_eq!(z["tenders"][0]["counted_cents"], 18500);
    assert_eq!(z["tenders"][0]["variance_cents"], 0);

    // A Finnish register has no 1 and 2 cent coins at the counter.
    let counter = Counter::demo();
    let out = counter.run(&with_user(
        &["shift", "close", "--count", "0.02=1"],
        "manager",
        "9999",
    ));
    assert!(
        stderr(&out).contains("not a euro note or coin"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_receipt_prints_on_the_ticket_printer_in_its_language_from_the_same_layout() {
    let counter = Counter::demo();
    set_seller(&counter);
    let sale = counter.sell_json(1, "adult=1", "40");
    let order = sale["order_number"].to_string();
    let paper = counter.path().join("ticket-printer.prn");
    let to = format!("file:{}", paper.display());
    let out = counter.run(&with_user(
        &["receipt", "print", &order, "--to", &to, "--language", "zpl"],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let zpl = String::from_utf8_lossy(&std::fs::read(&paper).unwrap()).into_owned();
    assert!(zpl.starts_with("^XA"), "{zpl}");
    assert!(zpl.contains("Y-tunnus 0112038-9"), "{zpl}");
    // The same layout on the other language, as the copy.
    let out = counter.run(&with_user(
        &[
            "receipt",
            "print",
            &order,
            "--to",
            &to,
            "--language",
            "fingerprint",
            "--copy",
        ],
        "manager",
        "9999",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let fingerprint = String::from_utf8_lossy(&std::fs::read(&paper).unwrap()).into_owned();
    assert!(fingerprint.contains("KOPIO"), "{fingerprint}");
    assert!(fingerprint.contains("PRPOS "), "{fingerprint}");
    assert!(fingerprint.contains("Y-tunnus 0112038-9"), "{fingerprint}");
    let out = counter.run(&with_user(
        &["receipt", "print", &order, "--to", &to, "--language", "pdf"],
        "cashier",
        "1111",
    ));
    assert!(
        stderr(&out).contains("escpos, fingerprint or zpl"),
        "{}",
        stderr(&out)
    );
}
