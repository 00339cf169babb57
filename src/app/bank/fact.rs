//! What the bank's endpoints did, as the status screen and the reservation check say it: the
//! ledger keeps one English sentence per status (the CLI and the support report show it as it
//! is), and [`BankFact::of_recorded`] reads that sentence back so the screen says it in the
//! user's language. [`BankFact::recorded`] writes every such sentence, so the two cannot drift.

use crate::i18n::Lang;

/// Which of the bank's addresses answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Answerer {
    pub url: String,
    /// Why the primary address was not used, when the alternative answered.
    pub primary_failed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BankFact {
    /// The bank answered the payment query.
    Answered(Answerer),
    /// The bank refused the query with a return code other than paid or not paid.
    Refused {
        by: Option<Answerer>,
        code: String,
        /// The bank's own ReturnText, as it came.
        bank_text: Option<String>,
    },
    /// The bank answered with a reply that failed our checks (the check's sentence).
    BadReply { by: Answerer, error: String },
    /// No address of the bank answered: (URL, what went wrong), in the order tried.
    Unreachable { attempts: Vec<(String, String)> },
    /// The payment page's primary address was unreachable; customers go to the alternative.
    PageAlternative { error: String, alternative: String },
    /// The customer's browser brought back a reply that was refused (our sentence).
    ReplyRefused { error: String },
}

const ANSWERED: &str = " answered";
const VIA_ALTERNATIVE: &str = " answered (alternative; the primary failed: ";
const RETURN_CODE: &str = "return code ";
const THEN: &str = "; then ";
const PAGE_ALTERNATIVE: (&str, &str) = (
    "primary unreachable (",
    "); customers sent to the alternative ",
);
const REPLY_REFUSED: &str = "reply refused: ";

