//! The shared ledger out of reach (issue 15): a counter (the program's services in this process,
//! as the GUI holds them) selling on a real PostgreSQL that is stopped and started again. The
//! first sale after the stop finds it gone; from then on the status says since when and the last
//! error, and sales are refused at once with a sentence in fi/sv/en instead of a connection
//! timeout per click; after the server is back the counter reconnects by itself and sells.
//! Its own test binary: stopping the server ends every connection to the binary's server.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::time::{Duration, Instant};

use boxoffice::app::{AppError, PROBE_EVERY, SaleError, SaleRequest, Services, error_text};
use boxoffice::domain::Money;
use boxoffice::domain::ids::PerformanceId;
use boxoffice::i18n::Lang;
use common::pg as server;
use common::venue::PASSWORD_ENV;
use common::{Counter, stderr};

fn request() -> SaleRequest {
    SaleRequest {
        performance_id: PerformanceId(1),
        items: vec![("adult".into(), 1)],
        tendered: Money::from_cents(5000),
        ..SaleRequest::default()
    }
}

#[test]
fn the_shared_ledger_out_of_reach_is_known_at_once_refused_with_a_sentence_and_reconnected() {
    let server = server::server();
    let db = server::database();
    // Over the server's socket (trust): this process needs no password to reconnect.
    let url = format!(
        "postgres://{}@localhost/{}?host={}&port={}&sslmode=disable",
        server::ADMIN,
        db.name,
        server.socket_dir().display(),
        server.port
    );
    let counter = Counter::demo();
    let out = counter
        .command(&["db", "copy", "--to", &url])
        .env(PASSWORD_ENV, server::ADMIN_PASSWORD)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "db copy: {}", stderr(&out));
    boxoffice::mail::secrets::use_key_file_for(counter.path(), &counter.key_file());
    let mut services = Services::open_shared(counter.path(), &url).unwrap();
    let session = services.login("cashier", "1111").unwrap();
    services.record_cash_sale(&session, &request()).unwrap();
    let status = services.shared_ledger_status().unwrap();
    assert!(status.ok, "{status:?}");

    server.stop();
    // The first sale finds the ledger gone (after trying to reconnect for a few seconds).
    let started = Instant::now();
    let first = services.record_cash_sale(&session, &request());
    let first_took = started.elapsed();
    assert!(
        matches!(first, Err(AppError::Ledger(_))),
        "{:?}",
        first.map(|r| r.order_number)
    );
    let status = services.shared_ledger_status().unwrap();
    assert!(!status.ok, "{status:?}");
    assert!(
        status.detail.starts_with("out of reach since "),
        "{status:?}"
    );
    assert!(status.last_error.is_some() && status.last_error_at.is_some());
    // From now on a sale is refused at once, with since when and the last error.
    let started = Instant::now();
    let refused = services.record_cash_sale(&session, &request()).unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(200), "refused after {took:?}");
    assert!(
        matches!(refused, AppError::Sale(SaleError::LedgerUnreachable { .. })),
        "{refused:?}"
    );
    let since = services.shared_link().down_since.clone().unwrap();
    for (lang, words) in [
        (Lang::Fi, "tavoittamattomissa"),
        (Lang::Sv, "onåbar"),
        (Lang::En, "out of reach since"),
    ] {
        let text = error_text(lang, &refused);
        assert!(text.contains(words) && text.contains(&since), "{text}");
    }

    // Back: the counter reconnects by itself (at most every PROBE_EVERY) and sells.
    server.start_again();
    std::thread::sleep(PROBE_EVERY);
    let started = Instant::now();
    let sold = services.record_cash_sale(&session, &request()).unwrap();
    eprintln!(
        "out of reach: first sale failed after {first_took:?}, the next refused in {took:?}, \
         the sale after the restart (reconnect included) took {:?}",
        started.elapsed()
    );
    assert!(services.shared_ledger_status().unwrap().ok);
    assert!(services.shared_link().down_since.is_none());
    let orders: i64 = db
        .connect()
        .query_one("SELECT count(*) FROM orders", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        orders, 2,
        "one sale before, one after: none while out of reach"
    );
    assert_eq!(sold.receipt_number, 2);
}
