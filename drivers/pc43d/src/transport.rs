use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

/// Where encoded bytes go. Implementations: file (here); queue, TCP and serial come with the printing work.
pub trait Transport {
    /// A short description for logs and the print log, e.g. `file:/tmp/out.prn`.
    fn describe(&self) -> String;
    /// Hands one job to the device. Returns when the bytes are handed over, not when paper came out.
    fn send(&mut self, job: &[u8]) -> io::Result<()>;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_transport_appends_jobs() {
        let dir = std::env::temp_dir().join(format!("pc43d-test-{}", std::process::id()));
        let path = dir.join("spool.prn");
        let _ = std::fs::remove_file(&path);
        let mut transport = FileTransport { path: path.clone() };
        transport.send(b"ONE\r\n").unwrap();
        transport.send(b"TWO\r\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"ONE\r\nTWO\r\n");
        assert!(transport.describe().starts_with("file:"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
