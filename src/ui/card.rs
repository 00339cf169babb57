//! The card dialog (the terminal's texts and Cancel) and the managers' window for card
//! payments whose outcome the terminal cannot tell.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui::{Align2, RichText};

use crate::app::ManualResolution;
use crate::app::views::CardAttemptView;
use crate::domain::{Currency, Money};
use crate::i18n::{Lang, Text, tr};

/// A card payment in progress.
pub struct CardDialog {
    /// What the terminal has shown, newest last.
    pub texts: Vec<String>,
    abort: Arc<AtomicBool>,
}

impl CardDialog {
    pub fn new() -> (CardDialog, Arc<AtomicBool>) {
        let abort = Arc::new(AtomicBool::new(false));
        (
            CardDialog {
                texts: Vec::new(),
                abort: abort.clone(),
            },
            abort,
        )
    }

    /// The cashier's Cancel: the service thread sends the AbortRequest (the terminal may still
    /// approve if the card was already through; the sale then completes).
    pub fn cancel(&self) {
        self.abort.store(true, Ordering::SeqCst);
    }

    pub fn cancelled(&self) -> bool {
        self.abort.load(Ordering::SeqCst)
    }

    /// Returns true when Cancel was pressed.
    pub fn ui(&self, ctx: &egui::Context, lang: Lang, total: Money, currency: Currency) -> bool {
        let mut cancel = false;
        egui::Window::new(tr(lang, Text::PayByCard))
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        tr(lang, Text::Total),
                        currency.format(total)
                    ))
                    .size(24.0),
                );
                ui.horizontal(|ui| {
                    ui.spinner();
                    let text = self.texts.last().map_or(tr(lang, Text::CardWaiting), |t| {
                        crate::i18n::terminal_text(lang, t)
                    });
                    ui.label(RichText::new(text).size(22.0).strong());
                });
                let cancel_button = egui::Button::new(tr(lang, Text::Cancel));
                if ui.add_enabled(!self.cancelled(), cancel_button).clicked() {
                    cancel = true;
                }
            });
        cancel
    }
}

/// The managers' list of unresolved card attempts.
#[derive(Default)]
pub struct PendingCardWindow {
    pub open: bool,
    pub attempts: Vec<CardAttemptView>,
    /// The terminal's reference typed for "approved on the terminal".
    pub reference: String,
}

impl PendingCardWindow {
    /// Draws the window; returns the manager's decision on an attempt.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        currency: Currency,
    ) -> Option<(String, ManualResolution)> {
        let mut decision = None;
        let mut open = self.open;
        egui::Window::new(tr(lang, Text::CardResolve))
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                if self.attempts.is_empty() {
                    ui.label("–");
                }
                let label = ui.label(tr(lang, Text::CardReference));
                ui.add(egui::TextEdit::singleline(&mut self.reference).desired_width(200.0))
                    .labelled_by(label.id);
                egui::Grid::new("pending-card")
                    .num_columns(5)
                    .show(ui, |ui| {
                        for attempt in &self.attempts {
                            ui.label(&attempt.service_id);
                            ui.label(&attempt.terminal);
                            ui.label(currency.format(attempt.amount_cents));
                            ui.label(format!("{} ({})", attempt.state, attempt.unknown_count));
                            if matches!(attempt.state.as_str(), "pending" | "unknown") {
                                ui.horizontal(|ui| {
                                    let approved = ui.add_enabled(
                                        !self.reference.trim().is_empty(),
                                        egui::Button::new(tr(lang, Text::CardApprovedOnTerminal)),
                                    );
                                    if approved.clicked() {
                                        decision = Some((
                                            attempt.service_id.clone(),
                                            ManualResolution::Approved {
                                                reference: self.reference.trim().to_string(),
                                            },
                                        ));
                                    }
                                    if ui
                                        .button(tr(lang, Text::CardNotApprovedOnTerminal))
                                        .clicked()
                                    {
                                        decision = Some((
                                            attempt.service_id.clone(),
                                            ManualResolution::NotApproved,
                                        ));
                                    }
                                });
                            } else {
                                ui.label("");
                            }
                            ui.end_row();
                        }
                    });
            });
        self.open = open;
        decision
    }
}
