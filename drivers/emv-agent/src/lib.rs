//! The card-terminal agent link on TCP port 1337 (`protocols/emv-agent-link.md`): nexo
//! Sale-to-POI messages as JSON lines.
//!
//! - [`Terminal`] is what the box office needs from any card terminal; [`AgentLink`] is the
//!   port-1337 implementation (Nets Connect@Cloud would be another).
//! - [`message`] builds and reads the messages: exact cents, line framing, card-number masking.
//! - [`sim`] is a simulator of the agent (also the `emv-agent-sim` binary) with fault injection.

mod client;
pub mod message;
pub mod sim;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use client::{AgentLink, Timeouts};

/// Checks an agent address before it is stored: `HOST:PORT`, the host a name or an IP address
/// (IPv6 in brackets), the port 1–65535. The error is a sentence about the address.
pub fn check_agent_address(address: &str) -> Result<(), String> {
    let address = address.trim();
    let Some((host, port)) = address.rsplit_once(':') else {
        return Err(format!(
            "'{address}' is not HOST:PORT (for example 127.0.0.1:1337)"
        ));
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        inner.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    if !host_ok {
        return Err(format!(
            "'{address}' has no valid host before the port (for example 127.0.0.1:1337)"
        ));
    }
    match port.parse::<u16>() {
        Ok(port) if port > 0 => Ok(()),
        _ => Err(format!(
            "'{port}' in '{address}' is not a port: a number from 1 to 65535"
        )),
    }
}

/// Purchase or refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentKind {
    Purchase,
    Refund,
}

impl PaymentKind {
    pub fn code(self) -> &'static str {
        match self {
            PaymentKind::Purchase => "Normal",
            PaymentKind::Refund => "Refund",
        }
    }
}

/// One payment to run on the terminal.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    /// The unique id of this attempt (the ServiceID, 1–10 characters), already in the ledger.
    pub service_id: String,
    /// The sale system's transaction id (SaleTransactionID), e.g. the attempt's reference.
    pub transaction_id: String,
    /// RFC 3339 time of the request.
    pub timestamp: String,
    pub amount_cents: i64,
    pub kind: PaymentKind,
    /// Set to ask the terminal to abort (an `AbortRequest` is sent once).
    pub abort: Arc<AtomicBool>,
}

/// What an approved payment leaves behind: never a card number, only these.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Approval {
    /// What the terminal authorised (the only amount the sale may count).
    pub authorized_cents: i64,
    pub brand: String,
    /// Masked as the agent sent it, with any run of 13+ digits masked again.
    pub masked_pan: String,
    pub approval_code: String,
    pub poi_transaction_id: String,
    pub poi_timestamp: String,
    pub cashier_receipt: String,
    pub customer_receipt: String,
}

impl Approval {
    /// The last four digits of the masked PAN, if it ends in four digits.
    pub fn last4(&self) -> Option<String> {
        let digits: String = self.masked_pan.chars().rev().take(4).collect();
        (digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.chars().rev().collect())
    }
}

/// The end of a payment as the terminal reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentResult {
    Approved(Approval),
    /// Not paid: `condition` is the nexo ErrorCondition (Refusal, Aborted, Busy, …),
    /// `text` the AdditionalResponse for the cashier.
    NotApproved {
        condition: String,
        text: String,
    },
}

/// What a status query found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusResult {
    Done(PaymentResult),
    /// Still running: ask again later.
    InProgress,
    /// The terminal never received or started it: the payment did not happen.
    NotFound,
}

/// Totals of the terminal's batch for one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub count: i64,
    pub cents: i64,
}

/// A day-end reconciliation's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reconciliation {
    pub reconciliation_id: String,
    /// Purchases.
    pub debit: Totals,
    /// Refunds.
    pub credit: Totals,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalError {
    /// Nothing was sent: the agent could not be reached.
    NotAnswering { address: String, reason: String },
    /// The request may have reached the terminal but no answer came (timeout, dropped
    /// connection): the outcome is unknown until a status query says otherwise.
    Unknown { reason: String },
    /// The terminal answered with a failure (for requests other than payments).
    Failed { condition: String, text: String },
    /// The answer broke the contract.
    Protocol(String),
}

impl std::fmt::Display for TerminalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TerminalError::NotAnswering { address, reason } => {
                write!(
                    f,
                    "card terminal agent is not answering on {address} ({reason})"
                )
            }
            TerminalError::Unknown { reason } => {
                write!(
                    f,
                    "the card terminal's answer was lost ({reason}); the outcome is unknown"
                )
            }
            TerminalError::Failed { condition, text } if text.is_empty() => {
                write!(f, "the card terminal refused: {condition}")
            }
            TerminalError::Failed { condition, text } => {
                write!(f, "the card terminal refused: {condition} ({text})")
            }
            TerminalError::Protocol(detail) => {
                write!(f, "the card terminal broke the protocol: {detail}")
            }
        }
    }
}

impl std::error::Error for TerminalError {}

/// What the box office needs from a card terminal. Implementations block; the box office
/// calls them off the UI thread, one request in flight per terminal.
pub trait Terminal: Send {
    /// Runs a payment; `display` receives the texts the terminal shows the cashier.
    fn pay(
        &mut self,
        request: &PaymentRequest,
        display: &mut dyn FnMut(&str),
    ) -> Result<PaymentResult, TerminalError>;

    /// What became of the payment with this ServiceID (reconnecting as needed).
    fn status(&mut self, service_id: &str) -> Result<StatusResult, TerminalError>;

    /// Reverses an approved payment of the current batch; returns the reversal's POI id.
    fn reverse(&mut self, approval: &Approval) -> Result<String, TerminalError>;

    /// Day-end reconciliation: the terminal's batch totals (and a new batch).
    fn reconcile(&mut self) -> Result<Reconciliation, TerminalError>;
}

#[cfg(test)]
mod address_tests {
    use super::check_agent_address;

    #[test]
    fn agent_addresses_are_host_and_port() {
        for good in [
            "127.0.0.1:1337",
            "kassa-2.local:1337",
            "[::1]:1337",
            "agent:1",
        ] {
            assert_eq!(check_agent_address(good), Ok(()), "{good}");
        }
        for bad in [
            "notanaddress",
            "127.0.0.1:99999",
            ":1337",
            "127.0.0.1:",
            "127.0.0.1:0",
            "127.0.0.1:13a7",
            "host name:1337",
            "[::1:1337",
            "",
        ] {
            assert!(check_agent_address(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
