//! The seat map of a seated performance, drawn with the egui painter: free, sold, held, in this
//! cart, wheelchair places; zoom (wheel, pinch, buttons) and pan (right or middle drag); click a
//! seat to put it in the cart or take it out, drag a rectangle to pick every free seat in it.
//! It only draws and reports what was asked; the worker holds and releases the seats.

use egui::{Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2};

use crate::app::seats::{SeatChoice, SeatState, SeatingView};
use crate::domain::seating::{SeatPlan, SeatRef};
use crate::i18n::{Lang, Text, tr};

use super::theme::{
    SEAT_FREE as FREE, SEAT_HELD as HELD, SEAT_IN_CART as IN_CART, SEAT_OTHER_CART as OTHER_CART,
    SEAT_SOLD as SOLD,
};

/// What the cashier did on the map.
#[derive(Debug, Clone, PartialEq)]
pub enum SeatMapAction {
    /// Put these seats in the cart.
    Hold(Vec<SeatRef>),
    /// Take these seats out of the cart (none: all of them).
    Release(Vec<SeatRef>),
    /// Best available for the cart's tickets.
    Best { wheelchair: bool },
    /// The split offered by best available is accepted.
    AcceptSplit(Vec<SeatRef>),
}

/// Plan coordinates to screen points: the plan's middle at the middle of the map, scaled to fit
/// and then zoomed, moved by the pan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapTransform {
    plan_centre: Vec2,
    scale: f32,
    screen_centre: Pos2,
}

impl MapTransform {
    pub fn fit(plan: &SeatPlan, rect: Rect, zoom: f32, pan: Vec2) -> MapTransform {
        let (mut min, mut max) = (Vec2::splat(f32::MAX), Vec2::splat(f32::MIN));
        for seat in &plan.seats {
            min = min.min(Vec2::new(seat.x, seat.y));
            max = max.max(Vec2::new(seat.x, seat.y));
        }
        if plan.seats.is_empty() {
            (min, max) = (Vec2::ZERO, Vec2::ZERO);
        }
        // Room around the seats: row labels on the left, the stage on top.
        let (min, max) = (min - Vec2::new(2.0, 3.0), max + Vec2::new(1.5, 1.0));
        let size = max - min;
        let scale = (rect.width() / size.x).min(rect.height() / size.y) * zoom;
        MapTransform {
            plan_centre: (min + max) / 2.0,
            scale,
            screen_centre: rect.center() + pan,
        }
    }

    pub fn to_screen(&self, x: f32, y: f32) -> Pos2 {
        self.screen_centre + (Vec2::new(x, y) - self.plan_centre) * self.scale
    }

    pub fn to_plan(&self, pos: Pos2) -> Vec2 {
        (pos - self.screen_centre) / self.scale + self.plan_centre
    }

    /// Radius of a seat on screen.
    pub fn seat_radius(&self) -> f32 {
        0.42 * self.scale
    }
}

/// The shapes of every seat: a circle per seat, a square for a wheelchair place, in the colour
/// of its state; a seat with a restricted view gets a dark ring. Pure: used by the map and the
/// frame benchmark.
pub fn seat_shapes(view: &SeatingView, token: &str, transform: &MapTransform) -> Vec<Shape> {
    let radius = transform.seat_radius();
    let mut shapes = Vec::with_capacity(view.plan.seats.len());
    for (seat, state) in view.plan.seats.iter().zip(&view.states) {
        let centre = transform.to_screen(seat.x, seat.y);
        let fill = match state {
            SeatState::Free => FREE,
            SeatState::Sold => SOLD,
            SeatState::Held(_) => HELD,
            SeatState::Cart(holder) if holder == token => IN_CART,
            SeatState::Cart(_) => OTHER_CART,
        };
        let stroke = if seat.restricted {
            Stroke::new((radius * 0.2).max(1.0), super::theme::SEAT_OUTLINE)
        } else {
            Stroke::NONE
        };
        if seat.wheelchair {
            shapes.push(Shape::rect_filled(
                Rect::from_center_size(centre, Vec2::splat(radius * 2.0)),
                radius * 0.2,
                fill,
            ));
        } else {
            shapes.push(Shape::circle_filled(centre, radius, fill));
        }
        if stroke != Stroke::NONE {
            shapes.push(Shape::circle_stroke(centre, radius, stroke));
        }
    }
    shapes
}

