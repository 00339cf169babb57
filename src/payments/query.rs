//! The Verkkomaksu payment query (pure half): the form posted to the bank and what its reply
//! means. The reply carries no MAC, so everything in it is checked against what was asked.

use crate::domain::Money;

use super::verkkomaksu::{query_code, query_pairs};

/// The fields of a payment query, in the order the manual lists them.
pub fn query_form(
    secret: &str,
    merchant: &str,
    contract: &str,
    reference: &str,
    language: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("gsSprog", language.to_string()),
        ("gsProdukt", "IBV".to_string()),
        ("gsNextObj", "InetPayV".to_string()),
        ("gsNextAkt", "InetPaySt".to_string()),
        ("gsresp", "s".to_string()),
        ("gsaftlnr", contract.to_string()),
        ("merchantid", merchant.to_string()),
        ("version", "0001".to_string()),
        ("refno", reference.to_string()),
        ("verifycode", query_code(secret, merchant, reference)),
        ("algorithm", "03".to_string()),
    ]
}

/// What a payment query established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryOutcome {
    /// Paid, with the amount the bank reports and how (PayType; informative only).
    Paid {
        amount: Money,
        pay_type: Option<String>,
    },
    /// Return code 001: no payment with this reference (not paid yet, or never).
    NotPaid,
    /// The bank knows the payment but it is not settled yet (a due date in the future).
    NotSettled(String),
    /// The bank answered with an error about our query or contract: a person must look.
    Refused { code: String, meaning: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the bank's query reply has no {0}")]
    Missing(&'static str),
    #[error("the bank's query reply is malformed: {0}")]
    Malformed(String),
    #[error("the bank's query reply is about {field} {got}, but we asked about {expected}")]
    Mismatch {
        field: &'static str,
        got: String,
        expected: String,
    },
}

/// The meaning of a query return code, as the manual gives it.
pub fn return_code_meaning(code: &str) -> &'static str {
    match code {
        "000" => "paid",
        "001" => "no payment with this reference (not paid)",
        "002" => "the reference is empty",
        "003" => "the merchant id is empty",
        "004" => "no such merchant",
        "006" => "no query contract for this merchant",
        "009" => "character error in the query",
        "010" => "the reference is not unique",
        _ => "an unknown return code",
    }
}

/// Parses an amount as the bank writes it (`456,23`, also `456.23`) into cents, exactly.
pub fn parse_bank_amount(text: &str) -> Option<Money> {
    Money::parse(text.trim()).ok()
}

