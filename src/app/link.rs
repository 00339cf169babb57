//! The shared ledger's link as this counter sees it (issue 15): known to be out of reach from the
//! first operation that could not reconnect, since when and with which error, so that a sale is
//! refused at once with a sentence (not after a connection timeout per click) and the status
//! screen says so; the counter tries to reconnect by itself at most every [`PROBE_EVERY`].

use std::time::{Duration, Instant};

use super::support::IntegrationStatus;
use super::{AppError, SaleError, Services};
use crate::ledger::LedgerError;

/// How often a counter whose shared ledger is out of reach tries to reconnect.
pub const PROBE_EVERY: Duration = Duration::from_secs(2);

/// Whether the shared ledger answers, as far as this counter knows.
#[derive(Debug, Clone, Default)]
pub struct SharedLink {
    /// Out of reach since (RFC 3339, local time); `None` while it answers.
    pub down_since: Option<String>,
    /// The newest error met reaching it.
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    last_probe: Option<Instant>,
}

fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

impl Services {
    /// What this counter knows of its shared ledger's link (always reachable on SQLite).
    pub fn shared_link(&self) -> &SharedLink {
        &self.link
    }

    /// The ledger could not be reached (and a reconnection failed): from now on sales are
    /// refused at once until a reconnection succeeds.
    pub(super) fn mark_unreachable(&mut self, error: &LedgerError) {
        let at = now();
        if self.link.down_since.is_none() {
            tracing::warn!(%error, "the shared ledger is out of reach");
            self.link.down_since = Some(at.clone());
        }
        self.link.last_error = Some(error.to_string());
        self.link.last_error_at = Some(at);
        self.link.last_probe = Some(Instant::now());
    }

    /// An operation went through: the ledger answers.
    pub(super) fn mark_reachable(&mut self) {
        if let Some(since) = self.link.down_since.take() {
            tracing::info!(%since, "the shared ledger answers again");
        }
    }

    /// Tries to reconnect if the ledger is out of reach and the last try is [`PROBE_EVERY`] old
    /// (the GUI's worker may call this on its tick). True: the ledger answers.
    pub fn probe_shared_ledger(&mut self) -> bool {
        if self.link.down_since.is_none() {
            return true;
        }
        if self
            .link
            .last_probe
            .is_some_and(|at| at.elapsed() < PROBE_EVERY)
        {
            return false;
        }
        match self.ledger_mut().reconnect() {
            Ok(()) => {
                self.mark_reachable();
                true
            }
            Err(error) => {
                self.mark_unreachable(&error);
                false
            }
        }
    }

    /// The GUI worker's idle tick: on the shared ledger, one round trip while it answers (a
    /// failed one and a failed reconnection mark it out of reach, with no sale needed to find
    /// out), a reconnection at most every [`PROBE_EVERY`] while it does not. True: it answers.
    pub fn watch_shared_ledger(&mut self) -> bool {
        if !self.ledger_mut().is_shared() {
            return true;
        }
        if self.link.down_since.is_some() {
            return self.probe_shared_ledger();
        }
        let Err(error) = self.ledger_mut().ping() else {
            return true;
        };
        tracing::warn!(%error, "the shared ledger did not answer; reconnecting");
        match self.ledger_mut().reconnect() {
            Ok(()) => true,
            Err(error) => {
                self.mark_unreachable(&error);
                false
            }
        }
    }

    /// Before a sale: refused at once, with since when and the last error, while the shared
    /// ledger is known to be out of reach (after a reconnection tried if one is due).
    pub(super) fn require_shared_ledger(&mut self) -> Result<(), AppError> {
        if self.probe_shared_ledger() {
            return Ok(());
        }
        Err(AppError::Sale(SaleError::LedgerUnreachable {
            since: self.link.down_since.clone().unwrap_or_default(),
            error: self.link.last_error.clone().unwrap_or_default(),
        }))
    }

    /// The status screen's line for the shared ledger (none on SQLite).
    pub fn shared_ledger_status(&mut self) -> Option<IntegrationStatus> {
        if !self.ledger_mut().is_shared() {
            return None;
        }
        let ok = self.link.down_since.is_none();
        Some(IntegrationStatus {
            name: "ledger.shared".into(),
            ok,
            detail: match &self.link.down_since {
                None => "answers".into(),
                Some(since) => format!("out of reach since {since}"),
            },
            fact: Some(match &self.link.down_since {
                None => super::status_fact::StatusFact::SharedAnswers,
                Some(since) => super::status_fact::StatusFact::SharedDown {
                    since: since.clone(),
                },
            }),
            at: None,
            last_error: self.link.last_error.clone(),
            last_error_at: self.link.last_error_at.clone(),
        })
    }
}
