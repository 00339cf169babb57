//! The chain walk: every entry in order, its link, the anchor, and each sale, refund and Z report
//! against its rows. The sales' rows come order by order as canonical text (`sales`, on a thread
//! and connection of their own where it can); a sale whose text differs is checked the exact,
//! slow way.

use super::sales::{Producer, Sales, Seen, Snapshot, sale_statements};
use super::{Checked, VerifyFailure, Walked, checked};
use crate::domain::{Currency, JournalKind, Money, Tender};
use crate::ledger::engine::{Db as _, values};
use crate::ledger::journal::{
    Chains, EntryRef, GENESIS_HASH, SELECT_ENTRY, entry_from_db_row, entry_ref,
};
use crate::ledger::verify_stream::RowOrder;
use crate::ledger::{LedgerError, Result, Tx};

/// A failure found in an entry.
fn at(entry: &EntryRef<'_>, reason: String) -> VerifyFailure {
    VerifyFailure {
        seq: Some(entry.seq),
        reason,
    }
}

/// Walks the whole chain; what it counted, or the first entry found wrong. With a `snapshot`, the
/// sales' rows are streamed on its connection in a thread of their own; without, on this one;
/// in `order` either way ([`LedgerError::UnorderedSaleRows`] where row-id order is not
/// order-number order).
pub(super) fn walk(
    tx: &Tx<'_>,
    anchor: Option<&(i64, String)>,
    snapshot: Option<Snapshot>,
    order: RowOrder,
) -> Checked<Walked> {
    let sqlite = tx.sq()?;
    match snapshot {
        Some(snapshot) => {
            // This transaction's first read, while the snapshot's connection still holds the
            // write lock: both see the same commits (see `Snapshot`).
            sqlite.query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
                row.get::<_, i64>(0)
            })?;
            std::thread::scope(|scope| {
                // `walk_with` drops the stream before the scope ends: a walk that stopped early
                // stops the rows' thread at its next batch.
                walk_with(tx, anchor, snapshot.stream(scope, order))
            })
        }
        None => {
            let mut statements = sale_statements(sqlite, order)?;
            walk_with(tx, anchor, Sales::here(Producer::new(&mut statements)?))
        }
    }
}

/// The walk, its sales' rows taken from `sales`.
fn walk_with(tx: &Tx<'_>, anchor: Option<&(i64, String)>, mut sales: Sales<'_>) -> Checked<Walked> {
    let sqlite = tx.sq()?;
    let currency = tx.currency()?;
    let mut walked = Walked::default();
    let register = tx.register_id().unwrap_or_default().to_string();
    let mut chains = Chains::default();
    let mut anchor_reached = false;
    let mut statement = sqlite.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
    let mut entries = statement.query([])?;
    while let Some(row) = entries.next()? {
        let entry = entry_ref(row)?;
        if let Some(reason) = chains.step(&entry) {
            return Ok(Err(at(&entry, reason)));
        }
        if let Some(failure) = anchored(anchor, &entry, &register, &mut anchor_reached) {
            return Ok(Err(failure));
        }
        checked!(walked.entry(tx, &entry, Some(&mut sales), currency));
        walked.entries += 1;
    }
    walked.head_hash = chains
        .head(&register)
        .map_or_else(|| GENESIS_HASH.to_string(), |(_, hash)| hash.clone());
    if let Some(failure) = anchor_not_reached(anchor, anchor_reached, &chains, &register) {
        return Ok(Err(failure));
    }
    // Rows after the last sale entry: orders without an entry, tickets still to count.
    sales.take_for(i64::MAX, |seen| {
        if seen.has_order {
            walked.orphan_order.get_or_insert(seen.order_id);
        }
    })?;
    let Some(totals) = sales.totals() else {
        return Ok(Err(VerifyFailure {
            seq: None,
            reason: "the sales' rows could not be checked (reading them stopped)".into(),
        }));
    };
    walked.orders = totals.orders;
    walked.tickets = totals.tickets;
    walked.valid = totals.valid;
    walked.ahead = totals.ahead;
    Ok(Ok(walked))
}

