//! The sales ledger: the only module that knows SQL.
//!
//! One SQLite file per register, WAL, `synchronous=FULL`, foreign keys on.
//! Every business operation is one [`Ledger::transact`] call (an IMMEDIATE
//! transaction) that writes its rows and its journal entry together.

mod anchor;
mod bank;
mod card;
pub mod catalog;
mod day_z;
pub mod engine;
mod fiscal;
mod ids;
mod journal;
mod mail;
mod migrations;
mod open;
pub mod operations;
pub mod pg;
mod printing;
mod receipts;
mod refunds;
mod reports;
mod saft;
mod sales;
mod search;
mod seats;
pub mod shared;
mod shifts;
mod users;
mod verify;
mod verify_stream;

use std::path::{Path, PathBuf};
use std::time::Duration;

use engine::Db as _;
use open::{create_private, restrict_to_owner};
use rusqlite::{Connection, TransactionBehavior};

pub use anchor::{Anchor, AnchorSetup};
pub use bank::{
    BankKeyRow, BankSettingsRow, IntegrationStatusRow, NewReservation, ReservationLineRow,
    ReservationRow,
};
pub use card::{
    CardApproval, CardAttemptRow, CardBatch, CardReconciliationRow, CardTender, LeaseKeeper,
    LeaseTerms, NetsAccountRow, NewCardAttempt, NewCardOutcome, NewCardReconciliation, TerminalRow,
};
pub use catalog::{CategoryRow, EventRow, NewCategory, NewEvent, PerformanceRow};
pub use day_z::{ClosedShift, DAY_Z_KIND, DayZRow, NewDayZ};
pub use fiscal::FiscalStampRow;
pub use journal::{GENESIS_HASH, JournalEntry, canonical, now_text};
pub use mail::{
    DkimKeyRow, MailServerRow, NewMailServer, NewOutbox, OrderMailFacts, OutboxRow, OutboxSummary,
    SmsGatewayRow,
};
pub use printing::{NewPrintLog, PrinterRow, TicketByCode};
pub use receipts::{AuditFigures, ReceiptPrintRow, SellerSettings};
pub use refunds::{NewRefund, RefundRecord, RefundRow, RefundableLine};
pub use reports::Table;
pub use saft::{JournalCsvRow, SaftLine, SaftRefund, SaftSale, ZReportRow};
pub use sales::{NewSale, OrderDetails, OrderLineRow, PaymentRow, SaleRecord, TicketRow};
pub use search::{OrderHit, OrderKey};
pub use seats::{NewOccupancy, OccupancyRow, TicketKey, TicketSeatRow};
pub use shifts::{NewZReport, ShiftRow, ShiftTotals};
pub use users::UserRow;
pub use verify::{VerifyFailure, VerifyReport};

