//! Schema migrations embedded from `migrations/`; the version lives in `PRAGMA user_version`.

use rusqlite::Connection;

use super::Result;

/// (version, SQL) in ascending order. Append only: a released migration is never edited.
/// Numbers are reserved per change and may land out of order during development, so the
/// list only has to increase.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_initial.sql")),
    (2, include_str!("../../migrations/0002_bank.sql")),
    (3, include_str!("../../migrations/0003_printing.sql")),
    (4, include_str!("../../migrations/0004_card.sql")),
    (5, include_str!("../../migrations/0005_mail.sql")),
    (6, include_str!("../../migrations/0006_seats.sql")),
    (7, include_str!("../../migrations/0007_lean_sale.sql")),
    (8, include_str!("../../migrations/0008_trust.sql")),
    (11, include_str!("../../migrations/0011_receipts.sql")),
    (12, include_str!("../../migrations/0012_search_words.sql")),
    (13, include_str!("../../migrations/0013_secrets.sql")),
    (14, include_str!("../../migrations/0014_operations.sql")),
    (17, include_str!("../../migrations/0017_day_z.sql")),
    (
        18,
        include_str!("../../migrations/0018_cash_operations.sql"),
    ),
    (
        19,
        include_str!("../../migrations/0019_register_chains.sql"),
    ),
    (
        20,
        include_str!("../../migrations/0020_register_printer.sql"),
    ),
    (
        21,
        include_str!("../../migrations/0021_search_collation.sql"),
    ),
    (22, include_str!("../../migrations/0022_shift_sums.sql")),
];

/// The migrations' numbers (the PostgreSQL twins must have the same).
#[cfg(test)]
pub(crate) fn numbers() -> impl Iterator<Item = i64> {
    MIGRATIONS.iter().map(|(version, _)| *version)
}

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}

/// Applies every migration above `current`, each in its own transaction with its version bump.
pub fn migrate(conn: &mut Connection, current: i64, application_id: i32) -> Result<()> {
    migrate_up_to(conn, current, i64::MAX, application_id)
}