/// How many journal entries the shared ledger's walk reads at a time (one connection cannot run
/// a query while it still reads another's rows); the sales and refunds a page names are read
/// in five and four queries per run of near numbers (`PageRows`).
pub(super) const PAGE: i64 = 500;

/// The walk on the shared ledger: every register's chain and this register's anchor as on a
/// counter's own ledger, each sale compared with its rows the exact way (`sale_content`'s rows,
/// a page of sales at a time), refunds, Z reports, cash movements and roundings as there; the counts
/// the SQLite walk takes from its streams are queries here.
pub(super) fn walk_shared(tx: &Tx<'_>, anchor: Option<&(i64, String)>) -> Checked<Walked> {
    let currency = tx.currency()?;
    let register = tx.register_id().unwrap_or_default().to_string();
    let mut walked = Walked::default();
    let mut chains = Chains::default();
    let mut anchor_reached = false;
    let mut after = 0_i64;
    loop {
        let page = tx.db().query(
            &format!("{SELECT_ENTRY} WHERE seq > ?1 ORDER BY seq LIMIT {PAGE}"),
            &values![after],
        )?;
        let Some(last) = page.last() else { break };
        after = last.int(0)?;
        let entries = page
            .iter()
            .map(entry_from_db_row)
            .collect::<Result<Vec<_>>>()?;
        let rows = PageRows::read(tx, &entries)?;
        for owned in &entries {
            let entry = owned.as_ref();
            if let Some(reason) = chains.step(&entry) {
                let reason = format!("{reason} (register {})", entry.register_id);
                return Ok(Err(at(&entry, reason)));
            }
            if let Some(failure) = anchored(anchor, &entry, &register, &mut anchor_reached) {
                return Ok(Err(failure));
            }
            let kind = JournalKind::parse(entry.kind);
            if kind == Some(JournalKind::Sale)
                && let Some(order_id) = entry.order_id
            {
                if let Some(reason) = sale_against(&entry, order_id, rows.sales.get(&order_id))? {
                    return Ok(Err(at(&entry, reason)));
                }
            } else if kind == Some(JournalKind::Refund) {
                checked!(walked.refund(&entry, |id| Ok(rows.refunds.get(&id).cloned())));
            } else {
                checked!(walked.entry(tx, &entry, None, currency));
            }
            walked.entries += 1;
        }
    }
    walked.head_hash = chains
        .head(&register)
        .map_or_else(|| GENESIS_HASH.to_string(), |(_, hash)| hash.clone());
    if let Some(failure) = anchor_not_reached(anchor, anchor_reached, &chains, &register) {
        return Ok(Err(failure));
    }
    walked.count_rows(tx)?;
    Ok(Ok(walked))
}

/// What the sales and refunds of a page of the journal are now, rebuilt from their rows as
/// their entries record them.
struct PageRows {
    sales: std::collections::BTreeMap<i64, serde_json::Value>,
    refunds: std::collections::BTreeMap<i64, serde_json::Value>,
}

impl PageRows {
    fn read(tx: &Tx<'_>, entries: &[crate::ledger::journal::JournalEntry]) -> Result<PageRows> {
        let of_kind = |kind| {
            entries
                .iter()
                .filter(move |entry| JournalKind::parse(&entry.kind) == Some(kind))
        };
        let orders: Vec<i64> = of_kind(JournalKind::Sale)
            .filter_map(|entry| entry.order_id)
            .collect();
        let refunds: Vec<i64> = of_kind(JournalKind::Refund)
            .filter_map(|entry| refund_id(entry.content.as_bytes()))
            .collect();
        let mut rows = PageRows {
            sales: Default::default(),
            refunds: Default::default(),
        };
        for (first, last) in runs(orders) {
            rows.sales.append(&mut tx.sale_contents(first, last)?);
        }
        for (first, last) in runs(refunds) {
            rows.refunds.append(&mut tx.refund_contents(first, last)?);
        }
        Ok(rows)
    }
}

