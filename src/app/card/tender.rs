//! The card as a tender: a sale paid (partly) by card, and a refund to the order's card tender;
//! the terminal is asked first and a ledger failure afterwards reverses it.

use super::*;
use crate::domain::ids::OrderNumber;

impl Services {
    /// Sells with a card (and cash for the part `split` gives it): the card first, then the
    /// sale in one transaction. If the sale cannot complete after the approval, the payment is
    /// reversed and the cashier told.
    pub fn sell_with_card(
        &mut self,
        session: &Session,
        request: &SaleRequest,
        terminal: Option<&str>,
        split: Split,
        progress: &mut CardProgress<'_>,
    ) -> Result<SaleOutcome, AppError> {
        // What the sale would refuse is refused before the card is charged.
        self.require_shared_ledger()?;
        if let Some(email) = request.customer_email.as_deref().map(str::trim)
            && !email.is_empty()
            && !crate::app::services::valid_email(email)
        {
            return Err(AppError::Sale(SaleError::InvalidEmail(email.to_string())));
        }
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Sell, "sell")?;
            tx.open_shift()?
                .ok_or(AppError::Shift(ShiftError::NoOpenShift))
                .map(|_| ())
        })?;
        let total = self.quote(request)?;
        let card = match (split.card, split.cash) {
            (Some(card), _) => card,
            (None, Some(cash)) => total - cash,
            (None, None) => total,
        };
        if card.cents() <= 0 || card > total {
            return Err(AppError::Card(CardError::CardAmount { card, total }));
        }
        let cash_due = total - card;
        if request.tendered < cash_due {
            return Err(AppError::Sale(SaleError::InsufficientTender {
                missing: cash_due - request.tendered,
            }));
        }
        let terminal = self.terminal(terminal)?;
        let (service_id, approval) = self.card_payment(
            session,
            &terminal,
            PaymentKind::Purchase,
            card,
            None,
            progress,
        )?;
        let last4 = last4(&approval.masked_pan);
        let tender = CardTender {
            service_id: &service_id,
            amount_cents: approval.authorized_cents,
            card_last4: last4.as_deref(),
        };
        let recorded = if approval.authorized_cents == card.cents() {
            self.record_sale(session, request, std::slice::from_ref(&tender))
        } else {
            Err(AppError::Card(CardError::CardAmount {
                card: Money::from_cents(approval.authorized_cents),
                total: card,
            }))
        };
        self.after_card_sale(session, service_id, recorded)
    }

    /// What follows the sale's transaction after the card approval: the sale completed, or the
    /// approval reversed, or (the ledger out of reach) left for the resolution.
    fn after_card_sale(
        &mut self,
        session: &Session,
        service_id: String,
        recorded: Result<(crate::ledger::SaleRecord, Option<crate::app::QueuedMail>), AppError>,
    ) -> Result<SaleOutcome, AppError> {
        match recorded {
            Ok((record, mail)) => {
                tracing::info!(order = record.order_number.get(), attempt = %service_id, "card sale committed");
                self.complete(session, crate::app::Recorded::new(&record, mail))
            }
            Err(error @ AppError::Ledger(crate::ledger::LedgerError::Unreachable { .. })) => {
                // The commit's fate is unknown (the operation id could not be asked): reversing
                // now could undo a recorded sale. The approval stays for the resolution, which
                // reverses it only if no sale settled it.
                tracing::warn!(attempt = %service_id, %error, "the shared ledger went away after the card approval: left for the resolution");
                if let Err(release) = self.release(&service_id) {
                    tracing::warn!(attempt = %service_id, %release, "the claim is left to run out");
                }
                Err(AppError::Card(CardError::CardSaleUnresolved {
                    sale: Box::new(error),
                    attempt: service_id,
                }))
            }
            Err(error) => {
                tracing::warn!(attempt = %service_id, %error, "the sale failed after the card approval: reversing");
                Err(self.reverse_after_failure(session, service_id, error))
            }
        }
    }

    /// A refund by the order's tender: cash or bank as [`Services::refund`] does, and an order
    /// paid (partly) by card to its card tender through the terminal.
    pub fn refund_by_tender(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        order_number: OrderNumber,
        request: &crate::app::RefundRequest,
        reason: &str,
        progress: &mut CardProgress<'_>,
    ) -> Result<crate::app::RefundOutcome, AppError> {
        match self.refund(session, authoriser, order_number, request, reason) {
            Err(AppError::Sale(SaleError::TenderNeedsLink(tenders)))
                if tenders.iter().any(|t| t == "card") =>
            {
                self.refund_card(session, authoriser, order_number, request, reason, progress)
            }
            other => other,
        }
    }

    /// A refund to the order's card tender through the terminal (PaymentType `Refund`): planned
    /// in the ledger, run on the terminal that took the payment, then recorded.
    /// If recording fails after the terminal refunded, the refund is reversed on the terminal.
    pub fn refund_card(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        order_number: OrderNumber,
        request: &crate::app::RefundRequest,
        reason: &str,
        progress: &mut CardProgress<'_>,
    ) -> Result<crate::app::RefundOutcome, AppError> {
        let plan = self.refund_with(
            session,
            authoriser,
            order_number,
            request,
            reason,
            Some(&CardRefundStep::Plan),
        )?;
        let amount = plan.amount_cents;
        let paid_on = self
            .ledger_mut()
            .read(|tx| tx.order_card_payments(order_number))?
            .into_iter()
            .next()
            .map(|a| a.terminal);
        let terminal = self.terminal(paid_on.as_deref())?;
        let (service_id, approval) = self.card_payment(
            session,
            &terminal,
            PaymentKind::Refund,
            amount,
            Some(order_number),
            progress,
        )?;
        let step = CardRefundStep::Record {
            service_id: service_id.clone(),
            amount: Money::from_cents(approval.authorized_cents),
        };
        match self.refund_with(
            session,
            authoriser,
            order_number,
            request,
            reason,
            Some(&step),
        ) {
            Ok(outcome) => Ok(outcome),
            Err(error) => {
                tracing::warn!(attempt = %service_id, %error, "the refund failed after the terminal refunded: reversing");
                Err(self.reverse_after_failure(session, service_id, error))
            }
        }
    }

    /// What the terminal did is undone after the ledger refused to record it: the attempt is
    /// reversed (the error says so), or, when the reversal fails too, released for the
    /// start-up resolution with both errors named. Always an error: the one the cashier reads.
    fn reverse_after_failure(
        &mut self,
        session: &Session,
        service_id: String,
        error: AppError,
    ) -> AppError {
        let attempt = match self.ledger_mut().read(|tx| tx.card_attempt(&service_id)) {
            // Only an approval no sale or refund settled is undone.
            Ok(Some(attempt)) if attempt.state == "approved" => attempt,
            Ok(Some(attempt)) => {
                return AppError::Card(CardError::CardAttemptResolved(attempt.state));
            }
            Ok(None) => return AppError::Card(CardError::UnknownCardAttempt(service_id)),
            Err(read) => return read.into(),
        };
        match self.reverse_attempt(&attempt, Some(session.user_id)) {
            Ok(()) => AppError::Card(CardError::CardSaleReversed(Box::new(error))),
            Err(reversal) => {
                if let Err(release) = self.release(&service_id) {
                    return release;
                }
                AppError::Card(CardError::CardSaleNotReversed {
                    sale: Box::new(error),
                    reversal: reversal.to_string(),
                    attempt: service_id,
                })
            }
        }
    }
}
