//! Mail in the GUI: the red count of unseen failures (top right of every screen), the failures
//! list where staff correct an address and resend, and the bulk re-mail progress with cancel.
//! Draws only; every change goes to the service thread as a command.

use crate::domain::ids::{OrderNumber, PerformanceId};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui::RichText;

use crate::app::views::{MailFailureView, MailServerView};
use crate::app::{MailServerRequest, TestMailOutcome};
use crate::i18n::{Lang, Text, smtp_reply_meaning, tr};
use crate::mail::secrets::Secret;
use crate::mail::smtp::{Security, reply_code};

/// How often the count is refreshed when nothing else happens.
pub const MAIL_STATUS_POLL_SECS: u64 = 10;

pub enum MailAction {
    OpenFailures,
    CloseFailures,
    Readdress {
        mail_id: i64,
        address: String,
    },
    RemailPerformance(PerformanceId),
    CancelRemail,
    OpenSettings,
    CloseSettings,
    CopyServer {
        from: String,
        name: String,
    },
    MakeDefault(String),
    TestMail {
        server: String,
        to: String,
    },
    AddServer(Box<MailServerRequest>),
    SendSms {
        order_number: OrderNumber,
        phone: String,
    },
}

const SECURITIES: [Security; 3] = [Security::StartTls, Security::Tls, Security::None];

/// The mail server settings (admins): the list, copy to create, the default, test mail.
#[derive(Default)]
pub struct MailSettingsWindow {
    pub open: bool,
    pub servers: Vec<MailServerView>,
    pub default_id: Option<i64>,
    /// The server the copy, default and test buttons act on.
    pub selected: Option<String>,
    pub copy_name: String,
    pub test_to: String,
    pub test_result: Option<TestMailOutcome>,
    pub testing: bool,
    pub form: ServerForm,
}

/// A new server typed in the settings window.
#[derive(Default)]
pub struct ServerForm {
    pub name: String,
    pub host: String,
    pub port: String,
    pub security: usize,
    pub user: String,
    pub password: String,
    pub from: String,
}

#[derive(Default)]
pub struct MailPanel {
    /// Failures since the user last looked (shown in red when above zero).
    pub unseen: i64,
    /// Messages waiting for a retry: the server is unreachable or refuses for now (red too).
    pub waiting: i64,
    /// The newest reply or connection error, shown when the pointer rests on the count.
    pub trouble: Option<String>,
    pub open: bool,
    pub failures: Vec<MailFailureView>,
    /// The corrected address typed for each failed message.
    pub corrections: BTreeMap<i64, String>,
    /// The sell screen's delivery choice: mail the tickets (as well as printing them); the
    /// sale queues the mail in its own transaction.
    pub mail_tickets: bool,
    /// A bulk re-mail in progress: (done, total) and its cancel flag.
    pub remail: Option<(usize, usize, Arc<AtomicBool>)>,
    pub last_poll: Option<std::time::Instant>,
    pub settings: MailSettingsWindow,
    /// The receipt screen's phone field and the last SMS outcome.
    pub sms_phone: String,
    pub sms_result: Option<String>,
}

impl MailPanel {
    /// The red count; a button that opens the failures list.
    pub fn failure_count_ui(&self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<MailAction>) {
        if self.unseen <= 0 && self.waiting <= 0 {
            return;
        }
        let text = if self.unseen > 0 {
            format!("✉ {}: {}", tr(lang, Text::MailFailures), self.unseen)
        } else {
            format!(
                "✉ {}: {}",
                super::devices::t(
                    lang,
                    [
                        "Posti ei lähde",
                        "E-post skickas inte",
                        "Mail not going out"
                    ]
                ),
                self.waiting
            )
        };
        let text = RichText::new(text).color(super::theme::ON_ALARM).strong();
        let button = egui::Button::new(text).fill(super::theme::ALARM_FILL);
        let response = ui.add(button);
        let response = match &self.trouble {
            Some(trouble) => response.on_hover_text(trouble),
            None => response,
        };
        if response.clicked() {
            actions.push(MailAction::OpenFailures);
        }
    }

