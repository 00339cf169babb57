//! `boxoffice bench seed` and `bench queries`: a realistic ledger of any size and timings on it.

use crate::app::AdminError;

mod counter;
use crate::domain::Tender;
use std::time::Instant;

use chrono::{Days, Local, NaiveDate, TimeZone};

use super::services::random_bytes;
use super::{AppError, Services};
use crate::domain::ids::{OrderNumber, PerformanceId, ShiftId, UserId};
use crate::domain::{Cart, Money, PricedCategory, TicketCode, VatBasisPoints};
use crate::ledger::{NewCategory, NewEvent, NewRefund, NewSale, Tx};

const FIRST_NAMES: [&str; 16] = [
    "Aino", "Eino", "Helmi", "Väinö", "Sofia", "Oliver", "Elsa", "Leo", "Ebba", "Hugo", "Maja",
    "Elias", "Ilona", "Onni", "Saga", "Åke",
];
const LAST_NAMES: [&str; 16] = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Andersson",
    "Johansson",
    "Lindqvist",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Öberg",
    "Laine",
    "Berg",
    "Salo",
    "Holm",
];

/// A small, fast, deterministic generator (xorshift64*), so seeds repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SeedOutcome {
    pub orders: i64,
    pub tickets: i64,
    pub refunds: i64,
    pub performances: i64,
    pub seconds: f64,
}

/// One figure's median and maximum over its runs, in `unit` (microseconds, or a ratio).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Timing {
    pub name: String,
    pub runs: usize,
    pub median: f64,
    pub max: f64,
    /// The load average (1, 5, 15 minutes) when the timing ended, empty where unknown.
    pub load: String,
    /// What the figures are in: `µs`, or `×` for a ratio to a baseline timed in the same rounds.
    pub unit: &'static str,
}

impl Timing {
    /// The median and maximum of `samples`, in `unit`.
    pub(crate) fn of(name: &str, mut samples: Vec<f64>, unit: &'static str) -> Timing {
        samples.sort_by(f64::total_cmp);
        Timing {
            name: name.to_string(),
            runs: samples.len(),
            median: samples.get(samples.len() / 2).copied().unwrap_or(0.0),
            max: samples.last().copied().unwrap_or(0.0),
            load: load_average(),
            unit,
        }
    }
}

