//! What a line of the status screen says, as data: the screen writes it in the user's language
//! (fi/sv/en, dates in local time); the support report and `doctor` keep the English `detail`.

use crate::i18n::{Lang, date_time_text};

/// The fact behind a status line. `None` on a line means its detail is a text from outside
/// (an operating system's or a server's error), shown as it came.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum StatusFact {
    /// A TCP connection to `address` (host:port) opened.
    Reachable {
        address: String,
    },
    /// It did not, for the system's `error`.
    Unreachable {
        address: String,
        error: String,
    },
    /// The ledger's directory is writable with this much free.
    DiskFree {
        path: String,
        megabytes: u64,
    },
    /// Writable; the free space cannot be told on this platform.
    DiskWritable {
        path: String,
    },
    DiskNotWritable {
        path: String,
        error: String,
    },
    /// The sending mail server and the outbox's counts.
    Mail {
        server: String,
        host: String,
        port: u16,
        security: String,
        queued: i64,
        retry: i64,
        failed: i64,
        sent: i64,
    },
    /// A card terminal (`agent` or `nets_cloud`) that answers.
    TerminalAnswers {
        kind: String,
        address: String,
    },
    /// It answers but takes no payment until these attempts are resolved.
    TerminalBlocked {
        kind: String,
        address: String,
        payments: Vec<String>,
    },
    /// It does not answer, for `reason`.
    TerminalDown {
        kind: String,
        address: String,
        reason: String,
    },
    /// The shared ledger answers.
    SharedAnswers,
    /// Out of reach since this time (RFC 3339).
    SharedDown {
        since: String,
    },
    /// The demo's simulated bank, on this computer.
    DemoBank,
    /// The bank's reply to a payment was verified.
    BankReplyVerified,
    /// What the bank's endpoints did (a query answered or refused, an address unreachable).
    Bank(crate::app::bank::fact::BankFact),
    /// The last print job reached the printer (`sent`) or the system's queue (`spooled`).
    Printed {
        transport: String,
        spooled: bool,
    },
}

/// The detail the demo bank's line is recorded with (the ledger keeps the English text).
pub const DEMO_BANK_DETAIL: &str = "demo: a simulated bank on this computer";
/// The detail a verified bank reply is recorded with.
pub const BANK_REPLY_DETAIL: &str = "verified reply received";

