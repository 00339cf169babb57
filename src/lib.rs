//! Box office: a point-of-sale program for ticket counters.
//! See ARCHITECTURE.md for the modules and the rules between them.

pub mod app;
pub mod domain;
pub mod i18n;
pub mod ledger;
pub mod logging;
pub mod mail;
pub mod payments;
pub mod printing;
pub mod receipt;
pub mod ui;
