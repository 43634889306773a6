//! Front pages kept per node: the article lists of the home page, the first pages of each
//! section and tag, and the first pages of `GET /api/v1/articles` are read from the store
//! once and served from memory until [`generation`] moves: this node's search index applies
//! a change from the article change log, or this process commits an article write. So every
//! node shows a write within the same moment its search does (and the node that wrote it at
//! once, even while its index waits on the log), and a busy front page costs no query per
//! request. A list older than [`MAX_AGE`] is read again anyway, in case this node's
//! follower is stuck.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::pages::ArticleView;
use crate::locale::{Locale, Tr};
use crate::model::{Article, Section};

/// What this node's front-page caches are keyed by: the search index's generation plus the
/// article writes this process committed (both only grow, so the sum moves with either).
pub fn generation(state: &crate::app::AppState) -> u64 {
    state
        .search
        .generation()
        .wrapping_add(state.store.article_writes())
}

/// Lists are read again at least this often.
pub const MAX_AGE: Duration = Duration::from_secs(30);
/// Pages per list kept in memory (deeper pages are read from the store per request).
pub const CACHED_PAGES: i64 = 5;

/// Entries of one kind, all from one generation of the index.
struct Slots<K, V> {
    generation: u64,
    since: Instant,
    map: HashMap<K, Arc<V>>,
}

/// A cache of one kind of list, emptied when the generation moves.
pub struct Cache<K, V> {
    slots: Mutex<Slots<K, V>>,
    /// Most entries kept; past it the cache starts afresh (tags are many, pages few).
    cap: usize,
    /// One lock per key being read from the store: when a list is missing (at start, when
    /// the generation moves, every [`MAX_AGE`]) the requests asking for it at that moment
    /// wait for one read instead of each reading it. Without this, 64 connections on an
    /// expired home page made 64 identical reads queue for the store's few connections,
    /// and requests that timed out kept queuing behind them.
    loading: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Hash + Eq + Clone, V> Cache<K, V> {
    fn new(cap: usize) -> Self {
        Cache {
            slots: Mutex::new(Slots {
                generation: 0,
                since: Instant::now(),
                map: HashMap::new(),
            }),
            cap,
            loading: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots<K, V>> {
        // Entries are whole values: a panic elsewhere cannot leave one half-written.
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn gates(&self) -> std::sync::MutexGuard<'_, HashMap<K, Arc<tokio::sync::Mutex<()>>>> {
        // A map of locks only: a panic elsewhere cannot leave it half-written.
        self.loading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The entry at `key` kept at `generation` (a moved generation or an old cache empties
    /// it first).
    fn kept(&self, generation: u64, key: &K) -> Option<Arc<V>> {
        let mut slots = self.lock();
        if slots.generation != generation || slots.since.elapsed() > MAX_AGE {
            slots.generation = generation;
            slots.since = Instant::now();
            slots.map.clear();
        }
        slots.map.get(key).cloned()
    }

    /// The entry for `key` at `generation`, loaded with `load` when missing or stale.
    /// `load` returning `None` (nothing to show, e.g. an unknown tag) caches nothing.
    pub async fn get<F, Fut>(
        &self,
        generation: u64,
        key: K,
        load: F,
    ) -> anyhow::Result<Option<Arc<V>>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<Option<V>>>,
    {
        if let Some(v) = self.kept(generation, &key) {
            return Ok(Some(v));
        }
        let gate = self.gates().entry(key.clone()).or_default().clone();
        let _reading = gate.lock().await;
        // Whoever held the gate before may have kept the list meanwhile.
        if let Some(v) = self.kept(generation, &key) {
            return Ok(Some(v));
        }
        let loaded = load().await;
        self.gates().remove(&key);
        let Some(value) = loaded? else {
            return Ok(None);
        };
        let value = Arc::new(value);
        let mut slots = self.lock();
        // A list read while the generation moved may already be stale: served, not kept.
        if slots.generation == generation {
            if slots.map.len() >= self.cap {
                slots.map.clear();
            }
            slots.map.insert(key, value.clone());
        }
        Ok(Some(value))
    }
}

/// The home page's lists.
pub struct Home {
    pub latest: Vec<ArticleView>,
    pub groups: Vec<(Section, Vec<ArticleView>)>,
}

/// A tag page: the tag's name and a page of its articles.
pub struct TagList {
    pub name: String,
    pub articles: Vec<ArticleView>,
}

/// Every front-page cache of this node (pages by locale: dates and names differ).
pub struct FrontPages {
    pub home: Cache<Locale, Home>,
    pub sections: Cache<(Locale, Section, i64), Vec<ArticleView>>,
    pub tags: Cache<(Locale, String, i64), TagList>,
    /// Serialized JSON of `GET /api/v1/articles` by (limit, offset).
    pub api_latest: Cache<(i64, i64), axum::body::Bytes>,
    /// Whole pages for visitors ([`super::page_cache`]).
    pub pages: super::page_cache::PageCache,
}

impl Default for FrontPages {
    fn default() -> Self {
        FrontPages {
            home: Cache::new(8),
            sections: Cache::new(8 * Section::ALL.len() * CACHED_PAGES as usize),
            tags: Cache::new(1024),
            api_latest: Cache::new(256),
            pages: super::page_cache::PageCache::default(),
        }
    }
}

/// Articles as a list shows them (cards) in `t`'s locale: without their bodies, which lists
/// do not show.
pub fn cards(articles: Vec<Article>, t: Tr) -> Vec<ArticleView> {
    articles
        .into_iter()
        .map(|a| {
            let mut v = ArticleView::new(a, t);
            v.body = Vec::new();
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_are_kept_until_the_generation_moves() {
        let cache: Cache<u8, u32> = Cache::new(4);
        let loads = std::sync::atomic::AtomicU32::new(0);
        let load = || async {
            Ok(Some(
                loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1,
            ))
        };
        assert_eq!(
            cache.get(1, 0, load).await.ok().flatten().as_deref(),
            Some(&1)
        );
        assert_eq!(
            cache.get(1, 0, load).await.ok().flatten().as_deref(),
            Some(&1)
        );
        assert_eq!(
            cache.get(2, 0, load).await.ok().flatten().as_deref(),
            Some(&2)
        );
        let none = cache.get(2, 9, || async { Ok(None) }).await.ok().flatten();
        assert!(none.is_none());
    }

    #[tokio::test]
    async fn requests_for_a_missing_list_wait_for_one_read() {
        use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
        let cache: Arc<Cache<u8, u32>> = Arc::new(Cache::new(4));
        let loads = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, loads) = (cache.clone(), loads.clone());
            tasks.push(tokio::spawn(async move {
                let load = || async move {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok(Some(loads.fetch_add(1, SeqCst) + 1))
                };
                cache.get(1, 0, load).await.ok().flatten().map(|v| *v)
            }));
        }
        for t in tasks {
            assert_eq!(t.await.ok().flatten(), Some(1));
        }
        assert_eq!(loads.load(SeqCst), 1, "sixteen requests, one read");
        // Another key is read on its own.
        let other = cache.get(1, 1, || async { Ok(Some(7)) }).await;
        assert_eq!(other.ok().flatten().as_deref(), Some(&7));
    }
}
