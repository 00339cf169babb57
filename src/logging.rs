//! Logs with `tracing` to daily rolling files in `<data dir>/logs/`, and the support report's
//! view of them. Nothing secret is logged; the report redacts again to be sure.

use std::io::Write;
use std::path::{Path, PathBuf};

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

const LOG_PREFIX: &str = "boxoffice.log";

pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Info and above to the rolling file; `RUST_LOG` also to standard error (`stderr_default`
/// when unset: "off" for the command line, "info" for the GUI). Every line passes [`redact`]
/// before any writer sees it. When the log directory cannot be written, the program says so
/// once and logs to standard error instead (at least warnings), and goes on.
pub fn init(data_dir: &Path, stderr_default: &str) {
    let file = match open_log_file(data_dir) {
        Ok(appender) => Some(appender),
        Err(error) => {
            eprintln!(
                "boxoffice: the log directory {} cannot be written ({error}); logging to standard error",
                log_dir(data_dir).display()
            );
            None
        }
    };
    let fallback = if file.is_some() || stderr_default != "off" {
        stderr_default
    } else {
        "warn"
    };
    let stderr_filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(fallback));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(Redacting(std::io::stderr))
        .with_filter(stderr_filter);
    let file = file.map(|appender| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(Redacting(appender))
            .with_filter(EnvFilter::new("info"))
    });
    // A second init (tests start the app more than once) keeps the first subscriber.
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init()
        .ok();
}

fn open_log_file(data_dir: &Path) -> Result<RollingFileAppender, String> {
    std::fs::create_dir_all(log_dir(data_dir)).map_err(|e| e.to_string())?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_PREFIX)
        .build(log_dir(data_dir))
        .map_err(|e| e.to_string())
}

/// A [`MakeWriter`] whose writers pass what they are given through [`redact`]: the fmt layer
/// writes each event whole, so a card number or a secret field never reaches `M` in clear.
struct Redacting<M>(M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .write_all(redact(&String::from_utf8_lossy(buf)).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The last `n` lines over the rolling files, oldest first.
pub fn last_lines(data_dir: &Path, n: usize) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(log_dir(data_dir)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(LOG_PREFIX))
        })
        .collect();
    files.sort();
    let mut lines: Vec<String> = Vec::new();
    for file in files.iter().rev() {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let mut chunk: Vec<String> = text.lines().map(str::to_string).collect();
        chunk.append(&mut lines);
        lines = chunk;
        if lines.len() >= n {
            break;
        }
    }
    let skip = lines.len().saturating_sub(n);
    lines.split_off(skip)
}

/// Masks what must never leave the machine: card numbers (runs of 13 or more digits, however
/// grouped: the link's own mask) and the values of fields named like secrets.
pub fn redact(line: &str) -> String {
    let out = emv_agent::message::mask_card_numbers(line);
    const SECRET_KEYS: [&str; 6] = [
        "secret",
        "password",
        "pin",
        "verifycode",
        "tarkiste",
        "token",
    ];
    let mut redacted = String::with_capacity(out.len());
    for (index, word) in out.split(' ').enumerate() {
        if index > 0 {
            redacted.push(' ');
        }
        match word.split_once('=') {
            Some((key, value))
                if SECRET_KEYS
                    .iter()
                    .any(|secret| key.to_ascii_lowercase().contains(secret)) =>
            {
                redacted.push_str(key);
                redacted.push_str("=***");
                // A line's end (or a tab) after the value stays: log lines stay lines.
                let tail = value
                    .find(char::is_whitespace)
                    .map_or("", |at| &value[at..]);
                redacted.push_str(tail);
            }
            _ => redacted.push_str(word),
        }
    }
    redacted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_masks_card_numbers_and_secret_fields() {
        assert_eq!(
            redact("card 4111111111111111 order 1234 secret=abc pin=1111 ok=1"),
            "card ************1111 order 1234 secret=*** pin=*** ok=1"
        );
        assert_eq!(
            redact("AuthorizedAmount 4111.1111.1111.1111 and 4111\t1111\t1111\t1111"),
            "AuthorizedAmount ************1111 and ************1111"
        );
    }

    #[test]
    fn the_writer_redacts_before_the_file_sees_a_line() {
        let mut file = Vec::new();
        RedactingWriter(&mut file)
            .write_all(b"malformed message: AuthorizedAmount 4111 1111 1111 1111 password=x\n")
            .unwrap();
        let text = String::from_utf8(file).unwrap();
        assert!(!text.contains("4111 1111 1111 1111"), "{text}");
        assert!(text.ends_with("password=***\n"), "{text}");
        assert!(text.contains("************1111"), "{text}");
    }

    #[test]
    fn last_lines_span_the_rolling_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(log_dir(dir.path())).unwrap();
        std::fs::write(
            log_dir(dir.path()).join("boxoffice.log.2026-11-24"),
            "a\nb\nc\n",
        )
        .unwrap();
        std::fs::write(
            log_dir(dir.path()).join("boxoffice.log.2026-11-25"),
            "d\ne\n",
        )
        .unwrap();
        assert_eq!(last_lines(dir.path(), 3), ["c", "d", "e"]);
        assert_eq!(last_lines(dir.path(), 10).len(), 5);
    }
}
