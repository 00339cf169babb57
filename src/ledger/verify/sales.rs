//! The sales' rows for the chain walk, one order at a time: the six tables streamed in order-id
//! order, each order's rows written as the canonical text its sale entry holds, with the sums and
//! counts the walk checks. On a counter's own ledger they are streamed on a connection and a thread
//! of their own (issue 16), so the walk only reads, hashes and compares the journal; where that
//! connection cannot be had, on the walk's own connection between its entries.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rusqlite::{Connection, OpenFlags, Row};

use crate::ledger::verify_stream as vs;
use crate::ledger::{LedgerError, Result};

/// One order id's rows, as streamed.
pub(super) struct Group {
    pub order_id: i64,
    /// The `orders` row is there (rows of other tables can name an order that is not).
    pub has_order: bool,
    /// Its revoked tickets.
    pub revoked: i64,
    /// The sale's canonical text as its journal entry should hold it.
    pub content: String,
    pub total_cents: i64,
    pub tickets_cents: i64,
    pub approved_cents: i64,
    /// (amount, tendered − change) of each approved cash payment with tendered and change.
    pub cash_kept: Vec<(i64, i64)>,
    /// The sum of its sale's cash roundings.
    pub rounding: i64,
}

impl Group {
    /// An order id without any row.
    pub(super) fn empty(order_id: i64) -> Self {
        Group {
            order_id,
            has_order: false,
            revoked: 0,
            content: vs::SaleText::default().finish().to_string(),
            total_cents: 0,
            tickets_cents: 0,
            approved_cents: 0,
            cash_kept: Vec::new(),
            rounding: 0,
        }
    }
}

/// What the streams count over every row.
#[derive(Default)]
pub(super) struct Totals {
    pub orders: i64,
    pub tickets: i64,
    /// Valid tickets per performance.
    pub valid: HashMap<i64, i64>,
}

impl Totals {
    /// A ticket row: counted, and as valid for its performance or as revoked.
    fn count_ticket(&mut self, row: &Row<'_>, revoked: &mut i64) -> rusqlite::Result<()> {
        self.tickets += 1;
        match row.get_ref(6)?.as_str().unwrap_or_default() {
            "valid" => *self.valid.entry(row.get(3)?).or_default() += 1,
            "revoked" => *revoked += 1,
            _ => {}
        }
        Ok(())
    }
}

/// The sales' rows, each table streamed in order-id order.
struct SaleRows<'s> {
    orders: vs::Stream<'s>,
    lines: vs::Stream<'s>,
    tickets: vs::Stream<'s>,
    payments: vs::Stream<'s>,
    receipts: vs::Stream<'s>,
    roundings: vs::Stream<'s>,
}

/// The statements of the sales' streams (the seated tickets' when any ticket has a seat).
pub(super) fn sale_statements(sqlite: &Connection) -> Result<[rusqlite::Statement<'_>; 6]> {
    let seated: bool =
        sqlite.query_row("SELECT EXISTS (SELECT 1 FROM ticket_seats)", [], |row| {
            row.get(0)
        })?;
    let tickets = if seated {
        vs::SEATED_TICKETS
    } else {
        vs::TICKETS
    };
    let statements = [
        vs::ORDERS,
        vs::LINES,
        tickets,
        vs::PAYMENTS,
        vs::RECEIPTS,
        vs::SALE_ROUNDINGS,
    ]
    .map(|sql| sqlite.prepare(sql));
    let [
        Ok(orders),
        Ok(lines),
        Ok(tickets),
        Ok(payments),
        Ok(receipts),
        Ok(roundings),
    ] = statements
    else {
        return Err(rusqlite::Error::InvalidQuery.into());
    };
    Ok([orders, lines, tickets, payments, receipts, roundings])
}

/// Writes the streamed rows order by order.
pub(super) struct Producer<'s> {
    rows: SaleRows<'s>,
    sale: vs::SaleText,
    totals: Totals,
}