/// Reads a query reply and checks it answers what was asked: reference, merchant (when the reply
/// names one), amount and currency.
pub fn interpret_reply(
    body: &str,
    reference: &str,
    merchant: &str,
    expected_amount: Money,
) -> Result<QueryOutcome, QueryError> {
    let pairs = query_pairs(body).map_err(|e| QueryError::Malformed(e.to_string()))?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim().to_string())
    };
    let code = get("ReturnCode").ok_or(QueryError::Missing("ReturnCode"))?;
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(QueryError::Malformed(format!("ReturnCode '{code}'")));
    }
    match code.as_str() {
        "000" => {}
        "001" => return Ok(QueryOutcome::NotPaid),
        other => {
            let text = get("ReturnText").unwrap_or_default();
            let meaning = return_code_meaning(other);
            return Ok(QueryOutcome::Refused {
                code: other.to_string(),
                meaning: if text.is_empty() {
                    meaning.to_string()
                } else {
                    format!("{meaning} ({text})")
                },
            });
        }
    }
    let refno = get("Refno").ok_or(QueryError::Missing("Refno"))?;
    if refno.trim_start_matches('0') != reference.trim_start_matches('0') {
        return Err(QueryError::Mismatch {
            field: "reference",
            got: refno,
            expected: reference.to_string(),
        });
    }
    // The bank's MerchantID is usually the shop's name ("Test Shop"); a number must be ours.
    if let Some(got) = get("MerchantID")
        && got.bytes().all(|b| b.is_ascii_digit())
        && got != merchant
    {
        return Err(QueryError::Mismatch {
            field: "merchant",
            got,
            expected: merchant.to_string(),
        });
    }
    let currency = get("Currency").ok_or(QueryError::Missing("Currency"))?;
    if !currency.eq_ignore_ascii_case("EUR") {
        return Err(QueryError::Mismatch {
            field: "currency",
            got: currency,
            expected: "EUR".to_string(),
        });
    }
    let amount_text = get("Amount").ok_or(QueryError::Missing("Amount"))?;
    let amount = parse_bank_amount(&amount_text)
        .ok_or_else(|| QueryError::Malformed(format!("Amount '{amount_text}'")))?;
    if amount != expected_amount {
        return Err(QueryError::Mismatch {
            field: "amount",
            got: amount_text,
            expected: super::verkkomaksu::amount_text(expected_amount),
        });
    }
    match get("PayStatus") {
        Some(status) if !status.eq_ignore_ascii_case("Settled") => {
            Ok(QueryOutcome::NotSettled(status))
        }
        _ => Ok(QueryOutcome::Paid {
            amount,
            pay_type: get("PayType"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAID: &str = "ReturnCode=000&ReturnText=OK&Refno=123456780&Amount=456,23&Currency=EUR&Total=456,23&PayType=KT&PayStatus=Settled";

    #[test]
    fn a_paid_reply_that_matches_is_paid() {
        let outcome =
            interpret_reply(PAID, "123456780", "000000000000", Money::from_cents(45623)).unwrap();
        assert_eq!(
            outcome,
            QueryOutcome::Paid {
                amount: Money::from_cents(45623),
                pay_type: Some("KT".into())
            }
        );
    }

    #[test]
    fn a_paid_reply_about_something_else_is_an_error() {
        let wrong_amount =
            interpret_reply(PAID, "123456780", "000000000000", Money::from_cents(45600));
        assert!(matches!(
            wrong_amount,
            Err(QueryError::Mismatch {
                field: "amount",
                ..
            })
        ));
        let wrong_reference =
            interpret_reply(PAID, "55555", "000000000000", Money::from_cents(45623));
        assert!(matches!(
            wrong_reference,
            Err(QueryError::Mismatch {
                field: "reference",
                ..
            })
        ));
        let usd = PAID.replace("EUR", "USD");
        assert!(matches!(
            interpret_reply(&usd, "123456780", "000000000000", Money::from_cents(45623)),
            Err(QueryError::Mismatch {
                field: "currency",
                ..
            })
        ));
        let named = format!("{PAID}&MerchantID=Test Shop");
        assert!(
            interpret_reply(
                &named,
                "123456780",
                "000000000000",
                Money::from_cents(45623)
            )
            .is_ok()
        );
        let waiting = PAID.replace("Settled", "Waiting");
        assert_eq!(
            interpret_reply(
                &waiting,
                "123456780",
                "000000000000",
                Money::from_cents(45623)
            ),
            Ok(QueryOutcome::NotSettled("Waiting".into()))
        );
        let other_merchant = format!("{PAID}&MerchantID=111111111111");
        assert!(matches!(
            interpret_reply(
                &other_merchant,
                "123456780",
                "000000000000",
                Money::from_cents(45623)
            ),
            Err(QueryError::Mismatch {
                field: "merchant",
                ..
            })
        ));
    }

    #[test]
    fn return_codes_have_meanings() {
        assert_eq!(
            interpret_reply(
                "ReturnCode=001&ReturnText=Not found",
                "1232",
                "0",
                Money::ZERO
            )
            .unwrap(),
            QueryOutcome::NotPaid
        );
        for code in ["002", "003", "004", "006", "009", "010"] {
            let outcome =
                interpret_reply(&format!("ReturnCode={code}"), "1232", "0", Money::ZERO).unwrap();
            match outcome {
                QueryOutcome::Refused { code: got, meaning } => {
                    assert_eq!(got, code);
                    assert_eq!(meaning, return_code_meaning(code));
                    assert_ne!(meaning, "an unknown return code");
                }
                other => panic!("{code}: {other:?}"),
            }
        }
        assert!(matches!(
            interpret_reply("<html>Service unavailable</html>", "1232", "0", Money::ZERO),
            Err(QueryError::Missing("ReturnCode"))
        ));
        assert!(matches!(
            interpret_reply("ReturnCode=OK", "1232", "0", Money::ZERO),
            Err(QueryError::Malformed(_))
        ));
    }

    #[test]
    fn the_query_form_carries_the_verify_code() {
        let form = query_form("SECRET", "000000000000", "123456", "1232", "FI");
        let get = |name: &str| form.iter().find(|(k, _)| *k == name).unwrap().1.clone();
        assert_eq!(
            get("verifycode"),
            query_code("SECRET", "000000000000", "1232")
        );
        assert_eq!(get("gsaftlnr"), "123456");
        assert_eq!(get("algorithm"), "03");
        assert_eq!(get("version"), "0001");
    }
}
