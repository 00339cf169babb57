//! Refunds (managers): whole order, chosen tickets or a partial amount, by the original tender.

use crate::app::{AdminError, BankError, CardError, RefundError, SaleError, ShiftError};
use crate::domain::Tender;
use crate::domain::ids::OrderNumber;
use chrono::Local;
use serde::Serialize;

use super::services::require_approved;
use super::{AppError, Services, Session};
use crate::domain::refund::{LineState, RefundScope, allocate};
use crate::domain::{Money, Permission, TicketCode, VatBasisPoints};
use crate::ledger::operations::{OperationId, OperationRow, Recorded};
use crate::ledger::{NewRefund, RefundableLine, ShiftRow, Tx, UserRow};

/// The reasons a refund may have.
pub const REFUND_REASONS: [&str; 5] = [
    "cancelled",
    "customer_request",
    "duplicate",
    "wrong_price",
    "other",
];

/// What the caller asks to refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundRequest {
    WholeOrder,
    Tickets(Vec<String>),
    Amount(Money),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundOutcome {
    pub order_number: OrderNumber,
    pub refund_id: i64,
    pub receipt_number: i64,
    /// The sale receipt this refund receipt names.
    pub original_receipt_number: Option<i64>,
    pub tender: Tender,
    pub amount_cents: Money,
    pub revoked_tickets: Vec<String>,
    pub refunded_before_cents: Money,
    pub refundable_left_cents: Money,
    /// For a bank payment: the reference to find it by in the bank's refund service, where the
    /// money itself is returned.
    pub bank_reference: Option<String>,
    /// Cash rounding of a cash refund (paid out − amount; the drawer gives coins that exist).
    #[serde(skip_serializing_if = "is_zero")]
    pub rounding_cents: Money,
}

fn is_zero(amount: &Money) -> bool {
    *amount == Money::ZERO
}

impl Services {
    /// Refunds by the order's original tender, from the open shift's drawer. A reason code from
    /// [`REFUND_REASONS`]; anything else is taken as `other` with that text.
    ///
    /// A user without the refund right (a cashier) may refund with a manager's approval given in
    /// place: `authoriser` is the manager's session, and the journal records both users.
    pub fn refund(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        order_number: OrderNumber,
        request: &RefundRequest,
        reason: &str,
    ) -> Result<RefundOutcome, AppError> {
        self.refund_with(session, authoriser, order_number, request, reason, None)
    }

    /// [`Services::refund`], or with `card` a refund to the order's card tender: planned first
    /// (nothing written, the outcome tells the amount), then recorded once the terminal approved
    /// that amount.
    pub(super) fn refund_with(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        order_number: OrderNumber,
        request: &RefundRequest,
        reason: &str,
        card: Option<&super::card::CardRefundStep>,
    ) -> Result<RefundOutcome, AppError> {
        let (reason_code, reason_text) = reason_code(reason)?;
        // The refund's operation id, made once: a retry after a conflict or a dropped connection
        // carries the same one, and after a dropped commit the ledger is asked by it first, so
        // a refund whose commit answer was lost is found rather than paid out twice.
        let operation = OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                let ask = RefundAsk {
                    session,
                    authoriser,
                    order_number,
                    request,
                    reason: (reason_code, &reason_text),
                    card,
                };
                services.refund_once(&ask, &operation)
            },
            |services, done| services.recorded_refund(&done),
        )
    }

    /// One attempt at [`Services::refund_with`]'s transaction.
    fn refund_once(
        &mut self,
        ask: &RefundAsk<'_>,
        operation: &OperationId,
    ) -> Result<RefundOutcome, AppError> {
        let now = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        self.ledger_mut().transact(|tx| {
            let plan = plan_refund(tx, ask)?;
            if let Some(super::card::CardRefundStep::Plan) = ask.card {
                return Ok(plan.outcome);
            }
            record_refund(tx, ask, plan, &now, operation)
        })
    }

    /// The outcome of a refund the ledger already has (found by its operation id after a lost
    /// commit answer), as the refund's own transaction gave it.
    fn recorded_refund(&mut self, done: &OperationRow) -> Result<RefundOutcome, AppError> {
        let internal = |what: &str| AppError::Admin(AdminError::Internal(what.to_string()));
        let (Some(order_number), Some(refund_id)) = (done.order, done.refund_id) else {
            return Err(internal("the recorded refund names no order or refund"));
        };
        self.ledger_mut().read(|tx| {
            let refunds = tx.refunds_of(order_number)?;
            let refund = refunds
                .iter()
                .find(|r| r.refund_id == refund_id)
                .ok_or_else(|| internal("the recorded refund is not in the ledger"))?;
            let before: i64 = refunds
                .iter()
                .filter(|r| r.refund_id < refund_id)
                .map(|r| r.amount_cents)
                .sum();
            let gross: i64 = tx
                .refundable_lines(order_number)?
                .iter()
                .map(|l| l.gross_cents)
                .sum();
            Ok(RefundOutcome {
                order_number,
                refund_id,
                receipt_number: refund.receipt_number.unwrap_or_default(),
                original_receipt_number: tx
                    .order_hit(order_number)?
                    .and_then(|hit| hit.receipt_number),
                tender: refund.tender,
                amount_cents: Money::from_cents(refund.amount_cents),
                revoked_tickets: refund.tickets.clone(),
                refunded_before_cents: Money::from_cents(before),
                refundable_left_cents: Money::from_cents(gross - before - refund.amount_cents),
                bank_reference: if refund.tender == Tender::Bank {
                    tx.bank_reference_of_order(order_number)?
                } else {
                    None
                },
                rounding_cents: Money::from_cents(tx.refund_rounding_cents(refund_id)?),
            })
        })
    }
}

