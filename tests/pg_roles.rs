//! Roles and rules on the shared ledger (issue 15), on a real PostgreSQL server: the SQL of
//! docs/postgres.md as written there; the application role cannot change or remove money
//! history, and the triggers refuse the same even to the owner; capacity, seats and refund
//! limits are the database's.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use boxoffice::ledger::pg;
use common::pg as server;
use postgres::error::SqlState;

/// The ```sql block of docs/postgres.md whose first line is `-- {marker}`.
fn docs_sql(marker: &str) -> String {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/postgres.md")).unwrap();
    docs.split("```sql\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap())
        .find(|block| block.starts_with(&format!("-- {marker}")))
        .unwrap_or_else(|| panic!("docs/postgres.md has no sql block `-- {marker}`"))
        .to_string()
}

fn refused(result: Result<u64, postgres::Error>) -> (SqlState, String) {
    let error = result.expect_err("the change was allowed");
    let db = error.as_db_error().expect("a database error");
    (db.code().clone(), db.message().to_string())
}

/// Rows in every money table the test touches (as the application role, which may insert).
fn seed(client: &mut postgres::Client) {
    client
        .batch_execute(
            "INSERT INTO register (id, name, created_at) VALUES ('R1', 'Kassa 1', '2026-01-01T10:00:00Z');
             INSERT INTO users (id, name, role, pin_hash) VALUES (1, 'admin', 'admin', 'x');
             INSERT INTO events (id, name_fi, name_sv, name_en, venue, organiser) VALUES (1, 'E', 'E', 'E', 'V', 'O');
             INSERT INTO performances (id, event_id, starts_at, capacity) VALUES (1, 1, '2026-02-01T19:00:00Z', 1);
             INSERT INTO price_categories (id, event_id, code, name_fi, name_sv, name_en, price_cents, vat_class)
                 VALUES (1, 1, 'A', 'A', 'A', 'A', 1000, 'culture');
             INSERT INTO shifts (id, register_id, opened_by, opened_at, float_cents) VALUES (1, 'R1', 1, 'now', 0);
             INSERT INTO cash_movements (shift_id, kind, amount_cents, reason, user_id, at) VALUES (1, 'cash_in', 100, 'r', 1, 'now');
             INSERT INTO orders (id, register_id, shift_id, user_id, created_at, total_cents) VALUES (1, 'R1', 1, 1, 'now', 1000);
             INSERT INTO order_lines (id, order_id, line_no, performance_id, category_id, quantity, unit_price_cents,
                                      vat_basis_points, gross_cents, vat_cents, net_cents)
                 VALUES (1, 1, 1, 1, 1, 2, 1000, 1000, 2000, 182, 1818);
             INSERT INTO tickets (id, code, order_id, line_id, performance_id, price_cents) VALUES (1, 'T1', 1, 1, 1, 1000);
             INSERT INTO payments (attempt_id, order_id, tender, amount_cents, state, created_at)
                 VALUES ('a1', 1, 'cash', 1000, 'approved', 'now');
             INSERT INTO receipts (register_id, number, order_id, shift_id, kind, created_at) VALUES ('R1', 1, 1, 1, 'sale', 'now');
             INSERT INTO journal (register_id, at, kind, content, prev_hash, hash) VALUES ('R1', 'now', 'sale', '{}', '0', '1');",
        )
        .expect("the application role adds rows");
}

/// Money tables and a column of each.
const MONEY_TABLES: &[(&str, &str)] = &[
    ("journal", "content"),
    ("orders", "total_cents"),
    ("order_lines", "gross_cents"),
    ("payments", "amount_cents"),
    ("receipts", "number"),
    ("shifts", "float_cents"),
    ("cash_movements", "amount_cents"),
];

#[test]
fn the_application_role_cannot_change_money_history_and_the_triggers_refuse_the_owner() {
    let admin = server::server();
    let mut superuser = admin.connect("postgres");
    // docs/postgres.md's server block, with this test's database name.
    let server_sql =
        docs_sql("server: as a superuser").replace("DATABASE boxoffice ", "DATABASE roles_test ");
    // One statement at a time: CREATE DATABASE cannot run inside a transaction block.
    for statement in server_sql.split(';').filter(|s| !s.trim().is_empty()) {
        superuser.batch_execute(statement).unwrap();
    }
    superuser
        .batch_execute(
            "ALTER ROLE boxoffice_owner PASSWORD 'owner-pw'; ALTER ROLE boxoffice_app PASSWORD 'app-pw';",
        )
        .unwrap();
    let url = format!(
        "postgres://boxoffice_owner@127.0.0.1:{}/roles_test",
        admin.port
    );
    let mut owner = server::connect(admin.port, "roles_test", "boxoffice_owner", "owner-pw");
    pg::migrate(&mut owner, &url).expect("the owner runs the migrations");
    owner
        .batch_execute(&docs_sql("ledger: as boxoffice_owner"))
        .unwrap();
    // The block is idempotent (run again after an upgrade).
    owner
        .batch_execute(&docs_sql("ledger: as boxoffice_owner"))
        .unwrap();

    let mut app = server::connect(admin.port, "roles_test", "boxoffice_app", "app-pw");
    // The application role cannot migrate (no DDL) ...
    let (code, _) = refused(app.execute("CREATE TABLE sneaky (id bigint)", &[]));
    assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE);
    // ... nor write the version.
    let (code, _) = refused(app.execute("UPDATE boxoffice_schema SET version = 99", &[]));
    assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE);
    seed(&mut app);
    // A journal entry's number is drawn through the owner's function (migration 0019); the
    // application role cannot move the sequence itself.
    let seq: i64 = app
        .query_one("SELECT journal_next_seq()", &[])
        .unwrap()
        .get(0);
    assert_eq!(seq, 2, "the seeded entry took number 1");
    let (code, _) = refused(app.execute(
        "SELECT setval(pg_get_serial_sequence('journal', 'seq'), 1)",
        &[],
    ));
    assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE);

    for (table, column) in MONEY_TABLES {
        let (code, message) =
            refused(app.execute(&format!("UPDATE {table} SET {column} = {column}"), &[]));
        assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE, "{table}: {message}");
        assert!(message.contains("permission denied"), "{table}: {message}");
        let (code, message) = refused(app.execute(&format!("DELETE FROM {table}"), &[]));
        assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE, "{table}: {message}");
        let (code, _) = refused(app.execute(&format!("TRUNCATE {table} CASCADE"), &[]));
        assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE, "{table}");
    }
    // A shift's running sums: added to by the receipt's trigger (as the owner), never written
    // by the application itself.
    let tickets: i64 = app
        .query_one(
            "SELECT tickets FROM shift_sums WHERE shift_id = 1 AND vat_basis_points = 1000",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tickets, 2, "the seeded receipt's line of 2 tickets");
    for sql in [
        "UPDATE shift_sums SET tickets = 0",
        "DELETE FROM shift_sums",
        "INSERT INTO shift_sums (shift_id, vat_basis_points, receipts) VALUES (2, -1, 1)",
    ] {
        let (code, message) = refused(app.execute(sql, &[]));
        assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE, "{sql}: {message}");
    }
    // No temporary table can stand in for a ledger table in the owner's functions: the
    // application role may not make one, and the functions search the ledger's schema first.
    let (code, _) = refused(app.execute("CREATE TEMP TABLE shift_sums (shift_id bigint)", &[]));
    assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE);
    for function in ["receipts_add_to_shift_sums", "journal_next_seq"] {
        let config: Vec<String> = owner
            .query_one(
                "SELECT proconfig FROM pg_proc WHERE proname = $1",
                &[&function],
            )
            .unwrap()
            .get(0);
        assert_eq!(config, ["search_path=public, pg_temp"], "{function}");
    }
    // A ticket's state is the one column of a ticket the application may change ...
    let (code, _) = refused(app.execute("UPDATE tickets SET price_cents = 1", &[]));
    assert_eq!(code, SqlState::INSUFFICIENT_PRIVILEGE);
    // ... and only forward.
    app.execute("UPDATE tickets SET state = 'revoked' WHERE id = 1", &[])
        .expect("a refund revokes a ticket");
    let (_, message) = refused(app.execute("UPDATE tickets SET state = 'valid' WHERE id = 1", &[]));
    assert_eq!(message, "a ticket only goes from valid to revoked");

    // The owner has the privileges, and the triggers still refuse.
    for (table, column) in MONEY_TABLES {
        let (_, message) =
            refused(owner.execute(&format!("UPDATE {table} SET {column} = {column}"), &[]));
        assert_eq!(message, format!("{table} is append-only"));
        let (code, message) = refused(owner.execute(&format!("DELETE FROM {table}"), &[]));
        assert_eq!(
            code,
            SqlState::INTEGRITY_CONSTRAINT_VIOLATION,
            "{table}: {message}"
        );
        assert_eq!(message, format!("{table} is append-only"));
    }
    let (_, message) = refused(owner.execute("UPDATE journal SET content = '{\"forged\":1}'", &[]));
    assert_eq!(message, "journal is append-only");
    let (_, message) = refused(owner.execute("UPDATE payments SET amount_cents = 1", &[]));
    assert_eq!(message, "payments is append-only");
    owner
        .execute(
            "INSERT INTO users (id, name, role, pin_hash) VALUES (2, 'c', 'cashier', 'x')",
            &[],
        )
        .unwrap();
    let (_, message) = refused(owner.execute("UPDATE users SET role = 'admin' WHERE id = 2", &[]));
    assert_eq!(message, "a user's role is fixed when the user is added");
}

