//! The bank's secret keys with their activation dates, and the Helsinki calendar date the bank's
//! due dates (ERAPAIVA) are in.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};

/// Keys and the dates they take effect. The key in force on a date signs requests; replies are
/// also accepted with the key it replaced, so a changeover day loses no payment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRing {
    /// (valid from, secret), sorted by date.
    keys: Vec<(NaiveDate, String)>,
}

impl KeyRing {
    pub fn new(mut keys: Vec<(NaiveDate, String)>) -> KeyRing {
        keys.sort_by_key(|(date, _)| *date);
        KeyRing { keys }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn index_in_force(&self, date: NaiveDate) -> Option<usize> {
        self.keys.iter().rposition(|(from, _)| *from <= date)
    }

    /// The key that signs on `date`: the latest one whose date has come.
    pub fn in_force(&self, date: NaiveDate) -> Option<&str> {
        self.index_in_force(date).map(|i| self.keys[i].1.as_str())
    }

    /// The keys a reply received on `date` may be signed with: the one in force and the one before it.
    pub fn accepted(&self, date: NaiveDate) -> Vec<&str> {
        match self.index_in_force(date) {
            Some(i) => self.keys[i.saturating_sub(1)..=i]
                .iter()
                .rev()
                .map(|(_, secret)| secret.as_str())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Dates only, for settings screens and support reports (never the secrets).
    pub fn dates(&self) -> Vec<NaiveDate> {
        self.keys.iter().map(|(date, _)| *date).collect()
    }
}

/// The last Sunday of `month` in `year`, at 01:00 UTC (when EU summer time starts or ends).
fn last_sunday_01_utc(year: i32, month: u32) -> DateTime<Utc> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid date");
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).expect("valid time"))
}

/// The calendar date in Europe/Helsinki at `instant`: UTC+2, and UTC+3 from the last Sunday of
/// March to the last Sunday of October (the EU rule, changing at 01:00 UTC).
pub fn helsinki_date(instant: DateTime<Utc>) -> NaiveDate {
    let year = instant.year();
    let summer = instant >= last_sunday_01_utc(year, 3) && instant < last_sunday_01_utc(year, 10);
    let offset_hours = if summer { 3 } else { 2 };
    (instant + Duration::hours(offset_hours)).date_naive()
}

/// ERAPAIVA text: dd.mm.yyyy.
pub fn due_date_text(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_key_in_force_and_the_previous_one_during_changeover() {
        let ring = KeyRing::new(vec![
            (date("2026-12-01"), "NEW".into()),
            (date("2025-01-01"), "OLD".into()),
            (date("2024-01-01"), "OLDEST".into()),
        ]);
        assert_eq!(ring.in_force(date("2023-12-31")), None);
        assert_eq!(ring.in_force(date("2026-11-30")), Some("OLD"));
        assert_eq!(ring.in_force(date("2026-12-01")), Some("NEW"));
        assert_eq!(ring.accepted(date("2026-12-01")), vec!["NEW", "OLD"]);
        assert_eq!(ring.accepted(date("2024-06-01")), vec!["OLDEST"]);
        assert!(ring.accepted(date("2020-01-01")).is_empty());
        assert_eq!(ring.dates()[0], date("2024-01-01"));
    }

    #[test]
    fn helsinki_dates_around_midnight_and_summer_time() {
        // Winter: UTC+2. 22:30 UTC on 25 Nov is 00:30 on 26 Nov in Helsinki.
        assert_eq!(
            helsinki_date(utc("2026-11-25T22:30:00Z")),
            date("2026-11-26")
        );
        assert_eq!(
            helsinki_date(utc("2026-11-25T21:59:59Z")),
            date("2026-11-25")
        );
        // Summer: UTC+3. 21:30 UTC on 1 July is 00:30 on 2 July.
        assert_eq!(
            helsinki_date(utc("2026-07-01T21:30:00Z")),
            date("2026-07-02")
        );
        assert_eq!(
            helsinki_date(utc("2026-07-01T20:59:00Z")),
            date("2026-07-01")
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            helsinki_date(utc("2026-03-29T21:30:00Z")),
            date("2026-03-30")
        );
        assert_eq!(
            helsinki_date(utc("2026-03-28T21:30:00Z")),
            date("2026-03-28")
        );
        assert_eq!(
            helsinki_date(utc("2026-10-25T21:30:00Z")),
            date("2026-10-25")
        );
        assert_eq!(due_date_text(date("2026-01-09")), "09.01.2026");
    }
}
