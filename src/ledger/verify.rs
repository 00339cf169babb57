//! `verify`: walks the journal chain and checks the ledger's invariants.

use rusqlite::OptionalExtension;

use super::journal::{GENESIS_HASH, JournalEntry, SELECT_ENTRY, entry_from_row};
use super::{Ledger, LedgerError, Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: i64,
    pub orders: i64,
    pub tickets: i64,
    pub receipts: i64,
    pub head_hash: String,
    /// Sales whose streamed text differed from the journal and were checked the exact, slow way
    /// (0 on a healthy ledger: each one costs time, not correctness).
    pub slow_path_sales: i64,
}

/// The first thing found wrong. `seq` names the journal entry where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub seq: Option<i64>,
    pub reason: String,
}

impl std::fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "journal entry {seq}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// A failure found by the walk, and whether it comes before the entry's own hash check (a
/// missing or unlinked entry) when both are wrong at the same entry.
struct Found {
    failure: VerifyFailure,
}

/// What the chain walk counted on the way.
struct Walked {
    entries: i64,
    orders: i64,
    tickets: i64,
    head_hash: String,
    slow_path_sales: i64,
    /// The refund ids named by refund entries.
    journaled_refunds: Vec<i64>,
    /// Orders with at least one revoked ticket.
    revoked_orders: Vec<i64>,
    /// Valid tickets per performance.
    valid: std::collections::HashMap<i64, i64>,
    /// The first order without a sale entry.
    orphan_order: Option<i64>,
    /// (rounding id, seq, content) of every cash rounding entry.
    roundings: Vec<(i64, i64, String)>,
    /// (shift id, kind, amount, reason, at) of every journaled cash movement.
    cash_movements: Vec<(i64, String, i64, String, String)>,
    /// Seat exchanges journaled per ticket code.
    exchanges: std::collections::HashMap<String, i64>,
}

impl Ledger {
    /// Checks the file (`PRAGMA quick_check`, beside the walk), walks the whole chain, compares every
    /// sale and refund entry with its rows, and checks payments = ticket totals per order, refunds
    /// within what was paid, the sold count of every performance (valid tickets and open
    /// reservation holds) within its capacity, and gapless receipt and Z numbers.
    pub fn verify(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        if self.is_shared() {
            // No file to check and no anchor file: the chain and the rules, in one snapshot.
            return self.read(verify_portable);
        }
        // quick_check reads every page of the file; the walk reads the tables in their own
        // order. They run side by side on the two cores, each on its own connection; damage
        // found by quick_check is reported before anything else. Where a second connection
        // cannot be opened (a read-only directory without the WAL's shared memory), quick_check
        // runs first on this one.
        let path = self.path.clone();
        let (damage, checked) = match second_connection(&path) {
            Ok(conn) => std::thread::scope(|scope| {
                let path = &path;
                let checker = scope.spawn(move || quick_check(&conn, path));
                let checked = self.anchor_and_walk();
                let damage = checker.join().unwrap_or_else(|_| {
                    Ok(Some(format!(
                        "the ledger file {} could not be checked (quick_check stopped)",
                        path.display()
                    )))
                });
                (damage, Some(checked))
            }),
            Err(_) => (
                match self.conn() {
                    Ok(conn) => quick_check(conn, &path),
                    Err(error) => Err(error),
                },
                None,
            ),
        };
        if let Some(damage) = damage? {
            return Ok(Err(VerifyFailure {
                seq: None,
                reason: damage,
            }));
        }
        match checked {
            Some(checked) => checked,
            None => self.anchor_and_walk(),
        }
    }

    /// The anchor, then the walk of the chain and the invariants.
    fn anchor_and_walk(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        let anchor = match self.read_anchor() {
            Ok(anchor) => anchor.map(|a| (a.seq, a.hash)),
            Err(reason) => return Ok(Err(VerifyFailure { seq: None, reason })),
        };
        if anchor.is_none()
            && self.anchor_required()
            && self.read(|tx| tx.journal_head())?.is_some()
        {
            return Ok(Err(VerifyFailure {
                seq: None,
                reason: format!(
                    "the journal anchor ({} and its copy beside the key file) is missing: the end of the journal cannot be proven",
                    self.anchor_path().display()
                ),
            }));
        }
        // The walk reads the whole file once: map it instead of a read call per page.
        self.conn()?.pragma_update(None, "mmap_size", MAP_BYTES)?;
        let result = self.read(|tx| {
            Ok(match walk(tx, anchor.as_ref())? {
                Ok(walked) => invariants(tx, walked)?,
                Err(found) => Err(found.failure),
            })
        });
        self.conn()?.pragma_update(None, "mmap_size", 0)?;
        result
    }
}

