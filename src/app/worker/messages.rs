//! What the UI asks for ([`Command`]) and what it is told ([`Event`]).

use super::*;
use crate::app::views::{
    BankSettingsView, CardAttemptView, MailFailureView, MailServerView, OrderHitView, PrinterView,
    RefundView, ReservationView, TableView,
};
use crate::domain::ids::{OrderNumber, PerformanceId};

/// How the customer pays a [`SaleCommand::Sell`].
#[derive(Debug, Clone)]
pub enum Pay {
    /// Cash: `SaleRequest::tendered`.
    Cash,
    /// By card (cash `SaleRequest::tendered` for a part given in `split`); the terminal's texts
    /// come as [`CardEvent::CardDisplay`]; setting `abort` asks the terminal to abort. Runs on its
    /// own thread.
    Card {
        split: crate::app::Split,
        abort: Arc<AtomicBool>,
    },
    /// Verkkomaksu in the customer's browser (runs on its own thread; `CancelBankPayment`
    /// stops it). The page's address comes as [`BankEvent::BankPage`].
    Bank { open_browser: bool },
}

/// What the UI asks for, by area (each area's enum documents its commands).
#[derive(Debug, Clone)]
pub enum Command {
    /// Logging in and what the counter needs after it.
    Session(SessionCommand),
    /// Selling at the counter.
    Sale(SaleCommand),
    /// Finding an order and refunding its tickets.
    Refund(RefundCommand),
    /// The cashier's shift: open, X, cash in/out, close (Z), print the report.
    Shift(ShiftCommand),
    /// Mailing tickets and receipts, the mail servers, SMS.
    Mail(MailCommand),
    /// Ticket printers: previews, retries, copies and reissues, printer settings.
    Print(PrintCommand),
    /// Card payments whose outcome is not known.
    Card(CardCommand),
    /// Bank payments and reservations paid by bank transfer; the bank's settings.
    Bank(BankCommand),
    /// Seat maps and the seats held in this counter's cart.
    Seats(SeatsCommand),
    /// The back office: reports, users, statuses, devices and settings.
    Admin(AdminCommand),
}

/// Logging in and what the counter needs after it.
#[derive(Debug, Clone)]
pub enum SessionCommand {
    /// Logs in with name and PIN; `lang` is the language the answer is said in.
    Login {
        name: String,
        pin: String,
        lang: Lang,
    },
    /// The performances on sale with what is left.
    LoadCatalog { lang: Lang },
    /// Stores the user's language (chosen on the login screen).
    SetLanguage { session: Session, lang: Lang },
}

/// Selling at the counter.
#[derive(Debug, Clone)]
pub enum SaleCommand {
    /// A sale, however paid: one path ([`Services::sell_with`]); the answer is
    /// [`SaleEvent::SaleCompleted`] with everything the counter shows next, [`SaleEvent::SaleFailed`],
    /// or for a bank payment [`BankEvent::BankEnded`].
    Sell {
        session: Session,
        request: SaleRequest,
        pay: Pay,
    },
}

/// Finding an order and refunding its tickets.
#[derive(Debug, Clone)]
pub enum RefundCommand {
    /// Orders matching a search (results as the user types).
    SearchOrders { query: String, lang: Lang },
    /// One order with its refunds, for the refund panel.
    LoadOrder {
        order_number: OrderNumber,
        lang: Lang,
    },
    /// Refunds tickets of an order (`RefundEvent::Refunded`); a cashier names a manager in `manager`.
    Refund {
        session: Session,
        /// A manager's name and PIN given in place, when the user may not refund alone.
        manager: Option<(String, String)>,
        order_number: OrderNumber,
        request: RefundRequest,
        reason: String,
    },
}

/// The cashier's shift: open, X, cash in/out, close (Z), print the report.
#[derive(Debug, Clone)]
pub enum ShiftCommand {
    /// Opens the user's shift with the float counted into the drawer.
    OpenShift { session: Session, float: Money },
    /// The open shift's X report (`ShiftEvent::Report(None)` when no shift is open).
    XReport { session: Session },
    /// Closes the shift with the drawer count: the Z report comes back. With `end_of_day` the
    /// close also makes the trading day's Z (issue 13, as `shift close --end-of-day`), given
    /// back in the report's `day_z`.
    CloseShift {
        session: Session,
        manager: Option<(String, String)>,
        count: DrawerCount,
        comment: String,
        end_of_day: bool,
    },
    /// Cash in or out of the drawer (`movement` None: a drawer opening without a sale).
    MoveCash {
        session: Session,
        manager: Option<(String, String)>,
        movement: Option<CashMovement>,
        amount: Money,
        reason: String,
    },
    /// Prints the shown Z (or X) report on the ticket printer.
    PrintReport {
        report: Box<ShiftReport>,
        lang: Lang,
    },
}

