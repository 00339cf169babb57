//! A counter on the shared ledger (issue 15): which register of it this data directory is (kept
//! in `shared-register.json` beside where the SQLite ledger would be), opening it, joining it,
//! and copying a counter's SQLite ledger into a new shared ledger and back.

use std::path::{Path, PathBuf};

use super::engine::Db;
use super::{Ledger, LedgerError, Result, Store, pg};

/// The session advisory lock the shared ledger's one mail sender holds ("BOXM").
const MAIL_SENDER_LOCK: i64 = 0x424F_584D;

/// The file in the data directory that says which register of which shared ledger this PC is.
pub const IDENTITY_FILE: &str = "shared-register.json";

/// This PC's register on a shared ledger.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    /// The shared ledger's address as shown (no password, no parameters).
    pub database: String,
    pub register_id: String,
    pub name: String,
}

fn identity_path(data_dir: &Path) -> PathBuf {
    data_dir.join(IDENTITY_FILE)
}

/// The register this data directory is on the shared ledger at `url`, if it joined it.
pub fn identity(data_dir: &Path, url: &str) -> Result<Option<Identity>> {
    let path = identity_path(data_dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(LedgerError::DataDirNotWritable {
                path: path.clone(),
                source,
            });
        }
    };
    let identity: Identity = serde_json::from_str(&text).map_err(|error| LedgerError::Corrupt {
        path: path.clone(),
        detail: error.to_string(),
    })?;
    if identity.database != pg::redact(url) {
        return Err(LedgerError::Corrupt {
            path,
            detail: format!(
                "this data directory is register {} of the shared ledger at {}, not of {}",
                identity.register_id,
                identity.database,
                pg::redact(url)
            ),
        });
    }
    Ok(Some(identity))
}

