//! Seat plans and "best available": pure, no I/O.
//!
//! A plan is a list of seats sorted by (section, row, x); a row is a range of that list, so
//! neighbours in a row are neighbours in the list. Best available scans each row's runs of
//! free seats once: O(seats) for any request.

use std::ops::Range;

/// A section of a plan, with its name in fi/sv/en.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub code: String,
    pub names: [String; 3],
}

/// One seat. `rank` 1 is the best price zone; higher numbers are worse seats.
#[derive(Debug, Clone, PartialEq)]
pub struct Seat {
    pub id: i64,
    pub section: String,
    pub row: String,
    pub number: String,
    pub x: f32,
    pub y: f32,
    pub rank: u32,
    pub wheelchair: bool,
    pub companion: bool,
    pub restricted: bool,
}

impl Seat {
    /// `SECTION:ROW:SEAT`, the form the CLI takes.
    pub fn label(&self) -> String {
        format!("{}:{}:{}", self.section, self.row, self.number)
    }

    /// The flags as written in a plan's CSV: `wheelchair|companion|restricted`.
    pub fn flags_text(&self) -> String {
        [
            (self.wheelchair, "wheelchair"),
            (self.companion, "companion"),
            (self.restricted, "restricted"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join("|")
    }
}

/// `SECTION:ROW:SEAT` as a cashier or the CLI writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SeatRef {
    pub section: String,
    pub row: String,
    pub seat: String,
}

impl SeatRef {
    pub fn parse(text: &str) -> Option<SeatRef> {
        let mut parts = text.trim().split(':').map(str::trim);
        let (Some(section), Some(row), Some(seat), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        if section.is_empty() || row.is_empty() || seat.is_empty() {
            return None;
        }
        Some(SeatRef {
            section: section.to_string(),
            row: row.to_string(),
            seat: seat.to_string(),
        })
    }

    /// A comma-separated list; the first bad entry is returned as the error.
    pub fn parse_list(text: &str) -> Result<Vec<SeatRef>, String> {
        text.split(',')
            .filter(|part| !part.trim().is_empty())
            .map(|part| SeatRef::parse(part).ok_or_else(|| part.trim().to_string()))
            .collect()
    }
}

impl std::fmt::Display for SeatRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.section, self.row, self.seat)
    }
}

/// A seat plan ready for drawing and for best available.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatPlan {
    pub sections: Vec<Section>,
    /// Sorted by (section order, row order, x).
    pub seats: Vec<Seat>,
    rows: Vec<Range<usize>>,
}

impl SeatPlan {
    /// Sorts the seats into rows: sections in the order given, rows in order of first
    /// appearance (the CSV's order), seats in a row left to right.
    pub fn new(sections: Vec<Section>, mut seats: Vec<Seat>) -> SeatPlan {
        let section_order = |code: &str| {
            sections
                .iter()
                .position(|s| s.code == code)
                .unwrap_or(usize::MAX)
        };
        let mut row_order: Vec<(String, String)> = Vec::new();
        for seat in &seats {
            let key = (seat.section.clone(), seat.row.clone());
            if !row_order.contains(&key) {
                row_order.push(key);
            }
        }
        let row_index = |seat: &Seat| {
            row_order
                .iter()
                .position(|(s, r)| *s == seat.section && *r == seat.row)
                .unwrap_or(usize::MAX)
        };
        let mut keyed: Vec<(usize, usize, Seat)> = seats
            .drain(..)
            .map(|seat| (section_order(&seat.section), row_index(&seat), seat))
            .collect();
        keyed.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.x.total_cmp(&b.2.x)));
        let seats: Vec<Seat> = keyed.into_iter().map(|(_, _, seat)| seat).collect();
        let mut rows = Vec::new();
        let mut start = 0;
        for index in 1..=seats.len() {
            if index == seats.len()
                || seats[index].section != seats[start].section
                || seats[index].row != seats[start].row
            {
                rows.push(start..index);
                start = index;
            }
        }
        SeatPlan {
            sections,
            seats,
            rows,
        }
    }

    /// Index ranges of the rows into `seats`.
    pub fn rows(&self) -> &[Range<usize>] {
        &self.rows
    }

    pub fn find(&self, seat: &SeatRef) -> Option<usize> {
        self.seats.iter().position(|s| {
            s.section.eq_ignore_ascii_case(&seat.section)
                && s.row == seat.row
                && s.number == seat.seat
        })
    }

    pub fn seat_ref(&self, index: usize) -> SeatRef {
        let seat = &self.seats[index];
        SeatRef {
            section: seat.section.clone(),
            row: seat.row.clone(),
            seat: seat.number.clone(),
        }
    }

    pub fn section(&self, code: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.code == code)
    }
}

