//! Reservations (list, check payment, release) and the operations screen (status of every
//! integration, the support report, bank settings). Draws view models and returns actions.

use egui::RichText;

use crate::app::bank::ReservationCheck;
use crate::app::support::IntegrationStatus;
use crate::app::views::{BankSettingsView, ReservationView};
use crate::i18n::{Lang, Text, date_time_text, tr};
use crate::payments::reference::ReferenceNumber;

use super::theme::{BAD as RED, GOOD as GREEN};

pub enum ReservationAction {
    Load,
    Check(String),
    CheckAll,
    Release(String),
}

#[derive(Default)]
pub struct ReservationsScreen {
    pub list: Option<Vec<ReservationView>>,
    pub checks: Vec<ReservationCheck>,
    /// The next list follows a reservation made at the sell screen: say its reference.
    pub announce_newest: bool,
}

/// A payment check's outcome in words. Paid, still open or released says it in the user's
/// language, the bank's own words (who answered) on hover; a refusal or an unreachable bank
/// shows the bank's words, since they are the reason.
fn check_ui(ui: &mut egui::Ui, lang: Lang, check: &ReservationCheck) {
    let said = match check.outcome.as_str() {
        "paid" => Some([
            "maksettu, liput lähetetty",
            "betald, biljetterna skickade",
            "paid, tickets sent",
        ]),
        "open" => Some(["ei vielä maksettu", "inte betald ännu", "not paid yet"]),
        "released" => Some([
            "eräpäivä meni, ei maksettu: vapautettu",
            "förfallen och obetald: frigjord",
            "past due and not paid: released",
        ]),
        _ => None,
    };
    // A check that could not ask the bank leaves the reservation open: say why instead.
    let outcome = match check.outcome.as_str() {
        "refused" => super::devices::t(
            lang,
            [
                "tarkistus epäonnistui",
                "kontrollen misslyckades",
                "the check failed",
            ],
        ),
        "unreachable" => super::devices::t(
            lang,
            [
                "pankki ei vastaa",
                "banken svarar inte",
                "the bank does not answer",
            ],
        ),
        other => crate::i18n::reservation_state(lang, other),
    };
    let head = format!(
        "{} {}: {outcome}",
        tr(lang, Text::Reference),
        grouped(&check.reference),
    );
    match said {
        Some(words) => {
            ui.colored_label(
                GREEN,
                format!("{head} – {}", super::devices::t(lang, words)),
            )
            .on_hover_text(&check.detail);
        }
        None => {
            let detail = match &check.fact {
                Some(fact) => fact.text(lang),
                None => check.detail.clone(),
            };
            ui.colored_label(RED, format!("{head} – {detail}"));
        }
    }
}

fn grouped(reference: &str) -> String {
    ReferenceNumber::parse(reference)
        .map(|r| r.grouped())
        .unwrap_or_else(|_| reference.to_string())
}

impl super::View for ReservationsScreen {
    type Action = ReservationAction;

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &super::ViewContext,
        actions: &mut Vec<ReservationAction>,
    ) {
        let lang = cx.lang;
        let Some(list) = &self.list else {
            actions.push(ReservationAction::Load);
            self.list = Some(Vec::new());
            return;
        };
        ui.horizontal(|ui| {
            ui.heading(tr(lang, Text::Reservations));
            if ui.button(tr(lang, Text::CheckAll)).clicked() {
                actions.push(ReservationAction::CheckAll);
            }
            if ui.button(tr(lang, Text::Refresh)).clicked() {
                actions.push(ReservationAction::Load);
            }
        });
        for check in &self.checks {
            check_ui(ui, lang, check);
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("reservations")
                .striped(true)
                .num_columns(8)
                .show(ui, |ui| {
                    for heading in [
                        Text::Reference,
                        Text::CustomerName,
                        Text::Phone,
                        Text::Tickets,
                        Text::Total,
                        Text::DueDate,
                        Text::State,
                    ] {
                        ui.label(RichText::new(tr(lang, heading)).strong());
                    }
                    ui.label("");
                    ui.end_row();
                    for reservation in list {
                        reservation_row_ui(ui, lang, cx.currency, reservation, actions);
                    }
                });
        });
    }
}

