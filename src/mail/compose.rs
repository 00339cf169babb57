//! The ticket mail: HTML (the server's template or the bundled one, in the customer's language)
//! with a plain-text alternative and the tickets as a PDF attachment, DKIM-signed when the
//! sender's domain has a key.

use crate::domain::ids::OrderNumber;
use lettre::Message;
use lettre::message::dkim::DkimConfig;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};

use crate::i18n::Lang;
use crate::printing::{TicketView, ticket_label};
use crate::receipt::Receipt;

/// The bundled templates; a server's own HTML templates (copied with it) replace the HTML ones.
pub const BUNDLED_HTML: [&str; 3] = [
    include_str!("../../assets/mail/ticket.fi.html"),
    include_str!("../../assets/mail/ticket.sv.html"),
    include_str!("../../assets/mail/ticket.en.html"),
];
pub const BUNDLED_TEXT: [&str; 3] = [
    include_str!("../../assets/mail/ticket.fi.txt"),
    include_str!("../../assets/mail/ticket.sv.txt"),
    include_str!("../../assets/mail/ticket.en.txt"),
];

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the address '{0}' cannot be mailed to")]
    BadAddress(String),
    #[error("order {0} has no valid tickets to mail")]
    NoTickets(OrderNumber),
    #[error("the mail server's templates are damaged ({0})")]
    BadTemplates(String),
    #[error(transparent)]
    Pdf(#[from] super::pdf::PdfError),
    #[error("the message could not be built: {0}")]
    Build(String),
}

/// Who sends.
#[derive(Debug, Clone)]
pub struct Sender {
    pub name: String,
    pub address: String,
}

/// A ticket mail ready to go, and what it is made of (for tests and the preview).
pub struct TicketMail {
    pub message: Message,
    pub subject: String,
    pub pdf: Vec<u8>,
}

/// What a ticket mail is made of.
pub struct TicketMailRequest<'a> {
    pub sender: &'a Sender,
    pub to_address: &'a str,
    /// Without the angle brackets; kept across retries.
    pub message_id: &'a str,
    pub receipt: &'a Receipt,
    pub customer_name: Option<&'a str>,
    pub lang: Lang,
    /// The server's JSON `{"fi": html, …}`, or `None` for the bundled templates.
    pub templates: Option<&'a str>,
    pub dkim: Option<&'a DkimConfig>,
}

/// Builds the ticket mail of an order: only its tickets that are still valid.
pub fn ticket_mail(request: &TicketMailRequest<'_>) -> Result<TicketMail, ComposeError> {
    let TicketMailRequest {
        sender,
        to_address,
        message_id,
        receipt,
        customer_name,
        lang,
        templates,
        dkim,
    } = *request;
    let tickets: Vec<&TicketView> = receipt
        .tickets
        .iter()
        .filter(|ticket| ticket.state != "revoked")
        .collect();
    let Some(first) = tickets.first() else {
        return Err(ComposeError::NoTickets(receipt.order_number));
    };
    let html_template = html_template(templates, lang)?;
    let name = customer_name.unwrap_or("").trim();
    let fields = |escape: fn(&str) -> String, list: String| {
        [
            ("customer_name", escape(name)),
            ("event", escape(&first.event_name)),
            ("venue", escape(&first.venue)),
            ("starts_at", escape(&first.starts_at)),
            ("order_number", receipt.order_number.to_string()),
            ("total", escape(&receipt.currency.format(receipt.total))),
            ("organiser", escape(&first.organiser)),
            ("tickets", list),
        ]
    };
    let (html_list, text_list) = ticket_lists(&tickets);
    let html = fill(&html_template, &fields(html_escape, html_list));
    let text = fill(lang.pick(&BUNDLED_TEXT), &fields(str::to_string, text_list));
    // The customer's receipt goes with the tickets: in the text, the HTML and the PDF.
    let receipt_rows = receipt.customer_rows(lang, false);
    let receipt_text = crate::printing::escpos::to_text(&receipt_rows);
    let html = with_receipt_html(&html, &receipt_text);
    let text = format!("{text}\n{receipt_text}");
    let subject = title_of(&html)
        .map(html_unescape)
        .unwrap_or_else(|| first.event_name.clone());

    let mut labels: Vec<pc43d::Label> = tickets.iter().map(|t| ticket_label(t, lang)).collect();
    labels.push(crate::printing::escpos::to_label(&receipt_rows));
    let pdf = super::pdf::tickets_pdf(&labels)?;

    let mut message = mixed_message(
        sender,
        to_address,
        message_id,
        &subject,
        MultiPart::alternative_plain_html(text, html),
        Attachment::new(format!("tickets-{}.pdf", receipt.order_number)).body(
            pdf.clone(),
            ContentType::parse("application/pdf").expect("valid"),
        ),
    )?;
    if let Some(config) = dkim {
        message.sign(config);
    }
    Ok(TicketMail {
        message,
        subject,
        pdf,
    })
}

