//! Encoding one ticket (BENCHMARKS.md): a label shaped like the default ticket (16 text
//! fields with å ä ö é € and quotes, a rule, the QR code) in Fingerprint and in ZPL, against
//! copying the same number of bytes (the floor for any encoder).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pc43d::{Align, Element, Font, Label, Language};

fn ticket() -> Label {
    let mut elements = Vec::new();
    let texts = [
        (Font::bold(16), "Saaristofestivaali – päivälippu \"Åbo\""),
        (Font::regular(11), "Kasnäs, Kemiönsaari"),
        (Font::bold(12), "25.12.2026 klo 12.00"),
        (Font::regular(11), "Vapaa istumajärjestys"),
        (Font::bold(12), "Aikuinen"),
        (Font::regular(11), "69,00 € (sis. ALV 13,5 %)"),
        (Font::regular(9), "Tilausnumero 7"),
        (Font::regular(8), "Järjestäjä: Skärgårdsfestivalen rf"),
        (
            Font::regular(7),
            "Lippu oikeuttaa yhteen sisäänpääsyyn. Koodi tarkistetaan ovella; kopioitu",
        ),
        (Font::regular(7), "koodi kelpaa vain kerran."),
    ];
    for (i, (font, text)) in texts.into_iter().enumerate() {
        elements.push(Element::Text {
            x_dots: 32,
            y_dots: 32 + 40 * i as u32,
            align: Align::Left,
            font,
            text: text.into(),
        });
    }
    elements.push(Element::Rule {
        x_dots: 32,
        y_dots: 200,
        length_dots: 500,
        thickness_dots: 2,
    });
    elements.push(Element::Qr {
        x_dots: 571,
        y_dots: 40,
        module_dots: 9,
        data: "041061050R3GG28A".into(),
    });
    elements.push(Element::Text {
        x_dots: 665,
        y_dots: 245,
        align: Align::Center,
        font: Font::bold(9),
        text: "0410-6105-0R3G-G28A".into(),
    });
    Label {
        width_dots: 832,
        height_dots: 640,
        elements,
    }
}

fn encode(c: &mut Criterion) {
    let label = ticket();
    let job = Language::Fingerprint.encode(&label);
    let mut group = c.benchmark_group("encode_one_ticket");
    group.bench_function("baseline_copy_same_bytes", |b| {
        b.iter(|| black_box(black_box(job.as_slice()).to_vec()))
    });
    group.bench_function("fingerprint", |b| {
        b.iter(|| black_box(Language::Fingerprint.encode(black_box(&label))))
    });
    group.bench_function("zpl", |b| {
        b.iter(|| black_box(Language::Zpl.encode(black_box(&label))))
    });
    group.finish();
}

criterion_group!(benches, encode);
criterion_main!(benches);
