//! Paying a reservation: the bank's verified reply or the payment query sells its tickets in one
//! transaction with its end. The payment carries an operation id (`reservation.pay`, made once on
//! the counter before the first attempt): when the answer to its `COMMIT` is lost, the counter asks
//! the ledger by the id and shows the order the payment recorded, never "already paid" and never a
//! second order. A reservation's end without a payment (past due, or cancelled at the counter)
//! carries one too.

use super::*;
use crate::ledger::operations::{OperationId, OperationRow, Recorded as Done};

impl Services {
    /// Sells a reservation's tickets as a bank-paid order, in one transaction with its end.
    /// With `mail_tickets` and an address the tickets are queued for mail in that transaction.
    pub(super) fn pay_reservation(
        &mut self,
        session: &Session,
        reservation: &ReservationRow,
        paid: (&str, Option<&str>),
        mail_tickets: bool,
    ) -> Result<crate::app::Recorded, AppError> {
        let now = now_text();
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.pay_reservation_once(
                    session,
                    reservation,
                    paid,
                    mail_tickets,
                    (&now, &operation),
                )
            },
            |services, done| services.recorded_payment(reservation, done),
        )
    }

    /// One attempt at [`Services::pay_reservation`]'s transaction.
    fn pay_reservation_once(
        &mut self,
        session: &Session,
        reservation: &ReservationRow,
        (source, pay_type): (&str, Option<&str>),
        mail_tickets: bool,
        (now, operation): (&str, &OperationId),
    ) -> Result<crate::app::Recorded, AppError> {
        let mail_to = reservation
            .customer_email
            .as_deref()
            .filter(|_| mail_tickets);
        let fiscal = self.fiscal.clone();
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Sell, "sell")?;
            let shift = tx
                .open_shift()?
                .ok_or(AppError::Shift(ShiftError::NoOpenShift))?;
            end_open(
                tx,
                reservation,
                "paid",
                Some(session.user_id),
                &format!("paid, learnt from the bank's {source}"),
                now,
            )?;
            let (record, seating) = insert_order(tx, session, reservation, shift.id, now)?;
            tx.record_reservation_payment(
                reservation.id,
                record.order_number,
                source,
                pay_type,
                reservation.total_cents,
                now,
            )?;
            let seating = seating
                .as_ref()
                .map(|(view, seats)| (view, seats.as_slice()));
            let mail = crate::app::sale::in_sale(
                tx,
                &record,
                seating,
                None,
                mail_to,
                session.user_id,
                now,
            )?;
            crate::app::fiscal::stamp_sale(tx, &fiscal, &record)?;
            // What a lost commit's retry gives back: the order and the mail queued with it.
            let done = Done {
                order: Some(record.order_number),
                shift_id: Some(shift.id),
                reservation_id: Some(reservation.id),
                detail: mail.as_ref().map(crate::app::sale::QueuedMail::detail),
                ..Default::default()
            };
            tx.record_operation(operation, "reservation.pay", done, now)?;
            Ok::<_, AppError>(crate::app::Recorded::new(&record, mail))
        })
    }

    /// Ends an open reservation nobody paid (`released` past its due date, `cancelled` at the
    /// counter when the bank has no payment) with an operation id (`reservation.release`, the
    /// kind of every end that gives the places back): after a lost commit answer the counter finds
    /// it recorded instead of saying the ledger could not be reached, or "already released".
    pub(super) fn end_unpaid(
        &mut self,
        session: &Session,
        reservation: &ReservationRow,
        (state, reason): (&str, &str),
    ) -> Result<(), AppError> {
        let now = now_text();
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.ledger_mut().transact(|tx| {
                    end_open(tx, reservation, state, Some(session.user_id), reason, &now)?;
                    let done = Done {
                        reservation_id: Some(reservation.id),
                        ..Default::default()
                    };
                    tx.record_operation(&operation, "reservation.release", done, &now)?;
                    Ok::<_, AppError>(())
                })
            },
            |_, _done| Ok(()),
        )
    }

    /// A payment the ledger already has (its commit went through although the answer was lost):
    /// the order it recorded, and the ticket mail queued with it.
    fn recorded_payment(
        &mut self,
        reservation: &ReservationRow,
        done: OperationRow,
    ) -> Result<crate::app::Recorded, AppError> {
        let order_number = done
            .order
            .filter(|_| done.kind == "reservation.pay")
            .filter(|_| done.reservation_id == Some(reservation.id))
            .ok_or_else(|| {
                AppError::Admin(AdminError::Internal(format!(
                    "the recorded payment of reservation {} names no order",
                    reservation.reference
                )))
            })?;
        let mail = self.queued_mail_of(&done)?;
        tracing::warn!(
            reference = %reservation.reference,
            order = order_number.get(),
            "the reservation's payment was recorded although its commit's answer was lost"
        );
        Ok(crate::app::Recorded { order_number, mail })
    }
}

/// The seats chosen for a paid reservation's tickets, on a seated performance.
type Seating = Option<(crate::app::seats::SeatingView, Vec<usize>)>;

/// The order a paid reservation becomes: its lines at the prices it was made with, the seats
/// best available for a seated performance, paid by bank. Its seating, for the sale's seats.
fn insert_order(
    tx: &mut Tx<'_>,
    session: &Session,
    reservation: &ReservationRow,
    shift_id: crate::domain::ids::ShiftId,
    now: &str,
) -> Result<(crate::ledger::SaleRecord, Seating), AppError> {
    let lines = reservation_lines(reservation);
    let n_tickets: u32 = lines.iter().map(|line| line.quantity).sum();
    let codes = crate::app::sale::ticket_codes(n_tickets);
    let training = tx.is_training()?;
    let seating =
        crate::app::seats::reservation_seats(tx, reservation.performance_id, n_tickets as usize)?;
    let seat_ids = seating
        .as_ref()
        .map(|(view, seats)| crate::app::seats::seat_ids(view, seats))
        .unwrap_or_default();
    let record = tx.insert_sale(&crate::ledger::NewSale {
        shift_id,
        user_id: session.user_id,
        performance_id: reservation.performance_id,
        lang: &reservation.lang,
        lines: &lines,
        ticket_codes: &codes,
        seats: &seat_ids,
        total_cents: reservation.total_cents,
        tender: Tender::Bank,
        tendered_cents: None,
        change_cents: None,
        card_last4: None,
        customer_name: reservation.customer_name.as_deref(),
        customer_email: reservation.customer_email.as_deref(),
        training,
        now,
    })?;
    Ok((record, seating))
}
