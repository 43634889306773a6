//! Schedules in the reader's own time zone: `daily 07:00` or `weekly friday 07:00`. For a
//! moment and a zone, a schedule names the period the zone's clock is in (a local date or an
//! ISO week) and the UTC instant that period's edition falls due there; the scheduler tick
//! queues each zone's recipients once that instant has passed.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// When a newsletter goes out, in each recipient's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Only when sent by hand (manual) or by an event (breaking).
    None,
    Daily {
        at: NaiveTime,
    },
    Weekly {
        day: Weekday,
        at: NaiveTime,
    },
}

/// A due edition for one zone: the period it belongs to and when it falls due (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub period: String,
    pub at: DateTime<Utc>,
}

fn parse_time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| format!("{s:?} is not a time like 07:00"))
}

fn parse_day(s: &str) -> Result<Weekday, String> {
    let arabic = [
        ("الاثنين", Weekday::Mon),
        ("الثلاثاء", Weekday::Tue),
        ("الأربعاء", Weekday::Wed),
        ("الخميس", Weekday::Thu),
        ("الجمعة", Weekday::Fri),
        ("السبت", Weekday::Sat),
        ("الأحد", Weekday::Sun),
    ];
    if let Some((_, d)) = arabic.iter().find(|(n, _)| *n == s) {
        return Ok(*d);
    }
    s.parse::<Weekday>()
        .map_err(|_| format!("{s:?} is not a day of the week"))
}

impl Schedule {
    /// Parses `""`, `daily HH:MM` or `weekly DAY HH:MM` (DAY in English, long or short, or
    /// Arabic).
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let words: Vec<&str> = s.split_whitespace().collect();
        match words.as_slice() {
            [] => Ok(Schedule::None),
            [w, t] if w.eq_ignore_ascii_case("daily") => Ok(Schedule::Daily { at: parse_time(t)? }),
            [w, d, t] if w.eq_ignore_ascii_case("weekly") => Ok(Schedule::Weekly {
                day: parse_day(d)?,
                at: parse_time(t)?,
            }),
            _ => Err(format!(
                "{s:?}: expected \"daily 07:00\" or \"weekly friday 07:00\""
            )),
        }
    }

    /// The stored form, which [`Schedule::parse`] reads back.
    pub fn as_string(&self) -> String {
        match self {
            Schedule::None => String::new(),
            Schedule::Daily { at } => format!("daily {}", at.format("%H:%M")),
            Schedule::Weekly { day, at } => {
                format!("weekly {} {}", weekday_name(*day), at.format("%H:%M"))
            }
        }
    }

    /// How long after its due time an edition is still worth sending to a zone.
    pub fn grace(&self) -> Duration {
        match self {
            Schedule::Weekly { .. } => Duration::hours(24),
            _ => Duration::hours(12),
        }
    }

    /// The edition due in `tz` at `now`: the current period once its local send time has
    /// passed (and not longer ago than the grace period), else None.
    pub fn due(&self, now: DateTime<Utc>, tz: Tz) -> Option<Due> {
        let local = now.with_timezone(&tz).date_naive();
        let (date, at, period) = match *self {
            Schedule::None => return None,
            Schedule::Daily { at } => (local, at, local.format("%Y-%m-%d").to_string()),
            Schedule::Weekly { day, at } => {
                let back =
                    (7 + local.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
                let date = local - Duration::days(i64::from(back));
                let week = date.iso_week();
                (date, at, format!("{}-W{:02}", week.year(), week.week()))
            }
        };
        let due = local_instant(tz, date, at)?;
        (now >= due && now - due < self.grace()).then_some(Due { period, at: due })
    }
}

/// `date` at `at` in `tz` as UTC; a time skipped by a clock change moves an hour on.
fn local_instant(tz: Tz, date: NaiveDate, at: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = date.and_time(at);
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn daily_seven_is_five_utc_in_cairo_and_four_in_riyadh() {
        let s = Schedule::parse("daily 07:00").expect("schedule");
        let cairo: Tz = "Africa/Cairo".parse().expect("tz");
        let riyadh: Tz = "Asia/Riyadh".parse().expect("tz");
        assert_eq!(s.due(utc("2026-12-01T03:59:00Z"), riyadh), None);
        let r = s.due(utc("2026-12-01T04:00:00Z"), riyadh).expect("due");
        assert_eq!(r.at, utc("2026-12-01T04:00:00Z"));
        assert_eq!(r.period, "2026-12-01");
        assert_eq!(s.due(utc("2026-12-01T04:59:00Z"), cairo), None);
        let c = s.due(utc("2026-12-01T05:00:00Z"), cairo).expect("due");
        assert_eq!(c.at, utc("2026-12-01T05:00:00Z"));
        assert_eq!(c.period, r.period);
        // Long past due: the next day's edition is the one to wait for.
        assert_eq!(s.due(utc("2026-12-01T20:00:00Z"), riyadh), None);
    }

    #[test]
    fn weekly_friday_and_round_trip() {
        let s = Schedule::parse("weekly fri 07:00").expect("schedule");
        assert_eq!(s.as_string(), "weekly friday 07:00");
        assert_eq!(Schedule::parse(&s.as_string()), Ok(s));
        let riyadh: Tz = "Asia/Riyadh".parse().expect("tz");
        // 2026-12-04 is a Friday.
        assert_eq!(s.due(utc("2026-12-04T03:00:00Z"), riyadh), None);
        let d = s.due(utc("2026-12-04T05:00:00Z"), riyadh).expect("due");
        assert_eq!(d.period, "2026-W49");
        assert_eq!(s.due(utc("2026-12-06T05:00:00Z"), riyadh), None);
        assert_eq!(
            Schedule::parse("weekly الجمعة 07:00"),
            Ok(Schedule::Weekly {
                day: Weekday::Fri,
                at: NaiveTime::from_hms_opt(7, 0, 0).expect("time")
            })
        );
        assert!(Schedule::parse("hourly").is_err());
        assert!(Schedule::parse("daily 25:00").is_err());
        assert_eq!(Schedule::parse("  "), Ok(Schedule::None));
    }
}
