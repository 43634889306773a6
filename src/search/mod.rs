//! Full-text search over articles: a tantivy index in the data folder, kept in step with the
//! store (the source of truth) and rebuilt from it when missing, stale or corrupt.

pub mod cli;
pub mod eval;
pub mod query;
pub mod schema;
pub mod snippet;
mod sync;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{OwnedValue, TantivyDocument, Value};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, Term};

use crate::model::Article;
use crate::store::Store;
pub use query::{Filters, ParsedQuery};
use schema::Fields;
pub use snippet::Segment;

/// Memory the index writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 200_000_000;
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
    writer: Mutex<Option<Writer>>,
    fields: Fields,
    /// The store whose fingerprint is recorded at each commit (set by [`SearchIndex::sync`]).
    store: Mutex<Option<Store>>,
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

/// The index writer, held locked; only built by [`SearchIndex::lock_writer`], which opens
/// the writer first.
struct WriterGuard<'a>(std::sync::MutexGuard<'a, Option<Writer>>);

impl std::ops::Deref for WriterGuard<'_> {
    type Target = Writer;
    fn deref(&self) -> &Writer {
        self.0
            .as_ref()
            .expect("lock_writer opens the writer before handing out a guard")
    }
}

impl std::ops::DerefMut for WriterGuard<'_> {
    fn deref_mut(&mut self) -> &mut Writer {
        self.0
            .as_mut()
            .expect("lock_writer opens the writer before handing out a guard")
    }
}

/// Whether the index may already hold the articles being indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// It may: each replaces its older version (an update, an editor's save).
    Maybe,
    /// It cannot: articles new to the store (the index is checked against the store when it
    /// opens, and rebuilt when not in step), or a rebuild of a cleared index. They skip the
    /// delete of an older version, which costs tantivy a term query per article.
    No,
}

/// The index writer: documents are analysed on its own indexing threads.
type Writer = IndexWriter<schema::ArticleDoc>;