impl Services {
    /// Fills the ledger with `n_tickets` tickets: performances over the last 30 days and the next
    /// year, orders of 1–6 tickets with Finnish and Swedish names, cash and card, about 3 % of the
    /// orders refunded, one shift per day. Every sale goes through the same insert and journal
    /// code as a real one; sales are committed in batches of 2 000.
    pub fn bench_seed(
        &mut self,
        n_tickets: i64,
        progress: &mut dyn FnMut(i64),
    ) -> Result<SeedOutcome, AppError> {
        let started = Instant::now();
        if !self.ledger_mut().is_initialised() {
            self.init(false)?;
        }
        self.ledger_mut().bulk_cache(true)?;
        let seeded = self.seed_rows(n_tickets, progress);
        self.ledger_mut().bulk_cache(false)?;
        let (orders, tickets, refunds, n_performances) = seeded?;
        Ok(SeedOutcome {
            orders,
            tickets,
            refunds,
            performances: n_performances,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// The rows of [`Services::bench_seed`]: (orders, tickets, refunds, performances).
    fn seed_rows(
        &mut self,
        n_tickets: i64,
        progress: &mut dyn FnMut(i64),
    ) -> Result<(i64, i64, i64, i64), AppError> {
        let mut rng = Rng(0x5EED_B0C5_0FF1_CE00 ^ n_tickets as u64);
        let today = Local::now().date_naive();
        let n_performances = (n_tickets / 400).max(1);
        let (user_id, events) = self
            .ledger_mut()
            .transact(|tx| seed_catalogue(tx, n_performances, today))?;
        let (mut orders, mut tickets, mut refunds) = (0_i64, 0_i64, 0_i64);
        let days = 30_u64;
        while tickets < n_tickets {
            let batch_end = (tickets + 8_000).min(n_tickets);
            // Each batch belongs to one day, oldest first, and that day has its own shift.
            let day =
                today - Days::new(days - 1 - (tickets * days as i64 / n_tickets.max(1)) as u64);
            let written = self.ledger_mut().transact(|tx| {
                let shift_id = seed_shift(tx, user_id, day)?;
                let (mut n_orders, mut n_tickets_written, mut n_refunds) = (0, 0, 0);
                let mut written = tickets;
                while written < batch_end {
                    let order = SeedOrder {
                        shift_id,
                        user_id,
                        day,
                    };
                    let (n, refunded) = seed_order(tx, &mut rng, &events, &order)?;
                    n_refunds += i64::from(refunded);
                    n_orders += 1;
                    n_tickets_written += n;
                    written += n;
                }
                Ok::<_, AppError>((n_orders, n_tickets_written, n_refunds))
            })?;
            orders += written.0;
            tickets += written.1;
            refunds += written.2;
            progress(tickets);
        }
        Ok((orders, tickets, refunds, n_performances))
    }

    /// Times the look-ups a counter does all day on this ledger (medians of `runs`).
    pub fn bench_queries(&mut self, runs: usize) -> Result<Vec<Timing>, AppError> {
        let (codes, busiest_shift) = self.ledger_mut().read(|tx| {
            let codes = tx.sample_ticket_codes(runs as i64)?;
            let shift = tx.busiest_shift()?;
            Ok::<_, AppError>((codes, shift))
        })?;
        if codes.is_empty() || runs == 0 {
            return Err(AppError::Admin(AdminError::NothingToBenchmark));
        }
        let mut timings = Vec::new();
        self.bench_searches(&codes, runs, &mut timings)?;
        if let Some(shift_id) = busiest_shift {
            self.bench_z_figures(shift_id, runs.min(51), &mut timings)?;
        }
        self.bench_verify(runs.min(3), &mut timings)?;
        Ok(timings)
    }

    /// `verify` and its floors, round by round in the same run: `PRAGMA quick_check` alone, the
    /// sales' rows stepped alone, the same rows written as their text alone, the chain's hashes
    /// alone, and reading and hashing the file with `openssl sha256` and
    /// `sha256sum` (where they are installed; the ledger as it is on disk, its WAL aside). On
    /// the shared ledger: the chain's hashes alone and `pg_dump` of the database (where it is
    /// installed), the server's own way of reading every row once.
    fn bench_verify(&mut self, runs: usize, timings: &mut Vec<Timing>) -> Result<(), AppError> {
        let file = self.ledger_mut().path().to_path_buf();
        let shared = self.ledger_mut().is_shared();
        let internal = |what: String| AppError::Admin(AdminError::Internal(what));
        let mut samples: Vec<(&str, Vec<f64>)> = Vec::new();
        for _ in 0..runs {
            let mut timed = |name: &'static str, f: &mut dyn FnMut() -> Result<bool, AppError>| {
                let started = Instant::now();
                let counted = f()?;
                let us = started.elapsed().as_secs_f64() * 1e6;
                match samples.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, list)) if counted => list.push(us),
                    None if counted => samples.push((name, vec![us])),
                    _ => {}
                }
                Ok::<_, AppError>(())
            };
            timed(VERIFY, &mut || match self.ledger_mut().verify()? {
                Ok(_) => Ok(true),
                Err(failure) => Err(internal(failure.to_string())),
            })?;
            if !shared {
                timed(
                    QUICK_CHECK,
                    &mut || match self.ledger_mut().quick_check_alone()? {
                        true => Ok(true),
                        false => Err(internal("quick_check found damage".into())),
                    },
                )?;
                timed(ROWS_STEPPED, &mut || {
                    self.ledger_mut().sale_rows_alone()?;
                    Ok(true)
                })?;
                timed(
                    "verify floor: the sales' rows written as text alone",
                    &mut || {
                        self.ledger_mut().sale_texts_alone()?;
                        Ok(true)
                    },
                )?;
            }
            timed(HASHES, &mut || match self.ledger_mut().hash_walk_alone()? {
                Ok(_) => Ok(true),
                Err(failure) => Err(internal(failure.to_string())),
            })?;
            if shared {
                timed(PG_DUMP, &mut || Ok(self.ledger_mut().pg_dump_alone()))?;
                continue;
            }
            timed(OPENSSL, &mut || {
                Ok(hash_file("openssl", &["sha256"], &file))
            })?;
            timed("baseline: sha256sum of the file", &mut || {
                Ok(hash_file("sha256sum", &[], &file))
            })?;
        }
        let ratios = verify_ratios(&samples, shared);
        for (name, list) in &samples {
            timings.push(Timing::of(name, list.clone(), "µs"));
        }
        for (name, ratio) in ratios {
            if !ratio.is_empty() {
                timings.push(Timing::of(name, ratio, "×"));
            }
        }
        Ok(())
    }

    /// The searches counter staff type: a ticket code, a first name, a last name, the start of
    /// an e-mail; and a word that matches nothing, the floor of any search.
    fn bench_searches(
        &mut self,
        codes: &[String],
        runs: usize,
        timings: &mut Vec<Timing>,
    ) -> Result<(), AppError> {
        let mut rng = Rng(0xBE7C_4000_0000_0001);
        time_runs(
            timings,
            "ticket by code (search, one order)",
            codes.len().min(runs),
            &mut |i| {
                let hits = self.search_orders(&codes[i], 20)?;
                if hits.len() == 1 {
                    Ok(())
                } else {
                    Err(AppError::Admin(AdminError::Internal(format!(
                        "ticket {} found in {} orders",
                        codes[i],
                        hits.len()
                    ))))
                }
            },
        )?;
        time_runs(
            timings,
            "order search, a first name (20 newest)",
            runs,
            &mut |_| {
                self.search_orders(FIRST_NAMES[rng.below(16) as usize], 20)?;
                Ok(())
            },
        )?;
        time_runs(
            timings,
            "order search, a last name (20 newest)",
            runs,
            &mut |_| {
                self.search_orders(LAST_NAMES[rng.below(16) as usize], 20)?;
                Ok(())
            },
        )?;
        time_runs(
            timings,
            "order search, e-mail prefix (20 newest)",
            runs,
            &mut |_| {
                let first = FIRST_NAMES[rng.below(16) as usize].to_lowercase();
                let last = LAST_NAMES[rng.below(16) as usize].to_lowercase();
                self.search_orders(&format!("{first}.{last}{}", rng.below(100)), 20)?;
                Ok(())
            },
        )?;
        time_runs(
            timings,
            "order search, a name nobody has",
            runs,
            &mut |_| {
                self.search_orders("Zyxwvu", 20)?;
                Ok(())
            },
        )
    }

    /// The Z figures of a shift, by its running sums and by both paths over its rows (all three
    /// checked equal first), timed one after the other.
    fn bench_z_figures(
        &mut self,
        shift_id: ShiftId,
        runs: usize,
        timings: &mut Vec<Timing>,
    ) -> Result<(), AppError> {
        let [by_sums, by_runs, by_orders] = self.ledger_mut().read(|tx| {
            Ok::<_, AppError>([
                tx.shift_totals(shift_id)?,
                tx.shift_totals_summed_from_rows(shift_id)?,
                tx.shift_totals_order_by_order(shift_id)?,
            ])
        })?;
        if by_sums != by_runs || by_runs != by_orders {
            return Err(AppError::Admin(AdminError::Internal(format!(
                "the three ways of summing shift {shift_id} disagree: {by_sums:?} / {by_runs:?} / {by_orders:?}"
            ))));
        }
        time_runs(
            timings,
            "a day's Z report figures (busiest shift)",
            runs,
            &mut |_| {
                self.ledger_mut().read(|tx| tx.shift_totals(shift_id))?;
                Ok(())
            },
        )?;
        // The same figures summed from the rows, as before migration 0022 (the shift's orders
        // read as runs), and by the general path (each row checked against the shift's
        // orders), which was the only path before issue 16's second round: the befores beside
        // the after, in the same run.
        time_runs(
            timings,
            "a day's Z report figures, summed from the rows (busiest shift)",
            runs,
            &mut |_| {
                self.ledger_mut()
                    .read(|tx| tx.shift_totals_summed_from_rows(shift_id))?;
                Ok(())
            },
        )?;
        time_runs(
            timings,
            "a day's Z report figures, order by order (busiest shift)",
            runs,
            &mut |_| {
                self.ledger_mut()
                    .read(|tx| tx.shift_totals_order_by_order(shift_id))?;
                Ok(())
            },
        )
    }
}

