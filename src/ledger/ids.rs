//! The id newtypes of `domain::ids` as SQL values: stored as the same integers as before, on
//! both engines (rusqlite's `ToSql`/`FromSql`, the engine's [`Value`]).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::engine::Value;
use crate::domain::ids::{OrderNumber, PerformanceId, ShiftId, UserId};
use crate::domain::{JournalKind, Role, Tender, TicketState};

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

/// A closed set the ledger stores as its text, read back strictly: a text the program does not
/// know is an error naming it, never a default.
pub trait StoredText: Sized + Copy {
    /// What the set is, for the error.
    const WHAT: &'static str;
    /// The text the ledger holds.
    fn stored(self) -> &'static str;
    /// A stored text read back (`None`: not one of the set).
    fn from_stored(text: &str) -> Option<Self>;
}

macro_rules! stored_text {
    ($($name:ty: $what:literal, $to:ident, $from:ident;)*) => {$(
        impl StoredText for $name {
            const WHAT: &'static str = $what;
            fn stored(self) -> &'static str {
                self.$to()
            }
            fn from_stored(text: &str) -> Option<Self> {
                <$name>::$from(text)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.stored()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                <$name>::from_stored(text).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} '{text}'", $what).into())
                })
            }
        }

        impl From<$name> for Value {
            fn from(value: $name) -> Self {
                Value::Text(value.stored().to_string())
            }
        }
    )*};
}

stored_text! {
    Role: "role", code, from_code;
    Tender: "tender", as_str, parse;
    TicketState: "ticket state", as_str, parse;
    JournalKind: "journal kind", as_str, parse;
}

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
        assert!(unknown.is_err_and(|e| e.to_string().contains("unknown role 'boss'")));
        Ok(())
    }

    #[test]
    fn a_closed_set_reads_back_from_either_engine_row_and_an_unknown_text_is_named() {
        use super::super::engine::Row;
        let row = Row(vec![
            Value::Text("card".into()),
            Value::Text("revoked".into()),
            Value::Text("split".into()),
            Value::Text("refund".into()),
        ]);
        assert_eq!(row.code::<Tender>(0).ok(), Some(Tender::Card));
        assert_eq!(row.code::<TicketState>(1).ok(), Some(TicketState::Revoked));
        assert_eq!(row.code::<JournalKind>(3).ok(), Some(JournalKind::Refund));
        let unknown = row.code::<Tender>(2).map_err(|e| e.to_string());
        assert!(
            unknown
                .as_ref()
                .is_err_and(|e| e.contains("a tender 'split' in column 2")),
            "{unknown:?}"
        );
        assert!(row.code::<Role>(1).is_err(), "revoked is no role");
        assert_eq!(
            serde_json::to_string(&[Role::Cashier, Role::Admin])
                .ok()
                .as_deref(),
            Some(r#"["cashier","admin"]"#),
            "a role in JSON is its stored code"
        );
    }
}
