//! Mail benchmarks (BENCHMARKS.md), each against a baseline in the same run:
//!
//! 1. 1,000 ticket mails (one ticket each, HTML + text + PDF) from the outbox to a local
//!    aiosmtpd through `Services::send_due` (compose, a connection per sending thread, one ledger
//!    transaction with its journal entry per outcome), against a plain Python smtplib loop
//!    sending the very same 1,000 messages (the bytes the server received) one by one.
//! 2. The PDF of one ticket (`mail::pdf::tickets_pdf` from the printed ticket's layout) against
//!    reportlab drawing the same layout (text in the same font and reportlab's own QR code).
//!
//! Both run in rounds, ours and the baseline alternately, and every line carries the 1-minute
//! load average (the machine is shared: only the ratio within a round means much).
//!
//! Needs `scripts/setup-debian.sh --bench` (python3-aiosmtpd, python3-reportlab).
//! Run: `cargo bench --bench mail` (`MAIL_BENCH_ROUNDS=N`, default 3).
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use boxoffice::app::{MailServerRequest, SaleRequest, Services, Session};
use boxoffice::domain::Money;
use boxoffice::i18n::Lang;
use boxoffice::ledger::{LedgerError, NewCategory, NewEvent};
use boxoffice::mail::smtp::Security;
use pc43d::{Align, Element};

const N_MAILS: usize = 1000;
const PDF_RUNS: usize = 300;

fn main() {
    let rounds: usize = std::env::var("MAIL_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().unwrap();
    pdf_render(dir.path(), rounds);
    mail_send(dir.path(), rounds);
}

/// The 1-minute load average, to write beside each figure.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn smtp_server(port: u16, out: &Path) -> Child {
    std::fs::create_dir_all(out).unwrap();
    let mut child = Command::new("/usr/bin/python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/mail/smtp_server.py"
        ))
        .args(["--port", &port.to_string(), "--out"])
        .arg(out)
        .stdout(Stdio::piped())
        .spawn()
        .expect("aiosmtpd (scripts/setup-debian.sh --bench)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    child
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn mail_send(dir: &Path, rounds: usize) {
    let port = free_port();
    let mut services = Services::open(&dir.join("ledger")).unwrap();
    services.init(false).unwrap();
    let performance_id = services
        .ledger_mut()
        .transact(|tx| {
            let user_id = tx.insert_user("bench", "cashier", "not-a-real-hash", "fi")?;
            tx.insert_shift(user_id, 0, "2026-01-01T08:00:00+02:00")?;
            let event_id = tx.insert_event(&NewEvent {
                names: ["Sibelius-konsertti", "Sibeliuskonsert", "Sibelius concert"],
                venue: "Musiikkitalo, Helsinki",
                organiser: "Helsingin Kamarikuoro ry",
                created_by: None,
            })?;
            tx.insert_category(
                event_id,
                0,
                &NewCategory {
                    code: "adult",
                    names: ["Aikuinen", "Vuxen", "Adult"],
                    price_cents: 3500,
                    vat_class: "culture",
                },
            )?;
            tx.insert_performance(event_id, "2099-01-01T19:00:00+02:00", 100_000)
        })
        .map_err(|e: LedgerError| e.to_string())
        .unwrap();
    let session = Session {
        user_id: boxoffice::domain::ids::UserId(1),
        name: "bench".into(),
        role: boxoffice::domain::Role::Cashier,
        lang: Lang::Fi,
    };
    let admin = Session {
        user_id: services
            .ledger_mut()
            .transact(|tx| tx.insert_user("bench-admin", "admin", "not-a-real-hash", "fi"))
            .unwrap(),
        name: "bench-admin".into(),
        role: boxoffice::domain::Role::Admin,
        lang: Lang::Fi,
    };
    services
        .add_mail_server(
            &admin,
            &MailServerRequest {
                name: "local".into(),
                host: "127.0.0.1".into(),
                port,
                security: Security::None,
                username: None,
                password: None,
                from_name: "Lippukassa".into(),
                from_address: "liput@example.fi".into(),
            },
        )
        .unwrap();
    services.choose_mail_server(&admin, "local", None).unwrap();
    for round in 1..=rounds {
        for n in 0..N_MAILS {
            let email = format!("asiakas{n}@example.com");
            let sale = services
                .record_cash_sale(
                    &session,
                    &SaleRequest {
                        performance_id,
                        items: vec![("adult".into(), 1)],
                        tendered: Money::from_euros(50),
                        customer_name: Some(format!("Asiakas {n}")),
                        customer_email: Some(email.clone()),
                        ..SaleRequest::default()
                    },
                )
                .unwrap();
            services
                .queue_ticket_mail(&session, sale.order_number, Some(&email), false)
                .unwrap();
        }
        let inbox = dir.join(format!("inbox{round}"));
        let mut server = smtp_server(port, &inbox);
        let load_before = load();
        let started = Instant::now();
        let report = services.send_due(true).unwrap();
        let ours = started.elapsed().as_secs_f64();
        assert_eq!(report.sent.len(), N_MAILS, "{report:?}");
        let _ = server.kill();
        let _ = server.wait();

        // The same bytes, sent by a plain smtplib loop to a second server, right after.
        let baseline_port = free_port();
        let baseline_inbox = dir.join(format!("baseline{round}"));
        let mut baseline_server = smtp_server(baseline_port, &baseline_inbox);
        let out = Command::new("/usr/bin/python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/benches/mail_baseline.py"
            ))
            .args(["smtp", &baseline_port.to_string()])
            .arg(&inbox)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let python: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        let received = std::fs::read_dir(&baseline_inbox)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "eml")
            })
            .count();
        assert_eq!(received, N_MAILS);
        let bytes: u64 = std::fs::read_dir(&inbox)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len())
            .sum();
        let _ = baseline_server.kill();
        let _ = baseline_server.wait();
        let _ = std::fs::remove_dir_all(&inbox);
        let _ = std::fs::remove_dir_all(&baseline_inbox);
        println!(
            "mail_send round {round}: {N_MAILS} ticket mails via send_due (compose + PDF + SMTP on a connection per thread + ledger) {ours:.2} s ({:.2} ms/mail, {} KB/mail); smtplib loop sending the same bytes {python:.2} s ({:.2} ms/mail); ratio {:.2}; load {load_before} -> {}",
            ours * 1000.0 / N_MAILS as f64,
            bytes / N_MAILS as u64 / 1024,
            python * 1000.0 / N_MAILS as f64,
            ours / python,
            load()
        );
    }
}

