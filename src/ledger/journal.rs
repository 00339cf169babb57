//! The hash-chained journal: one entry per business operation.
//!
//! `hash = sha256(prev_hash "\n" seq "\n" register_id "\n" at "\n" kind "\n" user_id "\n" order_id "\n" content)`
//! as lowercase hex, where absent ids are empty and `content` is canonical JSON
//! (object keys sorted, no whitespace). The first entry's `prev_hash` is [`GENESIS_HASH`].

use crate::domain::ids::{OrderNumber, UserId};
use rusqlite::{OptionalExtension, params};
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
        kind: &str,
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
        kind: &str,
        user_id: Option<i64>,
        order_id: Option<i64>,
        content: String,
    ) -> Result<JournalEntry> {
        let register_id = self.register_id()?.to_string();
        let last: Option<(i64, String)> = self
            .tx
            .prepare_cached("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let (seq, prev_hash) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS_HASH.to_string()),
        };
        let mut entry = JournalEntry {
            seq,
            register_id,
            at: now_text(),
            kind: kind.to_string(),
            user_id,
            order_id,
            content,
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.expected_hash();
        self.tx.prepare_cached("INSERT INTO journal (seq, register_id, at, kind, user_id, order_id, content, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(params![
                entry.seq,
                entry.register_id,
                entry.at,
                entry.kind,
                entry.user_id,
                entry.order_id,
                entry.content,
                entry.prev_hash,
                entry.hash
            ],
        )?;
        Ok(entry)
    }

    /// The hash of entry `seq`, if the journal has it.
    pub fn journal_hash_at(&self, seq: i64) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached("SELECT hash FROM journal WHERE seq = ?1")?
            .query_row([seq], |row| row.get(0))
            .optional()?)
    }

    /// The newest entry, if any.
    pub fn journal_head(&self) -> Result<Option<JournalEntry>> {
        Ok(self
            .tx
            .query_row(
                &format!("{SELECT_ENTRY} ORDER BY seq DESC LIMIT 1"),
                [],
                entry_from_row,
            )
            .optional()?)
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