/// Mailing tickets and receipts, the mail servers, SMS.
#[derive(Debug, Clone)]
pub enum MailCommand {
    /// The red count: mail failures since this user last looked.
    MailStatus { session: Session },
    /// The failures list (looking at it resets the count).
    OpenMailFailures { session: Session },
    /// Correct a failed message's address and send it again.
    ReaddressMail {
        session: Session,
        mail_id: i64,
        address: String,
    },
    /// Mail an order's tickets: after a sale ("mail tickets" ticked) or a re-mail (staff).
    QueueMail {
        session: Session,
        order_number: OrderNumber,
        to: Option<String>,
        remail: bool,
    },
    /// The mail servers and which one is the default.
    LoadMailServers,
    /// Adds a mail server (its password goes into the secret store).
    AddMailServer {
        session: Session,
        request: crate::app::MailServerRequest,
    },
    /// Copies a server's settings under a new name.
    CopyMailServer {
        session: Session,
        from: String,
        name: String,
    },
    /// Makes a server the one mail is sent through.
    MakeMailServerDefault { session: Session, name: String },
    /// Sends a test message (own thread: a server can take its time to answer).
    TestMail {
        session: Session,
        server: String,
        to: String,
    },
    /// Sends an order's tickets to a phone by SMS (own thread).
    SendSms {
        session: Session,
        order_number: OrderNumber,
        phone: String,
    },
    /// Re-mail every order of a performance, reporting progress; `cancel` stops it.
    RemailPerformance {
        session: Session,
        performance_id: PerformanceId,
        cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    },
}

/// Ticket printers: previews, retries, copies and reissues, printer settings.
#[derive(Debug, Clone)]
pub enum PrintCommand {
    /// Pictures of the labels for the screen (rendered here, not on the UI thread).
    RenderPreviews { labels: Vec<pc43d::Label> },
    /// Prints the order's tickets that have not reached a printer (the "not printed" banner).
    RetryPrint {
        session: Session,
        order_number: OrderNumber,
    },
    /// Orders with their tickets for the reprint screen.
    ReprintSearch { query: String, lang: Lang },
    /// The customer's receipt of a sale on the receipt printer (the setting "ask", answered
    /// yes); answered with `Event::Done` or `Event::Failed`.
    PrintReceipt {
        session: Session,
        order_number: OrderNumber,
    },
    /// A copy or a reissue of one ticket.
    PrintTicket {
        session: Session,
        code: String,
        mode: PrintMode,
    },
    /// The printers and the system's print queues (admins).
    LoadPrinters { lang: Lang },
    /// Adds or changes a printer, optionally as the default.
    SavePrinter {
        session: Session,
        name: String,
        transport: String,
        language: String,
        make_default: bool,
    },
    /// Prints a test ticket on a printer.
    PrintTest { session: Session, printer: String },
    /// Asks a printer how it is (paper, head, ribbon).
    PrinterStatus { printer: String, lang: Lang },
}

/// Card payments whose outcome is not known.
#[derive(Debug, Clone)]
pub enum CardCommand {
    /// Card attempts whose outcome is unknown, and approvals in no order.
    LoadPendingCard { lang: Lang },
    /// A manager settles an attempt by hand.
    ResolveCard {
        session: Session,
        attempt: String,
        decision: crate::app::ManualResolution,
    },
}

