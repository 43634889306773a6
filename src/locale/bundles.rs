//! The embedded .ftl files, loaded into one Fluent bundle per locale on first use. Messages
//! that need no argument are formatted once at load time, so most lookups are one hash
//! probe and no allocation.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rustc_hash::FxHashMap;

use super::{Locale, format};

mod files {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// Every embedded .ftl file: (locale, file name, text).
pub use files::FILES;

/// One locale's messages.
pub struct Catalog {
    bundle: FluentBundle<FluentResource>,
    plain: FxHashMap<String, String>,
    /// Parse errors and duplicate keys found while loading (`file: problem`).
    pub problems: Vec<String>,
}

impl Catalog {
    fn load(locale: Locale) -> Catalog {
        let lang = locale
            .as_str()
            .parse::<unic_langid::LanguageIdentifier>()
            .unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        // Isolation marks around every argument would break copy-paste and exact matching;
        // the templates put reader-supplied text in dir="auto" elements instead.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(format_value));
        let mut problems = Vec::new();
        for (lang, file, text) in FILES.iter().filter(|f| f.0 == locale.as_str()) {
            let resource = match FluentResource::try_new((*text).to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        problems.push(format!("locales/{lang}/{file}: {e:?}"));
                    }
                    r
                }
            };
            if let Err(errors) = bundle.add_resource(resource) {
                for e in errors {
                    problems.push(format!("locales/{lang}/{file}: {e}"));
                }
            }
        }
        for p in &problems {
            tracing::warn!(problem = %p, "locale file problem");
        }
        let mut plain = FxHashMap::default();
        for key in message_keys(locale) {
            let Some(pattern) = bundle.get_message(&key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, None, &mut errors)
                .into_owned();
            if errors.is_empty() {
                plain.insert(key, text);
            }
        }
        Catalog {
            bundle,
            plain,
            problems,
        }
    }

    /// The message `key` formatted with `args`; the key itself when it is missing.
    pub fn message(&'static self, key: &str, args: Option<&FluentArgs<'_>>) -> Cow<'static, str> {
        if args.is_none()
            && let Some(text) = self.plain.get(key)
        {
            return Cow::Borrowed(text.as_str());
        }
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::debug!(key, "missing locale key");
            return Cow::Owned(key.to_string());
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::debug!(key, ?errors, "locale message formatted with errors");
        }
        Cow::Owned(text.into_owned())
    }
}

/// A number with the same Arabic plural form as `n` under intl_pluralrules 7, whose Arabic
/// rules lost CLDR's `n % 100` (so 103 came out "other", not "few": «103 نتيجة»); below 100
/// the rules agree and `n` is its own stand-in. [`with_count_shown_as`] shows `n` instead.
pub fn plural_stand_in(locale: Locale, n: i64) -> i64 {
    let m = n.unsigned_abs();
    if locale != Locale::Ar || m < 100 {
        return n;
    }
    match m % 100 {
        3..=10 => 3,
        11..=99 => 11,
        _ => 100,
    }
}

thread_local! {
    /// (stand-in, real count) while one message is formatted.
    static SHOWN_AS: std::cell::Cell<Option<(i64, i64)>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` (one synchronous message format) showing `stand_in` as `real`.
pub fn with_count_shown_as<T>(stand_in: i64, real: i64, f: impl FnOnce() -> T) -> T {
    if stand_in == real {
        return f();
    }
    SHOWN_AS.with(|c| c.set(Some((stand_in, real))));
    let out = f();
    SHOWN_AS.with(|c| c.set(None));
    out
}

/// Numbers in messages get thousands separators; everything else Fluent's own format.
fn format_value<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            let v = n.value as i64;
            let shown = match SHOWN_AS.with(|c| c.get()) {
                Some((stand_in, real)) if stand_in == v => real,
                _ => v,
            };
            Some(format::group_digits(shown))
        }
        _ => None,
    }
}

/// The message keys (not terms) defined in `locale`'s files, in file order.
pub fn message_keys(locale: Locale) -> Vec<String> {
    let mut keys = Vec::new();
    for (_, _, text) in FILES.iter().filter(|f| f.0 == locale.as_str()) {
        let resource = match FluentResource::try_new((*text).to_string()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                keys.push(m.id.name.to_string());
            }
        }
    }
    keys
}

static AR: LazyLock<Catalog> = LazyLock::new(|| Catalog::load(Locale::Ar));
static EN: LazyLock<Catalog> = LazyLock::new(|| Catalog::load(Locale::En));

/// The catalog of `locale`.
pub fn catalog(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::Ar => &AR,
        Locale::En => &EN,
    }
}
