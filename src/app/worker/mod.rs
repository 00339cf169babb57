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
use crate::app::views::views;
use crate::domain::Money;
use crate::domain::drawer::DrawerCount;
use crate::i18n::Lang;
use crate::ledger::Table;
use crate::printing::Raster;

mod areas;
mod messages;

use areas::handle;
pub use messages::{
    AdminCommand, AdminEvent, BankCommand, BankEvent, CardCommand, CardEvent, Command, Event,
    MailCommand, MailEvent, Pay, PrintCommand, PrintEvent, RefundCommand, RefundEvent, SaleCommand,
    SaleEvent, SeatsCommand, SeatsEvent, SessionCommand, SessionEvent, ShiftCommand, ShiftEvent,
};

/// How often the mail sender looks for due messages when nobody pokes it.
const MAIL_POLL_SECS: u64 = 5;

pub struct Worker {
    commands: Sender<Command>,
    events: Receiver<Event>,
}

impl Worker {
    /// Starts the service thread on `data_dir`; an empty data directory gets the demo box office.
    /// `notify` is called after every event (the GUI passes a repaint request).
    pub fn spawn(data_dir: PathBuf, notify: impl Fn() + Send + Sync + 'static) -> Worker {
        Worker::spawn_on(data_dir, None, notify)
    }

    /// Whether [`Worker::spawn_on`] would create the ledger: a counter's own with no file yet
    /// (the demo box office, its users' PINs hashed, takes longer than opening a window).
    pub fn would_create(data_dir: &std::path::Path, database: Option<&str>) -> bool {
        database.is_none() && !data_dir.join(crate::ledger::LEDGER_FILE).exists()
    }

