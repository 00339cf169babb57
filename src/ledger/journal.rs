//! The hash-chained journal: one entry per business operation.
//!
//! `hash = sha256(prev_hash "\n" seq "\n" register_id "\n" at "\n" kind "\n" user_id "\n" order_id "\n" content)`
//! as lowercase hex, where absent ids are empty and `content` is canonical JSON
//! (object keys sorted, no whitespace). The first entry's `prev_hash` is [`GENESIS_HASH`].

use super::engine::{Db as _, Engine, Row, values};
use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, UserId};
use sha2::{Digest, Sha256};

use super::{Result, Tx};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub seq: i64,
    pub register_id: String,
    pub at: String,
    pub kind: String,
    pub user_id: Option<i64>,
    pub order_id: Option<i64>,
    pub content: String,
    pub prev_hash: String,
    pub hash: String,
}

impl JournalEntry {
    /// The hash this entry must carry, computed from its fields.
    pub fn expected_hash(&self) -> String {
        let id_text = |id: Option<i64>| id.map(|v| v.to_string()).unwrap_or_default();
        let mut hasher = Sha256::new();
        for part in [
            &self.prev_hash,
            &self.seq.to_string(),
            &self.register_id,
            &self.at,
            &self.kind,
            &id_text(self.user_id),
            &id_text(self.order_id),
        ] {
            hasher.update(part.as_bytes());
            hasher.update(b"\n");
        }
        hasher.update(self.content.as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// Canonical JSON: serde_json's `Value` keeps object keys sorted.
pub fn canonical(content: &serde_json::Value) -> String {
    let sorted: serde_json::Value = sort_keys(content);
    sorted.to_string()
}

fn sort_keys(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut sorted = serde_json::Map::new();
            for key in keys {
                sorted.insert(key.clone(), sort_keys(&map[key]));
            }
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

pub(super) const SELECT_ENTRY: &str =
    "SELECT seq, register_id, at, kind, user_id, order_id, content, prev_hash, hash FROM journal";

/// An entry from a row of [`SELECT_ENTRY`] on either engine.
pub(super) fn entry_from_db_row(row: &Row) -> Result<JournalEntry> {
    Ok(JournalEntry {
        seq: row.int(0)?,
        register_id: row.text(1)?,
        at: row.text(2)?,
        kind: row.text(3)?,
        user_id: row.opt_int(4)?,
        order_id: row.opt_int(5)?,
        content: row.text(6)?,
        prev_hash: row.text(7)?,
        hash: row.text(8)?,
    })
}

/// On the shared ledger every append takes this transaction lock first, so the counters' entries
/// form one chain in commit order ("BOXJ"; SQLite's IMMEDIATE transaction already is the lock).
const JOURNAL_LOCK: i64 = 0x424F_584A;

pub(super) fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        seq: row.get(0)?,
        register_id: row.get(1)?,
        at: row.get(2)?,
        kind: row.get(3)?,
        user_id: row.get(4)?,
        order_id: row.get(5)?,
        content: row.get(6)?,
        prev_hash: row.get(7)?,
        hash: row.get(8)?,
    })
}

impl Tx<'_> {
    /// Appends the journal entry of the current operation, chained to the last one.
    pub fn append_journal(
        &mut self,
        kind: JournalKind,
        user_id: Option<UserId>,
        order_id: Option<OrderNumber>,
        content: &serde_json::Value,
    ) -> Result<JournalEntry> {
        let order_id = order_id.map(OrderNumber::get);
        let user_id = user_id.map(UserId::get);
        self.append_journal_text(kind, user_id, order_id, canonical(content))
    }

    /// [`Tx::append_journal`] with content that is already canonical JSON text.
    pub(super) fn append_journal_text(
        &mut self,
        kind: JournalKind,
        user_id: Option<i64>,
        order_id: Option<i64>,
        content: String,
    ) -> Result<JournalEntry> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        if self.engine() == Engine::Postgres {
            db.execute("SELECT pg_advisory_xact_lock(?1)", &values![JOURNAL_LOCK])?;
        }
        let last = db.query_opt(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            &[],
        )?;
        let (seq, prev_hash) = match last {
            Some(row) => (row.int(0)? + 1, row.text(1)?),
            None => (1, GENESIS_HASH.to_string()),
        };
        let mut entry = JournalEntry {
            seq,
            register_id,
            at: now_text(),
            kind: kind.as_str().to_string(),
            user_id,
            order_id,
            content,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.expected_hash();
        db.execute(
            "INSERT INTO journal (seq, register_id, at, kind, user_id, order_id, content, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &values![
                entry.seq,
                entry.register_id.as_str(),
                entry.at.as_str(),
                entry.kind.as_str(),
                entry.user_id,
                entry.order_id,
                entry.content.as_str(),
                entry.prev_hash.as_str(),
                entry.hash.as_str()
            ],
        )?;
        Ok(entry)
    }

    /// The hash of entry `seq`, if the journal has it.
    pub fn journal_hash_at(&self, seq: i64) -> Result<Option<String>> {
        self.db()
            .query_opt("SELECT hash FROM journal WHERE seq = ?1", &values![seq])?
            .map(|row| row.text(0))
            .transpose()
    }

    /// The sequence number of an order's sale entry.
    pub fn journal_seq_of_order(&self, order: OrderNumber) -> Result<Option<i64>> {
        self.db()
            .query_opt(
                "SELECT seq FROM journal WHERE order_id = ?1 AND kind = 'sale' ORDER BY seq LIMIT 1",
                &values![order],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    /// The newest entry, if any.
    pub fn journal_head(&self) -> Result<Option<JournalEntry>> {
        self.db()
            .query_opt(&format!("{SELECT_ENTRY} ORDER BY seq DESC LIMIT 1"), &[])?
            .as_ref()
            .map(entry_from_db_row)
            .transpose()
    }
}

/// The ledger's clock: local time, RFC 3339 with the offset.
pub fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value = serde_json::json!({"b": 1, "a": {"y": [ {"d": 1, "c": 2} ], "x": null}});
        assert_eq!(
            canonical(&value),
            r#"{"a":{"x":null,"y":[{"c":2,"d":1}]},"b":1}"#
        );
    }

    #[test]
    fn hash_covers_every_field() {
        let entry = JournalEntry {
            seq: 1,
            register_id: "R".into(),
            at: "2026-11-25T12:00:00.000+02:00".into(),
            kind: "sale".into(),
            user_id: Some(1),
            order_id: Some(2),
            content: "{}".into(),
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        };
        let base = entry.expected_hash();
        let mut expected = Sha256::new();
        expected.update(format!(
            "{GENESIS_HASH}\n1\nR\n2026-11-25T12:00:00.000+02:00\nsale\n1\n2\n{{}}"
        ));
        assert_eq!(base, hex::encode(expected.finalize()));
        let mut changed = entry.clone();
        changed.order_id = Some(3);
        assert_ne!(changed.expected_hash(), base);
        let mut changed = entry;
        changed.at.push('Z');
        assert_ne!(changed.expected_hash(), base);
    }
}
