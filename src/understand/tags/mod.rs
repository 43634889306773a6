//! Tags: the people, places, organisations and topics an article is about. Places come from
//! the CLDR gazetteer (every form of a country is one tag), people from titles before names
//! (المشير خليفة حفتر), organisations and places from kind words before names (وكالة
//! «سبوتنيك», مدينة بنغازي), topics from quotations and from n-grams that are frequent in
//! the article but rare in the training corpus. Stop words, boilerplate words and generic
//! words never become tags.

pub mod cues;
mod seq;
pub mod words;

use std::collections::{HashMap, HashSet};

use crate::arabic::normalize;
use crate::ingest::boilerplate::Boilerplate;
use crate::model::{Article, LabelOrigin, Tag};

use super::corpus::CorpusStats;
use super::features::{MAX_TEXT_BYTES, truncate};
use super::gazetteer::{Gazetteer, MAX_WORDS};
use seq::Seq;
use words::is_content;

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

/// The tagger: corpus statistics, the gazetteer and the words that may never be tags.
#[derive(Debug, Clone)]
pub struct Tagger {
    corpus: CorpusStats,
    gazetteer: Gazetteer,
    banned: HashSet<String>,
}

impl Tagger {
    pub fn new(corpus: CorpusStats) -> Tagger {
        let banned = Boilerplate::default()
            .words()
            .filter(|w| w.chars().count() >= 3)
            .map(|w| words::fold_clitics(w).0)
            .collect();
        Tagger {
            corpus,
            gazetteer: Gazetteer::default(),
            banned,
        }
    }

    fn frac(&self, key: &str) -> f32 {
        self.corpus.doc_fraction(key)
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
        let mut cands: Vec<(String, Cand)> = Vec::new();
        self.places(&mut seq, &mut cands);
        self.people(&mut seq, &mut cands);
        self.named_after_kind(&mut seq, &mut cands);
        self.quotations(&mut seq, &mut cands);
        self.salient(&mut seq, &mut cands);
        rank(cands)
    }

    /// Gazetteer names, longest first.
    fn places(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut i = 0;
        while i < seq.len() {
            let mut step = 1;
            for n in (1..=MAX_WORDS).rev() {
                if !seq.free_run(i, n) {
                    continue;
                }
                let key = seq.keys(i, n).join(" ");
                if let Some(p) = self.gazetteer.lookup(&key) {
                    let idf = self.corpus.idf(&p.slug);
                    add(cands, &p.slug, Kind::Place, &p.name, seq.weight[i], idf);
                    seq.used[i..i + n].iter_mut().for_each(|u| *u = true);
                    step = n;
                    break;
                }
            }
            i += step;
        }
    }

    /// Names after a title: المشير خليفة حفتر, وزير الخارجية الأمريكي مايك بومبيو.
    fn people(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for i in 0..seq.len() {
            if !cues::is_person_title(seq.key(i)) {
                continue;
            }
            let mut j = i + 1;
            // Descriptors between title and name: الخارجية, الأمريكي (a claimed nisba).
            while j < seq.len()
                && j <= i + 3
                && seq.words[j].joined
                && (seq.used[j]
                    || seq.key(j).starts_with("ال")
                    || cues::is_person_title(seq.key(j)))
            {
                j += 1;
            }
            let start = j;
            while j < seq.len() && j < start + 3 && seq.words[j].joined && !seq.used[j] {
                let k = seq.key(j);
                let first = j == start;
                let after_particle = !first && cues::is_name_particle(seq.key(j - 1));
                let limit = if first {
                    FIRST_NAME_FRACTION
                } else {
                    NAME_FRACTION
                };
                // After a name has begun, يـ/تـ words are almost always verbs (بوتين يستقبل).
                let verb = !first && looks_like_verb(k);
                let ok = !verb
                    && self.usable(k)
                    && !cues::is_person_title(k)
                    && !cues::is_organisation_kind(k)
                    && !cues::is_place_kind(k)
                    && (!k.starts_with("ال")
                        || after_particle
                        || (!first && self.frac(k) < NAME_FRACTION))
                    && (self.frac(k) < limit || cues::is_name_particle(k) || after_particle);
                if !ok {
                    break;
                }
                j += 1;
            }
            while j > start && cues::is_name_particle(seq.key(j - 1)) {
                j -= 1;
            }
            let n = j - start;
            if n >= 2 || (n == 1 && self.frac(seq.key(start)) < GENERIC_FRACTION) {
                found.push((start, n));
            }
        }
        for (start, n) in found {
            if seq.used[start..start + n].iter().any(|&u| u) && !seq.free_run(start, n) {
                continue;
            }
            let keys = seq.keys(start, n);
            let name = seq.surface(start, n);
            let slug = keys.join(" ");
            let mut count = seq.claim_all(&keys);
            if n >= 2 {
                // Later mentions by family name: حفتر.
                if let Some(last) = keys.last().filter(|k| self.frac(k) < NAME_FRACTION) {
                    count += seq.claim_all(std::slice::from_ref(last));
                }
            }
            let idf = self.corpus.idf(keys.last().map_or("", String::as_str));
            add(cands, &slug, Kind::Person, &name, count, idf);
        }
    }

