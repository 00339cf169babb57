//! Finnish reference numbers (viitenumero): 4–20 digits, the last a 7-3-1 check digit, shown in
//! groups of five from the right; and their ISO 11649 RF form.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("a reference number has only digits ('{0}' has others)")]
    NotDigits(String),
    #[error("a reference number has at least 4 digits ('{0}' has {1})")]
    TooShort(String, usize),
    #[error("a reference number has at most 20 digits ('{0}' has {1})")]
    TooLong(String, usize),
    #[error("the check digit of {0} should be {1}")]
    WrongCheckDigit(String, u8),
    #[error("the base of a reference number has 3 to 19 digits ('{0}' has {1})")]
    BadBase(String, usize),
}

/// A valid reference number (digits only, check digit verified).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReferenceNumber(String);

/// The 7-3-1 check digit of `base` (digits only): weights 7, 3, 1, 7, 3, 1… from the right,
/// check digit = (10 − sum mod 10) mod 10.
pub fn check_digit(base: &str) -> u8 {
    let sum: u32 = base
        .bytes()
        .rev()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn digits_only(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

impl ReferenceNumber {
    /// Validates a typed reference (spaces allowed between groups).
    pub fn parse(input: &str) -> Result<ReferenceNumber, ReferenceError> {
        let digits = digits_only(input);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReferenceError::NotDigits(input.trim().to_string()));
        }
        if digits.len() < 4 {
            return Err(ReferenceError::TooShort(digits.clone(), digits.len()));
        }
        if digits.len() > 20 {
            return Err(ReferenceError::TooLong(digits.clone(), digits.len()));
        }
        let (base, check) = digits.split_at(digits.len() - 1);
        let expected = check_digit(base);
        if check.as_bytes()[0] - b'0' != expected {
            return Err(ReferenceError::WrongCheckDigit(digits.clone(), expected));
        }
        Ok(ReferenceNumber(digits))
    }

    /// The reference for `base` (3–19 digits, e.g. an order number): base + check digit.
    pub fn from_base(base: &str) -> Result<ReferenceNumber, ReferenceError> {
        let digits = digits_only(base);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReferenceError::NotDigits(base.trim().to_string()));
        }
        if !(3..=19).contains(&digits.len()) {
            return Err(ReferenceError::BadBase(digits.clone(), digits.len()));
        }
        let check = check_digit(&digits);
        Ok(ReferenceNumber(format!("{digits}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Groups of five from the right: `12 34561`.
    pub fn grouped(&self) -> String {
        let digits = self.0.as_bytes();
        let head = digits.len() % 5;
        let mut groups: Vec<&str> = Vec::new();
        if head > 0 {
            groups.push(std::str::from_utf8(&digits[..head]).unwrap_or_default());
        }
        for chunk in digits[head..].chunks(5) {
            groups.push(std::str::from_utf8(chunk).unwrap_or_default());
        }
        groups.join(" ")
    }

    /// The ISO 11649 creditor reference in electronic form: `RF` + two check digits + the
    /// reference. Finance Finland's rule (kansainvälisen viitteen rakenneohje): the national
    /// reference's leading zeros are removed before it is embedded, so `0013` is `RF4113`.
    pub fn rf(&self) -> String {
        let trimmed = self.0.trim_start_matches('0');
        let reference = if trimmed.is_empty() { "0" } else { trimmed };
        // Move "RF00" to the end, letters as numbers (R = 27, F = 15), mod 97.
        let numeric = format!("{reference}271500");
        let remainder = numeric
            .bytes()
            .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
        format!("RF{:02}{reference}", 98 - remainder)
    }
}

impl fmt::Display for ReferenceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        // 123: 3×7 + 2×3 + 1×1 = 28 → 2
        assert_eq!(check_digit("123"), 2);
        assert_eq!(ReferenceNumber::from_base("123").unwrap().as_str(), "1232");
        assert_eq!(
            ReferenceNumber::from_base("12369665").unwrap().as_str(),
            "123696650"
        );
        assert!(ReferenceNumber::parse("123696650").is_ok());
        assert!(ReferenceNumber::parse("12369 6650").is_ok());
    }

    #[test]
    fn refuses_bad_references() {
        assert!(matches!(
            ReferenceNumber::parse("123"),
            Err(ReferenceError::TooShort(..))
        ));
        assert!(matches!(
            ReferenceNumber::parse(&"1".repeat(21)),
            Err(ReferenceError::TooLong(..))
        ));
        assert!(matches!(
            ReferenceNumber::parse("12a4"),
            Err(ReferenceError::NotDigits(..))
        ));
        assert!(matches!(
            ReferenceNumber::parse("123696651"),
            Err(ReferenceError::WrongCheckDigit(_, 0))
        ));
        assert!(matches!(
            ReferenceNumber::from_base("12"),
            Err(ReferenceError::BadBase(..))
        ));
    }

    #[test]
    fn grouping_and_rf() {
        assert_eq!(
            ReferenceNumber::parse("123696650").unwrap().grouped(),
            "1236 96650"
        );
        assert_eq!(ReferenceNumber::parse("1232").unwrap().grouped(), "1232");
        // ISO 11649's own example: RF18 5390 0754 7034 for reference 539007547034.
        let rf = ReferenceNumber("539007547034".into()).rf();
        assert_eq!(rf, "RF18539007547034");
        // Finance Finland: leading zeros go before embedding; its shortest example, national
        // reference 0013, is RF41 13 (as finnish-bank-utils' issue 10 quotes the guide).
        assert_eq!(ReferenceNumber::parse("0013").unwrap().rf(), "RF4113");
        assert_eq!(
            ReferenceNumber::parse("00000 01234 56780").unwrap().rf(),
            ReferenceNumber::parse("123456780").unwrap().rf()
        );
    }
}
