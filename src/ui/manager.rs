//! The refund side panel: search, the order, what to give back and how.

use crate::domain::ids::OrderNumber;
use std::collections::BTreeSet;

use egui::RichText;

use super::shift::ShiftClose;
use crate::app::views::{OrderHitView, RefundView};
use crate::app::{CashMovement, REFUND_REASONS, Receipt, RefundRequest, ShiftReport};
use crate::domain::{Currency, Money, Tender};
use crate::i18n::{Lang, Text, tr};

/// What the panels ask the app to do.
pub enum ManagerAction {
    Search(String),
    LoadOrder(OrderNumber),
    Refund {
        order_number: OrderNumber,
        request: RefundRequest,
        reason: String,
        manager: Option<(String, String)>,
    },
    /// Mail the order's tickets again to its address (staff).
    Remail(OrderNumber),
    /// Mail the sale's receipt alone to an address.
    MailReceipt {
        order_number: OrderNumber,
        to: String,
    },
    OpenShift(Money),
    CloseShift(ShiftClose),
    PrintReport(Box<ShiftReport>),
    /// Cash in (`Some(CashIn)`), cash out, or the drawer opened without a sale (`None`),
    /// with a manager's name and PIN when the user may not do it alone.
    MoveCash(
        Option<CashMovement>,
        Money,
        String,
        Option<(String, String)>,
    ),
}

pub struct RefundPanel {
    pub open: bool,
    pub query: String,
    sent_query: String,
    pub hits: Vec<OrderHitView>,
    /// The query `hits` answer.
    pub hits_for: String,
    /// Enter came (a scanner is faster than the search): open the order once it is found.
    open_when_found: bool,
    pub order: Option<(Box<Receipt>, Vec<RefundView>)>,
    pub chosen: BTreeSet<String>,
    pub amount: String,
    pub reason: usize,
    pub reason_text: String,
    pub manager_name: String,
    pub manager_pin: String,
    pub result: Option<String>,
    focus_search: bool,
    /// The address the order panel's "mail the receipt" goes to.
    pub receipt_to: String,
    /// The register's currency, for the hits' amounts (an order's own come with its receipt).
    pub currency: Currency,
}

impl Default for RefundPanel {
    fn default() -> Self {
        RefundPanel {
            open: false,
            query: String::new(),
            sent_query: String::new(),
            hits: Vec::new(),
            hits_for: String::new(),
            open_when_found: false,
            order: None,
            chosen: BTreeSet::new(),
            amount: String::new(),
            // The usual case at the counter; "cancelled" is for a cancelled performance.
            reason: REFUND_REASONS
                .iter()
                .position(|r| *r == "customer_request")
                .unwrap_or(0),
            reason_text: String::new(),
            manager_name: String::new(),
            manager_pin: String::new(),
            result: None,
            focus_search: false,
            receipt_to: String::new(),
            currency: Currency::default(),
        }
    }
}

fn reason_label(lang: Lang, code: &str) -> &'static str {
    tr(
        lang,
        match code {
            "cancelled" => Text::ReasonCancelled,
            "customer_request" => Text::ReasonCustomer,
            "duplicate" => Text::ReasonDuplicate,
            "wrong_price" => Text::ReasonWrongPrice,
            _ => Text::ReasonOther,
        },
    )
}

