//! Printer status on bidirectional links (TCP, serial): the request to send and a pure
//! parser for the reply, per language.
//!
//! * Fingerprint / Direct Protocol: `? PRSTAT` (`?` is `PRINT`) answers one decimal
//!   number and CR LF, the sum of: 1 printhead lifted, 2 label not removed, 4 label
//!   stop sensor detects no media, 8 out of transfer ribbon, 16 printhead voltage too
//!   high, 32 feeding, 128 out of media (Direct Protocol 8.60 reference, "Reading the
//!   Printer's Status").
//! * ZPL: `~HS` answers three strings, each `STX … ETX CR LF`. In the first, field 2 is
//!   the paper-out flag and field 3 the pause flag; in the second, field 3 is the
//!   head-up flag and field 4 the ribbon-out flag.

use std::fmt;

use crate::Language;

/// Something that stops (or may stop) the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    HeadOpen,
    PaperOut,
    RibbonOut,
    LabelNotRemoved,
    HeadVoltageTooHigh,
    Paused,
}

/// What the printer said about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrinterStatus {
    pub conditions: Vec<Condition>,
}

impl PrinterStatus {
    pub fn ready(&self) -> bool {
        self.conditions.is_empty()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Condition::HeadOpen => "head open",
            Condition::PaperOut => "paper out",
            Condition::RibbonOut => "ribbon out",
            Condition::LabelNotRemoved => "label not removed",
            Condition::HeadVoltageTooHigh => "printhead voltage too high",
            Condition::Paused => "paused",
        })
    }
}

/// A reply that is not what the language defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedStatus(pub String);

impl fmt::Display for MalformedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed status reply: {}", self.0)
    }
}

impl std::error::Error for MalformedStatus {}

/// The bytes that ask the printer for its status.
pub fn request(language: Language) -> &'static [u8] {
    match language {
        Language::Fingerprint => b"? PRSTAT\r\n",
        Language::Zpl => b"~HS\r\n",
    }
}

/// Whether `reply` holds a whole answer (so reading can stop before the timeout).
pub fn reply_complete(language: Language, reply: &[u8]) -> bool {
    match language {
        Language::Fingerprint => reply.contains(&b'\n'),
        Language::Zpl => reply.iter().filter(|b| **b == 0x03).count() >= 3,
    }
}

/// Parses a whole reply.
pub fn parse(language: Language, reply: &[u8]) -> Result<PrinterStatus, MalformedStatus> {
    let text = std::str::from_utf8(reply)
        .map_err(|_| MalformedStatus(format!("not text: {}", hex(reply))))?;
    match language {
        Language::Fingerprint => parse_prstat(text),
        Language::Zpl => parse_host_status(text),
    }
}

fn parse_prstat(text: &str) -> Result<PrinterStatus, MalformedStatus> {
    let line = text.lines().next().unwrap_or("").trim();
    let value: u32 = line
        .parse()
        .map_err(|_| MalformedStatus(format!("expected a number, got {line:?}")))?;
    let mut conditions = Vec::new();
    let bits = [
        (1, Condition::HeadOpen),
        (2, Condition::LabelNotRemoved),
        (4, Condition::PaperOut),
        (8, Condition::RibbonOut),
        (16, Condition::HeadVoltageTooHigh),
        (128, Condition::PaperOut),
    ];
    for (bit, condition) in bits {
        if value & bit != 0 && !conditions.contains(&condition) {
            conditions.push(condition);
        }
    }
    Ok(PrinterStatus { conditions })
}

fn parse_host_status(text: &str) -> Result<PrinterStatus, MalformedStatus> {
    let strings: Vec<Vec<&str>> = text
        .split('\u{2}')
        .skip(1)
        .map(|part| {
            part.split('\u{3}')
                .next()
                .unwrap_or("")
                .split(',')
                .collect()
        })
        .collect();
    let flag = |string: usize, field: usize| -> Result<bool, MalformedStatus> {
        match strings
            .get(string)
            .and_then(|s| s.get(field))
            .map(|f| f.trim())
        {
            Some("0") => Ok(false),
            Some("1") => Ok(true),
            other => Err(MalformedStatus(format!(
                "~HS string {} field {} is {other:?}",
                string + 1,
                field + 1
            ))),
        }
    };
    if strings.len() < 2 {
        return Err(MalformedStatus(format!(
            "expected three STX…ETX strings, got {text:?}"
        )));
    }
    let mut conditions = Vec::new();
    if flag(0, 1)? {
        conditions.push(Condition::PaperOut);
    }
    if flag(0, 2)? {
        conditions.push(Condition::Paused);
    }
    if flag(1, 2)? {
        conditions.push(Condition::HeadOpen);
    }
    if flag(1, 3)? {
        conditions.push(Condition::RibbonOut);
    }
    Ok(PrinterStatus { conditions })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_prstat_bits() {
        assert!(parse(Language::Fingerprint, b"0\r\n").unwrap().ready());
        assert_eq!(
            parse(Language::Fingerprint, b"5\r\n").unwrap().conditions,
            vec![Condition::HeadOpen, Condition::PaperOut]
        );
        // 32 (feeding) is not a fault.
        assert!(parse(Language::Fingerprint, b"32\r\n").unwrap().ready());
        assert!(parse(Language::Fingerprint, b"Ok\r\n").is_err());
        assert!(reply_complete(Language::Fingerprint, b"4\r\n"));
        assert!(!reply_complete(Language::Fingerprint, b"4"));
    }

    #[test]
    fn zpl_host_status_flags() {
        let ready = b"\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n";
        assert!(reply_complete(Language::Zpl, ready));
        assert!(parse(Language::Zpl, ready).unwrap().ready());
        let paper_out_head_open = b"\x02030,1,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n";
        assert_eq!(
            parse(Language::Zpl, paper_out_head_open)
                .unwrap()
                .conditions,
            vec![Condition::PaperOut, Condition::HeadOpen]
        );
        assert!(parse(Language::Zpl, b"garbage").is_err());
        assert!(parse(Language::Zpl, b"\x02030,x\x03\x02\x03").is_err());
    }
}
