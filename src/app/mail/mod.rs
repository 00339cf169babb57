//! Mail services: SMTP servers (copy to create; the built-in one is read-only), DKIM keys,
//! queueing ticket mail in the outbox, sending what is due with retry and backoff, failures,
//! correcting an address and resending.
//!
//! `actor` is the logged-in user in the GUI (their role is checked inside the transaction) or
//! `None` at the command line, which acts as the register's operator: whoever can run it
//! can write the ledger file anyway.

use crate::app::{AdminError, MailError, SaleError};
use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, PerformanceId, UserId};

use super::services::{random_bytes, require, valid_email};
use super::{AppError, Services, Session};
use crate::domain::Permission;
use crate::i18n::Lang;
use crate::ledger::{DkimKeyRow, MailServerRow, NewMailServer, OutboxRow, Tx, now_text};
use crate::mail::compose::{self, Sender, domain_of};
use crate::mail::dkim::{self, DnsRecord};
use crate::mail::secrets::{EncryptedFileStore, Secret, SecretStore};
use crate::mail::smtp::{Delivery, Security, ServerSettings, reply_code};

mod send;
mod sms;
pub use sms::{SmsGatewayRequest, SmsOutcome};
/// Temporary failures before a message is given up as failed.
pub const MAX_TEMPORARY_ATTEMPTS: i64 = 10;
/// The first retry waits this long; each next one twice as long, at most [`MAX_BACKOFF_SECS`].
pub const FIRST_BACKOFF_SECS: i64 = 30;
pub const MAX_BACKOFF_SECS: i64 = 3600;

/// A new server as the settings screen or `mail server add` gives it.
#[derive(Debug, Clone)]
pub struct MailServerRequest {
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub from_name: String,
    pub from_address: String,
}

/// The outcome of one `send_due` round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushReport {
    pub sent: Vec<i64>,
    pub retrying: Vec<i64>,
    pub failed: Vec<i64>,
}

/// What "Send test mail" shows: the server's reply verbatim and what it usually means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestMailOutcome {
    pub delivered: bool,
    pub reply: String,
    pub meaning: String,
}

/// The DNS records of a sending domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRecords {
    pub dkim: DnsRecord,
    pub spf: DnsRecord,
    pub dmarc: DnsRecord,
}

impl Services {
    pub(super) fn secret_store(&self) -> EncryptedFileStore {
        EncryptedFileStore::for_data_dir(self.data_dir())
    }

    pub fn mail_servers(&mut self) -> Result<(Vec<MailServerRow>, Option<i64>), AppError> {
        self.ledger_mut()
            .read(|tx| Ok::<_, AppError>((tx.mail_servers()?, tx.default_mail_server_id()?)))
    }