/// What the cashier asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BestRequest {
    pub count: usize,
    /// How many of the seats must be wheelchair places (the rest sit next to them).
    pub wheelchair: usize,
}

/// Seats chosen by best available, as indices into [`SeatPlan::seats`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub seats: Vec<usize>,
    /// false when no block of `count` adjacent seats was left and this is the best split.
    pub adjacent: bool,
}

/// How good a block is; smaller is better, compared field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    /// Single free seats left stranded beside the block (never, when another choice exists).
    orphans: u32,
    rank: u32,
    /// Wheelchair places taken by someone who did not ask for one.
    wheelchair_misused: u32,
    restricted: u32,
    row: usize,
    /// Distance of the block's middle from the row's middle, in hundredths of a unit.
    off_centre: u32,
}

/// The best block of exactly `request.count` adjacent free seats, or `None` when no row has one.
/// `free[i]` says whether `plan.seats[i]` can be sold.
pub fn best_block(plan: &SeatPlan, free: &[bool], request: BestRequest) -> Option<Pick> {
    best_block_scored(plan, free, request).map(|(_, seats)| Pick {
        seats,
        adjacent: true,
    })
}

fn best_block_scored(
    plan: &SeatPlan,
    free: &[bool],
    request: BestRequest,
) -> Option<(Score, Vec<usize>)> {
    let n = request.count;
    if n == 0 || request.wheelchair > n {
        return None;
    }
    let mut best: Option<(Score, usize)> = None;
    for (row_no, row) in plan.rows.iter().enumerate() {
        let seats = &plan.seats[row.clone()];
        let row_middle = (seats[0].x + seats[seats.len() - 1].x) / 2.0;
        let mut run_start = row.start;
        while run_start < row.end {
            if !free[run_start] {
                run_start += 1;
                continue;
            }
            let mut run_end = run_start;
            while run_end < row.end && free[run_end] {
                run_end += 1;
            }
            if run_end - run_start >= n {
                for start in run_start..=run_end - n {
                    let block = &plan.seats[start..start + n];
                    let wheelchair = block.iter().filter(|s| s.wheelchair).count();
                    if wheelchair < request.wheelchair {
                        continue;
                    }
                    let left = start - run_start;
                    let right = run_end - (start + n);
                    let middle = (block[0].x + block[n - 1].x) / 2.0;
                    let score = Score {
                        orphans: u32::from(left == 1) + u32::from(right == 1),
                        rank: block.iter().map(|s| s.rank).max().unwrap_or(u32::MAX),
                        wheelchair_misused: (wheelchair - request.wheelchair) as u32,
                        restricted: block.iter().filter(|s| s.restricted).count() as u32,
                        row: row_no,
                        off_centre: ((middle - row_middle).abs() * 100.0) as u32,
                    };
                    if best.is_none_or(|(b, _)| score < b) {
                        best = Some((score, start));
                    }
                }
            }
            run_start = run_end;
        }
    }
    best.map(|(score, start)| (score, (start..start + n).collect()))
}

