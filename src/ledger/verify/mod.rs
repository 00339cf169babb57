//! `verify`: walks the journal chain and checks the ledger's invariants. `walk` follows the
//! chain and compares each entry with its rows, `rules` checks what spans rows after it,
//! `portable` is the version written once for both engines (the shared ledger's).

use crate::ledger::verify_stream::RowOrder;
use crate::ledger::{Ledger, LedgerError, Result};

mod floors;
mod portable;
mod rules;
mod sales;
mod shift_sums;
mod walk;

/// What a check gives: its value, or the first thing found wrong (the ledger could be read).
type Checked<T = ()> = Result<std::result::Result<T, VerifyFailure>>;

/// The value of a check, or returns its failure from the function at hand.
macro_rules! checked {
    ($check:expr) => {
        match $check? {
            Ok(value) => value,
            Err(failure) => return Ok(Err(failure)),
        }
    };
}
use checked;

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

/// What the chain walk counted on the way.
#[derive(Default)]
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
    /// (seq, register, content) of every day Z entry.
    day_z: Vec<(i64, String, String)>,
    /// The rules the rows' thread checked ahead (the SQLite walk with its rows on a thread).
    ahead: Option<Box<rules::Ahead>>,
    /// The refunds read ahead of their entries (the SQLite walk).
    refunds_ahead: walk::RefundsAhead,
}

impl Ledger {
    /// Checks the file (`PRAGMA quick_check`, beside the walk), walks the whole chain, compares every
    /// sale and refund entry with its rows, and checks payments = ticket totals per order, refunds
    /// within what was paid, the sold count of every performance (valid tickets and open
    /// reservation holds) within its capacity, gapless receipt and Z numbers, and the day Z
    /// reports (issue 13: numbered, journaled and whole, per register).
    pub fn verify(&mut self) -> Result<std::result::Result<VerifyReport, VerifyFailure>> {
        if self.is_shared() {
            // No file to check (the server keeps its own pages' checksums, see
            // docs/postgres.md): this register's anchor, then every register's chain and the
            // rules, in one snapshot.
            let anchor = checked!(self.checked_anchor());
            return self.read(|tx| {
                let walked = checked!(walk::walk_shared(tx, anchor.as_ref()));
                checked!(portable::shared_rules(tx));
                rules::invariants(tx, walked)
            });
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
                let checker = scope.spawn(move || {
                    yield_to_the_walk();
                    quick_check(&conn, path)
                });
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

    /// This register's newest authentic anchor (seq, hash); a failure for one that does not
    /// authenticate, or for none where one is required and the register has entries.
    fn checked_anchor(&mut self) -> Checked<Option<(i64, String)>> {
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
        Ok(Ok(anchor))
    }

    /// The anchor, then the walk of the chain and the invariants.
    fn anchor_and_walk(&mut self) -> Checked<VerifyReport> {
        let anchor = checked!(self.checked_anchor());
        // The walk reads the whole file once: map it instead of a read call per page.
        self.conn()?.pragma_update(None, "mmap_size", MAP_BYTES)?;
        // Row-id order first; a ledger whose rows are not in order-number order (a copy of
        // several registers' ledger) is walked again by order number, from the start.
        let mut result = self.walk_in(anchor.as_ref(), RowOrder::Written);
        if matches!(result, Err(LedgerError::UnorderedSaleRows)) {
            result = self.walk_in(anchor.as_ref(), RowOrder::ByOrder);
        }
        self.conn()?.pragma_update(None, "mmap_size", 0)?;
        result
    }

    /// The walk, the sales' rows streamed in `order`, then the invariants.
    fn walk_in(
        &mut self,
        anchor: Option<&(i64, String)>,
        order: RowOrder,
    ) -> Checked<VerifyReport> {
        // The sales' rows on a third connection, in the walk's snapshot; where it cannot be had
        // (a read-only directory, the write lock held past the busy timeout), on the walk's.
        let snapshot = sales::Snapshot::begin(&self.path).ok();
        self.read(|tx| {
            let walked = checked!(walk::walk(tx, anchor, snapshot, order));
            rules::invariants(tx, walked)
        })
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
    conn.busy_timeout(crate::ledger::busy_timeout())?;
    // Opening is lazy: read the header now, so a file that cannot be read this way shows here.
    conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))?;
    // quick_check reads every page: mapped, not copied by a read call per page (issue 16:
    // `sqlite3` on the 1M ledger, 0.45 s of system time → 0.08 s, 2.0 → 1.3 s).
    conn.pragma_update(None, "mmap_size", MAP_BYTES)?;
    Ok(conn)
}

/// Lowers this thread's priority (quick_check's, beside the walk) a little, so it ends with the
/// rows' thread instead of before it (issue 16). The rows' thread is verify's longest and the walk
/// waits for its batches: at an even share of the two cores quick_check ended first (1.8 of 2.9 s
/// at 1M tickets) and the rows' thread then ran on with a core half idle. At nice 3 the three end
/// together (2.5 s), a share measured in BENCHMARKS.md ("twelfth round"; nice 19 left quick_check
/// to end alone, last). Linux only (a thread's nice value); elsewhere, or where the call is
/// refused, the share stays even and nothing else changes.
fn yield_to_the_walk() {
    #[cfg(target_os = "linux")]
    {
        const NICE: i32 = 3;
        // Refused (a sandbox): the even share, as elsewhere.
        if rustix::process::setpriority_process(Some(rustix::thread::gettid()), NICE).is_err() {
            tracing::debug!("verify: quick_check's thread keeps its priority");
        }
    }
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
