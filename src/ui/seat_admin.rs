//! Seat plans and holds: an admin imports a venue's plan (CSV) and gives it to a performance;
//! a manager picks seats on the map and holds them (press, artist, technical) or releases
//! held ones. Draws view models and returns requests; the services check every role.

use crate::domain::ids::PerformanceId;
use egui::RichText;

use crate::app::CatalogPerformance;
use crate::app::devices::{DeviceEvent, DeviceRequest, Outcome};
use crate::app::seats::{DEFAULT_HOLD_RELEASE_MINUTES, HOLD_REASONS, SeatState};
use crate::domain::Permission;
use crate::domain::seating::SeatRef;
use crate::i18n::Lang;

use super::devices::t;
use super::seatmap::{SeatMapAction, SeatMapState};
use super::theme;

/// The token the picked seats carry on the holds map (they are picked here, not held).
const PICK: &str = "hold-pick";

pub fn reason_text(lang: Lang, reason: &str) -> &'static str {
    match reason {
        "press" => t(lang, ["Lehdistö", "Press", "Press"]),
        "artist" => t(lang, ["Esiintyjät", "Artister", "Artists"]),
        _ => t(lang, ["Tekninen", "Teknik", "Technical"]),
    }
}

pub struct SeatAdminScreen {
    /// Plans: the venue and the CSV file to import.
    pub venue: String,
    pub file: String,
    pub venues: Vec<String>,
    pub assign_performance: Option<PerformanceId>,
    pub assign_venue: Option<String>,
    /// Holds: the performance and its map with the picked seats.
    pub performance: Option<PerformanceId>,
    pub map: SeatMapState,
    pub reason: usize,
    pub release_before: String,
    pub result: Option<Outcome>,
    loaded: bool,
}

impl Default for SeatAdminScreen {
    fn default() -> Self {
        SeatAdminScreen {
            venue: String::new(),
            file: String::new(),
            venues: Vec::new(),
            assign_performance: None,
            assign_venue: None,
            performance: None,
            map: SeatMapState::default(),
            reason: 0,
            release_before: DEFAULT_HOLD_RELEASE_MINUTES.to_string(),
            result: None,
            loaded: false,
        }
    }
}

fn performance_text(lang: Lang, p: &CatalogPerformance) -> String {
    format!(
        "{} – {}",
        lang.pick(&p.event_names),
        crate::i18n::date_time_text(&p.starts_at, lang)
    )
}

impl SeatAdminScreen {
    /// An answer from the service thread; the requests it calls for.
    pub fn handle(&mut self, event: &DeviceEvent) -> Vec<DeviceRequest> {
        match event {
            DeviceEvent::Loaded(view) => self.venues = view.venues.clone(),
            DeviceEvent::Seating(view)
                if view.as_ref().map(|v| v.performance_id) == self.performance =>
            {
                self.map.view = view.as_deref().cloned();
            }
            DeviceEvent::SeatsChanged {
                performance_id,
                outcome,
            } => {
                self.result = Some(outcome.clone());
                return vec![DeviceRequest::LoadSeating(*performance_id)];
            }
            DeviceEvent::Saved(outcome) => {
                self.result = Some(outcome.clone());
                return vec![DeviceRequest::Load];
            }
            DeviceEvent::Failed(text) => {
                self.result = Some(Outcome {
                    ok: false,
                    text: text.clone(),
                })
            }
            _ => {}
        }
        Vec::new()
    }

