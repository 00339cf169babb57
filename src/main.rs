//! `boxoffice`: no subcommand opens the GUI; subcommands run the same services headless.

mod card_cli;

use std::path::PathBuf;
use std::process::ExitCode;

use boxoffice::app::bank::ReservationRequest;
use boxoffice::app::{AppError, InitOutcome, SaleRequest, Services};
use boxoffice::domain::Money;
use boxoffice::i18n::Lang;
use clap::{Parser, Subcommand};

mod print_cli;

#[derive(Parser)]
#[command(
    name = "boxoffice",
    version,
    about = "Box office: ticket sales at the counter"
)]
struct Cli {
    /// Where the ledger and the print files live (default: the OS data directory).
    #[arg(long, global = true, env = "BOXOFFICE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Set up the register (once); --demo adds demo users and events.
    Init {
        #[arg(long)]
        demo: bool,
    },
    /// Performances on sale with their price categories.
    Catalog {
        #[arg(long)]
        json: bool,
        /// Language of the names: fi, sv or en.
        #[arg(long, default_value = "fi")]
        lang: String,
    },
    /// Sell tickets.
    Sell {
        #[arg(long)]
        user: String,
        #[arg(long)]
        pin: String,
        #[arg(long)]
        performance: i64,
        /// CODE=N[,CODE=N…], e.g. adult=2,child=1
        #[arg(long)]
        tickets: String,
        /// How the customer pays: cash, card, cash:AMOUNT,card or card:AMOUNT,cash, or bank
        /// (Verkkomaksu in the customer's browser at the counter).
        #[arg(long)]
        pay: String,
        /// With --pay card: the card terminal (when more than one is set up).
        #[arg(long)]
        terminal: Option<String>,
        /// With --pay bank: do not open a browser (print the page's address only).
        #[arg(long)]
        no_browser: bool,
        /// With --pay bank: seconds to wait for the customer's browser before asking the bank.
        #[arg(long, default_value_t = 600)]
        wait: u64,
        /// Cash handed over: 50, 50,00 or 50.00
        #[arg(long)]
        tendered: Option<String>,
        /// The customer's name (to find the order later).
        #[arg(long)]
        name: Option<String>,
        /// The customer's e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Seated performance: these seats, SECTION:ROW:SEAT[,…], one per ticket in order.
        #[arg(long, conflicts_with = "best")]
        seats: Option<String>,
        /// Seated performance: best available for N tickets (the default when no seats are given).
        #[arg(long)]
        best: Option<usize>,
        /// With --best: how many of the seats must be wheelchair places.
        #[arg(long, default_value_t = 0, requires = "best")]
        wheelchair: usize,
        /// With --best: take the best split when no block of adjacent seats is left.
        #[arg(long, requires = "best")]
        accept_split: bool,
        #[arg(long)]
        json: bool,
    },
    /// Seat plans: import from CSV, show, export; the free seats of a performance.
    Seatplan {
        #[command(subcommand)]
        command: SeatplanCommand,
    },
    /// Seats of a performance: manager holds and releases, exchanges to another seat.
    Seat {
        #[command(subcommand)]
        command: SeatCommand,
    },
    /// Refund an order (managers): all of it, chosen tickets, or an amount.
    Refund {
        #[arg(long)]
        order: i64,
        /// CODE[,CODE…]: refund these tickets (they are revoked).
        #[arg(long, conflicts_with = "amount")]
        tickets: Option<String>,
        /// Refund this much money; the tickets stay valid.
        #[arg(long)]
        amount: Option<String>,
        /// cancelled, customer_request, duplicate, wrong_price, or any other text.
        #[arg(long)]
        reason: String,
        /// A manager approving a cashier's refund in place.
        #[arg(long, requires = "manager_pin")]
        manager: Option<String>,
        #[arg(long, requires = "manager")]
        manager_pin: Option<String>,
        #[command(flatten)]
        auth: Auth,
        #[arg(long)]
        json: bool,
    },
    /// Hold tickets for a phone or mail order until a due date, against a reference number.
    Reserve {
        #[arg(long)]
        performance: i64,
        /// CODE=N[,CODE=N…]
        #[arg(long)]
        tickets: String,
        /// Last day to pay, YYYY-MM-DD (default: today).
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[command(flatten)]
        auth: Auth,
        #[arg(long)]
        json: bool,
    },
    /// Reservations: list, check payment, release.
    Reservation {
        #[command(subcommand)]
        command: ReservationCommand,
    },
    /// The support report: version, configuration without secrets, integrations, recent log lines.
    Doctor {
        /// How many log lines to include.
        #[arg(long, default_value_t = 300)]
        log_lines: usize,
    },
    /// Orders.
    Order {
        #[command(subcommand)]
        command: OrderCommand,
    },
    /// Walk the journal chain and check the ledger's invariants.
    Verify,
    /// Reports over dates: sales, refunds or z (managers).
    Report {
        /// sales, refunds or z
        kind: String,
        /// First day, YYYY-MM-DD (default: today).
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD (default: the first day).
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
    },
    /// Benchmarks on a ledger: `seed` fills it, `queries` times the look-ups (BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Tickets: `check CODE` says whether a ticket is valid (exit 0) or why not (exit 1).
    Ticket {
        #[command(subcommand)]
        command: TicketCommand,
    },
    /// Danske Bank Verkkomaksu: reproduce the bank's computations (support staff).
    Bank {
        #[command(subcommand)]
        command: BankCommand,
    },
    /// The register's settings.
    Register {
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// Shifts: open with a float, cash in and out, X report, close with a Z report.
    Shift {
        #[command(subcommand)]
        command: ShiftCommand,
    },
    /// Users: add, list, set a PIN, disable (admins; anyone may set their own PIN).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Ticket printers: add (or change), list, status.
    Printer {
        #[command(subcommand)]
        command: print_cli::PrinterCommand,
    },
    /// Print a test ticket, or a ticket again (retry, copy or reissue).
    Print {
        #[command(subcommand)]
        command: print_cli::PrintCommand,
    },
    /// Card terminals: add, list, status, reconcile (day end).
    Terminal {
        #[command(subcommand)]
        command: card_cli::TerminalCommand,
    },
    /// Payments: card attempts still to be resolved.
    Payments {
        #[command(subcommand)]
        command: card_cli::PaymentsCommand,
    },
    /// Ticket mail: SMTP servers, DKIM, test mail, sending and the outbox.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Tickets to a phone as an SMS with links, through an HTTP SMS gateway.
    Sms {
        #[command(subcommand)]
        command: SmsCommand,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// SMTP servers: add, copy, list, default.
    Server {
        #[command(subcommand)]
        command: MailServerCommand,
    },
    /// DKIM keys per sending domain.
    Dkim {
        #[command(subcommand)]
        command: DkimCommand,
    },
    /// Send a test message through a server; on failure the server's reply and what it means.
    Test {
        #[arg(long)]
        server: String,
        #[arg(long)]
        to: String,
        /// Language of the message and the explanation: fi, sv or en.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Queue an order's tickets for mail (to its address or --to) and send now.
    Send {
        #[arg(long)]
        order: i64,
        #[arg(long)]
        to: Option<String>,
    },
    /// The outbox: every message with its state and the server's last reply.
    Outbox {
        /// Only messages that failed.
        #[arg(long)]
        failed: bool,
        #[arg(long)]
        json: bool,
    },
    /// Send what is queued (and every retry) now, then exit: 0 when nothing is left unsent.
    Flush,
    /// Correct the address of a failed message and send it again (old and new are journaled).
    Readdress {
        /// The message's id in the outbox.
        mail: i64,
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum SmsCommand {
    /// Set up the HTTP SMS gateway ({to} and {text} are filled into the URL and the body).
    Gateway {
        /// e.g. https://sms.example.fi/send?to={to}&text={text}
        #[arg(long)]
        url: String,
        /// get or post
        #[arg(long, default_value = "post")]
        method: String,
        /// The POST body, e.g. {"to":"{to}","message":"{text}"}
        #[arg(long)]
        body: Option<String>,
        /// The gateway's user name (HTTP basic).
        #[arg(long)]
        user: Option<String>,
        /// Read the gateway's password from the first line of standard input.
        #[arg(long, requires = "user")]
        password_stdin: bool,
        /// The ticket's link; {code} is the ticket code, e.g. https://liput.example.fi/t/{code}
        #[arg(long)]
        link: String,
    },
    /// Send an order's tickets to a phone.
    Send {
        #[arg(long)]
        order: i64,
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum MailServerCommand {
    /// Add an SMTP server (the password is read from standard input, never from the command line).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: u16,
        /// starttls, tls or none (none only for a local relay)
        #[arg(long)]
        security: String,
        /// The SMTP user name.
        #[arg(long)]
        user: Option<String>,
        /// Read the SMTP password from the first line of standard input.
        #[arg(long, requires = "user")]
        password_stdin: bool,
        /// The sender address.
        #[arg(long)]
        from: String,
        /// The sender's display name.
        #[arg(long, default_value = "Box office")]
        from_name: String,
    },
    /// Make a new server by copying one (settings, templates and password).
    Copy {
        from: String,
        #[arg(long)]
        name: String,
    },
    /// List the servers; the default is marked.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Make NAME the server that sends by default (or, with --for-user, for the events that user created).
    Default {
        name: String,
        #[arg(long)]
        for_user: Option<String>,
    },
}

#[derive(Subcommand)]
enum DkimCommand {
    /// Generate a 2048-bit RSA key for a domain and print the records to publish.
    Generate {
        #[arg(long)]
        domain: String,
        #[arg(long)]
        selector: String,
    },
    /// Print the DKIM TXT record's name and value (and the SPF and DMARC suggestions).
    Show {
        #[arg(long)]
        domain: String,
    },
}

#[derive(Subcommand)]
enum SeatplanCommand {
    /// Import a plan from CSV (section,row,seat,x,y,rank,flags[,section_fi,section_sv,section_en]) as
    /// the venue's newest plan (admins).
    Import {
        file: PathBuf,
        #[arg(long)]
        venue: String,
        #[command(flatten)]
        auth: Auth,
        #[arg(long)]
        json: bool,
    },
    /// A venue's newest plan, or with --performance the seats of a performance.
    Show {
        /// The venue's name.
        #[arg(
            required_unless_present = "performance",
            conflicts_with = "performance"
        )]
        name: Option<String>,
        #[arg(long)]
        performance: Option<i64>,
        /// With --performance: only the free seats.
        #[arg(long, requires = "performance")]
        free: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a venue's newest plan as CSV to standard output.
    Export { name: String },
    /// Give a performance a venue's newest plan (admins; before any sale): numbered seats.
    Assign {
        #[arg(long)]
        performance: i64,
        #[arg(long)]
        venue: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
enum SeatCommand {
    /// Hold seats (managers) for press, artist or technical reasons.
    Hold {
        #[arg(long)]
        performance: i64,
        /// SECTION:ROW:SEAT[,…]
        #[arg(long)]
        seats: String,
        /// press, artist or technical
        #[arg(long)]
        reason: String,
        /// Release the hold automatically this many minutes before the performance.
        #[arg(long, default_value_t = boxoffice::app::seats::DEFAULT_HOLD_RELEASE_MINUTES)]
        release_before: i64,
        #[command(flatten)]
        auth: Auth,
    },
    /// Release held seats (managers).
    Release {
        #[arg(long)]
        performance: i64,
        #[arg(long)]
        seats: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Move a ticket to another free seat of the same performance and price.
    Exchange {
        #[arg(long)]
        ticket: String,
        /// SECTION:ROW:SEAT
        #[arg(long)]
        to: String,
        #[command(flatten)]
        auth: Auth,
    },
}

/// Who is asking: every command that changes something logs in first.
#[derive(clap::Args)]
struct Auth {
    /// Your user name.
    #[arg(long)]
    user: String,
    /// Your PIN.
    #[arg(long)]
    pin: String,
}

impl Auth {
    /// Logs in with the given name and PIN.
    fn session(&self, services: &mut Services) -> Result<boxoffice::app::Session, String> {
        services
            .login(&self.user, &self.pin)
            .map_err(|e| e.to_string())
    }
}

/// A manager approving in place what the user may not do alone.
#[derive(clap::Args)]
struct Approval {
    /// A manager approving this in place.
    #[arg(long, requires = "manager_pin")]
    manager: Option<String>,
    #[arg(long, requires = "manager")]
    manager_pin: Option<String>,
}

impl Approval {
    fn login(&self, services: &mut Services) -> Result<Option<boxoffice::app::Session>, String> {
        match (&self.manager, &self.manager_pin) {
            (Some(name), Some(pin)) => services
                .login(name, pin)
                .map(Some)
                .map_err(|e| e.to_string()),
            _ => Ok(None),
        }
    }
}

/// How a report is printed.
#[derive(clap::Args)]
struct ReportFormat {
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    #[arg(long)]
    csv: bool,
}

#[derive(Subcommand)]
enum ShiftCommand {
    /// Open a shift with the float in the drawer.
    Open {
        #[arg(long = "float")]
        float_amount: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Put cash into the drawer.
    CashIn {
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        auth: Auth,
        #[command(flatten)]
        approval: Approval,
    },
    /// Take cash out of the drawer.
    CashOut {
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        auth: Auth,
        #[command(flatten)]
        approval: Approval,
    },
    /// Open the drawer without a sale (logged).
    Drawer {
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        auth: Auth,
        #[command(flatten)]
        approval: Approval,
    },
    /// The X report of the open shift (writes nothing).
    X {
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
    },
    /// Count the drawer and close the shift: the next Z report.
    Close {
        /// DENOMINATION=N[,…] in euros, e.g. 50=2,20=3,0.50=4
        #[arg(long)]
        count: String,
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
        #[command(flatten)]
        approval: Approval,
    },
    /// Show a Z report again.
    Z {
        number: i64,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user.
    Add {
        #[arg(long)]
        name: String,
        /// cashier, staff, manager or admin
        #[arg(long)]
        role: String,
        /// The new user's PIN (4–8 digits).
        #[arg(long)]
        new_pin: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        auth: Auth,
    },
    /// Set a user's PIN.
    SetPin {
        #[arg(long)]
        name: String,
        #[arg(long)]
        new_pin: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Disable a user (history stays; they can no longer log in).
    Disable {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Fill the ledger with realistic sales.
    Seed {
        #[arg(long)]
        tickets: i64,
    },
    /// Time ticket look-up, order search, a day's Z figures and verify.
    Queries {
        #[arg(long, default_value_t = 101)]
        runs: usize,
    },
}

#[derive(Subcommand)]
enum TicketCommand {
    /// Is this ticket valid? Exit 0 if it is; 1 with the reason if not.
    Check {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Write exactly what the printer path produces for a ticket: png, fingerprint or zpl.
    Render {
        code: String,
        #[arg(long)]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum BankCommand {
    /// Print the TARKISTE of a payment request, over exactly the strings given.
    SignRequest {
        #[arg(long)]
        secret: String,
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reference: String,
        #[arg(long)]
        version: String,
        #[arg(long)]
        currency: String,
        #[arg(long)]
        ok_url: String,
        #[arg(long)]
        cancel_url: String,
        #[arg(long)]
        due: String,
    },
    /// Verify a reply at OKURL: exit 0 and `ok VIITE SUMMA`, or exit 1 with the reason.
    VerifyResponse {
        #[arg(long)]
        secret: String,
        query: String,
    },
    /// Print the verifycode of a payment query.
    QueryCode {
        #[arg(long)]
        secret: String,
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        reference: String,
    },
    /// Reference numbers: check, new, rf.
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Show the bank settings, or change them (settings permission): merchant, contract, endpoints.
    Settings {
        /// KNRO, 12 digits.
        #[arg(long, requires = "contract")]
        merchant: Option<String>,
        /// Business Online contract number (gsaftlnr), 6 digits.
        #[arg(long, requires = "merchant")]
        contract: Option<String>,
        #[arg(long)]
        payment_url: Option<String>,
        #[arg(long)]
        payment_url_alt: Option<String>,
        #[arg(long)]
        query_url: Option<String>,
        #[arg(long)]
        query_url_alt: Option<String>,
        #[arg(long, requires = "pin")]
        user: Option<String>,
        #[arg(long, requires = "user")]
        pin: Option<String>,
    },
    /// The bank's secret keys with their activation dates.
    Key {
        #[command(subcommand)]
        command: BankKeyCommand,
    },
}

impl BankCommand {
    /// Settings and keys live in the ledger; the rest are pure computations.
    fn needs_ledger(&self) -> bool {
        matches!(self, BankCommand::Settings { .. } | BankCommand::Key { .. })
    }
}

#[derive(Subcommand)]
enum ReservationCommand {
    /// Reservations, open ones first by due date.
    List {
        /// Only the open ones.
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
    /// Ask the bank whether REF is paid (paid → tickets issued; past due → released); --all: every open one.
    Check {
        #[arg(required_unless_present = "all")]
        reference: Option<String>,
        #[arg(long, conflicts_with = "reference")]
        all: bool,
        #[command(flatten)]
        auth: Auth,
        #[arg(long)]
        json: bool,
    },
    /// Give a reservation's tickets back.
    Release {
        reference: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
enum BankKeyCommand {
    /// Add the bank's secret key, taking effect on a date (the previous key stays accepted on replies).
    Add {
        /// YYYY-MM-DD
        #[arg(long)]
        valid_from: String,
        /// Read the key from standard input (keeps it out of the shell history).
        #[arg(long)]
        secret_stdin: bool,
        #[command(flatten)]
        auth: Auth,
    },
    /// The keys' dates (never the keys).
    List,
}

#[derive(Subcommand)]
enum ReferenceCommand {
    /// Exit 0 if REF is a valid reference number; 1 with the reason.
    Check { reference: String },
    /// The full reference number for BASE (3–19 digits): BASE + check digit.
    New { base: String },
    /// The ISO 11649 RF form of a reference number.
    Rf { reference: String },
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Training mode on or off (admins).
    Training {
        /// on or off
        mode: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
enum OrderCommand {
    /// Find orders: ticket code, order or receipt number, last four card digits, name or e-mail.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one order with its receipt and tickets.
    Show {
        number: i64,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let Some(command) = cli.command else {
        boxoffice::logging::init(&data_dir, "info");
        return match boxoffice::ui::run(data_dir, started) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("boxoffice: the window could not be opened: {error}");
                ExitCode::FAILURE
            }
        };
    };
    if let Command::Bank { command: bank } = &command
        && !bank.needs_ledger()
    {
        let Command::Bank { command: bank } = command else {
            unreachable!("matched above")
        };
        return match bank_command(bank) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("boxoffice: {message}");
                ExitCode::FAILURE
            }
        };
    }
    boxoffice::logging::init(&data_dir, "off");
    match run(command, &data_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("boxoffice: {message}");
            ExitCode::FAILURE
        }
    }
}

fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("boxoffice")
}

fn run(command: Command, data_dir: &std::path::Path) -> Result<(), String> {
    let mut services = Services::open(data_dir).map_err(|e| e.to_string())?;
    match command {
        Command::Terminal { command } => card_cli::terminal(&mut services, command)?,
        Command::Payments { command } => card_cli::payments(&mut services, command)?,
        Command::Init { demo } => match services.init(demo).map_err(|e| e.to_string())? {
            InitOutcome::Created { register_id, demo } => {
                println!("register {register_id} set up in {}", data_dir.display());
                if demo {
                    let users: Vec<String> = boxoffice::app::DEMO_USERS
                        .iter()
                        .map(|(name, _, pin)| format!("{name} (PIN {pin})"))
                        .collect();
                    println!("demo data added: users {}; three events", users.join(", "));
                }
            }
            InitOutcome::AlreadyInitialised { register_id } => {
                println!(
                    "register {register_id} was already set up in {}; nothing changed",
                    data_dir.display()
                );
            }
        },
        Command::Catalog { json, lang } => {
            let lang = parse_lang(&lang)?;
            let catalog = services.catalog(lang).map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&catalog).map_err(|e| e.to_string())?
                );
            } else {
                for performance in &catalog {
                    println!(
                        "{:>4}  {}  {}  {} ({} left of {})",
                        performance.id,
                        boxoffice::i18n::date_time_text(&performance.starts_at, lang),
                        performance.event,
                        performance.venue,
                        performance.remaining,
                        performance.capacity
                    );
                    for category in &performance.categories {
                        println!(
                            "        {:<8} {:>10}  VAT {}",
                            category.code,
                            Money::from_cents(category.price_cents).to_string(),
                            boxoffice::domain::VatBasisPoints(category.vat_basis_points)
                                .percent_text()
                        );
                    }
                }
            }
        }
        Command::Sell {
            user,
            pin,
            performance,
            tickets,
            pay,
            terminal,
            tendered,
            name,
            email,
            json,
            no_browser,
            wait,
            seats,
            best,
            wheelchair,
            accept_split,
        } => {
            use boxoffice::app::seats::SeatChoice;
            let items = parse_tickets(&tickets)?;
            let seats = match (seats, best) {
                (Some(list), _) => SeatChoice::Seats(parse_seats(&list)?),
                (None, Some(count)) => SeatChoice::Best {
                    count,
                    wheelchair,
                    accept_split,
                },
                (None, None) => SeatChoice::Auto,
            };
            if pay.trim() == "bank" && seats != SeatChoice::Auto {
                return Err("seats for a bank payment are chosen when it is paid: leave out --seats and --best".into());
            }
            if pay.trim() == "bank" {
                let session = services.login(&user, &pin).map_err(|e| e.to_string())?;
                let request = SaleRequest {
                    performance_id: performance,
                    items,
                    tendered: Money::ZERO,
                    customer_name: name,
                    customer_email: email,
                    ..SaleRequest::default()
                };
                return sell_by_bank(&mut services, &session, &request, no_browser, wait, json);
            }
            let split = card_cli::parse_split(&pay)?;
            if split.is_none() && pay.trim() != "cash" {
                return Err(format!(
                    "payment method '{pay}' is not available here: use --pay cash, card, cash:AMOUNT,card or bank"
                ));
            }
            let tendered_given = tendered.is_some();
            let tendered = match tendered {
                Some(tendered) => Money::parse(&tendered).map_err(|e| e.to_string())?,
                None if split.is_some() => Money::ZERO,
                None => {
                    return Err("paying cash needs --tendered AMOUNT (the cash handed over)".into());
                }
            };
            if tendered.is_negative() {
                return Err("the amount tendered cannot be negative".into());
            }
            let session = services.login(&user, &pin).map_err(|e| e.to_string())?;
            let lang = session.lang;
            let email_for_mail = email.clone();
            let mut request = SaleRequest {
                performance_id: performance,
                items,
                tendered,
                customer_name: name,
                customer_email: email,
                seats,
                cart_token: None,
            };
            let outcome = match split {
                Some(split) => card_cli::sell(
                    &mut services,
                    &session,
                    &mut request,
                    split,
                    tendered_given,
                    terminal.as_deref(),
                )?,
                None => services
                    .sell(&session, &request)
                    .map_err(|e: AppError| e.to_string())?,
            };
            print_sale(&outcome, lang, json);
            if outcome.receipt.order_number > 0
                && let Some(email) = email_for_mail.as_deref().filter(|e| !e.trim().is_empty())
            {
                match services.queue_ticket_mail(
                    Some(&session),
                    outcome.receipt.order_number,
                    Some(email),
                    false,
                ) {
                    Ok(mail_id) => {
                        if !json {
                            println!("tickets queued for mail to {email} (outbox {mail_id})");
                        }
                    }
                    Err(error) => {
                        eprintln!(
                            "boxoffice: the sale is recorded, but the tickets were not queued for mail: {error}"
                        );
                    }
                }
            }
        }
        Command::Order {
            command: OrderCommand::Show { number, json },
        } => {
            let receipt = services
                .receipt(number, Lang::Fi)
                .map_err(|e| e.to_string())?;
            let refunds = services.refunds_of(number).map_err(|e| e.to_string())?;
            let why = |code: &str| {
                refunds
                    .iter()
                    .find(|r| r.tickets.iter().any(|t| t == code))
                    .map(|r| {
                        format!(
                            "refunded (receipt {}, {})",
                            r.receipt_number.unwrap_or_default(),
                            reason_of(r)
                        )
                    })
            };
            if json {
                let value = serde_json::json!({
                    "order_number": receipt.order_number,
                    "receipt_number": receipt.receipt_number,
                    "register_id": receipt.register_id,
                    "created_at": receipt.created_at,
                    "cashier": receipt.cashier,
                    "event": receipt.event_name,
                    "total_cents": receipt.total.cents(),
                    "tendered_cents": receipt.tendered.map(Money::cents),
                    "change_cents": receipt.change.map(Money::cents),
                    "lines": receipt.lines.iter().map(|l| serde_json::json!({
                        "category": l.name,
                        "quantity": l.quantity,
                        "unit_price_cents": l.unit_price.cents(),
                        "gross_cents": l.gross.cents(),
                        "vat_basis_points": l.vat_rate.0,
                    })).collect::<Vec<_>>(),
                    "vat": receipt.vat.iter().map(|v| serde_json::json!({
                        "vat_basis_points": v.rate.0,
                        "net_cents": v.net.cents(),
                        "vat_cents": v.vat.cents(),
                        "gross_cents": v.gross.cents(),
                    })).collect::<Vec<_>>(),
                    "tickets": receipt.tickets.iter().map(|t| serde_json::json!({
                        "code": t.code,
                        "category": t.category_name,
                        "price_cents": t.price.cents(),
                        "state": t.state,
                        "revoked_because": why(&t.code),
                    })).collect::<Vec<_>>(),
                    "refunds": refunds,
                    "refunded_cents": refunds.iter().map(|r| r.amount_cents).sum::<i64>(),
                });
                println!("{value}");
            } else {
                print!("{}", receipt.to_text(Lang::Fi));
                for refund in &refunds {
                    println!(
                        "refund receipt {}: {} in {} on {} by {} ({})",
                        refund.receipt_number.unwrap_or_default(),
                        Money::from_cents(-refund.amount_cents),
                        refund.tender,
                        refund.created_at,
                        refund.authorised_by,
                        reason_of(refund)
                    );
                }
                for ticket in &receipt.tickets {
                    if let Some(why) = why(&ticket.code) {
                        println!("ticket {} no longer valid: {why}", ticket.code);
                    }
                }
            }
        }
        Command::Order {
            command: OrderCommand::Search { query, limit, json },
        } => {
            let hits = services
                .search_orders(&query, limit)
                .map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&hits).map_err(|e| e.to_string())?
                );
            } else if hits.is_empty() {
                println!("no orders found for '{query}'");
            } else {
                for hit in hits {
                    println!(
                        "{:>6}  receipt {:>6}  {}  {:<24} {:<28} {:>10}  {}/{} valid",
                        hit.order_number,
                        hit.receipt_number
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                        &hit.created_at[..16.min(hit.created_at.len())],
                        hit.customer_name.unwrap_or_default(),
                        hit.event,
                        Money::from_cents(hit.total_cents - hit.refunded_cents).to_string(),
                        hit.valid_tickets,
                        hit.tickets
                    );
                }
            }
        }
        Command::Register {
            command: RegisterCommand::Training { mode, auth },
        } => {
            let on = match mode.as_str() {
                "on" => true,
                "off" => false,
                other => return Err(format!("'{other}': say on or off")),
            };
            let session = auth.session(&mut services)?;
            services
                .set_training(&session, on)
                .map_err(|e| e.to_string())?;
            println!(
                "training mode {}",
                if on {
                    "on: sales are marked TRAINING and kept out of the Z"
                } else {
                    "off"
                }
            );
        }
        Command::Report {
            kind,
            from,
            to,
            format,
            auth,
        } => {
            let from = from.unwrap_or_else(|| chrono::Local::now().date_naive().to_string());
            let to = to.unwrap_or_else(|| from.clone());
            let session = auth.session(&mut services)?;
            let tables = services
                .report(&session, &kind, &from, &to)
                .map_err(|e| e.to_string())?;
            if format.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&tables).map_err(|e| e.to_string())?
                );
            } else {
                for table in &tables {
                    print!(
                        "{}",
                        if format.csv {
                            table.to_csv()
                        } else {
                            table_text(table)
                        }
                    );
                }
            }
        }
        Command::Bench {
            command: BenchCommand::Seed { tickets },
        } => {
            let mut last_shown = 0;
            let outcome = services
                .bench_seed(tickets, &mut |done| {
                    if done - last_shown >= tickets / 20 {
                        last_shown = done;
                        eprintln!("seeded {done} / {tickets} tickets");
                    }
                })
                .map_err(|e| e.to_string())?;
            let bytes = std::fs::metadata(data_dir.join(boxoffice::ledger::LEDGER_FILE))
                .map(|m| m.len())
                .unwrap_or(0);
            println!(
                "{} orders, {} tickets, {} refunds, {} performances in {:.1} s; ledger {:.1} MB, {:.0} bytes per ticket",
                outcome.orders,
                outcome.tickets,
                outcome.refunds,
                outcome.performances,
                outcome.seconds,
                bytes as f64 / 1e6,
                bytes as f64 / outcome.tickets.max(1) as f64
            );
        }
        Command::Bench {
            command: BenchCommand::Queries { runs },
        } => {
            for timing in services.bench_queries(runs).map_err(|e| e.to_string())? {
                println!(
                    "{:<44} median {:>10.1} µs  max {:>10.1} µs  ({} runs)",
                    timing.name, timing.median_us, timing.max_us, timing.runs
                );
            }
        }
        Command::Ticket {
            command: TicketCommand::Check { code, json },
        } => {
            let status = services.check_ticket(&code).map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&status).map_err(|e| e.to_string())?
                );
            } else {
                println!("{} {}: {}", status.code, status.state, status.reason);
            }
            if status.state != "valid" {
                return Err(format!(
                    "ticket {} is not valid: {}",
                    status.code, status.reason
                ));
            }
        }
        Command::Ticket {
            command: TicketCommand::Render { code, format, out },
        } => print_cli::render_command(&mut services, &code, &format, &out)?,
        Command::Printer { command } => print_cli::printer_command(&mut services, command)?,
        Command::Print { command } => print_cli::print_command(&mut services, command)?,
        Command::Bank { command } if command.needs_ledger() => {
            bank_settings_command(&mut services, command)?
        }
        Command::Bank { command } => bank_command(command)?,
        Command::Reserve {
            performance,
            tickets,
            due,
            name,
            email,
            phone,
            auth,
            json,
        } => {
            let due_date = due
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                        .map_err(|_| AppError::BadDate(d).to_string())
                })
                .transpose()?;
            let session = auth.session(&mut services)?;
            let reservation = services
                .reserve(
                    &session,
                    &ReservationRequest {
                        sale: SaleRequest {
                            performance_id: performance,
                            items: parse_tickets(&tickets)?,
                            tendered: Money::ZERO,
                            customer_name: name,
                            customer_email: email,
                            ..SaleRequest::default()
                        },
                        customer_phone: phone,
                        due_date,
                    },
                    "reservation",
                )
                .map_err(|e| e.to_string())?;
            print_reservation(&reservation, json)?;
        }
        Command::Reservation { command } => reservation_command(&mut services, command)?,
        Command::Doctor { log_lines } => {
            print!("{}", services.support_report(log_lines));
        }
        Command::Verify => match services.ledger_mut().verify().map_err(|e| e.to_string())? {
            Ok(report) => {
                println!(
                    "ok: {} journal entries, {} orders, {} tickets, receipts 1–{} gapless, chain head {}",
                    report.entries,
                    report.orders,
                    report.tickets,
                    report.receipts,
                    &report.head_hash[..16]
                );
                if report.slow_path_sales > 0 {
                    eprintln!(
                        "note: {} sales were checked the slow way",
                        report.slow_path_sales
                    );
                }
            }
            Err(failure) => return Err(format!("verify failed: {failure}")),
        },
        Command::User { command } => user_command(&mut services, command)?,
        Command::Mail { command } => mail_command(&mut services, command)?,
        Command::Sms { command } => sms_command(&mut services, command)?,
        Command::Shift { command } => shift_command(&mut services, command)?,
        Command::Seatplan { command } => seatplan_command(&mut services, command)?,
        Command::Seat { command } => seat_command(&mut services, command)?,
        Command::Refund {
            order,
            tickets,
            amount,
            reason,
            manager,
            manager_pin,
            auth,
            json,
        } => {
            use boxoffice::app::RefundRequest;
            let request = match (tickets, amount) {
                (Some(codes), _) => RefundRequest::Tickets(
                    codes
                        .split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
                (None, Some(amount)) => {
                    RefundRequest::Amount(Money::parse(&amount).map_err(|e| e.to_string())?)
                }
                (None, None) => RefundRequest::WholeOrder,
            };
            let session = auth.session(&mut services)?;
            let authoriser = match (manager, manager_pin) {
                (Some(name), Some(pin)) => {
                    Some(services.login(&name, &pin).map_err(|e| e.to_string())?)
                }
                _ => None,
            };
            let mut display = |text: &str| eprintln!("terminal: {text}");
            let mut progress = boxoffice::app::CardProgress {
                display: &mut display,
                abort: Default::default(),
            };
            let outcome = services
                .refund_by_tender(
                    &session,
                    authoriser.as_ref(),
                    order,
                    &request,
                    &reason,
                    &mut progress,
                )
                .map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&outcome).map_err(|e| e.to_string())?
                );
            } else {
                println!(
                    "refund receipt {} for order {} (original receipt {}): {} back in {}; {} ticket(s) revoked",
                    outcome.receipt_number,
                    outcome.order_number,
                    outcome
                        .original_receipt_number
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    Money::from_cents(-outcome.amount_cents),
                    outcome.tender,
                    outcome.revoked_tickets.len()
                );
            }
            if outcome.tender == "bank" {
                eprintln!(
                    "boxoffice: {}",
                    boxoffice::i18n::bank_refund_instruction(
                        Lang::En,
                        Money::from_cents(outcome.amount_cents),
                        outcome.bank_reference.as_deref().unwrap_or("-")
                    )
                );
            }
        }
    }
    Ok(())
}