/// `ids` as runs of near numbers, (first, last) each: a gap of more than 64 starts a new run, so
/// a page whose rows are far apart never reads the rows between them.
fn runs(mut ids: Vec<i64>) -> Vec<(i64, i64)> {
    const GAP: i64 = 64;
    ids.sort_unstable();
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for id in ids {
        match runs.last_mut() {
            Some((_, last)) if id - *last <= GAP => *last = id,
            _ => runs.push((id, id)),
        }
    }
    runs
}

/// The refund a refund entry's content names (`refund.refund_id`).
fn refund_id(content: &[u8]) -> Option<i64> {
    let recorded: serde_json::Value = serde_json::from_slice(content).ok()?;
    recorded["refund"]["refund_id"].as_i64()
}

/// A sale's entry against its rows, the exact way.
fn sale_exact(tx: &Tx<'_>, entry: &EntryRef<'_>) -> Checked {
    let Some(order_id) = entry.order_id else {
        return Ok(Err(at(entry, "sale entry without an order".into())));
    };
    match slow_sale_check(tx, entry, order_id)? {
        Err(reason) => Ok(Err(at(entry, reason))),
        Ok(_) => Ok(Ok(())),
    }
}

/// A row the content functions looked for is not there (on either engine).
fn is_missing(error: &LedgerError) -> bool {
    match error {
        LedgerError::Sql(rusqlite::Error::QueryReturnedNoRows) => true,
        LedgerError::Postgres(text) => text == "the query returned no row",
        _ => false,
    }
}

/// Refunds read ahead of their entries on a counter's own ledger: a refund's rows in four
/// queries were 17 µs each at 1M tickets (issue 16); the entries name refunds in rising order, so
/// the refunds numbered from the first one not read yet are read [`RefundsAhead::RUN`] at a time.
#[derive(Default)]
pub(super) struct RefundsAhead {
    /// The numbers read, and the refunds among them as their rows say now.
    read: Option<std::ops::RangeInclusive<i64>>,
    rows: std::collections::BTreeMap<i64, serde_json::Value>,
}

impl RefundsAhead {
    const RUN: i64 = 256;

    /// What refund `id`'s rows say now, `None` without such a refund.
    fn content(&mut self, tx: &Tx<'_>, id: i64) -> Result<Option<serde_json::Value>> {
        if !self.read.as_ref().is_some_and(|read| read.contains(&id)) {
            let last = id.saturating_add(Self::RUN - 1);
            // A refund further on whose rows cannot be read is met at its own entry: then only
            // this one is read.
            let (read, rows) = match tx.refund_contents(id, last) {
                Ok(rows) => (id..=last, rows),
                Err(_) => (id..=id, tx.refund_contents(id, id)?),
            };
            (self.read, self.rows) = (Some(read), rows);
        }
        // Each refund has one entry: its rows are handed over, not copied. One not among the
        // rows read (missing, or named by a second entry) is read on its own.
        match self.rows.remove(&id) {
            Some(rows) => Ok(Some(rows)),
            None => Ok(tx.refund_contents(id, id)?.remove(&id)),
        }
    }
}

impl Walked {
    /// The counts the SQLite walk streams: orders, tickets, valid tickets per performance,
    /// orders with a revoked ticket, the first order without a sale entry.
    fn count_rows(&mut self, tx: &Tx<'_>) -> Result<()> {
        let mut db = tx.db();
        self.orders = db.query_one("SELECT count(*) FROM orders", &[])?.int(0)?;
        self.tickets = db.query_one("SELECT count(*) FROM tickets", &[])?.int(0)?;
        for row in db.query(
            "SELECT performance_id, count(*) FROM tickets WHERE state = 'valid' GROUP BY performance_id",
            &[],
        )? {
            self.valid.insert(row.int(0)?, row.int(1)?);
        }
        for row in db.query(
            "SELECT DISTINCT order_id FROM tickets WHERE state = 'revoked' ORDER BY order_id",
            &[],
        )? {
            self.revoked_orders.push(row.int(0)?);
        }
        self.orphan_order = db
            .query_one(
                "SELECT min(o.id) FROM orders o
                 WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.order_id = o.id AND j.kind = 'sale')",
                &[],
            )?
            .opt_int(0)?;
        Ok(())
    }
}

