//! Card payments through a terminal (DESIGN.md section 4): one request in flight per
//! terminal, the attempt in the ledger before the request leaves, unknown outcomes resolved by
//! status queries (the terminal stays blocked meanwhile), reversal when the sale cannot
//! complete, day-end reconciliation against the ledger. Never a card number anywhere.

use crate::app::{AdminError, CardError, SaleError, ShiftError};
use crate::domain::ids::{OrderNumber, UserId};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::Local;
use emv_agent::{
    AgentLink, Approval, PaymentKind, PaymentRequest, PaymentResult, StatusResult, Terminal,
    TerminalError, Timeouts,
};

use super::services::{random_bytes, require};
use super::{AppError, SaleOutcome, SaleRequest, Services, Session};
use crate::domain::{Money, Permission};
use crate::ledger::{
    CardApproval, CardAttemptRow, CardReconciliationRow, CardTender, LeaseKeeper, LeaseTerms,
    NewCardAttempt, NewCardOutcome, NewCardReconciliation, TerminalRow, Tx,
};
use crate::mail::secrets::{Secret, SecretStore};

mod tender;
mod terminals;

/// The name of the GUI demo's terminal (the in-process simulator).
pub const DEMO_TERMINAL: &str = "demo";

/// Failed status queries after which a manager may resolve an attempt by hand.
pub const MANUAL_AFTER_TRIES: i64 = 3;

/// The open links to the terminals, by name, and how long to wait for them.
pub struct Links {
    open: HashMap<String, Box<dyn Terminal>>,
    pub timeouts: Timeouts,
    /// Status queries right after an unknown outcome, and the pause between them.
    pub status_tries: u32,
    pub status_pause: Duration,
    /// Nets Connect@Cloud: the pause before a last-transaction lookup (it aborts a running one).
    pub nets_lookup_wait: Duration,
    /// This process's claim on the card attempts it makes (`BOXOFFICE_CARD_LEASE_MS`).
    pub lease: LeaseTerms,
    /// Renews the leases while the process lives (started with the first payment).
    keeper: Option<LeaseKeeper>,
}

impl Links {
    /// Defaults, with `BOXOFFICE_CARD_TIMEOUT_MS` overriding how long a payment may take.
    pub fn from_env() -> Links {
        let mut timeouts = Timeouts::default();
        if let Some(ms) = std::env::var("BOXOFFICE_CARD_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            timeouts.payment = Duration::from_millis(ms);
        }
        Links {
            open: HashMap::new(),
            timeouts,
            status_tries: 3,
            status_pause: Duration::from_millis(500),
            nets_lookup_wait: Duration::from_millis(
                std::env::var("BOXOFFICE_NETS_LOOKUP_WAIT_MS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(5000),
            ),
            lease: LeaseTerms {
                owner: format!(
                    "{}-{}",
                    std::process::id(),
                    hex::encode(random_bytes::<6>())
                ),
                duration: Duration::from_millis(
                    std::env::var("BOXOFFICE_CARD_LEASE_MS")
                        .ok()
                        .and_then(|v| v.parse().ok())
                        .filter(|ms| *ms >= 100)
                        .unwrap_or(LEASE_MS),
                ),
            },
            keeper: None,
        }
    }
}

/// How long a process's claim on a card attempt outlives its last heartbeat (a process killed
/// mid-payment leaves its attempt to the others after this long).
pub const LEASE_MS: u64 = 15_000;

/// How a sale is split between cash and card: at most one of the two amounts is given, the
/// other tender pays the rest. Neither: all by card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Split {
    pub cash: Option<Money>,
    pub card: Option<Money>,
}

/// What the cashier sees and can do while the terminal works.
pub struct CardProgress<'a> {
    /// The terminal's display texts, as they come.
    pub display: &'a mut dyn FnMut(&str),
    /// Set by the cashier's Cancel: an AbortRequest goes to the terminal.
    pub abort: Arc<AtomicBool>,
}

/// The two steps of a card refund inside [`Services::refund_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardRefundStep {
    /// Check everything and tell the amount; write nothing.
    Plan,
    /// The terminal refunded `amount` under this attempt: record the refund.
    Record { service_id: String, amount: Money },
}

/// A terminal and what blocks it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TerminalStatus {
    pub name: String,
    pub kind: String,
    pub address: String,
    /// `ok`, or why the terminal cannot be reached.
    pub link: String,
    /// Attempts whose outcome is unknown: the terminal takes no payment until they are resolved.
    pub unresolved: Vec<String>,
}