fn parse_seats(list: &str) -> Result<Vec<boxoffice::domain::seating::SeatRef>, String> {
    let seats = boxoffice::domain::seating::SeatRef::parse_list(list).map_err(|bad| {
        format!("'{bad}' is not a seat: write SECTION:ROW:SEAT, e.g. stalls:5:10")
    })?;
    if seats.is_empty() {
        return Err("--seats needs at least one SECTION:ROW:SEAT".into());
    }
    Ok(seats)
}

fn seatplan_command(services: &mut Services, command: SeatplanCommand) -> Result<(), String> {
    use boxoffice::app::seats::SeatState;
    match command {
        SeatplanCommand::Import {
            file,
            venue,
            auth,
            json,
        } => {
            let csv = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let session = auth.session(services)?;
            let imported = services
                .import_seat_plan(&session, &venue, &csv)
                .map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&imported).map_err(|e| e.to_string())?
                );
            } else {
                println!(
                    "plan {} of {} imported: {} sections, {} seats",
                    imported.version, imported.venue, imported.sections, imported.seats
                );
            }
        }
        SeatplanCommand::Show {
            name: Some(name),
            json,
            ..
        } => {
            let plan = services.seat_plan(&name).map_err(|e| e.to_string())?;
            if json {
                let seats: Vec<serde_json::Value> = plan
                    .seats
                    .iter()
                    .map(|s| {
                        serde_json::json!({"section": s.section, "row": s.row, "seat": s.number,
                            "x": s.x, "y": s.y, "rank": s.rank, "wheelchair": s.wheelchair,
                            "companion": s.companion, "restricted": s.restricted})
                    })
                    .collect();
                let sections: Vec<serde_json::Value> = plan
                    .sections
                    .iter()
                    .map(|s| serde_json::json!({"code": s.code, "names": s.names}))
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({"venue": name, "sections": sections, "seats": seats})
                );
            } else {
                println!("{name}: {} seats", plan.seats.len());
                for section in &plan.sections {
                    let rows: Vec<_> = plan
                        .rows()
                        .iter()
                        .filter(|r| plan.seats[r.start].section == section.code)
                        .collect();
                    let seats: usize = rows.iter().map(|r| r.len()).sum();
                    println!(
                        "  {} ({}): {} rows, {} seats",
                        section.code,
                        section.names.join(" / "),
                        rows.len(),
                        seats
                    );
                }
            }
        }
        SeatplanCommand::Show {
            performance: Some(performance),
            free,
            json,
            ..
        } => {
            let view = services
                .seating(performance)
                .map_err(|e| e.to_string())?
                .ok_or(format!(
                    "performance {performance} has free seating (no seat plan)"
                ))?;
            let state_code = |state: &SeatState| match state {
                SeatState::Free => "free",
                SeatState::Sold => "sold",
                SeatState::Held(_) => "held",
                SeatState::Cart(_) => "cart",
            };
            let seats: Vec<(usize, &SeatState)> = view
                .states
                .iter()
                .enumerate()
                .filter(|(_, state)| !free || **state == SeatState::Free)
                .collect();
            if json {
                let list: Vec<serde_json::Value> = seats
                    .iter()
                    .map(|(i, state)| {
                        let seat = view.plan.seat_ref(*i);
                        if free {
                            serde_json::json!({"section": seat.section, "row": seat.row, "seat": seat.seat})
                        } else {
                            serde_json::json!({"section": seat.section, "row": seat.row, "seat": seat.seat,
                                "state": state_code(state)})
                        }
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(list));
            } else {
                for row in view.plan.rows() {
                    let first = &view.plan.seats[row.start];
                    let marks: String = row
                        .clone()
                        .map(|i| match &view.states[i] {
                            SeatState::Free if view.plan.seats[i].wheelchair => 'w',
                            SeatState::Free => '.',
                            SeatState::Sold => 'x',
                            SeatState::Held(_) => 'h',
                            SeatState::Cart(_) => 'c',
                        })
                        .collect();
                    println!("{:>8} {:>3}  {marks}", first.section, first.row);
                }
                println!(
                    "free {} of {}",
                    view.free_seats().len(),
                    view.plan.seats.len()
                );
            }
        }
        SeatplanCommand::Show { .. } => {
            return Err("give a venue's name or --performance ID".into());
        }
        SeatplanCommand::Assign {
            performance,
            venue,
            auth,
        } => {
            let session = auth.session(services)?;
            let seats = services
                .assign_seat_plan(&session, performance, &venue)
                .map_err(|e| e.to_string())?;
            println!("performance {performance} now has numbered seats: {seats} seats of {venue}");
        }
        SeatplanCommand::Export { name } => {
            print!(
                "{}",
                services
                    .export_seat_plan(&name)
                    .map_err(|e| e.to_string())?
            );
        }
    }
    Ok(())
}

