//! Danske Bank Verkkomaksu v4: request MAC, reply verification, payment-query code and reply.
//! Pure functions over the exact strings sent and received (DESIGN.md section 4).

use sha2::{Digest, Sha256};

use crate::domain::Money;

fn sha256_hex(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(b"&");
    }
    hex::encode(hasher.finalize())
}

/// The fields of a payment request that the MAC covers, exactly as posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    pub merchant: &'a str,
    pub amount: &'a str,
    pub reference: &'a str,
    pub version: &'a str,
    pub currency: &'a str,
    pub ok_url: &'a str,
    pub cancel_url: &'a str,
    pub due_date: &'a str,
}

/// `TARKISTE` of a request: sha256(SECRET&SUMMA&VIITE&KNRO&VERSIO&VALUUTTA&OKURL&VIRHEURL&ERAPAIVA&), lowercase hex.
pub fn request_mac(secret: &str, request: &Request<'_>) -> String {
    sha256_hex(&[
        secret,
        request.amount,
        request.reference,
        request.merchant,
        request.version,
        request.currency,
        request.ok_url,
        request.cancel_url,
        request.due_date,
    ])
}

/// The canonical amount the box office posts: comma, two decimals, no thousands separator.
pub fn amount_text(amount: Money) -> String {
    format!("{},{:02}", amount.cents() / 100, amount.cents() % 100)
}

/// `verifycode` of a payment query: sha256(SECRET&MERCHANTID&REFNO&), lowercase hex.
pub fn query_code(secret: &str, merchant: &str, reference: &str) -> String {
    sha256_hex(&[secret, merchant, reference])
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("the bank's reply has no {0}")]
    Missing(&'static str),
    #[error("the bank's reply is not signed with our key (TARKISTE does not match)")]
    BadMac,
    #[error("the bank reports status {0}: the payment was not made")]
    NotPaid(String),
    #[error("the bank's reply is malformed: {0}")]
    Malformed(String),
    #[error("the bank's reply is about {field} {got}, but the box office asked for {expected}")]
    Mismatch {
        field: &'static str,
        got: String,
        expected: String,
    },
}

/// A reply at OKURL, as parsed from its query string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    pub merchant: String,
    pub currency: String,
    pub reference: String,
    pub amount: String,
    pub version: String,
    pub status: String,
    pub mac: String,
    /// Payment method: not covered by the MAC, so it decides nothing.
    pub method: Option<String>,
    pub due_date: String,
}

/// Splits `a=1&b=2` (after an optional `…?`) into decoded pairs.
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ReplyError> {
    let query = query.trim();
    let query = query.split_once('?').map_or(query, |(_, q)| q);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

fn percent_decode(text: &str) -> Result<String, ReplyError> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(b) = input.next() {
        match b {
            b'%' => {
                let high = input.next();
                let low = input.next();
                let digit = |d: Option<u8>| d.and_then(|d| (d as char).to_digit(16));
                match (digit(high), digit(low)) {
                    (Some(h), Some(l)) => bytes.push((h * 16 + l) as u8),
                    _ => return Err(ReplyError::Malformed(format!("bad %-escape in '{text}'"))),
                }
            }
            b'+' => bytes.push(b' '),
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).map_err(|_| ReplyError::Malformed(format!("'{text}' is not UTF-8")))
}

impl Reply {
    pub fn parse(query: &str) -> Result<Reply, ReplyError> {
        let pairs = query_pairs(query)?;
        let get = |name: &'static str| {
            pairs
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
                .ok_or(ReplyError::Missing(name))
        };
        Ok(Reply {
            merchant: get("KNRO")?,
            currency: get("VALUUTTA")?,
            reference: get("VIITE")?,
            amount: get("SUMMA")?,
            version: get("VERSIO")?,
            status: get("STATUS")?,
            mac: get("TARKISTE")?,
            method: get("MTAPA").ok(),
            due_date: get("ERAPAIVA")?,
        })
    }

    /// The MAC the bank must have sent: sha256(SECRET&VIITE&SUMMA&STATUS&KNRO&VERSIO&VALUUTTA&ERAPAIVA&), uppercase hex.
    pub fn expected_mac(&self, secret: &str) -> String {
        sha256_hex(&[
            secret,
            &self.reference,
            &self.amount,
            &self.status,
            &self.merchant,
            &self.version,
            &self.currency,
            &self.due_date,
        ])
        .to_uppercase()
    }

    /// Checks the MAC (in constant time) against any of `secrets` (the bank rotates keys), then STATUS 0.
    pub fn verify(&self, secrets: &[&str]) -> Result<(), ReplyError> {
        let received = self.mac.trim().to_uppercase();
        let signed = secrets.iter().fold(false, |any, secret| {
            any | constant_time_eq(self.expected_mac(secret).as_bytes(), received.as_bytes())
        });
        if !signed {
            return Err(ReplyError::BadMac);
        }
        if self.status != "0" {
            return Err(ReplyError::NotPaid(self.status.clone()));
        }
        Ok(())
    }
}

