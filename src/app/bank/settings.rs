//! The bank contract (merchant, contract, URLs) and the secret keys with their activation
//! dates: saved by an admin, read back as the `BankConfig` the payments sign with.

use chrono::NaiveDate;

use super::{DEMO_BANK, now_text, parse_date};
use crate::app::services::{Session, require};
use crate::app::{AdminError, AppError, BankError, Services};
use crate::domain::Permission;
use crate::ledger::{BankSettingsRow, LedgerError};
use crate::mail::secrets::{Secret, SecretStore};
use crate::payments::keys::KeyRing;

/// The bank contract and the keys, as the services need them.
#[derive(Debug, Clone)]
pub struct BankConfig {
    pub settings: BankSettingsRow,
    pub keys: KeyRing,
}

impl BankConfig {
    /// The key that signs on `date`.
    pub fn signing_key(&self, date: NaiveDate) -> Result<String, AppError> {
        self.keys
            .in_force(date)
            .map(str::to_string)
            .ok_or(AppError::Bank(BankError::BankNotConfigured))
    }
}

/// A bank key's name in the secret store.
pub(in crate::app) fn bank_key_secret_name(valid_from: &str) -> String {
    format!("bank-key:{valid_from}")
}

impl Services {
    /// The bank settings and keys, or a sentence saying what is missing.
    pub fn bank_config(&mut self) -> Result<BankConfig, AppError> {
        let (settings, keys) = self
            .ledger_mut()
            .read(|tx| Ok::<_, LedgerError>((tx.bank_settings()?, tx.bank_keys()?)))?;
        if settings.is_none()
            && let Some(demo) = DEMO_BANK.get()
        {
            return Ok(demo.clone());
        }
        let settings = settings.ok_or(AppError::Bank(BankError::BankNotConfigured))?;
        let store = self.secret_store();
        let mut ring = Vec::new();
        for key in keys {
            let Some(date) = parse_date(&key.valid_from) else {
                continue;
            };
            let secret = store
                .get(&key.secret_name)
                .map_err(|e| AppError::Admin(AdminError::SecretStoreFailed(e)))?
                .ok_or_else(|| {
                    AppError::Admin(AdminError::SecretStore(format!(
                        "the bank key of {} is missing from it: add the key again (`boxoffice bank key add`)",
                        key.valid_from
                    )))
                })?;
            ring.push((date, secret.expose().to_string()));
        }
        let keys = KeyRing::new(ring);
        if keys.is_empty() {
            return Err(AppError::Bank(BankError::BankNotConfigured));
        }
        Ok(BankConfig { settings, keys })
    }

    /// The stored settings even without keys (for the settings screen).
    pub fn bank_settings(&mut self) -> Result<Option<BankSettingsRow>, AppError> {
        Ok(self.ledger_mut().read(|tx| tx.bank_settings())?)
    }

    /// Saves the bank contract (settings permission), journaled without secrets.
    pub fn set_bank_settings(
        &mut self,
        session: &Session,
        settings: &BankSettingsRow,
    ) -> Result<(), AppError> {
        if settings.merchant.len() != 12 || !settings.merchant.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::Bank(BankError::BadBankSetting(format!(
                "merchant number '{}' (12 digits)",
                settings.merchant
            ))));
        }
        if settings.contract.len() != 6 || !settings.contract.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::Bank(BankError::BadBankSetting(format!(
                "contract number '{}' (6 digits)",
                settings.contract
            ))));
        }
        for url in [&settings.payment_url, &settings.query_url]
            .into_iter()
            .chain(settings.payment_url_alt.iter())
            .chain(settings.query_url_alt.iter())
        {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(AppError::Bank(BankError::BadBankSetting(format!(
                    "URL '{url}'"
                ))));
            }
        }
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Settings, "bank settings")?;
            tx.set_bank_settings(settings, session.user_id, &now)?;
            Ok::<_, AppError>(())
        })
    }

    /// Adds a secret key taking effect on `valid_from` (settings permission).
    pub fn add_bank_key(
        &mut self,
        session: &Session,
        valid_from: NaiveDate,
        secret: &str,
    ) -> Result<(), AppError> {
        let secret = secret.trim();
        if secret.len() < 16 || !secret.is_ascii() || secret.contains('&') {
            return Err(AppError::Bank(BankError::BadBankSetting(
                "secret key (the bank's key is 64 ASCII characters)".into(),
            )));
        }
        self.ledger_mut()
            .read(|tx| require(tx, session, Permission::Settings, "bank settings"))?;
        // The key goes to the secret store first: the ledger row names it, never holds it.
        let valid_from = valid_from.to_string();
        let secret_name = bank_key_secret_name(&valid_from);
        self.secret_store()
            .put(&secret_name, &Secret::new(secret))
            .map_err(|e| AppError::Admin(AdminError::SecretStoreFailed(e)))?;
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Settings, "bank settings")?;
            tx.add_bank_key(&valid_from, &secret_name, session.user_id, &now)?;
            Ok::<_, AppError>(())
        })
    }
}
