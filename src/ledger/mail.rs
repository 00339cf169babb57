//! Mail: SMTP servers (the built-in one is read-only), which server sends, DKIM public keys,
//! the append-only outbox and its attempts, and what each user has seen of the failures.
//! Passwords and private keys are not here: rows only name them in the secret store.

use crate::domain::ids::{OrderNumber, PerformanceId, UserId};
use rusqlite::{OptionalExtension, params};

use super::{Result, Tx};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MailServerRow {
    pub id: i64,
    pub name: String,
    pub host: String,
    pub port: u16,
    /// starttls, tls or none
    pub security: String,
    pub username: Option<String>,
    #[serde(skip)]
    pub secret_name: Option<String>,
    pub from_name: String,
    pub from_address: String,
    /// JSON {"fi": html, "sv": html, "en": html}; `None` = the bundled templates.
    #[serde(skip)]
    pub templates: Option<String>,
    pub builtin: bool,
    pub copied_from: Option<i64>,
}

/// A new server row (the password goes to the secret store under `secret_name`).
#[derive(Debug, Clone)]
pub struct NewMailServer<'a> {
    pub name: &'a str,
    pub host: &'a str,
    pub port: u16,
    pub security: &'a str,
    pub username: Option<&'a str>,
    pub secret_name: Option<&'a str>,
    pub from_name: &'a str,
    pub from_address: &'a str,
    pub templates: Option<&'a str>,
    pub copied_from: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimKeyRow {
    pub domain: String,
    pub selector: String,
    pub public_key: String,
    pub secret_name: String,
}

/// One outbox message with its newest attempt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub order_id: OrderNumber,
    pub server_id: i64,
    pub to_address: String,
    pub lang: String,
    pub message_id: String,
    pub created_at: String,
    /// queued, sent, retry, failed, replaced or cancelled
    pub state: String,
    pub attempts: i64,
    pub last_reply: Option<String>,
    pub next_attempt_at: Option<String>,
    /// The id of the newest attempt row (a failure's id for the "seen" count).
    #[serde(skip)]
    pub last_attempt_id: Option<i64>,
}

/// Messages by the state of their newest attempt, and the newest trouble: (reply, at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSummary {
    pub queued: i64,
    pub retry: i64,
    pub failed: i64,
    pub sent: i64,
    pub newest_trouble: Option<(String, String)>,
}

/// What a ticket mail needs from its order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderMailFacts {
    pub customer_email: Option<String>,
    pub customer_name: Option<String>,
    pub lang: String,
    /// The user who created the order's event (their server sends).
    pub event_created_by: Option<UserId>,
    pub performance_id: PerformanceId,
}

const SELECT_SERVER: &str = "SELECT id, name, host, port, security, username, secret_name, from_name, from_address, templates, builtin, copied_from FROM mail_servers";

fn server_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MailServerRow> {
    Ok(MailServerRow {
        id: row.get(0)?,
        name: row.get(1)?,
        host: row.get(2)?,
        port: row.get(3)?,
        security: row.get(4)?,
        username: row.get(5)?,
        secret_name: row.get(6)?,
        from_name: row.get(7)?,
        from_address: row.get(8)?,
        templates: row.get(9)?,
        builtin: row.get(10)?,
        copied_from: row.get(11)?,
    })
}

/// Every message with its newest attempt (`a` is the newest attempt row or NULL) and its attempt count.
const SELECT_OUTBOX: &str = "SELECT m.id, m.order_id, m.server_id, m.to_address, m.lang, m.message_id, m.created_at,
        coalesce(a.outcome, 'queued'), (SELECT count(*) FROM mail_attempts c WHERE c.mail_id = m.id AND c.outcome IN ('sent', 'retry', 'failed')),
        a.reply, a.next_attempt_at, a.id
   FROM mail_outbox m
   LEFT JOIN mail_attempts a ON a.id = (SELECT max(id) FROM mail_attempts x WHERE x.mail_id = m.id)";

