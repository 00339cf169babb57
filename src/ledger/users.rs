//! Users: role, PIN hash (argon2id PHC string), language, failed-PIN counter and lock.

use crate::domain::Role;
use crate::domain::ids::UserId;
use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub pin_hash: String,
    pub lang: String,
    pub active: bool,
    pub failed_pins: i64,
    pub locked_until: Option<String>,
}

const SELECT_USER: &str =
    "SELECT id, name, role, pin_hash, lang, active, failed_pins, locked_until FROM users";

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: row.get(0)?,
        name: row.get(1)?,
        role: row.get(2)?,
        pin_hash: row.get(3)?,
        lang: row.get(4)?,
        active: row.get(5)?,
        failed_pins: row.get(6)?,
        locked_until: row.get(7)?,
    })
}

impl Tx<'_> {
    pub fn insert_user(
        &mut self,
        name: &str,
        role: &str,
        pin_hash: &str,
        lang: &str,
    ) -> Result<UserId> {
        self.tx.execute(
            "INSERT INTO users (name, role, pin_hash, lang) VALUES (?1, ?2, ?3, ?4)",
            params![name, role, pin_hash, lang],
        )?;
        Ok(UserId(self.tx.last_insert_rowid()))
    }

    pub fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("{SELECT_USER} WHERE name = ?1"),
                [name],
                user_from_row,
            )
            .optional()?)
    }

    pub fn user_by_id(&self, user_id: UserId) -> Result<Option<UserRow>> {
        Ok(self
            .tx
            .prepare_cached(&format!("{SELECT_USER} WHERE id = ?1"))?
            .query_row([user_id], user_from_row)
            .optional()?)
    }

    pub fn all_users(&self) -> Result<Vec<UserRow>> {
        let mut statement = self
            .tx
            .prepare_cached(&format!("{SELECT_USER} ORDER BY name"))?;
        let rows = statement.query_map([], user_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A new PIN also clears the failed-PIN counter and any lock.
    pub fn set_user_pin_hash(&mut self, user_id: UserId, pin_hash: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET pin_hash = ?2, failed_pins = 0, locked_until = NULL WHERE id = ?1",
            params![user_id, pin_hash],
        )?;
        Ok(())
    }

    pub fn set_user_active(&mut self, user_id: UserId, active: bool) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET active = ?2 WHERE id = ?1",
            params![user_id, active],
        )?;
        Ok(())
    }

    pub fn active_users(&self) -> Result<Vec<UserRow>> {
        let mut statement = self
            .tx
            .prepare_cached(&format!("{SELECT_USER} WHERE active = 1 ORDER BY id"))?;
        let rows = statement.query_map([], user_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores the failed-PIN counter and the lock after a wrong PIN.
    pub fn set_pin_failures(
        &mut self,
        user_id: UserId,
        failed_pins: i64,
        locked_until: Option<&str>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET failed_pins = ?2, locked_until = ?3 WHERE id = ?1",
            params![user_id, failed_pins, locked_until],
        )?;
        Ok(())
    }

    pub fn set_user_lang(&mut self, user_id: UserId, lang: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET lang = ?2 WHERE id = ?1",
            params![user_id, lang],
        )?;
        Ok(())
    }
}