fn seat_command(services: &mut Services, command: SeatCommand) -> Result<(), String> {
    match command {
        SeatCommand::Hold {
            performance,
            seats,
            reason,
            release_before,
            auth,
        } => {
            let session = auth.session(services)?;
            let seats = parse_seats(&seats)?;
            let until = services
                .hold_seats(&session, performance, &seats, &reason, release_before)
                .map_err(|e| e.to_string())?;
            println!("{} seat(s) held ({reason}) until {until}", seats.len());
        }
        SeatCommand::Release {
            performance,
            seats,
            auth,
        } => {
            let session = auth.session(services)?;
            let seats = parse_seats(&seats)?;
            services
                .release_seats(&session, performance, &seats)
                .map_err(|e| e.to_string())?;
            println!("{} seat(s) released", seats.len());
        }
        SeatCommand::Exchange { ticket, to, auth } => {
            let session = auth.session(services)?;
            let to = boxoffice::domain::seating::SeatRef::parse(&to)
                .ok_or(format!("'{to}' is not a seat: write SECTION:ROW:SEAT"))?;
            services
                .exchange_seat(&session, &ticket, &to)
                .map_err(|e| e.to_string())?;
            println!("ticket {ticket} moved to {to}");
        }
    }
    Ok(())
}

fn user_command(services: &mut Services, command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Add {
            name,
            role,
            new_pin,
            auth,
        } => {
            let session = auth.session(services)?;
            services
                .add_user(&session, &name, &role, &new_pin)
                .map_err(|e| e.to_string())?;
            println!("user {name} added as {role}");
        }
        UserCommand::List { json, auth } => {
            let session = auth.session(services)?;
            let users = services.list_users(&session).map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&users).map_err(|e| e.to_string())?
                );
            } else {
                for user in users {
                    let state = match (user.active, user.locked) {
                        (false, _) => "disabled",
                        (true, true) => "locked",
                        (true, false) => "active",
                    };
                    println!(
                        "{:<16} {:<8} {:<3} {state}",
                        user.name, user.role, user.lang
                    );
                }
            }
        }
        UserCommand::SetPin {
            name,
            new_pin,
            auth,
        } => {
            let session = auth.session(services)?;
            services
                .set_pin(&session, &name, &new_pin)
                .map_err(|e| e.to_string())?;
            println!("PIN of {name} changed");
        }
        UserCommand::Disable { name, auth } => {
            let session = auth.session(services)?;
            services
                .disable_user(&session, &name)
                .map_err(|e| e.to_string())?;
            println!("user {name} disabled");
        }
    }
    Ok(())
}

