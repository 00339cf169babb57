//! The id newtypes of `domain::ids` as SQL values: stored as the same integers as before, on
//! both engines (rusqlite's `ToSql`/`FromSql`, the engine's [`Value`]).

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::engine::Value;
use crate::domain::ids::OrderNumber;

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

sql_id!(OrderNumber);

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
}