/// Bank payments and reservations paid by bank transfer; the bank's settings.
#[derive(Debug, Clone)]
pub enum BankCommand {
    /// Stops a bank payment at the counter (the bank is asked whether money moved).
    CancelBankPayment,
    /// Reserves the cart against a bank payment by a due date (`BankEvent::Reservations`).
    Reserve {
        session: Session,
        request: ReservationRequest,
    },
    /// The reservations list.
    LoadReservations,
    /// Asks the bank whether one reservation is paid.
    CheckReservation { session: Session, reference: String },
    /// The periodic check of every open reservation (own thread).
    CheckAllReservations { session: Session },
    /// Releases a reservation's tickets back on sale.
    ReleaseReservation { session: Session, reference: String },
    /// The bank settings and the dates its keys are valid from.
    LoadBankSettings,
    /// Stores the bank settings (admins).
    SaveBankSettings {
        session: Session,
        settings: BankSettingsView,
    },
    /// Adds a bank MAC key valid from a date (the secret goes into the secret store).
    AddBankKey {
        session: Session,
        valid_from: chrono::NaiveDate,
        secret: String,
    },
}

/// Seat maps and the seats held in this counter's cart.
#[derive(Debug, Clone)]
pub enum SeatsCommand {
    /// The seat map of a performance (`SeatsEvent::Seating`).
    LoadSeating {
        performance_id: PerformanceId,
        lang: Lang,
    },
    /// Puts seats in this counter's cart (held for a few minutes), or takes them out
    /// (`release`; no seats = all of the cart's). Answers with `SeatsEvent::Seating`.
    CartSeats {
        session: Session,
        performance_id: PerformanceId,
        token: String,
        seats: Vec<crate::domain::seating::SeatRef>,
        release: bool,
    },
    /// Best available for `count` seats: held in the cart when adjacent, else offered as a
    /// split (`SeatsEvent::SeatSplitOffered`) for the cashier to accept.
    BestSeats {
        session: Session,
        performance_id: PerformanceId,
        token: String,
        count: usize,
        wheelchair: usize,
    },
}

/// The back office: reports, users, statuses, devices and settings.
#[derive(Debug, Clone)]
pub enum AdminCommand {
    /// A back-office report (`kind`: sales, per performance, per hour…) for `from`..`to`.
    Report {
        session: Session,
        kind: String,
        from: String,
        to: String,
    },
    /// Writes the tables as CSV into `<data dir>/exports/`.
    ExportCsv {
        name: String,
        tables: Vec<TableView>,
    },
    /// The users for the users screen (admins).
    ListUsers { session: Session },
    /// Adds a user with a role and a PIN.
    AddUser {
        session: Session,
        name: String,
        role: String,
        pin: String,
    },
    /// Sets a user's new PIN.
    SetPin {
        session: Session,
        name: String,
        pin: String,
    },
    /// Disables a user (history keeps the name).
    DisableUser { session: Session, name: String },
    /// Integration statuses with live probes (own thread).
    LoadStatus,
    /// The support report (own thread).
    SupportReport,
    /// A device or settings screen's request (terminals, Nets, SMS gateway, bank probe,
    /// receipt settings, seat plans and holds, mail a receipt); answered with
    /// [`AdminEvent::Devices`] from its own thread (tests talk to devices).
    Devices {
        session: Session,
        request: crate::app::devices::DeviceRequest,
    },
}

/// What the service thread reports, by area; `Failed` and `Done` for any area.
#[derive(Debug, Clone)]
pub enum Event {
    /// The ledger opened (or not), logins and the catalog.
    Session(SessionEvent),
    /// Selling at the counter.
    Sale(SaleEvent),
    /// Finding an order and refunding its tickets.
    Refund(RefundEvent),
    /// The cashier's shift: open, X, cash in/out, close (Z), print the report.
    Shift(ShiftEvent),
    /// Mailing tickets and receipts, the mail servers, SMS.
    Mail(MailEvent),
    /// Ticket printers: previews, retries, copies and reissues, printer settings.
    Print(PrintEvent),
    /// Card payments whose outcome is not known.
    Card(CardEvent),
    /// Bank payments and reservations paid by bank transfer; the bank's settings.
    Bank(BankEvent),
    /// Seat maps and the seats held in this counter's cart.
    Seats(SeatsEvent),
    /// The back office: reports, users, statuses, devices and settings.
    Admin(AdminEvent),
    /// A command failed: the sentence says why, in the user's language.
    Failed(String),
    /// A background job failed where the service thread knows no user (it could not reach the
    /// ledger, say): the sentence in fi, sv and en, and the screen shows the user's.
    FailedInAll(Box<[String; 3]>),
    /// Where an export or a print went.
    Done(String),
}

