//! Fiscal stamps (migration 0017): what a control unit or a signing step gave a receipt inside
//! the sale's transaction (ARCHITECTURE.md, "Control units and receipt signatures"). Written
//! once for both engines.

use super::engine::{Db as _, values};
use super::{Result, Tx};
use crate::domain::ids::OrderNumber;

/// A stamp as stored: (receipt number, device, key version, stamp).
pub type FiscalStampRow = (i64, String, String, String);

impl Tx<'_> {
    /// The receipt a sale's journal entry `seq` belongs to: (receipt id, the entry's canonical
    /// content), the text a fiscal device registers.
    pub fn receipt_and_entry(&self, order_id: OrderNumber, seq: i64) -> Result<(i64, String)> {
        let mut db = self.db();
        let receipt_id = db
            .query_one(
                "SELECT id FROM receipts WHERE order_id = ?1 AND kind = 'sale'",
                &values![order_id],
            )?
            .int(0)?;
        let content = db
            .query_one("SELECT content FROM journal WHERE seq = ?1", &values![seq])?
            .text(0)?;
        Ok((receipt_id, content))
    }

    /// The newest stamp this device gave (a signature chains from it).
    pub fn last_fiscal_stamp(&self, device: &str) -> Result<Option<String>> {
        self.db()
            .query_opt(
                "SELECT stamp FROM fiscal_stamps WHERE device = ?1 ORDER BY id DESC LIMIT 1",
                &values![device],
            )?
            .map(|row| row.text(0))
            .transpose()
    }

    pub fn insert_fiscal_stamp(
        &mut self,
        receipt_id: i64,
        device: &str,
        key_version: &str,
        stamp: &str,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO fiscal_stamps (receipt_id, device, key_version, stamp, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &values![receipt_id, device, key_version, stamp, now],
        )?;
        Ok(())
    }

    /// The stamp of an order's sale receipt, if it has one.
    pub fn fiscal_stamp_of_order(&self, order_id: OrderNumber) -> Result<Option<FiscalStampRow>> {
        self.db()
            .query_opt(
                "SELECT r.number, f.device, f.key_version, f.stamp FROM fiscal_stamps f
                 JOIN receipts r ON r.id = f.receipt_id WHERE r.order_id = ?1 AND r.kind = 'sale'",
                &values![order_id],
            )?
            .map(|row| Ok((row.int(0)?, row.text(1)?, row.text(2)?, row.text(3)?)))
            .transpose()
    }
}
