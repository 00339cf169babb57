//! The e-ticket PDF: one page per ticket, drawn from the same [`pc43d::Label`] as the printed
//! ticket (positions in printer dots become PDF points at 203 dpi), text in the bundled
//! DejaVu Sans (it covers å ä ö €), the QR code as filled squares.
//!
//! Written directly with `pdf-writer` (issue 16: a general PDF library spent most of a ticket's
//! time deflating a fresh font subset and parsing the font). The font is embedded as a TrueType
//! CID font (Identity-H, glyph ids as character codes) with a `ToUnicode` map, so the text can be
//! searched and copied. One subset of the font for the characters of Finnish, Swedish, English
//! and their neighbours (Latin-1, Latin Extended-A, the euro sign, dashes and quotes) is made and
//! deflated once per process; a document with any other character gets its own subset, made for
//! it alone, so every character the font has is drawn.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::sync::{Arc, LazyLock};

use pc43d::{Align, Element, Label};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// The bundled font (its licence is beside it in `assets/fonts/`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The subset made once: what tickets and receipts in the three languages are written with.
static COMMON_SUBSET: LazyLock<Result<Arc<Subset>, PdfError>> =
    LazyLock::new(|| Subset::new(common_chars()).map(Arc::new));

/// PDF points per printer dot (the PC43d prints at 203 dpi).
const POINTS_PER_DOT: f32 = 72.0 / 203.0;
/// Where the first baseline sits below the top of a text line, as a share of the font size
/// (DejaVu Sans ascender).
const ASCENT_EM: f32 = 0.93;
/// Bold printer fonts are drawn twice, this far apart (DejaVu Sans Bold is not bundled).
const BOLD_OFFSET_POINTS: f32 = 0.3;
/// The font's resource name on every page.
const FONT_NAME: Name<'static> = Name(b"F1");
const IDENTITY: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

#[derive(Debug, Clone, thiserror::Error)]
#[error("the ticket PDF could not be made: {0}")]
pub struct PdfError(String);

fn common_chars() -> BTreeSet<char> {
    (' '..='~')
        .chain('\u{a0}'..='\u{17f}')
        .chain("€–—‘’‚“”„…•·−×÷№™←→".chars())
        .collect()
}

/// A subset of the bundled font, ready to embed: which glyph each character became, the
/// glyphs' advances, the deflated font program and its `ToUnicode` map.
#[derive(Debug)]
struct Subset {
    /// Every character the subset was made for; the ones the font lacks are not in `glyphs`.
    covered: BTreeSet<char>,
    /// A character's glyph id in the subset.
    glyphs: HashMap<char, u16>,
    /// Advance of each subset glyph, in thousandths of an em (PDF glyph space).
    widths: Vec<f32>,
    /// The subset font program, deflated, and its length before.
    font_file: Vec<u8>,
    font_length: usize,
    to_unicode: Vec<u8>,
    /// `ABCDEF+DejaVuSans`: the tag names this subset.
    base_font: String,
    /// Font descriptor figures, in thousandths of an em.
    bbox: Rect,
    ascent: f32,
    descent: f32,
    cap_height: f32,
}

impl Subset {
    fn new(covered: BTreeSet<char>) -> Result<Subset, PdfError> {
        let font = skrifa::FontRef::new(FONT_BYTES)
            .map_err(|e| PdfError(format!("the bundled font: {e}")))?;
        let charmap = font.charmap();
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let advances = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let per_mille = 1000.0 / f32::from(metrics.units_per_em.max(1));

        let mut remapper = subsetter::GlyphRemapper::new();
        let mut glyphs = HashMap::new();
        let mut to_unicode = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
        let mut mapped = BTreeMap::new();
        for c in &covered {
            if let Some(glyph) = charmap.map(*c) {
                let old = u16::try_from(glyph.to_u32()).unwrap_or(0);
                let new = remapper.remap(old);
                glyphs.insert(*c, new);
                mapped.entry(new).or_insert(*c);
            }
        }
        for (glyph, c) in mapped {
            to_unicode.pair(glyph, c);
        }
        let widths = remapper
            .remapped_gids()
            .map(|old| {
                advances
                    .advance_width(skrifa::GlyphId::new(u32::from(old)))
                    .unwrap_or(0.0)
                    * per_mille
            })
            .collect();
        let program = subsetter::subset(FONT_BYTES, 0, &remapper)
            .map_err(|e| PdfError(format!("subsetting the bundled font: {e}")))?;
        let bounds = metrics.bounds.unwrap_or_default();
        Ok(Subset {
            glyphs,
            widths,
            font_file: deflate(&program, 9)?,
            font_length: program.len(),
            to_unicode: deflate(&to_unicode.finish(), 9)?,
            base_font: format!("{}+DejaVuSans", subset_tag(&covered)),
            bbox: Rect::new(
                bounds.x_min * per_mille,
                bounds.y_min * per_mille,
                bounds.x_max * per_mille,
                bounds.y_max * per_mille,
            ),
            ascent: metrics.ascent * per_mille,
            descent: metrics.descent * per_mille,
            cap_height: metrics.cap_height.unwrap_or(metrics.ascent) * per_mille,
            covered,
        })
    }

