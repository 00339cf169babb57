//! Printing end to end with the real binary on a real ledger: printers over TCP 9100 to a
//! listener, a failing printer that never undoes the sale, retry, copy and reissue with
//! their permissions, `ticket render` in every format checked by independent decoders,
//! and a real CUPS server whose raw queue delivers the exact bytes.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;
use common::Bounded;

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::{Counter, stderr, stdout, with_user};

const PLAY: i64 = 2; // Nummisuutarit: adult 18,50 €, child 9,00 €

/// A printer on loopback TCP: collects every connection's bytes until `n_jobs` came.
fn tcp_printer(n_jobs: usize) -> (u16, thread::JoinHandle<Vec<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        let mut jobs = Vec::new();
        for stream in listener.incoming().take(n_jobs) {
            let mut stream = stream.unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut job = Vec::new();
            stream.read_to_end(&mut job).unwrap();
            jobs.push(job);
        }
        jobs
    });
    (port, handle)
}

/// A port nobody listens on.
fn dead_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn add_printer(counter: &Counter, name: &str, transport: &str, language: &str) {
    let out = counter.run(&with_user(
        &[
            "printer",
            "add",
            "--name",
            name,
            "--transport",
            transport,
            "--language",
            language,
        ],
        "admin",
        "0000",
    ));
    assert!(out.status.success(), "printer add: {}", stderr(&out));
}

fn render(counter: &Counter, code: &str, format: &str) -> Vec<u8> {
    let out_file = counter.path().join(format!("render.{format}"));
    let out = counter.run(&[
        "ticket",
        "render",
        code,
        "--format",
        format,
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "ticket render: {}", stderr(&out));
    std::fs::read(out_file).unwrap()
}

fn decode_qr(width: usize, height: usize, pixel: impl Fn(usize, usize) -> u8) -> Vec<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, pixel);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// (code, kind, printer, result, error) of each print-log row.
type PrintLogRow = (Option<String>, String, String, String, Option<String>);

