//! The hash-chained journal: one entry per business operation.
//!
//! `hash = sha256(prev_hash "\n" seq "\n" register_id "\n" at "\n" kind "\n" user_id "\n" order_id "\n" content)`
//! as lowercase hex, where absent ids are empty and `content` is canonical JSON
//! (object keys sorted, no whitespace). The first entry's `prev_hash` is [`GENESIS_HASH`].

use super::engine::{Db as _, Engine, Row, values};
use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, UserId};
use sha2::{Digest, Sha256};

use super::verify_stream::{decimal, str_at};
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
        hex::encode(self.as_ref().digest())
    }

    /// The entry with its fields borrowed.
    pub fn as_ref(&self) -> EntryRef<'_> {
        EntryRef {
            seq: self.seq,
            register_id: &self.register_id,
            at: &self.at,
            kind: &self.kind,
            user_id: self.user_id,
            order_id: self.order_id,
            content: self.content.as_bytes(),
            prev_hash: &self.prev_hash,
            hash: &self.hash,
        }
    }
}

/// A journal entry's fields borrowed: from a [`JournalEntry`], or straight from the row `verify`
/// reads (no copy of its content).
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    pub seq: i64,
    pub register_id: &'a str,
    pub at: &'a str,
    pub kind: &'a str,
    pub user_id: Option<i64>,
    pub order_id: Option<i64>,
    /// As stored (canonical JSON, UTF-8 when it was written): hashed and compared as bytes.
    pub content: &'a [u8],
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

impl EntryRef<'_> {
    /// Whether the entry's hash is the one its fields give (without an allocation: `verify`
    /// checks every entry).
    pub fn hash_matches(&self) -> bool {
        let mut expected = [0_u8; 64];
        hex::encode_to_slice(self.digest(), &mut expected).is_ok()
            && expected == self.hash.as_bytes()
    }

    /// SHA-256 of the fields, as the module's comment writes them.
    fn digest(&self) -> [u8; 32] {
        let mut digits = [0_u8; 20];
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(decimal(self.seq, &mut digits));
        hasher.update(b"\n");
        for part in [self.register_id, self.at, self.kind] {
            hasher.update(part.as_bytes());
            hasher.update(b"\n");
        }
        for id in [self.user_id, self.order_id] {
            if let Some(id) = id {
                hasher.update(decimal(id, &mut digits));
            }
            hasher.update(b"\n");
        }
        hasher.update(self.content);
        hasher.finalize().into()
    }
}

/// Canonical JSON: object keys sorted at every depth, no spaces (serde_json's own writer for
/// every key and scalar), written without copying the value.
pub fn canonical(content: &serde_json::Value) -> String {
    let mut out = Vec::with_capacity(256);
    match write_sorted(content, &mut out).map(|()| String::from_utf8(out)) {
        Ok(Ok(text)) => text,
        // serde_json writes UTF-8 and a `Vec` takes every byte: not reached.
        _ => content.to_string(),
    }
}

fn write_sorted(value: &serde_json::Value, out: &mut Vec<u8>) -> serde_json::Result<()> {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut fields: Vec<(&String, &Value)> = map.iter().collect();
            fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (n, (key, item)) in fields.into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key)?;
                out.push(b':');
                write_sorted(item, out)?;
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_sorted(item, out)?;
            }
            out.push(b']');
        }
        scalar => serde_json::to_writer(&mut *out, scalar)?,
    }
    Ok(())
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

/// On the shared ledger an append takes this transaction lock on its own register's chain first
/// (the class of a two-key advisory lock, "BOXJ"; the other key is the register id's hash), so
/// two appends of one register take turns and appends of different registers do not wait for
/// each other. SQLite's IMMEDIATE transaction already is the lock.
const JOURNAL_LOCK: i32 = 0x424F_584A;