/// Keeps `identity` in the data directory (written whole, then renamed into place).
pub fn save_identity(data_dir: &Path, identity: &Identity) -> Result<()> {
    let not_writable = |source| LedgerError::DataDirNotWritable {
        path: data_dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(data_dir).map_err(not_writable)?;
    let path = identity_path(data_dir);
    let temporary = path.with_extension("json.new");
    let text = serde_json::to_string_pretty(identity).map_err(std::io::Error::other);
    text.and_then(|text| std::fs::write(&temporary, text))
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(not_writable)
}

impl Ledger {
    /// The shared ledger at `url` as this data directory's register (read from its identity
    /// file; none yet until `register join`). The schema must be at this program's version.
    pub fn open_shared(data_dir: &Path, url: &str) -> Result<Ledger> {
        let identity = identity(data_dir, url)?;
        let client = pg::SharedLedger::open(url)?.into_client();
        Ledger::shared_over(client, url, identity, data_dir)
    }

    /// [`Ledger::open_shared`] over a connection made elsewhere (`url` names it; the version is
    /// checked the same way).
    pub fn open_shared_with(
        data_dir: &Path,
        client: postgres::Client,
        url: &str,
    ) -> Result<Ledger> {
        let identity = identity(data_dir, url)?;
        let client = pg::SharedLedger::with_client(client, url)?.into_client();
        Ledger::shared_over(client, url, identity, data_dir)
    }

    /// Waits until this counter is the shared ledger's one mail sender (a session advisory
    /// lock of this connection; the server lets go of it if the connection is lost). Nothing to
    /// do on SQLite: the counter's own file lock keeps one sender per ledger there.
    pub fn lock_mail_sender(&mut self) -> Result<()> {
        self.mail_sender_lock("SELECT pg_advisory_lock($1)")
    }

    /// Lets the next counter send (see [`Ledger::lock_mail_sender`]).
    pub fn unlock_mail_sender(&mut self) -> Result<()> {
        self.mail_sender_lock("SELECT pg_advisory_unlock($1)")
    }

    fn mail_sender_lock(&mut self, sql: &str) -> Result<()> {
        if let Store::Postgres(client, url, _) = &mut self.store {
            client
                .query_one(sql, &[&MAIL_SENDER_LOCK])
                .map_err(|e| pg::named(e, &pg::redact(url)))?;
        }
        Ok(())
    }

    fn shared_over(
        client: postgres::Client,
        url: &str,
        identity: Option<Identity>,
        data_dir: &Path,
    ) -> Result<Ledger> {
        Ok(Ledger {
            store: Store::Postgres(Box::new(client), url.to_string(), Default::default()),
            path: PathBuf::from(pg::redact(url)),
            anchor_file: data_dir.join(super::SHARED_ANCHOR_FILE),
            register_id: identity.map(|identity| identity.register_id),
            anchor: None,
            read_only: false,
            unreachable_at: None,
        })
    }
}

/// Tables in an order where every foreign key points to a table copied before.
fn tables_in_order(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    )?;
    let names: Vec<String> = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut parents = std::collections::HashMap::new();
    for name in &names {
        let mut statement = conn.prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")?;
        let refs: Vec<String> = statement
            .query_map([name], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        parents.insert(name.clone(), refs);
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < names.len() {
        let before = ordered.len();
        for name in &names {
            let ready = !ordered.contains(name)
                && parents[name]
                    .iter()
                    .all(|p| p == name || ordered.contains(p) || !names.contains(p));
            if ready {
                ordered.push(name.clone());
            }
        }
        if ordered.len() == before {
            return Err(LedgerError::Postgres(
                "the ledger's tables refer to each other in a circle and cannot be copied".into(),
            ));
        }
    }
    Ok(ordered)
}

/// The columns of `table` as the SQLite ledger has them.
fn columns(conn: &rusqlite::Connection, table: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names = statement
        .query_map([table], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// How many rows were copied, per table.
pub type Copied = Vec<(String, u64)>;

/// Copies every row of the SQLite ledger into the empty shared ledger at `url` (migrated first
/// when it has no schema yet), ids and history included, in one transaction: the user triggers
/// are off during the copy (the rows are history that passed them once, and `sold` is copied
/// rather than counted again) and the identity sequences continue after the copied ids. Run as
/// the owner role. A target with any row in it is refused untouched.
pub fn copy_to_postgres(ledger: &mut Ledger, url: &str) -> Result<Copied> {
    let conn = ledger.conn()?;
    let mut client = pg::connect(url)?;
    pg::migrate(&mut client, url)?;
    let tables = tables_in_order(conn)?;
    let mut tx = client.transaction().map_err(pg::from_pg)?;
    let mut cache = super::engine::StatementCache::default();
    let mut db = super::engine::CachedPostgres {
        tx: &mut tx,
        cache: &mut cache,
    };
    // The one row a migration adds (the built-in mail server) does not make a ledger "in use".
    for table in tables.iter().filter(|t| *t != "mail_servers") {
        let rows = db.query_one(&format!("SELECT count(*) FROM {table}"), &[])?;
        if rows.int(0)? > 0 {
            return Err(LedgerError::TargetNotEmpty {
                url: pg::redact(url),
                table: table.clone(),
            });
        }
    }
    let mut copied = Vec::new();
    for table in &tables {
        db.execute(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"), &[])?;
        db.execute(&format!("DELETE FROM {table}"), &[])?;
        let rows = copy_rows(conn, &mut db, table)?;
        db.execute(&format!("ALTER TABLE {table} ENABLE TRIGGER USER"), &[])?;
        copied.push((table.clone(), rows));
    }
    reset_identities(&mut db)?;
    tx.commit().map_err(pg::from_pg)?;
    Ok(copied)
}

/// Parameters per `INSERT` of the copy (PostgreSQL takes at most 65,535 in one statement).
const COPY_PARAMETERS: usize = 30_000;

/// Streams the rows of `table` out of the SQLite ledger into the shared ledger, many rows per
/// `INSERT` (one statement, prepared once, per batch: a row at a time took two round trips
/// per row and held the whole table in memory). The number of rows.
fn copy_rows(conn: &rusqlite::Connection, db: &mut dyn Db, table: &str) -> Result<u64> {
    let names = columns(conn, table)?;
    let (width, list) = (names.len().max(1), names.join(", "));
    let per_insert = (COPY_PARAMETERS / width).clamp(1, 1_000);
    let insert = |rows: usize| {
        let tuples: Vec<String> = (0..rows)
            .map(|r| {
                let marks: Vec<String> =
                    (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        format!("INSERT INTO {table} ({list}) VALUES {}", tuples.join(", "))
    };
    let full = insert(per_insert);
    let (mut batch, mut count) = (Vec::with_capacity(per_insert * width), 0_u64);
    super::engine::Sqlite(conn).query_each(
        &format!("SELECT {list} FROM {table}"),
        &[],
        &mut |row| {
            batch.extend(row.0.iter().cloned());
            count += 1;
            if batch.len() == per_insert * width {
                db.execute(&full, &batch)?;
                batch.clear();
            }
            Ok(())
        },
    )?;
    if !batch.is_empty() {
        db.execute(&insert(batch.len() / width), &batch)?;
    }
    Ok(count)
}

/// Every identity column continues after the largest id it holds (a copy keeps its ids).
fn reset_identities(db: &mut dyn Db) -> Result<()> {
    let identities = db.query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        &[],
    )?;
    for row in identities {
        let (table, column) = (row.text(0)?, row.text(1)?);
        db.query(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               coalesce(max({column}), 0) + 1, false) FROM {table}"
            ),
            &[],
        )?;
    }
    Ok(())
}

/// Copies the shared ledger at `url` into a new SQLite ledger in `data_dir` (backups, support):
/// the same rows and ids, then this program's checks as a normal open does them.
pub fn copy_to_sqlite(url: &str, data_dir: &Path) -> Result<Copied> {
    if data_dir.join(super::LEDGER_FILE).exists() {
        return Err(LedgerError::TargetNotEmpty {
            url: data_dir.display().to_string(),
            table: super::LEDGER_FILE.into(),
        });
    }
    let mut source = pg::SharedLedger::open(url)?.into_client();
    let mut ledger = Ledger::open(data_dir)?;
    let Store::Sqlite(conn) = &mut ledger.store else {
        return Err(LedgerError::NotOnShared);
    };
    let tables = tables_in_order(conn)?;
    let tx = conn.transaction()?;
    tx.pragma_update(None, "defer_foreign_keys", "ON")?;
    // The copy is history that passed every rule once: SQLite's triggers stay out of it.
    let triggers: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    let mut pg_tx = source
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(pg::from_pg)?;
    let mut copied = Vec::new();
    for table in &tables {
        let names = columns(&tx, table)?;
        let list = names.join(", ");
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let insert = format!("INSERT INTO {table} ({list}) VALUES ({})", marks.join(", "));
        let rows = super::engine::Postgres(&mut pg_tx)
            .query(&format!("SELECT {list} FROM {table}"), &[])?;
        let mut db = super::engine::Sqlite(&tx);
        db.execute(&format!("DELETE FROM {table}"), &[])?;
        for row in &rows {
            db.execute(&insert, &row.0)?;
        }
        copied.push((table.clone(), rows.len() as u64));
    }
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    pg_tx.commit().map_err(pg::from_pg)?;
    Ok(copied)
}
