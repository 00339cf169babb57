//! The Verkkomaksu simulator (`tests/bank_sim.py`, Python, independent of the Rust code) as a
//! child process, a counter set up against it, and a test "browser".
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{Bounded, Counter, stderr, with_user};

pub const KEY: &str = "jumCLB4T2ceZWGJ9ztjuhn5FaeZnTm5HpfDXWU2APRqfDcsrBs8mqkFARzm7uXKd";
pub const MERCHANT: &str = "000000000000";

/// The simulator as a child process; killed when dropped.
pub struct Bank {
    child: Child,
    pub port: u16,
}

impl Bank {
    pub fn start() -> Bank {
        let mut child = Command::new("python3")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bank_sim.py"))
            .args([KEY, MERCHANT])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the bank simulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("simulator said {line:?}"));
        Bank { child, port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn control(&self, query: &str) {
        let response = reqwest::blocking::get(self.url(&format!("/control?{query}"))).unwrap();
        assert!(response.status().is_success());
    }

    pub fn log(&self) -> String {
        reqwest::blocking::get(self.url("/log"))
            .unwrap()
            .text()
            .unwrap()
    }
}

impl Drop for Bank {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A demo counter whose bank settings point at the simulator (query primary: `query_url`).
pub fn counter_with_bank(bank: &Bank, query_url: &str, query_alt: Option<&str>) -> Counter {
    let counter = Counter::demo();
    configure_bank(&counter, &bank.url("/vemaha"), None, query_url, query_alt);
    counter
}

/// `bank settings` and `bank key add` (the test key on standard input) as the demo admin.
pub fn configure_bank(
    counter: &Counter,
    payment_url: &str,
    payment_alt: Option<&str>,
    query_url: &str,
    query_alt: Option<&str>,
) {
    let mut args = vec![
        "bank",
        "settings",
        "--merchant",
        MERCHANT,
        "--contract",
        "123456",
        "--payment-url",
        payment_url,
        "--query-url",
        query_url,
    ];
    if let Some(alt) = payment_alt {
        args.extend(["--payment-url-alt", alt]);
    }
    if let Some(alt) = query_alt {
        args.extend(["--query-url-alt", alt]);
    }
    let out = counter.run(&with_user(&args, "admin", "0000"));
    assert!(out.status.success(), "{}", stderr(&out));
    let mut add = counter
        .command(&with_user(
            &[
                "bank",
                "key",
                "add",
                "--valid-from",
                "2020-01-01",
                "--secret-stdin",
            ],
            "admin",
            "0000",
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(add.stdin.take().unwrap(), "{KEY}").unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

pub fn no_redirects() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// What a browser does with the auto-submitting page: post its hidden fields to its action,
/// then follow the bank's redirect back to the counter's listener.
pub fn browse(pay_url: &str) -> (Vec<(String, String)>, u16) {
    let page = reqwest::blocking::get(pay_url).unwrap().text().unwrap();
    let (action, fields) = first_form(&page);
    let client = no_redirects();
    let response = client.post(action).form(&fields).send().unwrap();
    assert_eq!(
        response.status().as_u16(),
        302,
        "the bank refused the request"
    );
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let back = client.get(location).send().unwrap();
    (fields, back.status().as_u16())
}

/// The first form of a page: its action and hidden fields, as a browser would post them.
pub fn first_form(page: &str) -> (String, Vec<(String, String)>) {
    let form_start = page.find("<form").expect("a form on the page");
    let form = &page[form_start
        ..page[form_start..]
            .find("</form>")
            .map_or(page.len(), |end| form_start + end)];
    let action = attribute(form, "action=\"").unwrap();
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(start) = rest.find("<input type=\"hidden\" name=\"") {
        rest = &rest[start..];
        let name = attribute(rest, "name=\"").unwrap();
        let value = attribute(rest, "value=\"").unwrap();
        fields.push((unescape(&name), unescape(&value)));
        rest = &rest[1..];
    }
    (unescape(&action), fields)
}

fn attribute(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(prefix)? + prefix.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The customer pays REF at the bank's page (the simulator checks the request MAC, computed
/// here by Python's hashlib, and records the payment).
pub fn pay_at_the_bank(bank: &Bank, reference: &str, amount: &str) {
    let (ok_url, cancel_url, due) = (
        "http://127.0.0.1:1/ok",
        "http://127.0.0.1:1/cancel",
        "01.01.2099",
    );
    let mac = python_sha(&[
        KEY, amount, reference, MERCHANT, "4", "EUR", ok_url, cancel_url, due,
    ]);
    let form = [
        ("KNRO", MERCHANT),
        ("SUMMA", amount),
        ("VIITE", reference),
        ("VALUUTTA", "EUR"),
        ("VERSIO", "4"),
        ("ERAPAIVA", due),
        ("OKURL", ok_url),
        ("VIRHEURL", cancel_url),
        ("TARKISTE", &mac),
        ("ALG", "03"),
    ];
    let response = no_redirects()
        .post(bank.url("/vemaha"))
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 302);
}

/// SHA-256 of the parts each followed by '&', in hex, computed by Python's hashlib.
pub fn python_sha(parts: &[&str]) -> String {
    let joined: String = parts.iter().map(|p| format!("{p}&")).collect();
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())",
            &joined,
        ])
        .output_bounded()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
