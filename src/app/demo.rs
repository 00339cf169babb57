//! The demo box office: users, three events with Finnish/Swedish names, VAT rates.
// Every `let _ =` here drops the `fmt::Result` of writing into a `String`, which cannot fail.
#![allow(clippy::let_underscore_must_use)]

use crate::app::AdminError;
use crate::domain::ids::UserId;
use chrono::{Days, Local, NaiveTime, TimeZone};

use crate::ledger::{NewCategory, NewEvent, Tx};

use super::AppError;

/// Demo users and their PINs, shown on the login screen in demo mode.
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("cashier", "cashier", "1111"),
    ("staff", "staff", "2222"),
    ("manager", "manager", "9999"),
    ("admin", "admin", "0000"),
];

/// The demo shift's opening float.
pub const DEMO_FLOAT_CENTS: i64 = 15_000;

/// Finnish VAT rates as data: (class, valid from, basis points).
/// Admissions to cultural and entertainment events: 10 % until 2024, 14 % from 1.1.2025,
/// 13,5 % from 1.1.2026. General rate 25,5 % from 1.9.2024.
pub const VAT_RATES: &[(&str, &str, i64)] = &[
    ("general", "2013-01-01", 2400),
    ("general", "2024-09-01", 2550),
    ("culture", "2013-01-01", 1000),
    ("culture", "2025-01-01", 1400),
    ("culture", "2026-01-01", 1350),
];

struct DemoEvent {
    names: [&'static str; 3],
    venue: &'static str,
    organiser: &'static str,
    /// (days from today, hour, minute, capacity); a seated event's capacity is its plan's seats.
    performances: &'static [(u64, u32, u32, i64)],
    /// Numbered seats: the demo theatre's plan, with prices by zone (rank, [adult, child, senior]).
    seated: bool,
    categories: &'static [(&'static str, [&'static str; 3], i64, &'static str)],
}

const ADULT: [&str; 3] = ["Aikuinen", "Vuxen", "Adult"];
const CHILD: [&str; 3] = ["Lapsi", "Barn", "Child"];
const SENIOR: [&str; 3] = ["Eläkeläinen", "Pensionär", "Senior"];

const EVENTS: &[DemoEvent] = &[
    DemoEvent {
        names: ["Sibelius-konsertti", "Sibeliuskonsert", "Sibelius Concert"],
        venue: "Musiikkitalo, Helsinki",
        organiser: "Helsingin Kamarikuoro ry",
        performances: &[(7, 19, 0, 40)],
        seated: false,
        categories: &[
            ("adult", ADULT, 3500, "culture"),
            ("child", CHILD, 1500, "culture"),
            ("senior", SENIOR, 2900, "culture"),
        ],
    },
    DemoEvent {
        names: ["Nummisuutarit", "Sockenskomakarna", "The Heath Cobblers"],
        venue: "Åbo Svenska Teater, Turku",
        organiser: "Teatteri Kivi Oy",
        performances: &[(10, 19, 0, 300), (11, 14, 0, 300)],
        seated: true,
        categories: &[
            ("adult", ADULT, 1850, "culture"),
            ("child", CHILD, 900, "culture"),
            ("senior", SENIOR, 1500, "culture"),
        ],
    },
    DemoEvent {
        names: [
            "Saaristofestivaali – päivälippu",
            "Skärgårdsfestivalen – dagsbiljett",
            "Archipelago Festival – day pass",
        ],
        venue: "Kasnäs, Kemiönsaari",
        organiser: "Skärgårdsfestivalen rf",
        performances: &[(30, 12, 0, 50)],
        seated: false,
        categories: &[
            ("adult", ADULT, 6900, "culture"),
            ("child", CHILD, 3500, "culture"),
            ("senior", SENIOR, 5900, "culture"),
            (
                "parking",
                ["Pysäköinti", "Parkering", "Parking"],
                1000,
                "general",
            ),
        ],
    },
];

/// Zone prices of the demo theatre: rank 1 costs the category's own price.
const ZONE_PRICES: &[(u32, &str, i64)] = &[
    (2, "adult", 1600),
    (2, "child", 800),
    (2, "senior", 1300),
    (3, "adult", 1200),
    (3, "child", 600),
    (3, "senior", 1000),
];

