//! Tickets on paper: an order's tickets -> the ticket layout (a [`pc43d::Label`]) -> bytes -> a transport.
//! The same layout draws the on-screen preview, so what is seen is what is printed.

use crate::domain::ids::OrderNumber;
use std::io;
use std::path::Path;

use pc43d::{Align, Element, Font, Label, Language, PRINT_WIDTH_DOTS, Transport};

use crate::domain::{Currency, Money, VatBasisPoints};
use crate::i18n::{Lang, Text, tr};

pub mod escpos;
mod layout;
mod raster;

pub use layout::{Block, DEFAULT_LAYOUT_JSON, Field, FontSpec, QrSlot, TicketLayout, fit};
pub use raster::{Raster, render, render_png};

/// Height of the default ticket in dots (≈ 80 mm at 203 dpi).
pub const TICKET_HEIGHT_DOTS: u32 = 640;
const MARGIN_DOTS: u32 = 32;
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
    /// The register's currency: the price reads `18,50 €` or `18,50 kr`.
    pub currency: Currency,
    pub vat_rate: VatBasisPoints,
    pub order_number: OrderNumber,
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

/// Which paper this is: the original, a copy (same code) or a reissue (new code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Original,
    /// KOPIO / KOPIA / COPY: the same code, the same ticket.
    Copy,
    /// The ticket's n-th new code; every older code is revoked.
    Reissue(i64),
}

impl Mark {
    pub fn text(self, lang: Lang) -> String {
        match self {
            Mark::Original => String::new(),
            Mark::Copy => tr(lang, Text::CopyMark).to_string(),
            Mark::Reissue(number) => format!("{} {number}", tr(lang, Text::ReissueMark)),
        }
    }
}

/// The default ticket layout (`assets/ticket-layout.json`) filled with one ticket.
pub fn ticket_label(ticket: &TicketView, lang: Lang) -> Label {
    ticket_label_marked(ticket, lang, Mark::Original)
}

/// [`ticket_label`] for a copy or a reissue: the mark on top of the ticket.
pub fn ticket_label_marked(ticket: &TicketView, lang: Lang, mark: Mark) -> Label {
    layout_label(TicketLayout::default_ticket(), ticket, lang, mark)
}

/// Any layout filled with one ticket.
pub fn layout_label(layout: &TicketLayout, ticket: &TicketView, lang: Lang, mark: Mark) -> Label {
    let text_of = |field: Field| field_text(ticket, lang, mark, field);
    let mut elements = Vec::new();
    let body = lay_out(&layout.body, layout.text_width_dots, &text_of);
    let x_dots = layout.margin_dots;
    place(
        &mut elements,
        body,
        (x_dots, layout.margin_dots),
        layout.text_width_dots,
    );
    let footer_width_dots = layout.width_dots - 2 * layout.margin_dots;
    let footer = lay_out(&layout.footer, footer_width_dots, &text_of);
    let footer_height_dots: u32 = footer.iter().map(Placed::height_dots).sum();
    let footer_y_dots = layout
        .height_dots
        .saturating_sub(layout.margin_dots + footer_height_dots);
    place(
        &mut elements,
        footer,
        (x_dots, footer_y_dots),
        footer_width_dots,
    );
    elements.extend(code_elements(layout, &ticket.code));
    Label {
        width_dots: layout.width_dots,
        height_dots: layout.height_dots,
        elements,
    }
}

/// What one field of the layout says on this ticket, in the ticket's language.
fn field_text(ticket: &TicketView, lang: Lang, mark: Mark, field: Field) -> String {
    match field {
        Field::Mark => mark.text(lang),
        Field::Event => ticket.event_name.clone(),
        Field::Venue => ticket.venue.clone(),
        Field::StartsAt => ticket.starts_at.clone(),
        Field::Seat => ticket.seat.as_ref().map_or_else(
            || tr(lang, Text::FreeSeating).to_string(),
            |seat| seat.text(lang),
        ),
        Field::Category => ticket.category_name.clone(),
        Field::Price => format!(
            "{} ({} {})",
            ticket.currency.format(ticket.price),
            tr(lang, Text::VatIncluded),
            ticket.vat_rate.percent_text()
        ),
        Field::Order => format!("{} {}", tr(lang, Text::OrderNumber), ticket.order_number),
        Field::Organiser => format!("{}: {}", tr(lang, Text::Organiser), ticket.organiser),
        Field::Terms => tr(lang, Text::TicketTerms).to_string(),
    }
}