/// The entry named by this register's anchor: a failure if its hash is not the anchored one.
pub(super) fn anchored(
    anchor: Option<&(i64, String)>,
    entry: &EntryRef<'_>,
    register: &str,
    reached: &mut bool,
) -> Option<VerifyFailure> {
    let (anchor_seq, anchor_hash) = anchor?;
    if *anchor_seq != entry.seq {
        return None;
    }
    if *anchor_hash != entry.hash || entry.register_id != register {
        let reason = "differs from the hash in the journal anchor".to_string();
        return Some(at(entry, reason));
    }
    *reached = true;
    None
}

/// The anchored entry never met: the register's chain was cut after it.
pub(super) fn anchor_not_reached(
    anchor: Option<&(i64, String)>,
    reached: bool,
    chains: &Chains,
    register: &str,
) -> Option<VerifyFailure> {
    let (anchor_seq, _) = anchor?;
    if reached {
        return None;
    }
    let ends = chains.head(register).map_or(0, |(seq, _)| *seq);
    Some(VerifyFailure {
        seq: Some(*anchor_seq),
        reason: format!(
            "is missing: the journal ends at entry {ends} but the journal anchor names entry {anchor_seq}"
        ),
    })
}

/// An entry's content as JSON (an unreadable one reads as `null` and matches nothing).
fn content(entry: &EntryRef<'_>) -> serde_json::Value {
    serde_json::from_slice(entry.content).unwrap_or_default()
}

impl Walked {
    /// Checks one entry's content against the rows it names, counting on the way.
    fn entry(
        &mut self,
        tx: &Tx<'_>,
        entry: &EntryRef<'_>,
        sales: Option<&mut Sales<'_>>,
        currency: Currency,
    ) -> Checked {
        match JournalKind::parse(entry.kind) {
            Some(JournalKind::ShiftClose) => z_report(tx, entry),
            Some(
                JournalKind::ShiftCashIn | JournalKind::ShiftCashOut | JournalKind::ShiftDrawerOpen,
            ) => {
                self.cash_movement(entry);
                Ok(Ok(()))
            }
            Some(JournalKind::SeatExchange) => {
                let recorded = content(entry);
                let ticket = recorded["ticket"].as_str().unwrap_or_default();
                *self
                    .exchanges
                    .entry(ticket.trim().to_ascii_uppercase())
                    .or_insert(0) += 1;
                Ok(Ok(()))
            }
            Some(JournalKind::CashRounding) => {
                let recorded = content(entry);
                self.roundings.push((
                    recorded["rounding_id"].as_i64().unwrap_or_default(),
                    entry.seq,
                    String::from_utf8_lossy(entry.content).into_owned(),
                ));
                Ok(Ok(()))
            }
            Some(JournalKind::DayZ) => {
                let (register, content) = (
                    entry.register_id.to_string(),
                    String::from_utf8_lossy(entry.content).into_owned(),
                );
                self.day_z.push((entry.seq, register, content));
                Ok(Ok(()))
            }
            Some(JournalKind::Refund) => {
                let mut ahead = std::mem::take(&mut self.refunds_ahead);
                let checked = self.refund(entry, |id| ahead.content(tx, id));
                self.refunds_ahead = ahead;
                checked
            }
            Some(JournalKind::Sale) => match sales {
                Some(sales) => self.sale(tx, entry, sales, currency),
                None => sale_exact(tx, entry),
            },
            _ => Ok(Ok(())),
        }
    }

