//! Mail in the GUI: the red count of unseen failures (top right of every screen), the failures
//! list where staff correct an address and resend, and the bulk re-mail progress with cancel.
//! Draws only; every change goes to the service thread as a command.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use egui::{Color32, RichText};

use crate::i18n::{Lang, Text, smtp_reply_meaning, tr};
use crate::ledger::OutboxRow;
use crate::mail::smtp::reply_code;

/// How often the count is refreshed when nothing else happens.
pub const MAIL_STATUS_POLL_SECS: u64 = 10;

pub enum MailAction {
    OpenFailures,
    CloseFailures,
    Readdress { mail_id: i64, address: String },
    RemailPerformance(i64),
    CancelRemail,
}

#[derive(Default)]
pub struct MailPanel {
    /// Failures since the user last looked (shown in red when above zero).
    pub unseen: i64,
    pub open: bool,
    pub failures: Vec<OutboxRow>,
    /// The corrected address typed for each failed message.
    pub corrections: BTreeMap<i64, String>,
    /// The sell screen's delivery choice: mail the tickets (as well as printing them).
    pub mail_tickets: bool,
    /// The address the sale in progress will be mailed to, once it completes.
    pub pending_email: Option<String>,
    /// A bulk re-mail in progress: (done, total) and its cancel flag.
    pub remail: Option<(usize, usize, Arc<AtomicBool>)>,
    pub last_poll: Option<std::time::Instant>,
}

impl MailPanel {
    /// The red count; a button that opens the failures list.
    pub fn failure_count_ui(&self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<MailAction>) {
        if self.unseen <= 0 {
            return;
        }
        let text = RichText::new(format!(
            "✉ {}: {}",
            tr(lang, Text::MailFailures),
            self.unseen
        ))
        .color(Color32::WHITE)
        .strong();
        let button = egui::Button::new(text).fill(Color32::from_rgb(200, 40, 40));
        if ui.add(button).clicked() {
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
                    ui.label(RichText::new(reply).monospace());
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
        performance_id: i64,
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
}
