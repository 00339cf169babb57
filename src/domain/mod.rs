//! Pure business rules: money, VAT, the cart, ticket codes. No I/O here.

pub mod cart;
pub mod currency;
pub mod drawer;
pub mod ids;
pub mod journal;
pub mod mac;
pub mod money;
pub mod refund;
pub mod roles;
pub mod seating;
pub mod seller;
pub mod tender;
pub mod ticket_code;
pub mod ticket_state;
pub mod vat;

pub use cart::{Cart, CartLine, CartTotals, PricedCategory, VatSummary};
pub use currency::Currency;
pub use journal::JournalKind;
pub use money::{Money, MoneyParseError};
pub use roles::{Permission, Role};
pub use tender::Tender;
pub use ticket_code::TicketCode;
pub use ticket_state::TicketState;
pub use vat::{VatBasisPoints, vat_included};