/// One reservation: reference, customer, tickets, total, due date and state in words; an open
/// one can be checked with the bank or released, a paid one names its order.
fn reservation_row_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    currency: crate::domain::Currency,
    reservation: &ReservationView,
    actions: &mut Vec<ReservationAction>,
) {
    ui.label(RichText::new(grouped(&reservation.reference)).monospace());
    ui.label(reservation.customer_name.as_deref().unwrap_or("–"));
    ui.label(
        reservation
            .customer_phone
            .as_deref()
            .or(reservation.customer_email.as_deref())
            .unwrap_or("–"),
    );
    ui.label(reservation.tickets.to_string());
    ui.label(currency.format(reservation.total_cents));
    ui.label(
        chrono::NaiveDate::parse_from_str(&reservation.due_date, "%Y-%m-%d")
            .map(|d| crate::i18n::date_text(d, lang))
            .unwrap_or_else(|_| reservation.due_date.clone()),
    );
    ui.label(crate::i18n::reservation_state(lang, &reservation.state));
    ui.horizontal(|ui| {
        if reservation.state == "open" {
            if ui.button(tr(lang, Text::CheckPayment)).clicked() {
                actions.push(ReservationAction::Check(reservation.reference.clone()));
            }
            if ui.button(tr(lang, Text::Release)).clicked() {
                actions.push(ReservationAction::Release(reservation.reference.clone()));
            }
        } else if let Some(order) = reservation.order_id {
            ui.label(format!("{} {order}", tr(lang, Text::OrderNumber)));
        }
    });
    ui.end_row();
}

pub enum OperationsAction {
    Refresh,
    CopyReport,
    SaveSettings(BankSettingsView),
    AddKey(chrono::NaiveDate, String),
}

#[derive(Default)]
pub struct OperationsScreen {
    pub statuses: Option<Vec<IntegrationStatus>>,
    pub report: Option<String>,
    pub settings: BankSettingsView,
    pub settings_loaded: bool,
    pub key_dates: Vec<chrono::NaiveDate>,
    pub key_valid_from: String,
    pub key_secret: String,
    /// The shown report was put on the clipboard.
    pub copied: bool,
    /// The shared ledger's line as the worker's idle tick last saw it (none on a counter's own
    /// ledger): shown on every screen while out of reach, and kept in the status list.
    pub shared_ledger: Option<IntegrationStatus>,
}

impl OperationsScreen {
    /// The shared ledger's newest line, in place of the one in the status list.
    pub fn set_shared_ledger(&mut self, line: IntegrationStatus) {
        self.shared_ledger = Some(line);
        self.merge_shared_ledger();
    }

    /// New statuses from a refresh keep the idle tick's shared-ledger line (the refresh's own
    /// connection is newer than what it knows of the link).
    pub fn set_statuses(&mut self, mut statuses: Vec<IntegrationStatus>) {
        statuses.retain(|s| s.name != "ledger.shared");
        self.statuses = Some(statuses);
        self.merge_shared_ledger();
    }

    fn merge_shared_ledger(&mut self) {
        let (Some(line), Some(list)) = (&self.shared_ledger, &mut self.statuses) else {
            return;
        };
        list.retain(|s| s.name != line.name);
        list.insert(0, line.clone());
    }

    /// The shared ledger's sentence while it is out of reach (for every screen's top bar).
    pub fn shared_ledger_down(&self, lang: Lang) -> Option<String> {
        let line = self.shared_ledger.as_ref().filter(|line| !line.ok)?;
        Some(match &line.fact {
            Some(fact) => format!("{}: {}", status_name(lang, &line.name), fact.text(lang)),
            None => line.detail.clone(),
        })
    }
}