impl RefundPanel {
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.focus_search = self.open;
    }

    pub fn show_order(&mut self, receipt: Box<Receipt>, refunds: Vec<RefundView>) {
        self.chosen.clear();
        self.amount.clear();
        // A scanned ticket is the one being brought back: tick it.
        if let Some(scanned) = crate::domain::TicketCode::parse(&self.query)
            && let Some(ticket) = receipt.tickets.iter().find(|t| {
                t.state == "valid"
                    && crate::domain::TicketCode::parse(&t.code).as_ref() == Some(&scanned)
            })
        {
            self.chosen.insert(ticket.code.clone());
        }
        self.order = Some((receipt, refunds));
    }

    /// How the order was paid: `cash`, `card` or `bank`.
    fn tender(receipt: &Receipt) -> Tender {
        if !receipt.card.is_empty() {
            Tender::Card
        } else if receipt.tendered.is_some() {
            Tender::Cash
        } else {
            Tender::Bank
        }
    }

    /// The panel's contents. `needs_manager`: the user may not refund alone.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        needs_manager: bool,
        actions: &mut Vec<ManagerAction>,
    ) {
        self.search_ui(ui, lang, actions);
        ui.separator();
        if let Some(result) = &self.result {
            ui.colored_label(super::theme::GOOD, result);
        }
        // The order is taken out while it is drawn, so the form's fields can change.
        let Some((receipt, refunds)) = self.order.take() else {
            return;
        };
        self.order_ui(ui, lang, &receipt, actions);
        let refunded = self.tickets_ui(ui, lang, &receipt, &refunds);
        self.fields_ui(ui, lang, needs_manager);
        self.give_back_ui(ui, lang, &receipt, refunded, needs_manager, actions);
        self.order = Some((receipt, refunds));
    }

    /// The search (results as you type; a scanner's Enter opens the order) and its hits.
    fn search_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<ManagerAction>) {
        ui.heading(tr(lang, Text::Refunds));
        let label = ui.label(tr(lang, Text::Search));
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut self.query)
                    .hint_text(tr(lang, Text::SearchHint))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if self.focus_search {
            search.request_focus();
            self.focus_search = false;
        }
        // Results as you type; a scanner's Enter opens the order when there is just one.
        if self.query != self.sent_query {
            self.sent_query = self.query.clone();
            actions.push(ManagerAction::Search(self.query.clone()));
        }
        if search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            self.open_when_found = true;
        }
        if self.open_when_found && self.hits_for == self.query {
            self.open_when_found = false;
            if self.hits.len() == 1 {
                actions.push(ManagerAction::LoadOrder(self.hits[0].order_number));
            }
        }
        egui::ScrollArea::vertical()
            .id_salt("hits")
            .max_height(180.0)
            .show(ui, |ui| {
                for hit in &self.hits {
                    let text = format!(
                        "#{} · {} · {} · {}",
                        hit.order_number,
                        hit.customer_name.as_deref().unwrap_or("–"),
                        hit.event,
                        self.currency.format(hit.total_cents - hit.refunded_cents)
                    );
                    let selected = self
                        .order
                        .as_ref()
                        .is_some_and(|(r, _)| r.order_number == hit.order_number);
                    if ui.selectable_label(selected, text).clicked() {
                        actions.push(ManagerAction::LoadOrder(hit.order_number));
                    }
                }
            });
    }

    /// The order: number, event, total and how it was paid; re-mail; mail the receipt.
    fn order_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        receipt: &Receipt,
        actions: &mut Vec<ManagerAction>,
    ) {
        ui.label(
            RichText::new(format!(
                "{} {} – {}",
                tr(lang, Text::OrderNumber),
                receipt.order_number,
                receipt.event_name
            ))
            .strong(),
        );
        let tender = Self::tender(receipt);
        ui.label(format!(
            "{}: {} · {}: {}",
            tr(lang, Text::Total),
            receipt.currency.format(receipt.total),
            tr(lang, Text::PaidBy),
            crate::i18n::tender_name(lang, tender.as_str())
        ));
        if ui.button(tr(lang, Text::Remail)).clicked() {
            actions.push(ManagerAction::Remail(receipt.order_number));
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(super::devices::t(
                lang,
                ["Kuitin osoite", "Kvittots adress", "Receipt to"],
            ));
            ui.add(egui::TextEdit::singleline(&mut self.receipt_to).desired_width(200.0))
                .labelled_by(label.id);
            let button = super::devices::t(
                lang,
                ["Lähetä kuitti", "Skicka kvittot", "Mail the receipt"],
            );
            if ui
                .add_enabled(
                    !self.receipt_to.trim().is_empty(),
                    egui::Button::new(button),
                )
                .clicked()
            {
                actions.push(ManagerAction::MailReceipt {
                    order_number: receipt.order_number,
                    to: self.receipt_to.trim().to_string(),
                });
            }
        });
    }

    /// What was refunded already and the tickets to tick; returns the amount refunded.
    fn tickets_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        receipt: &Receipt,
        refunds: &[RefundView],
    ) -> Money {
        let refunded: Money = refunds.iter().map(|r| r.amount_cents).sum();
        if refunded > Money::ZERO {
            ui.label(format!(
                "{}: {}",
                tr(lang, Text::Refunded),
                receipt.currency.format(refunded)
            ));
        }
        for ticket in &receipt.tickets {
            let valid = ticket.state == "valid";
            let mut chosen = self.chosen.contains(&ticket.code);
            let text = format!(
                "{}  {}  {}{}",
                crate::i18n::code_text(&ticket.code),
                ticket.category_name,
                ticket.currency.format(ticket.price),
                if valid {
                    String::new()
                } else {
                    format!(" ({})", crate::i18n::ticket_state(lang, &ticket.state))
                }
            );
            if ui
                .add_enabled(valid, egui::Checkbox::new(&mut chosen, text))
                .changed()
            {
                if chosen {
                    self.chosen.insert(ticket.code.clone());
                } else {
                    self.chosen.remove(&ticket.code);
                }
            }
        }
        refunded
    }

    /// An amount instead of tickets, the reason, and a manager's approval in place.
    fn fields_ui(&mut self, ui: &mut egui::Ui, lang: Lang, needs_manager: bool) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::Amount));
            ui.add_enabled(
                self.chosen.is_empty(),
                egui::TextEdit::singleline(&mut self.amount).desired_width(100.0),
            )
            .labelled_by(label.id);
        });
        egui::ComboBox::from_label(tr(lang, Text::Reason))
            .selected_text(reason_label(lang, REFUND_REASONS[self.reason]))
            .show_ui(ui, |ui| {
                for (index, code) in REFUND_REASONS.iter().enumerate() {
                    ui.selectable_value(&mut self.reason, index, reason_label(lang, code));
                }
            });
        if REFUND_REASONS[self.reason] == "other" {
            let label = ui.label(tr(lang, Text::ReasonText));
            ui.text_edit_singleline(&mut self.reason_text)
                .labelled_by(label.id);
        }
        if needs_manager {
            ui.label(RichText::new(tr(lang, Text::ManagerApproval)).strong());
            egui::Grid::new("manager").num_columns(2).show(ui, |ui| {
                let label = ui.label(tr(lang, Text::ManagerName));
                ui.text_edit_singleline(&mut self.manager_name)
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(tr(lang, Text::ManagerPin));
                ui.add(egui::TextEdit::singleline(&mut self.manager_pin).password(true))
                    .labelled_by(label.id);
                ui.end_row();
            });
        }
    }

    /// What to give back and how, and the refund button (Ctrl+Enter).
    fn give_back_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        receipt: &Receipt,
        refunded: Money,
        needs_manager: bool,
        actions: &mut Vec<ManagerAction>,
    ) {
        let tender = Self::tender(receipt);
        let amount = Money::parse(&self.amount).ok();
        let (request, button) = if !self.chosen.is_empty() {
            (
                RefundRequest::Tickets(self.chosen.iter().cloned().collect()),
                Text::RefundSelected,
            )
        } else if let Some(amount) = amount {
            (RefundRequest::Amount(amount), Text::RefundAmount)
        } else {
            (RefundRequest::WholeOrder, Text::RefundWhole)
        };
        let to_give = match &request {
            RefundRequest::Tickets(codes) => receipt
                .tickets
                .iter()
                .filter(|t| codes.contains(&t.code))
                .map(|t| t.price)
                .fold(Money::ZERO, |a, b| a + b),
            RefundRequest::Amount(amount) => *amount,
            RefundRequest::WholeOrder => receipt.total - refunded,
        };
        ui.label(
            RichText::new(crate::i18n::give_back(
                lang,
                &receipt.currency.format(to_give),
                tender,
            ))
            .size(20.0)
            .strong(),
        );
        let refund_key = ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Enter));
        if ui
            .button(RichText::new(format!("{} (Ctrl+Enter)", tr(lang, button))).strong())
            .clicked()
            || refund_key
        {
            let code = REFUND_REASONS[self.reason];
            let reason = if code == "other" && !self.reason_text.trim().is_empty() {
                self.reason_text.trim().to_string()
            } else {
                code.to_string()
            };
            let manager = needs_manager.then(|| {
                (
                    self.manager_name.trim().to_string(),
                    self.manager_pin.clone(),
                )
            });
            self.manager_pin.clear();
            actions.push(ManagerAction::Refund {
                order_number: receipt.order_number,
                request,
                reason,
                manager,
            });
        }
    }
}
