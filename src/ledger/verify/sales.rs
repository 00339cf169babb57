//! The sales' rows for the chain walk, one order at a time: the six tables streamed in order-id
//! order (read in row-id order, which is that on a ledger this program wrote, or by order number
//! where it is not: `verify_stream::RowOrder`), each order's rows written as the canonical text its sale entry holds, with the sums and
//! counts the walk checks, into batches whose buffers are reused. On a counter's own ledger they are streamed on a connection and a thread
//! of their own (issue 16), so the walk only reads, hashes and compares the journal; where that
//! connection cannot be had, on the walk's own connection between its entries.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rusqlite::{Connection, OpenFlags, Row};

use super::{rules, shift_sums};
use crate::ledger::engine::Sqlite;
use crate::ledger::verify_stream as vs;
use crate::ledger::{LedgerError, Result};

/// One order id's rows in its batch: where its text and cash payments are, and its sums.
struct Group {
    order_id: i64,
    has_order: bool,
    revoked: i64,
    content: Range<usize>,
    total_cents: i64,
    tickets_cents: i64,
    approved_cents: i64,
    cash_kept: Range<usize>,
    rounding: i64,
}

/// One order id's rows as the walk sees them.
pub(super) struct Seen<'b> {
    pub order_id: i64,
    /// The `orders` row is there (rows of other tables can name an order that is not).
    pub has_order: bool,
    /// Its revoked tickets.
    pub revoked: i64,
    /// The sale's canonical text as its journal entry should hold it.
    pub content: &'b [u8],
    pub total_cents: i64,
    pub tickets_cents: i64,
    pub approved_cents: i64,
    /// (amount, tendered − change) of each approved cash payment with tendered and change.
    pub cash_kept: &'b [(i64, i64)],
    /// The sum of its sale's cash roundings.
    pub rounding: i64,
}

impl Seen<'static> {
    /// An order id without any row.
    pub(super) fn empty(order_id: i64) -> Self {
        Seen {
            order_id,
            has_order: false,
            revoked: 0,
            content: vs::EMPTY_SALE.as_bytes(),
            total_cents: 0,
            tickets_cents: 0,
            approved_cents: 0,
            cash_kept: &[],
            rounding: 0,
        }
    }
}

/// Orders in order-id order, their texts in one buffer; reused from batch to batch, so nothing is
/// allocated per order.
#[derive(Default)]
pub(super) struct Batch {
    groups: Vec<Group>,
    text: Vec<u8>,
    cash_kept: Vec<(i64, i64)>,
}

impl Batch {
    fn clear(&mut self) {
        self.groups.clear();
        self.text.clear();
        self.cash_kept.clear();
    }

    fn seen(&self, index: usize) -> Option<Seen<'_>> {
        let group = self.groups.get(index)?;
        Some(Seen {
            order_id: group.order_id,
            has_order: group.has_order,
            revoked: group.revoked,
            content: self.text.get(group.content.clone()).unwrap_or_default(),
            total_cents: group.total_cents,
            tickets_cents: group.tickets_cents,
            approved_cents: group.approved_cents,
            cash_kept: self
                .cash_kept
                .get(group.cash_kept.clone())
                .unwrap_or_default(),
            rounding: group.rounding,
        })
    }
}

/// What the streams count over every row.
#[derive(Default)]
pub(super) struct Totals {
    pub orders: i64,
    pub tickets: i64,
    /// Valid tickets per performance.
    pub valid: HashMap<i64, i64>,
    /// Valid tickets of one performance in a row, not yet in `valid` (a sale's tickets are of
    /// one performance: one map update per run, not per ticket).
    run: (i64, i64),
    /// The orders with a refund or a revoked ticket, for the refunds rule.
    watch: rules::Watch,
    /// The sales' part of every shift's running sums.
    shift_sums: Box<shift_sums::Streamed>,
    /// The rules that need nothing from the walk, checked by the rows' thread once every row
    /// is read (`None` where the rows are streamed on the walk's own connection).
    pub ahead: Option<Box<rules::Ahead>>,
}