/// Where the stage is drawn: across the seats' width, in front of the first row (the plan's
/// smallest y), between 2.4 and 1.4 seat spacings before it. `None` for an empty plan.
pub fn stage_rect(plan: &SeatPlan, transform: &MapTransform) -> Option<Rect> {
    let left = plan.seats.iter().map(|s| s.x).reduce(f32::min)?;
    let right = plan.seats.iter().map(|s| s.x).reduce(f32::max)?;
    let front = plan.seats.iter().map(|s| s.y).reduce(f32::min)?;
    Some(Rect::from_min_max(
        transform.to_screen(left, front - 2.4),
        transform.to_screen(right, front - 1.4),
    ))
}

/// The map's state in the GUI (what the worker last said about the seats, zoom, pan).
#[derive(Debug, Clone, PartialEq)]
pub struct SeatMapState {
    pub view: Option<SeatingView>,
    pub zoom: f32,
    pub pan: Vec2,
    /// A split offered by best available, waiting for the cashier.
    pub split_offer: Option<Vec<SeatRef>>,
    pub message: Option<String>,
    pub wheelchair: bool,
    drag_from: Option<Pos2>,
    drag_to: Option<Pos2>,
    /// Where the map was drawn last (for hit tests and tests).
    pub transform: Option<MapTransform>,
}

impl Default for SeatMapState {
    fn default() -> Self {
        SeatMapState {
            view: None,
            zoom: 1.0,
            pan: Vec2::ZERO,
            split_offer: None,
            message: None,
            wheelchair: false,
            drag_from: None,
            drag_to: None,
            transform: None,
        }
    }
}

impl SeatMapState {
    /// Seats in this cart, in plan order.
    pub fn picked(&self, token: &str) -> Vec<SeatRef> {
        let Some(view) = &self.view else {
            return Vec::new();
        };
        view.cart_seats(token)
            .into_iter()
            .map(|i| view.plan.seat_ref(i))
            .collect()
    }

    /// The seats a sale takes: the ones in the cart, else best available.
    pub fn choice(&self, token: &str) -> SeatChoice {
        let picked = self.picked(token);
        if picked.is_empty() {
            SeatChoice::Auto
        } else {
            SeatChoice::Seats(picked)
        }
    }

    /// The cart priced by the seats in it (a zone may cost less), seats given to tickets in the
    /// cart's order as the sale will ([`crate::app::seats::zone_priced`], the sale's own
    /// pricing). Until every ticket has a seat, the categories' own prices.
    pub fn priced(&self, cart: &crate::domain::Cart, token: &str) -> crate::domain::Cart {
        let Some(view) = &self.view else {
            return cart.clone();
        };
        let tickets: Vec<_> = cart
            .lines()
            .iter()
            .map(|line| (line.category.clone(), line.quantity))
            .collect();
        crate::app::seats::zone_priced(Some(view), &tickets, &view.cart_seats(token)).0
    }

    /// Where a seat was drawn on screen in the last frame.
    pub fn screen_pos(&self, seat: &SeatRef) -> Option<Pos2> {
        let view = self.view.as_ref()?;
        let transform = self.transform?;
        let seat = &view.plan.seats[view.plan.find(seat)?];
        Some(transform.to_screen(seat.x, seat.y))
    }

    /// The seat under a screen point.
    fn hit(&self, pos: Pos2) -> Option<usize> {
        let view = self.view.as_ref()?;
        let at = self.transform?.to_plan(pos);
        view.plan
            .seats
            .iter()
            .position(|s| (Vec2::new(s.x, s.y) - at).length() <= 0.5)
    }

