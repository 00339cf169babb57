use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::status::{self, MalformedStatus};
use crate::{Language, PrinterStatus};

/// How long a printer may take to accept a connection, take the bytes or answer a status
/// request before it is reported as not answering.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// Where encoded bytes go: a file, raw TCP (port 9100), a serial / USB virtual COM port,
/// or a system print queue.
pub trait Transport: Send {
    /// A short description for logs and the print log, e.g. `tcp:10.0.0.5:9100`.
    fn describe(&self) -> String;
    /// Hands one job to the device. Returns when the bytes are handed over, not when paper came out.
    fn send(&mut self, job: &[u8]) -> io::Result<()>;
    /// Bidirectional links only: sends `request` and reads until `complete` says the reply
    /// is whole, or the timeout passes. `None` for one-way links (file, queue).
    fn exchange(
        &mut self,
        _request: &[u8],
        _complete: &dyn Fn(&[u8]) -> bool,
    ) -> Option<io::Result<Vec<u8>>> {
        None
    }
}

/// Why a status could not be read.
#[derive(Debug)]
pub enum StatusError {
    /// No answer, a refused connection, a timeout.
    Io(io::Error),
    Malformed(MalformedStatus),
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusError::Io(error) => write!(f, "{error}"),
            StatusError::Malformed(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for StatusError {}

/// Asks the printer for its status in its language. `None` when the link is one-way.
pub fn query_status(
    transport: &mut dyn Transport,
    language: Language,
) -> Option<Result<PrinterStatus, StatusError>> {
    let reply = transport.exchange(status::request(language), &|reply| {
        status::reply_complete(language, reply)
    })?;
    Some(match reply {
        Ok(reply) => status::parse(language, &reply).map_err(StatusError::Malformed),
        Err(error) => Err(StatusError::Io(error)),
    })
}

/// A printer's link, as written in settings and on the command line:
/// `queue:QUEUE`, `tcp:HOST:PORT`, `serial:PORT[:BAUD[:PARITY[:FLOW]]]` or `file:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportSpec {
    Queue(String),
    Tcp { host: String, port: u16 },
    Serial(SerialSettings),
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerialSettings {
    /// `/dev/ttyUSB0`, `COM3`.
    pub port: String,
    pub baud: u32,
    pub parity: serialport::Parity,
    pub flow_control: serialport::FlowControl,
}

/// The PC43d's factory serial settings: 115200 baud, 8 data bits, no parity, 1 stop bit.
pub const DEFAULT_BAUD: u32 = 115_200;

impl TransportSpec {
    pub fn parse(spec: &str) -> Result<TransportSpec, String> {
        let spec = spec.trim();
        let (kind, rest) = spec.split_once(':').ok_or_else(|| {
            format!(
                "{spec:?}: expected queue:QUEUE, tcp:HOST:PORT, serial:PORT[:BAUD] or file:PATH"
            )
        })?;
        if rest.is_empty() {
            return Err(format!("{spec:?}: nothing after {kind:?}"));
        }
        match kind {
            "queue" => Ok(TransportSpec::Queue(rest.to_string())),
            "file" => Ok(TransportSpec::File(PathBuf::from(rest))),
            "tcp" => {
                let (host, port) = rest
                    .rsplit_once(':')
                    .ok_or_else(|| format!("{spec:?}: expected tcp:HOST:PORT"))?;
                let port = port
                    .parse()
                    .map_err(|_| format!("{spec:?}: {port:?} is not a port number"))?;
                if host.is_empty() {
                    return Err(format!("{spec:?}: no host"));
                }
                Ok(TransportSpec::Tcp {
                    host: host.to_string(),
                    port,
                })
            }
            "serial" => parse_serial(rest).map(TransportSpec::Serial),
            other => Err(format!(
                "{spec:?}: unknown transport {other:?} (queue, tcp, serial or file)"
            )),
        }
    }

    /// Whether the printer can answer on this link (status, errors).
    pub fn bidirectional(&self) -> bool {
        matches!(self, TransportSpec::Tcp { .. } | TransportSpec::Serial(_))
    }

    /// The transport for this link; nothing is opened until a job or a status request.
    pub fn open(&self, timeout: Duration) -> Box<dyn Transport> {
        match self {
            TransportSpec::Queue(queue) => Box::new(QueueTransport {
                queue: queue.clone(),
            }),
            TransportSpec::Tcp { host, port } => Box::new(TcpTransport {
                host: host.clone(),
                port: *port,
                timeout,
            }),
            TransportSpec::Serial(settings) => {
                Box::new(SerialTransport::new(settings.clone(), timeout))
            }
            TransportSpec::File(path) => Box::new(FileTransport { path: path.clone() }),
        }
    }
}

fn parse_serial(rest: &str) -> Result<SerialSettings, String> {
    use serialport::{FlowControl, Parity};
    // The port itself holds no colon on Linux (/dev/ttyS0) or Windows (COM3).
    let mut fields = rest.split(':');
    let port = fields.next().unwrap_or_default().to_string();
    let baud = match fields.next() {
        Some(baud) => baud
            .parse()
            .map_err(|_| format!("serial:{rest}: {baud:?} is not a baud rate"))?,
        None => DEFAULT_BAUD,
    };
    let parity = match fields.next() {
        None | Some("none") => Parity::None,
        Some("odd") => Parity::Odd,
        Some("even") => Parity::Even,
        Some(other) => {
            return Err(format!(
                "serial:{rest}: parity {other:?} is not none, odd or even"
            ));
        }
    };
    let flow_control = match fields.next() {
        None | Some("none") => FlowControl::None,
        Some("software") => FlowControl::Software,
        Some("hardware") => FlowControl::Hardware,
        Some(other) => {
            return Err(format!(
                "serial:{rest}: flow control {other:?} is not none, software or hardware"
            ));
        }
    };
    if let Some(extra) = fields.next() {
        return Err(format!("serial:{rest}: unexpected {extra:?}"));
    }
    Ok(SerialSettings {
        port,
        baud,
        parity,
        flow_control,
    })
}

impl fmt::Display for TransportSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportSpec::Queue(queue) => write!(f, "queue:{queue}"),
            TransportSpec::Tcp { host, port } => write!(f, "tcp:{host}:{port}"),
            TransportSpec::File(path) => write!(f, "file:{}", path.display()),
            TransportSpec::Serial(settings) => {
                use serialport::{FlowControl, Parity};
                write!(f, "serial:{}:{}", settings.port, settings.baud)?;
                let parity = match settings.parity {
                    Parity::None => "none",
                    Parity::Odd => "odd",
                    Parity::Even => "even",
                };
                let flow = match settings.flow_control {
                    FlowControl::None => "none",
                    FlowControl::Software => "software",
                    FlowControl::Hardware => "hardware",
                };
                if (parity, flow) != ("none", "none") {
                    write!(f, ":{parity}:{flow}")?;
                }
                Ok(())
            }
        }
    }
}