impl Totals {
    /// A ticket row (its performance read already): counted, and as valid for its performance
    /// or as revoked.
    fn count_ticket(
        &mut self,
        row: &Row<'_>,
        performance_id: i64,
        revoked: &mut i64,
    ) -> rusqlite::Result<()> {
        self.tickets += 1;
        match row.get_ref(5)?.as_bytes().unwrap_or_default() {
            b"valid" if self.run.0 == performance_id => self.run.1 += 1,
            b"valid" => {
                self.flush_run();
                self.run = (performance_id, 1);
            }
            b"revoked" => *revoked += 1,
            _ => {}
        }
        Ok(())
    }

    fn flush_run(&mut self) {
        let (performance_id, valid) = std::mem::take(&mut self.run);
        if valid > 0 {
            *self.valid.entry(performance_id).or_default() += valid;
        }
    }

    /// The counts, once every row is counted.
    fn finished(mut self) -> Self {
        self.flush_run();
        self
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

impl SaleRows<'_> {
    /// The lowest order id any stream has left, `None` when all are read.
    fn lowest_head(&mut self) -> Result<Option<i64>> {
        let heads = [
            self.orders.head()?,
            self.lines.head()?,
            self.tickets.head()?,
            self.payments.head()?,
            self.receipts.head()?,
            self.roundings.head()?,
        ];
        Ok(heads.into_iter().flatten().min())
    }

    /// The `payments` and `receipts` parts of an order's text; what its approved payments sum to.
    fn payments_and_receipts(
        &mut self,
        order_id: i64,
        text: &mut Vec<u8>,
        cash_kept: &mut Vec<(i64, i64)>,
        sums: &mut shift_sums::Streamed,
    ) -> Result<i64> {
        text.extend_from_slice(vs::SALE_PARTS[2].as_bytes());
        let mut approved_cents = 0;
        self.payments.take_for(order_id, |row, _| {
            let payment = payment_text(row)?;
            vs::write_payment(text, &payment);
            vs::count_payment(&payment, &mut approved_cents, cash_kept);
            sums.payment(&payment);
            Ok(())
        })?;
        text.extend_from_slice(vs::SALE_PARTS[3].as_bytes());
        self.receipts.take_for(order_id, |row, _| {
            // Its kind is the statement's own condition.
            let (number, training, created_at) = (row.get(1)?, row.get(3)?, vs::bytes_at(row, 4)?);
            vs::write_receipt(text, number, b"sale", training, created_at);
            sums.receipt(row.get(5)?, number, training);
            Ok(())
        })?;
        Ok(approved_cents)
    }
}

/// The statements of the sales' streams in `order` (the seated tickets' when any ticket has a
/// seat).
pub(super) fn sale_statements(
    sqlite: &Connection,
    order: vs::RowOrder,
) -> Result<[rusqlite::Statement<'_>; 6]> {
    let seated: bool =
        sqlite.query_row("SELECT EXISTS (SELECT 1 FROM ticket_seats)", [], |row| {
            row.get(0)
        })?;
    let tickets = if seated {
        vs::SEATED_TICKETS
    } else {
        vs::TICKETS
    };
    let streams = [vs::ORDERS, vs::LINES, tickets, vs::PAYMENTS, vs::RECEIPTS]
        .map(|(select, by_order)| order.statement(select, by_order));
    let [orders, lines, tickets, payments, receipts] =
        streams.each_ref().map(|sql| sqlite.prepare(sql));
    Ok([
        orders?,
        lines?,
        tickets?,
        payments?,
        receipts?,
        sqlite.prepare(vs::SALE_ROUNDINGS)?,
    ])
}

/// Writes the streamed rows order by order.
pub(super) struct Producer<'s> {
    rows: SaleRows<'s>,
    /// The tickets' statement has their seats (the last column).
    seated: bool,
    /// The current order's lines: (line id, line number), for its tickets' line numbers.
    line_nos: Vec<(i64, i64)>,
    totals: Totals,
}

