//! The receipt view model: an order's receipt (and a refund's) as the customer, the printer
//! and the ticket mail see it. Below `app`, so printing and mail read it without reaching up;
//! built from the ledger's `OrderDetails`.

//! The receipt of an order: what the cashier sees, prints and `order show` prints.

use crate::domain::ids::OrderNumber;
use crate::domain::{Tender, TicketState};
use std::collections::BTreeMap;

use crate::domain::{Currency, Money, VatBasisPoints, VatSummary};
use crate::i18n::{Lang, Text, date_time_text, tr};
use crate::ledger::{OrderDetails, SellerSettings};
use crate::printing::TicketView;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub gross: Money,
    pub vat_rate: VatBasisPoints,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub register_id: String,
    pub order_number: OrderNumber,
    pub receipt_number: Option<i64>,
    pub created_at: String,
    pub cashier: String,
    pub event_name: String,
    pub starts_at: String,
    pub lines: Vec<ReceiptLine>,
    pub vat: Vec<VatSummary>,
    pub total: Money,
    pub tendered: Option<Money>,
    pub change: Option<Money>,
    pub tickets: Vec<TicketView>,
    /// Card payments: the amount, brand, masked PAN, and the terminal's customer receipt text.
    pub card: Vec<ReceiptCard>,
    /// Cash rounding (cash paid − what the lines cost of cash), 0 when none.
    pub rounding: Money,
    /// The register's currency: how amounts are written.
    pub currency: Currency,
    /// The seller as the receipt names it (register settings).
    pub seller: SellerSettings,
    /// A training sale: not a receipt, says so in large type.
    pub training: bool,
    /// Approved cash and bank payments: (tender, amount of the lines they paid).
    pub payments: Vec<(Tender, Money)>,
}

/// A refund's receipt: what went back, by which tender, against which original receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundReceipt {
    pub receipt_number: Option<i64>,
    pub created_at: String,
    pub tender: Tender,
    pub amount: Money,
    /// (rate, gross, VAT) taken back.
    pub vat: Vec<(VatBasisPoints, Money, Money)>,
    pub tickets: Vec<String>,
    pub rounding: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCard {
    pub amount: Money,
    pub brand: String,
    pub masked_pan: String,
    pub approval_code: String,
    pub customer_receipt: String,
}

impl Receipt {
    /// The receipt of an order as its ledger rows say, amounts in the register's `currency`.
    pub fn from_details(details: &OrderDetails, lang: Lang, currency: Currency) -> Receipt {
        let event = &details.performance.event;
        let event_name = lang
            .pick(&[&event.name_fi, &event.name_sv, &event.name_en])
            .to_string();
        let vat = vat_summaries(details);
        let cash = details.payments.iter().find(|p| p.tender == Tender::Cash);
        let tickets = ticket_views(details, lang, &event_name, currency);
        Receipt {
            register_id: details.register_id.clone(),
            order_number: details.order_number,
            receipt_number: details.receipt_number,
            created_at: details.created_at.clone(),
            cashier: details.user_name.clone(),
            event_name,
            starts_at: date_time_text(&details.performance.starts_at, lang),
            lines: details
                .lines
                .iter()
                .map(|line| ReceiptLine {
                    name: lang.pick(&line.category_names).to_string(),
                    quantity: line.quantity,
                    unit_price: Money::from_cents(line.unit_price_cents),
                    gross: Money::from_cents(line.gross_cents),
                    vat_rate: VatBasisPoints(line.vat_basis_points),
                })
                .collect(),
            vat,
            total: Money::from_cents(details.total_cents),
            tendered: cash.and_then(|p| p.tendered_cents).map(Money::from_cents),
            change: cash.and_then(|p| p.change_cents).map(Money::from_cents),
            tickets,
            card: Vec::new(),
            rounding: Money::ZERO,
            currency,
            seller: SellerSettings::default(),
            training: details
                .tickets
                .iter()
                .any(|t| t.state == TicketState::Training),
            payments: details
                .payments
                .iter()
                .filter(|p| p.state == "approved" && p.tender != Tender::Card)
                .map(|p| (p.tender, Money::from_cents(p.amount_cents)))
                .collect(),
        }
    }

