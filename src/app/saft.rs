//! `export saft`: the Z reports and the sales journal of a date range as a SAF-T Cash Register
//! audit file (the Norwegian Tax Administration's schema v1.00, namespace
//! `urn:StandardAuditFile-Taxation-CashRegister:NO`), and the journal and Z reports as CSV.
//!
//! Mapping: a sale is a `cashtransaction` (CASHSAL, lines SAL), a refund one of its own
//! (RETURNSAL, negative, its lines RET) that names the original receipt in `refID`; each Z
//! report is an `event` with its `eventReport`; events (the catalogue's) are the article
//! groups, price categories the articles, users the employees. `signature` carries the
//! journal entry's hash (the ledger's SHA-256 chain, `keyVersion` `journal-sha256`): the
//! register has no Norwegian signing key (see ARCHITECTURE.md, "Control units and receipt
//! signatures").
// Every `let _ =` here drops the `fmt::Result` of writing into a `String`, which cannot fail.
#![allow(clippy::let_underscore_must_use)]

use crate::app::AdminError;
use crate::domain::ids::{OrderNumber, UserId};
use std::collections::BTreeMap;
use std::fmt::Write;

use super::services::require;
use super::{AppError, Services, Session};
use crate::domain::{Money, Permission};
use crate::ledger::{AuditFigures, DayZRow, SaftRefund, SaftSale, Tx, ZReportRow};

/// `1234` cents as `12.34`.
fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// A rate in basis points as a percentage: `1350` → `13.50`.
fn percent(basis_points: i64) -> String {
    format!("{}.{:02}", basis_points / 100, basis_points % 100)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// At most `max` characters (the schema's string lengths).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The date and the time (to the second) of an RFC 3339 time.
fn date_time(rfc3339: &str) -> (String, String) {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => (
            at.format("%Y-%m-%d").to_string(),
            at.format("%H:%M:%S").to_string(),
        ),
        Err(_) => (
            rfc3339.get(..10).unwrap_or("1970-01-01").to_string(),
            "00:00:00".into(),
        ),
    }
}

fn payment_type(tender: &str) -> &'static str {
    match tender {
        "cash" => "CASH",
        "card" => "CARD",
        _ => "BANK",
    }
}

/// Norway's standard VAT code nearest in kind: 3 (output VAT, general rate), 31 (medium), 33 (low).
fn standard_vat_code(basis_points: i64) -> &'static str {
    match basis_points {
        2000.. => "3",
        1000.. => "31",
        _ => "33",
    }
}

struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn open(&mut self, tag: &str) {
        let _ = writeln!(self.out, "{}<{tag}>", "  ".repeat(self.depth));
        self.depth += 1;
    }
    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        let _ = writeln!(self.out, "{}</{tag}>", "  ".repeat(self.depth));
    }
    fn leaf(&mut self, tag: &str, value: impl AsRef<str>) {
        let _ = writeln!(
            self.out,
            "{}<{tag}>{}</{tag}>",
            "  ".repeat(self.depth),
            escape(value.as_ref())
        );
    }
}

/// Both ends of an export's range as YYYY-MM-DD dates, or the one that is not.
fn check_dates(from: &str, to: &str) -> Result<(), AppError> {
    for date in [from, to] {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            return Err(AppError::Admin(AdminError::BadDate(date.to_string())));
        }
    }
    Ok(())
}