fn print_log(counter: &Counter) -> Vec<PrintLogRow> {
    let sql = counter.sql();
    let mut statement = sql
        .prepare("SELECT code, kind, printer, result, error FROM print_log ORDER BY id")
        .unwrap();
    statement
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn sale_prints_to_a_tcp_printer_exactly_what_render_produces() {
    let counter = Counter::demo();
    let (port, printer) = tcp_printer(1);
    add_printer(
        &counter,
        "Kassa 1",
        &format!("tcp:127.0.0.1:{port}"),
        "fingerprint",
    );
    let out = counter.run(&["printer", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["printers"][0]["name"], "Kassa 1");
    assert_eq!(
        list["printers"][0]["transport"],
        format!("tcp:127.0.0.1:{port}")
    );
    assert_eq!(list["printers"][0]["is_default"], true);

    let sale = counter.sell_json(PLAY, "adult=1,child=1", "50");
    assert_eq!(sale["printed"], format!("tcp:127.0.0.1:{port}"));
    let codes: Vec<String> = sale["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_string())
        .collect();
    let jobs = printer.join().unwrap();
    assert_eq!(jobs.len(), 1, "one job for the order");
    let expected: Vec<u8> = codes
        .iter()
        .flat_map(|code| render(&counter, code, "fingerprint"))
        .collect();
    assert_eq!(
        jobs[0], expected,
        "the printer got exactly what render produces"
    );
    let text = String::from_utf8(jobs[0].clone()).unwrap();
    assert!(
        text.contains("Nummisuutarit") && text.contains("18,50 €"),
        "{text}"
    );
    // The play has numbered seats: the ticket names its seat where free seating would say so.
    assert!(text.contains("Permanto, rivi 1, paikka "), "{text}");
    let log = print_log(&counter);
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|(_, kind, printer, result, error)| kind == "original"
                && printer == "Kassa 1"
                && result == "sent"
                && error.is_none())
    );
}

#[test]
fn a_swedish_register_prints_kronor_on_the_ticket() {
    let counter = Counter::empty();
    let out = counter.run(&["init", "--demo", "--currency", "SEK"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sale = counter.sell_json(PLAY, "adult=1", "20");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    for format in ["fingerprint", "zpl"] {
        let job = String::from_utf8(render(&counter, &code, format)).unwrap();
        assert!(job.contains("18,50 kr ("), "{format}: {job}");
        assert!(!job.contains('€'), "{format} writes euros: {job}");
    }
}

#[test]
fn a_dead_printer_never_undoes_the_sale_and_retry_copy_reissue_follow_the_rules() {
    let counter = Counter::demo();
    let dead = dead_port();
    add_printer(&counter, "Kassa 1", &format!("tcp:127.0.0.1:{dead}"), "zpl");

    // The printer is off: the sale stands, the tickets are "not printed".
    let sale = counter.sell_json(PLAY, "adult=1", "20");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    assert!(sale["printed"].is_null());
    let error = sale["print_error"].as_str().unwrap();
    assert!(error.contains(&format!("tcp:127.0.0.1:{dead}")), "{error}");
    assert_eq!(counter.count("orders"), 1);
    let log = print_log(&counter);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].3, "failed");
    assert!(log[0].4.as_deref().unwrap().contains("refused"), "{log:?}");
    let check = counter.run(&["ticket", "check", &code]);
    assert!(check.status.success(), "an unprinted ticket is still valid");
    let (ok, last_error): (bool, Option<String>) = counter
        .sql()
        .query_row(
            "SELECT ok, last_error FROM integration_status WHERE name = 'printer.Kassa 1'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(!ok, "the operations screen shows the printer down");
    assert!(last_error.unwrap().contains("refused"));

    // Retry on a printer that works: the original, in ZPL.
    let (port, printer) = tcp_printer(1);
    add_printer(&counter, "Kassa 1", &format!("tcp:127.0.0.1:{port}"), "zpl");
    let out = counter.run(&with_user(&["print", "ticket", &code], "cashier", "1111"));
    assert!(out.status.success(), "retry: {}", stderr(&out));
    let job = printer.join().unwrap().remove(0);
    assert_eq!(job, render(&counter, &code, "zpl"));
    assert!(job.starts_with(b"^XA\r\n^CI28\r\n"));

    // A second original is refused: the paper exists.
    let out = counter.run(&with_user(&["print", "ticket", &code], "cashier", "1111"));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--copy"), "{}", stderr(&out));

    // Copies and reissues are for staff, managers and admins, checked in the service.
    let out = counter.run(&with_user(
        &["print", "ticket", &code, "--copy"],
        "cashier",
        "1111",
    ));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
    // Nobody logged in: refused (there is no "register's operator").
    let out = counter
        .command(&["print", "ticket", &code, "--copy"])
        .env_remove("BOXOFFICE_USER")
        .env_remove("BOXOFFICE_PIN")
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--user"), "{}", stderr(&out));
    // The helper's login (the demo admin): allowed, and here it meets the dead printer.
    let out = counter.run(&["print", "ticket", &code, "--copy"]);
    assert!(!out.status.success(), "the printer is dead");
    assert!(stderr(&out).contains("not printed"), "{}", stderr(&out));
    // A user without a PIN anywhere (no BOXOFFICE_PIN, no terminal): a sentence, not a guess.
    let out = counter
        .command(&["print", "ticket", &code, "--copy", "--user", "staff"])
        .env_remove("BOXOFFICE_PIN")
        .stdin(std::process::Stdio::null())
        .output_bounded()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the PIN of staff is needed"),
        "{}",
        stderr(&out)
    );

    let (port, printer) = tcp_printer(1);
    add_printer(
        &counter,
        "Kassa 1",
        &format!("tcp:127.0.0.1:{port}"),
        "fingerprint",
    );
    let out = counter.run(&with_user(
        &["print", "ticket", &code, "--copy", "--json"],
        "staff",
        "2222",
    ));
    assert!(out.status.success(), "copy: {}", stderr(&out));
    let copy = String::from_utf8(printer.join().unwrap().remove(0)).unwrap();
    assert!(copy.contains("PRTXT \"KOPIO\""), "{copy}");
    assert!(
        copy.contains(&format!("PRBAR \"{code}\"")),
        "same code on a copy"
    );

    // Reissue: a new code, the old one revoked from then on.
    let (port, printer) = tcp_printer(1);
    add_printer(
        &counter,
        "Kassa 1",
        &format!("tcp:127.0.0.1:{port}"),
        "fingerprint",
    );
    let out = counter.run(&with_user(
        &["print", "ticket", &code, "--reissue", "--json"],
        "staff",
        "2222",
    ));
    assert!(out.status.success(), "reissue: {}", stderr(&out));
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let new_code = outcome["codes"][0].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    assert_eq!(outcome["reissue_numbers"][0], 1);
    assert_eq!(outcome["result"], "sent");
    let reissue = String::from_utf8(printer.join().unwrap().remove(0)).unwrap();
    assert!(reissue.contains(&format!("PRBAR \"{new_code}\"")));
    assert!(reissue.contains("UUSI LIPPU nro 1"), "{reissue}");
    assert!(!reissue.contains(&code));

    let old = counter.run(&["ticket", "check", &code]);
    assert!(!old.status.success(), "the old code is refused");
    assert!(
        stdout(&old).contains("replaced by reissue no. 1"),
        "{}",
        stdout(&old)
    );
    let new = counter.run(&["ticket", "check", &new_code]);
    assert!(new.status.success(), "{}", stderr(&new));
    let out = counter.run(&with_user(
        &["print", "ticket", &code, "--copy"],
        "staff",
        "2222",
    ));
    assert!(!out.status.success(), "no copy of a revoked code");
    assert_eq!(counter.remaining(PLAY), 300 - 1, "a reissue sells no seat");
    // Found by its new code, e.g. when scanned at the staff screen.
    let out = counter.run(&["order", "search", &new_code, "--json"]);
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["order_number"], 1);

    let kinds: Vec<String> = print_log(&counter)
        .into_iter()
        .map(|row| format!("{}:{}", row.1, row.3))
        .collect();
    assert_eq!(
        kinds,
        [
            "original:failed",
            "original:sent",
            "copy:failed",
            "copy:sent",
            "reissue:sent"
        ]
    );
    let sql = counter.sql();
    let journal: Vec<String> = sql
        .prepare("SELECT kind FROM journal WHERE kind LIKE 'ticket.%' OR kind LIKE 'print%' ORDER BY seq")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Copies, reissues and printer changes are business operations; print attempts are the log's.
    assert_eq!(
        journal,
        [
            "printer.set",
            "printer.set",
            "ticket.copy",
            "printer.set",
            "ticket.copy",
            "printer.set",
            "ticket.reissue"
        ]
    );
    // The print log and the reissues are append-only.
    assert!(sql.execute("DELETE FROM print_log", []).is_err());
    assert!(
        sql.execute("UPDATE ticket_reissues SET new_code = 'X'", [])
            .is_err()
    );
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn render_png_and_zpl_scan_as_the_ticket_code() {
    let counter = Counter::demo();
    let sale = counter.sell_json(PLAY, "adult=1", "20");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();

    let png = render(&counter, &code, "png");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let width = info.width as usize;
    assert_eq!(width, 832);
    assert_eq!(
        decode_qr(width, info.height as usize, |x, y| pixels[y * width + x]),
        [code.as_str()]
    );

    let zpl = render(&counter, &code, "zpl");
    let document = zpl::render(&zpl, zpl::Options::default()).expect("ZPL renders offline");
    let raster = zpl::output::raster::rasterize(&document.labels[0]).unwrap();
    let width = raster.width as usize;
    assert_eq!(
        decode_qr(width, raster.height as usize, |x, y| raster.pixels
            [y * width + x]),
        [code.as_str()]
    );

    let out = counter.run(&["ticket", "render", &code, "--format", "pdf", "--out", "x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("png, fingerprint or zpl"));
    let out = counter.run(&[
        "ticket",
        "render",
        "AAAABBBBCCCCDDDD",
        "--format",
        "png",
        "--out",
        "x",
    ]);
    assert!(!out.status.success(), "unknown ticket");
}

#[test]
fn printer_settings_are_checked_and_permissioned() {
    let counter = Counter::demo();
    for (transport, language) in [
        ("tcp:127.0.0.1", "zpl"),
        ("lpt:1", "zpl"),
        ("tcp:127.0.0.1:9100", "escpos"),
        ("serial:COM3:fast", "fingerprint"),
    ] {
        let out = counter.run(&with_user(
            &[
                "printer",
                "add",
                "--name",
                "X",
                "--transport",
                transport,
                "--language",
                language,
            ],
            "admin",
            "0000",
        ));
        assert!(
            !out.status.success(),
            "{transport} {language} must be refused"
        );
        assert!(stderr(&out).contains("not valid"), "{}", stderr(&out));
    }
    let out = counter.run(&with_user(
        &[
            "printer",
            "add",
            "--name",
            "X",
            "--transport",
            "tcp:127.0.0.1:9100",
            "--language",
            "zpl",
        ],
        "staff",
        "2222",
    ));
    assert!(!out.status.success(), "staff may not change printers");
    assert_eq!(counter.count("printers"), 0);

    // The test ticket, on a file printer, with the awkward characters.
    let file = counter.path().join("test.prn");
    add_printer(
        &counter,
        "Arkisto",
        &format!("file:{}", file.display()),
        "zpl",
    );
    let out = counter.run(&with_user(
        &["print", "test", "--printer", "Arkisto"],
        "admin",
        "0000",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let job = String::from_utf8(std::fs::read(&file).unwrap()).unwrap();
    assert!(job.contains("^CI28"), "{job}");
    for word in ["\"Åbo", "Ärende", "Öl\"", "å ä ö é", "Kemiönsaari"] {
        assert!(job.contains(word), "{word} in {job}");
    }
    let out = counter.run(&with_user(
        &["print", "test", "--printer", "Nope"],
        "admin",
        "0000",
    ));
    assert!(
        stderr(&out).contains("no printer 'Nope'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn printer_status_on_a_silent_printer_is_reported_not_waited_for() {
    let counter = Counter::demo();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    add_printer(
        &counter,
        "Hiljainen",
        &format!("tcp:127.0.0.1:{port}"),
        "fingerprint",
    );
    let silent = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        thread::sleep(Duration::from_secs(5));
        drop(stream);
    });
    let out = counter.run(&["printer", "status", "--printer", "Hiljainen"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("did not answer within 3 s"),
        "{}",
        stderr(&out)
    );
    drop(silent);
}

/// A private CUPS server: its own configuration, spool and socket in a temporary directory.
struct Cups {
    child: Child,
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Cups {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_cups() -> Cups {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    for sub in ["spool", "cache", "state", "log", "tmp", "ppd"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::set_permissions(root.join(sub), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    // cupsd refuses to run jobs as root: as root it uses lp, as anyone else that user.
    let user = if is_root() { "User lp\nGroup lp\n" } else { "" };
    let socket = root.join("cups.sock");
    std::fs::write(
        root.join("cupsd.conf"),
        format!(
            "Listen {}\nLogLevel warn\nDefaultAuthType None\nWebInterface No\n\
             <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
             <Policy default>\n  <Limit All>\n    Order allow,deny\n    Allow all\n  </Limit>\n</Policy>\n",
            socket.display()
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("cups-files.conf"),
        format!(
            "ServerRoot {root}\nRequestRoot {root}/spool\nCacheDir {root}/cache\nStateDir {root}/state\n\
             TempDir {root}/tmp\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n\
             PageLog {root}/log/page_log\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n{user}FileDevice Yes\n",
            root = root.display()
        ),
    )
    .unwrap();
    let child = Command::new("/usr/sbin/cupsd")
        .args(["-f", "-c"])
        .arg(root.join("cupsd.conf"))
        .arg("-s")
        .arg(root.join("cups-files.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cupsd (Debian package cups, installed by scripts/setup-debian.sh)");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        assert!(
            Instant::now() < deadline,
            "cupsd did not start: {}",
            std::fs::read_to_string(root.join("log/error_log")).unwrap_or_default()
        );
        thread::sleep(Duration::from_millis(50));
    }
    Cups {
        child,
        socket,
        _dir: dir,
    }
}

/// A cash sale of one ticket by the CLI, printing through `cups`: its JSON.
fn sell_through(counter: &Counter, cups: &Cups) -> serde_json::Value {
    let out = counter
        .sell_command(2, "adult=1", "20")
        .env("CUPS_SERVER", &cups.socket)
        // lp's words in English, as the assertions read them.
        .env("LC_ALL", "C")
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output_bounded()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn lpadmin(cups: &Cups, args: &[&str]) {
    let out = Command::new("/usr/sbin/lpadmin")
        .env("CUPS_SERVER", &cups.socket)
        .args(args)
        .output_bounded()
        .expect("lpadmin (package cups-client)");
    assert!(out.status.success(), "lpadmin {args:?}: {}", stderr(&out));
}

#[test]
fn a_cups_raw_queue_delivers_the_exact_bytes() {
    if !Path::new("/usr/sbin/cupsd").exists() {
        panic!("CUPS is missing: run scripts/setup-debian.sh (installs cups)");
    }
    let cups = start_cups();
    let (port, sink) = tcp_printer(1);
    // A raw queue: no driver, no filter; the socket backend forwards the job to our sink.
    lpadmin(
        &cups,
        &[
            "-p",
            "BoxOfficeTest",
            "-E",
            "-v",
            &format!("socket://127.0.0.1:{port}"),
        ],
    );

    let counter = Counter::demo();
    add_printer(&counter, "Jono", "queue:BoxOfficeTest", "fingerprint");
    let sale = sell_through(&counter, &cups);
    assert_eq!(sale["printed"], "queue:BoxOfficeTest", "{sale}");
    let code = sale["tickets"][0]["code"].as_str().unwrap().to_string();
    let job = sink.join().unwrap().remove(0);
    assert_eq!(
        job,
        render(&counter, &code, "fingerprint"),
        "CUPS passed the job through unchanged"
    );
    let log = print_log(&counter);
    assert_eq!(
        log[0].3, "spooled",
        "the spooler took it; whether paper came out it cannot say"
    );

    // The settings list the server's queues.
    let out = counter
        .command(&["printer", "list", "--json"])
        .env("CUPS_SERVER", &cups.socket)
        .output_bounded()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
    // (CUPS may add printers it finds on the network.)
    let queues = list["system_queues"].as_array().unwrap();
    assert!(queues.contains(&"BoxOfficeTest".into()), "{list}");

    // A queue the server does not have: the sale stands, and the error names the queue and says
    // what CUPS said.
    add_printer(&counter, "Jono", "queue:NoSuchQueue", "fingerprint");
    let sale = sell_through(&counter, &cups);
    assert!(sale["printed"].is_null(), "{sale}");
    let error = sale["print_error"].as_str().unwrap();
    assert!(error.contains("queue:NoSuchQueue"), "{error}");
    assert!(error.contains("does not exist"), "{error}");
    assert_eq!(print_log(&counter)[1].3, "failed");

    // A spooler that does not answer (cupsd stopped: it takes the connection and never replies):
    // the sale stands and says so, within CUPS's timeout, instead of hanging the counter.
    add_printer(&counter, "Jono", "queue:BoxOfficeTest", "fingerprint");
    let signal = |name: &str| {
        let out = Command::new("kill")
            .args([name, &cups.child.id().to_string()])
            .output_bounded()
            .unwrap();
        assert!(out.status.success(), "kill {name}: {}", stderr(&out));
    };
    signal("-STOP");
    let began = Instant::now();
    let sale = sell_through(&counter, &cups);
    signal("-CONT");
    assert!(
        began.elapsed() < Duration::from_secs(30),
        "{:?}",
        began.elapsed()
    );
    assert!(sale["printed"].is_null(), "{sale}");
    let error = sale["print_error"].as_str().unwrap();
    assert!(error.contains("CUPS did not answer lp within"), "{error}");
    assert_eq!(counter.count("orders"), 3);
}
