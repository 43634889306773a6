//! Builds and refreshes the feed's [`Snapshot`] from the store: a full build on first use
//! (and after deletions), then only the rows changed since the last look, applied to the
//! previous snapshot's indexes ([`super::index`]). Terms are known
//! by a 64-bit hash of their text, never by the text itself: the vocabulary of a large
//! store is hundreds of thousands of words.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use crate::arabic::Analyzer;
use crate::store::{FeedRow, Store};

use super::index::Change;
use super::snapshot::{Item, Snapshot, Vocab};

/// Terms kept per article (the strongest by tf·idf).
const TERMS_PER_ARTICLE: usize = 24;
/// Rows read per query during a full build.
const PAGE: i64 = 2000;

/// An analysed row: its item without terms yet, and its weighted term counts by term id.
struct Interned {
    item: Item,
    published: bool,
    updated: i64,
    counts: Box<[(u32, f32)]>,
}

fn term_hash(t: &str) -> u64 {
    let mut h = FxHasher::default();
    t.hash(&mut h);
    h.finish()
}

/// Weighted term counts of a row (title ×2, subtitle ×1.5, lead ×1), by term hash.
fn counts(row: &FeedRow) -> Vec<(u64, f32)> {
    let a = Analyzer;
    let mut counts: FxHashMap<u64, f32> = FxHashMap::default();
    for t in a.terms(&row.title) {
        *counts.entry(term_hash(&t)).or_default() += 2.0;
    }
    if let Some(sub) = &row.subtitle {
        for t in a.terms(sub) {
            *counts.entry(term_hash(&t)).or_default() += 1.5;
        }
    }
    for t in a.terms(&row.lead) {
        *counts.entry(term_hash(&t)).or_default() += 1.0;
    }
    let mut counts: Vec<(u64, f32)> = counts.into_iter().collect();
    counts.sort_by_key(|c| c.0);
    counts
}

/// The builder's state: term ids and document frequencies, the names, the last snapshot.
#[derive(Default)]
pub struct Builder {
    term_ids: FxHashMap<u64, u32>,
    df: Vec<u32>,
    docs: u32,
    vocab: Arc<Vocab>,
    current: Option<Arc<Snapshot>>,
    fingerprint: Option<(i64, i64)>,
    max_updated: i64,
    pins: Vec<(String, String)>,
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
                for row in page {
                    let a = fresh.intern(row);
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
            let mut items: FxHashMap<i64, Arc<Item>> = FxHashMap::default();
            for a in pending {
                fresh.max_updated = fresh.max_updated.max(a.updated);
                if !a.published {
                    items.remove(&a.item.pk);
                    continue;
                }
                let mut item = a.item;
                item.terms = fresh.weigh(&a.counts);
                items.insert(item.pk, Arc::new(item));
            }
            let items = items.into_values().collect();
            let snap = Snapshot::whole(items, fresh.vocab.clone(), &fresh.pins);
            fresh.current = Some(Arc::new(snap));
            fresh
        })
        .await?;
        b.fingerprint = Some(fingerprint);
        *self = b;
        self.current()
    }

    fn current(&self) -> anyhow::Result<Arc<Snapshot>> {
        self.current
            .clone()
            .ok_or_else(|| anyhow::anyhow!("the For-you features are not built"))
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
        let Some(prev) = self.current.clone() else {
            return self.refresh(store).await.map(Some);
        };
        self.pins = pins;
        let changed = store.feed_rows_updated_since(self.max_updated).await?;
        let mut b = std::mem::take(self);
        b = tokio::task::spawn_blocking(move || {
            let snap = b.apply(&prev, changed);
            b.current = Some(Arc::new(snap));
            b
        })
        .await?;
        *self = b;
        let snap = self.current()?;
        if snap.len() as i64 != fingerprint.0 {
            // Something was deleted or withdrawn without a newer row: start again.
            return self.refresh(store).await.map(Some);
        }
        self.fingerprint = Some(fingerprint);
        Ok(Some(snap))
    }

    /// The snapshot after `prev` with the changed rows in (published ones) or out.
    fn apply(&mut self, prev: &Snapshot, rows: Vec<FeedRow>) -> Snapshot {
        let analysed: Vec<Interned> = rows.into_iter().map(|r| self.intern(r)).collect();
        for a in &analysed {
            if a.published && !prev.by_pk.contains_key(&a.item.pk) {
                self.count_document(&a.counts);
            }
        }
        let changes = analysed
            .into_iter()
            .map(|a| {
                self.max_updated = self.max_updated.max(a.updated);
                if !a.published {
                    return Change::Remove(a.item.pk);
                }
                let mut item = a.item;
                item.terms = self.weigh(&a.counts);
                Change::Upsert(item)
            })
            .collect();
        prev.next(self.vocab.clone(), changes, &self.pins)
    }

    /// The row analysed, its terms as ids (new terms get the next id), its headline packed:
    /// the row's lead and strings go now, not at the end of a full build.
    fn intern(&mut self, row: FeedRow) -> Interned {
        let counts = counts(&row)
            .into_iter()
            .map(|(t, c)| {
                let next = self.term_ids.len() as u32;
                (*self.term_ids.entry(t).or_insert(next), c)
            })
            .collect();
        // The vocabulary is shared with the published snapshot: copied only for a new name.
        let tags = row
            .tags
            .iter()
            .map(|(slug, name)| match self.vocab.tag_id(slug) {
                Some(t) => t,
                None => Arc::make_mut(&mut self.vocab).tag(slug, name),
            })
            .collect();
        let source = match self.vocab.source_id(&row.source) {
            Some(s) => s,
            None => Arc::make_mut(&mut self.vocab).source(&row.source),
        };
        let item = Item::new(
            row.pk,
            source,
            &row.id,
            &row.title,
            row.subtitle.as_deref(),
            row.section,
            row.published,
            row.sort_time,
            tags,
            Box::default(),
            row.story,
        );
        Interned {
            item,
            published: row.published_status,
            updated: row.updated,
            counts,
        }
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

    /// The article's strongest terms by tf·idf over the documents counted so far, unit
    /// length, sorted by term id.
    fn weigh(&self, counts: &[(u32, f32)]) -> Box<[(u32, f32)]> {
        let n = self.docs.max(1) as f32;
        let mut terms: Vec<(u32, f32)> = counts
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
        terms.into_boxed_slice()
    }
}
