//! The devices screen (managers and admins): card terminals (agent address, Nets
//! Connect@Cloud account and terminals, test, reconcile), printers, mail, the SMS gateway and
//! the bank, each with a test button and its last result. Draws view models from
//! `app::devices` and returns actions; the services check every role.

use std::collections::BTreeMap;

use egui::RichText;

use crate::app::devices::{DeviceEvent, DeviceRequest, DevicesView, Outcome};
use crate::app::{Session, SmsGatewayRequest};
use crate::domain::Permission;
use crate::i18n::{Lang, Text, tr};
use crate::mail::secrets::Secret;

use super::theme;

/// A text in Finnish, Swedish and English, picked for `lang`.
pub fn t(lang: Lang, texts: [&'static str; 3]) -> &'static str {
    texts[lang as usize]
}

/// What the devices screen asks the app to do.
pub enum DevicesAction {
    Request(DeviceRequest),
    OpenPrinters,
    OpenMailSettings,
    OpenOperations,
}

#[derive(Default)]
pub struct TerminalForm {
    pub name: String,
    pub nets_cloud: bool,
    pub address: String,
}

#[derive(Default)]
pub struct NetsForm {
    pub url: String,
    pub url_alt: String,
    pub username: String,
    pub password: String,
}

#[derive(Default)]
pub struct SmsForm {
    pub url_template: String,
    pub post: bool,
    pub body_template: String,
    pub username: String,
    pub password: String,
    pub link_template: String,
    pub test_phone: String,
}

#[derive(Default)]
pub struct DevicesScreen {
    pub view: Option<DevicesView>,
    loading: bool,
    /// The newest test or reconciliation per terminal.
    pub tested: BTreeMap<String, Outcome>,
    pub reconciled: BTreeMap<String, Outcome>,
    pub sms_result: Option<Outcome>,
    pub bank_result: Option<Outcome>,
    /// What the last save said (or why it was refused).
    pub result: Option<Outcome>,
    /// Requests waiting for an answer (a spinner on the screen).
    pub waiting: usize,
    pub terminal: TerminalForm,
    pub nets: NetsForm,
    pub sms: SmsForm,
}

fn outcome_ui(ui: &mut egui::Ui, outcome: Option<&Outcome>) {
    match outcome {
        Some(outcome) => {
            let colour = if outcome.ok { theme::GOOD } else { theme::BAD };
            ui.add(egui::Label::new(RichText::new(&outcome.text).color(colour)).wrap());
        }
        None => {
            ui.label("–");
        }
    }
}

fn field(ui: &mut egui::Ui, label: &str, value: &mut String, password: bool) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .password(password)
            .desired_width(
                theme::FORM_FIELD_WIDTH
                    .min(ui.available_width() - 8.0)
                    .max(80.0),
            ),
    )
    .labelled_by(label.id);
    ui.end_row();
}

impl DevicesScreen {
    /// Forgets what was shown (the next look loads it again).
    pub fn reset(&mut self) {
        *self = DevicesScreen::default();
    }

