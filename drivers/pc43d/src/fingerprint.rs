//! Fingerprint / Direct Protocol encoder.
//!
//! Every job sets its own state (`NASC "UTF-8"`, and `DIR`, `ALIGN`, `FONT` before
//! each field) so nothing depends on what the previous job left behind. Text is
//! UTF-8; a `"` cannot appear inside a string literal and is sent as `CHR$(34)`;
//! line breaks and other control characters in data are replaced by spaces.
//! Statements end with CR LF.

use crate::{Align, Element, Label};

/// Encodes one label as a complete Fingerprint job ending in `PRINTFEED`.
pub fn encode(label: &Label) -> Vec<u8> {
    let mut job = String::new();
    let mut line = |statement: &str| {
        job.push_str(statement);
        job.push_str("\r\n");
    };
    line("VERBOFF");
    line("INPUT OFF");
    line("CLL");
    line("NASC \"UTF-8\"");
    for element in &label.elements {
        match element {
            Element::Text {
                x_dots,
                y_dots,
                align,
                font,
                text,
            } => {
                line(&format!("PRPOS {x_dots},{}", flip_y(label, *y_dots)));
                line("DIR 1");
                line(&format!("ALIGN {}", align_code(*align)));
                line(&format!("FONT \"{}\",{}", font.name, font.size_points));
                line(&format!("PRTXT {}", string_expression(text)));
            }
            Element::Qr {
                x_dots,
                y_dots,
                module_dots,
                data,
            } => {
                line(&format!("PRPOS {x_dots},{}", flip_y(label, *y_dots)));
                line("DIR 1");
                line("ALIGN 7");
                line(&format!("BARSET \"QRCODE\",1,1,{module_dots},2,1"));
                line(&format!("PRBAR {}", string_expression(data)));
            }
            Element::Rule {
                x_dots,
                y_dots,
                length_dots,
                thickness_dots,
            } => {
                line(&format!("PRPOS {x_dots},{}", flip_y(label, *y_dots)));
                line("DIR 1");
                line("ALIGN 1");
                line(&format!("PRLINE {length_dots},{thickness_dots}"));
            }
        }
    }
    line("PRINTFEED");
    job.into_bytes()
}

/// Fingerprint measures y upwards from the bottom of the label; the layout measures downwards.
fn flip_y(label: &Label, y_dots: u32) -> u32 {
    label.height_dots.saturating_sub(y_dots)
}

/// Anchor points: 7 = top-left, 8 = top-centre, 9 = top-right.
fn align_code(align: Align) -> u8 {
    match align {
        Align::Left => 7,
        Align::Center => 8,
        Align::Right => 9,
    }
}

/// A string expression for `PRTXT`/`PRBAR`: literals joined with `;`, quotes as `CHR$(34)`.
pub fn string_expression(data: &str) -> String {
    let cleaned: String = data
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let parts: Vec<String> = cleaned
        .split('"')
        .map(|literal| format!("\"{literal}\""))
        .collect();
    let mut expression = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            expression.push_str(";CHR$(34);");
        }
        expression.push_str(part);
    }
    expression
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Font;

    #[test]
    fn quotes_and_line_breaks_in_data() {
        assert_eq!(string_expression("Åbo"), "\"Åbo\"");
        assert_eq!(
            string_expression("say \"hi\""),
            "\"say \";CHR$(34);\"hi\";CHR$(34);\"\""
        );
        assert_eq!(string_expression("two\r\nlines"), "\"two  lines\"");
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
                    text: "Nummisuutarit \"Åbo\"\nä ö é".into(),
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
            ],
        };
        let expected = "VERBOFF\r\nINPUT OFF\r\nCLL\r\nNASC \"UTF-8\"\r\n\
PRPOS 40,570\r\nDIR 1\r\nALIGN 7\r\nFONT \"Univers Bold\",14\r\n\
PRTXT \"Nummisuutarit \";CHR$(34);\"Åbo\";CHR$(34);\" ä ö é\"\r\n\
PRPOS 40,500\r\nDIR 1\r\nALIGN 1\r\nPRLINE 752,2\r\n\
PRPOS 600,480\r\nDIR 1\r\nALIGN 7\r\nBARSET \"QRCODE\",1,1,6,2,1\r\nPRBAR \"041061050R3GG28A\"\r\n\
PRPOS 416,40\r\nDIR 1\r\nALIGN 8\r\nFONT \"Univers\",8\r\nPRTXT \"18,50 €\"\r\n\
PRINTFEED\r\n";
        assert_eq!(encode(&label), expected.as_bytes());
        // UTF-8 on the wire: "€" is E2 82 AC, "Å" is C3 85.
        let bytes = encode(&label);
        assert!(bytes.windows(3).any(|w| w == [0xE2, 0x82, 0xAC]));
        assert!(bytes.windows(2).any(|w| w == [0xC3, 0x85]));
    }
}
