//! One query source for two engines (issue 15): ledger functions take a [`Db`] and write their
//! SQL once; this module holds every difference between SQLite and PostgreSQL.
//!
//! The SQL is the common subset of both: `?N` placeholders (rewritten to `$N` for PostgreSQL,
//! outside string literals), `INSERT … RETURNING id` instead of `last_insert_rowid()`,
//! `INSERT … ON CONFLICT DO NOTHING` instead of `INSERT OR IGNORE`, no select-list alias in a
//! `WHERE` (wrap the query instead), sums cast to `bigint` (PostgreSQL's `sum(bigint)` is
//! `numeric`), dates as RFC 3339 text compared as text. Values cross as [`Value`]: SQLite's four
//! storage classes, which PostgreSQL's `bigint`, `text` and `double precision` columns match.

use std::error::Error as StdError;

use super::{LedgerError, Result};

/// A parameter or a column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}
impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Int(i64::from(value))
    }
}
impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Real(value)
    }
}
impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_string())
    }
}
impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// `[a, b, c]` as an array of `Value`s.
macro_rules! values {
    ($($value:expr),* $(,)?) => { [$($crate::ledger::engine::Value::from($value)),*] };
}
pub(crate) use values;

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn value(&self, index: usize) -> Result<&Value> {
        self.0
            .get(index)
            .ok_or_else(|| LedgerError::Postgres(format!("no column {index} in the row")))
    }

    pub fn int(&self, index: usize) -> Result<i64> {
        match self.value(index)? {
            Value::Int(value) => Ok(*value),
            other => Err(type_error(index, "an integer", other)),
        }
    }

    pub fn opt_int(&self, index: usize) -> Result<Option<i64>> {
        match self.value(index)? {
            Value::Null => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    pub fn text(&self, index: usize) -> Result<String> {
        match self.value(index)? {
            Value::Text(value) => Ok(value.clone()),
            other => Err(type_error(index, "text", other)),
        }
    }

    /// A closed set's stored text read back as its type; an unknown text is an error naming it.
    pub fn code<T: super::ids::StoredText>(&self, index: usize) -> Result<T> {
        let text = self.text(index)?;
        // One the table should not hold is named, not guessed.
        T::from_stored(&text).ok_or_else(|| LedgerError::Corrupt {
            path: Default::default(),
            detail: format!("a {} '{text}' in column {index}", T::WHAT),
        })
    }

    pub fn opt_text(&self, index: usize) -> Result<Option<String>> {
        match self.value(index)? {
            Value::Null => Ok(None),
            _ => self.text(index).map(Some),
        }
    }
}

fn type_error(index: usize, wanted: &str, found: &Value) -> LedgerError {
    LedgerError::Postgres(format!("column {index} is not {wanted} ({found:?})"))
}

/// Which engine a [`Db`] talks to, for the rare statement that must differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A transaction on either engine. Ledger functions written against this run on both.
pub trait Db {
    fn engine(&self) -> Engine;
    /// Runs one statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// All rows of a query.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;

    /// Calls `each` with every row of a query in turn (SQLite streams them through one buffer).
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        for row in self.query(sql, params)? {
            each(&row)?;
        }
        Ok(())
    }

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Exactly one row (an `INSERT … RETURNING id`, a `count(*)`).
    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row> {
        self.query_opt(sql, params)?
            .ok_or_else(|| LedgerError::Postgres("the query returned no row".into()))
    }
}

/// SQLite through rusqlite (the statements stay in rusqlite's prepared-statement cache).
pub struct Sqlite<'a>(pub &'a rusqlite::Connection);

