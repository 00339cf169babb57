//! Seated sales on the shared ledger (issue 15): registers in separate processes selling the same
//! and overlapping seats of one performance at once; every seat is sold once, the losers are
//! told in a sentence, receipts stay gapless per register and `verify` passes. Real `boxoffice`
//! processes on a real PostgreSQL.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::process::{Output, Stdio};

use common::venue::{Venue, json};
use common::{stderr, stdout};

/// The demo's seated play.
const PLAY: &str = "2";

/// Each register sells its pair of seats of the play at the same moment.
fn sell_at_once(venue: &Venue, pairs: &[[String; 2]]) -> Vec<Output> {
    let children: Vec<_> = pairs
        .iter()
        .enumerate()
        .map(|(counter, pair)| {
            venue
                .command_on(
                    &venue.counters[counter],
                    &[
                        "sell",
                        "--performance",
                        PLAY,
                        "--tickets",
                        "adult=2",
                        "--seats",
                        &pair.join(","),
                        "--pay",
                        "cash",
                        "--tendered",
                        "100",
                        "--json",
                    ],
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect()
}

fn seat_of(ticket: &serde_json::Value) -> String {
    let seat = &ticket["seat"];
    format!(
        "{}:{}:{}",
        seat["section"].as_str().unwrap(),
        seat["row"].as_str().unwrap(),
        seat["seat"].as_str().unwrap()
    )
}

/// The seats the successful sales got; the refused ones said why.
fn sold_seats(outputs: &[Output]) -> Vec<Vec<String>> {
    let mut won = Vec::new();
    for out in outputs {
        if out.status.success() {
            let sale = json(&stdout(out));
            won.push(
                sale["tickets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(seat_of)
                    .collect(),
            );
        } else {
            assert!(
                stderr(out).contains("already sold or held"),
                "{}",
                stderr(out)
            );
        }
    }
    won
}

#[test]
fn four_registers_selling_the_same_and_overlapping_seats_sell_each_seat_once() {
    let venue = Venue::new(3);
    for counter in 1..4 {
        venue.ok(counter, &["shift", "open", "--float", "100"]);
    }
    // The same two seats at four registers: exactly one gets them.
    let same = ["stalls:3:7".to_string(), "stalls:3:8".to_string()];
    let won = sold_seats(&sell_at_once(&venue, &vec![same.clone(); 4]));
    assert_eq!(won.len(), 1, "exactly one register gets the seats");
    let mut got = won[0].clone();
    got.sort();
    assert_eq!(got, same.to_vec());

    // Overlapping pairs: the winners' seats never overlap.
    let pairs: Vec<[String; 2]> = (0..4)
        .map(|i| [format!("stalls:5:{}", i + 1), format!("stalls:5:{}", i + 2)])
        .collect();
    let won = sold_seats(&sell_at_once(&venue, &pairs));
    assert!(!won.is_empty() && won.len() <= 2, "{won:?}");
    let mut seats: Vec<String> = won.iter().flatten().cloned().collect();
    let all = seats.len();
    seats.sort();
    seats.dedup();
    assert_eq!(seats.len(), all, "a seat was sold twice: {won:?}");

    let mut client = venue.db.connect();
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM seat_occupancy WHERE performance_id = 2 AND kind = 'sold'),
                    (SELECT count(*) FROM tickets WHERE performance_id = 2 AND state = 'valid'),
                    (SELECT count(*) FROM ticket_seats ts JOIN tickets t ON t.id = ts.ticket_id
                      WHERE t.performance_id = 2),
                    (SELECT sold FROM performances WHERE id = 2)",
            &[],
        )
        .unwrap();
    let (occupied, valid, ticket_seats, sold): (i64, i64, i64, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let expected = 2 + 2 * won.len() as i64;
    assert_eq!(
        (occupied, valid, ticket_seats, sold),
        (expected, expected, expected, expected)
    );
    // The receipts of every register are gapless.
    for row in client
        .query(
            "SELECT array_agg(number ORDER BY number) FROM receipts GROUP BY register_id",
            &[],
        )
        .unwrap()
    {
        let numbers: Vec<i64> = row.get(0);
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
    }
    // Any register's seat map shows the sold seats taken.
    let free = json(&venue.ok(
        2,
        &[
            "seatplan",
            "show",
            "--performance",
            PLAY,
            "--free",
            "--json",
        ],
    ));
    let free: Vec<String> = free
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
        .collect();
    for seat in seats.iter().chain(same.iter()) {
        assert!(!free.contains(seat), "{seat} is shown free");
    }
    assert!(free.contains(&"stalls:5:10".to_string()));
    assert!(venue.ok(0, &["verify"]).starts_with("ok: "));
}
