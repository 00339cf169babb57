//! Golden receipts: the text and the ESC/POS bytes of fixed receipts, compared with the files
//! in `tests/golden/receipts/` (`UPDATE_GOLDEN=1` rewrites them; review the diff).

use super::*;
use crate::domain::vat_included;
use crate::printing::escpos;

fn ticket(code: &str) -> TicketView {
    TicketView {
        code: code.into(),
        event_name: String::new(),
        venue: String::new(),
        organiser: String::new(),
        starts_at: String::new(),
        category_name: String::new(),
        price: Money::ZERO,
        currency: Currency::Eur,
        vat_rate: VatBasisPoints(0),
        order_number: crate::domain::ids::OrderNumber(0),
        state: "valid".into(),
        seat: None,
    }
}

fn seller(currency: Currency) -> SellerSettings {
    match currency {
        Currency::Eur => SellerSettings {
            seller_name: "Teatteri Kivi Oy".into(),
            business_id: "0112038-9".into(),
            seller_address: "Aurakatu 1\n20100 Turku".into(),
            vat_number: "FI01120389".into(),
            receipt_print: "ask".into(),
            currency: "EUR".into(),
            receipt_printer: String::new(),
        },
        Currency::Sek => SellerSettings {
            seller_name: "Teater Sten AB".into(),
            business_id: "556012-5790".into(),
            seller_address: "Drottninggatan 1\n111 51 Stockholm".into(),
            vat_number: "SE556012579001".into(),
            receipt_print: "always".into(),
            currency: "SEK".into(),
            receipt_printer: String::new(),
        },
    }
}

/// A sale of `lines` (name, quantity, unit cents, rate) paid by `payments` / `card`.
fn sale(
    currency: Currency,
    lines: &[(&str, i64, i64, i64)],
    payments: &[(&str, i64)],
    tendered: Option<i64>,
    rounding: i64,
) -> Receipt {
    let mut vat: BTreeMap<i64, VatSummary> = BTreeMap::new();
    let lines: Vec<ReceiptLine> = lines
        .iter()
        .map(|(name, quantity, unit, rate)| {
            let gross = Money::from_cents(unit * quantity);
            let tax = vat_included(gross, VatBasisPoints(*rate));
            let entry = vat.entry(*rate).or_insert(VatSummary {
                rate: VatBasisPoints(*rate),
                net: Money::ZERO,
                vat: Money::ZERO,
                gross: Money::ZERO,
            });
            entry.net += gross - tax;
            entry.vat += tax;
            entry.gross += gross;
            ReceiptLine {
                name: name.to_string(),
                quantity: *quantity,
                unit_price: Money::from_cents(*unit),
                gross,
                vat_rate: VatBasisPoints(*rate),
            }
        })
        .collect();
    let total: Money = lines.iter().map(|l| l.gross).sum();
    let cash = payments
        .iter()
        .find(|(t, _)| *t == "cash")
        .map(|(_, c)| *c + rounding);
    Receipt {
        register_id: "BO-1a2b3c4d".into(),
        order_number: crate::domain::ids::OrderNumber(41),
        receipt_number: Some(37),
        created_at: "2026-03-14T19:05:00+02:00".into(),
        cashier: "Maija".into(),
        event_name: "Nummisuutarit".into(),
        starts_at: "14.3.2026 klo 19.00".into(),
        lines,
        vat: vat.into_values().collect(),
        total,
        tendered: tendered.map(Money::from_cents),
        change: tendered.zip(cash).map(|(t, c)| Money::from_cents(t - c)),
        tickets: vec![ticket("7KQ2M9XW4T1B8D3F"), ticket("P0ZJ5R6N2C8V4H1L")],
        card: Vec::new(),
        rounding: Money::from_cents(rounding),
        currency,
        seller: seller(currency),
        training: false,
        payments: payments
            .iter()
            .filter(|(t, _)| *t != "card")
            .filter_map(|(t, c)| Some((crate::domain::Tender::parse(t)?, Money::from_cents(*c))))
            .collect(),
    }
}

fn card(amount: i64) -> ReceiptCard {
    ReceiptCard {
        amount: Money::from_cents(amount),
        brand: "VISA".into(),
        masked_pan: "************4242".into(),
        approval_code: "084213".into(),
        customer_receipt:
            "NETS TERMINAL 70011234\nVISA CONTACTLESS\nA0000000031010\nPURCHASE APPROVED".into(),
    }
}

