//! Tenders that talk to the outside world. So far: the pure half of Danske Bank Verkkomaksu v4
//! (MACs, replies, payment-query codes and replies) and Finnish reference numbers.

pub mod reference;
pub mod verkkomaksu;