    /// Names after a kind word: وكالة «سبوتنيك» (organisation), مدينة بنغازي (place).
    fn named_after_kind(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut found: Vec<(usize, usize, Kind)> = Vec::new();
        for i in 0..seq.len().saturating_sub(1) {
            let k = seq.key(i);
            let kind = if cues::is_organisation_kind(k) {
                Kind::Organisation
            } else if cues::is_place_kind(k) {
                Kind::Place
            } else {
                continue;
            };
            let j = i + 1;
            let next = &seq.words[j];
            let n = match next.quote {
                Some(q) if seq.words[i].quote != Some(q) => {
                    let n = (j..seq.len())
                        .take_while(|&m| seq.words[m].quote == Some(q))
                        .count();
                    if n > MAX_WORDS {
                        continue;
                    }
                    n
                }
                _ if next.joined
                    && !next.key.starts_with("ال")
                    && self.frac(&next.key) < GENERIC_FRACTION =>
                {
                    1
                }
                _ => continue,
            };
            if seq.free_run(j, n) && (j..j + n).all(|m| self.usable(seq.key(m))) {
                found.push((j, n, kind));
            }
        }
        for (j, n, kind) in found {
            if !seq.free_run(j, n) {
                continue;
            }
            let keys = seq.keys(j, n);
            let name = seq.surface(j, n);
            let count = seq.claim_all(&keys);
            let idf = self.corpus.idf(&keys.join(" "));
            add(cands, &keys.join(" "), kind, &name, count, idf);
        }
    }

    /// Short quotations of rare words: «فيسبوك».
    fn quotations(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut i = 0;
        while i < seq.len() {
            let Some(q) = seq.words[i].quote else {
                i += 1;
                continue;
            };
            let n = (i..seq.len())
                .take_while(|&m| seq.words[m].quote == Some(q))
                .count();
            let keys = seq.keys(i, n);
            if n <= 3
                && seq.free_run(i, n)
                && keys.iter().all(|k| self.usable(k))
                && keys.iter().any(|k| self.frac(k) < GENERIC_FRACTION)
            {
                let name = seq.surface(i, n);
                let count = seq.claim_all(&keys);
                let idf = self.corpus.idf(&keys.join(" "));
                add(cands, &keys.join(" "), Kind::Topic, &name, count * 1.2, idf);
            }
            i += n;
        }
    }

    /// Frequent in the article, rare in the corpus: bigrams first, then single words.
    fn salient(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        for n in [2usize, 1] {
            let mut counts: HashMap<Vec<String>, (f32, usize, u32)> = HashMap::new();
            for i in 0..seq.len() {
                if seq.free_run(i, n)
                    && (i..i + n).all(|j| self.usable(seq.key(j)))
                    && (n == 1 || !(i..i + n).any(|j| looks_like_verb(seq.key(j))))
                {
                    let e = counts.entry(seq.keys(i, n)).or_insert((0.0, i, 0));
                    e.0 += seq.weight[i];
                    e.2 += 1;
                }
            }
            let mut list: Vec<(Vec<String>, f32, usize)> = counts
                .into_iter()
                .filter(|(keys, (c, _, occurrences))| {
                    *c >= 2.0
                        && *occurrences >= 2
                        && self.frac(&keys.join(" ")) < GENERIC_FRACTION
                        && (n == 1 || keys.iter().any(|k| self.frac(k) < GENERIC_FRACTION))
                })
                .map(|(k, (c, i, _))| (k, c, i))
                .collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            for (keys, _, i) in list {
                let name = seq.surface(i, n);
                let count = seq.claim_all(&keys);
                if count < 2.0 {
                    continue;
                }
                let idf = self.corpus.idf(&keys.join(" "));
                let slug = keys.join(" ");
                let slug = match slug.strip_prefix("ال") {
                    Some(rest) if n == 1 && rest.chars().count() >= 3 => rest.to_string(),
                    _ => slug,
                };
                add(cands, &slug, Kind::Topic, &name, count, idf);
            }
        }
    }
}

/// Imperfect-tense verbs (يكشف، تكشف، ستناصر) make poor parts of topic phrases.
fn looks_like_verb(key: &str) -> bool {
    let k = key.strip_prefix('س').unwrap_or(key);
    k.chars().count() >= 4 && k.starts_with(['ي', 'ت'])
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
            slug: normalize(&slug),
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
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        let inc = crate::ingest::Incoming {
            title: Some(title.into()),
            body: body.into(),
            ..Default::default()
        };
        crate::ingest::prepare(inc, "t", &Default::default()).expect("valid")
    }

    #[test]
    fn nisba_forms_are_one_place_and_titles_find_people() {
        let t = Tagger::new(CorpusStats::default());
        let tags = t.tags(&article(
            "الرئيس الروسي فلاديمير بوتين يستقبل وفدا ليبيا",
            "استقبل الرئيس الروسي فلاديمير بوتين الوفد الليبي في موسكو. وقال بوتين إن \
             العلاقات الليبية الروسية قوية، وإن روسيا تدعم ليبيا.",
        ));
        let find = |slug: &str| tags.iter().filter(|t| t.slug == slug).count();
        assert_eq!(find("ليبيا"), 1, "{tags:?}");
        assert_eq!(find("روسيا"), 1, "{tags:?}");
        let putin = tags.iter().find(|t| t.kind == "person").expect("a person");
        assert_eq!(putin.name, "فلاديمير بوتين");
        assert!(tags.len() <= MAX_TAGS);
        assert!(
            tags.windows(2).all(|w| w[0].score >= w[1].score),
            "ordered by score"
        );
    }

    #[test]
    fn nothing_to_tag_gives_no_tags() {
        let t = Tagger::new(CorpusStats::default());
        assert!(
            t.tags(&article("English title", "Only English words here."))
                .is_empty()
        );
    }
}
