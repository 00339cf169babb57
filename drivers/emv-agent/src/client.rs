//! [`AgentLink`]: the sale-system side of the port-1337 link.

use std::io::{ErrorKind, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::message::{self, Line, LineReader, Message};
use crate::{
    Approval, PaymentRequest, PaymentResult, Reconciliation, StatusResult, Terminal, TerminalError,
    Totals,
};

/// How long to wait for what.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Connecting to the agent: short, so a missing agent is reported at once.
    pub connect: Duration,
    /// A payment's response (the customer inserts the card and types the PIN meanwhile).
    pub payment: Duration,
    /// Any other response.
    pub other: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(2),
            payment: Duration::from_secs(120),
            other: Duration::from_secs(15),
        }
    }
}

/// How often a waiting read wakes up to look at the abort flag.
const POLL: Duration = Duration::from_millis(100);

struct Connection {
    writer: TcpStream,
    reader: LineReader<TcpStream>,
}

/// The link to one agent at `host:port`. Connects lazily and reconnects after a drop.
pub struct AgentLink {
    address: String,
    sale_id: String,
    timeouts: Timeouts,
    connection: Option<Connection>,
}

impl AgentLink {
    pub fn new(address: &str, sale_id: &str, timeouts: Timeouts) -> AgentLink {
        AgentLink {
            address: address.to_string(),
            sale_id: sale_id.to_string(),
            timeouts,
            connection: None,
        }
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    fn connect(&mut self) -> Result<&mut Connection, TerminalError> {
        if self.connection.is_none() {
            let not_answering = |reason: String| TerminalError::NotAnswering {
                address: self.address.clone(),
                reason,
            };
            let addresses = self
                .address
                .to_socket_addrs()
                .map_err(|error| not_answering(error.to_string()))?;
            let mut last = String::from("no address");
            let mut stream = None;
            for address in addresses {
                match TcpStream::connect_timeout(&address, self.timeouts.connect) {
                    Ok(s) => {
                        stream = Some(s);
                        break;
                    }
                    Err(error) => last = error.to_string(),
                }
            }
            let stream = stream.ok_or_else(|| not_answering(last))?;
            stream
                .set_read_timeout(Some(POLL))
                .and_then(|()| stream.set_nodelay(true))
                .map_err(|error| not_answering(error.to_string()))?;
            let reader = stream
                .try_clone()
                .map_err(|error| not_answering(error.to_string()))?;
            tracing::debug!(address = %self.address, "connected to the card terminal agent");
            self.connection = Some(Connection {
                writer: stream,
                reader: LineReader::new(reader),
            });
        }
        Ok(self.connection.as_mut().expect("just connected"))
    }

    /// Sends one line. A failed write drops the connection; whether the request arrived is
    /// then unknown.
    fn send(&mut self, line: &str) -> Result<(), TerminalError> {
        let connection = self.connect()?;
        let mut bytes = line.as_bytes().to_vec();
        bytes.push(b'\n');
        if let Err(error) = connection.writer.write_all(&bytes) {
            self.connection = None;
            return Err(TerminalError::Unknown {
                reason: format!("the request could not be sent ({error})"),
            });
        }
        Ok(())
    }

    /// Reads until the response to `service_id` of `category` comes, showing notifications on
    /// `display` and dropping what belongs to no one. `on_wait` is called between reads and
    /// may send (an abort).
    fn await_response(
        &mut self,
        category: &str,
        service_id: &str,
        timeout: Duration,
        display: &mut dyn FnMut(&str),
        on_wait: &mut dyn FnMut(&mut AgentLink) -> Result<(), TerminalError>,
    ) -> Result<Message, TerminalError> {
        let deadline = Instant::now() + timeout;
        loop {
            let Some(connection) = self.connection.as_mut() else {
                return Err(TerminalError::Unknown {
                    reason: "the connection to the agent was lost".into(),
                });
            };
            match connection.reader.next_line() {
                Ok(Some(Line::Text(line))) => match Message::parse(&line) {
                    Ok(message) if message.is_request => {
                        if message.kind == "Notification" {
                            for text in message::display_texts(&message) {
                                display(&message::mask_card_numbers(&text));
                            }
                        } else {
                            tracing::warn!(category = %message.category, "the agent sent a request; ignored");
                        }
                    }
                    Ok(message)
                        if message.category == category && message.service_id == service_id =>
                    {
                        return Ok(message);
                    }
                    Ok(message) => tracing::warn!(
                        category = %message.category,
                        service_id = %message.service_id,
                        expected = service_id,
                        "a response that belongs to no request in flight; dropped"
                    ),
                    Err(error) => {
                        tracing::warn!(%error, "a malformed line from the agent; ignored")
                    }
                },
                Ok(Some(Line::Invalid(what))) => {
                    tracing::warn!(what, "an unreadable line from the agent; ignored")
                }
                Ok(None) => {
                    self.connection = None;
                    return Err(TerminalError::Unknown {
                        reason: "the agent closed the connection".into(),
                    });
                }
                Err(error)
                    if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(error) => {
                    self.connection = None;
                    return Err(TerminalError::Unknown {
                        reason: format!("the connection to the agent broke ({error})"),
                    });
                }
            }
            if Instant::now() >= deadline {
                self.connection = None;
                return Err(TerminalError::Unknown {
                    reason: format!("no answer within {} s", timeout.as_secs()),
                });
            }
            on_wait(self)?;
        }
    }

    fn header(&self, category: &str, service_id: &str) -> Value {
        message::header(category, "Request", service_id, &self.sale_id, "")
    }

    /// Sends a request and waits for its response body.
    fn call(
        &mut self,
        category: &str,
        body_name: &str,
        body: Value,
    ) -> Result<Value, TerminalError> {
        let service_id = next_service_id();
        let line = message::request(self.header(category, &service_id), body_name, body);
        self.send(&line)?;
        let timeout = self.timeouts.other;
        let message =
            self.await_response(category, &service_id, timeout, &mut |_| {}, &mut |_| Ok(()))?;
        let response_name = body_name.replace("Request", "Response");
        message.body(&response_name).cloned().ok_or_else(|| {
            TerminalError::Protocol(format!("a {category} response without {response_name}"))
        })
    }
}

impl Terminal for AgentLink {
    fn pay(
        &mut self,
        request: &PaymentRequest,
        display: &mut dyn FnMut(&str),
    ) -> Result<PaymentResult, TerminalError> {
        let body = json!({
            "SaleData": {"SaleTransactionID": {"TransactionID": request.transaction_id, "TimeStamp": request.timestamp}},
            "PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": message::amount_json(request.amount_cents)}},
            "PaymentData": {"PaymentType": request.kind.code()},
        });
        let line = message::request(
            self.header("Payment", &request.service_id),
            "PaymentRequest",
            body,
        );
        self.send(&line)?;
        let mut aborted = false;
        let abort_line = message::request(
            self.header("Abort", &next_service_id()),
            "AbortRequest",
            json!({
                "MessageReference": {"MessageCategory": "Payment", "SaleID": self.sale_id, "ServiceID": request.service_id},
                "AbortReason": "MerchantAbort",
            }),
        );
        let abort = request.abort.clone();
        let timeout = self.timeouts.payment;
        let message = self.await_response(
            "Payment",
            &request.service_id,
            timeout,
            display,
            &mut |link| {
                if !aborted && abort.load(Ordering::SeqCst) {
                    aborted = true;
                    tracing::info!("asking the terminal to abort the payment");
                    link.send(&abort_line)?;
                }
                Ok(())
            },
        )?;
        let body = message.body("PaymentResponse").ok_or_else(|| {
            TerminalError::Protocol("a Payment response without PaymentResponse".into())
        })?;
        payment_result(body).map_err(|error| TerminalError::Protocol(error.to_string()))
    }

    fn status(&mut self, service_id: &str) -> Result<StatusResult, TerminalError> {
        let body = self.call(
            "TransactionStatus",
            "TransactionStatusRequest",
            json!({"MessageReference": {"MessageCategory": "Payment", "SaleID": self.sale_id, "ServiceID": service_id}}),
        )?;
        let (success, condition, _) = message::result_of(&body);
        if !success {
            return match condition.as_str() {
                "InProgress" => Ok(StatusResult::InProgress),
                "NotFound" => Ok(StatusResult::NotFound),
                other => Err(TerminalError::Failed {
                    condition: other.to_string(),
                    text: String::new(),
                }),
            };
        }
        let repeated = body
            .get("RepeatedMessageResponse")
            .and_then(|r| r.get("RepeatedResponseMessageBody"))
            .and_then(|b| b.get("PaymentResponse"))
            .ok_or_else(|| {
                TerminalError::Protocol(
                    "a status Success without the repeated PaymentResponse".into(),
                )
            })?;
        Ok(StatusResult::Done(payment_result(repeated).map_err(
            |error| TerminalError::Protocol(error.to_string()),
        )?))
    }

    fn reverse(&mut self, approval: &Approval) -> Result<String, TerminalError> {
        let body = self.call(
            "Reversal",
            "ReversalRequest",
            json!({
                "OriginalPOITransaction": {"POITransactionID": {"TransactionID": approval.poi_transaction_id, "TimeStamp": approval.poi_timestamp}},
                "ReversalReason": "MerchantCancel",
                "ReversedAmount": message::amount_json(approval.authorized_cents),
            }),
        )?;
        let (success, condition, text) = message::result_of(&body);
        if !success {
            return Err(TerminalError::Failed { condition, text });
        }
        Ok(body
            .pointer("/POIData/POITransactionID/TransactionID")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string())
    }

    fn reconcile(&mut self) -> Result<Reconciliation, TerminalError> {
        let body = self.call(
            "Reconciliation",
            "ReconciliationRequest",
            json!({"ReconciliationType": "SaleReconciliation"}),
        )?;
        let (success, condition, text) = message::result_of(&body);
        if !success {
            return Err(TerminalError::Failed { condition, text });
        }
        reconciliation(&body).map_err(|error| TerminalError::Protocol(error.to_string()))
    }
}

