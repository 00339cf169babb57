//! The operations view: the status of every integration, and the support report
//! ("Copy support report" in the GUI, `boxoffice doctor` on the command line).
// Every `let _ =` here drops the `fmt::Result` of writing into a `String`, which cannot fail.
#![allow(clippy::let_underscore_must_use)]

use chrono::Datelike;
use std::fmt::Write as _;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use crate::ledger::IntegrationStatusRow;

use super::status_fact::StatusFact;
use super::{AppError, Services};

/// One line of the operations screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IntegrationStatus {
    pub name: String,
    pub ok: bool,
    /// In English, for the support report and `doctor`.
    pub detail: String,
    /// The detail as data, for the screen to write in the user's language (the JSON of
    /// `doctor` keeps its English `detail` only).
    #[serde(skip)]
    pub fact: Option<StatusFact>,
    /// When it was last seen (RFC 3339), if ever.
    pub at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
}

impl IntegrationStatus {
    /// The last error in `lang` when it is one of our sentences (else as it came), with when.
    pub fn last_error_text(&self, lang: crate::i18n::Lang) -> Option<(String, String)> {
        let (error, at) = (self.last_error.as_ref()?, self.last_error_at.as_ref()?);
        let error = StatusFact::of_recorded(error)
            .map(|fact| fact.text(lang))
            .unwrap_or_else(|| error.clone());
        Some((crate::i18n::date_time_text(at, lang), error))
    }
}

impl From<IntegrationStatusRow> for IntegrationStatus {
    fn from(row: IntegrationStatusRow) -> Self {
        IntegrationStatus {
            name: row.name,
            ok: row.ok,
            fact: StatusFact::of_recorded(&row.detail),
            detail: row.detail,
            at: Some(row.at),
            last_error: row.last_error,
            last_error_at: row.last_error_at,
        }
    }
}

/// How long a reachability probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether a TCP connection to the URL's host and port opens (no request is sent).
pub fn probe_url(url: &str) -> Result<String, String> {
    probe(url)
        .map(|address| format!("{address} reachable"))
        .map_err(|(address, error)| format!("{address}: {error}"))
}

/// [`probe_url`] as data: the address that answered, or the address and why not.
fn probe(url: &str) -> Result<String, (String, String)> {
    let rest = url
        .split_once("://")
        .map(|(scheme, rest)| (scheme.to_ascii_lowercase(), rest))
        .ok_or_else(|| (url.to_string(), "not a URL".to_string()))?;
    let (scheme, rest) = rest;
    let host_port = rest.split(['/', '?']).next().unwrap_or_default();
    let default_port = if scheme == "https" { 443 } else { 80 };
    let address = if host_port
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        host_port.to_string()
    } else {
        format!("{host_port}:{default_port}")
    };
    let addresses = address
        .to_socket_addrs()
        .map_err(|e| (address.clone(), format!("cannot resolve ({e})")))?;
    let mut last = (address.clone(), "no address".to_string());
    for socket in addresses {
        match TcpStream::connect_timeout(&socket, PROBE_TIMEOUT) {
            Ok(_) => return Ok(address),
            Err(error) => last = (address.clone(), error.to_string()),
        }
    }
    Err(last)
}

/// Free space on the disk holding `path`, in bytes, where the platform says.
fn free_space(path: &Path) -> Option<u64> {
    fs4::available_space(path).ok()
}

impl Services {
    /// Every integration: what was recorded last, plus live checks of the ledger's disk and the
    /// bank endpoints (each probe bounded by a few seconds). Blocking: off the UI thread.
    pub fn integration_statuses(
        &mut self,
        probe: bool,
    ) -> Result<Vec<IntegrationStatus>, AppError> {
        let mut statuses: Vec<IntegrationStatus> = self
            .ledger_mut()
            .read(|tx| tx.integration_statuses())?
            .into_iter()
            .map(IntegrationStatus::from)
            .collect();
        statuses.retain(|s| s.name != "ledger.disk");
        statuses.push(disk_status(self.data_dir()));
        if probe {
            statuses.extend(self.bank_endpoint_statuses());
        }
        statuses.extend(self.shared_ledger_status());
        statuses.push(self.mail_status()?);
        if probe {
            statuses.extend(self.terminal_statuses());
        }
        statuses.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(statuses)
    }

