//! The day's Z on the shared ledger (issues 13 and 15): each register of a venue closes its own
//! trading days, numbered gaplessly per register; a day left without its Z gets it when that
//! register's next day opens; a second Z for a day is refused by the program and by the
//! database's triggers; `verify` passes and names a day Z changed behind the program's back.
//! Real `boxoffice` processes on a real PostgreSQL; "yesterday" is the real binary run a day back
//! under libfaketime.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::venue::{Venue, json};
use common::{Bounded, stderr, with_user};

fn manager<'a>(args: &[&'a str]) -> Vec<&'a str> {
    with_user(args, "manager", "9999")
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

fn yesterday() -> String {
    (chrono::Local::now().date_naive() - chrono::Days::new(1)).to_string()
}

/// libfaketime (scripts/setup-debian.sh installs the `faketime` package).
fn faketime() -> std::path::PathBuf {
    let path = std::path::PathBuf::from("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    assert!(
        path.exists(),
        "libfaketime is missing: run scripts/setup-debian.sh (package faketime)"
    );
    path
}

/// `args` at `counter` a day back.
fn yesterday_at(venue: &Venue, counter: usize, args: &[&str]) -> String {
    let out = venue
        .command_on(&venue.counters[counter], args)
        .env("LD_PRELOAD", faketime())
        .env("FAKETIME", "-1d")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{args:?} yesterday: {}", stderr(&out));
    common::stdout(&out)
}

