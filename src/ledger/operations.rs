//! Operation ids (issue 15): every business operation carries a UUID made on the counter before
//! its first attempt, written in the operation's own transaction (`operations`, unique in the
//! ledger). After a dropped commit the counter asks by it whether the operation was recorded
//! before it tries again; a retry after a serialization failure keeps it.

use super::engine::{Db as _, values};
use super::{Result, Tx};
use crate::domain::ids::{OrderNumber, ShiftId};

/// A business operation's id: a random (version 4) UUID in its usual text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OperationId(String);

impl OperationId {
    /// A new id from the system's random source.
    pub fn new() -> Result<OperationId> {
        let mut bytes = [0_u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| {
            super::LedgerError::Postgres(format!("no random bytes for an operation id ({e})"))
        })?;
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = hex::encode(bytes);
        Ok(OperationId(format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What an operation recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRow {
    pub kind: String,
    pub register_id: String,
    pub order: Option<OrderNumber>,
    pub refund_id: Option<i64>,
    pub shift_id: Option<ShiftId>,
    /// The cash movement a `cash.in`, `cash.out` or `drawer.open` recorded.
    pub movement_id: Option<i64>,
    /// The reservation a `reservation.*` operation made, paid or released.
    pub reservation_id: Option<i64>,
    /// What else it recorded, as canonical JSON (seats held: their labels and expiry).
    pub detail: Option<String>,
}

/// What an operation wrote, for [`Tx::record_operation`].
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub order: Option<OrderNumber>,
    pub refund_id: Option<i64>,
    pub shift_id: Option<ShiftId>,
    pub movement_id: Option<i64>,
    pub reservation_id: Option<i64>,
    pub detail: Option<String>,
}

impl Tx<'_> {
    /// Writes the operation's id with what it recorded, in the operation's transaction. The same
    /// id twice is refused by the database (the primary key).
    pub fn record_operation(
        &mut self,
        id: &OperationId,
        kind: &str,
        recorded: Recorded,
        now: &str,
    ) -> Result<()> {
        let register_id = self.register_id()?.to_string();
        self.db().execute(
            "INSERT INTO operations (id, register_id, kind, order_id, refund_id, shift_id, created_at,
                                     movement_id, reservation_id, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &values![
                id.as_str(),
                register_id,
                kind,
                recorded.order,
                recorded.refund_id,
                recorded.shift_id,
                now,
                recorded.movement_id,
                recorded.reservation_id,
                recorded.detail
            ],
        )?;
        Ok(())
    }

    /// The operation with this id, if it was recorded.
    pub fn operation(&self, id: &OperationId) -> Result<Option<OperationRow>> {
        let row = self.db().query_opt(
            "SELECT kind, register_id, order_id, refund_id, shift_id, movement_id, reservation_id, detail
             FROM operations WHERE id = ?1",
            &values![id.as_str()],
        )?;
        row.map(|row| {
            Ok(OperationRow {
                kind: row.text(0)?,
                register_id: row.text(1)?,
                order: row.opt_int(2)?.map(OrderNumber),
                refund_id: row.opt_int(3)?,
                shift_id: row.opt_int(4)?.map(ShiftId),
                movement_id: row.opt_int(5)?,
                reservation_id: row.opt_int(6)?,
                detail: row.opt_text(7)?,
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_are_version_4_uuids_and_differ() {
        let a = OperationId::new().unwrap();
        let b = OperationId::new().unwrap();
        assert_ne!(a, b);
        let text = a.as_str();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4");
        assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"), "{text}");
        assert_eq!(text.matches('-').count(), 4);
    }
}
