//! The receipt screen after a sale.

use super::*;

impl BoxOfficeApp {
    pub(super) fn receipt_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let Some(sale) = &self.last_sale else {
            return;
        };
        // Two columns: the receipt with "New sale" on the left, the tickets on the right, each
        // scrolling on its own, so at 1280×768 three tickets show whole beside the receipt.
        let left = (ui.available_width() * 0.36).clamp(300.0, 480.0);
        let height = ui.available_height();
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(
                egui::vec2(left, height),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_min_size(egui::vec2(left, height));
                    egui::ScrollArea::vertical()
                        .id_salt("receipt")
                        .show(ui, |ui| self.receipt_text_ui(ui, sale, actions));
                },
            );
            ui.separator();
            ui.vertical(|ui| {
                ui.heading(tr(lang, Text::Tickets));
                egui::ScrollArea::vertical()
                    .id_salt("tickets")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if self.ticket_previews.is_empty() {
                            ui.horizontal_wrapped(|ui| {
                                for (index, label) in sale.labels.iter().enumerate() {
                                    let picture = ticket_preview_ui(ui, label, 0.45);
                                    let name = format!("{} {}", tr(lang, Text::Ticket), index + 1);
                                    picture.widget_info(|| {
                                        egui::WidgetInfo::labeled(egui::Role::Image, true, &name)
                                    });
                                }
                            });
                        } else {
                            printing::previews_ui(ui, lang, &self.ticket_previews, 0.45);
                        }
                    });
            });
        });
    }

    /// The receipt's figures, where the tickets went and "New sale".
    fn receipt_text_ui(&self, ui: &mut egui::Ui, sale: &SaleOutcome, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let receipt = &sale.receipt;
        // Every amount in the receipt's own currency (`125,00 kr` on a Swedish register).
        let currency = receipt.currency;
        ui.heading(format!(
            "{} {}",
            tr(lang, Text::Receipt),
            receipt
                .receipt_number
                .map(|n| n.to_string())
                .unwrap_or_default()
        ));
        ui.label(format!(
            "{}: {}",
            tr(lang, Text::OrderNumber),
            receipt.order_number
        ));
        ui.label(format!(
            "{}: {}",
            tr(lang, Text::ReceiptNumber),
            receipt.receipt_number.unwrap_or_default()
        ));
        ui.label(format!("{} – {}", receipt.event_name, receipt.starts_at));
        egui::Grid::new("receipt").num_columns(4).show(ui, |ui| {
            for line in &receipt.lines {
                ui.label(format!("{} ×", line.quantity));
                ui.label(&line.name);
                ui.label(currency.format(line.unit_price));
                ui.label(currency.format(line.gross));
                ui.end_row();
            }
        });
        for summary in &receipt.vat {
            ui.label(format!(
                "{} {}: {} {}, {} {}, {}",
                tr(lang, Text::Vat),
                summary.rate.percent_text(),
                tr(lang, Text::Net),
                currency.format(summary.net),
                tr(lang, Text::Vat),
                currency.format(summary.vat),
                currency.format(summary.gross)
            ));
        }
        ui.label(
            RichText::new(format!(
                "{}: {}",
                tr(lang, Text::Total),
                currency.format(receipt.total)
            ))
            .strong(),
        );
        payments_ui(ui, lang, receipt);
        printed_ui(ui, lang, sale, actions);
        if ui
            .button(RichText::new(tr(lang, Text::NewSale)).size(20.0))
            .clicked()
        {
            actions.push(Action::Cart(CartAction::NewSale));
        }
    }
}

/// Tendered and change, the bank's line, the card slips.
fn payments_ui(ui: &mut egui::Ui, lang: Lang, receipt: &crate::app::Receipt) {
    let money = |amount| receipt.currency.format(amount);
    if let Some(tendered) = receipt.tendered {
        ui.label(format!("{}: {}", tr(lang, Text::Tendered), money(tendered)));
    }
    if let Some(change) = receipt.change {
        ui.label(
            RichText::new(format!("{}: {}", tr(lang, Text::ChangeDue), money(change)))
                .size(28.0)
                .strong(),
        );
    }
    // Paid neither in cash nor by card: the bank's payment line.
    if receipt.card.is_empty() && receipt.tendered.is_none() {
        ui.label(format!(
            "{}: {} {}",
            tr(lang, Text::PaidBy),
            crate::i18n::tender_name(lang, "bank"),
            money(receipt.total)
        ));
    }
    for card in &receipt.card {
        ui.label(format!(
            "{} {} {}: {}",
            tr(lang, Text::Card),
            card.brand,
            card.masked_pan,
            money(card.amount)
        ));
        ui.label(RichText::new(&card.customer_receipt).monospace().weak());
    }
}

/// Where the tickets went, or the banner that they did not print (with a retry).
fn printed_ui(ui: &mut egui::Ui, lang: Lang, sale: &SaleOutcome, actions: &mut Vec<Action>) {
    let receipt = &sale.receipt;
    match &sale.printed {
        // The spooler takes the job; whether paper came out it cannot know.
        Ok(place) if place.starts_with("queue:") => {
            ui.label(RichText::new(format!("{}: {place}", tr(lang, Text::SentToQueue))).weak());
        }
        // Where the printer lives (a device or file path) is for the printer screen.
        Ok(_) => {
            ui.label(RichText::new(tr(lang, Text::TicketsPrinted)).weak());
        }
        Err(error) => {
            // The sale is recorded; the tickets wait for a printer.
            egui::Frame::new()
                .fill(theme::BANNER_FILL)
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.colored_label(
                        theme::BANNER_TEXT,
                        RichText::new(tr(lang, Text::NotPrintedBanner)).strong(),
                    );
                    ui.label(format!("{}: {error}", tr(lang, Text::PrintFailed)));
                    if ui.button(tr(lang, Text::RetryPrint)).clicked() {
                        actions.push(Action::Print(PrintAction::Retry(receipt.order_number)));
                    }
                });
        }
    }
}
