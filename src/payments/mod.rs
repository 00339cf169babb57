//! Tenders that talk to the outside world: Danske Bank Verkkomaksu v4 (the pure protocol in
//! `verkkomaksu`, `query` and `keys`; HTTP with failover in `http`; the counter's local reply
//! listener in `listener`; the demo box office's simulated bank in `demo_bank`) and Finnish
//! reference numbers.

pub mod demo_bank;
pub mod http;
pub mod keys;
pub mod listener;
pub mod nets;
pub mod query;
pub mod reference;
pub mod verkkomaksu;
