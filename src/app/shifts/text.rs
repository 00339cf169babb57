//! A shift's report as text (the screen, the receipt printer, with the § 2-8-2 figures) and as
//! CSV.

use super::ShiftReport;
use super::words::words;
use crate::domain::Money;
use crate::i18n::{Lang, date_time_text, tender_name};

impl ShiftReport {
    /// [`ShiftReport::to_text`] with the § 2-8-2 figures (the command line, the printed report).
    pub fn to_text_with_audit(&self, lang: Lang) -> String {
        let mut out = self.to_text(lang);
        if let Some(audit) = &self.audit {
            out.push_str(&audit_text(audit, self.currency(), lang));
        }
        if let Some(day_z) = &self.day_z {
            out.push('\n');
            out.push_str(&day_z.to_text_with_audit(lang));
        }
        out
    }

    /// The report as `section,item,value` CSV (amounts in euros with a point, for spreadsheets).
    pub fn to_csv(&self) -> String {
        let mut rows = self.csv_totals();
        self.csv_details(&mut rows);
        csv_text(rows)
    }

    /// The CSV's rows of the report's own figures: who and when, receipts, sales, cash.
    fn csv_totals(&self) -> Vec<CsvRow> {
        vec![
            ("report".into(), "kind".into(), self.kind.clone()),
            (
                "report".into(),
                "number".into(),
                self.number.map(|n| n.to_string()).unwrap_or_default(),
            ),
            ("report".into(), "register".into(), self.register_id.clone()),
            ("report".into(), "opened_by".into(), self.opened_by.clone()),
            ("report".into(), "opened_at".into(), self.opened_at.clone()),
            (
                "report".into(),
                "closed_by".into(),
                self.closed_by.clone().unwrap_or_default(),
            ),
            (
                "report".into(),
                "closed_at".into(),
                self.closed_at.clone().unwrap_or_default(),
            ),
            (
                "receipts".into(),
                "first".into(),
                self.first_receipt
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ),
            (
                "receipts".into(),
                "last".into(),
                self.last_receipt.map(|n| n.to_string()).unwrap_or_default(),
            ),
            ("receipts".into(), "count".into(), self.receipts.to_string()),
            ("sales".into(), "orders".into(), self.orders.to_string()),
            ("sales".into(), "tickets".into(), self.tickets.to_string()),
            ("sales".into(), "gross".into(), euros(self.gross_cents)),
            ("cash".into(), "float".into(), euros(self.float_cents)),
            ("cash".into(), "cash_in".into(), euros(self.cash_in_cents)),
            ("cash".into(), "cash_out".into(), euros(self.cash_out_cents)),
            (
                "cash".into(),
                "drawer_opens".into(),
                self.drawer_opens.to_string(),
            ),
            (
                "cash".into(),
                "rounding_sales".into(),
                euros(self.cash_rounding_cents),
            ),
            (
                "cash".into(),
                "rounding_refunds".into(),
                euros(self.refund_rounding_cents),
            ),
        ]
    }

    /// The CSV's rows per tender, VAT rate and counted denomination, then the day, the journal
    /// head and the comment.
    fn csv_details(&self, rows: &mut Vec<CsvRow>) {
        for tender in &self.tenders {
            let section = format!("tender:{}", tender.tender);
            rows.push((section.clone(), "sales".into(), euros(tender.sales_cents)));
            rows.push((
                section.clone(),
                "refunds".into(),
                euros(tender.refunds_cents),
            ));
            rows.push((
                section.clone(),
                "expected".into(),
                euros(tender.expected_cents),
            ));
            rows.push((
                section.clone(),
                "counted".into(),
                tender.counted_cents.map(euros).unwrap_or_default(),
            ));
            rows.push((
                section,
                "variance".into(),
                tender.variance_cents.map(euros).unwrap_or_default(),
            ));
        }
        for vat in &self.vat {
            let section = format!(
                "vat:{}",
                crate::domain::VatBasisPoints(vat.vat_basis_points).percent_text()
            );
            rows.push((section.clone(), "net".into(), euros(vat.net_cents)));
            rows.push((section.clone(), "vat".into(), euros(vat.vat_cents)));
            rows.push((section, "gross".into(), euros(vat.gross_cents)));
        }
        for line in &self.count {
            rows.push((
                "count".into(),
                euros(line.denomination_cents),
                line.pieces.to_string(),
            ));
        }
        if let Some(day) = &self.day {
            rows.push((
                "report".into(),
                "trading_day".into(),
                day.trading_day.clone(),
            ));
            let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ");
            rows.push(("report".into(), "shifts".into(), list(&day.shifts)));
            rows.push((
                "report".into(),
                "shift_reports".into(),
                list(&day.shift_reports),
            ));
        }
        if let Some(head) = &self.journal_head {
            rows.push(("journal".into(), "head_seq".into(), head.seq.to_string()));
            rows.push(("journal".into(), "head_hash".into(), head.hash.clone()));
        }
        rows.push((
            "report".into(),
            "comment".into(),
            self.comment.clone().unwrap_or_default(),
        ));
    }