/// A row of [`SELECT_ENTRY`], its fields borrowed from the row (`verify` reads every entry: no
/// copy, no allocation per entry; the content's bytes are hashed and compared, not checked as
/// UTF-8).
pub(super) fn entry_ref<'r>(row: &'r rusqlite::Row<'_>) -> rusqlite::Result<EntryRef<'r>> {
    Ok(EntryRef {
        seq: row.get(0)?,
        register_id: str_at(row, 1)?,
        at: str_at(row, 2)?,
        kind: str_at(row, 3)?,
        user_id: row.get(4)?,
        order_id: row.get(5)?,
        content: row.get_ref(6)?.as_bytes()?,
        prev_hash: str_at(row, 7)?,
        hash: str_at(row, 8)?,
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
        // The entry's number is unique in the ledger; its link is to this register's entry before.
        let next_seq = if self.engine() == Engine::Postgres {
            db.execute(
                &format!("SELECT pg_advisory_xact_lock({JOURNAL_LOCK}, hashtext(?1))"),
                &values![register_id.as_str()],
            )?;
            "SELECT journal_next_seq()"
        } else {
            "SELECT coalesce(max(seq), 0) + 1 FROM journal"
        };
        let seq = db.query_one(next_seq, &[])?.int(0)?;
        let prev_hash = db
            .query_opt(
                "SELECT hash FROM journal WHERE register_id = ?1 ORDER BY seq DESC LIMIT 1",
                &values![register_id.as_str()],
            )?
            .map(|row| row.text(0))
            .transpose()?
            .unwrap_or_else(|| GENESIS_HASH.to_string());
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

    /// This register's newest entry, the head of its chain (the ledger's newest entry where no
    /// register is known yet), if any.
    pub fn journal_head(&self) -> Result<Option<JournalEntry>> {
        let row = match &self.register_id {
            Some(register) => self.db().query_opt(
                &format!("{SELECT_ENTRY} WHERE register_id = ?1 ORDER BY seq DESC LIMIT 1"),
                &values![register.as_str()],
            )?,
            None => self
                .db()
                .query_opt(&format!("{SELECT_ENTRY} ORDER BY seq DESC LIMIT 1"), &[])?,
        };
        row.as_ref().map(entry_from_db_row).transpose()
    }

    /// The hash of this register's first entry (names its anchor's copy beside the key file).
    pub fn journal_first_hash(&self) -> Result<Option<String>> {
        let register = self.register_id()?.to_string();
        self.db()
            .query_opt(
                "SELECT hash FROM journal WHERE register_id = ?1 ORDER BY seq LIMIT 1",
                &values![register.as_str()],
            )?
            .map(|row| row.text(0))
            .transpose()
    }
}

/// The journal's chains as a walk in `seq` order meets them: one per register, each entry linked
/// to its register's entry before it (the first to [`GENESIS_HASH`]). A ledger from before
/// version 19 with several registers (a shared ledger) is one chain across them in `seq` order up
/// to the first entry that links only to its own register's entry before it; from that entry on
/// every entry links to its register's. A ledger with one register is both at once.
#[derive(Debug, Default)]
pub struct Chains {
    /// Each register's newest entry so far: (seq, hash).
    heads: std::collections::HashMap<String, (i64, String)>,
    /// The newest entry so far of all: (seq, hash).
    last: Option<(i64, String)>,
    /// An entry linked to its register's entry and not to the one before it: the chains are
    /// per register from there on.
    per_register: bool,
}

impl Chains {
    /// What is wrong with the next entry in `seq` order: its link, or its hash against its own
    /// fields. The entry becomes its register's head either way.
    pub fn step(&mut self, entry: &EntryRef<'_>) -> Option<String> {
        let own = self
            .heads
            .get(entry.register_id)
            .map_or(GENESIS_HASH, |(_, hash)| hash.as_str());
        let before = self
            .last
            .as_ref()
            .map_or(GENESIS_HASH, |(_, hash)| hash.as_str());
        let problem = if entry.prev_hash == own {
            if own != before {
                self.per_register = true;
            }
            None
        } else if !self.per_register && entry.prev_hash == before {
            None
        } else {
            let expected = self.last.as_ref().map_or(1, |(seq, _)| seq + 1);
            Some(if entry.seq != expected {
                format!(
                    "entry {expected} is missing (the chain jumps to {})",
                    entry.seq
                )
            } else {
                "does not link to the entry before it".to_string()
            })
        };
        let problem = problem.or_else(|| {
            (!entry.hash_matches())
                .then(|| format!("its hash does not match its content ({})", entry.kind))
        });
        // The heads' buffers are reused: no allocation per entry.
        let overwrite = |(seq, hash): &mut (i64, String)| {
            *seq = entry.seq;
            hash.clear();
            hash.push_str(entry.hash);
        };
        match self.heads.get_mut(entry.register_id) {
            Some(head) => overwrite(head),
            None => {
                let head = (entry.seq, entry.hash.to_string());
                self.heads.insert(entry.register_id.to_string(), head);
            }
        }
        match &mut self.last {
            Some(last) => overwrite(last),
            None => self.last = Some((entry.seq, entry.hash.to_string())),
        }
        problem
    }

    /// A register's newest entry so far: (seq, hash).
    pub fn head(&self, register: &str) -> Option<&(i64, String)> {
        self.heads.get(register)
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
        // Keys and strings escaped as serde_json writes them; numbers and booleans as there.
        let value = serde_json::json!({"ö\"k": "ä \"x\"\n\u{1}", "n": -12.5, "t": true, "e": []});
        assert_eq!(
            canonical(&value),
            r#"{"e":[],"n":-12.5,"t":true,"ö\"k":"ä \"x\"\n\u0001"}"#
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
        let mut sealed = entry.clone();
        sealed.hash = base.clone();
        assert!(sealed.as_ref().hash_matches());
        sealed.user_id = None;
        assert!(
            !sealed.as_ref().hash_matches(),
            "an absent id hashes as empty, not as the id"
        );
        sealed.user_id = Some(-1);
        assert!(!sealed.as_ref().hash_matches());
        let mut changed = entry.clone();
        changed.order_id = Some(3);
        assert_ne!(changed.expected_hash(), base);
        let mut changed = entry;
        changed.at.push('Z');
        assert_ne!(changed.expected_hash(), base);
    }

    /// An entry of `register` linked to `prev`, with its own hash.
    fn linked(seq: i64, register: &str, prev: &str) -> JournalEntry {
        let mut entry = JournalEntry {
            seq,
            register_id: register.into(),
            at: "2026-12-01T10:00:00.000+02:00".into(),
            kind: "sale".into(),
            user_id: None,
            order_id: Some(seq),
            content: "{}".into(),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        entry.hash = entry.expected_hash();
        entry
    }

    fn walk(entries: &[JournalEntry]) -> Vec<Option<String>> {
        let mut chains = Chains::default();
        entries
            .iter()
            .map(|entry| chains.step(&entry.as_ref()))
            .collect()
    }

    #[test]
    fn each_register_chains_to_its_own_entry_before() {
        let a1 = linked(1, "A", GENESIS_HASH);
        let b2 = linked(2, "B", GENESIS_HASH);
        let a4 = linked(4, "A", &a1.hash); // 3 was rolled back: a gap between registers
        let b5 = linked(5, "B", &b2.hash);
        let entries = [a1.clone(), b2.clone(), a4.clone(), b5];
        assert!(
            walk(&entries).iter().all(Option::is_none),
            "{:?}",
            walk(&entries)
        );
        // A's entry 4 deleted: B's chain still holds, A's head is entry 1 (the anchor's part).
        let mut chains = Chains::default();
        for entry in [&a1, &b2] {
            assert_eq!(chains.step(&entry.as_ref()), None);
        }
        assert_eq!(chains.head("A").map(|(seq, _)| *seq), Some(1));
        // A's entry 1 deleted: entry 4 links to nothing there is.
        let found = walk(&[b2.clone(), a4.clone()]);
        assert_eq!(
            found[1].as_deref(),
            Some("entry 3 is missing (the chain jumps to 4)")
        );
        // An entry linked to the entry before it of another register, once chains are per register.
        let wrong = linked(6, "A", &entries[3].hash);
        let found = walk(&[
            entries[0].clone(),
            entries[1].clone(),
            entries[2].clone(),
            entries[3].clone(),
            wrong,
        ]);
        assert_eq!(
            found[4].as_deref(),
            Some("does not link to the entry before it")
        );
    }

    #[test]
    fn a_ledger_chained_across_registers_before_version_19_still_verifies_and_deletions_show() {
        // Before version 19 every entry linked to the one before it, whichever register's.
        let a1 = linked(1, "A", GENESIS_HASH);
        let b2 = linked(2, "B", &a1.hash);
        let a3 = linked(3, "A", &b2.hash);
        // From version 19 on: each register's entry links to its own register's last one.
        let b4 = linked(4, "B", &b2.hash);
        let a5 = linked(5, "A", &a3.hash);
        let entries = [a1.clone(), b2.clone(), a3.clone(), b4.clone(), a5.clone()];
        assert!(
            walk(&entries).iter().all(Option::is_none),
            "{:?}",
            walk(&entries)
        );
        // A one-register ledger is the same chain either way (an old SQLite ledger).
        let one = [linked(1, "A", GENESIS_HASH)];
        let two = linked(2, "A", &one[0].hash);
        assert!(walk(&[one[0].clone(), two]).iter().all(Option::is_none));
        // An old entry deleted: the next one links to it and to nothing else.
        let found = walk(&[a1.clone(), a3.clone()]);
        assert_eq!(
            found[1].as_deref(),
            Some("entry 2 is missing (the chain jumps to 3)")
        );
        // After the first entry chained per register, the old rule no longer applies.
        let global_only = linked(6, "B", &a5.hash);
        let found = walk(&[a1, b2, a3, b4, a5, global_only]);
        assert_eq!(
            found[5].as_deref(),
            Some("does not link to the entry before it")
        );
        // A changed entry: its hash no longer matches.
        let mut changed = linked(1, "A", GENESIS_HASH);
        changed.content = "{\"total\":1}".into();
        assert_eq!(
            walk(&[changed])[0].as_deref(),
            Some("its hash does not match its content (sale)")
        );
    }
}
