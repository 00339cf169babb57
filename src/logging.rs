//! Logs with `tracing` to daily rolling files in `<data dir>/logs/`, and the support report's
//! view of them. Nothing secret is logged; the report redacts again to be sure.

use std::path::{Path, PathBuf};

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

const LOG_PREFIX: &str = "boxoffice.log";

pub fn log_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Info and above to the rolling file; `RUST_LOG` also to standard error (`stderr_default`
/// when unset: "off" for the command line, "info" for the GUI).
pub fn init(data_dir: &Path, stderr_default: &str) {
    let stderr_filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(stderr_default));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(stderr_filter);
    let file = std::fs::create_dir_all(log_dir(data_dir)).ok().map(|()| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(tracing_appender::rolling::daily(
                log_dir(data_dir),
                LOG_PREFIX,
            ))
            .with_filter(EnvFilter::new("info"))
    });
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
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

/// Masks what must never leave the machine: runs of 13–19 digits (card numbers) and the values
/// of fields named like secrets.
pub fn redact(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run = i - start;
            if (13..=19).contains(&run) {
                out.push_str(&"*".repeat(run));
            } else {
                out.extend(&chars[start..i]);
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
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
            Some((key, _))
                if SECRET_KEYS
                    .iter()
                    .any(|secret| key.to_ascii_lowercase().contains(secret)) =>
            {
                redacted.push_str(key);
                redacted.push_str("=***");
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
            "card **************** order 1234 secret=*** pin=*** ok=1"
        );
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
