//! The floors `bench queries` measures `verify` against (issue 16): the parts any verify must do,
//! each alone, on the same file in the same run. Neither checks what `verify` checks.

use super::{Checked, VerifyFailure};
use crate::ledger::journal::{Chains, SELECT_ENTRY, entry_from_row};
use crate::ledger::{Ledger, LedgerError, Result};

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

    /// The chain alone: every journal entry read in order (the file mapped, as `verify` maps
    /// it), its link in its register's chain and its hash checked; no content compared with any row. The number
    /// of entries.
    pub fn hash_walk_alone(&mut self) -> Checked<i64> {
        if self.is_shared() {
            return Err(LedgerError::NotOnShared);
        }
        self.conn()?
            .pragma_update(None, "mmap_size", super::MAP_BYTES)?;
        let walked = self.read(|tx| {
            let mut statement = tx.sq()?.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
            let mut entries = statement.query([])?;
            let (mut count, mut chains) = (0_i64, Chains::default());
            while let Some(row) = entries.next()? {
                let entry = entry_from_row(row)?;
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
}
