//! Nets Connect@Cloud terminals against a local HTTP server that follows the API in DESIGN.md:
//! token login and expiry, purchase, Result 99 and the last-transaction lookup, bare-string
//! failures, the two timestamp formats, reconciliation before the first payment.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use common::{Counter, stderr, stdout};
use serde_json::{Value, json};

#[derive(Clone, Debug, PartialEq)]
enum Next {
    Approve,
    Decline,
    /// Answer Result 99; the lookup then tells the approval.
    Unknown,
    /// A failure written as a bare JSON string.
    Bare,
    /// Wait for the customer until `cancelAction` comes, then end as cancelled (Result 2).
    WaitForCancel,
}

#[derive(Default)]
struct State {
    logins: usize,
    token: Option<String>,
    reconciled: bool,
    /// The next authorised request finds its token expired.
    expire_next: bool,
    next: Vec<Next>,
    cancelled: bool,
    /// (orderId, amount, result, stan)
    transactions: Vec<(String, i64, i64, String)>,
    requests: Vec<String>,
}

struct Nets {
    url: String,
    state: Arc<Mutex<State>>,
}

impl Nets {
    fn start() -> Nets {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Nets { url, state }
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let (mut length, mut auth) = (0usize, String::new());
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap(),
            "authorization" => auth = value.trim().to_string(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (status, answer) = answer(state, &method, &path, &auth, &body);
    let text = answer.to_string();
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = writer.write_all(response.as_bytes());
}

fn args(result: i64, order: &str, stan: &str, timestamp: &str) -> Value {
    json!({"result": [{"localModeEventArgs": {
        "Result": result, "OrderId": order, "StanAuth": stan, "TruncatedPAN": "************0004",
        "CardIssuerName": "MasterCard", "Timestamp": timestamp,
        "customerReceipt": "MASTERCARD ************0004\nOK", "merchantReceipt": "MERCHANT COPY"}}]})
}

fn answer(
    state: &Mutex<State>,
    method: &str,
    path: &str,
    auth: &str,
    body: &Value,
) -> (u16, Value) {
    let mut s = state.lock().unwrap();
    s.requests.push(format!("{method} {path} {body}"));
    if path == "/v1/login" {
        if body["username"] != "org" || body["password"] != "s3cret-pass" {
            return (401, json!("Invalid credentials"));
        }
        s.logins += 1;
        let token = format!("tok{}", s.logins);
        s.token = Some(token.clone());
        return (200, json!({"token": token}));
    }
    if s.token.as_deref().map(|t| format!("Bearer {t}")).as_deref() != Some(auth) || s.expire_next {
        s.expire_next = false;
        s.token = None;
        return (401, json!("Token expired"));
    }
    match (method, path) {
        ("POST", "/v1/terminal/T-100/administration") if body["action"] == "cancelAction" => {
            s.cancelled = true;
            (
                200,
                json!({"result": [{"localModeEventArgs": {"Result": 0}}]}),
            )
        }
        ("POST", "/v1/terminal/T-100/administration") => {
            s.reconciled = true;
            (
                200,
                json!({"result": [{"localModeEventArgs": {"Result": 0}}]}),
            )
        }
        ("POST", "/v1/terminal/T-100/transaction") => {
            if !s.reconciled {
                return (400, json!("Terminal must be reconciled before use"));
            }
            let order = body["orderId"].as_str().unwrap_or("").to_string();
            let amount = body["amount"].as_i64().unwrap_or(0);
            let stan = format!("{:06}", 100 + s.transactions.len());
            let next = if s.next.is_empty() {
                Next::Approve
            } else {
                s.next.remove(0)
            };
            match next {
                Next::Approve => {
                    s.transactions
                        .push((order.clone(), amount, 0, stan.clone()));
                    (201, args(0, &order, &stan, "2026-11-25T14:03:40+02:00"))
                }
                Next::Decline => {
                    s.transactions
                        .push((order.clone(), amount, 1, stan.clone()));
                    (201, args(1, &order, &stan, "20261125140340"))
                }
                Next::Unknown => {
                    s.transactions
                        .push((order.clone(), amount, 0, stan.clone()));
                    (201, args(99, &order, "", "20261125140340"))
                }
                Next::Bare => (400, json!("Terminal is busy")),
                Next::WaitForCancel => {
                    drop(s);
                    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
                    while !state.lock().unwrap().cancelled && std::time::Instant::now() < deadline {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    let mut s = state.lock().unwrap();
                    s.transactions
                        .push((order.clone(), amount, 2, stan.clone()));
                    (201, args(2, &order, &stan, "20261125140340"))
                }
            }
        }
        ("GET", "/v1/terminal/T-100/transaction") => match s.transactions.last() {
            Some((order, _, result, stan)) => (200, args(*result, order, stan, "20261125140341")),
            None => (404, json!("No transaction")),
        },
        ("DELETE", "/v1/terminal/T-100/transaction") => match s.transactions.pop() {
            Some((order, amount, 0, stan)) if Some(amount) == body["amount"].as_i64() => (
                200,
                args(0, &order, &format!("R{stan}"), "2026-11-25T14:05:00+02:00"),
            ),
            _ => (400, json!("Nothing to reverse")),
        },
        _ => (404, json!("Unknown path")),
    }
}

fn run(counter: &Counter, args: &[&str]) -> std::process::Output {
    counter
        .command(args)
        .env("BOXOFFICE_NETS_PASSWORD", "s3cret-pass")
        .env("BOXOFFICE_NETS_LOOKUP_WAIT_MS", "20")
        .env("RUST_LOG", "trace")
        .output_bounded()
        .unwrap()
}

fn sell(counter: &Counter) -> std::process::Output {
    run(
        counter,
        &[
            "sell",
            "--user",
            "cashier",
            "--pin",
            "1111",
            "--performance",
            "1",
            "--tickets",
            "adult=1",
            "--pay",
            "card",
            "--terminal",
            "N1",
            "--json",
        ],
    )
}

#[test]
fn nets_cloud_terminal_sells_after_reconciliation_and_handles_expiry_unknowns_and_failures() {
    let nets = Nets::start();
    let counter = Counter::demo();
    let out = run(
        &counter,
        &[
            "terminal",
            "nets-account",
            "--url",
            &nets.url,
            "--username",
            "org",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        run(
            &counter,
            &["terminal", "add", "--name", "N1", "--nets-cloud", "T-100"]
        )
        .status
        .success()
    );
    let mut logs = String::new();

    // Not reconciled yet: refused with a sentence before anything is sent.
    let out = sell(&counter);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("first reconciliation"),
        "{}",
        stderr(&out)
    );
    assert!(nets.state.lock().unwrap().requests.is_empty());
    let out = run(&counter, &["terminal", "reconcile", "N1"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Approved.
    let out = sell(&counter);
    logs.push_str(&stderr(&out));
    let sale: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    assert_eq!(sale["card"][0]["amount_cents"], 3500);
    assert_eq!(sale["card"][0]["masked_pan"], "************0004");

    // The token expires after the login: one re-login, then the payment.
    nets.state.lock().unwrap().expire_next = true;
    let logins = nets.state.lock().unwrap().logins;
    let out = sell(&counter);
    logs.push_str(&stderr(&out));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        nets.state.lock().unwrap().logins,
        logins + 2,
        "one login for the process, one after the 401"
    );

    // Result 99: the last-transaction lookup finds the approval.
    nets.state.lock().unwrap().next = vec![Next::Unknown];
    let out = sell(&counter);
    logs.push_str(&stderr(&out));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        nets.state
            .lock()
            .unwrap()
            .requests
            .iter()
            .any(|r| r.starts_with("GET /v1/terminal/T-100/transaction"))
    );

    // Declined, and a bare-string failure: nothing sold.
    nets.state.lock().unwrap().next = vec![Next::Decline, Next::Bare];
    let declined = sell(&counter);
    assert!(!declined.status.success());
    assert!(
        stderr(&declined).contains("Result 1"),
        "{}",
        stderr(&declined)
    );
    let busy = sell(&counter);
    assert!(!busy.status.success());
    assert!(
        stderr(&busy).contains("Terminal is busy"),
        "{}",
        stderr(&busy)
    );
    assert_eq!(counter.count("orders"), 3);
    let approved: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM card_outcomes WHERE state = 'settled'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(approved, 3);

    // The password is in no log and in no journal entry.
    assert!(!logs.contains("s3cret-pass"));
    let journal: i64 = counter
        .sql()
        .query_row(
            "SELECT count(*) FROM journal WHERE content LIKE '%s3cret%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(journal, 0);
    assert!(stdout(&run(&counter, &["terminal", "list"])).contains("nets_cloud"));
}

#[test]
fn cancel_during_a_nets_payment_sends_cancel_action() {
    use boxoffice::app::{CardProgress, SaleRequest, Services, Split};
    use std::sync::atomic::{AtomicBool, Ordering};
    let nets = Nets::start();
    let dir = tempfile::tempdir().unwrap();
    let mut services = Services::open(dir.path()).unwrap();
    services.init(true).unwrap();
    let admin = services.login("admin", "0000").unwrap();
    services
        .set_nets_account(&admin, &nets.url, None, "org", "s3cret-pass")
        .unwrap();
    services
        .add_terminal(&admin, "N1", "nets_cloud", "T-100")
        .unwrap();
    let manager = services.login("manager", "9999").unwrap();
    services.reconcile_terminal(&manager, "N1").unwrap();
    let cashier = services.login("cashier", "1111").unwrap();
    nets.state.lock().unwrap().next = vec![Next::WaitForCancel];
    let abort = std::sync::Arc::new(AtomicBool::new(false));
    let flag = abort.clone();
    let mut display = |_: &str| {
        let flag = flag.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            flag.store(true, Ordering::SeqCst);
        });
    };
    let mut progress = CardProgress {
        display: &mut display,
        abort,
    };
    let request = SaleRequest {
        performance_id: boxoffice::domain::ids::PerformanceId(1),
        items: vec![("adult".into(), 1)],
        ..SaleRequest::default()
    };
    let error = services
        .sell_with_card(
            &cashier,
            &request,
            Some("N1"),
            Split::default(),
            &mut progress,
        )
        .unwrap_err();
    assert!(error.to_string().contains("Result 2"), "{error}");
    assert!(
        nets.state.lock().unwrap().cancelled,
        "no cancelAction reached the API"
    );
    assert!(services.pending_card_payments().unwrap().is_empty());
}

#[test]
fn an_unreachable_nets_url_fails_over_to_the_alternative() {
    let nets = Nets::start();
    let counter = Counter::demo();
    let dead = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let out = run(
        &counter,
        &[
            "terminal",
            "nets-account",
            "--url",
            &dead,
            "--url-alt",
            &nets.url,
            "--username",
            "org",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let add = run(
        &counter,
        &["terminal", "add", "--name", "N1", "--nets-cloud", "T-100"],
    );
    assert!(add.status.success());
    let out = run(&counter, &["terminal", "reconcile", "N1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sell(&counter);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("switching to the alternative URL"),
        "the switch is not said: {}",
        stderr(&out)
    );
    assert_eq!(nets.state.lock().unwrap().transactions.len(), 1);
}
