//! Intermec/Honeywell PC43d ticket printer (203 dpi, 832 dots ≈ 104 mm wide).
//!
//! [`Label`] is the device-neutral layout (positions in dots); [`fingerprint::encode`]
//! turns it into Fingerprint / Direct Protocol statements and [`zpl::encode`] into ZPL
//! for the printer's ZSim mode. Encoders and the status parsers are pure functions;
//! where the bytes go is a [`Transport`] (file, raw TCP, serial, system print queue).

pub mod fingerprint;
pub mod status;
mod transport;
pub mod zpl;

pub use status::{Condition, PrinterStatus};
pub use transport::{
    DEFAULT_TIMEOUT, FileTransport, QueueTransport, SerialSettings, SerialTransport, StatusError,
    TcpTransport, Transport, TransportSpec, query_status, system_queues,
};

/// The command language a printer is driven in; chosen per printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Fingerprint / Direct Protocol, the PC43d's own language.
    Fingerprint,
    /// ZPL II, for the printer's ZSim emulation.
    Zpl,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Fingerprint, Language::Zpl];

    pub fn code(self) -> &'static str {
        match self {
            Language::Fingerprint => "fingerprint",
            Language::Zpl => "zpl",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|language| language.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The complete job for one label in this language.
    pub fn encode(self, label: &Label) -> Vec<u8> {
        match self {
            Language::Fingerprint => fingerprint::encode(label),
            Language::Zpl => zpl::encode(label),
        }
    }
}

/// Print width of the PC43d in dots (104 mm at 203 dpi).
pub const PRINT_WIDTH_DOTS: u32 = 832;

/// One ticket: a canvas in dots with text and a QR code on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub width_dots: u32,
    pub height_dots: u32,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// The position is the top-left corner of the text.
    Left,
    /// The position is the top-centre of the text.
    Center,
    /// The position is the top-right corner of the text.
    Right,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Font {
    /// A printer-resident font that covers å ä ö Å Ä Ö é (else error 1030).
    pub name: &'static str,
    pub size_points: u32,
}

impl Font {
    pub const fn regular(size_points: u32) -> Self {
        Font {
            name: "Univers",
            size_points,
        }
    }

    pub const fn bold(size_points: u32) -> Self {
        Font {
            name: "Univers Bold",
            size_points,
        }
    }

    pub fn is_bold(&self) -> bool {
        self.name.ends_with("Bold")
    }

    /// Height of a line of this font in dots (points at 203 dpi, plus leading).
    pub fn line_height_dots(&self) -> u32 {
        self.size_points * 203 / 72 + 6
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    Text {
        x_dots: u32,
        y_dots: u32,
        align: Align,
        font: Font,
        text: String,
    },
    /// A QR code; `module_dots` is the size of one module.
    Qr {
        x_dots: u32,
        y_dots: u32,
        module_dots: u32,
        data: String,
    },
    /// A horizontal rule.
    Rule {
        x_dots: u32,
        y_dots: u32,
        length_dots: u32,
        thickness_dots: u32,
    },
}
