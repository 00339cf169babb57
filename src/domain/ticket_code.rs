//! Ticket codes: 80 random bits written as 16 Crockford base-32 characters.
//! The randomness comes from the caller, so this stays pure.

use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketCode(String);

impl TicketCode {
    pub const LEN: usize = 16;

    pub fn from_random(bytes: [u8; 10]) -> Self {
        let mut bits: u128 = 0;
        for byte in bytes {
            bits = (bits << 8) | u128::from(byte);
        }
        let code = (0..Self::LEN)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        TicketCode(code)
    }

    /// Accepts what a scanner or a person types: any case, dashes and spaces, O for 0, I/L for 1.
    pub fn parse(input: &str) -> Option<Self> {
        let code: String = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        (code.len() == Self::LEN && code.bytes().all(|b| ALPHABET.contains(&b)))
            .then_some(TicketCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ABCD-EFGH-JKMN-PQRS` for people.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl fmt::Display for TicketCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_all_eighty_bits() {
        assert_eq!(
            TicketCode::from_random([0; 10]).as_str(),
            "0000000000000000"
        );
        assert_eq!(
            TicketCode::from_random([0xff; 10]).as_str(),
            "ZZZZZZZZZZZZZZZZ"
        );
        let code = TicketCode::from_random([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(code.as_str(), "041061050R3GG28A");
        assert_eq!(code.grouped(), "0410-6105-0R3G-G28A");
    }

    #[test]
    fn parses_typed_codes() {
        let code = TicketCode::from_random([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(TicketCode::parse("o41o-61o5-or3g-g28a"), Some(code));
        assert_eq!(TicketCode::parse("0410"), None);
        assert_eq!(TicketCode::parse("041061050R3GG28U"), None);
    }
}
