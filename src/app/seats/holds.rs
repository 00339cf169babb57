//! Seats held and let go: a cashier's cart (held for [`CART_HOLD_MINUTES`]) and a manager's
//! holds (press, artist, technical), each operation under its own operation id.

use super::*;

impl Services {
    /// Puts seats in a cashier's cart: held for [`CART_HOLD_MINUTES`] so that no other counter
    /// can take them. Seats already in this cart get a fresh expiry. All or nothing.
    pub fn hold_for_cart(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        token: &str,
        seats: &[SeatRef],
    ) -> Result<(), AppError> {
        let now = Utc::now();
        let now_text = utc_text(now);
        let expires = utc_text(now + Duration::minutes(CART_HOLD_MINUTES));
        // Its operation id, made once (as every seat operation's): a hold whose commit answer
        // was lost is found by it.
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.hold_for_cart_once(
                    session,
                    performance_id,
                    token,
                    seats,
                    (&now_text, &expires),
                    &operation,
                )
            },
            |_, _done| Ok(()),
        )
    }

    /// One attempt at [`Services::hold_for_cart`]'s transaction.
    fn hold_for_cart_once(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        token: &str,
        seats: &[SeatRef],
        (now_text, expires): (&str, &str),
        operation: &OperationId,
    ) -> Result<(), AppError> {
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Sell, "sell")?;
            purge_expired(tx, performance_id, now_text)?;
            let view = seating(tx, performance_id, now_text)?
                .ok_or(AppError::Seating(SeatProblem::NotSeated(performance_id)))?;
            let indices = resolve(&view.plan, seats)?;
            let mut taken = Vec::new();
            for &i in &indices {
                let seat = &view.plan.seats[i];
                tx.release_seat(performance_id, seat.id, "cart", Some(token))?;
                let ok = tx.occupy_seat(&NewOccupancy {
                    performance_id,
                    seat_id: seat.id,
                    kind: "cart",
                    ticket_id: None,
                    holder: Some(token),
                    user_id: Some(user.id),
                    expires_at: Some(expires),
                    now: now_text,
                })?;
                if !ok {
                    taken.push(seat.label());
                }
            }
            if !taken.is_empty() {
                return Err(AppError::Seating(SeatProblem::Taken(taken)));
            }
            tx.append_journal(
                JournalKind::SeatHold,
                Some(user.id),
                None,
                &json!({"performance_id": performance_id, "kind": "cart", "holder": token,
                        "expires_at": expires, "seats": seat_labels(&view.plan, &indices)}),
            )?;
            record_seats(
                tx,
                operation,
                "seat.hold",
                &seat_labels(&view.plan, &indices),
                now_text,
            )
        })
    }

    /// Takes seats out of a cashier's cart (all of the cart's seats when `seats` is empty).
    pub fn release_from_cart(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        token: &str,
        seats: &[SeatRef],
    ) -> Result<(), AppError> {
        let now_text = utc_text(Utc::now());
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.release_from_cart_once(
                    session,
                    performance_id,
                    token,
                    seats,
                    &now_text,
                    &operation,
                )
            },
            |_, _done| Ok(()),
        )
    }

    /// One attempt at [`Services::release_from_cart`]'s transaction.
    fn release_from_cart_once(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        token: &str,
        seats: &[SeatRef],
        now_text: &str,
        operation: &OperationId,
    ) -> Result<(), AppError> {
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Sell, "sell")?;
            let view = seating(tx, performance_id, now_text)?
                .ok_or(AppError::Seating(SeatProblem::NotSeated(performance_id)))?;
            let indices = if seats.is_empty() {
                (0..view.plan.seats.len())
                    .filter(|&i| view.states[i] == SeatState::Cart(token.to_string()))
                    .collect()
            } else {
                resolve(&view.plan, seats)?
            };
            let mut released = Vec::new();
            for &i in &indices {
                if tx.release_seat(performance_id, view.plan.seats[i].id, "cart", Some(token))? {
                    released.push(i);
                }
            }
            if !released.is_empty() {
                tx.append_journal(
                    JournalKind::SeatRelease,
                    Some(user.id),
                    None,
                    &json!({"performance_id": performance_id, "reason": "cart", "holder": token,
                            "seats": seat_labels(&view.plan, &released)}),
                )?;
            }
            record_seats(
                tx,
                operation,
                "seat.release",
                &seat_labels(&view.plan, &released),
                now_text,
            )
        })
    }

    /// A manager holds seats (press, artist, technical); they are released automatically
    /// `release_before_minutes` before the performance starts.
    pub fn hold_seats(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        seats: &[SeatRef],
        reason: &str,
        release_before_minutes: i64,
    ) -> Result<String, AppError> {
        let reason = reason.trim();
        if !HOLD_REASONS.contains(&reason) {
            return Err(AppError::Seating(SeatProblem::BadReason(
                reason.to_string(),
            )));
        }
        let now = Utc::now();
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                let request = (performance_id, seats, reason, release_before_minutes);
                services.hold_seats_once(session, request, now, &operation)
            },
            |_, done| {
                // Recorded: when the held seats go back on sale, as the hold said.
                let detail: serde_json::Value =
                    serde_json::from_str(done.detail.as_deref().unwrap_or("{}"))
                        .unwrap_or_default();
                Ok(detail["expires_at"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string())
            },
        )
    }

    /// One attempt at [`Services::hold_seats`]'s transaction.
    fn hold_seats_once(
        &mut self,
        session: &Session,
        (performance_id, seats, reason, release_before_minutes): (
            PerformanceId,
            &[SeatRef],
            &str,
            i64,
        ),
        now: chrono::DateTime<Utc>,
        operation: &OperationId,
    ) -> Result<String, AppError> {
        let now_text = utc_text(now);
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::HoldSeats, "hold seats")?;
            let performance = tx.performance(performance_id)?.ok_or(AppError::Sale(
                SaleError::UnknownPerformance(performance_id),
            ))?;
            let starts = DateTime::parse_from_rfc3339(&performance.starts_at)
                .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))?
                .with_timezone(&Utc);
            let release_at = starts - Duration::minutes(release_before_minutes.max(0));
            if release_at <= now {
                return Err(AppError::Seating(SeatProblem::TooLate));
            }
            let release_text = utc_text(release_at);
            purge_expired(tx, performance_id, &now_text)?;
            let view = seating(tx, performance_id, &now_text)?
                .ok_or(AppError::Seating(SeatProblem::NotSeated(performance_id)))?;
            let indices = resolve(&view.plan, seats)?;
            let mut taken = Vec::new();
            for &i in &indices {
                let ok = tx.occupy_seat(&NewOccupancy {
                    performance_id,
                    seat_id: view.plan.seats[i].id,
                    kind: "hold",
                    ticket_id: None,
                    holder: Some(reason),
                    user_id: Some(user.id),
                    expires_at: Some(&release_text),
                    now: &now_text,
                })?;
                if !ok {
                    taken.push(view.plan.seats[i].label());
                }
            }
            if !taken.is_empty() {
                return Err(AppError::Seating(SeatProblem::Taken(taken)));
            }
            tx.append_journal(
                JournalKind::SeatHold,
                Some(user.id),
                None,
                &json!({"performance_id": performance_id, "kind": "hold", "reason": reason,
                        "expires_at": release_text, "seats": seat_labels(&view.plan, &indices)}),
            )?;
            let detail =
                json!({"expires_at": release_text, "seats": seat_labels(&view.plan, &indices)});
            let recorded = Recorded {
                detail: Some(crate::ledger::canonical(&detail)),
                ..Default::default()
            };
            tx.record_operation(operation, "seat.hold", recorded, &now_text)?;
            Ok(release_text)
        })
    }

    /// A manager releases held seats so they can be sold.
    pub fn release_seats(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        seats: &[SeatRef],
    ) -> Result<(), AppError> {
        let now_text = utc_text(Utc::now());
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.release_seats_once(session, performance_id, seats, &now_text, &operation)
            },
            |_, _done| Ok(()),
        )
    }

    /// One attempt at [`Services::release_seats`]'s transaction.
    fn release_seats_once(
        &mut self,
        session: &Session,
        performance_id: PerformanceId,
        seats: &[SeatRef],
        now_text: &str,
        operation: &OperationId,
    ) -> Result<(), AppError> {
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::HoldSeats, "release seats")?;
            let view = seating(tx, performance_id, now_text)?
                .ok_or(AppError::Seating(SeatProblem::NotSeated(performance_id)))?;
            let indices = resolve(&view.plan, seats)?;
            for &i in &indices {
                if !tx.release_seat(performance_id, view.plan.seats[i].id, "hold", None)? {
                    return Err(AppError::Seating(SeatProblem::NotHeld(
                        view.plan.seats[i].label(),
                    )));
                }
            }
            tx.append_journal(
                JournalKind::SeatRelease,
                Some(user.id),
                None,
                &json!({"performance_id": performance_id, "reason": "manager",
                        "seats": seat_labels(&view.plan, &indices)}),
            )?;
            record_seats(
                tx,
                operation,
                "seat.release",
                &seat_labels(&view.plan, &indices),
                now_text,
            )
        })
    }
}

/// Writes a seat operation's id with the seats it held or let go.
fn record_seats(
    tx: &mut Tx<'_>,
    operation: &OperationId,
    kind: &str,
    seats: &[String],
    now: &str,
) -> Result<(), AppError> {
    let recorded = Recorded {
        detail: Some(crate::ledger::canonical(&json!({ "seats": seats }))),
        ..Default::default()
    };
    tx.record_operation(operation, kind, recorded, now)?;
    Ok(())
}
