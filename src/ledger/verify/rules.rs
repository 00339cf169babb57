//! The checks across rows, after the walk: every order, refund, cash movement, seat change and
//! cash rounding journaled, refunds within what was paid, sold counts, gapless receipt and Z
//! numbers.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::{Checked, VerifyFailure, VerifyReport, Walked, checked};
use crate::domain::{Money, Tender};
use crate::ledger::{Result, Tx};

/// A failure that names no journal entry.
fn fail<T>(reason: String) -> Checked<T> {
    Ok(Err(VerifyFailure { seq: None, reason }))
}

/// Every rule in turn; the report, or the first rule broken.
pub(super) fn invariants(tx: &Tx<'_>, walked: Walked) -> Checked<VerifyReport> {
    if let Some(order_id) = walked.orphan_order {
        return fail(format!("order {order_id} has no journal entry"));
    }
    let mut refund_orders = checked!(refunds_journaled(tx, walked.journaled_refunds));
    refund_orders.extend(walked.revoked_orders);
    refund_orders.sort_unstable();
    refund_orders.dedup();
    checked!(refunds_within_paid(tx, refund_orders));
    checked!(sold_counts(tx, &walked.valid));
    checked!(cash_movements_journaled(tx, walked.cash_movements));
    checked!(seat_changes_journaled(tx, &walked.exchanges));
    checked!(cash_roundings_journaled(tx, walked.roundings));
    checked!(refund_roundings(tx));
    let receipts = checked!(receipts_gapless(tx));
    checked!(z_numbers_gapless(tx));
    Ok(Ok(VerifyReport {
        entries: walked.entries,
        orders: walked.orders,
        tickets: walked.tickets,
        receipts,
        head_hash: walked.head_hash,
        slow_path_sales: walked.slow_path_sales,
    }))
}

/// Every refund has an entry; the orders refunded.
fn refunds_journaled(tx: &Tx<'_>, mut journaled: Vec<i64>) -> Checked<Vec<i64>> {
    journaled.sort_unstable();
    let mut refund_orders = Vec::new();
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
    Ok(Ok(refund_orders))
}

/// The refunds of each order within what was paid and agreeing with their lines and tickets.
fn refunds_within_paid(tx: &Tx<'_>, refund_orders: Vec<i64>) -> Checked {
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
    Ok(Ok(()))
}

/// A performance's sold count is its valid tickets and the tickets its open reservations hold,
/// within its capacity.
fn sold_counts(tx: &Tx<'_>, valid: &HashMap<i64, i64>) -> Checked {
    let holds: HashMap<i64, i64> = tx
        .sq()?
        .prepare_cached(
            "SELECT r.performance_id, sum(l.quantity) FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id
             WHERE NOT EXISTS (SELECT 1 FROM reservation_events e WHERE e.reservation_id = r.id)
             GROUP BY r.performance_id",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut statement = tx
        .sq()?
        .prepare_cached("SELECT id, capacity, sold FROM performances ORDER BY id")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (id, capacity, sold): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let taken = valid.get(&id).copied().unwrap_or(0) + holds.get(&id).copied().unwrap_or(0);
        if taken > capacity || taken != sold {
            return fail(format!(
                "performance {id}: its tickets exceed the capacity or disagree with its sold count"
            ));
        }
    }
    Ok(Ok(()))
}

/// Every cash movement is journaled as it is (an inserted one has no entry; changes and
/// deletions are refused by triggers).
fn cash_movements_journaled(
    tx: &Tx<'_>,
    mut journaled: Vec<(i64, String, i64, String, String)>,
) -> Checked {
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
    Ok(Ok(()))
}

/// A seated ticket's seat rows: the one it was sold with (checked with its sale) and one per
/// journaled exchange; an inserted row would move the ticket to another seat.
fn seat_changes_journaled(tx: &Tx<'_>, exchanges: &HashMap<String, i64>) -> Checked {
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
            .map(|c| exchanges.get(&c.to_ascii_uppercase()).copied().unwrap_or(0))
            .sum();
        if journaled != moves {
            return fail(format!(
                "ticket {code} has {moves} seat change(s) but the journal has {journaled}"
            ));
        }
    }
    Ok(Ok(()))
}