fn pick(lang: Lang, texts: [&'static str; 3]) -> &'static str {
    texts[lang as usize]
}

impl StatusFact {
    /// The fact behind a detail recorded in the ledger, where the detail is one of ours.
    pub fn of_recorded(detail: &str) -> Option<StatusFact> {
        match detail {
            DEMO_BANK_DETAIL => Some(StatusFact::DemoBank),
            BANK_REPLY_DETAIL => Some(StatusFact::BankReplyVerified),
            // A printer's line: "<transport>: sent" or "<transport>: spooled" (a failure
            // carries the system's error and is shown as it came).
            _ => {
                let printed = detail
                    .rsplit_once(": ")
                    .filter(|(_, code)| matches!(*code, "sent" | "spooled"));
                let Some((transport, code)) = printed else {
                    return crate::app::bank::fact::BankFact::of_recorded(detail)
                        .map(StatusFact::Bank);
                };
                let spooled = code == "spooled";
                Some(StatusFact::Printed {
                    transport: transport.to_string(),
                    spooled,
                })
            }
        }
    }

    /// The fact in `lang`, dates in local time.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            StatusFact::Reachable { address } => format!(
                "{address} {}",
                pick(lang, ["vastaa", "svarar", "reachable"])
            ),
            StatusFact::Unreachable { address, error } => format!(
                "{address} {} ({error})",
                pick(lang, ["ei vastaa", "svarar inte", "unreachable"])
            ),
            StatusFact::DiskFree { path, megabytes } => format!(
                "{path}: {megabytes} {}",
                pick(lang, ["Mt vapaana", "MB ledigt", "MB free"])
            ),
            StatusFact::DiskWritable { path } => format!(
                "{path}: {}",
                pick(lang, ["kirjoitettavissa", "skrivbar", "writable"])
            ),
            StatusFact::DiskNotWritable { path, error } => format!(
                "{path}: {} ({error})",
                pick(
                    lang,
                    ["ei kirjoitettavissa", "inte skrivbar", "not writable"]
                )
            ),
            StatusFact::Mail { .. } => self.mail_text(lang),
            StatusFact::TerminalAnswers { .. }
            | StatusFact::TerminalBlocked { .. }
            | StatusFact::TerminalDown { .. } => self.terminal_text(lang),
            StatusFact::SharedAnswers => pick(lang, ["vastaa", "svarar", "answers"]).to_string(),
            StatusFact::SharedDown { since } => format!(
                "{} {}",
                pick(
                    lang,
                    [
                        "ei tavoitettavissa alkaen",
                        "utom räckhåll sedan",
                        "out of reach since"
                    ]
                ),
                date_time_text(since, lang)
            ),
            StatusFact::DemoBank => pick(
                lang,
                [
                    "esittely: simuloitu pankki tällä tietokoneella",
                    "demo: en simulerad bank på den här datorn",
                    "demo: a simulated bank on this computer",
                ],
            )
            .to_string(),
            StatusFact::Printed { transport, spooled } => format!(
                "{transport}: {}",
                if *spooled {
                    pick(lang, ["tulostusjonossa", "i utskriftskön", "spooled"])
                } else {
                    pick(lang, ["lähetetty", "skickad", "sent"])
                }
            ),
            StatusFact::Bank(fact) => fact.text(lang),
            StatusFact::BankReplyVerified => pick(
                lang,
                [
                    "pankin vastaus tarkistettu",
                    "bankens svar verifierat",
                    "the bank's reply verified",
                ],
            )
            .to_string(),
        }
    }

    fn terminal_text(&self, lang: Lang) -> String {
        match self {
            StatusFact::TerminalAnswers { kind, address } => format!(
                "{} {address}: {}",
                terminal_kind(lang, kind),
                pick(lang, ["vastaa", "svarar", "answers"])
            ),
            StatusFact::TerminalBlocked {
                kind,
                address,
                payments,
            } => format!(
                "{} {address}: {} {}",
                terminal_kind(lang, kind),
                pick(
                    lang,
                    [
                        "vastaa, mutta selvittämättömät maksut estävät:",
                        "svarar, men olösta betalningar blockerar:",
                        "answers, but blocked by unresolved payments:",
                    ]
                ),
                payments.join(", ")
            ),
            StatusFact::TerminalDown {
                kind,
                address,
                reason,
            } => format!(
                "{} {address}: {} ({reason})",
                terminal_kind(lang, kind),
                pick(lang, ["ei vastaa", "svarar inte", "does not answer"])
            ),
            _ => String::new(),
        }
    }

    fn mail_text(&self, lang: Lang) -> String {
        let StatusFact::Mail {
            server,
            host,
            port,
            security,
            queued,
            retry,
            failed,
            sent,
        } = self
        else {
            return String::new();
        };
        let [queued_word, retry_word, failed_word, sent_word] = match lang {
            Lang::Fi => [
                "jonossa",
                "uudelleen yritettäviä",
                "epäonnistuneita",
                "lähetetty",
            ],
            Lang::Sv => ["i kö", "att försöka igen", "misslyckade", "skickade"],
            Lang::En => ["queued", "to retry", "failed", "sent"],
        };
        let security = match security.as_str() {
            "none" => pick(lang, ["ei salausta", "ingen kryptering", "no encryption"]),
            other => other,
        };
        format!(
            "{server} {host}:{port} ({security}); {}: {queued} {queued_word}, {retry} {retry_word}, {failed} {failed_word}, {sent} {sent_word}",
            pick(lang, ["lähtevät", "utkorg", "outbox"])
        )
    }
}

/// A card terminal's kind for people.
fn terminal_kind(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "nets_cloud" => "Nets Connect@Cloud",
        _ => pick(lang, ["Agentti", "Agent", "Agent"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_reads_in_the_users_language() {
        let mail = StatusFact::Mail {
            server: "builtin".into(),
            host: "localhost".into(),
            port: 25,
            security: "none".into(),
            queued: 0,
            retry: 1,
            failed: 0,
            sent: 3,
        };
        assert_eq!(
            mail.text(Lang::Fi),
            "builtin localhost:25 (ei salausta); lähtevät: 0 jonossa, 1 uudelleen yritettäviä, 0 epäonnistuneita, 3 lähetetty"
        );
        assert!(mail.text(Lang::Sv).contains("1 att försöka igen"));
        let disk = StatusFact::DiskFree {
            path: "/data".into(),
            megabytes: 38588,
        };
        assert_eq!(disk.text(Lang::Sv), "/data: 38588 MB ledigt");
        assert_eq!(
            StatusFact::of_recorded(DEMO_BANK_DETAIL).map(|f| f.text(Lang::Fi)),
            Some("esittely: simuloitu pankki tällä tietokoneella".to_string())
        );
        assert_eq!(
            StatusFact::of_recorded("file:/tmp/pc43d.prn: sent").map(|f| f.text(Lang::Sv)),
            Some("file:/tmp/pc43d.prn: skickad".to_string())
        );
        assert_eq!(StatusFact::of_recorded("tcp:10.0.0.5:9100: refused"), None);
        let down = StatusFact::SharedDown {
            since: "2026-12-01T18:04:05+02:00".into(),
        };
        assert!(
            !down.text(Lang::Fi).contains("T18"),
            "{}",
            down.text(Lang::Fi)
        );
    }
}
