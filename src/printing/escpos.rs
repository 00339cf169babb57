//! A pure ESC/POS encoder for the customer's receipt: rows of text in, bytes out.
//!
//! Epson ESC/POS as every common 80 mm receipt printer understands it: `ESC @` resets,
//! `ESC t 19` selects code page PC858 (Latin-1 with €, so å ä ö é € print), `ESC a n`
//! aligns, `ESC E n` bold, `GS ! n` character size, `ESC d n` feeds, `GS V 66 0` feeds to
//! the cutter and cuts. Characters outside PC858 print as `?`. The bytes go to the printer
//! through the same transports as the ticket printer (`queue:`, `tcp:`, `serial:`, `file:`).

/// Characters per line of font A on 80 mm paper (576 dots) less margins.
pub const RECEIPT_WIDTH: usize = 42;

/// How one row is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    Normal,
    Bold,
    /// Centred.
    Center,
    /// Double width and height, centred: the seller's name, COPY, TRAINING.
    Large,
}

/// One printed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub text: String,
    pub style: RowStyle,
}

impl Row {
    pub fn new(style: RowStyle, text: impl Into<String>) -> Row {
        Row {
            text: text.into(),
            style,
        }
    }

    pub fn normal(text: impl Into<String>) -> Row {
        Row::new(RowStyle::Normal, text)
    }
}

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;

/// The rows as one ESC/POS job: reset, code page, the rows, feed and cut.
pub fn encode(rows: &[Row]) -> Vec<u8> {
    let mut out = vec![ESC, b'@', ESC, b't', 19];
    for row in rows {
        let (align, bold, size) = match row.style {
            RowStyle::Normal => (0, 0, 0x00),
            RowStyle::Bold => (0, 1, 0x00),
            RowStyle::Center => (1, 0, 0x00),
            RowStyle::Large => (1, 1, 0x11),
        };
        if row.style != RowStyle::Normal {
            out.extend([ESC, b'a', align, ESC, b'E', bold, GS, b'!', size]);
        }
        out.extend(row.text.chars().map(pc858));
        out.push(b'\n');
        if row.style != RowStyle::Normal {
            out.extend([ESC, b'a', 0, ESC, b'E', 0, GS, b'!', 0]);
        }
    }
    out.extend([ESC, b'd', 4, GS, b'V', 66, 0]);
    out
}

