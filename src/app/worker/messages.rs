//! What the UI asks for ([`Command`]) and what it is told ([`Event`]).

use super::*;
use crate::domain::ids::{OrderNumber, PerformanceId};

/// How the customer pays a [`Command::Sell`].
#[derive(Debug, Clone)]
pub enum Pay {
    /// Cash: `SaleRequest::tendered`.
    Cash,
    /// By card (cash `SaleRequest::tendered` for a part given in `split`); the terminal's texts
    /// come as [`Event::CardDisplay`]; setting `abort` asks the terminal to abort. Runs on its
    /// own thread.
    Card {
        split: crate::app::Split,
        abort: Arc<AtomicBool>,
    },
    /// Verkkomaksu in the customer's browser (runs on its own thread; `CancelBankPayment`
    /// stops it). The page's address comes as [`Event::BankPage`].
    Bank { open_browser: bool },
}

/// What the UI asks for.
#[derive(Debug, Clone)]
pub enum Command {
    /// Orders matching a search (results as the user types).
    SearchOrders {
        query: String,
        lang: Lang,
    },
    /// One order with its refunds, for the refund panel.
    LoadOrder {
        order_number: OrderNumber,
        lang: Lang,
    },
    Refund {
        session: Session,
        /// A manager's name and PIN given in place, when the user may not refund alone.
        manager: Option<(String, String)>,
        order_number: OrderNumber,
        request: RefundRequest,
        reason: String,
    },
    OpenShift {
        session: Session,
        float: Money,
    },
    XReport {
        session: Session,
    },
    CloseShift {
        session: Session,
        manager: Option<(String, String)>,
        count: DrawerCount,
        comment: String,
    },
    Report {
        session: Session,
        kind: String,
        from: String,
        to: String,
    },
    /// Writes the tables as CSV into `<data dir>/exports/`.
    ExportCsv {
        name: String,
        tables: Vec<Table>,
    },
    /// Prints the shown Z (or X) report on the ticket printer.
    PrintReport {
        report: Box<ShiftReport>,
        lang: Lang,
    },
    MoveCash {
        session: Session,
        manager: Option<(String, String)>,
        movement: Option<CashMovement>,
        amount: Money,
        reason: String,
    },
    ListUsers {
        session: Session,
    },
    AddUser {
        session: Session,
        name: String,
        role: String,
        pin: String,
    },
    SetPin {
        session: Session,
        name: String,
        pin: String,
    },
    DisableUser {
        session: Session,
        name: String,
    },
    Login {
        name: String,
        pin: String,
        lang: Lang,
    },
    LoadCatalog {
        lang: Lang,
    },
    /// The seat map of a performance (`Event::Seating`).
    LoadSeating {
        performance_id: PerformanceId,
        lang: Lang,
    },
    /// Puts seats in this counter's cart (held for a few minutes), or takes them out
    /// (`release`; no seats = all of the cart's). Answers with `Event::Seating`.
    CartSeats {
        session: Session,
        performance_id: PerformanceId,
        token: String,
        seats: Vec<crate::domain::seating::SeatRef>,
        release: bool,
    },
    /// Best available for `count` seats: held in the cart when adjacent, else offered as a
    /// split (`Event::SeatSplitOffered`) for the cashier to accept.
    BestSeats {
        session: Session,
        performance_id: PerformanceId,
        token: String,
        count: usize,
        wheelchair: usize,
    },
    /// A sale, however paid: one path ([`Services::sell_with`]); the answer is
    /// [`Event::SaleCompleted`] with everything the counter shows next, [`Event::SaleFailed`],
    /// or for a bank payment [`Event::BankEnded`].
    Sell {
        session: Session,
        request: SaleRequest,
        pay: Pay,
    },
    /// Card attempts whose outcome is unknown, and approvals in no order.
    LoadPendingCard {
        lang: Lang,
    },
    /// A manager settles an attempt by hand.
    ResolveCard {
        session: Session,
        attempt: String,
        decision: crate::app::ManualResolution,
    },
    SetLanguage {
        session: Session,
        lang: Lang,
    },
    /// Pictures of the labels for the screen (rendered here, not on the UI thread).
    RenderPreviews {
        labels: Vec<pc43d::Label>,
    },
    /// Prints the order's tickets that have not reached a printer (the "not printed" banner).
    RetryPrint {
        session: Session,
        order_number: OrderNumber,
    },
    /// Orders with their tickets for the reprint screen.
    ReprintSearch {
        query: String,
        lang: Lang,
    },
    /// A copy or a reissue of one ticket.
    PrintTicket {
        session: Session,
        code: String,
        mode: PrintMode,
    },
    LoadPrinters {
        lang: Lang,
    },
    SavePrinter {
        session: Session,
        name: String,
        transport: String,
        language: String,
        make_default: bool,
    },
    PrintTest {
        session: Session,
        printer: String,
    },
    PrinterStatus {
        printer: String,
        lang: Lang,
    },
    /// The red count: mail failures since this user last looked.
    MailStatus {
        session: Session,
    },
    /// The failures list (looking at it resets the count).
    OpenMailFailures {
        session: Session,
    },
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
    LoadMailServers,
    AddMailServer {
        session: Session,
        request: crate::app::MailServerRequest,
    },
    CopyMailServer {
        session: Session,
        from: String,
        name: String,
    },
    MakeMailServerDefault {
        session: Session,
        name: String,
    },
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
    /// Stops a bank payment at the counter (the bank is asked whether money moved).
    CancelBankPayment,
    Reserve {
        session: Session,
        request: ReservationRequest,
    },
    LoadReservations,
    CheckReservation {
        session: Session,
        reference: String,
    },
    /// The periodic check of every open reservation (own thread).
    CheckAllReservations {
        session: Session,
    },
    ReleaseReservation {
        session: Session,
        reference: String,
    },
    /// Integration statuses with live probes (own thread).
    LoadStatus,
    /// The support report (own thread).
    SupportReport,
    LoadBankSettings,
    SaveBankSettings {
        session: Session,
        settings: BankSettingsRow,
    },
    AddBankKey {
        session: Session,
        valid_from: chrono::NaiveDate,
        secret: String,
    },
    /// A device or settings screen's request (terminals, Nets, SMS gateway, bank probe,
    /// receipt settings, seat plans and holds, mail a receipt); answered with
    /// [`Event::Devices`] from its own thread (tests talk to devices).
    Devices {
        session: Session,
        request: crate::app::devices::DeviceRequest,
    },
}

