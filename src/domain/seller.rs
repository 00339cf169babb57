//! The seller's identifiers as receipts print them: the Finnish business ID (Y-tunnus) and
//! the Swedish organisation number (organisationsnummer), with their check digits.

/// A Finnish business ID `1234567-8`: seven digits, a hyphen and a check digit (weights
/// 7, 9, 10, 5, 8, 4, 2; remainder 0 → 0, remainder 1 never issued, else 11 − remainder).
pub fn valid_y_tunnus(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 9 || bytes[7] != b'-' {
        return false;
    }
    let digits: Vec<u32> = text
        .chars()
        .filter(|c| *c != '-')
        .filter_map(|c| c.to_digit(10))
        .collect();
    if digits.len() != 8 {
        return false;
    }
    let sum: u32 = digits[..7]
        .iter()
        .zip([7, 9, 10, 5, 8, 4, 2])
        .map(|(d, w)| d * w)
        .sum();
    match sum % 11 {
        0 => digits[7] == 0,
        1 => false,
        r => digits[7] == 11 - r,
    }
}

/// A Swedish organisation number `556036-0793` (or ten digits without the hyphen): the last
/// digit is the Luhn check digit of the first nine.
pub fn valid_organisationsnummer(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| *c != '-').collect();
    if compact.len() != 10
        || !compact.chars().all(|c| c.is_ascii_digit())
        || text.matches('-').count() > 1
        || (text.contains('-') && text.find('-') != Some(6))
    {
        return false;
    }
    let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { *d };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_business_ids() {
        // Published IDs (Nokia Oyj, Kesko Oyj) and one computed by hand.
        for id in ["0112038-9", "0109862-8", "1234567-1"] {
            assert!(valid_y_tunnus(id), "{id}");
        }
        for id in ["0112038-8", "01120389", "112038-9", "0112038-X", ""] {
            assert!(!valid_y_tunnus(id), "{id}");
        }
    }

    #[test]
    fn swedish_organisation_numbers() {
        // Published numbers: Volvo AB, IKEA of Sweden AB.
        for id in ["556012-5790", "5560125790", "556074-7569"] {
            assert!(valid_organisationsnummer(id), "{id}");
        }
        for id in ["556012-5791", "55601-25790", "556012579", ""] {
            assert!(!valid_organisationsnummer(id), "{id}");
        }
    }
}