/// File name of the ledger inside the data directory.
pub const LEDGER_FILE: &str = "ledger.sqlite3";
/// File name of the journal anchor beside the ledger.
pub const ANCHOR_FILE: &str = "journal-anchor.json";
/// File name of this register's anchor of the shared ledger, in its data directory.
pub const SHARED_ANCHOR_FILE: &str = "shared-anchor.json";
/// `PRAGMA application_id` of a Box office ledger ("BOXO").
const APPLICATION_ID: i32 = 0x424F_584F;
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("the data directory {path} cannot be written to ({source})")]
    DataDirNotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is damaged or is not a Box office ledger ({detail}); nothing was changed. Restore it from a backup or choose another data directory"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer version of Box office (ledger version {found}, this program knows up to {known}); nothing was changed. Install the newer version"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the ledger is in use by another program and stayed locked; nothing was written. Try again in a moment"
    )]
    Locked,
    #[error("the disk is full; nothing was written. Free some space and try again")]
    DiskFull,
    #[error(
        "this box office has not been set up yet: run `boxoffice init` (or `boxoffice init --demo`)"
    )]
    NotInitialised,
    #[error(
        "{path} is empty (0 bytes): nothing has been recorded in it, and nothing was changed. Restore the ledger from a backup, or run `boxoffice init` to start a new one there"
    )]
    EmptyFile { path: PathBuf },
    #[error(
        "the ledger {path} was made by an older version and must be upgraded before it can be read, which needs a writable data directory ({source})"
    )]
    UpgradeNeedsWrite {
        path: PathBuf,
        source: Box<LedgerError>,
    },
    #[error(
        "the ledger or its data directory is read-only (or was opened to be read only); nothing was written"
    )]
    ReadOnly,
    #[error("ledger error: {0}")]
    Sql(rusqlite::Error),
    /// The shared ledger (PostgreSQL) cannot be reached or refused the connection.
    #[error(
        "the shared ledger at {url} cannot be reached ({detail}); nothing was written. Check the network and the server, then try again"
    )]
    Unreachable { url: String, detail: String },
    #[error(
        "the database address {url} carries a password: give the address without it and put the password in the BOXOFFICE_DATABASE_PASSWORD environment variable"
    )]
    PasswordInUrl { url: String },
    /// A serialization failure or a deadlock on the shared ledger: retried with the same operation id.
    #[error(
        "another counter changed the same rows at the same moment; nothing was written. Try again"
    )]
    Conflict,
    #[error(
        "the shared ledger at {url} is at version {found} and this program needs {known}; nothing was written. The database owner runs `boxoffice db migrate` first"
    )]
    SharedNotMigrated { url: String, found: i64, known: i64 },
    #[error("shared ledger error: {0}")]
    Postgres(String),
    /// A row the shared ledger holds once already (a UNIQUE constraint refused the second).
    #[error("shared ledger error: {0}")]
    Duplicate(String),
    /// An operation that runs on a counter's own SQLite ledger only, asked of the shared ledger.
    #[error(
        "this is not available on the shared ledger (PostgreSQL) yet; nothing was written. Do it on a counter's own ledger"
    )]
    NotOnShared,
    /// `verify`'s streams read the sales' tables in row-id order, which is order-number order on
    /// a ledger this program wrote; a row of an earlier order after a later one stops them, and
    /// `verify` reads the tables again by order number (never shown: `verify` and its floors
    /// handle it).
    #[error(
        "the sales' rows are not in the order of their order numbers: they are read again by order number"
    )]
    UnorderedSaleRows,
    #[error(
        "this data directory is not a register of the shared ledger ({url}) yet: an admin runs `boxoffice register join --database URL --name NAME` on this PC first"
    )]
    NotARegister { url: String },
    #[error(
        "{url} is not empty (its {table} has rows): a ledger is only copied into an empty one; nothing was changed"
    )]
    TargetNotEmpty { url: String, table: String },
}

impl LedgerError {
    /// A UNIQUE constraint refused the row on either engine: the thing is recorded already
    /// (for example a second copy of a receipt printed at the same moment elsewhere).
    pub fn is_duplicate(&self) -> bool {
        match self {
            LedgerError::Duplicate(_) => true,
            LedgerError::Sql(rusqlite::Error::SqliteFailure(error, _)) => matches!(
                error.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for LedgerError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => LedgerError::Locked,
            Some(ErrorCode::DiskFull) => LedgerError::DiskFull,
            Some(ErrorCode::ReadOnly) => LedgerError::ReadOnly,
            _ => LedgerError::Sql(error),
        }
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// Where a ledger lives: the counter's own SQLite file or the shared ledger on PostgreSQL.
enum Store {
    Sqlite(Connection),
    /// The connection, the address it was made to (for reconnecting) and the statements
    /// prepared on the connection.
    Postgres(
        Box<postgres::Client>,
        String,
        std::cell::RefCell<engine::StatementCache>,
    ),
}

pub struct Ledger {
    store: Store,
    path: PathBuf,
    register_id: Option<String>,
    anchor: Option<AnchorSetup>,
    /// Where this register's anchor is kept beside the ledger (see [`Ledger::anchor_path`]).
    anchor_file: PathBuf,
    /// Opened with [`Ledger::open_read_only`]: nothing is written, not even the anchor.
    read_only: bool,
    /// On the shared ledger, when a new connection last could not be made (see
    /// [`RECONNECT_QUIET`]).
    unreachable_at: Option<std::time::Instant>,
}

/// After a new connection to the shared ledger could not be made, a read or a transaction that
/// finds its connection dead fails at once for this long instead of waiting on the server again
/// (a connection timeout per click while the network is down); the services' own reconnection and
/// the GUI's idle probe go on trying.
pub const RECONNECT_QUIET: std::time::Duration = std::time::Duration::from_secs(2);

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish()
    }
}

impl Ledger {
    /// Whether this ledger was opened to read only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The fixed id of this register, once `init` (or on the shared ledger `register join`) has run.
    pub fn register_id(&self) -> Result<&str> {
        match (&self.register_id, &self.store) {
            (Some(id), _) => Ok(id),
            (None, Store::Postgres(..)) => Err(LedgerError::NotARegister {
                url: self.path.display().to_string(),
            }),
            (None, Store::Sqlite(_)) => Err(LedgerError::NotInitialised),
        }
    }