    /// The receipt as plain text (the CLI, the receipt printer later).
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.sale_text(lang, &mut out);
        self.payment_text(lang, &mut out);
        self.ticket_text(lang, &mut out);
        out
    }

    /// The plain text's head: receipt and order number, date, event, lines and VAT.
    fn sale_text(&self, lang: Lang, out: &mut String) {
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "{} {}",
            tr(lang, Text::Receipt),
            self.receipt_number
                .map(|n| n.to_string())
                .unwrap_or_default()
        ));
        line(format!(
            "{}: {}   {}",
            tr(lang, Text::OrderNumber),
            self.order_number,
            self.register_id
        ));
        line(date_time_text(&self.created_at, lang));
        line(format!("{} – {}", self.event_name, self.starts_at));
        for receipt_line in &self.lines {
            line(format!(
                "{:>3} × {:<20} {:>12} {:>12}",
                receipt_line.quantity,
                receipt_line.name,
                receipt_line.unit_price.to_string(),
                receipt_line.gross.to_string()
            ));
        }
        for summary in &self.vat {
            line(format!(
                "{} {:>7}  {} {:>10}  {} {:>10}  {:>12}",
                tr(lang, Text::Vat),
                summary.rate.percent_text(),
                tr(lang, Text::Net),
                summary.net.to_string(),
                tr(lang, Text::Vat),
                summary.vat.to_string(),
                summary.gross.to_string()
            ));
        }
    }

    /// The plain text's total and tenders.
    fn payment_text(&self, lang: Lang, out: &mut String) {
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "{:<42} {:>12}",
            tr(lang, Text::Total),
            self.total.to_string()
        ));
        if let Some(tendered) = self.tendered {
            line(format!(
                "{:<42} {:>12}",
                tr(lang, Text::Tendered),
                tendered.to_string()
            ));
        }
        if self.rounding != Money::ZERO {
            line(format!(
                "{:<42} {:>12}",
                crate::i18n::receipt_text(lang, crate::i18n::ReceiptText::CashRounding),
                self.rounding.to_string()
            ));
        }
        if let Some(change) = self.change {
            line(format!(
                "{:<42} {:>12}",
                tr(lang, Text::Change),
                change.to_string()
            ));
        }
        for card in &self.card {
            line(format!(
                "{:<42} {:>12}",
                format!(
                    "{} {} {}",
                    tr(lang, Text::Card),
                    card.brand,
                    card.masked_pan
                ),
                card.amount.to_string()
            ));
            for text in card.customer_receipt.lines() {
                line(format!("  {text}"));
            }
        }
    }

    /// The plain text's tickets.
    fn ticket_text(&self, lang: Lang, out: &mut String) {
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        for ticket in &self.tickets {
            let seat = ticket
                .seat
                .as_ref()
                .map(|seat| format!("  {}", seat.text(lang)))
                .unwrap_or_default();
            line(format!(
                "{} {}  {}{seat}  {}",
                tr(lang, Text::Ticket),
                ticket.code,
                ticket.category_name,
                ticket.state
            ));
        }
    }
}

/// VAT per rate over the order's lines.
fn vat_summaries(details: &OrderDetails) -> Vec<VatSummary> {
    let mut vat: BTreeMap<i64, VatSummary> = BTreeMap::new();
    for line in &details.lines {
        let entry = vat.entry(line.vat_basis_points).or_insert(VatSummary {
            rate: VatBasisPoints(line.vat_basis_points),
            net: Money::ZERO,
            vat: Money::ZERO,
            gross: Money::ZERO,
        });
        entry.net += Money::from_cents(line.net_cents);
        entry.vat += Money::from_cents(line.vat_cents);
        entry.gross += Money::from_cents(line.gross_cents);
    }
    vat.into_values().collect()
}

/// The order's tickets as a ticket shows them, in `lang`.
fn ticket_views(
    details: &OrderDetails,
    lang: Lang,
    event_name: &str,
    currency: Currency,
) -> Vec<TicketView> {
    let event = &details.performance.event;
    details
        .tickets
        .iter()
        .map(|ticket| {
            let line = details.lines.iter().find(|l| l.line_no == ticket.line_no);
            TicketView {
                code: ticket.code.clone(),
                event_name: event_name.to_string(),
                venue: event.venue.clone(),
                organiser: event.organiser.clone(),
                starts_at: date_time_text(&details.performance.starts_at, lang),
                category_name: line
                    .map(|l| lang.pick(&l.category_names).to_string())
                    .unwrap_or_default(),
                price: Money::from_cents(ticket.price_cents),
                currency,
                vat_rate: VatBasisPoints(line.map_or(0, |l| l.vat_basis_points)),
                order_number: details.order_number,
                state: ticket.state.as_str().to_string(),
                seat: ticket.seat.as_ref().map(|seat| crate::printing::SeatLine {
                    section: seat.section.clone(),
                    section_name: ticket
                        .section_names
                        .as_ref()
                        .map(|names| lang.pick(names).to_string())
                        .unwrap_or_else(|| seat.section.clone()),
                    row: seat.row.clone(),
                    seat: seat.seat.clone(),
                }),
            }
        })
        .collect()
}

use crate::i18n::{ReceiptText as R, receipt_text};
use crate::printing::escpos::{RECEIPT_WIDTH, Row, RowStyle, two_columns};

impl Receipt {
    fn money(&self, amount: Money) -> String {
        self.currency.format(amount)
    }

