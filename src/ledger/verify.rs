//! `verify`: walks the journal chain and checks the ledger's invariants.

use rusqlite::OptionalExtension;

use super::journal::{GENESIS_HASH, SELECT_ENTRY, entry_from_row};
use super::{Ledger, LedgerError, Result};

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

impl Ledger {
    /// Walks the whole chain, compares every sale entry with its rows, then checks
    /// payments = ticket totals per order, capacity per performance and gapless receipts.
    pub fn verify(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        let anchor: Option<(i64, String)> = std::fs::read_to_string(self.anchor_path())
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|value| Some((value["seq"].as_i64()?, value["hash"].as_str()?.to_string())));
        self.read(|tx| {
            let mut anchor_reached = false;
            let mut slow_path_sales = 0;
            let fail = |seq: Option<i64>, reason: String| Ok(Err(VerifyFailure { seq, reason }));
            use super::verify_stream as vs;
            let seated: bool =
                tx.tx.query_row("SELECT EXISTS (SELECT 1 FROM ticket_seats)", [], |row| row.get(0))?;
            let tickets = if seated { vs::SEATED_TICKETS } else { vs::TICKETS };
            let mut statements = [vs::ORDERS, vs::LINES, tickets, vs::PAYMENTS, vs::RECEIPTS]
                .map(|sql| tx.tx.prepare(sql));
            let [Ok(orders_sql), Ok(lines_sql), Ok(tickets_sql), Ok(payments_sql), Ok(receipts_sql)] = &mut statements else {
                return Err(rusqlite::Error::InvalidQuery.into());
            };
            let mut orders = vs::Stream::new(orders_sql.query([])?, vs::order);
            let mut lines = vs::Stream::new(lines_sql.query([])?, vs::line);
            let mut tickets = vs::Stream::new(tickets_sql.query([])?, vs::ticket);
            let mut payments = vs::Stream::new(payments_sql.query([])?, vs::payment);
            let mut receipts = vs::Stream::new(receipts_sql.query([])?, vs::receipt);
            let mut statement = tx.tx.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
            let mut rows = statement.query([])?;
            let mut expected_seq = 1;
            let mut prev_hash = GENESIS_HASH.to_string();
            while let Some(row) = rows.next()? {
                let entry = entry_from_row(row)?;
                if entry.seq != expected_seq {
                    return fail(
                        Some(entry.seq),
                        format!("entry {expected_seq} is missing (the chain jumps to {})", entry.seq),
                    );
                }
                if entry.prev_hash != prev_hash {
                    return fail(Some(entry.seq), "does not link to the entry before it".into());
                }
                if entry.hash != entry.expected_hash() {
                    return fail(Some(entry.seq), format!("its hash does not match its content ({})", entry.kind));
                }
                if let Some((anchor_seq, anchor_hash)) = &anchor
                    && *anchor_seq == entry.seq
                {
                    if *anchor_hash != entry.hash {
                        return fail(Some(entry.seq), "differs from the hash anchored at the last Z report".into());
                    }
                    anchor_reached = true;
                }
                if entry.kind == "shift.close" {
                    let recorded: serde_json::Value = serde_json::from_str(&entry.content).unwrap_or_default();
                    let number = recorded["number"].as_i64().unwrap_or_default();
                    if tx.z_report(number)?.as_ref() != Some(&recorded) {
                        return fail(Some(entry.seq), format!("Z report {number} no longer matches what was journaled"));
                    }
                }
                if entry.kind == "refund" {
                    let recorded: serde_json::Value = serde_json::from_str(&entry.content).unwrap_or_default();
                    let refund_id = recorded["refund"]["refund_id"].as_i64().unwrap_or_default();
                    let current = match tx.refund_content(refund_id) {
                        Ok(value) => value,
                        Err(LedgerError::Sql(rusqlite::Error::QueryReturnedNoRows)) => {
                            return fail(Some(entry.seq), format!("refund {refund_id} is missing from the ledger"));
                        }
                        Err(other) => return Err(other),
                    };
                    if recorded != current {
                        return fail(Some(entry.seq), format!("the rows of refund {refund_id} no longer match what was journaled"));
                    }
                }
                if entry.kind == "sale" {
                    let Some(order_id) = entry.order_id else {
                        return fail(Some(entry.seq), "sale entry without an order".into());
                    };
                    let streamed = vs::sale(
                        orders.take_for(order_id)?.pop(),
                        lines.take_for(order_id)?,
                        tickets.take_for(order_id)?,
                        payments.take_for(order_id)?,
                        receipts.take_for(order_id)?,
                    );
                    if streamed.content == entry.content {
                        if streamed.tickets_cents != streamed.total_cents || streamed.approved_cents != streamed.total_cents {
                            return fail(Some(entry.seq), format!("order {order_id}: payments do not equal the ticket total"));
                        }
                    } else {
                        // The exact (slow) path decides; the stream only saves time.
                        slow_path_sales += 1;
                        let recorded: serde_json::Value = serde_json::from_str(&entry.content)
                            .map_err(|e| LedgerError::Corrupt { path: Default::default(), detail: e.to_string() })?;
                        let current = match tx.sale_content(order_id) {
                            Ok(value) => value,
                            Err(LedgerError::Sql(rusqlite::Error::QueryReturnedNoRows)) => {
                                return fail(Some(entry.seq), format!("order {order_id} is missing from the ledger"));
                            }
                            Err(other) => return Err(other),
                        };
                        if recorded != current {
                            let part = ["order", "lines", "tickets", "payments", "receipts"]
                                .into_iter()
                                .find(|key| recorded.get(key) != current.get(key))
                                .unwrap_or("order");
                            return fail(
                                Some(entry.seq),
                                format!("the {part} rows of order {order_id} no longer match what was journaled"),
                            );
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
                        if sum("tickets", "price_cents", false) != total || sum("payments", "amount_cents", true) != total {
                            return fail(Some(entry.seq), format!("order {order_id}: payments do not equal the ticket total"));
                        }
                    }
                }
                prev_hash = entry.hash;
                expected_seq += 1;
            }
            let entries = expected_seq - 1;
            if let Some((anchor_seq, _)) = &anchor
                && !anchor_reached
            {
                return fail(
                    Some(*anchor_seq),
                    format!("is missing: the journal ends at entry {entries} but the last Z report anchored entry {anchor_seq}"),
                );
            }
            let query_i64 = |sql: &str| -> Result<Option<i64>> {
                Ok(tx.tx.query_row(sql, [], |row| row.get::<_, Option<i64>>(0)).optional()?.flatten())
            };
            if let Some(order_id) = query_i64(
                "SELECT id FROM orders WHERE id NOT IN (SELECT order_id FROM journal WHERE kind = 'sale' AND order_id IS NOT NULL) ORDER BY id LIMIT 1",
            )? {
                return fail(None, format!("order {order_id} has no journal entry"));
            }
            if let Some(refund_id) = query_i64(
                "SELECT id FROM refunds WHERE id NOT IN (SELECT json_extract(content, '$.refund.refund_id') FROM journal WHERE kind = 'refund')
                 ORDER BY id LIMIT 1",
            )? {
                return fail(None, format!("refund {refund_id} has no journal entry"));
            }
            if let Some(order_id) = query_i64(
                "SELECT o.id FROM orders o
                 WHERE o.id IN (SELECT order_id FROM refunds UNION SELECT order_id FROM tickets WHERE state = 'revoked')
                   AND ((SELECT coalesce(sum(amount_cents), 0) FROM refunds r WHERE r.order_id = o.id) > o.total_cents
                    OR (SELECT coalesce(sum(amount_cents), 0) FROM refunds r WHERE r.order_id = o.id)
                       != (SELECT coalesce(sum(rl.amount_cents), 0) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
                           WHERE r.order_id = o.id)
                    OR (SELECT count(*) FROM tickets t WHERE t.order_id = o.id AND t.state = 'revoked')
                       != (SELECT count(*) FROM refund_tickets rt JOIN refunds r ON r.id = rt.refund_id WHERE r.order_id = o.id))
                 ORDER BY o.id LIMIT 1",
            )? {
                return fail(None, format!("order {order_id}: its refunds exceed what was paid or disagree with their lines or tickets"));
            }
            if let Some(performance_id) = query_i64(
                "SELECT p.id FROM performances p
                 WHERE (SELECT count(*) FROM tickets t WHERE t.performance_id = p.id AND t.state = 'valid')
                       NOT BETWEEN 0 AND p.capacity
                    OR (SELECT count(*) FROM tickets t WHERE t.performance_id = p.id AND t.state = 'valid') != p.sold
                 ORDER BY p.id LIMIT 1",
            )? {
                return fail(
                    None,
                    format!("performance {performance_id}: its tickets exceed the capacity or disagree with its sold count"),
                );
            }
            if let Some(failure) = verify_cash_roundings(tx)? {
                return Ok(Err(failure));
            }
            let mut receipts = 0;
            for training in [0, 1] {
                let (count, max_receipt): (i64, Option<i64>) = tx.tx.query_row(
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
                    let which = if training == 1 { "training receipt" } else { "receipt" };
                    return fail(None, format!("receipt numbers are not gapless: {which} {gap} is missing"));
                }
                if training == 0 {
                    receipts = count;
                }
            }
            let z_numbers: Vec<(i64, Option<i64>, Option<i64>)> = {
                let mut statement =
                    tx.tx.prepare("SELECT number, first_receipt, last_receipt FROM z_reports ORDER BY number")?;
                statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let mut last_receipt = 0;
            for (index, (number, first, last)) in z_numbers.iter().enumerate() {
                if *number != index as i64 + 1 {
                    return fail(None, format!("Z report numbers are not gapless: Z {} is missing", index + 1));
                }
                if let (Some(first), Some(last)) = (first, last) {
                    if *first != last_receipt + 1 {
                        return fail(
                            None,
                            format!("Z {number} starts at receipt {first}, but the previous Z ended at {last_receipt}"),
                        );
                    }
                    last_receipt = *last;
                }
            }
            Ok(Ok(VerifyReport {
                entries,
                orders: query_i64("SELECT count(*) FROM orders")?.unwrap_or(0),
                tickets: query_i64("SELECT count(*) FROM tickets")?.unwrap_or(0),
                receipts,
                head_hash: prev_hash,
                slow_path_sales,
            }))
        })
    }
}

/// Issue 13's check of cash rounding (kept apart from the sale stream): every rounding row is
/// journaled as it is, is what the register's currency rounds the cash tender to, and every
/// cash payment's tendered − change is its amount plus its rounding, so a rounding row that
/// was changed, removed or invented shows up.
fn verify_cash_roundings(tx: &super::Tx<'_>) -> Result<Option<VerifyFailure>> {
    let fail = |seq: Option<i64>, reason: String| Ok(Some(VerifyFailure { seq, reason }));
    let currency = tx.currency()?;
    let rows: Vec<(i64, i64)> = {
        let mut statement = tx
            .tx
            .prepare("SELECT id, order_id FROM cash_roundings ORDER BY id")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (id, order_id) in rows {
        let current = tx.cash_rounding_content(id)?;
        let journaled: Option<(i64, String)> = tx
            .tx
            .query_row(
                "SELECT seq, content FROM journal WHERE kind = 'cash.rounding' AND order_id = ?1
                   AND json_extract(content, '$.rounding_id') = ?2",
                rusqlite::params![order_id, id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((seq, content)) = journaled else {
            return fail(
                None,
                format!("the cash rounding of order {order_id} has no journal entry"),
            );
        };
        if serde_json::from_str::<serde_json::Value>(&content).ok() != Some(current) {
            return fail(
                Some(seq),
                format!(
                    "the cash rounding of order {order_id} no longer matches what was journaled"
                ),
            );
        }
    }
    // A refund's rounding: only of a cash refund, and the currency's rule for its amount.
    let mut statement = tx.tx.prepare(
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
            return fail(
                None,
                format!(
                    "order {order_id}: the cash rounding of its refund disagrees with the refund ({rounding}, rule {rule})"
                ),
            );
        }
    }
    drop(rows);
    drop(statement);
    // Each cash sale payment: the drawer got tendered − change, which is the payment's amount
    // plus the sale's rounding, and that rounding is the currency's rule for the amount.
    let mut statement = tx.tx.prepare(
        "SELECT p.order_id, p.amount_cents, p.tendered_cents - p.change_cents,
                coalesce((SELECT sum(c.amount_cents) FROM cash_roundings c
                          WHERE c.order_id = p.order_id AND c.refund_id IS NULL), 0)
         FROM payments p
         WHERE p.tender = 'cash' AND p.state = 'approved' AND p.tendered_cents IS NOT NULL
           AND p.change_cents IS NOT NULL
         ORDER BY p.order_id",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (order_id, amount, kept, rounding): (i64, i64, i64, i64) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let rule = currency
            .cash_rounding("cash", crate::domain::Money::from_cents(amount))
            .cents();
        if kept != amount + rounding || (rounding != 0 && rounding != rule) {
            return fail(
                None,
                format!(
                    "order {order_id}: its cash rounding disagrees with the cash paid (rounding {rounding}, rule {rule}, kept {kept}, amount {amount})"
                ),
            );
        }
    }
    Ok(None)
}