impl<'s> Producer<'s> {
    pub(super) fn new(statements: &'s mut [rusqlite::Statement<'_>; 6]) -> Result<Self> {
        let [orders, lines, tickets, payments, receipts, roundings] = statements;
        let seated = tickets.column_count() > 6;
        Ok(Producer {
            seated,
            rows: SaleRows {
                orders: vs::Stream::new(orders.query([])?),
                lines: vs::Stream::new(lines.query([])?),
                tickets: vs::Stream::new(tickets.query([])?),
                payments: vs::Stream::new(payments.query([])?),
                receipts: vs::Stream::new(receipts.query([])?),
                roundings: vs::Stream::new(roundings.query([])?),
            },
            line_nos: Vec::new(),
            totals: Totals::default(),
        })
    }

    /// Adds the next orders to `batch`, up to [`BATCH`]; `false` once every row was read.
    fn fill(&mut self, batch: &mut Batch) -> Result<bool> {
        while batch.groups.len() < BATCH {
            if !self.next(batch)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The rows of the lowest order id any stream has left, written into `batch` in the text's
    /// own order (each table is a stream of its own, so any order of reading them will do);
    /// `false` when all are read.
    fn next(&mut self, batch: &mut Batch) -> Result<bool> {
        let rows = &mut self.rows;
        let Some(order_id) = rows.lowest_head()? else {
            return Ok(false);
        };
        // No stream has a row below `order_id`: each `take_for` takes exactly this order's rows.
        let Batch {
            groups,
            text,
            cash_kept,
        } = batch;
        let (start, cash_start) = (text.len(), cash_kept.len());
        let (totals, line_nos, seated) = (&mut self.totals, &mut self.line_nos, &self.seated);
        line_nos.clear();
        totals.shift_sums.next_order();
        text.extend_from_slice(vs::SALE_PARTS[0].as_bytes());
        rows.lines.take_for(order_id, |row, _| {
            line_nos.push((row.get(10)?, row.get(1)?));
            let line = line_text(row)?;
            totals.shift_sums.line(&line);
            vs::write_line(text, &line);
            Ok(())
        })?;
        text.extend_from_slice(vs::SALE_PARTS[1].as_bytes());
        let (mut has_order, mut total_cents) = (false, 0);
        rows.orders.take_for(order_id, |row, _| {
            let order = order_text(row)?;
            (has_order, total_cents) = (true, order.total_cents);
            totals.orders += 1;
            vs::write_order(text, &order);
            Ok(())
        })?;
        if !has_order {
            text.extend_from_slice(b"null");
        }
        let approved_cents =
            rows.payments_and_receipts(order_id, text, cash_kept, &mut totals.shift_sums)?;
        text.extend_from_slice(vs::SALE_PARTS[4].as_bytes());
        let (mut revoked, mut tickets_cents) = (0, 0);
        rows.tickets.take_for(order_id, |row, _| {
            let ticket = ticket_text(row, line_nos, *seated)?;
            totals.count_ticket(row, ticket.performance_id, &mut revoked)?;
            tickets_cents += ticket.price_cents;
            vs::write_ticket(text, &ticket);
            Ok(())
        })?;
        text.extend_from_slice(vs::SALE_END.as_bytes());
        totals
            .watch
            .order(order_id, has_order.then_some(total_cents), revoked);
        let mut rounding = 0;
        rows.roundings.take_for(order_id, |row, _| {
            rounding += row.get::<_, i64>(1)?;
            Ok(())
        })?;
        groups.push(Group {
            order_id,
            has_order,
            revoked,
            content: start..text.len(),
            total_cents,
            tickets_cents,
            approved_cents,
            cash_kept: cash_start..cash_kept.len(),
            rounding,
        });
        Ok(true)
    }
}

/// A row of [`vs::ORDERS`].
fn order_text<'r>(row: &'r Row<'_>) -> rusqlite::Result<vs::OrderText<'r>> {
    Ok(vs::OrderText {
        number: row.get(0)?,
        register_id: vs::bytes_at(row, 1)?,
        user_id: row.get(2)?,
        created_at: vs::bytes_at(row, 3)?,
        total_cents: row.get(4)?,
        lang: vs::bytes_at(row, 5)?,
        shift_id: row.get(6)?,
        customer_name: vs::optional_bytes_at(row, 7)?,
        customer_email: vs::optional_bytes_at(row, 8)?,
        training: row.get(9)?,
    })
}

/// A row of [`vs::LINES`].
fn line_text(row: &Row<'_>) -> rusqlite::Result<vs::LineText> {
    let int = |i: usize| row.get::<_, i64>(i);
    Ok(vs::LineText {
        line_no: int(1)?,
        performance_id: int(2)?,
        category_id: int(3)?,
        quantity: int(4)?,
        unit_price_cents: int(5)?,
        vat_basis_points: int(6)?,
        gross_cents: int(7)?,
        vat_cents: int(8)?,
        net_cents: int(9)?,
    })
}

/// A row of [`vs::TICKETS`] (or [`vs::SEATED_TICKETS`]), its line number found among its order's
/// lines (a line of another order, or none, leaves it unknown: the text then differs and the
/// exact path decides).
fn ticket_text<'r>(
    row: &'r Row<'_>,
    line_nos: &[(i64, i64)],
    seated: bool,
) -> rusqlite::Result<vs::TicketText<'r>> {
    let line_id: i64 = row.get(2)?;
    Ok(vs::TicketText {
        code: vs::bytes_at(row, 1)?,
        line_no: line_nos
            .iter()
            .find(|(id, _)| *id == line_id)
            .map(|&(_, line_no)| line_no),
        performance_id: row.get(3)?,
        price_cents: row.get(4)?,
        seat_id: if seated { row.get(6)? } else { None },
    })
}

