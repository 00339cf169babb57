//! Sentences and names beyond the screen texts: printer conditions, mail replies, dates,
//! tenders, ticket and reservation states, roles, receipt words, back-office labels.

use super::{Lang, Text, tr};

/// A printer condition in words.
pub fn condition_text(lang: Lang, condition: pc43d::Condition) -> &'static str {
    use pc43d::Condition::*;
    let [fi, sv, en] = match condition {
        HeadOpen => ["kirjoitinpää auki", "skrivhuvudet öppet", "head open"],
        PaperOut => ["paperi loppu", "papperet slut", "paper out"],
        RibbonOut => ["värinauha loppu", "färgbandet slut", "ribbon out"],
        LabelNotRemoved => [
            "lippu ottamatta",
            "biljetten inte borttagen",
            "label not removed",
        ],
        HeadVoltageTooHigh => [
            "kirjoitinpään jännite liian suuri",
            "skrivhuvudets spänning för hög",
            "printhead voltage too high",
        ],
        Paused => ["tauolla", "pausad", "paused"],
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// What the manager does after recording a bank refund: the money goes back in the bank's service.
pub fn bank_refund_instruction(
    lang: Lang,
    amount: crate::domain::Money,
    reference: &str,
) -> String {
    match lang {
        Lang::Fi => format!(
            "Palauta {amount} asiakkaalle Danske Bankin verkkopankin Verkkomaksun palautus -toiminnolla, viite {reference}. Maksun voi palauttaa vain kerran."
        ),
        Lang::Sv => format!(
            "Återbetala {amount} till kunden med Danske Banks återbetalningsfunktion för nätbetalningar, referens {reference}. En betalning kan återbetalas bara en gång."
        ),
        Lang::En => format!(
            "Return {amount} to the customer with the Verkkomaksu refund function in Danske Bank's online bank, reference {reference}. A payment can be refunded only once."
        ),
    }
}

/// What an SMTP reply (or the lack of one) usually means, for the test-mail dialog and the
/// failures list. `code` is the reply's three-digit code when the server answered.
pub fn smtp_reply_meaning(lang: Lang, code: Option<u16>, reply: &str) -> String {
    let [fi, sv, en] = match code {
        Some(200..=299) => [
            "Palvelin otti viestin vastaan.",
            "Servern tog emot meddelandet.",
            "The server accepted the message.",
        ],
        Some(535) => [
            "Käyttäjätunnus tai salasana on väärä.",
            "Fel användarnamn eller lösenord.",
            "The user name or password is wrong.",
        ],
        Some(530) => [
            "Palvelin vaatii kirjautumisen (ja yleensä salauksen): anna käyttäjä ja salasana.",
            "Servern kräver inloggning (och oftast kryptering): ange användare och lösenord.",
            "The server requires logging in (and usually encryption): give a user and password.",
        ],
        Some(550 | 551 | 553) => [
            "Vastaanottajaa tai lähettäjää ei hyväksytty: tarkista osoite tai palvelimen lähetysoikeus lähettäjän osoitteelle.",
            "Mottagaren eller avsändaren godtogs inte: kontrollera adressen eller serverns rätt att skicka för avsändaradressen.",
            "The recipient or sender was refused: check the address, or whether the server may send for the sender's address.",
        ],
        Some(552) => [
            "Viesti on liian suuri tai postilaatikko täynnä.",
            "Meddelandet är för stort eller brevlådan full.",
            "The message is too large or the mailbox is full.",
        ],
        Some(554) => [
            "Palvelin hylkäsi viestin (usein roskapostisuodatin, SPF tai DKIM).",
            "Servern avvisade meddelandet (ofta spamfilter, SPF eller DKIM).",
            "The server rejected the message (often a spam filter, SPF or DKIM).",
        ],
        Some(500..=599) => [
            "Pysyvä virhe: palvelin ei hyväksy viestiä tällaisenaan.",
            "Permanent fel: servern tar inte emot meddelandet så här.",
            "Permanent error: the server will not take the message as it is.",
        ],
        Some(400..=499) => [
            "Tilapäinen virhe: palvelin pyytää yrittämään myöhemmin. Viesti lähetetään uudelleen automaattisesti.",
            "Tillfälligt fel: servern ber om ett nytt försök senare. Meddelandet skickas igen automatiskt.",
            "Temporary error: the server asks to try later. The message is retried automatically.",
        ],
        _ if reply.contains("tls") || reply.contains("certificate") => [
            "Salattu yhteys ei onnistunut: tarkista salaustapa (STARTTLS tai TLS) ja portti.",
            "Den krypterade förbindelsen misslyckades: kontrollera krypteringen (STARTTLS eller TLS) och porten.",
            "The encrypted connection failed: check the security (STARTTLS or TLS) and the port.",
        ],
        _ => [
            "Palvelimeen ei saatu yhteyttä: tarkista palvelimen nimi, portti ja verkkoyhteys.",
            "Ingen förbindelse till servern: kontrollera servernamn, port och nätverk.",
            "The server could not be reached: check the host name, the port and the network.",
        ],
    };
    lang.pick(&[fi, sv, en]).to_string()
}

/// `2.12.2026 klo 19.00` / `2.12.2026 kl. 19.00` / `2.12.2026 at 19:00` from RFC 3339 text.
pub fn date_time_text(rfc3339: &str, lang: Lang) -> String {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return rfc3339.to_string();
    };
    let date = at.format("%-d.%-m.%Y");
    match lang {
        Lang::Fi => format!("{date} klo {}", at.format("%H.%M")),
        Lang::Sv => format!("{date} kl. {}", at.format("%H.%M")),
        Lang::En => format!("{date} at {}", at.format("%H:%M")),
    }
}