impl Services {
    /// The SAF-T Cash Register XML of `from`..=`to` (YYYY-MM-DD; managers and admins).
    pub fn export_saft(
        &mut self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<String, AppError> {
        check_dates(from, to)?;
        let now = chrono::Local::now();
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::CloseShift, "export the SAF-T file")?;
            let seller = tx.seller_settings()?;
            let register_id = tx.register_id()?.to_string();
            let (entry_date, entry_time) = date_time(&tx.register_created_at()?);
            let sales = tx.saft_sales(from, to)?;
            let refunds = tx.saft_refunds(from, to)?;
            let z_reports = tx.saft_z_reports(from, to)?;
            let day_z_reports = tx.day_z_between(from, to)?;
            let events = tx.saft_events()?;
            let mut rates: Vec<i64> = sales
                .iter()
                .flat_map(|s| s.lines.iter().map(|l| l.vat_basis_points))
                .chain(refunds.iter().flat_map(|r| r.vat.iter().map(|v| v.0)))
                .collect();
            rates.sort_unstable();
            rates.dedup();
            let company_ident = if seller.business_id.is_empty() {
                register_id.clone()
            } else {
                seller.business_id.clone()
            };
            let company_name = if seller.seller_name.is_empty() {
                "Box office".to_string()
            } else {
                seller.seller_name.clone()
            };
            let mut x = Xml {
                out: String::new(),
                depth: 0,
            };
            write_header(&mut x, (from, to), &seller.currency, &register_id, now);
            x.open("company");
            x.leaf("companyIdent", cut(&company_ident, 35));
            x.leaf("companyName", cut(&company_name, 100));
            if !seller.vat_number.is_empty() {
                x.leaf("taxRegIdent", cut(&seller.vat_number, 50));
            }
            write_masters(&mut x, tx, &rates, (&entry_date, &entry_time))?;
            write_basics(&mut x, &events);
            x.open("location");
            x.leaf("name", cut(&company_name, 100));
            x.open("cashregister");
            x.leaf("registerID", &register_id);
            x.leaf("regDesc", "Box office ticket counter");
            write_z_events(
                &mut x,
                &day_z_reports,
                &z_reports,
                (&company_ident, &company_name),
            )?;
            for sale in &sales {
                write_sale(&mut x, sale, &seller.currency);
            }
            write_refunds(&mut x, tx, (&sales, &refunds), &seller.currency)?;
            x.close("cashregister");
            x.close("location");
            x.close("company");
            x.out.push_str("</auditfile>\n");
            Ok(x.out)
        })
    }

    /// The journal entries and Z reports of `from`..=`to` as CSV
    /// (`record,number,at,kind,user,order,hash,content`).
    pub fn export_csv(
        &mut self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<String, AppError> {
        check_dates(from, to)?;
        self.ledger_mut().read(|tx| {
            require(tx, session, Permission::CloseShift, "export the journal")?;
            let quote = |field: &str| {
                if field.contains([',', '"', '\n']) {
                    format!("\"{}\"", field.replace('"', "\"\""))
                } else {
                    field.to_string()
                }
            };
            let mut csv = String::from("record,number,at,kind,user,order,hash,content\n");
            for (number, _shift, closed_by, closed_at, content) in tx.saft_z_reports(from, to)? {
                let _ = writeln!(
                    csv,
                    "z,{number},{},Z report,{closed_by},,,{}",
                    quote(&closed_at),
                    quote(&content)
                );
            }
            for (number, day, closed_by, closed_at, content) in tx.day_z_between(from, to)? {
                let _ = writeln!(
                    csv,
                    "day_z,{number},{},Z report {day},{closed_by},,,{}",
                    quote(&closed_at),
                    quote(&content)
                );
            }
            for row in tx.journal_between(from, to)? {
                let _ = writeln!(
                    csv,
                    "journal,{},{},{},{},{},{},{}",
                    row.seq,
                    quote(&row.at),
                    quote(&row.kind),
                    row.user_id.map(|u| u.to_string()).unwrap_or_default(),
                    row.order_id.map(|o| o.to_string()).unwrap_or_default(),
                    row.hash,
                    quote(&row.content)
                );
            }
            Ok(csv)
        })
    }
}

