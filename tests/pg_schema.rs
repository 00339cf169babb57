//! The two engines' schemas in lockstep (issue 15), on a real PostgreSQL server and a real SQLite
//! file: every SQLite migration has a PostgreSQL twin with the same tables, columns, keys,
//! constraints, indexes and triggers by name. A new SQLite migration without its twin (or a twin
//! that differs) fails here with the differences listed.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use std::collections::BTreeSet;

use boxoffice::ledger::{Ledger, LedgerError, pg};
use common::pg as server;

/// One line per schema fact, e.g. `orders: trigger orders_no_update`.
type Facts = BTreeSet<String>;

fn sqlite_facts() -> Facts {
    let dir = tempfile::tempdir().unwrap();
    drop(Ledger::open(dir.path()).expect("open a new SQLite ledger"));
    let conn = rusqlite::Connection::open(dir.path().join("ledger.sqlite3")).unwrap();
    let mut facts = Facts::new();
    let tables: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (table, sql) in &tables {
        facts.insert(format!("{table}: table"));
        let mut pk = Vec::new();
        let mut stmt = conn
            .prepare("SELECT name, upper(type), \"notnull\", dflt_value IS NOT NULL, pk FROM pragma_table_info(?1) ORDER BY pk, cid")
            .unwrap();
        let columns = stmt
            .query_map([table], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap);
        for (name, kind, not_null, default, in_pk) in columns {
            if in_pk > 0 {
                pk.push(name.clone());
            }
            facts.insert(column_fact(
                table,
                &name,
                &kind,
                not_null || in_pk > 0,
                default,
            ));
        }
        if !pk.is_empty() {
            facts.insert(format!("{table}: primary key ({})", pk.join(", ")));
        }
        let indexes: Vec<(String, bool, String, bool)> = conn
            .prepare("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)")
            .unwrap()
            .query_map([table], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (index, unique, origin, partial) in indexes {
            match origin.as_str() {
                "u" => {
                    let columns: Vec<String> = conn
                        .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                        .unwrap()
                        .query_map([&index], |r| r.get(0))
                        .unwrap()
                        .map(Result::unwrap)
                        .collect();
                    facts.insert(format!("{table}: unique ({})", columns.join(", ")));
                }
                "c" => {
                    facts.insert(index_fact(table, &index, unique, partial));
                }
                _ => {}
            }
        }
        let mut keys: Vec<(i64, String, String, String)> = conn
            .prepare("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq")
            .unwrap()
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        keys.dedup_by_key(|k| k.0);
        for (_, to_table, from, to) in keys {
            facts.insert(format!(
                "{table}: foreign key ({from}) -> {to_table} ({to})"
            ));
        }
        facts.insert(format!("{table}: {} CHECK constraints", count_checks(sql)));
    }
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (table, name) in triggers {
        facts.insert(format!("{table}: trigger {name}"));
    }
    facts
}

/// CHECK constraints in a table's SQL (comments removed).
fn count_checks(sql: &str) -> usize {
    let text: String = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or_default().to_uppercase())
        .collect::<Vec<_>>()
        .join("\n");
    text.match_indices("CHECK")
        .filter(|(at, _)| {
            let rest = text[at + 5..].trim_start();
            rest.starts_with('(')
        })
        .count()
}

fn column_fact(table: &str, name: &str, kind: &str, not_null: bool, default: bool) -> String {
    format!(
        "{table}: column {name} {kind}{}{}",
        if not_null { " NOT NULL" } else { "" },
        if default { " DEFAULT" } else { "" }
    )
}

fn index_fact(table: &str, name: &str, unique: bool, partial: bool) -> String {
    format!(
        "{table}: {}index {name}{}",
        if unique { "unique " } else { "" },
        if partial { " (partial)" } else { "" }
    )
}