/// The bank commands need no ledger: they only compute.
/// The first line of standard input, for `--password-stdin`.
fn password_from_stdin() -> Result<boxoffice::mail::secrets::Secret, String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("the password could not be read from standard input: {e}"))?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        return Err("--password-stdin: standard input had no password".into());
    }
    Ok(boxoffice::mail::secrets::Secret::new(line))
}

fn sms_command(services: &mut Services, command: SmsCommand) -> Result<(), String> {
    use boxoffice::mail::sms::Method;
    let text = |e: AppError| e.to_string();
    match command {
        SmsCommand::Gateway {
            url,
            method,
            body,
            user,
            password_stdin,
            link,
        } => {
            let method = Method::parse(&method)
                .ok_or_else(|| format!("--method must be get or post, not '{method}'"))?;
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            services
                .set_sms_gateway(
                    None,
                    &boxoffice::app::SmsGatewayRequest {
                        url_template: url,
                        method,
                        body_template: body,
                        username: user,
                        password,
                        link_template: link,
                    },
                )
                .map_err(text)?;
            println!("SMS gateway saved");
        }
        SmsCommand::Send { order, to } => {
            let outcome = services.send_tickets_sms(None, order, &to).map_err(text)?;
            if outcome.sent {
                println!(
                    "order {order}: tickets sent by SMS (gateway: {})",
                    outcome.reply
                );
            } else {
                return Err(format!(
                    "order {order}: the SMS gateway refused the message: {}",
                    outcome.reply
                ));
            }
        }
    }
    Ok(())
}

