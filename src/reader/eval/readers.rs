//! The simulated readers of `sahifa eval foryou`, the lists they are shown and the metrics.

use std::collections::{HashMap, HashSet};
use std::fmt;

use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::Labels;
use crate::accounts::Role;
use crate::app::AppState;
use crate::reader::feed::snapshot::Snapshot;
use crate::reader::{Event, FollowKind, SignalKind};

/// Precision@10 and nDCG@10, averaged over readers.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Metrics {
    pub precision_at_10: f64,
    pub ndcg_at_10: f64,
}

/// One interest model's results.
#[derive(Debug, Serialize)]
pub struct ModelReport {
    pub model: &'static str,
    pub readers: usize,
    pub for_you: Metrics,
    pub recency: Metrics,
    pub popularity: Metrics,
}

/// The whole evaluation.
#[derive(Debug, Serialize)]
pub struct Report {
    pub articles: usize,
    pub models: Vec<ModelReport>,
    /// Tag followers: share of the followed tag's three newest unread articles in the
    /// first ten of the feed.
    pub followed_tag_newest_in_top_10: f64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} articles, categories hidden", self.articles)?;
        writeln!(
            f,
            "{:<34} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "readers (model)",
            "n",
            "P@10",
            "nDCG@10",
            "rec P@10",
            "rec nDCG",
            "pop P@10",
            "pop nDCG"
        )?;
        for m in &self.models {
            writeln!(
                f,
                "{:<34} {:>7} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
                m.model,
                m.readers,
                m.for_you.precision_at_10,
                m.for_you.ndcg_at_10,
                m.recency.precision_at_10,
                m.recency.ndcg_at_10,
                m.popularity.precision_at_10,
                m.popularity.ndcg_at_10
            )?;
        }
        writeln!(
            f,
            "tag followers: {:.3} of the tag's three newest articles are in their first ten",
            self.followed_tag_newest_in_top_10
        )
    }
}

type Key = (String, String);

/// One reader: what they do, and what is relevant to them.
struct Reader {
    opens: Vec<Key>,
    follows: Vec<(FollowKind, String)>,
    relevant: Box<dyn Fn(&Key) -> bool>,
    /// For tag followers: the tag's newest unread articles.
    newest: Vec<Key>,
}

fn metrics(list: &[Key], relevant: &dyn Fn(&Key) -> bool, total_relevant: usize) -> Metrics {
    let rel: Vec<bool> = list.iter().take(10).map(relevant).collect();
    let hits = rel.iter().filter(|r| **r).count();
    let dcg: f64 = rel
        .iter()
        .enumerate()
        .filter(|(_, r)| **r)
        .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
        // A float sum of nothing is -0.0, printed "-0.000": start from +0.0.
        .fold(0.0, |a, b| a + b);
    let ideal: f64 = (0..total_relevant.min(10))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    Metrics {
        precision_at_10: hits as f64 / 10.0,
        ndcg_at_10: if ideal > 0.0 { dcg / ideal } else { 0.0 },
    }
}

fn key(snap: &Snapshot, i: u32) -> Key {
    let it = snap.item(i);
    (snap.source_name(it).to_string(), it.id().to_string())
}

/// Builds the readers of the three interest models.
fn readers(
    snap: &Snapshot,
    labels: &Labels,
    per_model: usize,
    rng: &mut StdRng,
) -> Vec<(&'static str, Reader)> {
    let labels = std::sync::Arc::new(labels.clone());
    let mut by_section: HashMap<String, Vec<Key>> = HashMap::new();
    for &i in &snap.recent {
        let k = key(snap, i);
        if let Some(c) = labels.get(&k) {
            by_section.entry(c.clone()).or_default().push(k);
        }
    }
    let mut sections: Vec<String> = by_section.keys().cloned().collect();
    sections.sort();
    let mut out = Vec::new();
    for n in 0..per_model {
        // One section: opens eight of its recent articles.
        let s = sections[n % sections.len()].clone();
        let pool = &by_section[&s];
        let recent = &pool[..pool.len().div_ceil(2)];
        let opens: Vec<Key> = recent.choose_multiple(rng, 8).cloned().collect();
        let l = labels.clone();
        let want = s.clone();
        out.push((
            "one section, 8 opened",
            Reader {
                opens,
                follows: Vec::new(),
                relevant: Box::new(move |k| l.get(k) == Some(&want)),
                newest: Vec::new(),
            },
        ));
    }
    let mut tags: Vec<u32> = snap
        .by_tag
        .iter()
        .filter(|(_, v)| v.len() >= 8)
        .map(|(t, _)| *t)
        .collect();
    tags.sort_unstable();
    tags.shuffle(rng);
    for &t in tags.iter().take(per_model) {
        // A tag: follows it and opens two of its articles.
        let items = &snap.by_tag[&t];
        let opens: Vec<Key> = items
            .choose_multiple(rng, 2)
            .map(|&i| key(snap, i))
            .collect();
        let members: HashSet<Key> = items.iter().map(|&i| key(snap, i)).collect();
        let newest = items
            .iter()
            .map(|&i| key(snap, i))
            .filter(|k| !opens.contains(k))
            .take(3)
            .collect();
        out.push((
            "a followed tag, 2 opened",
            Reader {
                opens,
                follows: vec![(FollowKind::Tag, snap.tag_slug(t).to_string())],
                relevant: Box::new(move |k| members.contains(k)),
                newest,
            },
        ));
    }
    for _ in 0..per_model {
        // Two sections: opens four of each and follows one section.
        let mut pick: Vec<String> = sections.choose_multiple(rng, 2).cloned().collect();
        pick.sort();
        let mut opens = Vec::new();
        for s in &pick {
            let pool = &by_section[s];
            opens.extend(
                pool[..pool.len().div_ceil(2)]
                    .choose_multiple(rng, 4)
                    .cloned(),
            );
        }
        let follow = pick[rng.random_range(0..2)].clone();
        let l = labels.clone();
        out.push((
            "two sections, 8 opened, 1 followed",
            Reader {
                opens,
                follows: vec![(FollowKind::Section, follow)],
                relevant: Box::new(move |k| l.get(k).is_some_and(|c| pick.contains(c))),
                newest: Vec::new(),
            },
        ));
    }
    out
}