/// Best available: the best block of adjacent seats; when no row has one, the best split
/// (as few pieces as possible, each the best block of its size), which the cashier may accept
/// or refuse. `None` when there are not enough free seats (or wheelchair places) at all.
pub fn best_available(plan: &SeatPlan, free: &[bool], request: BestRequest) -> Option<Pick> {
    if let Some(pick) = best_block(plan, free, request) {
        return Some(pick);
    }
    let mut free = free.to_vec();
    let mut chosen = Vec::new();
    let mut left = request.count;
    let mut wheelchair_left = request.wheelchair;
    while left > 0 {
        let piece = (1..=left).rev().find_map(|size| {
            best_block_scored(
                plan,
                &free,
                BestRequest {
                    count: size,
                    wheelchair: wheelchair_left.min(size),
                },
            )
        });
        let (_, seats) = piece?;
        for &index in &seats {
            free[index] = false;
            if plan.seats[index].wheelchair && wheelchair_left > 0 {
                wheelchair_left -= 1;
            }
        }
        left -= seats.len();
        chosen.extend(seats);
    }
    Some(Pick {
        seats: chosen,
        adjacent: false,
    })
}

/// A seat of a plan as read from CSV, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvPlan {
    pub sections: Vec<Section>,
    pub seats: Vec<Seat>,
}

/// The CSV header of a plan. The last three columns (section names) are optional.
pub const CSV_HEADER: &str = "section,row,seat,x,y,rank,flags,section_fi,section_sv,section_en";

/// Parses a plan: `section,row,seat,x,y,rank,flags[,section_fi,section_sv,section_en]`, one seat
/// per line, a header line first. Flags are `wheelchair`, `companion`, `restricted` joined by `|`.
/// Errors name the line and the field.
pub fn parse_plan_csv(text: &str) -> Result<CsvPlan, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or("the plan file is empty")?;
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    if columns.len() < 7 || columns[..7] != CSV_HEADER.split(',').take(7).collect::<Vec<_>>()[..] {
        return Err(format!(
            "line 1: the header must start with section,row,seat,x,y,rank,flags (found '{header}')"
        ));
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut seats: Vec<Seat> = Vec::new();
    for (index, line) in lines {
        let at = index + 1;
        if line.contains('"') {
            return Err(format!("line {at}: quotes are not allowed in a plan file"));
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 7 && fields.len() != 10 {
            return Err(format!(
                "line {at}: expected 7 or 10 fields, found {}",
                fields.len()
            ));
        }
        let seat = seat_from_fields(at, &fields)?;
        if seats
            .iter()
            .any(|s| s.section == seat.section && s.row == seat.row && s.number == seat.number)
        {
            return Err(format!("line {at}: seat {} appears twice", seat.label()));
        }
        let names = if fields.len() == 10 {
            [fields[7], fields[8], fields[9]].map(str::to_string)
        } else {
            [(); 3].map(|_| seat.section.clone())
        };
        match sections.iter_mut().find(|s| s.code == seat.section) {
            Some(section) if fields.len() == 10 => section.names = names,
            Some(_) => {}
            None => sections.push(Section {
                code: seat.section.clone(),
                names,
            }),
        }
        seats.push(seat);
    }
    if seats.is_empty() {
        return Err("the plan file has no seats".into());
    }
    Ok(CsvPlan { sections, seats })
}

/// One seat of a plan file from its fields (line `at`): section, row and seat without ':',
/// x and y numbers, a rank of 1 to 99, and the flags.
fn seat_from_fields(at: usize, fields: &[&str]) -> Result<Seat, String> {
    for (i, name) in ["section", "row", "seat"].iter().enumerate() {
        if fields[i].is_empty() || fields[i].contains(':') {
            return Err(format!("line {at}: {name} is empty or contains ':'"));
        }
    }
    let number = |i: usize, name: &str| {
        fields[i]
            .parse::<f32>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("line {at}: {name} '{}' is not a number", fields[i]))
    };
    let x = number(3, "x")?;
    let y = number(4, "y")?;
    let rank: u32 = fields[5]
        .parse()
        .ok()
        .filter(|r| (1..=99).contains(r))
        .ok_or_else(|| format!("line {at}: rank '{}' is not 1 to 99", fields[5]))?;
    let mut seat = Seat {
        id: 0,
        section: fields[0].to_string(),
        row: fields[1].to_string(),
        number: fields[2].to_string(),
        x,
        y,
        rank,
        wheelchair: false,
        companion: false,
        restricted: false,
    };
    for flag in fields[6]
        .split('|')
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        match flag {
            "wheelchair" => seat.wheelchair = true,
            "companion" => seat.companion = true,
            "restricted" => seat.restricted = true,
            other => {
                return Err(format!(
                    "line {at}: unknown flag '{other}' (wheelchair, companion, restricted)"
                ));
            }
        }
    }
    Ok(seat)
}

