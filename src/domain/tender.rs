//! How a customer pays: a closed set. Stored in the ledger (`payments.tender`,
//! `refunds.tender`, whose CHECK takes exactly these) and written into JSON as its text
//! (`as_str`, the same text the ledger held before this type existed).

use serde::{Deserialize, Serialize};

/// A tender: cash in the drawer, a card through a terminal, or a bank payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tender {
    Cash,
    Card,
    Bank,
}

impl Tender {
    pub const ALL: [Tender; 3] = [Tender::Cash, Tender::Card, Tender::Bank];

    /// The tender as the ledger stores it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Tender::Cash => "cash",
            Tender::Card => "card",
            Tender::Bank => "bank",
        }
    }

    /// A stored tender read back (`None`: not one of these).
    pub fn parse(text: &str) -> Option<Tender> {
        Tender::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

impl std::fmt::Display for Tender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Tender;

    #[test]
    fn a_tender_reads_back_as_itself_and_serialises_as_its_stored_text() {
        for tender in Tender::ALL {
            assert_eq!(Tender::parse(tender.as_str()), Some(tender));
            assert_eq!(tender.to_string(), tender.as_str());
            assert_eq!(
                serde_json::to_string(&tender).ok(),
                Some(format!("\"{}\"", tender.as_str()))
            );
        }
        assert_eq!(
            Tender::ALL.map(Tender::as_str),
            ["cash", "card", "bank"],
            "the ledger's CHECK (tender IN ('cash', 'card', 'bank'))"
        );
        assert_eq!(Tender::parse("split"), None);
    }
}