    /// Adds a server. The password goes to the secret store, never into the ledger or a log.
    pub fn add_mail_server(
        &mut self,
        actor: &Session,
        request: &MailServerRequest,
    ) -> Result<i64, AppError> {
        let name = request.name.trim();
        if name.is_empty() || name.len() > 64 {
            return Err(AppError::Mail(MailError::MailSetup(
                "a mail server needs a name (at most 64 characters)".into(),
            )));
        }
        if request.host.trim().is_empty() || request.port == 0 {
            return Err(AppError::Mail(MailError::MailSetup(
                "a mail server needs a host and a port".into(),
            )));
        }
        if !valid_email(&request.from_address) {
            return Err(AppError::Sale(SaleError::InvalidEmail(
                request.from_address.clone(),
            )));
        }
        if request.password.is_some() && request.username.is_none() {
            return Err(AppError::Mail(MailError::MailSetup(
                "a password needs a user name (--user)".into(),
            )));
        }
        if self
            .ledger_mut()
            .read(|tx| tx.mail_server_by_name(name))?
            .is_some()
        {
            return Err(AppError::Mail(MailError::MailServerExists(
                name.to_string(),
            )));
        }
        let secret_name = request.password.as_ref().map(|_| format!("smtp:{name}"));
        if let (Some(secret_name), Some(password)) = (&secret_name, &request.password) {
            self.secret_store()
                .put(secret_name, password)
                .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        }
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Settings, "add a mail server")?;
            let id = tx.insert_mail_server(
                &NewMailServer {
                    name,
                    host: request.host.trim(),
                    port: request.port,
                    security: request.security.code(),
                    username: request.username.as_deref(),
                    secret_name: secret_name.as_deref(),
                    from_name: request.from_name.trim(),
                    from_address: request.from_address.trim(),
                    templates: None,
                    copied_from: None,
                },
                &now,
            )?;
            tx.append_journal(
                JournalKind::MailServerAdd,
                user_id,
                None,
                &serde_json::json!({
                    "server_id": id, "name": name, "host": request.host.trim(), "port": request.port,
                    "security": request.security.code(), "username": request.username,
                    "password_stored": secret_name.is_some(), "from": request.from_address.trim(),
                }),
            )?;
            Ok(id)
        })
    }

    /// A new server made by copying one (settings, templates and password travel together).
    pub fn copy_mail_server(
        &mut self,
        actor: &Session,
        from: &str,
        new_name: &str,
    ) -> Result<i64, AppError> {
        let new_name = new_name.trim();
        if new_name.is_empty() || new_name.len() > 64 {
            return Err(AppError::Mail(MailError::MailSetup(
                "a mail server needs a name (at most 64 characters)".into(),
            )));
        }
        let (source, exists) = self.ledger_mut().read(|tx| {
            Ok::<_, AppError>((
                tx.mail_server_by_name(from)?,
                tx.mail_server_by_name(new_name)?.is_some(),
            ))
        })?;
        let source =
            source.ok_or_else(|| AppError::Mail(MailError::UnknownMailServer(from.to_string())))?;
        if exists {
            return Err(AppError::Mail(MailError::MailServerExists(
                new_name.to_string(),
            )));
        }
        let mut secret_name = None;
        if let Some(old) = &source.secret_name {
            let mut store = self.secret_store();
            let password = store
                .get(old)
                .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
            if let Some(password) = password {
                let name = format!("smtp:{new_name}");
                store
                    .put(&name, &password)
                    .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
                secret_name = Some(name);
            }
        }
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Settings, "copy a mail server")?;
            let id = tx.insert_mail_server(
                &NewMailServer {
                    name: new_name,
                    host: &source.host,
                    port: source.port,
                    security: &source.security,
                    username: source.username.as_deref(),
                    secret_name: secret_name.as_deref(),
                    from_name: &source.from_name,
                    from_address: &source.from_address,
                    templates: source.templates.as_deref(),
                    copied_from: Some(source.id),
                },
                &now,
            )?;
            tx.append_journal(
                JournalKind::MailServerCopy,
                user_id,
                None,
                &serde_json::json!({"server_id": id, "name": new_name, "copied_from": source.id}),
            )?;
            Ok(id)
        })
    }

    /// Makes a server the register's default (`user` None) or the server of one user.
    pub fn choose_mail_server(
        &mut self,
        actor: &Session,
        name: &str,
        user: Option<&str>,
    ) -> Result<(), AppError> {
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let actor_id = check(tx, actor, Permission::Settings, "choose the mail server")?;
            let server = tx
                .mail_server_by_name(name)?
                .ok_or_else(|| AppError::Mail(MailError::UnknownMailServer(name.to_string())))?;
            let user_id = match user {
                Some(user) => Some(
                    tx.user_by_name(user)?
                        .ok_or(AppError::Admin(AdminError::UnknownUser))?
                        .id,
                ),
                None => None,
            };
            tx.choose_mail_server(user_id, server.id, &now)?;
            tx.append_journal(
                JournalKind::MailServerChoose,
                actor_id,
                None,
                &serde_json::json!({"server_id": server.id, "user_id": user_id}),
            )?;
            Ok(())
        })
    }

    /// Generates a 2048-bit RSA DKIM key for a domain (the private key goes to the secret store)
    /// and returns the records to publish.
    pub fn generate_dkim_key(
        &mut self,
        actor: &Session,
        domain: &str,
        selector: &str,
    ) -> Result<DomainRecords, AppError> {
        let domain = domain.trim().to_ascii_lowercase();
        if !dkim::valid_dns_name(&domain) || !domain.contains('.') {
            return Err(AppError::Mail(MailError::MailSetup(format!(
                "'{domain}' is not a domain name"
            ))));
        }
        if !dkim::valid_dns_name(selector) || selector.contains('.') {
            return Err(AppError::Mail(MailError::MailSetup(format!(
                "'{selector}' is not a DKIM selector (letters, digits, hyphens)"
            ))));
        }
        self.ledger_mut()
            .read(|tx| require(tx, actor, Permission::Settings, "generate a DKIM key"))?;
        let key = dkim::generate_key()
            .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        let secret_name = format!("dkim:{domain}:{selector}");
        self.secret_store()
            .put(&secret_name, &key.private_pem)
            .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Settings, "generate a DKIM key")?;
            tx.insert_dkim_key(
                &DkimKeyRow {
                    domain: domain.clone(),
                    selector: selector.to_string(),
                    public_key: key.public_key_base64.clone(),
                    secret_name: secret_name.clone(),
                },
                &now,
            )?;
            tx.append_journal(
                JournalKind::MailDkimGenerate,
                user_id,
                None,
                &serde_json::json!({"domain": domain, "selector": selector, "public_key": key.public_key_base64}),
            )?;
            Ok::<_, AppError>(())
        })?;
        self.domain_records(&domain)
    }

    /// The DKIM, SPF and DMARC records of a domain that has a DKIM key.
    pub fn domain_records(&mut self, domain: &str) -> Result<DomainRecords, AppError> {
        let domain = domain.trim().to_ascii_lowercase();
        let (key, server) = self
            .ledger_mut()
            .read(|tx| Ok::<_, AppError>((tx.dkim_key(&domain)?, tx.sending_mail_server(None)?)))?;
        let key = key.ok_or_else(|| AppError::Mail(MailError::NoDkimKey(domain.clone())))?;
        Ok(DomainRecords {
            dkim: dkim::dkim_record(&domain, &key.selector, &key.public_key),
            spf: dkim::spf_record(&domain, &server.host),
            dmarc: dkim::dmarc_record(&domain),
        })
    }

    /// Queues an order's tickets for mail (to `to`, else the order's address). At the counter
    /// right after a sale this needs the Sell permission; later (a re-mail) it needs Remail.
    pub fn queue_ticket_mail(
        &mut self,
        actor: &Session,
        order_number: OrderNumber,
        to: Option<&str>,
        remail: bool,
    ) -> Result<i64, AppError> {
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let permission = if remail {
                Permission::Remail
            } else {
                Permission::Sell
            };
            let user_id = check(tx, actor, permission, "mail tickets")?;
            queue_in(tx, order_number, to, None, user_id, &now)
        })
    }

    /// Queues the tickets of every order of a performance that has an e-mail address (staff).
    /// Returns the new outbox ids; `progress(done, total)` after each, and `cancelled()` stops.
    pub fn bulk_remail_performance(
        &mut self,
        actor: &Session,
        performance_id: PerformanceId,
        mut progress: impl FnMut(usize, usize),
        cancelled: impl Fn() -> bool,
    ) -> Result<Vec<i64>, AppError> {
        let orders = self
            .ledger_mut()
            .read(|tx| tx.mailable_orders_of_performance(performance_id))?;
        let mut ids = Vec::new();
        for (done, order) in orders.iter().enumerate() {
            if cancelled() {
                break;
            }
            ids.push(self.queue_ticket_mail(actor, *order, None, true)?);
            progress(done + 1, orders.len());
        }
        Ok(ids)
    }

    /// A failed (or still retrying) message to a wrong address: a new message to the corrected
    /// address replaces it; both addresses are journaled.
    pub fn readdress_mail(
        &mut self,
        actor: &Session,
        mail_id: i64,
        new_address: &str,
    ) -> Result<i64, AppError> {
        let new_address = new_address.trim();
        if !valid_email(new_address) {
            return Err(AppError::Sale(SaleError::InvalidEmail(
                new_address.to_string(),
            )));
        }
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Remail, "correct an address")?;
            let old = tx
                .outbox_entry(mail_id)?
                .ok_or(AppError::Mail(MailError::UnknownMail(mail_id)))?;
            if !matches!(old.state.as_str(), "failed" | "retry" | "queued") {
                return Err(AppError::Mail(MailError::MailNotFailed(mail_id)));
            }
            let new_id = queue_in(
                tx,
                old.order_id,
                Some(new_address),
                Some(mail_id),
                user_id,
                &now,
            )?;
            tx.insert_mail_attempt(
                mail_id,
                "replaced",
                &format!("replaced by message {new_id} to {new_address}"),
                None,
                &now,
            )?;
            tx.append_journal(
                JournalKind::MailReaddress,
                user_id,
                Some(old.order_id),
                &serde_json::json!({"mail_id": mail_id, "new_mail_id": new_id,
                    "old_address": old.to_address, "new_address": new_address}),
            )?;
            Ok(new_id)
        })
    }

    /// The outbox (`failed_only`: only messages whose newest attempt failed).
    pub fn outbox(&mut self, failed_only: bool) -> Result<Vec<OutboxRow>, AppError> {
        let state = failed_only.then_some("failed");
        Ok(self.ledger_mut().read(|tx| tx.outbox(state))?)
    }

    /// The status screen's line for mail: the outbox counts, the sending server, the newest trouble.
    /// Not OK while messages wait for a retry or have failed.
    pub fn mail_status(&mut self) -> Result<super::support::IntegrationStatus, AppError> {
        let (summary, server) = self
            .ledger_mut()
            .read(|tx| Ok::<_, AppError>((tx.outbox_summary()?, tx.sending_mail_server(None)?)))?;
        let trouble = summary.newest_trouble;
        let fact = super::status_fact::StatusFact::Mail {
            server: server.name.clone(),
            host: server.host.clone(),
            port: server.port,
            security: server.security.to_string(),
            queued: summary.queued,
            retry: summary.retry,
            failed: summary.failed,
            sent: summary.sent,
        };
        Ok(super::support::IntegrationStatus {
            name: "mail.smtp".into(),
            ok: summary.retry == 0 && summary.failed == 0,
            detail: format!(
                "{} {}:{} ({}); outbox: {} queued, {} to retry, {} failed, {} sent",
                server.name,
                server.host,
                server.port,
                server.security,
                summary.queued,
                summary.retry,
                summary.failed,
                summary.sent
            ),
            fact: Some(fact),
            at: Some(now_text()),
            last_error: trouble.as_ref().map(|(reply, _)| reply.clone()),
            last_error_at: trouble.map(|(_, at)| at),
        })
    }

    /// One message of the outbox with its newest attempt.
    pub fn mail_entry(&mut self, mail_id: i64) -> Result<Option<OutboxRow>, AppError> {
        Ok(self.ledger_mut().read(|tx| tx.outbox_entry(mail_id))?)
    }

    /// Messages waiting for a retry, and the newest trouble (the server's reply or why it
    /// could not be reached).
    pub fn mail_waiting(&mut self) -> Result<(i64, Option<String>), AppError> {
        let summary = self.ledger_mut().read(|tx| tx.outbox_summary())?;
        Ok((
            summary.retry,
            summary.newest_trouble.map(|(reply, _)| reply),
        ))
    }

    /// Failures since the user last looked at the failures list (the red count).
    pub fn unseen_mail_failures(&mut self, session: &Session) -> Result<i64, AppError> {
        Ok(self
            .ledger_mut()
            .read(|tx| tx.unseen_mail_failures(session.user_id))?)
    }

    pub fn mark_mail_failures_seen(&mut self, session: &Session) -> Result<(), AppError> {
        let now = now_text();
        Ok(self
            .ledger_mut()
            .transact(|tx| tx.mark_mail_failures_seen(session.user_id, &now))?)
    }

    /// Sends a test message through a server now and reports the server's reply verbatim.
    pub fn send_test_mail(
        &mut self,
        actor: &Session,
        server_name: &str,
        to: &str,
        lang: Lang,
    ) -> Result<TestMailOutcome, AppError> {
        if !valid_email(to) {
            return Err(AppError::Sale(SaleError::InvalidEmail(to.to_string())));
        }
        let server = self.ledger_mut().read(|tx| {
            require(tx, actor, Permission::Settings, "send a test mail")?;
            tx.mail_server_by_name(server_name)?.ok_or_else(|| {
                AppError::Mail(MailError::UnknownMailServer(server_name.to_string()))
            })
        })?;
        let settings = self
            .server_settings(&server)
            .map_err(|e| AppError::Mail(MailError::MailSetup(e)))?;
        let mailer = settings
            .mailer()
            .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        let dkim = self.dkim_config(&server.from_address)?;
        let message = compose::test_mail(
            &Sender {
                name: server.from_name.clone(),
                address: server.from_address.clone(),
            },
            to,
            crate::i18n::tr(lang, crate::i18n::Text::TestMailSubject),
            crate::i18n::tr(lang, crate::i18n::Text::TestMailBody),
            dkim.as_ref(),
        )
        .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        let delivery = mailer.session().deliver(&message);
        let delivered = matches!(delivery, Delivery::Sent(_));
        let reply = delivery.reply().to_string();
        let meaning = crate::i18n::smtp_reply_meaning(lang, reply_code(&reply), &reply);
        Ok(TestMailOutcome {
            delivered,
            reply,
            meaning,
        })
    }

    pub(super) fn server_settings(&self, server: &MailServerRow) -> Result<ServerSettings, String> {
        let security = Security::parse(&server.security)
            .ok_or_else(|| format!("unknown security '{}'", server.security))?;
        let password = match &server.secret_name {
            Some(name) => Some(
                self.secret_store()
                    .get(name)
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| {
                        format!(
                            "the password of mail server '{}' is missing from the secret store",
                            server.name
                        )
                    })?,
            ),
            None => None,
        };
        Ok(ServerSettings {
            host: server.host.clone(),
            port: server.port,
            security,
            username: server.username.clone(),
            password,
            extra_ca_pem: ServerSettings::extra_ca_from_env().map_err(|e| e.to_string())?,
        })
    }

    /// The DKIM signing configuration of the sender's domain, when it has a key.
    pub(super) fn dkim_config(
        &mut self,
        from_address: &str,
    ) -> Result<Option<lettre::message::dkim::DkimConfig>, AppError> {
        let domain = domain_of(from_address).to_ascii_lowercase();
        let Some(key) = self.ledger_mut().read(|tx| tx.dkim_key(&domain))? else {
            return Ok(None);
        };
        let private = self
            .secret_store()
            .get(&key.secret_name)
            .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?
            .ok_or_else(|| {
                AppError::Mail(MailError::MailSetup(format!(
                    "the DKIM key of {domain} is missing from the secret store"
                )))
            })?;
        dkim::signing_config(&domain, &key.selector, &private)
            .map(Some)
            .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))
    }
}

