//! Opening the ledger's SQLite file: for writing (created 0600 in a 0700 directory, refused
//! when damaged, another program's or newer, migrated) or to read only (nothing written).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{
    ANCHOR_FILE, APPLICATION_ID, LEDGER_FILE, Ledger, LedgerError, Result, Store, busy_timeout,
    migrations,
};

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
            anchor_file: path.with_file_name(super::ANCHOR_FILE),
            path,
            register_id: None,
            anchor: None,
            read_only: false,
            unreachable_at: None,
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
        let (conn, (found, app_id, objects)) = connect_read_only(data_dir, &path, wal)?;
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
            anchor_file: path.with_file_name(super::ANCHOR_FILE),
            path,
            register_id: None,
            anchor: None,
            read_only: true,
            unreachable_at: None,
        };
        ledger.register_id = ledger.load_register_id()?;
        Ok(ledger)
    }
}

/// The read-only connection of `path` and its header (version, application id, schema
/// objects). A WAL ledger in a read-only directory is read as it is when its log is empty.
fn connect_read_only(
    data_dir: &Path,
    path: &Path,
    wal: u64,
) -> Result<(Connection, (i64, i32, i64))> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = |path: &Path, flags: OpenFlags| -> rusqlite::Result<(Connection, (i64, i32, i64))> {
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(busy_timeout())?;
        let header = read_header(&conn)?;
        Ok((conn, header))
    };
    match open(path, flags) {
        Ok(opened) => Ok(opened),
        // A WAL ledger needs its shared-memory file, which a read-only directory cannot
        // take. With no WAL content to read, nobody can be writing it: read the file as
        // it is (SQLite's `immutable`).
        Err(error)
            if matches!(
                error.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) && wal == 0 =>
        {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            open(Path::new(&uri), flags | OpenFlags::SQLITE_OPEN_URI)
                .map_err(|e| corrupt_or(path, e))
        }
        Err(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
            Err(LedgerError::DataDirNotWritable {
                path: data_dir.to_path_buf(),
                source: std::io::Error::other(
                    "the ledger's write-ahead log holds entries that can only be read with a writable data directory",
                ),
            })
        }
        Err(error) => Err(corrupt_or(path, error)),
    }
}

/// Sets `path`'s mode on Unix when it exists (elsewhere the data directory's ACLs decide).
pub(super) fn restrict_to_owner(path: &Path, mode: u32) {
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
pub(super) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
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
