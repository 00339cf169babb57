//! `boxoffice bench counter` (issue 16): the cashier's wait for a cash sale at the counter, from
//! the command sent to the GUI's service thread (`app::worker`) to the sale's outcome event
//! received, against the same sale alone (`Services::sell` on a connection of its own, in the
//! same run, rounds interleaved).

use std::time::{Duration, Instant};

use super::Timing;
use crate::app::worker::{
    Command, Event, Pay, SaleCommand, SaleEvent, SessionCommand, SessionEvent, Worker,
};
use crate::app::{AdminError, AppError, SaleRequest, Services, Session};
use crate::domain::Money;

/// How long the bench waits for one answer of the service thread.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

fn internal(what: String) -> AppError {
    AppError::Admin(AdminError::Internal(what))
}

fn micros(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e6
}

/// The next event that `pick` takes, skipping the others (mail status, catalog, …).
fn answer<T>(worker: &Worker, mut pick: impl FnMut(Event) -> Option<T>) -> Result<T, AppError> {
    let deadline = Instant::now() + ANSWER_WITHIN;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match worker.recv_timeout(left) {
            Some(event) => {
                if let Some(found) = pick(event) {
                    return Ok(found);
                }
            }
            None => break,
        }
    }
    Err(internal(format!(
        "the service thread did not answer within {} s",
        ANSWER_WITHIN.as_secs()
    )))
}

/// A cash sale sent to the service thread: the time to its outcome event.
fn worker_sale(worker: &Worker, session: &Session, request: &SaleRequest) -> Result<f64, AppError> {
    let started = Instant::now();
    worker.send(Command::Sale(SaleCommand::Sell {
        session: session.clone(),
        request: request.clone(),
        pay: Pay::Cash,
    }));
    answer(worker, |event| match event {
        Event::Sale(SaleEvent::SaleCompleted(_)) => Some(Ok(micros(started))),
        Event::Sale(SaleEvent::SaleFailed(why)) => Some(Err(internal(why))),
        _ => None,
    })?
}

impl Services {
    /// Runs `rounds` rounds, each: the sale alone on this connection; after `pause`, a sale
    /// through the service thread (the cashier who rings up a sale after the last one was long
    /// done); right after its outcome, another (the cashier who starts the next sale at once,
    /// while the service thread may still be busy after the first). Medians and maxima.
    pub fn bench_counter(
        &mut self,
        rounds: usize,
        pause: Duration,
    ) -> Result<Vec<Timing>, AppError> {
        let session = self.login("cashier", "1111")?;
        let performance = self
            .catalog(session.lang)?
            .into_iter()
            .filter(|p| !p.seated && !p.categories.is_empty())
            .max_by_key(|p| p.remaining)
            .ok_or_else(|| internal("no free-seating performance on sale".into()))?;
        if performance.remaining < 3 * rounds as i64 {
            return Err(internal(format!(
                "performance {} has {} tickets left, {} needed",
                performance.id.0,
                performance.remaining,
                3 * rounds
            )));
        }
        let request = SaleRequest {
            performance_id: performance.id,
            items: vec![(performance.categories[0].code.clone(), 1)],
            tendered: Money::from_cents(100_000),
            ..SaleRequest::default()
        };
        let worker = Worker::spawn(self.data_dir().to_path_buf(), || {});
        answer(&worker, |event| match event {
            Event::Session(SessionEvent::Ready { .. }) => Some(Ok(())),
            Event::Session(SessionEvent::StartFailed(why)) => Some(Err(internal(why))),
            _ => None,
        })??;
        worker.send(Command::Session(SessionCommand::Login {
            name: "cashier".into(),
            pin: "1111".into(),
            lang: session.lang,
        }));
        let worker_session = answer(&worker, |event| match event {
            Event::Session(SessionEvent::LoggedIn(session)) => Some(Ok(session)),
            Event::Session(SessionEvent::LoginFailed(why)) => Some(Err(internal(why))),
            _ => None,
        })??;
        let (mut alone, mut after_pause, mut at_once) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            std::thread::sleep(pause);
            let started = Instant::now();
            self.sell(&session, &request)?;
            alone.push(micros(started));
            std::thread::sleep(pause);
            after_pause.push(worker_sale(&worker, &worker_session, &request)?);
            at_once.push(worker_sale(&worker, &worker_session, &request)?);
        }
        drop(worker);
        Ok([
            ("the sale alone (Services::sell, no anchor)", alone),
            ("counter: sale sent → outcome, after a pause", after_pause),
            ("counter: the next sale sent at once → outcome", at_once),
        ]
        .into_iter()
        .map(|(name, samples)| Timing::of(name, samples, "µs"))
        .collect())
    }
}
