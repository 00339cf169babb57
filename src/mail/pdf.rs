//! The e-ticket PDF: one page per ticket, drawn from the same [`pc43d::Label`] as the printed
//! ticket (positions in printer dots become PDF points at 203 dpi), text in the bundled
//! DejaVu Sans (it covers å ä ö €), the QR code as filled squares.

use std::sync::LazyLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use pc43d::{Align, Element, Label};
use skrifa::MetadataProvider;

/// The bundled font (its licence is beside it in `assets/fonts/`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT: LazyLock<Font> =
    LazyLock::new(|| Font::new(FONT_BYTES.into(), 0).expect("the bundled font parses"));

/// PDF points per printer dot (the PC43d prints at 203 dpi).
const POINTS_PER_DOT: f32 = 72.0 / 203.0;
/// Where the first baseline sits below the top of a text line, as a share of the font size
/// (DejaVu Sans ascender).
const ASCENT_EM: f32 = 0.93;
/// Bold printer fonts are drawn twice, this far apart (DejaVu Sans Bold is not bundled).
const BOLD_OFFSET_POINTS: f32 = 0.3;

#[derive(Debug, thiserror::Error)]
#[error("the ticket PDF could not be made: {0}")]
pub struct PdfError(String);

/// One page per label.
pub fn tickets_pdf(labels: &[Label]) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    for label in labels {
        let settings = PageSettings::from_wh(
            dots(label.width_dots).max(1.0),
            dots(label.height_dots).max(1.0),
        )
        .ok_or_else(|| PdfError("a ticket has no size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for element in &label.elements {
            match element {
                Element::Text {
                    x_dots,
                    y_dots,
                    align,
                    font,
                    text,
                } => {
                    let size = font.size_points as f32;
                    let width = text_width_points(text, size);
                    let left = match align {
                        Align::Left => dots(*x_dots),
                        Align::Center => dots(*x_dots) - width / 2.0,
                        Align::Right => dots(*x_dots) - width,
                    };
                    let baseline = dots(*y_dots) + size * ASCENT_EM;
                    let passes: &[f32] = if font.is_bold() {
                        &[0.0, BOLD_OFFSET_POINTS]
                    } else {
                        &[0.0]
                    };
                    for offset in passes {
                        surface.draw_text(
                            Point::from_xy(left + offset, baseline),
                            FONT.clone(),
                            size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                }
                Element::Qr {
                    x_dots,
                    y_dots,
                    module_dots,
                    data,
                } => {
                    let module = dots(*module_dots);
                    let mut path = PathBuilder::new();
                    for (row, cells) in crate::printing::qr_modules(data).iter().enumerate() {
                        for (column, dark) in cells.iter().enumerate() {
                            if *dark
                                && let Some(rect) = Rect::from_xywh(
                                    dots(*x_dots) + column as f32 * module,
                                    dots(*y_dots) + row as f32 * module,
                                    module,
                                    module,
                                )
                            {
                                path.push_rect(rect);
                            }
                        }
                    }
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
                Element::Rule {
                    x_dots,
                    y_dots,
                    length_dots,
                    thickness_dots,
                } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(
                        dots(*x_dots),
                        dots(*y_dots),
                        dots(*length_dots),
                        dots(*thickness_dots),
                    ) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

fn dots(value: u32) -> f32 {
    value as f32 * POINTS_PER_DOT
}

/// The advance width of `text` in the bundled font, in points.
fn text_width_points(text: &str, size: f32) -> f32 {
    let Ok(font) = skrifa::FontRef::new(FONT_BYTES) else {
        return 0.0;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(
        skrifa::instance::Size::new(size),
        skrifa::instance::LocationRef::default(),
    );
    text.chars()
        .filter_map(|c| charmap.map(c))
        .filter_map(|glyph| metrics.advance_width(glyph))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc43d::Font as PrinterFont;

    #[test]
    fn one_page_per_ticket_with_the_text_embedded() {
        let label = Label {
            width_dots: 832,
            height_dots: 600,
            elements: vec![
                Element::Text {
                    x_dots: 32,
                    y_dots: 32,
                    align: Align::Left,
                    font: PrinterFont::bold(16),
                    text: "Skärgårdsfestivalen 12,50 €".into(),
                },
                Element::Qr {
                    x_dots: 500,
                    y_dots: 32,
                    module_dots: 9,
                    data: "041061050R3GG28A".into(),
                },
                Element::Rule {
                    x_dots: 32,
                    y_dots: 200,
                    length_dots: 400,
                    thickness_dots: 2,
                },
            ],
        };
        let one = tickets_pdf(std::slice::from_ref(&label)).unwrap();
        let pdf = tickets_pdf(&[label.clone(), label.clone(), label]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3"), "three pages");
        assert!(String::from_utf8_lossy(&one).contains("/Count 1"));
        assert!(text.contains("DejaVu"), "the font is embedded");
    }

    #[test]
    fn centred_text_is_measured() {
        assert!(text_width_points("0410-6105", 9.0) > 30.0);
        assert_eq!(text_width_points("", 9.0), 0.0);
    }
}
