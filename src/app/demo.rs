//! The demo box office: users, three events with Finnish/Swedish names, VAT rates.

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
    /// (days from today, hour, minute, capacity)
    performances: &'static [(u64, u32, u32, i64)],
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
        performances: &[(10, 19, 0, 30), (11, 14, 0, 30)],
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
        first_user.unwrap_or(1),
        DEMO_FLOAT_CENTS,
        &Local::now().to_rfc3339(),
    )?;
    let today = Local::now().date_naive();
    let mut events = Vec::new();
    for event in EVENTS {
        let event_id = tx.insert_event(&NewEvent {
            names: event.names,
            venue: event.venue,
            organiser: event.organiser,
            created_by: first_user,
        })?;
        let mut performance_ids = Vec::new();
        for (days, hour, minute, capacity) in event.performances {
            let date = today.checked_add_days(Days::new(*days)).unwrap_or(today);
            let time = NaiveTime::from_hms_opt(*hour, *minute, 0).unwrap_or_default();
            let starts_at = Local
                .from_local_datetime(&date.and_time(time))
                .earliest()
                .unwrap_or_else(Local::now)
                .to_rfc3339();
            performance_ids.push(tx.insert_performance(event_id, &starts_at, *capacity)?);
        }
        for (sort_order, (code, names, price_cents, vat_class)) in
            event.categories.iter().enumerate()
        {
            tx.insert_category(
                event_id,
                sort_order as i64,
                &NewCategory {
                    code,
                    names: *names,
                    price_cents: *price_cents,
                    vat_class,
                },
            )?;
        }
        events.push(serde_json::json!({"id": event_id, "name": event.names[0], "performances": performance_ids}));
    }
    Ok(serde_json::json!({
        "users": users,
        "events": events,
        "shift": {"shift_id": shift_id, "float_cents": DEMO_FLOAT_CENTS},
    }))
}
