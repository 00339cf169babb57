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
    // The service thread starts before the window: opening the ledger (and the demo devices)
    // runs while eframe creates the window and its GL context, not after. Its first events wait
    // in the channel until the first frame reads them.
    let context = std::sync::Arc::new(std::sync::OnceLock::<egui::Context>::new());
    let repaint = std::sync::Arc::clone(&context);
    let worker = Worker::spawn_on(data_dir, database, move || {
        if let Some(ctx) = repaint.get() {
            ctx.request_repaint();
        }
    });
    eframe::run_native(
        "Box office",
        native_options(),
        Box::new(move |cc| {
            // A second window in one process keeps the first context.
            context.set(cc.egui_ctx.clone()).ok();
            let mut app = BoxOfficeApp::with_worker(&cc.egui_ctx, worker);
            app.probe = probe;
            Ok(Box::new(app))
        }),
    )
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
/// [`BoxOfficeApp`] turns into commands for the service thread. The counter's own screens
/// (login, sell, receipt) share the sale's state and are drawn by the app itself.
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
    pub lang: Lang,
    lang_chosen: bool,
    pub screen: Screen,
    pub start_error: Option<String>,
    pub demo_logins: Vec<(String, String)>,
    pub login_name: String,
    pub login_pin: String,
    pub message: Option<String>,
    pub session: Option<Session>,
    pub catalog: Vec<CatalogPerformance>,
    pub selected_performance: Option<PerformanceId>,
    pub cart: Cart,
    /// The cash dialog's tendered field, when the dialog is open.
    pub cash_tendered: Option<String>,
    /// The card payment in progress, with the terminal's texts.
    pub card_dialog: Option<CardDialog>,
    pub pending_card: PendingCardWindow,
    /// Optional customer details of the sale in progress.
    pub customer_name: String,
    pub customer_email: String,
    pub busy: bool,
    pub last_sale: Option<Box<SaleOutcome>>,
    pub refund_panel: RefundPanel,
    pub shift_window: ShiftWindow,
    pub reports: ReportsScreen,
    pub users: UsersScreen,
    pub reprint: ReprintScreen,
    pub printers: PrintersScreen,
    /// Pictures of the last printed (or sold) tickets, uploaded as textures.
    pub ticket_previews: Vec<egui::TextureHandle>,
    /// Pictures drawn by the service thread, waiting for the next frame to upload them.
    pending_previews: Option<Vec<crate::printing::Raster>>,
    pub mail: MailPanel,
    /// A confirmation (export written, report printed), shown until the next action.
    pub notice: Option<String>,
    /// The lock screen is up; the session and the cart stay.
    pub locked: bool,
    pub unlock_pin: String,
    unlocking: bool,
    last_activity: std::time::Instant,
    lock_after: std::time::Duration,
    probe: Option<StartupProbe>,
    pub reservations: ReservationsScreen,
    pub operations: OperationsScreen,
    /// The bank payment dialog, while a payment is in progress.
    pub bank_payment: Option<BankPaymentState>,
    pub customer_phone: String,
    /// Due date typed for a reservation (YYYY-MM-DD; empty = in three days).
    pub reserve_due: String,
    last_reservation_check: Option<std::time::Instant>,
    /// Open the bank's page in the default browser (tests play the browser themselves).
    pub open_bank_page: bool,
    /// This counter's cart: its seats are held under this token.
    pub cart_token: String,
    /// The seat map of the selected performance (seated performances only).
    pub seat_map: SeatMapState,
    /// Type-to-filter text of the performance list.
    pub performance_filter: String,
    /// The question on screen, if any.
    pub confirm: Option<Confirm>,
    /// Just logged in: open the shift window if no shift is open.
    shift_prompt: bool,
    /// Enter was pressed on a tendered amount that is not a number.
    cash_not_number: bool,
    /// Devices, seat plans and holds, receipt settings; the register's currency.
    pub back_office: BackOffice,
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
            catalog: Vec::new(),
            selected_performance: None,
            cart: Cart::new(),
            cash_tendered: None,
            card_dialog: None,
            pending_card: PendingCardWindow::default(),
            customer_name: String::new(),
            customer_email: String::new(),
            busy: false,
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
            bank_payment: None,
            customer_phone: String::new(),
            reserve_due: String::new(),
            last_reservation_check: None,
            open_bank_page: true,
            cart_token: format!(
                "cart-{}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ),
            seat_map: SeatMapState::default(),
            performance_filter: String::new(),
            confirm: None,
            shift_prompt: false,
            cash_not_number: false,
            back_office: BackOffice::default(),
        }
    }

    /// The performances the filter lets through, in list order.
    fn filtered_performances(&self) -> Vec<&CatalogPerformance> {
        let filter = self.performance_filter.trim().to_lowercase();
        self.catalog
            .iter()
            .filter(|p| {
                filter.is_empty()
                    || p.event.to_lowercase().contains(&filter)
                    || p.venue.to_lowercase().contains(&filter)
            })
            .collect()
    }

    /// Empties everything that belongs to one sale (after a sale, at logout).
    fn reset_sale_fields(&mut self) {
        self.cart.clear();
        self.customer_name.clear();
        self.customer_email.clear();
        self.customer_phone.clear();
        self.reserve_due.clear();
        self.mail.mail_tickets = false;
        self.cash_tendered = None;
        self.cash_not_number = false;
    }

    /// The cart as the sale will price it (seats in a cheaper zone cost less).
    fn priced_cart(&self) -> Cart {
        self.seat_map.priced(&self.cart, &self.cart_token)
    }

    /// The seats of this sale: the ones picked on the map, else best available.
    fn seat_choice(&self) -> crate::app::seats::SeatChoice {
        self.seat_map.choice(&self.cart_token)
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
        let performance_id = self.selected_performance?;
        if self.cart.is_empty() {
            return None;
        }
        let items = self
            .cart
            .lines()
            .iter()
            .map(|line| (line.category.code.clone(), line.quantity))
            .collect();
        Some((
            session,
            SaleRequest {
                performance_id,
                items,
                tendered,
                customer_name: Some(self.customer_name.clone()),
                customer_email: Some(self.customer_email.clone()),
                seats: self.seat_choice(),
                cart_token: Some(self.cart_token.clone()),
                mail_tickets: self.mail.mail_tickets,
            },
        ))
    }

    /// The performances on sale (after login, a sale, a refund): the selection stays when it
    /// is still there, else the first with tickets left.
    fn set_catalog(&mut self, catalog: Vec<CatalogPerformance>) {
        if self
            .selected_performance
            .is_none_or(|id| !catalog.iter().any(|p| p.id == id))
        {
            self.selected_performance = catalog.iter().find(|p| p.remaining > 0).map(|p| p.id);
            self.cart.clear();
        }
        self.catalog = catalog;
        self.load_seating();
    }

    /// How long the counter may stay idle before it locks (default five minutes).
    pub fn set_lock_after(&mut self, after: std::time::Duration) {
        self.lock_after = after;
    }

    fn performance(&self) -> Option<&CatalogPerformance> {
        self.catalog
            .iter()
            .find(|p| Some(p.id) == self.selected_performance)
    }

    /// What the cart costs in cash: the total rounded as the register's currency rounds cash
    /// (to 5 cents in Finland, to the whole krona in Sweden); change is given from this.
    fn cash_due(&self) -> Money {
        let total = self.priced_cart().totals().gross;
        total
            + self
                .back_office
                .currency
                .cash_rounding(crate::domain::Tender::Cash, total)
    }

    fn tendered(&self) -> Option<Money> {
        self.cash_tendered
            .as_deref()
            .and_then(|text| Money::parse(text).ok())
    }
}
