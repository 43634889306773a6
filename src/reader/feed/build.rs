//! Builds and refreshes the feed's [`Snapshot`] from the store: a full build on first use
//! (and after deletions), then only the rows changed since the last look.

use std::collections::HashMap;
use std::sync::Arc;

use crate::arabic::Analyzer;
use crate::store::{FeedRow, Store};

use super::snapshot::{Item, Snapshot, Vocab};
use super::story;

/// Terms kept per article (the strongest by tf·idf).
const TERMS_PER_ARTICLE: usize = 24;
/// Rows read per query during a full build.
const PAGE: i64 = 2000;

/// The builder's state: term ids and document frequencies, the published items by key.
#[derive(Default)]
pub struct Builder {
    term_ids: HashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
    items: HashMap<i64, Arc<Item>>,
    vocab: Vocab,
    fingerprint: Option<(i64, i64)>,
    max_updated: i64,
    pins: Vec<(String, String)>,
}

/// An analysed row: the row and its weighted term counts.
struct Analysed {
    row: FeedRow,
    counts: Vec<(String, f32)>,
}

/// An analysed row whose terms are the builder's ids (what a full build holds for every
/// article until the document frequencies are known: a few bytes a term, not a string).
struct Interned {
    row: FeedRow,
    counts: Vec<(u32, f32)>,
}

fn analyse(rows: Vec<FeedRow>) -> Vec<Analysed> {
    let a = Analyzer;
    rows.into_iter()
        .map(|mut row| {
            let title = a.terms(&row.title);
            // The lead is only read for its terms: a full build holds every row until the
            // document frequencies are known, so it does not keep the text too.
            let lead = a.terms(&std::mem::take(&mut row.lead));
            let mut counts: HashMap<String, f32> = HashMap::new();
            for t in &title {
                *counts.entry(t.clone()).or_default() += 2.0;
            }
            if let Some(sub) = &row.subtitle {
                for t in a.terms(sub) {
                    *counts.entry(t).or_default() += 1.5;
                }
            }
            for t in &lead {
                *counts.entry(t.clone()).or_default() += 1.0;
            }
            let mut counts: Vec<(String, f32)> = counts.into_iter().collect();
            counts.sort_by(|x, y| x.0.cmp(&y.0));
            Analysed { row, counts }
        })
        .collect()
}

impl Builder {
    pub fn is_empty(&self) -> bool {
        self.fingerprint.is_none()
    }

