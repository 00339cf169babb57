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