/// How much of the file `verify` maps (SQLite maps at most the file's size).
const MAP_BYTES: i64 = 1 << 32;

/// A read-only connection of the ledger file for quick_check.
fn second_connection(path: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::{Connection, OpenFlags};
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::busy_timeout())?;
    // Opening is lazy: read the header now, so a file that cannot be read this way shows here.
    conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))?;
    Ok(conn)
}

/// `PRAGMA quick_check`: a sentence naming the damage, or `None` for a sound file.
fn quick_check(conn: &rusqlite::Connection, path: &std::path::Path) -> Result<Option<String>> {
    let checked: rusqlite::Result<Vec<String>> =
        conn.prepare("PRAGMA quick_check")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get::<_, String>(0))?
                    .take(3)
                    .collect()
            });
    let problems = match checked {
        Ok(lines) if lines.len() == 1 && lines[0] == "ok" => return Ok(None),
        Ok(lines) => lines.join("; "),
        Err(error) => match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                error.to_string()
            }
            _ => return Err(error.into()),
        },
    };
    Ok(Some(format!(
        "the ledger file {} is damaged (SQLite's quick_check: {problems}); restore it from a backup",
        path.display()
    )))
}

/// The chain walk: every entry in order, its link, the anchor, and each sale, refund and Z report
/// against its rows.
fn walk(tx: &Tx<'_>, anchor: Option<&(i64, String)>) -> Result<std::result::Result<Walked, Found>> {
    use super::verify_stream as vs;
    let fail = |seq: Option<i64>, reason: String, _before_hash: bool| {
        Ok(Err(Found {
            failure: VerifyFailure { seq, reason },
        }))
    };
    // A failure found in an entry's content: if the entry's own hash is wrong too, that is named
    // first, as the old walk did.
    let content_fail =
        |entry: &JournalEntry, seq: Option<i64>, reason: String, before_hash: bool| {
            if !before_hash && entry.hash != entry.expected_hash() {
                return fail(
                    Some(entry.seq),
                    format!("its hash does not match its content ({})", entry.kind),
                    true,
                );
            }
            fail(seq, reason, before_hash)
        };
    let mut anchor_reached = false;
    let mut slow_path_sales = 0;
    let seated: bool =
        tx.sq()?
            .query_row("SELECT EXISTS (SELECT 1 FROM ticket_seats)", [], |row| {
                row.get(0)
            })?;
    let tickets_sql = if seated {
        vs::SEATED_TICKETS
    } else {
        vs::TICKETS
    };
    let sqlite = tx.sq()?;
    let mut statements = [
        vs::ORDERS,
        vs::LINES,
        tickets_sql,
        vs::PAYMENTS,
        vs::RECEIPTS,
    ]
    .map(|sql| sqlite.prepare(sql));
    let [
        Ok(orders_sql),
        Ok(lines_sql),
        Ok(tickets_sql),
        Ok(payments_sql),
        Ok(receipts_sql),
    ] = &mut statements
    else {
        return Err(rusqlite::Error::InvalidQuery.into());
    };
    let mut orders = vs::Stream::new(orders_sql.query([])?);
    let mut lines = vs::Stream::new(lines_sql.query([])?);
    let mut tickets = vs::Stream::new(tickets_sql.query([])?);
    let mut payments = vs::Stream::new(payments_sql.query([])?);
    let mut receipts = vs::Stream::new(receipts_sql.query([])?);
    let mut sale = vs::SaleText::default();
    let currency = tx.currency()?;
    let mut sale_roundings_sql = tx.sq()?.prepare(vs::SALE_ROUNDINGS)?;
    let mut sale_roundings = vs::Stream::new(sale_roundings_sql.query([])?);
    let mut roundings = Vec::new();
    let mut cash_movements = Vec::new();
    let mut exchanges = std::collections::HashMap::new();
    // Counted on the way: the first order without a sale entry, valid tickets per performance,
    // orders with revoked tickets, refunds with an entry.
    let mut orphan_order: Option<i64> = None;
    let (mut n_orders, mut n_tickets) = (0_i64, 0_i64);
    let mut valid = std::collections::HashMap::<i64, i64>::new();
    let mut revoked_orders = Vec::new();
    let mut journaled_refunds = Vec::new();
    let mut count_ticket =
        |row: &rusqlite::Row<'_>, revoked_here: &mut i64| -> rusqlite::Result<()> {
            n_tickets += 1;
            match row.get_ref(6)?.as_str().unwrap_or_default() {
                "valid" => *valid.entry(row.get(3)?).or_default() += 1,
                "revoked" => *revoked_here += 1,
                _ => {}
            }
            Ok(())
        };
    let mut statement = tx.sq()?.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
    let mut rows = statement.query([])?;
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_string();
    while let Some(row) = rows.next()? {
        let entry = entry_from_row(row)?;
        if entry.seq != expected_seq {
            return fail(
                Some(entry.seq),
                format!(
                    "entry {expected_seq} is missing (the chain jumps to {})",
                    entry.seq
                ),
                true,
            );
        }
        if entry.prev_hash != prev_hash {
            return fail(
                Some(entry.seq),
                "does not link to the entry before it".into(),
                true,
            );
        }
        if entry.hash != entry.expected_hash() {
            return fail(
                Some(entry.seq),
                format!("its hash does not match its content ({})", entry.kind),
                true,
            );
        }
        if let Some((anchor_seq, anchor_hash)) = anchor
            && *anchor_seq == entry.seq
        {
            if *anchor_hash != entry.hash {
                return content_fail(
                    &entry,
                    Some(entry.seq),
                    "differs from the hash in the journal anchor".into(),
                    false,
                );
            }
            anchor_reached = true;
        }
        if entry.kind == "shift.close" {
            let recorded: serde_json::Value =
                serde_json::from_str(&entry.content).unwrap_or_default();
            let number = recorded["number"].as_i64().unwrap_or_default();
            if tx.z_report(number)?.as_ref() != Some(&recorded) {
                return content_fail(
                    &entry,
                    Some(entry.seq),
                    format!("Z report {number} no longer matches what was journaled"),
                    false,
                );
            }
        }
        if let Some(kind) = entry.kind.strip_prefix("shift.")
            && matches!(kind, "cash_in" | "cash_out" | "drawer_open")
        {
            let recorded: serde_json::Value =
                serde_json::from_str(&entry.content).unwrap_or_default();
            cash_movements.push((
                recorded["shift_id"].as_i64().unwrap_or_default(),
                kind.to_string(),
                // A drawer opened without a sale moves no money.
                recorded["amount_cents"].as_i64().unwrap_or_default(),
                recorded["reason"].as_str().unwrap_or_default().to_string(),
                recorded["at"].as_str().unwrap_or_default().to_string(),
            ));
        }
        if entry.kind == "seat.exchange" {
            let recorded: serde_json::Value =
                serde_json::from_str(&entry.content).unwrap_or_default();
            *exchanges
                .entry(
                    recorded["ticket"]
                        .as_str()
                        .unwrap_or_default()
                        .trim()
                        .to_ascii_uppercase(),
                )
                .or_insert(0) += 1;
        }
        if entry.kind == "cash.rounding" {
            let recorded: serde_json::Value =
                serde_json::from_str(&entry.content).unwrap_or_default();
            roundings.push((
                recorded["rounding_id"].as_i64().unwrap_or_default(),
                entry.seq,
                entry.content.clone(),
            ));
        }
        if entry.kind == "refund" {
            let recorded: serde_json::Value =
                serde_json::from_str(&entry.content).unwrap_or_default();
            let refund_id = recorded["refund"]["refund_id"].as_i64().unwrap_or_default();
            journaled_refunds.push(refund_id);
            let current = match tx.refund_content(refund_id) {
                Ok(value) => value,
                Err(LedgerError::Sql(rusqlite::Error::QueryReturnedNoRows)) => {
                    return content_fail(
                        &entry,
                        Some(entry.seq),
                        format!("refund {refund_id} is missing from the ledger"),
                        false,
                    );
                }
                Err(other) => return Err(other),
            };
            if recorded != current {
                return content_fail(
                    &entry,
                    Some(entry.seq),
                    format!("the rows of refund {refund_id} no longer match what was journaled"),
                    false,
                );
            }
        }
        if entry.kind == "sale" {
            let Some(order_id) = entry.order_id else {
                return content_fail(
                    &entry,
                    Some(entry.seq),
                    "sale entry without an order".into(),
                    false,
                );
            };
            sale.clear();
            orders.take_for(order_id, |row, mine| {
                n_orders += 1;
                if mine {
                    sale.order_row(row)
                } else {
                    orphan_order.get_or_insert(row.get(0)?);
                    Ok(())
                }
            })?;
            lines.take_for(
                order_id,
                |row, mine| if mine { sale.line_row(row) } else { Ok(()) },
            )?;
            let mut revoked_here = 0;
            tickets.take_for(order_id, |row, mine| {
                count_ticket(row, &mut revoked_here)?;
                if mine { sale.ticket_row(row) } else { Ok(()) }
            })?;
            if revoked_here > 0 {
                revoked_orders.push(order_id);
            }
            payments.take_for(
                order_id,
                |row, mine| if mine { sale.payment_row(row) } else { Ok(()) },
            )?;
            receipts.take_for(
                order_id,
                |row, mine| if mine { sale.receipt_row(row) } else { Ok(()) },
            )?;
            if sale.finish() == entry.content {
                if sale.tickets_cents != sale.total_cents || sale.approved_cents != sale.total_cents
                {
                    return content_fail(
                        &entry,
                        Some(entry.seq),
                        format!("order {order_id}: payments do not equal the ticket total"),
                        false,
                    );
                }
            } else {
                // The exact (slow) path decides; the stream only saves time.
                slow_path_sales += 1;
                if let Some(failure) = slow_sale_check(tx, &entry, order_id)? {
                    return content_fail(&entry, Some(entry.seq), failure, false);
                }
            }
            // Issue 13: the drawer kept tendered − change, which is each cash payment's amount plus
            // the sale's rounding, and that rounding is the currency's rule for the amount.
            let mut rounding = 0;
            sale_roundings.take_for(order_id, |row, mine| {
                if mine {
                    rounding += row.get::<_, i64>(1)?;
                }
                Ok(())
            })?;
            for &(amount, kept) in &sale.cash_kept {
                let rule = currency
                    .cash_rounding("cash", crate::domain::Money::from_cents(amount))
                    .cents();
                if kept != amount + rounding || (rounding != 0 && rounding != rule) {
                    return content_fail(
                        &entry,
                        None,
                        format!(
                            "the cash rounding of order {order_id} disagrees with the cash paid (rounding {rounding}, rule {rule}, kept {kept}, amount {amount})"
                        ),
                        false,
                    );
                }
            }
        }
        prev_hash.clone_from(&entry.hash);
        expected_seq += 1;
    }
    let entries = expected_seq - 1;
    if let Some((anchor_seq, _)) = anchor
        && !anchor_reached
    {
        return fail(
            Some(*anchor_seq),
            format!(
                "is missing: the journal ends at entry {entries} but the journal anchor names entry {anchor_seq}"
            ),
            false,
        );
    }
    // Rows after the last sale entry: orders without an entry, tickets still to count.
    orders.take_for(i64::MAX, |row, _| {
        n_orders += 1;
        orphan_order.get_or_insert(row.get(0)?);
        Ok(())
    })?;
    let mut revoked_after = 0;
    tickets.take_for(i64::MAX, |row, _| count_ticket(row, &mut revoked_after))?;
    Ok(Ok(Walked {
        entries,
        orders: n_orders,
        tickets: n_tickets,
        head_hash: prev_hash,
        slow_path_sales,
        journaled_refunds,
        revoked_orders,
        valid,
        orphan_order,
        roundings,
        cash_movements,
        exchanges,
    }))
}

