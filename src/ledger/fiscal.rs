//! Fiscal stamps (migration 0017): what a control unit or a signing step gave a receipt inside
//! the sale's transaction (ARCHITECTURE.md, "Control units and receipt signatures").

use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};
use crate::domain::ids::OrderNumber;

/// A stamp as stored: (receipt number, device, key version, stamp).
pub type FiscalStampRow = (i64, String, String, String);

impl Tx<'_> {
    /// The receipt a sale's journal entry `seq` belongs to: (receipt id, the entry's canonical
    /// content), the text a fiscal device registers.
    pub fn receipt_and_entry(&self, order_id: OrderNumber, seq: i64) -> Result<(i64, String)> {
        let receipt_id: i64 = self.sq()?.query_row(
            "SELECT id FROM receipts WHERE order_id = ?1 AND kind = 'sale'",
            [order_id],
            |row| row.get(0),
        )?;
        let content: String =
            self.sq()?
                .query_row("SELECT content FROM journal WHERE seq = ?1", [seq], |row| {
                    row.get(0)
                })?;
        Ok((receipt_id, content))
    }

    /// The newest stamp this device gave (a signature chains from it).
    pub fn last_fiscal_stamp(&self, device: &str) -> Result<Option<String>> {
        Ok(self
            .sq()?
            .query_row(
                "SELECT stamp FROM fiscal_stamps WHERE device = ?1 ORDER BY id DESC LIMIT 1",
                [device],
                |row| row.get(0),
            )
            .optional()?)
    }

    pub fn insert_fiscal_stamp(
        &mut self,
        receipt_id: i64,
        device: &str,
        key_version: &str,
        stamp: &str,
        now: &str,
    ) -> Result<()> {
        self.sq()?.execute(
            "INSERT INTO fiscal_stamps (receipt_id, device, key_version, stamp, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![receipt_id, device, key_version, stamp, now],
        )?;
        Ok(())
    }

    /// The stamp of an order's sale receipt, if it has one.
    pub fn fiscal_stamp_of_order(&self, order_id: OrderNumber) -> Result<Option<FiscalStampRow>> {
        Ok(self
            .sq()?
            .query_row(
                "SELECT r.number, f.device, f.key_version, f.stamp FROM fiscal_stamps f
                 JOIN receipts r ON r.id = f.receipt_id WHERE r.order_id = ?1 AND r.kind = 'sale'",
                [order_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?)
    }
}
