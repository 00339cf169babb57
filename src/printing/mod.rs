//! Tickets on paper: an order's tickets -> the ticket layout (a [`pc43d::Label`]) -> bytes -> a transport.
//! The same layout draws the on-screen preview, so what is seen is what is printed.

use std::io;
use std::path::Path;

use pc43d::{Align, Element, Font, Label, PRINT_WIDTH_DOTS, Transport};

use crate::domain::{Money, VatBasisPoints};
use crate::i18n::{Lang, Text, tr};

/// Height of the default ticket in dots (≈ 76 mm at 203 dpi).
pub const TICKET_HEIGHT_DOTS: u32 = 600;
const MARGIN_DOTS: u32 = 32;
const QR_MODULE_DOTS: u32 = 9;
/// A ticket code (16 characters) always fits a version-1 QR code: 21 modules.
const QR_MODULES: u32 = 21;

/// What one printed ticket says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    pub code: String,
    pub event_name: String,
    pub venue: String,
    pub organiser: String,
    /// Already formatted for the ticket's language.
    pub starts_at: String,
    pub category_name: String,
    pub price: Money,
    pub vat_rate: VatBasisPoints,
    pub order_number: i64,
    pub state: String,
    /// Section (in the ticket's language), row and seat at a seated performance.
    pub seat: Option<SeatLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatLine {
    pub section: String,
    pub section_name: String,
    pub row: String,
    pub seat: String,
}

impl SeatLine {
    /// `Permanto, rivi 5, paikka 10` in the ticket's language.
    pub fn text(&self, lang: Lang) -> String {
        format!(
            "{}, {} {}, {} {}",
            self.section_name,
            tr(lang, Text::SeatRow),
            self.row,
            tr(lang, Text::SeatNumber),
            self.seat
        )
    }
}

/// The default ticket layout: event (wrapped, never cut), venue, time, category and price
/// on the left; the QR code with the ticket code under it on the right.
pub fn ticket_label(ticket: &TicketView, lang: Lang) -> Label {
    let text_width_dots = PRINT_WIDTH_DOTS - 2 * MARGIN_DOTS - 250;
    let mut elements = Vec::new();
    let mut y_dots = MARGIN_DOTS;
    let text = |elements: &mut Vec<Element>, y_dots: &mut u32, font: Font, content: String| {
        for row in wrap(&content, chars_per_line(&font, text_width_dots)) {
            elements.push(Element::Text {
                x_dots: MARGIN_DOTS,
                y_dots: *y_dots,
                align: Align::Left,
                font: font.clone(),
                text: row,
            });
            *y_dots += font.line_height_dots();
        }
    };
    text(
        &mut elements,
        &mut y_dots,
        Font::bold(16),
        ticket.event_name.clone(),
    );
    text(
        &mut elements,
        &mut y_dots,
        Font::regular(11),
        ticket.venue.clone(),
    );
    text(
        &mut elements,
        &mut y_dots,
        Font::bold(12),
        ticket.starts_at.clone(),
    );
    y_dots += 12;
    elements.push(Element::Rule {
        x_dots: MARGIN_DOTS,
        y_dots,
        length_dots: text_width_dots,
        thickness_dots: 2,
    });
    y_dots += 16;
    text(
        &mut elements,
        &mut y_dots,
        Font::bold(12),
        ticket.category_name.clone(),
    );
    if let Some(seat) = &ticket.seat {
        text(&mut elements, &mut y_dots, Font::bold(12), seat.text(lang));
    }
    text(
        &mut elements,
        &mut y_dots,
        Font::regular(11),
        format!(
            "{} ({} {})",
            ticket.price,
            tr(lang, Text::VatIncluded),
            ticket.vat_rate.percent_text()
        ),
    );
    text(
        &mut elements,
        &mut y_dots,
        Font::regular(9),
        format!("{} {}", tr(lang, Text::OrderNumber), ticket.order_number),
    );
    let bottom_dots = TICKET_HEIGHT_DOTS - MARGIN_DOTS - Font::regular(8).line_height_dots();
    elements.push(Element::Text {
        x_dots: MARGIN_DOTS,
        y_dots: bottom_dots,
        align: Align::Left,
        font: Font::regular(8),
        text: format!("{}: {}", tr(lang, Text::Organiser), ticket.organiser),
    });
    let qr_x_dots = PRINT_WIDTH_DOTS - MARGIN_DOTS - 40 - QR_MODULES * QR_MODULE_DOTS;
    elements.push(Element::Qr {
        x_dots: qr_x_dots,
        y_dots: MARGIN_DOTS,
        module_dots: QR_MODULE_DOTS,
        data: ticket.code.clone(),
    });
    elements.push(Element::Text {
        x_dots: qr_x_dots + QR_MODULES * QR_MODULE_DOTS / 2,
        y_dots: MARGIN_DOTS + QR_MODULES * QR_MODULE_DOTS + 16,
        align: Align::Center,
        font: Font::bold(9),
        text: crate::domain::TicketCode::parse(&ticket.code)
            .map(|code| code.grouped())
            .unwrap_or_else(|| ticket.code.clone()),
    });
    Label {
        width_dots: PRINT_WIDTH_DOTS,
        height_dots: TICKET_HEIGHT_DOTS,
        elements,
    }
}

