//! What the feed knows of every published article, in memory on each node: the headline
//! (id, title, subtitle in one allocation), section, tags, a short term vector over the
//! analyzer's terms and the story it belongs to. Built and kept current by
//! [`super::features`]; each change makes a new snapshot that shares what did not change.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use crate::model::Section;

/// One published article as the feed sees it.
#[derive(Debug)]
pub struct Item {
    pub pk: i64,
    pub source: u32,
    pub section: Option<Section>,
    pub published: Option<i64>,
    pub sort_time: i64,
    /// Tag ids, best first.
    pub tags: Box<[u32]>,
    /// (term id, weight), sorted by term id, unit length.
    pub terms: Box<[(u32, f32)]>,
    /// Its stored story (`crate::stories`); None when not grouped yet.
    pub story: Option<i64>,
    /// The article id, the title and the subtitle, one after the other.
    text: Box<str>,
    id_end: u32,
    title_end: u32,
    has_subtitle: bool,
}

impl Item {
    #[expect(
        clippy::too_many_arguments,
        reason = "one constructor for the one place that makes items"
    )]
    pub fn new(
        pk: i64,
        source: u32,
        id: &str,
        title: &str,
        subtitle: Option<&str>,
        section: Option<Section>,
        published: Option<i64>,
        sort_time: i64,
        tags: Box<[u32]>,
        terms: Box<[(u32, f32)]>,
        story: Option<i64>,
    ) -> Item {
        let mut text = String::with_capacity(id.len() + title.len() + subtitle.map_or(0, str::len));
        text.push_str(id);
        let id_end = text.len();
        text.push_str(title);
        let title_end = text.len();
        text.push_str(subtitle.unwrap_or(""));
        let end = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Item {
            pk,
            source,
            section,
            published,
            sort_time,
            tags,
            terms,
            story,
            text: text.into_boxed_str(),
            id_end: end(id_end),
            title_end: end(title_end),
            has_subtitle: subtitle.is_some(),
        }
    }

    fn part(&self, from: u32, to: Option<u32>) -> &str {
        let from = from as usize;
        match to {
            Some(to) => self.text.get(from..to as usize),
            None => self.text.get(from..),
        }
        .unwrap_or("")
    }

    /// The article's id within its source.
    pub fn id(&self) -> &str {
        self.part(0, Some(self.id_end))
    }

    pub fn title(&self) -> &str {
        self.part(self.id_end, Some(self.title_end))
    }

    pub fn subtitle(&self) -> Option<&str> {
        self.has_subtitle.then(|| self.part(self.title_end, None))
    }
}

/// Names of tags and sources by their ids (append-only).
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    pub tag_slugs: Vec<Box<str>>,
    pub tag_names: Vec<Box<str>>,
    pub tag_ids: FxHashMap<Box<str>, u32>,
    pub sources: Vec<Box<str>>,
    pub source_ids: FxHashMap<Box<str>, u32>,
}

impl Vocab {
    /// The id of tag `slug`, if known.
    pub fn tag_id(&self, slug: &str) -> Option<u32> {
        self.tag_ids.get(slug).copied()
    }

    /// The id of source `name`, if known.
    pub fn source_id(&self, name: &str) -> Option<u32> {
        self.source_ids.get(name).copied()
    }

    /// The id of tag `slug`, added when new.
    pub fn tag(&mut self, slug: &str, name: &str) -> u32 {
        if let Some(i) = self.tag_id(slug) {
            return i;
        }
        let i = self.tag_slugs.len() as u32;
        self.tag_slugs.push(slug.into());
        self.tag_names.push(name.into());
        self.tag_ids.insert(slug.into(), i);
        i
    }

    /// The id of source `name`, added when new.
    pub fn source(&mut self, name: &str) -> u32 {
        if let Some(i) = self.source_id(name) {
            return i;
        }
        let i = self.sources.len() as u32;
        self.sources.push(name.into());
        self.source_ids.insert(name.into(), i);
        i
    }
}

/// The key of (source id, article id) in [`Snapshot::by_key`]: a 64-bit hash, checked
/// against the item on lookup (so a collision can only make an article unfindable).
pub fn key_hash(source: u32, id: &str) -> u64 {
    let mut h = FxHasher::default();
    source.hash(&mut h);
    id.hash(&mut h);
    h.finish()
}

/// An immutable view of every published article, with the indexes the feed reads. Item
/// indexes ("slots") keep their meaning across the snapshots of one epoch (one full build):
/// a change makes a new snapshot that copies the indexes and shares the lists it does not
/// touch, and a member's profile derived over one snapshot holds for the next.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Which snapshot this is: every new snapshot of a node has a new one.
    pub generation: u64,
    /// Which full build this snapshot descends from.
    pub epoch: u64,
    /// Items by slot. A slot no index holds is an article withdrawn since the full build.
    pub items: Vec<Arc<Item>>,
    pub vocab: Arc<Vocab>,
    /// Slots by [`key_hash`] of (source id, article id).
    pub by_key: FxHashMap<u64, u32>,
    /// Slots by row key: one per published article.
    pub by_pk: FxHashMap<i64, u32>,
    /// Every published item, newest first; so are the lists below.
    pub recent: Vec<u32>,
    pub by_tag: FxHashMap<u32, Arc<Vec<u32>>>,
    pub by_section: FxHashMap<Section, Arc<Vec<u32>>>,
    pub by_source: FxHashMap<u32, Arc<Vec<u32>>>,
    /// Per slot: its story group, and how many sources carry that story.
    pub story: Vec<u32>,
    pub carried_by: Vec<u16>,
    /// The newest article's time (ms): freshness counts back from it.
    pub newest: i64,
    /// Items an editor pinned.
    pub pinned: Vec<u32>,
}

impl Snapshot {
    /// How many published articles it holds.
    pub fn len(&self) -> usize {
        self.by_pk.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_pk.is_empty()
    }

    /// Orders slots newest first (by time, then by row key), as every list is.
    pub fn newest_first(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (x, y) = (self.item(a), self.item(b));
        (y.sort_time, y.pk).cmp(&(x.sort_time, x.pk))
    }

    /// The item index of (source, id).
    pub fn find(&self, source: &str, id: &str) -> Option<u32> {
        let s = self.vocab.source_id(source)?;
        let i = *self.by_key.get(&key_hash(s, id))?;
        let it = self.items.get(i as usize)?;
        (it.source == s && it.id() == id).then_some(i)
    }

    pub fn item(&self, i: u32) -> &Item {
        &self.items[i as usize]
    }

    pub fn source_name(&self, i: &Item) -> &str {
        self.vocab.sources.get(i.source as usize).map_or("", |s| s)
    }

    pub fn tag_name(&self, t: u32) -> &str {
        self.vocab.tag_names.get(t as usize).map_or("", |s| s)
    }

    pub fn tag_slug(&self, t: u32) -> &str {
        self.vocab.tag_slugs.get(t as usize).map_or("", |s| s)
    }
}
