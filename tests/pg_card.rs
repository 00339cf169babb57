//! Card payments on the shared ledger (issue 15): the real binary selling by card through the
//! EMV agent simulator on a loopback port, its connection to a real PostgreSQL going through a
//! relay that loses a sale's `COMMIT` (its answer, or the commit itself, or the server for a
//! while) after the card was approved. Never charged twice, never an approval lost: the sale is
//! found by its operation id, sold once with the same approval, or the approval is reversed.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::process::Output;

use common::cutter::{CommitCutter, Cut};
use common::pg as server;
use common::venue::{PASSWORD_ENV, json};
use common::{Counter, stderr, stdout};
use emv_agent::Totals;
use emv_agent::sim::{SimConfig, Simulator};

/// A counter's demo ledger copied into a new shared ledger reached through a relay, with the
/// simulator as its terminal T1.
struct CardVenue {
    db: server::TestDb,
    cutter: CommitCutter,
    counter: Counter,
    sim: Simulator,
}

impl CardVenue {
    fn new() -> CardVenue {
        let db = server::database();
        let cutter = CommitCutter::start(db.port);
        let counter = Counter::demo();
        let sim = Simulator::start("127.0.0.1:0", SimConfig::default()).unwrap();
        let venue = CardVenue {
            db,
            cutter,
            counter,
            sim,
        };
        let out = venue
            .counter
            .command(&["db", "copy", "--to", &venue.url()])
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            .output_bounded()
            .unwrap();
        assert!(out.status.success(), "db copy: {}", stderr(&out));
        let address = venue.sim.address().to_string();
        let out = venue.run(&["terminal", "add", "--name", "T1", "--agent", &address]);
        assert!(out.status.success(), "terminal add: {}", stderr(&out));
        venue
    }

    fn url(&self) -> String {
        format!(
            "postgres://{}@127.0.0.1:{}/{}?sslmode=disable",
            server::ADMIN,
            self.cutter.port,
            self.db.name
        )
    }

    fn run(&self, args: &[&str]) -> Output {
        let url = self.url();
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        self.counter
            .command(&all)
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            // A process that gave up on a payment leaves it to the others soon.
            .env("BOXOFFICE_CARD_LEASE_MS", "400")
            .output_bounded()
            .unwrap()
    }

    fn sell_card(&self) -> Output {
        self.run(&[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "1",
            "--tickets",
            "adult=2",
            "--pay",
            "card",
            "--json",
        ])
    }

    fn scalar(&self, sql: &str) -> i64 {
        self.db.connect().query_one(sql, &[]).unwrap().get(0)
    }