/// Runs every reader through the real use-cases and averages the metrics per model.
pub async fn evaluate(
    state: &AppState,
    labels: &Labels,
    per_model: usize,
    seed: u64,
) -> anyhow::Result<Report> {
    let snap = state.reader.features.snapshot().await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let all = readers(&snap, labels, per_model, &mut rng);
    let mut popular: Vec<u32> = snap.recent.clone();
    popular.sort_by(|a, b| {
        snap.carried_by[*b as usize]
            .cmp(&snap.carried_by[*a as usize])
            .then_with(|| snap.newest_first(*a, *b))
    });
    let mut sums: Vec<(&'static str, usize, [Metrics; 3])> = Vec::new();
    let (mut newest_hits, mut newest_total) = (0usize, 0usize);
    for (n, (model, r)) in all.into_iter().enumerate() {
        let user = state
            .accounts
            .add_user(
                &format!("reader{n}@example.com"),
                "simulated-reader",
                Role::Reader,
                true,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (source, id) in &r.opens {
            let e = Event {
                kind: SignalKind::Open,
                source: source.clone(),
                id: id.clone(),
                axis: None,
                value: None,
            };
            state
                .reader
                .record(user.pk, &e)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        for (kind, value) in &r.follows {
            state
                .reader
                .follow(user.pk, *kind, value)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let page = state
            .reader
            .feed(
                user.pk,
                10,
                None,
                crate::locale::Tr::new(crate::locale::Locale::Ar),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let feed: Vec<Key> = page.items.into_iter().map(|i| (i.source, i.id)).collect();
        let unread = |list: &[u32]| -> Vec<Key> {
            list.iter()
                .map(|&i| key(&snap, i))
                .filter(|k| !r.opens.contains(k))
                .take(10)
                .collect()
        };
        let total = snap
            .recent
            .iter()
            .map(|&i| key(&snap, i))
            .filter(|k| !r.opens.contains(k) && (r.relevant)(k))
            .count();
        let m = [
            metrics(&feed, &*r.relevant, total),
            metrics(&unread(&snap.recent), &*r.relevant, total),
            metrics(&unread(&popular), &*r.relevant, total),
        ];
        newest_total += r.newest.len();
        newest_hits += r.newest.iter().filter(|k| feed.contains(k)).count();
        match sums.iter_mut().find(|s| s.0 == model) {
            Some(s) => {
                s.1 += 1;
                for (acc, x) in s.2.iter_mut().zip(m) {
                    acc.precision_at_10 += x.precision_at_10;
                    acc.ndcg_at_10 += x.ndcg_at_10;
                }
            }
            None => sums.push((model, 1, m)),
        }
    }
    let avg = |m: Metrics, n: usize| Metrics {
        precision_at_10: m.precision_at_10 / n.max(1) as f64,
        ndcg_at_10: m.ndcg_at_10 / n.max(1) as f64,
    };
    Ok(Report {
        articles: snap.len(),
        models: sums
            .into_iter()
            .map(|(model, n, [f, r, p])| ModelReport {
                model,
                readers: n,
                for_you: avg(f, n),
                recency: avg(r, n),
                popularity: avg(p, n),
            })
            .collect(),
        followed_tag_newest_in_top_10: newest_hits as f64 / newest_total.max(1) as f64,
    })
}
