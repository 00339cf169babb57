//! Nets Connect@Cloud terminals (Lane3000, Desk3500, Move3500) through Nets' REST API
//! (DESIGN.md section 4), as one more [`Terminal`]: login with a cached token (re-login when it
//! expired), purchase and returnOfGoods, reversal of the last transaction, last-transaction lookup
//! for an unknown result (`Result` 99, a lost answer) with the documented caveats, reconciliation,
//! and `cancelAction` when the cashier cancels.
//!
//! The lookup (`GET …/transaction`) aborts a transaction still in progress on the terminal, so it
//! waits first (about five seconds), asks at most twice, and takes the answer only when its
//! `orderId` is the attempt's (a different or missing one means the attempt never ran).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use emv_agent::message::mask_card_numbers;
use emv_agent::{
    Approval, PaymentKind, PaymentRequest, PaymentResult, Reconciliation, StatusResult, Terminal,
    TerminalError,
};
use serde_json::{Value, json};

/// The organisation's account (one for every location) and one terminal.
pub struct NetsCloud {
    base_url: String,
    username: String,
    password: String,
    terminal_id: String,
    token: Option<String>,
    client: reqwest::blocking::Client,
    /// Pause before each last-transaction lookup.
    pub lookup_wait: Duration,
    /// Lookups at most (the API aborts a running transaction on every lookup).
    pub lookup_tries: u32,
    /// The amount of each payment sent, by attempt (the lookup does not repeat it).
    amounts: std::collections::HashMap<String, i64>,
    /// Used when `base_url` cannot be reached (a request that never left is safe to send again).
    pub alternative: Option<String>,
}

impl std::fmt::Debug for NetsCloud {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password or the token.
        f.debug_struct("NetsCloud")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("terminal_id", &self.terminal_id)
            .finish()
    }
}

/// What `result[0].localModeEventArgs` said.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EventArgs {
    result: i64,
    order_id: String,
    approval: Approval,
    text: String,
}

