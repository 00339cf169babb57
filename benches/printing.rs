//! Printing speed (BENCHMARKS.md):
//! * encoding one ticket's label in Fingerprint and ZPL, against copying the same number of
//!   bytes (the floor of any encoder) and with the layout included;
//! * from "Pay" to the job handed to the transport for a 10-ticket order: `Services::sell` on a
//!   real ledger with a TCP printer on loopback (sale transaction, receipt, layout, encoding,
//!   the bytes written to the socket, and the print-log transaction after), against the same
//!   sale without printing (`record_cash_sale`).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::hint::black_box;
use std::io::Read;
use std::time::{Duration, Instant};

use boxoffice::app::{SaleRequest, Services, Session};
use boxoffice::domain::{Money, Role, VatBasisPoints};
use boxoffice::i18n::Lang;
use boxoffice::ledger::{LedgerError, NewCategory, NewEvent};
use boxoffice::printing::{TicketView, ticket_label};
use criterion::{Criterion, criterion_group, criterion_main};
use pc43d::Language;

fn ticket() -> TicketView {
    TicketView {
        code: "041061050R3GG28A".into(),
        event_name: "Saaristofestivaali – päivälippu \"Åbo\"".into(),
        venue: "Kasnäs, Kemiönsaari".into(),
        organiser: "Skärgårdsfestivalen rf".into(),
        starts_at: "25.12.2026 klo 12.00".into(),
        category_name: "Aikuinen".into(),
        price: Money::from_cents(6900),
        currency: boxoffice::domain::Currency::Eur,
        vat_rate: VatBasisPoints(1350),
        order_number: boxoffice::domain::ids::OrderNumber(7),
        state: "valid".into(),
        seat: None,
    }
}

fn encode(c: &mut Criterion) {
    let label = ticket_label(&ticket(), Lang::Fi);
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
    group.bench_function("layout_and_fingerprint", |b| {
        b.iter(|| {
            black_box(Language::Fingerprint.encode(&ticket_label(black_box(&ticket()), Lang::Fi)))
        })
    });
    group.finish();
}

fn pay_to_printer(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut services = Services::open(&dir.path().join("ledger")).expect("open ledger");
    services.init(false).expect("init");
    let (cashier_id, admin_id, performance_id) = services
        .ledger_mut()
        .transact(|tx| {
            let cashier_id = tx.insert_user("bench", "cashier", "not-a-real-hash", "fi")?;
            let admin_id = tx.insert_user("admin", "admin", "not-a-real-hash", "fi")?;
            tx.insert_shift(cashier_id, 0, "2026-01-01T08:00:00+02:00")?;
            let event_id = tx.insert_event(&NewEvent {
                names: ["Penkki", "Bänk", "Bench"],
                venue: "Halli",
                organiser: "Bench",
                created_by: None,
            })?;
            tx.insert_category(
                event_id,
                0,
                &NewCategory {
                    code: "adult",
                    names: ["Aikuinen", "Vuxen", "Adult"],
                    price_cents: 1850,
                    vat_class: "culture",
                },
            )?;
            let performance_id =
                tx.insert_performance(event_id, "2099-01-01T19:00:00+02:00", 100_000_000)?;
            Ok((cashier_id, admin_id, performance_id))
        })
        .map_err(|e: LedgerError| e.to_string())
        .expect("seed");
    let session = |user_id, role| Session {
        user_id,
        name: "bench".into(),
        role,
        lang: Lang::Fi,
    };
    let cashier = session(cashier_id, Role::Cashier);

    // The printer: a TCP sink on loopback that notes when each job's first byte arrives.
    let sink = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = sink.local_addr().unwrap().port();
    let (first_byte_tx, first_byte) = std::sync::mpsc::channel::<Instant>();
    std::thread::spawn(move || {
        for stream in sink.incoming() {
            let mut stream = stream.unwrap();
            let mut byte = [0u8; 1];
            if stream.read_exact(&mut byte).is_ok() {
                let _ = first_byte_tx.send(Instant::now());
            }
            let mut rest = Vec::new();
            let _ = stream.read_to_end(&mut rest);
        }
    });
    services
        .add_printer(
            &session(admin_id, Role::Admin),
            "Kassa",
            &format!("tcp:127.0.0.1:{port}"),
            "fingerprint",
            true,
        )
        .unwrap();
    let request = SaleRequest {
        performance_id,
        items: vec![("adult".into(), 10)],
        tendered: Money::from_euros(200),
        ..SaleRequest::default()
    };

    let mut group = c.benchmark_group("pay_to_printer_10_tickets");
    group.sample_size(60);
    group.bench_function("baseline_sale_without_printing", |b| {
        b.iter(|| black_box(services.record_cash_sale(&cashier, &request).unwrap()))
    });
    // "Pay" (the sale's service call starts) to the job's first byte at the printer.
    group.bench_function("pay_to_first_byte", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let paid = Instant::now();
                let outcome = services.sell(&cashier, &request).unwrap();
                assert!(outcome.printed.is_ok());
                total += first_byte.recv().unwrap() - paid;
            }
            total
        })
    });
    // The whole call: the same, plus the print-log transaction after the job.
    group.bench_function("sell_and_print_whole_call", |b| {
        b.iter(|| {
            let outcome = services.sell(&cashier, &request).unwrap();
            first_byte.recv().unwrap();
            black_box(outcome)
        })
    });
    group.finish();
}

criterion_group!(benches, encode, pay_to_printer);
criterion_main!(benches);