/// [`migrate`] up to and including version `last`.
fn migrate_up_to(
    conn: &mut Connection,
    current: i64,
    last: i64,
    application_id: i32,
) -> Result<()> {
    for (version, sql) in MIGRATIONS
        .iter()
        .filter(|(v, _)| *v > current && *v <= last)
    {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        // Another process may have migrated meanwhile.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if now >= *version {
            tx.finish()?;
            continue;
        }
        tx.execute_batch(sql)?;
        if *version == 12 {
            // The search words of the orders written before: SQL cannot lower-case Ä.
            super::search::fill_order_words(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.pragma_update(None, "application_id", application_id)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_and_apply() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[1].0 > pair[0].0);
        }
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, 0, 7).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
    }

    #[test]
    fn migration_12_writes_the_search_words_of_older_orders() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_up_to(&mut conn, 0, 11, 7).unwrap();
        // Without foreign keys the orders need no register, shift or user.
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO orders (id, register_id, shift_id, user_id, created_at, total_cents, customer_name, customer_email)
             VALUES (1, 'r', 1, 1, 'now', 100, 'Åke Öberg', 'AKE.OBERG7@example.se'),
                    (2, 'r', 1, 1, 'now', 100, NULL, NULL),
                    (3, 'r', 1, 1, 'now', 100, 'Leo', NULL);",
        )
        .unwrap();
        migrate(&mut conn, 11, 7).unwrap();
        let words: Vec<(i64, String, i64)> = conn
            .prepare("SELECT kind, word, order_id FROM order_words ORDER BY order_id, kind, word")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let expected = [
            (0, "ake", 1),
            (0, "åke", 1),
            (0, "öberg", 1),
            (1, "ake.oberg7@example.se", 1),
            (1, "åke öberg", 1),
            (0, "leo", 3),
        ];
        let expected: Vec<(i64, String, i64)> = expected
            .iter()
            .map(|(k, w, o)| (*k, w.to_string(), *o))
            .collect();
        assert_eq!(words, expected);
    }

    /// Orders 1–3 of shift `shift` (receipts numbered from `first`): a cash sale at one rate,
    /// a card-and-cash sale at two, a training sale, and a refund receipt of the first.
    fn a_shifts_rows(conn: &Connection, shift: i64, first: i64) {
        let order = |n: i64| shift * 10 + n;
        let sql = format!(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO orders (id, register_id, shift_id, user_id, created_at, total_cents, training)
             VALUES ({o1}, 'r', {shift}, 1, 'now', 7000, 0), ({o2}, 'r', {shift}, 1, 'now', 4500, 0),
                    ({o3}, 'r', {shift}, 1, 'now', 1000, 1);
             INSERT INTO order_lines (order_id, line_no, performance_id, category_id, quantity,
                 unit_price_cents, vat_basis_points, gross_cents, vat_cents, net_cents)
             VALUES ({o1}, 1, 1, 1, 2, 3500, 1350, 7000, 833, 6167),
                    ({o2}, 1, 1, 1, 1, 3500, 1350, 3500, 416, 3084),
                    ({o2}, 2, 1, 2, 1, 1000, 2550, 1000, 203, 797),
                    ({o3}, 1, 1, 2, 1, 1000, 2550, 1000, 203, 797);
             INSERT INTO payments (attempt_id, order_id, tender, amount_cents, state, created_at)
             VALUES ('a{o1}', {o1}, 'cash', 7000, 'approved', 'now'),
                    ('b{o2}', {o2}, 'card', 4000, 'declined', 'now'),
                    ('c{o2}', {o2}, 'card', 2500, 'approved', 'now'),
                    ('d{o2}', {o2}, 'cash', 2000, 'approved', 'now'),
                    ('e{o3}', {o3}, 'cash', 1000, 'approved', 'now');
             INSERT INTO receipts (register_id, number, order_id, shift_id, refund_id, kind, training, created_at)
             VALUES ('r', {first}, {o1}, {shift}, NULL, 'sale', 0, 'now'),
                    ('r', {second}, {o2}, {shift}, NULL, 'sale', 0, 'now'),
                    ('r', {shift}, {o3}, {shift}, NULL, 'sale', 1, 'now'),
                    ('r', {third}, {o1}, {shift}, NULL, 'refund', 0, 'now');",
            o1 = order(1),
            o2 = order(2),
            o3 = order(3),
            second = first + 1,
            third = first + 2,
        );
        conn.execute_batch(&sql).unwrap();
    }

    /// A shift's rows of `shift_sums`, rate by rate (the receipts' row first, at rate -1).
    fn shift_sums(conn: &Connection, shift: i64) -> Vec<Vec<Option<i64>>> {
        conn.prepare("SELECT * FROM shift_sums WHERE shift_id = ?1 ORDER BY vat_basis_points")
            .unwrap()
            .query_map([shift], |row| (1..13).map(|i| row.get(i)).collect())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn migration_22_sums_the_shifts_written_before_as_its_trigger_sums_those_after() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_up_to(&mut conn, 0, 21, 7).unwrap();
        a_shifts_rows(&conn, 1, 1);
        migrate(&mut conn, 21, 7).unwrap();
        a_shifts_rows(&conn, 2, 4);
        // (rate, receipts, first, last, orders, cash, card, bank, tickets, net, VAT, gross)
        let row = |values: [Option<i64>; 12]| values.to_vec();
        let (z, n) = (Some(0), None);
        let mut expected = vec![
            row([
                Some(-1),
                Some(3),
                Some(1),
                Some(3),
                Some(2),
                Some(9000),
                Some(2500),
                n,
                z,
                z,
                z,
                z,
            ]),
            row([
                Some(1350),
                z,
                n,
                n,
                z,
                n,
                n,
                n,
                Some(3),
                Some(9251),
                Some(1249),
                Some(10500),
            ]),
            row([
                Some(2550),
                z,
                n,
                n,
                z,
                n,
                n,
                n,
                Some(1),
                Some(797),
                Some(203),
                Some(1000),
            ]),
        ];
        assert_eq!(shift_sums(&conn, 1), expected, "summed by the migration");
        expected[0][2..4].copy_from_slice(&[Some(4), Some(6)]);
        assert_eq!(shift_sums(&conn, 2), expected, "summed by the trigger");
        let training: i64 = conn
            .query_row(
                "SELECT count(*) FROM shift_sums WHERE shift_id NOT IN (1, 2)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(training, 0);
    }
}
