//! Reservations on the shared ledger (issue 15): a reservation made at one register holds its
//! places for the whole venue, is seen and released at another register (the places come back),
//! and two registers reserving at once draw their numbers in turn. Real `boxoffice` processes on
//! a real PostgreSQL.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::venue::{Venue, json};
use common::{stderr, stdout};

/// The transaction lock new reservation numbers are drawn under ("BOXR").
const RESERVATION_LOCK: i64 = 0x424F_5852;

fn sold(client: &mut postgres::Client) -> i64 {
    client
        .query_one("SELECT sold FROM performances WHERE id = 1", &[])
        .unwrap()
        .get(0)
}

#[test]
fn a_reservation_holds_places_for_every_register_and_is_released_at_another() {
    let venue = Venue::new(1);
    venue.ok(1, &["shift", "open", "--float", "100"]);
    let mut client = venue.db.connect();
    // Performance 1 has 40 places; the first register sells all but 4.
    let before = sold(&mut client);
    let out = venue.sell(0, 1, &format!("adult={}", 40 - before - 4));
    assert!(out.status.success(), "{}", stderr(&out));

    // Both registers reserve 2 places at once. Another counter holds the reservation numbers'
    // lock: both wait for it, then draw numbers one after the other.
    let mut holder = venue.db.connect();
    let mut held = holder.transaction().unwrap();
    held.execute("SELECT pg_advisory_xact_lock($1)", &[&RESERVATION_LOCK])
        .unwrap();
    let children: Vec<_> = (0..2)
        .map(|counter| {
            venue
                .command_on(
                    &venue.counters[counter],
                    &[
                        "reserve",
                        "--performance",
                        "1",
                        "--tickets",
                        "adult=2",
                        "--name",
                        &format!("Asiakas {counter}"),
                        "--json",
                    ],
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let until = Instant::now() + Duration::from_secs(10);
    let mut waiting = 0_i64;
    while Instant::now() < until && waiting < 2 {
        waiting = client
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                &[],
            )
            .unwrap()
            .get(0);
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        waiting, 2,
        "the reservations did not wait for the numbers' lock"
    );
    held.commit().unwrap();
    let made: Vec<serde_json::Value> = children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
            json(&stdout(&out))
        })
        .collect();
    let mut ids: Vec<i64> = made.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec![1, 2]);
    assert_ne!(made[0]["reference"], made[1]["reference"]);
    // The places are held for the whole venue: nothing is left to sell at either register.
    assert_eq!(sold(&mut client), 40);
    let refused = venue.sell(1, 1, "adult=1");
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("left"), "{}", stderr(&refused));

    // Kassa 2 sees the first register's reservation and releases it: its places come back.
    let listed = json(&venue.ok(1, &["reservation", "list", "--open", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let reference = made[0]["reference"].as_str().unwrap();
    let out = venue.ok(
        1,
        &[
            "reservation",
            "release",
            reference,
            "--reason",
            "the customer called",
        ],
    );
    assert!(out.contains("released"), "{out}");
    assert_eq!(sold(&mut client), 38);
    let again = venue.run(
        0,
        &["reservation", "release", reference, "--reason", "twice"],
    );
    assert!(!again.status.success(), "released twice");
    assert_eq!(sold(&mut client), 38);
    let listed = json(&venue.ok(0, &["reservation", "list", "--open", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let out = venue.sell(1, 1, "adult=2");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sold(&mut client), 40);
    let journaled: i64 = client
        .query_one(
            "SELECT count(*) FROM journal WHERE kind IN ('reservation', 'reservation.released')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(journaled, 3);
    assert!(venue.ok(0, &["verify"]).starts_with("ok: "));
}
