//! One query source, two engines (issue 15): the ledger functions written once against
//! `engine::Db` run on a real SQLite ledger and on a real PostgreSQL server, and must give the
//! same answers. Each case below runs on both (one parametrised suite, not two copies).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use boxoffice::ledger::catalog::{self, NewCategory, NewEvent};
use boxoffice::ledger::engine::Db;
use boxoffice::ledger::pg::{self, SharedLedger};
use boxoffice::ledger::{Ledger, LedgerError};
use common::pg as server;

/// Runs `case` on a fresh SQLite ledger and on a fresh shared ledger; returns both answers.
fn on_both_engines<T: std::fmt::Debug + PartialEq>(
    case: impl Fn(&mut dyn Db) -> Result<T, LedgerError>,
) -> T {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path()).unwrap();
    let sqlite = ledger
        .transact(|tx| case(&mut tx.db()))
        .expect("the case on SQLite");

    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).unwrap();
    let mut shared = SharedLedger::with_client(client, &db.url()).unwrap();
    let postgres = shared
        .transact(|tx| case(tx))
        .expect("the case on PostgreSQL");
    assert_eq!(sqlite, postgres, "the engines disagree");
    sqlite
}

fn demo_catalog(
    db: &mut dyn Db,
) -> Result<(i64, boxoffice::domain::ids::PerformanceId), LedgerError> {
    catalog::insert_vat_rate(db, "culture", "2020-01-01", 1000)?;
    catalog::insert_vat_rate(db, "culture", "2025-01-01", 1400)?;
    // The same rate again is no error and no second row.
    catalog::insert_vat_rate(db, "culture", "2025-01-01", 1400)?;
    let event = catalog::insert_event(
        db,
        &NewEvent {
            names: ["Näytelmä", "Pjäs", "Play"],
            venue: "Pieni näyttämö",
            organiser: "Teatteri",
            created_by: None,
        },
    )?;
    let late = catalog::insert_performance(db, event, "2026-03-02T19:00:00+02:00", 80)?;
    catalog::insert_performance(db, event, "2026-03-01T19:00:00+02:00", 120)?;
    catalog::insert_performance(db, event, "2025-12-01T19:00:00+02:00", 50)?;
    for (order, code, price, class) in [
        (2, "ELÄKE", 1800, "culture"),
        (1, "AIK", 2500, "culture"),
        (3, "VIP", 9000, "luxury"),
    ] {
        catalog::insert_category(
            db,
            event,
            order,
            &NewCategory {
                code,
                names: [code, code, code],
                price_cents: price,
                vat_class: class,
            },
        )?;
    }
    Ok((event, late))
}

#[test]
fn the_catalog_gives_the_same_answers_on_both_engines() {
    let (performances, categories, one, missing, events) = on_both_engines(|db| {
        let (event, late) = demo_catalog(db)?;
        Ok((
            catalog::performances_from(db, "2026-01-01")?,
            // The rate in force on the date; a class without a rate (luxury) is left out.
            catalog::categories(db, event, "2026-01-15")?,
            catalog::performance(db, late)?,
            catalog::performance(db, boxoffice::domain::ids::PerformanceId(late.get() + 1000))?,
            catalog::count_events(db)?,
        ))
    });
    // What both said is also right (so two engines agreeing on nothing cannot pass).
    let starts: Vec<&str> = performances.iter().map(|p| p.starts_at.as_str()).collect();
    assert_eq!(
        starts,
        ["2026-03-01T19:00:00+02:00", "2026-03-02T19:00:00+02:00"]
    );
    assert_eq!(performances[0].remaining, 120);
    assert_eq!(performances[0].event.name_fi, "Näytelmä");
    let codes: Vec<(&str, i64)> = categories
        .iter()
        .map(|c| (c.code.as_str(), c.vat_basis_points))
        .collect();
    assert_eq!(codes, [("AIK", 1400), ("ELÄKE", 1400)]);
    assert_eq!(one.map(|p| p.capacity), Some(80));
    assert_eq!(missing, None);
    assert_eq!(events, 1);
}

/// Runs `case` after the demo catalog on each engine; the error sentences of both.
fn refusal_on_both_engines(
    case: impl Fn(&mut dyn Db, i64) -> Result<(), LedgerError>,
) -> [String; 2] {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path()).unwrap();
    let sqlite = ledger.transact(|tx| {
        let (event, _) = demo_catalog(&mut tx.db())?;
        case(&mut tx.db(), event)
    });
    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).unwrap();
    let mut shared = SharedLedger::with_client(client, &db.url()).unwrap();
    let postgres = shared.transact(|tx| {
        let (event, _) = demo_catalog(tx)?;
        case(tx, event)
    });
    [sqlite, postgres].map(|outcome| outcome.expect_err("the write was allowed").to_string())
}

#[test]
fn the_database_refuses_the_same_writes_on_both_engines() {
    // A negative capacity: the CHECK on performances.
    for said in refusal_on_both_engines(|db, event| {
        catalog::insert_performance(db, event, "2026-05-01T19:00:00+03:00", -1).map(drop)
    }) {
        assert!(said.contains("check") || said.contains("CHECK"), "{said}");
    }
    // A second category with the same code: UNIQUE (event_id, code).
    for said in refusal_on_both_engines(|db, event| {
        let category = NewCategory {
            code: "AIK",
            names: ["A", "A", "A"],
            price_cents: 1,
            vat_class: "culture",
        };
        catalog::insert_category(db, event, 9, &category).map(drop)
    }) {
        assert!(
            said.contains("UNIQUE") || said.contains("duplicate key"),
            "{said}"
        );
    }
    // A price changed in place: the trigger, in the same words on both engines.
    for said in refusal_on_both_engines(|db, _| {
        db.execute(
            "UPDATE price_categories SET price_cents = price_cents + 1",
            &[],
        )
        .map(drop)
    }) {
        assert!(said.contains("a price is fixed once written"), "{said}");
    }
}

#[test]
fn a_shared_ledger_behind_this_version_is_refused_until_the_owner_migrates() {
    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).unwrap();
    client
        .execute("UPDATE boxoffice_schema SET version = 11", &[])
        .unwrap();
    let error = SharedLedger::with_client(client, &db.url()).unwrap_err();
    assert!(
        matches!(error, LedgerError::SharedNotMigrated { found: 11, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("db migrate"), "{error}");
}
