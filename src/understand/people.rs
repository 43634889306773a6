//! People known by their full name (رجب طيب أردوغان), so that an article naming them by
//! family name alone (أردوغان) gets the same tag as the ones naming them in full. Learned
//! from the store when an import starts and from every batch it reads. A family name is read
//! as a person only when one established person carries it: two people called صلاح, or a
//! name with بن or عبد in it (محمد بن سلمان is never «سلمان»), leave it a tag of its own.

use std::collections::{HashMap, HashSet};

use crate::model::{LabelOrigin, Tag};

use super::tags::cues;
use super::tags::words::without_article;

/// A full name must be on this many articles before its family name alone stands for it.
pub const ESTABLISHED: u32 = 2;

/// Full names seen so far, by family name.
#[derive(Debug, Default)]
pub struct People {
    /// Full-name slug → (display name, articles it is on).
    known: HashMap<String, (String, u32)>,
    /// Family name (without the article) → full-name slugs.
    by_family: HashMap<String, Vec<String>>,
    /// Full-name slug with no alef in its last word → full-name slugs: the spellings of
    /// one transliterated name (دونالد ترامب, دونالد ترمب).
    by_skeleton: HashMap<String, Vec<String>>,
}

/// A full name with the alefs of its last word dropped.
fn skeleton(slug: &str) -> String {
    match slug.rsplit_once(' ') {
        Some((first, last)) => format!("{first} {}", last.replace('ا', "")),
        None => slug.replace('ا', ""),
    }
}

/// Whether `long` is `short` with one more alef inside (not first or last): ترامب / ترمب,
/// نتانياهو / نتنياهو; صالح and صلاح, or بوتينا and بوتين, are different names.
fn one_alef_more(long: &str, short: &str) -> bool {
    let (l, s): (Vec<char>, Vec<char>) = (long.chars().collect(), short.chars().collect());
    l.len() == s.len() + 1
        && s.len() >= 3
        && (1..l.len() - 1).any(|i| l[i] == 'ا' && l[..i] == s[..i] && l[i + 1..] == s[i..])
}

/// Two spellings of one full name: the same first names, family names one alef apart.
fn spellings_of_one_name(a: &str, b: &str) -> bool {
    match (a.rsplit_once(' '), b.rsplit_once(' ')) {
        (Some((fa, la)), Some((fb, lb))) => {
            fa == fb && (one_alef_more(la, lb) || one_alef_more(lb, la))
        }
        _ => false,
    }
}

/// The family name of a full-name slug that can stand for it alone: two words or more, no
/// name particle, a last word of three letters or more (without the article).
fn family_name(slug: &str) -> Option<String> {
    let words: Vec<&str> = slug.split(' ').collect();
    if words.len() < 2 || words.iter().any(|w| cues::is_name_particle(w)) {
        return None;
    }
    // Compared in the form topic slugs have, so a topic «الحريري» meets «سعد الحريري».
    let last = without_article(words.last()?);
    (last.chars().count() >= 3).then(|| last.to_string())
}

impl People {
    /// From the store's person tags: (slug, display name, articles).
    pub fn from_rows(rows: impl IntoIterator<Item = (String, String, i64)>) -> People {
        let mut p = People::default();
        for (slug, name, articles) in rows {
            let articles = u32::try_from(articles.max(0)).unwrap_or(u32::MAX);
            p.add(&slug, &name, articles);
        }
        p
    }

    fn add(&mut self, slug: &str, name: &str, articles: u32) {
        let Some(family) = family_name(slug) else {
            return;
        };
        match self.known.get_mut(slug) {
            Some(e) => e.1 = e.1.saturating_add(articles),
            None => {
                self.known
                    .insert(slug.to_string(), (name.to_string(), articles));
                self.by_skeleton
                    .entry(skeleton(slug))
                    .or_default()
                    .push(slug.to_string());
                self.by_family
                    .entry(family)
                    .or_default()
                    .push(slug.to_string());
            }
        }
    }

    /// Counts the full-name person tags of one article.
    pub fn learn(&mut self, tags: &[Tag]) {
        for t in tags.iter().filter(|t| t.kind == "person") {
            self.add(&t.slug, &t.name, 1);
        }
    }

    /// The one established person a family name stands for.
    fn person(&self, family: &str) -> Option<(&str, &str)> {
        self.only_established(self.by_family.get(family)?)
    }

    /// The most established spelling of a full name when it is not `slug` itself.
    fn spelling(&self, slug: &str) -> Option<(&str, &str)> {
        let own = self.known.get(slug).map_or(0, |k| k.1);
        let (best, (name, n)) = self
            .by_skeleton
            .get(&skeleton(slug))?
            .iter()
            .filter(|other| spellings_of_one_name(other, slug))
            .filter_map(|other| Some((other.as_str(), self.known.get(other)?)))
            .max_by(|a, b| a.1.1.cmp(&b.1.1).then_with(|| b.0.cmp(a.0)))?;
        (*n >= ESTABLISHED && *n > own).then_some((best, name.as_str()))
    }

