//! The checks across rows, after the walk: every order, refund, cash movement, seat change and
//! cash rounding journaled, refunds within what was paid, sold counts, gapless receipt and Z
//! numbers, per register. Written once for both engines (`engine::Db`).

use std::collections::{BTreeMap, HashMap};

use super::{Checked, VerifyFailure, VerifyReport, Walked, checked, shift_sums};
use crate::domain::{Money, Tender};
use crate::ledger::engine::{Db, values};
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
    checked!(refunds_journaled(tx, walked.journaled_refunds));
    let (within_paid, receipts, sums) = walked.ahead.map_or((None, None, None), |ahead| {
        (
            Some(ahead.within_paid),
            Some(ahead.receipts),
            Some(ahead.shift_sums),
        )
    });
    checked!(match within_paid {
        Some(outcome) => outcome,
        None => refunds_within_paid(&mut tx.db(), &walked.revoked_orders, order_facts),
    });
    checked!(sold_counts(tx, &walked.valid));
    checked!(cash_movements_journaled(tx, walked.cash_movements));
    checked!(seat_changes_journaled(tx, &walked.exchanges));
    checked!(cash_roundings_journaled(tx, walked.roundings));
    checked!(refund_roundings(tx));
    let receipts = checked!(match receipts {
        Some(outcome) => outcome,
        None => receipts_gapless(&mut tx.db()),
    });
    checked!(match sums {
        Some(outcome) => outcome,
        None => shift_sums::shift_sums_match(&mut tx.db(), None),
    });
    checked!(z_numbers_gapless(tx));
    // Last, as before it was folded into the walk (whose entries it takes).
    if let Some(problem) = tx.check_day_z_reports(&walked.day_z)? {
        return fail(problem);
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

/// The rules that need nothing from the walk, checked ahead by the rows' thread on its
/// connection (the walk's snapshot) once its rows are read, beside the walk's last batches;
/// `invariants` takes each outcome in its turn (an error reading too), so the first rule broken
/// is named as before.
pub(super) struct Ahead {
    within_paid: Checked,
    receipts: Checked<i64>,
    shift_sums: Checked,
}

impl Ahead {
    /// On `db`, with what the rows' stream saw of the orders with a refund or a revoked ticket
    /// ([`Watch`]).
    pub(super) fn check(db: &mut impl Db, watched: &Watch, sums: &shift_sums::Streamed) -> Ahead {
        let revoked: Vec<i64> = watched
            .facts
            .iter()
            .filter(|(_, _, revoked)| *revoked > 0)
            .map(|(order_id, ..)| *order_id)
            .collect();
        let facts = |_: &mut _, order_id: i64| {
            Ok(watched
                .facts
                .binary_search_by_key(&order_id, |(id, ..)| *id)
                .ok()
                .and_then(|i| {
                    let (_, total, revoked) = watched.facts[i];
                    total.map(|total| (total, revoked))
                }))
        };
        Ahead {
            within_paid: refunds_within_paid(db, &revoked, facts),
            receipts: receipts_gapless(db),
            shift_sums: shift_sums::shift_sums_match(db, Some(sums)),
        }
    }
}

/// What the rows' stream sees of the orders the refunds rule looks at: the orders with a refund
/// (read before the stream) and those with a revoked ticket, each with its total (`None` without
/// an order row) and its revoked tickets. One pass instead of a query per refunded order
/// (issue 16: 8,512 of them, 0.16 s at the end of the rows' thread at 1M tickets).
#[derive(Default)]
pub(super) struct Watch {
    /// The orders with a refund, rising, and the first not passed yet.
    refunded: Vec<i64>,
    next: usize,
    /// (order, total, revoked tickets), rising.
    facts: Vec<(i64, Option<i64>, i64)>,
}

impl Watch {
    /// Watching the orders `db` has refunds of.
    pub(super) fn of_refunds(db: &mut impl Db) -> Result<Watch> {
        let mut refunded = Vec::new();
        db.query_each(
            "SELECT DISTINCT order_id FROM refunds ORDER BY order_id",
            &[],
            &mut |row| {
                refunded.push(row.int(0)?);
                Ok(())
            },
        )?;
        Ok(Watch {
            refunded,
            ..Watch::default()
        })
    }

    /// An order of the stream (orders come rising).
    pub(super) fn order(&mut self, order_id: i64, total: Option<i64>, revoked: i64) {
        while self
            .refunded
            .get(self.next)
            .is_some_and(|id| *id < order_id)
        {
            self.next += 1;
        }
        if revoked > 0 || self.refunded.get(self.next) == Some(&order_id) {
            self.facts.push((order_id, total, revoked));
        }
    }
}

/// Every refund has an entry.
fn refunds_journaled(tx: &Tx<'_>, mut journaled: Vec<i64>) -> Checked {
    journaled.sort_unstable();
    let mut unjournaled = None;
    tx.db()
        .query_each("SELECT id FROM refunds ORDER BY id", &[], &mut |row| {
            let refund_id = row.int(0)?;
            if journaled.binary_search(&refund_id).is_err() {
                unjournaled.get_or_insert(refund_id);
            }
            Ok(())
        })?;
    if let Some(refund_id) = unjournaled {
        return fail(format!("refund {refund_id} has no journal entry"));
    }
    Ok(Ok(()))
}

/// The refunds of each order within what was paid and agreeing with their lines and tickets:
/// every order with a refund or with a revoked ticket (`revoked`), rising, against `facts`, what
/// its rows say (its total and revoked tickets; `None` without an order row).
fn refunds_within_paid<D: Db>(
    db: &mut D,
    revoked: &[i64],
    mut facts: impl FnMut(&mut D, i64) -> Result<Option<(i64, i64)>>,
) -> Checked {
    // Per order: refunded, refunded by the refunds' lines, tickets the refunds name.
    let mut sums: BTreeMap<i64, [i64; 3]> = BTreeMap::new();
    for (i, sql) in [
        "SELECT order_id, CAST(sum(amount_cents) AS bigint) FROM refunds GROUP BY order_id",
        "SELECT r.order_id, CAST(sum(rl.amount_cents) AS bigint) FROM refund_lines rl
         JOIN refunds r ON r.id = rl.refund_id GROUP BY r.order_id",
        "SELECT r.order_id, count(*) FROM refund_tickets rt
         JOIN refunds r ON r.id = rt.refund_id GROUP BY r.order_id",
    ]
    .into_iter()
    .enumerate()
    {
        db.query_each(sql, &[], &mut |row| {
            sums.entry(row.int(0)?).or_default()[i] = row.int(1)?;
            Ok(())
        })?;
    }
    let mut orders: Vec<i64> = sums.keys().chain(revoked).copied().collect();
    orders.sort_unstable();
    orders.dedup();
    for order_id in orders {
        let Some((total_cents, revoked)) = facts(db, order_id)? else {
            return fail(format!(
                "order {order_id} has refunds or revoked tickets but no row of its own"
            ));
        };
        let [refunded, by_lines, tickets] = sums.get(&order_id).copied().unwrap_or_default();
        if refunded > total_cents || refunded != by_lines || revoked != tickets {
            return fail(format!(
                "order {order_id}: its refunds exceed what was paid or disagree with their lines or tickets"
            ));
        }
    }
    Ok(Ok(()))
}

/// [`refunds_within_paid`]'s facts of one order, read from its rows.
fn order_facts(db: &mut impl Db, order_id: i64) -> Result<Option<(i64, i64)>> {
    db.query_opt(
        "SELECT o.total_cents,
                (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.state = 'revoked')
         FROM orders o WHERE o.id = ?1",
        &values![order_id],
    )?
    .map(|row| Ok((row.int(0)?, row.int(1)?)))
    .transpose()
}

/// A performance's sold count is its valid tickets and the tickets its open reservations hold,
/// within its capacity.
fn sold_counts(tx: &Tx<'_>, valid: &HashMap<i64, i64>) -> Checked {
    let mut db = tx.db();
    let mut holds: HashMap<i64, i64> = HashMap::new();
    db.query_each(
        "SELECT r.performance_id, CAST(sum(l.quantity) AS bigint)
         FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id
         WHERE NOT EXISTS (SELECT 1 FROM reservation_events e WHERE e.reservation_id = r.id)
         GROUP BY r.performance_id",
        &[],
        &mut |row| {
            holds.insert(row.int(0)?, row.int(1)?);
            Ok(())
        },
    )?;
    let mut wrong = None;
    db.query_each(
        "SELECT id, capacity, sold FROM performances ORDER BY id",
        &[],
        &mut |row| {
            let (id, capacity, sold) = (row.int(0)?, row.int(1)?, row.int(2)?);
            let taken = valid.get(&id).copied().unwrap_or(0) + holds.get(&id).copied().unwrap_or(0);
            if (taken > capacity || taken != sold) && wrong.is_none() {
                wrong = Some(id);
            }
            Ok(())
        },
    )?;
    if let Some(id) = wrong {
        return fail(format!(
            "performance {id}: its tickets exceed the capacity or disagree with its sold count"
        ));
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
    let mut unjournaled = None;
    tx.db().query_each(
        "SELECT id, shift_id, kind, amount_cents, reason, at FROM cash_movements ORDER BY id",
        &[],
        &mut |row| {
            if unjournaled.is_some() {
                return Ok(());
            }
            let key = (
                row.int(1)?,
                row.text(2)?,
                row.int(3)?,
                row.text(4)?,
                row.text(5)?,
            );
            match journaled.binary_search(&key) {
                Ok(found) => {
                    journaled.remove(found);
                }
                Err(_) => unjournaled = Some((row.int(0)?, key.1, key.2)),
            }
            Ok(())
        },
    )?;
    if let Some((id, kind, amount)) = unjournaled {
        return fail(format!(
            "cash movement {id} ({kind} of {amount} cents) has no journal entry"
        ));
    }
    Ok(Ok(()))
}

/// A seated ticket's seat rows: the one it was sold with (checked with its sale) and one per
/// journaled exchange; an inserted row would move the ticket to another seat.
fn seat_changes_journaled(tx: &Tx<'_>, exchanges: &HashMap<String, i64>) -> Checked {
    let mut db = tx.db();
    let moved = db.query(
        // The seat rows grouped first: grouped through the join, SQLite walked every ticket and
        // looked for its seats (0.12 s at 1M tickets with none seated, issue 16).
        "SELECT t.id, t.code, m.moves
         FROM (SELECT ticket_id, count(*) - 1 AS moves FROM ticket_seats
               GROUP BY ticket_id HAVING count(*) > 1) m
         JOIN tickets t ON t.id = m.ticket_id ORDER BY t.id",
        &[],
    )?;
    for row in moved {
        let (ticket_id, code, moves) = (row.int(0)?, row.text(1)?, row.int(2)?);
        // An exchange names the code the cashier had: the ticket's own or a reissue's.
        let mut codes = vec![code.clone()];
        for reissued in db.query(
            "SELECT new_code FROM ticket_reissues WHERE ticket_id = ?1",
            &values![ticket_id],
        )? {
            codes.push(reissued.text(0)?);
        }
        let journaled: i64 = codes
            .iter()
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
    let rows = tx
        .db()
        .query("SELECT id, order_id FROM cash_roundings ORDER BY id", &[])?;
    for row in rows {
        let (id, order_id) = (row.int(0)?, row.int(1)?);
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
    let rows = tx.db().query(
        "SELECT r.order_id, r.tender, r.amount_cents, c.amount_cents
         FROM cash_roundings c JOIN refunds r ON r.id = c.refund_id ORDER BY c.id",
        &[],
    )?;
    for row in rows {
        let (order_id, tender, amount, rounding) =
            (row.int(0)?, row.text(1)?, row.int(2)?, row.int(3)?);
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
///
/// A group's numbers are unique and positive (the table's UNIQUE and CHECK), so each group is
/// gapless exactly when its count is its largest number, and all are when the table's count is
/// the sum of the largest numbers: the table counted once, each group's largest number found by
/// an index probe (issue 16: two scans of the receipts were 30 ms of `verify`'s serial tail at 1M
/// tickets). Only where they differ are the groups counted, to name the first gap.
fn receipts_gapless(db: &mut impl Db) -> Checked<i64> {
    let total = db.query_one("SELECT count(*) FROM receipts", &[])?.int(0)?;
    let (mut largest, mut real) = (0, 0);
    let mut after: (String, i64) = (String::new(), -1);
    while let Some(group) = db.query_opt(
        "SELECT register_id, training FROM receipts WHERE (register_id, training) > (?1, ?2)
         ORDER BY register_id, training LIMIT 1",
        &values![after.0.as_str(), after.1],
    )? {
        after = (group.text(0)?, group.int(1)?);
        let max = db
            .query_one(
                "SELECT max(number) FROM receipts WHERE register_id = ?1 AND training = ?2",
                &values![after.0.as_str(), after.1],
            )?
            .opt_int(0)?
            .unwrap_or(0);
        largest += max;
        if after.1 == 0 {
            real += max;
        }
    }
    if largest == total {
        return Ok(Ok(real));
    }
    first_receipt_gap(db)
}

/// The first group whose count is not its largest number, named with its first missing number.
fn first_receipt_gap(db: &mut impl Db) -> Checked<i64> {
    let mut receipts = 0;
    for training in [0_i64, 1] {
        // One group on a counter's own ledger; one per register on the shared ledger or a copy.
        let groups = db.query(
            "SELECT register_id, count(*), max(number) FROM receipts WHERE training = ?1
             GROUP BY register_id ORDER BY register_id",
            &values![training],
        )?;
        for group in groups {
            let (register, count, max_receipt) = (group.text(0)?, group.int(1)?, group.opt_int(2)?);
            if count != max_receipt.unwrap_or(0) {
                let gap = db
                    .query_opt(
                        "SELECT r.number + 1 FROM receipts r
                         WHERE r.register_id = ?1 AND r.training = ?2
                           AND r.number + 1 <= (SELECT max(number) FROM receipts
                                                WHERE register_id = ?1 AND training = ?2)
                           AND NOT EXISTS (SELECT 1 FROM receipts s WHERE s.register_id = r.register_id
                                           AND s.training = r.training AND s.number = r.number + 1)
                         ORDER BY r.number LIMIT 1",
                        &values![register.as_str(), training],
                    )?
                    .map(|row| row.int(0))
                    .transpose()?
                    .unwrap_or(1);
                let which = if training == 1 {
                    "training receipt"
                } else {
                    "receipt"
                };
                return fail(format!(
                    "receipt numbers are not gapless: {which} {gap} of register {register} is missing"
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
    let z_numbers = tx.db().query(
        "SELECT register_id, number, first_receipt, last_receipt FROM z_reports
         ORDER BY register_id, number",
        &[],
    )?;
    let (mut register, mut expected, mut last_receipt) = (String::new(), 1, 0);
    for row in z_numbers {
        let (of, number, first, last) =
            (row.text(0)?, row.int(1)?, row.opt_int(2)?, row.opt_int(3)?);
        if of != register {
            (register, expected, last_receipt) = (of, 1, 0);
        }
        if number != expected {
            return fail(format!(
                "Z report numbers are not gapless: Z {expected} is missing"
            ));
        }
        expected += 1;
        if let (Some(first), Some(last)) = (first, last) {
            if first != last_receipt + 1 {
                return fail(format!(
                    "Z {number} starts at receipt {first}, but the previous Z ended at {last_receipt}"
                ));
            }
            last_receipt = last;
        }
    }
    Ok(Ok(()))
}