/// The blocks fitted to `width_dots`: each field's text in the largest size that fits its
/// lines; a field with nothing to say takes no room.
fn lay_out(blocks: &[Block], width_dots: u32, text_of: &dyn Fn(Field) -> String) -> Vec<Placed> {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::Field {
                field,
                size_points,
                bold,
                max_lines,
                min_size_points,
            } => {
                let text = text_of(*field);
                if text.trim().is_empty() {
                    return None;
                }
                let (size, rows) = fit(
                    &text,
                    *size_points,
                    min_size_points.unwrap_or(*size_points),
                    max_lines.unwrap_or(1),
                    width_dots,
                );
                let font = if *bold {
                    Font::bold(size)
                } else {
                    Font::regular(size)
                };
                Some(Placed::Rows(font, rows))
            }
            Block::Rule { rule_dots } => Some(Placed::Rule(*rule_dots)),
            Block::Gap { gap_dots } => Some(Placed::Gap(*gap_dots)),
        })
        .collect()
}

/// The laid-out blocks as elements, one under the other from `(x, y)` (dots).
fn place(elements: &mut Vec<Element>, blocks: Vec<Placed>, at: (u32, u32), width_dots: u32) {
    let (x_dots, mut y_dots) = at;
    for block in blocks {
        let height_dots = block.height_dots();
        match block {
            Placed::Rows(font, rows) => {
                for (i, row) in rows.into_iter().enumerate() {
                    elements.push(Element::Text {
                        x_dots,
                        y_dots: y_dots + i as u32 * font.line_height_dots(),
                        align: Align::Left,
                        font: font.clone(),
                        text: row,
                    });
                }
            }
            Placed::Rule(thickness_dots) => elements.push(Element::Rule {
                x_dots,
                y_dots,
                length_dots: width_dots,
                thickness_dots,
            }),
            Placed::Gap(_) => {}
        }
        y_dots += height_dots;
    }
}

/// The ticket code's QR code and, under it, the code as printed (grouped with hyphens).
fn code_elements(layout: &TicketLayout, code: &str) -> [Element; 2] {
    let qr_size_dots = QR_MODULES * layout.qr.module_dots;
    [
        Element::Qr {
            x_dots: layout.qr.x_dots,
            y_dots: layout.qr.y_dots,
            module_dots: layout.qr.module_dots,
            data: code.to_string(),
        },
        Element::Text {
            x_dots: layout.qr.x_dots + qr_size_dots / 2,
            y_dots: layout.qr.y_dots + qr_size_dots + 16,
            align: Align::Center,
            font: if layout.code.bold {
                Font::bold(layout.code.size_points)
            } else {
                Font::regular(layout.code.size_points)
            },
            text: crate::domain::TicketCode::parse(code)
                .map(|code| code.grouped())
                .unwrap_or_else(|| code.to_string()),
        },
    ]
}

/// A laid-out block: text rows in one font, a rule of some thickness, or space.
enum Placed {
    Rows(Font, Vec<String>),
    Rule(u32),
    Gap(u32),
}

