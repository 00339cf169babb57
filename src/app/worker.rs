//! The GUI's service thread: commands in, events out. Nothing slow runs on the UI thread.

use crate::app::{AdminError, ShiftError};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::bank::{CounterProgress, ReservationCheck, ReservationRequest};
use super::error_text;
use super::support::IntegrationStatus;
use super::{
    AppError, CashMovement, CatalogPerformance, PrintMode, PrintOutcome, Receipt, RefundOutcome,
    RefundRequest, ReprintOrder, SaleOutcome, SaleRequest, Services, Session, ShiftReport,
    UserSummary,
    sale::{BankWait, Payment, SaleEnd},
};
use crate::domain::Money;
use crate::domain::drawer::DrawerCount;
use crate::i18n::Lang;
use crate::ledger::PrinterRow;
use crate::ledger::{BankSettingsRow, ReservationRow};
use crate::ledger::{OrderHit, OutboxRow, RefundRow, Table};
use crate::printing::Raster;

/// How often the mail sender looks for due messages when nobody pokes it.
const MAIL_POLL_SECS: u64 = 5;

/// How the customer pays a [`Command::Sell`].
#[derive(Debug, Clone)]
pub enum Pay {
    /// Cash: `SaleRequest::tendered`.
    Cash,
    /// By card (cash `SaleRequest::tendered` for a part given in `split`); the terminal's texts
    /// come as [`Event::CardDisplay`]; setting `abort` asks the terminal to abort. Runs on its
    /// own thread.
    Card {
        split: super::Split,
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
        order_number: i64,
        lang: Lang,
    },
    Refund {
        session: Session,
        /// A manager's name and PIN given in place, when the user may not refund alone.
        manager: Option<(String, String)>,
        order_number: i64,
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
        performance_id: i64,
        lang: Lang,
    },
    /// Puts seats in this counter's cart (held for a few minutes), or takes them out
    /// (`release`; no seats = all of the cart's). Answers with `Event::Seating`.
    CartSeats {
        session: Session,
        performance_id: i64,
        token: String,
        seats: Vec<crate::domain::seating::SeatRef>,
        release: bool,
    },
    /// Best available for `count` seats: held in the cart when adjacent, else offered as a
    /// split (`Event::SeatSplitOffered`) for the cashier to accept.
    BestSeats {
        session: Session,
        performance_id: i64,
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
        decision: super::ManualResolution,
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
        order_number: i64,
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
        order_number: i64,
        to: Option<String>,
        remail: bool,
    },
    LoadMailServers,
    AddMailServer {
        session: Session,
        request: super::MailServerRequest,
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
        order_number: i64,
        phone: String,
    },
    /// Re-mail every order of a performance, reporting progress; `cancel` stops it.
    RemailPerformance {
        session: Session,
        performance_id: i64,
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
        performance_id: i64,
        view: Option<Box<super::seats::SeatingView>>,
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
    },
    MailFailures(Vec<OutboxRow>),
    /// The mail sender wrote outcomes: the count may have changed.
    MailChanged,
    MailQueued {
        order_number: i64,
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
    TestMail(super::TestMailOutcome),
    SmsSent(super::SmsOutcome),
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
    BankSettings {
        settings: Option<Box<BankSettingsRow>>,
        key_dates: Vec<chrono::NaiveDate>,
    },
}

pub struct Worker {
    commands: Sender<Command>,
    events: Receiver<Event>,
}

impl Worker {
    /// Starts the service thread on `data_dir`; an empty data directory gets the demo box office.
    /// `notify` is called after every event (the GUI passes a repaint request).
    pub fn spawn(data_dir: PathBuf, notify: impl Fn() + Send + Sync + 'static) -> Worker {
        let (commands, command_rx) = mpsc::channel::<Command>();
        let (event_tx, events) = mpsc::channel::<Event>();
        let notify: Notify = Arc::new(notify);
        let (mail_wake, mail_wake_rx) = mpsc::channel::<()>();
        thread::Builder::new()
            .name("services".into())
            .spawn(move || {
                let send = |event: Event| {
                    // The window closed: nobody is left to tell.
                    event_tx.send(event).ok();
                    notify();
                };
                let mut demo_agent = None;
                let mut services = match start(&data_dir, &mut demo_agent) {
                    Ok((services, demo_logins)) => {
                        send(Event::Ready { demo_logins });
                        services
                    }
                    Err(error) => {
                        tracing::error!(%error, "cannot open the ledger");
                        send(Event::StartFailed(error.to_string()));
                        return;
                    }
                };
                spawn_mail_sender(
                    services.data_dir().to_path_buf(),
                    mail_wake_rx,
                    event_tx.clone(),
                    Arc::clone(&notify),
                );
                let bank_cancel = Arc::new(AtomicBool::new(false));
                for command in command_rx {
                    let pokes_mail = matches!(
                        command,
                        Command::Sell { .. }
                            | Command::QueueMail { .. }
                            | Command::ReaddressMail { .. }
                            | Command::RemailPerformance { .. }
                    );
                    let background = Background {
                        data_dir: data_dir.clone(),
                        events: event_tx.clone(),
                        notify: Arc::clone(&notify),
                    };
                    match command {
                        Command::Sell {
                            session,
                            request,
                            pay,
                        } if !matches!(pay, Pay::Cash) => {
                            bank_cancel.store(false, Ordering::SeqCst);
                            let cancel = Arc::clone(&bank_cancel);
                            let demo = demo_agent.as_ref().map(|a| a.address().to_string());
                            let mail_wake = mail_wake.clone();
                            background.run(move |services, send| {
                                let counter = Counter {
                                    demo_terminal: demo.as_deref(),
                                    bank_cancel: &cancel,
                                };
                                send(sell(services, &session, &request, pay, &counter, send));
                                // A sale that mailed its tickets: the sender goes now. (A
                                // stopped sender only means no poke: it polls as well.)
                                mail_wake.send(()).ok();
                            });
                        }
                        Command::CheckAllReservations { session } => {
                            background.run(move |services, send| {
                                match services.check_open_reservations(&session) {
                                    Ok(checks) => send(Event::ReservationChecks(checks)),
                                    Err(error) => {
                                        send(Event::Failed(error_text(session.lang, &error)))
                                    }
                                }
                                if let Ok(list) = services.reservations(false) {
                                    send(Event::Reservations(list));
                                }
                            });
                        }
                        Command::LoadStatus => background.run(|services, send| {
                            match services.integration_statuses(true) {
                                Ok(statuses) => send(Event::Statuses(statuses)),
                                Err(error) => send(Event::Failed(error.to_string())),
                            }
                        }),
                        Command::SupportReport => background.run(|services, send| {
                            send(Event::SupportReport(services.support_report(300)))
                        }),
                        Command::TestMail {
                            session,
                            server,
                            to,
                        } => background.run(move |services, send| {
                            send(
                                match services.send_test_mail(&session, &server, &to, session.lang)
                                {
                                    Ok(outcome) => Event::TestMail(outcome),
                                    Err(error) => Event::Failed(error_text(session.lang, &error)),
                                },
                            )
                        }),
                        Command::SendSms {
                            session,
                            order_number,
                            phone,
                        } => background.run(move |services, send| {
                            send(
                                match services.send_tickets_sms(&session, order_number, &phone) {
                                    Ok(outcome) => Event::SmsSent(outcome),
                                    Err(error) => Event::Failed(error_text(session.lang, &error)),
                                },
                            )
                        }),
                        Command::RemailPerformance {
                            session,
                            performance_id,
                            cancel,
                        } => {
                            let mail_wake = mail_wake.clone();
                            background.run(move |services, send| {
                                let done = services.bulk_remail_performance(
                                    &session,
                                    performance_id,
                                    |done, total| send(Event::RemailProgress { done, total }),
                                    || cancel.load(Ordering::Relaxed),
                                );
                                send(match done {
                                    Ok(ids) => Event::RemailFinished { queued: ids.len() },
                                    Err(error) => Event::Failed(error_text(session.lang, &error)),
                                });
                                // A stopped mail sender only misses the poke: it polls as well.
                                mail_wake.send(()).ok();
                            });
                        }
                        command => {
                            send(handle(&mut services, command));
                            services.anchor_batch();
                        }
                    }
                    if pokes_mail {
                        // A stopped mail sender only misses the poke: it polls as well.
                        mail_wake.send(()).ok();
                    }
                }
            })
            .expect("cannot start the services thread");
        Worker { commands, events }
    }