impl<'s> Producer<'s> {
    pub(super) fn new(statements: &'s mut [rusqlite::Statement<'_>; 6]) -> Result<Self> {
        let [orders, lines, tickets, payments, receipts, roundings] = statements;
        Ok(Producer {
            rows: SaleRows {
                orders: vs::Stream::new(orders.query([])?),
                lines: vs::Stream::new(lines.query([])?),
                tickets: vs::Stream::new(tickets.query([])?),
                payments: vs::Stream::new(payments.query([])?),
                receipts: vs::Stream::new(receipts.query([])?),
                roundings: vs::Stream::new(roundings.query([])?),
            },
            sale: vs::SaleText::default(),
            totals: Totals::default(),
        })
    }

    /// The rows of the lowest order id any stream has left, `None` when all are read.
    pub(super) fn next(&mut self) -> Result<Option<Group>> {
        let rows = &mut self.rows;
        let heads = [
            rows.orders.head()?,
            rows.lines.head()?,
            rows.tickets.head()?,
            rows.payments.head()?,
            rows.receipts.head()?,
            rows.roundings.head()?,
        ];
        let Some(order_id) = heads.into_iter().flatten().min() else {
            return Ok(None);
        };
        // No stream has a row below `order_id`: each `take_for` takes exactly this order's rows.
        let (sale, totals) = (&mut self.sale, &mut self.totals);
        sale.clear();
        let mut has_order = false;
        rows.orders.take_for(order_id, |row, _| {
            has_order = true;
            totals.orders += 1;
            sale.order_row(row)
        })?;
        rows.lines.take_for(order_id, |row, _| sale.line_row(row))?;
        let mut revoked = 0;
        rows.tickets.take_for(order_id, |row, _| {
            totals.count_ticket(row, &mut revoked)?;
            sale.ticket_row(row)
        })?;
        rows.payments
            .take_for(order_id, |row, _| sale.payment_row(row))?;
        rows.receipts
            .take_for(order_id, |row, _| sale.receipt_row(row))?;
        let mut rounding = 0;
        rows.roundings.take_for(order_id, |row, _| {
            rounding += row.get::<_, i64>(1)?;
            Ok(())
        })?;
        sale.finish();
        Ok(Some(Group {
            order_id,
            has_order,
            revoked,
            content: std::mem::take(&mut sale.content),
            total_cents: sale.total_cents,
            tickets_cents: sale.tickets_cents,
            approved_cents: sale.approved_cents,
            cash_kept: std::mem::take(&mut sale.cash_kept),
            rounding,
        }))
    }
}

/// What the rows' thread sends.
enum Batch {
    Groups(Vec<Group>),
    /// Every row read.
    Done(Totals),
    Failed(LedgerError),
}

/// Orders per message between the threads.
const BATCH: usize = 256;
/// Messages in flight: the rows' thread stays at most this far ahead of the walk.
const IN_FLIGHT: usize = 16;

/// Where the walk's groups come from.
enum Source<'s> {
    /// Written between the journal's entries, on the walk's connection.
    Here(Box<Producer<'s>>),
    /// From the rows' thread.
    Thread {
        batches: Receiver<Batch>,
        batch: std::vec::IntoIter<Group>,
        totals: Option<Totals>,
        /// The thread stopped without saying it was done (it panicked).
        stopped: bool,
    },
}

/// The groups as the walk takes them, in order-id order.
pub(super) struct Sales<'s> {
    source: Source<'s>,
    next: Option<Group>,
}

impl<'s> Sales<'s> {
    pub(super) fn here(producer: Producer<'s>) -> Self {
        Sales {
            source: Source::Here(Box::new(producer)),
            next: None,
        }
    }

    fn from_thread(batches: Receiver<Batch>) -> Self {
        Sales {
            source: Source::Thread {
                batches,
                batch: Vec::new().into_iter(),
                totals: None,
                stopped: false,
            },
            next: None,
        }
    }

