//! Posting a form to an external endpoint that may have an alternative URL: when the primary
//! cannot be reached (refused, timed out, a 5xx), the alternative is tried and the answer says so.

use std::time::Duration;

/// An external endpoint and its alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub primary: String,
    pub alternative: Option<String>,
}

/// An answer and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub body: String,
    pub url: String,
    /// Why the primary was not used, when the alternative answered.
    pub primary_failure: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(.attempts))]
pub struct Unreachable {
    /// (URL, what went wrong), in the order tried.
    pub attempts: Vec<(String, String)>,
}

fn describe(attempts: &[(String, String)]) -> String {
    attempts
        .iter()
        .map(|(url, error)| format!("{url}: {error}"))
        .collect::<Vec<_>>()
        .join("; then ")
}

/// Posts `fields` as `application/x-www-form-urlencoded` to the primary URL, then to the
/// alternative if the primary fails. Blocking: call it off the UI thread.
pub fn post_form(
    endpoint: &Endpoint,
    fields: &[(&str, String)],
    timeout: Duration,
) -> Result<Answer, Unreachable> {
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .user_agent(concat!("boxoffice/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| Unreachable {
            attempts: vec![(endpoint.primary.clone(), error.to_string())],
        })?;
    let mut attempts = Vec::new();
    for url in std::iter::once(&endpoint.primary).chain(endpoint.alternative.iter()) {
        match post_once(&client, url, fields) {
            Ok(body) => {
                if !attempts.is_empty() {
                    tracing::warn!(url, "primary endpoint failed; the alternative answered");
                }
                return Ok(Answer {
                    body,
                    url: url.clone(),
                    primary_failure: attempts
                        .first()
                        .map(|(_, error): &(String, String)| error.clone()),
                });
            }
            Err(error) => {
                tracing::warn!(url, %error, "endpoint failed");
                attempts.push((url.clone(), error));
            }
        }
    }
    Err(Unreachable { attempts })
}

fn post_once(
    client: &reqwest::blocking::Client,
    url: &str,
    fields: &[(&str, String)],
) -> Result<String, String> {
    let response = client
        .post(url)
        .form(fields)
        .send()
        .map_err(|error| plain_error(&error))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    response.text().map_err(|error| plain_error(&error))
}

/// reqwest's error with its causes, in one line (never the form, which carries the verify code).
fn plain_error(error: &reqwest::Error) -> String {
    let kind = if error.is_connect() {
        "cannot connect"
    } else if error.is_timeout() {
        "no answer in time"
    } else {
        "request failed"
    };
    let mut text = kind.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