/// The ratios issue 16 sets its target in, round by round (each figure against the baseline timed
/// beside it in the same round), so a faster or slower machine cannot hide them: verify's, and its
/// floor's (SQLite only).
fn verify_ratios(samples: &[(&str, Vec<f64>)], shared: bool) -> [(&'static str, Vec<f64>); 2] {
    let list = |name: &str| {
        samples
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[][..], |(_, list)| list.as_slice())
    };
    let baseline = list(if shared { PG_DUMP } else { OPENSSL });
    let per_round = |figure: &dyn Fn(usize) -> Option<f64>| -> Vec<f64> {
        (0..baseline.len())
            .filter_map(|i| Some(figure(i)? / baseline.get(i)?))
            .collect()
    };
    [
        (
            if shared {
                "verify ÷ pg_dump of the database"
            } else {
                "verify ÷ openssl sha256 of the file (target ≤ 2×)"
            },
            per_round(&|i| list(VERIFY).get(i).copied()),
        ),
        (
            // The parts any verify must do, alone, shared perfectly over two cores: what
            // no overlap of them can go below on this machine.
            "verify's floor ÷ openssl: (quick_check + rows stepped + hashes) alone / 2 cores",
            per_round(&|i| {
                let parts = [QUICK_CHECK, ROWS_STEPPED, HASHES].map(|name| list(name).get(i));
                Some((parts[0]? + parts[1]? + parts[2]?) / 2.0)
            }),
        ),
    ]
}