/// The ledger opened (or not), logins and the catalog.
#[derive(Debug, Clone)]
pub enum SessionEvent {
    /// The ledger is open; in demo mode the demo logins are listed.
    Ready { demo_logins: Vec<(String, String)> },
    /// The ledger could not be opened: nothing works until this is fixed.
    StartFailed(String),
    /// The user is logged in (also the answer to an unlock).
    LoggedIn(Session),
    /// Wrong name or PIN, said in the user's language.
    LoginFailed(String),
    /// The performances on sale with what is left.
    Catalog(Vec<CatalogPerformance>),
}

/// Selling at the counter.
#[derive(Debug, Clone)]
pub enum SaleEvent {
    /// A sale is recorded: the receipt, where the tickets went, their pictures, the mail
    /// queued with it, and the catalog with what is left (no further round trips).
    SaleCompleted(Box<SaleView>),
    /// The sale was refused or the payment did not go through: nothing was recorded.
    SaleFailed(String),
}

/// Finding an order and refunding its tickets.
#[derive(Debug, Clone)]
pub enum RefundEvent {
    /// Orders matching the query typed in the refund panel.
    SearchResults {
        query: String,
        hits: Vec<OrderHitView>,
    },
    /// One order with its refunds, for the refund panel.
    OrderLoaded {
        receipt: Box<Receipt>,
        refunds: Vec<RefundView>,
    },
    /// A refund is recorded: what to give back and how.
    Refunded(Box<RefundOutcome>),
}

/// The cashier's shift: open, X, cash in/out, close (Z), print the report.
#[derive(Debug, Clone)]
pub enum ShiftEvent {
    /// An X report (shift open), a Z report (just closed), or `None` when no shift is open.
    Report(Option<Box<ShiftReport>>),
}

/// Mailing tickets and receipts, the mail servers, SMS.
#[derive(Debug, Clone)]
pub enum MailEvent {
    /// Unseen mail failures of the logged-in user.
    MailStatus {
        unseen: i64,
        /// Messages waiting for a retry (the server could not be reached or said "later"),
        /// with the newest reply: the count turns red before anything has failed for good.
        waiting: i64,
        trouble: Option<String>,
    },
    /// Messages that failed for good (looking at them resets the count).
    MailFailures(Vec<MailFailureView>),
    /// The mail sender wrote outcomes: the count may have changed.
    MailChanged,
    /// Mail of an order is queued for sending.
    MailQueued {
        order_number: OrderNumber,
        to: String,
    },
    /// How far a performance's re-mail has come.
    RemailProgress { done: usize, total: usize },
    /// The mail servers and which one is the default.
    MailServers {
        servers: Vec<MailServerView>,
        default_id: Option<i64>,
    },
    /// The answer of a test message's server.
    TestMail(crate::app::TestMailOutcome),
    /// The SMS gateway's reply.
    SmsSent(crate::app::SmsOutcome),
    /// A performance's re-mail is done: how many messages were queued.
    RemailFinished { queued: usize },
}

/// Ticket printers: previews, retries, copies and reissues, printer settings.
#[derive(Debug, Clone)]
pub enum PrintEvent {
    /// Pictures of tickets to show (drawn on the service thread).
    TicketPreviews(Vec<Raster>),
    /// A print job's outcome (retry, copy, reissue, test).
    Printed(Box<PrintOutcome>),
    /// Orders with their tickets (category, seat, state) for the reprint screen.
    ReprintOrders {
        query: String,
        orders: Vec<ReprintOrder>,
    },
    /// The printers and the system's print queues.
    Printers {
        printers: Vec<PrinterView>,
        system_queues: Vec<String>,
    },
}

/// Card payments whose outcome is not known.
#[derive(Debug, Clone)]
pub enum CardEvent {
    /// What the card terminal shows while a card payment runs.
    CardDisplay(String),
    /// Card attempts with an unknown outcome, for a manager to resolve.
    PendingCard(Vec<CardAttemptView>),
}