/// The reason's code from [`REFUND_REASONS`], or `other` with the text as given.
fn reason_code(reason: &str) -> Result<(&'static str, String), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Shift(ShiftError::ReasonMissing));
    }
    Ok(match REFUND_REASONS.iter().find(|code| **code == reason) {
        Some(code) => (*code, String::new()),
        None => ("other", reason.to_string()),
    })
}

/// Money goes back the way it came: cash from the drawer; a bank payment in the bank's own
/// refund service (the box office records it, once, at most what was paid); a card to the card
/// when the terminal takes part. A tender without its link is refused with a sentence instead of
/// pretending. The tender, the permission it needs and the action's name for the refusal.
fn refund_tender(
    payments: &[(String, i64)],
    by_card: bool,
    card_paid: i64,
) -> Result<(Tender, Permission, &'static str), AppError> {
    Ok(match payments {
        _ if by_card && card_paid > 0 => (
            Tender::Card,
            Permission::RefundCard,
            "refund a card payment",
        ),
        [(tender, _)] if tender == "cash" => (Tender::Cash, Permission::RefundCash, "refund cash"),
        [(tender, _)] if tender == "bank" => (
            Tender::Bank,
            Permission::RefundBank,
            "refund a bank payment",
        ),
        _ => {
            return Err(AppError::Sale(SaleError::TenderNeedsLink(
                payments.iter().map(|(t, _)| t.clone()).collect(),
            )));
        }
    })
}

