//! The shared ledger's statement cache (issue 15): each SQL text is prepared once per
//! connection and reused, as rusqlite's `prepare_cached` does on SQLite. Checked on a real
//! server by what the server itself lists as prepared in the connection's session.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use boxoffice::ledger::catalog::{self, NewEvent};
use boxoffice::ledger::engine::Db as _;
use boxoffice::ledger::{Ledger, LedgerError, pg};
use common::pg as server;

/// The statements the server holds prepared for the ledger's connection.
fn prepared_on_server(ledger: &mut Ledger) -> i64 {
    ledger
        .read(|tx| {
            tx.db()
                .query_one("SELECT count(*) FROM pg_prepared_statements", &[])?
                .int(0)
        })
        .map_err(|e: LedgerError| e.to_string())
        .unwrap()
}

fn some_reads(ledger: &mut Ledger) {
    ledger
        .read(|tx| {
            let mut db = tx.db();
            catalog::performances_from(&mut db, "2026-01-01")?;
            catalog::performance(&mut db, boxoffice::domain::ids::PerformanceId(1))?;
            Ok::<_, LedgerError>(())
        })
        .unwrap();
}

#[test]
fn each_sql_text_is_prepared_once_per_connection() {
    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open_shared_with(dir.path(), db.connect(), &db.url()).unwrap();
    ledger
        .transact(|tx| {
            let mut db = tx.db();
            let event = catalog::insert_event(
                &mut db,
                &NewEvent {
                    names: ["Näytelmä", "Pjäs", "Play"],
                    venue: "Sali",
                    organiser: "Teatteri",
                    created_by: None,
                },
            )?;
            catalog::insert_performance(&mut db, event, "2026-03-02T19:00:00+02:00", 80)
        })
        .unwrap();
    some_reads(&mut ledger);
    let cached = ledger.cached_statements();
    assert!(cached >= 4, "only {cached} statements cached");
    // The server holds exactly the cache (the count query itself now among them).
    assert_eq!(prepared_on_server(&mut ledger), cached as i64 + 1);
    let before = ledger.cached_statements();
    for _ in 0..5 {
        some_reads(&mut ledger);
    }
    // The same SQL again prepares nothing more, on either side.
    assert_eq!(ledger.cached_statements(), before);
    assert_eq!(prepared_on_server(&mut ledger), before as i64);

    // Turned off (for comparisons), statements are prepared per call and nothing stays.
    ledger.set_statement_cache(false);
    some_reads(&mut ledger);
    assert_eq!(ledger.cached_statements(), 0);
    assert!(prepared_on_server(&mut ledger) <= 1);
    // On again: the reads' statements are prepared anew and kept.
    ledger.set_statement_cache(true);
    some_reads(&mut ledger);
    let again = ledger.cached_statements();
    assert!(again >= 2 && again < cached, "{again} of {cached}");
    assert_eq!(prepared_on_server(&mut ledger), again as i64 + 1);

    // A column's type changed under the running counter: the prepared plan no longer fits. That
    // read fails with the server's sentence and empties the cache; the next read prepares again.
    client
        .batch_execute("ALTER TABLE performances ALTER COLUMN starts_at TYPE varchar(40)")
        .unwrap();
    let failed = ledger.read(|tx| {
        let mut db = tx.db();
        catalog::performances_from(&mut db, "2026-01-01")
    });
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(ledger.cached_statements(), 0);
    some_reads(&mut ledger);
    assert!(ledger.cached_statements() >= 2);
}