/// A row of [`vs::PAYMENTS`].
fn payment_text<'r>(row: &'r Row<'_>) -> rusqlite::Result<vs::PaymentText<'r>> {
    Ok(vs::PaymentText {
        attempt_id: vs::bytes_at(row, 1)?,
        tender: vs::bytes_at(row, 2)?,
        amount_cents: row.get(3)?,
        tendered_cents: row.get(4)?,
        change_cents: row.get(5)?,
        state: vs::bytes_at(row, 6)?,
        card_last4: vs::optional_bytes_at(row, 7)?,
        created_at: vs::bytes_at(row, 8)?,
    })
}

/// Every order's text written from its rows, as `verify`'s rows' thread writes it, and nothing
/// else (no journal read, nothing compared): the bytes written (`bench queries`' floor).
pub(super) fn texts_alone(conn: &Connection) -> Result<usize> {
    match texts_in(conn, vs::RowOrder::Written) {
        Err(LedgerError::UnorderedSaleRows) => texts_in(conn, vs::RowOrder::ByOrder),
        written => written,
    }
}

fn texts_in(conn: &Connection, order: vs::RowOrder) -> Result<usize> {
    let mut statements = sale_statements(conn, order)?;
    let mut producer = Producer::new(&mut statements)?;
    let (mut batch, mut written) = (Batch::default(), 0);
    loop {
        batch.clear();
        let more = producer.fill(&mut batch)?;
        written += batch.text.len();
        if !more {
            return Ok(written);
        }
    }
}

/// What the rows' thread sends.
enum Message {
    Filled(Batch),
    /// Every row read.
    Done(Totals),
    Failed(LedgerError),
}

/// Orders per batch.
const BATCH: usize = 256;
/// Batches in flight: the rows' thread stays at most this far ahead of the walk.
const IN_FLIGHT: usize = 16;

/// Where the walk's batches come from.
enum Source<'s> {
    /// Written between the journal's entries, on the walk's connection.
    Here {
        producer: Box<Producer<'s>>,
        done: bool,
    },
    /// From the rows' thread, each batch handed back once read.
    Thread {
        batches: Receiver<Message>,
        spent: SyncSender<Batch>,
        totals: Option<Totals>,
        /// The thread stopped without saying it was done (it panicked).
        stopped: bool,
    },
}

/// The orders as the walk takes them, in order-id order.
pub(super) struct Sales<'s> {
    source: Source<'s>,
    batch: Batch,
    /// The next group of `batch`.
    at: usize,
}

impl<'s> Sales<'s> {
    pub(super) fn here(producer: Producer<'s>) -> Self {
        Sales {
            source: Source::Here {
                producer: Box::new(producer),
                done: false,
            },
            batch: Batch::default(),
            at: 0,
        }
    }

    fn from_thread(batches: Receiver<Message>, spent: SyncSender<Batch>) -> Self {
        Sales {
            source: Source::Thread {
                batches,
                spent,
                totals: None,
                stopped: false,
            },
            batch: Batch::default(),
            at: 0,
        }
    }

