//! The place gazetteer: Arabic names of countries and major cities with nisba adjective
//! forms, generated from CLDR by `scripts/gen_gazetteer.py` (`data/gazetteer.tsv`). Every
//! form of one place (ليبيا, الليبي, الليبية) maps to the same canonical entry.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::tags::words::strip_proclitic;
use crate::arabic::{normalize, stopwords};

const BUILTIN: &str = include_str!("../../data/gazetteer.tsv");

/// Longest name in words that is looked up.
pub const MAX_WORDS: usize = 4;

/// A place a name refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Display form, e.g. ليبيا.
    pub name: String,
    /// Normalised canonical form, the tag slug.
    pub slug: String,
}

/// Normalised name → place.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    names: FxHashMap<String, usize>,
    places: Vec<Place>,
}

impl Default for Gazetteer {
    fn default() -> Self {
        Gazetteer::from_tsv(BUILTIN)
    }
}

impl Gazetteer {
    /// Parses the TSV (name, kind, key, canonical, form, code); malformed lines and names
    /// that are stop words are skipped. Keys are recomputed with this build's normaliser.
    pub fn from_tsv(text: &str) -> Gazetteer {
        let mut g = Gazetteer {
            names: FxHashMap::default(),
            places: Vec::new(),
        };
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(name), Some(canonical)) = (cols.first(), cols.get(3)) else {
                continue;
            };
            let key = normalize(name.trim());
            let slug = normalize(canonical.trim());
            if key.is_empty() || slug.is_empty() || stopwords::is_stopword(&key) {
                continue;
            }
            let idx = *by_slug.entry(slug.clone()).or_insert_with(|| {
                g.places.push(Place {
                    name: canonical.trim().to_string(),
                    slug,
                });
                g.places.len() - 1
            });
            g.names.entry(key).or_insert(idx);
        }
        g
    }

    /// Number of distinct places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The place named by a normalised key (one or more words joined by single spaces),
    /// also with one attached preposition or conjunction (بروسيا, وليبيا) removed, and
    /// for plural adjectives (الليبيين, الليبيون, الليبيات) and ل before the article
    /// (لليبيا, which the word splitter reads as ال + يبيا).
    pub fn lookup(&self, key: &str) -> Option<&Place> {
        if let Some(p) = self.exact(key) {
            return Some(p);
        }
        if let Some(rest) = key.strip_prefix("ال")
            && let Some(p) = self.exact(&format!("ل{rest}"))
        {
            return Some(p);
        }
        strip_proclitic(key)
            .filter(|rest| rest.chars().count() >= 3)
            .and_then(|rest| self.exact(rest))
    }

    /// The key as listed, or a plural of a listed adjective: يين / يون → ي, يات → ية.
    fn exact(&self, key: &str) -> Option<&Place> {
        if let Some(&i) = self.names.get(key) {
            return self.places.get(i);
        }
        for (plural, singular) in [("يين", "ي"), ("يون", "ي"), ("يات", "يه")] {
            if let Some(stem) = key.strip_suffix(plural)
                && stem.chars().count() >= 3
                && let Some(&i) = self.names.get(&format!("{stem}{singular}"))
            {
                return self.places.get(i);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_country_is_one_place() {
        let g = Gazetteer::default();
        assert!(g.len() > 200, "{} places", g.len());
        let libya = g.lookup(&normalize("ليبيا")).expect("ليبيا");
        assert_eq!(libya.name, "ليبيا");
        for form in [
            "الليبي",
            "الليبية",
            "ليبية",
            "بليبيا",
            "لليبيا",
            "الليبيين",
            "والليبيون",
            "الليبيات",
        ] {
            assert_eq!(g.lookup(&normalize(form)), Some(libya), "{form}");
        }
        let russia = g.lookup(&normalize("الروسية")).expect("روسيا");
        assert_eq!(russia.name, "روسيا");
        assert_eq!(
            g.lookup(&normalize("موسكو")).map(|p| p.name.as_str()),
            Some("موسكو")
        );
        let us = g.lookup(&normalize("الولايات المتحدة")).expect("US");
        assert_eq!(g.lookup(&normalize("الأميركية")), Some(us));
        assert!(g.lookup(&normalize("الجيش")).is_none());
        // Cities the Middle East pages report from, from GeoNames, one place per spelling.
        for (form, city) in [("أنقرة", "أنقرة"), ("الحديدة", "الحديدة"), ("إدلب", "إدلب")]
        {
            assert_eq!(
                g.lookup(&normalize(form)).map(|p| p.name.as_str()),
                Some(city),
                "{form}"
            );
        }
        assert_eq!(
            g.lookup(&normalize("أورشليم")),
            g.lookup(&normalize("القدس"))
        );
        // City names that are also common words stay out.
        for word in ["الخبر", "المدينة", "سلطات", "العين", "الثورة"] {
            assert!(g.lookup(&normalize(word)).is_none(), "{word}");
        }
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let g = Gazetteer::from_tsv("# c\nno tabs\nليبيا\tplace\tx\tليبيا\tname\tLY\n\t\t\t\n");
        assert_eq!(g.len(), 1);
    }
}
