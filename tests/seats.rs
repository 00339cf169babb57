//! Reserved seating end to end on a real ledger file: plans, seats in sales, two processes
//! selling one seat, holds and their auto-release, refunds and exchanges, best available splits.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout};
use serde_json::Value;

const PLAY: i64 = 2; // Nummisuutarit in the demo theatre: 300 numbered seats
const FESTIVAL: i64 = 4; // free seating
const THEATRE: &str = "Åbo Svenska Teater, Turku";

fn sell_seats(
    counter: &Counter,
    performance: i64,
    tickets: &str,
    seats: &[&str],
) -> std::process::Output {
    let performance = performance.to_string();
    let mut args = vec![
        "sell",
        "--user",
        "cashier",
        "--pin",
        "1111",
        "--performance",
        &performance,
        "--tickets",
        tickets,
        "--pay",
        "cash",
        "--tendered",
        "500",
        "--json",
    ];
    let list = seats.join(",");
    if !seats.is_empty() {
        args.extend(["--seats", &list]);
    }
    counter.run(&args)
}

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn free_seats(counter: &Counter, performance: i64) -> Vec<String> {
    let out = counter.run(&[
        "seatplan",
        "show",
        "--performance",
        &performance.to_string(),
        "--free",
        "--json",
    ]);
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}:{}:{}",
                s["section"].as_str().unwrap(),
                s["row"].as_str().unwrap(),
                s["seat"].as_str().unwrap()
            )
        })
        .collect()
}

fn seat_of(ticket: &Value) -> String {
    let seat = &ticket["seat"];
    format!(
        "{}:{}:{}",
        seat["section"].as_str().unwrap(),
        seat["row"].as_str().unwrap(),
        seat["seat"].as_str().unwrap()
    )
}

