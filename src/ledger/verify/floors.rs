//! The floors `bench queries` measures `verify` against (issue 16): the parts any verify must do,
//! each alone, on the same file in the same run (the file checked, the chain hashed, the sales'
//! rows read). None checks what `verify` checks. On the shared ledger (issue 15): the chain alone,
//! read page by page as `verify` reads it there, and `pg_dump` of the database as the baseline
//! (the server reading every row out once).

use super::{Checked, VerifyFailure};
use crate::ledger::engine::{Db as _, values};
use crate::ledger::journal::{Chains, SELECT_ENTRY, entry_from_db_row, entry_ref};
use crate::ledger::{Ledger, LedgerError, Result, Store, pg};

impl Ledger {
    /// `PRAGMA quick_check` alone, on a connection of its own as `verify` runs it: whether the
    /// file is sound (every page read once).
    pub fn quick_check_alone(&mut self) -> Result<bool> {
        if self.is_shared() {
            return Err(LedgerError::NotOnShared);
        }
        let conn = super::second_connection(&self.path)?;
        Ok(super::quick_check(&conn, &self.path)?.is_none())
    }

    /// The sales' rows alone: the six tables `verify` streams, stepped in the same (row-id) order
    /// by the same statements on a read-only connection of their own (the file mapped, as
    /// `verify` maps it), every column fetched; no text written, nothing compared. The number of
    /// rows.
    pub fn sale_rows_alone(&mut self) -> Result<i64> {
        if self.is_shared() {
            return Err(LedgerError::NotOnShared);
        }
        let conn = super::second_connection(&self.path)?;
        let order = crate::ledger::verify_stream::RowOrder::Written;
        let mut statements = super::sales::sale_statements(&conn, order)?;
        let mut count = 0_i64;
        for statement in &mut statements {
            let columns = statement.column_count();
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                for column in 0..columns {
                    std::hint::black_box(row.get_ref(column)?);
                }
                count += 1;
            }
        }
        Ok(count)
    }

    /// The sales' rows written as their text alone: the rows' thread of `verify` without the walk
    /// (the same statements and writer on a connection of its own, the file mapped), so the rows
    /// stepped plus the text any comparison with the journal needs; nothing compared. The bytes
    /// written.
    pub fn sale_texts_alone(&mut self) -> Result<usize> {
        if self.is_shared() {
            return Err(LedgerError::NotOnShared);
        }
        let conn = super::second_connection(&self.path)?;
        super::sales::texts_alone(&conn)
    }

    /// The chain alone: every journal entry read in order (the file mapped, as `verify` maps
    /// it; on the shared ledger a page of entries at a time, as its `verify` reads them), its
    /// link in its register's chain and its hash checked; no content compared with any row. The
    /// number of entries.
    pub fn hash_walk_alone(&mut self) -> Checked<i64> {
        if self.is_shared() {
            return self.read(shared_hash_walk);
        }
        self.conn()?
            .pragma_update(None, "mmap_size", super::MAP_BYTES)?;
        let walked = self.read(|tx| {
            let mut statement = tx.sq()?.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
            let mut entries = statement.query([])?;
            let (mut count, mut chains) = (0_i64, Chains::default());
            while let Some(row) = entries.next()? {
                let entry = entry_ref(row)?;
                if let Some(reason) = chains.step(&entry) {
                    return Ok(Err(VerifyFailure {
                        seq: Some(entry.seq),
                        reason,
                    }));
                }
                count += 1;
            }
            Ok(Ok(count))
        });
        self.conn()?.pragma_update(None, "mmap_size", 0)?;
        walked
    }

    /// The shared ledger's baseline: `pg_dump` of its database to nowhere (every row of every
    /// table read out by the server and sent over the connection once), with the ledger's own
    /// address and password. `false` where `pg_dump` is not installed or fails, and on a
    /// counter's own ledger.
    pub fn pg_dump_alone(&self) -> bool {
        let Store::Postgres(_, url, _) = &self.store else {
            return false;
        };
        let mut command = std::process::Command::new("pg_dump");
        command
            .arg("--dbname")
            .arg(url)
            .args(["--file", "/dev/null"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Ok(password) = std::env::var(pg::PASSWORD_ENV) {
            command.env("PGPASSWORD", password);
        }
        if let Ok(ca) = std::env::var(pg::CA_ENV) {
            command.env("PGSSLROOTCERT", ca);
        }
        command.status().is_ok_and(|status| status.success())
    }
}

/// [`Ledger::hash_walk_alone`] on the shared ledger: the entries [`super::walk::PAGE`] at a time.
fn shared_hash_walk(tx: &crate::ledger::Tx<'_>) -> Checked<i64> {
    let (mut count, mut chains, mut after) = (0_i64, Chains::default(), 0_i64);
    loop {
        let page = tx.db().query(
            &format!(
                "{SELECT_ENTRY} WHERE seq > ?1 ORDER BY seq LIMIT {}",
                super::walk::PAGE
            ),
            &values![after],
        )?;
        let Some(last) = page.last() else {
            return Ok(Ok(count));
        };
        after = last.int(0)?;
        for row in &page {
            let owned = entry_from_db_row(row)?;
            let entry = owned.as_ref();
            if let Some(reason) = chains.step(&entry) {
                return Ok(Err(VerifyFailure {
                    seq: Some(entry.seq),
                    reason: format!("{reason} (register {})", entry.register_id),
                }));
            }
            count += 1;
        }
    }
}
