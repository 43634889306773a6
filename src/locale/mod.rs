//! The reader's language: Arabic (the default) and English. Every UI and e-mail string
//! lives in Fluent files, `locales/ar/*.ftl` and `locales/en/*.ftl`, embedded in the binary
//! at build time; Arabic plurals follow CLDR's six forms (zero, one, two, few, many, other).
//!
//! **Adding strings from another module**: create `locales/ar/<module>.ftl` and
//! `locales/en/<module>.ftl` with the same keys (prefix them with your module's name, e.g.
//! `saved-empty`); build.rs picks up every .ftl file, nothing to register, and
//! `cargo test --lib locale` fails when a key is in one locale and not the other, or a file
//! does not parse. Every page struct carries `t: Tr` (and `chrome: Chrome` for base.html);
//! in a template write `{{ t.get("saved-empty") }}`, `{{ t.n("search-results", count) }}`
//! (plural on `$n`) or `{{ t.arg("page-title", "page", name) }}`; in Rust the same methods,
//! plus `t.args(key, &[("name", value.into())])`. Outside a request, `Tr::new(locale)`.
//! Dates: `t.date(time)`, `t.hijri(time)`, `t.ago(time, now)`; numbers: `t.number(n)`.

mod bundles;
mod format;

use std::borrow::Cow;

use chrono::{DateTime, Utc};
pub use fluent_bundle::FluentValue;

use crate::model::Section;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Ar,
    En,
}

impl Locale {
    /// Every locale; the first is the default.
    pub const ALL: [Locale; 2] = [Locale::Ar, Locale::En];

    /// The BCP 47 tag (`ar`, `en`).
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Ar => "ar",
            Locale::En => "en",
        }
    }

    /// `en…` is English; anything else is Arabic (for stored values).
    pub fn parse(s: &str) -> Locale {
        Locale::from_tag(s).unwrap_or_default()
    }

    /// `ar`/`en` (any region or case), or None for anything else (for `?lang=` and cookies).
    pub fn from_tag(s: &str) -> Option<Locale> {
        let s = s.trim().to_ascii_lowercase();
        let lang = s.split(['-', '_']).next().unwrap_or("");
        match lang {
            "ar" => Some(Locale::Ar),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header that we have, by q-value.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::from_tag) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::Ar => "rtl",
            Locale::En => "ltr",
        }
    }

    /// The other locale (for the switcher).
    pub fn other(self) -> Locale {
        match self {
            Locale::Ar => Locale::En,
            Locale::En => Locale::Ar,
        }
    }
}

/// Translations in one locale: cheap to copy, one in every page struct as `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr {
    locale: Locale,
}

/// A number usable as a plural count.
pub trait Count {
    /// The count as a whole number.
    fn count(&self) -> i64;
}

macro_rules! count_impl {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> i64 { i64::try_from(*self).unwrap_or(i64::MAX) }
        }
    )*};
}
count_impl!(usize, u64, u32, i64, i32, u16, u8);

impl<C: Count + ?Sized> Count for &C {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// A section or a reference to one (askama hands templates either).
pub trait AsSection {
    /// The section.
    fn as_section(&self) -> Section;
}

impl AsSection for Section {
    fn as_section(&self) -> Section {
        *self
    }
}

impl<S: AsSection + ?Sized> AsSection for &S {
    fn as_section(&self) -> Section {
        (**self).as_section()
    }
}

impl Tr {
    /// The translations of `locale`.
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }

    /// The locale.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// `ar` or `en`, for `lang="…"`.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// `rtl` or `ltr`, for `dir="…"`.
    pub fn dir(&self) -> &'static str {
        self.locale.dir()
    }

    /// The message `key` (with no arguments). A missing key shows as the key itself.
    pub fn get(&self, key: &str) -> Cow<'static, str> {
        bundles::catalog(self.locale).message(key, None)
    }

    /// The message `key` with the count `$n` (which also picks the plural form).
    pub fn n(&self, key: &str, n: impl Count) -> Cow<'static, str> {
        let n = n.count();
        let mut args = fluent_bundle::FluentArgs::new();
        let selector = bundles::plural_stand_in(self.locale, n);
        args.set("n", selector);
        bundles::with_count_shown_as(selector, n, || {
            bundles::catalog(self.locale).message(key, Some(&args))
        })
    }

    /// The message `key` with one text argument `$name`.
    pub fn arg(&self, key: &str, name: &str, value: &str) -> Cow<'static, str> {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set(name.to_string(), value.to_string());
        bundles::catalog(self.locale).message(key, Some(&args))
    }

    /// The message `key` with any arguments.
    pub fn args(&self, key: &str, values: &[(&str, FluentValue<'_>)]) -> Cow<'static, str> {
        let mut args = fluent_bundle::FluentArgs::new();
        for (k, v) in values {
            args.set(k.to_string(), v.clone());
        }
        bundles::catalog(self.locale).message(key, Some(&args))
    }

    /// The name of a section (takes `Section` or a reference, as templates have either).
    pub fn section(&self, s: impl AsSection) -> Cow<'static, str> {
        self.get(match s.as_section() {
            Section::Culture => "section-culture",
            Section::Economy => "section-economy",
            Section::InternationalNews => "section-internationalNews",
            Section::MiddleEast => "section-middleEast",
            Section::Sport => "section-sport",
            Section::Technology => "section-technology",
        })
    }

    /// `1,234` (Western digits; Arabic news sites print them too).
    pub fn number(&self, n: i64) -> String {
        format::group_digits(n)
    }

    /// The Gregorian date of `t` («29 نوفمبر 2026», "29 November 2026"), shown in UTC+3.
    pub fn date(&self, t: DateTime<Utc>) -> String {
        format::gregorian(self, t)
    }

    /// The Umm al-Qura Hijri date of `t` («18 جمادى الآخرة 1448 هـ», "18 Jumada al-Akhirah 1448 AH").
    pub fn hijri(&self, t: DateTime<Utc>) -> String {
        format::hijri(self, t)
    }

    /// How long before `now` `t` was («منذ 5 دقائق», "5 minutes ago"); past a week, the date.
    pub fn ago(&self, t: DateTime<Utc>, now: DateTime<Utc>) -> String {
        format::ago(self, t, now)
    }
}

/// Problems found loading the .ftl files (parse errors, keys defined twice): none in a
/// healthy build; each is also logged when the locale is first used.
pub fn problems() -> Vec<String> {
    Locale::ALL
        .iter()
        .flat_map(|l| bundles::catalog(*l).problems.iter().cloned())
        .collect()
}

/// The locale of the request being served (set by the web layer for each page request;
/// the default outside one). Error pages use it, since they have no request at hand.
pub fn current() -> Locale {
    CURRENT.try_with(|l| *l).unwrap_or_default()
}

tokio::task_local! {
    /// The locale of the page request being served.
    pub static CURRENT: Locale;
}

#[cfg(test)]
mod tests;
