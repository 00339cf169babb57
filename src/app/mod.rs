//! Application services: the business operations behind the GUI and the CLI.
//! A service call checks its inputs, runs one ledger transaction and does the
//! device I/O after the commit. The GUI reaches these through [`worker`].

pub mod bank;
mod bench;
pub mod card;
mod day_z;
mod demo;
pub mod devices;
mod error;
mod fiscal;
mod link;
mod login;
mod mail;
mod printing;
pub mod receipts;
mod refunds;
mod saft;
pub mod sale;
pub mod seats;
mod services;
mod shifts;
pub mod status_fact;
pub mod support;
mod users;
pub mod views;
pub mod worker;

pub use crate::receipt::{Receipt, ReceiptCard, ReceiptLine};
pub use bench::{SeedOutcome, Timing};
pub use card::{CardProgress, CardRefundStep, ManualResolution, Split, TerminalStatus};
pub use day_z::DayInfo;
pub use demo::DEMO_USERS;
pub use error::{
    AdminError, AppError, BankError, CardError, MailError, PrintError, RefundError, SaleError,
    ShiftError, error_text,
};
pub use fiscal::{
    FiscalDevice, FiscalReceipt, FiscalStamp, JournalSha256Chain, NoFiscalDevice,
    SharedFiscalDevice,
};
pub use link::{PROBE_EVERY, SharedLink};
pub use mail::{
    DomainRecords, FlushReport, MailServerRequest, SmsGatewayRequest, SmsOutcome, TestMailOutcome,
};
pub use printing::{
    DEMO_PRINTER_NAME, PRINTER_TIMEOUT, PrintMode, PrintOutcome, PrintResult, PrinterConfig,
    RenderFormat, ReprintOrder, ReprintTicket,
};
pub use refunds::{REFUND_REASONS, RefundOutcome, RefundRequest};
pub use sale::{BankWait, Payment, QueuedMail, Recorded, SaleEnd, SaleOutcome, SaleRequest};
pub use services::{
    CatalogCategory, CatalogPerformance, InitOutcome, Services, Session, TicketStatus,
};
pub use shifts::{CashMovement, JournalHead, ShiftReport};
pub use users::UserSummary;
