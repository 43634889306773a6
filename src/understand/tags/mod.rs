//! Tags: the people, places, organisations and topics an article is about. Places come from
//! the CLDR gazetteer (every form of a country is one tag), people from titles before names
//! (المشير خليفة حفتر), organisations and places from kind words before names (وكالة
//! «سبوتنيك», مدينة بنغازي), topics from quotations and from n-grams that are frequent in
//! the article but rare in the training corpus. Stop words, boilerplate words and generic
//! words never become tags.

pub mod cues;
mod find;
mod names;
mod seq;
pub mod words;

use std::collections::{HashMap, HashSet};

use crate::arabic::stopwords;
use crate::ingest::boilerplate::Boilerplate;
use crate::model::{Article, LabelOrigin, Tag};

use super::corpus::CorpusStats;
use super::features::{MAX_TEXT_BYTES, truncate};
use super::gazetteer::{Gazetteer, MAX_WORDS};
use names::topic_slug;
use seq::Seq;
use words::{is_content, strip_proclitic};

/// At most this many tags per article.
pub const MAX_TAGS: usize = 8;
/// A word or phrase in more than this fraction of the corpus is too generic for a topic.
const GENERIC_FRACTION: f32 = 0.03;
/// Later parts of a name must be rarer than this; a first name may be more common.
const NAME_FRACTION: f32 = 0.05;
const FIRST_NAME_FRACTION: f32 = 0.25;
/// Occurrences in the headline count this much more than in the body.
const TITLE_WEIGHT: f32 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Place,
    Organisation,
    Topic,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Organisation => "organisation",
            Kind::Topic => "topic",
        }
    }
    /// Named entities found by the gazetteer or a cue are better evidence than frequency.
    fn bonus(self) -> f32 {
        match self {
            Kind::Person => 1.5,
            Kind::Place | Kind::Organisation => 1.3,
            Kind::Topic => 1.0,
        }
    }
}

#[derive(Debug)]
struct Cand {
    kind: Kind,
    name: String,
    count: f32,
    idf: f32,
}

/// The words of boilerplate phrases that may never be part of a tag.
fn banned_words(boilerplate: &Boilerplate) -> HashSet<String> {
    boilerplate
        .words()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| words::fold_clitics(w).0)
        .collect()
}

/// The tagger: corpus statistics, the gazetteer and the words that may never be tags.
#[derive(Debug, Clone)]
pub struct Tagger {
    corpus: CorpusStats,
    gazetteer: Gazetteer,
    banned: HashSet<String>,
}

impl Tagger {
    pub fn new(corpus: CorpusStats) -> Tagger {
        Tagger {
            corpus,
            gazetteer: Gazetteer::default(),
            banned: banned_words(&Boilerplate::default()),
        }
    }

    /// The tagger with the words of `boilerplate` (the configured `boilerplate_file` added
    /// to the shipped phrases) kept out of tags.
    pub fn with_boilerplate(mut self, boilerplate: &Boilerplate) -> Tagger {
        self.banned = banned_words(boilerplate);
        self
    }

    fn frac(&self, key: &str) -> f32 {
        self.corpus.doc_fraction(key)
    }

    /// [`topic_slug`] with the corpus saying which masculine forms are words.
    fn topic_slug(&self, keys: &[String]) -> String {
        topic_slug(keys, |m| {
            self.frac(m) > 0.0 || self.frac(&format!("ال{m}")) > 0.0
        })
    }

    /// Whether the pair `prev next` is in at least half of the corpus documents that have
    /// either word, and in four documents or more: a family name after its first name
    /// (دونالد ترامب; دونالد ترمب, where ترمب is the rarer spelling).
    fn collocated(&self, prev: &str, next: &str) -> bool {
        let pair = self.frac(&format!("{prev} {next}"));
        pair * self.corpus.docs as f32 >= 4.0
            && (pair >= 0.5 * self.frac(prev) || pair >= 0.5 * self.frac(next))
    }

    /// Whether `key` is و, ف, ب, ل or ك attached to a word of at least `letters` letters
    /// that is more common than the whole (ومحاميه, لوصف).
    fn attached(&self, key: &str, letters: usize) -> bool {
        strip_proclitic(key).is_some_and(|rest| {
            rest.chars().count() >= letters
                && !rest.starts_with("ال")
                && self.frac(rest) > self.frac(key)
        })
    }

    /// A word that may be part of a tag.
    fn usable(&self, key: &str) -> bool {
        is_content(key) && !self.banned.contains(key)
    }

    /// The article's tags, best first, at most [`MAX_TAGS`].
    pub fn tags(&self, a: &Article) -> Vec<Tag> {
        let mut head = a.title.clone();
        if let Some(s) = &a.subtitle {
            head.push('\n');
            head.push_str(s);
        }
        let body = a.body.join("\n");
        let mut seq = Seq::new(&[
            (truncate(&head, MAX_TEXT_BYTES), TITLE_WEIGHT),
            (truncate(&body, MAX_TEXT_BYTES), 1.0),
        ]);
        self.fold_prefixes(&mut seq);
        let mut cands: Vec<(String, Cand)> = Vec::new();
        self.places(&mut seq, &mut cands);
        self.people(&mut seq, &mut cands);
        self.named_after_kind(&mut seq, &mut cands);
        self.quotations(&mut seq, &mut cands);
        self.salient(&mut seq, &mut cands);
        rank(cands)
    }
}

fn add(cands: &mut Vec<(String, Cand)>, slug: &str, kind: Kind, name: &str, count: f32, idf: f32) {
    if count <= 0.0 || slug.is_empty() {
        return;
    }
    if let Some((_, c)) = cands.iter_mut().find(|(s, _)| s == slug) {
        c.count += count;
        return;
    }
    cands.push((
        slug.to_string(),
        Cand {
            kind,
            name: name.to_string(),
            count,
            idf,
        },
    ));
}

/// Scores, orders and cuts the candidates; scores are scaled so the best is 1.
fn rank(cands: Vec<(String, Cand)>) -> Vec<Tag> {
    let mut tags: Vec<Tag> = cands
        .into_iter()
        .map(|(slug, c)| Tag {
            slug: crate::model::tag_slug(&slug),
            name: c.name,
            kind: c.kind.as_str().to_string(),
            origin: LabelOrigin::Model,
            score: c.count * c.idf * c.kind.bonus(),
        })
        .collect();
    tags.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    tags.truncate(MAX_TAGS);
    let best = tags.first().map_or(1.0, |t| t.score.max(f32::MIN_POSITIVE));
    for t in &mut tags {
        t.score = (t.score / best * 1000.0).round() / 1000.0;
    }
    tags
}

#[cfg(test)]
mod tests;