impl Db for Sqlite<'_> {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let changed = self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        self.query_each(sql, params, &mut |row| {
            rows.push(row.clone());
            Ok(())
        })?;
        Ok(rows)
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let mut statement = self.0.prepare_cached(sql)?;
        let width = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        let mut buffer = Row(Vec::with_capacity(width));
        while let Some(row) = rows.next()? {
            buffer.0.clear();
            for i in 0..width {
                buffer.0.push(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(v) => Value::Int(v),
                    rusqlite::types::ValueRef::Real(v) => Value::Real(v),
                    rusqlite::types::ValueRef::Text(v) | rusqlite::types::ValueRef::Blob(v) => {
                        Value::Text(String::from_utf8_lossy(v).into_owned())
                    }
                });
            }
            each(&buffer)?;
        }
        Ok(())
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(*v),
            Value::Real(v) => ValueRef::Real(*v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
        }))
    }
}

/// PostgreSQL through the `postgres` crate, inside one of its transactions.
pub struct Postgres<'a, 'b>(pub &'a mut postgres::Transaction<'b>);

impl Db for Postgres<'_, '_> {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        self.0
            .execute(placeholders(sql).as_str(), &params)
            .map_err(super::pg::from_pg)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let rows = self
            .0
            .query(placeholders(sql).as_str(), &params)
            .map_err(super::pg::from_pg)?;
        rows_of(&rows)
    }
}

fn rows_of(rows: &[postgres::Row]) -> Result<Vec<Row>> {
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| row.try_get::<_, Value>(i).map_err(super::pg::from_pg))
                .collect::<Result<Vec<_>>>()
                .map(Row)
        })
        .collect()
}

/// The statements prepared on one shared-ledger connection, by their SQL text (as rusqlite's
/// `prepare_cached` on SQLite): each SQL text is parsed once per connection, and every later
/// use is one round trip (bind and execute) instead of two (parse, then bind and execute).
/// Prepared statements belong to the connection, not to a transaction, so they outlive a
/// rollback; a new connection starts with an empty cache. Bounded: past [`CACHED_STATEMENTS`]
/// texts (SQL built with `format!` varies) it starts again empty.
pub struct StatementCache {
    statements: std::collections::HashMap<String, postgres::Statement>,
    enabled: bool,
}

/// How many SQL texts one connection keeps prepared.
const CACHED_STATEMENTS: usize = 256;

impl Default for StatementCache {
    fn default() -> Self {
        StatementCache {
            statements: std::collections::HashMap::new(),
            enabled: true,
        }
    }
}

impl StatementCache {
    /// Turns the cache off (every statement prepared per call, as before) or on; for
    /// comparisons (`benches/pg_sale.rs`).
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
        self.statements.clear();
    }

    /// Forgets every statement (the connection they were prepared on is gone).
    pub fn clear(&mut self) {
        self.statements.clear();
    }

    /// How many SQL texts are prepared.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

/// [`Postgres`] with the connection's [`StatementCache`].
pub struct CachedPostgres<'a, 'b, 'c> {
    pub tx: &'a mut postgres::Transaction<'b>,
    pub cache: &'c mut StatementCache,
}

/// A statement to run: prepared from the cache, or the SQL text to prepare per call.
enum Prepared {
    Cached(postgres::Statement),
    Text(String),
}

impl CachedPostgres<'_, '_, '_> {
    fn statement(&mut self, sql: &str) -> Result<Prepared> {
        if !self.cache.enabled {
            return Ok(Prepared::Text(placeholders(sql)));
        }
        if let Some(statement) = self.cache.statements.get(sql) {
            return Ok(Prepared::Cached(statement.clone()));
        }
        let statement = self
            .tx
            .prepare(placeholders(sql).as_str())
            .map_err(super::pg::from_pg)?;
        if self.cache.statements.len() >= CACHED_STATEMENTS {
            self.cache.statements.clear();
        }
        self.cache
            .statements
            .insert(sql.to_string(), statement.clone());
        Ok(Prepared::Cached(statement))
    }
}

impl Db for CachedPostgres<'_, '_, '_> {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        match self.statement(sql)? {
            Prepared::Cached(statement) => self.tx.execute(&statement, &params),
            Prepared::Text(sql) => self.tx.execute(sql.as_str(), &params),
        }
        .map_err(|error| self.failed(error))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let rows = match self.statement(sql)? {
            Prepared::Cached(statement) => self.tx.query(&statement, &params),
            Prepared::Text(sql) => self.tx.query(sql.as_str(), &params),
        }
        .map_err(|error| self.failed(error))?;
        rows_of(&rows)
    }
}