    pub fn is_initialised(&self) -> bool {
        self.register_id.is_some()
    }

    /// Sizes the page cache for bulk writes (`bench seed`, copies, imports: transactions of
    /// thousands of rows) or back to SQLite's 2 MB. With the small cache a big transaction spills
    /// its dirty pages to the WAL again and again: `bench seed` wrote ~1.8 GB of WAL for a
    /// 77 MB file at 100k tickets.
    pub fn bulk_cache(&mut self, bulk: bool) -> Result<()> {
        const BULK_KIB: i64 = 256 * 1024;
        const DEFAULT_KIB: i64 = 2000;
        let kib = if bulk { BULK_KIB } else { DEFAULT_KIB };
        self.conn()?.pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    /// Runs one business operation in one transaction (IMMEDIATE on SQLite, READ COMMITTED on
    /// the shared ledger, whose constraints and row locks decide): all of it is written, or nothing.
    ///
    /// On the shared ledger a connection found dead at `BEGIN` (the server restarted, the
    /// network dropped, the last commit's connection closed after its answer) is made again
    /// once: nothing had been sent, so nothing can be written twice.
    pub fn transact<T, E: From<LedgerError>, F: FnOnce(&mut Tx<'_>) -> Result<T, E>>(
        &mut self,
        op: F,
    ) -> Result<T, E> {
        match self.transact_once(op) {
            Ok(done) => done,
            Err((op, lost)) => {
                self.reconnect_after(lost)?;
                self.transact_once(op)
                    .unwrap_or_else(|(_, error)| Err(error.into()))
            }
        }
    }

    /// One try of [`Ledger::transact`]: its result, or its work untouched with the error that
    /// stopped the shared ledger's `BEGIN` on a dead connection.
    fn transact_once<T, E: From<LedgerError>, F: FnOnce(&mut Tx<'_>) -> Result<T, E>>(
        &mut self,
        op: F,
    ) -> std::result::Result<std::result::Result<T, E>, (F, LedgerError)> {
        if self.read_only {
            return Ok(Err(LedgerError::ReadOnly.into()));
        }
        let register_id = self.register_id.clone();
        let url = self.path.display().to_string();
        let (value, register_id) = match &mut self.store {
            Store::Sqlite(conn) => {
                let transaction =
                    match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
                        Ok(transaction) => transaction,
                        Err(error) => return Ok(Err(LedgerError::from(error).into())),
                    };
                let mut tx = Tx {
                    tx: Conn::Sqlite(transaction),
                    register_id,
                };
                let value = match op(&mut tx) {
                    Ok(value) => value,
                    Err(error) => return Ok(Err(error)),
                };
                let Tx { tx, register_id } = tx;
                if let Conn::Sqlite(transaction) = tx
                    && let Err(error) = transaction.commit()
                {
                    return Ok(Err(LedgerError::from(error).into()));
                }
                (value, register_id)
            }
            Store::Postgres(client, _, cache) => {
                let transaction = match client.transaction() {
                    Ok(transaction) => transaction,
                    Err(error) => return not_begun(op, pg::named(error, &url)),
                };
                let mut tx = Tx {
                    tx: Conn::Postgres(std::cell::RefCell::new(transaction), url.clone(), cache),
                    register_id,
                };
                let value = match op(&mut tx) {
                    Ok(value) => value,
                    Err(error) => return Ok(Err(error)),
                };
                let Tx { tx, register_id } = tx;
                if let Conn::Postgres(transaction, ..) = tx
                    && let Err(error) = transaction.into_inner().commit()
                {
                    return Ok(Err(pg::named(error, &url).into()));
                }
                (value, register_id)
            }
        };
        if let Some(id) = register_id {
            self.register_id.get_or_insert(id);
        }
        Ok(Ok(value))
    }

