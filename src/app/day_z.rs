//! The day's Z report (issue 13): one per register per trading day, numbered gaplessly.
//!
//! A shift's close (`shift close`) keeps its own report, as before. The day's Z covers every
//! shift opened on one trading day (the local date the shift opened, so a shift past midnight
//! stays in the day it began) and is made once, in one of three ways:
//! - at the day's last close (`shift close --end-of-day`), in the close's transaction;
//! - by `shift end-day [--day YYYY-MM-DD]` when every shift of the day is closed;
//! - for a day left without one, when the first shift of a later day opens (in its transaction).
//!
//! It is the sum of the day's shift reports as they were stored at each close, which never
//! change, so an X report or anything done after a close cannot change it. Once a day has its
//! Z, no shift opens on that day again (the database refuses it, migration 0017).

use serde::{Deserialize, Serialize};

use super::services::require;
use super::shifts::{JournalHead, ShiftReport, TenderLine, VatLine, now};
use super::{AdminError, AppError, Services, Session, ShiftError};
use crate::domain::JournalKind;
use crate::domain::ids::UserId;
use crate::domain::{Money, Permission};
use crate::ledger::{AuditFigures, ClosedShift, NewDayZ, Tx};

/// What makes a report the day's Z: the trading day and what it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInfo {
    /// YYYY-MM-DD, the local date the day's shifts opened.
    pub trading_day: String,
    /// The shifts of the day, in order.
    pub shifts: Vec<i64>,
    /// The numbers of their close reports, in the same order.
    pub shift_reports: Vec<i64>,
}

fn internal(error: impl ToString) -> AppError {
    AppError::Admin(AdminError::Internal(error.to_string()))
}

/// The local date of an RFC 3339 local time (how shifts' `opened_at` are written).
pub(super) fn trading_day_of(opened_at: &str) -> String {
    opened_at.get(..10).unwrap_or(opened_at).to_string()
}

/// Adds `(key, values…)` into a list keyed by `key`.
fn add_keyed<K: PartialEq + Clone, V: Copy + std::ops::AddAssign, const N: usize>(
    list: &mut Vec<(K, [V; N])>,
    key: &K,
    values: [V; N],
) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, sums)) => {
            for (sum, value) in sums.iter_mut().zip(values) {
                *sum += value;
            }
        }
        None => list.push((key.clone(), values)),
    }
}