/// A date as people at the counter type it: `5.12.2026`, `5.12.` (this year) or `2026-12-05`.
pub fn parse_local_date(text: &str, today: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    use chrono::{Datelike, NaiveDate};
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    let (day, month, year) = match parts.as_slice() {
        [d, m] | [d, m, ""] => (d.parse().ok()?, m.parse().ok()?, today.year()),
        [d, m, y] => {
            let year: i32 = y.parse().ok()?;
            (
                d.parse().ok()?,
                m.parse().ok()?,
                if year < 100 { 2000 + year } else { year },
            )
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date for people: `5.12.2026` (Finnish and English), `2026-12-05` (Swedish).
pub fn date_text(date: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Sv => date.format("%Y-%m-%d").to_string(),
        Lang::Fi | Lang::En => date.format("%-d.%-m.%Y").to_string(),
    }
}

/// "Only 34 tickets left" when F1 would sell one more than remain.
pub fn only_left(lang: Lang, remaining: i64) -> String {
    match lang {
        Lang::Fi => format!("Lippuja on jäljellä vain {remaining}: ostoskoriin ei mahdu enempää."),
        Lang::Sv => format!("Bara {remaining} biljetter kvar: fler ryms inte i varukorgen."),
        Lang::En => format!("Only {remaining} tickets left: the cart cannot take more."),
    }
}

/// What the cashier gives back: "Give back 12,50 € in cash".
/// `amount` is written in the register's currency already (`12,50 €`, `125,00 kr`).
pub fn give_back(lang: Lang, amount: &str, tender: crate::domain::Tender) -> String {
    match (lang, tender.as_str()) {
        (Lang::Fi, "cash") => format!("Anna takaisin {amount} käteisenä"),
        (Lang::Sv, "cash") => format!("Ge tillbaka {amount} kontant"),
        (Lang::En, "cash") => format!("Give back {amount} in cash"),
        (Lang::Fi, "card") => format!("Palautetaan {amount} kortille"),
        (Lang::Sv, "card") => format!("{amount} återbetalas till kortet"),
        (Lang::En, "card") => format!("{amount} goes back to the card"),
        (Lang::Fi, _) => format!("Palautetaan {amount} tilisiirtona"),
        (Lang::Sv, _) => format!("{amount} återbetalas som banköverföring"),
        (Lang::En, _) => format!("{amount} goes back by bank transfer"),
    }
}

/// How an order was paid, for people.
pub fn tender_name(lang: Lang, tender: &str) -> &'static str {
    match (lang, tender) {
        (Lang::Fi, "cash") => "käteinen",
        (Lang::Sv, "cash") => "kontant",
        (Lang::En, "cash") => "cash",
        (Lang::Fi, "card") => "kortti",
        (Lang::Sv, "card") => "kort",
        (Lang::En, "card") => "card",
        (Lang::Fi, "bank") => "verkkomaksu",
        (Lang::Sv, "bank") => "nätbetalning",
        (Lang::En, "bank") => "bank payment",
        (Lang::Fi, _) => "muu",
        (Lang::Sv, _) => "annat",
        (Lang::En, _) => "other",
    }
}

/// A ticket's state for people (the ledger says `valid`, `revoked`, …).
pub fn ticket_state(lang: Lang, state: &str) -> &'static str {
    tr(
        lang,
        match state {
            "valid" => Text::TicketValid,
            "revoked" => Text::TicketRevoked,
            "refunded" => Text::TicketRefunded,
            _ => Text::TicketTraining,
        },
    )
}