/// Appends each job to a file (the demo printer), flushed and synced to disk.
#[derive(Debug, Clone)]
pub struct FileTransport {
    pub path: PathBuf,
}

impl Transport for FileTransport {
    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }

    fn send(&mut self, job: &[u8]) -> io::Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(job)?;
        file.sync_data()
    }
}

/// Raw TCP (port 9100): one connection per job, every step bounded by `timeout`.
#[derive(Debug, Clone)]
pub struct TcpTransport {
    pub host: String,
    pub port: u16,
    pub timeout: Duration,
}

impl TcpTransport {
    fn connect(&self) -> io::Result<TcpStream> {
        let mut last_error = io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no address", self.describe()),
        );
        for address in (self.host.as_str(), self.port).to_socket_addrs()? {
            match TcpStream::connect_timeout(&address, self.timeout) {
                Ok(stream) => {
                    stream.set_write_timeout(Some(self.timeout))?;
                    stream.set_read_timeout(Some(self.timeout))?;
                    stream.set_nodelay(true)?;
                    return Ok(stream);
                }
                Err(error) => last_error = error,
            }
        }
        Err(io::Error::new(
            last_error.kind(),
            format!("{}: {last_error}", self.describe()),
        ))
    }
}

impl Transport for TcpTransport {
    fn describe(&self) -> String {
        format!("tcp:{}:{}", self.host, self.port)
    }

    fn send(&mut self, job: &[u8]) -> io::Result<()> {
        let mut stream = self.connect()?;
        tracing::debug!(to = %self.describe(), bytes = job.len(), "sending job");
        stream.write_all(job)?;
        stream.flush()?;
        stream.shutdown(std::net::Shutdown::Write)
    }

    fn exchange(
        &mut self,
        request: &[u8],
        complete: &dyn Fn(&[u8]) -> bool,
    ) -> Option<io::Result<Vec<u8>>> {
        let timeout = self.timeout;
        Some(self.connect().and_then(|mut stream| {
            stream.write_all(request)?;
            read_reply(&mut stream, complete, timeout)
        }))
    }
}

/// A serial or USB virtual COM port, opened exclusively on first use and kept open
/// (jobs and status requests share it); an I/O error closes it so the next use reopens.
pub struct SerialTransport {
    settings: SerialSettings,
    timeout: Duration,
    port: Option<Box<dyn serialport::SerialPort>>,
}

