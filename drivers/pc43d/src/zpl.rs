//! ZPL II encoder for the PC43d's ZSim emulation.
//!
//! The job is self-contained: `^CI28` (UTF-8), the print width and label length, and
//! an explicit origin. Text uses the resident bitmap fonts A, B, D and F, whose glyphs
//! cover å ä ö Å Ä Ö é € (the scalable font 0 of the reference renderer has no å ä ö),
//! magnified in whole steps to the largest size whose character cell still fits the
//! layout's width estimate (0,55 em). Alignment is a one-line field block (`^FB`)
//! around the anchor. Control characters in data become spaces (a
//! ticket field is one line); `^`, `~` and `_` would be read as commands, so a field
//! holding them is sent hex-escaped through `^FH`. Quotes need nothing in ZPL.

use crate::{Align, Element, Label};

/// Encodes one label as a complete ZPL format, `^XA` … `^XZ`, lines ending in CR LF.
pub fn encode(label: &Label) -> Vec<u8> {
    let mut job = String::new();
    let mut line = |statement: &str| {
        job.push_str(statement);
        job.push_str("\r\n");
    };
    line("^XA");
    line("^CI28");
    line(&format!("^PW{}", label.width_dots));
    line(&format!("^LL{}", label.height_dots));
    line("^LH0,0");
    for element in &label.elements {
        match element {
            Element::Text {
                x_dots,
                y_dots,
                align,
                font,
                text,
            } => {
                let font_command = bitmap_font(font.size_points * 203 / 72);
                let (origin_x_dots, block_width_dots, justification) = match align {
                    Align::Left => (*x_dots, label.width_dots.saturating_sub(*x_dots), 'L'),
                    Align::Center => {
                        let half_dots = (*x_dots).min(label.width_dots.saturating_sub(*x_dots));
                        (x_dots - half_dots, 2 * half_dots, 'C')
                    }
                    Align::Right => (0, *x_dots, 'R'),
                };
                line(&format!(
                    "^FO{origin_x_dots},{y_dots}{font_command}^FB{block_width_dots},1,0,{justification},0{}^FS",
                    field_data(text)
                ));
            }
            Element::Qr {
                x_dots,
                y_dots,
                module_dots,
                data,
            } => {
                // Error correction M, automatic mode: "MA," before the data.
                line(&format!(
                    "^FO{x_dots},{y_dots}^BQN,2,{}{}^FS",
                    (*module_dots).clamp(1, 10),
                    field_data(&format!("MA,{data}"))
                ));
            }
            Element::Rule {
                x_dots,
                y_dots,
                length_dots,
                thickness_dots,
            } => {
                line(&format!(
                    "^FO{x_dots},{y_dots}^GB{length_dots},{thickness_dots},{thickness_dots}^FS"
                ));
            }
        }
    }
    line("^XZ");
    job.into_bytes()
}

/// The resident bitmap fonts at the magnifications used:
/// (name, height, width, character cell), in dots.
const BITMAP_FONTS: [(char, u32, u32, u32); 6] = [
    ('A', 9, 5, 6),
    ('B', 11, 7, 9),
    ('D', 18, 10, 12),
    ('F', 26, 13, 16),
    ('D', 36, 20, 24),
    ('F', 52, 26, 32),
];

/// `^A…` for text of `em_dots`: the tallest font whose character cell is at most 0,55 em
/// and whose height is at most 1,2 em; font A at least.
fn bitmap_font(em_dots: u32) -> String {
    let (name, height, width, _) = BITMAP_FONTS
        .into_iter()
        .filter(|(_, height, _, cell)| cell * 100 <= em_dots * 55 && height * 10 <= em_dots * 12)
        .max_by_key(|(_, height, _, _)| *height)
        .unwrap_or(BITMAP_FONTS[0]);
    format!("^A{name}N,{height},{width}")
}

