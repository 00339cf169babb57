//! The picture of a label: the preview in the GUI, `ticket render --format png` and the
//! mail's ticket image, drawn from the same [`Label`] the printer gets, one pixel per dot,
//! with the bundled DejaVu Sans (it covers å ä ö Å Ä Ö é €). Pure: no I/O.

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont};
use pc43d::{Align, Element, Label};

use super::qr_modules;

const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// An 8-bit greyscale image, 0 black, 255 white, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl Raster {
    fn blank(width: u32, height: u32) -> Raster {
        Raster {
            width,
            height,
            pixels: vec![255; width as usize * height as usize],
        }
    }

    /// Darkens a pixel by `coverage` (0..=1); outside the image nothing happens.
    fn ink(&mut self, x: i64, y: i64, coverage: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let index = y as usize * self.width as usize + x as usize;
        let value = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))) as u8;
        self.pixels[index] = self.pixels[index].min(value);
    }

    fn fill(&mut self, x: u32, y: u32, width: u32, height: u32) {
        for row in y..(y + height).min(self.height) {
            for column in x..(x + width).min(self.width) {
                self.pixels[row as usize * self.width as usize + column as usize] = 0;
            }
        }
    }

    /// The pixel at (x, y); white outside the image.
    pub fn at(&self, x: u32, y: u32) -> u8 {
        if x >= self.width || y >= self.height {
            return 255;
        }
        self.pixels[y as usize * self.width as usize + x as usize]
    }

    /// The image as a greyscale PNG file.
    pub fn to_png(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, self.width, self.height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&self.pixels))
            .expect("a PNG of a non-empty label encodes into memory");
        bytes
    }
}

/// Draws `label` at one pixel per printer dot.
pub fn render(label: &Label) -> Raster {
    let font =
        FontRef::try_from_slice(FONT_BYTES).expect("the bundled font is a valid TrueType file");
    let mut raster = Raster::blank(label.width_dots.max(1), label.height_dots.max(1));
    for element in &label.elements {
        match element {
            Element::Text {
                x_dots,
                y_dots,
                align,
                font: printer_font,
                text,
            } => draw_text(
                &mut raster,
                &font,
                (*x_dots, *y_dots),
                *align,
                printer_font,
                text,
            ),
            Element::Qr {
                x_dots,
                y_dots,
                module_dots,
                data,
            } => {
                for (row, modules) in qr_modules(data).iter().enumerate() {
                    for (column, dark) in modules.iter().enumerate() {
                        if *dark {
                            raster.fill(
                                x_dots + column as u32 * module_dots,
                                y_dots + row as u32 * module_dots,
                                *module_dots,
                                *module_dots,
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
            } => raster.fill(*x_dots, *y_dots, *length_dots, *thickness_dots),
        }
    }
    raster
}

/// One text element: `text` in the printer's font size, aligned at `(x, y)` (its top).
fn draw_text(
    raster: &mut Raster,
    font: &FontRef<'_>,
    (x_dots, y_dots): (u32, u32),
    align: Align,
    printer_font: &pc43d::Font,
    text: &str,
) {
    let em_dots = (printer_font.size_points * 203) as f32 / 72.0;
    // ab_glyph scales by the font's height (ascent − descent), the printer by the em.
    let units_per_em = font.units_per_em().unwrap_or(2048.0);
    let scaled = font.as_scaled(PxScale::from(
        em_dots * font.height_unscaled() / units_per_em,
    ));
    let width: f32 = text
        .chars()
        .map(|c| scaled.h_advance(scaled.glyph_id(c)))
        .sum();
    let left = match align {
        Align::Left => x_dots as f32,
        Align::Center => x_dots as f32 - width / 2.0,
        Align::Right => x_dots as f32 - width,
    };
    let baseline = y_dots as f32 + scaled.ascent();
    // Bold: the same glyphs once more, one dot to the right.
    let strokes: &[f32] = if printer_font.is_bold() {
        &[0.0, 1.0]
    } else {
        &[0.0]
    };
    for offset in strokes {
        let mut pen = left + offset;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(pen, baseline));
            pen += scaled.h_advance(id);
            if let Some(outlined) = font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                outlined.draw(|x, y, coverage| {
                    raster.ink(
                        bounds.min.x as i64 + i64::from(x),
                        bounds.min.y as i64 + i64::from(y),
                        coverage,
                    );
                });
            }
        }
    }
}

/// [`render`] as a PNG file.
pub fn render_png(label: &Label) -> Vec<u8> {
    render(label).to_png()
}
