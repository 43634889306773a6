//! Numbers and dates in the reader's locale: thousands separators, Gregorian and Umm
//! al-Qura Hijri dates with month names from the .ftl files, and relative times.

use chrono::{DateTime, Datelike, Utc};

use super::Tr;
use crate::hijri;

/// `1234567` → `1,234,567`.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// «29 نوفمبر 2026» / "29 November 2026", in the newsroom's zone (UTC+3).
pub fn gregorian(t: &Tr, time: DateTime<Utc>) -> String {
    let d = hijri::local_date(time);
    let month = t.get(&format!("month-{}", d.month()));
    t.args(
        "date-gregorian",
        &[
            ("day", d.day().to_string().into()),
            ("month", month.as_ref().into()),
            ("year", d.year().to_string().into()),
        ],
    )
    .into_owned()
}

/// Years and days are not grouped (2026, not 2,026).
/// «18 جمادى الآخرة 1448 هـ» / "18 Jumada al-Akhirah 1448 AH".
pub fn hijri(t: &Tr, time: DateTime<Utc>) -> String {
    let h = hijri::to_hijri(hijri::local_date(time));
    let month = t.get(&format!("hijri-month-{}", h.month));
    t.args(
        "date-hijri",
        &[
            ("day", h.day.to_string().into()),
            ("month", month.as_ref().into()),
            ("year", h.year.to_string().into()),
        ],
    )
    .into_owned()
}

/// «منذ 5 دقائق» / "5 minutes ago"; «الآن» under a minute; the date past a week (or for a
/// time in the future, where a clock is off).
pub fn ago(t: &Tr, time: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - time).num_seconds();
    if secs < -60 {
        return gregorian(t, time);
    }
    let (key, n) = match secs {
        ..60 => return t.get("time-now").into_owned(),
        60..3_600 => ("time-minutes-ago", secs / 60),
        3_600..86_400 => ("time-hours-ago", secs / 3_600),
        86_400..604_800 => ("time-days-ago", secs / 86_400),
        _ => return gregorian(t, time),
    };
    t.n(key, n).into_owned()
}