impl SerialTransport {
    pub fn new(settings: SerialSettings, timeout: Duration) -> SerialTransport {
        SerialTransport {
            settings,
            timeout,
            port: None,
        }
    }

    fn with_port<T>(
        &mut self,
        f: impl FnOnce(&mut dyn serialport::SerialPort, Duration) -> io::Result<T>,
    ) -> io::Result<T> {
        if self.port.is_none() {
            let port = serialport::new(&self.settings.port, self.settings.baud)
                .parity(self.settings.parity)
                .flow_control(self.settings.flow_control)
                .timeout(self.timeout)
                .open()
                .map_err(|error| io::Error::other(format!("{}: {error}", self.describe())))?;
            self.port = Some(port);
        }
        let port = self.port.as_mut().expect("opened above");
        let result = f(port.as_mut(), self.timeout);
        if result.is_err() {
            self.port = None;
        }
        result
    }
}

impl Transport for SerialTransport {
    fn describe(&self) -> String {
        TransportSpec::Serial(self.settings.clone()).to_string()
    }

    fn send(&mut self, job: &[u8]) -> io::Result<()> {
        self.with_port(|port, _| {
            port.write_all(job)?;
            port.flush()
        })
    }

    fn exchange(
        &mut self,
        request: &[u8],
        complete: &dyn Fn(&[u8]) -> bool,
    ) -> Option<io::Result<Vec<u8>>> {
        Some(self.with_port(|port, timeout| {
            port.write_all(request)?;
            port.flush()?;
            read_reply(port, complete, timeout)
        }))
    }
}

/// Reads until the reply is complete; a silent or closing peer is an error, never a wait forever.
fn read_reply(
    reader: &mut dyn Read,
    complete: &dyn Fn(&[u8]) -> bool,
    timeout: Duration,
) -> io::Result<Vec<u8>> {
    let deadline = Instant::now() + timeout;
    let mut reply = Vec::new();
    let mut buffer = [0u8; 256];
    while !complete(&reply) {
        if Instant::now() >= deadline {
            return Err(no_answer(timeout, &reply));
        }
        match reader.read(&mut buffer) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("the printer closed the link after {} bytes", reply.len()),
                ));
            }
            Ok(n) => reply.extend_from_slice(&buffer[..n]),
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                return Err(no_answer(timeout, &reply));
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    tracing::debug!(reply = ?String::from_utf8_lossy(&reply), "status reply");
    Ok(reply)
}

fn no_answer(timeout: Duration, partial: &[u8]) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "the printer did not answer within {} s ({} bytes received)",
            timeout.as_secs_f32(),
            partial.len()
        ),
    )
}

/// A system print queue by name: winspool RAW on Windows (`printers`), a CUPS raw queue
/// elsewhere (CUPS's own `lp`). The spooler accepts the job; it does not know whether paper came
/// out. Blocking: call it off the UI thread.
#[derive(Debug, Clone)]
pub struct QueueTransport {
    pub queue: String,
}

impl Transport for QueueTransport {
    fn describe(&self) -> String {
        format!("queue:{}", self.queue)
    }

    fn send(&mut self, job: &[u8]) -> io::Result<()> {
        let job_id = spool(&self.queue, job).map_err(|error| {
            io::Error::new(error.kind(), format!("{}: {error}", self.describe()))
        })?;
        tracing::debug!(queue = %self.queue, %job_id, bytes = job.len(), "spooled");
        Ok(())
    }
}

/// Hands `job` to the Windows spooler as RAW data; returns the job's id.
#[cfg(windows)]
fn spool(queue: &str, job: &[u8]) -> io::Result<String> {
    let printer = printers::get_printer_by_name(queue).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("no system print queue named {queue:?}"),
        )
    })?;
    let options = printers::common::base::job::PrinterJobOptions {
        name: Some("Box office ticket"),
        raw_properties: &[("document-format", "RAW")],
        converter: printers::common::converters::Converter::None,
    };
    let job_id = printer
        .print(job, options)
        .map_err(|error| io::Error::other(error.message))?;
    Ok(job_id.to_string())
}

