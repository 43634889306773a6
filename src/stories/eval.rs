//! `sahifa eval stories`: pair precision and recall of the grouping. From a corpus of
//! distinct articles (the dev sample) it builds copies the way wire copy reaches several
//! papers (another headline, boilerplate added, a third of the paragraphs dropped, only the
//! first half kept, spelling variants أ/ا ة/ه ى/ي, a re-post at the same source, all at
//! once) and picks pairs of distinct
//! articles on one subject (same section, within three days, sharing a tag or two
//! headline terms, at most twice as many as copies). Everything goes through the real write path into a store; a pair is
//! predicted "same story" when both articles end up in one story.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::Duration;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::arabic::Analyzer;
use crate::ingest::Incoming;
use crate::newsroom::Newsroom;

/// The kinds of copy built from an original.
pub const KINDS: [&str; 7] = [
    "headline",
    "boilerplate",
    "dropped",
    "half",
    "spelling",
    "repost",
    "all",
];

/// The source name of the built copies (another paper printing the same wire).
pub const COPY_SOURCE: &str = "eval-copy";

const BOILERPLATE: [&str; 4] = [
    "تابعونا على مواقع التواصل الاجتماعي لمزيد من الأخبار العاجلة والتغطيات الخاصة.",
    "جميع الحقوق محفوظة للناشر ولا يجوز إعادة النشر دون إذن مسبق.",
    "اشترك في النشرة البريدية ليصلك ملخص أهم الأخبار كل صباح.",
    "المصدر: وكالات الأنباء",
];

/// One labelled pair: ((source, id), (source, id), kind); kind `distinct` for negatives.
pub type Pair = ((String, String), (String, String), String);

/// The records to import (originals and copies) and the labelled copy pairs.
pub struct Built {
    pub originals: Vec<Incoming>,
    pub records: Vec<Incoming>,
    pub pairs: Vec<Pair>,
    pub seed: u64,
}

fn key(r: &Incoming) -> (String, String) {
    (
        r.source.clone().unwrap_or_default(),
        r.id.clone().unwrap_or_default(),
    )
}

fn spelling(text: &str) -> String {
    text.replace(['أ', 'إ', 'آ'], "ا")
        .replace('ة', "ه")
        .replace('ى', "ي")
}

/// A copy of `o` of `kind`.
fn copy(o: &Incoming, kind: &str, n: usize, rng: &mut StdRng) -> Incoming {
    let mut c = o.clone();
    let mut paragraphs: Vec<String> = o.body.lines().map(str::to_string).collect();
    let other_headline = |paragraphs: &[String]| -> String {
        let words: Vec<&str> = paragraphs
            .first()
            .map(|p| p.split_whitespace().take(9).collect())
            .unwrap_or_default();
        format!("عاجل | {}", words.join(" "))
    };
    let all = kind == "all";
    if kind == "headline" || kind == "repost" || all {
        c.title = Some(other_headline(&paragraphs));
    }
    if kind == "dropped" || all {
        // About a third of the paragraphs go (never the first, never all).
        if paragraphs.len() > 2 {
            let keep_last = rng.random_bool(0.5);
            let drop = paragraphs.len() / 3;
            for _ in 0..drop.max(1) {
                let i = if keep_last {
                    paragraphs.len() - 2
                } else {
                    paragraphs.len() - 1
                };
                paragraphs.remove(i.max(1));
            }
        } else if let Some(p) = paragraphs.first_mut() {
            let words: Vec<&str> = p.split_whitespace().collect();
            *p = words[..words.len() * 2 / 3].join(" ");
        }
    }
    if kind == "half" {
        // Wire copy cut short: the first half of the paragraphs (at least one).
        paragraphs.truncate(paragraphs.len().div_ceil(2).max(1));
    }
    if kind == "boilerplate" || all {
        let b = BOILERPLATE[rng.random_range(0..BOILERPLATE.len())];
        paragraphs.push(b.to_string());
        paragraphs.insert(0, BOILERPLATE[3].to_string());
    }
    c.body = paragraphs.join("\n");
    if kind == "spelling" || all {
        c.body = spelling(&c.body);
        c.title = c.title.as_deref().map(spelling);
    }
    c.source = if kind == "repost" {
        o.source.clone()
    } else {
        Some(COPY_SOURCE.to_string())
    };
    c.id = Some(format!("{}-copy-{n}", o.id.as_deref().unwrap_or("x")));
    c.url = None;
    let hours = rng.random_range(1..=36);
    c.published = o.published.map(|p| p + Duration::hours(hours));
    c
}

/// Builds `copies` copies (kinds in turn) of randomly chosen originals.
pub fn build(originals: Vec<Incoming>, copies: usize, seed: u64) -> Built {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..originals.len()).collect();
    order.shuffle(&mut rng);
    let mut records = originals.clone();
    let mut pairs = Vec::new();
    for (n, &i) in order.iter().take(copies).enumerate() {
        let kind = KINDS[n % KINDS.len()];
        let c = copy(&originals[i], kind, n, &mut rng);
        pairs.push((key(&originals[i]), key(&c), kind.to_string()));
        records.push(c);
    }
    Built {
        originals,
        records,
        pairs,
        seed,
    }
}

