//! Card terminals, card attempts and their outcomes, reconciliations. Attempts and outcomes
//! are append-only: the newest outcome of an attempt is its state.

use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, UserId};
use serde_json::json;

use super::engine::{Db as _, values};
use super::{Result, Tx};

/// The organisation's Nets Connect@Cloud account; the password is in the secret store under
/// `password_name` (`None`: a ledger from before version 13 whose password is not moved yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetsAccountRow {
    pub base_url: String,
    pub base_url_alt: Option<String>,
    pub username: String,
    pub password_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TerminalRow {
    pub id: i64,
    pub name: String,
    /// `agent` or `nets_cloud`.
    pub kind: String,
    pub address: String,
    pub created_at: String,
}

/// What an approval leaves in the ledger (never a card number).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct CardApproval {
    pub authorized_cents: i64,
    pub brand: String,
    pub masked_pan: String,
    pub approval_code: String,
    pub poi_transaction_id: String,
    pub poi_timestamp: String,
    pub cashier_receipt: String,
    pub customer_receipt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CardAttemptRow {
    pub id: i64,
    pub service_id: String,
    pub terminal_id: i64,
    pub terminal: String,
    /// `purchase` or `refund`.
    pub kind: String,
    pub amount_cents: i64,
    pub order_id: Option<OrderNumber>,
    pub created_at: String,
    /// The newest outcome: `pending` when none was written yet.
    pub state: String,
    pub detail: String,
    /// How many times the outcome was found unknown.
    pub unknown_count: i64,
    pub approval: Option<CardApproval>,
}

pub struct NewCardAttempt<'a> {
    pub service_id: &'a str,
    /// The process that makes the attempt, and how long its claim lasts without a heartbeat.
    pub lease: &'a LeaseTerms,
    pub terminal_id: i64,
    pub kind: &'a str,
    pub amount_cents: i64,
    pub order_id: Option<OrderNumber>,
    pub user_id: UserId,
    pub now: &'a str,
}

pub struct NewCardOutcome<'a> {
    pub service_id: &'a str,
    /// `unknown`, `approved`, `declined` or `reversed` (`settled` is written by the sale).
    pub state: &'a str,
    pub approval: Option<&'a CardApproval>,
    pub detail: &'a str,
    pub user_id: Option<UserId>,
    pub now: &'a str,
}

/// An approved card attempt paying part of a sale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardTender<'a> {
    pub service_id: &'a str,
    pub amount_cents: i64,
    pub card_last4: Option<&'a str>,
}

/// A terminal's batch in the ledger: (count, cents) of purchases and of refunds, and the newest
/// attempt in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardBatch {
    pub debit: (i64, i64),
    pub credit: (i64, i64),
    pub last_attempt_id: i64,
}

pub struct NewCardReconciliation<'a> {
    pub terminal_id: i64,
    pub poi_reconciliation_id: &'a str,
    pub last_attempt_id: i64,
    /// (count, cents) of purchases and refunds as the terminal counts them.
    pub terminal_debit: (i64, i64),
    pub terminal_credit: (i64, i64),
    pub ledger_debit: (i64, i64),
    pub ledger_credit: (i64, i64),
    pub user_id: Option<UserId>,
    pub now: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CardReconciliationRow {
    pub terminal: String,
    pub poi_reconciliation_id: String,
    pub at: String,
    pub terminal_debit_count: i64,
    pub terminal_debit_cents: i64,
    pub terminal_credit_count: i64,
    pub terminal_credit_cents: i64,
    pub ledger_debit_count: i64,
    pub ledger_debit_cents: i64,
    pub ledger_credit_count: i64,
    pub ledger_credit_cents: i64,
    /// Terminal minus ledger, purchases less refunds.
    pub difference_cents: i64,
}

/// Who holds a card attempt: one process (pid and a random token), for `duration` after its
/// last heartbeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseTerms {
    pub owner: String,
    pub duration: std::time::Duration,
}

impl LeaseTerms {
    fn duration_ms(&self) -> i64 {
        i64::try_from(self.duration.as_millis()).unwrap_or(i64::MAX / 4)
    }
}

fn epoch_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4))
}

/// Renews the leases of one process while it lives: a thread with its own connection that
/// moves their expiry forward four times per lease duration. Stops when dropped (and with
/// the process: a killed process's leases run out).
pub struct LeaseKeeper {
    _stop: std::sync::mpsc::Sender<()>,
}

