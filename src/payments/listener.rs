//! The counter's local HTTP listener for a bank payment: on 127.0.0.1 only, it serves the
//! auto-submitting form that takes the customer's browser to the bank, and receives the browser
//! back at OKURL or VIRHEURL. It only hands the query strings on; verifying them is the caller's job.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What came back from the bank through the customer's browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankReturn {
    /// The browser reached OKURL with this query string.
    Ok(String),
    /// The browser reached VIRHEURL (cancelled or failed) with this query string.
    Cancel(String),
}

pub struct CounterListener {
    address: SocketAddr,
    form_page: Arc<Mutex<String>>,
    returns: Receiver<BankReturn>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Texts the customer sees in the browser, in their language.
#[derive(Debug, Clone)]
pub struct PageTexts {
    pub redirecting: String,
    pub continue_button: String,
    pub returned_ok: String,
    pub returned_cancel: String,
}

impl CounterListener {
    /// Binds a free port on 127.0.0.1 and starts answering.
    pub fn start(texts: PageTexts) -> io::Result<CounterListener> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let address = listener.local_addr()?;
        let form_page = Arc::new(Mutex::new(String::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, returns) = mpsc::channel();
        let thread = {
            let form_page = Arc::clone(&form_page);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("bank-listener".into())
                .spawn(move || serve(listener, form_page, sender, stop, texts))?
        };
        Ok(CounterListener {
            address,
            form_page,
            returns,
            stop,
            thread: Some(thread),
        })
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.address.port())
    }

    pub fn ok_url(&self) -> String {
        self.url("/ok")
    }

    pub fn cancel_url(&self) -> String {
        self.url("/cancel")
    }

    /// The page to open in the customer's browser.
    pub fn pay_url(&self) -> String {
        self.url("/pay")
    }

    /// Sets the page served at `/pay`.
    pub fn set_form_page(&self, html: String) {
        *self.form_page.lock().unwrap_or_else(|e| e.into_inner()) = html;
    }

    /// Waits up to `timeout` for the browser to come back.
    pub fn wait(&self, timeout: Duration) -> Option<BankReturn> {
        self.returns.recv_timeout(timeout).ok()
    }
}

impl Drop for CounterListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept call.
        TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).ok();
        if let Some(thread) = self.thread.take() {
            // A listener thread that panicked has nothing more to say.
            thread.join().ok();
        }
    }
}

fn serve(
    listener: TcpListener,
    form_page: Arc<Mutex<String>>,
    sender: Sender<BankReturn>,
    stop: Arc<AtomicBool>,
    texts: PageTexts,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else { continue };
        // Without timeouts a silent browser only holds this thread.
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
        stream.set_write_timeout(Some(Duration::from_secs(5))).ok();
        let response = match read_request(&mut stream) {
            Ok((path, query)) => match path.as_str() {
                "/pay" => {
                    let page = form_page.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    (200, page)
                }
                "/ok" => {
                    // The counter stopped waiting: the payment query settles it.
                    sender.send(BankReturn::Ok(query)).ok();
                    (200, message_page(&texts.returned_ok))
                }
                "/cancel" => {
                    // The counter stopped waiting: the payment query settles it.
                    sender.send(BankReturn::Cancel(query)).ok();
                    (200, message_page(&texts.returned_cancel))
                }
                _ => (404, message_page("Not found")),
            },
            Err(error) => (400, message_page(&error.to_string())),
        };
        // A browser that went away misses only the page.
        write_response(&mut stream, response.0, &response.1).ok();
    }
}

/// Reads one request: its path and its query (from the URL, or a form body on POST).
pub(crate) fn read_request(stream: &mut TcpStream) -> io::Result<(String, String)> {
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no request target"))?;
    let (path, mut query) = match target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (target.to_string(), String::new()),
    };
    let mut content_length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
    }
    if method.eq_ignore_ascii_case("POST") && content_length > 0 {
        let mut body = vec![0u8; content_length.min(32 * 1024)];
        reader.read_exact(&mut body)?;
        let body = String::from_utf8_lossy(&body).into_owned();
        query = if query.is_empty() {
            body
        } else {
            format!("{query}&{body}")
        };
    }
    Ok((path, query))
}

pub(crate) fn write_response(stream: &mut TcpStream, status: u16, body: &str) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// A `302 Found` to `location`.
pub(crate) fn write_redirect(stream: &mut TcpStream, location: &str) -> io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()
}

/// Escapes text for HTML content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn message_page(text: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Box office</title></head><body><p style=\"font:24px sans-serif\">{}</p></body></html>",
        html_escape(text)
    )
}

/// Hidden form inputs carrying `fields`, escaped.
pub(crate) fn hidden_inputs<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    fields
        .into_iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                html_escape(name),
                html_escape(value)
            )
        })
        .collect()
}

/// A page that posts `fields` to `action` as soon as it loads (with a button if scripts are off).
pub fn auto_submit_page(action: &str, fields: &[(&str, String)], texts: &PageTexts) -> String {
    let inputs = hidden_inputs(fields.iter().map(|(name, value)| (*name, value.as_str())));
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Box office</title></head>\
         <body onload=\"document.forms[0].submit()\"><p style=\"font:24px sans-serif\">{}</p>\
         <form method=\"post\" action=\"{}\" accept-charset=\"ISO-8859-1\">{inputs}\
         <noscript><button type=\"submit\">{}</button></noscript></form></body></html>",
        html_escape(&texts.redirecting),
        html_escape(action),
        html_escape(&texts.continue_button)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> PageTexts {
        PageTexts {
            redirecting: "Siirrytään pankkiin…".into(),
            continue_button: "Jatka".into(),
            returned_ok: "Kiitos".into(),
            returned_cancel: "Peruttu".into(),
        }
    }

    fn get(url: &str) -> (u16, String) {
        let response = reqwest::blocking::get(url).unwrap();
        (response.status().as_u16(), response.text().unwrap())
    }

    #[test]
    fn serves_the_form_and_hands_back_what_the_browser_brings() {
        let listener = CounterListener::start(texts()).unwrap();
        let page = auto_submit_page(
            "https://bank.example/pay",
            &[
                ("SUMMA", "10,00".into()),
                ("OKURL", "http://x/?a=1&b=\"2\"".into()),
            ],
            &texts(),
        );
        assert!(page.contains("value=\"http://x/?a=1&amp;b=&quot;2&quot;\""));
        listener.set_form_page(page.clone());
        assert_eq!(get(&listener.pay_url()), (200, page));
        let (status, body) = get(&format!("{}?VIITE=1232&STATUS=0", listener.ok_url()));
        assert_eq!(status, 200);
        assert!(body.contains("Kiitos"));
        assert_eq!(
            listener.wait(Duration::from_secs(2)),
            Some(BankReturn::Ok("VIITE=1232&STATUS=0".into()))
        );
        let client = reqwest::blocking::Client::new();
        let response = client
            .post(listener.cancel_url())
            .body("VIITE=1232")
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            listener.wait(Duration::from_secs(2)),
            Some(BankReturn::Cancel("VIITE=1232".into()))
        );
        assert_eq!(
            get(&format!("http://127.0.0.1:{}/other", listener.port())).0,
            404
        );
        assert_eq!(listener.wait(Duration::from_millis(50)), None);
    }
}