impl Placed {
    fn height_dots(&self) -> u32 {
        match self {
            Placed::Rows(font, rows) => font.line_height_dots() * rows.len() as u32,
            Placed::Rule(dots) | Placed::Gap(dots) => *dots,
        }
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
    send_labels(&mut transport, Language::Fingerprint, labels)?;
    Ok(transport.describe())
}

/// Encodes every label in `language` and hands them to `transport` as one job.
pub fn send_labels(
    transport: &mut dyn Transport,
    language: Language,
    labels: &[Label],
) -> io::Result<()> {
    let mut job = Vec::with_capacity(labels.len() * 1200);
    for label in labels {
        job.extend(language.encode(label));
    }
    transport.send(&job)
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
fn chars_per_line(size_points: u32, width_dots: u32) -> usize {
    let em_dots = size_points * 203 / 72;
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
mod golden;

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
    fn copies_and_reissues_are_marked_in_the_ticket_language() {
        let ticket = TicketView {
            code: "041061050R3GG28A".into(),
            event_name: "Nummisuutarit".into(),
            venue: "Kansallisteatteri".into(),
            organiser: "Teatteri".into(),
            starts_at: "1.12.2026 klo 19.00".into(),
            category_name: "Aikuinen".into(),
            price: Money::from_cents(3200),
            currency: Currency::Eur,
            vat_rate: VatBasisPoints(1000),
            order_number: crate::domain::ids::OrderNumber(3),
            state: "valid".into(),
            seat: None,
        };
        let texts = |label: &Label| -> Vec<String> {
            label
                .elements
                .iter()
                .filter_map(|e| match e {
                    Element::Text { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect()
        };
        assert!(
            texts(&ticket_label_marked(&ticket, Lang::Fi, Mark::Copy))
                .contains(&"KOPIO".to_string())
        );
        assert!(
            texts(&ticket_label_marked(&ticket, Lang::Sv, Mark::Copy))
                .contains(&"KOPIA".to_string())
        );
        assert!(
            texts(&ticket_label_marked(&ticket, Lang::En, Mark::Copy))
                .contains(&"COPY".to_string())
        );
        assert!(
            texts(&ticket_label_marked(&ticket, Lang::Sv, Mark::Reissue(2)))
                .contains(&"NY BILJETT nr 2".to_string())
        );
        let original = texts(&ticket_label(&ticket, Lang::Fi));
        assert!(!original.iter().any(|t| t.contains("KOPIO")));
        assert!(original.contains(&"Vapaa istumajärjestys".to_string()));
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
            currency: Currency::Eur,
            vat_rate: VatBasisPoints(1350),
            order_number: crate::domain::ids::OrderNumber(7),
            state: "valid".into(),
            seat: None,
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
        let seated = ticket_label(
            &TicketView {
                seat: Some(SeatLine {
                    section: "stalls".into(),
                    section_name: "Permanto".into(),
                    row: "5".into(),
                    seat: "10".into(),
                }),
                ..ticket.clone()
            },
            Lang::Fi,
        );
        assert!(
            seated.elements.iter().any(
                |e| matches!(e, Element::Text { text, .. } if text == "Permanto, rivi 5, paikka 10")
            ),
            "the seat replaces 'free seating'"
        );
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
        // The preview is drawn from the same label, and an independent decoder reads its QR code.
        let picture = render(&label);
        assert_eq!((picture.width, picture.height), (832, TICKET_HEIGHT_DOTS));
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            picture.width as usize,
            picture.height as usize,
            |x, y| picture.at(x as u32, y as u32),
        );
        let decoded: Vec<String> = prepared
            .detect_grids()
            .iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect();
        assert_eq!(decoded, ["041061050R3GG28A"]);
        // The event name is inked in its row (left column, first line).
        let inked = (32..500)
            .flat_map(|x| (32..70).map(move |y| (x, y)))
            .filter(|(x, y)| picture.at(*x, *y) < 128)
            .count();
        assert!(inked > 500, "the first line has text ({inked} dark pixels)");
        assert!(picture.to_png().starts_with(b"\x89PNG\r\n\x1a\n"));
        // Every element stays on the label.
        for element in &label.elements {
            if let Element::Text { y_dots, .. } | Element::Qr { y_dots, .. } = element {
                assert!(*y_dots < TICKET_HEIGHT_DOTS);
            }
        }
    }
}
