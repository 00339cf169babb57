//! User management: add, list, set PIN, disable. Admins only (a user may change their own PIN).

use crate::app::AdminError;
use crate::domain::JournalKind;
use serde::Serialize;

use super::login::hash_pin;
use super::services::require;
use super::{AppError, Services, Session};
use crate::domain::roles::valid_pin;
use crate::domain::{Permission, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    pub name: String,
    pub role: Role,
    pub lang: String,
    pub active: bool,
    pub locked: bool,
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
}

impl Services {
    pub fn add_user(
        &mut self,
        session: &Session,
        name: &str,
        role: &str,
        pin: &str,
    ) -> Result<(), AppError> {
        let role = Role::from_code(role)
            .ok_or_else(|| AppError::Admin(AdminError::UnknownRole(role.to_string())))?;
        if !valid_name(name) {
            return Err(AppError::Admin(AdminError::InvalidUserName(
                name.to_string(),
            )));
        }
        if !valid_pin(pin) {
            return Err(AppError::Admin(AdminError::InvalidPin));
        }
        let pin_hash = hash_pin(&self.pin_pepper()?, pin);
        self.ledger_mut().transact(|tx| {
            let admin = require(tx, session, Permission::ManageUsers, "add user")?;
            if tx.user_by_name(name)?.is_some() {
                return Err(AppError::Admin(AdminError::UserExists(name.to_string())));
            }
            let id = tx.insert_user(name, role.code(), &pin_hash, "fi")?;
            let content = serde_json::json!({"user_id": id, "name": name, "role": role.code()});
            tx.append_journal(JournalKind::UserAdd, Some(admin.id), None, &content)?;
            Ok(())
        })
    }

    pub fn list_users(&mut self, session: &Session) -> Result<Vec<UserSummary>, AppError> {
        let now = chrono::Utc::now();
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::ManageUsers, "list users")?;
            Ok(tx
                .all_users()?
                .into_iter()
                .map(|user| UserSummary {
                    locked: user
                        .locked_until
                        .as_deref()
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                        .is_some_and(|until| until > now),
                    name: user.name,
                    role: user.role,
                    lang: user.lang,
                    active: user.active,
                })
                .collect())
        })
    }

    /// Sets a user's PIN (admins for anyone, every user for themself); clears a PIN lock.
    pub fn set_pin(&mut self, session: &Session, name: &str, pin: &str) -> Result<(), AppError> {
        if !valid_pin(pin) {
            return Err(AppError::Admin(AdminError::InvalidPin));
        }
        let pin_hash = hash_pin(&self.pin_pepper()?, pin);
        self.ledger_mut().transact(|tx| {
            let target = tx
                .user_by_name(name)?
                .ok_or(AppError::Admin(AdminError::UnknownUser))?;
            let by = if target.id == session.user_id {
                tx.user_by_id(session.user_id)?
                    .filter(|u| u.active)
                    .ok_or(AppError::Admin(AdminError::UnknownUser))?
            } else {
                require(
                    tx,
                    session,
                    Permission::ManageUsers,
                    "set another user's PIN",
                )?
            };
            tx.set_user_pin_hash(target.id, &pin_hash)?;
            let content = serde_json::json!({"user_id": target.id, "name": target.name});
            tx.append_journal(JournalKind::UserSetPin, Some(by.id), None, &content)?;
            Ok(())
        })
    }

    /// Disables a user: they can no longer log in. Their history stays.
    pub fn disable_user(&mut self, session: &Session, name: &str) -> Result<(), AppError> {
        self.ledger_mut().transact(|tx| {
            let admin = require(tx, session, Permission::ManageUsers, "disable user")?;
            let target = tx
                .user_by_name(name)?
                .ok_or(AppError::Admin(AdminError::UnknownUser))?;
            if target.id == admin.id {
                return Err(AppError::Admin(AdminError::CannotDisableSelf));
            }
            tx.set_user_active(target.id, false)?;
            let content = serde_json::json!({"user_id": target.id, "name": target.name});
            tx.append_journal(JournalKind::UserDisable, Some(admin.id), None, &content)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn user_names() {
        assert!(valid_name("anna.k") && valid_name("kassa-2"));
        assert!(
            !valid_name("")
                && !valid_name("Anna")
                && !valid_name("a b")
                && !valid_name(&"a".repeat(33))
        );
    }
}
