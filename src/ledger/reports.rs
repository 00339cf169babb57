//! Report queries over a date range (local dates, inclusive). Training sales are left out.

use rusqlite::params;

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
    fn table(&self, name: &str, sql: &str, from: &str, to: &str) -> Result<Table> {
        let mut statement = self.sq()?.prepare(sql)?;
        let columns: Vec<String> = statement
            .column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let n = columns.len();
        let rows = statement
            .query_map(params![from, to], |row| {
                (0..n)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
                            rusqlite::types::ValueRef::Integer(v) => serde_json::Value::from(v),
                            rusqlite::types::ValueRef::Real(v) => serde_json::Value::from(v),
                            rusqlite::types::ValueRef::Text(t) => {
                                serde_json::Value::from(String::from_utf8_lossy(t).into_owned())
                            }
                            rusqlite::types::ValueRef::Null => serde_json::Value::Null,
                            rusqlite::types::ValueRef::Blob(_) => serde_json::Value::Null,
                        })
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Table {
            name: name.to_string(),
            columns,
            rows,
        })
    }

    /// Sales per performance, per tender, per user and per hour of the day.
    pub fn sales_tables(&self, from: &str, to: &str) -> Result<Vec<Table>> {
        const IN_RANGE: &str = "substr(o.created_at, 1, 10) BETWEEN ?1 AND ?2 AND o.training = 0";
        Ok(vec![
            self.table(
                "per_performance",
                &format!(
                    "SELECT p.id AS performance, e.name_fi AS event, p.starts_at, count(DISTINCT o.id) AS orders,
                            sum(l.quantity) AS tickets, sum(l.gross_cents) AS gross_cents,
                            coalesce((SELECT sum(rl.amount_cents) FROM refund_lines rl JOIN order_lines x ON x.id = rl.line_id
                                      JOIN orders y ON y.id = x.order_id
                                      WHERE x.performance_id = p.id AND substr(y.created_at, 1, 10) BETWEEN ?1 AND ?2
                                        AND y.training = 0), 0) AS refunded_cents
                     FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN performances p ON p.id = l.performance_id
                     JOIN events e ON e.id = p.event_id WHERE {IN_RANGE}
                     GROUP BY p.id ORDER BY p.starts_at, p.id"
                ),
                from,
                to,
            )?,
            self.table(
                "per_tender",
                &format!(
                    "SELECT p.tender, count(*) AS payments, sum(p.amount_cents) AS amount_cents
                     FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.state = 'approved' AND {IN_RANGE}
                     GROUP BY p.tender ORDER BY p.tender"
                ),
                from,
                to,
            )?,
            self.table(
                "per_user",
                &format!(
                    "SELECT u.name AS user, count(*) AS orders, sum(o.total_cents) AS gross_cents
                     FROM orders o JOIN users u ON u.id = o.user_id WHERE {IN_RANGE}
                     GROUP BY u.id ORDER BY u.name"
                ),
                from,
                to,
            )?,
            self.table(
                "per_hour",
                &format!(
                    "SELECT CAST(substr(o.created_at, 12, 2) AS INTEGER) AS hour, count(*) AS orders,
                            (SELECT count(*) FROM tickets t JOIN orders x ON x.id = t.order_id
                              WHERE substr(x.created_at, 12, 2) = substr(o.created_at, 12, 2)
                                AND substr(x.created_at, 1, 10) BETWEEN ?1 AND ?2 AND x.training = 0) AS tickets,
                            sum(o.total_cents) AS gross_cents
                     FROM orders o WHERE {IN_RANGE} GROUP BY hour ORDER BY hour"
                ),
                from,
                to,
            )?,
        ])
    }

    /// Refunds with their reason and who authorised them.
    pub fn refunds_table(&self, from: &str, to: &str) -> Result<Table> {
        self.table(
            "refunds",
            "SELECT r.created_at, r.order_id AS order_number, c.number AS receipt, r.amount_cents, r.tender,
                    r.reason_code, r.reason_text, u.name AS user, a.name AS authorised_by
             FROM refunds r JOIN orders o ON o.id = r.order_id JOIN users u ON u.id = r.user_id
             JOIN users a ON a.id = r.authorised_by LEFT JOIN receipts c ON c.refund_id = r.id
             WHERE substr(r.created_at, 1, 10) BETWEEN ?1 AND ?2 AND o.training = 0 ORDER BY r.id",
            from,
            to,
        )
    }

    /// Z reports closed in the range.
    pub fn z_table(&self, from: &str, to: &str) -> Result<Table> {
        self.table(
            "z_reports",
            "SELECT z.number, z.closed_at, u.name AS closed_by, z.first_receipt, z.last_receipt,
                    json_extract(z.content, '$.gross_cents') AS gross_cents,
                    json_extract(z.content, '$.tenders[0].expected_cents') AS cash_expected_cents,
                    json_extract(z.content, '$.tenders[0].counted_cents') AS cash_counted_cents,
                    json_extract(z.content, '$.tenders[0].variance_cents') AS cash_variance_cents,
                    json_extract(z.content, '$.comment') AS comment
             FROM z_reports z JOIN users u ON u.id = z.closed_by
             WHERE substr(z.closed_at, 1, 10) BETWEEN ?1 AND ?2 ORDER BY z.number",
            from,
            to,
        )
    }
}
