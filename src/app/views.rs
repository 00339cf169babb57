//! View models: what the screens are told about the ledger's rows, in the app's own types.
//! The ui names no `ledger` type (tests/floors.rs); the worker converts a row into its view
//! before the event leaves the service thread, and a view the ui edits back into a row.

use crate::domain::Money;
use crate::domain::ids::OrderNumber;
use crate::ledger;

/// Rows into their views.
pub fn views<R, V: From<R>>(rows: Vec<R>) -> Vec<V> {
    rows.into_iter().map(V::from).collect()
}

/// An order found by the refund panel's search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderHitView {
    pub order_number: OrderNumber,
    pub receipt_number: Option<i64>,
    pub created_at: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub event: String,
    pub starts_at: String,
    pub total_cents: Money,
    pub refunded_cents: Money,
    pub tickets: i64,
    pub valid_tickets: i64,
    pub training: bool,
}

impl From<ledger::OrderHit> for OrderHitView {
    fn from(hit: ledger::OrderHit) -> Self {
        OrderHitView {
            order_number: hit.order_number,
            receipt_number: hit.receipt_number,
            created_at: hit.created_at,
            customer_name: hit.customer_name,
            customer_email: hit.customer_email,
            event: hit.event,
            starts_at: hit.starts_at,
            total_cents: Money::from_cents(hit.total_cents),
            refunded_cents: Money::from_cents(hit.refunded_cents),
            tickets: hit.tickets,
            valid_tickets: hit.valid_tickets,
            training: hit.training,
        }
    }
}

/// A refund of an order, as the refund panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundView {
    pub receipt_number: Option<i64>,
    pub created_at: String,
    /// The reason's code (the panel says it in words).
    pub reason_code: String,
    pub reason_text: String,
    /// cash, card or bank
    pub tender: crate::domain::Tender,
    pub amount_cents: Money,
    pub user: String,
    pub authorised_by: String,
    pub tickets: Vec<String>,
}

impl From<ledger::RefundRow> for RefundView {
    fn from(row: ledger::RefundRow) -> Self {
        RefundView {
            receipt_number: row.receipt_number,
            created_at: row.created_at,
            reason_code: row.reason_code,
            reason_text: row.reason_text,
            tender: row.tender,
            amount_cents: Money::from_cents(row.amount_cents),
            user: row.user,
            authorised_by: row.authorised_by,
            tickets: row.tickets,
        }
    }
}

/// A ticket printer of the printers screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterView {
    pub name: String,
    /// queue:QUEUE | tcp:HOST:PORT | serial:PORT[:BAUD…] | file:PATH
    pub transport: String,
    /// fingerprint | zpl
    pub language: String,
    pub is_default: bool,
}

impl From<ledger::PrinterRow> for PrinterView {
    fn from(row: ledger::PrinterRow) -> Self {
        PrinterView {
            name: row.name,
            transport: row.transport,
            language: row.language,
            is_default: row.is_default,
        }
    }
}

/// A mail server of the mail settings (its password stays in the secret store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailServerView {
    pub id: i64,
    pub name: String,
    pub host: String,
    pub port: u16,
    /// starttls, tls or none
    pub security: String,
    pub username: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub builtin: bool,
}

impl From<ledger::MailServerRow> for MailServerView {
    fn from(row: ledger::MailServerRow) -> Self {
        MailServerView {
            id: row.id,
            name: row.name,
            host: row.host,
            port: row.port,
            security: row.security,
            username: row.username,
            from_name: row.from_name,
            from_address: row.from_address,
            builtin: row.builtin,
        }
    }
}

/// A message that did not go out (the red count's list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFailureView {
    pub id: i64,
    pub order_id: OrderNumber,
    pub to_address: String,
    pub created_at: String,
    /// queued, sent, retry, failed, replaced or cancelled
    pub state: String,
    pub attempts: i64,
    /// The server's last words.
    pub last_reply: Option<String>,
    pub next_attempt_at: Option<String>,
}