fn write_z_event(
    x: &mut Xml,
    report: &super::ShiftReport,
    number: i64,
    closed_by: UserId,
    closed_at: &str,
    (company_ident, company_name): (&str, &str),
) {
    let (date, time) = date_time(closed_at);
    let audit = report.audit.clone().unwrap_or_default();
    // The trading day's Z (one per day) or a shift's close, which is an X report: it never
    // changes the day's Z.
    let (event_id, event_type, report_id, report_type, what) = match &report.day {
        Some(day) => (
            format!("Z{number}"),
            "ZREP",
            number.to_string(),
            "Z report",
            format!(
                "Z {number}: trading day {}, shifts {:?}",
                day.trading_day, day.shifts
            ),
        ),
        None => (
            format!("S{number}"),
            "XREP",
            format!("S{number}"),
            "X report",
            format!("shift report {number}: shift {}", report.shift_id),
        ),
    };
    x.open("event");
    x.leaf("eventID", event_id);
    x.leaf("eventType", event_type);
    x.leaf("empID", closed_by.to_string());
    x.leaf("eventDate", &date);
    x.leaf("eventTime", &time);
    x.leaf(
        "eventText",
        format!(
            "{what} from {} to {closed_at}, receipts {}-{}",
            report.opened_at,
            report.first_receipt.unwrap_or_default(),
            report.last_receipt.unwrap_or_default()
        ),
    );
    x.open("eventReport");
    x.leaf("reportID", report_id);
    x.leaf("reportType", report_type);
    x.leaf("companyIdent", cut(company_ident, 35));
    x.leaf("companyName", cut(company_name, 100));
    x.leaf("reportDate", &date);
    x.leaf("reportTime", &time);
    x.leaf("registerID", &report.register_id);
    write_report_totals(x, report, &audit);
    write_report_counts(x, report, &audit);
    x.close("eventReport");
    x.close("event");
}

fn write_sale(x: &mut Xml, sale: &SaftSale, currency: &str) {
    let (date, time) = date_time(&sale.created_at);
    let vat_total: i64 = sale.lines.iter().map(|l| l.vat_cents).sum();
    x.open("cashtransaction");
    x.leaf("nr", sale.order_id.to_string());
    x.leaf("transID", sale.order_id.to_string());
    x.leaf("transType", "CASHSAL");
    x.leaf("transAmntIn", amount(sale.total_cents));
    x.leaf("transAmntEx", amount(sale.total_cents - vat_total));
    x.leaf("amntTp", "C");
    x.leaf("empID", sale.user_id.to_string());
    x.leaf("transDate", &date);
    x.leaf("transTime", &time);
    if let Some(number) = sale.receipt_number {
        x.leaf("desc", format!("Receipt {number}"));
    }
    for line in &sale.lines {
        x.open("ctLine");
        x.leaf("nr", sale.order_id.to_string());
        x.leaf("lineID", line.line_no.to_string());
        x.leaf("lineType", "SAL");
        x.leaf("artGroupID", line.event_id.to_string());
        x.leaf("artID", line.category_id.to_string());
        x.leaf("qnt", line.quantity.to_string());
        x.leaf("lineAmntIn", amount(line.gross_cents));
        x.leaf("lineAmntEx", amount(line.gross_cents - line.vat_cents));
        x.leaf("amntTp", "C");
        x.leaf("ppu", amount(line.unit_cents));
        x.leaf("empID", sale.user_id.to_string());
        x.open("vat");
        x.leaf("vatCode", line.vat_basis_points.to_string());
        x.leaf("vatPerc", percent(line.vat_basis_points));
        x.leaf("vatAmnt", amount(line.vat_cents));
        x.leaf("vatAmntTp", "C");
        x.leaf("vatBasAmnt", amount(line.gross_cents - line.vat_cents));
        x.close("vat");
        x.close("ctLine");
    }
    x.open("rounding");
    x.leaf("roundingAmnt", amount(sale.rounding_cents));
    x.close("rounding");
    for (tender, cents, _last4) in &sale.payments {
        let rounding = if tender == "cash" {
            sale.rounding_cents
        } else {
            0
        };
        x.open("payment");
        x.leaf("paymentType", payment_type(tender));
        x.leaf("paidAmnt", amount(cents + rounding));
        x.leaf("empID", sale.user_id.to_string());
        x.leaf("curCode", currency);
        x.close("payment");
    }
    x.leaf("signature", &sale.journal_hash);
    x.leaf("keyVersion", "journal-sha256");
    x.leaf("receiptNum", sale.originals.min(999).to_string());
    x.leaf("receiptCopyNum", sale.copies.min(999).to_string());
    x.leaf("receiptProformaNum", "0");
    x.leaf("receiptDeliveryNum", "0");
    x.leaf("voidTransaction", "false");
    x.leaf("trainingID", if sale.training { "true" } else { "false" });
    x.close("cashtransaction");
}

