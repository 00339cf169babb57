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
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

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
pub use journal::{GENESIS_HASH, JournalEntry, now_text};
pub use mail::{
    DkimKeyRow, MailServerRow, NewMailServer, NewOutbox, OrderMailFacts, OutboxRow, OutboxSummary,
    SmsGatewayRow,
};
pub use printing::{NewPrintLog, PrinterRow, TicketByCode};
pub use receipts::{AuditFigures, ReceiptPrintRow, SellerSettings};
pub use refunds::{NewRefund, RefundRecord, RefundRow, RefundableLine};
pub use reports::Table;
pub use saft::{JournalCsvRow, SaftLine, SaftRefund, SaftSale};
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
    /// An operation that runs on a counter's own SQLite ledger only, asked of the shared ledger.
    #[error(
        "this is not available on the shared ledger (PostgreSQL) yet; nothing was written. Do it on a counter's own ledger"
    )]
    NotOnShared,
    #[error(
        "this data directory is not a register of the shared ledger ({url}) yet: an admin runs `boxoffice register join --database URL --name NAME` on this PC first"
    )]
    NotARegister { url: String },
    #[error(
        "{url} is not empty (its {table} has rows): a ledger is only copied into an empty one; nothing was changed"
    )]
    TargetNotEmpty { url: String, table: String },
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
    /// Opened with [`Ledger::open_read_only`]: nothing is written, not even the anchor.
    read_only: bool,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish()
    }
}

impl Ledger {
    /// Opens (creating if needed) the ledger in `data_dir` and brings its schema up to date.
    /// A damaged file or one from a newer version is refused and left untouched.
    pub fn open(data_dir: &Path) -> Result<Ledger> {
        std::fs::create_dir_all(data_dir).map_err(|source| LedgerError::DataDirNotWritable {
            path: data_dir.to_path_buf(),
            source,
        })?;
        check_writable(data_dir)?;
        let path = data_dir.join(LEDGER_FILE);
        // Only the counter's own account may read the money history: the directory 0700 and
        // the ledger 0600 before SQLite opens it (its WAL and shared-memory files take the
        // ledger's mode). Refused changes (a file of another owner) are no reason to stop.
        restrict_to_owner(data_dir, 0o700);
        if !path.exists() {
            create_private(&path).map_err(|source| LedgerError::DataDirNotWritable {
                path: data_dir.to_path_buf(),
                source,
            })?;
        }
        for file in [
            LEDGER_FILE,
            "ledger.sqlite3-wal",
            "ledger.sqlite3-shm",
            ANCHOR_FILE,
        ] {
            restrict_to_owner(&data_dir.join(file), 0o600);
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| corrupt_or(&path, e))?;
        conn.busy_timeout(busy_timeout())
            .map_err(LedgerError::from)?;
        // A sale runs about twenty distinct statements: keep them all prepared.
        conn.set_prepared_statement_cache_capacity(64);
        let (found, app_id, objects) = read_header(&conn).map_err(|e| corrupt_or(&path, e))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(LedgerError::Corrupt {
                path,
                detail: format!("it belongs to another program (application id {app_id:#x})"),
            });
        }
        // Our first migration sets the application id in the transaction that creates the
        // schema: a database with tables (or a version) but no id is another program's.
        if app_id == 0 && (objects > 0 || found != 0) {
            return Err(LedgerError::Corrupt {
                path,
                detail: "it is another program's database (it has tables but not Box office's application id)".into(),
            });
        }
        let known = migrations::latest_version();
        if found > known {
            return Err(LedgerError::NewerSchema { path, found, known });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| corrupt_or(&path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "recursive_triggers", "ON")?;
        let mut conn = conn;
        if found < known {
            migrations::migrate(&mut conn, found, APPLICATION_ID)?;
        }
        let mut ledger = Ledger {
            store: Store::Sqlite(conn),
            path,
            register_id: None,
            anchor: None,
            read_only: false,
        };
        ledger.register_id = ledger.load_register_id()?;
        Ok(ledger)
    }