    /// Draws the map with its buttons, legend and the seats chosen; what the cashier did goes
    /// into `actions`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        token: &str,
        tickets: usize,
        actions: &mut Vec<SeatMapAction>,
    ) {
        if self.view.is_none() {
            return;
        }
        let picked = self.picked(token);
        self.toolbar(ui, lang, tickets, !picked.is_empty(), actions);
        let (response, painter) = self.map_area(ui);
        let Some(view) = &self.view else {
            return;
        };
        let rect = response.rect;
        let transform = MapTransform::fit(&view.plan, rect, self.zoom, self.pan);
        self.transform = Some(transform);
        let painter = painter.with_clip_rect(rect);
        paint_plan(&painter, ui, view, token, &transform);
        stage_ui(ui, &painter, view, lang, &transform);
        let drag = (&mut self.drag_from, &mut self.drag_to);
        if let Some(area) = rectangle_pick(ui, &response, &painter, drag) {
            let seats: Vec<SeatRef> = (0..view.plan.seats.len())
                .filter(|&i| view.states[i] == SeatState::Free)
                .filter(|&i| {
                    let seat = &view.plan.seats[i];
                    area.contains(transform.to_screen(seat.x, seat.y))
                })
                .map(|i| view.plan.seat_ref(i))
                .collect();
            if !seats.is_empty() {
                actions.push(SeatMapAction::Hold(seats));
            }
        } else if response.clicked()
            && let Some(index) = response.interact_pointer_pos().and_then(|p| self.hit(p))
        {
            let seat = view.plan.seat_ref(index);
            match &view.states[index] {
                SeatState::Free => actions.push(SeatMapAction::Hold(vec![seat])),
                SeatState::Cart(t) if t == token => {
                    actions.push(SeatMapAction::Release(vec![seat]))
                }
                _ => {}
            }
        }
        if let Some(index) = response.hover_pos().and_then(|p| self.hit(p)) {
            response.on_hover_text(seat_tooltip(view, index, lang, token));
        }
        legend(ui, lang);
        let labels: Vec<String> = picked.iter().map(|s| seat_label(view, lang, s)).collect();
        ui.label(format!(
            "{}: {} / {tickets}  {}",
            tr(lang, Text::SeatsChosen),
            picked.len(),
            labels.join(", ")
        ));
        if let Some(offer) = &self.split_offer {
            let text: Vec<String> = offer.iter().map(|s| seat_label(view, lang, s)).collect();
            ui.horizontal_wrapped(|ui| {
                ui.label(text.join(", "));
                if ui.button(tr(lang, Text::AcceptSplit)).clicked() {
                    actions.push(SeatMapAction::AcceptSplit(offer.clone()));
                }
            });
        }
        if let Some(message) = &self.message {
            ui.colored_label(super::theme::BAD, message);
        }
    }

    /// The line above the map: zoom, wheelchair places, best available, clear.
    fn toolbar(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        tickets: usize,
        any_picked: bool,
        actions: &mut Vec<SeatMapAction>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr(lang, Text::SeatMap));
            if ui.button(tr(lang, Text::ZoomOut)).clicked() {
                self.zoom = (self.zoom / 1.25).max(0.5);
            }
            if ui.button(tr(lang, Text::ZoomIn)).clicked() {
                self.zoom = (self.zoom * 1.25).min(12.0);
            }
            ui.checkbox(&mut self.wheelchair, tr(lang, Text::Wheelchair));
            let best = egui::Button::new(format!("{} (Ctrl+A)", tr(lang, Text::BestAvailable)));
            if ui.add_enabled(tickets > 0, best).clicked() {
                actions.push(SeatMapAction::Best {
                    wheelchair: self.wheelchair,
                });
            }
            if ui
                .add_enabled(any_picked, egui::Button::new(tr(lang, Text::ClearSeats)))
                .clicked()
            {
                actions.push(SeatMapAction::Release(Vec::new()));
            }
        });
    }

    /// The map's area: its background, zoomed by the wheel or a pinch over it and panned by a
    /// right or middle drag.
    fn map_area(&mut self, ui: &mut egui::Ui) -> (egui::Response, egui::Painter) {
        let size = egui::vec2(
            ui.available_width(),
            (ui.available_height() - 90.0).max(220.0),
        );
        let (response, painter) = ui.allocate_painter(size, Sense::click_and_drag());
        painter.rect_filled(response.rect, 4.0, ui.visuals().extreme_bg_color);
        if response.hovered() {
            let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
            let factor = (scroll / 300.0).exp() * pinch;
            if factor != 1.0 {
                self.zoom = (self.zoom * factor).clamp(0.5, 12.0);
            }
        }
        if response.dragged_by(egui::PointerButton::Secondary)
            || response.dragged_by(egui::PointerButton::Middle)
        {
            self.pan += response.drag_delta();
        }
        (response, painter)
    }
}

/// The seats and, zoomed in enough, the row labels (the stage is `stage_ui`).
fn paint_plan(
    painter: &egui::Painter,
    ui: &egui::Ui,
    view: &SeatingView,
    token: &str,
    transform: &MapTransform,
) {
    painter.extend(seat_shapes(view, token, transform));
    if transform.scale >= 16.0 {
        let font = egui::FontId::proportional((transform.scale * 0.45).min(16.0));
        for row in view.plan.rows() {
            let first = &view.plan.seats[row.start];
            let at = transform.to_screen(first.x - 1.0, first.y);
            painter.text(
                at,
                egui::Align2::CENTER_CENTER,
                &first.row,
                font.clone(),
                ui.visuals().weak_text_color(),
            );
        }
    }
}

