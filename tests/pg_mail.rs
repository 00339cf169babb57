//! The mail outbox on the shared ledger (issue 15): ticket mails queued in the sales of two
//! registers, and one sender at a time for the whole ledger (not per counter): while another
//! counter holds the sender's lock nothing is sent, and two counters flushing at once send every
//! message exactly once. Real `boxoffice` processes, a real PostgreSQL and a real SMTP server
//! (aiosmtpd).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::smtp::{SmtpServer, free_port};
use common::stdout;
use common::venue::{Venue, json};

/// The advisory lock the shared ledger's mail sender holds ("BOXM").
const MAIL_SENDER_LOCK: i64 = 0x424F_584D;

fn sell_mail(venue: &Venue, counter: usize, email: &str) -> serde_json::Value {
    json(&venue.ok(
        counter,
        &[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "1",
            "--tickets",
            "adult=1",
            "--pay",
            "cash",
            "--tendered",
            "500",
            "--name",
            "Matti Meikäläinen",
            "--email",
            email,
            "--json",
        ],
    ))
}

/// The number of messages each flush report says it sent ("N sent, …").
fn sent(report: &str) -> usize {
    report
        .split(" sent")
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in {report:?}"))
}

#[test]
fn registers_queue_ticket_mail_in_their_sales_and_the_venue_has_one_sender_at_a_time() {
    let venue = Venue::new(1);
    let inbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = SmtpServer::start(port, inbox.path(), &[]);
    let port = port.to_string();
    venue.ok(
        0,
        &[
            "mail",
            "server",
            "add",
            "--name",
            "local",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--from",
            "liput@example.fi",
            "--from-name",
            "Lippukassa",
        ],
    );
    venue.ok(0, &["mail", "server", "default", "local"]);
    venue.ok(1, &["shift", "open", "--float", "100"]);
    // Each register's sales queue their mail in the sale's own transaction.
    let mut orders = Vec::new();
    for n in 0..3 {
        for counter in 0..2 {
            let sold = sell_mail(&venue, counter, &format!("asiakas{counter}{n}@example.com"));
            orders.push(sold["order_number"].as_i64().unwrap());
        }
    }
    let mut client = venue.db.connect();
    let queued: i64 = client
        .query_one("SELECT count(*) FROM mail_outbox", &[])
        .unwrap()
        .get(0);
    assert_eq!(queued, 6);

    // Another counter is sending (the test holds the sender's lock): this counter's flush
    // waits and sends nothing until the lock is let go.
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MAIL_SENDER_LOCK])
        .unwrap();
    let waiting = venue
        .command_on(&venue.counters[1], &["mail", "flush"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    let mut blocked = 0_i64;
    while Instant::now() < until && blocked == 0 {
        blocked = client
            .query_one(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                &[],
            )
            .unwrap()
            .get(0);
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(blocked, 1, "the flush did not wait for the sender's lock");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.messages().is_empty(),
        "sent while another sender held the lock"
    );
    // One more flush starts at the first counter too; then the lock is let go.
    let second = venue
        .command_on(&venue.counters[0], &["mail", "flush"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MAIL_SENDER_LOCK])
        .unwrap();
    let reports: Vec<String> = [waiting, second]
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", common::stderr(&out));
            stdout(&out)
        })
        .collect();
    // Every message once: six delivered, six sent between the two reports, one sent attempt each.
    assert_eq!(server.messages().len(), 6, "{reports:?}");
    assert_eq!(
        reports.iter().map(|r| sent(r)).sum::<usize>(),
        6,
        "{reports:?}"
    );
    let rows = client
        .query(
            "SELECT m.order_id, count(a.id) FROM mail_outbox m
             LEFT JOIN mail_attempts a ON a.mail_id = m.id AND a.outcome = 'sent'
             GROUP BY m.order_id ORDER BY m.order_id",
            &[],
        )
        .unwrap();
    let mut sent_per_order: Vec<(i64, i64)> =
        rows.iter().map(|row| (row.get(0), row.get(1))).collect();
    sent_per_order.sort();
    orders.sort();
    assert_eq!(
        sent_per_order,
        orders.iter().map(|o| (*o, 1)).collect::<Vec<_>>()
    );
    let mut recipients: Vec<String> = server
        .messages()
        .iter()
        .map(|m| {
            server.envelope(m)["rcpt_tos"][0]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 6, "{recipients:?}");
    // Nothing is left to send, and the ledger verifies.
    let out = venue.ok(0, &["mail", "flush"]);
    assert_eq!(sent(&out), 0, "{out}");
    assert!(venue.ok(1, &["verify"]).starts_with("ok: "));
}