    /// Opens the ledger in `data_dir` to read only: nothing is created or written (no directory,
    /// no file, no mode change, no migration), so it works on a read-only data directory or a
    /// full disk. A missing ledger is "not set up yet"; an empty (0-byte) file is refused with a
    /// sentence and left as it is. A ledger from an older version is upgraded first by a normal
    /// open (the one write a read needs), or refused with a sentence when that cannot be done.
    pub fn open_read_only(data_dir: &Path) -> Result<Ledger> {
        let path = data_dir.join(LEDGER_FILE);
        let length = match std::fs::metadata(&path) {
            Ok(metadata) => metadata.len(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(LedgerError::NotInitialised);
            }
            Err(source) => {
                return Err(LedgerError::DataDirNotWritable {
                    path: data_dir.to_path_buf(),
                    source,
                });
            }
        };
        let wal = std::fs::metadata(data_dir.join("ledger.sqlite3-wal")).map_or(0, |m| m.len());
        if length == 0 && wal == 0 {
            return Err(LedgerError::EmptyFile { path });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open =
            |path: &Path, flags: OpenFlags| -> rusqlite::Result<(Connection, (i64, i32, i64))> {
                let conn = Connection::open_with_flags(path, flags)?;
                conn.busy_timeout(busy_timeout())?;
                let header = read_header(&conn)?;
                Ok((conn, header))
            };
        let (conn, (found, app_id, objects)) = match open(&path, flags) {
            Ok(opened) => opened,
            // A WAL ledger needs its shared-memory file, which a read-only directory cannot
            // take. With no WAL content to read, nobody can be writing it: read the file as
            // it is (SQLite's `immutable`).
            Err(error)
                if matches!(
                    error.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) && wal == 0 =>
            {
                let uri = format!("file:{}?immutable=1", uri_path(&path));
                open(Path::new(&uri), flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(|e| corrupt_or(&path, e))?
            }
            Err(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
                return Err(LedgerError::DataDirNotWritable {
                    path: data_dir.to_path_buf(),
                    source: std::io::Error::other(
                        "the ledger's write-ahead log holds entries that can only be read with a writable data directory",
                    ),
                });
            }
            Err(error) => return Err(corrupt_or(&path, error)),
        };
        conn.set_prepared_statement_cache_capacity(64);
        if app_id != APPLICATION_ID {
            if app_id == 0 && objects == 0 && found == 0 {
                return Err(LedgerError::NotInitialised);
            }
            let detail = if app_id == 0 {
                "it is another program's database (it has tables but not Box office's application id)".into()
            } else {
                format!("it belongs to another program (application id {app_id:#x})")
            };
            return Err(LedgerError::Corrupt { path, detail });
        }
        let known = migrations::latest_version();
        if found > known {
            return Err(LedgerError::NewerSchema { path, found, known });
        }
        if found < known {
            drop(conn);
            return Ledger::open(data_dir).map_err(|source| LedgerError::UpgradeNeedsWrite {
                path,
                source: Box::new(source),
            });
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut ledger = Ledger {
            store: Store::Sqlite(conn),
            path,
            register_id: None,
            anchor: None,
            read_only: true,
        };
        ledger.register_id = ledger.load_register_id()?;
        Ok(ledger)
    }

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
    pub fn transact<T, E: From<LedgerError>>(
        &mut self,
        op: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.read_only {
            return Err(LedgerError::ReadOnly.into());
        }
        let register_id = self.register_id.clone();
        let url = self.path.display().to_string();
        let (value, register_id) = match &mut self.store {
            Store::Sqlite(conn) => {
                let transaction = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(LedgerError::from)?;
                let mut tx = Tx {
                    tx: Conn::Sqlite(transaction),
                    register_id,
                };
                let value = op(&mut tx)?;
                let Tx { tx, register_id } = tx;
                if let Conn::Sqlite(transaction) = tx {
                    transaction.commit().map_err(LedgerError::from)?;
                }
                (value, register_id)
            }
            Store::Postgres(client, _, cache) => {
                let transaction = client.transaction().map_err(|e| pg::named(e, &url))?;
                let mut tx = Tx {
                    tx: Conn::Postgres(std::cell::RefCell::new(transaction), url.clone(), cache),
                    register_id,
                };
                let value = op(&mut tx)?;
                let Tx { tx, register_id } = tx;
                if let Conn::Postgres(transaction, ..) = tx {
                    transaction
                        .into_inner()
                        .commit()
                        .map_err(|e| pg::named(e, &url))?;
                }
                (value, register_id)
            }
        };
        if let Some(id) = register_id {
            self.register_id.get_or_insert(id);
        }
        Ok(value)
    }

    /// Read-only access (a consistent snapshot for the duration of `f`).
    pub fn read<T, E: From<LedgerError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let register_id = self.register_id.clone();
        let url = self.path.display().to_string();
        match &mut self.store {
            Store::Sqlite(conn) => {
                let transaction = conn
                    .transaction_with_behavior(TransactionBehavior::Deferred)
                    .map_err(LedgerError::from)?;
                let tx = Tx {
                    tx: Conn::Sqlite(transaction),
                    register_id,
                };
                let value = f(&tx)?;
                if let Conn::Sqlite(transaction) = tx.tx {
                    transaction.finish().map_err(LedgerError::from)?;
                }
                Ok(value)
            }
            Store::Postgres(client, _, cache) => {
                let transaction = client
                    .build_transaction()
                    .isolation_level(postgres::IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
                    .map_err(|e| pg::named(e, &url))?;
                let tx = Tx {
                    tx: Conn::Postgres(std::cell::RefCell::new(transaction), url.clone(), cache),
                    register_id,
                };
                let value = f(&tx)?;
                if let Conn::Postgres(transaction, ..) = tx.tx {
                    transaction
                        .into_inner()
                        .commit()
                        .map_err(|e| pg::named(e, &url))?;
                }
                Ok(value)
            }
        }
    }

    /// The SQLite connection; the shared ledger has none.
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
            **client = pg::SharedLedger::open(url)?.into_client();
            cache.get_mut().clear();
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

    /// The SQLite transaction, for what is not written for both engines yet: on the shared
    /// ledger a sentence saying so ([`LedgerError::NotOnShared`]), never a wrong answer.
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
        let bank_keys = self
            .sq()?
            .prepare("SELECT valid_from, secret FROM bank_keys WHERE secret <> '' ORDER BY id")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        use rusqlite::OptionalExtension;
        let nets_password = self
            .sq()?
            .query_row(
                "SELECT password FROM nets_account WHERE password <> ''",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(PlaintextSecrets {
            bank_keys,
            nets_password,
        })
    }

    /// Blanks the plain-text values once the secret store holds them: the bank key of
    /// `valid_from` is then found under `secret_name`.
    pub fn forget_plaintext_bank_key(&mut self, valid_from: &str, secret_name: &str) -> Result<()> {
        self.sq()?.execute(
            "UPDATE bank_keys SET secret = '', secret_name = ?2 WHERE valid_from = ?1",
            rusqlite::params![valid_from, secret_name],
        )?;
        Ok(())
    }

    /// As [`Tx::forget_plaintext_bank_key`] for the Nets password.
    pub fn forget_plaintext_nets_password(&mut self, password_name: &str) -> Result<()> {
        self.sq()?.execute(
            "UPDATE nets_account SET password = '', password_name = ?1 WHERE id = 1",
            [password_name],
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

/// Sets `path`'s mode on Unix when it exists (elsewhere the data directory's ACLs decide).
fn restrict_to_owner(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if path.exists() {
            // Best effort: a file we may not chmod is still read and written as before.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).ok();
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// Creates (or truncates) a file readable by its owner only (0600 on Unix).
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn busy_timeout() -> Duration {
    std::env::var("BOXOFFICE_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_BUSY_TIMEOUT)
}

/// Probes that `dir` takes a new file. A probe lives for microseconds, so one older than a
/// minute was left by a process killed mid-probe: it is removed (another process's live probe
/// is never that old, and a probe already gone is no error).
fn check_writable(dir: &Path) -> Result<()> {
    const PROBE: &str = ".write-test-";
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let leftover = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(PROBE))
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|at| at.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(60));
            if leftover {
                // Best effort: a leftover that cannot be removed harms nothing.
                std::fs::remove_file(entry.path()).ok();
            }
        }
    }
    let probe = dir.join(format!("{PROBE}{}", std::process::id()));
    std::fs::write(&probe, b"ok")
        .and_then(|()| match std::fs::remove_file(&probe) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        })
        .map_err(|source| LedgerError::DataDirNotWritable {
            path: dir.to_path_buf(),
            source,
        })
}

/// `path` for a `file:` URI: `%`, `?` and `#` escaped.
fn uri_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23")
}

/// The file's `user_version`, `application_id` and how many schema objects it has.
fn read_header(conn: &Connection) -> rusqlite::Result<(i64, i32, i64)> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    // Reading the schema forces SQLite to look at the whole header page.
    let objects = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })?;
    Ok((version, app_id, objects))
}

fn corrupt_or(path: &Path, error: rusqlite::Error) -> LedgerError {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => LedgerError::Corrupt {
            path: path.to_path_buf(),
            detail: error.to_string(),
        },
        _ => LedgerError::from(error),
    }
}