/// Pairs of distinct originals on one subject: same section, within three days, and a
/// shared tag (as the tagger found them) or two shared headline terms; at most `max`,
/// chosen at random.
async fn distinct_pairs(
    store: &crate::store::Store,
    originals: &[Incoming],
    max: usize,
    seed: u64,
) -> anyhow::Result<Vec<Pair>> {
    let a = Analyzer;
    let mut info = Vec::with_capacity(originals.len());
    for r in originals {
        let (source, id) = key(r);
        let tags: HashSet<String> = match store.article(&source, &id).await? {
            Some(stored) => stored.tags.into_iter().map(|t| t.slug).collect(),
            None => HashSet::new(),
        };
        let terms: HashSet<String> = a
            .terms(r.title.as_deref().unwrap_or(""))
            .into_iter()
            .collect();
        info.push((tags, terms));
    }
    let mut out = Vec::new();
    for i in 0..originals.len() {
        for j in i + 1..originals.len() {
            let (x, y) = (&originals[i], &originals[j]);
            if x.category.is_none() || x.category != y.category {
                continue;
            }
            let close = match (x.published, y.published) {
                (Some(p), Some(q)) => (p - q).num_hours().abs() <= 72,
                _ => false,
            };
            let subject = info[i].0.intersection(&info[j].0).next().is_some()
                || info[i].1.intersection(&info[j].1).count() >= 2;
            if close && subject {
                out.push((key(x), key(y), "distinct".to_string()));
            }
        }
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    out.shuffle(&mut rng);
    out.truncate(max);
    Ok(out)
}

/// Pair counts and the measures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub articles: usize,
    pub positive_pairs: usize,
    pub negative_pairs: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub precision: f64,
    pub recall: f64,
    /// Recall per kind of copy.
    pub recall_by_kind: Vec<(String, f64)>,
    /// Stories of two or more articles after the import.
    pub stories: usize,
    /// Headlines of merged distinct pairs (for a look).
    pub merged_distinct: Vec<(String, String)>,
}

/// Imports `built` through `newsroom` and measures which pairs share a story.
pub async fn measure(newsroom: &Newsroom, built: Built) -> anyhow::Result<Report> {
    let titles: HashMap<(String, String), String> = built
        .records
        .iter()
        .map(|r| (key(r), r.title.clone().unwrap_or_default()))
        .collect();
    let articles = built.records.len();
    let report = newsroom
        .ingest_records(built.records, "eval", "eval")
        .await?;
    anyhow::ensure!(
        report.rejected() == 0,
        "records rejected: {:?}",
        report.rejections
    );
    let store = newsroom.store();
    let mut pairs = built.pairs;
    let max = 2 * pairs.len().max(50);
    pairs.extend(distinct_pairs(store, &built.originals, max, built.seed).await?);
    let mut story_of: HashMap<(String, String), Option<i64>> = HashMap::new();
    let mut out = Report {
        articles,
        ..Report::default()
    };
    let mut by_kind: HashMap<String, (usize, usize)> = HashMap::new();
    for (x, y, kind) in &pairs {
        for k in [x, y] {
            if !story_of.contains_key(k) {
                story_of.insert(k.clone(), store.story_pk(&k.0, &k.1).await?);
            }
        }
        let same = matches!((story_of[x], story_of[y]), (Some(a), Some(b)) if a == b);
        if kind == "distinct" {
            out.negative_pairs += 1;
            if same {
                out.false_positives += 1;
                out.merged_distinct
                    .push((titles[x].clone(), titles[y].clone()));
            }
        } else {
            out.positive_pairs += 1;
            let e = by_kind.entry(kind.clone()).or_default();
            e.1 += 1;
            if same {
                out.true_positives += 1;
                e.0 += 1;
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    out.precision = ratio(out.true_positives, out.true_positives + out.false_positives);
    out.recall = ratio(out.true_positives, out.positive_pairs);
    out.recall_by_kind = KINDS
        .iter()
        .filter_map(|k| by_kind.get(*k).map(|(a, b)| (k.to_string(), ratio(*a, *b))))
        .collect();
    out.stories = store.stories(i64::MAX).await?.len();
    Ok(out)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "articles {}, copy pairs {}, distinct pairs on one subject {}",
            self.articles, self.positive_pairs, self.negative_pairs
        )?;
        writeln!(
            f,
            "pair precision {:.3} ({} of {} merged pairs right), recall {:.3} ({} of {})",
            self.precision,
            self.true_positives,
            self.true_positives + self.false_positives,
            self.recall,
            self.true_positives,
            self.positive_pairs
        )?;
        for (k, r) in &self.recall_by_kind {
            writeln!(f, "  recall {k}: {r:.3}")?;
        }
        writeln!(f, "stories of two or more: {}", self.stories)?;
        for (a, b) in self.merged_distinct.iter().take(10) {
            writeln!(f, "  merged distinct: {a} | {b}")?;
        }
        Ok(())
    }
}
