//! SMTP: one pooled lettre transport per server, and what a server's reply means for the outbox.

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::{PoolConfig, SmtpTransport};
use lettre::{Message, Transport};

use super::secrets::Secret;

/// How long one SMTP conversation step may take before the attempt is retried later.
pub const SMTP_TIMEOUT_SECS: u64 = 20;
/// Connections kept open per server.
pub const POOL_SIZE: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (required, never silently skipped).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the counter PC or the local network.
    None,
}

impl Security {
    pub fn parse(text: &str) -> Option<Security> {
        match text {
            "starttls" => Some(Security::StartTls),
            "tls" => Some(Security::Tls),
            "none" => Some(Security::None),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }
}

/// Everything needed to talk to one server. The password is a [`Secret`]: never in `Debug`.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// Extra trusted CA certificates (PEM) besides the public roots, for a private relay:
    /// read from the file named by `BOXOFFICE_SMTP_CA_FILE`.
    pub extra_ca_pem: Option<Vec<u8>>,
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Accepted; the server's reply.
    Sent(String),
    /// 4xx, network, timeout or TLS trouble: try again later.
    Temporary(String),
    /// 5xx: the server's words; retrying will not help.
    Permanent(String),
}

impl Delivery {
    pub fn reply(&self) -> &str {
        match self {
            Delivery::Sent(reply) | Delivery::Temporary(reply) | Delivery::Permanent(reply) => {
                reply
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the mail server settings are not usable: {0}")]
pub struct SettingsError(String);

impl ServerSettings {
    /// Reads the extra CA file named by `BOXOFFICE_SMTP_CA_FILE`, if set.
    pub fn extra_ca_from_env() -> Result<Option<Vec<u8>>, SettingsError> {
        match std::env::var_os("BOXOFFICE_SMTP_CA_FILE") {
            Some(path) => std::fs::read(&path).map(Some).map_err(|e| {
                SettingsError(format!(
                    "BOXOFFICE_SMTP_CA_FILE {}: {e}",
                    std::path::Path::new(&path).display()
                ))
            }),
            None => Ok(None),
        }
    }

    /// A pooled transport for this server (connections are opened when first needed).
    pub fn transport(&self) -> Result<SmtpTransport, SettingsError> {
        let tls_parameters = || -> Result<TlsParameters, SettingsError> {
            let mut builder = TlsParameters::builder(self.host.clone());
            if let Some(pem) = &self.extra_ca_pem {
                let certificate = Certificate::from_pem(pem)
                    .map_err(|e| SettingsError(format!("extra CA certificate: {e}")))?;
                builder = builder.add_root_certificate(certificate);
            }
            builder
                .build()
                .map_err(|e| SettingsError(format!("TLS for {}: {e}", self.host)))
        };
        let tls = match self.security {
            Security::StartTls => Tls::Required(tls_parameters()?),
            Security::Tls => Tls::Wrapper(tls_parameters()?),
            Security::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(self.host.clone())
            .port(self.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(SMTP_TIMEOUT_SECS)))
            .pool_config(PoolConfig::new().max_size(POOL_SIZE));
        if let (Some(user), Some(password)) = (&self.username, &self.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        Ok(builder.build())
    }
}

/// Sends one message and classifies the outcome.
pub fn deliver(transport: &SmtpTransport, message: &Message) -> Delivery {
    match transport.send(message) {
        Ok(response) => Delivery::Sent(format!(
            "{} {}",
            response.code(),
            response.message().collect::<Vec<_>>().join(" ")
        )),
        Err(error) => {
            let reply = reply_text(&error);
            if error.is_permanent() {
                Delivery::Permanent(reply)
            } else {
                Delivery::Temporary(reply)
            }
        }
    }
}

/// The server's words when it answered ("550 5.1.1 no such user"), else what went wrong on the way.
pub fn reply_text(error: &lettre::transport::smtp::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    match error.status() {
        Some(code) => format!("{code} {}", causes.join(": ")).trim().to_string(),
        None if causes.is_empty() => error.to_string(),
        None => format!("{error}"),
    }
}

/// The three-digit reply code at the start of a reply text, if it has one.
pub fn reply_code(reply: &str) -> Option<u16> {
    let code = reply.get(..3)?;
    code.parse()
        .ok()
        .filter(|c| (200..600).contains(c) && reply.as_bytes().get(3).is_none_or(|b| *b == b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_are_read_only_from_replies() {
        assert_eq!(reply_code("550 5.1.1 no such user"), Some(550));
        assert_eq!(reply_code("535"), Some(535));
        assert_eq!(reply_code("network error: refused"), None);
        assert_eq!(reply_code("5501 x"), None);
    }

    #[test]
    fn security_codes_round_trip() {
        for security in [Security::StartTls, Security::Tls, Security::None] {
            assert_eq!(Security::parse(security.code()), Some(security));
        }
        assert_eq!(Security::parse("ssl"), None);
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let settings = ServerSettings {
            host: "smtp.example.fi".into(),
            port: 587,
            security: Security::StartTls,
            username: Some("u".into()),
            password: Some(Secret::new("hunter2")),
            extra_ca_pem: None,
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
