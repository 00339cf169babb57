//! The egui GUI: draws view models and sends commands to the service thread. No I/O here.

mod back_office;
mod bank;
mod card;
mod devices;
mod mail;
mod manager;
mod preview;
mod printing;
mod receipt_settings;
mod reports;
mod seat_admin;
mod seatmap;
pub mod theme;
mod users;

use crate::app::AdminError;
use crate::domain::ids::PerformanceId;
use std::path::PathBuf;

use egui::{Align2, Color32, Key, RichText};

use crate::app::worker::{Command, Event, Pay, Worker};
use crate::app::{CatalogPerformance, PrintMode, SaleOutcome, SaleRequest, Session};
use crate::domain::{Cart, Money, cart::cash_change};
use crate::i18n::{Lang, Text, date_time_text, tr};

pub use back_office::{BackOffice, BackOfficeAction, BackOfficeScreen};
pub use bank::{OperationsAction, OperationsScreen, ReservationAction, ReservationsScreen};
pub use card::{CardDialog, PendingCardWindow};
pub use mail::{MailAction, MailPanel};
pub use manager::{ManagerAction, RefundPanel, ShiftWindow};
pub use preview::ticket_preview_ui;
pub use printing::{PrintAction, PrintersScreen, ReprintScreen};
pub use reports::{ReportAction, ReportsScreen};
pub use seatmap::{MapTransform, SeatMapAction, SeatMapState, seat_shapes};
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
pub fn run(data_dir: PathBuf, started: std::time::Instant) -> eframe::Result {
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
    let worker = Worker::spawn(data_dir, move || {
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
    CloseShift(
        crate::domain::drawer::DrawerCount,
        String,
        Option<(String, String)>,
    ),
    Reissue(String),
}

/// What a frame's widgets asked for; applied once at the end of the frame.
#[must_use]
enum Action {
    /// Delete: the last cart line goes.
    VoidLastLine,
    /// Esc on the sell screen: ask before emptying the cart.
    AskClearCart,
    /// The answer to the confirmation on screen.
    Confirm(bool),
    /// ↑ / ↓ in the performance list.
    StepPerformance(i32),
    /// Esc: close the topmost window or panel, or go back to selling.
    Back,
    SetLang(Lang),
    FillLogin(String, String),
    Login,
    Logout,
    SelectPerformance(PerformanceId),
    AddTicket(usize),
    SeatMap(SeatMapAction),
    RemoveTicket(i64),
    OpenCash,
    SetTendered(Money),
    CloseCash,
    CompleteCash,
    PayCard,
    /// Cash for part (the amount in the cash dialog), the card for the rest.
    PayCardRest(Money),
    CancelCard,
    OpenPendingCard,
    ResolveCard(String, crate::app::ManualResolution),
    NewSale,
    ToggleRefunds,
    OpenShiftWindow,
    ToggleReports,
    ToggleUsers,
    User(UserAction),
    Report(ReportAction),
    Lock,
    Unlock,
    Manager(ManagerAction),
    ToggleReprint,
    TogglePrinters,
    Print(PrintAction),
    Mail(MailAction),
    PayBank,
    CancelBank,
    Reserve,
    ToggleReservations,
    ToggleOperations,
    Reservation(ReservationAction),
    Operations(OperationsAction),
    BackOffice(BackOfficeAction),
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
        total + self.back_office.currency.cash_rounding("cash", total)
    }

    fn tendered(&self) -> Option<Money> {
        self.cash_tendered
            .as_deref()
            .and_then(|text| Money::parse(text).ok())
    }

    fn handle_event(&mut self, event: Event) {
        self.busy = false;
        match event {
            Event::CardDisplay(text) => {
                if let Some(dialog) = self.card_dialog.as_mut() {
                    self.busy = true;
                    dialog.texts.push(text);
                }
            }
            Event::PendingCard(attempts) => {
                self.pending_card.attempts = attempts;
                self.pending_card.open = true;
            }
            Event::Ready { demo_logins } => {
                self.demo_logins = demo_logins;
                self.screen = Screen::Login;
            }
            Event::StartFailed(message) => self.start_error = Some(message),
            Event::LoggedIn(session) if self.unlocking => {
                self.unlocking = false;
                self.unlock_pin.clear();
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.user_id == session.user_id)
                {
                    self.locked = false;
                    self.message = None;
                }
            }
            Event::LoginFailed(message) if self.unlocking => {
                self.unlocking = false;
                self.unlock_pin.clear();
                self.message = Some(message);
            }
            Event::LoggedIn(session) => {
                if self.lang_chosen && session.lang != self.lang {
                    self.busy = true;
                    self.worker.send(Command::SetLanguage {
                        session: session.clone(),
                        lang: self.lang,
                    });
                }
                self.lang_chosen = false;
                self.lang = session.lang;
                self.session = Some(session);
                self.login_pin.clear();
                self.message = None;
                if self.screen == Screen::Login {
                    self.screen = Screen::Sell;
                }
                self.worker.send(Command::LoadCatalog { lang: self.lang });
                self.poll_mail_status();
                self.back_office.reset();
                self.device_request(crate::app::devices::DeviceRequest::Load);
                // Say now, not after the amount is typed, when no shift is open.
                if let Some(session) = self.session.clone() {
                    self.shift_prompt = true;
                    self.worker.send(Command::XReport { session });
                }
            }
            Event::Devices(event) => {
                if let crate::app::devices::DeviceEvent::ReceiptMailed(outcome) = &event {
                    if outcome.ok {
                        self.notice = Some(outcome.text.clone());
                    } else {
                        self.message = Some(outcome.text.clone());
                    }
                }
                for request in self.back_office.handle(event) {
                    self.device_request(request);
                }
            }
            Event::LoginFailed(message) => {
                self.login_pin.clear();
                self.message = Some(message);
            }
            Event::Catalog(catalog) => self.set_catalog(catalog),
            Event::Seating {
                performance_id,
                view,
                message,
            } => {
                if Some(performance_id) == self.selected_performance {
                    self.seat_map.view = view.map(|v| *v);
                    self.seat_map.message = message;
                    self.seat_map.split_offer = None;
                }
            }
            Event::SeatSplitOffered(seats) => self.seat_map.split_offer = Some(seats),
            Event::SaleCompleted(view) => {
                let crate::app::worker::SaleView {
                    outcome,
                    previews,
                    catalog,
                } = *view;
                self.bank_payment = None;
                self.reset_sale_fields();
                self.card_dialog = None;
                self.message = outcome
                    .printed
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", tr(self.lang, Text::PrintFailed)));
                self.ticket_previews.clear();
                self.pending_previews = Some(previews);
                // Queued in the sale's own transaction.
                if let Some(mail) = &outcome.mail {
                    self.notice = Some(format!(
                        "{} ({} {}, {})",
                        tr(self.lang, Text::MailQueued),
                        tr(self.lang, Text::OrderNumber),
                        outcome.receipt.order_number,
                        mail.to
                    ));
                }
                self.last_sale = Some(Box::new(outcome));
                self.screen = Screen::Receipt;
                self.seat_map.split_offer = None;
                if let Some(catalog) = catalog {
                    self.set_catalog(catalog);
                }
            }
            Event::SaleFailed(message) => {
                self.card_dialog = None;
                self.bank_payment = None;
                self.message = Some(message);
            }
            Event::Failed(message) => {
                self.mail.settings.testing = false;
                self.message = Some(message);
            }
            Event::MailStatus {
                unseen,
                waiting,
                trouble,
            } => {
                self.mail.unseen = unseen;
                self.mail.waiting = waiting;
                self.mail.trouble = trouble;
            }
            Event::MailFailures(rows) => {
                self.mail.unseen = 0;
                self.mail.failures = rows;
                self.mail.open = true;
            }
            Event::MailChanged => self.poll_mail_status(),
            Event::MailServers {
                servers,
                default_id,
            } => {
                self.mail.settings.servers = servers;
                self.mail.settings.default_id = default_id;
                self.mail.settings.form.password.clear();
            }
            Event::TestMail(outcome) => {
                self.mail.settings.testing = false;
                self.mail.settings.test_result = Some(outcome);
            }
            Event::SmsSent(outcome) => {
                self.mail.sms_result = Some(format!(
                    "{}: {}",
                    tr(self.lang, Text::SendSms),
                    outcome.reply
                ));
            }
            Event::MailQueued { order_number, to } => {
                self.notice = Some(format!(
                    "{} ({} {order_number}, {to})",
                    tr(self.lang, Text::MailQueued),
                    tr(self.lang, Text::OrderNumber)
                ));
            }
            Event::RemailProgress { done, total } => {
                if let Some(remail) = self.mail.remail.as_mut() {
                    remail.0 = done;
                    remail.1 = total;
                }
                self.busy = true;
            }
            Event::RemailFinished { queued } => {
                self.mail.remail = None;
                self.notice = Some(format!("{}: {queued}", tr(self.lang, Text::MailQueued)));
            }
            Event::SearchResults { query, hits } => {
                if query == self.refund_panel.query {
                    self.refund_panel.hits = hits;
                    self.refund_panel.hits_for = query;
                }
            }
            Event::OrderLoaded { receipt, refunds } => {
                self.refund_panel.show_order(receipt, refunds)
            }
            Event::Refunded(outcome) => {
                let instruction = if outcome.tender == "bank" {
                    format!(
                        "\n{}",
                        crate::i18n::bank_refund_instruction(
                            self.lang,
                            Money::from_cents(outcome.amount_cents),
                            outcome.bank_reference.as_deref().unwrap_or("-")
                        )
                    )
                } else {
                    String::new()
                };
                self.refund_panel.result = Some(format!(
                    "{} {}: {}{instruction}",
                    tr(self.lang, Text::RefundReceipt),
                    outcome.receipt_number,
                    crate::i18n::give_back(
                        self.lang,
                        Money::from_cents(outcome.amount_cents),
                        &outcome.tender
                    ),
                ));
                self.worker.send(Command::LoadOrder {
                    order_number: outcome.order_number,
                    lang: self.lang,
                });
                self.worker.send(Command::LoadCatalog { lang: self.lang });
            }
            Event::Shift(report) => {
                let prompt = std::mem::take(&mut self.shift_prompt);
                if report.is_some() {
                    // A shift is open now: "no shift" messages are history.
                    if self.message.as_deref() == Some(tr(self.lang, Text::ShiftNotOpenPrompt)) {
                        self.message = None;
                    }
                } else if prompt {
                    self.shift_window = ShiftWindow {
                        open: true,
                        ..ShiftWindow::default()
                    };
                    self.message = Some(tr(self.lang, Text::ShiftNotOpenPrompt).to_string());
                }
                if prompt && report.is_some() && !self.shift_window.open {
                    return;
                }
                self.shift_window.report = Some(report);
            }
            Event::Report(tables) => self.reports.tables = tables,
            Event::Users(users) => self.users.users = Some(users),
            Event::Done(place) => self.notice = Some(place),
            Event::BankPage { url, reference } => {
                let state = self.bank_payment.get_or_insert_with(Default::default);
                state.url = Some(url);
                state.reference = Some(reference);
            }
            Event::BankRejected(why) => {
                if let Some(state) = &mut self.bank_payment {
                    state.rejected = Some(why);
                }
            }
            Event::BankEnded(why) => {
                self.bank_payment = None;
                self.message = Some(why);
                self.worker.send(Command::LoadCatalog { lang: self.lang });
            }
            Event::Reservations(list) => {
                if std::mem::take(&mut self.reservations.announce_newest) {
                    // A reservation was just made from the sell screen.
                    if let Some(newest) = list.iter().max_by_key(|r| r.id) {
                        self.notice = Some(format!(
                            "{} {} ({}, {} {})",
                            tr(self.lang, Text::Reserved),
                            crate::payments::reference::ReferenceNumber::parse(&newest.reference)
                                .map(|r| r.grouped())
                                .unwrap_or_else(|_| newest.reference.clone()),
                            Money::from_cents(newest.total_cents),
                            tr(self.lang, Text::DueDate),
                            newest.due_date
                        ));
                    }
                }
                self.reservations.list = Some(list);
                self.worker.send(Command::LoadCatalog { lang: self.lang });
            }
            Event::ReservationChecks(checks) => {
                self.reservations.checks = checks;
                self.worker.send(Command::LoadReservations);
            }
            Event::Statuses(statuses) => self.operations.statuses = Some(statuses),
            Event::SupportReport(report) => {
                self.operations.report = Some(report);
                self.operations.copied = false;
                self.notice = Some(tr(self.lang, Text::SupportReportCopied).to_string());
            }
            Event::BankSettings {
                settings,
                key_dates,
            } => self
                .operations
                .show_settings(settings.map(|s| *s), key_dates),
            Event::TicketPreviews(pictures) => self.pending_previews = Some(pictures),
            Event::Printed(outcome) => self.printed(*outcome),
            Event::ReprintOrders { query, orders } => {
                if query == self.reprint.query {
                    self.reprint.orders = orders;
                }
            }
            Event::Printers {
                printers,
                system_queues,
            } => {
                self.printers.printers = Some(printers);
                self.printers.system_queues = system_queues;
            }
        }
    }

    /// A print job came back: say where it went (or why not) and show what was printed.
    /// A request of the device and settings screens, as the logged-in user.
    fn device_request(&mut self, request: crate::app::devices::DeviceRequest) {
        if let Some(session) = &self.session {
            self.worker.send(Command::Devices {
                session: session.clone(),
                request,
            });
        }
    }

    fn printed(&mut self, outcome: crate::app::PrintOutcome) {
        use crate::app::PrintResult;
        let lang = self.lang;
        match &outcome.result {
            PrintResult::Failed(error) => {
                self.message = Some(format!("{}: {error}", tr(lang, Text::PrintFailed)));
            }
            result => {
                let what = if *result == PrintResult::Spooled {
                    tr(lang, Text::SentToQueue)
                } else {
                    tr(lang, Text::SentToPrinter)
                };
                self.message = None;
                self.notice = Some(format!(
                    "{what}: {} ({})",
                    outcome.codes.join(", "),
                    outcome.printer
                ));
                if let Some(sale) = self.last_sale.as_mut()
                    && self.screen == Screen::Receipt
                {
                    sale.printed = Ok(outcome.transport.clone());
                }
            }
        }
        self.ticket_previews.clear();
        self.worker.send(Command::RenderPreviews {
            labels: outcome.labels,
        });
        if self.screen == Screen::Reprint {
            self.worker.send(Command::ReprintSearch {
                query: self.reprint.query.clone(),
                lang,
            });
        }
    }

    /// Asks for the seat map of the selected performance when it is seated.
    fn load_seating(&mut self) {
        let seated = self.performance().filter(|p| p.seated).map(|p| p.id);
        match seated {
            Some(performance_id) => self.worker.send(Command::LoadSeating {
                performance_id,
                lang: self.lang,
            }),
            None => self.seat_map.view = None,
        }
    }

    /// Gives back the seats in this cart (changing performance, logging out).
    fn release_cart_seats(&mut self) {
        if let (Some(session), Some(view)) = (self.session.clone(), &self.seat_map.view)
            && !self.seat_map.picked(&self.cart_token).is_empty()
        {
            self.worker.send(Command::CartSeats {
                session,
                performance_id: view.performance_id,
                token: self.cart_token.clone(),
                seats: Vec::new(),
                release: true,
            });
        }
        self.seat_map = SeatMapState::default();
    }

    fn apply_seat_map(&mut self, action: SeatMapAction) {
        let (Some(session), Some(performance_id)) =
            (self.session.clone(), self.selected_performance)
        else {
            return;
        };
        let token = self.cart_token.clone();
        self.seat_map.message = None;
        let command = match action {
            SeatMapAction::Hold(seats) | SeatMapAction::AcceptSplit(seats) => Command::CartSeats {
                session,
                performance_id,
                token,
                seats,
                release: false,
            },
            SeatMapAction::Release(seats) => Command::CartSeats {
                session,
                performance_id,
                token,
                seats,
                release: true,
            },
            SeatMapAction::Best { wheelchair } => {
                let count = self.cart.totals().n_tickets as usize;
                if count == 0 {
                    return;
                }
                Command::BestSeats {
                    session,
                    performance_id,
                    token,
                    count,
                    wheelchair: usize::from(wheelchair),
                }
            }
        };
        self.busy = true;
        self.worker.send(command);
    }

    /// Sends a card sale of the cart: all by card, or `cash` in cash and the rest by card.
    fn pay_card(&mut self, cash: Option<Money>) {
        if self.busy || self.card_dialog.is_some() {
            return;
        }
        let Some((session, request)) = self.sale_request(cash.unwrap_or(Money::ZERO)) else {
            return;
        };
        self.busy = true;
        self.message = None;
        self.cash_tendered = None;
        let (dialog, abort) = CardDialog::new();
        self.card_dialog = Some(dialog);
        self.worker.send(Command::Sell {
            session,
            request,
            pay: Pay::Card {
                split: crate::app::Split { cash, card: None },
                abort,
            },
        });
    }

    /// Selects another performance (the cart was empty or the cashier said yes).
    fn change_performance(&mut self, id: PerformanceId) {
        self.release_cart_seats();
        self.selected_performance = Some(id);
        self.cart.clear();
        self.message = None;
        self.load_seating();
    }

    /// Does what the confirmation asked about.
    fn confirmed(&mut self, question: Confirm) {
        match question {
            Confirm::ClearCart => {
                self.release_cart_seats();
                self.load_seating();
                self.reset_sale_fields();
                self.message = None;
            }
            Confirm::ChangePerformance(id) => self.change_performance(id),
            Confirm::CloseShift(count, comment, manager) => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::CloseShift {
                        session,
                        manager,
                        count,
                        comment,
                    });
                }
            }
            Confirm::Reissue(code) => {
                if let Some(session) = self.session.clone() {
                    self.busy = true;
                    self.message = None;
                    self.notice = None;
                    self.worker.send(Command::PrintTicket {
                        session,
                        code,
                        mode: PrintMode::Reissue,
                    });
                }
            }
        }
    }

    /// Esc: one level back — the topmost window, then the side panel, then the screen.
    fn back(&mut self) {
        if self.mail.settings.open {
            self.mail.settings.open = false;
        } else if self.mail.open {
            self.mail.open = false;
        } else if self.pending_card.open {
            self.pending_card.open = false;
        } else if self.shift_window.open {
            self.shift_window.open = false;
        } else if self.refund_panel.open {
            self.refund_panel.toggle();
        } else if !matches!(
            self.screen,
            Screen::Sell | Screen::Login | Screen::Starting | Screen::Receipt
        ) {
            self.screen = if self.session.is_some() {
                Screen::Sell
            } else {
                Screen::Login
            };
        } else if self.screen == Screen::Sell {
            if !self.performance_filter.is_empty() {
                self.performance_filter.clear();
            } else {
                self.apply(Action::AskClearCart);
            }
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::SeatMap(action) => self.apply_seat_map(action),
            Action::SetLang(lang) => {
                self.lang = lang;
                self.lang_chosen = true;
            }
            Action::FillLogin(name, pin) => {
                self.login_name = name;
                self.login_pin = pin;
            }
            Action::Login => {
                if !self.busy && !self.login_name.trim().is_empty() {
                    self.busy = true;
                    self.message = None;
                    self.worker.send(Command::Login {
                        name: self.login_name.trim().to_string(),
                        pin: self.login_pin.clone(),
                        lang: self.lang,
                    });
                }
            }
            Action::Logout => {
                self.release_cart_seats();
                self.session = None;
                self.refund_panel = RefundPanel::default();
                self.shift_window = ShiftWindow::default();
                self.reprint = ReprintScreen::default();
                self.locked = false;
                self.reset_sale_fields();
                self.last_sale = None;
                self.message = None;
                self.notice = None;
                self.confirm = None;
                self.performance_filter.clear();
                self.mail.open = false;
                self.mail.settings.open = false;
                self.pending_card.open = false;
                self.ticket_previews.clear();
                self.screen = Screen::Login;
            }
            Action::SelectPerformance(id) => {
                if self.selected_performance != Some(id) {
                    if self.cart.is_empty() {
                        self.change_performance(id);
                    } else {
                        self.confirm = Some(Confirm::ChangePerformance(id));
                    }
                }
            }
            Action::StepPerformance(step) => {
                let list: Vec<PerformanceId> =
                    self.filtered_performances().iter().map(|p| p.id).collect();
                if !list.is_empty() {
                    let at = list
                        .iter()
                        .position(|id| Some(*id) == self.selected_performance);
                    let next = match at {
                        Some(at) => (at as i64 + i64::from(step)).clamp(0, list.len() as i64 - 1),
                        None => 0,
                    } as usize;
                    self.apply(Action::SelectPerformance(list[next]));
                }
            }
            Action::VoidLastLine => {
                if let Some(line) = self.cart.lines().last() {
                    let (id, quantity) = (line.category.category_id, line.quantity);
                    for _ in 0..quantity {
                        self.cart.remove_one(id);
                    }
                    self.message = None;
                }
            }
            Action::AskClearCart => {
                if !self.cart.is_empty() {
                    self.confirm = Some(Confirm::ClearCart);
                }
            }
            Action::Confirm(yes) => {
                if let Some(question) = self.confirm.take()
                    && yes
                {
                    self.confirmed(question);
                }
            }
            Action::Back => self.back(),
            Action::AddTicket(index) => {
                let Some(performance) = self.performance() else {
                    return;
                };
                let remaining = performance.remaining;
                let category = performance.categories.get(index).map(|c| c.priced());
                if let Some(category) = category {
                    // Refuse the ticket that is not there now, not after the money is counted.
                    if i64::from(self.cart.totals().n_tickets) >= remaining {
                        self.message = Some(crate::i18n::only_left(self.lang, remaining));
                        return;
                    }
                    self.cart.add(&category, 1);
                    self.message = None;
                }
            }
            Action::RemoveTicket(category_id) => self.cart.remove_one(category_id),
            Action::OpenCash => {
                if !self.cart.is_empty() {
                    self.cash_tendered = Some(String::new());
                    self.cash_not_number = false;
                }
            }
            Action::SetTendered(amount) => {
                self.cash_tendered = Some(amount.amount_text());
                self.cash_not_number = false;
            }
            Action::CloseCash => self.cash_tendered = None,
            Action::CompleteCash => {
                let due = self.cash_due();
                self.cash_not_number = self
                    .cash_tendered
                    .as_deref()
                    .is_some_and(|t| !t.trim().is_empty() && self.tendered().is_none());
                let Some(tendered) = self.tendered() else {
                    return;
                };
                if self.busy || cash_change(due, tendered).is_err() {
                    return;
                }
                let Some((session, request)) = self.sale_request(tendered) else {
                    return;
                };
                self.busy = true;
                self.message = None;
                self.worker.send(Command::Sell {
                    session,
                    request,
                    pay: Pay::Cash,
                });
            }
            Action::PayCard => self.pay_card(None),
            Action::PayCardRest(cash) => self.pay_card(Some(cash)),
            Action::CancelCard => {
                if let Some(dialog) = &self.card_dialog {
                    dialog.cancel();
                }
            }
            Action::OpenPendingCard => self
                .worker
                .send(Command::LoadPendingCard { lang: self.lang }),
            Action::ResolveCard(attempt, decision) => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::ResolveCard {
                        session,
                        attempt,
                        decision,
                    });
                }
            }
            Action::ToggleRefunds => {
                self.refund_panel.toggle();
                if self.refund_panel.open && self.screen == Screen::Receipt {
                    self.screen = Screen::Sell;
                }
            }
            Action::OpenShiftWindow => {
                if let Some(session) = self.session.clone() {
                    self.shift_window = ShiftWindow {
                        open: true,
                        ..ShiftWindow::default()
                    };
                    self.worker.send(Command::XReport { session });
                }
            }
            Action::Manager(action) => self.apply_manager(action),
            Action::Mail(action) => self.apply_mail(action),
            Action::ToggleReports => {
                self.toggle_screen(Screen::Reports);
                self.reports.loaded_for = None;
            }
            Action::Report(ReportAction::Load { kind, from, to }) => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::Report {
                        session,
                        kind,
                        from,
                        to,
                    });
                }
            }
            Action::ToggleUsers => {
                self.toggle_screen(Screen::Users);
                self.users = UsersScreen::default();
            }
            Action::User(action) => {
                let Some(session) = self.session.clone() else {
                    return;
                };
                self.message = None;
                self.worker.send(match action {
                    UserAction::Load => Command::ListUsers { session },
                    UserAction::Add { name, role, pin } => Command::AddUser {
                        session,
                        name,
                        role,
                        pin,
                    },
                    UserAction::SetPin { name, pin } => Command::SetPin { session, name, pin },
                    UserAction::Disable(name) => Command::DisableUser { session, name },
                });
            }
            Action::Report(ReportAction::Export { name, tables }) => {
                self.worker.send(Command::ExportCsv { name, tables })
            }
            Action::Lock => {
                if self.session.is_some() {
                    self.locked = true;
                    self.cash_tendered = None;
                }
            }
            Action::Unlock => {
                if let Some(session) = &self.session
                    && !self.unlocking
                {
                    self.unlocking = true;
                    self.worker.send(Command::Login {
                        name: session.name.clone(),
                        pin: self.unlock_pin.clone(),
                        lang: self.lang,
                    });
                }
            }
            Action::ToggleReprint => {
                if !self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.role.may(crate::domain::Permission::Reprint))
                {
                    return;
                }
                self.screen = if self.screen == Screen::Reprint {
                    Screen::Sell
                } else {
                    Screen::Reprint
                };
                self.reprint = ReprintScreen::default();
                self.ticket_previews.clear();
            }
            Action::ShowBackOffice(screen) => self.toggle_screen(Screen::BackOffice(screen)),
            Action::BackOffice(action) => match action {
                BackOfficeAction::Request(request) => self.device_request(request),
                BackOfficeAction::OpenPrinters => self.apply(Action::TogglePrinters),
                BackOfficeAction::OpenMailSettings => {
                    self.apply(Action::Mail(MailAction::OpenSettings))
                }
                BackOfficeAction::OpenOperations => self.screen = Screen::Operations,
            },
            Action::TogglePrinters => {
                self.screen = if self.screen == Screen::Printers {
                    Screen::Sell
                } else {
                    Screen::Printers
                };
                self.printers = PrintersScreen::default();
            }
            Action::Print(action) => self.apply_print(action),
            Action::PayBank => {
                if self.bank_payment.is_none()
                    && !self.busy
                    && let Some((session, request)) = self.sale_request(Money::ZERO)
                {
                    self.message = None;
                    self.bank_payment = Some(BankPaymentState::default());
                    self.worker.send(Command::Sell {
                        session,
                        request,
                        pay: Pay::Bank {
                            open_browser: self.open_bank_page,
                        },
                    });
                }
            }
            Action::CancelBank => {
                if let Some(state) = &mut self.bank_payment {
                    state.cancelling = true;
                    self.worker.send(Command::CancelBankPayment);
                }
            }
            Action::Reserve => {
                let today = crate::app::bank::bank_today();
                let due = if self.reserve_due.trim().is_empty() {
                    Some(today + chrono::Duration::days(3))
                } else {
                    match crate::i18n::parse_local_date(&self.reserve_due, today) {
                        Some(date) => Some(date),
                        None => {
                            self.message = Some(crate::app::error_text(
                                self.lang,
                                &crate::app::AppError::Admin(AdminError::BadDate(
                                    self.reserve_due.clone(),
                                )),
                            ));
                            return;
                        }
                    }
                };
                if let Some((session, sale)) = self.sale_request(Money::ZERO) {
                    self.message = None;
                    self.reservations.announce_newest = true;
                    self.worker.send(Command::Reserve {
                        session,
                        request: crate::app::bank::ReservationRequest {
                            sale,
                            customer_phone: Some(self.customer_phone.clone()),
                            due_date: due,
                        },
                    });
                    self.reset_sale_fields();
                }
            }
            Action::ToggleReservations => {
                self.toggle_screen(Screen::Reservations);
                self.reservations.list = None;
            }
            Action::ToggleOperations => {
                self.screen = if self.screen == Screen::Operations {
                    if self.session.is_some() {
                        Screen::Sell
                    } else {
                        Screen::Login
                    }
                } else {
                    Screen::Operations
                };
                self.operations.statuses = None;
                self.operations.report = None;
                if !self.operations.settings_loaded {
                    self.worker.send(Command::LoadBankSettings);
                }
            }
            Action::Reservation(action) => {
                let Some(session) = self.session.clone() else {
                    return;
                };
                self.message = None;
                self.worker.send(match action {
                    ReservationAction::Load => Command::LoadReservations,
                    ReservationAction::Check(reference) => {
                        Command::CheckReservation { session, reference }
                    }
                    ReservationAction::CheckAll => Command::CheckAllReservations { session },
                    ReservationAction::Release(reference) => {
                        Command::ReleaseReservation { session, reference }
                    }
                });
            }
            Action::Operations(action) => match action {
                OperationsAction::Refresh => self.worker.send(Command::LoadStatus),
                OperationsAction::CopyReport => self.worker.send(Command::SupportReport),
                OperationsAction::SaveSettings(settings) => {
                    if let Some(session) = self.session.clone() {
                        self.worker
                            .send(Command::SaveBankSettings { session, settings });
                    }
                }
                OperationsAction::AddKey(valid_from, secret) => {
                    if let Some(session) = self.session.clone() {
                        self.worker.send(Command::AddBankKey {
                            session,
                            valid_from,
                            secret,
                        });
                    }
                }
            },
            Action::NewSale => {
                self.ticket_previews.clear();
                self.last_sale = None;
                self.message = None;
                self.screen = Screen::Sell;
            }
        }
    }

    fn apply_print(&mut self, action: PrintAction) {
        let lang = self.lang;
        if let PrintAction::Search(query) = action {
            self.worker.send(Command::ReprintSearch { query, lang });
            return;
        }
        if let PrintAction::LoadPrinters = action {
            self.worker.send(Command::LoadPrinters { lang });
            return;
        }
        if let PrintAction::Ticket(code, PrintMode::Reissue) = &action {
            self.confirm = Some(Confirm::Reissue(code.clone()));
            return;
        }
        let Some(session) = self.session.clone() else {
            return;
        };
        self.busy = true;
        self.message = None;
        self.notice = None;
        self.worker.send(match action {
            PrintAction::Retry(order_number) => Command::RetryPrint {
                session,
                order_number,
            },
            PrintAction::Ticket(code, mode) => Command::PrintTicket {
                session,
                code,
                mode,
            },
            PrintAction::SavePrinter {
                name,
                transport,
                language,
                make_default,
            } => Command::SavePrinter {
                session,
                name,
                transport,
                language,
                make_default,
            },
            PrintAction::PrintTest(printer) => Command::PrintTest { session, printer },
            PrintAction::Status(printer) => Command::PrinterStatus { printer, lang },
            PrintAction::Search(_) | PrintAction::LoadPrinters => return,
        });
    }

    /// Asks for the red count (after login, after the sender wrote something, and now and then).
    fn poll_mail_status(&mut self) {
        if let Some(session) = self.session.clone() {
            self.mail.last_poll = Some(std::time::Instant::now());
            self.worker.send(Command::MailStatus { session });
        }
    }

    fn apply_mail(&mut self, action: MailAction) {
        let Some(session) = self.session.clone() else {
            return;
        };
        match action {
            MailAction::OpenFailures => self.worker.send(Command::OpenMailFailures { session }),
            MailAction::CloseFailures => self.mail.open = false,
            MailAction::Readdress { mail_id, address } => {
                self.mail.corrections.remove(&mail_id);
                self.worker.send(Command::ReaddressMail {
                    session,
                    mail_id,
                    address,
                });
            }
            MailAction::RemailPerformance(performance_id) => {
                if self.mail.remail.is_none() {
                    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                    self.mail.remail = Some((0, 0, cancel.clone()));
                    self.worker.send(Command::RemailPerformance {
                        session,
                        performance_id,
                        cancel,
                    });
                }
            }
            MailAction::OpenSettings => {
                self.mail.settings.open = true;
                self.worker.send(Command::LoadMailServers);
            }
            MailAction::CloseSettings => self.mail.settings.open = false,
            MailAction::CopyServer { from, name } => self.worker.send(Command::CopyMailServer {
                session,
                from,
                name,
            }),
            MailAction::MakeDefault(name) => self
                .worker
                .send(Command::MakeMailServerDefault { session, name }),
            MailAction::TestMail { server, to } => self.worker.send(Command::TestMail {
                session,
                server,
                to,
            }),
            MailAction::AddServer(request) => self.worker.send(Command::AddMailServer {
                session,
                request: *request,
            }),
            MailAction::SendSms {
                order_number,
                phone,
            } => {
                self.mail.sms_result = None;
                self.worker.send(Command::SendSms {
                    session,
                    order_number,
                    phone,
                });
            }
            MailAction::CancelRemail => {
                if let Some((_, _, cancel)) = &self.mail.remail {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }
    }

    fn apply_manager(&mut self, action: ManagerAction) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let lang = self.lang;
        match action {
            ManagerAction::Search(query) => self.worker.send(Command::SearchOrders { query, lang }),
            ManagerAction::LoadOrder(order_number) => {
                self.refund_panel.result = None;
                self.worker.send(Command::LoadOrder { order_number, lang });
            }
            ManagerAction::MailReceipt { order_number, to } => {
                self.device_request(crate::app::devices::DeviceRequest::MailReceipt {
                    order_number,
                    to,
                })
            }
            ManagerAction::Remail(order_number) => self.worker.send(Command::QueueMail {
                session,
                order_number,
                to: None,
                remail: true,
            }),
            ManagerAction::Refund {
                order_number,
                request,
                reason,
                manager,
            } => {
                self.message = None;
                self.worker.send(Command::Refund {
                    session,
                    manager,
                    order_number,
                    request,
                    reason,
                });
            }
            ManagerAction::OpenShift(float) => {
                self.message = None;
                self.worker.send(Command::OpenShift { session, float })
            }
            ManagerAction::MoveCash(movement, amount, reason, manager) => {
                self.worker.send(Command::MoveCash {
                    session,
                    manager,
                    movement,
                    amount,
                    reason,
                })
            }
            ManagerAction::PrintReport(report) => {
                self.worker.send(Command::PrintReport { report, lang })
            }
            ManagerAction::CloseShift(count, comment, manager) => {
                self.confirm = Some(Confirm::CloseShift(count, comment, manager));
            }
        }
    }

    fn keyboard(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let pressed = |key: Key| ctx.input(|i| i.key_pressed(key));
        let ctrl = |key: Key| ctx.input(|i| i.modifiers.command && i.key_pressed(key));
        // Keys that would otherwise edit text act only when no text field has the keyboard.
        let typing = ctx.egui_wants_keyboard_input();
        if self.locked {
            if pressed(Key::Enter) {
                actions.push(Action::Unlock);
            }
            return;
        }
        if self.confirm.is_some() {
            if pressed(Key::Enter) {
                actions.push(Action::Confirm(true));
            } else if pressed(Key::Escape) {
                actions.push(Action::Confirm(false));
            }
            return;
        }
        if self.session.is_some() && ctrl(Key::L) {
            actions.push(Action::Lock);
            return;
        }
        if ctrl(Key::I) {
            actions.push(Action::ToggleOperations);
        }
        if self.bank_payment.is_some() {
            if pressed(Key::Escape) {
                actions.push(Action::CancelBank);
            }
            return;
        }
        if self.session.is_some() && ctrl(Key::R) {
            actions.push(Action::ToggleReservations);
        }
        if self.session.is_some() && ctrl(Key::P) {
            actions.push(Action::ToggleReprint);
        }
        if self.session.is_some() && pressed(Key::F11) {
            actions.push(Action::ToggleRefunds);
        }
        if self.session.is_some() && pressed(Key::F12) {
            actions.push(Action::OpenShiftWindow);
        }
        match self.screen {
            Screen::Login if pressed(Key::Enter) => actions.push(Action::Login),
            Screen::Sell if self.card_dialog.is_some() && pressed(Key::Escape) => {
                actions.push(Action::CancelCard);
            }
            Screen::Sell if self.card_dialog.is_some() => {}
            Screen::Sell if self.cash_tendered.is_some() => {
                if pressed(Key::Enter) {
                    actions.push(Action::CompleteCash);
                }
                if pressed(Key::Escape) {
                    actions.push(Action::CloseCash);
                }
                if pressed(Key::F1) {
                    actions.push(Action::SetTendered(self.cash_due()));
                }
                for (key, euros) in [Key::F2, Key::F3, Key::F4, Key::F5]
                    .into_iter()
                    .zip(QUICK_TENDER_EUROS)
                {
                    if pressed(key) {
                        actions.push(Action::SetTendered(Money::from_euros(euros)));
                    }
                }
            }
            Screen::Sell => {
                for (index, key) in CATEGORY_KEYS.iter().enumerate() {
                    if pressed(*key) {
                        actions.push(Action::AddTicket(index));
                    }
                }
                if pressed(Key::F10) {
                    actions.push(Action::OpenCash);
                }
                if ctrl(Key::B) {
                    actions.push(Action::PayBank);
                }
                if ctrl(Key::A) && self.seat_map.view.is_some() {
                    actions.push(Action::SeatMap(SeatMapAction::Best {
                        wheelchair: self.seat_map.wheelchair,
                    }));
                }
                if ctrl(Key::K) {
                    actions.push(Action::PayCard);
                }
                if ctrl(Key::E) {
                    actions.push(Action::Reserve);
                }
                let filter_focused = ctx.memory(|m| m.has_focus(performance_filter_id()));
                if !typing || filter_focused {
                    if pressed(Key::ArrowDown) {
                        actions.push(Action::StepPerformance(1));
                    }
                    if pressed(Key::ArrowUp) {
                        actions.push(Action::StepPerformance(-1));
                    }
                }
                if !typing && pressed(Key::Delete) {
                    actions.push(Action::VoidLastLine);
                }
                if pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
            Screen::Receipt if pressed(Key::Enter) || pressed(Key::Escape) => {
                actions.push(Action::NewSale)
            }
            _ => {
                if pressed(Key::Escape) {
                    actions.push(Action::Back);
                }
            }
        }
    }

    /// The top bar: the title and who is logged in on the left; on the right what a cashier
    /// presses every hour, and everything else in the "More" menu so the bar never overflows.
    fn top_bar_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(tr(lang, Text::AppTitle))
                    .size(theme::TITLE_SIZE)
                    .strong(),
            );
            if let Some(session) = &self.session {
                ui.add(
                    egui::Label::new(format!(
                        "{} ({})",
                        session.name,
                        crate::i18n::role_name(lang, session.role)
                    ))
                    .truncate(),
                );
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(session) = &self.session {
                    let may = |p| session.role.may(p);
                    ui.menu_button(tr(lang, Text::More), |ui| {
                        use crate::domain::Permission;
                        let item = |ui: &mut egui::Ui, selected: bool, text: String| {
                            let clicked = ui.selectable_label(selected, text).clicked();
                            if clicked {
                                ui.close();
                            }
                            clicked
                        };
                        if item(
                            ui,
                            self.screen == Screen::Reservations,
                            format!("{} (Ctrl+R)", tr(lang, Text::Reservations)),
                        ) {
                            actions.push(Action::ToggleReservations);
                        }
                        if may(Permission::Reprint)
                            && item(
                                ui,
                                self.screen == Screen::Reprint,
                                format!("{} (Ctrl+P)", tr(lang, Text::Reprint)),
                            )
                        {
                            actions.push(Action::ToggleReprint);
                        }
                        if may(Permission::CloseShift)
                            && item(
                                ui,
                                self.screen == Screen::Reports,
                                tr(lang, Text::Reports).to_string(),
                            )
                        {
                            actions.push(Action::ToggleReports);
                        }
                        if may(Permission::CloseShift)
                            && item(ui, false, tr(lang, Text::CardResolve).to_string())
                        {
                            actions.push(Action::OpenPendingCard);
                        }
                        if may(Permission::ManageUsers)
                            && item(
                                ui,
                                self.screen == Screen::Users,
                                tr(lang, Text::Users).to_string(),
                            )
                        {
                            actions.push(Action::ToggleUsers);
                        }
                        if may(Permission::Settings)
                            && item(
                                ui,
                                self.screen == Screen::Printers,
                                tr(lang, Text::Printers).to_string(),
                            )
                        {
                            actions.push(Action::TogglePrinters);
                        }
                        if may(Permission::Settings)
                            && item(ui, false, tr(lang, Text::MailSettings).to_string())
                        {
                            actions.push(Action::Mail(MailAction::OpenSettings));
                        }
                        for (permission, screen, text) in [
                            (
                                Permission::CloseShift,
                                BackOfficeScreen::Devices,
                                ["Laitteet", "Enheter", "Devices"],
                            ),
                            (
                                Permission::HoldSeats,
                                BackOfficeScreen::SeatPlans,
                                ["Paikkakartat", "Platskartor", "Seat plans"],
                            ),
                            (
                                Permission::Settings,
                                BackOfficeScreen::ReceiptSettings,
                                ["Kuittiasetukset", "Kvittoinställningar", "Receipt settings"],
                            ),
                        ] {
                            if may(permission)
                                && item(
                                    ui,
                                    self.screen == Screen::BackOffice(screen),
                                    devices::t(lang, text).to_string(),
                                )
                            {
                                actions.push(Action::ShowBackOffice(screen));
                            }
                        }
                    });
                    if ui.button(tr(lang, Text::LogOut)).clicked() {
                        actions.push(Action::Logout);
                    }
                    if ui.button(tr(lang, Text::Lock)).clicked() {
                        actions.push(Action::Lock);
                    }
                    if ui
                        .selectable_label(self.shift_window.open, tr(lang, Text::Shift))
                        .clicked()
                    {
                        actions.push(Action::OpenShiftWindow);
                    }
                    if ui
                        .selectable_label(self.refund_panel.open, tr(lang, Text::Refunds))
                        .clicked()
                    {
                        actions.push(Action::ToggleRefunds);
                    }
                }
                let failing = self
                    .operations
                    .statuses
                    .as_ref()
                    .is_some_and(|all| all.iter().any(|s| !s.ok));
                let status = RichText::new(format!("● {}", tr(lang, Text::Operations)))
                    .color(if failing { theme::BAD } else { theme::GOOD });
                if ui
                    .selectable_label(self.screen == Screen::Operations, status)
                    .on_hover_text("Ctrl+I")
                    .clicked()
                {
                    actions.push(Action::ToggleOperations);
                }
                if self.session.is_some() {
                    let mut mail_actions = Vec::new();
                    self.mail.failure_count_ui(ui, lang, &mut mail_actions);
                    actions.extend(mail_actions.into_iter().map(Action::Mail));
                }
                if self.busy {
                    ui.spinner();
                }
            });
        });
    }

    fn login_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        const FORM_WIDTH: f32 = 420.0;
        let lang = self.lang;
        let margin = ((ui.available_width() - FORM_WIDTH) / 2.0).max(0.0);
        ui.add_space(60.0);
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| {
                ui.set_width(FORM_WIDTH);
                ui.heading(tr(lang, Text::AppTitle));
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    for choice in Lang::ALL {
                        if ui
                            .selectable_label(choice == lang, choice.native_name())
                            .clicked()
                        {
                            actions.push(Action::SetLang(choice));
                        }
                    }
                });
                ui.add_space(12.0);
                egui::Grid::new("login")
                    .num_columns(2)
                    .spacing([12.0, 10.0])
                    .show(ui, |ui| {
                        let label = ui.label(tr(lang, Text::User));
                        let name = ui
                            .add(
                                egui::TextEdit::singleline(&mut self.login_name)
                                    .desired_width(240.0),
                            )
                            .labelled_by(label.id);
                        if self.login_name.is_empty() && !name.has_focus() {
                            name.request_focus();
                        }
                        ui.end_row();
                        let label = ui.label(tr(lang, Text::Pin));
                        ui.add(
                            egui::TextEdit::singleline(&mut self.login_pin)
                                .password(true)
                                .desired_width(240.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.add_space(8.0);
                let login =
                    egui::Button::new(tr(lang, Text::LogIn)).min_size(egui::vec2(120.0, 40.0));
                if ui.add_enabled(!self.busy, login).clicked() {
                    actions.push(Action::Login);
                }
                if let Some(message) = &self.message {
                    ui.colored_label(Color32::from_rgb(220, 80, 60), message);
                }
                if !self.demo_logins.is_empty() {
                    ui.add_space(24.0);
                    ui.label(RichText::new(tr(lang, Text::DemoUsers)).weak());
                    ui.horizontal(|ui| {
                        for (name, pin) in &self.demo_logins {
                            if ui.button(format!("{name} / {pin}")).clicked() {
                                actions.push(Action::FillLogin(name.clone(), pin.clone()));
                            }
                        }
                    });
                }
            });
        });
    }

    fn performances_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.lang;
        ui.heading(tr(lang, Text::Performances));
        // Letters typed while no field has the keyboard filter the list (type-to-filter).
        let dialogs = self.cash_tendered.is_some()
            || self.card_dialog.is_some()
            || self.confirm.is_some()
            || self.shift_window.open;
        if !dialogs && !ui.ctx().egui_wants_keyboard_input() {
            let typed: String = ui.input(|i| {
                i.events
                    .iter()
                    .filter_map(|e| match e {
                        egui::Event::Text(text) => Some(text.as_str()),
                        _ => None,
                    })
                    .collect()
            });
            // The field takes the keyboard now and the typed text with it.
            if !typed.is_empty() {
                ui.memory_mut(|m| m.request_focus(performance_filter_id()));
            }
        }
        let label = ui.label(RichText::new(tr(lang, Text::FindPerformance)).small());
        ui.add(
            egui::TextEdit::singleline(&mut self.performance_filter)
                .id(performance_filter_id())
                .hint_text("↑ ↓")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        egui::ScrollArea::vertical().show(ui, |ui| {
            for performance in self.filtered_performances() {
                let left = if performance.remaining > 0 {
                    format!("{} {}", performance.remaining, tr(lang, Text::Remaining))
                } else {
                    tr(lang, Text::SoldOut).to_string()
                };
                let text = format!(
                    "{}\n{}\n{left}",
                    performance.event,
                    date_time_text(&performance.starts_at, lang)
                );
                let selected = Some(performance.id) == self.selected_performance;
                if ui.selectable_label(selected, text).clicked() {
                    actions.push(Action::SelectPerformance(performance.id));
                }
                ui.separator();
            }
        });
    }

    fn sell_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let Some(performance) = self.performance() else {
            ui.label(tr(lang, Text::ChoosePerformance));
            return;
        };
        let performance_id = performance.id;
        ui.heading(&performance.event);
        ui.label(format!(
            "{} – {}",
            performance.venue,
            date_time_text(&performance.starts_at, lang)
        ));
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            for (index, category) in performance
                .categories
                .iter()
                .enumerate()
                .take(CATEGORY_KEYS.len())
            {
                let text = format!(
                    "F{}  {}\n{}",
                    index + 1,
                    lang.pick(&category.names),
                    Money::from_cents(category.price_cents)
                );
                let button = egui::Button::new(RichText::new(text).size(18.0))
                    .min_size(theme::CATEGORY_BUTTON);
                if ui.add_enabled(performance.remaining > 0, button).clicked() {
                    actions.push(Action::AddTicket(index));
                }
            }
        });
        ui.add_space(12.0);
        ui.heading(tr(lang, Text::Cart));
        if self.cart.is_empty() {
            ui.label(RichText::new(tr(lang, Text::EmptyCart)).weak());
        }
        let priced = self.priced_cart();
        let totals = priced.totals();
        egui::Grid::new("cart")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                for line in priced.lines() {
                    let name = performance
                        .categories
                        .iter()
                        .find(|c| c.id == line.category.category_id)
                        .map_or(line.category.code.as_str(), |c| lang.pick(&c.names));
                    ui.label(name);
                    if ui.small_button("−").clicked() {
                        actions.push(Action::RemoveTicket(line.category.category_id));
                    }
                    ui.label(line.quantity.to_string());
                    if ui.small_button("+").clicked()
                        && let Some(index) = performance
                            .categories
                            .iter()
                            .position(|c| c.id == line.category.category_id)
                    {
                        actions.push(Action::AddTicket(index));
                    }
                    ui.label(line.gross().to_string());
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        for summary in &totals.per_rate {
            ui.label(format!(
                "{} {}: {} ({} {})",
                tr(lang, Text::Vat),
                summary.rate.percent_text(),
                summary.vat,
                tr(lang, Text::Net),
                summary.net
            ));
        }
        ui.label(
            RichText::new(format!("{}: {}", tr(lang, Text::Total), totals.gross))
                .size(theme::TOTAL_SIZE)
                .strong(),
        );
        ui.add_space(8.0);
        egui::Grid::new("customer").num_columns(2).show(ui, |ui| {
            let label = ui.label(tr(lang, Text::CustomerName));
            ui.add(egui::TextEdit::singleline(&mut self.customer_name).desired_width(260.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr(lang, Text::CustomerEmail));
            ui.add(egui::TextEdit::singleline(&mut self.customer_email).desired_width(260.0))
                .labelled_by(label.id);
            ui.end_row();
        });
        ui.checkbox(&mut self.mail.mail_tickets, tr(lang, Text::MailTickets));
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.role.may(crate::domain::Permission::Remail))
        {
            let mut mail_actions = Vec::new();
            self.mail
                .remail_ui(ui, lang, performance_id, &mut mail_actions);
            actions.extend(mail_actions.into_iter().map(Action::Mail));
        }
        ui.add_space(8.0);
        let pay = egui::Button::new(RichText::new(tr(lang, Text::PayCash)).size(20.0))
            .min_size(theme::PAY_BUTTON);
        let can_pay = !self.cart.is_empty() && !self.busy && self.bank_payment.is_none();
        // The pay buttons wrap rather than run under a side panel.
        ui.horizontal_wrapped(|ui| {
            if ui.add_enabled(can_pay, pay).clicked() {
                actions.push(Action::OpenCash);
            }
            let card = egui::Button::new(RichText::new(tr(lang, Text::PayByCard)).size(20.0))
                .min_size(theme::PAY_BUTTON);
            if ui
                .add_enabled(can_pay && self.card_dialog.is_none(), card)
                .clicked()
            {
                actions.push(Action::PayCard);
            }
            let bank = egui::Button::new(RichText::new(tr(lang, Text::PayBank)).size(20.0))
                .min_size(theme::PAY_BUTTON);
            if ui.add_enabled(can_pay, bank).clicked() {
                actions.push(Action::PayBank);
            }
        });
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr(lang, Text::Phone));
            ui.add(egui::TextEdit::singleline(&mut self.customer_phone).desired_width(160.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::DueDate));
            ui.add(
                egui::TextEdit::singleline(&mut self.reserve_due)
                    .hint_text(tr(lang, Text::DateHint))
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(can_pay, egui::Button::new(tr(lang, Text::Reserve)))
                .clicked()
            {
                actions.push(Action::Reserve);
            }
        });
    }

    /// The question on screen (Enter = yes, Esc = no); the answer when a button was pressed.
    fn confirm_ui(&self, ctx: &egui::Context) -> Option<bool> {
        let question = self.confirm.as_ref()?;
        let lang = self.lang;
        let text = match question {
            Confirm::ClearCart => Text::ConfirmClearCart,
            Confirm::ChangePerformance(_) => Text::ConfirmChangePerformance,
            Confirm::CloseShift(..) => Text::ConfirmCloseShift,
            Confirm::Reissue(_) => Text::ConfirmReissue,
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.add(egui::Label::new(RichText::new(tr(lang, text)).size(20.0)).wrap());
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(tr(lang, Text::Yes)).clicked() {
                    answer = Some(true);
                }
                if ui.button(tr(lang, Text::No)).clicked() {
                    answer = Some(false);
                }
            });
        });
        answer
    }

    fn bank_dialog_ui(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let Some(state) = &self.bank_payment else {
            return;
        };
        egui::Window::new(tr(lang, Text::PayBank))
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        tr(lang, Text::Total),
                        self.priced_cart().totals().gross
                    ))
                    .size(24.0),
                );
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr(lang, Text::WaitingForBank));
                });
                if let Some(reference) = &state.reference {
                    let grouped = crate::payments::reference::ReferenceNumber::parse(reference)
                        .map(|r| r.grouped())
                        .unwrap_or_else(|_| reference.clone());
                    ui.label(format!("{}: {grouped}", tr(lang, Text::Reference)));
                }
                if let Some(url) = &state.url {
                    ui.label(format!("{}:", tr(lang, Text::BankPageAt)));
                    ui.monospace(url);
                }
                if let Some(why) = &state.rejected {
                    ui.colored_label(
                        Color32::from_rgb(200, 60, 40),
                        format!("{}: {why}", tr(lang, Text::ReplyRefused)),
                    );
                }
                if ui
                    .add_enabled(!state.cancelling, egui::Button::new(tr(lang, Text::Cancel)))
                    .clicked()
                {
                    actions.push(Action::CancelBank);
                }
            });
    }

    fn cash_dialog_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let total = self.priced_cart().totals().gross;
        let due = self.cash_due();
        let currency = self.back_office.currency;
        let tendered = self.tendered();
        let busy = self.busy;
        let not_number = self.cash_not_number;
        let Some(tendered_text) = self.cash_tendered.as_mut() else {
            return;
        };
        egui::Window::new(tr(lang, Text::PayCash))
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        tr(lang, Text::Total),
                        currency.format(total)
                    ))
                    .size(24.0),
                );
                if due != total {
                    // The cash rounding is said before the money is counted.
                    ui.label(
                        RichText::new(format!(
                            "{}: {} ({} {})",
                            devices::t(lang, ["Käteisellä", "Kontant", "In cash"]),
                            currency.format(due),
                            devices::t(lang, ["pyöristys", "avrundning", "rounding"]),
                            currency.format(due - total)
                        ))
                        .size(24.0)
                        .strong(),
                    );
                }
                ui.horizontal(|ui| {
                    let label = ui.label(tr(lang, Text::Tendered));
                    let field = ui
                        .add(egui::TextEdit::singleline(tendered_text).desired_width(120.0))
                        .labelled_by(label.id);
                    // The field keeps the keyboard: after Enter on a short or wrong amount
                    // the cashier types on, and Tab never lands behind the dialog.
                    let layer = ui.layer_id();
                    let elsewhere = ui.ctx().memory(|m| m.focused()).is_some_and(|id| {
                        ui.ctx()
                            .read_response(id)
                            .is_some_and(|r| r.layer_id != layer)
                    });
                    if !field.has_focus()
                        && (tendered_text.is_empty() || field.lost_focus() || elsewhere)
                    {
                        field.request_focus();
                    }
                });
                if not_number && Money::parse(tendered_text).is_err() {
                    ui.colored_label(theme::BAD, tr(lang, Text::AmountNotNumber));
                }
                ui.horizontal_wrapped(|ui| {
                    if ui.button(tr(lang, Text::ExactCash)).clicked() {
                        actions.push(Action::SetTendered(due));
                    }
                    for (euros, key) in QUICK_TENDER_EUROS.into_iter().zip(2..) {
                        let amount = match currency {
                            crate::domain::Currency::Eur => format!("{euros} €"),
                            crate::domain::Currency::Sek => format!("{euros} kr"),
                        };
                        if ui.button(format!("{amount} (F{key})")).clicked() {
                            actions.push(Action::SetTendered(Money::from_euros(euros)));
                        }
                    }
                });
                match tendered.map(|t| cash_change(due, t)) {
                    Some(Ok(change)) => {
                        ui.label(
                            RichText::new(format!(
                                "{}: {}",
                                tr(lang, Text::ChangeDue),
                                currency.format(change)
                            ))
                            .size(24.0)
                            .strong(),
                        );
                    }
                    Some(Err(missing)) => {
                        ui.colored_label(
                            Color32::from_rgb(200, 60, 40),
                            format!("{}: {}", tr(lang, Text::Missing), currency.format(missing)),
                        );
                    }
                    None => {}
                }
                ui.horizontal(|ui| {
                    let can_complete =
                        !busy && matches!(tendered.map(|t| cash_change(due, t)), Some(Ok(_)));
                    if ui
                        .add_enabled(
                            can_complete,
                            egui::Button::new(tr(lang, Text::CompleteSale)),
                        )
                        .clicked()
                    {
                        actions.push(Action::CompleteCash);
                    }
                    if let Some(cash) = tendered.filter(|t| *t > Money::ZERO && *t < total)
                        && ui
                            .add_enabled(!busy, egui::Button::new(tr(lang, Text::RestByCard)))
                            .clicked()
                    {
                        actions.push(Action::PayCardRest(cash));
                    }
                    if ui.button(tr(lang, Text::Cancel)).clicked() {
                        actions.push(Action::CloseCash);
                    }
                    if busy {
                        ui.spinner();
                        ui.label(tr(lang, Text::Working));
                    }
                });
            });
    }

    fn receipt_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.lang;
        let Some(sale) = &self.last_sale else {
            return;
        };
        let receipt = &sale.receipt;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(format!(
                "{} {}",
                tr(lang, Text::Receipt),
                receipt
                    .receipt_number
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ));
            ui.label(format!(
                "{}: {}",
                tr(lang, Text::OrderNumber),
                receipt.order_number
            ));
            ui.label(format!(
                "{}: {}",
                tr(lang, Text::ReceiptNumber),
                receipt.receipt_number.unwrap_or_default()
            ));
            ui.label(format!("{} – {}", receipt.event_name, receipt.starts_at));
            egui::Grid::new("receipt").num_columns(4).show(ui, |ui| {
                for line in &receipt.lines {
                    ui.label(format!("{} ×", line.quantity));
                    ui.label(&line.name);
                    ui.label(line.unit_price.to_string());
                    ui.label(line.gross.to_string());
                    ui.end_row();
                }
            });
            for summary in &receipt.vat {
                ui.label(format!(
                    "{} {}: {} {}, {} {}, {}",
                    tr(lang, Text::Vat),
                    summary.rate.percent_text(),
                    tr(lang, Text::Net),
                    summary.net,
                    tr(lang, Text::Vat),
                    summary.vat,
                    summary.gross
                ));
            }
            ui.label(
                RichText::new(format!("{}: {}", tr(lang, Text::Total), receipt.total)).strong(),
            );
            if let Some(tendered) = receipt.tendered {
                ui.label(format!("{}: {tendered}", tr(lang, Text::Tendered)));
            }
            if let Some(change) = receipt.change {
                ui.label(
                    RichText::new(format!("{}: {change}", tr(lang, Text::ChangeDue)))
                        .size(28.0)
                        .strong(),
                );
            }
            // Paid neither in cash nor by card: the bank's payment line.
            if receipt.card.is_empty() && receipt.tendered.is_none() {
                ui.label(format!(
                    "{}: {} {}",
                    tr(lang, Text::PaidBy),
                    crate::i18n::tender_name(lang, "bank"),
                    receipt.total
                ));
            }
            for card in &receipt.card {
                ui.label(format!(
                    "{} {} {}: {}",
                    tr(lang, Text::Card),
                    card.brand,
                    card.masked_pan,
                    card.amount
                ));
                ui.label(RichText::new(&card.customer_receipt).monospace().weak());
            }
            match &sale.printed {
                // The spooler takes the job; whether paper came out it cannot know.
                Ok(place) if place.starts_with("queue:") => {
                    ui.label(
                        RichText::new(format!("{}: {place}", tr(lang, Text::SentToQueue))).weak(),
                    );
                }
                // Where the printer lives (a device or file path) is for the printer screen.
                Ok(_) => {
                    ui.label(RichText::new(tr(lang, Text::TicketsPrinted)).weak());
                }
                Err(error) => {
                    // The sale is recorded; the tickets wait for a printer.
                    egui::Frame::new()
                        .fill(Color32::from_rgb(255, 235, 200))
                        .inner_margin(8.0)
                        .show(ui, |ui| {
                            ui.colored_label(
                                Color32::from_rgb(160, 40, 20),
                                RichText::new(tr(lang, Text::NotPrintedBanner)).strong(),
                            );
                            ui.label(format!("{}: {error}", tr(lang, Text::PrintFailed)));
                            if ui.button(tr(lang, Text::RetryPrint)).clicked() {
                                actions
                                    .push(Action::Print(PrintAction::Retry(receipt.order_number)));
                            }
                        });
                }
            }
            if ui
                .button(RichText::new(tr(lang, Text::NewSale)).size(20.0))
                .clicked()
            {
                actions.push(Action::NewSale);
            }
            ui.add_space(8.0);
            ui.heading(tr(lang, Text::Tickets));
            if self.ticket_previews.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for label in &sale.labels {
                        ticket_preview_ui(ui, label, 0.45);
                    }
                });
            } else {
                printing::previews_ui(ui, &self.ticket_previews, 0.45);
            }
        });
    }
}