fn add_option(sum: Option<Money>, value: Option<Money>) -> Option<Money> {
    match (sum, value) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// The sum of the day's § 2-8-2 figures; the grand totals are the last shift's (they run
/// since the register began).
fn sum_audit(parts: &[&AuditFigures]) -> AuditFigures {
    let mut groups: Vec<((i64, String), [i64; 2])> = Vec::new();
    let mut operators: Vec<((i64, String), [i64; 2])> = Vec::new();
    let mut operator_tenders: Vec<((i64, String), [i64; 2])> = Vec::new();
    let mut payments: Vec<(String, [i64; 2])> = Vec::new();
    let mut total = AuditFigures::default();
    for audit in parts {
        for (id, name, tickets, gross) in &audit.per_group {
            add_keyed(&mut groups, &(*id, name.clone()), [*tickets, *gross]);
        }
        for (id, name, orders, gross) in &audit.per_operator {
            add_keyed(&mut operators, &(*id, name.clone()), [*orders, *gross]);
        }
        for (user, tender, count, cents) in &audit.per_operator_tender {
            add_keyed(
                &mut operator_tenders,
                &(*user, tender.clone()),
                [*count, *cents],
            );
        }
        for (tender, count, cents) in &audit.payments {
            add_keyed(&mut payments, tender, [*count, *cents]);
        }
        total.copies += audit.copies;
        total.copies_cents += audit.copies_cents;
        total.training_orders += audit.training_orders;
        total.training_cents += audit.training_cents;
        total.refunds += audit.refunds;
        total.refunds_cents += audit.refunds_cents;
        total.corrections += audit.corrections;
        total.grand_total_sales_cents = audit.grand_total_sales_cents;
        total.grand_total_refunds_cents = audit.grand_total_refunds_cents;
    }
    groups.sort_by_key(|((id, _), _)| *id);
    operators.sort_by_key(|((id, _), _)| *id);
    operator_tenders.sort();
    payments.sort();
    total.per_group = groups
        .into_iter()
        .map(|((id, name), [tickets, gross])| (id, name, tickets, gross))
        .collect();
    total.per_operator = operators
        .into_iter()
        .map(|((id, name), [orders, gross])| (id, name, orders, gross))
        .collect();
    total.per_operator_tender = operator_tenders
        .into_iter()
        .map(|((user, tender), [count, cents])| (user, tender, count, cents))
        .collect();
    total.payments = payments
        .into_iter()
        .map(|(tender, [count, cents])| (tender, count, cents))
        .collect();
    total
}

/// The day's Z from its shifts' close reports (at least one): sums, the first opening, the
/// receipt range; numbered, closed and headed by the caller.
pub(super) fn day_report(day: &str, closed: &[ClosedShift]) -> Result<ShiftReport, AppError> {
    let reports: Vec<ShiftReport> = closed
        .iter()
        .map(|(_, _, content)| serde_json::from_str(content).map_err(internal))
        .collect::<Result<_, _>>()?;
    let (Some(first), Some(last)) = (reports.first(), reports.last()) else {
        return Err(AppError::Shift(ShiftError::NoShiftsOnDay(day.to_string())));
    };
    let mut total = first.clone();
    total.kind = "Z".into();
    total.number = None;
    total.shift_id = last.shift_id;
    total.closed_by = None;
    total.closed_at = None;
    total.journal_head = None;
    total.day_z = None;
    add_day_sums(&mut total, &reports);
    add_day_lines(&mut total, &reports);
    let audits: Vec<&AuditFigures> = reports.iter().filter_map(|r| r.audit.as_ref()).collect();
    total.audit = (!audits.is_empty()).then(|| sum_audit(&audits));
    total.day = Some(DayInfo {
        trading_day: day.to_string(),
        shifts: closed.iter().map(|(shift, _, _)| *shift).collect(),
        shift_reports: closed.iter().map(|(_, number, _)| *number).collect(),
    });
    Ok(total)
}

/// The day's single figures: the sums of the shifts', the receipt range, the card reconciliations.
fn add_day_sums(total: &mut ShiftReport, reports: &[ShiftReport]) {
    let sum = |f: fn(&ShiftReport) -> i64| reports.iter().map(f).sum::<i64>();
    let money = |f: fn(&ShiftReport) -> Money| reports.iter().map(f).sum::<Money>();
    total.float_cents = money(|r| r.float_cents);
    total.orders = sum(|r| r.orders);
    total.tickets = sum(|r| r.tickets);
    total.gross_cents = money(|r| r.gross_cents);
    total.receipts = sum(|r| r.receipts);
    total.cash_in_cents = money(|r| r.cash_in_cents);
    total.cash_out_cents = money(|r| r.cash_out_cents);
    total.drawer_opens = sum(|r| r.drawer_opens);
    total.cash_rounding_cents = money(|r| r.cash_rounding_cents);
    total.refund_rounding_cents = money(|r| r.refund_rounding_cents);
    total.first_receipt = reports.iter().filter_map(|r| r.first_receipt).min();
    total.last_receipt = reports.iter().filter_map(|r| r.last_receipt).max();
    total.card_reconciliations = reports
        .iter()
        .flat_map(|r| r.card_reconciliations.iter().cloned())
        .collect();
}

/// The day's lists: tenders, VAT rates and the counted cash summed by key; the comments.
fn add_day_lines(total: &mut ShiftReport, reports: &[ShiftReport]) {
    let mut tenders: Vec<TenderLine> = Vec::new();
    let mut vat: Vec<(i64, [Money; 3])> = Vec::new();
    let mut count: Vec<(Money, [i64; 1])> = Vec::new();
    let mut comments = Vec::new();
    for report in reports {
        for tender in &report.tenders {
            match tenders.iter_mut().find(|t| t.tender == tender.tender) {
                Some(sum) => {
                    sum.sales_cents += tender.sales_cents;
                    sum.refunds_cents += tender.refunds_cents;
                    sum.expected_cents += tender.expected_cents;
                    sum.counted_cents = add_option(sum.counted_cents, tender.counted_cents);
                    sum.variance_cents = add_option(sum.variance_cents, tender.variance_cents);
                }
                None => tenders.push(tender.clone()),
            }
        }
        for line in &report.vat {
            add_keyed(
                &mut vat,
                &line.vat_basis_points,
                [line.net_cents, line.vat_cents, line.gross_cents],
            );
        }
        for line in &report.count {
            add_keyed(&mut count, &line.denomination_cents, [line.pieces]);
        }
        if let Some(comment) = &report.comment {
            comments.push(format!("shift {}: {comment}", report.shift_id));
        }
    }
    // Cash first (the drawer), the other tenders in name order, as a shift's report has them.
    tenders.sort_by(|a, b| (a.tender != "cash", &a.tender).cmp(&(b.tender != "cash", &b.tender)));
    vat.sort_by_key(|(rate, _)| *rate);
    count.sort_by_key(|(value, _)| std::cmp::Reverse(*value));
    total.tenders = tenders;
    total.vat = vat
        .into_iter()
        .map(|(rate, [net, tax, gross])| VatLine {
            vat_basis_points: rate,
            net_cents: net,
            vat_cents: tax,
            gross_cents: gross,
        })
        .collect();
    total.count = count
        .into_iter()
        .map(|(value, [pieces])| super::shifts::CountLine {
            denomination_cents: value,
            pieces,
        })
        .collect();
    total.comment = (!comments.is_empty()).then(|| comments.join("; "));
}

/// Makes, numbers, stores and journals the Z of `day` (every shift of it closed) in `tx`.
pub(super) fn make_day_z(
    tx: &mut Tx<'_>,
    user_id: UserId,
    closed_by: &str,
    day: &str,
) -> Result<ShiftReport, AppError> {
    if let Some(number) = tx.day_z_number(day)? {
        return Err(AppError::Shift(ShiftError::DayClosed {
            day: day.to_string(),
            number,
        }));
    }
    let (closed, open) = tx.shifts_of_day(day)?;
    if open {
        return Err(AppError::Shift(ShiftError::DayShiftOpen(day.to_string())));
    }
    let mut report = day_report(day, &closed)?;
    let now = now();
    report.closed_by = Some(closed_by.to_string());
    report.closed_at = Some(now.clone());
    report.journal_head = tx.journal_head()?.map(|entry| JournalHead {
        seq: entry.seq,
        hash: entry.hash,
    });
    let content = serde_json::to_value(&report).map_err(internal)?;
    let (number, stored) = tx.insert_day_z(&NewDayZ {
        trading_day: day,
        first_shift_id: closed.first().map_or(0, |c| c.0),
        last_shift_id: closed.last().map_or(0, |c| c.0),
        shifts: closed.len() as i64,
        closed_by: user_id,
        closed_at: &now,
        first_receipt: report.first_receipt,
        last_receipt: report.last_receipt,
        content: &content,
    })?;
    report.number = Some(number);
    tx.append_journal(JournalKind::DayZ, Some(user_id), None, &stored)?;
    Ok(report)
}

/// Makes the Z of every trading day up to and including `last` that has shifts and no Z yet,
/// oldest first (a day is never left behind a later one).
pub(super) fn make_day_zs_through(
    tx: &mut Tx<'_>,
    user_id: UserId,
    closed_by: &str,
    last: &str,
) -> Result<Vec<ShiftReport>, AppError> {
    let mut made = Vec::new();
    for day in tx.days_without_z()? {
        if day.as_str() > last {
            break;
        }
        made.push(make_day_z(tx, user_id, closed_by, &day)?);
    }
    Ok(made)
}

impl Services {
    /// Ends a trading day: the Z of `day` (default: the newest day with shifts and no Z yet),
    /// and first of any earlier day left without one. Every shift of those days must be closed.
    pub fn end_day(
        &mut self,
        session: &Session,
        day: Option<&str>,
    ) -> Result<Vec<ShiftReport>, AppError> {
        if let Some(day) = day
            && chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err()
        {
            return Err(AppError::Admin(AdminError::BadDate(day.to_string())));
        }
        let made = self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::CloseShift, "end the trading day")?;
            let day = match day {
                Some(day) => day.to_string(),
                None => tx
                    .days_without_z()?
                    .pop()
                    .ok_or(AppError::Shift(ShiftError::NoDayToEnd))?,
            };
            if let Some(number) = tx.day_z_number(&day)? {
                return Err(AppError::Shift(ShiftError::DayClosed { day, number }));
            }
            if tx.shifts_of_day(&day)?.0.is_empty() && !tx.shifts_of_day(&day)?.1 {
                return Err(AppError::Shift(ShiftError::NoShiftsOnDay(day)));
            }
            make_day_zs_through(tx, user.id, &user.name, &day)
        })?;
        self.anchor_batch();
        Ok(made)
    }

    /// A day's Z report by number.
    pub fn day_z_report(
        &mut self,
        session: &Session,
        number: i64,
    ) -> Result<ShiftReport, AppError> {
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Sell, "see a Z report")?;
            let content = tx
                .day_z(number)?
                .ok_or(AppError::Shift(ShiftError::UnknownZReport(number)))?;
            serde_json::from_value(content).map_err(internal)
        })
    }
}
