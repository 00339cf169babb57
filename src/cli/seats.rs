//! `seatplan import|show|export|assign` and `seat hold|release|exchange`.

use boxoffice::domain::ids::PerformanceId;
use std::path::PathBuf;

use boxoffice::app::Services;
use clap::Subcommand;

use super::auth::Auth;
use super::error::{CliError, CliResult};
use super::output::{json_line, say, say_raw};

#[derive(Subcommand)]
pub enum SeatplanCommand {
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
pub enum SeatCommand {
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

pub fn parse_seats(list: &str) -> Result<Vec<boxoffice::domain::seating::SeatRef>, CliError> {
    let seats = boxoffice::domain::seating::SeatRef::parse_list(list).map_err(|bad| {
        format!("'{bad}' is not a seat: write SECTION:ROW:SEAT, e.g. stalls:5:10")
    })?;
    if seats.is_empty() {
        return Err("--seats needs at least one SECTION:ROW:SEAT".into());
    }
    Ok(seats)
}

pub fn seatplan_command(services: &mut Services, command: SeatplanCommand) -> CliResult {
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
            let imported = services.import_seat_plan(&session, &venue, &csv)?;
            if json {
                json_line(&imported)?;
            } else {
                say!(
                    "plan {} of {} imported: {} sections, {} seats",
                    imported.version,
                    imported.venue,
                    imported.sections,
                    imported.seats
                );
            }
        }
        SeatplanCommand::Show {
            name: Some(name),
            json,
            ..
        } => return show_plan(services, &name, json),
        SeatplanCommand::Show {
            performance: Some(performance),
            free,
            json,
            ..
        } => return show_seating(services, performance, free, json),
        SeatplanCommand::Show { .. } => {
            return Err("give a venue's name or --performance ID".into());
        }
        SeatplanCommand::Assign {
            performance,
            venue,
            auth,
        } => {
            let session = auth.session(services)?;
            let seats = services.assign_seat_plan(&session, PerformanceId(performance), &venue)?;
            say!("performance {performance} now has numbered seats: {seats} seats of {venue}");
        }
        SeatplanCommand::Export { name } => {
            say_raw!("{}", services.export_seat_plan(&name)?);
        }
    }
    Ok(())
}

/// `seatplan show VENUE`: the plan's sections and seats.
fn show_plan(services: &mut Services, name: &str, json: bool) -> CliResult {
    let plan = services.seat_plan(name)?;
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
        say!(
            "{}",
            serde_json::json!({"venue": name, "sections": sections, "seats": seats})
        );
    } else {
        say!("{name}: {} seats", plan.seats.len());
        for section in &plan.sections {
            let rows: Vec<_> = plan
                .rows()
                .iter()
                .filter(|r| plan.seats[r.start].section == section.code)
                .collect();
            let seats: usize = rows.iter().map(|r| r.len()).sum();
            say!(
                "  {} ({}): {} rows, {} seats",
                section.code,
                section.names.join(" / "),
                rows.len(),
                seats
            );
        }
    }
    Ok(())
}

/// `seatplan show --performance ID`: each seat's state (or only the free ones).
fn show_seating(services: &mut Services, performance: i64, free: bool, json: bool) -> CliResult {
    use boxoffice::app::seats::SeatState;
    let view = services
        .seating(PerformanceId(performance))?
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
        say!("{}", serde_json::Value::Array(list));
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
            say!("{:>8} {:>3}  {marks}", first.section, first.row);
        }
        say!(
            "free {} of {}",
            view.free_seats().len(),
            view.plan.seats.len()
        );
    }
    Ok(())
}

pub fn seat_command(services: &mut Services, command: SeatCommand) -> CliResult {
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
            let until = services.hold_seats(
                &session,
                PerformanceId(performance),
                &seats,
                &reason,
                release_before,
            )?;
            say!("{} seat(s) held ({reason}) until {until}", seats.len());
        }
        SeatCommand::Release {
            performance,
            seats,
            auth,
        } => {
            let session = auth.session(services)?;
            let seats = parse_seats(&seats)?;
            services.release_seats(&session, PerformanceId(performance), &seats)?;
            say!("{} seat(s) released", seats.len());
        }
        SeatCommand::Exchange { ticket, to, auth } => {
            let session = auth.session(services)?;
            let to = boxoffice::domain::seating::SeatRef::parse(&to)
                .ok_or(format!("'{to}' is not a seat: write SECTION:ROW:SEAT"))?;
            services.exchange_seat(&session, &ticket, &to)?;
            say!("ticket {ticket} moved to {to}");
        }
    }
    Ok(())
}