/// The plan as CSV, in the form [`parse_plan_csv`] reads.
pub fn plan_csv(plan: &SeatPlan) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for seat in &plan.seats {
        let names = plan
            .section(&seat.section)
            .map(|s| s.names.clone())
            .unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            seat.section,
            seat.row,
            seat.number,
            seat.x,
            seat.y,
            seat.rank,
            seat.flags_text(),
            names[0],
            names[1],
            names[2]
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row per string: `.` free, `x` sold, `w` free wheelchair place; rank = row number.
    fn theatre(rows: &[&str]) -> (SeatPlan, Vec<bool>) {
        let mut seats = Vec::new();
        let mut free = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (i, c) in row.chars().enumerate() {
                seats.push(Seat {
                    id: seats.len() as i64 + 1,
                    section: "A".into(),
                    row: (r + 1).to_string(),
                    number: (i + 1).to_string(),
                    x: i as f32,
                    y: r as f32,
                    rank: r as u32 + 1,
                    wheelchair: c == 'w',
                    companion: false,
                    restricted: false,
                });
                free.push(c != 'x');
            }
        }
        let sections = vec![Section {
            code: "A".into(),
            names: ["A".into(), "A".into(), "A".into()],
        }];
        (SeatPlan::new(sections, seats), free)
    }

    fn labels(plan: &SeatPlan, pick: &Pick) -> Vec<String> {
        pick.seats.iter().map(|&i| plan.seats[i].label()).collect()
    }

    fn ask(count: usize) -> BestRequest {
        BestRequest {
            count,
            wheelchair: 0,
        }
    }

    #[test]
    fn takes_the_centre_of_the_best_row() {
        let (plan, free) = theatre(&["..........", ".........."]);
        let pick = best_available(&plan, &free, ask(2)).unwrap();
        assert!(pick.adjacent);
        assert_eq!(labels(&plan, &pick), ["A:1:5", "A:1:6"]);
    }

    #[test]
    fn a_row_with_gaps_uses_a_gap_that_fits() {
        // Gaps of 2, 3 and 1 seats: three adjacent seats fit only in the gap of three.
        let (plan, free) = theatre(&["x..x...x.x", ".........."]);
        let pick = best_available(&plan, &free, ask(3)).unwrap();
        assert_eq!(labels(&plan, &pick), ["A:1:5", "A:1:6", "A:1:7"]);
        // Four do not fit in row 1: the next rank's row has them.
        let pick = best_available(&plan, &free, ask(4)).unwrap();
        assert!(pick.adjacent);
        assert!(labels(&plan, &pick).iter().all(|l| l.starts_with("A:2:")));
    }

    #[test]
    fn never_leaves_a_single_orphan_seat_when_another_choice_exists() {
        // Row 1 has a gap of three: two seats there would strand one. Row 2 (a worse rank) has
        // a gap of four: two from its end strand nobody, so it wins.
        let (plan, free) = theatre(&["xx...xxxxx", "xx....xxxx"]);
        let pick = best_available(&plan, &free, ask(2)).unwrap();
        assert_eq!(labels(&plan, &pick), ["A:2:5", "A:2:6"]);
        // When every choice strands a seat, one is still offered.
        let (plan, free) = theatre(&["xx...xxxxx"]);
        let pick = best_available(&plan, &free, ask(2)).unwrap();
        assert_eq!(pick.seats.len(), 2);
    }

    #[test]
    fn orphan_at_the_end_of_a_row_counts_too() {
        // Seats 1–4 free at the row's end: taking 2–3 would strand seats 1 and 4.
        let (plan, free) = theatre(&["....xxxxxx"]);
        let pick = best_available(&plan, &free, ask(2)).unwrap();
        let got = labels(&plan, &pick);
        assert!(
            got == ["A:1:1", "A:1:2"] || got == ["A:1:3", "A:1:4"],
            "{got:?}"
        );
    }

    #[test]
    fn no_adjacent_block_left_falls_back_to_the_best_split() {
        let (plan, free) = theatre(&["..x..x..x.", "x.x.x.x.x."]);
        assert_eq!(best_block(&plan, &free, ask(3)), None);
        let pick = best_available(&plan, &free, ask(3)).unwrap();
        assert!(!pick.adjacent);
        assert_eq!(pick.seats.len(), 3);
        // A pair first, then a single; all in the best rank.
        let got = labels(&plan, &pick);
        assert!(got.iter().all(|l| l.starts_with("A:1:")), "{got:?}");
        let mut unique = pick.seats.clone();
        unique.dedup();
        assert_eq!(unique.len(), 3);
        // Not enough free seats at all.
        let (plan, free) = theatre(&["x.x"]);
        assert_eq!(best_available(&plan, &free, ask(2)), None);
    }

    #[test]
    fn a_wheelchair_request_gets_a_wheelchair_place_and_others_keep_off_them() {
        let (plan, free) = theatre(&["ww........", ".........."]);
        let pick = best_available(
            &plan,
            &free,
            BestRequest {
                count: 2,
                wheelchair: 1,
            },
        )
        .unwrap();
        assert!(pick.adjacent);
        assert!(pick.seats.iter().any(|&i| plan.seats[i].wheelchair));
        // Nobody else is sat on a wheelchair place while other seats are free.
        let pick = best_available(&plan, &free, ask(8)).unwrap();
        assert!(pick.seats.iter().all(|&i| !plan.seats[i].wheelchair));
        // No wheelchair place free: no pick.
        let (plan, free) = theatre(&[".........."]);
        let wheelchair = BestRequest {
            count: 2,
            wheelchair: 1,
        };
        assert_eq!(best_available(&plan, &free, wheelchair), None);
    }

    #[test]
    fn csv_round_trips_and_errors_name_the_line() {
        let text = "section,row,seat,x,y,rank,flags,section_fi,section_sv,section_en\n\
                    stalls,1,1,0,0,1,wheelchair,Permanto,Parkett,Stalls\n\
                    stalls,1,2,1,0,1,companion|restricted,Permanto,Parkett,Stalls\n";
        let parsed = parse_plan_csv(text).unwrap();
        assert_eq!(parsed.seats.len(), 2);
        assert!(parsed.seats[0].wheelchair && parsed.seats[1].restricted);
        assert_eq!(parsed.sections[0].names[1], "Parkett");
        let plan = SeatPlan::new(parsed.sections.clone(), parsed.seats.clone());
        assert_eq!(plan_csv(&plan), text);
        let bad = "section,row,seat,x,y,rank,flags\nA,1,1,zero,0,1,\n";
        assert_eq!(
            parse_plan_csv(bad).unwrap_err(),
            "line 2: x 'zero' is not a number"
        );
        let twice = "section,row,seat,x,y,rank,flags\nA,1,1,0,0,1,\nA,1,1,1,0,1,\n";
        assert!(parse_plan_csv(twice).unwrap_err().contains("line 3"));
        assert!(parse_plan_csv("a,b\n").unwrap_err().contains("header"));
        assert!(SeatRef::parse_list("A:1:2,B:3").unwrap_err() == "B:3");
    }
}
