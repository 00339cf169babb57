//! One numbered Z per register per day of trading (issue 13): the day's Z covers every shift of
//! the day, is made once (a second is refused by the program and by the database), a closed day
//! takes no more shifts, a day left without its Z gets it when the next day opens, and X reports
//! and later shifts never change it. The real binary on a real ledger file; "yesterday" is the
//! real binary run a day back under libfaketime.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout, with_user};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn manager<'a>(args: &[&'a str]) -> Vec<&'a str> {
    with_user(args, "manager", "9999")
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[test]
fn one_z_per_trading_day_covers_every_shift_and_a_second_is_refused() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=2,child=1", "50"); // 46,00 €
    counter.sell_json(1, "adult=1", "40"); // 35,00 €

    // The first shift's close is that shift's report, not the day's Z.
    let first = json(&counter.run(&manager(&[
        "shift",
        "close",
        "--count",
        "100=2,20=1,10=1,1=1",
        "--json",
    ])));
    assert_eq!(first["kind"], "Z");
    assert_eq!(first["number"], 1);
    assert!(first.get("day_z").is_none(), "{first}");
    assert!(first.get("day").is_none(), "{first}");
    assert_eq!(counter.count("day_z_reports"), 0);

    // A second shift the same day; its X report and its close with --end-of-day.
    let out = counter.run(&with_user(
        &["shift", "open", "--float", "100"],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    counter.sell_json(2, "senior=1", "15"); // 15,00 €
    let x = json(&counter.run(&with_user(&["shift", "x", "--json"], "cashier", "1111")));
    assert_eq!(x["kind"], "X");
    let text = stdout(&counter.run(&manager(&[
        "shift",
        "close",
        "--count",
        "100=1,10=1,5=1",
        "--end-of-day",
    ])));
    assert!(text.starts_with("shift report 2  "), "{text}");
    assert!(
        text.contains("\nZ 1  ") && text.contains(&format!("day {}, shifts 1, 2", today())),
        "{text}"
    );

    // The day's Z: number 1, both shifts, their sums.
    let day = json(&counter.run(&manager(&["shift", "day", "1", "--json"])));
    assert_eq!(day["kind"], "Z");
    assert_eq!(day["number"], 1);
    assert_eq!(day["day"]["trading_day"], today());
    assert_eq!(day["day"]["shifts"], serde_json::json!([1, 2]));
    assert_eq!(day["day"]["shift_reports"], serde_json::json!([1, 2]));
    assert_eq!(day["gross_cents"], 4600 + 3500 + 1500);
    assert_eq!(day["orders"], 3);
    assert_eq!(
        (day["first_receipt"].as_i64(), day["last_receipt"].as_i64()),
        (Some(1), Some(3))
    );
    assert_eq!(day["float_cents"], 15000 + 10000);
    assert_eq!(day["tenders"][0]["tender"], "cash");
    assert_eq!(day["tenders"][0]["sales_cents"], 9600);
    assert_eq!(
        day["tenders"][0]["expected_cents"],
        15000 + 8100 + 10000 + 1500
    );
    assert_eq!(day["tenders"][0]["counted_cents"], 23100 + 11500);
    assert_eq!(day["vat"][0]["gross_cents"], 9600);
    assert_eq!(day["audit"]["payments"][0][1], 3);
    assert!(day["journal_head"]["seq"].as_i64().unwrap() > 0);
    assert_eq!(counter.count("day_z_reports"), 1);
    let journaled: String = counter
        .sql()
        .query_row(
            "SELECT content FROM journal WHERE kind = 'day.z'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&journaled).unwrap(),
        day
    );

    // A second Z for the day is refused; so is a shift on a closed day. Nothing is written.
    let journal = counter.count("journal");
    let out = counter.run(&manager(&["shift", "end-day"]));
    assert!(
        stderr(&out).contains("Every trading day with shifts has its Z report already"),
        "{}",
        stderr(&out)
    );
    let out = counter.run(&manager(&["shift", "end-day", "--day", &today()]));
    assert!(
        stderr(&out).contains("already has its Z report (1)"),
        "{}",
        stderr(&out)
    );
    let out = counter.run(&with_user(
        &["shift", "open", "--float", "100"],
        "cashier",
        "1111",
    ));
    assert!(
        stderr(&out).contains("already has its Z report (1)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("journal"), journal);

    // Reading it again (and an X attempt) changes nothing; verify passes.
    let out = counter.run(&with_user(&["shift", "x"], "cashier", "1111"));
    assert!(!out.status.success());
    assert_eq!(
        json(&counter.run(&manager(&["shift", "day", "1", "--json"]))),
        day
    );
    let csv = stdout(&counter.run(&manager(&["shift", "day", "1", "--csv"])));
    assert!(
        csv.contains(&format!("report,trading_day,{}\n", today()))
            && csv.contains("report,shifts,1 2\n"),
        "{csv}"
    );
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_database_refuses_a_second_z_for_a_day_a_gap_a_change_and_a_shift_on_a_closed_day() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let out = counter.run(&manager(&[
        "shift",
        "close",
        "--count",
        "100=1,50=1,10=1,5=1,2=1,0.50=1",
        "--end-of-day",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let refused = |statement: &str, expected: &str| {
        let error = counter.try_batch(statement).unwrap_err();
        assert!(error.contains(expected), "{statement}: {error}");
    };
    let copy = "INSERT INTO day_z_reports (register_id, number, trading_day, first_shift_id, last_shift_id, shifts,
                    closed_by, closed_at, first_receipt, last_receipt, content)
                SELECT register_id, NUMBER, DAY, first_shift_id, last_shift_id, shifts, closed_by, closed_at,
                       first_receipt, last_receipt, content FROM day_z_reports";
    let with = |number: &str, day: &str| copy.replace("NUMBER", number).replace("DAY", day);
    refused(&with("2", "trading_day"), "already has its Z report");
    refused(
        &with("2", "'2999-01-01'"),
        "covers every shift of its trading day",
    );
    refused(
        "UPDATE day_z_reports SET content = '{}'",
        "day_z_reports is append-only",
    );
    refused("DELETE FROM day_z_reports", "day_z_reports is append-only");
    refused(
        "INSERT INTO shifts (register_id, opened_by, opened_at, float_cents)
         SELECT register_id, opened_by, opened_at, 0 FROM shifts",
        "already has its Z report",
    );
    assert_eq!(counter.count("day_z_reports"), 1);
    // The numbering rule on its own (the other rules, which a made-up day breaks too, dropped).
    counter.drop_triggers(&[
        ("day_z_reports", "day_z_reports_whole_day"),
        ("day_z_reports", "day_z_reports_one_per_day"),
    ]);
    refused(&with("3", "'2999-01-01'"), "numbered gaplessly");
    counter.try_batch(&with("2", "'2999-01-01'")).unwrap();
}

#[test]
fn a_changed_day_z_is_named_by_verify() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=1", "20");
    let out = counter.run(&manager(&[
        "shift",
        "close",
        "--count",
        "100=1,50=1,10=1,5=1,2=1,0.50=1",
        "--end-of-day",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    counter.tamper(
        &[("day_z_reports", "day_z_reports_no_update")],
        "UPDATE day_z_reports SET content = replace(content, '\"orders\":1', '\"orders\":2')",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("day Z report 1 (") && stderr(&out).contains("no longer matches"),
        "{}",
        stderr(&out)
    );
}

/// libfaketime, if installed (scripts/setup-debian.sh installs it).
fn faketime() -> std::path::PathBuf {
    let path = std::path::PathBuf::from("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    assert!(
        path.exists(),
        "libfaketime is missing: run scripts/setup-debian.sh (package faketime)"
    );
    path
}

#[test]
fn a_day_left_without_its_z_gets_it_when_the_next_day_opens() {
    let counter = Counter::empty();
    let yesterday = |args: &[&str]| {
        counter
            .command(args)
            .env("LD_PRELOAD", faketime())
            .env("FAKETIME", "-1d")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .output()
            .unwrap()
    };
    // Yesterday: the demo's shift, a sale, the close without --end-of-day.
    assert!(yesterday(&["init", "--demo"]).status.success());
    let out = yesterday(&with_user(
        &[
            "sell",
            "--performance",
            "2",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "20",
            "--json",
        ],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let sold: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = yesterday(&manager(&[
        "shift",
        "close",
        "--count",
        "100=1,50=1,10=1,5=1,2=1,0.50=1",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(counter.count("day_z_reports"), 0);
    let yesterday_date = (chrono::Local::now().date_naive() - chrono::Days::new(1)).to_string();

    // Today's first shift: yesterday gets its Z first, in the same transaction.
    let out = counter.run(&with_user(
        &["shift", "open", "--float", "100"],
        "cashier",
        "1111",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let day1 = json(&counter.run(&manager(&["shift", "day", "1", "--json"])));
    assert_eq!(day1["day"]["trading_day"], yesterday_date);
    assert_eq!(day1["day"]["shifts"], serde_json::json!([1]));
    assert_eq!(day1["gross_cents"], sold["total_cents"]);

    // Today: a sale, the close, then the day's Z by the explicit command: number 2.
    let today_sale = counter.sell_json(2, "adult=2", "50");
    let out = counter.run(&manager(&["shift", "close", "--count", "100=1,20=2"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let made = json(&counter.run(&manager(&["shift", "end-day", "--json"])));
    assert_eq!(made.as_array().map(Vec::len), Some(1), "{made}");
    assert_eq!(made[0]["number"], 2);
    assert_eq!(made[0]["day"]["trading_day"], today());
    assert_eq!(made[0]["day"]["shifts"], serde_json::json!([2]));
    assert_eq!(made[0]["gross_cents"], today_sale["total_cents"]);
    assert_eq!(made[0]["first_receipt"], 2);
    // Yesterday's Z did not change.
    assert_eq!(
        json(&counter.run(&manager(&["shift", "day", "1", "--json"]))),
        day1
    );
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