impl eframe::App for BoxOfficeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Some(event) = self.worker.try_recv() {
            self.handle_event(event);
        }
        if self.session.is_some() {
            let poll = std::time::Duration::from_secs(mail::MAIL_STATUS_POLL_SECS);
            if self.mail.last_poll.is_none_or(|at| at.elapsed() >= poll) {
                self.poll_mail_status();
            }
            ctx.request_repaint_after(poll);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // Events are also drained here so a frame never shows stale state.
        while let Some(event) = self.worker.try_recv() {
            self.handle_event(event);
        }
        let ctx = ui.ctx().clone();
        if let Some(pictures) = self.pending_previews.take() {
            self.ticket_previews = pictures
                .iter()
                .enumerate()
                .map(|(i, picture)| {
                    printing::preview_texture(&ctx, &format!("ticket-{i}"), picture)
                })
                .collect();
        }
        let mut actions = Vec::new();
        let screen_before = self.screen;
        self.keyboard(&ctx, &mut actions);
        egui::Panel::top("top").show(ui, |ui| {
            // While locked the bar is drawn but does nothing.
            let mut bar_actions = Vec::new();
            ui.add_enabled_ui(!self.locked, |ui| self.top_bar_ui(ui, &mut bar_actions));
            if !self.locked {
                actions.extend(bar_actions);
            }
        });
        if let Some(message) = self
            .message
            .as_ref()
            .filter(|_| self.screen != Screen::Login)
        {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(message).color(theme::BAD)).wrap());
            });
        }
        if let Some(notice) = self.notice.as_ref().filter(|_| self.message.is_none()) {
            egui::Panel::bottom("notice").show(ui, |ui| {
                ui.add(egui::Label::new(RichText::new(notice).color(theme::GOOD)).wrap());
            });
        }
        if let Some(session) = &self.session {
            let due = self
                .last_reservation_check
                .is_none_or(|at| at.elapsed() >= RESERVATION_CHECK_EVERY);
            if due {
                self.last_reservation_check = Some(std::time::Instant::now());
                self.worker.send(Command::CheckAllReservations {
                    session: session.clone(),
                });
            }
            ctx.request_repaint_after(RESERVATION_CHECK_EVERY);
        }
        if let Some(report) = self.operations.report.as_ref()
            && self.notice.as_deref() == Some(tr(self.lang, Text::SupportReportCopied))
            && !self.operations.copied
        {
            ctx.copy_text(report.clone());
            self.operations.copied = true;
        }
        // Any input keeps the screen unlocked; a quiet counter locks itself.
        let now = std::time::Instant::now();
        if ctx.input(|i| !i.events.is_empty()) {
            self.last_activity = now;
        }
        if self.session.is_some() && !self.locked {
            let idle = now.duration_since(self.last_activity);
            if idle >= self.lock_after {
                self.locked = true;
                self.cash_tendered = None;
            } else {
                ctx.request_repaint_after(self.lock_after - idle);
            }
        }
        if self.locked {
            let lang = self.lang;
            egui::CentralPanel::default().show(ui, |ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.heading(tr(lang, Text::Locked));
                    if let Some(session) = &self.session {
                        ui.label(&session.name);
                    }
                    let label = ui.label(tr(lang, Text::Pin));
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.unlock_pin)
                                .password(true)
                                .desired_width(160.0),
                        )
                        .labelled_by(label.id);
                    if !field.has_focus() && self.unlock_pin.is_empty() {
                        field.request_focus();
                    }
                    if ui.button(tr(lang, Text::Unlock)).clicked() {
                        actions.push(Action::Unlock);
                    }
                });
            });
            for action in actions {
                self.apply(action);
            }
            return;
        }
        match self.screen {
            Screen::Users => {
                let mut user_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default()
                    .show(ui, |ui| self.users.ui(ui, lang, &mut user_actions));
                actions.extend(user_actions.into_iter().map(Action::User));
            }
            Screen::Reports => {
                let mut report_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default()
                    .show(ui, |ui| self.reports.ui(ui, lang, &mut report_actions));
                actions.extend(report_actions.into_iter().map(Action::Report));
            }
            Screen::Reprint => {
                let mut print_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("reprint")
                        .show(ui, |ui| {
                            self.reprint.ui(ui, lang, &mut print_actions);
                            printing::previews_ui(ui, &self.ticket_previews, 0.45);
                        })
                });
                actions.extend(print_actions.into_iter().map(Action::Print));
            }
            Screen::Printers => {
                let mut print_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("printers")
                        .show(ui, |ui| {
                            self.printers.ui(ui, lang, &mut print_actions);
                            printing::previews_ui(ui, &self.ticket_previews, 0.45);
                        })
                });
                actions.extend(print_actions.into_iter().map(Action::Print));
            }
            Screen::Reservations => {
                let mut reservation_actions = Vec::new();
                let lang = self.lang;
                egui::CentralPanel::default().show(ui, |ui| {
                    self.reservations.ui(ui, lang, &mut reservation_actions)
                });
                actions.extend(reservation_actions.into_iter().map(Action::Reservation));
            }
            Screen::Operations => {
                let mut operations_actions = Vec::new();
                let lang = self.lang;
                let may_change = self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.role.may(crate::domain::Permission::Settings));
                egui::CentralPanel::default().show(ui, |ui| {
                    self.operations
                        .ui(ui, lang, may_change, &mut operations_actions)
                });
                actions.extend(operations_actions.into_iter().map(Action::Operations));
            }
            Screen::BackOffice(screen) => {
                let mut office_actions = Vec::new();
                let lang = self.lang;
                if let Some(session) = self.session.clone() {
                    egui::CentralPanel::default().show(ui, |ui| {
                        self.back_office.ui(
                            screen,
                            ui,
                            lang,
                            &session,
                            &self.catalog,
                            &mut office_actions,
                        )
                    });
                }
                actions.extend(office_actions.into_iter().map(Action::BackOffice));
            }
            Screen::Starting => {
                egui::CentralPanel::default().show(ui, |ui| match &self.start_error {
                    Some(error) => {
                        ui.colored_label(Color32::from_rgb(200, 60, 40), error);
                    }
                    None => {
                        ui.spinner();
                    }
                });
            }
            Screen::Login => {
                egui::CentralPanel::default().show(ui, |ui| self.login_ui(ui, &mut actions));
            }
            Screen::Sell => {
                if self.refund_panel.open {
                    let needs_manager = self
                        .session
                        .as_ref()
                        .is_none_or(|s| !s.role.may(crate::domain::Permission::RefundCash));
                    let mut manager_actions = Vec::new();
                    let lang = self.lang;
                    egui::Panel::right("refunds")
                        .resizable(false)
                        .exact_size(theme::REFUND_PANEL_WIDTH)
                        .show(ui, |ui| {
                            egui::ScrollArea::vertical()
                                .id_salt("refund")
                                .show(ui, |ui| {
                                    self.refund_panel.ui(
                                        ui,
                                        lang,
                                        needs_manager,
                                        &mut manager_actions,
                                    )
                                })
                        });
                    actions.extend(manager_actions.into_iter().map(Action::Manager));
                }
                egui::Panel::left("performances")
                    .resizable(false)
                    .exact_size(theme::PERFORMANCES_WIDTH)
                    .show(ui, |ui| self.performances_ui(ui, &mut actions));
                // One right panel at a time: the refund panel takes the seat map's place.
                if self.seat_map.view.is_some() && !self.refund_panel.open {
                    let lang = self.lang;
                    let tickets = self.cart.totals().n_tickets as usize;
                    let mut map_actions = Vec::new();
                    egui::Panel::right("seatmap")
                        .resizable(true)
                        .default_size(theme::SEAT_MAP_WIDTH)
                        .max_size(ui.available_width() * 0.5)
                        .show(ui, |ui| {
                            self.seat_map
                                .ui(ui, lang, &self.cart_token, tickets, &mut map_actions)
                        });
                    actions.extend(map_actions.into_iter().map(Action::SeatMap));
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("sell")
                        .show(ui, |ui| self.sell_ui(ui, &mut actions))
                });
                self.cash_dialog_ui(&ctx, &mut actions);
                self.bank_dialog_ui(&ctx, &mut actions);
                if let Some(dialog) = &self.card_dialog
                    && dialog.ui(&ctx, self.lang, self.cart.totals().gross)
                {
                    actions.push(Action::CancelCard);
                }
            }
            Screen::Receipt => {
                egui::CentralPanel::default().show(ui, |ui| {
                    self.receipt_ui(ui, &mut actions);
                    if let Some(order_number) =
                        self.last_sale.as_ref().map(|s| s.receipt.order_number)
                    {
                        ui.separator();
                        let mut mail_actions = Vec::new();
                        self.mail
                            .sms_ui(ui, self.lang, order_number, &mut mail_actions);
                        actions.extend(mail_actions.into_iter().map(Action::Mail));
                    }
                });
            }
        }
        if self.pending_card.open
            && let Some((attempt, decision)) = self.pending_card.ui(&ctx, self.lang)
        {
            actions.push(Action::ResolveCard(attempt, decision));
        }
        if self.shift_window.open {
            let mut manager_actions = Vec::new();
            let needs_manager = self
                .session
                .as_ref()
                .is_none_or(|s| !s.role.may(crate::domain::Permission::CloseShift));
            self.shift_window.currency = self.back_office.currency;
            self.shift_window
                .ui(&ctx, self.lang, needs_manager, &mut manager_actions);
            actions.extend(manager_actions.into_iter().map(Action::Manager));
        }
        if self.mail.open || self.mail.settings.open {
            let mut mail_actions = Vec::new();
            self.mail
                .failures_window_ui(&ctx, self.lang, &mut mail_actions);
            self.mail
                .settings_window_ui(&ctx, self.lang, &mut mail_actions);
            actions.extend(mail_actions.into_iter().map(Action::Mail));
        }
        if let Some(answer) = self.confirm_ui(&ctx) {
            actions.push(Action::Confirm(answer));
        }
        for action in actions {
            self.apply(action);
        }
        // A message belongs to the screen it was said on.
        if self.screen != screen_before {
            self.message = None;
            self.notice = None;
        }
        if let Some(probe) = &self.probe
            && (!probe.until_login || self.screen == Screen::Login)
        {
            println!(
                "first frame after {:.1} ms",
                probe.started.elapsed().as_secs_f64() * 1000.0
            );
            self.probe = None;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
