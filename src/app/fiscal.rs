//! The seam for Sweden's control unit (kontrollenhet, SKVFS 2014:9) and Norway's per-receipt
//! signature (ARCHITECTURE.md, "Control units and receipt signatures"): a [`FiscalDevice`]
//! registers every sale's receipt **inside the sale's transaction**, after its rows, its receipt
//! number and its journal entry are written, with the entry's canonical content. Its stamp (a
//! control code, a signature) is stored with the receipt (`fiscal_stamps`) and journaled in the
//! same transaction; when the device gives none, the transaction rolls back and nothing is sold.
//!
//! The register has no device by default ([`NoFiscalDevice`]: nothing is stamped, nothing
//! written). [`JournalSha256Chain`] stands in for a signing step in tests: it signs each receipt
//! with SHA-256 over the previous stamp and the receipt's content (the journal's own hash
//! function, no key), so the stamps form a chain the way Norway's signatures do.

use crate::domain::JournalKind;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::{AppError, SaleError};
use crate::ledger::{SaleRecord, Tx};

/// What a fiscal device is given for one receipt.
#[derive(Debug, Clone, Copy)]
pub struct FiscalReceipt<'a> {
    pub register_id: &'a str,
    pub receipt_number: i64,
    /// `sale` (refunds and copies are the next step, at the same point of their transactions).
    pub kind: &'a str,
    /// The sale's journal entry content: canonical JSON (sorted keys) of everything it wrote.
    pub content: &'a str,
    /// The stamp this device gave the receipt before (a signature chains from it).
    pub previous_stamp: Option<&'a str>,
}

/// A device's answer: its control code or signature, with its key version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalStamp {
    pub key_version: String,
    pub stamp: String,
}

/// A control unit or signing step. `Ok(None)`: this device stamps nothing (no row written).
/// `Err(sentence)`: it could not stamp (no answer, refused): the sale rolls back.
pub trait FiscalDevice: Send {
    /// Its name, stored with each stamp.
    fn name(&self) -> &str;
    fn register(&mut self, receipt: &FiscalReceipt<'_>) -> Result<Option<FiscalStamp>, String>;
}

/// No control unit and no signature (Finland, and the default).
pub struct NoFiscalDevice;

impl FiscalDevice for NoFiscalDevice {
    fn name(&self) -> &str {
        "none"
    }
    fn register(&mut self, _: &FiscalReceipt<'_>) -> Result<Option<FiscalStamp>, String> {
        Ok(None)
    }
}

/// A stand-in signing step: `sha256(previous stamp "\n" register "\n" receipt number "\n"
/// content)` as lowercase hex, key version `journal-sha256`. Unkeyed, so it proves the seam, not
/// authorship; a real signer (RSA with the register's key) or a control unit's link takes its place.
#[derive(Default)]
pub struct JournalSha256Chain {
    /// Answers with this sentence instead of a stamp (a control unit that does not answer).
    pub fail_with: Option<String>,
}

impl JournalSha256Chain {
    /// The stamp this signer gives `receipt` (for anyone checking the chain).
    pub fn stamp_of(receipt: &FiscalReceipt<'_>) -> String {
        let mut hasher = Sha256::new();
        hasher.update(receipt.previous_stamp.unwrap_or_default().as_bytes());
        hasher.update(b"\n");
        hasher.update(receipt.register_id.as_bytes());
        hasher.update(b"\n");
        hasher.update(receipt.receipt_number.to_string().as_bytes());
        hasher.update(b"\n");
        hasher.update(receipt.content.as_bytes());
        hex::encode(hasher.finalize())
    }
}

impl FiscalDevice for JournalSha256Chain {
    fn name(&self) -> &str {
        "journal-sha256-chain"
    }
    fn register(&mut self, receipt: &FiscalReceipt<'_>) -> Result<Option<FiscalStamp>, String> {
        if let Some(why) = &self.fail_with {
            return Err(why.clone());
        }
        Ok(Some(FiscalStamp {
            key_version: "journal-sha256".into(),
            stamp: Self::stamp_of(receipt),
        }))
    }
}

/// The register's device, shared by the services and their background sales.
pub type SharedFiscalDevice = Arc<Mutex<Box<dyn FiscalDevice>>>;

pub(super) fn no_device() -> SharedFiscalDevice {
    Arc::new(Mutex::new(Box::new(NoFiscalDevice)))
}

/// Registers a sale's receipt with the device inside the sale's transaction `tx`, and stores
/// and journals its stamp there. Every sale path calls it right after [`super::sale::in_sale`].
pub(super) fn stamp_sale(
    tx: &mut Tx<'_>,
    device: &SharedFiscalDevice,
    record: &SaleRecord,
) -> Result<(), AppError> {
    let mut device = device.lock().map_err(|_| {
        AppError::Sale(SaleError::FiscalDevice(
            "the device's lock is poisoned".into(),
        ))
    })?;
    let name = device.name().to_string();
    if name == NoFiscalDevice.name() {
        return Ok(());
    }
    let register_id = tx.register_id()?.to_string();
    let (receipt_id, content) = tx.receipt_and_entry(record.order_number, record.journal_seq)?;
    let previous = tx.last_fiscal_stamp(&name)?;
    let receipt = FiscalReceipt {
        register_id: &register_id,
        receipt_number: record.receipt_number,
        kind: "sale",
        content: &content,
        previous_stamp: previous.as_deref(),
    };
    let Some(stamp) = device
        .register(&receipt)
        .map_err(|why| AppError::Sale(SaleError::FiscalDevice(why)))?
    else {
        return Ok(());
    };
    let now = crate::ledger::now_text();
    tx.insert_fiscal_stamp(receipt_id, &name, &stamp.key_version, &stamp.stamp, &now)?;
    let journal = serde_json::json!({
        "receipt": record.receipt_number,
        "order": record.order_number,
        "device": name,
        "key_version": stamp.key_version,
        "stamp": stamp.stamp,
    });
    tx.append_journal(JournalKind::FiscalStamp, None, None, &journal)?;
    Ok(())
}

impl super::Services {
    /// The register's fiscal device from now on (the default is [`NoFiscalDevice`]).
    pub fn set_fiscal_device(&mut self, device: Box<dyn FiscalDevice>) {
        self.fiscal = Arc::new(Mutex::new(device));
    }

    /// The stamp of an order's sale receipt: (receipt number, device, key version, stamp).
    pub fn fiscal_stamp(
        &mut self,
        order_id: crate::domain::ids::OrderNumber,
    ) -> Result<Option<crate::ledger::FiscalStampRow>, AppError> {
        self.ledger_mut()
            .read(|tx| Ok(tx.fiscal_stamp_of_order(order_id)?))
    }
}
