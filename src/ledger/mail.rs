//! Mail: SMTP servers (the built-in one is read-only), which server sends, DKIM public keys,
//! the append-only outbox and its attempts, and what each user has seen of the failures.
//! Passwords and private keys are not here: rows only name them in the secret store.

use crate::domain::ids::{OrderNumber, PerformanceId, UserId};

use super::engine::{Db as _, Row, values};
use super::{LedgerError, Result, Tx};

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

fn server_from_row(row: &Row) -> Result<MailServerRow> {
    Ok(MailServerRow {
        id: row.int(0)?,
        name: row.text(1)?,
        host: row.text(2)?,
        port: u16::try_from(row.int(3)?)
            .map_err(|e| LedgerError::Postgres(format!("a mail server's port: {e}")))?,
        security: row.text(4)?,
        username: row.opt_text(5)?,
        secret_name: row.opt_text(6)?,
        from_name: row.text(7)?,
        from_address: row.text(8)?,
        templates: row.opt_text(9)?,
        builtin: row.int(10)? != 0,
        copied_from: row.opt_int(11)?,
    })
}

/// Every message with its newest attempt (`a` is the newest attempt row or NULL) and its attempt count.
const SELECT_OUTBOX: &str = "SELECT m.id, m.order_id, m.server_id, m.to_address, m.lang, m.message_id, m.created_at,
        coalesce(a.outcome, 'queued'), (SELECT count(*) FROM mail_attempts c WHERE c.mail_id = m.id AND c.outcome IN ('sent', 'retry', 'failed')),
        a.reply, a.next_attempt_at, a.id
   FROM mail_outbox m
   LEFT JOIN mail_attempts a ON a.id = (SELECT max(id) FROM mail_attempts x WHERE x.mail_id = m.id)";