    fn pick(&mut self, action: SeatMapAction) {
        let Some(view) = self.map.view.as_mut() else {
            return;
        };
        let (seats, picked, free) = match action {
            SeatMapAction::Hold(seats) => (seats, true, false),
            SeatMapAction::Release(seats) => (seats, false, true),
            _ => return,
        };
        for (i, state) in view.states.iter_mut().enumerate() {
            let seat = view.plan.seat_ref(i);
            let chosen = seats.is_empty() || seats.contains(&seat);
            if picked && chosen && *state == SeatState::Free {
                *state = SeatState::Cart(PICK.into());
            } else if free && chosen && *state == SeatState::Cart(PICK.into()) {
                *state = SeatState::Free;
            }
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        role: crate::domain::Role,
        catalog: &[CatalogPerformance],
        requests: &mut Vec<DeviceRequest>,
    ) {
        if !self.loaded {
            self.loaded = true;
            requests.push(DeviceRequest::Load);
        }
        ui.heading(t(
            lang,
            [
                "Paikkakartat ja varaukset",
                "Platskartor och reservationer",
                "Seat plans and holds",
            ],
        ));
        if let Some(result) = &self.result {
            let colour = if result.ok { theme::GOOD } else { theme::BAD };
            ui.add(egui::Label::new(RichText::new(&result.text).color(colour)).wrap());
        }
        if role.may(Permission::Settings) {
            self.plans_ui(ui, lang, catalog, requests);
            ui.separator();
        }
        if role.may(Permission::HoldSeats) {
            self.holds_ui(ui, lang, catalog, requests);
        }
    }

    fn plans_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        catalog: &[CatalogPerformance],
        requests: &mut Vec<DeviceRequest>,
    ) {
        ui.strong(t(
            lang,
            [
                "Tuo paikkakartta",
                "Importera en platskarta",
                "Import a seat plan",
            ],
        ));
        egui::Grid::new("plan-import")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(t(lang, ["Sali", "Salong", "Venue"]));
                ui.add(
                    egui::TextEdit::singleline(&mut self.venue)
                        .desired_width(theme::FORM_FIELD_WIDTH),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(t(lang, ["CSV-tiedosto", "CSV-fil", "CSV file"]));
                ui.add(
                    egui::TextEdit::singleline(&mut self.file)
                        .desired_width(theme::FORM_FIELD_WIDTH),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        if ui.button(t(lang, ["Tuo", "Importera", "Import"])).clicked() {
            requests.push(DeviceRequest::ImportSeatPlan {
                venue: self.venue.trim().to_string(),
                path: self.file.trim().into(),
            });
        }
        self.assign_ui(ui, lang, catalog, requests);
    }

    /// Gives a free-seating performance one of the imported plans.
    fn assign_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        catalog: &[CatalogPerformance],
        requests: &mut Vec<DeviceRequest>,
    ) {
        ui.strong(t(
            lang,
            [
                "Anna esitykselle paikkakartta",
                "Ge en föreställning en platskarta",
                "Give a performance a plan",
            ],
        ));
        ui.horizontal_wrapped(|ui| {
            let free: Vec<&CatalogPerformance> = catalog.iter().filter(|p| !p.seated).collect();
            let chosen = free
                .iter()
                .find(|p| Some(p.id) == self.assign_performance)
                .map(|p| performance_text(lang, p))
                .unwrap_or_else(|| "–".into());
            egui::ComboBox::from_id_salt("assign-performance")
                .selected_text(chosen)
                .width(300.0)
                .show_ui(ui, |ui| {
                    for p in &free {
                        ui.selectable_value(
                            &mut self.assign_performance,
                            Some(p.id),
                            performance_text(lang, p),
                        );
                    }
                });
            egui::ComboBox::from_id_salt("assign-venue")
                .selected_text(self.assign_venue.clone().unwrap_or_else(|| "–".into()))
                .show_ui(ui, |ui| {
                    for venue in &self.venues {
                        ui.selectable_value(&mut self.assign_venue, Some(venue.clone()), venue);
                    }
                });
            if ui
                .add_enabled(
                    self.assign_performance.is_some() && self.assign_venue.is_some(),
                    egui::Button::new(t(lang, ["Anna kartta", "Ge kartan", "Assign"])),
                )
                .clicked()
                && let (Some(performance_id), Some(venue)) =
                    (self.assign_performance, self.assign_venue.clone())
            {
                requests.push(DeviceRequest::AssignSeatPlan {
                    performance_id,
                    venue,
                });
            }
        });
    }

    fn holds_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        catalog: &[CatalogPerformance],
        requests: &mut Vec<DeviceRequest>,
    ) {
        ui.strong(t(
            lang,
            ["Varaa paikkoja", "Reservera platser", "Hold seats"],
        ));
        self.hold_performance_ui(ui, lang, catalog, requests);
        let Some(performance_id) = self.performance else {
            return;
        };
        let Some(view) = &self.map.view else {
            ui.spinner();
            return;
        };
        let picked: Vec<SeatRef> = self.map.picked(PICK);
        let held = held_by_reason(view);
        self.hold_form_ui(ui, lang, performance_id, &picked, requests);
        for (reason, seats) in &held {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "{}: {} {}",
                    reason_text(lang, reason),
                    seats.len(),
                    t(
                        lang,
                        ["paikkaa varattu", "platser reserverade", "seats held"]
                    )
                ));
                let release = format!(
                    "{} ({})",
                    t(lang, ["Vapauta", "Frigör", "Release"]),
                    reason_text(lang, reason)
                );
                if ui.button(release).clicked() {
                    requests.push(DeviceRequest::ReleaseSeats {
                        performance_id,
                        seats: seats.clone(),
                    });
                }
            });
        }
        let mut map_actions = Vec::new();
        self.map.ui(ui, lang, PICK, 0, &mut map_actions);
        for action in map_actions {
            self.pick(action);
        }
    }

    /// The seated performance whose seats are held (a new choice loads its map).
    fn hold_performance_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        catalog: &[CatalogPerformance],
        requests: &mut Vec<DeviceRequest>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let seated: Vec<&CatalogPerformance> = catalog.iter().filter(|p| p.seated).collect();
            let before = self.performance;
            let chosen = seated
                .iter()
                .find(|p| Some(p.id) == self.performance)
                .map(|p| performance_text(lang, p))
                .unwrap_or_else(|| "–".into());
            let label = ui.label(t(lang, ["Esitys", "Föreställning", "Performance"]));
            egui::ComboBox::from_id_salt("hold-performance")
                .selected_text(chosen)
                .width(300.0)
                .show_ui(ui, |ui| {
                    for p in &seated {
                        ui.selectable_value(
                            &mut self.performance,
                            Some(p.id),
                            performance_text(lang, p),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            if self.performance != before
                && let Some(id) = self.performance
            {
                self.map.view = None;
                requests.push(DeviceRequest::LoadSeating(id));
            }
        });
    }

    /// Reason, release time and the button that holds the picked seats.
    fn hold_form_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        performance_id: PerformanceId,
        picked: &[SeatRef],
        requests: &mut Vec<DeviceRequest>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, ["Syy", "Orsak", "Reason"]));
            egui::ComboBox::from_id_salt("hold-reason")
                .selected_text(reason_text(lang, HOLD_REASONS[self.reason]))
                .show_ui(ui, |ui| {
                    for (i, reason) in HOLD_REASONS.iter().enumerate() {
                        ui.selectable_value(&mut self.reason, i, reason_text(lang, reason));
                    }
                });
            let label = ui.label(t(
                lang,
                [
                    "Vapautuu min ennen",
                    "Frigörs min före",
                    "Released min before",
                ],
            ));
            ui.add(egui::TextEdit::singleline(&mut self.release_before).desired_width(50.0))
                .labelled_by(label.id);
            let minutes = self
                .release_before
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|m| *m >= 0);
            let hold = format!(
                "{} ({})",
                t(
                    lang,
                    [
                        "Varaa valitut",
                        "Reservera de valda",
                        "Hold the picked seats"
                    ]
                ),
                picked.len()
            );
            if ui
                .add_enabled(
                    !picked.is_empty() && minutes.is_some(),
                    egui::Button::new(hold),
                )
                .clicked()
            {
                requests.push(DeviceRequest::HoldSeats {
                    performance_id,
                    seats: picked.to_vec(),
                    reason: HOLD_REASONS[self.reason].to_string(),
                    release_before_minutes: minutes.unwrap_or(DEFAULT_HOLD_RELEASE_MINUTES),
                });
            }
        });
    }
}

/// Held seats, grouped by reason in the order first met.
fn held_by_reason(view: &crate::app::seats::SeatingView) -> Vec<(String, Vec<SeatRef>)> {
    let mut held: Vec<(String, Vec<SeatRef>)> = Vec::new();
    for (i, state) in view.states.iter().enumerate() {
        if let SeatState::Held(reason) = state {
            let seat = view.plan.seat_ref(i);
            match held.iter_mut().find(|(r, _)| r == reason) {
                Some((_, seats)) => seats.push(seat),
                None => held.push((reason.clone(), vec![seat])),
            }
        }
    }
    held
}