/// The identity term value of an article.
fn key(source: &str, id: &str) -> String {
    format!("{source}\u{1f}{id}")
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. An index that cannot be opened (corrupt, or
    /// written by another schema version) is wiped and recreated empty; [`SearchIndex::sync`]
    /// then refills it from the store.
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
                store: Mutex::new(None),
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

    /// The writer's slot, locked (empty while no writer is open).
    fn writer_slot(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Option<Writer>>> {
        self.inner
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("search index writer poisoned by an earlier panic"))
    }

    fn lock_writer(&self) -> anyhow::Result<WriterGuard<'_>> {
        let mut guard = self.writer_slot()?;
        if guard.is_none() {
            let threads = std::thread::available_parallelism()
                .map(|n| n.get().min(2))
                .unwrap_or(1);
            let writer = self
                .inner
                .index
                .writer_with_num_threads(threads, WRITER_MEMORY)
                .context(
                    "opening the search index writer: another sahifa process (a running \
                     `serve`?) is writing to this data folder",
                )?;
            *guard = Some(writer);
        }
        Ok(WriterGuard(guard))
    }

    /// Adds or replaces articles, keyed by (source, id), without committing (blocking).
    pub fn index_articles_blocking(&self, articles: &[Article], held: Held) -> anyhow::Result<()> {
        let writer = self.lock_writer()?;
        for a in articles {
            if held == Held::Maybe {
                writer.delete_term(Term::from_field_text(
                    self.inner.fields.key,
                    &key(&a.source, &a.id),
                ));
            }
            writer
                .add_document(self.document(a))
                .context("adding a document to the search index")?;
        }
        Ok(())
    }

    /// Adds or replaces articles, keyed by (source, id). Visible after [`SearchIndex::commit`].
    pub async fn index_articles(&self, articles: Vec<Article>, held: Held) -> anyhow::Result<()> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.index_articles_blocking(&articles, held))
            .await
            .context("indexing task")?
    }

    /// Removes one article. Visible after [`SearchIndex::commit`].
    pub async fn delete(&self, source: &str, id: &str) -> anyhow::Result<()> {
        let writer = self.lock_writer()?;
        writer.delete_term(Term::from_field_text(
            self.inner.fields.key,
            &key(source, id),
        ));
        Ok(())
    }

    /// Makes pending writes durable and visible to searches at once, recording the store's
    /// fingerprint so a later start can tell whether the index is still in step.
    pub async fn commit(&self) -> anyhow::Result<()> {
        let store = self
            .inner
            .store
            .lock()
            .map_err(|_| anyhow::anyhow!("search index state poisoned"))?
            .clone();
        let fingerprint = match store {
            Some(s) => Some(s.search_fingerprint().await?),
            None => None,
        };
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.commit_blocking(fingerprint))
            .await
            .context("search commit task")?
    }

    pub(crate) fn commit_blocking(&self, fingerprint: Option<(i64, i64)>) -> anyhow::Result<()> {
        {
            let mut writer = self.lock_writer()?;
            let mut prepared = writer.prepare_commit().context("preparing the commit")?;
            prepared.set_payload(&sync::payload(fingerprint));
            prepared.commit().context("committing the search index")?;
        }
        self.inner
            .reader
            .reload()
            .context("reloading the search reader")
    }

    /// Merges all segments into one, lets background merges finish, closes the writer (the
    /// next write opens it again) and shows the result to searches. Used after bulk
    /// indexing: every query then looks each term up once, and no merge competes with
    /// queries for the CPU.
    pub fn finish_merges_blocking(&self) -> anyhow::Result<()> {
        let writer = self.writer_slot()?.take();
        if let Some(mut w) = writer {
            let ids = self.inner.index.searchable_segment_ids()?;
            if ids.len() > 1 {
                w.merge(&ids).wait().context("merging the search index")?;
            }
            w.wait_merging_threads()
                .context("finishing search index merges")?;
        }
        self.inner
            .reader
            .reload()
            .context("reloading the search reader")
    }

    /// Number of index segments visible to searches (each costs every query a little).
    pub fn segment_count(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Ids of the best `req.limit` hits, best first, without snippets (for evaluation).
    pub fn ranked_ids(&self, req: &SearchRequest) -> anyhow::Result<Vec<String>> {
        let mut parsed = query::parse(&req.q);
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let mut found = Vec::new();
        for _ in 0..2 {
            let ranked = split_common(&searcher, &parsed, f);
            let Some(q) = query::build(&ranked, &req.filters, f) else {
                return Ok(Vec::new());
            };
            found = top_ranked(&searcher, q.as_ref(), &ranked, f, 0, req.limit.max(1))?;
            if !found.is_empty() || parsed.phrases.is_empty() {
                break;
            }
            parsed = parsed.relaxed();
        }
        let mut out = Vec::new();
        for (_, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    /// Runs a search (blocking; cheap enough to run on the async runtime for small pages,
    /// callers on hot paths may use `spawn_blocking`).
    pub fn search(&self, req: &SearchRequest) -> anyhow::Result<SearchResults> {
        let parsed = query::parse(&req.q);
        let results = self.search_parsed(req, &parsed)?;
        if results.total == 0 && !parsed.phrases.is_empty() {
            let mut loose = self.search_parsed(req, &parsed.relaxed())?;
            loose.relaxed = true;
            return Ok(loose);
        }
        Ok(results)
    }

    fn search_parsed(
        &self,
        req: &SearchRequest,
        parsed: &ParsedQuery,
    ) -> anyhow::Result<SearchResults> {
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        // Ranked by relevance, common words only re-score, so an article holding nothing
        // but common words of the query is not a match; sorted by date, every word selects.
        let ranked = match req.sort {
            Sort::Relevance => split_common(&searcher, parsed, f),
            Sort::Date => parsed.clone(),
        };
        let Some(q) = query::build(&ranked, &req.filters, f) else {
            return Ok(SearchResults::default());
        };
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let offset = req.offset.min(MAX_OFFSET);
        let found: Vec<(f32, tantivy::DocAddress)>;
        let (total, total_exact);
        match req.sort {
            Sort::Relevance => {
                // Ranking and counting are separate passes: alone, top-k ranking skips
                // blocks (block-max WAND) and the count needs no scores.
                found = top_ranked(&searcher, q.as_ref(), &ranked, f, offset, limit)?;
                (total, total_exact) = if found.len() < limit && offset == 0 {
                    (found.len(), true)
                } else {
                    let cap = COUNT_LIMIT.max(offset + limit + 1);
                    count_up_to(&searcher, q.as_ref(), cap)?
                };
            }
            Sort::Date => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_fast_field::<i64>("time", Order::Desc);
                let (docs, n) = searcher.search(&q, &(top, Count))?;
                (total, total_exact) = (n, true);
                found = docs.into_iter().map(|(_, d)| (0.0, d)).collect();
            }
        }
        let (stems, exact) = parsed.highlight_terms();
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let body = text(f.body);
            let mut snip = snippet::build(&body, &stems, &exact);
            if !snip.iter().any(|s| s.is_match) {
                let sub = text(f.subtitle);
                let alt = snippet::build(&sub, &stems, &exact);
                if alt.iter().any(|s| s.is_match) || snip.is_empty() {
                    snip = alt;
                }
            }
            hits.push(Hit {
                source: text(f.source),
                id: text(f.id),
                title: text(f.title),
                score,
                time: doc
                    .get_first(f.time)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_default(),
                snippet: snip,
            });
        }
        Ok(SearchResults {
            total,
            total_exact,
            hits,
            relaxed: false,
        })
    }
}

