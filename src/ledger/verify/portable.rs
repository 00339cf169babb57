//! `verify` written once for both engines: the chain and the rules that span rows, as SQL both
//! speak. The shared ledger uses it.

use super::{Checked, VerifyFailure, VerifyReport, walk};
use crate::ledger::engine::Db as _;
use crate::ledger::journal::{Chains, GENESIS_HASH, SELECT_ENTRY, entry_from_db_row};
use crate::ledger::{Result, Tx, TxDb};

/// `verify` written once for both engines (the shared ledger uses it): every register's chain
/// (each entry linked to its register's entry before it and hashing to its own fields) and the ledger's rules
/// that span rows. Unlike the SQLite walk it does not compare each sale's entry with its rows.
pub(super) fn verify_portable(
    tx: &Tx<'_>,
    anchor: Option<&(i64, String)>,
) -> Checked<VerifyReport> {
    let mut db = tx.db();
    let register = tx.register_id().unwrap_or_default();
    let mut anchor_reached = false;
    let mut chains = Chains::default();
    let mut entries = 0_i64;
    let mut failure: Option<VerifyFailure> = None;
    db.query_each(&format!("{SELECT_ENTRY} ORDER BY seq"), &[], &mut |row| {
        if failure.is_some() {
            return Ok(());
        }
        let entry = entry_from_db_row(row)?;
        if let Some(reason) = chains.step(&entry) {
            failure = Some(VerifyFailure {
                seq: Some(entry.seq),
                reason: format!("{reason} (register {})", entry.register_id),
            });
        } else {
            failure = walk::anchored(anchor, &entry, register, &mut anchor_reached);
        }
        entries += 1;
        Ok(())
    })?;
    if let Some(failure) =
        failure.or_else(|| walk::anchor_not_reached(anchor, anchor_reached, &chains, register))
    {
        return Ok(Err(failure));
    }
    let head_hash = chains
        .head(register)
        .map_or_else(|| GENESIS_HASH.to_string(), |(_, hash)| hash.clone());
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
        head_hash,
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