impl From<ledger::OutboxRow> for MailFailureView {
    fn from(row: ledger::OutboxRow) -> Self {
        MailFailureView {
            id: row.id,
            order_id: row.order_id,
            to_address: row.to_address,
            created_at: row.created_at,
            state: row.state,
            attempts: row.attempts,
            last_reply: row.last_reply,
            next_attempt_at: row.next_attempt_at,
        }
    }
}

/// A card attempt whose outcome is unknown, for a manager to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardAttemptView {
    pub service_id: String,
    pub terminal: String,
    /// `purchase` or `refund`.
    pub kind: String,
    pub amount_cents: Money,
    pub order_id: Option<OrderNumber>,
    pub created_at: String,
    /// The newest outcome: `pending` when none was written yet.
    pub state: String,
    pub detail: String,
    /// How many times the outcome was found unknown.
    pub unknown_count: i64,
}

impl From<ledger::CardAttemptRow> for CardAttemptView {
    fn from(row: ledger::CardAttemptRow) -> Self {
        CardAttemptView {
            service_id: row.service_id,
            terminal: row.terminal,
            kind: row.kind,
            amount_cents: Money::from_cents(row.amount_cents),
            order_id: row.order_id,
            created_at: row.created_at,
            state: row.state,
            detail: row.detail,
            unknown_count: row.unknown_count,
        }
    }
}

/// A reservation of the reservations screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationView {
    pub id: i64,
    pub reference: String,
    pub performance_id: crate::domain::ids::PerformanceId,
    pub created_at: String,
    pub due_date: String,
    pub total_cents: Money,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    /// open, paid, released or cancelled
    pub state: String,
    /// The order it became, once paid.
    pub order_id: Option<OrderNumber>,
    /// How many tickets it holds.
    pub tickets: u32,
}

impl From<ledger::ReservationRow> for ReservationView {
    fn from(row: ledger::ReservationRow) -> Self {
        ReservationView {
            tickets: row.lines.iter().map(|l| l.quantity).sum(),
            id: row.id,
            reference: row.reference,
            performance_id: row.performance_id,
            created_at: row.created_at,
            due_date: row.due_date,
            total_cents: Money::from_cents(row.total_cents),
            customer_name: row.customer_name,
            customer_email: row.customer_email,
            customer_phone: row.customer_phone,
            state: row.state,
            order_id: row.order_id,
        }
    }
}

/// The bank settings as the status screen edits them (the keys are apart, in the secret store).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BankSettingsView {
    pub merchant: String,
    pub contract: String,
    pub payment_url: String,
    pub payment_url_alt: Option<String>,
    pub query_url: String,
    pub query_url_alt: Option<String>,
}

impl From<ledger::BankSettingsRow> for BankSettingsView {
    fn from(row: ledger::BankSettingsRow) -> Self {
        BankSettingsView {
            merchant: row.merchant,
            contract: row.contract,
            payment_url: row.payment_url,
            payment_url_alt: row.payment_url_alt,
            query_url: row.query_url,
            query_url_alt: row.query_url_alt,
        }
    }
}

impl From<BankSettingsView> for ledger::BankSettingsRow {
    fn from(view: BankSettingsView) -> Self {
        ledger::BankSettingsRow {
            merchant: view.merchant,
            contract: view.contract,
            payment_url: view.payment_url,
            payment_url_alt: view.payment_url_alt,
            query_url: view.query_url,
            query_url_alt: view.query_url_alt,
        }
    }
}

/// A report's table: named columns and rows of values (shown, and exported as CSV).
#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

impl From<ledger::Table> for TableView {
    fn from(table: ledger::Table) -> Self {
        TableView {
            name: table.name,
            columns: table.columns,
            rows: table.rows,
        }
    }
}

impl From<TableView> for ledger::Table {
    fn from(view: TableView) -> Self {
        ledger::Table {
            name: view.name,
            columns: view.columns,
            rows: view.rows,
        }
    }
}