/// Hands `job` to CUPS as a raw job (`lp -o raw`, which `application/vnd.cups-raw` means: no
/// filter); returns lp's answer ("request id is …"). CUPS's command rather than libcups through
/// `printers`: linking libcups loads 25 more libraries into every start of the window (their
/// symbols slow each later `dlopen`, the GL driver's among them: 5–9 ms of the first frame).
#[cfg(not(windows))]
fn spool(queue: &str, job: &[u8]) -> io::Result<String> {
    let out = run_cups(
        std::process::Command::new("lp").args([
            "-d",
            queue,
            "-o",
            "raw",
            "-t",
            "Box office ticket",
        ]),
        job,
    )?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(io::Error::other(format!(
            "{} ({})",
            said.trim(),
            out.status
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// How long CUPS's commands may take before a spooler that does not answer is reported (a stopped
/// or hung cupsd accepts the connection and never replies).
#[cfg(not(windows))]
const CUPS_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs one of CUPS's commands with `input` on its standard input, for at most [`CUPS_TIMEOUT`]
/// (then it is killed and the error says so); its output.
#[cfg(not(windows))]
fn run_cups(command: &mut std::process::Command, input: &[u8]) -> io::Result<std::process::Output> {
    use std::process::Stdio;
    let name = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("CUPS's {name} could not be started: {error}"),
            )
        })?;
    let (stdin, out, err) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    std::thread::scope(|scope| {
        // Written and read beside the wait, as `wait_with_output` does: a command that never reads
        // would block a write of more than a pipe holds, and one that says more than a pipe holds
        // would block until it is read. A write error (the command ended first) shows in its exit
        // status.
        if let Some(mut stdin) = stdin {
            scope.spawn(move || stdin.write_all(input).ok());
        }
        let (stdout, stderr) = (scope.spawn(|| drain(out)), scope.spawn(|| drain(err)));
        let status = wait_until(&mut child, Instant::now() + CUPS_TIMEOUT);
        if !matches!(status, Ok(Some(_))) {
            // Its pipes close with it, which ends the writer and the readers.
            child.kill().ok();
            child.wait().ok();
        }
        let (stdout, stderr) = (stdout.join(), stderr.join());
        match status? {
            Some(status) => Ok(std::process::Output {
                status,
                stdout: stdout.unwrap_or_default(),
                stderr: stderr.unwrap_or_default(),
            }),
            None => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "CUPS did not answer {name} within {} s",
                    CUPS_TIMEOUT.as_secs()
                ),
            )),
        }
    })
}

/// All a pipe says until it closes (what could be read, if reading fails).
#[cfg(not(windows))]
fn drain(pipe: Option<impl Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(mut pipe) = pipe {
        pipe.read_to_end(&mut bytes).ok();
    }
    bytes
}

/// `child`'s exit status, or `None` once `deadline` has passed.
#[cfg(not(windows))]
fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
) -> io::Result<Option<std::process::ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The names of the system's print queues, for the settings screen.
#[cfg(windows)]
pub fn system_queues() -> Vec<String> {
    printers::get_printers()
        .into_iter()
        .map(|printer| printer.name)
        .collect()
}

/// The names of the system's print queues, for the settings screen (`lpstat -e`; none when
/// CUPS is not there or does not answer).
#[cfg(not(windows))]
pub fn system_queues() -> Vec<String> {
    run_cups(std::process::Command::new("lpstat").arg("-e"), &[])
        .ok()
        .filter(|out| out.status.success())
        .map(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_transport_appends_jobs() {
        let dir = std::env::temp_dir().join(format!("pc43d-test-{}", std::process::id()));
        let path = dir.join("spool.prn");
        // A spool left by an earlier run, if any.
        std::fs::remove_file(&path).ok();
        let mut transport = FileTransport { path: path.clone() };
        transport.send(b"ONE\r\n").unwrap();
        transport.send(b"TWO\r\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"ONE\r\nTWO\r\n");
        assert!(transport.describe().starts_with("file:"));
        assert!(transport.exchange(b"?", &|_| true).is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn transport_specs_round_trip() {
        for spec in [
            "queue:NetTicket.fi – Lippu",
            "tcp:10.0.0.5:9100",
            "serial:/dev/ttyUSB0:9600",
            "serial:COM3:19200:even:hardware",
            "file:/tmp/out.prn",
        ] {
            assert_eq!(TransportSpec::parse(spec).unwrap().to_string(), spec);
        }
        assert_eq!(
            TransportSpec::parse("serial:COM3").unwrap().to_string(),
            "serial:COM3:115200"
        );
        for bad in [
            "tcp:host",
            "tcp:host:99999",
            "tcp::9100",
            "serial:COM3:fast",
            "serial:COM3:9600:mark",
            "lpt:1",
            "queue:",
            "nothing",
        ] {
            assert!(TransportSpec::parse(bad).is_err(), "{bad} must be refused");
        }
        assert!(TransportSpec::parse("tcp:h:9100").unwrap().bidirectional());
        assert!(!TransportSpec::parse("queue:q").unwrap().bidirectional());
    }
}
