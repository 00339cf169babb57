//! Ticket mail: composing (HTML + text + PDF from the ticket layout), SMTP with pooled
//! connections, DKIM, and the secret store for passwords and keys. The outbox itself is in
//! the ledger; the services that drive it are in `app::mail`.

pub mod compose;
pub mod dkim;
pub mod pdf;
pub mod secrets;
pub mod sms;
pub mod smtp;