/// The demo theatre as a plan CSV: stalls of 12 rows × 20 (rows 1–8 rank 1, 9–12 rank 2,
/// wheelchair places and companion seats at the ends of row 12) and a balcony of 4 rows × 15
/// (rank 2, the back two rows rank 3, the outer seats of the last row with a restricted view).
pub fn theatre_csv() -> String {
    use std::fmt::Write;
    let mut csv = String::from(crate::domain::seating::CSV_HEADER);
    csv.push('\n');
    let stalls = "Permanto,Parkett,Stalls";
    let balcony = "Parveke,Balkong,Balcony";
    for row in 1..=12u32 {
        for seat in 1..=20u32 {
            let x = f64::from(seat) - 10.5;
            let rank = if row <= 8 { 1 } else { 2 };
            let flags = match (row, seat) {
                (12, 1 | 2 | 19 | 20) => "wheelchair",
                (12, 3 | 18) => "companion",
                _ => "",
            };
            let _ = writeln!(csv, "stalls,{row},{seat},{x},{row},{rank},{flags},{stalls}");
        }
    }
    for row in 1..=4u32 {
        for seat in 1..=15u32 {
            let x = f64::from(seat) - 8.0;
            let y = 14 + row;
            let rank = if row <= 2 { 2 } else { 3 };
            let flags = if row == 4 && matches!(seat, 1 | 2 | 14 | 15) {
                "restricted"
            } else {
                ""
            };
            let _ = writeln!(csv, "balcony,{row},{seat},{x},{y},{rank},{flags},{balcony}");
        }
    }
    csv
}

/// Writes the demo users and catalogue into the caller's transaction; returns what was made.
pub fn seed(
    tx: &mut Tx<'_>,
    hash_pin: impl Fn(&str) -> String,
) -> Result<serde_json::Value, AppError> {
    let mut users = Vec::new();
    let mut first_user = None;
    for (name, role, pin) in DEMO_USERS {
        let id = tx.insert_user(name, role, &hash_pin(pin), "fi")?;
        first_user.get_or_insert(id);
        users.push(serde_json::json!({"id": id, "name": name, "role": role}));
    }
    // The demo counter is ready to sell: the cashier's shift is open with a 150,00 € float.
    let shift_id = tx.insert_shift(
        first_user.unwrap_or(UserId(1)),
        DEMO_FLOAT_CENTS,
        &Local::now().to_rfc3339(),
    )?;
    let mut events = Vec::new();
    let theatre = crate::domain::seating::parse_plan_csv(&theatre_csv())
        .map_err(|e| AppError::Admin(AdminError::Internal(e)))?;
    for event in EVENTS {
        events.push(seed_event(tx, event, &theatre, first_user)?);
    }
    Ok(serde_json::json!({
        "users": users,
        "events": events,
        "shift": {"shift_id": shift_id, "float_cents": DEMO_FLOAT_CENTS},
    }))
}

/// One demo event: its seat plan (if seated), performances and price categories.
fn seed_event(
    tx: &mut Tx<'_>,
    event: &DemoEvent,
    theatre: &crate::domain::seating::CsvPlan,
    first_user: Option<UserId>,
) -> Result<serde_json::Value, AppError> {
    let plan = if event.seated {
        let now = Local::now().to_rfc3339();
        let imported = super::seats::import_plan(tx, event.venue, theatre, first_user, &now)?;
        Some(imported.plan_id)
    } else {
        None
    };
    let event_id = tx.insert_event(&NewEvent {
        names: event.names,
        venue: event.venue,
        organiser: event.organiser,
        created_by: first_user,
    })?;
    let today = Local::now().date_naive();
    let mut performance_ids = Vec::new();
    for (days, hour, minute, capacity) in event.performances {
        let date = today.checked_add_days(Days::new(*days)).unwrap_or(today);
        let time = NaiveTime::from_hms_opt(*hour, *minute, 0).unwrap_or_default();
        let starts_at = Local
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .unwrap_or_else(Local::now)
            .to_rfc3339();
        let capacity = if plan.is_some() {
            theatre.seats.len() as i64
        } else {
            *capacity
        };
        let performance_id = tx.insert_performance(event_id, &starts_at, capacity)?;
        if let Some(plan_id) = plan {
            tx.set_performance_plan(performance_id, plan_id)?;
        }
        performance_ids.push(performance_id);
    }
    seed_categories(tx, event, event_id)?;
    Ok(
        serde_json::json!({"id": event_id, "name": event.names[0], "performances": performance_ids,
                          "seat_plan": plan}),
    )
}

/// A demo event's price categories, with the theatre's zone prices for a seated one.
fn seed_categories(tx: &mut Tx<'_>, event: &DemoEvent, event_id: i64) -> Result<(), AppError> {
    for (sort_order, (code, names, price_cents, vat_class)) in event.categories.iter().enumerate() {
        let category_id = tx.insert_category(
            event_id,
            sort_order as i64,
            &NewCategory {
                code,
                names: *names,
                price_cents: *price_cents,
                vat_class,
            },
        )?;
        if event.seated {
            for (rank, zone_code, zone_cents) in ZONE_PRICES {
                if zone_code == code {
                    tx.insert_zone_price(category_id, *rank, *zone_cents)?;
                }
            }
        }
    }
    Ok(())
}