    /// The subset a document drawing `chars` can use: the common one when it covers them.
    fn for_chars(chars: &BTreeSet<char>) -> Result<Arc<Subset>, PdfError> {
        let common = COMMON_SUBSET.clone()?;
        if chars.is_subset(&common.covered) {
            return Ok(common);
        }
        Subset::new(common.covered.union(chars).copied().collect()).map(Arc::new)
    }

    fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(&c).copied().unwrap_or(0)
    }

    /// The advance width of `text` in points at `size`.
    fn width_points(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                self.widths
                    .get(usize::from(self.glyph(c)))
                    .copied()
                    .unwrap_or(0.0)
            })
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// `text` as two-byte glyph ids (the Identity-H encoding).
    fn encode(&self, text: &str) -> Vec<u8> {
        text.chars()
            .flat_map(|c| self.glyph(c).to_be_bytes())
            .collect()
    }
}

/// Six capital letters from the covered characters (a subset's name must differ from others').
fn subset_tag(chars: &BTreeSet<char>) -> String {
    // FNV-1a over the code points.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        for byte in u32::from(*c).to_le_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
        .collect()
}

fn deflate(data: &[u8], level: u32) -> Result<Vec<u8>, PdfError> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::new(level),
    );
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .map_err(|e| PdfError(format!("deflate: {e}")))
}

/// One page per label.
pub fn tickets_pdf(labels: &[Label]) -> Result<Vec<u8>, PdfError> {
    let chars: BTreeSet<char> = labels
        .iter()
        .flat_map(|label| &label.elements)
        .filter_map(|element| match element {
            Element::Text { text, .. } => Some(text.chars()),
            _ => None,
        })
        .flatten()
        .collect();
    let font = Subset::for_chars(&chars)?;

    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let type0_id = Ref::new(3);
    let cid_id = Ref::new(4);
    let descriptor_id = Ref::new(5);
    let font_file_id = Ref::new(6);
    let to_unicode_id = Ref::new(7);
    let first_page = 8;
    let page_ids: Vec<Ref> = (0..labels.len())
        .map(|n| Ref::new(first_page + 2 * n as i32))
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.pages(pages_id)
        .kids(page_ids.iter().copied())
        .count(labels.len() as i32);
    for (label, page_id) in labels.iter().zip(&page_ids) {
        let width = dots(label.width_dots).max(1.0);
        let height = dots(label.height_dots).max(1.0);
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, width, height))
            .contents(content_id);
        page.resources().fonts().pair(FONT_NAME, type0_id);
        page.finish();
        let content = deflate(&page_content(label, height, &font), 1)?;
        pdf.stream(content_id, &content).filter(Filter::FlateDecode);
    }

    pdf.type0_font(type0_id)
        .base_font(Name(font.base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(to_unicode_id);
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(font.base_font.as_bytes()))
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, font.widths.iter().copied());
    cid.finish();
    pdf.font_descriptor(descriptor_id)
        .name(Name(font.base_font.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(font.bbox)
        .italic_angle(0.0)
        .ascent(font.ascent)
        .descent(font.descent)
        .cap_height(font.cap_height)
        .stem_v(80.0)
        .font_file2(font_file_id);
    pdf.stream(font_file_id, &font.font_file)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), font.font_length as i32);
    pdf.cmap(to_unicode_id, &font.to_unicode)
        .filter(Filter::FlateDecode);
    Ok(pdf.finish())
}