/// A ticket code as printed on the ticket: `ABCD-EFGH-JKMN-PQRS`.
pub fn code_text(code: &str) -> String {
    crate::domain::TicketCode::parse(code).map_or_else(|| code.to_string(), |c| c.grouped())
}

/// A role for people (the ledger says `cashier`, `manager`, …).
pub fn role_name(lang: Lang, role: crate::domain::Role) -> &'static str {
    use crate::domain::Role;
    let [fi, sv, en] = match role {
        Role::Cashier => ["myyjä", "kassör", "cashier"],
        Role::Staff => ["henkilökunta", "personal", "staff"],
        Role::Manager => ["esihenkilö", "chef", "manager"],
        Role::Admin => ["ylläpitäjä", "administratör", "admin"],
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// The customer's receipt and the auditor's reports (issue 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptText {
    CashRounding,
    Copy,
    Training,
    TrainingNotValid,
    BusinessId,
    VatNumber,
    Register,
    ReceiptNo,
    Quantity,
    UnitPrice,
    Amount,
    VatRate,
    Net,
    Vat,
    Gross,
    Total,
    Cash,
    Card,
    Bank,
    Tendered,
    Change,
    ApprovalCode,
    Order,
    TicketCodes,
    Refund,
    RefundOf,
    Cashier,
    Thanks,
}