fn mail_command(services: &mut Services, command: MailCommand) -> Result<(), String> {
    use boxoffice::mail::smtp::Security;
    let text = |e: AppError| e.to_string();
    match command {
        MailCommand::Server {
            command:
                MailServerCommand::Add {
                    name,
                    host,
                    port,
                    security,
                    user,
                    password_stdin,
                    from,
                    from_name,
                },
        } => {
            let security = Security::parse(&security).ok_or_else(|| {
                format!("--security must be starttls, tls or none, not '{security}'")
            })?;
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            let id = services
                .add_mail_server(
                    None,
                    &boxoffice::app::MailServerRequest {
                        name: name.clone(),
                        host,
                        port,
                        security,
                        username: user,
                        password,
                        from_name,
                        from_address: from,
                    },
                )
                .map_err(text)?;
            println!("mail server {name} added (id {id})");
        }
        MailCommand::Server {
            command: MailServerCommand::Copy { from, name },
        } => {
            let id = services
                .copy_mail_server(None, &from, &name)
                .map_err(text)?;
            println!("mail server {name} copied from {from} (id {id})");
        }
        MailCommand::Server {
            command: MailServerCommand::List { json },
        } => {
            let (servers, default) = services.mail_servers().map_err(text)?;
            let default_id = default.or_else(|| servers.iter().find(|s| s.builtin).map(|s| s.id));
            if json {
                let value: Vec<serde_json::Value> = servers
                    .iter()
                    .map(|server| {
                        let mut value = serde_json::to_value(server).unwrap_or_default();
                        value["default"] = serde_json::json!(Some(server.id) == default_id);
                        value["password_stored"] = serde_json::json!(server.secret_name.is_some());
                        value
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(value));
            } else {
                for server in &servers {
                    println!(
                        "{} {:<16} {}:{} {:<8} {} <{}>{}{}",
                        if Some(server.id) == default_id {
                            "*"
                        } else {
                            " "
                        },
                        server.name,
                        server.host,
                        server.port,
                        server.security,
                        server.from_name,
                        server.from_address,
                        server
                            .username
                            .as_deref()
                            .map(|u| format!(" user {u}"))
                            .unwrap_or_default(),
                        if server.builtin {
                            " (built-in, read-only)"
                        } else {
                            ""
                        },
                    );
                }
            }
        }
        MailCommand::Server {
            command: MailServerCommand::Default { name, for_user },
        } => {
            services
                .choose_mail_server(None, &name, for_user.as_deref())
                .map_err(text)?;
            match for_user {
                Some(user) => println!("mail server {name} now sends for the events of {user}"),
                None => println!("mail server {name} now sends by default"),
            }
        }
        MailCommand::Dkim { command } => {
            let records = match command {
                DkimCommand::Generate { domain, selector } => services
                    .generate_dkim_key(None, &domain, &selector)
                    .map_err(text)?,
                DkimCommand::Show { domain } => services.domain_records(&domain).map_err(text)?,
            };
            println!(
                "{} {} \"{}\"",
                records.dkim.name, records.dkim.kind, records.dkim.value
            );
            println!("# SPF (add the sending server to the domain's SPF record):");
            println!(
                "# {} {} \"{}\"",
                records.spf.name, records.spf.kind, records.spf.value
            );
            println!("# DMARC (start with p=none, tighten once the reports are clean):");
            println!(
                "# {} {} \"{}\"",
                records.dmarc.name, records.dmarc.kind, records.dmarc.value
            );
        }
        MailCommand::Test { server, to, lang } => {
            let lang = parse_lang(&lang)?;
            let outcome = services
                .send_test_mail(None, &server, &to, lang)
                .map_err(text)?;
            if outcome.delivered {
                println!("test mail accepted by {server}: {}", outcome.reply);
            } else {
                return Err(format!(
                    "test mail not sent. The server replied: {}\n{}",
                    outcome.reply, outcome.meaning
                ));
            }
        }
        MailCommand::Send { order, to } => {
            let mail_id = services
                .queue_ticket_mail(None, order, to.as_deref(), true)
                .map_err(text)?;
            let report = services.send_due(false).map_err(text)?;
            let entry = services
                .mail_entry(mail_id)
                .map_err(text)?
                .ok_or("the queued message is missing from the outbox")?;
            let reply = entry.last_reply.clone().unwrap_or_default();
            if report.sent.contains(&mail_id) {
                println!(
                    "order {order}: tickets mailed to {} ({reply})",
                    entry.to_address
                );
            } else if report.retrying.contains(&mail_id) {
                return Err(format!(
                    "order {order}: not sent yet, will be retried ({reply}); message {mail_id} stays queued"
                ));
            } else {
                return Err(format!(
                    "order {order}: mail to {} failed: {reply}",
                    entry.to_address
                ));
            }
        }
        MailCommand::Outbox { failed, json } => {
            let rows = services.outbox(failed).map_err(text)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&rows).map_err(|e| e.to_string())?
                );
            } else {
                for row in &rows {
                    println!(
                        "{:>5}  order {:<6} {:<32} {:<9} attempts {}  {}",
                        row.id,
                        row.order_id,
                        row.to_address,
                        row.state,
                        row.attempts,
                        row.last_reply.as_deref().unwrap_or("")
                    );
                }
            }
        }
        MailCommand::Flush => {
            let report = services.send_due(true).map_err(text)?;
            println!(
                "{} sent, {} to retry, {} failed",
                report.sent.len(),
                report.retrying.len(),
                report.failed.len()
            );
            if !report.retrying.is_empty() || !report.failed.is_empty() {
                return Err("not every message was sent: see `boxoffice mail outbox`".into());
            }
        }
        MailCommand::Readdress { mail, to } => {
            let new_id = services.readdress_mail(None, mail, &to).map_err(text)?;
            let report = services.send_due(false).map_err(text)?;
            if report.sent.contains(&new_id) {
                println!("message {mail} re-sent to {to} as message {new_id}");
            } else {
                return Err(format!(
                    "message {mail} re-addressed to {to} as message {new_id}, but not sent yet: see `boxoffice mail outbox`"
                ));
            }
        }
    }
    Ok(())
}

