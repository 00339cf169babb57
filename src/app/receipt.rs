//! The receipt of an order: what the cashier sees, prints and `order show` prints.

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
    pub order_number: i64,
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
    /// Tenders other than cash and card (bank): (tender, amount).
    pub other_tenders: Vec<(String, Money)>,
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
    pub fn from_details(details: &OrderDetails, lang: Lang) -> Receipt {
        let event = &details.performance.event;
        let event_name = lang
            .pick(&[&event.name_fi, &event.name_sv, &event.name_en])
            .to_string();
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
        let cash = details.payments.iter().find(|p| p.tender == "cash");
        let tickets = details
            .tickets
            .iter()
            .map(|ticket| {
                let line = details.lines.iter().find(|l| l.line_no == ticket.line_no);
                TicketView {
                    code: ticket.code.clone(),
                    event_name: event_name.clone(),
                    venue: event.venue.clone(),
                    organiser: event.organiser.clone(),
                    starts_at: date_time_text(&details.performance.starts_at, lang),
                    category_name: line
                        .map(|l| lang.pick(&l.category_names).to_string())
                        .unwrap_or_default(),
                    price: Money::from_cents(ticket.price_cents),
                    vat_rate: VatBasisPoints(line.map_or(0, |l| l.vat_basis_points)),
                    order_number: details.order_number,
                    state: ticket.state.clone(),
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
            .collect();
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
            vat: vat.into_values().collect(),
            total: Money::from_cents(details.total_cents),
            tendered: cash.and_then(|p| p.tendered_cents).map(Money::from_cents),
            change: cash.and_then(|p| p.change_cents).map(Money::from_cents),
            tickets,
            card: Vec::new(),
            rounding: Money::ZERO,
            currency: Currency::Eur,
            seller: SellerSettings::default(),
            training: details.tickets.iter().any(|t| t.state == "training"),
            other_tenders: details
                .payments
                .iter()
                .filter(|p| p.state == "approved" && p.tender == "bank")
                .map(|p| (p.tender.clone(), Money::from_cents(p.amount_cents)))
                .collect(),
        }
    }

    /// The receipt as plain text (the CLI, the receipt printer later).
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
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
        out
    }
}
