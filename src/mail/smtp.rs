//! SMTP: a connection per sending thread (lettre's client, one write per message), and what a
//! server's reply means for the outbox.

use std::time::Duration;

use lettre::Message;
use lettre::address::Envelope;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, Tls, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;

use super::secrets::Secret;

/// How long one SMTP conversation step may take before the attempt is retried later.
pub const SMTP_TIMEOUT_SECS: u64 = 20;
/// Connections (and sending threads) per server.
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

    /// What opens connections to this server; nothing is opened yet.
    pub fn mailer(&self) -> Result<Mailer, SettingsError> {
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
        let credentials = match (&self.username, &self.password) {
            (Some(user), Some(password)) => Some(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            )),
            _ => None,
        };
        Ok(Mailer {
            host: self.host.clone(),
            port: self.port,
            tls,
            credentials,
            hello: ClientId::default(),
        })
    }
}

/// Opens connections to one server: TLS as its settings say (STARTTLS required, never skipped),
/// then AUTH where it has a login. Shared by the sending threads; each holds its own [`Session`].
pub struct Mailer {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credentials hold the password: never shown.
        f.debug_struct("Mailer")
            .field("host", &self.host)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    fn connect(&self) -> Result<SmtpConnection, Error> {
        let wrapper = match &self.tls {
            Tls::Wrapper(parameters) => Some(parameters),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(Duration::from_secs(SMTP_TIMEOUT_SECS)),
            &self.hello,
            wrapper,
            None,
        )?;
        if let Tls::Required(parameters) = &self.tls {
            conn.starttls(parameters, &self.hello)?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)?;
        }
        Ok(conn)
    }

    /// A conversation with the server, opened when the first message goes.
    pub fn session(&self) -> Session<'_> {
        Session {
            mailer: self,
            conn: None,
        }
    }
}

/// One connection, kept open from message to message by the one thread that sends on it.
///
/// Issue 16: lettre's pooled transport writes a message's body and its end marker in two writes
/// and waits for the reply, so Nagle's algorithm held the marker until the server's delayed ACK
/// (40 ms a message on a local relay: 12 ms a mail with four connections, against 3 ms for
/// smtplib), and it sent a `NOOP` before reusing a connection. Here the body and its end marker
/// go in one write, and a connection is reused without a `NOOP`: a connection the server closed
/// between messages fails at `MAIL FROM`, before any of the message was sent, and that one step
/// is taken again on a new connection.
pub struct Session<'m> {
    mailer: &'m Mailer,
    conn: Option<SmtpConnection>,
}

impl Session<'_> {
    /// Sends one message and classifies the outcome.
    pub fn deliver(&mut self, message: &Message) -> Delivery {
        match self.send(message.envelope(), &message.formatted()) {
            Ok(response) => Delivery::Sent(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Err(Failed::Smtp(error)) => {
                let reply = reply_text(&error);
                if error.is_permanent() {
                    Delivery::Permanent(reply)
                } else {
                    Delivery::Temporary(reply)
                }
            }
            Err(Failed::Unsupported(reason)) => Delivery::Temporary(reason),
        }
    }

    fn send(&mut self, envelope: &Envelope, email: &[u8]) -> Result<Response, Failed> {
        let (mut conn, reused) = match self.conn.take() {
            Some(conn) => (conn, true),
            None => (self.mailer.connect()?, false),
        };
        let options = match mail_options(&conn, envelope, email) {
            Ok(options) => options,
            Err(failed) => {
                self.conn = Some(conn);
                return Err(failed);
            }
        };
        if let Err(error) = conn.command(Mail::new(envelope.from().cloned(), options.clone())) {
            conn.abort();
            if !reused || error.is_permanent() {
                return Err(error.into());
            }
            // Closed by the server since the last message (nothing of this one was sent).
            conn = self.mailer.connect()?;
            let options = mail_options(&conn, envelope, email)?;
            if let Err(error) = conn.command(Mail::new(envelope.from().cloned(), options)) {
                conn.abort();
                return Err(error.into());
            }
        }
        match transfer(&mut conn, envelope, email) {
            Ok(response) => {
                self.conn = Some(conn);
                Ok(response)
            }
            Err(error) => {
                conn.abort();
                Err(error.into())
            }
        }
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            // QUIT; a server that already went away changes nothing.
            drop(conn.quit());
        }
    }
}

/// Why a message did not go.
enum Failed {
    Smtp(Error),
    /// The message needs an extension the server does not offer.
    Unsupported(String),
}

impl From<Error> for Failed {
    fn from(error: Error) -> Self {
        Failed::Smtp(error)
    }
}

/// `MAIL FROM`'s parameters for this message on this server (as lettre's own `send` chooses them).
fn mail_options(
    conn: &SmtpConnection,
    envelope: &Envelope,
    email: &[u8],
) -> Result<Vec<MailParameter>, Failed> {
    let server = conn.server_info();
    let mut options = Vec::new();
    let non_ascii_address = envelope
        .to()
        .iter()
        .chain(envelope.from())
        .any(|address| !AsRef::<str>::as_ref(address).is_ascii());
    if non_ascii_address {
        if !server.supports_feature(Extension::SmtpUtfEight) {
            return Err(Failed::Unsupported(
                "the address is not ASCII and the server does not support SMTPUTF8".into(),
            ));
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !email.is_ascii() {
        if !server.supports_feature(Extension::EightBitMime) {
            return Err(Failed::Unsupported(
                "the message is not ASCII and the server does not support 8BITMIME".into(),
            ));
        }
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    Ok(options)
}

/// `RCPT TO` for each recipient, `DATA`, then the message and its end marker in one write.
fn transfer(
    conn: &mut SmtpConnection,
    envelope: &Envelope,
    email: &[u8],
) -> Result<Response, Error> {
    for to in envelope.to() {
        conn.command(Rcpt::new(to.clone(), Vec::new()))?;
    }
    conn.command(Data)?;
    match std::str::from_utf8(email) {
        Ok(text) => conn.command(DataText(dot_stuffed(text))),
        // Not text (never so for a message built here): lettre's own two writes.
        Err(_) => conn.message(email),
    }
}

/// The message as it goes after `DATA`: a line (after CRLF) that starts with a dot gets another,
/// and the end marker follows (RFC 5321 4.5.2; the same bytes as lettre's own codec).
fn dot_stuffed(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 64 + 8);
    for (n, line) in text.split("\r\n").enumerate() {
        if n > 0 {
            out.push_str("\r\n");
        }
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
    }
    out.push_str("\r\n.\r\n");
    out
}

/// The stuffed message written as one command.
struct DataText(String);

impl std::fmt::Display for DataText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
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
    fn a_message_goes_dot_stuffed_with_its_end_marker() {
        assert_eq!(dot_stuffed("a\r\nb"), "a\r\nb\r\n.\r\n");
        assert_eq!(
            dot_stuffed(".x\r\n..\r\n.\r\nok.\r\n"),
            "..x\r\n...\r\n..\r\nok.\r\n\r\n.\r\n"
        );
        // Only CRLF ends a line, as in lettre's codec: a bare LF or CR does not.
        assert_eq!(dot_stuffed("a\n.b\r.c"), "a\n.b\r.c\r\n.\r\n");
        assert_eq!(dot_stuffed(""), "\r\n.\r\n");
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