#[test]
fn two_registers_close_their_days_numbered_per_register_and_a_second_z_is_refused() {
    let venue = Venue::new(1);
    // Kassa 2, yesterday: a shift, a sale, the close without --end-of-day.
    yesterday_at(&venue, 1, &["shift", "open", "--float", "100"]);
    let sold_yesterday = json(&yesterday_at(
        &venue,
        1,
        &[
            "sell",
            "--performance",
            "1",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "2000",
            "--json",
        ],
    ));
    yesterday_at(
        &venue,
        1,
        &manager(&["shift", "close", "--count", "100=1,20=1,10=1,5=1"]),
    );

    // Today's first shift at Kassa 2 makes yesterday's Z first, in the same transaction.
    venue.ok(1, &["shift", "open", "--float", "100"]);
    let day1 = json(&venue.ok(1, &manager(&["shift", "day", "1", "--json"])));
    assert_eq!(day1["day"]["trading_day"], yesterday(), "{day1}");
    assert_eq!(day1["gross_cents"], sold_yesterday["total_cents"]);
    assert_eq!(day1["register_id"], venue.register_id(1), "{day1}");

    // Both registers sell today, then close their day at the same moment.
    let sold0 = json(&common::stdout(&venue.sell(0, 1, "adult=2")));
    let sold1 = json(&common::stdout(&venue.sell(1, 1, "child=1")));
    let closes: Vec<std::process::Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = [(0, "100=3,50=1,20=1"), (1, "100=1,20=1")]
            .into_iter()
            .map(|(counter, count)| {
                let venue = &venue;
                scope.spawn(move || {
                    venue.run(
                        counter,
                        &manager(&["shift", "close", "--count", count, "--end-of-day", "--json"]),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut days = Vec::new();
    for (counter, out) in closes.iter().enumerate() {
        assert!(
            out.status.success(),
            "counter {}: {}",
            counter + 1,
            stderr(out)
        );
        let report = json(&common::stdout(out));
        days.push(report["day_z"].clone());
    }
    // Per register: the first register's first day Z, Kassa 2's second.
    assert_eq!(days[0]["number"], 1, "{}", days[0]);
    assert_eq!(days[1]["number"], 2, "{}", days[1]);
    for (counter, sold) in [(0, &sold0), (1, &sold1)] {
        let day = &days[counter];
        assert_eq!(day["day"]["trading_day"], today(), "{day}");
        assert_eq!(day["register_id"], venue.register_id(counter), "{day}");
        // Each day Z counts its own register's sales only (the first register's demo shift
        // may hold the demo's sales too, so at least its own).
        assert!(
            day["gross_cents"].as_i64().unwrap() >= sold["total_cents"].as_i64().unwrap(),
            "{day}"
        );
    }
    assert_eq!(days[1]["gross_cents"], sold1["total_cents"]);
    let shown = json(&venue.ok(0, &manager(&["shift", "day", "1", "--json"])));
    assert_eq!(shown, days[0]);
    let shown = json(&venue.ok(1, &manager(&["shift", "day", "2", "--json"])));
    assert_eq!(shown, days[1]);

    let mut client = venue.db.connect();
    let rows = client
        .query(
            "SELECT register_id, array_agg(number ORDER BY number), array_agg(trading_day ORDER BY number)
             FROM day_z_reports GROUP BY register_id ORDER BY register_id",
            &[],
        )
        .unwrap();
    let mut numbers: Vec<(String, Vec<i64>, Vec<String>)> = rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    numbers.sort_by_key(|(register, _, _)| *register != venue.register_id(0));
    assert_eq!(
        numbers,
        vec![
            (venue.register_id(0), vec![1], vec![today()]),
            (venue.register_id(1), vec![1, 2], vec![yesterday(), today()]),
        ]
    );
    let journaled: i64 = client
        .query_one("SELECT count(*) FROM journal WHERE kind = 'day.z'", &[])
        .unwrap()
        .get(0);
    assert_eq!(journaled, 3);

    // A second Z for the day is refused by the program, and a shift on the closed day too.
    let entries = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT count(*) FROM journal", &[])
            .unwrap()
            .get(0)
    };
    let before = entries(&mut client);
    let out = venue.run(0, &manager(&["shift", "end-day", "--day", &today()]));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("already has its Z report (1)"),
        "{}",
        stderr(&out)
    );
    let out = venue.run(1, &manager(&["shift", "end-day"]));
    assert!(
        stderr(&out).contains("Every trading day with shifts has its Z report already"),
        "{}",
        stderr(&out)
    );
    let out = venue.run(1, &["shift", "open", "--float", "100"]);
    assert!(
        stderr(&out).contains("already has its Z report (2)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(entries(&mut client), before, "a refusal wrote something");

    // The database refuses the same even to its owner: a second Z for a day, a Z for a day with
    // a shift left out, a gap, a change, a shift on a closed day.
    let copy = "INSERT INTO day_z_reports (register_id, number, trading_day, first_shift_id, last_shift_id, shifts,
                    closed_by, closed_at, first_receipt, last_receipt, content)
                SELECT register_id, NUMBER, DAY, first_shift_id, last_shift_id, shifts, closed_by, closed_at,
                       first_receipt, last_receipt, content FROM day_z_reports WHERE register_id = 'REGISTER' AND number = 1";
    let register = venue.register_id(0);
    let with = |number: &str, day: &str| {
        copy.replace("NUMBER", number)
            .replace("DAY", day)
            .replace("REGISTER", &register)
    };
    let refused = |client: &mut postgres::Client, statement: &str, expected: &str| {
        let error = client.batch_execute(statement).unwrap_err();
        let text = error
            .as_db_error()
            .map(|e| e.message().to_string())
            .unwrap_or_else(|| error.to_string());
        assert!(text.contains(expected), "{statement}: {text}");
    };
    refused(&mut client, &with("1", "trading_day"), "numbered gaplessly");
    refused(
        &mut client,
        &with("2", "trading_day"),
        "already has its Z report",
    );
    refused(
        &mut client,
        "UPDATE day_z_reports SET content = '{}'",
        "day_z_reports is append-only",
    );
    refused(
        &mut client,
        "DELETE FROM day_z_reports",
        "day_z_reports is append-only",
    );
    refused(
        &mut client,
        &format!(
            "INSERT INTO shifts (register_id, opened_by, opened_at, float_cents)
             SELECT register_id, opened_by, opened_at, 0 FROM shifts WHERE register_id = '{register}' LIMIT 1"
        ),
        "already has its Z report",
    );
    // The rules one at a time (the others, which a made-up day breaks too, off).
    client
        .batch_execute("ALTER TABLE day_z_reports DISABLE TRIGGER day_z_reports_gapless")
        .unwrap();
    refused(
        &mut client,
        &with("2", "'2999-01-01'"),
        "covers every shift of its trading day",
    );
    client
        .batch_execute(
            "ALTER TABLE day_z_reports ENABLE TRIGGER day_z_reports_gapless;
             ALTER TABLE day_z_reports DISABLE TRIGGER day_z_reports_whole_day;
             ALTER TABLE day_z_reports DISABLE TRIGGER day_z_reports_one_per_day;",
        )
        .unwrap();
    refused(
        &mut client,
        &with("3", "'2999-01-01'"),
        "numbered gaplessly",
    );
    client
        .batch_execute(
            "ALTER TABLE day_z_reports ENABLE TRIGGER day_z_reports_whole_day;
             ALTER TABLE day_z_reports ENABLE TRIGGER day_z_reports_one_per_day;",
        )
        .unwrap();
    let count: i64 = client
        .query_one("SELECT count(*) FROM day_z_reports", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 3);

    // verify walks every register's day Z reports and passes…
    let verified = venue.ok(1, &["verify"]);
    assert!(verified.starts_with("ok: "), "{verified}");
    // …and names a day Z changed behind the program's back (the owner turning the triggers off).
    client
        .batch_execute(&format!(
            "ALTER TABLE day_z_reports DISABLE TRIGGER USER;
             UPDATE day_z_reports SET content = replace(content, '\"orders\":1', '\"orders\":2')
             WHERE register_id = '{}' AND number = 1;
             ALTER TABLE day_z_reports ENABLE TRIGGER USER;",
            venue.register_id(1)
        ))
        .unwrap();
    let out = venue.run(0, &["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("day Z report 1 ({})", yesterday()))
            && stderr(&out).contains("no longer matches what was journaled"),
        "{}",
        stderr(&out)
    );
}
