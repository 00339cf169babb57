//! Golden tickets: the printer bytes of fixed tickets in every printer language, compared with
//! the files in `tests/golden/tickets/` (`UPDATE_GOLDEN=1` rewrites them; review the diff).

use super::*;
use crate::domain::ids::OrderNumber;

fn ticket() -> TicketView {
    TicketView {
        code: "041061050R3GG28A".into(),
        event_name: "Nummisuutarit".into(),
        venue: "Kansallisteatteri".into(),
        organiser: "Teatteri Kivi Oy".into(),
        starts_at: "1.12.2026 klo 19.00".into(),
        category_name: "Aikuinen".into(),
        price: Money::from_cents(1850),
        currency: Currency::Eur,
        vat_rate: VatBasisPoints(1350),
        order_number: OrderNumber(3),
        state: "valid".into(),
        seat: Some(SeatLine {
            section: "stalls".into(),
            section_name: "Permanto".into(),
            row: "5".into(),
            seat: "10".into(),
        }),
    }
}

/// The label's texts, then its bytes in each printer language against the golden files.
fn check(name: &str, label: &Label) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tickets");
    for language in Language::ALL {
        let bytes = language.encode(label);
        let path = dir.join(format!("{name}.{}", language.code()));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        }
        let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(bytes == want, "{name}: {} bytes differ", language.code());
    }
    label
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn euro_ticket_fi() {
    let texts = check("eur_fi", &ticket_label(&ticket(), Lang::Fi));
    assert!(
        texts.contains(&"18,50 € (sis. ALV 13,5 %)".to_string()),
        "{texts:?}"
    );
}

#[test]
fn krona_ticket_sv() {
    // A Swedish register: the ticket's own price field writes kronor, never euros.
    let sek = TicketView {
        currency: Currency::Sek,
        vat_rate: VatBasisPoints(600),
        ..ticket()
    };
    let texts = check("sek_sv", &ticket_label(&sek, Lang::Sv));
    assert!(
        texts.iter().any(|t| t.starts_with("18,50 kr (")),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains('€')), "{texts:?}");
    // The same ticket in Finnish on a Swedish register still says kr.
    let texts = check("sek_fi", &ticket_label(&sek, Lang::Fi));
    assert!(
        texts.contains(&"18,50 kr (sis. ALV 6 %)".to_string()),
        "{texts:?}"
    );
}
