//! Rules across rows written once for both engines, as SQL both speak; the shared ledger's
//! `verify` checks them besides the walk and `rules`.

use super::{Checked, VerifyFailure};
use crate::ledger::Tx;
use crate::ledger::engine::Db as _;

/// The rules the shared ledger checks besides the walk's (`rules`): every order journaled, its
/// lines adding up to its total, refunds within what was paid, capacity, every seat once among
/// valid tickets, receipts gapless per register. SQL both engines speak.
pub(super) fn shared_rules(tx: &Tx<'_>) -> Checked {
    let mut db = tx.db();
    for (sql, what) in PORTABLE_RULES {
        if let Some(found) = db.query_one(sql, &[])?.opt_int(0)? {
            return Ok(Err(VerifyFailure {
                seq: None,
                reason: what.replace("{}", &found.to_string()),
            }));
        }
    }
    Ok(Ok(()))
}

/// (query giving the first offending id or NULL, what is wrong with it).
const PORTABLE_RULES: [(&str, &str); 6] = [
    (
        // The valid tickets counted in one pass, per performance: a count per performance in a
        // subquery read every ticket once per performance on the server (no index by
        // performance: 2,500 scans of 1,000,000 tickets in the 1M-ticket bench, hours).
        "SELECT min(p.id) FROM performances p
            LEFT JOIN (SELECT performance_id, count(*) AS n FROM tickets WHERE state = 'valid'
                       GROUP BY performance_id) v ON v.performance_id = p.id
         WHERE p.sold > p.capacity OR p.sold < coalesce(v.n, 0)",
        "performance {} has more valid tickets than its sold count, or more sold than its capacity",
    ),
    (
        "SELECT min(o.id) FROM orders o
         WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.order_id = o.id AND j.kind = 'sale')",
        "order {} has no journal entry",
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
    (
        "SELECT min(performance_id) FROM (
             SELECT t.performance_id FROM tickets t JOIN ticket_seats s ON s.ticket_id = t.id
             WHERE t.state = 'valid'
               AND s.id = (SELECT max(c.id) FROM ticket_seats c WHERE c.ticket_id = t.id)
             GROUP BY t.performance_id, s.seat_id HAVING count(*) > 1) twice",
        "a seat of performance {} is held by two valid tickets",
    ),
];
