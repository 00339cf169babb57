//! `verify` written once for both engines: the chain and the rules that span rows, as SQL both
//! speak. The shared ledger uses it.

use super::{Checked, VerifyFailure, VerifyReport};
use crate::ledger::engine::Db as _;
use crate::ledger::journal::{GENESIS_HASH, SELECT_ENTRY, entry_from_db_row};
use crate::ledger::{Result, Tx, TxDb};

/// `verify` written once for both engines (the shared ledger uses it): the whole chain (gapless,
/// each entry linked to the one before and hashing to its own fields) and the ledger's rules
/// that span rows. Unlike the SQLite walk it does not compare each sale's entry with its rows.
pub(super) fn verify_portable(tx: &Tx<'_>) -> Checked<VerifyReport> {
    let mut db = tx.db();
    let mut previous = GENESIS_HASH.to_string();
    let mut entries = 0_i64;
    let mut failure: Option<VerifyFailure> = None;
    db.query_each(&format!("{SELECT_ENTRY} ORDER BY seq"), &[], &mut |row| {
        if failure.is_some() {
            return Ok(());
        }
        let entry = entry_from_db_row(row)?;
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
    let count = |db: &mut TxDb<'_, '_>, table: &str| -> Result<i64> {
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
