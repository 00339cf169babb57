//! Shifts: open with a float, cash in/out, drawer opened without a sale, X report, close with a Z report.

use crate::app::{AdminError, ShiftError};
use crate::domain::JournalKind;
use crate::domain::ids::ShiftId;
use chrono::Local;
use serde::{Deserialize, Serialize};

use super::services::{require, require_approved};

mod text;
mod words;
use super::{AppError, Services, Session};
use crate::domain::drawer::DrawerCount;
use crate::domain::{Money, Permission};
use crate::ledger::{NewZReport, ShiftRow, ShiftTotals, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CashMovement {
    CashIn,
    CashOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderLine {
    pub tender: String,
    pub sales_cents: Money,
    pub refunds_cents: Money,
    /// What the drawer (cash) or the tender should hold at the end of the shift.
    pub expected_cents: Money,
    pub counted_cents: Option<Money>,
    pub variance_cents: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub vat_basis_points: i64,
    pub net_cents: Money,
    pub vat_cents: Money,
    pub gross_cents: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountLine {
    pub denomination_cents: Money,
    pub pieces: i64,
}

/// An X report (read-only, any time) or a Z report (closes the shift, numbered, immutable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftReport {
    pub kind: String,
    pub number: Option<i64>,
    pub register_id: String,
    pub shift_id: ShiftId,
    pub opened_by: String,
    pub opened_at: String,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub float_cents: Money,
    pub orders: i64,
    pub tickets: i64,
    pub gross_cents: Money,
    pub first_receipt: Option<i64>,
    pub last_receipt: Option<i64>,
    pub receipts: i64,
    pub tenders: Vec<TenderLine>,
    pub vat: Vec<VatLine>,
    pub cash_in_cents: Money,
    pub cash_out_cents: Money,
    pub drawer_opens: i64,
    pub count: Vec<CountLine>,
    pub comment: Option<String>,
    /// Card terminal reconciliations made during the shift: the terminal's totals, the
    /// ledger's and the difference.
    #[serde(default)]
    pub card_reconciliations: Vec<crate::ledger::CardReconciliationRow>,
    /// Cash rounding of the shift's cash sales (what the drawer got above or below the lines'
    /// totals); included in the cash tender's sales and expected cash.
    #[serde(default)]
    pub cash_rounding_cents: Money,
    /// Cash rounding of the shift's cash refunds (included in the cash tender's refunds).
    #[serde(default)]
    pub refund_rounding_cents: Money,
    /// What Norway's § 2-8-2 asks beyond the totals (groups, operators, copies, training,
    /// corrections, grand totals); absent in Z reports written before issue 13.
    #[serde(default)]
    pub audit: Option<crate::ledger::AuditFigures>,
    /// The head of the journal's hash chain when the report was made (for a Z report, the
    /// entry before its own): with the anchor, what proves the end of the money history.
    /// Absent in reports written before it was printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_head: Option<JournalHead>,
    /// The register's currency code when it is not the euro (`SEK`): the text writes amounts
    /// in it (`125,00 kr`). Absent for euro registers, as in reports written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Set on the day's Z report (issue 13): the trading day and the shifts it covers. A
    /// report without it is a shift's close (its `kind` stays "Z" and its `number` counts
    /// shift closes, as before the day's Z existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<super::day_z::DayInfo>,
    /// On a shift's close that ended the trading day (`shift close --end-of-day`): the day's
    /// Z report made with it. Never stored in the shift's own report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_z: Option<Box<ShiftReport>>,
}

/// A journal entry's sequence number and hash, as printed on X and Z reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHead {
    pub seq: i64,
    pub hash: String,
}

impl JournalHead {
    fn of(tx: &Tx<'_>) -> Result<Option<JournalHead>, AppError> {
        Ok(tx.journal_head()?.map(|entry| JournalHead {
            seq: entry.seq,
            hash: entry.hash,
        }))
    }
}

impl ShiftReport {
    /// The drawer's count, and the cash tender's counted amount and variance from it.
    fn set_count(&mut self, count: &DrawerCount) {
        self.count = count
            .pieces
            .iter()
            .map(|(value, pieces)| CountLine {
                denomination_cents: *value,
                pieces: *pieces,
            })
            .collect();
        let counted = count.total();
        if let Some(cash) = self.tenders.first_mut() {
            cash.counted_cents = Some(counted);
            cash.variance_cents = Some(counted - cash.expected_cents);
        }
    }

    pub(super) fn for_totals(
        register_id: &str,
        shift: &ShiftRow,
        totals: &ShiftTotals,
    ) -> ShiftReport {
        let tenders = tender_lines(shift, totals);
        ShiftReport {
            kind: "X".into(),
            number: None,
            register_id: register_id.to_string(),
            shift_id: shift.id,
            opened_by: shift.opened_by.clone(),
            opened_at: shift.opened_at.clone(),
            closed_by: None,
            closed_at: None,
            float_cents: Money::from_cents(shift.float_cents),
            orders: totals.orders,
            tickets: totals.tickets,
            gross_cents: Money::from_cents(totals.gross_cents),
            first_receipt: totals.first_receipt,
            last_receipt: totals.last_receipt,
            receipts: totals.receipts,
            tenders,
            vat: totals
                .per_rate
                .iter()
                .map(|(rate, net, vat, gross)| VatLine {
                    vat_basis_points: *rate,
                    net_cents: Money::from_cents(*net),
                    vat_cents: Money::from_cents(*vat),
                    gross_cents: Money::from_cents(*gross),
                })
                .collect(),
            cash_in_cents: Money::from_cents(totals.cash_in_cents),
            cash_out_cents: Money::from_cents(totals.cash_out_cents),
            drawer_opens: totals.drawer_opens,
            count: Vec::new(),
            comment: None,
            card_reconciliations: Vec::new(),
            cash_rounding_cents: Money::ZERO,
            refund_rounding_cents: Money::ZERO,
            audit: None,
            journal_head: None,
            currency: None,
            day: None,
            day_z: None,
        }
    }

    /// Adds the shift's cash rounding: its own figures, and in the cash tender's sales,
    /// refunds and expected cash (the payment rows hold the lines' amounts, the drawer the
    /// rounded ones).
    pub(super) fn add_audit_figures(
        &mut self,
        tx: &Tx<'_>,
        until: Option<&str>,
    ) -> Result<(), AppError> {
        self.audit = Some(tx.audit_figures(self.shift_id, &self.opened_at, until)?);
        Ok(())
    }

    pub(super) fn add_cash_rounding(&mut self, tx: &Tx<'_>) -> Result<(), AppError> {
        let (sales, refunds) = tx.shift_rounding_cents(self.shift_id)?;
        let (sales, refunds) = (Money::from_cents(sales), Money::from_cents(refunds));
        self.cash_rounding_cents = sales;
        self.refund_rounding_cents = refunds;
        if let Some(cash) = self.tenders.first_mut() {
            cash.sales_cents += sales;
            cash.refunds_cents += refunds;
            cash.expected_cents += sales - refunds;
        }
        Ok(())
    }

    /// The register's currency (the euro unless the report says otherwise).
    pub fn currency(&self) -> crate::domain::Currency {
        self.currency
            .as_deref()
            .and_then(crate::domain::Currency::parse)
            .unwrap_or_default()
    }

    fn set_currency(&mut self, tx: &Tx<'_>) -> Result<(), AppError> {
        let currency = tx.currency()?;
        self.currency =
            (currency != crate::domain::Currency::Eur).then(|| currency.code().to_string());
        Ok(())
    }

    /// Cash that should be in the drawer now.
    pub fn expected_cash(&self) -> Money {
        self.tenders
            .first()
            .map_or(Money::ZERO, |t| t.expected_cents)
    }
}

/// The report's tender lines: cash first (the float, sales, refunds and cash moved in and out
/// make what the drawer should hold), then the other tenders by name.
fn tender_lines(shift: &ShiftRow, totals: &ShiftTotals) -> Vec<TenderLine> {
    let of = |list: &[(String, i64)], tender: &str| {
        list.iter()
            .find(|(t, _)| t == tender)
            .map_or(Money::ZERO, |(_, c)| Money::from_cents(*c))
    };
    let cash_sales = of(&totals.per_tender, "cash");
    let cash_refunds = of(&totals.refunds_per_tender, "cash");
    let mut tenders = vec![TenderLine {
        tender: "cash".into(),
        sales_cents: cash_sales,
        refunds_cents: cash_refunds,
        expected_cents: Money::from_cents(shift.float_cents) + cash_sales - cash_refunds
            + Money::from_cents(totals.cash_in_cents)
            - Money::from_cents(totals.cash_out_cents),
        counted_cents: None,
        variance_cents: None,
    }];
    let mut others: Vec<&String> = totals
        .per_tender
        .iter()
        .chain(&totals.refunds_per_tender)
        .map(|(tender, _)| tender)
        .filter(|tender| *tender != "cash")
        .collect();
    others.sort();
    others.dedup();
    for tender in others {
        let sales = of(&totals.per_tender, tender);
        let refunds = of(&totals.refunds_per_tender, tender);
        tenders.push(TenderLine {
            tender: tender.clone(),
            sales_cents: sales,
            refunds_cents: refunds,
            expected_cents: sales - refunds,
            counted_cents: None,
            variance_cents: None,
        });
    }
    tenders
}

pub(super) fn open_shift_or_fail(tx: &Tx<'_>) -> Result<ShiftRow, AppError> {
    tx.open_shift()?
        .ok_or(AppError::Shift(ShiftError::NoOpenShift))
}

pub(super) fn now() -> String {
    Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

impl Services {
    /// Opens a shift with the float in the drawer. One open shift per register.
    pub fn open_shift(&mut self, session: &Session, float: Money) -> Result<ShiftId, AppError> {
        if float.is_negative() {
            return Err(AppError::Shift(ShiftError::NegativeAmount));
        }
        let operation = crate::ledger::operations::OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.ledger_mut().transact(|tx| {
                    let user = require(tx, session, Permission::Sell, "open a shift")?;
                    if tx.open_shift()?.is_some() {
                        return Err(AppError::Shift(ShiftError::ShiftAlreadyOpen));
                    }
                    let now = now();
                    // One Z per trading day: a day that has its Z takes no more shifts, and a day
                    // left without one gets it now, before the new day's first shift.
                    let today = super::day_z::trading_day_of(&now);
                    if let Some(number) = tx.day_z_number(&today)? {
                        return Err(AppError::Shift(ShiftError::DayClosed {
                            day: today,
                            number,
                        }));
                    }
                    for day in tx.days_without_z()? {
                        if day < today {
                            super::day_z::make_day_z(tx, user.id, &user.name, &day)?;
                        }
                    }
                    let shift_id = tx.insert_shift(user.id, float.cents(), &now)?;
                    let content = serde_json::json!({"shift_id": shift_id, "float_cents": float.cents(), "opened_at": now});
                    tx.append_journal(JournalKind::ShiftOpen, Some(user.id), None, &content)?;
                    let recorded = crate::ledger::operations::Recorded {
                        shift_id: Some(shift_id),
                        ..Default::default()
                    };
                    tx.record_operation(&operation, "shift.open", recorded, &now)?;
                    Ok(shift_id)
                })
            },
            |_, done| {
                done.shift_id.ok_or(AppError::Shift(ShiftError::NoOpenShift))
            },
        )
    }

    /// Cash put into or taken out of the drawer, with a reason. Never more out than the drawer holds.
    pub fn move_cash(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        movement: CashMovement,
        amount: Money,
        reason: &str,
    ) -> Result<Money, AppError> {
        if amount.cents() <= 0 {
            return Err(AppError::Shift(ShiftError::NegativeAmount));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Shift(ShiftError::ReasonMissing));
        }
        // The movement's operation id, made once: after a dropped commit on the shared ledger
        // the counter asks by it, so a movement is recorded once.
        let operation = crate::ledger::operations::OperationId::new()?;
        self.with_operation(
            &operation,
            |services| {
                services.move_cash_once(session, authoriser, movement, amount, reason, &operation)
            },
            |services, _done| {
                // Recorded: what the drawer holds now (the movement included).
                services.ledger_mut().read(|tx| {
                    let shift = open_shift_or_fail(tx)?;
                    let register_id = tx.register_id()?.to_string();
                    let totals = tx.shift_totals(shift.id)?;
                    Ok(ShiftReport::for_totals(&register_id, &shift, &totals).expected_cash())
                })
            },
        )
    }

    /// One attempt at [`Services::move_cash`]'s transaction.
    fn move_cash_once(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        movement: CashMovement,
        amount: Money,
        reason: &str,
        operation: &crate::ledger::operations::OperationId,
    ) -> Result<Money, AppError> {
        self.ledger_mut().transact(|tx| {
            let (user, approver) = require_approved(tx, session, authoriser, Permission::CashInOut, "cash in or out")?;
            let shift = open_shift_or_fail(tx)?;
            let register_id = tx.register_id()?.to_string();
            let in_drawer = ShiftReport::for_totals(&register_id, &shift, &tx.shift_totals(shift.id)?).expected_cash();
            let (kind, journal_kind, after) = match movement {
                CashMovement::CashIn => ("cash_in", JournalKind::ShiftCashIn, in_drawer + amount),
                CashMovement::CashOut => {
                    if amount > in_drawer {
                        return Err(AppError::Shift(ShiftError::NotEnoughInDrawer { in_drawer }));
                    }
                    ("cash_out", JournalKind::ShiftCashOut, in_drawer - amount)
                }
            };
            let now = now();
            let movement_id = tx.insert_cash_movement(shift.id, kind, amount.cents(), reason, user.id, &now)?;
            let content = serde_json::json!({
                "shift_id": shift.id, "kind": kind, "amount_cents": amount.cents(), "reason": reason, "at": now, "authorised_by": approver.id,
            });
            tx.append_journal(journal_kind, Some(user.id), None, &content)?;
            let recorded = crate::ledger::operations::Recorded {
                shift_id: Some(shift.id),
                movement_id: Some(movement_id),
                ..Default::default()
            };
            let operation_kind = if kind == "cash_in" { "cash.in" } else { "cash.out" };
            tx.record_operation(operation, operation_kind, recorded, &now)?;
            Ok(after)
        })
    }

    /// The drawer opened without a sale: logged with a reason.
    pub fn open_drawer(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        reason: &str,
    ) -> Result<(), AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::Shift(ShiftError::ReasonMissing));
        }
        // Its operation id, made once: an opening whose commit answer was lost is found by it
        // and logged once.
        let operation = crate::ledger::operations::OperationId::new()?;
        self.with_operation(
            &operation,
            |services| services.open_drawer_once(session, authoriser, reason, &operation),
            |_, _done| Ok(()),
        )
    }

    /// One attempt at [`Services::open_drawer`]'s transaction.
    fn open_drawer_once(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        reason: &str,
        operation: &crate::ledger::operations::OperationId,
    ) -> Result<(), AppError> {
        self.ledger_mut().transact(|tx| {
            let (user, approver) = require_approved(
                tx,
                session,
                authoriser,
                Permission::OpenDrawerWithoutSale,
                "open the drawer without a sale",
            )?;
            let shift = open_shift_or_fail(tx)?;
            let now = now();
            let movement_id =
                tx.insert_cash_movement(shift.id, "drawer_open", 0, reason, user.id, &now)?;
            let content = serde_json::json!({
                "shift_id": shift.id, "reason": reason, "at": now, "authorised_by": approver.id,
            });
            tx.append_journal(JournalKind::ShiftDrawerOpen, Some(user.id), None, &content)?;
            let recorded = crate::ledger::operations::Recorded {
                shift_id: Some(shift.id),
                movement_id: Some(movement_id),
                ..Default::default()
            };
            tx.record_operation(operation, "drawer.open", recorded, &now)?;
            Ok(())
        })
    }

    /// The X report: the open shift so far. Writes nothing.
    pub fn x_report(&mut self, session: &Session) -> Result<ShiftReport, AppError> {
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Sell, "see the X report")?;
            let shift = open_shift_or_fail(tx)?;
            let register_id = tx.register_id()?.to_string();
            let mut report =
                ShiftReport::for_totals(&register_id, &shift, &tx.shift_totals(shift.id)?);
            report.add_cash_rounding(tx)?;
            report.add_audit_figures(tx, None)?;
            report.card_reconciliations = tx.card_reconciliations_since(&shift.opened_at)?;
            report.journal_head = JournalHead::of(tx)?;
            report.set_currency(tx)?;
            Ok(report)
        })
    }

    /// Closes the open shift: the counted drawer against the expected cash, the variance and a
    /// comment, as the next numbered Z report. The journal head is then anchored outside the ledger.
    pub fn close_shift(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        count: &DrawerCount,
        comment: &str,
    ) -> Result<ShiftReport, AppError> {
        self.close_shift_ending_day(session, authoriser, count, comment, false)
    }

    /// [`Services::close_shift`]; with `end_of_day` the close also makes the trading day's Z
    /// (in the same transaction), given back in the report's `day_z`.
    pub fn close_shift_ending_day(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        count: &DrawerCount,
        comment: &str,
        end_of_day: bool,
    ) -> Result<ShiftReport, AppError> {
        // The close's operation id, made once: after a lost commit answer the ledger is asked
        // by it, and a shift that was closed gives back its stored report instead of "no open
        // shift".
        let operation = crate::ledger::operations::OperationId::new()?;
        let report = self.with_operation(
            &operation,
            |services| {
                services.close_shift_once(
                    session,
                    authoriser,
                    (count, comment, end_of_day),
                    &operation,
                )
            },
            |services, done| services.recorded_close(&done, end_of_day),
        )?;
        // The Z report stands whatever happens to its anchor (a failure is logged).
        self.anchor_batch();
        Ok(report)
    }

    /// One attempt at [`Services::close_shift_ending_day`]'s transaction.
    fn close_shift_once(
        &mut self,
        session: &Session,
        authoriser: Option<&Session>,
        (count, comment, end_of_day): (&DrawerCount, &str, bool),
        operation: &crate::ledger::operations::OperationId,
    ) -> Result<ShiftReport, AppError> {
        self.ledger_mut().transact(|tx| {
            let (user, approver) = require_approved(
                tx,
                session,
                authoriser,
                Permission::CloseShift,
                "close the shift",
            )?;
            let shift = open_shift_or_fail(tx)?;
            // Only the notes and coins of the register's currency (the GUI offers the euro's).
            count
                .check_currency(tx.currency()?)
                .map_err(|e| AppError::Shift(ShiftError::BadCount(e.to_string())))?;
            let register_id = tx.register_id()?.to_string();
            let totals = tx.shift_totals(shift.id)?;
            if let (Some(first), Some(previous)) = (totals.first_receipt, tx.last_z_receipt()?)
                && first != previous + 1
            {
                return Err(AppError::Shift(ShiftError::ReceiptGap {
                    expected: previous + 1,
                    found: first,
                }));
            }
            let mut report = ShiftReport::for_totals(&register_id, &shift, &totals);
            report.add_cash_rounding(tx)?;
            report.card_reconciliations = tx.card_reconciliations_since(&shift.opened_at)?;
            let now = now();
            report.kind = "Z".into();
            report.closed_by = Some(if approver.id == user.id {
                user.name.clone()
            } else {
                format!("{} ({})", user.name, approver.name)
            });
            report.closed_at = Some(now.clone());
            report.add_audit_figures(tx, Some(&now))?;
            report.journal_head = JournalHead::of(tx)?;
            report.set_currency(tx)?;
            report.set_count(count);
            let comment = comment.trim();
            report.comment = (!comment.is_empty()).then(|| comment.to_string());
            let content = serde_json::to_value(&report)
                .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))?;
            let number = tx.insert_z_report(&NewZReport {
                shift_id: shift.id,
                closed_by: user.id,
                closed_at: &now,
                first_receipt: totals.first_receipt,
                last_receipt: totals.last_receipt,
                content: &content,
            })?;
            report.number = Some(number);
            let content = serde_json::to_value(&report)
                .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))?;
            tx.append_journal(JournalKind::ShiftClose, Some(user.id), None, &content)?;
            if end_of_day {
                let day = super::day_z::trading_day_of(&shift.opened_at);
                let closed_by = report.closed_by.clone().unwrap_or_default();
                let mut made = super::day_z::make_day_zs_through(tx, user.id, &closed_by, &day)?;
                report.day_z = made.pop().map(Box::new);
            }
            let recorded = crate::ledger::operations::Recorded {
                shift_id: Some(shift.id),
                ..Default::default()
            };
            tx.record_operation(operation, "shift.close", recorded, &now)?;
            Ok(report)
        })
    }

    /// The report of a close the ledger already has (found by its operation id after a lost
    /// commit answer): the shift's stored report and, for an end of day, the day's Z made with it.
    fn recorded_close(
        &mut self,
        done: &crate::ledger::operations::OperationRow,
        end_of_day: bool,
    ) -> Result<ShiftReport, AppError> {
        let internal = |what: String| AppError::Admin(AdminError::Internal(what));
        let shift = done
            .shift_id
            .ok_or_else(|| internal("the recorded close names no shift".into()))?;
        self.ledger_mut().read(|tx| {
            let stored = tx
                .z_report_of_shift(shift)?
                .ok_or_else(|| internal(format!("shift {shift} has no stored report")))?;
            let mut report: ShiftReport =
                serde_json::from_value(stored).map_err(|e| internal(e.to_string()))?;
            if end_of_day && let Some(day_z) = tx.day_z_ending_with(shift)? {
                let day_z: ShiftReport =
                    serde_json::from_value(day_z).map_err(|e| internal(e.to_string()))?;
                report.day_z = Some(Box::new(day_z));
            }
            Ok(report)
        })
    }

    /// A closed shift's Z report by number.
    pub fn z_report(&mut self, session: &Session, number: i64) -> Result<ShiftReport, AppError> {
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Sell, "see a Z report")?;
            let content = tx
                .z_report(number)?
                .ok_or(AppError::Shift(ShiftError::UnknownZReport(number)))?;
            serde_json::from_value(content)
                .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// A Z report as the ledger stores it (and the CLI prints it): read into `Money` fields
    /// and written back, the same bytes.
    #[test]
    fn a_stored_report_reads_into_money_and_writes_back_the_same_json() {
        let stored = STORED;
        let report: ShiftReport = match serde_json::from_str(stored) {
            Ok(report) => report,
            Err(e) => panic!("a stored report must read: {e}"),
        };
        assert_eq!(report.expected_cash(), Money::from_cents(11500));
        assert_eq!(
            report.tenders[0].variance_cents,
            Some(Money::from_cents(-50))
        );
        assert_eq!(report.count[0].denomination_cents, Money::from_euros(50));
        assert_eq!(report.cash_rounding_cents, Money::from_cents(-1));
        assert_eq!(serde_json::to_string(&report).ok().as_deref(), Some(stored));
    }

    /// The printed report in the user's language, its times written the local way (issue 17:
    /// the X/Z reports were English with raw ledger timestamps).
    #[test]
    fn the_printed_report_is_in_the_users_language_with_local_times() {
        let Ok(report) = serde_json::from_str::<ShiftReport>(STORED) else {
            panic!("a stored report must read");
        };
        // The local time the ledger wrote down (with its offset) at the register.
        let opened = "1.12.2026 klo 08.00";
        let fi = report.to_text_with_audit(Lang::Fi);
        assert!(
            fi.starts_with(&format!(
                "vuororaportti 3  R1  vuoro 7\navattu {opened}, käyttäjä anna\n"
            )),
            "{fi}"
        );
        assert!(fi.contains("käteinen: myynti 15,00 €"), "{fi}");
        assert!(fi.contains("laskettu 114,50 €, erotus -0,50 €"), "{fi}");
        let sv = report.to_text_with_audit(Lang::Sv);
        assert!(sv.contains("kontant: försäljning 15,00 €"), "{sv}");
        for (lang, text) in [("fi", &fi), ("sv", &sv)] {
            for english in [
                "shift", "opened", "closed", "receipts", "orders", "tickets", "sales", "expected",
                "counted", "variance", "float", "cash", "card", "T08:00",
            ] {
                assert!(!text.contains(english), "{lang}: {english:?} in {text}");
            }
        }
        // The command line's English keeps its words.
        let en = report.to_text_with_audit(Lang::En);
        assert!(
            en.starts_with("shift report 3  R1  shift 7\nopened "),
            "{en}"
        );
        assert!(en.contains("counted 114,50 €, variance -0,50 €"), "{en}");
    }

    const STORED: &str = concat!(
        r#"{"kind":"Z","number":3,"register_id":"R1","shift_id":7,"opened_by":"anna","#,
        r#""opened_at":"2026-12-01T08:00:00.000+02:00","closed_by":"anna","#,
        r#""closed_at":"2026-12-01T16:00:00.000+02:00","float_cents":10000,"orders":2,"#,
        r#""tickets":3,"gross_cents":4550,"first_receipt":1,"last_receipt":2,"receipts":2,"#,
        r#""tenders":[{"tender":"cash","sales_cents":1500,"refunds_cents":0,"#,
        r#""expected_cents":11500,"counted_cents":11450,"variance_cents":-50},"#,
        r#"{"tender":"card","sales_cents":3050,"refunds_cents":0,"expected_cents":3050,"#,
        r#""counted_cents":null,"variance_cents":null}],"vat":[{"vat_basis_points":1000,"#,
        r#""net_cents":4136,"vat_cents":414,"gross_cents":4550}],"cash_in_cents":0,"#,
        r#""cash_out_cents":0,"drawer_opens":1,"count":[{"denomination_cents":5000,"#,
        r#""pieces":2}],"comment":null,"card_reconciliations":[],"cash_rounding_cents":-1,"#,
        r#""refund_rounding_cents":0,"audit":null}"#
    );
}
