//! `shift open|cash-in|cash-out|drawer|x|close|z|end-day|day` and `report`.

use boxoffice::app::Services;
use boxoffice::domain::Money;
use clap::Subcommand;

use super::auth::{Approval, Auth};
use super::error::CliResult;
use super::output::ReportFormat;
use super::output::{json_pretty, say, say_raw};

#[derive(Subcommand)]
pub enum ShiftCommand {
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
        /// This is the trading day's last close: make the day's Z report too (one per day).
        #[arg(long)]
        end_of_day: bool,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
        #[command(flatten)]
        approval: Approval,
    },
    /// Show a shift's close report again.
    Z {
        number: i64,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
    },
    /// End the trading day: its Z report, numbered per register, covering every shift of the
    /// day (all closed). One per day; a day left without one gets it when the next day opens.
    EndDay {
        /// The trading day, YYYY-MM-DD (default: the newest day with shifts and no Z yet).
        #[arg(long)]
        day: Option<String>,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
    },
    /// Show a day's Z report again.
    Day {
        number: i64,
        #[command(flatten)]
        format: ReportFormat,
        #[command(flatten)]
        auth: Auth,
    },
}

/// Reports over dates: sales, refunds or z (managers).
#[derive(clap::Args)]
pub struct ReportArgs {
    /// sales, refunds or z
    pub kind: String,
    /// First day, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: the first day).
    #[arg(long)]
    pub to: Option<String>,
    #[command(flatten)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub auth: Auth,
}

pub fn report(services: &mut Services, args: ReportArgs) -> CliResult {
    let ReportArgs {
        kind,
        from,
        to,
        format,
        auth,
    } = args;
    let from = from.unwrap_or_else(|| chrono::Local::now().date_naive().to_string());
    let to = to.unwrap_or_else(|| from.clone());
    let session = auth.session(services)?;
    let tables = services.report(&session, &kind, &from, &to)?;
    super::output::tables(&tables, &format)
}

/// `shift drawer`: the drawer opened without a sale (logged, with an approval where needed).
fn open_drawer(
    services: &mut Services,
    reason: &str,
    auth: &Auth,
    approval: &Approval,
) -> CliResult {
    let session = auth.session(services)?;
    let approver = approval.login(services)?;
    services.open_drawer(&session, approver.as_ref(), reason)?;
    say!("drawer opened without a sale (logged)");
    Ok(())
}

/// What `shift end-day` made: as JSON a list (the day's Z, after those of earlier days left
/// without one), as text each report.
fn print_day_end(made: &[boxoffice::app::ShiftReport], format: &ReportFormat) -> CliResult {
    if format.json {
        json_pretty(&made)?;
    } else {
        for report in made {
            print_report(report, format)?;
        }
    }
    Ok(())
}

pub fn move_cash_command(
    services: &mut Services,
    movement: boxoffice::app::CashMovement,
    amount: &str,
    reason: &str,
    auth: &Auth,
    approval: &Approval,
) -> CliResult {
    let value = Money::parse(amount)?;
    let session = auth.session(services)?;
    let approver = approval.login(services)?;
    let in_drawer = services.move_cash(&session, approver.as_ref(), movement, value, reason)?;
    let done = match movement {
        boxoffice::app::CashMovement::CashIn => "put in the drawer",
        boxoffice::app::CashMovement::CashOut => "taken from the drawer",
    };
    say!("{value} {done}; it should now hold {in_drawer}");
    Ok(())
}

/// An X or Z report as JSON, CSV or text (with the audit lines); a close that ended the day
/// carries the day's Z after it.
fn print_report(report: &boxoffice::app::ShiftReport, format: &ReportFormat) -> CliResult {
    if format.json {
        json_pretty(report)?;
    } else if format.csv {
        say_raw!("{}", report.to_csv());
        if let Some(day_z) = &report.day_z {
            say_raw!("{}", day_z.to_csv());
        }
    } else {
        say_raw!("{}", report.to_text_with_audit(boxoffice::i18n::Lang::En));
    }
    Ok(())
}

pub fn shift_command(services: &mut Services, command: ShiftCommand) -> CliResult {
    use boxoffice::app::CashMovement;
    match command {
        ShiftCommand::Open { float_amount, auth } => {
            let float = Money::parse(&float_amount)?;
            let session = auth.session(services)?;
            let shift_id = services.open_shift(&session, float)?;
            say!("shift {shift_id} opened with a float of {float}");
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
        } => open_drawer(services, &reason, &auth, &approval)?,
        ShiftCommand::X { format, auth } => {
            let session = auth.session(services)?;
            print_report(&services.x_report(&session)?, &format)?;
        }
        ShiftCommand::Close {
            count,
            comment,
            end_of_day,
            format,
            auth,
            approval,
        } => close_shift(
            services, &count, &comment, end_of_day, &format, &auth, &approval,
        )?,
        ShiftCommand::EndDay { day, format, auth } => {
            let session = auth.session(services)?;
            let made = services.end_day(&session, day.as_deref())?;
            print_day_end(&made, &format)?;
        }
        ShiftCommand::Day {
            number,
            format,
            auth,
        } => {
            let session = auth.session(services)?;
            print_report(&services.day_z_report(&session, number)?, &format)?;
        }
        ShiftCommand::Z {
            number,
            format,
            auth,
        } => {
            let session = auth.session(services)?;
            print_report(&services.z_report(&session, number)?, &format)?;
        }
    }
    Ok(())
}

/// `shift close`: the drawer count in the register's currency, the Z report printed.
fn close_shift(
    services: &mut Services,
    count: &str,
    comment: &str,
    end_of_day: bool,
    format: &ReportFormat,
    auth: &Auth,
    approval: &Approval,
) -> CliResult {
    let currency = boxoffice::domain::Currency::parse(&services.seller_settings()?.currency)
        .unwrap_or_default();
    let count = boxoffice::domain::drawer::DrawerCount::parse_in(count, currency)?;
    let session = auth.session(services)?;
    let approver = approval.login(services)?;
    print_report(
        &services.close_shift_ending_day(
            &session,
            approver.as_ref(),
            &count,
            comment,
            end_of_day,
        )?,
        format,
    )
}
