//! The egui GUI: draws view models and sends commands to the service thread. No I/O here.

mod actions;
mod areas;
mod back_office;
mod bank;
mod card;
mod devices;
mod events;
mod frame;
mod keys;
mod mail;
mod manager;
mod preview;
mod printing;
mod receipt;
mod receipt_settings;
mod reports;
mod seat_admin;
mod seatmap;
mod sell;
mod shift;
pub mod theme;
mod top_bar;
mod users;

use crate::app::AdminError;
use crate::domain::ids::PerformanceId;
use std::path::PathBuf;

use egui::{Align2, Key, RichText};

use crate::app::worker::{
    AdminCommand, AdminEvent, BankCommand, BankEvent, CardCommand, CardEvent, Command, Event,
    MailCommand, MailEvent, Pay, PrintCommand, PrintEvent, RefundCommand, RefundEvent, SaleCommand,
    SaleEvent, SeatsCommand, SeatsEvent, SessionCommand, SessionEvent, ShiftCommand, ShiftEvent,
    Worker,
};
use crate::app::{CatalogPerformance, PrintMode, SaleOutcome, SaleRequest, Session};
use crate::domain::{Cart, Money, cart::cash_change};
use crate::i18n::{Lang, Text, date_time_text, tr};

pub use back_office::{BackOffice, BackOfficeAction, BackOfficeScreen};
pub use bank::{OperationsAction, OperationsScreen, ReservationAction, ReservationsScreen};
pub use card::{CardDialog, PendingCardWindow};
pub use mail::{MailAction, MailPanel};
pub use manager::{ManagerAction, RefundPanel};
pub use preview::ticket_preview_ui;
pub use printing::{PrintAction, PrintersScreen, ReprintScreen};
pub use reports::{ReportAction, ReportsScreen};
pub use seatmap::{MapTransform, SeatMapAction, SeatMapState, seat_shapes};
use sell::SellScreen;
pub use shift::ShiftWindow;
pub use users::{UserAction, UsersScreen};

/// Open reservations are checked with the bank this often while someone is logged in.
const RESERVATION_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The screen locks itself after this long without input (the cart stays).
const LOCK_AFTER_IDLE_SECS: u64 = 5 * 60;

/// Quick tender buttons in the cash dialog, in euros.
const QUICK_TENDER_EUROS: [i64; 4] = [10, 20, 50, 100];
const CATEGORY_KEYS: [Key; 9] = [
    Key::F1,
    Key::F2,
    Key::F3,
    Key::F4,
    Key::F5,
    Key::F6,
    Key::F7,
    Key::F8,
    Key::F9,
];

/// The performance list's filter field (type-to-filter lands here).
fn performance_filter_id() -> egui::Id {
    egui::Id::unique("performance-filter")
}

/// Names a widget in the accessibility tree for tests (AccessKit's author id, meant for
/// automation: neither shown nor spoken). Tests read the screen through the tree; this names
/// the few nodes whose text alone does not say what they are (the status line, cart counts).
fn test_name(ui: &egui::Ui, response: &egui::Response, name: &str) {
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_author_id(name));
}

/// The window options (shared with the cold-start baseline).
pub fn native_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Box office")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    }
}

/// Opens the window. Blocks until it is closed.
///
/// With `BOXOFFICE_PROBE_FIRST_FRAME=1` the program prints the time from `started` to its
/// first frame and closes (`=login`: to the first frame that shows the login screen).
/// The cold-start benchmark uses this.
pub fn run(
    data_dir: PathBuf,
    database: Option<String>,
    started: std::time::Instant,
) -> eframe::Result {
    let probe = std::env::var("BOXOFFICE_PROBE_FIRST_FRAME")
        .ok()
        .map(|mode| StartupProbe {
            started,
            until_login: mode == "login",
        });
    // The service thread starts while eframe creates the window and its GL context: opening the
    // ledger (and the demo devices) runs beside that, not after it. Its first events wait in the
    // channel until the first frame reads them. It starts in the window builder's hook, just after
    // the event loop: an X11 event loop reads the locale's compose table one `getc` at a time, and
    // glibc locks every one of them once a second thread exists (7 ms of the first frame here).
    // A first start (no ledger yet: creating it and hashing the demo users' PINs take longer than
    // the window) starts the thread at once instead.
    let first_start = Worker::would_create(&data_dir, database.as_deref());
    let context = std::sync::Arc::new(std::sync::OnceLock::<egui::Context>::new());
    let repaint = std::sync::Arc::clone(&context);
    let service = std::rc::Rc::new(std::cell::Cell::new(Some(Service::Waiting(
        data_dir,
        database,
        Box::new(move || {
            if let Some(ctx) = repaint.get() {
                ctx.request_repaint();
            }
        }),
    ))));
    if first_start {
        Service::start(&service);
    }
    let mut options = native_options();
    let early = std::rc::Rc::clone(&service);
    options.window_builder = Some(Box::new(move |builder| {
        Service::start(&early);
        builder
    }));
    eframe::run_native(
        "Box office",
        options,
        Box::new(move |cc| {
            // A second window in one process keeps the first context.
            context.set(cc.egui_ctx.clone()).ok();
            let worker = service
                .take()
                .map(Service::started)
                .ok_or("the service thread was handed to a second window")?;
            let mut app = BoxOfficeApp::with_worker(&cc.egui_ctx, worker);
            app.probe = probe;
            Ok(Box::new(app))
        }),
    )
}

