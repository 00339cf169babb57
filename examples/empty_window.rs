//! Baseline for the cold-start benchmark: an empty eframe window built exactly like the
//! box office's (same features, same options). With `BOXOFFICE_PROBE_FIRST_FRAME` set it
//! prints the time to its first frame and closes.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::time::Instant;

struct Empty {
    started: Instant,
    probe: bool,
}

impl eframe::App for Empty {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |_ui| {});
        if self.probe {
            self.probe = false;
            println!(
                "first frame after {:.1} ms",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

fn main() -> eframe::Result {
    let started = Instant::now();
    let probe = std::env::var_os("BOXOFFICE_PROBE_FIRST_FRAME").is_some();
    eframe::run_native(
        "Box office",
        boxoffice::ui::native_options(),
        Box::new(move |_cc| Ok(Box::new(Empty { started, probe }))),
    )
}