    /// After a shared ledger's `BEGIN` failed: a new connection when the old one is gone, or
    /// the error as it was.
    fn reconnect_after(&mut self, lost: LedgerError) -> Result<()> {
        let quiet = self
            .unreachable_at
            .is_some_and(|at| at.elapsed() < RECONNECT_QUIET);
        if !matches!(lost, LedgerError::Unreachable { .. }) || quiet {
            return Err(lost);
        }
        tracing::warn!(error = %lost, "the shared ledger's connection was gone before the transaction began; connecting again");
        self.reconnect().map_err(|_| lost)
    }

    /// Read-only access (a consistent snapshot for the duration of `f`).
    /// A shared ledger's connection found dead at `BEGIN` is made again once, as in
    /// [`Ledger::transact`].
    pub fn read<T, E: From<LedgerError>, F: FnOnce(&Tx<'_>) -> Result<T, E>>(
        &mut self,
        f: F,
    ) -> Result<T, E> {
        match self.read_once(f) {
            Ok(done) => done,
            Err((f, lost)) => {
                self.reconnect_after(lost)?;
                self.read_once(f)
                    .unwrap_or_else(|(_, error)| Err(error.into()))
            }
        }
    }

    /// One try of [`Ledger::read`], as [`Ledger::transact_once`] is of `transact`.
    fn read_once<T, E: From<LedgerError>, F: FnOnce(&Tx<'_>) -> Result<T, E>>(
        &mut self,
        f: F,
    ) -> std::result::Result<std::result::Result<T, E>, (F, LedgerError)> {
        let register_id = self.register_id.clone();
        let url = self.path.display().to_string();
        match &mut self.store {
            Store::Sqlite(conn) => {
                let transaction =
                    match conn.transaction_with_behavior(TransactionBehavior::Deferred) {
                        Ok(transaction) => transaction,
                        Err(error) => return Ok(Err(LedgerError::from(error).into())),
                    };
                let tx = Tx {
                    tx: Conn::Sqlite(transaction),
                    register_id,
                };
                let value = f(&tx);
                if let (Ok(_), Conn::Sqlite(transaction)) = (&value, tx.tx)
                    && let Err(error) = transaction.finish()
                {
                    return Ok(Err(LedgerError::from(error).into()));
                }
                Ok(value)
            }
            Store::Postgres(client, _, cache) => {
                let begun = client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start();
                let transaction = match begun {
                    Ok(transaction) => transaction,
                    Err(error) => return not_begun(f, pg::named(error, &url)),
                };
                let tx = Tx {
                    tx: Conn::Postgres(std::cell::RefCell::new(transaction), url.clone(), cache),
                    register_id,
                };
                let value = f(&tx);
                if let (Ok(_), Conn::Postgres(transaction, ..)) = (&value, tx.tx)
                    && let Err(error) = transaction.into_inner().commit()
                {
                    return Ok(Err(pg::named(error, &url).into()));
                }
                Ok(value)
            }
        }
    }

