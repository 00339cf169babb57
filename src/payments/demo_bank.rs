//! A simulated Verkkomaksu bank for the demo box office, so a bank payment can be tried on a
//! fresh machine: on 127.0.0.1 only, with the bank's public test key and merchant. Its payment
//! page asks "pay or cancel", then sends the browser back with a signed reply; its query
//! endpoint answers what was paid. It is not a test oracle (the tests use an independent Python
//! simulator); it follows the same contract.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use super::listener::{
    hidden_inputs, html_escape, message_page, read_request, write_redirect, write_response,
};
use super::verkkomaksu::{Reply, Request, ascii_url, query_code, query_pairs, request_mac};

/// The bank's public test key and merchant (DESIGN.md section 4).
pub const TEST_KEY: &str = "jumCLB4T2ceZWGJ9ztjuhn5FaeZnTm5HpfDXWU2APRqfDcsrBs8mqkFARzm7uXKd";
pub const TEST_MERCHANT: &str = "000000000000";

pub struct DemoBank {
    address: SocketAddr,
}

impl DemoBank {
    /// Starts the simulated bank on a free loopback port; it runs until the program ends.
    pub fn start() -> io::Result<DemoBank> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let address = listener.local_addr()?;
        let paid: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        std::thread::Builder::new()
            .name("demo-bank".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    // Without a timeout a silent client only holds its own thread.
                    stream
                        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                        .ok();
                    let Ok((path, query)) = read_request(&mut stream) else {
                        continue;
                    };
                    let fields: HashMap<String, String> = query_pairs(&query)
                        .unwrap_or_default()
                        .into_iter()
                        .collect();
                    // A client that went away misses only the answer.
                    #[allow(clippy::let_underscore_must_use)]
                    let _ = match handle(&path, &fields, &paid) {
                        Answer::Page(status, body) => write_response(&mut stream, status, &body),
                        Answer::Redirect(location) => write_redirect(&mut stream, &location),
                    };
                }
            })?;
        Ok(DemoBank { address })
    }

    pub fn payment_url(&self) -> String {
        format!("http://127.0.0.1:{}/vemaha", self.address.port())
    }

    pub fn query_url(&self) -> String {
        format!("http://127.0.0.1:{}/HB", self.address.port())
    }
}

enum Answer {
    Page(u16, String),
    Redirect(String),
}

fn field<'a>(fields: &'a HashMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

fn handle(
    path: &str,
    fields: &HashMap<String, String>,
    paid: &Mutex<HashMap<String, String>>,
) -> Answer {
    let get = |name: &str| field(fields, name);
    match path {
        "/vemaha" | "/vemaha/pay" | "/vemaha/cancel" => {
            let expected = request_mac(
                TEST_KEY,
                &Request {
                    merchant: get("KNRO"),
                    amount: get("SUMMA"),
                    reference: get("VIITE"),
                    version: get("VERSIO"),
                    currency: get("VALUUTTA"),
                    ok_url: get("OKURL"),
                    cancel_url: get("VIRHEURL"),
                    due_date: get("ERAPAIVA"),
                },
            );
            if get("TARKISTE") != expected || get("KNRO") != TEST_MERCHANT {
                return Answer::Page(
                    400,
                    message_page("Demo bank: the payment request is not signed correctly."),
                );
            }
            match path {
                "/vemaha/cancel" => Answer::Redirect(ascii_url(get("VIRHEURL"))),
                "/vemaha/pay" => pay(fields, paid),
                _ => Answer::Page(200, choice_page(fields)),
            }
        }
        "/HB" => {
            let refno = get("refno");
            if get("verifycode") != query_code(TEST_KEY, get("merchantid"), refno) {
                return Answer::Page(200, "ReturnCode=009&ReturnText=Verify code error".into());
            }
            let amount = paid
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(refno)
                .cloned();
            Answer::Page(
                200,
                match amount {
                    Some(amount) => format!(
                        "ReturnCode=000&ReturnText=OK&Refno={refno}&MerchantID=Demo+shop&Amount={amount}&Currency=EUR&Total={amount}&PayType=KT&PayStatus=Settled"
                    ),
                    None => "ReturnCode=001&ReturnText=No+such+reference".into(),
                },
            )
        }
        _ => Answer::Page(404, message_page("Not found")),
    }
}

/// The customer paid: remembered for the payment query, and the browser sent to OKURL with the
/// bank's signed reply.
fn pay(fields: &HashMap<String, String>, paid: &Mutex<HashMap<String, String>>) -> Answer {
    let get = |name: &str| field(fields, name);
    paid.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(get("VIITE").to_string(), get("SUMMA").replace('.', ","));
    let mut reply = Reply {
        merchant: get("KNRO").to_string(),
        currency: "EUR".into(),
        reference: get("VIITE").to_string(),
        amount: get("SUMMA").replace('.', ","),
        version: "4".into(),
        status: "0".into(),
        mac: String::new(),
        method: Some("KT".into()),
        due_date: get("ERAPAIVA").to_string(),
    };
    reply.mac = reply.expected_mac(TEST_KEY);
    let query = [
        ("KNRO", &reply.merchant),
        ("VALUUTTA", &reply.currency),
        ("VIITE", &reply.reference),
        ("SUMMA", &reply.amount),
        ("VERSIO", &reply.version),
        ("STATUS", &reply.status),
        ("TARKISTE", &reply.mac),
        ("MTAPA", &"KT".to_string()),
        ("ERAPAIVA", &reply.due_date),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", ascii_url(&v.replace(' ', "+"))))
    .collect::<Vec<_>>()
    .join("&");
    let ok_url = get("OKURL");
    let separator = if ok_url.contains('?') { '&' } else { '?' };
    Answer::Redirect(format!("{}{separator}{query}", ascii_url(ok_url)))
}

/// The bank's page: pay or cancel, carrying the request's fields along.
fn choice_page(fields: &HashMap<String, String>) -> String {
    let inputs = hidden_inputs(
        fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Demo bank</title></head>\
         <body style=\"font:22px sans-serif\"><h1>Demo bank (simulated)</h1>\
         <p>{} € · viite / referens / reference {}</p>\
         <form method=\"post\" action=\"/vemaha/pay\">{inputs}<button type=\"submit\">Maksa / Betala / Pay</button></form>\
         <form method=\"post\" action=\"/vemaha/cancel\">{inputs}<button type=\"submit\">Peruuta / Avbryt / Cancel</button></form>\
         </body></html>",
        html_escape(field(fields, "SUMMA")),
        html_escape(field(fields, "VIITE"))
    )
}
