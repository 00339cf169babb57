//! Users: role, PIN hash (argon2id PHC string), language, failed-PIN counter and lock.

use super::engine::{Db as _, Row, values};
use crate::domain::Role;
use crate::domain::ids::UserId;

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

fn user_from_row(row: &Row) -> Result<UserRow> {
    Ok(UserRow {
        id: UserId(row.int(0)?),
        name: row.text(1)?,
        role: {
            let code = row.text(2)?;
            Role::from_code(&code)
                .ok_or_else(|| super::LedgerError::Postgres(format!("unknown Role '{code}'")))?
        },
        pin_hash: row.text(3)?,
        lang: row.text(4)?,
        active: row.int(5)? != 0,
        failed_pins: row.int(6)?,
        locked_until: row.opt_text(7)?,
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
        self.db()
            .query_one(
                "INSERT INTO users (name, role, pin_hash, lang) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &values![name, role, pin_hash, lang],
            )?
            .int(0)
            .map(UserId)
    }

    fn users_where(
        &self,
        condition: &str,
        params: &[super::engine::Value],
    ) -> Result<Vec<UserRow>> {
        self.db()
            .query(&format!("{SELECT_USER} {condition}"), params)?
            .iter()
            .map(user_from_row)
            .collect()
    }

    pub fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        Ok(self.users_where("WHERE name = ?1", &values![name])?.pop())
    }

    pub fn user_by_id(&self, user_id: UserId) -> Result<Option<UserRow>> {
        Ok(self.users_where("WHERE id = ?1", &values![user_id])?.pop())
    }

    pub fn all_users(&self) -> Result<Vec<UserRow>> {
        self.users_where("ORDER BY name", &[])
    }

    /// A new PIN also clears the failed-PIN counter and any lock.
    pub fn set_user_pin_hash(&mut self, user_id: UserId, pin_hash: &str) -> Result<()> {
        self.db().execute(
            "UPDATE users SET pin_hash = ?2, failed_pins = 0, locked_until = NULL WHERE id = ?1",
            &values![user_id, pin_hash],
        )?;
        Ok(())
    }

    pub fn set_user_active(&mut self, user_id: UserId, active: bool) -> Result<()> {
        self.db().execute(
            "UPDATE users SET active = ?2 WHERE id = ?1",
            &values![user_id, active],
        )?;
        Ok(())
    }

    pub fn active_users(&self) -> Result<Vec<UserRow>> {
        self.users_where("WHERE active = 1 ORDER BY id", &[])
    }

    /// Stores the failed-PIN counter and the lock after a wrong PIN.
    pub fn set_pin_failures(
        &mut self,
        user_id: UserId,
        failed_pins: i64,
        locked_until: Option<&str>,
    ) -> Result<()> {
        self.db().execute(
            "UPDATE users SET failed_pins = ?2, locked_until = ?3 WHERE id = ?1",
            &values![user_id, failed_pins, locked_until],
        )?;
        Ok(())
    }

    pub fn set_user_lang(&mut self, user_id: UserId, lang: &str) -> Result<()> {
        self.db().execute(
            "UPDATE users SET lang = ?2 WHERE id = ?1",
            &values![user_id, lang],
        )?;
        Ok(())
    }
}
