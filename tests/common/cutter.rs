//! A TCP relay in front of the test server that loses a transaction's `COMMIT` on purpose:
//! either its answer (the server commits, the counter never hears back) or the `COMMIT` itself
//! (the server rolls back when the connection closes), optionally with the server out of reach
//! for a while afterwards (every new connection closed at once).
#![allow(dead_code, clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What the armed cut does at the `COMMIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The `COMMIT` reaches the server; its answer never reaches the counter.
    Answer,
    /// The `COMMIT` never reaches the server (it rolls the transaction back).
    Commit,
    /// The counter's side is cut first and the `COMMIT` reaches the server only later: the
    /// counter asks by its operation id before the commit has landed.
    AnswerLate,
    /// The `COMMIT` and its answer go through; then the connection closes, so the counter's next
    /// statement (the read that shows what it recorded, the anchor) finds it dead.
    AfterAnswer,
}

#[derive(Default)]
struct Armed {
    pattern: Option<&'static [u8]>,
    cut: Option<Cut>,
    /// After the cut, refuse connections (the server is out of reach) until `restore`.
    down_after: bool,
}

pub struct CommitCutter {
    pub port: u16,
    armed: Arc<Mutex<Armed>>,
    down: Arc<AtomicBool>,
}

impl CommitCutter {
    /// A relay in front of the test database `db`, and the database's URL through it (the test
    /// superuser, no password in it, no TLS).
    pub fn in_front_of(db: &super::pg::TestDb) -> (CommitCutter, String) {
        let cutter = CommitCutter::start(db.port);
        let url = format!(
            "postgres://{}@127.0.0.1:{}/{}?sslmode=disable",
            super::pg::ADMIN,
            cutter.port,
            db.name
        );
        (cutter, url)
    }

    pub fn start(server_port: u16) -> CommitCutter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let armed: Arc<Mutex<Armed>> = Arc::default();
        let down: Arc<AtomicBool> = Arc::default();
        let (armed_relay, down_relay) = (armed.clone(), down.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if down_relay.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(upstream) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                relay(client, upstream, armed_relay.clone(), down_relay.clone());
            }
        });
        CommitCutter { port, armed, down }
    }

    /// The next commit of a transaction that sent `statement` loses its answer.
    pub fn arm(&self, statement: &'static [u8]) {
        self.arm_with(statement, Cut::Answer, false);
    }

    /// The next commit of a transaction that sent `statement` is cut as `cut` says; with
    /// `down_after`, the server stays out of reach until [`CommitCutter::restore`].
    pub fn arm_with(&self, statement: &'static [u8], cut: Cut, down_after: bool) {
        *self.armed.lock().unwrap() = Armed {
            pattern: Some(statement),
            cut: Some(cut),
            down_after,
        };
    }

    /// Whether the armed cut happened.
    pub fn fired(&self) -> bool {
        self.armed.lock().unwrap().pattern.is_none()
    }

    /// Whether the server is out of reach through the relay now.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::SeqCst)
    }

    /// The server is within reach again.
    pub fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

fn relay(client: TcpStream, upstream: TcpStream, armed: Arc<Mutex<Armed>>, down: Arc<AtomicBool>) {
    let (mut client_read, mut upstream_write) =
        (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let (mut upstream_read, mut client_write) = (upstream, client);
    let cut_client = client_read.try_clone().unwrap();
    let cut_upstream = upstream_write.try_clone().unwrap();
    // What the server's side does with the next answer: pass it on (false, false), drop it
    // (`muted`: the answer is lost), or pass it on and then close both sides (`close_after`).
    let muted: Arc<AtomicBool> = Arc::default();
    let close_after: Arc<AtomicBool> = Arc::default();
    let (muted_answers, close_after_answer) = (muted.clone(), close_after.clone());
    std::thread::spawn(move || {
        let mut buffer = [0_u8; 16384];
        let mut seen = false;
        while let Ok(n) = client_read.read(&mut buffer) {
            if n == 0 {
                break;
            }
            let chunk = &buffer[..n];
            let (pattern, cut) = {
                let armed = armed.lock().unwrap();
                (armed.pattern, armed.cut)
            };
            let commit = chunk.windows(6).any(|w| w == b"COMMIT");
            if let (Some(pattern), Some(cut)) = (pattern, cut) {
                seen |= chunk.windows(pattern.len()).any(|w| w == pattern);
                if seen && commit {
                    let taken = std::mem::take(&mut *armed.lock().unwrap());
                    if taken.down_after {
                        down.store(true, Ordering::SeqCst);
                    }
                    if cut == Cut::AfterAnswer {
                        close_after.store(true, Ordering::SeqCst);
                        let _ = upstream_write.write_all(chunk);
                        break;
                    }
                    // No answer reaches the counter from here on, however fast the server is.
                    muted.store(true, Ordering::SeqCst);
                    if cut == Cut::Answer {
                        let _ = upstream_write.write_all(chunk);
                    }
                    // The counter's side goes first, so no answer reaches it; the server's side
                    // stays open long enough for it to commit (or closes, and it rolls back).
                    let _ = cut_client.shutdown(Shutdown::Both);
                    if cut == Cut::AnswerLate {
                        std::thread::sleep(std::time::Duration::from_millis(1500));
                        let _ = upstream_write.write_all(chunk);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(300));
                    let _ = cut_upstream.shutdown(Shutdown::Both);
                    break;
                }
            }
            if upstream_write.write_all(chunk).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let mut buffer = [0_u8; 16384];
        while let Ok(n) = upstream_read.read(&mut buffer) {
            if n == 0 || muted_answers.load(Ordering::SeqCst) {
                break;
            }
            if client_write.write_all(&buffer[..n]).is_err() {
                break;
            }
            if close_after_answer.load(Ordering::SeqCst) {
                // The counter reads the answer whole before its connection ends.
                std::thread::sleep(std::time::Duration::from_millis(100));
                let _ = client_write.shutdown(Shutdown::Both);
                let _ = upstream_read.shutdown(Shutdown::Both);
                break;
            }
        }
    });
}
