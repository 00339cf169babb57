//! `reserve` and `reservation list|check|release`: tickets held against a reference number.

use boxoffice::app::AdminError;
use boxoffice::app::bank::ReservationRequest;
use boxoffice::app::{AppError, SaleRequest, Services};
use boxoffice::domain::Money;
use boxoffice::domain::ids::PerformanceId;
use clap::Subcommand;

use super::auth::Auth;
use super::error::CliResult;
use super::output::{json_line, json_pretty, say};
use super::sale::parse_tickets;

/// Hold tickets for a phone or mail order until a due date, against a reference number.
#[derive(clap::Args)]
pub struct ReserveArgs {
    #[arg(long)]
    pub performance: i64,
    /// CODE=N[,CODE=N…]
    #[arg(long)]
    pub tickets: String,
    /// Last day to pay, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub due: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[command(flatten)]
    pub auth: Auth,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum ReservationCommand {
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

pub fn reserve(services: &mut Services, args: ReserveArgs) -> CliResult {
    let ReserveArgs {
        performance,
        tickets,
        due,
        name,
        email,
        phone,
        auth,
        json,
    } = args;
    let due_date = due
        .map(|d| {
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|_| AppError::Admin(AdminError::BadDate(d)).to_string())
        })
        .transpose()?;
    let session = auth.session(services)?;
    let reservation = services.reserve(
        &session,
        &ReservationRequest {
            sale: SaleRequest {
                performance_id: PerformanceId(performance),
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
    )?;
    print_reservation(&reservation, json)?;
    Ok(())
}

pub fn print_reservation(reservation: &boxoffice::ledger::ReservationRow, json: bool) -> CliResult {
    use boxoffice::payments::reference::ReferenceNumber;
    let reference = ReferenceNumber::parse(&reservation.reference)?;
    if json {
        let mut value = serde_json::to_value(reservation)?;
        value["reference_grouped"] = reference.grouped().into();
        value["reference_rf"] = reference.rf().into();
        say!("{value}");
    } else {
        say!(
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

pub fn reservation_command(services: &mut Services, command: ReservationCommand) -> CliResult {
    match command {
        ReservationCommand::List { open, json } => {
            let reservations = services.reservations(open)?;
            if json {
                json_pretty(&reservations)?;
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
                services.check_open_reservations(&session)?
            } else {
                let reference = reference.unwrap_or_default();
                vec![services.check_reservation(&session, &reference)?]
            };
            if json {
                json_line(&checks)?;
            } else {
                for check in &checks {
                    let order = check
                        .order_number
                        .map(|n| format!(" (order {n})"))
                        .unwrap_or_default();
                    say!(
                        "{}  {}{order}  {}",
                        check.reference,
                        check.outcome,
                        check.detail
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
            let reservation = services.release_reservation(&session, &reference, &reason)?;
            print_reservation(&reservation, false)?;
        }
    }
    Ok(())
}
