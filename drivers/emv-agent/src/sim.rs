//! A simulator of the card-terminal agent: it speaks the port-1337 contract, keeps its own
//! batch, and injects faults on request. Used by the tests, the `emv-agent-sim` binary and
//! the GUI's demo mode.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::Totals;
use crate::message::{self, Line, LineReader, Message};

/// A fault for the next payment (queued, one per payment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Declined by the issuer (`Refusal`).
    Decline,
    /// Approve, then close the connection without answering.
    DropAfterApprove,
    /// Approve, close the connection and stop: the agent is gone before anyone can ask.
    VanishAfterApprove,
    /// Approve, but answer only after this long (status says `InProgress` meanwhile).
    Late(Duration),
    /// A line of garbage before the real answer.
    Garbage,
    /// Approve, but answer under another ServiceID.
    WrongServiceId,
    /// Answer `Busy` without doing anything.
    Busy,
    /// The customer takes this long at the PIN pad (time for an abort).
    SlowPin(Duration),
}

impl Fault {
    /// `decline`, `drop`, `late:MS`, `garbage`, `wrong-id`, `busy`, `slow-pin:MS`.
    pub fn parse(text: &str) -> Option<Fault> {
        let (name, ms) = text.split_once(':').unwrap_or((text, ""));
        let ms = || ms.parse().ok().map(Duration::from_millis);
        Some(match name {
            "decline" => Fault::Decline,
            "drop" => Fault::DropAfterApprove,
            "vanish" => Fault::VanishAfterApprove,
            "late" => Fault::Late(ms()?),
            "garbage" => Fault::Garbage,
            "wrong-id" => Fault::WrongServiceId,
            "busy" => Fault::Busy,
            "slow-pin" => Fault::SlowPin(ms()?),
            _ => return None,
        })
    }
}

/// A payment the simulator approved, for tests that check invariants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimTransaction {
    pub service_id: String,
    pub poi_transaction_id: String,
    pub amount_cents: i64,
    pub refund: bool,
    pub reversed: bool,
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub poi_id: String,
    /// Pause between the display steps (card, PIN, processing).
    pub step_delay: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            poi_id: "SIM-1".into(),
            step_delay: Duration::from_millis(0),
        }
    }
}

enum Progress {
    InProgress,
    /// The header and body of the original response.
    Done(Value, Value),
}

struct Record {
    progress: Progress,
    approved: Option<SimTransaction>,
    batch: u64,
}

#[derive(Default)]
struct State {
    faults: VecDeque<Fault>,
    /// By (SaleID, ServiceID).
    records: HashMap<(String, String), Record>,
    order: Vec<(String, String)>,
    busy: bool,
    next_poi: u64,
    batch: u64,
    reconciliations: u64,
    debit: Totals,
    credit: Totals,
}