fn write_refund(x: &mut Xml, refund: &SaftRefund, original: Option<i64>, currency: &str) {
    let (date, time) = date_time(&refund.created_at);
    let vat_total: i64 = refund.vat.iter().map(|v| v.2).sum();
    let nr = format!("R{}", refund.refund_id);
    x.open("cashtransaction");
    x.leaf("nr", &nr);
    x.leaf("transID", &nr);
    x.leaf("transType", "RETURNSAL");
    x.leaf("transAmntIn", amount(-refund.amount_cents));
    x.leaf("transAmntEx", amount(-(refund.amount_cents - vat_total)));
    x.leaf("amntTp", "D");
    x.leaf("empID", refund.user_id.to_string());
    x.leaf("transDate", &date);
    x.leaf("transTime", &time);
    if let Some(original) = original {
        x.leaf("refID", format!("Receipt {original}"));
    } else {
        x.leaf("refID", format!("Order {}", refund.order_id));
    }
    if let Some(number) = refund.receipt_number {
        x.leaf(
            "desc",
            format!("Refund receipt {number} for order {}", refund.order_id),
        );
    }
    for (index, (rate, gross, tax)) in refund.vat.iter().enumerate() {
        x.open("ctLine");
        x.leaf("nr", &nr);
        x.leaf("lineID", (index + 1).to_string());
        x.leaf("lineType", "RET");
        x.leaf("lineAmntIn", amount(-gross));
        x.leaf("lineAmntEx", amount(-(gross - tax)));
        x.leaf("amntTp", "D");
        x.open("vat");
        x.leaf("vatCode", rate.to_string());
        x.leaf("vatPerc", percent(*rate));
        x.leaf("vatAmnt", amount(-tax));
        x.leaf("vatAmntTp", "D");
        x.leaf("vatBasAmnt", amount(-(gross - tax)));
        x.close("vat");
        x.close("ctLine");
    }
    x.open("rounding");
    x.leaf("roundingAmnt", amount(-refund.rounding_cents));
    x.close("rounding");
    x.open("payment");
    x.leaf("paymentType", payment_type(refund.tender.as_str()));
    x.leaf(
        "paidAmnt",
        amount(-(refund.amount_cents + refund.rounding_cents)),
    );
    x.leaf("empID", refund.user_id.to_string());
    x.leaf("curCode", currency);
    x.close("payment");
    x.leaf("signature", &refund.journal_hash);
    x.leaf("keyVersion", "journal-sha256");
    x.leaf("receiptNum", "0");
    x.leaf("receiptCopyNum", "0");
    x.leaf("receiptProformaNum", "0");
    x.leaf("receiptDeliveryNum", "0");
    x.leaf("voidTransaction", "false");
    x.leaf("trainingID", "false");
    x.close("cashtransaction");
}

/// The XML declaration, the root element and the file's header.
fn write_header(
    x: &mut Xml,
    (from, to): (&str, &str),
    currency: &str,
    register_id: &str,
    now: chrono::DateTime<chrono::Local>,
) {
    x.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.out
        .push_str("<auditfile xmlns=\"urn:StandardAuditFile-Taxation-CashRegister:NO\">\n");
    x.depth = 1;
    x.open("header");
    x.leaf("fiscalYear", &from[..4]);
    x.leaf("startDate", from);
    x.leaf("endDate", to);
    x.leaf("curCode", currency);
    x.leaf("dateCreated", now.format("%Y-%m-%d").to_string());
    x.leaf("timeCreated", now.format("%H:%M:%S").to_string());
    x.leaf("softwareDesc", "Box office");
    x.leaf("softwareVersion", env!("CARGO_PKG_VERSION"));
    x.leaf("softwareCompanyName", "Box office");
    x.leaf("auditfileVersion", "1.0");
    x.leaf(
        "headerComment",
        format!("Register {register_id}, {from} to {to}"),
    );
    x.close("header");
}