/// A receipt word in `lang`.
pub fn receipt_text(lang: Lang, text: ReceiptText) -> &'static str {
    use ReceiptText::*;
    let [fi, sv, en] = match text {
        CashRounding => ["Pyöristys", "Öresavrundning", "Cash rounding"],
        Copy => ["KOPIO", "KOPIA", "COPY"],
        Training => ["HARJOITUS", "ÖVNING", "TRAINING"],
        TrainingNotValid => [
            "Ei kuitti – harjoitusmyynti",
            "Inget kvitto – övningsförsäljning",
            "Not a receipt – training sale",
        ],
        BusinessId => ["Y-tunnus", "Org.nr", "Business ID"],
        VatNumber => ["ALV-nro", "Momsreg.nr", "VAT no"],
        Register => ["Kassa", "Kassa", "Register"],
        ReceiptNo => ["Kuitti", "Kvitto", "Receipt"],
        Quantity => ["kpl", "st", "qty"],
        UnitPrice => ["à", "à", "each"],
        Amount => ["Summa", "Belopp", "Amount"],
        VatRate => ["ALV", "Moms", "VAT"],
        Net => ["Veroton", "Netto", "Net"],
        Vat => ["Vero", "Moms", "VAT"],
        Gross => ["Verollinen", "Brutto", "Gross"],
        Total => ["YHTEENSÄ", "TOTALT", "TOTAL"],
        Cash => ["Käteinen", "Kontant", "Cash"],
        Card => ["Kortti", "Kort", "Card"],
        Bank => ["Verkkopankki", "Internetbank", "Online bank"],
        Tendered => ["Annettu", "Mottaget", "Tendered"],
        Change => ["Takaisin", "Växel", "Change"],
        ApprovalCode => ["Hyväksyntä", "Godkännande", "Approval"],
        Order => ["Tilaus", "Order", "Order"],
        TicketCodes => ["Liput", "Biljetter", "Tickets"],
        Refund => ["PALAUTUS", "RETUR", "REFUND"],
        RefundOf => [
            "Alkuperäinen kuitti",
            "Ursprungligt kvitto",
            "Original receipt",
        ],
        Cashier => ["Myyjä", "Kassör", "Cashier"],
        Thanks => ["Kiitos!", "Tack!", "Thank you!"],
    };
    [fi, sv, en][lang as usize]
}

/// Report tables, their columns and the X/Z report's lines for people (the ledger's names are
/// `per_performance`, `starts_at`, `gross_cents`, …). `None`: no translation.
pub fn back_office_label(lang: Lang, name: &str) -> Option<&'static str> {
    let name = name.strip_suffix("_cents").unwrap_or(name);
    let [fi, sv, en] = match name {
        "per_performance" => [
            "Myynti esityksittäin",
            "Försäljning per föreställning",
            "Sales per performance",
        ],
        "per_tender" => [
            "Myynti maksutavoittain",
            "Försäljning per betalsätt",
            "Sales per payment method",
        ],
        "per_user" => [
            "Myynti myyjittäin",
            "Försäljning per användare",
            "Sales per user",
        ],
        "per_hour" => [
            "Myynti tunneittain",
            "Försäljning per timme",
            "Sales per hour",
        ],
        "refunds" => ["Hyvitykset", "Återbetalningar", "Refunds"],
        "z_reports" => [
            "Vuorojen Z-raportit",
            "Skiftens Z-rapporter",
            "Shift Z reports",
        ],
        "day_z_reports" => ["Päivän Z-raportit", "Dagens Z-rapporter", "Day's Z reports"],
        "trading_day" => ["Myyntipäivä", "Försäljningsdag", "Trading day"],
        "shifts" => ["Vuoroja", "Skift", "Shifts"],
        "performance" => ["Esitys", "Föreställning", "Performance"],
        "event" => ["Tapahtuma", "Evenemang", "Event"],
        "starts_at" => ["Alkaa", "Börjar", "Starts"],
        "orders" => ["Tilauksia", "Beställningar", "Orders"],
        "tickets" => ["Lippuja", "Biljetter", "Tickets"],
        "gross" => ["Myynti", "Försäljning", "Sales"],
        "refunded" => ["Hyvitetty", "Återbetalt", "Refunded"],
        "tender" => ["Maksutapa", "Betalsätt", "Payment method"],
        "payments" => ["Maksuja", "Betalningar", "Payments"],
        "amount" => ["Summa", "Belopp", "Amount"],
        "user" => ["Myyjä", "Användare", "User"],
        "hour" => ["Tunti", "Timme", "Hour"],
        "created_at" => ["Aika", "Tid", "Time"],
        "order_number" => ["Tilaus", "Beställning", "Order"],
        "receipt" => ["Kuitti", "Kvitto", "Receipt"],
        "reason_code" => ["Syy", "Orsak", "Reason"],
        "reason_text" => ["Selite", "Förklaring", "Explanation"],
        "authorised_by" => ["Hyväksyjä", "Godkänd av", "Authorised by"],
        "number" => ["Numero", "Nummer", "Number"],
        "closed_at" => ["Suljettu", "Stängd", "Closed"],
        "closed_by" => ["Sulkija", "Stängd av", "Closed by"],
        "opened_at" => ["Avattu", "Öppnad", "Opened"],
        "opened_by" => ["Avaaja", "Öppnad av", "Opened by"],
        "first_receipt" => ["Ensimmäinen kuitti", "Första kvitto", "First receipt"],
        "last_receipt" => ["Viimeinen kuitti", "Sista kvitto", "Last receipt"],
        "receipts" => ["Kuitteja", "Kvitton", "Receipts"],
        "cash_expected" | "expected" => ["Odotettu", "Förväntat", "Expected"],
        "cash_counted" | "counted" => ["Laskettu", "Räknat", "Counted"],
        "cash_variance" | "variance" => ["Erotus", "Differens", "Variance"],
        "comment" => ["Kommentti", "Kommentar", "Comment"],
        "journal_head" => ["Päiväkirjan pää", "Journalens huvud", "Journal head"],
        "float" => ["Vaihtokassa", "Växelkassa", "Float"],
        "cash_in" => ["Rahaa kassaan", "Insättning", "Cash in"],
        "cash_out" => ["Rahaa kassasta", "Uttag", "Cash out"],
        "drawer_opens" => [
            "Laatikko avattu ilman myyntiä",
            "Lådan öppnad utan försäljning",
            "Drawer opened without a sale",
        ],
        "sales" => ["Myynti", "Försäljning", "Sales"],
        "net" => ["Veroton", "Netto", "Net"],
        "vat" => ["ALV", "Moms", "VAT"],
        "cash_rounding" => ["Käteispyöristys", "Kontantavrundning", "Cash rounding"],
        "register" => ["Kassa", "Kassa", "Register"],
        "per_register" => [
            "Myynti kassoittain",
            "Försäljning per kassa",
            "Sales per register",
        ],
        "name" => ["Nimi", "Namn", "Name"],
        _ => return None,
    };
    Some(match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    })
}