fn bank_command(command: BankCommand) -> Result<(), String> {
    use boxoffice::payments::reference::ReferenceNumber;
    use boxoffice::payments::verkkomaksu::{Reply, Request, query_code, request_mac};
    match command {
        BankCommand::SignRequest {
            secret,
            merchant,
            amount,
            reference,
            version,
            currency,
            ok_url,
            cancel_url,
            due,
        } => println!(
            "{}",
            request_mac(
                &secret,
                &Request {
                    merchant: &merchant,
                    amount: &amount,
                    reference: &reference,
                    version: &version,
                    currency: &currency,
                    ok_url: &ok_url,
                    cancel_url: &cancel_url,
                    due_date: &due,
                }
            )
        ),
        BankCommand::VerifyResponse { secret, query } => {
            let reply = Reply::parse(&query).map_err(|e| e.to_string())?;
            reply.verify(&[&secret]).map_err(|e| e.to_string())?;
            println!("ok {} {}", reply.reference, reply.amount);
        }
        BankCommand::QueryCode {
            secret,
            merchant,
            reference,
        } => println!("{}", query_code(&secret, &merchant, &reference)),
        BankCommand::Reference { command } => match command {
            ReferenceCommand::Check { reference } => {
                let valid = ReferenceNumber::parse(&reference).map_err(|e| e.to_string())?;
                println!("ok {} ({})", valid, valid.grouped());
            }
            ReferenceCommand::New { base } => {
                println!(
                    "{}",
                    ReferenceNumber::from_base(&base).map_err(|e| e.to_string())?
                );
            }
            ReferenceCommand::Rf { reference } => {
                println!(
                    "{}",
                    ReferenceNumber::parse(&reference)
                        .map_err(|e| e.to_string())?
                        .rf()
                );
            }
        },
        BankCommand::Settings { .. } | BankCommand::Key { .. } => {
            return Err("bank settings and keys are kept in the ledger".into());
        }
    }
    Ok(())
}