impl CachedPostgres<'_, '_, '_> {
    /// A statement's error. When the server no longer has a prepared statement (a pooler in
    /// front of it, `DISCARD ALL`) or its plan no longer fits the tables (a column's type changed
    /// under a running counter), the cache is emptied: this operation fails with the server's
    /// sentence, and the next one prepares its statements again.
    fn failed(&mut self, error: postgres::Error) -> super::LedgerError {
        use postgres::error::SqlState;
        if error.code().is_some_and(|code| {
            *code == SqlState::INVALID_SQL_STATEMENT_NAME
                || *code == SqlState::FEATURE_NOT_SUPPORTED
        }) {
            self.cache.statements.clear();
        }
        super::pg::from_pg(error)
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, BoxError> {
        use postgres::types::{IsNull, Type};
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => v.to_sql(ty, out),
            Value::Text(v) => v.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        use postgres::types::Type;
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::FLOAT8
                | Type::TEXT
                | Type::VARCHAR
                | Type::UNKNOWN
        )
    }

    postgres::types::to_sql_checked!();
}

impl<'a> postgres::types::FromSql<'a> for Value {
    fn from_sql(ty: &postgres::types::Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        use postgres::types::Type;
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            _ => Value::Text(<&str>::from_sql(ty, raw)?.to_string()),
        })
    }

    fn from_sql_null(_: &postgres::types::Type) -> std::result::Result<Self, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        use postgres::types::Type;
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::FLOAT8
                | Type::TEXT
                | Type::VARCHAR
                | Type::BPCHAR
                | Type::NAME
        )
    }
}

/// The `COLLATE` clause that compares text by code point, as SQLite does by default: a prefix
/// range (`word >= p AND word < p || U+10FFFF`) then means the same on a PostgreSQL server
/// whatever its locale (a linguistic collation orders, and may even ignore, other characters).
pub fn by_code_point(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "",
        Engine::Postgres => " COLLATE \"C\"",
    }
}

/// `?N` placeholders as PostgreSQL's `$N`, leaving string literals, quoted names and comments alone.
pub fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '-' && chars.peek() == Some(&'-') => {
                out.push(c);
                for rest in chars.by_ref() {
                    out.push(rest);
                    if rest == '\n' {
                        break;
                    }
                }
            }
            None if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_literals_and_comments() {
        assert_eq!(
            placeholders(
                "SELECT a FROM t WHERE b = ?1 AND c = '?2' AND \"d?3\" = ?12 -- ?4\n AND e = ?2"
            ),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND \"d?3\" = $12 -- ?4\n AND e = $2"
        );
        // A doubled quote inside a literal stays inside it.
        assert_eq!(
            placeholders("SELECT 'it''s ?1', ?1"),
            "SELECT 'it''s ?1', $1"
        );
    }

    #[test]
    fn sqlite_runs_the_common_dialect() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)")
            .unwrap();
        let mut db = Sqlite(&conn);
        let id = db
            .query_one(
                "INSERT INTO t (name, n) VALUES (?1, ?2) RETURNING id",
                &values!["a", Some(5_i64)],
            )
            .unwrap()
            .int(0)
            .unwrap();
        assert_eq!(id, 1);
        let changed = db
            .execute(
                "INSERT INTO t (name, n) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                &values!["a", None::<i64>],
            )
            .unwrap();
        assert_eq!(changed, 0);
        let row = db
            .query_one("SELECT name, n, CAST(sum(n) AS bigint) FROM t", &[])
            .unwrap();
        assert_eq!(
            (
                row.text(0).unwrap(),
                row.opt_int(1).unwrap(),
                row.int(2).unwrap()
            ),
            ("a".to_string(), Some(5), 5)
        );
        assert!(row.int(0).is_err());
    }
}