    /// The report as text for the screen or a receipt printer, in `lang`, its times written the
    /// local way (English on the command line).
    pub fn to_text(&self, lang: Lang) -> String {
        let w = words(lang);
        let currency = self.currency();
        let money = |amount: Money| currency.format(amount);
        let mut out = self.text_heading(lang);
        match (self.first_receipt, self.last_receipt) {
            (Some(first), Some(last)) => out.push_str(&format!(
                "{} {first}–{last} ({})\n",
                w.receipts, self.receipts
            )),
            _ => out.push_str(&format!("{}\n", w.no_receipts)),
        }
        out.push_str(&format!(
            "{} {}, {} {}, {} {}\n",
            w.orders,
            self.orders,
            w.tickets,
            self.tickets,
            w.sales,
            money(self.gross_cents)
        ));
        for vat in &self.vat {
            out.push_str(&format!(
                "{} {}: {} {}, {} {}, {} {}\n",
                w.vat,
                crate::domain::VatBasisPoints(vat.vat_basis_points).percent_text(),
                w.net,
                money(vat.net_cents),
                w.vat,
                money(vat.vat_cents),
                w.gross,
                money(vat.gross_cents)
            ));
        }
        if self.cash_rounding_cents != Money::ZERO || self.refund_rounding_cents != Money::ZERO {
            out.push_str(&format!(
                "{}: {} {}, {} {}\n",
                w.cash_rounding,
                w.sales,
                money(self.cash_rounding_cents),
                w.refunds,
                money(self.refund_rounding_cents)
            ));
        }
        out.push_str(&format!(
            "{} {}, {} {}, {} {}, {} {}×\n",
            w.float,
            money(self.float_cents),
            w.cash_in,
            money(self.cash_in_cents),
            w.cash_out,
            money(self.cash_out_cents),
            w.drawer_opens,
            self.drawer_opens
        ));
        self.text_tenders(lang, &mut out, &money);
        out
    }