fn move_cash_command(
    services: &mut Services,
    movement: boxoffice::app::CashMovement,
    amount: &str,
    reason: &str,
    auth: &Auth,
    approval: &Approval,
) -> Result<(), String> {
    let value = Money::parse(amount).map_err(|e| e.to_string())?;
    let session = auth.session(services)?;
    let approver = approval.login(services)?;
    let in_drawer = services
        .move_cash(&session, approver.as_ref(), movement, value, reason)
        .map_err(|e| e.to_string())?;
    let done = match movement {
        boxoffice::app::CashMovement::CashIn => "put in the drawer",
        boxoffice::app::CashMovement::CashOut => "taken from the drawer",
    };
    println!("{value} {done}; it should now hold {in_drawer}");
    Ok(())
}

fn shift_command(services: &mut Services, command: ShiftCommand) -> Result<(), String> {
    use boxoffice::app::{CashMovement, ShiftReport};
    let text = |e: AppError| e.to_string();
    let amount = |text: &str| Money::parse(text).map_err(|e| e.to_string());
    let print_report = |report: &ShiftReport, format: &ReportFormat| -> Result<(), String> {
        if format.json {
            println!(
                "{}",
                serde_json::to_string_pretty(report).map_err(|e| e.to_string())?
            );
        } else if format.csv {
            print!("{}", report.to_csv());
        } else {
            print!("{}", report.to_text());
        }
        Ok(())
    };
    match command {
        ShiftCommand::Open { float_amount, auth } => {
            let float = amount(&float_amount)?;
            let session = auth.session(services)?;
            let shift_id = services.open_shift(&session, float).map_err(text)?;
            println!("shift {shift_id} opened with a float of {float}");
        }
        ShiftCommand::CashIn {
            amount: a,
            reason,
            auth,
            approval,
        } => move_cash_command(
            services,
            CashMovement::CashIn,
            &a,
            &reason,
            &auth,
            &approval,
        )?,
        ShiftCommand::CashOut {
            amount: a,
            reason,
            auth,
            approval,
        } => move_cash_command(
            services,
            CashMovement::CashOut,
            &a,
            &reason,
            &auth,
            &approval,
        )?,
        ShiftCommand::Drawer {
            reason,
            auth,
            approval,
        } => {
            let session = auth.session(services)?;
            let approver = approval.login(services)?;
            services
                .open_drawer(&session, approver.as_ref(), &reason)
                .map_err(text)?;
            println!("drawer opened without a sale (logged)");
        }
        ShiftCommand::X { format, auth } => {
            let session = auth.session(services)?;
            print_report(&services.x_report(&session).map_err(text)?, &format)?;
        }
        ShiftCommand::Close {
            count,
            comment,
            format,
            auth,
            approval,
        } => {
            let count =
                boxoffice::domain::drawer::DrawerCount::parse(&count).map_err(|e| e.to_string())?;
            let session = auth.session(services)?;
            let approver = approval.login(services)?;
            print_report(
                &services
                    .close_shift(&session, approver.as_ref(), &count, &comment)
                    .map_err(text)?,
                &format,
            )?;
        }
        ShiftCommand::Z {
            number,
            format,
            auth,
        } => {
            let session = auth.session(services)?;
            print_report(&services.z_report(&session, number).map_err(text)?, &format)?;
        }
    }
    Ok(())
}

fn table_text(table: &boxoffice::ledger::Table) -> String {
    let mut text = format!("== {}\n{}\n", table.name, table.columns.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&table.columns)
            .map(|(value, column)| match value {
                serde_json::Value::Number(n) if column.ends_with("_cents") => {
                    Money::from_cents(n.as_i64().unwrap_or_default()).to_string()
                }
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "-".into(),
                other => other.to_string(),
            })
            .collect();
        text.push_str(&cells.join(" | "));
        text.push('\n');
    }
    text
}

fn reason_of(refund: &boxoffice::ledger::RefundRow) -> String {
    if refund.reason_text.is_empty() {
        refund.reason_code.clone()
    } else {
        format!("{}: {}", refund.reason_code, refund.reason_text)
    }
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::from_code(code).ok_or_else(|| format!("unknown language '{code}': use fi, sv or en"))
}

/// `adult=2,child=1` -> [("adult", 2), ("child", 1)]
fn parse_tickets(text: &str) -> Result<Vec<(String, u32)>, String> {
    let mut items = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, count) = part
            .split_once('=')
            .ok_or_else(|| format!("'{part}' should be CATEGORY=NUMBER, e.g. adult=2"))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("'{count}' in '{part}' is not a number of tickets"))?;
        if count == 0 {
            return Err(format!(
                "'{part}': the number of tickets must be at least 1"
            ));
        }
        items.push((code.trim().to_string(), count));
    }
    if items.is_empty() {
        return Err("no tickets asked for: use --tickets CATEGORY=NUMBER, e.g. adult=2".into());
    }
    Ok(items)
}

fn print_reservation(
    reservation: &boxoffice::ledger::ReservationRow,
    json: bool,
) -> Result<(), String> {
    use boxoffice::payments::reference::ReferenceNumber;
    let reference = ReferenceNumber::parse(&reservation.reference).map_err(|e| e.to_string())?;
    if json {
        let mut value = serde_json::to_value(reservation).map_err(|e| e.to_string())?;
        value["reference_grouped"] = reference.grouped().into();
        value["reference_rf"] = reference.rf().into();
        println!("{value}");
    } else {
        println!(
            "reservation {}  reference {}  ({})  {}  due {}  {}",
            reservation.id,
            reference.grouped(),
            reference.rf(),
            Money::from_cents(reservation.total_cents),
            reservation.due_date,
            reservation.state
        );
    }
    Ok(())
}