impl OperationsScreen {
    pub fn show_settings(
        &mut self,
        settings: Option<BankSettingsView>,
        key_dates: Vec<chrono::NaiveDate>,
    ) {
        self.settings = settings.unwrap_or_else(|| BankSettingsView {
            payment_url: crate::app::bank::BANK_PAYMENT_URL.into(),
            query_url: crate::app::bank::BANK_QUERY_URL.into(),
            ..BankSettingsView::default()
        });
        self.settings_loaded = true;
        self.key_dates = key_dates;
    }
}

impl super::View for OperationsScreen {
    type Action = OperationsAction;

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &super::ViewContext,
        actions: &mut Vec<OperationsAction>,
    ) {
        let lang = cx.lang;
        let may_change_settings = cx
            .session
            .is_some_and(|s| s.role.may(crate::domain::Permission::Settings));
        if self.statuses.is_none() {
            actions.push(OperationsAction::Refresh);
            self.set_statuses(Vec::new());
        }
        ui.horizontal(|ui| {
            ui.heading(tr(lang, Text::Operations));
            if ui.button(tr(lang, Text::Refresh)).clicked() {
                actions.push(OperationsAction::Refresh);
            }
            if ui.button(tr(lang, Text::CopySupportReport)).clicked() {
                actions.push(OperationsAction::CopyReport);
            }
        });
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("statuses")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for status in self.statuses.iter().flatten() {
                        ui.colored_label(
                            if status.ok { GREEN } else { RED },
                            if status.ok { "● OK" } else { "● !" },
                        );
                        ui.label(RichText::new(status_name(lang, &status.name)).strong())
                            .on_hover_text(&status.name);
                        let when = status
                            .at
                            .as_deref()
                            .map(|at| date_time_text(at, lang))
                            .unwrap_or_else(|| tr(lang, Text::Never).to_string());
                        ui.label(when);
                        // The fact in the user's language; a text from outside (a system's
                        // or a server's error) as it came. Last in the row, so a long one
                        // wraps at the window's edge instead of running past it.
                        ui.add(
                            egui::Label::new(match &status.fact {
                                Some(fact) => fact.text(lang),
                                None => status.detail.clone(),
                            })
                            .wrap(),
                        );
                        if let Some((at, error)) = status.last_error_text(lang) {
                            ui.end_row();
                            ui.label("");
                            ui.label("");
                            ui.label("");
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!(
                                        "{} {at}: {error}",
                                        tr(lang, Text::LastError)
                                    ))
                                    .color(RED),
                                )
                                .wrap(),
                            );
                        }
                        ui.end_row();
                    }
                });
            if may_change_settings {
                ui.separator();
                self.settings_ui(ui, lang, actions);
            }
            if let Some(report) = &self.report {
                ui.separator();
                ui.label(RichText::new(report).monospace().small());
            }
        });
    }
}

