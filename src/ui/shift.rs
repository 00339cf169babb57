//! The shift window (F12): the X report, opening the shift, the drawer count, the two closes
//! (the shift alone, or the shift and the trading day with its Z), cash in and out.

use egui::RichText;

use super::manager::ManagerAction;
use crate::app::{CashMovement, ShiftReport};
use crate::domain::Currency;
use crate::domain::Money;
use crate::domain::drawer::DrawerCount;
use crate::i18n::{Lang, Text, tr};

/// A shift's close as the window asks for it (confirmed first: it cannot be undone).
pub struct ShiftClose {
    pub count: DrawerCount,
    pub comment: String,
    /// A manager's name and PIN when the user may not close alone.
    pub manager: Option<(String, String)>,
    /// The last close of the trading day: the day's Z is made with it (issue 13).
    pub end_of_day: bool,
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
        shift_report_ui(ui, lang, self.currency, &report);
        if ui.button(tr(lang, Text::PrintReport)).clicked() {
            actions.push(ManagerAction::PrintReport(report.clone()));
        }
        if let Some(day) = &report.day_z {
            // The close ended the trading day: its Z is shown (and printed) beside the shift's.
            ui.separator();
            shift_report_ui(ui, lang, self.currency, day);
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
fn shift_report_ui(ui: &mut egui::Ui, lang: Lang, currency: Currency, report: &ShiftReport) {
    let word = |name: &str| crate::i18n::back_office_label(lang, name).unwrap_or("");
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
            figure_rows(ui, lang, currency, report);
            tender_rows(ui, lang, currency, report);
            let row = |ui: &mut egui::Ui, name: &str, value: String| {
                ui.label(word(name));
                ui.label(value);
                ui.end_row();
            };
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

/// The report's rows from its opening to the drawer's movements: a name and a value each.
fn figure_rows(ui: &mut egui::Ui, lang: Lang, currency: Currency, report: &ShiftReport) {
    let word = |name: &str| crate::i18n::back_office_label(lang, name).unwrap_or("");
    let money = |amount: Money| currency.format(amount);
    let row = |ui: &mut egui::Ui, name: &str, value: String| {
        ui.label(word(name));
        ui.label(value);
        ui.end_row();
    };
    let opened = crate::i18n::date_time_text(&report.opened_at, lang);
    row(ui, "opened_at", format!("{opened} ({})", report.opened_by));
    if let (Some(at), Some(by)) = (&report.closed_at, &report.closed_by) {
        let closed = crate::i18n::date_time_text(at, lang);
        row(ui, "closed_at", format!("{closed} ({by})"));
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
        let rate = crate::domain::VatBasisPoints(vat.vat_basis_points).percent_text();
        let net = money(vat.net_cents);
        let tax = money(vat.vat_cents);
        row(
            ui,
            "vat",
            format!("{rate}: {} {net}, {} {tax}", word("net"), word("vat")),
        );
    }
    if report.cash_rounding_cents != Money::ZERO || report.refund_rounding_cents != Money::ZERO {
        let rounding = money(report.cash_rounding_cents);
        let back = money(report.refund_rounding_cents);
        row(ui, "cash_rounding", format!("{rounding} / {back}"));
    }
    row(ui, "float", money(report.float_cents));
    row(ui, "cash_in", money(report.cash_in_cents));
    row(ui, "cash_out", money(report.cash_out_cents));
    row(ui, "drawer_opens", report.drawer_opens.to_string());
}

/// One row per tender: sales, refunds, expected and, once counted, counted and the difference
/// (the row coloured by it).
fn tender_rows(ui: &mut egui::Ui, lang: Lang, currency: Currency, report: &ShiftReport) {
    let word = |name: &str| crate::i18n::back_office_label(lang, name).unwrap_or("");
    let money = |amount: Money| currency.format(amount);
    for tender in &report.tenders {
        // Two lines (sales and refunds; expected, counted and the difference): on one line
        // a counted cash row in Swedish or English ran past the right edge at 1280×768.
        let mut text = format!(
            "{} {}, {} {}\n{} {}",
            word("sales"),
            money(tender.sales_cents),
            word("refunds"),
            money(tender.refunds_cents),
            word("expected"),
            money(tender.expected_cents)
        );
        if let (Some(counted), Some(variance)) = (tender.counted_cents, tender.variance_cents) {
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
            Some(variance) => {
                ui.label(RichText::new(text).color(super::theme::difference_colour(variance)))
            }
            None => ui.label(text),
        };
        ui.end_row();
    }
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