fn reservation_command(services: &mut Services, command: ReservationCommand) -> Result<(), String> {
    match command {
        ReservationCommand::List { open, json } => {
            let reservations = services.reservations(open).map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&reservations).map_err(|e| e.to_string())?
                );
            } else {
                for reservation in &reservations {
                    print_reservation(reservation, false)?;
                }
            }
        }
        ReservationCommand::Check {
            reference,
            all,
            auth,
            json,
        } => {
            let session = auth.session(services)?;
            let checks = if all {
                services
                    .check_open_reservations(&session)
                    .map_err(|e| e.to_string())?
            } else {
                let reference = reference.unwrap_or_default();
                vec![
                    services
                        .check_reservation(&session, &reference)
                        .map_err(|e| e.to_string())?,
                ]
            };
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&checks).map_err(|e| e.to_string())?
                );
            } else {
                for check in &checks {
                    let order = check
                        .order_number
                        .map(|n| format!(" (order {n})"))
                        .unwrap_or_default();
                    println!(
                        "{}  {}{order}  {}",
                        check.reference, check.outcome, check.detail
                    );
                }
            }
            if checks
                .iter()
                .any(|c| c.outcome == "unreachable" || c.outcome == "refused")
            {
                return Err("the bank could not answer every check (see above)".into());
            }
        }
        ReservationCommand::Release {
            reference,
            reason,
            auth,
        } => {
            let session = auth.session(services)?;
            let reservation = services
                .release_reservation(&session, &reference, &reason)
                .map_err(|e| e.to_string())?;
            print_reservation(&reservation, false)?;
        }
    }
    Ok(())
}

fn bank_settings_command(services: &mut Services, command: BankCommand) -> Result<(), String> {
    use boxoffice::app::bank::{BANK_PAYMENT_URL, BANK_QUERY_URL};
    match command {
        BankCommand::Settings {
            merchant,
            contract,
            payment_url,
            payment_url_alt,
            query_url,
            query_url_alt,
            user,
            pin,
        } => {
            if let (Some(merchant), Some(contract)) = (merchant, contract) {
                let (Some(user), Some(pin)) = (user, pin) else {
                    return Err("changing the bank settings needs --user and --pin".into());
                };
                let session = services.login(&user, &pin).map_err(|e| e.to_string())?;
                let settings = boxoffice::ledger::BankSettingsRow {
                    merchant,
                    contract,
                    payment_url: payment_url.unwrap_or_else(|| BANK_PAYMENT_URL.into()),
                    payment_url_alt,
                    query_url: query_url.unwrap_or_else(|| BANK_QUERY_URL.into()),
                    query_url_alt,
                };
                services
                    .set_bank_settings(&session, &settings)
                    .map_err(|e| e.to_string())?;
            }
            match services.bank_config() {
                Ok(config) => {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&config.settings).map_err(|e| e.to_string())?
                    );
                    for date in config.keys.dates() {
                        println!("key valid from {date}");
                    }
                }
                Err(error) => println!("{error}"),
            }
        }
        BankCommand::Key {
            command:
                BankKeyCommand::Add {
                    valid_from,
                    secret_stdin,
                    auth,
                },
        } => {
            if !secret_stdin {
                return Err("give the key on standard input with --secret-stdin".into());
            }
            let valid_from = chrono::NaiveDate::parse_from_str(&valid_from, "%Y-%m-%d")
                .map_err(|_| AppError::BadDate(valid_from.clone()).to_string())?;
            let mut secret = String::new();
            std::io::stdin()
                .read_line(&mut secret)
                .map_err(|e| e.to_string())?;
            let session = auth.session(services)?;
            services
                .add_bank_key(&session, valid_from, secret.trim())
                .map_err(|e| e.to_string())?;
            println!("key added, valid from {valid_from}");
        }
        BankCommand::Key {
            command: BankKeyCommand::List,
        } => match services.bank_config() {
            Ok(config) => {
                for date in config.keys.dates() {
                    println!("key valid from {date}");
                }
            }
            Err(error) => return Err(error.to_string()),
        },
        _ => unreachable!("pure bank commands are handled without the ledger"),
    }
    Ok(())
}

/// A bank payment at the counter: hold the tickets, open the bank's page in the customer's
/// browser, and sell when a verified reply comes back (or the payment query says paid).
fn sell_by_bank(
    services: &mut Services,
    session: &boxoffice::app::Session,
    request: &SaleRequest,
    no_browser: bool,
    wait: u64,
    json: bool,
) -> Result<(), String> {
    use boxoffice::app::bank::{CounterOutcome, CounterProgress, open_browser};
    use boxoffice::payments::reference::ReferenceNumber;
    let payment = services
        .start_counter_payment(session, request)
        .map_err(|e| e.to_string())?;
    let url = payment.listener.pay_url();
    let reference = ReferenceNumber::parse(&payment.reservation.reference)
        .map(|r| r.grouped())
        .unwrap_or_else(|_| payment.reservation.reference.clone());
    eprintln!(
        "boxoffice: bank page for the customer: {url} (reference {reference}, {})",
        Money::from_cents(payment.reservation.total_cents)
    );
    if !no_browser && let Err(error) = open_browser(&url) {
        eprintln!("boxoffice: could not open a browser ({error}); open {url} by hand");
    }
    let never = std::sync::atomic::AtomicBool::new(false);
    let outcome = services
        .finish_counter_payment(
            session,
            &payment,
            std::time::Duration::from_secs(wait),
            &never,
            |progress| {
                if let CounterProgress::Rejected(why) = progress {
                    eprintln!("boxoffice: {why}");
                }
            },
        )
        .map_err(|e| e.to_string())?;
    match outcome {
        CounterOutcome::Paid(order_number) => {
            let outcome = services
                .deliver(session, order_number)
                .map_err(|e| e.to_string())?;
            print_sale(&outcome, session.lang, json);
            if let Some(email) = request
                .customer_email
                .as_deref()
                .filter(|e| !e.trim().is_empty())
            {
                match services.queue_ticket_mail(Some(session), order_number, Some(email), false) {
                    Ok(mail_id) if !json => {
                        println!("tickets queued for mail to {email} (outbox {mail_id})")
                    }
                    Ok(_) => {}
                    Err(error) => eprintln!(
                        "boxoffice: the sale is recorded, but the tickets were not queued for mail: {error}"
                    ),
                }
            }
            Ok(())
        }
        CounterOutcome::NotPaid(why) => Err(format!("not paid ({why}); nothing was sold")),
        CounterOutcome::Unsettled(why) => Err(format!(
            "the bank could not say whether reference {reference} is paid ({why}); the tickets stay held until `boxoffice reservation check {}` settles it",
            payment.reservation.reference
        )),
    }
}

fn print_sale(outcome: &boxoffice::app::SaleOutcome, lang: Lang, json: bool) {
    let receipt = &outcome.receipt;
    if json {
        let value = serde_json::json!({
            "order_number": receipt.order_number,
            "receipt_number": receipt.receipt_number,
            "total_cents": receipt.total.cents(),
            "tendered_cents": receipt.tendered.map(Money::cents),
            "change_cents": receipt.change.map(Money::cents).unwrap_or(0),
            "rounding_cents": receipt.rounding.cents(),
            "tickets": receipt.tickets.iter().map(|t| serde_json::json!({
                "code": t.code,
                "category": t.category_name,
                "price_cents": t.price.cents(),
                "seat": t.seat.as_ref().map(|s| serde_json::json!({
                    "section": s.section, "row": s.row, "seat": s.seat,
                })),
            })).collect::<Vec<_>>(),
            "card": receipt.card.iter().map(|c| serde_json::json!({
                "amount_cents": c.amount.cents(),
                "brand": c.brand,
                "masked_pan": c.masked_pan,
                "approval_code": c.approval_code,
            })).collect::<Vec<_>>(),
            "printed": outcome.printed.as_ref().ok(),
            "print_error": outcome.printed.as_ref().err(),
        });
        println!("{value}");
    } else {
        print!("{}", receipt.to_text(lang));
    }
    if let Err(error) = &outcome.printed {
        eprintln!("boxoffice: the sale is recorded, but the tickets were not printed: {error}");
    }
}