    /// The SQLite connection, for what is SQLite's alone (opening, `PRAGMA`s, quick_check, the
    /// copy out of a file); the shared ledger has none.
    fn conn(&self) -> Result<&Connection> {
        match &self.store {
            Store::Sqlite(conn) => Ok(conn),
            Store::Postgres(..) => Err(LedgerError::NotOnShared),
        }
    }

    /// On the shared ledger, a new connection in place of one that failed (the server restarted,
    /// the network dropped); `Unreachable` while it cannot be made. Nothing to do on SQLite.
    pub fn reconnect(&mut self) -> Result<()> {
        if let Store::Postgres(client, url, cache) = &mut self.store {
            match pg::SharedLedger::open(url) {
                Ok(shared) => {
                    **client = shared.into_client();
                    cache.get_mut().clear();
                    self.unreachable_at = None;
                }
                Err(error) => {
                    self.unreachable_at = Some(std::time::Instant::now());
                    return Err(error);
                }
            }
        }
        Ok(())
    }

    /// On the shared ledger, one round trip to the server (`Unreachable` if the connection is
    /// gone); nothing to do on SQLite. The GUI's worker asks this on its idle tick.
    pub fn ping(&mut self) -> Result<()> {
        if let Store::Postgres(client, url, _) = &mut self.store {
            client
                .simple_query("SELECT 1")
                .map_err(|e| pg::named(e, url))?;
        }
        Ok(())
    }

    /// On the shared ledger, statements prepared once per connection (the default) or per call
    /// (`false`; for comparisons, `benches/pg_sale.rs`). Nothing to do on SQLite.
    pub fn set_statement_cache(&mut self, enabled: bool) {
        if let Store::Postgres(_, _, cache) = &mut self.store {
            cache.get_mut().set_enabled(enabled);
        }
    }

    /// How many SQL texts the shared ledger's connection has prepared (0 on SQLite).
    pub fn cached_statements(&self) -> usize {
        match &self.store {
            Store::Postgres(_, _, cache) => cache.borrow().len(),
            Store::Sqlite(_) => 0,
        }
    }

    /// Whether this is the shared ledger (PostgreSQL) rather than a counter's own file.
    pub fn is_shared(&self) -> bool {
        matches!(self.store, Store::Postgres(..))
    }

    /// Rewrites the whole file (VACUUM) and empties the WAL, so that no free page and no old WAL
    /// frame keeps bytes that were deleted or overwritten (used after moving secrets out).
    pub fn scrub(&mut self) -> Result<()> {
        let conn = self.conn()?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch("VACUUM")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    fn load_register_id(&self) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn()?
            .query_row("SELECT id FROM register LIMIT 1", [], |row| row.get(0))
            .optional()?)
    }
}

/// See [`Tx::plaintext_secrets`]. Never printed by `Debug`.
#[derive(Default)]
pub struct PlaintextSecrets {
    pub bank_keys: Vec<(String, String)>,
    pub nets_password: Option<String>,
}

impl PlaintextSecrets {
    pub fn is_empty(&self) -> bool {
        self.bank_keys.is_empty() && self.nets_password.is_none()
    }
}

impl std::fmt::Debug for PlaintextSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlaintextSecrets(…)")
    }
}

/// A transaction on the ledger. Its methods are the only way to read or write rows.
pub struct Tx<'c> {
    tx: Conn<'c>,
    register_id: Option<String>,
}

/// The transaction under a [`Tx`]: SQLite's, or the shared ledger's (behind a `RefCell`, as
/// PostgreSQL's client needs `&mut` even to read, and readers get a `&Tx`).
enum Conn<'c> {
    Sqlite(rusqlite::Transaction<'c>),
    /// The transaction, the ledger's address as shown (for "cannot be reached" sentences) and
    /// the connection's prepared statements.
    Postgres(
        std::cell::RefCell<postgres::Transaction<'c>>,
        String,
        &'c std::cell::RefCell<engine::StatementCache>,
    ),
}

/// A [`Tx`] as an engine-neutral [`engine::Db`].
pub struct TxDb<'a, 'c>(&'a Conn<'c>);