/// The rows as plain text (the golden text, the screen): large rows are framed by blank
/// lines, centred rows centred in the receipt's width.
pub fn to_text(rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        let text = match row.style {
            RowStyle::Normal | RowStyle::Bold => row.text.clone(),
            RowStyle::Center | RowStyle::Large => {
                let width = row.text.chars().count();
                let pad = RECEIPT_WIDTH.saturating_sub(width) / 2;
                format!("{}{}", " ".repeat(pad), row.text)
            }
        };
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// `left` and `right` on one line of the receipt's width (right-aligned amounts); when both
/// do not fit, `left` gets a line of its own.
pub fn two_columns(left: &str, right: &str) -> Vec<String> {
    let (l, r) = (left.chars().count(), right.chars().count());
    if l + r < RECEIPT_WIDTH {
        vec![format!(
            "{left}{}{right}",
            " ".repeat(RECEIPT_WIDTH - l - r)
        )]
    } else {
        vec![
            left.to_string(),
            format!("{}{right}", " ".repeat(RECEIPT_WIDTH.saturating_sub(r))),
        ]
    }
}

/// Width of the receipt as a label on an 80 mm roll (72 mm printable at 203 dpi).
pub const LABEL_WIDTH_DOTS: u32 = 576;
const MARGIN_DOTS: u32 = 8;
const TEXT_POINTS: u32 = 9;
const LARGE_POINTS: u32 = 14;

/// The same rows as a `pc43d::Label`, the ticket's layout model: the receipt then prints on
/// the ticket printer (Fingerprint or ZPL) and previews as a picture from one layout. Text is
/// proportional there, so a row's columns (runs of two or more spaces) are placed by their
/// column: the first at the left margin, the others right-aligned where they end.
pub fn to_label(rows: &[Row]) -> pc43d::Label {
    use pc43d::{Align, Element, Font};
    let column_dots = |column: usize| {
        MARGIN_DOTS + (column as u32) * (LABEL_WIDTH_DOTS - 2 * MARGIN_DOTS) / RECEIPT_WIDTH as u32
    };
    let mut elements = Vec::new();
    let mut y = MARGIN_DOTS;
    for row in rows {
        let font = match row.style {
            RowStyle::Large => Font::bold(LARGE_POINTS),
            RowStyle::Bold => Font::bold(TEXT_POINTS),
            RowStyle::Normal | RowStyle::Center => Font::regular(TEXT_POINTS),
        };
        let text = row.text.trim_end();
        let line_height = font.line_height_dots();
        if !text.is_empty() && text.chars().all(|c| c == '-') {
            elements.push(Element::Rule {
                x_dots: MARGIN_DOTS,
                y_dots: y + line_height / 2,
                length_dots: LABEL_WIDTH_DOTS - 2 * MARGIN_DOTS,
                thickness_dots: 2,
            });
        } else if matches!(row.style, RowStyle::Center | RowStyle::Large) {
            elements.push(Element::Text {
                x_dots: LABEL_WIDTH_DOTS / 2,
                y_dots: y,
                align: Align::Center,
                font: font.clone(),
                text: text.trim().to_string(),
            });
        } else {
            // Split into columns at runs of two or more spaces.
            let chars: Vec<char> = text.chars().collect();
            let mut start = 0;
            while start < chars.len() {
                while start < chars.len() && chars[start] == ' ' {
                    start += 1;
                }
                if start >= chars.len() {
                    break;
                }
                let mut end = start;
                while end < chars.len() && !(chars[end] == ' ' && chars.get(end + 1) == Some(&' '))
                {
                    end += 1;
                }
                let token: String = chars[start..end].iter().collect();
                // A token at the row's start (or its small indent) is left-aligned.
                let (x_dots, align) = if start <= 2 {
                    (column_dots(start), Align::Left)
                } else {
                    (column_dots(end), Align::Right)
                };
                elements.push(Element::Text {
                    x_dots,
                    y_dots: y,
                    align,
                    font: font.clone(),
                    text: token,
                });
                start = end;
            }
        }
        y += line_height;
    }
    pc43d::Label {
        width_dots: LABEL_WIDTH_DOTS,
        height_dots: y + MARGIN_DOTS,
        elements,
    }
}

/// A character in code page PC858 (`?` when it has none).
pub fn pc858(c: char) -> u8 {
    if c.is_ascii() && !c.is_ascii_control() {
        return c as u8;
    }
    match c {
        'Ç' => 0x80,
        'ü' => 0x81,
        'é' => 0x82,
        'â' => 0x83,
        'ä' => 0x84,
        'à' => 0x85,
        'å' => 0x86,
        'ç' => 0x87,
        'ê' => 0x88,
        'ë' => 0x89,
        'è' => 0x8a,
        'ï' => 0x8b,
        'î' => 0x8c,
        'ì' => 0x8d,
        'Ä' => 0x8e,
        'Å' => 0x8f,
        'É' => 0x90,
        'æ' => 0x91,
        'Æ' => 0x92,
        'ô' => 0x93,
        'ö' => 0x94,
        'ò' => 0x95,
        'û' => 0x96,
        'ù' => 0x97,
        'ÿ' => 0x98,
        'Ö' => 0x99,
        'Ü' => 0x9a,
        'ø' => 0x9b,
        '£' => 0x9c,
        'Ø' => 0x9d,
        '×' => 0x9e,
        'á' => 0xa0,
        'í' => 0xa1,
        'ó' => 0xa2,
        'ú' => 0xa3,
        'ñ' => 0xa4,
        'Ñ' => 0xa5,
        '½' => 0xab,
        '«' => 0xae,
        '»' => 0xaf,
        'Á' => 0xb5,
        'Â' => 0xb6,
        'À' => 0xb7,
        '©' => 0xb8,
        '€' => 0xd5,
        'Ó' => 0xe0,
        'ß' => 0xe1,
        'Ô' => 0xe2,
        'Ò' => 0xe3,
        'µ' => 0xe6,
        'Ú' => 0xe9,
        '§' => 0xf5,
        '°' => 0xf8,
        '·' => 0xfa,
        '–' | '—' => b'-',
        '\u{a0}' | '\u{202f}' => b' ',
        _ => b'?',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rows_byte_for_byte() {
        let rows = [
            Row::new(RowStyle::Large, "Åbo"),
            Row::normal("12,50 €"),
            Row::new(RowStyle::Bold, "Växel"),
        ];
        let mut want = vec![0x1b, b'@', 0x1b, b't', 19];
        want.extend([0x1b, b'a', 1, 0x1b, b'E', 1, 0x1d, b'!', 0x11]);
        want.extend([0x8f, b'b', b'o', b'\n']);
        want.extend([0x1b, b'a', 0, 0x1b, b'E', 0, 0x1d, b'!', 0]);
        want.extend(b"12,50 ");
        want.extend([0xd5, b'\n']);
        want.extend([0x1b, b'a', 0, 0x1b, b'E', 1, 0x1d, b'!', 0]);
        want.extend([b'V', 0x84, b'x', b'e', b'l', b'\n']);
        want.extend([0x1b, b'a', 0, 0x1b, b'E', 0, 0x1d, b'!', 0]);
        want.extend([0x1b, b'd', 4, 0x1d, b'V', 66, 0]);
        assert_eq!(encode(&rows), want);
    }

    #[test]
    fn nordic_letters_and_the_euro_are_in_the_code_page() {
        let bytes: Vec<u8> = "äöåÄÖÅé€".chars().map(pc858).collect();
        assert_eq!(bytes, [0x84, 0x94, 0x86, 0x8e, 0x99, 0x8f, 0x82, 0xd5]);
        assert_eq!(pc858('☃'), b'?');
        assert_eq!(pc858('\u{a0}'), b' ');
    }

    #[test]
    fn amounts_are_right_aligned_and_long_names_get_their_own_line() {
        assert_eq!(
            two_columns("Total", "12,50 €"),
            vec![format!("Total{}12,50 €", " ".repeat(42 - 5 - 7))]
        );
        let long = "x".repeat(40);
        let lines = two_columns(&long, "12,50 €");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].chars().count(), 42);
    }
}
