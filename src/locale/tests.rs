//! Tests of the locale files and formatting.

use std::collections::BTreeSet;

use chrono::{Duration, TimeZone, Utc};

use super::bundles::{FILES, message_keys};
use super::*;

fn keys_of(lang: &str, file: &str) -> BTreeSet<String> {
    let text = FILES
        .iter()
        .find(|f| f.0 == lang && f.1 == file)
        .map(|f| f.2)
        .unwrap_or("");
    let resource = match fluent_bundle::FluentResource::try_new(text.to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_file_has_the_same_keys_in_both_locales() {
    // FILES is every locales/*/*.ftl at build time, so files added later are covered too.
    let files: BTreeSet<&str> = FILES.iter().map(|f| f.1).collect();
    assert!(files.contains("common.ftl") && files.contains("pages.ftl"));
    let mut problems = Vec::new();
    for file in files {
        let ar = keys_of("ar", file);
        let en = keys_of("en", file);
        for k in ar.difference(&en) {
            problems.push(format!("{file}: {k} is in ar but not in en"));
        }
        for k in en.difference(&ar) {
            problems.push(format!("{file}: {k} is in en but not in ar"));
        }
        for lang in ["ar", "en"] {
            if !FILES.iter().any(|f| f.0 == lang && f.1 == file) {
                problems.push(format!("locales/{lang}/{file} is missing"));
            }
        }
    }
    for (lang, _, _) in FILES {
        if Locale::from_tag(lang).is_none() {
            problems.push(format!("locales/{lang}/ is not a locale sahifa serves"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_file_parses_and_no_key_is_defined_twice() {
    let problems = super::problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for l in Locale::ALL {
        let keys = message_keys(l);
        assert!(keys.len() > 50, "{} keys in {l:?}", keys.len());
        // Every message formats without a missing reference when given a count and a name.
        for k in keys {
            let text = Tr::new(l).args(
                &k,
                &[
                    ("n", 3.into()),
                    ("page", "x".into()),
                    ("q", "x".into()),
                    ("name", "x".into()),
                ],
            );
            assert!(
                !text.trim().is_empty() || k.ends_with("-empty"),
                "{l:?} {k}"
            );
        }
    }
}

#[test]
fn arabic_result_counts_use_the_six_plural_forms() {
    let ar = Tr::new(Locale::Ar);
    let forms: Vec<_> = [0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 1000, 1011, 1105]
        .into_iter()
        .map(|n: i64| ar.n("search-results", n).into_owned())
        .collect();
    assert_eq!(
        forms,
        [
            "لا نتائج",
            "نتيجة واحدة",
            "نتيجتان",
            "3 نتائج",
            "10 نتائج",
            "11 نتيجة",
            "99 نتيجة",
            "100 نتيجة",
            "102 نتيجة",
            "103 نتائج",
            "1,000 نتيجة",
            "1,011 نتيجة",
            "1,105 نتائج",
        ]
    );
    let en = Tr::new(Locale::En);
    assert_eq!(en.n("search-results", 1usize), "1 result");
    assert_eq!(en.n("search-results", 2usize), "2 results");
    assert_eq!(en.n("search-results", 12_345usize), "12,345 results");
}

#[test]
fn relative_times_read_naturally() {
    let now = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("time");
    let ar = Tr::new(Locale::Ar);
    let en = Tr::new(Locale::En);
    let ago = |t: &Tr, d: Duration| t.ago(now - d, now);
    assert_eq!(ago(&ar, Duration::seconds(20)), "الآن");
    assert_eq!(ago(&ar, Duration::minutes(1)), "منذ دقيقة");
    assert_eq!(ago(&ar, Duration::minutes(2)), "منذ دقيقتين");
    assert_eq!(ago(&ar, Duration::minutes(5)), "منذ 5 دقائق");
    assert_eq!(ago(&ar, Duration::minutes(25)), "منذ 25 دقيقة");
    assert_eq!(ago(&ar, Duration::hours(3)), "منذ 3 ساعات");
    assert_eq!(ago(&ar, Duration::days(2)), "منذ يومين");
    assert_eq!(ago(&en, Duration::minutes(5)), "5 minutes ago");
    assert_eq!(ago(&en, Duration::hours(1)), "an hour ago");
    // Past a week, and for times ahead of the clock, the date itself.
    assert_eq!(ago(&ar, Duration::days(30)), "1 نوفمبر 2026");
    assert_eq!(ago(&en, Duration::days(-3)), "4 December 2026");
}

#[test]
fn dates_in_both_calendars_and_both_locales() {
    // 7 July 2024 was 1 Muharram 1446 in Umm al-Qura (noon UTC: the same day in UTC+3).
    let t = Utc
        .with_ymd_and_hms(2024, 7, 7, 12, 0, 0)
        .single()
        .expect("time");
    let ar = Tr::new(Locale::Ar);
    let en = Tr::new(Locale::En);
    assert_eq!(ar.date(t), "7 يوليو 2024");
    assert_eq!(en.date(t), "7 July 2024");
    assert_eq!(ar.hijri(t), "1 محرم 1446 هـ");
    assert_eq!(en.hijri(t), "1 Muharram 1446 AH");
    assert_eq!(ar.number(-1_234_567), "-1,234,567");
    assert_eq!(ar.number(999), "999");
}

#[test]
fn locale_tags_and_accept_language() {
    assert_eq!(Locale::from_tag("EN-gb"), Some(Locale::En));
    assert_eq!(Locale::from_tag("ar_LY"), Some(Locale::Ar));
    assert_eq!(Locale::from_tag("fr"), None);
    assert_eq!(Locale::from_tag(""), None);
    assert_eq!(
        Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8,ar;q=0.5"),
        Locale::En
    );
    assert_eq!(
        Locale::from_accept_language("en;q=0.3, ar-EG;q=0.7"),
        Locale::Ar
    );
    assert_eq!(Locale::from_accept_language("de, en;q=0"), Locale::Ar);
    assert_eq!(
        Locale::from_accept_language("\u{0}garbage;;;q=x"),
        Locale::Ar
    );
}

#[test]
fn missing_keys_show_the_key_and_section_names_are_localized() {
    let en = Tr::new(Locale::En);
    assert_eq!(en.get("no-such-key"), "no-such-key");
    assert_eq!(en.section(Section::MiddleEast), "Middle East");
    assert_eq!(Tr::new(Locale::Ar).section(Section::Sport), "رياضة");
    assert_eq!(en.arg("page-title", "page", "Sport"), "Sport — sahifa");
}
