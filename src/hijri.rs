//! Dates for readers: Gregorian and Hijri. The Hijri date follows Umm al-Qura, the official
//! calendar of Saudi Arabia and the one most Arabic newsrooms print, from ICU4X's tables;
//! the arithmetic ("tabular") calendar, which can be a day off it, is the fallback for dates
//! ICU cannot take.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

const HIJRI_MONTHS: [&str; 12] = [
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
];

const GREGORIAN_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A date of the Hijri calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HijriDate {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=30
    pub day: u32,
}

/// Converts a Gregorian date to the Umm al-Qura Hijri calendar (the tabular one for dates
/// ICU cannot take).
pub fn to_hijri(date: NaiveDate) -> HijriDate {
    use icu_calendar::{Date, cal::Hijri};
    let iso = u8::try_from(date.month())
        .ok()
        .zip(u8::try_from(date.day()).ok())
        .and_then(|(m, d)| Date::try_new_iso(date.year(), m, d).ok());
    match iso {
        Some(iso) => {
            let h = iso.to_calendar(Hijri::new_umm_al_qura());
            HijriDate {
                year: i64::from(h.era_year().year),
                month: u32::from(h.month().ordinal).clamp(1, 12),
                day: u32::from(h.day_of_month().0).clamp(1, 30),
            }
        }
        None => to_hijri_tabular(date),
    }
}

/// Converts a Gregorian date to the tabular (arithmetic) Hijri calendar.
pub fn to_hijri_tabular(date: NaiveDate) -> HijriDate {
    // Julian day number of the date, then the classic integer conversion.
    let jd = i64::from(date.num_days_from_ce()) + 1_721_425;
    let l = jd - 1_948_440 + 10_632;
    let n = (l - 1) / 10_631;
    let l = l - 10_631 * n + 354;
    let j = ((10_985 - l) / 5_316) * ((50 * l) / 17_719) + (l / 5_670) * ((43 * l) / 15_238);
    let l = l - ((30 - j) / 15) * ((17_719 * j) / 50) - (j / 16) * ((15_238 * j) / 43) + 29;
    let month = (24 * l) / 709;
    let day = l - (709 * month) / 24;
    let year = 30 * n + j - 30;
    HijriDate {
        year,
        month: month.clamp(1, 12) as u32,
        day: day.clamp(1, 30) as u32,
    }
}

/// "29 نوفمبر 2026" for a time (shown in UTC+3, the most common offset of Arabic newsrooms).
pub fn format_gregorian_ar(t: DateTime<Utc>) -> String {
    let d = local_date(t);
    format!(
        "{} {} {}",
        d.day(),
        GREGORIAN_MONTHS[d.month0() as usize],
        d.year()
    )
}

/// "19 جمادى الآخرة 1448 هـ" for a time.
pub fn format_hijri_ar(t: DateTime<Utc>) -> String {
    let h = to_hijri(local_date(t));
    format!(
        "{} {} {} هـ",
        h.day,
        HIJRI_MONTHS[(h.month - 1) as usize],
        h.year
    )
}

/// The calendar date of `t` in the newsroom's zone (UTC+3).
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(3)).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn umm_al_qura_dates() {
        let h = |y, m, day| {
            let h = to_hijri(d(y, m, day));
            (h.year, h.month, h.day)
        };
        // 1 Muharram 1446 was 7 July 2024 in Umm al-Qura (the tabular calendar says 8 July).
        assert_eq!(h(2024, 7, 7), (1446, 1, 1));
        assert_eq!(to_hijri_tabular(d(2024, 7, 7)).day, 30);
        // 1 Ramadan 1444 = 23 March 2023; 1 Shawwal 1444 (Eid al-Fitr) = 21 April 2023.
        assert_eq!(h(2023, 3, 23), (1444, 9, 1));
        assert_eq!(h(2023, 4, 21), (1444, 10, 1));
        // Far outside ICU's tables the answer is still a date, never a panic.
        for (y, m, day) in [(1, 1, 1), (622, 7, 19), (9999, 12, 31)] {
            let x = to_hijri(d(y, m, day));
            assert!((1..=12).contains(&x.month) && (1..=30).contains(&x.day));
        }
    }

    #[test]
    fn known_dates() {
        // 1 Muharram 1 AH (tabular epoch) = 16 July 622 (Julian) = 19 July 622 (proleptic Gregorian).
        assert_eq!(
            to_hijri_tabular(d(622, 7, 19)),
            HijriDate {
                year: 1,
                month: 1,
                day: 1
            }
        );
        // 1 Ramadan 1444 = 23 March 2023.
        assert_eq!(
            to_hijri_tabular(d(2023, 3, 23)),
            HijriDate {
                year: 1444,
                month: 9,
                day: 1
            }
        );
        // Tabular 1 Muharram 1446 = 8 July 2024 (Umm al-Qura has 7 July: the known one-day drift).
        assert_eq!(
            to_hijri_tabular(d(2024, 7, 8)),
            HijriDate {
                year: 1446,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            to_hijri_tabular(d(2024, 7, 7)),
            HijriDate {
                year: 1445,
                month: 12,
                day: 30
            }
        );
    }

    #[test]
    fn months_always_in_range() {
        let mut day = d(1900, 1, 1);
        while day < d(2100, 1, 1) {
            let h = to_hijri(day);
            assert!(
                (1..=12).contains(&h.month) && (1..=30).contains(&h.day),
                "{day}: {h:?}"
            );
            day = day.succ_opt().expect("next day");
        }
    }
}
