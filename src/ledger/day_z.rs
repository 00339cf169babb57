//! The day's Z report (issue 13, migration 0017): one per register per trading day, numbered
//! gaplessly, covering every shift opened that day (the local date of `shifts.opened_at`). A
//! shift's close keeps its own report in `z_reports`; the day's Z is built from those reports,
//! which never change, so nothing made after a shift (an X report, another shift's close) can
//! change it.

use super::engine::{Db as _, values};
use super::{Result, Tx};
use crate::domain::ids::{ShiftId, UserId};

/// The journal kind of a day's Z report.
pub const DAY_Z_KIND: &str = crate::domain::JournalKind::DayZ.as_str();

/// What a day's Z row holds besides its number.
pub struct NewDayZ<'a> {
    pub trading_day: &'a str,
    pub first_shift_id: i64,
    pub last_shift_id: i64,
    pub shifts: i64,
    pub closed_by: UserId,
    pub closed_at: &'a str,
    pub first_receipt: Option<i64>,
    pub last_receipt: Option<i64>,
    pub content: &'a serde_json::Value,
}

/// One closed shift of a trading day: (shift id, its close report's number, the report as JSON text).
pub type ClosedShift = (i64, i64, String);

/// (number, trading day, closed by, closed at, content) of a day's Z, for the exports.
pub type DayZRow = (i64, String, UserId, String, String);