/// What the service thread reports.
#[derive(Debug, Clone)]
pub enum Event {
    SearchResults {
        query: String,
        hits: Vec<OrderHit>,
    },
    OrderLoaded {
        receipt: Box<Receipt>,
        refunds: Vec<RefundRow>,
    },
    Refunded(Box<RefundOutcome>),
    Report(Vec<Table>),
    Users(Vec<UserSummary>),
    /// Where an export or a print went.
    Done(String),
    /// An X report (shift open), a Z report (just closed), or `None` when no shift is open.
    Shift(Option<Box<ShiftReport>>),
    /// The ledger is open; in demo mode the demo logins are listed.
    Ready {
        demo_logins: Vec<(String, String)>,
    },
    /// The ledger could not be opened: nothing works until this is fixed.
    StartFailed(String),
    LoggedIn(Session),
    LoginFailed(String),
    Catalog(Vec<CatalogPerformance>),
    /// The seat map of a performance (`None`: free seating); `message` when a hold failed.
    Seating {
        performance_id: PerformanceId,
        view: Option<Box<crate::app::seats::SeatingView>>,
        message: Option<String>,
    },
    SeatSplitOffered(Vec<crate::domain::seating::SeatRef>),
    /// A sale is recorded: the receipt, where the tickets went, their pictures, the mail
    /// queued with it, and the catalog with what is left (no further round trips).
    SaleCompleted(Box<SaleView>),
    /// What the card terminal shows while a card payment runs.
    CardDisplay(String),
    PendingCard(Vec<crate::ledger::CardAttemptRow>),
    SaleFailed(String),
    Failed(String),
    TicketPreviews(Vec<Raster>),
    /// A print job's outcome (retry, copy, reissue, test).
    Printed(Box<PrintOutcome>),
    ReprintOrders {
        query: String,
        orders: Vec<ReprintOrder>,
    },
    Printers {
        printers: Vec<PrinterRow>,
        system_queues: Vec<String>,
    },
    /// Unseen mail failures of the logged-in user.
    MailStatus {
        unseen: i64,
        /// Messages waiting for a retry (the server could not be reached or said "later"),
        /// with the newest reply: the count turns red before anything has failed for good.
        waiting: i64,
        trouble: Option<String>,
    },
    MailFailures(Vec<OutboxRow>),
    /// The mail sender wrote outcomes: the count may have changed.
    MailChanged,
    MailQueued {
        order_number: OrderNumber,
        to: String,
    },
    RemailProgress {
        done: usize,
        total: usize,
    },
    MailServers {
        servers: Vec<crate::ledger::MailServerRow>,
        default_id: Option<i64>,
    },
    TestMail(crate::app::TestMailOutcome),
    SmsSent(crate::app::SmsOutcome),
    RemailFinished {
        queued: usize,
    },
    /// The customer's bank page is up at `url`.
    BankPage {
        url: String,
        reference: String,
    },
    /// A reply was refused; still waiting.
    BankRejected(String),
    /// The bank payment ended without a sale (the sentence says why).
    BankEnded(String),
    Reservations(Vec<ReservationRow>),
    ReservationChecks(Vec<ReservationCheck>),
    Statuses(Vec<IntegrationStatus>),
    SupportReport(String),
    /// The answer to a [`Command::Devices`].
    Devices(crate::app::devices::DeviceEvent),
    BankSettings {
        settings: Option<Box<BankSettingsRow>>,
        key_dates: Vec<chrono::NaiveDate>,
    },
}