/// A ticket code as typed, normalised when it parses as one.
fn normalised_code(code: &str) -> String {
    TicketCode::parse(code)
        .map(|c| c.as_str().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// What the request refunds, in terms of the order's lines.
fn refund_scope(
    request: &RefundRequest,
    lines: &[RefundableLine],
) -> Result<RefundScope, AppError> {
    Ok(match request {
        RefundRequest::WholeOrder => RefundScope::WholeOrder,
        RefundRequest::Amount(amount) => RefundScope::Amount(*amount),
        RefundRequest::Tickets(codes) => {
            let mut line_ids = Vec::new();
            for code in codes {
                let wanted = normalised_code(code);
                if line_ids.iter().any(|(_, c): &(i64, String)| *c == wanted) {
                    return Err(AppError::Refund(RefundError::TicketTwice(code.clone())));
                }
                match lines
                    .iter()
                    .find(|l| l.valid_tickets.iter().any(|(_, c)| *c == wanted))
                {
                    Some(line) => line_ids.push((line.line_id, wanted)),
                    None => {
                        return Err(AppError::Refund(RefundError::TicketNotRefundable(
                            code.clone(),
                        )));
                    }
                }
            }
            RefundScope::Tickets(line_ids.iter().map(|(id, _)| *id).collect())
        }
    })
}

fn line_states(lines: &[RefundableLine]) -> Vec<LineState> {
    lines
        .iter()
        .map(|l| LineState {
            line_id: l.line_id,
            gross: Money::from_cents(l.gross_cents),
            refunded: Money::from_cents(l.refunded_cents),
            quantity: l.quantity,
            refunded_quantity: l.refunded_quantity,
            vat_rate: VatBasisPoints(l.vat_basis_points),
        })
        .collect()
}

fn allocation_error(error: crate::domain::refund::RefundError) -> AppError {
    match error {
        crate::domain::refund::RefundError::NothingLeft => {
            AppError::Refund(RefundError::AlreadyRefunded)
        }
        crate::domain::refund::RefundError::MoreThanPaid { refundable } => {
            AppError::Refund(RefundError::MoreThanPaid { refundable })
        }
        crate::domain::refund::RefundError::NotPositive => {
            AppError::Shift(ShiftError::NegativeAmount)
        }
    }
}

/// Which tickets go (their ids and codes): the chosen ones, or for the whole order every valid
/// ticket; none for an amount.
fn tickets_to_revoke(request: &RefundRequest, lines: &[RefundableLine]) -> (Vec<i64>, Vec<String>) {
    let ticket_ids: Vec<i64> = match request {
        RefundRequest::Tickets(codes) => codes
            .iter()
            .filter_map(|code| {
                let wanted = normalised_code(code);
                lines
                    .iter()
                    .flat_map(|l| &l.valid_tickets)
                    .find(|(_, c)| *c == wanted)
                    .map(|(id, _)| *id)
            })
            .collect(),
        RefundRequest::WholeOrder => lines
            .iter()
            .flat_map(|l| l.valid_tickets.iter().map(|(id, _)| *id))
            .collect(),
        RefundRequest::Amount(_) => Vec::new(),
    };
    let revoked: Vec<String> = lines
        .iter()
        .flat_map(|l| &l.valid_tickets)
        .filter(|(id, _)| ticket_ids.contains(id))
        .map(|(_, code)| code.clone())
        .collect();
    (ticket_ids, revoked)
}

/// A card refund goes only to the card tender, never more than it paid.
fn card_left_check(
    tx: &Tx<'_>,
    order_number: OrderNumber,
    card_paid: i64,
    amount: Money,
) -> Result<(), AppError> {
    let card_refunded: i64 = tx
        .refunds_of(order_number)?
        .iter()
        .filter(|r| r.tender == Tender::Card)
        .map(|r| r.amount_cents)
        .sum();
    let card_left = Money::from_cents(card_paid - card_refunded);
    if amount > card_left {
        return Err(AppError::Refund(RefundError::MoreThanPaid {
            refundable: card_left,
        }));
    }
    Ok(())
}

/// Cash paid out must be in the shift's drawer.
fn drawer_check(tx: &Tx<'_>, shift: &ShiftRow, paid_out: Money) -> Result<(), AppError> {
    let totals = tx.shift_totals(shift.id)?;
    let register_id = tx.register_id()?.to_string();
    let mut report = super::shifts::ShiftReport::for_totals(&register_id, shift, &totals);
    report.add_cash_rounding(tx)?;
    let in_drawer = report.expected_cash();
    if paid_out > in_drawer {
        return Err(AppError::Shift(ShiftError::NotEnoughInDrawer { in_drawer }));
    }
    Ok(())
}

/// What one refund asks for, as [`Services::refund_with`] was given it.
struct RefundAsk<'a> {
    session: &'a Session,
    authoriser: Option<&'a Session>,
    order_number: OrderNumber,
    request: &'a RefundRequest,
    /// The reason code and its text.
    reason: (&'a str, &'a str),
    card: Option<&'a super::card::CardRefundStep>,
}

/// A refund worked out inside its transaction, before anything is written.
struct RefundPlan {
    user: UserRow,
    approver: UserRow,
    shift: ShiftRow,
    tender: Tender,
    rows: Vec<(i64, i64, i64, i64)>,
    amount: Money,
    ticket_ids: Vec<i64>,
    outcome: RefundOutcome,
}

/// Who refunds what, from which tender and shift, and the outcome it will have.
fn plan_refund(tx: &Tx<'_>, ask: &RefundAsk<'_>) -> Result<RefundPlan, AppError> {
    let order_number = ask.order_number;
    let payments = tx.order_payments(order_number)?;
    let lines = tx.refundable_lines(order_number)?;
    if lines.is_empty() {
        return Err(AppError::Sale(SaleError::UnknownOrder(order_number)));
    }
    let card_paid = payments
        .iter()
        .filter(|(t, _)| t == "card")
        .map(|(_, cents)| *cents)
        .sum::<i64>();
    let (tender, permission, action) = refund_tender(&payments, ask.card.is_some(), card_paid)?;
    let (user, approver) = require_approved(tx, ask.session, ask.authoriser, permission, action)?;
    let shift = tx
        .open_shift()?
        .ok_or(AppError::Shift(ShiftError::NoOpenShift))?;
    let scope = refund_scope(ask.request, &lines)?;
    let states = line_states(&lines);
    let refunded_before: Money = states.iter().map(|l| l.refunded).sum();
    if tender == Tender::Bank && refunded_before > Money::ZERO {
        return Err(AppError::Bank(BankError::BankRefundOnce));
    }
    let refundable: Money = states.iter().map(LineState::remaining).sum();
    let allocation = allocate(&states, &scope).map_err(allocation_error)?;
    let amount: Money = allocation.iter().map(|r| r.amount).sum();
    let (ticket_ids, revoked_tickets) = tickets_to_revoke(ask.request, &lines);
    if tender == Tender::Card {
        card_left_check(tx, order_number, card_paid, amount)?;
    }
    let outcome = RefundOutcome {
        order_number,
        refund_id: 0,
        receipt_number: 0,
        original_receipt_number: None,
        tender,
        amount_cents: amount,
        revoked_tickets,
        refunded_before_cents: refunded_before,
        refundable_left_cents: refundable - amount,
        bank_reference: None,
        rounding_cents: Money::ZERO,
    };
    let rows = allocation
        .iter()
        .map(|r| (r.line_id, r.quantity, r.amount.cents(), r.vat.cents()))
        .collect();
    Ok(RefundPlan {
        user,
        approver,
        shift,
        tender,
        rows,
        amount,
        ticket_ids,
        outcome,
    })
}

/// Writes a planned refund: the card's settlement, the refund with its rounding, the operation.
fn record_refund(
    tx: &mut Tx<'_>,
    ask: &RefundAsk<'_>,
    plan: RefundPlan,
    now: &str,
    operation: &OperationId,
) -> Result<RefundOutcome, AppError> {
    let RefundPlan {
        user,
        approver,
        shift,
        tender,
        rows,
        amount,
        ticket_ids,
        mut outcome,
    } = plan;
    let order_number = ask.order_number;
    if let Some(super::card::CardRefundStep::Record {
        service_id,
        amount: approved,
    }) = ask.card
    {
        if *approved != amount {
            return Err(AppError::Card(CardError::CardAmount {
                card: *approved,
                total: amount,
            }));
        }
        tx.settle_card_refund(service_id, order_number, user.id, now)?;
    }
    let rounding = if tender == Tender::Cash {
        tx.currency()?.cash_rounding(Tender::Cash, amount)
    } else {
        Money::ZERO
    };
    if tender == Tender::Cash && amount > Money::ZERO {
        drawer_check(tx, &shift, amount + rounding)?;
    }
    let (reason_code, reason_text) = ask.reason;
    let record = tx.insert_refund(&NewRefund {
        order_id: order_number,
        shift_id: shift.id,
        user_id: user.id,
        authorised_by: approver.id,
        reason_code,
        reason_text,
        tender,
        amount_cents: amount.cents(),
        lines: &rows,
        ticket_ids: &ticket_ids,
        now,
    })?;
    if rounding != Money::ZERO {
        tx.insert_cash_rounding(
            order_number,
            Some(record.refund_id),
            shift.id,
            rounding.cents(),
            user.id,
            now,
        )?;
    }
    outcome.refund_id = record.refund_id;
    outcome.receipt_number = record.receipt_number;
    outcome.original_receipt_number = tx
        .order_hit(order_number)?
        .and_then(|hit| hit.receipt_number);
    if tender == Tender::Bank {
        outcome.bank_reference = tx.bank_reference_of_order(order_number)?;
    }
    outcome.rounding_cents = rounding;
    let recorded = Recorded {
        order: Some(order_number),
        refund_id: Some(record.refund_id),
        ..Default::default()
    };
    tx.record_operation(operation, "refund", recorded, now)?;
    Ok(outcome)
}
