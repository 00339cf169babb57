//! Logging in: the PIN check with its count of wrong PINs and the lock, the PIN pepper (a key
//! outside the data directory), hashing and verifying PINs.

use crate::domain::JournalKind;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};

use super::services::random_bytes;
use super::{AdminError, AppError, Services, Session};
use crate::domain::ids::UserId;
use crate::i18n::Lang;
use crate::ledger::Ledger;

/// Wrong PINs in a row before the user is locked, and for how long.
pub const MAX_PIN_FAILURES: i64 = 5;
pub const PIN_LOCK_SECS: i64 = 60;

impl Services {
    /// Checks a user's PIN. Wrong PINs are counted; five in a row lock the user for a minute.
    pub fn login(&mut self, name: &str, pin: &str) -> Result<Session, AppError> {
        // A PC joining the shared ledger logs its admin in before it is a register.
        if !self.ledger_mut().is_shared() {
            self.ledger_mut().register_id()?;
        }
        let user = self
            .ledger_mut()
            .read(|tx| tx.user_by_name(name.trim()))?
            .filter(|user| user.active)
            .ok_or(AppError::Admin(AdminError::UnknownUser))?;
        let now = Utc::now();
        if let Some(until) = user
            .locked_until
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        {
            let seconds = (until.with_timezone(&Utc) - now).num_seconds();
            if seconds > 0 {
                return Err(AppError::Admin(AdminError::UserLocked { seconds }));
            }
        }
        let pepper = if is_unpeppered(&user.pin_hash) {
            None
        } else {
            Some(self.existing_pin_pepper()?)
        };
        if verify_pin(&user.pin_hash, pepper.as_ref(), pin) {
            if user.failed_pins != 0 || user.locked_until.is_some() {
                self.set_pin_failures(user.id, 0, None)?;
            }
            if is_unpeppered(&user.pin_hash) {
                // A hash from before the pepper: replaced now that the PIN is known. Best
                // effort (a read-only ledger keeps the old hash, which still verifies).
                if let Err(error) = self.pepper_pin(user.id, &user.name, pin) {
                    tracing::warn!(%error, user = %user.name, "could not pepper the PIN hash");
                }
            }
            let role = user.role;
            return Ok(Session {
                user_id: user.id,
                name: user.name,
                role,
                lang: Lang::from_code(&user.lang).unwrap_or_default(),
            });
        }
        let failures = user.failed_pins + 1;
        if failures >= MAX_PIN_FAILURES {
            let until = (now + Duration::seconds(PIN_LOCK_SECS)).to_rfc3339();
            self.set_pin_failures(user.id, 0, Some(&until))?;
            tracing::warn!(user = %user.name, "user locked after {MAX_PIN_FAILURES} wrong PINs");
            return Err(AppError::Admin(AdminError::UserLocked {
                seconds: PIN_LOCK_SECS,
            }));
        }
        self.set_pin_failures(user.id, failures, None)?;
        Err(AppError::Admin(AdminError::WrongPin {
            attempts_left: MAX_PIN_FAILURES - failures,
        }))
    }

    /// Writes a user's failed-PIN count and lock. A read command's ledger is read-only, but a
    /// wrong PIN given to it still counts (else a read command would be a way to guess PINs
    /// without ever being locked): the count goes through a writable connection opened for it.
    /// Where nothing can be written (a read-only data directory) it cannot be stored.
    fn set_pin_failures(
        &mut self,
        user_id: UserId,
        failures: i64,
        until: Option<&str>,
    ) -> Result<(), AppError> {
        if !self.ledger_mut().is_read_only() {
            return Ok(self
                .ledger_mut()
                .transact(|tx| tx.set_pin_failures(user_id, failures, until))?);
        }
        let stored = Ledger::open(self.data_dir()).and_then(|mut writable| {
            writable.transact(|tx| tx.set_pin_failures(user_id, failures, until))
        });
        if let Err(error) = stored {
            tracing::warn!(%error, "the failed-PIN count cannot be stored (read-only data directory)");
        }
        Ok(())
    }

    /// The PIN pepper: a key derived from the secret store's key file, which lives outside the
    /// data directory (made on first use).
    pub(super) fn pin_pepper(&self) -> Result<[u8; 32], AppError> {
        self.secret_store()
            .derived_key("pin-pepper", true)
            .map_err(|e| AppError::Admin(AdminError::SecretStoreFailed(e)))?
            .ok_or_else(|| AppError::Admin(AdminError::SecretStore("no key file".into())))
    }

    /// The pepper for checking a peppered hash: a missing key file is an error that says so
    /// (not a wrong PIN, and not counted as one).
    fn existing_pin_pepper(&self) -> Result<[u8; 32], AppError> {
        let store = self.secret_store();
        store
            .derived_key("pin-pepper", false)
            .map_err(|e| AppError::Admin(AdminError::SecretStoreFailed(e)))?
            .ok_or_else(|| {
                AppError::Admin(AdminError::SecretStore(format!(
                    "the key file {} is missing, and the PINs of this counter cannot be checked without it; restore it from the backup (or point BOXOFFICE_KEY_FILE at it)",
                    store.key_path().display()
                )))
            })
    }

    /// Replaces an unpeppered PIN hash with a peppered one (journaled; no PIN in the journal).
    fn pepper_pin(&mut self, user_id: UserId, name: &str, pin: &str) -> Result<(), AppError> {
        let pin_hash = hash_pin(&self.pin_pepper()?, pin);
        self.ledger_mut().transact(|tx| {
            tx.set_user_pin_hash(user_id, &pin_hash)?;
            let content = serde_json::json!({"user_id": user_id, "name": name});
            tx.append_journal(JournalKind::UserPinPeppered, Some(user_id), None, &content)?;
            Ok(())
        })
    }
}

/// How a peppered PIN hash begins: `pepper1$` and then the argon2id PHC string of
/// HMAC-SHA-256(pepper, PIN). A hash without it is from before the pepper (a plain argon2id PHC
/// string of the PIN): it still verifies, and the next successful login replaces it.
const PEPPERED: &str = "pepper1$";

/// The PIN keyed with the pepper (a secret outside the data directory), then argon2id with the
/// crate's default (OWASP) parameters: a copied ledger alone cannot test a single guess.
pub(super) fn hash_pin(pepper: &[u8; 32], pin: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
    let keyed = crate::domain::mac::hmac_sha256(pepper, pin.as_bytes());
    let phc = Argon2::default()
        .hash_password(&keyed, &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string();
    format!("{PEPPERED}{phc}")
}

/// Whether `stored` is a hash from before the pepper.
pub(super) fn is_unpeppered(stored: &str) -> bool {
    !stored.starts_with(PEPPERED)
}

/// Checks a PIN against a stored hash: a peppered one needs the pepper (`None`: never matches).
pub(super) fn verify_pin(stored: &str, pepper: Option<&[u8; 32]>, pin: &str) -> bool {
    let (phc, keyed) = match stored.strip_prefix(PEPPERED) {
        Some(phc) => match pepper {
            Some(pepper) => (
                phc,
                crate::domain::mac::hmac_sha256(pepper, pin.as_bytes()).to_vec(),
            ),
            None => return false,
        },
        None => (stored, pin.as_bytes().to_vec()),
    };
    PasswordHash::new(phc)
        .map(|hash| Argon2::default().verify_password(&keyed, &hash).is_ok())
        .unwrap_or(false)
}
