//! The journal anchor: the head of this register's chain (sequence number and hash) written
//! outside the database after every batch of operations, authenticated with HMAC-SHA-256 under a key kept
//! outside the data directory (derived from the secret store's key file).
//!
//! Two copies: `journal-anchor.json` beside the ledger (`shared-anchor.json` in the data
//! directory on the shared ledger), and `anchors/[shared-]<register id>-<start of the register's
//! first entry's hash>.json` beside the key file. Each register anchors its own chain. Whoever can rewrite the ledger and the data directory can cut the journal's
//! tail and recompute every hash, but cannot make an anchor that authenticates, and cannot
//! reach the copy beside the key file to put back an older one. `verify` takes the newest
//! authentic anchor and refuses a chain that does not reach it; an anchor whose MAC does not
//! match is named as rewritten and is never overwritten (it is the evidence).

use std::path::{Path, PathBuf};

use crate::domain::mac::{constant_time_eq, hmac_sha256};

use super::{Ledger, create_private, restrict_to_owner};

/// How the program anchors this ledger (set by the application; a bare ledger has none).
#[derive(Clone)]
pub struct AnchorSetup {
    /// The MAC key (`None`: the key file is missing: authentic anchors cannot be checked).
    pub key: Option<[u8; 32]>,
    /// The directory of the second copy, outside the data directory.
    pub mirror_dir: Option<PathBuf>,
}

impl std::fmt::Debug for AnchorSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnchorSetup")
            .field("mirror_dir", &self.mirror_dir)
            .finish_non_exhaustive()
    }
}

/// The anchored head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    /// The file it was read from.
    pub path: PathBuf,
}

fn mac(key: &[u8; 32], register: &str, seq: i64, hash: &str) -> String {
    hex::encode(hmac_sha256(
        key,
        format!("boxoffice-anchor-v1\n{register}\n{seq}\n{hash}").as_bytes(),
    ))
}

impl Ledger {
    /// Anchors are written and checked with this setup from now on.
    pub fn set_anchor_setup(&mut self, setup: AnchorSetup) {
        self.anchor = Some(setup);
    }

    /// Where this register's journal head is anchored beside the ledger: `journal-anchor.json`
    /// beside the SQLite file; on the shared ledger `shared-anchor.json` in the data directory
    /// (the register's own PC; a counter copied up keeps its SQLite anchor beside it).
    pub fn anchor_path(&self) -> PathBuf {
        self.anchor_file.clone()
    }

    /// The anchor beside the ledger, and its copy beside the key file: named by the register
    /// and the start of its chain's first hash, so two ledgers never share a copy (register ids
    /// are short and random; one key directory serves every ledger of the account; the shared
    /// ledger's copies start with `shared-`, apart from the SQLite ledger a counter was copied
    /// up from).
    fn anchor_paths(&mut self) -> Vec<PathBuf> {
        let mut paths = vec![self.anchor_path()];
        if let (Some(setup), Some(register)) = (self.anchor.clone(), self.register_id.clone())
            && let Some(dir) = &setup.mirror_dir
        {
            let first = self.read(|tx| tx.journal_first_hash()).ok().flatten();
            if let Some(first) = first {
                let start = first.get(..16).unwrap_or(&first);
                let shared = if self.is_shared() { "shared-" } else { "" };
                paths.push(dir.join(format!("{shared}{register}-{start}.json")));
            }
        }
        paths
    }