/// `^FD…` for one field: one line, and `^FH_` with hex escapes when the data holds
/// a character ZPL would take for a command prefix or the escape itself.
pub fn field_data(data: &str) -> String {
    let cleaned: String = data
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if !cleaned.contains(['^', '~', '_']) {
        return format!("^FD{cleaned}");
    }
    let mut escaped = String::from("^FH_^FD");
    for c in cleaned.chars() {
        match c {
            '^' => escaped.push_str("_5E"),
            '~' => escaped.push_str("_7E"),
            '_' => escaped.push_str("_5F"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Font;

    #[test]
    fn field_data_is_one_line_and_escapes_command_characters() {
        assert_eq!(field_data("Åbo \"x\""), "^FDÅbo \"x\"");
        assert_eq!(field_data("a\r\nb"), "^FDa  b");
        assert_eq!(field_data("50% ^off~_"), "^FH_^FD50% _5Eoff_7E_5F");
    }

    #[test]
    fn fonts_by_size() {
        // 24 pt: F at 2×; 16 pt (45 dots): D at 2×; 14 and 12 pt: F; 9 and 8 pt: D; 7 pt: B; 6 pt: A.
        assert_eq!(bitmap_font(67), "^AFN,52,26");
        assert_eq!(bitmap_font(45), "^ADN,36,20");
        assert_eq!(bitmap_font(39), "^AFN,26,13");
        assert_eq!(bitmap_font(33), "^AFN,26,13");
        assert_eq!(bitmap_font(25), "^ADN,18,10");
        assert_eq!(bitmap_font(22), "^ADN,18,10");
        assert_eq!(bitmap_font(19), "^ABN,11,7");
        assert_eq!(bitmap_font(16), "^AAN,9,5");
        assert_eq!(bitmap_font(1), "^AAN,9,5");
    }

    #[test]
    fn golden_job() {
        let label = Label {
            width_dots: 832,
            height_dots: 600,
            elements: vec![
                Element::Text {
                    x_dots: 40,
                    y_dots: 30,
                    align: Align::Left,
                    font: Font::bold(14),
                    text: "Nummisuutarit \"Åbo\"\nä ö é ÄÖ".into(),
                },
                Element::Rule {
                    x_dots: 40,
                    y_dots: 100,
                    length_dots: 752,
                    thickness_dots: 2,
                },
                Element::Qr {
                    x_dots: 600,
                    y_dots: 120,
                    module_dots: 6,
                    data: "041061050R3GG28A".into(),
                },
                Element::Text {
                    x_dots: 416,
                    y_dots: 560,
                    align: Align::Center,
                    font: Font::regular(8),
                    text: "18,50 €".into(),
                },
                Element::Text {
                    x_dots: 792,
                    y_dots: 560,
                    align: Align::Right,
                    font: Font::regular(8),
                    text: "KOPIA".into(),
                },
            ],
        };
        let expected = "^XA\r\n^CI28\r\n^PW832\r\n^LL600\r\n^LH0,0\r\n\
^FO40,30^AFN,26,13^FB792,1,0,L,0^FDNummisuutarit \"Åbo\" ä ö é ÄÖ^FS\r\n\
^FO40,100^GB752,2,2^FS\r\n\
^FO600,120^BQN,2,6^FDMA,041061050R3GG28A^FS\r\n\
^FO0,560^ADN,18,10^FB832,1,0,C,0^FD18,50 €^FS\r\n\
^FO0,560^ADN,18,10^FB792,1,0,R,0^FDKOPIA^FS\r\n\
^XZ\r\n";
        let bytes = encode(&label);
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), expected);
        // UTF-8 on the wire (^CI28): "Å" is C3 85, "é" is C3 A9, "€" is E2 82 AC.
        assert!(bytes.windows(2).any(|w| w == [0xC3, 0x85]));
        assert!(bytes.windows(2).any(|w| w == [0xC3, 0xA9]));
        assert!(bytes.windows(3).any(|w| w == [0xE2, 0x82, 0xAC]));
    }
}