/// The HTML template in `lang`: the server's own (JSON `{"fi": html, …}`) or the bundled one.
fn html_template(templates: Option<&str>, lang: Lang) -> Result<String, ComposeError> {
    Ok(match templates {
        Some(json) => {
            let map: std::collections::BTreeMap<String, String> = serde_json::from_str(json)
                .map_err(|e| ComposeError::BadTemplates(e.to_string()))?;
            map.get(lang.code())
                .cloned()
                .unwrap_or_else(|| lang.pick(&BUNDLED_HTML).to_string())
        }
        None => lang.pick(&BUNDLED_HTML).to_string(),
    })
}

/// The tickets as an HTML list's items and as plain-text lines: category – price – code.
fn ticket_lists(tickets: &[&TicketView]) -> (String, String) {
    let html = tickets
        .iter()
        .map(|t| {
            format!(
                "<li>{} – {} – {}</li>",
                html_escape(&t.category_name),
                html_escape(&t.currency.format(t.price)),
                html_escape(&t.code)
            )
        })
        .collect();
    let text = tickets
        .iter()
        .map(|t| {
            let price = t.currency.format(t.price);
            format!("- {} – {} – {}\n", t.category_name, price, t.code)
        })
        .collect();
    (html, text)
}

/// A message from `sender` to `to_address`: the text and HTML alternatives and one attachment.
fn mixed_message(
    sender: &Sender,
    to_address: &str,
    message_id: &str,
    subject: &str,
    body: MultiPart,
    attachment: lettre::message::SinglePart,
) -> Result<Message, ComposeError> {
    let from: Mailbox = format!("{} <{}>", sender.name, sender.address)
        .parse()
        .or_else(|_| sender.address.parse())
        .map_err(|_| ComposeError::BadAddress(sender.address.clone()))?;
    let to: Mailbox = to_address
        .parse()
        .map_err(|_| ComposeError::BadAddress(to_address.to_string()))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject.to_string())
        .message_id(Some(format!("<{message_id}>")))
        .date_now()
        .multipart(MultiPart::mixed().multipart(body).singlepart(attachment))
        .map_err(|e| ComposeError::Build(e.to_string()))
}

/// The receipt as a preformatted block before the HTML's `</body>` (or at its end).
fn with_receipt_html(html: &str, receipt_text: &str) -> String {
    let block = format!(
        "<pre style=\"font-family: monospace\">{}</pre>\n",
        html_escape(receipt_text)
    );
    match html.rfind("</body>") {
        Some(at) => format!("{}{block}{}", &html[..at], &html[at..]),
        None => format!("{html}{block}"),
    }
}

/// A customer's receipt alone (from the order panel or `receipt mail`): the receipt as text,
/// as HTML and as a one-page PDF.
pub fn receipt_mail(
    sender: &Sender,
    to_address: &str,
    receipt: &Receipt,
    lang: Lang,
    dkim: Option<&DkimConfig>,
) -> Result<Message, ComposeError> {
    let rows = receipt.customer_rows(lang, false);
    let text = crate::printing::escpos::to_text(&rows);
    let subject = format!(
        "{} {} – {}",
        crate::i18n::receipt_text(lang, crate::i18n::ReceiptText::ReceiptNo),
        receipt.receipt_number.unwrap_or_default(),
        receipt.event_name
    );
    let html = with_receipt_html(
        &format!(
            "<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n</body></html>\n",
            html_escape(&subject)
        ),
        &text,
    );
    let pdf = super::pdf::tickets_pdf(&[crate::printing::escpos::to_label(&rows)])?;
    let from: Mailbox = format!("{} <{}>", sender.name, sender.address)
        .parse()
        .or_else(|_| sender.address.parse())
        .map_err(|_| ComposeError::BadAddress(sender.address.clone()))?;
    let to: Mailbox = to_address
        .parse()
        .map_err(|_| ComposeError::BadAddress(to_address.to_string()))?;
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .date_now()
        .multipart(
            MultiPart::mixed()
                .multipart(MultiPart::alternative_plain_html(text, html))
                .singlepart(
                    Attachment::new(format!(
                        "receipt-{}.pdf",
                        receipt.receipt_number.unwrap_or_default()
                    ))
                    .body(pdf, ContentType::parse("application/pdf").expect("valid")),
                ),
        )
        .map_err(|e| ComposeError::Build(e.to_string()))?;
    if let Some(config) = dkim {
        message.sign(config);
    }
    Ok(message)
}