fn postgres_facts(client: &mut postgres::Client) -> Facts {
    let mut facts = Facts::new();
    let tables = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'boxoffice_schema'";
    for row in client.query(tables, &[]).unwrap() {
        facts.insert(format!("{}: table", row.get::<_, String>(0)));
    }
    let columns = format!(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO', column_default IS NOT NULL
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ({tables})"
    );
    for row in client.query(&columns, &[]).unwrap() {
        let kind = match row.get::<_, String>(2).as_str() {
            "bigint" => "INTEGER".to_string(),
            "text" => "TEXT".to_string(),
            "double precision" => "REAL".to_string(),
            other => format!("{other} (no SQLite twin)"),
        };
        facts.insert(column_fact(
            &row.get::<_, String>(0),
            &row.get::<_, String>(1),
            &kind,
            row.get(3),
            row.get(4),
        ));
    }
    let constraints = format!(
        "SELECT c.conrelid::regclass::text, c.contype::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                coalesce(c.confrelid::regclass::text, ''),
                ARRAY(SELECT a.attname::text FROM unnest(coalesce(c.confkey, '{{}}')) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
         WHERE t.relnamespace = 'public'::regnamespace AND t.relname IN ({tables})"
    );
    let mut checks = std::collections::BTreeMap::<String, usize>::new();
    for row in client.query(&tables.to_string(), &[]).unwrap() {
        checks.insert(row.get(0), 0);
    }
    for row in client.query(&constraints, &[]).unwrap() {
        let table: String = row.get(0);
        let kind: String = row.get(1);
        let columns: Vec<String> = row.get(2);
        let columns = columns.join(", ");
        match kind.as_str() {
            "p" => {
                facts.insert(format!("{table}: primary key ({columns})"));
            }
            "u" => {
                facts.insert(format!("{table}: unique ({columns})"));
            }
            "f" => {
                let to: Vec<String> = row.get(4);
                facts.insert(format!(
                    "{table}: foreign key ({columns}) -> {} ({})",
                    row.get::<_, String>(3),
                    to.join(", ")
                ));
            }
            "c" => *checks.entry(table).or_default() += 1,
            other => {
                facts.insert(format!(
                    "{table}: constraint of kind {other} (no SQLite twin)"
                ));
            }
        }
    }
    for (table, count) in checks {
        facts.insert(format!("{table}: {count} CHECK constraints"));
    }
    let indexes = format!(
        "SELECT t.relname::text, i.relname::text, x.indisunique, x.indpred IS NOT NULL
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         WHERE t.relnamespace = 'public'::regnamespace AND t.relname IN ({tables})
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
    );
    for row in client.query(&indexes, &[]).unwrap() {
        facts.insert(index_fact(
            &row.get::<_, String>(0),
            &row.get::<_, String>(1),
            row.get(2),
            row.get(3),
        ));
    }
    let triggers = format!(
        "SELECT c.relname::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace AND c.relname IN ({tables})"
    );
    for row in client.query(&triggers, &[]).unwrap() {
        facts.insert(format!(
            "{}: trigger {}",
            row.get::<_, String>(0),
            row.get::<_, String>(1)
        ));
    }
    facts
}

fn migrated() -> (server::TestDb, postgres::Client) {
    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).expect("apply the PostgreSQL migrations");
    (db, client)
}

#[test]
fn postgres_migrations_are_the_twins_of_the_sqlite_ones() {
    let sqlite = sqlite_facts();
    let (_db, mut client) = migrated();
    let postgres = postgres_facts(&mut client);
    // The comparison sees what matters (so an empty or broken reader cannot pass).
    for fact in [
        "journal: trigger journal_no_update",
        "performances: 2 CHECK constraints",
        "seat_occupancy: primary key (performance_id, seat_id)",
        "refund_tickets: unique (ticket_id)",
        "card_outcomes: foreign key (service_id) -> card_attempts (service_id)",
        "receipts: index receipts_by_shift",
        "cash_roundings: unique index cash_roundings_one_per_sale (partial)",
        "orders: column total_cents INTEGER NOT NULL",
    ] {
        assert!(sqlite.contains(fact), "SQLite lacks {fact}");
    }
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ (add or fix the twin under migrations/postgres/):\n\
         only in SQLite:\n  {}\nonly in PostgreSQL:\n  {}",
        only_sqlite
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        only_postgres
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
}

#[test]
fn migrating_twice_changes_nothing_and_reports_the_version() {
    let (db, mut client) = migrated();
    let before = postgres_facts(&mut client);
    let version = pg::migrate(&mut client, &db.url()).unwrap();
    assert_eq!(version, pg::latest_version());
    assert_eq!(postgres_facts(&mut client), before);
}

#[test]
fn a_ledger_written_by_a_newer_version_is_refused_untouched() {
    let (db, mut client) = migrated();
    let newer = pg::latest_version() + 1;
    client
        .execute("UPDATE boxoffice_schema SET version = $1", &[&newer])
        .unwrap();
    let before = postgres_facts(&mut client);
    let error = pg::migrate(&mut client, &db.url()).unwrap_err();
    assert!(
        matches!(error, LedgerError::NewerSchema { found, .. } if found == newer),
        "{error}"
    );
    assert!(error.to_string().contains("newer version"), "{error}");
    assert_eq!(postgres_facts(&mut client), before);
    let version: i64 = client
        .query_one("SELECT version FROM boxoffice_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, newer);
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let db = server::database();
    let mut client = db.connect();
    client
        .batch_execute("CREATE TABLE customers (id bigint PRIMARY KEY)")
        .unwrap();
    let error = pg::migrate(&mut client, &db.url()).unwrap_err();
    assert!(matches!(error, LedgerError::Corrupt { .. }), "{error}");
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
}