    /// The failures list with the server's words, what they mean, and correct-and-resend.
    pub fn failures_window_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        actions: &mut Vec<MailAction>,
    ) {
        if !self.open {
            return;
        }
        let mut open = true;
        egui::Window::new(tr(lang, Text::MailFailures))
            .open(&mut open)
            .default_width(640.0)
            // Never taller than the screen: the list scrolls.
            .vscroll(true)
            .max_height(super::theme::window_max_height(ctx))
            .show(ctx, |ui| {
                if self.failures.is_empty() {
                    ui.label("–");
                }
                for row in &self.failures {
                    ui.separator();
                    ui.label(
                        RichText::new(format!(
                            "{} {} – {}",
                            tr(lang, Text::OrderNumber),
                            row.order_id,
                            row.to_address
                        ))
                        .strong(),
                    );
                    let reply = row.last_reply.as_deref().unwrap_or("");
                    // The server's reply in full, wrapped: never cut at the right edge.
                    ui.add(egui::Label::new(RichText::new(reply).monospace()).wrap());
                    ui.label(smtp_reply_meaning(lang, reply_code(reply), reply));
                    ui.horizontal(|ui| {
                        let label = ui.label(tr(lang, Text::NewAddress));
                        let address = self
                            .corrections
                            .entry(row.id)
                            .or_insert_with(|| row.to_address.clone());
                        ui.add(egui::TextEdit::singleline(address).desired_width(260.0))
                            .labelled_by(label.id);
                        if ui.button(tr(lang, Text::Resend)).clicked() {
                            actions.push(MailAction::Readdress {
                                mail_id: row.id,
                                address: address.trim().to_string(),
                            });
                        }
                    });
                }
            });
        if !open {
            actions.push(MailAction::CloseFailures);
        }
    }

    /// The bulk re-mail: a button for the chosen performance, or the progress bar and cancel.
    pub fn remail_ui(
        &self,
        ui: &mut egui::Ui,
        lang: Lang,
        performance_id: PerformanceId,
        actions: &mut Vec<MailAction>,
    ) {
        match &self.remail {
            Some((done, total, _)) => {
                ui.horizontal(|ui| {
                    let progress = if *total == 0 {
                        0.0
                    } else {
                        *done as f32 / *total as f32
                    };
                    ui.add(
                        egui::ProgressBar::new(progress)
                            .text(format!("{done}/{total}"))
                            .desired_width(240.0),
                    );
                    if ui.button(tr(lang, Text::Cancel)).clicked() {
                        actions.push(MailAction::CancelRemail);
                    }
                });
            }
            None => {
                if ui.button(tr(lang, Text::RemailPerformance)).clicked() {
                    actions.push(MailAction::RemailPerformance(performance_id));
                }
            }
        }
    }

    /// The receipt screen's SMS control (when the printer is down).
    pub fn sms_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        order_number: OrderNumber,
        actions: &mut Vec<MailAction>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::Phone));
            ui.add(egui::TextEdit::singleline(&mut self.sms_phone).desired_width(180.0))
                .labelled_by(label.id);
            if ui.button(tr(lang, Text::SendSms)).clicked() {
                actions.push(MailAction::SendSms {
                    order_number,
                    phone: self.sms_phone.trim().to_string(),
                });
            }
        });
        if let Some(result) = &self.sms_result {
            ui.label(result);
        }
    }

    /// The mail server settings window.
    pub fn settings_window_ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        actions: &mut Vec<MailAction>,
    ) {
        let window = &mut self.settings;
        if !window.open {
            return;
        }
        // The sending server is chosen from the start: "Send test mail" is right there.
        if window.selected.is_none() {
            window.selected = window
                .servers
                .iter()
                .find(|s| window.default_id == Some(s.id))
                .or_else(|| window.servers.iter().find(|s| s.builtin))
                .or(window.servers.first())
                .map(|s| s.name.clone());
        }
        let mut open = true;
        egui::Window::new(tr(lang, Text::MailSettings))
            .open(&mut open)
            .default_width(720.0)
            .vscroll(true)
            .max_height(super::theme::window_max_height(ctx))
            .show(ctx, |ui| {
                window.servers_ui(ui, lang);
                if let Some(selected) = window.selected.clone() {
                    ui.separator();
                    window.selected_ui(ui, lang, &selected, actions);
                }
                ui.separator();
                window.add_server_ui(ui, lang, actions);
            });
        if !open {
            actions.push(MailAction::CloseSettings);
        }
    }
}