    /// [`Worker::spawn`] on the register's shared ledger at `database` (PostgreSQL), if given.
    pub fn spawn_on(
        data_dir: PathBuf,
        database: Option<String>,
        notify: impl Fn() + Send + Sync + 'static,
    ) -> Worker {
        let (commands, command_rx) = mpsc::channel::<Command>();
        let (event_tx, events) = mpsc::channel::<Event>();
        let notify: Notify = Arc::new(notify);
        thread::Builder::new()
            .name("services".into())
            .spawn(move || serve(Place { data_dir, database }, command_rx, event_tx, notify))
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

    /// The next event, waiting at most `wait` for it.
    pub fn recv_timeout(&self, wait: std::time::Duration) -> Option<Event> {
        self.events.recv_timeout(wait).ok()
    }
}

type Notify = Arc<dyn Fn() + Send + Sync + 'static>;

/// Where the services run: the data directory and, for a register of the shared ledger, its
/// PostgreSQL address. Every thread of the worker opens its own connection here.
#[derive(Clone)]
struct Place {
    data_dir: PathBuf,
    database: Option<String>,
}

impl Place {
    fn open(&self) -> Result<Services, AppError> {
        Services::open_on(&self.data_dir, self.database.as_deref())
    }
}

/// The service thread: opens the ledger (the demo box office in an empty data directory),
/// starts the mail sender, then answers the commands one by one until the window closes.
fn serve(place: Place, commands: Receiver<Command>, events: Sender<Event>, notify: Notify) {
    let send = |event: Event| {
        // The window closed: nobody is left to tell.
        events.send(event).ok();
        notify();
    };
    let mut services = match open_for_login(&place) {
        Ok((services, demo_logins)) => {
            send(Event::Session(SessionEvent::Ready { demo_logins }));
            services
        }
        Err(error) => {
            tracing::error!(%error, "cannot open the ledger");
            send(Event::Session(SessionEvent::StartFailed(error.to_string())));
            return;
        }
    };
    // The login screen is up; the devices start while the cashier types (a command sent
    // meanwhile waits for them on this thread).
    let demo_agent = start_devices(&mut services);
    let anchorer = Anchorer::spawn(place.clone());
    let (mail_wake, mail_wake_rx) = mpsc::channel::<()>();
    spawn_mail_sender(
        place.clone(),
        mail_wake_rx,
        events.clone(),
        Arc::clone(&notify),
    );
    let thread = ServiceThread {
        place,
        events: events.clone(),
        notify: Arc::clone(&notify),
        mail_wake: mail_wake.clone(),
        bank_cancel: Arc::new(AtomicBool::new(false)),
        demo_terminal: demo_agent.as_ref().map(|a| a.address().to_string()),
    };
    let mut shared_line = services.shared_ledger_status();
    loop {
        let command = match commands.recv_timeout(super::PROBE_EVERY) {
            Ok(command) => Some(command),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        if let Some(command) = command {
            serve_one(&thread, &mut services, command, &send);
            anchorer.anchor(&mut services);
        }
        watch_shared_ledger(&mut services, &mut shared_line, &send);
    }
    // The window closed: the last anchor is written before the thread ends (and once more by
    // `services` when it is dropped, which finds nothing left to anchor).
    anchorer.finish();
    // The demo's in-process card agent lives as long as the thread.
    drop(demo_agent);
}

/// Writes the journal anchor off the cashier's wait (issue 16): the service thread sends each
/// command's outcome to the window and goes on to the next command, and this thread, on a
/// ledger connection of its own, anchors whatever was committed, one anchor for all the
/// batches that committed while it was writing the last one. A process killed before the
/// anchor is written leaves the newest entries unanchored until the next start anchors them
/// (`Services::open`, `write_anchor`'s catch-up), exactly as a kill between a commit and its
/// anchor did when the service thread wrote it.
struct Anchorer {
    wake: Sender<()>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Anchorer {
    fn spawn(place: Place) -> Anchorer {
        let (wake, wake_rx) = mpsc::channel::<()>();
        if place.database.is_some() {
            // On the shared ledger the service thread anchors itself (a round trip or two to
            // the server): no thread, no second connection.
            return Anchorer { wake, thread: None };
        }
        let spawned = thread::Builder::new()
            .name("journal-anchor".into())
            .spawn(move || {
                // Opening anchors what an earlier process left unanchored.
                let mut services = match place.open() {
                    Ok(services) => services,
                    Err(error) => {
                        // The receiver goes with the thread: every wake fails and the service
                        // thread anchors on its own connection instead.
                        tracing::error!(%error, "the journal anchor's thread cannot open the ledger");
                        return;
                    }
                };
                while wake_rx.recv().is_ok() {
                    // Batches that committed meanwhile are covered by one anchor.
                    while wake_rx.try_recv().is_ok() {}
                    services.anchor_batch();
                }
                // Dropping `services` anchors once more.
            });
        let thread = spawned
            .map_err(|error| tracing::error!(%error, "cannot start the journal anchor's thread"))
            .ok();
        Anchorer { wake, thread }
    }

    /// Has the batch `services` committed anchored: by the anchor thread, or here when that
    /// thread is not running.
    fn anchor(&self, services: &mut Services) {
        if self.wake.send(()).is_err() {
            services.anchor_batch();
        }
    }

    /// Ends the anchor thread after its last anchor.
    fn finish(self) {
        drop(self.wake);
        if let Some(thread) = self.thread
            && thread.join().is_err()
        {
            tracing::error!("the journal anchor's thread stopped");
        }
    }
}

/// On the shared ledger, the idle tick's look at the link (one round trip, or a reconnection at
/// most every PROBE_EVERY while out of reach): the status line goes to the window when it
/// changes, so every screen knows without a sale or a click.
fn watch_shared_ledger(
    services: &mut Services,
    line: &mut Option<IntegrationStatus>,
    send: &dyn Fn(Event),
) {
    if !services.ledger_mut().is_shared() {
        return;
    }
    services.watch_shared_ledger();
    let now = services.shared_ledger_status();
    let changed = match (&now, &*line) {
        (Some(now), Some(before)) => now.ok != before.ok || now.detail != before.detail,
        (now, before) => now.is_some() != before.is_some(),
    };
    if changed && let Some(status) = &now {
        send(Event::Admin(AdminEvent::SharedLedger(Box::new(
            status.clone(),
        ))));
    }
    *line = now;
}

/// One command: started in the background or answered here.
fn serve_one(
    thread: &ServiceThread,
    services: &mut Services,
    command: Command,
    send: &dyn Fn(Event),
) {
    let mail_wake = &thread.mail_wake;
    {
        let pokes_mail = matches!(
            command,
            Command::Sale(SaleCommand::Sell { .. })
                | Command::Mail(MailCommand::QueueMail { .. })
                | Command::Mail(MailCommand::ReaddressMail { .. })
                | Command::Mail(MailCommand::RemailPerformance { .. })
        );
        // The outcome goes to the window now; the caller has the batch anchored.
        if let Some(command) = thread.in_background(command) {
            send(handle(services, command));
        }
        if pokes_mail {
            // A stopped mail sender only misses the poke: it polls as well.
            mail_wake.send(()).ok();
        }
    }
}

/// What the service thread hands to its background work.
struct ServiceThread {
    place: Place,
    events: Sender<Event>,
    notify: Notify,
    /// Pokes the mail sender.
    mail_wake: Sender<()>,
    /// Cancels the bank payment in progress.
    bank_cancel: Arc<AtomicBool>,
    /// The address of the demo's in-process card agent (the terminal in demo mode).
    demo_terminal: Option<String>,
}

impl ServiceThread {
    fn background(&self) -> Background {
        Background {
            place: self.place.clone(),
            events: self.events.clone(),
            notify: Arc::clone(&self.notify),
        }
    }

    /// Starts what may take long on a background thread; gives back what the service thread
    /// answers itself.
    fn in_background(&self, command: Command) -> Option<Command> {
        match command {
            Command::Sale(SaleCommand::Sell {
                session,
                request,
                pay,
            }) if !matches!(pay, Pay::Cash) => {
                self.bank_cancel.store(false, Ordering::SeqCst);
                let cancel = Arc::clone(&self.bank_cancel);
                let demo = self.demo_terminal.clone();
                let mail_wake = self.mail_wake.clone();
                self.background().run(move |services, send| {
                    let counter = Counter {
                        demo_terminal: demo.as_deref(),
                        bank_cancel: &cancel,
                    };
                    send(sell(services, &session, &request, pay, &counter, send));
                    // A sale that mailed its tickets: the sender goes now. (A stopped sender
                    // only means no poke: it polls as well.)
                    mail_wake.send(()).ok();
                });
                None
            }
            Command::Bank(BankCommand::CheckAllReservations { session }) => {
                self.background().run(move |services, send| {
                    match services.check_open_reservations(&session) {
                        Ok(checks) => send(Event::Bank(BankEvent::ReservationChecks(checks))),
                        Err(error) => send(Event::Failed(error_text(session.lang, &error))),
                    }
                    if let Ok(list) = services.reservations(false) {
                        send(Event::Bank(BankEvent::Reservations(views(list))));
                    }
                });
                None
            }
            Command::Admin(command) => self.admin(command).map(Command::Admin),
            Command::Mail(command) => self.mail(command).map(Command::Mail),
            command => Some(command),
        }
    }

    /// The back office's probes and device requests (network, terminals) in the background.
    fn admin(&self, command: AdminCommand) -> Option<AdminCommand> {
        let background = self.background();
        match command {
            AdminCommand::LoadStatus => {
                background.run(|services, send| match services.integration_statuses(true) {
                    Ok(statuses) => send(Event::Admin(AdminEvent::Statuses(statuses))),
                    Err(error) => send(failed_in_all(&error)),
                })
            }
            AdminCommand::Devices { session, request } => background.run(move |services, send| {
                send(Event::Admin(AdminEvent::Devices(crate::app::devices::run(
                    services, &session, request,
                ))))
            }),
            AdminCommand::SupportReport => background.run(|services, send| {
                send(Event::Admin(AdminEvent::SupportReport(
                    services.support_report(300),
                )))
            }),
            command => return Some(command),
        }
        None
    }

    /// A test mail, an SMS and a performance's re-mail (servers, gateways) in the background.
    fn mail(&self, command: MailCommand) -> Option<MailCommand> {
        let background = self.background();
        match command {
            MailCommand::TestMail {
                session,
                server,
                to,
            } => background.run(move |services, send| {
                send(
                    match services.send_test_mail(&session, &server, &to, session.lang) {
                        Ok(outcome) => Event::Mail(MailEvent::TestMail(outcome)),
                        Err(error) => Event::Failed(error_text(session.lang, &error)),
                    },
                )
            }),
            MailCommand::SendSms {
                session,
                order_number,
                phone,
            } => background.run(move |services, send| {
                send(
                    match services.send_tickets_sms(&session, order_number, &phone) {
                        Ok(outcome) => Event::Mail(MailEvent::SmsSent(outcome)),
                        Err(error) => Event::Failed(error_text(session.lang, &error)),
                    },
                )
            }),
            MailCommand::RemailPerformance {
                session,
                performance_id,
                cancel,
            } => {
                let mail_wake = self.mail_wake.clone();
                background.run(move |services, send| {
                    let done = services.bulk_remail_performance(
                        &session,
                        performance_id,
                        |done, total| send(Event::Mail(MailEvent::RemailProgress { done, total })),
                        || cancel.load(Ordering::Relaxed),
                    );
                    send(match done {
                        Ok(ids) => Event::Mail(MailEvent::RemailFinished { queued: ids.len() }),
                        Err(error) => Event::Failed(error_text(session.lang, &error)),
                    });
                    // A stopped mail sender only misses the poke: it polls as well.
                    mail_wake.send(()).ok();
                });
            }
            command => return Some(command),
        }
        None
    }
}

/// Work that may take long (a bank payment, network probes) runs on its own thread with its own
/// connection to the ledger, so the counter's other commands are not held up.
struct Background {
    place: Place,
    events: Sender<Event>,
    notify: Notify,
}

/// A failure's sentence in every language, for work that knows no user.
fn failed_in_all(error: &AppError) -> Event {
    Event::FailedInAll(Box::new(Lang::ALL.map(|lang| error_text(lang, error))))
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
                match self.place.open() {
                    Ok(mut services) => work(&mut services, &send),
                    Err(error) => send(failed_in_all(&error)),
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
    let mut display = |text: &str| send(Event::Card(CardEvent::CardDisplay(text.to_string())));
    let mut bank_progress = |progress| match progress {
        CounterProgress::Open { url, reference, .. } => {
            send(Event::Bank(BankEvent::BankPage { url, reference }))
        }
        CounterProgress::NoBrowser(error) => {
            tracing::warn!(%error, "could not open the browser")
        }
        CounterProgress::Rejected(why) => send(Event::Bank(BankEvent::BankRejected(why))),
    };
    let payment = match pay {
        Pay::Cash => Payment::Cash,
        Pay::Card { split, abort } => {
            if let Some(address) = counter.demo_terminal
                && let Err(error) = services.ensure_demo_terminal(address)
            {
                return Event::Sale(SaleEvent::SaleFailed(error_text(lang, &error)));
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
        Ok(SaleEnd::Sold(outcome)) => Event::Sale(SaleEvent::SaleCompleted(Box::new(
            SaleView::new(services, *outcome, lang),
        ))),
        Ok(SaleEnd::NotPaid(why) | SaleEnd::Unsettled { why, .. }) => {
            Event::Bank(BankEvent::BankEnded(why))
        }
        Err(error) => Event::Sale(SaleEvent::SaleFailed(error_text(lang, &error))),
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
        Ok(list) => Event::Bank(BankEvent::Reservations(views(list))),
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}

fn bank_settings_event(services: &mut Services) -> Event {
    match services.bank_config() {
        Ok(config) => Event::Bank(BankEvent::BankSettings {
            settings: Some(Box::new(config.settings.into())),
            key_dates: config.keys.dates(),
        }),
        Err(_) => Event::Bank(BankEvent::BankSettings {
            settings: services
                .bank_settings()
                .ok()
                .flatten()
                .map(|s| Box::new(s.into())),
            key_dates: Vec::new(),
        }),
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
        Ok(users) => Event::Admin(AdminEvent::Users(users)),
        Err(error) => Event::Failed(error_text(session.lang, &error)),
    }
}

fn shift_event(services: &mut Services, session: &Session) -> Event {
    match services.x_report(session) {
        Ok(report) => Event::Shift(ShiftEvent::Report(Some(Box::new(report)))),
        Err(AppError::Shift(ShiftError::NoOpenShift)) => Event::Shift(ShiftEvent::Report(None)),
        Err(error) => Event::Failed(error_text(session.lang, &error)),
    }
}

/// The background mail sender: its own ledger connection, sends what is due at start (mail
/// queued before a crash or a stop), then whenever poked or every [`MAIL_POLL_SECS`].
fn spawn_mail_sender(place: Place, wake: Receiver<()>, events: Sender<Event>, notify: Notify) {
    let spawned = thread::Builder::new()
        .name("mail-sender".into())
        .spawn(move || {
            let mut services = match place.open() {
                Ok(services) => services,
                Err(error) => {
                    tracing::error!(%error, "the mail sender cannot open the ledger");
                    return;
                }
            };
            loop {
                let mut sent = false;
                match services.send_due(false) {
                    Ok(report) => {
                        if report != super::FlushReport::default() {
                            sent = true;
                            // The window closed: nobody is left to tell.
                            events.send(Event::Mail(MailEvent::MailChanged)).ok();
                            notify();
                        }
                    }
                    Err(error) => {
                        // Some outcomes may have been written before the error.
                        sent = true;
                        tracing::error!(%error, "sending mail");
                    }
                }
                // Its own batches only (the service thread's are anchored by its anchor
                // thread): a poke after a sale with no mail writes nothing and anchors nothing.
                if sent {
                    services.anchor_batch();
                }
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
        Ok((servers, default_id)) => Event::Mail(MailEvent::MailServers {
            servers: views(servers),
            default_id,
        }),
        Err(error) => Event::Failed(error_text(lang, &error)),
    }
}

fn mail_failures_event(services: &mut Services, session: &Session) -> Event {
    match services
        .mark_mail_failures_seen(session)
        .and_then(|()| services.outbox(true))
    {
        Ok(rows) => Event::Mail(MailEvent::MailFailures(views(rows))),
        Err(error) => Event::Failed(error_text(session.lang, &error)),
    }
}

/// Opens the ledger (the demo box office in an empty data directory) as far as the login
/// screen needs it: the demo's users. What the login screen does not need (the devices, card
/// payments left by a crash) is [`start_devices`]' work, after the screen is drawn (issue 16:
/// start to login).
fn open_for_login(place: &Place) -> Result<(Services, Vec<(String, String)>), AppError> {
    let mut services = place.open()?;
    if services.ledger_mut().is_shared() {
        // A register of the shared ledger: no demo data (the ledger is the venue's).
        let demo_logins = services.demo_logins().unwrap_or_default();
        return Ok((services, demo_logins));
    }
    if !services.ledger_mut().is_initialised() {
        services.init(true)?;
    }
    let demo_logins = services.demo_logins()?;
    Ok((services, demo_logins))
}

/// The demo's simulated card terminal and bank (a demo ledger on this PC only; the terminal
/// lives as long as the service thread, which keeps what this returns), and card payments
/// that a crash left unresolved, resolved before any command runs.
fn start_devices(services: &mut Services) -> Option<emv_agent::sim::Simulator> {
    let demo = !services.ledger_mut().is_shared() && services.is_demo().unwrap_or(false);
    let mut demo_agent = None;
    if demo {
        let config = emv_agent::sim::SimConfig {
            poi_id: "DEMO".into(),
            step_delay: std::time::Duration::from_millis(600),
        };
        match emv_agent::sim::Simulator::start("127.0.0.1:0", config) {
            Ok(agent) => {
                // The demo terminal is on the devices screen from the start.
                if let Err(error) = services.ensure_demo_terminal(agent.address()) {
                    tracing::warn!(%error, "the demo card terminal could not be recorded");
                }
                demo_agent = Some(agent);
            }
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
    if demo && matches!(services.bank_settings(), Ok(None)) {
        match super::bank::start_demo_bank() {
            Ok(()) => services.note_status(
                super::bank::STATUS_BANK_PAYMENT,
                true,
                super::status_fact::DEMO_BANK_DETAIL,
            ),
            Err(error) => tracing::warn!(%error, "the demo bank could not start"),
        }
    }
    demo_agent
}
