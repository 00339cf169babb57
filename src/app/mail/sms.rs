//! Tickets by SMS: the gateway's settings (the password in the secret store) and one message
//! per order through the HTTP gateway, each attempt recorded.

use super::*;
use crate::domain::JournalKind;
use crate::domain::ids::OrderNumber;

/// The SMS gateway as the settings give it.
#[derive(Debug, Clone)]
pub struct SmsGatewayRequest {
    pub url_template: String,
    pub method: crate::mail::sms::Method,
    pub body_template: Option<String>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The ticket's link; `{code}` is the ticket code.
    pub link_template: String,
}

/// What became of one SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsOutcome {
    pub sms_id: i64,
    pub sent: bool,
    /// The gateway's status and body, or the network error.
    pub reply: String,
}

impl Services {
    /// Saves the SMS gateway settings (admins); the password goes to the secret store.
    pub fn set_sms_gateway(
        &mut self,
        actor: &Session,
        request: &SmsGatewayRequest,
    ) -> Result<(), AppError> {
        let url = request.url_template.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(AppError::Mail(MailError::MailSetup(
                "the SMS gateway URL must start with https:// (or http:// on the local network)"
                    .into(),
            )));
        }
        if !request.link_template.contains("{code}") {
            return Err(AppError::Mail(MailError::MailSetup(
                "the ticket link needs {code} where the ticket code goes".into(),
            )));
        }
        let secret_name = request.password.as_ref().map(|_| "sms:gateway".to_string());
        if let (Some(name), Some(password)) = (&secret_name, &request.password) {
            self.secret_store()
                .put(name, password)
                .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        }
        let now = now_text();
        self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Settings, "set up the SMS gateway")?;
            tx.insert_sms_gateway(
                &crate::ledger::SmsGatewayRow {
                    url_template: url.to_string(),
                    method: request.method.code().to_string(),
                    body_template: request.body_template.clone(),
                    username: request.username.clone(),
                    secret_name: secret_name.clone(),
                    link_template: request.link_template.trim().to_string(),
                },
                user_id,
                &now,
            )?;
            tx.append_journal(
                JournalKind::SmsGateway,
                user_id,
                None,
                &serde_json::json!({"method": request.method.code(), "username": request.username,
                    "password_stored": secret_name.is_some(), "link_template": request.link_template.trim()}),
            )?;
            Ok(())
        })
    }

    /// A test message through the saved gateway (admins), journaled; the gateway's reply.
    pub fn send_test_sms(
        &mut self,
        actor: &Session,
        phone: &str,
        text: &str,
    ) -> Result<String, AppError> {
        use crate::mail::sms;
        let phone = sms::normalise_phone(phone)
            .ok_or_else(|| AppError::Mail(MailError::InvalidPhone(phone.to_string())))?;
        let gateway = self.ledger_mut().read(|tx| {
            check(tx, actor, Permission::Settings, "test the SMS gateway")?;
            tx.sms_gateway()?.ok_or_else(|| {
                AppError::Mail(MailError::MailSetup("no SMS gateway is set up".into()))
            })
        })?;
        let password = match &gateway.secret_name {
            Some(name) => self
                .secret_store()
                .get(name)
                .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?,
            None => None,
        };
        let method = sms::Method::parse(&gateway.method).unwrap_or(sms::Method::Post);
        let request = sms::gateway_request(
            method,
            &gateway.url_template,
            gateway.body_template.as_deref(),
            &phone,
            text,
        );
        let result = sms::send(&request, gateway.username.as_deref(), password.as_ref());
        let reply = match &result {
            Ok(reply) | Err(reply) => reply.clone(),
        };
        self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Settings, "test the SMS gateway")?;
            tx.append_journal(
                JournalKind::SmsTest,
                user_id,
                None,
                &serde_json::json!({"to": phone, "sent": result.is_ok(), "reply": reply}),
            )?;
            Ok::<_, AppError>(())
        })?;
        result.map_err(|reply| AppError::Mail(MailError::MailSetup(reply)))
    }

    /// Sends an order's tickets to a phone as an SMS with one link per valid ticket: the
    /// message is a ledger row before the gateway is asked, its outcome a row after.
    pub fn send_tickets_sms(
        &mut self,
        actor: &Session,
        order_number: OrderNumber,
        phone: &str,
    ) -> Result<SmsOutcome, AppError> {
        use crate::mail::sms;
        let phone = sms::normalise_phone(phone)
            .ok_or_else(|| AppError::Mail(MailError::InvalidPhone(phone.to_string())))?;
        let gateway = self
            .ledger_mut()
            .read(|tx| tx.sms_gateway())?
            .ok_or_else(|| {
                AppError::Mail(MailError::MailSetup(
                    "no SMS gateway is set up (`boxoffice sms gateway …`)".into(),
                ))
            })?;
        let (text, n_links) = self.tickets_sms_text(order_number, &gateway.link_template)?;
        let password = match &gateway.secret_name {
            Some(name) => self
                .secret_store()
                .get(name)
                .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?,
            None => None,
        };
        let now = now_text();
        let sms_id = self.ledger_mut().transact(|tx| {
            let user_id = check(tx, actor, Permission::Sell, "send tickets by SMS")?;
            let id = tx.insert_sms(order_number, &phone, &text, user_id, &now)?;
            tx.append_journal(
                JournalKind::SmsQueue,
                user_id,
                Some(order_number),
                &serde_json::json!({"sms_id": id, "to": phone, "n_links": n_links}),
            )?;
            Ok::<_, AppError>(id)
        })?;
        let method = sms::Method::parse(&gateway.method).unwrap_or(sms::Method::Post);
        let request = sms::gateway_request(
            method,
            &gateway.url_template,
            gateway.body_template.as_deref(),
            &phone,
            &text,
        );
        let result = sms::send(&request, gateway.username.as_deref(), password.as_ref());
        self.record_sms_attempt(sms_id, order_number, result)
    }

    /// The SMS of an order's tickets in the order's language: its text and how many links (one
    /// per valid ticket) it carries.
    fn tickets_sms_text(
        &mut self,
        order_number: OrderNumber,
        link_template: &str,
    ) -> Result<(String, usize), AppError> {
        let facts = self
            .ledger_mut()
            .read(|tx| tx.order_mail_facts(order_number))?
            .ok_or(AppError::Sale(SaleError::UnknownOrder(order_number)))?;
        let lang = Lang::from_code(&facts.lang).unwrap_or_default();
        let receipt = self.receipt(order_number, lang)?;
        let links: Vec<String> = receipt
            .tickets
            .iter()
            .filter(|t| t.state != "revoked")
            .map(|t| link_template.replace("{code}", &t.code))
            .collect();
        if links.is_empty() {
            return Err(AppError::Mail(MailError::MailSetup(format!(
                "order {order_number} has no valid tickets to send"
            ))));
        }
        let text = format!(
            "{}: {}, {}\n{}",
            crate::i18n::tr(lang, crate::i18n::Text::Tickets),
            receipt.event_name,
            receipt.starts_at,
            links.join("\n")
        );
        Ok((text, links.len()))
    }

    /// Writes the gateway's answer to an SMS (and its journal entry) in its own transaction.
    fn record_sms_attempt(
        &mut self,
        sms_id: i64,
        order_number: OrderNumber,
        result: Result<String, String>,
    ) -> Result<SmsOutcome, AppError> {
        let (outcome, kind, reply) = match &result {
            Ok(reply) => ("sent", JournalKind::SmsSent, reply.clone()),
            Err(reply) => ("failed", JournalKind::SmsFailed, reply.clone()),
        };
        if result.is_err() {
            tracing::error!(sms = sms_id, %reply, "the SMS gateway refused the tickets");
        }
        let at = now_text();
        self.ledger_mut().transact(|tx| {
            tx.insert_sms_attempt(sms_id, outcome, &reply, &at)?;
            tx.append_journal(
                kind,
                None,
                Some(order_number),
                &serde_json::json!({"sms_id": sms_id, "reply": reply}),
            )?;
            Ok::<_, AppError>(())
        })?;
        Ok(SmsOutcome {
            sms_id,
            sent: result.is_ok(),
            reply,
        })
    }
}