    fn only_established<'a>(&'a self, slugs: &'a [String]) -> Option<(&'a str, &'a str)> {
        let mut found = slugs.iter().filter_map(|slug| {
            let (name, n) = self.known.get(slug)?;
            (*n >= ESTABLISHED).then_some((slug.as_str(), name.as_str()))
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Rewrites tags found by the model: a one-word person or topic that names an established
    /// person by family name becomes that person, and a full name spelled one alef apart
    /// from a better established one (دونالد ترمب) takes that spelling (دونالد ترامب).
    /// Keeps the best-scored of duplicates.
    pub fn resolve(&self, tags: &mut Vec<Tag>) {
        let mut changed = false;
        for t in tags.iter_mut() {
            if t.origin != LabelOrigin::Model || !(t.kind == "person" || t.kind == "topic") {
                continue;
            }
            if !t.slug.contains(' ')
                && let Some((slug, name)) = self.person(&t.slug)
            {
                t.slug = slug.to_string();
                t.name = name.to_string();
                t.kind = "person".to_string();
                changed = true;
            }
            if t.kind == "person"
                && let Some((slug, name)) = self.spelling(&t.slug)
            {
                t.slug = slug.to_string();
                t.name = name.to_string();
                changed = true;
            }
        }
        if changed {
            let mut seen = HashSet::new();
            tags.retain(|t| seen.insert(t.slug.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::normalize;

    fn tag(name: &str, kind: &str, score: f32) -> Tag {
        Tag {
            slug: normalize(name),
            name: name.to_string(),
            kind: kind.to_string(),
            origin: LabelOrigin::Model,
            score,
        }
    }

    /// A registry as the store would give it: full names and their article counts.
    fn known(rows: &[(&str, i64)]) -> People {
        People::from_rows(
            rows.iter()
                .map(|(name, n)| (normalize(name), name.to_string(), *n)),
        )
    }

    /// Model tags with falling scores, after `p.resolve`.
    fn resolved(p: &People, tags: &[(&str, &str)]) -> Vec<Tag> {
        let mut tags: Vec<Tag> = tags
            .iter()
            .enumerate()
            .map(|(i, (name, kind))| tag(name, kind, 1.0 - i as f32 / 10.0))
            .collect();
        p.resolve(&mut tags);
        tags
    }

    fn names(tags: &[Tag]) -> Vec<&str> {
        tags.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn a_family_name_alone_is_the_established_person() {
        let mut p = People::default();
        let erdogan = tag("رجب طيب أردوغان", "person", 1.0);
        p.learn(std::slice::from_ref(&erdogan));
        let mut once = vec![tag("أردوغان", "topic", 1.0)];
        p.resolve(&mut once);
        assert_eq!(
            names(&once),
            ["أردوغان"],
            "one article does not establish a name"
        );

        p.learn(std::slice::from_ref(&erdogan));
        let mut tags = vec![
            tag("أردوغان", "topic", 1.0),
            tag("أنقرة", "place", 0.5),
            tag("رجب طيب أردوغان", "person", 0.4),
        ];
        p.resolve(&mut tags);
        assert_eq!(names(&tags), ["رجب طيب أردوغان", "أنقرة"]);
        assert_eq!(tags[0].kind, "person");
        assert_eq!(tags[0].score, 1.0, "the better score is kept");
    }

    #[test]
    fn a_transliteration_with_or_without_alef_is_the_same_person() {
        let p = known(&[
            ("دونالد ترامب", 4),
            ("دونالد ترمب", 2),
            ("محمد صلاح", 5),
            ("فلاديمير بوتين", 5),
        ]);
        let tags = resolved(
            &p,
            &[
                ("دونالد ترمب", "person"),
                ("ترمب", "topic"),
                ("صالح", "topic"),
                ("محمد صالح", "person"),
                ("بوتينا", "topic"),
            ],
        );
        assert_eq!(
            names(&tags),
            ["دونالد ترامب", "صالح", "محمد صالح", "بوتينا"]
        );
    }

    #[test]
    fn shared_family_names_particles_and_editors_labels_stay_as_they_are() {
        let mut p = known(&[
            ("محمد صلاح", 5),
            ("أحمد صلاح", 3),
            ("محمد بن سلمان", 9),
            ("سعد الحريري", 4),
        ]);
        p.learn(&[tag("ميشال عون", "person", 1.0)]);
        let mut editor = tag("الحريري", "topic", 1.0);
        editor.origin = LabelOrigin::Person;
        let mut tags = resolved(
            &p,
            &[
                ("صلاح", "topic"),
                ("سلمان", "topic"),
                ("حريري", "topic"),
                ("عون", "topic"),
                ("ليبيا", "place"),
            ],
        );
        tags.push(editor);
        p.resolve(&mut tags);
        assert_eq!(
            names(&tags),
            ["صلاح", "سلمان", "سعد الحريري", "عون", "ليبيا", "الحريري"]
        );
    }
}
