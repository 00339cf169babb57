//! Draws a ticket layout on screen: the same [`pc43d::Label`] the printer gets.

use egui::{FontId, Pos2, Rect, Sense, Stroke, Vec2};
use pc43d::{Align, Element, Label};

use crate::printing::qr_modules;

/// Paints `label` at `scale` pixels per dot.
pub fn ticket_preview_ui(ui: &mut egui::Ui, label: &Label, scale: f32) -> egui::Response {
    let size = Vec2::new(label.width_dots as f32, label.height_dots as f32) * scale;
    let (response, painter) = ui.allocate_painter(size, Sense::hover());
    let origin = response.rect.min;
    let at = |x: u32, y: u32| origin + Vec2::new(x as f32, y as f32) * scale;
    painter.rect_filled(response.rect, 4.0, super::theme::PAPER);
    painter.rect_stroke(
        response.rect,
        4.0,
        Stroke::new(1.0, super::theme::PAPER_EDGE),
        egui::StrokeKind::Inside,
    );
    for element in &label.elements {
        match element {
            Element::Text {
                x_dots,
                y_dots,
                align,
                font,
                text,
            } => {
                let anchor = match align {
                    Align::Left => egui::Align2::LEFT_TOP,
                    Align::Center => egui::Align2::CENTER_TOP,
                    Align::Right => egui::Align2::RIGHT_TOP,
                };
                let size_px = font.size_points as f32 * 203.0 / 72.0 * scale;
                let font_id = FontId::proportional(size_px);
                let color = if font.is_bold() {
                    super::theme::INK
                } else {
                    super::theme::INK_LIGHT
                };
                painter.text(at(*x_dots, *y_dots), anchor, text, font_id, color);
            }
            Element::Qr {
                x_dots,
                y_dots,
                module_dots,
                data,
            } => {
                let module_px = *module_dots as f32 * scale;
                let top_left = at(*x_dots, *y_dots);
                for (row, modules) in qr_modules(data).iter().enumerate() {
                    for (column, dark) in modules.iter().enumerate() {
                        if *dark {
                            let min = top_left + Vec2::new(column as f32, row as f32) * module_px;
                            painter.rect_filled(
                                Rect::from_min_size(min, Vec2::splat(module_px)),
                                0.0,
                                super::theme::INK,
                            );
                        }
                    }
                }
            }
            Element::Rule {
                x_dots,
                y_dots,
                length_dots,
                thickness_dots,
            } => {
                let start: Pos2 = at(*x_dots, *y_dots);
                painter.hline(
                    start.x..=start.x + *length_dots as f32 * scale,
                    start.y,
                    Stroke::new(*thickness_dots as f32 * scale, super::theme::INK),
                );
            }
        }
    }
    response
}
