//! Publication dates as they are found in the wild: RFC 3339 and its near misses, RFC 2822
//! (feeds), bare `YYYY-MM-DD`, day-first `DD/MM/YYYY`, Unix timestamps, Arabic-Indic and
//! Persian digits, and Arabic month names (Egyptian and Levantine). A date that none of
//! these read is left to the caller, which keeps the record and warns.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Earliest and latest years taken as a publication date; anything else is a typo.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Reads a publication date; `None` when no known shape fits or the date is implausible.
pub fn parse_published(s: &str) -> Option<DateTime<Utc>> {
    let s = ascii_digits(s.trim());
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let t = iso(s)
        .or_else(|| rfc2822(s))
        .or_else(|| day_first(s))
        .or_else(|| timestamp(s))
        .or_else(|| month_names(s))?;
    YEARS.contains(&chrono::Datelike::year(&t)).then_some(t)
}

/// Arabic-Indic (٠-٩) and Persian (۰-۹) digits as ASCII; Arabic comma and date separators
/// as their Latin forms.
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{060C}' => ',',
            '\u{066B}' => '.',
            '\u{066C}' => ',',
            _ => c,
        })
        .collect()
}

/// RFC 3339, a space for `T`, no offset (taken as UTC), minutes only, a bare date.
fn iso(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f %z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"]
        .iter()
        .find_map(|fmt| NaiveDate::parse_from_str(s, fmt).ok())
        .map(midnight)
}

/// RFC 2822 as feeds write it, also with a named zone chrono does not know (taken as UTC).
fn rfc2822(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    // "Sun, 29 Nov 2026 08:00:00 AST": drop an alphabetic zone and read the rest as UTC.
    let (head, zone) = s.rsplit_once(' ')?;
    if !zone.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let head = head.split_once(", ").map_or(head, |(_, rest)| rest);
    ["%d %b %Y %H:%M:%S", "%d %b %Y %H:%M"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(head, fmt).ok())
        .map(|t| t.and_utc())
}

/// Day first, as Arabic newsrooms write it: `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`, with an
/// optional time.
fn day_first(s: &str) -> Option<DateTime<Utc>> {
    for sep in ['/', '-', '.'] {
        for time in ["", " %H:%M", " %H:%M:%S"] {
            let fmt = format!("%d{sep}%m{sep}%Y{time}");
            if time.is_empty() {
                if let Ok(d) = NaiveDate::parse_from_str(s, &fmt) {
                    return Some(midnight(d));
                }
            } else if let Ok(t) = NaiveDateTime::parse_from_str(s, &fmt) {
                return Some(t.and_utc());
            }
        }
    }
    None
}

/// Seconds (10 digits) or milliseconds (13 digits) since the epoch.
fn timestamp(s: &str) -> Option<DateTime<Utc>> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    match s.len() {
        9 | 10 => DateTime::from_timestamp(n, 0),
        12 | 13 => DateTime::from_timestamp_millis(n),
        _ => None,
    }
}

/// Month names, Egyptian (يناير) and Levantine (كانون الثاني), and English.
const MONTHS: &[(&str, u32)] = &[
    ("كانون الثاني", 1),
    ("كانون الأول", 12),
    ("تشرين الأول", 10),
    ("تشرين الثاني", 11),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("آذار", 3),
    ("نيسان", 4),
    ("أيار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("آب", 8),
    ("أيلول", 9),
];

/// `15 يناير 2024`, `الاثنين 15 كانون الثاني 2024 - 10:30`, `January 15, 2024`.
fn month_names(s: &str) -> Option<DateTime<Utc>> {
    let mut month = None;
    let mut rest = s.to_string();
    for (name, m) in MONTHS {
        if let Some(at) = rest.find(name) {
            month = Some(*m);
            rest.replace_range(at..at + name.len(), " ");
            break;
        }
    }
    let month = match month {
        Some(m) => m,
        None => {
            let lower = s.to_ascii_lowercase();
            let names = [
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ];
            let (i, name) = names.iter().enumerate().find(|(_, n)| {
                lower
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w.starts_with(*n) && w.len() >= 3)
            })?;
            rest = lower
                .split(|c: char| !c.is_ascii_alphanumeric() && c != ':')
                .filter(|w| !w.starts_with(name))
                .collect::<Vec<_>>()
                .join(" ");
            i as u32 + 1
        }
    };
    let numbers: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_digit() && c != ':')
        .filter(|w| !w.is_empty())
        .collect();
    let day = numbers.iter().find(|w| w.len() <= 2 && !w.contains(':'))?;
    let year = numbers.iter().find(|w| w.len() == 4 && !w.contains(':'))?;
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)?;
    let time = numbers
        .iter()
        .find(|w| w.contains(':'))
        .and_then(|t| {
            NaiveTime::parse_from_str(t, "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                .ok()
        })
        .unwrap_or_default();
    Some(date.and_time(time).and_utc())
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<String> {
        parse_published(s).map(|t| t.format("%Y-%m-%d %H:%M").to_string())
    }

    #[test]
    fn reads_the_shapes_found_in_the_wild() {
        let cases = [
            ("2018-02-16T22:08:10+04:00", "2018-02-16 18:08"),
            ("2017-01-22T18:56:00", "2017-01-22 18:56"),
            ("2015-05-17", "2015-05-17 00:00"),
            ("2015-05-17 09:30", "2015-05-17 09:30"),
            ("Sun, 29 Nov 2026 08:00:00 GMT", "2026-11-29 08:00"),
            ("Sun, 29 Nov 2026 08:00:00 +0300", "2026-11-29 05:00"),
            ("29 Nov 2026 08:00:00 AST", "2026-11-29 08:00"),
            ("17/05/2015", "2015-05-17 00:00"),
            ("17-05-2015 14:05", "2015-05-17 14:05"),
            ("17.05.2015", "2015-05-17 00:00"),
            ("2015/05/17", "2015-05-17 00:00"),
            ("٢٠١٥-٠٥-١٧", "2015-05-17 00:00"),
            ("١٧/٠٥/٢٠١٥", "2015-05-17 00:00"),
            ("۱۷/۰۵/۲۰۱۵", "2015-05-17 00:00"),
            ("1431864000", "2015-05-17 12:00"),
            ("1431864000000", "2015-05-17 12:00"),
            ("١٥ يناير ٢٠٢٤", "2024-01-15 00:00"),
            ("الاثنين 15 كانون الثاني 2024 - 10:30", "2024-01-15 10:30"),
            ("3 آب 2020", "2020-08-03 00:00"),
            ("January 15, 2024", "2024-01-15 00:00"),
        ];
        for (input, want) in cases {
            assert_eq!(at(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for s in [
            "",
            "yesterday",
            "1801-20-17",
            "2015-13-01",
            "32/01/2015",
            "0001-01-01",
            "12345",
            "9999-01-01",
            "يناير",
        ] {
            assert_eq!(at(s), None, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_published(&s);
        }
    }
}