impl Tx<'_> {
    /// The trading days (YYYY-MM-DD) of this register's shifts that have no day Z yet, oldest first.
    pub fn days_without_z(&self) -> Result<Vec<String>> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query(
                "SELECT DISTINCT substr(s.opened_at, 1, 10) AS day FROM shifts s
                 WHERE s.register_id = ?1
                   AND substr(s.opened_at, 1, 10) > coalesce((SELECT max(trading_day) FROM day_z_reports
                                                              WHERE register_id = ?1), '')
                 ORDER BY day",
                &values![register_id],
            )?
            .iter()
            .map(|row| row.text(0))
            .collect()
    }

    /// The closed shifts of a trading day with their close reports, in order, and whether a
    /// shift of that day is still open.
    pub fn shifts_of_day(&self, day: &str) -> Result<(Vec<ClosedShift>, bool)> {
        let register_id = self.register_id()?.to_string();
        self.shifts_of_day_in(&register_id, day)
    }

    fn shifts_of_day_in(&self, register: &str, day: &str) -> Result<(Vec<ClosedShift>, bool)> {
        let rows = self.db().query(
            "SELECT s.id, z.number, z.content FROM shifts s LEFT JOIN z_reports z ON z.shift_id = s.id
             WHERE s.register_id = ?1 AND substr(s.opened_at, 1, 10) = ?2 ORDER BY s.id",
            &values![register, day],
        )?;
        let mut closed = Vec::new();
        let mut open = false;
        for row in rows {
            match (row.int(0)?, row.opt_int(1)?, row.opt_text(2)?) {
                (shift, Some(number), Some(content)) => closed.push((shift, number, content)),
                _ => open = true,
            }
        }
        Ok((closed, open))
    }

    /// The number of the day Z of `day`, if it has one.
    pub fn day_z_number(&self, day: &str) -> Result<Option<i64>> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query_opt(
                "SELECT number FROM day_z_reports WHERE register_id = ?1 AND trading_day = ?2",
                &values![register_id, day],
            )?
            .map(|row| row.int(0))
            .transpose()
    }

    /// Writes the day's Z with the next gapless number (the content gets it too); returns it.
    pub fn insert_day_z(&mut self, report: &NewDayZ<'_>) -> Result<(i64, serde_json::Value)> {
        let register_id = self.register_id()?.to_string();
        let mut db = self.db();
        let number = db
            .query_one(
                "SELECT coalesce(max(number), 0) + 1 FROM day_z_reports WHERE register_id = ?1",
                &values![register_id.as_str()],
            )?
            .int(0)?;
        let mut content = report.content.clone();
        content["number"] = number.into();
        db.execute(
            "INSERT INTO day_z_reports (register_id, number, trading_day, first_shift_id, last_shift_id, shifts,
                                        closed_by, closed_at, first_receipt, last_receipt, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            &values![
                register_id,
                number,
                report.trading_day,
                report.first_shift_id,
                report.last_shift_id,
                report.shifts,
                report.closed_by,
                report.closed_at,
                report.first_receipt,
                report.last_receipt,
                super::journal::canonical(&content)
            ],
        )?;
        Ok((number, content))
    }

    /// A day's Z report's content by number.
    pub fn day_z(&self, number: i64) -> Result<Option<serde_json::Value>> {
        let register_id = self.register_id()?.to_string();
        let row = self.db().query_opt(
            "SELECT content FROM day_z_reports WHERE register_id = ?1 AND number = ?2",
            &values![register_id, number],
        )?;
        Ok(match row {
            Some(row) => serde_json::from_str(&row.text(0)?).ok(),
            None => None,
        })
    }

    /// The day's Z whose last shift is `shift_id` (made with that shift's close), if any.
    pub fn day_z_ending_with(&self, shift_id: ShiftId) -> Result<Option<serde_json::Value>> {
        let row = self.db().query_opt(
            "SELECT content FROM day_z_reports WHERE last_shift_id = ?1",
            &values![shift_id],
        )?;
        Ok(match row {
            Some(row) => serde_json::from_str(&row.text(0)?).ok(),
            None => None,
        })
    }

    /// This register's day Z reports of the trading days `from`..=`to`.
    pub fn day_z_between(&self, from: &str, to: &str) -> Result<Vec<DayZRow>> {
        let register_id = self.register_id()?.to_string();
        self.db()
            .query(
                "SELECT number, trading_day, closed_by, closed_at, content FROM day_z_reports
                 WHERE trading_day BETWEEN ?1 AND ?2 AND register_id = ?3 ORDER BY number",
                &values![from, to, register_id],
            )?
            .iter()
            .map(|row| {
                Ok((
                    row.int(0)?,
                    row.text(1)?,
                    UserId(row.int(2)?),
                    row.text(3)?,
                    row.text(4)?,
                ))
            })
            .collect()
    }

    /// `verify`'s part for the day Z reports: numbers gapless per register, each report as it
    /// was journaled (a `day.z` entry for each, none without a report), and each naming the
    /// shift reports its day had. `entries` are the journal's `day.z` entries in `seq` order,
    /// (seq, register, content), as the chain walk met them. `Ok(Some(sentence))` names the first
    /// problem.
    pub fn check_day_z_reports(&self, entries: &[(i64, String, String)]) -> Result<Option<String>> {
        let mut db = self.db();
        let reports: Vec<(String, i64, String, String)> = db
            .query(
                "SELECT register_id, number, trading_day, content FROM day_z_reports ORDER BY register_id, number",
                &[],
            )?
            .iter()
            .map(|row| Ok((row.text(0)?, row.int(1)?, row.text(2)?, row.text(3)?)))
            .collect::<Result<_>>()?;
        let mut expected_number: Option<(String, i64)> = None;
        for (register, number, day, content) in &reports {
            let next = match &expected_number {
                Some((r, n)) if r == register => n + 1,
                _ => 1,
            };
            if *number != next {
                return Ok(Some(format!(
                    "day Z report numbers of register {register} are not gapless: Z {next} is missing"
                )));
            }
            expected_number = Some((register.clone(), *number));
            let stored: serde_json::Value = serde_json::from_str(content).unwrap_or_default();
            let journaled = entries.iter().find(|(_, r, text)| {
                r == register
                    && serde_json::from_str::<serde_json::Value>(text)
                        .is_ok_and(|v| v["number"].as_i64() == Some(*number))
            });
            match journaled {
                None => {
                    return Ok(Some(format!(
                        "day Z report {number} ({day}) has no journal entry"
                    )));
                }
                Some((seq, _, text)) => {
                    let recorded: serde_json::Value =
                        serde_json::from_str(text).unwrap_or_default();
                    if recorded != stored {
                        return Ok(Some(format!(
                            "journal entry {seq}: day Z report {number} ({day}) no longer matches what was journaled"
                        )));
                    }
                }
            }
            let (closed, _) = self.shifts_of_day_in(register, day)?;
            let named: Vec<i64> = stored["day"]["shift_reports"]
                .as_array()
                .map(|list| list.iter().filter_map(|n| n.as_i64()).collect())
                .unwrap_or_default();
            let have: Vec<i64> = closed.iter().map(|(_, number, _)| *number).collect();
            if named != have {
                return Ok(Some(format!(
                    "day Z report {number} ({day}) covers shift reports {named:?}, but the day has {have:?}"
                )));
            }
        }
        for (seq, register, text) in entries {
            let number = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v["number"].as_i64())
                .unwrap_or_default();
            if !reports
                .iter()
                .any(|(r, n, _, _)| r == register && *n == number)
            {
                return Ok(Some(format!(
                    "journal entry {seq}: day Z report {number} is missing from the ledger"
                )));
            }
        }
        Ok(None)
    }
}