fn check(name: &str, rows: &[escpos::Row]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/receipts");
    let text = escpos::to_text(rows);
    let bytes = escpos::encode(rows);
    let text_path = dir.join(format!("{name}.txt"));
    let bytes_path = dir.join(format!("{name}.escpos"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&text_path, &text).unwrap();
        std::fs::write(&bytes_path, &bytes).unwrap();
    }
    let want_text = std::fs::read_to_string(&text_path)
        .unwrap_or_else(|e| panic!("{}: {e}", text_path.display()));
    assert_eq!(text, want_text, "{name}: text");
    let want_bytes =
        std::fs::read(&bytes_path).unwrap_or_else(|e| panic!("{}: {e}", bytes_path.display()));
    assert!(bytes == want_bytes, "{name}: printer bytes differ");
    for row in text.lines() {
        assert!(
            row.chars().count() <= escpos::RECEIPT_WIDTH,
            "{name}: {row:?} is wider than the paper"
        );
    }
}

const CULTURE_FI: i64 = 1350;
const CULTURE_SE: i64 = 600;

#[test]
fn cash_sale_with_rounding_fi_eur() {
    // 18,50 + 2 × 9,03 = 36,56 € → 36,55 € in cash.
    let receipt = sale(
        Currency::Eur,
        &[
            ("Aikuinen", 1, 1850, CULTURE_FI),
            ("Lapsi", 2, 903, CULTURE_FI),
        ],
        &[("cash", 3656)],
        Some(5000),
        -1,
    );
    check("cash_rounding_fi", &receipt.customer_rows(Lang::Fi, false));
}

#[test]
fn split_cash_and_card_sv_eur() {
    let mut receipt = sale(
        Currency::Eur,
        &[("Vuxen", 2, 1850, CULTURE_FI), ("Parkering", 1, 1000, 2550)],
        &[("cash", 2703)],
        Some(3000),
        2,
    );
    receipt.card = vec![card(2000)];
    check(
        "split_cash_card_sv",
        &receipt.customer_rows(Lang::Sv, false),
    );
}

#[test]
fn bank_sale_en_eur() {
    let receipt = sale(
        Currency::Eur,
        &[("Adult", 3, 1850, CULTURE_FI)],
        &[("bank", 5550)],
        None,
        0,
    );
    check("bank_en", &receipt.customer_rows(Lang::En, false));
}

#[test]
fn refund_fi_eur_names_the_original_receipt() {
    let receipt = sale(
        Currency::Eur,
        &[("Aikuinen", 2, 1853, CULTURE_FI)],
        &[("cash", 3706)],
        Some(4000),
        -1,
    );
    let tax = vat_included(Money::from_cents(1853), VatBasisPoints(CULTURE_FI));
    let refund = RefundReceipt {
        receipt_number: Some(38),
        created_at: "2026-03-14T20:15:00+02:00".into(),
        tender: crate::domain::Tender::Cash,
        amount: Money::from_cents(1853),
        vat: vec![(VatBasisPoints(CULTURE_FI), Money::from_cents(1853), tax)],
        tickets: vec!["7KQ2M9XW4T1B8D3F".into()],
        rounding: Money::from_cents(2),
    };
    check("refund_fi", &receipt.refund_rows(&refund, Lang::Fi, false));
}

#[test]
fn copy_sv_sek() {
    // 2 × 125,00 kr + 1 × 89,50 kr = 339,50 kr → 340 kr in cash.
    let receipt = sale(
        Currency::Sek,
        &[
            ("Vuxen", 2, 12500, CULTURE_SE),
            ("Barn", 1, 8950, CULTURE_SE),
        ],
        &[("cash", 33950)],
        Some(50000),
        50,
    );
    check("copy_sv_sek", &receipt.customer_rows(Lang::Sv, true));
}

#[test]
fn training_sale_en_sek() {
    let mut receipt = sale(
        Currency::Sek,
        &[("Adult", 1, 12500, CULTURE_SE)],
        &[("cash", 12500)],
        Some(20000),
        0,
    );
    receipt.training = true;
    check("training_en_sek", &receipt.customer_rows(Lang::En, false));
}