    /// An answer from the service thread; `true` when the screen should load again.
    pub fn handle(&mut self, event: &DeviceEvent) -> bool {
        self.waiting = self.waiting.saturating_sub(1);
        match event {
            DeviceEvent::Loaded(view) => {
                if let Some(gateway) = &view.sms_gateway
                    && self.sms.url_template.is_empty()
                {
                    self.sms.url_template = gateway.url_template.clone();
                    self.sms.post = gateway.post;
                    self.sms.body_template = gateway.body_template.clone();
                    self.sms.username = gateway.username.clone();
                    self.sms.link_template = gateway.link_template.clone();
                }
                if view.sms_gateway.is_none() && self.sms.url_template.is_empty() {
                    // Most gateways take a POST with a JSON body.
                    self.sms.post = true;
                }
                if let Some((url, alt, user)) = &view.nets_account
                    && self.nets.url.is_empty()
                {
                    self.nets.url = url.clone();
                    self.nets.url_alt = alt.clone().unwrap_or_default();
                    self.nets.username = user.clone();
                }
                self.view = Some((**view).clone());
                self.loading = false;
            }
            DeviceEvent::TerminalTested { name, outcome } => {
                self.tested.insert(name.clone(), outcome.clone());
            }
            DeviceEvent::Reconciled { name, outcome } => {
                self.reconciled.insert(name.clone(), outcome.clone());
            }
            DeviceEvent::SmsTested(outcome) => self.sms_result = Some(outcome.clone()),
            DeviceEvent::BankTested(outcome) => self.bank_result = Some(outcome.clone()),
            DeviceEvent::Saved(outcome) => {
                self.result = Some(outcome.clone());
                return true;
            }
            DeviceEvent::Failed(text) => {
                self.result = Some(Outcome {
                    ok: false,
                    text: text.clone(),
                });
            }
            DeviceEvent::SeatsChanged { .. }
            | DeviceEvent::ReceiptMailed(_)
            | DeviceEvent::Seating(_) => {}
        }
        false
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        session: &Session,
        actions: &mut Vec<DevicesAction>,
    ) {
        let mut pending = Vec::new();
        if self.view.is_none() && !self.loading {
            self.loading = true;
            pending.push(DeviceRequest::Load);
        }
        let admin = session.role.may(Permission::Settings);
        ui.horizontal(|ui| {
            ui.heading(t(
                lang,
                [
                    "Laitteet ja yhteydet",
                    "Enheter och anslutningar",
                    "Devices",
                ],
            ));
            if ui.button(tr(lang, Text::Refresh)).clicked() {
                pending.push(DeviceRequest::Load);
            }
            if self.waiting > 0 {
                ui.spinner();
            }
        });
        if let Some(result) = &self.result {
            outcome_ui(ui, Some(result));
        }
        let Some(view) = self.view.clone() else {
            self.send(pending, actions);
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("devices")
            .show(ui, |ui| {
                // Two columns: terminals on the left, the rest on the right, so the whole
                // screen fits 1280×768 without scrolling.
                ui.columns(2, |columns| {
                    let (left, right) = columns.split_at_mut(1);
                    self.terminals_ui(&mut left[0], lang, &view, session, &mut pending);
                    self.other_devices_ui(&mut right[0], lang, &view, admin, &mut pending, actions);
                });
            });
        self.send(pending, actions);
    }

    /// The left column: every card terminal with its test (and, for managers, reconcile)
    /// button and last results; for admins the forms that add terminals and the Nets account.
    fn terminals_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        view: &DevicesView,
        session: &Session,
        pending: &mut Vec<DeviceRequest>,
    ) {
        let manager = session.role.may(Permission::CloseShift);
        ui.strong(t(
            lang,
            ["Maksupäätteet", "Betalterminaler", "Card terminals"],
        ));
        if view.terminals.is_empty() {
            ui.label("–");
        }
        for terminal in &view.terminals {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(&terminal.name).strong());
                ui.label(if terminal.nets_cloud {
                    format!("Nets Connect@Cloud {}", terminal.address)
                } else {
                    format!(
                        "{} {}",
                        t(lang, ["Agentti", "Agent", "Agent"]),
                        terminal.address
                    )
                });
                let test = format!("{} {}", t(lang, ["Testaa", "Testa", "Test"]), terminal.name);
                if ui.button(test).clicked() {
                    pending.push(DeviceRequest::TestTerminal(terminal.name.clone()));
                }
                if manager {
                    let reconcile = format!(
                        "{} {}",
                        t(lang, ["Täsmäytä", "Stäm av", "Reconcile"]),
                        terminal.name
                    );
                    if ui.button(reconcile).clicked() {
                        pending.push(DeviceRequest::Reconcile(terminal.name.clone()));
                    }
                }
            });
            if let Some(outcome) = self.tested.get(&terminal.name) {
                outcome_ui(ui, Some(outcome));
            }
            if let Some(outcome) = self.reconciled.get(&terminal.name) {
                outcome_ui(ui, Some(outcome));
            }
        }
        if session.role.may(Permission::Settings) {
            ui.separator();
            self.terminal_forms_ui(ui, lang, view, pending);
        }
    }

    /// The right column: the doors to printers and mail (admins), the SMS gateway and the bank.
    fn other_devices_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        view: &DevicesView,
        admin: bool,
        pending: &mut Vec<DeviceRequest>,
        actions: &mut Vec<DevicesAction>,
    ) {
        // Printers and mail live on their own screens; their doors are here.
        if admin {
            ui.horizontal_wrapped(|ui| {
                if ui.button(tr(lang, Text::Printers)).clicked() {
                    actions.push(DevicesAction::OpenPrinters);
                }
                if ui.button(tr(lang, Text::SendTestMail)).clicked() {
                    actions.push(DevicesAction::OpenMailSettings);
                }
            });
            ui.separator();
        }
        ui.strong(t(
            lang,
            ["Tekstiviestipalvelu", "SMS-tjänst", "SMS gateway"],
        ));
        if admin {
            self.sms_form_ui(ui, lang, pending);
        } else {
            ui.label(if view.sms_gateway.is_some() {
                "✔"
            } else {
                "–"
            });
        }
        ui.separator();
        ui.strong(t(lang, ["Pankki", "Banken", "Bank"]));
        ui.horizontal_wrapped(|ui| {
            let test = t(
                lang,
                [
                    "Testaa pankkiyhteys",
                    "Testa bankanslutningen",
                    "Test the bank",
                ],
            );
            if ui.button(test).clicked() {
                pending.push(DeviceRequest::TestBank);
            }
            if admin && ui.button(tr(lang, Text::BankSettings)).clicked() {
                actions.push(DevicesAction::OpenOperations);
            }
        });
        outcome_ui(ui, self.bank_result.as_ref());
    }

    fn send(&mut self, requests: Vec<DeviceRequest>, actions: &mut Vec<DevicesAction>) {
        self.waiting += requests.len();
        actions.extend(requests.into_iter().map(DevicesAction::Request));
    }

    fn terminal_forms_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        view: &DevicesView,
        pending: &mut Vec<DeviceRequest>,
    ) {
        ui.label(
            RichText::new(t(
                lang,
                ["Lisää maksupääte", "Lägg till terminal", "Add a terminal"],
            ))
            .strong(),
        );
        let form = &mut self.terminal;
        egui::Grid::new("terminal-form")
            .num_columns(2)
            .show(ui, |ui| {
                field(
                    ui,
                    t(lang, ["Päätteen nimi", "Terminalens namn", "Terminal name"]),
                    &mut form.name,
                    false,
                );
                ui.label(t(lang, ["Tyyppi", "Typ", "Kind"]));
                ui.horizontal(|ui| {
                    ui.radio_value(
                        &mut form.nets_cloud,
                        false,
                        t(
                            lang,
                            [
                                "Agentti (osoite:portti)",
                                "Agent (adress:port)",
                                "Agent (host:port)",
                            ],
                        ),
                    );
                    ui.radio_value(&mut form.nets_cloud, true, "Nets Connect@Cloud");
                });
                ui.end_row();
                let address = if form.nets_cloud {
                    t(lang, ["Päätteen tunnus", "Terminalens id", "Terminal id"])
                } else {
                    t(lang, ["Agentin osoite", "Agentens adress", "Agent address"])
                };
                field(ui, address, &mut form.address, false);
            });
        if ui
            .button(t(
                lang,
                ["Lisää pääte", "Lägg till terminalen", "Add the terminal"],
            ))
            .clicked()
        {
            pending.push(DeviceRequest::AddTerminal {
                name: form.name.trim().to_string(),
                nets_cloud: form.nets_cloud,
                address: form.address.trim().to_string(),
            });
        }
        self.nets_form_ui(ui, lang, view, pending);
    }

    /// The Nets Connect@Cloud account (admins): the account in force and the form that sets it.
    fn nets_form_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        view: &DevicesView,
        pending: &mut Vec<DeviceRequest>,
    ) {
        ui.label(
            RichText::new(format!(
                "Nets Connect@Cloud – {}",
                match &view.nets_account {
                    Some((url, _, user)) => format!("{user} @ {url}"),
                    None => t(
                        lang,
                        [
                            "tiliä ei ole asetettu",
                            "inget konto inställt",
                            "no account set"
                        ]
                    )
                    .to_string(),
                }
            ))
            .strong(),
        );
        let nets = &mut self.nets;
        egui::Grid::new("nets-form").num_columns(2).show(ui, |ui| {
            field(ui, tr(lang, Text::PaymentUrl), &mut nets.url, false);
            field(ui, tr(lang, Text::AlternativeUrl), &mut nets.url_alt, false);
            field(
                ui,
                t(lang, ["Nets-käyttäjä", "Nets-användare", "Nets user"]),
                &mut nets.username,
                false,
            );
            field(
                ui,
                t(lang, ["Nets-salasana", "Nets-lösenord", "Nets password"]),
                &mut nets.password,
                true,
            );
        });
        if ui
            .button(t(
                lang,
                [
                    "Tallenna Nets-tili",
                    "Spara Nets-kontot",
                    "Save the Nets account",
                ],
            ))
            .clicked()
        {
            let alt = nets.url_alt.trim();
            pending.push(DeviceRequest::SetNetsAccount {
                url: nets.url.trim().to_string(),
                url_alt: (!alt.is_empty()).then(|| alt.to_string()),
                username: nets.username.trim().to_string(),
                password: std::mem::take(&mut nets.password),
            });
        }
    }

    fn sms_form_ui(&mut self, ui: &mut egui::Ui, lang: Lang, pending: &mut Vec<DeviceRequest>) {
        sms_fields_ui(ui, lang, &mut self.sms);
        let sms = &mut self.sms;
        if ui
            .button(t(
                lang,
                [
                    "Tallenna tekstiviestipalvelu",
                    "Spara SMS-tjänsten",
                    "Save the SMS gateway",
                ],
            ))
            .clicked()
        {
            pending.push(DeviceRequest::SetSmsGateway(sms_request(sms)));
        }
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::Phone));
            ui.add(egui::TextEdit::singleline(&mut sms.test_phone).desired_width(180.0))
                .labelled_by(label.id);
            if ui
                .button(t(
                    lang,
                    [
                        "Lähetä testiviesti",
                        "Skicka ett testmeddelande",
                        "Send a test SMS",
                    ],
                ))
                .clicked()
            {
                pending.push(DeviceRequest::TestSms(sms.test_phone.trim().to_string()));
            }
        });
        outcome_ui(ui, self.sms_result.as_ref());
    }
}