    fn pull(&mut self) -> Result<Option<Group>> {
        if let Some(group) = self.next.take() {
            return Ok(Some(group));
        }
        match &mut self.source {
            Source::Here(producer) => producer.next(),
            Source::Thread {
                batches,
                batch,
                totals,
                stopped,
            } => loop {
                if let Some(group) = batch.next() {
                    return Ok(Some(group));
                }
                if totals.is_some() || *stopped {
                    return Ok(None);
                }
                match batches.recv() {
                    Ok(Batch::Groups(groups)) => *batch = groups.into_iter(),
                    Ok(Batch::Done(done)) => *totals = Some(done),
                    Ok(Batch::Failed(error)) => return Err(error),
                    Err(_) => *stopped = true,
                }
            },
        }
    }

    /// Hands `f` every group up to and including `order_id`, leaving the stream at the next.
    pub(super) fn take_for(&mut self, order_id: i64, mut f: impl FnMut(Group)) -> Result<()> {
        while let Some(group) = self.pull()? {
            if group.order_id > order_id {
                self.next = Some(group);
                break;
            }
            f(group);
        }
        Ok(())
    }

    /// The counts over every row, once every group was taken; `None` if the rows' thread
    /// stopped before it read them all.
    pub(super) fn totals(self) -> Option<Totals> {
        match self.source {
            Source::Here(producer) => Some(producer.totals),
            Source::Thread { totals, .. } => totals,
        }
    }
}

/// A read-only connection whose read transaction sees the same snapshot as the walk's.
///
/// Why the two snapshots are the same: in WAL mode a read transaction sees every transaction
/// committed when it first reads, and nothing committed after. `begin` takes the write lock
/// (`BEGIN IMMEDIATE` on a connection of its own) before the rows' connection first reads, and
/// `release` gives it back only after the walk's transaction has first read too. While the lock
/// is held no transaction can commit, so both first reads see the same last commit. (The lock is
/// held for two reads of the schema, not for the walk: sales wait microseconds, not seconds.)
pub(super) struct Snapshot {
    lock: Connection,
    rows: Connection,
}

impl Snapshot {
    /// The write lock taken and the rows' read transaction begun under it; an error where either
    /// cannot be had (a read-only directory, a writer holding the lock past the busy timeout).
    pub(super) fn begin(path: &std::path::Path) -> rusqlite::Result<Self> {
        let lock = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        lock.busy_timeout(crate::ledger::busy_timeout())?;
        lock.execute_batch("BEGIN IMMEDIATE")?;
        let rows = super::second_connection(path)?;
        rows.execute_batch("BEGIN")?;
        // The first read: the snapshot is taken here.
        rows.query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
            row.get::<_, i64>(0)
        })?;
        Ok(Snapshot { lock, rows })
    }

    /// Once the walk's transaction has read: lets writers in again, and streams the rows on a
    /// thread of `scope` (stopped when the walk drops what this gives).
    pub(super) fn stream<'scope>(
        self,
        scope: &'scope std::thread::Scope<'scope, '_>,
    ) -> Sales<'static> {
        let Snapshot { lock, rows } = self;
        // Nothing was written under the lock; a failed rollback only means it ends with the
        // connection.
        drop(lock.execute_batch("ROLLBACK"));
        drop(lock);
        let (sender, batches) = sync_channel(IN_FLIGHT);
        scope.spawn(move || produce(&rows, &sender));
        Sales::from_thread(batches)
    }
}

/// The rows' thread: every group in batches, then the totals (or what went wrong).
fn produce(conn: &Connection, sender: &SyncSender<Batch>) {
    let streamed = (|| -> Result<Option<Totals>> {
        let mut statements = sale_statements(conn)?;
        let mut producer = Producer::new(&mut statements)?;
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(group) = producer.next()? {
            batch.push(group);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if sender.send(Batch::Groups(full)).is_err() {
                    // The walk stopped (it found something wrong).
                    return Ok(None);
                }
            }
        }
        if !batch.is_empty() && sender.send(Batch::Groups(batch)).is_err() {
            return Ok(None);
        }
        Ok(Some(producer.totals))
    })();
    let last = match streamed {
        Ok(Some(totals)) => Batch::Done(totals),
        Ok(None) => return,
        Err(error) => Batch::Failed(error),
    };
    // The walk may have stopped meanwhile; then nobody waits for this.
    drop(sender.send(last));
}