    /// A full build from every row of the store, page by page: each page is analysed and
    /// its terms interned as it comes, so the build holds ids, not strings, for every article.
    pub async fn refresh(&mut self, store: &Store) -> anyhow::Result<Arc<Snapshot>> {
        let fingerprint = store.feed_fingerprint().await?;
        let pins = store
            .active_pins(crate::store::to_millis(chrono::Utc::now()))
            .await?;
        let mut fresh = Builder {
            pins,
            ..Builder::default()
        };
        let mut pending: Vec<Interned> = Vec::new();
        let mut after = 0;
        loop {
            let page = store.feed_rows(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.pk;
            let short = (page.len() as i64) < PAGE;
            (fresh, pending) = tokio::task::spawn_blocking(move || {
                for a in analyse(page) {
                    let a = fresh.intern(a);
                    fresh.count_document(&a.counts);
                    pending.push(a);
                }
                (fresh, pending)
            })
            .await?;
            if short {
                break;
            }
        }
        let mut b = tokio::task::spawn_blocking(move || {
            fresh.take(pending);
            fresh
        })
        .await?;
        b.fingerprint = Some(fingerprint);
        *self = b;
        Ok(self.snapshot())
    }

    /// Applies what changed since the last look; None when nothing did.
    pub async fn refresh_if_changed(
        &mut self,
        store: &Store,
    ) -> anyhow::Result<Option<Arc<Snapshot>>> {
        let fingerprint = store.feed_fingerprint().await?;
        let pins = store
            .active_pins(crate::store::to_millis(chrono::Utc::now()))
            .await?;
        if Some(fingerprint) == self.fingerprint && pins == self.pins {
            return Ok(None);
        }
        self.pins = pins;
        let changed = store.feed_rows_updated_since(self.max_updated).await?;
        let mut b = std::mem::take(self);
        b = tokio::task::spawn_blocking(move || {
            b.apply(changed);
            b
        })
        .await?;
        *self = b;
        if self.items.len() as i64 != fingerprint.0 {
            // Something was deleted or withdrawn without a newer row: start again.
            return self.refresh(store).await.map(Some);
        }
        self.fingerprint = Some(fingerprint);
        Ok(Some(self.snapshot()))
    }

    /// Takes changed rows into the item set (published ones in, others out).
    fn apply(&mut self, rows: Vec<FeedRow>) {
        let analysed: Vec<Interned> = analyse(rows).into_iter().map(|a| self.intern(a)).collect();
        for a in &analysed {
            if a.row.published_status && !self.items.contains_key(&a.row.pk) {
                self.count_document(&a.counts);
            }
        }
        self.take(analysed);
    }

    /// Takes analysed rows into the item set, their terms already counted.
    fn take(&mut self, analysed: Vec<Interned>) {
        for a in analysed {
            self.max_updated = self.max_updated.max(a.row.updated);
            if !a.row.published_status {
                self.items.remove(&a.row.pk);
                continue;
            }
            let item = self.item(a);
            self.items.insert(item.pk, Arc::new(item));
        }
    }

    /// The row with its terms as ids (new terms get the next id).
    fn intern(&mut self, a: Analysed) -> Interned {
        let counts = a
            .counts
            .into_iter()
            .map(|(t, c)| {
                let next = self.term_ids.len() as u32;
                (*self.term_ids.entry(t).or_insert(next), c)
            })
            .collect();
        Interned { row: a.row, counts }
    }

    fn count_document(&mut self, counts: &[(u32, f32)]) {
        self.docs += 1;
        for &(id, _) in counts {
            if id as usize >= self.df.len() {
                self.df.resize(id as usize + 1, 0);
            }
            self.df[id as usize] += 1;
        }
    }

    fn item(&mut self, a: Interned) -> Item {
        let n = self.docs.max(1) as f32;
        let mut terms: Vec<(u32, f32)> = a
            .counts
            .iter()
            .filter_map(|&(id, c)| {
                let df = self.df.get(id as usize).copied().unwrap_or(1).max(1) as f32;
                // Terms on most articles say nothing about interests.
                if df > n * 0.2 && n > 50.0 {
                    return None;
                }
                Some((id, (1.0 + c.ln()) * (1.0 + (n / df).ln())))
            })
            .collect();
        terms.sort_by(|x, y| y.1.total_cmp(&x.1));
        terms.truncate(TERMS_PER_ARTICLE);
        let norm = terms
            .iter()
            .map(|t| t.1 * t.1)
            .sum::<f32>()
            .sqrt()
            .max(1e-6);
        for t in terms.iter_mut() {
            t.1 /= norm;
        }
        terms.sort_by_key(|t| t.0);
        let r = a.row;
        let tags = r
            .tags
            .iter()
            .map(|(slug, name)| self.vocab.tag(slug, name))
            .collect();
        Item {
            pk: r.pk,
            source: self.vocab.source(&r.source),
            id: r.id,
            title: r.title,
            subtitle: r.subtitle,
            section: r.section,
            url: r.url,
            published: r.published,
            sort_time: r.sort_time,
            tags,
            terms,
            story: r.story,
        }
    }

    /// The indexes over the current items.
    fn snapshot(&self) -> Arc<Snapshot> {
        let mut items: Vec<Arc<Item>> = self.items.values().cloned().collect();
        items.sort_by(|a, b| b.sort_time.cmp(&a.sort_time).then(b.pk.cmp(&a.pk)));
        let mut s = Snapshot {
            vocab: Arc::new(self.vocab.clone()),
            newest: items.first().map_or(0, |i| i.sort_time),
            ..Snapshot::default()
        };
        for (i, it) in items.iter().enumerate() {
            let i = i as u32;
            s.by_key.insert((it.source, it.id.clone()), i);
            s.by_pk.insert(it.pk, i);
            s.recent.push(i);
            for &t in &it.tags {
                s.by_tag.entry(t).or_default().push(i);
            }
            if let Some(sec) = it.section {
                s.by_section.entry(sec).or_default().push(i);
            }
            s.by_source.entry(it.source).or_default().push(i);
        }
        let (story, carried) = story::group(&items);
        s.story = story;
        s.carried_by = carried;
        s.items = items;
        s.pinned = self
            .pins
            .iter()
            .filter_map(|(src, id)| s.find(src, id))
            .collect();
        Arc::new(s)
    }
}