/// Where the lease keeper writes its heartbeats: its own connection to the same ledger.
enum LeaseConn {
    Sqlite(rusqlite::Connection),
    /// The shared ledger's address; connected (again) when needed.
    Postgres(String, Option<postgres::Client>),
}

const HEARTBEAT: &str =
    "UPDATE card_leases SET heartbeat_ms = ?2, expires_ms = ?3 WHERE owner = ?1";

impl LeaseConn {
    fn beat(&mut self, terms: &LeaseTerms) -> Result<()> {
        let now = epoch_ms();
        let params = values![
            terms.owner.as_str(),
            now,
            now.saturating_add(terms.duration_ms())
        ];
        match self {
            LeaseConn::Sqlite(conn) => {
                super::engine::Sqlite(conn).execute(HEARTBEAT, &params)?;
            }
            LeaseConn::Postgres(url, client) => {
                if client.is_none() {
                    *client = Some(super::pg::connect(url)?);
                }
                let outcome = client.as_mut().map(|client| {
                    let mut tx = client.transaction().map_err(super::pg::from_pg)?;
                    super::engine::Postgres(&mut tx).execute(HEARTBEAT, &params)?;
                    tx.commit().map_err(super::pg::from_pg)
                });
                if let Some(Err(error)) = outcome {
                    // A new connection next time (the server restarted, the network dropped).
                    *client = None;
                    return Err(error);
                }
            }
        }
        Ok(())
    }
}

impl LeaseKeeper {
    /// Starts the heartbeat thread with its own connection to `ledger` (its file, or the
    /// shared ledger's server).
    pub fn start(ledger: &super::Ledger, terms: &LeaseTerms) -> Result<LeaseKeeper> {
        let mut conn = match &ledger.store {
            super::Store::Sqlite(_) => {
                let conn = rusqlite::Connection::open(&ledger.path)?;
                conn.busy_timeout(super::busy_timeout())?;
                LeaseConn::Sqlite(conn)
            }
            super::Store::Postgres(_, url, _) => LeaseConn::Postgres(url.clone(), None),
        };
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let terms = terms.clone();
        let every = terms.duration / 4;
        std::thread::Builder::new()
            .name("card-lease".into())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(every)
                {
                    if let Err(error) = conn.beat(&terms) {
                        tracing::warn!(%error, "card lease heartbeat failed; trying again");
                    }
                }
            })
            .map_err(|error| super::LedgerError::DataDirNotWritable {
                path: ledger.path.clone(),
                source: error,
            })?;
        Ok(LeaseKeeper { _stop: stop })
    }
}

const SELECT_ATTEMPT: &str = "SELECT a.id AS id, a.service_id AS service_id, a.terminal_id AS terminal_id, t.name AS terminal,
        a.kind AS kind, a.amount_cents AS amount_cents, a.order_id AS order_id, a.created_at AS created_at,
        coalesce((SELECT o.state FROM card_outcomes o WHERE o.service_id = a.service_id ORDER BY o.id DESC LIMIT 1), 'pending') AS state,
        coalesce((SELECT o.detail FROM card_outcomes o WHERE o.service_id = a.service_id ORDER BY o.id DESC LIMIT 1), '') AS detail,
        (SELECT count(*) FROM card_outcomes o WHERE o.service_id = a.service_id AND o.state = 'unknown') AS unknown_count
 FROM card_attempts a JOIN card_terminals t ON t.id = a.terminal_id";

/// Attempts whose outcome is not known: they block their terminal.
const UNKNOWN: &str = "state IN ('pending', 'unknown')";
/// Approved purchases in no order and not reversed: the customer paid for nothing.
const ORPHANED: &str = "state = 'approved'";

