//! Secrets (SMTP passwords, DKIM private keys) kept out of the ledger and out of the logs.
//!
//! [`SecretStore`] is the small trait the rest of the program uses. Headless Linux has no OS
//! keyring, so the store here is [`EncryptedFileStore`], encrypted at rest:
//!
//! * the key: 32 random bytes, hex, in a key file **outside** the data directory
//!   (`BOXOFFICE_KEY_FILE`, default `<OS config dir>/boxoffice/secret-store.key`), created with
//!   mode 0600 on first use;
//! * the store: `secrets.json` in the data directory, `{name: base64(nonce ‖ ciphertext ‖ tag)}`,
//!   each value sealed with ChaCha20-Poly1305 under a fresh random 96-bit nonce and the secret's
//!   name as associated data (a value moved to another name does not open).
//!
//! Copying the data directory alone (a backup, a support report) therefore carries no usable secret.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// File name of the encrypted store inside the data directory.
pub const STORE_FILE: &str = "secrets.json";
const NONCE_BYTES: usize = 12;

/// A secret value: never printed by `Debug`, so it cannot slip into a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the secret store {path} cannot be read or written ({source})")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the secret store key {path} is damaged (expected 64 hex digits)")]
    BadKey { path: PathBuf },
    #[error(
        "the secret '{name}' does not open with this key: the store or the key file was replaced or damaged; enter the password again"
    )]
    Undecryptable { name: String },
    #[error("the secret store {path} is damaged ({detail})")]
    Damaged { path: PathBuf, detail: String },
}

pub trait SecretStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError>;
    fn put(&mut self, name: &str, value: &Secret) -> Result<(), SecretError>;
}

/// The documented encrypted-file store (see the module comment).
/// Key files given per data directory by the program embedding the services in this process.
static KEY_FILES: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());

/// In this process, the secret store of `data_dir` uses `key_file` (instead of
/// `BOXOFFICE_KEY_FILE` or the default). For tests and programs that run several counters in
/// one process (each test's counter has its own key file, never the user's own); the binary
/// never calls it.
pub fn use_key_file_for(data_dir: &Path, key_file: &Path) {
    if let Ok(mut files) = KEY_FILES.lock() {
        files.retain(|(dir, _)| dir != data_dir);
        files.push((data_dir.to_path_buf(), key_file.to_path_buf()));
    }
}

#[derive(Debug, Clone)]
pub struct EncryptedFileStore {
    store_path: PathBuf,
    key_path: PathBuf,
}

impl EncryptedFileStore {
    /// The store of a data directory with the key file from `BOXOFFICE_KEY_FILE` or the OS config
    /// dir (or one given by [`use_key_file_for`] for this data directory in this process).
    pub fn for_data_dir(data_dir: &Path) -> EncryptedFileStore {
        let given = KEY_FILES.lock().ok().and_then(|files| {
            files
                .iter()
                .find(|(dir, _)| dir == data_dir)
                .map(|(_, key)| key.clone())
        });
        let key_path = given
            .or_else(|| std::env::var_os("BOXOFFICE_KEY_FILE").map(PathBuf::from))
            .unwrap_or_else(|| {
                dirs::config_dir()
                    .unwrap_or_else(|| PathBuf::from("."))
                    .join("boxoffice")
                    .join("secret-store.key")
            });
        EncryptedFileStore::new(data_dir.join(STORE_FILE), key_path)
    }

    pub fn new(store_path: PathBuf, key_path: PathBuf) -> EncryptedFileStore {
        EncryptedFileStore {
            store_path,
            key_path,
        }
    }

    fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SecretError + '_ {
        move |source| SecretError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The key, created on first use.
    fn key(&self, create: bool) -> Result<Option<[u8; 32]>, SecretError> {
        match std::fs::read_to_string(&self.key_path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|_| SecretError::BadKey {
                    path: self.key_path.clone(),
                })?;
                let key: [u8; 32] = bytes.try_into().map_err(|_| SecretError::BadKey {
                    path: self.key_path.clone(),
                })?;
                Ok(Some(key))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && create => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).map_err(|e| SecretError::Io {
                    path: self.key_path.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
                if let Some(dir) = self.key_path.parent() {
                    std::fs::create_dir_all(dir).map_err(Self::io_error(dir))?;
                }
                // Written whole under a private name, then linked into place: two processes
                // starting at once never see half a key, and the second one takes the first's.
                let temporary = self
                    .key_path
                    .with_extension(format!("new-{}", std::process::id()));
                write_private(&temporary, hex::encode(key).as_bytes())
                    .map_err(Self::io_error(&temporary))?;
                let linked = std::fs::hard_link(&temporary, &self.key_path);
                // A temporary file left behind is harmless; the link decides.
                std::fs::remove_file(&temporary).ok();
                match linked {
                    Ok(()) => Ok(Some(key)),
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                        self.key(false)
                    }
                    Err(error) => Err(Self::io_error(&self.key_path)(error)),
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Self::io_error(&self.key_path)(error)),
        }
    }

    /// A 32-byte key for one `purpose` (the PIN pepper, the journal anchor), derived from the
    /// store's key with HMAC-SHA-256, so the one key file outside the data directory keys them
    /// all. With `create`, a missing key file is made; without, a missing one gives `None`.
    pub fn derived_key(
        &self,
        purpose: &str,
        create: bool,
    ) -> Result<Option<[u8; 32]>, SecretError> {
        Ok(self.key(create)?.map(|key| {
            crate::domain::mac::hmac_sha256(&key, format!("boxoffice/{purpose}").as_bytes())
        }))
    }

    /// Where the key file is (for messages).
    pub fn key_path(&self) -> &Path {
        &self.key_path
    }

    fn entries(&self) -> Result<BTreeMap<String, String>, SecretError> {
        match std::fs::read_to_string(&self.store_path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| SecretError::Damaged {
                path: self.store_path.clone(),
                detail: e.to_string(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(error) => Err(Self::io_error(&self.store_path)(error)),
        }
    }
}

impl SecretStore for EncryptedFileStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        let entries = self.entries()?;
        let Some(sealed) = entries.get(name) else {
            return Ok(None);
        };
        let undecryptable = || SecretError::Undecryptable {
            name: name.to_string(),
        };
        let key = self.key(false)?.ok_or_else(undecryptable)?;
        let bytes = BASE64.decode(sealed).map_err(|_| undecryptable())?;
        if bytes.len() < NONCE_BYTES {
            return Err(undecryptable());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| undecryptable())?;
        String::from_utf8(plain)
            .map(|text| Some(Secret(text)))
            .map_err(|_| undecryptable())
    }

    fn put(&mut self, name: &str, value: &Secret) -> Result<(), SecretError> {
        let key = self.key(true)?.expect("created when missing");
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| SecretError::Io {
            path: self.key_path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
        let ciphertext = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: value.expose().as_bytes(),
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Undecryptable {
                name: name.to_string(),
            })?;
        let mut sealed = nonce.to_vec();
        sealed.extend(ciphertext);
        let mut entries = self.entries()?;
        entries.insert(name.to_string(), BASE64.encode(sealed));
        let text = serde_json::to_string_pretty(&entries).expect("a map of strings serialises");
        let temporary = self.store_path.with_extension("tmp");
        write_private(&temporary, text.as_bytes()).map_err(Self::io_error(&temporary))?;
        std::fs::rename(&temporary, &self.store_path).map_err(Self::io_error(&self.store_path))
    }
}

/// Writes a file only its owner can read (on Unix), synced before returning.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> EncryptedFileStore {
        EncryptedFileStore::new(dir.join("data/secrets.json"), dir.join("key/k.key"))
    }

    #[test]
    fn round_trips_and_never_stores_plain_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        let mut secrets = store(dir.path());
        assert_eq!(secrets.get("smtp:a").unwrap(), None);
        secrets.put("smtp:a", &Secret::new("hunter2-päss")).unwrap();
        secrets.put("smtp:b", &Secret::new("other")).unwrap();
        assert_eq!(
            secrets.get("smtp:a").unwrap().unwrap().expose(),
            "hunter2-päss"
        );
        let on_disk = std::fs::read_to_string(dir.path().join("data/secrets.json")).unwrap();
        assert!(!on_disk.contains("hunter2"), "{on_disk}");
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(…)");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("key/k.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_value_moved_to_another_name_or_another_key_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        let mut secrets = store(dir.path());
        secrets.put("smtp:a", &Secret::new("one")).unwrap();
        let path = dir.path().join("data/secrets.json");
        let mut entries: BTreeMap<String, String> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let sealed = entries["smtp:a"].clone();
        entries.insert("smtp:b".into(), sealed);
        std::fs::write(&path, serde_json::to_string(&entries).unwrap()).unwrap();
        assert!(matches!(
            secrets.get("smtp:b"),
            Err(SecretError::Undecryptable { .. })
        ));
        // Another machine's key (the data directory copied without the key file).
        std::fs::write(dir.path().join("key/k.key"), hex::encode([7u8; 32])).unwrap();
        assert!(matches!(
            secrets.get("smtp:a"),
            Err(SecretError::Undecryptable { .. })
        ));
    }
}