/// The SMS gateway's fields: address and method, body, user, password and ticket link.
fn sms_fields_ui(ui: &mut egui::Ui, lang: Lang, sms: &mut SmsForm) {
    egui::Grid::new("sms-form").num_columns(2).show(ui, |ui| {
        field(
            ui,
            t(
                lang,
                [
                    "Osoite ({to}, {text})",
                    "Adress ({to}, {text})",
                    "URL ({to}, {text})",
                ],
            ),
            &mut sms.url_template,
            false,
        );
        ui.label(t(lang, ["Menetelmä", "Metod", "Method"]));
        ui.horizontal(|ui| {
            ui.radio_value(&mut sms.post, true, "POST");
            ui.radio_value(&mut sms.post, false, "GET");
        });
        ui.end_row();
        field(
            ui,
            t(
                lang,
                [
                    "Viestin runko (POST)",
                    "Meddelandets kropp (POST)",
                    "Body (POST)",
                ],
            ),
            &mut sms.body_template,
            false,
        );
        field(
            ui,
            t(
                lang,
                ["Palvelun käyttäjä", "Tjänstens användare", "Gateway user"],
            ),
            &mut sms.username,
            false,
        );
        field(
            ui,
            t(
                lang,
                [
                    "Palvelun salasana",
                    "Tjänstens lösenord",
                    "Gateway password",
                ],
            ),
            &mut sms.password,
            true,
        );
        field(
            ui,
            t(
                lang,
                [
                    "Lipun linkki ({code})",
                    "Biljettlänk ({code})",
                    "Ticket link ({code})",
                ],
            ),
            &mut sms.link_template,
            false,
        );
    });
}

/// The gateway the form describes; the typed password is taken (not kept on screen).
fn sms_request(sms: &mut SmsForm) -> SmsGatewayRequest {
    let optional = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    SmsGatewayRequest {
        url_template: sms.url_template.trim().to_string(),
        method: if sms.post {
            crate::mail::sms::Method::Post
        } else {
            crate::mail::sms::Method::Get
        },
        body_template: optional(&sms.body_template),
        username: optional(&sms.username),
        password: Some(std::mem::take(&mut sms.password))
            .filter(|p| !p.is_empty())
            .map(Secret::new),
        link_template: sms.link_template.trim().to_string(),
    }
}
