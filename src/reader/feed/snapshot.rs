//! What the feed knows of every published article, in memory on each node: headline data,
//! section, tags, a short term vector over the analyzer's terms and the story it belongs
//! to. Built on first use and kept current by a background task that follows the store.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use crate::model::Section;
use crate::store::Store;

use super::build::Builder;

/// One published article as the feed sees it.
#[derive(Debug)]
pub struct Item {
    pub pk: i64,
    pub source: u32,
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub section: Option<Section>,
    pub url: Option<String>,
    pub published: Option<i64>,
    pub sort_time: i64,
    /// Tag ids, best first.
    pub tags: Vec<u32>,
    /// (term id, weight), sorted by term id, unit length.
    pub terms: Vec<(u32, f32)>,
    /// Its stored story (`crate::stories`); None when not grouped yet.
    pub story: Option<i64>,
}

/// Names of tags and sources by their ids (append-only).
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    pub tag_slugs: Vec<String>,
    pub tag_names: Vec<String>,
    pub tag_ids: HashMap<String, u32>,
    pub sources: Vec<String>,
    pub source_ids: HashMap<String, u32>,
}

impl Vocab {
    pub fn tag(&mut self, slug: &str, name: &str) -> u32 {
        if let Some(&i) = self.tag_ids.get(slug) {
            return i;
        }
        let i = self.tag_slugs.len() as u32;
        self.tag_slugs.push(slug.to_string());
        self.tag_names.push(name.to_string());
        self.tag_ids.insert(slug.to_string(), i);
        i
    }

    pub fn source(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.source_ids.get(name) {
            return i;
        }
        let i = self.sources.len() as u32;
        self.sources.push(name.to_string());
        self.source_ids.insert(name.to_string(), i);
        i
    }
}

/// An immutable view of every published article, with the indexes the feed reads.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub items: Vec<Arc<Item>>,
    pub vocab: Arc<Vocab>,
    /// Item indexes by (source id, article id).
    pub by_key: HashMap<(u32, String), u32>,
    /// Item indexes by row key.
    pub by_pk: HashMap<i64, u32>,
    /// Every item, newest first.
    pub recent: Vec<u32>,
    pub by_tag: HashMap<u32, Vec<u32>>,
    pub by_section: HashMap<Section, Vec<u32>>,
    pub by_source: HashMap<u32, Vec<u32>>,
    /// Per item: its story group, and how many sources carry that story.
    pub story: Vec<u32>,
    pub carried_by: Vec<u16>,
    /// The newest article's time (ms): freshness counts back from it.
    pub newest: i64,
    /// Items an editor pinned.
    pub pinned: Vec<u32>,
}

impl Snapshot {
    /// The item index of (source, id).
    pub fn find(&self, source: &str, id: &str) -> Option<u32> {
        let s = *self.vocab.source_ids.get(source)?;
        self.by_key.get(&(s, id.to_string())).copied()
    }

    pub fn item(&self, i: u32) -> &Item {
        &self.items[i as usize]
    }

    pub fn source_name(&self, i: &Item) -> &str {
        self.vocab
            .sources
            .get(i.source as usize)
            .map_or("", String::as_str)
    }

    pub fn tag_name(&self, t: u32) -> &str {
        self.vocab
            .tag_names
            .get(t as usize)
            .map_or("", String::as_str)
    }

    pub fn tag_slug(&self, t: u32) -> &str {
        self.vocab
            .tag_slugs
            .get(t as usize)
            .map_or("", String::as_str)
    }
}

/// The feature cache of one node.
pub struct Features {
    store: Store,
    current: RwLock<Option<Arc<Snapshot>>>,
    builder: tokio::sync::Mutex<Builder>,
}

/// How often the background task looks at the store for changed articles.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

impl Features {
    pub fn new(store: Store) -> Features {
        Features {
            store,
            current: RwLock::new(None),
            builder: tokio::sync::Mutex::new(Builder::default()),
        }
    }

    /// The current snapshot, building it (and starting the task that keeps it current)
    /// on first use. The build runs in a task of its own: a request that gives up waiting
    /// (a time-out, a closed connection) does not cancel it, and the next one finds it done.
    pub async fn snapshot(self: &Arc<Self>) -> anyhow::Result<Arc<Snapshot>> {
        if let Some(s) = self.peek() {
            return Ok(s);
        }
        let this = Arc::clone(self);
        tokio::spawn(async move { this.build_once().await })
            .await
            .map_err(|e| anyhow::anyhow!("the For-you features could not be built: {e}"))?
    }

    /// Builds the first snapshot now (serve calls it at start-up, so that the first
    /// member's feed does not wait for it).
    pub fn warm(self: &Arc<Self>) {
        let this = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(e) = this.build_once().await {
                tracing::warn!(error = %e, "could not build the For-you features");
            }
        });
    }

    async fn build_once(self: Arc<Self>) -> anyhow::Result<Arc<Snapshot>> {
        let mut b = self.builder.lock().await;
        if let Some(s) = self.peek() {
            return Ok(s);
        }
        let started = std::time::Instant::now();
        let snap = b.refresh(&self.store).await?;
        tracing::info!(
            articles = snap.items.len(),
            ms = started.elapsed().as_millis() as u64,
            "For-you features built"
        );
        self.publish(snap.clone());
        drop(b);
        tokio::spawn(follow(Arc::downgrade(&self)));
        Ok(snap)
    }

    fn peek(&self) -> Option<Arc<Snapshot>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    fn publish(&self, snap: Arc<Snapshot>) {
        if let Ok(mut g) = self.current.write() {
            *g = Some(snap);
        }
    }

    /// Brings the snapshot in step with the store now (when one was built).
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let mut b = self.builder.lock().await;
        if b.is_empty() && self.peek().is_none() {
            return Ok(());
        }
        if let Some(s) = b.refresh_if_changed(&self.store).await? {
            self.publish(s);
        }
        Ok(())
    }
}

/// Follows the store until the cache is dropped.
async fn follow(weak: Weak<Features>) {
    loop {
        tokio::time::sleep(FOLLOW_EVERY).await;
        let Some(f) = weak.upgrade() else { return };
        if let Err(e) = f.refresh().await {
            tracing::warn!(error = %e, "could not refresh the For-you features");
        }
    }
}