    /// The support report: version, configuration with every secret removed, the status of each
    /// integration and the last `log_lines` lines of the log, ready to paste into a ticket.
    pub fn support_report(&mut self, log_lines: usize) -> String {
        let mut report = String::new();
        let _ = writeln!(report, "# Box office support report");
        let _ = writeln!(report, "version: {}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(
            report,
            "platform: {} {}",
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        let _ = writeln!(report, "generated: {}", chrono::Local::now().to_rfc3339());
        let _ = writeln!(report, "data directory: {}", self.data_dir().display());
        match self.ledger_mut().register_id() {
            Ok(register) => {
                let _ = writeln!(report, "register: {register}");
            }
            Err(error) => {
                let _ = writeln!(report, "register: {error}");
            }
        }
        let _ = writeln!(report, "\n## Configuration (secrets removed)");
        self.write_bank_config(&mut report);
        let _ = writeln!(report, "\n## Integrations");
        self.write_statuses(&mut report);
        let _ = writeln!(report, "\n## Last {log_lines} log lines");
        for line in crate::logging::last_lines(self.data_dir(), log_lines) {
            let _ = writeln!(report, "{}", crate::logging::redact(&line));
        }
        report
    }

    /// A live check of the bank's endpoints (each probe bounded by a few seconds); none when
    /// the bank is not set up.
    fn bank_endpoint_statuses(&mut self) -> Vec<IntegrationStatus> {
        let Ok(config) = self.bank_config() else {
            return Vec::new();
        };
        let settings = &config.settings;
        let endpoints = [
            ("bank.payment.primary", Some(&settings.payment_url)),
            (
                "bank.payment.alternative",
                settings.payment_url_alt.as_ref(),
            ),
            ("bank.query.primary", Some(&settings.query_url)),
            ("bank.query.alternative", settings.query_url_alt.as_ref()),
        ];
        let mut statuses = Vec::new();
        for (name, url) in endpoints {
            let Some(url) = url else { continue };
            let (ok, fact) = match probe(url) {
                Ok(address) => (true, StatusFact::Reachable { address }),
                Err((address, error)) => (false, StatusFact::Unreachable { address, error }),
            };
            statuses.push(checked_now(name.into(), ok, fact));
        }
        statuses
    }

    /// A live check of every card terminal: answers, blocked by unresolved payments, or not.
    fn terminal_statuses(&mut self) -> Vec<IntegrationStatus> {
        let mut statuses = Vec::new();
        for terminal in self.terminals().unwrap_or_default() {
            let name = format!("terminal.{}", terminal.name);
            let (kind, address) = (terminal.kind.clone(), terminal.address.clone());
            let fact = match self.terminal_status(&terminal.name) {
                Ok(status) if status.link == "ok" && status.unresolved.is_empty() => {
                    StatusFact::TerminalAnswers { kind, address }
                }
                Ok(status) if status.link == "ok" => StatusFact::TerminalBlocked {
                    kind,
                    address,
                    payments: status.unresolved,
                },
                Ok(status) => StatusFact::TerminalDown {
                    kind,
                    address,
                    reason: status.link,
                },
                Err(error) => {
                    // The service's own sentence (English), as the support report has it.
                    statuses.push(IntegrationStatus {
                        name,
                        ok: false,
                        detail: error.to_string(),
                        fact: None,
                        at: Some(chrono::Local::now().to_rfc3339()),
                        last_error: None,
                        last_error_at: None,
                    });
                    continue;
                }
            };
            let ok = matches!(fact, StatusFact::TerminalAnswers { .. });
            statuses.push(checked_now(name, ok, fact));
        }
        statuses
    }

    /// The support report's bank configuration, secrets left out.
    fn write_bank_config(&mut self, report: &mut String) {
        match self.bank_config() {
            Ok(config) => {
                let s = &config.settings;
                let _ = writeln!(report, "bank.merchant: {}", s.merchant);
                let _ = writeln!(report, "bank.contract: {}", s.contract);
                let _ = writeln!(report, "bank.payment_url: {}", s.payment_url);
                let _ = writeln!(
                    report,
                    "bank.payment_url_alt: {}",
                    s.payment_url_alt.as_deref().unwrap_or("-")
                );
                let _ = writeln!(report, "bank.query_url: {}", s.query_url);
                let _ = writeln!(
                    report,
                    "bank.query_url_alt: {}",
                    s.query_url_alt.as_deref().unwrap_or("-")
                );
                // The first key is valid since the beginning of time: say so, not -262143-01-01.
                let dates: Vec<String> = config
                    .keys
                    .dates()
                    .iter()
                    .map(|d| {
                        if d.year() < 1970 {
                            "always".to_string()
                        } else {
                            d.to_string()
                        }
                    })
                    .collect();
                let _ = writeln!(
                    report,
                    "bank.keys: {} (valid from {}; secrets not shown)",
                    dates.len(),
                    dates.join(", ")
                );
            }
            Err(error) => {
                let _ = writeln!(report, "bank: {error}");
            }
        }
    }

    /// The support report's integrations, one line each.
    fn write_statuses(&mut self, report: &mut String) {
        match self.integration_statuses(true) {
            Ok(statuses) => {
                for status in statuses {
                    let _ = writeln!(
                        report,
                        "{:<28} {:<4} {}  ({}){}",
                        status.name,
                        if status.ok { "ok" } else { "FAIL" },
                        status.detail,
                        status.at.as_deref().unwrap_or("never"),
                        status
                            .last_error
                            .map(|e| format!(
                                "; last error {}: {e}",
                                status.last_error_at.unwrap_or_default()
                            ))
                            .unwrap_or_default()
                    );
                }
            }
            Err(error) => {
                let _ = writeln!(report, "cannot read the statuses: {error}");
            }
        }
    }
}

/// The ledger's disk: writable, and with more than 100 MB free where that can be told.
fn disk_status(data_dir: &Path) -> IntegrationStatus {
    let writable = std::fs::write(data_dir.join(".status-probe"), b"ok")
        .and_then(|()| std::fs::remove_file(data_dir.join(".status-probe")));
    let free = free_space(data_dir);
    let disk_ok = writable.is_ok() && free.is_none_or(|bytes| bytes > 100 * 1024 * 1024);
    let path = data_dir.display().to_string();
    let fact = match (writable, free) {
        (Err(error), _) => StatusFact::DiskNotWritable {
            path,
            error: error.to_string(),
        },
        (Ok(()), Some(bytes)) => StatusFact::DiskFree {
            path,
            megabytes: bytes / (1024 * 1024),
        },
        (Ok(()), None) => StatusFact::DiskWritable { path },
    };
    checked_now("ledger.disk".into(), disk_ok, fact)
}

/// A status checked just now (no error recorded before it); the detail is the fact in English.
fn checked_now(name: String, ok: bool, fact: StatusFact) -> IntegrationStatus {
    IntegrationStatus {
        name,
        ok,
        detail: fact.text(crate::i18n::Lang::En),
        fact: Some(fact),
        at: Some(chrono::Local::now().to_rfc3339()),
        last_error: None,
        last_error_at: None,
    }
}
