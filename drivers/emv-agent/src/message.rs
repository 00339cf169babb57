//! The JSON messages of the link: building requests and responses, reading them back,
//! exact amount conversion and line framing. Pure except for [`LineReader`].

use std::io::Read;

use serde_json::{Value, json};

/// A message is at most this many bytes (the newline excluded).
pub const MAX_LINE: usize = 64 * 1024;

/// Keys whose numbers are amounts: at most two decimals, converted to cents exactly.
const AMOUNT_KEYS: [&str; 4] = [
    "RequestedAmount",
    "AuthorizedAmount",
    "ReversedAmount",
    "TransactionAmount",
];

/// A line that broke the contract: answered with `MessageFormat`, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed message: {}", self.0)
    }
}

impl std::error::Error for FormatError {}

/// `25.50` → 2550 from the number's text. More than two decimals, an exponent or a
/// value out of range is a format error, never a rounding.
pub fn parse_amount(text: &str) -> Result<i64, FormatError> {
    let bad = || {
        FormatError(format!(
            "amount {text:?} is not a number with at most two decimals"
        ))
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if units.is_empty()
        || units.len() > 12
        || fraction.len() > 2
        || (digits.contains('.') && fraction.is_empty())
        || !units
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let units: i64 = units.parse().map_err(|_| bad())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let cents = units * 100 + fraction;
    Ok(if negative { -cents } else { cents })
}

/// 2550 → the JSON number `25.50` (written with exactly two decimals).
pub fn amount_json(cents: i64) -> Value {
    let sign = if cents < 0 { "-" } else { "" };
    let text = format!(
        "{sign}{}.{:02}",
        cents.unsigned_abs() / 100,
        cents.unsigned_abs() % 100
    );
    serde_json::from_str(&text).expect("a decimal literal is a JSON number")
}

/// Checks every amount in the raw line against the two-decimal rule (serde_json keeps
/// numbers as binary floats, so the check is made on the text) and parses the line.
pub fn parse_line(line: &str) -> Result<Value, FormatError> {
    check_amount_texts(line)?;
    let value: Value = serde_json::from_str(line)
        .map_err(|error| FormatError(format!("not a JSON object ({error})")))?;
    if !value.is_object() {
        return Err(FormatError("not a JSON object".into()));
    }
    Ok(value)
}

/// Scans the JSON text: every number whose key is an amount key must parse with [`parse_amount`].
fn check_amount_texts(line: &str) -> Result<(), FormatError> {
    let bytes = line.as_bytes();
    let mut last_string = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                last_string = line.get(start..i.min(line.len())).unwrap_or("").to_string();
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                if AMOUNT_KEYS.contains(&last_string.as_str()) {
                    parse_amount(&line[start..i])?;
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// The amount under `key` of an object, in cents.
pub fn amount_at(object: &Value, key: &str) -> Result<i64, FormatError> {
    let number = object
        .get(key)
        .and_then(Value::as_number)
        .ok_or_else(|| FormatError(format!("{key} is missing or not a number")))?;
    parse_amount(&number.to_string())
}

/// The message header.
pub fn header(category: &str, kind: &str, service_id: &str, sale_id: &str, poi_id: &str) -> Value {
    json!({
        "ProtocolVersion": "3.0",
        "MessageClass": "Service",
        "MessageCategory": category,
        "MessageType": kind,
        "ServiceID": service_id,
        "SaleID": sale_id,
        "POIID": poi_id,
    })
}

/// `{"SaleToPOIRequest": {"MessageHeader": .., body_name: body}}` as one line (no newline).
pub fn request(header: Value, body_name: &str, body: Value) -> String {
    let mut inner = serde_json::Map::new();
    inner.insert("MessageHeader".into(), header);
    inner.insert(body_name.into(), body);
    json!({ "SaleToPOIRequest": inner }).to_string()
}

/// `{"SaleToPOIResponse": {"MessageHeader": .., body_name: body}}` as one line.
pub fn response(header: Value, body_name: &str, body: Value) -> String {
    let mut inner = serde_json::Map::new();
    inner.insert("MessageHeader".into(), header);
    inner.insert(body_name.into(), body);
    json!({ "SaleToPOIResponse": inner }).to_string()
}

/// A parsed message: which envelope, its header fields and the whole inner object.
#[derive(Debug, Clone)]
pub struct Message {
    pub is_request: bool,
    pub category: String,
    pub kind: String,
    pub service_id: String,
    pub sale_id: String,
    pub poi_id: String,
    pub inner: Value,
}

impl Message {
    pub fn parse(line: &str) -> Result<Message, FormatError> {
        let value = parse_line(line)?;
        let (is_request, inner) = match (
            value.get("SaleToPOIRequest"),
            value.get("SaleToPOIResponse"),
        ) {
            (Some(inner), None) => (true, inner.clone()),
            (None, Some(inner)) => (false, inner.clone()),
            _ => {
                return Err(FormatError(
                    "neither SaleToPOIRequest nor SaleToPOIResponse".into(),
                ));
            }
        };
        let header = inner
            .get("MessageHeader")
            .ok_or_else(|| FormatError("no MessageHeader".into()))?;
        let field = |name: &str| {
            header
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let message = Message {
            is_request,
            category: field("MessageCategory"),
            kind: field("MessageType"),
            service_id: field("ServiceID"),
            sale_id: field("SaleID"),
            poi_id: field("POIID"),
            inner,
        };
        if message.category.is_empty() || message.kind.is_empty() {
            return Err(FormatError("MessageCategory or MessageType missing".into()));
        }
        Ok(message)
    }

    pub fn body(&self, name: &str) -> Option<&Value> {
        self.inner.get(name)
    }
}

/// `Response.Result`, `Response.ErrorCondition` and `AdditionalResponse` (card numbers masked).
pub fn result_of(body: &Value) -> (bool, String, String) {
    let response = body.get("Response");
    let text = |name: &str| {
        response
            .and_then(|r| r.get(name))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (
        text("Result") == "Success",
        text("ErrorCondition"),
        mask_card_numbers(&text("AdditionalResponse")),
    )
}

/// The texts of a `DisplayRequest` (or an `EventNotification`'s `EventToNotify` / `EventDetails`).
pub fn display_texts(message: &Message) -> Vec<String> {
    let mut texts = Vec::new();
    if let Some(outputs) = message
        .body("DisplayRequest")
        .and_then(|d| d.get("DisplayOutput"))
        .and_then(Value::as_array)
    {
        for output in outputs {
            texts.extend(output_texts(output.get("OutputContent")));
        }
    }
    if let Some(event) = message.body("EventNotification") {
        for key in ["EventDetails", "EventToNotify"] {
            if let Some(text) = event.get(key).and_then(Value::as_str) {
                texts.push(text.to_string());
                break;
            }
        }
    }
    texts
}

/// The lines of an `OutputContent` in text form.
pub fn output_texts(content: Option<&Value>) -> Vec<String> {
    content
        .and_then(|c| c.get("OutputText"))
        .and_then(Value::as_array)
        .map(|lines| {
            lines
                .iter()
                .filter_map(|l| l.get("Text").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces every run of 13 or more digits (spaces, dashes, dots and tabs inside allowed) with its last
/// four digits behind asterisks: whatever an agent sends, no card number reaches the ledger
/// or a log.
pub fn mask_card_numbers(text: &str) -> String {
    fn is_card_separator(c: char) -> bool {
        matches!(c, ' ' | '-' | '.' | '\t')
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            let mut digits = 0;
            let mut end = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || is_card_separator(chars[i])) {
                if chars[i].is_ascii_digit() {
                    digits += 1;
                    end = i + 1;
                }
                i += 1;
            }
            let run: String = chars[start..end].iter().collect();
            if digits >= 13 {
                let all: String = run.chars().filter(char::is_ascii_digit).collect();
                out.push_str(&"*".repeat(digits - 4));
                out.push_str(&all[all.len() - 4..]);
            } else {
                out.push_str(&run);
            }
            out.extend(&chars[end..i]);
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// One line read by a [`LineReader`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    Text(String),
    /// Longer than [`MAX_LINE`] (skipped up to its newline) or not UTF-8.
    Invalid(String),
}

/// Reads `\n`-ended lines of at most [`MAX_LINE`] bytes; keeps a partial line across read
/// timeouts, so a socket with a read timeout can be polled.
pub struct LineReader<R> {
    inner: R,
    buffer: Vec<u8>,
    skipping: bool,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            buffer: Vec::new(),
            skipping: false,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The next line; `Ok(None)` at end of stream. Read timeouts come back as errors
    /// (`WouldBlock` / `TimedOut`) with the partial line kept.
    pub fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        loop {
            if let Some(position) = self.buffer.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buffer.drain(..=position).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if std::mem::take(&mut self.skipping) || line.len() > MAX_LINE {
                    return Ok(Some(Line::Invalid(format!(
                        "a message longer than {MAX_LINE} bytes"
                    ))));
                }
                return Ok(Some(match String::from_utf8(line) {
                    Ok(text) => Line::Text(text),
                    Err(_) => Line::Invalid("a message that is not UTF-8".into()),
                }));
            }
            if self.buffer.len() > MAX_LINE {
                self.buffer.clear();
                self.skipping = true;
            }
            let mut chunk = [0u8; 8192];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                return Ok(None);
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_convert_exactly_to_cents() {
        assert_eq!(parse_amount("25.50"), Ok(2550));
        assert_eq!(parse_amount("25.5"), Ok(2550));
        assert_eq!(parse_amount("25"), Ok(2500));
        assert_eq!(parse_amount("0.01"), Ok(1));
        assert_eq!(parse_amount("0.29"), Ok(29));
        assert_eq!(parse_amount("1234.57"), Ok(123457));
        assert_eq!(parse_amount("-3.10"), Ok(-310));
        for bad in [
            "25.505",
            "25.500",
            "2.55e1",
            "",
            ".5",
            "5.",
            "1e3",
            "abc",
            "9999999999999.00",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn amounts_are_written_with_two_decimals() {
        assert_eq!(amount_json(2550).to_string(), "25.5");
        assert_eq!(parse_amount(&amount_json(2550).to_string()), Ok(2550));
        assert_eq!(parse_amount(&amount_json(29).to_string()), Ok(29));
        assert_eq!(parse_amount(&amount_json(-1).to_string()), Ok(-1));
        // Every cent value survives the round trip through a JSON number.
        for cents in (0..200_000).step_by(7) {
            assert_eq!(parse_amount(&amount_json(cents).to_string()), Ok(cents));
        }
    }

    #[test]
    fn three_decimals_in_a_line_are_a_format_error() {
        let line = r#"{"SaleToPOIResponse":{"MessageHeader":{"MessageCategory":"Payment","MessageType":"Response","ServiceID":"1"},"PaymentResponse":{"PaymentResult":{"AmountsResp":{"AuthorizedAmount":25.505}}}}}"#;
        assert!(Message::parse(line).is_err());
        let ok = line.replace("25.505", "25.50");
        assert!(Message::parse(&ok).is_ok());
        // Other numbers (counts) are not amounts.
        assert!(parse_line(r#"{"TransactionCount":42,"Text":"25.505"}"#).is_ok());
    }

    #[test]
    fn card_numbers_are_masked_in_any_text() {
        assert_eq!(
            mask_card_numbers("VISA 4111111111111111 ok"),
            "VISA ************1111 ok"
        );
        assert_eq!(mask_card_numbers("4111 1111 1111 1111"), "************1111");
        assert_eq!(mask_card_numbers("411111******1111"), "411111******1111");
        assert_eq!(
            mask_card_numbers("APPROVED 123456, 12.50 EUR"),
            "APPROVED 123456, 12.50 EUR"
        );
        assert_eq!(mask_card_numbers("ref 2026-11-25 "), "ref 2026-11-25 ");
        // However the digits are grouped: dots, tabs, dashes, spaces.
        for written in [
            "4111.1111.1111.1111",
            "4111\t1111\t1111\t1111",
            "4111-1111-1111-1111",
            "4111 1111.1111-1111",
        ] {
            assert_eq!(
                mask_card_numbers(written),
                "************1111",
                "{written:?}"
            );
        }
    }

    #[test]
    fn lines_are_framed_and_oversized_ones_skipped() {
        let mut data = b"{\"a\":1}\r\n".to_vec();
        data.extend(vec![b'x'; MAX_LINE + 10]);
        data.extend(b"\n{\"b\":2}\n\xff\n");
        let mut reader = LineReader::new(&data[..]);
        assert_eq!(
            reader.next_line().unwrap(),
            Some(Line::Text("{\"a\":1}".into()))
        );
        assert!(matches!(
            reader.next_line().unwrap(),
            Some(Line::Invalid(_))
        ));
        assert_eq!(
            reader.next_line().unwrap(),
            Some(Line::Text("{\"b\":2}".into()))
        );
        assert!(matches!(
            reader.next_line().unwrap(),
            Some(Line::Invalid(_))
        ));
        assert_eq!(reader.next_line().unwrap(), None);
    }
}
