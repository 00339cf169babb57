//! Tickets to a phone: an SMS with a link per ticket, sent through a configurable HTTP SMS
//! gateway (a URL template, GET or POST with a body template, HTTP basic credentials).
//! Template filling is pure; [`send`] does the one HTTP request.

use std::time::Duration;

use super::secrets::Secret;

/// How long the gateway may take to answer.
pub const GATEWAY_TIMEOUT_SECS: u64 = 20;

/// A gateway request ready to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayRequest {
    pub method: Method,
    pub url: String,
    pub body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn parse(text: &str) -> Option<Method> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A phone number as gateways take it: `+` and 7–15 digits (spaces and dashes dropped).
pub fn normalise_phone(phone: &str) -> Option<String> {
    let compact: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    let valid = (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then_some(compact)
}

/// Fills the templates: `{to}` and `{text}` URL-encoded in the URL, JSON-escaped in the body.
pub fn gateway_request(
    method: Method,
    url_template: &str,
    body_template: Option<&str>,
    to: &str,
    text: &str,
) -> GatewayRequest {
    let url = url_template
        .replace("{to}", &percent_encode(to))
        .replace("{text}", &percent_encode(text));
    let body = match method {
        Method::Post => body_template.map(|template| {
            template
                .replace("{to}", &json_escape(to))
                .replace("{text}", &json_escape(text))
        }),
        Method::Get => None,
    };
    GatewayRequest { method, url, body }
}

/// The gateway's answer: `Ok("200 body")` for 2xx, else `Err` with the status and body, or the
/// network error.
pub fn send(
    request: &GatewayRequest,
    username: Option<&str>,
    password: Option<&Secret>,
) -> Result<String, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(GATEWAY_TIMEOUT_SECS))
        .build()
        .map_err(|e| e.to_string())?;
    let mut builder = match request.method {
        Method::Get => client.get(&request.url),
        Method::Post => client.post(&request.url),
    };
    if let Some(body) = &request.body {
        let content_type = if body.trim_start().starts_with('{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        builder = builder
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body.clone());
    }
    if let Some(user) = username {
        builder = builder.basic_auth(user, password.map(Secret::expose));
    }
    // Without the URL: a gateway's URL may carry an API key.
    let response = builder.send().map_err(|e| e.without_url().to_string())?;
    let status = response.status();
    let body = response.text().unwrap_or_default();
    let reply = format!("{} {}", status.as_u16(), body.trim())
        .chars()
        .take(500)
        .collect::<String>();
    if status.is_success() {
        Ok(reply)
    } else {
        Err(reply)
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn json_escape(text: &str) -> String {
    let quoted = serde_json::to_string(text).expect("a string serialises");
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_and_escaped() {
        let get = gateway_request(
            Method::Get,
            "https://sms.example.fi/send?to={to}&msg={text}",
            None,
            "+358401234567",
            "Liput: \"Kesä\" & https://l.fi/t/A1",
        );
        assert_eq!(
            get.url,
            "https://sms.example.fi/send?to=%2B358401234567&msg=Liput%3A%20%22Kes%C3%A4%22%20%26%20https%3A%2F%2Fl.fi%2Ft%2FA1"
        );
        assert_eq!(get.body, None);
        let post = gateway_request(
            Method::Post,
            "https://sms.example.fi/api",
            Some(r#"{"to":"{to}","message":"{text}"}"#),
            "+358401234567",
            "a \"b\"\nc",
        );
        assert_eq!(
            post.body.as_deref(),
            Some(r#"{"to":"+358401234567","message":"a \"b\"\nc"}"#)
        );
    }

    #[test]
    fn phone_numbers_are_checked() {
        assert_eq!(
            normalise_phone("+358 40 123-4567").as_deref(),
            Some("+358401234567")
        );
        assert_eq!(normalise_phone("0401234567").as_deref(), Some("0401234567"));
        assert_eq!(normalise_phone("12345"), None);
        assert_eq!(normalise_phone("+358 40 abc"), None);
    }
}