impl engine::Db for TxDb<'_, '_> {
    fn engine(&self) -> engine::Engine {
        match self.0 {
            Conn::Sqlite(_) => engine::Engine::Sqlite,
            Conn::Postgres(..) => engine::Engine::Postgres,
        }
    }

    fn execute(&mut self, sql: &str, params: &[engine::Value]) -> Result<u64> {
        match self.0 {
            Conn::Sqlite(tx) => engine::Sqlite(tx).execute(sql, params),
            Conn::Postgres(tx, url, cache) => engine::CachedPostgres {
                tx: &mut tx.borrow_mut(),
                cache: &mut cache.borrow_mut(),
            }
            .execute(sql, params)
            .map_err(|e| pg::at(e, url)),
        }
    }

    fn query(&mut self, sql: &str, params: &[engine::Value]) -> Result<Vec<engine::Row>> {
        match self.0 {
            Conn::Sqlite(tx) => engine::Sqlite(tx).query(sql, params),
            Conn::Postgres(tx, url, cache) => engine::CachedPostgres {
                tx: &mut tx.borrow_mut(),
                cache: &mut cache.borrow_mut(),
            }
            .query(sql, params)
            .map_err(|e| pg::at(e, url)),
        }
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[engine::Value],
        each: &mut dyn FnMut(&engine::Row) -> Result<()>,
    ) -> Result<()> {
        match self.0 {
            Conn::Sqlite(tx) => engine::Sqlite(tx).query_each(sql, params, each),
            Conn::Postgres(tx, url, cache) => engine::CachedPostgres {
                tx: &mut tx.borrow_mut(),
                cache: &mut cache.borrow_mut(),
            }
            .query_each(sql, params, each)
            .map_err(|e| pg::at(e, url)),
        }
    }
}

impl<'c> Tx<'c> {
    /// This transaction as an engine-neutral [`engine::Db`] (the functions written once for
    /// SQLite and PostgreSQL take one).
    pub fn db(&self) -> TxDb<'_, 'c> {
        TxDb(&self.tx)
    }

