//! Colours and sizes of the counter screen, in one place.

use egui::Color32;

/// Errors, refusals, a drawer that does not match.
pub const BAD: Color32 = Color32::from_rgb(200, 60, 40);
/// Done, healthy, a drawer that matches.
pub const GOOD: Color32 = Color32::from_rgb(60, 160, 90);
/// A difference worth a look (a drawer over by some cents).
pub const WARN: Color32 = Color32::from_rgb(200, 140, 20);

/// The mail count's button when mail is not going out, and its text.
pub const ALARM_FILL: Color32 = Color32::from_rgb(200, 40, 40);
pub const ON_ALARM: Color32 = Color32::WHITE;
/// The "not printed" banner on the receipt screen: its background and its words.
pub const BANNER_FILL: Color32 = Color32::from_rgb(255, 235, 200);
pub const BANNER_TEXT: Color32 = Color32::from_rgb(160, 40, 20);
/// Ticket pictures: paper, print, the edge of the paper.
pub const PAPER: Color32 = Color32::WHITE;
pub const INK: Color32 = Color32::BLACK;
pub const PAPER_EDGE: Color32 = Color32::GRAY;
/// Regular (not bold) text on a ticket picture.
pub const INK_LIGHT: Color32 = Color32::from_gray(40);
/// Seat map: free, sold, held by a manager, in this cart, in another counter's cart, the
/// outline of a seat.
pub const SEAT_FREE: Color32 = Color32::from_rgb(80, 165, 95);
pub const SEAT_SOLD: Color32 = Color32::from_rgb(125, 125, 125);
pub const SEAT_HELD: Color32 = Color32::from_rgb(225, 150, 45);
pub const SEAT_IN_CART: Color32 = Color32::from_rgb(45, 110, 225);
pub const SEAT_OTHER_CART: Color32 = Color32::from_rgb(175, 175, 205);
pub const SEAT_OUTLINE: Color32 = Color32::from_gray(40);

/// The colour of a drawer's counted-minus-expected difference: green when it matches, red
/// when it does not (over or short).
pub fn difference_colour(difference: crate::domain::Money) -> Color32 {
    if difference == crate::domain::Money::ZERO {
        GOOD
    } else {
        BAD
    }
}

/// The title in the top bar (smaller than a heading: the bar must fit 1280 px).
pub const TITLE_SIZE: f32 = 20.0;
/// The cart's total and the change due: read at arm's length.
pub const TOTAL_SIZE: f32 = 28.0;
/// Figures in a payment dialog (total, change).
pub const DIALOG_FIGURE_SIZE: f32 = 24.0;
/// Pay buttons.
pub const PAY_BUTTON: egui::Vec2 = egui::vec2(190.0, 48.0);
/// Category buttons (F1…F9).
pub const CATEGORY_BUTTON: egui::Vec2 = egui::vec2(150.0, 60.0);
/// The performance list on the left.
pub const PERFORMANCES_WIDTH: f32 = 260.0;
/// The refund panel on the right (replaces the seat map while open).
pub const REFUND_PANEL_WIDTH: f32 = 400.0;
/// The seat map's default width on the right.
pub const SEAT_MAP_WIDTH: f32 = 380.0;
/// Room kept free around a window so it never reaches the screen's edge.
pub const WINDOW_MARGIN: f32 = 40.0;

/// The largest height a window may take on this screen (it scrolls inside).
pub fn window_max_height(ctx: &egui::Context) -> f32 {
    (ctx.content_rect().height() - 2.0 * WINDOW_MARGIN - 40.0).max(200.0)
}

/// Text fields of the settings forms.
pub const FORM_FIELD_WIDTH: f32 = 320.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    #[test]
    fn a_drawer_that_matches_is_green_and_one_over_or_short_is_red() {
        assert_eq!(difference_colour(Money::ZERO), GOOD);
        assert_eq!(difference_colour(Money::from_cents(5)), BAD);
        assert_eq!(difference_colour(Money::from_cents(-500)), BAD);
    }
}