/// A text report (X or Z) as a label for the ticket printer: monospaced lines, as long as needed.
pub fn report_label(text: &str) -> Label {
    let font = Font {
        name: "Letter Gothic",
        size_points: 8,
    };
    let line_height = font.line_height_dots();
    let mut elements = Vec::new();
    let mut y_dots = MARGIN_DOTS;
    for row in text.lines().flat_map(|line| wrap(line, 56)) {
        elements.push(Element::Text {
            x_dots: MARGIN_DOTS,
            y_dots,
            align: Align::Left,
            font: font.clone(),
            text: row,
        });
        y_dots += line_height;
    }
    Label {
        width_dots: PRINT_WIDTH_DOTS,
        height_dots: y_dots + MARGIN_DOTS,
        elements,
    }
}

/// Encodes every label and appends the jobs to the demo printer's file.
/// Returns a description of where they went.
pub fn print_labels(path: &Path, labels: &[Label]) -> io::Result<String> {
    let mut transport = pc43d::FileTransport {
        path: path.to_path_buf(),
    };
    let mut job = Vec::new();
    for label in labels {
        job.extend(pc43d::fingerprint::encode(label));
    }
    transport.send(&job)?;
    Ok(transport.describe())
}

/// The QR code of `data` as rows of dark (true) and light modules, for drawing the preview.
pub fn qr_modules(data: &str) -> Vec<Vec<bool>> {
    let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
        return Vec::new();
    };
    let width = code.width();
    code.to_colors()
        .chunks(width)
        .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
        .collect()
}

/// Roughly how many characters of a font fit in a width (average glyph ≈ 0,55 em).
fn chars_per_line(font: &Font, width_dots: u32) -> usize {
    let em_dots = font.size_points * 203 / 72;
    ((width_dots * 100) / (em_dots * 55).max(1)) as usize
}

/// Word wrap; a word longer than a line is split with a hyphen rather than cut silently.
pub fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(4);
    let mut rows: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max_chars {
            if !current.is_empty() {
                rows.push(std::mem::take(&mut current));
            }
            let head: String = word[..max_chars - 1].iter().collect();
            rows.push(format!("{head}-"));
            word.drain(..max_chars - 1);
        }
        let word: String = word.into_iter().collect();
        let needed = if current.is_empty() {
            word.chars().count()
        } else {
            current.chars().count() + 1 + word.chars().count()
        };
        if needed > max_chars && !current.is_empty() {
            rows.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_never_cuts_silently() {
        assert_eq!(
            wrap("Saaristofestivaali – päivälippu", 20),
            vec!["Saaristofestivaali –", "päivälippu"]
        );
        assert_eq!(wrap("abcdefghij", 6), vec!["abcde-", "fghij"]);
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn ticket_layout_carries_everything() {
        let ticket = TicketView {
            code: "041061050R3GG28A".into(),
            event_name: "Saaristofestivaali – päivälippu".into(),
            venue: "Kasnäs, Kemiönsaari".into(),
            organiser: "Skärgårdsfestivalen rf".into(),
            starts_at: "25.12.2026 klo 12.00".into(),
            category_name: "Aikuinen".into(),
            price: Money::from_cents(6900),
            vat_rate: VatBasisPoints(1350),
            order_number: 7,
            state: "valid".into(),
            seat: Some(SeatLine {
                section: "stalls".into(),
                section_name: "Permanto".into(),
                row: "5".into(),
                seat: "10".into(),
            }),
        };
        let label = ticket_label(&ticket, Lang::Fi);
        let texts: Vec<&str> = label
            .elements
            .iter()
            .filter_map(|e| match e {
                Element::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(texts.contains(&"69,00 € (sis. ALV 13,5 %)"), "{texts:?}");
        assert!(texts.contains(&"0410-6105-0R3G-G28A"));
        assert!(texts.contains(&"Tilausnumero 7"));
        assert!(texts.contains(&"Permanto, rivi 5, paikka 10"), "{texts:?}");
        let without_seat = ticket_label(
            &TicketView {
                seat: None,
                ..ticket.clone()
            },
            Lang::Fi,
        );
        assert_eq!(without_seat.elements.len() + 1, label.elements.len());
        assert!(
            label
                .elements
                .iter()
                .any(|e| matches!(e, Element::Qr { data, .. } if data == "041061050R3GG28A"))
        );
        let qr = qr_modules(&ticket.code);
        assert_eq!(
            qr.len(),
            QR_MODULES as usize,
            "a 16-character code fits a version 1 QR code"
        );
        // Every element stays on the label.
        for element in &label.elements {
            if let Element::Text { y_dots, .. } | Element::Qr { y_dots, .. } = element {
                assert!(*y_dots < TICKET_HEIGHT_DOTS);
            }
        }
    }
}