/// The service thread of [`run`]: waiting to start, or running.
enum Service {
    Waiting(PathBuf, Option<String>, Box<dyn Fn() + Send + Sync>),
    Running(Worker),
}

impl Service {
    /// Starts the thread in `slot` unless it runs already.
    fn start(slot: &std::cell::Cell<Option<Service>>) {
        slot.set(
            slot.take()
                .map(|service| Service::Running(service.started())),
        );
    }

    /// The running thread, started now if it was waiting.
    fn started(self) -> Worker {
        match self {
            Service::Waiting(data_dir, database, repaint) => {
                Worker::spawn_on(data_dir, database, repaint)
            }
            Service::Running(worker) => worker,
        }
    }
}

/// Measures the cold start: see [`run`].
struct StartupProbe {
    started: std::time::Instant,
    until_login: bool,
}

/// GUI logs go to `boxoffice.log` in the data directory (never a PIN or a card number).
/// DejaVu Sans (assets/fonts) after egui's own font, so any name a customer has
/// (å ä ö, Ł, ş, →…) is drawn rather than shown as a box.
fn fallback_font(ctx: &egui::Context) {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    ctx.add_font(FontInsert {
        name: "DejaVuSans".into(),
        data: egui::FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")),
        families: [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect(),
    });
}

/// Large, calm text for a counter screen read at arm's length.
fn counter_style(ctx: &egui::Context) {
    use egui::{FontId, TextStyle};
    fallback_font(ctx);
    ctx.all_styles_mut(|style| {
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(18.0));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(18.0));
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(26.0));
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(14.0));
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(10.0, 6.0);
    });
}

/// A screen of its own, as egui_demo_app's `wrap_app.rs` has them: it owns its state, draws
/// itself into the central panel and says what the user asked for as actions, which
/// [`BoxOfficeApp`] turns into commands for the service thread. The sell screen
/// (`sell::SellScreen`) owns its state too but draws itself with a `SellContext`, since it
/// shares its column with mail's remail control and its right side with the refund panel;
/// login and receipt are drawn by the app.
pub trait View {
    /// What the user asked for on this screen.
    type Action;
    /// Draws the screen; what was asked for goes into `actions`.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext, actions: &mut Vec<Self::Action>);
}

/// What every screen may read: the language, who is logged in, the performances on sale.
pub struct ViewContext<'a> {
    pub lang: Lang,
    pub session: Option<&'a Session>,
    pub catalog: &'a [CatalogPerformance],
    /// The register's currency: every amount on a screen is written in it.
    pub currency: crate::domain::Currency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Starting,
    Login,
    Sell,
    Receipt,
    Reports,
    Users,
    /// Staff: find an order and print a copy or a reissue.
    Reprint,
    /// Admins: printers, system queues, test ticket, status.
    Printers,
    Reservations,
    Operations,
    /// Devices, seat plans and holds, receipt settings (`back_office.rs`).
    BackOffice(BackOfficeScreen),
}

/// A bank payment at the counter in progress.
#[derive(Debug, Clone, Default)]
pub struct BankPaymentState {
    pub url: Option<String>,
    pub reference: Option<String>,
    pub rejected: Option<String>,
    pub cancelling: bool,
}

/// Something that cannot be undone, asked once (Enter = yes, Esc = no).
pub enum Confirm {
    ClearCart,
    ChangePerformance(PerformanceId),
    CloseShift(shift::ShiftClose),
    Reissue(String),
    /// The setting "ask": print the customer's receipt of this sale?
    PrintReceipt(crate::domain::ids::OrderNumber),
}