/// A running simulator; stops when dropped.
pub struct Simulator {
    address: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl Simulator {
    /// Listens on `address` (`127.0.0.1:0` for a free port) and serves each connection on a thread.
    pub fn start(address: &str, config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(address)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?.to_string();
        let state = Arc::new(Mutex::new(State {
            next_poi: 88_000,
            reconciliations: 100,
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_state, thread_stop) = (state.clone(), stop.clone());
        thread::spawn(move || {
            while !thread_stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (state, config, stop) =
                            (thread_state.clone(), config.clone(), thread_stop.clone());
                        thread::spawn(move || serve(stream, &state, &config, &stop));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Ok(Simulator {
            address,
            state,
            stop,
        })
    }

    /// `host:port` it listens on.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Queues a fault for the next payment.
    pub fn inject(&self, fault: Fault) {
        lock(&self.state).faults.push_back(fault);
    }

    /// The current batch's purchase and refund totals.
    pub fn batch_totals(&self) -> (Totals, Totals) {
        let state = lock(&self.state);
        (state.debit, state.credit)
    }

    /// Every payment approved so far, in order.
    pub fn approved(&self) -> Vec<SimTransaction> {
        let state = lock(&self.state);
        state
            .order
            .iter()
            .filter_map(|key| state.records.get(key)?.approved.clone())
            .collect()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

enum Incoming {
    Line(Line),
    Closed,
}

/// One connection: a reader thread feeds lines; this thread answers them.
fn serve(stream: TcpStream, state: &Mutex<State>, config: &SimConfig, stop: &AtomicBool) {
    // Each message goes out at once (no Nagle delay behind the previous small write).
    // Best effort: without it messages only wait for the previous one's acknowledgement.
    stream.set_nodelay(true).ok();
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    let (sender, lines) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = LineReader::new(reader);
        loop {
            let item = match reader.next_line() {
                Ok(Some(line)) => Incoming::Line(line),
                _ => Incoming::Closed,
            };
            let closed = matches!(item, Incoming::Closed);
            if sender.send(item).is_err() || closed {
                return;
            }
        }
    });
    let mut session = Session {
        writer: stream,
        lines,
        config,
        state,
        stop,
    };
    while !stop.load(Ordering::SeqCst) {
        match session.lines.recv_timeout(Duration::from_millis(100)) {
            Ok(Incoming::Line(line)) => {
                if !session.handle(line) {
                    break;
                }
            }
            Ok(Incoming::Closed) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
    // The peer may have closed already: nothing is left to say to it.
    session.writer.shutdown(std::net::Shutdown::Both).ok();
}

struct Session<'a> {
    writer: TcpStream,
    lines: Receiver<Incoming>,
    config: &'a SimConfig,
    state: &'a Mutex<State>,
    /// The whole simulator's stop flag (the `vanish` fault sets it).
    stop: &'a AtomicBool,
}

fn failure(condition: &str, text: &str) -> Value {
    json!({"Response": {"Result": "Failure", "ErrorCondition": condition, "AdditionalResponse": text}})
}

impl Session<'_> {
    fn write(&mut self, line: &str) {
        let mut bytes = line.as_bytes().to_vec();
        bytes.push(b'\n');
        // A peer that went away gets nothing more; its reader ends the session.
        self.writer.write_all(&bytes).ok();
    }

    fn respond(&mut self, request: &Message, body_name: &str, body: Value) {
        let header = self.response_header(request, &request.category, &request.service_id);
        self.write(&message::response(header, body_name, body));
    }

    fn response_header(&self, request: &Message, category: &str, service_id: &str) -> Value {
        message::header(
            category,
            "Response",
            service_id,
            &request.sale_id,
            &self.config.poi_id,
        )
    }

    /// Answers one line; false closes the connection.
    fn handle(&mut self, line: Line) -> bool {
        let text = match line {
            Line::Text(text) => text,
            Line::Invalid(what) => {
                self.format_error(None, &what);
                return true;
            }
        };
        let request = match Message::parse(&text) {
            Ok(message) if message.is_request && message.kind == "Request" => message,
            Ok(message) if message.is_request => return true, // a notification: nothing to answer
            Ok(message) => {
                tracing::warn!(category = %message.category, "the simulator got a response; dropped");
                return true;
            }
            Err(error) => {
                let header = serde_json::from_str::<Value>(&text).ok();
                self.format_error(header.as_ref(), &error.0);
                return true;
            }
        };
        match request.category.as_str() {
            "Payment" => return self.payment(&request),
            "TransactionStatus" => self.status(&request),
            "Reversal" => self.reversal(&request),
            "Reconciliation" => self.reconciliation(&request),
            "Abort" => {} // nothing in flight on this connection
            other => {
                let other = other.to_string();
                self.respond(
                    &request,
                    &format!("{other}Response"),
                    failure("MessageFormat", "unknown message category"),
                );
            }
        }
        true
    }

    /// A `MessageFormat` failure, under the request's header where one could be read.
    fn format_error(&mut self, value: Option<&Value>, detail: &str) {
        let header = value.and_then(|v| v.pointer("/SaleToPOIRequest/MessageHeader"));
        let field = |name: &str| {
            header
                .and_then(|h| h.get(name))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let category = field("MessageCategory");
        let body_name = if category.is_empty() {
            "Response".to_string()
        } else {
            format!("{category}Response")
        };
        let header = message::header(
            &category,
            "Response",
            &field("ServiceID"),
            &field("SaleID"),
            &self.config.poi_id,
        );
        let body = failure("MessageFormat", detail);
        let body = if category.is_empty() {
            body["Response"].clone()
        } else {
            body
        };
        self.write(&message::response(header, &body_name, body));
    }

    fn payment(&mut self, request: &Message) -> bool {
        let body = request
            .body("PaymentRequest")
            .cloned()
            .unwrap_or(Value::Null);
        let amount = body
            .pointer("/PaymentTransaction/AmountsReq")
            .ok_or_else(|| message::FormatError("AmountsReq missing".into()))
            .and_then(|a| message::amount_at(a, "RequestedAmount"));
        let amount = match amount {
            Ok(cents) if cents > 0 => cents,
            Ok(_) => {
                self.respond(
                    request,
                    "PaymentResponse",
                    failure("MessageFormat", "the amount must be positive"),
                );
                return true;
            }
            Err(error) => {
                self.respond(
                    request,
                    "PaymentResponse",
                    failure("MessageFormat", &error.0),
                );
                return true;
            }
        };
        let refund = body
            .pointer("/PaymentData/PaymentType")
            .and_then(Value::as_str)
            == Some("Refund");
        let key = (request.sale_id.clone(), request.service_id.clone());
        let fault = {
            let mut state = lock(self.state);
            if state.busy {
                drop(state);
                self.respond(
                    request,
                    "PaymentResponse",
                    failure("Busy", "another transaction is in progress"),
                );
                return true;
            }
            if request.service_id.is_empty()
                || request.service_id.len() > 10
                || state.records.contains_key(&key)
            {
                drop(state);
                self.respond(
                    request,
                    "PaymentResponse",
                    failure(
                        "MessageFormat",
                        "the ServiceID is empty, too long or used before",
                    ),
                );
                return true;
            }
            let fault = state.faults.pop_front();
            if fault != Some(Fault::Busy) {
                state.busy = true;
                let batch = state.batch;
                state.records.insert(
                    key.clone(),
                    Record {
                        progress: Progress::InProgress,
                        approved: None,
                        batch,
                    },
                );
                state.order.push(key.clone());
            }
            fault
        };
        if fault == Some(Fault::Busy) {
            self.respond(
                request,
                "PaymentResponse",
                failure("Busy", "another transaction is in progress"),
            );
            return true;
        }
        let pin_time = match &fault {
            Some(Fault::SlowPin(duration)) => *duration,
            _ => self.config.step_delay,
        };
        let mut aborted = false;
        for (text, pause) in [
            ("Insert or tap card", self.config.step_delay),
            ("Enter PIN", pin_time),
            ("Processing, please wait", self.config.step_delay),
        ] {
            if aborted {
                break;
            }
            self.display(request, text);
            aborted = self.wait(request, pause);
        }
        let sale_data = body.get("SaleData").cloned().unwrap_or(json!({}));
        let header = self.response_header(request, "Payment", &request.service_id);
        let (response, connection_open) = if aborted {
            (
                json!({"Response": {"Result": "Failure", "ErrorCondition": "Aborted"}, "SaleData": sale_data}),
                true,
            )
        } else if fault == Some(Fault::Decline) {
            (
                json!({"Response": {"Result": "Failure", "ErrorCondition": "Refusal", "AdditionalResponse": "Declined by the card issuer"},
                    "SaleData": sale_data}),
                true,
            )
        } else {
            let approved = self.approve(&key, amount, refund);
            let poi = json!({"TransactionID": approved.poi_transaction_id, "TimeStamp": "2026-11-25T14:03:40+02:00"});
            let (brand, pan) = if amount % 2 == 0 {
                ("VISA", "411111******1111")
            } else {
                ("MasterCard", "550000******0004")
            };
            let last4 = &pan[pan.len() - 4..];
            let kind = if refund { "REFUND" } else { "PURCHASE" };
            let code = format!(
                "{:06}",
                approved
                    .poi_transaction_id
                    .trim_start_matches("POI-")
                    .parse::<u64>()
                    .unwrap_or(0)
                    % 1_000_000
            );
            let receipt = |qualifier: &str, who: &str| {
                json!({"DocumentQualifier": qualifier, "OutputContent": {"OutputFormat": "Text", "OutputText": [
                    {"Text": format!("{brand} ************{last4}")},
                    {"Text": format!("{kind} EUR {}.{:02}", amount / 100, amount % 100)},
                    {"Text": format!("APPROVED {code}")},
                    {"Text": who}]}})
            };
            (
                json!({
                    "Response": {"Result": "Success"},
                    "SaleData": sale_data,
                    "POIData": {"POITransactionID": poi},
                    "PaymentResult": {
                        "PaymentInstrumentData": {"CardData": {"PaymentBrand": brand, "MaskedPan": pan, "EntryMode": ["ICC"]}},
                        "AmountsResp": {"Currency": "EUR", "AuthorizedAmount": message::amount_json(amount)},
                        "PaymentAcquirerData": {"ApprovalCode": code, "AcquirerTransactionID": {"TransactionID": format!("A-{code}")}}},
                    "PaymentReceipt": [receipt("CashierReceipt", "MERCHANT COPY"), receipt("CustomerReceipt", "CARDHOLDER COPY")],
                }),
                !matches!(
                    fault,
                    Some(Fault::DropAfterApprove | Fault::VanishAfterApprove)
                ),
            )
        };
        if let Some(Fault::Late(delay)) = &fault {
            thread::sleep(*delay);
        }
        {
            let mut state = lock(self.state);
            state.busy = false;
            if let Some(record) = state.records.get_mut(&key) {
                record.progress = Progress::Done(header.clone(), response.clone());
            }
        }
        if matches!(fault, Some(Fault::VanishAfterApprove)) {
            self.stop.store(true, Ordering::SeqCst);
        }
        if !connection_open {
            return false;
        }
        match fault {
            Some(Fault::Garbage) => self.write("this is not JSON {\"PaymentResponse\":"),
            Some(Fault::WrongServiceId) => {
                let wrong = self.response_header(
                    request,
                    "Payment",
                    &format!(
                        "x{}",
                        &request.service_id[..request.service_id.len().min(9)]
                    ),
                );
                self.write(&message::response(wrong, "PaymentResponse", response));
                return true;
            }
            _ => {}
        }
        self.write(&message::response(header, "PaymentResponse", response));
        true
    }

    fn approve(&mut self, key: &(String, String), amount: i64, refund: bool) -> SimTransaction {
        let mut state = lock(self.state);
        state.next_poi += 1;
        let approved = SimTransaction {
            service_id: key.1.clone(),
            poi_transaction_id: format!("POI-{}", state.next_poi),
            amount_cents: amount,
            refund,
            reversed: false,
        };
        let totals = if refund {
            &mut state.credit
        } else {
            &mut state.debit
        };
        totals.count += 1;
        totals.cents += amount;
        if let Some(record) = state.records.get_mut(key) {
            record.approved = Some(approved.clone());
        }
        approved
    }

    fn display(&mut self, request: &Message, text: &str) {
        let header = message::header(
            "Display",
            "Notification",
            &request.service_id,
            &request.sale_id,
            &self.config.poi_id,
        );
        let body = json!({"DisplayOutput": [{"Device": "CashierDisplay", "OutputContent": {"OutputFormat": "Text", "OutputText": [{"Text": text}]}}]});
        self.write(&message::request(header, "DisplayRequest", body));
    }

    /// Waits `pause` while answering status requests and refusing others; true if the
    /// payment in flight was aborted meanwhile.
    fn wait(&mut self, payment: &Message, pause: Duration) -> bool {
        let deadline = Instant::now() + pause;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            let Ok(Incoming::Line(Line::Text(text))) = self.lines.recv_timeout(left) else {
                continue;
            };
            let Ok(message) = Message::parse(&text) else {
                continue;
            };
            match message.category.as_str() {
                "Abort" => {
                    let reference = message
                        .body("AbortRequest")
                        .and_then(|a| a.pointer("/MessageReference/ServiceID"));
                    if reference.and_then(Value::as_str) == Some(payment.service_id.as_str()) {
                        return true;
                    }
                }
                "TransactionStatus" => self.status(&message),
                _ => self.respond(
                    &message,
                    &format!("{}Response", message.category),
                    failure("Busy", "a payment is in progress"),
                ),
            }
        }
    }

    fn status(&mut self, request: &Message) {
        let reference = request
            .body("TransactionStatusRequest")
            .and_then(|b| b.get("MessageReference"));
        let field = |name: &str| {
            reference
                .and_then(|r| r.get(name))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let sale_id = if field("SaleID").is_empty() {
            request.sale_id.clone()
        } else {
            field("SaleID")
        };
        let key = (sale_id, field("ServiceID"));
        let body = match lock(self.state).records.get(&key).map(|r| &r.progress) {
            None => failure("NotFound", "no such transaction"),
            Some(Progress::InProgress) => failure("InProgress", "the transaction is still running"),
            Some(Progress::Done(header, body)) => json!({
                "Response": {"Result": "Success"},
                "RepeatedMessageResponse": {"MessageHeader": header, "RepeatedResponseMessageBody": {"PaymentResponse": body}},
            }),
        };
        self.respond(request, "TransactionStatusResponse", body);
    }

    fn reversal(&mut self, request: &Message) {
        let body = request
            .body("ReversalRequest")
            .cloned()
            .unwrap_or(Value::Null);
        let poi_id = body
            .pointer("/OriginalPOITransaction/POITransactionID/TransactionID")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let amount = message::amount_at(&body, "ReversedAmount").ok();
        let answer = {
            let mut state = lock(self.state);
            let batch = state.batch;
            let found = state.records.values_mut().find(|r| {
                r.approved
                    .as_ref()
                    .is_some_and(|a| a.poi_transaction_id == poi_id)
            });
            match found {
                None => Err("no such transaction in this batch"),
                Some(record) if record.batch != batch => {
                    Err("the transaction was already reconciled")
                }
                Some(record) => {
                    let approved = record.approved.as_mut().expect("found by its approval");
                    if approved.reversed {
                        Err("already reversed")
                    } else if amount.is_some_and(|a| a != approved.amount_cents) {
                        Err("the reversed amount differs from the transaction's")
                    } else {
                        approved.reversed = true;
                        let (cents, refund) = (approved.amount_cents, approved.refund);
                        let totals = if refund {
                            &mut state.credit
                        } else {
                            &mut state.debit
                        };
                        totals.count -= 1;
                        totals.cents -= cents;
                        state.next_poi += 1;
                        Ok(format!("POI-{}", state.next_poi))
                    }
                }
            }
        };
        let body = match answer {
            Ok(id) => {
                json!({"Response": {"Result": "Success"}, "POIData": {"POITransactionID": {"TransactionID": id, "TimeStamp": "2026-11-25T14:05:00+02:00"}}})
            }
            Err(text) => failure("NotAllowed", text),
        };
        self.respond(request, "ReversalResponse", body);
    }

    fn reconciliation(&mut self, request: &Message) {
        let body = {
            let mut state = lock(self.state);
            state.reconciliations += 1;
            state.batch += 1;
            let (debit, credit) = (
                std::mem::take(&mut state.debit),
                std::mem::take(&mut state.credit),
            );
            json!({
                "Response": {"Result": "Success"},
                "ReconciliationType": "SaleReconciliation",
                "POIReconciliationID": state.reconciliations.to_string(),
                "TransactionTotals": [{"PaymentInstrumentType": "Card", "PaymentCurrency": "EUR", "PaymentTotals": [
                    {"TransactionType": "Debit", "TransactionCount": debit.count, "TransactionAmount": message::amount_json(debit.cents)},
                    {"TransactionType": "Credit", "TransactionCount": credit.count, "TransactionAmount": message::amount_json(credit.cents)}]}],
            })
        };
        self.respond(request, "ReconciliationResponse", body);
    }
}