#[test]
fn seated_sales_carry_seats_zone_prices_and_never_sell_a_seat_twice() {
    let counter = Counter::demo();
    let catalog = counter.catalog();
    let seated = |id: i64| catalog.iter().find(|p| p["id"] == id).unwrap()["seated"].clone();
    assert_eq!(seated(PLAY), true);
    assert_eq!(seated(FESTIVAL), false);
    assert_eq!(free_seats(&counter, PLAY).len(), 300);
    let plan = stdout(&counter.run(&["seatplan", "show", THEATRE]));
    assert!(
        plan.contains("240 seats") && plan.contains("Parveke / Balkong / Balcony"),
        "{plan}"
    );

    // Without seats: best available, the middle of the front row, at the category's price.
    let sale = counter.sell_json(PLAY, "adult=2,child=1", "50");
    let seats: Vec<String> = sale["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(seat_of)
        .collect();
    assert_eq!(seats, ["stalls:1:9", "stalls:1:10", "stalls:1:11"]);
    assert_eq!(sale["total_cents"], 4600);

    // Chosen seats; the balcony is zone 2: the adult ticket costs 16,00 € there.
    let sale = json(&sell_seats(
        &counter,
        PLAY,
        "adult=1,child=1",
        &["balcony:1:7", "stalls:5:1"],
    ));
    assert_eq!(seat_of(&sale["tickets"][0]), "balcony:1:7");
    assert_eq!(sale["tickets"][0]["price_cents"], 1600);
    assert_eq!(seat_of(&sale["tickets"][1]), "stalls:5:1");
    assert_eq!(sale["tickets"][1]["price_cents"], 900);
    assert_eq!(sale["total_cents"], 2500);

    // A seat already sold: refused with a sentence, nothing written.
    let orders = counter.count("orders");
    let journal = counter.count("journal");
    let out = sell_seats(&counter, PLAY, "adult=1", &["stalls:1:10"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("stalls:1:10"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already sold or held"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("orders"), orders);
    assert_eq!(counter.count("journal"), journal);
    // Bad references and counts.
    let out = sell_seats(&counter, PLAY, "adult=1", &["stalls:99:1"]);
    assert!(
        stderr(&out).contains("not in this performance's plan"),
        "{}",
        stderr(&out)
    );
    let out = sell_seats(&counter, PLAY, "adult=2", &["stalls:2:1"]);
    assert!(
        stderr(&out).contains("2 tickets but 1 seats"),
        "{}",
        stderr(&out)
    );
    let out = sell_seats(&counter, PLAY, "adult=1", &["stalls-2-1"]);
    assert!(
        stderr(&out).contains("SECTION:ROW:SEAT"),
        "{}",
        stderr(&out)
    );
    let out = sell_seats(&counter, FESTIVAL, "adult=1", &["stalls:2:1"]);
    assert!(stderr(&out).contains("free seating"), "{}", stderr(&out));
    // Free seating works as before.
    let sale = counter.sell_json(FESTIVAL, "adult=1", "100");
    assert!(sale["tickets"][0].get("seat").is_none_or(Value::is_null));

    // The seat is printed on the ticket and shown on the receipt.
    let printed = std::fs::read_to_string(counter.path().join("print/pc43d.prn")).unwrap();
    assert!(
        printed.contains("Parveke, rivi 1, paikka 7"),
        "the balcony ticket names its seat"
    );
    let text = stdout(&counter.run(&["order", "show", "2"]));
    assert!(text.contains("Parveke, rivi 1, paikka 7"), "{text}");

    // The database itself refuses a second occupant, whichever program writes.
    let error = counter
        .try_execute(
            "INSERT INTO seat_occupancy (performance_id, seat_id, kind, holder, expires_at, created_at)
             SELECT 2, seat_id, 'cart', 'x', '2999-01-01T00:00:00.000Z', 'now' FROM seat_occupancy LIMIT 1",
            &[],
        )
        .unwrap_err();
    assert!(
        error.contains("UNIQUE") || error.contains("PRIMARY") || error.contains("23505"),
        "{error}"
    );
    assert!(
        counter
            .try_execute("UPDATE ticket_seats SET seat_id = seat_id + 1", &[])
            .is_err(),
        "ticket seats are append-only"
    );
    let free = free_seats(&counter, PLAY);
    assert_eq!(free.len(), 300 - 5);
    assert!(!free.contains(&"stalls:1:10".to_string()));
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn two_processes_selling_the_same_seat_exactly_one_wins() {
    let counter = Counter::demo();
    let children: Vec<_> = (0..4)
        .map(|_| {
            counter
                .command(&[
                    "sell",
                    "--user",
                    "cashier",
                    "--pin",
                    "1111",
                    "--performance",
                    "2",
                    "--tickets",
                    "adult=2",
                    "--seats",
                    "stalls:3:7,stalls:3:8",
                    "--pay",
                    "cash",
                    "--tendered",
                    "50",
                    "--json",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let winners = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(winners, 1, "exactly one counter gets the seats");
    for loser in outputs.iter().filter(|o| !o.status.success()) {
        assert!(
            stderr(loser).contains("already sold or held"),
            "{}",
            stderr(loser)
        );
    }
    assert_eq!(counter.count("orders"), 1);
    assert_eq!(counter.count("tickets"), 2);
    assert_eq!(counter.count("seat_occupancy"), 2);
    assert_eq!(counter.remaining(PLAY), 298);
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn refunds_release_seats_and_exchanges_move_them_in_one_operation() {
    let counter = Counter::demo();
    let sale = json(&sell_seats(
        &counter,
        PLAY,
        "adult=2",
        &["stalls:4:4", "stalls:4:5"],
    ));
    let first = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let second = sale["tickets"][1]["code"].as_str().unwrap().to_string();

    // Exchange to a seat of the same price: the old seat is free again, the new one sold.
    let out = counter.run(&[
        "seat",
        "exchange",
        "--ticket",
        &second,
        "--to",
        "stalls:6:6",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let free = free_seats(&counter, PLAY);
    assert!(free.contains(&"stalls:4:5".to_string()));
    assert!(!free.contains(&"stalls:6:6".to_string()));
    let text = stdout(&counter.run(&["order", "show", "1"]));
    assert!(text.contains("Permanto, rivi 6, paikka 6"), "{text}");
    // To a seat of another price, or a taken seat: refused, nothing moves.
    let out = counter.run(&[
        "seat",
        "exchange",
        "--ticket",
        &second,
        "--to",
        "balcony:3:3",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ]);
    assert!(
        stderr(&out).contains("cannot be exchanged"),
        "{}",
        stderr(&out)
    );
    let out = counter.run(&[
        "seat",
        "exchange",
        "--ticket",
        &second,
        "--to",
        "stalls:4:4",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ]);
    assert!(
        stderr(&out).contains("already sold or held"),
        "{}",
        stderr(&out)
    );
    assert!(!free_seats(&counter, PLAY).contains(&"stalls:6:6".to_string()));

    // A refunded ticket gives its seat back (the ticket row keeps its seat history).
    let out = counter.run(&[
        "refund",
        "--order",
        "1",
        "--tickets",
        &first,
        "--reason",
        "customer_request",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(free_seats(&counter, PLAY).contains(&"stalls:4:4".to_string()));
    let again = json(&sell_seats(&counter, PLAY, "adult=1", &["stalls:4:4"]));
    assert_eq!(seat_of(&again["tickets"][0]), "stalls:4:4");
    assert_eq!(
        counter.count("ticket_seats"),
        4,
        "two sales, one exchange, one resale"
    );
    assert!(counter.run(&["verify"]).status.success());
    // The seats are in the sales' journal entries; verify's streamed text matches them.
    let mut services = counter.services();
    let report = services.ledger_mut().verify().unwrap().unwrap();
    assert_eq!(report.slow_path_sales, 0);
    drop(services);
    // A sold seat changed behind the journal's back is found.
    counter.tamper(
        &[("ticket_seats", "ticket_seats_no_update")],
        "UPDATE ticket_seats SET seat_id = seat_id + 1 WHERE id = 1",
    );
    let out = counter.run(&["verify"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the tickets rows of order 1 no longer match"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn manager_holds_block_sales_release_and_auto_release_before_the_performance() {
    let counter = Counter::demo();
    let hold = |user: &str, pin: &str, seats: &str, reason: &str, before: &str| {
        counter.run(&[
            "seat",
            "hold",
            "--performance",
            "2",
            "--seats",
            seats,
            "--reason",
            reason,
            "--release-before",
            before,
            "--user",
            user,
            "--pin",
            pin,
        ])
    };
    let out = hold("cashier", "1111", "stalls:1:1", "press", "60");
    assert!(
        stderr(&out).contains("not allowed"),
        "cashiers cannot hold: {}",
        stderr(&out)
    );
    let out = hold("manager", "9999", "stalls:1:1", "friends", "60");
    assert!(
        stderr(&out).contains("press, artist or technical"),
        "{}",
        stderr(&out)
    );
    // Released before it would start: more than the ten days to the performance.
    let out = hold("manager", "9999", "stalls:1:1", "press", "100000");
    assert!(
        stderr(&out).contains("released at once"),
        "{}",
        stderr(&out)
    );

    let out = hold("manager", "9999", "stalls:1:1,stalls:1:2", "press", "60");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = hold("manager", "9999", "stalls:2:1", "technical", "60");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!free_seats(&counter, PLAY).contains(&"stalls:1:1".to_string()));
    let out = sell_seats(&counter, PLAY, "adult=1", &["stalls:1:2"]);
    assert!(
        stderr(&out).contains("already sold or held"),
        "{}",
        stderr(&out)
    );

    // Release by the manager: sellable again.
    let out = counter.run(&[
        "seat",
        "release",
        "--performance",
        "2",
        "--seats",
        "stalls:1:2",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = counter.run(&[
        "seat",
        "release",
        "--performance",
        "2",
        "--seats",
        "stalls:1:2",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(stderr(&out).contains("is not held"), "{}", stderr(&out));
    json(&sell_seats(&counter, PLAY, "adult=1", &["stalls:1:2"]));

    // Auto-release: the hold's time comes (set its release time into the past, as the clock would).
    let sql = counter.sql();
    let until: String = sql
        .query_row(
            "SELECT expires_at FROM seat_occupancy WHERE kind = 'hold' AND holder = 'technical'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let starts: String = sql
        .query_row("SELECT starts_at FROM performances WHERE id = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    let starts = chrono::DateTime::parse_from_rfc3339(&starts)
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(
        until,
        (starts - chrono::Duration::minutes(60))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "held until an hour before the performance"
    );
    assert!(!free_seats(&counter, PLAY).contains(&"stalls:2:1".to_string()));
    counter.execute(
        "UPDATE seat_occupancy SET expires_at = '2000-01-01T00:00:00.000Z' WHERE holder = 'technical'",
        &[],
    );
    assert!(free_seats(&counter, PLAY).contains(&"stalls:2:1".to_string()));
    json(&sell_seats(&counter, PLAY, "adult=1", &["stalls:2:1"]));

    // Every hold and release is in the journal.
    let sql = counter.sql();
    let kinds: Vec<(String, String)> = sql
        .prepare("SELECT kind, content FROM journal WHERE kind LIKE 'seat.%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let holds = kinds.iter().filter(|(k, _)| k == "seat.hold").count();
    assert_eq!(holds, 2);
    assert!(
        kinds
            .iter()
            .any(|(k, c)| k == "seat.release" && c.contains("\"manager\""))
    );
    assert!(
        kinds
            .iter()
            .any(|(k, c)| k == "seat.release" && c.contains("\"expired\""))
    );
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn plans_import_export_assign_and_best_available_splits_only_when_accepted() {
    let counter = Counter::demo();
    let dir = counter.path();
    // A bad file: the line and the field are named, nothing is imported.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "section,row,seat,x,y,rank,flags\nA,1,1,0,0,1,\nA,1,2,one,0,1,\n",
    )
    .unwrap();
    let out = counter.run(&[
        "seatplan",
        "import",
        bad.to_str().unwrap(),
        "--venue",
        "Club",
        "--user",
        "admin",
        "--pin",
        "0000",
    ]);
    assert!(
        stderr(&out).contains("line 3: x 'one' is not a number"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("seat_plans"), 1, "only the demo theatre");

    // A small club: two rows of four and three seats; a wheelchair place at the end of row 2.
    let csv = "section,row,seat,x,y,rank,flags,section_fi,section_sv,section_en\n\
               floor,1,1,0,0,1,,Permanto,Parkett,Floor\n\
               floor,1,2,1,0,1,,Permanto,Parkett,Floor\n\
               floor,1,3,2,0,1,,Permanto,Parkett,Floor\n\
               floor,1,4,3,0,1,,Permanto,Parkett,Floor\n\
               floor,2,1,0,1,2,,Permanto,Parkett,Floor\n\
               floor,2,2,1,1,2,,Permanto,Parkett,Floor\n\
               floor,2,3,2,1,2,wheelchair,Permanto,Parkett,Floor\n";
    let file = dir.join("club.csv");
    std::fs::write(&file, csv).unwrap();
    let out = counter.run(&[
        "seatplan",
        "import",
        file.to_str().unwrap(),
        "--venue",
        "Club",
        "--user",
        "cashier",
        "--pin",
        "1111",
    ]);
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    let out = counter.run(&[
        "seatplan",
        "import",
        file.to_str().unwrap(),
        "--venue",
        "Club",
        "--user",
        "admin",
        "--pin",
        "0000",
        "--json",
    ]);
    let imported = json(&out);
    assert_eq!(imported["seats"], 7);
    assert_eq!(imported["version"], 1);
    assert_eq!(stdout(&counter.run(&["seatplan", "export", "Club"])), csv);
    assert!(stdout(&counter.run(&["seatplan", "show", "Club"])).contains("2 rows, 7 seats"));
    let out = counter.run(&["seatplan", "show", "Nowhere"]);
    assert!(
        stderr(&out).contains("has no seat plan"),
        "{}",
        stderr(&out)
    );

    // The festival gets the club's seats: capacity follows the plan.
    let out = counter.run(&[
        "seatplan",
        "assign",
        "--performance",
        "4",
        "--venue",
        "Club",
        "--user",
        "admin",
        "--pin",
        "0000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(counter.remaining(FESTIVAL), 7);
    let out = counter.run(&[
        "seatplan",
        "assign",
        "--performance",
        "4",
        "--venue",
        "Club",
        "--user",
        "admin",
        "--pin",
        "0000",
    ]);
    assert!(!out.status.success(), "a plan is given once");

    // Sold: 1:2 and 2:2. Row 1 has 1, 3–4 free; row 2 has 1 and the wheelchair place 3.
    json(&sell_seats(
        &counter,
        FESTIVAL,
        "adult=2",
        &["floor:1:2", "floor:2:2"],
    ));
    let best = |n: &str, extra: &[&str]| {
        let tickets = format!("adult={n}");
        let mut args = vec![
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "4",
            "--tickets",
            &tickets,
            "--best",
            n,
            "--pay",
            "cash",
            "--tendered",
            "500",
            "--json",
        ];
        args.extend(extra);
        counter.run(&args)
    };
    // No three adjacent seats: the split is offered, not sold.
    let out = best("3", &[]);
    assert!(
        stderr(&out).contains("best split is floor:1:3, floor:1:4, floor:1:1"),
        "{}",
        stderr(&out)
    );
    assert_eq!(counter.count("orders"), 1);
    // Two adjacent: row 1, seats 3–4.
    let pair = json(&best("2", &[]));
    assert_eq!(seat_of(&pair["tickets"][0]), "floor:1:3");
    assert_eq!(seat_of(&pair["tickets"][1]), "floor:1:4");
    // A wheelchair request gets the wheelchair place.
    let wheelchair = json(&best("1", &["--wheelchair", "1"]));
    assert_eq!(seat_of(&wheelchair["tickets"][0]), "floor:2:3");
    // Two seats left, not adjacent: accepted split.
    let out = best("2", &[]);
    assert!(stderr(&out).contains("best split"), "{}", stderr(&out));
    let split = json(&best("2", &["--accept-split"]));
    assert_eq!(split["tickets"].as_array().unwrap().len(), 2);
    assert_eq!(counter.remaining(FESTIVAL), 0);
    let out = best("1", &[]);
    assert!(!out.status.success());
    assert!(counter.run(&["verify"]).status.success());
}
