//! A real SMTP server for tests (aiosmtpd on a free loopback port), a test CA, and the
//! independent reader of received mail (`tests/mail/inspect_mail.py`).

use super::Bounded;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::stderr;

/// A running aiosmtpd; killed when dropped.
pub struct SmtpServer {
    child: Child,
    out: PathBuf,
}

impl SmtpServer {
    pub fn start(port: u16, out: &Path, options: &[&str]) -> SmtpServer {
        std::fs::create_dir_all(out).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mail/smtp_server.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--out"])
            .arg(out)
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd (scripts/setup-debian.sh installs python3-aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpServer {
            child,
            out: out.to_path_buf(),
        }
    }

    pub fn messages(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        found.sort();
        found
    }

    pub fn envelope(&self, message: &Path) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(message.with_extension("json")).unwrap()).unwrap()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A small CA and a leaf for 127.0.0.1/localhost signed by it (rustls refuses a bare
/// self-signed server certificate), written as PEM files.
pub struct Pki {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

pub fn pki(dir: &Path) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Box office test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    leaf_params
        .subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();
    let paths = Pki {
        ca: dir.join("ca.pem"),
        cert: dir.join("leaf.pem"),
        key: dir.join("leaf.key"),
    };
    std::fs::write(&paths.ca, ca.pem()).unwrap();
    std::fs::write(&paths.cert, leaf.pem()).unwrap();
    std::fs::write(&paths.key, leaf_key.serialize_pem()).unwrap();
    paths
}

/// What `tests/mail/inspect_mail.py` finds in a received message (JSON).
pub fn inspect(message: &Path, txt_record: Option<&Path>) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mail/inspect_mail.py");
    let mut command = Command::new("/usr/bin/python3");
    command.arg(script).arg(message);
    if let Some(record) = txt_record {
        command.arg(record);
    }
    let out = command.output_bounded().unwrap();
    assert!(out.status.success(), "inspect_mail: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A local HTTP SMS gateway (`tests/mail/http_gateway.py`); killed when dropped.
pub struct HttpGateway {
    child: Child,
    out: PathBuf,
}

impl HttpGateway {
    pub fn start(port: u16, out: &Path, status: u16) -> HttpGateway {
        std::fs::create_dir_all(out).unwrap();
        let mut child = Command::new("/usr/bin/python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/mail/http_gateway.py"
            ))
            .args([
                "--port",
                &port.to_string(),
                "--status",
                &status.to_string(),
                "--out",
            ])
            .arg(out)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the HTTP gateway");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready");
        HttpGateway {
            child,
            out: out.to_path_buf(),
        }
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for HttpGateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