fn pick(lang: Lang, texts: [&'static str; 3]) -> &'static str {
    texts[lang as usize]
}

impl Answerer {
    fn recorded(&self) -> String {
        match &self.primary_failed {
            Some(failure) => format!("{}{VIA_ALTERNATIVE}{failure})", self.url),
            None => format!("{}{ANSWERED}", self.url),
        }
    }

    fn parse(text: &str) -> Option<Answerer> {
        if let Some((url, rest)) = text.split_once(VIA_ALTERNATIVE) {
            let failure = rest.strip_suffix(')')?;
            return Some(Answerer {
                url: url_only(url)?,
                primary_failed: Some(failure.to_string()),
            });
        }
        Some(Answerer {
            url: url_only(text.strip_suffix(ANSWERED)?)?,
            primary_failed: None,
        })
    }

    fn text(&self, lang: Lang) -> String {
        match &self.primary_failed {
            Some(failure) => format!(
                "{} {} {failure})",
                self.url,
                pick(
                    lang,
                    [
                        "vastasi (varaosoite; ensisijainen ei vastannut:",
                        "svarade (reservadressen; den primära svarade inte:",
                        "answered (the alternative; the primary failed:",
                    ]
                ),
            ),
            None => format!(
                "{} {}",
                self.url,
                pick(lang, ["vastasi", "svarade", "answered"])
            ),
        }
    }
}

/// `text` when it is a whole web address (no spaces), else nothing.
fn url_only(text: &str) -> Option<String> {
    (text.starts_with("http") && !text.contains(char::is_whitespace)).then(|| text.to_string())
}

impl BankFact {
    /// The English sentence the ledger keeps for this fact.
    pub fn recorded(&self) -> String {
        match self {
            BankFact::Answered(by) => by.recorded(),
            BankFact::Refused {
                by,
                code,
                bank_text,
            } => {
                let meaning = crate::payments::query::return_code_meaning(code);
                let refused = match bank_text {
                    Some(text) => format!("{RETURN_CODE}{code}: {meaning} ({text})"),
                    None => format!("{RETURN_CODE}{code}: {meaning}"),
                };
                match by {
                    Some(by) => format!("{}: {refused}", by.recorded()),
                    None => refused,
                }
            }
            BankFact::BadReply { by, error } => format!("{}: {error}", by.recorded()),
            BankFact::Unreachable { attempts } => attempts
                .iter()
                .map(|(url, error)| format!("{url}: {error}"))
                .collect::<Vec<_>>()
                .join(THEN),
            BankFact::PageAlternative { error, alternative } => format!(
                "{}{error}{}{alternative}",
                PAGE_ALTERNATIVE.0, PAGE_ALTERNATIVE.1
            ),
            BankFact::ReplyRefused { error } => format!("{REPLY_REFUSED}{error}"),
        }
    }

    /// The fact behind a recorded sentence, when it is one of ours.
    pub fn of_recorded(detail: &str) -> Option<BankFact> {
        if let Some(error) = detail.strip_prefix(REPLY_REFUSED) {
            return Some(BankFact::ReplyRefused {
                error: error.to_string(),
            });
        }
        if let Some(rest) = detail.strip_prefix(PAGE_ALTERNATIVE.0) {
            let (error, alternative) = rest.rsplit_once(PAGE_ALTERNATIVE.1)?;
            return Some(BankFact::PageAlternative {
                error: error.to_string(),
                alternative: url_only(alternative)?,
            });
        }
        if let Some(refused) = Self::parse_refused(detail) {
            return Some(refused);
        }
        if let Some(by) = Answerer::parse(detail) {
            return Some(BankFact::Answered(by));
        }
        if let Some(fact) = Self::parse_bad_reply(detail) {
            return Some(fact);
        }
        let attempts = detail
            .split(THEN)
            .map(|attempt| {
                let (url, error) = attempt.split_once(": ")?;
                Some((url_only(url)?, error.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(BankFact::Unreachable { attempts })
    }

    fn parse_refused(detail: &str) -> Option<BankFact> {
        let (by, refused) = match detail.split_once(&format!(": {RETURN_CODE}")) {
            Some((by, refused)) => (Some(Answerer::parse(by)?), refused),
            None => (None, detail.strip_prefix(RETURN_CODE)?),
        };
        let (code, meaning) = refused.split_once(": ")?;
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let known = crate::payments::query::return_code_meaning(code);
        let rest = meaning.strip_prefix(known)?;
        let bank_text = match rest {
            "" => None,
            _ => Some(rest.strip_prefix(" (")?.strip_suffix(')')?.to_string()),
        };
        Some(BankFact::Refused {
            by,
            code: code.to_string(),
            bank_text,
        })
    }

    fn parse_bad_reply(detail: &str) -> Option<BankFact> {
        // "<url> answered[ (alternative; …)]: <our check's sentence>"
        let at = detail.find(ANSWERED)?;
        let (head, _) = detail.split_at(at);
        let rest = &detail[at..];
        let (answered, error) = match rest.strip_prefix(VIA_ALTERNATIVE) {
            Some(tail) => {
                let (failure, error) = tail.split_once("): ")?;
                (format!("{head}{VIA_ALTERNATIVE}{failure})"), error)
            }
            None => (
                format!("{head}{ANSWERED}"),
                rest.strip_prefix(ANSWERED)?.strip_prefix(": ")?,
            ),
        };
        Some(BankFact::BadReply {
            by: Answerer::parse(&answered)?,
            error: error.to_string(),
        })
    }

    /// The fact in `lang`. A sentence from outside (a system's error, the bank's own text) is
    /// quoted as it came.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            BankFact::Answered(by) => by.text(lang),
            BankFact::Refused {
                by,
                code,
                bank_text,
            } => refused_text(lang, by.as_ref(), code, bank_text.as_deref()),
            BankFact::BadReply { by, error } => format!(
                "{}: {} ({error})",
                by.text(lang),
                pick(
                    lang,
                    [
                        "vastaus ei läpäissyt tarkistusta",
                        "svaret klarade inte kontrollen",
                        "the reply failed our checks",
                    ]
                )
            ),
            BankFact::Unreachable { attempts } => attempts
                .iter()
                .map(|(url, error)| {
                    format!(
                        "{url} {} ({error})",
                        pick(lang, ["ei vastannut", "svarade inte", "did not answer"])
                    )
                })
                .collect::<Vec<_>>()
                .join(pick(lang, ["; sitten ", "; sedan ", "; then "])),
            BankFact::PageAlternative { error, alternative } => format!(
                "{} ({error}); {} {alternative}",
                pick(
                    lang,
                    [
                        "maksusivun ensisijainen osoite ei vastaa",
                        "betalsidans primära adress svarar inte",
                        "the payment page's primary address is unreachable",
                    ]
                ),
                pick(
                    lang,
                    [
                        "asiakkaat ohjataan varaosoitteeseen",
                        "kunderna skickas till reservadressen",
                        "customers are sent to the alternative",
                    ]
                )
            ),
            BankFact::ReplyRefused { error } => format!(
                "{} ({error})",
                pick(
                    lang,
                    [
                        "pankin vastaus hylättiin",
                        "bankens svar avvisades",
                        "the bank's reply was refused",
                    ]
                )
            ),
        }
    }
}

/// A refused query in `lang`: who answered, the return code and its meaning, the bank's words.
fn refused_text(lang: Lang, by: Option<&Answerer>, code: &str, bank_text: Option<&str>) -> String {
    let mut text = format!(
        "{} {code}: {}",
        pick(
            lang,
            [
                "pankki hylkäsi kyselyn, paluukoodi",
                "banken avvisade förfrågan, returkod",
                "the bank refused the query, return code",
            ]
        ),
        return_code_text(lang, code)
    );
    if let Some(bank_text) = bank_text {
        text += &format!(" (\"{bank_text}\")");
    }
    match by {
        Some(by) => format!("{}: {text}", by.text(lang)),
        None => text,
    }
}

/// A query return code's meaning (the bank's manual) in `lang`.
pub fn return_code_text(lang: Lang, code: &str) -> &'static str {
    let texts = match code {
        "000" => ["maksettu", "betald", "paid"],
        "001" => [
            "tällä viitteellä ei ole maksua (ei maksettu)",
            "ingen betalning med denna referens (obetald)",
            "no payment with this reference (not paid)",
        ],
        "002" => [
            "viite puuttuu",
            "referensen saknas",
            "the reference is empty",
        ],
        "003" => [
            "kauppiastunnus puuttuu",
            "handlar-id saknas",
            "the merchant id is empty",
        ],
        "004" => ["tuntematon kauppias", "okänd handlare", "no such merchant"],
        "006" => [
            "kauppiaalla ei ole kyselysopimusta",
            "handlaren har inget förfrågningsavtal",
            "no query contract for this merchant",
        ],
        "009" => [
            "kyselyssä on virheellinen merkki",
            "teckenfel i förfrågan",
            "character error in the query",
        ],
        "010" => [
            "viite ei ole yksilöllinen",
            "referensen är inte unik",
            "the reference is not unique",
        ],
        _ => [
            "tuntematon paluukoodi",
            "okänd returkod",
            "an unknown return code",
        ],
    };
    pick(lang, texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_fact() -> Vec<BankFact> {
        let primary = Answerer {
            url: "https://bank.example/query".into(),
            primary_failed: None,
        };
        let alternative = Answerer {
            url: "https://alt.example/query".into(),
            primary_failed: Some("connection refused: os error 111".into()),
        };
        vec![
            BankFact::Answered(primary.clone()),
            BankFact::Answered(alternative.clone()),
            BankFact::Refused {
                by: Some(primary.clone()),
                code: "004".into(),
                bank_text: None,
            },
            BankFact::Refused {
                by: Some(alternative.clone()),
                code: "006".into(),
                bank_text: Some("Contract missing (see 2.1)".into()),
            },
            BankFact::Refused {
                by: None,
                code: "777".into(),
                bank_text: None,
            },
            BankFact::BadReply {
                by: alternative,
                error: "the bank's query reply has no Refno".into(),
            },
            BankFact::BadReply {
                by: primary,
                error: "the bank's query reply is malformed: x".into(),
            },
            BankFact::Unreachable {
                attempts: vec![
                    ("https://bank.example/q".into(), "timed out".into()),
                    ("https://alt.example/q".into(), "error: 503".into()),
                ],
            },
            BankFact::PageAlternative {
                error: "https://bank.example/pay: refused".into(),
                alternative: "https://alt.example/pay".into(),
            },
            BankFact::ReplyRefused {
                error: "the reply's MAC does not match".into(),
            },
        ]
    }

    #[test]
    fn every_recorded_sentence_reads_back_as_its_fact() {
        for fact in every_fact() {
            let recorded = fact.recorded();
            assert_eq!(BankFact::of_recorded(&recorded), Some(fact), "{recorded}");
        }
        // Sentences that are not ours are shown as they came.
        for other in [
            "",
            "sent",
            "file:/tmp/x.prn: sent",
            "ok",
            "return code 12: x",
        ] {
            assert_eq!(BankFact::of_recorded(other), None, "{other}");
        }
    }

    #[test]
    fn the_sentences_the_bank_code_writes_are_the_ones_read_back() {
        // The sentences as the bank services wrote them before this module existed.
        let refused = "https://b.example/q answered: return code 004: no such merchant";
        assert!(matches!(
            BankFact::of_recorded(refused),
            Some(BankFact::Refused { code, .. }) if code == "004"
        ));
        assert!(matches!(
            BankFact::of_recorded("return code 004: no such merchant (Forced)"),
            Some(BankFact::Refused { by: None, .. })
        ));
        let meaning = crate::payments::query::return_code_meaning("009");
        let bare = format!("return code 009: {meaning} (Bad char)");
        assert_eq!(
            BankFact::of_recorded(&bare).map(|f| f.text(Lang::Fi)),
            Some(
                "pankki hylkäsi kyselyn, paluukoodi 009: kyselyssä on virheellinen merkki (\"Bad char\")"
                    .to_string()
            )
        );
    }

    #[test]
    fn no_english_words_in_the_finnish_or_swedish_sentences() {
        for fact in every_fact() {
            for lang in [Lang::Fi, Lang::Sv] {
                let text = fact.text(lang);
                // Take out what came from outside (addresses and quoted errors).
                let ours: String = text
                    .split(['(', ')', '"'])
                    .step_by(2)
                    .collect::<Vec<_>>()
                    .join(" ");
                for word in [
                    "answered",
                    "return code",
                    "refused",
                    "then",
                    "alternative",
                    "primary",
                ] {
                    assert!(
                        !ours.split_whitespace().any(|w| w == word) && !ours.contains(word),
                        "{lang:?}: {text}"
                    );
                }
            }
        }
        for code in [
            "000", "001", "002", "003", "004", "006", "009", "010", "123",
        ] {
            let texts = [Lang::Fi, Lang::Sv, Lang::En].map(|l| return_code_text(l, code));
            assert_eq!(texts[2], crate::payments::query::return_code_meaning(code));
            assert!(texts[0] != texts[2] && texts[1] != texts[2], "{code}");
        }
    }
}