/// The VAT codes, the employees (users) and the articles (price categories).
fn write_masters(
    x: &mut Xml,
    tx: &Tx<'_>,
    rates: &[i64],
    (entry_date, entry_time): (&str, &str),
) -> Result<(), AppError> {
    x.open("vatCodeDetails");
    for rate in rates {
        x.open("vatCodeDetail");
        x.leaf("vatCode", rate.to_string());
        x.leaf("dateOfEntry", entry_date);
        x.leaf("vatDesc", format!("VAT {} %", percent(*rate)));
        x.leaf("standardVatCode", standard_vat_code(*rate));
        x.close("vatCodeDetail");
    }
    x.close("vatCodeDetails");
    x.open("employees");
    for (id, name) in tx.saft_users()? {
        x.open("employee");
        x.leaf("empID", id.to_string());
        x.leaf("dateOfEntry", entry_date);
        x.leaf("timeOfEntry", entry_time);
        x.leaf("surName", cut(&name, 100));
        x.close("employee");
    }
    x.close("employees");
    x.open("articles");
    for (id, event_id, code, name) in tx.saft_articles()? {
        x.open("article");
        x.leaf("artID", id.to_string());
        x.leaf("dateOfEntry", entry_date);
        x.leaf("artGroupID", event_id.to_string());
        x.leaf("artDesc", format!("{code}: {name}"));
        x.close("article");
    }
    x.close("articles");
    Ok(())
}

/// The code lists: the events as article groups, transaction, payment and event types.
fn write_basics(x: &mut Xml, events: &[(i64, String)]) {
    x.open("basics");
    let basic = |x: &mut Xml, kind: &str, id: &str, predefined: Option<&str>, desc: &str| {
        x.open("basic");
        x.leaf("basicType", kind);
        x.leaf("basicID", id);
        if let Some(predefined) = predefined {
            x.leaf("predefinedBasicID", predefined);
        }
        x.leaf("basicDesc", desc);
        x.close("basic");
    };
    for (id, name) in events {
        basic(x, "04", &id.to_string(), Some("04999"), name);
    }
    basic(x, "05", "SAL", None, "Sale");
    basic(x, "05", "RET", None, "Return");
    basic(x, "11", "CASHSAL", Some("11001"), "Cash sale");
    basic(x, "11", "RETURNSAL", Some("11006"), "Return payment");
    basic(x, "12", "CASH", Some("12001"), "Cash");
    basic(x, "12", "CARD", Some("12002"), "Payment card");
    basic(x, "12", "BANK", Some("12004"), "Online bank payment");
    basic(x, "13", "XREP", Some("13008"), "X report (a shift's close)");
    basic(
        x,
        "13",
        "ZREP",
        Some("13009"),
        "Z report (the trading day's)",
    );
    basic(x, "13", "COPYREC", Some("13014"), "Copy receipt");
    x.close("basics");
}

/// The days' Z reports (one per trading day), then the shifts' closes as X reports.
fn write_z_events(
    x: &mut Xml,
    day_z_reports: &[DayZRow],
    z_reports: &[ZReportRow],
    company: (&str, &str),
) -> Result<(), AppError> {
    // The days' Z reports (one per trading day), then the shifts' closes as X reports.
    let day_zs = day_z_reports
        .iter()
        .map(|(number, _day, closed_by, closed_at, content)| {
            (number, closed_by, closed_at, content)
        });
    let shift_closes = z_reports
        .iter()
        .map(|(number, _shift, closed_by, closed_at, content)| {
            (number, closed_by, closed_at, content)
        });
    for (number, closed_by, closed_at, content) in day_zs.chain(shift_closes) {
        let report: super::ShiftReport = serde_json::from_str(content)
            .map_err(|e| AppError::Admin(AdminError::Internal(e.to_string())))?;
        write_z_event(x, &report, *number, *closed_by, closed_at, company);
    }
    Ok(())
}