fn outbox_from_row(row: &Row) -> Result<OutboxRow> {
    Ok(OutboxRow {
        id: row.int(0)?,
        order_id: OrderNumber(row.int(1)?),
        server_id: row.int(2)?,
        to_address: row.text(3)?,
        lang: row.text(4)?,
        message_id: row.text(5)?,
        created_at: row.text(6)?,
        state: row.text(7)?,
        attempts: row.int(8)?,
        last_reply: row.opt_text(9)?,
        next_attempt_at: row.opt_text(10)?,
        last_attempt_id: row.opt_int(11)?,
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
        self.db()
            .query(&format!("{SELECT_SERVER} ORDER BY id"), &[])?
            .iter()
            .map(server_from_row)
            .collect()
    }

    pub fn mail_server_by_name(&self, name: &str) -> Result<Option<MailServerRow>> {
        self.db()
            .query_opt(&format!("{SELECT_SERVER} WHERE name = ?1"), &values![name])?
            .as_ref()
            .map(server_from_row)
            .transpose()
    }

    pub fn mail_server(&self, id: i64) -> Result<Option<MailServerRow>> {
        self.db()
            .query_opt(&format!("{SELECT_SERVER} WHERE id = ?1"), &values![id])?
            .as_ref()
            .map(server_from_row)
            .transpose()
    }

    pub fn insert_mail_server(&mut self, server: &NewMailServer<'_>, now: &str) -> Result<i64> {
        self.db()
            .query_one(
                "INSERT INTO mail_servers (name, host, port, security, username, secret_name, from_name, from_address, templates, copied_from, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                &values![
                    server.name,
                    server.host,
                    i64::from(server.port),
                    server.security,
                    server.username,
                    server.secret_name,
                    server.from_name,
                    server.from_address,
                    server.templates,
                    server.copied_from,
                    now
                ],
            )?
            .int(0)
    }

    /// Makes `server_id` the register's default (`user_id` None) or that user's server.
    pub fn choose_mail_server(
        &mut self,
        user_id: Option<UserId>,
        server_id: i64,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO mail_server_choices (user_id, server_id, chosen_at) VALUES (?1, ?2, ?3)",
            &values![user_id, server_id, now],
        )?;
        Ok(())
    }

    /// The server that sends for `user_id` (the event's creator): theirs, else the register's
    /// default, else the built-in one.
    pub fn sending_mail_server(&self, user_id: Option<UserId>) -> Result<MailServerRow> {
        let mut db = self.db();
        let chosen = db
            .query_opt(
                "SELECT server_id FROM mail_server_choices
                  WHERE user_id = ?1 OR user_id IS NULL
                  ORDER BY (user_id IS NULL), id DESC LIMIT 1",
                &values![user_id],
            )?
            .map(|row| row.int(0))
            .transpose()?;
        let server = match chosen {
            Some(id) => self.mail_server(id)?,
            None => None,
        };
        match server {
            Some(server) => Ok(server),
            None => server_from_row(&db.query_one(
                &format!("{SELECT_SERVER} WHERE builtin = 1 ORDER BY id LIMIT 1"),
                &[],
            )?),
        }
    }

    /// The register's default server id, if one was chosen.
    pub fn default_mail_server_id(&self) -> Result<Option<i64>> {
        self.db()
            .query_opt(
                "SELECT server_id FROM mail_server_choices WHERE user_id IS NULL ORDER BY id DESC LIMIT 1",
                &[],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    pub fn insert_dkim_key(&mut self, key: &DkimKeyRow, now: &str) -> Result<()> {
        self.db().execute(
            "INSERT INTO dkim_keys (domain, selector, public_key, secret_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            &values![
                key.domain.as_str(),
                key.selector.as_str(),
                key.public_key.as_str(),
                key.secret_name.as_str(),
                now
            ],
        )?;
        Ok(())
    }

    /// The newest key of a domain.
    pub fn dkim_key(&self, domain: &str) -> Result<Option<DkimKeyRow>> {
        self.db()
            .query_opt(
                "SELECT domain, selector, public_key, secret_name FROM dkim_keys WHERE domain = ?1 ORDER BY id DESC LIMIT 1",
                &values![domain],
            )?
            .map(|row| {
                Ok(DkimKeyRow {
                    domain: row.text(0)?,
                    selector: row.text(1)?,
                    public_key: row.text(2)?,
                    secret_name: row.text(3)?,
                })
            })
            .transpose()
    }

    pub fn order_mail_facts(&self, order_id: OrderNumber) -> Result<Option<OrderMailFacts>> {
        self.db()
            .query_opt(
                "SELECT o.customer_email, o.customer_name, o.lang, e.created_by, l.performance_id
                   FROM orders o
                   JOIN order_lines l ON l.order_id = o.id AND l.line_no = (SELECT min(line_no) FROM order_lines WHERE order_id = o.id)
                   JOIN performances p ON p.id = l.performance_id
                   JOIN events e ON e.id = p.event_id
                  WHERE o.id = ?1",
                &values![order_id],
            )?
            .map(|row| {
                Ok(OrderMailFacts {
                    customer_email: row.opt_text(0)?,
                    customer_name: row.opt_text(1)?,
                    lang: row.text(2)?,
                    event_created_by: row.opt_int(3)?.map(UserId),
                    performance_id: PerformanceId(row.int(4)?),
                })
            })
            .transpose()
    }

    /// Orders with valid tickets for a performance that have an e-mail address (bulk re-mail).
    pub fn mailable_orders_of_performance(
        &self,
        performance_id: PerformanceId,
    ) -> Result<Vec<OrderNumber>> {
        self.db()
            .query(
                "SELECT DISTINCT o.id FROM orders o JOIN tickets t ON t.order_id = o.id
                  WHERE t.performance_id = ?1 AND t.state = 'valid' AND o.customer_email IS NOT NULL
                  ORDER BY o.id",
                &values![performance_id],
            )?
            .iter()
            .map(|row| row.int(0).map(OrderNumber))
            .collect()
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
        self.db()
            .query_one(
                "INSERT INTO mail_outbox (order_id, server_id, to_address, lang, message_id, replaces, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                &values![order_id, server_id, to_address, lang, message_id, replaces, created_by, now],
            )?
            .int(0)
    }

    pub fn insert_mail_attempt(
        &mut self,
        mail_id: i64,
        outcome: &str,
        reply: &str,
        next_attempt_at: Option<&str>,
        now: &str,
    ) -> Result<i64> {
        self.db()
            .query_one(
                "INSERT INTO mail_attempts (mail_id, at, outcome, reply, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 RETURNING id",
                &values![mail_id, now, outcome, reply, next_attempt_at],
            )?
            .int(0)
    }

    pub fn outbox_entry(&self, mail_id: i64) -> Result<Option<OutboxRow>> {
        self.db()
            .query_opt(
                &format!("{SELECT_OUTBOX} WHERE m.id = ?1"),
                &values![mail_id],
            )?
            .as_ref()
            .map(outbox_from_row)
            .transpose()
    }

    /// The outbox, oldest first; `state` filters on the newest attempt's outcome.
    pub fn outbox(&self, state: Option<&str>) -> Result<Vec<OutboxRow>> {
        self.db()
            .query(
                &format!(
                    "{SELECT_OUTBOX} WHERE CAST(?1 AS text) IS NULL OR coalesce(a.outcome, 'queued') = ?1 ORDER BY m.id"
                ),
                &values![state],
            )?
            .iter()
            .map(outbox_from_row)
            .collect()
    }

    /// Messages to send: queued, or waiting to be retried at or before `now`
    /// (every retry when `now` is None: "send what is queued now").
    pub fn outbox_due(&self, now: Option<&str>) -> Result<Vec<OutboxRow>> {
        self.db()
            .query(
                &format!(
                    "{SELECT_OUTBOX} WHERE a.id IS NULL OR (a.outcome = 'retry' AND (CAST(?1 AS text) IS NULL OR a.next_attempt_at <= ?1)) ORDER BY m.id"
                ),
                &values![now],
            )?
            .iter()
            .map(outbox_from_row)
            .collect()
    }

    /// How many messages are in each state, and the newest trouble.
    pub fn outbox_summary(&self) -> Result<OutboxSummary> {
        let mut db = self.db();
        let counts: Vec<(String, i64)> = db
            .query(
                "SELECT coalesce(a.outcome, 'queued') AS state, count(*)
                   FROM mail_outbox m
                   LEFT JOIN mail_attempts a ON a.id = (SELECT max(id) FROM mail_attempts x WHERE x.mail_id = m.id)
                  GROUP BY state ORDER BY state",
                &[],
            )?
            .iter()
            .map(|row| Ok((row.text(0)?, row.int(1)?)))
            .collect::<Result<_>>()?;
        let count = |state: &str| {
            counts
                .iter()
                .find(|(s, _)| s == state)
                .map_or(0, |(_, n)| *n)
        };
        let trouble = db
            .query_opt(
                "SELECT reply, at FROM mail_attempts WHERE outcome IN ('failed', 'retry') ORDER BY id DESC LIMIT 1",
                &[],
            )?
            .map(|row| Ok::<_, LedgerError>((row.text(0)?, row.text(1)?)))
            .transpose()?;
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
        self.db()
            .query_one(
                "SELECT count(*) FROM mail_attempts a
                  WHERE a.outcome = 'failed'
                    AND a.id = (SELECT max(id) FROM mail_attempts x WHERE x.mail_id = a.mail_id)
                    AND a.id > coalesce((SELECT max(seen_up_to) FROM mail_failures_seen WHERE user_id = ?1), 0)",
                &values![user_id],
            )?
            .int(0)
    }

    pub fn mark_mail_failures_seen(&mut self, user_id: UserId, now: &str) -> Result<()> {
        self.db().execute(
            "INSERT INTO mail_failures_seen (user_id, seen_up_to, at)
             SELECT CAST(?1 AS bigint), coalesce(max(id), 0), CAST(?2 AS text) FROM mail_attempts",
            &values![user_id, now],
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
        self.db().execute(
            "INSERT INTO sms_gateway_settings (url_template, method, body_template, username, secret_name, link_template, saved_by, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &values![
                settings.url_template.as_str(),
                settings.method.as_str(),
                settings.body_template.as_deref(),
                settings.username.as_deref(),
                settings.secret_name.as_deref(),
                settings.link_template.as_str(),
                user_id,
                now
            ],
        )?;
        Ok(())
    }

    pub fn sms_gateway(&self) -> Result<Option<SmsGatewayRow>> {
        self.db()
            .query_opt(
                "SELECT url_template, method, body_template, username, secret_name, link_template
                   FROM sms_gateway_settings ORDER BY id DESC LIMIT 1",
                &[],
            )?
            .map(|row| {
                Ok(SmsGatewayRow {
                    url_template: row.text(0)?,
                    method: row.text(1)?,
                    body_template: row.opt_text(2)?,
                    username: row.opt_text(3)?,
                    secret_name: row.opt_text(4)?,
                    link_template: row.text(5)?,
                })
            })
            .transpose()
    }

    pub fn insert_sms(
        &mut self,
        order_id: OrderNumber,
        to_phone: &str,
        text: &str,
        user_id: Option<UserId>,
        now: &str,
    ) -> Result<i64> {
        self.db()
            .query_one(
                "INSERT INTO sms_messages (order_id, to_phone, text, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 RETURNING id",
                &values![order_id, to_phone, text, user_id, now],
            )?
            .int(0)
    }

    pub fn insert_sms_attempt(
        &mut self,
        sms_id: i64,
        outcome: &str,
        reply: &str,
        now: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO sms_attempts (sms_id, at, outcome, reply) VALUES (?1, ?2, ?3, ?4)",
            &values![sms_id, now, outcome, reply],
        )?;
        Ok(())
    }
}
