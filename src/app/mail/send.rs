//! Sending what is due: the outbox read per server, the messages composed and sent by a pool
//! of threads over pooled connections, each outcome written (with its journal entry) as it
//! arrives.

use std::collections::BTreeMap;
use std::sync::{Mutex, mpsc};

use chrono::{Duration, Local};
use lettre::message::dkim::DkimConfig;

use super::{FlushReport, MAX_TEMPORARY_ATTEMPTS, backoff_secs};
use crate::app::{AppError, MailError, Receipt, Services};
use crate::domain::JournalKind;
use crate::i18n::Lang;
use crate::ledger::{OutboxRow, now_text};
use crate::mail::compose::{self, Sender};
use crate::mail::smtp::{Delivery, Mailer, POOL_SIZE};

/// The lock file that keeps two senders (the GUI, `mail flush`) from sending the same message.
const SENDER_LOCK_FILE: &str = "mail-sender.lock";

/// One message for the pool: its outbox row, its receipt, the customer's name, its language.
type Job = (OutboxRow, Receipt, Option<String>, Lang);

/// What every message of one server shares.
#[derive(Clone, Copy)]
struct MailParts<'a> {
    sender: &'a Sender,
    templates: Option<&'a str>,
    dkim: Option<&'a DkimConfig>,
}

/// One of the pool's threads: composes (templates, PDF, DKIM) and sends the jobs it takes, on a
/// connection of its own, until the jobs end or nobody reads the outcomes.
fn compose_and_send(
    jobs: &Mutex<mpsc::Receiver<Job>>,
    mailer: &Mailer,
    results: &mpsc::Sender<(OutboxRow, Delivery)>,
    mail: MailParts<'_>,
) {
    let mut session = mailer.session();
    loop {
        let job = jobs.lock().expect("jobs lock").recv();
        let Ok((row, receipt, customer_name, lang)) = job else {
            break;
        };
        let delivery = match compose::ticket_mail(&compose::TicketMailRequest {
            sender: mail.sender,
            to_address: &row.to_address,
            message_id: &row.message_id,
            receipt: &receipt,
            customer_name: customer_name.as_deref(),
            lang,
            templates: mail.templates,
            dkim: mail.dkim,
        }) {
            Ok(composed) => session.deliver(&composed.message),
            Err(error) => Delivery::Permanent(error.to_string()),
        };
        if results.send((row, delivery)).is_err() {
            break;
        }
    }
}