/// The refunds, each naming its sale's receipt (from this file, or the ledger for an older sale).
fn write_refunds(
    x: &mut Xml,
    tx: &Tx<'_>,
    (sales, refunds): (&[SaftSale], &[SaftRefund]),
    currency: &str,
) -> Result<(), AppError> {
    let originals: BTreeMap<OrderNumber, Option<i64>> = sales
        .iter()
        .map(|s| (s.order_id, s.receipt_number))
        .collect();
    for refund in refunds {
        let original = match originals.get(&refund.order_id) {
            Some(number) => *number,
            None => tx
                .order_details(refund.order_id)?
                .and_then(|details| details.receipt_number),
        };
        write_refund(x, refund, original, currency);
    }
    Ok(())
}

/// A Z event's totals: cash sales, article groups, payments (per tender and operator), VAT.
fn write_report_totals(x: &mut Xml, report: &super::ShiftReport, audit: &AuditFigures) {
    x.open("reportTotalCashSales");
    x.leaf("totalCashSaleAmnt", amount(report.gross_cents.cents()));
    x.close("reportTotalCashSales");
    x.open("reportArtGroups");
    let groups = if audit.per_group.is_empty() {
        vec![(0, String::new(), 0, 0)]
    } else {
        audit.per_group.clone()
    };
    for (id, _, tickets, gross) in &groups {
        x.open("reportArtGroup");
        x.leaf("artGroupID", id.to_string());
        x.leaf("artGroupNum", tickets.to_string());
        x.leaf("artGroupAmnt", amount(*gross));
        x.close("reportArtGroup");
    }
    x.close("reportArtGroups");
    x.open("reportPayments");
    let payments = if audit.payments.is_empty() {
        vec![("cash".to_string(), 0, 0)]
    } else {
        audit.payments.clone()
    };
    for (tender, count, cents) in &payments {
        let rounding = if tender == "cash" {
            report.cash_rounding_cents
        } else {
            Money::ZERO
        };
        x.open("reportPayment");
        x.leaf("paymentType", payment_type(tender));
        x.leaf("paymentNum", count.to_string());
        x.leaf(
            "paymentAmnt",
            amount((Money::from_cents(*cents) + rounding).cents()),
        );
        x.close("reportPayment");
    }
    x.close("reportPayments");
    if !audit.per_operator_tender.is_empty() {
        x.open("reportEmpPayments");
        for (user, tender, count, cents) in &audit.per_operator_tender {
            x.open("reportEmpPayment");
            x.leaf("empID", user.to_string());
            x.leaf("paymentType", payment_type(tender));
            x.leaf("paymentNum", count.to_string());
            x.leaf("paymentAmnt", amount(*cents));
            x.close("reportEmpPayment");
        }
        x.close("reportEmpPayments");
    }
    x.open("reportCashSalesVat");
    let vat = if report.vat.is_empty() {
        vec![(0, Money::ZERO, Money::ZERO)]
    } else {
        report
            .vat
            .iter()
            .map(|v| (v.vat_basis_points, v.gross_cents, v.vat_cents))
            .collect()
    };
    for (rate, gross, tax) in vat {
        x.open("reportCashSaleVat");
        x.leaf("vatCode", rate.to_string());
        x.leaf("vatPerc", percent(rate));
        x.leaf("cashSaleAmnt", amount(gross.cents()));
        x.leaf("vatAmnt", amount(tax.cents()));
        x.leaf("vatAmntTp", "C");
        x.close("reportCashSaleVat");
    }
    x.close("reportCashSalesVat");
}