fn outbox_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: row.get(0)?,
        order_id: row.get(1)?,
        server_id: row.get(2)?,
        to_address: row.get(3)?,
        lang: row.get(4)?,
        message_id: row.get(5)?,
        created_at: row.get(6)?,
        state: row.get(7)?,
        attempts: row.get(8)?,
        last_reply: row.get(9)?,
        next_attempt_at: row.get(10)?,
        last_attempt_id: row.get(11)?,
    })
}

/// A ticket mail to queue (`Tx::insert_outbox`).
#[derive(Debug, Clone, Copy)]
pub struct NewOutbox<'a> {
    pub order_id: OrderNumber,
    pub server_id: i64,
    pub to_address: &'a str,
    pub lang: &'a str,
    /// Fixed when queued and kept across retries.
    pub message_id: &'a str,
    /// The message this one replaces (a corrected address).
    pub replaces: Option<i64>,
    pub created_by: Option<UserId>,
    pub now: &'a str,
}

impl Tx<'_> {
    pub fn mail_servers(&self) -> Result<Vec<MailServerRow>> {
        let mut statement = self
            .tx
            .prepare_cached(&format!("{SELECT_SERVER} ORDER BY id"))?;
        let rows = statement.query_map([], server_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mail_server_by_name(&self, name: &str) -> Result<Option<MailServerRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("{SELECT_SERVER} WHERE name = ?1"),
                [name],
                server_from_row,
            )
            .optional()?)
    }

    pub fn mail_server(&self, id: i64) -> Result<Option<MailServerRow>> {
        Ok(self
            .tx
            .prepare_cached(&format!("{SELECT_SERVER} WHERE id = ?1"))?
            .query_row([id], server_from_row)
            .optional()?)
    }

    pub fn insert_mail_server(&mut self, server: &NewMailServer<'_>, now: &str) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO mail_servers (name, host, port, security, username, secret_name, from_name, from_address, templates, copied_from, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                server.name,
                server.host,
                server.port,
                server.security,
                server.username,
                server.secret_name,
                server.from_name,
                server.from_address,
                server.templates,
                server.copied_from,
                now
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Makes `server_id` the register's default (`user_id` None) or that user's server.
    pub fn choose_mail_server(
        &mut self,
        user_id: Option<UserId>,
        server_id: i64,
        now: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO mail_server_choices (user_id, server_id, chosen_at) VALUES (?1, ?2, ?3)",
            params![user_id, server_id, now],
        )?;
        Ok(())
    }

    /// The server that sends for `user_id` (the event's creator): theirs, else the register's
    /// default, else the built-in one.
    pub fn sending_mail_server(&self, user_id: Option<UserId>) -> Result<MailServerRow> {
        let chosen: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT server_id FROM mail_server_choices
                  WHERE user_id IS ?1 OR user_id IS NULL
                  ORDER BY (user_id IS NULL), id DESC LIMIT 1",
            )?
            .query_row([user_id], |row| row.get(0))
            .optional()?;
        let server = match chosen {
            Some(id) => self.mail_server(id)?,
            None => None,
        };
        match server {
            Some(server) => Ok(server),
            None => Ok(self.tx.query_row(
                &format!("{SELECT_SERVER} WHERE builtin = 1 ORDER BY id LIMIT 1"),
                [],
                server_from_row,
            )?),
        }
    }

    /// The register's default server id, if one was chosen.
    pub fn default_mail_server_id(&self) -> Result<Option<i64>> {
        Ok(self
            .tx
            .query_row(
                "SELECT server_id FROM mail_server_choices WHERE user_id IS NULL ORDER BY id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?)
    }

    pub fn insert_dkim_key(&mut self, key: &DkimKeyRow, now: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO dkim_keys (domain, selector, public_key, secret_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key.domain, key.selector, key.public_key, key.secret_name, now],
        )?;
        Ok(())
    }

    /// The newest key of a domain.
    pub fn dkim_key(&self, domain: &str) -> Result<Option<DkimKeyRow>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT domain, selector, public_key, secret_name FROM dkim_keys WHERE domain = ?1 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([domain], |row| {
                Ok(DkimKeyRow {
                    domain: row.get(0)?,
                    selector: row.get(1)?,
                    public_key: row.get(2)?,
                    secret_name: row.get(3)?,
                })
            })
            .optional()?)
    }

    pub fn order_mail_facts(&self, order_id: OrderNumber) -> Result<Option<OrderMailFacts>> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT o.customer_email, o.customer_name, o.lang, e.created_by, l.performance_id
                   FROM orders o
                   JOIN order_lines l ON l.order_id = o.id AND l.line_no = (SELECT min(line_no) FROM order_lines WHERE order_id = o.id)
                   JOIN performances p ON p.id = l.performance_id
                   JOIN events e ON e.id = p.event_id
                  WHERE o.id = ?1",
            )?
            .query_row([order_id], |row| {
                Ok(OrderMailFacts {
                    customer_email: row.get(0)?,
                    customer_name: row.get(1)?,
                    lang: row.get(2)?,
                    event_created_by: row.get(3)?,
                    performance_id: row.get(4)?,
                })
            })
            .optional()?)
    }

    /// Orders with valid tickets for a performance that have an e-mail address (bulk re-mail).
    pub fn mailable_orders_of_performance(
        &self,
        performance_id: PerformanceId,
    ) -> Result<Vec<OrderNumber>> {
        let mut statement = self.tx.prepare_cached(
            "SELECT DISTINCT o.id FROM orders o JOIN tickets t ON t.order_id = o.id
              WHERE t.performance_id = ?1 AND t.state = 'valid' AND o.customer_email IS NOT NULL
              ORDER BY o.id",
        )?;
        let rows = statement.query_map([performance_id], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn insert_outbox(&mut self, mail: &NewOutbox<'_>) -> Result<i64> {
        let NewOutbox {
            order_id,
            server_id,
            to_address,
            lang,
            message_id,
            replaces,
            created_by,
            now,
        } = *mail;
        self.tx.prepare_cached(
            "INSERT INTO mail_outbox (order_id, server_id, to_address, lang, message_id, replaces, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?.execute(params![order_id, server_id, to_address, lang, message_id, replaces, created_by, now])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_mail_attempt(
        &mut self,
        mail_id: i64,
        outcome: &str,
        reply: &str,
        next_attempt_at: Option<&str>,
        now: &str,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO mail_attempts (mail_id, at, outcome, reply, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![mail_id, now, outcome, reply, next_attempt_at])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn outbox_entry(&self, mail_id: i64) -> Result<Option<OutboxRow>> {
        Ok(self
            .tx
            .prepare_cached(&format!("{SELECT_OUTBOX} WHERE m.id = ?1"))?
            .query_row([mail_id], outbox_from_row)
            .optional()?)
    }

    /// The outbox, oldest first; `state` filters on the newest attempt's outcome.
    pub fn outbox(&self, state: Option<&str>) -> Result<Vec<OutboxRow>> {
        let mut statement = self.tx.prepare_cached(&format!(
            "{SELECT_OUTBOX} WHERE ?1 IS NULL OR coalesce(a.outcome, 'queued') = ?1 ORDER BY m.id"
        ))?;
        let rows = statement.query_map([state], outbox_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Messages to send: queued, or waiting to be retried at or before `now`
    /// (every retry when `now` is None: "send what is queued now").
    pub fn outbox_due(&self, now: Option<&str>) -> Result<Vec<OutboxRow>> {
        let mut statement = self.tx.prepare_cached(&format!(
            "{SELECT_OUTBOX} WHERE a.id IS NULL OR (a.outcome = 'retry' AND (?1 IS NULL OR a.next_attempt_at <= ?1)) ORDER BY m.id"
        ))?;
        let rows = statement.query_map([now], outbox_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many messages are in each state, and the newest trouble.
    pub fn outbox_summary(&self) -> Result<OutboxSummary> {
        let mut statement = self.tx.prepare_cached(
            "SELECT coalesce(a.outcome, 'queued') AS state, count(*)
               FROM mail_outbox m
               LEFT JOIN mail_attempts a ON a.id = (SELECT max(id) FROM mail_attempts x WHERE x.mail_id = m.id)
              GROUP BY state ORDER BY state",
        )?;
        let counts: Vec<(String, i64)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let count = |state: &str| {
            counts
                .iter()
                .find(|(s, _)| s == state)
                .map_or(0, |(_, n)| *n)
        };
        let trouble = self
            .tx
            .query_row(
                "SELECT reply, at FROM mail_attempts WHERE outcome IN ('failed', 'retry') ORDER BY id DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(OutboxSummary {
            queued: count("queued"),
            retry: count("retry"),
            failed: count("failed"),
            sent: count("sent"),
            newest_trouble: trouble,
        })
    }

    /// Failures after the newest one `user_id` has looked at (the red count).
    pub fn unseen_mail_failures(&self, user_id: UserId) -> Result<i64> {
        Ok(self.tx.prepare_cached(
            "SELECT count(*) FROM mail_attempts a
              WHERE a.outcome = 'failed'
                AND a.id = (SELECT max(id) FROM mail_attempts x WHERE x.mail_id = a.mail_id)
                AND a.id > coalesce((SELECT max(seen_up_to) FROM mail_failures_seen WHERE user_id = ?1), 0)",
        )?.query_row([user_id], |row| row.get(0))?)
    }

    pub fn mark_mail_failures_seen(&mut self, user_id: UserId, now: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO mail_failures_seen (user_id, seen_up_to, at)
             SELECT ?1, coalesce(max(id), 0), ?2 FROM mail_attempts",
            params![user_id, now],
        )?;
        Ok(())
    }
}

/// The SMS gateway settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsGatewayRow {
    pub url_template: String,
    /// GET or POST
    pub method: String,
    pub body_template: Option<String>,
    pub username: Option<String>,
    pub secret_name: Option<String>,
    pub link_template: String,
}

impl Tx<'_> {
    pub fn insert_sms_gateway(
        &mut self,
        settings: &SmsGatewayRow,
        user_id: Option<UserId>,
        now: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sms_gateway_settings (url_template, method, body_template, username, secret_name, link_template, saved_by, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                settings.url_template,
                settings.method,
                settings.body_template,
                settings.username,
                settings.secret_name,
                settings.link_template,
                user_id,
                now
            ],
        )?;
        Ok(())
    }

    pub fn sms_gateway(&self) -> Result<Option<SmsGatewayRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT url_template, method, body_template, username, secret_name, link_template
                   FROM sms_gateway_settings ORDER BY id DESC LIMIT 1",
                [],
                |row| {
                    Ok(SmsGatewayRow {
                        url_template: row.get(0)?,
                        method: row.get(1)?,
                        body_template: row.get(2)?,
                        username: row.get(3)?,
                        secret_name: row.get(4)?,
                        link_template: row.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn insert_sms(
        &mut self,
        order_id: OrderNumber,
        to_phone: &str,
        text: &str,
        user_id: Option<UserId>,
        now: &str,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO sms_messages (order_id, to_phone, text, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![order_id, to_phone, text, user_id, now],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_sms_attempt(
        &mut self,
        sms_id: i64,
        outcome: &str,
        reply: &str,
        now: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO sms_attempts (sms_id, at, outcome, reply) VALUES (?1, ?2, ?3, ?4)",
            params![sms_id, now, outcome, reply],
        )?;
        Ok(())
    }
}