/// The exact comparison of one sale with its rows: a sentence for what differs, or `None`.
fn slow_sale_check(tx: &Tx<'_>, entry: &JournalEntry, order_id: i64) -> Result<Option<String>> {
    let recorded: serde_json::Value =
        serde_json::from_str(&entry.content).map_err(|e| LedgerError::Corrupt {
            path: Default::default(),
            detail: e.to_string(),
        })?;
    let current = match tx.sale_content(order_id) {
        Ok(value) => value,
        Err(LedgerError::Sql(rusqlite::Error::QueryReturnedNoRows)) => {
            return Ok(Some(format!("order {order_id} is missing from the ledger")));
        }
        Err(other) => return Err(other),
    };
    if recorded != current {
        let part = ["order", "lines", "tickets", "payments", "receipts"]
            .into_iter()
            .find(|key| recorded.get(key) != current.get(key))
            .unwrap_or("order");
        return Ok(Some(format!(
            "the {part} rows of order {order_id} no longer match what was journaled"
        )));
    }
    let sum = |key: &str, field: &str, only_approved: bool| -> i64 {
        current[key]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter(|item| !only_approved || item["state"] == "approved")
                    .filter_map(|item| item[field].as_i64())
                    .sum()
            })
            .unwrap_or_default()
    };
    let total = current["order"]["total_cents"].as_i64().unwrap_or_default();
    if sum("tickets", "price_cents", false) != total
        || sum("payments", "amount_cents", true) != total
    {
        return Ok(Some(format!(
            "order {order_id}: payments do not equal the ticket total"
        )));
    }
    Ok(None)
}