/// A refund reason code for people.
pub fn refund_reason(lang: Lang, code: &str) -> &'static str {
    tr(
        lang,
        match code {
            "cancelled" => Text::ReasonCancelled,
            "customer_request" => Text::ReasonCustomer,
            "duplicate" => Text::ReasonDuplicate,
            "wrong_price" => Text::ReasonWrongPrice,
            _ => Text::ReasonOther,
        },
    )
}

/// A reservation's state for people (the ledger says `open`, `paid`, …).
pub fn reservation_state(lang: Lang, state: &str) -> &'static str {
    let [fi, sv, en] = match state {
        "open" => ["avoin", "öppen", "open"],
        "paid" => ["maksettu", "betald", "paid"],
        "released" => ["vapautettu", "frisläppt", "released"],
        "expired" => ["vanhentunut", "förfallen", "expired"],
        "cancelled" => ["peruttu", "avbokad", "cancelled"],
        _ => ["muu", "annan", "other"],
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// The card terminal's display texts (nexo's are English) in the user's language; a text
/// not known here is shown as the terminal wrote it.
pub fn terminal_text(lang: Lang, text: &str) -> &str {
    let [fi, sv, en] = match text {
        "Insert or tap card" => [
            "Aseta tai näytä kortti",
            "Sätt in eller blippa kortet",
            "Insert or tap card",
        ],
        "Enter PIN" => ["Näppäile PIN", "Ange PIN-kod", "Enter PIN"],
        "Processing, please wait" => [
            "Käsitellään, odota hetki",
            "Behandlar, vänta",
            "Processing, please wait",
        ],
        "Approved" => ["Hyväksytty", "Godkänd", "Approved"],
        "Declined" => ["Hylätty", "Nekad", "Declined"],
        "Remove card" => ["Poista kortti", "Ta ut kortet", "Remove card"],
        _ => return text,
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}