impl MailSettingsWindow {
    /// The servers, one row each; a click on a name chooses the server the buttons act on.
    fn servers_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::Grid::new("mail-servers")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                for server in &self.servers {
                    let selected = self.selected.as_deref() == Some(&server.name);
                    let mut name = server.name.clone();
                    if self.default_id == Some(server.id)
                        || (self.default_id.is_none() && server.builtin)
                    {
                        name.push_str(&format!(" ({})", tr(lang, Text::DefaultServer)));
                    }
                    // A radio button: the names read as a choice, not as plain text.
                    if ui.radio(selected, name).clicked() {
                        self.selected = Some(server.name.clone());
                        self.test_result = None;
                    }
                    ui.label(format!(
                        "{}:{} {}",
                        server.host, server.port, server.security
                    ));
                    ui.label(format!("{} <{}>", server.from_name, server.from_address));
                    ui.label(if server.builtin {
                        tr(lang, Text::BuiltIn)
                    } else {
                        ""
                    });
                    ui.end_row();
                }
            });
    }

    /// Copy, make default and send a test mail through the chosen server, and the last reply.
    fn selected_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        selected: &str,
        actions: &mut Vec<MailAction>,
    ) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::NewServerName));
            ui.add(egui::TextEdit::singleline(&mut self.copy_name).desired_width(160.0))
                .labelled_by(label.id);
            if ui.button(tr(lang, Text::CopyServer)).clicked() {
                actions.push(MailAction::CopyServer {
                    from: selected.to_string(),
                    name: self.copy_name.trim().to_string(),
                });
            }
            if ui.button(tr(lang, Text::MakeDefault)).clicked() {
                actions.push(MailAction::MakeDefault(selected.to_string()));
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::Recipient));
            ui.add(egui::TextEdit::singleline(&mut self.test_to).desired_width(220.0))
                .labelled_by(label.id);
            let button = egui::Button::new(tr(lang, Text::SendTestMail));
            if ui.add_enabled(!self.testing, button).clicked() {
                self.testing = true;
                self.test_result = None;
                actions.push(MailAction::TestMail {
                    server: selected.to_string(),
                    to: self.test_to.trim().to_string(),
                });
            }
            if self.testing {
                ui.spinner();
            }
        });
        if let Some(result) = &self.test_result {
            let color = if result.delivered {
                super::theme::GOOD
            } else {
                super::theme::BAD
            };
            ui.label(tr(lang, Text::ServerReply));
            ui.add(egui::Label::new(RichText::new(&result.reply).monospace().color(color)).wrap());
            ui.label(&result.meaning);
        }
    }

    /// The form that adds a server.
    fn add_server_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<MailAction>) {
        ui.label(RichText::new(tr(lang, Text::AddServer)).strong());
        let form = &mut self.form;
        egui::Grid::new("mail-server-form")
            .num_columns(2)
            .show(ui, |ui| {
                for (text, value, password) in [
                    (Text::ServerName, &mut form.name, false),
                    (Text::Host, &mut form.host, false),
                    (Text::Port, &mut form.port, false),
                    (Text::User, &mut form.user, false),
                    (Text::Password, &mut form.password, true),
                    (Text::Sender, &mut form.from, false),
                ] {
                    let label = ui.label(tr(lang, text));
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .password(password)
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
                ui.label(tr(lang, Text::Security));
                egui::ComboBox::from_id_salt("mail-security")
                    .selected_text(SECURITIES[form.security].code())
                    .show_ui(ui, |ui| {
                        for (index, security) in SECURITIES.iter().enumerate() {
                            ui.selectable_value(&mut form.security, index, security.code());
                        }
                    });
                ui.end_row();
            });
        if ui.button(tr(lang, Text::AddServer)).clicked() {
            let optional = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
            actions.push(MailAction::AddServer(Box::new(MailServerRequest {
                name: form.name.trim().to_string(),
                host: form.host.trim().to_string(),
                port: form.port.trim().parse().unwrap_or(0),
                security: SECURITIES[form.security],
                username: optional(&form.user),
                password: Some(form.password.clone())
                    .filter(|p| !p.is_empty())
                    .map(Secret::new),
                from_name: form.name.trim().to_string(),
                from_address: form.from.trim().to_string(),
            })));
        }
    }
}
