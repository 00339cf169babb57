//! The counter's bank payment: the tickets held as a reservation due today, the local listener
//! serving the auto-submitting form to the customer's browser, and the wait for its return (or
//! the payment query when it does not come back).

use super::*;
use crate::app::status_fact::BANK_REPLY_DETAIL;

impl Services {
    /// Starts a bank payment at the counter: the tickets are held (a reservation due today), the
    /// local listener is up and serves the auto-submitting form for the customer's browser.
    pub fn start_counter_payment(
        &mut self,
        session: &Session,
        sale: &SaleRequest,
    ) -> Result<CounterPayment, AppError> {
        let config = self.bank_config()?;
        let today = bank_today();
        let secret = config.signing_key(today)?;
        let customer_lang = session.lang;
        let listener = CounterListener::start(page_texts(customer_lang)).map_err(|e| {
            AppError::Bank(BankError::Link(format!(
                "cannot start the local listener: {e}"
            )))
        })?;
        let reservation = self.reserve(
            session,
            &ReservationRequest {
                sale: sale.clone(),
                customer_phone: None,
                due_date: Some(today),
            },
            "counter",
        )?;
        let fields = payment_form(
            &secret,
            &PaymentRequest {
                merchant: &config.settings.merchant,
                amount: Money::from_cents(reservation.total_cents),
                reference: &reservation.reference,
                ok_url: &listener.ok_url(),
                cancel_url: &listener.cancel_url(),
                due_date: &due_date_text(today),
                language: bank_language(customer_lang),
            },
        );
        let payment_url = self.payment_page_url(&config.settings);
        listener.set_form_page(auto_submit_page(
            &payment_url,
            &fields,
            &page_texts(customer_lang),
        ));
        Ok(CounterPayment {
            reservation,
            listener,
            mail_tickets: sale.mail_tickets,
        })
    }

    /// The bank's payment page the browser is sent to: the primary, or the alternative when the
    /// primary cannot be reached (checked with a short connection attempt; said on the status screen).
    fn payment_page_url(&mut self, settings: &BankSettingsRow) -> String {
        let Some(alternative) = &settings.payment_url_alt else {
            return settings.payment_url.clone();
        };
        match crate::app::support::probe_url(&settings.payment_url) {
            Ok(_) => settings.payment_url.clone(),
            Err(error) => {
                tracing::warn!(%error, "the bank's payment page is unreachable; using the alternative");
                self.note_status(
                    STATUS_BANK_PAYMENT,
                    false,
                    &super::fact::BankFact::PageAlternative {
                        error: error.to_string(),
                        alternative: alternative.clone(),
                    }
                    .recorded(),
                );
                alternative.clone()
            }
        }
    }

    /// Waits for the customer's browser to come back, then settles: a verified reply sells, a
    /// cancel or the deadline asks the bank (paid → sold, not paid → seats given back).
    pub fn finish_counter_payment(
        &mut self,
        session: &Session,
        payment: &CounterPayment,
        wait: Duration,
        cancel: &AtomicBool,
        mut progress: impl FnMut(CounterProgress),
    ) -> Result<CounterOutcome, AppError> {
        let deadline = Instant::now() + wait;
        let reference = payment.reservation.reference.clone();
        let cashier_cancelled = loop {
            if cancel.load(Ordering::SeqCst) {
                break true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break false;
            }
            match payment.listener.wait(left.min(Duration::from_millis(200))) {
                None => continue,
                Some(BankReturn::Ok(query)) => {
                    match self.settle_reply(session, &query, payment.mail_tickets) {
                        Ok(recorded) => {
                            self.note_status(STATUS_BANK_PAYMENT, true, BANK_REPLY_DETAIL);
                            return Ok(CounterOutcome::Paid(recorded));
                        }
                        Err(AppError::Bank(BankError::ReservationEnded { .. })) => break false,
                        Err(error) => {
                            let text = error.to_string();
                            tracing::warn!(reference = %reference, error = %text, "bank reply refused");
                            self.note_status(
                                STATUS_BANK_PAYMENT,
                                false,
                                &super::fact::BankFact::ReplyRefused {
                                    error: text.clone(),
                                }
                                .recorded(),
                            );
                            progress(CounterProgress::Rejected(text));
                        }
                    }
                }
                Some(BankReturn::Cancel(_)) => break false,
            }
        };
        // Cancelled, or the browser never came back: only the bank knows whether money moved.
        let when_paid = WhenPaid::Counter {
            mail_tickets: payment.mail_tickets,
        };
        let (check, recorded) = self.check_with_bank(session, &reference, when_paid)?;
        match check.outcome.as_str() {
            "paid" => Ok(CounterOutcome::Paid(recorded.unwrap_or(
                crate::app::Recorded {
                    order_number: check.order_number.unwrap_or_default(),
                    mail: None,
                },
            ))),
            "open" => {
                let reservation = self.reservation(&reference)?;
                let reason = if cashier_cancelled {
                    "cancelled by the cashier; the bank has no payment"
                } else {
                    "cancelled at the bank; the bank has no payment"
                };
                self.end_unpaid(session, &reservation, ("cancelled", reason))?;
                Ok(CounterOutcome::NotPaid(reason.to_string()))
            }
            _ => Ok(CounterOutcome::Unsettled(check.detail)),
        }
    }
}