#[test]
fn capacity_seats_refunds_and_open_shifts_are_the_databases_rules() {
    let db = server::database();
    let mut client = db.connect();
    pg::migrate(&mut client, &db.url()).unwrap();
    seed(&mut client);
    // Capacity 1 and one ticket sold: a second valid ticket is refused by the CHECK.
    let (code, message) = refused(client.execute(
        "INSERT INTO tickets (id, code, order_id, line_id, performance_id, price_cents) VALUES (2, 'T2', 1, 1, 1, 1000)",
        &[],
    ));
    assert_eq!(code, SqlState::CHECK_VIOLATION, "{message}");
    let sold: i64 = client
        .query_one("SELECT sold FROM performances WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(sold, 1);
    // A second open shift on the register.
    let (_, message) = refused(client.execute(
        "INSERT INTO shifts (register_id, opened_by, opened_at, float_cents) VALUES ('R1', 1, 'now', 0)",
        &[],
    ));
    assert_eq!(message, "a shift is already open on this register");
    // A refund beyond the line (2 tickets, 20,00 €).
    client
        .batch_execute(
            "INSERT INTO refunds (id, order_id, shift_id, user_id, authorised_by, reason_code, reason_text, tender, amount_cents, created_at)
                 VALUES (1, 1, 1, 1, 1, 'other', 'x', 'cash', 2500, 'now');
             INSERT INTO refund_lines (refund_id, line_id, quantity, amount_cents, vat_cents) VALUES (1, 1, 1, 1500, 0);",
        )
        .unwrap();
    let (_, message) = refused(client.execute(
        "INSERT INTO refund_lines (refund_id, line_id, quantity, amount_cents, vat_cents) VALUES (1, 1, 1, 600, 0)",
        &[],
    ));
    assert_eq!(message, "refund exceeds what the line was paid");
    // One seat, sold once: the primary key of seat_occupancy.
    client
        .batch_execute(
            "UPDATE performances SET capacity = capacity WHERE id = 1;
             INSERT INTO seat_plans (id, venue, version, imported_at) VALUES (1, 'V', 1, 'now');
             INSERT INTO seat_sections (id, plan_id, code, name_fi, name_sv, name_en, sort_order) VALUES (1, 1, 'P', 'P', 'P', 'P', 1);
             INSERT INTO seats (id, plan_id, section_id, row_label, seat_label, x, y, rank, sort_order) VALUES (1, 1, 1, '1', '1', 0, 0, 1, 1);
             INSERT INTO performance_plans (performance_id, plan_id) VALUES (1, 1);
             INSERT INTO seat_occupancy (performance_id, seat_id, kind, holder, expires_at, created_at)
                 VALUES (1, 1, 'cart', 'cart-1', '2099-01-01T00:00:00.000Z', 'now');",
        )
        .unwrap();
    let (code, _) = refused(client.execute(
        "INSERT INTO seat_occupancy (performance_id, seat_id, kind, holder, expires_at, created_at)
             VALUES (1, 1, 'cart', 'cart-2', '2099-01-01T00:00:00.000Z', 'now')",
        &[],
    ));
    assert_eq!(code, SqlState::UNIQUE_VIOLATION);
    // Capacity follows the plan only (one seat).
    let (_, message) =
        refused(client.execute("UPDATE performances SET capacity = 5 WHERE id = 1", &[]));
    assert_eq!(
        message,
        "the capacity of a performance changes only with its seat plan"
    );
}