impl NetsCloud {
    pub fn new(
        base_url: &str,
        username: &str,
        password: &str,
        terminal_id: &str,
        timeout: Duration,
    ) -> Result<NetsCloud, TerminalError> {
        let client = reqwest::blocking::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("boxoffice/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| TerminalError::Protocol(error.to_string()))?;
        Ok(NetsCloud {
            base_url: base_url.trim_end_matches('/').to_string(),
            username: username.to_string(),
            password: password.to_string(),
            terminal_id: terminal_id.to_string(),
            token: None,
            client,
            lookup_wait: Duration::from_secs(5),
            lookup_tries: 2,
            amounts: std::collections::HashMap::new(),
            alternative: None,
        })
    }

    /// After a connection failure: switch to the alternative URL once (logging in again there).
    fn fail_over(&mut self, error: &reqwest::Error) -> bool {
        if !error.is_connect() {
            return false;
        }
        let Some(alternative) = self.alternative.take() else {
            return false;
        };
        let alternative = alternative.trim_end_matches('/').to_string();
        tracing::warn!(
            primary = %self.base_url,
            alternative = %alternative,
            %error,
            "Nets Connect@Cloud primary unreachable: switching to the alternative URL"
        );
        self.base_url = alternative;
        self.token = None;
        true
    }

    fn error(&self, error: reqwest::Error, sent: bool) -> TerminalError {
        if error.is_connect() || !sent {
            TerminalError::NotAnswering {
                address: self.base_url.clone(),
                reason: error.to_string(),
            }
        } else {
            TerminalError::Unknown {
                reason: format!("Nets Connect@Cloud: {error}"),
            }
        }
    }

    fn login(&mut self) -> Result<String, TerminalError> {
        let send = |nets: &NetsCloud| {
            nets.client
                .post(format!("{}/v1/login", nets.base_url))
                .json(&json!({"username": nets.username, "password": nets.password}))
                .send()
        };
        let response = match send(self) {
            Err(error) if self.fail_over(&error) => send(self),
            other => other,
        }
        .map_err(|error| self.error(error, false))?;
        let status = response.status();
        let body: Value = response.json().unwrap_or(Value::Null);
        match body.get("token").and_then(Value::as_str) {
            Some(token) if status.is_success() => {
                self.token = Some(token.to_string());
                Ok(token.to_string())
            }
            _ => Err(TerminalError::Failed {
                condition: "login".into(),
                text: format!(
                    "Nets Connect@Cloud refused the login ({status}): {}",
                    failure_text(&body)
                ),
            }),
        }
    }

    /// One call with the cached token; an expired token (401) is renewed once.
    fn call(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, Value), TerminalError> {
        for attempt in 0..3 {
            let token = match self.token.clone() {
                Some(token) => token,
                None => self.login()?,
            };
            let url = format!("{}/v1/terminal/{}/{path}", self.base_url, self.terminal_id);
            let mut request = self.client.request(method.clone(), &url).bearer_auth(token);
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = match request.send() {
                Ok(response) => response,
                // Never connected: the request did not leave, so the alternative may have it.
                Err(error) if self.fail_over(&error) => continue,
                Err(error) => return Err(self.error(error, true)),
            };
            let status = response.status().as_u16();
            if status == 401 && attempt < 2 {
                tracing::info!("Nets Connect@Cloud token expired: logging in again");
                self.token = None;
                continue;
            }
            let text = response.text().map_err(|error| self.error(error, true))?;
            // Failures may come as a bare JSON string, or as plain text.
            let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
            return Ok((status, value));
        }
        Err(TerminalError::Failed {
            condition: "login".into(),
            text: "Nets Connect@Cloud refused the renewed token".into(),
        })
    }
}

fn failure_text(body: &Value) -> String {
    match body {
        Value::String(text) => mask_card_numbers(text),
        other => mask_card_numbers(&other.to_string()),
    }
}

/// `result[0].localModeEventArgs`, or the failure's text.
fn event_args(body: &Value, amount_cents: i64) -> Result<EventArgs, String> {
    let args = body
        .pointer("/result/0/localModeEventArgs")
        .ok_or_else(|| failure_text(body))?;
    let text = |key: &str| mask_card_numbers(args.get(key).and_then(Value::as_str).unwrap_or(""));
    let result = match args.get("Result") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("no Result in {}", failure_text(args)))?;
    let masked_pan = text("TruncatedPAN");
    Ok(EventArgs {
        result,
        order_id: ["OrderId", "orderId"]
            .iter()
            .map(|key| text(key))
            .find(|id| !id.is_empty())
            .unwrap_or_default(),
        text: text("ResultText"),
        approval: Approval {
            authorized_cents: amount_cents,
            brand: text("CardIssuerName"),
            approval_code: text("StanAuth"),
            poi_transaction_id: text("StanAuth"),
            poi_timestamp: normalise_timestamp(&text("Timestamp")),
            cashier_receipt: text("merchantReceipt"),
            customer_receipt: text("customerReceipt"),
            masked_pan,
        },
    })
}

/// The API writes times either as RFC 3339 or as `yyyyMMddHHmmss`: both become RFC 3339 (the
/// second without an offset, as the terminal's local time).
pub fn normalise_timestamp(text: &str) -> String {
    let t = text.trim();
    if t.len() == 14 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{}-{}-{}T{}:{}:{}",
            &t[0..4],
            &t[4..6],
            &t[6..8],
            &t[8..10],
            &t[10..12],
            &t[12..14]
        )
    } else {
        t.to_string()
    }
}

fn outcome(args: EventArgs) -> PaymentResult {
    match args.result {
        0 => PaymentResult::Approved(args.approval),
        n => PaymentResult::NotApproved {
            condition: format!("Result {n}"),
            text: args.text,
        },
    }
}

