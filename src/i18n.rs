//! Every user-facing string in Finnish, Swedish and English, in one place.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Fi,
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// Picks the name in this language from `[fi, sv, en]`.
    pub fn pick<S: AsRef<str>>(self, names: &[S; 3]) -> &str {
        names[self as usize].as_ref()
    }

    /// The language's own name, for the switch on the login screen.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fi => "Suomi",
            Lang::Sv => "Svenska",
            Lang::En => "English",
        }
    }
}

/// A user-facing text. `tr` gives it in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppTitle,
    User,
    Pin,
    LogIn,
    DemoUsers,
    LogOut,
    Performances,
    Remaining,
    SoldOut,
    Cart,
    EmptyCart,
    Total,
    Net,
    Vat,
    VatIncluded,
    PayCash,
    Cancel,
    Tendered,
    Card,
    PayByCard,
    RestByCard,
    CardTerminal,
    CardWaiting,
    CardResolve,
    CardApprovedOnTerminal,
    CardNotApprovedOnTerminal,
    CardReference,
    ChangeDue,
    Missing,
    CompleteSale,
    Receipt,
    OrderNumber,
    ReceiptNumber,
    Change,
    Tickets,
    NewSale,
    PrintedTo,
    PrintFailed,
    Working,
    Ticket,
    ChoosePerformance,
    CustomerName,
    CustomerEmail,
    Refunds,
    Users,
    Disabled,
    UserLocked,
    SetPin,
    Disable,
    AddUser,
    CashIn,
    CashOut,
    OpenDrawer,
    Reports,
    ReportSales,
    ReportRefunds,
    ReportZ,
    From,
    To,
    ExportCsv,
    SalesPerHour,
    Locked,
    Unlock,
    PrintReport,
    Variance,
    Search,
    SearchHint,
    RefundSelected,
    RefundAmount,
    RefundWhole,
    Amount,
    Reason,
    ReasonText,
    ManagerApproval,
    ManagerName,
    ManagerPin,
    Shift,
    NoShift,
    OpeningFloat,
    OpenShift,
    CountDrawer,
    Comment,
    CloseShift,
    Refunded,
    ReasonCancelled,
    ReasonCustomer,
    ReasonDuplicate,
    ReasonWrongPrice,
    ReasonOther,
    Organiser,
    CopyMark,
    ReissueMark,
    FreeSeating,
    TicketTerms,
    Printers,
    PrinterName,
    PrinterTransport,
    PrinterLanguage,
    SystemQueues,
    SavePrinter,
    PrintTestTicket,
    PrinterStatusButton,
    SentToPrinter,
    SentToQueue,
    RetryPrint,
    NotPrintedBanner,
    Reprint,
    FindOrder,
    PrintCopy,
    PrintReissue,
    DefaultPrinter,
    PrinterReady,
    PrinterNoAnswer,
    OneWayLink,
    TestMailSubject,
    TestMailBody,
    MailFailures,
    NewAddress,
    Resend,
    MailTickets,
    Remail,
    RemailPerformance,
    MailQueued,
    MailSettings,
    SendTestMail,
    MakeDefault,
    CopyServer,
    NewServerName,
    AddServer,
    Host,
    Port,
    Security,
    Password,
    Sender,
    DefaultServer,
    BuiltIn,
    ServerReply,
    SendSms,
    Recipient,
    ServerName,
    PayBank,
    Reserve,
    Reservations,
    DueDate,
    Phone,
    CheckPayment,
    CheckAll,
    Release,
    Reference,
    State,
    Operations,
    Refresh,
    CopySupportReport,
    SupportReportCopied,
    BankSettings,
    Merchant,
    Contract,
    PaymentUrl,
    QueryUrl,
    AlternativeUrl,
    Save,
    AddKey,
    ValidFrom,
    SecretKey,
    KeysValidFrom,
    WaitingForBank,
    BankPageAt,
    ReplyRefused,
    Never,
    LastError,
    Reserved,
    BankRedirecting,
    BankContinue,
    BankReturnedOk,
    BankReturnedCancel,
    SeatRow,
    SeatNumber,
    SeatMap,
    BestAvailable,
    AcceptSplit,
    SeatFree,
    SeatSold,
    SeatHeld,
    SeatInCart,
    SeatWheelchair,
    Wheelchair,
    ZoomIn,
    ZoomOut,
    ClearSeats,
    SeatsChosen,
    Lock,
    More,
    FindPerformance,
    ConfirmClearCart,
    ConfirmChangePerformance,
    ConfirmCloseShift,
    ConfirmReissue,
    Yes,
    No,
    ExactCash,
    AmountNotNumber,
    ShiftNotOpenPrompt,
    PaidBy,
    RefundReceipt,
    DateHint,
    TicketValid,
    TicketRevoked,
    TicketRefunded,
    TicketTraining,
    Seat,
    TicketsPrinted,
    Stage,
}