// The names of `bench_verify`'s lines the ratios are taken from.
const VERIFY: &str = "verify, whole chain and invariants";
const QUICK_CHECK: &str = "verify floor: PRAGMA quick_check alone";
const ROWS_STEPPED: &str = "verify floor: the sales' rows stepped alone";
const HASHES: &str = "verify floor: the chain's hashes alone";
const OPENSSL: &str = "baseline: openssl sha256 of the file";
const PG_DUMP: &str = "baseline: pg_dump of the database to /dev/null";

/// Times `f` `runs` times and adds the median and maximum to `timings`.
fn time_runs(
    timings: &mut Vec<Timing>,
    name: &str,
    runs: usize,
    f: &mut dyn FnMut(usize) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let started = Instant::now();
        f(i)?;
        samples.push(started.elapsed().as_secs_f64() * 1e6);
    }
    timings.push(Timing::of(name, samples, "µs"));
    Ok(())
}

/// An event of the seed: its id, priced categories and performances.
type SeedEvent = (i64, Vec<PricedCategory>, Vec<PerformanceId>);

/// The seed's user and catalogue: an event per four performances, three categories each,
/// performances one a day from today.
fn seed_catalogue(
    tx: &mut Tx<'_>,
    n_performances: i64,
    today: NaiveDate,
) -> Result<(UserId, Vec<SeedEvent>), AppError> {
    let user_id = match tx.user_by_name("bench")? {
        Some(user) => user.id,
        None => tx.insert_user("bench", "manager", "not-a-login", "fi")?,
    };
    let mut events: Vec<SeedEvent> = Vec::new();
    for p in 0..n_performances {
        if p % 4 == 0 {
            let event_id = tx.insert_event(&NewEvent {
                names: ["Penkkikonsertti", "Bänkkonsert", "Bench concert"],
                venue: "Halli",
                organiser: "Bench",
                created_by: Some(user_id),
            })?;
            let mut categories = Vec::new();
            for (i, (code, cents)) in [("adult", 3200), ("child", 1500), ("senior", 2600)]
                .iter()
                .enumerate()
            {
                let id = tx.insert_category(
                    event_id,
                    i as i64,
                    &NewCategory {
                        code,
                        names: [code, code, code],
                        price_cents: *cents,
                        vat_class: "culture",
                    },
                )?;
                categories.push(PricedCategory {
                    category_id: id,
                    code: code.to_string(),
                    unit_price: Money::from_cents(*cents),
                    vat_rate: VatBasisPoints(1350),
                });
            }
            events.push((event_id, categories, Vec::new()));
        }
        let date = today + Days::new(p as u64 % 365);
        let starts_at = Local
            .from_local_datetime(&date.and_hms_opt(19, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        let id = tx.insert_performance(events.last().map_or(0, |e| e.0), &starts_at, 1_000)?;
        if let Some(last) = events.last_mut() {
            last.2.push(id);
        }
    }
    Ok((user_id, events))
}

/// The shift of `day`: the open one if it opened that day, else a new one (an open shift of an
/// earlier day is closed first with a bare Z).
fn seed_shift(tx: &mut Tx<'_>, user_id: UserId, day: NaiveDate) -> Result<ShiftId, AppError> {
    Ok(match tx.open_shift()? {
        Some(shift) if shift.opened_at.starts_with(&day.to_string()) => shift.id,
        Some(shift) => {
            tx.insert_z_report(&crate::ledger::NewZReport {
                shift_id: shift.id,
                closed_by: user_id,
                closed_at: &shift.opened_at,
                first_receipt: None,
                last_receipt: None,
                content: &serde_json::json!({"kind": "Z", "seeded": true}),
            })?;
            tx.insert_shift(user_id, 20_000, &format!("{day}T08:00:00+02:00"))?
        }
        None => tx.insert_shift(user_id, 20_000, &format!("{day}T08:00:00+02:00"))?,
    })
}

/// Where a seeded order is sold.
struct SeedOrder {
    shift_id: ShiftId,
    user_id: UserId,
    day: NaiveDate,
}

/// One seeded order of 1–6 tickets, refunded about 3 % of the time: (tickets, refunded).
fn seed_order(
    tx: &mut Tx<'_>,
    rng: &mut Rng,
    events: &[SeedEvent],
    at: &SeedOrder,
) -> Result<(i64, bool), AppError> {
    let (shift_id, user_id, day) = (at.shift_id, at.user_id, at.day);
    let (_, categories, performance_ids) = &events[rng.below(events.len() as u64) as usize];
    let performance_id = performance_ids[rng.below(performance_ids.len() as u64) as usize];
    let mut cart = Cart::new();
    let n = 1 + rng.below(6) as u32;
    for _ in 0..n {
        cart.add(&categories[rng.below(categories.len() as u64) as usize], 1);
    }
    let totals = cart.totals();
    let codes: Vec<String> = (0..totals.n_tickets)
        .map(|_| TicketCode::from_random(random_bytes()).as_str().to_string())
        .collect();
    let first = FIRST_NAMES[rng.below(16) as usize];
    let last = LAST_NAMES[rng.below(16) as usize];
    let name = format!("{first} {last}");
    let email = format!(
        "{}.{}{}@example.fi",
        first.to_lowercase(),
        last.to_lowercase(),
        rng.below(1000)
    );
    let card = rng.below(10) < 4;
    let last4 = format!("{:04}", rng.below(10_000));
    let now = format!(
        "{day}T{:02}:{:02}:{:02}.000+02:00",
        9 + rng.below(12),
        rng.below(60),
        rng.below(60)
    );
    let tender = if card { Tender::Card } else { Tender::Cash };
    let record = tx.insert_sale(&NewSale {
        shift_id,
        user_id,
        performance_id,
        lang: "fi",
        lines: cart.lines(),
        ticket_codes: &codes,
        seats: &[],
        total_cents: totals.gross.cents(),
        tender,
        tendered_cents: (!card).then_some(totals.gross.cents()),
        change_cents: (!card).then_some(0),
        card_last4: card.then_some(last4.as_str()),
        customer_name: Some(&name),
        customer_email: Some(&email),
        training: false,
        now: &now,
    })?;
    let refunded = rng.below(100) < 3;
    if refunded {
        seed_refund(
            tx,
            record.order_number,
            at,
            (tender, totals.gross.cents()),
            &now,
        )?;
    }
    Ok((i64::from(totals.n_tickets), refunded))
}

/// Refunds the whole of a seeded order in its shift.
fn seed_refund(
    tx: &mut Tx<'_>,
    order_id: OrderNumber,
    at: &SeedOrder,
    (tender, amount_cents): (Tender, i64),
    now: &str,
) -> Result<(), AppError> {
    let lines = tx.refundable_lines(order_id)?;
    let rows: Vec<(i64, i64, i64, i64)> = lines
        .iter()
        .map(|l| {
            let vat = crate::domain::vat_included(
                Money::from_cents(l.gross_cents),
                VatBasisPoints(l.vat_basis_points),
            );
            (l.line_id, l.quantity, l.gross_cents, vat.cents())
        })
        .collect();
    let ids: Vec<i64> = lines
        .iter()
        .flat_map(|l| l.valid_tickets.iter().map(|(id, _)| *id))
        .collect();
    tx.insert_refund(&NewRefund {
        order_id,
        shift_id: at.shift_id,
        user_id: at.user_id,
        authorised_by: at.user_id,
        reason_code: "customer_request",
        reason_text: "",
        tender,
        amount_cents,
        lines: &rows,
        ticket_ids: &ids,
        now,
    })?;
    Ok(())
}

/// Reads and hashes `file` with an installed tool (`false` where it is not installed or fails).
fn hash_file(tool: &str, args: &[&str], file: &std::path::Path) -> bool {
    std::process::Command::new(tool)
        .args(args)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The load average (1, 5, 15 minutes) as Linux gives it, empty elsewhere.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