/// The stage in front of the first rows: a filled band with its name as a label, so a screen
/// reader (and a test) finds it too; clipped to the map like the seats.
fn stage_ui(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    view: &SeatingView,
    lang: Lang,
    transform: &MapTransform,
) {
    let Some(stage) = stage_rect(&view.plan, transform) else {
        return;
    };
    let mut stage_ui = ui.new_child(egui::UiBuilder::new().max_rect(stage).layout(
        egui::Layout::centered_and_justified(egui::Direction::TopDown),
    ));
    stage_ui.set_clip_rect(painter.clip_rect());
    painter.rect_filled(stage, 2.0, ui.visuals().widgets.inactive.bg_fill);
    stage_ui.add(
        egui::Label::new(
            egui::RichText::new(tr(lang, Text::Stage))
                .font(egui::FontId::proportional(
                    (transform.scale * 0.6).clamp(10.0, 16.0),
                ))
                .color(ui.visuals().strong_text_color()),
        )
        .selectable(false)
        .truncate(),
    );
}

/// A rectangle dragged with the primary button: followed and drawn while it is dragged, given
/// back when the drag ends.
fn rectangle_pick(
    ui: &egui::Ui,
    response: &egui::Response,
    painter: &egui::Painter,
    (drag_from, drag_to): (&mut Option<Pos2>, &mut Option<Pos2>),
) -> Option<Rect> {
    if response.drag_started_by(egui::PointerButton::Primary) {
        *drag_from = ui
            .input(|i| i.pointer.press_origin())
            .or(response.interact_pointer_pos());
    }
    if drag_from.is_some()
        && let Some(pos) = response.interact_pointer_pos()
    {
        *drag_to = Some(pos);
    }
    if let (Some(from), Some(to)) = (*drag_from, *drag_to) {
        painter.rect_stroke(
            Rect::from_two_pos(from, to),
            0.0,
            Stroke::new(1.5, IN_CART),
            StrokeKind::Middle,
        );
    }
    if response.drag_stopped_by(egui::PointerButton::Primary)
        && let (Some(from), Some(to)) = (drag_from.take(), drag_to.take())
    {
        return Some(Rect::from_two_pos(from, to));
    }
    None
}

/// The hover text of a seat: section, row, number and state.
fn seat_tooltip(view: &SeatingView, index: usize, lang: Lang, token: &str) -> String {
    let seat = &view.plan.seats[index];
    let section = view
        .plan
        .section(&seat.section)
        .map_or(seat.section.as_str(), |s| lang.pick(&s.names));
    let state = match &view.states[index] {
        SeatState::Free if seat.wheelchair => tr(lang, Text::SeatWheelchair),
        SeatState::Free => tr(lang, Text::SeatFree),
        SeatState::Sold => tr(lang, Text::SeatSold),
        SeatState::Held(_) => tr(lang, Text::SeatHeld),
        SeatState::Cart(t) if t == token => tr(lang, Text::SeatInCart),
        SeatState::Cart(_) => tr(lang, Text::SeatHeld),
    };
    format!(
        "{section}, {} {}, {} {} – {state}",
        tr(lang, Text::SeatRow),
        seat.row,
        tr(lang, Text::SeatNumber),
        seat.number
    )
}

/// The legend, on one line: smaller text rather than a wrap.
fn legend(ui: &mut egui::Ui, lang: Lang) {
    ui.horizontal(|ui| {
        ui.style_mut().override_text_style = Some(egui::TextStyle::Small);
        for (colour, text) in [
            (FREE, Text::SeatFree),
            (SOLD, Text::SeatSold),
            (HELD, Text::SeatHeld),
            (IN_CART, Text::SeatInCart),
        ] {
            ui.colored_label(colour, "●");
            ui.label(tr(lang, text));
        }
        ui.colored_label(FREE, "■");
        ui.label(tr(lang, Text::SeatWheelchair));
    });
}

