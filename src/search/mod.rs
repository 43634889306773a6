//! Full-text search over articles: a tantivy index in the data folder that follows the
//! store's article change log (`follow.rs`), and is rebuilt from the store (the source of
//! truth) when missing, corrupt, or behind further than the log reaches (`sync.rs`).

pub mod clauses;
pub mod cli;
pub mod eval;
mod follow;
pub mod query;
mod rank;
pub mod schema;
pub mod snippet;
mod sync;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use tantivy::schema::OwnedValue;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::model::Article;
pub use follow::spawn_follower;
pub use query::{Filters, ParsedQuery};
use schema::Fields;
pub use snippet::Segment;
pub use writer::Held;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest result a request may page to.
pub const MAX_OFFSET: usize = 10_000;
/// Candidates beyond the page that the second ranking phase re-scores.
const RESCORE_DEPTH: usize = 50;
/// Ranked searches count matches exactly up to this many (as Lucene does by default):
/// counting every match of a query full of common words would cost more than ranking it.
pub const COUNT_LIMIT: usize = 1_000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

impl Sort {
    /// Parses `relevance` or `date`.
    pub fn parse(s: &str) -> Option<Sort> {
        match s.trim() {
            "" | "relevance" => Some(Sort::Relevance),
            "date" => Some(Sort::Date),
            _ => None,
        }
    }
}

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

/// One hit.
#[derive(Debug, Clone)]
pub struct Hit {
    pub source: String,
    pub id: String,
    pub title: String,
    pub score: f32,
    /// Sort time, Unix ms.
    pub time: i64,
    pub snippet: Vec<Segment>,
}

/// A page of hits and the number of matching articles.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// Matching articles: exact when `total_exact`, else a lower bound (ranked searches stop
    /// counting at [`COUNT_LIMIT`] or just past the page asked for, whichever is more).
    pub total: usize,
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    /// No article held a quoted phrase exactly; these hits match its words.
    pub relaxed: bool,
}

struct Inner {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    /// Opened on the first write: a process that only reads (e.g. `sahifa search` beside a
    /// running server) never takes tantivy's exclusive writer lock.
    writer: Mutex<Option<writer::Writer>>,
    fields: Fields,
    /// Where this index is in the store's change log; one catch-up at a time.
    follow: tokio::sync::Mutex<follow::State>,
    /// Bumped each time the index shows new changes: caches that follow the log compare it.
    generation: AtomicU64,
    /// Wakes the follower after a write in this process.
    wake: Arc<tokio::sync::Notify>,
}

/// Handle on the search index; cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.inner.dir)
            .finish()
    }
}

/// The identity term value of an article.
fn key(source: &str, id: &str) -> String {
    format!("{source}\u{1f}{id}")
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. An index that cannot be opened (corrupt, or
    /// written by another schema version) is wiped and recreated empty; [`SearchIndex::sync`]
    /// then refills it from the store. Opening takes no lock: only writes do.
    pub fn open(dir: &Path) -> anyhow::Result<SearchIndex> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let index = match sync::open_existing(dir) {
            Ok(Some(index)) => index,
            Ok(None) => sync::create(dir)?,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), dir = %dir.display(),
                    "search index unusable; recreating it");
                sync::wipe(dir)?;
                sync::create(dir)?
            }
        };
        schema::register(&index);
        let fields = schema::build().1;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("opening the search index reader")?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                index,
                reader,
                writer: Mutex::new(None),
                fields,
                follow: tokio::sync::Mutex::new(follow::State::default()),
                generation: AtomicU64::new(0),
                wake: Arc::default(),
            }),
        })
    }

    fn document(&self, a: &Article) -> schema::ArticleDoc {
        let f = &self.inner.fields;
        let mut values = vec![
            (f.key, OwnedValue::Str(key(&a.source, &a.id))),
            (f.source, OwnedValue::Str(a.source.clone())),
            (f.id, OwnedValue::Str(a.id.clone())),
            (f.time, OwnedValue::I64(a.sort_time().timestamp_millis())),
            (f.title, OwnedValue::Str(a.title.clone())),
        ];
        if let Some(s) = a.section {
            values.push((f.section, OwnedValue::Str(s.slug().to_string())));
        }
        if let Some(sub) = &a.subtitle {
            values.push((f.subtitle, OwnedValue::Str(sub.clone())));
        }
        values.push((f.body, OwnedValue::Str(a.body.join("\n"))));
        schema::ArticleDoc::new(values, *f)
    }

    /// Number of index segments visible to searches (each costs every query a little).
    pub fn segment_count(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// A number that grows each time the index shows changes it applied from the log (or a
    /// rebuild): what per-node caches of article lists compare to know they are stale.
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests;