    /// The text's first lines: which report, opened and closed by whom and when.
    fn text_heading(&self, lang: Lang) -> String {
        let w = words(lang);
        let mut out = String::new();
        match (&self.day, self.number) {
            (Some(day), number) => out.push_str(&format!(
                "Z {}  {}  {} {}, {} {}\n",
                number.unwrap_or_default(),
                self.register_id,
                w.day,
                day.trading_day,
                w.shifts,
                day.shifts
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            // A shift's close: not the day's Z (one per day), the shift's own report.
            (None, Some(number)) => out.push_str(&format!(
                "{} {number}  {}  {} {}\n",
                w.shift_report, self.register_id, w.shift, self.shift_id
            )),
            (None, None) => out.push_str(&format!(
                "{}  {}  {} {}\n",
                w.x, self.register_id, w.shift, self.shift_id
            )),
        }
        out.push_str(&format!(
            "{} {}{} {}\n",
            w.opened,
            date_time_text(&self.opened_at, lang),
            w.by,
            self.opened_by
        ));
        if let (Some(at), Some(by)) = (&self.closed_at, &self.closed_by) {
            out.push_str(&format!(
                "{} {}{} {by}\n",
                w.closed,
                date_time_text(at, lang),
                w.by
            ));
        }
        out
    }

    /// The text's lines per tender and card reconciliation, the journal head and the comment.
    fn text_tenders(&self, lang: Lang, out: &mut String, money: &dyn Fn(Money) -> String) {
        let w = words(lang);
        for tender in &self.tenders {
            out.push_str(&format!(
                "{}: {} {}, {} {}, {} {}",
                tender_name(lang, &tender.tender),
                w.sales,
                money(tender.sales_cents),
                w.refunds,
                money(tender.refunds_cents),
                w.expected,
                money(tender.expected_cents)
            ));
            if let (Some(counted), Some(variance)) = (tender.counted_cents, tender.variance_cents) {
                out.push_str(&format!(
                    ", {} {}, {} {}",
                    w.counted,
                    money(counted),
                    w.variance,
                    money(variance)
                ));
            }
            out.push('\n');
        }
        for r in &self.card_reconciliations {
            let net = |debit: i64, credit: i64| money(Money::from_cents(debit - credit));
            out.push_str(&format!(
                "{} {} {} {}: {} {} ({} {}, {} {}), {} {} ({} {}, {} {}), {} {}\n",
                w.card_terminal,
                r.terminal,
                w.reconciliation,
                r.poi_reconciliation_id,
                w.terminal,
                net(r.terminal_debit_cents, r.terminal_credit_cents),
                r.terminal_debit_count,
                w.purchases,
                r.terminal_credit_count,
                w.refunds,
                w.ledger,
                net(r.ledger_debit_cents, r.ledger_credit_cents),
                r.ledger_debit_count,
                w.purchases,
                r.ledger_credit_count,
                w.refunds,
                w.difference,
                money(Money::from_cents(r.difference_cents))
            ));
        }
        if let Some(head) = &self.journal_head {
            // The full hash on a line of its own: it is what an auditor compares.
            out.push_str(&format!(
                "{}: {} {}\n{}\n",
                w.journal_head, w.entry, head.seq, head.hash
            ));
        }
        if let Some(comment) = &self.comment {
            out.push_str(&format!("{}: {comment}\n", w.comment));
        }
    }
}

/// A `section,item,value` row of the CSV.
type CsvRow = (String, String, String);

/// An amount in euros with a point (`-12.50`), for spreadsheets.
fn euros(amount: Money) -> String {
    let cents = amount.cents();
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

/// The rows as CSV text under their header, fields quoted where they need it.
fn csv_text(rows: Vec<CsvRow>) -> String {
    let quote = |field: &str| {
        if field.contains([',', '"', '\n']) {
            format!("\"{}\"", field.replace('"', "\"\""))
        } else {
            field.to_string()
        }
    };
    let mut csv = String::from("section,item,value\n");
    for (section, item, value) in rows {
        csv.push_str(&format!(
            "{},{},{}\n",
            quote(&section),
            quote(&item),
            quote(&value)
        ));
    }
    csv
}

/// The § 2-8-2 part of an X or Z report as text.
fn audit_text(
    audit: &crate::ledger::AuditFigures,
    currency: crate::domain::Currency,
    lang: Lang,
) -> String {
    let w = words(lang);
    let money = |cents: i64| currency.format(Money::from_cents(cents));
    let mut out = String::new();
    for (_, name, tickets, gross) in &audit.per_group {
        out.push_str(&format!(
            "{} {name}: {tickets} {}, {}\n",
            w.group,
            w.tickets,
            money(*gross)
        ));
    }
    for (_, name, orders, gross) in &audit.per_operator {
        out.push_str(&format!(
            "{} {name}: {orders} {}, {}\n",
            w.operator,
            w.sales,
            money(*gross)
        ));
    }
    for (tender, count, cents) in &audit.payments {
        out.push_str(&format!(
            "{} {}: {count}, {}\n",
            w.payments,
            tender_name(lang, tender),
            money(*cents)
        ));
    }
    out.push_str(&format!(
        "{} {} ({}), {} {} ({}), {} {}\n",
        w.refunds,
        audit.refunds,
        money(audit.refunds_cents),
        w.copies,
        audit.copies,
        money(audit.copies_cents),
        w.corrections,
        audit.corrections
    ));
    out.push_str(&format!(
        "{} {} ({})\n",
        w.training,
        audit.training_orders,
        money(audit.training_cents)
    ));
    out.push_str(&format!(
        "{}: {} {}, {} {}, {} {}\n",
        w.grand_totals,
        w.sales,
        money(audit.grand_total_sales_cents),
        w.refunds,
        money(audit.grand_total_refunds_cents),
        w.net,
        money(audit.grand_total_sales_cents - audit.grand_total_refunds_cents)
    ));
    out
}