/// Issue 13: every cash rounding row is journaled as it is.
fn cash_roundings_journaled(tx: &Tx<'_>, mut roundings: Vec<(i64, i64, String)>) -> Checked {
    roundings.sort_unstable_by_key(|(id, _, _)| *id);
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
    Ok(Ok(()))
}

/// A refund's rounding: only of a cash refund, and the currency's rule for its amount.
fn refund_roundings(tx: &Tx<'_>) -> Checked {
    let currency = tx.currency()?;
    let mut statement = tx.sq()?.prepare(
        "SELECT r.order_id, r.tender, r.amount_cents, c.amount_cents
         FROM cash_roundings c JOIN refunds r ON r.id = c.refund_id ORDER BY c.id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (order_id, tender, amount, rounding): (i64, String, i64, i64) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        // A tender the table's CHECK would refuse is never rounded, like card and bank.
        let rule = Tender::parse(&tender).map_or(0, |tender| {
            currency
                .cash_rounding(tender, Money::from_cents(amount))
                .cents()
        });
        if rounding != rule {
            return fail(format!(
                "order {order_id}: the cash rounding of its refund disagrees with the refund ({rounding}, rule {rule})"
            ));
        }
    }
    Ok(Ok(()))
}

/// Receipt numbers without a gap per register, training receipts apart; the count of real ones.
fn receipts_gapless(tx: &Tx<'_>) -> Checked<i64> {
    let query_i64 = |sql: &str, register: &str| -> Result<Option<i64>> {
        Ok(tx
            .sq()?
            .query_row(sql, [register], |row| row.get::<_, Option<i64>>(0))
            .optional()?
            .flatten())
    };
    let mut receipts = 0;
    for training in [0, 1] {
        // One group on a counter's own ledger; one per register on a copy of the shared ledger.
        let groups: Vec<(String, i64, Option<i64>)> = tx
            .sq()?
            .prepare_cached(
                "SELECT register_id, count(*), max(number) FROM receipts WHERE training = ?1
                 GROUP BY register_id ORDER BY register_id",
            )?
            .query_map([training], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (register, count, max_receipt) in groups {
            if count != max_receipt.unwrap_or(0) {
                let gap = query_i64(
                    &format!(
                        "SELECT r.number + 1 FROM receipts r
                         WHERE r.register_id = ?1 AND r.training = {training}
                           AND r.number + 1 <= (SELECT max(number) FROM receipts
                                                WHERE register_id = ?1 AND training = {training})
                           AND NOT EXISTS (SELECT 1 FROM receipts s WHERE s.register_id = r.register_id
                                           AND s.training = r.training AND s.number = r.number + 1)
                         ORDER BY r.number LIMIT 1"
                    ),
                    &register,
                )?
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
                receipts += count;
            }
        }
    }
    Ok(Ok(receipts))
}

/// Z numbers without a gap per register, each Z starting at the receipt after the previous one's
/// last.
fn z_numbers_gapless(tx: &Tx<'_>) -> Checked {
    let z_numbers: Vec<(String, i64, Option<i64>, Option<i64>)> = {
        let mut statement = tx.sq()?.prepare(
            "SELECT register_id, number, first_receipt, last_receipt FROM z_reports
             ORDER BY register_id, number",
        )?;
        statement
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?
    };
    let (mut register, mut expected, mut last_receipt) = (String::new(), 1, 0);
    for (of, number, first, last) in &z_numbers {
        if *of != register {
            (register, expected, last_receipt) = (of.clone(), 1, 0);
        }
        if *number != expected {
            return fail(format!(
                "Z report numbers are not gapless: Z {expected} is missing"
            ));
        }
        expected += 1;
        if let (Some(first), Some(last)) = (first, last) {
            if *first != last_receipt + 1 {
                return fail(format!(
                    "Z {number} starts at receipt {first}, but the previous Z ended at {last_receipt}"
                ));
            }
            last_receipt = *last;
        }
    }
    Ok(Ok(()))
}