/// A manager's decision on an attempt whose outcome the terminal cannot tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManualResolution {
    /// The terminal shows it approved, under this reference.
    Approved {
        reference: String,
    },
    NotApproved,
}

fn now() -> String {
    Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

fn to_ledger(approval: &Approval) -> CardApproval {
    CardApproval {
        authorized_cents: approval.authorized_cents,
        brand: approval.brand.clone(),
        masked_pan: approval.masked_pan.clone(),
        approval_code: approval.approval_code.clone(),
        poi_transaction_id: approval.poi_transaction_id.clone(),
        poi_timestamp: approval.poi_timestamp.clone(),
        cashier_receipt: approval.cashier_receipt.clone(),
        customer_receipt: approval.customer_receipt.clone(),
    }
}

fn from_ledger(approval: &CardApproval) -> Approval {
    Approval {
        authorized_cents: approval.authorized_cents,
        brand: approval.brand.clone(),
        masked_pan: approval.masked_pan.clone(),
        approval_code: approval.approval_code.clone(),
        poi_transaction_id: approval.poi_transaction_id.clone(),
        poi_timestamp: approval.poi_timestamp.clone(),
        cashier_receipt: approval.cashier_receipt.clone(),
        customer_receipt: approval.customer_receipt.clone(),
    }
}

fn last4(masked_pan: &str) -> Option<String> {
    Approval {
        masked_pan: masked_pan.to_string(),
        ..Approval::default()
    }
    .last4()
}

fn terminal_error(error: TerminalError) -> AppError {
    AppError::Card(CardError::CardTerminal(error.to_string()))
}

/// Inside the sale's transaction: every card tender is an approved purchase not yet in an
/// order, for exactly what the terminal authorised, and together they do not exceed the total.
pub(super) fn check_card_tenders(
    tx: &Tx<'_>,
    cards: &[CardTender<'_>],
    total: Money,
) -> Result<i64, AppError> {
    let mut sum = 0;
    for card in cards {
        let attempt = tx.card_attempt(card.service_id)?.ok_or_else(|| {
            AppError::Card(CardError::UnknownCardAttempt(card.service_id.to_string()))
        })?;
        let authorised = attempt.approval.as_ref().map(|a| a.authorized_cents);
        if attempt.kind != "purchase"
            || attempt.state != "approved"
            || authorised != Some(card.amount_cents)
        {
            return Err(AppError::Admin(AdminError::Internal(format!(
                "card attempt {} is {} and cannot pay this sale",
                attempt.service_id, attempt.state
            ))));
        }
        sum += card.amount_cents;
    }
    if sum > total.cents() {
        return Err(AppError::Admin(AdminError::Internal(
            "the card payments exceed the total".into(),
        )));
    }
    Ok(sum)
}

/// The Nets Connect@Cloud password's name in the secret store.
pub(super) const NETS_PASSWORD_SECRET: &str = "nets:password";

impl Services {
    /// Attempts whose outcome is unknown, and approvals that ended in no order.
    pub fn pending_card_payments(&mut self) -> Result<Vec<CardAttemptRow>, AppError> {
        Ok(self.ledger_mut().read(|tx| {
            let mut all = tx.unknown_card_attempts(None)?;
            all.extend(tx.orphaned_card_approvals()?);
            all.sort_by_key(|a| a.id);
            Ok::<_, crate::ledger::LedgerError>(all)
        })?)
    }

    fn record_outcome(
        &mut self,
        service_id: &str,
        state: &str,
        approval: Option<&CardApproval>,
        detail: &str,
        user_id: Option<UserId>,
    ) -> Result<(), AppError> {
        let now = now();
        tracing::info!(attempt = service_id, state, detail, "card attempt outcome");
        Ok(self.ledger_mut().transact(|tx| {
            tx.insert_card_outcome(&NewCardOutcome {
                service_id,
                state,
                approval,
                detail,
                user_id,
                now: &now,
            })
        })?)
    }

    /// Asks the terminal what became of an attempt and records what it says. Returns the
    /// attempt's state afterwards (`unknown` if the terminal still cannot tell).
    fn query_attempt(
        &mut self,
        attempt: &CardAttemptRow,
        user_id: Option<UserId>,
    ) -> Result<String, AppError> {
        let terminal = self.terminal(Some(&attempt.terminal))?;
        let status = self.link(&terminal)?.status(&attempt.service_id);
        let (state, approval, detail) = match status {
            Ok(StatusResult::Done(PaymentResult::Approved(approval))) => {
                let mut approval = to_ledger(&approval);
                if approval.authorized_cents == 0 {
                    // A terminal whose lookup does not repeat the amount approved the one asked.
                    approval.authorized_cents = attempt.amount_cents;
                }
                ("approved", Some(approval), String::new())
            }
            Ok(StatusResult::Done(PaymentResult::NotApproved { condition, .. })) => {
                ("declined", None, condition)
            }
            Ok(StatusResult::NotFound) => (
                "declined",
                None,
                "NotFound: the terminal never started it".to_string(),
            ),
            Ok(StatusResult::InProgress) => ("unknown", None, "InProgress".to_string()),
            Err(error) => ("unknown", None, error.to_string()),
        };
        self.record_outcome(
            &attempt.service_id,
            state,
            approval.as_ref(),
            &detail,
            user_id,
        )?;
        Ok(state.to_string())
    }

    /// Resolves what can be resolved on a terminal (or all): unknown attempts by status query,
    /// approved purchases that ended in no order by reversal. Run at start-up and before a
    /// terminal is used. Returns what is still unresolved.
    pub fn resolve_card_attempts(
        &mut self,
        terminal: Option<&str>,
    ) -> Result<Vec<CardAttemptRow>, AppError> {
        let terminal_id = match terminal {
            Some(name) => Some(self.terminal(Some(name))?.id),
            None => None,
        };
        // Only attempts nobody else works on: another live process's payment (running, or
        // approved and about to be settled) is its own business.
        let unknown = self
            .ledger_mut()
            .read(|tx| tx.unknown_card_attempts(terminal_id))?;
        for attempt in unknown {
            if !self.claim(&attempt.service_id)? {
                continue;
            }
            if let Err(error) = self.query_attempt(&attempt, None) {
                tracing::warn!(attempt = %attempt.service_id, %error, "status query failed");
            }
            self.release(&attempt.service_id)?;
        }
        let orphans = self.ledger_mut().read(|tx| tx.orphaned_card_approvals())?;
        for attempt in orphans
            .iter()
            .filter(|a| terminal_id.is_none_or(|id| id == a.terminal_id))
        {
            if !self.claim(&attempt.service_id)? {
                continue;
            }
            // Read again under the claim: the owner may have settled it meanwhile.
            let Some(attempt) = self
                .ledger_mut()
                .read(|tx| tx.card_attempt(&attempt.service_id))?
                .filter(|a| a.state == "approved")
            else {
                continue;
            };
            if let Err(error) = self.reverse_attempt(&attempt, None) {
                tracing::warn!(attempt = %attempt.service_id, %error, "reversal failed");
            }
            self.release(&attempt.service_id)?;
        }
        let mut left = self
            .ledger_mut()
            .read(|tx| tx.unknown_card_attempts(terminal_id))?;
        left.extend(
            self.ledger_mut()
                .read(|tx| tx.orphaned_card_approvals())?
                .into_iter()
                .filter(|a| terminal_id.is_none_or(|id| id == a.terminal_id)),
        );
        Ok(left)
    }

    /// Takes over an attempt unless a live process holds it (see [`LeaseTerms`]).
    fn claim(&mut self, service_id: &str) -> Result<bool, AppError> {
        let terms = self.card_links().lease.clone();
        Ok(self
            .ledger_mut()
            .transact(|tx| tx.claim_card_attempt(service_id, &terms))?)
    }

    /// This process stops working on an attempt: another may resolve it.
    fn release(&mut self, service_id: &str) -> Result<(), AppError> {
        let owner = self.card_links().lease.owner.clone();
        Ok(self
            .ledger_mut()
            .transact(|tx| tx.release_card_attempt(service_id, &owner))?)
    }

    /// Starts renewing this process's leases (once).
    fn keep_leases(&mut self) -> Result<(), AppError> {
        if self.card_links().keeper.is_none() {
            let lease = self.card_links().lease.clone();
            let keeper = LeaseKeeper::start(self.ledger_mut(), &lease)?;
            self.card_links().keeper = Some(keeper);
        }
        Ok(())
    }

    /// Reverses an approved attempt on its terminal and records it.
    fn reverse_attempt(
        &mut self,
        attempt: &CardAttemptRow,
        user_id: Option<UserId>,
    ) -> Result<(), AppError> {
        let approval = attempt.approval.as_ref().ok_or_else(|| {
            AppError::Admin(AdminError::Internal(format!(
                "attempt {} has no approval",
                attempt.service_id
            )))
        })?;
        let terminal = self.terminal(Some(&attempt.terminal))?;
        let reversal = self
            .link(&terminal)?
            .reverse(&from_ledger(approval))
            .map_err(|error| AppError::Card(CardError::CardReversalFailed(error.to_string())))?;
        self.record_outcome(
            &attempt.service_id,
            "reversed",
            None,
            &format!("reversal {reversal}"),
            user_id,
        )
    }

    /// Runs one card payment: resolves the terminal's earlier attempts first (it is blocked
    /// while any outcome is unknown), writes the attempt, asks the terminal, records the
    /// outcome. Approved: the approval. Unknown after the status queries: an error, and the
    /// terminal stays blocked.
    pub fn card_payment(
        &mut self,
        session: &Session,
        terminal: &TerminalRow,
        kind: PaymentKind,
        amount: Money,
        order_id: Option<OrderNumber>,
        progress: &mut CardProgress<'_>,
    ) -> Result<(String, CardApproval), AppError> {
        if amount.cents() <= 0 {
            return Err(AppError::Shift(ShiftError::NegativeAmount));
        }
        self.terminal_ready(terminal)?;
        let service_id = hex::encode(random_bytes::<5>());
        let now = now();
        self.keep_leases()?;
        let lease = self.card_links().lease.clone();
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Sell, "take card payments")?;
            // Another process may have started one meanwhile: still one in flight per terminal.
            let busy = tx.unknown_card_attempts(Some(terminal.id))?;
            if !busy.is_empty() {
                return Err(AppError::Card(CardError::TerminalBlocked {
                    terminal: terminal.name.clone(),
                    attempts: busy.into_iter().map(|a| a.service_id).collect(),
                }));
            }
            tx.insert_card_attempt(&NewCardAttempt {
                service_id: &service_id,
                lease: &lease,
                terminal_id: terminal.id,
                kind: match kind {
                    PaymentKind::Purchase => "purchase",
                    PaymentKind::Refund => "refund",
                },
                amount_cents: amount.cents(),
                order_id,
                user_id: session.user_id,
                now: &now,
            })?;
            Ok::<_, AppError>(())
        })?;
        let request = PaymentRequest {
            service_id: service_id.clone(),
            transaction_id: service_id.clone(),
            timestamp: Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            amount_cents: amount.cents(),
            kind,
            abort: progress.abort.clone(),
        };
        tracing::info!(attempt = %service_id, terminal = %terminal.name, amount = %amount, "card payment sent");
        let result = self.link(terminal)?.pay(&request, progress.display);
        self.card_outcome(terminal, service_id, result, Some(session.user_id))
    }

    /// Whether a terminal may take a payment now: linked, reconciled (Nets), and its earlier
    /// attempts resolved (it is blocked while any outcome is unknown).
    fn terminal_ready(&mut self, terminal: &TerminalRow) -> Result<(), AppError> {
        self.link(terminal)?;
        if terminal.kind == "nets_cloud"
            && !self
                .ledger_mut()
                .read(|tx| tx.terminal_reconciled(terminal.id))?
        {
            return Err(AppError::Card(CardError::TerminalNotReconciled(
                terminal.name.clone(),
            )));
        }
        let still = self.resolve_card_attempts(Some(&terminal.name))?;
        let blocking: Vec<String> = still
            .iter()
            .filter(|a| a.state != "approved")
            .map(|a| a.service_id.clone())
            .collect();
        if !blocking.is_empty() {
            return Err(AppError::Card(CardError::TerminalBlocked {
                terminal: terminal.name.clone(),
                attempts: blocking,
            }));
        }
        Ok(())
    }

    /// Records what the terminal answered; an answer that says nothing about the card (the link
    /// broke mid-payment) is asked for by status queries.
    fn card_outcome(
        &mut self,
        terminal: &TerminalRow,
        service_id: String,
        result: Result<PaymentResult, TerminalError>,
        user: Option<UserId>,
    ) -> Result<(String, CardApproval), AppError> {
        match result {
            Ok(PaymentResult::Approved(approval)) => {
                let approval = to_ledger(&approval);
                self.record_outcome(&service_id, "approved", Some(&approval), "", user)?;
                Ok((service_id, approval))
            }
            Ok(PaymentResult::NotApproved { condition, text }) => {
                self.record_outcome(&service_id, "declined", None, &condition, user)?;
                Err(AppError::Card(CardError::CardNotApproved {
                    condition,
                    text,
                }))
            }
            Err(error @ TerminalError::NotAnswering { .. }) => {
                self.record_outcome(
                    &service_id,
                    "declined",
                    None,
                    "not sent: the agent did not answer",
                    user,
                )?;
                Err(terminal_error(error))
            }
            Err(error) => {
                self.record_outcome(&service_id, "unknown", None, &error.to_string(), user)?;
                self.await_card_status(terminal, service_id, user)
            }
        }
    }

    /// An unknown outcome: asks the terminal a few times; still unknown, the attempt is left to
    /// whoever looks at the terminal next (and the terminal stays blocked).
    fn await_card_status(
        &mut self,
        terminal: &TerminalRow,
        service_id: String,
        user: Option<UserId>,
    ) -> Result<(String, CardApproval), AppError> {
        let tries = self.card_links().status_tries;
        let pause = self.card_links().status_pause;
        for _ in 0..tries {
            let attempt = self
                .ledger_mut()
                .read(|tx| tx.card_attempt(&service_id))?
                .ok_or_else(|| AppError::Card(CardError::UnknownCardAttempt(service_id.clone())))?;
            match self.query_attempt(&attempt, user)?.as_str() {
                "approved" => {
                    let approval = self
                        .ledger_mut()
                        .read(|tx| tx.card_approval(&service_id))?
                        .expect("just recorded");
                    return Ok((service_id, approval));
                }
                "declined" => {
                    let detail = self
                        .ledger_mut()
                        .read(|tx| tx.card_attempt(&service_id))?
                        .map(|a| a.detail)
                        .unwrap_or_default();
                    return Err(AppError::Card(CardError::CardNotApproved {
                        condition: detail,
                        text: String::new(),
                    }));
                }
                _ => std::thread::sleep(pause),
            }
        }
        // This process stops waiting: whoever looks at the terminal next resolves it.
        self.release(&service_id)?;
        Err(AppError::Card(CardError::CardOutcomeUnknown {
            terminal: terminal.name.clone(),
            attempt: service_id,
        }))
    }

    /// A manager settles an attempt the terminal cannot tell about (after
    /// [`MANUAL_AFTER_TRIES`] failed status queries). "Approved" with the terminal's reference
    /// leaves an approval in no order, which is then reversed (or listed for a refund by hand).
    pub fn resolve_card_manually(
        &mut self,
        session: &Session,
        service_id: &str,
        decision: &ManualResolution,
    ) -> Result<CardAttemptRow, AppError> {
        let now = now();
        let manager = self.ledger_mut().transact(|tx| {
            let manager = require(
                tx,
                session,
                Permission::CloseShift,
                "resolve a card payment",
            )?;
            let attempt = tx.card_attempt(service_id)?.ok_or_else(|| {
                AppError::Card(CardError::UnknownCardAttempt(service_id.to_string()))
            })?;
            if !matches!(attempt.state.as_str(), "pending" | "unknown") {
                return Err(AppError::Card(CardError::CardAttemptResolved(
                    attempt.state,
                )));
            }
            if attempt.unknown_count < MANUAL_AFTER_TRIES {
                return Err(AppError::Card(CardError::ManualTooEarly {
                    tries: MANUAL_AFTER_TRIES,
                }));
            }
            let (state, approval) = match decision {
                ManualResolution::Approved { reference } => (
                    "approved",
                    Some(CardApproval {
                        authorized_cents: attempt.amount_cents,
                        poi_transaction_id: reference.trim().to_string(),
                        ..CardApproval::default()
                    }),
                ),
                ManualResolution::NotApproved => ("declined", None),
            };
            tx.insert_card_outcome(&NewCardOutcome {
                service_id,
                state,
                approval: approval.as_ref(),
                detail: &format!("resolved by hand by {}", manager.name),
                user_id: Some(manager.id),
                now: &now,
            })?;
            Ok(manager)
        })?;
        let attempt = self
            .ledger_mut()
            .read(|tx| tx.card_attempt(service_id))?
            .ok_or_else(|| AppError::Card(CardError::UnknownCardAttempt(service_id.to_string())))?;
        if attempt.state == "approved"
            && attempt.kind == "purchase"
            && let Err(error) = self.reverse_attempt(&attempt, Some(manager.id))
        {
            tracing::warn!(attempt = service_id, %error, "the manually approved payment could not be reversed");
        }
        Ok(self
            .ledger_mut()
            .read(|tx| tx.card_attempt(service_id))?
            .expect("it exists"))
    }
}