/// A seat as the cashier reads it: section, row and seat.
fn seat_label(view: &SeatingView, lang: Lang, seat: &SeatRef) -> String {
    let section = view
        .plan
        .section(&seat.section)
        .map_or(seat.section.as_str(), |s| lang.pick(&s.names));
    format!(
        "{section} {} {} {} {}",
        tr(lang, Text::SeatRow),
        seat.row,
        tr(lang, Text::SeatNumber),
        seat.seat
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::seating::{Seat, Section};
    use crate::domain::{Cart, Money, PricedCategory, VatBasisPoints};

    fn view(states: Vec<SeatState>) -> SeatingView {
        let seat = |n: u32, rank: u32| Seat {
            id: i64::from(n),
            section: "A".into(),
            row: "1".into(),
            number: n.to_string(),
            x: n as f32,
            y: 0.0,
            rank,
            wheelchair: false,
            companion: false,
            restricted: false,
        };
        let section = Section {
            code: "A".into(),
            names: ["A".into(), "A".into(), "A".into()],
        };
        SeatingView {
            performance_id: crate::domain::ids::PerformanceId(1),
            plan: SeatPlan::new(vec![section], vec![seat(1, 1), seat(2, 2), seat(3, 2)]),
            states,
            zone_prices: vec![(7, 2, 1000)],
        }
    }

    #[test]
    fn the_cart_is_priced_by_the_zones_of_its_seats_once_every_ticket_has_one() {
        let adult = PricedCategory {
            category_id: 7,
            code: "adult".into(),
            unit_price: Money::from_cents(1850),
            vat_rate: VatBasisPoints(1350),
        };
        let mut cart = Cart::new();
        cart.add(&adult, 2);
        let mine = || SeatState::Cart("me".into());
        let mut state = SeatMapState {
            view: Some(view(vec![mine(), mine(), SeatState::Cart("other".into())])),
            ..SeatMapState::default()
        };
        assert_eq!(
            state.priced(&cart, "me").totals().gross.cents(),
            1850 + 1000
        );
        assert_eq!(
            state.choice("me"),
            SeatChoice::Seats(vec![
                SeatRef {
                    section: "A".into(),
                    row: "1".into(),
                    seat: "1".into()
                },
                SeatRef {
                    section: "A".into(),
                    row: "1".into(),
                    seat: "2".into()
                },
            ])
        );
        // One seat for two tickets: the categories' own prices until both have seats.
        state.view = Some(view(vec![mine(), SeatState::Free, SeatState::Sold]));
        assert_eq!(state.priced(&cart, "me").totals().gross.cents(), 3700);
        assert_eq!(state.picked("other"), Vec::<SeatRef>::new());
        state.view = Some(view(vec![SeatState::Free; 3]));
        assert_eq!(state.choice("me"), SeatChoice::Auto);
    }

    #[test]
    fn the_stage_is_marked_in_front_of_the_first_row_across_the_seats_and_inside_the_map() {
        let view = view(vec![SeatState::Free; 3]);
        let rect = Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(400.0, 300.0));
        let transform = MapTransform::fit(&view.plan, rect, 1.0, Vec2::ZERO);
        let stage = stage_rect(&view.plan, &transform).unwrap();
        let first_row = view
            .plan
            .seats
            .iter()
            .map(|s| transform.to_screen(s.x, s.y).y)
            .fold(f32::MAX, f32::min);
        assert!(
            stage.max.y < first_row - transform.seat_radius(),
            "before the first row"
        );
        for seat in &view.plan.seats {
            let x = transform.to_screen(seat.x, seat.y).x;
            assert!(stage.min.x <= x && x <= stage.max.x, "across every seat");
        }
        assert!(
            rect.contains_rect(stage),
            "the stage is inside the map: {stage:?}"
        );
        let empty = SeatPlan::new(Vec::new(), Vec::new());
        assert_eq!(stage_rect(&empty, &transform), None);
    }

    #[test]
    fn the_map_fits_the_plan_and_maps_points_both_ways() {
        let view = view(vec![
            SeatState::Free,
            SeatState::Sold,
            SeatState::Held("press".into()),
        ]);
        let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(400.0, 200.0));
        let transform = MapTransform::fit(&view.plan, rect, 1.0, Vec2::ZERO);
        // The map's middle is the middle of the seats and the room around them (2 units for
        // the row labels on the left, 1,5 on the right, 3 for the stage on top, 1 below).
        let middle = transform.to_screen(2.0 - 0.25, 0.0 - 1.0);
        assert!(
            (middle - rect.center()).length() < 0.01,
            "the plan's middle is the map's middle"
        );
        let back = transform.to_plan(transform.to_screen(3.0, 0.0));
        assert!((back - Vec2::new(3.0, 0.0)).length() < 1e-4);
        let zoomed = MapTransform::fit(&view.plan, rect, 2.0, Vec2::ZERO);
        assert!((zoomed.seat_radius() - 2.0 * transform.seat_radius()).abs() < 1e-3);
        let shapes = seat_shapes(&view, "me", &transform);
        let fills: Vec<egui::Color32> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Circle(c) => Some(c.fill),
                _ => None,
            })
            .collect();
        assert_eq!(fills, [FREE, SOLD, HELD]);
    }
}
