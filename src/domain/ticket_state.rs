//! A ticket's state: a closed set, stored in `tickets.state` and written into JSON as its text
//! (`as_str`, the same text the ledger held before this type existed).

use serde::{Deserialize, Serialize};

/// Valid (sold, admits), revoked (refunded or reissued), or sold in training mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketState {
    Valid,
    Revoked,
    Training,
}

impl TicketState {
    pub const ALL: [TicketState; 3] = [
        TicketState::Valid,
        TicketState::Revoked,
        TicketState::Training,
    ];

    /// The state as the ledger stores it.
    pub const fn as_str(self) -> &'static str {
        match self {
            TicketState::Valid => "valid",
            TicketState::Revoked => "revoked",
            TicketState::Training => "training",
        }
    }

    /// A stored state read back (`None`: not one of these).
    pub fn parse(text: &str) -> Option<TicketState> {
        TicketState::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for TicketState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::TicketState;

    #[test]
    fn a_state_reads_back_as_itself_and_serialises_as_its_stored_text() {
        for state in TicketState::ALL {
            assert_eq!(TicketState::parse(state.as_str()), Some(state));
            assert_eq!(
                serde_json::to_string(&state).ok(),
                Some(format!("\"{}\"", state.as_str()))
            );
        }
        assert_eq!(
            TicketState::ALL.map(TicketState::as_str),
            ["valid", "revoked", "training"]
        );
        assert_eq!(TicketState::parse("unknown"), None);
    }
}