    /// A journaled cash movement, kept to find its row after the walk.
    fn cash_movement(&mut self, entry: &EntryRef<'_>) {
        let kind = entry.kind.trim_start_matches("shift.");
        let recorded = content(entry);
        self.cash_movements.push((
            recorded["shift_id"].as_i64().unwrap_or_default(),
            kind.to_string(),
            // A drawer opened without a sale moves no money.
            recorded["amount_cents"].as_i64().unwrap_or_default(),
            recorded["reason"].as_str().unwrap_or_default().to_string(),
            recorded["at"].as_str().unwrap_or_default().to_string(),
        ));
    }

    /// A refund's entry against its rows as they are now.
    fn refund(
        &mut self,
        entry: &EntryRef<'_>,
        current_of: impl FnOnce(i64) -> Result<Option<serde_json::Value>>,
    ) -> Checked {
        let recorded = content(entry);
        let refund_id = recorded["refund"]["refund_id"].as_i64().unwrap_or_default();
        self.journaled_refunds.push(refund_id);
        let Some(current) = current_of(refund_id)? else {
            let reason = format!("refund {refund_id} is missing from the ledger");
            return Ok(Err(at(entry, reason)));
        };
        if recorded != current {
            let reason =
                format!("the rows of refund {refund_id} no longer match what was journaled");
            return Ok(Err(at(entry, reason)));
        }
        Ok(Ok(()))
    }

    /// A sale's entry against its streamed rows (the slow exact way when the text differs), then
    /// its cash rounding. An order passed on the way has no sale entry (an orphan), and a revoked
    /// ticket passed on the way marks this order as refunded.
    fn sale(
        &mut self,
        tx: &Tx<'_>,
        entry: &EntryRef<'_>,
        sales: &mut Sales<'_>,
        currency: Currency,
    ) -> Checked {
        let Some(order_id) = entry.order_id else {
            return Ok(Err(at(entry, "sale entry without an order".into())));
        };
        let (mut judged, mut revoked) = (None, 0);
        let orphan = &mut self.orphan_order;
        sales.take_for(order_id, |seen| {
            revoked += seen.revoked;
            if seen.order_id == order_id {
                judged = Some(Judged::of(&seen, entry, currency));
            } else if seen.has_order {
                orphan.get_or_insert(seen.order_id);
            }
        })?;
        if revoked > 0 {
            self.revoked_orders.push(order_id);
        }
        let judged = judged.unwrap_or_else(|| Judged::of(&Seen::empty(order_id), entry, currency));
        if judged.same_text {
            if !judged.sums_agree {
                let reason = format!("order {order_id}: payments do not equal the ticket total");
                return Ok(Err(at(entry, reason)));
            }
            return Ok(judged.rounding.map_or(Ok(()), Err));
        }
        // The exact (slow) path decides; the stream only saves time. The rounding is checked
        // against the cash of the exact rows too: streamed rows that differ may lack a payment
        // (row-id order found not to hold, before the walk starts again by order number).
        self.slow_path_sales += 1;
        match slow_sale_check(tx, entry, order_id)? {
            Err(reason) => Ok(Err(at(entry, reason))),
            Ok(cash_kept) => {
                let rounding = sale_rounding(order_id, judged.rounding_cents, &cash_kept, currency);
                Ok(rounding.map_or(Ok(()), Err))
            }
        }
    }
}

/// What a sale's streamed rows say against its entry.
struct Judged {
    /// The rows' text is the entry's.
    same_text: bool,
    /// Tickets and approved payments each sum to the order's total.
    sums_agree: bool,
    /// What is wrong with its cash rounding, by its streamed payments.
    rounding: Option<VerifyFailure>,
    /// The sum of its sale's cash roundings.
    rounding_cents: i64,
}

impl Judged {
    fn of(seen: &Seen<'_>, entry: &EntryRef<'_>, currency: Currency) -> Self {
        Judged {
            same_text: seen.content == entry.content,
            sums_agree: seen.tickets_cents == seen.total_cents
                && seen.approved_cents == seen.total_cents,
            rounding: sale_rounding(seen.order_id, seen.rounding, seen.cash_kept, currency),
            rounding_cents: seen.rounding,
        }
    }
}