fn pdf_render(dir: &Path, rounds: usize) {
    let ticket = boxoffice::printing::TicketView {
        code: "041061050R3GG28A".into(),
        event_name: "Saaristofestivaali – päivälippu".into(),
        venue: "Kasnäs, Kemiönsaari".into(),
        organiser: "Skärgårdsfestivalen rf".into(),
        starts_at: "25.12.2026 klo 12.00".into(),
        category_name: "Aikuinen".into(),
        price: Money::from_cents(6900),
        currency: boxoffice::domain::Currency::Eur,
        vat_rate: boxoffice::domain::VatBasisPoints(1350),
        order_number: boxoffice::domain::ids::OrderNumber(7),
        state: "valid".into(),
        seat: None,
    };
    let label = boxoffice::printing::ticket_label(&ticket, Lang::Fi);
    let elements: Vec<serde_json::Value> = label
        .elements
        .iter()
        .map(|element| match element {
            Element::Text {
                x_dots,
                y_dots,
                align,
                font,
                text,
            } => serde_json::json!({"kind": "text", "x_dots": x_dots, "y_dots": y_dots,
                "align": match align { Align::Left => "left", Align::Center => "center", Align::Right => "right" },
                "size_points": font.size_points, "text": text}),
            Element::Qr {
                x_dots,
                y_dots,
                module_dots,
                data,
            } => serde_json::json!({"kind": "qr", "x_dots": x_dots, "y_dots": y_dots,
                "module_dots": module_dots, "data": data,
                "modules": boxoffice::printing::qr_modules(data).len()}),
            Element::Rule {
                x_dots,
                y_dots,
                length_dots,
                thickness_dots,
            } => serde_json::json!({"kind": "rule", "x_dots": x_dots, "y_dots": y_dots,
                "length_dots": length_dots, "thickness_dots": thickness_dots}),
        })
        .collect();
    let label_json = dir.join("label.json");
    std::fs::write(
        &label_json,
        serde_json::json!({"width_dots": label.width_dots, "height_dots": label.height_dots, "elements": elements})
            .to_string(),
    )
    .unwrap();

    let bytes = boxoffice::mail::pdf::tickets_pdf(std::slice::from_ref(&label))
        .unwrap()
        .len();
    for round in 1..=rounds {
        let load_before = load();
        let started = Instant::now();
        for _ in 0..PDF_RUNS {
            std::hint::black_box(
                boxoffice::mail::pdf::tickets_pdf(std::slice::from_ref(&label)).unwrap(),
            );
        }
        let ours = started.elapsed().as_secs_f64() / PDF_RUNS as f64;
        let out = Command::new("/usr/bin/python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/benches/mail_baseline.py"
            ))
            .args(["pdf", &PDF_RUNS.to_string()])
            .arg(&label_json)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "reportlab (scripts/setup-debian.sh --bench): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let python: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        println!(
            "pdf_ticket round {round}: tickets_pdf {:.3} ms/ticket ({bytes} bytes); reportlab same layout {:.3} ms/ticket; {:.1}x faster; load {load_before} -> {}",
            ours * 1000.0,
            python * 1000.0,
            python / ours,
            load()
        );
    }
}