    /// The next batch in place of the one read; `false` when there is none.
    fn refill(&mut self) -> Result<bool> {
        self.at = 0;
        match &mut self.source {
            Source::Here { producer, done } => {
                self.batch.clear();
                if !*done {
                    *done = !producer.fill(&mut self.batch)?;
                }
                Ok(!self.batch.groups.is_empty())
            }
            Source::Thread {
                batches,
                spent,
                totals,
                stopped,
            } => loop {
                if totals.is_some() || *stopped {
                    self.batch.clear();
                    return Ok(false);
                }
                match batches.recv() {
                    Ok(Message::Filled(next)) => {
                        let read = std::mem::replace(&mut self.batch, next);
                        // Back to the rows' thread for reuse (or dropped, if it has enough).
                        drop(spent.try_send(read));
                        return Ok(true);
                    }
                    Ok(Message::Done(done)) => *totals = Some(done),
                    Ok(Message::Failed(error)) => return Err(error),
                    Err(_) => *stopped = true,
                }
            },
        }
    }

    /// Hands `f` every order up to and including `order_id`, leaving the stream at the next.
    pub(super) fn take_for(&mut self, order_id: i64, mut f: impl FnMut(Seen<'_>)) -> Result<()> {
        loop {
            if let Some(seen) = self.batch.seen(self.at) {
                if seen.order_id > order_id {
                    return Ok(());
                }
                f(seen);
                self.at += 1;
            } else if !self.refill()? {
                return Ok(());
            }
        }
    }

    /// The counts over every row, once every order was taken; `None` if the rows' thread
    /// stopped before it read them all.
    pub(super) fn totals(self) -> Option<Totals> {
        match self.source {
            Source::Here { producer, .. } => Some(producer.totals.finished()),
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
        // Read, not mapped: the sales' tables are a fifth of the file, and a fresh mapping of their
        // pages (a fault per few pages, and unmapping them) cost more than reading them (issue 16).
        rows.pragma_update(None, "mmap_size", 0)?;
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
        order: vs::RowOrder,
    ) -> Sales<'static> {
        let Snapshot { lock, rows } = self;
        // Nothing was written under the lock; a failed rollback only means it ends with the
        // connection.
        drop(lock.execute_batch("ROLLBACK"));
        drop(lock);
        let (sender, batches) = sync_channel(IN_FLIGHT);
        let (spent, reuse) = sync_channel(IN_FLIGHT + 2);
        scope.spawn(move || {
            produce(&rows, order, &sender, &reuse);
            // Its read transaction ends now (a checkpoint after `verify` need not wait for it);
            // closing unmaps the file (tens of milliseconds at 1M tickets), which is not in the
            // walk's way on a thread of its own (the scope waits for this one). A read-only
            // connection: nothing is lost if the process ends first. Where no thread can be
            // made, the connection goes with the refused closure, here.
            drop(rows.execute_batch("ROLLBACK"));
            let closer = std::thread::Builder::new().name("verify-close".into());
            drop(closer.spawn(move || drop(rows)));
        });
        Sales::from_thread(batches, spent)
    }
}

/// The rows' thread: every order in batches (reusing those the walk has read), then the totals
/// (or what went wrong).
fn produce(
    conn: &Connection,
    order: vs::RowOrder,
    sender: &SyncSender<Message>,
    reuse: &Receiver<Batch>,
) {
    let streamed = (|| -> Result<Option<Totals>> {
        let mut statements = sale_statements(conn, order)?;
        let mut producer = Producer::new(&mut statements)?;
        producer.totals.watch = rules::Watch::of_refunds(&mut Sqlite(conn))?;
        loop {
            let mut batch = reuse.try_recv().unwrap_or_default();
            batch.clear();
            let more = producer.fill(&mut batch)?;
            if !batch.groups.is_empty() && sender.send(Message::Filled(batch)).is_err() {
                // The walk stopped (it found something wrong).
                return Ok(None);
            }
            if !more {
                let mut totals = std::mem::take(&mut producer.totals).finished();
                // Beside the walk's end, in its snapshot (issue 16: 70 ms of its serial tail at
                // 1M tickets).
                let ahead =
                    rules::Ahead::check(&mut Sqlite(conn), &totals.watch, &totals.shift_sums);
                totals.ahead = Some(Box::new(ahead));
                return Ok(Some(totals));
            }
        }
    })();
    let last = match streamed {
        Ok(Some(totals)) => Message::Done(totals),
        Ok(None) => return,
        Err(error) => Message::Failed(error),
    };
    // The walk may have stopped meanwhile; then nobody waits for this.
    drop(sender.send(last));
}