/// What a frame's widgets asked for; applied once at the end of the frame.
#[must_use]
enum Action {
    /// Logging in and out, locking.
    Session(SessionAction),
    /// The sale being put together.
    Cart(CartAction),
    /// Paying for the cart (or reserving it).
    Pay(PayAction),
    /// Opening screens, panels and windows.
    Go(GoAction),
    /// The answer to the confirmation on screen.
    Confirm(bool),
    /// Esc: close the topmost window or panel, or go back to selling.
    Back,
    ResolveCard(String, crate::app::ManualResolution),
    User(UserAction),
    Report(ReportAction),
    Manager(ManagerAction),
    Print(PrintAction),
    Mail(MailAction),
    Reservation(ReservationAction),
    Operations(OperationsAction),
    BackOffice(BackOfficeAction),
}

/// Logging in and out, locking.
enum SessionAction {
    SetLang(Lang),
    FillLogin(String, String),
    Login,
    Logout,
    Lock,
    Unlock,
}

/// The sale being put together.
enum CartAction {
    /// Delete: the last cart line goes.
    VoidLastLine,
    /// Esc on the sell screen: ask before emptying the cart.
    AskClearCart,
    /// ↑ / ↓ in the performance list.
    StepPerformance(i32),
    SelectPerformance(PerformanceId),
    AddTicket(usize),
    SeatMap(SeatMapAction),
    RemoveTicket(i64),
    NewSale,
}

/// Paying for the cart (or reserving it).
enum PayAction {
    OpenCash,
    SetTendered(Money),
    CloseCash,
    CompleteCash,
    PayCard,
    /// Cash for part (the amount in the cash dialog), the card for the rest.
    PayCardRest(Money),
    CancelCard,
    PayBank,
    CancelBank,
    Reserve,
}

/// A payment waiting for the service thread's answer to the request before it.
#[derive(Clone, Copy, Debug)]
enum QueuedPay {
    Cash,
    /// By card; `Some` is the part given in cash.
    Card(Option<Money>),
}

/// Opening screens, panels and windows.
enum GoAction {
    OpenPendingCard,
    ToggleRefunds,
    OpenShiftWindow,
    ToggleReports,
    ToggleUsers,
    ToggleReprint,
    TogglePrinters,
    ToggleReservations,
    ToggleOperations,
    ShowBackOffice(BackOfficeScreen),
}

pub struct BoxOfficeApp {
    worker: Worker,
    lang: Lang,
    lang_chosen: bool,
    screen: Screen,
    start_error: Option<String>,
    demo_logins: Vec<(String, String)>,
    login_name: String,
    login_pin: String,
    message: Option<String>,
    session: Option<Session>,
    /// The sell screen: the performances, the sale being put together and its payment.
    sell: SellScreen,
    pending_card: PendingCardWindow,
    busy: bool,
    /// A payment asked for (Enter in the cash dialog, Ctrl+K) while a request was still with
    /// the service thread, e.g. the best seats' hold: made once the answer is in, so a fast
    /// cashier's key is not lost and the sale carries what the answer put in the cart.
    queued_pay: Option<QueuedPay>,
    last_sale: Option<Box<SaleOutcome>>,
    refund_panel: RefundPanel,
    shift_window: ShiftWindow,
    reports: ReportsScreen,
    users: UsersScreen,
    reprint: ReprintScreen,
    printers: PrintersScreen,
    /// Pictures of the last printed (or sold) tickets, uploaded as textures.
    ticket_previews: Vec<egui::TextureHandle>,
    /// Pictures drawn by the service thread, waiting for the next frame to upload them.
    pending_previews: Option<Vec<crate::printing::Raster>>,
    mail: MailPanel,
    /// A confirmation (export written, report printed), shown until the next action.
    notice: Option<String>,
    /// The lock screen is up; the session and the cart stay.
    locked: bool,
    unlock_pin: String,
    unlocking: bool,
    last_activity: std::time::Instant,
    lock_after: std::time::Duration,
    probe: Option<StartupProbe>,
    reservations: ReservationsScreen,
    operations: OperationsScreen,
    last_reservation_check: Option<std::time::Instant>,
    /// Open the bank's page in the default browser (tests play the browser themselves).
    open_bank_page: bool,
    /// The question on screen, if any.
    confirm: Option<Confirm>,
    /// Just logged in: open the shift window if no shift is open.
    shift_prompt: bool,
    /// Devices, seat plans and holds, receipt settings; the register's currency.
    back_office: BackOffice,
}