/// The checks across rows, after the walk: every order and refund journaled, refunds within what
/// was paid, sold counts, gapless receipt and Z numbers.
fn invariants(
    tx: &Tx<'_>,
    walked: Walked,
) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
    let fail = |reason: String| Ok(Err(VerifyFailure { seq: None, reason }));
    if let Some(order_id) = walked.orphan_order {
        return fail(format!("order {order_id} has no journal entry"));
    }
    let mut journaled = walked.journaled_refunds;
    journaled.sort_unstable();
    let mut refund_orders = Vec::new();
    {
        let mut statement = tx
            .sq()?
            .prepare_cached("SELECT id, order_id FROM refunds ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let refund_id: i64 = row.get(0)?;
            if journaled.binary_search(&refund_id).is_err() {
                return fail(format!("refund {refund_id} has no journal entry"));
            }
            refund_orders.push(row.get::<_, i64>(1)?);
        }
    }
    refund_orders.extend(walked.revoked_orders);
    refund_orders.sort_unstable();
    refund_orders.dedup();
    {
        let mut statement = tx.sq()?.prepare_cached(
            "SELECT (SELECT coalesce(sum(amount_cents), 0) FROM refunds r WHERE r.order_id = o.id) > o.total_cents
                 OR (SELECT coalesce(sum(amount_cents), 0) FROM refunds r WHERE r.order_id = o.id)
                    != (SELECT coalesce(sum(rl.amount_cents), 0) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
                        WHERE r.order_id = o.id)
                 OR (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.state = 'revoked')
                    != (SELECT count(*) FROM refund_tickets rt JOIN refunds r ON r.id = rt.refund_id WHERE r.order_id = o.id)
             FROM orders o WHERE o.id = ?1",
        )?;
        for order_id in refund_orders {
            if statement.query_row([order_id], |row| row.get::<_, bool>(0))? {
                return fail(format!(
                    "order {order_id}: its refunds exceed what was paid or disagree with their lines or tickets"
                ));
            }
        }
    }
    // A performance's sold count is its valid tickets and the tickets its open reservations hold.
    let holds: std::collections::HashMap<i64, i64> = tx
        .sq()?
        .prepare_cached(
            "SELECT r.performance_id, sum(l.quantity) FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id
             WHERE NOT EXISTS (SELECT 1 FROM reservation_events e WHERE e.reservation_id = r.id)
             GROUP BY r.performance_id",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    {
        let mut statement = tx
            .sq()?
            .prepare_cached("SELECT id, capacity, sold FROM performances ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (id, capacity, sold): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            let taken =
                walked.valid.get(&id).copied().unwrap_or(0) + holds.get(&id).copied().unwrap_or(0);
            if taken > capacity || taken != sold {
                return fail(format!(
                    "performance {id}: its tickets exceed the capacity or disagree with its sold count"
                ));
            }
        }
    }
    // Every cash movement is journaled as it is (an inserted one has no entry; changes and
    // deletions are refused by triggers).
    {
        let mut journaled = walked.cash_movements;
        journaled.sort_unstable();
        let mut statement = tx.sq()?.prepare(
            "SELECT id, shift_id, kind, amount_cents, reason, at FROM cash_movements ORDER BY id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let key = (
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
            );
            match journaled.binary_search(&key) {
                Ok(found) => {
                    journaled.remove(found);
                }
                Err(_) => {
                    return fail(format!(
                        "cash movement {id} ({} of {} cents) has no journal entry",
                        key.1, key.2
                    ));
                }
            }
        }
    }
    // A seated ticket's seat rows: the one it was sold with (checked with its sale) and one per
    // journaled exchange; an inserted row would move the ticket to another seat.
    {
        let mut statement = tx.sq()?.prepare(
            "SELECT t.code, count(*) - 1,
                    (SELECT group_concat(new_code, ' ') FROM ticket_reissues r WHERE r.ticket_id = t.id)
             FROM ticket_seats s JOIN tickets t ON t.id = s.ticket_id
             GROUP BY s.ticket_id HAVING count(*) > 1",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (code, moves): (String, i64) = (row.get(0)?, row.get(1)?);
            // An exchange names the code the cashier had: the ticket's own or a reissue's.
            let reissued: Option<String> = row.get(2)?;
            let journaled: i64 = std::iter::once(code.as_str())
                .chain(reissued.as_deref().unwrap_or_default().split_whitespace())
                .map(|c| {
                    walked
                        .exchanges
                        .get(&c.to_ascii_uppercase())
                        .copied()
                        .unwrap_or(0)
                })
                .sum();
            if journaled != moves {
                return fail(format!(
                    "ticket {code} has {moves} seat change(s) but the journal has {journaled}"
                ));
            }
        }
    }
    // Issue 13: every cash rounding row is journaled as it is.
    let mut roundings = walked.roundings;
    roundings.sort_unstable_by_key(|(id, _, _)| *id);
    {
        let mut statement = tx
            .sq()?
            .prepare_cached("SELECT id, order_id FROM cash_roundings ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (id, order_id): (i64, i64) = (row.get(0)?, row.get(1)?);
            let Ok(found) = roundings.binary_search_by_key(&id, |(id, _, _)| *id) else {
                return fail(format!(
                    "the cash rounding of order {order_id} has no journal entry"
                ));
            };
            let (_, seq, content) = &roundings[found];
            if serde_json::from_str::<serde_json::Value>(content).ok()
                != Some(tx.cash_rounding_content(id)?)
            {
                return Ok(Err(VerifyFailure {
                    seq: Some(*seq),
                    reason: format!(
                        "the cash rounding of order {order_id} no longer matches what was journaled"
                    ),
                }));
            }
        }
    }
    // A refund's rounding: only of a cash refund, and the currency's rule for its amount.
    {
        let currency = tx.currency()?;
        let mut statement = tx.sq()?.prepare(
            "SELECT r.order_id, r.tender, r.amount_cents, c.amount_cents
             FROM cash_roundings c JOIN refunds r ON r.id = c.refund_id ORDER BY c.id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (order_id, tender, amount, rounding): (i64, String, i64, i64) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            let rule = currency
                .cash_rounding(&tender, crate::domain::Money::from_cents(amount))
                .cents();
            if rounding != rule {
                return fail(format!(
                    "order {order_id}: the cash rounding of its refund disagrees with the refund ({rounding}, rule {rule})"
                ));
            }
        }
    }
    let query_i64 = |sql: &str| -> Result<Option<i64>> {
        Ok(tx
            .sq()?
            .query_row(sql, [], |row| row.get::<_, Option<i64>>(0))
            .optional()?
            .flatten())
    };
    let mut receipts = 0;
    for training in [0, 1] {
        let (count, max_receipt): (i64, Option<i64>) = tx.sq()?.query_row(
            "SELECT count(*), max(number) FROM receipts WHERE training = ?1",
            [training],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if count != max_receipt.unwrap_or(0) {
            let gap = query_i64(&format!(
                "SELECT r.number + 1 FROM receipts r
                 WHERE r.training = {training} AND r.number + 1 <= (SELECT max(number) FROM receipts WHERE training = {training})
                   AND NOT EXISTS (SELECT 1 FROM receipts s WHERE s.register_id = r.register_id
                                   AND s.training = r.training AND s.number = r.number + 1)
                 ORDER BY r.number LIMIT 1"
            ))?
            .unwrap_or(1);
            let which = if training == 1 {
                "training receipt"
            } else {
                "receipt"
            };
            return fail(format!(
                "receipt numbers are not gapless: {which} {gap} is missing"
            ));
        }
        if training == 0 {
            receipts = count;
        }
    }
    let z_numbers: Vec<(i64, Option<i64>, Option<i64>)> = {
        let mut statement = tx
            .sq()?
            .prepare("SELECT number, first_receipt, last_receipt FROM z_reports ORDER BY number")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut last_receipt = 0;
    for (index, (number, first, last)) in z_numbers.iter().enumerate() {
        if *number != index as i64 + 1 {
            return fail(format!(
                "Z report numbers are not gapless: Z {} is missing",
                index + 1
            ));
        }
        if let (Some(first), Some(last)) = (first, last) {
            if *first != last_receipt + 1 {
                return fail(format!(
                    "Z {number} starts at receipt {first}, but the previous Z ended at {last_receipt}"
                ));
            }
            last_receipt = *last;
        }
    }
    Ok(Ok(VerifyReport {
        entries: walked.entries,
        orders: walked.orders,
        tickets: walked.tickets,
        receipts,
        head_hash: walked.head_hash,
        slow_path_sales: walked.slow_path_sales,
    }))
}

/// `verify` written once for both engines (the shared ledger uses it): the whole chain (gapless,
/// each entry linked to the one before and hashing to its own fields) and the ledger's rules
/// that span rows. Unlike the SQLite walk it does not compare each sale's entry with its rows.
fn verify_portable(tx: &Tx<'_>) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
    use super::engine::Db as _;
    let mut db = tx.db();
    let mut previous = GENESIS_HASH.to_string();
    let mut entries = 0_i64;
    let mut failure: Option<VerifyFailure> = None;
    db.query_each(&format!("{SELECT_ENTRY} ORDER BY seq"), &[], &mut |row| {
        if failure.is_some() {
            return Ok(());
        }
        let entry = super::journal::entry_from_db_row(row)?;
        let wrong = if entry.seq != entries + 1 {
            Some(format!(
                "entries {} to {} are missing",
                entries + 1,
                entry.seq - 1
            ))
        } else if entry.prev_hash != previous {
            Some("it does not link to the entry before it".to_string())
        } else if entry.hash != entry.expected_hash() {
            Some("its hash does not match its content".to_string())
        } else {
            None
        };
        if let Some(reason) = wrong {
            failure = Some(VerifyFailure {
                seq: Some(entry.seq),
                reason,
            });
        }
        previous = entry.hash;
        entries += 1;
        Ok(())
    })?;
    if let Some(failure) = failure {
        return Ok(Err(failure));
    }
    for (sql, what) in PORTABLE_RULES {
        if let Some(found) = db.query_one(sql, &[])?.opt_int(0)? {
            return Ok(Err(VerifyFailure {
                seq: None,
                reason: what.replace("{}", &found.to_string()),
            }));
        }
    }
    let count = |db: &mut super::TxDb<'_, '_>, table: &str| -> Result<i64> {
        db.query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .int(0)
    };
    Ok(Ok(VerifyReport {
        entries,
        orders: count(&mut db, "orders")?,
        tickets: count(&mut db, "tickets")?,
        receipts: count(&mut db, "receipts")?,
        head_hash: previous,
        slow_path_sales: 0,
    }))
}

/// (query giving the first offending id or NULL, what is wrong with it).
const PORTABLE_RULES: [(&str, &str); 5] = [
    (
        "SELECT min(p.id) FROM performances p WHERE p.sold > p.capacity
            OR p.sold < (SELECT count(*) FROM tickets t WHERE t.performance_id = p.id AND t.state = 'valid')",
        "performance {} has more valid tickets than its sold count, or more sold than its capacity",
    ),
    (
        "SELECT min(o.id) FROM orders o
         WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.order_id = o.id AND j.kind = 'sale')",
        "order {} has no sale entry in the journal",
    ),
    (
        "SELECT min(o.id) FROM orders o
         WHERE o.total_cents <> (SELECT CAST(coalesce(sum(l.gross_cents), 0) AS bigint)
                                 FROM order_lines l WHERE l.order_id = o.id)",
        "the lines of order {} do not add up to its total",
    ),
    (
        "SELECT min(o.id) FROM orders o
         WHERE (SELECT CAST(coalesce(sum(r.amount_cents), 0) AS bigint) FROM refunds r WHERE r.order_id = o.id)
             > (SELECT CAST(coalesce(sum(p.amount_cents), 0) AS bigint) FROM payments p
                WHERE p.order_id = o.id AND p.state = 'approved')",
        "order {} was refunded more than was paid",
    ),
    (
        "SELECT min(g.shift) FROM (SELECT min(shift_id) AS shift, max(number) AS last, count(*) AS n
                                  FROM receipts GROUP BY register_id, training) g
         WHERE g.last <> g.n",
        "the receipt numbers of a register have a gap (from shift {} on)",
    ),
];
