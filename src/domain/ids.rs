//! Ids that cross module boundaries, each its own type so one can never be passed for another
//! (an order number where a performance id belongs). The ledger stores each as the same integer
//! it always was: `ToSql`/`FromSql` and the engine's `Value` conversions live in `ledger::ids`.
//! JSON writes them as plain numbers (`#[serde(transparent)]`), `Display` as the bare number.

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The integer the ledger stores.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )*};
}

id_type! {
    /// An order's number (`orders.id`): what the receipt, the customer and every refund name.
    OrderNumber;
    /// A performance (`performances.id`): one event at one time, the thing tickets are sold for.
    PerformanceId;
    /// A user of the register (`users.id`).
    UserId;
    /// A cashier's shift (`shifts.id`).
    ShiftId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_written_as_the_bare_number() {
        let number = OrderNumber(1234);
        assert_eq!(number.to_string(), "1234");
        assert_eq!(
            serde_json::json!({ "order": number }).to_string(),
            r#"{"order":1234}"#
        );
        assert_eq!("1234".parse::<OrderNumber>(), Ok(number));
        assert!("12a".parse::<OrderNumber>().is_err());
    }
}