impl OperationsScreen {
    fn settings_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<OperationsAction>) {
        ui.heading(tr(lang, Text::BankSettings));
        let settings = &mut self.settings;
        let mut alt_payment = settings.payment_url_alt.clone().unwrap_or_default();
        let mut alt_query = settings.query_url_alt.clone().unwrap_or_default();
        egui::Grid::new("bank_settings")
            .num_columns(2)
            .show(ui, |ui| {
                let field = |ui: &mut egui::Ui, text: Text, value: &mut String| {
                    let label = ui.label(tr(lang, text));
                    ui.add(egui::TextEdit::singleline(value).desired_width(420.0))
                        .labelled_by(label.id);
                    ui.end_row();
                };
                field(ui, Text::Merchant, &mut settings.merchant);
                field(ui, Text::Contract, &mut settings.contract);
                field(ui, Text::PaymentUrl, &mut settings.payment_url);
                field(ui, Text::AlternativeUrl, &mut alt_payment);
                field(ui, Text::QueryUrl, &mut settings.query_url);
                field(ui, Text::AlternativeUrl, &mut alt_query);
            });
        let non_empty = |text: String| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        settings.payment_url_alt = non_empty(alt_payment);
        settings.query_url_alt = non_empty(alt_query);
        if ui.button(tr(lang, Text::Save)).clicked() {
            actions.push(OperationsAction::SaveSettings(settings.clone()));
        }
        // A key valid since the beginning of time (the first one) is just "in use".
        let dates: Vec<String> = self
            .key_dates
            .iter()
            .map(|d| {
                if *d
                    <= chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(chrono::NaiveDate::MIN)
                {
                    "–".to_string()
                } else {
                    crate::i18n::date_text(*d, lang)
                }
            })
            .collect();
        ui.label(format!(
            "{}: {}",
            tr(lang, Text::KeysValidFrom),
            if dates.is_empty() {
                "–".to_string()
            } else {
                dates.join(", ")
            }
        ));
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::ValidFrom));
            ui.add(egui::TextEdit::singleline(&mut self.key_valid_from).desired_width(110.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::SecretKey));
            ui.add(
                egui::TextEdit::singleline(&mut self.key_secret)
                    .password(true)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            // Typed the local way (5.12.2026) or as an ISO date.
            let today = chrono::Local::now().date_naive();
            let date = crate::i18n::parse_local_date(&self.key_valid_from, today);
            if ui
                .add_enabled(
                    date.is_some() && !self.key_secret.is_empty(),
                    egui::Button::new(tr(lang, Text::AddKey)),
                )
                .clicked()
                && let Some(date) = date
            {
                actions.push(OperationsAction::AddKey(
                    date,
                    std::mem::take(&mut self.key_secret),
                ));
            }
        });
    }
}

/// An integration's name in words (`ledger.disk` → "Levytila"; `printer.NAME` → "Tulostin
/// NAME"); the internal name stays on hover for support.
fn status_name(lang: Lang, name: &str) -> String {
    let t = |words: [&'static str; 3]| super::devices::t(lang, words).to_string();
    let (kind, rest) = name.split_once('.').unwrap_or((name, ""));
    match (kind, rest) {
        ("ledger", "disk") => t([
            "Kirjanpidon levytila",
            "Bokföringens diskutrymme",
            "Ledger disk space",
        ]),
        ("ledger", "shared") => t(["Yhteinen kirjanpito", "Gemensam bokföring", "Shared ledger"]),
        ("bank", "payment") => t(["Pankki: maksut", "Banken: betalningar", "Bank: payments"]),
        ("bank", "query") => t([
            "Pankki: maksukyselyt",
            "Banken: betalningsförfrågningar",
            "Bank: payment queries",
        ]),
        ("bank", "payment.primary") => t([
            "Pankki: maksuosoite",
            "Banken: betalningsadress",
            "Bank: payment address",
        ]),
        ("bank", "payment.alternative") => t([
            "Pankki: maksujen varaosoite",
            "Banken: reservadress för betalningar",
            "Bank: alternative payment address",
        ]),
        ("bank", "query.primary") => t([
            "Pankki: kyselyosoite",
            "Banken: förfrågningsadress",
            "Bank: query address",
        ]),
        ("bank", "query.alternative") => t([
            "Pankki: kyselyjen varaosoite",
            "Banken: reservadress för förfrågningar",
            "Bank: alternative query address",
        ]),
        ("mail", "smtp") => t(["Sähköposti", "E-post", "Mail"]),
        ("printer", printer) => format!("{} {printer}", t(["Tulostin", "Skrivare", "Printer"])),
        ("terminal", terminal) => {
            format!(
                "{} {terminal}",
                t(["Maksupääte", "Betalterminal", "Card terminal"])
            )
        }
        _ => name.to_string(),
    }
}