    /// The seller's head of every receipt, then COPY or TRAINING in large type.
    fn head_rows(&self, lang: Lang, copy: bool) -> Vec<Row> {
        let mut rows = Vec::new();
        let seller = &self.seller;
        if !seller.seller_name.is_empty() {
            rows.push(Row::new(RowStyle::Large, seller.seller_name.clone()));
        }
        for line in seller
            .seller_address
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            rows.push(Row::new(RowStyle::Center, line.trim()));
        }
        if !seller.business_id.is_empty() {
            rows.push(Row::new(
                RowStyle::Center,
                format!(
                    "{} {}",
                    receipt_text(lang, R::BusinessId),
                    seller.business_id
                ),
            ));
        }
        if !seller.vat_number.is_empty() {
            rows.push(Row::new(
                RowStyle::Center,
                format!("{} {}", receipt_text(lang, R::VatNumber), seller.vat_number),
            ));
        }
        if self.training {
            rows.push(Row::new(RowStyle::Large, receipt_text(lang, R::Training)));
            rows.push(Row::new(
                RowStyle::Center,
                receipt_text(lang, R::TrainingNotValid),
            ));
        }
        if copy {
            rows.push(Row::new(RowStyle::Large, receipt_text(lang, R::Copy)));
        }
        rows
    }

    fn rule() -> Row {
        Row::normal("-".repeat(RECEIPT_WIDTH))
    }

    fn pair(rows: &mut Vec<Row>, style: RowStyle, left: &str, right: &str) {
        for text in two_columns(left, right) {
            rows.push(Row::new(style, text));
        }
    }

    /// VAT per rate: rate, net, VAT, gross (amounts without the currency sign).
    fn vat_rows(&self, lang: Lang, vat: &[(VatBasisPoints, Money, Money, Money)]) -> Vec<Row> {
        let mut rows = vec![Row::normal(format!(
            "{:<9}{:>11}{:>10}{:>12}",
            format!("{} %", receipt_text(lang, R::VatRate)),
            receipt_text(lang, R::Net),
            receipt_text(lang, R::Vat),
            receipt_text(lang, R::Gross)
        ))];
        for (rate, net, tax, gross) in vat {
            rows.push(Row::normal(format!(
                "{:<9}{:>11}{:>10}{:>12}",
                rate.percent_text(),
                net.amount_text(),
                tax.amount_text(),
                gross.amount_text()
            )));
        }
        rows
    }

    fn tender_name(lang: Lang, tender: Tender) -> &'static str {
        match tender {
            Tender::Cash => receipt_text(lang, R::Cash),
            Tender::Card => receipt_text(lang, R::Card),
            Tender::Bank => receipt_text(lang, R::Bank),
        }
    }

    /// The customer's receipt of the sale, as the law asks: the seller and business ID, the
    /// register and receipt number, the local date and time, each line with quantity, unit
    /// price and amount, VAT per rate, each tender (card: masked PAN, approval code, the
    /// terminal's slip), tendered and change, the cash rounding, the order number and the
    /// ticket codes. `copy` marks it KOPIO / KOPIA / COPY.
    pub fn customer_rows(&self, lang: Lang, copy: bool) -> Vec<Row> {
        let mut rows = self.head_rows(lang, copy);
        rows.push(Self::rule());
        Self::pair(
            &mut rows,
            RowStyle::Normal,
            &format!("{} {}", receipt_text(lang, R::Register), self.register_id),
            &format!(
                "{} {}",
                receipt_text(lang, R::ReceiptNo),
                self.receipt_number
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ),
        );
        Self::pair(
            &mut rows,
            RowStyle::Normal,
            &date_time_text(&self.created_at, lang),
            &format!("{} {}", receipt_text(lang, R::Order), self.order_number),
        );
        rows.push(Row::normal(format!(
            "{} {}",
            receipt_text(lang, R::Cashier),
            self.cashier
        )));
        rows.push(Self::rule());
        rows.push(Row::normal(self.event_name.clone()));
        rows.push(Row::normal(self.starts_at.clone()));
        for line in &self.lines {
            Self::pair(
                &mut rows,
                RowStyle::Normal,
                &format!(
                    "{} {} {} {} {}",
                    line.quantity,
                    receipt_text(lang, R::Quantity),
                    line.name,
                    receipt_text(lang, R::UnitPrice),
                    self.money(line.unit_price)
                ),
                &self.money(line.gross),
            );
        }
        rows.push(Self::rule());
        Self::pair(
            &mut rows,
            RowStyle::Bold,
            receipt_text(lang, R::Total),
            &self.money(self.total),
        );
        let vat: Vec<_> = self
            .vat
            .iter()
            .map(|v| (v.rate, v.net, v.vat, v.gross))
            .collect();
        rows.extend(self.vat_rows(lang, &vat));
        rows.push(Self::rule());
        self.payment_rows(lang, &mut rows);
        self.card_rows(lang, &mut rows);
        rows.push(Self::rule());
        rows.push(Row::normal(receipt_text(lang, R::TicketCodes)));
        for ticket in &self.tickets {
            rows.push(Row::normal(format!("  {}", ticket.code)));
        }
        rows.push(Row::new(RowStyle::Center, receipt_text(lang, R::Thanks)));
        rows
    }

    /// Each cash or bank tender (cash with its rounding, tendered and change).
    fn payment_rows(&self, lang: Lang, rows: &mut Vec<Row>) {
        for (tender, amount) in &self.payments {
            let paid = if *tender == Tender::Cash {
                if self.rounding != Money::ZERO {
                    Self::pair(
                        rows,
                        RowStyle::Normal,
                        receipt_text(lang, R::CashRounding),
                        &self.money(self.rounding),
                    );
                }
                *amount + self.rounding
            } else {
                *amount
            };
            Self::pair(
                rows,
                RowStyle::Normal,
                Self::tender_name(lang, *tender),
                &self.money(paid),
            );
            if *tender == Tender::Cash {
                if let Some(tendered) = self.tendered {
                    Self::pair(
                        rows,
                        RowStyle::Normal,
                        &format!("  {}", receipt_text(lang, R::Tendered)),
                        &self.money(tendered),
                    );
                }
                if let Some(change) = self.change {
                    Self::pair(
                        rows,
                        RowStyle::Normal,
                        &format!("  {}", receipt_text(lang, R::Change)),
                        &self.money(change),
                    );
                }
            }
        }
    }

    /// Each card tender: masked PAN, approval code and the terminal's slip.
    fn card_rows(&self, lang: Lang, rows: &mut Vec<Row>) {
        for card in &self.card {
            Self::pair(
                rows,
                RowStyle::Normal,
                &format!(
                    "{} {} {}",
                    receipt_text(lang, R::Card),
                    card.brand,
                    card.masked_pan
                ),
                &self.money(card.amount),
            );
            rows.push(Row::normal(format!(
                "  {} {}",
                receipt_text(lang, R::ApprovalCode),
                card.approval_code
            )));
            for text in card
                .customer_receipt
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                rows.push(Row::normal(format!("  {}", text.trim_end())));
            }
        }
    }

    /// The receipt of a refund of this order: REFUND, the original receipt's number, what went
    /// back by which tender, VAT per rate and the tickets revoked.
    pub fn refund_rows(&self, refund: &RefundReceipt, lang: Lang, copy: bool) -> Vec<Row> {
        let mut rows = self.head_rows(lang, copy);
        rows.push(Row::new(RowStyle::Large, receipt_text(lang, R::Refund)));
        rows.push(Self::rule());
        Self::pair(
            &mut rows,
            RowStyle::Normal,
            &format!("{} {}", receipt_text(lang, R::Register), self.register_id),
            &format!(
                "{} {}",
                receipt_text(lang, R::ReceiptNo),
                refund
                    .receipt_number
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ),
        );
        rows.push(Row::normal(date_time_text(&refund.created_at, lang)));
        rows.push(Row::normal(format!(
            "{} {} ({} {})",
            receipt_text(lang, R::RefundOf),
            self.receipt_number
                .map(|n| n.to_string())
                .unwrap_or_default(),
            receipt_text(lang, R::Order),
            self.order_number
        )));
        rows.push(Self::rule());
        rows.push(Row::normal(self.event_name.clone()));
        Self::pair(
            &mut rows,
            RowStyle::Bold,
            receipt_text(lang, R::Total),
            &self.money(Money::ZERO - refund.amount),
        );
        let vat: Vec<_> = refund
            .vat
            .iter()
            .map(|(rate, gross, tax)| {
                (
                    *rate,
                    Money::ZERO - (*gross - *tax),
                    Money::ZERO - *tax,
                    Money::ZERO - *gross,
                )
            })
            .collect();
        rows.extend(self.vat_rows(lang, &vat));
        rows.push(Self::rule());
        if refund.rounding != Money::ZERO {
            Self::pair(
                &mut rows,
                RowStyle::Normal,
                receipt_text(lang, R::CashRounding),
                &self.money(Money::ZERO - refund.rounding),
            );
        }
        Self::pair(
            &mut rows,
            RowStyle::Normal,
            Self::tender_name(lang, refund.tender),
            &self.money(Money::ZERO - refund.amount - refund.rounding),
        );
        if !refund.tickets.is_empty() {
            rows.push(Row::normal(receipt_text(lang, R::TicketCodes)));
            for code in &refund.tickets {
                rows.push(Row::normal(format!("  {code}")));
            }
        }
        rows
    }
}

#[cfg(test)]
mod golden;