impl Terminal for NetsCloud {
    fn pay(
        &mut self,
        request: &PaymentRequest,
        display: &mut dyn FnMut(&str),
    ) -> Result<PaymentResult, TerminalError> {
        let kind = match request.kind {
            PaymentKind::Purchase => "purchase",
            PaymentKind::Refund => "returnOfGoods",
        };
        display("Nets Connect@Cloud");
        self.amounts
            .insert(request.service_id.clone(), request.amount_cents);
        if self.token.is_none() {
            self.login()?;
        }
        // The cashier's Cancel while the terminal works: `cancelAction` on the terminal (the
        // transaction then ends as not approved, or approved if the card was already through).
        let finished = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (abort, finished) = (request.abort.clone(), finished.clone());
            let client = self.client.clone();
            let url = format!(
                "{}/v1/terminal/{}/administration",
                self.base_url, self.terminal_id
            );
            let token = self.token.clone().unwrap_or_default();
            std::thread::spawn(move || {
                while !finished.load(Ordering::SeqCst) {
                    if abort.load(Ordering::SeqCst) {
                        tracing::info!("asking the Nets terminal to cancel");
                        if let Err(error) = client
                            .post(&url)
                            .bearer_auth(token)
                            .json(&json!({"action": "cancelAction"}))
                            .send()
                        {
                            tracing::warn!(%error, "cancelAction failed");
                        }
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        let answer = self.call(
            reqwest::Method::POST,
            "transaction",
            Some(json!({"transactionType": kind, "amount": request.amount_cents, "orderId": request.service_id})),
        );
        finished.store(true, Ordering::SeqCst);
        // The watcher only prints; its end changes nothing.
        watcher.join().ok();
        let (status, body) = answer?;
        match event_args(&body, request.amount_cents) {
            Ok(args) if args.result == 99 => match self.status(&request.service_id)? {
                StatusResult::Done(result) => Ok(result),
                _ => Err(TerminalError::Unknown {
                    reason: "Nets Connect@Cloud answered Result 99 and the lookup could not tell"
                        .into(),
                }),
            },
            Ok(args) => Ok(outcome(args)),
            // A failure the API wrote as text: the terminal did not take the transaction.
            Err(text) if (400..500).contains(&status) || body.is_string() => {
                Ok(PaymentResult::NotApproved {
                    condition: format!("HTTP {status}"),
                    text,
                })
            }
            Err(text) => Err(TerminalError::Unknown {
                reason: format!("Nets Connect@Cloud answered {status}: {text}"),
            }),
        }
    }

    fn status(&mut self, service_id: &str) -> Result<StatusResult, TerminalError> {
        for _ in 0..self.lookup_tries {
            std::thread::sleep(self.lookup_wait);
            let (_, body) = self.call(reqwest::Method::GET, "transaction", None)?;
            let amount = self.amounts.get(service_id).copied().unwrap_or(0);
            let Ok(args) = event_args(&body, amount) else {
                continue;
            };
            if args.order_id != service_id {
                // The last transaction is another one: this attempt never ran.
                return Ok(StatusResult::NotFound);
            }
            if args.result == 99 {
                continue;
            }
            return Ok(StatusResult::Done(outcome(args)));
        }
        Ok(StatusResult::InProgress)
    }

    fn reverse(&mut self, approval: &Approval) -> Result<String, TerminalError> {
        let (status, body) = self.call(
            reqwest::Method::DELETE,
            "transaction",
            Some(json!({"amount": approval.authorized_cents})),
        )?;
        match event_args(&body, approval.authorized_cents) {
            Ok(args) if args.result == 0 => Ok(args.approval.poi_transaction_id),
            Ok(args) => Err(TerminalError::Failed {
                condition: format!("Result {}", args.result),
                text: args.text,
            }),
            Err(text) => Err(TerminalError::Failed {
                condition: format!("HTTP {status}"),
                text,
            }),
        }
    }

    fn reconcile(&mut self) -> Result<Reconciliation, TerminalError> {
        let (status, body) = self.call(
            reqwest::Method::POST,
            "administration",
            Some(json!({"action": "reconciliation"})),
        )?;
        if !(200..300).contains(&status) || body.is_string() {
            return Err(TerminalError::Failed {
                condition: format!("HTTP {status}"),
                text: failure_text(&body),
            });
        }
        // The API reports no batch totals here: the terminal's side is its printed report.
        Ok(Reconciliation {
            reconciliation_id: "nets".into(),
            ..Reconciliation::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_timestamp_forms_become_rfc3339() {
        assert_eq!(normalise_timestamp("20261125140340"), "2026-11-25T14:03:40");
        assert_eq!(
            normalise_timestamp("2026-11-25T14:03:40+02:00"),
            "2026-11-25T14:03:40+02:00"
        );
    }

    #[test]
    fn event_args_read_numbers_or_strings_and_mask_the_pan() {
        let body = json!({"result": [{"localModeEventArgs": {"Result": "0", "TruncatedPAN": "4111111111111111",
            "StanAuth": "123456", "OrderId": "a1", "customerReceipt": "CARD 4111 1111 1111 1111"}}]});
        let args = event_args(&body, 500).unwrap();
        assert_eq!(args.result, 0);
        assert_eq!(args.approval.masked_pan, "************1111");
        assert_eq!(args.approval.customer_receipt, "CARD ************1111");
        assert_eq!(args.order_id, "a1");
        assert_eq!(
            event_args(&json!("Terminal is busy"), 1),
            Err("Terminal is busy".into())
        );
    }
}