impl Services {
    /// Sends what is due: queued messages and retries whose time has come (every retry with
    /// `all_retries`, as `mail flush` does). [`POOL_SIZE`] threads per server each compose and
    /// send on a connection of their own; each outcome is written (with its journal entry) as it
    /// arrives.
    ///
    /// One sender at a time per data directory (a lock file), so the GUI's sender and a
    /// `mail flush` never send the same message twice.
    pub fn send_due(&mut self, all_retries: bool) -> Result<FlushReport, AppError> {
        let lock_path = self.data_dir().join(SENDER_LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .and_then(|file| file.lock().map(|()| file))
            .map_err(|e| {
                AppError::Mail(MailError::MailSetup(format!(
                    "{}: {e}",
                    lock_path.display()
                )))
            })?;
        // On the shared ledger the whole venue has one sender at a time: the counters take
        // turns on a lock of the ledger's (held by this connection while it sends).
        self.ledger_mut().lock_mail_sender()?;
        let report = self.send_due_locked(all_retries);
        let released = self.ledger_mut().unlock_mail_sender();
        drop(lock);
        let report = report?;
        released?;
        Ok(report)
    }

    fn send_due_locked(&mut self, all_retries: bool) -> Result<FlushReport, AppError> {
        let now = Local::now().to_rfc3339();
        let due = self
            .ledger_mut()
            .read(|tx| tx.outbox_due((!all_retries).then_some(now.as_str())))?;
        let mut report = FlushReport::default();
        let mut by_server: BTreeMap<i64, Vec<OutboxRow>> = BTreeMap::new();
        for row in due {
            by_server.entry(row.server_id).or_default().push(row);
        }
        for (server_id, rows) in by_server {
            self.send_server_batch(server_id, rows, &mut report)?;
        }
        Ok(report)
    }

    fn send_server_batch(
        &mut self,
        server_id: i64,
        rows: Vec<OutboxRow>,
        report: &mut FlushReport,
    ) -> Result<(), AppError> {
        let server = self
            .ledger_mut()
            .read(|tx| tx.mail_server(server_id))?
            .ok_or_else(|| AppError::Mail(MailError::UnknownMailServer(server_id.to_string())))?;
        let mailer = match self
            .server_settings(&server)
            .and_then(|settings| settings.mailer().map_err(|e| e.to_string()))
        {
            Ok(mailer) => mailer,
            Err(reason) => {
                // Settings that cannot work (a lost password, a bad CA file): retry later,
                // the failure says why.
                let outcomes = rows
                    .into_iter()
                    .map(|row| (row, Delivery::Temporary(reason.clone())))
                    .collect();
                return self.record_deliveries(outcomes, report);
            }
        };
        let dkim = self.dkim_config(&server.from_address)?;
        let sender = Sender {
            name: server.from_name.clone(),
            address: server.from_address.clone(),
        };
        // The ledger is read here, one message after the other, while the pool's threads
        // already compose (templates, PDF, DKIM) and send the first ones; the outcomes are
        // written here once everything due is handed out.
        let n_threads = (POOL_SIZE as usize).min(rows.len());
        let (jobs_tx, jobs) = mpsc::channel::<Job>();
        let jobs = Mutex::new(jobs);
        let (results_tx, results) = mpsc::channel();
        let mail = MailParts {
            sender: &sender,
            templates: server.templates.as_deref(),
            dkim: dkim.as_ref(),
        };
        std::thread::scope(|scope| -> Result<(), AppError> {
            for _ in 0..n_threads {
                let (jobs, mailer, results_tx) = (&jobs, &mailer, results_tx.clone());
                scope.spawn(move || compose_and_send(jobs, mailer, &results_tx, mail));
            }
            drop(results_tx);
            let handed_out = self.hand_out(rows, &jobs_tx);
            drop(jobs_tx);
            // Group commit: the outcomes that arrived while the previous ones were being
            // written go into one transaction (one fsync for many messages, not one each).
            while let Ok(first) = results.recv() {
                let mut outcomes = vec![first];
                outcomes.extend(results.try_iter());
                self.record_deliveries(outcomes, report)?;
            }
            handed_out
        })
    }

    /// Hands each due message to the pool with its receipt and customer, until one cannot be
    /// read (that error is returned; what was handed out is still sent) or the pool is gone.
    fn hand_out(&mut self, rows: Vec<OutboxRow>, jobs: &mpsc::Sender<Job>) -> Result<(), AppError> {
        for row in rows {
            let lang = Lang::from_code(&row.lang).unwrap_or_default();
            let receipt = self.receipt(row.order_id, lang)?;
            let customer_name = self
                .ledger_mut()
                .read(|tx| tx.order_mail_facts(row.order_id))?
                .and_then(|facts| facts.customer_name);
            if jobs.send((row, receipt, customer_name, lang)).is_err() {
                break;
            }
        }
        Ok(())
    }

    /// Writes each message's attempt and its journal entry, all in one transaction.
    ///
    /// A crash before the commit loses only the record of these attempts: the messages stay
    /// due and are sent again (at least once, never silently dropped; the Message-ID is kept
    /// across retries so a receiver can tell a repeat).
    fn record_deliveries(
        &mut self,
        outcomes: Vec<(OutboxRow, Delivery)>,
        report: &mut FlushReport,
    ) -> Result<(), AppError> {
        let now = Local::now();
        let at = now_text();
        let mut attempts = Vec::with_capacity(outcomes.len());
        for (row, delivery) in &outcomes {
            let (outcome, next) = match delivery {
                Delivery::Sent(_) => ("sent", None),
                Delivery::Permanent(_) => ("failed", None),
                Delivery::Temporary(_) if row.attempts + 1 >= MAX_TEMPORARY_ATTEMPTS => {
                    ("failed", None)
                }
                Delivery::Temporary(_) => {
                    let wait = backoff_secs(row.attempts + 1);
                    ("retry", Some((now + Duration::seconds(wait)).to_rfc3339()))
                }
            };
            let reply = delivery.reply();
            match outcome {
                "sent" => {
                    tracing::info!(
                        mail = row.id,
                        order = row.order_id.get(),
                        "ticket mail sent"
                    );
                }
                "retry" => tracing::warn!(mail = row.id, %reply, "ticket mail will be retried"),
                _ => tracing::error!(mail = row.id, %reply, "ticket mail failed"),
            }
            attempts.push((row, outcome, reply, next));
        }
        self.ledger_mut().transact(|tx| {
            for (row, outcome, reply, next) in &attempts {
                tx.insert_mail_attempt(row.id, outcome, reply, next.as_deref(), &at)?;
                let kind = match *outcome {
                    "sent" => JournalKind::MailSent,
                    "retry" => JournalKind::MailRetry,
                    _ => JournalKind::MailFailed,
                };
                tx.append_journal(
                    kind,
                    None,
                    Some(row.order_id),
                    &serde_json::json!({"mail_id": row.id, "to": row.to_address, "reply": reply,
                        "next_attempt_at": next}),
                )?;
            }
            Ok::<_, AppError>(())
        })?;
        // Reported only once written.
        for (row, outcome, _, _) in &attempts {
            match *outcome {
                "sent" => report.sent.push(row.id),
                "retry" => report.retrying.push(row.id),
                _ => report.failed.push(row.id),
            }
        }
        Ok(())
    }
}
