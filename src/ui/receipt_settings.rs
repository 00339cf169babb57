//! The receipt settings (admins): the seller's name, business ID, address and VAT number as
//! the receipt prints them, and whether a receipt is printed after a sale (always, ask,
//! never). Draws the view model and returns the request; the service checks the role and the
//! business ID.

use egui::RichText;

use crate::app::devices::{DeviceEvent, DeviceRequest, Outcome, ReceiptSettingsView};
use crate::i18n::{Lang, Text, tr};

use super::devices::t;
use super::theme;

const PRINT_CHOICES: [&str; 3] = ["always", "ask", "never"];

fn print_choice_text(lang: Lang, choice: &str) -> &'static str {
    match choice {
        "always" => t(lang, ["Aina", "Alltid", "Always"]),
        "ask" => t(lang, ["Kysy", "Fråga", "Ask"]),
        _ => t(lang, ["Ei koskaan", "Aldrig", "Never"]),
    }
}

#[derive(Default)]
pub struct ReceiptSettingsScreen {
    pub form: Option<ReceiptSettingsView>,
    pub result: Option<Outcome>,
    loading: bool,
}

impl ReceiptSettingsScreen {
    /// An answer from the service thread; `true` when the settings should load again.
    pub fn handle(&mut self, event: &DeviceEvent) -> bool {
        match event {
            DeviceEvent::Loaded(view) => {
                // A reload after a save must not overwrite what is being typed.
                if self.form.is_none() {
                    self.form = Some(view.receipt.clone());
                }
                self.loading = false;
            }
            DeviceEvent::Saved(outcome) => {
                self.result = Some(outcome.clone());
                return true;
            }
            DeviceEvent::Failed(text) => {
                self.result = Some(Outcome {
                    ok: false,
                    text: text.clone(),
                })
            }
            _ => {}
        }
        false
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Lang, requests: &mut Vec<DeviceRequest>) {
        ui.heading(t(
            lang,
            ["Kuittiasetukset", "Kvittoinställningar", "Receipt settings"],
        ));
        if self.form.is_none() && !self.loading {
            self.loading = true;
            requests.push(DeviceRequest::Load);
        }
        if let Some(result) = &self.result {
            let colour = if result.ok { theme::GOOD } else { theme::BAD };
            ui.add(egui::Label::new(RichText::new(&result.text).color(colour)).wrap());
        }
        let Some(form) = self.form.as_mut() else {
            ui.spinner();
            return;
        };
        egui::Grid::new("receipt-settings")
            .num_columns(2)
            .show(ui, |ui| {
                for (label, value) in [
                    (
                        t(lang, ["Myyjän nimi", "Säljarens namn", "Seller name"]),
                        &mut form.seller_name,
                    ),
                    (
                        t(lang, ["Y-tunnus", "Organisationsnummer", "Business ID"]),
                        &mut form.business_id,
                    ),
                    (
                        t(lang, ["Osoite", "Adress", "Address"]),
                        &mut form.seller_address,
                    ),
                    (
                        t(
                            lang,
                            ["ALV-numero", "Momsregistreringsnummer", "VAT number"],
                        ),
                        &mut form.vat_number,
                    ),
                ] {
                    let label = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value).desired_width(theme::FORM_FIELD_WIDTH),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
                ui.label(t(
                    lang,
                    ["Tulosta kuitti", "Skriv ut kvitto", "Print a receipt"],
                ));
                ui.horizontal(|ui| {
                    for choice in PRINT_CHOICES {
                        ui.radio_value(
                            &mut form.receipt_print,
                            choice.to_string(),
                            print_choice_text(lang, choice),
                        );
                    }
                });
                ui.end_row();
            });
        if ui.button(tr(lang, Text::Save)).clicked() {
            requests.push(DeviceRequest::SetReceipt(form.clone()));
        }
    }
}