/// A Z report's entry against the report as it is now.
fn z_report(tx: &Tx<'_>, entry: &EntryRef<'_>) -> Checked {
    let recorded = content(entry);
    let number = recorded["number"].as_i64().unwrap_or_default();
    if tx.z_report_of(entry.register_id, number)?.as_ref() != Some(&recorded) {
        let reason = format!("Z report {number} no longer matches what was journaled");
        return Ok(Err(at(entry, reason)));
    }
    Ok(Ok(()))
}

/// Issue 13: the drawer kept tendered − change, which is each cash payment's amount plus the
/// sale's rounding, and that rounding is the currency's rule for the amount.
fn sale_rounding(
    order_id: i64,
    rounding: i64,
    cash_kept: &[(i64, i64)],
    currency: Currency,
) -> Option<VerifyFailure> {
    for &(amount, kept) in cash_kept {
        let rule = currency
            .cash_rounding(Tender::Cash, Money::from_cents(amount))
            .cents();
        if kept != amount + rounding || (rounding != 0 && rounding != rule) {
            return Some(VerifyFailure {
                seq: None,
                reason: format!(
                    "the cash rounding of order {order_id} disagrees with the cash paid (rounding {rounding}, rule {rule}, kept {kept}, amount {amount})"
                ),
            });
        }
    }
    None
}

/// The exact comparison of one sale with its rows: a sentence for what differs, or (amount,
/// tendered − change) of each approved cash payment with both, for its rounding's check.
fn slow_sale_check(
    tx: &Tx<'_>,
    entry: &EntryRef<'_>,
    order_id: i64,
) -> Result<std::result::Result<Vec<(i64, i64)>, String>> {
    let current = match tx.sale_content(order_id) {
        Ok(current) => Some(current),
        Err(error) if is_missing(&error) => None,
        Err(other) => return Err(other),
    };
    if let Some(reason) = sale_against(entry, order_id, current.as_ref())? {
        return Ok(Err(reason));
    }
    let payments = current.as_ref().and_then(|c| c["payments"].as_array());
    Ok(Ok(payments
        .into_iter()
        .flatten()
        .filter(|p| p["state"] == "approved" && p["tender"] == "cash")
        .filter_map(|p| {
            let kept = p["tendered_cents"].as_i64()? - p["change_cents"].as_i64()?;
            Some((p["amount_cents"].as_i64()?, kept))
        })
        .collect()))
}

/// A sale's entry against `current`, what its rows say now (read by [`Tx::sale_content`]; `None`
/// without an order row): what is wrong, or `None`.
fn sale_against(
    entry: &EntryRef<'_>,
    order_id: i64,
    current: Option<&serde_json::Value>,
) -> Result<Option<String>> {
    let Some(current) = current else {
        return Ok(Some(format!("order {order_id} is missing from the ledger")));
    };
    // A sale writes its entry as the canonical text of what its rows say: the same text needs
    // no parse (the shared ledger's verify compares every sale this way); any other text is
    // compared as values, which names the part.
    if crate::ledger::journal::canonical(current).as_bytes() != entry.content {
        let recorded: serde_json::Value =
            serde_json::from_slice(entry.content).map_err(|e| LedgerError::Corrupt {
                path: Default::default(),
                detail: e.to_string(),
            })?;
        if recorded != *current {
            let part = ["order", "lines", "tickets", "payments", "receipts"]
                .into_iter()
                .find(|key| recorded.get(key) != current.get(key))
                .unwrap_or("order");
            return Ok(Some(format!(
                "the {part} rows of order {order_id} no longer match what was journaled"
            )));
        }
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

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn ids_far_apart_are_read_as_separate_runs() {
        assert_eq!(
            runs(vec![5, 1, 2, 200, 70, 3, 135]),
            vec![(1, 5), (70, 70), (135, 135), (200, 200)]
        );
        // A gap of 64 (the same order twice, too) stays in one run.
        assert_eq!(runs(vec![7, 7, 71]), vec![(7, 71)]);
        assert_eq!(runs(Vec::new()), Vec::<(i64, i64)>::new());
    }
}