impl Tx<'_> {
    pub fn insert_terminal(
        &mut self,
        name: &str,
        kind: &str,
        address: &str,
        now: &str,
    ) -> Result<i64> {
        let id = self
            .db()
            .query_one(
                "INSERT INTO card_terminals (name, kind, address, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &values![name, kind, address, now],
            )?
            .int(0)?;
        let content = json!({"terminal_id": id, "name": name, "kind": kind, "address": address});
        self.append_journal(JournalKind::CardTerminalAdd, None, None, &content)?;
        Ok(id)
    }

    /// Points a terminal at another address (the GUI demo's in-process agent gets a new port
    /// on every start).
    pub fn set_terminal_address(&mut self, name: &str, address: &str) -> Result<()> {
        self.db().execute(
            "UPDATE card_terminals SET address = ?2 WHERE name = ?1",
            &values![name, address],
        )?;
        let content = json!({"name": name, "address": address});
        self.append_journal(JournalKind::CardTerminalAddress, None, None, &content)?;
        Ok(())
    }

    /// Sets the organisation's Nets Connect@Cloud account, its password by its name in the
    /// secret store (the journal records the URL and the user, never the password).
    pub fn set_nets_account(
        &mut self,
        base_url: &str,
        base_url_alt: Option<&str>,
        username: &str,
        password_name: &str,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO nets_account (id, base_url, base_url_alt, username, password, password_name)
             VALUES (1, ?1, ?2, ?3, '', ?4)
             ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, base_url_alt = excluded.base_url_alt,
                 username = excluded.username, password = excluded.password, password_name = excluded.password_name",
            &values![base_url, base_url_alt, username, password_name],
        )?;
        let content =
            json!({"base_url": base_url, "base_url_alt": base_url_alt, "username": username});
        self.append_journal(JournalKind::CardNetsAccount, None, None, &content)?;
        Ok(())
    }

    /// The Nets Connect@Cloud account: base URL, its alternative, username, password.
    pub fn nets_account(&self) -> Result<Option<NetsAccountRow>> {
        let row = self.db().query_opt(
            "SELECT base_url, base_url_alt, username, password_name FROM nets_account WHERE id = 1",
            &[],
        )?;
        row.map(|row| {
            Ok(NetsAccountRow {
                base_url: row.text(0)?,
                base_url_alt: row.opt_text(1)?,
                username: row.text(2)?,
                password_name: row.opt_text(3)?,
            })
        })
        .transpose()
    }

    /// Whether the terminal was ever reconciled (a Nets terminal accepts payments only then).
    pub fn terminal_reconciled(&self, terminal_id: i64) -> Result<bool> {
        let count = self
            .db()
            .query_one(
                "SELECT count(*) FROM card_reconciliations WHERE terminal_id = ?1",
                &values![terminal_id],
            )?
            .int(0)?;
        Ok(count > 0)
    }

    pub fn terminals(&self) -> Result<Vec<TerminalRow>> {
        let rows = self.db().query(
            "SELECT id, name, kind, address, created_at FROM card_terminals ORDER BY name",
            &[],
        )?;
        rows.iter()
            .map(|row| {
                Ok(TerminalRow {
                    id: row.int(0)?,
                    name: row.text(1)?,
                    kind: row.text(2)?,
                    address: row.text(3)?,
                    created_at: row.text(4)?,
                })
            })
            .collect()
    }

    /// Writes the attempt and its `pending` payment row, with the journal entry, before the
    /// request leaves.
    pub fn insert_card_attempt(&mut self, attempt: &NewCardAttempt<'_>) -> Result<i64> {
        let id = self.db().query_one(
            "INSERT INTO card_attempts (service_id, terminal_id, kind, amount_cents, order_id, user_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &values![
                attempt.service_id,
                attempt.terminal_id,
                attempt.kind,
                attempt.amount_cents,
                attempt.order_id,
                attempt.user_id,
                attempt.now
            ],
        )?.int(0)?;
        let now_ms = epoch_ms();
        self.db().execute(
            "INSERT INTO card_leases (service_id, owner, heartbeat_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)",
            &values![
                attempt.service_id,
                attempt.lease.owner.as_str(),
                now_ms,
                now_ms.saturating_add(attempt.lease.duration_ms())
            ],
        )?;
        self.db().execute(
            "INSERT INTO payments (attempt_id, order_id, tender, amount_cents, state, created_at)
             VALUES (?1, NULL, 'card', ?2, 'pending', ?3)",
            &values![attempt.service_id, attempt.amount_cents, attempt.now],
        )?;
        let content = json!({
            "service_id": attempt.service_id, "terminal_id": attempt.terminal_id, "kind": attempt.kind,
            "amount_cents": attempt.amount_cents, "order_id": attempt.order_id, "created_at": attempt.now,
        });
        self.append_journal(
            JournalKind::CardAttempt,
            Some(attempt.user_id),
            attempt.order_id,
            &content,
        )?;
        Ok(id)
    }

    /// Takes over an attempt for `terms.owner` if nobody else holds it: its lease ran out (the
    /// process that made it is gone), it has none, or the owner already holds it. False: a live
    /// process holds it, leave it alone.
    pub fn claim_card_attempt(&mut self, service_id: &str, terms: &LeaseTerms) -> Result<bool> {
        let now = epoch_ms();
        let changed = self.db().execute(
            "INSERT INTO card_leases (service_id, owner, heartbeat_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (service_id) DO UPDATE SET owner = excluded.owner,
                 heartbeat_ms = excluded.heartbeat_ms, expires_ms = excluded.expires_ms
             WHERE card_leases.owner = excluded.owner OR card_leases.expires_ms < excluded.heartbeat_ms",
            &values![
                service_id,
                terms.owner.as_str(),
                now,
                now.saturating_add(terms.duration_ms())
            ],
        )?;
        Ok(changed == 1)
    }

    /// The process that held an attempt stops working on it (it gave up waiting for the
    /// terminal, or could not reverse): anyone may resolve it now.
    pub fn release_card_attempt(&mut self, service_id: &str, owner: &str) -> Result<()> {
        self.db().execute(
            "DELETE FROM card_leases WHERE service_id = ?1 AND owner = ?2",
            &values![service_id, owner],
        )?;
        Ok(())
    }

    /// Appends an outcome of an attempt with its journal entry.
    pub fn insert_card_outcome(&mut self, outcome: &NewCardOutcome<'_>) -> Result<()> {
        self.write_outcome(outcome, None)?;
        let mut content = json!({"service_id": outcome.service_id, "state": outcome.state, "detail": outcome.detail, "at": outcome.now});
        if let Some(approval) = outcome.approval {
            content["approval"] = serde_json::to_value(approval).unwrap_or_default();
        }
        self.append_journal(JournalKind::CardOutcome, outcome.user_id, None, &content)?;
        Ok(())
    }

    /// The approved attempt pays part of `order_id`: its payment row in the order and the
    /// `settled` outcome (the sale's journal entry covers both).
    pub(super) fn settle_card(
        &mut self,
        card: &CardTender<'_>,
        order_id: OrderNumber,
        user_id: UserId,
        now: &str,
    ) -> Result<String> {
        let attempt_id = format!("{}/{order_id}", card.service_id);
        self.db().execute(
            "INSERT INTO payments (attempt_id, order_id, tender, amount_cents, state, created_at, card_last4)
             VALUES (?1, ?2, 'card', ?3, 'approved', ?4, ?5)",
            &values![attempt_id.as_str(), order_id, card.amount_cents, now, card.card_last4],
        )?;
        let settled = NewCardOutcome {
            service_id: card.service_id,
            state: "settled",
            approval: None,
            detail: "",
            user_id: Some(user_id),
            now,
        };
        self.write_outcome(&settled, Some(order_id))?;
        Ok(attempt_id)
    }

    /// The approved card refund is recorded as a refund of `order_id` (written in the refund's
    /// transaction, which journals it).
    pub fn settle_card_refund(
        &mut self,
        service_id: &str,
        order_id: OrderNumber,
        user_id: UserId,
        now: &str,
    ) -> Result<()> {
        let settled = NewCardOutcome {
            service_id,
            state: "settled",
            approval: None,
            detail: "refund",
            user_id: Some(user_id),
            now,
        };
        self.write_outcome(&settled, Some(order_id))
    }

    /// Writes an outcome row (`order_id`: the order a `settled` outcome paid).
    fn write_outcome(
        &mut self,
        outcome: &NewCardOutcome<'_>,
        order_id: Option<OrderNumber>,
    ) -> Result<()> {
        let NewCardOutcome {
            service_id,
            state,
            approval,
            detail,
            user_id,
            now,
        } = *outcome;
        if matches!(state, "settled" | "reversed" | "declined") {
            // Nothing left to resolve: the claim is no longer needed.
            self.db().execute(
                "DELETE FROM card_leases WHERE service_id = ?1",
                &values![service_id],
            )?;
        }
        self.db().execute(
            "INSERT INTO card_outcomes (service_id, state, authorized_cents, brand, masked_pan, approval_code,
                    poi_transaction_id, poi_timestamp, cashier_receipt, customer_receipt, detail, order_id, user_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            &values![
                service_id,
                state,
                approval.map(|a| a.authorized_cents),
                approval.map(|a| a.brand.as_str()),
                approval.map(|a| a.masked_pan.as_str()),
                approval.map(|a| a.approval_code.as_str()),
                approval.map(|a| a.poi_transaction_id.as_str()),
                approval.map(|a| a.poi_timestamp.as_str()),
                approval.map(|a| a.cashier_receipt.as_str()),
                approval.map(|a| a.customer_receipt.as_str()),
                detail,
                order_id,
                user_id,
                now
            ],
        )?;
        Ok(())
    }

    fn attempts_where(
        &self,
        condition: &str,
        parameters: &[super::engine::Value],
    ) -> Result<Vec<CardAttemptRow>> {
        let sql =
            format!("SELECT * FROM ({SELECT_ATTEMPT}) AS attempts WHERE {condition} ORDER BY id");
        let rows = self.db().query(&sql, parameters)?;
        let mut attempts = Vec::with_capacity(rows.len());
        for row in &rows {
            attempts.push(CardAttemptRow {
                id: row.int(0)?,
                service_id: row.text(1)?,
                terminal_id: row.int(2)?,
                terminal: row.text(3)?,
                kind: row.text(4)?,
                amount_cents: row.int(5)?,
                order_id: row.opt_int(6)?.map(crate::domain::ids::OrderNumber),
                created_at: row.text(7)?,
                state: row.text(8)?,
                detail: row.text(9)?,
                unknown_count: row.int(10)?,
                approval: self.card_approval(&row.text(1)?)?,
            });
        }
        Ok(attempts)
    }

    /// The attempt with this ServiceID.
    pub fn card_attempt(&self, service_id: &str) -> Result<Option<CardAttemptRow>> {
        Ok(self
            .attempts_where("service_id = ?1", &super::engine::values![service_id])?
            .into_iter()
            .next())
    }

    /// Attempts whose outcome is not known (all terminals, or one). A terminal with any of
    /// these is blocked.
    pub fn unknown_card_attempts(&self, terminal_id: Option<i64>) -> Result<Vec<CardAttemptRow>> {
        match terminal_id {
            Some(id) => self.attempts_where(
                &format!("terminal_id = ?1 AND ({UNKNOWN})"),
                &super::engine::values![id],
            ),
            None => self.attempts_where(UNKNOWN, &[]),
        }
    }

    /// Approvals not settled (a purchase in no order, a refund not recorded) and not reversed:
    /// to be reversed (or settled by hand).
    pub fn orphaned_card_approvals(&self) -> Result<Vec<CardAttemptRow>> {
        self.attempts_where(ORPHANED, &[])
    }

    /// Approved card purchases of an order (settled with it), oldest first.
    pub fn order_card_payments(&self, order_id: OrderNumber) -> Result<Vec<CardAttemptRow>> {
        self.attempts_where(
            "kind = 'purchase' AND service_id IN (SELECT service_id FROM card_outcomes WHERE state = 'settled' AND order_id = ?1)",
            &super::engine::values![order_id],
        )
    }

    /// Approved card refunds made to an order (`state` approved, not reversed).
    pub fn order_card_refunds(&self, order_id: OrderNumber) -> Result<Vec<CardAttemptRow>> {
        self.attempts_where(
            "kind = 'refund' AND order_id = ?1 AND state = 'approved'",
            &super::engine::values![order_id],
        )
    }

    /// The approval of an attempt, if it was approved.
    pub fn card_approval(&self, service_id: &str) -> Result<Option<CardApproval>> {
        let row = self.db().query_opt(
            "SELECT authorized_cents, brand, masked_pan, approval_code, poi_transaction_id, poi_timestamp,
                    cashier_receipt, customer_receipt
             FROM card_outcomes WHERE service_id = ?1 AND state = 'approved' ORDER BY id DESC LIMIT 1",
            &super::engine::values![service_id],
        )?;
        row.map(|row| {
            Ok(CardApproval {
                authorized_cents: row.int(0)?,
                brand: row.text(1)?,
                masked_pan: row.text(2)?,
                approval_code: row.text(3)?,
                poi_transaction_id: row.text(4)?,
                poi_timestamp: row.text(5)?,
                cashier_receipt: row.text(6)?,
                customer_receipt: row.text(7)?,
            })
        })
        .transpose()
    }

    /// The terminal's batch as the ledger sees it: attempts after the last reconciliation,
    /// approved (settled or not) and not reversed.
    pub fn card_batch(&self, terminal_id: i64) -> Result<CardBatch> {
        let after = self
            .db()
            .query_one(
                "SELECT coalesce(max(last_attempt_id), 0) FROM card_reconciliations WHERE terminal_id = ?1",
                &values![terminal_id],
            )?
            .int(0)?;
        let last = self
            .db()
            .query_one(
                "SELECT coalesce(max(id), ?2) FROM card_attempts WHERE terminal_id = ?1",
                &values![terminal_id, after],
            )?
            .int(0)?;
        let totals = |kind: &str| -> Result<(i64, i64)> {
            let row = self.db().query_one(
                "SELECT count(*), CAST(coalesce(sum(o.authorized_cents), 0) AS bigint)
                 FROM card_attempts a JOIN card_outcomes o ON o.service_id = a.service_id AND o.state = 'approved'
                 WHERE a.terminal_id = ?1 AND a.kind = ?2 AND a.id > ?3 AND a.id <= ?4
                   AND o.id = (SELECT max(id) FROM card_outcomes WHERE service_id = a.service_id AND state = 'approved')
                   AND NOT EXISTS (SELECT 1 FROM card_outcomes r WHERE r.service_id = a.service_id AND r.state = 'reversed')",
                &values![terminal_id, kind, after, last],
            )?;
            Ok((row.int(0)?, row.int(1)?))
        };
        Ok(CardBatch {
            debit: totals("purchase")?,
            credit: totals("refund")?,
            last_attempt_id: last,
        })
    }

    pub fn insert_card_reconciliation(&mut self, r: &NewCardReconciliation<'_>) -> Result<()> {
        self.db().execute(
            "INSERT INTO card_reconciliations (terminal_id, poi_reconciliation_id, last_attempt_id,
                    terminal_debit_count, terminal_debit_cents, terminal_credit_count, terminal_credit_cents,
                    ledger_debit_count, ledger_debit_cents, ledger_credit_count, ledger_credit_cents, user_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &values![
                r.terminal_id,
                r.poi_reconciliation_id,
                r.last_attempt_id,
                r.terminal_debit.0,
                r.terminal_debit.1,
                r.terminal_credit.0,
                r.terminal_credit.1,
                r.ledger_debit.0,
                r.ledger_debit.1,
                r.ledger_credit.0,
                r.ledger_credit.1,
                r.user_id,
                r.now
            ],
        )?;
        let content = json!({
            "terminal_id": r.terminal_id, "poi_reconciliation_id": r.poi_reconciliation_id, "last_attempt_id": r.last_attempt_id,
            "terminal": {"debit": [r.terminal_debit.0, r.terminal_debit.1], "credit": [r.terminal_credit.0, r.terminal_credit.1]},
            "ledger": {"debit": [r.ledger_debit.0, r.ledger_debit.1], "credit": [r.ledger_credit.0, r.ledger_credit.1]},
            "at": r.now,
        });
        self.append_journal(JournalKind::CardReconciliation, r.user_id, None, &content)?;
        Ok(())
    }

    /// Reconciliations made at or after `since` (RFC 3339), oldest first.
    pub fn card_reconciliations_since(&self, since: &str) -> Result<Vec<CardReconciliationRow>> {
        let rows = self.db().query(
            "SELECT t.name, r.poi_reconciliation_id, r.at, r.terminal_debit_count, r.terminal_debit_cents,
                    r.terminal_credit_count, r.terminal_credit_cents, r.ledger_debit_count, r.ledger_debit_cents,
                    r.ledger_credit_count, r.ledger_credit_cents
             FROM card_reconciliations r JOIN card_terminals t ON t.id = r.terminal_id WHERE r.at >= ?1 ORDER BY r.id",
            &super::engine::values![since],
        )?;
        rows.iter()
            .map(|row| {
                let mut r = CardReconciliationRow {
                    terminal: row.text(0)?,
                    poi_reconciliation_id: row.text(1)?,
                    at: row.text(2)?,
                    terminal_debit_count: row.int(3)?,
                    terminal_debit_cents: row.int(4)?,
                    terminal_credit_count: row.int(5)?,
                    terminal_credit_cents: row.int(6)?,
                    ledger_debit_count: row.int(7)?,
                    ledger_debit_cents: row.int(8)?,
                    ledger_credit_count: row.int(9)?,
                    ledger_credit_cents: row.int(10)?,
                    difference_cents: 0,
                };
                r.difference_cents = (r.terminal_debit_cents - r.terminal_credit_cents)
                    - (r.ledger_debit_cents - r.ledger_credit_cents);
                Ok(r)
            })
            .collect()
    }
}
