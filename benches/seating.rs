//! Reserved seating at arena size: a 10,000-seat plan with half the seats sold.
//! - best available for 4 seats (target < 5 ms), against one pass that only counts free seats;
//! - one frame of the seat map: the shapes laid out from the seat states and tessellated by
//!   egui (target < 8 ms), against tessellating the same number of ready-made circles.
//!
//! It also prints the memory the GUI keeps for the plan. BENCHMARKS.md has the numbers.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

use std::hint::black_box;

use boxoffice::app::seats::{SeatState, SeatingView};
use boxoffice::domain::seating::{BestRequest, Seat, SeatPlan, Section, best_available};
use boxoffice::ui::{MapTransform, seat_shapes};
use criterion::{Criterion, criterion_group, criterion_main};
use egui::epaint::ClippedShape;
use egui::{Color32, Pos2, Rect, Shape};

/// 8 sections × 25 rows × 50 seats; ranks by row; about half sold in runs of 1–7 seats, so
/// rows have gaps of every size (a deterministic generator, the same every run).
fn arena() -> SeatingView {
    let mut sections = Vec::new();
    let mut seats = Vec::new();
    for s in 0..8u32 {
        let code = format!("S{}", s + 1);
        sections.push(Section {
            code: code.clone(),
            names: [code.clone(), code.clone(), code.clone()],
        });
        for row in 0..25u32 {
            for seat in 0..50u32 {
                seats.push(Seat {
                    id: i64::from(s * 10_000 + row * 100 + seat),
                    section: code.clone(),
                    row: (row + 1).to_string(),
                    number: (seat + 1).to_string(),
                    x: (s % 4) as f32 * 54.0 + seat as f32,
                    y: (s / 4) as f32 * 30.0 + row as f32,
                    rank: 1 + row / 5,
                    wheelchair: row == 24 && seat < 4,
                    companion: row == 24 && seat == 4,
                    restricted: false,
                });
            }
        }
    }
    let plan = SeatPlan::new(sections, seats);
    let mut state = 0x2545_f491_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut states = Vec::with_capacity(plan.seats.len());
    while states.len() < plan.seats.len() {
        let sold = next() % 2 == 0;
        let run = 1 + (next() % 7) as usize;
        for _ in 0..run.min(plan.seats.len() - states.len()) {
            states.push(if sold {
                SeatState::Sold
            } else {
                SeatState::Free
            });
        }
    }
    SeatingView {
        performance_id: boxoffice::domain::ids::PerformanceId(1),
        plan,
        states,
        zone_prices: Vec::new(),
    }
}

/// Bytes the GUI keeps for the plan and its states (vectors and their strings).
fn plan_bytes(view: &SeatingView) -> usize {
    let strings: usize = view
        .plan
        .seats
        .iter()
        .map(|s| s.section.capacity() + s.row.capacity() + s.number.capacity())
        .sum();
    view.plan.seats.capacity() * std::mem::size_of::<Seat>()
        + strings
        + std::mem::size_of_val(view.plan.rows())
        + view.states.capacity() * std::mem::size_of::<SeatState>()
}

fn seating(c: &mut Criterion) {
    let view = arena();
    let free = view.free_for(None);
    let n_free = free.iter().filter(|f| **f).count();
    eprintln!(
        "arena: {} seats, {n_free} free; plan in the GUI: {:.0} KiB ({} B per seat)",
        view.plan.seats.len(),
        plan_bytes(&view) as f64 / 1024.0,
        plan_bytes(&view) / view.plan.seats.len()
    );
    let request = BestRequest {
        count: 4,
        wheelchair: 0,
    };
    assert!(best_available(&view.plan, &free, request).is_some_and(|p| p.adjacent));

    let mut group = c.benchmark_group("seating");
    group.sample_size(100);
    group.bench_function("baseline: count free seats", |b| {
        b.iter(|| black_box(black_box(&free).iter().filter(|f| **f).count()))
    });
    group.bench_function("best available, 4 seats", |b| {
        b.iter(|| {
            black_box(best_available(
                black_box(&view.plan),
                black_box(&free),
                request,
            ))
        })
    });

    let ctx = egui::Context::default();
    let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    let screen = Rect::from_min_size(Pos2::ZERO, egui::vec2(560.0, 520.0));
    let transform = MapTransform::fit(&view.plan, screen, 1.0, egui::Vec2::ZERO);
    let circles: Vec<Shape> = view
        .plan
        .seats
        .iter()
        .map(|s| {
            Shape::circle_filled(
                transform.to_screen(s.x, s.y),
                transform.seat_radius(),
                Color32::GRAY,
            )
        })
        .collect();
    let clipped = |shapes: Vec<Shape>| -> Vec<ClippedShape> {
        shapes
            .into_iter()
            .map(|shape| ClippedShape {
                clip_rect: screen,
                shape,
                transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
            })
            .collect()
    };
    group.bench_function("baseline: tessellate 10,000 ready circles", |b| {
        b.iter(|| black_box(ctx.tessellate(clipped(circles.clone()), 1.0)))
    });
    group.bench_function("seat map frame: layout + tessellate", |b| {
        b.iter(|| {
            let transform = MapTransform::fit(&view.plan, screen, 1.0, egui::Vec2::ZERO);
            let shapes = seat_shapes(black_box(&view), "cart", &transform);
            black_box(ctx.tessellate(clipped(shapes), 1.0))
        })
    });
    group.finish();
}

criterion_group!(benches, seating);
criterion_main!(benches);