/// A `PaymentResponse` body → approved (with what may be kept) or not approved.
pub fn payment_result(body: &Value) -> Result<PaymentResult, message::FormatError> {
    let (success, condition, text) = message::result_of(body);
    if !success {
        return Ok(PaymentResult::NotApproved {
            condition: if condition.is_empty() {
                "Failure".into()
            } else {
                condition
            },
            text: message::mask_card_numbers(&text),
        });
    }
    let result = body
        .get("PaymentResult")
        .ok_or_else(|| message::FormatError("an approved payment without PaymentResult".into()))?;
    let amounts = result
        .get("AmountsResp")
        .ok_or_else(|| message::FormatError("an approved payment without AmountsResp".into()))?;
    let text = |pointer: &str| {
        message::mask_card_numbers(body.pointer(pointer).and_then(Value::as_str).unwrap_or(""))
    };
    let receipt = |qualifier: &str| {
        body.get("PaymentReceipt")
            .and_then(Value::as_array)
            .and_then(|receipts| {
                receipts
                    .iter()
                    .find(|r| r.get("DocumentQualifier").and_then(Value::as_str) == Some(qualifier))
            })
            .map(|r| message::output_texts(r.get("OutputContent")).join("\n"))
            .map(|t| message::mask_card_numbers(&t))
            .unwrap_or_default()
    };
    let approval = Approval {
        authorized_cents: message::amount_at(amounts, "AuthorizedAmount")?,
        brand: text("/PaymentResult/PaymentInstrumentData/CardData/PaymentBrand"),
        masked_pan: text("/PaymentResult/PaymentInstrumentData/CardData/MaskedPan"),
        approval_code: text("/PaymentResult/PaymentAcquirerData/ApprovalCode"),
        poi_transaction_id: text("/POIData/POITransactionID/TransactionID"),
        poi_timestamp: text("/POIData/POITransactionID/TimeStamp"),
        cashier_receipt: receipt("CashierReceipt"),
        customer_receipt: receipt("CustomerReceipt"),
    };
    if approval.poi_transaction_id.is_empty() {
        return Err(message::FormatError(
            "an approved payment without a POITransactionID".into(),
        ));
    }
    if approval.authorized_cents <= 0 {
        return Err(message::FormatError(
            "an approved payment without a positive AuthorizedAmount".into(),
        ));
    }
    Ok(PaymentResult::Approved(approval))
}

fn reconciliation(body: &Value) -> Result<Reconciliation, message::FormatError> {
    let mut reconciliation = Reconciliation {
        reconciliation_id: body
            .get("POIReconciliationID")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        ..Reconciliation::default()
    };
    for totals in body
        .get("TransactionTotals")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for entry in totals
            .get("PaymentTotals")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let count = entry
                .get("TransactionCount")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let cents = message::amount_at(entry, "TransactionAmount")?;
            let target = match entry.get("TransactionType").and_then(Value::as_str) {
                Some("Debit") => &mut reconciliation.debit,
                Some("Credit") => &mut reconciliation.credit,
                _ => continue,
            };
            *target = Totals {
                count: target.count + count,
                cents: target.cents + cents,
            };
        }
    }
    Ok(reconciliation)
}

/// A fresh ServiceID for a request that is not a payment (10 hex characters).
fn next_service_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mixed = nanos
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!("{:010x}", mixed & 0xff_ffff_ffff)
}