pub fn tr(lang: Lang, text: Text) -> &'static str {
    use Text::*;
    let [fi, sv, en] = match text {
        Lock => ["Lukitse (Ctrl+L)", "Lås (Ctrl+L)", "Lock (Ctrl+L)"],
        More => ["Lisää ▾", "Mer ▾", "More ▾"],
        FindPerformance => ["Hae esitystä", "Sök föreställning", "Find a performance"],
        ConfirmClearCart => [
            "Tyhjennetäänkö ostoskori?",
            "Töm varukorgen?",
            "Empty the cart?",
        ],
        ConfirmChangePerformance => [
            "Esityksen vaihto tyhjentää ostoskorin. Vaihdetaanko?",
            "Byte av föreställning tömmer varukorgen. Byta?",
            "Changing the performance empties the cart. Change?",
        ],
        ConfirmCloseShift => [
            "Suljetaanko vuoro ja tehdään Z-raportti? Tätä ei voi perua.",
            "Stänga skiftet och göra Z-rapporten? Det går inte att ångra.",
            "Close the shift and make the Z report? This cannot be undone.",
        ],
        ConfirmReissue => [
            "Uusi koodi mitätöi lipun vanhan koodin. Tulostetaanko uusi lippu?",
            "Den nya koden ogiltigförklarar biljettens gamla kod. Skriva ut en ny biljett?",
            "The new code revokes the ticket's old code. Print a new ticket?",
        ],
        Yes => ["Kyllä (Enter)", "Ja (Enter)", "Yes (Enter)"],
        No => ["Ei (Esc)", "Nej (Esc)", "No (Esc)"],
        ExactCash => ["Tasaraha (F1)", "Jämna pengar (F1)", "Exact cash (F1)"],
        AmountNotNumber => [
            "Kirjoita summa numeroina, esim. 50 tai 12,50.",
            "Skriv beloppet med siffror, t.ex. 50 eller 12,50.",
            "Write the amount in digits, e.g. 50 or 12,50.",
        ],
        ShiftNotOpenPrompt => [
            "Vuoroa ei ole avattu: avaa vuoro ennen myyntiä.",
            "Inget skift är öppet: öppna ett skift innan du säljer.",
            "No shift is open: open one before selling.",
        ],
        PaidBy => ["Maksettu", "Betalt", "Paid"],
        RefundReceipt => ["Hyvityskuitti", "Återbetalningskvitto", "Refund receipt"],
        DateHint => ["pp.kk.vvvv", "dd.mm.åååå", "dd.mm.yyyy"],
        TicketValid => ["voimassa", "giltig", "valid"],
        TicketRevoked => ["mitätöity", "makulerad", "revoked"],
        TicketRefunded => ["hyvitetty", "återbetald", "refunded"],
        TicketTraining => ["harjoitus", "övning", "training"],
        Seat => ["Paikka", "Plats", "Seat"],
        TicketsPrinted => [
            "Liput tulostettu",
            "Biljetterna utskrivna",
            "Tickets printed",
        ],
        Stage => ["NÄYTTÄMÖ", "SCEN", "STAGE"],
        SeatRow => ["rivi", "rad", "row"],
        SeatNumber => ["paikka", "plats", "seat"],
        SeatMap => ["Salikartta", "Salongskarta", "Seat map"],
        BestAvailable => ["Parhaat paikat", "Bästa platser", "Best available"],
        AcceptSplit => [
            "Hyväksy erilliset paikat",
            "Godkänn åtskilda platser",
            "Accept split seats",
        ],
        SeatFree => ["vapaa", "ledig", "free"],
        SeatSold => ["myyty", "såld", "sold"],
        SeatHeld => ["varattu", "spärrad", "held"],
        SeatInCart => ["ostoskorissa", "i varukorgen", "in this cart"],
        SeatWheelchair => ["pyörätuolipaikka", "rullstolsplats", "wheelchair place"],
        Wheelchair => ["Pyörätuoli", "Rullstol", "Wheelchair"],
        ZoomIn => ["Lähennä", "Zooma in", "Zoom in"],
        ZoomOut => ["Loitonna", "Zooma ut", "Zoom out"],
        ClearSeats => ["Tyhjennä paikat", "Töm platserna", "Clear seats"],
        SeatsChosen => ["Valitut paikat", "Valda platser", "Seats chosen"],
        AppTitle => ["Lipunmyynti", "Biljettkassa", "Box office"],
        User => ["Käyttäjä", "Användare", "User"],
        Pin => ["PIN-koodi", "PIN-kod", "PIN"],
        LogIn => ["Kirjaudu", "Logga in", "Log in"],
        DemoUsers => ["Demokäyttäjät", "Demoanvändare", "Demo users"],
        LogOut => ["Kirjaudu ulos", "Logga ut", "Log out"],
        Performances => ["Esitykset", "Föreställningar", "Performances"],
        Remaining => ["jäljellä", "kvar", "left"],
        SoldOut => ["Loppuunmyyty", "Slutsålt", "Sold out"],
        Cart => ["Ostoskori", "Varukorg", "Cart"],
        EmptyCart => [
            "Valitse hintaluokka (F1…F9)",
            "Välj priskategori (F1…F9)",
            "Choose a price category (F1…F9)",
        ],
        Total => ["Yhteensä", "Totalt", "Total"],
        Net => ["Veroton", "Netto", "Net"],
        Vat => ["ALV", "Moms", "VAT"],
        VatIncluded => ["sis. ALV", "inkl. moms", "incl. VAT"],
        PayCash => ["Käteinen (F10)", "Kontant (F10)", "Pay cash (F10)"],
        Cancel => ["Peruuta (Esc)", "Avbryt (Esc)", "Cancel (Esc)"],
        Tendered => ["Annettu", "Mottaget", "Tendered"],
        Card => ["Kortti", "Kort", "Card"],
        PayByCard => [
            "Maksa kortilla (Ctrl+K)",
            "Betala med kort (Ctrl+K)",
            "Pay by card (Ctrl+K)",
        ],
        RestByCard => ["Loput kortilla", "Resten med kort", "The rest by card"],
        CardTerminal => ["Maksupääte", "Kortterminal", "Card terminal"],
        CardWaiting => [
            "Odotetaan maksupäätettä…",
            "Väntar på terminalen…",
            "Waiting for the terminal…",
        ],
        CardResolve => [
            "Ratkaise korttimaksut",
            "Avgör kortbetalningar",
            "Resolve card payments",
        ],
        CardApprovedOnTerminal => [
            "Hyväksytty päätteellä",
            "Godkänd på terminalen",
            "Approved on the terminal",
        ],
        CardNotApprovedOnTerminal => ["Ei hyväksytty", "Inte godkänd", "Not approved"],
        CardReference => [
            "Päätteen viite",
            "Terminalens referens",
            "Terminal's reference",
        ],
        ChangeDue => ["Vaihtoraha", "Växel", "Change due"],
        Missing => ["Puuttuu", "Saknas", "Missing"],
        CompleteSale => ["Vahvista (Enter)", "Slutför (Enter)", "Complete (Enter)"],
        Receipt => ["Kuitti", "Kvitto", "Receipt"],
        OrderNumber => ["Tilausnumero", "Ordernummer", "Order number"],
        ReceiptNumber => ["Kuittinumero", "Kvittonummer", "Receipt number"],
        Change => ["Vaihtoraha", "Växel", "Change"],
        Tickets => ["Liput", "Biljetter", "Tickets"],
        NewSale => [
            "Uusi myynti (Enter)",
            "Ny försäljning (Enter)",
            "New sale (Enter)",
        ],
        PrintedTo => ["Tulostettu", "Utskrivet", "Printed to"],
        PrintFailed => [
            "Tulostus epäonnistui",
            "Utskriften misslyckades",
            "Printing failed",
        ],
        Working => ["Hetkinen…", "Ett ögonblick…", "Working…"],
        Ticket => ["Lippu", "Biljett", "Ticket"],
        Refunds => [
            "Palautukset (F11)",
            "Återbetalningar (F11)",
            "Refunds (F11)",
        ],
        Search => ["Hae", "Sök", "Search"],
        Users => ["Käyttäjät", "Användare", "Users"],
        Disabled => ["poistettu käytöstä", "avstängd", "disabled"],
        UserLocked => ["lukittu", "spärrad", "locked"],
        SetPin => ["Vaihda PIN", "Byt PIN", "Set PIN"],
        Disable => ["Poista käytöstä", "Stäng av", "Disable"],
        AddUser => ["Lisää käyttäjä", "Lägg till användare", "Add user"],
        CashIn => ["Rahaa kassaan", "Insättning", "Cash in"],
        CashOut => ["Rahaa kassasta", "Uttag", "Cash out"],
        OpenDrawer => ["Avaa laatikko", "Öppna lådan", "Open drawer"],
        Reports => ["Raportit", "Rapporter", "Reports"],
        ReportSales => ["Myynti", "Försäljning", "Sales"],
        ReportRefunds => ["Palautukset", "Återbetalningar", "Refunds"],
        ReportZ => ["Z-raportit", "Z-rapporter", "Z reports"],
        From => ["Alkaen", "Från", "From"],
        To => ["Asti", "Till", "To"],
        ExportCsv => ["Vie CSV", "Exportera CSV", "Export CSV"],
        SalesPerHour => [
            "Myynti tunneittain (€)",
            "Försäljning per timme (€)",
            "Sales per hour (€)",
        ],
        Locked => ["Lukittu", "Låst", "Locked"],
        Unlock => ["Avaa", "Lås upp", "Unlock"],
        PrintReport => ["Tulosta", "Skriv ut", "Print"],
        Variance => ["Erotus", "Differens", "Variance"],
        SearchHint => [
            "Lippukoodi, tilaus- tai kuittinumero, nimi, sähköposti tai kortin 4 viimeistä numeroa",
            "Biljettkod, order- eller kvittonummer, namn, e-post eller kortets 4 sista siffror",
            "Ticket code, order or receipt number, name, e-mail or the card's last four digits",
        ],
        RefundSelected => [
            "Palauta valitut liput",
            "Återbetala valda biljetter",
            "Refund the chosen tickets",
        ],
        RefundAmount => ["Palauta summa", "Återbetala beloppet", "Refund the amount"],
        RefundWhole => [
            "Palauta koko tilaus",
            "Återbetala hela ordern",
            "Refund the whole order",
        ],
        Amount => ["Summa", "Belopp", "Amount"],
        Reason => ["Syy", "Orsak", "Reason"],
        ReasonText => ["Selitys", "Förklaring", "Explanation"],
        ManagerApproval => [
            "Esimiehen hyväksyntä",
            "Chefens godkännande",
            "Manager approval",
        ],
        ManagerName => ["Esimies", "Chef", "Manager"],
        ManagerPin => ["Esimiehen PIN", "Chefens PIN", "Manager PIN"],
        Shift => ["Vuoro (F12)", "Skift (F12)", "Shift (F12)"],
        NoShift => [
            "Vuoroa ei ole avattu.",
            "Inget skift är öppet.",
            "No shift is open.",
        ],
        OpeningFloat => ["Vaihtokassa", "Växelkassa", "Opening float"],
        OpenShift => ["Avaa vuoro", "Öppna skift", "Open shift"],
        CountDrawer => [
            "Laske kassalaatikko",
            "Räkna kassalådan",
            "Count the drawer",
        ],
        Comment => ["Kommentti", "Kommentar", "Comment"],
        CloseShift => ["Sulje vuoro (Z)", "Stäng skiftet (Z)", "Close shift (Z)"],
        Refunded => ["Palautettu", "Återbetalt", "Refunded"],
        ReasonCancelled => [
            "Esitys peruttu",
            "Föreställningen inställd",
            "Performance cancelled",
        ],
        ReasonCustomer => ["Asiakkaan pyyntö", "Kundens begäran", "Customer request"],
        ReasonDuplicate => ["Tuplamyynti", "Dubbelförsäljning", "Duplicate sale"],
        ReasonWrongPrice => ["Väärä hinta", "Fel pris", "Wrong price"],
        ReasonOther => ["Muu", "Annan", "Other"],
        CustomerName => ["Asiakas", "Kund", "Customer"],
        CustomerEmail => ["Sähköposti", "E-post", "E-mail"],
        ChoosePerformance => [
            "Valitse esitys",
            "Välj föreställning",
            "Choose a performance",
        ],
        Organiser => ["Järjestäjä", "Arrangör", "Organiser"],
        CopyMark => ["KOPIO", "KOPIA", "COPY"],
        ReissueMark => ["UUSI LIPPU nro", "NY BILJETT nr", "REISSUE no."],
        FreeSeating => ["Vapaa istumajärjestys", "Fri placering", "Free seating"],
        TicketTerms => [
            "Lippu oikeuttaa yhteen sisäänpääsyyn. Koodi tarkistetaan ovella; kopioitu koodi kelpaa vain kerran.",
            "Biljetten ger ett inträde. Koden kontrolleras vid dörren; en kopierad kod gäller bara en gång.",
            "This ticket admits one. The code is checked at the door; a copied code is valid only once.",
        ],
        Printers => ["Tulostimet", "Skrivare", "Printers"],
        PrinterName => ["Tulostimen nimi", "Skrivarens namn", "Printer name"],
        PrinterTransport => ["Yhteys", "Anslutning", "Link"],
        PrinterLanguage => ["Komentokieli", "Kommandospråk", "Command language"],
        SystemQueues => [
            "Järjestelmän tulostusjonot",
            "Systemets utskriftsköer",
            "System print queues",
        ],
        SavePrinter => ["Tallenna tulostin", "Spara skrivaren", "Save printer"],
        PrintTestTicket => [
            "Tulosta testilippu",
            "Skriv ut testbiljett",
            "Print test ticket",
        ],
        PrinterStatusButton => ["Tulostimen tila", "Skrivarens status", "Printer status"],
        SentToPrinter => [
            "Lähetetty tulostimelle",
            "Skickat till skrivaren",
            "Sent to the printer",
        ],
        SentToQueue => [
            "Lähetetty tulostusjonoon (jono ei tiedä, tuliko paperi ulos)",
            "Skickat till utskriftskön (kön vet inte om papperet kom ut)",
            "Sent to the queue (the spooler does not know whether paper came out)",
        ],
        RetryPrint => ["Tulosta uudelleen", "Skriv ut igen", "Retry printing"],
        NotPrintedBanner => [
            "Lippuja ei tulostettu – myynti on tallessa.",
            "Biljetterna skrevs inte ut – försäljningen är sparad.",
            "Tickets not printed – the sale is recorded.",
        ],
        Reprint => ["Uusintatulostus", "Utskrift på nytt", "Reprint"],
        FindOrder => [
            "Hae tilaus (koodi, numero, nimi, sähköposti)",
            "Sök order (kod, nummer, namn, e-post)",
            "Find an order (code, number, name, e-mail)",
        ],
        PrintCopy => ["Tulosta kopio", "Skriv ut kopia", "Print a copy"],
        PrintReissue => [
            "Uusi lippu (vanha koodi mitätöidään)",
            "Ny biljett (den gamla koden spärras)",
            "Reissue (the old code is revoked)",
        ],
        DefaultPrinter => ["Oletustulostin", "Standardskrivare", "Default printer"],
        PrinterReady => ["Valmis", "Redo", "Ready"],
        PrinterNoAnswer => [
            "Tulostin ei vastaa",
            "Skrivaren svarar inte",
            "The printer does not answer",
        ],
        OneWayLink => [
            "Yksisuuntainen yhteys: tulostimelta ei voi kysyä tilaa",
            "Envägslänk: skrivaren kan inte tillfrågas",
            "One-way link: the printer cannot be asked",
        ],
        TestMailSubject => [
            "Lipunmyynnin testiviesti",
            "Testmeddelande från biljettkassan",
            "Box office test message",
        ],
        TestMailBody => [
            "Tämä testiviesti tuli perille: sähköpostipalvelimen asetukset toimivat.",
            "Det här testmeddelandet kom fram: e-postserverns inställningar fungerar.",
            "This test message arrived: the mail server settings work.",
        ],
        MailFailures => [
            "Epäonnistuneet sähköpostit",
            "Misslyckade e-postmeddelanden",
            "Mail failures",
        ],
        NewAddress => ["Korjattu osoite", "Rättad adress", "Corrected address"],
        Resend => ["Lähetä uudelleen", "Skicka igen", "Resend"],
        MailTickets => [
            "Lähetä liput sähköpostiin",
            "Skicka biljetterna per e-post",
            "Mail tickets",
        ],
        Remail => [
            "Lähetä liput uudelleen",
            "Skicka biljetterna igen",
            "Re-mail tickets",
        ],
        RemailPerformance => [
            "Lähetä esityksen kaikki liput uudelleen",
            "Skicka alla biljetter till föreställningen igen",
            "Re-mail all tickets of the performance",
        ],
        MailQueued => [
            "Liput ovat lähtevien postien jonossa",
            "Biljetterna ligger i utkorgen",
            "The tickets are queued for mail",
        ],
        MailSettings => ["Sähköpostipalvelimet", "E-postservrar", "Mail servers"],
        SendTestMail => [
            "Lähetä testiviesti",
            "Skicka testmeddelande",
            "Send test mail",
        ],
        MakeDefault => ["Käytä oletuksena", "Använd som standard", "Make default"],
        CopyServer => ["Kopioi", "Kopiera", "Copy"],
        NewServerName => [
            "Uuden palvelimen nimi",
            "Den nya serverns namn",
            "New server's name",
        ],
        AddServer => ["Lisää palvelin", "Lägg till server", "Add server"],
        Host => ["Palvelin", "Server", "Host"],
        Port => ["Portti", "Port", "Port"],
        Security => ["Salaus", "Kryptering", "Security"],
        Password => ["Salasana", "Lösenord", "Password"],
        Sender => ["Lähettäjä", "Avsändare", "Sender"],
        DefaultServer => ["oletus", "standard", "default"],
        BuiltIn => [
            "sisäänrakennettu, vain luku",
            "inbyggd, skrivskyddad",
            "built-in, read-only",
        ],
        ServerReply => ["Palvelimen vastaus", "Serverns svar", "The server's reply"],
        Recipient => ["Vastaanottaja", "Mottagare", "Recipient"],
        ServerName => ["Nimi", "Namn", "Name"],
        SendSms => [
            "Lähetä liput tekstiviestillä",
            "Skicka biljetterna som sms",
            "Send tickets by SMS",
        ],
        PayBank => [
            "Verkkomaksu (Ctrl+B)",
            "Nätbetalning (Ctrl+B)",
            "Bank payment (Ctrl+B)",
        ],
        Reserve => ["Varaa (Ctrl+E)", "Reservera (Ctrl+E)", "Reserve (Ctrl+E)"],
        Reservations => ["Varaukset", "Reservationer", "Reservations"],
        DueDate => ["Eräpäivä", "Förfallodag", "Due date"],
        Phone => ["Puhelin", "Telefon", "Phone"],
        CheckPayment => ["Tarkista maksu", "Kontrollera betalning", "Check payment"],
        CheckAll => ["Tarkista kaikki", "Kontrollera alla", "Check all"],
        Release => ["Vapauta", "Frigör", "Release"],
        Reference => ["Viite", "Referens", "Reference"],
        State => ["Tila", "Status", "State"],
        Operations => ["Järjestelmän tila", "Systemstatus", "Status"],
        Refresh => ["Päivitä", "Uppdatera", "Refresh"],
        CopySupportReport => [
            "Kopioi tukiraportti",
            "Kopiera supportrapport",
            "Copy support report",
        ],
        SupportReportCopied => [
            "Tukiraportti kopioitu leikepöydälle.",
            "Supportrapporten kopierades till urklipp.",
            "The support report was copied to the clipboard.",
        ],
        BankSettings => [
            "Pankkiasetukset (Verkkomaksu)",
            "Bankinställningar (Nätbetalning)",
            "Bank settings (Verkkomaksu)",
        ],
        Merchant => ["Kauppiasnumero", "Handlarnummer", "Merchant number"],
        Contract => ["Sopimusnumero", "Avtalsnummer", "Contract number"],
        PaymentUrl => ["Maksun osoite", "Betalningsadress", "Payment URL"],
        QueryUrl => ["Maksukyselyn osoite", "Förfrågningsadress", "Query URL"],
        AlternativeUrl => ["Varaosoite", "Reservadress", "Alternative URL"],
        Save => ["Tallenna", "Spara", "Save"],
        AddKey => ["Lisää avain", "Lägg till nyckel", "Add key"],
        ValidFrom => ["Voimassa alkaen", "Giltig från", "Valid from"],
        SecretKey => ["Salainen avain", "Hemlig nyckel", "Secret key"],
        KeysValidFrom => [
            "Avaimet voimassa alkaen",
            "Nycklar giltiga från",
            "Keys valid from",
        ],
        WaitingForBank => [
            "Odotetaan asiakkaan pankkimaksua…",
            "Väntar på kundens bankbetalning…",
            "Waiting for the customer's bank payment…",
        ],
        BankPageAt => [
            "Pankkisivu asiakkaalle",
            "Banksida för kunden",
            "Bank page for the customer",
        ],
        ReplyRefused => ["Vastaus hylättiin", "Svaret avvisades", "Reply refused"],
        Never => ["ei koskaan", "aldrig", "never"],
        LastError => ["Viimeisin virhe", "Senaste fel", "Last error"],
        Reserved => [
            "Varattu viitteellä",
            "Reserverad med referens",
            "Reserved with reference",
        ],
        BankRedirecting => [
            "Siirrytään pankin maksusivulle…",
            "Du skickas till bankens betalningssida…",
            "Taking you to the bank's payment page…",
        ],
        BankContinue => [
            "Jatka pankkiin",
            "Fortsätt till banken",
            "Continue to the bank",
        ],
        BankReturnedOk => [
            "Kiitos! Maksu on vastaanotettu. Palaa kassalle.",
            "Tack! Betalningen har tagits emot. Återvänd till kassan.",
            "Thank you! The payment was received. Please return to the counter.",
        ],
        BankReturnedCancel => [
            "Maksu keskeytettiin. Palaa kassalle.",
            "Betalningen avbröts. Återvänd till kassan.",
            "The payment was cancelled. Please return to the counter.",
        ],
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// Error sentences a cashier understands.
pub fn error_text(lang: Lang, error: &crate::app::AppError) -> String {
    use crate::app::AppError::*;
    match (error, lang) {
        (UnknownUser, Lang::Fi) => "Tuntematon käyttäjä.".into(),
        (UnknownUser, Lang::Sv) => "Okänd användare.".into(),
        (UnknownUser, Lang::En) => "Unknown user.".into(),
        (WrongPin { attempts_left }, Lang::Fi) => {
            format!("Väärä PIN-koodi. Yrityksiä jäljellä ennen lukitusta: {attempts_left}.")
        }
        (WrongPin { attempts_left }, Lang::Sv) => {
            format!("Fel PIN-kod. Försök kvar innan spärr: {attempts_left}.")
        }
        (WrongPin { attempts_left }, Lang::En) => {
            format!("Wrong PIN. {attempts_left} attempts left before the user is locked.")
        }
        (UserLocked { seconds }, Lang::Fi) => {
            format!("Liian monta väärää PIN-koodia: käyttäjä on lukittu {seconds} s.")
        }
        (UserLocked { seconds }, Lang::Sv) => {
            format!("För många fel PIN-koder: användaren är spärrad i {seconds} s.")
        }
        (UserLocked { seconds }, Lang::En) => {
            format!("Too many wrong PINs: the user is locked for {seconds} s.")
        }
        (InsufficientTender { missing }, Lang::Fi) => {
            format!("Annettu summa ei riitä: puuttuu {missing}.")
        }
        (InsufficientTender { missing }, Lang::Sv) => {
            format!("Beloppet räcker inte: {missing} saknas.")
        }
        (InsufficientTender { missing }, Lang::En) => {
            format!("The amount tendered is not enough: {missing} is missing.")
        }
        (
            NotEnoughLeft {
                requested,
                remaining,
            },
            Lang::Fi,
        ) => {
            format!("Lippuja on jäljellä vain {remaining} (pyydetty {requested}). Mitään ei myyty.")
        }
        (
            NotEnoughLeft {
                requested,
                remaining,
            },
            Lang::Sv,
        ) => format!("Bara {remaining} biljetter kvar ({requested} begärda). Inget såldes."),
        (
            NotEnoughLeft {
                requested,
                remaining,
            },
            Lang::En,
        ) => {
            format!("Only {remaining} tickets are left ({requested} asked for). Nothing was sold.")
        }
        (UnknownPerformance(id), Lang::Fi) => format!("Esitystä {id} ei ole."),
        (UnknownPerformance(id), Lang::Sv) => format!("Föreställning {id} finns inte."),
        (UnknownPerformance(id), Lang::En) => format!("There is no performance {id}."),
        (UnknownCategory { code, available }, Lang::Fi) => format!(
            "Hintaluokkaa {code} ei ole tässä esityksessä (on: {}).",
            available.join(", ")
        ),
        (UnknownCategory { code, available }, Lang::Sv) => format!(
            "Priskategorin {code} finns inte för föreställningen (finns: {}).",
            available.join(", ")
        ),
        (UnknownCategory { code, available }, Lang::En) => format!(
            "There is no price category {code} for this performance (there are: {}).",
            available.join(", ")
        ),
        (EmptyCart, Lang::Fi) => "Ostoskori on tyhjä.".into(),
        (EmptyCart, Lang::Sv) => "Varukorgen är tom.".into(),
        (EmptyCart, Lang::En) => "The cart is empty.".into(),
        (UnknownOrder(number), Lang::Fi) => format!("Tilausta {number} ei ole."),
        (UnknownOrder(number), Lang::Sv) => format!("Order {number} finns inte."),
        (UnknownOrder(number), Lang::En) => format!("There is no order {number}."),
        (Forbidden { action }, Lang::Fi) => {
            format!("Käyttäjätunnuksellasi ei voi tehdä tätä ({action}).")
        }
        (Forbidden { action }, Lang::Sv) => format!("Din roll får inte göra detta ({action})."),
        (Forbidden { action }, Lang::En) => {
            format!("Your role is not allowed to do this ({action}).")
        }
        (UserExists(name), Lang::Fi) => format!("Käyttäjä {name} on jo olemassa."),
        (UserExists(name), Lang::Sv) => format!("Användaren {name} finns redan."),
        (UserExists(name), Lang::En) => format!("There is already a user {name}."),
        (InvalidUserName(name), Lang::Fi) => {
            format!("Käyttäjänimi '{name}' ei kelpaa: 1–32 merkkiä a–z, 0–9, piste, viiva.")
        }
        (InvalidUserName(name), Lang::Sv) => {
            format!("Användarnamnet '{name}' duger inte: 1–32 tecken a–z, 0–9, punkt, streck.")
        }
        (InvalidUserName(name), Lang::En) => {
            format!("The user name '{name}' is not valid: 1–32 characters a–z, 0–9, dot, dash.")
        }
        (InvalidPin, Lang::Fi) => "PIN-koodissa on oltava 4–8 numeroa.".into(),
        (InvalidPin, Lang::Sv) => "PIN-koden ska ha 4–8 siffror.".into(),
        (InvalidPin, Lang::En) => "A PIN has 4 to 8 digits.".into(),
        (UnknownRole(role), Lang::Fi) => {
            format!("Roolia '{role}' ei ole (cashier, staff, manager, admin).")
        }
        (UnknownRole(role), Lang::Sv) => {
            format!("Rollen '{role}' finns inte (cashier, staff, manager, admin).")
        }
        (UnknownRole(role), Lang::En) => {
            format!("There is no role '{role}' (cashier, staff, manager, admin).")
        }
        (CannotDisableSelf, Lang::Fi) => "Omaa käyttäjätunnusta ei voi poistaa käytöstä.".into(),
        (CannotDisableSelf, Lang::Sv) => "Du kan inte stänga av din egen användare.".into(),
        (CannotDisableSelf, Lang::En) => "You cannot disable your own user.".into(),
        (NoOpenShift, Lang::Fi) => "Vuoroa ei ole avattu: avaa vuoro ensin (vaihtokassa).".into(),
        (NoOpenShift, Lang::Sv) => {
            "Inget skift är öppet: öppna ett skift först (växelkassa).".into()
        }
        (NoOpenShift, Lang::En) => {
            "No shift is open: open a shift first (with the float in the drawer).".into()
        }
        (ShiftAlreadyOpen, Lang::Fi) => "Tällä kassalla on jo avoin vuoro.".into(),
        (ShiftAlreadyOpen, Lang::Sv) => "Ett skift är redan öppet på den här kassan.".into(),
        (ShiftAlreadyOpen, Lang::En) => "A shift is already open on this register.".into(),
        (NegativeAmount, Lang::Fi) => "Summan on oltava positiivinen.".into(),
        (NegativeAmount, Lang::Sv) => "Beloppet måste vara positivt.".into(),
        (NegativeAmount, Lang::En) => "The amount must be more than zero.".into(),
        (ReasonMissing, Lang::Fi) => "Kirjoita syy.".into(),
        (ReasonMissing, Lang::Sv) => "Ange en orsak.".into(),
        (ReasonMissing, Lang::En) => "Give a reason.".into(),
        (NotEnoughInDrawer { in_drawer }, Lang::Fi) => {
            format!("Kassalaatikossa on vain {in_drawer}.")
        }
        (NotEnoughInDrawer { in_drawer }, Lang::Sv) => {
            format!("Kassalådan innehåller bara {in_drawer}.")
        }
        (NotEnoughInDrawer { in_drawer }, Lang::En) => {
            format!("The drawer holds only {in_drawer}.")
        }
        (ReceiptGap { expected, found }, _) => format!(
            "Receipt numbers are not continuous: expected {expected}, found {found}. Run boxoffice verify and call support."
        ),
        (UnknownZReport(number), Lang::Fi) => format!("Z-raporttia {number} ei ole."),
        (UnknownZReport(number), Lang::Sv) => format!("Z-rapport {number} finns inte."),
        (UnknownZReport(number), Lang::En) => format!("There is no Z report {number}."),
        (BadCount(reason), _) => format!("The count is not valid: {reason}"),
        (Internal(reason), _) => format!("Internal error: {reason}"),
        (TenderNeedsLink(tenders), Lang::Fi) => format!(
            "Tilaus on maksettu tavalla {}: palautus vaatii sen maksuyhteyden (kortti: maksupääte), joka ei ole vielä käytössä. Mitään ei palautettu.",
            tenders.join(" + ")
        ),
        (TenderNeedsLink(tenders), Lang::Sv) => format!(
            "Ordern betalades med {}: återbetalningen kräver den betalningslänken (kort: terminalen), som inte finns än. Inget återbetalades.",
            tenders.join(" + ")
        ),
        (TenderNeedsLink(tenders), Lang::En) => format!(
            "The order was paid by {}: refunding it needs that payment link (card: the terminal), which is not available yet. Nothing was refunded.",
            tenders.join(" + ")
        ),
        (CardTerminal(reason), Lang::Fi) => {
            format!("Maksupääte: {reason}. Korttia ei veloitettu; käteinen toimii.")
        }
        (CardTerminal(reason), Lang::Sv) => {
            format!("Kortterminalen: {reason}. Kortet debiterades inte; kontant fungerar.")
        }
        (CardTerminal(reason), Lang::En) => {
            format!("Card terminal: {reason}. The card was not charged; cash still works.")
        }
        (UnknownCardAttempt(id), Lang::Fi) => format!("Korttimaksuyritystä {id} ei ole."),
        (UnknownCardAttempt(id), Lang::Sv) => format!("Kortbetalningsförsöket {id} finns inte."),
        (UnknownCardAttempt(id), Lang::En) => format!("There is no card attempt {id}."),
        (CardAttemptResolved(state), Lang::Fi) => format!("Yritys on jo ratkaistu ({state})."),
        (CardAttemptResolved(state), Lang::Sv) => format!("Försöket är redan avgjort ({state})."),
        (CardAttemptResolved(state), Lang::En) => {
            format!("The attempt is already resolved ({state}).")
        }
        (TerminalExists(name), Lang::Fi) => format!("Maksupääte '{name}' on jo olemassa."),
        (TerminalExists(name), Lang::Sv) => format!("Terminalen '{name}' finns redan."),
        (TerminalExists(name), Lang::En) => format!("A terminal named '{name}' already exists."),
        (UnknownTerminal(name), Lang::Fi) => format!("Maksupäätettä '{name}' ei ole."),
        (UnknownTerminal(name), Lang::Sv) => format!("Terminalen '{name}' finns inte."),
        (UnknownTerminal(name), Lang::En) => format!("There is no terminal named '{name}'."),
        (NoTerminal(names), Lang::Fi) if names.is_empty() => {
            "Maksupäätettä ei ole asetettu: boxoffice terminal add.".into()
        }
        (NoTerminal(names), Lang::Sv) if names.is_empty() => {
            "Ingen terminal är inställd: boxoffice terminal add.".into()
        }
        (NoTerminal(names), Lang::En) if names.is_empty() => {
            "No card terminal is set up: boxoffice terminal add.".into()
        }
        (NoTerminal(names), Lang::Fi) => {
            format!("Valitse maksupääte (--terminal): {}.", names.join(", "))
        }
        (NoTerminal(names), Lang::Sv) => {
            format!("Välj terminal (--terminal): {}.", names.join(", "))
        }
        (NoTerminal(names), Lang::En) => {
            format!("Choose the terminal (--terminal): {}.", names.join(", "))
        }
        (TerminalUnsupported(name), Lang::Fi) => format!(
            "Maksupäätteen '{name}' tyyppiä ei tueta."
        ),
        (TerminalUnsupported(name), Lang::Sv) => format!(
            "Terminalen '{name}' är av en typ som inte stöds."
        ),
        (TerminalUnsupported(name), Lang::En) => format!(
            "Terminal '{name}' is of a kind this version does not support."
        ),
        (TerminalBlocked { terminal, attempts }, Lang::Fi) => format!(
            "Maksupääte '{terminal}' on estetty: maksujen {} tulos ei ole tiedossa. Ratkaise ne ensin (boxoffice payments pending).",
            attempts.join(", ")
        ),
        (TerminalBlocked { terminal, attempts }, Lang::Sv) => format!(
            "Terminalen '{terminal}' är spärrad: utfallet av {} är okänt. Avgör dem först (boxoffice payments pending).",
            attempts.join(", ")
        ),
        (TerminalBlocked { terminal, attempts }, Lang::En) => format!(
            "Terminal '{terminal}' is blocked: the outcome of {} is unknown. Resolve them first (boxoffice payments pending).",
            attempts.join(", ")
        ),
        (CardNotApproved { condition, text }, Lang::Fi) => {
            format!("Korttimaksu ei mennyt läpi ({condition}) {text}. Mitään ei myyty.")
        }
        (CardNotApproved { condition, text }, Lang::Sv) => {
            format!("Kortbetalningen godkändes inte ({condition}) {text}. Inget såldes.")
        }
        (CardNotApproved { condition, text }, Lang::En) => {
            format!("The card payment was not approved ({condition}) {text}. Nothing was sold.")
        }
        (CardOutcomeUnknown { terminal, attempt }, Lang::Fi) => format!(
            "Korttimaksun {attempt} tulos on tuntematon: päätettä '{terminal}' ei käytetä ennen kuin se selviää. Mitään ei myyty."
        ),
        (CardOutcomeUnknown { terminal, attempt }, Lang::Sv) => format!(
            "Utfallet av kortbetalningen {attempt} är okänt: terminalen '{terminal}' används inte förrän det är klart. Inget såldes."
        ),
        (CardOutcomeUnknown { terminal, attempt }, Lang::En) => format!(
            "The outcome of card payment {attempt} is unknown: terminal '{terminal}' is blocked until it is known. Nothing was sold."
        ),
        (CardAmount { card, total }, Lang::Fi) => {
            format!("Korttiosuus {card} ei sovi summaan {total}.")
        }
        (CardAmount { card, total }, Lang::Sv) => {
            format!("Kortdelen {card} passar inte totalen {total}.")
        }
        (CardAmount { card, total }, Lang::En) => {
            format!("The card part {card} does not fit the total {total}.")
        }
        (CardSaleReversed(why), lang) => match lang {
            Lang::Fi => format!(
                "Myynti epäonnistui korttimaksun jälkeen ({}); maksu peruttiin päätteellä.",
                error_text(lang, why)
            ),
            Lang::Sv => format!(
                "Försäljningen misslyckades efter kortbetalningen ({}); betalningen återfördes på terminalen.",
                error_text(lang, why)
            ),
            Lang::En => format!(
                "The sale failed after the card payment ({}); the payment was reversed on the terminal.",
                error_text(lang, why)
            ),
        },
        (
            CardSaleNotReversed {
                sale,
                reversal,
                attempt,
            },
            lang,
        ) => match lang {
            Lang::Fi => format!(
                "Myynti epäonnistui korttimaksun jälkeen ({}), eikä perumista saatu tehtyä ({reversal}): palauta maksu {attempt} asiakkaalle.",
                error_text(lang, sale)
            ),
            Lang::Sv => format!(
                "Försäljningen misslyckades efter kortbetalningen ({}) och återföringen misslyckades ({reversal}): återbetala {attempt} till kunden.",
                error_text(lang, sale)
            ),
            Lang::En => format!(
                "The sale failed after the card payment ({}) and the reversal failed ({reversal}): refund payment {attempt} to the customer.",
                error_text(lang, sale)
            ),
        },
        (CardReversalFailed(why), Lang::Fi) => format!("Maksupääte ei perunut maksua: {why}"),
        (CardReversalFailed(why), Lang::Sv) => format!("Terminalen återförde inte betalningen: {why}"),
        (CardReversalFailed(why), Lang::En) => format!("The terminal did not reverse the payment: {why}"),
        (NetsAccountMissing, Lang::Fi) => "Nets Connect@Cloud -tiliä ei ole asetettu: boxoffice terminal nets-account.".into(),
        (NetsAccountMissing, Lang::Sv) => "Inget Nets Connect@Cloud-konto är inställt: boxoffice terminal nets-account.".into(),
        (NetsAccountMissing, Lang::En) => "No Nets Connect@Cloud account is set up: boxoffice terminal nets-account.".into(),
        (TerminalNotReconciled(name), Lang::Fi) => format!("Maksupääte '{name}' ei ota maksuja ennen ensimmäistä täsmäytystä: boxoffice terminal reconcile {name}."),
        (TerminalNotReconciled(name), Lang::Sv) => format!("Terminalen '{name}' tar inte emot betalningar före sin första avstämning: boxoffice terminal reconcile {name}."),
        (TerminalNotReconciled(name), Lang::En) => format!("Terminal '{name}' accepts payments only after its first reconciliation: boxoffice terminal reconcile {name}."),
        (ManualTooEarly { tries }, Lang::Fi) => {
            format!("Käsin ratkaisu vasta {tries} epäonnistuneen tilakyselyn jälkeen.")
        }
        (ManualTooEarly { tries }, Lang::Sv) => {
            format!("Manuellt avgörande först efter {tries} misslyckade statusfrågor.")
        }
        (ManualTooEarly { tries }, Lang::En) => {
            format!("Resolving by hand is possible after {tries} failed status queries.")
        }
        (InvalidEmail(email), Lang::Fi) => format!("Sähköpostiosoite '{email}' ei kelpaa."),
        (InvalidEmail(email), Lang::Sv) => format!("E-postadressen '{email}' är inte giltig."),
        (InvalidEmail(email), Lang::En) => format!("The e-mail address '{email}' is not valid."),
        (BadDate(date), Lang::Fi) => {
            format!("'{date}' ei ole päivämäärä: kirjoita esim. 5.12.2026.")
        }
        (BadDate(date), Lang::Sv) => {
            format!("'{date}' är inget datum: skriv t.ex. 5.12.2026.")
        }
        (BadDate(date), Lang::En) => {
            format!("'{date}' is not a date: write it as e.g. 5.12.2026 or 2026-12-05.")
        }
        (UnknownReport(kind), _) => {
            format!("There is no report '{kind}': use sales, refunds or z.")
        }
        (TicketTwice(code), _) => format!("Ticket {code} is listed twice."),
        (TicketNotRefundable(code), Lang::Fi) => {
            format!("Lippu {code} ei kuulu tähän tilaukseen tai se on jo hyvitetty.")
        }
        (TicketNotRefundable(code), Lang::Sv) => {
            format!("Biljett {code} hör inte till ordern eller är redan återbetald.")
        }
        (TicketNotRefundable(code), Lang::En) => {
            format!("Ticket {code} is not part of this order or was already refunded.")
        }
        (AlreadyRefunded, Lang::Fi) => "Tilaus on jo hyvitetty kokonaan.".into(),
        (AlreadyRefunded, Lang::Sv) => "Ordern är redan helt återbetald.".into(),
        (AlreadyRefunded, Lang::En) => "Nothing is left to refund on this order.".into(),
        (MoreThanPaid { refundable }, Lang::Fi) => {
            format!("Enintään {refundable} voidaan vielä hyvittää.")
        }
        (MoreThanPaid { refundable }, Lang::Sv) => format!("Högst {refundable} kan återbetalas."),
        (MoreThanPaid { refundable }, Lang::En) => {
            format!("At most {refundable} can still be refunded.")
        }
        (UnknownPrinter(name), Lang::Fi) => {
            format!("Tulostinta '{name}' ei ole (katso boxoffice printer list).")
        }
        (UnknownPrinter(name), Lang::Sv) => {
            format!("Skrivaren '{name}' finns inte (se boxoffice printer list).")
        }
        (UnknownPrinter(name), Lang::En) => {
            format!("There is no printer '{name}' (see boxoffice printer list).")
        }
        (BadPrinterSetting(reason), Lang::Fi) => format!("Tulostimen asetus ei kelpaa: {reason}"),
        (BadPrinterSetting(reason), Lang::Sv) => {
            format!("Skrivarinställningen duger inte: {reason}")
        }
        (BadPrinterSetting(reason), Lang::En) => {
            format!("The printer setting is not valid: {reason}")
        }
        (UnknownTicket(code), Lang::Fi) => format!("Lippua {code} ei ole."),
        (UnknownTicket(code), Lang::Sv) => format!("Biljetten {code} finns inte."),
        (UnknownTicket(code), Lang::En) => format!("There is no ticket {code}."),
        (
            TicketReplaced {
                code,
                reissue_number,
            },
            Lang::Fi,
        ) => format!(
            "Lippu {code} on mitätöity: sen tilalle on annettu uusi lippu nro {reissue_number}."
        ),
        (
            TicketReplaced {
                code,
                reissue_number,
            },
            Lang::Sv,
        ) => format!(
            "Biljetten {code} är spärrad: den har ersatts av ny biljett nr {reissue_number}."
        ),
        (
            TicketReplaced {
                code,
                reissue_number,
            },
            Lang::En,
        ) => format!("Ticket {code} is revoked: it was replaced by reissue no. {reissue_number}."),
        (TicketNotValid { code, state }, Lang::Fi) => {
            format!("Lippu {code} ei ole voimassa ({state}): sitä ei tulosteta.")
        }
        (TicketNotValid { code, state }, Lang::Sv) => {
            format!("Biljetten {code} är inte giltig ({state}): den skrivs inte ut.")
        }
        (TicketNotValid { code, state }, Lang::En) => {
            format!("Ticket {code} is not valid ({state}): it is not printed.")
        }
        (AlreadyPrinted(code), Lang::Fi) => format!(
            "Lippu {code} on jo tulostettu: tulosta kopio (--copy) tai uusi lippu (--reissue)."
        ),
        (AlreadyPrinted(code), Lang::Sv) => format!(
            "Biljetten {code} är redan utskriven: skriv ut en kopia (--copy) eller en ny biljett (--reissue)."
        ),
        (AlreadyPrinted(code), Lang::En) => format!(
            "Ticket {code} was already printed: print a copy (--copy) or reissue it (--reissue)."
        ),
        (UnknownMailServer(name), Lang::Fi) => format!("Sähköpostipalvelinta '{name}' ei ole."),
        (UnknownMailServer(name), Lang::Sv) => format!("E-postservern '{name}' finns inte."),
        (UnknownMailServer(name), Lang::En) => format!("There is no mail server '{name}'."),
        (MailServerExists(name), Lang::Fi) => {
            format!("Sähköpostipalvelin '{name}' on jo olemassa: valitse toinen nimi.")
        }
        (MailServerExists(name), Lang::Sv) => {
            format!("E-postservern '{name}' finns redan: välj ett annat namn.")
        }
        (MailServerExists(name), Lang::En) => {
            format!("A mail server named '{name}' already exists: choose another name.")
        }
        (NoEmailAddress(order), Lang::Fi) => {
            format!("Tilauksella {order} ei ole sähköpostiosoitetta: anna osoite.")
        }
        (NoEmailAddress(order), Lang::Sv) => {
            format!("Order {order} har ingen e-postadress: ange en adress.")
        }
        (NoEmailAddress(order), Lang::En) => {
            format!("Order {order} has no e-mail address: give one.")
        }
        (UnknownMail(id), Lang::Fi) => format!("Viestiä {id} ei ole lähtevissä."),
        (UnknownMail(id), Lang::Sv) => format!("Meddelande {id} finns inte i utkorgen."),
        (UnknownMail(id), Lang::En) => format!("There is no message {id} in the outbox."),
        (MailNotFailed(id), Lang::Fi) => {
            format!("Viesti {id} on jo lähetetty tai korvattu: osoitetta ei voi enää korjata.")
        }
        (MailNotFailed(id), Lang::Sv) => {
            format!("Meddelande {id} är redan skickat eller ersatt: adressen kan inte rättas.")
        }
        (MailNotFailed(id), Lang::En) => {
            format!("Message {id} was already sent or replaced: its address cannot be corrected.")
        }
        (NoDkimKey(domain), Lang::Fi) => {
            format!("Verkkotunnuksella {domain} ei ole DKIM-avainta: luo se ensin.")
        }
        (NoDkimKey(domain), Lang::Sv) => {
            format!("Domänen {domain} har ingen DKIM-nyckel: skapa den först.")
        }
        (NoDkimKey(domain), Lang::En) => {
            format!("The domain {domain} has no DKIM key: generate one first.")
        }
        (InvalidPhone(phone), Lang::Fi) => {
            format!("Puhelinnumero '{phone}' ei kelpaa (esim. +358 40 123 4567).")
        }
        (InvalidPhone(phone), Lang::Sv) => {
            format!("Telefonnumret '{phone}' är inte giltigt (t.ex. +358 40 123 4567).")
        }
        (InvalidPhone(phone), Lang::En) => {
            format!("The phone number '{phone}' is not valid (e.g. +358 40 123 4567).")
        }
        (MailSetup(detail), Lang::Fi) => format!("Sähköpostin asetukset eivät toimi: {detail}"),
        (MailSetup(detail), Lang::Sv) => format!("E-postinställningarna fungerar inte: {detail}"),
        (MailSetup(detail), Lang::En) => format!("The mail settings do not work: {detail}"),
        (SecretStore(detail), Lang::Fi) => format!("Salaisuuksien säilöä ei voi käyttää: {detail}"),
        (SecretStore(detail), Lang::Sv) => format!("Det går inte att använda hemlighetsförrådet: {detail}"),
        (SecretStore(detail), Lang::En) => format!("The secret store cannot be used: {detail}"),
        (BankNotConfigured, Lang::Fi) => "Verkkomaksua ei ole määritetty: anna kauppiasnumero, sopimusnumero ja salainen avain pankkiasetuksissa (`boxoffice bank settings`, `boxoffice bank key add`).".into(),
        (BankNotConfigured, Lang::Sv) => "Nätbetalning är inte inställd: ange handlarnummer, avtalsnummer och hemlig nyckel i bankinställningarna (`boxoffice bank settings`, `boxoffice bank key add`).".into(),
        (BankNotConfigured, Lang::En) => "Bank payment is not set up: enter the merchant number, contract number and secret key in the bank settings (`boxoffice bank settings`, `boxoffice bank key add`).".into(),
        (BadBankSetting(what), Lang::Fi) => format!("Pankkiasetus ei kelpaa: {what}."),
        (BadBankSetting(what), Lang::Sv) => format!("Bankinställningen är ogiltig: {what}."),
        (BadBankSetting(what), Lang::En) => format!("Invalid bank setting: {what}."),
        (BankReply(why), Lang::Fi) => format!("Pankin vastaus hylättiin, mitään ei myyty: {why}"),
        (BankReply(why), Lang::Sv) => format!("Bankens svar avvisades, inget såldes: {why}"),
        (BankReply(why), Lang::En) => format!("The bank's reply was refused and nothing was sold: {why}"),
        (Bank(why), Lang::Fi) => format!("Pankkiyhteys epäonnistui: {why}"),
        (Bank(why), Lang::Sv) => format!("Bankförbindelsen misslyckades: {why}"),
        (Bank(why), Lang::En) => format!("The bank link failed: {why}"),
        (UnknownReservation(reference), Lang::Fi) => format!("Varausta viitteellä {reference} ei ole."),
        (UnknownReservation(reference), Lang::Sv) => format!("Ingen reservation med referensen {reference}."),
        (UnknownReservation(reference), Lang::En) => format!("There is no reservation with reference {reference}."),
        (ReservationEnded { reference, state }, Lang::Fi) => format!("Varaus {reference} on jo päättynyt ({state})."),
        (ReservationEnded { reference, state }, Lang::Sv) => format!("Reservationen {reference} är redan avslutad ({state})."),
        (ReservationEnded { reference, state }, Lang::En) => format!("Reservation {reference} has already ended ({state})."),
        (BankRefundOnce, Lang::Fi) => "Verkkomaksun voi hyvittää vain kerran, ja tämä maksu on jo hyvitetty.".into(),
        (BankRefundOnce, Lang::Sv) => "En nätbetalning kan återbetalas bara en gång, och den här är redan återbetald.".into(),
        (BankRefundOnce, Lang::En) => "A bank payment can be refunded only once, and this one already was.".into(),
        (Seating(problem), lang) => seat_problem_text(lang, problem),
        (Receipt(problem), lang) => receipt_problem_text(lang, problem),
        (Ledger(inner), _) => inner.to_string(),
    }
}

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

/// Sentences for what went wrong with seats.
pub fn seat_problem_text(lang: Lang, problem: &crate::app::seats::SeatProblem) -> String {
    use crate::app::seats::SeatProblem::*;
    match (problem, lang) {
        (NotSeated(id), Lang::Fi) => {
            format!("Esityksessä {id} ei ole numeroituja paikkoja; myy ilman paikkoja.")
        }
        (NotSeated(id), Lang::Sv) => {
            format!("Föreställning {id} har inga numrerade platser; sälj utan platser.")
        }
        (NotSeated(id), Lang::En) => {
            format!("Performance {id} has free seating; sell without seats.")
        }
        (UnknownSeat(seat), Lang::Fi) => {
            format!("Paikkaa {seat} ei ole tämän esityksen salissa (muoto OSASTO:RIVI:PAIKKA).")
        }
        (UnknownSeat(seat), Lang::Sv) => format!(
            "Platsen {seat} finns inte i salongen för den här föreställningen (form SEKTION:RAD:PLATS)."
        ),
        (UnknownSeat(seat), Lang::En) => {
            format!("Seat {seat} is not in this performance's plan (write SECTION:ROW:SEAT).")
        }
        (Taken(seats), Lang::Fi) => format!(
            "Paikka on jo myyty tai varattu: {}. Mitään ei myyty.",
            seats.join(", ")
        ),
        (Taken(seats), Lang::Sv) => format!(
            "Platsen är redan såld eller spärrad: {}. Inget såldes.",
            seats.join(", ")
        ),
        (Taken(seats), Lang::En) => format!(
            "Seat already sold or held: {}. Nothing was sold.",
            seats.join(", ")
        ),
        (CountMismatch { tickets, seats }, Lang::Fi) => {
            format!("Lippuja on {tickets} mutta paikkoja {seats}: määrien pitää täsmätä.")
        }
        (CountMismatch { tickets, seats }, Lang::Sv) => {
            format!("{tickets} biljetter men {seats} platser: antalen ska stämma.")
        }
        (CountMismatch { tickets, seats }, Lang::En) => {
            format!("{tickets} tickets but {seats} seats: the numbers must match.")
        }
        (NoneLeft { requested }, Lang::Fi) => {
            format!("Vapaita paikkoja ei ole {requested} kappaletta (tai pyörätuolipaikkaa).")
        }
        (NoneLeft { requested }, Lang::Sv) => {
            format!("Det finns inte {requested} lediga platser (eller rullstolsplatser).")
        }
        (NoneLeft { requested }, Lang::En) => {
            format!("There are not {requested} free seats (or wheelchair places) left.")
        }
        (SplitOffered(seats), Lang::Fi) => format!(
            "Vierekkäisiä paikkoja ei ole; parhaat erilliset paikat: {}. Hyväksy ne valitsemalla nämä paikat.",
            seats.join(", ")
        ),
        (SplitOffered(seats), Lang::Sv) => format!(
            "Inga platser bredvid varandra; bästa åtskilda platser: {}. Godkänn dem genom att välja just de platserna.",
            seats.join(", ")
        ),
        (SplitOffered(seats), Lang::En) => format!(
            "No adjacent seats left; the best split is {}. Accept it by choosing these seats.",
            seats.join(", ")
        ),
        (NoPlan(venue), Lang::Fi) => format!("Paikalla {venue} ei ole salikarttaa."),
        (NoPlan(venue), Lang::Sv) => format!("{venue} har ingen salongskarta."),
        (NoPlan(venue), Lang::En) => format!("{venue} has no seat plan."),
        (BadPlan(why), Lang::Fi) => format!("Salikarttaa ei tuotu: {why}"),
        (BadPlan(why), Lang::Sv) => format!("Salongskartan importerades inte: {why}"),
        (BadPlan(why), Lang::En) => format!("The seat plan was not imported: {why}"),
        (BadReason(reason), Lang::Fi) => {
            format!("Tuntematon syy '{reason}': press, artist tai technical.")
        }
        (BadReason(reason), Lang::Sv) => {
            format!("Okänd orsak '{reason}': press, artist eller technical.")
        }
        (BadReason(reason), Lang::En) => {
            format!("Unknown reason '{reason}': press, artist or technical.")
        }
        (NotHeld(seat), Lang::Fi) => format!("Paikka {seat} ei ole varattuna."),
        (NotHeld(seat), Lang::Sv) => format!("Platsen {seat} är inte spärrad."),
        (NotHeld(seat), Lang::En) => format!("Seat {seat} is not held."),
        (TooLate, Lang::Fi) => "Esitys alkaa niin pian, että varaus vapautuisi heti.".into(),
        (TooLate, Lang::Sv) => {
            "Föreställningen börjar så snart att spärren genast skulle släppas.".into()
        }
        (TooLate, Lang::En) => {
            "The performance starts so soon that the hold would be released at once.".into()
        }
        (Exchange(why), Lang::Fi) => format!("Paikkaa ei voi vaihtaa: {why}"),
        (Exchange(why), Lang::Sv) => format!("Platsen kan inte bytas: {why}"),
        (Exchange(why), Lang::En) => format!("The seat cannot be exchanged: {why}"),
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
pub fn give_back(lang: Lang, amount: crate::domain::Money, tender: &str) -> String {
    match (lang, tender) {
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

/// Sentences for what went wrong with a receipt or the seller settings.
pub fn receipt_problem_text(lang: Lang, problem: &crate::app::receipts::ReceiptProblem) -> String {
    use crate::app::receipts::ReceiptProblem::*;
    match (problem, lang) {
        (CopyAlreadyPrinted(n), Lang::Fi) => {
            format!("Kuitista {n} on jo tulostettu kopio; toista kopiota ei voi tulostaa.")
        }
        (CopyAlreadyPrinted(n), Lang::Sv) => {
            format!("En kopia av kvitto {n} är redan utskriven; en andra kopia får inte skrivas ut.")
        }
        (CopyAlreadyPrinted(n), Lang::En) => {
            format!("A copy of receipt {n} was already printed; a second copy cannot be printed.")
        }
        (OriginalAlreadyPrinted(n), Lang::Fi) => {
            format!("Kuitti {n} on jo tulostettu; tulosta kopio (--copy).")
        }
        (OriginalAlreadyPrinted(n), Lang::Sv) => {
            format!("Kvitto {n} är redan utskrivet; skriv ut en kopia (--copy).")
        }
        (OriginalAlreadyPrinted(n), Lang::En) => {
            format!("Receipt {n} was already printed; print a copy (--copy).")
        }
        (NoReceiptPrinter, Lang::Fi) => {
            "Kuittitulostinta ei ole asetettu: anna --to tai aseta register seller --receipt-printer.".into()
        }
        (NoReceiptPrinter, Lang::Sv) => {
            "Ingen kvittoskrivare är inställd: ange --to eller register seller --receipt-printer.".into()
        }
        (NoReceiptPrinter, Lang::En) => {
            "No receipt printer is set: give --to or set register seller --receipt-printer.".into()
        }
        (NoRefund(order), Lang::Fi) => format!("Tilauksella {order} ei ole palautusta."),
        (NoRefund(order), Lang::Sv) => format!("Order {order} har ingen retur."),
        (NoRefund(order), Lang::En) => format!("Order {order} has no refund."),
        (BadBusinessId(id), Lang::Fi) => format!(
            "'{id}' ei ole kelvollinen Y-tunnus (1234567-8) tai organisationsnummer (556012-5790); tarkistusnumero ei täsmää."
        ),
        (BadBusinessId(id), Lang::Sv) => format!(
            "'{id}' är inte ett giltigt FO-nummer (1234567-8) eller organisationsnummer (556012-5790); kontrollsiffran stämmer inte."
        ),
        (BadBusinessId(id), Lang::En) => format!(
            "'{id}' is not a valid business ID (Y-tunnus 1234567-8 for EUR, organisationsnummer 556012-5790 for SEK); its check digit does not match."
        ),
        (BadSetting(what), Lang::Fi) => format!("Virheellinen asetus: {what}."),
        (BadSetting(what), Lang::Sv) => format!("Felaktig inställning: {what}."),
        (BadSetting(what), Lang::En) => format!("Not a valid setting: {what}."),
        (CurrencyFixed, Lang::Fi) => {
            "Kassan valuuttaa ei voi vaihtaa, kun sillä on vuoroja tai myyntejä.".into()
        }
        (CurrencyFixed, Lang::Sv) => {
            "Kassans valuta kan inte ändras när den har skift eller försäljning.".into()
        }
        (CurrencyFixed, Lang::En) => {
            "The register's currency cannot change once it has shifts or sales.".into()
        }
        (Printer(why), Lang::Fi) => format!("Kuittitulostin ei ottanut kuittia vastaan: {why}"),
        (Printer(why), Lang::Sv) => format!("Kvittoskrivaren tog inte emot kvittot: {why}"),
        (Printer(why), Lang::En) => format!("The receipt printer did not take the receipt: {why}"),
    }
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
        "z_reports" => ["Z-raportit", "Z-rapporter", "Z reports"],
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
