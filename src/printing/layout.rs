//! The ticket layout model: where each field of a ticket goes, in dots, read from
//! `assets/ticket-layout.json`. Body blocks stack down from the top of the text
//! column; footer blocks stack up from the bottom of the ticket, full width. A text
//! that does not fit its lines is shrunk down to its minimum size, then wrapped on
//! more lines (a word longer than a line is hyphenated): never cut silently.

use serde::Deserialize;

/// The default ticket, bundled with the program.
pub const DEFAULT_LAYOUT_JSON: &str = include_str!("../../assets/ticket-layout.json");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketLayout {
    pub width_dots: u32,
    pub height_dots: u32,
    pub margin_dots: u32,
    /// Width of the body's text column, left of the QR code.
    pub text_width_dots: u32,
    pub qr: QrSlot,
    /// The human-readable ticket code, centred under the QR code.
    pub code: FontSpec,
    pub body: Vec<Block>,
    pub footer: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrSlot {
    pub x_dots: u32,
    pub y_dots: u32,
    pub module_dots: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSpec {
    pub size_points: u32,
    #[serde(default)]
    pub bold: bool,
}

/// One block of the layout: a field's text, a horizontal rule or some space.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Block {
    Field {
        field: Field,
        size_points: u32,
        #[serde(default)]
        bold: bool,
        /// Lines the text may take before it is shrunk (default 1).
        #[serde(default)]
        max_lines: Option<usize>,
        /// How far it may be shrunk (default: not at all).
        #[serde(default)]
        min_size_points: Option<u32>,
    },
    Rule {
        rule_dots: u32,
    },
    Gap {
        gap_dots: u32,
    },
}

/// What a text block shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// KOPIO / KOPIA / COPY, or the reissue number; empty on an original.
    Mark,
    Event,
    Venue,
    StartsAt,
    /// Section, row and seat, or free seating.
    Seat,
    Category,
    /// The price with its VAT.
    Price,
    Order,
    Organiser,
    Terms,
}

impl TicketLayout {
    /// The bundled default layout.
    pub fn default_ticket() -> &'static TicketLayout {
        static LAYOUT: std::sync::OnceLock<TicketLayout> = std::sync::OnceLock::new();
        LAYOUT.get_or_init(|| {
            serde_json::from_str(DEFAULT_LAYOUT_JSON)
                .expect("assets/ticket-layout.json is valid (checked by a unit test)")
        })
    }
}

/// The font size and the lines a text takes in `width_dots`: shrunk from `size_points`
/// down to `min_size_points` until it fits `max_lines`, else wrapped on as many as needed.
pub fn fit(
    text: &str,
    size_points: u32,
    min_size_points: u32,
    max_lines: usize,
    width_dots: u32,
) -> (u32, Vec<String>) {
    let mut size = size_points;
    loop {
        let rows = super::wrap(text, super::chars_per_line(size, width_dots));
        if rows.len() <= max_lines.max(1) || size <= min_size_points.min(size_points) {
            return (size, rows);
        }
        size -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_layout_parses_and_fits_the_printer() {
        let layout: TicketLayout = serde_json::from_str(DEFAULT_LAYOUT_JSON).unwrap();
        assert_eq!(layout.width_dots, pc43d::PRINT_WIDTH_DOTS);
        assert!(layout.qr.x_dots + 21 * layout.qr.module_dots <= layout.width_dots);
        assert!(layout.margin_dots + layout.text_width_dots <= layout.qr.x_dots);
        assert!(layout.body.iter().any(|b| matches!(
            b,
            Block::Field {
                field: Field::Event,
                ..
            }
        )));
    }

    #[test]
    fn long_names_shrink_then_wrap_never_cut() {
        let (size, rows) = fit("Nummisuutarit", 16, 11, 2, 500);
        assert_eq!((size, rows.len()), (16, 1));
        let long = "Kansallisteatterin suuren näyttämön juhlanäytäntö: Seitsemän veljestä ja Nummisuutarit samana iltana";
        let (size, rows) = fit(long, 16, 11, 2, 500);
        assert!((11..16).contains(&size), "shrunk to {size}");
        // Every word survives, in order.
        assert_eq!(rows.join(" "), long);
        let (size, rows) = fit(&long.repeat(3), 16, 11, 2, 500);
        assert_eq!(size, 11, "shrinks no further than the minimum");
        assert!(rows.len() > 2, "then wraps on more lines");
    }
}