/// Equal length and bytes, without an early exit.
impl Reply {
    /// The reply must be about what the box office asked: merchant, reference, amount, currency.
    pub fn check_matches(
        &self,
        merchant: &str,
        reference: &str,
        amount: Money,
    ) -> Result<(), ReplyError> {
        let mismatch = |field: &'static str, got: &str, expected: String| ReplyError::Mismatch {
            field,
            got: got.to_string(),
            expected,
        };
        if self.merchant != merchant {
            return Err(mismatch("merchant", &self.merchant, merchant.to_string()));
        }
        if self.reference.trim_start_matches('0') != reference.trim_start_matches('0') {
            return Err(mismatch(
                "reference",
                &self.reference,
                reference.to_string(),
            ));
        }
        if !self.currency.eq_ignore_ascii_case("EUR") {
            return Err(mismatch("currency", &self.currency, "EUR".to_string()));
        }
        if Money::parse(self.amount.trim()).ok() != Some(amount) {
            return Err(mismatch("amount", &self.amount, amount_text(amount)));
        }
        Ok(())
    }
}

/// What the box office posts to the bank's payment page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest<'a> {
    pub merchant: &'a str,
    pub amount: Money,
    pub reference: &'a str,
    pub ok_url: &'a str,
    pub cancel_url: &'a str,
    /// dd.mm.yyyy, today or later in Helsinki time.
    pub due_date: &'a str,
    /// 1 Finnish, 2 Swedish, 3 English.
    pub language: &'a str,
}

/// The form fields of a payment, in order, with the TARKISTE over exactly the strings posted.
/// URLs are made ASCII first (percent-encoded), so the MAC covers the bytes the browser sends.
pub fn payment_form(secret: &str, payment: &PaymentRequest<'_>) -> Vec<(&'static str, String)> {
    let amount = amount_text(payment.amount);
    let ok_url = ascii_url(payment.ok_url);
    let cancel_url = ascii_url(payment.cancel_url);
    let mac = request_mac(
        secret,
        &Request {
            merchant: payment.merchant,
            amount: &amount,
            reference: payment.reference,
            version: "4",
            currency: "EUR",
            ok_url: &ok_url,
            cancel_url: &cancel_url,
            due_date: payment.due_date,
        },
    );
    vec![
        ("KNRO", payment.merchant.to_string()),
        ("SUMMA", amount),
        ("VIITE", payment.reference.to_string()),
        ("VALUUTTA", "EUR".to_string()),
        ("VERSIO", "4".to_string()),
        ("ERAPAIVA", payment.due_date.to_string()),
        ("OKURL", ok_url),
        ("VIRHEURL", cancel_url),
        ("TARKISTE", mac),
        ("lng", payment.language.to_string()),
        ("ALG", "03".to_string()),
    ]
}

