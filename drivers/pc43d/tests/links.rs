//! The transports against real peers: a TCP listener on loopback, a pseudo-terminal pair
//! for the serial port, printer simulators that answer status requests as the languages
//! define, and the ZPL rendered by an independent renderer with its QR code decoded.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use pc43d::{
    Align, Condition, Element, Font, Label, Language, SerialSettings, SerialTransport,
    TcpTransport, Transport, TransportSpec, query_status,
};

fn ticket() -> Label {
    Label {
        width_dots: 832,
        height_dots: 400,
        elements: vec![
            Element::Text {
                x_dots: 32,
                y_dots: 32,
                align: Align::Left,
                font: Font::bold(14),
                text: "Kesäteatteri \"Åbo\" – ÅÄÖ é".into(),
            },
            Element::Qr {
                x_dots: 560,
                y_dots: 40,
                module_dots: 8,
                data: "041061050R3GG28A".into(),
            },
        ],
    }
}

fn tcp(port: u16, timeout: Duration) -> TcpTransport {
    TcpTransport {
        host: "127.0.0.1".into(),
        port,
        timeout,
    }
}

#[test]
fn tcp_9100_delivers_the_exact_bytes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut received = Vec::new();
        stream.read_to_end(&mut received).unwrap();
        received
    });
    let job = Language::Zpl.encode(&ticket());
    let mut transport = TransportSpec::parse(&format!("tcp:127.0.0.1:{port}"))
        .unwrap()
        .open(Duration::from_secs(3));
    transport.send(&job).unwrap();
    assert_eq!(sink.join().unwrap(), job);
}

#[test]
fn tcp_refused_and_silent_printers_are_errors_not_hangs() {
    // Nobody listens on this port any more.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = tcp(port, Duration::from_secs(2)).send(b"X").unwrap_err();
    assert_eq!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused,
        "{error}"
    );

    // A printer that accepts the connection and never answers the status request.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        thread::sleep(Duration::from_secs(1));
        drop(stream);
    });
    let started = Instant::now();
    let status = query_status(
        &mut tcp(port, Duration::from_millis(300)),
        Language::Fingerprint,
    )
    .expect("TCP is two-way");
    let error = status.unwrap_err().to_string();
    assert!(error.contains("did not answer"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "gave up at the timeout"
    );
    silent.join().unwrap();
}

/// A PC43d on TCP that answers one status request with `reply`; returns what it was asked.
fn status_printer(reply: &'static [u8]) -> (u16, thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let printer = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut byte = [0u8; 1];
        while !request.ends_with(b"\r\n") {
            if stream.read(&mut byte).unwrap() == 0 {
                break;
            }
            request.push(byte[0]);
        }
        stream.write_all(reply).unwrap();
        request
    });
    (port, printer)
}

#[test]
fn status_words_from_fingerprint_and_zpl_printers() {
    let (port, printer) = status_printer(b"5\r\n");
    let status = query_status(
        &mut tcp(port, Duration::from_secs(3)),
        Language::Fingerprint,
    )
    .unwrap()
    .unwrap();
    assert_eq!(printer.join().unwrap(), b"? PRSTAT\r\n");
    assert_eq!(
        status.conditions,
        vec![Condition::HeadOpen, Condition::PaperOut]
    );
    let words: Vec<String> = status.conditions.iter().map(ToString::to_string).collect();
    assert_eq!(words, ["head open", "paper out"]);

    let (port, printer) = status_printer(
        b"\x02030,1,0,0640,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n",
    );
    let status = query_status(&mut tcp(port, Duration::from_secs(3)), Language::Zpl)
        .unwrap()
        .unwrap();
    assert_eq!(printer.join().unwrap(), b"~HS\r\n");
    assert_eq!(status.conditions, vec![Condition::PaperOut]);

    // A malformed reply is reported as such.
    let (port, printer) = status_printer(b"Ok\r\n");
    let error = query_status(
        &mut tcp(port, Duration::from_secs(3)),
        Language::Fingerprint,
    )
    .unwrap()
    .unwrap_err();
    printer.join().unwrap();
    assert!(error.to_string().contains("malformed"), "{error}");
}

/// Reads from the pty master until `n` bytes came or two seconds passed. While the slave
/// side is closed the master reads EIO: wait for the transport to open it.
fn read_master(master: &mut serialport::TTYPort, n: usize) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while received.len() < n && Instant::now() < deadline {
        match master.read(&mut buffer) {
            Ok(read) => received.extend_from_slice(&buffer[..read]),
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
    received
}

#[test]
fn serial_through_a_pseudo_terminal_pair() {
    use serialport::SerialPort;
    let (mut master, slave) = serialport::TTYPort::pair().expect("a pseudo-terminal pair");
    // The transport opens the port by its path, as it would open /dev/ttyUSB0 or COM3.
    // This end stays open so the terminal does not hang up between jobs.
    let path = slave.name().expect("the slave side has a path");
    master.set_timeout(Duration::from_millis(50)).unwrap();
    let settings = SerialSettings {
        port: path.clone(),
        baud: 115_200,
        parity: serialport::Parity::None,
        flow_control: serialport::FlowControl::None,
    };
    let mut transport = SerialTransport::new(settings, Duration::from_secs(2));
    let job = Language::Fingerprint.encode(&ticket());
    let reader = thread::spawn(move || {
        let received = read_master(&mut master, job.len());
        (master, received, job)
    });
    transport
        .send(&Language::Fingerprint.encode(&ticket()))
        .unwrap();
    let (mut master, received, job) = reader.join().unwrap();
    assert_eq!(received, job);

    // The printer answers the status request on the same line.
    let printer = thread::spawn(move || {
        let request = read_master(&mut master, b"? PRSTAT\r\n".len());
        master.write_all(b"128\r\n").unwrap();
        // The master stays open until the answer was read: a closed master is a hang-up.
        (request, master)
    });
    let status = query_status(&mut transport, Language::Fingerprint)
        .unwrap()
        .unwrap();
    let (request, master) = printer.join().unwrap();
    assert_eq!(request, b"? PRSTAT\r\n");
    assert_eq!(status.conditions, vec![Condition::PaperOut]);
    drop(master);
    assert_eq!(
        transport.describe(),
        format!("serial:{path}:115200"),
        "described as it is configured"
    );
    drop(slave);
}

#[test]
fn serial_port_that_does_not_exist_is_a_clear_error() {
    let mut transport = TransportSpec::parse("serial:/dev/does-not-exist-pc43d:9600")
        .unwrap()
        .open(Duration::from_secs(1));
    let error = transport.send(b"X").unwrap_err().to_string();
    assert!(error.contains("/dev/does-not-exist-pc43d"), "{error}");
}

/// The QR codes an independent decoder finds in a greyscale picture.
fn decode_qr(width: usize, height: usize, pixel: impl Fn(usize, usize) -> u8) -> Vec<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, pixel);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
fn zpl_rendered_offline_scans_as_the_ticket_code() {
    let job = Language::Zpl.encode(&ticket());
    let document =
        zpl::render(&job, zpl::Options::default()).expect("the zpl crate renders our ZPL");
    let scene = document.labels.first().expect("one label");
    let raster = zpl::output::raster::rasterize(scene).expect("rasterised");
    let (width, height) = (raster.width as usize, raster.height as usize);
    assert!(width >= 832, "^PW832 is honoured, got {width}");
    let decoded = decode_qr(width, height, |x, y| raster.pixels[y * width + x]);
    assert_eq!(decoded, ["041061050R3GG28A"]);
}