    /// The SQLite transaction, for what is SQLite's alone: `verify`'s streamed walk of the file
    /// and its floors (the shared ledger has its own walk). Every business operation is written
    /// against [`engine::Db`]; on the shared ledger this is a sentence saying so
    /// ([`LedgerError::NotOnShared`]), never a wrong answer.
    #[track_caller]
    pub(crate) fn sq(&self) -> Result<&rusqlite::Transaction<'c>> {
        match &self.tx {
            Conn::Sqlite(tx) => Ok(tx),
            Conn::Postgres(..) => {
                let at = std::panic::Location::caller();
                tracing::warn!(%at, "asked of the shared ledger, which does not have it yet");
                Err(LedgerError::NotOnShared)
            }
        }
    }

    /// Which engine this transaction runs on.
    pub fn engine(&self) -> engine::Engine {
        engine::Db::engine(&self.db())
    }

    pub fn register_id(&self) -> Result<&str> {
        match (&self.register_id, &self.tx) {
            (Some(id), _) => Ok(id),
            (None, Conn::Sqlite(_)) => Err(LedgerError::NotInitialised),
            (None, Conn::Postgres(_, url, _)) => {
                Err(LedgerError::NotARegister { url: url.clone() })
            }
        }
    }

    /// Creates the register row (once per ledger).
    pub fn create_register(&mut self, id: &str, name: &str, demo: bool, now: &str) -> Result<()> {
        self.db().execute(
            "INSERT INTO register (id, name, demo, created_at) VALUES (?1, ?2, ?3, ?4)",
            &engine::values![id, name, demo, now],
        )?;
        self.register_id = Some(id.to_string());
        Ok(())
    }

    /// Training mode of this register.
    pub fn is_training(&self) -> Result<bool> {
        let id = self.register_id.as_deref().unwrap_or_default();
        let row = self.db().query_one(
            "SELECT coalesce(max(training), 0) FROM register WHERE id = ?1",
            &engine::values![id],
        )?;
        Ok(row.int(0)? != 0)
    }

    pub fn set_training(&mut self, training: bool) -> Result<()> {
        let id = self.register_id.clone().unwrap_or_default();
        self.db().execute(
            "UPDATE register SET training = ?1 WHERE id = ?2",
            &engine::values![training, id],
        )?;
        Ok(())
    }

    /// Secret values a ledger from before version 13 still holds in plain text: the bank keys
    /// as (valid from, key) and the Nets password. Empty once they are moved to the secret store.
    pub fn plaintext_secrets(&self) -> Result<PlaintextSecrets> {
        let mut db = self.db();
        let bank_keys = db
            .query(
                "SELECT valid_from, secret FROM bank_keys WHERE secret <> '' ORDER BY id",
                &[],
            )?
            .iter()
            .map(|row| Ok((row.text(0)?, row.text(1)?)))
            .collect::<Result<_>>()?;
        let nets_password = db
            .query_opt(
                "SELECT password FROM nets_account WHERE password <> ''",
                &[],
            )?
            .map(|row| row.text(0))
            .transpose()?;
        Ok(PlaintextSecrets {
            bank_keys,
            nets_password,
        })
    }

    /// Blanks the plain-text values once the secret store holds them: the bank key of
    /// `valid_from` is then found under `secret_name`.
    pub fn forget_plaintext_bank_key(&mut self, valid_from: &str, secret_name: &str) -> Result<()> {
        self.db().execute(
            "UPDATE bank_keys SET secret = '', secret_name = ?2 WHERE valid_from = ?1",
            &engine::values![valid_from, secret_name],
        )?;
        Ok(())
    }

    /// As [`Tx::forget_plaintext_bank_key`] for the Nets password.
    pub fn forget_plaintext_nets_password(&mut self, password_name: &str) -> Result<()> {
        self.db().execute(
            "UPDATE nets_account SET password = '', password_name = ?1 WHERE id = 1",
            &engine::values![password_name],
        )?;
        Ok(())
    }

    pub fn is_demo(&self) -> Result<bool> {
        let id = self.register_id.as_deref().unwrap_or_default();
        let row = self.db().query_one(
            "SELECT coalesce(max(demo), 0) FROM register WHERE id = ?1",
            &engine::values![id],
        )?;
        Ok(row.int(0)? != 0)
    }
}

fn busy_timeout() -> Duration {
    std::env::var("BOXOFFICE_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_BUSY_TIMEOUT)
}

/// A shared ledger's transaction that could not begin: its work back for another try when the
/// connection was found dead, or the error for the caller.
fn not_begun<T, E: From<LedgerError>, F>(
    work: F,
    error: LedgerError,
) -> std::result::Result<std::result::Result<T, E>, (F, LedgerError)> {
    match error {
        LedgerError::Unreachable { .. } => Err((work, error)),
        other => Ok(Err(other.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::LedgerError;

    #[test]
    fn a_unique_refusal_is_a_duplicate_and_other_refusals_are_not() -> rusqlite::Result<()> {
        let db = rusqlite::Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT CHECK (kind IN ('copy', 'original')));
             CREATE UNIQUE INDEX one_copy ON t (kind) WHERE kind = 'copy';
             INSERT INTO t (kind) VALUES ('copy');",
        )?;
        let insert = |sql: &str| db.execute(sql, []).map_err(LedgerError::from);
        let second_copy = insert("INSERT INTO t (kind) VALUES ('copy')");
        assert!(second_copy.is_err_and(|e| e.is_duplicate()));
        let same_key = insert("INSERT INTO t (id, kind) VALUES (1, 'original')");
        assert!(same_key.is_err_and(|e| e.is_duplicate()));
        let bad_kind = insert("INSERT INTO t (kind) VALUES ('draft')");
        assert!(
            bad_kind.is_err_and(|e| !e.is_duplicate()),
            "a CHECK is no duplicate"
        );
        assert!(LedgerError::Duplicate("duplicate key".into()).is_duplicate());
        assert!(!LedgerError::Postgres("syntax".into()).is_duplicate());
        Ok(())
    }
}