/// The user id to journal, after checking the actor's role.
fn check(
    tx: &Tx<'_>,
    actor: &Session,
    permission: Permission,
    action: &'static str,
) -> Result<Option<UserId>, AppError> {
    Ok(Some(require(tx, actor, permission, action)?.id))
}

/// Writes one outbox row (and its journal entry) inside the caller's transaction.
pub(super) fn queue_in(
    tx: &mut Tx<'_>,
    order_number: OrderNumber,
    to: Option<&str>,
    replaces: Option<i64>,
    user_id: Option<UserId>,
    now: &str,
) -> Result<i64, AppError> {
    let facts = tx
        .order_mail_facts(order_number)?
        .ok_or(AppError::Sale(SaleError::UnknownOrder(order_number)))?;
    let address = to
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .or(facts.customer_email)
        .ok_or(AppError::Mail(MailError::NoEmailAddress(order_number)))?;
    if !valid_email(&address) {
        return Err(AppError::Sale(SaleError::InvalidEmail(address)));
    }
    let server = tx.sending_mail_server(facts.event_created_by)?;
    // Kept across retries, so a receiver can drop a duplicate.
    let message_id = format!(
        "order-{order_number}.{}@{}",
        hex::encode(random_bytes::<8>()),
        domain_of(&server.from_address)
    );
    let id = tx.insert_outbox(&crate::ledger::NewOutbox {
        order_id: order_number,
        server_id: server.id,
        to_address: &address,
        lang: &facts.lang,
        message_id: &message_id,
        replaces,
        created_by: user_id,
        now,
    })?;
    tx.append_journal(
        JournalKind::MailQueue,
        user_id,
        Some(order_number),
        &serde_json::json!({"mail_id": id, "to": address, "server_id": server.id, "replaces": replaces}),
    )?;
    Ok(id)
}

/// Seconds to wait before retry number `attempt` (1-based).
pub fn backoff_secs(attempt: i64) -> i64 {
    let doublings = (attempt - 1).clamp(0, 20) as u32;
    (FIRST_BACKOFF_SECS << doublings).min(MAX_BACKOFF_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(5), 480);
        assert_eq!(backoff_secs(9), 3600);
        assert_eq!(backoff_secs(100), 3600);
    }
}