/// Bank payments and reservations paid by bank transfer; the bank's settings.
#[derive(Debug, Clone)]
pub enum BankEvent {
    /// The customer's bank page is up at `url`.
    BankPage { url: String, reference: String },
    /// A reply was refused; still waiting.
    BankRejected(String),
    /// The bank payment ended without a sale (the sentence says why).
    BankEnded(String),
    /// The reservations list.
    Reservations(Vec<ReservationView>),
    /// What the bank said about open reservations.
    ReservationChecks(Vec<ReservationCheck>),
    /// The bank settings and the dates its keys are valid from.
    BankSettings {
        settings: Option<Box<BankSettingsView>>,
        key_dates: Vec<chrono::NaiveDate>,
    },
}

/// Seat maps and the seats held in this counter's cart.
#[derive(Debug, Clone)]
pub enum SeatsEvent {
    /// The seat map of a performance (`None`: free seating); `message` when a hold failed.
    Seating {
        performance_id: PerformanceId,
        view: Option<Box<crate::app::seats::SeatingView>>,
        message: Option<String>,
    },
    /// No adjacent seats for the whole party: these apart, for the cashier to accept.
    SeatSplitOffered(Vec<crate::domain::seating::SeatRef>),
}

/// The back office: reports, users, statuses, devices and settings.
#[derive(Debug, Clone)]
pub enum AdminEvent {
    /// A back-office report's tables.
    Report(Vec<TableView>),
    /// The users for the users screen.
    Users(Vec<UserSummary>),
    /// Integration statuses (printer, terminals, mail, bank) with live probes.
    Statuses(Vec<IntegrationStatus>),
    /// The shared ledger's line, sent by the worker's idle tick whenever it changes (answers /
    /// out of reach since when); never sent on a counter's own ledger.
    SharedLedger(Box<IntegrationStatus>),
    /// The support report's text (copied to the clipboard).
    SupportReport(String),
    /// The answer to a [`AdminCommand::Devices`].
    Devices(crate::app::devices::DeviceEvent),
}

impl From<SessionCommand> for Command {
    fn from(command: SessionCommand) -> Command {
        Command::Session(command)
    }
}

impl From<SaleCommand> for Command {
    fn from(command: SaleCommand) -> Command {
        Command::Sale(command)
    }
}

impl From<RefundCommand> for Command {
    fn from(command: RefundCommand) -> Command {
        Command::Refund(command)
    }
}

impl From<ShiftCommand> for Command {
    fn from(command: ShiftCommand) -> Command {
        Command::Shift(command)
    }
}

impl From<MailCommand> for Command {
    fn from(command: MailCommand) -> Command {
        Command::Mail(command)
    }
}

impl From<PrintCommand> for Command {
    fn from(command: PrintCommand) -> Command {
        Command::Print(command)
    }
}

impl From<CardCommand> for Command {
    fn from(command: CardCommand) -> Command {
        Command::Card(command)
    }
}

impl From<BankCommand> for Command {
    fn from(command: BankCommand) -> Command {
        Command::Bank(command)
    }
}

impl From<SeatsCommand> for Command {
    fn from(command: SeatsCommand) -> Command {
        Command::Seats(command)
    }
}

impl From<AdminCommand> for Command {
    fn from(command: AdminCommand) -> Command {
        Command::Admin(command)
    }
}

impl From<SessionEvent> for Event {
    fn from(event: SessionEvent) -> Event {
        Event::Session(event)
    }
}

impl From<SaleEvent> for Event {
    fn from(event: SaleEvent) -> Event {
        Event::Sale(event)
    }
}

impl From<RefundEvent> for Event {
    fn from(event: RefundEvent) -> Event {
        Event::Refund(event)
    }
}

impl From<ShiftEvent> for Event {
    fn from(event: ShiftEvent) -> Event {
        Event::Shift(event)
    }
}

impl From<MailEvent> for Event {
    fn from(event: MailEvent) -> Event {
        Event::Mail(event)
    }
}

impl From<PrintEvent> for Event {
    fn from(event: PrintEvent) -> Event {
        Event::Print(event)
    }
}

impl From<CardEvent> for Event {
    fn from(event: CardEvent) -> Event {
        Event::Card(event)
    }
}

impl From<BankEvent> for Event {
    fn from(event: BankEvent) -> Event {
        Event::Bank(event)
    }
}

impl From<SeatsEvent> for Event {
    fn from(event: SeatsEvent) -> Event {
        Event::Seats(event)
    }
}

impl From<AdminEvent> for Event {
    fn from(event: AdminEvent) -> Event {
        Event::Admin(event)
    }
}
