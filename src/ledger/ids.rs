//! The id newtypes of `domain::ids` as SQL values: stored as the same integers as before, on
//! both engines (rusqlite's `ToSql`/`FromSql`, the engine's [`Value`]).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::engine::Value;
use crate::domain::Role;
use crate::domain::ids::{OrderNumber, PerformanceId, ShiftId, UserId};

macro_rules! sql_id {
    ($($name:ident),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }

        impl From<$name> for Value {
            fn from(id: $name) -> Self {
                Value::Int(id.0)
            }
        }
    )*};
}

sql_id!(OrderNumber, PerformanceId, UserId, ShiftId);

/// A closed set stored as its code (`Role::code`), read back through `from_code`: a code the
/// program does not know is an error naming it, never a default.
macro_rules! sql_code {
    ($($name:ty),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.code()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let code = value.as_str()?;
                <$name>::from_code(code).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} '{code}'", stringify!($name)).into())
                })
            }
        }

        impl From<$name> for Value {
            fn from(value: $name) -> Self {
                Value::Text(value.code().to_string())
            }
        }
    )*};
}

sql_code!(Role);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_stored_and_read_as_the_same_integer() -> rusqlite::Result<()> {
        let db = rusqlite::Connection::open_in_memory()?;
        let back: (OrderNumber, i64) =
            db.query_row("SELECT ?1, ?1 + 0", [OrderNumber(41)], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        assert_eq!(back, (OrderNumber(41), 41));
        assert_eq!(Value::from(OrderNumber(41)), Value::Int(41));
        assert_eq!(Value::from(Some(OrderNumber(7))), Value::Int(7));
        Ok(())
    }

    #[test]
    fn a_role_is_stored_as_its_code_and_an_unknown_code_is_an_error() -> rusqlite::Result<()> {
        let db = rusqlite::Connection::open_in_memory()?;
        let (role, text): (Role, String) =
            db.query_row("SELECT ?1, ?1", [Role::Manager], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        assert_eq!((role, text.as_str()), (Role::Manager, "manager"));
        let unknown = db.query_row("SELECT 'boss'", [], |row| row.get::<_, Role>(0));
        assert!(unknown.is_err_and(|e| e.to_string().contains("unknown Role 'boss'")));
        Ok(())
    }
}