    pub fn send(&self, command: Command) {
        // The service thread has ended (its last event said why): nothing runs it.
        self.commands.send(command).ok();
    }

    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }
}

type Notify = Arc<dyn Fn() + Send + Sync + 'static>;

/// Work that may take long (a bank payment, network probes) runs on its own thread with its own
/// connection to the ledger, so the counter's other commands are not held up.
struct Background {
    data_dir: PathBuf,
    events: Sender<Event>,
    notify: Notify,
}

impl Background {
    fn run(self, work: impl FnOnce(&mut Services, &dyn Fn(Event)) + Send + 'static) {
        let spawned = thread::Builder::new()
            .name("background".into())
            .spawn(move || {
                let send = |event: Event| {
                    // The window closed: nobody is left to tell.
                    self.events.send(event).ok();
                    (self.notify)();
                };
                match Services::open(&self.data_dir) {
                    Ok(mut services) => work(&mut services, &send),
                    Err(error) => send(Event::Failed(error.to_string())),
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start a background thread");
        }
    }
}

/// What a sale at the counter may need besides the request: the demo's in-process card agent
/// (the terminal in demo mode) and the flag that cancels a bank payment.
struct Counter<'a> {
    demo_terminal: Option<&'a str>,
    bank_cancel: &'a AtomicBool,
}

/// A sale through the one sale path: the terminal's texts and the bank page go out through
/// `send` as they come; the end is the event returned.
fn sell(
    services: &mut Services,
    session: &Session,
    request: &SaleRequest,
    pay: Pay,
    counter: &Counter<'_>,
    send: &dyn Fn(Event),
) -> Event {
    let lang = session.lang;
    let mut display = |text: &str| send(Event::CardDisplay(text.to_string()));
    let mut bank_progress = |progress| match progress {
        CounterProgress::Open { url, reference, .. } => send(Event::BankPage { url, reference }),
        CounterProgress::NoBrowser(error) => {
            tracing::warn!(%error, "could not open the browser")
        }
        CounterProgress::Rejected(why) => send(Event::BankRejected(why)),
    };
    let payment = match pay {
        Pay::Cash => Payment::Cash,
        Pay::Card { split, abort } => {
            if let Some(address) = counter.demo_terminal
                && let Err(error) = services.ensure_demo_terminal(address)
            {
                return Event::SaleFailed(error_text(lang, &error));
            }
            Payment::Card {
                split,
                terminal: counter.demo_terminal.map(|_| super::card::DEMO_TERMINAL),
                progress: super::CardProgress {
                    display: &mut display,
                    abort,
                },
            }
        }
        Pay::Bank { open_browser } => Payment::Bank(BankWait {
            open_browser,
            wait: std::time::Duration::from_secs(15 * 60),
            cancel: counter.bank_cancel,
            progress: &mut bank_progress,
        }),
    };
    match services.sell_with(session, request, payment) {
        Ok(SaleEnd::Sold(outcome)) => {
            Event::SaleCompleted(Box::new(SaleView::new(services, *outcome, lang)))
        }
        Ok(SaleEnd::NotPaid(why) | SaleEnd::Unsettled { why, .. }) => Event::BankEnded(why),
        Err(error) => Event::SaleFailed(error_text(lang, &error)),
    }
}

/// What the counter shows after a sale, in one event.
#[derive(Debug, Clone)]
pub struct SaleView {
    pub outcome: SaleOutcome,
    /// Pictures of the printed tickets (rendered here, not on the UI thread).
    pub previews: Vec<Raster>,
    /// The catalog with what is left after the sale (`None` if it could not be read).
    pub catalog: Option<Vec<CatalogPerformance>>,
}

impl SaleView {
    fn new(services: &mut Services, outcome: SaleOutcome, lang: Lang) -> SaleView {
        let previews = outcome.labels.iter().map(crate::printing::render).collect();
        let catalog = services.catalog(lang).ok();
        SaleView {
            outcome,
            previews,
            catalog,
        }
    }
}

fn reservations_event(services: &mut Services, lang: Lang) -> Event {
    match services.reservations(false) {
        Ok(list) => Event::Reservations(list),
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}

fn bank_settings_event(services: &mut Services) -> Event {
    match services.bank_config() {
        Ok(config) => Event::BankSettings {
            settings: Some(Box::new(config.settings)),
            key_dates: config.keys.dates(),
        },
        Err(_) => Event::BankSettings {
            settings: services.bank_settings().ok().flatten().map(Box::new),
            key_dates: Vec::new(),
        },
    }
}

/// Logs in the manager whose name and PIN were given in place, if any.
fn approver(
    services: &mut Services,
    manager: Option<(String, String)>,
    lang: Lang,
) -> Result<Option<Session>, Event> {
    match manager {
        Some((name, pin)) => services
            .login(&name, &pin)
            .map(Some)
            .map_err(|error| Event::Failed(error_text(lang, &error))),
        None => Ok(None),
    }
}

fn users_event(services: &mut Services, session: &Session) -> Event {
    match services.list_users(session) {
        Ok(users) => Event::Users(users),
        Err(error) => Event::Failed(error_text(session.lang, &error)),
    }
}

fn shift_event(services: &mut Services, session: &Session) -> Event {
    match services.x_report(session) {
        Ok(report) => Event::Shift(Some(Box::new(report))),
        Err(AppError::Shift(ShiftError::NoOpenShift)) => Event::Shift(None),
        Err(error) => Event::Failed(error_text(session.lang, &error)),
    }
}

/// The background mail sender: its own ledger connection, sends what is due at start (mail
/// queued before a crash or a stop), then whenever poked or every [`MAIL_POLL_SECS`].
fn spawn_mail_sender(data_dir: PathBuf, wake: Receiver<()>, events: Sender<Event>, notify: Notify) {
    let spawned = thread::Builder::new()
        .name("mail-sender".into())
        .spawn(move || {
            let mut services = match Services::open(&data_dir) {
                Ok(services) => services,
                Err(error) => {
                    tracing::error!(%error, "the mail sender cannot open the ledger");
                    return;
                }
            };
            loop {
                match services.send_due(false) {
                    Ok(report) => {
                        if report != super::FlushReport::default() {
                            // The window closed: nobody is left to tell.
                            events.send(Event::MailChanged).ok();
                            notify();
                        }
                    }
                    Err(error) => tracing::error!(%error, "sending mail"),
                }
                services.anchor_batch();
                match wake.recv_timeout(std::time::Duration::from_secs(MAIL_POLL_SECS)) {
                    Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start the mail sender");
    }
}

fn mail_servers_event(services: &mut Services, lang: Lang) -> Event {
    match services.mail_servers() {
        Ok((servers, default_id)) => Event::MailServers {
            servers,
            default_id,
        },
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}

fn mail_failures_event(services: &mut Services, session: &Session) -> Event {
    match services
        .mark_mail_failures_seen(session)
        .and_then(|()| services.outbox(true))
    {
        Ok(rows) => Event::MailFailures(rows),
        Err(error) => Event::Failed(error_text(session.lang, &error)),
    }
}

/// Opens the ledger (a new one gets the demo data). A demo ledger gets an in-process card
/// terminal agent (the simulator), so card sales work on a fresh machine. Card attempts left
/// unresolved by a crash are resolved before anything else.
fn start(
    data_dir: &std::path::Path,
    demo_agent: &mut Option<emv_agent::sim::Simulator>,
) -> Result<(Services, Vec<(String, String)>), AppError> {
    let mut services = Services::open(data_dir)?;
    if !services.ledger_mut().is_initialised() {
        services.init(true)?;
    }
    if services.is_demo()? {
        let config = emv_agent::sim::SimConfig {
            poi_id: "DEMO".into(),
            step_delay: std::time::Duration::from_millis(600),
        };
        match emv_agent::sim::Simulator::start("127.0.0.1:0", config) {
            Ok(agent) => *demo_agent = Some(agent),
            Err(error) => tracing::warn!(%error, "the demo card terminal could not start"),
        }
    }
    match services.resolve_card_attempts(None) {
        Ok(left) if !left.is_empty() => {
            tracing::warn!(
                count = left.len(),
                "card payments still unresolved at start-up"
            )
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "card payments could not be resolved at start-up"),
    }
    let demo_logins = services.demo_logins()?;
    if services.is_demo()? && services.bank_settings()?.is_none() {
        match super::bank::start_demo_bank() {
            Ok(()) => services.note_status(
                super::bank::STATUS_BANK_PAYMENT,
                true,
                "demo: a simulated bank on this computer",
            ),
            Err(error) => tracing::warn!(%error, "the demo bank could not start"),
        }
    }
    Ok((services, demo_logins))
}

fn handle(services: &mut Services, command: Command) -> Event {
    match command {
        Command::SearchOrders { query, lang } => match services.search_orders(&query, 30) {
            Ok(hits) => Event::SearchResults { query, hits },
            Err(error) => Event::Failed(error_text(lang, &error)),
        },
        Command::LoadOrder { order_number, lang } => {
            match services
                .receipt(order_number, lang)
                .and_then(|r| Ok((r, services.refunds_of(order_number)?)))
            {
                Ok((receipt, refunds)) => Event::OrderLoaded {
                    receipt: Box::new(receipt),
                    refunds,
                },
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        Command::Refund {
            session,
            manager,
            order_number,
            request,
            reason,
        } => {
            let lang = session.lang;
            let approver = match approver(services, manager, lang) {
                Ok(approver) => approver,
                Err(event) => return event,
            };
            let mut display = |_: &str| {};
            let mut progress = super::CardProgress {
                display: &mut display,
                abort: Default::default(),
            };
            match services.refund_by_tender(
                &session,
                approver.as_ref(),
                order_number,
                &request,
                &reason,
                &mut progress,
            ) {
                Ok(outcome) => Event::Refunded(Box::new(outcome)),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
        Command::OpenShift { session, float } => match services.open_shift(&session, float) {
            Ok(_) => shift_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::XReport { session } => shift_event(services, &session),
        Command::MoveCash {
            session,
            manager,
            movement,
            amount,
            reason,
        } => {
            let approver = match approver(services, manager, session.lang) {
                Ok(approver) => approver,
                Err(event) => return event,
            };
            let moved = match movement {
                Some(movement) => services
                    .move_cash(&session, approver.as_ref(), movement, amount, &reason)
                    .map(|_| ()),
                None => services.open_drawer(&session, approver.as_ref(), &reason),
            };
            match moved {
                Ok(()) => shift_event(services, &session),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::ListUsers { session } => users_event(services, &session),
        Command::AddUser {
            session,
            name,
            role,
            pin,
        } => match services.add_user(&session, &name, &role, &pin) {
            Ok(()) => users_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::SetPin { session, name, pin } => match services.set_pin(&session, &name, &pin) {
            Ok(()) => users_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::DisableUser { session, name } => match services.disable_user(&session, &name) {
            Ok(()) => users_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::Report {
            session,
            kind,
            from,
            to,
        } => match services.report(&session, &kind, &from, &to) {
            Ok(tables) => Event::Report(tables),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::ExportCsv { name, tables } => {
            let csv: String = tables.iter().map(Table::to_csv).collect();
            let dir = services.data_dir().join("exports");
            let path = dir.join(format!("{name}.csv"));
            match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, csv)) {
                Ok(()) => Event::Done(path.display().to_string()),
                Err(error) => Event::Failed(format!("{}: {error}", path.display())),
            }
        }
        Command::PrintReport { report, lang } => {
            let label = crate::printing::report_label(&report.to_text_with_audit());
            match crate::printing::print_labels(&services.print_file(), &[label]) {
                Ok(place) => Event::Done(place),
                Err(error) => Event::Failed(format!(
                    "{}: {error}",
                    crate::i18n::tr(lang, crate::i18n::Text::PrintFailed)
                )),
            }
        }
        Command::CloseShift {
            session,
            manager,
            count,
            comment,
        } => {
            let approver = match approver(services, manager, session.lang) {
                Ok(approver) => approver,
                Err(event) => return event,
            };
            match services.close_shift(&session, approver.as_ref(), &count, &comment) {
                Ok(report) => Event::Shift(Some(Box::new(report))),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::Login { name, pin, lang } => match services.login(&name, &pin) {
            Ok(session) => Event::LoggedIn(session),
            Err(error) => Event::LoginFailed(error_text(lang, &error)),
        },
        Command::LoadCatalog { lang } => match services.catalog(lang) {
            Ok(catalog) => Event::Catalog(catalog),
            Err(error) => Event::Failed(error_text(lang, &error)),
        },
        Command::LoadSeating {
            performance_id,
            lang,
        } => seating_event(services, performance_id, None, lang),
        Command::CartSeats {
            session,
            performance_id,
            token,
            seats,
            release,
        } => {
            let result = if release {
                services.release_from_cart(&session, performance_id, &token, &seats)
            } else {
                services.hold_for_cart(&session, performance_id, &token, &seats)
            };
            let message = result.err().map(|e| error_text(session.lang, &e));
            seating_event(services, performance_id, message, session.lang)
        }
        Command::BestSeats {
            session,
            performance_id,
            token,
            count,
            wheelchair,
        } => {
            let request = crate::domain::seating::BestRequest { count, wheelchair };
            match services.best_available(performance_id, request, Some(&token)) {
                Ok((seats, true)) => {
                    let message = services
                        .release_from_cart(&session, performance_id, &token, &[])
                        .and_then(|()| {
                            services.hold_for_cart(&session, performance_id, &token, &seats)
                        })
                        .err()
                        .map(|e| error_text(session.lang, &e));
                    seating_event(services, performance_id, message, session.lang)
                }
                Ok((seats, false)) => Event::SeatSplitOffered(seats),
                Err(error) => seating_event(
                    services,
                    performance_id,
                    Some(error_text(session.lang, &error)),
                    session.lang,
                ),
            }
        }
        Command::Sell {
            session,
            request,
            pay,
        } => {
            let never = AtomicBool::new(false);
            let counter = Counter {
                demo_terminal: None,
                bank_cancel: &never,
            };
            // Cash: no terminal texts or bank page come before the end.
            sell(services, &session, &request, pay, &counter, &|_| {})
        }
        Command::LoadPendingCard { lang } => match services.pending_card_payments() {
            Ok(pending) => Event::PendingCard(pending),
            Err(error) => Event::Failed(error_text(lang, &error)),
        },
        Command::ResolveCard {
            session,
            attempt,
            decision,
        } => match services
            .resolve_card_manually(&session, &attempt, &decision)
            .and_then(|_| services.pending_card_payments())
        {
            Ok(pending) => Event::PendingCard(pending),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::SetLanguage { session, lang } => match services.set_language(&session, lang) {
            Ok(()) => Event::LoggedIn(Session { lang, ..session }),
            Err(error) => Event::Failed(error_text(lang, &error)),
        },
        Command::MailStatus { session } => match services.unseen_mail_failures(&session) {
            Ok(unseen) => Event::MailStatus { unseen },
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::OpenMailFailures { session } => mail_failures_event(services, &session),
        Command::ReaddressMail {
            session,
            mail_id,
            address,
        } => match services.readdress_mail(&session, mail_id, &address) {
            Ok(_) => mail_failures_event(services, &session),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::QueueMail {
            session,
            order_number,
            to,
            remail,
        } => match services.queue_ticket_mail(&session, order_number, to.as_deref(), remail) {
            Ok(mail_id) => Event::MailQueued {
                order_number,
                to: services
                    .mail_entry(mail_id)
                    .ok()
                    .flatten()
                    .map(|r| r.to_address)
                    .unwrap_or_default(),
            },
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::LoadMailServers => mail_servers_event(services, Lang::default()),
        Command::AddMailServer { session, request } => {
            match services.add_mail_server(&session, &request) {
                Ok(_) => mail_servers_event(services, session.lang),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::CopyMailServer {
            session,
            from,
            name,
        } => match services.copy_mail_server(&session, &from, &name) {
            Ok(_) => mail_servers_event(services, session.lang),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::MakeMailServerDefault { session, name } => {
            match services.choose_mail_server(&session, &name, None) {
                Ok(()) => mail_servers_event(services, session.lang),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::TestMail { session, .. } | Command::SendSms { session, .. } => {
            // Run on background threads; never reach here.
            Event::Failed(error_text(
                session.lang,
                &AppError::Admin(AdminError::Internal("mail command".into())),
            ))
        }
        Command::RemailPerformance { session, .. } => {
            // Runs on a background thread (it reports progress); never reaches here.
            Event::Failed(error_text(
                session.lang,
                &AppError::Admin(AdminError::Internal("bulk re-mail".into())),
            ))
        }
        Command::Reserve { session, request } => {
            match services.reserve(&session, &request, "reservation") {
                Ok(_) => reservations_event(services, session.lang),
                Err(error) => Event::SaleFailed(error_text(session.lang, &error)),
            }
        }
        Command::LoadReservations => reservations_event(services, Lang::En),
        Command::CheckReservation { session, reference } => {
            match services.check_reservation(&session, &reference) {
                Ok(check) => Event::ReservationChecks(vec![check]),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::ReleaseReservation { session, reference } => {
            match services.release_reservation(&session, &reference, "released at the counter") {
                Ok(_) => reservations_event(services, session.lang),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::LoadBankSettings => bank_settings_event(services),
        Command::SaveBankSettings { session, settings } => {
            match services.set_bank_settings(&session, &settings) {
                Ok(()) => bank_settings_event(services),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::AddBankKey {
            session,
            valid_from,
            secret,
        } => match services.add_bank_key(&session, valid_from, &secret) {
            Ok(()) => bank_settings_event(services),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::CancelBankPayment
        | Command::CheckAllReservations { .. }
        | Command::LoadStatus
        | Command::SupportReport => unreachable!("handled by the worker loop"),
        Command::RenderPreviews { labels } => {
            Event::TicketPreviews(labels.iter().map(crate::printing::render).collect())
        }
        Command::RetryPrint {
            session,
            order_number,
        } => match services.print_unprinted(&session, order_number, None) {
            Ok(Some(outcome)) => Event::Printed(Box::new(outcome)),
            Ok(None) => Event::Done(String::new()),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::ReprintSearch { query, lang } => match services.reprint_candidates(&query) {
            Ok(orders) => Event::ReprintOrders { query, orders },
            Err(error) => Event::Failed(error_text(lang, &error)),
        },
        Command::PrintTicket {
            session,
            code,
            mode,
        } => match services.print_ticket(&session, &code, None, mode) {
            Ok(outcome) => Event::Printed(Box::new(outcome)),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::LoadPrinters { lang } => printers_event(services, lang),
        Command::SavePrinter {
            session,
            name,
            transport,
            language,
            make_default,
        } => match services.add_printer(&session, &name, &transport, &language, make_default) {
            Ok(_) => printers_event(services, session.lang),
            Err(error) => Event::Failed(error_text(session.lang, &error)),
        },
        Command::PrintTest { session, printer } => {
            match services.print_test(&session, Some(&printer)) {
                Ok(outcome) => Event::Printed(Box::new(outcome)),
                Err(error) => Event::Failed(error_text(session.lang, &error)),
            }
        }
        Command::PrinterStatus { printer, lang } => {
            use crate::i18n::{Text, tr};
            match services.printer_status(Some(&printer)) {
                Ok(None) => Event::Done(format!("{printer}: {}", tr(lang, Text::OneWayLink))),
                Ok(Some(Ok(status))) if status.ready() => {
                    Event::Done(format!("{printer}: {}", tr(lang, Text::PrinterReady)))
                }
                Ok(Some(Ok(status))) => {
                    let words: Vec<&str> = status
                        .conditions
                        .iter()
                        .map(|condition| crate::i18n::condition_text(lang, *condition))
                        .collect();
                    Event::Failed(format!("{printer}: {}", words.join(", ")))
                }
                Ok(Some(Err(error))) => Event::Failed(format!(
                    "{printer}: {} ({error})",
                    tr(lang, Text::PrinterNoAnswer)
                )),
                Err(error) => Event::Failed(error_text(lang, &error)),
            }
        }
    }
}

fn printers_event(services: &mut Services, lang: Lang) -> Event {
    match services.printers() {
        // Listing the system's queues asks the spooler: here, off the UI thread.
        Ok(printers) => Event::Printers {
            printers,
            system_queues: pc43d::system_queues(),
        },
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}

fn seating_event(
    services: &mut Services,
    performance_id: i64,
    message: Option<String>,
    lang: Lang,
) -> Event {
    match services.seating(performance_id) {
        Ok(view) => Event::Seating {
            performance_id,
            view: view.map(Box::new),
            message,
        },
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}