/// `parsed` with its common stems moved to the second phase ([`ParsedQuery::split_common`]),
/// judged by their document frequency in the stemmed text field.
fn split_common(searcher: &tantivy::Searcher, parsed: &ParsedQuery, f: &Fields) -> ParsedQuery {
    parsed.split_common(searcher.num_docs(), |stem| {
        searcher
            .doc_freq(&Term::from_field_text(f.text_stem, stem))
            .unwrap_or(0)
    })
}

/// Hits `offset..offset + limit` by relevance: the first-phase query ranks the candidates,
/// then the best [`RESCORE_DEPTH`] beyond the page get the [`query::boosts`] clauses added to
/// their scores (title and exact-form matches). The sum is the score the whole query would
/// give; only an article outside the first-phase top could be missed.
fn top_ranked(
    searcher: &tantivy::Searcher,
    first: &dyn tantivy::query::Query,
    parsed: &ParsedQuery,
    f: &Fields,
    offset: usize,
    limit: usize,
) -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
    use tantivy::DocSet;
    use tantivy::query::EnableScoring;
    let depth = offset + limit + RESCORE_DEPTH;
    let mut found = searcher.search(first, &TopDocs::with_limit(depth).order_by_score())?;
    let boosts = query::boosts(parsed, f);
    if !boosts.is_empty() && !found.is_empty() {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weights = boosts
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        found.sort_by_key(|(_, a)| (a.segment_ord, a.doc_id));
        for same in found.chunk_by_mut(|(_, a), (_, b)| a.segment_ord == b.segment_ord) {
            let reader = searcher.segment_reader(same[0].1.segment_ord);
            for w in &weights {
                let mut scorer = w.scorer(reader, 1.0)?;
                for (score, addr) in same.iter_mut() {
                    if scorer.doc() < addr.doc_id {
                        scorer.seek(addr.doc_id);
                    }
                    if scorer.doc() == addr.doc_id {
                        *score += scorer.score();
                    }
                }
            }
        }
        found.sort_by(|(sa, a), (sb, b)| {
            sb.total_cmp(sa)
                .then_with(|| (a.segment_ord, a.doc_id).cmp(&(b.segment_ord, b.doc_id)))
        });
    }
    Ok(found.into_iter().skip(offset).take(limit).collect())
}

/// Counts live documents matching `query`, stopping at `cap`: (count, whether it is exact).
fn count_up_to(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    cap: usize,
) -> tantivy::Result<(usize, bool)> {
    use tantivy::query::EnableScoring;
    use tantivy::{DocSet, TERMINATED};
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0usize;
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n >= cap {
                    return Ok((n, false));
                }
            }
            doc = scorer.advance();
        }
    }
    Ok((n, true))
}

#[cfg(test)]
mod tests;