    fn verify_ok(&self) {
        let out = self.run(&["verify"]);
        assert!(
            out.status.success(),
            "verify: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}

#[test]
fn a_card_sale_on_the_shared_ledger_is_recorded_with_its_approval() {
    let venue = CardVenue::new();
    let sale = json(&stdout(&venue.sell_card()));
    assert_eq!(sale["total_cents"], 7000, "{sale}");
    assert_eq!(sale["card"][0]["masked_pan"], "411111******1111", "{sale}");
    let order = sale["order_number"].as_i64().unwrap();
    assert_eq!(
        venue.scalar(&format!(
            "SELECT count(*) FROM card_outcomes WHERE state = 'settled' AND order_id = {order}"
        )),
        1
    );
    assert_eq!(venue.scalar("SELECT count(*) FROM card_leases"), 0);
    assert_eq!(
        venue.sim.batch_totals().0,
        Totals {
            count: 1,
            cents: 7000
        }
    );
    venue.verify_ok();
}

#[test]
fn a_card_approved_and_the_sales_commit_answer_lost_is_found_by_the_operation_id_and_charged_once()
{
    let venue = CardVenue::new();
    // The sale's COMMIT reaches the server; the counter never hears back.
    venue.cutter.arm(b"INSERT INTO orders");
    let out = venue.sell_card();
    assert!(venue.cutter.fired(), "the relay saw no sale COMMIT");
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = json(&stdout(&out));
    assert_eq!(sale["receipt_number"], 1, "{sale}");
    assert_eq!(sale["tickets"].as_array().unwrap().len(), 2, "{sale}");
    assert_eq!(venue.scalar("SELECT count(*) FROM orders"), 1);
    assert_eq!(
        venue.scalar("SELECT count(*) FROM operations WHERE kind = 'sale'"),
        1
    );
    // One approval, settled with the order, never reversed; the terminal charged once.
    assert_eq!(
        venue.scalar(&format!(
            "SELECT count(*) FROM card_outcomes WHERE state = 'settled' AND order_id = {}",
            sale["order_number"]
        )),
        1
    );
    assert_eq!(
        venue.scalar("SELECT count(*) FROM card_outcomes WHERE state = 'reversed'"),
        0
    );
    let approved = venue.sim.approved();
    assert_eq!(approved.len(), 1);
    assert!(!approved[0].reversed);
    assert_eq!(
        venue.sim.batch_totals().0,
        Totals {
            count: 1,
            cents: 7000
        }
    );
    venue.verify_ok();
}

#[test]
fn a_card_approved_and_the_sales_commit_cut_is_sold_once_with_the_same_approval() {
    let venue = CardVenue::new();
    // The sale's COMMIT never reaches the server: the transaction is rolled back. The counter
    // reconnects, does not find the operation id, and sells again with the same approval.
    venue
        .cutter
        .arm_with(b"INSERT INTO orders", Cut::Commit, false);
    let out = venue.sell_card();
    assert!(venue.cutter.fired(), "the relay saw no sale COMMIT");
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = json(&stdout(&out));
    assert_eq!(sale["receipt_number"], 1, "{sale}");
    assert_eq!(venue.scalar("SELECT count(*) FROM orders"), 1);
    assert_eq!(
        venue.scalar("SELECT count(*) FROM card_attempts"),
        1,
        "charged twice"
    );
    assert_eq!(
        venue.scalar("SELECT count(*) FROM card_outcomes WHERE state = 'settled'"),
        1
    );
    assert_eq!(venue.sim.approved().len(), 1);
    assert!(!venue.sim.approved()[0].reversed);
    venue.verify_ok();
}

#[test]
fn a_card_approved_while_the_shared_ledger_is_gone_is_neither_lost_nor_charged_again() {
    let venue = CardVenue::new();
    // The COMMIT is cut and the server stays out of reach longer than the counter tries to
    // reconnect: the counter cannot know, so it neither reverses nor records; it says so.
    venue
        .cutter
        .arm_with(b"INSERT INTO orders", Cut::Commit, true);
    let out = venue.sell_card();
    assert!(venue.cutter.fired(), "the relay saw no sale COMMIT");
    assert!(!out.status.success(), "{}", stdout(&out));
    let said = stderr(&out);
    assert!(said.contains("Do not charge the card again"), "{said}");
    assert!(!venue.sim.approved()[0].reversed, "reversed blind");
    venue.cutter.restore();
    // Back: nothing sold, the approval is pending (approved, in no order).
    assert_eq!(venue.scalar("SELECT count(*) FROM orders"), 0);
    let pending = venue.run(&["payments", "pending", "--json"]);
    let pending = json(&stdout(&pending));
    assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
    assert_eq!(pending[0]["state"], "approved", "{pending}");
    // The resolution (at start-up, before a terminal is used, or asked for) reverses it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let out = venue.run(&["payments", "pending", "--resolve", "--pin", "0000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no pending payments"),
        "{}",
        stdout(&out)
    );
    assert!(venue.sim.approved()[0].reversed);
    assert_eq!(
        venue.scalar("SELECT count(*) FROM card_outcomes WHERE state = 'reversed'"),
        1
    );
    // And the next card sale goes through on the same terminal, charged once.
    let sale = json(&stdout(&venue.sell_card()));
    assert_eq!(sale["receipt_number"], 1, "{sale}");
    assert_eq!(venue.sim.approved().len(), 2);
    venue.verify_ok();
}