    /// The newest anchor that authenticates, `None` when there is none, or a sentence naming an
    /// anchor that does not authenticate (rewritten, or another register's).
    pub fn read_anchor(&mut self) -> std::result::Result<Option<Anchor>, String> {
        let key = self.anchor.as_ref().and_then(|setup| setup.key);
        let register = self.register_id.clone().unwrap_or_default();
        let register = register.as_str();
        let mut newest: Option<Anchor> = None;
        for path in self.anchor_paths() {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => {
                    return Err(format!(
                        "the journal anchor {} cannot be read ({error})",
                        path.display()
                    ));
                }
            };
            let rewritten = |why: &str| {
                format!(
                    "the journal anchor {} {why}: it was rewritten, or the key file is not this counter's",
                    path.display()
                )
            };
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|_| rewritten("is not an anchor"))?;
            let (Some(seq), Some(hash)) = (value["seq"].as_i64(), value["hash"].as_str()) else {
                return Err(rewritten("is not an anchor"));
            };
            match (value["mac"].as_str(), key) {
                (Some(found), Some(key)) => {
                    if value["register"].as_str() != Some(register) {
                        return Err(rewritten("belongs to another register"));
                    }
                    let expected = mac(&key, register, seq, hash);
                    if !constant_time_eq(found.as_bytes(), expected.as_bytes()) {
                        return Err(rewritten("does not match its MAC"));
                    }
                }
                (Some(_), None) => {
                    return Err(format!(
                        "the journal anchor {} cannot be checked: the key file is missing (restore it, or point BOXOFFICE_KEY_FILE at it)",
                        path.display()
                    ));
                }
                // An anchor from before authentication (written at a Z report): its position
                // is still checked; the next write replaces it with an authenticated one.
                (None, _) => {}
            }
            if newest.as_ref().is_none_or(|n| seq > n.seq) {
                newest = Some(Anchor {
                    seq,
                    hash: hash.to_string(),
                    path,
                });
            }
        }
        Ok(newest)
    }

    /// Whether this ledger must have an anchor (the application anchors every batch).
    pub(super) fn anchor_required(&self) -> bool {
        self.anchor
            .as_ref()
            .is_some_and(|setup| setup.key.is_some())
    }

    /// Writes the journal head to both anchor files, authenticated, atomically (write, sync,
    /// rename); a file that already says the same is left alone. An anchor that does not
    /// authenticate, or names an entry the journal no longer has with that hash, is left in
    /// place as evidence and the write refused: `verify` then names it.
    pub fn write_anchor(&mut self) -> std::io::Result<()> {
        if self.read_only {
            return Ok(());
        }
        // One writer at a time in this process (the service thread, its anchor thread, the mail
        // sender and background sales each hold a connection): a writer that read an older
        // head can never put its anchor over a newer one written meanwhile.
        let _one_writer = ANCHOR_WRITERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(key) = self.anchor.as_ref().and_then(|setup| setup.key) else {
            return Ok(());
        };
        let Some(register) = self.register_id.clone() else {
            return Ok(());
        };
        let existing = self.read_anchor().map_err(std::io::Error::other)?;
        let (head, reached) = self
            .read(|tx| {
                let head = tx.journal_head()?;
                let reached = match &existing {
                    Some(anchor) => {
                        tx.journal_hash_at(anchor.seq)?.as_deref() == Some(&anchor.hash)
                    }
                    None => true,
                };
                Ok::<_, super::LedgerError>((head, reached))
            })
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        if !reached {
            return Err(std::io::Error::other(
                "the journal no longer reaches the anchored entry: the anchor is left as it is",
            ));
        }
        let Some(head) = head else { return Ok(()) };
        // Entries after the anchored one (normally this batch's; after a kill between a commit
        // and its anchor, those too) are anchored only when they chain from it and carry their
        // own hash: a tail changed while it was unanchored is left for `verify` to name.
        if let Some(anchor) = &existing
            && head.seq > anchor.seq
        {
            let broken = self
                .read(|tx| tx.chain_break_after(anchor.seq, &anchor.hash))
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            if let Some((seq, why)) = broken {
                return Err(std::io::Error::other(format!(
                    "journal entry {seq} after the anchored entry {} {why}: the anchor is left as it is",
                    anchor.seq
                )));
            }
        }
        let text = serde_json::json!({
            "seq": head.seq,
            "hash": head.hash,
            "at": head.at,
            "register": register,
            "mac": mac(&key, &register, head.seq, &head.hash),
        })
        .to_string();
        if let Some(Some(dir)) = self.anchor.as_ref().map(|s| s.mirror_dir.clone()) {
            std::fs::create_dir_all(&dir)?;
            restrict_to_owner(&dir, 0o700);
        }
        for path in self.anchor_paths() {
            // A copy that already names this entry or a later one (another process anchored
            // after this one read the head) is left alone: an anchor never moves back.
            let old = std::fs::read_to_string(&path).ok();
            if old.as_deref() == Some(text.as_str())
                || old.as_deref().and_then(anchored_seq) > Some(head.seq)
            {
                continue;
            }
            write_atomically(&path, &text)?;
        }
        Ok(())
    }
}

impl Ledger {
    /// Whether the journal has entries the anchor does not cover yet (a batch committed and not
    /// anchored). `false` when there is no anchor setup or nothing to anchor.
    pub fn anchor_is_behind(&mut self) -> bool {
        if self.read_only || !self.anchor_required() {
            return false;
        }
        let Ok(anchor) = self.read_anchor() else {
            return false;
        };
        let head = self
            .read(|tx| tx.journal_head())
            .ok()
            .flatten()
            .map(|entry| entry.seq);
        match (anchor, head) {
            (Some(anchor), Some(head)) => head > anchor.seq,
            (None, head) => head.is_some(),
            (Some(_), None) => false,
        }
    }
}

impl super::Tx<'_> {
    /// The first of this register's entries after entry `seq` (whose hash is `hash`) that does
    /// not chain from the register's entry before it or whose hash is not its content's:
    /// `(seq, why)`.
    fn chain_break_after(
        &self,
        seq: i64,
        hash: &str,
    ) -> super::Result<Option<(i64, &'static str)>> {
        use super::engine::{Db as _, values};
        let register = self.register_id()?.to_string();
        let mut previous_hash = hash.to_string();
        let mut broken = None;
        self.db().query_each(
            &format!(
                "{} WHERE register_id = ?1 AND seq > ?2 ORDER BY seq",
                super::journal::SELECT_ENTRY
            ),
            &values![register.as_str(), seq],
            &mut |row| {
                if broken.is_some() {
                    return Ok(());
                }
                let entry = super::journal::entry_from_db_row(row)?;
                if entry.prev_hash != previous_hash {
                    broken = Some((entry.seq, "does not chain from the entry before it"));
                } else if entry.hash != entry.expected_hash() {
                    broken = Some((entry.seq, "does not match its content"));
                }
                previous_hash = entry.hash;
                Ok(())
            },
        )?;
        Ok(broken)
    }
}

/// Serialises [`Ledger::write_anchor`] within the process.
static ANCHOR_WRITERS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The entry number an anchor file names (`None` when it names none).
fn anchored_seq(text: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(text).ok()?["seq"].as_i64()
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    // One temporary file per write: two processes, or two threads of one, anchoring at once
    // never write into (or rename away) each other's file.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let temporary = path.with_extension(format!(
        "tmp-{}-{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let mut file = create_private(&temporary)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}
