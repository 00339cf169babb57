//! Operation ids for the operations that had none (issue 15, migration 0019): the drawer opened
//! without a sale, a reservation made, paid at the bank and released (by hand and past its due
//! date), seats held and released by a manager. Each
//! runs through a relay that loses its `COMMIT`'s answer (the server committed, the counter never
//! heard): the counter reconnects, asks the ledger by the operation's id, finds it and reports
//! it as done; the ledger holds it once.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::bank::{Bank, configure_bank, pay_at_the_bank};
use common::cutter::{CommitCutter, Cut};
use common::pg as server;
use common::venue::{PASSWORD_ENV, json};
use common::{Bounded, Counter, stderr, stdout};

/// (rows of the operation's own table that match, operations of `kind`).
fn counted(client: &mut postgres::Client, rows: &str, kind: &str) -> (i64, i64) {
    let row = client
        .query_one(
            &format!("SELECT ({rows}), (SELECT count(*) FROM operations WHERE kind = $1)"),
            &[&kind],
        )
        .unwrap();
    (row.get(0), row.get(1))
}

#[test]
fn drawer_reservation_and_seat_operations_whose_commit_answers_were_lost_are_recorded_once() {
    let db = server::database();
    let (cutter, url) = CommitCutter::in_front_of(&db);
    let first = Counter::demo();
    let out = first
        .command(&["db", "copy", "--to", &url])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let run = |args: &[&str]| {
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--user", "manager", "--pin", "9999"]);
        let out = first
            .command(&all)
            .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
            .output_bounded()
            .unwrap();
        if !out.status.success() {
            for entry in std::fs::read_dir(first.path().join("logs"))
                .into_iter()
                .flatten()
            {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                eprintln!("LOG {}", &text[text.len().saturating_sub(3000)..]);
            }
        }
        assert!(
            out.status.success(),
            "{args:?}: {:?} {} {}",
            out.status,
            stderr(&out),
            stdout(&out)
        );
        stdout(&out)
    };
    let mut client = db.connect();

    // The drawer opened without a sale: logged once.
    cutter.arm(b"INSERT INTO cash_movements");
    run(&["shift", "drawer", "--reason", "a customer's change"]);
    assert!(cutter.fired(), "the relay saw no drawer COMMIT");
    assert_eq!(
        counted(
            &mut client,
            "SELECT count(*) FROM cash_movements WHERE kind = 'drawer_open'",
            "drawer.open"
        ),
        (1, 1)
    );

    // A reservation made: one reservation, its places held once, and the counter shows it.
    let sold_before: i64 = client
        .query_one("SELECT sold FROM performances WHERE id = 1", &[])
        .unwrap()
        .get(0);
    cutter.arm(b"INSERT INTO reservations");
    let made = json(&run(&[
        "reserve",
        "--performance",
        "1",
        "--tickets",
        "adult=2",
        "--name",
        "Aino",
        "--json",
    ]));
    assert!(cutter.fired(), "the relay saw no reservation COMMIT");
    assert_eq!(made["state"], "open", "{made}");
    assert_eq!(
        counted(
            &mut client,
            "SELECT count(*) FROM reservations",
            "reservation.create"
        ),
        (1, 1)
    );
    let sold: i64 = client
        .query_one("SELECT sold FROM performances WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(sold, sold_before + 2);

    // Released: once, its places back, and the counter says released (not "already ended").
    cutter.arm(b"INSERT INTO reservation_events");
    let released = run(&[
        "reservation",
        "release",
        made["reference"].as_str().unwrap(),
        "--reason",
        "changed plans",
    ]);
    assert!(cutter.fired(), "the relay saw no release COMMIT");
    assert!(released.contains("released"), "{released}");
    assert_eq!(
        counted(
            &mut client,
            "SELECT count(*) FROM reservation_events",
            "reservation.release"
        ),
        (1, 1)
    );
    let sold: i64 = client
        .query_one("SELECT sold FROM performances WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(sold, sold_before);

    // Two seats held for the press: held once, and the counter says until when.
    cutter.arm(b"INSERT INTO seat_occupancy");
    let held = run(&[
        "seat",
        "hold",
        "--performance",
        "2",
        "--seats",
        "stalls:1:1,stalls:1:2",
        "--reason",
        "press",
    ]);
    assert!(cutter.fired(), "the relay saw no hold COMMIT");
    assert!(!held.trim().is_empty(), "{held}");
    let holds = "SELECT count(*) FROM seat_occupancy WHERE performance_id = 2 AND kind = 'hold'";
    assert_eq!(counted(&mut client, holds, "seat.hold"), (2, 1));
    let detail: String = client
        .query_one(
            "SELECT detail FROM operations WHERE kind = 'seat.hold'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(detail.contains("expires_at"), "{detail}");

    // Released again: once (a retry would have found them no longer held).
    cutter.arm(b"DELETE FROM seat_occupancy");
    run(&[
        "seat",
        "release",
        "--performance",
        "2",
        "--seats",
        "stalls:1:1,stalls:1:2",
    ]);
    assert!(cutter.fired(), "the relay saw no seat release COMMIT");
    assert_eq!(counted(&mut client, holds, "seat.release"), (0, 1));

    // Every operation is journaled once, and the ledger verifies.
    let entries: i64 = client
        .query_one(
            "SELECT count(*) FROM journal WHERE kind IN
                 ('shift.drawer_open', 'seat.hold', 'seat.release')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(entries, 3);
    let out = first
        .command(&["--database", url.as_str(), "verify"])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `db copy` of `counter`'s ledger into the database behind `url` (a relay in front of the test
/// server).
fn copy_into(counter: &Counter, url: &str) {
    let out = counter
        .command(&["db", "copy", "--to", url])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A reservation for Aino of `tickets` at performance 1, made by the cashier: its JSON.
fn reserve_for_aino(counter: &Counter, url: &str, tickets: &str) -> serde_json::Value {
    let args = [
        "reserve",
        "--performance",
        "1",
        "--tickets",
        tickets,
        "--name",
        "Aino",
        "--json",
    ];
    json(&cashier(counter, url, &args))
}

/// `boxoffice --database URL args… --user cashier`: it must succeed; its standard output.
fn cashier(counter: &Counter, url: &str, args: &[&str]) -> String {
    let mut all = vec!["--database", url];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--user", "cashier", "--pin", "1111"]);
    let out = counter
        .command(&all)
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {:?} {} {}",
        out.status,
        stderr(&out),
        stdout(&out)
    );
    stdout(&out)
}

#[test]
fn a_reservation_paid_and_one_released_by_the_check_whose_commit_answers_were_lost_are_recorded_once()
 {
    let db = server::database();
    let (cutter, url) = CommitCutter::in_front_of(&db);
    let bank = Bank::start();
    let counter = Counter::local_demo();
    configure_bank(&counter, &bank.url("/vemaha"), None, &bank.url("/HB"), None);
    copy_into(&counter, &url);
    let mut client = db.connect();
    let made = reserve_for_aino(&counter, &url, "adult=2");
    let reference = made["reference"].as_str().unwrap().to_string();
    let cents = made["total_cents"].as_i64().unwrap();
    pay_at_the_bank(
        &bank,
        &reference,
        &format!("{},{:02}", cents / 100, cents % 100),
    );
    let orders_before: i64 = client
        .query_one("SELECT count(*) FROM orders", &[])
        .unwrap()
        .get(0);

    // The payment query says paid; the answer to the sale's COMMIT is lost on the way back. The
    // counter finds the payment by its operation id and shows the order it recorded, not
    // "already paid" and not an error.
    cutter.arm(b"INSERT INTO reservation_payments");
    let checked = json(&cashier(
        &counter,
        &url,
        &["reservation", "check", &reference, "--json"],
    ));
    assert!(cutter.fired(), "the relay saw no payment COMMIT");
    assert_eq!(checked[0]["outcome"], "paid", "{checked}");
    let order = checked[0]["order_number"].as_i64().unwrap();
    let detail = checked[0]["detail"].as_str().unwrap();
    assert!(detail.contains("tickets printed"), "{detail}");

    // Recorded once: one order, one payment, one operation naming that order; journaled once.
    let row = client
        .query_one(
            "SELECT (SELECT count(*) FROM orders),
                    (SELECT count(*) FROM reservation_payments),
                    (SELECT count(*) FROM operations WHERE kind = 'reservation.pay'),
                    (SELECT order_id FROM operations WHERE kind = 'reservation.pay'),
                    (SELECT count(*) FROM journal WHERE kind = 'sale' AND order_id = $1),
                    (SELECT count(*) FROM journal WHERE kind = 'reservation.paid')",
            &[&order],
        )
        .unwrap();
    let counts: (i64, i64, i64, Option<i64>, i64, i64) = (
        row.get(0),
        row.get(1),
        row.get(2),
        row.get(3),
        row.get(4),
        row.get(5),
    );
    assert_eq!(counts, (orders_before + 1, 1, 1, Some(order), 1, 1));

    // Asked again, the reservation is paid by that same order.
    let again = json(&cashier(
        &counter,
        &url,
        &["reservation", "check", &reference, "--json"],
    ));
    assert_eq!(again[0]["outcome"], "paid", "{again}");
    assert_eq!(again[0]["order_number"].as_i64(), Some(order), "{again}");

    // A phone order past its due date and not paid (written as an older version would have it):
    // the check releases it; the answer to that COMMIT is lost too. Released once, its place
    // back, and the check says released (not an error, not "already released").
    client
        .batch_execute(
            "INSERT INTO reservations (id, reference, kind, register_id, user_id, performance_id,
                                       created_at, due_date, total_cents, lang)
             SELECT 7, '100071', 'reservation', id, 1, 1, '2026-01-01T10:00:00+02:00', '2026-01-02',
                    3500, 'fi' FROM register;
             INSERT INTO reservation_lines (reservation_id, line_no, category_id, quantity,
                                            unit_price_cents, vat_basis_points)
             SELECT 7, 1, c.id, 1, 3500, 1000 FROM price_categories c
             JOIN performances p ON p.event_id = c.event_id WHERE p.id = 1 AND c.code = 'adult';",
        )
        .unwrap();
    let sold = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("SELECT sold FROM performances WHERE id = 1", &[])
            .unwrap()
            .get(0)
    };
    let held = sold(&mut client);
    cutter.arm(b"INSERT INTO reservation_events");
    let released = json(&cashier(
        &counter,
        &url,
        &["reservation", "check", "100071", "--json"],
    ));
    assert!(cutter.fired(), "the relay saw no release COMMIT");
    assert_eq!(released[0]["outcome"], "released", "{released}");
    let ends = "SELECT count(*) FROM reservation_events WHERE reservation_id = 7";
    assert_eq!(counted(&mut client, ends, "reservation.release"), (1, 1));
    assert_eq!(sold(&mut client), held - 1);
    let out = counter
        .command(&["--database", url.as_str(), "verify"])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The `COMMIT` is answered and then the connection closes (a server restart, a network drop
/// between two statements): the operation stands, and what comes after it on the counter (the
/// read that shows it, the journal anchor) begins on a new connection instead of telling the
/// cashier that nothing was written.
#[test]
fn a_connection_that_closes_right_after_its_commit_is_made_again_for_what_follows() {
    let db = server::database();
    let (cutter, url) = CommitCutter::in_front_of(&db);
    let counter = Counter::local_demo();
    copy_into(&counter, &url);
    let mut client = db.connect();
    let made = reserve_for_aino(&counter, &url, "adult=1");
    let reference = made["reference"].as_str().unwrap();
    cutter.arm_with(b"INSERT INTO reservation_events", Cut::AfterAnswer, false);
    let released = cashier(
        &counter,
        &url,
        &[
            "reservation",
            "release",
            reference,
            "--reason",
            "changed plans",
        ],
    );
    assert!(cutter.fired(), "the relay saw no release COMMIT");
    assert!(released.contains("released"), "{released}");
    for entry in std::fs::read_dir(counter.path().join("logs"))
        .into_iter()
        .flatten()
    {
        eprintln!(
            "LOG {}",
            std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default()
        );
    }
    let ends = "SELECT count(*) FROM reservation_events";
    assert_eq!(counted(&mut client, ends, "reservation.release"), (1, 1));
    // The anchor was written after the release on the new connection: verify finds it current.
    let out = counter
        .command(&["--database", url.as_str(), "verify"])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{} {}", stderr(&out), stdout(&out));
}

/// A relay to the server's socket (trust: the in-process ledger needs no password) that counts
/// the connections made through it and can go down: every open connection cut, every new one
/// closed at once.
struct SocketRelay {
    port: u16,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl SocketRelay {
    fn start(socket: std::path::PathBuf) -> SocketRelay {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let relay = SocketRelay {
            port: listener.local_addr().unwrap().port(),
            accepted: Default::default(),
            down: Default::default(),
            open: Default::default(),
        };
        let (accepted, down, open) = (
            relay.accepted.clone(),
            relay.down.clone(),
            relay.open.clone(),
        );
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                accepted.fetch_add(1, Ordering::SeqCst);
                if down.load(Ordering::SeqCst) {
                    let _ = client.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let upstream = std::os::unix::net::UnixStream::connect(&socket).unwrap();
                open.lock().unwrap().push(client.try_clone().unwrap());
                let (mut c_read, mut u_write) =
                    (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut u_read, mut c_write) = (upstream, client);
                std::thread::spawn(move || std::io::copy(&mut c_read, &mut u_write));
                std::thread::spawn(move || std::io::copy(&mut u_read, &mut c_write));
            }
        });
        relay
    }

    fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn go_down(&self) {
        self.down.store(true, std::sync::atomic::Ordering::SeqCst);
        for client in self.open.lock().unwrap().drain(..) {
            let _ = client.shutdown(std::net::Shutdown::Both);
        }
    }

    fn come_back(&self) {
        self.down.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The server goes out of reach between two reads: the next read finds its connection dead and
/// tries one new connection; the reads right after it fail at once without trying again (no
/// connection attempt per click while the network is down); once the server is back and the
/// quiet moment is over, a read connects again by itself.
#[test]
fn a_dead_connection_is_made_again_by_the_next_read_but_not_on_every_read_while_out_of_reach() {
    use boxoffice::ledger::{Ledger, LedgerError, RECONNECT_QUIET, pg};
    let db = server::database();
    pg::migrate(&mut db.connect(), &db.url()).unwrap();
    let relay = SocketRelay::start(
        server::server()
            .socket_dir()
            .join(format!(".s.PGSQL.{}", db.port)),
    );
    let url = format!(
        "postgres://{}@127.0.0.1:{}/{}?sslmode=disable",
        server::ADMIN,
        relay.port,
        db.name
    );
    let dir = tempfile::tempdir().unwrap();
    let client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut ledger = Ledger::open_shared_with(dir.path(), client, &url).unwrap();
    let head = |ledger: &mut Ledger| ledger.read(|tx| tx.journal_head().map(|_| ()));
    head(&mut ledger).unwrap();
    let before = relay.accepted();

    relay.go_down();
    let lost = head(&mut ledger).unwrap_err();
    assert!(matches!(lost, LedgerError::Unreachable { .. }), "{lost:?}");
    assert_eq!(relay.accepted(), before + 1, "one new connection tried");
    for _ in 0..3 {
        let again = head(&mut ledger).unwrap_err();
        assert!(
            matches!(again, LedgerError::Unreachable { .. }),
            "{again:?}"
        );
    }
    assert_eq!(
        relay.accepted(),
        before + 1,
        "no connection tried while quiet"
    );

    relay.come_back();
    std::thread::sleep(RECONNECT_QUIET + std::time::Duration::from_millis(100));
    head(&mut ledger).unwrap();
    assert_eq!(
        relay.accepted(),
        before + 2,
        "connected again by the read itself"
    );
}