/// Percent-encodes every byte of a URL that is not printable ASCII (and spaces).
pub fn ascii_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public test key and merchant.
    const KEY: &str = "jumCLB4T2ceZWGJ9ztjuhn5FaeZnTm5HpfDXWU2APRqfDcsrBs8mqkFARzm7uXKd";

    #[test]
    fn request_mac_matches_the_observed_vector() {
        let request = Request {
            merchant: "000000000000",
            amount: "2.00",
            reference: "123696650",
            version: "3",
            currency: "EUR",
            ok_url: "https://payment.checkout.fi/07mhA0Uybd/fi/confirm?ORDER=11831869&ORDERMAC=A33F99E42E465A8D598BD8FD46F71CAE",
            cancel_url: "https://payment.checkout.fi/07mhA0Uybd/fi/back",
            due_date: "09.01.2014",
        };
        assert_eq!(
            request_mac(KEY, &request),
            "4031b379fb6f26df277fc64d77baa42d9d96844040275544c15364b6ec46c36b"
        );
    }

    #[test]
    fn payment_form_posts_canonical_ascii_fields_under_their_mac() {
        let form = payment_form(
            KEY,
            &PaymentRequest {
                merchant: "000000000000",
                amount: Money::from_cents(123456),
                reference: "1232",
                ok_url: "http://127.0.0.1:8080/ok?kassa=Äänekoski",
                cancel_url: "http://127.0.0.1:8080/cancel",
                due_date: "25.11.2026",
                language: "1",
            },
        );
        let get = |name: &str| form.iter().find(|(k, _)| *k == name).unwrap().1.clone();
        assert_eq!(get("SUMMA"), "1234,56");
        assert_eq!(get("VERSIO"), "4");
        assert_eq!(
            get("OKURL"),
            "http://127.0.0.1:8080/ok?kassa=%C3%84%C3%A4nekoski"
        );
        assert!(form.iter().all(|(_, value)| value.is_ascii()));
        let expected = request_mac(
            KEY,
            &Request {
                merchant: "000000000000",
                amount: "1234,56",
                reference: "1232",
                version: "4",
                currency: "EUR",
                ok_url: "http://127.0.0.1:8080/ok?kassa=%C3%84%C3%A4nekoski",
                cancel_url: "http://127.0.0.1:8080/cancel",
                due_date: "25.11.2026",
            },
        );
        assert_eq!(get("TARKISTE"), expected);
        assert_eq!(
            form.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [
                "KNRO", "SUMMA", "VIITE", "VALUUTTA", "VERSIO", "ERAPAIVA", "OKURL", "VIRHEURL",
                "TARKISTE", "lng", "ALG"
            ]
        );
    }

    #[test]
    fn a_reply_must_match_what_was_asked() {
        let reply = Reply::parse("KNRO=000000000000&VALUUTTA=EUR&VIITE=1232&SUMMA=100,00&VERSIO=4&STATUS=0&TARKISTE=X&ERAPAIVA=25.11.2026").unwrap();
        assert_eq!(
            reply.check_matches("000000000000", "1232", Money::from_cents(10000)),
            Ok(())
        );
        assert!(matches!(
            reply.check_matches("000000000000", "1232", Money::from_cents(10001)),
            Err(ReplyError::Mismatch {
                field: "amount",
                ..
            })
        ));
        assert!(matches!(
            reply.check_matches("000000000000", "4567", Money::from_cents(10000)),
            Err(ReplyError::Mismatch {
                field: "reference",
                ..
            })
        ));
        assert!(matches!(
            reply.check_matches("123456789012", "1232", Money::from_cents(10000)),
            Err(ReplyError::Mismatch {
                field: "merchant",
                ..
            })
        ));
    }

    #[test]
    fn reply_is_verified_and_tampering_is_refused() {
        let mut reply = Reply {
            merchant: "000000000000".into(),
            currency: "EUR".into(),
            reference: "1232".into(),
            amount: "100,00".into(),
            version: "4".into(),
            status: "0".into(),
            mac: String::new(),
            method: Some("1".into()),
            due_date: "25.11.2026".into(),
        };
        reply.mac = reply.expected_mac(KEY);
        assert!(reply.mac.chars().all(|c| !c.is_ascii_lowercase()));
        assert_eq!(reply.verify(&[KEY]), Ok(()));
        assert_eq!(
            reply.verify(&["old-key", KEY]),
            Ok(()),
            "a reply signed with either key in force"
        );
        let mut changed = reply.clone();
        changed.method = Some("9".into());
        assert_eq!(
            changed.verify(&[KEY]),
            Ok(()),
            "MTAPA is not covered and decides nothing"
        );
        for tamper in [
            |r: &mut Reply| r.amount = "1,00".into(),
            |r: &mut Reply| r.reference = "1245".into(),
            |r: &mut Reply| r.due_date = "26.11.2026".into(),
            |r: &mut Reply| r.mac = "0".repeat(64),
        ] {
            let mut changed = reply.clone();
            tamper(&mut changed);
            assert_eq!(changed.verify(&[KEY]), Err(ReplyError::BadMac));
        }
        let mut failed = reply.clone();
        failed.status = "1".into();
        failed.mac = failed.expected_mac(KEY);
        assert_eq!(failed.verify(&[KEY]), Err(ReplyError::NotPaid("1".into())));
    }

    #[test]
    fn parses_the_query_string_at_okurl() {
        let reply = Reply::parse(
            "https://kassa.local/ok?&KNRO=000000000000&VALUUTTA=EUR&VIITE=1232&ERAPAIVA=25.11.2026&SUMMA=100%2C00&VERSIO=4&STATUS=0&TARKISTE=AB&MTAPA=1&",
        )
        .unwrap();
        assert_eq!(
            (
                reply.amount.as_str(),
                reply.reference.as_str(),
                reply.mac.as_str()
            ),
            ("100,00", "1232", "AB")
        );
        assert_eq!(
            Reply::parse("KNRO=1&VIITE=2"),
            Err(ReplyError::Missing("VALUUTTA"))
        );
        assert!(matches!(
            Reply::parse("KNRO=%zz"),
            Err(ReplyError::Malformed(_))
        ));
        assert_eq!(amount_text(Money::from_cents(10000)), "100,00");
        assert_eq!(amount_text(Money::from_cents(123456)), "1234,56");
    }

    #[test]
    fn query_code_is_lowercase_sha256() {
        let code = query_code(KEY, "000000000000", "1232");
        let mut hasher = Sha256::new();
        hasher.update(format!("{KEY}&000000000000&1232&"));
        assert_eq!(code, hex::encode(hasher.finalize()));
    }
}
