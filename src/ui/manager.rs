//! The refund side panel (search, order, refund) and the shift window (X, open, count and close).

use crate::domain::ids::OrderNumber;
use std::collections::BTreeSet;

use egui::RichText;

use crate::app::views::{OrderHitView, RefundView};
use crate::app::{CashMovement, REFUND_REASONS, Receipt, RefundRequest, ShiftReport};
use crate::domain::Currency;
use crate::domain::Money;
use crate::domain::drawer::DrawerCount;
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

/// A shift's close as the window asks for it (confirmed first: it cannot be undone).
pub struct ShiftClose {
    pub count: DrawerCount,
    pub comment: String,
    /// A manager's name and PIN when the user may not close alone.
    pub manager: Option<(String, String)>,
    /// The last close of the trading day: the day's Z is made with it (issue 13).
    pub end_of_day: bool,
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
    fn tender(receipt: &Receipt) -> &'static str {
        if !receipt.card.is_empty() {
            "card"
        } else if receipt.tendered.is_some() {
            "cash"
        } else {
            "bank"
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
                        Money::from_cents(hit.total_cents - hit.refunded_cents)
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
            receipt.total,
            tr(lang, Text::PaidBy),
            crate::i18n::tender_name(lang, tender)
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

    /// What was refunded already and the tickets to tick; returns the refunded cents.
    fn tickets_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        receipt: &Receipt,
        refunds: &[RefundView],
    ) -> i64 {
        let refunded: i64 = refunds.iter().map(|r| r.amount_cents).sum();
        if refunded > 0 {
            ui.label(format!(
                "{}: {}",
                tr(lang, Text::Refunded),
                Money::from_cents(refunded)
            ));
        }
        for ticket in &receipt.tickets {
            let valid = ticket.state == "valid";
            let mut chosen = self.chosen.contains(&ticket.code);
            let text = format!(
                "{}  {}  {}{}",
                crate::i18n::code_text(&ticket.code),
                ticket.category_name,
                ticket.price,
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
        refunded: i64,
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
            RefundRequest::WholeOrder => receipt.total - Money::from_cents(refunded),
        };
        ui.label(
            RichText::new(crate::i18n::give_back(lang, to_give, tender))
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

pub struct ShiftWindow {
    pub open: bool,
    /// `None` until loaded; `Some(None)`: no shift is open.
    pub report: Option<Option<Box<ShiftReport>>>,
    pub float: String,
    pub counts: Vec<String>,
    pub comment: String,
    pub cash_amount: String,
    pub cash_reason: String,
    pub manager_name: String,
    pub manager_pin: String,
    /// The register's currency: the drawer count asks only for its notes and coins (no 1
    /// and 2 cent coins at a Finnish counter, whole kronor in Sweden).
    pub currency: Currency,
}

impl Default for ShiftWindow {
    fn default() -> Self {
        ShiftWindow {
            open: false,
            report: None,
            float: String::new(),
            counts: vec![String::new(); Currency::default().denominations_cents().len()],
            comment: String::new(),
            cash_amount: String::new(),
            cash_reason: String::new(),
            manager_name: String::new(),
            manager_pin: String::new(),
            currency: Currency::default(),
        }
    }
}

impl ShiftWindow {
    /// `needs_manager`: the user may not move cash or close the shift alone; a manager's name
    /// and PIN are asked for in place.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        needs_manager: bool,
        actions: &mut Vec<ManagerAction>,
    ) {
        let mut open = self.open;
        let max_height = super::theme::window_max_height(ctx);
        egui::Window::new(tr(lang, Text::Shift))
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .default_height(max_height)
            .max_height(max_height)
            .anchor(egui::Align2::CENTER_TOP, [0.0, super::theme::WINDOW_MARGIN])
            .show(ctx, |ui| {
                // Taller than the screen at 1280×768: Close shift (Z) and cash in/out scroll in.
                egui::ScrollArea::vertical()
                    .max_height(max_height)
                    .auto_shrink([false, true])
                    .show(ui, |ui| self.contents_ui(ui, lang, needs_manager, actions))
            });
        self.open = open;
    }

    fn contents_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        needs_manager: bool,
        actions: &mut Vec<ManagerAction>,
    ) {
        let report = match &self.report {
            None => {
                ui.spinner();
                return;
            }
            Some(None) => {
                self.open_ui(ui, lang, actions);
                return;
            }
            Some(Some(report)) => report.clone(),
        };
        shift_report_ui(ui, lang, &report);
        if ui.button(tr(lang, Text::PrintReport)).clicked() {
            actions.push(ManagerAction::PrintReport(report.clone()));
        }
        if let Some(day) = &report.day_z {
            // The close ended the trading day: its Z is shown (and printed) beside the shift's.
            ui.separator();
            shift_report_ui(ui, lang, day);
            if ui
                .button(format!(
                    "{} – {}",
                    tr(lang, Text::PrintReport),
                    tr(lang, Text::DayZ)
                ))
                .clicked()
            {
                actions.push(ManagerAction::PrintReport(day.clone()));
            }
        }
        if report.number.is_some() {
            return;
        }
        let manager = self.manager_ui(ui, lang, needs_manager);
        ui.separator();
        let count = self.count_ui(ui, lang, &report);
        self.close_ui(ui, lang, count, manager.clone(), actions);
        ui.separator();
        self.cash_ui(ui, lang, manager, actions);
    }

    /// No shift is open: the float, Enter or the button opens one.
    fn open_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<ManagerAction>) {
        ui.label(tr(lang, Text::NoShift));
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::OpeningFloat));
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.float).desired_width(100.0))
                .labelled_by(label.id);
            if self.float.is_empty() && !field.has_focus() {
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Ok(float) = Money::parse(&self.float)
                && (ui.button(tr(lang, Text::OpenShift)).clicked() || enter)
            {
                actions.push(ManagerAction::OpenShift(float));
            }
        });
    }

    /// A manager's name and PIN in place, when the user may not close or move cash alone.
    fn manager_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        needs_manager: bool,
    ) -> Option<(String, String)> {
        if !needs_manager {
            return None;
        }
        ui.separator();
        ui.label(RichText::new(tr(lang, Text::ManagerApproval)).strong());
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::ManagerName));
            ui.add(egui::TextEdit::singleline(&mut self.manager_name).desired_width(120.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::ManagerPin));
            ui.add(
                egui::TextEdit::singleline(&mut self.manager_pin)
                    .password(true)
                    .desired_width(80.0),
            )
            .labelled_by(label.id);
        });
        Some((
            self.manager_name.trim().to_string(),
            self.manager_pin.clone(),
        ))
    }

    /// The drawer count by the currency's notes and coins, its total and the difference from
    /// the expected cash (green when it matches, red when not).
    fn count_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        report: &ShiftReport,
    ) -> Option<DrawerCount> {
        ui.label(RichText::new(tr(lang, Text::CountDrawer)).strong());
        let currency = self.currency;
        let denominations = currency.denominations_cents();
        self.counts.resize(denominations.len(), String::new());
        egui::Grid::new("count").num_columns(4).show(ui, |ui| {
            for (index, &cents) in denominations.iter().enumerate() {
                let label = ui.label(currency.format(Money::from_cents(cents)));
                ui.add(egui::TextEdit::singleline(&mut self.counts[index]).desired_width(50.0))
                    .labelled_by(label.id);
                if index % 2 == 1 {
                    ui.end_row();
                }
            }
        });
        let text: Vec<String> = denominations
            .iter()
            .zip(&self.counts)
            .filter(|(_, n)| !n.trim().is_empty())
            .map(|(cents, n)| format!("{}.{:02}={}", cents / 100, cents % 100, n.trim()))
            .collect();
        match DrawerCount::parse_in(&text.join(","), currency) {
            Ok(count) => {
                let variance = count.total() - report.expected_cash();
                ui.label(format!("{}: {}", tr(lang, Text::Total), count.total()));
                ui.label(
                    RichText::new(format!("{}: {variance}", tr(lang, Text::Variance)))
                        .color(super::theme::difference_colour(variance))
                        .strong(),
                );
                Some(count)
            }
            Err(error) => {
                ui.colored_label(super::theme::BAD, error.to_string());
                None
            }
        }
    }

    /// The comment and the two closes: the shift alone (Ctrl+Enter), or the shift and the
    /// trading day with the day's Z (Ctrl+Shift+Enter). Both ask first.
    fn close_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        count: Option<DrawerCount>,
        manager: Option<(String, String)>,
        actions: &mut Vec<ManagerAction>,
    ) {
        let label = ui.label(tr(lang, Text::Comment));
        ui.text_edit_singleline(&mut self.comment)
            .labelled_by(label.id);
        let (close_key, day_key) = ui.input(|i| {
            let enter = i.modifiers.command && i.key_pressed(egui::Key::Enter);
            (enter && !i.modifiers.shift, enter && i.modifiers.shift)
        });
        let mut end_of_day = None;
        ui.horizontal_wrapped(|ui| {
            let enabled = count.is_some();
            let shift = RichText::new(format!("{} (Ctrl+Enter)", tr(lang, Text::CloseShift)));
            if ui
                .add_enabled(enabled, egui::Button::new(shift.strong()))
                .clicked()
                || close_key
            {
                end_of_day = Some(false);
            }
            let day = format!("{} (Ctrl+Shift+Enter)", tr(lang, Text::CloseDay));
            if ui.add_enabled(enabled, egui::Button::new(day)).clicked() || day_key {
                end_of_day = Some(true);
            }
        });
        if let (Some(count), Some(end_of_day)) = (count, end_of_day) {
            actions.push(ManagerAction::CloseShift(ShiftClose {
                count,
                comment: self.comment.clone(),
                manager,
                end_of_day,
            }));
            self.manager_pin.clear();
        }
    }

    /// Cash in, cash out, or the drawer opened without a sale, with an amount and a reason.
    fn cash_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        manager: Option<(String, String)>,
        actions: &mut Vec<ManagerAction>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::Amount));
            ui.add(egui::TextEdit::singleline(&mut self.cash_amount).desired_width(80.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::Reason));
            ui.add(egui::TextEdit::singleline(&mut self.cash_reason).desired_width(160.0))
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let amount = Money::parse(&self.cash_amount).unwrap_or_default();
            for (text, movement) in [
                (Text::CashIn, Some(CashMovement::CashIn)),
                (Text::CashOut, Some(CashMovement::CashOut)),
                (Text::OpenDrawer, None),
            ] {
                if ui.button(tr(lang, text)).clicked() {
                    actions.push(ManagerAction::MoveCash(
                        movement,
                        amount,
                        self.cash_reason.clone(),
                        manager.clone(),
                    ));
                    self.manager_pin.clear();
                    self.cash_amount.clear();
                    self.cash_reason.clear();
                }
            }
        });
    }
}