/// A short test message.
pub fn test_mail(
    sender: &Sender,
    to_address: &str,
    subject: &str,
    body: &str,
    dkim: Option<&DkimConfig>,
) -> Result<Message, ComposeError> {
    let from: Mailbox = format!("{} <{}>", sender.name, sender.address)
        .parse()
        .map_err(|_| ComposeError::BadAddress(sender.address.clone()))?;
    let to: Mailbox = to_address
        .parse()
        .map_err(|_| ComposeError::BadAddress(to_address.to_string()))?;
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .date_now()
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| ComposeError::Build(e.to_string()))?;
    if let Some(config) = dkim {
        message.sign(config);
    }
    Ok(message)
}

/// The domain of an address (for DKIM and the Message-ID).
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("localhost", |(_, d)| d)
}

fn fill(template: &str, fields: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in fields {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

fn title_of(html: &str) -> Option<&str> {
    let start = html.find("<title>")? + "<title>".len();
    let end = html[start..].find("</title>")? + start;
    Some(html[start..end].trim())
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_and_escape() {
        let html = fill(
            "<title>{{event}}</title>{{event}}",
            &[("event", html_escape("Rock & <Roll>"))],
        );
        assert_eq!(
            html,
            "<title>Rock &amp; &lt;Roll&gt;</title>Rock &amp; &lt;Roll&gt;"
        );
        assert_eq!(title_of(&html).map(html_unescape).unwrap(), "Rock & <Roll>");
        for template in BUNDLED_HTML.iter().chain(BUNDLED_TEXT.iter()) {
            for field in ["{{event}}", "{{order_number}}", "{{tickets}}", "{{total}}"] {
                assert!(template.contains(field), "{field} missing");
            }
        }
        assert_eq!(domain_of("liput@example.fi"), "example.fi");
    }

    #[test]
    fn the_ticket_list_writes_the_registers_currency() {
        let ticket = TicketView {
            code: "041061050R3GG28A".into(),
            event_name: "Nummisuutarit".into(),
            venue: String::new(),
            organiser: String::new(),
            starts_at: String::new(),
            category_name: "Vuxen".into(),
            price: crate::domain::Money::from_cents(1850),
            currency: crate::domain::Currency::Sek,
            vat_rate: crate::domain::VatBasisPoints(600),
            order_number: OrderNumber(3),
            state: "valid".into(),
            seat: None,
        };
        let (html, text) = ticket_lists(&[&ticket]);
        assert_eq!(html, "<li>Vuxen – 18,50 kr – 041061050R3GG28A</li>");
        assert_eq!(text, "- Vuxen – 18,50 kr – 041061050R3GG28A\n");
        let euro = TicketView {
            currency: crate::domain::Currency::Eur,
            ..ticket
        };
        assert_eq!(
            ticket_lists(&[&euro]).1,
            "- Vuxen – 18,50 € – 041061050R3GG28A\n"
        );
    }

    #[test]
    fn the_receipt_goes_before_the_end_of_the_body() {
        assert_eq!(
            with_receipt_html("<body><p>x</p></body></html>", "A & B"),
            "<body><p>x</p><pre style=\"font-family: monospace\">A &amp; B</pre>\n</body></html>"
        );
        assert_eq!(
            with_receipt_html("<p>x</p>", "r"),
            "<p>x</p><pre style=\"font-family: monospace\">r</pre>\n"
        );
    }
}