impl BoxOfficeApp {
    pub fn new(ctx: &egui::Context, data_dir: PathBuf) -> Self {
        let repaint = ctx.clone();
        let worker = Worker::spawn(data_dir, move || repaint.request_repaint());
        Self::with_worker(ctx, worker)
    }

    /// The app on this data directory's register of the shared ledger at `url` (PostgreSQL).
    pub fn on_shared(ctx: &egui::Context, data_dir: PathBuf, url: String) -> Self {
        let repaint = ctx.clone();
        let worker = Worker::spawn_on(data_dir, Some(url), move || repaint.request_repaint());
        Self::with_worker(ctx, worker)
    }

    /// The app on a service thread that is already running (see [`run`]).
    pub fn with_worker(ctx: &egui::Context, worker: Worker) -> Self {
        counter_style(ctx);
        BoxOfficeApp {
            worker,
            lang: Lang::Fi,
            lang_chosen: false,
            screen: Screen::Starting,
            start_error: None,
            demo_logins: Vec::new(),
            login_name: String::new(),
            login_pin: String::new(),
            message: None,
            session: None,
            sell: SellScreen::new(),
            pending_card: PendingCardWindow::default(),
            busy: false,
            queued_pay: None,
            last_sale: None,
            refund_panel: RefundPanel::default(),
            shift_window: ShiftWindow::default(),
            reports: ReportsScreen::default(),
            users: UsersScreen::default(),
            reprint: ReprintScreen::default(),
            printers: PrintersScreen::default(),
            ticket_previews: Vec::new(),
            pending_previews: None,
            mail: MailPanel::default(),
            notice: None,
            locked: false,
            unlock_pin: String::new(),
            unlocking: false,
            last_activity: std::time::Instant::now(),
            lock_after: std::time::Duration::from_secs(
                std::env::var("BOXOFFICE_LOCK_AFTER_SECS")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(LOCK_AFTER_IDLE_SECS),
            ),
            probe: None,
            reservations: ReservationsScreen::default(),
            operations: OperationsScreen::default(),
            last_reservation_check: None,
            open_bank_page: true,
            confirm: None,
            shift_prompt: false,
            back_office: BackOffice::default(),
        }
    }

    /// Empties everything that belongs to one sale (after a sale, at logout).
    fn reset_sale_fields(&mut self) {
        self.sell.reset_sale();
    }

    /// Opens `screen`, or goes back to selling when it is already open.
    fn toggle_screen(&mut self, screen: Screen) {
        self.screen = if self.screen == screen {
            Screen::Sell
        } else {
            screen
        };
    }

    /// The one sale request of the counter (cash, card or bank; a reservation too): the cart,
    /// its seats, the customer and whether to mail the tickets (the sale queues the mail).
    fn sale_request(&self, tendered: Money) -> Option<(Session, SaleRequest)> {
        let session = self.session.clone()?;
        Some((session, self.sell.sale_request(tendered)?))
    }

    /// The performances on sale (after login, a sale, a refund): the selection stays when it
    /// is still there, else the first with tickets left.
    fn set_catalog(&mut self, catalog: Vec<CatalogPerformance>) {
        self.sell.set_catalog(catalog);
        self.load_seating();
    }

    /// The bank's page for a payment at the counter is not opened in a browser: for tests,
    /// which play the customer's browser themselves.
    pub fn without_browser(mut self) -> Self {
        self.open_bank_page = false;
        self
    }

    /// A request is with the service thread (its answer not yet shown). For tests only, which
    /// wait for the answer before they look: the screen shows no sign of most requests.
    pub fn waiting(&self) -> bool {
        self.busy
    }

    /// Where `seat` is drawn on the seat map shown (the sell screen's, or the seat plans
    /// screen's for holds). For tests only, which click seats as a person does: the map is
    /// painted, with no accessibility node per seat.
    pub fn seat_on_screen(&self, seat: &crate::domain::seating::SeatRef) -> Option<egui::Pos2> {
        match self.screen {
            Screen::BackOffice(_) => self.back_office.seats.map.screen_pos(seat),
            _ => self.sell.seat_map.screen_pos(seat),
        }
    }

    /// How long the counter may stay idle before it locks (default five minutes).
    pub fn set_lock_after(&mut self, after: std::time::Duration) {
        self.lock_after = after;
    }

    /// What the cart costs in cash: the total rounded as the register's currency rounds cash
    /// (to 5 cents in Finland, to the whole krona in Sweden); change is given from this.
    fn cash_due(&self) -> Money {
        self.sell.cash_due(self.back_office.currency)
    }
}
