//! Report queries over a date range (local dates, inclusive). Training sales are left out.

use super::engine::{Db as _, Value, values};
use super::{Result, Tx};

/// A plain table: column names and rows of values (text or integers).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

impl Table {
    /// The table as CSV, each row starting with the table's name (several tables can follow each other).
    pub fn to_csv(&self) -> String {
        let field = |value: &serde_json::Value| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            if text.contains([',', '"', '\n']) {
                format!("\"{}\"", text.replace('"', "\"\""))
            } else {
                text
            }
        };
        let mut csv = format!("report,{}\n", self.columns.join(","));
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(field).collect();
            csv.push_str(&format!("{},{}\n", self.name, cells.join(",")));
        }
        csv
    }
}

impl Tx<'_> {
    /// The rows of `sql` (its parameters `params`) as a table with these `columns`.
    fn table(&self, name: &str, columns: &[&str], sql: &str, params: &[Value]) -> Result<Table> {
        let rows = self
            .db()
            .query(sql, params)?
            .into_iter()
            .map(|row| row.0.into_iter().map(json_of).collect())
            .collect();
        Ok(Table {
            name: name.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
        })
    }

    /// Sales per performance, per tender, per user and per hour of the day; with several
    /// registers (the shared ledger), per register too.
    pub fn sales_tables(&self, from: &str, to: &str) -> Result<Vec<Table>> {
        const IN_RANGE: &str = "substr(o.created_at, 1, 10) BETWEEN ?1 AND ?2 AND o.training = 0";
        let range = values![from, to];
        let mut tables = vec![
            self.table(
                "per_performance",
                &[
                    "performance",
                    "event",
                    "starts_at",
                    "orders",
                    "tickets",
                    "gross_cents",
                    "refunded_cents",
                ],
                &format!(
                    "SELECT p.id, e.name_fi, p.starts_at, count(DISTINCT o.id),
                            CAST(sum(l.quantity) AS bigint), CAST(sum(l.gross_cents) AS bigint),
                            CAST(coalesce((SELECT sum(rl.amount_cents) FROM refund_lines rl JOIN order_lines x ON x.id = rl.line_id
                                      JOIN orders y ON y.id = x.order_id
                                      WHERE x.performance_id = p.id AND substr(y.created_at, 1, 10) BETWEEN ?1 AND ?2
                                        AND y.training = 0), 0) AS bigint)
                     FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN performances p ON p.id = l.performance_id
                     JOIN events e ON e.id = p.event_id WHERE {IN_RANGE}
                     GROUP BY p.id, e.name_fi, p.starts_at ORDER BY p.starts_at, p.id"
                ),
                &range,
            )?,
            self.table(
                "per_tender",
                &["tender", "payments", "amount_cents"],
                &format!(
                    "SELECT p.tender, count(*), CAST(sum(p.amount_cents) AS bigint)
                     FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.state = 'approved' AND {IN_RANGE}
                     GROUP BY p.tender ORDER BY p.tender"
                ),
                &range,
            )?,
            self.table(
                "per_user",
                &["user", "orders", "gross_cents"],
                &format!(
                    "SELECT u.name, count(*), CAST(sum(o.total_cents) AS bigint)
                     FROM orders o JOIN users u ON u.id = o.user_id WHERE {IN_RANGE}
                     GROUP BY u.id, u.name ORDER BY u.name"
                ),
                &range,
            )?,
            self.table(
                "per_hour",
                &["hour", "orders", "tickets", "gross_cents"],
                &format!(
                    "SELECT h.hour, count(*), CAST(sum(h.tickets) AS bigint), CAST(sum(h.total_cents) AS bigint)
                     FROM (SELECT CAST(substr(o.created_at, 12, 2) AS INTEGER) AS hour, o.total_cents,
                                  (SELECT count(*) FROM tickets t WHERE t.order_id = o.id) AS tickets
                           FROM orders o WHERE {IN_RANGE}) h
                     GROUP BY h.hour ORDER BY h.hour"
                ),
                &range,
            )?,
        ];
        let registers = self
            .db()
            .query_one("SELECT count(*) FROM register", &[])?
            .int(0)?;
        if registers > 1 {
            tables.push(self.table(
                "per_register",
                &["register", "name", "orders", "gross_cents"],
                &format!(
                    "SELECT g.id, g.name, count(*), CAST(sum(o.total_cents) AS bigint)
                     FROM orders o JOIN register g ON g.id = o.register_id WHERE {IN_RANGE}
                     GROUP BY g.id, g.name ORDER BY g.name, g.id"
                ),
                &range,
            )?);
        }
        Ok(tables)
    }

    /// Refunds with their reason and who authorised them.
    pub fn refunds_table(&self, from: &str, to: &str) -> Result<Table> {
        self.table(
            "refunds",
            &[
                "created_at",
                "order_number",
                "receipt",
                "amount_cents",
                "tender",
                "reason_code",
                "reason_text",
                "user",
                "authorised_by",
            ],
            "SELECT r.created_at, r.order_id, c.number, r.amount_cents, r.tender,
                    r.reason_code, r.reason_text, u.name, a.name
             FROM refunds r JOIN orders o ON o.id = r.order_id JOIN users u ON u.id = r.user_id
             JOIN users a ON a.id = r.authorised_by LEFT JOIN receipts c ON c.refund_id = r.id
             WHERE substr(r.created_at, 1, 10) BETWEEN ?1 AND ?2 AND o.training = 0 ORDER BY r.id",
            &values![from, to],
        )
    }

    /// This register's Z reports closed in the range (Z numbers are per register).
    pub fn z_table(&self, from: &str, to: &str) -> Result<Table> {
        let register_id = self.register_id()?.to_string();
        let mut table = self.table(
            "z_reports",
            &[
                "number",
                "closed_at",
                "closed_by",
                "first_receipt",
                "last_receipt",
                "gross_cents",
                "cash_expected_cents",
                "cash_counted_cents",
                "cash_variance_cents",
                "comment",
            ],
            "SELECT z.number, z.closed_at, u.name, z.first_receipt, z.last_receipt, z.content
             FROM z_reports z JOIN users u ON u.id = z.closed_by
             WHERE substr(z.closed_at, 1, 10) BETWEEN ?1 AND ?2 AND z.register_id = ?3 ORDER BY z.number",
            &values![from, to, register_id],
        )?;
        // The figures from the report as it was stored (its JSON), the same on both engines.
        for row in &mut table.rows {
            let content: serde_json::Value = row
                .pop()
                .and_then(|c| c.as_str().and_then(|t| serde_json::from_str(t).ok()))
                .unwrap_or_default();
            let cash = &content["tenders"][0];
            row.extend([
                content["gross_cents"].clone(),
                cash["expected_cents"].clone(),
                cash["counted_cents"].clone(),
                cash["variance_cents"].clone(),
                content["comment"].clone(),
            ]);
        }
        Ok(table)
    }

    /// This register's day Z reports of the trading days `from`..=`to` (local dates), one row
    /// each: its number, day, shifts, close, receipts and the day's figures as stored.
    pub fn day_z_table(&self, from: &str, to: &str) -> Result<Table> {
        let register_id = self.register_id()?.to_string();
        let mut table = self.table(
            "day_z_reports",
            &[
                "number",
                "trading_day",
                "shifts",
                "closed_at",
                "closed_by",
                "first_receipt",
                "last_receipt",
                "gross_cents",
                "cash_expected_cents",
                "cash_counted_cents",
                "cash_variance_cents",
            ],
            "SELECT d.number, d.trading_day, d.shifts, d.closed_at, u.name, d.first_receipt,
                    d.last_receipt, d.content
             FROM day_z_reports d JOIN users u ON u.id = d.closed_by
             WHERE d.trading_day BETWEEN ?1 AND ?2 AND d.register_id = ?3 ORDER BY d.number",
            &values![from, to, register_id],
        )?;
        for row in &mut table.rows {
            let content: serde_json::Value = row
                .pop()
                .and_then(|c| c.as_str().and_then(|t| serde_json::from_str(t).ok()))
                .unwrap_or_default();
            let tenders = content["tenders"].as_array().cloned().unwrap_or_default();
            let cash = tenders
                .iter()
                .find(|t| t["tender"] == "cash")
                .cloned()
                .unwrap_or_default();
            row.extend([
                content["gross_cents"].clone(),
                cash["expected_cents"].clone(),
                cash["counted_cents"].clone(),
                cash["variance_cents"].clone(),
            ]);
        }
        Ok(table)
    }
}

fn json_of(value: Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Int(v) => v.into(),
        Value::Real(v) => v.into(),
        Value::Text(v) => v.into(),
    }
}