/// A Z event's counts: float, receipts, drawer opens, copies, returns, corrections, training,
/// cash in and out, and the grand totals.
fn write_report_counts(x: &mut Xml, report: &super::ShiftReport, audit: &AuditFigures) {
    x.leaf(
        "reportOpeningChangeFloat",
        amount(report.float_cents.cents()),
    );
    x.leaf("reportReceiptNum", report.receipts.to_string());
    x.leaf("reportOpenCashBoxNum", report.drawer_opens.to_string());
    x.leaf("reportReceiptCopyNum", audit.copies.to_string());
    x.leaf("reportReceiptCopyAmnt", amount(audit.copies_cents));
    x.leaf("reportReceiptProformaNum", "0");
    x.leaf("reportReceiptProformaAmnt", amount(0));
    x.leaf("reportReturnNum", audit.refunds.to_string());
    x.leaf("reportReturnAmnt", amount(audit.refunds_cents));
    x.leaf("reportDiscountNum", "0");
    x.leaf("reportDiscountAmnt", amount(0));
    x.leaf("reportVoidTransNum", "0");
    x.leaf("reportVoidTransAmnt", amount(0));
    x.open("reportCorrLines");
    x.open("reportCorrLine");
    x.leaf("corrLineType", "LINECORR");
    x.leaf("corrLineNum", audit.corrections.to_string());
    x.leaf("corrLineAmnt", amount(0));
    x.close("reportCorrLine");
    x.close("reportCorrLines");
    x.open("reportPriceInquiries");
    x.open("reportPriceInquiry");
    x.leaf("priceInquiryGroup", "ALL");
    x.leaf("priceInquiryNum", "0");
    x.leaf("priceInquiryAmnt", amount(0));
    x.close("reportPriceInquiry");
    x.close("reportPriceInquiries");
    x.open("reportOtherCorrs");
    x.open("reportOtherCorr");
    x.leaf("otherCorrType", "CASHROUNDING");
    x.leaf("otherCorrNum", "0");
    x.leaf(
        "otherCorrAmnt",
        amount((report.cash_rounding_cents - report.refund_rounding_cents).cents()),
    );
    x.close("reportOtherCorr");
    x.close("reportOtherCorrs");
    x.leaf("reportReceiptDeliveryNum", "0");
    x.leaf("reportReceiptDeliveryAmnt", amount(0));
    x.leaf("reportTrainingNum", audit.training_orders.to_string());
    x.leaf("reportTrainingAmnt", amount(audit.training_cents));
    if report.cash_in_cents != Money::ZERO {
        x.open("reportPayIns");
        x.open("reportPayIn");
        x.leaf("payInType", "CASHIN");
        x.leaf("payInNum", "1");
        x.leaf("payInAmnt", amount(report.cash_in_cents.cents()));
        x.close("reportPayIn");
        x.close("reportPayIns");
    }
    if report.cash_out_cents != Money::ZERO {
        x.open("reportPayOuts");
        x.open("reportPayOut");
        x.leaf("payOutType", "CASHOUT");
        x.leaf("payOutNum", "1");
        x.leaf("payOutAmnt", amount(report.cash_out_cents.cents()));
        x.close("reportPayOut");
        x.close("reportPayOuts");
    }
    x.leaf(
        "reportGrandTotalSales",
        amount(audit.grand_total_sales_cents),
    );
    x.leaf(
        "reportGrandTotalReturn",
        amount(audit.grand_total_refunds_cents),
    );
    x.leaf(
        "reportGrandTotalSalesNet",
        amount(audit.grand_total_sales_cents - audit.grand_total_refunds_cents),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_rates_as_the_schema_writes_them() {
        assert_eq!(amount(1253), "12.53");
        assert_eq!(amount(-5), "-0.05");
        assert_eq!(amount(0), "0.00");
        assert_eq!(percent(1350), "13.50");
        assert_eq!(percent(2550), "25.50");
        assert_eq!(escape("A & <B>"), "A &amp; &lt;B&gt;");
    }
}