/// The drawing of one label, PDF's y axis pointing up from the bottom of a page `height` tall.
fn page_content(label: &Label, height: f32, font: &Subset) -> Vec<u8> {
    let mut content = Content::new();
    for element in &label.elements {
        match element {
            Element::Text {
                x_dots,
                y_dots,
                align,
                font: printer_font,
                text,
            } => {
                let size = printer_font.size_points as f32;
                let width = font.width_points(text, size);
                let left = match align {
                    Align::Left => dots(*x_dots),
                    Align::Center => dots(*x_dots) - width / 2.0,
                    Align::Right => dots(*x_dots) - width,
                };
                let baseline = height - (dots(*y_dots) + size * ASCENT_EM);
                let passes: &[f32] = if printer_font.is_bold() {
                    &[0.0, BOLD_OFFSET_POINTS]
                } else {
                    &[0.0]
                };
                let glyphs = font.encode(text);
                content.begin_text().set_font(FONT_NAME, size);
                for offset in passes {
                    content
                        .set_text_matrix([1.0, 0.0, 0.0, 1.0, left + offset, baseline])
                        .show(Str(&glyphs));
                }
                content.end_text();
            }
            Element::Qr {
                x_dots,
                y_dots,
                module_dots,
                data,
            } => {
                let corner = (dots(*x_dots), dots(*y_dots));
                draw_qr(&mut content, data, corner, dots(*module_dots), height);
            }
            Element::Rule {
                x_dots,
                y_dots,
                length_dots,
                thickness_dots,
            } => {
                let thickness = dots(*thickness_dots);
                content
                    .rect(
                        dots(*x_dots),
                        height - dots(*y_dots) - thickness,
                        dots(*length_dots),
                        thickness,
                    )
                    .fill_nonzero();
            }
        }
    }
    content.finish().into_vec()
}

/// A QR code as one rectangle per run of dark modules in a row, its top left at `corner`
/// (points from the page's top left).
fn draw_qr(content: &mut Content, data: &str, corner: (f32, f32), module: f32, height: f32) {
    let (left, top) = corner;
    for (row, cells) in crate::printing::qr_modules(data).iter().enumerate() {
        let y = height - top - (row + 1) as f32 * module;
        let mut column = 0;
        while column < cells.len() {
            if !cells[column] {
                column += 1;
                continue;
            }
            let start = column;
            while column < cells.len() && cells[column] {
                column += 1;
            }
            content.rect(
                left + start as f32 * module,
                y,
                (column - start) as f32 * module,
                module,
            );
        }
    }
    content.fill_nonzero();
}

fn dots(value: u32) -> f32 {
    value as f32 * POINTS_PER_DOT
}

#[cfg(test)]
mod tests {
    use super::*;
    use pc43d::Font as PrinterFont;

    fn label(text: &str) -> Label {
        Label {
            width_dots: 832,
            height_dots: 600,
            elements: vec![
                Element::Text {
                    x_dots: 32,
                    y_dots: 32,
                    align: Align::Left,
                    font: PrinterFont::bold(16),
                    text: text.into(),
                },
                Element::Text {
                    x_dots: 400,
                    y_dots: 300,
                    align: Align::Center,
                    font: PrinterFont::regular(10),
                    text: "0410-6105".into(),
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
        }
    }

    /// The text poppler's `pdftotext` reads from `pdf` (poppler-utils, scripts/setup-debian.sh).
    fn pdftotext(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "poppler complained: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn one_page_per_ticket_with_the_text_embedded() {
        let ticket = label("Skärgårdsfestivalen 12,50 €");
        let one = tickets_pdf(std::slice::from_ref(&ticket)).unwrap();
        let pdf = tickets_pdf(&[ticket.clone(), ticket.clone(), ticket]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3"), "three pages");
        assert!(String::from_utf8_lossy(&one).contains("/Count 1"));
        assert!(text.contains("DejaVu"), "the font is embedded");
        assert!(
            text.contains("/FontFile2"),
            "the font program is in the file"
        );
        let read = pdftotext(&pdf);
        assert_eq!(
            read.matches("Skärgårdsfestivalen 12,50 €").count(),
            3,
            "{read}"
        );
        assert_eq!(read.matches("0410-6105").count(), 3, "{read}");
    }

    #[test]
    fn characters_beyond_the_common_subset_get_their_own() {
        let pdf = tickets_pdf(&[label("Ωμέγα – Чайка ½")]).unwrap();
        let read = pdftotext(&pdf);
        assert!(read.contains("Ωμέγα – Чайка ½"), "{read}");
        let common = COMMON_SUBSET.clone().unwrap();
        let tag = |pdf: &[u8]| {
            let text = String::from_utf8_lossy(pdf).into_owned();
            let at = text.find("+DejaVuSans").unwrap();
            text[at - 6..at].to_string()
        };
        assert_ne!(tag(&pdf), common.base_font[..6], "a subset of its own");
        let plain = tickets_pdf(&[label("Åbo")]).unwrap();
        assert_eq!(tag(&plain), common.base_font[..6]);
    }

    #[test]
    fn centred_text_is_measured() {
        let font = COMMON_SUBSET.clone().unwrap();
        assert!(font.width_points("0410-6105", 9.0) > 30.0);
        assert_eq!(font.width_points("", 9.0), 0.0);
        assert!(font.width_points("WWW", 10.0) > font.width_points("iii", 10.0));
    }
}