/// The X or Z report in the user's language, dates in local time.
fn shift_report_ui(ui: &mut egui::Ui, lang: Lang, report: &ShiftReport) {
    let word = |name: &str| crate::i18n::back_office_label(lang, name).unwrap_or("");
    let money = |cents: i64| Money::from_cents(cents).to_string();
    let title = match (report.number, &report.day) {
        (Some(number), Some(day)) => format!(
            "{} {number} · {}",
            tr(lang, Text::DayZ),
            chrono::NaiveDate::parse_from_str(&day.trading_day, "%Y-%m-%d")
                .map(|date| crate::i18n::date_text(date, lang))
                .unwrap_or_else(|_| day.trading_day.clone())
        ),
        (Some(number), None) => format!("Z {number}"),
        (None, _) => "X".to_string(),
    };
    ui.label(
        RichText::new(format!(
            "{title} · {} {}",
            word("register"),
            report.register_id
        ))
        .strong(),
    );
    // The day's Z may stand below the shift's: each grid its own id.
    egui::Grid::new(("shift-report", report.day.is_some()))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let row = |ui: &mut egui::Ui, name: &str, value: String| {
                ui.label(word(name));
                ui.label(value);
                ui.end_row();
            };
            row(
                ui,
                "opened_at",
                format!(
                    "{} ({})",
                    crate::i18n::date_time_text(&report.opened_at, lang),
                    report.opened_by
                ),
            );
            if let (Some(at), Some(by)) = (&report.closed_at, &report.closed_by) {
                row(
                    ui,
                    "closed_at",
                    format!("{} ({by})", crate::i18n::date_time_text(at, lang)),
                );
            }
            if let (Some(first), Some(last)) = (report.first_receipt, report.last_receipt) {
                row(
                    ui,
                    "receipts",
                    format!("{first}–{last} ({})", report.receipts),
                );
            }
            row(ui, "orders", report.orders.to_string());
            row(ui, "tickets", report.tickets.to_string());
            row(ui, "sales", money(report.gross_cents));
            for vat in &report.vat {
                row(
                    ui,
                    "vat",
                    format!(
                        "{}: {} {}, {} {}",
                        crate::domain::VatBasisPoints(vat.vat_basis_points).percent_text(),
                        word("net"),
                        money(vat.net_cents),
                        word("vat"),
                        money(vat.vat_cents)
                    ),
                );
            }
            if report.cash_rounding_cents != 0 || report.refund_rounding_cents != 0 {
                row(
                    ui,
                    "cash_rounding",
                    format!(
                        "{} / {}",
                        money(report.cash_rounding_cents),
                        money(report.refund_rounding_cents)
                    ),
                );
            }
            row(ui, "float", money(report.float_cents));
            row(ui, "cash_in", money(report.cash_in_cents));
            row(ui, "cash_out", money(report.cash_out_cents));
            row(ui, "drawer_opens", report.drawer_opens.to_string());
            for tender in &report.tenders {
                let mut text = format!(
                    "{} {}, {} {}, {} {}",
                    word("sales"),
                    money(tender.sales_cents),
                    word("refunds"),
                    money(tender.refunds_cents),
                    word("expected"),
                    money(tender.expected_cents)
                );
                if let (Some(counted), Some(variance)) =
                    (tender.counted_cents, tender.variance_cents)
                {
                    text.push_str(&format!(
                        ", {} {}, {} {}",
                        word("counted"),
                        money(counted),
                        word("variance"),
                        money(variance)
                    ));
                }
                // A row's name, as the others: "Käteinen", not "käteinen".
                ui.label(capitalised(crate::i18n::tender_name(lang, &tender.tender)));
                match tender.variance_cents {
                    Some(variance) => ui.label(
                        RichText::new(text)
                            .color(super::theme::difference_colour(Money::from_cents(variance))),
                    ),
                    None => ui.label(text),
                };
                ui.end_row();
            }
            if let Some(comment) = &report.comment {
                row(ui, "comment", comment.clone());
            }
            // The head of the journal at this report: a cut tail or a rewritten entry shows
            // as a different number or hash on the next report (RELIABILITY.md).
            if let Some(head) = &report.journal_head {
                row(
                    ui,
                    "journal_head",
                    format!("#{} · {}", head.seq, short_hash(&head.hash)),
                );
            }
        });
}

/// The word with its first letter in upper case (a tender's name as a row's label).
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first 16 hex digits of a hash, in groups of four (read aloud, compared by eye).
fn short_hash(hash: &str) -> String {
    let digits: Vec<char> = hash.chars().take(16).collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}
